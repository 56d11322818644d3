import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { formatTree } from '../../client/src/info/node';
import { parseSysinfo, sysinfoTree, sysinfoValue } from '../../client/src/sysinfo';
import { XmlDocumentError } from '../../client/src/xml/document';
import { fixturesDir } from '../helpers/paths';
import { assertRowsTraceable } from '../helpers/rows';

const dell = readFileSync(path.join(fixturesDir, 'sysinfo', 'dell-r640.xml'), 'utf8');

test('a server: every SMBIOS table, repeated processors and DIMMs, OEM strings', () => {
  const sysinfo = parseSysinfo(dell);
  assert.equal(sysinfo.type, 'smbios');
  assert.deepEqual(
    sysinfo.sections.map((s) => s.name),
    ['bios', 'system', 'baseBoard', 'chassis', 'processor', 'processor', 'memory_device', 'memory_device'],
  );
  assert.deepEqual(sysinfo.oemStrings, ['Dell System', '1[08FF]', '3[1.0]']);
  assert.equal(sysinfoValue(sysinfo, 'system', 'product'), 'PowerEdge R640');
  assert.equal(sysinfoValue(sysinfo, 'baseBoard', 'asset'), undefined, 'an empty entry is no value');
  assert.equal(sysinfo.unknownElements, undefined);
});

test('a server as rows: a table sums itself up, its entries beneath', () => {
  const tree = sysinfoTree(parseSysinfo(dell));
  assert.deepEqual(
    tree.map((n) => `${n.label}  ${n.description}`),
    [
      'bios  Dell Inc. 2.17.1',
      'system  Dell Inc. PowerEdge R640',
      'baseBoard  Dell Inc. 0H28RR',
      'chassis  Dell Inc.',
      'processor  CPU1 Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
      'processor  CPU2 Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
      'memory_device  A1 32 GB DDR4',
      'memory_device  B1 32 GB DDR4',
      'oemStrings  3',
    ],
  );
  assert.equal(tree[4].tooltip, 'SMBIOS type 4: processor');
  const speed = tree[7].children.find((n) => n.label === 'speed');
  assert.deepEqual(speed?.source, { document: 'sysinfo', xpath: "/sysinfo/memory_device[2]/entry[@name='speed']" });
  assert.ok(assertRowsTraceable(tree, { sysinfo: dell }) > 60);
});

test("the test driver's sysinfo: a BIOS table only", () => {
  const xml = execFileSync('virsh', ['-c', 'test:///default', 'sysinfo'], { encoding: 'utf8' });
  const tree = sysinfoTree(parseSysinfo(xml));
  assert.equal(formatTree(tree), 'bios  LENOVO G4ETA1WW (2.61 )\n  vendor  LENOVO\n  version  G4ETA1WW (2.61 )\n  date  05/07/2014\n  release  2.61\n');
  assertRowsTraceable(tree, { sysinfo: xml });
});

test('fw_cfg entries, and tables and entries a newer libvirt may add, are kept and shown', () => {
  const xml = `<sysinfo type='fwcfg' x-origin='host'>
  <entry name='opt/com.example/name'>example</entry>
  <entry name='opt/com.example/config' file='/etc/example.conf'/>
  <x-tpm-table><entry name='vendor'>Infineon</entry><x-log>on</x-log></x-tpm-table>
</sysinfo>`;
  const sysinfo = parseSysinfo(xml);
  assert.deepEqual(sysinfo.entries, [
    { name: 'opt/com.example/name', value: 'example' },
    { name: 'opt/com.example/config', value: '', file: '/etc/example.conf' },
  ]);
  assert.deepEqual(sysinfo.sections, [{ name: 'x-tpm-table', entries: [{ name: 'vendor', value: 'Infineon' }], unknownElements: [{ name: 'x-log', attributes: {}, text: 'on', children: [] }] }]);
  assert.deepEqual(sysinfo.unknownAttributes, { 'x-origin': 'host' });
  const text = formatTree(sysinfoTree(sysinfo));
  assert.equal(text, "opt/com.example/name  example\nopt/com.example/config  file /etc/example.conf\nx-tpm-table\n  vendor  Infineon\n  x-log  on\nx-origin  host\n");
  assertRowsTraceable(sysinfoTree(sysinfo), { sysinfo: xml });
});

test('not sysinfo', () => {
  assert.throws(() => parseSysinfo('<capabilities/>'), (e: unknown) => e instanceof XmlDocumentError && e.message === 'expected a <sysinfo> document, found <capabilities>');
  assert.throws(() => parseSysinfo('<sysinfo><bios/></sysinfo>'), /^XmlDocumentError: \/sysinfo: missing attribute 'type'$/);
});
