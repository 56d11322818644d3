// Extension entry point: the libvirt URI language server, and the connection manager behind
// "Connect to Hypervisor". libvirt itself never runs here: it runs in a process of its own,
// started on the first connect.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { CHECK_URI_REQUEST, CONNECT_URI_COMMAND, type CheckUriParams, type CheckUriResult } from '../../server/src/languageserver/requests';
import { CredentialPrompter } from './auth/credentialPrompter';
import { connectCommand, connectUriCommand, type ConnectDeps } from './commands/connect';
import { ConnectionManager, type StoredConnection } from './connections/connectionManager';
import { LibvirtProcess } from './libvirtProcess/client';
import { LANGUAGE_SERVER_EXEC_ARGV } from './serverLaunch';

/** Languages whose files may carry libvirt URIs (see server/src/languageservice/regions). */
const URI_LANGUAGES = [
  'python', 'c', 'cpp', 'go', 'rust', 'javascript', 'typescript', 'javascriptreact', 'typescriptreact', 'java', 'ruby',
  'shellscript', 'yaml', 'ansible', 'terraform', 'hcl', 'libvirt-conf', 'markdown', 'plaintext',
];

/** Global state, never workspace settings: a cloned repository must not plant a URI that runs a program. */
const CONNECTIONS_KEY = 'libvirt.connections';

let client: LanguageClient | undefined;
let libvirt: LibvirtProcess | undefined;

function startLanguageClient(context: vscode.ExtensionContext): LanguageClient {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_EXEC_ARGV] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: URI_LANGUAGES.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: {
      configurationSection: 'libvirt',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/libvirt.conf'),
    },
    middleware: {
      // "Connect" runs what a file says: only in a trusted workspace, and only when wanted.
      provideCodeLenses: (document, token, next) =>
        vscode.workspace.isTrusted && vscode.workspace.getConfiguration('libvirt', document).get<boolean>('codeLens.connect', true) ? next(document, token) : [],
    },
  };
  return new LanguageClient('libvirt', 'libvirt URI language server', serverOptions, clientOptions);
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const log = vscode.window.createOutputChannel('libvirt', { log: true });
  context.subscriptions.push(log);
  client = startLanguageClient(context);
  context.subscriptions.push(client);

  const config = () => vscode.workspace.getConfiguration('libvirt');
  libvirt = new LibvirtProcess({
    execPath: process.execPath,
    modulePath: context.asAbsolutePath(path.join('dist', 'libvirt-process.js')),
    env: () => {
      const library = config().get<string>('libraryPath', '');
      return library ? { VIRT_URI_LIBVIRT_SO: library } : {};
    },
    log: (level, message) => log[level](message),
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
      void vscode.window.showInformationMessage(n === 0 ? 'No libvirt passwords were saved.' : `Forgot ${n} saved libvirt password${n === 1 ? '' : 's'}.`);
    }),
    vscode.commands.registerCommand('libvirt.showLog', () => log.show()),
    { dispose: () => void libvirt?.dispose() },
  );
  await client.start();
}

export async function deactivate(): Promise<void> {
  await Promise.all([client?.stop(), libvirt?.dispose()]);
}
