// A connection: its display name, the URI, an icon and tooltip by state. Its host appears
// under it only while connected; a failed connect shows libvirt's error and what to do.
import * as vscode from 'vscode';
import type { ConnectionState, HypervisorConnection } from '../connections/connectionManager';
import { describeFailure } from '../connections/hints';
import { CapabilitiesNode } from './node.capabilities';
import { DomainCapabilitiesNode } from './node.domainCapabilities';
import { DomainsNode } from './node.domains';
import { HostNode } from './node.host';
import { MessageNode } from './node.message';
import type { TreeNode } from './treeNode';
import type { ViewDeps } from './view';

const DROPPED: Readonly<Record<string, string>> = {
  user: 'closed by you',
  eof: 'the host closed the connection (end of file)',
  keepalive: 'the host stopped answering keepalive messages',
  error: 'an error on the connection',
  client: 'closed by the client',
  'process-lost': 'the libvirt process stopped',
};

function stateText(conn: HypervisorConnection, state: ConnectionState): string {
  switch (state.kind) {
    case 'idle':
      return 'Not connected';
    case 'connecting':
      return 'Connecting…';
    case 'connected': {
      const security = [state.secure ? 'secure' : 'not secure', state.encrypted ? 'encrypted' : 'not encrypted'].join(', ');
      return `Connected, ${conn.readOnly ? 'read-only' : 'read-write'} (${security}; keepalive ${state.keepalive})`;
    }
    case 'disconnected':
      return `Disconnected: ${DROPPED[state.reason] ?? state.reason}${state.detail ? ` (${state.detail})` : ''}`;
    case 'failed':
      return `Failed: ${describeFailure(state.error, conn.uri, 0).message}`;
  }
}

function icon(conn: HypervisorConnection): vscode.ThemeIcon {
  const state = conn.state;
  switch (state.kind) {
    case 'connecting':
      return new vscode.ThemeIcon('loading~spin');
    case 'connected':
      return new vscode.ThemeIcon('vm-connect', new vscode.ThemeColor('charts.green'));
    case 'failed':
      return new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
    case 'disconnected':
      return new vscode.ThemeIcon('debug-disconnect', state.reason === 'user' ? undefined : new vscode.ThemeColor('charts.yellow'));
    default:
      return new vscode.ThemeIcon('vm-outline');
  }
}

export class ConnectionNode implements TreeNode {
  constructor(
    readonly connection: HypervisorConnection,
    private readonly deps: ViewDeps,
  ) {}

  treeItem(): vscode.TreeItem {
    const conn = this.connection;
    const kind = conn.state.kind;
    const expandable = kind === 'connected' || kind === 'failed';
    const item = new vscode.TreeItem(conn.name, expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    // A new id per state: VS Code keeps the expansion of an id, and a reconnected host starts collapsed.
    item.id = `${conn.key}#${kind}`;
    item.description = `${conn.uri}${conn.readOnly ? ' · read-only' : ''}`;
    item.iconPath = icon(conn);
    const tooltip = new vscode.MarkdownString(undefined, true);
    tooltip.appendMarkdown(`**${conn.name}**\n\n`);
    tooltip.appendCodeblock(conn.uri, 'text');
    tooltip.appendMarkdown(`\n${stateText(conn, conn.state).replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&')}`);
    item.tooltip = tooltip;
    item.contextValue = `libvirt.connection.${kind}${conn.stored.autoconnect ? '.auto' : ''}`;
    return item;
  }

  children(): TreeNode[] {
    const conn = this.connection;
    const state = conn.state;
    if (state.kind === 'failed') {
      const failure = describeFailure(state.error, conn.uri, 0);
      return MessageNode.failure(failure.message, failure.hint, [
        { title: 'Retry', command: 'libvirt.tree.reconnect', arguments: [conn.key] },
        { title: 'Show Log', command: 'libvirt.showLog', arguments: [] },
      ]);
    }
    if (state.kind !== 'connected') return [];
    const context = { ...this.deps, connection: conn, facts: state.facts };
    return [new HostNode(context), new CapabilitiesNode(context), new DomainCapabilitiesNode(context), new DomainsNode(context)];
  }
}
