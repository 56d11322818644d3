// Typed view of the XML returned by virConnectGetDomainCapabilities (libvirt's
// formatdomaincaps): what one emulator, domain type, machine and arch accept in a domain XML.
// Devices and features share one shape (`supported` plus enums of accepted values), so a
// device or feature added by a newer libvirt is still understood; whatever else the model does
// not know is kept in unknownElements/unknownAttributes.
import type { Extensible } from '../xml/document';

export interface DomainCapabilities extends Extensible {
  /** The emulator binary. */
  path?: string;
  /** The virtualization type (`<domain type=…>`): kvm, qemu, xen… */
  domain: string;
  /** Absent for drivers without machine types. */
  machine?: string;
  arch: string;
  vcpu?: VcpuCapability;
  iothreads?: SupportedBlock;
  os?: OsCapability;
  cpu?: CpuCapability;
  memoryBacking?: SupportedBlock;
  /** disk, graphics, video, hostdev, rng, filesystem, tpm, redirdev, channel, crypto, interface… in document order. */
  devices?: SupportedBlock[];
  /** gic, vmcoreinfo, genid, backingStoreInput, backup, async-teardown, s390-pv, sev, sgx, hyperv… */
  features?: FeatureCapability[];
}

export interface VcpuCapability extends Extensible {
  max: number;
}

/** Values accepted for one attribute of the domain XML. */
export interface CapsEnum extends Extensible {
  name: string;
  /** Empty: the element is supported but no value of this attribute is. */
  values: string[];
}

/** An element reported with `supported='yes|no'` and the enums of what it accepts. */
export interface SupportedBlock extends Extensible {
  /** The element name: `disk`, `gic`, `memoryBacking`… */
  name: string;
  /** Absent when libvirt did not say (or said something other than yes/no, kept as unknown). */
  supported?: boolean;
  enums: CapsEnum[];
}

export interface OsCapability extends SupportedBlock {
  loader?: LoaderCapability;
}

export interface LoaderCapability extends SupportedBlock {
  /** Firmware binaries found on the host. */
  values: string[];
}

export interface CpuCapability extends Extensible {
  /** host-passthrough, maximum, host-model, custom, in document order. */
  modes: CpuMode[];
}

export interface CpuMode extends Extensible {
  name: string;
  supported?: boolean;
  /** hostPassthroughMigratable, maximumMigratable. */
  enums: CapsEnum[];
  /** host-model: the CPU a guest gets. */
  model?: HostModelCpu;
  vendor?: string;
  maxPhysAddr?: CpuMaxPhysAddr;
  features: CpuFeaturePolicy[];
  /** custom: the models the hypervisor offers. */
  models: CustomCpuModel[];
}

export interface HostModelCpu extends Extensible {
  name: string;
  /** allow: the guest may see a different CPU; forbid: it sees exactly this one. */
  fallback?: string;
}

export interface CpuMaxPhysAddr extends Extensible {
  mode: string;
  bits?: number;
  limit?: number;
}

export interface CpuFeaturePolicy extends Extensible {
  /** require, disable… */
  policy: string;
  name: string;
}

export interface CustomCpuModel extends Extensible {
  name: string;
  /** yes, no or unknown (libvirt cannot tell). */
  usable: string;
  deprecated?: boolean;
  vendor?: string;
  canonical?: string;
  /** Features the host lacks for this model (`<blockers>`), when reported. */
  blockers?: string[];
}

export interface FeatureCapability extends SupportedBlock {
  /** `<sev supported='yes'>` details. */
  sev?: SevCapability;
  /** `<sgx supported='yes'>` details. */
  sgx?: SgxCapability;
}

export interface SevCapability {
  cbitpos?: number;
  reducedPhysBits?: number;
  maxGuests?: number;
  maxESGuests?: number;
  cpu0Id?: string;
}

export interface SgxCapability {
  flc?: boolean;
  sgx1?: boolean;
  sgx2?: boolean;
  /** Size of the enclave page cache. */
  sectionSize?: { value: number; unit: string };
  sections: SgxSection[];
}

export interface SgxSection extends Extensible {
  node: number;
  size: number;
  unit: string;
}
