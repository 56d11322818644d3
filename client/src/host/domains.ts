// The domain list (virConnectListAllDomains) → one row per domain: name, state in virsh's
// words with a codicon per virDomainState, id; running domains first, then by name. The state
// words are virsh's (`virsh list`, `domstate --reason`), kept as libvirt says them.
import { t } from '../l10n';
import { infoNode, type InfoNode } from '../info/node';
import type { DomainSummary, Fact } from '../libvirt';
import { errorRow, infoError } from './facts';

export type DomainNodeKind = 'domain' | 'domain-uuid' | 'domain-state' | 'domain-id' | 'domains-error';

export type DomainTreeNode = InfoNode<DomainNodeKind>;

interface StateLook {
  /** virsh's word for the state (`virsh list`). */
  words: string;
  /** A codicon id, in @vscode/codicons 0.0.36 (VS Code 1.91). */
  icon: string;
  /** A theme colour id. */
  color?: string;
  /** virsh's words for the state's reasons (`virsh domstate --reason`), by reason number. */
  reasons: readonly string[];
  running: boolean;
}

/** Per `virDomainState` name, as the binding reports it. */
export const DOMAIN_STATE_LOOKS: Readonly<Record<string, StateLook>> = {
  nostate: { words: 'no state', icon: 'question', reasons: ['unknown'], running: false },
  running: {
    words: 'running',
    icon: 'vm-running',
    color: 'charts.green',
    reasons: ['unknown', 'booted', 'migrated', 'restored', 'from snapshot', 'unpaused', 'migration canceled', 'save canceled', 'event wakeup', 'crashed', 'post-copy', 'post-copy failed'],
    running: true,
  },
  // Running, but waiting on a resource.
  blocked: { words: 'idle', icon: 'vm-active', color: 'charts.green', reasons: ['unknown'], running: true },
  paused: {
    words: 'paused',
    icon: 'debug-pause',
    color: 'charts.yellow',
    reasons: ['unknown', 'user', 'migrating', 'saving', 'dumping', 'I/O error', 'watchdog', 'from snapshot', 'shutting down', 'creating snapshot', 'crashed', 'starting up', 'post-copy', 'post-copy failed', 'api error'],
    running: false,
  },
  shutdown: { words: 'in shutdown', icon: 'loading~spin', reasons: ['unknown', 'user'], running: false },
  shutoff: { words: 'shut off', icon: 'vm-outline', reasons: ['unknown', 'shutdown', 'destroyed', 'crashed', 'migrated', 'saved', 'failed', 'from snapshot', 'daemon'], running: false },
  crashed: { words: 'crashed', icon: 'error', color: 'errorForeground', reasons: ['unknown', 'panicked'], running: false },
  pmsuspended: { words: 'pmsuspended', icon: 'watch', color: 'charts.yellow', reasons: ['unknown'], running: false },
};

const UNKNOWN_STATE: StateLook = { words: '', icon: 'question', reasons: [], running: false };

function look(state: string): StateLook {
  return DOMAIN_STATE_LOOKS[state] ?? { ...UNKNOWN_STATE, words: state };
}

/** `running (booted)`, as `virsh domstate --reason` says it. */
export function stateWithReason(domain: DomainSummary): string {
  const l = look(domain.state);
  return `${l.words} (${l.reasons[domain.reason] ?? 'unknown'})`;
}

/** Running first, then by name (`web2` before `web10`). */
export function sortDomains(domains: readonly DomainSummary[]): DomainSummary[] {
  return [...domains].sort((a, b) => Number(look(b.state).running) - Number(look(a.state).running) || a.name.localeCompare(b.name, 'en', { numeric: true }));
}

/** How many are running, as sortDomains counts them (an idle domain runs). */
export function runningCount(domains: readonly DomainSummary[]): number {
  return domains.filter((d) => look(d.state).running).length;
}

const LIST_CALL = 'virConnectListAllDomains';

/** One row per domain, or one row saying why libvirt refused the list. */
export function domainsTree(domains: Fact<DomainSummary[]> | DomainSummary[]): DomainTreeNode[] {
  if (!Array.isArray(domains)) {
    if ('error' in domains) return [errorRow('domains-error', t('Domains'), infoError(domains))];
    domains = domains.value;
  }
  return sortDomains(domains).map(domainNode);
}

function domainNode(domain: DomainSummary): DomainTreeNode {
  const l = look(domain.state);
  const description = domain.id !== null ? t('{0}, id {1}', l.words, domain.id) : l.words;
  const state = stateWithReason(domain);
  const children: DomainTreeNode[] = [
    infoNode('domain-state', t('state'), { description: state, value: domain.state, source: { call: 'virDomainGetState' }, icon: l.icon, iconColor: l.color, tooltip: `virDomainState ${domain.state}, reason ${domain.reason}` }),
  ];
  if (domain.id !== null) children.push(infoNode('domain-id', t('id'), { description: String(domain.id), value: String(domain.id), source: { call: 'virDomainGetID' } }));
  children.push(infoNode('domain-uuid', 'UUID', { description: domain.uuid, value: domain.uuid, source: { call: 'virDomainGetUUIDString' } }));
  const tooltip = `${domain.id !== null ? t('{0}: {1}, id {2}', domain.name, state, domain.id) : t('{0}: {1}, inactive', domain.name, state)}\nUUID ${domain.uuid}`;
  return infoNode('domain', domain.name, { description, value: domain.name, source: { call: LIST_CALL }, icon: l.icon, iconColor: l.color, tooltip }, children);
}
