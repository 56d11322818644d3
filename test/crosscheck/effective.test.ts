// The hover's effective values against the real libvirt 9.0.0: each URI is opened with virsh
// (as root, read-only, or as an unprivileged user) and what the remote driver really did — the
// socket it chose, the name it forwarded, the host:port it dialled (debug log), the program and
// arguments it ran (a `command=` script that records them), the user libssh logged in as
// (sshd's log) — must be what remoteEffect says.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REMOTE_DEFAULTS } from '../../server/src/languageservice/catalog';
import { remoteEffect, type Opener, type RemoteEffect } from '../../server/src/languageservice/services/hover';
import { sshdUnavailable, startSshd, type Sshd } from '../helpers/sshd';

const VIRSH = '/usr/bin/virsh';
const UNPRIVILEGED = 'nobody';
const unavailable = process.getuid?.() !== 0 ? 'needs root (runs virsh as another user too)'
  : !existsSync(VIRSH) ? `${VIRSH} is missing (apt-get install libvirt-clients)`
    : spawnSync('openssl', ['version']).error ? 'openssl is missing (test PKI)' : null;

interface Seen {
  name?: string;
  socket?: string;
  dialled?: string;
  /** The recorded argv of `command=`, when it ran. */
  argv?: string[];
  log: string;
}

let dir = '';
let scripts = 0;

/** A program that records its arguments (NUL-separated) and fails, so the open stops there. */
function recorder(): { program: string; args: () => string[] | undefined } {
  const out = path.join(dir, `args-${++scripts}`);
  const program = path.join(dir, `record-${scripts}.sh`);
  writeFileSync(program, `#!/bin/sh\n: > '${out}'\nfor a in "$@"; do printf '%s\\0' "$a" >> '${out}'; done\nexit 1\n`, { mode: 0o755 });
  return { program, args: () => (existsSync(out) ? readFileSync(out, 'utf8').split('\0').slice(0, -1) : undefined) };
}

/** Opens `uri` with virsh and reads what the remote driver did from its debug log. */
function open(uri: string, opener: Opener): Seen {
  const env = ['LIBVIRT_LOG_FILTERS=1:remote 1:rpc', 'LIBVIRT_LOG_OUTPUTS=1:stderr', 'LIBVIRT_AUTOSTART=0'];
  const virsh = [VIRSH, ...(opener.readOnly ? ['-r'] : []), '-c', uri, 'uri'];
  const user = opener.root ? [] : ['runuser', '-u', UNPRIVILEGED, '--', 'env', `HOME=${dir}`, `XDG_RUNTIME_DIR=${dir}`, `XDG_CONFIG_HOME=${dir}`];
  const cmd = [...user, 'env', ...env, ...virsh];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 30_000 });
  const log = `${r.stdout}${r.stderr}`;
  const pick = (re: RegExp) => re.exec(log)?.[1];
  return {
    name: pick(/proceeding with name = (.*)$/m),
    socket: pick(/Chosen UNIX socket (\S+)/),
    dialled: pick(/unable to connect to server at '([^']+)'/),
    log,
  };
}

/** The hover's socket path on this machine, with the runtime directory filled in. */
function local(p: string | undefined): string | undefined {
  return p?.replace(REMOTE_DEFAULTS.userSocketDir, path.join(dir, 'libvirt'));
}

function effect(uri: string, opener: Opener): RemoteEffect {
  const e = remoteEffect(uri, opener);
  assert.ok(e, `the hover has no effective values for ${uri}`);
  return e;
}

/** unix mode=auto: the per-driver socket when it exists, else the one the hover names. */
function expectedSocket(e: RemoteEffect): string | undefined {
  return e.directSocket && existsSync(local(e.directSocket)!) ? local(e.directSocket) : local(e.socket);
}

describe('hover effective values against libvirt 9.0.0', { skip: unavailable ?? false }, () => {
  let pki = '';

  before(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'virt-uri-effective-'));
    chmodSync(dir, 0o777);
    // A CA and a client certificate that load, so a tls open gets as far as dialling.
    pki = path.join(dir, 'pki');
    spawnSync('mkdir', [pki]);
    for (const [cert, key] of [['cacert.pem', 'cakey.pem'], ['clientcert.pem', 'clientkey.pem']]) {
      const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(pki, key), '-out', path.join(pki, cert),
        '-days', '2', '-subj', `/CN=virt-uri ${cert}`], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const root: Opener = { root: true, readOnly: false };
  const readOnly: Opener = { root: true, readOnly: true };
  const user: Opener = { root: false, readOnly: false };

  const unixCases: [string, Opener][] = [
    ['qemu:///system', root],
    ['qemu:///system', readOnly],
    ['qemu:///session', root],
    ['qemu:///session', user],
    ['qemu:///system', user],
    ['test+unix:///default', user],
    ['qemu+unix:///system?mode=direct', root],
    ['qemu+unix:///system?mode=direct', readOnly],
    ['qemu+unix:///session?mode=legacy', user],
    ['qemu+unix:///system?socket=/nonexistent/virt-uri-sock', root],
    ['remote:///', root],
    ['lxc:///', root],
    ['qemu:///system?foo=a%20b;c&Mode=legacy#frag', root],
    ['qemu:///system?name=xen:///system&x=1', root],
  ];
  for (const [uri, opener] of unixCases) {
    it(`unix socket and forwarded name: ${uri} (${opener.root ? 'root' : 'user'}${opener.readOnly ? ', read-only' : ''})`, () => {
      const e = effect(uri, opener);
      const seen = open(uri, opener);
      assert.equal(e.transport, 'unix');
      assert.deepEqual({ socket: seen.socket, name: seen.name }, { socket: expectedSocket(e), name: e.name }, seen.log);
    });
  }

  const tcpCases = [
    'qemu+tcp://127.0.0.1/system',
    'qemu+tcp://127.0.0.1:1/a:b%20c@d%2Fe?a%20b=c%26d&e=~x_y.z-&f&=g&keyfile=/k#f%20g:h',
    'QEMU+TCP://127.0.0.1:1/system',
    'remote+tcp://127.0.0.1:1/x?foo=1',
    'qemu+tcp://127.0.0.1:1',
  ];
  for (const uri of tcpCases) {
    it(`tcp host:port and forwarded name: ${uri}`, () => {
      const e = effect(uri, root);
      const seen = open(uri, root);
      assert.deepEqual({ dialled: seen.dialled, name: seen.name }, { dialled: `${e.host}:${e.port}`, name: e.name }, seen.log);
    });
  }

  it('tls is the transport for a host without one, on port 16514', () => {
    const uri = `qemu://127.0.0.1/system?pkipath=${pki}&no_sanity=1`;
    const e = effect(uri, root);
    const seen = open(uri, root);
    assert.equal(e.transport, 'tls');
    assert.deepEqual({ dialled: seen.dialled, name: seen.name }, { dialled: '127.0.0.1:16514', name: 'qemu:///system' }, seen.log);
    assert.equal(`${e.host}:${e.port}`, seen.dialled);
  });

  for (const t of ['libssh', 'libssh2']) {
    it(`${t} dials port 22 when the URI has none`, () => {
      const uri = `qemu+${t}://127.0.0.1/system?known_hosts=${dir}/known_hosts`;
      const e = effect(uri, readOnly);
      const seen = open(uri, readOnly);
      assert.deepEqual({ dialled: seen.dialled, socket: seen.socket, name: seen.name }, { dialled: `127.0.0.1:${e.port}`, socket: e.socket, name: e.name }, seen.log);
    });
  }

  const sshCases: [string, Opener][] = [
    ['qemu+ssh://h.example/system', root],
    ['qemu+ssh://bob@h.example:2222/session?keyfile=/k&no_tty=1&no_verify=1&foo=bar', root],
    ['qemu+ssh://h.example/system?proxy=netcat', root],
    ['qemu+ssh://h.example/system?proxy=native&mode=legacy', root],
    ['qemu+ssh://h.example/system?socket=/s/x-sock&netcat=/opt/my%20nc', root],
    ['qemu+ssh://h.example/system?socket=/s/x-sock', root],
    ['qemu+ssh://h.example/system?netcat=/opt/nc', root],
    ['qemu+ssh://h.example/session', readOnly],
    ['qemu+ssh://h.example/session', user],
    ['qemu+ssh://h.example/system?name=qemu:///embed%3Froot%3D/x', root],
    ["qemu+ssh://[::1]/system?x='y'", root],
    ['remote+ssh://h.example/', root],
    ['qemu+ssh://h.example/system?no_tty=0&no_verify=2', root],
  ];
  for (const [uri, opener] of sshCases) {
    it(`ssh program and arguments: ${uri} (${opener.root ? 'root' : 'user'}${opener.readOnly ? ', read-only' : ''})`, () => {
      const rec = recorder();
      const withCommand = `${uri}${uri.includes('?') ? '&' : '?'}command=${rec.program}`;
      const e = effect(withCommand, opener);
      const seen = open(withCommand, opener);
      assert.deepEqual({ argv: rec.args(), name: seen.name }, { argv: e.argv!.slice(1), name: e.name }, seen.log);
      assert.equal(e.argv![0], rec.program);
    });
  }

  it('ext runs command= with no arguments', () => {
    const rec = recorder();
    const uri = `qemu+ext:///system?command=${rec.program}&foo=1`;
    const e = effect(uri, root);
    const seen = open(uri, root);
    assert.deepEqual({ argv: rec.args(), name: seen.name, command: e.command }, { argv: [], name: e.name, command: rec.program }, seen.log);
  });

  describe('libssh and libssh2 log in as root', { skip: sshdUnavailable() ?? false }, () => {
    let sshd: Sshd;
    before(async () => {
      sshd = await startSshd();
    });
    after(async () => {
      await sshd?.stop();
    });
    for (const t of ['libssh', 'libssh2']) {
      it(`${t} without a user in the URI`, () => {
        const uri = `qemu+${t}://127.0.0.1:${sshd.port}/system?known_hosts_verify=ignore&sshauth=agent`;
        const e = effect(uri, root);
        const before = sshd.log().length;
        const seen = open(uri, root);
        const logged = sshd.log().slice(before);
        assert.equal(e.user, 'root');
        assert.match(logged, new RegExp(`User ${e.user} from 127\\.0\\.0\\.1 not allowed`), `${logged}\n${seen.log}`);
      });
    }
  });
});
