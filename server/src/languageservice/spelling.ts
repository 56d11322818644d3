// How close two names are: the did-you-mean fixes of validation, and the near-miss transports
// the region layer still takes for libvirt's (`qemu+shh://`).

/** The rows editDistance works in, reused: suggestions compute many distances between short names. */
let editRows = [new Int32Array(32), new Int32Array(32), new Int32Array(32)];

/** Optimal string alignment distance: edits plus adjacent transpositions ('qmeu' → 'qemu' is 1). */
export function editDistance(a: string, b: string): number {
  const width = b.length + 1;
  if (editRows[0].length < width) editRows = [new Int32Array(width), new Int32Array(width), new Int32Array(width)];
  // Three rows of the table: two back (for transpositions), one back, and the current one.
  let before = editRows[0];
  let previous = editRows[1];
  let row = editRows[2];
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    const ai = a.charCodeAt(i - 1);
    for (let j = 1; j <= b.length; j++) {
      const bj = b.charCodeAt(j - 1);
      let d = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ai === bj ? 0 : 1));
      if (i > 1 && j > 1 && ai === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === bj) d = Math.min(d, before[j - 2] + 1);
      row[j] = d;
    }
    const oldest = before;
    before = previous;
    previous = row;
    row = oldest;
  }
  return previous[b.length];
}

/** Closest names first, within two edits (or a case-only difference). */
export function closest(word: string, candidates: readonly string[]): string[] {
  const lower = word.toLowerCase();
  return candidates
    .filter((c) => Math.abs(c.length - lower.length) <= 2)
    .map((c) => ({ c, d: c === lower ? 0 : editDistance(lower, c) }))
    .filter((x) => x.d <= Math.min(2, Math.max(1, Math.floor(x.c.length / 3))))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.c);
}
