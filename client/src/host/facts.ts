// HostFacts (one request to the binding) → the Host node's rows, worded as `virt-uri caps`
// prints them. A fact libvirt refused becomes a row carrying libvirt's words, never a missing
// row; sysinfo adds the system and BIOS where the driver reports them.
import { parseCapabilities } from '../capabilities';
import { t } from '../l10n';
import { formatSize, infoNode, step, type InfoError, type InfoNode, type InfoNodeOptions, type InfoSource } from '../info/node';
import { LibvirtError, errorCodeName, errorDomainName, type Fact, type HostFacts, type NodeInfo, type Version } from '../libvirt';
import { parseSysinfo, sysinfoTree, sysinfoValue, type Sysinfo, type SysinfoNodeKind } from '../sysinfo';

export type HostNodeKind =
  | 'uri'
  | 'driver'
  | 'hostname'
  | 'hypervisor-version'
  | 'library-version'
  | 'cpu-model'
  | 'cpus'
  | 'cpu-frequency'
  | 'memory'
  | 'free-memory'
  | 'numa-cell'
  | 'max-vcpus'
  | 'secure'
  | 'encrypted'
  | 'system'
  | 'bios'
  | 'sysinfo'
  | SysinfoNodeKind;

export type HostTreeNode = InfoNode<HostNodeKind>;

/** The labels of the Host rows: the tree and `virt-uri caps` share them. */
export function hostLabels() {
  return {
    uri: 'URI',
    driver: t('Driver'),
    hostname: t('Hostname'),
    hypervisorVersion: t('Hypervisor version'),
    libraryVersion: t('libvirt version'),
    cpuModel: t('CPU model'),
    cpus: t('CPUs'),
    cpuFrequency: t('CPU frequency'),
    memory: t('Memory'),
    freeMemory: t('Free memory'),
    maxVcpus: t('Max vCPUs'),
    secure: t('Secure'),
    encrypted: t('Encrypted'),
    system: t('System'),
    bios: 'BIOS',
    sysinfo: 'Sysinfo',
  };
}

const yesNo = (yes: boolean): string => (yes ? t('yes') : t('no'));

/** libvirt's refusal, by name: from a fact of HostFacts, or an error a call threw. */
export function infoError(failure: { error: { code: number; domain: number; message: string }; call: string } | LibvirtError): InfoError {
  if (failure instanceof LibvirtError) return { message: failure.message, code: failure.codeName, domain: failure.domainName, call: failure.call };
  return { message: failure.error.message, code: errorCodeName(failure.error.code), domain: errorDomainName(failure.error.domain), call: failure.call };
}

/** A row for one fact: `show` words its value, or the row says why libvirt refused it. */
function factRow<T>(kind: HostNodeKind, label: string, fact: Fact<T>, call: string, show: (value: T) => InfoNodeOptions, children: (value: T) => HostTreeNode[] = () => []): HostTreeNode {
  if ('error' in fact) return errorRow(kind, label, infoError(fact));
  return infoNode(kind, label, { source: { call }, ...show(fact.value) }, children(fact.value));
}

/** A row saying what failed, in libvirt's words. */
export function errorRow<K extends string>(kind: K, label: string, error: InfoError): InfoNode<K> {
  return infoNode(kind, label, { description: error.message, error, icon: 'warning', value: error.message, source: { call: error.call } });
}

const text = (value: string): InfoNodeOptions => ({ description: value, value });

function version(v: Version): InfoNodeOptions {
  const dotted = `${v.major}.${v.minor}.${v.release}`;
  // virsh: "Cannot extract running … hypervisor version" when the driver reports 0.
  if (v.major === 0 && v.minor === 0 && v.release === 0) return { description: t('unknown'), value: dotted, tooltip: t('The driver does not report the running hypervisor version') };
  return { description: dotted, value: dotted };
}

function nodeInfoRow(kind: HostNodeKind, label: string, facts: HostFacts, field: keyof NodeInfo, show: (n: NodeInfo) => InfoNodeOptions, children?: (n: NodeInfo) => HostTreeNode[]): HostTreeNode {
  return factRow(kind, label, facts.nodeInfo, 'virNodeGetInfo', (n) => ({ ...show(n), source: { call: 'virNodeGetInfo', field } }), children);
}

/** The Host node's rows, in the order `virt-uri caps` prints them. */
export function hostTree(facts: HostFacts): HostTreeNode[] {
  const cells = numaCellMemory(facts);
  const sysinfo = parsedSysinfo(facts);
  const labels = hostLabels();
  const rows: HostTreeNode[] = [
    factRow('uri', labels.uri, facts.uri, 'virConnectGetURI', (uri) => ({ ...text(uri), tooltip: t('The URI libvirt connected to') })),
    factRow('driver', labels.driver, facts.type, 'virConnectGetType', (type) => ({ ...text(type), tooltip: t('The hypervisor driver') })),
    factRow('hostname', labels.hostname, facts.hostname, 'virConnectGetHostname', text),
    factRow('hypervisor-version', labels.hypervisorVersion, facts.hypervisorVersion, 'virConnectGetVersion', version),
    factRow('library-version', labels.libraryVersion, facts.libraryVersion, 'virConnectGetLibVersion', (v) => ({ ...version(v), tooltip: t('The libvirt of the host (the daemon’s, over a remote connection)') })),
    nodeInfoRow('cpu-model', labels.cpuModel, facts, 'model', (n) => text(n.model)),
    nodeInfoRow('cpus', labels.cpus, facts, 'cpus', (n) => ({
      description: t('{0} ({1} NUMA nodes × {2} sockets × {3} cores × {4} threads)', n.cpus, n.nodes, n.sockets, n.cores, n.threads),
      value: String(n.cpus),
      tooltip: t('Active CPUs; sockets per NUMA node, cores per socket, threads per core'),
    })),
    nodeInfoRow('cpu-frequency', labels.cpuFrequency, facts, 'mhz', (n) => ({ description: n.mhz ? `${n.mhz} MHz` : t('unknown'), value: String(n.mhz) })),
    nodeInfoRow('memory', labels.memory, facts, 'memory', (n) => ({ description: `${formatSize(n.memory, 'KiB')} (${n.memory} KiB)`, value: `${n.memory} KiB` }), () => cells),
    factRow('free-memory', labels.freeMemory, facts.freeMemory, 'virNodeGetFreeMemory', (bytes) => ({ description: formatSize(bytes, 'B'), value: `${bytes} B` }), () => freeMemoryCells(facts)),
    factRow('max-vcpus', labels.maxVcpus, facts.maxVcpus, 'virConnectGetMaxVcpus', (max) => ({
      ...text(String(max)),
      tooltip: t('For the driver’s default domain type; a machine type’s own limit is in its domain capabilities'),
    })),
    factRow('secure', labels.secure, facts.isSecure, 'virConnectIsSecure', (yes) => ({
      ...text(yesNo(yes)),
      tooltip: t('Whether libvirt considers the connection safe from eavesdropping (encrypted, or a local socket)'),
    })),
    factRow('encrypted', labels.encrypted, facts.isEncrypted, 'virConnectIsEncrypted', (yes) => ({
      ...text(yesNo(yes)),
      tooltip: t('Whether the traffic is encrypted (TLS, SSH, or a SASL security layer)'),
    })),
  ];
  rows.push(...sysinfoRows(facts, sysinfo, labels));
  return rows;
}

/** Memory per NUMA cell, from the capabilities XML (when it parses). */
function numaCellMemory(facts: HostFacts): HostTreeNode[] {
  if (!('value' in facts.capabilities)) return [];
  let cells;
  try {
    cells = parseCapabilities(facts.capabilities.value).host?.numa?.cells ?? [];
  } catch {
    // The Capabilities node reports the parse error.
    return [];
  }
  return cells.flatMap((cell) => {
    if (!cell.memory) return [];
    const { value, unit } = cell.memory;
    const source: InfoSource = { document: 'capabilities', xpath: `/capabilities/host/topology/cells/${step('cell', ['id', String(cell.id)])}/memory` };
    return [infoNode<HostNodeKind>('numa-cell', t('NUMA cell {0}', cell.id), { description: formatSize(value, unit), value: `${value} ${unit}`, source })];
  });
}

/** Free memory per NUMA cell (virNodeGetCellsFreeMemory), or the row of its refusal. */
function freeMemoryCells(facts: HostFacts): HostTreeNode[] {
  const fact = facts.cellsFreeMemory;
  if ('error' in fact) return [factRow('numa-cell', t('per NUMA cell'), fact, fact.call, () => ({}))];
  return fact.value.map((bytes, cell) =>
    infoNode<HostNodeKind>('numa-cell', t('NUMA cell {0}', cell), { description: formatSize(bytes, 'B'), value: `${bytes} B`, source: { call: 'virNodeGetCellsFreeMemory', field: `cell ${cell}` } }),
  );
}

function parsedSysinfo(facts: HostFacts): Sysinfo | InfoError | undefined {
  if (!('value' in facts.sysinfo)) return undefined;
  try {
    return parseSysinfo(facts.sysinfo.value);
  } catch (e) {
    return { message: t('cannot read the sysinfo XML: {0}', e instanceof Error ? e.message : String(e)), call: 'virConnectGetSysinfo' };
  }
}

/** System and BIOS highlights where the driver reports them, then every table under Sysinfo. */
function sysinfoRows(facts: HostFacts, sysinfo: Sysinfo | InfoError | undefined, labels: ReturnType<typeof hostLabels>): HostTreeNode[] {
  if (sysinfo === undefined) return [factRow('sysinfo', labels.sysinfo, facts.sysinfo, 'virConnectGetSysinfo', () => ({}))];
  if ('message' in sysinfo) return [errorRow('sysinfo', labels.sysinfo, sysinfo)];
  const rows: HostTreeNode[] = [];
  const highlight = (kind: HostNodeKind, label: string, section: string, names: string[], tooltip: string): void => {
    const parts = names.map((n) => sysinfoValue(sysinfo, section, n)).filter((v) => v !== undefined);
    if (parts.length === 0) return;
    const value = parts.join(' ');
    rows.push(infoNode<HostNodeKind>(kind, label, { description: value, value, source: { document: 'sysinfo', xpath: `/sysinfo/${section}` }, tooltip }));
  };
  highlight('system', labels.system, 'system', ['manufacturer', 'product'], t('SMBIOS system manufacturer and product'));
  const bios = ['vendor', 'version'].map((n) => sysinfoValue(sysinfo, 'bios', n)).filter((v) => v !== undefined);
  const date = sysinfoValue(sysinfo, 'bios', 'date');
  if (bios.length > 0 || date !== undefined) {
    const description = [bios.join(' '), date].filter((p) => p !== undefined && p !== '').join(', ');
    rows.push(infoNode<HostNodeKind>('bios', labels.bios, { description, value: description, source: { document: 'sysinfo', xpath: '/sysinfo/bios' }, tooltip: t('SMBIOS BIOS vendor, version and date') }));
  }
  const tables = sysinfoTree(sysinfo);
  rows.push(infoNode<HostNodeKind>('sysinfo', labels.sysinfo, { description: sysinfo.type, value: sysinfo.type, source: { document: 'sysinfo', xpath: '/sysinfo/@type' }, tooltip: t('The host’s SMBIOS tables, as virConnectGetSysinfo reports them') }, tables));
  return rows;
}
