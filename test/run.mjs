// Runs every compiled test file under out/test (node:test), in a stable order.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
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
// OpenSSH reads and writes ~/.ssh of the passwd entry whatever $HOME says: every test that runs
// ssh must bring its own configuration and known_hosts. This machine's ~/.ssh must come out as
// it went in.
const sshDir = join(userInfo().homedir, '.ssh');
const sshState = () => (existsSync(sshDir)
  ? readdirSync(sshDir).sort().map((name) => {
    const s = statSync(join(sshDir, name));
    return `${name} ${s.size} bytes, modified ${s.mtime.toISOString()}`;
  }).join('\n')
  : '(no such folder)');
const before = sshState();
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...files], { stdio: 'inherit' });
const after = sshState();
if (after !== before) {
  console.error(`\n✖ the tests changed ${sshDir}\nbefore:\n${before}\nafter:\n${after}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
