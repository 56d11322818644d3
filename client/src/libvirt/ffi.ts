// koffi declarations for libvirt.so.0 and the bits of libc it needs. Loaded only by the
// workers in worker.ts; layouts and ownership follow include/libvirt/*.h of libvirt 9.0.0.
import * as koffi from 'koffi';
import type { VirErrorData } from './errors';

export type Pointer = bigint;

const virError = koffi.struct('virError', {
  code: 'int',
  domain: 'int',
  message: 'const char *',
  level: 'int',
  conn: 'void *',
  dom: 'void *',
  str1: 'const char *',
  str2: 'const char *',
  str3: 'const char *',
  int1: 'int',
  int2: 'int',
  net: 'void *',
});

koffi.struct('virNodeInfo', {
  model: koffi.array('char', 32, 'String'),
  memory: 'unsigned long',
  cpus: 'unsigned int',
  mhz: 'unsigned int',
  nodes: 'unsigned int',
  sockets: 'unsigned int',
  cores: 'unsigned int',
  threads: 'unsigned int',
});

export const virConnectCredential = koffi.struct('virConnectCredential', {
  type: 'int',
  prompt: 'const char *',
  challenge: 'const char *',
  defresult: 'const char *',
  result: 'void *',
  resultlen: 'unsigned int',
});
export const CREDENTIAL_RESULT_OFFSET = koffi.offsetof(virConnectCredential, 'result');
export const CREDENTIAL_RESULTLEN_OFFSET = koffi.offsetof(virConnectCredential, 'resultlen');

export const virConnectAuth = koffi.struct('virConnectAuth', {
  credtype: 'int *',
  ncredtype: 'unsigned int',
  cb: 'void *',
  cbdata: 'void *',
});

export const virConnectAuthCallback = koffi.proto('int virConnectAuthCallback(void *cred, unsigned int ncred, void *cbdata)');
export const virConnectCloseFunc = koffi.proto('void virConnectCloseFunc(void *conn, int reason, void *opaque)');


/* eslint-disable @typescript-eslint/no-explicit-any -- koffi functions are untyped */
type Fn = ((...args: any[]) => any) & { async: (...args: any[]) => void };

export interface Libvirt {
  virGetVersion: Fn;
  virSetErrorFunc: Fn;
  virResetError: Pointer;
  virGetLastError: Fn;
  virConnectOpen: Fn;
  virConnectOpenReadOnly: Fn;
  virConnectOpenAuth: Fn;
  virConnectClose: Fn;
  virConnectRef: Fn;
  virConnectGetCapabilities: Fn;
  virConnectGetHostname: Fn;
  virConnectGetURI: Fn;
  virConnectGetType: Fn;
  virConnectGetVersion: Fn;
  virConnectGetLibVersion: Fn;
  virNodeGetInfo: Fn;
  virNodeGetFreeMemory: Fn;
  virNodeGetCellsFreeMemory: Fn;
  virConnectGetMaxVcpus: Fn;
  virConnectIsAlive: Fn;
  virConnectIsSecure: Fn;
  virConnectIsEncrypted: Fn;
  virConnectGetSysinfo: Fn;
  virConnectGetDomainCapabilities: Fn;
  virConnectListAllDomains: Fn;
  virDomainGetName: Fn;
  virDomainGetUUIDString: Fn;
  virDomainGetState: Fn;
  virDomainGetID: Fn;
  virDomainFree: Fn;
  virConnectRegisterCloseCallback: Fn;
  virConnectUnregisterCloseCallback: Fn;
  virConnectSetKeepAlive: Fn;
  virEventRegisterDefaultImpl: Fn;
  virEventRunDefaultImpl: Fn;
  virEventAddTimeout: Fn;
  virEventRemoveTimeout: Fn;
}

export interface Libc {
  free: Fn;
  strdup: Fn;
  /** The kernel's id of the calling thread (0 where it is not used). */
  gettid: Fn | (() => number);
  /** null where sockets are not file descriptors (Windows) */
  shutdown: Fn | null;
  _exit: Fn;
  /** A native function that ignores its arguments: a timer callback that needs no JS. */
  noop: Pointer;
}
/* eslint-enable @typescript-eslint/no-explicit-any */

let heapString = false;

/** Loads libvirt; `runtime` frees the strings libvirt allocates for the caller. */
export function loadLibvirt(path: string, runtime: Libc): Libvirt {
  if (!heapString) {
    // Strings libvirt allocates for the caller: koffi decodes them and hands the pointer to
    // the allocator's free.
    koffi.disposable('virHeapString', 'str', runtime.free);
    heapString = true;
  }
  const lib = koffi.load(path);
  const virResetError = lib.symbol('virResetError') as Pointer;
  return {
    virGetVersion: lib.func('int virGetVersion(_Out_ unsigned long *libVer, const char *type, _Out_ unsigned long *typeVer)'),
    virSetErrorFunc: lib.func('void virSetErrorFunc(void *userData, void *handler)'),
    virResetError,
    virGetLastError: lib.func('void *virGetLastError(void)'),
    virConnectOpen: lib.func('void *virConnectOpen(const char *name)'),
    virConnectOpenReadOnly: lib.func('void *virConnectOpenReadOnly(const char *name)'),
    virConnectOpenAuth: lib.func('void *virConnectOpenAuth(const char *name, void *auth, unsigned int flags)'),
    virConnectClose: lib.func('int virConnectClose(void *conn)'),
    virConnectRef: lib.func('int virConnectRef(void *conn)'),
    virConnectGetCapabilities: lib.func('virHeapString virConnectGetCapabilities(void *conn)'),
    virConnectGetHostname: lib.func('virHeapString virConnectGetHostname(void *conn)'),
    virConnectGetURI: lib.func('virHeapString virConnectGetURI(void *conn)'),
    // Static string owned by the driver: plain `const char *`, never freed.
    virConnectGetType: lib.func('const char *virConnectGetType(void *conn)'),
    virConnectGetVersion: lib.func('int virConnectGetVersion(void *conn, _Out_ unsigned long *hvVer)'),
    virConnectGetLibVersion: lib.func('int virConnectGetLibVersion(void *conn, _Out_ unsigned long *libVer)'),
    virNodeGetInfo: lib.func('int virNodeGetInfo(void *conn, _Out_ virNodeInfo *info)'),
    virNodeGetFreeMemory: lib.func('unsigned long long virNodeGetFreeMemory(void *conn)'),
    virNodeGetCellsFreeMemory: lib.func('int virNodeGetCellsFreeMemory(void *conn, _Out_ unsigned long long *freeMems, int startCell, int maxCells)'),
    virConnectGetMaxVcpus: lib.func('int virConnectGetMaxVcpus(void *conn, const char *type)'),
    virConnectIsAlive: lib.func('int virConnectIsAlive(void *conn)'),
    virConnectIsSecure: lib.func('int virConnectIsSecure(void *conn)'),
    virConnectIsEncrypted: lib.func('int virConnectIsEncrypted(void *conn)'),
    virConnectGetSysinfo: lib.func('virHeapString virConnectGetSysinfo(void *conn, unsigned int flags)'),
    virConnectGetDomainCapabilities: lib.func(
      'virHeapString virConnectGetDomainCapabilities(void *conn, const char *emulatorbin, const char *arch, const char *machine, const char *virttype, unsigned int flags)',
    ),
    virConnectListAllDomains: lib.func('int virConnectListAllDomains(void *conn, _Out_ void **domains, unsigned int flags)'),
    // Borrowed from the domain object: valid until virDomainFree.
    virDomainGetName: lib.func('const char *virDomainGetName(void *domain)'),
    virDomainGetUUIDString: lib.func('int virDomainGetUUIDString(void *domain, char *buf)'),
    virDomainGetState: lib.func('int virDomainGetState(void *domain, _Out_ int *state, _Out_ int *reason, unsigned int flags)'),
    virDomainGetID: lib.func('unsigned int virDomainGetID(void *domain)'),
    virDomainFree: lib.func('int virDomainFree(void *domain)'),
    virConnectRegisterCloseCallback: lib.func('int virConnectRegisterCloseCallback(void *conn, void *cb, void *opaque, void *freecb)'),
    virConnectUnregisterCloseCallback: lib.func('int virConnectUnregisterCloseCallback(void *conn, void *cb)'),
    virConnectSetKeepAlive: lib.func('int virConnectSetKeepAlive(void *conn, int interval, unsigned int count)'),
    virEventRegisterDefaultImpl: lib.func('int virEventRegisterDefaultImpl(void)'),
    virEventRunDefaultImpl: lib.func('int virEventRunDefaultImpl(void)'),
    virEventAddTimeout: lib.func('int virEventAddTimeout(int frequency, void *cb, void *opaque, void *ff)'),
    virEventRemoveTimeout: lib.func('int virEventRemoveTimeout(int timer)'),
  };
}

/**
 * The C runtime bits the binding needs, per platform. `free`/`strdup` must match the allocator
 * libvirt uses: the system's malloc on Linux and macOS; on Windows, GLib's (libvirt's MinGW
 * builds allocate through GLib, whose C runtime may not be ours).
 */
export function loadLibc(): Libc {
  if (process.platform === 'win32') {
    const glib = koffi.load('libglib-2.0-0.dll');
    const kernel32 = koffi.load('kernel32.dll');
    const ucrt = koffi.load('ucrtbase.dll');
    return {
      free: glib.func('void g_free(void *ptr)'),
      strdup: glib.func('void *g_strdup(const char *s)'),
      gettid: kernel32.func('uint32_t GetCurrentThreadId(void)'),
      shutdown: null,
      _exit: ucrt.func('void _exit(int status)'),
      noop: kernel32.symbol('GetCurrentThreadId') as Pointer,
    };
  }
  const libc = koffi.load(process.platform === 'darwin' ? 'libSystem.B.dylib' : process.platform === 'linux' ? 'libc.so.6' : 'libc.so.7');
  return {
    free: libc.func('void free(void *ptr)'),
    strdup: libc.func('void *strdup(const char *s)'),
    // Only Linux interrupts a thread by its id (see worker.ts).
    gettid: process.platform === 'linux' ? libc.func('int gettid(void)') : () => 0,
    shutdown: libc.func('int shutdown(int sockfd, int how)'),
    _exit: libc.func('void _exit(int status)'),
    noop: libc.symbol('getpid') as Pointer,
  };
}

/** Reads the calling thread's last libvirt error (thread-local, borrowed: nothing to free). */
export function lastError(lv: Libvirt): VirErrorData | null {
  const ptr = lv.virGetLastError() as Pointer | null;
  if (!ptr) return null;
  const e = koffi.decode(ptr, virError) as Record<string, unknown>;
  const data: VirErrorData = { code: e.code as number, domain: e.domain as number, level: e.level as number, message: (e.message as string | null) ?? '' };
  for (const key of ['str1', 'str2', 'str3'] as const) if (e[key] != null) data[key] = e[key] as string;
  if (e.int1) data.int1 = e.int1 as number;
  if (e.int2) data.int2 = e.int2 as number;
  return data;
}

export { koffi };
