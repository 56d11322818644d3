// Everything the language service knows about libvirt URIs, as data.
// Source: libvirt 9.0.0 as shipped by Debian 12 (src/libvirt.c, src/remote/remote_driver.c,
// src/util/viruri.c, src/driver.c, each driver's connectOpen); messages are libvirt's own text.

export type TransportName = 'tls' | 'tcp' | 'unix' | 'ssh' | 'libssh' | 'libssh2' | 'ext';

/** Who reads a URI: libvirt itself, or terraform-provider-libvirt with its own dialect. */
export type ConsumerName = 'libvirt' | 'terraform-provider-libvirt';

/** The libvirt whose verdicts the rules reproduce. */
export const LIBVIRT_VERSION = 'libvirt 9.0.0';
/** The build of it: Debian 12's packages. */
export const LIBVIRT_BUILD = `Debian 12's ${LIBVIRT_VERSION}`;

/** The remote driver's transport when the URI names none (remoteSplitURIScheme). */
export function defaultTransport(hasHost: boolean): TransportName {
  return hasHost ? 'tls' : 'unix';
}

/** libvirt's own order, as in its "transport in URL not recognised" message. */
export const TRANSPORT_NAMES: readonly TransportName[] = ['tls', 'unix', 'ssh', 'ext', 'tcp', 'libssh2', 'libssh'];
export const SSH_FAMILY: readonly TransportName[] = ['ssh', 'libssh', 'libssh2'];

export interface TransportInfo {
  name: TransportName;
  title: string;
  doc: string;
  /** Port used when the URI has none; undefined where no TCP port is involved or ssh picks it. */
  defaultPort?: number;
  /** Whether the transport talks to a host (unix and ext do not). */
  usesHost: boolean;
  secure: boolean;
}

export const TRANSPORTS: Readonly<Record<TransportName, TransportInfo>> = {
  tls: {
    name: 'tls', title: 'TLS', usesHost: true, secure: true, defaultPort: 16514,
    doc: 'TCP/IP socket encrypted with TLS and authenticated with x509 certificates. The default when the URI names a host. Port 16514 unless given.',
  },
  tcp: {
    name: 'tcp', title: 'TCP (unencrypted)', usesHost: true, secure: false, defaultPort: 16509,
    doc: 'Plain TCP/IP socket. Not encrypted: only SASL with a security layer (e.g. digest-md5, GSSAPI) protects it, and libvirtd has it disabled by default. Port 16509 unless given.',
  },
  unix: {
    name: 'unix', title: 'UNIX socket', usesHost: false, secure: true,
    doc: 'Local UNIX domain socket; the default when the URI names no host. Cannot be combined with a host.',
  },
  ssh: {
    name: 'ssh', title: 'SSH (ssh binary)', usesHost: true, secure: true,
    doc: 'Runs the `ssh` program (or `command=`) and tunnels the RPC protocol through it to `virt-ssh-helper` or netcat on the remote host. User and port default to ssh\'s own configuration.',
  },
  libssh: {
    name: 'libssh', title: 'SSH (libssh)', usesHost: true, secure: true, defaultPort: 22,
    doc: 'SSH through the libssh library inside libvirt. The user defaults to **root** (not the local user), the port to 22; host keys are checked against `known_hosts` (default `~/.config/libvirt/known_hosts`).',
  },
  libssh2: {
    name: 'libssh2', title: 'SSH (libssh2)', usesHost: true, secure: true, defaultPort: 22,
    doc: 'SSH through the libssh2 library inside libvirt. The user defaults to **root** (not the local user), the port to 22; host keys are checked against `known_hosts` (default `~/.config/libvirt/known_hosts`).',
  },
  ext: {
    name: 'ext', title: 'External program', usesHost: false, secure: false,
    doc: 'Runs the program given by `command=` (required) with no arguments and speaks the RPC protocol over its stdin/stdout.',
  },
};

/** How libvirt checks a driver's URI path. */
export type PathRule =
  /** virConnectValidateURIPath: /system for a privileged daemon (plus /session for qemu and vbox), /session for a per-user one. */
  | { kind: 'system-or-session'; entity: string }
  /** One of the listed paths, else the message (with %s = path). */
  | { kind: 'exact'; paths: readonly string[]; message: string }
  /** Anything but '' and '/' (test: /default or an XML file; vpx: datacenter/compute resource, checked by vCenter). */
  /** `message` for `/`; `emptyMessage`, when given, for no path at all (libvirt refuses it later, in other words). */
  | { kind: 'not-empty'; message: string; emptyMessage?: string; suggestion?: string }
  /** Not checked at all. */
  | { kind: 'any' };

export interface DriverInfo {
  name: string;
  title: string;
  doc: string;
  /** client = handled inside libvirt.so (no daemon); daemon = reached through the remote driver. */
  runsIn: 'client' | 'daemon';
  /** Driver refuses URIs with a host (they go to the remote driver). */
  localOnly: boolean;
  /** Driver needs a host (esx, hyperv): "URI is missing the server part". */
  remoteOnly?: boolean;
  path: PathRule;
  /** Typical URIs, first is the usual one. */
  examples: readonly string[];
  embeddable?: boolean;
  /** What libvirt answers for `<driver>:///embed?root=…` when the driver is not embeddable; default "no connection driver available". */
  embedRefusal?: string;
  /**
   * Debian 12's libvirt 9.0.0 was built without it: libvirt.c refuses the scheme ('client':
   * "libvirt was built without…"), or no daemon has the driver ('daemon': "no connection driver
   * available for …").
   */
  notBuilt?: 'client' | 'daemon';
  /** The driver's own query parameters (client-side drivers); remote parameters apply to daemon drivers. */
  params?: readonly ParamInfo[];
  /** Runs in the client library and in every daemon too, so `+transport` URIs are normal (test). */
  alsoInDaemons?: boolean;
  /** Web-service drivers (esx, hyperv): the port by `transport=` protocol when the URI has none. */
  webPorts?: WebPorts;
  /** Web-service drivers: the user libvirt offers when it asks for the login (the URI has none). */
  loginUser?: string;
  /** virConnectGetType answer. */
  type?: string;
  /**
   * Other software uses the same scheme (`secret://vault/path`, `network://eth0`): outside a
   * libvirt context such a URI counts only with an empty authority (`:///`) or a `+transport`.
   */
  sharedScheme?: boolean;
}

function unexpectedPath(entity: string, scheme: string): string {
  return `internal error: unexpected ${entity} URI path '%s', try ${scheme}:///system`;
}

export type ParamKind =
  /** Parsed as a base-10 integer: 0 off, anything else on; not an integer is an error. */
  | 'boolean'
  | 'enum'
  /** Comma-separated list of enum values. */
  | 'enum-list'
  /** A file or directory on the client machine. */
  | 'local-path'
  /** A path on the remote host. */
  | 'remote-path'
  /** A program to run: a path or a name looked up in PATH. */
  | 'program'
  | 'text';

export interface ParamValue {
  value: string;
  doc: string;
}

export interface ParamInfo {
  name: string;
  kind: ParamKind;
  /** Transports that use the parameter; 'all' = every transport. */
  transports: readonly TransportName[] | 'all';
  doc: string;
  defaultValue?: string;
  values?: readonly ParamValue[];
  /** Enum values compared case-sensitively (mode, proxy) or not (sshauth, known_hosts_verify, auth). */
  caseSensitiveValues?: boolean;
  /** Message libvirt gives for a value outside `values` (%s = value). */
  badValueMessage?: string;
  /** A value that weakens security, reported as a warning. */
  insecureWhenOn?: string;
  example: string;
  /** Allowed values match a pattern instead of a list (auth=sasl.MECH). */
  valuePattern?: RegExp;
  /** Only these drivers honour it (esx's `vcenter`); the others ignore it. */
  drivers?: readonly string[];
  /** Transports whose SSH implementation expands a leading `~` in this path itself. */
  tildeExpandedBy?: readonly TransportName[];
  /** What an empty value does on some transports: refused (in libvirt's words) or ignored. */
  emptyValue?: readonly EmptyValue[];
}

export interface EmptyValue {
  transports: readonly TransportName[];
  refused: boolean;
  message: string;
}

const SSH_TRANSPORTS: readonly TransportName[] = SSH_FAMILY;
const LIBSSH_TRANSPORTS: readonly TransportName[] = ['libssh', 'libssh2'];

/** Query parameters recognised by the remote driver (names compared case-insensitively). */
export const REMOTE_PARAMS: readonly ParamInfo[] = [
  {
    name: 'name', kind: 'text', transports: 'all', example: 'name=qemu:///system',
    doc: 'The URI passed verbatim to the daemon\'s open call. Normally derived from this URI (driver, path and the remaining parameters); set it only in unusual cases.',
  },
  {
    name: 'command', kind: 'program', transports: ['ssh', 'ext'], example: 'command=/opt/openssh/bin/ssh',
    // virCommand looks the empty name up in PATH and finds nothing.
    emptyValue: [{ transports: ['ssh', 'ext'], refused: true, message: "Cannot find '' in path: No such file or directory" }],
    doc: 'For `ssh`, the ssh client to run (default `ssh`); for `ext`, the program to run — **required** by `ext`. Looked up in PATH.',
  },
  {
    name: 'socket', kind: 'remote-path', transports: ['unix', 'ssh', 'libssh', 'libssh2'], example: 'socket=/opt/libvirt/run/libvirt/libvirt-sock',
    emptyValue: [{ transports: ['unix'], refused: true, message: "Failed to connect socket to '': Connection refused — the socket path is empty" }],
    doc: 'Path of the daemon\'s UNIX socket: on this machine for `unix`, on the remote host for the ssh transports (where it also makes `proxy` default to `netcat`). Overrides the computed default.',
  },
  {
    name: 'auth', kind: 'enum', transports: 'all', example: 'auth=sasl', caseSensitiveValues: false,
    valuePattern: /^(sasl(\.[A-Za-z0-9_-]+)?|polkit)$/i,
    values: [
      { value: 'sasl', doc: 'SASL authentication with the first mechanism the server offers.' },
      { value: 'sasl.gssapi', doc: 'SASL with a given mechanism (`sasl.MECH`); the mechanism must be offered by the server.' },
      { value: 'polkit', doc: 'polkit authorisation on the daemon side (local connections).' },
    ],
    doc: 'Which of the authentication methods offered by the server to use; default is the first one it lists. libvirt checks the value only after connecting (`unknown authentication type`).',
  },
  {
    name: 'sshauth', kind: 'enum-list', transports: LIBSSH_TRANSPORTS, example: 'sshauth=agent,privkey', caseSensitiveValues: false,
    badValueMessage: "invalid argument: Invalid authentication method: '%s'",
    defaultValue: 'agent,privkey,password,keyboard-interactive',
    values: [
      { value: 'agent', doc: 'Keys held by ssh-agent (`SSH_AUTH_SOCK`).' },
      { value: 'privkey', doc: 'A private key file (`keyfile=` or the first of ~/.ssh/id_*).' },
      { value: 'password', doc: 'Password, asked through the credential callback.' },
      { value: 'keyboard-interactive', doc: 'Keyboard-interactive prompts, through the credential callback.' },
    ],
    doc: 'Comma-separated SSH authentication methods, tried in the order given (libssh and libssh2 only).',
  },
  {
    name: 'netcat', kind: 'remote-path', transports: SSH_TRANSPORTS, example: 'netcat=/opt/netcat/bin/nc', defaultValue: 'nc',
    doc: 'Path of netcat on the remote host, used to reach the daemon socket when `virt-ssh-helper` is not used. Not allowed with `proxy=native`.',
  },
  {
    name: 'keyfile', kind: 'local-path', transports: SSH_TRANSPORTS, example: 'keyfile=/root/.ssh/id_ed25519',
    // OpenSSH expands `ssh -i ~/…`; libssh and libssh2 open the file as named.
    tildeExpandedBy: ['ssh'],
    emptyValue: [{ transports: ['ssh'], refused: false, message: "ssh ignores an empty keyfile ('Identity file  not accessible')" }],
    doc: 'Private key file for SSH authentication (`ssh -i` for `ssh`; the `privkey` method for libssh/libssh2).',
  },
  {
    name: 'pkipath', kind: 'local-path', transports: ['tls'], example: 'pkipath=/etc/pki/libvirt-client',
    doc: 'Directory holding `cacert.pem`, `cacrl.pem`, `clientcert.pem` and `clientkey.pem` for TLS, instead of `~/.pki/libvirt` and `/etc/pki`.',
  },
  {
    name: 'known_hosts', kind: 'local-path', transports: LIBSSH_TRANSPORTS, example: 'known_hosts=/root/.ssh/known_hosts',
    // libssh expands the known_hosts option (ssh_options_apply); libssh2 opens the file as named.
    tildeExpandedBy: ['libssh'],
    emptyValue: [{ transports: ['libssh'], refused: true, message: 'An error occurred, but the cause is unknown — libssh refuses an empty known_hosts file name' }],
    defaultValue: '~/.config/libvirt/known_hosts',
    doc: 'Known-hosts file used by libssh/libssh2 to verify the host key (default `$XDG_CONFIG_HOME/libvirt/known_hosts`, not `~/.ssh/known_hosts`).',
  },
  {
    name: 'known_hosts_verify', kind: 'enum', transports: LIBSSH_TRANSPORTS, example: 'known_hosts_verify=normal', caseSensitiveValues: false,
    badValueMessage: "invalid argument: Invalid host key verification method: '%s'", defaultValue: 'normal',
    values: [
      { value: 'normal', doc: 'Verify the host key; an unknown key is offered for acceptance through the credential callback.' },
      { value: 'auto', doc: 'Accept and remember unknown host keys without asking.' },
      { value: 'ignore', doc: 'Do not verify host keys at all (insecure).' },
    ],
    insecureWhenOn: 'ignore',
    doc: 'How libssh/libssh2 verify the host key.',
  },
  {
    name: 'tls_priority', kind: 'text', transports: ['tls'], example: 'tls_priority=NORMAL:-VERS-TLS1.0',
    doc: 'GnuTLS priority string for the TLS session (default from libvirt.conf `tls_priority`, else built in). An invalid one fails at connect time.',
  },
  {
    name: 'mode', kind: 'enum', transports: ['unix', 'ssh', 'libssh', 'libssh2'], example: 'mode=legacy', caseSensitiveValues: true,
    badValueMessage: "invalid argument: Unknown remote mode '%s'", defaultValue: 'auto',
    values: [
      { value: 'auto', doc: 'Use the per-driver daemon socket (virtqemud…) if present, else libvirtd\'s.' },
      { value: 'legacy', doc: 'Talk to the monolithic libvirtd socket (`libvirt-sock`).' },
      { value: 'direct', doc: 'Talk to the per-driver daemon socket (`virt<driver>d-sock`). Not possible over the ssh transports.' },
    ],
    doc: 'Which daemon socket to use: per-driver daemons (`direct`) or monolithic libvirtd (`legacy`). Default from libvirt.conf `remote_mode`, else `auto`.',
  },
  {
    name: 'proxy', kind: 'enum', transports: SSH_TRANSPORTS, example: 'proxy=native', caseSensitiveValues: true,
    badValueMessage: "invalid argument: Unnkown proxy type '%s'", defaultValue: 'auto',
    values: [
      { value: 'auto', doc: 'Use `virt-ssh-helper` on the remote host if installed, else netcat.' },
      { value: 'netcat', doc: 'Always use netcat on the remote host.' },
      { value: 'native', doc: 'Always use `virt-ssh-helper` on the remote host.' },
    ],
    doc: 'How the ssh transports reach the daemon on the remote host. Default from libvirt.conf `remote_proxy`; else `netcat` when `socket` is given, otherwise `auto`. libvirt checks the value for every transport.',
  },
  {
    name: 'no_sanity', kind: 'boolean', transports: ['tls'], example: 'no_sanity=1',
    doc: 'Non-zero skips the sanity checks of the local client certificate files.',
  },
  {
    name: 'no_verify', kind: 'boolean', transports: ['tls', 'ssh'], example: 'no_verify=1', insecureWhenOn: '1',
    doc: 'Non-zero disables verification of the server\'s certificate (tls) or host key (`ssh -o StrictHostKeyChecking=no`). Insecure. libssh/libssh2 ignore it: use `known_hosts_verify`.',
  },
  {
    name: 'no_tty', kind: 'boolean', transports: ['ssh'], example: 'no_tty=1',
    doc: 'Non-zero stops ssh from asking for a password or passphrase on the terminal (`-o BatchMode=yes`): use it from programs with no terminal, with ssh-agent or unencrypted keys.',
  },
  {
    name: 'authfile', kind: 'local-path', transports: 'all', example: 'authfile=/etc/libvirt/auth.conf',
    doc: 'auth.conf file with credentials to use instead of asking (`$LIBVIRT_AUTH_FILE` still wins).',
  },
];

/** Parameters newer libvirt recognises that 9.0.0 passes through to the daemon. */
export const LATER_REMOTE_PARAMS: Readonly<Record<string, string>> = {
  argv: 'libvirt 12.5.0 and later use `argv` for the arguments of the `ext` transport\'s program',
};

/** The protocols of the esx and hyperv drivers' `transport=`. */
export type WebProtocol = 'https' | 'http';

/** A web-service driver's port per protocol when the URI has none (esxConnectOpen, hypervConnectOpen). */
export type WebPorts = Readonly<Record<WebProtocol, number>>;

const ESX_PORTS: WebPorts = { https: 443, http: 80 };
const GSX_PORTS: WebPorts = { https: 8333, http: 8222 };
const HYPERV_PORTS: WebPorts = { https: 5986, http: 5985 };

/** `transport=` values (case-sensitive; the name is not, and the last one wins). */
export const WEB_PROTOCOLS: readonly WebProtocol[] = ['https', 'http'];
/** `transport=` when the URI has none. */
export const WEB_DEFAULT_PROTOCOL: WebProtocol = 'https';

/** The `transport` parameter of the esx and hyperv drivers (esxUtil_ParseUri, hypervParseUri). */
function webTransportParam(server: string, https: string, http: string): ParamInfo {
  return {
    name: 'transport', kind: 'enum', transports: 'all', example: 'transport=https', caseSensitiveValues: true, defaultValue: WEB_DEFAULT_PROTOCOL,
    badValueMessage: "invalid argument: Query parameter 'transport' has unexpected value '%s' (should be http|https)",
    values: [
      { value: 'https', doc: https },
      { value: 'http', doc: http },
    ],
    doc: `Protocol used to talk to the ${server}.`,
  };
}

/** Parameters newer libvirt's esx driver recognises that 9.0.0 ignores with a warning. */
export const LATER_ESX_PARAMS: Readonly<Record<string, string>> = {
  cacert: 'libvirt 11.5.0 and later recognise it',
  legacy_uuid: 'libvirt 12.4.0 and later recognise it',
};

/** Proxy types the esx driver accepts in `proxy=type://host:port`. */
export const ESX_PROXY_TYPES: readonly string[] = ['http', 'socks', 'socks4', 'socks4a', 'socks5'];

const ESX_PARAMS: readonly ParamInfo[] = [
  webTransportParam('ESX/GSX/vCenter server', `HTTPS (port ${ESX_PORTS.https} for esx/vpx, ${GSX_PORTS.https} for gsx).`,
    `Plain HTTP (port ${ESX_PORTS.http} for esx/vpx, ${GSX_PORTS.http} for gsx).`),
  {
    name: 'vcenter', kind: 'text', transports: 'all', drivers: ['esx', 'gsx'], example: 'vcenter=vcenter.example.com',
    doc: 'The vCenter managing this host (needed for migration); `*` means "the vCenter this host reports". Only for esx and gsx.',
  },
  {
    name: 'no_verify', kind: 'boolean', transports: 'all', example: 'no_verify=1', insecureWhenOn: '1',
    badValueMessage: "invalid argument: Query parameter 'no_verify' has unexpected value '%s' (should be 0 or 1)",
    doc: '1 disables verification of the server\'s SSL certificate. Insecure.',
  },
  {
    name: 'auto_answer', kind: 'boolean', transports: 'all', example: 'auto_answer=1',
    badValueMessage: "invalid argument: Query parameter 'auto_answer' has unexpected value '%s' (should be 0 or 1)",
    doc: '1 answers questions the server asks about a domain automatically with their default answer.',
  },
  {
    name: 'proxy', kind: 'text', transports: 'all', example: 'proxy=socks5://proxy.example.com:1080',
    doc: 'Proxy for the connection: `[type://]host[:port]`, type `http` (default), `socks`, `socks4`, `socks4a` or `socks5`; port 1080 by default.',
  },
];

const HYPERV_PARAMS: readonly ParamInfo[] = [webTransportParam('Hyper-V server (WinRM)', `HTTPS, port ${HYPERV_PORTS.https}.`, `HTTP, port ${HYPERV_PORTS.http}.`)];

export const MESSAGES = {
  parse: 'internal error: Unable to parse URI %s',
  noDriverName: "URI '%s' does not include a driver name",
  noConnect: 'no connection driver available for %s',
  unknownTransport: 'invalid argument: remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)',
  unixWithHost: "invalid argument: using unix socket and remote server '%s' is not supported.",
  extNeedsCommand: "invalid argument: remote_open: for 'ext' transport, command is required",
  badInteger: 'invalid argument: Failed to parse value of URI component %s',
  netcatNative: 'invalid argument: netcat path not valid with native proxy mode',
  directOverSsh: 'Operation not supported: Cannot use direct socket mode for %s transport',
  maybeYouWant: 'internal error: invalid URI %s (maybe you want %s:///%s)',
  missingServer: 'invalid argument: URI is missing the server part',
  notBuilt: "unsupported configuration: libvirt was built without the '%s' driver",
  embedScheme: "no connection driver available for URI scheme '%s' for embedded driver is not valid",
  embedMissingRoot: "invalid argument: Missing URI parameter '%s'",
  embedRelativeRoot: 'unsupported configuration: root path must be absolute',
  testPath: 'invalid argument: testOpen: supply a path or use test:///default',
  vpxPath: 'invalid argument: Path has to specify the datacenter and compute resource',
  /** No path at all: esxVI_Context_LookupManagedObjectsByPath, once logged in to vCenter. */
  vpxNoPath: "invalid argument: Path '' does not specify a datacenter — after asking for the login and connecting to vCenter",
  unknownAuth: 'authentication failed: unknown authentication type %s',
  esxUnknownParam: "Ignoring unexpected query parameter '%s'",
  esxProxyType: "invalid argument: Query parameter 'proxy' contains unexpected type '%s' (should be (http|socks(|4|4a|5))",
  esxProxyHost: "invalid argument: Query parameter 'proxy' doesn't contain a hostname",
  esxProxyPort: "invalid argument: Query parameter 'proxy' has unexpected port value '%s' (should be [1..65535])",
  settingString: "internal error: %s: expected a string for '%s' parameter",
  settingList: "internal error: %s: expected a string list for '%s' parameter",
  settingListElement: "configuration file syntax error: %s: expected a string list for '%s' parameter",
  settingSyntax: 'configuration file syntax error: %s:%s: expecting a value',
  aliasNoEquals: "configuration file syntax error: Malformed 'uri_aliases' config entry '%s', expected 'alias=uri://host/path'",
  aliasBadChars: "configuration file syntax error: Malformed 'uri_aliases' config entry '%s', aliases may only contain 'a-Z, 0-9, _, -'",
} as const;

const SECONDARY_EMBED_REFUSAL = 'invalid argument: Driver does not support embedded mode';
const VMWARE_PATH_MESSAGE = "internal error: unexpected VMware URI path '%s', try vmwareplayer:///session, vmwarews:///session or vmwarefusion:///session";

const systemOrSession = (entity: string): PathRule => ({ kind: 'system-or-session', entity });

export const DRIVERS: readonly DriverInfo[] = [
  {
    name: 'qemu', title: 'QEMU/KVM', runsIn: 'daemon', localOnly: true, embeddable: true, type: 'QEMU',
    path: systemOrSession('qemu'), examples: ['qemu:///system', 'qemu:///session', 'qemu+ssh://root@host/system', 'qemu:///embed?root=/var/tmp/qemu'],
    doc: 'QEMU and KVM guests, served by virtqemud (or libvirtd). `/system` manages the host\'s privileged guests (root); `/session` a user\'s own unprivileged ones.',
  },
  {
    name: 'lxc', title: 'Linux containers (libvirt LXC)', runsIn: 'daemon', localOnly: true, type: 'LXC',
    path: { kind: 'exact', paths: ['', '/', '/system'], message: "internal error: Unexpected LXC URI path '%s', try lxc:///system" },
    examples: ['lxc:///system'],
    doc: 'Linux containers managed by virtlxcd; privileged only.',
  },
  {
    name: 'xen', title: 'Xen (libxl)', runsIn: 'daemon', localOnly: true, type: 'Xen',
    path: { kind: 'exact', paths: ['', '/', '/system'], message: "internal error: unexpected Xen URI path '%s', try xen:///system" },
    examples: ['xen:///system', 'xen+ssh://root@host/system'],
    doc: 'Xen through libxenlight, served by virtxend on a Xen dom0.',
  },
  {
    name: 'vbox', title: 'VirtualBox', runsIn: 'daemon', localOnly: true, type: 'VBOX',
    path: systemOrSession('vbox'), examples: ['vbox:///session', 'vbox:///system'],
    doc: 'VirtualBox guests, served by virtvboxd.',
  },
  {
    name: 'test', sharedScheme: true, title: 'Test driver', runsIn: 'client', localOnly: true, type: 'TEST',
    alsoInDaemons: true, path: { kind: 'not-empty', message: MESSAGES.testPath, suggestion: '/default' }, examples: ['test:///default', 'test:///path/to/host.xml', 'test+tcp://host/default'],
    doc: 'libvirt\'s mock hypervisor, run inside the client library: `test:///default` is a built-in host with one running domain; any other absolute path names an XML file describing a host. With a transport it is served by a daemon.',
  },
  {
    name: 'vmwareplayer', title: 'VMware Player', runsIn: 'client', localOnly: true, type: 'VMware',
    path: { kind: 'exact', paths: ['/session'], message: VMWARE_PATH_MESSAGE },
    examples: ['vmwareplayer:///session'],
    doc: 'VMware Player through the `vmrun` utility, inside the client library. Only `/session`.',
  },
  {
    name: 'vmwarews', title: 'VMware Workstation', runsIn: 'client', localOnly: true, type: 'VMware',
    path: { kind: 'exact', paths: ['/session'], message: VMWARE_PATH_MESSAGE },
    examples: ['vmwarews:///session'],
    doc: 'VMware Workstation through the `vmrun` utility, inside the client library. Only `/session`.',
  },
  {
    name: 'vmwarefusion', title: 'VMware Fusion', runsIn: 'client', localOnly: true, type: 'VMware',
    path: { kind: 'exact', paths: ['/session'], message: VMWARE_PATH_MESSAGE },
    examples: ['vmwarefusion:///session'],
    doc: 'VMware Fusion through the `vmrun` utility, inside the client library. Only `/session`.',
  },
  {
    name: 'esx', title: 'VMware ESX', runsIn: 'client', localOnly: false, remoteOnly: true, type: 'ESX', webPorts: ESX_PORTS, loginUser: 'root',
    path: { kind: 'any' }, params: ESX_PARAMS, examples: ['esx://root@esx.example.com/?no_verify=1'],
    doc: 'A VMware ESX/ESXi host over its SOAP API, from the client library. Needs a host; the path is ignored. Never add a `+transport`.',
  },
  {
    name: 'gsx', title: 'VMware GSX', runsIn: 'client', localOnly: false, remoteOnly: true, type: 'ESX', webPorts: GSX_PORTS, loginUser: 'root',
    path: { kind: 'any' }, params: ESX_PARAMS, examples: ['gsx://root@gsx.example.com/'],
    doc: `A VMware GSX server over its SOAP API, from the client library (ports ${GSX_PORTS.https}/${GSX_PORTS.http}).`,
  },
  {
    name: 'vpx', title: 'VMware vCenter', runsIn: 'client', localOnly: false, remoteOnly: true, type: 'ESX', webPorts: ESX_PORTS, loginUser: 'administrator',
    path: { kind: 'not-empty', message: MESSAGES.vpxPath, emptyMessage: MESSAGES.vpxNoPath }, params: ESX_PARAMS, examples: ['vpx://administrator@vcenter.example.com/dc1/cluster1/esx1.example.com'],
    doc: 'An ESX host through vCenter. The path names `[folder/…]datacenter/[folder/…]computeresource[/hostsystem]`.',
  },
  {
    name: 'hyperv', title: 'Microsoft Hyper-V', runsIn: 'client', localOnly: false, remoteOnly: true, notBuilt: 'client', type: 'Hyper-V', webPorts: HYPERV_PORTS, loginUser: 'administrator',
    path: { kind: 'any' }, params: HYPERV_PARAMS, examples: ['hyperv://administrator@hyperv.example.com/'],
    doc: 'A Hyper-V server over WS-Management, from the client library. Debian 12\'s libvirt is built without it.',
  },
  {
    name: 'openvz', title: 'OpenVZ', runsIn: 'client', localOnly: true, type: 'OpenVZ',
    path: { kind: 'exact', paths: ['/system'], message: "internal error: unexpected OpenVZ URI path '%s', try openvz:///system" },
    examples: ['openvz:///system'],
    doc: 'OpenVZ containers, from the client library; needs `/proc/vz`.',
  },
  {
    name: 'bhyve', title: 'bhyve (FreeBSD)', runsIn: 'daemon', localOnly: true, notBuilt: 'daemon', type: 'BHYVE',
    path: { kind: 'exact', paths: ['/system'], message: "internal error: Unexpected bhyve URI path '%s', try bhyve:///system" },
    examples: ['bhyve:///system'],
    doc: 'FreeBSD\'s bhyve hypervisor, served by libvirtd on FreeBSD; Debian 12\'s libvirt has no bhyve driver.',
  },
  {
    name: 'vz', title: 'Virtuozzo', runsIn: 'daemon', localOnly: true, notBuilt: 'daemon', type: 'vz',
    path: { kind: 'exact', paths: ['/system'], message: "internal error: Unexpected Virtuozzo URI path '%s', try vz:///system" },
    examples: ['vz:///system'],
    doc: 'Virtuozzo containers and VMs, served by virtvzd; Debian 12\'s libvirt is built without it.',
  },
  {
    name: 'parallels', title: 'Parallels (Virtuozzo)', runsIn: 'daemon', localOnly: true, notBuilt: 'client', type: 'Parallels',
    path: { kind: 'exact', paths: ['/system'], message: "internal error: Unexpected Virtuozzo URI path '%s', try vz:///system" },
    examples: ['parallels:///system'],
    doc: 'Old name of the Virtuozzo driver. Debian 12\'s libvirt is built without it.',
  },
  {
    name: 'ch', sharedScheme: true, title: 'Cloud Hypervisor', runsIn: 'daemon', localOnly: true, notBuilt: 'daemon', type: 'CH',
    path: { kind: 'any' }, examples: ['ch:///system'],
    doc: 'Cloud Hypervisor guests, served by virtchd (not built in Debian 12). libvirt does not check the path.',
  },
  {
    name: 'network', sharedScheme: true, title: 'Virtual networks', runsIn: 'daemon', localOnly: true, embedRefusal: SECONDARY_EMBED_REFUSAL, type: 'network',
    path: systemOrSession('network'), examples: ['network:///system'],
    doc: 'Only the virtual network driver (virtnetworkd).',
  },
  {
    name: 'nwfilter', sharedScheme: true, title: 'Network filters', runsIn: 'daemon', localOnly: true, embedRefusal: SECONDARY_EMBED_REFUSAL, type: 'nwfilter',
    path: { kind: 'exact', paths: ['/system'], message: "internal error: unexpected nwfilter URI path '%s', try nwfilter:///system" },
    examples: ['nwfilter:///system'],
    doc: 'Only the network filter driver (virtnwfilterd); privileged only.',
  },
  {
    name: 'storage', sharedScheme: true, title: 'Storage pools', runsIn: 'daemon', localOnly: true, embedRefusal: SECONDARY_EMBED_REFUSAL, type: 'storage',
    path: systemOrSession('storage'), examples: ['storage:///system'],
    doc: 'Only the storage driver (virtstoraged).',
  },
  {
    name: 'secret', sharedScheme: true, title: 'Secrets', runsIn: 'daemon', localOnly: true, embeddable: true, type: 'secret',
    path: systemOrSession('secret'), examples: ['secret:///system', 'secret:///embed?root=/var/tmp/secrets'],
    doc: 'Only the secret driver (virtsecretd).',
  },
  {
    name: 'nodedev', sharedScheme: true, title: 'Host devices', runsIn: 'daemon', localOnly: true, embedRefusal: SECONDARY_EMBED_REFUSAL, type: 'nodedev',
    path: systemOrSession('nodedev'), examples: ['nodedev:///system'],
    doc: 'Only the host device driver (virtnodedevd).',
  },
  {
    name: 'interface', sharedScheme: true, title: 'Host interfaces', runsIn: 'daemon', localOnly: true, embedRefusal: SECONDARY_EMBED_REFUSAL, type: 'interface',
    path: systemOrSession('interface'), examples: ['interface:///system'],
    doc: 'Only the host network interface driver (virtinterfaced).',
  },
  {
    name: 'remote', sharedScheme: true, title: 'Remote (daemon chooses)', runsIn: 'daemon', localOnly: false,
    path: { kind: 'any' }, examples: ['remote://host/', 'remote+ssh://root@host/'],
    doc: 'Connect to a daemon and let it pick its default hypervisor driver (the name sent to it is empty).',
  },
];

export const DRIVER_NAMES: readonly string[] = DRIVERS.map((d) => d.name);
const driverIndex = new Map(DRIVERS.map((d) => [d.name, d]));
const remoteParamIndex = new Map(REMOTE_PARAMS.map((p) => [p.name, p]));

export function findDriver(name: string): DriverInfo | undefined {
  return driverIndex.get(name);
}

/** Remote parameter by name; libvirt compares names case-insensitively. */
export function findRemoteParam(name: string): ParamInfo | undefined {
  return remoteParamIndex.get(name.toLowerCase());
}

export function findDriverParam(driver: DriverInfo, name: string): ParamInfo | undefined {
  const lower = name.toLowerCase();
  return driver.params?.find((p) => p.name === lower);
}

export function transportUses(param: ParamInfo, transport: TransportName): boolean {
  return param.transports === 'all' || param.transports.includes(transport);
}

/** Schemes exactly `qemu`, `vbox`, `vz` get libvirt's "maybe you want" check for `qemu://system`. */
export const MISSING_SLASH_SCHEMES: readonly string[] = ['qemu', 'vbox', 'vz'];

/** Drivers that can run embedded (`<driver>:///embed?root=…`). */
export const EMBEDDABLE_DRIVERS: readonly string[] = DRIVERS.filter((d) => d.embeddable).map((d) => d.name);

/** Schemes libvirt.c refuses (case-insensitively) because Debian 12's build left their driver out. */
export const NOT_BUILT_SCHEMES: readonly string[] = DRIVERS.filter((d) => d.notBuilt === 'client').map((d) => d.name);

/** Characters allowed in a uri_aliases name (URI_ALIAS_CHARS). */
export const ALIAS_NAME = /^[A-Za-z0-9_-]+$/;


// ---- libvirt.conf: the client's own settings --------------------------------------------------

export interface ClientSetting {
  name: string;
  /** virConf type: a string, or a list of strings. */
  type: 'string' | 'list';
  doc: string;
  /** The URI parameter whose values (and refusal) it shares. */
  param?: string;
}

/** What the client library reads from libvirt.conf (src/libvirt.c, src/util/viruri.c, src/remote/remote_driver.c); the rest is ignored. */
export const CLIENT_SETTINGS: readonly ClientSetting[] = [
  { name: 'uri_default', type: 'string', doc: 'The URI to open when the program gives none and `LIBVIRT_DEFAULT_URI` is unset.' },
  { name: 'uri_aliases', type: 'list', doc: 'Short names for URIs: `"NAME=URI"` strings, used when the whole name given to libvirt matches.' },
  { name: 'remote_mode', type: 'string', param: 'mode', doc: 'Default of the `mode=` URI parameter: `auto`, `legacy` or `direct`.' },
  { name: 'remote_proxy', type: 'string', param: 'proxy', doc: 'Default of the `proxy=` URI parameter: `auto`, `netcat` or `native`.' },
  { name: 'tls_priority', type: 'string', param: 'tls_priority', doc: 'Default GnuTLS priority string of the tls transport.' },
];

// ---- consumers: what reads a URI, and the names that say a string is meant for it ----------

/** A function or constructor whose first argument is a connection URI. */
export interface ApiCall {
  /** Its name; a trailing `*` matches any continuation (`virConnectOpen*`). */
  name: string;
  /**
   * What it is called on when it is certainly the binding's: the end of the qualifier written
   * before the name, parts joined by `.` or `::` (`libvirt.open`, `Libvirt::open`,
   * `new org.libvirt.Connect`). Absent: the name is libvirt's alone (`virConnectOpen*`).
   * Otherwise the name counts bare, or on another qualifier, only where the file imports the
   * binding (LIBVIRT_CONSUMER.imports).
   */
  on?: readonly string[];
  /** Called with `new` (`new Connect(…)`, `new libvirt.Hypervisor(…)`). */
  constructs?: boolean;
  /** A method of the binding's objects (go-libvirt's `l.ConnectToURI(…)`): any receiver, in a file that imports the binding. */
  method?: boolean;
}

/**
 * How a source file imports a binding. A match says the file uses it; its named groups give the
 * names the file then calls it by: `alias`, the module under a local name (`import libvirt as lv`;
 * Go's `.` imports every name), and `names`, a list of names imported from it (`*` for all,
 * renames with `as` or `:`). `all`: a match imports every name (the binding's own package).
 */
export interface BindingImport {
  pattern: RegExp;
  all?: boolean;
}

/** The programming languages the region layer reads calls in. */
export type CallLanguage = 'python' | 'c' | 'go' | 'rust' | 'js' | 'java' | 'ruby' | 'hcl';

const calls = (names: readonly string[], on: readonly string[]): ApiCall[] => names.map((name) => ({ name, on }));
/** libvirt-python (and node bindings with the same names). */
const CAMEL_OPEN = ['open', 'openReadOnly', 'openAuth'];
/** ruby-libvirt and the Rust crate. */
const SNAKE_OPEN = ['open', 'open_read_only', 'open_auth'];
/** JS: what follows `require('libvirt')` or `from 'libvirt'`. */
const JS_MODULE = String.raw`(?:require\(\s*["']libvirt["']\s*\)|from\s*["']libvirt["'])`;

/** Everything in a source file that hands a string to libvirt itself. */
export const LIBVIRT_CONSUMER = {
  /** Environment variables holding a URI: libvirt's default, and virsh's own. */
  environment: ['LIBVIRT_DEFAULT_URI', 'VIRSH_DEFAULT_CONNECT_URI'],
  /** Keys of dicts, hashes, keyword arguments, variables and YAML mappings whose value is a URI for libvirt. */
  keys: ['libvirt_uri', 'ansible_libvirt_uri'],
  /**
   * API calls of the language bindings (libvirt-python, the C API and cgo, libvirt-go-module and
   * go-libvirt, the Rust crate virt, node-libvirt, libvirt-java, ruby-libvirt), by their exact
   * names: other libraries have `NewConnection`, `openAuth` or a `Connect` class too.
   */
  calls: {
    python: calls(CAMEL_OPEN, ['libvirt']),
    c: [{ name: 'virConnectOpen*' }],
    go: [
      { name: 'virConnectOpen*' },
      ...calls(['NewConnect', 'NewConnectReadOnly', 'NewConnectWithAuth', 'NewConnectWithAuthDefault', 'ConnectURI'], ['libvirt']),
      { name: 'ConnectToURI', on: ['libvirt'], method: true },
    ],
    rust: calls(SNAKE_OPEN, ['virt::connect::Connect']),
    js: [{ name: 'Hypervisor', on: ['libvirt'], constructs: true }, ...calls(CAMEL_OPEN, ['libvirt'])],
    java: [{ name: 'Connect', on: ['org.libvirt'], constructs: true }],
    ruby: calls(SNAKE_OPEN, ['Libvirt']),
    hcl: [],
  } satisfies Record<CallLanguage, readonly ApiCall[]>,
  /** How a file imports those bindings (ruby-libvirt is always called as `Libvirt::`). */
  imports: {
    python: [
      { pattern: /^[ \t]*import[ \t]+libvirt(?:[ \t]+as[ \t]+(?<alias>\w+))?/gm },
      { pattern: /^[ \t]*from[ \t]+libvirt[ \t]+import[ \t]+(?<names>\([^)]{0,1000}\)|[^\n#;]{0,1000})/gm },
    ],
    c: [],
    go: [
      // An import spec: `"libvirt.org/go/libvirt"`, `lv "…"`, `. "…"`.
      { pattern: /(?:^|[\s(])(?:(?!import\b)(?<alias>[A-Za-z_]\w*|\.)[ \t]+)?"(?:libvirt\.org\/go\/libvirt|github\.com\/libvirt\/libvirt-go|github\.com\/digitalocean\/go-libvirt)"/gm },
    ],
    rust: [{ pattern: /\buse[ \t]+virt::(?<names>[^;]{0,1000});/g }],
    js: [
      { pattern: new RegExp(String.raw`\b(?:const|let|var)\s+(?<alias>[A-Za-z_$][\w$]*)\s*=\s*` + JS_MODULE, 'g') },
      { pattern: new RegExp(String.raw`\b(?:const|let|var)\s*\{(?<names>[^}]{0,1000})\}\s*=\s*` + JS_MODULE, 'g') },
      { pattern: new RegExp(String.raw`\bimport\s+(?:\*\s*as\s+)?(?<alias>[A-Za-z_$][\w$]*)\s+` + JS_MODULE, 'g') },
      { pattern: new RegExp(String.raw`\bimport\s*\{(?<names>[^}]{0,1000})\}\s*` + JS_MODULE, 'g') },
      // node-libvirt's README: `var Hypervisor = libvirt.Hypervisor;`.
      { pattern: /\b(?<names>Hypervisor)\s*=\s*libvirt\.Hypervisor\b/g },
    ],
    java: [
      { pattern: /^[ \t]*import[ \t]+org\.libvirt\.(?<names>\w+|\*)[ \t]*;/gm },
      { pattern: /^[ \t]*package[ \t]+org\.libvirt[ \t]*;/gm, all: true },
    ],
    ruby: [],
    hcl: [],
  } satisfies Record<CallLanguage, readonly BindingImport[]>,
  /** Keyword arguments of those calls that take the URI (`libvirt.open(name=…)`). */
  callKeywords: ['name', 'uri'],
  /** Wrappers around the URI argument: Rust's `Some("…")`, cgo's `C.CString("…")`. */
  argumentWrappers: ['Some', 'C.CString'],
  /** Command-line programs and the options that take a URI; `virt-*` stands for the rest of the virt-* family. */
  tools: {
    virsh: ['-c', '--connect'],
    guestfish: ['-c', '--connect'],
    guestmount: ['-c', '--connect'],
    'virt-v2v': ['-ic', '-oc', '--ic', '--oc'],
    'virt-p2v': ['-ic', '-oc', '--ic', '--oc'],
    // -c means something else here (virt-install: --cdrom).
    'virt-install': ['--connect'],
    'virt-clone': ['--connect'],
    'virt-xml': ['--connect'],
    'virt-convert': ['--connect'],
    'virt-*': ['-c', '--connect'],
  } as Readonly<Record<string, readonly string[]>>,
  /** virt-* programs without a hypervisor connection option (virt-admin's -c takes a daemon admin URI). */
  toolsWithoutUri: ['virt-admin', 'virt-host-validate', 'virt-pki-validate', 'virt-pki-query-dn', 'virt-qemu-run', 'virt-login-shell',
    'virt-ssh-helper', 'virt-what', 'virt-builder', 'virt-make-fs', 'virt-resize', 'virt-sparsify', 'virt-index-validate', 'virt-format'],
  /** `virsh connect URI` (or `virsh connect --name URI`). */
  virshConnect: { subcommand: 'connect', option: '--name' },
  /** The community.libvirt Ansible collection: modules whose `uri` option is a URI, and its inventory plugin. */
  ansible: {
    collection: 'community.libvirt.',
    modules: ['virt', 'virt_net', 'virt_pool'],
    option: 'uri',
    inventoryPlugin: 'community.libvirt.libvirt',
  },
  /** vagrant-libvirt: settings of a `config.vm.provider :libvirt` block, also the keys of its config hashes. */
  vagrant: { provider: 'libvirt', settings: ['uri', 'system_uri'] },
} as const;

/** How terraform-provider-libvirt reads one of its transports. */
export interface ProviderTransport {
  /** What it is in the provider (its own words). */
  doc: string;
  /** Query parameters it reads (Go's `url.Values.Get`: names compared case-sensitively). */
  params: readonly string[];
  /** The provider's error when the URI has no host; absent when it needs none. */
  hostRequired?: string;
  /** It uses the user name of the URI. */
  user: boolean;
  /** It uses a password in the URI's user information. */
  password: boolean;
  encrypted: boolean;
}

/**
 * terraform-provider-libvirt: `provider "libvirt" { uri = … }` is read by the provider, not by
 * libvirt. Learnt from its source (internal/libvirt/dialers/factory.go and sshcmd.go,
 * internal/libvirt/client.go, internal/provider/provider.go): it parses the URI with Go's
 * net/url (which lower-cases the scheme), dials the transport itself (go-libvirt's dialers, or
 * the ssh binary for `sshcmd`), then asks the daemon for `driver:` + path only.
 */
export const TERRAFORM_PROVIDER_CONSUMER = {
  name: 'terraform-provider-libvirt',
  /** The release whose rules these are. */
  build: 'terraform-provider-libvirt 0.9.7',
  block: 'libvirt',
  attribute: 'uri',
  drivers: ['qemu', 'lxc', 'xen', 'vbox', 'test'],
  /** No transport and no host: the local daemon's socket (`socket=`, else chosen by the path). */
  local: { params: ['socket'] },
  transports: {
    ssh: {
      doc: "Go's SSH library (go-libvirt's SSH dialer); `~/.ssh/config` is not read.",
      params: ['keyfile', 'knownhosts', 'known_hosts_verify', 'no_verify', 'socket'],
      hostRequired: 'SSH transport requires a hostname', user: true, password: true, encrypted: true,
    },
    sshcmd: {
      doc: 'The `ssh` program, so `~/.ssh/config` (ProxyJump, ControlMaster…) applies; virt-ssh-helper or netcat on the far side.',
      params: ['keyfile', 'knownhosts', 'known_hosts_verify', 'no_verify', 'socket', 'proxy', 'netcat', 'command', 'sshauth'],
      user: true, password: false, encrypted: true,
    },
    tcp: {
      doc: 'Plain TCP (go-libvirt), without SASL: not encrypted, not authenticated.',
      params: [], hostRequired: 'TCP transport requires a hostname', user: false, password: false, encrypted: false,
    },
    tls: {
      doc: 'TLS with client certificates (go-libvirt).',
      params: ['pkipath', 'no_verify'], hostRequired: 'TLS transport requires a hostname', user: false, password: false, encrypted: true,
    },
  } satisfies Record<string, ProviderTransport>,
  /** A host without a transport means ssh (libvirt would take tls). */
  defaultRemoteTransport: 'ssh',
  /** Parameters whose `~` and `$VAR` the provider expands itself. */
  expandsHome: ['keyfile', 'knownhosts'],
  /** The only value of known_hosts_verify it acts on; any other is ignored. */
  knownHostsVerifyIgnore: 'ignore',
  /** sshcmd's proxy= values; others are ignored (it stays auto). */
  proxyValues: ['auto', 'native', 'netcat'],
  /** sshcmd's sshauth= methods; others are ignored. */
  sshauthMethods: ['agent', 'privkey', 'password', 'keyboard-interactive'],
  messages: {
    unsupportedDriver: 'failed to create dialer: unsupported libvirt driver: %s',
    unsupportedTransport: 'failed to create dialer: unsupported transport: %s',
    needsHost: 'failed to create dialer: %s',
    badPort: 'invalid libvirt URI: parse "%s": invalid port "%s" after host',
    controlCharacter: 'invalid libvirt URI: parse "%s": net/url: invalid control character in URL',
  },
} as const;

/** Fills libvirt's printf-style `%s` placeholders in order. */
export function format(template: string, ...args: (string | number)[]): string {
  let i = 0;
  return template.replace(/%s/g, () => String(args[i++] ?? ''));
}

export function unexpectedPathMessage(rule: PathRule & { kind: 'system-or-session' }, scheme: string, path: string): string {
  return format(unexpectedPath(rule.entity, scheme), path);
}

// ---------------------------------------------------------------------------------------------
// Completion: what is offered while a URI is typed, and in which order. The facts above stay
// the source; this adds the docs and the rankings they do not carry.
// ---------------------------------------------------------------------------------------------

/** A value offered for a part of a URI, with what it means. */
export interface Suggestion {
  value: string;
  doc: string;
}

/** Transports in the order people reach for them (libvirt's own order is TRANSPORT_NAMES). */
export const TRANSPORTS_BY_USE: readonly TransportName[] = ['ssh', 'tls', 'unix', 'libssh', 'libssh2', 'tcp', 'ext'];

/** One line on a transport: what it is, its port when the URI names none, and whether libvirt counts it secure. */
export function transportSummary(t: TransportInfo): string {
  const port = t.defaultPort !== undefined ? `port ${t.defaultPort}` : t.usesHost ? "ssh's own port" : 'this machine only';
  return `${t.title} · ${port} · ${t.secure ? 'secure' : 'not secure'}`;
}

/**
 * Who reads the parameters of a URI with this driver, transport and host: a driver that runs
 * in the client library reads its own (or none), anything else goes to the remote driver.
 */
export function parameterReader(driver: DriverInfo | undefined, transport: boolean, host: boolean): 'driver' | 'remote' {
  return driver?.runsIn === 'client' && !transport && !(driver.localOnly && host) ? 'driver' : 'remote';
}

/** Whether the transport logs in to the host as the URI's user (client-side drivers with a server log in too). */
export function logsInAsUser(driver: DriverInfo | undefined, transport: TransportName | undefined): boolean {
  return transport !== undefined ? SSH_FAMILY.includes(transport) : driver?.remoteOnly === true;
}

/**
 * Transports whose connection runs the `ssh` program, so a `Host` alias of ~/.ssh/config works as
 * the URI's host. libssh reads ~/.ssh/config too, but libvirt first opens the TCP connection to
 * the URI's host itself (virNetSocketNewConnectTCP), so there the name must resolve as it is.
 */
export const SSH_CONFIG_TRANSPORTS: Readonly<Record<ConsumerName, readonly string[]>> = {
  libvirt: ['ssh'],
  'terraform-provider-libvirt': ['sshcmd'],
};

/** User names offered besides the one ~/.ssh/config gives the host. */
export const USER_SUGGESTIONS: readonly Suggestion[] = [
  {
    value: 'root',
    doc: "Log in as root: what managing the host's privileged guests (`/system`) over ssh needs, and the user libssh and libssh2 take when the URI names none.",
  },
];

/** Where a host name offered for the URI's host comes from. */
export const HOST_SOURCES = {
  sshConfig: {
    file: '~/.ssh/config',
    doc: 'A `Host` alias of ~/.ssh/config: the ssh program connects to its HostName, as its User and on its Port unless the URI names them, with its other options (ProxyJump, IdentityFile…).',
  },
  sshConfigHostName: {
    file: '~/.ssh/config',
    doc: "The HostName of a `Host` entry of ~/.ssh/config. Only the `ssh` transport reads that file's aliases; the others need the real name.",
  },
  knownHosts: {
    file: '~/.ssh/known_hosts',
    doc: 'A host this machine has connected to with ssh before (~/.ssh/known_hosts): its host key is known. libssh and libssh2 check keys against their own file (`known_hosts=`).',
  },
  etcHosts: { file: '/etc/hosts', doc: 'A name from /etc/hosts.' },
} as const;

/** What a user or port offered from ~/.ssh/config, or a transport's default port, means. */
export const SSH_CONFIG_DOCS = {
  user: 'The User of `Host %s` in ~/.ssh/config: the ssh program logs in as this user anyway when the URI names none; libssh and libssh2 would take root.',
  port: 'The Port of `Host %s` in ~/.ssh/config: the ssh program uses it anyway when the URI names none.',
  defaultPort: "The %s transport's port when the URI names none: writing it changes nothing.",
};

/** A form of a driver's path, with what it means; `snippet` has tab stops where the user fills in. */
export interface PathForm {
  path: string;
  snippet?: string;
  doc: string;
  /** Only in a local URI: no host, no transport. */
  local?: boolean;
}

const PATH_DOCS: Readonly<Record<string, string>> = {
  '/system': "The driver's privileged (system) instance: the host's own guests and resources. Needs root, or polkit's consent (membership of the libvirt group on Debian).",
  '/session': 'The per-user (session) instance: what the connecting user owns, run with that user\'s privileges; a non-root client starts it on demand. A privileged daemon accepts it only for qemu and vbox.',
  '/default': "The test driver's built-in host: one running domain, a network, a storage pool, all in memory and reset on every connection.",
  '/': 'The path is not checked by this driver.',
};

/** Embedding, the `/embed?root=` form of an embeddable driver. */
export const EMBED_ROOT_PARAM: ParamInfo = {
  name: 'root', kind: 'local-path', transports: 'all', example: 'root=/var/tmp/qemu',
  doc: 'The directory an embedded driver keeps its configuration, state and logs in: required, absolute, and open to one embedded driver per process at a time.',
};

const EMBED_DOC = 'Runs the driver inside this process instead of a daemon (`root=` names its private directory); no host, no transport. Needs the driver\'s module installed on this machine.';

/**
 * The path forms of a driver's URI, best first: those its rule accepts (in the order its
 * examples use them), then the embedded form where the driver has one.
 */
export function driverPaths(driver: DriverInfo): PathForm[] {
  const rule = driver.path;
  let paths: string[];
  switch (rule.kind) {
    case 'system-or-session':
      paths = ['/system', '/session'];
      break;
    case 'exact':
      paths = rule.paths.filter((p) => p !== '' && p !== '/');
      break;
    case 'not-empty':
      paths = rule.suggestion ? [rule.suggestion] : [];
      break;
    default:
      paths = driver.examples.some((e) => e.endsWith(':///system')) ? ['/system'] : ['/'];
  }
  const used = driver.examples.map((e) => e.replace(/^[^:]*:\/\/[^/]*/, '').replace(/\?.*$/, ''));
  paths.sort((a, b) => rank(used, a) - rank(used, b));
  const forms: PathForm[] = paths.map((path) => ({ path, doc: PATH_DOCS[path] ?? PATH_DOCS['/'] }));
  if (driver.name === 'vpx') {
    forms.push({
      path: '/datacenter/cluster', snippet: '/${1:datacenter}/${2:cluster}',
      doc: 'The vCenter inventory path: `[folder/…]datacenter/[folder/…]computeresource[/hostsystem]`; vCenter checks it when connecting.',
    });
  }
  if (driver.embeddable) forms.push({ path: '/embed?root=', snippet: '/embed?root=${1:/var/tmp/' + driver.name + '}', doc: EMBED_DOC, local: true });
  return forms;
}

function rank(list: readonly string[], value: string): number {
  const i = list.indexOf(value);
  return i < 0 ? list.length : i;
}

/** The path of an embedded driver's URI (`qemu:///embed?root=…`). */
export const EMBED_PATH = '/embed';

/** The extra parameter whose value is the URI the daemon opens (remote driver). */
export const NESTED_URI_PARAM = 'name';

/** The test driver reads any other absolute path as an XML file describing a host. */
export const HOST_FILE_DRIVER = { driver: 'test', extension: '.xml' } as const;

/** libvirt's extra parameters that are set only in unusual cases: offered last. */
export const RARE_PARAMS: readonly string[] = [NESTED_URI_PARAM];

/** Values of the flags libvirt reads as integers (0 off, anything else on) or as 0/1. */
export const BOOLEAN_VALUES: readonly Suggestion[] = [
  { value: '1', doc: 'On.' },
  { value: '0', doc: 'Off, as when the parameter is left out.' },
];

/** Where the files of a local path parameter usually are, offered while its value is empty (`~/` is the user's home). */
export const PATH_PLACES: Readonly<Record<string, readonly Suggestion[]>> = {
  keyfile: [{ value: '~/.ssh/', doc: "Your ssh keys (the private key is the file without `.pub`)." }],
  pkipath: [
    { value: '~/.pki/libvirt/', doc: "Where a non-root client's certificates are looked for when pkipath is not given." },
    { value: '/etc/pki/libvirt/', doc: 'Where the system-wide client certificate and key are.' },
  ],
  known_hosts: [
    { value: '~/.config/libvirt/', doc: 'Where libssh and libssh2 keep libvirt\'s known_hosts unless told otherwise.' },
    { value: '~/.ssh/', doc: "OpenSSH's own known_hosts." },
  ],
  authfile: [
    { value: '~/.config/libvirt/', doc: "Your auth.conf, which libvirt reads when no authfile is given." },
    { value: '/etc/libvirt/', doc: 'The system-wide auth.conf.' },
  ],
  socket: [{ value: '/var/run/libvirt/', doc: "The system daemons' sockets." }],
  command: [{ value: '/usr/bin/', doc: 'Programs installed by the system.' }],
  root: [{ value: '/var/tmp/', doc: 'A place that survives reboots, for the embedded driver\'s directory.' }],
  knownhosts: [{ value: '~/.ssh/', doc: "OpenSSH's known_hosts, the provider's default." }],
};

/** Well-known values of path parameters, also where the path is on the remote host. */
export const PATH_VALUES: Readonly<Record<string, readonly Suggestion[]>> = {
  socket: [
    { value: '/var/run/libvirt/libvirt-sock', doc: "The socket of libvirtd (or virtproxyd) on a system host: what the ssh transports reach unless told otherwise." },
    { value: '/var/run/libvirt/libvirt-sock-ro', doc: 'Its read-only twin: a connection through it is read-only, whatever the program asks.' },
    { value: '/var/run/libvirt/virtqemud-sock', doc: "The socket of the QEMU driver's own daemon, virtqemud." },
  ],
};

/** Values of esx/gsx/vpx parameters whose value is free text. */
export const ESX_VALUES: Readonly<Record<string, readonly Suggestion[]>> = {
  vcenter: [{ value: '*', doc: 'The vCenter this host reports as the one managing it.' }],
  proxy: ESX_PROXY_TYPES.map((t) => ({
    value: `${t}://`,
    doc: t === 'http' ? 'An HTTP proxy (the default type); port 1080 unless given.' : t === 'socks' ? 'A SOCKS5 proxy (`socks` is `socks5`); port 1080 unless given.' : `A ${t.toUpperCase()} proxy; port 1080 unless given.`,
  })),
};

/** What terraform-provider-libvirt's own parameters mean. */
export const PROVIDER_PARAMS: readonly ParamInfo[] = [
  {
    name: 'knownhosts', kind: 'local-path', transports: 'all', example: 'knownhosts=~/.ssh/known_hosts',
    doc: "Known-hosts file the provider checks the host key against (`~` and `$VAR` expanded by the provider); default `~/.ssh/known_hosts`.",
  },
];

/** Whole URIs offered in an empty string where a URI is expected; tab stops where the user fills in. */
export const URI_SNIPPETS: Readonly<Record<ConsumerName, readonly Suggestion[]>> = {
  libvirt: [
    { value: 'qemu:///system', doc: "This machine's QEMU/KVM guests, through the system instance (root, or polkit's consent)." },
    { value: 'qemu:///session', doc: "Your own unprivileged QEMU/KVM guests, through your session instance, started on demand." },
    { value: 'qemu+ssh://${1:root}@${2:host}/system', doc: 'The QEMU/KVM guests of another host, over ssh (the ssh program, with your ~/.ssh/config).' },
    { value: 'qemu+tls://${1:host}/system', doc: 'The QEMU/KVM guests of another host, over TLS with x509 client certificates (port 16514).' },
    { value: 'test:///default', doc: "libvirt's mock hypervisor with a built-in host, inside this process: for trying things out and for tests." },
    { value: 'lxc:///system', doc: "This machine's libvirt LXC containers." },
    { value: 'xen:///system', doc: 'The Xen guests of this machine, when it is a Xen dom0.' },
    { value: 'esx://${1:root}@${2:host}/', doc: 'A VMware ESX/ESXi host over its SOAP API (HTTPS), straight from this process.' },
    { value: 'qemu:///embed?root=${1:/var/tmp/qemu}', doc: EMBED_DOC },
  ],
  'terraform-provider-libvirt': [
    { value: 'qemu:///system', doc: "This machine's QEMU/KVM guests, through the local system socket." },
    { value: 'qemu+ssh://${1:root}@${2:host}/system', doc: "Another host over ssh, with Go's SSH library (~/.ssh/config is not read)." },
    { value: 'qemu+sshcmd://${1:root}@${2:host}/system', doc: 'Another host through the ssh program, so ~/.ssh/config (ProxyJump, ControlMaster…) applies.' },
    { value: 'test:///default', doc: "libvirt's mock hypervisor with a built-in host." },
  ],
};

// ---------------------------------------------------------------------------------------------
// Diagnostic codes, explained. One entry per code of services/validation.ts (DIAGNOSTIC_CODES, which
// holds their default severities); `virt-uri check --format sarif` publishes them as its rules.
// ---------------------------------------------------------------------------------------------

export interface DiagnosticCodeDoc {
  /** One line: what is wrong. */
  title: string;
  /** What libvirt does with such a URI and what to write instead (Markdown). */
  doc: string;
}

export const DIAGNOSTIC_DOCS: Readonly<Record<string, DiagnosticCodeDoc>> = {
  'uri-syntax': {
    title: 'libvirt cannot parse the URI',
    doc: 'libvirt parses URIs with libxml2 (virURIParse) and refuses one it cannot parse — a space, a character URIs do not allow, a port that is not a number — with `Unable to parse URI`.',
  },
  'bad-escape': {
    title: 'Malformed %-escape',
    doc: 'A `%` must be followed by two hexadecimal digits; libxml2 refuses the URI otherwise. Write `%25` for a literal `%`.',
  },
  'missing-driver': {
    title: 'No driver name',
    doc: 'The URI has no scheme (`qemu:`, `test:`, …) and is not a `uri_aliases` name, so libvirt finds no driver for it: `URI … does not include a driver name`.',
  },
  'unknown-alias': {
    title: 'Name not defined in uri_aliases',
    doc: 'A bare name where libvirt expects a URI is looked up in the `uri_aliases` of libvirt.conf; no libvirt.conf in reach (the workspace, `~/.config/libvirt/libvirt.conf`, `/etc/libvirt/libvirt.conf` for root) defines it.',
  },
  'unknown-driver': {
    title: 'No such driver',
    doc: 'No libvirt driver has this name (names are case-sensitive), so libvirt finds no connection driver for the URI. The drivers are qemu, lxc, xen, vbox, test, the VMware and Hyper-V drivers, openvz, bhyve, vz, ch, the secondary drivers (network, storage, …) and remote.',
  },
  'driver-not-built': {
    title: 'Driver not built into this libvirt',
    doc: "The driver exists, but Debian 12's libvirt 9.0.0 was built without it: libvirt says so (`libvirt was built without the '…' driver`), or, for a driver that runs in a daemon (bhyve, vz, ch), no daemon has it and the connection is refused. Other builds may include it.",
  },
  'unknown-transport': {
    title: 'Unknown transport',
    doc: 'The part after `+` in the scheme must be one of `tls`, `unix`, `ssh`, `ext`, `tcp`, `libssh2` or `libssh`; the remote driver refuses any other.',
  },
  'unix-with-host': {
    title: 'unix transport with a host',
    doc: 'The `unix` transport connects to a socket on this machine; the remote driver refuses a URI that also names a host. Use `ssh` (or `tls`) to reach another host.',
  },
  'maybe-you-want': {
    title: 'Host where a path was meant',
    doc: 'In `qemu://system` the word `system` is a host name and the path is empty; libvirt refuses it and suggests `qemu:///system` (three slashes: no host, path `/system`).',
  },
  'wrong-path': {
    title: 'Path the driver refuses',
    doc: 'Each driver accepts only its own paths — `/system` or `/session` for qemu and the secondary drivers, `/system` for lxc, `/default` or an XML file for test — and refuses any other in its own words.',
  },
  'missing-server': {
    title: 'Host needed, or a transport given to a client-side driver',
    doc: 'The esx, gsx, vpx and hyperv drivers talk to their server from the client library: their URI needs a host and must not carry a `+transport` (which would send it, without the host, to a libvirt daemon).',
  },
  'embed-invalid': {
    title: 'Invalid embedded-driver URI',
    doc: '`driver:///embed?root=/dir` runs a driver inside the application. Only some drivers can (qemu, secret), and `root` must be given as an absolute path.',
  },
  'bad-boolean': {
    title: 'Flag that is not a number',
    doc: 'The remote driver reads `no_verify`, `no_tty` and `no_sanity` as integers and fails the connection when the value is not one. Write `0` or `1`.',
  },
  'bad-parameter-value': {
    title: 'Value the driver refuses',
    doc: "The value of an extra parameter is not one the driver accepts: `mode`, `proxy`, `sshauth`, `known_hosts_verify`, `auth`, the esx and hyperv drivers' `transport`, `no_verify`, `auto_answer` and `proxy`, or an empty value where one is needed (`command=` with ext, `socket=` with unix, `known_hosts=` with libssh). In libvirt.conf, a `remote_mode` or `remote_proxy` libvirt does not know.",
  },
  'ext-without-command': {
    title: 'ext transport without command=',
    doc: 'The `ext` transport runs the program given by `command=` and talks to it over stdin/stdout; without `command=` libvirt refuses the URI.',
  },
  'netcat-with-native-proxy': {
    title: 'netcat= with proxy=native',
    doc: '`proxy=native` reaches the daemon through `virt-ssh-helper` on the remote host, so a `netcat=` path makes no sense and libvirt refuses the URI.',
  },
  'direct-mode-over-ssh': {
    title: 'mode=direct over an ssh transport',
    doc: 'The ssh transports reach the daemon through a helper on the remote host and cannot use `mode=direct`; use `mode=legacy` or leave `mode` out.',
  },
  'port-out-of-range': {
    title: 'Port out of range',
    doc: 'A port must be between 0 and 65535. libvirt 9.0.0 does not refuse a larger one: it connects to the port modulo 65536, which is seldom what was meant.',
  },
  'setting-type': {
    title: 'libvirt.conf value of the wrong type',
    doc: 'libvirt reads libvirt.conf with its own parser: a value that is not quoted, or a string where a list is expected (or the other way round), makes it refuse the file — and so every connection that reads it. Quote strings; write `uri_aliases` as a list of quoted `"NAME=URI"` strings.',
  },
  'unknown-setting': {
    title: 'libvirt.conf key the client does not read',
    doc: 'The client library reads only `uri_default`, `uri_aliases`, `remote_mode`, `remote_proxy` and `tls_priority` from libvirt.conf; it ignores any other key, often a misspelling of one of these.',
  },
  'malformed-alias': {
    title: 'Malformed uri_aliases entry',
    doc: 'Each `uri_aliases` entry in libvirt.conf must be `name=uri`, the name made of letters, digits, `_` and `-`; libvirt refuses the configuration file otherwise.',
  },
  'parameter-ignored': {
    title: 'Parameter ignored',
    doc: "A known parameter that has no effect where it is used — one the URI's transport does not use, one for other drivers, or any parameter of a driver that takes none. libvirt accepts the URI and ignores it.",
  },
  'transport-on-client-driver': {
    title: 'Transport on a client-side driver',
    doc: 'The VMware Player, Workstation and Fusion drivers and openvz run inside the client library. With a `+transport` or a host the URI goes to a libvirt daemon instead, which is rarely what was meant.',
  },
  'no-verify': {
    title: 'Verification turned off',
    doc: "`no_verify=1` (tls, ssh, esx) or `known_hosts_verify=ignore` (libssh, libssh2) accepts any server certificate or host key: the connection can be intercepted.",
  },
  'plain-tcp': {
    title: 'Unencrypted transport',
    doc: 'The `tcp` transport sends everything in the clear unless SASL negotiates a security layer, and libvirtd has it disabled by default. Prefer `tls` or `ssh`.',
  },
  'query-separator': {
    title: "';' and '&' mixed",
    doc: "libvirt splits the parameters on `&`, and on `;` only after the last `&`: before it, a `;` becomes part of a value. Use `&` everywhere.",
  },
  'relative-path': {
    title: 'Relative path or ~',
    doc: 'libvirt does not expand `~` in local paths (`keyfile`, `pkipath`, `known_hosts`, `authfile`) — only OpenSSH does for `keyfile` with the `ssh` transport, and libssh for `known_hosts` — and resolves a relative one against the working directory of the program that opens the connection. Write an absolute path.',
  },
  'duplicate-parameter': {
    title: 'Parameter given twice',
    doc: 'The same parameter appears more than once; libvirt uses the last value.',
  },
  'empty-parameter-name': {
    title: 'Parameter without a name',
    doc: '`=value` with no name before the `=` is dropped by libvirt.',
  },
  'user-ignored': {
    title: 'User name ignored',
    doc: 'The transport does not log in with the user part of the URI (`unix`, `tls`, `tcp`, `ext`); over tls and tcp, SASL asks for a user name through the credential callback or auth.conf instead.',
  },
  'unknown-parameter': {
    title: 'Parameter the remote driver does not know',
    doc: "A parameter the remote driver does not recognise is passed on to the daemon in the URI it opens; the daemon's driver may use it or ignore it.",
  },
};

// ---- What libvirt fills in where a URI is silent (the hover's effective values) ------------
// libvirt 9.0.0: src/remote/remote_driver.c doRemoteOpen, src/remote/remote_sockets.c,
// src/rpc/virnetclient.c and virnetsocket.c, src/util/viruri.c and virbuffer.c. Each value is
// checked against the real library by test/crosscheck/effective.test.ts.

/** Docs of the URI parts that have no catalog entry of their own. */
export const URI_PART_DOCS = {
  user: 'User to log in as on the host: `ssh -l` for ssh, the login user of libssh and libssh2, of ESX, vCenter and Hyper-V. tls, tcp, unix and ext do not use it (SASL asks for its own user name).',
  host: 'The host whose libvirt daemon (or ESX/Hyper-V server) to talk to. No host: this machine, over a UNIX socket.',
  port: 'TCP port of the daemon (tls, tcp), of sshd (ssh, libssh, libssh2) or of the ESX, vCenter or Hyper-V server on the host.',
  path: 'Which instance of the driver: `/system` is the privileged daemon, `/session` the per-user one (drivers with other paths say so).',
  fragment: 'Handed to the daemon with the path; no libvirt driver uses it.',
  passedThrough: 'Not a parameter the remote driver knows: it is handed on to the daemon inside the URI the daemon opens.',
  unknownDriver: 'Not a libvirt driver: the daemon is asked for it and refuses it.',
  unknownDriverWithName: 'Not a libvirt driver, but `name=` says what the daemon opens: this part only sends the URI to the remote driver.',
  unknownTransport: 'Not a transport libvirt knows: the remote driver refuses the URI.',
  /** %s = driver. */
  driverIgnoresParam: 'The %s driver ignores it (with a warning in its log).',
} as const;

/** How the hover words what libvirt fills in; %s are filled in order. */
export const EFFECT_DOCS = {
  sshPort: "ssh's own: `Port` in ~/.ssh/config, else 22",
  sshUser: "ssh's own: `User` in ~/.ssh/config, else your local user name",
  /** %s = transport, %s = user. */
  libsshUser: '%s logs in as %s, not as you',
  socketUnusedByHelper: 'not used: virt-ssh-helper finds it',
  socketForNetcat: 'for netcat',
  userDaemonAutostart: 'starting the per-user daemon when needed (unless LIBVIRT_AUTOSTART=0)',
  readOnly: 'opened read-only (`openReadOnly`, `virsh -r`)',
  /** %s = command. */
  ext: '%s with no arguments; libvirt talks to it over its stdin and stdout',
  emptyName: 'its own default driver (an empty name is sent)',
  strippedName: "transport, host, user, port and the remote driver's parameters taken out",
  /** %s = driver. */
  embedded: 'the %s driver runs inside this program, with its state under `root=`; no daemon',
  /** %s = driver. */
  clientLibrary: 'the %s driver runs inside the client library (libvirt.so); no daemon',
  /** %s = libvirt's refusal. */
  notBuiltClient: '%s — where libvirt is built with it, the driver runs inside the client library and uses',
  /** %s = consumer. */
  provider: "Read by %s, which connects by itself: libvirt's defaults do not apply.",
  template: 'Parts of this URI are computed at run time; what libvirt uses depends on them.',
  /** %s = protocol. */
  webProtocolDefault: 'no `transport=`, so %s',
  webProtocolGiven: 'from `transport=`',
  /** %s = driver, %s = protocol. */
  webPortDefault: 'the %s default for %s',
  /** %s = other protocol, %s = its port. */
  webPortOther: 'with `transport=%s`: %s',
  /** %s = the user offered. */
  webUserAsked: 'none in the URI: asked for when connecting (unless auth.conf answers), offering %s',
  /** How each tls credential file is named on the card. */
  tlsRoles: { cacert: 'CA certificate', clientcert: 'client certificate', clientkey: 'client key', cacrl: 'revocation list' },
  tlsFromPkipath: 'from `pkipath=`',
  tlsPresence: 'the CA certificate must exist; the others are used if present',
  tlsUserFirst: 'run by a non-root user: each of these that exists is used instead (certificate and key only as a pair)',
} as const;

/** What the remote driver uses when the URI leaves something out. */
export const REMOTE_DEFAULTS = {
  /** priv->hostname when the URI names no host (e.g. `qemu+tls:///system`). */
  host: 'localhost',
  /** libssh and libssh2 log in as root, not as the local user (virNetClientNewLibssh/LibSSH2). */
  libsshUser: 'root',
  /** The ssh transport's program when `command=` is absent. */
  sshProgram: 'ssh',
  /** Remote netcat when `netcat=` is absent. */
  netcat: 'nc',
  /** Debian 12 builds with -Dremote_default_mode=legacy: `mode=auto` over unix with neither socket present takes libvirtd's. */
  autoModeFallback: 'legacy' as const,
  /** System sockets live under $LOCALSTATEDIR/run on purpose (not /run), also on the remote host. */
  systemSocketDir: '/var/run/libvirt',
  /** Per-user daemons' sockets: this machine's runtime directory (GLib falls back to ~/.cache when XDG_RUNTIME_DIR is unset). */
  userSocketDir: '$XDG_RUNTIME_DIR/libvirt',
  /** Monolithic libvirtd (and virtproxyd) listen on `libvirt-sock`. */
  legacySocketPrefix: 'libvirt',
  libsshKnownHosts: '$XDG_CONFIG_HOME/libvirt/known_hosts',
  /** libssh/libssh2 try the first of these that exists when `keyfile=` is absent. */
  libsshKeyFiles: ['~/.ssh/identity', '~/.ssh/id_dsa', '~/.ssh/id_ecdsa', '~/.ssh/id_ed25519', '~/.ssh/id_rsa'],
  /** A non-root client's own tls credentials, tried before the system's ($HOME/.pki/libvirt). */
  tlsUserDir: '~/.pki/libvirt',
} as const;

/** The tls transport's credential files by role, in the order the card lists them. */
export type TlsFileRole = 'cacert' | 'clientcert' | 'clientkey' | 'cacrl';
export const TLS_FILE_ROLES: readonly TlsFileRole[] = ['cacert', 'clientcert', 'clientkey', 'cacrl'];
/** File names under `pkipath=` and the per-user directory. */
const TLS_FILE_NAMES: Readonly<Record<TlsFileRole, string>> = {
  cacert: 'cacert.pem', clientcert: 'clientcert.pem', clientkey: 'clientkey.pem', cacrl: 'cacrl.pem',
};
/** The system's files (LIBVIRT_CACERT, LIBVIRT_CACRL, LIBVIRT_CLIENTCERT, LIBVIRT_CLIENTKEY). */
const TLS_SYSTEM_FILES: Readonly<Record<TlsFileRole, string>> = {
  cacert: '/etc/pki/CA/cacert.pem', clientcert: '/etc/pki/libvirt/clientcert.pem',
  clientkey: '/etc/pki/libvirt/private/clientkey.pem', cacrl: '/etc/pki/CA/cacrl.pem',
};

export interface TlsFile {
  role: TlsFileRole;
  path: string;
  /** Used instead when `path` does not exist (a non-root client's own files; certificate and key only as a pair). */
  fallback?: string;
}

/**
 * virNetTLSContextLocateCredentials for a client: `pkipath=` names the directory whether or not
 * the files exist; else root reads the system's files and a non-root user its own first.
 */
export function tlsCredentialFiles(pkipath: string | undefined, root: boolean): TlsFile[] {
  return TLS_FILE_ROLES.map((role) => {
    if (pkipath !== undefined) return { role, path: `${pkipath}/${TLS_FILE_NAMES[role]}` };
    if (root) return { role, path: TLS_SYSTEM_FILES[role] };
    return { role, path: `${REMOTE_DEFAULTS.tlsUserDir}/${TLS_FILE_NAMES[role]}`, fallback: TLS_SYSTEM_FILES[role] };
  });
}

/** The per-driver daemon of a driver (`virtqemud`), whose socket `mode=direct` uses. */
export function directDaemon(driver: string): string {
  return `virt${driver}d`;
}

/** remoteGetUNIXSocketHelper: the socket of daemon `prefix`, per-user or system, read-only or not. */
export function daemonSocket(prefix: string, user: boolean, readOnly: boolean): string {
  return user ? `${REMOTE_DEFAULTS.userSocketDir}/${prefix}-sock` : `${REMOTE_DEFAULTS.systemSocketDir}/${prefix}-${readOnly ? 'sock-ro' : 'sock'}`;
}

/** remoteGetURIDaemonInfo: a non-root client goes to its per-user daemon for `/session` paths and `test+` schemes. */
export function wantsUserDaemon(scheme: string, path: string): boolean {
  return path === '/session' || scheme.startsWith('test+');
}

export type SshProxy = 'auto' | 'netcat' | 'native';

/**
 * doRemoteOpen: the ssh transports' proxy when neither `proxy=` nor libvirt.conf's remote_proxy
 * says: netcat for an explicit socket, virt-ssh-helper alone for a per-user daemon, else auto;
 * a `netcat=` path turns auto into netcat (virNetClientSSHHelperCommand).
 */
export function defaultSshProxy(socketGiven: boolean, userDaemon: boolean, netcatGiven: boolean): SshProxy {
  const proxy: SshProxy = socketGiven ? 'netcat' : userDaemon ? 'native' : 'auto';
  return proxy === 'auto' && netcatGiven ? 'netcat' : proxy;
}

/** virBufferEscapeShell: quoted only when it holds a shell metacharacter. */
export function shellEscape(s: string): string {
  if (s === '') return "''";
  if (!/[\r\t\n !"#$&'()*;<>?[\\\]^`{|}~]/.test(s)) return s;
  return `'${s.replaceAll("'", "'\\''")}'`;
}

/** The remote shell runs sh -c, so names and paths are escaped twice (virNetClientDoubleEscapeShell). */
function doubleEscape(s: string): string {
  return shellEscape(shellEscape(s));
}

/** virNetClientSSHHelperCommand: what the ssh transports run on the remote host. */
export function sshRemoteCommand(proxy: SshProxy, netcat: string | undefined, socket: string, name: string, readOnly: boolean): string {
  const nc = doubleEscape(netcat ?? REMOTE_DEFAULTS.netcat);
  const netcatCommand = `if '${nc}' -q 2>&1 | grep "requires an argument" >/dev/null 2>&1; then ARG=-q0;else ARG=;fi;'${nc}' $ARG -U ${socket}`;
  const helperCommand = `virt-ssh-helper${readOnly ? ' -r ' : ' '}'${doubleEscape(name)}'`;
  if (proxy === 'netcat') return `sh -c '${netcatCommand}'`;
  if (proxy === 'native') return `sh -c '${helperCommand}'`;
  return `sh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     ${helperCommand}; else    ${netcatCommand}; fi'`;
}

export interface SshInvocation {
  program: string;
  host: string;
  port?: string;
  user?: string;
  keyfile?: string;
  noTty: boolean;
  noVerify: boolean;
  remoteCommand: string;
}

/** virNetSocketNewConnectSSH: the argv of the ssh transport's program. */
export function sshArgv(s: SshInvocation): string[] {
  return [
    s.program,
    ...(s.port ? ['-p', s.port] : []),
    ...(s.user ? ['-l', s.user] : []),
    ...(s.keyfile ? ['-i', s.keyfile] : []),
    '-T', '-e', 'none',
    ...(s.noTty ? ['-o', 'BatchMode=yes'] : []),
    ...(s.noVerify ? ['-o', 'StrictHostKeyChecking=no'] : []),
    '--', s.host, s.remoteCommand,
  ];
}

function percentEscape(s: string, keep: RegExp): string {
  let out = '';
  for (const ch of s) {
    if (keep.test(ch)) out += ch;
    else for (const b of Buffer.from(ch, 'utf8')) out += '%' + b.toString(16).toUpperCase().padStart(2, '0');
  }
  return out;
}

/**
 * The URI the daemon is asked to open when `name=` is absent (remoteConnectFormatURI): the
 * driver part of the scheme, the path and fragment as libxml2's xmlSaveUri re-escapes them,
 * and the parameters the remote driver does not know, values re-encoded (names as decoded).
 * A `remote` scheme sends an empty name: the daemon picks its driver.
 */
export function forwardedName(scheme: string, driver: string, path: string, params: readonly { name: string; value: string }[], fragment?: string): string {
  if (scheme === 'remote' || scheme.startsWith('remote+')) return '';
  const query = params.map((p) => `${p.name}=${percentEscape(p.value, /^[A-Za-z0-9\-._~]$/)}`).join('&');
  return `${driver}://${percentEscape(path, /^[A-Za-z0-9\-_.!~*'()/;@&=+$,]$/)}` +
    (query ? `?${query}` : '') + (fragment !== undefined ? `#${percentEscape(fragment, /^[A-Za-z0-9\-_.!~*'();/?:@&=+$,[\]]$/)}` : '');
}
