// ssh's questions in VS Code: passwords and passphrases in masked input boxes, an unknown host
// key in a modal with its fingerprint. Questions of ssh (askpass) and of libvirt's libssh and
// libssh2 transports (credential requests) look the same to the user.
import * as vscode from 'vscode';
import type { SshPrompt } from '../askpass';

/** The answer, or null when the user dismissed the question (or ssh stopped waiting). */
export async function askSshQuestion(question: SshPrompt, withdrawn?: AbortSignal): Promise<string | null> {
  switch (question.kind) {
    case 'hostKey': {
      const message = question.host ? vscode.l10n.t('The SSH host key of {0} is not known.', question.host) : vscode.l10n.t('The SSH host key of this host is not known.');
      const check = vscode.l10n.t('Accept it only if it is the key of the host you mean to reach (compare it with `ssh-keygen -lf` on that host).');
      const fingerprint = question.keyType ? vscode.l10n.t('{0} key fingerprint:', question.keyType) : vscode.l10n.t('Key fingerprint:');
      // ssh's own words only when they say more than the fingerprint we show.
      const detail = question.fingerprint ? `${fingerprint}\n${question.fingerprint}\n\n${check}` : question.text.trim();
      const [accept, reject] = [vscode.l10n.t('Accept'), vscode.l10n.t('Reject')];
      const choice = await vscode.window.showWarningMessage(message, { modal: true, detail }, accept, reject);
      if (choice === accept) return question.accept;
      return choice === reject ? question.reject : null;
    }
    case 'confirm': {
      const [yes, no] = [vscode.l10n.t('Yes'), vscode.l10n.t('No')];
      const choice = await vscode.window.showWarningMessage(question.text.trim(), { modal: true }, yes, no);
      if (choice === yes) return question.accept;
      return choice === no ? question.reject : null;
    }
    case 'notice':
      void vscode.window.showInformationMessage(`ssh: ${question.text.trim()}`);
      return '';
    default: {
      const tokens = new vscode.CancellationTokenSource();
      const onWithdrawn = () => tokens.cancel();
      withdrawn?.addEventListener('abort', onWithdrawn, { once: true });
      try {
        const title = question.kind === 'password' ? vscode.l10n.t('SSH login to {0}', question.host) : question.kind === 'passphrase' ? vscode.l10n.t('SSH key passphrase') : vscode.l10n.t('ssh asks');
        const answer = await vscode.window.showInputBox({ title, prompt: question.text.trim(), password: question.secret, ignoreFocusOut: true }, tokens.token);
        return answer ?? null;
      } finally {
        withdrawn?.removeEventListener('abort', onWithdrawn);
        tokens.dispose();
      }
    }
  }
}
