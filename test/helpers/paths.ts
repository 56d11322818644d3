import { existsSync } from 'node:fs';
import * as path from 'node:path';

function findRoot(dir: string): string {
  while (!existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found above ' + __dirname);
    dir = up;
  }
  return dir;
}

/** The repository root (tests run from out<suffix>/test/…). */
export const repoRoot = findRoot(__dirname);
const suffix = process.env.BUILD_SUFFIX ?? '';
/** Where the shipped bundles of this build live. */
export const distDir = path.join(repoRoot, `dist${suffix}`);
/** Where this build transpiled sources and tests to. */
export const outDir = path.join(repoRoot, `out${suffix}`);
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
