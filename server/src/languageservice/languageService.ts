// The language service façade: documents in, LSP-shaped results out. Pure (no connection,
// no file system): callers supply settings and the known uri_aliases.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, DiagnosticSeverity, Position, Range } from 'vscode-languageserver-types';
import { DEFAULT_MAX_DIAGNOSTICS, withRepeats } from './limits';
import { RegionCache, Suppression, UriCandidate } from './regions';
import { DiagnosticCode, Severity, UriDiagnostic, validateAliasEntry, validateUri } from './validation';

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
}

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const DIAGNOSTIC_SOURCE = 'libvirt';
/** The code of the information that closes a document's diagnostics when some were left out. */
export const NOT_SHOWN_CODE = 'diagnostics-not-shown';

export interface DocumentDiagnostics {
  /** At most `maxDiagnostics`, in document order. */
  diagnostics: Diagnostic[];
  /** How many more there are beyond the limit, by severity (counted, never built). */
  notShown: Record<Severity, number>;
  /** Where the first of those is. */
  firstNotShown?: Diagnostic['range'];
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
  connectableUris(document: TextDocument): { range: Range; uri: string }[];
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
  // A longer string is seldom seen twice, and as a key it would be copied and kept.
  private static readonly MAX_KEY_LENGTH = 4096;
  private readonly verdicts = new Map<string, UriDiagnostic[]>();
  private aliases: ReadonlyMap<string, string> | undefined;

  get(candidate: UriCandidate, aliases: ReadonlyMap<string, string>): UriDiagnostic[] {
    // Alias names change verdicts, so a new alias map starts afresh.
    if (aliases !== this.aliases) {
      this.verdicts.clear();
      this.aliases = aliases;
    }
    if (candidate.text.length > VerdictCache.MAX_KEY_LENGTH) return validateCandidate(candidate, aliases);
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

/**
 * Offsets to positions in one forward sweep that jumps from line break to line break with indexOf
 * (LSP breaks lines at \n, \r\n and \r). Candidates come in document order, so this avoids a
 * per-character pass over the whole document to build its line table; an offset behind the
 * sweep is left to the document itself.
 */
export class PositionCursor {
  private line = 0;
  private lineStart = 0;
  private nextLf = -2;
  private nextCr = -2;
  private readonly text: string;

  constructor(private readonly document: TextDocument) {
    this.text = document.getText();
  }

  at(offset: number): Position {
    if (offset < this.lineStart) return this.document.positionAt(offset);
    const text = this.text;
    for (;;) {
      if (this.nextLf !== -1 && this.nextLf < this.lineStart) this.nextLf = text.indexOf('\n', this.lineStart);
      if (this.nextCr !== -1 && this.nextCr < this.lineStart) this.nextCr = text.indexOf('\r', this.lineStart);
      if (this.nextLf === -1 && this.nextCr === -1) break;
      const crlf = this.nextCr !== -1 && this.nextLf === this.nextCr + 1;
      const brk = this.nextCr === -1 ? this.nextLf : this.nextLf === -1 ? this.nextCr : Math.min(this.nextLf, this.nextCr);
      const nextLineStart = brk + (crlf && brk === this.nextCr ? 2 : 1);
      if (nextLineStart > offset) break;
      this.line++;
      this.lineStart = nextLineStart;
    }
    // An offset inside a line break counts as its start, as TextDocument.positionAt has it.
    let at = Math.min(offset, text.length);
    while (at > this.lineStart && (text.charCodeAt(at - 1) === 10 || text.charCodeAt(at - 1) === 13)) at--;
    return { line: this.line, character: at - this.lineStart };
  }
}

export function getLanguageService(env: ServiceEnvironment): LanguageService {
  const regions = new RegionCache();
  const verdicts = new VerdictCache();
  const validate = (document: TextDocument, settings = DEFAULT_SETTINGS): DocumentDiagnostics => {
    const result: DocumentDiagnostics = { diagnostics: [], notShown: { error: 0, warning: 0, information: 0, hint: 0 } };
    if (settings.enable[document.languageId] === false) return result;
    const aliases = env.aliases();
    const suppressed = suppressionsByLine(regions.suppressions(document));
    const positions = new PositionCursor(document);
    for (const candidate of regions.get(document)) {
      for (const d of verdicts.get(candidate, aliases)) {
        const severity = effectiveSeverity(d.code, d.severity, settings);
        if (severity === 'off') continue;
        const start = positions.at(candidate.offset + d.start);
        if (suppressed?.get(start.line)?.some((codes) => codes.length === 0 || codes.includes(d.code))) continue;
        // Past the limit only a count is kept, so memory does not grow with the findings.
        if (result.diagnostics.length >= settings.maxDiagnostics) {
          result.notShown[severity]++;
          result.firstNotShown ??= { start, end: positions.at(candidate.offset + d.end) };
          continue;
        }
        const diagnostic: Diagnostic = {
          range: { start, end: positions.at(candidate.offset + d.end) },
          severity: LSP_SEVERITY[severity],
          code: d.code,
          source: DIAGNOSTIC_SOURCE,
          message: withRepeats(d.message, d.repeats),
        };
        if (d.suggestions) diagnostic.data = { suggestions: d.suggestions };
        result.diagnostics.push(diagnostic);
      }
    }
    return result;
  };
  return {
    validate,
    doValidation(document, settings = DEFAULT_SETTINGS) {
      const { diagnostics, notShown, firstNotShown } = validate(document, settings);
      if (!firstNotShown) return diagnostics;
      const count = notShown.error + notShown.warning + notShown.information + notShown.hint;
      diagnostics.push({
        range: firstNotShown,
        severity: DiagnosticSeverity.Information,
        code: NOT_SHOWN_CODE,
        source: DIAGNOSTIC_SOURCE,
        message: `${count} more libvirt diagnostic${count === 1 ? '' : 's'} not shown (${describeNotShown(notShown)}): ` +
          `the limit is ${settings.maxDiagnostics} per file (libvirt.uri.maxDiagnostics)`,
      });
      return diagnostics;
    },
    forget(uri) {
      regions.delete(uri);
    },
    checkUri(text) {
      return validateUri(text, { libvirtContext: true, aliases: env.aliases() });
    },
    connectableUris(document) {
      const positions = new PositionCursor(document);
      return regions
        .get(document)
        .filter((c) => c.kind === 'uri' && c.libvirtContext && c.text !== '')
        .map((c) => ({ range: { start: positions.at(c.offset), end: positions.at(c.offset + c.text.length) }, uri: c.text }));
    },
  };
}

/** "2 errors, 5 warnings": the non-zero counts. */
export function describeNotShown(notShown: Record<Severity, number>): string {
  const names: Record<Severity, [string, string]> = {
    error: ['error', 'errors'], warning: ['warning', 'warnings'], information: ['information', 'information'], hint: ['hint', 'hints'],
  };
  return (Object.keys(names) as Severity[])
    .filter((s) => notShown[s] > 0)
    .map((s) => `${notShown[s]} ${names[s][notShown[s] === 1 ? 0 : 1]}`)
    .join(', ');
}

function effectiveSeverity(code: DiagnosticCode, fallback: Severity, settings: ServiceSettings): SeveritySetting {
  const override = settings.severity[code];
  return override !== undefined && (override === 'off' || override in LSP_SEVERITY) ? override : fallback;
}

/** Suppressions per line, or nothing when the document has none. */
function suppressionsByLine(suppressions: readonly Suppression[]): Map<number, string[][]> | undefined {
  if (suppressions.length === 0) return undefined;
  const byLine = new Map<number, string[][]>();
  for (const s of suppressions) byLine.set(s.line, [...(byLine.get(s.line) ?? []), s.codes]);
  return byLine;
}
