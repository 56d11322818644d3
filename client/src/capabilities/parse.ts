// Capabilities XML → typed model. The XML is first turned into plain XmlNode
// trees; an ElementReader then walks each element, remembering what it used,
// so whatever it did not use ends up in unknownElements/unknownAttributes.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type {
  Baselabel,
  CacheBank,
  CacheControl,
  Capabilities,
  CpuCounter,
  CpuSignature,
  CpuTopology,
  Extensible,
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
  XmlNode,
} from './model';

/** The input is not capabilities XML (not XML at all, or another document). */
export class CapabilitiesParseError extends Error {
  override readonly name = 'CapabilitiesParseError';

  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

const xmlParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

// Shape of fast-xml-parser's preserveOrder output: one key per entry (tag name
// or '#text'), attributes under ':@'.
type OrderedEntry = Record<string, unknown>;
const ATTRIBUTES_KEY = ':@';
const TEXT_KEY = '#text';

/** Parses any well-formed XML into element trees (one per top-level element). */
function parseXmlNodes(xml: string): XmlNode[] {
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const where = line !== undefined ? ` (line ${line}${col !== undefined ? `, column ${col}` : ''})` : '';
    throw new CapabilitiesParseError(`not well-formed XML: ${msg}${where}`, line, col);
  }
  let entries: OrderedEntry[];
  try {
    entries = xmlParser.parse(xml) as OrderedEntry[];
  } catch (error) {
    // The parser refuses some documents the validator lets through (names such
    // as __proto__, nesting deeper than 100, malformed DOCTYPE).
    throw new CapabilitiesParseError(`cannot parse XML: ${error instanceof Error ? error.message : String(error)}`);
  }
  return toXmlNodes(entries);
}

function toXmlNodes(entries: OrderedEntry[]): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const entry of entries) {
    const name = Object.keys(entry).find((key) => key !== ATTRIBUTES_KEY);
    if (name === undefined || name === TEXT_KEY) continue;
    nodes.push(toXmlNode(name, entry));
  }
  return nodes;
}

function toXmlNode(name: string, entry: OrderedEntry): XmlNode {
  const content = (entry[name] ?? []) as OrderedEntry[];
  const attributes: Record<string, string> = Object.fromEntries(
    Object.entries((entry[ATTRIBUTES_KEY] ?? {}) as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
  );
  const text = content
    .filter((item) => TEXT_KEY in item)
    .map((item) => String(item[TEXT_KEY]))
    .join('');
  const node: XmlNode = { name, attributes, children: toXmlNodes(content) };
  if (text !== '') node.text = text;
  return node;
}

/** Parses `virConnectGetCapabilities` XML. Throws CapabilitiesParseError if it is not that. */
export function parseCapabilities(xml: string): Capabilities {
  if (xml.trim() === '') throw new CapabilitiesParseError('capabilities XML is empty');
  const roots = parseXmlNodes(xml);
  if (roots.length !== 1) {
    throw new CapabilitiesParseError(`expected one root element, found ${roots.length}`);
  }
  const root = roots[0];
  if (root.name !== 'capabilities') {
    throw new CapabilitiesParseError(`expected a <capabilities> document, found <${root.name}>`);
  }
  const r = new ElementReader(root);
  const host = r.child('host');
  const pool = r.child('pool');
  return r.finish<Capabilities>({
    host: host && readHost(host),
    guests: r.children('guest').map(readGuest),
    pool: pool && readPool(pool),
  });
}

const INTEGER = /^\s*\d+\s*$/;

function toInteger(value: string | undefined): number | undefined {
  if (value === undefined || !INTEGER.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Walks one element. Attributes and children it hands out count as used; an
 * optional attribute that is malformed is left unused, so it is kept rather
 * than silently dropped. A child reader that is never finished (a wrapper
 * such as `<cells>`, or a text-only element) has its leftovers folded into
 * this element's unknownElements.
 */
class ElementReader {
  private readonly usedAttributes = new Set<string>();
  private readonly childReaders = new Map<XmlNode, ElementReader>();
  private finished = false;

  constructor(
    readonly node: XmlNode,
    private readonly parent?: ElementReader,
  ) {}

  text(): string {
    return this.node.text ?? '';
  }

  attribute(name: string): string | undefined {
    const value = this.node.attributes[name];
    if (value !== undefined) this.usedAttributes.add(name);
    return value;
  }

  requiredAttribute(name: string): string {
    const value = this.attribute(name);
    if (value === undefined) throw this.error(`missing attribute '${name}'`);
    return value;
  }

  integerAttribute(name: string): number | undefined {
    const value = toInteger(this.node.attributes[name]);
    if (value !== undefined) this.usedAttributes.add(name);
    return value;
  }

  requiredIntegerAttribute(name: string): number {
    const raw = this.requiredAttribute(name);
    const value = toInteger(raw);
    if (value === undefined) throw this.error(`attribute '${name}' is not a whole number: '${raw}'`);
    return value;
  }

  /** yes/no (or on/off) attribute; any other value stays unknown. */
  switchAttribute(name: string, on = 'yes', off = 'no'): boolean | undefined {
    const raw = this.node.attributes[name];
    if (raw !== on && raw !== off) return undefined;
    this.usedAttributes.add(name);
    return raw === on;
  }

  /** Marks attributes as understood although the model derives them (e.g. `num` counts). */
  ignore(...names: string[]): void {
    for (const name of names) this.usedAttributes.add(name);
  }

  requiredIntegerText(): number {
    const value = toInteger(this.node.text);
    if (value === undefined) throw this.error(`content is not a whole number: '${this.text()}'`);
    return value;
  }

  child(name: string): ElementReader | undefined {
    return this.children(name)[0];
  }

  requiredChild(name: string): ElementReader {
    const found = this.child(name);
    if (found === undefined) throw this.error(`missing <${name}>`);
    return found;
  }

  /** The first child named `name` matching `test`. */
  childWhere(name: string, test: (node: XmlNode) => boolean): ElementReader | undefined {
    const node = this.node.children.find((c) => c.name === name && !this.childReaders.has(c) && test(c));
    return node && this.readerFor(node);
  }

  /** All unused children named `name`. */
  children(name: string): ElementReader[] {
    return this.node.children.filter((c) => c.name === name && !this.childReaders.has(c)).map((c) => this.readerFor(c));
  }

  /** All unused children, whatever their name. */
  allChildren(): ElementReader[] {
    return this.node.children.filter((c) => !this.childReaders.has(c)).map((c) => this.readerFor(c));
  }

  childText(name: string): string | undefined {
    return this.child(name)?.text();
  }

  /** Names of all children: flag lists such as `<features><pae/></features>`. */
  flagNames(): string[] {
    return this.allChildren().map((c) => c.node.name);
  }

  /** The model object plus this element's unknown content, undefined fields removed. */
  finish<T extends Extensible>(fields: T): T {
    this.finished = true;
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) result[key] = value;
    }
    const unknownAttributes = this.unknownAttributes();
    if (unknownAttributes !== undefined) result.unknownAttributes = unknownAttributes;
    const unknownElements = this.unknownElements();
    if (unknownElements.length > 0) result.unknownElements = unknownElements;
    return result as T;
  }

  error(message: string): CapabilitiesParseError {
    return new CapabilitiesParseError(`${this.path()}: ${message}`);
  }

  /** XPath-like location for messages, e.g. `/capabilities/guest[2]/arch`. */
  private path(): string {
    if (this.parent === undefined) return `/${this.node.name}`;
    const sameName = this.parent.node.children.filter((c) => c.name === this.node.name);
    const index = sameName.length > 1 ? `[${sameName.indexOf(this.node) + 1}]` : '';
    return `${this.parent.path()}/${this.node.name}${index}`;
  }

  private readerFor(node: XmlNode): ElementReader {
    let reader = this.childReaders.get(node);
    if (reader === undefined) {
      reader = new ElementReader(node, this);
      this.childReaders.set(node, reader);
    }
    return reader;
  }

  private unknownAttributes(): Record<string, string> | undefined {
    const entries = Object.entries(this.node.attributes).filter(([name]) => !this.usedAttributes.has(name));
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }

  private unknownElements(): XmlNode[] {
    const kept: XmlNode[] = [];
    for (const child of this.node.children) {
      const reader = this.childReaders.get(child);
      if (reader === undefined) kept.push(child);
      else if (!reader.finished) {
        const leftover = reader.leftover();
        if (leftover !== undefined) kept.push(leftover);
      }
    }
    return kept;
  }

  /** A copy of this element holding only its unknown children; attributes and text are kept for context. */
  private leftover(): XmlNode | undefined {
    const children = this.unknownElements();
    if (children.length === 0 && this.unknownAttributes() === undefined) return undefined;
    const copy: XmlNode = { name: this.node.name, attributes: { ...this.node.attributes }, children };
    if (this.node.text !== undefined) copy.text = this.node.text;
    return copy;
  }
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
