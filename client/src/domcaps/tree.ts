// Domain capabilities model → display-neutral tree (the "Domain capabilities" node of the
// Hypervisors view). Labels use libvirt's element and enum names; descriptions say what is
// supported; tooltips say which part of a domain XML an enum governs (formatdomaincaps).
import { t } from '../l10n';
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
function enumDocs(): Readonly<Record<string, string>> {
  return {
    'os.firmware': t('Values of <os firmware=…> (firmware auto-selection; only firmware with a descriptor file on the host)'),
    'loader.type': t('Values of <loader type=…>: rom (BIOS) or pflash (UEFI)'),
    'loader.readonly': t('Values of <loader readonly=…>'),
    'loader.secure': t('Values of <loader secure=…> (yes only with Secure Boot firmware)'),
    'host-passthrough.hostPassthroughMigratable': t("Values of <cpu mode='host-passthrough' migratable=…>"),
    'maximum.maximumMigratable': t("Values of <cpu mode='maximum' migratable=…>"),
    'memoryBacking.sourceType': t('Values of <memoryBacking><source type=…>'),
    'disk.diskDevice': t('Values of <disk device=…>'),
    'disk.bus': t('Values of <disk><target bus=…>'),
    'disk.model': t('Values of <disk model=…>'),
    'graphics.type': t('Values of <graphics type=…>'),
    'video.modelType': t('Values of <video><model type=…>'),
    'hostdev.mode': t('Values of <hostdev mode=…>'),
    'hostdev.startupPolicy': t('Values of <hostdev><source startupPolicy=…>'),
    'hostdev.subsysType': t("Values of <hostdev mode='subsystem' type=…>"),
    'hostdev.capsType': t("Values of <hostdev mode='capabilities' type=…>"),
    'hostdev.pciBackend': t('Values of <hostdev><driver name=…>'),
    'rng.model': t('Values of <rng model=…>'),
    'rng.backendModel': t('Values of <rng><backend model=…>'),
    'filesystem.driverType': t('Values of <filesystem><driver type=…>'),
    'tpm.model': t('Values of <tpm model=…>'),
    'tpm.backendModel': t('Values of <tpm><backend type=…>'),
    'tpm.backendVersion': t('Values of <tpm><backend version=…>'),
    'redirdev.bus': t('Values of <redirdev bus=…>'),
    'channel.type': t('Values of <channel type=…>'),
    'crypto.model': t('Values of <crypto model=…>'),
    'crypto.type': t('Values of <crypto type=…>'),
    'crypto.backendModel': t('Values of <crypto><backend model=…>'),
    'interface.backendType': t('Values of <interface><backend type=…>'),
    'panic.model': t('Values of <panic model=…>'),
    'console.type': t('Values of <console type=…>'),
    'gic.version': t('Values of <features><gic version=…>'),
    'hyperv.features': t('Children of <features><hyperv> (Hyper-V enlightenments)'),
    'launchSecurity.sectype': t('Values of <launchSecurity type=…>'),
  };
}

/** What each device and feature element reports on. */
function elementDocs(): Readonly<Record<string, string>> {
  return {
    iothreads: t('I/O threads (<iothreads>)'),
    os: t('Firmware and boot loader choices (<os>)'),
    loader: t('Boot loader (<os><loader>)'),
    memoryBacking: t('Memory backing (<memoryBacking>)'),
    disk: t('Hard drives, floppies, CD-ROMs (<disk>)'),
    graphics: t('Graphical framebuffers (<graphics>)'),
    video: t('Video devices (<video>)'),
    hostdev: t('Host device assignment: USB, PCI, SCSI passthrough (<hostdev>)'),
    rng: t('Random number generators (<rng>)'),
    filesystem: t('Shared host directories (<filesystem>)'),
    tpm: t('TPM devices (<tpm>)'),
    redirdev: t('USB redirection (<redirdev>)'),
    channel: t('Host–guest channels (<channel>)'),
    crypto: t('Crypto devices (<crypto>)'),
    interface: t('Network interfaces (<interface>)'),
    panic: t('Panic devices (<panic>)'),
    console: t('Consoles (<console>)'),
    gic: t('ARM Generic Interrupt Controller (<features><gic>)'),
    vmcoreinfo: t('Whether the vmcoreinfo feature can be enabled (<features><vmcoreinfo>)'),
    genid: t('VM generation ID (<genid>)'),
    backingStoreInput: t('Whether the hypervisor obeys <disk><backingStore> when booting or hotplugging'),
    backup: t('Backups and checkpoints (virDomainBackupBegin, virDomainCheckpointCreateXML)'),
    'async-teardown': t('Asynchronous teardown (<features><async-teardown>)'),
    's390-pv': t('s390 Protected Virtualization (<launchSecurity type=\'s390-pv\'>)'),
    ps2: t('PS/2 controller (<features><ps2>)'),
    sev: t("AMD Secure Encrypted Virtualization (<launchSecurity type='sev'>)"),
    sgx: t('Intel Software Guard Extensions: enclave page cache (<memory model=\'sgx-epc\'>)'),
    hyperv: t('Hyper-V enlightenments for Windows guests (<features><hyperv>)'),
    launchSecurity: t('Launch security types (<launchSecurity>)'),
  };
}

function cpuModeDocs(): Readonly<Record<string, string>> {
  return {
    'host-passthrough': t("<cpu mode='host-passthrough'>: the host CPU exactly"),
    maximum: t("<cpu mode='maximum'>: every feature the hypervisor can offer"),
    'host-model': t("<cpu mode='host-model'>: the CPU a guest gets, close to the host's"),
    custom: t("<cpu mode='custom'>: the named models the hypervisor offers"),
  };
}

function detailDocs(): Readonly<Record<string, string>> {
  return {
    cbitpos: t('Position of the C-bit that marks an encrypted page'),
    reducedPhysBits: t('Physical address bits lost when memory encryption is on'),
    maxGuests: t('How many SEV guests the host can run'),
    maxESGuests: t('How many SEV-ES guests the host can run'),
    cpu0Id: t('Identifier of the host CPU, for attestation'),
    flc: t('Flexible Launch Control'),
    sgx1: t('SGX version 1'),
    sgx2: t('SGX version 2'),
    section_size: t('Size of the enclave page cache (EPC)'),
  };
}

/** The rows under a "Domain capabilities" node. */
export function domainCapabilitiesTree(caps: DomainCapabilities): DomainCapsTreeNode[] {
  const nodes: DomainCapsTreeNode[] = [];
  if (caps.path !== undefined) nodes.push(leaf('emulator', 'emulator', caps.path, childPlace(ROOT, 'path'), t('The emulator binary (<path>)')));
  nodes.push(leaf('domain-type', t('domain type'), caps.domain, childPlace(ROOT, 'domain'), t('The virtualization type (<domain type=…>)')));
  if (caps.machine !== undefined) nodes.push(leaf('machine', 'machine', caps.machine, childPlace(ROOT, 'machine'), t('The machine type (<os><type machine=…>)')));
  nodes.push(leaf('arch', 'arch', caps.arch, childPlace(ROOT, 'arch')));
  if (caps.vcpu) {
    const at = childPlace(ROOT, 'vcpu');
    const max = String(caps.vcpu.max);
    nodes.push(node('vcpu', t('max vCPUs'), { description: max, value: max, source: attributePlace(at, 'max'), tooltip: t('Most virtual CPUs a domain of this machine type can have') }, unknownNodes(caps.vcpu, at)));
  }
  if (caps.iothreads) nodes.push(blockNode('iothreads', caps.iothreads, childPlace(ROOT, 'iothreads')));
  if (caps.os) nodes.push(osNode(caps.os, childPlace(ROOT, 'os')));
  if (caps.cpu) nodes.push(cpuNode(caps.cpu, childPlace(ROOT, 'cpu')));
  if (caps.memoryBacking) nodes.push(blockNode('memory-backing', caps.memoryBacking, childPlace(ROOT, 'memoryBacking'), t('memory backing')));
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
  if (supported === undefined) return { description: t('support not reported') };
  return supported ? { description: t('supported'), icon: 'pass' } : { description: t('not supported'), icon: 'circle-slash' };
}

/** A `supported='…'` element: its verdict; its enums between the `before` and `after` rows. */
function blockNode(kind: DomainCapsNodeKind, block: SupportedBlock, place: XmlPlace, label = block.name, rows: { before?: DomainCapsTreeNode[]; after?: DomainCapsTreeNode[] } = {}): DomainCapsTreeNode {
  const { description, icon } = supportedWords(block.supported);
  const value = block.supported === undefined ? undefined : block.supported ? 'yes' : 'no';
  const enums = block.enums.map((e) => enumNode(block.name, e, childPlace(place, step('enum', ['name', e.name]))));
  const children = [...(rows.before ?? []), ...enums, ...(rows.after ?? []), ...unknownNodes(block, place)];
  return node(kind, label, { description, value, source: value !== undefined ? attributePlace(place, 'supported') : place, icon, tooltip: elementDocs()[block.name] }, children);
}

function enumNode(owner: string, e: CapsEnum, place: XmlPlace): DomainCapsTreeNode {
  const values = e.values.join(', ');
  return node('enum', e.name, { description: values === '' ? t('none') : values, value: values, source: place, tooltip: enumDocs()[`${owner}.${e.name}`] }, unknownNodes(e, place));
}

/** devices and features: one row each, with how many are supported. */
function groupNode<T extends SupportedBlock>(kind: 'devices' | 'features', blocks: T[], place: XmlPlace, row: (block: T, at: XmlPlace) => DomainCapsTreeNode): DomainCapsTreeNode {
  const supported = blocks.filter((b) => b.supported).length;
  const description = t('{0} of {1} supported', supported, blocks.length);
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
    const files = loader.values.map((path) => node('loader-value', path, { value: path, source: childPlace(place, stepByText('value', path)), tooltip: t('Firmware binary found on the host') }));
    const count = String(loader.values.length);
    before.push(node('loader-values', 'values', { description: count, value: count, source: childPlace(place, 'value'), tooltip: t('Firmware binaries found on the host (<loader><value>)') }, files));
  }
  return blockNode('loader', loader, place, 'loader', { before });
}

function cpuNode(cpu: CpuCapability, place: XmlPlace): DomainCapsTreeNode {
  const modes = cpu.modes.map((m) => cpuModeNode(m, childPlace(place, step('mode', ['name', m.name]))));
  const supported = cpu.modes.filter((m) => m.supported).map((m) => m.name);
  const description = supported.length > 0 ? supported.join(', ') : t('no mode supported');
  return node('cpu', 'cpu', { description, value: supported.join(', '), source: place, tooltip: t('CPU modes a domain may ask for (<cpu mode=…>)') }, [...modes, ...unknownNodes(cpu, place)]);
}

function cpuModeNode(mode: CpuMode, place: XmlPlace): DomainCapsTreeNode {
  const children: DomainCapsTreeNode[] = mode.enums.map((e) => enumNode(mode.name, e, childPlace(place, step('enum', ['name', e.name]))));
  const verdict = supportedWords(mode.supported);
  let description = verdict.description;
  if (mode.model) {
    const at = childPlace(place, 'model');
    const detail = mode.model.fallback !== undefined ? `${mode.model.name}, fallback ${mode.model.fallback}` : mode.model.name;
    const tooltip = mode.model.fallback === 'forbid' ? t('The guest sees exactly this CPU') : mode.model.fallback === 'allow' ? t('The guest may see a different CPU: not every hypervisor specific was accounted for') : undefined;
    children.push(node('cpu-model', 'model', { description: detail, value: mode.model.name, source: at, tooltip }, unknownNodes(mode.model, at)));
    description = [mode.model.name, mode.vendor].filter((p) => p !== undefined).join(', ');
  }
  if (mode.vendor !== undefined) children.push(leaf('cpu-vendor', 'vendor', mode.vendor, childPlace(place, 'vendor')));
  if (mode.maxPhysAddr) {
    const a = mode.maxPhysAddr;
    const at = childPlace(place, 'maxphysaddr');
    const parts = [a.mode];
    if (a.bits !== undefined) parts.push(t('{0} bits', a.bits));
    if (a.limit !== undefined) parts.push(t('limit {0} bits', a.limit));
    children.push(node('maxphysaddr', 'maxphysaddr', { description: parts.join(', '), value: rawAttributes({ mode: a.mode, bits: a.bits, limit: a.limit }), source: at }, unknownNodes(a, at)));
  }
  if (mode.features.length > 0) {
    const features = mode.features.map((f) => {
      const at = childPlace(place, step('feature', ['name', f.name]));
      return node('cpu-feature', f.name, { description: f.policy, value: f.policy, source: attributePlace(at, 'policy') }, unknownNodes(f, at));
    });
    const count = String(mode.features.length);
    children.push(node('cpu-features', 'features', { description: count, value: count, source: childPlace(place, 'feature'), tooltip: t('Features required or disabled on top of the model') }, features));
  }
  if (mode.models.length > 0) {
    const usable = mode.models.filter((m) => m.usable === 'yes').length;
    const unknown = mode.models.filter((m) => m.usable === 'unknown').length;
    const parts = [plural(mode.models.length, t('{0} model'), t('{0} models'))];
    if (unknown < mode.models.length) parts.push(t('{0} usable', usable));
    if (unknown > 0) parts.push(unknown === mode.models.length ? t('usability unknown') : t('{0} of unknown usability', unknown));
    description = parts.join(', ');
    const sorted = [...mode.models].sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true, sensitivity: 'base' }));
    children.push(...sorted.map((m) => customModelNode(m, place)));
  }
  children.push(...unknownNodes(mode, place));
  const value = mode.supported === undefined ? undefined : mode.supported ? 'yes' : 'no';
  return node('cpu-mode', mode.name, { description, value, source: value !== undefined ? attributePlace(place, 'supported') : place, icon: verdict.icon, tooltip: cpuModeDocs()[mode.name] }, children);
}

function usability(usable: string): { words: string; icon: string } {
  switch (usable) {
    case 'yes':
      return { words: t('usable'), icon: 'pass' };
    case 'no':
      return { words: t('not usable'), icon: 'circle-slash' };
    case 'unknown':
      return { words: t('usability unknown'), icon: 'question' };
    default:
      return { words: t("usable '{0}'", usable), icon: 'question' };
  }
}

function customModelNode(model: CustomCpuModel, modePlace: XmlPlace): DomainCapsTreeNode {
  const place = childPlace(modePlace, stepByText('model', model.name));
  const usable = usability(model.usable);
  const parts = [usable.words];
  if (model.vendor !== undefined && model.vendor !== 'unknown') parts.push(model.vendor);
  if (model.deprecated) parts.push(t('deprecated'));
  if (model.canonical !== undefined) parts.push(t('alias of {0}', model.canonical));
  const children: DomainCapsTreeNode[] = [];
  if (model.blockers && model.blockers.length > 0) {
    const blockers = model.blockers.join(', ');
    const at = childPlace(modePlace, step('blockers', ['model', model.name]));
    children.push(leaf('cpu-blockers', 'blockers', blockers, at, t('Features the host lacks for this model')));
  }
  children.push(...unknownNodes(model, place));
  const tooltip = model.usable === 'no' ? t('Usable only with some of its features disabled') : undefined;
  return node('cpu-model', model.name, { description: parts.join(', '), value: model.name, source: place, icon: usable.icon, tooltip }, children);
}

function featureNode(feature: FeatureCapability, place: XmlPlace): DomainCapsTreeNode {
  const details: DomainCapsTreeNode[] = [];
  const detail = (name: string, value: string | undefined, description = value): void => {
    if (value !== undefined) details.push(node('feature-detail', name, { description, value, source: childPlace(place, name), tooltip: detailDocs()[name] }));
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
        return node('sgx-section', `node ${sec.node}`, { description: formatSize(sec.size, sec.unit), value: `${sec.size} ${sec.unit}`, source: sectionAt, tooltip: t('Enclave page cache on this NUMA node') }, unknownNodes(sec, sectionAt));
      });
      details.push(node('sgx-sections', 'sections', { description: String(s.sections.length), value: String(s.sections.length), source: at }, sections));
    }
  }
  return blockNode('feature', feature, place, feature.name, { after: details });
}
