// Shell scripts (and shell snippets inside YAML, Markdown, console transcripts). Words are
// lexed with their quoting; a word is a libvirt URI when it follows `virsh -c`/`--connect`,
// `virt-install --connect`, `virt-v2v -ic`, `virsh connect`, or is assigned to
// LIBVIRT_DEFAULT_URI. Words with expansions (`$HOST`, `$(…)`) are templates, not URIs.
import * as common from './common';
import type { Collector } from './common';
import { PlainScanner } from './plain';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, heredocBody, isDigit, isLetter, lineEnd, startsWithDriverScheme } = common;

export interface ShellOptions {
  /**
   * `dollar`: a leading `$ ` on a line is a prompt (snippets in docs).
   * `console`: a transcript; lines with a prompt (`$ `, `# `, `user@host:~$ `) are commands,
   * the others are output, scanned as prose.
   */
  prompts?: 'dollar' | 'console';
}

const TAKES_C = 1;
const TAKES_CONNECT = 2;
const TAKES_IC_OC = 4;
const VIRSH = 8;

const KEYWORDS = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', 'time']);
const WRAPPERS = new Set(['sudo', 'doas', 'env', 'exec', 'nohup', 'command', 'builtin', 'nice', 'ionice', 'timeout', 'watch', 'xargs', 'stdbuf', 'unbuffer']);
const DECLARATIONS = new Set(['export', 'declare', 'typeset', 'local', 'readonly']);
const ENV_KEYS = new Set(['LIBVIRT_DEFAULT_URI', 'VIRSH_DEFAULT_CONNECT_URI']);
/** virt-* programs without a hypervisor connection option (virt-admin's -c takes a daemon admin URI). */
const NO_CONNECTION = new Set(['virt-admin', 'virt-host-validate', 'virt-pki-validate', 'virt-pki-query-dn', 'virt-qemu-run',
  'virt-login-shell', 'virt-ssh-helper', 'virt-what', 'virt-builder', 'virt-make-fs', 'virt-resize', 'virt-sparsify',
  'virt-index-validate', 'virt-format']);
/** virt-* programs where -c means something else (virt-install: --cdrom). */
const CONNECT_ONLY = new Set(['virt-install', 'virt-clone', 'virt-xml', 'virt-convert']);
const MAX_NESTING = 32;

interface Command {
  atCommand: boolean;
  wrapper: boolean;
  declaring: boolean;
  tool: number;
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
  /** End of the value found by valueRange(), and whether its quote is still open. */
  private valueEnd = 0;
  private valueUnterminated = false;

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
      const tool = toolFlags(name.slice(name.lastIndexOf('/') + 1));
      if (tool !== 0) {
        cmd.tool = tool;
        cmd.atCommand = cmd.wrapper = false;
        return;
      }
      if (cmd.atCommand) {
        cmd.atCommand = false;
        return;
      }
    }
    cmd.atCommand = false;
    if (cmd.tool !== 0 && this.toolArgument(start, end, cmd)) return;
    this.emitValue(start, end, false);
    if (eq > start) this.emitValue(eq + 1, end, false);
  }

  /** Options of virsh / virt-* that take a URI; true when the word was one of them. */
  private toolArgument(start: number, end: number, cmd: Command): boolean {
    const text = this.text;
    const len = end - start;
    const is = (w: string) => len === w.length && text.startsWith(w, start);
    if (text.charCodeAt(start) === Ch.Minus) {
      if (((cmd.tool & TAKES_C) !== 0 && is('-c')) || ((cmd.tool & TAKES_CONNECT) !== 0 && is('--connect')) ||
        ((cmd.tool & TAKES_IC_OC) !== 0 && (is('-ic') || is('-oc') || is('--ic') || is('--oc'))) || (cmd.virshConnect && is('--name'))) {
        cmd.expect = true;
        return true;
      }
      const eq = this.eq;
      if (eq > start && (((cmd.tool & TAKES_CONNECT) !== 0 && eq - start === 9 && text.startsWith('--connect', start)) ||
        ((cmd.tool & TAKES_IC_OC) !== 0 && (text.startsWith('-ic=', start) || text.startsWith('-oc=', start) ||
          text.startsWith('--ic=', start) || text.startsWith('--oc=', start))))) {
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
    if ((cmd.tool & VIRSH) !== 0 && !cmd.sawSubcommand) {
      cmd.sawSubcommand = true;
      cmd.virshConnect = is('connect');
      return true;
    }
    return false;
  }

  /**
   * Reports the word text[start..end) (or the value part of one) when it is a single
   * literal: unquoted without expansions, or one quoted string.
   */
  private emitValue(start: number, end: number, context: boolean): void {
    const text = this.text;
    const first = text.charCodeAt(start);
    const isQuote = first === Ch.SQuote || first === Ch.DQuote;
    if (!context && !startsWithDriverScheme(text, isQuote ? start + 1 : start, end, isQuote)) return;
    const s = this.valueRange(start, end);
    if (s >= 0) this.col.addString(s, this.valueEnd, context, this.valueUnterminated);
  }

  /** Start of the literal text of a word part (sets valueEnd), or -1 when it is not one literal. */
  private valueRange(start: number, end: number): number {
    const text = this.text;
    const q = text.charCodeAt(start);
    if (q === Ch.SQuote || q === Ch.DQuote) {
      for (let i = start + 1; i < end; i++) {
        const c = text.charCodeAt(i);
        if (c === Ch.Backslash && q === Ch.DQuote) {
          i++;
          continue;
        }
        if (c === q) {
          if (i + 1 !== end) return -1;
          this.valueEnd = i;
          this.valueUnterminated = false;
          return start + 1;
        }
        if (q === Ch.DQuote && (c === Ch.Dollar || c === Ch.Backtick)) return -1;
      }
      this.valueEnd = end;
      this.valueUnterminated = true;
      return start + 1;
    }
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === Ch.SQuote || c === Ch.DQuote || c === Ch.Dollar || c === Ch.Backtick || c === Ch.Backslash) return -1;
    }
    this.valueEnd = end;
    this.valueUnterminated = false;
    return start;
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
      this.plain.scan(i, body.bodyEnd, { rejectTemplates: !doc.quoted });
      i = body.next;
    }
    this.heredocs.length = 0;
    return i;
  }
}

function newCommand(): Command {
  return { atCommand: true, wrapper: false, declaring: false, tool: 0, expect: false, sawSubcommand: false, virshConnect: false, redirect: false };
}

function resetCommand(cmd: Command): void {
  cmd.atCommand = true;
  cmd.wrapper = cmd.declaring = cmd.expect = cmd.sawSubcommand = cmd.virshConnect = cmd.redirect = false;
  cmd.tool = 0;
}

function toolFlags(name: string): number {
  if (name === 'virsh') return TAKES_C | TAKES_CONNECT | VIRSH;
  if (name === 'guestfish' || name === 'guestmount') return TAKES_C | TAKES_CONNECT;
  if (!name.startsWith('virt-') || NO_CONNECTION.has(name)) return 0;
  if (name === 'virt-v2v' || name === 'virt-p2v') return TAKES_IC_OC;
  return CONNECT_ONLY.has(name) ? TAKES_CONNECT : TAKES_C | TAKES_CONNECT;
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
