// Domain capabilities model → display-neutral tree (the "Domain capabilities" node of the
// Hypervisors view). Labels use libvirt's element and enum names; descriptions say what is
// supported; tooltips say which part of a domain XML an enum governs (formatdomaincaps).
import { formatSize, infoNode, nth, plural, rawAttributes, step, stepByText, type InfoNode, type InfoNodeOptions } from '../info/node';
import { attributePlace, childPlace, unknownNodes as unknownInfoNodes, type XmlPlace } from '../info/unknown';
import type { Extensible } from '../xml/document';
import type { CapsEnum, CpuCapability, CpuMode, CustomCpuModel, DomainCapabilities, FeatureCapability, LoaderCapability, OsCapability, SupportedBlock } from './model';

export type DomainCapsNodeKind =
  | 'emulator'
  | 'domain-type'
  | 'machine'
  | 'arch'
  | 'vcpu'
  | 'iothreads'
  | 'os'
  | 'loader'
  | 'loader-values'
  | 'loader-value'
  | 'enum'
  | 'cpu'
  | 'cpu-mode'
  | 'cpu-model'
  | 'cpu-vendor'
  | 'maxphysaddr'
  | 'cpu-features'
  | 'cpu-feature'
  | 'cpu-blockers'
  | 'memory-backing'
  | 'devices'
  | 'device'
  | 'features'
  | 'feature'
  | 'feature-detail'
  | 'sgx-sections'
  | 'sgx-section'
  /** An element the model does not know (newer libvirt), shown as found. */
  | 'element'
  /** An attribute the model does not know. */
  | 'attribute';

export type DomainCapsTreeNode = InfoNode<DomainCapsNodeKind>;

const ROOT: XmlPlace = { document: 'domainCapabilities', xpath: '/domainCapabilities' };

/** Which part of a domain XML each enum lists the accepted values of (`element.enum`). */
const ENUM_DOCS: Readonly<Record<string, string>> = {
  'os.firmware': 'Values of <os firmware=…> (firmware auto-selection; only firmware with a descriptor file on the host)',
  'loader.type': 'Values of <loader type=…>: rom (BIOS) or pflash (UEFI)',
  'loader.readonly': 'Values of <loader readonly=…>',
  'loader.secure': 'Values of <loader secure=…> (yes only with Secure Boot firmware)',
  'host-passthrough.hostPassthroughMigratable': "Values of <cpu mode='host-passthrough' migratable=…>",
  'maximum.maximumMigratable': "Values of <cpu mode='maximum' migratable=…>",
  'memoryBacking.sourceType': 'Values of <memoryBacking><source type=…>',
  'disk.diskDevice': 'Values of <disk device=…>',
  'disk.bus': 'Values of <disk><target bus=…>',
  'disk.model': 'Values of <disk model=…>',
  'graphics.type': 'Values of <graphics type=…>',
  'video.modelType': 'Values of <video><model type=…>',
  'hostdev.mode': 'Values of <hostdev mode=…>',
  'hostdev.startupPolicy': 'Values of <hostdev><source startupPolicy=…>',
  'hostdev.subsysType': "Values of <hostdev mode='subsystem' type=…>",
  'hostdev.capsType': "Values of <hostdev mode='capabilities' type=…>",
  'hostdev.pciBackend': 'Values of <hostdev><driver name=…>',
  'rng.model': 'Values of <rng model=…>',
  'rng.backendModel': 'Values of <rng><backend model=…>',
  'filesystem.driverType': 'Values of <filesystem><driver type=…>',
  'tpm.model': 'Values of <tpm model=…>',
  'tpm.backendModel': 'Values of <tpm><backend type=…>',
  'tpm.backendVersion': 'Values of <tpm><backend version=…>',
  'redirdev.bus': 'Values of <redirdev bus=…>',
  'channel.type': 'Values of <channel type=…>',
  'crypto.model': 'Values of <crypto model=…>',
  'crypto.type': 'Values of <crypto type=…>',
  'crypto.backendModel': 'Values of <crypto><backend model=…>',
  'interface.backendType': 'Values of <interface><backend type=…>',
  'panic.model': 'Values of <panic model=…>',
  'console.type': 'Values of <console type=…>',
  'gic.version': 'Values of <features><gic version=…>',
  'hyperv.features': 'Children of <features><hyperv> (Hyper-V enlightenments)',
  'launchSecurity.sectype': 'Values of <launchSecurity type=…>',
};

/** What each device and feature element reports on. */
const ELEMENT_DOCS: Readonly<Record<string, string>> = {
  iothreads: 'I/O threads (<iothreads>)',
  os: 'Firmware and boot loader choices (<os>)',
  loader: 'Boot loader (<os><loader>)',
  memoryBacking: 'Memory backing (<memoryBacking>)',
  disk: 'Hard drives, floppies, CD-ROMs (<disk>)',
  graphics: 'Graphical framebuffers (<graphics>)',
  video: 'Video devices (<video>)',
  hostdev: 'Host device assignment: USB, PCI, SCSI passthrough (<hostdev>)',
  rng: 'Random number generators (<rng>)',
  filesystem: 'Shared host directories (<filesystem>)',
  tpm: 'TPM devices (<tpm>)',
  redirdev: 'USB redirection (<redirdev>)',
  channel: 'Host–guest channels (<channel>)',
  crypto: 'Crypto devices (<crypto>)',
  interface: 'Network interfaces (<interface>)',
  panic: 'Panic devices (<panic>)',
  console: 'Consoles (<console>)',
  gic: 'ARM Generic Interrupt Controller (<features><gic>)',
  vmcoreinfo: 'Whether the vmcoreinfo feature can be enabled (<features><vmcoreinfo>)',
  genid: 'VM generation ID (<genid>)',
  backingStoreInput: 'Whether the hypervisor obeys <disk><backingStore> when booting or hotplugging',
  backup: 'Backups and checkpoints (virDomainBackupBegin, virDomainCheckpointCreateXML)',
  'async-teardown': 'Asynchronous teardown (<features><async-teardown>)',
  's390-pv': 's390 Protected Virtualization (<launchSecurity type=\'s390-pv\'>)',
  ps2: 'PS/2 controller (<features><ps2>)',
  sev: "AMD Secure Encrypted Virtualization (<launchSecurity type='sev'>)",
  sgx: 'Intel Software Guard Extensions: enclave page cache (<memory model=\'sgx-epc\'>)',
  hyperv: 'Hyper-V enlightenments for Windows guests (<features><hyperv>)',
  launchSecurity: 'Launch security types (<launchSecurity>)',
};

const CPU_MODE_DOCS: Readonly<Record<string, string>> = {
  'host-passthrough': "<cpu mode='host-passthrough'>: the host CPU exactly",
  maximum: "<cpu mode='maximum'>: every feature the hypervisor can offer",
  'host-model': "<cpu mode='host-model'>: the CPU a guest gets, close to the host's",
  custom: "<cpu mode='custom'>: the named models the hypervisor offers",
};

const DETAIL_DOCS: Readonly<Record<string, string>> = {
  cbitpos: 'Position of the C-bit that marks an encrypted page',
  reducedPhysBits: 'Physical address bits lost when memory encryption is on',
  maxGuests: 'How many SEV guests the host can run',
  maxESGuests: 'How many SEV-ES guests the host can run',
  cpu0Id: 'Identifier of the host CPU, for attestation',
  flc: 'Flexible Launch Control',
  sgx1: 'SGX version 1',
  sgx2: 'SGX version 2',
  section_size: 'Size of the enclave page cache (EPC)',
};

/** The rows under a "Domain capabilities" node. */
export function domainCapabilitiesTree(caps: DomainCapabilities): DomainCapsTreeNode[] {
  const nodes: DomainCapsTreeNode[] = [];
  if (caps.path !== undefined) nodes.push(leaf('emulator', 'emulator', caps.path, childPlace(ROOT, 'path'), 'The emulator binary (<path>)'));
  nodes.push(leaf('domain-type', 'domain type', caps.domain, childPlace(ROOT, 'domain'), 'The virtualization type (<domain type=…>)'));
  if (caps.machine !== undefined) nodes.push(leaf('machine', 'machine', caps.machine, childPlace(ROOT, 'machine'), 'The machine type (<os><type machine=…>)'));
  nodes.push(leaf('arch', 'arch', caps.arch, childPlace(ROOT, 'arch')));
  if (caps.vcpu) {
    const at = childPlace(ROOT, 'vcpu');
    const max = String(caps.vcpu.max);
    nodes.push(node('vcpu', 'max vCPUs', { description: max, value: max, source: attributePlace(at, 'max'), tooltip: 'Most virtual CPUs a domain of this machine type can have' }, unknownNodes(caps.vcpu, at)));
  }
  if (caps.iothreads) nodes.push(blockNode('iothreads', caps.iothreads, childPlace(ROOT, 'iothreads')));
  if (caps.os) nodes.push(osNode(caps.os, childPlace(ROOT, 'os')));
  if (caps.cpu) nodes.push(cpuNode(caps.cpu, childPlace(ROOT, 'cpu')));
  if (caps.memoryBacking) nodes.push(blockNode('memory-backing', caps.memoryBacking, childPlace(ROOT, 'memoryBacking'), 'memory backing'));
  if (caps.devices) nodes.push(groupNode('devices', caps.devices, childPlace(ROOT, 'devices'), (d, at) => blockNode('device', d, at)));
  if (caps.features) nodes.push(groupNode('features', caps.features, childPlace(ROOT, 'features'), featureNode));
  nodes.push(...unknownNodes(caps, ROOT));
  return nodes;
}

function node(kind: DomainCapsNodeKind, label: string, options: InfoNodeOptions = {}, children: DomainCapsTreeNode[] = []): DomainCapsTreeNode {
  return infoNode(kind, label, options, children);
}

function leaf(kind: DomainCapsNodeKind, label: string, value: string, source: XmlPlace, tooltip?: string, children: DomainCapsTreeNode[] = []): DomainCapsTreeNode {
  return node(kind, label, { description: value, value, source, tooltip }, children);
}

function unknownNodes(object: Extensible, place: XmlPlace): DomainCapsTreeNode[] {
  return unknownInfoNodes<DomainCapsNodeKind>(object, place);
}

function supportedWords(supported: boolean | undefined): { description: string; icon?: string } {
  if (supported === undefined) return { description: 'support not reported' };
  return supported ? { description: 'supported', icon: 'pass' } : { description: 'not supported', icon: 'circle-slash' };
}

/** A `supported='…'` element: its verdict; its enums between the `before` and `after` rows. */
function blockNode(kind: DomainCapsNodeKind, block: SupportedBlock, place: XmlPlace, label = block.name, rows: { before?: DomainCapsTreeNode[]; after?: DomainCapsTreeNode[] } = {}): DomainCapsTreeNode {
  const { description, icon } = supportedWords(block.supported);
  const value = block.supported === undefined ? undefined : block.supported ? 'yes' : 'no';
  const enums = block.enums.map((e) => enumNode(block.name, e, childPlace(place, step('enum', ['name', e.name]))));
  const children = [...(rows.before ?? []), ...enums, ...(rows.after ?? []), ...unknownNodes(block, place)];
  return node(kind, label, { description, value, source: value !== undefined ? attributePlace(place, 'supported') : place, icon, tooltip: ELEMENT_DOCS[block.name] }, children);
}

function enumNode(owner: string, e: CapsEnum, place: XmlPlace): DomainCapsTreeNode {
  const values = e.values.join(', ');
  return node('enum', e.name, { description: values === '' ? 'none' : values, value: values, source: place, tooltip: ENUM_DOCS[`${owner}.${e.name}`] }, unknownNodes(e, place));
}

/** devices and features: one row each, with how many are supported. */
function groupNode<T extends SupportedBlock>(kind: 'devices' | 'features', blocks: T[], place: XmlPlace, row: (block: T, at: XmlPlace) => DomainCapsTreeNode): DomainCapsTreeNode {
  const supported = blocks.filter((b) => b.supported).length;
  const description = `${supported} of ${blocks.length} supported`;
  const children = blocks.map((b) => {
    const sameName = blocks.filter((o) => o.name === b.name);
    return row(b, childPlace(place, nth(b.name, sameName.indexOf(b), sameName.length)));
  });
  return node(kind, kind, { description, value: String(supported), source: place }, children);
}

function osNode(os: OsCapability, place: XmlPlace): DomainCapsTreeNode {
  const after = os.loader ? [loaderNode(os.loader, childPlace(place, 'loader'))] : [];
  return blockNode('os', os, place, 'os', { after });
}

function loaderNode(loader: LoaderCapability, place: XmlPlace): DomainCapsTreeNode {
  const before: DomainCapsTreeNode[] = [];
  if (loader.values.length > 0) {
    const files = loader.values.map((path) => node('loader-value', path, { value: path, source: childPlace(place, stepByText('value', path)), tooltip: 'Firmware binary found on the host' }));
    const count = String(loader.values.length);
    before.push(node('loader-values', 'values', { description: count, value: count, source: childPlace(place, 'value'), tooltip: 'Firmware binaries found on the host (<loader><value>)' }, files));
  }
  return blockNode('loader', loader, place, 'loader', { before });
}

function cpuNode(cpu: CpuCapability, place: XmlPlace): DomainCapsTreeNode {
  const modes = cpu.modes.map((m) => cpuModeNode(m, childPlace(place, step('mode', ['name', m.name]))));
  const supported = cpu.modes.filter((m) => m.supported).map((m) => m.name);
  const description = supported.length > 0 ? supported.join(', ') : 'no mode supported';
  return node('cpu', 'cpu', { description, value: supported.join(', '), source: place, tooltip: 'CPU modes a domain may ask for (<cpu mode=…>)' }, [...modes, ...unknownNodes(cpu, place)]);
}

function cpuModeNode(mode: CpuMode, place: XmlPlace): DomainCapsTreeNode {
  const children: DomainCapsTreeNode[] = mode.enums.map((e) => enumNode(mode.name, e, childPlace(place, step('enum', ['name', e.name]))));
  const verdict = supportedWords(mode.supported);
  let description = verdict.description;
  if (mode.model) {
    const at = childPlace(place, 'model');
    const detail = mode.model.fallback !== undefined ? `${mode.model.name}, fallback ${mode.model.fallback}` : mode.model.name;
    const tooltip = mode.model.fallback === 'forbid' ? 'The guest sees exactly this CPU' : mode.model.fallback === 'allow' ? 'The guest may see a different CPU: not every hypervisor specific was accounted for' : undefined;
    children.push(node('cpu-model', 'model', { description: detail, value: mode.model.name, source: at, tooltip }, unknownNodes(mode.model, at)));
    description = [mode.model.name, mode.vendor].filter((p) => p !== undefined).join(', ');
  }
  if (mode.vendor !== undefined) children.push(leaf('cpu-vendor', 'vendor', mode.vendor, childPlace(place, 'vendor')));
  if (mode.maxPhysAddr) {
    const a = mode.maxPhysAddr;
    const at = childPlace(place, 'maxphysaddr');
    const parts = [a.mode];
    if (a.bits !== undefined) parts.push(`${a.bits} bits`);
    if (a.limit !== undefined) parts.push(`limit ${a.limit} bits`);
    children.push(node('maxphysaddr', 'maxphysaddr', { description: parts.join(', '), value: rawAttributes({ mode: a.mode, bits: a.bits, limit: a.limit }), source: at }, unknownNodes(a, at)));
  }
  if (mode.features.length > 0) {
    const features = mode.features.map((f) => {
      const at = childPlace(place, step('feature', ['name', f.name]));
      return node('cpu-feature', f.name, { description: f.policy, value: f.policy, source: attributePlace(at, 'policy') }, unknownNodes(f, at));
    });
    const count = String(mode.features.length);
    children.push(node('cpu-features', 'features', { description: count, value: count, source: childPlace(place, 'feature'), tooltip: 'Features required or disabled on top of the model' }, features));
  }
  if (mode.models.length > 0) {
    const usable = mode.models.filter((m) => m.usable === 'yes').length;
    const unknown = mode.models.filter((m) => m.usable === 'unknown').length;
    const parts = [plural(mode.models.length, 'model')];
    if (unknown < mode.models.length) parts.push(`${usable} usable`);
    if (unknown > 0) parts.push(unknown === mode.models.length ? 'usability unknown' : `${unknown} of unknown usability`);
    description = parts.join(', ');
    const sorted = [...mode.models].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true, sensitivity: 'base' }));
    children.push(...sorted.map((m) => customModelNode(m, place)));
  }
  children.push(...unknownNodes(mode, place));
  const value = mode.supported === undefined ? undefined : mode.supported ? 'yes' : 'no';
  return node('cpu-mode', mode.name, { description, value, source: value !== undefined ? attributePlace(place, 'supported') : place, icon: verdict.icon, tooltip: CPU_MODE_DOCS[mode.name] }, children);
}

const USABLE: Readonly<Record<string, { words: string; icon: string }>> = {
  yes: { words: 'usable', icon: 'pass' },
  no: { words: 'not usable', icon: 'circle-slash' },
  unknown: { words: 'usability unknown', icon: 'question' },
};

function customModelNode(model: CustomCpuModel, modePlace: XmlPlace): DomainCapsTreeNode {
  const place = childPlace(modePlace, stepByText('model', model.name));
  const usable = USABLE[model.usable] ?? { words: `usable '${model.usable}'`, icon: 'question' };
  const parts = [usable.words];
  if (model.vendor !== undefined && model.vendor !== 'unknown') parts.push(model.vendor);
  if (model.deprecated) parts.push('deprecated');
  if (model.canonical !== undefined) parts.push(`alias of ${model.canonical}`);
  const children: DomainCapsTreeNode[] = [];
  if (model.blockers && model.blockers.length > 0) {
    const blockers = model.blockers.join(', ');
    const at = childPlace(modePlace, step('blockers', ['model', model.name]));
    children.push(leaf('cpu-blockers', 'blockers', blockers, at, 'Features the host lacks for this model'));
  }
  children.push(...unknownNodes(model, place));
  const tooltip = model.usable === 'no' ? 'Usable only with some of its features disabled' : undefined;
  return node('cpu-model', model.name, { description: parts.join(', '), value: model.name, source: place, icon: usable.icon, tooltip }, children);
}

function featureNode(feature: FeatureCapability, place: XmlPlace): DomainCapsTreeNode {
  const details: DomainCapsTreeNode[] = [];
  const detail = (name: string, value: string | undefined, description = value): void => {
    if (value !== undefined) details.push(node('feature-detail', name, { description, value, source: childPlace(place, name), tooltip: DETAIL_DOCS[name] }));
  };
  if (feature.sev) {
    const s = feature.sev;
    detail('cbitpos', s.cbitpos?.toString());
    detail('reducedPhysBits', s.reducedPhysBits?.toString());
    detail('maxGuests', s.maxGuests?.toString());
    detail('maxESGuests', s.maxESGuests?.toString());
    detail('cpu0Id', s.cpu0Id);
  }
  if (feature.sgx) {
    const s = feature.sgx;
    const yesNo = (v: boolean | undefined) => (v === undefined ? undefined : v ? 'yes' : 'no');
    detail('flc', yesNo(s.flc));
    detail('sgx1', yesNo(s.sgx1));
    detail('sgx2', yesNo(s.sgx2));
    if (s.sectionSize) detail('section_size', `${s.sectionSize.value} ${s.sectionSize.unit}`, formatSize(s.sectionSize.value, s.sectionSize.unit));
    if (s.sections.length > 0) {
      const at = childPlace(place, 'sections');
      const sections = s.sections.map((sec) => {
        const sectionAt = childPlace(at, step('section', ['node', String(sec.node)]));
        return node('sgx-section', `node ${sec.node}`, { description: formatSize(sec.size, sec.unit), value: `${sec.size} ${sec.unit}`, source: sectionAt, tooltip: 'Enclave page cache on this NUMA node' }, unknownNodes(sec, sectionAt));
      });
      details.push(node('sgx-sections', 'sections', { description: String(s.sections.length), value: String(s.sections.length), source: at }, sections));
    }
  }
  return blockNode('feature', feature, place, feature.name, { after: details });
}
