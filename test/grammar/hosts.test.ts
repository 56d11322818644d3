// The URI injection inside the real host grammars that VS Code ships (code-server's built-in
// extensions): every URI part scoped, per host language and string form; nothing scoped in
// comments, prose or look-alike URLs.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FULL_URI, LOOK_ALIKES, S, SIMPLE_URI, URI_WITHOUT_AMPERSAND, assertNoUri, assertParts, assertStringClosed, place, uriText, type Part } from './expect';
import { grammars, hostGrammarsUnavailable, manifest } from './textmate';

interface Placement {
  /** Code with ▮ where the URI goes; it ends outside the string, to prove the string still closes. */
  code: string;
  /** The host's scope for that string, or undefined where the host has none (shell assignments). */
  string?: string;
  parts?: readonly Part[];
  /** A word with no delimiters (shell argument, YAML plain scalar): nothing to close. */
  unquoted?: boolean;
}

interface Host {
  name: string;
  scope: string;
  /** Set for hosts whose grammar VS Code does not ship: why the test is skipped. */
  noGrammar?: string;
  /** The first one gets FULL_URI (unless it says otherwise) and the look-alikes. */
  strings: Placement[];
  /** Places where nothing is coloured: comments, and prose in Markdown. */
  plain: string[];
}

const HOSTS: Host[] = [
  {
    name: 'Python', scope: 'source.python',
    strings: [
      { code: "conn = libvirt.open('▮')", string: 'string.quoted.single.python' },
      { code: 'conn = libvirt.openReadOnly("▮")', string: 'string.quoted.single.python', parts: SIMPLE_URI },
      { code: 'def f():\n    """Opens ▮ by default."""\n    pass', string: 'string.quoted.docstring.multi.python', parts: SIMPLE_URI },
      { code: 'u = b"▮"', string: 'string.quoted.binary.single.python', parts: SIMPLE_URI },
      { code: 'u = r"▮"', string: 'string.regexp.quoted.single.python', parts: SIMPLE_URI },
      { code: "u = '''\n▮\n'''", string: 'string.quoted.multi.python', parts: SIMPLE_URI },
    ],
    plain: ['# ▮', 'x = 1  # ▮'],
  },
  {
    name: 'C', scope: 'source.c',
    strings: [
      { code: 'virConnectPtr c = virConnectOpen("▮");', string: 'string.quoted.double.c' },
      { code: '#define URI "▮"\nint x;', string: 'string.quoted.double.c', parts: SIMPLE_URI },
    ],
    plain: ['// ▮', '/* ▮ */', 'int x; /*\n * ▮\n */'],
  },
  {
    name: 'C++', scope: 'source.cpp',
    strings: [
      { code: 'auto c = virConnectOpen("▮");', string: 'string.quoted.double.cpp' },
      { code: 'auto u = R"(▮)";', string: 'string.quoted.double.raw.cpp', parts: SIMPLE_URI },
    ],
    plain: ['// ▮', '/* ▮ */'],
  },
  {
    name: 'Go', scope: 'source.go',
    strings: [
      { code: 'c, err := libvirt.NewConnect("▮")', string: 'string.quoted.double.go' },
      { code: 'u := `▮`; x := 1', string: 'string.quoted.raw.go', parts: SIMPLE_URI },
    ],
    plain: ['// ▮', '/* ▮ */'],
  },
  {
    name: 'Rust', scope: 'source.rust',
    strings: [
      { code: 'let c = Connect::open(Some("▮"));', string: 'string.quoted.double.rust' },
      { code: 'let u = r#"▮"#;', string: 'string.quoted.double.rust', parts: SIMPLE_URI },
    ],
    plain: ['// ▮', '/* ▮ */', '/// ▮'],
  },
  {
    name: 'JavaScript', scope: 'source.js',
    strings: [
      { code: "const c = libvirt.open('▮');", string: 'string.quoted.single.js' },
      { code: 'const u = `▮`;', string: 'string.template.js', parts: SIMPLE_URI },
      { code: 'const e = <Conn uri="▮" />;', string: 'string.quoted.double.js', parts: SIMPLE_URI },
    ],
    plain: ['// ▮', '/* ▮ */', '/**\n * @param u ▮\n */'],
  },
  {
    name: 'JavaScript React', scope: 'source.js.jsx',
    strings: [
      { code: 'const e = <Conn uri="▮" />;', string: 'string.quoted.double.js.jsx' },
      { code: 'open("▮");', string: 'string.quoted.double.js.jsx', parts: SIMPLE_URI },
    ],
    plain: ['// ▮', '{/* ▮ */}'],
  },
  {
    name: 'TypeScript', scope: 'source.ts',
    strings: [
      { code: 'const c: Connection = await hv.open("▮");', string: 'string.quoted.double.ts' },
      { code: 'const u = `▮`;', string: 'string.template.ts', parts: SIMPLE_URI },
    ],
    plain: ['// ▮', '/* ▮ */'],
  },
  {
    name: 'TypeScript React', scope: 'source.tsx',
    strings: [
      { code: 'const e = <Conn uri="▮" />;', string: 'string.quoted.double.tsx' },
      { code: "open('▮');", string: 'string.quoted.single.tsx', parts: SIMPLE_URI },
    ],
    plain: ['// ▮'],
  },
  {
    name: 'Java', scope: 'source.java',
    strings: [
      { code: 'Connect c = new Connect("▮", false);', string: 'string.quoted.double.java' },
      { code: 'String t = """\n    ▮\n    """;', string: 'string.quoted.triple.java', parts: SIMPLE_URI },
    ],
    plain: ['// ▮', '/* ▮ */', '/** Opens {@code ▮}. */'],
  },
  {
    name: 'Ruby', scope: 'source.ruby',
    strings: [
      { code: "c = Libvirt::open('▮')", string: 'string.quoted.single.ruby' },
      { code: 'lv.uri = "▮"', string: 'string.quoted.double.interpolated.ruby', parts: SIMPLE_URI },
      { code: 'u = %q(▮)', string: 'string.quoted.other.ruby', parts: SIMPLE_URI },
      { code: 'x = <<~EOS\n  ▮\nEOS\ny = 1', string: 'string.unquoted.heredoc.ruby', parts: SIMPLE_URI },
    ],
    plain: ['# ▮', 'x = 1 # ▮', '=begin\n▮\n=end'],
  },
  {
    name: 'shell', scope: 'source.shell',
    strings: [
      { code: "virsh -c '▮' list", string: 'string.quoted.single.shell' },
      { code: 'virsh -c "▮" list', string: 'string.quoted.double.shell' },
      { code: 'virsh -c ▮ list', string: 'string.unquoted.argument.shell', parts: URI_WITHOUT_AMPERSAND, unquoted: true },
      { code: 'virt-install --connect=▮ --name vm', string: 'string.unquoted.argument', parts: SIMPLE_URI, unquoted: true },
      { code: 'export LIBVIRT_DEFAULT_URI=▮\nls', parts: URI_WITHOUT_AMPERSAND },
      { code: 'LIBVIRT_DEFAULT_URI=▮ virsh list', parts: SIMPLE_URI },
      { code: 'cat <<EOF\n▮\nEOF\nls', string: 'string.unquoted.heredoc.no-indent.EOF', parts: SIMPLE_URI },
    ],
    plain: ['# ▮', 'ls # ▮'],
  },
  {
    name: 'YAML', scope: 'source.yaml',
    strings: [
      { code: 'uri: ▮  # end', string: 'string.unquoted.plain.out.yaml' },
      { code: 'uri: "▮"', string: 'string.quoted.double.yaml', parts: SIMPLE_URI },
      { code: "uri: '▮'", string: 'string.quoted.single.yaml', parts: SIMPLE_URI },
      { code: 'uris: [▮, test:///default]', string: 'string.unquoted.plain.in.yaml', parts: SIMPLE_URI },
      { code: 'uris:\n  - ▮\n  - x', string: 'string.unquoted.plain.out.yaml', parts: SIMPLE_URI, unquoted: true },
      { code: 'cmd: |\n  virsh -c ▮ list\nnext: 1', string: 'string.unquoted.block.yaml', parts: SIMPLE_URI },
    ],
    plain: ['# ▮', 'uri: x  # ▮'],
  },
  {
    name: 'Markdown', scope: 'text.html.markdown',
    strings: [
      { code: 'Use `▮` to connect.', string: 'markup.inline.raw.string.markdown' },
      { code: '- a list item naming `▮` here', string: 'markup.inline.raw.string.markdown', parts: SIMPLE_URI },
      { code: '```python\nconn = libvirt.open("▮")\n```\n\nEnd.', string: 'string.quoted.single.python', parts: SIMPLE_URI },
      { code: '```sh\nvirsh -c ▮ list\n```\n\nEnd.', string: 'string.unquoted.argument.shell', parts: SIMPLE_URI, unquoted: true },
      { code: '```\nvirsh -c ▮ list\n```\n\nEnd.', string: 'markup.fenced_code.block.markdown', parts: SIMPLE_URI },
      { code: '```console\n$ virsh -c ▮ list\n```\n\nEnd.', string: 'markup.fenced_code.block.markdown', parts: SIMPLE_URI },
      { code: '    virsh -c ▮ list\n\nEnd.', string: 'markup.raw.block.markdown', parts: SIMPLE_URI },
    ],
    plain: ['Connect to ▮ in prose.', '<!-- ▮ -->', '```python\n# ▮\n```', '``▮``'],
  },
  {
    name: 'HCL/Terraform', scope: 'source.hcl.terraform',
    noGrammar: "VS Code ships no HCL/Terraform grammar; the injection targets HashiCorp's extension (source.hcl, source.hcl.terraform)",
    strings: [{ code: 'provider "libvirt" {\n  uri = "▮"\n}', string: 'string.quoted.double.hcl' }],
    plain: ['# ▮', '// ▮'],
  },
  {
    name: 'Ansible', scope: 'source.ansible',
    noGrammar: "VS Code ships no Ansible grammar; the injection targets Red Hat's Ansible extension (source.ansible); YAML above is its base",
    strings: [{ code: '- community.libvirt.virt:\n    uri: ▮', string: 'string.unquoted.plain.out.yaml' }],
    plain: ['# ▮'],
  },
];

// Outside CI a machine without the e2e set-up skips; in CI it must run.
const unavailable = hostGrammarsUnavailable();
const skipAll = process.env.CI ? false : unavailable ?? false;

function skipFor(host: Host): string | false {
  if (skipAll) return skipAll;
  if (unavailable || grammars(true).has(host.scope)) return false;
  return host.noGrammar ?? false;
}

const tokenize = (scope: string, code: string) => grammars(true).tokenize(scope, code);

for (const host of HOSTS) {
  describe(`highlighting: ${host.name}`, { skip: skipFor(host) }, () => {
    before(() => {
      if (unavailable) throw new Error(unavailable);
    });

    it('scopes every part of a libvirt URI in each kind of string', async () => {
      for (const [i, p] of host.strings.entries()) {
        const parts = p.parts ?? (i === 0 ? FULL_URI : SIMPLE_URI);
        const { code, line, column } = place(p.code, uriText(parts));
        const tokens = await tokenize(host.scope, code);
        assertParts(tokens, { line, column }, parts, p.string);
        if (p.string && !p.unquoted) assertStringClosed(tokens, p.string);
      }
    });

    it('colours no look-alike URL', async () => {
      for (const url of LOOK_ALIKES) {
        const { code } = place(host.strings[0].code, url);
        assertNoUri(await tokenize(host.scope, code), `${url} in ${code}`);
      }
    });

    it('colours nothing in comments', async () => {
      for (const template of host.plain) {
        const { code } = place(template, uriText(FULL_URI));
        assertNoUri(await tokenize(host.scope, code), code);
      }
    });
  });
}

describe('highlighting: the manifest', () => {
  it('injects into every host language tested here, and into no other', () => {
    const injectTo = manifest.contributes.grammars.find((g) => g.scopeName === 'libvirt-uri.injection')?.injectTo ?? [];
    assert.deepEqual([...injectTo].sort(), [...HOSTS.map((h) => h.scope), 'source.hcl', 'source.libvirt-conf'].sort());
  });
});

describe('highlighting: forms and look-alikes', { skip: skipAll }, () => {
  before(() => {
    if (unavailable) throw new Error(unavailable);
  });

  const python = (code: string) => tokenize('source.python', code);

  it('colours shared scheme names only in the forms libvirt accepts', async () => {
    const accepted: (readonly Part[])[] = [
      [['network', S.driver], [':', S.colon], ['//', S.slashes], ['/system', S.path]],
      [['network', S.driver], [':', S.colon], ['//', S.slashes], ['/session', S.path]],
      [['storage', S.driver], ['+', S.plus], ['ssh', S.transport], [':', S.colon], ['//', S.slashes], ['root', S.user], ['@', S.at], ['host', S.host], ['/system', S.path]],
      [['interface', S.driver], [':', S.colon], ['//', S.slashes], ['/system', S.path]],
      [['secret', S.driver], [':', S.colon], ['//', S.slashes], ['/embed', S.path], ['?', S.query], ['root', S.name], ['=', S.equals], ['/var/tmp/s', S.value]],
      [['ch', S.driver], [':', S.colon], ['//', S.slashes], ['/system', S.path]],
      // The catalog's other shared schemes: a driver that takes any path counts with ':///' or a transport.
      [['test', S.driver], [':', S.colon], ['//', S.slashes], ['/srv/guests.xml', S.path]],
      [['test', S.driver], ['+', S.plus], ['tcp', S.transport], [':', S.colon], ['//', S.slashes], ['host', S.host], ['/default', S.path]],
      [['nodedev', S.driver], [':', S.colon], ['//', S.slashes], ['/system', S.path]],
    ];
    for (const parts of accepted) {
      const { code, line, column } = place("conn = libvirt.open('▮')", uriText(parts));
      assertParts(await python(code), { line, column }, parts, 'string.quoted.single.python');
    }
    for (const url of ['network:///system/', 'network:///sys', 'storage:///', 'secret:///vault', 'ch://clickhouse:9000/db', 'interface://eth0/system/x',
      'network://h/system', 'test://host/default', 'remote://host/']) {
      assertNoUri(await python(`u = '${url}'`), url);
    }
  });

  it('stops at a template hole and leaves it to the host grammar', async () => {
    const head: readonly Part[] = [['qemu', S.driver], ['+', S.plus], ['ssh', S.transport], [':', S.colon], ['//', S.slashes]];
    const cases: [scope: string, code: string, hole: string, holeScope: string][] = [
      ['source.python', 'u = f"▮{host}/system"', '{', 'constant.character.format.placeholder.other.python'],
      ['source.python', "u = '▮%s/system' % host", '%s', 'constant.character.format.placeholder.other.python'],
      ['source.python', "u = '▮{}/system'.format(host)", '{}', 'constant.character.format.placeholder.other.python'],
      ['source.go', 'u := fmt.Sprintf("▮%s/system", host)', '%s', 'constant.other.placeholder.go'],
      ['source.js', 'const u = `▮${host}/system`;', '${', 'punctuation.definition.template-expression.begin.js'],
      ['source.ruby', 'u = "▮#{host}/system"', '#{', 'punctuation.section.embedded.begin.ruby'],
      ['source.shell', 'U="▮$HOST/system"', '$', 'variable.other.normal.shell'],
      ['source.rust', 'let u = format!("▮{}/system", host);', '{', 'punctuation.definition.interpolation.rust'],
    ];
    for (const [scope, template, hole, holeScope] of cases) {
      const { code, line, column } = place(template, uriText(head));
      const tokens = await tokenize(scope, code);
      assertParts(tokens, { line, column }, head);
      const after = tokens.filter((t) => t.line === line && t.start >= column + uriText(head).length);
      assert.ok(after[0].text.startsWith(hole) && after[0].scopes.includes(holeScope), `${code}: the hole is not the host's ${holeScope}: ${JSON.stringify(after[0])}`);
      assertNoUri(after, `after the hole in ${code}`);
    }
  });

  it('leaves sentence punctuation after a URI in prose-like strings', async () => {
    const { code, line, column } = place('"""Connect to ▮. Or not."""', uriText(SIMPLE_URI));
    assertParts(await python(code), { line, column }, SIMPLE_URI);
    const tokens = await python("u = 'qemu+libssh://h/system?sshauth=agent,privkey, then'");
    assert.ok(tokens.some((t) => t.text === 'agent,privkey' && t.scopes.includes(S.value)), 'a comma inside a value stays in it');
  });
});
