// The URI candidate, and the part of its URI, at a document offset: what completion, hover and
// quick fixes start from.
import { UriCandidate, textOffset } from './regions';
import { ParsedUri, PartAt, parseUri, partAtOffset } from './uri/parser';

export interface UriAt {
  candidate: UriCandidate;
  /** The offset in the candidate's text. */
  offset: number;
  /** Where the URI starts in the candidate's text (after `NAME=` in a uri_aliases entry). */
  uriStart: number;
  /** The URI, parsed from uriStart: its offsets are relative to uriStart. */
  uri: ParsedUri;
  /** The part at the offset; undefined on a delimiter or inside a hole. */
  part?: PartAt;
}

/**
 * The candidate whose literal text holds `documentOffset` (its end included, for a caret after
 * the last character), with the URI part there. Candidates are in document order.
 */
export function uriAt(candidates: readonly UriCandidate[], documentOffset: number): UriAt | undefined {
  for (const candidate of candidates) {
    if (candidate.offset > documentOffset) break;
    const offset = textOffset(candidate, documentOffset);
    if (offset < 0) continue;
    const eq = candidate.kind === 'alias-entry' ? candidate.text.indexOf('=') : -1;
    const uriStart = eq + 1;
    const uri = parseUri(candidate.text.slice(uriStart));
    const found: UriAt = { candidate, offset, uriStart, uri };
    if (offset >= uriStart) {
      const part = partAtOffset(uri, offset - uriStart);
      if (part) found.part = part;
    }
    return found;
  }
  return undefined;
}
