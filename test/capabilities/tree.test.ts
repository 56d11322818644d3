import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  capabilitiesTree,
  formatIdList,
  formatSize,
  formatTree,
  parseCapabilities,
} from '../../client/src/capabilities';
import type { CapabilitiesTreeNode } from '../../client/src/capabilities';

const SMALL = `<capabilities>
  <host>
    <uuid>11111111-2222-3333-4444-555555555555</uuid>
    <cpu>
      <arch>x86_64</arch>
      <model>Skylake-Client-IBRS</model>
      <vendor>Intel</vendor>
      <counter name='tsc' frequency='2711999000' scaling='no'/>
      <topology sockets='1' dies='1' cores='4' threads='2'/>
      <feature name='vmx'/>
      <feature name='invtsc'/>
      <pages unit='KiB' size='4'/>
      <pages unit='KiB' size='2048'/>
    </cpu>
    <power_management><suspend_mem/></power_management>
    <iommu support='no'/>
    <topology>
      <cells num='1'>
        <cell id='0'>
          <memory unit='KiB'>16318520</memory>
          <pages unit='KiB' size='4'>4079630</pages>
          <pages unit='KiB' size='2048'>0</pages>
          <distances><sibling id='0' value='10'/></distances>
          <cpus num='4'>
            <cpu id='0' socket_id='0' die_id='0' core_id='0' siblings='0,2'/>
            <cpu id='1' socket_id='0' die_id='0' core_id='1' siblings='1,3'/>
            <cpu id='2' socket_id='0' die_id='0' core_id='0' siblings='0,2'/>
            <cpu id='3' socket_id='0' die_id='0' core_id='1' siblings='1,3'/>
          </cpus>
        </cell>
      </cells>
    </topology>
    <secmodel>
      <model>dac</model>
      <doi>0</doi>
      <baselabel type='kvm'>+64055:+64055</baselabel>
    </secmodel>
  </host>
  <guest>
    <os_type>hvm</os_type>
    <arch name='x86_64'>
      <wordsize>64</wordsize>
      <emulator>/usr/bin/qemu-system-x86_64</emulator>
      <machine maxCpus='288'>pc-q35-7.2</machine>
      <machine canonical='pc-q35-7.2' maxCpus='288'>q35</machine>
      <machine maxCpus='255' deprecated='yes'>pc-i440fx-1.4</machine>
      <domain type='qemu'/>
      <domain type='kvm'>
        <emulator>/usr/bin/kvm</emulator>
      </domain>
    </arch>
    <features>
      <acpi default='on' toggle='yes'/>
      <cpuselection/>
    </features>
  </guest>
</capabilities>`;

const SMALL_TREE = `host  11111111-2222-3333-4444-555555555555
  cpu  x86_64, Skylake-Client-IBRS, Intel
    topology  1 socket, 1 die, 4 cores, 2 threads
    counter  tsc, 2.712 GHz, no scaling
    features  2
      vmx
      invtsc
    pages  4 KiB, 2 MiB
  power management  suspend_mem
  iommu  not supported
  NUMA topology  1 cell
    cell 0  15.56 GiB, 4 CPUs
      pages  4 KiB: 4079630, 2 MiB: 0
      distances  0: 10
      cpus  0-3
        cpu 0  socket 0, die 0, core 0, siblings 0,2
        cpu 1  socket 0, die 0, core 1, siblings 1,3
        cpu 2  socket 0, die 0, core 0, siblings 0,2
        cpu 3  socket 0, die 0, core 1, siblings 1,3
  secmodel dac  doi 0
    baselabel kvm  +64055:+64055
guest hvm  x86_64
  arch x86_64  64-bit
    emulator  /usr/bin/qemu-system-x86_64
    machines  3
      pc-q35-7.2  maxCpus 288
      q35  alias of pc-q35-7.2, maxCpus 288
      pc-i440fx-1.4  maxCpus 255, deprecated
    domain qemu
    domain kvm
      emulator  /usr/bin/kvm
  features  2
    acpi  default on, toggle yes
    cpuselection
`;

test('a small host prints as the exact indented tree', () => {
  assert.equal(formatTree(capabilitiesTree(parseCapabilities(SMALL))), SMALL_TREE);
});

function kinds(nodes: CapabilitiesTreeNode[]): string[] {
  return nodes.flatMap((n) => [`${n.kind}:${n.label}`, ...kinds(n.children)]);
}

test('nodes carry libvirt kinds', () => {
  const all = kinds(capabilitiesTree(parseCapabilities(SMALL)));
  for (const expected of [
    'host:host',
    'cpu:cpu',
    'cpu-topology:topology',
    'counter:counter',
    'cpu-features:features',
    'cpu-feature:vmx',
    'power-management:power management',
    'iommu:iommu',
    'numa:NUMA topology',
    'numa-cell:cell 0',
    'numa-cpu:cpu 3',
    'secmodel:secmodel dac',
    'baselabel:baselabel kvm',
    'guest:guest hvm',
    'arch:arch x86_64',
    'machine:q35',
    'domain:domain kvm',
    'emulator:emulator',
    'feature:acpi',
  ]) {
    assert.ok(all.includes(expected), `missing ${expected} in ${all.join(' | ')}`);
  }
});

test('tooltips explain what the description abbreviates', () => {
  const [host] = capabilitiesTree(parseCapabilities(SMALL));
  assert.equal(host.tooltip, 'Host UUID 11111111-2222-3333-4444-555555555555');
  const counter = host.children[0].children.find((n) => n.kind === 'counter');
  assert.equal(counter?.tooltip, '2711999000 Hz');
});

test('formatTree: two spaces per level, description after two spaces, none when absent', () => {
  const nodes: CapabilitiesTreeNode[] = [
    {
      label: 'a',
      kind: 'host',
      children: [{ label: 'b', description: 'x y', kind: 'cpu', children: [{ label: 'c', kind: 'feature', children: [] }] }],
    },
    { label: 'd', description: '', kind: 'guest', children: [] },
  ];
  assert.equal(formatTree(nodes), 'a\n  b  x y\n    c\nd\n');
  assert.equal(formatTree([]), '');
});

test('storage pool types and an absent host', () => {
  const xml = "<capabilities><pool><enum name='type'><value>dir</value><value>logical</value></enum></pool></capabilities>";
  assert.equal(formatTree(capabilitiesTree(parseCapabilities(xml))), 'pool types  dir, logical\n');
});

test('formatSize picks the largest binary unit', () => {
  assert.equal(formatSize(4, 'KiB'), '4 KiB');
  assert.equal(formatSize(2048, 'KiB'), '2 MiB');
  assert.equal(formatSize(1048576, 'KiB'), '1 GiB');
  assert.equal(formatSize(1536, 'KiB'), '1.5 MiB');
  assert.equal(formatSize(64, 'B'), '64 B');
  assert.equal(formatSize(11, 'MiB'), '11 MiB');
  assert.equal(formatSize(0, 'KiB'), '0 KiB');
  assert.equal(formatSize(7, 'pages'), '7 pages');
});

test('formatIdList uses cpuset ranges', () => {
  assert.equal(formatIdList([3, 0, 1, 2, 8, 10, 11]), '0-3,8,10-11');
  assert.equal(formatIdList([5]), '5');
  assert.equal(formatIdList([]), '');
});
