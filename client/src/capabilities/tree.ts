// Capabilities model → display-neutral tree, shared by the VS Code tree view
// and the CLI. Labels name the libvirt element (plus its identifying value);
// descriptions carry the details (our words translated, libvirt's attribute names and values
// as they are); every leaf keeps its raw value and XPath.
import { t } from '../l10n';
import { formatIdList, formatSize, infoNode, nth, plural, rawAttributes, step, stepByText, trimDecimals, type InfoNode, type InfoNodeOptions } from '../info/node';
import { attributePlace, childPlace, unknownNodes as unknownInfoNodes, type XmlPlace } from '../info/unknown';
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

export type CapabilitiesTreeNode = InfoNode<CapabilitiesNodeKind>;

const ROOT: XmlPlace = { document: 'capabilities', xpath: '/capabilities' };

/** The host node (when reported), then one node per guest, then the storage pool types. */
export function capabilitiesTree(caps: Capabilities): CapabilitiesTreeNode[] {
  const nodes: CapabilitiesTreeNode[] = [];
  if (caps.host) nodes.push(hostNode(caps.host, childPlace(ROOT, 'host')));
  nodes.push(...caps.guests.map((g, i) => guestNode(g, childPlace(ROOT, nth('guest', i, caps.guests.length)))));
  if (caps.pool) {
    const place = childPlace(ROOT, 'pool');
    const types = caps.pool.types.join(', ');
    const source = childPlace(place, step('enum', ['name', 'type']));
    nodes.push(node('pool', t('pool types'), { description: types, value: types, source }, unknownNodes(caps.pool, place)));
  }
  nodes.push(...unknownNodes(caps, ROOT));
  return nodes;
}

function node(kind: CapabilitiesNodeKind, label: string, options: InfoNodeOptions = {}, children: CapabilitiesTreeNode[] = []): CapabilitiesTreeNode {
  return infoNode(kind, label, options, children);
}

function unknownNodes(object: Extensible, place: XmlPlace): CapabilitiesTreeNode[] {
  return unknownInfoNodes<CapabilitiesNodeKind>(object, place);
}

/** A row whose description is its raw value. */
function leaf(kind: CapabilitiesNodeKind, label: string, value: string, source: XmlPlace, tooltip?: string, children: CapabilitiesTreeNode[] = []): CapabilitiesTreeNode {
  return node(kind, label, { description: value, value, source, tooltip }, children);
}

function hostNode(host: Host, place: XmlPlace): CapabilitiesTreeNode {
  const children: CapabilitiesTreeNode[] = [];
  if (host.cpu) children.push(cpuNode(host.cpu, childPlace(place, 'cpu')));
  if (host.powerManagement) {
    const targets = host.powerManagement.length > 0 ? host.powerManagement.join(', ') : t('none');
    const value = host.powerManagement.join(' ');
    children.push(node('power-management', t('power management'), { description: targets, value, source: childPlace(place, 'power_management'), tooltip: t('Host suspend targets supported') }));
  }
  if (host.iommu) {
    const iommu = childPlace(place, 'iommu');
    const description = host.iommu.support ? t('supported') : t('not supported');
    children.push(node('iommu', 'iommu', { description, value: host.iommu.support ? 'yes' : 'no', source: attributePlace(iommu, 'support') }, unknownNodes(host.iommu, iommu)));
  }
  if (host.migration) {
    const m = host.migration;
    const migration = childPlace(place, 'migration_features');
    const parts = [m.live ? t('live') : t('offline only')];
    if (m.uriTransports.length > 0) parts.push(t('uri transports {0}', m.uriTransports.join(', ')));
    children.push(leaf('migration', 'migration', parts.join('; '), migration, undefined, unknownNodes(m, migration)));
  }
  if (host.netprefix !== undefined) {
    children.push(leaf('netprefix', 'netprefix', host.netprefix, childPlace(place, 'netprefix'), t('Prefix of host interface names the driver generates')));
  }
  if (host.numa) children.push(numaNode(host.numa, childPlace(place, 'topology')));
  if (host.cache) {
    const cache = host.cache;
    const cachePlace = childPlace(place, 'cache');
    const cacheChildren = cache.banks.map((b) => cacheBankNode(b, childPlace(cachePlace, step('bank', ['id', String(b.id)]))));
    if (cache.monitor) cacheChildren.push(monitorNode(cache.monitor, childPlace(cachePlace, 'monitor')));
    const description = plural(cache.banks.length, t('{0} bank'), t('{0} banks'));
    children.push(node('cache', 'cache', { description, value: String(cache.banks.length), source: cachePlace }, [...cacheChildren, ...unknownNodes(cache, cachePlace)]));
  }
  if (host.memoryBandwidth) children.push(memoryBandwidthNode(host.memoryBandwidth, childPlace(place, 'memory_bandwidth')));
  children.push(...host.secmodels.map((s, i) => secmodelNode(s, childPlace(place, nth('secmodel', i, host.secmodels.length)))));
  children.push(...unknownNodes(host, place));
  const uuid = host.uuid;
  return node('host', 'host', { description: uuid, value: uuid, source: uuid !== undefined ? childPlace(place, 'uuid') : place, tooltip: uuid !== undefined ? t('Host UUID {0}', uuid) : undefined }, children);
}

function cpuNode(cpu: HostCpu, place: XmlPlace): CapabilitiesTreeNode {
  const children: CapabilitiesTreeNode[] = [];
  if (cpu.topology) {
    const top = cpu.topology;
    const at = childPlace(place, 'topology');
    const parts = [plural(top.sockets, t('{0} socket'), t('{0} sockets'))];
    if (top.dies !== undefined) parts.push(plural(top.dies, t('{0} die'), t('{0} dies')));
    if (top.clusters !== undefined) parts.push(plural(top.clusters, t('{0} cluster'), t('{0} clusters')));
    parts.push(plural(top.cores, t('{0} core'), t('{0} cores')), plural(top.threads, t('{0} thread'), t('{0} threads')));
    const value = rawAttributes({ sockets: top.sockets, dies: top.dies, clusters: top.clusters, cores: top.cores, threads: top.threads });
    children.push(node('cpu-topology', 'topology', { description: parts.join(', '), value, source: at }, unknownNodes(top, at)));
  }
  if (cpu.signature) {
    const s = cpu.signature;
    const at = childPlace(place, 'signature');
    const description = `family ${s.family}, model ${s.model}, stepping ${s.stepping}`;
    const value = rawAttributes({ family: s.family, model: s.model, stepping: s.stepping });
    children.push(node('cpu-signature', 'signature', { description, value, source: at }, unknownNodes(s, at)));
  }
  if (cpu.microcode) {
    const at = childPlace(place, 'microcode');
    const version = cpu.microcode.version;
    children.push(node('microcode', 'microcode', { description: t('version {0}', version), value: version, source: attributePlace(at, 'version') }, unknownNodes(cpu.microcode, at)));
  }
  if (cpu.counter) {
    const c = cpu.counter;
    const at = childPlace(place, 'counter');
    const parts = [c.name];
    if (c.frequency !== undefined) parts.push(formatFrequency(c.frequency));
    if (c.scaling !== undefined) parts.push(c.scaling ? t('scaling') : t('no scaling'));
    const tooltip = c.frequency !== undefined ? `${c.frequency} Hz` : undefined;
    const value = rawAttributes({ name: c.name, frequency: c.frequency, scaling: c.scaling });
    children.push(node('counter', 'counter', { description: parts.join(', '), value, source: at, tooltip }, unknownNodes(c, at)));
  }
  if (cpu.maxPhysAddr) {
    const a = cpu.maxPhysAddr;
    const at = childPlace(place, 'maxphysaddr');
    const description = a.bits !== undefined ? t('{0}, {1} bits', a.mode, a.bits) : a.mode;
    children.push(node('maxphysaddr', 'maxphysaddr', { description, value: rawAttributes({ mode: a.mode, bits: a.bits }), source: at }, unknownNodes(a, at)));
  }
  if (cpu.flags.length > 0) {
    children.push(leaf('cpu-flags', 'flags', cpu.flags.join(', '), childPlace(place, 'features'), t('Old-style CPU feature flags')));
  }
  if (cpu.features.length > 0) {
    const features = cpu.features.map((name) => node('cpu-feature', name, { value: name, source: childPlace(place, step('feature', ['name', name])) }));
    const count = String(cpu.features.length);
    children.push(node('cpu-features', 'features', { description: count, value: count, source: childPlace(place, 'feature'), tooltip: t('Features beyond the CPU model') }, features));
  }
  if (cpu.pages.length > 0) {
    const sizes = cpu.pages.map((p) => formatSize(p.value, p.unit));
    const value = cpu.pages.map((p) => `${p.value} ${p.unit}`).join(', ');
    const at = childPlace(place, 'pages');
    children.push(node('pages', 'pages', { description: sizes.join(', '), value, source: at, tooltip: t('Supported memory page sizes') }, cpu.pages.flatMap((p) => unknownNodes(p, at))));
  }
  children.push(...unknownNodes(cpu, place));
  const description = [cpu.arch, cpu.model, cpu.vendor].filter((part) => part !== undefined).join(', ');
  return node('cpu', 'cpu', { description, value: description, source: place }, children);
}

function numaNode(numa: NumaTopology, place: XmlPlace): CapabilitiesTreeNode {
  const cells = childPlace(place, 'cells');
  const children = numa.cells.map((c) => numaCellNode(c, childPlace(cells, step('cell', ['id', String(c.id)]))));
  if (numa.interconnects) {
    const i = numa.interconnects;
    const at = childPlace(place, 'interconnects');
    const links = [
      ...i.latencies.map((l, n) => interconnectNode('latency', l, childPlace(at, nth('latency', n, i.latencies.length)))),
      ...i.bandwidths.map((b, n) => interconnectNode('bandwidth', b, childPlace(at, nth('bandwidth', n, i.bandwidths.length)))),
    ];
    children.push(node('interconnects', 'interconnects', { source: at }, [...links, ...unknownNodes(i, at)]));
  }
  children.push(...unknownNodes(numa, place));
  const count = numa.cells.length;
  return node('numa', t('NUMA topology'), { description: plural(count, t('{0} cell'), t('{0} cells')), value: String(count), source: cells }, children);
}

function interconnectNode(what: 'latency' | 'bandwidth', link: NumaInterconnect, place: XmlPlace): CapabilitiesTreeNode {
  const parts = [link.type, link.unit !== undefined ? `${link.value} ${link.unit}` : String(link.value)];
  if (link.cache !== undefined) parts.push(`cache L${link.cache}`);
  const value = rawAttributes({ initiator: link.initiator, target: link.target, cache: link.cache, type: link.type, value: link.value, unit: link.unit });
  return node('interconnect', `${what} ${link.initiator} -> ${link.target}`, { description: parts.join(', '), value, source: place }, unknownNodes(link, place));
}

function numaCellNode(cell: NumaCell, place: XmlPlace): CapabilitiesTreeNode {
  const children: CapabilitiesTreeNode[] = [];
  if (cell.pages.length > 0) {
    const at = childPlace(place, 'pages');
    const pages = cell.pages.map((p) => `${formatSize(p.size, p.unit)}: ${p.count}`);
    const value = cell.pages.map((p) => `${p.size} ${p.unit}: ${p.count}`).join(', ');
    children.push(node('pages', 'pages', { description: pages.join(', '), value, source: at, tooltip: t('Free pages per page size') }, cell.pages.flatMap((p) => unknownNodes(p, at))));
  }
  if (cell.distances.length > 0) {
    const at = childPlace(place, 'distances');
    const distances = cell.distances.map((d) => `${d.id}: ${d.value}`).join(', ');
    children.push(leaf('distances', 'distances', distances, at, undefined, cell.distances.flatMap((d) => unknownNodes(d, childPlace(at, step('sibling', ['id', String(d.id)]))))));
  }
  for (const cache of cell.caches) {
    const at = childPlace(place, step('cache', ['level', String(cache.level)]));
    const parts: string[] = [];
    if (cache.size) parts.push(formatSize(cache.size.value, cache.size.unit));
    if (cache.line) parts.push(t('line {0}', formatSize(cache.line.value, cache.line.unit)));
    if (cache.associativity !== undefined) parts.push(cache.associativity);
    if (cache.policy !== undefined) parts.push(cache.policy);
    const value = rawAttributes({ level: cache.level, associativity: cache.associativity, policy: cache.policy });
    children.push(node('numa-cache', `cache L${cache.level}`, { description: parts.join(', '), value, source: at }, unknownNodes(cache, at)));
  }
  if (cell.cpus.length > 0) {
    const at = childPlace(place, 'cpus');
    const ids = formatIdList(cell.cpus.map((c) => c.id));
    const cpus = cell.cpus.map((c) => numaCpuNode(c, childPlace(at, step('cpu', ['id', String(c.id)]))));
    children.push(node('numa-cpus', 'cpus', { description: ids, value: ids, source: at }, cpus));
  }
  children.push(...unknownNodes(cell, place));
  const parts: string[] = [];
  if (cell.memory) parts.push(formatSize(cell.memory.value, cell.memory.unit));
  parts.push(plural(cell.cpus.length, t('{0} CPU'), t('{0} CPUs')));
  const memory = cell.memory ? { value: `${cell.memory.value} ${cell.memory.unit}`, source: childPlace(place, 'memory') } : { source: place };
  return node('numa-cell', `cell ${cell.id}`, { description: parts.join(', '), ...memory }, children);
}

function numaCpuNode(cpu: NumaCpu, place: XmlPlace): CapabilitiesTreeNode {
  const parts: string[] = [];
  if (cpu.socketId !== undefined) parts.push(`socket ${cpu.socketId}`);
  if (cpu.dieId !== undefined) parts.push(`die ${cpu.dieId}`);
  if (cpu.clusterId !== undefined) parts.push(`cluster ${cpu.clusterId}`);
  if (cpu.coreId !== undefined) parts.push(`core ${cpu.coreId}`);
  if (cpu.siblings !== undefined) parts.push(`siblings ${cpu.siblings}`);
  const value = rawAttributes({ id: cpu.id, socket_id: cpu.socketId, die_id: cpu.dieId, cluster_id: cpu.clusterId, core_id: cpu.coreId, siblings: cpu.siblings });
  return node('numa-cpu', `cpu ${cpu.id}`, { description: parts.join(', '), value, source: place }, unknownNodes(cpu, place));
}

function cacheBankNode(bank: CacheBank, place: XmlPlace): CapabilitiesTreeNode {
  const controls = bank.controls.map((c, i) => {
    const at = childPlace(place, nth('control', i, bank.controls.length));
    const parts = [`granularity ${formatSize(c.granularity, c.unit)}`];
    if (c.min !== undefined) parts.push(`min ${formatSize(c.min, c.unit)}`);
    parts.push(c.type, `maxAllocs ${c.maxAllocs}`);
    const value = rawAttributes({ granularity: c.granularity, min: c.min, unit: c.unit, type: c.type, maxAllocs: c.maxAllocs });
    return node('cache-control', 'control', { description: parts.join(', '), value, source: at }, unknownNodes(c, at));
  });
  const description = `L${bank.level} ${bank.type}, ${formatSize(bank.size.value, bank.size.unit)}, cpus ${bank.cpus}`;
  const value = rawAttributes({ id: bank.id, level: bank.level, type: bank.type, size: bank.size.value, unit: bank.size.unit, cpus: bank.cpus });
  return node('cache-bank', `bank ${bank.id}`, { description, value, source: place }, [...controls, ...unknownNodes(bank, place)]);
}

function monitorNode(monitor: ResctrlMonitor, place: XmlPlace): CapabilitiesTreeNode {
  const parts: string[] = [];
  if (monitor.level !== undefined) parts.push(`L${monitor.level}`);
  parts.push(`maxMonitors ${monitor.maxMonitors}`);
  if (monitor.reuseThreshold !== undefined) parts.push(`reuseThreshold ${monitor.reuseThreshold}`);
  const features = monitor.features.map((name) => node('feature', name, { value: name, source: childPlace(place, step('feature', ['name', name])) }));
  const value = rawAttributes({ level: monitor.level, reuseThreshold: monitor.reuseThreshold, maxMonitors: monitor.maxMonitors });
  return node('monitor', 'monitor', { description: parts.join(', '), value, source: place }, [...features, ...unknownNodes(monitor, place)]);
}

function memoryBandwidthNode(bandwidth: MemoryBandwidth, place: XmlPlace): CapabilitiesTreeNode {
  const children = bandwidth.nodes.map((n) => {
    const at = childPlace(place, step('node', ['id', String(n.id)]));
    const parts = [`cpus ${n.cpus}`];
    if (n.control) {
      parts.push(`granularity ${n.control.granularity}%`);
      if (n.control.min !== undefined) parts.push(`min ${n.control.min}%`);
      parts.push(`maxAllocs ${n.control.maxAllocs}`);
    }
    const extra = [...unknownNodes(n, at), ...(n.control ? unknownNodes(n.control, childPlace(at, 'control')) : [])];
    const control = n.control ? ` ${rawAttributes({ granularity: n.control.granularity, min: n.control.min, maxAllocs: n.control.maxAllocs })}` : '';
    return node('memory-bandwidth-node', `node ${n.id}`, { description: parts.join(', '), value: `${rawAttributes({ id: n.id, cpus: n.cpus })}${control}`, source: at }, extra);
  });
  if (bandwidth.monitor) children.push(monitorNode(bandwidth.monitor, childPlace(place, 'monitor')));
  children.push(...unknownNodes(bandwidth, place));
  const count = bandwidth.nodes.length;
  return node('memory-bandwidth', t('memory bandwidth'), { description: plural(count, t('{0} node'), t('{0} nodes')), value: String(count), source: place }, children);
}

function secmodelNode(secmodel: Secmodel, place: XmlPlace): CapabilitiesTreeNode {
  const labels = secmodel.baselabels.map((b) => {
    const at = childPlace(place, step('baselabel', ['type', b.type]));
    return leaf('baselabel', `baselabel ${b.type}`, b.label, at, undefined, unknownNodes(b, at));
  });
  const description = secmodel.doi ? `doi ${secmodel.doi}` : undefined;
  return node('secmodel', `secmodel ${secmodel.model}`, { description, value: secmodel.model, source: childPlace(place, 'model') }, [...labels, ...unknownNodes(secmodel, place)]);
}

function guestNode(guest: Guest, place: XmlPlace): CapabilitiesTreeNode {
  const children = [archNode(guest.arch, childPlace(place, 'arch'))];
  if (guest.features.length > 0) {
    const at = childPlace(place, 'features');
    const count = String(guest.features.length);
    children.push(node('features', 'features', { description: count, value: count, source: at }, guest.features.map((f) => guestFeatureNode(f, childPlace(at, f.name)))));
  }
  children.push(...unknownNodes(guest, place));
  return node('guest', `guest ${guest.osType}`, { description: guest.arch.name, value: guest.osType, source: childPlace(place, 'os_type') }, children);
}

function archNode(arch: GuestArch, place: XmlPlace): CapabilitiesTreeNode {
  const children = [...defaultsNodes(arch, place), ...arch.domains.map((d) => domainNode(d, childPlace(place, step('domain', ['type', d.type])))), ...unknownNodes(arch, place)];
  const description = arch.wordsize !== undefined ? t('{0}-bit', arch.wordsize) : undefined;
  return node('arch', `arch ${arch.name}`, { description, value: arch.name, source: attributePlace(place, 'name') }, children);
}

function domainNode(domain: GuestDomain, place: XmlPlace): CapabilitiesTreeNode {
  const tooltip = t('A virtualization type (<domain type=…>) with what it overrides of the arch defaults');
  return node('domain', `domain ${domain.type}`, { value: domain.type, source: attributePlace(place, 'type'), tooltip }, [...defaultsNodes(domain, place), ...unknownNodes(domain, place)]);
}

/** Emulator, loader and machines: the arch's defaults, or a domain type's overrides. */
function defaultsNodes(info: { emulator?: string; loader?: string; machines: Machine[] }, place: XmlPlace): CapabilitiesTreeNode[] {
  const nodes: CapabilitiesTreeNode[] = [];
  if (info.emulator !== undefined) nodes.push(leaf('emulator', 'emulator', info.emulator, childPlace(place, 'emulator')));
  if (info.loader !== undefined) nodes.push(leaf('loader', 'loader', info.loader, childPlace(place, 'loader')));
  if (info.machines.length > 0) {
    const count = String(info.machines.length);
    const machines = info.machines.map((m) => machineNode(m, childPlace(place, stepByText('machine', m.name))));
    nodes.push(node('machines', 'machines', { description: count, value: count, source: childPlace(place, 'machine') }, machines));
  }
  return nodes;
}

function machineNode(machine: Machine, place: XmlPlace): CapabilitiesTreeNode {
  const parts: string[] = [];
  if (machine.canonical !== undefined) parts.push(t('alias of {0}', machine.canonical));
  if (machine.maxCpus !== undefined) parts.push(`maxCpus ${machine.maxCpus}`);
  if (machine.deprecated) parts.push(t('deprecated'));
  return node('machine', machine.name, { description: parts.join(', '), value: machine.name, source: place }, unknownNodes(machine, place));
}

function guestFeatureNode(feature: GuestFeature, place: XmlPlace): CapabilitiesTreeNode {
  const parts: string[] = [];
  if (feature.defaultOn !== undefined) parts.push(`default ${feature.defaultOn ? 'on' : 'off'}`);
  if (feature.toggle !== undefined) parts.push(`toggle ${feature.toggle ? 'yes' : 'no'}`);
  let tooltip: string | undefined;
  if (feature.toggle !== undefined) {
    tooltip = feature.toggle ? t('The domain XML may turn it on or off') : t('Fixed at its default');
  }
  const attributes = rawAttributes({ default: feature.defaultOn === undefined ? undefined : feature.defaultOn ? 'on' : 'off', toggle: feature.toggle });
  return node('feature', feature.name, { description: parts.join(', '), value: attributes || feature.name, source: place, tooltip }, unknownNodes(feature, place));
}

function formatFrequency(hertz: number): string {
  if (hertz >= 1e9) return `${trimDecimals(hertz / 1e9, 3)} GHz`;
  if (hertz >= 1e6) return `${trimDecimals(hertz / 1e6, 3)} MHz`;
  return `${hertz} Hz`;
}
