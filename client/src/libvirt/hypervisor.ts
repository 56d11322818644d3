// The main-thread face of libvirt: promises over messages to the threads in worker.ts.
//
// What it guarantees: every call settles by its deadline (a hung host costs its caller the
// deadline and nothing more); a connection's calls run on a thread of their own, so a stuck
// host never delays another connection; and the process can always exit promptly, whatever
// libvirt is doing (see exitHook).
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import { CallTimeoutError, LibvirtError, LibvirtUnavailableError, OpenCancelledError, authCancelled } from './errors';
import { LIBRARY_ENV, chooseLibrary } from './library';
import {
  CLOSE_REASONS,
  OWNER_STATE,
  QUERY_CALLS,
  VIR_CRED,
  decodeVersion,
  type CloseReason,
  type CredentialRequest,
  type DomainCapabilitiesQuery,
  type DomainSummary,
  type EventsData,
  type EventsMessage,
  type Envelope,
  type EventsRequest,
  type HostFacts,
  type KeepAlive,
  type KeepAliveState,
  type NodeInfo,
  type Opened,
  type OwnerData,
  type OwnerMessage,
  type OwnerRequest,
  type OwnerResponse,
  type Queries,
  type QueryMethod,
  type Version,
} from './protocol';

const VIR_CONNECT_RO = 1;
/** virsh's interval; three misses (about 15-20 s) declare a silent peer dead. */
const DEFAULT_KEEPALIVE: KeepAlive = { interval: 5, count: 3 };
/** How long one call may take unless the caller or the connection says otherwise. */
export const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** setTimeout's limit: longer delays fire at once. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;
/** How long an interrupted call may take to come back before its thread is given up. */
const INTERRUPT_GRACE_MS = 2000;
/** Interrupts repeat until the call returns: the first may land before it reaches its socket wait. */
const INTERRUPT_RETRY_MS = 100;
/** How long an exiting process waits for libvirt's threads before it ends them. */
const EXIT_GRACE_MS = 1500;
/** How long dispose() lets each connection's close take. */
const DISPOSE_CLOSE_TIMEOUT_MS = 5000;
/** Threads kept for the next open; more would only hold memory. */
const IDLE_OWNERS = 2;

/**
 * libvirt's own default list (virConnectCredTypeDefault), which virsh and virt-manager use.
 * USERNAME is left out on purpose there: SASL would ask for the user twice.
 */
export const DEFAULT_CREDENTIAL_TYPES: readonly number[] = [VIR_CRED.AUTHNAME, VIR_CRED.ECHOPROMPT, VIR_CRED.REALM, VIR_CRED.PASSPHRASE, VIR_CRED.NOECHOPROMPT, VIR_CRED.EXTERNAL];

/** Answers, one per request in order (undefined leaves that one unanswered), or undefined to cancel. */
export type CredentialsHandler = (requests: CredentialRequest[]) => Promise<(string | undefined)[] | undefined> | (string | undefined)[] | undefined;

/** Limits of one call on a connection. */
export interface CallOptions {
  /**
   * Give up after this long (default: the connection's `callTimeoutMs`): the call rejects with
   * CallTimeoutError and, since the host stopped answering, the connection is dropped.
   */
  timeoutMs?: number;
  /** Stop waiting: the call rejects with the signal's reason; its answer is dropped. */
  signal?: AbortSignal;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** Give up after this long; the open is interrupted and rejects with OpenCancelledError. */
  timeoutMs?: number;
  signal?: AbortSignal;
  /** Defaults to an interval of 5 s and a count of 3; false leaves keepalive off. */
  keepalive?: KeepAlive | false;
  /** The deadline of each call on the connection that sets none (default 60 s). */
  callTimeoutMs?: number;
  /** Gather the host facts in the open's own request: `Connection.openFacts` (bounded by `timeoutMs`). */
  hostFacts?: boolean;
}

export interface OpenAuthOptions extends OpenOptions {
  credentials: CredentialsHandler;
  /**
   * Stop the `timeoutMs` clock while `credentials` is answering: a person typing a password
   * is not a slow host. Default false (the timeout bounds everything).
   */
  pauseWhilePrompting?: boolean;
  /** The `VIR_CRED_*` types offered to libvirt, in order; defaults to DEFAULT_CREDENTIAL_TYPES. */
  credentialTypes?: readonly number[];
}

function workerScript(): string {
  // Next to this module both in the bundle (dist/worker.js) and the transpile (out/.../worker.js).
  return path.join(__dirname, 'worker.js');
}

function toError(response: Extract<OwnerResponse, { ok: false }>): Error {
  return 'error' in response ? new LibvirtError(response.error, response.call) : new Error(response.internal);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function checkTimeout(ms: number | undefined, what: string): void {
  if (ms !== undefined && !(ms >= 0 && ms <= MAX_TIMEOUT_MS)) throw new RangeError(`${what} must be between 0 and ${MAX_TIMEOUT_MS} ms, not ${ms}`);
}

/** Every owner thread still alive in this process, abandoned ones included: exitHook waits for them. */
const liveOwners = new Set<Owner>();

/** The process-wide event loop thread: libvirt has one event implementation per process. */
class EventLoop {
  private static current: Promise<EventLoop> | null = null;
  /** Loops whose thread runs, for the exit hook (which cannot await). */
  static readonly alive = new Set<EventLoop>();
  /** The loop new connections report to. */
  static running: EventLoop | null = null;
  private static users = 0;
  private static registered = false;
  /** Close notifications are routed by connection id, unique in the process. */
  private static readonly connections = new Map<number, Connection>();

  /** Like an open socket, an open connection keeps the process alive: its drop may still be reported. */
  static track(conn: Connection): void {
    EventLoop.connections.set(conn.id, conn);
    EventLoop.running?.holdProcess();
  }

  static untrack(conn: Connection): void {
    EventLoop.connections.delete(conn.id);
    EventLoop.running?.holdProcess();
  }

  /** Keeps the process alive while connections are open or an interrupt's answer is awaited. */
  private holdProcess(): void {
    if (EventLoop.connections.size > 0 || this.interrupts.size > 0) this.worker.ref();
    else this.worker.unref();
  }

  private readonly interrupts = new Map<number, () => void>();
  private nextInterrupt = 1;
  private stopped!: Promise<void>;

  private constructor(
    readonly worker: Worker,
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
    installExitHook();
    return new Promise<EventLoop>((resolve, reject) => {
      let loop: EventLoop | null = null;
      let onStopped: () => void = () => undefined;
      worker.on('message', (msg: EventsMessage) => {
        switch (msg.type) {
          case 'ready':
            EventLoop.registered = true;
            loop = new EventLoop(worker, msg.closeCallback);
            loop.stopped = new Promise<void>((r) => (onStopped = r));
            EventLoop.running = loop;
            EventLoop.alive.add(loop);
            loop.holdProcess();
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
            loop?.interrupts.get(msg.interruptId)?.();
            break;
          case 'stopped':
            onStopped();
            break;
        }
      });
      worker.on('error', (e) => {
        // Loading koffi is the thread's first step: missing, or without a build for this platform.
        reject(!loop && /koffi/i.test(e.message) ? new LibvirtUnavailableError(library, e.message, 'koffi') : e);
      });
      worker.on('exit', () => {
        if (loop) {
          EventLoop.alive.delete(loop);
          // Nobody is left to interrupt anything.
          for (const done of loop.interrupts.values()) done();
        }
        if (EventLoop.running === loop) EventLoop.running = null;
        onStopped();
      });
    });
  }

  /** Makes `owner` return from libvirt while it runs request `requestId`; resolves once tried. */
  interrupt(owner: Owner, requestId: number): Promise<void> {
    if (!EventLoop.alive.has(this)) return Promise.resolve();
    const interruptId = this.nextInterrupt++;
    return new Promise((resolve) => {
      this.interrupts.set(interruptId, () => {
        this.interrupts.delete(interruptId);
        this.holdProcess();
        resolve();
      });
      this.holdProcess();
      this.worker.postMessage({ op: 'interrupt', interruptId, tid: owner.tid, state: owner.sharedState, requestId } satisfies EventsRequest);
    });
  }

  static async release(): Promise<void> {
    if (!EventLoop.current || --EventLoop.users > 0) return;
    const loop = await EventLoop.current;
    EventLoop.current = null;
    EventLoop.running = null;
    // A thread inside libvirt may still call the close callback, which lives on this loop's
    // thread; one abandoned there needs the loop to end the process at exit. Both keep it.
    if ([...liveOwners].some((o) => o.abandoned || o.busy)) return;
    loop.worker.ref();
    loop.worker.postMessage({ op: 'stop' } satisfies EventsRequest);
    await loop.stopped;
    await loop.worker.terminate();
  }
}

let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', exitHook);
}

/**
 * Node joins every thread before the process ends, and a thread inside a libvirt call cannot
 * be joined: an events iteration blocks in poll() with no timeout, an owner in a call to a
 * silent host. So on exit (process.exit, an uncaught exception, or the loop running dry) the
 * events thread stops its loop and shuts the sockets busy owners wait on; owners waiting for
 * credential answers are refused. Whatever is still inside libvirt after EXIT_GRACE_MS (an
 * open(2) on a FIFO, a DNS lookup) cannot be reached, and then the events thread ends the
 * process with the exit code at once.
 */
function exitHook(code: number): void {
  const loops = [...EventLoop.alive];
  const owners = [...liveOwners].filter((o) => o.started);
  for (const owner of owners) owner.refuseCredentials();
  if (loops.length === 0) return;
  const deadline = Date.now() + EXIT_GRACE_MS;
  const waitFor = (array: Int32Array, index: number, done: (v: number) => boolean): boolean => {
    for (;;) {
      const value = Atomics.load(array, index);
      if (done(value)) return true;
      const left = deadline - Date.now();
      if (left <= 0) return false;
      Atomics.wait(array, index, value, left);
    }
  };
  // ack[0]: the interrupts were made; ack[1]: the loop's last iteration returned.
  const acks = loops.map((loop, i) => {
    const ack = new Int32Array(new SharedArrayBuffer(8));
    const busy = i === 0 ? owners.map((o) => ({ tid: o.tid, state: o.sharedState })) : [];
    loop.worker.postMessage({ op: 'exit', owners: busy, ack: ack.buffer as SharedArrayBuffer } satisfies EventsRequest);
    return ack;
  });
  const settled =
    acks.every((ack) => waitFor(ack, 0, (v) => v === 1)) &&
    owners.every((o) => waitFor(o.state, OWNER_STATE.CURRENT, (v) => v === 0)) &&
    acks.every((ack) => waitFor(ack, 1, (v) => v === 1));
  if (settled) return;
  loops[0].worker.postMessage({ op: 'exit', owners: [], ack: acks[0].buffer as SharedArrayBuffer, exitCode: code } satisfies EventsRequest);
  // The events thread ends the process; this wait only keeps Node from joining threads meanwhile.
  Atomics.wait(acks[0], 0, 1, EXIT_GRACE_MS);
}

interface Pending {
  request: OwnerRequest;
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** One owner thread: the connection it opened, or none while it waits in the idle pool. */
class Owner {
  readonly worker: Worker;
  readonly state = new Int32Array(new SharedArrayBuffer(OWNER_STATE.SIZE * 4));
  private readonly authPort: MessagePort;
  private readonly pending = new Map<number, Pending>();
  readonly ready: Promise<void>;
  /** The thread's kernel id, once ready (0 before, and where only Linux needs it). */
  tid = 0;
  /** The thread has loaded libvirt and takes requests. */
  started = false;
  private exited = false;
  abandoned = false;

  constructor(
    library: string,
    closeCallback: bigint,
    private readonly onCredentials: (owner: Owner, id: number, requests: CredentialRequest[]) => void,
  ) {
    const { port1, port2 } = new MessageChannel();
    this.authPort = port1;
    const data: OwnerData = { role: 'owner', library, closeCallback, state: this.sharedState, authPort: port2 };
    this.worker = new Worker(workerScript(), { workerData: data, transferList: [port2] });
    liveOwners.add(this);
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.on('message', (msg: OwnerMessage) => {
        switch (msg.type) {
          case 'ready':
            this.tid = msg.tid;
            this.started = true;
            if (this.pending.size === 0) this.worker.unref();
            resolve();
            break;
          case 'unavailable':
            reject(new LibvirtUnavailableError(msg.library, msg.detail));
            break;
          case 'credentials':
            this.onCredentials(this, msg.id, msg.requests);
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
        liveOwners.delete(this);
        const e = new Error('the libvirt worker exited');
        reject(e);
        this.failAll(e);
      });
    });
  }

  get sharedState(): SharedArrayBuffer {
    return this.state.buffer as SharedArrayBuffer;
  }

  get idle(): boolean {
    return this.pending.size === 0 && !this.abandoned && !this.exited;
  }

  /** Inside a libvirt call right now. */
  get busy(): boolean {
    return !this.exited && Atomics.load(this.state, OWNER_STATE.CURRENT) !== 0;
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

  /** Whether request `id` is still waiting for its answer. */
  has(id: number): boolean {
    return this.pending.has(id);
  }

  send(id: number, pending: Pending): void {
    if (this.exited || this.abandoned) {
      pending.reject(new Error('the libvirt worker exited'));
      return;
    }
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(id, pending);
    this.worker.postMessage({ ...pending.request, id });
  }

  answerCredentials(answers: (string | null)[] | null): void {
    this.authPort.postMessage({ answers });
    Atomics.store(this.state, OWNER_STATE.AUTH, 1);
    Atomics.notify(this.state, OWNER_STATE.AUTH);
  }

  /** Ends a credential wait with no answer (nothing posted: the callback refuses). */
  refuseCredentials(): void {
    Atomics.store(this.state, OWNER_STATE.AUTH, 1);
    Atomics.notify(this.state, OWNER_STATE.AUTH);
  }

  /**
   * Gives up on a thread stuck inside libvirt: its callers get `error`, and the thread
   * releases what it holds and ends once libvirt returns.
   */
  abandon(error: Error): void {
    if (this.abandoned) return;
    this.abandoned = true;
    Atomics.store(this.state, OWNER_STATE.ABANDONED, 1);
    this.refuseCredentials();
    this.worker.unref();
    this.failAll(error);
    // An owner that returned meanwhile only sees the flag with its next message.
    this.worker.postMessage({ op: 'retire', id: 0 } satisfies Envelope<OwnerRequest>);
  }

  async stop(): Promise<void> {
    this.authPort.close();
    if (Atomics.load(this.state, OWNER_STATE.CURRENT) !== 0) this.abandon(new Error('the hypervisor is disposed'));
    else await this.worker.terminate();
  }
}

/** An open's timeout that can be paused (nested: it runs again once every pause is resumed). */
class OpenClock {
  private timer: NodeJS.Timeout | undefined;
  private armedAt = 0;
  private pauses = 0;
  private running = false;

  constructor(
    private left: number | undefined,
    private readonly onTimeout: () => void,
  ) {}

  start(): void {
    this.running = true;
    this.arm();
  }

  private arm(): void {
    if (this.left === undefined || !this.running || this.pauses > 0) return;
    this.armedAt = Date.now();
    this.timer = setTimeout(this.onTimeout, this.left);
  }

  pause(): void {
    if (this.pauses++ > 0 || this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.left = Math.max(0, this.left! - (Date.now() - this.armedAt));
  }

  resume(): void {
    if (this.pauses > 0 && --this.pauses === 0) this.arm();
  }

  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

interface CredentialRound {
  handler: CredentialsHandler;
  signal?: AbortSignal;
  /** Set with pauseWhilePrompting: stops and restarts the open's timeout around the handler. */
  clock?: OpenClock;
  /** set while libvirt waits inside virConnectOpenAuth for this open's answers */
  waiting: boolean;
  cancelled: boolean;
  /** The handler declined (returned undefined or threw), or the signal aborted a prompt. */
  declined: boolean;
}

type Outcome<T> = { value: T } | { error: Error };

export interface StartOptions {
  /** The libvirt library to load, e.g. from the `libvirt.libraryPath` setting; wins over the lookup. */
  libraryPath?: string;
}

/** A libvirt library instance: one owner thread per connection, one events thread per process. */
export class Hypervisor {
  private nextId = 1;
  private static nextConnId = 1;
  private readonly connections = new Set<Connection>();
  private readonly credentialRounds = new Map<number, CredentialRound>();
  /** Threads ready for the next open. */
  private readonly idle: Owner[] = [];
  private disposed = false;
  /** How many owner threads were given up on because a call stayed stuck inside libvirt. */
  abandonedThreads = 0;
  /** Connections being cut off after a call timed out: dispose() waits for them. */
  private readonly cuttingOff = new Set<Promise<void>>();
  /** The timeouts of opens in progress, and how many holdTimeouts() are in force. */
  private readonly clocks = new Set<OpenClock>();
  private holds = 0;

  private constructor(
    private readonly events: EventLoop,
    private readonly library: string,
  ) {}

  /**
   * Loads libvirt on its threads: `libraryPath`, else VIRT_URI_LIBVIRT_SO, else the platform's
   * library (library.ts). LibvirtUnavailableError if koffi or the library cannot be loaded.
   */
  static async start(options: StartOptions = {}): Promise<Hypervisor> {
    const library = chooseLibrary(process.platform, { explicit: options.libraryPath, env: process.env[LIBRARY_ENV] }, existsSync);
    const events = await EventLoop.acquire(library);
    const hv = new Hypervisor(events, library);
    try {
      hv.idle.push(await hv.spawn());
      return hv;
    } catch (e) {
      await EventLoop.release();
      throw e;
    }
  }

  private async spawn(): Promise<Owner> {
    const owner = new Owner(this.library, this.events.closeCallback, (o, id, requests) => this.credentialsRequested(o, id, requests));
    try {
      await owner.ready;
    } catch (e) {
      await owner.stop();
      throw e;
    }
    return owner;
  }

  private take(): Promise<Owner> {
    if (this.disposed) return Promise.reject(new Error('the hypervisor is disposed'));
    const owner = this.idle.pop();
    return owner ? Promise.resolve(owner) : this.spawn();
  }

  /** Back to the pool, or ended when the pool is full, the thread is busy or abandoned. */
  private giveBack(owner: Owner): void {
    if (owner.idle && !this.disposed && this.idle.length < IDLE_OWNERS) this.idle.push(owner);
    else void owner.stop();
  }

  private send<T>(owner: Owner, request: OwnerRequest): { id: number; promise: Promise<T> } {
    const id = this.nextId++;
    const promise = new Promise<T>((resolve, reject) => owner.send(id, { request, resolve: resolve as (v: unknown) => void, reject }));
    return { id, promise };
  }

  /**
   * Shuts the sockets `owner` waits on in request `id`, again and again until the request
   * returns; false when it is still inside libvirt after INTERRUPT_GRACE_MS (then the thread
   * is abandoned with `error`).
   */
  private async interruptUntilReturned(owner: Owner, id: number, returned: Promise<unknown>, error: Error): Promise<boolean> {
    let done = false;
    const settled = returned.then(
      () => (done = true),
      () => (done = true),
    );
    const giveUp = Date.now() + INTERRUPT_GRACE_MS;
    while (!done && owner.has(id) && Date.now() < giveUp) {
      await this.events.interrupt(owner, id);
      await Promise.race([settled, delay(Math.min(INTERRUPT_RETRY_MS, giveUp - Date.now()))]);
    }
    if (done || !owner.has(id)) return true;
    this.abandonedThreads++;
    owner.abandon(error);
    return false;
  }

  /**
   * One request with a deadline: rejects with CallTimeoutError when the deadline passes and
   * hands the still-running request to `onTimeout`, or with the signal's reason on abort (the
   * request runs on, still bounded by its deadline, and its answer is dropped).
   * @internal used by Connection
   */
  call<T>(owner: Owner, request: OwnerRequest, what: string, timeoutMs: number, signal: AbortSignal | undefined, onTimeout: (id: number, running: Promise<unknown>, error: CallTimeoutError) => void): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const { id, promise } = this.send<T>(owner, request);
    return new Promise<T>((resolve, reject) => {
      let settled = false;
      const finish = (f: () => void) => {
        if (settled) return;
        settled = true;
        signal?.removeEventListener('abort', onAbort);
        f();
      };
      const onAbort = () => finish(() => reject(signal!.reason as Error));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => {
        const error = new CallTimeoutError(what, timeoutMs);
        finish(() => reject(error));
        onTimeout(id, promise, error);
      }, timeoutMs);
      promise.then(
        (value) => {
          clearTimeout(timer);
          finish(() => resolve(value));
        },
        (error: Error) => {
          clearTimeout(timer);
          finish(() => reject(error));
        },
      );
    });
  }

  /**
   * @internal A call on `conn` got no answer in time: cut the host off (libvirt fails the call
   * and every later one on the link), then release the handle and the thread.
   */
  unresponsive(conn: Connection, owner: Owner, id: number, running: Promise<unknown>, error: CallTimeoutError): void {
    const done = this.cutOff(conn, owner, id, running, error).finally(() => this.cuttingOff.delete(done));
    this.cuttingOff.add(done);
  }

  private async cutOff(conn: Connection, owner: Owner, id: number, running: Promise<unknown>, error: CallTimeoutError): Promise<void> {
    if (await this.interruptUntilReturned(owner, id, running, error)) {
      // The link is dead, so libvirt releases the handle without waiting for the host.
      const closed = this.send<number>(owner, { op: 'close', connId: conn.id, last: true }).promise.then(
        () => true,
        () => true,
      );
      if (!(await Promise.race([closed, delay(INTERRUPT_GRACE_MS).then(() => false)]))) {
        this.abandonedThreads++;
        owner.abandon(error);
      }
    }
    this.forget(conn, owner);
  }

  /** virGetVersion: the version of the libvirt library loaded here. */
  async libraryVersion(): Promise<Version> {
    const owner = await this.take();
    try {
      return decodeVersion(await this.send<number>(owner, { op: 'libraryVersion' }).promise);
    } finally {
      this.giveBack(owner);
    }
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
    checkTimeout(options.timeoutMs, 'timeoutMs');
    checkTimeout(options.callTimeoutMs, 'callTimeoutMs');
    const owner = await this.take();
    if (options.signal?.aborted) {
      this.giveBack(owner);
      options.signal.throwIfAborted();
    }
    const connId = Hypervisor.nextConnId++;
    // The owner's own limit on waiting for answers is a backstop for a main thread that
    // never answers; normally the timer below refuses them first.
    const paused = auth?.pauseWhilePrompting === true;
    const deadline = options.timeoutMs !== undefined && !paused ? Date.now() + options.timeoutMs + INTERRUPT_GRACE_MS : Infinity;
    const keepalive = options.keepalive === false ? null : (options.keepalive ?? DEFAULT_KEEPALIVE);
    const { id, promise } = this.send<Opened>(owner, {
      op: 'open',
      uri,
      flags: options.readOnly ? VIR_CONNECT_RO : 0,
      credentialTypes: auth ? [...(auth.credentialTypes ?? DEFAULT_CREDENTIAL_TYPES)] : undefined,
      connId,
      keepalive,
      deadline,
      hostFacts: options.hostFacts === true,
    });
    const made = (opened: Opened) => this.adopt(owner, connId, uri, opened, options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS);

    let cancel: (reason: 'timeout' | 'aborted') => void = () => undefined;
    const cancelled = new Promise<'timeout' | 'aborted'>((resolve) => (cancel = resolve));
    const clock = new OpenClock(options.timeoutMs, () => cancel('timeout'));
    this.clocks.add(clock);
    if (this.holds > 0) clock.pause();
    clock.start();
    const round: CredentialRound | undefined = auth
      ? { handler: auth.credentials, signal: options.signal, clock: paused ? clock : undefined, waiting: false, cancelled: false, declined: false }
      : undefined;
    if (round) this.credentialRounds.set(id, round);
    const onAbort = () => cancel('aborted');
    options.signal?.addEventListener('abort', onAbort, { once: true });
    const outcome: Promise<Outcome<Opened>> = promise.then(
      (value) => ({ value }),
      (error: Error) => ({ error }),
    );
    try {
      const first = await Promise.race([outcome, cancelled]);
      if (typeof first === 'object') {
        if ('error' in first) {
          this.giveBack(owner);
          throw round?.declined && first.error instanceof LibvirtError ? authCancelled(first.error) : first.error;
        }
        return made(first.value);
      }
      return await this.cancelOpen(first, uri, owner, id, promise, outcome, round, made);
    } finally {
      clock.stop();
      this.clocks.delete(clock);
      options.signal?.removeEventListener('abort', onAbort);
      this.credentialRounds.delete(id);
    }
  }

  private async cancelOpen(
    reason: 'timeout' | 'aborted',
    uri: string | null,
    owner: Owner,
    id: number,
    promise: Promise<Opened>,
    outcome: Promise<Outcome<Opened>>,
    round: CredentialRound | undefined,
    made: (opened: Opened) => Connection,
  ): Promise<never> {
    if (round) round.cancelled = true;
    if (round?.waiting) {
      // libvirt waits for our answers: refusing them makes it fail in its own words.
      round.waiting = false;
      round.declined = true;
      owner.answerCredentials(null);
    }
    const error = new OpenCancelledError(reason, uri);
    if (!(await this.interruptUntilReturned(owner, id, promise, error))) throw error;
    const late = await outcome;
    if ('value' in late) {
      // It opened after all; nobody asked for it any more.
      await made(late.value).close();
      throw error;
    }
    this.giveBack(owner);
    // An abort answered with a refusal: libvirt's own verdict (auth failed / cancelled) is the outcome.
    if (round?.declined && reason === 'aborted' && late.error instanceof LibvirtError) throw authCancelled(late.error);
    throw new OpenCancelledError(reason, uri, late.error instanceof LibvirtError ? late.error : undefined);
  }

  private adopt(owner: Owner, connId: number, uri: string | null, opened: Opened, callTimeoutMs: number): Connection {
    const conn = new Connection(this, owner, connId, uri, opened.closeCallback, opened.keepalive, callTimeoutMs, opened.hostFacts);
    this.connections.add(conn);
    EventLoop.track(conn);
    return conn;
  }

  /** @internal the connection's last reference is gone: its thread goes back to the pool */
  forget(conn: Connection, owner: Owner): void {
    if (!this.connections.delete(conn)) return;
    EventLoop.untrack(conn);
    this.giveBack(owner);
  }

  private credentialsRequested(owner: Owner, id: number, requests: CredentialRequest[]): void {
    const round = this.credentialRounds.get(id);
    if (!round || round.cancelled || round.signal?.aborted) {
      if (round) round.declined = true;
      owner.answerCredentials(null);
      return;
    }
    round.waiting = true;
    void (async () => {
      let answers: (string | null)[] | null = null;
      round.clock?.pause();
      try {
        const given = await round.handler(requests);
        if (given) answers = requests.map((_, i) => given[i] ?? null);
      } catch {
        answers = null;
      } finally {
        round.clock?.resume();
      }
      if (answers === null || round.signal?.aborted) round.declined = true;
      // Cancelled meanwhile: the refusal has already been sent.
      if (!round.waiting) return;
      round.waiting = false;
      owner.answerCredentials(round.signal?.aborted ? null : answers);
    })();
  }

  /**
   * Stops the timeouts of every open in progress (and of those that start meanwhile) until the
   * returned function is called: a person answers a question that cannot be tied to one open
   * (ssh's askpass prompts).
   */
  holdTimeouts(): () => void {
    if (this.holds++ === 0) for (const clock of this.clocks) clock.pause();
    let released = false;
    return () => {
      if (released) return;
      released = true;
      if (--this.holds === 0) for (const clock of this.clocks) clock.resume();
    };
  }

  /** Closes every connection still open and stops the threads. */
  async dispose(): Promise<void> {
    if (this.disposed) return;
    await Promise.allSettled([...this.connections].map((c) => c.closeAll({ timeoutMs: Math.min(c.callTimeoutMs, DISPOSE_CLOSE_TIMEOUT_MS) })));
    await Promise.allSettled([...this.cuttingOff]);
    this.disposed = true;
    await Promise.all(this.idle.splice(0).map((o) => o.stop()));
    await EventLoop.release();
  }
}

export type CloseListener = (reason: CloseReason, detail: string | undefined) => void;

/** A `virConnectPtr`, owned by a thread of its own. */
export class Connection {
  private refs = 1;
  private listeners = new Set<CloseListener>();
  /** Why the link closed, once libvirt reported it (or a call found the host unresponsive). */
  closeReason: CloseReason | null = null;
  /** What a call that timed out says about the drop; undefined when libvirt reported it. */
  closeDetail: string | undefined;
  private closed = false;

  /** @internal */
  constructor(
    private readonly hv: Hypervisor,
    private readonly owner: Owner,
    readonly id: number,
    /** The URI as given to open (null: libvirt's default). */
    readonly requestedUri: string | null,
    /** Whether the driver accepted virConnectRegisterCloseCallback. */
    readonly closeCallback: boolean,
    /** Result of virConnectSetKeepAlive: `unsupported` for local drivers. */
    readonly keepalive: KeepAliveState,
    /** The deadline of a call that sets none. */
    readonly callTimeoutMs: number,
    /** The host facts gathered with the open, when asked for (OpenOptions.hostFacts). */
    readonly openFacts: HostFacts | undefined,
  ) {}

  /** @internal called on the close callback, or when a call found the host unresponsive */
  dropped(reason: CloseReason, detail?: string): void {
    if (this.closeReason) return;
    this.closeReason = reason;
    this.closeDetail = detail;
    for (const listener of this.listeners) listener(reason, detail);
  }

  /** Called when the connection drops (EOF, keepalive timeout, error, a call that timed out). */
  onClose(listener: CloseListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private request<T>(request: OwnerRequest, what: string, options: CallOptions = {}): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the connection is closed'));
    checkTimeout(options.timeoutMs, 'timeoutMs');
    return this.hv.call<T>(this.owner, request, what, options.timeoutMs ?? this.callTimeoutMs, options.signal, (id, running, error) => {
      if (this.closed) return;
      this.closed = true;
      this.dropped('error', error.message);
      this.hv.unresponsive(this, this.owner, id, running, error);
    });
  }

  private query<M extends QueryMethod>(method: M, args: Queries[M]['args'], options: CallOptions | undefined): Promise<Queries[M]['result']> {
    return this.request({ op: 'query', connId: this.id, method, args } as OwnerRequest, QUERY_CALLS[method], options);
  }

  /** virConnectGetCapabilities */
  capabilities(options?: CallOptions): Promise<string> {
    return this.query('capabilities', [], options);
  }
  /** virConnectGetHostname */
  hostname(options?: CallOptions): Promise<string> {
    return this.query('hostname', [], options);
  }
  /** virConnectGetURI: the canonical URI of this connection */
  uri(options?: CallOptions): Promise<string> {
    return this.query('uri', [], options);
  }
  /** virConnectGetType, e.g. `QEMU`, `TEST` */
  type(options?: CallOptions): Promise<string> {
    return this.query('type', [], options);
  }
  /** virConnectGetVersion; 0.0.0 when the driver does not know */
  async hypervisorVersion(options?: CallOptions): Promise<Version> {
    return decodeVersion(await this.query('hypervisorVersion', [], options));
  }
  /** virConnectGetLibVersion: libvirt's version on the far side */
  async libraryVersion(options?: CallOptions): Promise<Version> {
    return decodeVersion(await this.query('libraryVersion', [], options));
  }
  /** virNodeGetInfo */
  nodeInfo(options?: CallOptions): Promise<NodeInfo> {
    return this.query('nodeInfo', [], options);
  }
  /** virNodeGetFreeMemory, in bytes */
  freeMemory(options?: CallOptions): Promise<number> {
    return this.query('freeMemory', [], options);
  }
  /** virNodeGetCellsFreeMemory: bytes free per NUMA cell from `startCell` */
  cellsFreeMemory(startCell = 0, maxCells?: number, options?: CallOptions): Promise<number[]> {
    return this.query('cellsFreeMemory', [startCell, maxCells ?? null], options);
  }
  /** virConnectGetMaxVcpus for a domain type (`kvm`, `qemu`, …) or the driver's default */
  maxVcpus(type?: string, options?: CallOptions): Promise<number> {
    return this.query('maxVcpus', [type ?? null], options);
  }
  /** virConnectIsAlive */
  isAlive(options?: CallOptions): Promise<boolean> {
    return this.query('isAlive', [], options);
  }
  /** virConnectIsSecure */
  isSecure(options?: CallOptions): Promise<boolean> {
    return this.query('isSecure', [], options);
  }
  /** virConnectIsEncrypted */
  isEncrypted(options?: CallOptions): Promise<boolean> {
    return this.query('isEncrypted', [], options);
  }
  /** virConnectGetSysinfo: SMBIOS `<sysinfo>` XML */
  sysinfo(options?: CallOptions): Promise<string> {
    return this.query('sysinfo', [], options);
  }
  /** virConnectGetDomainCapabilities; libvirt refuses it on read-only connections */
  domainCapabilities(query: DomainCapabilitiesQuery = {}, options?: CallOptions): Promise<string> {
    return this.query('domainCapabilities', [query], options);
  }
  /** virConnectListAllDomains with each domain's name, UUID, state and id */
  listDomains(options?: CallOptions): Promise<DomainSummary[]> {
    return this.query('listDomains', [], options);
  }

  /**
   * Everything a view of the host shows first, in one round trip to the connection's thread:
   * each fact is its value or libvirt's refusal (a driver may lack some calls).
   */
  hostFacts(options?: CallOptions): Promise<HostFacts> {
    return this.query('hostFacts', [], options);
  }

  /** virConnectRef: one more reference, to be released by one more close(). */
  async ref(options?: CallOptions): Promise<void> {
    if (this.closed) throw new Error('the connection is closed');
    await this.request({ op: 'ref', connId: this.id }, 'virConnectRef', options);
    this.refs++;
  }

  /**
   * virConnectClose: releases one reference; resolves with libvirt's answer, 1 while
   * references remain and 0 once closed. Bounded like any call: a host that does not answer
   * the close is cut off.
   */
  async close(options?: CallOptions): Promise<number> {
    if (this.closed) throw new Error('the connection is closed');
    const remaining = await this.request<number>({ op: 'close', connId: this.id, last: this.refs === 1 }, 'virConnectClose', options);
    this.refs--;
    if (remaining === 0 || this.refs === 0) {
      this.closed = true;
      this.hv.forget(this, this.owner);
    }
    return remaining;
  }

  /** @internal releases every reference */
  async closeAll(options?: CallOptions): Promise<void> {
    while (!this.closed) await this.close(options);
  }
}
