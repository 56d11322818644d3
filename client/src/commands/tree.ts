// The Hypervisors view's commands: they find the connection the node or argument names and
// hand the work to the connection manager, the provider or VS Code.
import * as vscode from 'vscode';
import type { HypervisorConnection } from '../connections/connectionManager';
import { documentUri, type XmlDocument } from '../tree/documents';
import { CapabilitiesNode } from '../tree/node.capabilities';
import { ConnectionNode } from '../tree/node.connection';
import { DomainCapsTargetNode } from '../tree/node.domainCapabilities';
import { HostNode } from '../tree/node.host';
import { InfoTreeNode } from '../tree/node.info';
import type { HypervisorsProvider } from '../tree/provider';
import { connectWithProgress, type ConnectDeps } from './connect';

type Target = ConnectionNode | CapabilitiesNode | HostNode | DomainCapsTargetNode | string | undefined;

export function registerTreeCommands(deps: ConnectDeps, provider: HypervisorsProvider): vscode.Disposable[] {
  const { manager } = deps;
  /** The connection a node belongs to, or whose key a message node's action passed. */
  const connectionOf = (target: Target): HypervisorConnection | undefined => {
    if (typeof target === 'string') return manager.list().find((c) => c.key === target);
    if (target instanceof ConnectionNode) return target.connection;
    return target?.context.connection;
  };
  const withConnection = (run: (conn: HypervisorConnection) => unknown) => (target: Target) => {
    const conn = connectionOf(target);
    return conn ? run(conn) : undefined;
  };
  const open = (conn: HypervisorConnection, doc: XmlDocument) => vscode.window.showTextDocument(documentUri(conn, doc), { preview: true });

  return [
    vscode.commands.registerCommand('libvirt.tree.refresh', (target: Target) => {
      const conn = connectionOf(target);
      return provider.refresh(conn ? [conn] : manager.list());
    }),
    vscode.commands.registerCommand('libvirt.tree.connectTest', async () => connectWithProgress(deps, await manager.add('test:///default', true))),
    vscode.commands.registerCommand('libvirt.tree.reconnect', withConnection((conn) => (conn.state.kind === 'connected' ? manager.disconnect(conn) : Promise.resolve()).then(() => connectWithProgress(deps, conn)))),
    vscode.commands.registerCommand('libvirt.tree.disconnect', withConnection((conn) => manager.disconnect(conn))),
    vscode.commands.registerCommand('libvirt.tree.remove', withConnection((conn) => manager.remove(conn))),
    vscode.commands.registerCommand('libvirt.tree.copyUri', withConnection((conn) => vscode.env.clipboard.writeText(conn.uri))),
    vscode.commands.registerCommand('libvirt.tree.copyValue', (node: InfoTreeNode) => (node.value !== undefined ? vscode.env.clipboard.writeText(node.value) : undefined)),
    vscode.commands.registerCommand('libvirt.tree.autoconnectOn', withConnection((conn) => manager.setAutoconnect(conn, true))),
    vscode.commands.registerCommand('libvirt.tree.autoconnectOff', withConnection((conn) => manager.setAutoconnect(conn, false))),
    vscode.commands.registerCommand(
      'libvirt.tree.rename',
      withConnection(async (conn) => {
        const name = await vscode.window.showInputBox({ title: vscode.l10n.t('Rename {0}', conn.name), prompt: vscode.l10n.t('A name for {0}; empty for the usual one', conn.uri), value: conn.name });
        if (name !== undefined) await manager.rename(conn, name.trim() || undefined);
      }),
    ),
    vscode.commands.registerCommand(
      'libvirt.tree.reconnectFullAccess',
      withConnection(async (conn) => {
        const full = await manager.add(conn.uri, false);
        await manager.remove(conn);
        await connectWithProgress(deps, full);
      }),
    ),
    vscode.commands.registerCommand('libvirt.tree.openCapabilitiesXml', withConnection((conn) => open(conn, { kind: 'capabilities' }))),
    vscode.commands.registerCommand('libvirt.tree.openSysinfoXml', withConnection((conn) => open(conn, { kind: 'sysinfo' }))),
    vscode.commands.registerCommand('libvirt.tree.openDomainCapabilitiesXml', (node: DomainCapsTargetNode) => open(node.context.connection, { kind: 'domainCapabilities', query: node.target.query })),
  ];
}
