// Where the editor can offer "Connect": URIs the code hands to libvirt as they stand.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Range } from 'vscode-languageserver-types';
import { PositionCursor } from '../positions';
import { RegionCache, documentOffset } from '../regions';
import { HOLE } from '../uri/parser';
import { ValidationService } from './validation';

export interface ConnectableUri {
  range: Range;
  uri: string;
}

/**
 * Whole literal URIs in libvirt contexts, read by libvirt itself, that libvirt does not refuse.
 * A template's holes are filled only at run time, and the Terraform provider's dialect is not
 * libvirt's, so neither is a URI one can connect to from here.
 */
export function connectableUris(document: TextDocument, regions: RegionCache, validation: ValidationService): ConnectableUri[] {
  const positions = new PositionCursor(document);
  const found: ConnectableUri[] = [];
  for (const c of regions.get(document)) {
    if (c.kind !== 'uri' || !c.libvirtContext || c.consumer !== 'libvirt' || c.text === '' || c.text.includes(HOLE)) continue;
    if (validation.refuses(c)) continue;
    found.push({ range: { start: positions.at(documentOffset(c, 0, 'start')), end: positions.at(documentOffset(c, c.text.length, 'end')) }, uri: c.text });
  }
  return found;
}
