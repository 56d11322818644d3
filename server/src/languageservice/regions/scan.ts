// Chooses the scanner for a language id; Markdown hands each fenced block to the scanner of
// the fence's language.
import { HOST_LANGUAGES, ScannerKind, isHostLanguage } from '../languages';
import { CodeLanguage, CodeScanner } from './code';
import * as common from './common';
import { scanLibvirtConf } from './conf';
import { PlainScanner } from './plain';
import { ShellScanner, ShellOptions } from './shell';
import { YamlScanner } from './yaml';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, lineEnd } = common;

type Target =
  | { kind: 'code'; lang: CodeLanguage }
  | { kind: 'shell'; prompts?: ShellOptions['prompts'] }
  | { kind: 'yaml' | 'conf' | 'markdown' | 'plain' };

const code = (lang: CodeLanguage): Target => ({ kind: 'code', lang });

const BY_SCANNER: Readonly<Record<ScannerKind, Target>> = {
  python: code('python'), c: code('c'), cpp: code('cpp'), go: code('go'), rust: code('rust'), js: code('js'), java: code('java'),
  ruby: code('ruby'), hcl: code('hcl'), shell: { kind: 'shell' }, yaml: { kind: 'yaml' }, conf: { kind: 'conf' },
  markdown: { kind: 'markdown' }, plain: { kind: 'plain' },
};

/** Markdown fence info words. Unknown or missing ones are scanned as plain text. */
const BY_FENCE: Readonly<Record<string, Target>> = {
  python: code('python'), py: code('python'), python3: code('python'), py3: code('python'), pycon: code('python'),
  c: code('c'), h: code('c'),
  cpp: code('cpp'), 'c++': code('cpp'), cc: code('cpp'), cxx: code('cpp'), hpp: code('cpp'),
  go: code('go'), golang: code('go'),
  rust: code('rust'), rs: code('rust'),
  js: code('js'), javascript: code('js'), jsx: code('js'), mjs: code('js'), cjs: code('js'), node: code('js'),
  ts: code('js'), typescript: code('js'), tsx: code('js'),
  java: code('java'),
  ruby: code('ruby'), rb: code('ruby'), vagrant: code('ruby'), vagrantfile: code('ruby'),
  hcl: code('hcl'), terraform: code('hcl'), tf: code('hcl'),
  sh: { kind: 'shell', prompts: 'dollar' }, bash: { kind: 'shell', prompts: 'dollar' }, shell: { kind: 'shell', prompts: 'dollar' },
  zsh: { kind: 'shell', prompts: 'dollar' }, ksh: { kind: 'shell', prompts: 'dollar' }, shellscript: { kind: 'shell', prompts: 'dollar' },
  console: { kind: 'shell', prompts: 'console' }, 'shell-session': { kind: 'shell', prompts: 'console' },
  shellsession: { kind: 'shell', prompts: 'console' }, 'sh-session': { kind: 'shell', prompts: 'console' },
  terminal: { kind: 'shell', prompts: 'console' },
  yaml: { kind: 'yaml' }, yml: { kind: 'yaml' }, ansible: { kind: 'yaml' },
  'libvirt-conf': { kind: 'conf' }, 'libvirt.conf': { kind: 'conf' }, conf: { kind: 'conf' },
};

/** Scans the whole text as `languageId`; an unknown id yields nothing. */
export function scanDocument(text: string, languageId: string, wantSuppressions: boolean): common.Collector {
  const col = new common.Collector(text, wantSuppressions);
  if (isHostLanguage(languageId)) {
    const scanner = HOST_LANGUAGES[languageId].scanner;
    col.documentation = scanner === 'markdown' || scanner === 'plain';
    new Scanners(col).scan(BY_SCANNER[scanner], 0, text.length);
  }
  // A template joined over several literals is added when its last literal is read, after any
  // candidate inside its operands: keep document order.
  const c = col.candidates;
  for (let i = 1; i < c.length; i++) {
    if (c[i].offset < c[i - 1].offset) {
      c.sort((a, b) => a.offset - b.offset);
      break;
    }
  }
  return col;
}

class Scanners {
  private readonly plain: PlainScanner;
  private readonly shell: ShellScanner;

  constructor(private readonly col: common.Collector) {
    this.plain = new PlainScanner(col);
    this.shell = new ShellScanner(col, this.plain);
  }

  scan(target: Target, start: number, end: number): void {
    switch (target.kind) {
      case 'code':
        new CodeScanner(this.col, this.plain, target.lang).scan(start, end);
        break;
      case 'shell':
        this.shell.scan(start, end, { prompts: target.prompts });
        break;
      case 'yaml':
        new YamlScanner(this.col, this.plain, this.shell).scan(start, end);
        break;
      case 'conf':
        scanLibvirtConf(this.col, start, end);
        break;
      case 'markdown':
        this.markdown(start, end);
        break;
      case 'plain':
        // Plain text has no comment syntax: a marker on any line counts.
        this.col.comment(start, end);
        this.plain.scan(start, end);
        break;
    }
  }

  /** Prose (minus HTML comments) is plain text; fenced blocks go to their language's scanner. */
  private markdown(start: number, end: number): void {
    const text = this.col.text;
    const comments = new common.Finder(text, '<!--');
    let prose = start;
    let i = start;
    while (i < end) {
      const le = lineEnd(text, i, end);
      const fence = this.fenceOpening(i, le);
      if (fence === undefined) {
        i = le + 1;
        continue;
      }
      this.prose(prose, i, comments);
      const bodyStart = Math.min(le + 1, end);
      let j = bodyStart;
      let bodyEnd = end;
      let after = end;
      while (j < end) {
        const e = lineEnd(text, j, end);
        if (this.fenceClosing(j, e, fence.char, fence.length)) {
          bodyEnd = j;
          after = Math.min(e + 1, end);
          break;
        }
        j = e + 1;
      }
      const target = BY_FENCE[fence.info] ?? { kind: 'plain' };
      if (bodyEnd > bodyStart) {
        if (target.kind === 'plain') this.plain.scan(bodyStart, bodyEnd);
        else this.scan(target, bodyStart, bodyEnd);
      }
      prose = i = after;
    }
    this.prose(prose, end, comments);
  }

  private prose(start: number, end: number, comments: common.Finder): void {
    const text = this.col.text;
    let i = start;
    while (i < end) {
      const open = comments.next(i);
      if (open < 0 || open >= end) {
        this.plain.scan(i, end);
        return;
      }
      this.plain.scan(i, open);
      const close = text.indexOf('-->', open + 4);
      const stop = close < 0 || close > end ? end : close;
      this.col.comment(open + 4, stop);
      i = stop === end ? end : stop + 3;
    }
  }

  /** A fence line: up to 3 spaces, then 3+ backticks or tildes, then the info string. */
  private fenceOpening(i: number, le: number): { char: number; length: number; info: string } | undefined {
    const text = this.col.text;
    let s = i;
    while (s < le && s - i < 4 && text.charCodeAt(s) === Ch.Space) s++;
    const ch = text.charCodeAt(s);
    if (s - i > 3 || (ch !== Ch.Backtick && ch !== Ch.Tilde)) return undefined;
    let k = s;
    while (k < le && text.charCodeAt(k) === ch) k++;
    if (k - s < 3) return undefined;
    const info = text.slice(k, le).trim();
    if (ch === Ch.Backtick && info.includes('`')) return undefined;
    const word = /^\{?\s*\.?([^\s{},]*)/.exec(info)?.[1] ?? '';
    return { char: ch, length: k - s, info: word.toLowerCase() };
  }

  private fenceClosing(i: number, le: number, ch: number, length: number): boolean {
    const text = this.col.text;
    let s = i;
    while (s < le && s - i < 4 && text.charCodeAt(s) === Ch.Space) s++;
    if (s - i > 3) return false;
    let k = s;
    while (k < le && text.charCodeAt(k) === ch) k++;
    if (k - s < length) return false;
    while (k < le && (text.charCodeAt(k) === Ch.Space || text.charCodeAt(k) === Ch.Tab || text.charCodeAt(k) === Ch.CR)) k++;
    return k === le;
  }
}
