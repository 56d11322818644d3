// Cross-check of libvirt.conf settings: each configuration is given to the real virsh 9.0.0 as
// the user's own libvirt.conf, and our verdict (an error on the file) must match libvirt's
// refusal. virsh runs as an unprivileged user, since root reads /etc/libvirt/libvirt.conf.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/languageservice/languageService';
import { daemonIdentity } from '../helpers/libvirtd';
import { classifyMessage } from './libvirt';

/** Configurations; each is checked with a tls URI (which reads every remote_* and tls_* key), and with no URI when it sets uri_default. */
const CONFS: readonly string[] = [
  'remote_mode = "legacy"', 'remote_mode = "direct"', 'remote_mode = "auto"', 'remote_mode = "bogus"', 'remote_mode = "Legacy"',
  'remote_mode = ""', "remote_mode = 'legacy'", 'remote_mode = 1', 'remote_mode = [ "legacy" ]', 'remote_mode = legacy',
  'remote_mode = "legacy" # comment', '# remote_mode = "bogus"',
  'remote_proxy = "native"', 'remote_proxy = "netcat"', 'remote_proxy = "auto"', 'remote_proxy = "bogus"', 'remote_proxy = 0',
  'tls_priority = "NORMAL"', 'tls_priority = 5', 'tls_priority = [ "NORMAL" ]',
  'uri_default = "qemu:///system"', 'uri_default = 5', 'uri_default = [ "qemu:///system" ]',
  'uri_aliases = [ "a=qemu:///system" ]', 'uri_aliases = "a=qemu:///system"', 'uri_aliases = [ "a=qemu:///system", 5 ]', 'uri_aliases = [ ]',
  'foo = "bar"', 'listen_tls = 0', 'uri_defualt = "qemu:///system"',
  'uri_default = "qemu:///system"\nremote_mode = "legacy"\nremote_proxy = "bogus"',
];

const TLS_PROBE = 'qemu+tls://127.0.0.1:1/system';

interface Row {
  conf: string;
  verdict: 'refused' | 'accepted' | 'unclassified';
  message: string;
  output: string;
  ours: string[];
}

describe('libvirt 9.0.0 cross-check of libvirt.conf settings', () => {
  let dir = '';
  let rows: Row[] = [];

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'virt-uri-conf-'));
    const identity = daemonIdentity();
    const service = getLanguageService({ aliases: () => new Map() });
    rows = CONFS.map((conf, n) => {
      const home = path.join(dir, String(n));
      const confDir = path.join(home, '.config', 'libvirt');
      mkdirSync(confDir, { recursive: true });
      const file = path.join(confDir, 'libvirt.conf');
      writeFileSync(file, conf + '\n');
      if (identity) for (const p of [dir, home, path.join(home, '.config'), confDir, file]) chownSync(p, identity.uid, identity.gid);
      const probes = conf.includes('uri_default') ? [TLS_PROBE, ''] : [TLS_PROBE];
      let verdict: Row['verdict'] = 'accepted';
      let message = '';
      let output = '';
      for (const uri of probes) {
        const r = spawnSync('virsh', ['-c', uri, 'uri'], {
          encoding: 'utf8', timeout: 10_000, ...(identity ?? {}),
          env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C', LIBVIRT_AUTOSTART: '0', HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'), XDG_RUNTIME_DIR: path.join(home, 'run') },
        });
        output += `[${uri}] ${(r.stdout + r.stderr).replace(/\s+/g, ' ').trim()} `;
        const last = (r.stdout + r.stderr).split('\n').filter((l) => l.startsWith('error: ') && l !== 'error: failed to connect to the hypervisor').at(-1);
        if (r.status === 0 || last === undefined) continue;
        const classified = classifyMessage(last.slice('error: '.length).replaceAll(file, 'libvirt.conf'));
        if (classified.verdict !== 'accepted') {
          verdict = classified.verdict;
          message = classified.message;
          break;
        }
      }
      const doc = TextDocument.create(`file://${file}`, 'libvirt-conf', 1, conf + '\n');
      const ours = service.doValidation(doc).filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => `${String(d.code)}: ${d.message}`);
      return { conf, verdict, message, output, ours };
    });
    console.log(`libvirt.conf cross-check: ${rows.length} configurations, ${rows.filter((r) => r.verdict === 'refused').length} refused by libvirt`);
  });

  after(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const show = (r: Row) => `  ${JSON.stringify(r.conf)}\n    libvirt: ${r.verdict} ${r.message || r.output}\n    ours:    ${r.ours.join(' | ') || 'no error'}`;

  it('classifies every answer of libvirt', () => {
    const unknown = rows.filter((r) => r.verdict === 'unclassified');
    assert.equal(unknown.length, 0, unknown.map(show).join('\n'));
  });

  it('agrees with libvirt on refusal vs acceptance, in its words', () => {
    const disagree = rows.filter((r) => (r.verdict === 'refused') !== (r.ours.length > 0));
    assert.equal(disagree.length, 0, `${disagree.length} disagreements:\n${disagree.map(show).join('\n')}`);
    const unworded = rows.filter((r) => r.verdict === 'refused' && !r.ours.some((o) => o.includes(r.message)));
    assert.equal(unworded.length, 0, `messages without libvirt's text:\n${unworded.map(show).join('\n')}`);
    assert.ok(rows.filter((r) => r.verdict === 'refused').length >= 10, 'the corpus must reach libvirt\'s refusals');
  });
});
