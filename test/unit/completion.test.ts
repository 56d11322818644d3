import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CompletionItem, CompletionItemKind, DiagnosticSeverity, InsertTextFormat, TextEdit } from 'vscode-languageserver-types';
import { HostNames, parseEtcHosts, parseKnownHosts } from '../../server/src/languageservice/environment';
import { ServiceEnvironment, TRIGGER_CHARACTERS, getLanguageService } from '../../server/src/languageservice/languageService';
import { parseSshConfig } from '../../server/src/languageservice/sshConfig';
import { CARET, caret } from '../helpers/caret';
import type { CompletionData } from '../../server/src/languageservice/services/completion';

const HOSTS: HostNames = {
  sshConfig: parseSshConfig('Host box\n  HostName box.example.com\n  User alice\n  Port 2200\nHost *.lab web?\n  User nobody\n'),
  knownHosts: parseKnownHosts('kh.example.com,10.0.0.7 ssh-ed25519 AAAA\n|1|hashed= ssh-ed25519 AAAA\n[jump.example.com]:2222 ssh-rsa AAAA\n'),
  etcHosts: parseEtcHosts('127.0.0.1 localhost\n::1 localhost ip6-localhost\nff02::1 ip6-allnodes\n'),
};

let home: string;
let n = 0;

function env(extra: Partial<ServiceEnvironment> = {}): ServiceEnvironment {
  return {
    aliases: () => new Map([['lab', 'qemu+ssh://root@lab/system']]),
    hosts: () => HOSTS,
    homeDir: () => home,
    listDirectory: (dir) => {
      try {
        return readdirSync(dir, { withFileTypes: true }).map((e) => ({ name: e.name, directory: e.isDirectory() })).sort((a, b) => a.name.localeCompare(b.name));
      } catch {
        return [];
      }
    },
    ...extra,
  };
}

const service = () => getLanguageService(env());

function doc(text: string, languageId: string): TextDocument {
  return TextDocument.create(`file:///t/${n++}`, languageId, 1, text);
}

/** The items offered at the `‸` of `marked`, best first (as VS Code sorts them). */
function complete(marked: string, languageId = 'python', ls = service()): CompletionItem[] {
  const { text, offset } = caret(marked);
  const d = doc(text, languageId);
  const list = ls.doComplete(d, d.positionAt(offset));
  return (list?.items ?? []).slice().sort((a, b) => (a.sortText ?? '').localeCompare(b.sortText ?? ''));
}

const labels = (marked: string, languageId?: string) => complete(marked, languageId).map((i) => i.label);

function find(items: CompletionItem[], label: string): CompletionItem {
  const item = items.find((i) => i.label === label);
  assert.ok(item, `no ${label} among ${items.map((i) => i.label).join(' ')}`);
  return item;
}

/** The text a snippet leaves once its tab stops keep their defaults. */
const plain = (item: CompletionItem, text: string) =>
  item.insertTextFormat === InsertTextFormat.Snippet ? text.replace(/\$\{\d+:([^}]*)\}/g, '$1').replace(/\$\d+/g, '') : text;

/** The document after accepting `item`, with `‸` where the caret lands (snippet tab stops ignored). */
function applied(text: string, item: CompletionItem): string {
  const edit = item.textEdit as TextEdit;
  const d = doc(text, 'python');
  const start = d.offsetAt(edit.range.start);
  const end = d.offsetAt(edit.range.end);
  const inserted = plain(item, edit.newText);
  return text.slice(0, start) + inserted + CARET + text.slice(end);
}

/** Accepts the item labelled `label` at the caret; the result marks the new caret. */
function accept(marked: string, label: string, languageId = 'python'): string {
  return applied(caret(marked).text, find(complete(marked, languageId), label));
}

before(() => {
  home = mkdtempSync(path.join(tmpdir(), 'virt-uri-completion-'));
  mkdirSync(path.join(home, '.ssh'));
  writeFileSync(path.join(home, '.ssh', 'id_ed25519'), '');
  writeFileSync(path.join(home, '.ssh', 'id_ed25519.pub'), '');
  mkdirSync(path.join(home, 'with space'));
  writeFileSync(path.join(home, 'host.xml'), '<node/>');
  writeFileSync(path.join(home, 'notes.txt'), '');
});
after(() => rmSync(home, { recursive: true, force: true }));

describe('completion: drivers, whole URIs and aliases', () => {
  it('an empty string in a libvirt context offers aliases, whole-URI snippets, then drivers', () => {
    const items = complete("libvirt.open('‸')");
    const shown = items.map((i) => i.label);
    assert.deepEqual(shown.slice(0, 3), ['lab', 'qemu:///system', 'qemu:///session']);
    assert.ok(shown.includes('qemu+ssh://root@host/system') && shown.includes('test:///default') && shown.includes('qemu'));
    assert.equal(find(items, 'qemu+ssh://root@host/system').textEdit!.newText, 'qemu+ssh://${1:root}@${2:host}/system');
    assert.equal(find(items, 'lab').detail, 'qemu+ssh://root@lab/system');
    assert.equal(accept("libvirt.open('‸')", 'qemu:///system'), "libvirt.open('qemu:///system‸')");
  });

  it('an empty string outside a libvirt context offers nothing', () => {
    assert.deepEqual(labels("x = '‸'"), []);
    assert.deepEqual(labels("print('https://‸')"), []);
  });

  it('the half-typed driver is replaced, not appended to', () => {
    assert.ok(labels("libvirt.open('q‸')").includes('qemu'));
    assert.equal(accept("libvirt.open('q‸')", 'qemu'), "libvirt.open('qemu‸')");
    // The caret inside the driver: the whole driver goes, the rest stays.
    assert.equal(accept("libvirt.open('xe‸n:///system')", 'qemu'), "libvirt.open('qemu‸:///system')");
  });

  it('a bare word may become a uri_aliases name or a whole URI', () => {
    assert.equal(accept("libvirt.open('la‸')", 'lab'), "libvirt.open('lab‸')");
    assert.equal(accept("libvirt.open('qe‸')", 'qemu:///session'), "libvirt.open('qemu:///session‸')");
    assert.deepEqual(labels("libvirt.open('qemu:‸')").filter((l) => l.includes('://')), [], 'no whole URI once the scheme is written');
  });

  it('shell: an empty argument of virsh -c, or of LIBVIRT_DEFAULT_URI=', () => {
    assert.ok(labels('virsh -c "‸" list', 'shellscript').includes('qemu:///system'));
    assert.ok(labels("export LIBVIRT_DEFAULT_URI='‸'", 'shellscript').includes('test:///default'));
  });
});

describe('completion: transports', () => {
  it('after driver+ the transports, with default port and security in the detail', () => {
    const items = complete("libvirt.open('qemu+‸')");
    assert.deepEqual(items.map((i) => i.label), ['ssh', 'tls', 'unix', 'libssh', 'libssh2', 'tcp', 'ext']);
    assert.match(find(items, 'tls').detail!, /port 16514 · secure/);
    assert.match(find(items, 'tcp').detail!, /port 16509 · not secure/);
    assert.match(find(items, 'ssh').detail!, /ssh's own port · secure/);
    assert.equal(accept("libvirt.open('qemu+s‸://h/system')", 'tls'), "libvirt.open('qemu+tls‸://h/system')");
  });

  it('reopens the list after accepting where the next part follows', () => {
    assert.deepEqual(TRIGGER_CHARACTERS, [':', '/', '+', '@', '?', '&', '=']);
    const user = find(complete("libvirt.open('qemu+ssh://‸')"), 'root@');
    assert.equal(user.command?.command, 'editor.action.triggerSuggest');
  });
});

describe('completion: user, host and port', () => {
  it('users: root and the ssh configuration User', () => {
    const items = complete("libvirt.open('qemu+ssh://‸')");
    assert.ok(items.some((i) => i.label === 'root@'));
    assert.ok(items.some((i) => i.label === 'alice@'));
    // At user@ the user of the host named after it comes first.
    assert.deepEqual(complete("libvirt.open('qemu+ssh://‸@box/system')").map((i) => i.label).slice(0, 2), ['alice', 'root']);
    assert.equal(accept("libvirt.open('qemu+ssh://ro‸@box/system')", 'root'), "libvirt.open('qemu+ssh://root‸@box/system')");
  });

  it('hosts from ~/.ssh/config (no wildcards), unhashed known_hosts and /etc/hosts', () => {
    const items = complete("libvirt.open('qemu+ssh://root@‸')");
    const shown = items.map((i) => i.label);
    assert.deepEqual(shown, ['box', 'kh.example.com', '10.0.0.7', 'jump.example.com:2222', 'localhost', 'ip6-localhost']);
    assert.equal(find(items, 'box').labelDetails?.description, '~/.ssh/config');
    assert.equal(find(items, 'box').detail, 'HostName box.example.com, User alice, Port 2200');
    assert.equal(accept("libvirt.open('qemu+ssh://root@b‸/system')", 'box'), "libvirt.open('qemu+ssh://root@box‸/system')");
  });

  it('thousands of known hosts: at most 200, those starting with what is typed, and the list asks again', () => {
    const many = { sshConfig: [], knownHosts: Array.from({ length: 5000 }, (_, i) => ({ name: `n${i}.example.com` })), etcHosts: [] };
    const ls = getLanguageService(env({ hosts: () => many }));
    const { text, offset } = caret("libvirt.open('qemu+ssh://root@n12‸/system')");
    const d = doc(text, 'python');
    const list = ls.doComplete(d, d.positionAt(offset))!;
    assert.equal(list.isIncomplete, true);
    assert.equal(list.items.length, 111);
    assert.ok(list.items.every((i) => i.label.startsWith('n12')));
  });

  it('transports other than ssh get the real name of a ~/.ssh/config entry, not its alias', () => {
    const shown = labels("libvirt.open('qemu+libssh2://root@‸')");
    assert.ok(shown.includes('box.example.com'));
    assert.ok(!shown.includes('box'));
  });

  it('no host where the transport never uses one', () => {
    assert.deepEqual(labels("libvirt.open('qemu+unix://‸')").filter((l) => l.includes('example')), []);
  });

  it('the port of the ssh configuration, and the default port of tls', () => {
    assert.deepEqual(labels("libvirt.open('qemu+ssh://box:‸/system')"), ['2200']);
    assert.deepEqual(labels("libvirt.open('qemu+tls://h:‸/system')"), ['16514']);
  });
});

describe('completion: paths', () => {
  it('the paths the driver accepts, best first', () => {
    assert.deepEqual(labels("libvirt.open('qemu:///‸')"), ['/system', '/session', '/embed?root=']);
    assert.deepEqual(labels("libvirt.open('test:///‸')").slice(0, 1), ['/default']);
    assert.deepEqual(labels("libvirt.open('lxc:///‸')"), ['/system']);
    // Remote: no embedded driver.
    assert.deepEqual(labels("libvirt.open('qemu+ssh://h/‸')"), ['/system', '/session']);
    assert.ok(labels("libvirt.open('vpx://vc/‸')").includes('/datacenter/cluster'));
  });

  it('the test driver: XML files describing a host, and folders', () => {
    const shown = labels(`libvirt.open('test://${home}/‸')`);
    assert.ok(shown.includes('host.xml') && shown.includes('with space/'), shown.join(' '));
    assert.ok(!shown.includes('notes.txt'));
  });

  it('replaces the half-typed path', () => {
    assert.equal(accept("libvirt.open('qemu:///sy‸')", '/system'), "libvirt.open('qemu:///system‸')");
    assert.equal(accept("libvirt.open('qemu:///se‸ssion?mode=auto')", '/system'), "libvirt.open('qemu:///system‸?mode=auto')");
    assert.equal(accept("libvirt.open('qemu:‸')", '/system'), "libvirt.open('qemu:///system‸')");
  });
});

describe('completion: extra parameters', () => {
  it('those the transport honours first, the ignored ones last and marked, present ones left out', () => {
    const items = complete("libvirt.open('qemu+ssh://h/system?keyfile=/k&‸')");
    const shown = items.map((i) => i.label);
    assert.ok(!shown.includes('keyfile'));
    const ignored = items.filter((i) => i.labelDetails?.description === 'ignored by the ssh transport').map((i) => i.label);
    assert.deepEqual(ignored.sort(), ['known_hosts', 'known_hosts_verify', 'no_sanity', 'pkipath', 'sshauth', 'tls_priority']);
    // Every ignored one after every honoured one.
    const firstIgnored = shown.findIndex((l) => ignored.includes(l));
    assert.ok(shown.slice(firstIgnored).every((l) => ignored.includes(l)), shown.join(' '));
    assert.equal(find(items, 'no_tty').textEdit!.newText, 'no_tty=');
  });

  it('the tls transport honours pkipath and ignores keyfile', () => {
    const items = complete("libvirt.open('qemu+tls://h/system?‸')");
    assert.equal(find(items, 'pkipath').labelDetails, undefined);
    assert.equal(find(items, 'keyfile').labelDetails?.description, 'ignored by the tls transport');
  });

  it('renaming a parameter keeps its value', () => {
    assert.equal(accept("libvirt.open('qemu+ssh://h/system?no_t‸=1')", 'no_tty'), "libvirt.open('qemu+ssh://h/system?no_tty‸=1')");
  });

  it('a driver that reads its own parameters offers those', () => {
    assert.ok(labels("libvirt.open('esx://h/?‸')").includes('no_verify'));
    assert.deepEqual(labels("libvirt.open('qemu:///embed?‸')"), ['root']);
  });
});

describe('completion: parameter values', () => {
  it('enums and booleans', () => {
    assert.deepEqual(labels("libvirt.open('qemu:///system?mode=‸')"), ['auto', 'legacy', 'direct']);
    // libvirt refuses direct over ssh.
    assert.deepEqual(labels("libvirt.open('qemu+ssh://h/system?mode=‸')"), ['auto', 'legacy']);
    assert.deepEqual(labels("libvirt.open('qemu+ssh://h/system?proxy=‸')"), ['auto', 'netcat', 'native']);
    assert.deepEqual(labels("libvirt.open('qemu+ssh://h/system?no_tty=‸')"), ['1', '0']);
    assert.equal(accept("libvirt.open('qemu+unix:///system?mode=le‸&socket=/s')", 'direct'), "libvirt.open('qemu+unix:///system?mode=direct‸&socket=/s')");
  });

  it('sshauth: one method of the list, the others left out', () => {
    assert.deepEqual(labels("libvirt.open('qemu+libssh2://h/system?sshauth=agent,‸')").includes('agent'), false);
    assert.equal(accept("libvirt.open('qemu+libssh2://h/system?sshauth=agent,pr‸')", 'privkey'), "libvirt.open('qemu+libssh2://h/system?sshauth=agent,privkey‸')");
  });

  it('files and folders for a path parameter, from the environment', () => {
    const items = complete("libvirt.open('qemu+ssh://h/system?keyfile=‸')");
    assert.ok(items.some((i) => i.label === `${home}/.ssh/`), items.map((i) => i.label).join(' '));
    const inSsh = labels(`libvirt.open('qemu+ssh://h/system?keyfile=${home}/.ssh/i‸')`);
    assert.deepEqual(inSsh, ['id_ed25519', 'id_ed25519.pub']);
    assert.equal(
      accept(`libvirt.open('qemu+ssh://h/system?keyfile=${home}/.ssh/i‸')`, 'id_ed25519'),
      `libvirt.open('qemu+ssh://h/system?keyfile=${home}/.ssh/id_ed25519‸')`,
    );
    // A folder whose name needs escaping is %-encoded, and the list opens again inside it.
    const folder = find(complete(`libvirt.open('qemu+ssh://h/system?keyfile=${home}/‸')`), 'with space/');
    assert.equal(folder.textEdit!.newText, 'with%20space/');
    assert.equal(folder.command?.command, 'editor.action.triggerSuggest');
  });

  it('a listing not read yet makes the list incomplete, and nothing is invented', () => {
    const ls = getLanguageService(env({ listDirectory: () => undefined }));
    const { text, offset } = caret("libvirt.open('qemu+ssh://h/system?keyfile=/e‸')");
    const d = doc(text, 'python');
    const list = ls.doComplete(d, d.positionAt(offset))!;
    assert.equal(list.isIncomplete, true);
    assert.deepEqual(list.items, []);
  });

  it('name= takes a URI of its own, local to the daemon', () => {
    const shown = labels("libvirt.open('qemu+ssh://h/system?name=‸')");
    assert.ok(shown.includes('qemu:///system'));
    assert.ok(!shown.some((l) => l.includes('+ssh')), shown.join(' '));
    // No embedded driver: its `?root=` would end up in the outer URI's query.
    assert.deepEqual(labels("libvirt.open('qemu+ssh://h/?name=qemu:///‸')"), ['/system', '/session']);
  });
});

describe('completion in libvirt.conf', () => {
  it('the keys the client reads, those present left out', () => {
    const items = complete('uri_default = "qemu:///system"\n‸', 'libvirt-conf');
    assert.deepEqual(items.map((i) => i.label), ['uri_aliases', 'remote_mode', 'remote_proxy', 'tls_priority']);
    assert.equal(accept('uri_a‸', 'uri_aliases', 'libvirt-conf'), 'uri_aliases = [\n  ""\n]‸');
  });

  it('URIs inside uri_default and uri_aliases', () => {
    assert.ok(labels('uri_default = "‸"', 'libvirt-conf').includes('qemu:///system'));
    assert.deepEqual(labels('uri_aliases = [ "lab=qemu+‸" ]', 'libvirt-conf').slice(0, 2), ['ssh', 'tls']);
    // The alias name itself is the user's.
    assert.deepEqual(labels('uri_aliases = [ "la‸b=qemu:///system" ]', 'libvirt-conf'), []);
    assert.deepEqual(labels('remote_mode = "‸"', 'libvirt-conf'), ['auto', 'legacy', 'direct']);
    assert.deepEqual(labels('# a comment ‸', 'libvirt-conf'), []);
  });
});

describe('completion in other host languages', () => {
  it('shell, YAML and Terraform strings', () => {
    assert.deepEqual(labels('virsh -c qemu+‸', 'shellscript').slice(0, 2), ['ssh', 'tls']);
    assert.ok(labels('libvirt_uri: qemu:///‸\n', 'yaml').includes('/system'));
    const provider = labels('provider "libvirt" {\n  uri = "qemu+‸"\n}\n', 'terraform');
    assert.ok(provider.includes('sshcmd'), provider.join(' '));
  });
});

describe('hostile input', () => {
  it('a generated 200 kB URI gets no offers (each would be checked against the whole URI)', () => {
    assert.deepEqual(labels(`libvirt.open('qemu+ssh://h/system?‸${'a=1&'.repeat(50_000)}')`), []);
    assert.ok(labels(`libvirt.open('qemu+ssh://h/system?‸${'a=1&'.repeat(100)}')`).includes('keyfile'));
  });
});

describe('completionItem/resolve', () => {
  it("adds the catalog's doc to every kind of item", () => {
    const ls = service();
    const at = (marked: string, label: string, languageId = 'python') => {
      const item = find(complete(marked, languageId, ls), label);
      const doc = ls.doResolve(item).documentation as { value: string } | undefined;
      assert.ok(doc && doc.value.length > 20, `${label} at ${marked}: ${JSON.stringify(doc)}`);
      return doc.value;
    };
    assert.match(at("libvirt.open('‸')", 'qemu'), /QEMU/);
    assert.match(at("libvirt.open('‸')", 'qemu:///session'), /session/);
    assert.match(at("libvirt.open('‸')", 'lab'), /qemu\+ssh:\/\/root@lab\/system/);
    assert.match(at("libvirt.open('qemu+‸')", 'tls'), /16514/);
    assert.match(at("libvirt.open('qemu+ssh://‸')", 'root@'), /root/);
    assert.match(at("libvirt.open('qemu+ssh://‸@box/')", 'alice'), /Host box/);
    assert.match(at("libvirt.open('qemu+ssh://root@‸')", 'box'), /HostName/);
    assert.match(at("libvirt.open('qemu:///‸')", '/system'), /privileged/);
    assert.match(at("libvirt.open('qemu+ssh://h/system?‸')", 'sshauth'), /Ignored by the ssh transport/);
    assert.match(at("libvirt.open('qemu:///system?mode=‸')", 'direct'), /\w/);
    assert.match(at("libvirt.open('qemu+ssh://h/system?no_tty=‸')", '0'), /Off/);
    assert.match(at('‸', 'uri_default', 'libvirt-conf'), /LIBVIRT_DEFAULT_URI/);
  });
});

// Completion never offers what the validator then calls an error: every item at every position.
describe('accepting any offer never adds an error', () => {
  /** Where a URI stands, and how a template hole follows it there (none in libvirt.conf). */
  interface Place { languageId: string; open: string; close: string; templateOpen?: string; hole?: string }
  const PYTHON: Place = { languageId: 'python', open: "libvirt.open('", close: "')\n", templateOpen: "libvirt.open(f'", hole: '{rest}' };
  const TERRAFORM: Place = { languageId: 'terraform', open: 'provider "libvirt" {\n  uri = "', close: '"\n}\n', templateOpen: 'provider "libvirt" {\n  uri = "', hole: '${var.rest}' };
  const CONF: Place = { languageId: 'libvirt-conf', open: 'uri_aliases = [ "lab=', close: '" ]\n' };
  const CASES: [Place, string[]][] = [
    [PYTHON, [
      '', 'q', 'qemu', 'qemu+', 'qemu+ssh', 'qemu+ssh://', 'qemu+ssh://root@', 'qemu+ssh://root@box', 'qemu+ssh://box:', 'qemu:///',
      'qemu:///system', 'qemu+ssh://root@host:2222/system?keyfile=/k&no_tty=1', 'qemu+tls://h/system?', 'qemu+ssh://h/system?mode=&proxy=',
      'qemu+libssh2://h/system?sshauth=agent,&known_hosts_verify=', 'test:///default', 'qemu+unix:///system?socket=', 'esx://h/?no_verify=',
      'qemu:///embed?root=', 'qemu+ssh://h/system?name=', 'lxc://', 'vpx://vc/', 'xen+ssh://h', 'qemu+ext:///system?command=',
    ]],
    [TERRAFORM, ['', 'qemu+', 'qemu+ssh://root@h/system?', 'qemu+sshcmd://h/system?knownhosts=', 'qemu:///system', 'qemu+tls://h/system?no_verify=1']],
    [CONF, ['', 'qemu+', 'qemu+ssh://h/system?mode=', 'test:///default']],
  ];
  const errors = (ls: ReturnType<typeof service>, text: string, languageId: string) => {
    const d = doc(text, languageId);
    return ls.doValidation(d).filter((x) => x.severity === DiagnosticSeverity.Error)
      .map((x) => ({ code: String(x.code), message: x.message, start: d.offsetAt(x.range.start), end: d.offsetAt(x.range.end) }));
  };
  // Parts that need the next one (`qemu` needs `:///…`, `root@` a host, a port a path): accepted
  // at the end of the string, they are judged with a template hole where the user goes on typing.
  const needsMore = (item: CompletionItem) =>
    ['driver', 'transport', 'user', 'host', 'port', 'param', 'place'].includes((item.data as CompletionData).k) || item.kind === CompletionItemKind.Folder;

  for (const [place, uris] of CASES) {
    it(`${place.languageId}: ${uris.length} URIs, every offset`, () => {
      const ls = service();
      let checked = 0;
      for (const uri of uris) {
        const text = place.open + uri + place.close;
        const before = errors(ls, text, place.languageId);
        const codes = new Set(before.map((e) => e.code));
        for (let i = 0; i <= uri.length; i++) {
          const at = place.open.length + i;
          const marked = text.slice(0, at) + CARET + text.slice(at);
          for (const item of complete(marked, place.languageId, ls)) {
            const result = applied(text, item);
            const goesOn = needsMore(item) && result.includes(CARET + place.close);
            if (goesOn && !place.templateOpen) continue;
            const judged = goesOn ? place.templateOpen! + result.slice(place.open.length).replace(CARET, place.hole!) : caret(result).text;
            // An error where the URI had one already (under another code, now that more is known) is not new.
            const edit = item.textEdit as TextEdit;
            const [start, end] = [doc(text, 'plaintext').offsetAt(edit.range.start), doc(text, 'plaintext').offsetAt(edit.range.end)];
            const length = plain(item, edit.newText).length;
            const shift = goesOn ? place.templateOpen!.length - place.open.length : 0;
            const back = (o: number) => (o - shift < start ? o - shift : o - shift - length + (end - start));
            const added = errors(ls, judged, place.languageId)
              .filter((e) => !codes.has(e.code) && !before.some((b) => b.start === back(e.start) && b.end === back(e.end)))
              .map((e) => `${e.code}: ${e.message}`);
            assert.deepEqual(added, [], `accepting ${item.label} at ${marked} gives ${result}`);
            checked++;
          }
        }
      }
      assert.ok(checked > 10 * uris.length, `only ${checked} items checked`);
    });
  }
});
