// "Host": hostname, driver, versions, CPUs and topology, memory per NUMA cell, max vCPUs,
// secure/encrypted and the sysinfo highlights, from the facts gathered at connect.
import * as vscode from 'vscode';
import { hostTree } from '../host';
import { InfoTreeNode } from './node.info';
import type { TreeNode } from './treeNode';
import type { ConnectionContext } from './view';

export class HostNode implements TreeNode {
  constructor(readonly context: ConnectionContext) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Host'), vscode.TreeItemCollapsibleState.Collapsed);
    const hostname = this.context.facts.hostname;
    item.description = 'value' in hostname ? hostname.value : undefined;
    item.iconPath = new vscode.ThemeIcon('server');
    item.contextValue = 'libvirt.host';
    item.tooltip = vscode.l10n.t('The host as libvirt reports it (virNodeGetInfo, virConnectGetSysinfo …)');
    return item;
  }

  children(): TreeNode[] {
    return hostTree(this.context.facts).map((n) => new InfoTreeNode(n));
  }
}
