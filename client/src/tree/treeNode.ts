// What every node of the Hypervisors view is: a TreeItem and its children. One file per kind
// (node.*.ts); the provider only asks these two questions.
import type * as vscode from 'vscode';

export interface TreeNode {
  treeItem(): vscode.TreeItem;
  /** Cheap for data already fetched; a node that loads on expand fetches here. */
  children(): TreeNode[] | Promise<TreeNode[]>;
}
