// libvirt's credential requests (virConnectOpenAuth) as VS Code inputs: one input per request
// of a round, in order; secrets masked; Escape cancels the connect. A password may be
// remembered in VS Code's SecretStorage (never elsewhere), keyed by URI and the prompts.
import * as vscode from 'vscode';
import { VIR_CRED, type CredentialRequest } from '../libvirt';
import type { CredentialSource, HypervisorConnection } from '../connections/connectionManager';
import { classifyCredential } from '../askpass';
import { MultiStepInput, type Step } from '../ui/multiStepInput';
import { askSshQuestion } from './sshQuestions';

const SECRET_TYPES = new Set<number>([VIR_CRED.PASSPHRASE, VIR_CRED.NOECHOPROMPT]);
/** Global-state key: the SecretStorage keys we wrote, so "Forget Saved Passwords" finds them all. */
const SECRET_INDEX = 'libvirt.savedSecrets';

/** What one connect attempt used and asked to keep. */
interface Attempt {
  /** SecretStorage keys answered from storage in this attempt */
  usedStored: string[];
  /** rounds the person asked to remember, stored once libvirt accepts them */
  toRemember: Map<string, string>;
}

export class CredentialPrompter implements CredentialSource {
  private readonly attempts = new Map<HypervisorConnection, Attempt>();

  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly state: vscode.Memento,
  ) {}

  begin(conn: HypervisorConnection): void {
    this.attempts.set(conn, { usedStored: [], toRemember: new Map() });
  }

  private attempt(conn: HypervisorConnection): Attempt {
    if (!this.attempts.has(conn)) this.begin(conn);
    return this.attempts.get(conn)!;
  }

  /**
   * A round with a secret is remembered whole (SASL asks the user name and the password
   * together), keyed by the URI and the round's prompts, which name the user and realm.
   */
  private static key(conn: HypervisorConnection, requests: CredentialRequest[]): string {
    return ['libvirt.secret', conn.uri, ...requests.map((r) => `${r.type}:${r.prompt}:${r.challenge ?? ''}`)].join('\u0000');
  }

  async answer(conn: HypervisorConnection, requests: CredentialRequest[]): Promise<(string | null)[] | null> {
    const attempt = this.attempt(conn);
    const external = requests.filter((r) => r.type === VIR_CRED.EXTERNAL);
    // As virsh: only PolicyKit's external step is acknowledged (it needs no answer).
    if (external.some((r) => r.challenge !== 'PolicyKit')) return null;
    const key = requests.some((r) => SECRET_TYPES.has(r.type)) ? CredentialPrompter.key(conn, requests) : undefined;
    if (key && !attempt.usedStored.includes(key)) {
      const stored = await this.secrets.get(key);
      const answers = stored === undefined ? undefined : (JSON.parse(stored) as (string | null)[]);
      if (answers?.length === requests.length) {
        attempt.usedStored.push(key);
        return answers;
      }
    }
    const answers: (string | null)[] = requests.map(() => null);
    // libssh/libssh2 ask about an unknown host key as a credential: a modal, not a text box.
    const hostKeys = [...requests.keys()].filter((i) => classifyCredential(requests[i]).kind === 'hostKey');
    for (const i of hostKeys) {
      const answer = await askSshQuestion(classifyCredential(requests[i]));
      if (answer === null) return null;
      answers[i] = answer;
    }
    const toAsk = [...requests.keys()].filter((i) => requests[i].type !== VIR_CRED.EXTERNAL && !hostKeys.includes(i));
    let remember = false;
    const rememberOff: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('circle-large-outline'), tooltip: vscode.l10n.t('Remember this password in VS Code (click to toggle)') };
    const rememberOn: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('pass-filled'), tooltip: vscode.l10n.t('The password will be remembered in VS Code (click to toggle)') };
    const ask = async (n: number, input: MultiStepInput): Promise<Step | void> => {
      const req = requests[toAsk[n]];
      const secret = SECRET_TYPES.has(req.type);
      const detail = req.challenge && !req.prompt.includes(req.challenge) ? ` (${req.challenge})` : '';
      const value = await input.input({
        title: vscode.l10n.t('Connect to {0}', conn.name),
        step: n + 1,
        totalSteps: toAsk.length,
        prompt: `${req.prompt}${detail}`,
        value: secret ? '' : (req.defaultResult ?? ''),
        placeholder: secret ? undefined : (req.defaultResult ?? undefined),
        password: secret,
        buttons: secret ? [remember ? rememberOn : rememberOff] : [],
        onButton: (_button, box) => {
          remember = !remember;
          box.buttons = [...box.buttons.filter((b) => b !== rememberOff && b !== rememberOn), remember ? rememberOn : rememberOff];
        },
      });
      // As virsh: an empty answer takes libvirt's default.
      answers[toAsk[n]] = value === '' && req.defaultResult !== null ? req.defaultResult : value;
      if (n + 1 < toAsk.length) return (next) => ask(n + 1, next);
    };
    if (toAsk.length > 0 && !(await MultiStepInput.run((input) => ask(0, input)))) return null;
    if (key && remember) attempt.toRemember.set(key, JSON.stringify(answers));
    return answers;
  }

  async refused(conn: HypervisorConnection): Promise<boolean> {
    const attempt = this.attempts.get(conn);
    this.attempts.delete(conn);
    if (!attempt || attempt.usedStored.length === 0) return false;
    for (const key of attempt.usedStored) await this.forget(key);
    return true;
  }

  async accepted(conn: HypervisorConnection): Promise<void> {
    const attempt = this.attempts.get(conn);
    this.attempts.delete(conn);
    if (!attempt) return;
    for (const [key, secret] of attempt.toRemember) {
      await this.secrets.store(key, secret);
      const index = this.state.get<string[]>(SECRET_INDEX, []);
      if (!index.includes(key)) await this.state.update(SECRET_INDEX, [...index, key]);
    }
  }

  private async forget(key: string): Promise<void> {
    await this.secrets.delete(key);
    await this.state.update(
      SECRET_INDEX,
      this.state.get<string[]>(SECRET_INDEX, []).filter((k) => k !== key),
    );
  }

  /** "libvirt: Forget Saved Passwords": how many were forgotten. */
  async forgetAll(): Promise<number> {
    const index = this.state.get<string[]>(SECRET_INDEX, []);
    for (const key of index) await this.secrets.delete(key);
    await this.state.update(SECRET_INDEX, []);
    return index.length;
  }
}
