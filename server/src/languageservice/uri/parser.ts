// Tolerant parser for libvirt connection URIs. Never throws, one pass, exact offsets for every
// component. Syntax is judged the way libvirt 9.0.0 judges it: libxml2 2.9.14's RFC 3986 parser
// (xmlParseURI) followed by libvirt's own query splitting (virURIParseParams).
//
// The text may be a URI template: each HOLE stands for a part written as an expression
// (`{host}`, `%s`, `" + host + "`). A hole is taken to fill the component it sits in; what it
// may fill beyond that is listed in `unknown`, and nothing is said about unknown text.

export interface Component {
  text: string;
  start: number;
  end: number;
}

export interface QueryParam {
  /** The whole section between separators. */
  start: number;
  end: number;
  name: Component;
  /** Absent when the section has no '='. */
  value?: Component;
  decodedName: string;
  /** '' when there is no value, as libvirt does. */
  decodedValue: string;
  /** The separator that ended this section ('' at the end of the query). */
  separator: '&' | ';' | '';
}

/** One hole of a URI template; never part of a real URI (U+FFFC OBJECT REPLACEMENT CHARACTER). */
export const HOLE = '\uFFFC';
const HOLE_CODE = 0xfffc;

/** The parts of a URI, in the order they are written. */
export type UriPart = 'driver' | 'transport' | 'user' | 'host' | 'port' | 'path' | 'query' | 'fragment';
const PART_ORDER: readonly UriPart[] = ['driver', 'transport', 'user', 'host', 'port', 'path', 'query', 'fragment'];

export type SyntaxProblemKind = 'invalid-character' | 'bad-escape' | 'bad-port' | 'bad-scheme' | 'unterminated-ipv6';

export interface SyntaxProblem {
  kind: SyntaxProblemKind;
  start: number;
  end: number;
  detail: string;
}

export interface ParsedUri {
  text: string;
  /** Everything before the first ':' when it looks like a scheme; `terminated` is false while the ':' is still missing. */
  scheme?: Component & { terminated: boolean };
  /** Scheme text before the first '+'. */
  driver?: Component;
  /** Scheme text after the first '+' (may be empty, e.g. while typing `qemu+`). */
  transport?: Component;
  /** Present when the URI has `//`; covers the text between `//` and the path. */
  authority?: Component;
  user?: Component;
  /** Host name without IPv6 brackets. */
  host?: Component;
  hostIsIpLiteral: boolean;
  /** Digits after the host's ':' (may be empty text while typing). */
  port?: Component;
  path: Component;
  /** Text after '?', excluding it. */
  query?: Component;
  params: QueryParams;
  fragment?: Component;
  /** The first ones found, at most MAX_PROBLEMS. */
  problems: SyntaxProblem[];
  /**
   * Parts a hole may add, remove or resize (`"test://" + name` may hold a path, a query…): whether
   * they are there, and what they hold, is unknown. For `query` it means parameters may be
   * missing from `params`. A part that only contains a hole is present with unknown text.
   */
  unknown: ReadonlySet<UriPart>;
}

/** A part of a parsed URI at an offset: a URI part, or a parameter's name or value. */
export type PartAt =
  | { part: UriPart; component: Component }
  | { part: 'parameter-name' | 'parameter-value'; component: Component; param: QueryParam };

/**
 * The part whose text holds `offset` (its end included, so a caret right after `qemu` is in the
 * driver), in the order the parts are written; undefined on a delimiter that ends nothing.
 */
export function partAtOffset(uri: ParsedUri, offset: number): PartAt | undefined {
  for (const part of PART_ORDER) {
    if (part === 'query') {
      for (const param of uri.params) {
        if (param.name.start <= offset && offset <= param.name.end) return { part: 'parameter-name', component: param.name, param };
        if (param.value && param.value.start <= offset && offset <= param.value.end) return { part: 'parameter-value', component: param.value, param };
      }
      continue;
    }
    const c = partComponent(uri, part);
    if (c && c.start <= offset && offset <= c.end) return { part, component: c };
  }
  return undefined;
}

/** Whether a component's text is all known: no hole of a template inside. */
export function isLiteral(c: Component): boolean {
  return !c.text.includes(HOLE);
}

const INT_MAX = 2147483647;
// Only the first problem decides a verdict; a hostile string could otherwise hold millions.
const MAX_PROBLEMS = 100;

// Character classes of RFC 3986 as libxml2 applies them.
const enum C {
  Unreserved = 1,
  SubDelim = 2,
  Hex = 4,
  SchemeChar = 8,
}
const classes = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let k = 0;
  if (/[A-Za-z0-9\-._~]/.test(ch)) k |= C.Unreserved;
  if (/[!$&'()*+,;=]/.test(ch)) k |= C.SubDelim;
  if (/[0-9A-Fa-f]/.test(ch)) k |= C.Hex;
  if (/[A-Za-z0-9+\-.]/.test(ch)) k |= C.SchemeChar;
  classes[c] = k;
}

function cls(code: number): number {
  return code < 128 ? classes[code] : 0;
}

function isHex(s: string, i: number): boolean {
  return i < s.length && (cls(s.charCodeAt(i)) & C.Hex) !== 0;
}

function component(text: string, start: number, end: number): Component {
  return { text: text.slice(start, end), start, end };
}

/** What a component may contain besides unreserved characters, sub-delims and %-escapes. */
const EXTRA_ALLOWED: Record<'user' | 'host' | 'path' | 'query' | 'fragment', string> = {
  user: ':',
  host: '',
  path: ':@/',
  query: ':@/?',
  fragment: ':@/?',
};

const PLACE: Record<keyof typeof EXTRA_ALLOWED, string> = {
  user: 'the user name',
  host: 'the host name',
  path: 'the path',
  query: 'the query',
  fragment: 'the fragment',
};

function describeChar(ch: string): string {
  if (ch === ' ') return 'a space';
  if (ch === '\t') return 'a tab';
  const code = ch.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
  return `'${ch}'`;
}

function percentEncode(ch: string): string {
  return Array.from(Buffer.from(ch, 'utf8'), (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
}

/** Checks one component's characters, recording problems; runs of the same problem are merged. */
function checkChars(text: string, start: number, end: number, where: keyof typeof EXTRA_ALLOWED, problems: SyntaxProblem[]): void {
  const extra = EXTRA_ALLOWED[where];
  for (let i = start; i < end && problems.length < MAX_PROBLEMS; i++) {
    const code = text.charCodeAt(i);
    if ((cls(code) & (C.Unreserved | C.SubDelim)) !== 0 || code === HOLE_CODE) continue;
    const ch = text[i];
    if (ch === '%') {
      // A hole right after '%' or after its first digit may hold the rest of the escape.
      if (text.charCodeAt(i + 1) === HOLE_CODE) continue;
      if (isHex(text, i + 1) && text.charCodeAt(i + 2) === HOLE_CODE) {
        i += 1;
        continue;
      }
      if (isHex(text, i + 1) && isHex(text, i + 2)) {
        i += 2;
        continue;
      }
      const len = isHex(text, i + 1) ? 2 : 1;
      problems.push({
        kind: 'bad-escape', start: i, end: Math.min(i + len, end),
        detail: `'%' in ${PLACE[where]} must start a %XX escape of two hex digits (write %25 for a literal '%')`,
      });
      continue;
    }
    if (extra.includes(ch)) continue;
    // A surrogate pair is one character.
    const width = code >= 0xd800 && code <= 0xdbff && i + 1 < end ? 2 : 1;
    const full = text.slice(i, i + width);
    const last = problems[problems.length - 1];
    if (last && last.kind === 'invalid-character' && last.end === i) {
      last.end = i + width;
    } else {
      problems.push({
        kind: 'invalid-character', start: i, end: i + width,
        detail: `${describeChar(full)} is not allowed in ${PLACE[where]}` + (code > 0x20 && code !== 0x7f ? `; write ${percentEncode(full)}` : ''),
      });
    }
    i += width - 1;
  }
}

/** xmlURIUnescapeString: %XX becomes a byte, anything else is kept; bytes read as UTF-8. */
export function percentDecode(raw: string): string {
  if (!raw.includes('%')) return raw;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '%' && isHex(raw, i + 1) && isHex(raw, i + 2)) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 2;
    } else {
      for (const b of Buffer.from(raw[i], 'utf8')) bytes.push(b);
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/**
 * The query's parameters, split the way virURIParseParams does ('&' first, ';' only when no '&'
 * remains). An ordinary query is split once and kept, since the rules read it several times; one
 * longer than SPLIT_ONCE_LIMIT can hold millions of parameters, so it is split again each time
 * it is iterated instead of being kept.
 */
export class QueryParams implements Iterable<QueryParam> {
  private static readonly SPLIT_ONCE_LIMIT = 4096;
  private kept: QueryParam[] | undefined;

  constructor(private readonly text: string, private readonly start: number, private readonly end: number) {}

  [Symbol.iterator](): Iterator<QueryParam> {
    if (this.end - this.start > QueryParams.SPLIT_ONCE_LIMIT) return this.split();
    this.kept ??= [...this.split()];
    return this.kept[Symbol.iterator]();
  }

  private *split(): Generator<QueryParam> {
    const { text, end } = this;
    let pos = this.start;
    // Positions of the next '&' and '=', kept ahead of pos so the scan stays linear.
    let nextAmp = text.indexOf('&', pos);
    let nextEq = text.indexOf('=', pos);
    while (pos < end) {
      if (nextAmp !== -1 && nextAmp < pos) nextAmp = text.indexOf('&', pos);
      if (nextEq !== -1 && nextEq < pos) nextEq = text.indexOf('=', pos);
      let sep = nextAmp !== -1 && nextAmp < end ? nextAmp : -1;
      if (sep === -1) {
        const semi = text.indexOf(';', pos);
        sep = semi !== -1 && semi < end ? semi : -1;
      }
      const sectionEnd = sep === -1 ? end : sep;
      if (sectionEnd > pos) {
        const eq = nextEq;
        const hasEq = eq !== -1 && eq < sectionEnd;
        const nameEnd = hasEq ? eq : sectionEnd;
        const name = component(text, pos, nameEnd);
        const value = hasEq ? component(text, eq + 1, sectionEnd) : undefined;
        yield {
          start: pos,
          end: sectionEnd,
          name,
          value,
          decodedName: percentDecode(name.text),
          decodedValue: value ? percentDecode(value.text) : '',
          separator: sep === -1 ? '' : (text[sep] as '&' | ';'),
        };
      }
      pos = sectionEnd + 1;
    }
  }

  some(test: (p: QueryParam) => boolean): boolean {
    return this.find(test) !== undefined;
  }

  find(test: (p: QueryParam) => boolean): QueryParam | undefined {
    for (const p of this) if (test(p)) return p;
    return undefined;
  }
}

const SLASH = 0x2f;
const QUESTION = 0x3f;
const HASH = 0x23;
const COLON = 0x3a;

/** Where the first of the characters `a`, `b`, `c` (codes; -1 for none) is in text[from, end), or `end`. */
function indexOfAny(text: string, from: number, end: number, a: number, b = -1, c = -1): number {
  for (let i = from; i < end; i++) {
    const ch = text.charCodeAt(i);
    if (ch === a || ch === b || ch === c) return i;
  }
  return end;
}

export function parseUri(text: string): ParsedUri {
  const problems: SyntaxProblem[] = [];
  // Every field from the start: one object shape for all URIs keeps the rules' property reads fast.
  const result: ParsedUri = {
    text,
    scheme: undefined,
    driver: undefined,
    transport: undefined,
    authority: undefined,
    user: undefined,
    host: undefined,
    hostIsIpLiteral: false,
    port: undefined,
    path: component(text, 0, 0),
    query: undefined,
    params: EMPTY_PARAMS,
    fragment: undefined,
    problems,
    unknown: NONE_UNKNOWN,
  };
  const n = text.length;
  let pos = 0;

  // Scheme: letters, digits, '+', '-', '.', and (to report it) '_', up to ':'.
  let i = 0;
  while (i < n && ((cls(text.charCodeAt(i)) & C.SchemeChar) !== 0 || text[i] === '_' || text.charCodeAt(i) === HOLE_CODE)) i++;
  const colon = i < n && text[i] === ':';
  if (i > 0 && (colon || i === n) && /[A-Za-z\uFFFC]/.test(text[0] ?? '')) {
    result.scheme = { text: text.slice(0, i), start: 0, end: i, terminated: colon };
  } else if (colon && i > 0) {
    result.scheme = { text: text.slice(0, i), start: 0, end: i, terminated: true };
  }
  if (result.scheme && !colon) {
    // No ':' yet: a half-typed scheme (`qemu+`) or a bare word such as an alias name.
    splitScheme(result);
    return result;
  }
  if (result.scheme) {
    const s = result.scheme;
    if (!/^[A-Za-z\uFFFC]/.test(s.text)) {
      problems.push({ kind: 'bad-scheme', start: s.start, end: s.start + 1, detail: 'a scheme must start with a letter' });
    }
    for (let k = s.start; k < s.end && problems.length < MAX_PROBLEMS; k++) {
      if (text[k] === '_') problems.push({ kind: 'bad-scheme', start: k, end: k + 1, detail: "'_' is not allowed in a scheme" });
    }
    splitScheme(result);
    pos = i + 1;
  }

  const pathEnd = (from: number): number => indexOfAny(text, from, n, QUESTION, HASH);

  if (result.scheme && text.startsWith('//', pos)) {
    const authStart = pos + 2;
    const authEnd = indexOfAny(text, authStart, n, SLASH, QUESTION, HASH);
    result.authority = component(text, authStart, authEnd);
    parseAuthority(result, authStart, authEnd);
    pos = authEnd;
  }

  const pEnd = pathEnd(pos);
  result.path = component(text, pos, pEnd);
  checkChars(text, pos, pEnd, 'path', problems);
  if (!result.scheme) {
    // RFC 3986 path-noscheme: a relative reference cannot have ':' in its first segment.
    const slash = indexOfAny(text, pos, pEnd, SLASH);
    const colonAt = text.indexOf(':', pos);
    if (colonAt !== -1 && colonAt < slash) {
      problems.push({ kind: 'invalid-character', start: colonAt, end: colonAt + 1, detail: "a ':' before the first '/' must follow a scheme name" });
    }
  }
  pos = pEnd;

  if (pos < n && text[pos] === '?') {
    const qStart = pos + 1;
    const qEnd = indexOfAny(text, qStart, n, HASH);
    result.query = component(text, qStart, qEnd);
    checkChars(text, qStart, qEnd, 'query', problems);
    result.params = new QueryParams(text, qStart, qEnd);
    pos = qEnd;
  }
  if (pos < n && text[pos] === '#') {
    result.fragment = component(text, pos + 1, n);
    checkChars(text, pos + 1, n, 'fragment', problems);
  }
  if (text.includes(HOLE)) result.unknown = unknownParts(result);
  return result;
}

const NONE_UNKNOWN: ReadonlySet<UriPart> = new Set();
const EMPTY_PARAMS = new QueryParams('', 0, 0);

function partComponent(uri: ParsedUri, part: UriPart): Component | undefined {
  return part === 'driver' || part === 'transport' || part === 'user' || part === 'host' || part === 'port' || part === 'query' ||
    part === 'fragment' ? uri[part] : uri.path;
}

/** Index in PART_ORDER of the part whose text holds offset `i`, or -1 (a delimiter). */
function partAt(uri: ParsedUri, i: number): number {
  for (let k = 0; k < PART_ORDER.length; k++) {
    const c = partComponent(uri, PART_ORDER[k]);
    if (c && c.start <= i && i < c.end) return k;
  }
  return -1;
}

/**
 * What the holes may change. A hole fills the part it sits in and may also hold the parts
 * between it and the next literal text (`"qemu+ssh://" + host + "/system"`: the host, and maybe
 * a user and a port; `"test://" + file`: everything after the scheme).
 */
function unknownParts(uri: ParsedUri): Set<UriPart> {
  const { text } = uri;
  const unknown = new Set<UriPart>();
  for (let p = text.indexOf(HOLE); p !== -1; p = text.indexOf(HOLE, p + 1)) {
    const own = partAt(uri, p);
    if (own < 0) continue;
    const part = PART_ORDER[own];
    // The part that literal text after the hole starts; nothing follows: the hole may hold all the rest.
    let next = PART_ORDER.length;
    if (p + 1 < text.length) {
      for (let k = own + 1; k < PART_ORDER.length; k++) {
        const c = partComponent(uri, PART_ORDER[k]);
        if (c && c.end > c.start && c.start > p) {
          next = k;
          break;
        }
      }
      if (partAt(uri, p + 1) === own) next = own + 1;
    } else if (part !== 'path' && part !== 'fragment') {
      // Whether the part is there at all is open (`"test://" + file` may have no host).
      unknown.add(part);
    }
    for (let k = own + 1; k < next; k++) unknown.add(PART_ORDER[k]);
    // At the start of the authority, a hole may also hold `user@`; and when it may hold the
    // path too, it may be that path alone, with no host (`"test://" + file`).
    if (part === 'host' && uri.authority && p === uri.authority.start) {
      unknown.add('user');
      if (unknown.has('path')) unknown.add('host');
    }
    // A hole in a parameter name may be any parameter, and one at the end may add more.
    if (part === 'query' && (p + 1 === text.length || uri.params.some((q) => q.name.start <= p && p < q.name.end))) unknown.add('query');
  }
  return unknown;
}

function splitScheme(result: ParsedUri): void {
  const s = result.scheme!;
  const plus = s.text.indexOf('+');
  if (plus === -1) {
    result.driver = component(result.text, s.start, s.end);
  } else {
    result.driver = component(result.text, s.start, s.start + plus);
    result.transport = component(result.text, s.start + plus + 1, s.end);
  }
}

function parseAuthority(result: ParsedUri, start: number, end: number): void {
  const { text, problems } = result;
  let hostStart = start;
  const at = text.lastIndexOf('@', end - 1);
  if (at >= start) {
    result.user = component(text, start, at);
    checkChars(text, start, at, 'user', problems);
    hostStart = at + 1;
  }
  let hostEnd: number;
  if (text[hostStart] === '[') {
    const close = text.indexOf(']', hostStart);
    if (close === -1 || close >= end) {
      result.host = component(text, hostStart + 1, end);
      result.hostIsIpLiteral = true;
      // A hole at the end may hold the ']'.
      if (!text.endsWith(HOLE) || end !== text.length) {
        problems.push({ kind: 'unterminated-ipv6', start: hostStart, end, detail: "an IPv6 address must be closed with ']'" });
      }
      return;
    }
    result.host = component(text, hostStart + 1, close);
    result.hostIsIpLiteral = true;
    hostEnd = close + 1;
    if (hostEnd < end && text[hostEnd] !== ':') {
      problems.push({ kind: 'invalid-character', start: hostEnd, end, detail: "only ':port' may follow an IPv6 address" });
      return;
    }
  } else {
    hostEnd = indexOfAny(text, hostStart, end, COLON);
    result.host = component(text, hostStart, hostEnd);
    checkChars(text, hostStart, hostEnd, 'host', problems);
  }
  if (hostEnd < end) {
    const portStart = hostEnd + 1;
    result.port = component(text, portStart, end);
    const digits = result.port.text;
    if (digits.includes(HOLE)) return;
    if (!/^[0-9]+$/.test(digits)) {
      problems.push({
        kind: 'bad-port', start: digits === '' ? hostEnd : portStart, end: digits === '' ? portStart : end,
        detail: digits === '' ? "a ':' after the host must be followed by a port number" : 'the port must be a number',
      });
    } else if (Number(digits) > INT_MAX) {
      problems.push({ kind: 'bad-port', start: portStart, end, detail: `the port ${digits} is too large` });
    }
  }
}
