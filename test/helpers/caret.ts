/**
 * Test strings mark positions with `‸` (U+2038 CARET), a character that occurs neither in a URI
 * nor in the shell code, YAML or source around one: one marker is a caret, two delimit a range.
 */
export const CARET = '‸';

/** The text without markers, and the marker offsets in that text. */
export function markers(marked: string): { text: string; offsets: number[] } {
  const offsets: number[] = [];
  let text = '';
  for (const ch of marked) {
    if (ch === CARET) offsets.push(text.length);
    else text += ch;
  }
  return { text, offsets };
}

/** The range delimited by exactly two markers. */
export function markedRange(marked: string): { text: string; start: number; end: number } {
  const { text, offsets } = markers(marked);
  if (offsets.length !== 2) throw new Error(`expected two ${CARET} markers in ${marked}`);
  return { text, start: offsets[0], end: offsets[1] };
}

/** The offset of exactly one marker. */
export function caret(marked: string): { text: string; offset: number } {
  const { text, offsets } = markers(marked);
  if (offsets.length !== 1) throw new Error(`expected one ${CARET} marker in ${marked}`);
  return { text, offset: offsets[0] };
}
