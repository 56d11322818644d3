// uri_aliases in reach of the editor: libvirt.conf files in the workspace (open editors win over
// the file on disk), then the user's client configuration.
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { clientConfigPath, mergeAliases, parseLibvirtConf, readLibvirtConf } from '../languageservice/libvirtConf';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn', 'dist', 'out', '.venv', 'venv', '__pycache__']);
const MAX_DEPTH = 8;
const MAX_ENTRIES = 50_000;

/** Finds files named libvirt.conf below the folders, bounded so a huge tree cannot stall the server. */
function findLibvirtConfFiles(folders: readonly string[]): string[] {
  const found: string[] = [];
  let budget = MAX_ENTRIES;
  const walk = (dir: string, depth: number): void => {
    if (depth > MAX_DEPTH || budget <= 0) return;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (--budget <= 0) return;
      if (e.isDirectory() && !SKIP_DIRS.has(e.name)) walk(path.join(dir, e.name), depth + 1);
      else if (e.isFile() && e.name === 'libvirt.conf') found.push(path.join(dir, e.name));
    }
  };
  for (const f of folders) walk(f, 0);
  return found.sort();
}

export class AliasStore {
  private fromFiles = new Map<string, Map<string, string>>();
  private fromEditors = new Map<string, Map<string, string>>();
  private merged: Map<string, string> | undefined;

  constructor(private readonly userConfig = clientConfigPath()) {}

  /** Re-reads the workspace's libvirt.conf files and the user's. */
  rescan(folders: readonly string[]): void {
    this.fromFiles = new Map();
    for (const file of [...findLibvirtConfFiles(folders), this.userConfig]) {
      this.fromFiles.set(file, readLibvirtConf(file).aliases);
    }
    this.merged = undefined;
  }

  /** An open libvirt.conf editor's text replaces that file's aliases until it closes. */
  setEditorText(file: string, text: string | undefined): void {
    if (text === undefined) this.fromEditors.delete(file);
    else this.fromEditors.set(file, parseLibvirtConf(text).aliases);
    this.merged = undefined;
  }

  /** The file whose alias wins, in the order aliases() merges them. */
  sourceOf(name: string): string | undefined {
    for (const [file, m] of this.fromEditors) if (m.has(name)) return file;
    for (const [file, m] of this.fromFiles) if (!this.fromEditors.has(file) && m.has(name)) return file;
    return undefined;
  }

  aliases(): ReadonlyMap<string, string> {
    if (!this.merged) {
      const maps: Map<string, string>[] = [...this.fromEditors.values()];
      for (const [file, m] of this.fromFiles) if (!this.fromEditors.has(file)) maps.push(m);
      this.merged = mergeAliases(...maps);
    }
    return this.merged;
  }
}
