// The pre-commit hook (.pre-commit-hooks.yaml) as pre-commit users get it: pre-commit installs
// this repository as a node package (npm install, npm pack, npm install -g) and runs the hook on
// the files of a commit.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

const PRE_COMMIT = '/usr/bin/pre-commit';
const installed = spawnSync(PRE_COMMIT, ['--version'], { encoding: 'utf8' }).status === 0;
// Outside CI a machine without pre-commit (Debian's package) skips; in CI it must run.
const skip = process.env.CI || installed ? false : `${PRE_COMMIT} is not installed: run bash .ci/setup`;

describe('the pre-commit hook', { skip, timeout: 300_000 }, () => {
  const work = mkdtempSync(path.join(tmpdir(), 'virt-uri-pre-commit-'));
  after(() => rmSync(work, { recursive: true, force: true }));

  it('installs from this repository and fails a commit whose files have a broken URI', () => {
    const project = path.join(work, 'project');
    mkdirSync(project);
    // npm as a user runs it: none of the npm_* settings of the `npm test` running us.
    const env = { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k))), PRE_COMMIT_HOME: path.join(work, 'cache') };
    execFileSync('git', ['init', '-q'], { cwd: project });
    writeFileSync(path.join(project, 'broken.py'), "import libvirt\nconn = libvirt.open('qemu+foo:///system')\n");
    writeFileSync(path.join(project, 'fine.sh'), 'virsh -c qemu:///system list\n');
    execFileSync('git', ['add', '.'], { cwd: project });
    // try-repo: the hook from this checkout, as a repository URL in .pre-commit-config.yaml gives it.
    const run = (files: string[]) => spawnSync(PRE_COMMIT, ['try-repo', repoRoot, 'virt-uri', '--files', ...files], { cwd: project, env, encoding: 'utf8', timeout: 240_000 });
    const broken = run(['broken.py', 'fine.sh']);
    assert.equal(broken.status, 1, broken.stdout + broken.stderr);
    assert.match(broken.stdout, /libvirt URIs\.+Failed/);
    assert.match(broken.stdout, /^broken\.py:2:27 {2}error {2}unknown-transport {2}invalid argument: remote_open: transport in URL not recognised/m);
    const fine = run(['fine.sh']);
    assert.equal(fine.status, 0, fine.stdout + fine.stderr);
    assert.match(fine.stdout, /libvirt URIs\.+Passed/);
  });
});
