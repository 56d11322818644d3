// The region layer: finds the strings in a source file that hold (or are meant to hold) a
// libvirt connection URI. Pure code, no LSP or VS Code imports.
import { HOST_LANGUAGES, HostLanguage } from '../languages';
import { Collector, ConfSetting, Suppression, UriCandidate } from './common';
import { scanDocument } from './scan';

export type { CandidatePiece, ConfSetting, Suppression, UriCandidate } from './common';
export { documentOffset, textOffset } from './common';

/** URI candidates in `text` scanned as VS Code language `languageId`, in document order. */
export function findUriCandidates(text: string, languageId: string): UriCandidate[] {
  return scanDocument(text, languageId, false).candidates;
}

/** `virt-uri-disable-line` / `virt-uri-disable-next-line` markers found in real comments. */
export function findSuppressions(text: string, languageId: string): Suppression[] {
  return scanDocument(text, languageId, true).suppressions;
}

const BY_EXTENSION = new Map<string, string>();
const BY_FILE_NAME = new Map<string, string>();
const BY_INTERPRETER = new Map<string, string>();
for (const [id, language] of Object.entries(HOST_LANGUAGES) as [string, HostLanguage][]) {
  for (const ext of language.extensions) BY_EXTENSION.set(ext, id);
  for (const name of language.fileNames ?? []) BY_FILE_NAME.set(name, id);
  for (const program of language.interpreters ?? []) BY_INTERPRETER.set(program, id);
}

/**
 * The language id the CLI should scan a file as: by file name, then extension, then (for a
 * file without extension) the interpreter named by its `#!` line when given. Unknown: undefined.
 */
export function languageIdForPath(filePath: string, firstLine?: string): string | undefined {
  const name = filePath.slice(Math.max(filePath.lastIndexOf('/'), filePath.lastIndexOf('\\')) + 1);
  const byName = BY_FILE_NAME.get(name);
  if (byName !== undefined) return byName;
  const dot = name.lastIndexOf('.');
  if (dot > 0) {
    const ext = name.slice(dot + 1).toLowerCase();
    return BY_EXTENSION.get(ext);
  }
  if (firstLine === undefined || !firstLine.startsWith('#!')) return undefined;
  const words = firstLine.slice(2).trim().split(/\s+/);
  let program = words[0].slice(words[0].lastIndexOf('/') + 1);
  if (program === 'env') program = words.slice(1).find((w) => !w.startsWith('-')) ?? '';
  // python3.11 → python
  program = program.replace(/[\d.]+$/, '');
  return BY_INTERPRETER.get(program);
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
  settings: ConfSetting[];
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

  /** libvirt.conf's settings (empty for other languages). */
  settings(doc: RegionDocument): ConfSetting[] {
    return this.entry(doc).settings;
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
    const entry: Entry = {
      version: doc.version, languageId: doc.languageId, candidates: col.candidates, suppressions: col.suppressions, settings: col.settings,
    };
    this.entries.set(doc.uri, entry);
    return entry;
  }
}
