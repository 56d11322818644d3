// The language service façade: documents in, LSP-shaped results out. Pure (no connection,
// no file system): callers supply settings and the known uri_aliases. Wiring only; each
// feature lives in services/.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic } from 'vscode-languageserver-types';
import { RegionCache } from './regions';
import { Severity, ValidationService } from './services/validation';

export type SeveritySetting = Severity | 'off';

export interface ServiceSettings {
  /** Language id → false turns checking off for that language. */
  enable: Readonly<Record<string, boolean>>;
  /** Diagnostic code → severity override. */
  severity: Readonly<Record<string, SeveritySetting>>;
}

export const DEFAULT_SETTINGS: ServiceSettings = { enable: {}, severity: {} };

export interface ServiceEnvironment {
  /** uri_aliases from the libvirt.conf files in reach (workspace, user, system). */
  aliases(): ReadonlyMap<string, string>;
}

export interface LanguageService {
  doValidation(document: TextDocument, settings?: ServiceSettings): Diagnostic[];
  /** Drops cached regions of a closed document. */
  forget(uri: string): void;
}

export function getLanguageService(env: ServiceEnvironment): LanguageService {
  const regions = new RegionCache();
  const validation = new ValidationService(regions, env);
  return {
    doValidation: (document, settings = DEFAULT_SETTINGS) => validation.doValidation(document, settings),
    forget(uri) {
      regions.delete(uri);
    },
  };
}
