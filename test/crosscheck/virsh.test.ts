// Cross-check: every corpus URI goes through the real libvirt 9.0.0 (virsh, plus a private
// unprivileged libvirtd for checks only a daemon makes), and our verdict — at least one
// diagnostic of severity error — must match libvirt's refusal or acceptance.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { validateUri } from '../../server/src/languageservice/services/validation';
import { CORPUS, TMP, type CorpusEntry } from './corpus';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';
import { judge, mapLimit, usesNetns, type Judgement } from './libvirt';

/**
 * Where we knowingly differ from libvirt 9.0.0, by corpus URI. Keep it tiny; each entry says why.
 */
const ALLOWED: ReadonlyMap<string, string> = new Map([]);

interface Row {
  entry: CorpusEntry;
  uri: string;
  libvirt: Judgement;
  ours: ReturnType<typeof validateUri>;
}

const ourError = (row: Row): boolean => row.ours.some((d) => d.severity === 'error');

function describeRow(row: Row): string {
  const ours = row.ours.length === 0 ? 'no diagnostics' : row.ours.map((d) => `${d.severity} ${d.code}: ${d.message}`).join(' | ');
  return `  ${JSON.stringify(row.uri)}${row.entry.note ? ` (${row.entry.note})` : ''}\n` +
    `    libvirt: ${row.libvirt.verdict} [${row.libvirt.kind}] ${row.libvirt.message || row.libvirt.output}\n` +
    `    ours:    ${ours}`;
}

describe('libvirt 9.0.0 cross-check (virsh -c URI uri)', () => {
  let workDir = '';
  let daemon: Libvirtd | undefined;
  let rows: Row[] = [];

  before(async () => {
    const started = Date.now();
    workDir = mkdtempSync(path.join(tmpdir(), 'virt-uri-xc-'));
    daemon = libvirtdUnavailable() === null ? await startLibvirtd() : undefined;
    const options = { workDir, timeoutMs: 30_000 };
    const limit = Math.min(8, Math.max(2, availableParallelism()));
    rows = await mapLimit(CORPUS, limit, async (entry) => {
      const uri = entry.uri.replaceAll(TMP, workDir);
      return { entry, uri, libvirt: await judge(uri, daemon, options), ours: validateUri(uri, { libvirtContext: true }) };
    });
    const checked = rows.filter((r) => r.libvirt.verdict === 'refused' || r.libvirt.verdict === 'accepted');
    const inconclusive = rows.filter((r) => r.libvirt.verdict === 'inconclusive');
    console.log(`cross-check: ${checked.length} of ${rows.length} URIs checked against libvirt ` +
      `(${checked.filter((r) => r.libvirt.verdict === 'refused').length} refused), ` +
      `${((Date.now() - started) / 1000).toFixed(1)} s, private daemon ${daemon ? 'up' : 'NOT available'}, ` +
      `network namespace ${usesNetns() ? 'on' : 'off'}`);
    if (inconclusive.length > 0) {
      console.log(`not checked (${inconclusive.length}): ${inconclusive.map((r) => `${r.uri} [${r.libvirt.kind}]`).join(', ')}`);
    }
  });

  after(async () => {
    await daemon?.stop();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('runs a broad corpus of distinct URIs', () => {
    const uris = CORPUS.map((e) => e.uri);
    assert.deepEqual(uris.filter((u, i) => uris.indexOf(u) !== i), [], 'duplicate corpus entries');
    assert.ok(uris.length >= 250, `corpus has only ${uris.length} URIs`);
  });

  it('starts the private daemon that decides daemon-side checks', () => {
    assert.ok(daemon, 'private libvirtd did not start: daemon-side verdicts are not checked');
  });

  it('classifies every answer of libvirt', () => {
    const unknown = rows.filter((r) => r.libvirt.verdict === 'unclassified');
    assert.equal(unknown.length, 0, `unclassified libvirt answers:\n${unknown.map(describeRow).join('\n')}`);
  });

  it('agrees with libvirt on refusal vs acceptance', () => {
    const decided = rows.filter((r) => r.libvirt.verdict === 'refused' || r.libvirt.verdict === 'accepted');
    const disagree = decided.filter((r) => (r.libvirt.verdict === 'refused') !== ourError(r));
    const unexpected = disagree.filter((r) => !ALLOWED.has(r.entry.uri));
    const stale = [...ALLOWED.keys()].filter((u) => !disagree.some((r) => r.entry.uri === u));
    assert.deepEqual(stale, [], 'allow-list entries that no longer disagree');
    assert.equal(unexpected.length, 0, `${unexpected.length} disagreements:\n${unexpected.map(describeRow).join('\n')}`);
  });

  it("uses libvirt's own wording for the URIs libvirt refuses", () => {
    const worded = rows.filter((r) => r.libvirt.verdict === 'refused' && r.libvirt.message !== '' && ourError(r));
    const mismatched = worded.filter((r) => !r.ours.some((d) => d.severity === 'error' && d.message.includes(r.libvirt.message)));
    assert.equal(mismatched.length, 0, `${mismatched.length} messages without libvirt's text:\n${mismatched.map(describeRow).join('\n')}`);
  });
});
