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

function dropped(reason: string): string {
  switch (reason) {
    case 'user':
      return vscode.l10n.t('closed by you');
    case 'eof':
      return vscode.l10n.t('the host closed the connection (end of file)');
    case 'keepalive':
      return vscode.l10n.t('the host stopped answering keepalive messages');
    case 'error':
      return vscode.l10n.t('an error on the connection');
    case 'client':
      return vscode.l10n.t('closed by the client');
    case 'process-lost':
      return vscode.l10n.t('the libvirt process stopped');
    default:
      return reason;
  }
}

function stateText(conn: HypervisorConnection, state: ConnectionState): string {
  switch (state.kind) {
    case 'idle':
      return vscode.l10n.t('Not connected');
    case 'connecting':
      return vscode.l10n.t('Connecting…');
    case 'connected': {
      const access = conn.readOnly ? vscode.l10n.t('read-only') : vscode.l10n.t('read-write');
      const secure = state.secure ? vscode.l10n.t('secure') : vscode.l10n.t('not secure');
      const encrypted = state.encrypted ? vscode.l10n.t('encrypted') : vscode.l10n.t('not encrypted');
      return vscode.l10n.t('Connected, {0} ({1}, {2}; keepalive {3})', access, secure, encrypted, state.keepalive);
    }
    case 'disconnected': {
      const why = state.detail ? `${dropped(state.reason)} (${state.detail})` : dropped(state.reason);
      return vscode.l10n.t('Disconnected: {0}', why);
    }
    case 'failed':
      return vscode.l10n.t('Failed: {0}', describeFailure(state.error, conn.uri, 0).message);
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
    item.description = conn.readOnly ? `${conn.uri} · ${vscode.l10n.t('read-only')}` : conn.uri;
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
        { title: vscode.l10n.t('Retry'), command: 'libvirt.tree.reconnect', arguments: [conn.key] },
        { title: vscode.l10n.t('Show Log'), command: 'libvirt.showLog', arguments: [] },
      ]);
    }
    if (state.kind !== 'connected') return [];
    const context = { ...this.deps, connection: conn, facts: state.facts };
    return [new HostNode(context), new CapabilitiesNode(context), new DomainCapabilitiesNode(context), new DomainsNode(context)];
  }
}
