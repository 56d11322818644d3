// Validation rules over a parsed URI. Each verdict follows what libvirt 9.0.0 does with the URI:
// errors where libvirt refuses it, warnings where it silently ignores or weakens something,
// information where it forwards something to the daemon unrecognised.
import {
  ALIAS_NAME, DRIVERS, DriverInfo, LIBVIRT_BUILD, defaultTransport, EMBEDDABLE_DRIVERS, ESX_PROXY_TYPES, LATER_ESX_PARAMS, LATER_REMOTE_PARAMS, MESSAGES, MISSING_SLASH_SCHEMES, NOT_BUILT_SCHEMES, ParamInfo, REMOTE_PARAMS,
  SSH_FAMILY, TRANSPORTS, TRANSPORT_NAMES, TransportName, findDriver, findDriverParam, findRemoteParam, format,
  transportUses, unexpectedPathMessage,
} from './catalog';
import { FoldingList } from './limits';
import { ParsedUri, QueryParam, parseUri, percentDecode } from './uri/parser';

export type Severity = 'error' | 'warning' | 'information' | 'hint';

export interface UriDiagnostic {
  code: DiagnosticCode;
  severity: Severity;
  message: string;
  /** Offsets into the URI text. */
  start: number;
  end: number;
  /** Replacement text a quick fix can offer for [start, end). */
  suggestions?: string[];
  /** Further occurrences of this fault in the same URI, folded into this one. */
  repeats?: number;
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
  'port-out-of-range': 'error',
  'malformed-alias': 'error',
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
  /** The surrounding code says this string is for libvirt (virsh -c, libvirt.open, uri_default…). */
  libvirtContext?: boolean;
  /** uri_aliases known from libvirt.conf files: alias name → URI. */
  aliases?: ReadonlyMap<string, string>;
}

/** Repeated faults of one URI fold into one diagnostic (limits.ts), so a URI never yields millions. */
class Collector {
  private readonly folded = new FoldingList<UriDiagnostic>();
  get list(): UriDiagnostic[] {
    return this.folded.list;
  }
  add(code: DiagnosticCode, message: string, at: { start: number; end: number }, suggestions?: string[]): void {
    const d: UriDiagnostic = { code, severity: DIAGNOSTIC_CODES[code], message, start: at.start, end: at.end };
    if (suggestions && suggestions.length > 0) d.suggestions = suggestions;
    this.folded.add(d);
  }
}

const DRIVER_NAMES = DRIVERS.map((d) => d.name);

/** Validates one URI string. Strings that are clearly not meant for libvirt yield nothing. */
export function validateUri(text: string, options: ValidationOptions = {}): UriDiagnostic[] {
  const out = new Collector();
  const uri = parseUri(text);
  const whole = { start: 0, end: text.length };
  const libvirtContext = options.libvirtContext ?? false;

  if (!uri.scheme || !uri.scheme.terminated) {
    if (libvirtContext && text !== '') checkSchemeless(text, uri, options.aliases, out);
    return out.list;
  }
  const driverName = uri.driver!.text;
  const driver = findDriver(driverName);
  if (!driver && !libvirtContext) return out.list;

  if (uri.problems.length > 0) {
    reportSyntax(text, uri, out);
    return out.list;
  }

  // libvirt.c: an exact "xen://" is rewritten to xen:///system before anything else.
  if (text === 'xen://') return out.list;

  const scheme = uri.scheme.text;
  const host = uri.host && uri.host.text !== '' ? uri.host : undefined;
  // libxml2 hands libvirt the server and path %-decoded.
  const server = host ? percentDecode(host.text) : '';

  if (MISSING_SLASH_SCHEMES.includes(scheme) && (server === 'system' || server === 'session')) {
    out.add('maybe-you-want', format(MESSAGES.maybeYouWant, text, scheme, server), uri.authority!,
      [`${scheme}:///${server}`]);
    return out.list;
  }

  checkPort(uri, out);

  if (percentDecode(uri.path.text) === '/embed') {
    checkEmbed(uri, driver, out);
    return out.list;
  }

  // libvirt.c compares the whole scheme case-insensitively here, so HYPERV:// is caught too.
  if (NOT_BUILT_SCHEMES.includes(scheme.toLowerCase())) {
    out.add('driver-not-built', format(MESSAGES.notBuilt, scheme) +
      ` — in ${LIBVIRT_BUILD}; other builds may include it`, uri.scheme);
    return out.list;
  }
  if (!driver) {
    out.add('unknown-driver', unknownDriverMessage(text, driverName), uri.driver!, suggestDrivers(driverName));
  }

  const handledByClientDriver = driver !== undefined && driver.runsIn === 'client' && !uri.transport &&
    !(driver.localOnly && host);
  if (driver && handledByClientDriver) {
    checkClientDriver(uri, driver, out);
    return out.list;
  }
  checkRemote(uri, driver, whole, out);
  return out.list;
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
  out.add(p.kind === 'bad-escape' ? 'bad-escape' : 'uri-syntax', `${format(MESSAGES.parse, text)} — ${p.detail}`, p);
}

function unknownDriverMessage(text: string, driverName: string): string {
  const lower = driverName.toLowerCase();
  const hint = findDriver(lower) ? ` (driver names are case-sensitive: '${lower}')` : '';
  return `${format(MESSAGES.noConnect, text)} — '${driverName}' is not a libvirt driver${hint}`;
}

/** Optimal string alignment distance: edits plus adjacent transpositions ('qmeu' → 'qemu' is 1). */
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
    }
  }
  return rows[a.length][b.length];
}

/** Closest names first, within two edits (or a case-only difference). */
export function closest(word: string, candidates: readonly string[]): string[] {
  const lower = word.toLowerCase();
  return candidates
    .filter((c) => Math.abs(c.length - lower.length) <= 2)
    .map((c) => ({ c, d: c === lower ? 0 : editDistance(lower, c) }))
    .filter((x) => x.d <= Math.min(2, Math.max(1, Math.floor(x.c.length / 3))))
    .sort((a, b) => a.d - b.d)
    .map((x) => x.c);
}

function suggestDrivers(name: string): string[] {
  return closest(name, DRIVER_NAMES);
}

function checkPort(uri: ParsedUri, out: Collector): void {
  if (!uri.port || uri.port.text === '') return;
  const port = Number(uri.port.text);
  if (port > 65535) {
    out.add('port-out-of-range',
      `port ${port} is out of range (1-65535); libvirt 9.0.0 does not refuse it and connects to port ${port % 65536} instead`, uri.port);
  }
}

function checkEmbed(uri: ParsedUri, driver: DriverInfo | undefined, out: Collector): void {
  const scheme = uri.scheme!;
  if (!/^[a-z]+$/.test(scheme.text)) {
    out.add('embed-invalid', format(MESSAGES.embedScheme, scheme.text), scheme);
    return;
  }
  // virURIGetParam: first match, name compared case-sensitively in 9.0.0.
  const root = uri.params.find((p) => p.decodedName === 'root');
  if (!root) {
    const anyCase = uri.params.find((p) => p.decodedName.toLowerCase() === 'root');
    out.add('embed-invalid', format(MESSAGES.embedMissingRoot, 'root') +
      (anyCase ? ` (libvirt 9.0.0 matches 'root' case-sensitively; later versions accept '${anyCase.decodedName}')` : ''),
      anyCase ? anyCase.name : uri.path);
    return;
  }
  if (!root.decodedValue.startsWith('/')) {
    out.add('embed-invalid', MESSAGES.embedRelativeRoot, root.value ?? root.name);
    return;
  }
  if (!driver?.embeddable) {
    out.add('embed-invalid', (driver?.embedRefusal ?? format(MESSAGES.noConnect, uri.text)) +
      ` — only the ${EMBEDDABLE_DRIVERS.join(' and ')} drivers can be embedded`, uri.driver!);
  }
}

function checkClientDriver(uri: ParsedUri, driver: DriverInfo, out: Collector): void {
  const host = uri.host && uri.host.text !== '' ? uri.host : undefined;
  if (driver.remoteOnly && !host) {
    out.add('missing-server', MESSAGES.missingServer, uri.authority ?? uri.scheme!);
    return;
  }
  checkPath(uri, driver, out);
  if (driver.params) {
    checkDriverParams(uri, driver, out);
  } else {
    for (const p of uri.params) {
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
    const param = findDriverParam(driver, p.decodedName);
    if (!param) {
      const later = driver.name !== 'hyperv' ? LATER_ESX_PARAMS[p.decodedName.toLowerCase()] : undefined;
      out.add('parameter-ignored', format(MESSAGES.esxUnknownParam, p.decodedName) + (later ? ` (${later})` : ''), p.name,
        closest(p.decodedName, driver.params!.map((x) => x.name)));
      continue;
    }
    if (param.drivers && !param.drivers.includes(driver.name)) {
      out.add('parameter-ignored', `'${param.name}' only applies to ${param.drivers.map((d) => `${d}://`).join(' and ')} URIs`, p.name);
    }
    if (param.kind === 'boolean') {
      if (p.decodedValue !== '0' && p.decodedValue !== '1') {
        out.add('bad-parameter-value', format(param.badValueMessage!, p.decodedValue), p.value ?? p.name, ['0', '1']);
      } else if (param.insecureWhenOn === p.decodedValue) {
        out.add('no-verify', `${param.name}=1 disables verification of the server's certificate`, p);
      }
    } else if (param.kind === 'enum' && param.values && !param.values.some((v) => v.value === p.decodedValue)) {
      out.add('bad-parameter-value', format(param.badValueMessage!, p.decodedValue), p.value ?? p.name, param.values.map((v) => v.value));
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

function checkRemote(uri: ParsedUri, driver: DriverInfo | undefined, _whole: { start: number; end: number }, out: Collector): void {
  const host = uri.host && uri.host.text !== '' ? uri.host : undefined;
  let transport: TransportName | undefined;
  if (uri.transport) {
    const t = uri.transport.text.toLowerCase();
    if ((TRANSPORT_NAMES as readonly string[]).includes(t)) {
      transport = t as TransportName;
    } else {
      out.add('unknown-transport', MESSAGES.unknownTransport, uri.transport.text === '' ? uri.scheme! : uri.transport,
        closest(t, TRANSPORT_NAMES));
    }
  } else {
    transport = defaultTransport(host !== undefined);
  }

  // name= replaces the URI the daemon is sent, so the driver and path checks below do not apply.
  const explicitName = uri.params.some((p) => p.decodedName.toLowerCase() === 'name');
  if (driver?.remoteOnly && driver.notBuilt && !explicitName) {
    out.add('driver-not-built', format(MESSAGES.notBuilt, driver.name) + ` — the daemon answers this, in ${LIBVIRT_BUILD}`, uri.driver!);
  } else if (driver?.remoteOnly && !explicitName) {
    // The daemon gets '<driver>:///…' without the host, and its own esx driver refuses that.
    out.add('missing-server', `${MESSAGES.missingServer} — ${driver.name} URIs are handled by the client library and must not carry a transport: ` +
      `with '+${uri.transport!.text}' libvirt sends ${driver.name}:///… to a daemon, without the host`, uri.transport!, [driver.name]);
  } else if (driver && driver.runsIn === 'client' && !driver.alsoInDaemons && !explicitName) {
    out.add('transport-on-client-driver',
      `${driver.name} URIs are handled inside the client library; with ${uri.transport ? `'+${uri.transport.text}'` : 'a host'} this URI goes to a libvirt daemon instead`,
      uri.transport ?? uri.scheme!, uri.transport ? [driver.name] : undefined);
  }

  if (transport === 'unix' && host) out.add('unix-with-host', format(MESSAGES.unixWithHost, host.text), host);

  if (transport === 'tcp') {
    out.add('plain-tcp', 'the tcp transport is not encrypted: anyone on the network can read and alter the traffic unless SASL negotiates a security layer; prefer tls or ssh', uri.transport!);
  }
  if (transport && uri.user && uri.user.text !== '' && !SSH_FAMILY.includes(transport)) {
    out.add('user-ignored', `the ${transport} transport does not use the user name in the URI` +
      (TRANSPORTS[transport].usesHost ? '; SASL asks for it through the credential callback or auth.conf' : ''), uri.user);
  }

  const effective = new Map<string, Effective>();
  checkSeparators(uri, out);
  for (const p of uri.params) {
    if (p.decodedName === '') {
      if (p.value) out.add('empty-parameter-name', `libvirt drops a parameter with an empty name ('=${p.value.text}')`, p);
      continue;
    }
    const info = findRemoteParam(p.decodedName);
    if (!info) {
      const later = LATER_REMOTE_PARAMS[p.decodedName.toLowerCase()];
      const near = closest(p.decodedName, REMOTE_PARAMS.map((r) => r.name));
      out.add('unknown-parameter',
        `'${p.decodedName}' is not a remote driver parameter: libvirt passes it through to the daemon in the URI it opens` +
        (later ? ` (${later})` : '') + (near.length > 0 ? `; did you mean '${near[0]}'?` : ''),
        p.name, near);
      continue;
    }
    const key = info.name;
    const previous = effective.get(key);
    if (previous) {
      out.add('duplicate-parameter', `'${key}' is given again later; libvirt uses the last value ('${p.decodedValue}')`, previous.param);
    }
    effective.set(key, { param: p, info });
    if (info.kind === 'boolean' && !parsesAsInt(p.decodedValue)) {
      out.add('bad-boolean', format(MESSAGES.badInteger, p.decodedName) + ' — use 0 or 1', p.value ?? p.name, ['1', '0']);
    }
    if (transport && !transportUses(info, transport)) {
      const users = info.transports === 'all' ? [] : info.transports;
      // mode and proxy values are checked on every transport, so only their effect is lost.
      out.add('parameter-ignored', `'${key}' is ignored by the ${transport} transport (used by ${users.join(', ')})`, p.name);
    }
  }

  for (const { param: p, info } of effective.values()) {
    const used = transport !== undefined && transportUses(info, transport);
    checkValue(p, info, transport, used, out);
  }

  if (transport === 'ext' && !effective.has('command')) out.add('ext-without-command', MESSAGES.extNeedsCommand, uri.transport!);
  if (transport && SSH_FAMILY.includes(transport)) {
    const netcat = effective.get('netcat');
    const proxy = effective.get('proxy');
    if (netcat && proxy?.param.decodedValue === 'native') out.add('netcat-with-native-proxy', MESSAGES.netcatNative, netcat.param);
    const mode = effective.get('mode');
    if (mode?.param.decodedValue === 'direct') {
      out.add('direct-mode-over-ssh', format(MESSAGES.directOverSsh, transport), mode.param.value ?? mode.param.name, ['legacy']);
    }
  }

  if (!driver || explicitName) return;
  if (!uri.authority && uri.path.text !== '' && !uri.path.text.startsWith('/')) checkOpaquePath(uri, driver, out);
  else checkPath(uri, driver, out);
}

/** `qemu:system`: virURIFormat puts an empty server back, so the daemon is sent `qemu://system`. */
function checkOpaquePath(uri: ParsedUri, driver: DriverInfo, out: Collector): void {
  const path = percentDecode(uri.path.text);
  const forwarded = `${driver.name}://${path}`;
  const server = path.split('/')[0];
  const why = ` — libvirt sends ${uri.text} to the daemon as ${forwarded}`;
  if (MISSING_SLASH_SCHEMES.includes(driver.name) && (server === 'system' || server === 'session')) {
    out.add('maybe-you-want', format(MESSAGES.maybeYouWant, uri.text, driver.name, server) + why, uri.path, [`${driver.name}:///${path}`]);
  } else {
    out.add('wrong-path', format(MESSAGES.noConnect, forwarded) + `${why}, where '${server}' is a host name; write ${driver.name}:///${path}`,
      uri.path, [`${driver.name}:///${path}`]);
  }
}

function checkValue(p: QueryParam, info: ParamInfo, transport: TransportName | undefined, used: boolean, out: Collector): void {
  const value = p.decodedValue;
  const at = p.value ?? p.name;
  switch (info.name) {
    case 'mode':
    case 'proxy': {
      // Checked on every transport (remote_driver.c), case-sensitively.
      if (!info.values!.some((v) => v.value === value)) {
        out.add('bad-parameter-value', format(info.badValueMessage!, value), at, info.values!.map((v) => v.value));
      }
      return;
    }
    case 'known_hosts_verify':
      if (!used) return;
      if (!info.values!.some((v) => v.value === value.toLowerCase())) {
        out.add('bad-parameter-value', format(info.badValueMessage!, value), at, info.values!.map((v) => v.value));
      } else if (value.toLowerCase() === 'ignore') {
        out.add('no-verify', 'known_hosts_verify=ignore accepts any host key: the connection can be intercepted', p);
      }
      return;
    case 'sshauth': {
      if (!used) return;
      const allowed = info.values!.map((v) => v.value);
      // An empty value keeps the default list; an empty item inside a list is refused.
      if (value === '') return;
      for (const item of value.split(',')) {
        if (!allowed.includes(item.toLowerCase())) {
          out.add('bad-parameter-value', format(info.badValueMessage!, item), at, allowed);
          break;
        }
      }
      return;
    }
    case 'auth':
      if (!info.valuePattern!.test(value)) {
        out.add('bad-parameter-value', format(MESSAGES.unknownAuth, value) + ' — libvirt reports it once connected; use sasl, sasl.MECH or polkit', at,
          info.values!.map((v) => v.value));
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
      out.add('relative-path', `libvirt does not expand '~' in ${info.name}; write the absolute path`, at);
    } else if (!value.startsWith('/')) {
      out.add('relative-path', `${info.name} is relative: libvirt resolves it against the working directory of the program that opens the connection`, at);
    }
  }
}

/** Mixed separators: libvirt splits on ';' only where no '&' follows, so earlier ';' stay inside values. */
function checkSeparators(uri: ParsedUri, out: Collector): void {
  if (!uri.query || !uri.query.text.includes('&') || !uri.query.text.includes(';')) return;
  for (const p of uri.params) {
    if (p.value && p.value.text.includes(';')) {
      out.add('query-separator',
        `libvirt splits parameters on ';' only after the last '&': '${p.decodedName}' gets the value '${p.decodedValue}'; use '&' everywhere`, p);
    }
  }
}

/** The driver's path rule, on the %-decoded path libvirt sees. */
function checkPath(uri: ParsedUri, driver: DriverInfo, out: Collector): void {
  const rule = driver.path;
  const path = percentDecode(uri.path.text);
  switch (rule.kind) {
    case 'system-or-session':
      if (path !== '/system' && path !== '/session') {
        out.add('wrong-path', unexpectedPathMessage(rule, driver.name, path), pathRange(uri), ['/system', '/session']);
      }
      return;
    case 'exact':
      if (!rule.paths.includes(path)) {
        out.add('wrong-path', format(rule.message, path), pathRange(uri), rule.paths.filter((p) => p !== '' && p !== '/'));
      }
      return;
    case 'not-empty':
      if (path === '' || path === '/') out.add('wrong-path', rule.message, pathRange(uri), rule.suggestion ? [rule.suggestion] : []);
      return;
    default:
      return;
  }
}

/** One element of libvirt.conf's uri_aliases list, "NAME=URI". */
export function validateAliasEntry(text: string): UriDiagnostic[] {
  const eq = text.indexOf('=');
  if (eq === -1) {
    return [{ code: 'malformed-alias', severity: DIAGNOSTIC_CODES['malformed-alias'], message: format(MESSAGES.aliasNoEquals, text), start: 0, end: text.length }];
  }
  const name = text.slice(0, eq);
  if (!ALIAS_NAME.test(name)) {
    return [{ code: 'malformed-alias', severity: DIAGNOSTIC_CODES['malformed-alias'], message: format(MESSAGES.aliasBadChars, text), start: 0, end: eq }];
  }
  return validateUri(text.slice(eq + 1), { libvirtContext: true }).map((d) => ({ ...d, start: d.start + eq + 1, end: d.end + eq + 1 }));
}

