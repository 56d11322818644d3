// Validation: the URI candidates of a document, checked by rules that follow what libvirt 9.0.0
// does with each URI: errors where libvirt refuses it, warnings where it silently ignores or
// weakens something, information where it forwards something to the daemon unrecognised.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Diagnostic, DiagnosticSeverity, TextEdit } from 'vscode-languageserver-types';
import {
  CLIENT_SETTINGS, ConsumerName, LIBVIRT_VERSION, TERRAFORM_PROVIDER_CONSUMER as PROVIDER, ProviderTransport, ALIAS_NAME, DRIVER_NAMES, DriverInfo, LIBVIRT_BUILD, defaultTransport, EMBEDDABLE_DRIVERS, ESX_PROXY_TYPES, LATER_ESX_PARAMS, LATER_REMOTE_PARAMS, MESSAGES, MISSING_SLASH_SCHEMES, NOT_BUILT_SCHEMES, ParamInfo, REMOTE_PARAMS,
  SSH_FAMILY, TRANSPORTS, TRANSPORT_NAMES, TransportName, findDriver, findDriverParam, findRemoteParam, format, forwardedName,
  transportUses, unexpectedPathMessage,
} from '../catalog';
import type { ServiceEnvironment, ServiceSettings, SeveritySetting } from '../languageService';
import { FoldingList, withRepeats } from '../limits';
import { PositionCursor } from '../positions';
import { closest } from '../spelling';
import { ConfSetting, RegionCache, Suppression, UriCandidate, documentOffset } from '../regions';
import { Component, HOLE, ParsedUri, QueryParam, SyntaxProblem, UriPart, isLiteral, parseUri, percentDecode } from '../uri/parser';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface UriDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Offsets into the URI text. */
  start: number;
  end: number;
  /** What quick fixes can do about it, in offsets into the URI text. */
  fixes?: UriFix[];
  /** Further occurrences of this fault in the same URI, folded into this one. */
  repeats?: number;
}

/** A text edit in offsets: into the URI text in a UriDiagnostic. */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** The named part a did-you-mean fix replaces. */
export type NamedPart = 'driver' | 'transport' | 'parameter' | 'value' | 'setting';

/**
 * One quick fix of a diagnostic, one variant per kind of fix: its edits (applied together) and
 * what the title needs. `best` marks the one closest catalog entry, a fix that is certainly right.
 */
export type UriFix<E = OffsetEdit> = { edits: E[] } & (
  | { kind: 'did-you-mean'; part: NamedPart; to: string; best: boolean }
  | { kind: 'add-slash'; to: string }
  | { kind: 'accepted-path'; to: string; best: boolean }
  | { kind: 'drop-host' }
  | { kind: 'drop-transport'; transport: string }
  | { kind: 'use-ampersand' }
  | { kind: 'remove-duplicate'; name: string }
  | { kind: 'percent-encode'; from: string; to: string }
  | { kind: 'bracket-ipv6'; to: string }
  | { kind: 'add-command' }
  | { kind: 'use-tls' }
);

/** What a libvirt diagnostic carries in `Diagnostic.data`: its quick fixes, with document ranges. */
export interface LibvirtDiagnosticData {
  /** The document version the edits apply to. */
  version: number;
  fixes: UriFix<TextEdit>[];
}

/** Stable codes users can re-grade or silence, with their default severity. */
export const DIAGNOSTIC_CODES = {
  'uri-syntax': 'error',
  'bad-escape': 'error',
  'missing-driver': 'error',
  'unknown-alias': 'error',
  'unknown-driver': 'error',
  'driver-not-built': 'error',
  'unknown-transport': 'error',
  'unix-with-host': 'error',
  'maybe-you-want': 'error',
  'wrong-path': 'error',
  'missing-server': 'error',
  'embed-invalid': 'error',
  'bad-boolean': 'error',
  'bad-parameter-value': 'error',
  'ext-without-command': 'error',
  'netcat-with-native-proxy': 'error',
  'direct-mode-over-ssh': 'error',
  'malformed-alias': 'error',
  'setting-type': 'error',
  'unknown-setting': 'warning',
  'port-out-of-range': 'warning',
  'parameter-ignored': 'warning',
  'transport-on-client-driver': 'warning',
  'no-verify': 'warning',
  'plain-tcp': 'warning',
  'query-separator': 'warning',
  'relative-path': 'warning',
  'duplicate-parameter': 'warning',
  'empty-parameter-name': 'warning',
  'user-ignored': 'warning',
  'unknown-parameter': 'information',
} as const satisfies Record<string, Severity>;

export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

export interface ValidationOptions {
  /** The surrounding code says this string is for its consumer (virsh -c, libvirt.open, uri_default…). */
  libvirtContext?: boolean;
  /** Who reads the URI; default libvirt. */
  consumer?: ConsumerName;
  /** uri_aliases known from libvirt.conf files: alias name → URI. */
  aliases?: ReadonlyMap<string, string>;
}

const LSP_SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

const DIAGNOSTIC_SOURCE = 'libvirt';

/** The URI diagnostics of one candidate string, in candidate-relative offsets. */
function validateCandidate(candidate: UriCandidate, aliases: ReadonlyMap<string, string>): UriDiagnostic[] {
  return candidate.kind === 'alias-entry'
    ? validateAliasEntry(candidate.text)
    : validateUri(candidate.text, { libvirtContext: candidate.libvirtContext, consumer: candidate.consumer, aliases });
}

/** Verdicts per distinct string: a re-validation after an edit only checks the strings that changed. */
class VerdictCache {
  private static readonly MAX_ENTRIES = 20_000;
  // A longer string is seldom seen twice, and as a key it would be copied and kept.
  private static readonly MAX_KEY_LENGTH = 4096;
  // By how the string is read (kind, context, consumer), then by the string itself: keys are the
  // candidates' own strings, never concatenated ones that would have to be built and hashed.
  private readonly verdicts = new Map<string, Map<string, UriDiagnostic[]>>();
  private size = 0;
  private aliases: ReadonlyMap<string, string> | undefined;

  get(candidate: UriCandidate, aliases: ReadonlyMap<string, string>): UriDiagnostic[] {
    // Alias names change verdicts, so a new alias map starts afresh.
    if (aliases !== this.aliases) {
      this.clear();
      this.aliases = aliases;
    }
    if (candidate.text.length > VerdictCache.MAX_KEY_LENGTH) return validateCandidate(candidate, aliases);
    const reading = candidate.kind === 'alias-entry' ? 'alias-entry' : candidate.libvirtContext ? candidate.consumer : `${candidate.consumer} (no context)`;
    let byText = this.verdicts.get(reading);
    if (!byText) {
      byText = new Map();
      this.verdicts.set(reading, byText);
    }
    let verdict = byText.get(candidate.text);
    if (!verdict) {
      verdict = validateCandidate(candidate, aliases);
      if (this.size >= VerdictCache.MAX_ENTRIES) this.clear();
      byText.set(ownCopy(candidate.text), verdict);
      this.size++;
    }
    return verdict;
  }

  private clear(): void {
    for (const byText of this.verdicts.values()) byText.clear();
    this.size = 0;
  }
}

/**
 * A copy of a string that holds no reference to the one it came from. A candidate's text is a
 * slice of its document, and as a lasting key it would keep that version of the whole document.
 */
function ownCopy(text: string): string {
  // Slicing a concatenation copies it into a string of its own first.
  return (' ' + text).slice(1);
}

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

/** Diagnostics of whole documents: regions, verdicts, settings, suppression markers and the per-document limit. */
export class ValidationService {
  private readonly verdicts = new VerdictCache();

  constructor(private readonly regions: RegionCache, private readonly env: ServiceEnvironment) {}

  /** The document's diagnostics up to the limit, and a count of the rest. */
  validate(document: TextDocument, settings: ServiceSettings): DocumentDiagnostics {
    const result: DocumentDiagnostics = { diagnostics: [], notShown: { error: 0, warning: 0, information: 0, hint: 0 } };
    if (settings.enable[document.languageId] === false) return result;
    const aliases = this.env.aliases();
    const suppressed = suppressionsByLine(this.regions.suppressions(document));
    const positions = new PositionCursor(document);
    const add = (d: UriDiagnostic, candidate?: UriCandidate): void => {
      const start = candidate ? documentOffset(candidate, d.start, 'start') : d.start;
      const end = candidate ? documentOffset(candidate, d.end, 'end') : d.end;
      const severity = effectiveSeverity(d.code, d.severity, settings);
      if (severity === 'off') return;
      const from = positions.at(start);
      if (suppressed?.get(from.line)?.some((codes) => codes.length === 0 || codes.includes(d.code))) return;
      // Past the limit only a count is kept, so memory does not grow with the findings.
      if (result.diagnostics.length >= settings.maxDiagnostics) {
        result.notShown[severity]++;
        result.firstNotShown ??= { start: from, end: positions.at(end) };
        return;
      }
      const diagnostic: Diagnostic = {
        range: { start: from, end: positions.at(end) },
        severity: LSP_SEVERITY[severity],
        code: d.code,
        source: DIAGNOSTIC_SOURCE,
        message: withRepeats(d.message, d.repeats),
      };
      const fixes = d.fixes && documentFixes(d.fixes, candidate, positions);
      if (fixes) diagnostic.data = { version: document.version, fixes } satisfies LibvirtDiagnosticData;
      result.diagnostics.push(diagnostic);
    };
    // libvirt.conf's settings go between the URIs, so the limit cuts in document order.
    const settingsFound = this.regions.settings(document);
    const settingDiagnostics = settingsFound.length === 0 ? [] : validateSettings(document.getText(), settingsFound);
    let nextSetting = 0;
    for (const candidate of this.regions.get(document)) {
      for (; nextSetting < settingDiagnostics.length && settingDiagnostics[nextSetting].start < candidate.offset; nextSetting++) {
        add(settingDiagnostics[nextSetting]);
      }
      for (const d of this.verdicts.get(candidate, aliases)) add(d, candidate);
    }
    for (const d of settingDiagnostics.slice(nextSetting)) add(d);
    return result;
  }

  /** Whether libvirt refuses the candidate's URI: one of its diagnostics is an error by default. */
  refuses(candidate: UriCandidate): boolean {
    return this.verdicts.get(candidate, this.env.aliases()).some((d) => d.severity === 'error');
  }

  /** One URI typed by the user (the connect wizard), judged as in a libvirt context. */
  checkUri(text: string): UriDiagnostic[] {
    return validateUri(text, { libvirtContext: true, aliases: this.env.aliases() });
  }

  /** The document's diagnostics, closed by one information diagnostic saying how many more were left out. */
  doValidation(document: TextDocument, settings: ServiceSettings): Diagnostic[] {
    const { diagnostics, notShown, firstNotShown } = this.validate(document, settings);
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
  }
}

/**
 * Fixes in document ranges. In a template or a string with escapes, a fix whose edit would cut
 * into a hole or an escape is left out: its text cannot be written there as it is.
 */
function documentFixes(fixes: readonly UriFix[], candidate: UriCandidate | undefined, positions: PositionCursor): UriFix<TextEdit>[] | undefined {
  const out: UriFix<TextEdit>[] = [];
  for (const fix of fixes) {
    if (candidate && !fix.edits.every((e) => editableSpan(candidate, e.start, e.end))) continue;
    const edits = fix.edits.map((e) => {
      const start = candidate ? documentOffset(candidate, e.start, 'start') : e.start;
      const end = candidate ? documentOffset(candidate, e.end, 'end') : e.end;
      return { range: { start: positions.at(start), end: positions.at(end) }, newText: e.newText };
    });
    out.push({ ...fix, edits });
  }
  return out.length > 0 ? out : undefined;
}

/** Whether the candidate text [start, end) is written as it reads: no hole or escape inside it. */
function editableSpan(candidate: UriCandidate, start: number, end: number): boolean {
  for (const p of candidate.pieces ?? []) {
    if (!p.hole && p.value === undefined) continue;
    const pieceEnd = p.at + (p.hole ? 1 : p.value!.length);
    if (p.at < end && pieceEnd > start) return false;
    if (start === end && p.at < start && start < pieceEnd) return false;
  }
  return true;
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

/** Repeated faults of one URI fold into one diagnostic (limits.ts), so a URI never yields millions. */
class Collector {
  private readonly folded = new FoldingList<UriDiagnostic>();
  get list(): UriDiagnostic[] {
    return this.folded.list;
  }
  add(code: DiagnosticCode, message: string, at: { start: number; end: number }, fixes?: UriFix[]): void {
    const d: UriDiagnostic = { code, severity: DIAGNOSTIC_CODES[code], message, start: at.start, end: at.end };
    if (fixes && fixes.length > 0) d.fixes = fixes;
    this.folded.add(d);
  }
}

/** A URI text for a message: each hole of a template shows as '…'. */
function shown(text: string): string {
  return text.replaceAll(HOLE, '…');
}

/** What is known of a URI template, for the rules: a rule only speaks about what is known. */
class Known {
  readonly host: 'absent' | 'present' | 'unknown';
  /** Every parameter is in `uri.params` (none hidden in a hole). */
  readonly params: boolean;

  constructor(readonly uri: ParsedUri) {
    const host = uri.host;
    this.host = uri.unknown.has('host') ? 'unknown' : host && host.text !== '' ? 'present' : 'absent';
    this.params = !uri.unknown.has('query');
  }

  /** The part is there (or not) as parsed, and its text has no hole. */
  literal(part: UriPart, c: Component | undefined): boolean {
    return !this.uri.unknown.has(part) && (c === undefined || isLiteral(c));
  }

  get path(): boolean {
    return this.literal('path', this.uri.path);
  }

  /** The literal host text, when there is one. */
  get hostText(): Component | undefined {
    const host = this.uri.host;
    return this.host === 'present' && host && isLiteral(host) ? host : undefined;
  }
}

/** Validates one URI string. Strings that are clearly not meant for libvirt yield nothing. */
export function validateUri(text: string, options: ValidationOptions = {}): UriDiagnostic[] {
  const out = new Collector();
  const uri = parseUri(text);
  const libvirtContext = options.libvirtContext ?? false;
  // Outside any context, the provider's own words (`+sshcmd`, `knownhosts=`) say whose URI it is.
  if (options.consumer === PROVIDER.name || (!libvirtContext && speaksProviderDialect(uri))) {
    validateProviderUri(uri, libvirtContext, out);
    return out.list;
  }

  if (!uri.scheme || !uri.scheme.terminated) {
    if (libvirtContext && text !== '' && !text.includes(HOLE)) checkSchemeless(text, uri, options.aliases, out);
    return out.list;
  }
  const driverKnown = isLiteral(uri.driver!);
  const driverName = uri.driver!.text;
  const driver = driverKnown ? findDriver(driverName) : undefined;
  if (!libvirtContext && (!driver || !looksLikeLibvirt(uri, driver))) return out.list;

  if (uri.problems.length > 0) {
    reportSyntax(text, uri, out);
    return out.list;
  }

  // libvirt.c: an exact "xen://" is rewritten to xen:///system before anything else.
  if (text === 'xen://') return out.list;

  const known = new Known(uri);
  const scheme = uri.scheme.text;
  const host = known.hostText;
  // libxml2 hands libvirt the server and path %-decoded.
  const server = host ? percentDecode(host.text) : '';

  if (MISSING_SLASH_SCHEMES.includes(scheme) && (server === 'system' || server === 'session')) {
    out.add('maybe-you-want', format(MESSAGES.maybeYouWant, shown(text), scheme, server), uri.authority!,
      [{ kind: 'add-slash', to: `${scheme}:///${server}`, edits: [{ start: uri.authority!.start, end: uri.path.end, newText: '/' + server }] }]);
    return out.list;
  }

  checkPort(uri, out);

  if (known.path && percentDecode(uri.path.text) === '/embed') {
    checkEmbed(uri, known, driver, out);
    return out.list;
  }

  // libvirt.c compares the whole scheme case-insensitively here, so HYPERV:// is caught too.
  if (known.literal('transport', uri.transport) && NOT_BUILT_SCHEMES.includes(scheme.toLowerCase())) {
    out.add('driver-not-built', format(MESSAGES.notBuilt, scheme) +
      ` — in ${LIBVIRT_BUILD}; other builds may include it`, uri.scheme);
    return out.list;
  }
  // No client-side driver takes it: the remote driver hands a daemon `name=` when given (the
  // scheme's driver then does not matter; checkRemote checks the name), else the URI without
  // its remote parts, and the daemon refuses the unknown driver in those words.
  if (driverKnown && !driver && lastParam(uri, 'name') === undefined) {
    out.add('unknown-driver', unknownDriverMessage(shown(quotedByDaemon(uri)), driverName), uri.driver!, didYouMean('driver', uri.driver!, suggestDrivers(driverName)));
  }

  if (driver?.runsIn === 'client') {
    // Which driver takes the URI depends on its transport and, for local-only drivers, its host.
    if (uri.unknown.has('transport') || (uri.transport && !isLiteral(uri.transport))) return out.list;
    if (!uri.transport && driver.localOnly && known.host === 'unknown') return out.list;
    if (!uri.transport && !(driver.localOnly && known.host === 'present')) {
      checkClientDriver(uri, known, driver, out);
      return out.list;
    }
  }
  checkRemote(uri, known, driver, out);
  return out.list;
}

/** Names of the parameters the remote driver takes out of the forwarded URI. */
const REMOTE_PARAM_NAMES: ReadonlySet<string> = new Set(REMOTE_PARAMS.map((p) => p.name));

/** The remote driver's parameters by lower-cased name, the last value winning as in doRemoteOpen; and the others, in order. */
export function splitParams(uri: ParsedUri): { remote: Map<string, string>; passed: { name: string; value: string }[] } {
  const remote = new Map<string, string>();
  const passed: { name: string; value: string }[] = [];
  for (const p of uri.params) {
    const lower = p.decodedName.toLowerCase();
    if (REMOTE_PARAM_NAMES.has(lower)) remote.set(lower, p.decodedValue);
    else if (p.decodedName !== '') passed.push({ name: p.decodedName, value: p.decodedValue });
  }
  return { remote, passed };
}

/**
 * The URI the daemon is asked to open: `name=` as given, else the URI without what only the
 * remote driver reads (remoteConnectFormatURI).
 */
export function daemonName(uri: ParsedUri, { remote, passed } = splitParams(uri)): string {
  return remote.get('name') ?? forwardedName(uri.scheme!.text, uri.driver!.text, percentDecode(uri.path.text), passed, uri.fragment ? percentDecode(uri.fragment.text) : undefined);
}

/** What a daemon's refusal quotes; a URI with parts computed at run time is quoted as written. */
function quotedByDaemon(uri: ParsedUri): string {
  return uri.text.includes(HOLE) ? uri.text : daemonName(uri);
}

/**
 * Outside a libvirt context, whether a URI with a libvirt driver name is meant for libvirt:
 * other software uses some of the same schemes (`secret://vault/path`, `network://eth0`,
 * `ch://user:pw@clickhouse:9000/db`), and libvirt never takes a password in the URI.
 */
export function looksLikeLibvirt(uri: ParsedUri, driver: DriverInfo): boolean {
  // Nothing after `://`: a scheme to compare with or to build on (`uri.startswith("qemu+ssh://")`).
  if (uri.authority !== undefined && uri.authority.text === '' && uri.authority.end === uri.text.length) return false;
  if (uri.user && uri.user.text.includes(':')) return false;
  if (driver.sharedScheme && !uri.transport && uri.authority && uri.authority.text !== '') return false;
  return true;
}

function checkSchemeless(text: string, uri: ParsedUri, aliases: ReadonlyMap<string, string> | undefined, out: Collector): void {
  // libvirt.c maps "xen" (any case) to xen:///system for old programs.
  if (text.toLowerCase() === 'xen') return;
  if (uri.problems.length > 0) {
    reportSyntax(text, uri, out);
    return;
  }
  const whole = { start: 0, end: text.length };
  if (ALIAS_NAME.test(text)) {
    if (aliases?.has(text)) return;
    const halfTypedDriver = uri.scheme && DRIVER_NAMES.some((d) => text.startsWith(d));
    out.add('unknown-alias',
      `${format(MESSAGES.noConnect, format(MESSAGES.noDriverName, text))} — '${text}' is not a uri_aliases entry of any libvirt.conf found` +
      (halfTypedDriver ? `; did you mean ${text}:///system?` : ''), whole);
    return;
  }
  out.add('missing-driver', format(MESSAGES.noConnect, format(MESSAGES.noDriverName, text)), whole);
}

/** libxml2 stops at the first problem, and so do we: later ones are often consequences. */
function reportSyntax(text: string, uri: ParsedUri, out: Collector): void {
  const p = uri.problems[0];
  out.add(p.kind === 'bad-escape' ? 'bad-escape' : 'uri-syntax', `${format(MESSAGES.parse, shown(text))} — ${p.detail}`, p, syntaxFixes(text, uri, p));
}

/** What the URI means, written so libxml2 takes it: an escaped '%', space or other character, a bracketed IPv6 host. */
function syntaxFixes(text: string, uri: ParsedUri, p: SyntaxProblem): UriFix[] | undefined {
  if (p.kind === 'bad-escape') return [{ kind: 'percent-encode', from: '%', to: '%25', edits: [{ start: p.start, end: p.start + 1, newText: '%25' }] }];
  const authority = uri.authority;
  if ((p.kind === 'bad-port' || p.kind === 'invalid-character') && authority && p.start >= authority.start && p.end <= authority.end) {
    const hostStart = authority.start + authority.text.lastIndexOf('@') + 1;
    const host = text.slice(hostStart, authority.end);
    if (/^[0-9A-Fa-f:.]+$/.test(host) && host.split(':').length > 2) {
      return [{ kind: 'bracket-ipv6', to: `[${host}]`, edits: [{ start: hostStart, end: authority.end, newText: `[${host}]` }] }];
    }
    return undefined;
  }
  // Only in the path and after: a %-escape there reads back as the character itself. Not a
  // delimiter, a control character or a backslash (in source code it starts an escape sequence).
  if (p.kind !== 'invalid-character' || p.start < uri.path.start) return undefined;
  const from = text.slice(p.start, p.end);
  if ([...from].some((ch) => ch < ' ' || ch === '\x7f' || ':/?#[]@\\\uFFFC'.includes(ch))) return undefined;
  let to: string;
  try {
    to = encodeURIComponent(from);
  } catch {
    // A lone surrogate has no UTF-8 form.
    return undefined;
  }
  return [{ kind: 'percent-encode', from, to, edits: [{ start: p.start, end: p.end, newText: to }] }];
}

function unknownDriverMessage(text: string, driverName: string): string {
  const lower = driverName.toLowerCase();
  const hint = findDriver(lower) ? ` (driver names are case-sensitive: '${lower}')` : '';
  return `${format(MESSAGES.noConnect, text)} — '${driverName}' is not a libvirt driver${hint}`;
}

function suggestDrivers(name: string): string[] {
  return closest(name, DRIVER_NAMES);
}

function replaceWith(at: { start: number; end: number }, newText: string): OffsetEdit {
  return { start: at.start, end: at.end, newText };
}

/** Did-you-mean fixes, closest first; the only close name is certainly the one meant. */
function didYouMean(part: NamedPart, at: { start: number; end: number }, names: readonly string[]): UriFix[] {
  return names.map((to) => ({ kind: 'did-you-mean', part, to, best: names.length === 1, edits: [replaceWith(at, to)] }));
}

/** The closest of `values` to `given`, or all of them when none is close. */
function valueChoices(given: string, values: readonly string[]): { names: readonly string[]; close: boolean } {
  const near = closest(given, values);
  return near.length > 0 ? { names: near, close: near.length === 1 } : { names: values, close: false };
}

/** Fixes that give a parameter one of `values` (a parameter without '=' gets one). */
function valueFixes(p: QueryParam, values: readonly string[]): UriFix[] {
  const { names, close } = valueChoices(p.decodedValue, values);
  return names.map((to) => ({
    kind: 'did-you-mean', part: 'value', to, best: close,
    edits: [p.value ? replaceWith(p.value, to) : { start: p.name.end, end: p.name.end, newText: '=' + to }],
  }));
}

/** The path fixes: the closest accepted path, or all of them when none is close. */
function pathFixes(uri: ParsedUri, paths: readonly string[]): UriFix[] {
  const { names, close } = valueChoices(uri.path.text, paths);
  return names.map((to) => ({ kind: 'accepted-path', to, best: close, edits: [replaceWith(uri.path, to)] }));
}

/** Removes `+transport` from the scheme. */
function dropTransport(uri: ParsedUri): UriFix[] {
  const t = uri.transport!;
  return [{ kind: 'drop-transport', transport: t.text, edits: [{ start: t.start - 1, end: t.end, newText: '' }] }];
}

/** Every ';' of a component as '&'. */
function useAmpersand(c: Component): UriFix[] {
  const edits: OffsetEdit[] = [];
  for (let i = c.text.indexOf(';'); i !== -1; i = c.text.indexOf(';', i + 1)) edits.push({ start: c.start + i, end: c.start + i + 1, newText: '&' });
  return [{ kind: 'use-ampersand', edits }];
}

/** Fixes of a nested URI moved by `delta` (name='s value), or none when it was not written as is. */
function shiftFixes(fixes: readonly UriFix[] | undefined, delta: number | undefined): UriFix[] | undefined {
  if (!fixes || delta === undefined) return undefined;
  return fixes.map((f) => ({ ...f, edits: f.edits.map((e) => ({ start: e.start + delta, end: e.end + delta, newText: e.newText })) }));
}

function checkPort(uri: ParsedUri, out: Collector): void {
  if (!uri.port || uri.port.text === '' || !isLiteral(uri.port)) return;
  const port = Number(uri.port.text);
  if (port > 65535) {
    out.add('port-out-of-range',
      `port ${port} is out of range (1-65535); ${LIBVIRT_VERSION} does not refuse it and connects to port ${port % 65536} instead`, uri.port);
  }
}

function checkEmbed(uri: ParsedUri, known: Known, driver: DriverInfo | undefined, out: Collector): void {
  const scheme = uri.scheme!;
  if (!isLiteral(scheme) || uri.unknown.has('transport')) return;
  if (!/^[a-z]+$/.test(scheme.text)) {
    out.add('embed-invalid', format(MESSAGES.embedScheme, scheme.text), scheme);
    return;
  }
  // virURIGetParam: first match, name compared case-sensitively in 9.0.0.
  const root = uri.params.find((p) => p.decodedName === 'root');
  if (!root) {
    if (!known.params) return;
    const anyCase = uri.params.find((p) => p.decodedName.toLowerCase() === 'root');
    out.add('embed-invalid', format(MESSAGES.embedMissingRoot, 'root') +
      (anyCase ? ` (${LIBVIRT_VERSION} matches 'root' case-sensitively; later versions accept '${anyCase.decodedName}')` : ''),
      anyCase ? anyCase.name : uri.path);
    return;
  }
  // A hole at the start may hold the leading '/'.
  if (!root.decodedValue.startsWith('/') && !root.decodedValue.startsWith(HOLE)) {
    out.add('embed-invalid', MESSAGES.embedRelativeRoot, root.value ?? root.name);
    return;
  }
  if (isLiteral(uri.driver!) && !driver?.embeddable) {
    out.add('embed-invalid', (driver?.embedRefusal ?? format(MESSAGES.noConnect, shown(uri.text))) +
      ` — only the ${EMBEDDABLE_DRIVERS.join(' and ')} drivers can be embedded`, uri.driver!);
  }
}

function checkClientDriver(uri: ParsedUri, known: Known, driver: DriverInfo, out: Collector): void {
  if (driver.remoteOnly && known.host === 'absent') {
    out.add('missing-server', MESSAGES.missingServer, uri.authority ?? uri.scheme!);
    return;
  }
  checkPath(uri, known, driver, out);
  if (driver.params) {
    checkDriverParams(uri, driver, out);
  } else {
    for (const p of uri.params) {
      if (!isLiteral(p.name)) continue;
      out.add('parameter-ignored', `the ${driver.name} driver ignores URI parameters; '${p.decodedName}' has no effect`, p.name.text === '' ? p : p.name);
    }
  }
}

/** Where to point at a path problem: the path, or the end of the authority when the path is empty. */
function pathRange(uri: ParsedUri): { start: number; end: number } {
  if (uri.path.text !== '') return uri.path;
  return uri.authority ?? uri.scheme!;
}

function checkDriverParams(uri: ParsedUri, driver: DriverInfo, out: Collector): void {
  for (const p of uri.params) {
    if (!isLiteral(p.name)) continue;
    const param = findDriverParam(driver, p.decodedName);
    if (!param) {
      const later = driver.name !== 'hyperv' ? LATER_ESX_PARAMS[p.decodedName.toLowerCase()] : undefined;
      out.add('parameter-ignored', format(MESSAGES.esxUnknownParam, p.decodedName) + (later ? ` (${later})` : ''), p.name,
        didYouMean('parameter', p.name, closest(p.decodedName, driver.params!.map((x) => x.name))));
      continue;
    }
    if (param.drivers && !param.drivers.includes(driver.name)) {
      out.add('parameter-ignored', `'${param.name}' only applies to ${param.drivers.map((d) => `${d}://`).join(' and ')} URIs`, p.name);
    }
    if (p.value && !isLiteral(p.value)) continue;
    if (param.kind === 'boolean') {
      if (p.decodedValue !== '0' && p.decodedValue !== '1') {
        out.add('bad-parameter-value', format(param.badValueMessage!, p.decodedValue), p.value ?? p.name, valueFixes(p, ['0', '1']));
      } else if (param.insecureWhenOn === p.decodedValue) {
        out.add('no-verify', `${param.name}=1 disables verification of the server's certificate`, p);
      }
    } else if (param.kind === 'enum' && param.values && !isListedValue(param, p.decodedValue)) {
      out.add('bad-parameter-value', format(param.badValueMessage!, p.decodedValue), p.value ?? p.name, valueFixes(p, param.values.map((v) => v.value)));
    } else if (param.name === 'proxy') {
      const problem = esxProxyProblem(p.decodedValue);
      if (problem) out.add('bad-parameter-value', problem, p.value ?? p.name);
    }
  }
}

function esxProxyProblem(value: string): string | undefined {
  let rest = value;
  const sep = rest.indexOf('://');
  if (sep !== -1) {
    const type = rest.slice(0, sep);
    if (!ESX_PROXY_TYPES.includes(type)) {
      return format(MESSAGES.esxProxyType, type);
    }
    rest = rest.slice(sep + 3);
  }
  const colon = rest.indexOf(':');
  if (colon === 0) return MESSAGES.esxProxyHost;
  if (colon !== -1) {
    const port = rest.slice(colon + 1);
    if (!/^[0-9]+$/.test(port) || Number(port) < 1 || Number(port) > 65535) {
      return format(MESSAGES.esxProxyPort, port);
    }
  }
  return undefined;
}

/** virStrToLong_i(value, NULL, 10): optional blanks and sign, digits, nothing after, fits an int. */
function parsesAsInt(value: string): boolean {
  if (!/^[ \t\n\v\f\r]*[+-]?[0-9]+$/.test(value)) return false;
  const n = Number(value.trim());
  return n >= -2147483648 && n <= 2147483647;
}

interface Effective {
  param: QueryParam;
  info: ParamInfo;
}

const NO_PARAMETERS = new Map<string, Effective>();

function checkRemote(uri: ParsedUri, known: Known, driver: DriverInfo | undefined, out: Collector): void {
  const host = known.hostText;
  let transport: TransportName | undefined;
  if (uri.transport) {
    const t = uri.transport.text.toLowerCase();
    if ((TRANSPORT_NAMES as readonly string[]).includes(t)) {
      transport = t as TransportName;
    } else if (isLiteral(uri.transport)) {
      out.add('unknown-transport', MESSAGES.unknownTransport, uri.transport.text === '' ? uri.scheme! : uri.transport,
        uri.transport.text === '' ? undefined : didYouMean('transport', uri.transport, closest(t, TRANSPORT_NAMES)));
    }
  } else if (!uri.unknown.has('transport') && known.host !== 'unknown') {
    transport = defaultTransport(known.host === 'present');
  }

  // name= replaces the URI the daemon is sent, so the driver and path checks below do not apply
  // (name= itself is checked as the URI the daemon opens); nor do they when a hole may hold it.
  const name = lastParam(uri, 'name');
  const forwarded = name === undefined && known.params;
  if (driver?.remoteOnly && driver.notBuilt && forwarded) {
    out.add('driver-not-built', format(MESSAGES.notBuilt, driver.name) + ` — the daemon answers this, in ${LIBVIRT_BUILD}`, uri.driver!);
  } else if (driver?.remoteOnly && forwarded && uri.transport) {
    // The daemon gets '<driver>:///…' without the host, and its own esx driver refuses that.
    out.add('missing-server', `${MESSAGES.missingServer} — ${driver.name} URIs are handled by the client library and must not carry a transport: ` +
      `with '+${uri.transport!.text}' libvirt sends ${driver.name}:///… to a daemon, without the host`, uri.transport!, dropTransport(uri));
  } else if (driver && driver.runsIn === 'client' && !driver.alsoInDaemons && forwarded) {
    out.add('transport-on-client-driver',
      `${driver.name} URIs are handled inside the client library; with ${uri.transport ? `'+${uri.transport.text}'` : 'a host'} this URI goes to a libvirt daemon instead`,
      uri.transport ?? uri.scheme!, uri.transport ? dropTransport(uri) : undefined);
  }

  if (transport === 'unix' && host) {
    out.add('unix-with-host', format(MESSAGES.unixWithHost, host.text), host, [{ kind: 'drop-host', edits: [replaceWith(uri.authority!, '')] }]);
  }

  if (transport === 'tcp') {
    out.add('plain-tcp', 'the tcp transport is not encrypted: anyone on the network can read and alter the traffic unless SASL negotiates a security layer; prefer tls or ssh', uri.transport!,
      [{ kind: 'use-tls', edits: [replaceWith(uri.transport!, 'tls')] }]);
  }
  if (transport && uri.user && uri.user.text !== '' && isLiteral(uri.user) && !SSH_FAMILY.includes(transport)) {
    out.add('user-ignored', `the ${transport} transport does not use the user name in the URI` +
      (TRANSPORTS[transport].usesHost ? '; SASL asks for it through the credential callback or auth.conf' : ''), uri.user);
  }

  // Filled from the parameters only: a URI without a query shares one empty map.
  const effective = uri.query === undefined ? NO_PARAMETERS : new Map<string, Effective>();
  checkSeparators(uri, out);
  for (const p of uri.params) {
    if (!isLiteral(p.name)) continue;
    if (p.decodedName === '') {
      if (p.value) out.add('empty-parameter-name', `libvirt drops a parameter with an empty name ('=${shown(p.value.text)}')`, p);
      continue;
    }
    const info = findRemoteParam(p.decodedName);
    if (!info) {
      const later = LATER_REMOTE_PARAMS[p.decodedName.toLowerCase()];
      const near = closest(p.decodedName, REMOTE_PARAMS.map((r) => r.name));
      out.add('unknown-parameter',
        `'${p.decodedName}' is not a remote driver parameter: libvirt passes it through to the daemon in the URI it opens` +
        (later ? ` (${later})` : '') + (near.length > 0 ? `; did you mean '${near[0]}'?` : ''),
        p.name, didYouMean('parameter', p.name, near));
      continue;
    }
    const key = info.name;
    const previous = effective.get(key);
    if (previous) {
      const ignored = previous.param;
      out.add('duplicate-parameter', `'${key}' is given again later; libvirt uses the last value ('${shown(p.decodedValue)}')`, ignored,
        [{ kind: 'remove-duplicate', name: key, edits: [{ start: ignored.start, end: ignored.end + (ignored.separator ? 1 : 0), newText: '' }] }]);
    }
    effective.set(key, { param: p, info });
    if (info.kind === 'boolean' && valueKnown(p) && !parsesAsInt(p.decodedValue)) {
      out.add('bad-boolean', format(MESSAGES.badInteger, p.decodedName) + ' — use 0 or 1', p.value ?? p.name, valueFixes(p, ['1', '0']));
    }
    if (transport && !transportUses(info, transport)) {
      const users = info.transports === 'all' ? [] : info.transports;
      // mode and proxy values are checked on every transport, so only their effect is lost.
      out.add('parameter-ignored', `'${key}' is ignored by the ${transport} transport (used by ${users.join(', ')})`, p.name);
    }
  }

  // The last value wins: unknown while a hole may hold a later one.
  if (known.params) {
    for (const { param: p, info } of effective.values()) {
      if (!valueKnown(p)) continue;
      const used = transport !== undefined && transportUses(info, transport);
      checkValue(p, info, transport, used, out);
    }
  }

  if (transport === 'ext' && known.params && !effective.has('command')) {
    const at = uri.query ? uri.query.end : uri.path.end;
    const newText = uri.query ? (uri.query.text === '' || uri.query.text.endsWith('&') ? '' : '&') + 'command=' : '?command=';
    out.add('ext-without-command', MESSAGES.extNeedsCommand, uri.transport!, [{ kind: 'add-command', edits: [{ start: at, end: at, newText }] }]);
  }
  if (transport && SSH_FAMILY.includes(transport) && known.params) {
    const netcat = effective.get('netcat');
    const proxy = effective.get('proxy');
    if (netcat && proxy && valueKnown(proxy.param) && proxy.param.decodedValue === 'native') {
      out.add('netcat-with-native-proxy', MESSAGES.netcatNative, netcat.param);
    }
    const mode = effective.get('mode');
    if (mode && valueKnown(mode.param) && mode.param.decodedValue === 'direct') {
      out.add('direct-mode-over-ssh', format(MESSAGES.directOverSsh, transport), mode.param.value ?? mode.param.name, valueFixes(mode.param, ['legacy']));
    }
  }

  if (name !== undefined) {
    checkForwardedName(name, out);
    return;
  }
  if (!driver || !forwarded) return;
  if (driver.notBuilt === 'daemon') {
    out.add('driver-not-built', daemonNotBuilt(quotedByDaemon(uri), driver), uri.driver!);
    return;
  }
  if (!known.path) return;
  if (!uri.authority && uri.path.text !== '' && !uri.path.text.startsWith('/')) checkOpaquePath(uri, driver, out);
  else checkPath(uri, known, driver, out);
}

/** A daemon driver Debian 12's build left out: every daemon answers that it has none, quoting `name`. */
function daemonNotBuilt(name: string, driver: DriverInfo): string {
  return `${format(MESSAGES.noConnect, shown(name))} — ${LIBVIRT_BUILD} has no ${driver.name} driver in any daemon; other builds may include it`;
}

/** The last parameter named `name` (any case), as the remote driver keeps it. */
function lastParam(uri: ParsedUri, name: string): QueryParam | undefined {
  let found: QueryParam | undefined;
  for (const p of uri.params) if (isLiteral(p.name) && p.decodedName.toLowerCase() === name) found = p;
  return found;
}

function valueKnown(p: QueryParam): boolean {
  return p.value === undefined || isLiteral(p.value);
}

/**
 * `name=`: the URI the daemon opens, as given. The daemon runs the same open as the client
 * library, without a remote driver of its own for local URIs: its driver and path rules apply.
 */
function checkForwardedName(p: QueryParam, out: Collector): void {
  const value = p.decodedValue;
  if (!p.value || value === '' || !valueKnown(p)) return;
  // Diagnostics point into the value when it has no %-escapes, else at the whole value.
  const exact = p.value.text === value;
  const place = (d: { start: number; end: number }) => (exact ? { start: p.value!.start + d.start, end: p.value!.start + d.end } : p.value!);
  const delta = exact ? p.value.start : undefined;
  const uri = parseUri(value);
  if (!uri.scheme || !uri.scheme.terminated) return;
  if (uri.problems.length > 0) {
    const problem = uri.problems[0];
    out.add(problem.kind === 'bad-escape' ? 'bad-escape' : 'uri-syntax', `${format(MESSAGES.parse, value)} — ${problem.detail} (in name=)`, place(problem));
    return;
  }
  // A name with a host or a transport makes the daemon connect further; that is beyond what is known here.
  if (uri.transport || (uri.host && uri.host.text !== '')) return;
  const known = new Known(uri);
  const driver = findDriver(uri.driver!.text);
  if (NOT_BUILT_SCHEMES.includes(uri.scheme.text.toLowerCase())) {
    out.add('driver-not-built', format(MESSAGES.notBuilt, uri.scheme.text) + ` — the daemon answers this, in ${LIBVIRT_BUILD}`, place(uri.scheme));
    return;
  }
  if (!driver) {
    out.add('unknown-driver', `${format(MESSAGES.noConnect, value)} — the daemon has no '${uri.driver!.text}' driver`, place(uri.driver!),
      shiftFixes(didYouMean('driver', uri.driver!, suggestDrivers(uri.driver!.text)), delta));
    return;
  }
  if (driver.remoteOnly) {
    out.add('missing-server', MESSAGES.missingServer + ` — in name=${value}`, place(uri.scheme));
    return;
  }
  if (driver.notBuilt === 'daemon') {
    out.add('driver-not-built', daemonNotBuilt(value, driver), place(uri.driver!));
    return;
  }
  const inner = new Collector();
  checkPath(uri, known, driver, inner);
  for (const d of inner.list) out.add(d.code, d.message + ` — in name=, the URI the daemon opens`, place(d), shiftFixes(d.fixes, delta));
}

/** `qemu:system`: virURIFormat puts an empty server back, so the daemon is sent `qemu://system`. */
function checkOpaquePath(uri: ParsedUri, driver: DriverInfo, out: Collector): void {
  const path = percentDecode(uri.path.text);
  const forwarded = `${driver.name}://${path}`;
  const server = path.split('/')[0];
  const why = ` — libvirt sends ${uri.text} to the daemon as ${forwarded}`;
  if (MISSING_SLASH_SCHEMES.includes(driver.name) && (server === 'system' || server === 'session')) {
    out.add('maybe-you-want', format(MESSAGES.maybeYouWant, uri.text, driver.name, server) + why, uri.path,
      [{ kind: 'add-slash', to: `${driver.name}:///${path}`, edits: [{ start: uri.path.start, end: uri.path.start, newText: '///' }] }]);
  } else {
    out.add('wrong-path', format(MESSAGES.noConnect, forwarded) + `${why}, where '${server}' is a host name; write ${driver.name}:///${path}`, uri.path);
  }
}

/** Whether `value` is one of the parameter's values, compared as libvirt compares them. */
function isListedValue(info: ParamInfo, value: string): boolean {
  const v = info.caseSensitiveValues ? value : value.toLowerCase();
  return info.values!.some((x) => x.value === v);
}

function checkValue(p: QueryParam, info: ParamInfo, transport: TransportName | undefined, used: boolean, out: Collector): void {
  const value = p.decodedValue;
  const at = p.value ?? p.name;
  const empty = transport !== undefined && value === '' ? info.emptyValue?.find((e) => e.transports.includes(transport)) : undefined;
  if (empty) {
    if (empty.refused) out.add('bad-parameter-value', empty.message, at);
    else out.add('parameter-ignored', empty.message, p);
    return;
  }
  switch (info.name) {
    case 'mode':
    case 'proxy': {
      // Checked on every transport (remote_driver.c).
      if (!isListedValue(info, value)) {
        out.add('bad-parameter-value', format(info.badValueMessage!, value), at, valueFixes(p, info.values!.map((v) => v.value)));
      }
      return;
    }
    case 'known_hosts_verify':
      if (!used) return;
      if (!isListedValue(info, value)) {
        out.add('bad-parameter-value', format(info.badValueMessage!, value), at, valueFixes(p, info.values!.map((v) => v.value)));
      } else if (value.toLowerCase() === 'ignore') {
        out.add('no-verify', 'known_hosts_verify=ignore accepts any host key: the connection can be intercepted', p);
      }
      return;
    case 'sshauth': {
      if (!used) return;
      // An empty value keeps the default list; an empty item inside a list is refused.
      if (value === '') return;
      for (const item of value.split(',')) {
        if (!isListedValue(info, item)) {
          out.add('bad-parameter-value', format(info.badValueMessage!, item), at, sshauthFixes(p, item, info.values!.map((v) => v.value)));
          break;
        }
      }
      return;
    }
    case 'auth':
      if (!info.valuePattern!.test(value)) {
        out.add('bad-parameter-value', format(MESSAGES.unknownAuth, value) + ' — libvirt reports it once connected; use sasl, sasl.MECH or polkit', at,
          valueFixes(p, info.values!.map((v) => v.value)));
      }
      return;
    case 'no_verify':
      if (used && parsesAsInt(value) && Number(value.trim()) !== 0) {
        out.add('no-verify', transport === 'ssh'
          ? 'no_verify makes ssh accept any host key (StrictHostKeyChecking=no): the connection can be intercepted'
          : "no_verify turns off verification of the server's TLS certificate: the connection can be intercepted", p);
      }
      return;
  }
  if (info.kind === 'local-path' && used && value !== '') {
    if (value.startsWith('~')) {
      if (!info.tildeExpandedBy?.includes(transport!)) {
        out.add('relative-path', `the ${transport} transport does not expand '~' in ${info.name}; write the absolute path`, at);
      }
    } else if (!value.startsWith('/')) {
      out.add('relative-path', `${info.name} is relative: libvirt resolves it against the working directory of the program that opens the connection`, at);
    }
  }
}

/** Fixes of one unknown method in an sshauth list, when the value is written without %-escapes. */
function sshauthFixes(p: QueryParam, item: string, methods: readonly string[]): UriFix[] | undefined {
  const raw = p.value;
  if (!raw || raw.text !== p.decodedValue) return undefined;
  let start = raw.start;
  for (const it of raw.text.split(',')) {
    if (it === item) break;
    start += it.length + 1;
  }
  const { names, close } = valueChoices(item, methods);
  return names.map((to) => ({ kind: 'did-you-mean', part: 'value', to, best: close, edits: [{ start, end: start + item.length, newText: to }] }));
}

/** Mixed separators: libvirt splits on ';' only where no '&' follows, so earlier ';' stay inside values. */
function checkSeparators(uri: ParsedUri, out: Collector): void {
  if (!uri.query || !uri.query.text.includes('&') || !uri.query.text.includes(';')) return;
  for (const p of uri.params) {
    if (p.value && p.value.text.includes(';')) {
      out.add('query-separator',
        `libvirt splits parameters on ';' only after the last '&': '${p.decodedName}' gets the value '${shown(p.decodedValue)}'; use '&' everywhere`, p,
        useAmpersand(p.value));
    }
  }
}

/** The driver's path rule, on the %-decoded path libvirt sees. */
function checkPath(uri: ParsedUri, known: Known, driver: DriverInfo, out: Collector): void {
  if (!known.path) return;
  const rule = driver.path;
  const path = percentDecode(uri.path.text);
  switch (rule.kind) {
    case 'system-or-session':
      if (path !== '/system' && path !== '/session') {
        out.add('wrong-path', unexpectedPathMessage(rule, driver.name, path), pathRange(uri), pathFixes(uri, ['/system', '/session']));
      }
      return;
    case 'exact':
      if (!rule.paths.includes(path)) {
        out.add('wrong-path', format(rule.message, path), pathRange(uri), pathFixes(uri, rule.paths.filter((p) => p !== '' && p !== '/')));
      }
      return;
    case 'not-empty':
      if (path === '' || path === '/') out.add('wrong-path', (path === '' && rule.emptyMessage) || rule.message, pathRange(uri), rule.suggestion ? pathFixes(uri, [rule.suggestion]) : undefined);
      return;
    default:
      return;
  }
}

// ---- terraform-provider-libvirt's dialect ------------------------------------------------------

const PROVIDER_TRANSPORTS: Readonly<Record<string, ProviderTransport>> = PROVIDER.transports;
/** Transports and parameters only the provider knows. */
const PROVIDER_ONLY_TRANSPORTS = Object.keys(PROVIDER.transports).filter((t) => !(TRANSPORT_NAMES as readonly string[]).includes(t));
const PROVIDER_ONLY_PARAMS = [...new Set(Object.values(PROVIDER_TRANSPORTS).flatMap((t) => t.params))].filter((p) => !findRemoteParam(p));

export function speaksProviderDialect(uri: ParsedUri): boolean {
  if (uri.transport && PROVIDER_ONLY_TRANSPORTS.includes(uri.transport.text.toLowerCase())) return true;
  return uri.params.some((p) => PROVIDER_ONLY_PARAMS.includes(p.decodedName));
}

/**
 * A URI read by terraform-provider-libvirt: its own drivers, transports and parameters, then
 * the daemon's path rule on the `driver:` + path it sends (see TERRAFORM_PROVIDER_CONSUMER).
 */
function validateProviderUri(uri: ParsedUri, context: boolean, out: Collector): void {
  const text = uri.text;
  const M = PROVIDER.messages;
  const shownText = shown(text);
  // A hole in the scheme (`qemu+${var.t}`) may hold the rest of it and all that follows.
  if (text.includes(HOLE) && (!uri.scheme || !uri.scheme.terminated || !isLiteral(uri.driver!))) return;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) {
      out.add('uri-syntax', format(M.controlCharacter, shownText), { start: i, end: i + 1 });
      return;
    }
  }
  if (!uri.scheme || !uri.scheme.terminated) {
    if (context && uri.problems.length === 0) out.add('unknown-driver', format(M.unsupportedDriver, '') + ` — ${PROVIDER.build} needs a URI with a scheme; it has no uri_aliases`, { start: 0, end: text.length });
    return;
  }
  // Go lower-cases the scheme; the transport is what follows the first '+', up to any next one.
  const driverName = uri.driver!.text.toLowerCase();
  if (!(PROVIDER.drivers as readonly string[]).includes(driverName)) {
    if (context) {
      out.add('unknown-driver', format(M.unsupportedDriver, driverName) + ` — ${PROVIDER.build} takes ${PROVIDER.drivers.join(', ')}`, uri.driver!,
        didYouMean('driver', uri.driver!, closest(driverName, PROVIDER.drivers)));
    }
    return;
  }
  if (uri.port && isLiteral(uri.port) && !/^[0-9]*$/.test(uri.port.text)) {
    out.add('uri-syntax', format(M.badPort, shownText, ':' + uri.port.text), uri.port);
    return;
  }
  const known = new Known(uri);
  let name: string;
  let transport: ProviderTransport | undefined;
  if (uri.transport) {
    if (!isLiteral(uri.transport)) return;
    name = uri.transport.text.toLowerCase().split('+')[0];
    transport = PROVIDER_TRANSPORTS[name];
    if (!transport) {
      out.add('unknown-transport', format(M.unsupportedTransport, name) + ` — ${PROVIDER.build} dials ${Object.keys(PROVIDER_TRANSPORTS).join(', ')} itself`,
        uri.transport, didYouMean('transport', { start: uri.transport.start, end: uri.transport.start + name.length }, closest(name, Object.keys(PROVIDER_TRANSPORTS))));
      return;
    }
  } else {
    if (uri.unknown.has('transport') || known.host === 'unknown') return;
    name = known.host === 'present' ? PROVIDER.defaultRemoteTransport : 'local';
    transport = known.host === 'present' ? PROVIDER_TRANSPORTS[name] : undefined;
  }
  if (transport?.hostRequired && known.host === 'absent') {
    out.add('missing-server', format(M.needsHost, transport.hostRequired), uri.authority ?? uri.scheme);
    return;
  }
  const where = `terraform-provider-libvirt's ${name === 'local' ? 'local socket' : name} transport`;
  if (name === 'tcp') {
    out.add('plain-tcp', `${where} is not encrypted nor authenticated (no SASL): anyone on the network can read and alter the traffic; prefer tls, ssh or sshcmd`, uri.transport!,
      [{ kind: 'use-tls', edits: [{ start: uri.transport!.start, end: uri.transport!.start + name.length, newText: 'tls' }] }]);
  }
  const user = uri.user && isLiteral(uri.user) && uri.user.text !== '' ? uri.user : undefined;
  if (user && transport && !transport.user) out.add('user-ignored', `${where} does not use the user name in the URI`, user);
  else if (user && transport && !transport.password && user.text.includes(':')) out.add('user-ignored', `${where} does not use the password in the URI`, user);

  if (uri.query && uri.query.text.includes(';')) {
    out.add('query-separator', "terraform-provider-libvirt reads the query with Go's net/url, which drops every parameter that contains ';'; use '&'", uri.query, useAmpersand(uri.query));
  }
  const reads: readonly string[] = transport?.params ?? PROVIDER.local.params;
  for (const p of uri.params) {
    if (!isLiteral(p.name) || p.decodedName === '') continue;
    const param = p.decodedName;
    if (!reads.includes(param)) {
      const near = closest(param, reads).filter((n) => n !== param);
      out.add('parameter-ignored', `${where} ignores '${param}'` + (near.length > 0 ? `; did you mean '${near[0]}'?` : ''), p.name,
        didYouMean('parameter', p.name, near));
      continue;
    }
    if (!valueKnown(p)) continue;
    const value = p.decodedValue;
    if (param === 'no_verify') {
      out.add('no-verify', `no_verify makes ${where} accept any ${name === 'tls' ? 'server certificate' : 'host key'}, whatever its value (even no_verify=0)`, p);
    } else if (param === 'known_hosts_verify') {
      if (value === PROVIDER.knownHostsVerifyIgnore) out.add('no-verify', `known_hosts_verify=ignore makes ${where} accept any host key`, p);
      else if (value !== 'normal' && value !== '') out.add('parameter-ignored', `${where} only acts on known_hosts_verify=ignore; '${value}' is ignored`, p.value ?? p.name);
    } else if (param === 'proxy' && value !== '' && !(PROVIDER.proxyValues as readonly string[]).includes(value)) {
      out.add('parameter-ignored', `${where} ignores proxy='${value}' and stays on auto (${PROVIDER.proxyValues.join(', ')})`, p.value ?? p.name,
        valueFixes(p, PROVIDER.proxyValues));
    } else if (param === 'sshauth') {
      const unknown = value.split(',').filter((m) => m !== '' && !(PROVIDER.sshauthMethods as readonly string[]).includes(m));
      if (unknown.length > 0) out.add('parameter-ignored', `${where} ignores the sshauth method '${unknown[0]}' (${PROVIDER.sshauthMethods.join(', ')})`, p.value ?? p.name);
    } else if ((PROVIDER.expandsHome as readonly string[]).includes(param) && value !== '' && !/^[/~$]/.test(value)) {
      out.add('relative-path', `${param} is relative: terraform-provider-libvirt resolves it against the directory Terraform runs in`, p.value ?? p.name);
    }
  }

  // The daemon is asked for `driver:` + path, whatever the transport.
  const driver = findDriver(driverName);
  if (driver && known.path && (uri.authority || uri.path.text === '' || uri.path.text.startsWith('/')) && percentDecode(uri.path.text) !== '/embed') {
    checkPath(uri, known, driver, out);
  }
}

/**
 * libvirt.conf's settings, in document offsets: what the client reads must have its type
 * (libvirt refuses every connection otherwise), remote_mode and remote_proxy a value libvirt
 * knows; anything else is ignored.
 */
export function validateSettings(text: string, settings: readonly ConfSetting[]): UriDiagnostic[] {
  const out = new Collector();
  const names = CLIENT_SETTINGS.map((s) => s.name);
  for (const s of settings) {
    const info = CLIENT_SETTINGS.find((c) => c.name === s.name);
    const name = { start: s.nameStart, end: s.nameEnd };
    const value = s.type === 'string' ? { start: s.start - 1, end: s.end + 1 } : s;
    // virConf reads no bare words: the whole file, so every connection, is refused.
    if (s.type === 'other') {
      out.add('setting-type', format(MESSAGES.settingSyntax, 'libvirt.conf', lineOf(text, s.start)) + ' — put the value in quotes', value);
      continue;
    }
    if (!info) {
      const near = closest(s.name, names);
      out.add('unknown-setting', `libvirt ignores '${s.name}' in libvirt.conf: the client reads only ${names.join(', ')}` +
        (near.length > 0 ? `; did you mean '${near[0]}'?` : ''), name, didYouMean('setting', name, near));
      continue;
    }
    if (info.type !== (s.type === 'list' ? 'list' : 'string') || s.type === 'number') {
      out.add('setting-type', format(info.type === 'list' ? MESSAGES.settingList : MESSAGES.settingString, 'libvirt.conf', s.name) +
        (info.type === 'list' ? ` — write ${s.name} = [ "NAME=URI", … ]` : ' — put the value in quotes'), value);
      continue;
    }
    if (s.element) {
      out.add('setting-type', format(MESSAGES.settingListElement, 'libvirt.conf', s.name) + ' — every element must be a quoted string', s.element);
      continue;
    }
    const param = info.param ? findRemoteParam(info.param) : undefined;
    if (s.type !== 'string' || !param?.values || !param.badValueMessage) continue;
    const given = text.slice(s.start, s.end);
    if (!isListedValue(param, given)) {
      out.add('bad-parameter-value', format(param.badValueMessage, given) + ` — for every connection whose URI has no ${param.name}=`,
        { start: s.start, end: s.end }, settingValueFixes(s, given, param.values.map((v) => v.value)));
    }
  }
  return out.list;
}

function settingValueFixes(s: ConfSetting, given: string, values: readonly string[]): UriFix[] {
  const { names, close } = valueChoices(given, values);
  return names.map((to) => ({ kind: 'did-you-mean', part: 'value', to, best: close, edits: [replaceWith(s, to)] }));
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** One element of libvirt.conf's uri_aliases list, "NAME=URI". */
export function validateAliasEntry(text: string): UriDiagnostic[] {
  const eq = text.indexOf('=');
  if (eq === -1) {
    return [{ code: 'malformed-alias', severity: DIAGNOSTIC_CODES['malformed-alias'], message: format(MESSAGES.aliasNoEquals, text), start: 0, end: text.length }];
  }
  const name = text.slice(0, eq);
  // A name with a hole (an elision) is not known: nothing to say about its characters.
  if (!name.includes(HOLE) && !ALIAS_NAME.test(name)) {
    return [{ code: 'malformed-alias', severity: DIAGNOSTIC_CODES['malformed-alias'], message: format(MESSAGES.aliasBadChars, text), start: 0, end: eq }];
  }
  return validateUri(text.slice(eq + 1), { libvirtContext: true }).map((d) => {
    const moved: UriDiagnostic = { ...d, start: d.start + eq + 1, end: d.end + eq + 1 };
    const fixes = shiftFixes(d.fixes, eq + 1);
    if (fixes) moved.fixes = fixes;
    return moved;
  });
}

