// YAML (Ansible playbooks, inventories, CI files), line by line with an indentation stack:
// `uri:` under a `community.libvirt.*` module (or in a libvirt inventory file) and the
// libvirt URI variables are contexts; `shell:`/`command:`/`run:` values are shell. Jinja
// expressions (`{{ host }}`) are holes, and the URI in `{{ x | default('qemu:///system') }}`
// is a URI too.
import { LIBVIRT_CONSUMER } from '../catalog';
import * as common from './common';
import type { Collector } from './common';
import { PlainScanner } from './plain';
import { ShellScanner } from './shell';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, Template, addPlaceholders, isSpace, lineEnd, startsWithDriverScheme } = common;

const MODULE = 1;
const SHELL = 2;

const ANSIBLE = LIBVIRT_CONSUMER.ansible;
const SHORT_MODULES = new Set<string>(ANSIBLE.modules);
/** `default('…')` / `d("…")` inside a Jinja expression. */
const JINJA_DEFAULT = /\b(?:default|d)\(\s*(['"])/g;
const SHELL_KEYS = new Set(['shell', 'command', 'cmd', 'raw', 'script', 'run', 'before_script', 'after_script',
  'ansible.builtin.shell', 'ansible.builtin.command', 'ansible.builtin.raw', 'ansible.legacy.shell', 'ansible.legacy.command']);
const URI_KEYS = new Set<string>([...LIBVIRT_CONSUMER.keys, ...LIBVIRT_CONSUMER.environment]);

export class YamlScanner {
  private readonly text: string;
  private end = 0;
  private readonly indents: number[] = [];
  private readonly flags: number[] = [];
  private inventory = false;

  private readonly jinja: common.Finder;

  constructor(private readonly col: Collector, private readonly plain: PlainScanner, private readonly shell: ShellScanner) {
    this.text = col.text;
    this.jinja = new common.Finder(col.text, '{{');
  }

  scan(start: number, end: number): void {
    const text = this.text;
    this.end = end;
    const region = start === 0 && end === text.length ? text : text.slice(start, end);
    this.inventory = region.includes(ANSIBLE.inventoryPlugin);
    let i = start;
    while (i < end) {
      const le = lineEnd(text, i, end);
      i = this.line(i, le);
      if (i < end && text.charCodeAt(i) === Ch.CR) i++;
      if (i < end && text.charCodeAt(i) === Ch.LF) i++;
    }
  }

  /** Handles the line [ls, le); returns where the next line starts (after a block scalar, its end). */
  private line(ls: number, le: number): number {
    const text = this.text;
    let j = ls;
    while (j < le && text.charCodeAt(j) === Ch.Space) j++;
    if (j === le) return le;
    const lineIndent = j - ls;
    let c = text.charCodeAt(j);
    if (c === Ch.Hash) {
      this.col.comment(j + 1, le);
      return le;
    }
    if (lineIndent === 0 && (text.startsWith('---', j) || text.startsWith('...', j)) && (j + 3 === le || isSpace(text.charCodeAt(j + 3)))) {
      this.indents.length = this.flags.length = 0;
      return le;
    }
    while (c === Ch.Minus && (j + 1 === le || isSpace(text.charCodeAt(j + 1)))) {
      j++;
      while (j < le && isSpace(text.charCodeAt(j))) j++;
      c = text.charCodeAt(j);
    }
    if (j === le) return le;
    const column = j - ls;
    while (this.indents.length > 0 && this.indents[this.indents.length - 1] >= column) {
      this.indents.pop();
      this.flags.pop();
    }
    const parent = this.flags.length > 0 ? this.flags[this.flags.length - 1] : 0;
    const key = this.key(j, le);
    if (key === undefined) {
      return this.value(j, le, lineIndent, false, (parent & SHELL) !== 0, false);
    }
    const name = text.slice(j + (key.quoted ? 1 : 0), key.nameEnd);
    const isModule = name.startsWith(ANSIBLE.collection) || SHORT_MODULES.has(name);
    const context = URI_KEYS.has(name) ||
      (name === ANSIBLE.option && ((parent & MODULE) !== 0 || (this.inventory && this.indents.length === 0)));
    let v = key.valueStart;
    while (v < le && isSpace(text.charCodeAt(v))) v++;
    // Anchors and tags before the value.
    while (v < le && (text.charCodeAt(v) === Ch.Amp || text.charCodeAt(v) === Ch.Bang)) {
      while (v < le && !isSpace(text.charCodeAt(v))) v++;
      while (v < le && isSpace(text.charCodeAt(v))) v++;
    }
    const shell = SHELL_KEYS.has(name);
    if (v === le || text.charCodeAt(v) === Ch.Hash) {
      if (v < le) this.col.comment(v + 1, le);
      this.indents.push(column);
      this.flags.push((isModule ? MODULE : 0) | (parent & MODULE) | (shell ? SHELL : 0));
      return le;
    }
    return this.value(v, le, column, context, shell, isModule);
  }

  /** The key at `j` ending in `:` followed by a space or the end of the line, if any. */
  private key(j: number, le: number): { nameEnd: number; valueStart: number; quoted: boolean } | undefined {
    const text = this.text;
    const q = text.charCodeAt(j);
    if (q === Ch.DQuote || q === Ch.SQuote) {
      const close = text.indexOf(q === Ch.DQuote ? '"' : "'", j + 1);
      if (close < 0 || close >= le) return undefined;
      let k = close + 1;
      while (k < le && isSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) !== Ch.Colon || (k + 1 < le && !isSpace(text.charCodeAt(k + 1)))) return undefined;
      return { nameEnd: close, valueStart: k + 1, quoted: true };
    }
    if (q === Ch.LBracket || q === Ch.LBrace || q === Ch.Pipe || q === Ch.Gt || q === Ch.Star || q === Ch.Amp || q === Ch.Bang) return undefined;
    for (let k = j; k < le; k++) {
      const c = text.charCodeAt(k);
      if (c === Ch.Colon && (k + 1 === le || isSpace(text.charCodeAt(k + 1)))) {
        let e = k;
        while (e > j && isSpace(text.charCodeAt(e - 1))) e--;
        return { nameEnd: e, valueStart: k + 1, quoted: false };
      }
      if (c === Ch.Hash && isSpace(text.charCodeAt(k - 1))) return undefined;
    }
    return undefined;
  }

  /** A value starting at `v` on the line ending at `le`; `indent` is the column its block scalar must exceed. */
  private value(v: number, le: number, indent: number, context: boolean, shell: boolean, moduleArgs: boolean): number {
    const text = this.text;
    const c = text.charCodeAt(v);
    if ((c === Ch.Pipe || c === Ch.Gt) && this.isBlockHeader(v, le)) return this.blockScalar(le, indent, shell);
    if (c === Ch.DQuote || c === Ch.SQuote) {
      const close = this.closingQuote(v + 1, le, c);
      const contentEnd = close < 0 ? le : close;
      if (shell) this.shell.scan(v + 1, contentEnd);
      else this.addValue(v + 1, contentEnd, context, close < 0);
      if (close >= 0) this.trailingComment(close + 1, le);
      return le;
    }
    if (c === Ch.LBracket || c === Ch.LBrace) {
      this.flow(v, le, moduleArgs);
      return le;
    }
    if (c === Ch.Star) return le;
    let e = this.trailingComment(v, le);
    while (e > v && isSpace(text.charCodeAt(e - 1))) e--;
    if (shell) {
      this.shell.scan(v, e);
    } else if (moduleArgs) {
      this.freeFormArguments(v, e);
    } else if (context) {
      this.addValue(v, e, true);
    } else {
      this.addValue(v, wordEnd(text, v, e), false);
    }
    return le;
  }

  /** A scalar's text [s, e) as a template (Jinja expressions as holes), and the URIs of its Jinja defaults. */
  private addValue(s: number, e: number, context: boolean, unterminated = false): void {
    const text = this.text;
    if (!context && !startsWithDriverScheme(text, s, e, unterminated)) {
      const jinja = this.jinja.next(s);
      if (jinja < 0 || jinja >= e) return;
    }
    const t = new Template();
    addPlaceholders(text, s, e, t);
    this.col.addTemplate(t, context, unterminated);
    for (const p of t.parts) {
      if (!p.hole) continue;
      JINJA_DEFAULT.lastIndex = 0;
      const expression = text.slice(p.start, p.end);
      for (let m = JINJA_DEFAULT.exec(expression); m !== null; m = JINJA_DEFAULT.exec(expression)) {
        const open = p.start + m.index + m[0].length;
        const close = text.indexOf(m[1], open);
        if (close > 0 && close < p.end) this.col.addString(open, close, context);
      }
    }
  }

  /** Offset of a ` #` comment in [from, le) (recorded), or `le`. */
  private trailingComment(from: number, le: number): number {
    const text = this.text;
    for (let k = from; k < le; k++) {
      if (text.charCodeAt(k) === Ch.Hash && isSpace(text.charCodeAt(k - 1))) {
        this.col.comment(k + 1, le);
        return k;
      }
    }
    return le;
  }

  /** `|`, `>-`, `|+2`… followed only by spaces or a comment. */
  private isBlockHeader(v: number, le: number): boolean {
    const text = this.text;
    let k = v + 1;
    while (k < le) {
      const c = text.charCodeAt(k);
      if (c === Ch.Minus || c === Ch.Plus || (c >= Ch.D0 && c <= Ch.D9)) k++;
      else break;
    }
    if (k < le && !isSpace(text.charCodeAt(k))) return false;
    while (k < le && isSpace(text.charCodeAt(k))) k++;
    if (k === le) return true;
    if (text.charCodeAt(k) !== Ch.Hash) return false;
    this.col.comment(k + 1, le);
    return true;
  }

  private closingQuote(i: number, le: number, q: number): number {
    const text = this.text;
    for (; i < le; i++) {
      const c = text.charCodeAt(i);
      if (c === Ch.Backslash && q === Ch.DQuote) {
        i++;
        continue;
      }
      if (c === q) {
        if (q === Ch.SQuote && text.charCodeAt(i + 1) === Ch.SQuote) {
          i++;
          continue;
        }
        return i;
      }
    }
    return -1;
  }

  /** Block scalar (`|`, `>`) whose header line ends at `le`: lines indented deeper than `indent`. */
  private blockScalar(le: number, indent: number, shell: boolean): number {
    const text = this.text;
    const bodyStart = Math.min(le + (text.charCodeAt(le) === Ch.CR && text.charCodeAt(le + 1) === Ch.LF ? 2 : 1), this.end);
    let i = bodyStart;
    let bodyEnd = bodyStart;
    while (i < this.end) {
      const e = lineEnd(text, i, this.end);
      let s = i;
      while (s < e && text.charCodeAt(s) === Ch.Space) s++;
      if (s < e && s - i <= indent) break;
      bodyEnd = e;
      i = e < this.end ? e + (text.charCodeAt(e) === Ch.CR && text.charCodeAt(e + 1) === Ch.LF ? 2 : 1) : e;
    }
    if (bodyEnd > bodyStart) {
      if (shell) this.shell.scan(bodyStart, bodyEnd);
      else this.plain.scan(bodyStart, bodyEnd);
    }
    return bodyEnd;
  }

  /** Ansible's one-line form `community.libvirt.virt: name=vm uri=qemu:///system`. */
  private freeFormArguments(v: number, e: number): void {
    const text = this.text;
    let i = v;
    while (i < e) {
      while (i < e && isSpace(text.charCodeAt(i))) i++;
      const s = i;
      while (i < e && !isSpace(text.charCodeAt(i))) i++;
      const option = ANSIBLE.option + '=';
      if (text.startsWith(option, s) && s + option.length <= i) this.addValue(s + option.length, i, true);
      else this.addValue(s, i, false);
    }
  }

  /** A one-line flow collection: `{name: vm, uri: 'qemu:///system'}` / `[qemu:///system, …]`. */
  private flow(v: number, le: number, moduleArgs: boolean): void {
    const text = this.text;
    const underModule = moduleArgs || (this.flags.length > 0 && (this.flags[this.flags.length - 1] & MODULE) !== 0);
    let lastKey = '';
    let i = v;
    while (i < le) {
      const c = text.charCodeAt(i);
      if (isSpace(c) || c === Ch.LBracket || c === Ch.RBracket || c === Ch.LBrace || c === Ch.RBrace || c === Ch.Comma) {
        if (c === Ch.Comma || c === Ch.RBrace) lastKey = '';
        i++;
        continue;
      }
      if (c === Ch.Hash && isSpace(text.charCodeAt(i - 1))) {
        this.col.comment(i + 1, le);
        return;
      }
      let s: number;
      let e: number;
      let unterminated = false;
      if (c === Ch.DQuote || c === Ch.SQuote) {
        const close = this.closingQuote(i + 1, le, c);
        unterminated = close < 0;
        s = i + 1;
        e = close < 0 ? le : close;
        i = close < 0 ? le : close + 1;
      } else {
        s = i;
        while (i < le) {
          const d = text.charCodeAt(i);
          if (d === Ch.Comma || d === Ch.RBracket || d === Ch.RBrace) break;
          if (d === Ch.Colon && (i + 1 === le || isSpace(text.charCodeAt(i + 1)) || text.charCodeAt(i + 1) === Ch.Comma)) break;
          i++;
        }
        e = i;
        while (e > s && isSpace(text.charCodeAt(e - 1))) e--;
      }
      let k = i;
      while (k < le && isSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === Ch.Colon) {
        lastKey = text.slice(s, e);
        i = k + 1;
        continue;
      }
      const context = URI_KEYS.has(lastKey) || (lastKey === ANSIBLE.option && underModule);
      this.addValue(s, e, context, unterminated);
    }
  }
}

/** End of a plain scalar's first word: the first blank outside a Jinja `{{ … }}`. */
function wordEnd(text: string, v: number, e: number): number {
  let depth = 0;
  for (let w = v; w < e; w++) {
    const c = text.charCodeAt(w);
    if (c === Ch.LBrace) depth++;
    else if (c === Ch.RBrace && depth > 0) depth--;
    else if (depth === 0 && isSpace(c)) return w;
  }
  return e;
}
