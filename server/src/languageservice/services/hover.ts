// Hover: one card over any part of a URI — its parts with their docs, and what libvirt will
// really use where the URI is silent (transport, port, user, socket, the URI the daemon opens,
// the program run for ssh). Every libvirt fact comes from the catalog; this module only applies
// them to a parsed URI and writes the card.
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Hover, MarkupKind, Position } from 'vscode-languageserver-types';
import {
  ALIAS_NAME, CLIENT_SETTINGS, EFFECT_DOCS, EMBED_PATH, LIBVIRT_BUILD, REMOTE_DEFAULTS, SSH_FAMILY, SshProxy, TERRAFORM_PROVIDER_CONSUMER as PROVIDER, TRANSPORTS,
  TRANSPORT_NAMES, TransportName, URI_PART_DOCS, daemonSocket, defaultSshProxy, defaultTransport, directDaemon, findDriver,
  findDriverParam, findRemoteParam, format, shellEscape, sshArgv, sshRemoteCommand, tlsCredentialFiles, transportUses, wantsUserDaemon,
  MESSAGES, WEB_DEFAULT_PROTOCOL, WEB_PROTOCOLS, type DriverInfo, type ParamInfo, type TlsFile, type WebProtocol,
} from '../catalog';
import type { ServiceEnvironment } from '../languageService';
import { RegionCache, documentOffset } from '../regions';
import { PartAt, ParsedUri, HOLE, parseUri, percentDecode } from '../uri/parser';
import { uriAt } from '../uriAt';
import { daemonName, looksLikeLibvirt, speaksProviderDialect, splitParams } from './validation';

/** Whether libvirt accepts `value` for the enum parameter `name` (the catalog's values). */
function isEnumValue(name: string, value: string): boolean {
  return findRemoteParam(name)?.values?.some((v) => v.value === value) === true;
}

/** Who opens the connection, which changes the socket and the ssh proxy. */
export interface Opener {
  root: boolean;
  readOnly: boolean;
}

/** What the remote driver does with a URI, for one opener. */
export interface RemoteEffect {
  transport: TransportName;
  /** The transport comes from `+transport` (else it is the default for the host). */
  transportNamed: boolean;
  /** Host connected to (tls, tcp, ssh family). */
  host?: string;
  /** Port connected to; undefined for ssh when the URI has none (ssh's own). */
  port?: string;
  /** Login user; undefined for ssh when the URI has none (ssh's own), and where no user is used. */
  user?: string;
  /** The daemon socket (unix: on this machine; ssh family: on the host, for netcat). */
  socket?: string;
  /** unix with mode=auto: the per-driver socket, used instead when it exists. */
  directSocket?: string;
  /** The socket comes from `socket=`. */
  socketGiven: boolean;
  /** The URI the daemon opens; '' lets the daemon choose. */
  name: string;
  nameGiven: boolean;
  proxy?: SshProxy;
  /** ssh family: the command run on the host. */
  remoteCommand?: string;
  /** ssh: the program and arguments run on this machine. */
  argv?: string[];
  /** ext: the program run. */
  command?: string;
  /** tls: the credential files read. */
  tlsFiles?: TlsFile[];
}

/** virStrToLong_i then non-zero; a value that is not an integer fails the open (validation says so). */
function flag(params: Map<string, string>, name: string): boolean {
  const v = params.get(name);
  return v !== undefined && /^\s*[+-]?\d+$/.test(v) && Number(v) !== 0;
}

function transportOf(uri: ParsedUri): { transport: TransportName; named: boolean } | undefined {
  if (!uri.transport) return { transport: defaultTransport(!!uri.host && uri.host.text !== ''), named: false };
  const t = uri.transport.text.toLowerCase();
  return (TRANSPORT_NAMES as readonly string[]).includes(t) ? { transport: t as TransportName, named: true } : undefined;
}

/**
 * What libvirt 9.0.0's remote driver uses for a literal URI it would hand to a daemon; undefined
 * when the URI does not get that far (no scheme, unknown transport, a value libvirt refuses).
 */
export function remoteEffect(text: string, opener: Opener): RemoteEffect | undefined {
  const uri = parseUri(text);
  if (!uri.scheme?.terminated || uri.problems.length > 0 || text.includes(HOLE)) return undefined;
  const t = transportOf(uri);
  if (!t) return undefined;
  const scheme = uri.scheme.text;
  const driver = uri.driver!.text;
  const server = uri.host && uri.host.text !== '' ? percentDecode(uri.host.text) : undefined;
  const split = splitParams(uri);
  const params = split.remote;
  const nameParam = params.get('name');
  const name = daemonName(uri, split);
  const effect: RemoteEffect = {
    transport: t.transport, transportNamed: t.named, socketGiven: false, name, nameGiven: nameParam !== undefined,
  };
  const info = TRANSPORTS[t.transport];
  if (info.usesHost) {
    effect.host = server ?? REMOTE_DEFAULTS.host;
    // ssh gets the number as written (`-p %d`); the others dial it modulo 65536.
    const written = uri.port && uri.port.text !== '' ? Number(uri.port.text) : undefined;
    const port = written === undefined ? undefined : String(t.transport === 'ssh' ? written : written % 65536);
    effect.port = port ?? (info.defaultPort !== undefined ? String(info.defaultPort) : undefined);
  }
  const user = uri.user ? percentDecode(uri.user.text) : undefined;
  if (t.transport === 'ssh') effect.user = user;
  else if (t.transport === 'libssh' || t.transport === 'libssh2') effect.user = user ?? REMOTE_DEFAULTS.libsshUser;
  if (t.transport === 'tls') effect.tlsFiles = tlsCredentialFiles(params.get('pkipath'), opener.root);
  if (t.transport === 'ext') {
    effect.command = params.get('command');
    return effect.command ? effect : undefined;
  }
  if (t.transport !== 'unix' && !SSH_FAMILY.includes(t.transport)) return effect;

  const mode = params.get('mode') ?? 'auto';
  if (!isEnumValue('mode', mode)) return undefined;
  const userDaemon = !opener.root && wantsUserDaemon(scheme, uri.path.text);
  const readOnly = opener.readOnly;
  const socketParam = params.get('socket');
  if (socketParam !== undefined) {
    effect.socket = socketParam;
    effect.socketGiven = true;
  } else {
    const legacy = daemonSocket(REMOTE_DEFAULTS.legacySocketPrefix, userDaemon, readOnly);
    const direct = daemonSocket(directDaemon(driver), userDaemon, readOnly);
    if (mode === 'direct') {
      if (t.transport !== 'unix') return undefined;
      effect.socket = direct;
    } else {
      // auto over ssh always names the legacy socket: the far side's helper probes for itself.
      const fallback = REMOTE_DEFAULTS.autoModeFallback === 'legacy' ? legacy : direct;
      effect.socket = mode === 'auto' && t.transport === 'unix' ? fallback : legacy;
      if (mode === 'auto' && t.transport === 'unix') effect.directSocket = direct;
    }
  }
  if (t.transport === 'unix') return effect;

  const proxyParam = params.get('proxy');
  if (proxyParam !== undefined && !isEnumValue('proxy', proxyParam)) return undefined;
  const netcat = params.get('netcat');
  const proxy = proxyParam === undefined ? defaultSshProxy(socketParam !== undefined, userDaemon, netcat !== undefined)
    : proxyParam === 'auto' && netcat !== undefined ? 'netcat' : (proxyParam as SshProxy);
  if (proxy === 'native' && netcat !== undefined) return undefined;
  effect.proxy = proxy;
  effect.remoteCommand = sshRemoteCommand(proxy, netcat, effect.socket!, name, readOnly);
  if (t.transport === 'ssh') {
    effect.argv = sshArgv({
      program: params.get('command') ?? REMOTE_DEFAULTS.sshProgram,
      host: effect.host!, port: effect.port, user, keyfile: params.get('keyfile'),
      noTty: flag(params, 'no_tty'), noVerify: flag(params, 'no_verify'), remoteCommand: effect.remoteCommand,
    });
  }
  return effect;
}

/** What a web-service driver (esx, gsx, vpx, hyperv) connects with. */
export interface WebEffect {
  protocol: WebProtocol;
  protocolGiven: boolean;
  /** undefined when the written port is out of range (curl refuses the URL). */
  port?: number;
  portGiven: boolean;
  /** The user libvirt offers when it asks for the login; undefined when the URI names one. */
  loginUser?: string;
}

/** esxConnectOpen / hypervConnectOpen: undefined where the driver refuses the URI or has no host. */
export function webEffect(text: string): WebEffect | undefined {
  const uri = parseUri(text);
  const driver = uri.driver && !uri.transport ? findDriver(uri.driver.text) : undefined;
  if (!driver?.webPorts || !uri.scheme?.terminated || uri.problems.length > 0 || text.includes(HOLE) || !uri.host || uri.host.text === '') return undefined;
  let protocol: string | undefined;
  for (const p of uri.params) if (p.decodedName.toLowerCase() === 'transport') protocol = p.decodedValue;
  if (protocol !== undefined && !(WEB_PROTOCOLS as readonly string[]).includes(protocol)) return undefined;
  const chosen = (protocol ?? WEB_DEFAULT_PROTOCOL) as WebProtocol;
  // Port 0 is "none given"; curl refuses one above 65535.
  const written = uri.port && uri.port.text !== '' ? Number(uri.port.text) : 0;
  return {
    protocol: chosen, protocolGiven: protocol !== undefined, portGiven: written !== 0,
    port: written === 0 ? driver.webPorts[chosen] : written <= 65535 ? written : undefined,
    ...(uri.user ? {} : { loginUser: driver.loginUser }),
  };
}

// ---- the card ---------------------------------------------------------------------------------

/** Inline code; a hole of a template shows as '…'. */
function code(s: string): string {
  const shown = s.replaceAll(HOLE, '…');
  if (shown === '') return '*(empty)*';
  return shown.includes('`') ? `\`\` ${shown} \`\`` : `\`${shown}\``;
}

function firstSentence(doc: string): string {
  const m = /^(.+?[.!?])(\s|$)/.exec(doc);
  return m ? m[1] : doc;
}

interface Line {
  part: PartAt['part'];
  /** The component's start, to mark the hovered one. */
  start: number;
  label: string;
  value: string;
  /** Shown before the doc (a driver's or transport's name). */
  title?: string;
  doc: string;
}

function paramInfo(name: string, driver: DriverInfo | undefined): ParamInfo | undefined {
  return driver?.params ? findDriverParam(driver, name) : findRemoteParam(name);
}

function paramLines(uri: ParsedUri, driver: DriverInfo | undefined, transport: TransportName | undefined, remote: boolean): Line[] {
  const lines: Line[] = [];
  for (const p of uri.params) {
    const info = paramInfo(p.decodedName, driver);
    let doc: string;
    if (!info) doc = remote ? URI_PART_DOCS.passedThrough : driver?.params ? format(URI_PART_DOCS.driverIgnoresParam, driver.name) : '';
    else {
      const valueDoc = info.values?.find((v) => v.value.toLowerCase() === p.decodedValue.toLowerCase())?.doc;
      doc = info.doc + (valueDoc ? ` **${p.decodedValue}**: ${valueDoc}` : '');
      if (remote && transport && !transportUses(info, transport)) {
        const users = info.transports === 'all' ? [] : info.transports;
        doc = `**Ignored by the ${transport} transport** (used by ${users.join(', ')}). ` + doc;
      }
    }
    lines.push({ part: 'parameter-name', start: p.name.start, label: 'parameter', value: `${code(p.name.text)}${p.value ? ` = ${code(p.value.text)}` : ''}`, doc });
  }
  return lines;
}

interface Route {
  kind: 'remote' | 'client' | 'embed' | 'provider';
  driver?: DriverInfo;
  transport?: TransportName;
}

/** Which code takes the URI, as validateUri decides it. */
function routeOf(uri: ParsedUri, consumer: string): Route {
  const driver = findDriver(uri.driver!.text);
  if (consumer === PROVIDER.name) return { kind: 'provider', driver };
  if (percentDecode(uri.path.text) === EMBED_PATH) return { kind: 'embed', driver };
  const hasHost = !!uri.host && uri.host.text !== '';
  if (driver?.runsIn === 'client' && !uri.transport && !(driver.localOnly && hasHost)) return { kind: 'client', driver };
  return { kind: 'remote', driver, transport: transportOf(uri)?.transport };
}

function partLines(uri: ParsedUri, route: Route): Line[] {
  const lines: Line[] = [];
  const { driver, transport } = route;
  const d = uri.driver!;
  lines.push({
    part: 'driver', start: d.start, label: 'driver', value: code(d.text),
    title: driver?.title,
    doc: driver ? driver.doc : d.text.includes(HOLE) ? '' : splitParams(uri).remote.has('name') ? URI_PART_DOCS.unknownDriverWithName : URI_PART_DOCS.unknownDriver,
  });
  if (uri.transport) {
    const t = TRANSPORT_NAMES.find((n) => n === uri.transport!.text.toLowerCase());
    lines.push({ part: 'transport', start: uri.transport.start, label: 'transport', value: code(uri.transport.text), title: t ? TRANSPORTS[t].title : undefined, doc: t ? TRANSPORTS[t].doc : URI_PART_DOCS.unknownTransport });
  }
  const uses = transport ? TRANSPORTS[transport].usesHost : true;
  if (uri.user) {
    const ignored = route.kind === 'remote' && transport && !SSH_FAMILY.includes(transport) ? `**Not used by the ${transport} transport.** ` : '';
    lines.push({ part: 'user', start: uri.user.start, label: 'user', value: code(percentDecode(uri.user.text)), doc: ignored + URI_PART_DOCS.user });
  }
  if (uri.host && uri.host.text !== '') {
    lines.push({ part: 'host', start: uri.host.start, label: 'host', value: code(percentDecode(uri.host.text)), doc: (uses ? '' : `**Not allowed with ${transport}.** `) + URI_PART_DOCS.host });
  }
  if (uri.port) lines.push({ part: 'port', start: uri.port.start, label: 'port', value: code(uri.port.text), doc: URI_PART_DOCS.port });
  lines.push({ part: 'path', start: uri.path.start, label: 'path', value: code(percentDecode(uri.path.text)), doc: URI_PART_DOCS.path });
  lines.push(...paramLines(uri, driver, transport, route.kind === 'remote'));
  if (uri.fragment) lines.push({ part: 'fragment', start: uri.fragment.start, label: 'fragment', value: code(uri.fragment.text), doc: URI_PART_DOCS.fragment });
  return lines;
}

function remoteSection(text: string, uri: ParsedUri): string[] {
  const root = remoteEffect(text, { root: true, readOnly: false });
  if (!root) return [];
  const user = remoteEffect(text, { root: false, readOnly: false })!;
  const ro = remoteEffect(text, { root: true, readOnly: true })!;
  const out: string[] = [];
  const t = root.transport;
  out.push(`- **transport** ${code(t)}` + (root.transportNamed ? '' : uri.host && uri.host.text !== '' ? ' — none named and a host is given, so tls' : ' — none named and no host, so a local UNIX socket'));
  if (root.host !== undefined) out.push(`- **host** ${code(root.host)}` + (uri.host && uri.host.text !== '' ? '' : ' — the URI names none'));
  if (TRANSPORTS[t].usesHost) {
    out.push(root.port !== undefined
      ? `- **port** ${code(root.port)}` + (uri.port && uri.port.text !== '' ? '' : ` — the ${t} default`)
      : `- **port** ${EFFECT_DOCS.sshPort}`);
  }
  if (root.tlsFiles) out.push(...tlsLines(root.tlsFiles, user.tlsFiles!));
  if (SSH_FAMILY.includes(t)) {
    out.push(root.user !== undefined
      ? `- **user** ${code(root.user)}` + (uri.user ? '' : ` — ${format(EFFECT_DOCS.libsshUser, t, REMOTE_DEFAULTS.libsshUser)}`)
      : `- **user** ${EFFECT_DOCS.sshUser}`);
  }
  if (root.socket !== undefined) {
    const where = t === 'unix' ? '' : ` on ${code(root.host!)}` + ` (${root.proxy === 'native' ? EFFECT_DOCS.socketUnusedByHelper : EFFECT_DOCS.socketForNetcat})`;
    if (root.socketGiven) out.push(`- **socket**${where} ${code(root.socket)} — from \`socket=\``);
    else if (root.directSocket) {
      out.push(`- **socket** ${code(root.directSocket)} if it exists (${directDaemon(uri.driver!.text)}), else ${code(root.socket)} (libvirtd) — mode=auto in ${LIBVIRT_BUILD}`);
    } else out.push(`- **socket**${where} ${code(root.socket)}`);
    if (!root.socketGiven) {
      if (user.socket !== root.socket) {
        out.push(`  - run by a non-root user: ${user.directSocket ? `${code(user.directSocket)} if it exists, else ` : ''}${code(user.socket!)}` +
          (t === 'unix' ? `, ${EFFECT_DOCS.userDaemonAutostart}` : ''));
      }
      if (ro.socket !== root.socket) out.push(`  - ${EFFECT_DOCS.readOnly}: ${ro.directSocket ? `${code(ro.directSocket)} or ` : ''}${code(ro.socket!)}`);
    }
  }
  if (t === 'ext') out.push(`- **runs** ${format(EFFECT_DOCS.ext, code(root.command!))}`);
  out.push(root.name === ''
    ? `- **the daemon opens** ${EFFECT_DOCS.emptyName}`
    : `- **the daemon opens** ${code(root.name)} — ${root.nameGiven ? 'from `name=`' : EFFECT_DOCS.strippedName}`);
  if (root.remoteCommand !== undefined) {
    out.push(root.argv
      ? `- **runs on this machine** ${code(root.argv.slice(0, -1).map(shellEscape).join(' '))} with this command for the shell on ${code(root.host!)}:`
      : `- **runs on ${code(root.host!)}** over ${t}:`, '', '```sh', root.remoteCommand, '```');
    if (user.remoteCommand !== root.remoteCommand) out.push(`- run by a non-root user, the host runs ${code(user.remoteCommand!)}`);
  }
  // libvirt.conf's remote_mode and remote_proxy stand in for absent `mode=` and `proxy=`.
  const unset = CLIENT_SETTINGS.filter((c) => root.socket !== undefined && (c.param === 'mode' || (c.param === 'proxy' && root.proxy)) &&
    !uri.params.some((p) => p.decodedName.toLowerCase() === c.param));
  if (unset.length > 0) out.push('', `*${unset.map((c) => `\`${c.name}\``).join(' or ')} in libvirt.conf would change these defaults.*`);
  return out;
}

function tlsFileList(files: readonly TlsFile[]): string {
  return files.map((f) => `${EFFECT_DOCS.tlsRoles[f.role]} ${code(f.path)}`).join(', ');
}

function tlsLines(root: readonly TlsFile[], user: readonly TlsFile[]): string[] {
  const fromPkipath = user.every((f) => f.fallback === undefined);
  const out = [`- **certificates** ${tlsFileList(root)} — ${fromPkipath ? `${EFFECT_DOCS.tlsFromPkipath}; ` : ''}${EFFECT_DOCS.tlsPresence}`];
  if (!fromPkipath) out.push(`  - ${EFFECT_DOCS.tlsUserFirst}: ${user.map((f) => code(f.path)).join(', ')}`);
  return out;
}

function webLines(text: string, driver: DriverInfo): string[] {
  const web = webEffect(text);
  if (!web || !driver.webPorts) return [];
  const other = WEB_PROTOCOLS.find((p) => p !== web.protocol)!;
  const out = [`- **protocol** ${code(web.protocol)} — ${web.protocolGiven ? EFFECT_DOCS.webProtocolGiven : format(EFFECT_DOCS.webProtocolDefault, web.protocol)}`];
  if (web.port !== undefined) {
    out.push(`- **port** ${code(String(web.port))}` + (web.portGiven ? '' : ` — ${format(EFFECT_DOCS.webPortDefault, driver.name, web.protocol)}` +
      (web.protocolGiven ? '' : ` (${format(EFFECT_DOCS.webPortOther, other, code(String(driver.webPorts[other])))})`)));
  }
  if (web.loginUser !== undefined) out.push(`- **user** ${format(EFFECT_DOCS.webUserAsked, code(web.loginUser))}`);
  return out;
}

function effectSection(text: string, uri: ParsedUri, route: Route): string[] {
  if (text.includes(HOLE)) return [`*${EFFECT_DOCS.template}*`];
  if (uri.problems.length > 0) return [];
  switch (route.kind) {
    case 'provider': return [`*${format(EFFECT_DOCS.provider, PROVIDER.name)}*`];
    case 'embed': return [`- **embedded**: ${format(EFFECT_DOCS.embedded, code(uri.driver!.text))}`];
    case 'client': {
      const driver = route.driver!;
      return [driver.notBuilt === 'client'
        ? `- **refused**: ${format(EFFECT_DOCS.notBuiltClient, code(format(MESSAGES.notBuilt, driver.name)))}`
        : `- **client library**: ${format(EFFECT_DOCS.clientLibrary, driver.name)}`, ...webLines(text, driver)];
    }
    case 'remote': return remoteSection(text, uri);
  }
}

/** The markdown card for the URI `text`, with `hovered` (the part under the mouse) marked. */
export function uriCard(text: string, consumer: string, hovered?: PartAt, alias?: { name: string; source?: string }): string | undefined {
  const uri = parseUri(text);
  if (!uri.scheme?.terminated || !uri.driver) return undefined;
  const route = routeOf(uri, consumer);
  const lines = partLines(uri, route);
  const hoveredStart = hovered?.part === 'parameter-value' ? hovered.param.name.start : hovered?.component.start;
  const out: string[] = [];
  if (alias) out.push(`**uri_aliases** ${code(alias.name)} → ${code(text)}` + (alias.source ? ` — from ${code(alias.source)}` : ''), '');
  else out.push(`**libvirt URI** ${code(text)}`, '');
  // The hovered part first, in full; then what libvirt fills in; then every part in brief.
  const isHovered = (l: Line) => hovered !== undefined && l.start === hoveredStart &&
    (l.part === hovered.part || (l.part === 'parameter-name' && hovered.part === 'parameter-value'));
  const here = lines.find(isHovered);
  if (here) out.push(`**${here.label}** ${here.value} — ${[here.title && `*${here.title}*`, here.doc].filter(Boolean).join(': ')}`, '');
  const effect = effectSection(text, uri, route);
  if (effect.length > 0) out.push('---', '', `**What ${LIBVIRT_BUILD} does with it**`, '', ...effect, '');
  out.push('---', '', '**Parts**', '');
  for (const l of lines) {
    const doc = [l.title && `*${l.title}*`, firstSentence(l.doc)].filter(Boolean).join(': ');
    out.push(`- ${isHovered(l) ? `**${l.label}**` : l.label} ${l.value}${doc ? ` — ${doc}` : ''}`);
  }
  return out.join('\n');
}

/** Cards per URI and hovered part: the mouse comes back to the same URIs. */
class CardCache {
  private static readonly MAX_ENTRIES = 1000;
  // A longer URI is seldom hovered twice, and as a key it would be copied and kept.
  private static readonly MAX_KEY_LENGTH = 4096;
  private readonly cards = new Map<string, string | undefined>();

  get(key: string, make: () => string | undefined): string | undefined {
    if (key.length > CardCache.MAX_KEY_LENGTH) return make();
    if (this.cards.has(key)) return this.cards.get(key);
    const card = make();
    if (this.cards.size >= CardCache.MAX_ENTRIES) this.cards.clear();
    this.cards.set(key, card);
    return card;
  }
}

export class HoverService {
  private readonly cards = new CardCache();

  constructor(private readonly regions: RegionCache, private readonly env: ServiceEnvironment) {}

  doHover(document: TextDocument, position: Position): Hover | null {
    const offset = document.offsetAt(position);
    const at = uriAt(this.regions.get(document), offset);
    if (!at) return null;
    const { candidate, uri } = at;
    const text = uri.text;
    let card: string | undefined;
    if (!uri.scheme?.terminated) {
      // A bare name where a URI goes: a uri_aliases entry, explained through its target.
      if (!candidate.libvirtContext || !ALIAS_NAME.test(text)) return null;
      const target = this.env.aliases().get(text);
      if (target === undefined) return null;
      const source = this.env.aliasSource?.(text);
      card = this.cards.get(`a\0${candidate.consumer}\0${text}\0${source ?? ''}\0${target}`, () => uriCard(target, candidate.consumer, undefined, { name: text, source }));
    } else {
      const driver = findDriver(uri.driver!.text);
      const provider = candidate.consumer === PROVIDER.name || (!candidate.libvirtContext && speaksProviderDialect(uri));
      if (!candidate.libvirtContext && !provider && (!driver || !looksLikeLibvirt(uri, driver))) return null;
      const consumer = provider ? PROVIDER.name : candidate.consumer;
      const part = at.part;
      card = this.cards.get(`u\0${consumer}\0${part ? `${part.part}@${part.component.start}` : ''}\0${text}`, () => uriCard(text, consumer, part));
    }
    if (card === undefined) return null;
    const part = at.part?.component;
    const start = part ? at.uriStart + part.start : at.uriStart;
    const end = part ? at.uriStart + part.end : candidate.text.length;
    return {
      contents: { kind: MarkupKind.Markdown, value: card },
      range: { start: document.positionAt(documentOffset(candidate, start, 'start')), end: document.positionAt(documentOffset(candidate, end, 'end')) },
    };
  }
}
