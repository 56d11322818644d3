// One scanner for the programming languages (Python, C/C++, Go, Rust, JS/TS, Java, Ruby, HCL).
// The forward pass stops only at characters that can start a string or a comment (a per-language
// table), so identifiers and operators cost one table lookup each. Whether a string is meant for
// libvirt is decided when a string is met, by reading the few tokens before it backwards
// (`libvirt.open(`, `virConnectOpen(`, `Connect::open(Some(`, `['LIBVIRT_DEFAULT_URI'] =`…).
import * as common from './common';
import type { Collector } from './common';
import { PlainScanner } from './plain';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, heredocBody, isDigit, isLetter, lineEnd } = common;

export type CodeLanguage = 'python' | 'c' | 'cpp' | 'go' | 'rust' | 'js' | 'java' | 'ruby' | 'hcl';

// What the forward pass does at a character (0: nothing).
const H_DQUOTE = 1;
const H_SQUOTE = 2;
const H_BACKTICK = 3;
const H_HASH = 4;
const H_SLASH = 5;
const H_LBRACE = 6;
const H_RBRACE = 7;
const H_PERCENT = 8;
const H_LT = 9;
const H_EQ = 10;
const H_LF = 11;

function table(entries: [string, number][]): Uint8Array {
  const t = new Uint8Array(128);
  for (const [chars, handler] of entries) for (const ch of chars) t[ch.charCodeAt(0)] = handler;
  return t;
}

const QUOTES: [string, number][] = [['"', H_DQUOTE], ["'", H_SQUOTE]];
const SLASH_COMMENTS: [string, number][] = [...QUOTES, ['/', H_SLASH]];
const TABLES: Record<CodeLanguage, Uint8Array> = {
  python: table([...QUOTES, ['#', H_HASH]]),
  c: table(SLASH_COMMENTS),
  cpp: table(SLASH_COMMENTS),
  go: table([...SLASH_COMMENTS, ['`', H_BACKTICK]]),
  rust: table(SLASH_COMMENTS),
  js: table([...SLASH_COMMENTS, ['`', H_BACKTICK], ['{', H_LBRACE], ['}', H_RBRACE]]),
  java: table(SLASH_COMMENTS),
  ruby: table([...SLASH_COMMENTS, ['#', H_HASH], ['{', H_LBRACE], ['}', H_RBRACE], ['%', H_PERCENT], ['<', H_LT], ['=', H_EQ], ['\n', H_LF]]),
  hcl: table([...SLASH_COMMENTS, ['#', H_HASH], ['{', H_LBRACE], ['}', H_RBRACE], ['<', H_LT], ['\n', H_LF]]),
};

/**
 * Characters the fast path jumps between with indexOf. Braces only matter inside a template
 * interpolation (the scanner then steps character by character); Ruby and HCL always step.
 */
const STOPS: Partial<Record<CodeLanguage, string[]>> = {
  python: ['"', "'", '#'],
  c: ['"', "'", '/'],
  cpp: ['"', "'", '/'],
  go: ['"', "'", '/', '`'],
  rust: ['"', "'", '/'],
  js: ['"', "'", '/', '`'],
  java: ['"', "'", '/'],
};

// Token kinds read backwards before a string; punctuation is PUNCT + its character code.
const IDENT = 1;
const STR = 2;
const DCOLON = 3;
const ARROW = 4;
const PUNCT = 16;
const P_LPAREN = PUNCT + Ch.LParen;
const P_RBRACKET = PUNCT + Ch.RBracket;
const P_EQ = PUNCT + Ch.Eq;
const P_DOT = PUNCT + Ch.Dot;
const P_COMMA = PUNCT + Ch.Comma;
const P_COLON = PUNCT + Ch.Colon;
const LOOKBACK = 12;

// Brace stack entries: what a `}` closes.
const BLOCK = 0;
const LIBVIRT_PROVIDER = 1;
const RESUME_TEMPLATE = 2;
const RESUME_HCL = 3;
const RESUME_RUBY = 4;

const ENV_KEYS = ['LIBVIRT_DEFAULT_URI', 'VIRSH_DEFAULT_CONNECT_URI'];
const QUALIFIED_OPEN = ['open', 'open_read_only', 'open_auth'];
const OPEN_QUALIFIERS = ['libvirt', 'Libvirt', 'Connect'];
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else',
  'yield', 'await', 'and', 'or', 'not', 'if', 'unless', 'when', 'while', 'until', 'puts', 'elsif']);
/** Vagrant: `config.vm.provider :libvirt do |lv|` (or "libvirt", parenthesised, `{ |lv, override|`). */
const PROVIDER_BLOCK = /provider\s*\(?\s*(?::libvirt\b|(["'])libvirt\1)\s*\)?\s*(?:do\b|\{)\s*\|\s*([A-Za-z_]\w*)/y;

export class CodeScanner {
  private readonly text: string;
  private readonly table: Uint8Array;
  private start = 0;
  private end = 0;
  private readonly braces: number[] = [];
  private readonly providerVars = new Set(['libvirt']);
  private readonly heredocs: { tag: string; templates: boolean }[] = [];
  // Tokens before the current string, read backwards on demand (1 = nearest).
  private readonly kinds = new Uint8Array(LOOKBACK + 1);
  private readonly starts = new Int32Array(LOOKBACK + 1);
  private readonly ends = new Int32Array(LOOKBACK + 1);
  private filled = 0;
  private backPos = 0;
  /** Set by the string scanners: where the content stopped, and how. */
  private contentEnd = 0;
  private interpolated = false;
  private unterminated = false;

  constructor(private readonly col: Collector, private readonly plain: PlainScanner, private readonly lang: CodeLanguage) {
    this.text = col.text;
    this.table = TABLES[lang];
  }

  scan(start: number, end: number): void {
    const text = this.text;
    const t = this.table;
    this.start = start;
    this.end = end;
    if (this.lang === 'ruby') this.findProviderVariables();
    // indexOf runs at native speed, several times faster than a charCodeAt loop; small ranges
    // (Markdown fences) take the loop so that no search runs far past their end.
    const stops = end - start > 4096 ? STOPS[this.lang] : undefined;
    const next = stops === undefined ? [] : stops.map(() => -1);
    let i = start;
    while (i < end) {
      if (stops !== undefined && this.braces.length === 0) {
        let stop = end;
        for (let k = 0; k < stops.length; k++) {
          let p = next[k];
          if (p < i) {
            p = text.indexOf(stops[k], i);
            next[k] = p = p < 0 || p > end ? end : p;
          }
          if (p < stop) stop = p;
        }
        if (stop >= end) return;
        i = this.step(stop, t[text.charCodeAt(stop)]);
        continue;
      }
      const c = text.charCodeAt(i);
      const h = c < 128 ? t[c] : 0;
      i = h === 0 ? i + 1 : this.step(i, h);
    }
  }

  /** Handles the character at `i`, whose table entry is `h`; returns where scanning continues. */
  private step(i: number, h: number): number {
    const text = this.text;
    switch (h) {
      case H_DQUOTE:
        return this.doubleQuote(i);
      case H_SQUOTE:
        return this.singleQuote(i);
      case H_BACKTICK:
        return this.backtick(i);
      case H_HASH:
        return this.lineComment(i + 1);
      case H_SLASH: {
        const n = this.lang === 'ruby' ? 0 : text.charCodeAt(i + 1);
        if (n === Ch.Slash) return this.lineComment(i + 2);
        if (n === Ch.Star) return this.blockComment(i);
        return (this.lang === 'js' || this.lang === 'ruby') && this.operandExpected(i) ? this.regex(i) : i + 1;
      }
      case H_LBRACE:
        this.braces.push(this.lang === 'hcl' && this.providerBlockOpens(i) ? LIBVIRT_PROVIDER : BLOCK);
        return i + 1;
      case H_RBRACE: {
        const top = this.braces.pop();
        return top === RESUME_TEMPLATE || top === RESUME_HCL || top === RESUME_RUBY ? this.resume(top, i + 1) : i + 1;
      }
      case H_PERCENT:
        return this.rubyPercent(i);
      case H_LT:
        return text.charCodeAt(i + 1) === Ch.Lt ? this.heredocStart(i + 2) : i + 1;
      case H_EQ:
        return (i === this.start || text.charCodeAt(i - 1) === Ch.LF) && text.startsWith('=begin', i) ? this.rubyBlockComment(i) : i + 1;
      case H_LF:
        return this.heredocs.length > 0 ? this.skipHeredocs(i + 1) : i + 1;
      default:
        return i + 1;
    }
  }

  // ---- tokens before a string, read backwards ---------------------------------------------

  private lookBehind(pos: number): void {
    this.filled = 0;
    this.backPos = pos;
  }

  /** Kind of the `back`-th token before the position given to lookBehind (1 = nearest); 0 if none. */
  private kindAt(back: number): number {
    while (this.filled < back) {
      if (this.filled === LOOKBACK || !this.readBack()) return 0;
    }
    return this.kinds[back];
  }

  private readBack(): boolean {
    const text = this.text;
    let p = this.backPos;
    while (p > this.start && isBlank(text.charCodeAt(p - 1))) p--;
    if (p <= this.start) return false;
    const c = text.charCodeAt(p - 1);
    let s = p - 1;
    let kind: number;
    let contentStart = s;
    let contentEnd = p;
    if (isIdentPart(c)) {
      while (s > this.start && isIdentPart(text.charCodeAt(s - 1))) s--;
      kind = IDENT;
      contentStart = s;
    } else if (c === Ch.DQuote || c === Ch.SQuote) {
      s = p - 2;
      while (s >= this.start && !(text.charCodeAt(s) === c && text.charCodeAt(s - 1) !== Ch.Backslash)) {
        if (text.charCodeAt(s) === Ch.LF) return false;
        s--;
      }
      if (s < this.start) return false;
      kind = STR;
      contentStart = s + 1;
      contentEnd = p - 1;
    } else if (c === Ch.Colon && text.charCodeAt(p - 2) === Ch.Colon) {
      s = p - 2;
      kind = DCOLON;
    } else if (c === Ch.Gt && text.charCodeAt(p - 2) === Ch.Eq) {
      s = p - 2;
      kind = ARROW;
    } else {
      kind = c < 128 ? PUNCT + c : PUNCT;
    }
    const k = ++this.filled;
    this.kinds[k] = kind;
    this.starts[k] = contentStart;
    this.ends[k] = contentEnd;
    this.backPos = s;
    return true;
  }

  private tokenIs(back: number, kind: number, word: string): boolean {
    if (this.kindAt(back) !== kind) return false;
    return this.ends[back] - this.starts[back] === word.length && this.text.startsWith(word, this.starts[back]);
  }

  private identIs(back: number, word: string): boolean {
    return this.tokenIs(back, IDENT, word);
  }

  // ---- libvirt context --------------------------------------------------------------------

  /** Whether a string starting at `pos` is, by the tokens before it, meant for libvirt. */
  private inContext(pos: number): boolean {
    if (!this.mayBeContext(pos)) return false;
    this.lookBehind(pos);
    const k1 = this.kindAt(1);
    if (k1 === P_LPAREN) {
      if (this.identIs(2, 'Some') && this.kindAt(3) === P_LPAREN) return this.isOpenCall(4);
      if (this.identIs(2, 'CString') && this.kindAt(3) === P_DOT && this.identIs(4, 'C') && this.kindAt(5) === P_LPAREN) return this.isOpenCall(6);
      return this.isOpenCall(2);
    }
    if (k1 === P_EQ) {
      if (this.kindAt(2) === P_EQ || this.kindAt(2) === PUNCT + Ch.Bang) return false;
      if ((this.identIs(2, 'name') || this.identIs(2, 'uri')) && this.kindAt(3) === P_LPAREN && this.isOpenCall(4)) return true;
      if (this.lang === 'ruby' && (this.identIs(2, 'uri') || this.identIs(2, 'system_uri')) && this.kindAt(3) === P_DOT &&
        this.kindAt(4) === IDENT && this.providerVars.has(this.text.slice(this.starts[4], this.ends[4]))) return true;
      if (this.lang === 'hcl' && this.identIs(2, 'uri')) return this.braces.length > 0 && this.braces[this.braces.length - 1] === LIBVIRT_PROVIDER;
      if (this.isEnvKey(2)) return true;
      return this.kindAt(2) === P_RBRACKET && this.isEnvKey(3);
    }
    if (k1 === P_COMMA || k1 === P_COLON || k1 === ARROW) return this.isEnvKey(2);
    if (k1 === IDENT && this.lang === 'ruby') return this.isOpenCall(1);
    return false;
  }

  /**
   * Cheap filter on the characters right before a string, which rules out almost every string
   * that inContext would reject: it must follow `(`, `=`, `,`, `:`, `=>` or (Ruby) a name, and
   * the character before that must be able to end one of the names the patterns look for.
   */
  private mayBeContext(pos: number): boolean {
    const text = this.text;
    let p = this.beforeBlanks(pos);
    if (p <= this.start) return false;
    const c = text.charCodeAt(p - 1);
    if (c === Ch.LParen || c === Ch.Eq || c === Ch.Comma || c === Ch.Colon || c === Ch.Gt) {
      p = this.beforeBlanks(p - 1);
      const b = text.charCodeAt(p - 1);
      if (c === Ch.LParen) return isIdentPart(b);
      if (c === Ch.Eq) return b === 101 /* e */ || b === 105 /* i */ || b === 73 /* I */ || b === Ch.RBracket;
      if (c === Ch.Gt && b !== Ch.Eq) return false;
      return b === 73 /* I */ || ((b === Ch.DQuote || b === Ch.SQuote) && text.charCodeAt(p - 2) === 73);
    }
    return this.lang === 'ruby' && isIdentPart(c);
  }

  private beforeBlanks(p: number): number {
    while (p > this.start && isBlank(this.text.charCodeAt(p - 1))) p--;
    return p;
  }

  /** Whether token `back` names a function whose first argument is a connection URI. */
  private isOpenCall(back: number): boolean {
    if (this.kindAt(back) !== IDENT) return false;
    const s = this.starts[back];
    // Identifiers are maximal, so a prefix match cannot run past the token.
    if (this.text.startsWith('virConnectOpen', s) || this.text.startsWith('NewConnect', s)) return true;
    if (this.identIs(back, 'openReadOnly') || this.identIs(back, 'openAuth') || this.identIs(back, 'ConnectToURI')) return true;
    if (QUALIFIED_OPEN.some((w) => this.identIs(back, w))) {
      const q = this.kindAt(back + 1);
      return (q === P_DOT || q === DCOLON) && OPEN_QUALIFIERS.some((w) => this.identIs(back + 2, w));
    }
    if (this.identIs(back, 'Connect') || this.identIs(back, 'Hypervisor')) {
      let b = back + 1;
      while (this.kindAt(b) === P_DOT && this.kindAt(b + 1) === IDENT && !this.identIs(b + 1, 'new')) b += 2;
      return this.identIs(b, 'new');
    }
    return false;
  }

  private isEnvKey(back: number): boolean {
    return ENV_KEYS.some((k) => this.identIs(back, k) || this.tokenIs(back, STR, k));
  }

  /** HCL `provider "libvirt" {`. */
  private providerBlockOpens(i: number): boolean {
    this.lookBehind(i);
    return this.tokenIs(1, STR, 'libvirt') && this.identIs(2, 'provider');
  }

  /** Block variables of Vagrant libvirt provider blocks in the scanned range. */
  private findProviderVariables(): void {
    // A slice keeps the search inside the range (a Markdown fence) rather than the whole document.
    const region = this.start === 0 && this.end === this.text.length ? this.text : this.text.slice(this.start, this.end);
    let at = region.indexOf('provider');
    while (at >= 0) {
      PROVIDER_BLOCK.lastIndex = at;
      const m = PROVIDER_BLOCK.exec(region);
      if (m !== null) this.providerVars.add(m[2]);
      at = region.indexOf('provider', at + 8);
    }
  }

  /** JS/Ruby: whether a `/` at `i` starts a regular expression (an operand is expected) rather than dividing. */
  private operandExpected(i: number): boolean {
    this.lookBehind(i);
    const k = this.kindAt(1);
    if (k === 0 || k === DCOLON || k === ARROW) return true;
    if (k === IDENT) return REGEX_KEYWORDS.has(this.text.slice(this.starts[1], this.ends[1]));
    return k >= PUNCT && k !== PUNCT + Ch.RParen && k !== P_RBRACKET && k !== PUNCT + Ch.RBrace;
  }

  // ---- strings ----------------------------------------------------------------------------

  /** Reports a string's content when it is a candidate. */
  private string(contentStart: number, contentEnd: number, context: boolean): void {
    if (this.interpolated) return;
    const text = this.text;
    let s = contentStart;
    const first = text.charCodeAt(s);
    if (first === 76 /* L */ || first === 86 /* V */) {
      for (const key of ENV_KEYS) {
        if (text.startsWith(key, s) && text.charCodeAt(s + key.length) === Ch.Eq && s + key.length < contentEnd) {
          s += key.length + 1;
          context = true;
          break;
        }
      }
    }
    this.col.addString(s, contentEnd, context, this.unterminated);
  }

  /**
   * Scans to the closing `quote` from `i` (just after the opening one). Sets contentEnd and
   * unterminated; returns the offset after the closing quote. An unterminated string stops at
   * the end of the line (single-line strings) or of the range.
   */
  private quoted(i: number, quote: number, multiline: boolean, escapes: boolean): number {
    const text = this.text;
    const end = this.end;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        this.contentEnd = i;
        this.unterminated = false;
        return i + 1;
      }
      if (c === Ch.Backslash && escapes) {
        i += text.charCodeAt(i + 1) === Ch.CR && text.charCodeAt(i + 2) === Ch.LF ? 3 : 2;
        continue;
      }
      if ((c === Ch.LF || c === Ch.CR) && !multiline) break;
      i++;
    }
    this.contentEnd = Math.min(i, end);
    this.unterminated = true;
    return this.contentEnd;
  }

  private doubleQuote(i: number): number {
    const text = this.text;
    this.interpolated = false;
    switch (this.lang) {
      case 'python':
      case 'java':
        if (text.charCodeAt(i + 1) === Ch.DQuote && text.charCodeAt(i + 2) === Ch.DQuote) return this.triple(i, Ch.DQuote);
        break;
      case 'cpp': {
        const raw = this.cppRawStart(i);
        if (raw >= 0) return this.cppRaw(i, raw);
        break;
      }
      case 'rust':
        if (text.charCodeAt(i - 1) === 114 /* r */ || text.charCodeAt(i - 1) === Ch.Hash) {
          const next = this.rustRaw(i);
          if (next > 0) return next;
        }
        break;
      case 'hcl':
      case 'ruby': {
        const context = this.inContext(this.prefixStart(i));
        const next = this.interpolating(i + 1, this.lang === 'hcl' ? RESUME_HCL : RESUME_RUBY);
        this.string(i + 1, this.contentEnd, context);
        return next;
      }
    }
    const context = this.inContext(this.prefixStart(i));
    const next = this.quoted(i + 1, Ch.DQuote, this.lang === 'rust', true);
    this.string(i + 1, this.contentEnd, context);
    return next;
  }

  private singleQuote(i: number): number {
    const text = this.text;
    switch (this.lang) {
      case 'python':
      case 'js':
      case 'ruby': {
        if (this.lang === 'python' && text.charCodeAt(i + 1) === Ch.SQuote && text.charCodeAt(i + 2) === Ch.SQuote) {
          this.interpolated = false;
          return this.triple(i, Ch.SQuote);
        }
        const context = this.inContext(this.prefixStart(i));
        this.interpolated = false;
        const next = this.quoted(i + 1, Ch.SQuote, this.lang === 'ruby', true);
        this.string(i + 1, this.contentEnd, context);
        return next;
      }
      case 'rust': {
        // A character literal, or a lifetime / loop label ('a) that has no closing quote.
        const n = text.charCodeAt(i + 1);
        const isChar = n === Ch.Backslash || text.charCodeAt(i + 2) === Ch.SQuote || (n >= 0xd800 && n <= 0xdbff && text.charCodeAt(i + 3) === Ch.SQuote);
        return isChar ? this.quoted(i + 1, Ch.SQuote, false, true) : i + 1;
      }
      case 'c':
      case 'cpp':
        // C++14 digit separator: 1'000'000.
        if (this.afterNumber(i)) return i + 1;
        return this.quoted(i + 1, Ch.SQuote, false, true);
      default:
        return this.quoted(i + 1, Ch.SQuote, false, true);
    }
  }

  private afterNumber(i: number): boolean {
    const text = this.text;
    let s = i;
    while (s > this.start && isIdentPart(text.charCodeAt(s - 1))) s--;
    return s < i && isDigit(text.charCodeAt(s));
  }

  /** Where a string opening at the quote `q` really starts, before a prefix (f"…", b'…', L"…", u8"…"). */
  private prefixStart(q: number): number {
    const text = this.text;
    let s = q;
    while (s > this.start && q - s < 3 && isLetter(text.charCodeAt(s - 1))) s--;
    if (s === q || (s > this.start && isIdentPart(text.charCodeAt(s - 1)))) return q;
    const prefix = text.slice(s, q);
    switch (this.lang) {
      case 'python':
        return /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/.test(prefix) ? s : q;
      case 'c':
      case 'cpp':
        return /^(?:u8|[uUL])$/.test(prefix) ? s : q;
      case 'rust':
        return prefix === 'b' || prefix === 'c' ? s : q;
      default:
        return q;
    }
  }

  private triple(i: number, quote: number): number {
    const text = this.text;
    const context = this.inContext(this.prefixStart(i));
    const start = i + 3;
    const end = this.end;
    let j = start;
    while (j < end) {
      const c = text.charCodeAt(j);
      if (c === Ch.Backslash) {
        j += 2;
        continue;
      }
      if (c === quote && text.charCodeAt(j + 1) === quote && text.charCodeAt(j + 2) === quote) {
        this.unterminated = false;
        this.string(start, j, context);
        return j + 3;
      }
      j++;
    }
    this.unterminated = true;
    this.string(start, end, context);
    return end;
  }

  /** Double-quoted string with `${…}` (HCL, also `%{…}`) or `#{…}` (Ruby) interpolation. */
  private interpolating(i: number, resume: number): number {
    const text = this.text;
    const end = this.end;
    const multiline = resume === RESUME_RUBY;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Ch.DQuote) {
        this.contentEnd = i;
        this.unterminated = false;
        return i + 1;
      }
      if (c === Ch.Backslash) {
        i += 2;
        continue;
      }
      if ((c === Ch.LF || c === Ch.CR) && !multiline) break;
      if (text.charCodeAt(i + 1) === Ch.LBrace) {
        const opens = resume === RESUME_RUBY ? c === Ch.Hash : (c === Ch.Dollar || c === Ch.Percent) && text.charCodeAt(i - 1) !== c;
        if (opens) {
          this.interpolated = true;
          this.contentEnd = i;
          this.braces.push(resume);
          return i + 2;
        }
      }
      i++;
    }
    this.contentEnd = Math.min(i, end);
    this.unterminated = true;
    return this.contentEnd;
  }

  /** Continues a string after the `}` closing one of its interpolations; it is never a candidate. */
  private resume(kind: number, i: number): number {
    return kind === RESUME_TEMPLATE ? this.template(i) : this.interpolating(i, kind);
  }

  private backtick(i: number): number {
    const context = this.inContext(i);
    this.interpolated = false;
    if (this.lang === 'go') {
      const next = this.quoted(i + 1, Ch.Backtick, true, false);
      this.string(i + 1, this.contentEnd, context);
      return next;
    }
    const next = this.template(i + 1);
    this.string(i + 1, this.contentEnd, context);
    return next;
  }

  /** JS template literal body from `i`; at `${` it hands back to the scanner until the matching `}`. */
  private template(i: number): number {
    const text = this.text;
    const end = this.end;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Ch.Backtick) {
        this.contentEnd = i;
        this.unterminated = false;
        return i + 1;
      }
      if (c === Ch.Backslash) {
        i += 2;
        continue;
      }
      if (c === Ch.Dollar && text.charCodeAt(i + 1) === Ch.LBrace) {
        this.interpolated = true;
        this.contentEnd = i;
        this.braces.push(RESUME_TEMPLATE);
        return i + 2;
      }
      i++;
    }
    this.contentEnd = end;
    this.unterminated = true;
    return end;
  }

  /** For `"` at `q`: the start of the delimiter of a C++ raw string `[u8|u|U|L]R"delim(`, or -1. */
  private cppRawStart(q: number): number {
    const text = this.text;
    if (text.charCodeAt(q - 1) !== 82 /* R */) return -1;
    let s = q - 1;
    while (s > this.start && q - s < 4 && isIdentPart(text.charCodeAt(s - 1))) s--;
    if (s > this.start && isIdentPart(text.charCodeAt(s - 1))) return -1;
    return /^(?:u8|[uUL])?R$/.test(text.slice(s, q)) ? s : -1;
  }

  private cppRaw(q: number, prefix: number): number {
    const text = this.text;
    const context = this.inContext(prefix);
    let open = q + 1;
    while (open < this.end && open - q <= 17 && text.charCodeAt(open) !== Ch.LParen) open++;
    if (text.charCodeAt(open) !== Ch.LParen) return q + 1;
    const close = ')' + text.slice(q + 1, open) + '"';
    const stop = text.indexOf(close, open + 1);
    this.unterminated = stop < 0 || stop >= this.end;
    this.string(open + 1, this.unterminated ? this.end : stop, context);
    return this.unterminated ? this.end : stop + close.length;
  }

  /** Rust r"…", r#"…"#, br"…", cr"…" with the `"` at `q`; 0 when it is not a raw string. */
  private rustRaw(q: number): number {
    const text = this.text;
    let h = q;
    while (h > this.start && text.charCodeAt(h - 1) === Ch.Hash) h--;
    if (text.charCodeAt(h - 1) !== 114 /* r */) return 0;
    let s = h - 1;
    if (text.charCodeAt(s - 1) === 98 /* b */ || text.charCodeAt(s - 1) === 99 /* c */) s--;
    if (s > this.start && isIdentPart(text.charCodeAt(s - 1))) return 0;
    const context = this.inContext(s);
    const close = '"' + '#'.repeat(q - h);
    const stop = text.indexOf(close, q + 1);
    this.unterminated = stop < 0 || stop >= this.end;
    this.string(q + 1, this.unterminated ? this.end : stop, context);
    return this.unterminated ? this.end : stop + close.length;
  }

  /** Ruby %q(…), %Q[…], %(…) strings and %w/%i/%r/%s/%x literals; otherwise the modulo operator. */
  private rubyPercent(i: number): number {
    const text = this.text;
    let j = i + 1;
    let type = text.charCodeAt(j);
    if (type === 113 /* q */ || type === 81 /* Q */ || type === 119 /* w */ || type === 87 /* W */ || type === 105 /* i */ ||
      type === 73 /* I */ || type === 114 /* r */ || type === 115 /* s */ || type === 120 /* x */) {
      j++;
    } else {
      type = 81;
      if (!this.operandExpected(i)) return i + 1;
    }
    const open = text.charCodeAt(j);
    if (j >= this.end || isIdentPart(open) || open === Ch.Space || open === Ch.LF || open === Ch.Eq) return i + 1;
    const close = open === Ch.LParen ? Ch.RParen : open === Ch.LBracket ? Ch.RBracket : open === Ch.LBrace ? Ch.RBrace : open === Ch.Lt ? Ch.Gt : open;
    const context = type === 113 || type === 81 ? this.inContext(i) : false;
    const start = j + 1;
    let depth = 0;
    let k = start;
    while (k < this.end) {
      const c = text.charCodeAt(k);
      if (c === Ch.Backslash) {
        k += 2;
        continue;
      }
      if (c === close && depth === 0) break;
      if (c === open && close !== open) depth++;
      else if (c === close) depth--;
      k++;
    }
    const contentEnd = Math.min(k, this.end);
    if (type === 113 || type === 81) {
      this.interpolated = false;
      this.unterminated = k >= this.end;
      this.string(start, contentEnd, context);
    }
    return contentEnd < this.end ? contentEnd + 1 : this.end;
  }

  /** A `/…/flags` literal on one line; when the line has no closing slash it was a division. */
  private regex(i: number): number {
    const text = this.text;
    let inClass = false;
    let j = i + 1;
    while (j < this.end) {
      const c = text.charCodeAt(j);
      if (c === Ch.LF || c === Ch.CR) return i + 1;
      if (c === Ch.Backslash) {
        j += 2;
        continue;
      }
      if (c === Ch.LBracket) inClass = true;
      else if (c === Ch.RBracket) inClass = false;
      else if (c === Ch.Slash && !inClass) return j + 1;
      j++;
    }
    return i + 1;
  }

  // ---- comments and heredocs ------------------------------------------------------------

  private lineComment(i: number): number {
    const e = lineEnd(this.text, i, this.end);
    this.col.comment(i, e);
    return e;
  }

  private blockComment(i: number): number {
    const text = this.text;
    const nested = this.lang === 'rust';
    let depth = 1;
    let j = i + 2;
    while (j < this.end) {
      const c = text.charCodeAt(j);
      if (c === Ch.Star && text.charCodeAt(j + 1) === Ch.Slash) {
        if (--depth === 0) {
          this.col.comment(i + 2, j);
          return j + 2;
        }
        j += 2;
        continue;
      }
      if (nested && c === Ch.Slash && text.charCodeAt(j + 1) === Ch.Star) {
        depth++;
        j += 2;
        continue;
      }
      j++;
    }
    this.col.comment(i + 2, this.end);
    return this.end;
  }

  private rubyBlockComment(i: number): number {
    const text = this.text;
    let j = lineEnd(text, i, this.end) + 1;
    while (j < this.end) {
      const e = lineEnd(text, j, this.end);
      if (text.startsWith('=end', j)) {
        this.col.comment(i + 6, j);
        return e;
      }
      j = e + 1;
    }
    this.col.comment(i + 6, this.end);
    return this.end;
  }

  /** After `<<`: Ruby `<<~ID`, `<<-ID`, `<<ID`, `<<~'ID'`; HCL `<<EOF`, `<<-EOF`. */
  private heredocStart(i: number): number {
    const text = this.text;
    let j = i;
    const c0 = text.charCodeAt(j);
    const indented = c0 === Ch.Tilde || c0 === Ch.Minus;
    if (indented) j++;
    let quote = text.charCodeAt(j);
    if (quote === Ch.SQuote || quote === Ch.DQuote) j++;
    else quote = 0;
    const tagStart = j;
    const first = text.charCodeAt(j);
    const upper = (first >= Ch.A && first <= Ch.Z) || first === Ch.Underscore;
    if (!upper && !((indented || quote !== 0) && isLetter(first))) return i;
    while (j < this.end && isIdentPart(text.charCodeAt(j))) j++;
    const tag = text.slice(tagStart, j);
    if (quote !== 0) {
      if (text.charCodeAt(j) !== quote) return i;
      j++;
    }
    this.heredocs.push({ tag, templates: quote !== Ch.SQuote });
    return j;
  }

  /** Skips the bodies of the heredocs opened on the line that just ended; their text is scanned as prose. */
  private skipHeredocs(i: number): number {
    for (const doc of this.heredocs) {
      const body = heredocBody(this.text, i, this.end, doc.tag, (c) => c === Ch.Space || c === Ch.Tab);
      this.plain.scan(i, body.bodyEnd, { rejectTemplates: doc.templates });
      i = body.next;
    }
    this.heredocs.length = 0;
    return i;
  }
}

function isBlank(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR;
}

function isIdentPart(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === Ch.Underscore || c === Ch.Dollar || c >= 128;
}
