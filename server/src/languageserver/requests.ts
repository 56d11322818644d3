// Requests of our own between the extension and the language server, beyond LSP.
import type { Severity } from '../languageservice/services/validation';

/** The extension's command behind the "Connect" code lens; its argument is the URI. */
export const CONNECT_URI_COMMAND = 'libvirt.connectUri';

/** `libvirt/checkUri`: the diagnostics of one URI, as in a libvirt context. */
export const CHECK_URI_REQUEST = 'libvirt/checkUri';

export interface CheckUriParams {
  uri: string;
}

export interface CheckUriResult {
  /** Offsets into `uri`. */
  diagnostics: { severity: Severity; code: string; message: string; start: number; end: number }[];
}

/** The extension's command behind "Change severity of <code>"; its argument is the diagnostic code. */
export const CHANGE_SEVERITY_COMMAND = 'libvirt.uri.changeSeverity';
