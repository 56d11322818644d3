import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DIAGNOSTIC_CODES, validateAliasEntry, validateUri } from '../../server/src/languageservice/services/validation';
import { markedRange } from '../helpers/caret';

const ctx = { libvirtContext: true };
const codes = (uri: string, options = ctx) => validateUri(uri, options).map((d) => d.code);

/** Asserts exactly one diagnostic with `code`, on the range marked with two `‸`. */
function expectOne(marked: string, code: string, message?: string | RegExp, options = ctx): void {
  const { text, start, end } = markedRange(marked);
  const found = validateUri(text, options).filter((d) => d.code === code);
  assert.equal(found.length, 1, `${text}: expected one ${code}, got ${JSON.stringify(validateUri(text, options))}`);
  assert.deepEqual([found[0].start, found[0].end], [start, end], `${text}: range of ${code}`);
  assert.equal(found[0].severity, DIAGNOSTIC_CODES[found[0].code]);
  if (typeof message === 'string') assert.equal(found[0].message, message);
  else if (message) assert.match(found[0].message, message);
}

/** What the first diagnostic's fixes change the URI to. */
function fixedTo(uri: string): string[] | undefined {
  return validateUri(uri, ctx)[0].fixes?.map((f) => ('to' in f ? f.to : f.kind));
}

function expectClean(uri: string, options = ctx): void {
  assert.deepEqual(validateUri(uri, options), [], uri);
}

describe('valid URIs produce nothing', () => {
  for (const uri of [
    'qemu:///system', 'qemu:///session', 'qemu+unix:///system', 'qemu+ssh://root@host:2222/system?keyfile=/k&no_tty=1',
    'qemu+tls://host2/system', 'xen+ssh://root@node.example.com/', 'qemu://node.example.com/system', 'test:///default',
    'qemu+unix:///system?socket=/opt/libvirt/run/libvirt/libvirt-sock', 'lxc:///', 'lxc:///system', 'xen:///system',
    'qemu+libssh2://h/system?known_hosts=/k&known_hosts_verify=auto&sshauth=privkey,agent', 'qemu+ext:///system?command=/bin/helper',
    'vbox:///session', 'network:///system', 'network:///session', 'nwfilter:///system', 'openvz:///system',
    'vmwareplayer:///session', 'esx://root@esx.example.com/?no_verify=0', 'vpx://admin@vc/dc1/cluster1', 'remote://host/',
    'qemu+SSH://h/system', 'qemu:///embed?root=/var/tmp/q', 'secret:///embed?root=/r', 'xen://', 'xen',
    'qemu+ssh://h/system?mode=legacy&proxy=netcat&netcat=/bin/nc', 'qemu+tls://h/system?pkipath=/etc/pki/x&tls_priority=NORMAL',
    'qemu:///system?mode=direct', 'test+unix:///default?socket=/tmp/s', 'test:///tmp/host.xml', 'qemu+tls://[::1]:16514/system',
  ]) {
    it(uri, () => expectClean(uri));
  }
});

describe('not ours outside libvirt context', () => {
  const outside = { libvirtContext: false };
  it('schemes other software uses, passwords, a bare scheme', () => {
    for (const uri of ['secret://vault/path', 'storage://bucket/key', 'network://eth0', 'interface://x', 'ch://user:pw@clickhouse:9000/db',
      'qemu+ssh://u:pw@h/sytem', 'test://fixture', 'qemu+ssh://', 'remote://origin/x']) expectClean(uri, outside);
    assert.deepEqual(codes('network:///sytem', outside), ['wrong-path']);
    assert.deepEqual(codes('qemu+tcp://h', outside), ['plain-tcp', 'wrong-path']);
    assert.deepEqual(codes('network+ssh://h/sytem', outside), ['wrong-path']);
    assert.deepEqual(codes('qemu+ssh://', ctx), ['wrong-path']);
  });
  for (const uri of ['https://example.com/a b', 'git+ssh://git@github.com/x.git', 'postgres://u@h/db', 'file:///etc/hosts', 'redis://h:6379', 'foo', 'qemu']) {
    it(uri, () => expectClean(uri, { libvirtContext: false }));
  }
  it('a libvirt driver scheme is validated even outside context', () => {
    assert.deepEqual(codes('qemu+shh:///system', { libvirtContext: false }), ['unknown-transport']);
  });
});

describe('syntax (libxml2 refuses the URI)', () => {
  it('space in the path', () => expectOne('qemu:///sys‸ ‸tem', 'uri-syntax', /^internal error: Unable to parse URI qemu:\/\/\/sys tem — a space is not allowed in the path/));
  it('non-ASCII character', () => expectOne('qemu:///sys‸é‸', 'uri-syntax', /write %C3%A9/));
  it('bad % escape', () => expectOne('qemu:///system?a=‸%‸zz', 'bad-escape'));
  it('truncated % escape', () => expectOne('qemu:///system?a=‸%4‸', 'bad-escape'));
  it('valid escapes are fine, and libvirt compares the decoded path', () => expectClean('qemu:///sys%74em?socket=%2Ftmp%2Fsock'));
  it('non-numeric port', () => expectOne('qemu+tcp://h:‸1a‸/system', 'uri-syntax'));
  it('empty port', () => expectOne('qemu+tcp://h‸:‸/system', 'uri-syntax', /followed by a port number/));
  it('scheme starting with a digit', () => expectOne('‸1‸qemu:///system', 'uri-syntax'));
  it('underscore in the scheme', () => expectOne('qe‸_‸mu:///system', 'uri-syntax'));
  it('unterminated IPv6 bracket', () => expectOne('qemu+tcp://‸[::1‸/system', 'uri-syntax'));
  it('stops at syntax errors', () => assert.deepEqual(codes('qemu+foo:///sys tem'), ['uri-syntax']));
});

describe('driver and alias', () => {
  it('unknown driver in libvirt context', () => expectOne('‸foo‸:///system', 'unknown-driver', /^no connection driver available for foo:\/\/\/system/));
  it("an unknown driver is the daemon's to refuse: in the URI it is handed, or not at all with name=", () => {
    // Checked against a private libvirtd (virsh -c 'foo+unix:///x/y?socket=…&a=b': "no connection driver available for foo:///x/y?a=b").
    expectOne('‸foo‸://bar/', 'unknown-driver', /^no connection driver available for foo:\/\/\/ — 'foo' is not a libvirt driver$/);
    expectOne('‸foo‸+unix:///x/y?socket=/s&a=b', 'unknown-driver', /^no connection driver available for foo:\/\/\/x\/y\?a=b — /);
    expectOne('‸QEMU‸+ssh://h/system?keyfile=/k', 'unknown-driver', /^no connection driver available for QEMU:\/\/\/system — 'QEMU' is not a libvirt driver \(driver names are case-sensitive: 'qemu'\)$/);
    // The daemon opens name= instead: the scheme's driver does not matter, name= does.
    expectClean('foo+unix:///?socket=/s&name=test:///default');
    expectClean('foo:///?NAME=');
    expectOne('foo+ssh://h/?name=qemu://‸/nope‸', 'wrong-path', /^internal error: unexpected qemu URI path '\/nope', try qemu:\/\/\/system — in name=/);
  });
  it('case-sensitive driver names, with a suggestion', () => {
    expectOne('‸QEMU‸:///system', 'unknown-driver', /case-sensitive: 'qemu'/);
    assert.deepEqual(fixedTo('QEMU:///system'), ['qemu']);
  });
  it('misspelt driver gets suggestions', () => assert.deepEqual(fixedTo('qmeu:///system'), ['qemu']));
  it('no driver name', () => expectOne('‸/var/run/sock‸', 'missing-driver', "no connection driver available for URI '/var/run/sock' does not include a driver name"));
  it('bare word that is not a known alias', () => expectOne('‸prod‸', 'unknown-alias', /^no connection driver available for URI 'prod' does not include a driver name/));
  it('known alias resolves', () => expectClean('prod', { libvirtContext: true, aliases: new Map([['prod', 'qemu+ssh://root@p/system']]) } as never));
  it('aliases are case-sensitive', () => assert.deepEqual(codes('PROD', { libvirtContext: true, aliases: new Map([['prod', 'x']]) } as never), ['unknown-alias']));
  it('empty string is the default URI', () => expectClean(''));
  it('a schemeless string that libxml2 cannot parse is a syntax error', () => {
    expectOne('‸ ‸qemu:///system', 'uri-syntax', /^internal error: Unable to parse URI {2}qemu:\/\/\/system/);
    expectOne('‸:‸//system', 'uri-syntax');
  });
  it('built-without check ignores case, as libvirt does', () => expectOne('‸HYPERV‸://h/', 'driver-not-built', /without the 'HYPERV' driver/));
  it('driver not built in Debian 12', () => {
    expectOne('‸hyperv‸://h/', 'driver-not-built', /^unsupported configuration: libvirt was built without the 'hyperv' driver/);
    expectOne('‸parallels‸:///system', 'driver-not-built');
  });
  it('daemon drivers Debian 12 has none of: the daemon answers', () => {
    for (const d of ['vz', 'ch', 'bhyve']) expectOne(`‸${d}‸:///system`, 'driver-not-built', new RegExp(`^no connection driver available for ${d}:///system — Debian 12's`));
    expectOne('‸ch‸+ssh://h/anything', 'driver-not-built');
  });
});

describe('transport', () => {
  it('unknown transport, libvirt text', () => expectOne('qemu+‸foo‸:///system', 'unknown-transport',
    'invalid argument: remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)'));
  it('empty transport', () => expectOne('‸qemu+‸:///system', 'unknown-transport'));
  it('suggests a near transport', () => assert.deepEqual(fixedTo('qemu+shh://h/system'), ['ssh']));
  it('transport case is ignored', () => expectClean('qemu+LibSSH2://h/system'));
  it('unix with a host', () => expectOne('qemu+unix://‸host‸/system', 'unix-with-host', "invalid argument: using unix socket and remote server 'host' is not supported."));
  it('ext without command', () => expectOne('qemu+‸ext‸:///system', 'ext-without-command', "invalid argument: remote_open: for 'ext' transport, command is required"));
  it('plain tcp warns', () => expectOne('qemu+‸tcp‸://h/system', 'plain-tcp'));
  it('transport on a client-side driver', () => expectOne('openvz+‸ssh‸://h/system', 'transport-on-client-driver'));
  it('name= keeps the server', () => assert.deepEqual(codes('esx+tls://h/?name=esx://h2/'), []));
  it('esx with a transport reaches a daemon without its host', () => expectOne('esx+‸tls‸://h/', 'missing-server', /^invalid argument: URI is missing the server part — /));
  it('test+tcp is a normal daemon URI', () => assert.deepEqual(codes('test+tcp://node.example.com:5000/default'), ['plain-tcp']));
  it('user name ignored by tls', () => expectOne('qemu://‸bob‸@h/system', 'user-ignored'));
  it('user name used by ssh', () => expectClean('qemu+ssh://bob@h/system'));
});

describe('paths', () => {
  it('qemu wrong path, libvirt text', () => expectOne('qemu://‸/foo‸', 'wrong-path', "internal error: unexpected qemu URI path '/foo', try qemu:///system"));
  it('qemu path on a remote URI', () => expectOne('qemu+ssh://h‸/sytem‸', 'wrong-path'));
  it('qemu with no path at all points at the authority', () => expectOne('qemu+ssh://‸h‸', 'wrong-path', /path '', try/));
  it('trailing slash is a different path', () => expectOne('qemu://‸/system/‸', 'wrong-path'));
  it('maybe you want', () => {
    expectOne('qemu://‸system‸', 'maybe-you-want', 'internal error: invalid URI qemu://system (maybe you want qemu:///system)');
    expectOne('vbox://‸session‸/', 'maybe-you-want');
    assert.deepEqual(fixedTo('qemu://system'), ['qemu:///system']);
  });
  it('opaque qemu:system reaches the daemon as qemu://system', () =>
    expectOne('qemu:‸system‸', 'maybe-you-want', /^internal error: invalid URI qemu:system \(maybe you want qemu:\/\/\/system\) — libvirt sends qemu:system to the daemon as qemu:\/\/system/));
  it('other opaque paths name a host', () => expectOne('network:‸foo‸', 'wrong-path', /network:\/\/foo/));
  it('lxc://system is not the maybe-you-want case', () => assert.ok(!codes('lxc://system').includes('maybe-you-want')));
  it('lxc path', () => expectOne('lxc://‸/session‸', 'wrong-path', "internal error: Unexpected LXC URI path '/session', try lxc:///system"));
  it('nwfilter only /system', () => expectOne('nwfilter://‸/session‸', 'wrong-path'));
  it('test driver needs a path', () => {
    expectOne('test://‸/‸', 'wrong-path', 'invalid argument: testOpen: supply a path or use test:///default');
    expectOne('‸test‸:', 'wrong-path');
  });
  it('openvz and vmware', () => {
    expectOne('openvz://‸/foo‸', 'wrong-path', "internal error: unexpected OpenVZ URI path '/foo', try openvz:///system");
    expectOne('vmwareplayer://‸/system‸', 'wrong-path', /try vmwareplayer:\/\/\/session, vmwarews/);
  });
  it('esx needs a server', () => expectOne('esx://‸‸/', 'missing-server', 'invalid argument: URI is missing the server part'));
  it('vpx needs datacenter and compute resource', () => {
    expectOne('vpx://h‸/‸', 'wrong-path', 'invalid argument: Path has to specify the datacenter and compute resource');
    // No path at all gets past the open's check; vCenter's lookup refuses it once logged in.
    expectOne('vpx://‸h‸', 'wrong-path', "invalid argument: Path '' does not specify a datacenter — after asking for the login and connecting to vCenter");
  });
  it('vpx path beyond the datacenter is for vCenter to judge', () => expectClean('vpx://h/dc1'));
});

describe('embed', () => {
  it('missing root', () => expectOne('qemu://‸/embed‸', 'embed-invalid', "invalid argument: Missing URI parameter 'root'"));
  it('root matched case-sensitively in 9.0.0', () => expectOne('qemu:///embed?‸ROOT‸=/x', 'embed-invalid', /case-sensitively/));
  it('relative root', () => expectOne('qemu:///embed?root=‸rel‸', 'embed-invalid', 'unsupported configuration: root path must be absolute'));
  it('transport not allowed', () => expectOne('‸qemu+ssh‸://h/embed?root=/x', 'embed-invalid', /URI scheme 'qemu\+ssh' for embedded driver is not valid/));
  it('non-embeddable driver', () => {
    expectOne('‸lxc‸:///embed?root=/x', 'embed-invalid', /^no connection driver available for lxc:\/\/\/embed\?root=\/x — only the qemu and secret/);
    expectOne('‸network‸:///embed?root=/x', 'embed-invalid', /^invalid argument: Driver does not support embedded mode/);
  });
});

describe('remote parameters', () => {
  it('non-integer boolean, libvirt text with the name as written', () =>
    expectOne('qemu+ssh://h/system?NO_TTY=‸yes‸', 'bad-boolean', /^invalid argument: Failed to parse value of URI component NO_TTY/));
  it('empty boolean', () => expectOne('qemu+tls://h/system?no_verify=‸‸', 'bad-boolean'));
  it('integer booleans are fine', () => expectClean('qemu+ssh://h/system?no_tty=-1'));
  it('mode value, case-sensitive', () => expectOne('qemu:///system?mode=‸Legacy‸', 'bad-parameter-value', "invalid argument: Unknown remote mode 'Legacy'"));
  it('proxy value is checked on every transport', () => expectOne('qemu:///system?proxy=‸bogus‸', 'bad-parameter-value', "invalid argument: Unnkown proxy type 'bogus'"));
  it('known_hosts_verify value (libssh)', () => expectOne('qemu+libssh://h/system?known_hosts_verify=‸x‸', 'bad-parameter-value', "invalid argument: Invalid host key verification method: 'x'"));
  it('sshauth item (libssh2)', () => expectOne('qemu+libssh2://h/system?sshauth=‸agent,foo‸', 'bad-parameter-value', "invalid argument: Invalid authentication method: 'foo'"));
  it('empty sshauth keeps the default; an empty item is refused', () => {
    expectClean('qemu+libssh://h/system?sshauth=');
    expectOne('qemu+libssh://h/system?sshauth=‸agent,‸', 'bad-parameter-value', "invalid argument: Invalid authentication method: ''");
  });
  it('sshauth is not checked where it is ignored', () => assert.deepEqual(codes('qemu+ssh://h/system?sshauth=foo'), ['parameter-ignored']));
  it('auth value', () => expectOne('qemu:///system?auth=‸bogus‸', 'bad-parameter-value', /unknown authentication type bogus/));
  it('auth=sasl.MECH is fine', () => expectClean('qemu+tls://h/system?auth=sasl.gssapi'));
  it('netcat with proxy=native on ssh', () => expectOne('qemu+ssh://h/system?‸netcat=nc‸&proxy=native', 'netcat-with-native-proxy', 'invalid argument: netcat path not valid with native proxy mode'));
  it('netcat with proxy=native is ignored on tcp', () => assert.ok(!codes('qemu+tcp://h/system?netcat=nc&proxy=native').includes('netcat-with-native-proxy')));
  it('mode=direct over ssh', () => expectOne('qemu+libssh://h/system?mode=‸direct‸', 'direct-mode-over-ssh', 'Operation not supported: Cannot use direct socket mode for libssh transport'));
  it('parameter ignored by the transport', () => expectOne('qemu+ssh://h/system?‸known_hosts‸=/k', 'parameter-ignored', /ignored by the ssh transport \(used by libssh, libssh2\)/));
  it('no_verify=1 warns', () => expectOne('qemu+tls://h/system?‸no_verify=1‸', 'no-verify'));
  it('no_verify=0 does not', () => expectClean('qemu+tls://h/system?no_verify=0'));
  it('known_hosts_verify=ignore warns', () => expectOne('qemu+libssh://h/system?‸known_hosts_verify=ignore‸', 'no-verify'));
  it('relative key file', () => expectOne('qemu+ssh://h/system?keyfile=‸id_rsa‸', 'relative-path'));
  it('tilde is not expanded', () => expectOne('qemu+libssh2://h/system?known_hosts=‸~/.ssh/known_hosts‸', 'relative-path', /does not expand '~'/));
  it('duplicate parameter: the earlier one is flagged', () => expectOne('qemu+ssh://h/system?‸no_tty=0‸&no_tty=1', 'duplicate-parameter', /uses the last value \('1'\)/));
  it('duplicates compare names case-insensitively', () => assert.ok(codes('qemu+ssh://h/system?Command=a&command=b').includes('duplicate-parameter')));
  it("mixed ';' and '&'", () => expectOne('qemu+ssh://h/system?‸no_tty=1;keyfile=/k‸&x=1', 'query-separator', /'no_tty' gets the value '1;keyfile=\/k'/));
  it("';' alone splits normally", () => expectClean('qemu+ssh://h/system?no_tty=1;keyfile=/k'));
  it('unknown parameter is information and forwarded', () => expectOne('qemu:///system?‸foo‸=bar', 'unknown-parameter', /passes it through to the daemon/));
  it('misspelt parameter suggests the real one', () => assert.deepEqual(fixedTo('qemu+ssh://h/system?no_ttty=1'), ['no_tty']));
  it('later libvirt parameter is explained', () => expectOne('qemu+ext:///system?command=/x&‸argv‸=a', 'unknown-parameter', /12\.5\.0/));
  it('empty parameter name', () => expectOne('qemu:///system?‸=v‸', 'empty-parameter-name'));
  it('port out of range: libvirt connects elsewhere, a warning', () => {
    expectOne('qemu+tls://h:‸70000‸/system', 'port-out-of-range', /connects to port 4464/);
    assert.equal(DIAGNOSTIC_CODES['port-out-of-range'], 'warning');
  });
  it('empty values libvirt cannot use', () => {
    expectOne('qemu+ext:///system?command=‸‸', 'bad-parameter-value', "Cannot find '' in path: No such file or directory");
    expectOne('qemu+unix:///system?socket=‸‸', 'bad-parameter-value', /^Failed to connect socket to '': Connection refused/);
    expectOne('qemu+libssh://h/system?known_hosts=‸‸', 'bad-parameter-value', /^An error occurred, but the cause is unknown/);
    expectClean('qemu+libssh2://h/system?known_hosts=');
    expectOne('qemu+ssh://h/system?‸keyfile=‸', 'parameter-ignored', /ssh ignores an empty keyfile/);
  });
  it("'~' is expanded by OpenSSH (keyfile) and libssh (known_hosts), by nothing else", () => {
    expectClean('qemu+ssh://h/system?keyfile=~/.ssh/id_ed25519');
    expectClean('qemu+libssh://h/system?known_hosts=~/.ssh/known_hosts');
    expectOne('qemu+libssh://h/system?keyfile=‸~/.ssh/id_ed25519‸', 'relative-path', /the libssh transport does not expand '~' in keyfile/);
    expectOne('qemu+tls://h/system?pkipath=‸~/pki‸', 'relative-path');
  });
  it('name= is the URI the daemon opens: its driver and path, at the value', () => {
    expectOne('qemu+tcp://h/system?name=qemu://‸/sytem‸', 'wrong-path', /^internal error: unexpected qemu URI path '\/sytem', try qemu:\/\/\/system — in name=/);
    expectOne('qemu+ssh://h/?name=‸foo‸:///system', 'unknown-driver', /^no connection driver available for foo:\/\/\/system/);
    expectOne('qemu+ssh://h/?name=‸qemu%3A%2F%2F%2Fsytem‸', 'wrong-path');
    expectOne('qemu+ssh://h/?name=‸qemu:///sys%20tem‸', 'uri-syntax');
    expectClean('qemu+ssh://h/?name=test:///default');
    expectClean('qemu+ssh://h/?name=qemu+ssh://other/sytem');
  });
});

describe('client-side drivers', () => {
  it('test driver ignores parameters', () => expectOne('test:///default?‸no_verify‸=1', 'parameter-ignored'));
  it('esx parameter values', () => {
    expectOne('esx://h/?transport=‸ftp‸', 'bad-parameter-value', "invalid argument: Query parameter 'transport' has unexpected value 'ftp' (should be http|https)");
    expectOne('esx://h/?no_verify=‸2‸', 'bad-parameter-value', /should be 0 or 1/);
    expectOne('esx://h/?proxy=‸gopher://p‸', 'bad-parameter-value', /unexpected type 'gopher'/);
    expectOne('esx://h/?proxy=‸:5‸', 'bad-parameter-value', "invalid argument: Query parameter 'proxy' doesn't contain a hostname");
    expectClean('esx://h/?proxy=socks5://p:1080');
    expectClean('esx://h/?proxy=');
  });
  it('esx unknown parameter is ignored with libvirt text', () => expectOne('esx://h/?‸foo‸=1', 'parameter-ignored', "Ignoring unexpected query parameter 'foo'"));
  it('esx no_verify=1 warns', () => expectOne('esx://h/?‸no_verify=1‸', 'no-verify'));
});

describe('uri_aliases entries', () => {
  it('valid entry', () => assert.deepEqual(validateAliasEntry('hail=qemu+ssh://root@hail.cloud.example.com/system'), []));
  it('no =', () => assert.match(validateAliasEntry('hail')[0].message, /^configuration file syntax error: Malformed 'uri_aliases' config entry 'hail', expected 'alias=uri:\/\/host\/path'/));
  it('bad alias characters', () => assert.deepEqual(validateAliasEntry('ha il=qemu:///system').map((d) => [d.code, d.start, d.end]), [['malformed-alias', 0, 5]]));
  it('URI part validated at its offset', () => assert.deepEqual(validateAliasEntry('h=qemu+foo:///system').map((d) => [d.code, d.start, d.end]), [['unknown-transport', 7, 10]]));
});
