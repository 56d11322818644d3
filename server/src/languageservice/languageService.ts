// The language service façade: documents in, LSP-shaped results out. Pure (no connection,
// no file system): callers supply settings and the known uri_aliases. Wiring only; each
// feature lives in services/.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CompletionItem, CompletionList, Diagnostic, Hover, Position } from 'vscode-languageserver-types';
import type { DirectoryEntry, HostNames } from './environment';
import { DEFAULT_MAX_DIAGNOSTICS } from './limits';
import { RegionCache } from './regions';
import { CodeActionRequest, fixAll, quickFixes, resolveDisableLine } from './services/codeActions';
import { CompletionService, resolveCompletion } from './services/completion';
import { ConnectableUri, connectableUris } from './services/connectable';
import { HoverService } from './services/hover';
import { DocumentDiagnostics, Severity, UriDiagnostic, ValidationService } from './services/validation';

export { NOT_SHOWN_CODE, describeNotShown } from './services/validation';
export { TRIGGER_CHARACTERS } from './services/completion';
export type { DocumentDiagnostics } from './services/validation';
export { CODE_ACTION_KINDS, FIX_ALL_KIND } from './services/codeActions';
export type { CodeActionRequest } from './services/codeActions';

export type SeveritySetting = Severity | 'off';

export interface ServiceSettings {
  /** Language id → false turns checking off for that language. */
  enable: Readonly<Record<string, boolean>>;
  /** Diagnostic code → severity override. */
  severity: Readonly<Record<string, SeveritySetting>>;
  /** Diagnostics per document; the rest are only counted. */
  maxDiagnostics: number;
}

export const DEFAULT_SETTINGS: ServiceSettings = { enable: {}, severity: {}, maxDiagnostics: DEFAULT_MAX_DIAGNOSTICS };

export interface ServiceEnvironment {
  /** uri_aliases from the libvirt.conf files in reach (workspace, user, system). */
  aliases(): ReadonlyMap<string, string>;
  /** The libvirt.conf an alias comes from, when known. */
  aliasSource?(name: string): string | undefined;
  /** Host names this machine knows (ssh's configuration, known_hosts, /etc/hosts), for completion. */
  hosts?(): HostNames;
  /** The user's home directory, where the catalog's usual places (`~/.ssh/`) are. */
  homeDir?(): string | undefined;
  /** A local folder's entries, bounded; undefined while they are not known (yet). */
  listDirectory?(path: string): readonly DirectoryEntry[] | undefined;
}

export interface LanguageService {
  /** The document's diagnostics, closed by one information diagnostic saying how many more were left out. */
  doValidation(document: TextDocument, settings?: ServiceSettings): Diagnostic[];
  /** The document's diagnostics up to the limit, and a count of the rest. */
  validate(document: TextDocument, settings?: ServiceSettings): DocumentDiagnostics;
  /** Drops cached regions of a closed document. */
  forget(uri: string): void;
  /** One URI typed by the user (the connect wizard), judged as in a libvirt context. */
  checkUri(text: string): UriDiagnostic[];
  /** The whole URIs the code hands to libvirt, where "Connect" can be offered. */
  connectableUris(document: TextDocument): ConnectableUri[];
  /** The card of the URI at the position: its parts, and what libvirt fills in. */
  doHover(document: TextDocument, position: Position): Hover | null;
  /** What may stand at the position in a libvirt URI (or a libvirt.conf key); null where nothing is offered. */
  doComplete(document: TextDocument, position: Position, settings?: ServiceSettings): CompletionList | null;
  /** A completion item with its documentation. */
  doResolve(item: CompletionItem): CompletionItem;
  /** Quick fixes of the request's diagnostics and, when asked for, every certainly-right fix of the document. */
  doCodeActions(document: TextDocument, request: CodeActionRequest, settings?: ServiceSettings): CodeAction[];
  /** Fills in the edit of a "Disable <code> for this line" action, in the open document it names. */
  resolveCodeAction(action: CodeAction, documents: (uri: string) => TextDocument | undefined): CodeAction;
}

export function getLanguageService(env: ServiceEnvironment): LanguageService {
  const regions = new RegionCache();
  const validation = new ValidationService(regions, env);
  const hover = new HoverService(regions, env);
  const completion = new CompletionService(regions, env);
  /**
   * Validation for fix all, over the whole document beyond the diagnostics shown. Its fixed
   * texts are validated with caches of their own: they are never the open document.
   */
  const fixAllValidation = (document: TextDocument, settings: ServiceSettings) => {
    const all = { ...settings, maxDiagnostics: Infinity };
    let scratch: ValidationService | undefined;
    return (d: TextDocument) => (d === document ? validation : (scratch ??= new ValidationService(new RegionCache(), env))).validate(d, all).diagnostics;
  };
  return {
    doValidation: (document, settings = DEFAULT_SETTINGS) => validation.doValidation(document, settings),
    validate: (document, settings = DEFAULT_SETTINGS) => validation.validate(document, settings),
    forget(uri) {
      regions.delete(uri);
    },
    checkUri: (text) => validation.checkUri(text),
    connectableUris: (document) => connectableUris(document, regions, validation),
    doHover: (document, position) => hover.doHover(document, position),
    doComplete: (document, position, settings = DEFAULT_SETTINGS) => completion.doComplete(document, position, settings),
    doResolve: (item) => resolveCompletion(item),
    doCodeActions: (document, request, settings = DEFAULT_SETTINGS) => [
      ...quickFixes(document, request),
      // Fix all covers the whole document, beyond the diagnostics shown.
      ...fixAll(document, request.only, fixAllValidation(document, settings)),
    ],
    resolveCodeAction: (action, documents) => resolveDisableLine(action, documents, regions),
  };
}
