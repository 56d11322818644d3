// Shared pieces of the region scanners: the result collector, the driver-scheme test and
// character classes. Everything here works on document offsets so no substring is copied
// unless a candidate is found.
import { DRIVER_NAMES } from '../catalog';

export interface UriCandidate {
  /** The string content exactly as written in the document (no quotes). */
  text: string;
  /** Document offset of text[0]. */
  offset: number;
  /** True when the surrounding code says the string is for libvirt. */
  libvirtContext: boolean;
  /** alias-entry = one element "NAME=URI" of libvirt.conf uri_aliases. */
  kind: 'uri' | 'alias-entry';
}

export interface Suppression {
  /** 0-based line the marker applies to. */
  line: number;
  /** Diagnostic codes named after the marker; empty = all codes. */
  codes: string[];
}

const DRIVERS = new Set(DRIVER_NAMES);
const MARKER = 'virt-uri-disable-';
const NEXT_LINE = 'virt-uri-disable-next-line';
const THIS_LINE = 'virt-uri-disable-line';

/** Character codes used by the scanners. */
export const Ch = {
  Tab: 9, LF: 10, CR: 13, Space: 32, Bang: 33, DQuote: 34, Hash: 35, Dollar: 36, Percent: 37,
  Amp: 38, SQuote: 39, LParen: 40, RParen: 41, Star: 42, Plus: 43, Comma: 44, Minus: 45,
  Dot: 46, Slash: 47, D0: 48, D9: 57, Colon: 58, Semi: 59, Lt: 60, Eq: 61, Gt: 62,
  Question: 63, A: 65, Z: 90, LBracket: 91, Backslash: 92, RBracket: 93, Underscore: 95,
  Backtick: 96, a: 97, z: 122, LBrace: 123, Pipe: 124, RBrace: 125, Tilde: 126,
} as const;

export function isDigit(c: number): boolean {
  return c >= Ch.D0 && c <= Ch.D9;
}

export function isLetter(c: number): boolean {
  return (c >= Ch.a && c <= Ch.z) || (c >= Ch.A && c <= Ch.Z);
}

export function isHex(c: number): boolean {
  return isDigit(c) || (c >= Ch.a && c <= 102) || (c >= Ch.A && c <= 70);
}

export function isSpace(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.CR || c === 12 || c === 11;
}

/** Offset of the end of the line containing `i` (its CR LF or LF), or `end`. */
export function lineEnd(text: string, i: number, end: number): number {
  const lf = text.indexOf('\n', i);
  if (lf < 0 || lf > end) return end;
  return lf > i && text.charCodeAt(lf - 1) === 13 ? lf - 1 : lf;
}

/**
 * Where a heredoc body starting at `i` ends: before the line that holds only `tag`, after any
 * leading characters `indent` accepts (Ruby's `<<~`/`<<-` allow blanks, the shell's `<<-` tabs).
 * `next` is the end of that terminator line, or `end` when there is none.
 */
export function heredocBody(text: string, i: number, end: number, tag: string, indent: (c: number) => boolean): { bodyEnd: number; next: number } {
  while (i < end) {
    const e = lineEnd(text, i, end);
    let s = i;
    while (s < e && indent(text.charCodeAt(s))) s++;
    if (e - s === tag.length && text.startsWith(tag, s)) return { bodyEnd: i, next: e };
    i = e + 1;
  }
  return { bodyEnd: end, next: end };
}

/**
 * True when text[start..end) begins with `driver[+letters]://` for a libvirt driver name.
 * The driver is matched case-insensitively so that `QEMU:///system` reaches validation,
 * which knows libvirt's own (case-sensitive) verdict. With `partial` (a string still being
 * typed), text ending inside the scheme after the driver name (`qemu+ss`, `qemu:/`) counts too.
 */
export function startsWithDriverScheme(text: string, start: number, end: number, partial = false): boolean {
  let i = start;
  while (i < end && isLetter(text.charCodeAt(i))) i++;
  const driverEnd = i;
  if (driverEnd === start || driverEnd - start > 12 || i === end) return false;
  if (text.charCodeAt(i) === Ch.Plus) {
    i++;
    while (i < end && isLetter(text.charCodeAt(i))) i++;
  }
  const separator = partial && i + 3 > end ? end - i : 3;
  for (let k = 0; k < separator; k++) {
    if (text.charCodeAt(i + k) !== (k === 0 ? Ch.Colon : Ch.Slash)) return false;
  }
  if (i + separator > end) return false;
  return DRIVERS.has(text.slice(start, driverEnd).toLowerCase());
}

/**
 * True when the string is a template rather than a literal URI: `{…}` (format, f-strings,
 * `${…}`, `#{…}`) or a printf conversion such as `%s`, `%5d`, `%(host)s`. Neither can be in
 * a URI libvirt accepts, while `%2F`-style escapes (and broken ones like `%zz`) stay literal.
 */
export function hasPlaceholder(text: string, start: number, end: number): boolean {
  let open = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.LBrace) {
      if (open < 0) open = i;
    } else if (c === Ch.RBrace) {
      if (open >= 0) return true;
    } else if (c === Ch.Percent && i + 1 < end && isPrintfConversion(text, i + 1, end)) {
      return true;
    }
  }
  return false;
}

function isPrintfConversion(text: string, i: number, end: number): boolean {
  if (isHex(text.charCodeAt(i)) && i + 1 < end && isHex(text.charCodeAt(i + 1))) return false;
  if (text.charCodeAt(i) === Ch.LParen) return true;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === Ch.Minus || c === Ch.Plus || c === Ch.Space || c === Ch.Hash || c === Ch.Dot || isDigit(c)) {
      i++;
      continue;
    }
    return c === 115 /* s */ || c === 100 /* d */ || c === 105 /* i */ || c === 117 /* u */ || c === 102 /* f */ ||
      c === 120 /* x */ || c === 88 /* X */ || c === 114 /* r */ || c === 118 /* v */ || c === 113 /* q */ || c === Ch.Percent;
  }
  return false;
}

/**
 * Memoised `indexOf`: repeated searches from increasing positions cost one pass in total,
 * which keeps scanners that look at many small ranges linear.
 */
export class Finder {
  private from = -1;
  private found = -1;
  constructor(private readonly text: string, private readonly needle: string) {}

  next(from: number): number {
    if (this.from >= 0 && from >= this.from && (this.found < 0 || from <= this.found)) return this.found;
    this.from = from;
    this.found = this.text.indexOf(this.needle, from);
    return this.found;
  }
}

/** Collects candidates and (on request) suppression markers found in comments. */
export class Collector {
  readonly candidates: UriCandidate[] = [];
  readonly suppressions: Suppression[] = [];
  private readonly markers: Finder;
  private readonly anyMarker: boolean;
  private lineOffset = 0;
  private lineNumber = 0;

  constructor(readonly text: string, wantSuppressions: boolean) {
    this.markers = new Finder(text, MARKER);
    this.anyMarker = wantSuppressions && this.markers.next(0) >= 0;
  }

  /** Adds text[start..end) cut at its first line break: a URI never spans lines. */
  add(start: number, end: number, libvirtContext: boolean, kind: 'uri' | 'alias-entry' = 'uri'): void {
    for (let i = start; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === Ch.LF || c === Ch.CR) {
        end = i;
        break;
      }
    }
    this.candidates.push({ text: this.text.slice(start, end), offset: start, libvirtContext, kind });
  }

  /**
   * Adds a string's content when it is a candidate: a driver scheme, or any string in a libvirt
   * context. An unterminated string may still be half-way through its scheme.
   */
  addString(start: number, end: number, libvirtContext: boolean, unterminated = false): void {
    if (!libvirtContext && !startsWithDriverScheme(this.text, start, end, unterminated)) return;
    if (hasPlaceholder(this.text, start, end)) return;
    this.add(start, end, libvirtContext);
  }

  /** Records the body of a comment (without its delimiters); markers inside become suppressions. */
  comment(start: number, end: number): void {
    if (!this.anyMarker) return;
    let m = this.markers.next(start);
    while (m >= 0 && m < end) {
      this.marker(m, end);
      m = this.markers.next(m + MARKER.length);
    }
  }

  private marker(m: number, end: number): void {
    const text = this.text;
    if (m > 0 && isWordChar(text.charCodeAt(m - 1))) return;
    let next: boolean;
    let i: number;
    if (text.startsWith(NEXT_LINE, m)) {
      next = true;
      i = m + NEXT_LINE.length;
    } else if (text.startsWith(THIS_LINE, m)) {
      next = false;
      i = m + THIS_LINE.length;
    } else {
      return;
    }
    if (i < end && isWordChar(text.charCodeAt(i))) return;
    const codes: string[] = [];
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Ch.Space || c === Ch.Tab || c === Ch.Comma || c === Ch.Colon) {
        i++;
        continue;
      }
      if (!isWordChar(c)) break;
      const s = i;
      while (i < end && isWordChar(text.charCodeAt(i))) i++;
      codes.push(text.slice(s, i));
    }
    this.suppressions.push({ line: this.lineOf(m) + (next ? 1 : 0), codes });
  }

  private lineOf(offset: number): number {
    if (offset < this.lineOffset) {
      this.lineOffset = 0;
      this.lineNumber = 0;
    }
    const text = this.text;
    for (let i = this.lineOffset; i < offset; i++) {
      const c = text.charCodeAt(i);
      if (c === Ch.LF || (c === Ch.CR && text.charCodeAt(i + 1) !== Ch.LF)) this.lineNumber++;
    }
    this.lineOffset = offset;
    return this.lineNumber;
  }
}

function isWordChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === Ch.Minus || c === Ch.Underscore || c === Ch.Dot;
}
