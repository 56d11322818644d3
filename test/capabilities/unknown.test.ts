import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { capabilitiesTree, formatTree, parseCapabilities } from '../../client/src/capabilities';
import { fixturesDir } from '../helpers/paths';

const caps = parseCapabilities(readFileSync(path.join(fixturesDir, 'capabilities', 'future-libvirt.xml'), 'utf8'));

test('unknown host elements and attributes are kept whole', () => {
  const host = caps.host;
  assert.ok(host);
  assert.deepEqual(host.unknownElements, [
    {
      name: 'x-confidential-computing',
      attributes: {},
      children: [
        {
          name: 'tdx',
          attributes: { supported: 'yes', version: '1.5' },
          children: [{ name: 'keyids', attributes: {}, text: '64', children: [] }],
        },
        { name: 'sev', attributes: { supported: 'no' }, children: [] },
      ],
    },
  ]);
  assert.deepEqual(host.iommu, { support: true, unknownAttributes: { 'x-model': 'intel' } });
});

test('unknown content inside the host cpu: new attribute, new element, attribute on a text element', () => {
  const cpu = caps.host?.cpu;
  assert.ok(cpu);
  assert.equal(cpu.model, 'Sierraforest');
  assert.deepEqual(cpu.topology, {
    sockets: 1,
    dies: 1,
    clusters: 2,
    cores: 8,
    threads: 1,
    unknownAttributes: { 'x-modules': '4' },
  });
  assert.deepEqual(cpu.features, ['avx-ifma']);
  assert.deepEqual(cpu.unknownElements, [
    { name: 'model', attributes: { 'x-fallback': 'allow' }, text: 'Sierraforest', children: [] },
    { name: 'x-cpu-cache', attributes: { level: '3', mode: 'passthrough' }, children: [] },
  ]);
});

test('unknown content inside wrappers (<cells>, <cpus>) is kept as a pruned copy', () => {
  const numa = caps.host?.numa;
  assert.ok(numa);
  assert.deepEqual(numa.unknownElements, [
    {
      name: 'cells',
      attributes: { num: '1', 'x-tiers': '2' },
      children: [{ name: 'x-memory-tier', attributes: { id: '1', kind: 'cxl' }, children: [] }],
    },
  ]);
  const cell = numa.cells[0];
  assert.deepEqual(cell.unknownAttributes, { 'x-memory-tier': 'dram' });
  assert.deepEqual(cell.unknownElements, [
    {
      name: 'cpus',
      attributes: { num: '2' },
      children: [{ name: 'x-offline-cpus', attributes: {}, text: '2-15', children: [] }],
    },
  ]);
  assert.deepEqual(cell.cpus[1], {
    id: 1,
    socketId: 0,
    dieId: 0,
    clusterId: 0,
    coreId: 1,
    siblings: '1',
    unknownAttributes: { 'x-module-id': '0' },
  });
  assert.deepEqual(caps.host?.secmodels[0].baselabels[0].unknownAttributes, { 'x-mls': 'yes' });
});

test('guests: unknown attributes, a malformed number kept as text, new domain types and features', () => {
  const arch = caps.guests[0].arch;
  assert.deepEqual(arch.machines, [
    { name: 'pc-q35-12.0', maxCpus: 4096, unknownAttributes: { 'x-acpi-default': 'on' } },
    { name: 'q35', canonical: 'pc-q35-12.0', unknownAttributes: { maxCpus: 'unlimited' } },
  ]);
  assert.deepEqual(arch.domains, [
    { type: 'kvm', machines: [], unknownAttributes: { 'x-accel-version': '2' } },
    { type: 'hvf', machines: [] },
  ]);
  assert.deepEqual(arch.unknownElements, [
    {
      name: 'x-firmware-list',
      attributes: {},
      children: [{ name: 'firmware', attributes: {}, text: '/usr/share/OVMF/OVMF_CODE_4M.fd', children: [] }],
    },
  ]);
  assert.deepEqual(caps.guests[0].features, [
    { name: 'acpi', defaultOn: true, toggle: true },
    { name: 'externalSnapshot' },
    { name: 'x-quantum', defaultOn: false, toggle: true, unknownAttributes: { 'x-since': '13.0' } },
  ]);
});

test('unknown top-level elements are kept, and the model survives JSON', () => {
  assert.deepEqual(caps.unknownElements, [
    { name: 'x-hypervisor-notes', attributes: { lang: 'en' }, text: 'Reported by a future driver.', children: [] },
  ]);
  assert.deepEqual(JSON.parse(JSON.stringify(caps)), caps);
});

test('unknown content shows up in the tree', () => {
  const text = formatTree(capabilitiesTree(caps));
  const expected = "\n  x-confidential-computing\n    tdx  supported='yes' version='1.5'\n      keyids  64\n";
  assert.ok(text.includes(expected), text);
  assert.ok(text.includes('\n      x-modules  4\n'), text);
  assert.ok(text.includes('\n        x-offline-cpus  2-15\n'), text);
  assert.ok(text.endsWith("x-hypervisor-notes  lang='en' Reported by a future driver.\n"), text);
  const host = capabilitiesTree(caps)[0];
  const element = host.children.find((n) => n.label === 'x-confidential-computing');
  assert.equal(element?.kind, 'element');
  assert.match(element?.tooltip ?? '', /Not modelled/);
});
