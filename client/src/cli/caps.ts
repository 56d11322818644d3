// `virt-uri caps`: connect to a hypervisor and print its host information and capabilities.
import { clientConfigPath, readLibvirtConf } from '../../../server/src/languageservice/libvirtConf';
import { capabilitiesTree, parseCapabilities } from '../capabilities';
import { domainsTree, hostTree } from '../host';
import { formatTree, type InfoNode } from '../info/node';
import { CallTimeoutError, Hypervisor, LIBRARY_ENV, LibvirtError, LibvirtUnavailableError, OpenCancelledError, VIR_CRED, libvirtInstallHint, type CallOptions, type Connection, type CredentialRequest, type Fact, type HostFacts } from '../libvirt';
import { parseSysinfo, type Sysinfo } from '../sysinfo';

export const CAPS_USAGE = `usage: virt-uri caps [URI] [--xml | --json] [--auth] [--timeout SECONDS]

Connects to URI (read-only unless --auth) and prints the host and its capabilities.
Without URI: libvirt's default when LIBVIRT_DEFAULT_URI or uri_default in libvirt.conf
is set, else test:///default.

  --xml              print the capabilities XML as libvirt returns it
  --json             print host information and the parsed capabilities as JSON
  --auth             open read-write and answer libvirt's credential requests here
  --timeout SECONDS  give up when the whole command (connecting and every query) takes
                     longer than SECONDS (default 30, at most 3600)`;

export interface CapsIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  stdin: NodeJS.ReadableStream;
}

interface CapsArgs {
  uri?: string;
  format: 'tree' | 'xml' | 'json';
  auth: boolean;
  timeoutMs: number;
}

const FALLBACK_URI = 'test:///default';
const DEFAULT_TIMEOUT_S = 30;
const MAX_TIMEOUT_S = 3600;

function parseArgs(argv: string[]): CapsArgs | string {
  const args: CapsArgs = { format: 'tree', auth: false, timeoutMs: DEFAULT_TIMEOUT_S * 1000 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--xml' || a === '--json') {
      const format = a === '--xml' ? 'xml' : 'json';
      if (args.format !== 'tree' && args.format !== format) return '--xml and --json exclude each other';
      args.format = format;
    } else if (a === '--auth') {
      args.auth = true;
    } else if (a === '--timeout') {
      const value = argv[++i];
      // Decimal seconds only: Number() would also take '0x10', '1e10' and 'Infinity'.
      const seconds = value !== undefined && /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
      if (!(seconds > 0 && seconds <= MAX_TIMEOUT_S)) return `--timeout needs a number of seconds above 0 and at most ${MAX_TIMEOUT_S}${value === undefined ? '' : `, not '${value}'`}`;
      args.timeoutMs = Math.ceil(seconds * 1000);
    } else if (a.startsWith('-') && a !== '-') {
      return `unknown option '${a}'`;
    } else if (args.uri !== undefined) {
      return 'only one URI can be given';
    } else {
      args.uri = a;
    }
  }
  return args;
}

/** Whether libvirt has a default of its own to apply when given no URI (src/libvirt.c). */
function libvirtHasDefault(): boolean {
  if (process.env.LIBVIRT_DEFAULT_URI) return true;
  return readLibvirtConf(clientConfigPath()).uriDefault !== undefined;
}

export async function runCaps(argv: string[], io: CapsIo): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.stdout.write(CAPS_USAGE + '\n');
    return 0;
  }
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    io.stderr.write(`virt-uri caps: ${args}\n${CAPS_USAGE}\n`);
    return 2;
  }
  const uri = args.uri ?? (libvirtHasDefault() ? null : FALLBACK_URI);

  let hv: Hypervisor;
  try {
    hv = await Hypervisor.start();
  } catch (e) {
    if (!(e instanceof LibvirtUnavailableError)) throw e;
    io.stderr.write(unavailableMessage(e) + '\n');
    return 2;
  }
  const prompter = args.auth ? new Prompter(io) : null;
  // One deadline for the whole command: the open and every query get what is left of it.
  const deadline = Date.now() + args.timeoutMs;
  const limits = (): CallOptions => ({ timeoutMs: Math.max(0, deadline - Date.now()) });
  const shown = uri ?? 'the default URI';
  try {
    const conn = prompter
      ? await hv.openAuth(uri, { credentials: (requests) => prompter.answer(requests), ...limits() })
      : await hv.open(uri, { readOnly: true, ...limits() });
    prompter?.dispose();
    try {
      await printCaps(conn, args.format, io.stdout, limits);
    } finally {
      if (!conn.closeReason) await conn.close(limits()).catch(() => undefined);
    }
    return 0;
  } catch (e) {
    if (e instanceof LibvirtError) {
      io.stderr.write(`virt-uri: ${e.message} (${e.codeName}, code ${e.code}, domain ${e.domainName})\n`);
      return 1;
    }
    if (e instanceof OpenCancelledError) {
      const cause = e.cause instanceof LibvirtError ? `: ${e.cause.message}` : '';
      io.stderr.write(`virt-uri: ${e.message}${cause}\n`);
      return 1;
    }
    if (e instanceof CallTimeoutError) {
      io.stderr.write(`virt-uri: ${shown} stopped answering: ${e.call} had no answer when the ${args.timeoutMs / 1000} s of --timeout ran out\n`);
      return 1;
    }
    throw e;
  } finally {
    prompter?.dispose();
    await hv.dispose();
  }
}

/** What `caps` needs and how to get it, on this platform. */
function unavailableMessage(e: LibvirtUnavailableError): string {
  if (e.missing === 'koffi') {
    // Node's "Require stack" lines say nothing a user can act on.
    const detail = e.message.replace(/^cannot load koffi: /, '').split('\n')[0];
    return `virt-uri: caps needs koffi, the FFI module that loads libvirt (an optional dependency of virt-uri), and cannot load it: ${detail}; ` +
      'install it where virt-uri is installed (npm install koffi, or npm install -g koffi beside a global virt-uri)';
  }
  return `virt-uri: libvirt is not installed (cannot load ${e.library}); install ${libvirtInstallHint(process.platform)}, ` +
    `or point ${LIBRARY_ENV} at the library`;
}

/** A fact's value, or libvirt's refusal as `{ unavailable: message }` (the JSON shape). */
function factJson<T>(fact: Fact<T>): T | { unavailable: string } {
  return 'value' in fact ? fact.value : { unavailable: fact.error.message };
}

/** The parsed sysinfo, or its XML as libvirt gave it when it cannot be read. */
function readableSysinfo(xml: string): Sysinfo | string {
  try {
    return parseSysinfo(xml);
  } catch {
    return xml;
  }
}

/** `Label:` rows, values in one column whatever the depth (as virsh aligns `nodeinfo`). */
function formatRows(nodes: InfoNode[], depth = 0): string {
  const indent = '  '.repeat(depth);
  return nodes
    .map((n) => {
      const text = n.error ? `(${n.error.message})` : (n.description ?? '');
      const line = `${indent}${`${n.label}:`.padEnd(Math.max(20 - indent.length, n.label.length + 2))}${text}`.trimEnd();
      return n.children.length > 0 ? `${line}\n${formatRows(n.children, depth + 1)}` : line;
    })
    .join('\n');
}

/**
 * The facts the Host rows show, as Connection.hostFacts() gathers them, but one call at a time
 * so that a host going silent is reported by the call it stopped answering (and the call is
 * interrupted alone). Capabilities come first and must be given; any other refusal is a fact.
 */
async function gatherFacts(conn: Connection, limits: () => CallOptions): Promise<HostFacts> {
  const capabilities = await conn.capabilities(limits());
  const fact = <T>(query: Promise<T>): Promise<Fact<T>> =>
    query.then(
      (value) => ({ value }),
      (e: unknown) => {
        if (!(e instanceof LibvirtError)) throw e;
        return { error: { code: e.code, domain: e.domain, level: e.level, message: e.message }, call: e.call };
      },
    );
  const [uri, type, hostname, hypervisorVersion, libraryVersion, nodeInfo, freeMemory, cellsFreeMemory, maxVcpus, isSecure, isEncrypted, sysinfo, domains] = await Promise.all([
    fact(conn.uri(limits())),
    fact(conn.type(limits())),
    fact(conn.hostname(limits())),
    fact(conn.hypervisorVersion(limits())),
    fact(conn.libraryVersion(limits())),
    fact(conn.nodeInfo(limits())),
    fact(conn.freeMemory(limits())),
    fact(conn.cellsFreeMemory(0, undefined, limits())),
    fact(conn.maxVcpus(undefined, limits())),
    fact(conn.isSecure(limits())),
    fact(conn.isEncrypted(limits())),
    fact(conn.sysinfo(limits())),
    fact(conn.listDomains(limits())),
  ]);
  return { uri, type, hostname, hypervisorVersion, libraryVersion, nodeInfo, freeMemory, cellsFreeMemory, maxVcpus, isSecure, isEncrypted, capabilities: { value: capabilities }, sysinfo, domains };
}

async function printCaps(conn: Connection, format: CapsArgs['format'], out: NodeJS.WritableStream, limits: () => CallOptions): Promise<void> {
  if (format === 'xml') {
    const xml = await conn.capabilities(limits());
    out.write(xml.endsWith('\n') ? xml : xml + '\n');
    return;
  }
  const facts = await gatherFacts(conn, limits);
  const capabilities = parseCapabilities((facts.capabilities as { value: string }).value);
  if (format === 'json') {
    const values = Object.fromEntries(Object.entries(facts).map(([key, fact]) => [key, factJson(fact as Fact<unknown>)]));
    const sysinfo = 'value' in facts.sysinfo ? readableSysinfo(facts.sysinfo.value) : values.sysinfo;
    out.write(JSON.stringify({ ...values, sysinfo, capabilities }, null, 2) + '\n');
    return;
  }
  const domains = formatTree(domainsTree(facts.domains).map((d) => ({ ...d, children: [] })))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => `  ${line}\n`)
    .join('');
  out.write(`${formatRows(hostTree(facts))}\n\nDomains:\n${domains || '  none\n'}\nCapabilities:\n${formatTree(capabilitiesTree(capabilities))}\n`);
}

const SECRET_TYPES = new Set<number>([VIR_CRED.PASSPHRASE, VIR_CRED.NOECHOPROMPT]);

/**
 * Answers credential requests on the terminal the way virsh does: `prompt: `, secrets read
 * with echo off, an empty answer takes libvirt's default. Without a terminal, one line of
 * stdin per request.
 */
class Prompter {
  private buffer = '';
  private ended = false;
  private wake: (() => void) | null = null;
  private listening = false;
  private readonly tty: { isTTY?: boolean; setRawMode?: (raw: boolean) => void };

  constructor(private readonly io: CapsIo) {
    this.tty = io.stdin as unknown as { isTTY?: boolean; setRawMode?: (raw: boolean) => void };
  }

  private readonly onData = (chunk: Buffer | string): void => {
    this.buffer += chunk.toString();
    this.wake?.();
  };
  private readonly onEnd = (): void => {
    this.ended = true;
    this.wake?.();
  };

  private listen(): void {
    if (this.listening) return;
    this.listening = true;
    this.io.stdin.on('data', this.onData);
    this.io.stdin.on('end', this.onEnd);
    this.io.stdin.resume();
  }

  dispose(): void {
    if (!this.listening) return;
    this.listening = false;
    this.io.stdin.off('data', this.onData);
    this.io.stdin.off('end', this.onEnd);
    this.io.stdin.pause();
  }

  /** One line; null on end of input or Ctrl-C / Ctrl-D typed on a raw terminal. */
  private async line(raw: boolean): Promise<string | null> {
    this.listen();
    for (;;) {
      if (raw) {
        for (let i = 0; i < this.buffer.length; i++) {
          const ch = this.buffer[i];
          if (ch === '\x03' || ch === '\x04') {
            this.buffer = '';
            return null;
          }
          if (ch === '\r' || ch === '\n') {
            const typed = this.buffer.slice(0, i);
            this.buffer = this.buffer.slice(i + 1);
            // Backspace/delete as typed on a raw terminal.
            return [...typed].reduce((s, c) => (c === '\x7f' || c === '\b' ? s.slice(0, -1) : s + c), '');
          }
        }
      } else {
        const nl = this.buffer.indexOf('\n');
        if (nl >= 0) {
          const text = this.buffer.slice(0, nl).replace(/\r$/, '');
          this.buffer = this.buffer.slice(nl + 1);
          return text;
        }
      }
      if (this.ended) {
        if (this.buffer === '') return null;
        const text = this.buffer;
        this.buffer = '';
        return text;
      }
      await new Promise<void>((r) => (this.wake = r));
      this.wake = null;
    }
  }

  async answer(requests: CredentialRequest[]): Promise<(string | undefined)[] | undefined> {
    const answers: (string | undefined)[] = [];
    for (const req of requests) {
      if (req.type === VIR_CRED.EXTERNAL) {
        // As virsh: only PolicyKit's external step is acknowledged (it needs no answer).
        if (req.challenge !== 'PolicyKit') return undefined;
        answers.push(undefined);
        continue;
      }
      const secret = SECRET_TYPES.has(req.type);
      const raw = secret && this.tty.isTTY === true && typeof this.tty.setRawMode === 'function';
      // Echo off before the prompt shows: a password typed at once must not be echoed.
      if (raw) this.tty.setRawMode!(true);
      this.io.stderr.write(`${req.prompt}: `);
      let typed: string | null;
      try {
        typed = await this.line(raw);
      } finally {
        if (raw) {
          this.tty.setRawMode!(false);
          this.io.stderr.write('\n');
        }
      }
      if (typed === null && raw) return undefined;
      answers.push(typed ? typed : (req.defaultResult ?? ''));
    }
    return answers;
  }
}
