import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCapabilities } from '../../client/src/capabilities';
import type { Capabilities, Guest } from '../../client/src/capabilities';
import { fixturesDir } from '../helpers/paths';

function fixture(name: string): Capabilities {
  return parseCapabilities(readFileSync(path.join(fixturesDir, 'capabilities', name), 'utf8'));
}

function guestFor(caps: Capabilities, osType: string, arch: string): Guest {
  const guest = caps.guests.find((g) => g.osType === osType && g.arch.name === arch);
  assert.ok(guest, `no ${osType}/${arch} guest`);
  return guest;
}

test('KVM x86_64 host: cpu', () => {
  const cpu = fixture('kvm-x86_64.xml').host?.cpu;
  assert.ok(cpu);
  assert.equal(cpu.arch, 'x86_64');
  assert.equal(cpu.model, 'Cascadelake-Server-noTSX');
  assert.equal(cpu.vendor, 'Intel');
  assert.deepEqual(cpu.microcode, { version: '83898371' });
  assert.deepEqual(cpu.signature, { family: 6, model: 85, stepping: 7 });
  assert.deepEqual(cpu.counter, { name: 'tsc', frequency: 2194842000, scaling: false });
  assert.deepEqual(cpu.topology, { sockets: 1, dies: 1, cores: 8, threads: 2 });
  assert.deepEqual(cpu.maxPhysAddr, { mode: 'emulate', bits: 46 });
  assert.deepEqual(cpu.flags, []);
  assert.equal(cpu.features.length, 23);
  assert.equal(cpu.features[0], 'ds');
  assert.ok(cpu.features.includes('pdpe1gb'));
  assert.deepEqual(cpu.pages, [
    { value: 4, unit: 'KiB' },
    { value: 2048, unit: 'KiB' },
    { value: 1048576, unit: 'KiB' },
  ]);
  assert.equal(cpu.unknownElements, undefined);
});

test('KVM x86_64 host: power management, iommu, migration', () => {
  const host = fixture('kvm-x86_64.xml').host;
  assert.ok(host);
  assert.equal(host.uuid, '4c4c4544-0047-3310-8052-b4c04f4e3732');
  assert.deepEqual(host.powerManagement, ['suspend_mem', 'suspend_disk', 'suspend_hybrid']);
  assert.deepEqual(host.iommu, { support: true });
  assert.deepEqual(host.migration, { live: true, uriTransports: ['tcp', 'rdma'] });
  assert.equal(host.netprefix, undefined);
  assert.equal(host.unknownElements, undefined);
});

test('KVM x86_64 host: two NUMA cells with hugepages, distances, cpus, caches, interconnects', () => {
  const numa = fixture('kvm-x86_64.xml').host?.numa;
  assert.ok(numa);
  assert.equal(numa.cells.length, 2);
  const [cell0, cell1] = numa.cells;
  assert.equal(cell0.id, 0);
  assert.deepEqual(cell0.memory, { value: 65692184, unit: 'KiB' });
  assert.deepEqual(cell0.pages, [
    { size: 4, unit: 'KiB', count: 15374766 },
    { size: 2048, unit: 'KiB', count: 1024 },
    { size: 1048576, unit: 'KiB', count: 4 },
  ]);
  assert.deepEqual(cell0.distances, [
    { id: 0, value: 10 },
    { id: 1, value: 21 },
  ]);
  assert.deepEqual(cell0.caches, [
    {
      level: 1,
      associativity: 'direct',
      policy: 'writeback',
      size: { value: 32, unit: 'KiB' },
      line: { value: 64, unit: 'B' },
    },
  ]);
  assert.equal(cell0.cpus.length, 16);
  assert.deepEqual(cell0.cpus[8], { id: 16, socketId: 0, dieId: 0, coreId: 0, siblings: '0,16' });
  assert.equal(cell1.id, 1);
  assert.equal(cell1.memory?.value, 66057188);
  assert.deepEqual(cell1.caches, []);
  assert.deepEqual(
    cell1.cpus.map((c) => c.id),
    [8, 9, 10, 11, 12, 13, 14, 15, 24, 25, 26, 27, 28, 29, 30, 31],
  );
  assert.equal(cell1.cpus[15].socketId, 1);
  assert.deepEqual(numa.interconnects, {
    latencies: [
      { initiator: 0, target: 0, type: 'access', value: 5 },
      { initiator: 0, target: 1, cache: 1, type: 'read', value: 12 },
    ],
    bandwidths: [{ initiator: 0, target: 0, type: 'access', value: 204800, unit: 'KiB' }],
  });
});

test('KVM x86_64 host: cache banks, memory bandwidth, secmodels', () => {
  const host = fixture('kvm-x86_64.xml').host;
  assert.ok(host?.cache && host.memoryBandwidth);
  assert.deepEqual(host.cache.banks[1], {
    id: 1,
    level: 3,
    type: 'both',
    size: { value: 11, unit: 'MiB' },
    cpus: '8-15,24-31',
    controls: [{ granularity: 1, unit: 'MiB', type: 'both', maxAllocs: 16 }],
  });
  assert.deepEqual(host.cache.monitor, { level: 3, reuseThreshold: 360448, maxMonitors: 224, features: ['llc_occupancy'] });
  assert.deepEqual(host.memoryBandwidth.nodes[0], {
    id: 0,
    cpus: '0-7,16-23',
    control: { granularity: 10, min: 10, maxAllocs: 8 },
  });
  assert.deepEqual(host.memoryBandwidth.monitor, { maxMonitors: 224, features: ['mbm_total_bytes', 'mbm_local_bytes'] });
  assert.deepEqual(host.secmodels, [
    {
      model: 'selinux',
      doi: '0',
      baselabels: [
        { type: 'kvm', label: 'system_u:system_r:svirt_t:s0' },
        { type: 'qemu', label: 'system_u:system_r:svirt_tcg_t:s0' },
      ],
    },
    {
      model: 'dac',
      doi: '0',
      baselabels: [
        { type: 'kvm', label: '+107:+107' },
        { type: 'qemu', label: '+107:+107' },
      ],
    },
  ]);
});

test('KVM x86_64 guests: machines, domains, features', () => {
  const caps = fixture('kvm-x86_64.xml');
  assert.deepEqual(
    caps.guests.map((g) => `${g.osType}/${g.arch.name}/${g.arch.wordsize}`),
    ['hvm/i686/32', 'hvm/x86_64/64'],
  );
  const i686 = guestFor(caps, 'hvm', 'i686');
  assert.equal(i686.arch.emulator, '/usr/bin/qemu-system-i386');
  assert.equal(i686.arch.loader, undefined);
  assert.equal(i686.arch.machines.length, 18);
  assert.deepEqual(i686.arch.machines[1], { name: 'pc', canonical: 'pc-i440fx-7.2', maxCpus: 255 });
  assert.deepEqual(
    i686.arch.machines.filter((m) => m.deprecated).map((m) => m.name),
    ['pc-i440fx-1.6', 'pc-i440fx-1.5', 'pc-i440fx-1.4'],
  );
  assert.deepEqual(i686.arch.domains, [
    { type: 'qemu', machines: [] },
    { type: 'kvm', machines: [] },
  ]);
  assert.deepEqual(i686.features, [
    { name: 'pae' },
    { name: 'nonpae' },
    { name: 'acpi', defaultOn: true, toggle: true },
    { name: 'apic', defaultOn: true, toggle: false },
    { name: 'cpuselection' },
    { name: 'deviceboot' },
    { name: 'disksnapshot', defaultOn: true, toggle: false },
  ]);
  const x86 = guestFor(caps, 'hvm', 'x86_64');
  assert.equal(x86.arch.machines.length, 19);
  assert.deepEqual(x86.arch.machines.at(-1), { name: 'microvm', maxCpus: 288 });
  assert.deepEqual(
    x86.features.map((f) => f.name),
    ['acpi', 'apic', 'cpuselection', 'deviceboot', 'disksnapshot'],
  );
  assert.equal(caps.pool, undefined);
});

test('aarch64 KVM host: clusters, page sizes, domain overrides', () => {
  const caps = fixture('kvm-aarch64.xml');
  const cpu = caps.host?.cpu;
  assert.ok(cpu);
  assert.equal(cpu.arch, 'aarch64');
  assert.equal(cpu.model, 'Neoverse-N1');
  assert.equal(cpu.vendor, 'ARM');
  assert.equal(cpu.signature, undefined);
  assert.deepEqual(cpu.topology, { sockets: 1, dies: 1, clusters: 4, cores: 4, threads: 1 });
  assert.deepEqual(
    cpu.pages.map((p) => p.value),
    [4, 64, 2048, 32768, 1048576],
  );
  assert.deepEqual(caps.host?.powerManagement, []);
  const cell = caps.host?.numa?.cells[0];
  assert.ok(cell);
  assert.deepEqual(cell.cpus[13], { id: 13, socketId: 0, dieId: 0, clusterId: 3, coreId: 13, siblings: '13' });
  assert.deepEqual(
    caps.guests.map((g) => g.arch.name),
    ['armv7l', 'aarch64'],
  );
  const armv7l = guestFor(caps, 'hvm', 'armv7l');
  assert.deepEqual(
    armv7l.arch.domains.map((d) => d.type),
    ['qemu'],
  );
  const aarch64 = guestFor(caps, 'hvm', 'aarch64');
  assert.deepEqual(aarch64.arch.domains[1], {
    type: 'kvm',
    emulator: '/usr/bin/qemu-kvm',
    machines: [
      { name: 'virt-7.2', maxCpus: 512 },
      { name: 'virt', canonical: 'virt-7.2', maxCpus: 512 },
    ],
  });
  assert.deepEqual(aarch64.features[0], { name: 'acpi', defaultOn: true, toggle: true });
});

test('LXC host: exe guests with the libvirt_lxc emulator', () => {
  const caps = fixture('lxc.xml');
  assert.equal(caps.host?.cpu?.vendor, 'AMD');
  assert.deepEqual(caps.host?.cpu?.counter, { name: 'tsc', frequency: 2994374000, scaling: true });
  assert.deepEqual(caps.host?.iommu, { support: false });
  assert.equal(caps.host?.migration, undefined);
  assert.deepEqual(caps.host?.secmodels, [{ model: 'apparmor', doi: '0', baselabels: [] }]);
  assert.equal(caps.guests.length, 2);
  for (const guest of caps.guests) {
    assert.equal(guest.osType, 'exe');
    assert.equal(guest.arch.emulator, '/usr/lib/libvirt/libvirt_lxc');
    assert.deepEqual(guest.arch.machines, []);
    assert.deepEqual(guest.arch.domains, [{ type: 'lxc', machines: [] }]);
    assert.deepEqual(guest.features, []);
  }
  assert.deepEqual(
    caps.guests.map((g) => g.arch.wordsize),
    [64, 32],
  );
});

test('Xen (libxl) host: netprefix, old-style flags, xen/hvm/xenpvh guests, loader', () => {
  const caps = fixture('xen-libxl.xml');
  const host = caps.host;
  assert.ok(host);
  assert.equal(host.uuid, undefined);
  assert.equal(host.netprefix, 'vif');
  assert.deepEqual(host.cpu?.flags, ['vmx', 'pae']);
  assert.deepEqual(host.cpu?.features, []);
  assert.equal(host.cpu?.model, undefined);
  assert.deepEqual(host.migration, { live: true, uriTransports: ['xenmigr'] });
  assert.deepEqual(host.secmodels, []);
  assert.equal(host.numa?.cells[0].cpus[2].dieId, undefined);
  assert.equal(host.numa?.cells[0].pages.length, 0);
  assert.deepEqual(
    caps.guests.map((g) => `${g.osType}/${g.arch.name}`),
    ['xen/x86_64', 'xen/i686', 'hvm/i686', 'hvm/x86_64', 'xenpvh/x86_64'],
  );
  const hvm = guestFor(caps, 'hvm', 'x86_64');
  assert.equal(hvm.arch.loader, '/usr/lib/xen-4.17/boot/hvmloader');
  assert.deepEqual(hvm.arch.machines, [{ name: 'xenfv' }]);
  assert.deepEqual(hvm.features.at(-1), { name: 'hap', defaultOn: true, toggle: true });
  const pvh = guestFor(caps, 'xenpvh', 'x86_64');
  assert.deepEqual(pvh.arch.machines, [{ name: 'xenpvh' }]);
  assert.deepEqual(pvh.arch.domains, [{ type: 'xen', machines: [] }]);
  assert.deepEqual(guestFor(caps, 'xen', 'i686').features, [{ name: 'pae' }]);
});

test('storage driver capabilities: no host, pool types', () => {
  const caps = fixture('storage-pool.xml');
  assert.equal(caps.host, undefined);
  assert.deepEqual(caps.guests, []);
  assert.equal(caps.pool?.types.length, 11);
  assert.deepEqual(caps.pool?.types.slice(0, 4), ['dir', 'fs', 'netfs', 'logical']);
  assert.equal(caps.pool?.unknownElements, undefined);
});

test('example 3.8 of the seed guide (QEMU, older libvirt)', () => {
  const caps = parseCapabilities(EXAMPLE_3_8);
  assert.equal(caps.host?.uuid, undefined);
  assert.equal(caps.host?.cpu?.arch, 'x86_64');
  assert.equal(caps.host?.powerManagement, undefined);
  assert.equal(caps.host?.iommu, undefined);
  assert.deepEqual(caps.host?.migration, { live: true, uriTransports: ['tcp'] });
  assert.deepEqual(caps.host?.numa?.cells, [
    { id: 0, pages: [], distances: [], caches: [], cpus: [{ id: 0 }, { id: 1 }] },
  ]);
  const i686 = guestFor(caps, 'hvm', 'i686');
  assert.equal(i686.arch.emulator, '/usr/bin/qemu');
  assert.deepEqual(
    i686.arch.machines.map((m) => m.name),
    ['pc', 'isapc'],
  );
  assert.deepEqual(i686.arch.domains, [
    { type: 'qemu', machines: [] },
    { type: 'kvm', emulator: '/usr/bin/qemu-kvm', machines: [] },
  ]);
  assert.deepEqual(guestFor(caps, 'hvm', 'x86_64').features, [
    { name: 'acpi', defaultOn: true, toggle: true },
    { name: 'apic', defaultOn: true, toggle: false },
  ]);
});

const EXAMPLE_3_8 = `<capabilities>
 <host>
   <cpu>
     <arch>x86_64</arch>
   </cpu>
   <migration_features>
     <live/>
     <uri_transports>
       <uri_transport>tcp</uri_transport>
     </uri_transports>
   </migration_features>
   <topology>
     <cells num='1'>
       <cell id='0'>
         <cpus num='2'>
           <cpu id='0'/>
           <cpu id='1'/>
         </cpus>
       </cell>
     </cells>
   </topology>
 </host>

 <guest>
   <os_type>hvm</os_type>
   <arch name='i686'>
     <wordsize>32</wordsize>
     <emulator>/usr/bin/qemu</emulator>
     <machine>pc</machine>
     <machine>isapc</machine>
     <domain type='qemu'>
     </domain>
     <domain type='kvm'>
       <emulator>/usr/bin/qemu-kvm</emulator>
     </domain>
   </arch>
   <features>
     <pae/>
     <nonpae/>
     <acpi default='on' toggle='yes'/>
     <apic default='on' toggle='no'/>
   </features>
 </guest>

 <guest>
   <os_type>hvm</os_type>
   <arch name='x86_64'>
     <wordsize>64</wordsize>
     <emulator>/usr/bin/qemu-system-x86_64</emulator>
     <machine>pc</machine>
     <machine>isapc</machine>
     <domain type='qemu'>
     </domain>
     <domain type='kvm'>
       <emulator>/usr/bin/qemu-kvm</emulator>
     </domain>
   </arch>
   <features>
     <acpi default='on' toggle='yes'/>
     <apic default='on' toggle='no'/>
   </features>
 </guest>

</capabilities>`;
