// The threads that talk to libvirt; the main thread only exchanges messages with them.
//
// owner:  one per connection (and one per open in progress). Makes that connection's libvirt
//         calls, synchronously, one request at a time, and reads the thread-local last error
//         right after a failing call. Credential callbacks run here, inside
//         virConnectOpenAuth, and block (Atomics.wait) until the main thread answers. A call
//         stuck on one host therefore never delays another connection.
// events: one per process. Runs virEventRunDefaultImpl in a loop so keepalive and dropped
//         links work, and hosts the close callback. Each iteration is a koffi `.async` call,
//         which leaves this thread's JS idle: libvirt calls the close callback from the loop
//         or from an owner's thread in the middle of a failing RPC, koffi forwards it here and
//         blocks the caller until it ran. Because this thread never makes a blocking libvirt
//         call itself, that wait always ends; hosting it on an owner could deadlock (the owner
//         may be waiting for the very lock libvirt holds while calling back). Being always
//         responsive, it also interrupts owners stuck in a socket wait on behalf of the main
//         thread, and ends the process when the main thread exits and an owner stays stuck.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
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
  type Libc,
  type Libvirt,
  type Pointer,
} from './ffi';
import {
  DOMAIN_STATES,
  OWNER_STATE,
  QUERY_CALLS,
  credentialTypeName,
  decodeVersion,
  type CredentialRequest,
  type DomainSummary,
  type Envelope,
  type EventsData,
  type EventsMessage,
  type EventsRequest,
  type Fact,
  type KeepAliveState,
  type NodeInfo,
  type OpenRequest,
  type Opened,
  type OwnerData,
  type OwnerMessage,
  type OwnerRequest,
  type OwnerResponse,
  type OwnerResults,
  type Queries,
  type QueryRequest,
} from './protocol';
import type { VirErrorData } from './errors';

const port = parentPort;
if (!port) throw new Error('worker.ts must run in a worker thread');

function load(library: string): { lv: Libvirt; libc: Libc } | null {
  try {
    const libc = loadLibc();
    return { lv: loadLibvirt(library, libc), libc };
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
  // libvirt thread would have to wait for.
  lv.virSetErrorFunc(null, lv.virResetError);

  const state = new Int32Array(data.state);
  const handles = new Map<number, Pointer>();
  const closeCallbacks = new Set<number>();
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
    if (!opening || Atomics.load(state, OWNER_STATE.ABANDONED)) return -1;
    const size = koffi.sizeof(virConnectCredential);
    const requests: CredentialRequest[] = [];
    for (let i = 0; i < ncred; i++) {
      const c = koffi.decode(creds + BigInt(i * size), virConnectCredential) as { type: number; prompt: string | null; challenge: string | null; defresult: string | null };
      requests.push({ type: c.type, typeName: credentialTypeName(c.type), prompt: c.prompt ?? '', challenge: c.challenge, defaultResult: c.defresult });
    }
    Atomics.store(state, OWNER_STATE.AUTH, 0);
    port!.postMessage({ type: 'credentials', id: opening.id, requests } satisfies OwnerMessage);
    const wait = opening.deadline === Infinity ? Infinity : Math.max(0, opening.deadline - Date.now());
    if (Atomics.wait(state, OWNER_STATE.AUTH, 0, wait) === 'timed-out') return -1;
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

  function open(id: number, req: OpenRequest): Opened {
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
    handles.set(req.connId, conn);
    if (Atomics.load(state, OWNER_STATE.ABANDONED)) return { closeCallback: false, keepalive: 'off' };
    const closeCallback = lv.virConnectRegisterCloseCallback(conn, data.closeCallback, BigInt(req.connId), null) === 0;
    if (closeCallback) closeCallbacks.add(req.connId);
    let keepalive: KeepAliveState = 'off';
    if (req.keepalive) {
      const r = lv.virConnectSetKeepAlive(conn, req.keepalive.interval, req.keepalive.count) as number;
      keepalive = r === 0 ? 'on' : r === 1 ? 'unsupported-by-server' : 'unsupported';
    }
    // In the same request: a view that shows the host right away costs no second round trip.
    return req.hostFacts ? { closeCallback, keepalive, hostFacts: queries.hostFacts(conn) } : { closeCallback, keepalive };
  }

  function handle(connId: number): Pointer {
    const h = handles.get(connId);
    if (h === undefined) throw new Error(`connection ${connId} is closed`);
    return h;
  }

  function ulong(out: unknown[]): number {
    return Number(out[0] as number | bigint);
  }

  // One function per query, typed by the Queries map in protocol.ts.
  const call = QUERY_CALLS;
  const queries: { [M in keyof Queries]: (conn: Pointer, ...args: Queries[M]['args']) => Queries[M]['result'] } = {
    capabilities: (conn) => checkString(lv.virConnectGetCapabilities(conn), call.capabilities),
    hostname: (conn) => checkString(lv.virConnectGetHostname(conn), call.hostname),
    uri: (conn) => checkString(lv.virConnectGetURI(conn), call.uri),
    type: (conn) => checkString(lv.virConnectGetType(conn), call.type),
    hypervisorVersion: (conn) => {
      const out = [0];
      checkInt(lv.virConnectGetVersion(conn, out), call.hypervisorVersion);
      return ulong(out);
    },
    libraryVersion: (conn) => {
      const out = [0];
      checkInt(lv.virConnectGetLibVersion(conn, out), call.libraryVersion);
      return ulong(out);
    },
    nodeInfo: (conn) => {
      const info: Record<string, unknown> = {};
      checkInt(lv.virNodeGetInfo(conn, info), call.nodeInfo);
      return { ...info, memory: Number(info.memory as number | bigint) } as NodeInfo;
    },
    freeMemory: (conn) => {
      const bytes = lv.virNodeGetFreeMemory(conn) as number | bigint;
      // 0 is how this call reports an error; a real 0 leaves no error behind.
      if (Number(bytes) === 0 && lastError(lv)) fail(call.freeMemory);
      return Number(bytes);
    },
    cellsFreeMemory: (conn, start, maxCells) => {
      const max = maxCells ?? REMOTE_NODE_MAX_CELLS;
      const out = new BigUint64Array(Math.max(1, max));
      const n = checkInt(lv.virNodeGetCellsFreeMemory(conn, out, start, max), call.cellsFreeMemory);
      return Array.from(out.subarray(0, n), Number);
    },
    maxVcpus: (conn, type) => checkInt(lv.virConnectGetMaxVcpus(conn, type), call.maxVcpus),
    isAlive: (conn) => checkInt(lv.virConnectIsAlive(conn), call.isAlive) === 1,
    isSecure: (conn) => checkInt(lv.virConnectIsSecure(conn), call.isSecure) === 1,
    isEncrypted: (conn) => checkInt(lv.virConnectIsEncrypted(conn), call.isEncrypted) === 1,
    sysinfo: (conn) => checkString(lv.virConnectGetSysinfo(conn, 0), call.sysinfo),
    domainCapabilities: (conn, q) =>
      checkString(
        lv.virConnectGetDomainCapabilities(conn, q.emulatorBin ?? null, q.arch ?? null, q.machine ?? null, q.virtType ?? null, 0),
        call.domainCapabilities,
      ),
    listDomains: (conn) => listDomains(conn),
    hostFacts: (conn) => {
      const fact = <T>(get: () => T): Fact<T> => {
        try {
          return { value: get() };
        } catch (e) {
          if (e instanceof CallFailed) return { error: e.error, call: e.call };
          throw e;
        }
      };
      return {
        uri: fact(() => queries.uri(conn)),
        type: fact(() => queries.type(conn)),
        hostname: fact(() => queries.hostname(conn)),
        hypervisorVersion: fact(() => decodeVersion(queries.hypervisorVersion(conn))),
        libraryVersion: fact(() => decodeVersion(queries.libraryVersion(conn))),
        nodeInfo: fact(() => queries.nodeInfo(conn)),
        freeMemory: fact(() => queries.freeMemory(conn)),
        cellsFreeMemory: fact(() => queries.cellsFreeMemory(conn, 0, null)),
        maxVcpus: fact(() => queries.maxVcpus(conn, null)),
        isSecure: fact(() => queries.isSecure(conn)),
        isEncrypted: fact(() => queries.isEncrypted(conn)),
        capabilities: fact(() => queries.capabilities(conn)),
        sysinfo: fact(() => queries.sysinfo(conn)),
        domains: fact(() => listDomains(conn)),
      };
    },
  };

  function query(req: QueryRequest): Queries[keyof Queries]['result'] {
    const fn = queries[req.method] as (conn: Pointer, ...args: unknown[]) => Queries[keyof Queries]['result'];
    return fn(handle(req.connId), ...req.args);
  }

  function listDomains(conn: Pointer): DomainSummary[] {
    const out: (Pointer | null)[] = [null];
    const n = checkInt(lv.virConnectListAllDomains(conn, out, 0), QUERY_CALLS.listDomains);
    const array = out[0];
    const domains = n > 0 && array ? (koffi.decode(array, 'void *', n) as Pointer[]) : [];
    try {
      return domains.map((dom) => {
        const uuid = Buffer.alloc(37);
        checkInt(lv.virDomainGetUUIDString(dom, uuid), 'virDomainGetUUIDString');
        const domState = [0];
        const reason = [0];
        checkInt(lv.virDomainGetState(dom, domState, reason, 0), 'virDomainGetState');
        const id = lv.virDomainGetID(dom) as number;
        return {
          name: checkString(lv.virDomainGetName(dom), 'virDomainGetName'),
          uuid: uuid.toString('latin1', 0, 36),
          state: DOMAIN_STATES[domState[0]] ?? `state ${domState[0]}`,
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
    if (remaining === 0 || last) handles.delete(connId);
    return remaining;
  }

  function run(id: number, req: OwnerRequest): OwnerResults[OwnerRequest['op']] {
    switch (req.op) {
      case 'open':
        return open(id, req);
      case 'query':
        return query(req);
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
      case 'retire':
        return retire();
    }
  }

  /** Nobody waits for this thread any more: release what it holds and end it. */
  function retire(): never {
    for (const [connId, conn] of handles) {
      if (closeCallbacks.delete(connId)) lv.virConnectUnregisterCloseCallback(conn, data.closeCallback);
      while ((lv.virConnectClose(conn) as number) > 0);
    }
    process.exit(0);
  }

  port!.on('message', (msg: Envelope<OwnerRequest>) => {
    if (Atomics.load(state, OWNER_STATE.ABANDONED)) retire();
    let response: OwnerResponse;
    Atomics.store(state, OWNER_STATE.CURRENT, msg.id);
    try {
      response = { id: msg.id, ok: true, value: run(msg.id, msg) };
    } catch (e) {
      response = e instanceof CallFailed ? { id: msg.id, ok: false, error: e.error, call: e.call } : { id: msg.id, ok: false, internal: e instanceof Error ? e.message : String(e) };
    } finally {
      Atomics.store(state, OWNER_STATE.CURRENT, 0);
      Atomics.notify(state, OWNER_STATE.CURRENT);
    }
    if (Atomics.load(state, OWNER_STATE.ABANDONED)) retire();
    port!.postMessage({ type: 'response', response } satisfies OwnerMessage);
  });
  port!.postMessage({ type: 'ready', tid: libc.gettid() as number } satisfies OwnerMessage);
}

// Syscalls a thread blocked inside libvirt's I/O sits in, per architecture.
const POLL_SYSCALLS: Record<string, number[]> = { x64: [7, 271], arm64: [73] };
const CONNECT_SYSCALLS: Record<string, number[]> = { x64: [42], arm64: [203] };
const READ_SYSCALLS: Record<string, number[]> = { x64: [0], arm64: [63] };
const SHUT_RDWR = 2;
const POLLFD_SIZE = 8;

/** Our own child processes (libvirt's `ext` command or `ssh`) that hold the pipe `link` open. */
function pipeHolders(link: string): number[] {
  const holders: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      // pid (comm) state ppid …; comm may hold spaces and parentheses.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      if (readdirSync(`/proc/${name}/fd`).some((fd) => readlinkSync(`/proc/${name}/fd/${fd}`) === link)) holders.push(Number(name));
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return holders;
}

/** Commands already asked to stop: a second interrupt kills them. */
const terminated = new Set<number>();

/**
 * Makes owner `tid` return from libvirt while it still runs `requestId` (a late interrupt
 * must never hit the owner's next call). Blocked on sockets (read from
 * /proc/self/task/TID/syscall): shuts them down, so the call fails at once with libvirt's own
 * I/O error. Blocked reading a pipe: that is the stderr of the command libvirt runs for the
 * `ext` and `ssh` transports, read to the end once the socket failed; the command is stopped
 * (SIGTERM, then SIGKILL on the next interrupt). Linux only.
 */
function interruptOwner(libc: Libc, tid: number, state: Int32Array, requestId: number): { sockets: number[]; commands: number[] } {
  const current = () => Atomics.load(state, OWNER_STATE.CURRENT) === requestId;
  const none = { sockets: [], commands: [] };
  // Elsewhere a stuck call is left to finish; its caller has its answer already.
  if (process.platform !== 'linux' || !libc.shutdown || !current()) return none;
  const shutdown = libc.shutdown;
  let fields: string[];
  try {
    fields = readFileSync(`/proc/self/task/${tid}/syscall`, 'utf8').trim().split(' ');
  } catch {
    return none;
  }
  const nr = Number(fields[0]);
  if (READ_SYSCALLS[process.arch]?.includes(nr)) {
    let link: string;
    try {
      link = readlinkSync(`/proc/self/fd/${Number(BigInt(fields[1]))}`);
    } catch {
      return none;
    }
    if (!link.startsWith('pipe:')) return none;
    const commands = pipeHolders(link).filter((pid) => {
      if (!current()) return false;
      try {
        process.kill(pid, terminated.has(pid) ? 'SIGKILL' : 'SIGTERM');
        terminated.add(pid);
        return true;
      } catch {
        return false;
      }
    });
    return { sockets: [], commands };
  }
  let fds: number[] = [];
  if (POLL_SYSCALLS[process.arch]?.includes(nr)) {
    const pollfds = BigInt(fields[1]);
    const count = Number(BigInt(fields[2]));
    for (let i = 0; i < count; i++) fds.push(koffi.decode(pollfds + BigInt(i * POLLFD_SIZE), 'int') as number);
  } else if (CONNECT_SYSCALLS[process.arch]?.includes(nr)) {
    fds = [Number(BigInt(fields[1]))];
  }
  const sockets = fds.filter((fd) => {
    try {
      // Only sockets: libvirt's wake-up pipe and anything else stay untouched.
      return readlinkSync(`/proc/self/fd/${fd}`).startsWith('socket:') && current() && shutdown(fd, SHUT_RDWR) === 0;
    } catch {
      return false;
    }
  });
  return { sockets, commands: [] };
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
  let stopping = false;
  let stopped = false;
  let wakeTimer = -1;
  const whenStopped: (() => void)[] = [];

  const iterate = (): void => {
    lv.virEventRunDefaultImpl.async((_err: unknown) => {
      if (!stopping) {
        iterate();
        return;
      }
      lv.virEventRemoveTimeout(wakeTimer);
      stopped = true;
      for (const f of whenStopped.splice(0)) f();
    });
  };

  function stop(then: () => void): void {
    if (stopped) then();
    else whenStopped.push(then);
    if (stopping) return;
    stopping = true;
    // Makes the blocked iteration return so it sees the flag. The callback is native (getpid
    // ignores its arguments): it must fire even once this thread's JS can no longer run.
    // Periodic rather than one-shot: another events thread may consume a single wake-up.
    wakeTimer = lv.virEventAddTimeout(50, libc.noop, null, null) as number;
  }

  port!.on('message', (msg: EventsRequest) => {
    switch (msg.op) {
      case 'interrupt':
        post({ type: 'interrupted', interruptId: msg.interruptId, ...interruptOwner(libc, msg.tid, new Int32Array(msg.state), msg.requestId) });
        break;
      case 'stop':
        stop(() => {
          post({ type: 'stopped' });
          port!.close();
        });
        break;
      case 'exit': {
        if (msg.exitCode !== undefined) libc._exit(msg.exitCode);
        const ack = new Int32Array(msg.ack);
        // ack[1] = 1 once the loop's last iteration has returned.
        stop(() => {
          Atomics.store(ack, 1, 1);
          Atomics.notify(ack, 1);
        });
        for (const owner of msg.owners) {
          const state = new Int32Array(owner.state);
          const requestId = Atomics.load(state, OWNER_STATE.CURRENT);
          if (requestId !== 0) interruptOwner(libc, owner.tid, state, requestId);
        }
        Atomics.store(ack, 0, 1);
        Atomics.notify(ack, 0);
        break;
      }
    }
  });
  post({ type: 'ready', closeCallback });
  iterate();
}

const data = workerData as OwnerData | EventsData;
if (data.role === 'owner') runOwner(data);
else runEvents(data);
