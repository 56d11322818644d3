// Shell scripts (and shell snippets inside YAML, Markdown, console transcripts). Words are
// lexed with their quoting; a word is a libvirt URI when it follows `virsh -c`/`--connect`,
// `virt-install --connect`, `virt-v2v -ic`, `virsh connect`, or is assigned to
// LIBVIRT_DEFAULT_URI. A word with expansions (`qemu+ssh://$HOST/system`) is a template whose
// expansions are holes; the default of `${LIBVIRT_DEFAULT_URI:-qemu:///system}` is a URI too.
import { LIBVIRT_CONSUMER } from '../catalog';
import * as common from './common';
import type { Collector } from './common';
import { PlainScanner } from './plain';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, Template, heredocBody, isDigit, isLetter, lineEnd, startsWithDriverScheme } = common;
type Template = common.Template;

export interface ShellOptions {
  /**
   * `dollar`: a leading `$ ` on a line is a prompt (snippets in docs).
   * `console`: a transcript; lines with a prompt (`$ `, `# `, `user@host:~$ `) are commands,
   * the others are output, scanned as prose.
   */
  prompts?: 'dollar' | 'console';
}

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const WRAPPERS = new Set(['sudo', 'doas', 'env', 'exec', 'nohup', 'command', 'builtin', 'nice', 'ionice', 'timeout', 'watch', 'xargs', 'stdbuf', 'unbuffer']);
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const ENV_KEYS = new Set<string>(LIBVIRT_CONSUMER.environment);
const TOOLS = LIBVIRT_CONSUMER.tools;
const NO_URI_TOOLS = new Set<string>(LIBVIRT_CONSUMER.toolsWithoutUri);
const VIRSH_CONNECT = LIBVIRT_CONSUMER.virshConnect;
const MAX_NESTING = 32;

interface Command {
  atCommand: boolean;
  wrapper: boolean;
  declaring: boolean;
  /** The options of the program that take a URI; undefined when the program has none. */
  tool: readonly string[] | undefined;
  virsh: boolean;
  expect: boolean;
  sawSubcommand: boolean;
  virshConnect: boolean;
  redirect: boolean;
}

export class ShellScanner {
  private readonly text: string;
  private end = 0;
  private prompts: ShellOptions['prompts'];
  private readonly heredocs: { tag: string; stripTabs: boolean; quoted: boolean }[] = [];
  private nesting = 0;
  /** Word facts set by word(): first unquoted `=` before any quoting (-1 if none). */
  private eq = -1;

  constructor(private readonly col: Collector, private readonly plain: PlainScanner) {
    this.text = col.text;
  }

  scan(start: number, end: number, options: ShellOptions = {}): void {
    this.end = end;
    this.prompts = options.prompts;
    this.run(start, false);
  }

  /** Scans commands from `i`; with `inParens`, stops after the `)` closing a `$(`. */
  private run(i: number, inParens: boolean): number {
    const text = this.text;
    const end = this.end;
    const cmd = newCommand();
    let depth = 0;
    let lineStart = !inParens;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Ch.LF) {
        resetCommand(cmd);
        i = this.heredocs.length > 0 ? this.heredocBodies(i + 1) : i + 1;
        lineStart = true;
        continue;
      }
      if (c === Ch.Space || c === Ch.Tab || c === Ch.CR) {
        i++;
        continue;
      }
      if (c === Ch.Backslash && (text.charCodeAt(i + 1) === Ch.LF || text.charCodeAt(i + 1) === Ch.CR)) {
        i += text.charCodeAt(i + 1) === Ch.CR && text.charCodeAt(i + 2) === Ch.LF ? 3 : 2;
        continue;
      }
      if (lineStart && this.prompts !== undefined) {
        lineStart = false;
        const p = this.promptLength(i);
        if (p > 0) {
          i += p;
          continue;
        }
        if (this.prompts === 'console') {
          const e = lineEnd(text, i, end);
          this.plain.scan(i, e);
          i = e;
          continue;
        }
      }
      lineStart = false;
      switch (c) {
        case Ch.Hash: {
          const e = lineEnd(text, i + 1, end);
          this.col.comment(i + 1, e);
          i = e;
          continue;
        }
        case Ch.Semi:
        case Ch.Amp:
        case Ch.Pipe:
          resetCommand(cmd);
          i++;
          continue;
        case Ch.LParen:
          resetCommand(cmd);
          depth++;
          i++;
          continue;
        case Ch.RParen:
          if (depth === 0 && inParens) return i + 1;
          depth = Math.max(0, depth - 1);
          resetCommand(cmd);
          i++;
          continue;
        case Ch.Lt:
        case Ch.Gt:
          i = this.redirection(i, cmd);
          continue;
      }
      i = this.word(i, cmd);
    }
    return end;
  }

  /** Length of a prompt at `i` (`$ `, and in transcripts `# `, `> `, `user@host:~$ `), 0 if none. */
  private promptLength(i: number): number {
    const text = this.text;
    const c = text.charCodeAt(i);
    const n = text.charCodeAt(i + 1);
    const endsPrompt = n === Ch.Space || n === Ch.LF || i + 1 >= this.end;
    if (c === Ch.Dollar && endsPrompt) return 1;
    if (this.prompts !== 'console') return 0;
    if ((c === Ch.Hash || c === Ch.Gt || c === Ch.Percent) && endsPrompt) return 1;
    let inBracket = false;
    for (let j = i; j < this.end && j < i + 80; j++) {
      const d = text.charCodeAt(j);
      if ((d === Ch.Dollar || d === Ch.Hash || d === Ch.Percent) && j > i && !inBracket &&
        (text.charCodeAt(j + 1) === Ch.Space || text.charCodeAt(j + 1) === Ch.LF)) return j + 1 - i;
      if (d === Ch.LBracket) inBracket = true;
      else if (d === Ch.RBracket) inBracket = false;
      else if (!(isLetter(d) || isDigit(d) || d === 64 /* @ */ || d === Ch.Colon || d === Ch.Tilde || d === Ch.Slash ||
        d === Ch.Dot || d === Ch.Underscore || d === Ch.Minus || (d === Ch.Space && inBracket))) return 0;
    }
    return 0;
  }

  private redirection(i: number, cmd: Command): number {
    const text = this.text;
    if (text.charCodeAt(i) === Ch.Lt && text.charCodeAt(i + 1) === Ch.Lt && text.charCodeAt(i + 2) !== Ch.Lt) {
      return this.heredocStart(i + 2);
    }
    if (text.charCodeAt(i + 1) === Ch.LParen) {
      // Process substitution <(…) / >(…): a nested command list.
      return this.substitution(i + 2);
    }
    i++;
    while (i < this.end) {
      const c = text.charCodeAt(i);
      if (c !== Ch.Lt && c !== Ch.Gt && c !== Ch.Amp && c !== Ch.Pipe) break;
      i++;
    }
    cmd.redirect = true;
    return i;
  }

  // ---- words --------------------------------------------------------------------------------

  private word(i: number, cmd: Command): number {
    const text = this.text;
    const end = this.end;
    const start = i;
    let special = false;
    let quoted = false;
    let expanded = false;
    this.eq = -1;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR || c === Ch.Semi || c === Ch.Amp || c === Ch.Pipe ||
        c === Ch.LParen || c === Ch.RParen || c === Ch.Lt || c === Ch.Gt) break;
      switch (c) {
        case Ch.Backslash:
          i += 2;
          special = true;
          continue;
        case Ch.SQuote:
          i = this.singleQuoted(i + 1);
          special = quoted = true;
          continue;
        case Ch.DQuote:
          if (this.doubleQuoted(i + 1)) expanded = true;
          i = this.afterQuote;
          special = quoted = true;
          continue;
        case Ch.Dollar:
          i = this.dollar(i);
          special = expanded = true;
          continue;
        case Ch.Backtick:
          i = this.backquoted(i + 1);
          special = expanded = true;
          continue;
        case Ch.Eq:
          if (!special && this.eq < 0) this.eq = i;
          break;
      }
      i++;
    }
    i = Math.min(i, end);
    this.handleWord(start, i, cmd, !quoted && !expanded && !special);
    return i;
  }

  private handleWord(start: number, end: number, cmd: Command, simple: boolean): void {
    const text = this.text;
    const eq = this.eq;
    if (cmd.redirect) {
      cmd.redirect = false;
      return;
    }
    if (eq > start && (cmd.atCommand || cmd.wrapper || cmd.declaring) && isName(text, start, eq)) {
      this.emitValue(eq + 1, end, ENV_KEYS.has(text.slice(start, eq)));
      return;
    }
    if (cmd.expect) {
      cmd.expect = false;
      this.emitValue(start, end, true);
      return;
    }
    if ((cmd.atCommand || cmd.wrapper) && simple) {
      const name = text.slice(start, end);
      if (KEYWORDS.has(name)) return;
      if (WRAPPERS.has(name)) {
        cmd.atCommand = false;
        cmd.wrapper = true;
        return;
      }
      if (DECLARATIONS.has(name)) {
        cmd.atCommand = false;
        cmd.declaring = true;
        return;
      }
      const program = name.slice(name.lastIndexOf('/') + 1);
      const tool = toolOptions(program);
      if (tool !== undefined) {
        cmd.tool = tool;
        cmd.virsh = program === 'virsh';
        cmd.atCommand = cmd.wrapper = false;
        return;
      }
      if (cmd.atCommand) {
        cmd.atCommand = false;
        return;
      }
    }
    cmd.atCommand = false;
    if (cmd.tool !== undefined && this.toolArgument(start, end, cmd)) return;
    this.emitValue(start, end, false);
    if (eq > start) this.emitValue(eq + 1, end, false);
  }

  /** Options of virsh / virt-* that take a URI; true when the word was one of them. */
  private toolArgument(start: number, end: number, cmd: Command): boolean {
    const text = this.text;
    const len = end - start;
    const is = (w: string) => len === w.length && text.startsWith(w, start);
    if (text.charCodeAt(start) === Ch.Minus) {
      if (cmd.tool!.some(is) || (cmd.virshConnect && is(VIRSH_CONNECT.option))) {
        cmd.expect = true;
        return true;
      }
      // `--connect=URI`, `-ic=URI`: options longer than one letter take their value after '='.
      const eq = this.eq;
      if (eq > start && cmd.tool!.some((o) => o.replace(/^-+/, '').length > 1 && eq - start === o.length && text.startsWith(o, start))) {
        this.emitValue(eq + 1, end, true);
        return true;
      }
      return false;
    }
    if (cmd.virshConnect) {
      cmd.virshConnect = false;
      this.emitValue(start, end, true);
      return true;
    }
    if (cmd.virsh && !cmd.sawSubcommand) {
      cmd.sawSubcommand = true;
      cmd.virshConnect = is(VIRSH_CONNECT.subcommand);
      return true;
    }
    return false;
  }

  /**
   * Reports the word text[start..end) (or the value part of one) when it is a candidate, as a
   * template: quoting removed, expansions as holes. Defaults of `${NAME:-word}` are reported too.
   */
  private emitValue(start: number, end: number, context: boolean): void {
    const text = this.text;
    const first = text.charCodeAt(start);
    const isQuote = first === Ch.SQuote || first === Ch.DQuote;
    if (!context && !startsWithDriverScheme(text, isQuote ? start + 1 : start, end, isQuote) && !hasDefault(text, start, end)) return;
    const t = new Template();
    const defaults: WordDefault[] = [];
    const unterminated = this.wordTemplate(start, end, t, defaults, context);
    this.col.addTemplate(t, context, unterminated);
    for (const d of defaults) {
      const inner = new Template();
      const open = this.wordTemplate(d.start, d.end, inner, [], d.context);
      this.col.addTemplate(inner, d.context, open);
    }
  }

  /**
   * Adds the word text[start..end) to `t`: quotes removed, escapes as what they stand for,
   * expansions as holes. Collects the defaults of `${NAME:-word}` (in context when NAME is a
   * libvirt variable, or when the expansion starts a word in context); returns whether a quote
   * is still open.
   */
  private wordTemplate(start: number, end: number, t: Template, defaults: WordDefault[], context: boolean): boolean {
    const text = this.text;
    let i = start;
    let literal = start;
    let quote = 0;
    while (i < end) {
      const c = text.charCodeAt(i);
      if (quote === Ch.SQuote) {
        if (c === Ch.SQuote) {
          t.literal(literal, i);
          quote = 0;
          literal = i + 1;
        }
        i++;
        continue;
      }
      if (c === Ch.Backslash) {
        const n = text.charCodeAt(i + 1);
        // Inside double quotes a backslash only escapes $ ` " and itself.
        if (i + 1 < end && (quote === 0 || n === Ch.Dollar || n === Ch.Backtick || n === Ch.DQuote || n === Ch.Backslash)) {
          t.literal(literal, i);
          t.escaped(i, i + 2, text[i + 1]);
          i = literal = i + 2;
        } else {
          i++;
        }
        continue;
      }
      if (c === Ch.DQuote || (c === Ch.SQuote && quote === 0)) {
        const opening = quote === 0;
        quote = quote === c ? 0 : c;
        // Nothing before an opening quote is no content: an empty string's content starts after it.
        if (!opening || i > literal) t.literal(literal, i);
        i = literal = i + 1;
        continue;
      }
      if (c === Ch.Dollar || c === Ch.Backtick) {
        const e = expansionEnd(text, i, end);
        if (e > i + 1) {
          t.literal(literal, i);
          t.hole(i, e);
          const d = defaultWord(text, i, e);
          if (d !== undefined) defaults.push({ ...d, context: ENV_KEYS.has(d.name) || (context && i === start + (quote === 0 ? 0 : 1)) });
          i = literal = e;
          continue;
        }
      }
      i++;
    }
    t.literal(literal, end);
    return quote !== 0;
  }

  // ---- quoting and expansions -------------------------------------------------------------

  private afterQuote = 0;

  private singleQuoted(i: number): number {
    const text = this.text;
    while (i < this.end) {
      if (text.charCodeAt(i) === Ch.SQuote) return i + 1;
      i++;
    }
    return this.end;
  }

  /** Scans a double-quoted string from `i`; sets afterQuote; returns whether it expands anything. */
  private doubleQuoted(i: number): boolean {
    const text = this.text;
    let expands = false;
    while (i < this.end) {
      const c = text.charCodeAt(i);
      if (c === Ch.DQuote) {
        this.afterQuote = i + 1;
        return expands;
      }
      if (c === Ch.Backslash) {
        i += 2;
        continue;
      }
      if (c === Ch.Dollar) {
        expands = true;
        i = this.dollar(i);
        continue;
      }
      if (c === Ch.Backtick) {
        expands = true;
        i = this.backquoted(i + 1);
        continue;
      }
      i++;
    }
    this.afterQuote = this.end;
    return expands;
  }

  /** `$name`, `${…}`, `$(…)`, `$((…))`, `$'…'`: returns the offset after it. */
  private dollar(i: number): number {
    const text = this.text;
    const n = text.charCodeAt(i + 1);
    if (n === Ch.LParen) return this.substitution(i + 2);
    if (n === Ch.LBrace) {
      let depth = 0;
      for (let j = i + 1; j < this.end; j++) {
        const c = text.charCodeAt(j);
        if (c === Ch.LBrace) depth++;
        else if (c === Ch.RBrace && --depth === 0) return j + 1;
        else if (c === Ch.LF) return j;
      }
      return this.end;
    }
    if (n === Ch.SQuote) {
      for (let j = i + 2; j < this.end; j++) {
        const c = text.charCodeAt(j);
        if (c === Ch.Backslash) j++;
        else if (c === Ch.SQuote) return j + 1;
      }
      return this.end;
    }
    return i + 1;
  }

  /** Body of `$(…)` from `i`: scanned as commands of its own. */
  private substitution(i: number): number {
    if (this.nesting >= MAX_NESTING) return this.skipParens(i);
    this.nesting++;
    const saved = this.eq;
    const next = this.run(i, true);
    this.eq = saved;
    this.nesting--;
    return next;
  }

  private skipParens(i: number): number {
    let depth = 1;
    for (; i < this.end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === Ch.LParen) depth++;
      else if (c === Ch.RParen && --depth === 0) return i + 1;
    }
    return this.end;
  }

  /** Body of a `` `…` `` substitution from `i`: scanned as commands of its own. */
  private backquoted(i: number): number {
    const text = this.text;
    let j = i;
    while (j < this.end) {
      const c = text.charCodeAt(j);
      if (c === Ch.Backslash) j += 2;
      else if (c === Ch.Backtick) break;
      else j++;
    }
    const close = Math.min(j, this.end);
    if (this.nesting < MAX_NESTING) {
      const savedEnd = this.end;
      const saved = this.eq;
      this.nesting++;
      this.end = close;
      this.run(i, false);
      this.end = savedEnd;
      this.eq = saved;
      this.nesting--;
    }
    return close < this.end ? close + 1 : this.end;
  }

  // ---- heredocs -----------------------------------------------------------------------------

  private heredocStart(i: number): number {
    const text = this.text;
    let stripTabs = false;
    if (text.charCodeAt(i) === Ch.Minus) {
      stripTabs = true;
      i++;
    }
    while (i < this.end && (text.charCodeAt(i) === Ch.Space || text.charCodeAt(i) === Ch.Tab)) i++;
    let quoted = false;
    let tag = '';
    while (i < this.end) {
      const c = text.charCodeAt(i);
      if (c === Ch.SQuote || c === Ch.DQuote) {
        quoted = true;
        let close = i + 1;
        while (close < this.end && text.charCodeAt(close) !== c && text.charCodeAt(close) !== Ch.LF) close++;
        tag += text.slice(i + 1, close);
        i = close < this.end && text.charCodeAt(close) === c ? close + 1 : close;
        continue;
      }
      if (c === Ch.Backslash) {
        quoted = true;
        i++;
        continue;
      }
      if (c === Ch.Space || c === Ch.Tab || c === Ch.LF || c === Ch.CR || c === Ch.Semi || c === Ch.Amp || c === Ch.Pipe ||
        c === Ch.Lt || c === Ch.Gt || c === Ch.LParen || c === Ch.RParen) break;
      tag += text[i];
      i++;
    }
    if (tag !== '') this.heredocs.push({ tag, stripTabs, quoted });
    return Math.min(i, this.end);
  }

  /** Skips heredoc bodies starting at `i` (the line after their `<<`); bodies are scanned as prose. */
  private heredocBodies(i: number): number {
    for (const doc of this.heredocs) {
      const body = heredocBody(this.text, i, this.end, doc.tag, (c) => doc.stripTabs && c === Ch.Tab);
      this.plain.scan(i, body.bodyEnd);
      i = body.next;
    }
    this.heredocs.length = 0;
    return i;
  }
}

function newCommand(): Command {
  return { atCommand: true, wrapper: false, declaring: false, tool: undefined, virsh: false, expect: false, sawSubcommand: false, virshConnect: false, redirect: false };
}

function resetCommand(cmd: Command): void {
  cmd.atCommand = true;
  cmd.wrapper = cmd.declaring = cmd.expect = cmd.sawSubcommand = cmd.virshConnect = cmd.redirect = cmd.virsh = false;
  cmd.tool = undefined;
}

interface WordDefault {
  start: number;
  end: number;
  context: boolean;
}

/** The options of a program that take a URI (catalog: LIBVIRT_CONSUMER.tools); undefined when it has none. */
function toolOptions(name: string): readonly string[] | undefined {
  if (Object.prototype.hasOwnProperty.call(TOOLS, name)) return TOOLS[name];
  return name.startsWith('virt-') && !NO_URI_TOOLS.has(name) ? TOOLS['virt-*'] : undefined;
}

/** Whether the word text[start..end) has a `${` (whose default may be a URI). */
function hasDefault(text: string, start: number, end: number): boolean {
  for (let i = start; i + 1 < end; i++) if (text.charCodeAt(i) === Ch.Dollar && text.charCodeAt(i + 1) === Ch.LBrace) return true;
  return false;
}

/** End of the expansion at `i` (`$NAME`, `$1`, `${…}`, `$(…)`, `$((…))`, `$'…'`, `` `…` ``), within `end`. */
function expansionEnd(text: string, i: number, end: number): number {
  const c = text.charCodeAt(i);
  const n = text.charCodeAt(i + 1);
  if (c === Ch.Backtick || n === Ch.SQuote) {
    for (let j = i + (c === Ch.Backtick ? 1 : 2); j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === Ch.Backslash) j++;
      else if (d === (c === Ch.Backtick ? Ch.Backtick : Ch.SQuote)) return j + 1;
    }
    return end;
  }
  if (n === Ch.LBrace || n === Ch.LParen) {
    const open = n;
    const close = n === Ch.LBrace ? Ch.RBrace : Ch.RParen;
    let depth = 0;
    for (let j = i + 1; j < end; j++) {
      const d = text.charCodeAt(j);
      if (d === open) depth++;
      else if (d === close && --depth === 0) return j + 1;
    }
    return end;
  }
  if (isLetter(n) || n === Ch.Underscore) {
    let j = i + 1;
    while (j < end && (isLetter(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === Ch.Underscore)) j++;
    return j;
  }
  // $1, $@, $?, $$, $#, $!, $-, $*
  const special = isDigit(n) || n === 64 || n === Ch.Question || n === Ch.Dollar || n === Ch.Hash || n === Ch.Bang || n === Ch.Minus || n === Ch.Star;
  return special && i + 1 < end ? i + 2 : i + 1;
}

/** The default word of `${NAME:-word}` (also `-`, `:=`, `=`) in the expansion text[i..e). */
function defaultWord(text: string, i: number, e: number): { name: string; start: number; end: number } | undefined {
  if (text.charCodeAt(i + 1) !== Ch.LBrace || text.charCodeAt(e - 1) !== Ch.RBrace) return undefined;
  let j = i + 2;
  while (j < e && (isLetter(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === Ch.Underscore)) j++;
  if (j === i + 2) return undefined;
  const name = text.slice(i + 2, j);
  if (text.charCodeAt(j) === Ch.Colon) j++;
  if (text.charCodeAt(j) !== Ch.Minus && text.charCodeAt(j) !== Ch.Eq) return undefined;
  return { name, start: j + 1, end: e - 1 };
}

function isName(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(start);
  if (!isLetter(c) && c !== Ch.Underscore) return false;
  for (let i = start + 1; i < end; i++) {
    const d = text.charCodeAt(i);
    if (!isLetter(d) && !isDigit(d) && d !== Ch.Underscore) return false;
  }
  return true;
}
