// The language service façade: documents in, LSP-shaped results out. Pure (no connection,
// no file system): callers supply settings and the known uri_aliases.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, DiagnosticSeverity } from 'vscode-languageserver-types';
import { RegionCache, Suppression, UriCandidate } from './regions';
import { DiagnosticCode, Severity, UriDiagnostic, validateAliasEntry, validateUri } from './validation';

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

const DIAGNOSTIC_SOURCE = 'libvirt';

export interface LanguageService {
  doValidation(document: TextDocument, settings?: ServiceSettings): Diagnostic[];
  /** Drops cached regions of a closed document. */
  forget(uri: string): void;
}

/** The URI diagnostics of one candidate string, in candidate-relative offsets. */
function validateCandidate(candidate: UriCandidate, aliases: ReadonlyMap<string, string>): UriDiagnostic[] {
  return candidate.kind === 'alias-entry'
    ? validateAliasEntry(candidate.text)
    : validateUri(candidate.text, { libvirtContext: candidate.libvirtContext, aliases });
}

/** Verdicts per distinct string: a re-validation after an edit only checks the strings that changed. */
class VerdictCache {
  private static readonly MAX_ENTRIES = 20_000;
  private readonly verdicts = new Map<string, UriDiagnostic[]>();
  private aliases: ReadonlyMap<string, string> | undefined;

  get(candidate: UriCandidate, aliases: ReadonlyMap<string, string>): UriDiagnostic[] {
    // Alias names change verdicts, so a new alias map starts afresh.
    if (aliases !== this.aliases) {
      this.verdicts.clear();
      this.aliases = aliases;
    }
    const key = (candidate.kind === 'alias-entry' ? 'a' : candidate.libvirtContext ? 'c' : 'n') + candidate.text;
    let verdict = this.verdicts.get(key);
    if (!verdict) {
      verdict = validateCandidate(candidate, aliases);
      if (this.verdicts.size >= VerdictCache.MAX_ENTRIES) this.verdicts.clear();
      this.verdicts.set(key, verdict);
    }
    return verdict;
  }
}

export function getLanguageService(env: ServiceEnvironment): LanguageService {
  const regions = new RegionCache();
  const verdicts = new VerdictCache();
  return {
    doValidation(document, settings = DEFAULT_SETTINGS) {
      if (settings.enable[document.languageId] === false) return [];
      const aliases = env.aliases();
      const diagnostics: Diagnostic[] = [];
      for (const candidate of regions.get(document)) {
        for (const d of verdicts.get(candidate, aliases)) {
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
      return diagnostics.length === 0 ? diagnostics : applySuppressions(regions.suppressions(document), diagnostics);
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

function applySuppressions(suppressions: readonly Suppression[], diagnostics: Diagnostic[]): Diagnostic[] {
  if (suppressions.length === 0) return diagnostics;
  const byLine = new Map<number, string[][]>();
  for (const s of suppressions) byLine.set(s.line, [...(byLine.get(s.line) ?? []), s.codes]);
  return diagnostics.filter((d) => {
    const rules = byLine.get(d.range.start.line);
    return !rules?.some((codes) => codes.length === 0 || codes.includes(String(d.code)));
  });
}

