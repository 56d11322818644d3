import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runVirtUri, type CliResult } from '../helpers/cli';
import { repoRoot } from '../helpers/paths';

let home: string;

function virtUri(args: string[], cwd = repoRoot, nodeArgs: string[] = []): CliResult {
  return runVirtUri(args, { home, cwd, nodeArgs });
}

const EXAMPLES_OUTPUT = `\
examples/Vagrantfile:6:62  warning  no-verify  no_verify makes ssh accept any host key (StrictHostKeyChecking=no): the connection can be intercepted
examples/Vagrantfile:12:38  warning  query-separator  libvirt splits parameters on ';' only after the last '&': 'socket' gets the value '/run/user/1000/libvirt/libvirt-sock;mode=legacy'; use '&' everywhere
examples/Vagrantfile:12:93  warning  parameter-ignored  'no_tty' is ignored by the unix transport (used by ssh)
examples/backup.sh:13:24  error  wrong-path  internal error: unexpected qemu URI path '/sytem', try qemu:///system
examples/backup.sh:15:36  error  unix-with-host  invalid argument: using unix socket and remote server 'node1.example.com' is not supported.
examples/connect.py:25:37  warning  plain-tcp  the tcp transport is not encrypted: anyone on the network can read and alter the traffic unless SASL negotiates a security layer; prefer tls or ssh
examples/connect.py:28:33  error  maybe-you-want  internal error: invalid URI qemu://system (maybe you want qemu:///system)
examples/connect.py:30:30  error  unknown-transport  invalid argument: remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)
examples/libvirt.conf:6:46  warning  no-verify  no_verify turns off verification of the server's TLS certificate: the connection can be intercepted
examples/libvirt.conf:7:4  error  malformed-alias  configuration file syntax error: Malformed 'uri_aliases' config entry 'bad alias=qemu:///system', aliases may only contain 'a-Z, 0-9, _, -'
examples/list_domains.c:26:77  error  bad-boolean  invalid argument: Failed to parse value of URI component no_tty — use 0 or 1
examples/main.tf:10:59  warning  relative-path  keyfile is relative: terraform-provider-libvirt resolves it against the directory Terraform runs in
examples/main.tf:10:70  warning  parameter-ignored  terraform-provider-libvirt's ssh transport ignores 'sshauth'
examples/playbook.yml:15:79  error  bad-parameter-value  invalid argument: Invalid host key verification method: 'maybe'
examples/playbook.yml:20:61  error  direct-mode-over-ssh  Operation not supported: Cannot use direct socket mode for ssh transport
`;

describe('virt-uri check', () => {
  let dir: string;
  before(() => {
    home = mkdtempSync(path.join(tmpdir(), 'virt-uri-home-'));
    dir = mkdtempSync(path.join(tmpdir(), 'virt-uri-cli-'));
  });
  after(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('reports exactly the broken URIs in examples/, sorted by file, and exits 1', () => {
    const r = virtUri(['check', 'examples/']);
    assert.equal(r.stdout, EXAMPLES_OUTPUT);
    assert.equal(r.stderr, '8 error(s), 7 warning(s), 0 info in 7 file(s)\n');
    assert.equal(r.status, 1);
  });

  it('resolves an alias only when a libvirt.conf that defines it is checked too', () => {
    assert.doesNotMatch(virtUri(['check', 'examples/']).stdout, /'hail'/);
    const alone = virtUri(['check', 'examples/connect.py']);
    assert.match(alone.stdout, /^examples\/connect\.py:32:26 {2}error {2}unknown-alias {2}no connection driver available for URI 'hail'/m);
  });

  it('--format json carries the same findings with ranges', () => {
    const r = virtUri(['check', '--format', 'json', 'examples/']);
    assert.equal(r.status, 1);
    const findings = JSON.parse(r.stdout) as { file: string; line: number; column: number; endColumn: number; code: string; severity: string }[];
    assert.equal(findings.length, EXAMPLES_OUTPUT.trim().split('\n').length);
    assert.deepEqual(findings[3], {
      file: 'examples/backup.sh', line: 13, column: 24, endLine: 13, endColumn: 30, severity: 'error', code: 'wrong-path',
      message: "internal error: unexpected qemu URI path '/sytem', try qemu:///system",
    });
  });

  it('exits 0 when only warnings are found, and for clean files', () => {
    writeFileSync(path.join(dir, 'warn.py'), "libvirt.open('qemu+tcp://h/system')\n");
    writeFileSync(path.join(dir, 'clean.py'), "libvirt.open('qemu:///system')\nrequests.get('https://example.com/a b')\n");
    const r = virtUri(['check', 'warn.py', 'clean.py'], dir);
    assert.equal(r.stdout, 'warn.py:1:20  warning  plain-tcp  the tcp transport is not encrypted: anyone on the network can read and alter the traffic unless SASL negotiates a security layer; prefer tls or ssh\n');
    assert.equal(r.status, 0);
    assert.equal(virtUri(['check', 'clean.py'], dir).status, 0);
  });

  it('walks folders honouring .gitignore, and skips files of unknown type', () => {
    const tree = path.join(dir, 'tree');
    mkdirSync(path.join(tree, 'build'), { recursive: true });
    mkdirSync(path.join(tree, 'src'), { recursive: true });
    writeFileSync(path.join(tree, '.gitignore'), 'build/\n*.gen.py\n');
    writeFileSync(path.join(tree, 'build', 'out.py'), "libvirt.open('qemu+foo:///system')\n");
    writeFileSync(path.join(tree, 'src', 'x.gen.py'), "libvirt.open('qemu+foo:///system')\n");
    writeFileSync(path.join(tree, 'src', 'data.bin'), "libvirt.open('qemu+foo:///system')\n");
    writeFileSync(path.join(tree, 'src', 'main.py'), "libvirt.open('qemu+foo:///system')\n");
    const r = virtUri(['check', 'tree'], dir);
    assert.equal(r.stdout.trim().split('\n').map((l) => l.split(':')[0]).join(','), 'tree/src/main.py');
    assert.equal(r.status, 1);
  });

  it('bad input gets one clear line, never a stack trace', () => {
    writeFileSync(path.join(dir, 'blob.py'), Buffer.from([0x71, 0x65, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(dir, 'huge.py'), Buffer.alloc(6 * 1024 * 1024, 0x61));
    const fifo = path.join(dir, 'pipe.py');
    spawnSync('mkfifo', [fifo]);
    const r = virtUri(['check', 'blob.py', 'huge.py', 'pipe.py', 'missing.py'], dir);
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'virt-uri check: pipe.py: not a regular file',
      'virt-uri check: missing.py: no such file or directory',
      'virt-uri check: blob.py: skipped (binary file)',
      'virt-uri check: huge.py: skipped (larger than 5 MB)',
      '0 error(s), 0 warning(s), 0 info in 0 file(s)',
    ]);
    assert.doesNotMatch(r.stderr, /\bat .*\.js:\d+/);
    assert.equal(r.status, 2);
  });

  it('a 5 MB line with 2.6 million faults is one finding with their count, checked in bounded memory', () => {
    const pairs = 2_621_373;
    writeFileSync(path.join(dir, 'hostile.sh'), `virsh -c "qemu+ssh://h/system?${'&='.repeat(pairs)}" list\n`);
    // The CLI's own peak RSS, written as it exits.
    const rssFile = path.join(dir, 'rss');
    const preload = path.join(dir, 'rss.cjs');
    writeFileSync(preload, `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(rssFile)}, String(process.resourceUsage().maxRSS)));\n`);
    const r = virtUri(['check', 'hostile.sh'], dir, ['--require', preload]);
    assert.equal(r.stdout, `hostile.sh:1:32  warning  empty-parameter-name  libvirt drops a parameter with an empty name ('=') (and ${pairs - 1} more in this URI)\n`);
    assert.equal(r.stderr, '0 error(s), 1 warning(s), 0 info in 1 file(s)\n');
    assert.equal(r.status, 0);
    // It took 1.27 GB before; a generous bound, far from that.
    const peakMb = Number(readFileSync(rssFile, 'utf8')) / 1024;
    assert.ok(peakMb < 300, `virt-uri check peaked at ${peakMb.toFixed(0)} MB`);
  });

  it('--max-diagnostics caps each file with a note, and the summary and exit status count what is not shown', () => {
    writeFileSync(path.join(dir, 'capped.sh'), 'virsh -c qemu+tcp://a/system\nvirsh -c qemu+tcp://b/system\nvirsh -c qemu:///sytem\nvirsh -c qemu:///x\n');
    writeFileSync(path.join(dir, 'within.sh'), 'virsh -c qemu:///y\n');
    const r = virtUri(['check', '--max-diagnostics', '2', 'capped.sh', 'within.sh'], dir);
    assert.deepEqual(r.stdout.trim().split('\n').map((l) => l.split('  ').slice(0, 3).join(' ')), [
      'capped.sh:1:15 warning plain-tcp', 'capped.sh:2:15 warning plain-tcp', 'within.sh:1:17 error wrong-path',
    ]);
    assert.equal(r.stderr, [
      'virt-uri check: capped.sh: 2 more not shown (2 errors), from line 3 on; the limit is 2 per file (--max-diagnostics)',
      '3 error(s), 2 warning(s), 0 info in 2 file(s)',
      '',
    ].join('\n'));
    assert.equal(r.status, 1);
    // An error past the limit still fails the check.
    const alone = virtUri(['check', '--max-diagnostics=2', '--format', 'json', 'capped.sh'], dir);
    assert.equal((JSON.parse(alone.stdout) as unknown[]).length, 2);
    assert.match(alone.stderr, /^virt-uri check: capped\.sh: 2 more not shown/);
    assert.equal(alone.status, 1);
  });

  it('says which entries of a folder it does not follow: symbolic links, FIFOs', () => {
    const tree = path.join(dir, 'special');
    mkdirSync(tree);
    writeFileSync(path.join(tree, 'a.py'), "libvirt.open('qemu+foo:///system')\n");
    symlinkSync('a.py', path.join(tree, 'link.py'));
    symlinkSync('.', path.join(tree, 'loop'));
    spawnSync('mkfifo', [path.join(tree, 'pipe.py')]);
    const r = virtUri(['check', 'special'], dir);
    assert.equal(r.stdout.trim().split('\n').map((l) => l.split(':')[0]).join(','), 'special/a.py');
    assert.deepEqual(r.stderr.trim().split('\n'), [
      'virt-uri check: special/link.py: skipped (symbolic link)',
      'virt-uri check: special/loop: skipped (symbolic link)',
      'virt-uri check: special/pipe.py: skipped (not a regular file)',
      '1 error(s), 0 warning(s), 0 info in 1 file(s)',
    ]);
    assert.equal(r.status, 1);
  });

  it('bad usage exits 2 with the usage text', () => {
    for (const args of [
      ['check', '--format', 'xml'], ['check', '--bogus'], ['frobnicate'], [], ['check', '--max-diagnostics', '0'], ['check', '--max-diagnostics=1e3'],
      ['check', '--max-diagnostics', '-5'], ['check', '--max-diagnostics', '100001'], ['check', '--max-diagnostics'],
    ]) {
      const r = virtUri(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /usage: virt-uri/);
    }
    const help = virtUri(['check', '--help']);
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: virt-uri check/);
  });
});
