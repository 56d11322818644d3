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
    const item = new vscode.TreeItem('Capabilities', vscode.TreeItemCollapsibleState.Collapsed);
    const caps = capabilitiesOf(this.context.facts);
    item.description = caps instanceof Error ? 'unavailable' : `${caps.guests.length} guest${caps.guests.length === 1 ? '' : 's'}`;
    item.iconPath = new vscode.ThemeIcon('symbol-structure');
    item.contextValue = 'libvirt.capabilities';
    item.tooltip = 'virConnectGetCapabilities: what the host and its hypervisor can run';
    return item;
  }

  children(): TreeNode[] {
    const facts = this.context.facts;
    if ('error' in facts.capabilities) {
      const e = infoError(facts.capabilities);
      return [new MessageNode(`${e.call} failed: ${e.message}`, { icon: 'error', color: 'errorForeground', tooltip: [e.code, e.domain].filter(Boolean).join(', ') })];
    }
    const caps = capabilitiesOf(facts);
    if (caps instanceof Error) return [new MessageNode(`The capabilities XML could not be read: ${caps.message}`, { icon: 'error', color: 'errorForeground' })];
    return capabilitiesTree(caps).map((n) => new InfoTreeNode(n));
  }
}
