// The library lookup with the real libvirt.so.0: what is loaded is what was asked for.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import { Hypervisor, LIBRARY_ENV, LibvirtUnavailableError } from '../../client/src/libvirt';

/** Where the system's loader finds libvirt.so.0 (ldconfig's cache). */
function installedLibvirt(): string {
  const line = execFileSync('/sbin/ldconfig', ['-p'], { encoding: 'utf8' }).split('\n').find((l) => /^\s*libvirt\.so\.0 /.test(l));
  assert.ok(line, 'libvirt.so.0 is not in the loader cache');
  return line.slice(line.indexOf('=> ') + 3).trim();
}

describe('libvirt library lookup, for real', () => {
  const saved = process.env[LIBRARY_ENV];
  after(() => {
    if (saved === undefined) delete process.env[LIBRARY_ENV];
    else process.env[LIBRARY_ENV] = saved;
  });

  async function version(hv: Hypervisor): Promise<string> {
    try {
      const conn = await hv.open('test:///default', { readOnly: true });
      const v = await conn.libraryVersion();
      await conn.close();
      return `${v.major}.${v.minor}.${v.release}`;
    } finally {
      await hv.dispose();
    }
  }

  it('loads libvirt.so.0 through the loader by default on Linux', async () => {
    delete process.env[LIBRARY_ENV];
    assert.equal(await version(await Hypervisor.start()), '9.0.0');
  });

  it('an explicit libraryPath wins over VIRT_URI_LIBVIRT_SO', async () => {
    process.env[LIBRARY_ENV] = '/nonexistent/libvirt.so.0';
    assert.equal(await version(await Hypervisor.start({ libraryPath: installedLibvirt() })), '9.0.0');
    process.env[LIBRARY_ENV] = installedLibvirt();
    await assert.rejects(Hypervisor.start({ libraryPath: '/nonexistent/explicit/libvirt.so.0' }), (e: unknown) => {
      assert.ok(e instanceof LibvirtUnavailableError);
      assert.equal(e.missing, 'libvirt');
      assert.equal(e.library, '/nonexistent/explicit/libvirt.so.0');
      assert.match(e.message, /^cannot load \/nonexistent\/explicit\/libvirt\.so\.0: /);
      return true;
    });
  });
});
