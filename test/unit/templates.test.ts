// URI templates: a candidate made of literal pieces and holes. The literal pieces are checked,
// with exact ranges; the holes never get a verdict about the parts they may fill.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/languageservice/languageService';
import { documentOffset, findUriCandidates } from '../../server/src/languageservice/regions';
import { validateUri } from '../../server/src/languageservice/services/validation';
import { HOLE, parseUri } from '../../server/src/languageservice/uri/parser';
import { uriAt } from '../../server/src/languageservice/uriAt';
import { assertInDocument, render } from '../helpers/candidates';

/** The candidates of `source` as `text` with holes in ⟨…⟩, and whether each is in a libvirt context. */
function templates(languageId: string, source: string): string[] {
  return findUriCandidates(source, languageId).map((c) => {
    assertInDocument(source, c);
    return (c.libvirtContext ? '⟪' : '') + render(source, c) + (c.libvirtContext ? '⟫' : '');
  });
}

/** The diagnostics of a document as `code [covered text]`. */
function verdicts(languageId: string, source: string): string[] {
  const doc = TextDocument.create('file:///t', languageId, 1, source);
  return getLanguageService({ aliases: () => new Map() }).doValidation(doc)
    .map((d) => `${String(d.code)} [${source.slice(doc.offsetAt(d.range.start), doc.offsetAt(d.range.end))}]`);
}

describe('templates: pieces and holes per host language', () => {
  it('Python: f-strings, % and .format, concatenation, adjacent literals', () => {
    assert.deepEqual(templates('python', [
      'a = f"qemu+ssh://{host!r}/system"',
      'b = "qemu://%s/sytem" % h',
      'c = "qemu+ssh://{}:{port}/system".format(h, port=22)',
      'd = libvirt.openAuth("test://" + fname, auth, 0)',
      'e = "qemu+ssh://" + conf["host"] + "/system"',
      'f = ("qemu:///"',
      '     "system")',
      'g = "qemu+tcp://%(host)s:%(port)d/system?no_tty=%%d"',
    ].join('\n')), [
      'qemu+ssh://⟨{host!r}⟩/system', 'qemu://⟨%s⟩/sytem', 'qemu+ssh://⟨{}⟩:⟨{port}⟩/system', '⟪test://⟨fname⟩⟫',
      'qemu+ssh://⟨conf["host"]⟩/system', 'qemu:///system', 'qemu+tcp://⟨%(host)s⟩:⟨%(port)d⟩/system?no_tty=⟨%%⟩d',
    ]);
  });

  it('C: printf formats, adjacent literals and macros between them', () => {
    assert.deepEqual(templates('c', [
      'virConnectOpen("qemu+ssh://" HOST "/system");',
      'snprintf(buf, n, "qemu+tcp://%s:%d/system", host, port);',
      'const char *u = "qemu:///" "session";',
      'const char *v = "qemu+ssh://root@" HOST_AND_PATH;',
    ].join('\n')), ['⟪qemu+ssh://⟨HOST⟩/system⟫', 'qemu+tcp://⟨%s⟩:⟨%d⟩/system', 'qemu:///session', 'qemu+ssh://root@⟨HOST_AND_PATH⟩']);
  });

  it('Go, Rust, Java: Sprintf, format!, String.format, +', () => {
    assert.deepEqual(templates('go', 'c, _ := libvirt.NewConnect(fmt.Sprintf("qemu+ssh://%s/system", h))\nu := "test://" + f'),
      ['qemu+ssh://⟨%s⟩/system', 'test://⟨f⟩']);
    assert.deepEqual(templates('rust', 'let u = format!("qemu+ssh://{}/system", host);'), ['qemu+ssh://⟨{}⟩/system']);
    assert.deepEqual(templates('java', 'new Connect(String.format("qemu+ssh://%s/system", h) + "?no_tty=1");\nString s = "qemu+ssh://" + h + "/x";'),
      ['qemu+ssh://⟨%s⟩/system', 'qemu+ssh://⟨h⟩/x']);
  });

  it('JavaScript: template literals (nested too) and +', () => {
    assert.deepEqual(templates('typescript', [
      'const u = `qemu+ssh://${user}@${host}/system`;',
      'const v = "qemu+ssh://" + host + "/system";',
      'const w = `a ${`qemu+tcp://${h}/system`} b`;',
      'const x = `qemu:///${p}`;',
    ].join('\n')), ['qemu+ssh://⟨${user}⟩@⟨${host}⟩/system', 'qemu+ssh://⟨host⟩/system', 'qemu+tcp://⟨${h}⟩/system', 'qemu:///⟨${p}⟩']);
  });

  it('Ruby: #{…}, % formats, + and config hashes', () => {
    assert.deepEqual(templates('ruby', [
      '# libvirt helpers',
      'c = Libvirt::open("qemu+ssh://#{host}/system")',
      'd = "qemu://%s/system" % h',
      'e = "test://" + name',
      'h = {:uri => "qemu:///system", uri: "custom:///x", "LIBVIRT_DEFAULT_URI" => "lxc:///"}',
      'w = cond ? uri : "not-a-uri"',
    ].join('\n')), ['⟪qemu+ssh://⟨#{host}⟩/system⟫', 'qemu://⟨%s⟩/system', 'test://⟨name⟩', '⟪qemu:///system⟫', '⟪custom:///x⟫', '⟪lxc:///⟫']);
    // `:uri` is libvirt's only in files about libvirt.
    assert.deepEqual(templates('ruby', 'h = {:uri => "https://rubygems.org"}'), []);
  });

  it('HCL: ${…} and %{…} in the provider block and elsewhere', () => {
    assert.deepEqual(templates('terraform', [
      'provider "libvirt" {',
      '  uri = "qemu+ssh://${var.user}@${var.host}/system"',
      '}',
      'locals { u = "qemu+ssh://%{ if x }a%{ endif }/system" }',
    ].join('\n')), ['⟪qemu+ssh://⟨${var.user}⟩@⟨${var.host}⟩/system⟫', 'qemu+ssh://⟨%{ if x }⟩a⟨%{ endif }⟩/system']);
  });

  it('shell: expansions, quoting, escapes, and the default of ${LIBVIRT_DEFAULT_URI:-…}', () => {
    assert.deepEqual(templates('shellscript', [
      'virsh -c "qemu+ssh://$USER@${HOST}:2222/system" list',
      "virsh -c qemu+ssh://h/system?keyfile=/k\\&no_tty=1 list",
      'virsh -c "${LIBVIRT_DEFAULT_URI:-qemu:///sytem}" list',
      'echo ${URI:-qemu+tcp://h/system} "$(virsh -c test:///default uri)"',
    ].join('\n')), [
      '⟪qemu+ssh://⟨$USER⟩@⟨${HOST}⟩:2222/system⟫', '⟪qemu+ssh://h/system?keyfile=/k&no_tty=1⟫', '⟪qemu:///sytem⟫',
      'qemu+tcp://h/system', '⟪test:///default⟫',
    ]);
  });

  it('YAML: Jinja expressions, and the URI in default(…)', () => {
    assert.deepEqual(templates('yaml', [
      '- community.libvirt.virt:',
      '    uri: "qemu+ssh://{{ host }}/system"',
      "- community.libvirt.virt_net:",
      "    uri: \"{{ libvirt_uri | default('qemu:///system') }}\"",
      '  vars:',
      '    url: qemu+ssh://{{ user }}@{{ host }}/system',
    ].join('\n')), ['⟪qemu+ssh://⟨{{ host }}⟩/system⟫', '⟪qemu:///system⟫', 'qemu+ssh://⟨{{ user }}⟩@⟨{{ host }}⟩/system']);
  });

  it('prose: placeholders are holes, and a scheme named in a sentence is not a URI', () => {
    assert.deepEqual(templates('markdown', [
      '### qemu+ssh:// (Go SSH library)',
      'Use `qemu+ssh://` if you can, or a bare qemu:///, not `qemu+tcp://`.',
      'Connect to qemu+ssh://<user>@<host>/system or qemu+ssh://$HOST/system or qemu+tls://{host}/system.',
    ].join('\n')), ['qemu+ssh://⟨<user>⟩@⟨<host>⟩/system', 'qemu+ssh://⟨$HOST⟩/system', 'qemu+tls://⟨{host}⟩/system']);
  });
});

describe('templates: verdicts on the literal pieces only', () => {
  it('the issue\'s examples', () => {
    assert.deepEqual(verdicts('python', 'a = f"qemu+sshx://{h}/system"\nb = \'qemu://%s/sytem\' % h\nc = "esx://%s/?no_verify=1" % host'),
      ['unknown-transport [sshx]', 'wrong-path [/sytem]', 'no-verify [no_verify=1]']);
    assert.deepEqual(verdicts('shellscript', 'virsh -c "${LIBVIRT_DEFAULT_URI:-qemu:///sytem}" list'), ['wrong-path [/sytem]']);
  });

  it('a piece is never judged on what it does not contain', () => {
    assert.deepEqual(verdicts('python', [
      'libvirt.openAuth("test://" + fname, auth, 0)',
      'u = "qemu+ssh://" + host + "/system"',
      'v = "qemu:///" + path',
      'w = "qemu+unix://%s/system" % h',
      'x = "esx://" + host',
      'y = "qemu+ext:///system?" + query',
      'z = "qemu+tcp://h:%d/system" % port',
    ].join('\n')), ['plain-tcp [tcp]']);
    // terraform-provider-libvirt's reading of the provider block: a hole in the scheme may hold the rest.
    assert.deepEqual(verdicts('terraform', 'provider "libvirt" {\n  uri = "qemu+${var.t}"\n}\n'), []);
  });

  it('ranges across pieces map to the document', () => {
    assert.deepEqual(verdicts('c', 'const char *u = "qemu:///" "sytem";'), ['wrong-path [/" "sytem]']);
    assert.deepEqual(verdicts('python', 'u = "qemu+ssh://" + h + "/sytem?no_tty=x"'), ['bad-boolean [x]', 'wrong-path [/sytem]']);
  });

  it('what a hole may hold: the parts between it and the next literal text', () => {
    assert.deepEqual([...parseUri(`qemu+ssh://${HOLE}/system`).unknown].sort(), ['port', 'user']);
    assert.deepEqual([...parseUri(`test://${HOLE}`).unknown].sort(), ['fragment', 'host', 'path', 'port', 'query', 'user']);
    assert.deepEqual([...parseUri(`qemu+ssh://h${HOLE}?x=1`).unknown].sort(), ['path', 'port']);
    assert.deepEqual([...parseUri(`qemu:///system?keyfile=${HOLE}&no_tty=1`).unknown], []);
    assert.deepEqual([...parseUri(`qemu:///system?${HOLE}=1`).unknown], ['query']);
    assert.deepEqual([...parseUri(`${HOLE}://h/system`).unknown].sort(), ['transport', 'user']);
    assert.deepEqual(parseUri(`qemu+tcp://h:${HOLE}/sys%${HOLE}tem`).problems, []);
  });

  it('holes change no verdict of a literal URI, and an all-hole string is no candidate', () => {
    assert.deepEqual(validateUri(`qemu+ssh://${HOLE}/system?mode=direct`, { libvirtContext: true }).map((d) => d.code), ['direct-mode-over-ssh']);
    assert.deepEqual(validateUri(`qemu+ssh://${HOLE}/system?mode=direct&${HOLE}`, { libvirtContext: true }).map((d) => d.code), []);
    assert.deepEqual(findUriCandidates('libvirt.open(f"{uri}")', 'python'), []);
  });
});

describe('templates: parts filled in at run time or elided in prose are holes', () => {
  it('printf conversions in shell words, YAML, Markdown and plain text', () => {
    const shell = [
      'iniset $CONF libvirt live_migration_uri "qemu+ssh://$STACK_USER@%s/system"',
      "printf 'qemu+ssh://%s/system\\n' \"$dest\" > uri.txt",
    ].join('\n');
    assert.deepEqual(templates('shellscript', shell), ['qemu+ssh://⟨$STACK_USER⟩@⟨%s⟩/system', 'qemu+ssh://⟨%s⟩/system']);
    assert.deepEqual(verdicts('shellscript', shell), []);
    const yaml = 'nova_libvirt:\n  live_migration_uri: "qemu+ssh://nova@%s/system?keyfile=/etc/nova/migration/id"\n';
    assert.deepEqual(templates('yaml', yaml), ['qemu+ssh://nova@⟨%s⟩/system?keyfile=/etc/nova/migration/id']);
    assert.deepEqual(verdicts('yaml', yaml), []);
    for (const languageId of ['markdown', 'plaintext']) {
      assert.deepEqual(verdicts(languageId, 'Set live_migration_uri = qemu+ssh://nova@%s/system?keyfile=/k in nova.conf.'), [], languageId);
    }
    assert.deepEqual(verdicts('javascript', "const u = util.format('qemu+ssh://%s/system', host);"), []);
  });

  it('in a printf template every printf-shaped sequence is a hole, also one that reads as an escape', () => {
    assert.deepEqual(templates('python', [
      'a = "qemu+tcp://%s:%5d/system" % (h, p)',
      'b = "qemu+tcp://%-10s:%05d/system?name=%2F" % (h, p)',
      'c = "qemu+tcp://%(host)s:%(port)2d/system" % d',
    ].join('\n')), [
      'qemu+tcp://⟨%s⟩:⟨%5d⟩/system', 'qemu+tcp://⟨%-10s⟩:⟨%05d⟩/system?name=⟨%2F⟩', 'qemu+tcp://⟨%(host)s⟩:⟨%(port)2d⟩/system',
    ]);
    assert.deepEqual(verdicts('python', 'a = "qemu+tcp://%s:%5d/system" % (h, p)\nb = "qemu+ssh://%10s:%2d/system" % (h, p)'),
      ['plain-tcp [tcp]']);
    assert.deepEqual(verdicts('c', 'snprintf(u, n, "qemu+ssh://%s:%5d/system", host, port);'), []);
    assert.deepEqual(templates('java', 'String u = String.format("qemu+ssh://%1$s:%2$d/system", h, p);'), ['qemu+ssh://⟨%1$s⟩:⟨%2$d⟩/system']);
    assert.deepEqual(templates('go', 'u := fmt.Sprintf("qemu+ssh://%[1]s:%[2]d/system?x=%lu", h, p)'), ['qemu+ssh://⟨%[1]s⟩:⟨%[2]d⟩/system?x=⟨%lu⟩']);
  });

  it('a lone escape stays an escape, and literal URIs keep their verdicts', () => {
    assert.deepEqual(templates('python', 'a = "qemu:///system?name=%2Fx"\nb = "qemu+tcp://h:%5d/system"'),
      ['qemu:///system?name=%2Fx', 'qemu+tcp://h:%5d/system']);
    assert.deepEqual(verdicts('python', [
      'a = "qemu://system"',
      'b = "qemu+ssh://h/system?keyfile=/a%zz"',
      'c = "qemu+tcp://host:port/system"',
    ].join('\n')), ['maybe-you-want [system]', 'bad-escape [%]', 'uri-syntax [port]']);
    // libvirt reads libvirt.conf as it is: nothing fills a conversion there.
    assert.deepEqual(verdicts('libvirt-conf', 'uri_default = "qemu+ssh://%s/system"'), ['bad-escape [%]']);
  });

  it('command substitutions in heredocs, prose and code spans', () => {
    const shell = [
      'cat > install-config.yaml <<EOF',
      '    libvirtURI: qemu+ssh://${HOST_USER}@$(wrap_if_ipv6 "${HOST_IP}")/system',
      '    other: qemu+ssh://root@`hostname -f`/system',
      'EOF',
    ].join('\n');
    assert.deepEqual(templates('shellscript', shell), [
      'qemu+ssh://⟨${HOST_USER}⟩@⟨$(wrap_if_ipv6 "${HOST_IP}")⟩/system', 'qemu+ssh://root@⟨`hostname -f`⟩/system',
    ]);
    assert.deepEqual(verdicts('shellscript', shell), []);
    const markdown = 'Run `virsh -c qemu+ssh://root@$(hostname -f)/system list`, or qemu+ssh://$(id -un)@$(echo "a)b")/system.';
    assert.deepEqual(templates('markdown', markdown), [
      'qemu+ssh://root@⟨$(hostname -f)⟩/system', 'qemu+ssh://⟨$(id -un)⟩@⟨$(echo "a)b")⟩/system',
    ]);
    assert.deepEqual(verdicts('markdown', markdown), []);
    assert.deepEqual(verdicts('plaintext', 'virsh -c qemu+ssh://root@$(hostname -f)/system list'), []);
  });

  it('a code span that ends after a URI is no command substitution', () => {
    assert.deepEqual(templates('markdown', 'Use `qemu+ssh://root@h/` or `qemu:///system`, then `qemu+tcp://h/`; `x` and `qemu://system`.'),
      ['qemu+ssh://root@h/', 'qemu:///system', 'qemu+tcp://h/', 'qemu://system']);
    assert.deepEqual(verdicts('markdown', 'An unclosed qemu+ssh://h/system$(x and `qemu://system`.'), ['maybe-you-want [system]']);
  });

  it('an ellipsis is an elision', () => {
    assert.deepEqual(templates('markdown', '`virsh -c esx://… dumpxml vm` or qemu+ssh://h/system?keyfile=…'),
      ['esx://⟨…⟩', 'qemu+ssh://h/system?keyfile=⟨…⟩']);
    assert.deepEqual(verdicts('markdown', '`virsh -c esx://… dumpxml vm` or qemu+ssh://h/system?keyfile=…'), []);
    assert.deepEqual(verdicts('python', 'u = "esx://…/?no_verify=1"\nv = "qemu:///sys…"'), ['no-verify [no_verify=1]']);
    assert.deepEqual(verdicts('shellscript', 'virsh -c esx://… list'), []);
    assert.deepEqual(verdicts('libvirt-conf', 'uri_aliases = [ "l…=qemu:///system", "lab=qemu+ssh://…/sytem" ]\nuri_default = "esx://…"'),
      ['wrong-path [/sytem]']);
  });

  it('a port written as a word is a placeholder in documentation, an error in code', () => {
    const doc = 'Connect to qemu+ssh://user@host:port/system or qemu+tls://host:PORT/system or qemu+ssh://u:pw@h:ssh_port/system.';
    for (const languageId of ['markdown', 'plaintext']) {
      assert.deepEqual(templates(languageId, doc), [
        'qemu+ssh://user@host:⟨port⟩/system', 'qemu+tls://host:⟨PORT⟩/system', 'qemu+ssh://u:pw@h:⟨ssh_port⟩/system',
      ], languageId);
      assert.deepEqual(verdicts(languageId, doc), [], languageId);
    }
    const fence = '```python\nconn = libvirt.open("qemu+ssh://user@host:port/system")\nc = libvirt.open("qemu+tls://[::1]:port")\n```';
    assert.deepEqual(templates('markdown', fence), ['⟪qemu+ssh://user@host:⟨port⟩/system⟫', '⟪qemu+tls://[::1]:⟨port⟩⟫']);
    assert.deepEqual(verdicts('markdown', fence), []);
    assert.deepEqual(verdicts('shellscript', 'cat <<EOF\nUsage: $0 [qemu+ssh://user@host:port/system]\nEOF'), []);
    assert.deepEqual(verdicts('python', 'conn = libvirt.open("qemu+ssh://user@host:port/system")'), ['uri-syntax [port]']);
    assert.deepEqual(verdicts('shellscript', 'virsh -c qemu+ssh://user@host:port/system list'), ['uri-syntax [port]']);
    assert.deepEqual(verdicts('markdown', 'qemu+ssh://h:22x/system'), ['uri-syntax [22x]']);
  });

  it('a written line break ends a URI outside a libvirt context: the string is a line of output', () => {
    assert.deepEqual(verdicts('python', 'print("qemu:///system\\n")\nf.write("qemu:///sytem\\r\\n")'), ['wrong-path [/sytem]']);
    assert.deepEqual(verdicts('c', 'puts("qemu+ssh://host/system\\n");'), []);
    // Handed to libvirt, the line break is part of what libvirt parses, and refuses.
    assert.deepEqual(verdicts('python', 'libvirt.open("qemu:///system\\n")').map((v) => v.split(' ')[0]), ['uri-syntax']);
  });
});

describe('uriAt: the candidate and the part at an offset', () => {
  const source = 'conn = libvirt.open(f"qemu+ssh://{host}:22/system?keyfile=/k")';
  const candidates = findUriCandidates(source, 'python');
  const at = (marker: string) => uriAt(candidates, source.indexOf(marker));

  it('finds the part under the caret through the template', () => {
    assert.equal(at('ssh:')?.part?.part, 'transport');
    assert.equal(at('22')?.part?.part, 'port');
    assert.equal(at('system')?.part?.part, 'path');
    const value = at('/k');
    assert.equal(value?.part?.part, 'parameter-value');
    assert.equal(value?.part?.component.text, '/k');
  });

  it('maps back: the part\'s range is where it stands in the document', () => {
    const found = at('keyfile')!;
    const { start, end } = found.part!.component;
    assert.equal(source.slice(documentOffset(found.candidate, start, 'start'), documentOffset(found.candidate, end, 'end')), 'keyfile');
  });

  it('nothing inside a hole, nothing outside candidates; alias entries start after NAME=', () => {
    assert.equal(uriAt(candidates, source.indexOf('ost}')), undefined);
    assert.equal(uriAt(candidates, 2), undefined);
    const conf = 'uri_aliases = [ "lab=qemu+ssh://lab/system" ]';
    const entry = uriAt(findUriCandidates(conf, 'libvirt-conf'), conf.indexOf('ssh'));
    assert.equal(entry?.uriStart, 4);
    assert.equal(entry?.part?.part, 'transport');
  });
});
