// Candidates as tests look at them: literal pieces must be the document's own text, and a
// template reads as its document text with each hole in ⟨…⟩.
import assert from 'node:assert/strict';
import type { UriCandidate } from '../../server/src/languageservice/regions';
import { HOLE } from '../../server/src/languageservice/uri/parser';

/** Asserts that every literal piece of `c` is the document text where it stands. */
export function assertInDocument(document: string, c: UriCandidate): void {
  if (c.pieces === undefined) {
    assert.equal(document.slice(c.offset, c.offset + c.text.length), c.text, `offset of ${c.text}`);
    return;
  }
  assert.equal(c.pieces[0].start, c.offset, `offset of ${c.text}`);
  let last = c.offset;
  for (const p of c.pieces) {
    assert.ok(p.start >= last && p.end >= p.start, `pieces of ${c.text} in document order`);
    last = p.end;
    if (p.hole) assert.equal(c.text[p.at], HOLE);
    else if (p.value !== undefined) assert.equal(c.text.slice(p.at, p.at + p.value.length), p.value);
    else assert.equal(c.text.slice(p.at, p.at + p.end - p.start), document.slice(p.start, p.end), `piece of ${c.text}`);
  }
}

/** `qemu+ssh://⟨{host}⟩/system`: the literal text, and each hole as its document text in ⟨…⟩. */
export function render(document: string, c: UriCandidate): string {
  if (c.pieces === undefined) return c.text;
  return c.pieces.map((p) => (p.hole ? `⟨${document.slice(p.start, p.end)}⟩` : p.value ?? document.slice(p.start, p.end))).join('');
}
