// The .vsix packages `npm run package` makes (package.mjs). test/run.mjs makes them once before
// the tests that use them; these only check that they are there and up to date.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './paths';

export interface Packager {
  /** VS Code target → koffi's platform package and its native build's folder. */
  TARGETS: Record<string, { koffi: string; build: string }>;
  SIZE_BUDGET_BYTES: number;
  vsixPath(target: string): string;
  /** What packaging needs that this machine lacks, or null. */
  packagerMissing(): string | null;
}

export async function packager(): Promise<Packager> {
  return (await import(pathToFileURL(path.join(repoRoot, 'package.mjs')).href)) as Packager;
}

/** Why the packages cannot be used as they are (missing or older than the build), or null. */
export function packagesStale(): string | null {
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'package.mjs'), '--check'], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return r.status === 0 ? null : (r.stderr.trim() || `package.mjs --check exited with ${r.status ?? r.signal}`);
}
