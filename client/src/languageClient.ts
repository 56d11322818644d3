// The libvirt URI language client. vscode-languageclient is most of the extension's code, so
// this is a bundle of its own (dist/languageClient.js) that extension.ts loads once activate()
// has returned: activation stays short, and the server starts right after.
import * as path from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { HOST_LANGUAGE_IDS } from '../../server/src/languageservice/languages';
import { CONNECT_URI_COMMAND } from '../../server/src/languageserver/requests';
import { LANGUAGE_SERVER_EXEC_ARGV } from './serverLaunch';

export function createLanguageClient(context: vscode.ExtensionContext): LanguageClient {
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
    middleware: {
      // "Connect" runs what a file says: only in a trusted workspace, and only when wanted.
      // The server names the lens in English; the title is the user's language's.
      provideCodeLenses: async (document, token, next) => {
        if (!vscode.workspace.isTrusted || !vscode.workspace.getConfiguration('libvirt', document).get<boolean>('codeLens.connect', true)) return [];
        const lenses = await next(document, token);
        for (const lens of lenses ?? []) {
          if (lens.command?.command === CONNECT_URI_COMMAND) lens.command.title = `$(plug) ${vscode.l10n.t('Connect')}`;
        }
        return lenses;
      },
    },
  };
  return new LanguageClient('libvirt', vscode.l10n.t('libvirt URI language server'), serverOptions, clientOptions);
}
