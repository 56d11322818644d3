import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { domainCapabilitiesTree, parseDomainCapabilities, type DomainCapabilities, type DomainCapsTreeNode } from '../../client/src/domcaps';
import { errorRow, infoError } from '../../client/src/host';
import { formatTree, nodeTooltip, walkNodes } from '../../client/src/info/node';
import { Hypervisor, LibvirtError } from '../../client/src/libvirt';
import { XmlDocumentError } from '../../client/src/xml/document';
import { fixturesDir } from '../helpers/paths';
import { assertRowsTraceable } from '../helpers/rows';

function read(name: string): string {
  return readFileSync(path.join(fixturesDir, 'domcaps', name), 'utf8');
}

const x86 = read('kvm-x86_64-q35.xml');
const arm = read('kvm-aarch64-virt.xml');
const future = read('future-libvirt.xml');

/** The row reached by following labels from the top. */
function row(nodes: DomainCapsTreeNode[], ...labels: string[]): DomainCapsTreeNode {
  let found: DomainCapsTreeNode | undefined;
  for (const label of labels) {
    found = nodes.find((n) => n.label === label);
    assert.ok(found, `no row '${label}' among ${nodes.map((n) => n.label).join(', ')}`);
    nodes = found.children;
  }
  return found!;
}

describe('domain capabilities: KVM x86_64, q35', () => {
  const caps = parseDomainCapabilities(x86);
  const tree = domainCapabilitiesTree(caps);

  it('reads the emulator, domain type, machine, arch, max vCPUs and iothreads', () => {
    assert.equal(caps.path, '/usr/bin/qemu-system-x86_64');
    assert.equal(caps.domain, 'kvm');
    assert.equal(caps.machine, 'pc-q35-7.2');
    assert.equal(caps.arch, 'x86_64');
    assert.deepEqual(caps.vcpu, { max: 288 });
    assert.deepEqual(caps.iothreads, { name: 'iothreads', supported: true, enums: [] });
    assert.equal(caps.unknownElements, undefined);
    assert.equal(caps.unknownAttributes, undefined);
  });

  it('reads firmware and loader choices: SeaBIOS and OVMF, Secure Boot', () => {
    const os = caps.os!;
    assert.equal(os.supported, true);
    assert.deepEqual(os.enums, [{ name: 'firmware', values: ['bios', 'efi'] }]);
    assert.deepEqual(os.loader?.values, ['/usr/share/OVMF/OVMF_CODE_4M.ms.fd', '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd', '/usr/share/OVMF/OVMF_CODE_4M.fd']);
    assert.deepEqual(
      os.loader?.enums.map((e) => `${e.name}=${e.values.join('|')}`),
      ['type=rom|pflash', 'readonly=yes|no', 'secure=yes|no'],
    );
  });

  it('reads the CPU modes: host-passthrough, maximum, host-model with its features, custom models', () => {
    const modes = caps.cpu!.modes;
    assert.deepEqual(modes.map((m) => `${m.name}:${m.supported}`), ['host-passthrough:true', 'maximum:true', 'host-model:true', 'custom:true']);
    assert.deepEqual(modes[0].enums, [{ name: 'hostPassthroughMigratable', values: ['on', 'off'] }]);
    const hostModel = modes[2];
    assert.deepEqual(hostModel.model, { name: 'Cascadelake-Server-noTSX', fallback: 'forbid' });
    assert.equal(hostModel.vendor, 'Intel');
    assert.equal(hostModel.features.length, 24);
    assert.deepEqual(hostModel.features.at(-1), { policy: 'disable', name: 'mpx' });
    const custom = modes[3];
    assert.equal(custom.models.length, 53);
    assert.deepEqual(custom.models.find((m) => m.name === 'Cascadelake-Server'), { name: 'Cascadelake-Server', usable: 'no', vendor: 'Intel' });
    assert.equal(custom.models.filter((m) => m.usable === 'yes').length, 31);
  });

  it('reads every device as supported plus enums', () => {
    assert.deepEqual(
      caps.devices!.map((d) => d.name),
      ['disk', 'graphics', 'video', 'hostdev', 'rng', 'filesystem', 'tpm', 'redirdev', 'channel'],
    );
    const hostdev = caps.devices!.find((d) => d.name === 'hostdev')!;
    assert.deepEqual(hostdev.enums.find((e) => e.name === 'capsType'), { name: 'capsType', values: [] });
    assert.deepEqual(hostdev.enums.find((e) => e.name === 'pciBackend')?.values, ['default', 'vfio']);
  });

  it('reads the features: no GIC, no SEV, no SGX, Hyper-V enlightenments', () => {
    assert.deepEqual(
      caps.features!.map((f) => `${f.name}:${f.supported}`),
      ['gic:false', 'vmcoreinfo:true', 'genid:true', 'backingStoreInput:true', 'backup:true', 'sev:false', 'sgx:false', 'hyperv:true'],
    );
    assert.equal(caps.features!.find((f) => f.name === 'sev')?.sev, undefined);
    assert.equal(caps.features!.find((f) => f.name === 'hyperv')?.enums[0].values.length, 14);
  });

  it('shows the top rows a user reads first', () => {
    const top = formatTree(tree.filter((n) => n.children.length === 0));
    assert.equal(top, 'emulator  /usr/bin/qemu-system-x86_64\ndomain type  kvm\nmachine  pc-q35-7.2\narch  x86_64\nmax vCPUs  288\niothreads  supported\n');
  });

  it('shows firmware, loader files and enums with what they govern in the domain XML', () => {
    assert.equal(row(tree, 'os', 'firmware').description, 'bios, efi');
    assert.match(row(tree, 'os', 'firmware').tooltip!, /<os firmware=…>/);
    const files = row(tree, 'os', 'loader', 'values');
    assert.equal(files.description, '3');
    assert.deepEqual(files.children.map((n) => n.label), ['/usr/share/OVMF/OVMF_CODE_4M.ms.fd', '/usr/share/OVMF/OVMF_CODE_4M.secboot.fd', '/usr/share/OVMF/OVMF_CODE_4M.fd']);
    assert.equal(row(tree, 'os', 'loader', 'secure').description, 'yes, no');
    assert.equal(row(tree, 'devices', 'disk', 'bus').description, 'fdc, scsi, virtio, usb, sata');
    assert.equal(row(tree, 'devices', 'disk', 'bus').tooltip, 'Values of <disk><target bus=…>');
    assert.equal(row(tree, 'devices', 'hostdev', 'capsType').description, 'none');
    assert.equal(row(tree, 'devices', 'video', 'modelType').description, 'vga, cirrus, vmvga, qxl, virtio, none, bochs, ramfb');
    assert.equal(row(tree, 'devices').description, '9 of 9 supported');
  });

  it('shows the CPU modes: host-model as the CPU a guest gets, custom models sorted with usability', () => {
    assert.equal(row(tree, 'cpu').description, 'host-passthrough, maximum, host-model, custom');
    assert.equal(row(tree, 'cpu', 'host-model').description, 'Cascadelake-Server-noTSX, Intel');
    assert.equal(row(tree, 'cpu', 'host-model', 'model').description, 'Cascadelake-Server-noTSX, fallback forbid');
    assert.equal(row(tree, 'cpu', 'host-model', 'features', 'hle').description, 'disable');
    const custom = row(tree, 'cpu', 'custom');
    assert.equal(custom.description, '53 models, 31 usable');
    assert.deepEqual(custom.children.slice(0, 4).map((n) => `${n.label}  ${n.description}`), ['486  usable', 'athlon  not usable, AMD', 'Broadwell  not usable, Intel', 'Broadwell-IBRS  not usable, Intel']);
    assert.equal(row(tree, 'cpu', 'custom', 'Cascadelake-Server-noTSX').icon, 'pass');
    assert.equal(row(tree, 'cpu', 'custom', 'Cascadelake-Server').icon, 'circle-slash');
  });

  it('shows features with their verdicts', () => {
    assert.equal(row(tree, 'features').description, '5 of 8 supported');
    assert.equal(row(tree, 'features', 'sev').description, 'not supported');
    assert.equal(row(tree, 'features', 'sev').children.length, 0);
    assert.match(row(tree, 'features', 'hyperv', 'features').description!, /^relaxed, vapic, spinlocks, /);
  });

  it('keeps for every leaf its raw value and an XPath that finds it', () => {
    assert.ok(assertRowsTraceable(tree, { domainCapabilities: x86 }) > 140);
    const bus = row(tree, 'devices', 'disk', 'bus');
    assert.deepEqual(bus.source, { document: 'domainCapabilities', xpath: "/domainCapabilities/devices/disk/enum[@name='bus']" });
    assert.equal(bus.value, 'fdc, scsi, virtio, usb, sata');
    assert.deepEqual(row(tree, 'max vCPUs').source, { document: 'domainCapabilities', xpath: '/domainCapabilities/vcpu/@max' });
    assert.equal(nodeTooltip(row(tree, 'devices', 'tpm')), 'TPM devices (<tpm>)\nValue: yes\nFrom: /domainCapabilities/devices/tpm/@supported');
  });
});

describe('domain capabilities: KVM aarch64, virt', () => {
  const caps = parseDomainCapabilities(arm);
  const tree = domainCapabilitiesTree(caps);

  it('shows the virt machine, AAVMF, GIC version 3 and no genid', () => {
    assert.equal(row(tree, 'machine').description, 'virt-7.2');
    assert.equal(row(tree, 'arch').description, 'aarch64');
    assert.equal(row(tree, 'os', 'firmware').description, 'efi');
    assert.deepEqual(row(tree, 'os', 'loader', 'values').children.map((n) => n.label), ['/usr/share/AAVMF/AAVMF_CODE.ms.fd', '/usr/share/AAVMF/AAVMF_CODE.fd']);
    assert.equal(row(tree, 'os', 'loader', 'secure').description, 'no');
    assert.equal(row(tree, 'features', 'gic').description, 'supported');
    assert.equal(row(tree, 'features', 'gic', 'version').description, '3');
    assert.equal(row(tree, 'features', 'gic', 'version').tooltip, 'Values of <features><gic version=…>');
    assert.equal(row(tree, 'features', 'genid').description, 'not supported');
    assert.equal(row(tree, 'devices', 'redirdev').description, 'not supported');
  });

  it('says CPU model usability is unknown, and host-model is not supported', () => {
    assert.equal(row(tree, 'cpu', 'host-model').description, 'not supported');
    assert.equal(row(tree, 'cpu', 'host-passthrough', 'hostPassthroughMigratable').description, 'off');
    assert.equal(row(tree, 'cpu', 'custom').description, '12 models, usability unknown');
    assert.equal(row(tree, 'cpu', 'custom', 'neoverse-n1').description, 'usability unknown');
    assert.equal(row(tree, 'cpu', 'custom', 'neoverse-n1').icon, 'question');
  });

  it('keeps for every leaf its raw value and an XPath that finds it', () => {
    assert.ok(assertRowsTraceable(tree, { domainCapabilities: arm }) > 50);
  });
});

describe('domain capabilities from a newer libvirt', () => {
  const caps: DomainCapabilities = parseDomainCapabilities(future);
  const tree = domainCapabilitiesTree(caps);

  it('reads devices and features it has no name for as devices and features', () => {
    assert.deepEqual(caps.devices?.map((d) => `${d.name}:${d.supported}`), ['disk:true', 'hostdev:true', 'panic:true', 'console:true', 'x-accelerator:false']);
    assert.deepEqual(caps.devices?.find((d) => d.name === 'console')?.enums, [{ name: 'type', values: ['pty', 'dbus'] }]);
    assert.deepEqual(caps.features?.find((f) => f.name === 'launchSecurity')?.enums, [{ name: 'sectype', values: ['sev', 'tdx'] }]);
    assert.equal(row(tree, 'devices', 'panic', 'model').description, 'pvpanic');
    assert.equal(row(tree, 'features', 'launchSecurity', 'sectype').tooltip, 'Values of <launchSecurity type=…>');
    assert.equal(row(tree, 'cpu', 'x-confidential', 'x-attestation').description, 'tdx');
  });

  it('reads SEV and SGX details, host-model maxphysaddr, blockers, aliases and deprecation', () => {
    const sev = caps.features?.find((f) => f.name === 'sev');
    assert.deepEqual(sev?.sev, { cbitpos: 51, reducedPhysBits: 1, maxGuests: 15, maxESGuests: 494, cpu0Id: '2sfJwOA2LMuk+Fq+lw==' });
    const sgx = caps.features?.find((f) => f.name === 'sgx');
    assert.deepEqual(sgx?.sgx, {
      flc: false,
      sgx1: true,
      sectionSize: { value: 524288, unit: 'KiB' },
      sections: [
        { node: 0, size: 262144, unit: 'KiB' },
        { node: 1, size: 262144, unit: 'KiB' },
      ],
    });
    const [, , hostModel, custom] = caps.cpu!.modes;
    assert.deepEqual(hostModel.maxPhysAddr, { mode: 'passthrough', limit: 46 });
    assert.deepEqual(custom.models, [
      { name: 'Sierraforest', usable: 'yes', vendor: 'Intel', canonical: 'Sierraforest-v2' },
      { name: 'Icelake-Client', usable: 'no', deprecated: true, vendor: 'Intel', blockers: ['hle', 'rtm'] },
      { name: 'Graniterapids', usable: 'maybe', vendor: 'Intel' },
    ]);
    assert.equal(row(tree, 'features', 'sgx', 'section_size').description, '512 MiB');
    assert.equal(row(tree, 'features', 'sgx', 'sections', 'node 1').description, '256 MiB');
    assert.equal(row(tree, 'cpu', 'custom', 'Icelake-Client', 'blockers').description, 'hle, rtm');
    assert.equal(row(tree, 'cpu', 'custom', 'Icelake-Client').description, 'not usable, Intel, deprecated');
  });

  it('keeps what it does not know, where it was found', () => {
    assert.deepEqual(caps.unknownAttributes, { 'x-schema': '12' });
    assert.deepEqual(caps.unknownElements, [{ name: 'x-notes', attributes: { lang: 'en' }, text: 'Reported by a future driver.', children: [] }]);
    assert.deepEqual(caps.vcpu, { max: 4096, unknownAttributes: { 'x-hotplug': 'yes' } });
    assert.deepEqual(caps.os?.unknownElements?.map((e) => e.name), ['firmwareFeatures', 'varstore']);
    assert.deepEqual(caps.os?.loader?.enums.map((e) => e.name), ['type', 'format']);
    const sev = caps.features?.find((f) => f.name === 'sev');
    assert.deepEqual(sev?.unknownElements, [{ name: 'x-snp', attributes: { supported: 'yes' }, children: [] }]);
    const sgx = caps.features?.find((f) => f.name === 'sgx');
    assert.deepEqual(sgx?.unknownElements, [{ name: 'sgx2', attributes: {}, text: 'maybe', children: [] }]);
    const hyperv = caps.features?.find((f) => f.name === 'hyperv');
    assert.deepEqual(hyperv?.unknownElements?.[0].children.map((c) => `${c.name}=${c.text}`), ['spinlocks=4095', 'stimer_direct=on']);
    const disk = caps.devices?.find((d) => d.name === 'disk');
    assert.deepEqual(disk?.enums[0].unknownElements, [{ name: 'value', attributes: { 'x-preferred': 'yes' }, text: 'nvme', children: [] }]);
    assert.deepEqual(caps.cpu?.modes[2].features[1].unknownAttributes, { 'x-since': '12.0' });
    assert.deepEqual(JSON.parse(JSON.stringify(caps)), caps);
  });

  it('shows what it does not know as found', () => {
    const text = formatTree(tree);
    assert.ok(text.includes("\n  firmwareFeatures  supported='yes'\n    enum  name='secureBoot'\n      value  yes\n"), text);
    assert.ok(text.includes('\n    defaults\n      spinlocks  4095\n'), text);
    assert.ok(text.endsWith("x-schema  12\nx-notes  lang='en' Reported by a future driver.\n"), text);
    assert.equal(row(tree, 'cpu', 'custom', 'Graniterapids').description, "usable 'maybe', Intel");
    assert.match(row(tree, 'x-notes').tooltip!, /Not modelled/);
  });

  it('keeps for every leaf its raw value and an XPath that finds it', () => {
    assertRowsTraceable(tree, { domainCapabilities: future });
  });
});

describe('domain capabilities that are not', () => {
  const failure = (xml: string): string => {
    try {
      parseDomainCapabilities(xml);
    } catch (e) {
      assert.ok(e instanceof XmlDocumentError, String(e));
      return e.message;
    }
    assert.fail('parsed');
  };

  it('names what is wrong', () => {
    assert.equal(failure(''), 'domain capabilities XML is empty');
    assert.equal(failure(readFileSync(path.join(fixturesDir, 'capabilities', 'lxc.xml'), 'utf8')), 'expected a <domainCapabilities> document, found <capabilities>');
    assert.equal(failure('<domainCapabilities><arch>x86_64</arch></domainCapabilities>'), '/domainCapabilities: missing <domain>');
    assert.equal(failure("<domainCapabilities><domain>kvm</domain><arch>x86_64</arch><vcpu max='many'/></domainCapabilities>"), "/domainCapabilities/vcpu: attribute 'max' is not a whole number: 'many'");
    assert.match(failure('<domainCapabilities><domain>kvm'), /^not well-formed XML: /);
  });

  it('reads the smallest document libvirt may give', () => {
    const caps = parseDomainCapabilities('<domainCapabilities><domain>test</domain><arch>i686</arch></domainCapabilities>');
    assert.deepEqual(caps, { domain: 'test', arch: 'i686' });
    assert.equal(formatTree(domainCapabilitiesTree(caps)), 'domain type  test\narch  i686\n');
  });
});

describe("libvirt 9.0.0's test driver and domain capabilities", () => {
  it('refuses them: read-only by ACL, read-write because the driver has no such call; the row says so in its words', async () => {
    const hv = await Hypervisor.start();
    try {
      const refusal = async (readOnly: boolean): Promise<LibvirtError> => {
        const conn = await hv.open('test:///default', { readOnly });
        try {
          await conn.domainCapabilities({ virtType: 'test' });
        } catch (e) {
          assert.ok(e instanceof LibvirtError, String(e));
          return e;
        } finally {
          await conn.close();
        }
        assert.fail('the test driver gave domain capabilities');
      };
      const readOnly = errorRow('domain-capabilities', 'Domain capabilities', infoError(await refusal(true)));
      assert.equal(readOnly.description, 'operation forbidden: read only access prevents virConnectGetDomainCapabilities');
      assert.deepEqual(readOnly.error, {
        message: 'operation forbidden: read only access prevents virConnectGetDomainCapabilities',
        code: 'VIR_ERR_OPERATION_DENIED',
        domain: 'VIR_FROM_DOMAIN',
        call: 'virConnectGetDomainCapabilities',
      });
      const readWrite = errorRow('domain-capabilities', 'Domain capabilities', infoError(await refusal(false)));
      assert.equal(readWrite.description, 'this function is not supported by the connection driver: virConnectGetDomainCapabilities');
      assert.equal(readWrite.error?.code, 'VIR_ERR_NO_SUPPORT');
      assert.equal(nodeTooltip(readWrite), 'virConnectGetDomainCapabilities failed: this function is not supported by the connection driver: virConnectGetDomainCapabilities\nVIR_ERR_NO_SUPPORT, VIR_FROM_DOMAIN');
      assert.equal(formatTree([readWrite]), 'Domain capabilities  (this function is not supported by the connection driver: virConnectGetDomainCapabilities)\n');
      assert.equal(walkNodes([readWrite]).length, 1);
    } finally {
      await hv.dispose();
    }
  });
});
