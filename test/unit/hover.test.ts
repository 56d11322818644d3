// Hover: the card over any part of a URI, its range, and the effective values it states. The
// values themselves are checked against the real libvirt in test/crosscheck/effective.test.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { MarkupContent } from 'vscode-languageserver-types';
import { getLanguageService } from '../../server/src/languageservice/languageService';
import { remoteEffect, webEffect } from '../../server/src/languageservice/services/hover';
import { markers } from '../helpers/caret';

const ALIASES = new Map([['lab', 'qemu+ssh://root@lab.example.com/system']]);

/** Hovers at the caret `‸` of `marked`: the card's markdown and the text its range covers, or null. */
function hover(languageId: string, marked: string): { card: string; covers: string } | null {
  const { text, offsets } = markers(marked);
  assert.equal(offsets.length, 1, 'one caret');
  const doc = TextDocument.create(`file:///t.${languageId}`, languageId, 1, text);
  const service = getLanguageService({ aliases: () => ALIASES, aliasSource: (n) => (ALIASES.has(n) ? '/etc/libvirt/libvirt.conf' : undefined) });
  const h = service.doHover(doc, doc.positionAt(offsets[0]));
  if (!h) return null;
  return { card: (h.contents as MarkupContent).value, covers: text.slice(doc.offsetAt(h.range!.start), doc.offsetAt(h.range!.end)) };
}

/** The paragraph of the hovered part, under the title and above the effective values. */
function hoveredLine(card: string): string {
  const first = card.split('\n---\n')[0].split('\n').filter((l) => l !== '');
  return first.length > 1 ? first[1] : '';
}

describe('hover', () => {
  it('covers the part under the caret and marks it with its full doc', () => {
    const cases: [string, string, string][] = [
      ["libvirt.open('qe‸mu+ssh://root@h:2222/system?keyfile=/k')", 'qemu', '**driver** `qemu` — *QEMU/KVM*: QEMU and KVM guests, served by virtqemud (or libvirtd). `/system`'],
      ["libvirt.open('qemu+s‸sh://root@h:2222/system?keyfile=/k')", 'ssh', '**transport** `ssh` — *SSH (ssh binary)*'],
      ["libvirt.open('qemu+ssh://ro‸ot@h:2222/system?keyfile=/k')", 'root', '**user** `root`'],
      ["libvirt.open('qemu+ssh://root@‸h:2222/system?keyfile=/k')", 'h', '**host** `h`'],
      ["libvirt.open('qemu+ssh://root@h:22‸22/system?keyfile=/k')", '2222', '**port** `2222`'],
      ["libvirt.open('qemu+ssh://root@h:2222/sys‸tem?keyfile=/k')", '/system', '**path** `/system`'],
      ["libvirt.open('qemu+ssh://root@h:2222/system?key‸file=/k')", 'keyfile', '**parameter** `keyfile` = `/k` — Private key file'],
      ["libvirt.open('qemu+ssh://root@h:2222/system?keyfile=/‸k')", '/k', '**parameter** `keyfile` = `/k`'],
    ];
    for (const [marked, covers, line] of cases) {
      const h = hover('python', marked);
      assert.ok(h, marked);
      assert.equal(h.covers, covers, marked);
      assert.ok(hoveredLine(h.card).startsWith(line), `${marked}:\n${h.card}`);
      // Listed among the parts too, in bold.
      assert.ok(h.card.split('\n').some((l) => l.startsWith(`- ${line.split(' — ')[0]}`)), `${marked}:\n${h.card}`);
    }
  });

  it('on a delimiter covers the whole URI and marks no part', () => {
    const h = hover('python', "libvirt.open('qemu:/‸//system')");
    assert.ok(h);
    assert.equal(h.covers, 'qemu:///system');
    assert.equal(hoveredLine(h.card), '');
  });

  it('states the effective transport, port and user where the URI is silent', () => {
    const tls = hover('python', "libvirt.open('qemu://‸lab/system')")!.card;
    assert.match(tls, /- \*\*transport\*\* `tls` — none named and a host is given, so tls/);
    assert.match(tls, /- \*\*port\*\* `16514` — the tls default/);
    assert.match(hover('python', "libvirt.open('qemu+tcp://‸lab/system')")!.card, /- \*\*port\*\* `16509` — the tcp default/);
    const libssh = hover('python', "libvirt.open('qemu+libssh2://‸lab/system')")!.card;
    assert.match(libssh, /- \*\*port\*\* `22` — the libssh2 default/);
    assert.match(libssh, /- \*\*user\*\* `root` — libssh2 logs in as root, not as you/);
    const ssh = hover('python', "libvirt.open('qemu+ssh://‸lab/system')")!.card;
    assert.match(ssh, /- \*\*port\*\* ssh's own/);
    assert.match(ssh, /- \*\*user\*\* ssh's own/);
    assert.match(ssh, /- \*\*runs on this machine\*\* `ssh -T -e none -- lab`/);
    assert.ok(ssh.includes("```sh\nsh -c 'which virt-ssh-helper 1>/dev/null 2>&1; if test $? = 0; then     virt-ssh-helper 'qemu:///system'; else"), ssh);
  });

  it('states the UNIX socket for root, a user and read-only opens, by mode', () => {
    const system = hover('python', "libvirt.open('qemu:///sys‸tem')")!.card;
    assert.match(system, /- \*\*socket\*\* `\/var\/run\/libvirt\/virtqemud-sock` if it exists \(virtqemud\), else `\/var\/run\/libvirt\/libvirt-sock` \(libvirtd\)/);
    assert.match(system, /opened read-only .*`\/var\/run\/libvirt\/virtqemud-sock-ro` or `\/var\/run\/libvirt\/libvirt-sock-ro`/);
    const session = hover('python', "libvirt.open('qemu:///ses‸sion')")!.card;
    assert.match(session, /run by a non-root user: `\$XDG_RUNTIME_DIR\/libvirt\/virtqemud-sock` if it exists, else `\$XDG_RUNTIME_DIR\/libvirt\/libvirt-sock`/);
    assert.match(hover('python', "libvirt.open('qemu+unix:///system?mode=dir‸ect')")!.card, /- \*\*socket\*\* `\/var\/run\/libvirt\/virtqemud-sock`\n/);
    assert.match(hover('python', "libvirt.open('qemu+unix:///system?mode=leg‸acy')")!.card, /- \*\*socket\*\* `\/var\/run\/libvirt\/libvirt-sock`\n/);
  });

  it('states the URI the daemon opens: remote-only parameters out, others re-encoded, name= as given', () => {
    assert.match(hover('python', "libvirt.open('qemu+ssh://h/sys‸tem?keyfile=/k&foo=a%20b&no_tty=1#x')")!.card, /the daemon opens\*\* `qemu:\/\/\/system\?foo=a%20b#x`/);
    assert.match(hover('python', "libvirt.open('qemu+ssh://h/sys‸tem?name=xen:///system')")!.card, /the daemon opens\*\* `xen:\/\/\/system` — from `name=`/);
    assert.match(hover('python', "libvirt.open('remote://‸h/')")!.card, /the daemon opens\*\* its own default driver/);
  });

  it('states the tls certificate files for root and a non-root user, or those under pkipath=', () => {
    const tls = hover('python', "libvirt.open('qemu://‸lab/system')")!.card;
    assert.match(tls, /- \*\*certificates\*\* CA certificate `\/etc\/pki\/CA\/cacert\.pem`, client certificate `\/etc\/pki\/libvirt\/clientcert\.pem`, client key `\/etc\/pki\/libvirt\/private\/clientkey\.pem`, revocation list `\/etc\/pki\/CA\/cacrl\.pem` — the CA certificate must exist/);
    assert.match(tls, /\n {2}- run by a non-root user: each of these that exists is used instead \(certificate and key only as a pair\): `~\/\.pki\/libvirt\/cacert\.pem`, `~\/\.pki\/libvirt\/clientcert\.pem`, `~\/\.pki\/libvirt\/clientkey\.pem`, `~\/\.pki\/libvirt\/cacrl\.pem`/);
    const pki = hover('python', "libvirt.open('qemu+tls://lab/system?pki‸path=/p/')")!.card;
    assert.match(pki, /- \*\*certificates\*\* CA certificate `\/p\/\/cacert\.pem`, client certificate `\/p\/\/clientcert\.pem`, client key `\/p\/\/clientkey\.pem`, revocation list `\/p\/\/cacrl\.pem` — from `pkipath=`/);
    assert.doesNotMatch(pki, /run by a non-root user/);
    for (const other of ["libvirt.open('qemu+tcp://‸lab/system')", "libvirt.open('qemu+ssh://‸lab/system?pkipath=/p')", "libvirt.open('qemu:///sys‸tem')"]) {
      assert.doesNotMatch(hover('python', other)!.card, /certificates/, other);
    }
  });

  it('states the protocol and port of the ESX, vCenter, GSX and Hyper-V drivers', () => {
    const esx = hover('python', "libvirt.open('esx://root@‸esx.example.com/')")!.card;
    assert.match(esx, /- \*\*protocol\*\* `https` — no `transport=`, so https\n- \*\*port\*\* `443` — the esx default for https \(with `transport=http`: `80`\)/);
    assert.match(hover('python', "libvirt.open('vpx://vc/dc/c‸r?transport=http')")!.card, /- \*\*protocol\*\* `http` — from `transport=`\n- \*\*port\*\* `80` — the vpx default for http\n/);
    assert.match(hover('python', "libvirt.open('gsx://‸g/')")!.card, /- \*\*port\*\* `8333` — the gsx default for https \(with `transport=http`: `8222`\)/);
    assert.match(hover('python', "libvirt.open('hyperv://‸hv/?transport=http')")!.card, /- \*\*port\*\* `5985` — the hyperv default for http\n/);
    const hyperv = hover('python', "libvirt.open('hyperv://‸hv/')")!.card;
    assert.match(hyperv, /- \*\*refused\*\*: `unsupported configuration: libvirt was built without the 'hyperv' driver` — where libvirt is built with it/);
    assert.match(hyperv, /- \*\*port\*\* `5986` — the hyperv default for https/);
    assert.doesNotMatch(hyperv, /client library\*\*/);
    assert.match(hover('python', "libvirt.open('esx://‸h:8443/')")!.card, /- \*\*port\*\* `8443`\n/);
    // The last transport= wins; its name is case-insensitive, its value is not.
    assert.deepEqual(webEffect('esx://h/?transport=http&TRANSPORT=https'), { protocol: 'https', protocolGiven: true, port: 443, portGiven: false, loginUser: 'root' });
    assert.deepEqual(webEffect('esx://bob@h:0/?Transport=http'), { protocol: 'http', protocolGiven: true, port: 80, portGiven: false });
    for (const refused of ['esx://h/?transport=HTTPS', 'esx:///', 'esx+tls://h/', 'qemu://h/system']) assert.equal(webEffect(refused), undefined, refused);
    assert.doesNotMatch(hover('python', "libvirt.open('esx://‸h/?transport=ftp')")!.card, /\*\*port\*\*/);
  });

  it('says that ESX, vCenter and Hyper-V ask for the login user the URI leaves out, and which one they offer', () => {
    const asked = (user: string) => new RegExp(`- \\*\\*user\\*\\* none in the URI: asked for when connecting \\(unless auth\\.conf answers\\), offering \`${user}\`\n`);
    assert.match(hover('python', "libvirt.open('esx://‸h/')")!.card, asked('root'));
    assert.match(hover('python', "libvirt.open('gsx://‸h/')")!.card, asked('root'));
    assert.match(hover('python', "libvirt.open('vpx://‸vc/dc/c')")!.card, asked('administrator'));
    assert.match(hover('python', "libvirt.open('hyperv://‸hv/')")!.card, asked('administrator'));
    assert.doesNotMatch(hover('python', "libvirt.open('esx://bob@‸h/')")!.card, /\*\*user\*\* none/);
  });

  it('says of an unknown driver that the daemon refuses it, unless name= says what the daemon opens', () => {
    assert.match(hover('python', "libvirt.open('f‸oo+ssh://h/system')")!.card, /Not a libvirt driver: the daemon is asked for it and refuses it\./);
    assert.match(hover('python', "libvirt.open('f‸oo+ssh://h/?name=qemu:///system')")!.card, /Not a libvirt driver, but `name=` says what the daemon opens/);
  });

  it('says which parameters the transport ignores', () => {
    const h = hover('python', "libvirt.open('qemu+tls://h/system?key‸file=/k')")!;
    assert.match(h.card, /\*\*Ignored by the tls transport\*\* \(used by ssh, libssh, libssh2\)/);
    assert.match(hover('python', "libvirt.open('qemu+tcp://bo‸b@h/system')")!.card, /\*\*Not used by the tcp transport\.\*\*/);
  });

  it('explains an alias through its target and names the libvirt.conf it came from', () => {
    const h = hover('python', "libvirt.open('la‸b')")!;
    assert.equal(h.covers, 'lab');
    assert.ok(h.card.startsWith('**uri_aliases** `lab` → `qemu+ssh://root@lab.example.com/system` — from `/etc/libvirt/libvirt.conf`'), h.card);
    assert.match(h.card, /- \*\*user\*\* `root`/);
    assert.equal(hover('python', "libvirt.open('nota‸lias')"), null);
  });

  it('explains the URI of a uri_aliases entry in libvirt.conf', () => {
    const h = hover('libvirt-conf', 'uri_aliases = [\n  "hail=qemu+ssh://root@ha‸il.example.com/system",\n]\n')!;
    assert.equal(h.covers, 'hail.example.com');
    assert.match(h.card, /- \*\*host\*\* `hail\.example\.com`/);
  });

  it('client-library drivers, embedded drivers and templates say what applies', () => {
    assert.match(hover('python', "libvirt.open('test:///def‸ault')")!.card, /\*\*client library\*\*: the test driver runs inside the client library/);
    assert.match(hover('python', "libvirt.open('qemu:///embed?root=/‸x')")!.card, /\*\*embedded\*\*/);
    const template = hover('python', 'libvirt.open(f"qemu+ssh://{host}/sys‸tem")')!;
    assert.equal(template.covers, '/system');
    assert.match(template.card, /computed at run time/);
    assert.doesNotMatch(template.card, /the daemon opens/);
  });

  it('says nothing where the string is not certainly a libvirt URI', () => {
    assert.equal(hover('python', "x = 'https://exa‸mple.com/a'"), null);
    assert.equal(hover('python', "vault = 'secret://va‸ult/path'"), null);
    assert.equal(hover('python', "x = 'plain te‸xt'"), null);
    assert.equal(hover('python', "libvirt.open('qemu:///system')  # a comm‸ent"), null);
  });

  it('the terraform provider reads its own URIs: no libvirt defaults', () => {
    const h = hover('terraform', 'provider "libvirt" {\n  uri = "qemu+ssh://root@h/sys‸tem"\n}\n')!;
    assert.match(h.card, /Read by terraform-provider-libvirt/);
    assert.doesNotMatch(h.card, /the daemon opens/);
  });

  it('gives no effective values for what libvirt refuses', () => {
    for (const uri of ['qemu+ssh://h/system?mode=direct', 'qemu+ssh://h/system?proxy=native&netcat=nc', 'qemu+ext:///system', 'qemu+bogus://h/system', 'qemu:///sys tem']) {
      assert.equal(remoteEffect(uri, { root: true, readOnly: false }), undefined, uri);
    }
  });
});
