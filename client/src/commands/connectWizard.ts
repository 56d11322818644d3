// "Connect to Hypervisor…": a multi-step input modelled on virt-manager's Add Connection:
// hypervisor → local or remote (transport) → user and host → access → the URI, editable and
// checked as it is typed by our language service, in libvirt's words.
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { TRANSPORTS, findDriver, type TransportName } from '../../../server/src/languageservice/catalog';
import { LOCAL, buildUri, parseUserHost, type UriParts } from '../connections/uriParts';
import { clientConfigPath, readLibvirtConf } from '../../../server/src/languageservice/libvirtConf';
import { parseSshConfig, type SshHost } from '../../../server/src/languageservice/sshConfig';
import type { CheckUriResult } from '../../../server/src/languageserver/requests';
import type { HypervisorConnection } from '../connections/connectionManager';
import { MultiStepInput, type Step } from '../ui/multiStepInput';

export interface WizardResult {
  uri: string;
  readOnly: boolean;
}

export interface WizardContext {
  recent: readonly HypervisorConnection[];
  /** Our language service's verdict on a URI (libvirt/checkUri); undefined when it is not running. */
  check(uri: string): Promise<CheckUriResult | undefined>;
  /** Start from this URI (Edit URI after a failure). */
  initial?: WizardResult;
}

interface Hypervisor {
  label: string;
  driver: string;
  path: string;
}

/** The hypervisors offered, in virt-manager's order; paths are what libvirt accepts for each. */
function hypervisors(): Hypervisor[] {
  return [
    { label: 'QEMU/KVM', driver: 'qemu', path: '/system' },
    { label: vscode.l10n.t('QEMU/KVM user session'), driver: 'qemu', path: '/session' },
    { label: 'Xen', driver: 'xen', path: '/system' },
    { label: vscode.l10n.t('LXC (Linux containers)'), driver: 'lxc', path: '/system' },
    { label: 'Bhyve', driver: 'bhyve', path: '/system' },
    { label: 'Virtuozzo', driver: 'vz', path: '/system' },
    { label: 'Cloud Hypervisor', driver: 'ch', path: '/system' },
    { label: 'VMware ESX', driver: 'esx', path: '/' },
    { label: 'VMware vCenter', driver: 'vpx', path: '/datacenter/cluster' },
    { label: 'Microsoft Hyper-V', driver: 'hyperv', path: '/' },
    { label: vscode.l10n.t('Test driver'), driver: 'test', path: '/default' },
  ];
}

/** Read-only or full access: the wizard's step, and the question "Connect" on a URI in a file asks. */
export function accessChoices(): (vscode.QuickPickItem & { readOnly: boolean })[] {
  return [
    { label: vscode.l10n.t('Read-only'), description: vscode.l10n.t('browse the host; no changes, fewer permissions needed'), readOnly: true },
    { label: vscode.l10n.t('Full access'), description: vscode.l10n.t('read-write; needed for domain capabilities'), readOnly: false },
  ];
}

export function accessQuestion(): string {
  return vscode.l10n.t('Connect read-only or with full access?');
}

type Where = typeof LOCAL | TransportName;
const REMOTE_TRANSPORTS: readonly TransportName[] = ['ssh', 'libssh', 'libssh2', 'tls', 'tcp'];

interface State extends UriParts {
  readOnly?: boolean;
  uri?: string;
  /** The URI was typed first ("Enter a URI…"): access is the last step. */
  typed?: boolean;
}

interface Choice extends vscode.QuickPickItem {
  /** a whole URI (defaults, aliases, recent) */
  uri?: string;
  readOnly?: boolean;
  hypervisor?: Hypervisor;
  enter?: boolean;
}

const STEPS = 5;

function sshHosts(): SshHost[] {
  try {
    return parseSshConfig(readFileSync(path.join(os.homedir(), '.ssh', 'config'), 'utf8'));
  } catch {
    return [];
  }
}

function libvirtDefaults(): Choice[] {
  const choices: Choice[] = [];
  const env = process.env.LIBVIRT_DEFAULT_URI;
  if (env) choices.push({ label: env, description: 'LIBVIRT_DEFAULT_URI', uri: env });
  const file = clientConfigPath();
  const conf = readLibvirtConf(file);
  if (conf.uriDefault) choices.push({ label: conf.uriDefault, description: vscode.l10n.t('uri_default in {0}', file), uri: conf.uriDefault });
  for (const [alias, target] of conf.aliases) choices.push({ label: alias, description: `uri_aliases: ${target}`, detail: vscode.l10n.t('alias in {0}', file), uri: alias });
  return choices;
}

export async function runConnectWizard(context: WizardContext): Promise<WizardResult | undefined> {
  const state: State = { ...(context.initial ? { uri: context.initial.uri, readOnly: context.initial.readOnly } : {}) };
  const title = vscode.l10n.t('Connect to Hypervisor');

  const pickHypervisor: Step = async (input) => {
    const separator = (label: string): Choice => ({ label, kind: vscode.QuickPickItemKind.Separator });
    const defaults = libvirtDefaults();
    const recent: Choice[] = context.recent.map((c) => ({ label: c.name, description: c.uri, detail: c.readOnly ? vscode.l10n.t('read-only') : undefined, uri: c.uri, readOnly: c.readOnly }));
    const offered: Choice[] = hypervisors().map((h) => {
      const info = findDriver(h.driver);
      return { label: h.label, description: `${h.driver}://`, detail: info?.notBuilt ? `${info.doc}` : undefined, hypervisor: h };
    });
    const items: Choice[] = [
      ...(defaults.length ? [separator(vscode.l10n.t('libvirt defaults')), ...defaults] : []),
      ...(recent.length ? [separator(vscode.l10n.t('recent')), ...recent] : []),
      separator(vscode.l10n.t('hypervisors')),
      ...offered,
      { label: vscode.l10n.t('Enter a URI…'), enter: true, alwaysShow: true },
    ];
    const chosen = await input.pick({ title, step: 1, totalSteps: STEPS, placeholder: vscode.l10n.t('Which hypervisor?'), items });
    if (chosen.enter) {
      state.uri = state.uri ?? '';
      state.typed = true;
      return enterUri;
    }
    if (chosen.uri !== undefined) {
      state.uri = chosen.uri;
      if (chosen.readOnly !== undefined) {
        state.readOnly = chosen.readOnly;
        return enterUri;
      }
      return pickAccess;
    }
    const h = chosen.hypervisor!;
    state.driver = h.driver;
    state.path = h.path;
    state.uri = undefined;
    const info = findDriver(h.driver);
    if (info?.remoteOnly) {
      state.where = undefined;
      return pickHost;
    }
    // Drivers that only run inside the client library have nothing to reach remotely.
    if (info?.runsIn === 'client') {
      state.where = LOCAL;
      return pickAccess;
    }
    return pickWhere;
  };

  const pickWhere: Step = async (input) => {
    const items: (vscode.QuickPickItem & { where: Where })[] = [
      { label: vscode.l10n.t('Local'), description: vscode.l10n.t('this computer (UNIX socket)'), where: LOCAL },
      ...REMOTE_TRANSPORTS.map((t) => {
        const info = TRANSPORTS[t];
        const port = info.defaultPort ? vscode.l10n.t('port {0}', info.defaultPort) : vscode.l10n.t("ssh's port");
        const description = [`${state.driver}+${t}://`, port, ...(info.secure ? [] : [vscode.l10n.t('not encrypted')])].join(' · ');
        return { label: vscode.l10n.t('Remote: {0}', info.title), description, detail: info.doc, where: t };
      }),
    ];
    const chosen = await input.pick({ title, step: 2, totalSteps: STEPS, placeholder: vscode.l10n.t('Where does the hypervisor run?'), items, activeItem: items.find((i) => i.where === state.where) });
    state.where = chosen.where;
    return chosen.where === LOCAL ? pickAccess : pickHost;
  };

  const pickHost: Step = async (input) => {
    const hosts = sshHosts();
    type HostChoice = vscode.QuickPickItem & { value: string; sshUser?: string };
    const items: HostChoice[] = hosts.map((h) => ({
      label: h.alias,
      description: [h.user && vscode.l10n.t('user {0}', h.user), h.hostName && `→ ${h.hostName}`, h.port && vscode.l10n.t('port {0}', h.port)].filter(Boolean).join(' · ') || undefined,
      detail: '~/.ssh/config',
      value: h.alias,
      sshUser: h.user,
    }));
    const chosen = await input.pick<HostChoice>({
      title,
      step: 3,
      totalSteps: STEPS,
      placeholder: vscode.l10n.t('user@host:port (IPv6 as [::1]); the user and port are optional'),
      items,
      acceptTyped: (value) => ({ label: value, description: vscode.l10n.t('as typed'), value }),
    });
    Object.assign(state, parseUserHost(chosen.value));
    // libssh and libssh2 log in as root unless told, unlike ssh, which reads ~/.ssh/config.
    if (!state.user && chosen.sshUser && (state.where === 'libssh' || state.where === 'libssh2')) state.user = chosen.sshUser;
    return pickAccess;
  };

  const pickAccess: Step = async (input) => {
    const items = accessChoices();
    const chosen = await input.pick({ title, step: 4, totalSteps: STEPS, placeholder: accessQuestion(), items, activeItem: items.find((i) => i.readOnly === state.readOnly) });
    state.readOnly = chosen.readOnly;
    return state.typed ? undefined : enterUri;
  };

  let confirmed: string | undefined;
  const enterUri: Step = async (input) => {
    const uri = await input.input({
      title,
      step: 5,
      totalSteps: STEPS,
      prompt: state.readOnly ? vscode.l10n.t('The URI to open read-only; edit it as you like') : vscode.l10n.t('The URI to open; edit it as you like'),
      placeholder: 'qemu+ssh://user@host/system',
      value: state.uri ?? buildUri(state),
      validate: async (value) => {
        const result = value.trim() === '' ? undefined : await context.check(value.trim());
        const worst = result?.diagnostics.find((d) => d.severity === 'error') ?? result?.diagnostics.find((d) => d.severity === 'warning');
        if (!worst) return undefined;
        return { message: worst.message, severity: worst.severity === 'error' ? vscode.InputBoxValidationSeverity.Error : vscode.InputBoxValidationSeverity.Warning };
      },
      accept: async (value, validation, box) => {
        if (validation?.severity !== vscode.InputBoxValidationSeverity.Error || confirmed === value) return true;
        // libvirt will refuse it: connect only when asked twice.
        confirmed = value;
        box.validationMessage = { message: vscode.l10n.t('{0} — press Enter again to connect anyway', validation.message), severity: vscode.InputBoxValidationSeverity.Error };
        return false;
      },
    });
    state.uri = uri.trim();
    if (state.readOnly === undefined) return pickAccess;
  };

  if (context.initial) state.typed = true;
  const start = context.initial ? enterUri : pickHypervisor;
  if (!(await MultiStepInput.run(start)) || state.uri === undefined) return undefined;
  return { uri: state.uri, readOnly: state.readOnly ?? true };
}
