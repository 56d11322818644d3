import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { capabilitiesTree, formatTree, parseCapabilities } from '../../client/src/capabilities';

// The real XML of libvirt's test driver, from the installed virsh (no daemon needed).
const xml = execFileSync('virsh', ['-c', 'test:///default', 'capabilities'], { encoding: 'utf8' });

test('test:///default host: i686 with pae/nonpae, two cells of eight CPUs, testSecurity', () => {
  const caps = parseCapabilities(xml);
  const host = caps.host;
  assert.ok(host);
  assert.equal(host.cpu?.arch, 'i686');
  assert.deepEqual(host.cpu?.flags, ['pae', 'nonpae']);
  assert.deepEqual(
    host.cpu?.pages.map((p) => `${p.value} ${p.unit}`),
    ['4 KiB', '8 KiB', '2048 KiB', '1048576 KiB'],
  );
  assert.deepEqual(host.powerManagement, []);
  assert.deepEqual(host.iommu, { support: false });
  const cells = host.numa?.cells ?? [];
  assert.deepEqual(
    cells.map((c) => [c.id, c.cpus.length, c.memory?.value]),
    [
      [0, 8, 2097152],
      [1, 8, 4194304],
    ],
  );
  assert.deepEqual(cells[1].cpus[0], { id: 8, socketId: 1, dieId: 0, coreId: 0, siblings: '8' });
  assert.deepEqual(cells[0].pages[0], { size: 4, unit: 'KiB', count: 524288 });
  assert.deepEqual(host.secmodels, [{ model: 'testSecurity', doi: '', baselabels: [] }]);
  assert.equal(host.unknownElements, undefined);
});

test('test:///default guests: hvm and xen on i686, /usr/bin/test-hv, domain type test', () => {
  const caps = parseCapabilities(xml);
  assert.deepEqual(
    caps.guests.map((g) => g.osType),
    ['hvm', 'xen'],
  );
  for (const guest of caps.guests) {
    assert.deepEqual(guest.arch, {
      name: 'i686',
      wordsize: 32,
      emulator: '/usr/bin/test-hv',
      machines: [],
      domains: [{ type: 'test', machines: [] }],
    });
    assert.deepEqual(guest.features, [{ name: 'pae' }, { name: 'nonpae' }]);
    assert.equal(guest.unknownElements, undefined);
  }
  assert.equal(caps.unknownElements, undefined);
});

test('test:///default prints as a tree', () => {
  const text = formatTree(capabilitiesTree(parseCapabilities(xml)));
  const lines = text.split('\n');
  assert.equal(lines[0], 'host');
  assert.ok(lines.includes('  cpu  i686'), text);
  assert.ok(lines.includes('    flags  pae, nonpae'), text);
  assert.ok(lines.includes('    cell 1  4 GiB, 8 CPUs'), text);
  assert.ok(lines.includes('  secmodel testSecurity'), text);
  assert.deepEqual(
    lines.filter((l) => l.startsWith('guest')),
    ['guest hvm  i686', 'guest xen  i686'],
  );
});
