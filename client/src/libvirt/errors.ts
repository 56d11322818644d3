// libvirt's error vocabulary (include/libvirt/virterror.h, 9.0.0) and the error class
// every failing call surfaces as. Shared by the main thread and the workers; no koffi here.

/** `virErrorNumber`, indexed by value. */
const ERROR_NUMBERS: readonly string[] = [
  'VIR_ERR_OK', 'VIR_ERR_INTERNAL_ERROR', 'VIR_ERR_NO_MEMORY', 'VIR_ERR_NO_SUPPORT', 'VIR_ERR_UNKNOWN_HOST',
  'VIR_ERR_NO_CONNECT', 'VIR_ERR_INVALID_CONN', 'VIR_ERR_INVALID_DOMAIN', 'VIR_ERR_INVALID_ARG',
  'VIR_ERR_OPERATION_FAILED', 'VIR_ERR_GET_FAILED', 'VIR_ERR_POST_FAILED', 'VIR_ERR_HTTP_ERROR',
  'VIR_ERR_SEXPR_SERIAL', 'VIR_ERR_NO_XEN', 'VIR_ERR_XEN_CALL', 'VIR_ERR_OS_TYPE', 'VIR_ERR_NO_KERNEL',
  'VIR_ERR_NO_ROOT', 'VIR_ERR_NO_SOURCE', 'VIR_ERR_NO_TARGET', 'VIR_ERR_NO_NAME', 'VIR_ERR_NO_OS',
  'VIR_ERR_NO_DEVICE', 'VIR_ERR_NO_XENSTORE', 'VIR_ERR_DRIVER_FULL', 'VIR_ERR_CALL_FAILED',
  'VIR_ERR_XML_ERROR', 'VIR_ERR_DOM_EXIST', 'VIR_ERR_OPERATION_DENIED', 'VIR_ERR_OPEN_FAILED',
  'VIR_ERR_READ_FAILED', 'VIR_ERR_PARSE_FAILED', 'VIR_ERR_CONF_SYNTAX', 'VIR_ERR_WRITE_FAILED',
  'VIR_ERR_XML_DETAIL', 'VIR_ERR_INVALID_NETWORK', 'VIR_ERR_NETWORK_EXIST', 'VIR_ERR_SYSTEM_ERROR',
  'VIR_ERR_RPC', 'VIR_ERR_GNUTLS_ERROR', 'VIR_WAR_NO_NETWORK', 'VIR_ERR_NO_DOMAIN', 'VIR_ERR_NO_NETWORK',
  'VIR_ERR_INVALID_MAC', 'VIR_ERR_AUTH_FAILED', 'VIR_ERR_INVALID_STORAGE_POOL', 'VIR_ERR_INVALID_STORAGE_VOL',
  'VIR_WAR_NO_STORAGE', 'VIR_ERR_NO_STORAGE_POOL', 'VIR_ERR_NO_STORAGE_VOL', 'VIR_WAR_NO_NODE',
  'VIR_ERR_INVALID_NODE_DEVICE', 'VIR_ERR_NO_NODE_DEVICE', 'VIR_ERR_NO_SECURITY_MODEL',
  'VIR_ERR_OPERATION_INVALID', 'VIR_WAR_NO_INTERFACE', 'VIR_ERR_NO_INTERFACE', 'VIR_ERR_INVALID_INTERFACE',
  'VIR_ERR_MULTIPLE_INTERFACES', 'VIR_WAR_NO_NWFILTER', 'VIR_ERR_INVALID_NWFILTER', 'VIR_ERR_NO_NWFILTER',
  'VIR_ERR_BUILD_FIREWALL', 'VIR_WAR_NO_SECRET', 'VIR_ERR_INVALID_SECRET', 'VIR_ERR_NO_SECRET',
  'VIR_ERR_CONFIG_UNSUPPORTED', 'VIR_ERR_OPERATION_TIMEOUT', 'VIR_ERR_MIGRATE_PERSIST_FAILED',
  'VIR_ERR_HOOK_SCRIPT_FAILED', 'VIR_ERR_INVALID_DOMAIN_SNAPSHOT', 'VIR_ERR_NO_DOMAIN_SNAPSHOT',
  'VIR_ERR_INVALID_STREAM', 'VIR_ERR_ARGUMENT_UNSUPPORTED', 'VIR_ERR_STORAGE_PROBE_FAILED',
  'VIR_ERR_STORAGE_POOL_BUILT', 'VIR_ERR_SNAPSHOT_REVERT_RISKY', 'VIR_ERR_OPERATION_ABORTED',
  'VIR_ERR_AUTH_CANCELLED', 'VIR_ERR_NO_DOMAIN_METADATA', 'VIR_ERR_MIGRATE_UNSAFE', 'VIR_ERR_OVERFLOW',
  'VIR_ERR_BLOCK_COPY_ACTIVE', 'VIR_ERR_OPERATION_UNSUPPORTED', 'VIR_ERR_SSH', 'VIR_ERR_AGENT_UNRESPONSIVE',
  'VIR_ERR_RESOURCE_BUSY', 'VIR_ERR_ACCESS_DENIED', 'VIR_ERR_DBUS_SERVICE', 'VIR_ERR_STORAGE_VOL_EXIST',
  'VIR_ERR_CPU_INCOMPATIBLE', 'VIR_ERR_XML_INVALID_SCHEMA', 'VIR_ERR_MIGRATE_FINISH_OK',
  'VIR_ERR_AUTH_UNAVAILABLE', 'VIR_ERR_NO_SERVER', 'VIR_ERR_NO_CLIENT', 'VIR_ERR_AGENT_UNSYNCED',
  'VIR_ERR_LIBSSH', 'VIR_ERR_DEVICE_MISSING', 'VIR_ERR_INVALID_NWFILTER_BINDING',
  'VIR_ERR_NO_NWFILTER_BINDING', 'VIR_ERR_INVALID_DOMAIN_CHECKPOINT', 'VIR_ERR_NO_DOMAIN_CHECKPOINT',
  'VIR_ERR_NO_DOMAIN_BACKUP', 'VIR_ERR_INVALID_NETWORK_PORT', 'VIR_ERR_NETWORK_PORT_EXIST',
  'VIR_ERR_NO_NETWORK_PORT', 'VIR_ERR_NO_HOSTNAME', 'VIR_ERR_CHECKPOINT_INCONSISTENT',
  'VIR_ERR_MULTIPLE_DOMAINS',
];

/** `virErrorDomain`, indexed by value. */
const ERROR_DOMAINS: readonly string[] = [
  'VIR_FROM_NONE', 'VIR_FROM_XEN', 'VIR_FROM_XEND', 'VIR_FROM_XENSTORE', 'VIR_FROM_SEXPR', 'VIR_FROM_XML',
  'VIR_FROM_DOM', 'VIR_FROM_RPC', 'VIR_FROM_PROXY', 'VIR_FROM_CONF', 'VIR_FROM_QEMU', 'VIR_FROM_NET',
  'VIR_FROM_TEST', 'VIR_FROM_REMOTE', 'VIR_FROM_OPENVZ', 'VIR_FROM_XENXM', 'VIR_FROM_STATS_LINUX',
  'VIR_FROM_LXC', 'VIR_FROM_STORAGE', 'VIR_FROM_NETWORK', 'VIR_FROM_DOMAIN', 'VIR_FROM_UML',
  'VIR_FROM_NODEDEV', 'VIR_FROM_XEN_INOTIFY', 'VIR_FROM_SECURITY', 'VIR_FROM_VBOX', 'VIR_FROM_INTERFACE',
  'VIR_FROM_ONE', 'VIR_FROM_ESX', 'VIR_FROM_PHYP', 'VIR_FROM_SECRET', 'VIR_FROM_CPU', 'VIR_FROM_XENAPI',
  'VIR_FROM_NWFILTER', 'VIR_FROM_HOOK', 'VIR_FROM_DOMAIN_SNAPSHOT', 'VIR_FROM_AUDIT', 'VIR_FROM_SYSINFO',
  'VIR_FROM_STREAMS', 'VIR_FROM_VMWARE', 'VIR_FROM_EVENT', 'VIR_FROM_LIBXL', 'VIR_FROM_LOCKING',
  'VIR_FROM_HYPERV', 'VIR_FROM_CAPABILITIES', 'VIR_FROM_URI', 'VIR_FROM_AUTH', 'VIR_FROM_DBUS',
  'VIR_FROM_PARALLELS', 'VIR_FROM_DEVICE', 'VIR_FROM_SSH', 'VIR_FROM_LOCKSPACE', 'VIR_FROM_INITCTL',
  'VIR_FROM_IDENTITY', 'VIR_FROM_CGROUP', 'VIR_FROM_ACCESS', 'VIR_FROM_SYSTEMD', 'VIR_FROM_BHYVE',
  'VIR_FROM_CRYPTO', 'VIR_FROM_FIREWALL', 'VIR_FROM_POLKIT', 'VIR_FROM_THREAD', 'VIR_FROM_ADMIN',
  'VIR_FROM_LOGGING', 'VIR_FROM_XENXL', 'VIR_FROM_PERF', 'VIR_FROM_LIBSSH', 'VIR_FROM_RESCTRL',
  'VIR_FROM_FIREWALLD', 'VIR_FROM_DOMAIN_CHECKPOINT', 'VIR_FROM_TPM', 'VIR_FROM_BPF', 'VIR_FROM_CH',
];

const ERROR_LEVELS: readonly string[] = ['VIR_ERR_NONE', 'VIR_ERR_WARNING', 'VIR_ERR_ERROR'];

/** A `virError` as read on the thread that made the failing call. */
export interface VirErrorData {
  code: number;
  domain: number;
  level: number;
  message: string;
  str1?: string;
  str2?: string;
  str3?: string;
  int1?: number;
  int2?: number;
}

export function errorCodeName(code: number): string {
  return ERROR_NUMBERS[code] ?? `VIR_ERR_${code}`;
}

export function errorDomainName(domain: number): string {
  return ERROR_DOMAINS[domain] ?? `VIR_FROM_${domain}`;
}

/** A failure reported by libvirt itself: its code, domain, level and message, untouched. */
export class LibvirtError extends Error {
  override readonly name = 'LibvirtError';
  readonly code: number;
  readonly codeName: string;
  readonly domain: number;
  readonly domainName: string;
  readonly level: number;
  readonly levelName: string;
  /** The libvirt call that failed, e.g. `virConnectOpenAuth`. */
  readonly call: string;

  constructor(data: VirErrorData, call: string, options?: ErrorOptions) {
    super(data.message, options);
    this.code = data.code;
    this.codeName = errorCodeName(data.code);
    this.domain = data.domain;
    this.domainName = errorDomainName(data.domain);
    this.level = data.level;
    this.levelName = ERROR_LEVELS[data.level] ?? `level ${data.level}`;
    this.call = call;
  }
}

const VIR_ERR_AUTH_CANCELLED = 79;

/**
 * The user dismissed a credential prompt. libvirt only knows its callback returned -1 and says
 * so in the words of whatever asked: VIR_ERR_AUTH_FAILED ("Username request failed"…), or the
 * libssh/libssh2 transports' own errors ("failed to retrieve decision to accept host key").
 * Callers, like virt-manager, want to tell a dismissed prompt from a refusal, so it becomes
 * VIR_ERR_AUTH_CANCELLED, worded with libvirt's own prefix for that code, and keeps libvirt's
 * error as `cause`.
 */
export function authCancelled(error: LibvirtError): LibvirtError {
  if (error.code === VIR_ERR_AUTH_CANCELLED) return error;
  const detail = error.message.replace(/^authentication failed: /, '');
  return new LibvirtError({ code: VIR_ERR_AUTH_CANCELLED, domain: error.domain, level: error.level, message: `authentication cancelled: ${detail}` }, error.call, { cause: error });
}

/**
 * libvirt cannot be used here: the libvirt library could not be loaded (not installed, or a
 * wrong path), or koffi, the FFI module that loads it, is missing or has no build for this platform.
 */
export class LibvirtUnavailableError extends Error {
  override readonly name = 'LibvirtUnavailableError';
  constructor(
    /** The libvirt library that was to be loaded. */
    readonly library: string,
    /** Why the loader refused it, e.g. `cannot open shared object file`. */
    readonly detail: string,
    readonly missing: 'libvirt' | 'koffi' = 'libvirt',
  ) {
    super(missing === 'koffi' ? `cannot load koffi: ${detail}` : `cannot load ${library}: ${detail}`);
  }
}

/**
 * An open that did not finish in time or was aborted by its caller. `cause` carries libvirt's
 * own error when the interrupted call came back with one.
 */
export class OpenCancelledError extends Error {
  override readonly name = 'OpenCancelledError';
  constructor(
    readonly reason: 'timeout' | 'aborted',
    readonly uri: string | null,
    cause?: LibvirtError,
  ) {
    super(reason === 'timeout' ? `opening ${uri ?? 'the default URI'} timed out` : `opening ${uri ?? 'the default URI'} was aborted`, { cause });
  }
}

/**
 * A call that got no answer by its deadline. The host is taken as unresponsive: the connection
 * is dropped (its close listeners hear `error` with this message).
 */
export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
  constructor(
    /** The libvirt call, e.g. `virConnectGetCapabilities`. */
    readonly call: string,
    readonly timeoutMs: number,
  ) {
    super(`${call} got no answer within ${timeoutMs >= 1000 ? `${+(timeoutMs / 1000).toFixed(1)} s` : `${timeoutMs} ms`}`);
  }
}
