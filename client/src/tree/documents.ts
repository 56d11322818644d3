// Read-only documents of a connection's XML, fetched when opened: `libvirt:` URIs whose path
// ends in .xml (VS Code shows them as XML) and whose query names the connection and document.
import * as vscode from 'vscode';
import type { ConnectionManager, HypervisorConnection } from '../connections/connectionManager';
import type { DomainCapabilitiesQuery } from '../libvirt';

export const SCHEME = 'libvirt';

export type XmlDocument = { kind: 'capabilities' } | { kind: 'sysinfo' } | { kind: 'domainCapabilities'; query: DomainCapabilitiesQuery };

export function documentUri(conn: HypervisorConnection, doc: XmlDocument): vscode.Uri {
  const name = doc.kind === 'domainCapabilities' ? `domain capabilities ${[doc.query.arch, doc.query.virtType, doc.query.machine].filter(Boolean).join(' ')}` : doc.kind;
  const query = new URLSearchParams({ connection: conn.key, doc: JSON.stringify(doc) });
  return vscode.Uri.from({ scheme: SCHEME, path: `/${conn.name} ${name}.xml`.replace(/[\\:]/g, '-'), query: query.toString() });
}

export class XmlDocuments implements vscode.TextDocumentContentProvider {
  constructor(private readonly manager: ConnectionManager) {}

  async provideTextDocumentContent(uri: vscode.Uri, token: vscode.CancellationToken): Promise<string> {
    const query = new URLSearchParams(uri.query);
    const conn = this.manager.list().find((c) => c.key === query.get('connection'));
    if (!conn) throw new Error(vscode.l10n.t('That connection is no longer in the Hypervisors view.'));
    if (conn.state.kind !== 'connected') throw new Error(vscode.l10n.t('{0} is not connected.', conn.name));
    const doc = JSON.parse(query.get('doc') ?? '{}') as XmlDocument;
    const abort = new AbortController();
    const listener = token.onCancellationRequested(() => abort.abort());
    try {
      switch (doc.kind) {
        case 'capabilities':
          return await this.manager.capabilities(conn, abort.signal);
        case 'sysinfo':
          return await this.manager.sysinfo(conn, abort.signal);
        case 'domainCapabilities':
          return await this.manager.domainCapabilities(conn, doc.query, abort.signal);
      }
    } finally {
      listener.dispose();
    }
  }
}
