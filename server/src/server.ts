// The language server: LSP wiring only. Everything it knows comes from ./languageservice.
import { fileURLToPath } from 'node:url';
import {
  TextDocumentSyncKind, TextDocuments, createConnection, DidChangeConfigurationNotification, type WorkspaceFolder,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { AliasStore } from './languageserver/aliasStore';
import { MachineEnvironment } from './languageserver/machine';
import { SettingsCache } from './languageserver/settings';
import { ValidationScheduler } from './languageserver/validationScheduler';
import { CODE_ACTION_KINDS, TRIGGER_CHARACTERS, getLanguageService } from './languageservice/languageService';
import { CHECK_URI_REQUEST, CONNECT_URI_COMMAND, type CheckUriParams, type CheckUriResult } from './languageserver/requests';

const VALIDATION_DELAY_MS = 200;
const URI_SCHEME_FILE = 'file:';

const connection = createConnection();
const documents = new TextDocuments(TextDocument);
const aliasStore = new AliasStore();
const machine = new MachineEnvironment();
const service = getLanguageService({
  aliases: () => aliasStore.aliases(),
  aliasSource: (name) => aliasStore.sourceOf(name),
  hosts: () => machine.hosts(),
  homeDir: () => machine.homeDir(),
  listDirectory: (dir) => machine.listDirectory(dir),
});
/** How long a completion waits for this machine's files and folders before it answers with what it has. */
const MACHINE_WAIT_MS = 150;
const settings = new SettingsCache(connection);
let workspaceFolders: string[] = [];
let foldersChange = false;

function localFolders(folders: readonly WorkspaceFolder[]): string[] {
  return folders.filter((f) => f.uri.startsWith(URI_SCHEME_FILE)).map((f) => fileURLToPath(f.uri));
}

async function validate(uri: string, isCurrent: () => boolean): Promise<void> {
  const document = documents.get(uri);
  if (!document) return;
  const version = document.version;
  const resourceSettings = await settings.get(uri);
  if (!isCurrent() || documents.get(uri)?.version !== version) return;
  const diagnostics = service.doValidation(document, resourceSettings);
  await connection.sendDiagnostics({ uri, version, diagnostics });
}

// A document that cannot be checked must not take the server, and every other document, down.
const scheduler = new ValidationScheduler(VALIDATION_DELAY_MS, (uri, isCurrent) =>
  validate(uri, isCurrent).catch((e: unknown) => {
    connection.console.error(`cannot check ${uri}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
  }));

connection.onInitialize((params) => {
  settings.configure(params.capabilities.workspace?.configuration === true, params.initializationOptions);
  workspaceFolders = localFolders(params.workspaceFolders ?? []);
  foldersChange = params.capabilities.workspace?.workspaceFolders === true;
  if (workspaceFolders.length === 0 && params.rootUri?.startsWith(URI_SCHEME_FILE)) workspaceFolders = [fileURLToPath(params.rootUri)];
  aliasStore.rescan(workspaceFolders);
  void machine.refresh(0);
  return {
    capabilities: {
      textDocumentSync: TextDocumentSyncKind.Incremental,
      codeLensProvider: { resolveProvider: false },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [...TRIGGER_CHARACTERS], resolveProvider: true },
      codeActionProvider: { codeActionKinds: [...CODE_ACTION_KINDS], resolveProvider: true },
      workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
    },
  };
});

connection.onInitialized(() => {
  // Folders added to the workspace bring their own libvirt.conf aliases.
  if (foldersChange) {
    connection.workspace.onDidChangeWorkspaceFolders((e) => {
      const removed = new Set(localFolders(e.removed));
      workspaceFolders = [...workspaceFolders.filter((f) => !removed.has(f)), ...localFolders(e.added)];
      aliasStore.rescan(workspaceFolders);
      revalidateAll();
    });
  }
  if (settings.pullsConfiguration) {
    connection.client.register(DidChangeConfigurationNotification.type, { section: 'libvirt' }).catch((e: unknown) => {
      connection.console.warn(`cannot register for configuration changes: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
});

function revalidateAll(delayMs = 0): void {
  for (const d of documents.all()) scheduler.schedule(d.uri, delayMs);
}

connection.onDidChangeConfiguration((change) => {
  settings.reset(change.settings);
  revalidateAll();
});

connection.onDidChangeWatchedFiles(() => {
  aliasStore.rescan(workspaceFolders);
  revalidateAll();
});

function trackLibvirtConf(document: TextDocument, open: boolean): boolean {
  if (document.languageId !== 'libvirt-conf' || !document.uri.startsWith(URI_SCHEME_FILE)) return false;
  aliasStore.setEditorText(fileURLToPath(document.uri), open ? document.getText() : undefined);
  return true;
}

// TextDocuments reports an open as a content change too: an opened document is checked at
// once, an edited one after a pause in typing.
const justOpened = new Set<string>();
documents.onDidOpen((e) => justOpened.add(e.document.uri));
documents.onDidChangeContent((e) => {
  const delay = justOpened.delete(e.document.uri) ? 0 : VALIDATION_DELAY_MS;
  // A changed alias list changes verdicts in every open document.
  if (trackLibvirtConf(e.document, true)) revalidateAll(delay);
  else scheduler.schedule(e.document.uri, delay);
});
documents.onDidClose((e) => {
  scheduler.cancel(e.document.uri);
  service.forget(e.document.uri);
  settings.forget(e.document.uri);
  if (trackLibvirtConf(e.document, false)) revalidateAll();
  void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
});
// "Connect" above each URI the code hands to libvirt; the extension runs CONNECT_URI_COMMAND.
connection.onCodeLens(({ textDocument }) => {
  const document = documents.get(textDocument.uri);
  if (!document) return [];
  return service.connectableUris(document).map(({ range, uri }) => ({ range, command: { title: '$(plug) Connect', command: CONNECT_URI_COMMAND, arguments: [uri] } }));
});

connection.onHover(({ textDocument, position }) => {
  const document = documents.get(textDocument.uri);
  return document ? service.doHover(document, position) : null;
});

// Completion reads the machine's host names and folders first, waiting a moment at most.
connection.onCompletion(async ({ textDocument, position }) => {
  const { uri } = textDocument;
  const resourceSettings = await settings.get(uri);
  await machine.refresh(MACHINE_WAIT_MS);
  const complete = () => {
    const document = documents.get(uri);
    return document ? service.doComplete(document, position, resourceSettings) : null;
  };
  try {
    let list = complete();
    if (machine.wants) {
      await machine.readWanted(MACHINE_WAIT_MS);
      list = complete();
    }
    return list;
  } catch (e) {
    connection.console.error(`cannot complete in ${uri}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return null;
  }
});
connection.onCompletionResolve((item) => {
  try {
    return service.doResolve(item);
  } catch (e) {
    connection.console.error(`cannot resolve ${item.label}: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
    return item;
  }
});

// The connect wizard checks the URI being typed with these rules, in libvirt's words.
connection.onRequest(CHECK_URI_REQUEST, (params: CheckUriParams): CheckUriResult => ({
  diagnostics: service.checkUri(params.uri).map((d) => ({ severity: d.severity, code: d.code, message: d.message, start: d.start, end: d.end })),
}));

connection.onCodeAction(async ({ textDocument, range, context }) => {
  const document = documents.get(textDocument.uri);
  if (!document) return [];
  const resourceSettings = await settings.get(textDocument.uri);
  return service.doCodeActions(document, { range, diagnostics: context.diagnostics, only: context.only }, resourceSettings);
});
connection.onCodeActionResolve((action) => service.resolveCodeAction(action, (uri) => documents.get(uri)));
connection.onShutdown(() => scheduler.dispose());

documents.listen(connection);
connection.listen();
