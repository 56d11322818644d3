// The pure parts of connecting: names, URIs from the wizard's answers, programs a URI runs,
// and the hint shown next to libvirt's own error (errors made by the real libvirt).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeFailure } from '../../client/src/connections/hints';
import { displayName } from '../../client/src/connections/displayName';
import { programsRun } from '../../client/src/connections/programs';
import { buildUri, parseUserHost } from '../../client/src/connections/uriParts';
import { Hypervisor, LibvirtError, LibvirtUnavailableError, OpenCancelledError, libvirtInstallHint } from '../../client/src/libvirt';
import { LibvirtProcessLostError } from '../../client/src/libvirtProcess/client';

describe('display names, as virt-manager shows them', () => {
  it('names the hypervisor, the session, and the host', () => {
    assert.equal(displayName('qemu:///system'), 'QEMU/KVM');
    assert.equal(displayName('qemu:///session'), 'QEMU/KVM User session');
    assert.equal(displayName('qemu+ssh://root@kvm1.example.com/system'), 'QEMU/KVM: kvm1.example.com');
    assert.equal(displayName('xen:///system'), 'Xen');
    assert.equal(displayName('lxc:///system'), 'LXC');
    assert.equal(displayName('test:///default'), 'Test');
    assert.equal(displayName('test+tcp://127.0.0.1:16509/default'), 'Test: 127.0.0.1');
    assert.equal(displayName('esx://root@esx1/'), 'ESX: esx1');
    assert.equal(displayName('qemu+ssh://[::1]/system'), 'QEMU/KVM: ::1');
    assert.equal(displayName('foo:///x'), 'foo');
    assert.equal(displayName('hail'), 'hail', 'an alias keeps its name');
    assert.equal(displayName(null), 'Default connection');
  });
});

describe("URIs from the wizard's answers", () => {
  it('builds local, remote and client-side URIs', () => {
    assert.equal(buildUri({ driver: 'qemu', path: '/system', where: 'local' }), 'qemu:///system');
    assert.equal(buildUri({ driver: 'qemu', path: '/system', where: 'ssh', user: 'root', host: 'kvm1', port: '2222' }), 'qemu+ssh://root@kvm1:2222/system');
    assert.equal(buildUri({ driver: 'qemu', path: '/session', where: 'libssh', host: '::1' }), 'qemu+libssh://[::1]/session');
    assert.equal(buildUri({ driver: 'esx', path: '/', user: 'root', host: 'esx1' }), 'esx://root@esx1/');
    assert.equal(buildUri({ driver: 'test', path: '/default', where: 'local' }), 'test:///default');
  });

  it('reads user@host:port, bracketed and bare IPv6', () => {
    assert.deepEqual(parseUserHost('root@kvm1:2222'), { user: 'root', host: 'kvm1', port: '2222' });
    assert.deepEqual(parseUserHost('kvm1'), { user: undefined, host: 'kvm1', port: undefined });
    assert.deepEqual(parseUserHost('admin@[2001:db8::1]:22'), { user: 'admin', host: '2001:db8::1', port: '22' });
    assert.deepEqual(parseUserHost('fe80::1'), { user: undefined, host: 'fe80::1', port: undefined });
  });
});

describe('programs a URI runs', () => {
  it('names ext and ssh commands here, netcat on the host', () => {
    assert.deepEqual(programsRun('qemu+ext:///system?command=/opt/bin/tunnel'), [{ parameter: 'command', program: '/opt/bin/tunnel', where: 'local' }]);
    assert.deepEqual(programsRun('qemu+ssh://h/system?command=/opt/ssh&netcat=/opt/nc'), [
      { parameter: 'command', program: '/opt/ssh', where: 'local' },
      { parameter: 'netcat', program: '/opt/nc', where: { host: 'h' } },
    ]);
    assert.deepEqual(programsRun('qemu+libssh://h/system?netcat=/usr/bin/nc'), [{ parameter: 'netcat', program: '/usr/bin/nc', where: { host: 'h' } }]);
  });

  it('says nothing where the transport ignores the parameter or runs nothing', () => {
    assert.deepEqual(programsRun('qemu+tcp://h/system?netcat=/opt/nc&command=/x'), []);
    assert.deepEqual(programsRun('qemu:///system'), []);
    assert.deepEqual(programsRun('qemu+tls://h/system'), []);
  });

  it('takes the last of a repeated parameter, as libvirt does', () => {
    assert.deepEqual(programsRun('qemu+ext:///system?command=/a&command=/b'), [{ parameter: 'command', program: '/b', where: 'local' }]);
  });
});

describe("hints next to libvirt's errors", () => {
  async function refusal(uri: string): Promise<Error> {
    const hv = await Hypervisor.start();
    try {
      await hv.open(uri, { readOnly: true });
      throw new Error(`${uri} opened`);
    } catch (e) {
      return e as Error;
    } finally {
      await hv.dispose();
    }
  }

  it('a missing daemon socket', async () => {
    const uri = 'test+unix:///default?socket=/nonexistent/libvirt-sock';
    const failure = describeFailure(await refusal(uri), uri, 30);
    assert.equal(failure.message, "Failed to connect socket to '/nonexistent/libvirt-sock': No such file or directory (VIR_ERR_SYSTEM_ERROR)");
    assert.match(failure.hint!, /daemon for this URI is not running/);
    assert.equal(failure.silent, false);
  });

  it('a URI libvirt refuses outright', async () => {
    const failure = describeFailure(await refusal('qemu://system'), 'qemu://system', 30);
    assert.equal(failure.message, 'internal error: invalid URI qemu://system (maybe you want qemu:///system) (VIR_ERR_INTERNAL_ERROR)');
  });

  it('a dismissed prompt and a cancel are silent; a timeout says how long', () => {
    const cancelled = new LibvirtError({ code: 79, domain: 7, level: 2, message: 'authentication cancelled: Failed to collect auth credentials' }, 'virConnectOpenAuth');
    assert.equal(describeFailure(cancelled, 'test+tcp://h/default', 30).silent, true);
    assert.equal(describeFailure(new OpenCancelledError('aborted', 'qemu:///system'), 'qemu:///system', 30).silent, true);
    const timeout = describeFailure(new OpenCancelledError('timeout', 'qemu+ssh://h/system'), 'qemu+ssh://h/system', 30);
    assert.equal(timeout.message, 'No answer from qemu+ssh://h/system within 30 s.');
    assert.match(timeout.hint!, /libvirt\.connect\.timeout/);
    const lost = describeFailure(new LibvirtProcessLostError('SIGKILL', null), 'x:///', 30);
    assert.equal(lost.message, 'The libvirt process was killed (SIGKILL).');
    assert.match(lost.hint!, /new libvirt process/);
  });

  it("libvirt missing names this platform's package; koffi missing names the platform it lacks", async () => {
    await assert.rejects(Hypervisor.start({ libraryPath: '/nonexistent/libvirt.so.0' }), (e: unknown) => {
      assert.ok(e instanceof LibvirtUnavailableError);
      const failure = describeFailure(e, 'qemu:///system', 30);
      assert.match(failure.message, /^cannot load \/nonexistent\/libvirt\.so\.0: /);
      assert.equal(failure.hint, `Install ${libvirtInstallHint(process.platform)}, or set libvirt.libraryPath; checking URIs in files works without it.`);
      return true;
    });
    const koffi = describeFailure(new LibvirtUnavailableError('libvirt.so.0', "Cannot find module 'koffi'", 'koffi'), 'qemu:///system', 30);
    assert.match(koffi.hint!, new RegExp(`cannot load libvirt on ${process.platform}-${process.arch} \\(koffi`));
  });
});
