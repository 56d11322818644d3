// Capabilities model → display-neutral tree, shared by the VS Code tree view
// and the CLI. Labels name the libvirt element (plus its identifying value);
// descriptions carry the details.
import type {
  CacheBank,
  Capabilities,
  Extensible,
  Guest,
  GuestArch,
  GuestDomain,
  GuestFeature,
  Host,
  HostCpu,
  Machine,
  MemoryBandwidth,
  NumaCell,
  NumaCpu,
  NumaInterconnect,
  NumaTopology,
  ResctrlMonitor,
  Secmodel,
  XmlNode,
} from './model';

export type CapabilitiesNodeKind =
  | 'host'
  | 'cpu'
  | 'cpu-topology'
  | 'cpu-signature'
  | 'microcode'
  | 'counter'
  | 'maxphysaddr'
  | 'cpu-flags'
  | 'cpu-features'
  | 'cpu-feature'
  | 'pages'
  | 'power-management'
  | 'iommu'
  | 'migration'
  | 'netprefix'
  | 'numa'
  | 'numa-cell'
  | 'distances'
  | 'numa-cache'
  | 'numa-cpus'
  | 'numa-cpu'
  | 'interconnects'
  | 'interconnect'
  | 'cache'
  | 'cache-bank'
  | 'cache-control'
  | 'monitor'
  | 'memory-bandwidth'
  | 'memory-bandwidth-node'
  | 'secmodel'
  | 'baselabel'
  | 'guest'
  | 'arch'
  | 'emulator'
  | 'loader'
  | 'machines'
  | 'machine'
  | 'domain'
  | 'features'
  | 'feature'
  | 'pool'
  /** An element the model does not know (newer libvirt), shown as found. */
  | 'element'
  /** An attribute the model does not know. */
  | 'attribute';

export interface CapabilitiesTreeNode {
  label: string;
  description?: string;
  tooltip?: string;
  kind: CapabilitiesNodeKind;
  children: CapabilitiesTreeNode[];
}

/** The host node (when reported), then one node per guest, then the storage pool types. */
export function capabilitiesTree(caps: Capabilities): CapabilitiesTreeNode[] {
  const nodes: CapabilitiesTreeNode[] = [];
  if (caps.host) nodes.push(hostNode(caps.host));
  nodes.push(...caps.guests.map(guestNode));
  if (caps.pool) {
    nodes.push(node('pool', 'pool types', caps.pool.types.join(', '), unknownNodes(caps.pool)));
  }
  nodes.push(...unknownNodes(caps));
  return nodes;
}

/** Indented text: two spaces per level, `label  description`, one node per line. */
export function formatTree(nodes: CapabilitiesTreeNode[]): string {
  const lines: string[] = [];
  const walk = (list: CapabilitiesTreeNode[], depth: number): void => {
    for (const n of list) {
      const description = n.description ? `  ${n.description}` : '';
      lines.push(`${'  '.repeat(depth)}${n.label}${description}`);
      walk(n.children, depth + 1);
    }
  };
  walk(nodes, 0);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

function node(
  kind: CapabilitiesNodeKind,
  label: string,
  description?: string,
  children: CapabilitiesTreeNode[] = [],
  tooltip?: string,
): CapabilitiesTreeNode {
  const result: CapabilitiesTreeNode = { label, kind, children };
  if (description !== undefined && description !== '') result.description = description;
  if (tooltip !== undefined) result.tooltip = tooltip;
  return result;
}

function hostNode(host: Host): CapabilitiesTreeNode {
  const children: CapabilitiesTreeNode[] = [];
  if (host.cpu) children.push(cpuNode(host.cpu));
  if (host.powerManagement) {
    const targets = host.powerManagement.length > 0 ? host.powerManagement.join(', ') : 'none';
    children.push(node('power-management', 'power management', targets, [], 'Host suspend targets supported'));
  }
  if (host.iommu) {
    children.push(node('iommu', 'iommu', host.iommu.support ? 'supported' : 'not supported', unknownNodes(host.iommu)));
  }
  if (host.migration) {
    const m = host.migration;
    const parts = [m.live ? 'live' : 'offline only'];
    if (m.uriTransports.length > 0) parts.push(`uri transports ${m.uriTransports.join(', ')}`);
    children.push(node('migration', 'migration', parts.join('; '), unknownNodes(m)));
  }
  if (host.netprefix !== undefined) {
    const tooltip = 'Prefix of host interface names the driver generates';
    children.push(node('netprefix', 'netprefix', host.netprefix, [], tooltip));
  }
  if (host.numa) children.push(numaNode(host.numa));
  if (host.cache) {
    const cache = host.cache;
    const cacheChildren = cache.banks.map(cacheBankNode);
    if (cache.monitor) cacheChildren.push(monitorNode(cache.monitor));
    children.push(node('cache', 'cache', plural(cache.banks.length, 'bank'), [...cacheChildren, ...unknownNodes(cache)]));
  }
  if (host.memoryBandwidth) children.push(memoryBandwidthNode(host.memoryBandwidth));
  children.push(...host.secmodels.map(secmodelNode));
  children.push(...unknownNodes(host));
  return node('host', 'host', host.uuid, children, host.uuid !== undefined ? `Host UUID ${host.uuid}` : undefined);
}

function cpuNode(cpu: HostCpu): CapabilitiesTreeNode {
  const children: CapabilitiesTreeNode[] = [];
  if (cpu.topology) {
    const t = cpu.topology;
    const parts = [plural(t.sockets, 'socket')];
    if (t.dies !== undefined) parts.push(plural(t.dies, 'die'));
    if (t.clusters !== undefined) parts.push(plural(t.clusters, 'cluster'));
    parts.push(plural(t.cores, 'core'), plural(t.threads, 'thread'));
    children.push(node('cpu-topology', 'topology', parts.join(', '), unknownNodes(t)));
  }
  if (cpu.signature) {
    const s = cpu.signature;
    children.push(
      node('cpu-signature', 'signature', `family ${s.family}, model ${s.model}, stepping ${s.stepping}`, unknownNodes(s)),
    );
  }
  if (cpu.microcode) {
    children.push(node('microcode', 'microcode', `version ${cpu.microcode.version}`, unknownNodes(cpu.microcode)));
  }
  if (cpu.counter) {
    const c = cpu.counter;
    const parts = [c.name];
    if (c.frequency !== undefined) parts.push(formatFrequency(c.frequency));
    if (c.scaling !== undefined) parts.push(c.scaling ? 'scaling' : 'no scaling');
    const tooltip = c.frequency !== undefined ? `${c.frequency} Hz` : undefined;
    children.push(node('counter', 'counter', parts.join(', '), unknownNodes(c), tooltip));
  }
  if (cpu.maxPhysAddr) {
    const a = cpu.maxPhysAddr;
    const description = a.bits !== undefined ? `${a.mode}, ${a.bits} bits` : a.mode;
    children.push(node('maxphysaddr', 'maxphysaddr', description, unknownNodes(a)));
  }
  if (cpu.flags.length > 0) {
    children.push(node('cpu-flags', 'flags', cpu.flags.join(', '), [], 'Old-style CPU feature flags'));
  }
  if (cpu.features.length > 0) {
    const features = cpu.features.map((name) => node('cpu-feature', name));
    children.push(node('cpu-features', 'features', String(cpu.features.length), features, 'Features beyond the CPU model'));
  }
  if (cpu.pages.length > 0) {
    const sizes = cpu.pages.map((p) => formatSize(p.value, p.unit));
    children.push(node('pages', 'pages', sizes.join(', '), cpu.pages.flatMap(unknownNodes), 'Supported memory page sizes'));
  }
  children.push(...unknownNodes(cpu));
  const description = [cpu.arch, cpu.model, cpu.vendor].filter((part) => part !== undefined).join(', ');
  return node('cpu', 'cpu', description, children);
}

function numaNode(numa: NumaTopology): CapabilitiesTreeNode {
  const children = numa.cells.map(numaCellNode);
  if (numa.interconnects) {
    const i = numa.interconnects;
    const links = [
      ...i.latencies.map((l) => interconnectNode('latency', l)),
      ...i.bandwidths.map((b) => interconnectNode('bandwidth', b)),
    ];
    children.push(node('interconnects', 'interconnects', undefined, [...links, ...unknownNodes(i)]));
  }
  children.push(...unknownNodes(numa));
  return node('numa', 'NUMA topology', plural(numa.cells.length, 'cell'), children);
}

function interconnectNode(what: 'latency' | 'bandwidth', link: NumaInterconnect): CapabilitiesTreeNode {
  const parts = [link.type, link.unit !== undefined ? `${link.value} ${link.unit}` : String(link.value)];
  if (link.cache !== undefined) parts.push(`cache L${link.cache}`);
  return node('interconnect', `${what} ${link.initiator} -> ${link.target}`, parts.join(', '), unknownNodes(link));
}

function numaCellNode(cell: NumaCell): CapabilitiesTreeNode {
  const children: CapabilitiesTreeNode[] = [];
  if (cell.pages.length > 0) {
    const pages = cell.pages.map((p) => `${formatSize(p.size, p.unit)}: ${p.count}`);
    children.push(node('pages', 'pages', pages.join(', '), cell.pages.flatMap(unknownNodes), 'Free pages per page size'));
  }
  if (cell.distances.length > 0) {
    const distances = cell.distances.map((d) => `${d.id}: ${d.value}`);
    children.push(node('distances', 'distances', distances.join(', '), cell.distances.flatMap(unknownNodes)));
  }
  for (const cache of cell.caches) {
    const parts: string[] = [];
    if (cache.size) parts.push(formatSize(cache.size.value, cache.size.unit));
    if (cache.line) parts.push(`line ${formatSize(cache.line.value, cache.line.unit)}`);
    if (cache.associativity !== undefined) parts.push(cache.associativity);
    if (cache.policy !== undefined) parts.push(cache.policy);
    children.push(node('numa-cache', `cache L${cache.level}`, parts.join(', '), unknownNodes(cache)));
  }
  if (cell.cpus.length > 0) {
    const ids = cell.cpus.map((c) => c.id);
    children.push(node('numa-cpus', 'cpus', formatIdList(ids), cell.cpus.map(numaCpuNode)));
  }
  children.push(...unknownNodes(cell));
  const parts: string[] = [];
  if (cell.memory) parts.push(formatSize(cell.memory.value, cell.memory.unit));
  parts.push(plural(cell.cpus.length, 'CPU'));
  return node('numa-cell', `cell ${cell.id}`, parts.join(', '), children);
}

function numaCpuNode(cpu: NumaCpu): CapabilitiesTreeNode {
  const parts: string[] = [];
  if (cpu.socketId !== undefined) parts.push(`socket ${cpu.socketId}`);
  if (cpu.dieId !== undefined) parts.push(`die ${cpu.dieId}`);
  if (cpu.clusterId !== undefined) parts.push(`cluster ${cpu.clusterId}`);
  if (cpu.coreId !== undefined) parts.push(`core ${cpu.coreId}`);
  if (cpu.siblings !== undefined) parts.push(`siblings ${cpu.siblings}`);
  return node('numa-cpu', `cpu ${cpu.id}`, parts.join(', '), unknownNodes(cpu));
}

function cacheBankNode(bank: CacheBank): CapabilitiesTreeNode {
  const controls = bank.controls.map((c) => {
    const parts = [`granularity ${formatSize(c.granularity, c.unit)}`];
    if (c.min !== undefined) parts.push(`min ${formatSize(c.min, c.unit)}`);
    parts.push(c.type, `maxAllocs ${c.maxAllocs}`);
    return node('cache-control', 'control', parts.join(', '), unknownNodes(c));
  });
  const description = `L${bank.level} ${bank.type}, ${formatSize(bank.size.value, bank.size.unit)}, cpus ${bank.cpus}`;
  return node('cache-bank', `bank ${bank.id}`, description, [...controls, ...unknownNodes(bank)]);
}

function monitorNode(monitor: ResctrlMonitor): CapabilitiesTreeNode {
  const parts: string[] = [];
  if (monitor.level !== undefined) parts.push(`L${monitor.level}`);
  parts.push(`maxMonitors ${monitor.maxMonitors}`);
  if (monitor.reuseThreshold !== undefined) parts.push(`reuseThreshold ${monitor.reuseThreshold}`);
  const features = monitor.features.map((name) => node('feature', name));
  return node('monitor', 'monitor', parts.join(', '), [...features, ...unknownNodes(monitor)]);
}

function memoryBandwidthNode(bandwidth: MemoryBandwidth): CapabilitiesTreeNode {
  const children = bandwidth.nodes.map((n) => {
    const parts = [`cpus ${n.cpus}`];
    if (n.control) {
      parts.push(`granularity ${n.control.granularity}%`);
      if (n.control.min !== undefined) parts.push(`min ${n.control.min}%`);
      parts.push(`maxAllocs ${n.control.maxAllocs}`);
    }
    const extra = [...unknownNodes(n), ...(n.control ? unknownNodes(n.control) : [])];
    return node('memory-bandwidth-node', `node ${n.id}`, parts.join(', '), extra);
  });
  if (bandwidth.monitor) children.push(monitorNode(bandwidth.monitor));
  children.push(...unknownNodes(bandwidth));
  return node('memory-bandwidth', 'memory bandwidth', plural(bandwidth.nodes.length, 'node'), children);
}

function secmodelNode(secmodel: Secmodel): CapabilitiesTreeNode {
  const labels = secmodel.baselabels.map((b) => node('baselabel', `baselabel ${b.type}`, b.label, unknownNodes(b)));
  const description = secmodel.doi ? `doi ${secmodel.doi}` : undefined;
  return node('secmodel', `secmodel ${secmodel.model}`, description, [...labels, ...unknownNodes(secmodel)]);
}

function guestNode(guest: Guest): CapabilitiesTreeNode {
  const children = [archNode(guest.arch)];
  if (guest.features.length > 0) {
    children.push(node('features', 'features', String(guest.features.length), guest.features.map(guestFeatureNode)));
  }
  children.push(...unknownNodes(guest));
  return node('guest', `guest ${guest.osType}`, guest.arch.name, children);
}

function archNode(arch: GuestArch): CapabilitiesTreeNode {
  const children = [...defaultsNodes(arch), ...arch.domains.map(domainNode), ...unknownNodes(arch)];
  const description = arch.wordsize !== undefined ? `${arch.wordsize}-bit` : undefined;
  return node('arch', `arch ${arch.name}`, description, children);
}

function domainNode(domain: GuestDomain): CapabilitiesTreeNode {
  return node('domain', `domain ${domain.type}`, undefined, [...defaultsNodes(domain), ...unknownNodes(domain)]);
}

/** Emulator, loader and machines: the arch's defaults, or a domain type's overrides. */
function defaultsNodes(info: { emulator?: string; loader?: string; machines: Machine[] }): CapabilitiesTreeNode[] {
  const nodes: CapabilitiesTreeNode[] = [];
  if (info.emulator !== undefined) nodes.push(node('emulator', 'emulator', info.emulator));
  if (info.loader !== undefined) nodes.push(node('loader', 'loader', info.loader));
  if (info.machines.length > 0) {
    nodes.push(node('machines', 'machines', String(info.machines.length), info.machines.map(machineNode)));
  }
  return nodes;
}

function machineNode(machine: Machine): CapabilitiesTreeNode {
  const parts: string[] = [];
  if (machine.canonical !== undefined) parts.push(`alias of ${machine.canonical}`);
  if (machine.maxCpus !== undefined) parts.push(`maxCpus ${machine.maxCpus}`);
  if (machine.deprecated) parts.push('deprecated');
  return node('machine', machine.name, parts.join(', '), unknownNodes(machine));
}

function guestFeatureNode(feature: GuestFeature): CapabilitiesTreeNode {
  const parts: string[] = [];
  if (feature.defaultOn !== undefined) parts.push(`default ${feature.defaultOn ? 'on' : 'off'}`);
  if (feature.toggle !== undefined) parts.push(`toggle ${feature.toggle ? 'yes' : 'no'}`);
  let tooltip: string | undefined;
  if (feature.toggle !== undefined) {
    tooltip = feature.toggle ? 'The domain XML may turn it on or off' : 'Fixed at its default';
  }
  return node('feature', feature.name, parts.join(', '), unknownNodes(feature), tooltip);
}

const NOT_MODELLED = 'Not modelled by this extension (reported by a newer libvirt?)';

function unknownNodes(object: Extensible): CapabilitiesTreeNode[] {
  const attributes = Object.entries(object.unknownAttributes ?? {}).map(([name, value]) =>
    node('attribute', name, value, [], NOT_MODELLED),
  );
  return [...attributes, ...(object.unknownElements ?? []).map(elementNode)];
}

function elementNode(element: XmlNode): CapabilitiesTreeNode {
  const parts = Object.entries(element.attributes).map(([name, value]) => `${name}='${value}'`);
  if (element.text !== undefined) parts.push(element.text);
  return node('element', element.name, parts.join(' '), element.children.map(elementNode), NOT_MODELLED);
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** `2048 KiB` → `2 MiB`; units libvirt does not use are printed as given. */
export function formatSize(value: number, unit: string): string {
  const power = BINARY_UNITS.indexOf(unit);
  if (power < 0 || value === 0) return `${value} ${unit}`;
  const bytes = value * 1024 ** power;
  let target = 0;
  while (target + 1 < BINARY_UNITS.length && bytes >= 1024 ** (target + 1)) target++;
  return `${trimDecimals(bytes / 1024 ** target)} ${BINARY_UNITS[target]}`;
}

function formatFrequency(hertz: number): string {
  if (hertz >= 1e9) return `${trimDecimals(hertz / 1e9, 3)} GHz`;
  if (hertz >= 1e6) return `${trimDecimals(hertz / 1e6, 3)} MHz`;
  return `${hertz} Hz`;
}

function trimDecimals(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}

/** Ids in libvirt's cpuset notation: `0-3,8,10-11`. */
export function formatIdList(ids: number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return ranges.join(',');
}
