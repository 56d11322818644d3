// The README a marketplace visitor reads: its tables agree with the manifest (manifest-tables.mjs), it
// documents every diagnostic code, and the pictures it shows are there or on the way.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DIAGNOSTIC_DOCS } from '../../server/src/languageservice/catalog';
import { repoRoot } from '../helpers/paths';

const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');

describe('the README', () => {
  it('has the commands and settings tables of package.json as it is (node manifest-tables.mjs)', () => {
    const r = spawnSync(process.execPath, ['manifest-tables.mjs', '--check'], { cwd: repoRoot, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[]; configuration: { properties: Record<string, unknown> } } };
    // The check itself: every command and setting is in the tables.
    for (const c of manifest.contributes.commands) assert.ok(readme.includes(`| \`${c.command}\` |`), c.command);
    for (const key of Object.keys(manifest.contributes.configuration.properties)) assert.ok(readme.includes(`| \`${key}\` |`), key);
  });

  it('documents every diagnostic code in the diagnostics table', () => {
    const table = readme.slice(readme.indexOf('| code | default | when |'));
    const rows = table.slice(0, table.indexOf('\n\n'));
    const missing = Object.keys(DIAGNOSTIC_DOCS).filter((code) => !rows.includes(`\`${code}\``));
    assert.deepEqual(missing, []);
  });

  it('shows screenshots from media/screenshots/, PNGs the e2e makes; the Hypervisors view’s is there', (t) => {
    const images = [...readme.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(images.filter((i) => !/^media\/screenshots\/[a-z-]+\.png$/.test(i)), []);
    for (const name of ['completion', 'hover', 'quickfix', 'tree']) assert.ok(images.includes(`media/screenshots/${name}.png`), name);
    assert.ok(existsSync(path.join(repoRoot, 'media', 'screenshots', 'tree.png')));
    // The others come with the scenes that make them (UPDATE_SCREENSHOTS=1 node test/run.mjs e2e).
    const pending = images.filter((i) => !existsSync(path.join(repoRoot, i)));
    if (pending.length > 0) t.diagnostic(`not made yet: ${pending.join(', ')}`);
  });
});
