// Capabilities XML → typed model, read with the shared ElementReader (../xml), so whatever
// it does not know ends up in unknownElements/unknownAttributes.
import { ElementReader, XmlDocumentError, readXmlRoot } from '../xml/document';
import type {
  Baselabel,
  CacheBank,
  CacheControl,
  Capabilities,
  CpuCounter,
  CpuSignature,
  CpuTopology,
  Guest,
  GuestArch,
  GuestDomain,
  GuestFeature,
  Host,
  HostCache,
  HostCpu,
  Iommu,
  Machine,
  MaxPhysAddr,
  MemoryBandwidth,
  MemoryBandwidthControl,
  MemoryBandwidthNode,
  Microcode,
  MigrationFeatures,
  NumaCache,
  NumaCell,
  NumaCpu,
  NumaDistance,
  NumaInterconnect,
  NumaInterconnects,
  NumaPages,
  NumaTopology,
  Quantity,
  ResctrlMonitor,
  Secmodel,
  StoragePoolCapabilities,
} from './model';

/** The input is not capabilities XML (not XML at all, or another document). */
export class CapabilitiesParseError extends XmlDocumentError {
  override readonly name = 'CapabilitiesParseError';
}

const capabilitiesError = (message: string, line?: number, column?: number) => new CapabilitiesParseError(message, line, column);

/** Parses `virConnectGetCapabilities` XML. Throws CapabilitiesParseError if it is not that. */
export function parseCapabilities(xml: string): Capabilities {
  const r = readXmlRoot(xml, 'capabilities', 'capabilities XML', capabilitiesError);
  const host = r.child('host');
  const pool = r.child('pool');
  return r.finish<Capabilities>({
    host: host && readHost(host),
    guests: r.children('guest').map(readGuest),
    pool: pool && readPool(pool),
  });
}

function readHost(r: ElementReader): Host {
  const cpu = r.child('cpu');
  const powerManagement = r.child('power_management');
  const iommu = r.child('iommu');
  const migration = r.child('migration_features');
  const topology = r.child('topology');
  const cache = r.child('cache');
  const memoryBandwidth = r.child('memory_bandwidth');
  return r.finish<Host>({
    uuid: r.childText('uuid'),
    cpu: cpu && readHostCpu(cpu),
    powerManagement: powerManagement?.flagNames(),
    iommu: iommu && readIommu(iommu),
    migration: migration && readMigration(migration),
    netprefix: r.childText('netprefix'),
    numa: topology && readNuma(topology),
    cache: cache && readHostCache(cache),
    memoryBandwidth: memoryBandwidth && readMemoryBandwidth(memoryBandwidth),
    secmodels: r.children('secmodel').map(readSecmodel),
  });
}

function readHostCpu(r: ElementReader): HostCpu {
  const microcode = r.child('microcode');
  const signature = r.child('signature');
  const counter = r.child('counter');
  const topology = r.child('topology');
  const maxPhysAddr = r.child('maxphysaddr');
  return r.finish<HostCpu>({
    arch: r.childText('arch'),
    model: r.childText('model'),
    vendor: r.childText('vendor'),
    microcode: microcode && microcode.finish<Microcode>({ version: microcode.requiredAttribute('version') }),
    signature: signature && readSignature(signature),
    counter: counter && readCounter(counter),
    topology: topology && readCpuTopology(topology),
    maxPhysAddr: maxPhysAddr && readMaxPhysAddr(maxPhysAddr),
    flags: r.child('features')?.flagNames() ?? [],
    features: r.children('feature').map((f) => f.requiredAttribute('name')),
    pages: r.children('pages').map(readPageSize),
  });
}

function readPageSize(r: ElementReader): Quantity {
  return r.finish<Quantity>({ value: r.requiredIntegerAttribute('size'), unit: r.attribute('unit') ?? 'KiB' });
}

function readSignature(r: ElementReader): CpuSignature {
  return r.finish<CpuSignature>({
    family: r.requiredIntegerAttribute('family'),
    model: r.requiredIntegerAttribute('model'),
    stepping: r.requiredIntegerAttribute('stepping'),
  });
}

function readCounter(r: ElementReader): CpuCounter {
  return r.finish<CpuCounter>({
    name: r.requiredAttribute('name'),
    frequency: r.integerAttribute('frequency'),
    scaling: r.switchAttribute('scaling'),
  });
}

function readCpuTopology(r: ElementReader): CpuTopology {
  return r.finish<CpuTopology>({
    sockets: r.requiredIntegerAttribute('sockets'),
    dies: r.integerAttribute('dies'),
    clusters: r.integerAttribute('clusters'),
    cores: r.requiredIntegerAttribute('cores'),
    threads: r.requiredIntegerAttribute('threads'),
  });
}

function readMaxPhysAddr(r: ElementReader): MaxPhysAddr {
  return r.finish<MaxPhysAddr>({ mode: r.requiredAttribute('mode'), bits: r.integerAttribute('bits') });
}

function readIommu(r: ElementReader): Iommu {
  const support = r.switchAttribute('support');
  if (support === undefined) throw r.error(`attribute 'support' must be yes or no`);
  return r.finish<Iommu>({ support });
}

function readMigration(r: ElementReader): MigrationFeatures {
  const live = r.child('live');
  if (live !== undefined) live.finish({});
  return r.finish<MigrationFeatures>({
    live: live !== undefined,
    uriTransports: r.child('uri_transports')?.children('uri_transport').map((t) => t.text()) ?? [],
  });
}

function readNuma(r: ElementReader): NumaTopology {
  const cells = r.child('cells');
  cells?.ignore('num');
  const interconnects = r.child('interconnects');
  return r.finish<NumaTopology>({
    cells: cells?.children('cell').map(readNumaCell) ?? [],
    interconnects: interconnects && readInterconnects(interconnects),
  });
}

function readNumaCell(r: ElementReader): NumaCell {
  const memory = r.child('memory');
  const cpus = r.child('cpus');
  cpus?.ignore('num');
  return r.finish<NumaCell>({
    id: r.requiredIntegerAttribute('id'),
    memory: memory && readMemory(memory),
    pages: r.children('pages').map(readNumaPages),
    distances: r.child('distances')?.children('sibling').map(readDistance) ?? [],
    caches: r.children('cache').map(readNumaCache),
    cpus: cpus?.children('cpu').map(readNumaCpu) ?? [],
  });
}

function readMemory(r: ElementReader): Quantity {
  return r.finish<Quantity>({ value: r.requiredIntegerText(), unit: r.attribute('unit') ?? 'KiB' });
}

function readNumaPages(r: ElementReader): NumaPages {
  return r.finish<NumaPages>({
    size: r.requiredIntegerAttribute('size'),
    unit: r.attribute('unit') ?? 'KiB',
    count: r.requiredIntegerText(),
  });
}

function readDistance(r: ElementReader): NumaDistance {
  return r.finish<NumaDistance>({ id: r.requiredIntegerAttribute('id'), value: r.requiredIntegerAttribute('value') });
}

function readNumaCache(r: ElementReader): NumaCache {
  const size = r.child('size');
  const line = r.child('line');
  return r.finish<NumaCache>({
    level: r.requiredIntegerAttribute('level'),
    associativity: r.attribute('associativity'),
    policy: r.attribute('policy'),
    size: size && readValueUnit(size),
    line: line && readValueUnit(line),
  });
}

function readValueUnit(r: ElementReader): Quantity {
  return r.finish<Quantity>({ value: r.requiredIntegerAttribute('value'), unit: r.requiredAttribute('unit') });
}

function readNumaCpu(r: ElementReader): NumaCpu {
  return r.finish<NumaCpu>({
    id: r.requiredIntegerAttribute('id'),
    socketId: r.integerAttribute('socket_id'),
    dieId: r.integerAttribute('die_id'),
    clusterId: r.integerAttribute('cluster_id'),
    coreId: r.integerAttribute('core_id'),
    siblings: r.attribute('siblings'),
  });
}

function readInterconnects(r: ElementReader): NumaInterconnects {
  return r.finish<NumaInterconnects>({
    latencies: r.children('latency').map(readInterconnect),
    bandwidths: r.children('bandwidth').map(readInterconnect),
  });
}

function readInterconnect(r: ElementReader): NumaInterconnect {
  return r.finish<NumaInterconnect>({
    initiator: r.requiredIntegerAttribute('initiator'),
    target: r.requiredIntegerAttribute('target'),
    cache: r.integerAttribute('cache'),
    type: r.requiredAttribute('type'),
    value: r.requiredIntegerAttribute('value'),
    unit: r.attribute('unit'),
  });
}

function readHostCache(r: ElementReader): HostCache {
  const monitor = r.child('monitor');
  return r.finish<HostCache>({
    banks: r.children('bank').map(readCacheBank),
    monitor: monitor && readMonitor(monitor),
  });
}

function readCacheBank(r: ElementReader): CacheBank {
  return r.finish<CacheBank>({
    id: r.requiredIntegerAttribute('id'),
    level: r.requiredIntegerAttribute('level'),
    type: r.requiredAttribute('type'),
    size: { value: r.requiredIntegerAttribute('size'), unit: r.requiredAttribute('unit') },
    cpus: r.requiredAttribute('cpus'),
    controls: r.children('control').map(readCacheControl),
  });
}

function readCacheControl(r: ElementReader): CacheControl {
  return r.finish<CacheControl>({
    granularity: r.requiredIntegerAttribute('granularity'),
    min: r.integerAttribute('min'),
    unit: r.requiredAttribute('unit'),
    type: r.requiredAttribute('type'),
    maxAllocs: r.requiredIntegerAttribute('maxAllocs'),
  });
}

function readMonitor(r: ElementReader): ResctrlMonitor {
  return r.finish<ResctrlMonitor>({
    level: r.integerAttribute('level'),
    reuseThreshold: r.integerAttribute('reuseThreshold'),
    maxMonitors: r.requiredIntegerAttribute('maxMonitors'),
    features: r.children('feature').map((f) => f.requiredAttribute('name')),
  });
}

function readMemoryBandwidth(r: ElementReader): MemoryBandwidth {
  const monitor = r.child('monitor');
  return r.finish<MemoryBandwidth>({
    nodes: r.children('node').map(readMemoryBandwidthNode),
    monitor: monitor && readMonitor(monitor),
  });
}

function readMemoryBandwidthNode(r: ElementReader): MemoryBandwidthNode {
  const control = r.child('control');
  return r.finish<MemoryBandwidthNode>({
    id: r.requiredIntegerAttribute('id'),
    cpus: r.requiredAttribute('cpus'),
    control:
      control &&
      control.finish<MemoryBandwidthControl>({
        granularity: control.requiredIntegerAttribute('granularity'),
        min: control.integerAttribute('min'),
        maxAllocs: control.requiredIntegerAttribute('maxAllocs'),
      }),
  });
}

function readSecmodel(r: ElementReader): Secmodel {
  return r.finish<Secmodel>({
    model: r.requiredChild('model').text(),
    doi: r.childText('doi'),
    baselabels: r.children('baselabel').map(readBaselabel),
  });
}

function readBaselabel(r: ElementReader): Baselabel {
  return r.finish<Baselabel>({ type: r.requiredAttribute('type'), label: r.text() });
}

function readGuest(r: ElementReader): Guest {
  return r.finish<Guest>({
    osType: r.requiredChild('os_type').text(),
    arch: readGuestArch(r.requiredChild('arch')),
    features: r.child('features')?.allChildren().map(readGuestFeature) ?? [],
  });
}

function readGuestArch(r: ElementReader): GuestArch {
  const wordsize = r.child('wordsize');
  return r.finish<GuestArch>({
    name: r.requiredAttribute('name'),
    wordsize: wordsize?.requiredIntegerText(),
    emulator: r.childText('emulator'),
    loader: r.childText('loader'),
    machines: r.children('machine').map(readMachine),
    domains: r.children('domain').map(readGuestDomain),
  });
}

function readMachine(r: ElementReader): Machine {
  const name = r.text();
  if (name === '') throw r.error('machine without a name');
  return r.finish<Machine>({
    name,
    canonical: r.attribute('canonical'),
    maxCpus: r.integerAttribute('maxCpus'),
    deprecated: r.switchAttribute('deprecated'),
  });
}

function readGuestDomain(r: ElementReader): GuestDomain {
  return r.finish<GuestDomain>({
    type: r.requiredAttribute('type'),
    emulator: r.childText('emulator'),
    loader: r.childText('loader'),
    machines: r.children('machine').map(readMachine),
  });
}

function readGuestFeature(r: ElementReader): GuestFeature {
  return r.finish<GuestFeature>({
    name: r.node.name,
    defaultOn: r.switchAttribute('default', 'on', 'off'),
    toggle: r.switchAttribute('toggle'),
  });
}

function readPool(r: ElementReader): StoragePoolCapabilities {
  const typeEnum = r.childWhere('enum', (node) => node.attributes.name === 'type');
  typeEnum?.ignore('name');
  return r.finish<StoragePoolCapabilities>({
    types: typeEnum?.children('value').map((v) => v.text()) ?? [],
  });
}
