// The connect commands: they only orchestrate the wizard, the connection manager and the
// messages; the work is done elsewhere.
import * as vscode from 'vscode';
import type { ConnectionManager, HypervisorConnection } from '../connections/connectionManager';
import { describeFailure } from '../connections/hints';
import { LibvirtUnavailableError } from '../libvirt';
import { programsRun } from '../connections/programs';
import { accessChoices, accessQuestion, runConnectWizard, type WizardContext, type WizardResult } from './connectWizard';

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
    void vscode.window.showWarningMessage(vscode.l10n.t('Connecting to a URI from a file is disabled in Restricted Mode: the URI could run programs. Trust the workspace, or use "libvirt: Connect to Hypervisor…".'));
    return;
  }
  const programs = programsRun(uri);
  if (programs.length > 0) {
    const lines = programs.map((p) => {
      const program = p.program || vscode.l10n.t('(empty)');
      const where = p.where === 'local' ? vscode.l10n.t('on this computer') : p.where.host ? vscode.l10n.t('on {0}', p.where.host) : vscode.l10n.t('on the remote host');
      return `• ${program} (${p.parameter}=) ${where}`;
    });
    const connect = vscode.l10n.t('Connect');
    const detail = `${lines.join('\n')}\n\n${vscode.l10n.t('Connect only if you trust these programs.')}`;
    const go = await vscode.window.showWarningMessage(vscode.l10n.t('Connecting to {0} runs:', uri), { modal: true, detail }, connect);
    if (go !== connect) return;
  }
  const access = await vscode.window.showQuickPick(accessChoices(), { title: vscode.l10n.t('Connect to {0}', uri), placeHolder: accessQuestion(), ignoreFocusOut: true });
  if (!access) return;
  await connectWithProgress(deps, await deps.manager.add(uri, access.readOnly));
}

/** Connects with a cancellable progress notification; failures say what libvirt said and what to try. */
export async function connectWithProgress(deps: ConnectDeps, conn: HypervisorConnection): Promise<boolean> {
  try {
    await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Connecting to {0} ({1})…', conn.name, conn.uri), cancellable: true },
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
    const [retry, edit, showLog] = [vscode.l10n.t('Retry'), vscode.l10n.t('Edit URI'), vscode.l10n.t('Show Log')];
    const message = vscode.l10n.t('Cannot connect to {0}: {1}', conn.name, failure.hint ? `${failure.message} ${failure.hint}` : failure.message);
    const choice = await vscode.window.showErrorMessage(message, retry, edit, showLog);
    if (choice === retry) return connectWithProgress(deps, conn);
    if (choice === edit) return (await connectCommand(deps, { uri: conn.uri, readOnly: conn.readOnly })) !== undefined;
    if (choice === showLog) deps.log.show(true);
    return false;
  }
}
