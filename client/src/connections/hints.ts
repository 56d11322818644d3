// What to try when a connect fails, chosen by the class of libvirt's error. libvirt's own
// message is always shown as it is; the hint is one sentence next to it.
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
  const scheme = /^([^:/?#]+):/.exec(uri)?.[1];
  return scheme?.includes('+') ? scheme.slice(scheme.indexOf('+') + 1).toLowerCase() : undefined;
}

export function describeFailure(error: Error, uri: string, timeoutSeconds: number): FailureHint {
  if (error instanceof LibvirtError) {
    const message = `${error.message} (${error.codeName})`;
    if (error.codeName === 'VIR_ERR_AUTH_CANCELLED') return { message, silent: true };
    return { message, hint: hintFor(error, uri), silent: false };
  }
  if (error instanceof OpenCancelledError) {
    if (error.reason === 'aborted') return { message: error.message, silent: true };
    const cause = error.cause instanceof LibvirtError ? ` (${error.cause.message})` : '';
    return { message: `No answer from ${uri} within ${timeoutSeconds} s${cause}.`, hint: 'Check that the host is reachable and its libvirt daemon is running, or raise libvirt.connect.timeout.', silent: false };
  }
  if (error instanceof CallTimeoutError) return { message: error.message, hint: 'The host stopped answering after the connection was made.', silent: false };
  if (error instanceof LibvirtUnavailableError) {
    const hint = error.missing === 'koffi'
      ? `This package of the extension cannot load libvirt on ${process.platform}-${process.arch} (koffi, its FFI module, has no build for it); checking URIs in files works without it.`
      : `Install ${libvirtInstallHint(process.platform)}, or set libvirt.libraryPath; checking URIs in files works without it.`;
    return { message: error.message, hint, silent: false };
  }
  if (error instanceof LibvirtProcessLostError) return { message: error.message, hint: 'The next connect starts a new libvirt process; the log says what happened.', silent: false };
  return { message: error.message, silent: false };
}

function hintFor(error: LibvirtError, uri: string): string | undefined {
  const text = error.message;
  const transport = transportOf(uri);
  if (/Failed to connect socket to '[^']*': No such file or directory/.test(text)) {
    return 'The libvirt daemon for this URI is not running on this machine (its socket is missing): start it (e.g. `systemctl start libvirtd` or the driver\'s virt*d.socket), or check the URI.';
  }
  if (/Failed to connect socket to '[^']*': Permission denied/.test(text) || (error.codeName === 'VIR_ERR_ACCESS_DENIED' && uri.includes('/system'))) {
    return 'Your user may not use the system daemon: connect read-only, use the per-user daemon (`qemu:///session`), or join the group that owns the socket (often `libvirt`) and log in again.';
  }
  if (transport === 'ssh' || transport === 'libssh' || transport === 'libssh2' || error.codeName === 'VIR_ERR_SSH' || error.codeName === 'VIR_ERR_LIBSSH') {
    if (/Host key verification failed|host key|known_hosts/i.test(text)) return 'The SSH host key is unknown or changed: check it with `ssh` in a terminal, or accept it when VS Code asks.';
    if (/no_tty|BatchMode|askpass|Permission denied|authentication/i.test(text)) {
      return 'SSH could not log in: check key access with `ssh user@host` in a terminal (libvirt\'s libssh/libssh2 transports log in as root unless the URI names a user); without `no_tty=1`, VS Code asks for passwords and passphrases.';
    }
    return 'Check that `ssh` to this host works in a terminal and that the host has libvirt (virt-ssh-helper or nc).';
  }
  if (error.codeName === 'VIR_ERR_GNUTLS_ERROR' || /certificate|CA certificate|TLS/i.test(text)) {
    return 'libvirt looks for the CA and client certificates in /etc/pki/CA/cacert.pem and /etc/pki/libvirt/ (root) or ~/.pki/libvirt/ (other users), or in the folder given by `pkipath=`.';
  }
  if (error.codeName === 'VIR_ERR_AUTH_FAILED') return 'The daemon refused the credentials: check the user name and password (SASL users are managed with saslpasswd2 on the host).';
  if (error.codeName === 'VIR_ERR_NO_CONNECT') return 'No libvirt driver takes this URI here: check the driver name, and that the driver\'s daemon is installed on the host.';
  if (/Connection refused/.test(text)) return 'Nothing listens there: check the host and port, and that the daemon listens on TCP/TLS (it does not by default).';
  return undefined;
}
