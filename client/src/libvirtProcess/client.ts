// The extension's side of its libvirt process: starts it on first use, sends typed requests,
// and never lets a request wait forever. No VS Code API here.
import { fork, type ChildProcess } from 'node:child_process';
import type { SshPrompt } from '../askpass';
import type { CloseReason, CredentialRequest } from '../libvirt';
import { deserializeError, type FromProcess, type Method, type Requests, type ToProcess } from './protocol';

/** How long past its own deadline a request may stay unanswered before the process counts as stuck. */
const WATCHDOG_GRACE_MS = 5000;
/** How long the process may take to end on its own when disposed. */
const EXIT_GRACE_MS = 3000;

/** The libvirt process ended or stopped answering: every connection in it is gone. */
export class LibvirtProcessLostError extends Error {
  override readonly name = 'LibvirtProcessLostError';
  constructor(
    /** The signal that ended it, or null when it exited. */
    readonly signal: NodeJS.Signals | null,
    readonly exitCode: number | null,
  ) {
    super(signal ? `the libvirt process was killed (${signal})` : `the libvirt process exited with code ${exitCode}`);
  }
}

export interface LibvirtProcessOptions {
  /** The runtime: the extension host's own (`process.execPath`), run as plain Node. */
  execPath: string;
  /** The bundled process entry, dist/libvirt-process.js. */
  modulePath: string;
  /** Added to the environment of each process started (the library path, askpass). */
  env?: () => NodeJS.ProcessEnv;
  /** Answers a question of ssh (through askpass); null cancels. `withdrawn` fires when ssh stops waiting. */
  askpass?(question: SshPrompt, withdrawn: AbortSignal): Promise<string | null>;
  log(level: 'info' | 'warn' | 'error' | 'trace', message: string): void;
}

export interface RequestOptions {
  /** The request's own deadline in the process; the watchdog allows this plus a grace. */
  timeoutMs: number;
  /** Sends `cancel`: the request then settles with the process's answer (OpenCancelledError…). */
  signal?: AbortSignal;
  /** Answers libvirt's credential requests during an open; null (or none given) cancels. */
  credentials?(requests: CredentialRequest[]): Promise<(string | null)[] | null>;
}

interface Pending {
  method: Method;
  credentials?: RequestOptions['credentials'];
  resolve(value: unknown): void;
  reject(error: Error): void;
  watchdog?: NodeJS.Timeout;
  timeoutMs: number;
  /** Credential rounds being answered: the watchdog waits for the person. */
  prompting: number;
}

type ClosedListener = (connId: number, reason: CloseReason, detail: string | undefined) => void;
type LostListener = (reason: string) => void;

export class LibvirtProcess {
  private child: ChildProcess | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private readonly closedListeners = new Set<ClosedListener>();
  private readonly lostListeners = new Set<LostListener>();
  /** ssh questions being answered, to close when ssh stops waiting. */
  private readonly withdrawals = new Map<number, AbortController>();
  private disposed = false;
  /** How many times a process was started (the first one included). */
  starts = 0;

  constructor(private readonly options: LibvirtProcessOptions) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** libvirt reported a connection closed (EOF, keepalive, error, a call that timed out). */
  onClosed(listener: ClosedListener): { dispose(): void } {
    this.closedListeners.add(listener);
    return { dispose: () => this.closedListeners.delete(listener) };
  }

  /** The process died or was killed for not answering: all its connections are gone. */
  onLost(listener: LostListener): { dispose(): void } {
    this.lostListeners.add(listener);
    return { dispose: () => this.lostListeners.delete(listener) };
  }

  request<M extends Method>(method: M, params: Requests[M]['params'], options: RequestOptions): Promise<Requests[M]['result']> {
    if (this.disposed) return Promise.reject(new Error('the libvirt process is disposed'));
    const child = this.ensure();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const pending: Pending = { method, credentials: options.credentials, resolve: resolve as (v: unknown) => void, reject, timeoutMs: options.timeoutMs, prompting: 0 };
      this.pending.set(id, pending);
      this.arm(pending);
      const signal = options.signal;
      if (signal) {
        const onAbort = () => this.post(child, { type: 'cancel', id });
        if (signal.aborted) queueMicrotask(onAbort);
        else signal.addEventListener('abort', onAbort, { once: true });
        const done = () => signal.removeEventListener('abort', onAbort);
        const { resolve: res, reject: rej } = pending;
        pending.resolve = (v) => {
          done();
          res(v);
        };
        pending.reject = (e) => {
          done();
          rej(e);
        };
      }
      this.post(child, { type: 'request', id, method, params });
    });
  }

  private arm(pending: Pending): void {
    clearTimeout(pending.watchdog);
    pending.watchdog = setTimeout(() => {
      this.options.log('error', `the libvirt process did not answer ${pending.method} within ${Math.round((pending.timeoutMs + WATCHDOG_GRACE_MS) / 1000)} s; restarting it`);
      this.kill(`it did not answer ${pending.method} in time`);
    }, pending.timeoutMs + WATCHDOG_GRACE_MS);
  }

  /** A person is answering for this request: its watchdog waits. */
  private hold(pending: Pending): void {
    pending.prompting++;
    clearTimeout(pending.watchdog);
  }

  private release(pending: Pending): void {
    if (--pending.prompting === 0 && [...this.pending.values()].includes(pending)) this.arm(pending);
  }

  private post(child: ChildProcess, message: ToProcess): void {
    if (child.connected) child.send(message);
  }

  private ensure(): ChildProcess {
    if (this.child) return this.child;
    this.starts++;
    const child = fork(this.options.modulePath, [], {
      execPath: this.options.execPath,
      execArgv: [],
      env: { ...process.env, ...this.options.env?.(), ELECTRON_RUN_AS_NODE: '1' },
      // A session of its own: no controlling terminal, so ssh asks through askpass or not at all.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    this.child = child;
    this.options.log('info', `started the libvirt process (pid ${child.pid ?? '?'})`);
    child.stdout?.setEncoding('utf8').on('data', (d: string) => this.options.log('trace', d.trimEnd()));
    child.stderr?.setEncoding('utf8').on('data', (d: string) => this.options.log('warn', d.trimEnd()));
    child.on('message', (message: FromProcess) => this.receive(child, message));
    child.on('error', (e) => this.options.log('error', `libvirt process: ${e.message}`));
    child.on('exit', (code, signal) => this.exited(child, code, signal));
    return child;
  }

  private receive(child: ChildProcess, message: FromProcess): void {
    switch (message.type) {
      case 'ready':
        break;
      case 'response': {
        const pending = this.pending.get(message.id);
        if (!pending) return;
        this.pending.delete(message.id);
        clearTimeout(pending.watchdog);
        if (message.ok) pending.resolve(message.value);
        else pending.reject(deserializeError(message.error));
        break;
      }
      case 'credentials': {
        const pending = this.pending.get(message.request);
        const answer = (answers: (string | null)[] | null) => this.post(child, { type: 'credentials', round: message.round, answers });
        if (!pending?.credentials) {
          answer(null);
          return;
        }
        // A person is answering: the watchdog waits for them.
        this.hold(pending);
        pending.credentials(message.requests).then(
          (answers) => {
            this.release(pending);
            answer(answers);
          },
          () => {
            this.release(pending);
            answer(null);
          },
        );
        break;
      }
      case 'askpass': {
        // The question cannot be tied to one open: every open waits for the person.
        const opens = [...this.pending.values()].filter((p) => p.method === 'open');
        for (const p of opens) this.hold(p);
        const withdrawn = new AbortController();
        this.withdrawals.set(message.prompt, withdrawn);
        const ask = this.options.askpass?.(message.question, withdrawn.signal) ?? Promise.resolve(null);
        const answer = (a: string | null) => {
          this.withdrawals.delete(message.prompt);
          for (const p of opens) this.release(p);
          if (!withdrawn.signal.aborted) this.post(child, { type: 'askpass', prompt: message.prompt, answer: a });
        };
        ask.then(answer, () => answer(null));
        break;
      }
      case 'askpassWithdrawn':
        this.withdrawals.get(message.prompt)?.abort();
        break;
      case 'closed':
        for (const listener of this.closedListeners) listener(message.connId, message.reason, message.detail);
        break;
    }
  }

  private exited(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    const lost = new LibvirtProcessLostError(signal, code);
    const reason = lost.message;
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const withdrawal of this.withdrawals.values()) withdrawal.abort();
    this.withdrawals.clear();
    for (const p of pending) {
      clearTimeout(p.watchdog);
      p.reject(lost);
    }
    if (this.disposed) return;
    this.options.log('error', `${reason}; its connections are lost`);
    for (const listener of this.lostListeners) listener(reason);
  }

  /** Ends a process that stopped answering; its connections are reported lost. */
  kill(why: string): void {
    const child = this.child;
    if (!child) return;
    this.options.log('warn', `killing the libvirt process (pid ${child.pid}): ${why}`);
    child.kill('SIGKILL');
  }

  /** Ends the process (its connections end with it). */
  async dispose(): Promise<void> {
    this.disposed = true;
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    if (child.connected) child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), EXIT_GRACE_MS);
    await exited;
    clearTimeout(timer);
  }
}
