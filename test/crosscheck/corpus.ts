// URIs for the libvirt cross-check. Built from ../shared/reference/libvirt-facts.md (§1–§3, §7–§8, §10)
// and from probing virsh 9.0.0. The corpus says nothing about the expected verdict: libvirt decides.
//
// Network safety: every host is loopback (127.0.0.1, [::1], localhost) on a closed port (1 or 2), or the
// URI is refused before anything connects (parse errors, `+unix` with a host, the "maybe you want" check).
// No host-less tcp/tls/ssh URIs either: they default to localhost on libvirt's or ssh's real ports.

export interface CorpusEntry {
  uri: string;
  note?: string;
}

/** Replaced by a fresh private directory at run time (embedded-mode roots). */
export const TMP = '@TMP@';

const H = '127.0.0.1:1';
const H6 = '[::1]:2';
const SSH_FAMILY = ['ssh', 'libssh', 'libssh2'] as const;

function e(uri: string, note?: string): CorpusEntry {
  return note === undefined ? { uri } : { uri, note };
}

const drivers: CorpusEntry[] = [
  e('qemu:///system'), e('qemu:///session'), e('qemu:///foo', 'daemon-side path check'), e('qemu:///'),
  e('qemu://', 'empty path'), e('qemu:', 'opaque, empty path'), e('qemu:system', 'opaque path without slash'),
  e('qemu:///system/', 'trailing slash'), e('qemu:///SYSTEM', 'path is case-sensitive'), e('qemu:///system#frag'),
  e('qemu:///system?foo=bar', 'unknown param is forwarded'),
  e('lxc:///'), e('lxc:///system'), e('lxc:///session', 'refused by every daemon (§10)'), e('lxc:///foo'), e('lxc://'),
  e('xen:///system'), e('xen:///'), e('xen:///foo'), e('xen://', 'rewritten to xen:///system'),
  e('xen', 'bare name rewritten to xen:///system'), e('XEN', 'rewrite is case-insensitive'),
  e('vbox:///session'), e('vbox:///system'), e('vbox:///foo'),
  e('bhyve:///system'), e('bhyve:///foo'),
  e('vz:///system'), e('vz:///foo'), e('vz:///session'),
  e('ch:///system'), e('ch:///session'), e('ch:///anything', 'ch does not check the path'),
  e('openvz:///system', 'needs /proc/vz'), e('openvz:///foo'), e('openvz:///session'), e('openvz:///'),
  e('vmwareplayer:///session', 'needs vmrun'), e('vmwarews:///session'), e('vmwarefusion:///session'),
  e('vmwareplayer:///system'), e('vmwarews:///'), e('vmwarefusion:///foo'),
  e('vmwareplayer+unix:///session', 'transport sends a client driver to the daemon'),
  e('remote:///'), e('remote+unix:///'), e(`remote://${H}/`), e(`remote+tcp://${H}/`), e(`remote+ssh://${H}/`),
  e('remote:///system?foo=bar'),
];

// §2.1: the secondary drivers share the system/session rule; nwfilter is /system only.
for (const d of ['network', 'storage', 'nodedev', 'interface', 'secret', 'nwfilter']) {
  drivers.push(e(`${d}:///system`), e(`${d}:///session`, 'depends on who connects (§10)'), e(`${d}:///foo`));
}

const testDriver: CorpusEntry[] = [
  e('test:///default'), e('test:///'), e('test:'), e('test://'), e('test:default', 'opaque, relative path'),
  e('test:///nonexistent.xml', 'absolute file that does not exist'), e('test:///etc/passwd', 'a file that is not XML'),
  e('test:///default/', 'trailing slash makes it a file name'), e('test:///Default'), e('test:///default?foo=bar'),
  e('test:///default#frag'), e('test+unix:///default'), e('test+unix:///'), e(`test+tcp://${H}/default`),
  e(`test://${H}/default`, 'local-only driver: a host sends it to the remote driver'),
  e('test:///%64efault', 'percent-encoded path'),
];

const esxLike: CorpusEntry[] = [
  e('esx:///', 'remote-only driver without server'), e('gsx:///'), e('vpx:///'), e('esx://'), e('vpx:///dc1/cluster1'),
  e(`esx://${H}/`), e(`gsx://${H}/`), e(`esx://root@${H}/`), e(`esx://${H6}/`),
  e(`vpx://${H}/`, 'vpx needs datacenter/computeresource'), e(`vpx://${H}/dc1`), e(`vpx://${H}/dc1/cluster1`),
  e(`vpx://${H}/folder/dc1/cluster1/host1`),
  e(`esx://${H}/?transport=http`), e(`esx://${H}/?transport=https`), e(`esx://${H}/?transport=HTTP`, 'values are case-sensitive'),
  e(`esx://${H}/?transport=ftp`), e(`gsx://${H}/?transport=ftp`), e(`esx://${H}/?Transport=ftp`, 'names are case-insensitive'),
  e(`esx://${H}/?no_verify=1`), e(`esx://${H}/?no_verify=0`), e(`esx://${H}/?no_verify=yes`), e(`esx://${H}/?no_verify=2`),
  e(`esx://${H}/?auto_answer=1`), e(`esx://${H}/?auto_answer=x`),
  e(`esx://${H}/?proxy=socks5://127.0.0.1:2`), e(`esx://${H}/?proxy=http://127.0.0.1:2`), e(`esx://${H}/?proxy=ftp://127.0.0.1:2`),
  e(`esx://${H}/?proxy=127.0.0.1:70000`), e(`esx://${H}/?proxy=socks4a://`), e(`esx://${H}/?proxy=http://`),
  e(`esx://${H}/?proxy=:5`, 'port without host'), e(`esx://${H}/?proxy=`),
  e(`esx://${H}/?vcenter=*`), e(`esx://${H}/?foo=bar`, 'unknown esx param only warns'),
  e(`esx+tls://${H}/`, 'transport sends esx to the remote driver'), e(`gsx+ssh://${H}/`), e(`vpx+tcp://${H}/dc1/cluster1`),
  e(`esx+tcp://${H}/?name=esx://127.0.0.1:2/`, 'name= keeps the server'), e(`ESX://${H}/`, 'scheme match is case-sensitive'),
  e('hyperv:///'), e(`hyperv://${H}/`, 'built without hyperv'), e(`HYPERV://${H}/`, 'built-without check is case-insensitive'),
  e(`hyperv://${H}/?transport=http`), e(`hyperv+tcp://${H}/`),
  e('parallels:///system'), e('parallels:///foo'), e('Parallels:///system'),
];

const embed: CorpusEntry[] = [
  e(`qemu:///embed?root=${TMP}/qemu`, 'state driver initialisation fails here'), e('qemu:///embed', 'no root'),
  e('qemu:///embed?root=relative/dir'), e('qemu:///embed?root='), e(`qemu:///embed?ROOT=${TMP}/qemu`, 'root is case-sensitive in 9.0.0'),
  e(`qemu:///embed?root=${TMP}/a&root=relative`, 'first root wins'),
  e(`secret:///embed?root=${TMP}/secret`), e('secret:///embed'), e('secret:///embed?root=rel'),
  e(`lxc:///embed?root=${TMP}/lxc`, 'not embeddable'), e(`test:///embed?root=${TMP}/test`), e(`network:///embed?root=${TMP}/net`),
  e(`QEMU:///embed?root=${TMP}/q`, 'embedded scheme must be a-z'), e(`qemu+unix:///embed?root=${TMP}/q`),
  e(`qemu:///embed/?root=${TMP}/q`, 'not exactly /embed'),
];

const transports: CorpusEntry[] = [
  e('qemu+unix:///system'), e('qemu+UNIX:///system', 'transport is lower-cased'), e('qemu+Unix:///session'),
  e(`qemu+tcp://${H}/system`), e(`qemu+TCP://${H}/system`), e(`qemu+tls://${H}/system`), e(`qemu+TLS://${H6}/system`),
  e(`qemu+ssh://${H}/system`), e(`qemu+SSH://${H}/system`), e(`qemu+libssh://${H}/system`), e(`qemu+libssh2://${H}/system`),
  e(`qemu+LibSSH2://${H6}/system`),
  e('qemu+ext:///system?command=/bin/false'), e('qemu+ext:///system', 'ext needs command'), e('qemu+EXT:///system'),
  e(`qemu+ext://${H}/system?command=/bin/false`, 'ext ignores the host'), e('qemu+ext:///system?command='),
  e('qemu+ext:///system?COMMAND=/bin/true', 'names are case-insensitive'),
  e('qemu+foo:///system'), e('qemu+:///system', 'empty transport'), e(`qemu+ssh+x://${H}/system`), e(`qemu+sshx://${H}/system`),
  e(`qemu+ssh2://${H}/system`), e(`qemu+tls1://${H}/system`), e('qemu+unix2:///system'), e(`xen+ssh://${H}/system`),
  e(`lxc+tcp://${H}/`), e(`vbox+tls://${H}/session`),
  e('qemu+unix://127.0.0.1/system', '+unix with a host'), e('qemu+unix://localhost/system'), e('qemu+unix://[::1]/system'),
  e(`qemu+unix://${H}/system`), e('qemu+unix://user@/system', 'user but no host'), e('qemu+unix:///system?socket=/nonexistent/sock'),
  e(`qemu+tcp://${H}/system?socket=/nonexistent/sock`, 'socket ignored by tcp'),
  e(`qemu+ssh://${H}/system?socket=/var/run/libvirt/libvirt-sock`),
];

// §3.2: boolean parameters are a whole base-10 integer, on every transport.
const booleans: CorpusEntry[] = [];
for (const value of ['0', '1', '2', 'yes', '', '-1', '1x', '+1', '%201', '0x1', '99999999999999999999']) {
  booleans.push(e(`qemu+tls://${H}/system?no_verify=${value}`), e(`qemu+ssh://${H}/system?no_tty=${value}`));
}
booleans.push(
  e(`qemu+tls://${H}/system?no_sanity=yes`), e(`qemu+tls://${H}/system?no_sanity=1`), e(`qemu+tcp://${H}/system?no_tty=yes`, 'checked on every transport'),
  e('qemu:///system?no_verify=true'), e(`qemu+libssh://${H}/system?no_verify=x`), e(`qemu+tls://${H}/system?NO_VERIFY=x`),
  e(`qemu+tls://${H}/system?no_verify`, 'no = gives an empty value'),
);

const enums: CorpusEntry[] = [];
for (const mode of ['auto', 'legacy', 'direct', 'Direct', 'AUTO', 'bogus', '']) {
  enums.push(e(`qemu:///system?mode=${mode}`), e(`qemu+ssh://${H}/system?mode=${mode}`));
}
for (const t of ['libssh', 'libssh2', 'tcp', 'tls']) enums.push(e(`qemu+${t}://${H}/system?mode=direct`));
enums.push(e(`qemu+ssh://${H}/system?MODE=direct`), e(`qemu+ext:///system?command=/bin/false&mode=direct`));
for (const proxy of ['auto', 'netcat', 'native', 'NATIVE', 'bogus', '']) {
  enums.push(e(`qemu+ssh://${H}/system?proxy=${proxy}`), e(`qemu+tcp://${H}/system?proxy=${proxy}`));
}
enums.push(e('qemu:///system?proxy=bogus', 'proxy value checked on unix too'));
for (const t of [...SSH_FAMILY, 'tcp', 'tls', 'unix']) {
  const host = t === 'unix' ? '' : H;
  enums.push(e(`qemu+${t}://${host}/system?netcat=nc&proxy=native`));
}
enums.push(
  e(`qemu+ssh://${H}/system?netcat=/usr/bin/nc&proxy=netcat`), e(`qemu+libssh2://${H}/system?netcat=nc`),
  e(`qemu+ssh://${H}/system?proxy=native&netcat=`, 'empty netcat is still given'),
  e(`qemu+ssh://${H6}/system?socket=/run/x&proxy=native`),
);
for (const auth of ['agent', 'privkey', 'password', 'keyboard-interactive', 'agent,privkey', 'AGENT', 'Agent,Password',
  'foo', 'agent,foo', '', 'agent,', ',agent', 'agent;privkey']) {
  enums.push(e(`qemu+libssh://${H}/system?sshauth=${auth}`));
}
enums.push(
  e(`qemu+libssh2://${H}/system?sshauth=foo`), e(`qemu+libssh2://${H6}/system?sshauth=password,keyboard-interactive`),
  e(`qemu+ssh://${H}/system?sshauth=foo`, 'ignored by ssh'), e(`qemu+tcp://${H}/system?sshauth=foo`),
);
for (const v of ['normal', 'auto', 'ignore', 'NORMAL', 'Ignore', 'bogus', '']) {
  enums.push(e(`qemu+libssh://${H}/system?known_hosts_verify=${v}`));
}
enums.push(
  e(`qemu+libssh2://${H}/system?known_hosts_verify=bogus`), e(`qemu+ssh://${H}/system?known_hosts_verify=bogus`, 'ignored by ssh'),
  e(`qemu+libssh2://${H}/system?known_hosts=/nonexistent/known_hosts`), e(`qemu+libssh://${H}/system?known_hosts=relative/kh`),
  e(`qemu+ssh://${H}/system?known_hosts=/tmp/kh`, 'ignored by ssh'),
);
for (const auth of ['sasl', 'sasl.gssapi', 'SASL.DIGEST-MD5', 'polkit', 'bogus', '']) {
  enums.push(e(`qemu+tcp://${H}/system?auth=${auth}`));
}
enums.push(e('qemu:///session?auth=bogus'), e('qemu:///session?AUTH=Polkit'), e('qemu:///session?auth=bogus&auth=polkit', 'last wins'));

const otherParams: CorpusEntry[] = [
  e(`qemu+ssh://${H}/system?command=/bin/false`, 'ssh client replaced by /bin/false'), e(`qemu+ssh://${H}/system?keyfile=/nonexistent/id`),
  e(`qemu+libssh://${H}/system?keyfile=/nonexistent/id`), e(`qemu+tls://${H}/system?pkipath=/nonexistent/pki`),
  e(`qemu+tls://${H}/system?pkipath=relative/pki`), e(`qemu+tls://${H}/system?tls_priority=BOGUS`),
  e(`qemu+tcp://${H}/system?authfile=/nonexistent/auth.conf`), e(`qemu+tcp://${H}/system?name=qemu:///session`),
  e(`qemu+tcp://${H}/system?name=`), e(`qemu+ssh://${H}/system?no_tty=1&no_verify=1&keyfile=/nonexistent/id`),
  e(`qemu+tcp://${H}/system?argv=x`, 'later libvirt param, forwarded by 9.0.0'), e(`qemu+tcp://${H}/system?x=1`),
  e(`qemu+tcp://${H}/system?=x`, 'empty name dropped'), e(`qemu+tcp://${H}/system?&&`, 'empty sections'),
  e('qemu:///system?mode=bogus&mode=auto', 'last wins'), e('qemu:///system?mode=auto&mode=bogus'),
  e(`qemu+ssh://${H}/system?no_tty=x&no_tty=1`, 'every value is parsed'),
];

// §1.2: `;` separates only when no `&` remains in the rest of the string.
const separators: CorpusEntry[] = [
  e(`qemu+ssh://${H}/system?no_tty=1;mode=bogus`), e(`qemu+ssh://${H}/system?no_tty=1;mode=auto`),
  e(`qemu+ssh://${H}/system?no_tty=1;mode=auto&x=1`, 'no_tty gets "1;mode=auto"'),
  e(`qemu+ssh://${H}/system?x=1&no_tty=1;mode=bogus`), e('qemu:///system?mode=auto;x=1&y=2', 'mode gets "auto;x=1"'),
  e('qemu:///system?x=1;mode=bogus&y=2', 'x swallows mode=bogus'), e('qemu:///system?x=1;y=2'),
  e(`qemu+libssh://${H}/system?sshauth=agent;known_hosts_verify=bogus`),
];

const percent: CorpusEntry[] = [
  e(`qemu+ssh://${H}/system?mode=%64irect`, 'value decoded'), e(`qemu+ssh://${H}/system?%6Dode=direct`, 'name decoded'),
  e(`qemu+tcp://${H}/system?no_tty=%31`), e('qemu:///%73ystem', 'path decoded'), e(`qemu+tcp://us%20er@${H}/system`),
  e('qemu:///system?x=%zz', 'bad escape in query'), e('qemu:///sys%zztem', 'bad escape in path'), e('qemu:///system%'),
  e('qemu:///system?x=%'), e('qemu:///system?x=%4'), e('qemu:///system#%zz'), e('qemu://%zz/system'),
  e('qemu:///system?x=%20'), e('qemu:///system?x=a%26b', 'encoded & is not a separator'),
  e('qemu:///system?mode=a%3Bb', 'encoded ;'),
];

const syntax: CorpusEntry[] = [
  e('qemu:///sys tem', 'space in path'), e('qemu:///system?x=a b', 'space in query'), e(' qemu:///system', 'leading space'),
  e('qemu:///system ', 'trailing space'), e('qemu:///sy|stem'), e('qemu:///system?x=|'), e('qemu:///system?x="'),
  e('qemu:///system#a#b'), e('qemu:///system?x=[1]'), e('qemu:///sys{tem}'), e('qemu:///sys\\tem'), e('qemu:///sy^stem'),
  e('qemu+tcp://[::1/system', 'unterminated IPv6 bracket'), e('qemu+tcp://::1:1/system', 'unbracketed IPv6'),
  e('qemu+tcp://127.0.0.1:abc/system', 'non-numeric port'), e('qemu+tcp://127.0.0.1:1a/system'),
  // Ports that may be open use tls: it fails on the missing CA certificate before connecting.
  e('qemu+tls://127.0.0.1:2147483647/system', 'INT_MAX'), e('qemu+tls://127.0.0.1:2147483648/system', 'INT_MAX + 1'),
  e('qemu+tls://127.0.0.1:99999999999/system'), e('qemu+tls://127.0.0.1:65535/system'), e('qemu+tls://127.0.0.1:65536/system'),
  e('qemu+tcp://127.0.0.1:65537/system', 'wraps to 1'), e('qemu+tls://127.0.0.1:-1/system'), e('qemu+tls://127.0.0.1:/system', 'empty port'),
  e('qemu+tcp://127.0.0.1:0001/system'), e('qemu+tls://127.0.0.1:0/system', 'port 0 = not given'),
  e('1qemu:///system', 'scheme starts with a digit'), e('qe_mu:///system', 'underscore in scheme'), e('_qemu:///system'),
  e('qemu.x:///system', 'dot is a scheme character'), e('qemu-x:///system'), e('+ssh:///system', 'scheme starts with +'),
  e('qemu', 'no scheme'), e('system'), e('/var/run/foo', 'bare path'), e('://system'), e(':///system'), e('qemu//system'),
  e('qemu:/system', 'single slash'), e('qemu:////system', 'four slashes'), e('', 'empty = default URI'),
  e('my-alias_1', 'alias-shaped name without aliases'), e('qemu:///system\u00e9', 'non-ASCII'), e('qemu:///system\t'),
];

const maybeYouWant: CorpusEntry[] = [
  e('qemu://system'), e('qemu://session'), e('qemu://system/'), e('qemu://session/x?y=1'), e('vbox://session'), e('vbox://system'),
  e('vz://system'), e('vz://session'), e('qemu://user@system', 'user does not matter'), e('qemu://system:1', 'port does not matter'),
];

const hosts: CorpusEntry[] = [
  e(`qemu+tcp://${H6}/system`), e('qemu+tls://[::1]:1/system'), e(`qemu+ssh://${H6}/system`), e(`qemu+libssh2://${H6}/system`),
  e('qemu+tcp://localhost:1/system'), e('qemu+ssh://localhost:2/system'),
  e(`qemu+ssh://root@${H}/system`), e(`qemu+ssh://@${H}/system`, 'empty user'), e(`qemu+libssh://user@${H6}/system`),
  e(`qemu://${H}/system`, 'host without transport = tls'), e(`qemu://${H6}/session`), e('qemu://localhost:1/system'),
  e(`qemu+tcp://${H}`, 'no path'), e(`qemu+tcp://${H}/`), e(`qemu+tcp://${H}/foo`, 'daemon-side path check'),
  e(`qemu+ssh://${H}/session`), e(`network+tcp://${H}/system`), e(`nwfilter+tls://${H}/session`),
];

const unknown: CorpusEntry[] = [
  e('foo:///'), e('foo:///system'), e(`foo://${H}/`), e(`foo+ssh://${H}/system`), e('foo+bar:///'), e('kvm:///system'),
  e('qemu2:///system'), e('QEMU:///system', 'scheme match is case-sensitive'), e('Qemu:///session'), e('TEST:///default'),
  e('http:///system'), e(`https://${H}/`), e('file:///etc/passwd'),
];

// Values libvirt needs: an empty program, socket or known_hosts name; `~` per transport (OpenSSH
// expands `ssh -i ~/…`, libssh its known_hosts option, nothing else does).
const emptyAndTilde: CorpusEntry[] = [
  e(`qemu+ssh://${H}/system?command=`, 'no program has an empty name'), e('qemu+unix:///system?socket=', 'empty socket path'),
  e(`qemu+ssh://${H}/system?socket=`), e(`qemu+libssh://${H}/system?known_hosts=`, 'libssh refuses an empty file name'),
  e(`qemu+libssh2://${H}/system?known_hosts=`), e(`qemu+ssh://${H}/system?keyfile=`, 'ssh warns and goes on'),
  e(`qemu+libssh://${H}/system?keyfile=`), e(`qemu+tls://${H}/system?pkipath=`, 'reads /cacert.pem'),
  e(`qemu+tcp://${H}/system?authfile=`), e(`qemu+ssh://${H}/system?netcat=`),
  e(`qemu+ssh://${H}/system?keyfile=~/id`), e(`qemu+libssh://${H}/system?keyfile=~/id`), e(`qemu+libssh2://${H}/system?keyfile=~/id`),
  e(`qemu+libssh://${H}/system?known_hosts=~/kh`), e(`qemu+libssh2://${H}/system?known_hosts=~/kh`), e(`qemu+tls://${H}/system?pkipath=~/pki`),
];

// name= is the URI the daemon opens (§3.3): the daemon's own rules apply to it.
const forwardedNames: CorpusEntry[] = [
  e(`qemu+tcp://${H}/system?name=qemu:///sytem`), e(`qemu+tcp://${H}/system?name=foo:///system`),
  e(`foo+tcp://${H}/x/y?a=b&name=test:///default`, 'the daemon opens name=: the scheme\'s driver does not matter'), e(`foo+tcp://${H}/x/y?a=b`),
  e(`qemu+tcp://${H}/system?name=test:///default`), e(`qemu+tcp://${H}/system?name=test:///`), e(`qemu+tcp://${H}/system?name=network:///foo`),
  e(`qemu+tcp://${H}/system?name=vz:///system`), e(`qemu+tcp://${H}/system?name=hyperv:///`), e(`qemu+tcp://${H}/system?name=esx:///`),
  e(`qemu+tcp://${H}/system?name=qemu%3A%2F%2F%2Fsytem`, 'escaped name'), e(`qemu+tcp://${H}/?name=QEMU:///system`),
  e(`test+tcp://${H}/default?name=nwfilter:///session`), e(`qemu+tcp://${H}/system?name=qemu:///sys%20tem`),
];

// Drivers Debian 12's libvirt 9.0.0 was built without, over a transport too.
const notBuilt: CorpusEntry[] = [
  e(`vz+tcp://${H}/system`), e(`ch+tcp://${H}/system`), e(`bhyve+ssh://${H}/system`), e('ch:///'),
];

export const CORPUS: readonly CorpusEntry[] = [
  ...drivers, ...testDriver, ...esxLike, ...embed, ...transports, ...booleans, ...enums, ...otherParams, ...separators,
  ...percent, ...syntax, ...maybeYouWant, ...hosts, ...unknown, ...emptyAndTilde, ...forwardedNames, ...notBuilt,
];
