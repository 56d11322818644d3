// Typed view of the XML returned by virConnectGetCapabilities (libvirt's
// formatcaps). Names follow libvirt's elements; numbers are already parsed.
// Every object keeps what this model does not know about (a newer libvirt's
// elements and attributes) so nothing the hypervisor reported is lost.

import type { Extensible } from '../xml/document';

export type { Extensible, XmlNode } from '../xml/document';

/** A number with its unit, as libvirt prints it (`unit='KiB'`, `unit='MiB'`…). */
export interface Quantity extends Extensible {
  value: number;
  unit: string;
}

export interface Capabilities extends Extensible {
  /** libvirt omits `<host>` when the driver knows nothing about the host. */
  host?: Host;
  guests: Guest[];
  /** Only in capabilities from the storage driver (`storage:///…`). */
  pool?: StoragePoolCapabilities;
}

export interface Host extends Extensible {
  uuid?: string;
  cpu?: HostCpu;
  /** `undefined`: not reported; empty: no suspend target supported. */
  powerManagement?: string[];
  iommu?: Iommu;
  migration?: MigrationFeatures;
  /** Prefix of host-side interface names the driver generates (libxl: `vif`). */
  netprefix?: string;
  numa?: NumaTopology;
  cache?: HostCache;
  memoryBandwidth?: MemoryBandwidth;
  secmodels: Secmodel[];
}

export interface HostCpu extends Extensible {
  arch?: string;
  model?: string;
  vendor?: string;
  microcode?: Microcode;
  signature?: CpuSignature;
  counter?: CpuCounter;
  topology?: CpuTopology;
  maxPhysAddr?: MaxPhysAddr;
  /** Old-style flags inside `<features>` (pae, nonpae, vmx, svm…). */
  flags: string[];
  /** `<feature name=…>` beyond what the model implies. */
  features: string[];
  /** Supported memory page sizes. */
  pages: Quantity[];
}

export interface Microcode extends Extensible {
  version: string;
}

export interface CpuSignature extends Extensible {
  family: number;
  model: number;
  stepping: number;
}

export interface CpuCounter extends Extensible {
  name: string;
  /** Hz. */
  frequency?: number;
  scaling?: boolean;
}

export interface CpuTopology extends Extensible {
  sockets: number;
  dies?: number;
  /** libvirt ≥ 10.1. */
  clusters?: number;
  cores: number;
  threads: number;
}

export interface MaxPhysAddr extends Extensible {
  mode: string;
  bits?: number;
}

export interface Iommu extends Extensible {
  support: boolean;
}

export interface MigrationFeatures extends Extensible {
  live: boolean;
  uriTransports: string[];
}

export interface NumaTopology extends Extensible {
  cells: NumaCell[];
  interconnects?: NumaInterconnects;
}

export interface NumaCell extends Extensible {
  id: number;
  memory?: Quantity;
  /** Free pages per page size. */
  pages: NumaPages[];
  distances: NumaDistance[];
  caches: NumaCache[];
  cpus: NumaCpu[];
}

export interface NumaPages extends Extensible {
  size: number;
  unit: string;
  count: number;
}

export interface NumaDistance extends Extensible {
  /** The sibling cell. */
  id: number;
  value: number;
}

export interface NumaCache extends Extensible {
  level: number;
  associativity?: string;
  policy?: string;
  size?: Quantity;
  line?: Quantity;
}

export interface NumaCpu extends Extensible {
  id: number;
  socketId?: number;
  dieId?: number;
  /** libvirt ≥ 10.1. */
  clusterId?: number;
  coreId?: number;
  /** cpuset string, e.g. `0,8` or `0-1`. */
  siblings?: string;
}

export interface NumaInterconnects extends Extensible {
  latencies: NumaInterconnect[];
  bandwidths: NumaInterconnect[];
}

export interface NumaInterconnect extends Extensible {
  initiator: number;
  target: number;
  cache?: number;
  /** access | read | write */
  type: string;
  value: number;
  /** Bandwidth only. */
  unit?: string;
}

export interface HostCache extends Extensible {
  banks: CacheBank[];
  monitor?: ResctrlMonitor;
}

export interface CacheBank extends Extensible {
  id: number;
  level: number;
  /** both | code | data */
  type: string;
  size: Quantity;
  /** cpuset string. */
  cpus: string;
  controls: CacheControl[];
}

export interface CacheControl extends Extensible {
  granularity: number;
  min?: number;
  unit: string;
  type: string;
  maxAllocs: number;
}

export interface ResctrlMonitor extends Extensible {
  level?: number;
  reuseThreshold?: number;
  maxMonitors: number;
  /** llc_occupancy, mbm_total_bytes, mbm_local_bytes… */
  features: string[];
}

export interface MemoryBandwidth extends Extensible {
  nodes: MemoryBandwidthNode[];
  monitor?: ResctrlMonitor;
}

export interface MemoryBandwidthNode extends Extensible {
  id: number;
  cpus: string;
  control?: MemoryBandwidthControl;
}

export interface MemoryBandwidthControl extends Extensible {
  /** Percent. */
  granularity: number;
  min?: number;
  maxAllocs: number;
}

export interface Secmodel extends Extensible {
  /** none, dac, selinux, apparmor… */
  model: string;
  /** Domain of interpretation; libvirt prints it even when empty. */
  doi?: string;
  baselabels: Baselabel[];
}

export interface Baselabel extends Extensible {
  /** Virtualization type the label applies to (kvm, qemu…). */
  type: string;
  label: string;
}

export interface Guest extends Extensible {
  /** hvm | xen | linux | exe | uml | xenpvh */
  osType: string;
  arch: GuestArch;
  features: GuestFeature[];
}

export interface GuestArch extends Extensible {
  name: string;
  wordsize?: number;
  emulator?: string;
  loader?: string;
  machines: Machine[];
  domains: GuestDomain[];
}

export interface Machine extends Extensible {
  name: string;
  /** Set when `name` is an alias of a versioned machine type. */
  canonical?: string;
  maxCpus?: number;
  deprecated?: boolean;
}

/** One virtualization type (`<domain type=…>`), with its overrides of the arch defaults. */
export interface GuestDomain extends Extensible {
  type: string;
  emulator?: string;
  loader?: string;
  machines: Machine[];
}

export interface GuestFeature extends Extensible {
  name: string;
  /** `default='on'|'off'`; absent for plain flags. */
  defaultOn?: boolean;
  /** `toggle='yes'|'no'`: whether the domain XML may change it. */
  toggle?: boolean;
}

export interface StoragePoolCapabilities extends Extensible {
  /** Storage pool types the driver supports (dir, fs, logical…). */
  types: string[];
}
