// A real LSP client over stdio for tests: spawns the bundled server and speaks JSON-RPC to it.
import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';
import {
  ConfigurationRequest, Diagnostic, DidChangeConfigurationNotification, DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification, InitializeRequest,
  InitializedNotification, ProtocolConnection, PublishDiagnosticsNotification, PublishDiagnosticsParams, RegistrationRequest,
  ServerCapabilities, ShutdownRequest, StreamMessageReader, StreamMessageWriter, TextDocumentContentChangeEvent, createProtocolConnection,
} from 'vscode-languageserver-protocol/node';
import { LANGUAGE_SERVER_EXEC_ARGV } from '../../client/src/serverLaunch';
import { distDir } from './paths';

export class LspTestClient {
  private readonly published = new Map<string, PublishDiagnosticsParams[]>();
  private readonly waiters: {
    uri: string;
    accept: (p: PublishDiagnosticsParams) => boolean;
    resolve: (p: PublishDiagnosticsParams) => void;
    reject: (e: Error) => void;
  }[] = [];
  private exited: Error | undefined;
  /** What the server gets back for workspace/configuration (section `libvirt`). */
  settings: Record<string, unknown> = {};
  readonly configurationRequests: string[] = [];
  /** What the server answered to initialize. */
  capabilities: ServerCapabilities = {};

  private constructor(private readonly child: ChildProcess, readonly connection: ProtocolConnection) {
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.set(p.uri, [...(this.published.get(p.uri) ?? []), p]);
      for (const w of [...this.waiters]) {
        if (w.uri === p.uri && w.accept(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    // A server that dies fails the waiting test at once instead of leaving it to time out.
    child.once('exit', (code, signal) => {
      this.exited = new Error(`the language server exited (${signal ?? `code ${code}`})`);
      for (const w of this.waiters.splice(0)) w.reject(this.exited);
    });
    connection.onRequest(RegistrationRequest.type, () => undefined);
    connection.onRequest(ConfigurationRequest.type, (params) =>
      params.items.map((item) => {
        this.configurationRequests.push(item.scopeUri ?? '');
        return item.section === 'libvirt' ? this.settings : null;
      }));
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  static async start(options: { workspaceFolder?: string; env?: NodeJS.ProcessEnv } = {}): Promise<LspTestClient> {
    const child = spawn(process.execPath, [...LANGUAGE_SERVER_EXEC_ARGV, path.join(distDir, 'server.js'), '--stdio'], {
      stdio: ['pipe', 'pipe', 'inherit'],
      env: { ...process.env, ...options.env },
    });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const client = new LspTestClient(child, connection);
    connection.listen();
    const folder = options.workspaceFolder;
    const initialized = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: true } } },
      workspaceFolders: folder ? [{ uri: `file://${folder}`, name: path.basename(folder) }] : null,
    });
    client.capabilities = initialized.capabilities;
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, (p) => p.version === version);
    void this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
    return next;
  }

  change(uri: string, version: number, changes: TextDocumentContentChangeEvent[]): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, (p) => p.version === version);
    void this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: changes });
    return next;
  }

  close(uri: string): Promise<PublishDiagnosticsParams> {
    const next = this.nextDiagnostics(uri, () => true);
    void this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    return next;
  }

  /** Changes the settings the server pulls and tells it they changed; resolves with the next diagnostics of `uri`. */
  changeSettings(settings: Record<string, unknown>, uri: string): Promise<PublishDiagnosticsParams> {
    this.settings = settings;
    const next = this.nextDiagnostics(uri, () => true);
    void this.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    return next;
  }

  nextDiagnostics(uri: string, accept: (p: PublishDiagnosticsParams) => boolean = () => true): Promise<PublishDiagnosticsParams> {
    return new Promise((resolve, reject) => {
      if (this.exited) reject(this.exited);
      else this.waiters.push({ uri, accept, resolve, reject });
    });
  }

  /** Every publication for the document so far. */
  history(uri: string): PublishDiagnosticsParams[] {
    return this.published.get(uri) ?? [];
  }

  async stop(): Promise<void> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    await new Promise<void>((resolve) => {
      if (this.child.exitCode !== null) resolve();
      else this.child.once('exit', () => resolve());
    });
    this.connection.dispose();
  }
}

export function summary(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.severity} ${d.code}`);
}
