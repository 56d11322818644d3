// Expectations on tokenized text: the scope of each URI part, and "no URI scope" elsewhere.
import assert from 'node:assert/strict';
import type { Token } from './textmate';

/** The scope names themes see; written out here so that renaming one fails a test. */
export const S = {
  uri: 'meta.uri.libvirt-uri',
  driver: 'support.type.driver.libvirt-uri',
  plus: 'punctuation.separator.transport.libvirt-uri',
  transport: 'keyword.control.transport.libvirt-uri',
  colon: 'punctuation.separator.scheme.libvirt-uri',
  slashes: 'punctuation.definition.authority.libvirt-uri',
  user: 'variable.other.user.libvirt-uri',
  at: 'punctuation.separator.user.libvirt-uri',
  host: 'support.function.host.libvirt-uri',
  portColon: 'punctuation.separator.port.libvirt-uri',
  port: 'constant.numeric.integer.port.libvirt-uri',
  path: 'variable.other.constant.path.libvirt-uri',
  query: 'punctuation.separator.query.libvirt-uri',
  amp: 'punctuation.separator.parameter.libvirt-uri',
  name: 'variable.parameter.libvirt-uri',
  equals: 'punctuation.separator.value.libvirt-uri',
  value: 'string.unquoted.value.libvirt-uri',
  number: 'constant.numeric.integer.value.libvirt-uri',
} as const;

export type Part = readonly [text: string, scope: string];

/** Every part a URI can have. */
export const FULL_URI: readonly Part[] = [
  ['qemu', S.driver], ['+', S.plus], ['ssh', S.transport], [':', S.colon], ['//', S.slashes], ['root', S.user], ['@', S.at],
  ['host', S.host], [':', S.portColon], ['2222', S.port], ['/system', S.path], ['?', S.query], ['keyfile', S.name], ['=', S.equals],
  ['/k', S.value], ['&', S.amp], ['no_tty', S.name], ['=', S.equals], ['1', S.number],
];

/** Without `&`, for places where it means something else (an unquoted shell word). */
export const URI_WITHOUT_AMPERSAND: readonly Part[] = [
  ['qemu', S.driver], ['+', S.plus], ['libssh2', S.transport], [':', S.colon], ['//', S.slashes], ['root', S.user], ['@', S.at],
  ['host', S.host], [':', S.portColon], ['2222', S.port], ['/system', S.path], ['?', S.query], ['known_hosts_verify', S.name],
  ['=', S.equals], ['auto', S.value],
];

export const SIMPLE_URI: readonly Part[] = [['qemu', S.driver], [':', S.colon], ['//', S.slashes], ['/system', S.path]];

export const uriText = (parts: readonly Part[]) => parts.map(([text]) => text).join('');

/** Ordinary URLs and other software's URIs that reuse a libvirt driver name. */
export const LOOK_ALIKES = [
  'https://libvirt.org/uri.html?a=b', 'git+ssh://git@example.com/repo.git', 'postgres://user:pw@db:5432/app',
  'file:///etc/libvirt/libvirt.conf', 'http://qemu:///system', 'xqemu:///system', 'secret://vault/path',
  'storage://bucket/key', 'network://eth0', 'interface://x', 'ch://user:pw@clickhouse:9000/db',
  'qemu+ssh://root:secret@host/system',
];

/** Where `▮` stands in `code`, and the code with `text` in its place. */
export function place(code: string, text: string): { code: string; line: number; column: number } {
  const at = code.indexOf('▮');
  assert.ok(at >= 0, `no ▮ in ${code}`);
  const before = code.slice(0, at).split('\n');
  return { code: code.slice(0, at) + text + code.slice(at + 1), line: before.length - 1, column: before[before.length - 1].length };
}

const isUriScope = (scope: string) => scope.endsWith('.libvirt-uri');

function describeTokens(tokens: Token[], line: number): string {
  return tokens.filter((t) => t.line === line).map((t) => `${JSON.stringify(t.text)} ${t.scopes.slice(1).join(' ')}`).join('\n');
}

/**
 * Each part is exactly one token carrying its scope (inside `string`, the host's string scope,
 * when given), and the URI ends where the parts end.
 */
export function assertParts(tokens: Token[], at: { line: number; column: number }, parts: readonly Part[], string?: string): void {
  let column = at.column;
  for (const [text, scope] of parts) {
    const token = tokens.find((t) => t.line === at.line && t.start === column);
    const context = `part ${JSON.stringify(text)} at ${at.line}:${column}; the line's tokens:\n${describeTokens(tokens, at.line)}`;
    assert.ok(token, `no token starts at ${context}`);
    assert.equal(token.text, text, `token text of ${context}`);
    assert.ok(token.scopes.includes(scope), `${scope} missing on ${context}`);
    assert.ok(token.scopes.includes(S.uri), `${S.uri} missing on ${context}`);
    if (string) assert.ok(token.scopes.includes(string), `${string} missing on ${context}`);
    column += text.length;
  }
  const next = tokens.find((t) => t.line === at.line && t.start === column);
  if (next) assert.ok(!next.scopes.some(isUriScope), `the URI goes on after its last part:\n${describeTokens(tokens, at.line)}`);
}

/** No token of the text carries a URI scope. */
export function assertNoUri(tokens: Token[], what: string): void {
  const coloured = tokens.find((t) => t.scopes.some(isUriScope));
  assert.equal(coloured, undefined, `${what}: ${JSON.stringify(coloured?.text)} is coloured as a libvirt URI:\n${coloured ? describeTokens(tokens, coloured.line) : ''}`);
}

/** The text ends outside the host string, or on its closing delimiter: the string closed where it should. */
export function assertStringClosed(tokens: Token[], string: string): void {
  const last = tokens[tokens.length - 1];
  const closing = last.scopes.some((s) => s.startsWith('punctuation.definition.string.end'));
  assert.ok(closing || !last.scopes.includes(string), `the host string does not close: ${JSON.stringify(last.text)} is still in ${string}`);
}
