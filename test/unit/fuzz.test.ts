// Seeded random input through every layer of the service: nothing may throw, every candidate
// points at its own text, and every diagnostic at the part of a candidate it talks about.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/languageservice/languageService';
import { PositionCursor } from '../../server/src/languageservice/positions';
import { RegionCache, UriCandidate, documentOffset, findSuppressions, findUriCandidates } from '../../server/src/languageservice/regions';
import { validateAliasEntry, validateUri } from '../../server/src/languageservice/services/validation';
import { HOLE, percentDecode } from '../../server/src/languageservice/uri/parser';
import { assertInDocument } from '../helpers/candidates';

/** mulberry32: a small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];

const NOISE = [
  '+', ':', '//', '/', '@', '[', ']', '?', '&', ';', '=', '#', '%', '%zz', ' ', '\t', '\n', '"', "'", '`', '(', ')', '{', '}',
  '$', '\\', '# ', '//', '/*', '*/', '<!--', '```', 'virt-uri-disable-line', 'é', '😀', '\u0000',
];
const DRIVERS = ['qemu', 'test', 'esx', 'vpx', 'xen', 'lxc', 'openvz', 'vmwareplayer', 'hyperv', 'network', 'nwfilter', 'remote', 'QEMU', 'foo'];
const TRANSPORTS = ['', '', '+ssh', '+tcp', '+tls', '+unix', '+ext', '+libssh', '+libssh2', '+SSH', '+shh', '+'];
const HOSTS = ['', '', 'host', 'root@host', 'u@[::1]', 'h:22', 'h:70000', 'system', 'h:'];
const PATHS = ['/system', '/session', '/', '', '/embed', '/default', '/foo', '/dc/cluster', 'system'];
const PARAMS = ['no_verify=1', 'no_verify=yes', 'no_tty=1', 'mode=direct', 'mode=bogus', 'proxy=native', 'netcat=nc', 'command=/x',
  'socket=/s', 'keyfile=k', 'known_hosts=~/k', 'known_hosts_verify=x', 'sshauth=agent,', 'auth=sasl', 'root=/r', 'root=r', 'transport=ftp',
  'name=qemu:///system', 'foo=bar', '=v', 'a=1;b=2'];

/** A URI-shaped string: the grammar's parts, some of them bent by random noise. */
function uri(next: () => number): string {
  let text = pick(next, DRIVERS) + pick(next, TRANSPORTS) + (next() < 0.9 ? '://' : ':') + pick(next, HOSTS) + pick(next, PATHS);
  const params = Math.floor(next() * 4);
  for (let i = 0; i < params; i++) text += (i === 0 ? '?' : pick(next, ['&', '&', ';'])) + pick(next, PARAMS);
  for (let i = 0; next() < 0.3 && i < 3; i++) {
    const at = Math.floor(next() * (text.length + 1));
    text = text.slice(0, at) + pick(next, NOISE) + text.slice(at);
  }
  return text;
}

const CONTEXTS = ["libvirt.open('%')", 'virConnectOpen("%")', 'virsh -c % list', 'uri: %', 'uri = "%"', 'uri_default = "%"',
  'uri_aliases = [ "a=%" ]', 'LIBVIRT_DEFAULT_URI=%', 'x = "%"', '`%`', '%'];
const LANGUAGES = ['python', 'c', 'cpp', 'go', 'rust', 'javascript', 'typescript', 'java', 'ruby', 'shellscript', 'yaml', 'terraform', 'libvirt-conf', 'markdown', 'plaintext'];

/** A source-shaped text: URIs in libvirt contexts, between lines of noise. */
function source(next: () => number): string {
  const lines: string[] = [];
  const count = 1 + Math.floor(next() * 8);
  for (let i = 0; i < count; i++) {
    let line = pick(next, CONTEXTS).replace('%', uri(next));
    if (next() < 0.3) line = pick(next, NOISE) + line;
    if (next() < 0.3) line += pick(next, NOISE);
    lines.push(line);
  }
  return lines.join(pick(next, ['\n', '\n', '\r\n', ' ']));
}

describe('fuzz', () => {
  it('validateUri and validateAliasEntry take any string, with ranges inside it', () => {
    const next = random(20261125);
    const codes = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const text = uri(next);
      for (const d of [...validateUri(text, { libvirtContext: next() < 0.5 }), ...validateAliasEntry(text)]) {
        assert.ok(d.start >= 0 && d.start <= d.end && d.end <= text.length, `${JSON.stringify(text)}: ${d.code} ${d.start}-${d.end}`);
        codes.add(d.code);
      }
    }
    // The inputs must reach deep into the rules, not stop at syntax errors.
    assert.ok(codes.size >= 25, `only ${[...codes].join(', ')}`);
  });

  it('the region scanners take any text in every language, with exact candidate offsets', () => {
    const next = random(42);
    let found = 0;
    for (let i = 0; i < 1500; i++) {
      const text = source(next);
      const languageId = LANGUAGES[i % LANGUAGES.length];
      for (const c of findUriCandidates(text, languageId)) {
        found++;
        assertInDocument(text, c);
      }
      for (const s of findSuppressions(text, languageId)) assert.ok(s.line >= 0, `${languageId} ${JSON.stringify(text)}`);
    }
    assert.ok(found > 1500, `only ${found} candidates`);
  });

  it('PositionCursor agrees with TextDocument.positionAt on every offset, with \\n, \\r\\n and \\r', () => {
    const next = random(99);
    for (let i = 0; i < 300; i++) {
      let text = '';
      const parts = Math.floor(next() * 30);
      for (let k = 0; k < parts; k++) text += pick(next, ['a', 'bc', '\n', '\r\n', '\r', '\n\r', '\r\r\n', 'é', '😀']);
      const doc = TextDocument.create('file:///p', 'plaintext', 1, text);
      const cursor = new PositionCursor(doc);
      // Mostly forward, as candidates come, with a step back now and then.
      let offset = 0;
      while (offset <= text.length + 1) {
        assert.deepEqual(cursor.at(offset), doc.positionAt(offset), `${JSON.stringify(text)} @${offset}`);
        offset += next() < 0.1 ? -Math.floor(next() * 3) : 1 + Math.floor(next() * 2);
        if (offset < 0) offset = 0;
      }
    }
  });

  it('the service points every diagnostic at the part of a candidate string it talks about', () => {
    const next = random(7);
    const service = getLanguageService({ aliases: () => new Map() });
    const checked = new Set<string>();
    let count = 0;
    for (let i = 0; i < 600; i++) {
      const text = source(next);
      const languageId = LANGUAGES[i % LANGUAGES.length];
      const doc = TextDocument.create(`file:///fuzz${i}`, languageId, 1, text);
      const candidates = findUriCandidates(text, languageId);
      const settings = new RegionCache().settings(doc);
      for (const d of service.doValidation(doc)) {
        count++;
        const where = `${languageId} ${JSON.stringify(text)}: ${d.code} ${JSON.stringify(d.range)} ${String(d.message)}`;
        // offsetAt clamps, so a position past the end of its line or of the document would come back changed.
        for (const p of [d.range.start, d.range.end]) assert.deepEqual(doc.positionAt(doc.offsetAt(p)), p, where);
        const start = doc.offsetAt(d.range.start);
        const end = doc.offsetAt(d.range.end);
        assert.ok(start <= end, where);
        const candidate = candidates.find((c) => c.offset <= start && end <= candidateEnd(c));
        if (!candidate) {
          // libvirt.conf's settings are checked where they stand: the name, or the value with its quotes.
          const setting = settings.find((s) => s.nameStart <= start && end <= s.end + 1);
          assert.ok(setting && SETTING_CODES.includes(String(d.code)), `${where}: outside every candidate string and setting`);
          continue;
        }
        const about = ABOUT[String(d.code)];
        if (about) {
          assert.ok(about(spot(candidate, start, end, String(d.message))), `${where}: not what it talks about`);
          checked.add(String(d.code));
        }
      }
    }
    assert.ok(count > 300, `only ${count} diagnostics`);
    // The documents must reach most rules whose range can be checked against their words.
    assert.ok(checked.size >= 20, `only ${[...checked].join(', ')}`);
  });
});

/** A diagnostic's place, in the candidate's text: a template's holes read as '…', as messages show them. */
interface Spot {
  text: string;
  start: number;
  end: number;
  /** The text under the range. */
  under: string;
  message: string;
  candidate: UriCandidate;
}

const SETTING_CODES = ['setting-type', 'unknown-setting', 'bad-parameter-value'];

/**
 * The candidate text offset of document offset `d`, which a diagnostic range puts at a piece's
 * start or end; inside an escape only when the escape ends between \r and \n, where no LSP
 * position can be, so the range stops short of it.
 */
function candidateOffset(c: UriCandidate, d: number, side: 'start' | 'end'): number {
  for (const p of c.pieces ?? []) {
    const length = p.hole ? 1 : p.value !== undefined ? p.value.length : p.end - p.start;
    if (d === p.start) return p.at;
    if (d === p.end) return p.at + length;
    if (p.start < d && d < p.end) {
      if (p.value === undefined && !p.hole) return p.at + d - p.start;
      if (p.value !== undefined && p.value.endsWith('\r')) return side === 'start' ? p.at : p.at + length;
    }
  }
  assert.ok(c.pieces === undefined, `${d} is inside a hole or an escape of ${JSON.stringify(c)}`);
  return d - c.offset;
}

function spot(candidate: UriCandidate, start: number, end: number, message: string): Spot {
  const text = candidate.text.replaceAll(HOLE, '…');
  const from = candidateOffset(candidate, start, 'start');
  const to = candidateOffset(candidate, end, 'end');
  return { text, start: from, end: to, under: text.slice(from, to), message, candidate };
}

const lower = (s: string): string => s.toLowerCase();
/** Where a candidate's text ends in the document (a template's last piece may be a hole or an escape). */
const candidateEnd = (c: UriCandidate): number => documentOffset(c, c.text.length, 'end');
/** The parameter name in the text under a range that covers a whole `name=value`. */
const paramName = (under: string): string => lower(percentDecode(under.split('=')[0]));

/** Per code, what the text under a diagnostic's range must be, judged from its message and surroundings. */
const ABOUT: Record<string, (s: Spot) => boolean> = {
  'uri-syntax': ({ under, message }) => {
    const bad = /— (?:'(.+?)'|a (space|tab)) is not allowed/.exec(message);
    return !bad || under.startsWith(bad[1] ?? (bad[2] === 'space' ? ' ' : '\t'));
  },
  'bad-escape': ({ under }) => under.startsWith('%'),
  'missing-driver': ({ under, message }) => under !== '' && message.includes(`'${under}'`),
  'unknown-alias': ({ under, message }) => under !== '' && message.includes(`'${under}'`),
  'unknown-driver': ({ under, message }) => message.includes(`'${under}' is not a libvirt driver`),
  'driver-not-built': ({ under, message }) => lower(message).includes(`'${lower(under)}'`),
  'unknown-transport': ({ text, start, under }) => text[start - 1] === '+' || under.endsWith('+'),
  'unix-with-host': ({ under, message }) => message.includes(`remote server '${under}'`),
  'plain-tcp': ({ under }) => lower(under) === 'tcp',
  'ext-without-command': ({ under }) => lower(under) === 'ext',
  'transport-on-client-driver': ({ under, message }) => !message.includes("'+") || message.includes(`'+${under}'`),
  'user-ignored': ({ text, end, under }) => under !== '' && text[end] === '@',
  'port-out-of-range': ({ under, message }) => /^[0-9]+$/.test(under) && message.startsWith(`port ${Number(under)} `),
  'wrong-path': ({ under, message }) => {
    const path = /URI path '([^']*)'/.exec(message);
    return !path || !under.startsWith('/') || percentDecode(under) === path[1];
  },
  'unknown-parameter': ({ under, message }) => message.startsWith(`'${percentDecode(under)}' is not a remote driver parameter`),
  'parameter-ignored': ({ under, message }) => lower(message).includes(`'${paramName(under)}'`),
  'duplicate-parameter': ({ under, message }) => lower(message).startsWith(`'${paramName(under)}' is given again`),
  'empty-parameter-name': ({ under, message }) => under.startsWith('=') && message.includes(`('${under}')`),
  'bad-boolean': ({ text, start, under, message }) => text[start - 1] === '=' || message.includes(percentDecode(under)),
  // A value, or the name of a parameter that has none.
  'bad-parameter-value': ({ text, start, end, under, message, candidate }) => text[start - 1] === '='
    ? percentDecode(under).split(',').some((item) => message.includes(item))
    : end === candidate.text.length || '&;#'.includes(text[end]),
  'direct-mode-over-ssh': ({ under }) => percentDecode(under) === 'direct',
  'no-verify': ({ under, message }) => lower(message).startsWith(paramName(under)),
  'relative-path': ({ text, start }) => text[start - 1] === '=',
  'netcat-with-native-proxy': ({ under }) => paramName(under) === 'netcat',
  'malformed-alias': ({ under, message, candidate }) => candidate.kind === 'alias-entry' && message.includes(`'${candidate.text}'`) && candidate.text.startsWith(under),
};
