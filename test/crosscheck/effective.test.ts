// The hover's effective values against the real libvirt 9.0.0: each URI is opened with virsh
// (as root, read-only, or as an unprivileged user) and what the remote driver really did — the
// socket it chose, the name it forwarded, the host:port it dialled (debug log), the program and
// arguments it ran (a `command=` script that records them), the user libssh logged in as
// (sshd's log), the tls credential files it loaded, the port the esx driver's curl dialled —
// must be what remoteEffect and webEffect say.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { REMOTE_DEFAULTS, type TlsFile } from '../../server/src/languageservice/catalog';
import { remoteEffect, webEffect, type Opener, type RemoteEffect } from '../../server/src/languageservice/services/hover';
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
  /** tls: the CA certificate, client certificate, client key and revocation list loaded. */
  tls?: string[];
  /** esx: the port curl tried. */
  webPort?: string;
  /** esx: the user virsh's prompt offers (libvirt's default). */
  offeredUser?: string;
  log: string;
}

interface OpenOptions {
  /** Environment for virsh, after the opener's (so it can override HOME). */
  env?: string[];
  /** A command line that runs the rest (e.g. in a mount namespace). */
  wrap?: string[];
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
function open(uri: string, opener: Opener, options: OpenOptions = {}): Seen {
  const env = ['LIBVIRT_LOG_FILTERS=1:remote 1:rpc', 'LIBVIRT_LOG_OUTPUTS=1:stderr', 'LIBVIRT_AUTOSTART=0', ...(options.env ?? [])];
  const virsh = [VIRSH, ...(opener.readOnly ? ['-r'] : []), '-c', uri, 'uri'];
  const user = opener.root ? [] : ['runuser', '-u', UNPRIVILEGED, '--', 'env', `HOME=${dir}`, `XDG_RUNTIME_DIR=${dir}`, `XDG_CONFIG_HOME=${dir}`];
  const cmd = [...(options.wrap ?? []), ...user, 'env', ...env, ...virsh];
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 30_000 });
  const log = `${r.stdout}${r.stderr}`;
  const pick = (re: RegExp) => re.exec(log)?.[1];
  const tls = /RPC_TLS_CONTEXT_NEW: ctxt=\S+ cacert=(\S*) cacrl=(\S*) cert=(\S*) key=(\S*)/.exec(log);
  return {
    tls: tls ? [tls[1], tls[3], tls[4], tls[2]] : undefined,
    webPort: pick(/Failed to connect to 127\.0\.0\.1 port (\d+)/),
    offeredUser: pick(/Enter username for \S+ \[([^\]]*)\]/),
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

/** The tls files a client reads: its own where they exist (under `home`), else the fallbacks. */
function expectedTlsFiles(files: readonly TlsFile[], home: string): string[] {
  const at = (p: string) => p.replace(/^~/, home);
  return files.map((f) => (f.fallback !== undefined && !existsSync(at(f.path)) ? f.fallback : at(f.path)));
}

/** unshare's mount namespace, where root can lay files over /etc without touching the machine's. */
const noMountNamespace = spawnSync('unshare', ['-m', 'true']).status === 0 ? null : 'unshare -m is not permitted here';

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
      // The unprivileged user loads them too.
      chmodSync(path.join(pki, key), 0o644);
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

  describe('tls certificate files', () => {
    const tlsUri = (query = '') => `qemu+tls://127.0.0.1:1/system?no_sanity=1${query}`;
    /** A home whose ~/.pki/libvirt holds `names` from the test PKI, readable by the unprivileged user. */
    function home(name: string, names: string[]): string {
      const h = path.join(dir, name);
      const userDir = REMOTE_DEFAULTS.tlsUserDir.replace(/^~/, h);
      mkdirSync(userDir, { recursive: true, mode: 0o755 });
      for (const n of names) {
        copyFileSync(path.join(pki, n), path.join(userDir, n));
        chmodSync(path.join(userDir, n), 0o644);
      }
      return h;
    }

    it('pkipath= names the directory, for root and for a user', () => {
      for (const uri of [tlsUri(`&pkipath=${pki}`), tlsUri(`&pkipath=${pki}/`)]) {
        for (const opener of [root, user]) {
          const e = effect(uri, opener);
          const seen = open(uri, opener);
          assert.deepEqual(seen.tls, expectedTlsFiles(e.tlsFiles!, dir), seen.log);
        }
      }
    });

    it('a non-root user reads its own files where they exist, else the system\'s', () => {
      for (const [name, files] of [['ca-only', ['cacert.pem']], ['ca-and-client', ['cacert.pem', 'clientcert.pem', 'clientkey.pem']]] as const) {
        const h = home(name, [...files]);
        const e = effect(tlsUri(), user);
        const seen = open(tlsUri(), user, { env: [`HOME=${h}`] });
        assert.deepEqual(seen.tls, expectedTlsFiles(e.tlsFiles!, h), seen.log);
      }
    });

    it('root reads the system\'s files (laid over /etc in a mount namespace)', { skip: noMountNamespace ?? false }, () => {
      const e = effect(tlsUri(), root);
      const overlay = path.join(dir, 'etc-overlay');
      mkdirSync(path.join(overlay, 'work'), { recursive: true });
      for (const f of e.tlsFiles!.filter((t) => t.role !== 'cacrl')) {
        assert.ok(f.path.startsWith('/etc/'), f.path);
        const target = path.join(overlay, 'upper', f.path.slice('/etc/'.length));
        mkdirSync(path.dirname(target), { recursive: true });
        copyFileSync(path.join(pki, path.basename(f.path)), target);
      }
      const mount = `mount -t overlay overlay -o lowerdir=/etc,upperdir=${overlay}/upper,workdir=${overlay}/work /etc && exec "$@"`;
      const seen = open(tlsUri(), root, { wrap: ['unshare', '-m', 'sh', '-c', mount, 'sh'] });
      assert.deepEqual(seen.tls, expectedTlsFiles(e.tlsFiles!, dir), seen.log);
    });
  });

  const webCases = [
    'esx://127.0.0.1/',
    'gsx://127.0.0.1/?transport=http',
    'vpx://127.0.0.1/dc/cluster',
    'esx://root@127.0.0.1/',
    'esx://root@127.0.0.1/?transport=http',
    'esx://root@127.0.0.1:1/',
    'esx://root@127.0.0.1/?transport=http&TRANSPORT=https',
    'gsx://root@127.0.0.1/',
    'gsx://root@127.0.0.1/?Transport=http',
    'vpx://root@127.0.0.1/dc/cluster',
    'vpx://root@127.0.0.1/dc/cluster?transport=http',
  ];
  for (const uri of webCases) {
    // Nothing listens on loopback's 80, 443, 8222 or 8333 here: curl's refusal names the port.
    it(`esx driver's port and login user: ${uri}`, () => {
      const e = webEffect(uri);
      assert.ok(e, `the hover has no protocol and port for ${uri}`);
      const seen = open(uri, root);
      assert.equal(seen.webPort, String(e.port), seen.log);
      // virsh's prompt offers libvirt's default user ("Enter username for HOST [root]: ").
      assert.equal(seen.offeredUser, e.loginUser, seen.log);
    });
  }

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
