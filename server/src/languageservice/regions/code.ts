// One scanner for the programming languages (Python, C/C++, Go, Rust, JS/TS, Java, Ruby, HCL).
// The forward pass stops only at characters that can start a string or a comment (a per-language
// table), so identifiers and operators cost one table lookup each. Whether a string is meant for
// libvirt is decided when a string is met, by reading the few tokens before it backwards
// (`libvirt.open(`, `virConnectOpen(`, `Connect::open(Some(`, `['LIBVIRT_DEFAULT_URI'] =`…).
// A string built from pieces — placeholders (`{host}`, `%s`, `${…}`, `#{…}`), concatenation
// (`"test://" + name`), C's adjacent literals and macros — is one template candidate.
import { ApiCall, BindingImport, CallLanguage, ConsumerName, LIBVIRT_CONSUMER, TERRAFORM_PROVIDER_CONSUMER } from '../catalog';
import * as common from './common';
import type { Collector } from './common';
import { PlainScanner } from './plain';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, Template, addPlaceholders, heredocBody, isDigit, isLetter, lineEnd, startsWithDriverScheme } = common;
type Template = common.Template;

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

const ENV_KEYS: readonly string[] = LIBVIRT_CONSUMER.environment;
/** Names whose value is a URI for libvirt wherever they appear as a key, keyword or variable. */
const URI_KEYS: readonly string[] = [...LIBVIRT_CONSUMER.environment, ...LIBVIRT_CONSUMER.keys];
const CALL_LANGUAGE: Record<CodeLanguage, CallLanguage> = {
  python: 'python', c: 'c', cpp: 'c', go: 'go', rust: 'rust', js: 'js', java: 'java', ruby: 'ruby', hcl: 'hcl',
};
/** How strings join: `+` with any operand, and adjacent literals (C also with a macro name between). */
const JOINS: Record<CodeLanguage, { plus: boolean; adjacent: boolean }> = {
  python: { plus: true, adjacent: true }, c: { plus: false, adjacent: true }, cpp: { plus: false, adjacent: true },
  go: { plus: true, adjacent: false }, rust: { plus: false, adjacent: false }, js: { plus: true, adjacent: false },
  java: { plus: true, adjacent: false }, ruby: { plus: true, adjacent: true }, hcl: { plus: false, adjacent: false },
};
/** Imports of a binding read per pattern: a file has a few, a generated one is read no further. */
const MAX_IMPORTS = 50;
/** Longest operand between two `+` that is read as one hole. */
const MAX_OPERAND = 400;
const REGEX_KEYWORDS = new Set(['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else',
  'yield', 'await', 'and', 'or', 'not', 'if', 'unless', 'when', 'while', 'until', 'puts', 'elsif']);
/** Vagrant: `config.vm.provider :libvirt do |lv|` (or "libvirt", parenthesised, `{ |lv, override|`). */
const PROVIDER_BLOCK = new RegExp(`provider\\s*\\(?\\s*(?::${LIBVIRT_CONSUMER.vagrant.provider}\\b|(["'])${LIBVIRT_CONSUMER.vagrant.provider}\\1)` +
  '\\s*\\)?\\s*(?:do\\b|\\{)\\s*\\|\\s*([A-Za-z_]\\w*)', 'y');
const VAGRANT_SETTINGS: readonly string[] = LIBVIRT_CONSUMER.vagrant.settings;
const CALL_KEYWORDS: readonly string[] = LIBVIRT_CONSUMER.callKeywords;
/** `C.CString` → ['C', 'CString']. */
const WRAPPERS: readonly (readonly string[])[] = LIBVIRT_CONSUMER.argumentWrappers.map(qualifierParts);

/** A call of a binding, its qualifiers split into parts (`org.libvirt` → ['org', 'libvirt']). */
interface CallSpec {
  call: ApiCall;
  on: readonly (readonly string[])[];
}

const CALLS = new Map((Object.keys(LIBVIRT_CONSUMER.calls) as CallLanguage[]).map((language) =>
  [language, LIBVIRT_CONSUMER.calls[language].map((call: ApiCall): CallSpec => ({ call, on: (call.on ?? []).map(qualifierParts) }))]));

/** What the imports of the scanned range say about the language's libvirt binding. */
interface Imports {
  /** The range imports the binding. */
  used: boolean;
  /** Every name of the binding is in scope (`from libvirt import *`, `import org.libvirt.*`). */
  all: boolean;
  /** Local names → the binding's names they stand for ('' for the module itself: `import libvirt as lv`). */
  names: Map<string, string>;
}

/** A string being read: its pieces so far and who it is for. */
interface OpenString {
  /** Made when the first literal is taken: most strings never need one. */
  t?: Template;
  context: ConsumerName | undefined;
  /**
   * It cannot be a candidate (outside any context, and no driver scheme starts it, or it is a
   * later piece of a joined string): nothing more to collect, nor in the literals joined to it.
   */
  skip?: boolean;
}

export class CodeScanner {
  private readonly text: string;
  private readonly table: Uint8Array;
  private readonly calls: readonly CallSpec[];
  private start = 0;
  private end = 0;
  private readonly braces: number[] = [];
  /** The strings suspended at an interpolation, one per RESUME_* entry of `braces`. */
  private readonly interpolations: (OpenString & { holeStart: number })[] = [];
  /** A string that goes on in the next literal, which starts at `at` (`"qemu+ssh://" + host + "/system"`). */
  private pending: (OpenString & { at: number }) | undefined;
  private readonly providerVars = new Set([LIBVIRT_CONSUMER.vagrant.provider as string]);
  /** Ruby: the file is about libvirt, so a config hash's `:uri` is too. */
  private libvirtFile = false;
  /** Read when a call's name is an API name but its qualifier does not say whose it is. */
  private imports: Imports | undefined;
  private readonly heredocs: string[] = [];
  // Tokens before the current string, read backwards on demand (1 = nearest).
  private readonly kinds = new Uint8Array(LOOKBACK + 1);
  private readonly starts = new Int32Array(LOOKBACK + 1);
  private readonly ends = new Int32Array(LOOKBACK + 1);
  private filled = 0;
  private backPos = 0;

  constructor(private readonly col: Collector, private readonly plain: PlainScanner, private readonly lang: CodeLanguage) {
    this.text = col.text;
    this.table = TABLES[lang];
    this.calls = CALLS.get(CALL_LANGUAGE[lang])!;
  }

  scan(start: number, end: number): void {
    this.start = start;
    this.end = end;
    if (this.lang === 'ruby') this.findProviderVariables();
    this.forward(start, end);
    if (this.pending !== undefined) this.flushPending();
  }

  /**
   * The forward pass, a method of its own: V8 optimises its loop while it runs (on-stack
   * replacement), and code after the loop in the same function, run once per document, had no
   * type feedback there, so the optimised code was thrown away at the end of every validation and
   * compiled again during the next.
   */
  private forward(start: number, end: number): void {
    const text = this.text;
    const t = this.table;
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
        if (stop >= end) break;
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
        return top === RESUME_TEMPLATE || top === RESUME_HCL || top === RESUME_RUBY ? this.resume(top, i) : i + 1;
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

  private tokenIsAny(back: number, kind: number, words: readonly string[]): boolean {
    for (let k = 0; k < words.length; k++) if (this.tokenIs(back, kind, words[k])) return true;
    return false;
  }

  private identIsAny(back: number, words: readonly string[]): boolean {
    return this.tokenIsAny(back, IDENT, words);
  }

  /** Whether text at `at` starts with the first `length` characters of `word`. */
  private prefixAt(at: number, word: string, length: number): boolean {
    for (let k = 0; k < length; k++) if (this.text.charCodeAt(at + k) !== word.charCodeAt(k)) return false;
    return true;
  }

  // ---- context: who the string is for ---------------------------------------------------------

  /** Who a string starting at `pos` is for, by the tokens before it; undefined when nothing says. */
  private inContext(pos: number): ConsumerName | undefined {
    if (!this.mayBeContext(pos)) return undefined;
    this.lookBehind(pos);
    const k1 = this.kindAt(1);
    if (k1 === P_LPAREN) {
      let back = 2;
      for (let k = 0; k < WRAPPERS.length; k++) {
        const w = this.qualifiedAt(2, WRAPPERS[k]);
        if (w > 0 && this.kindAt(w) === P_LPAREN) back = w + 1;
      }
      return this.isOpenCall(back) ? 'libvirt' : undefined;
    }
    if (k1 === P_EQ) {
      if (this.kindAt(2) === P_EQ || this.kindAt(2) === PUNCT + Ch.Bang) return undefined;
      if (this.identIsAny(2, CALL_KEYWORDS) && this.kindAt(3) === P_LPAREN && this.isOpenCall(4)) return 'libvirt';
      if (this.lang === 'ruby' && this.identIsAny(2, VAGRANT_SETTINGS) && this.kindAt(3) === P_DOT &&
        this.kindAt(4) === IDENT && this.providerVars.has(this.text.slice(this.starts[4], this.ends[4]))) return 'libvirt';
      if (this.lang === 'hcl' && this.identIs(2, TERRAFORM_PROVIDER_CONSUMER.attribute)) {
        return this.braces.length > 0 && this.braces[this.braces.length - 1] === LIBVIRT_PROVIDER ? TERRAFORM_PROVIDER_CONSUMER.name : undefined;
      }
      if (this.isUriKey(2)) return 'libvirt';
      return this.kindAt(2) === P_RBRACKET && this.isUriKey(3) ? 'libvirt' : undefined;
    }
    if (k1 === P_COMMA || k1 === P_COLON || k1 === ARROW) {
      // `setenv("LIBVIRT_DEFAULT_URI", "…")`; a key with `:` or `=>` (`{libvirt_uri: "…"}`).
      if (k1 === P_COMMA ? this.isEnvKey(2) : this.isUriKey(2)) return 'libvirt';
      // Ruby config hashes of vagrant-libvirt: `:uri => "…"`, `uri: "…"`.
      if (this.lang === 'ruby' && this.libvirtFile && k1 !== P_COMMA && this.identIsAny(2, VAGRANT_SETTINGS) &&
        (k1 === ARROW ? this.kindAt(3) === P_COLON : this.kindAt(3) !== PUNCT + Ch.Question)) return 'libvirt';
      return undefined;
    }
    if (k1 === IDENT && this.lang === 'ruby') return this.isOpenCall(1) ? 'libvirt' : undefined;
    return undefined;
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
      if (c === Ch.Gt) p = this.beforeBlanks(p - 1);
      const k = text.charCodeAt(p - 1);
      const key = k === Ch.DQuote || k === Ch.SQuote ? text.charCodeAt(p - 2) : k;
      return key === 73 /* I */ || key === 105 /* i */;
    }
    return this.lang === 'ruby' && isIdentPart(c);
  }

  private beforeBlanks(p: number): number {
    while (p > this.start && isBlank(this.text.charCodeAt(p - 1))) p--;
    return p;
  }

  /** Whether tokens from `back` backwards spell `name` (`C.CString`, `Some`, `org.libvirt`); the index after them, else 0. */
  private qualifiedAt(back: number, parts: readonly string[]): number {
    let b = back;
    for (let k = parts.length - 1; k >= 0; k--) {
      if (!this.identIs(b, parts[k])) return 0;
      b++;
      if (k > 0) {
        if (!this.separatorAt(b)) return 0;
        b++;
      }
    }
    return b;
  }

  /** Whether token `back` joins a name to its qualifier (`.`, `::`). */
  private separatorAt(back: number): boolean {
    const k = this.kindAt(back);
    return k === P_DOT || k === DCOLON;
  }

  /** Whether token `back` names a function whose first argument is a connection URI. */
  private isOpenCall(back: number): boolean {
    if (this.kindAt(back) !== IDENT) return false;
    // Indexed loops and no closures here: this runs for every string after a call's `(`.
    for (let k = 0; k < this.calls.length; k++) if (this.callMatches(this.calls[k], back)) return true;
    return false;
  }

  /**
   * Whether the call at token `back` is `spec`'s: a name libvirt alone uses, or one qualified by
   * the binding (`libvirt.open`, `new org.libvirt.Connect`), or one the file's imports of the
   * binding put in scope (`from libvirt import openAuth`, `import lv "libvirt.org/go/libvirt"`).
   */
  private callMatches(spec: CallSpec, back: number): boolean {
    const call = spec.call;
    const name = call.name;
    if (name.endsWith('*')) {
      // Identifiers are maximal, so a prefix match cannot run past the token.
      if (!this.prefixAt(this.starts[back], name, name.length - 1)) return false;
    } else if (!this.identIs(back, name)) {
      return false;
    }
    const qualified = this.separatorAt(back + 1);
    if (call.constructs) {
      let b = back + 1;
      while (this.separatorAt(b) && this.kindAt(b + 1) === IDENT && !this.identIs(b + 1, 'new')) b += 2;
      if (!this.identIs(b, 'new')) return false;
    }
    if (call.on === undefined) return true;
    if (qualified) {
      for (let k = 0; k < spec.on.length; k++) if (this.qualifiedAt(back + 2, spec.on[k]) > 0) return true;
    }
    const imports = this.bindingImports();
    if (!imports.used) return false;
    if (!qualified) return imports.all || imports.names.get(this.tokenText(back)) === name;
    if (call.method) return true;
    // Qualified by a name the imports give: `lv.open(…)`, `Connect::open(…)`.
    return this.kindAt(back + 2) === IDENT && !this.separatorAt(back + 3) && imports.names.has(this.tokenText(back + 2));
  }

  private tokenText(back: number): string {
    return this.text.slice(this.starts[back], this.ends[back]);
  }

  /** The imports of the binding in the scanned range, read once. */
  private bindingImports(): Imports {
    if (this.imports !== undefined) return this.imports;
    const found: Imports = { used: false, all: false, names: new Map() };
    const patterns: readonly BindingImport[] = LIBVIRT_CONSUMER.imports[CALL_LANGUAGE[this.lang]];
    const region = patterns.length > 0 ? this.region() : '';
    // Every import of a binding names it (`libvirt`, `org.libvirt`, `virt::`): most files have none.
    if (region.includes('virt')) {
      for (const { pattern, all } of patterns) {
        let count = 0;
        for (const m of region.matchAll(pattern)) {
          if (++count > MAX_IMPORTS) break;
          found.used = true;
          if (all) found.all = true;
          const alias = m.groups?.alias;
          if (alias === '.') found.all = true;
          else if (alias !== undefined && alias !== '_') found.names.set(alias, '');
          const names = m.groups?.names;
          if (names !== undefined) importedNames(names, found);
        }
      }
    }
    this.imports = found;
    return found;
  }

  /** The scanned range as a string: a slice keeps searches inside it (a Markdown fence) rather than the whole document. */
  private region(): string {
    return this.start === 0 && this.end === this.text.length ? this.text : this.text.slice(this.start, this.end);
  }

  private isEnvKey(back: number): boolean {
    return this.identIsAny(back, ENV_KEYS) || this.tokenIsAny(back, STR, ENV_KEYS);
  }

  private isUriKey(back: number): boolean {
    return this.identIsAny(back, URI_KEYS) || this.tokenIsAny(back, STR, URI_KEYS);
  }

  /** HCL `provider "libvirt" {`. */
  private providerBlockOpens(i: number): boolean {
    this.lookBehind(i);
    return this.tokenIs(1, STR, TERRAFORM_PROVIDER_CONSUMER.block) && this.identIs(2, 'provider');
  }

  /** Block variables of Vagrant libvirt provider blocks in the scanned range; whether the range is about libvirt. */
  private findProviderVariables(): void {
    const region = this.region();
    this.libvirtFile = /libvirt/i.test(region);
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

  // ---- strings: pieces of templates -------------------------------------------------------------

  /** Starts reading a string whose first character (its quote or prefix) is at `start`. */
  private open(start: number): OpenString {
    const p = this.pending;
    if (p !== undefined) {
      if (p.at === start) {
        this.pending = undefined;
        return { t: p.t, context: p.context, skip: p.skip };
      }
      if (start > p.at) this.flushPending();
    }
    const context = this.inContext(start);
    // Every field from the start: a field added later would allocate a second store per string.
    return { t: undefined, context, skip: context === undefined && this.joinedAfter(start) };
  }

  /**
   * Whether the string at `start` follows `+` or `+=` (`prefix + "lxc:///"`): only the end of a
   * joined string whose start was not a literal, so never a URI by itself. `++` is not a join
   * (a comment that ends in "C++").
   */
  private joinedAfter(start: number): boolean {
    let p = this.beforeBlanks(start) - 1;
    if (p > this.start && this.text.charCodeAt(p) === Ch.Eq) p--;
    return p >= this.start && this.text.charCodeAt(p) === Ch.Plus && (p === this.start || this.text.charCodeAt(p - 1) !== Ch.Plus);
  }

  /** Adds the literal content text[s..e) of a string, with its placeholders as holes. */
  private content(o: OpenString, s: number, e: number): void {
    if (o.skip) return;
    const text = this.text;
    if (o.t === undefined) {
      // `"LIBVIRT_DEFAULT_URI=qemu:///system"` in an environment list.
      if (text.charCodeAt(s) === 76 /* L */ || text.charCodeAt(s) === 86 /* V */) {
        for (const key of ENV_KEYS) {
          if (text.startsWith(key, s) && text.charCodeAt(s + key.length) === Ch.Eq && s + key.length < e) {
            s += key.length + 1;
            o.context = 'libvirt';
            break;
          }
        }
      }
      // Most strings are none of ours: decided on their first literal, before any piece is collected.
      if (o.context === undefined && !startsWithDriverScheme(text, s, e, true)) {
        o.skip = true;
        return;
      }
      o.t = new Template();
    }
    addPlaceholders(text, s, e, o.t);
  }

  /**
   * A string ended just before `after`: it goes on in a joined literal, or it is a candidate.
   * A skipped string passes its verdict to the literals joined to it: the joined text is what
   * the program uses (`"Test URI (qemu:///system, " "lxc:///)"` is prose).
   */
  private close(o: OpenString, unterminated: boolean, after: number): void {
    if (o.t === undefined && !o.skip) return;
    if (!unterminated && this.pending === undefined) {
      const next = this.continuation(after, o.t);
      if (next >= 0) {
        this.pending = { ...o, at: next };
        return;
      }
    }
    this.add(o, unterminated);
  }

  private add(o: OpenString, unterminated: boolean): void {
    if (o.t !== undefined) this.col.addTemplate(o.t, o.context !== undefined, unterminated, o.context ?? 'libvirt');
  }

  private flushPending(): void {
    const p = this.pending!;
    this.pending = undefined;
    this.add(p, false);
  }

  /**
   * What follows a string's closing quote at `after`: joined literals (`+ "…"`, C's adjacent
   * `"…" "…"`) with the operands between them added to `t` as holes. Returns where the next
   * literal starts, or -1 when the expression ends (its last operands are then trailing holes).
   */
  private continuation(after: number, t: Template | undefined): number {
    const join = JOINS[this.lang];
    if (!join.plus && !join.adjacent) return -1;
    const text = this.text;
    let p = this.skipGap(after);
    if (join.adjacent) {
      if (this.stringAt(p)) return p;
      // C: a macro between literals expands to one (`"qemu+ssh://" HOST "/system"`).
      if (!join.plus) {
        while (isIdentStart(text.charCodeAt(p))) {
          let q = p;
          while (q < this.end && isIdentPart(text.charCodeAt(q))) q++;
          t?.hole(p, q);
          p = this.skipGap(q);
          if (this.stringAt(p)) return p;
        }
        return -1;
      }
    }
    while (p < this.end && text.charCodeAt(p) === Ch.Plus) {
      const n = text.charCodeAt(p + 1);
      if (n === Ch.Plus || n === Ch.Eq) return -1;
      p = this.skipGap(p + 1);
      if (this.stringAt(p)) return p;
      const q = this.operandEnd(p);
      if (q === p) return -1;
      t?.hole(p, q);
      p = this.skipGap(q);
    }
    return -1;
  }

  private skipGap(p: number): number {
    const text = this.text;
    while (p < this.end) {
      const c = text.charCodeAt(p);
      if (isBlank(c)) p++;
      else if (c === Ch.Backslash && (text.charCodeAt(p + 1) === Ch.LF || text.charCodeAt(p + 1) === Ch.CR)) p += 2;
      else break;
    }
    return p;
  }

  /** Whether a string literal starts at `p` (its quote, or a prefix such as f"…", L"…", r#"…"). */
  private stringAt(p: number): boolean {
    const text = this.text;
    const c = text.charCodeAt(p);
    if (c === Ch.DQuote) return true;
    if (c === Ch.SQuote) return this.lang === 'python' || this.lang === 'js' || this.lang === 'ruby';
    if (c === Ch.Backtick) return this.lang === 'js' || this.lang === 'go';
    let q = p;
    while (q < this.end && q - p < 3 && isLetter(text.charCodeAt(q))) q++;
    return q > p && (text.charCodeAt(q) === Ch.DQuote || text.charCodeAt(q) === Ch.SQuote) && this.prefixStart(q) === p;
  }

  /**
   * End of one operand of `+` from `p`: names, member access, calls and subscripts
   * (`host`, `self.conf["host"]`, `str(port)`); `p` when there is none.
   */
  private operandEnd(p: number): number {
    const text = this.text;
    const limit = Math.min(this.end, p + MAX_OPERAND);
    let q = p;
    while (q < limit) {
      const c = text.charCodeAt(q);
      if (isIdentPart(c)) {
        q++;
      } else if (c === Ch.Dot || (c === Ch.Colon && text.charCodeAt(q + 1) === Ch.Colon) || (c === Ch.Question && text.charCodeAt(q + 1) === Ch.Dot)) {
        q += c === Ch.Dot ? 1 : 2;
      } else if ((c === Ch.Bang && q > p) || ((c === Ch.LParen || c === Ch.LBracket) && q > p)) {
        if (c === Ch.Bang) {
          q++;
          continue;
        }
        const close = balancedEnd(text, q, limit);
        if (close < 0) break;
        q = close;
      } else {
        break;
      }
    }
    return q;
  }

  /**
   * Scans to the closing `quote` from `i` (just after the opening one). Returns the offset of
   * the content's end; `unterminated` says whether the quote was found. An unterminated string
   * stops at the end of the line (single-line strings) or of the range.
   */
  private quoted(i: number, quote: number, multiline: boolean, escapes: boolean): number {
    const text = this.text;
    const end = this.end;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === quote) {
        this.unterminated = false;
        return i;
      }
      if (c === Ch.Backslash && escapes) {
        i += text.charCodeAt(i + 1) === Ch.CR && text.charCodeAt(i + 2) === Ch.LF ? 3 : 2;
        continue;
      }
      if ((c === Ch.LF || c === Ch.CR) && !multiline) break;
      i++;
    }
    this.unterminated = true;
    return Math.min(i, end);
  }

  private unterminated = false;

  /** A string from its opening at `start` with content from `i` up to `quote`; returns where scanning continues. */
  private simple(start: number, i: number, quote: number, multiline: boolean, escapes: boolean): number {
    const o = this.open(start);
    const e = this.quoted(i, quote, multiline, escapes);
    const unterminated = this.unterminated;
    this.content(o, i, e);
    const after = unterminated ? e : e + 1;
    this.close(o, unterminated, after);
    return after;
  }

  private doubleQuote(i: number): number {
    const text = this.text;
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
      case 'ruby':
        return this.interpolating(i + 1, this.lang === 'hcl' ? RESUME_HCL : RESUME_RUBY, this.open(this.prefixStart(i)));
    }
    return this.simple(this.prefixStart(i), i + 1, Ch.DQuote, this.lang === 'rust', true);
  }

  private singleQuote(i: number): number {
    const text = this.text;
    switch (this.lang) {
      case 'python':
      case 'js':
      case 'ruby': {
        if (this.lang === 'python' && text.charCodeAt(i + 1) === Ch.SQuote && text.charCodeAt(i + 2) === Ch.SQuote) return this.triple(i, Ch.SQuote);
        return this.simple(this.prefixStart(i), i + 1, Ch.SQuote, this.lang === 'ruby', true);
      }
      case 'rust': {
        // A character literal, or a lifetime / loop label ('a) that has no closing quote.
        const n = text.charCodeAt(i + 1);
        const isChar = n === Ch.Backslash || text.charCodeAt(i + 2) === Ch.SQuote || (n >= 0xd800 && n <= 0xdbff && text.charCodeAt(i + 3) === Ch.SQuote);
        return isChar ? this.skipQuoted(i + 1, Ch.SQuote) : i + 1;
      }
      case 'c':
      case 'cpp':
        // C++14 digit separator: 1'000'000.
        if (this.afterNumber(i)) return i + 1;
        return this.skipQuoted(i + 1, Ch.SQuote);
      default:
        return this.skipQuoted(i + 1, Ch.SQuote);
    }
  }

  /** A character literal: skipped. */
  private skipQuoted(i: number, quote: number): number {
    const e = this.quoted(i, quote, false, true);
    return this.unterminated ? e : e + 1;
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
    const o = this.open(this.prefixStart(i));
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
        this.content(o, start, j);
        this.close(o, false, j + 3);
        return j + 3;
      }
      j++;
    }
    this.content(o, start, end);
    this.close(o, true, end);
    return end;
  }

  /** Double-quoted string with `${…}` (HCL, also `%{…}`) or `#{…}` (Ruby) interpolation, from `i`. */
  private interpolating(i: number, resume: number, o: OpenString): number {
    const text = this.text;
    const end = this.end;
    const multiline = resume === RESUME_RUBY;
    const segment = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Ch.DQuote) {
        this.content(o, segment, i);
        this.close(o, false, i + 1);
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
          this.content(o, segment, i);
          this.interpolations.push({ ...o, holeStart: i });
          this.braces.push(resume);
          return i + 2;
        }
      }
      i++;
    }
    i = Math.min(i, end);
    this.content(o, segment, i);
    this.close(o, true, i);
    return i;
  }

  /** Continues a string at the `}` (at `i`) that closes one of its interpolations. */
  private resume(kind: number, i: number): number {
    const o = this.interpolations.pop();
    if (o === undefined) return i + 1;
    o.t?.hole(o.holeStart, i + 1);
    return kind === RESUME_TEMPLATE ? this.template(i + 1, o) : this.interpolating(i + 1, kind, o);
  }

  private backtick(i: number): number {
    if (this.lang === 'go') return this.simple(i, i + 1, Ch.Backtick, true, false);
    return this.template(i + 1, this.open(i));
  }

  /** JS template literal body from `i`; at `${` it hands back to the scanner until the matching `}`. */
  private template(i: number, o: OpenString): number {
    const text = this.text;
    const end = this.end;
    const segment = i;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Ch.Backtick) {
        this.content(o, segment, i);
        this.close(o, false, i + 1);
        return i + 1;
      }
      if (c === Ch.Backslash) {
        i += 2;
        continue;
      }
      if (c === Ch.Dollar && text.charCodeAt(i + 1) === Ch.LBrace) {
        this.content(o, segment, i);
        this.interpolations.push({ ...o, holeStart: i });
        this.braces.push(RESUME_TEMPLATE);
        return i + 2;
      }
      i++;
    }
    this.content(o, segment, end);
    this.close(o, true, end);
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
    let open = q + 1;
    while (open < this.end && open - q <= 17 && text.charCodeAt(open) !== Ch.LParen) open++;
    if (text.charCodeAt(open) !== Ch.LParen) return q + 1;
    const o = this.open(prefix);
    const close = ')' + text.slice(q + 1, open) + '"';
    const stop = text.indexOf(close, open + 1);
    const unterminated = stop < 0 || stop >= this.end;
    this.content(o, open + 1, unterminated ? this.end : stop);
    const after = unterminated ? this.end : stop + close.length;
    this.close(o, unterminated, after);
    return after;
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
    const o = this.open(s);
    const close = '"' + '#'.repeat(q - h);
    const stop = text.indexOf(close, q + 1);
    const unterminated = stop < 0 || stop >= this.end;
    this.content(o, q + 1, unterminated ? this.end : stop);
    const after = unterminated ? this.end : stop + close.length;
    this.close(o, unterminated, after);
    return after;
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
    const isString = type === 113 || type === 81;
    const o = isString ? this.open(i) : undefined;
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
    const after = contentEnd < this.end ? contentEnd + 1 : this.end;
    if (o !== undefined) {
      this.content(o, start, contentEnd);
      this.close(o, k >= this.end, after);
    }
    return after;
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
    this.heredocs.push(tag);
    return j;
  }

  /** Skips the bodies of the heredocs opened on the line that just ended; their text is scanned as prose. */
  private skipHeredocs(i: number): number {
    for (const tag of this.heredocs) {
      const body = heredocBody(this.text, i, this.end, tag, (c) => c === Ch.Space || c === Ch.Tab);
      this.plain.scan(i, body.bodyEnd);
      i = body.next;
    }
    this.heredocs.length = 0;
    return i;
  }
}

/** `org.libvirt` → ['org', 'libvirt']; `virt::connect::Connect` → ['virt', 'connect', 'Connect']. */
function qualifierParts(path: string): string[] {
  return path.split(/::|\./);
}

/**
 * Adds the names of an import list to `found`: `openAuth, openReadOnly as ro` (Python),
 * `{ connect::Connect, domain::Domain }` (Rust), `{ Hypervisor: HV }` (JS), `*`.
 */
function importedNames(list: string, found: Imports): void {
  for (const item of list.split(',')) {
    const words = unbracketed(item);
    if (words === '') continue;
    if (words === '*' || words.endsWith('::*')) {
      found.all = true;
      continue;
    }
    const rename = /^(\S+)\s+as\s+([\w$]+)$/.exec(words) ?? /^([\w$]+)\s*:\s*([\w$]+)$/.exec(words);
    const name = unbracketed(qualifierParts(rename?.[1] ?? words).pop()!);
    found.names.set(rename?.[2] ?? name, name);
  }
}

/** `(openAuth` → `openAuth`, ` Connect}` → `Connect`: an item of an import list without the list's brackets. */
function unbracketed(item: string): string {
  let s = 0;
  let e = item.length;
  while (s < e && isListEdge(item.charCodeAt(s))) s++;
  while (e > s && isListEdge(item.charCodeAt(e - 1))) e--;
  return item.slice(s, e);
}

function isListEdge(c: number): boolean {
  return isBlank(c) || c === Ch.LParen || c === Ch.RParen || c === Ch.LBrace || c === Ch.RBrace;
}

function isBlank(c: number): boolean {
  return c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR;
}

function isIdentPart(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === Ch.Underscore || c === Ch.Dollar || c >= 128;
}

function isIdentStart(c: number): boolean {
  return isLetter(c) || c === Ch.Underscore;
}

/** End of the bracket group opening at `i` (`(…)`, `[…]`, nested, strings skipped), or -1 before `limit`. */
function balancedEnd(text: string, i: number, limit: number): number {
  let depth = 0;
  for (let j = i; j < limit; j++) {
    const c = text.charCodeAt(j);
    if (c === Ch.LParen || c === Ch.LBracket || c === Ch.LBrace) {
      depth++;
    } else if (c === Ch.RParen || c === Ch.RBracket || c === Ch.RBrace) {
      if (--depth === 0) return j + 1;
    } else if (c === Ch.DQuote || c === Ch.SQuote) {
      let k = j + 1;
      while (k < limit && text.charCodeAt(k) !== c && text.charCodeAt(k) !== Ch.LF) k += text.charCodeAt(k) === Ch.Backslash ? 2 : 1;
      if (k >= limit || text.charCodeAt(k) !== c) return -1;
      j = k;
    } else if (c === Ch.LF && depth === 0) {
      return -1;
    }
  }
  return -1;
}
