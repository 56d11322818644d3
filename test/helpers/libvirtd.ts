// A private, throw-away libvirtd for tests (libvirt-facts §10): Debian's /usr/sbin/libvirtd run
// as an unprivileged user with its own config, socket directory, pid file and a TCP listener
// on 127.0.0.1 using SASL DIGEST-MD5 (seed example 3.3). Started and stopped by PID; a process
// exit hook kills whatever a failing test left behind.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const LIBVIRTD = '/usr/sbin/libvirtd';
export const SASLPASSWD2 = '/usr/sbin/saslpasswd2';
/** The system user the daemon runs as when the tests run as root (created if missing). */
export const DAEMON_USER = 'virt-uri-test';

export interface LibvirtdOptions {
  /** SASL user for the TCP listener; default `virt-uri` */
  username?: string;
  /** default `seed-3.3-pass` */
  password?: string;
  /**
   * Let members of the daemon's group use its read-write socket (an ssh login's `nc -U` reaches
   * the daemon that way); default: only the daemon's user.
   */
  groupAccess?: boolean;
}

export interface Libvirtd {
  pid: number;
  /** The read-write unix socket: `test+unix:///default?socket=…` */
  socketPath: string;
  /** TCP port on 127.0.0.1 with SASL DIGEST-MD5: `test+tcp://127.0.0.1:PORT/default` */
  tcpPort: number;
  username: string;
  password: string;
  /** The daemon's group: with `groupAccess`, its members may use the read-write socket. */
  gid: number;
  dir: string;
  /** The daemon's stdout/stderr so far, for failure messages. */
  log(): string;
  /** Sends `signal` and waits for the daemon to exit (its files stay until stop()). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops the daemon (SIGTERM, then SIGKILL) and removes its directory. Idempotent. */
  stop(): Promise<void>;
}

/** Why a private libvirtd cannot run here, or null when it can. */
export function libvirtdUnavailable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  if (!existsSync(LIBVIRTD)) return `${LIBVIRTD} is missing (apt-get install libvirt-daemon)`;
  if (!existsSync(SASLPASSWD2)) return `${SASLPASSWD2} is missing (apt-get install sasl2-bin)`;
  const plugins = ['/usr/lib/x86_64-linux-gnu/sasl2', '/usr/lib/aarch64-linux-gnu/sasl2', '/usr/lib/sasl2'];
  if (!plugins.some((d) => existsSync(d) && readdirSync(d).some((f) => f.startsWith('libdigestmd5')))) {
    return 'the SASL DIGEST-MD5 plugin is missing (apt-get install libsasl2-modules)';
  }
  return null;
}

const running = new Set<{ child: ChildProcess; dir: string }>();
process.on('exit', () => {
  for (const d of running) {
    if (d.child.exitCode === null && d.child.signalCode === null) d.child.kill('SIGKILL');
    rmSync(d.dir, { recursive: true, force: true });
  }
});

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

function daemonIdentity(): { uid: number; gid: number } | null {
  if (process.getuid?.() !== 0) return null;
  if (spawnSync('id', ['-u', DAEMON_USER]).status !== 0) {
    run('useradd', ['--system', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', DAEMON_USER]);
  }
  return { uid: Number(run('id', ['-u', DAEMON_USER])), gid: Number(run('id', ['-g', DAEMON_USER])) };
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port }, () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function chownTree(p: string, uid: number, gid: number): void {
  chownSync(p, uid, gid);
  for (const e of readdirSync(p, { withFileTypes: true })) {
    const child = path.join(p, e.name);
    if (e.isDirectory()) chownTree(child, uid, gid);
    else chownSync(child, uid, gid);
  }
}

export async function startLibvirtd(options: LibvirtdOptions = {}): Promise<Libvirtd> {
  const username = options.username ?? 'virt-uri';
  const password = options.password ?? 'seed-3.3-pass';
  const identity = daemonIdentity();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'virt-uri-libvirtd-'));
  chmodSync(dir, 0o755);
  for (const sub of ['run', 'home', 'config', 'cache', 'sasl']) mkdirSync(path.join(dir, sub), { mode: 0o700 });
  if (options.groupAccess) chmodSync(path.join(dir, 'run'), 0o750);

  const sasl = path.join(dir, 'sasl');
  const sasldb = path.join(sasl, 'passwd.db');
  writeFileSync(path.join(sasl, 'libvirt.conf'), `mech_list: digest-md5\nsasldb_path: ${sasldb}\n`);
  run(SASLPASSWD2, ['-p', '-c', '-a', 'libvirt', '-f', sasldb, username], password);

  const tcpPort = await freeLoopbackPort();
  const conf = path.join(dir, 'libvirtd.conf');
  writeFileSync(
    conf,
    [
      'listen_tls = 0',
      'listen_tcp = 1',
      'listen_addr = "127.0.0.1"',
      `tcp_port = "${tcpPort}"`,
      `unix_sock_dir = "${path.join(dir, 'run')}"`,
      'auth_unix_rw = "none"',
      'auth_unix_ro = "none"',
      ...(options.groupAccess ? ['unix_sock_rw_perms = "0770"'] : []),
      'auth_tcp = "sasl"',
      'log_level = 3',
      '',
    ].join('\n'),
  );
  if (identity) chownTree(dir, identity.uid, identity.gid);

  const logFile = path.join(dir, 'libvirtd.log');
  const logFd = openSync(logFile, 'a');
  const child = spawn(LIBVIRTD, ['--listen', '--config', conf, '--pid-file', path.join(dir, 'libvirtd.pid')], {
    stdio: ['ignore', logFd, logFd],
    ...(identity ?? {}),
    env: {
      PATH: process.env.PATH,
      HOME: path.join(dir, 'home'),
      XDG_RUNTIME_DIR: path.join(dir, 'run'),
      XDG_CONFIG_HOME: path.join(dir, 'config'),
      XDG_CACHE_HOME: path.join(dir, 'cache'),
      SASL_CONF_PATH: sasl,
    },
  });
  closeSync(logFd);
  const entry = { child, dir };
  running.add(entry);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

  let stopped = false;
  const daemon: Libvirtd = {
    pid: child.pid ?? -1,
    socketPath: path.join(dir, 'run', 'libvirt-sock'),
    tcpPort,
    username,
    password,
    gid: identity?.gid ?? process.getgid?.() ?? -1,
    dir,
    log,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      await exited;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
      running.delete(entry);
      rmSync(dir, { recursive: true, force: true });
    },
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      const text = log();
      await daemon.stop();
      throw new Error(`libvirtd exited at start:\n${text}`);
    }
    if (existsSync(daemon.socketPath) && (await canConnect(tcpPort))) return daemon;
    if (Date.now() > deadline) {
      const text = log();
      await daemon.stop();
      throw new Error(`libvirtd did not listen within 15 s:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}
