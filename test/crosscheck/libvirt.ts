// Asks the real libvirt (virsh 9.0.0) what it thinks of a URI, and sorts its answer into
// "refused" (libvirt rejected the URI itself) or "accepted" (it opened, or failed only when it
// actually tried to reach something). Every class below is decided from libvirt's source as
// summarised in ../shared/reference/libvirt-facts.md; an output matching no class is "unclassified"
// so that a new kind of answer fails the test instead of being guessed.
import type { Libvirtd } from '../helpers/libvirtd';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export type Verdict = 'refused' | 'accepted';

export interface Classified {
  verdict: Verdict | 'unclassified';
  /** Which class decided it (for the report). */
  kind: string;
  /** libvirt's message without `error: ` and the error-code prefix. */
  message: string;
}

export interface VirshRun extends Classified {
  /** virsh's stdout+stderr, one line. */
  output: string;
  /** The name the remote driver would send to a daemon (from its debug log), when it got that far. */
  forwardedName?: string;
}

// Prefixes libvirt's error table puts before the message (src/util/virerror.c).
const CODE_PREFIXES = [
  'internal error: ', 'invalid argument: ', 'unsupported configuration: ', 'Operation not supported: ',
  'XML error: ', 'configuration file syntax error: ', 'authentication failed: ',
];

interface Rule {
  re: RegExp;
  verdict: Verdict;
  kind: string;
}

const RULES: readonly Rule[] = [
  // URI syntax (virURIParse → libxml2) and the core's own checks (src/libvirt.c, §1.1, §1.5, §1.6).
  { re: /^Unable to parse URI /, verdict: 'refused', kind: 'parse' },
  { re: /^no connection driver available for URI '.*' does not include a driver name$/s, verdict: 'refused', kind: 'no-scheme' },
  { re: /^invalid URI .* \(maybe you want \w+:\/\/\/\w+\)$/s, verdict: 'refused', kind: 'missing-slash' },
  { re: /^URI is missing the server part$/, verdict: 'refused', kind: 'remote-only' },
  { re: /^libvirt was built without the '\w+' driver$/, verdict: 'refused', kind: 'built-without' },
  { re: /^no connection driver available for URI scheme '.*' for embedded driver is not valid$/s, verdict: 'refused', kind: 'embed' },
  { re: /^Missing URI parameter '\w+'$/, verdict: 'refused', kind: 'embed' },
  { re: /^root path must be absolute$/, verdict: 'refused', kind: 'embed' },
  { re: /^Driver \w+ cannot be used in embedded mode$/, verdict: 'refused', kind: 'embed' },
  { re: /^URI must be \w+:\/\/\/embed$/, verdict: 'refused', kind: 'embed' },
  { re: /^Driver does not support embedded mode$/, verdict: 'refused', kind: 'embed' },
  // Nothing took the URI. On the client this happens only for embedded mode (the remote driver takes
  // everything else); the qemu and secret modules, the only embeddable ones, are installed here.
  // From a daemon it is an unknown scheme; runDaemon() handles drivers whose module is missing.
  { re: /^no connection driver available for /, verdict: 'refused', kind: 'no-driver' },
  // Remote driver parameter and transport checks, made before connecting (§3.1, §3.2).
  { re: /^remote_open: transport in URL not recognised /, verdict: 'refused', kind: 'transport' },
  { re: /^using unix socket and remote server '.*' is not supported\.$/s, verdict: 'refused', kind: 'unix-host' },
  { re: /^remote_open: for 'ext' transport, command is required$/, verdict: 'refused', kind: 'ext-command' },
  { re: /^Failed to parse value of URI component /, verdict: 'refused', kind: 'boolean' },
  { re: /^Unknown remote mode '/, verdict: 'refused', kind: 'enum' },
  { re: /^Unnkown proxy type '/, verdict: 'refused', kind: 'enum' },
  { re: /^netcat path not valid with native proxy mode$/, verdict: 'refused', kind: 'netcat-native' },
  { re: /^Cannot use direct socket mode for \w+ transport$/, verdict: 'refused', kind: 'direct-ssh' },
  // libssh/libssh2 parse these before opening the TCP connection (virnetclient.c).
  { re: /^Invalid host key verification method: '/, verdict: 'refused', kind: 'enum' },
  { re: /^Invalid authentication method: '/, verdict: 'refused', kind: 'enum' },
  // Driver path and parameter checks: test, openvz, vmware, esx in the client; the others in a daemon.
  { re: /^testOpen: supply a path or use test:\/\/\/default$/, verdict: 'refused', kind: 'path' },
  { re: /^[Uu]nexpected .* URI path '.*', try /s, verdict: 'refused', kind: 'path' },
  { re: /^Path has to specify the datacenter and compute resource$/, verdict: 'refused', kind: 'path' },
  { re: /^Query parameter '\w+' (has unexpected|contains unexpected|doesn't contain)/, verdict: 'refused', kind: 'esx-param' },
  // auth= is checked once connected, against any server, even one that asks for no authentication (§3.8).
  { re: /^unknown authentication type /, verdict: 'refused', kind: 'auth' },

  // libvirt.conf: a value of the wrong type, or not a value at all, refuses every connection that reads it.
  { re: /: expected a string( list)? for '\w+' parameter$/, verdict: 'refused', kind: 'conf-type' },
  { re: /:\d+: expecting a value$/, verdict: 'refused', kind: 'conf-syntax' },
  // An empty program or socket name, which no machine has: the URI itself is at fault.
  { re: /^Cannot find '' in path: /, verdict: 'refused', kind: 'empty-value' },
  { re: /^Failed to connect socket to '': /, verdict: 'refused', kind: 'empty-value' },
  // libssh refuses an option (an empty known_hosts) before any connection, without saying why.
  { re: /^An error occurred, but the cause is unknown$/, verdict: 'refused', kind: 'unknown-cause' },

  // Failures when actually connecting: the URI was fine, the other end was not there (§3.4–§3.7).
  { re: /^Failed to connect socket to '.*': (No such file or directory|Connection refused|Permission denied)$/, verdict: 'accepted', kind: 'unreached' },
  { re: /^unable to connect to server at '.*': Connection refused$/, verdict: 'accepted', kind: 'unreached' },
  { re: /^Cannot recv data: /, verdict: 'accepted', kind: 'unreached' },
  { re: /^End of file while reading data: /, verdict: 'accepted', kind: 'unreached' },
  // ext with command=/bin/false: the program is gone before, while or after libvirt writes.
  { re: /^Cannot write data: /, verdict: 'accepted', kind: 'unreached' },
  { re: /^client socket is closed$/, verdict: 'accepted', kind: 'unreached' },
  // TLS credentials are loaded when the connection is set up, not when the URI is checked (§3.7).
  { re: /^Cannot read (CA certificate|certificate revocation list|client certificate|client key) '/, verdict: 'accepted', kind: 'unreached' },
  { re: /^curl_easy_perform\(\) returned an error: Couldn't connect to server/, verdict: 'accepted', kind: 'unreached' },
  // The esx driver resolves the host when it connects. 9.0.0 asks for IPv4 only, so an IPv6 literal
  // fails here ("Address family for hostname not supported", fixed in 12.1.0): still a connect-time
  // failure of a URI libvirt accepted.
  { re: /^IP address lookup for host '.*' failed: /, verdict: 'accepted', kind: 'unreached' },
  // ext/ssh `command=` is looked up when the program is started.
  { re: /^Cannot find '.*' in path: /, verdict: 'accepted', kind: 'unreached' },
  // The URI was accepted and the driver started, but this host cannot run it: state driver
  // initialisation (no libvirt-qemu user), no /proc/vz, no vmrun.
  { re: /state driver is not active$/, verdict: 'accepted', kind: 'host' },
  { re: /^Failed to parse user 'libvirt-qemu'$/, verdict: 'accepted', kind: 'host' },
  { re: /^OpenVZ control file \/proc\/vz does not exist$/, verdict: 'accepted', kind: 'host' },
  { re: /^vmrun utility is missing$/, verdict: 'accepted', kind: 'host' },
  // auth=sasl/polkit when this daemon does not offer that method: a fact of the server's configuration.
  { re: /^requested authentication type \S+ rejected$/, verdict: 'accepted', kind: 'host' },
  // A client driver (esx) inside the daemon asking for a password the daemon has no one to ask for.
  { re: /^Missing authentication credentials$/, verdict: 'accepted', kind: 'credentials' },
  // sshauth=privkey with no keyfile= and no ~/.ssh/id_* on this machine: a fact of the machine.
  { re: /^libssh transport error: Key file path must be provided for private key authentication$/, verdict: 'accepted', kind: 'host' },
  // test:///FILE names a host description file (§2.2). A missing or non-XML file is a fact of the
  // machine the URI is used on, like a missing socket, not a defect of the URI: accepted.
  { re: /^failed to parse xml document '/, verdict: 'accepted', kind: 'host' },
  { re: /^\/\S*:\d+: /, verdict: 'accepted', kind: 'host' },
];

function stripPrefix(text: string): string {
  const prefix = CODE_PREFIXES.find((p) => text.startsWith(p));
  return prefix === undefined ? text : text.slice(prefix.length);
}

/** Sorts one libvirt error message (as printed after `error: `). */
export function classifyMessage(raw: string): Classified {
  const message = stripPrefix(raw);
  const rule = RULES.find((r) => r.re.test(message));
  if (rule === undefined) return { verdict: 'unclassified', kind: 'unknown', message };
  // The error table wraps the core's text after "no connection driver available for" (§1.1).
  const wrapped = /^no connection driver available for (URI (?:'.*' does not include a driver name|scheme '.*' for embedded driver is not valid))$/s.exec(message);
  return { verdict: rule.verdict, kind: rule.kind, message: wrapped ? wrapped[1] : message };
}

export interface VirshOptions {
  /** Private empty directory: HOME and XDG dirs, log files. */
  workDir: string;
  timeoutMs: number;
}

let sequence = 0;
let netnsChecked: boolean | undefined;

// A fresh network namespace with only loopback, when this machine allows it: belt and braces for
// "loopback only". The documentation addresses on lo make getaddrinfo's AI_ADDRCONFIG (esx) behave
// as on a connected host; nothing can leave the namespace.
const NETNS_SETUP = 'ip link set lo up && ip addr add 192.0.2.1/32 dev lo && ip addr add 2001:db8::1/128 dev lo';

function netnsPrefix(): string[] {
  if (netnsChecked === undefined) {
    const probe = spawnSync('unshare', ['--net', 'sh', '-c', NETNS_SETUP], { stdio: 'ignore' });
    netnsChecked = probe.status === 0;
  }
  return netnsChecked ? ['unshare', '--net', 'sh', '-c', `${NETNS_SETUP} && exec "$@"`, 'sh'] : [];
}

export function usesNetns(): boolean {
  netnsPrefix();
  return netnsChecked === true;
}

/** Runs `virsh -c URI uri` in a clean environment and classifies the answer. */
export async function runVirsh(uri: string, options: VirshOptions): Promise<VirshRun> {
  const home = path.join(options.workDir, 'home');
  mkdirSync(home, { recursive: true });
  const logFile = path.join(options.workDir, `virsh-${process.pid}-${sequence++}.log`);
  // No LIBVIRT_DEFAULT_URI, no user libvirt.conf/auth.conf, no daemon autostart (§1.4); the remote
  // driver's debug log gives the name it forwards and errors printed before a crash.
  const env = {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
    LANG: 'C',
    LIBVIRT_AUTOSTART: '0',
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    XDG_RUNTIME_DIR: path.join(home, 'run'),
    LIBVIRT_LOG_FILTERS: '1:remote',
    LIBVIRT_LOG_OUTPUTS: `1:file:${logFile}`,
  };
  const argv = [...netnsPrefix(), 'virsh', '-c', uri, 'uri'];
  // detached: a new session without a controlling terminal, so no prompt can wait on /dev/tty.
  const child = spawn(argv[0], argv.slice(1), { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  const { status, signal, output } = await collect(child, options.timeoutMs);
  const log = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
  const forwarded = /proceeding with name = (.*)$/m.exec(log);
  const base = { output: output.replace(/\s+/g, ' ').trim(), ...(forwarded ? { forwardedName: forwarded[1] } : {}) };
  if (status === 0) return { ...base, verdict: 'accepted', kind: 'opened', message: '' };
  if (signal === 'SIGTERM' && status === null) return { ...base, verdict: 'unclassified', kind: 'timeout', message: '' };
  // The ext program exited while libvirt was still writing to it: a connect-time failure.
  if (signal === 'SIGPIPE') return { ...base, verdict: 'accepted', kind: 'unreached', message: '' };
  const errors = output.split('\n').filter((l) => l.startsWith('error: ') && l !== 'error: failed to connect to the hypervisor');
  let last = errors.at(-1)?.slice('error: '.length);
  if (last === undefined) {
    // virsh 9.0.0 crashes (SIGSEGV) after esx reports a bad parameter: take the error from the log.
    const logged = [...log.matchAll(/ error : \S+ : (.*)$/gm)].at(-1);
    last = logged?.[1];
  }
  if (last === undefined) return { ...base, verdict: 'unclassified', kind: `no error text (status ${status}, ${signal})`, message: '' };
  const classified = classifyMessage(last);
  return { ...base, ...classified, kind: signal ? `${classified.kind}, then ${signal}` : classified.kind };
}

function collect(child: ChildProcess, timeoutMs: number): Promise<{ status: number | null; signal: string | null; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (d: Buffer) => { output += d.toString('utf8'); });
    child.stderr?.on('data', (d: Buffer) => { output += d.toString('utf8'); });
    const timer = setTimeout(() => { if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM'); }, timeoutMs);
    child.on('error', (err) => { clearTimeout(timer); reject(err); });
    child.on('close', (status, signal) => { clearTimeout(timer); resolve({ status, signal, output }); });
  });
}

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the order of results. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

// ---------------------------------------------------------------------------------------------
// The daemon side. Driver paths of daemon drivers (qemu:///foo) are checked only by the daemon
// (§2.1, §2.2), and none runs here, so a URI the client accepted but could not deliver is asked
// again of a private unprivileged libvirtd, by the very name the client would have forwarded.

/** Daemon driver modules by URI scheme (each driver's meson.build; `xen` is libxl). */
const DAEMON_MODULES: Readonly<Record<string, string>> = {
  qemu: 'qemu', lxc: 'lxc', xen: 'libxl', vbox: 'vbox', bhyve: 'bhyve', vz: 'vz', parallels: 'vz', ch: 'ch',
  network: 'network', nwfilter: 'nwfilter', storage: 'storage', secret: 'secret', nodedev: 'nodedev', interface: 'interface',
};

/**
 * Driver modules Debian 12's libvirt 9.0.0 does not build at all (debian/rules: ch disabled, vz
 * and bhyve not requested; no libvirt-daemon-driver-* package ships them): no daemon of that
 * libvirt has the driver, so its "no connection driver" is the verdict, not a gap of this machine.
 */
const NOT_BUILT_MODULES: readonly string[] = ['ch', 'vz', 'bhyve'];

function installedModules(): Set<string> {
  const roots = ['/usr/lib64/libvirt/connection-driver'];
  if (existsSync('/usr/lib')) {
    for (const d of readdirSync('/usr/lib')) roots.push(path.join('/usr/lib', d, 'libvirt', 'connection-driver'));
  }
  const found = new Set<string>();
  for (const root of roots.filter((r) => existsSync(r))) {
    for (const f of readdirSync(root)) {
      const m = /^libvirt_driver_(\w+)\.so$/.exec(f);
      if (m) found.add(m[1]);
    }
  }
  return found;
}

/** The part of test/helpers/libvirtd.ts's daemon the cross-check needs. */
export type PrivateDaemon = Pick<Libvirtd, 'socketPath'>;

export interface DaemonVerdict extends Classified {
  output: string;
  /** Why the daemon's answer does not decide (then the URI is reported as not checked). */
  inconclusive?: string;
}

const modules = installedModules();

/**
 * Query parameters as libvirt splits them (§1.2): `&` separates; `;` only where no `&` remains in
 * the rest; names and values %-decoded; sections without a name dropped.
 */
function queryParams(uri: string): [string, string][] {
  const q = /\?([^#]*)/.exec(uri)?.[1] ?? '';
  const out: [string, string][] = [];
  let rest = q;
  while (rest !== '') {
    const sep = rest.includes('&') ? '&' : ';';
    const cut = rest.indexOf(sep);
    const section = cut < 0 ? rest : rest.slice(0, cut);
    rest = cut < 0 ? '' : rest.slice(cut + 1);
    const eq = section.indexOf('=');
    const n = eq < 0 ? section : section.slice(0, eq);
    if (n !== '') out.push([decode(n), eq < 0 ? '' : decode(section.slice(eq + 1))]);
  }
  return out;
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * Asks the private daemon to open `name` (the forwarded name), and turns its answer into the verdict of
 * libvirt's daemons in general. A URI counts as accepted when some daemon accepts it:
 * - `X:///system` refused by this unprivileged daemon is accepted by a privileged one (§2.1) → accepted;
 * - `X:///session` accepted here (and refused by a root daemon, §10) → accepted;
 * - "no connection driver" for a driver whose module is not installed on this machine → inconclusive.
 * A daemon's path message is reported in the privileged daemon's words (`try X:///system`), the
 * wording the validator uses.
 */
export async function runDaemon(original: string, name: string, daemon: PrivateDaemon, options: VirshOptions): Promise<DaemonVerdict> {
  // auth/authfile act on the client once connected, so they go along (all occurrences, in order).
  const carried = queryParams(original).filter(([n]) => /^auth(file)?$/i.test(n))
    .map(([n, v]) => `&${encodeURIComponent(n)}=${encodeURIComponent(v)}`).join('');
  const uri = `remote+unix:///?socket=${encodeURIComponent(daemon.socketPath)}&name=${encodeURIComponent(name)}${carried}`;
  const run = await runVirsh(uri, options);
  // This message quotes the forwarded name; the user wrote the original URI, unless the name
  // is theirs too (name=). "no connection driver available for" keeps the daemon's quote, as
  // the user sees it at run time.
  const quoted = /^(invalid URI )(.*?)( \(maybe you want .*)?$/s.exec(run.message);
  const ownName = queryParams(original).some(([n]) => n.toLowerCase() === 'name');
  if (quoted && quoted[2] === name && !ownName) run.message = `${quoted[1]}${original}${quoted[3] ?? ''}`;
  const result: DaemonVerdict = { verdict: run.verdict, kind: `daemon ${run.kind}`, message: run.message, output: run.output };
  const scheme = /^([^:]*):/.exec(name)?.[1] ?? '';
  const privileged = /^unexpected (\w+) URI path '\/system', try \1:\/\/\/session$/.exec(run.message);
  if (privileged) return { ...result, verdict: 'accepted', kind: 'daemon path (privileged daemon accepts /system)', message: '' };
  if (run.kind === 'no-driver' && DAEMON_MODULES[scheme] !== undefined && !modules.has(DAEMON_MODULES[scheme]) &&
    !NOT_BUILT_MODULES.includes(DAEMON_MODULES[scheme])) {
    return { ...result, inconclusive: `the ${DAEMON_MODULES[scheme]} driver module is not installed here` };
  }
  return { ...result, message: run.message.replace(/^(unexpected (\w+) URI path '.*', try \2:\/\/\/)session$/s, '$1system') };
}

export interface Judgement {
  uri: string;
  /** libvirt's verdict; inconclusive when only a daemon could decide and ours cannot. */
  verdict: Verdict | 'unclassified' | 'inconclusive';
  kind: string;
  /** libvirt's message for a refusal. */
  message: string;
  /** What virsh (and the private daemon, if asked) printed. */
  output: string;
}

/** libvirt's verdict on one URI: the client library's, then, if it could not deliver the URI, a daemon's. */
export async function judge(uri: string, daemon: PrivateDaemon | undefined, options: VirshOptions): Promise<Judgement> {
  const client = await runVirsh(uri, options);
  const base: Judgement = { uri, verdict: client.verdict, kind: client.kind, message: client.message, output: client.output };
  if (client.kind !== 'unreached' || !client.forwardedName) return base;
  if (daemon === undefined) return { ...base, verdict: 'inconclusive', kind: 'unreached, no private daemon' };
  const d = await runDaemon(uri, client.forwardedName, daemon, options);
  const output = `${client.output} || daemon(${client.forwardedName}): ${d.output}`;
  if (d.inconclusive !== undefined) return { ...base, verdict: 'inconclusive', kind: d.inconclusive, output };
  return { uri, verdict: d.verdict, kind: d.kind, message: d.message, output };
}
