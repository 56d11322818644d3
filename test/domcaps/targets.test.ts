import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parseCapabilities } from '../../client/src/capabilities';
import { domainCapabilitiesTargets, parseDomainCapabilities } from '../../client/src/domcaps';
import { fixturesDir } from '../helpers/paths';

function targets(name: string): string[] {
  const caps = parseCapabilities(readFileSync(path.join(fixturesDir, 'capabilities', name), 'utf8'));
  return domainCapabilitiesTargets(caps).map((t) => (t.description ? `${t.label}  ${t.description}` : t.label));
}

test('KVM x86_64: per arch and domain type, the pc and q35 aliases', () => {
  assert.deepEqual(targets('kvm-x86_64.xml'), [
    'i686 qemu pc  pc-i440fx-7.2',
    'i686 qemu q35  pc-q35-7.2',
    'i686 kvm pc  pc-i440fx-7.2',
    'i686 kvm q35  pc-q35-7.2',
    'x86_64 qemu pc  pc-i440fx-7.2',
    'x86_64 qemu q35  pc-q35-7.2',
    'x86_64 kvm pc  pc-i440fx-7.2',
    'x86_64 kvm q35  pc-q35-7.2',
  ]);
});

test('KVM aarch64: the virt alias, kvm with its own emulator', () => {
  const caps = parseCapabilities(readFileSync(path.join(fixturesDir, 'capabilities', 'kvm-aarch64.xml'), 'utf8'));
  const kvm = domainCapabilitiesTargets(caps).find((t) => t.label === 'aarch64 kvm virt');
  assert.deepEqual(kvm, { label: 'aarch64 kvm virt', description: 'virt-7.2', emulator: '/usr/bin/qemu-kvm', query: { arch: 'aarch64', virtType: 'kvm', machine: 'virt' } });
  assert.deepEqual(targets('kvm-aarch64.xml'), ['armv7l qemu virt  virt-7.2', 'aarch64 qemu virt  virt-7.2', 'aarch64 kvm virt  virt-7.2']);
});

test("Xen: each guest's one machine; LXC: libvirt's default; a storage driver: none", () => {
  assert.deepEqual(targets('xen-libxl.xml'), ['x86_64 xen xenpv', 'i686 xen xenpv', 'i686 xen xenfv', 'x86_64 xen xenfv', 'x86_64 xen xenpvh']);
  assert.deepEqual(targets('lxc.xml'), ['x86_64 lxc', 'i686 lxc']);
  assert.deepEqual(targets('storage-pool.xml'), []);
});

test("the test driver: one target for its hvm and xen guests", () => {
  const caps = parseCapabilities(execFileSync('virsh', ['-c', 'test:///default', 'capabilities'], { encoding: 'utf8' }));
  assert.deepEqual(domainCapabilitiesTargets(caps), [{ label: 'i686 test', emulator: '/usr/bin/test-hv', query: { arch: 'i686', virtType: 'test' } }]);
});

test('the domain capabilities fixtures answer a target of their host', () => {
  for (const [host, domcaps] of [
    ['kvm-x86_64.xml', 'kvm-x86_64-q35.xml'],
    ['kvm-aarch64.xml', 'kvm-aarch64-virt.xml'],
  ]) {
    const caps = parseCapabilities(readFileSync(path.join(fixturesDir, 'capabilities', host), 'utf8'));
    const answer = parseDomainCapabilities(readFileSync(path.join(fixturesDir, 'domcaps', domcaps), 'utf8'));
    const target = domainCapabilitiesTargets(caps).find((t) => t.query.arch === answer.arch && t.query.virtType === answer.domain && t.description === answer.machine);
    assert.ok(target, `${domcaps} answers no target of ${host}`);
  }
});
