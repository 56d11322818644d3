// `virt-uri caps`, run in-process through runCaps with its own streams.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { PassThrough, Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { runCaps } from '../../client/src/cli/caps';
import { fixturesDir } from '../helpers/paths';
import { openPty } from '../helpers/pty';

const HOST_URI = `test://${path.join(fixturesDir, 'libvirt', 'host.xml')}`;

async function caps(argv: string[], input?: string, env: Record<string, string | undefined> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const stdin = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (d) => (out += d));
  stderr.on('data', (d) => (err += d));
  if (input !== undefined) stdin.end(input);
  const saved = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const code = await runCaps(argv, { stdout, stderr, stdin });
    return { code, stdout: out, stderr: err };
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

describe('virt-uri caps', () => {
  it('prints the test driver host and its capabilities tree by default', async () => {
    const r = await caps([], undefined, { LIBVIRT_DEFAULT_URI: undefined });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^URI: +test:\/\/\/default$/m);
    assert.match(r.stdout, /^Driver: +TEST$/m);
    assert.match(r.stdout, /^Hypervisor version: +0\.0\.2$/m);
    assert.match(r.stdout, /^libvirt version: +\d+\.\d+\.\d+$/m);
    assert.match(r.stdout, /^CPUs: +16 \(2 NUMA nodes × 2 sockets × 2 cores × 2 threads\)$/m);
    assert.match(r.stdout, /^Max vCPUs: +32$/m);
    assert.match(r.stdout, /^Free memory: +3 MiB\n {2}NUMA cell 0: +2 MiB\n {2}NUMA cell 1: +4 MiB$/m);
    assert.match(r.stdout, /^BIOS: +LENOVO G4ETA1WW \(2\.61 \), 05\/07\/2014$/m);
    assert.match(r.stdout, /^Domains:\n {2}test {2}running, id 1\n\nCapabilities:$/m);
    assert.match(r.stdout, /\/usr\/bin\/test-hv/);
    assert.equal(r.stderr, '');
  });

  it('prints the raw XML with --xml', async () => {
    const r = await caps(['test:///default', '--xml']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^<capabilities>\n/);
    assert.match(r.stdout, /<\/capabilities>\n$/);
  });

  it('prints host information and the parsed model with --json', async () => {
    const r = await caps(['test:///default', '--json']);
    assert.equal(r.code, 0, r.stderr);
    const doc = JSON.parse(r.stdout) as { uri: string; type: string; nodeInfo: { cpus: number }; libraryVersion: { major: number }; capabilities: { guests: unknown[] } };
    assert.equal(doc.uri, 'test:///default');
    assert.equal(doc.type, 'TEST');
    assert.equal(doc.nodeInfo.cpus, 16);
    assert.ok(doc.libraryVersion.major >= 9);
    assert.equal(doc.capabilities.guests.length, 2);
    const facts = JSON.parse(r.stdout) as { maxVcpus: number; domains: { name: string; state: string }[]; sysinfo: { type: string; sections: { name: string }[] } };
    assert.equal(facts.maxVcpus, 32);
    assert.deepEqual(facts.domains.map((d) => `${d.name} ${d.state}`), ['test running']);
    assert.deepEqual(facts.sysinfo.sections.map((s) => s.name), ['bios']);
  });

  it('leaves the URI to libvirt when LIBVIRT_DEFAULT_URI is set', async () => {
    const r = await caps(['--auth', '--json'], 'alice\ns3cret-pass\n', { LIBVIRT_DEFAULT_URI: HOST_URI });
    assert.equal(r.code, 0, r.stderr);
    assert.equal((JSON.parse(r.stdout) as { uri: string }).uri, HOST_URI);
  });

  it('answers credential prompts from stdin with --auth', async () => {
    const r = await caps([HOST_URI, '--auth'], 'alice\ns3cret-pass\n');
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "Enter username for localhost: Enter alice's password for localhost: ");
    assert.match(r.stdout, /^CPUs: +48 \(4 NUMA nodes × 2 sockets × 6 cores × 2 threads\)$/m);
  });

  it('prints libvirt message and code when authentication fails', async () => {
    const r = await caps([HOST_URI, '--auth'], 'alice\nwrong\n');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /virt-uri: authentication failed: authentication failed, see test XML for the correct username\/password \(VIR_ERR_AUTH_FAILED, code 45, domain VIR_FROM_TEST\)\n$/);
  });

  it('stops at the end of stdin instead of waiting for answers', async () => {
    const r = await caps([HOST_URI, '--auth'], '');
    assert.equal(r.code, 1);
    assert.match(r.stderr, /VIR_ERR_AUTH_FAILED/);
  });

  it('exits 1 with libvirt message and code on a connection failure', async () => {
    const r = await caps(['qemu://system']);
    assert.equal(r.code, 1);
    assert.equal(r.stderr, 'virt-uri: internal error: invalid URI qemu://system (maybe you want qemu:///system) (VIR_ERR_INTERNAL_ERROR, code 1, domain VIR_FROM_NONE)\n');
    assert.equal(r.stdout, '');
  });

  it('names the package to install when libvirt is missing (exit 2)', async () => {
    const r = await caps(['test:///default'], undefined, { VIRT_URI_LIBVIRT_SO: '/nonexistent/libvirt.so.0' });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'virt-uri: libvirt is not installed (cannot load /nonexistent/libvirt.so.0); ' +
      'install the libvirt0 package (Debian, Ubuntu) or libvirt-libs (Fedora, RHEL, openSUSE), or point VIRT_URI_LIBVIRT_SO at the library\n');
  });

  it('switches echo off before it shows a password prompt on a terminal', async () => {
    const pty = openPty();
    const echoAtPrompt: boolean[] = [];
    let stderr = '';
    const terminal = new Writable({
      write(chunk: Buffer, _encoding, done) {
        const text = chunk.toString();
        stderr += text;
        // The user types the moment the prompt shows.
        if (text.endsWith("password for localhost: ")) {
          echoAtPrompt.push(pty.echoes());
          pty.type('s3cret-pass\r');
        } else if (text.endsWith('Enter username for localhost: ')) {
          pty.type('alice\n');
        }
        done();
      },
    });
    const stdout = new PassThrough();
    let out = '';
    stdout.on('data', (d) => (out += d));
    try {
      const code = await runCaps([HOST_URI, '--auth'], { stdout, stderr: terminal, stdin: pty.stdin });
      assert.equal(code, 0, stderr);
    } finally {
      pty.close();
    }
    assert.deepEqual(echoAtPrompt, [false]);
    assert.match(out, /^CPUs: +48 /m);
  });

  it('rejects a --timeout that is not a plain number of seconds in range', async () => {
    for (const value of ['0', '-1', '2147484', '1e10', 'Infinity', '0x10', '3601', 'NaN', '']) {
      const r = await caps(['test:///default', '--timeout', value]);
      assert.equal(r.code, 2, value);
      assert.equal(r.stderr.split('\n')[0], `virt-uri caps: --timeout needs a number of seconds above 0 and at most 3600, not '${value}'`);
    }
    const r = await caps(['test:///default', '--timeout', '2.5']);
    assert.equal(r.code, 0, r.stderr);
  });

  it('rejects bad usage with exit 2', async () => {
    for (const argv of [['--xml', '--json'], ['a:///', 'b:///'], ['--bogus'], ['--timeout', 'soon'], ['--timeout']]) {
      const r = await caps(argv);
      assert.equal(r.code, 2, argv.join(' '));
      assert.match(r.stderr, /^virt-uri caps: .*\nusage: virt-uri caps/);
    }
  });
});
