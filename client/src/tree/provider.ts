// The Hypervisors view: one TreeDataProvider over the node kinds. It renders what the
// connection manager knows; refreshes coalesce, and nothing contacts a host until the user
// connects or the view is shown with autoconnect connections.
import * as vscode from 'vscode';
import type { ConnectionManager, HypervisorConnection } from '../connections/connectionManager';
import { ConnectionNode } from './node.connection';
import type { TreeNode } from './treeNode';
import type { ViewDeps } from './view';

/** Changes within this window render once. */
const COALESCE_MS = 50;

export class HypervisorsProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private pending: NodeJS.Timeout | undefined;
  private readonly deps: ViewDeps;
  private readonly subscription: { dispose(): void };
  /** Fact refreshes in flight, per connection: a second one joins the first. */
  private readonly refreshing = new Map<HypervisorConnection, Promise<void>>();

  constructor(private readonly manager: ConnectionManager) {
    this.deps = { manager };
    this.subscription = manager.onDidChange(() => this.render());
    void this.updateContext();
  }

  /** Renders again soon; several calls in a row render once. */
  render(): void {
    if (this.pending) return;
    this.pending = setTimeout(() => {
      this.pending = undefined;
      void this.updateContext();
      this.changed.fire(undefined);
    }, COALESCE_MS);
  }

  private async updateContext(): Promise<void> {
    await vscode.commands.executeCommand('setContext', 'libvirt.hasConnections', this.manager.list().length > 0);
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    return node.treeItem();
  }

  getChildren(node?: TreeNode): TreeNode[] | Promise<TreeNode[]> {
    if (node) return node.children();
    return this.manager.list().map((c) => new ConnectionNode(c, this.deps));
  }

  /** New host facts for connected connections (one round trip each), then one render. */
  async refresh(connections: HypervisorConnection[]): Promise<void> {
    await Promise.allSettled(
      connections
        .filter((c) => c.state.kind === 'connected')
        .map((c) => {
          let running = this.refreshing.get(c);
          if (!running) {
            running = this.manager
              .refresh(c)
              .then(() => undefined)
              .finally(() => this.refreshing.delete(c));
            this.refreshing.set(c, running);
          }
          return running;
        }),
    );
    this.render();
  }

  dispose(): void {
    clearTimeout(this.pending);
    this.subscription.dispose();
    this.changed.dispose();
  }
}
