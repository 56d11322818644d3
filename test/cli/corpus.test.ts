// The fixture corpus (test/fixtures/corpus): one folder per host language under libvirt/, and
// one for terraform-provider-libvirt, each in two halves. Files under clean/ must come out of
// `virt-uri check` with nothing; each file under flagged/ has its findings listed next to it in
// FILE.expected (`line:col-endLine:endCol  severity  code  message`), compared exactly.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Finding } from '../../server/src/cli/formats';
import { distDir, fixturesDir, repoRoot } from '../helpers/paths';

const CORPUS = path.join(fixturesDir, 'corpus');

function files(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? files(p) : name.endsWith('.expected') ? [] : [p];
  });
}

describe('fixture corpus through virt-uri check', () => {
  let home = '';
  const byFile = new Map<string, string[]>();

  before(() => {
    home = mkdtempSync(path.join(tmpdir(), 'virt-uri-corpus-'));
    const r = spawnSync(process.execPath, [path.join(distDir, 'cli.js'), 'check', '--format', 'json', CORPUS], {
      cwd: repoRoot, encoding: 'utf8', timeout: 60_000,
      // No user libvirt.conf: only the corpus may define aliases.
      env: { ...process.env, HOME: home, XDG_CONFIG_HOME: home },
    });
    assert.ok(r.status === 0 || r.status === 1, r.stderr);
    for (const f of JSON.parse(r.stdout) as Finding[]) {
      const line = `${f.line}:${f.column}-${f.endLine}:${f.endColumn}  ${f.severity}  ${f.code}  ${f.message}`;
      byFile.set(f.file, [...(byFile.get(f.file) ?? []), line]);
    }
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  const all = files(CORPUS);
  const rel = (f: string) => path.relative(repoRoot, f);

  it('has both halves for every host language and consumer', () => {
    const folders = new Set(all.map((f) => path.relative(CORPUS, f).split(path.sep).slice(0, -2).join('/')));
    for (const folder of folders) {
      for (const half of ['clean', 'flagged']) assert.ok(existsSync(path.join(CORPUS, folder, half)), `${folder}/${half}`);
    }
    assert.ok(folders.has('terraform-provider-libvirt'));
    assert.ok(folders.size >= 16, [...folders].join(', '));
  });

  for (const file of all) {
    const name = path.relative(CORPUS, file);
    if (name.split(path.sep).includes('clean')) {
      it(`${name} is clean`, () => assert.deepEqual(byFile.get(rel(file)) ?? [], []));
    } else {
      it(`${name} has exactly its expected findings`, () => {
        const expected = readFileSync(`${file}.expected`, 'utf8').split('\n').filter((l) => l !== '');
        assert.ok(expected.length > 0, 'a flagged file lists its findings');
        assert.deepEqual(byFile.get(rel(file)) ?? [], expected);
      });
    }
  }
});
