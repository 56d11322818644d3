// Builds the TextMate grammars from the catalog, so the driver names and the paths libvirt
// accepts are written once (catalog.ts). esbuild.mjs runs this after each build:
//   node out/syntaxes/grammars.js dist/syntaxes
// - libvirt-uri.injection.tmLanguage.json: colours libvirt URIs inside the strings of host languages;
// - libvirt-uri.markdown.injection.tmLanguage.json: the same inside Markdown code spans;
// - libvirt-conf.tmLanguage.json: libvirt.conf itself (its URIs are coloured by the injection).
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ALIAS_NAME, DRIVERS, EMBEDDABLE_DRIVERS, findDriver } from '../server/src/languageservice/catalog';

type Captures = Record<string, { name: string }>;
interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  captures?: Captures;
  beginCaptures?: Captures;
  endCaptures?: Captures;
  patterns?: Rule[];
  include?: string;
}

/** Scope of each URI part: a standard scope the default themes colour, then our own suffix. */
const URI_SCOPES = {
  uri: 'meta.uri.libvirt-uri',
  driver: 'support.type.driver.libvirt-uri',
  transportSeparator: 'punctuation.separator.transport.libvirt-uri',
  transport: 'keyword.control.transport.libvirt-uri',
  schemeSeparator: 'punctuation.separator.scheme.libvirt-uri',
  authorityStart: 'punctuation.definition.authority.libvirt-uri',
  user: 'variable.other.user.libvirt-uri',
  userSeparator: 'punctuation.separator.user.libvirt-uri',
  host: 'support.function.host.libvirt-uri',
  portSeparator: 'punctuation.separator.port.libvirt-uri',
  port: 'constant.numeric.integer.port.libvirt-uri',
  path: 'variable.other.constant.path.libvirt-uri',
  query: 'punctuation.separator.query.libvirt-uri',
  parameterSeparator: 'punctuation.separator.parameter.libvirt-uri',
  parameterName: 'variable.parameter.libvirt-uri',
  valueSeparator: 'punctuation.separator.value.libvirt-uri',
  value: 'string.unquoted.value.libvirt-uri',
  numericValue: 'constant.numeric.integer.value.libvirt-uri',
} as const;

/**
 * Scheme names other software also uses (secret://vault/path, storage://bucket/key,
 * network://eth0, a ClickHouse DSN ch://user:pw@host:9000/db), as the catalog marks them: as
 * there, such a URI counts only with a `+transport` or an empty authority (`:///`); and where
 * the driver takes a fixed list of paths, only with one of them. Look-alikes stay plain strings.
 */
const SHARED_SCHEMES: readonly string[] = DRIVERS.filter((d) => d.sharedScheme).map((d) => d.name);

/**
 * Paths libvirt takes for a driver with a fixed list (its path rule; `/embed` when embeddable),
 * or undefined when its path rule takes other paths too.
 */
function acceptedPaths(driverName: string): string[] | undefined {
  const driver = findDriver(driverName);
  if (!driver) throw new Error(`${driverName} is not a driver in the catalog`);
  const rule = driver.path;
  if (rule.kind !== 'system-or-session' && rule.kind !== 'exact') return undefined;
  const paths = rule.kind === 'system-or-session' ? ['/system', '/session'] : rule.paths.filter((p) => p.length > 1);
  if (EMBEDDABLE_DRIVERS.includes(driverName)) paths.push('/embed');
  return [...new Set(paths)];
}

// Characters that end a URI inside a host string: blanks, quotes and string delimiters,
// escapes (`\`), interpolation (`$`, `#{`, `{…}`), brackets (raw-string and YAML flow
// delimiters) and `#`. None occurs in a URI that libvirt is given in practice.
const STOP = String.raw`\s"'\x60\\<>{}()\[\]|^$#`;
const HEX = '[0-9A-Fa-f]';
/** A printf conversion or template opener after `%` (`%s`, `%5d`, `%(host)s`, HCL's `%{`); `%2F` is an escape. */
const PLACEHOLDER = String.raw`%(?!${HEX}{2})(?:[-+ #.0-9]*[sdiufxXrvq%]|[({])`;
/** Sentence punctuation right before the end (`see qemu:///system.`) is not part of the URI. */
const TRAILING = String.raw`[.,;:!?]+(?:[${STOP}]|$)`;

/** One URI character, excluding the `except` characters (a character-class body). */
function uriChar(except = ''): string {
  return String.raw`(?:(?![${STOP}]|${PLACEHOLDER}|${TRAILING})${except ? `[^${except}]` : '.'})`;
}

/** Names longest first so that no name stops the alternation at a shorter prefix. */
function alternation(names: readonly string[]): string {
  return [...names].sort((a, b) => b.length - a.length || a.localeCompare(b)).join('|');
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Which URIs of a scheme other software also uses count: with a `+transport`, or local (`:///`). */
type SharedForm = 'transport' | 'local';

/**
 * Scheme, authority and path of one URI (capture groups 1–11). Not after a character that
 * would make the scheme part of a longer word or URL (`xqemu:`, `git+qemu:`, `/qemu:`).
 * `path` restricts the path to the given alternatives; then a query or the end must follow.
 * `form` restricts a shared scheme to the forms that count.
 */
function uriHead(drivers: readonly string[], paths?: readonly string[], form?: SharedForm): string {
  const authority = `[^/?@${STOP}]`;
  const path = paths
    ? `(${paths.map(escapeRegExp).join('|')})(?=\\?|(?!${uriChar()}))`
    : `(/${uriChar('?')}*)?`;
  return [
    String.raw`(?<![A-Za-z0-9+.\-_%/:@])`,
    `(?i:(${alternation(drivers)}))`, // 1 driver (libvirt's candidacy ignores case)
    form === 'local' ? String.raw`(?!\+)` : '',
    String.raw`(?:(\+)([A-Za-z0-9]*))${form === 'transport' ? '' : '?'}`, // 2 +, 3 transport (libssh2)
    '(:)(//)', // 4, 5
    form === 'local' ? '(?=/)' : '',
    // A userinfo with a password is never a libvirt URI.
    `(?!${authority}*:${authority}*@)`,
    `(?:(${uriChar('@/?:')}*)(@))?`, // 6 user, 7 @
    `(\\[[0-9A-Za-z:.%]*\\]|${uriChar(':/?@')}+)?`, // 8 host (IPv6 in brackets)
    '(?:(:)([0-9]*))?', // 9, 10 port
    path, // 11 path
  ].join('');
}

const HEAD_CAPTURES: Captures = {
  1: { name: URI_SCOPES.driver },
  2: { name: URI_SCOPES.transportSeparator },
  3: { name: URI_SCOPES.transport },
  4: { name: URI_SCOPES.schemeSeparator },
  5: { name: URI_SCOPES.authorityStart },
  6: { name: URI_SCOPES.user },
  7: { name: URI_SCOPES.userSeparator },
  8: { name: URI_SCOPES.host },
  9: { name: URI_SCOPES.portSeparator },
  10: { name: URI_SCOPES.port },
  11: { name: URI_SCOPES.path },
};

/** `?name=value&name=value`: libvirt also splits on `;`. */
function queryPatterns(): Rule[] {
  const name = uriChar('=&;?');
  const value = uriChar('&;');
  return [
    { match: String.raw`\?`, name: URI_SCOPES.query },
    { match: '[&;]', name: URI_SCOPES.parameterSeparator },
    {
      match: `(${name}+)(=)([0-9]+)(?!${value})`,
      captures: { 1: { name: URI_SCOPES.parameterName }, 2: { name: URI_SCOPES.valueSeparator }, 3: { name: URI_SCOPES.numericValue } },
    },
    {
      match: `(${name}+)(?:(=)(${value}*))?`,
      captures: { 1: { name: URI_SCOPES.parameterName }, 2: { name: URI_SCOPES.valueSeparator }, 3: { name: URI_SCOPES.value } },
    },
    { match: `(=)(${value}*)`, captures: { 1: { name: URI_SCOPES.valueSeparator }, 2: { name: URI_SCOPES.value } } },
  ];
}

function uriRule(drivers: readonly string[], paths?: readonly string[], form?: SharedForm): Rule {
  return {
    name: URI_SCOPES.uri,
    begin: uriHead(drivers, paths, form),
    beginCaptures: HEAD_CAPTURES,
    end: `(?!${uriChar()})`,
    patterns: queryPatterns(),
  };
}

/**
 * Where the injection applies: any string scope outside comments (and not a YAML key);
 * Python f-strings, whose text the Python grammar scopes piece by piece; Markdown code spans
 * and code blocks without an embedded language (blocks with one are strings of that
 * language); shell assignment values, which the shell grammar scopes word by word rather than
 * as a string.
 */
const INJECTION_SELECTOR = [
  'L:string -comment -entity.name.tag',
  'L:meta.fstring.python -comment',
  'L:markup.inline.raw.string.markdown',
  'L:markup.fenced_code.block.markdown -meta.embedded -fenced_code.block.language',
  'L:markup.raw.block.markdown',
  'L:meta.expression.assignment.shell -comment',
  'L:meta.expression.assignment.modified.shell -comment',
].join(', ');

/** The URI rules: every catalog driver, the shared scheme names only in the forms that count. */
function uriRules(): Rule[] {
  const shared = new Map<string, string[]>();
  for (const name of SHARED_SCHEMES) {
    const key = acceptedPaths(name)?.join('|') ?? '';
    shared.set(key, [...(shared.get(key) ?? []), name]);
  }
  const general = DRIVERS.map((d) => d.name).filter((n) => !SHARED_SCHEMES.includes(n));
  return [
    uriRule(general),
    ...[...shared].flatMap(([key, names]) => {
      const paths = key === '' ? undefined : key.split('|');
      return [uriRule(names, paths, 'transport'), uriRule(names, paths, 'local')];
    }),
  ];
}

function uriInjectionGrammar(): object {
  return { scopeName: 'libvirt-uri.injection', injectionSelector: INJECTION_SELECTOR, patterns: uriRules() };
}

/**
 * Markdown code spans (`qemu:///system`): the Markdown grammar matches a span as one token,
 * so no injection reaches inside it; this one takes over a single-backtick span that starts
 * with a driver scheme, scopes it as Markdown does and colours the URI in it.
 */
function markdownCodeSpanGrammar(): object {
  const tick = { 0: { name: 'punctuation.definition.raw.markdown' } };
  const scheme = String.raw`(?i:${alternation(DRIVERS.map((d) => d.name))})(?:\+[A-Za-z0-9]*)?://`;
  return {
    scopeName: 'libvirt-uri.markdown.injection',
    injectionSelector: 'L:text.html.markdown -markup.fenced_code -markup.raw -markup.inline.raw -comment -meta.embedded',
    patterns: [{
      name: 'markup.inline.raw.string.markdown',
      begin: String.raw`(?<!\x60)\x60(?!\x60)(?=${scheme}[^\x60]*\x60)`,
      end: String.raw`\x60`,
      beginCaptures: tick,
      endCaptures: tick,
      patterns: uriRules(),
    }],
  };
}

const CONF = 'libvirt-conf';

/** libvirt.conf (virConf syntax): `name = value` separated by newlines or `;`, `#` comments. */
function libvirtConfGrammar(): object {
  const alias = ALIAS_NAME.source.replace(/^\^|\$$/g, '');
  const string = (quote: string, kind: string, extra: Rule[] = []): Rule => ({
    name: `string.quoted.${kind}.${CONF}`,
    begin: quote,
    end: quote === '"""' ? quote : `${quote}|$`,
    beginCaptures: { 0: { name: `punctuation.definition.string.begin.${CONF}` } },
    endCaptures: { 0: { name: `punctuation.definition.string.end.${CONF}` } },
    patterns: extra,
  });
  const aliasEntry: Rule = {
    match: `\\G(${alias})(=)`,
    captures: { 1: { name: `variable.other.alias.${CONF}` }, 2: { name: `punctuation.separator.alias.${CONF}` } },
  };
  // A URI value here is read by libvirt: a shared scheme counts in every form, as it does for
  // the validator in a libvirt context. Where the injection colours a URI, it comes first.
  const contextUri = uriRule(DRIVERS.map((d) => d.name));
  const list = (name: string, value: Rule): Rule => ({
    name: `meta.structure.list.${name}${CONF}`,
    begin: String.raw`\[`,
    end: String.raw`\]`,
    beginCaptures: { 0: { name: `punctuation.definition.list.begin.${CONF}` } },
    endCaptures: { 0: { name: `punctuation.definition.list.end.${CONF}` } },
    patterns: [{ include: '#comment' }, value, { match: ',', name: `punctuation.separator.list.${CONF}` }],
  });
  return {
    scopeName: `source.${CONF}`,
    name: 'libvirt.conf',
    patterns: [{ include: '#comment' }, { include: '#aliases' }, { include: '#key' }, { include: '#value' },
      { match: ';', name: `punctuation.terminator.statement.${CONF}` }],
    repository: {
      comment: {
        match: '(#).*$',
        name: `comment.line.number-sign.${CONF}`,
        captures: { 1: { name: `punctuation.definition.comment.${CONF}` } },
      },
      // Each uri_aliases element is "NAME=URI"; the URI part is coloured by the injection.
      aliases: {
        begin: String.raw`^\s*(uri_aliases)\s*(=)\s*(?=\[)`,
        end: String.raw`(?<=\])`,
        beginCaptures: { 1: { name: `variable.other.property.${CONF}` }, 2: { name: `keyword.operator.assignment.${CONF}` } },
        patterns: [list('aliases.', {
          patterns: [
            string('"""', 'triple', [aliasEntry, contextUri]), string('"', 'double', [aliasEntry, contextUri]),
            string("'", 'single', [aliasEntry, contextUri]),
          ],
        })],
      },
      key: {
        match: String.raw`(?:^|(?<=;))\s*([A-Za-z][A-Za-z0-9_]*)\s*(=)`,
        captures: { 1: { name: `variable.other.property.${CONF}` }, 2: { name: `keyword.operator.assignment.${CONF}` } },
      },
      value: {
        patterns: [
          string('"""', 'triple', [contextUri]), string('"', 'double', [contextUri]), string("'", 'single', [contextUri]),
          { match: '[-+]?[0-9]+', name: `constant.numeric.integer.${CONF}` },
          list('', { include: '#value' }),
        ],
      },
    },
  };
}

const GRAMMAR_FILES: Readonly<Record<string, () => object>> = {
  'libvirt-uri.injection.tmLanguage.json': uriInjectionGrammar,
  'libvirt-uri.markdown.injection.tmLanguage.json': markdownCodeSpanGrammar,
  'libvirt-conf.tmLanguage.json': libvirtConfGrammar,
};

if (require.main === module) {
  const outDir = process.argv[2];
  if (!outDir) throw new Error('usage: grammars.js <output folder>');
  mkdirSync(outDir, { recursive: true });
  for (const [file, grammar] of Object.entries(GRAMMAR_FILES)) {
    writeFileSync(path.join(outDir, file), JSON.stringify(grammar(), null, 2) + '\n');
  }
}
