// What an ssh prompt asks for, read from its text: OpenSSH's own prompts (through askpass) and
// the ones libvirt's libssh/libssh2 transports pass to the credentials handler. The UI matches
// on the kind, never on the text. Texts as OpenSSH 9.2 and libvirt 9.0.0 word them (see the
// ssh tests, which record them from the real programs).
import { VIR_CRED, type CredentialRequest } from '../libvirt';

export type SshPrompt =
  /** A private key's passphrase: a masked input box. libssh does not say which key. */
  | { kind: 'passphrase'; text: string; secret: true; key?: string }
  /** A login password: a masked input box. */
  | { kind: 'password'; text: string; secret: true; user: string; host: string }
  /**
   * An unknown host key: a modal with the fingerprint and Accept / Reject, answered with
   * `accept` or `reject`. Host, key type and fingerprint are missing where the prompt omits them
   * (OpenSSH asks without them when a known key's address changed).
   */
  | { kind: 'hostKey'; text: string; secret: false; host?: string; keyType?: string; fingerprint?: string; accept: string; reject: string }
  /** A yes/no question (OpenSSH's SSH_ASKPASS_PROMPT=confirm, e.g. ControlMaster=ask). */
  | { kind: 'confirm'; text: string; secret: false; accept: string; reject: string }
  /**
   * Something to show while ssh waits, not to answer (SSH_ASKPASS_PROMPT=none, e.g. "Confirm
   * user presence for key …" of a security key); ssh withdraws it by ending askpass.
   */
  | { kind: 'notice'; text: string; secret: false }
  /** Anything else (keyboard-interactive questions, PINs); `secret` says whether to mask it. */
  | { kind: 'other'; text: string; secret: boolean };

// OpenSSH sshconnect.c: "The authenticity of host '%.200s (%s)' can't be established.\n
// %s key fingerprint is %s.\n…Are you sure you want to continue connecting (yes/no/[fingerprint])? "
const CONTINUE = /(?:^|\n)Are you sure you want to continue connecting \([^)\n]*\)\? ?$/;
const AUTHENTICITY = /^The authenticity of host '(.*) \(.*\)' can't be established\.$/m;
const FINGERPRINT = /^(\S+) key fingerprint is (\S+?)\.?$/m;
// sshconnect2.c userauth_passwd: "%s@%s's password: "; the user may contain '@', the host not.
const PASSWORD = /^(.+)@([^@]+)'s password: ?$/;
// keyboard-interactive since OpenSSH 8.4: "(%s@%s) " before the server's prompt.
const KBDINT_PASSWORD = /^\((.+)@([^@)]+)\) Password: ?$/i;
// sshconnect2.c load_identity_file: "Enter passphrase for key '%.100s': "
const PASSPHRASE = /^Enter passphrase for key '(.*)': ?$/;

// libvirt virnetlibsshsession.c / virnetsshsession.c
const LIBVIRT_HOST_KEY = /^Accept SSH host key with hash '(.*)' for host '(.*)' \(y\/n\)\?$/;
// libssh2: "Passphrase for key '%s'"; libssh: its own "Passphrase: " without the colon.
const LIBVIRT_PASSPHRASE = /^Passphrase(?: for key '(.*)')?$/;
// virauth.c virAuthGetPasswordPath: "Enter %s's password for %s"
const LIBVIRT_PASSWORD = /^Enter (.+)'s password for (.+)$/;

/**
 * Reads a prompt OpenSSH gave its askpass program. `hint` is SSH_ASKPASS_PROMPT from askpass's
 * environment: `confirm` for a yes/no question, `none` for a notice.
 */
export function classifySshPrompt(text: string, hint?: string | null): SshPrompt {
  if (hint === 'none') return { kind: 'notice', text, secret: false };
  if (CONTINUE.test(text)) {
    const host = AUTHENTICITY.exec(text)?.[1];
    const fp = FINGERPRINT.exec(text);
    return { kind: 'hostKey', text, secret: false, host, keyType: fp?.[1], fingerprint: fp?.[2], accept: 'yes', reject: 'no' };
  }
  // ssh takes an empty answer (or "yes") as consent to a confirm prompt; "no" refuses.
  if (hint === 'confirm') return { kind: 'confirm', text, secret: false, accept: 'yes', reject: 'no' };
  const password = PASSWORD.exec(text) ?? KBDINT_PASSWORD.exec(text);
  if (password) return { kind: 'password', text, secret: true, user: password[1], host: password[2] };
  const passphrase = PASSPHRASE.exec(text);
  if (passphrase) return { kind: 'passphrase', text, secret: true, key: passphrase[1] };
  // askpass cannot know whether ssh would echo the answer: secret unless it says otherwise.
  return { kind: 'other', text, secret: true };
}

/** Reads a credential request of libvirt's libssh/libssh2 transports (and its password helper). */
export function classifyCredential(request: Pick<CredentialRequest, 'type' | 'prompt'>): SshPrompt {
  const text = request.prompt;
  const secret = request.type === VIR_CRED.PASSPHRASE || request.type === VIR_CRED.NOECHOPROMPT;
  const hostKey = LIBVIRT_HOST_KEY.exec(text);
  if (hostKey && request.type === VIR_CRED.ECHOPROMPT) {
    return { kind: 'hostKey', text, secret: false, host: hostKey[2], fingerprint: hostKey[1], accept: 'y', reject: 'n' };
  }
  if (secret) {
    const passphrase = LIBVIRT_PASSPHRASE.exec(text);
    if (passphrase) return { kind: 'passphrase', text, secret, key: passphrase[1] };
    const password = LIBVIRT_PASSWORD.exec(text);
    if (password) return { kind: 'password', text, secret, user: password[1], host: password[2] };
  }
  return { kind: 'other', text, secret };
}
