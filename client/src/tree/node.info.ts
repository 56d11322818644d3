// One display-neutral row (client/src/info) as a tree item: its label and description, libvirt's
// raw value and source in the tooltip, "Copy Value" on every leaf with a value.
import * as vscode from 'vscode';
import { nodeTooltip, type InfoNode } from '../info/node';
import type { TreeNode } from './treeNode';

export class InfoTreeNode implements TreeNode {
  constructor(readonly info: InfoNode) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.info.label, this.info.children.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.description = this.info.error ? this.info.error.message : this.info.description;
    item.tooltip = nodeTooltip(this.info) || undefined;
    if (this.info.icon) item.iconPath = new vscode.ThemeIcon(this.info.icon, this.info.iconColor ? new vscode.ThemeColor(this.info.iconColor) : undefined);
    item.contextValue = this.info.value !== undefined ? 'libvirt.value' : 'libvirt.row';
    return item;
  }

  children(): TreeNode[] {
    return this.info.children.map((c) => new InfoTreeNode(c));
  }

  /** What "Copy Value" copies. */
  get value(): string | undefined {
    return this.info.value;
  }
}
