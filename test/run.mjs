// Runs every compiled test file under out/test (node:test), in a stable order.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function find(dir) {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? find(p) : p.endsWith('.test.js') ? [p] : [];
  });
}

const only = process.argv.slice(2);
const files = find(`out${process.env.BUILD_SUFFIX ?? ''}/test`).filter((f) => only.length === 0 || only.some((o) => f.includes(o)));
// The .vsix packages are made once (or kept, when up to date) for the tests that unpack or
// install them; those tests say what is wrong if this could not be done.
if (files.some((f) => /[\\/](e2e[\\/]|package[\\/]vsix\.test\.js$)/.test(f))) {
  spawnSync(process.execPath, ['package.mjs'], { stdio: 'inherit' });
}
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(result.status ?? 1);
