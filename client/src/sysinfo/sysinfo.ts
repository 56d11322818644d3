// The `<sysinfo>` XML of virConnectGetSysinfo (libvirt's virsysinfo.c): SMBIOS tables read
// from the host (bios, system, baseBoard, chassis, processor, memory_device, oemStrings), each
// a list of `<entry name=…>` values, or fw_cfg entries. Kept generically, so a table or entry
// a newer libvirt adds is shown like the others.
import { ElementReader, XmlDocumentError, readXmlRoot, type Extensible } from '../xml/document';

export interface Sysinfo extends Extensible {
  /** smbios (a host's) or fwcfg. */
  type: string;
  /** SMBIOS tables in document order; processor, memory_device and baseBoard may repeat. */
  sections: SysinfoSection[];
  /** `<oemStrings><entry>` values. */
  oemStrings?: string[];
  /** fwcfg: entries directly under `<sysinfo>`. */
  entries: SysinfoEntry[];
}

export interface SysinfoSection extends Extensible {
  /** The element: bios, system, baseBoard, chassis, processor, memory_device… */
  name: string;
  entries: SysinfoEntry[];
}

export interface SysinfoEntry extends Extensible {
  name: string;
  value: string;
  /** fwcfg entries may name a file instead of a value. */
  file?: string;
}

const documentError = (message: string, line?: number, column?: number) => new XmlDocumentError(message, line, column);

/** Parses `virConnectGetSysinfo` XML. Throws XmlDocumentError if it is not that. */
export function parseSysinfo(xml: string): Sysinfo {
  const r = readXmlRoot(xml, 'sysinfo', 'sysinfo XML', documentError);
  const oemStrings = r.child('oemStrings');
  return r.finish<Sysinfo>({
    type: r.requiredAttribute('type'),
    entries: r.children('entry').map(readEntry),
    oemStrings: oemStrings?.children('entry').map((e) => e.text()),
    sections: r.allChildren().map(readSection),
  });
}

function readEntry(r: ElementReader): SysinfoEntry {
  return r.finish<SysinfoEntry>({ name: r.requiredAttribute('name'), value: r.text(), file: r.attribute('file') });
}

function readSection(r: ElementReader): SysinfoSection {
  return r.finish<SysinfoSection>({ name: r.node.name, entries: r.children('entry').map(readEntry) });
}

/** The value of entry `name` in the first `section` table, when present and not empty. */
export function sysinfoValue(sysinfo: Sysinfo, section: string, name: string): string | undefined {
  const table = sysinfo.sections.find((s) => s.name === section);
  return table && entryValue(table, name);
}

/** The value of entry `name` of one table, when present and not empty. */
export function entryValue(section: SysinfoSection, name: string): string | undefined {
  const value = section.entries.find((e) => e.name === name)?.value;
  return value === '' ? undefined : value;
}
