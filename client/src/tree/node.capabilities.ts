// "Capabilities": the capabilities XML as a tree (host CPU, NUMA cells, security models …,
// guests → os type → arch → emulator, machines, domain types), or libvirt's refusal.
import * as vscode from 'vscode';
import { capabilitiesTree } from '../capabilities';
import { infoError } from '../host';
import { MessageNode } from './node.message';
import { InfoTreeNode } from './node.info';
import type { TreeNode } from './treeNode';
import { capabilitiesOf, type ConnectionContext } from './view';

export class CapabilitiesNode implements TreeNode {
  constructor(readonly context: ConnectionContext) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Capabilities'), vscode.TreeItemCollapsibleState.Collapsed);
    const caps = capabilitiesOf(this.context.facts);
    const guests = caps instanceof Error ? 0 : caps.guests.length;
    item.description = caps instanceof Error ? vscode.l10n.t('unavailable') : guests === 1 ? vscode.l10n.t('1 guest') : vscode.l10n.t('{0} guests', guests);
    item.iconPath = new vscode.ThemeIcon('symbol-structure');
    item.contextValue = 'libvirt.capabilities';
    item.tooltip = vscode.l10n.t('virConnectGetCapabilities: what the host and its hypervisor can run');
    return item;
  }

  children(): TreeNode[] {
    const facts = this.context.facts;
    if ('error' in facts.capabilities) {
      const e = infoError(facts.capabilities);
      return [new MessageNode(vscode.l10n.t('{0} failed: {1}', e.call, e.message), { icon: 'error', color: 'errorForeground', tooltip: [e.code, e.domain].filter(Boolean).join(', ') })];
    }
    const caps = capabilitiesOf(facts);
    if (caps instanceof Error) return [new MessageNode(vscode.l10n.t('The capabilities XML could not be read: {0}', caps.message), { icon: 'error', color: 'errorForeground' })];
    return capabilitiesTree(caps).map((n) => new InfoTreeNode(n));
  }
}
