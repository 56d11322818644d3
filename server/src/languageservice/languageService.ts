// The language service façade: documents in, LSP-shaped results out. Pure (no connection,
// no file system): callers supply settings and the known uri_aliases.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { RegionCache, UriCandidate, findSuppressions } from './regions';
import { DIAGNOSTIC_CODES, DiagnosticCode, Severity, UriDiagnostic, validateAliasEntry, validateUri } from './validation';

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

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

export const DIAGNOSTIC_SOURCE = 'libvirt';

export interface LanguageService {
  doValidation(document: TextDocument, settings?: ServiceSettings): Diagnostic[];
  /** Drops cached regions of a closed document. */
  forget(uri: string): void;
}

/** The URI diagnostics of one candidate string, in candidate-relative offsets. */
export function validateCandidate(candidate: UriCandidate, aliases: ReadonlyMap<string, string>): UriDiagnostic[] {
  return candidate.kind === 'alias-entry'
    ? validateAliasEntry(candidate.text)
    : validateUri(candidate.text, { libvirtContext: candidate.libvirtContext, aliases });
}

export function getLanguageService(env: ServiceEnvironment): LanguageService {
  const regions = new RegionCache();
  return {
    doValidation(document, settings = DEFAULT_SETTINGS) {
      if (settings.enable[document.languageId] === false) return [];
      const aliases = env.aliases();
      const diagnostics: Diagnostic[] = [];
      for (const candidate of regions.get(document)) {
        for (const d of validateCandidate(candidate, aliases)) {
          const severity = effectiveSeverity(d.code, d.severity, settings);
          if (severity === 'off') continue;
          const diagnostic: Diagnostic = {
            range: { start: document.positionAt(candidate.offset + d.start), end: document.positionAt(candidate.offset + d.end) },
            severity: LSP_SEVERITY[severity],
            code: d.code,
            source: DIAGNOSTIC_SOURCE,
            message: d.message,
          };
          if (d.suggestions) diagnostic.data = { suggestions: d.suggestions };
          diagnostics.push(diagnostic);
        }
      }
      return diagnostics.length === 0 ? diagnostics : applySuppressions(document, diagnostics);
    },
    forget(uri) {
      regions.delete(uri);
    },
  };
}

function effectiveSeverity(code: DiagnosticCode, fallback: Severity, settings: ServiceSettings): SeveritySetting {
  const override = settings.severity[code];
  return override !== undefined && (override === 'off' || override in LSP_SEVERITY) ? override : fallback;
}

function applySuppressions(document: TextDocument, diagnostics: Diagnostic[]): Diagnostic[] {
  const suppressions = findSuppressions(document.getText(), document.languageId);
  if (suppressions.length === 0) return diagnostics;
  const byLine = new Map<number, string[][]>();
  for (const s of suppressions) byLine.set(s.line, [...(byLine.get(s.line) ?? []), s.codes]);
  return diagnostics.filter((d) => {
    const rules = byLine.get(d.range.start.line);
    return !rules?.some((codes) => codes.length === 0 || codes.includes(String(d.code)));
  });
}

export { DIAGNOSTIC_CODES };
