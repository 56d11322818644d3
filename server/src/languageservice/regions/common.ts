// Shared pieces of the region scanners: the candidate model, the result collector, the
// driver-scheme test and character classes. Everything here works on document offsets so no
// substring is copied unless a candidate is found.
import { ConsumerName, DRIVER_NAMES, TRANSPORT_NAMES } from '../catalog';
import { editDistance } from '../spelling';
import { HOLE } from '../uri/parser';

const HOLE_CODE = HOLE.charCodeAt(0);

/**
 * A string in a document that holds (or is meant to hold) a connection URI. A URI template —
 * `f"qemu+ssh://{host}/system"`, `"test://" + name`, `"qemu+ssh://" HOST "/system"` — is one
 * candidate made of literal pieces and holes: its text has the literal pieces as written and
 * one HOLE character per hole.
 */
export interface UriCandidate {
  /** The string content exactly as written in the document (no quotes, escapes as written). */
  text: string;
  /** Document offset of text[0]. */
  offset: number;
  /**
   * Where each piece of `text` stands in the document, in order; absent when `text` is one
   * literal run starting at `offset`.
   */
  pieces?: readonly CandidatePiece[];
  /** True when the surrounding code says the string is for a consumer of URIs (libvirt or another). */
  libvirtContext: boolean;
  /** Who reads the URI. */
  consumer: ConsumerName;
  /** alias-entry = one element "NAME=URI" of libvirt.conf uri_aliases. */
  kind: 'uri' | 'alias-entry';
}

export interface CandidatePiece {
  /** Offset in the candidate's text where the piece starts (a hole is one HOLE character). */
  at: number;
  /** Document range of the literal text, or of the whole expression of a hole. */
  start: number;
  end: number;
  hole: boolean;
  /** What an escape (`\&` in the shell, `%%` in a printf format) stands for, when it is not its own text. */
  value?: string;
}

function pieceLength(p: CandidatePiece): number {
  return p.hole ? 1 : p.value !== undefined ? p.value.length : p.end - p.start;
}

/** Document offset of the candidate text offset `i`; `side` says whether it starts or ends a range. */
export function documentOffset(c: UriCandidate, i: number, side: 'start' | 'end'): number {
  const pieces = c.pieces;
  if (pieces === undefined) return c.offset + i;
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k];
    const length = pieceLength(p);
    const inside = side === 'start' ? i < p.at + length : i <= p.at + length;
    if (inside || k === pieces.length - 1) {
      if (p.hole || p.value !== undefined) return i <= p.at ? p.start : p.end;
      return p.start + Math.min(Math.max(i - p.at, 0), length);
    }
  }
  return c.offset;
}

/** The candidate text offset at document offset `d`, or -1 when `d` is not inside the candidate's literal text. */
export function textOffset(c: UriCandidate, d: number): number {
  const pieces = c.pieces ?? [{ at: 0, start: c.offset, end: c.offset + c.text.length, hole: false }];
  for (const p of pieces) {
    if (d < p.start) return -1;
    if (p.hole || p.value !== undefined) {
      if (d === p.start) return p.at;
      if (p.hole || d > p.end) continue;
      return d === p.end ? p.at + pieceLength(p) : -1;
    }
    if (d <= p.end) return p.at + d - p.start;
  }
  return -1;
}

/** Literal pieces and holes of a template, collected in document order. */
export class Template {
  readonly parts: { start: number; end: number; hole: boolean; value?: string }[] = [];
  /** Where the content starts, also when it is empty. */
  origin = -1;

  literal(start: number, end: number): void {
    if (this.origin < 0) this.origin = start;
    if (end <= start) return;
    const last = this.parts[this.parts.length - 1];
    if (last !== undefined && !last.hole && last.value === undefined && last.end === start) last.end = end;
    else this.parts.push({ start, end, hole: false });
  }

  /** Document text [start, end) that stands for `value` (an escape). */
  escaped(start: number, end: number, value: string): void {
    if (this.origin < 0) this.origin = start;
    this.parts.push({ start, end, hole: false, value });
  }

  hole(start: number, end: number): void {
    if (this.origin < 0) this.origin = start;
    const last = this.parts[this.parts.length - 1];
    // Expressions next to each other are one unknown stretch.
    if (last !== undefined && last.hole) last.end = Math.max(last.end, end);
    else this.parts.push({ start, end, hole: true });
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }
}

/** One `name = value` at the top level of libvirt.conf. */
export interface ConfSetting {
  name: string;
  nameStart: number;
  nameEnd: number;
  /** What the value is: a string (start/end hold its content), a list (its brackets), a number, or a bare word. */
  type: 'string' | 'list' | 'number' | 'other';
  start: number;
  end: number;
  /** In a list: the first element that is not a string. */
  element?: { start: number; end: number };
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
 * True when text[start..end) begins with `driver[+transport]://` for a libvirt driver name.
 * The driver is matched case-insensitively so that `QEMU:///system` reaches validation,
 * which knows libvirt's own (case-sensitive) verdict. The transport must be libvirt's, a near
 * miss of one (`qemu+shh://`), empty, or hold a hole: other words are other software's schemes
 * on a shared driver name (JBoss remoting's `remote+http://`). With `partial` (a string still
 * being typed), text ending inside the scheme after the driver name (`qemu+ss`, `qemu:/`) counts too.
 */
export function startsWithDriverScheme(text: string, start: number, end: number, partial = false): boolean {
  let i = start;
  while (i < end && isLetter(text.charCodeAt(i))) i++;
  const driverEnd = i;
  if (driverEnd === start || driverEnd - start > 12 || i === end) return false;
  let transportStart = -1;
  let hole = false;
  if (text.charCodeAt(i) === Ch.Plus) {
    transportStart = ++i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === HOLE_CODE) hole = true;
      else if (!isLetter(c) && !isDigit(c)) break;
      i++;
    }
  }
  const separator = partial && i + 3 > end ? end - i : 3;
  for (let k = 0; k < separator; k++) {
    if (text.charCodeAt(i + k) !== (k === 0 ? Ch.Colon : Ch.Slash)) return false;
  }
  if (i + separator > end) return false;
  if (!DRIVERS.has(text.slice(start, driverEnd).toLowerCase())) return false;
  if (transportStart < 0 || hole || i === transportStart) return true;
  return libvirtTransport(text.slice(transportStart, i).toLowerCase(), partial && i === end);
}

const TRANSPORTS: ReadonlySet<string> = new Set(TRANSPORT_NAMES);

/** A transport, or one edit away from one; with `typing`, also the start of one. */
function libvirtTransport(word: string, typing: boolean): boolean {
  if (TRANSPORTS.has(word)) return true;
  for (const t of TRANSPORT_NAMES) {
    if (typing && t.startsWith(word)) return true;
    if (Math.abs(t.length - word.length) <= 1 && editDistance(word, t) <= 1) return true;
  }
  return false;
}

/**
 * Adds text[start..end) to `t` with the placeholders of the usual template languages as holes:
 * `{…}` (format strings, f-strings, Rust's format!, Jinja's `{{ … }}`), `${…}`, `#{…}` and
 * `%{…}`. An unclosed `{` makes the rest a hole. (printf conversions are found on the whole
 * template when it becomes a candidate.)
 */
export function addPlaceholders(text: string, start: number, end: number, t: Template): void {
  let literal = start;
  let depth = 0;
  let open = -1;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === Ch.LBrace) {
      if (depth++ === 0) {
        const p = text.charCodeAt(i - 1);
        open = i > literal && (p === Ch.Dollar || p === Ch.Hash || p === Ch.Percent) ? i - 1 : i;
      }
    } else if (c === Ch.RBrace && depth > 0) {
      if (--depth === 0) {
        t.literal(literal, open);
        t.hole(open, i + 1);
        literal = i + 1;
      }
    }
  }
  if (depth > 0) {
    t.literal(literal, open);
    t.hole(open, end);
  } else {
    t.literal(literal, end);
  }
}

/** U+2026 HORIZONTAL ELLIPSIS: an elision in prose (and how our hover shows a hole). */
const ELLIPSIS = 0x2026;
/** printf conversion letters of C, Python, Go, Java, Ruby and Node's util.format, and `%%`. */
const CONVERSIONS = charSet('diouxXeEfFgGaAcspnrvqtTwbjOU%');
/** Length modifiers before a C conversion: `%lu`, `%zu`, `%hhd`, `%lld`. */
const LENGTHS = charSet('hlLqjzt');
const MAX_PRINTF_KEY = 64;

function charSet(chars: string): Uint8Array {
  const set = new Uint8Array(128);
  for (let k = 0; k < chars.length; k++) set[chars.charCodeAt(k)] = 1;
  return set;
}

function inSet(set: Uint8Array, c: number): boolean {
  return c < 128 && set[c] === 1;
}

/**
 * End of the printf conversion whose text starts at `i` (after its '%'), or -1 when there is
 * none: `%s`, `%-5d`, `%05.2f`, `%(host)s`, `%1$s`, `%lu`, `%%`. It may also read as a URI escape (`%5d`).
 */
function printfEnd(text: string, i: number, end: number): number {
  if (i < end && text.charCodeAt(i) === Ch.LParen) {
    let close = i + 1;
    while (close < end && close - i <= MAX_PRINTF_KEY && text.charCodeAt(close) !== Ch.RParen && text.charCodeAt(close) !== Ch.LF) close++;
    if (close >= end || text.charCodeAt(close) !== Ch.RParen) return -1;
    i = close + 1;
  }
  while (i < end) {
    const c = text.charCodeAt(i);
    // Flags, width, precision, and argument indexes: `%1$s` (POSIX, Java), `%[1]d` (Go).
    if (c === Ch.Minus || c === Ch.Plus || c === Ch.Space || c === Ch.Hash || c === Ch.Dot || c === Ch.Star || isDigit(c) ||
      c === Ch.Dollar || c === Ch.LBracket || c === Ch.RBracket) {
      i++;
      continue;
    }
    if (inSet(LENGTHS, c)) {
      let j = i + 1;
      if ((c === 104 /* h */ || c === 108 /* l */) && text.charCodeAt(j) === c) j++;
      if (j < end && inSet(CONVERSIONS, text.charCodeAt(j)) && text.charCodeAt(j) !== Ch.Percent) return j + 1;
    }
    return inSet(CONVERSIONS, c) ? i + 1 : -1;
  }
  return -1;
}

type TemplatePart = Template['parts'][number];

const PRINTF = 1;
const ELIDED = 2;

function isEscape(text: string, i: number, end: number): boolean {
  return i + 2 < end && isHex(text.charCodeAt(i + 1)) && isHex(text.charCodeAt(i + 2));
}

/** `%00`–`%1F`: the escape of a control character, rare in a URI, while `%05d` and `%10s` are common formats. */
function isControlEscape(text: string, i: number): boolean {
  const c = text.charCodeAt(i + 1);
  return c === Ch.D0 || c === Ch.D0 + 1;
}

/**
 * What the literal parts hold: PRINTF when a `%` starts a conversion that is no URI escape
 * (`%s`, `%-5d`, `%(host)s`, `%%`, `%05d`: the text is a format), ELIDED when there is an `…`.
 */
function runtimeSigns(text: string, parts: readonly TemplatePart[], printf: boolean): number {
  let signs = 0;
  for (const p of parts) {
    if (p.hole || p.value !== undefined) continue;
    for (let i = p.start; i < p.end; i++) {
      const c = text.charCodeAt(i);
      if (c === Ch.LF || c === Ch.CR) return signs;
      if (c === ELLIPSIS) signs |= ELIDED;
      if (c !== Ch.Percent || !printf || (signs & PRINTF) !== 0) continue;
      const e = printfEnd(text, i + 1, p.end);
      if (e < 0) continue;
      if (!isEscape(text, i, p.end) || isControlEscape(text, i)) signs |= PRINTF;
      i = e - 1;
    }
  }
  return signs;
}

/**
 * The parts of a template with the holes that only show on the whole (`signs`, from
 * runtimeSigns): an `…` (an elision) and, in a printf format, every conversion, also one that
 * reads as an escape (`%5d`, `%2F`: printf replaces them before libvirt sees the text). A lone
 * `%2F` stays the escape libvirt decodes.
 */
function withRuntimeHoles(text: string, parts: readonly TemplatePart[], signs: number): readonly TemplatePart[] {
  if (signs === 0) return parts;
  const format = (signs & PRINTF) !== 0;
  const out = new Template();
  for (const p of parts) {
    if (p.hole) {
      out.hole(p.start, p.end);
      continue;
    }
    if (p.value !== undefined) {
      out.escaped(p.start, p.end, p.value);
      continue;
    }
    let literal = p.start;
    for (let i = p.start; i < p.end; i++) {
      const c = text.charCodeAt(i);
      if (c === Ch.LF || c === Ch.CR) break;
      const hole = c === ELLIPSIS ? i + 1 : c === Ch.Percent && format ? printfEnd(text, i + 1, p.end) : -1;
      if (hole > i) {
        out.literal(literal, i);
        out.hole(i, hole);
        literal = hole;
        i = hole - 1;
      }
    }
    out.literal(literal, p.end);
  }
  return out.parts;
}

/**
 * In documentation a port written as a word (`host:port`, `:PORT`, `:ssh_port`) is a
 * placeholder: the range of that word in the candidate text, or undefined.
 */
function portWord(text: string): { start: number; end: number } | undefined {
  const scheme = text.indexOf('://');
  if (scheme < 0) return undefined;
  let colon = -1;
  let bracket = false;
  let end = scheme + 3;
  for (; end < text.length; end++) {
    const c = text.charCodeAt(end);
    if (c === Ch.Slash || c === Ch.Question || c === Ch.Hash) break;
    // After user info comes the host; a colon inside [IPv6] is no port separator.
    if (c === 64 /* @ */) colon = -1;
    else if (c === Ch.LBracket) bracket = true;
    else if (c === Ch.RBracket) bracket = false;
    else if (c === Ch.Colon && !bracket) colon = end;
  }
  if (colon < 0 || colon + 1 >= end || !isLetter(text.charCodeAt(colon + 1))) return undefined;
  for (let i = colon + 2; i < end; i++) {
    const c = text.charCodeAt(i);
    if (!(isLetter(c) || isDigit(c) || c === Ch.Underscore || c === Ch.Minus)) return undefined;
  }
  return { start: colon + 1, end };
}

/** `pieces` with the literal text [start, end) of the candidate text made a hole, when one literal piece holds it. */
function punch(pieces: CandidatePiece[], start: number, end: number): boolean {
  for (let k = 0; k < pieces.length; k++) {
    const p = pieces[k];
    if (p.hole || p.value !== undefined || start < p.at || end > p.at + p.end - p.start) continue;
    const hole: CandidatePiece = { at: start, start: p.start + start - p.at, end: p.start + end - p.at, hole: true };
    const replaced: CandidatePiece[] = [];
    if (start > p.at) replaced.push({ at: p.at, start: p.start, end: hole.start, hole: false });
    replaced.push(hole);
    if (hole.end < p.end) replaced.push({ at: start + 1, start: hole.end, end: p.end, hole: false });
    pieces.splice(k, 1, ...replaced);
    for (let j = k + replaced.length; j < pieces.length; j++) pieces[j].at -= end - start - 1;
    return true;
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

interface BuildOptions {
  libvirtContext: boolean;
  consumer: ConsumerName;
  kind: 'uri' | 'alias-entry';
  /** printf conversions may be holes (not in libvirt.conf, which libvirt reads as it is). */
  printf: boolean;
  prose: boolean;
  unterminated?: boolean;
}

/** Collects candidates and (on request) suppression markers found in comments. */
export class Collector {
  readonly candidates: UriCandidate[] = [];
  readonly suppressions: Suppression[] = [];
  /** libvirt.conf's settings, when the document is one. */
  readonly settings: ConfSetting[] = [];
  /** The document is documentation (Markdown, plain text): a port written as a word is a placeholder in all of it. */
  documentation = false;
  private readonly markers: Finder;
  private readonly anyMarker: boolean;
  private lineOffset = 0;
  private lineNumber = 0;

  constructor(readonly text: string, wantSuppressions: boolean) {
    this.markers = new Finder(text, MARKER);
    this.anyMarker = wantSuppressions && this.markers.next(0) >= 0;
  }

  /** Adds text[start..end) cut at its first line break: a URI never spans lines. */
  add(start: number, end: number, libvirtContext: boolean, kind: 'uri' | 'alias-entry' = 'uri', consumer: ConsumerName = 'libvirt'): void {
    this.build([{ start, end, hole: false }], { libvirtContext, consumer, kind, printf: false, prose: false });
  }

  /**
   * Adds a string's content when it is a candidate: a driver scheme, or any string in a context.
   * An unterminated string may still be half-way through its scheme.
   */
  addString(start: number, end: number, libvirtContext: boolean, unterminated = false, consumer: ConsumerName = 'libvirt'): void {
    if (!libvirtContext && !startsWithDriverScheme(this.text, start, end, unterminated)) return;
    this.add(start, end, libvirtContext, 'uri', consumer);
  }

  /**
   * Adds a template when it is a candidate (as for addString, on its literal text and holes).
   * A literal piece with a line break ends the template there. Its printf conversions are
   * holes; in `prose` (free text) a port written as a word is one too.
   */
  addTemplate(t: Template, libvirtContext: boolean, unterminated = false, consumer: ConsumerName = 'libvirt', prose = false): void {
    const parts = t.parts;
    if (parts.length === 0) {
      if (t.origin >= 0) this.addString(t.origin, t.origin, libvirtContext, unterminated, consumer);
      return;
    }
    const o: BuildOptions = { libvirtContext, consumer, kind: 'uri', printf: true, prose, unterminated };
    if (parts.length === 1 && !parts[0].hole && parts[0].value === undefined) {
      if (!libvirtContext && !startsWithDriverScheme(this.text, parts[0].start, parts[0].end, unterminated)) return;
      o.unterminated = undefined;
    }
    this.build(parts, o);
  }

  /**
   * Makes the candidate of `parts`, with the holes only the whole shows (withRuntimeHoles, and
   * in documentation a port written as a word). Outside a context it must start with a driver
   * scheme, or end half-way through one when `unterminated`; undefined: the caller has checked.
   */
  private build(parts: readonly TemplatePart[], o: BuildOptions): void {
    const signs = runtimeSigns(this.text, parts, o.printf);
    parts = withRuntimeHoles(this.text, parts, signs);
    // A written line break (`\n`, `\r`) ends the URI in a format, and outside a libvirt context,
    // where `"qemu:///system\n"` is a line of output.
    const writtenBreaks = !o.libvirtContext || (signs & PRINTF) !== 0;
    if (parts.length === 0) return;
    // One literal run is a candidate even when empty (a string in a context) or cut to nothing.
    const single = parts.length === 1 && !parts[0].hole && parts[0].value === undefined;
    let text = '';
    let literal = false;
    const pieces: CandidatePiece[] = [];
    for (const p of parts) {
      if (p.hole) {
        pieces.push({ at: text.length, start: p.start, end: p.end, hole: true });
        text += HOLE;
        continue;
      }
      if (p.value !== undefined) {
        pieces.push({ at: text.length, start: p.start, end: p.end, hole: false, value: p.value });
        text += p.value;
        literal = true;
        continue;
      }
      const end = this.lineCut(p.start, p.end, writtenBreaks);
      if (end > p.start || single) {
        pieces.push({ at: text.length, start: p.start, end, hole: false });
        text += this.text.slice(p.start, end);
        literal = true;
      }
      if (end < p.end) break;
    }
    // Nothing literal: nothing to say.
    if (!literal) return;
    if (o.unterminated !== undefined && !o.libvirtContext && !startsWithDriverScheme(text, 0, text.length, o.unterminated)) return;
    if (o.prose || this.documentation) {
      const port = portWord(text);
      if (port !== undefined && punch(pieces, port.start, port.end)) text = text.slice(0, port.start) + HOLE + text.slice(port.end);
    }
    const contiguous = pieces.length === 1 && !pieces[0].hole && pieces[0].value === undefined;
    const candidate: UriCandidate = { text, offset: pieces[0].start, libvirtContext: o.libvirtContext, consumer: o.consumer, kind: o.kind };
    if (!contiguous) candidate.pieces = pieces;
    this.candidates.push(candidate);
  }

  /** Where a line break ends the literal text [start, end); with `written`, also a written one (`\n`, `\r`). */
  private lineCut(start: number, end: number, written: boolean): number {
    for (let i = start; i < end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === Ch.LF || c === Ch.CR) return i;
      if (c === Ch.Backslash && written) {
        const n = this.text.charCodeAt(i + 1);
        if (n === 110 /* n */ || n === 114 /* r */) return i;
      }
    }
    return end;
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
