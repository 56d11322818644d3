// The main-thread face of libvirt: promises over messages to the threads in worker.ts.
import * as path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { LibvirtError, LibvirtUnavailableError, OpenCancelledError, authCancelled } from './errors';
import {
  CLOSE_REASONS,
  VIR_CRED,
  decodeVersion,
  type AdoptedConnection,
  type CloseReason,
  type CredentialRequest,
  type DomainCapabilitiesQuery,
  type DomainSummary,
  type EventsData,
  type EventsMessage,
  type EventsRequest,
  type KeepAlive,
  type NodeInfo,
  type OwnerData,
  type OwnerMessage,
  type OwnerRequest,
  type OwnerResponse,
  type QueryMethod,
  type Version,
} from './protocol';

const DEFAULT_LIBRARY = 'libvirt.so.0';
const VIR_CONNECT_RO = 1;
/** virsh's interval; three misses (about 15-20 s) declare a silent peer dead. */
const DEFAULT_KEEPALIVE: KeepAlive = { interval: 5, count: 3 };
/** How long a timed-out open may take to come back after its sockets were shut down. */
const INTERRUPT_GRACE_MS = 2000;

/**
 * libvirt's own default list (virConnectCredTypeDefault), which virsh and virt-manager use.
 * USERNAME is left out on purpose there: SASL would ask for the user twice.
 */
export const DEFAULT_CREDENTIAL_TYPES: readonly number[] = [VIR_CRED.AUTHNAME, VIR_CRED.ECHOPROMPT, VIR_CRED.REALM, VIR_CRED.PASSPHRASE, VIR_CRED.NOECHOPROMPT, VIR_CRED.EXTERNAL];

/** Answers, one per request in order (undefined leaves that one unanswered), or undefined to cancel. */
export type CredentialsHandler = (requests: CredentialRequest[]) => Promise<(string | undefined)[] | undefined> | (string | undefined)[] | undefined;

export interface OpenOptions {
  readOnly?: boolean;
  /** Give up after this long; the open is interrupted and rejects with OpenCancelledError. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Defaults to an interval of 5 s and a count of 3; false leaves keepalive off. */
  keepalive?: KeepAlive | false;
}

export interface OpenAuthOptions extends OpenOptions {
  credentials: CredentialsHandler;
  /** The `VIR_CRED_*` types offered to libvirt, in order; defaults to DEFAULT_CREDENTIAL_TYPES. */
  credentialTypes?: readonly number[];
}

function workerScript(): string {
  // Next to this module both in the bundle (dist/worker.js) and the transpile (out/.../worker.js).
  return path.join(__dirname, 'worker.js');
}

function libraryPath(): string {
  const override = process.env.VIRT_URI_LIBVIRT_SO;
  return override !== undefined && override !== '' ? override : DEFAULT_LIBRARY;
}

function toError(response: Extract<OwnerResponse, { ok: false }>): Error {
  return 'error' in response ? new LibvirtError(response.error, response.call) : new Error(response.internal);
}

/** The process-wide event loop thread: libvirt has one event implementation per process. */
class EventLoop {
  private static current: Promise<EventLoop> | null = null;
  private static users = 0;
  private static registered = false;
  /** Close notifications are routed by connection id, unique in the process. */
  private static readonly connections = new Map<number, Connection>();
  private static worker: Worker | null = null;

  /** Like an open socket, an open connection keeps the process alive: its drop may still be reported. */
  static track(conn: Connection): void {
    EventLoop.connections.set(conn.id, conn);
    EventLoop.worker?.ref();
  }

  static untrack(conn: Connection): void {
    EventLoop.connections.delete(conn.id);
    if (EventLoop.connections.size === 0) EventLoop.worker?.unref();
  }

  private readonly interrupts = new Map<number, (sockets: number[]) => void>();
  private stopped!: Promise<void>;

  private constructor(
    private readonly worker: Worker,
    readonly closeCallback: bigint,
  ) {}

  static acquire(library: string): Promise<EventLoop> {
    EventLoop.users++;
    if (!EventLoop.current) {
      EventLoop.current = EventLoop.spawn(library);
      EventLoop.current.catch(() => {
        EventLoop.current = null;
        EventLoop.users = 0;
      });
    }
    return EventLoop.current;
  }

  private static spawn(library: string): Promise<EventLoop> {
    const data: EventsData = { role: 'events', library, registerImpl: !EventLoop.registered };
    const worker = new Worker(workerScript(), { workerData: data });
    return new Promise<EventLoop>((resolve, reject) => {
      let loop: EventLoop | null = null;
      let onStopped: () => void = () => undefined;
      worker.on('message', (msg: EventsMessage) => {
        switch (msg.type) {
          case 'ready':
            EventLoop.registered = true;
            loop = new EventLoop(worker, msg.closeCallback);
            loop.stopped = new Promise<void>((r) => (onStopped = r));
            EventLoop.worker = worker;
            if (EventLoop.connections.size === 0) worker.unref();
            resolve(loop);
            break;
          case 'unavailable':
            reject(new LibvirtUnavailableError(msg.library, msg.detail));
            void worker.terminate();
            break;
          case 'closed':
            EventLoop.connections.get(msg.connId)?.dropped(CLOSE_REASONS[msg.reason] ?? 'error');
            break;
          case 'interrupted':
            loop?.interrupts.get(msg.tid)?.(msg.sockets);
            break;
          case 'stopped':
            onStopped();
            break;
        }
      });
      worker.on('error', reject);
      worker.on('exit', () => onStopped());
    });
  }

  /** Shuts down the sockets thread `tid` is blocked on; resolves with their descriptors. */
  interrupt(tid: number): Promise<number[]> {
    return new Promise((resolve) => {
      this.interrupts.set(tid, (sockets) => {
        this.interrupts.delete(tid);
        resolve(sockets);
      });
      this.worker.postMessage({ op: 'interrupt', tid } satisfies EventsRequest);
    });
  }

  static async release(): Promise<void> {
    if (!EventLoop.current || --EventLoop.users > 0) return;
    const loop = await EventLoop.current;
    EventLoop.current = null;
    EventLoop.worker = null;
    loop.worker.ref();
    loop.worker.postMessage({ op: 'stop' } satisfies EventsRequest);
    await loop.stopped;
    await loop.worker.terminate();
  }
}

interface Pending {
  request: OwnerRequest;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One owner worker; replaced by a fresh one when it stays stuck inside libvirt. */
class Owner {
  readonly worker: Worker;
  readonly abandoned = new Int32Array(new SharedArrayBuffer(4));
  private readonly authSignal = new Int32Array(new SharedArrayBuffer(4));
  private readonly authPort: MessagePort;
  readonly pending = new Map<number, Pending>();
  readonly ready: Promise<number>;
  private exited = false;

  constructor(
    library: string,
    closeCallback: bigint,
    adopt: AdoptedConnection[],
    private readonly onCredentials: (id: number, requests: CredentialRequest[]) => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.authPort = port1;
    const data: OwnerData = {
      role: 'owner',
      library,
      closeCallback,
      abandoned: this.abandoned.buffer as SharedArrayBuffer,
      authSignal: this.authSignal.buffer as SharedArrayBuffer,
      authPort: port2,
      adopt,
    };
    this.worker = new Worker(workerScript(), { workerData: data, transferList: [port2] });
    this.ready = new Promise<number>((resolve, reject) => {
      this.worker.on('message', (msg: OwnerMessage) => {
        switch (msg.type) {
          case 'ready':
            this.worker.unref();
            resolve(msg.tid);
            break;
          case 'unavailable':
            reject(new LibvirtUnavailableError(msg.library, msg.detail));
            break;
          case 'credentials':
            this.onCredentials(msg.id, msg.requests);
            break;
          case 'response':
            this.settle(msg.response);
            break;
        }
      });
      this.worker.on('error', (e) => {
        reject(e);
        this.failAll(e);
      });
      this.worker.on('exit', () => {
        this.exited = true;
        const e = new Error('the libvirt worker exited');
        reject(e);
        this.failAll(e);
      });
    });
  }

  private settle(response: OwnerResponse): void {
    const p = this.pending.get(response.id);
    if (!p) return;
    this.pending.delete(response.id);
    if (this.pending.size === 0) this.worker.unref();
    if (response.ok) p.resolve(response.value);
    else p.reject(toError(response));
  }

  private failAll(e: Error): void {
    for (const p of this.pending.values()) p.reject(e);
    this.pending.clear();
  }

  send(id: number, pending: Pending): void {
    if (this.exited) {
      pending.reject(new Error('the libvirt worker exited'));
      return;
    }
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(id, pending);
    this.worker.postMessage({ ...pending.request, id });
  }

  answerCredentials(answers: (string | null)[] | null): void {
    this.authPort.postMessage({ answers });
    Atomics.store(this.authSignal, 0, 1);
    Atomics.notify(this.authSignal, 0);
  }

  /** Leaves the worker to finish its stuck call on its own; it exits once that returns. */
  abandon(): Map<number, Pending> {
    Atomics.store(this.abandoned, 0, 1);
    this.answerCredentials(null);
    this.worker.removeAllListeners('message');
    this.worker.unref();
    const pending = new Map(this.pending);
    this.pending.clear();
    return pending;
  }

  async stop(): Promise<void> {
    this.authPort.close();
    await this.worker.terminate();
  }
}

interface CredentialRound {
  handler: CredentialsHandler;
  signal?: AbortSignal;
  /** set while libvirt waits inside virConnectOpenAuth for this open's answers */
  waiting: boolean;
  cancelled: boolean;
  /** The handler declined (returned undefined or threw), or the signal aborted a prompt. */
  declined: boolean;
}

/** A libvirt library instance owned by one worker thread. */
export class Hypervisor {
  private nextId = 1;
  private static nextConnId = 1;
  private readonly connections = new Set<Connection>();
  private readonly credentialRounds = new Map<number, CredentialRound>();
  private disposed = false;
  /** How many owner workers were given up on because a call stayed stuck inside libvirt. */
  replacedWorkers = 0;

  private constructor(
    private owner: Owner,
    private tid: number,
    private readonly events: EventLoop,
    private readonly library: string,
  ) {}

  /** Loads libvirt (VIRT_URI_LIBVIRT_SO or libvirt.so.0) on its threads; LibvirtUnavailableError if it cannot. */
  static async start(): Promise<Hypervisor> {
    const library = libraryPath();
    const events = await EventLoop.acquire(library);
    let hv: Hypervisor | null = null;
    const owner = new Owner(library, events.closeCallback, [], (id, requests) => hv?.credentialsRequested(id, requests));
    try {
      const tid = await owner.ready;
      hv = new Hypervisor(owner, tid, events, library);
      return hv;
    } catch (e) {
      await owner.stop();
      await EventLoop.release();
      throw e;
    }
  }

  private request<T>(request: OwnerRequest): { id: number; promise: Promise<T> } {
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => {
      if (this.disposed) reject(new Error('the hypervisor is disposed'));
      else this.owner.send(id, { request, resolve: resolve as (v: unknown) => void, reject });
    });
    return { id, promise };
  }

  /** @internal used by Connection */
  call<T>(request: OwnerRequest): Promise<T> {
    return this.request<T>(request).promise;
  }

  /** virGetVersion: the version of the libvirt library loaded here. */
  async libraryVersion(): Promise<Version> {
    return decodeVersion(await this.call<number>({ op: 'libraryVersion' }));
  }

  /** virConnectOpen, or virConnectOpenReadOnly with `readOnly`. A null URI lets libvirt pick its default. */
  open(uri: string | null, options: OpenOptions = {}): Promise<Connection> {
    return this.openConnection(uri, options, undefined);
  }

  /** virConnectOpenAuth: libvirt's credential requests go to `credentials`. */
  openAuth(uri: string | null, options: OpenAuthOptions): Promise<Connection> {
    return this.openConnection(uri, options, options);
  }

  private async openConnection(uri: string | null, options: OpenOptions, auth: OpenAuthOptions | undefined): Promise<Connection> {
    options.signal?.throwIfAborted();
    const connId = Hypervisor.nextConnId++;
    // The owner's own limit on waiting for answers is a backstop for a main thread that
    // never answers; normally the timer below refuses them first.
    const deadline = options.timeoutMs !== undefined ? Date.now() + options.timeoutMs + INTERRUPT_GRACE_MS : Infinity;
    const keepalive = options.keepalive === false ? null : (options.keepalive ?? DEFAULT_KEEPALIVE);
    const { id, promise } = this.request<{ handle: bigint; closeCallback: boolean; keepalive: Connection['keepalive'] }>({
      op: 'open',
      uri,
      flags: options.readOnly ? VIR_CONNECT_RO : 0,
      credentialTypes: auth ? [...(auth.credentialTypes ?? DEFAULT_CREDENTIAL_TYPES)] : undefined,
      connId,
      keepalive,
      deadline,
    });
    const round: CredentialRound | undefined = auth ? { handler: auth.credentials, signal: options.signal, waiting: false, cancelled: false, declined: false } : undefined;
    if (round) this.credentialRounds.set(id, round);

    let cancel: (reason: 'timeout' | 'aborted') => void = () => undefined;
    const cancelled = new Promise<'timeout' | 'aborted'>((resolve) => (cancel = resolve));
    const timer = options.timeoutMs !== undefined ? setTimeout(() => cancel('timeout'), options.timeoutMs) : undefined;
    const onAbort = () => cancel('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const outcome = promise.then(
      (value) => ({ value }),
      (error: Error) => ({ error }),
    );
    try {
      const first = await Promise.race([outcome, cancelled]);
      if (typeof first === 'object') {
        if ('error' in first) throw round?.declined && first.error instanceof LibvirtError ? authCancelled(first.error) : first.error;
        return this.adopt(connId, uri, first.value);
      }
      return await this.cancelOpen(first, uri, connId, id, outcome, round);
    } finally {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      this.credentialRounds.delete(id);
    }
  }

  private async cancelOpen(
    reason: 'timeout' | 'aborted',
    uri: string | null,
    connId: number,
    id: number,
    outcome: Promise<{ value: { handle: bigint; closeCallback: boolean; keepalive: Connection['keepalive'] } } | { error: Error }>,
    round: CredentialRound | undefined,
  ): Promise<never> {
    if (round) round.cancelled = true;
    if (round?.waiting) {
      // libvirt waits for our answers: refusing them makes it fail in its own words.
      round.waiting = false;
      round.declined = true;
      this.owner.answerCredentials(null);
    } else {
      await this.events.interrupt(this.tid);
    }
    let grace: NodeJS.Timeout | undefined;
    const late = await Promise.race([outcome, new Promise<null>((r) => (grace = setTimeout(() => r(null), INTERRUPT_GRACE_MS)))]);
    clearTimeout(grace);
    if (late === null) {
      this.replaceOwner(id);
      throw new OpenCancelledError(reason, uri);
    }
    if ('value' in late) {
      // It opened after all; nobody asked for it any more.
      await this.adopt(connId, uri, late.value).close();
      throw new OpenCancelledError(reason, uri);
    }
    // An abort answered with a refusal: libvirt's own verdict (auth failed / cancelled) is the outcome.
    if (round?.declined && reason === 'aborted' && late.error instanceof LibvirtError) throw authCancelled(late.error);
    throw new OpenCancelledError(reason, uri, late.error instanceof LibvirtError ? late.error : undefined);
  }

  private replaceOwner(stuckId: number): void {
    const pending = this.owner.abandon();
    pending.delete(stuckId);
    const adopt = [...this.connections].map((c) => c.adoption());
    this.owner = new Owner(this.library, this.events.closeCallback, adopt, (id, requests) => this.credentialsRequested(id, requests));
    this.replacedWorkers++;
    this.owner.ready.then(
      (tid) => (this.tid = tid),
      () => undefined,
    );
    for (const [id, p] of pending) this.owner.send(id, p);
  }

  private adopt(connId: number, uri: string | null, opened: { handle: bigint; closeCallback: boolean; keepalive: Connection['keepalive'] }): Connection {
    const conn = new Connection(this, connId, uri, opened.handle, opened.closeCallback, opened.keepalive);
    this.connections.add(conn);
    EventLoop.track(conn);
    return conn;
  }

  /** @internal */
  forget(conn: Connection): void {
    this.connections.delete(conn);
    EventLoop.untrack(conn);
  }

  private credentialsRequested(id: number, requests: CredentialRequest[]): void {
    const round = this.credentialRounds.get(id);
    if (!round || round.cancelled || round.signal?.aborted) {
      if (round) round.declined = true;
      this.owner.answerCredentials(null);
      return;
    }
    round.waiting = true;
    const owner = this.owner;
    void (async () => {
      let answers: (string | null)[] | null = null;
      try {
        const given = await round.handler(requests);
        if (given) answers = requests.map((_, i) => given[i] ?? null);
      } catch {
        answers = null;
      }
      if (answers === null || round.signal?.aborted) round.declined = true;
      // Cancelled meanwhile: the refusal has already been sent.
      if (!round.waiting || owner !== this.owner) return;
      round.waiting = false;
      owner.answerCredentials(round.signal?.aborted ? null : answers);
    })();
  }

  /** Closes every connection still open and stops the threads. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    await Promise.allSettled([...this.connections].map((c) => c.closeAll()));
    this.disposed = true;
    await this.owner.stop();
    await EventLoop.release();
  }
}

export type CloseListener = (reason: CloseReason) => void;

/** A `virConnectPtr` owned by the hypervisor's worker. */
export class Connection {
  private refs = 1;
  private listeners = new Set<CloseListener>();
  /** Why libvirt reported the link closed, once it did. */
  closeReason: CloseReason | null = null;
  private closed = false;

  /** @internal */
  constructor(
    private readonly hv: Hypervisor,
    readonly id: number,
    /** The URI as given to open (null: libvirt's default). */
    readonly requestedUri: string | null,
    private readonly handle: bigint,
    /** Whether the driver accepted virConnectRegisterCloseCallback. */
    readonly closeCallback: boolean,
    /** Result of virConnectSetKeepAlive: `unsupported` for local drivers. */
    readonly keepalive: 'off' | 'on' | 'unsupported' | 'unsupported-by-server',
  ) {}

  /** @internal */
  adoption(): AdoptedConnection {
    return { connId: this.id, handle: this.handle };
  }

  /** @internal called on the close callback */
  dropped(reason: CloseReason): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    for (const listener of this.listeners) listener(reason);
  }

  /** Called when libvirt reports the connection closed (EOF, keepalive timeout, error). */
  onClose(listener: CloseListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private query<T>(method: QueryMethod, ...args: unknown[]): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the connection is closed'));
    return this.hv.call<T>({ op: 'query', connId: this.id, method, args });
  }

  /** virConnectGetCapabilities */
  capabilities(): Promise<string> {
    return this.query('capabilities');
  }
  /** virConnectGetHostname */
  hostname(): Promise<string> {
    return this.query('hostname');
  }
  /** virConnectGetURI: the canonical URI of this connection */
  uri(): Promise<string> {
    return this.query('uri');
  }
  /** virConnectGetType, e.g. `QEMU`, `TEST` */
  type(): Promise<string> {
    return this.query('type');
  }
  /** virConnectGetVersion; 0.0.0 when the driver does not know */
  async hypervisorVersion(): Promise<Version> {
    return decodeVersion(await this.query<number>('hypervisorVersion'));
  }
  /** virConnectGetLibVersion: libvirt's version on the far side */
  async libraryVersion(): Promise<Version> {
    return decodeVersion(await this.query<number>('libraryVersion'));
  }
  /** virNodeGetInfo */
  nodeInfo(): Promise<NodeInfo> {
    return this.query('nodeInfo');
  }
  /** virNodeGetFreeMemory, in bytes */
  freeMemory(): Promise<number> {
    return this.query('freeMemory');
  }
  /** virNodeGetCellsFreeMemory: bytes free per NUMA cell from `startCell` */
  cellsFreeMemory(startCell = 0, maxCells?: number): Promise<number[]> {
    return this.query('cellsFreeMemory', startCell, maxCells);
  }
  /** virConnectGetMaxVcpus for a domain type (`kvm`, `qemu`, …) or the driver's default */
  maxVcpus(type?: string): Promise<number> {
    return this.query('maxVcpus', type);
  }
  /** virConnectIsAlive */
  isAlive(): Promise<boolean> {
    return this.query('isAlive');
  }
  /** virConnectIsSecure */
  isSecure(): Promise<boolean> {
    return this.query('isSecure');
  }
  /** virConnectIsEncrypted */
  isEncrypted(): Promise<boolean> {
    return this.query('isEncrypted');
  }
  /** virConnectGetSysinfo: SMBIOS `<sysinfo>` XML */
  sysinfo(): Promise<string> {
    return this.query('sysinfo');
  }
  /** virConnectGetDomainCapabilities; libvirt refuses it on read-only connections */
  domainCapabilities(query: DomainCapabilitiesQuery = {}): Promise<string> {
    return this.query('domainCapabilities', query);
  }
  /** virConnectListAllDomains with each domain's name, UUID, state and id */
  listDomains(): Promise<DomainSummary[]> {
    return this.query('listDomains');
  }

  /** virConnectRef: one more reference, to be released by one more close(). */
  async ref(): Promise<void> {
    if (this.closed) throw new Error('the connection is closed');
    await this.hv.call({ op: 'ref', connId: this.id });
    this.refs++;
  }

  /** virConnectClose: releases one reference; resolves with libvirt's answer, 1 while references remain and 0 once closed. */
  async close(): Promise<number> {
    if (this.closed) throw new Error('the connection is closed');
    const remaining = await this.hv.call<number>({ op: 'close', connId: this.id, last: this.refs === 1 });
    this.refs--;
    if (remaining === 0 || this.refs === 0) {
      this.closed = true;
      this.hv.forget(this);
    }
    return remaining;
  }

  /** @internal releases every reference */
  async closeAll(): Promise<void> {
    while (!this.closed) await this.close();
  }
}
