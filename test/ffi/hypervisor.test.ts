// The binding against libvirt's built-in test:///default host (in-process, no daemon).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hypervisor, LibvirtError, type Connection } from '../../client/src/libvirt';

describe('test:///default', () => {
  let hv: Hypervisor;
  let conn: Connection;

  before(async () => {
    hv = await Hypervisor.start();
    conn = await hv.open('test:///default', { readOnly: true });
  });
  after(async () => {
    await hv.dispose();
  });

  it('reports the library version of libvirt.so.0', async () => {
    const v = await hv.libraryVersion();
    assert.ok(v.major >= 9, `libvirt ${v.major}.${v.minor}.${v.release}`);
    assert.deepEqual(await conn.libraryVersion(), v);
  });

  it('answers the host queries with the test driver values', async () => {
    assert.equal(await conn.type(), 'TEST');
    assert.equal(await conn.uri(), 'test:///default');
    assert.equal(typeof (await conn.hostname()), 'string');
    assert.deepEqual(await conn.hypervisorVersion(), { major: 0, minor: 0, release: 2 });
    assert.deepEqual(await conn.nodeInfo(), { model: 'i686', memory: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 });
    assert.equal(await conn.maxVcpus(), 32);
    assert.equal(await conn.maxVcpus('test'), 32);
    assert.equal(await conn.isAlive(), true);
    assert.equal(await conn.isSecure(), true);
    assert.equal(await conn.isEncrypted(), false);
  });

  it('reports free memory per NUMA cell and in total', async () => {
    const cells = await conn.cellsFreeMemory();
    assert.deepEqual(cells, [2097152, 4194304]);
    assert.deepEqual(await conn.cellsFreeMemory(1, 1), [4194304]);
    assert.equal(await conn.freeMemory(), 3145728);
  });

  it('returns the capabilities and sysinfo XML', async () => {
    const caps = await conn.capabilities();
    assert.match(caps, /^<capabilities>/);
    assert.match(caps, /<cells num='2'>/);
    assert.match(caps, /<emulator>\/usr\/bin\/test-hv<\/emulator>/);
    assert.match(await conn.sysinfo(), /^<sysinfo type='smbios'>/);
  });

  it('lists the domains with name, state and id', async () => {
    assert.deepEqual(await conn.listDomains(), [{ name: 'test', uuid: '6695eb01-f6a4-8304-79aa-97f2502e193f', state: 'running', reason: 0, id: 1 }]);
  });

  it('gathers the host facts in one request, each a value or libvirt refusal', async () => {
    const facts = await conn.hostFacts();
    assert.deepEqual(facts.type, { value: 'TEST' });
    assert.deepEqual(facts.uri, { value: 'test:///default' });
    assert.deepEqual(facts.hypervisorVersion, { value: { major: 0, minor: 0, release: 2 } });
    assert.deepEqual(facts.nodeInfo, { value: await conn.nodeInfo() });
    assert.deepEqual(facts.cellsFreeMemory, { value: [2097152, 4194304] });
    assert.deepEqual(facts.maxVcpus, { value: 32 });
    assert.deepEqual(facts.isEncrypted, { value: false });
    assert.deepEqual(facts.domains, { value: await conn.listDomains() });
    assert.ok('value' in facts.capabilities && facts.capabilities.value === (await conn.capabilities()));
    assert.ok('value' in facts.sysinfo && facts.sysinfo.value.startsWith("<sysinfo type='smbios'>"));
  });

  it('gathers the host facts in the open request when asked', async () => {
    const c = await hv.open('test:///default', { readOnly: true, hostFacts: true });
    try {
      assert.deepEqual(c.openFacts?.type, { value: 'TEST' });
      assert.deepEqual(c.openFacts?.domains, { value: await c.listDomains() });
      assert.equal(conn.openFacts, undefined);
    } finally {
      await c.close();
    }
  });

  it('surfaces libvirt refusing domain capabilities on a read-only connection', async () => {
    await assert.rejects(conn.domainCapabilities(), (e: unknown) => {
      assert.ok(e instanceof LibvirtError);
      assert.equal(e.codeName, 'VIR_ERR_OPERATION_DENIED');
      assert.equal(e.code, 29);
      assert.equal(e.message, 'operation forbidden: read only access prevents virConnectGetDomainCapabilities');
      assert.equal(e.call, 'virConnectGetDomainCapabilities');
      return true;
    });
  });

  it('reaches the driver for domain capabilities on a read-write connection', async () => {
    const rw = await hv.open('test:///default');
    try {
      await assert.rejects(rw.domainCapabilities({ virtType: 'test' }), (e: unknown) => {
        assert.ok(e instanceof LibvirtError);
        assert.equal(e.codeName, 'VIR_ERR_NO_SUPPORT');
        assert.match(e.message, /virConnectGetDomainCapabilities/);
        return true;
      });
    } finally {
      await rw.close();
    }
  });

  it('knows the test driver has no keepalive but takes a close callback', () => {
    assert.equal(conn.keepalive, 'unsupported');
    assert.equal(conn.closeCallback, true);
  });

  it('keeps several connections apart and closes each on its own', async () => {
    const others = await Promise.all([hv.open('test:///default'), hv.open('test:///default', { readOnly: true }), hv.open('test:///default')]);
    assert.deepEqual(await Promise.all(others.map((c) => c.type())), ['TEST', 'TEST', 'TEST']);
    for (const c of others) assert.equal(await c.close(), 0);
    await assert.rejects(others[0].hostname(), /closed/);
    assert.equal(await conn.isAlive(), true);
  });

  it('lets libvirt pick the URI when given none (LIBVIRT_DEFAULT_URI)', async () => {
    const saved = process.env.LIBVIRT_DEFAULT_URI;
    process.env.LIBVIRT_DEFAULT_URI = 'test:///default';
    try {
      const c = await hv.open(null, { readOnly: true });
      assert.equal(await c.uri(), 'test:///default');
      await c.close();
    } finally {
      if (saved === undefined) delete process.env.LIBVIRT_DEFAULT_URI;
      else process.env.LIBVIRT_DEFAULT_URI = saved;
    }
  });

  it('counts references like virConnectRef/virConnectClose', async () => {
    const c = await hv.open('test:///default', { readOnly: true });
    let dropped = 0;
    c.onClose(() => dropped++);
    await c.ref();
    await c.ref();
    // virConnectClose answers 1 while references remain, 0 once the last one is gone.
    assert.equal(await c.close(), 1);
    assert.equal(await c.close(), 1);
    assert.equal(await c.type(), 'TEST');
    assert.equal(await c.close(), 0);
    await assert.rejects(c.close(), /closed/);
    assert.equal(dropped, 0, 'closing on our side is not a dropped link');
  });
});

describe('Hypervisor lifecycle', () => {
  it('closes what is left open on dispose and refuses work afterwards', async () => {
    const hv = await Hypervisor.start();
    const a = await hv.open('test:///default');
    const b = await hv.open('test:///default');
    await b.ref();
    await hv.dispose();
    await assert.rejects(a.type(), /closed/);
    await assert.rejects(hv.open('test:///default'), /disposed/);
  });

  it('runs two hypervisors side by side', async () => {
    const [h1, h2] = await Promise.all([Hypervisor.start(), Hypervisor.start()]);
    try {
      const [c1, c2] = await Promise.all([h1.open('test:///default'), h2.open('test:///default')]);
      assert.equal(await c1.uri(), await c2.uri());
    } finally {
      await h1.dispose();
      await h2.dispose();
    }
  });
});
