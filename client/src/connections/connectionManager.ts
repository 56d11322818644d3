// The one owner of hypervisor connections in the extension: what the user connected to, each
// connection's state, and every request made on it. No VS Code API: the extension supplies
// the store (global state), the credentials (input boxes) and the log.
import { LibvirtError, type CloseReason, type CredentialRequest, type DomainCapabilitiesQuery, type HostFacts, type KeepAliveState } from '../libvirt';
import type { LibvirtProcess } from '../libvirtProcess/client';
import { t } from '../l10n';
import { displayName } from './displayName';

export type DisconnectReason =
  /** closed by the user */
  | 'user'
  /** libvirt's close reasons: error, end of file, keepalive timeout, closed by the client */
  | CloseReason
  /** the libvirt process died or stopped answering */
  | 'process-lost';

export type ConnectionState =
  /** remembered, not connected in this window yet */
  | { kind: 'idle' }
  | { kind: 'connecting' }
  | { kind: 'connected'; facts: HostFacts; keepalive: KeepAliveState; secure: boolean; encrypted: boolean }
  | { kind: 'disconnected'; reason: DisconnectReason; detail?: string }
  | { kind: 'failed'; error: Error };

/** What is remembered about a connection (in the extension's global state, never the workspace). */
export interface StoredConnection {
  uri: string;
  readOnly: boolean;
  /** A name the user gave; the display name otherwise. */
  name?: string;
  autoconnect: boolean;
  /** epoch ms, for "recent connections" */
  lastUsed: number;
}

export interface ConnectionStore {
  load(): StoredConnection[];
  save(connections: StoredConnection[]): Thenable<void> | Promise<void>;
}

/** Answers libvirt's credential requests for one connect attempt, and learns how it went. */
export interface CredentialSource {
  /** A new connect attempt starts. */
  begin(connection: HypervisorConnection): void;
  answer(connection: HypervisorConnection, requests: CredentialRequest[]): Promise<(string | null)[] | null>;
  /** libvirt refused what was answered: forget remembered secrets used; true when a retry may ask the person instead. */
  refused(connection: HypervisorConnection): Promise<boolean>;
  /** The open succeeded: keep what the person asked to remember. */
  accepted(connection: HypervisorConnection): Promise<void>;
}

export interface Log {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ManagerOptions {
  /** ms; the `libvirt.connect.timeout` setting */
  connectTimeoutMs(): number;
  credentials: CredentialSource;
  log: Log;
}

const VIR_ERR_AUTH_FAILED = 'VIR_ERR_AUTH_FAILED';

export function connectionKey(uri: string, readOnly: boolean): string {
  return `${readOnly ? 'ro' : 'rw'} ${uri}`;
}

export class HypervisorConnection {
  state: ConnectionState = { kind: 'idle' };
  /** The process-side id while connected. */
  connId: number | undefined;
  /** Cancels a connect in progress. */
  abort: AbortController | undefined;

  constructor(
    readonly uri: string,
    readonly readOnly: boolean,
    public stored: StoredConnection,
  ) {}

  get key(): string {
    return connectionKey(this.uri, this.readOnly);
  }

  get name(): string {
    return this.stored.name ?? displayName(this.uri);
  }
}

type ChangeListener = (connection: HypervisorConnection | undefined) => void;

export class ConnectionManager {
  private readonly connections = new Map<string, HypervisorConnection>();
  private readonly listeners = new Set<ChangeListener>();
  private readonly byConnId = new Map<number, HypervisorConnection>();

  constructor(
    private readonly process: LibvirtProcess,
    private readonly store: ConnectionStore,
    private readonly options: ManagerOptions,
  ) {
    for (const stored of store.load()) {
      const conn = new HypervisorConnection(stored.uri, stored.readOnly, stored);
      this.connections.set(conn.key, conn);
    }
    process.onClosed((connId, reason, detail) => {
      const conn = this.byConnId.get(connId);
      if (!conn) return;
      this.detach(conn);
      options.log.warn(`${conn.name} (${conn.uri}) disconnected: ${reason}${detail ? ` (${detail})` : ''}`);
      this.set(conn, { kind: 'disconnected', reason, detail });
    });
    process.onLost((reason) => {
      for (const conn of this.byConnId.values()) {
        this.detach(conn);
        this.set(conn, { kind: 'disconnected', reason: 'process-lost', detail: reason });
      }
    });
  }

  /** Remembered connections, most recently used first. */
  list(): HypervisorConnection[] {
    return [...this.connections.values()].sort((a, b) => b.stored.lastUsed - a.stored.lastUsed);
  }

  get(uri: string, readOnly: boolean): HypervisorConnection | undefined {
    return this.connections.get(connectionKey(uri, readOnly));
  }

  onDidChange(listener: ChangeListener): { dispose(): void } {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  private set(conn: HypervisorConnection, state: ConnectionState): void {
    conn.state = state;
    this.fire(conn);
  }

  private fire(conn: HypervisorConnection | undefined): void {
    for (const listener of this.listeners) listener(conn);
  }

  private detach(conn: HypervisorConnection): void {
    if (conn.connId !== undefined) this.byConnId.delete(conn.connId);
    conn.connId = undefined;
  }

  private async persist(): Promise<void> {
    await this.store.save([...this.connections.values()].map((c) => c.stored));
  }

  /** The connection for this URI and access, remembered from now on. */
  async add(uri: string, readOnly: boolean): Promise<HypervisorConnection> {
    let conn = this.get(uri, readOnly);
    if (!conn) {
      conn = new HypervisorConnection(uri, readOnly, { uri, readOnly, autoconnect: false, lastUsed: Date.now() });
      this.connections.set(conn.key, conn);
    }
    conn.stored = { ...conn.stored, lastUsed: Date.now() };
    await this.persist();
    this.fire(conn);
    return conn;
  }

  /**
   * Opens the connection (virConnectOpenAuth: libvirt asks only what it needs) and gathers the
   * host facts in the same round trip. Resolves once connected; rejects with libvirt's error
   * (the state says `failed`), or OpenCancelledError when cancelled or timed out.
   */
  async connect(conn: HypervisorConnection, signal?: AbortSignal): Promise<void> {
    if (conn.state.kind === 'connecting') throw new Error(t('{0} is already connecting', conn.name));
    if (conn.state.kind === 'connected') return;
    const abort = new AbortController();
    conn.abort = abort;
    const onAbort = () => {
      this.options.log.info(`connecting to ${conn.uri}: cancelled`);
      abort.abort();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.set(conn, { kind: 'connecting' });
    this.options.log.info(`connecting to ${conn.uri}${conn.readOnly ? ' (read-only)' : ''}`);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          this.options.credentials.begin(conn);
          const timeoutMs = this.options.connectTimeoutMs();
          const opened = await this.process.request(
            'open',
            { uri: conn.uri, readOnly: conn.readOnly, auth: true, timeoutMs },
            {
              timeoutMs,
              signal: abort.signal,
              credentials: async (requests) => {
                this.options.log.info(`${conn.uri} asks for ${requests.map((r) => r.typeName).join(', ')}`);
                const answers = await this.options.credentials.answer(conn, requests);
                if (!answers) this.options.log.info(`${conn.uri}: the credential prompt was dismissed`);
                return answers;
              },
            },
          );
          if (abort.signal.aborted) {
            // Connected just as the user gave up: nobody wants it.
            await this.process.request('close', { connId: opened.connId }, { timeoutMs }).catch(() => undefined);
            abort.signal.throwIfAborted();
          }
          await this.options.credentials.accepted(conn);
          conn.connId = opened.connId;
          this.byConnId.set(opened.connId, conn);
          const fact = <T>(f: { value: T } | { error: unknown }, fallback: T): T => ('value' in f ? f.value : fallback);
          this.set(conn, { kind: 'connected', facts: opened.facts, keepalive: opened.keepalive, secure: fact(opened.facts.isSecure, false), encrypted: fact(opened.facts.isEncrypted, false) });
          this.options.log.info(`connected to ${conn.uri}: ${fact(opened.facts.type, '?')} on ${fact(opened.facts.hostname, '?')}, keepalive ${opened.keepalive}`);
          return;
        } catch (e) {
          if (attempt === 1 && e instanceof LibvirtError && e.codeName === VIR_ERR_AUTH_FAILED && (await this.options.credentials.refused(conn))) {
            this.options.log.warn(`${conn.uri}: a remembered password was refused; asking again`);
            continue;
          }
          throw e;
        }
      }
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      this.logFailure(conn, error);
      this.set(conn, { kind: 'failed', error });
      throw error;
    } finally {
      signal?.removeEventListener('abort', onAbort);
      conn.abort = undefined;
    }
  }

  private logFailure(conn: HypervisorConnection, error: Error): void {
    const code = error instanceof LibvirtError ? ` (${error.codeName}, code ${error.code}, domain ${error.domainName})` : '';
    this.options.log.error(`connecting to ${conn.uri} failed: ${error.message}${code}`);
  }

  /** Closes the connection (or cancels its connect); it stays remembered. */
  async disconnect(conn: HypervisorConnection): Promise<void> {
    conn.abort?.abort();
    const connId = conn.connId;
    if (connId === undefined) return;
    this.detach(conn);
    this.set(conn, { kind: 'disconnected', reason: 'user' });
    this.options.log.info(`disconnected from ${conn.uri}`);
    await this.process.request('close', { connId }, { timeoutMs: this.options.connectTimeoutMs() }).catch((e: unknown) => {
      this.options.log.warn(`closing ${conn.uri}: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  async reconnect(conn: HypervisorConnection, signal?: AbortSignal): Promise<void> {
    await this.disconnect(conn);
    await this.connect(conn, signal);
  }

  /** Disconnects and forgets the connection. */
  async remove(conn: HypervisorConnection): Promise<void> {
    await this.disconnect(conn);
    this.connections.delete(conn.key);
    await this.persist();
    this.fire(undefined);
  }

  /** A name of the user's; undefined goes back to the display name. */
  async rename(conn: HypervisorConnection, name: string | undefined): Promise<void> {
    conn.stored = { ...conn.stored, name };
    await this.persist();
    this.fire(conn);
  }

  async setAutoconnect(conn: HypervisorConnection, autoconnect: boolean): Promise<void> {
    conn.stored = { ...conn.stored, autoconnect };
    await this.persist();
    this.fire(conn);
  }

  /** Connects the remembered connections marked autoconnect that are not connected yet. */
  autoconnect(): void {
    for (const conn of this.connections.values()) {
      if (conn.stored.autoconnect && (conn.state.kind === 'idle' || conn.state.kind === 'disconnected')) this.connect(conn).catch(() => undefined);
    }
  }

  private connected(conn: HypervisorConnection): number {
    if (conn.connId === undefined) throw new Error(t('{0} is not connected', conn.name));
    return conn.connId;
  }

  /** Fresh host facts for a connected connection. */
  async refresh(conn: HypervisorConnection, signal?: AbortSignal): Promise<HostFacts> {
    const facts = await this.process.request('hostFacts', { connId: this.connected(conn) }, { timeoutMs: this.options.connectTimeoutMs(), signal });
    if (conn.state.kind === 'connected') this.set(conn, { ...conn.state, facts });
    return facts;
  }

  domainCapabilities(conn: HypervisorConnection, query: DomainCapabilitiesQuery, signal?: AbortSignal): Promise<string> {
    return this.process.request('domainCapabilities', { connId: this.connected(conn), query }, { timeoutMs: this.options.connectTimeoutMs(), signal });
  }

  capabilities(conn: HypervisorConnection, signal?: AbortSignal): Promise<string> {
    return this.process.request('capabilities', { connId: this.connected(conn) }, { timeoutMs: this.options.connectTimeoutMs(), signal });
  }

  sysinfo(conn: HypervisorConnection, signal?: AbortSignal): Promise<string> {
    return this.process.request('sysinfo', { connId: this.connected(conn) }, { timeoutMs: this.options.connectTimeoutMs(), signal });
  }
}
