// The region layer: finds the strings in a source file that hold (or are meant to hold) a
// libvirt connection URI. Pure code, no LSP or VS Code imports.
import { Collector, Suppression, UriCandidate } from './common';
import { scanDocument } from './scan';

export type { CandidatePiece, Suppression, UriCandidate } from './common';
export { documentOffset, textOffset } from './common';

/** URI candidates in `text` scanned as VS Code language `languageId`, in document order. */
export function findUriCandidates(text: string, languageId: string): UriCandidate[] {
  return scanDocument(text, languageId, false).candidates;
}

/** `virt-uri-disable-line` / `virt-uri-disable-next-line` markers found in real comments. */
export function findSuppressions(text: string, languageId: string): Suppression[] {
  return scanDocument(text, languageId, true).suppressions;
}

const BY_EXTENSION: Readonly<Record<string, string>> = {
  py: 'python', pyw: 'python', pyi: 'python',
  c: 'c', h: 'c',
  cc: 'cpp', cpp: 'cpp', cxx: 'cpp', hpp: 'cpp', hh: 'cpp', hxx: 'cpp',
  go: 'go',
  rs: 'rust',
  js: 'javascript', mjs: 'javascript', cjs: 'javascript',
  jsx: 'javascriptreact',
  ts: 'typescript', mts: 'typescript', cts: 'typescript',
  tsx: 'typescriptreact',
  java: 'java',
  rb: 'ruby', rake: 'ruby', gemspec: 'ruby',
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', ksh: 'shellscript',
  yml: 'yaml', yaml: 'yaml',
  tf: 'terraform', tfvars: 'terraform', hcl: 'terraform',
  md: 'markdown', markdown: 'markdown',
  txt: 'plaintext',
};

const BY_FILE_NAME: Readonly<Record<string, string>> = {
  'libvirt.conf': 'libvirt-conf',
  Vagrantfile: 'ruby',
  Rakefile: 'ruby',
  Gemfile: 'ruby',
};

const BY_INTERPRETER: Readonly<Record<string, string>> = {
  sh: 'shellscript', bash: 'shellscript', zsh: 'shellscript', ksh: 'shellscript', dash: 'shellscript',
  python: 'python', ruby: 'ruby', node: 'javascript',
};

/**
 * The language id the CLI should scan a file as: by file name, then extension, then (for a
 * file without extension) the interpreter named by its `#!` line when given. Unknown: undefined.
 */
export function languageIdForPath(filePath: string, firstLine?: string): string | undefined {
  const name = filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
  const byName = BY_FILE_NAME[name];
  if (byName !== undefined) return byName;
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const ext = name.slice(dot + 1).toLowerCase();
    return Object.prototype.hasOwnProperty.call(BY_EXTENSION, ext) ? BY_EXTENSION[ext] : undefined;
  }
  if (firstLine === undefined || !firstLine.startsWith('#!')) return undefined;
  const words = firstLine.slice(2).trim().split(/\s+/);
  let program = words[0].slice(words[0].lastIndexOf('/') + 1);
  if (program === 'env') program = words.slice(1).find((w) => !w.startsWith('-')) ?? '';
  // python3.11 → python
  program = program.replace(/[\d.]+$/, '');
  return Object.prototype.hasOwnProperty.call(BY_INTERPRETER, program) ? BY_INTERPRETER[program] : undefined;
}

export interface RegionDocument {
  uri: string;
  version: number;
  languageId: string;
  getText(): string;
}

interface Entry {
  version: number;
  languageId: string;
  candidates: UriCandidate[];
  suppressions: Suppression[];
}

/**
 * Scan results per document, keyed by uri and valid for one version (and language id).
 * One scan yields both candidates and suppressions. Callers must not mutate the arrays.
 */
export class RegionCache {
  private readonly entries = new Map<string, Entry>();

  get(doc: RegionDocument): UriCandidate[] {
    return this.entry(doc).candidates;
  }

  suppressions(doc: RegionDocument): Suppression[] {
    return this.entry(doc).suppressions;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  clear(): void {
    this.entries.clear();
  }

  private entry(doc: RegionDocument): Entry {
    const cached = this.entries.get(doc.uri);
    if (cached !== undefined && cached.version === doc.version && cached.languageId === doc.languageId) return cached;
    const col: Collector = scanDocument(doc.getText(), doc.languageId, true);
    const entry: Entry = { version: doc.version, languageId: doc.languageId, candidates: col.candidates, suppressions: col.suppressions };
    this.entries.set(doc.uri, entry);
    return entry;
  }
}
