// The two threads that talk to libvirt; the main thread only exchanges messages with them.
//
// owner:  makes every libvirt call, synchronously, one request at a time, and reads the
//         thread-local last error right after a failing call. Credential callbacks run here,
//         inside virConnectOpenAuth, and block (Atomics.wait) until the main thread answers.
// events: runs virEventRunDefaultImpl in a loop so keepalive and dropped links work, and hosts
//         the close callback. Each iteration is a koffi `.async` call, which leaves this
//         thread's JS idle: libvirt calls the close callback from the loop or from the owner's
//         thread in the middle of a failing RPC, koffi forwards it here and blocks the caller
//         until it ran. Because this thread never makes a blocking libvirt call itself, that
//         wait always ends; hosting it on the owner could deadlock (the owner may be waiting
//         for the very lock libvirt holds while calling back). It also interrupts an owner
//         stuck in a socket wait on behalf of a timed-out open.
import { readFileSync, readlinkSync } from 'node:fs';
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import {
  CREDENTIAL_RESULTLEN_OFFSET,
  CREDENTIAL_RESULT_OFFSET,
  koffi,
  lastError,
  loadLibc,
  loadLibvirt,
  virConnectAuth,
  virConnectAuthCallback,
  virConnectCloseFunc,
  virConnectCredential,
  virEventTimeoutCallback,
  type Libc,
  type Libvirt,
  type Pointer,
} from './ffi';
import { DOMAIN_STATES, credentialTypeName, type CredentialRequest, type DomainCapabilitiesQuery, type Envelope, type EventsData, type EventsMessage, type EventsRequest, type NodeInfo, type OpenRequest, type OwnerData, type OwnerMessage, type OwnerRequest, type OwnerResponse, type QueryMethod } from './protocol';
import type { VirErrorData } from './errors';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

function load(library: string): { lv: Libvirt; libc: Libc } | null {
  try {
    return { lv: loadLibvirt(library), libc: loadLibc() };
  } catch (e) {
    port!.postMessage({ type: 'unavailable', library, detail: e instanceof Error ? e.message : String(e) } satisfies OwnerMessage);
    return null;
  }
}

/** A failing libvirt call, carrying the error read on this thread right after it. */
class CallFailed {
  constructor(
    readonly error: VirErrorData,
    readonly call: string,
  ) {}
}

const VIR_CONNECT_RO = 1;
const NO_DOMAIN_ID = 0xffffffff;
const REMOTE_NODE_MAX_CELLS = 1024;

function runOwner(data: OwnerData): void {
  const loaded = load(data.library);
  if (!loaded) return;
  const { lv, libc } = loaded;
  // libvirt's default handler prints every error on stderr. virResetError(NULL) returns at
  // once, so it is a native no-op with a compatible calling sequence: no JS callback that a
  // libvirt thread would have to wait for, and it stays valid if this worker is replaced.
  lv.virSetErrorFunc(null, lv.virResetError);

  const abandoned = new Int32Array(data.abandoned);
  const authSignal = new Int32Array(data.authSignal);
  const handles = new Map<number, Pointer>(data.adopt.map((a) => [a.connId, a.handle]));
  const closeCallbacks = new Set<number>(data.adopt.map((a) => a.connId));
  let opening: { id: number; deadline: number } | null = null;

  function fail(call: string): never {
    throw new CallFailed(lastError(lv) ?? { code: 0, domain: 0, level: 2, message: `${call} failed without an error` }, call);
  }
  function checkInt(result: number, call: string): number {
    if (result < 0) fail(call);
    return result;
  }
  function checkString(result: string | null, call: string): string {
    if (result == null) fail(call);
    return result;
  }

  const authCallback = koffi.register((creds: Pointer, ncred: number): number => {
    if (!opening) return -1;
    const size = koffi.sizeof(virConnectCredential);
    const requests: CredentialRequest[] = [];
    for (let i = 0; i < ncred; i++) {
      const c = koffi.decode(creds + BigInt(i * size), virConnectCredential) as { type: number; prompt: string | null; challenge: string | null; defresult: string | null };
      requests.push({ type: c.type, typeName: credentialTypeName(c.type), prompt: c.prompt ?? '', challenge: c.challenge, defaultResult: c.defresult });
    }
    Atomics.store(authSignal, 0, 0);
    port!.postMessage({ type: 'credentials', id: opening.id, requests } satisfies OwnerMessage);
    const wait = opening.deadline === Infinity ? Infinity : Math.max(0, opening.deadline - Date.now());
    if (Atomics.wait(authSignal, 0, 0, wait) === 'timed-out') return -1;
    const answers = (receiveMessageOnPort(data.authPort)?.message as { answers: (string | null)[] | null } | undefined)?.answers;
    if (!answers) return -1;
    for (let i = 0; i < ncred; i++) {
      const answer = answers[i];
      if (answer == null) continue;
      // libvirt frees each result with free(): it must come from the C heap.
      const copy = libc.strdup(answer) as Pointer | null;
      if (!copy) return -1;
      const at = creds + BigInt(i * size);
      koffi.encode(at, CREDENTIAL_RESULT_OFFSET, 'void *', copy);
      koffi.encode(at, CREDENTIAL_RESULTLEN_OFFSET, 'unsigned int', Buffer.byteLength(answer));
    }
    return 0;
  }, koffi.pointer(virConnectAuthCallback));

  function open(id: number, req: OpenRequest): unknown {
    let conn: Pointer | null;
    if (req.credentialTypes) {
      const types = req.credentialTypes;
      const credtype = koffi.alloc('int', Math.max(1, types.length)) as Pointer;
      const auth = koffi.alloc(virConnectAuth, 1) as Pointer;
      try {
        koffi.encode(credtype, 'int', types, types.length);
        koffi.encode(auth, virConnectAuth, { credtype, ncredtype: types.length, cb: authCallback, cbdata: null });
        opening = { id, deadline: req.deadline };
        conn = lv.virConnectOpenAuth(req.uri, auth, req.flags) as Pointer | null;
      } finally {
        opening = null;
        koffi.free(auth);
        koffi.free(credtype);
      }
    } else {
      conn = (req.flags & VIR_CONNECT_RO ? lv.virConnectOpenReadOnly(req.uri) : lv.virConnectOpen(req.uri)) as Pointer | null;
    }
    if (!conn) fail(req.credentialTypes ? 'virConnectOpenAuth' : req.flags & VIR_CONNECT_RO ? 'virConnectOpenReadOnly' : 'virConnectOpen');
    if (Atomics.load(abandoned, 0)) {
      // Nobody waits for this connection any more: release it before this thread ends.
      lv.virConnectClose(conn);
      process.exit(0);
    }
    handles.set(req.connId, conn);
    const closeCallback = lv.virConnectRegisterCloseCallback(conn, data.closeCallback, BigInt(req.connId), null) === 0;
    if (closeCallback) closeCallbacks.add(req.connId);
    let keepalive: 'off' | 'on' | 'unsupported' | 'unsupported-by-server' = 'off';
    if (req.keepalive) {
      const r = lv.virConnectSetKeepAlive(conn, req.keepalive.interval, req.keepalive.count) as number;
      keepalive = r === 0 ? 'on' : r === 1 ? 'unsupported-by-server' : 'unsupported';
    }
    return { handle: conn, closeCallback, keepalive };
  }

  function handle(connId: number): Pointer {
    const h = handles.get(connId);
    if (h === undefined) throw new Error(`connection ${connId} is closed`);
    return h;
  }

  function ulong(out: unknown[]): number {
    return Number(out[0] as number | bigint);
  }

  function query(conn: Pointer, method: QueryMethod, args: unknown[]): unknown {
    switch (method) {
      case 'capabilities':
        return checkString(lv.virConnectGetCapabilities(conn), 'virConnectGetCapabilities');
      case 'hostname':
        return checkString(lv.virConnectGetHostname(conn), 'virConnectGetHostname');
      case 'uri':
        return checkString(lv.virConnectGetURI(conn), 'virConnectGetURI');
      case 'type':
        return checkString(lv.virConnectGetType(conn), 'virConnectGetType');
      case 'hypervisorVersion': {
        const out = [0];
        checkInt(lv.virConnectGetVersion(conn, out), 'virConnectGetVersion');
        return ulong(out);
      }
      case 'libraryVersion': {
        const out = [0];
        checkInt(lv.virConnectGetLibVersion(conn, out), 'virConnectGetLibVersion');
        return ulong(out);
      }
      case 'nodeInfo': {
        const info: Record<string, unknown> = {};
        checkInt(lv.virNodeGetInfo(conn, info), 'virNodeGetInfo');
        return { ...info, memory: Number(info.memory as number | bigint) } as NodeInfo;
      }
      case 'freeMemory': {
        const bytes = lv.virNodeGetFreeMemory(conn) as number | bigint;
        // 0 is how this call reports an error; a real 0 leaves no error behind.
        if (Number(bytes) === 0 && lastError(lv)) fail('virNodeGetFreeMemory');
        return Number(bytes);
      }
      case 'cellsFreeMemory': {
        const start = (args[0] as number | undefined) ?? 0;
        const max = (args[1] as number | undefined) ?? REMOTE_NODE_MAX_CELLS;
        const out = new BigUint64Array(Math.max(1, max));
        const n = checkInt(lv.virNodeGetCellsFreeMemory(conn, out, start, max), 'virNodeGetCellsFreeMemory');
        return Array.from(out.subarray(0, n), Number);
      }
      case 'maxVcpus':
        return checkInt(lv.virConnectGetMaxVcpus(conn, (args[0] as string | undefined) ?? null), 'virConnectGetMaxVcpus');
      case 'isAlive':
        return checkInt(lv.virConnectIsAlive(conn), 'virConnectIsAlive') === 1;
      case 'isSecure':
        return checkInt(lv.virConnectIsSecure(conn), 'virConnectIsSecure') === 1;
      case 'isEncrypted':
        return checkInt(lv.virConnectIsEncrypted(conn), 'virConnectIsEncrypted') === 1;
      case 'sysinfo':
        return checkString(lv.virConnectGetSysinfo(conn, 0), 'virConnectGetSysinfo');
      case 'domainCapabilities': {
        const q = (args[0] as DomainCapabilitiesQuery | undefined) ?? {};
        return checkString(
          lv.virConnectGetDomainCapabilities(conn, q.emulatorBin ?? null, q.arch ?? null, q.machine ?? null, q.virtType ?? null, 0),
          'virConnectGetDomainCapabilities',
        );
      }
      case 'listDomains':
        return listDomains(conn);
    }
  }

  function listDomains(conn: Pointer): unknown {
    const out: (Pointer | null)[] = [null];
    const n = checkInt(lv.virConnectListAllDomains(conn, out, 0), 'virConnectListAllDomains');
    const array = out[0];
    const domains = n > 0 && array ? (koffi.decode(array, 'void *', n) as Pointer[]) : [];
    try {
      return domains.map((dom) => {
        const uuid = Buffer.alloc(37);
        checkInt(lv.virDomainGetUUIDString(dom, uuid), 'virDomainGetUUIDString');
        const state = [0];
        const reason = [0];
        checkInt(lv.virDomainGetState(dom, state, reason, 0), 'virDomainGetState');
        const id = lv.virDomainGetID(dom) as number;
        return {
          name: checkString(lv.virDomainGetName(dom), 'virDomainGetName'),
          uuid: uuid.toString('latin1', 0, 36),
          state: DOMAIN_STATES[state[0]] ?? `state ${state[0]}`,
          reason: reason[0],
          id: id === NO_DOMAIN_ID ? null : id,
        };
      });
    } finally {
      for (const dom of domains) lv.virDomainFree(dom);
      if (array) libc.free(array);
    }
  }

  function close(connId: number, last: boolean): number {
    const conn = handle(connId);
    // Unregister before the last close so libvirt never calls back for a handle we dropped.
    if (last && closeCallbacks.delete(connId)) lv.virConnectUnregisterCloseCallback(conn, data.closeCallback);
    const remaining = checkInt(lv.virConnectClose(conn), 'virConnectClose');
    if (remaining === 0) handles.delete(connId);
    return remaining;
  }

  function run(id: number, req: OwnerRequest): unknown {
    switch (req.op) {
      case 'open':
        return open(id, req);
      case 'query':
        return query(handle(req.connId), req.method, req.args);
      case 'ref':
        return checkInt(lv.virConnectRef(handle(req.connId)), 'virConnectRef');
      case 'close':
        return close(req.connId, req.last);
      case 'libraryVersion': {
        const lib = [0];
        const type = [0];
        checkInt(lv.virGetVersion(lib, null, type), 'virGetVersion');
        return ulong(lib);
      }
    }
  }

  port!.on('message', (msg: Envelope<OwnerRequest>) => {
    let response: OwnerResponse;
    try {
      response = { id: msg.id, ok: true, value: run(msg.id, msg) };
    } catch (e) {
      response = e instanceof CallFailed ? { id: msg.id, ok: false, error: e.error, call: e.call } : { id: msg.id, ok: false, internal: e instanceof Error ? e.message : String(e) };
    }
    if (Atomics.load(abandoned, 0)) process.exit(0);
    port!.postMessage({ type: 'response', response } satisfies OwnerMessage);
  });
  port!.postMessage({ type: 'ready', tid: libc.gettid() as number } satisfies OwnerMessage);
}

// Syscalls a thread blocked on a libvirt socket sits in, per architecture.
const POLL_SYSCALLS: Record<string, number[]> = { x64: [7, 271], arm64: [73] };
const CONNECT_SYSCALLS: Record<string, number[]> = { x64: [42], arm64: [203] };
const SHUT_RDWR = 2;
const POLLFD_SIZE = 8;

/**
 * Shuts down the sockets the thread `tid` is blocked on (read from /proc/self/task/TID/syscall),
 * so the libvirt call it is in fails at once with libvirt's own I/O error. Linux only.
 */
function interruptThread(libc: Libc, tid: number): number[] {
  let fields: string[];
  try {
    fields = readFileSync(`/proc/self/task/${tid}/syscall`, 'utf8').trim().split(' ');
  } catch {
    return [];
  }
  const nr = Number(fields[0]);
  let fds: number[] = [];
  if (POLL_SYSCALLS[process.arch]?.includes(nr)) {
    const pollfds = BigInt(fields[1]);
    const count = Number(BigInt(fields[2]));
    for (let i = 0; i < count; i++) fds.push(koffi.decode(pollfds + BigInt(i * POLLFD_SIZE), 'int') as number);
  } else if (CONNECT_SYSCALLS[process.arch]?.includes(nr)) {
    fds = [Number(BigInt(fields[1]))];
  }
  return fds.filter((fd) => {
    try {
      // Only sockets: libvirt's wake-up pipe and anything else stay untouched.
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:') && libc.shutdown(fd, SHUT_RDWR) === 0;
    } catch {
      return false;
    }
  });
}

function runEvents(data: EventsData): void {
  const loaded = load(data.library);
  if (!loaded) return;
  const { lv, libc } = loaded;
  const post = (m: EventsMessage) => port!.postMessage(m);
  if (data.registerImpl && lv.virEventRegisterDefaultImpl() < 0) {
    post({ type: 'unavailable', library: data.library, detail: lastError(lv)?.message ?? 'virEventRegisterDefaultImpl failed' });
    return;
  }
  const closeCallback = koffi.register((_conn: Pointer, reason: number, opaque: Pointer | null) => {
    post({ type: 'closed', connId: Number(opaque ?? 0n), reason });
  }, koffi.pointer(virConnectCloseFunc));
  // Fires only while stopping, so the blocked iteration returns and sees the flag.
  const wake = koffi.register(() => undefined, koffi.pointer(virEventTimeoutCallback));
  let stopping = false;
  let wakeTimer = -1;

  const iterate = (): void => {
    lv.virEventRunDefaultImpl.async((_err: unknown) => {
      if (!stopping) {
        iterate();
        return;
      }
      lv.virEventRemoveTimeout(wakeTimer);
      post({ type: 'stopped' });
      port!.close();
    });
  };

  port!.on('message', (msg: EventsRequest) => {
    if (msg.op === 'interrupt') {
      post({ type: 'interrupted', tid: msg.tid, sockets: interruptThread(libc, msg.tid) });
    } else if (!stopping) {
      stopping = true;
      // Periodic rather than one-shot: another events thread may consume a single wake-up.
      wakeTimer = lv.virEventAddTimeout(50, wake, null, null) as number;
    }
  });
  post({ type: 'ready', closeCallback });
  iterate();
}

const data = workerData as OwnerData | EventsData;
if (data.role === 'owner') runOwner(data);
else runEvents(data);
