// A private, throw-away OpenSSH server on loopback for tests (libvirt-facts §10): Debian's
// /usr/sbin/sshd with its own host keys, config and port, and a login user made for this run
// (password and authorized keys, deleted again at stop). Also the client side's ssh
// configuration: OpenSSH reads ~/.ssh from the passwd entry, not $HOME, so as root it would use
// /root/.ssh; instead `binDir` holds an `ssh` that runs the real one with `-F clientConfig`
// (known_hosts of our own, no default keys, no agent), the user's ~/.ssh/config in effect.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomBytes } from 'node:crypto';
import { freeLoopbackPort } from './libvirtd';

export const SSHD = '/usr/sbin/sshd';
export const SSH = '/usr/bin/ssh';
export const SSH_KEYGEN = '/usr/bin/ssh-keygen';
export const NC = '/usr/bin/nc';
/** The GECOS field of the users we make; the pid says which run made them. */
const USER_COMMENT = 'vscode-libvirt ssh test user, pid ';

/** Why a private sshd cannot run here, or null when it can. */
export function sshdUnavailable(): string | null {
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (the test sshd logs in a user it creates)';
  if (!existsSync(SSHD)) return `${SSHD} is missing (apt-get install openssh-server)`;
  if (!existsSync(SSH) || !existsSync(SSH_KEYGEN)) return `${SSH} is missing (apt-get install openssh-client)`;
  // libvirt's netcat proxy runs `nc -U <socket>` on the far side.
  const nc = spawnSync(NC, ['-h'], { encoding: 'utf8' });
  if (nc.error || !/^\s*-U\b/m.test(nc.stdout + nc.stderr)) return `${NC} with -U is missing (apt-get install netcat-openbsd)`;
  if (spawnSync('useradd', ['--help']).error) return 'useradd is missing';
  return null;
}

export interface SshdOptions {
  /** Supplementary groups of the login user (e.g. the private libvirtd's, to reach its socket). */
  groups?: number[];
  /**
   * A daemon socket for the login user's `/session` URIs: virt-ssh-helper (libvirt's default
   * remote proxy) looks for the user daemon at $XDG_RUNTIME_DIR/libvirt/libvirt-sock, which in
   * an ssh session without one is ~/.cache/libvirt/libvirt-sock; a link there leads to this one.
   */
  sessionSocket?: string;
}

export interface HostKey {
  /** `ED25519`, `RSA` */
  type: string;
  /** `SHA256:…` as ssh-keygen -l prints it */
  fingerprint: string;
  /** the .pub line: `ssh-ed25519 AAAA… comment` */
  publicKey: string;
}

export interface Sshd {
  port: number;
  /** `127.0.0.1`, and `::1` when loopback IPv6 works here. */
  addresses: string[];
  /** The login user made for this run. */
  user: string;
  password: string;
  hostKeys: HostKey[];
  /** The client's ssh configuration (see the top of this file). */
  clientConfig: string;
  /** The client's known_hosts file, empty at start. */
  knownHosts: string;
  /** Put first in PATH: its `ssh` runs the real one with the client configuration. */
  binDir: string;
  dir: string;
  /**
   * A new key pair for the client, authorized for the login user unless `authorized` is false;
   * returns the private key's path.
   */
  makeKey(name: string, options?: { type?: 'ed25519' | 'rsa'; passphrase?: string; authorized?: boolean }): string;
  /** known_hosts lines trusting every host key of this sshd at `address`. */
  knownHostsLines(address: string): string;
  /** sshd's log so far, for failure messages. */
  log(): string;
  /** Stops sshd, deletes the login user and removes the directory. Idempotent. */
  stop(): Promise<void>;
}

const running = new Set<{ child?: ChildProcess; dir: string; user: string }>();
process.on('exit', () => {
  for (const s of running) {
    if (s.child && s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    deleteUser(s.user);
    rmSync(s.dir, { recursive: true, force: true });
  }
});

function run(cmd: string, args: string[], input?: string): string {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
  return r.stdout.trim();
}

/** useradd and friends refuse while another run holds the lock on /etc/passwd: try again. */
async function runLocked(cmd: string, args: string[], input?: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const r = spawnSync(cmd, args, { input, encoding: 'utf8' });
    if (r.status === 0) return;
    if (attempt >= 50 || !/lock/i.test(r.stderr)) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr || r.error?.message}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function deleteUser(user: string): void {
  // --force: a session still closing must not keep the account alive.
  spawnSync('userdel', ['--force', user]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Users left behind by runs that were killed before they could delete them. */
function deleteStaleUsers(): void {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const [name, , , , comment] = line.split(':');
    if (!comment?.startsWith(USER_COMMENT)) continue;
    const pid = Number(comment.slice(USER_COMMENT.length));
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid)) deleteUser(name);
  }
}

function ipv6LoopbackWorks(): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(0, '::1', () => server.close(() => resolve(true)));
  });
}

function keygen(file: string, type: 'ed25519' | 'rsa', passphrase: string, comment: string): void {
  run(SSH_KEYGEN, ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', passphrase, '-C', comment, '-f', file]);
}

export async function startSshd(options: SshdOptions = {}): Promise<Sshd> {
  deleteStaleUsers();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'virt-uri-sshd-'));
  // The login user reads its authorized keys and lives in its home below this directory.
  chmodSync(dir, 0o755);
  const hostKeyDir = path.join(dir, 'host');
  const authorizedDir = path.join(dir, 'authorized_keys');
  const home = path.join(dir, 'home');
  const clientDir = path.join(dir, 'client');
  const binDir = path.join(dir, 'bin');
  mkdirSync(hostKeyDir, { mode: 0o700 });
  mkdirSync(authorizedDir, { mode: 0o755 });
  mkdirSync(clientDir, { mode: 0o700 });
  mkdirSync(binDir, { mode: 0o755 });

  const hostKeys: HostKey[] = [];
  const hostKeyFiles: string[] = [];
  for (const type of ['ed25519', 'rsa'] as const) {
    const file = path.join(hostKeyDir, `ssh_host_${type}_key`);
    keygen(file, type, '', `virt-uri-sshd-${type}`);
    hostKeyFiles.push(file);
    const [, fingerprint, , kind] = /^\d+ (\S+) (.*) \((\S+)\)$/.exec(run(SSH_KEYGEN, ['-l', '-f', `${file}.pub`]))!;
    hostKeys.push({ type: kind, fingerprint, publicKey: readFileSync(`${file}.pub`, 'utf8').trim() });
  }

  const user = `virt-uri-ssh-${randomBytes(3).toString('hex')}`;
  const password = randomBytes(18).toString('base64url');
  const groups = options.groups?.length ? ['--groups', options.groups.join(',')] : [];
  await runLocked('useradd', ['--comment', `${USER_COMMENT}${process.pid}`, '--home-dir', home, '--no-create-home', '--shell', '/bin/sh', ...groups, user]);
  const entry: { child?: ChildProcess; dir: string; user: string } = { dir, user };
  running.add(entry);
  const port = await freeLoopbackPort();
  const addresses = (await ipv6LoopbackWorks()) ? ['127.0.0.1', '::1'] : ['127.0.0.1'];
  const logFile = path.join(dir, 'sshd.log');
  let child: ChildProcess | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child!.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    }
    running.delete(entry);
    deleteUser(user);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await runLocked('chpasswd', [], `${user}:${password}\n`);
    mkdirSync(home, { mode: 0o700 });
    const uid = Number(run('id', ['-u', user]));
    const gid = Number(run('id', ['-g', user]));
    chownSync(home, uid, gid);
    if (options.sessionSocket) {
      const cache = path.join(home, '.cache');
      mkdirSync(path.join(cache, 'libvirt'), { recursive: true, mode: 0o700 });
      chownSync(cache, uid, gid);
      chownSync(path.join(cache, 'libvirt'), uid, gid);
      symlinkSync(options.sessionSocket, path.join(cache, 'libvirt', 'libvirt-sock'));
    }
    writeFileSync(path.join(authorizedDir, user), '', { mode: 0o644 });

    const config = path.join(dir, 'sshd_config');
    writeFileSync(
      config,
      [
        ...addresses.map((a) => `ListenAddress ${a.includes(':') ? `[${a}]` : a}:${port}`),
        ...hostKeyFiles.map((f) => `HostKey ${f}`),
        `PidFile ${path.join(dir, 'sshd.pid')}`,
        `AuthorizedKeysFile ${authorizedDir}/%u`,
        `AllowUsers ${user}`,
        'PermitRootLogin no',
        'PubkeyAuthentication yes',
        // libssh2 1.10 signs with ssh-rsa (SHA-1) only.
        'PubkeyAcceptedAlgorithms +ssh-rsa',
        'PasswordAuthentication yes',
        'KbdInteractiveAuthentication no',
        'UsePAM no',
        // The temporary directory is world-writable; the files in it are ours.
        'StrictModes no',
        'UseDNS no',
        'X11Forwarding no',
        'AllowTcpForwarding no',
        'AllowAgentForwarding no',
        'PrintMotd no',
        // Whatever the far side's libvirt finds or misses, it never starts a daemon of its own.
        'SetEnv LIBVIRT_AUTOSTART=0',
        'LogLevel VERBOSE',
        '',
      ].join('\n'),
    );
    // sshd refuses to start without its privilege separation directory (the service makes it).
    mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

    const knownHosts = path.join(clientDir, 'known_hosts');
    writeFileSync(knownHosts, '', { mode: 0o600 });
    const clientConfig = path.join(clientDir, 'ssh_config');
    writeFileSync(
      clientConfig,
      [`UserKnownHostsFile ${knownHosts}`, 'GlobalKnownHostsFile /dev/null', 'IdentityFile none', 'IdentityAgent none', 'UpdateHostKeys no', ''].join('\n'),
      { mode: 0o600 },
    );
    writeFileSync(path.join(binDir, 'ssh'), `#!/bin/sh\nexec ${SSH} -F '${clientConfig}' "$@"\n`, { mode: 0o755 });

    const logFd = openSync(logFile, 'a');
    child = spawn(SSHD, ['-D', '-e', '-f', config], { stdio: ['ignore', logFd, logFd] });
    closeSync(logFd);
    entry.child = child;
    const log = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8') : '');

    const listening = (a: string) => log().includes(`Server listening on ${a} port ${port}.`);
    const deadline = Date.now() + 15_000;
    while (!addresses.every(listening)) {
      if (child.exitCode !== null || child.signalCode !== null) throw new Error(`sshd exited at start:\n${log()}`);
      if (Date.now() > deadline) throw new Error(`sshd did not listen within 15 s:\n${log()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    return {
      port,
      addresses,
      user,
      password,
      hostKeys,
      clientConfig,
      knownHosts,
      binDir,
      dir,
      makeKey(name, keyOptions = {}) {
        const file = path.join(clientDir, name);
        keygen(file, keyOptions.type ?? 'ed25519', keyOptions.passphrase ?? '', name);
        if (keyOptions.authorized !== false) appendFileSync(path.join(authorizedDir, user), readFileSync(`${file}.pub`));
        return file;
      },
      knownHostsLines(address) {
        const host = `[${address}]:${port}`;
        return hostKeys.map((k) => `${host} ${k.publicKey.split(' ').slice(0, 2).join(' ')}\n`).join('');
      },
      log,
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}
