// Extension entry point: the libvirt URI language server, and the connection manager behind
// "Connect to Hypervisor". libvirt itself never runs here: it runs in a process of its own,
// started on the first connect.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CHANGE_SEVERITY_COMMAND, CHECK_URI_REQUEST, CONNECT_URI_COMMAND, type CheckUriParams, type CheckUriResult } from '../../server/src/languageserver/requests';
import { CredentialPrompter } from './auth/credentialPrompter';
import { askSshQuestion } from './auth/sshQuestions';
import { connectCommand, connectUriCommand, type ConnectDeps } from './commands/connect';
import { openExample } from './commands/walkthrough';
import { ConnectionManager, type StoredConnection } from './connections/connectionManager';
import { LibvirtProcess } from './libvirtProcess/client';
import { registerTreeCommands } from './commands/tree';
import { SCHEME, XmlDocuments } from './tree/documents';
import { HypervisorsProvider } from './tree/provider';
import { setL10nBundle } from './l10n';

/** Global state, never workspace settings: a cloned repository must not plant a URI that runs a program. */
const CONNECTIONS_KEY = 'libvirt.connections';

let client: LanguageClient | undefined;
let libvirt: LibvirtProcess | undefined;

/** Loads the language client's bundle and starts the client; a failed start is shown by the client itself. */
function startLanguageClient(context: vscode.ExtensionContext, log: vscode.LogOutputChannel): void {
  // A bundle of its own, found next to this one (dist/, or out/client/src/ in tests).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createLanguageClient } = require(path.join(__dirname, 'languageClient.js')) as typeof import('./languageClient');
  client = createLanguageClient(context);
  context.subscriptions.push(client);
  client.start().catch((e: unknown) => log.error(`the libvirt URI language server did not start: ${e instanceof Error ? e.message : String(e)}`));
}

export function activate(context: vscode.ExtensionContext): void {
  // The modules VS Code does not reach (hints, host rows …) word their text with VS Code's bundle.
  setL10nBundle(vscode.l10n.bundle);
  const log = vscode.window.createOutputChannel('libvirt', { log: true });
  context.subscriptions.push(log);

  const config = () => vscode.workspace.getConfiguration('libvirt');
  libvirt = new LibvirtProcess({
    execPath: process.execPath,
    modulePath: context.asAbsolutePath(path.join('dist', 'libvirt-process.js')),
    env: () => {
      const library = config().get<string>('libraryPath', '');
      return library ? { VIRT_URI_LIBVIRT_SO: library } : {};
    },
    log: (level, message) => log[level](message),
    askpass: (question, withdrawn) => askSshQuestion(question, withdrawn),
  });
  const prompter = new CredentialPrompter(context.secrets, context.globalState);
  const timeoutSeconds = () => config().get<number>('connect.timeout', 30);
  const manager = new ConnectionManager(
    libvirt,
    {
      load: () => context.globalState.get<StoredConnection[]>(CONNECTIONS_KEY, []),
      save: (connections) => context.globalState.update(CONNECTIONS_KEY, connections),
    },
    { connectTimeoutMs: () => timeoutSeconds() * 1000, credentials: prompter, log },
  );
  const deps: ConnectDeps = {
    manager,
    log,
    timeoutSeconds,
    check: async (uri) => (client?.isRunning() ? client.sendRequest<CheckUriResult>(CHECK_URI_REQUEST, { uri } satisfies CheckUriParams) : undefined),
  };
  context.subscriptions.push(
    vscode.commands.registerCommand('libvirt.connect', () => connectCommand(deps)),
    vscode.commands.registerCommand(CONNECT_URI_COMMAND, (uri: string) => connectUriCommand(deps, uri)),
    vscode.commands.registerCommand('libvirt.forgetPasswords', async () => {
      const n = await prompter.forgetAll();
      void vscode.window.showInformationMessage(n === 0 ? vscode.l10n.t('No libvirt passwords were saved.') : n === 1 ? vscode.l10n.t('Forgot 1 saved libvirt password.') : vscode.l10n.t('Forgot {0} saved libvirt passwords.', n));
    }),
    vscode.commands.registerCommand('libvirt.showLog', () => log.show()),
    // The quick fix "Change severity of <code>": the setting, where the code is a key.
    vscode.commands.registerCommand(CHANGE_SEVERITY_COMMAND, () => vscode.commands.executeCommand('workbench.action.openSettings', 'libvirt.uri.severity')),
    vscode.commands.registerCommand('libvirt.walkthrough.openExample', () => openExample(context)),
    { dispose: () => void libvirt?.dispose() },
  );
  registerHypervisorsView(context, deps, config);
  // Activation ends once the commands are registered; the language client loads and starts next.
  setImmediate(() => startLanguageClient(context, log));
}

/**
 * The Hypervisors view. Autoconnect connections connect when it is first shown; with
 * `libvirt.tree.refreshInterval` the host facts are refreshed only while it is visible.
 */
function registerHypervisorsView(context: vscode.ExtensionContext, deps: ConnectDeps, config: () => vscode.WorkspaceConfiguration): void {
  const provider = new HypervisorsProvider(deps.manager);
  const view = vscode.window.createTreeView('libvirt.hypervisors', { treeDataProvider: provider, showCollapseAll: true });
  let shown = false;
  let timer: NodeJS.Timeout | undefined;
  const schedule = () => {
    clearInterval(timer);
    timer = undefined;
    const seconds = config().get<number>('tree.refreshInterval', 0);
    if (view.visible && seconds > 0) timer = setInterval(() => void provider.refresh(deps.manager.list()), seconds * 1000);
  };
  context.subscriptions.push(
    provider,
    view,
    view.onDidChangeVisibility(() => {
      if (view.visible && !shown) {
        shown = true;
        deps.manager.autoconnect();
      }
      schedule();
    }),
    vscode.workspace.onDidChangeConfiguration((e) => e.affectsConfiguration('libvirt.tree.refreshInterval') && schedule()),
    { dispose: () => clearInterval(timer) },
    vscode.workspace.registerTextDocumentContentProvider(SCHEME, new XmlDocuments(deps.manager)),
    ...registerTreeCommands(deps, provider),
  );
}

export async function deactivate(): Promise<void> {
  await Promise.all([client?.stop(), libvirt?.dispose()]);
}
