// How a connection is named in the UI, as virt-manager names them: the hypervisor, then the
// host for a remote one ("QEMU/KVM", "QEMU/KVM User session", "Xen: host1").
import { parseUri } from '../../../server/src/languageservice/uri/parser';
import { t } from '../l10n';

const HYPERVISORS: Readonly<Record<string, string>> = {
  qemu: 'QEMU/KVM',
  xen: 'Xen',
  lxc: 'LXC',
  test: 'Test',
  vbox: 'VirtualBox',
  esx: 'ESX',
  gsx: 'GSX',
  vpx: 'vCenter',
  hyperv: 'Hyper-V',
  bhyve: 'bhyve',
  vz: 'Virtuozzo',
  parallels: 'Virtuozzo',
  ch: 'Cloud Hypervisor',
  openvz: 'OpenVZ',
  vmwareplayer: 'VMware Player',
  vmwarews: 'VMware Workstation',
  vmwarefusion: 'VMware Fusion',
};

/** null: libvirt's default URI. Unknown drivers keep their own name. */
export function displayName(uri: string | null): string {
  if (uri === null || uri === '') return t('Default connection');
  const parsed = parseUri(uri);
  const driver = parsed.driver?.text;
  if (!driver) return uri;
  let name = HYPERVISORS[driver] ?? driver;
  if (driver === 'qemu' && parsed.path.text === '/session') name = t('{0} User session', name);
  const host = parsed.host?.text;
  return host ? `${name}: ${host}` : name;
}
