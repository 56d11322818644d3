// The connect commands: they only orchestrate the wizard, the connection manager and the
// messages; the work is done elsewhere.
import * as vscode from 'vscode';
import type { ConnectionManager, HypervisorConnection } from '../connections/connectionManager';
import { describeFailure } from '../connections/hints';
import { LibvirtUnavailableError } from '../libvirt';
import { programsRun } from '../connections/programs';
import { runConnectWizard, type WizardContext, type WizardResult } from './connectWizard';

export interface ConnectDeps {
  manager: ConnectionManager;
  log: vscode.LogOutputChannel;
  check: WizardContext['check'];
  timeoutSeconds(): number;
}

/** "libvirt: Connect to Hypervisor…" */
export async function connectCommand(deps: ConnectDeps, initial?: WizardResult): Promise<HypervisorConnection | undefined> {
  const chosen = await runConnectWizard({ recent: deps.manager.list(), check: deps.check, initial });
  if (!chosen) return undefined;
  const conn = await deps.manager.add(chosen.uri, chosen.readOnly);
  return (await connectWithProgress(deps, conn)) ? conn : undefined;
}

/**
 * "Connect" on a URI in the editor. The URI comes from a file, so it connects only in a
 * trusted workspace, and says first which programs it runs.
 */
export async function connectUriCommand(deps: ConnectDeps, uri: string): Promise<void> {
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Connecting to a URI from a file is disabled in Restricted Mode: the URI could run programs. Trust the workspace, or use "libvirt: Connect to Hypervisor…".');
    return;
  }
  const programs = programsRun(uri);
  if (programs.length > 0) {
    const lines = programs.map((p) => `• ${p.program || '(empty)'} (${p.parameter}=) ${p.where === 'local' ? 'on this computer' : `on ${p.where.host || 'the remote host'}`}`);
    const go = await vscode.window.showWarningMessage(`Connecting to ${uri} runs:`, { modal: true, detail: `${lines.join('\n')}\n\nConnect only if you trust these programs.` }, 'Connect');
    if (go !== 'Connect') return;
  }
  const access = await vscode.window.showQuickPick(
    [
      { label: 'Read-only', description: 'browse the host; no changes, fewer permissions needed', readOnly: true },
      { label: 'Full access', description: 'read-write; needed for domain capabilities', readOnly: false },
    ],
    { title: `Connect to ${uri}`, placeHolder: 'Connect read-only or with full access?', ignoreFocusOut: true },
  );
  if (!access) return;
  await connectWithProgress(deps, await deps.manager.add(uri, access.readOnly));
}

/** Connects with a cancellable progress notification; failures say what libvirt said and what to try. */
export async function connectWithProgress(deps: ConnectDeps, conn: HypervisorConnection): Promise<boolean> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Connecting to ${conn.name} (${conn.uri})…`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const listener = token.onCancellationRequested(() => abort.abort());
        try {
          await deps.manager.connect(conn, abort.signal);
        } finally {
          listener.dispose();
        }
      },
    );
    return true;
  } catch (e) {
    // The Hypervisors view then says which package to install (a missing koffi is no package of
    // the user's: the failure message says so).
    if (e instanceof LibvirtUnavailableError && e.missing === 'libvirt') void vscode.commands.executeCommand('setContext', 'libvirt.libraryMissing', true);
    const failure = describeFailure(e instanceof Error ? e : new Error(String(e)), conn.uri, deps.timeoutSeconds());
    if (failure.silent) return false;
    const choice = await vscode.window.showErrorMessage(`Cannot connect to ${conn.name}: ${failure.message}${failure.hint ? ` ${failure.hint}` : ''}`, 'Retry', 'Edit URI', 'Show Log');
    if (choice === 'Retry') return connectWithProgress(deps, conn);
    if (choice === 'Edit URI') return (await connectCommand(deps, { uri: conn.uri, readOnly: conn.readOnly })) !== undefined;
    if (choice === 'Show Log') deps.log.show(true);
    return false;
  }
}
