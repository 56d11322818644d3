// Sysinfo model → display-neutral rows: one per SMBIOS table, its entries beneath.
import { t } from '../l10n';
import { infoNode, nth, step, type InfoNode } from '../info/node';
import { childPlace, unknownNodes, type XmlPlace } from '../info/unknown';
import { entryValue, type Sysinfo, type SysinfoEntry, type SysinfoSection } from './sysinfo';

export type SysinfoNodeKind = 'sysinfo-section' | 'sysinfo-entry' | 'oem-strings' | 'element' | 'attribute';

export type SysinfoTreeNode = InfoNode<SysinfoNodeKind>;

const ROOT: XmlPlace = { document: 'sysinfo', xpath: '/sysinfo' };

/** Which entries sum a table up in its description. */
const SUMMARY: Readonly<Record<string, string[]>> = {
  bios: ['vendor', 'version'],
  system: ['manufacturer', 'product'],
  baseBoard: ['manufacturer', 'product'],
  chassis: ['manufacturer'],
  processor: ['socket_destination', 'version'],
  memory_device: ['locator', 'size', 'type'],
};

function sectionDocs(): Readonly<Record<string, string>> {
  return {
    bios: t('SMBIOS type 0: BIOS'),
    system: t('SMBIOS type 1: system'),
    baseBoard: t('SMBIOS type 2: baseboard'),
    chassis: t('SMBIOS type 3: chassis'),
    processor: t('SMBIOS type 4: processor'),
    memory_device: t('SMBIOS type 17: memory device'),
    oemStrings: t('SMBIOS type 11: OEM strings'),
  };
}

/** Rows for every table and fw_cfg entry of `sysinfo`. */
export function sysinfoTree(sysinfo: Sysinfo): SysinfoTreeNode[] {
  const nodes = sysinfo.entries.map((e) => entryNode(e, ROOT));
  nodes.push(
    ...sysinfo.sections.map((s) => {
      const same = sysinfo.sections.filter((o) => o.name === s.name);
      return sectionNode(s, childPlace(ROOT, nth(s.name, same.indexOf(s), same.length)));
    }),
  );
  if (sysinfo.oemStrings) {
    const at = childPlace(ROOT, 'oemStrings');
    const strings = sysinfo.oemStrings.map((text, i) => infoNode<SysinfoNodeKind>('sysinfo-entry', text, { value: text, source: childPlace(at, step('entry', i + 1)) }));
    const count = String(sysinfo.oemStrings.length);
    nodes.push(infoNode<SysinfoNodeKind>('oem-strings', 'oemStrings', { description: count, value: count, source: at, tooltip: sectionDocs().oemStrings }, strings));
  }
  nodes.push(...unknownNodes<SysinfoNodeKind>(sysinfo, ROOT));
  return nodes;
}

function sectionNode(section: SysinfoSection, place: XmlPlace): SysinfoTreeNode {
  const summary = (SUMMARY[section.name] ?? [])
    .map((name) => entryValue(section, name))
    .filter((v) => v !== undefined)
    .join(' ');
  const children = [...section.entries.map((e) => entryNode(e, place)), ...unknownNodes<SysinfoNodeKind>(section, place)];
  return infoNode('sysinfo-section', section.name, { description: summary, value: summary, source: place, tooltip: sectionDocs()[section.name] }, children);
}

function entryNode(entry: SysinfoEntry, parent: XmlPlace): SysinfoTreeNode {
  const place = childPlace(parent, step('entry', ['name', entry.name]));
  const value = entry.file ?? entry.value;
  const description = entry.file !== undefined ? t('file {0}', entry.file) : entry.value;
  return infoNode('sysinfo-entry', entry.name, { description, value, source: place }, unknownNodes<SysinfoNodeKind>(entry, place));
}
