// A row that says something instead of showing data: libvirt's error under a node, a hint, or
// an action (Retry, Show Log, Reconnect with full access). Never a silently empty node.
import * as vscode from 'vscode';
import type { TreeNode } from './treeNode';

/** By command, not by title: titles are in the user's language. */
const ACTION_ICONS: Readonly<Record<string, string>> = { 'libvirt.showLog': 'output', 'libvirt.tree.reconnectFullAccess': 'plug' };

export class MessageNode implements TreeNode {
  constructor(
    private readonly label: string,
    private readonly options: { icon?: string; color?: string; tooltip?: string; command?: vscode.Command; description?: string } = {},
  ) {}

  treeItem(): vscode.TreeItem {
    const item = new vscode.TreeItem(this.label, vscode.TreeItemCollapsibleState.None);
    if (this.options.icon) item.iconPath = new vscode.ThemeIcon(this.options.icon, this.options.color ? new vscode.ThemeColor(this.options.color) : undefined);
    item.tooltip = this.options.tooltip ?? this.label;
    item.description = this.options.description;
    item.command = this.options.command;
    item.contextValue = this.options.command ? 'libvirt.action' : 'libvirt.message';
    return item;
  }

  children(): TreeNode[] {
    return [];
  }

  /** libvirt's error, then what to try, then the actions. */
  static failure(message: string, hint: string | undefined, actions: vscode.Command[]): MessageNode[] {
    return [
      new MessageNode(message, { icon: 'error', color: 'errorForeground' }),
      ...(hint ? [new MessageNode(hint, { icon: 'lightbulb' })] : []),
      ...actions.map((a) => new MessageNode(a.title, { icon: ACTION_ICONS[a.command] ?? 'refresh', command: a })),
    ];
  }
}
