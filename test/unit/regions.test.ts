import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  findSuppressions,
  findUriCandidates,
  languageIdForPath,
  RegionCache,
  UriCandidate,
} from '../../server/src/languageservice/regions';
import { BindingImport, LIBVIRT_CONSUMER } from '../../server/src/languageservice/catalog';
import { HOLE } from '../../server/src/languageservice/uri/parser';
import { assertInDocument } from '../helpers/candidates';
import { countStringWork } from '../helpers/work';

/**
 * Sources are written with markers around the expected candidates: ⟦text⟧ for a driver-scheme
 * string outside a libvirt context, ⟪text⟫ for a string in one. The markers are removed before
 * scanning and the expected offsets computed from where they stood.
 */
function parse(marked: string): { text: string; expected: { text: string; offset: number; libvirtContext: boolean }[] } {
  let text = '';
  const expected: { text: string; offset: number; libvirtContext: boolean }[] = [];
  let open: { offset: number; libvirtContext: boolean } | undefined;
  for (const ch of marked) {
    if (ch === '⟦' || ch === '⟪') {
      open = { offset: text.length, libvirtContext: ch === '⟪' };
    } else if (ch === '⟧' || ch === '⟫') {
      assert.ok(open, 'unbalanced marker');
      expected.push({ text: text.slice(open.offset), offset: open.offset, libvirtContext: open.libvirtContext });
      open = undefined;
    } else {
      text += ch;
    }
  }
  return { text, expected };
}

function candidates(text: string, languageId: string): UriCandidate[] {
  const found = findUriCandidates(text, languageId);
  for (const c of found) assertInDocument(text, c);
  return found;
}

/** Asserts that scanning the marked source finds exactly the marked candidates (kind uri); templates are templates.test.ts's. */
function check(languageId: string, marked: string): void {
  const { text, expected } = parse(marked);
  const found = candidates(text, languageId).filter((c) => c.pieces === undefined)
    .map((c) => ({ text: c.text, offset: c.offset, libvirtContext: c.libvirtContext, kind: c.kind }));
  assert.deepEqual(found, expected.map((e) => ({ ...e, kind: 'uri' })));
}

function none(languageId: string, text: string): void {
  assert.deepEqual(candidates(text, languageId), []);
}

const ORDINARY_URLS = ['https://libvirt.org/uri.html', 'git+ssh://git@example.com/repo.git', 'svn+ssh://svn.example.com/trunk',
  'postgres://user@db/app', 'file:///etc/libvirt/libvirt.conf', 'redis://cache:6379/0', 'http://qemu.org/', 'ssh://root@host/'];

describe('regions: Python', () => {
  it('finds libvirt calls and driver-scheme strings with exact offsets', () => {
    check('python', [
      'import libvirt',
      'conn = libvirt.open("⟪qemu:///system⟫")',
      "ro = libvirt.openReadOnly('⟪qemu+ssh://root@host:2222/system?keyfile=/k&no_tty=1⟫')",
      'auth = libvirt.openAuth( "⟪xen+libssh2://h/⟫", [creds, cb, None], 0)',
      'kw = libvirt.open(name="⟪test:///default⟫")',
      'anything = libvirt.open("⟪nonsense⟫")',
      'empty = libvirt.open("⟪⟫")',
      'URIS = ["⟦qemu+tcp://h/system⟧", \'⟦lxc:///⟧\']',
      'other = "⟦test+sshx://x/⟧"',
    ].join('\n'));
  });

  it('handles prefixes and triple quotes', () => {
    check('python', [
      'a = r"⟦qemu:///system⟧"',
      "b = b'⟦qemu:///session⟧'",
      'c = libvirt.open(f"⟪qemu:///system⟫")',
      'd = """⟦test:///default⟧"""',
      "e = '''",
      "qemu:///not-at-start'''",
      'f = Rb"⟦vbox:///session⟧"',
    ].join('\n'));
  });

  it('keeps malformed escapes for validation (templates: templates.test.ts)', () => {
    check('python', [
      'a = f"qemu+ssh://{host}/system"',
      'b = "qemu+ssh://%s/system" % host',
      'c = "qemu+ssh://{}/system".format(host)',
      'd = libvirt.open("qemu+ssh://%(host)s/system" % vars())',
      'e = "⟦qemu:///system?keyfile=%zz⟧"',
      'f = "⟦qemu:///system?name=%2Fx⟧"',
    ].join('\n'));
  });

  it('knows LIBVIRT_DEFAULT_URI assignments', () => {
    check('python', [
      "os.environ['LIBVIRT_DEFAULT_URI'] = '⟪qemu:///system⟫'",
      'os.environ.setdefault("LIBVIRT_DEFAULT_URI", "⟪anything⟫")',
      "env = {'LIBVIRT_DEFAULT_URI': '⟪qemu:///session⟫', 'PATH': '/usr/bin'}",
      'subprocess.run(cmd, env=["LIBVIRT_DEFAULT_URI=⟪test:///default⟫"])',
      "if os.environ['LIBVIRT_DEFAULT_URI'] == 'x': pass",
    ].join('\n'));
  });

  it('does not treat builtins or other calls as libvirt contexts', () => {
    check('python', [
      'open("/etc/hosts")',
      'requests.open("⟦qemu:///system⟧")',
      'webbrowser.open("https://libvirt.org")',
    ].join('\n'));
  });

  it('never reports ordinary URLs or URIs in comments', () => {
    none('python', ORDINARY_URLS.map((u, i) => `u${i} = "${u}"`).join('\n'));
    none('python', '# conn = libvirt.open("qemu:///system")\nx = 1  # qemu:///session');
    none('python', 'x = "#" # "qemu:///system"');
  });

  it('yields candidates for half-typed strings', () => {
    check('python', 'c = libvirt.open("⟪qemu+ssh://ro⟫\nx = 1');
    check('python', 'c = libvirt.open(\'⟪⟫');
    check('python', 'u = "⟦qemu+ss⟧');
    check('python', 'u = "⟦qemu:/⟧\n');
    check('python', 'u = "qemu"\nv = "qemu+ssh"');
  });
});

describe('regions: C and C++', () => {
  it('finds virConnectOpen* first arguments', () => {
    check('c', [
      '#include <libvirt/libvirt.h>',
      'virConnectPtr a = virConnectOpen("⟪qemu:///system⟫");',
      'virConnectPtr b = virConnectOpenReadOnly("⟪qemu+tcp://h/system⟫");',
      'virConnectPtr c = virConnectOpenAuth("⟪garbage⟫", virConnectAuthPtrDefault, 0);',
      'virConnectPtr d = virConnectOpen(NULL);',
      'const char *e = "⟦lxc:///system⟧", *f = L"⟦qemu:///session⟧";',
      'setenv("LIBVIRT_DEFAULT_URI", "⟪test:///default⟫", 1);',
      "char q = '\"'; const char *g = \"⟦xen:///system⟧\";",
    ].join('\n'));
  });

  it('ignores // and /* */ comments', () => {
    none('c', '// virConnectOpen("qemu:///system");\n/* "qemu:///system"\n   virConnectOpen("x") */ int x;');
  });

  it('handles C++ raw strings and digit separators', () => {
    check('cpp', [
      'auto u = R"(⟦qemu:///system⟧)";',
      'auto v = u8R"x(⟦test:///default⟧)x";',
      'int n = 1\'000\'000; auto w = virConnectOpen("⟪qemu:///session⟫");',
    ].join('\n'));
  });

  it('never reports ordinary URLs', () => {
    none('cpp', ORDINARY_URLS.map((u) => `f("${u}");`).join('\n'));
  });
});

describe('regions: Go', () => {
  it('finds NewConnect*, cgo and raw strings', () => {
    check('go', [
      'conn, err := libvirt.NewConnect("⟪qemu:///system⟫")',
      'ro, err := libvirt.NewConnectReadOnly(`⟪test:///default⟫`)',
      'c := C.virConnectOpen(C.CString("⟪qemu:///session⟫"))',
      'os.Setenv("LIBVIRT_DEFAULT_URI", "⟪qemu+ssh://h/system⟫")',
      'raw := `⟦lxc:///⟧`',
      "r := '\"'; s := \"⟦xen:///system⟧\"",
      'tpl := fmt.Sprintf("qemu+ssh://%s/system", host)',
      '// libvirt.NewConnect("qemu:///system")',
    ].join('\n'));
  });
});

describe('regions: Rust', () => {
  it('finds Connect::open* with and without Some(…)', () => {
    check('rust', [
      'use virt::connect::Connect;',
      'let a = Connect::open(Some("⟪qemu:///system⟫"))?;',
      'let b = Connect::open_read_only("⟪test:///default⟫")?;',
      'let c = Connect::open_auth(Some(r#"⟪qemu+ssh://h/system⟫"#), &mut auth, 0)?;',
      "fn f<'a>(x: &'a str) -> &'a str { \"⟦lxc:///⟧\" }",
      'let d = br"⟦qemu:///session⟧"; let q = \'"\';',
      'std::env::set_var("LIBVIRT_DEFAULT_URI", "⟪vbox:///session⟫");',
      '/* outer /* nested "qemu:///system" */ still comment "qemu:///system" */',
      'let e = format!("qemu+ssh://{}/system", host);',
    ].join('\n'));
  });
});

describe('regions: JavaScript and TypeScript', () => {
  for (const languageId of ['javascript', 'typescript', 'javascriptreact', 'typescriptreact']) {
    it(`finds calls, templates and env assignments (${languageId})`, () => {
      check(languageId, [
        "const h = new libvirt.Hypervisor('⟪qemu:///system⟫');",
        'const c = await libvirt.openReadOnly(`⟪test:///default⟫`);',
        'const t = `qemu+ssh://${host}/system`;',
        'const s = `⟦qemu:///session⟧`;',
        "process.env.LIBVIRT_DEFAULT_URI = '⟪lxc:///⟫';",
        "spawn('virsh', [], { env: { LIBVIRT_DEFAULT_URI: \"⟪xen:///system⟫\" } });",
        "const re = /[\"'`]/g; const u = '⟦qemu+tcp://h/system⟧';",
        "const x = a / b; const y = 'https://example.com'; // 'qemu:///system'",
      ].join('\n'));
    });
  }

  it('keeps scanning after nested template interpolations', () => {
    check('typescript', 'const a = `x ${fn({ k: `y ${z}` })} w`; const b = "⟦qemu:///system⟧";');
  });
});

describe('regions: Java', () => {
  it('finds new Connect(…)', () => {
    check('java', [
      'import org.libvirt.Connect;',
      'Connect a = new Connect("⟪qemu:///system⟫", false);',
      'Connect b = new org.libvirt.Connect("⟪test:///default⟫");',
      "char q = '\"'; String s = \"⟦qemu+ssh://h/system⟧\";",
      'String t = String.format("qemu+ssh://%s/system", host);',
      '/* new Connect("qemu:///system") */',
    ].join('\n'));
  });
});

describe('regions: Ruby and Vagrantfile', () => {
  it('finds Libvirt::open* with and without parentheses', () => {
    check('ruby', [
      "conn = Libvirt::open('⟪qemu:///system⟫')",
      'ro = Libvirt::open_read_only "⟪test:///default⟫"',
      'au = Libvirt.open_auth("⟪qemu:///session⟫", [], nil)',
      "ENV['LIBVIRT_DEFAULT_URI'] = '⟪lxc:///⟫'",
      'x = %q(⟦xen:///system⟧)',
      'y = "qemu+ssh://#{host}/system"',
      '# Libvirt::open("qemu:///system")',
      '=begin',
      'Libvirt::open("qemu:///system")',
      '=end',
      'z = "⟦qemu+tcp://h/system⟧"',
    ].join('\n'));
  });

  it('finds uri settings of the libvirt provider block, whatever the block variable', () => {
    check('ruby', [
      'Vagrant.configure("2") do |config|',
      '  config.vm.provider :libvirt do |lv, override|',
      '    lv.uri = "⟪qemu+ssh://root@host/system⟫"',
      '    lv.host = "host"',
      '    lv.connect_via_ssh = true',
      '  end',
      '  config.vm.provider "libvirt" do |domain|',
      "    domain.system_uri = '⟪qemu:///system⟫'",
      '  end',
      '  config.vm.provider :virtualbox do |vb|',
      '    vb.uri = "not-libvirt"',
      '  end',
      '  libvirt.uri = "⟪qemu:///session⟫"',
      'end',
    ].join('\n'));
  });

  it('scans heredoc bodies as prose and resumes after them', () => {
    check('ruby', [
      'doc = <<~EOS',
      "  don't connect to ⟦qemu:///system⟧ or qemu+ssh://#{host}/system",
      'EOS',
      'c = Libvirt::open("⟪test:///default⟫")',
    ].join('\n'));
  });
});

describe('regions: only a binding\'s own calls are libvirt contexts', () => {
  // Other libraries have constructors and functions named like the bindings' (a CouchDB client's
  // NewConnection, a Postgres driver's NewConnector, a JDBC Connect, an OAuth openAuth): a call
  // is a context only when it is certainly libvirt's, by its qualifier or the file's imports.
  it('Go: libvirt-go-module and go-libvirt, not other packages', () => {
    check('go', [
      'import (',
      '\t"time"',
      '\t"github.com/joelnb/sofa"',
      '\t"libvirt.org/go/libvirt"',
      ')',
      'conn, err := sofa.NewConnection("http://localhost:5984", 10*time.Second, sofa.NullAuthenticator())',
      'db := pgdriver.NewConnector("postgres://u@h/db")',
      'c, err := libvirt.NewConnect("⟪qemu:///system⟫")',
      'ro, err := libvirt.NewConnectReadOnly("⟪test:///default⟫")',
      'au, err := libvirt.NewConnectWithAuthDefault("⟪qemu+ssh://h/system⟫", 0)',
      'x := other.NewConnect("https://example.com")',
      'y := NewConnect("https://example.com")',
    ].join('\n'));
    check('go', [
      'import (',
      '\tlv "libvirt.org/go/libvirt"',
      '\tgolibvirt "github.com/digitalocean/go-libvirt"',
      ')',
      'c, err := lv.NewConnectWithAuth("⟪qemu+tls://h/system⟫", auth, 0)',
      'err = l.ConnectToURI("⟪qemu:///system⟫")',
      'err = l.ConnectToURI(golibvirt.ConnectURI("⟪qemu:///session⟫"))',
    ].join('\n'));
    // Without go-libvirt, ConnectToURI is anyone's method.
    check('go', 'err = client.ConnectToURI("amqp://guest@localhost:5672/")');
    // A dot import puts the names in scope.
    check('go', 'import . "libvirt.org/go/libvirt"\nc, err := NewConnect("⟪qemu:///system⟫")');
  });

  it('Python: libvirt.open*, and the names imported from libvirt', () => {
    check('python', [
      'import requests',
      's = client.openAuth("https://example.com/login")',
      'r = openAuth("https://example.com/login")',
      'f = open("/etc/hosts")',
    ].join('\n'));
    check('python', [
      'import libvirt',
      'conn = libvirt.openAuth("⟪qemu+ssh://h/system⟫", auth, 0)',
      'other = openAuth("https://example.com/login")',
    ].join('\n'));
    check('python', [
      'from libvirt import (openAuth,',
      '                     openReadOnly)',
      'import libvirt as lv',
      'a = openAuth("⟪qemu:///system⟫", auth, 0)',
      'b = openReadOnly("⟪test:///default⟫")',
      'c = lv.open("⟪qemu:///session⟫")',
      'd = open("/etc/hosts")',
    ].join('\n'));
  });

  it('Java: new Connect(…) where the file imports org.libvirt', () => {
    check('java', 'import java.sql.*;\nclass A { Object c = new Connect("jdbc:mysql://localhost:3306/db"); }');
    check('java', 'import org.libvirt.*;\nclass A { void f() throws LibvirtException { conn = new Connect("⟪test:///default⟫", true); } }');
    check('java', 'class A { Connect c = new org.libvirt.Connect("⟪qemu:///system⟫"); Object d = new com.example.Connect("https://x"); }');
    check('java', 'package org.libvirt;\nclass ConnectTest { Connect c = new Connect("⟪test:///default⟫"); }');
  });

  it('JavaScript: node-libvirt\'s Hypervisor', () => {
    check('javascript', 'const { Hypervisor } = require("./hypervisor");\nconst h = new Hypervisor("https://cloud.example.com/api");');
    check('javascript', "const { Hypervisor } = require('libvirt');\nconst h = new Hypervisor('⟪qemu:///system⟫');");
    check('javascript', "var lv = require('libvirt');\nvar Hypervisor = lv.Hypervisor;\nvar h = new lv.Hypervisor('⟪test:///default⟫');");
    check('typescript', "import * as virt from 'libvirt';\nconst h = new virt.Hypervisor('⟪qemu:///session⟫');");
  });

  it('Rust: Connect::open* where the file uses the virt crate', () => {
    check('rust', 'use tokio_tungstenite::Connect;\nlet c = Connect::open("wss://example.com/socket");');
    check('rust', 'let c = virt::connect::Connect::open(Some("⟪qemu:///system⟫"))?;');
    check('rust', 'use virt::{connect::Connect, domain::Domain};\nlet c = Connect::open_read_only(Some("⟪test:///default⟫"))?;');
  });

  it('every import pattern names the binding (the scanner looks for the word before reading imports)', () => {
    for (const patterns of Object.values(LIBVIRT_CONSUMER.imports)) {
      for (const { pattern } of patterns as readonly BindingImport[]) assert.match(pattern.source, /virt/);
    }
  });

  it('Ruby: Libvirt::open*, never the bare Kernel#open', () => {
    check('ruby', "require 'libvirt'\nc = Libvirt::open_auth('⟪qemu:///system⟫', [])\nf = open('https://example.com/feed')");
  });
});

describe('regions: a driver name with another program\'s transport', () => {
  // JBoss/WildFly remoting writes remote+http:// and remote+https://: a libvirt driver name,
  // but no transport of libvirt's nor a typo of one.
  const REMOTING = ['remote+http://127.0.0.1:8706', 'remote+https://localhost:9993', 'remote+ws://h:80/x', 'qemu+bogus://h/system'];
  for (const languageId of ['python', 'java', 'go', 'javascript', 'c', 'ruby', 'rust', 'shellscript', 'yaml', 'markdown', 'plaintext']) {
    it(`is not a candidate outside a context (${languageId})`, () => {
      for (const uri of REMOTING) {
        const text = languageId === 'yaml' ? `url: "${uri}"` : languageId === 'markdown' || languageId === 'plaintext'
          ? `Connect with ${uri} to the management port.` : languageId === 'shellscript'
            ? `"$JBOSS_HOME/bin/jboss-cli.sh" --controller=${uri} --connect` : `u = "${uri}"`;
        none(languageId, text);
      }
    });
  }

  it('a transport of libvirt\'s, one edit away from one, empty or unknown (a hole) stays a candidate', () => {
    check('python', [
      'a = "⟦qemu+ssh://h/system⟧"',
      'b = "⟦qemu+shh://h/system⟧"',
      'c = "⟦qemu+sshx://h/system⟧"',
      'd = "⟦qemu+libssh2://h/system⟧"',
      'e = "⟦qemu+SSH://h/system⟧"',
      'f = "⟦qemu+:///system⟧"',
      'g = "⟦qemu+libsh://h/system⟧"',
    ].join('\n'));
    assert.deepEqual(candidates('const char *u = "qemu+" TRANSPORT "://h/system";', 'c').map((c) => c.text), [`qemu+${HOLE}://h/system`]);
    check('python', 'u = "⟦qemu+ss⟧');
    check('python', 'u = "qemu+ht');
  });

  it('in a libvirt context it is a candidate whatever the transport', () => {
    check('python', 'import libvirt\nc = libvirt.open("⟪remote+http://h/⟫")');
    check('shellscript', 'virsh -c ⟪remote+http://127.0.0.1/system⟫ list');
  });
});

describe('regions: literals joined into one string', () => {
  // Adjacent literals (Python, C, Ruby) and `+` join into one string: the joined text is what
  // the program uses, so a literal that is one piece of it is never a URI by itself.
  it('Python: prose split over adjacent literals', () => {
    none('python', 'help_msg = "Test connect URI for libvirt (qemu:///system, " "lxc:///)"');
    none('python', 'help_msg = ("Test connect URI for libvirt (qemu:///system, "\n            "lxc:///)")');
    none('python', 'msg = "Connect to " + "qemu:///system"');
    none('python', 'msg = prefix + "qemu:///system"\nmsg += "lxc:///"');
  });

  it('C: with and without a macro between the literals', () => {
    none('c', 'puts("The default is " "qemu:///system");');
    none('c', 'printf("%" PRIu64 " guests on " "qemu:///system\\n", n);');
  });

  it('Java, Go, JavaScript: + joins', () => {
    none('java', 'String s = "Connecting to " + "qemu:///system";\nString t = host + "qemu:///session";');
    none('go', 's := "Connecting to " + "qemu:///system"');
    none('javascript', 'const s = `Connecting to ` + "qemu:///system";');
  });

  it('the joined text is still checked when it starts with a driver scheme', () => {
    check('python', 'a = "⟦qemu:///system⟧"  # C++\nb = "⟦lxc:///⟧"');
    check('c', 'const char *uris[] = {\n  // C++\n  "⟦qemu:///system⟧",\n};\nn = i++ + "qemu:///session";');
    const joined = candidates('u = ("qemu:///"\n     "system")', 'python');
    assert.deepEqual(joined.map((c) => [c.text, c.libvirtContext]), [['qemu:///system', false]]);
  });
});

describe('regions: shell', () => {
  it('finds virsh -c / --connect and virt-* connection options', () => {
    check('shellscript', [
      '#!/bin/sh',
      'virsh -c ⟪qemu:///system⟫ list --all',
      'virsh --connect "⟪qemu+ssh://root@h/system⟫" dominfo vm',
      "virsh --connect='⟪test:///default⟫' list",
      'virsh --readonly -c ⟪anything⟫ list',
      'virt-install --connect ⟪qemu:///session⟫ -c /tmp/boot.iso --name vm',
      'virt-viewer -c ⟪qemu+tls://h/system⟫ vm',
      'sudo -u root /usr/bin/virsh -c ⟪lxc:///⟫ list',
      'virt-v2v -ic ⟪vpx://vcenter/dc/cluster/esxi?no_verify=1⟫ -o local',
      'virsh connect ⟪xen:///system⟫',
      'virt-admin -c virtqemud:///system srv-list',
    ].join('\n'));
  });

  it('knows LIBVIRT_DEFAULT_URI assignments', () => {
    check('shellscript', [
      'LIBVIRT_DEFAULT_URI=⟪qemu:///system⟫ virsh list',
      'export LIBVIRT_DEFAULT_URI="⟪qemu+ssh://h/system⟫"',
      'env LIBVIRT_DEFAULT_URI=⟪⟫ virsh list',
      "declare -x VIRSH_DEFAULT_CONNECT_URI='⟪test:///default⟫'",
      'OTHER=⟦qemu:///session⟧',
    ].join('\n'));
  });

  it('skips comments and ordinary URLs (expansions: templates.test.ts)', () => {
    check('shellscript', [
      'virsh -c "$URI" list',
      'virsh -c qemu+ssh://$HOST/system list',
      'virsh -c "qemu+ssh://${HOST}/system" list # virsh -c qemu:///system',
      '# export LIBVIRT_DEFAULT_URI=qemu:///system',
      ...ORDINARY_URLS.map((u) => `curl ${u}`),
      'git clone git+ssh://git@example.com/x.git',
      'echo ⟦qemu:///session⟧ "⟦test:///default⟧"',
    ].join('\n'));
  });

  it('looks into command substitutions and heredocs', () => {
    check('shellscript', [
      'name=$(virsh -c ⟪qemu:///system⟫ domname 1)',
      'out="$(virsh --connect ⟪test:///default⟫ list)"',
      'cat <<EOF',
      'connect to ⟦qemu:///session⟧ not qemu+ssh://$HOST/system',
      'EOF',
      "cat <<'EOF'",
      'literal qemu+ssh://$HOST/system',
      'EOF',
      'virsh -c ⟪lxc:///⟫ list',
    ].join('\n'));
  });

  it('yields half-typed values', () => {
    check('shellscript', 'virsh -c "⟪qemu+ssh://root@⟫');
    check('shellscript', 'virsh -c ⟪qemu+⟫');
  });
});

describe('regions: YAML and Ansible', () => {
  for (const languageId of ['yaml', 'ansible']) {
    it(`finds uri under community.libvirt modules (${languageId})`, () => {
      check(languageId, [
        '- hosts: hypervisors',
        '  vars:',
        '    libvirt_uri: "⟪qemu+ssh://root@h/system⟫"',
        '  environment:',
        '    LIBVIRT_DEFAULT_URI: ⟪qemu:///system⟫',
        '  tasks:',
        '    - name: Start',
        '      community.libvirt.virt:',
        '        name: vm',
        '        state: running',
        "        uri: '⟪qemu:///session⟫'  # the user daemon",
        '    - name: Networks',
        '      virt_net:',
        '        command: list_nets',
        '        uri: ⟪test:///default⟫',
        '    - name: Not libvirt',
        '      ansible.builtin.uri:',
        '        url: https://example.com/',
        '        uri: not-libvirt',
        '    - community.libvirt.virt_pool: {command: list_pools, uri: "⟪lxc:///⟫"}',
        '    - community.libvirt.virt: name=vm uri=⟪xen:///system⟫ state=running',
        '    - debug: msg="{{ libvirt_uri }}"',
        '      vars:',
        '        libvirt_uri: "{{ lookup(\'env\', \'URI\') }}"',
        '    - set_fact:',
        '        other: ⟦qemu+tcp://h/system⟧',
      ].join('\n'));
    });
  }

  it('treats uri as libvirt in a libvirt inventory file', () => {
    check('yaml', ['plugin: community.libvirt.libvirt', 'uri: ⟪qemu:///system⟫'].join('\n'));
    check('yaml', ['plugin: other', 'uri: not-libvirt'].join('\n'));
  });

  it('scans shell commands and block scalars', () => {
    check('yaml', [
      '- name: list',
      '  ansible.builtin.command: virsh -c ⟪qemu:///system⟫ list',
      '- name: script',
      '  shell: |',
      '    export LIBVIRT_DEFAULT_URI=⟪test:///default⟫',
      '    virsh list # virsh -c qemu:///system',
      '  register: out',
      'steps:',
      '  - run: >-',
      '      virsh --connect ⟪qemu+ssh://h/system⟫ list',
      'description: |',
      '  Talks to ⟦qemu:///session⟧ by default.',
      '# uri: qemu:///system',
      'url: https://libvirt.org/',
    ].join('\n'));
  });
});

describe('regions: Terraform / HCL', () => {
  for (const languageId of ['terraform', 'hcl']) {
    it(`finds uri inside provider "libvirt" (${languageId})`, () => {
      check(languageId, [
        'terraform {',
        '  required_providers {',
        '    libvirt = { source = "dmacvicar/libvirt" }',
        '  }',
        '}',
        'provider "libvirt" {',
        '  alias = "remote"',
        '  uri   = "⟪qemu+ssh://root@h/system?keyfile=/k&no_tty=1⟫"',
        '}',
        'provider "libvirt" { uri = "⟪qemu:///system⟫" }',
        'provider "other" {',
        '  uri = "not-libvirt"',
        '}',
        'resource "libvirt_domain" "vm" {',
        '  name = "vm-${var.n}"',
        '  uri  = "plain"',
        '  desc = "⟦test:///default⟧"',
        '}',
        '# uri = "qemu:///system"',
        '// "qemu:///system"',
        '/* "qemu:///system" */',
        'provider "libvirt" {',
        '  uri = "qemu+ssh://${var.host}/system"',
        '}',
      ].join('\n'));
    });
  }

  it('scans heredocs as prose (their templates: templates.test.ts)', () => {
    check('terraform', [
      'locals {',
      '  doc = <<-EOT',
      '    see ⟦qemu:///system⟧ and qemu+ssh://${var.h}/system',
      '  EOT',
      '}',
      'provider "libvirt" {',
      '  uri = "⟪qemu:///session⟫"',
      '}',
    ].join('\n'));
  });
});

describe('regions: libvirt.conf', () => {
  it('finds uri_default and each uri_aliases entry', () => {
    const src = [
      '# uri_default = "qemu:///session"',
      'uri_default = "qemu:///system"',
      'uri_aliases = [',
      '  "hail=qemu+ssh://root@hail.cloud.example.com/system",  # first',
      '  # "commented=qemu:///system",',
      "  'sleet=qemu+ssh://root@sleet.cloud.example.com/system',",
      '  "broken entry",',
      ']',
      'remote_mode = "legacy"',
      'other = "test:///default"',
      'uri_default = "qemu+ss',
    ].join('\n');
    const found = candidates(src, 'libvirt-conf').map((c) => [c.text, c.libvirtContext, c.kind]);
    assert.deepEqual(found, [
      ['qemu:///system', true, 'uri'],
      ['hail=qemu+ssh://root@hail.cloud.example.com/system', true, 'alias-entry'],
      ['sleet=qemu+ssh://root@sleet.cloud.example.com/system', true, 'alias-entry'],
      ['broken entry', true, 'alias-entry'],
      ['test:///default', false, 'uri'],
      ['qemu+ss', true, 'uri'],
    ]);
    const hail = findUriCandidates(src, 'libvirt-conf')[1];
    assert.equal(hail.offset, src.indexOf('hail='));
  });

  it('handles a one-line alias list', () => {
    const src = 'uri_aliases = ["a=qemu:///system","b=test:///default"]';
    assert.deepEqual(candidates(src, 'libvirt-conf').map((c) => [c.text, c.kind]), [
      ['a=qemu:///system', 'alias-entry'],
      ['b=test:///default', 'alias-entry'],
    ]);
  });
});

describe('regions: Markdown', () => {
  it('scans prose, inline code and fenced blocks with the fence language', () => {
    check('markdown', [
      '# Connecting',
      'Use `⟦qemu:///system⟧` or [the session](⟦qemu:///session⟧), not https://libvirt.org/.',
      'Remote: **⟦qemu+ssh://root@h/system⟧**.',
      '<!-- qemu:///hidden -->',
      '```python',
      'conn = libvirt.open("⟪test:///default⟫")  # qemu:///comment',
      '```',
      '```console',
      '$ virsh -c ⟪lxc:///⟫ list',
      '[root@h ~]# virsh --connect ⟪xen:///system⟫ list',
      ' Id   Name   State — from ⟦vbox:///session⟧',
      '```',
      '~~~bash',
      '$ export LIBVIRT_DEFAULT_URI=⟪qemu+tcp://h/system⟫',
      '~~~',
      '```',
      'untyped ⟦test+ssh://h/default⟧',
      '```',
    ].join('\n'));
  });

  it('treats an unclosed fence as running to the end', () => {
    check('markdown', 'text\n```sh\nvirsh -c ⟪qemu:///system⟫');
  });
});

describe('regions: plain text', () => {
  it('finds driver-scheme URIs between delimiters and drops trailing punctuation', () => {
    check('plaintext', [
      'Connect with ⟦qemu:///system⟧, ⟦qemu+ssh://root@h/system?keyfile=/k&no_tty=1⟧.',
      '"⟦test:///default⟧" (lxc:///) [⟦xen:///system⟧] `⟦vbox:///session⟧`',
      ...ORDINARY_URLS,
      'foo://bar x-qemu://nope https://h/?u=⟦qemu:///system⟧',
    ].join('\n'));
  });

  it('ignores unknown language ids', () => {
    none('cobol', 'qemu:///system');
  });
});

describe('regions: suppression markers', () => {
  const cases: [string, string, number][] = [
    ['python', 'x = 1\ny = "qemu+tcp://h/system"  # virt-uri-disable-line plain-tcp', 1],
    ['c', '/* virt-uri-disable-next-line plain-tcp */\nconst char *u = "qemu+tcp://h/system";', 1],
    ['cpp', '// virt-uri-disable-next-line plain-tcp\nauto u = "qemu+tcp://h/system";', 1],
    ['go', 'u := "qemu+tcp://h/system" // virt-uri-disable-line plain-tcp', 0],
    ['rust', '/* virt-uri-disable-next-line plain-tcp */\nlet u = "qemu+tcp://h/system";', 1],
    ['javascript', 'const u = "qemu+tcp://h/system"; // virt-uri-disable-line plain-tcp', 0],
    ['java', '// virt-uri-disable-next-line plain-tcp\nString u = "qemu+tcp://h/system";', 1],
    ['ruby', 'u = "qemu+tcp://h/system" # virt-uri-disable-line plain-tcp', 0],
    ['shellscript', '# virt-uri-disable-next-line plain-tcp\nvirsh -c qemu+tcp://h/system list', 1],
    ['yaml', 'uri: qemu+tcp://h/system  # virt-uri-disable-line plain-tcp', 0],
    ['terraform', '# virt-uri-disable-next-line plain-tcp\nprovider "libvirt" { uri = "qemu+tcp://h/system" }', 1],
    ['libvirt-conf', '# virt-uri-disable-next-line plain-tcp\nuri_default = "qemu+tcp://h/system"', 1],
    ['markdown', '<!-- virt-uri-disable-next-line plain-tcp -->\nqemu+tcp://h/system', 1],
    ['plaintext', 'qemu+tcp://h/system virt-uri-disable-line plain-tcp', 0],
  ];
  for (const [languageId, text, line] of cases) {
    it(`reads markers in ${languageId} comments`, () => {
      assert.deepEqual(findSuppressions(text, languageId), [{ line, codes: ['plain-tcp'] }]);
    });
  }

  it('parses several codes, no codes, and several markers', () => {
    const text = [
      'a = 1  # virt-uri-disable-line',
      '# virt-uri-disable-next-line plain-tcp, no-verify  unknown-transport',
      'b = 2',
      '# virt-uri-disable-line: no-verify',
    ].join('\n');
    assert.deepEqual(findSuppressions(text, 'python'), [
      { line: 0, codes: [] },
      { line: 2, codes: ['plain-tcp', 'no-verify', 'unknown-transport'] },
      { line: 3, codes: ['no-verify'] },
    ]);
  });

  it('ignores markers outside comments and look-alike words', () => {
    assert.deepEqual(findSuppressions('x = "virt-uri-disable-line"\ny = 1 # my-virt-uri-disable-line', 'python'), []);
    assert.deepEqual(findSuppressions('# virt-uri-disable-lines', 'shellscript'), []);
    assert.deepEqual(findSuppressions('const s = "// virt-uri-disable-line";', 'javascript'), []);
    assert.deepEqual(findSuppressions('virt-uri-disable-line', 'markdown'), []);
    assert.deepEqual(findSuppressions('# virt-uri-disable-line', 'cobol'), []);
  });

  it('counts lines across CRLF and block comments', () => {
    const text = 'a = 1\r\nb = 2\r\n"""\r\n"""\r\n# virt-uri-disable-next-line\r\nc = "qemu:///system"';
    assert.deepEqual(findSuppressions(text, 'python'), [{ line: 5, codes: [] }]);
    assert.deepEqual(findSuppressions('/*\n * x\n * virt-uri-disable-line a\n */', 'c'), [{ line: 2, codes: ['a'] }]);
  });

  it('reads markers inside fenced code of Markdown', () => {
    const text = '```python\nx = 1\nu = "qemu+tcp://h/system"  # virt-uri-disable-line plain-tcp\n```';
    assert.deepEqual(findSuppressions(text, 'markdown'), [{ line: 2, codes: ['plain-tcp'] }]);
  });
});

describe('regions: languageIdForPath', () => {
  const cases: [string, string | undefined][] = [
    ['a/b/x.py', 'python'], ['x.c', 'c'], ['x.h', 'c'], ['x.cc', 'cpp'], ['x.cpp', 'cpp'], ['x.hpp', 'cpp'], ['x.go', 'go'],
    ['x.rs', 'rust'], ['x.js', 'javascript'], ['x.mjs', 'javascript'], ['x.cjs', 'javascript'], ['x.ts', 'typescript'],
    ['x.jsx', 'javascriptreact'], ['x.tsx', 'typescriptreact'], ['x.java', 'java'], ['x.rb', 'ruby'], ['proj/Vagrantfile', 'ruby'],
    ['x.sh', 'shellscript'], ['x.bash', 'shellscript'], ['x.zsh', 'shellscript'], ['x.yml', 'yaml'], ['x.YAML', 'yaml'],
    ['x.tf', 'terraform'], ['x.hcl', 'terraform'], ['/etc/libvirt/libvirt.conf', 'libvirt-conf'], ['C:\\x\\libvirt.conf', 'libvirt-conf'],
    ['README.md', 'markdown'], ['notes.txt', 'plaintext'], ['x.png', undefined], ['Makefile', undefined], ['.bashrc', undefined],
  ];
  for (const [path, id] of cases) {
    it(`${path} → ${String(id)}`, () => assert.equal(languageIdForPath(path), id));
  }

  it('uses the #! line of files without an extension', () => {
    assert.equal(languageIdForPath('bin/start-vms', '#!/bin/bash'), 'shellscript');
    assert.equal(languageIdForPath('bin/tool', '#!/usr/bin/env python3'), 'python');
    assert.equal(languageIdForPath('bin/tool', '#!/usr/bin/perl'), undefined);
    assert.equal(languageIdForPath('bin/tool', 'echo hi'), undefined);
  });
});

describe('regions: RegionCache', () => {
  it('rescans only when the version (or language) changes', () => {
    let text = 'c = libvirt.open("qemu:///system")  # virt-uri-disable-line';
    let reads = 0;
    const doc = { uri: 'file:///a.py', version: 1, languageId: 'python', getText: () => (reads++, text) };
    const cache = new RegionCache();
    const first = cache.get(doc);
    assert.equal(first.length, 1);
    assert.equal(cache.get(doc), first);
    assert.deepEqual(cache.suppressions(doc), [{ line: 0, codes: [] }]);
    assert.equal(reads, 1);
    text = 'c = libvirt.open("test:///default")';
    doc.version = 2;
    assert.equal(cache.get(doc)[0].text, 'test:///default');
    assert.deepEqual(cache.suppressions(doc), []);
    assert.equal(reads, 2);
    doc.languageId = 'plaintext';
    assert.equal(cache.get(doc)[0].libvirtContext, false);
    cache.delete(doc.uri);
    cache.get(doc);
    assert.equal(reads, 4);
  });
});

describe('regions: linear work on hostile input', () => {
  // Each input at scale 1 and 2: linear scanning does twice the work on twice the text, a
  // quadratic one four times. Work is counted (test/helpers/work.ts), not timed.
  const hostile: [string, (k: number) => string][] = [
    ['python', (k) => '"'.repeat(100_000 * k)],
    ['python', (k) => "'qemu+ssh://".repeat(25_000 * k)],
    ['c', (k) => '/*'.repeat(50_000 * k)],
    ['c', (k) => '/**/'.repeat(25_000 * k) + '// virt-uri-disable-line\n'],
    ['javascript', (k) => '`${'.repeat(25_000 * k)],
    ['ruby', (k) => '"#{'.repeat(25_000 * k) + '<<~EOS\n'.repeat(5_000 * k)],
    ['rust', (k) => "r#'".repeat(50_000 * k)],
    ['shellscript', (k) => '$('.repeat(25_000 * k) + '<<EOF\n'.repeat(5_000 * k)],
    ['yaml', (k) => '- '.repeat(50_000 * k) + '\n' + 'a:\n '.repeat(25_000 * k)],
    ['terraform', (k) => 'provider "libvirt" {'.repeat(10_000 * k)],
    ['libvirt-conf', (k) => 'uri_aliases = ["'.repeat(25_000 * k)],
    ['markdown', (k) => '```\n'.repeat(25_000 * k) + '<!--'.repeat(25_000 * k)],
    ['plaintext', (k) => 'qemu:'.repeat(50_000 * k) + '://'.repeat(50_000 * k)],
    ['shellscript', (k) => `virsh -c "qemu+ssh://h/system?${'&='.repeat(50_000 * k)}" list\n`],
    // A bare API name makes the scanner read the file's imports of the binding.
    ['python', (k) => 'from libvirt import ('.repeat(10_000 * k) + '\nopenAuth("x")'],
    ['javascript', (k) => 'const {'.repeat(25_000 * k) + '\nnew Hypervisor("x")'],
    ['go', (k) => ' a'.repeat(50_000 * k) + '\nl.ConnectToURI("x")'],
    ['rust', (k) => 'use virt::'.repeat(20_000 * k) + '\nConnect::open("x")'],
    // Chains of joined literals.
    ['python', (k) => '"a" '.repeat(50_000 * k)],
    ['java', (k) => '"a" + x + '.repeat(25_000 * k)],
    ['c', (k) => '"a" M '.repeat(25_000 * k)],
    ['python', (k) => "'qemu+sshhhhhhhhhh".repeat(10_000 * k)],
    ['plaintext', (k) => 'qemu://h@$(a "'.repeat(10_000 * k) + 'qemu://h/`a'.repeat(10_000 * k) + 'qemu://u@h:p'.repeat(10_000 * k)],
    ['python', (k) => `u = "qemu://%s${'%(a'.repeat(25_000 * k)}${'%-'.repeat(25_000 * k)}${'…'.repeat(25_000 * k)}"`],
    ['markdown', (k) => `qemu+ssh://h:${'port'.repeat(25_000 * k)} qemu+ssh://$(${'('.repeat(25_000 * k)}`],
  ];
  const work = (languageId: string, text: string): number => countStringWork(() => {
    findUriCandidates(text, languageId);
    findSuppressions(text, languageId);
  });
  for (const [languageId, make] of hostile) {
    it(`${languageId}: ${JSON.stringify(make(1).slice(0, 12))}…`, () => {
      const once = work(languageId, make(1));
      const twice = work(languageId, make(2));
      assert.ok(twice / once < 2.5, `${once} → ${twice} steps for twice the text`);
    });
  }

  it('the count tells a quadratic scan from a linear one', () => {
    const quadratic = (text: string) => countStringWork(() => {
      for (let i = 0; i < text.length; i++) text.indexOf('\n', i);
    });
    assert.ok(quadratic('x'.repeat(4_000)) / quadratic('x'.repeat(2_000)) > 3.5);
  });
});
