// Completion: what may stand at the caret in a libvirt URI, each offer with the catalog's word
// on it. Offers come from the catalog and from the environment (host names, directories); before
// one is made the validator judges the URI it would leave, so completion never offers what the
// validator would then call an error. Nothing is completed into, or said about, a template hole.
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  Command, CompletionItem, CompletionItemKind, CompletionList, InsertTextFormat, MarkupKind, Position,
} from 'vscode-languageserver-types';
import {
  BOOLEAN_VALUES, CLIENT_SETTINGS, ConsumerName, DRIVERS, DriverInfo, EMBED_PATH, EMBED_ROOT_PARAM, ESX_VALUES, HOST_FILE_DRIVER, HOST_SOURCES,
  NESTED_URI_PARAM, PATH_PLACES,
  PATH_VALUES, PROVIDER_PARAMS, ParamInfo, RARE_PARAMS, REMOTE_PARAMS, SSH_CONFIG_DOCS, SSH_CONFIG_TRANSPORTS, Suggestion,
  TERRAFORM_PROVIDER_CONSUMER as PROVIDER, TRANSPORTS, TRANSPORTS_BY_USE, TRANSPORT_NAMES, TransportName, URI_SNIPPETS,
  USER_SUGGESTIONS, defaultTransport, driverPaths, findDriver, findDriverParam, findRemoteParam, format, logsInAsUser,
  parameterReader, transportSummary, transportUses,
} from '../catalog';
import { HostNames, NO_HOSTS, isHostName } from '../environment';
import type { ServiceEnvironment, ServiceSettings } from '../languageService';
import { RegionCache, UriCandidate, documentOffset } from '../regions';
import { Component, HOLE, ParsedUri, QueryParam, isLiteral, parseUri, percentDecode } from '../uri/parser';
import { uriAt } from '../uriAt';
import { UriDiagnostic, ValidationOptions, validateUri } from './validation';

/** Characters that open the list inside a string, where VS Code's quick suggestions are off. */
export const TRIGGER_CHARACTERS: readonly string[] = [':', '/', '+', '@', '?', '&', '='];

/** Opens the list again once an offer is accepted, for the part that follows it. */
const SUGGEST_AGAIN: Command = { title: 'Suggest', command: 'editor.action.triggerSuggest' };

/**
 * Longer URIs are generated, not typed, and each offer is checked by validating the whole URI:
 * past this length nothing is offered, so a hostile string cannot stall the server.
 */
const MAX_URI_LENGTH = 4096;

/** Host names in one list; with more the list narrows, on the server, as the user types. */
const MAX_HOSTS = 200;

/** What an item carries to completionItem/resolve, which adds its documentation. */
export type CompletionData =
  | { k: 'driver'; v: string }
  | { k: 'transport'; v: string; c: ConsumerName }
  | { k: 'alias'; v: string; target: string }
  | { k: 'snippet'; c: ConsumerName; i: number }
  | { k: 'user'; v: string; host?: string }
  | { k: 'host'; source: keyof typeof HOST_SOURCES; info?: string }
  | { k: 'port'; v: string; transport?: string; host?: string }
  | { k: 'path'; d: string; v: string }
  | { k: 'param'; v: string; c: ConsumerName; d?: string; ignoredBy?: string }
  | { k: 'value'; p: string; v: string; c: ConsumerName; d?: string }
  | { k: 'place'; p: string; v: string }
  | { k: 'file' }
  | { k: 'setting'; v: string };

/** One offer, in offsets of the URI text, before it is checked and becomes an item. */
interface Offer {
  label: string;
  /** Replaces [start, end) of the URI text; a snippet (tab stops `${1:text}`) when `snippet` is set. */
  insert: string;
  snippet?: boolean;
  start: number;
  end: number;
  kind: CompletionItemKind;
  detail?: string;
  /** Shown beside the label: where it comes from, or that it is ignored. */
  description?: string;
  rank: number;
  data: CompletionData;
  /** What the user types next, for the check: a hole, maybe after a delimiter. */
  rest?: string;
  /** A value: the check also refuses one the validator says would be ignored. */
  strict?: boolean;
  /** Opens the list again for the part that follows. */
  again?: boolean;
  /**
   * Offers of one family at one place get one verdict, that of the first: the validator treats
   * them alike (plain host names, folder entries), and a machine may know thousands.
   */
  family?: string;
}

interface Context {
  consumer: ConsumerName;
  options: ValidationOptions;
  aliases: ReadonlyMap<string, string>;
  env: ServiceEnvironment;
  /** Inside a `name=` value: the URI the daemon opens, local parts only. */
  nested: boolean;
}

class Offers {
  readonly list: Offer[] = [];
  /** The list depends on what is typed next (a directory being read, a host list cut short). */
  incomplete = false;

  add(o: Offer): void {
    this.list.push(o);
  }
}

export class CompletionService {
  constructor(private readonly regions: RegionCache, private readonly env: ServiceEnvironment) {}

  doComplete(document: TextDocument, position: Position, settings: ServiceSettings): CompletionList | null {
    if (settings.enable[document.languageId] === false) return null;
    const offset = document.offsetAt(position);
    const at = uriAt(this.regions.get(document), offset);
    if (!at) return document.languageId === 'libvirt-conf' ? this.settingOffers(document, offset) : null;
    const { candidate } = at;
    // In a uri_aliases entry, only what follows NAME= is a URI.
    if (at.offset < at.uriStart || (candidate.kind === 'alias-entry' && at.uriStart === 0)) return null;
    if (at.uri.text.length > MAX_URI_LENGTH) return null;
    const aliasEntry = candidate.kind === 'alias-entry';
    const aliases = aliasEntry || candidate.consumer !== 'libvirt' ? new Map<string, string>() : this.env.aliases();
    const ctx: Context = {
      consumer: candidate.consumer,
      options: { libvirtContext: candidate.libvirtContext || aliasEntry, consumer: candidate.consumer, aliases },
      aliases,
      env: this.env,
      nested: false,
    };
    const offers = new Offers();
    uriOffers(at.uri, at.offset - at.uriStart, ctx, offers);
    const items: CompletionItem[] = [];
    for (const o of accepted(at.uri.text, offers.list, ctx.options)) {
      const item = toItem(o, document, candidate, at.uriStart);
      if (item) items.push(item);
    }
    return { isIncomplete: offers.incomplete, items };
  }

  /** libvirt.conf outside its strings: the keys the client reads, and the values of remote_mode and remote_proxy. */
  private settingOffers(document: TextDocument, offset: number): CompletionList | null {
    const text = document.getText();
    const settings = this.regions.settings(document);
    // Inside a value (a list's brackets included): only a string of a setting with values has offers.
    const inValue = settings.find((s) => s.start <= offset && offset <= s.end);
    if (inValue) {
      const info = CLIENT_SETTINGS.find((c) => c.name === inValue.name);
      const param = info?.param ? findRemoteParam(info.param) : undefined;
      if (inValue.type !== 'string' || !param?.values) return null;
      const range = { start: document.positionAt(inValue.start), end: document.positionAt(inValue.end) };
      return {
        isIncomplete: false,
        items: param.values.map((v, i) => ({
          label: v.value, kind: CompletionItemKind.EnumMember, sortText: sortText(i), textEdit: { range, newText: v.value },
          data: { k: 'value', p: param.name, v: v.value, c: 'libvirt' } satisfies CompletionData,
        })),
      };
    }
    const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
    const typed = /^[ \t]*([A-Za-z_][A-Za-z0-9_]*)?$/.exec(text.slice(lineStart, offset));
    if (!typed) return null;
    const start = offset - (typed[1]?.length ?? 0);
    let end = offset;
    while (end < text.length && /[A-Za-z0-9_]/.test(text[end])) end++;
    const after = text.slice(end, text.indexOf('\n', end) < 0 ? text.length : text.indexOf('\n', end));
    const present = new Set(settings.filter((s) => s.nameStart !== start).map((s) => s.name));
    const range = { start: document.positionAt(start), end: document.positionAt(end) };
    const items: CompletionItem[] = [];
    CLIENT_SETTINGS.forEach((s, i) => {
      if (present.has(s.name)) return;
      const snippet = /^\s*=/.test(after) ? s.name : s.type === 'list' ? `${s.name} = [\n  "$1"\n]` : `${s.name} = "$1"`;
      items.push({
        label: s.name, kind: CompletionItemKind.Property, sortText: sortText(i), textEdit: { range, newText: snippet },
        insertTextFormat: InsertTextFormat.Snippet, data: { k: 'setting', v: s.name } satisfies CompletionData,
        ...(snippet !== s.name ? { command: SUGGEST_AGAIN } : {}),
      });
    });
    return { isIncomplete: false, items };
  }
}

function sortText(rank: number): string {
  return String(rank).padStart(6, '0');
}

/** The offer as an LSP item, or nothing when its range does not map onto the document's own text. */
function toItem(o: Offer, document: TextDocument, candidate: UriCandidate, uriStart: number): CompletionItem | undefined {
  const start = documentOffset(candidate, uriStart + o.start, 'start');
  const end = documentOffset(candidate, uriStart + o.end, 'end');
  // An escape (`\&`, `%%`) or a hole inside the range: the edit would not replace what is shown.
  if (end - start !== o.end - o.start) return undefined;
  const item: CompletionItem = {
    label: o.label,
    kind: o.kind,
    sortText: sortText(o.rank),
    filterText: plain(o),
    textEdit: { range: { start: document.positionAt(start), end: document.positionAt(end) }, newText: o.insert },
    data: o.data,
  };
  if (o.detail) item.detail = o.detail;
  if (o.description) item.labelDetails = { description: o.description };
  if (o.snippet) item.insertTextFormat = InsertTextFormat.Snippet;
  if (o.again) item.command = SUGGEST_AGAIN;
  return item;
}

/** The text an offer leaves in the document once its tab stops keep their defaults. */
function plain(o: Offer): string {
  return o.snippet ? o.insert.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '') : o.insert;
}

function refusing(d: UriDiagnostic, strict: boolean | undefined): boolean {
  return d.severity === 'error' || (strict === true && d.code === 'parameter-ignored');
}

/**
 * The offers the validator does not object to. An offer is refused when the URI it leaves has
 * an error (for a value, also an "ignored") on the inserted text, or of a kind the URI had
 * neither as typed nor, when the half-typed part is an error itself (the validator may have
 * stopped there), with a hole where the offer goes; what the user types next is a hole.
 */
function accepted(text: string, offers: readonly Offer[], options: ValidationOptions): Offer[] {
  const found = validateUri(text, options);
  const typed = new Set(found.map((d) => d.code));
  const broken = found.some((d) => d.severity === 'error');
  const known = new Map<string, Set<string>>();
  const verdicts = new Map<string, boolean>();
  return offers.filter((o) => {
    const key = `${o.start}:${o.end}`;
    const family = o.family && `${o.family}:${key}:${o.rest ?? ''}`;
    const verdict = family ? verdicts.get(family) : undefined;
    if (verdict !== undefined) return verdict;
    let before = known.get(key);
    if (!before) {
      before = broken ? new Set([...typed, ...validateUri(text.slice(0, o.start) + HOLE + text.slice(o.end), options).map((d) => d.code)]) : typed;
      known.set(key, before);
    }
    const inserted = plain(o);
    const end = o.start + inserted.length;
    const after = validateUri(text.slice(0, o.start) + inserted + (o.rest ?? '') + text.slice(o.end), options);
    const ok = !after.some((d) => refusing(d, o.strict) && (!before.has(d.code) || (d.start < end && d.end > o.start) || (d.start === d.end && d.start >= o.start && d.start <= end)));
    if (family) verdicts.set(family, ok);
    return ok;
  });
}

// ---- where the caret is ------------------------------------------------------------------------

function uriOffers(uri: ParsedUri, caret: number, ctx: Context, out: Offers): void {
  const scheme = uri.scheme;
  if (!scheme) {
    if (uri.text === '') emptyOffers(ctx, out);
    return;
  }
  if (caret <= scheme.end) {
    if (uri.transport && caret >= uri.transport.start) transportOffers(uri, ctx, out);
    else driverOffers(uri, ctx, out);
    return;
  }
  const authority = uri.authority;
  if (authority && caret >= authority.start && caret <= authority.end) authorityOffers(uri, caret, ctx, out);
  else if (caret >= uri.path.start && caret <= uri.path.end) pathOffers(uri, caret, ctx, out, 0);
  else if (uri.query && caret >= uri.query.start && caret <= uri.query.end) queryOffers(uri, caret, ctx, out);
}

/** What the URI says about its driver, transport and host, as far as it is known. */
interface Shape {
  driver?: DriverInfo;
  /** The driver is written out (no hole in it). */
  driverKnown: boolean;
  /** The transport as written (lower case), when known. */
  transport?: string;
  /** The transport that will be used, when known (libvirt: the default one when none is written). */
  effective?: string;
  host: 'absent' | 'present' | 'unknown';
}

function shapeOf(uri: ParsedUri, ctx: Context, hostComing = false): Shape {
  const driverKnown = uri.driver !== undefined && isLiteral(uri.driver) && !uri.unknown.has('driver');
  const driverName = driverKnown ? uri.driver!.text : '';
  const provider = ctx.consumer === PROVIDER.name;
  const driver = driverKnown && (!provider || (PROVIDER.drivers as readonly string[]).includes(driverName.toLowerCase()))
    ? findDriver(provider ? driverName.toLowerCase() : driverName) : undefined;
  const host = hostComing ? 'present' : uri.unknown.has('host') ? 'unknown' : uri.host && uri.host.text !== '' ? 'present' : 'absent';
  const shape: Shape = { driver, driverKnown, host };
  if (uri.transport) {
    if (!isLiteral(uri.transport) || uri.unknown.has('transport')) return shape;
    shape.transport = uri.transport.text.toLowerCase();
    shape.effective = provider ? shape.transport.split('+')[0] : shape.transport;
  } else if (!uri.unknown.has('transport') && host !== 'unknown') {
    shape.effective = provider ? (host === 'present' ? PROVIDER.defaultRemoteTransport : 'local') : defaultTransport(host === 'present');
  }
  return shape;
}

function libvirtTransport(name: string | undefined): TransportName | undefined {
  return name !== undefined && (TRANSPORT_NAMES as readonly string[]).includes(name) ? (name as TransportName) : undefined;
}

// ---- scheme: drivers, transports, aliases, whole URIs -----------------------------------------

function driverNames(ctx: Context): string[] {
  if (ctx.consumer === PROVIDER.name) return [...PROVIDER.drivers];
  // A driver this build lacks is refused once the URI is complete.
  return DRIVERS.filter((d) => !d.notBuilt).map((d) => d.name);
}

/** uri_aliases names and whole URIs, replacing the first `end` characters (a bare word typed so far). */
function wholeUriOffers(ctx: Context, out: Offers, end: number): void {
  let rank = 0;
  if (!ctx.nested) {
    for (const [name, target] of ctx.aliases) {
      out.add({ label: name, insert: name, start: 0, end, kind: CompletionItemKind.Constant, detail: target, description: 'uri_aliases', rank: rank++, data: { k: 'alias', v: name, target } });
    }
  }
  URI_SNIPPETS[ctx.consumer].forEach((s, i) => {
    const o: Offer = { label: '', insert: s.value, snippet: s.value.includes('$'), start: 0, end, kind: CompletionItemKind.Snippet, rank: 1000 + i, data: { k: 'snippet', c: ctx.consumer, i } };
    o.label = plain(o);
    // The daemon opens a local URI: no host, no transport, no query to nest.
    if (ctx.nested && !/^[a-z]+:\/\/\/[^?]*$/.test(o.label)) return;
    out.add(o);
  });
}

function emptyOffers(ctx: Context, out: Offers): void {
  if (!ctx.options.libvirtContext) return;
  wholeUriOffers(ctx, out, 0);
  driverNames(ctx).forEach((name, i) => {
    out.add({ label: name, insert: name, start: 0, end: 0, kind: CompletionItemKind.Module, detail: findDriver(name)?.title, rank: 2000 + i, data: { k: 'driver', v: name }, rest: HOLE });
  });
}

function driverOffers(uri: ParsedUri, ctx: Context, out: Offers): void {
  const driver = uri.driver!;
  if (!isLiteral(driver)) return;
  const scheme = uri.scheme!;
  const last = !scheme.terminated && scheme.end === uri.text.length;
  driverNames(ctx).forEach((name, i) => {
    out.add({
      label: name, insert: name, start: driver.start, end: driver.end, kind: CompletionItemKind.Module, detail: findDriver(name)?.title,
      rank: 2000 + i, data: { k: 'driver', v: name }, rest: last ? HOLE : undefined,
    });
  });
  // A bare word may be a uri_aliases name, or the start of a whole URI.
  if (!scheme.terminated && !uri.transport && ctx.options.libvirtContext && driver.text === uri.text) wholeUriOffers(ctx, out, uri.text.length);
}

function transportOffers(uri: ParsedUri, ctx: Context, out: Offers): void {
  const t = uri.transport!;
  if (!isLiteral(t) || ctx.nested) return;
  const scheme = uri.scheme!;
  // What follows a transport is `://` (the provider refuses a scheme that a hole ends).
  const rest = !scheme.terminated && scheme.end === uri.text.length ? '://' + HOLE : undefined;
  if (ctx.consumer === PROVIDER.name) {
    Object.entries(PROVIDER.transports).forEach(([name, info], i) => {
      out.add({
        label: name, insert: name, start: t.start, end: t.end, kind: CompletionItemKind.Interface, detail: info.encrypted ? 'encrypted' : 'not encrypted',
        rank: i, data: { k: 'transport', v: name, c: ctx.consumer }, rest,
      });
    });
    return;
  }
  TRANSPORTS_BY_USE.forEach((name, i) => {
    out.add({
      label: name, insert: name, start: t.start, end: t.end, kind: CompletionItemKind.Interface, detail: transportSummary(TRANSPORTS[name]),
      rank: i, data: { k: 'transport', v: name, c: ctx.consumer }, rest,
    });
  });
}

// ---- authority: user, host, port --------------------------------------------------------------

function authorityOffers(uri: ParsedUri, caret: number, ctx: Context, out: Offers): void {
  if (ctx.nested) return;
  const { user, host, port } = uri;
  if (port && caret >= port.start) {
    portOffers(uri, port, ctx, out);
    return;
  }
  if (user && caret <= user.end) {
    userOffers(uri, user, '', ctx, out);
    return;
  }
  if (!host || !isLiteral(host)) return;
  const shape = shapeOf(uri, ctx, true);
  const local = uri.authority!.text === '' && uri.path.text === '';
  // With no transport a local URI is the usual one; with one that reaches a host, the host is.
  const localFirst = !uri.transport;
  if (local) pathOffers(uri, caret, ctx, out, localFirst ? 0 : 20_000);
  if (!uri.hostIsIpLiteral) hostOffers(uri, host, caret, shape, ctx, out, localFirst ? 20_000 : 10_000);
  if (!user && caret === host.end) userOffers(uri, host, '@', ctx, out);
}

function usesHost(shape: Shape, ctx: Context): boolean {
  // Every transport of the provider dials a host.
  if (ctx.consumer === PROVIDER.name) return true;
  const t = libvirtTransport(shape.transport);
  if (shape.transport !== undefined) return t !== undefined && TRANSPORTS[t].usesHost;
  // A host on a driver that runs in the client library sends the URI to a daemon instead.
  return !(shape.driver?.runsIn === 'client' && shape.driver.localOnly && !shape.driver.alsoInDaemons);
}

/** A DNS name the validator judges like any other (not `system` or `session`, which look like a path). */
const PLAIN_HOST = /^(?!(?:system|session)$)[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*$/;

function hostOffers(uri: ParsedUri, host: Component, caret: number, shape: Shape, ctx: Context, out: Offers, base: number): void {
  if (!usesHost(shape, ctx)) return;
  const hosts: HostNames = ctx.env.hosts?.() ?? NO_HOSTS;
  const aliases = shape.effective !== undefined && SSH_CONFIG_TRANSPORTS[ctx.consumer].includes(shape.effective);
  const rest = host.end === uri.text.length ? '/' + HOLE : undefined;
  // Too many to send: those that start with what is typed, and the list asks again as typing goes on.
  const many = hosts.sshConfig.length + hosts.knownHosts.length + hosts.etcHosts.length > MAX_HOSTS;
  const typed = host.text.slice(0, caret - host.start).toLowerCase();
  if (many) out.incomplete = true;
  const seen = new Set<string>();
  const add = (name: string, port: string | undefined, source: keyof typeof HOST_SOURCES, info?: string): void => {
    const withPort = port !== undefined && !uri.port ? `:${port}` : '';
    const shown = (name.includes(':') ? `[${name}]` : name) + withPort;
    if (seen.size >= MAX_HOSTS || seen.has(shown) || (many && !shown.toLowerCase().startsWith(typed))) return;
    seen.add(shown);
    out.add({
      label: shown, insert: shown, start: host.start, end: host.end, kind: CompletionItemKind.Reference, detail: info,
      description: HOST_SOURCES[source].file, rank: base + seen.size, data: { k: 'host', source, info }, rest,
      family: PLAIN_HOST.test(shown) ? 'host' : undefined,
    });
  };
  for (const h of hosts.sshConfig) {
    if (aliases) add(h.alias, undefined, 'sshConfig', [h.hostName && `HostName ${h.hostName}`, h.user && `User ${h.user}`, h.port && `Port ${h.port}`].filter(Boolean).join(', ') || undefined);
    else if (h.hostName && isHostName(h.hostName)) add(h.hostName, undefined, 'sshConfigHostName', `Host ${h.alias}`);
  }
  for (const k of hosts.knownHosts) add(k.name, k.port, 'knownHosts');
  for (const e of hosts.etcHosts) add(e.name, undefined, 'etcHosts', e.address);
}

/** The ssh client configuration's entry for a host name or alias. */
function sshHost(ctx: Context, name: string): HostNames['sshConfig'][number] | undefined {
  const hosts = ctx.env.hosts?.() ?? NO_HOSTS;
  return hosts.sshConfig.find((h) => h.alias === name) ?? hosts.sshConfig.find((h) => h.hostName === name);
}

/** User names: at `user@`, or (`suffix` '@') while the first word of the authority is typed. */
function userOffers(uri: ParsedUri, at: Component, suffix: string, ctx: Context, out: Offers): void {
  if (!isLiteral(at)) return;
  const shape = shapeOf(uri, ctx, true);
  const logsIn = ctx.consumer === PROVIDER.name
    ? (PROVIDER.transports as Record<string, { user: boolean }>)[shape.effective ?? '']?.user === true
    : logsInAsUser(shape.driver, libvirtTransport(shape.transport));
  if (!logsIn) return;
  const rest = suffix !== '' && at.end === uri.text.length ? HOLE : undefined;
  const seen = new Set<string>();
  let rank = 30_000;
  const add = (name: string, host: string | undefined, doc?: string): void => {
    if (seen.has(name) || !/^[A-Za-z0-9._~-]+$/.test(name)) return;
    seen.add(name);
    out.add({
      label: name + suffix, insert: name + suffix, start: at.start, end: at.end, kind: CompletionItemKind.Variable, detail: doc,
      description: host !== undefined ? HOST_SOURCES.sshConfig.file : undefined, rank: rank++, data: { k: 'user', v: name, host }, rest, again: suffix !== '',
    });
  };
  const hostText = suffix === '' && uri.host && isLiteral(uri.host) ? uri.host.text : undefined;
  const entry = hostText ? sshHost(ctx, hostText) : undefined;
  if (entry?.user) add(entry.user, entry.alias, `User of Host ${entry.alias}`);
  for (const u of USER_SUGGESTIONS) add(u.value, undefined);
  // No host yet: the users the ssh configuration logs in as.
  if (!hostText) for (const h of (ctx.env.hosts?.() ?? NO_HOSTS).sshConfig) if (h.user) add(h.user, h.alias, `User of Host ${h.alias}`);
}

function portOffers(uri: ParsedUri, port: Component, ctx: Context, out: Offers): void {
  if (!isLiteral(port) || ctx.consumer === PROVIDER.name) return;
  const shape = shapeOf(uri, ctx, true);
  const t = libvirtTransport(shape.effective);
  if (!t || parameterReader(shape.driver, shape.transport !== undefined, true) === 'driver') return;
  const host = uri.host && isLiteral(uri.host) ? uri.host.text : '';
  const rest = port.end === uri.text.length ? '/' + HOLE : undefined;
  const entry = t === 'ssh' && host !== '' ? sshHost(ctx, host) : undefined;
  if (entry?.port && /^\d+$/.test(entry.port)) {
    out.add({ label: entry.port, insert: entry.port, start: port.start, end: port.end, kind: CompletionItemKind.Value, detail: `Port of Host ${entry.alias}`, description: HOST_SOURCES.sshConfig.file, rank: 0, data: { k: 'port', v: entry.port, host: entry.alias }, rest });
  }
  const p = TRANSPORTS[t].defaultPort;
  if (p !== undefined && String(p) !== entry?.port) {
    out.add({ label: String(p), insert: String(p), start: port.start, end: port.end, kind: CompletionItemKind.Value, detail: `${t} default`, rank: 1, data: { k: 'port', v: String(p), transport: t }, rest });
  }
}

// ---- path ---------------------------------------------------------------------------------------

function pathOffers(uri: ParsedUri, caret: number, ctx: Context, out: Offers, base: number): void {
  const path = uri.path;
  if (!isLiteral(path) || uri.unknown.has('path')) return;
  const shape = shapeOf(uri, ctx);
  const driver = shape.driver;
  if (!driver) return;
  const local = shape.transport === undefined && shape.host === 'absent';
  // Without `//` a transport that reaches a host needs one first (`qemu+ssh://host/…`).
  if (!uri.authority && !local) return;
  const prefix = uri.authority ? '' : '//';
  driverPaths(driver).forEach((form, i) => {
    if (form.local && !local) return;
    if (form.path.includes('?') && uri.query) return;
    out.add({
      label: form.path, insert: prefix + (form.snippet ?? form.path), snippet: form.snippet !== undefined, start: path.start, end: path.end,
      kind: CompletionItemKind.Field, rank: base + i, data: { k: 'path', d: driver.name, v: form.path },
    });
  });
  if (driver.name === HOST_FILE_DRIVER.driver && local && uri.authority && ctx.consumer === 'libvirt') {
    if (path.text.length <= 1) out.incomplete = true;
    else fileOffers(path, caret, undefined, ctx, out, base + 100, (e) => e.directory || e.name.endsWith(HOST_FILE_DRIVER.extension));
  }
}

// ---- query: parameter names and values --------------------------------------------------------

interface Reader {
  /** Every parameter that could be written here. */
  universe: readonly ParamInfo[];
  /** Whether the URI's transport (or driver) uses it; undefined when that is unknown. */
  honoured(p: ParamInfo): boolean | undefined;
  /** Who ignores the parameters it does not use. */
  who?: string;
  /** Names compared as the reader compares them. */
  caseSensitive: boolean;
  driver?: string;
}

function readerOf(uri: ParsedUri, ctx: Context): Reader | undefined {
  const shape = shapeOf(uri, ctx);
  if (ctx.consumer === PROVIDER.name) {
    const transports: Record<string, { params: readonly string[] }> = PROVIDER.transports;
    const names = [...new Set([...PROVIDER.local.params, ...Object.values(transports).flatMap((t) => t.params)])];
    const universe = names.map((n) => findRemoteParam(n) ?? PROVIDER_PARAMS.find((p) => p.name === n)).filter((p): p is ParamInfo => p !== undefined);
    const reads = shape.effective === undefined ? undefined : shape.effective === 'local' ? PROVIDER.local.params : transports[shape.effective]?.params;
    return {
      universe, caseSensitive: true, who: shape.effective === 'local' ? 'the local socket' : `the ${shape.effective} transport`,
      honoured: (p) => (reads === undefined ? undefined : reads.includes(p.name)),
    };
  }
  if (!shape.driverKnown) return { universe: REMOTE_PARAMS, caseSensitive: false, honoured: () => undefined };
  const driver = shape.driver;
  if (driver && !uri.unknown.has('path') && isLiteral(uri.path) && percentDecode(uri.path.text) === EMBED_PATH && shape.transport === undefined) {
    return { universe: [EMBED_ROOT_PARAM], caseSensitive: true, honoured: () => true };
  }
  if (shape.host === 'unknown' && driver?.runsIn === 'client') return undefined;
  if (parameterReader(driver, shape.transport !== undefined, shape.host === 'present') === 'driver') {
    return {
      universe: driver!.params ?? [], caseSensitive: false, driver: driver!.name, who: `the ${driver!.name} driver`,
      honoured: (p) => !p.drivers || p.drivers.includes(driver!.name),
    };
  }
  const t = libvirtTransport(shape.effective);
  return { universe: REMOTE_PARAMS, caseSensitive: false, who: t && `the ${t} transport`, honoured: (p) => (t ? transportUses(p, t) : undefined) };
}

function queryOffers(uri: ParsedUri, caret: number, ctx: Context, out: Offers): void {
  if (ctx.nested) return;
  const text = uri.text;
  for (const p of uri.params) {
    if (p.name.start <= caret && caret <= p.name.end) {
      nameOffers(uri, p.name, p, ctx, out);
      return;
    }
    if (p.value && p.value.start <= caret && caret <= p.value.end) {
      valueOffers(uri, p, caret, ctx, out);
      return;
    }
  }
  // Right after a separator, before the next one: a parameter not yet begun.
  const before = text[caret - 1];
  const next = text[caret];
  if ((before === '?' || before === '&' || before === ';') && (next === undefined || next === '&' || next === ';' || next === '#')) {
    nameOffers(uri, { text: '', start: caret, end: caret }, undefined, ctx, out);
  }
}

function nameOffers(uri: ParsedUri, name: Component, current: QueryParam | undefined, ctx: Context, out: Offers): void {
  if (!isLiteral(name)) return;
  const reader = readerOf(uri, ctx);
  if (!reader) return;
  const key = (n: string) => (reader.caseSensitive ? n : n.toLowerCase());
  const present = new Set<string>();
  for (const p of uri.params) if (p !== current && isLiteral(p.name)) present.add(key(p.decodedName));
  const withValue = current?.value !== undefined;
  reader.universe.forEach((info, i) => {
    if (present.has(key(info.name))) return;
    const honoured = reader.honoured(info);
    const ignored = honoured === false;
    const rare = RARE_PARAMS.includes(info.name);
    out.add({
      label: info.name, insert: withValue ? info.name : `${info.name}=`, start: name.start, end: name.end, kind: CompletionItemKind.Property,
      description: ignored ? `ignored by ${reader.who}` : undefined, rank: (ignored ? 2000 : rare ? 1000 : 0) + i,
      data: { k: 'param', v: info.name, c: ctx.consumer, d: reader.driver, ignoredBy: ignored ? reader.who : undefined },
      rest: withValue ? undefined : HOLE, again: !withValue,
    });
  });
}

function valueOffers(uri: ParsedUri, p: QueryParam, caret: number, ctx: Context, out: Offers): void {
  const value = p.value!;
  if (!isLiteral(value) || !isLiteral(p.name)) return;
  const reader = readerOf(uri, ctx);
  const name = reader?.caseSensitive ? p.decodedName : p.decodedName.toLowerCase();
  const info = reader?.universe.find((x) => x.name === name);
  if (!reader || !info) return;
  const data = (v: string): CompletionData => ({ k: 'value', p: info.name, v, c: ctx.consumer, d: reader.driver });
  const offer = (v: string, rank: number, kind: CompletionItemKind, description?: string, range: { start: number; end: number } = value): void => {
    out.add({ label: v, insert: v, start: range.start, end: range.end, kind, description, rank, data: data(v), strict: true });
  };
  switch (info.kind) {
    case 'enum':
      info.values?.forEach((v, i) => offer(v.value, i, CompletionItemKind.EnumMember, info.insecureWhenOn === v.value ? 'insecure' : undefined));
      return;
    case 'enum-list': {
      // One method of a comma-separated list: the item at the caret.
      const inside = caret - value.start;
      const from = value.text.lastIndexOf(',', inside - 1) + 1;
      const to = value.text.indexOf(',', inside);
      const range = { start: value.start + from, end: to < 0 ? value.end : value.start + to };
      const others = new Set<string>();
      let at = 0;
      for (const m of value.text.split(',')) {
        if (at !== from) others.add(m.toLowerCase());
        at += m.length + 1;
      }
      info.values?.forEach((v, i) => {
        if (!others.has(v.value)) offer(v.value, i, CompletionItemKind.EnumMember, undefined, range);
      });
      return;
    }
    case 'boolean':
      BOOLEAN_VALUES.forEach((v, i) => {
        const insecure = info.insecureWhenOn === v.value;
        offer(v.value, insecure ? 10 + i : i, CompletionItemKind.Value, insecure ? 'insecure' : undefined);
      });
      return;
    case 'local-path':
    case 'program':
      fileOffers(value, caret, info, ctx, out, 0);
      return;
    case 'remote-path': {
      const shape = shapeOf(uri, ctx);
      // For unix, socket= is a path on this machine; for the ssh transports it is on the remote host.
      const here = shape.effective === 'unix' || shape.effective === 'local';
      fileOffers(value, caret, info, ctx, out, 0, undefined, here ? undefined : 'on this machine');
      return;
    }
    case 'text':
      if (info.name === NESTED_URI_PARAM && ctx.consumer === 'libvirt' && !reader.driver) nestedOffers(value, caret, ctx, out);
      else ESX_VALUES[info.name]?.forEach((v, i) => offer(v.value, i, CompletionItemKind.Value));
      return;
  }
}

/** `name=`: the URI the daemon opens, completed as a URI of its own. */
function nestedOffers(value: Component, caret: number, ctx: Context, out: Offers): void {
  if (value.text.includes('%')) return;
  const inner = new Offers();
  uriOffers(parseUri(value.text), caret - value.start, { ...ctx, nested: true, options: { ...ctx.options, libvirtContext: true } }, inner);
  for (const o of inner.list) out.add({ ...o, start: o.start + value.start, end: o.end + value.start, strict: true });
  out.incomplete ||= inner.incomplete;
}

/** Characters a path segment keeps as they are; the rest is %-encoded (and so safe in any host language's string). */
const PATH_SAFE = /[A-Za-z0-9._~+,:@=-]/;

function encodeSegment(name: string): string {
  let s = '';
  for (const ch of name) s += PATH_SAFE.test(ch) ? ch : Array.from(Buffer.from(ch, 'utf8'), (b) => '%' + b.toString(16).toUpperCase().padStart(2, '0')).join('');
  return s;
}

/**
 * Files and folders for a path on this machine: the usual places while nothing is typed, then
 * the entries of the folder typed so far (one segment at a time). `elsewhere` marks a path that
 * libvirt reads on another machine.
 */
function fileOffers(
  value: Component, caret: number, info: ParamInfo | undefined, ctx: Context, out: Offers, base: number,
  keep?: (e: { name: string; directory: boolean }) => boolean, elsewhere?: string,
): void {
  const typed = value.text.slice(0, caret - value.start);
  if (info) {
    const values = PATH_VALUES[info.name] ?? [];
    values.forEach((v, i) => {
      out.add({ label: v.value, insert: v.value, start: value.start, end: value.end, kind: CompletionItemKind.File, rank: base + 100 + i, data: { k: 'place', p: info.name, v: v.value }, strict: true });
    });
    if (typed === '') {
      const home = ctx.env.homeDir?.();
      (PATH_PLACES[info.name] ?? []).forEach((place: Suggestion, i) => {
        // A home that is no POSIX path (Windows) has no place in a URI's path parameter as it is.
        const dir = place.value.startsWith('~/') ? (home?.startsWith('/') ? home.replace(/\/+$/, '') + place.value.slice(1) : undefined) : place.value;
        if (!dir) return;
        const insert = dir.split('/').map(encodeSegment).join('/');
        out.add({
          label: dir, insert, start: value.start, end: value.end, kind: CompletionItemKind.Folder, description: elsewhere, rank: base + i,
          data: { k: 'place', p: info.name, v: place.value }, strict: true, again: true, rest: HOLE,
        });
      });
      return;
    }
  }
  if (!typed.startsWith('/') || !ctx.env.listDirectory) return;
  const slash = typed.lastIndexOf('/');
  const dir = percentDecode(typed.slice(0, slash + 1));
  const entries = ctx.env.listDirectory(dir);
  if (entries === undefined) {
    out.incomplete = true;
    return;
  }
  const next = value.text.indexOf('/', caret - value.start);
  const start = value.start + slash + 1;
  const end = next < 0 ? value.end : value.start + next;
  const lastSegment = next < 0;
  let rank = base + 1000;
  for (const e of entries) {
    if (keep && !keep(e)) continue;
    const more = e.directory && lastSegment;
    const insert = encodeSegment(e.name) + (more ? '/' : '');
    out.add({
      label: e.name + (e.directory ? '/' : ''), insert, start, end, kind: e.directory ? CompletionItemKind.Folder : CompletionItemKind.File,
      description: elsewhere, rank: rank++ + (e.name.startsWith('.') ? 5000 : 0), data: { k: 'file' }, strict: true, again: more, rest: more ? HOLE : undefined,
      family: more ? 'folder' : 'file',
    });
  }
}

// ---- documentation (completionItem/resolve) ----------------------------------------------------

function paramDoc(data: Extract<CompletionData, { k: 'param' | 'value' }>): ParamInfo | undefined {
  const name = data.k === 'param' ? data.v : data.p;
  if (name === EMBED_ROOT_PARAM.name && data.c === 'libvirt' && !data.d) return EMBED_ROOT_PARAM;
  if (data.d) {
    const driver = findDriver(data.d);
    return driver ? findDriverParam(driver, name) : undefined;
  }
  return findRemoteParam(name) ?? PROVIDER_PARAMS.find((p) => p.name === name);
}

function documentation(data: CompletionData): string | undefined {
  switch (data.k) {
    case 'driver': {
      const d = findDriver(data.v);
      // The item's detail already shows the title.
      return d && `${d.doc}\n\n${d.examples.map((e) => `\`${e}\``).join(' · ')}`;
    }
    case 'transport': {
      if (data.c === PROVIDER.name) return (PROVIDER.transports as Record<string, { doc: string }>)[data.v]?.doc;
      const t = libvirtTransport(data.v);
      return t && TRANSPORTS[t].doc;
    }
    case 'alias':
      return `A \`uri_aliases\` name from libvirt.conf: libvirt opens \`${data.target}\`.`;
    case 'snippet':
      return URI_SNIPPETS[data.c][data.i]?.doc;
    case 'user':
      return data.host !== undefined ? format(SSH_CONFIG_DOCS.user, data.host) : USER_SUGGESTIONS.find((u) => u.value === data.v)?.doc;
    case 'host':
      return HOST_SOURCES[data.source].doc + (data.info ? `\n\n${data.info}` : '');
    case 'port':
      return data.host !== undefined ? format(SSH_CONFIG_DOCS.port, data.host) : format(SSH_CONFIG_DOCS.defaultPort, data.transport ?? '');
    case 'path': {
      const d = findDriver(data.d);
      return d && driverPaths(d).find((f) => f.path === data.v)?.doc;
    }
    case 'param': {
      const info = paramDoc(data);
      if (!info) return undefined;
      const lines = [info.doc];
      if (info.defaultValue !== undefined) lines.push(`Default: \`${info.defaultValue}\`.`);
      if (data.c === 'libvirt' && !data.d && info.transports !== 'all') lines.push(`Used by: ${info.transports.join(', ')}.`);
      if (data.ignoredBy) lines.push(`Ignored by ${data.ignoredBy}.`);
      return lines.join('\n\n');
    }
    case 'value': {
      const info = paramDoc(data);
      if (!info) return undefined;
      const listed = info.values?.find((v) => v.value === data.v) ?? (info.kind === 'boolean' ? BOOLEAN_VALUES.find((v) => v.value === data.v) : undefined);
      return listed?.doc ?? ESX_VALUES[info.name]?.find((v) => v.value === data.v)?.doc;
    }
    case 'place':
      return (PATH_PLACES[data.p] ?? []).concat(PATH_VALUES[data.p] ?? []).find((s) => s.value === data.v)?.doc;
    case 'setting':
      return CLIENT_SETTINGS.find((s) => s.name === data.v)?.doc;
    default:
      return undefined;
  }
}

/** completionItem/resolve: the item with its documentation. */
export function resolveCompletion(item: CompletionItem): CompletionItem {
  const doc = item.data ? documentation(item.data as CompletionData) : undefined;
  return doc ? { ...item, documentation: { kind: MarkupKind.Markdown, value: doc } } : item;
}
