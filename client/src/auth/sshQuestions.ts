// ssh's questions in VS Code: passwords and passphrases in masked input boxes, an unknown host
// key in a modal with its fingerprint. Questions of ssh (askpass) and of libvirt's libssh and
// libssh2 transports (credential requests) look the same to the user.
import * as vscode from 'vscode';
import type { SshPrompt } from '../askpass';

/** The answer, or null when the user dismissed the question (or ssh stopped waiting). */
export async function askSshQuestion(question: SshPrompt, withdrawn?: AbortSignal): Promise<string | null> {
  switch (question.kind) {
    case 'hostKey': {
      const host = question.host ?? 'this host';
      // ssh's own words only when they say more than the fingerprint we show.
      const detail = question.fingerprint
        ? `${question.keyType ? `${question.keyType} key ` : ''}fingerprint:\n${question.fingerprint}\n\nAccept it only if it is the key of the host you mean to reach (compare it with \`ssh-keygen -lf\` on that host).`
        : question.text.trim();
      const choice = await vscode.window.showWarningMessage(`The SSH host key of ${host} is not known.`, { modal: true, detail }, 'Accept', 'Reject');
      if (choice === 'Accept') return question.accept;
      return choice === 'Reject' ? question.reject : null;
    }
    case 'confirm': {
      const choice = await vscode.window.showWarningMessage(question.text.trim(), { modal: true }, 'Yes', 'No');
      if (choice === 'Yes') return question.accept;
      return choice === 'No' ? question.reject : null;
    }
    case 'notice':
      void vscode.window.showInformationMessage(`ssh: ${question.text.trim()}`);
      return '';
    default: {
      const tokens = new vscode.CancellationTokenSource();
      const onWithdrawn = () => tokens.cancel();
      withdrawn?.addEventListener('abort', onWithdrawn, { once: true });
      try {
        const title = question.kind === 'password' ? `SSH login to ${question.host}` : question.kind === 'passphrase' ? 'SSH key passphrase' : 'ssh asks';
        const answer = await vscode.window.showInputBox({ title, prompt: question.text.trim(), password: question.secret, ignoreFocusOut: true }, tokens.token);
        return answer ?? null;
      } finally {
        withdrawn?.removeEventListener('abort', onWithdrawn);
        tokens.dispose();
      }
    }
  }
}
