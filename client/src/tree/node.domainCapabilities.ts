// "Domain capabilities": one node per guest arch, domain type and machine, each loaded on
// expand (virConnectGetDomainCapabilities). A read-only connection is refused by libvirt: the
// node says so in libvirt's words and offers to reconnect with full access.
import * as vscode from 'vscode';
import { domainCapabilitiesTargets, domainCapabilitiesTree, parseDomainCapabilities, type DomainCapsTarget } from '../domcaps';
import { LibvirtError, type HostFacts } from '../libvirt';
import { describeFailure } from '../connections/hints';
import { InfoTreeNode } from './node.info';
import { MessageNode } from './node.message';
import type { TreeNode } from './treeNode';
import { capabilitiesOf, type ConnectionContext } from './view';

/** Fetched documents per set of host facts: expanding again costs nothing, a refresh starts afresh. */
const fetched = new WeakMap<HostFacts, Map<string, Promise<string>>>();

export function domainCapabilitiesXml(context: ConnectionContext, target: DomainCapsTarget): Promise<string> {
  let cache = fetched.get(context.facts);
  if (!cache) fetched.set(context.facts, (cache = new Map()));
  const key = JSON.stringify(target.query);
  let xml = cache.get(key);
  if (!xml) {
    xml = context.manager.domainCapabilities(context.connection, target.query);
    // A failure is shown once; expanding again (or Retry) asks again.
    xml.catch(() => cache.delete(key));
    cache.set(key, xml);
  }
  return xml;
}

export class DomainCapabilitiesNode implements TreeNode {
  constructor(readonly context: ConnectionContext) {}

  private targets(): DomainCapsTarget[] {
    const caps = capabilitiesOf(this.context.facts);
    const targets = caps instanceof Error ? [] : domainCapabilitiesTargets(caps);
    // Without guests to choose from, libvirt describes its default emulator.
    return targets.length > 0 ? targets : [{ label: vscode.l10n.t('default'), query: {} }];
  }

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Domain capabilities'), vscode.TreeItemCollapsibleState.Collapsed);
    item.iconPath = new vscode.ThemeIcon('checklist');
    item.contextValue = 'libvirt.domainCapabilitiesGroup';
    item.tooltip = vscode.l10n.t('What each emulator and machine type supports (virConnectGetDomainCapabilities), loaded when expanded');
    if (this.context.connection.readOnly) item.description = vscode.l10n.t('needs full access');
    return item;
  }

  children(): TreeNode[] {
    return this.targets().map((t) => new DomainCapsTargetNode(this.context, t));
  }
}

export class DomainCapsTargetNode implements TreeNode {
  constructor(
    readonly context: ConnectionContext,
    readonly target: DomainCapsTarget,
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.target.label, vscode.TreeItemCollapsibleState.Collapsed);
    item.description = this.target.description;
    item.tooltip = [`virConnectGetDomainCapabilities(${Object.entries(this.target.query).map(([k, v]) => `${k}=${v}`).join(', ')})`, this.target.emulator].filter(Boolean).join('\n');
    item.iconPath = new vscode.ThemeIcon('chip');
    item.contextValue = 'libvirt.domainCapabilities';
    return item;
  }

  async children(): Promise<TreeNode[]> {
    try {
      const xml = await domainCapabilitiesXml(this.context, this.target);
      return domainCapabilitiesTree(parseDomainCapabilities(xml)).map((n) => new InfoTreeNode(n));
    } catch (e) {
      const error = e instanceof Error ? e : new Error(String(e));
      const key = this.context.connection.key;
      if (error instanceof LibvirtError && error.codeName === 'VIR_ERR_OPERATION_DENIED' && this.context.connection.readOnly) {
        return MessageNode.failure(error.message, vscode.l10n.t('libvirt gives domain capabilities only to connections with full access.'), [
          { title: vscode.l10n.t('Reconnect with full access'), command: 'libvirt.tree.reconnectFullAccess', arguments: [key] },
        ]);
      }
      const failure = describeFailure(error, this.context.connection.uri, 0);
      return MessageNode.failure(failure.message, failure.hint, [
        { title: vscode.l10n.t('Retry'), command: 'libvirt.tree.refresh', arguments: [key] },
        { title: vscode.l10n.t('Show Log'), command: 'libvirt.showLog', arguments: [] },
      ]);
    }
  }
}
