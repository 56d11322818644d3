// Messages between the extension and its libvirt process (main.ts): typed maps, plain data.
// Errors cross as data and become the binding's own classes again on the extension side.
import { CallTimeoutError, LibvirtError, LibvirtUnavailableError, OpenCancelledError, type VirErrorData } from '../libvirt/errors';
import type { SshPrompt } from '../askpass';
import type { CloseReason, CredentialRequest, DomainCapabilitiesQuery, HostFacts, KeepAlive, KeepAliveState } from '../libvirt/protocol';

export interface OpenParams {
  uri: string | null;
  readOnly: boolean;
  /** virConnectOpenAuth with libvirt's default credential types; each request comes back as a `credentials` event. */
  auth: boolean;
  timeoutMs: number;
  callTimeoutMs?: number;
  keepalive?: KeepAlive | false;
}

export interface Opened {
  connId: number;
  keepalive: KeepAliveState;
  closeCallback: boolean;
  /** Gathered right after the open: connecting costs one round trip. */
  facts: HostFacts;
}

/** Every request the extension makes: its parameters and its result. */
export interface Requests {
  open: { params: OpenParams; result: Opened };
  close: { params: { connId: number }; result: number };
  hostFacts: { params: { connId: number; timeoutMs?: number }; result: HostFacts };
  domainCapabilities: { params: { connId: number; query: DomainCapabilitiesQuery; timeoutMs?: number }; result: string };
  capabilities: { params: { connId: number; timeoutMs?: number }; result: string };
  sysinfo: { params: { connId: number; timeoutMs?: number }; result: string };
  /** The process's libvirt, for the log and the "not installed" state. */
  libraryVersion: { params: Record<string, never>; result: { major: number; minor: number; release: number } };
}
export type Method = keyof Requests;

export type SerializedError =
  | { kind: 'libvirt'; data: VirErrorData; call: string; cause?: { data: VirErrorData; call: string } }
  | { kind: 'cancelled'; reason: 'timeout' | 'aborted'; uri: string | null; cause?: { data: VirErrorData; call: string } }
  | { kind: 'timeout'; call: string; timeoutMs: number }
  | { kind: 'unavailable'; library: string; detail: string; missing: 'libvirt' | 'koffi' }
  | { kind: 'internal'; message: string };

/** Extension → process. */
export type ToProcess =
  | { type: 'request'; id: number; method: Method; params: Requests[Method]['params'] }
  /** The caller stopped waiting (Cancel, a superseded refresh). */
  | { type: 'cancel'; id: number }
  /** Answers to a `credentials` event; null cancels the open. */
  | { type: 'credentials'; round: number; answers: (string | null)[] | null }
  /** Answer to an `askpass` event; null cancels. */
  | { type: 'askpass'; prompt: number; answer: string | null };

/** Process → extension. */
export type FromProcess =
  | { type: 'ready'; pid: number }
  | { type: 'response'; id: number; ok: true; value: Requests[Method]['result'] }
  | { type: 'response'; id: number; ok: false; error: SerializedError }
  /** libvirt asks for credentials during the open `request`. */
  | { type: 'credentials'; round: number; request: number; requests: CredentialRequest[] }
  /** ssh (through our askpass program) asks the user something; which open it serves is unknown. */
  | { type: 'askpass'; prompt: number; question: SshPrompt }
  /** ssh no longer waits for that answer (it ended, or the open was cancelled). */
  | { type: 'askpassWithdrawn'; prompt: number }
  | { type: 'closed'; connId: number; reason: CloseReason; detail?: string };

function errorData(e: LibvirtError): { data: VirErrorData; call: string } {
  return { data: { code: e.code, domain: e.domain, level: e.level, message: e.message }, call: e.call };
}

export function serializeError(e: unknown): SerializedError {
  if (e instanceof LibvirtError) return { kind: 'libvirt', ...errorData(e), cause: e.cause instanceof LibvirtError ? errorData(e.cause) : undefined };
  if (e instanceof OpenCancelledError) return { kind: 'cancelled', reason: e.reason, uri: e.uri, cause: e.cause instanceof LibvirtError ? errorData(e.cause) : undefined };
  if (e instanceof CallTimeoutError) return { kind: 'timeout', call: e.call, timeoutMs: e.timeoutMs };
  if (e instanceof LibvirtUnavailableError) return { kind: 'unavailable', library: e.library, detail: e.detail, missing: e.missing };
  return { kind: 'internal', message: e instanceof Error ? e.message : String(e) };
}

export function deserializeError(e: SerializedError): Error {
  switch (e.kind) {
    case 'libvirt':
      return new LibvirtError(e.data, e.call, e.cause ? { cause: new LibvirtError(e.cause.data, e.cause.call) } : undefined);
    case 'cancelled':
      return new OpenCancelledError(e.reason, e.uri, e.cause ? new LibvirtError(e.cause.data, e.cause.call) : undefined);
    case 'timeout':
      return new CallTimeoutError(e.call, e.timeoutMs);
    case 'unavailable':
      return new LibvirtUnavailableError(e.library, e.detail, e.missing);
    case 'internal':
      return new Error(e.message);
  }
}
