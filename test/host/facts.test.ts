import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { capabilitiesTree, parseCapabilities } from '../../client/src/capabilities';
import { hostLabels, hostTree, type HostTreeNode } from '../../client/src/host';
import { formatTree, nodeTooltip, walkNodes } from '../../client/src/info/node';
import { Hypervisor, type Connection, type HostFacts } from '../../client/src/libvirt';
import { fixturesDir } from '../helpers/paths';
import { assertRowsTraceable } from '../helpers/rows';

function row(rows: HostTreeNode[], label: string): HostTreeNode {
  const found = rows.find((n) => n.label === label);
  assert.ok(found, `no row ${label} among ${rows.map((n) => n.label).join(', ')}`);
  return found;
}

/** `Label  description` of the top rows. */
function lines(rows: HostTreeNode[]): string[] {
  return rows.map((n) => `${n.label}  ${n.error ? `(${n.error.message})` : n.description}`);
}

describe('Host rows from the test driver (test:///default, in-process)', () => {
  let hv: Hypervisor;
  let conn: Connection;
  let facts: HostFacts;

  before(async () => {
    hv = await Hypervisor.start();
    conn = await hv.open('test:///default', { readOnly: true });
    facts = await conn.hostFacts();
  });
  after(async () => {
    await conn?.close();
    await hv?.dispose();
  });

  it('show what virsh nodeinfo, hostname, version, maxvcpus and sysinfo show', () => {
    assert.deepEqual(lines(hostTree(facts)), [
      'URI  test:///default',
      'Driver  TEST',
      'Hostname  vm',
      'Hypervisor version  0.0.2',
      'libvirt version  9.0.0',
      'CPU model  i686',
      'CPUs  16 (2 NUMA nodes × 2 sockets × 2 cores × 2 threads)',
      'CPU frequency  1400 MHz',
      'Memory  3 GiB (3145728 KiB)',
      'Free memory  3 MiB',
      'Max vCPUs  32',
      'Secure  yes',
      'Encrypted  no',
      'BIOS  LENOVO G4ETA1WW (2.61 ), 05/07/2014',
      'Sysinfo  smbios',
    ]);
  });

  it('show memory and free memory per NUMA cell, as the driver reports them', () => {
    const rows = hostTree(facts);
    // virsh freecell --all says 2048 KiB and 4096 KiB: the test driver reports bytes that small.
    assert.equal(formatTree([row(rows, 'Free memory')]), 'Free memory  3 MiB\n  NUMA cell 0  2 MiB\n  NUMA cell 1  4 MiB\n');
    assert.equal(formatTree([row(rows, 'Memory')]), 'Memory  3 GiB (3145728 KiB)\n  NUMA cell 0  2 GiB\n  NUMA cell 1  4 GiB\n');
  });

  it('carry raw values and the call or XPath they came from', () => {
    const rows = hostTree(facts);
    const cpus = row(rows, 'CPUs');
    assert.equal(cpus.value, '16');
    assert.deepEqual(cpus.source, { call: 'virNodeGetInfo', field: 'cpus' });
    assert.equal(nodeTooltip(cpus), 'Active CPUs; sockets per NUMA node, cores per socket, threads per core\nValue: 16\nFrom: virNodeGetInfo (cpus)');
    assert.deepEqual(row(rows, 'Free memory').children[1].source, { call: 'virNodeGetCellsFreeMemory', field: 'cell 1' });
    assert.equal(row(rows, 'Memory').children[1].value, '4194304 KiB');
    assert.equal(row(rows, 'Hostname').value, 'vm');
    assert.ok('value' in facts.capabilities && 'value' in facts.sysinfo);
    assertRowsTraceable(rows, { capabilities: facts.capabilities.value, sysinfo: facts.sysinfo.value });
    for (const n of walkNodes(rows)) assert.equal(n.error, undefined, `${n.label} refused`);
  });

  it('with the capabilities tree, show the 2 NUMA cells and the i686 guests', () => {
    assert.ok('value' in facts.capabilities);
    const text = formatTree(capabilitiesTree(parseCapabilities(facts.capabilities.value)));
    assert.match(text, /^ {2}NUMA topology {2}2 cells$/m);
    assert.deepEqual(text.split('\n').filter((l) => l.startsWith('guest')), ['guest hvm  i686', 'guest xen  i686']);
  });
});

/** The test driver's facts, as hostFacts() gives them, for rows built from changed facts. */
function testDriverFacts(changes: Partial<HostFacts> = {}): HostFacts {
  return {
    uri: { value: 'test:///default' },
    type: { value: 'TEST' },
    hostname: { value: 'vm' },
    hypervisorVersion: { value: { major: 0, minor: 0, release: 2 } },
    libraryVersion: { value: { major: 9, minor: 0, release: 0 } },
    nodeInfo: { value: { model: 'i686', memory: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 } },
    freeMemory: { value: 3145728 },
    cellsFreeMemory: { value: [2097152, 4194304] },
    maxVcpus: { value: 32 },
    isSecure: { value: true },
    isEncrypted: { value: false },
    capabilities: { value: readFileSync(path.join(fixturesDir, 'capabilities', 'kvm-x86_64.xml'), 'utf8') },
    sysinfo: { value: "<sysinfo type='smbios'/>" },
    domains: { value: [] },
    ...changes,
  };
}

describe('Host rows for facts libvirt refused', () => {
  it('say so in libvirt’s words, one row per refused fact, never a missing row', () => {
    const noSupport = (call: string) => ({ error: { code: 3, domain: 10, level: 2, message: `this function is not supported by the connection driver: ${call}` }, call });
    const rows = hostTree(
      testDriverFacts({
        hostname: noSupport('virConnectGetHostname'),
        nodeInfo: noSupport('virNodeGetInfo'),
        cellsFreeMemory: noSupport('virNodeGetCellsFreeMemory'),
        // What qemu:///embed says on a host without SMBIOS (a VM without DMI tables), libvirt 9.0.0.
        sysinfo: { error: { code: 67, domain: 10, level: 2, message: 'unsupported configuration: Host SMBIOS information is not available' }, call: 'virConnectGetSysinfo' },
      }),
    );
    assert.deepEqual(lines(rows).slice(2, 9), [
      'Hostname  (this function is not supported by the connection driver: virConnectGetHostname)',
      'Hypervisor version  0.0.2',
      'libvirt version  9.0.0',
      'CPU model  (this function is not supported by the connection driver: virNodeGetInfo)',
      'CPUs  (this function is not supported by the connection driver: virNodeGetInfo)',
      'CPU frequency  (this function is not supported by the connection driver: virNodeGetInfo)',
      'Memory  (this function is not supported by the connection driver: virNodeGetInfo)',
    ]);
    const sysinfo = row(rows, 'Sysinfo');
    assert.deepEqual(sysinfo.error, { message: 'unsupported configuration: Host SMBIOS information is not available', code: 'VIR_ERR_CONFIG_UNSUPPORTED', domain: 'VIR_FROM_QEMU', call: 'virConnectGetSysinfo' });
    assert.equal(sysinfo.icon, 'warning');
    assert.equal(sysinfo.value, 'unsupported configuration: Host SMBIOS information is not available');
    assert.equal(nodeTooltip(sysinfo), 'virConnectGetSysinfo failed: unsupported configuration: Host SMBIOS information is not available\nVIR_ERR_CONFIG_UNSUPPORTED, VIR_FROM_QEMU');
    assert.equal(formatTree([row(rows, 'Free memory')]), 'Free memory  3 MiB\n  per NUMA cell  (this function is not supported by the connection driver: virNodeGetCellsFreeMemory)\n');
    assert.equal(rows.some((n) => n.label === 'System' || n.label === 'BIOS'), false);
  });

  it('an unreadable sysinfo is a row saying why', () => {
    const [sysinfo] = hostTree(testDriverFacts({ sysinfo: { value: '<sysinfo><bios>' } })).filter((n) => n.label === 'Sysinfo');
    assert.match(sysinfo.error!.message, /^cannot read the sysinfo XML: not well-formed XML: /);
    assert.equal(sysinfo.error!.code, undefined);
  });

  it('a driver without a hypervisor version says unknown, as virsh does', () => {
    const rows = hostTree(testDriverFacts({ hypervisorVersion: { value: { major: 0, minor: 0, release: 0 } } }));
    assert.equal(row(rows, 'Hypervisor version').description, 'unknown');
    assert.equal(row(rows, 'Hypervisor version').value, '0.0.0');
    assert.equal(row(rows, 'CPU frequency').description, '1400 MHz');
    assert.equal(row(hostTree(testDriverFacts({ nodeInfo: { value: { model: 'x86_64', memory: 1024, cpus: 1, mhz: 0, nodes: 1, sockets: 1, cores: 1, threads: 1 } } })), 'CPU frequency').description, 'unknown');
  });
});

describe('Host rows with sysinfo and capabilities from real hosts', () => {
  it('a server: System and BIOS highlights, every SMBIOS table under Sysinfo', () => {
    const xml = readFileSync(path.join(fixturesDir, 'sysinfo', 'dell-r640.xml'), 'utf8');
    const rows = hostTree(testDriverFacts({ sysinfo: { value: xml } }));
    assert.deepEqual(lines(rows).slice(-3), ['System  Dell Inc. PowerEdge R640', 'BIOS  Dell Inc. 2.17.1, 11/15/2022', 'Sysinfo  smbios']);
    assert.deepEqual(row(rows, 'System').source, { document: 'sysinfo', xpath: '/sysinfo/system' });
    assert.equal(row(rows, 'Sysinfo').children.length, 9);
    assertRowsTraceable(rows, { sysinfo: xml });
  });

  for (const name of readdirSync(path.join(fixturesDir, 'capabilities')).filter((f) => f.endsWith('.xml'))) {
    it(`${name}: memory per NUMA cell from the capabilities`, () => {
      const xml = readFileSync(path.join(fixturesDir, 'capabilities', name), 'utf8');
      const cells = parseCapabilities(xml).host?.numa?.cells ?? [];
      const memory = row(hostTree(testDriverFacts({ capabilities: { value: xml } })), hostLabels().memory);
      assert.deepEqual(
        memory.children.map((n) => n.label),
        cells.filter((c) => c.memory).map((c) => `NUMA cell ${c.id}`),
      );
      assertRowsTraceable(memory.children, { capabilities: xml });
    });
  }

  it('KVM x86_64: two NUMA cells of about 63 GiB', () => {
    const xml = readFileSync(path.join(fixturesDir, 'capabilities', 'kvm-x86_64.xml'), 'utf8');
    const memory = row(hostTree(testDriverFacts({ capabilities: { value: xml } })), 'Memory');
    assert.deepEqual(memory.children.map((n) => `${n.label}  ${n.description}`), ['NUMA cell 0  62.65 GiB', 'NUMA cell 1  63 GiB']);
  });

  it('unreadable capabilities leave Memory without cells (the Capabilities node reports them)', () => {
    const memory = row(hostTree(testDriverFacts({ capabilities: { value: '<capabilities><host>' } })), 'Memory');
    assert.equal(memory.children.length, 0);
    assert.equal(memory.description, '3 GiB (3145728 KiB)');
  });
});
