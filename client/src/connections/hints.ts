// What to try when a connect fails, chosen by the class of libvirt's error. libvirt's own
// message is always shown as it is; the hint is one sentence next to it, in the user's language.
import { SSH_FAMILY, type TransportName } from '../../../server/src/languageservice/catalog';
import { parseUri } from '../../../server/src/languageservice/uri/parser';
import { t } from '../l10n';
import { CallTimeoutError, LibvirtError, LibvirtUnavailableError, OpenCancelledError, libvirtInstallHint } from '../libvirt';
import { LibvirtProcessLostError } from '../libvirtProcess/client';

export interface FailureHint {
  /** libvirt's message (and code), or ours when libvirt said nothing */
  message: string;
  hint?: string;
  /** A dismissed credential prompt or a cancel: nothing to show. */
  silent: boolean;
}

function transportOf(uri: string): string | undefined {
  return parseUri(uri).transport?.text.toLowerCase();
}

export function describeFailure(error: Error, uri: string, timeoutSeconds: number): FailureHint {
  if (error instanceof LibvirtError) {
    const message = `${error.message} (${error.codeName})`;
    if (error.codeName === 'VIR_ERR_AUTH_CANCELLED') return { message, silent: true };
    return { message, hint: hintFor(error, uri), silent: false };
  }
  if (error instanceof OpenCancelledError) {
    if (error.reason === 'aborted') return { message: error.message, silent: true };
    const message = error.cause instanceof LibvirtError
      ? t('No answer from {0} within {1} s ({2}).', uri, timeoutSeconds, error.cause.message)
      : t('No answer from {0} within {1} s.', uri, timeoutSeconds);
    return { message, hint: t('Check that the host is reachable and its libvirt daemon is running, or raise libvirt.connect.timeout.'), silent: false };
  }
  if (error instanceof CallTimeoutError) {
    const seconds = +(error.timeoutMs / 1000).toFixed(1);
    return { message: t('{0} got no answer within {1} s.', error.call, seconds), hint: t('The host stopped answering after the connection was made.'), silent: false };
  }
  if (error instanceof LibvirtUnavailableError) {
    if (error.missing === 'koffi') {
      const hint = t('This package of the extension cannot load libvirt on {0} (koffi, its FFI module, has no build for it); checking URIs in files works without it.', `${process.platform}-${process.arch}`);
      return { message: t('cannot load koffi: {0}', error.detail), hint, silent: false };
    }
    const hint = t('Install {0}, or set libvirt.libraryPath; checking URIs in files works without it.', libvirtInstallHint(process.platform));
    return { message: t('cannot load {0}: {1}', error.library, error.detail), hint, silent: false };
  }
  if (error instanceof LibvirtProcessLostError) {
    const message = error.signal ? t('The libvirt process was killed ({0}).', error.signal) : t('The libvirt process exited with code {0}.', String(error.exitCode));
    return { message, hint: t('The next connect starts a new libvirt process; the log says what happened.'), silent: false };
  }
  return { message: error.message, silent: false };
}

function hintFor(error: LibvirtError, uri: string): string | undefined {
  const text = error.message;
  const transport = transportOf(uri);
  if (/Failed to connect socket to '[^']*': No such file or directory/.test(text)) {
    return t("The libvirt daemon for this URI is not running on this machine (its socket is missing): start it (e.g. `systemctl start libvirtd` or the driver's virt*d.socket), or check the URI.");
  }
  if (/Failed to connect socket to '[^']*': Permission denied/.test(text) || (error.codeName === 'VIR_ERR_ACCESS_DENIED' && uri.includes('/system'))) {
    return t('Your user may not use the system daemon: connect read-only, use the per-user daemon (`qemu:///session`), or join the group that owns the socket (often `libvirt`) and log in again.');
  }
  if (SSH_FAMILY.includes(transport as TransportName) || error.codeName === 'VIR_ERR_SSH' || error.codeName === 'VIR_ERR_LIBSSH') {
    if (/Host key verification failed|host key|known_hosts/i.test(text)) return t('The SSH host key is unknown or changed: check it with `ssh` in a terminal, or accept it when VS Code asks.');
    if (/no_tty|BatchMode|askpass|Permission denied|authentication/i.test(text)) {
      return t("SSH could not log in: check key access with `ssh user@host` in a terminal (libvirt's libssh/libssh2 transports log in as root unless the URI names a user); without `no_tty=1`, VS Code asks for passwords and passphrases.");
    }
    return t('Check that `ssh` to this host works in a terminal and that the host has libvirt (virt-ssh-helper or nc).');
  }
  if (error.codeName === 'VIR_ERR_GNUTLS_ERROR' || /certificate|CA certificate|TLS/i.test(text)) {
    return t('libvirt looks for the CA and client certificates in /etc/pki/CA/cacert.pem and /etc/pki/libvirt/ (root) or ~/.pki/libvirt/ (other users), or in the folder given by `pkipath=`.');
  }
  if (error.codeName === 'VIR_ERR_AUTH_FAILED') return t('The daemon refused the credentials: check the user name and password (SASL users are managed with saslpasswd2 on the host).');
  if (error.codeName === 'VIR_ERR_NO_CONNECT') return t("No libvirt driver takes this URI here: check the driver name, and that the driver's daemon is installed on the host.");
  if (/Connection refused/.test(text)) return t('Nothing listens there: check the host and port, and that the daemon listens on TCP/TLS (it does not by default).');
  return undefined;
}
