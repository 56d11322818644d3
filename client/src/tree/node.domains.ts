// "Domains": name, state (a codicon per state) and id; running ones first.
import * as vscode from 'vscode';
import { domainsTree, runningCount } from '../host';
import { InfoTreeNode } from './node.info';
import type { TreeNode } from './treeNode';
import type { ConnectionContext } from './view';

export class DomainsNode implements TreeNode {
  constructor(readonly context: ConnectionContext) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(vscode.l10n.t('Domains'), vscode.TreeItemCollapsibleState.Collapsed);
    const domains = this.context.facts.domains;
    if ('value' in domains) {
      item.description = vscode.l10n.t('{0} ({1} running)', domains.value.length, runningCount(domains.value));
    } else {
      item.description = vscode.l10n.t('unavailable');
    }
    item.iconPath = new vscode.ThemeIcon('vm');
    item.contextValue = 'libvirt.domains';
    item.tooltip = 'virConnectListAllDomains';
    return item;
  }

  children(): TreeNode[] {
    return domainsTree(this.context.facts.domains).map((n) => new InfoTreeNode(n));
  }
}
