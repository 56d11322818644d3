// Extension entry point: starts the libvirt URI language server.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { HOST_LANGUAGE_IDS } from '../../server/src/languageservice/languages';
import { LANGUAGE_SERVER_EXEC_ARGV } from './serverLaunch';

let client: LanguageClient | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const module = context.asAbsolutePath(path.join('dist', 'server.js'));
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_EXEC_ARGV] } },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: [...LANGUAGE_SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] } },
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: HOST_LANGUAGE_IDS.flatMap((language) => [
      { scheme: 'file', language },
      { scheme: 'untitled', language },
    ]),
    synchronize: {
      configurationSection: 'libvirt',
      fileEvents: vscode.workspace.createFileSystemWatcher('**/libvirt.conf'),
    },
  };
  client = new LanguageClient('libvirt', 'libvirt URI language server', serverOptions, clientOptions);
  context.subscriptions.push(client);
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
