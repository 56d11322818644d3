// The askpass program and AskpassServer talk over a unix socket: one line of JSON each way.

/** What the askpass program sends once it is connected. */
export interface AskpassRequest {
  /** The server's secret: proves the request comes from its own askpass program. */
  token: string;
  /** ssh's prompt, the program's first argument. */
  prompt: string;
  /** SSH_ASKPASS_PROMPT as ssh set it (`confirm`, `none`), or null. */
  hint: string | null;
}

/** The server's one reply. Without an answer (cancelled) the program ends the ssh that asked. */
export type AskpassReply = { answer: string } | { cancelled: true };

/** A request longer than this is not an askpass prompt; the connection is dropped. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Environment of the askpass program (set by its wrapper script; libvirt passes none of ours to ssh). */
export const ENV_HANDLE = 'VSCODE_LIBVIRT_ASKPASS_HANDLE';
export const ENV_TOKEN = 'VSCODE_LIBVIRT_ASKPASS_TOKEN';

export function isAskpassRequest(value: unknown): value is AskpassRequest {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.token === 'string' && typeof v.prompt === 'string' && (v.hint === null || typeof v.hint === 'string');
}

export function isAskpassReply(value: unknown): value is AskpassReply {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.answer === 'string' || v.cancelled === true;
}
