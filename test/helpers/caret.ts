/**
 * Test strings mark positions with `|`: one marker is a caret, two markers delimit a range.
 * Returns the text without markers and the marker offsets in that text.
 */
export function markers(marked: string): { text: string; offsets: number[] } {
  const offsets: number[] = [];
  let text = '';
  for (const ch of marked) {
    if (ch === '|') offsets.push(text.length);
    else text += ch;
  }
  return { text, offsets };
}

/** The range delimited by exactly two `|` markers. */
export function markedRange(marked: string): { text: string; start: number; end: number } {
  const { text, offsets } = markers(marked);
  if (offsets.length !== 2) throw new Error(`expected two | markers in ${marked}`);
  return { text, start: offsets[0], end: offsets[1] };
}
