// Messages between the main thread and the two libvirt threads (see worker.ts). No koffi here.
import type { MessagePort } from 'node:worker_threads';
import type { VirErrorData } from './errors';

/** `virConnectCredentialType` */
export const VIR_CRED = {
  USERNAME: 1,
  AUTHNAME: 2,
  LANGUAGE: 3,
  CNONCE: 4,
  PASSPHRASE: 5,
  ECHOPROMPT: 6,
  NOECHOPROMPT: 7,
  REALM: 8,
  EXTERNAL: 9,
} as const;

export function credentialTypeName(type: number): string {
  const entry = Object.entries(VIR_CRED).find(([, v]) => v === type);
  return entry ? `VIR_CRED_${entry[0]}` : `VIR_CRED_${type}`;
}

/** One `virConnectCredential` libvirt asks for, as passed to the credentials handler. */
export interface CredentialRequest {
  type: number;
  /** e.g. `VIR_CRED_PASSPHRASE` */
  typeName: string;
  prompt: string;
  challenge: string | null;
  defaultResult: string | null;
}

/** `virConnectCloseReason` */
export const CLOSE_REASONS = ['error', 'eof', 'keepalive', 'client'] as const;
export type CloseReason = (typeof CLOSE_REASONS)[number];

export interface KeepAlive {
  /** seconds between keepalive messages */
  interval: number;
  /** unanswered messages before the connection is declared dead */
  count: number;
}

export interface OpenRequest {
  op: 'open';
  uri: string | null;
  flags: number;
  /** `virConnectAuth.credtype`; absent for a plain virConnectOpen/OpenReadOnly */
  credentialTypes?: number[];
  connId: number;
  keepalive: KeepAlive | null;
  /** when the owner stops waiting for credential answers (epoch ms) */
  deadline: number;
}

export type QueryMethod =
  | 'capabilities'
  | 'hostname'
  | 'uri'
  | 'type'
  | 'hypervisorVersion'
  | 'libraryVersion'
  | 'nodeInfo'
  | 'freeMemory'
  | 'cellsFreeMemory'
  | 'maxVcpus'
  | 'isAlive'
  | 'isSecure'
  | 'isEncrypted'
  | 'sysinfo'
  | 'domainCapabilities'
  | 'listDomains';

export type OwnerRequest =
  | OpenRequest
  | { op: 'query'; connId: number; method: QueryMethod; args: unknown[] }
  | { op: 'ref'; connId: number }
  | { op: 'close'; connId: number; last: boolean }
  | { op: 'libraryVersion' };

export type Envelope<T> = T & { id: number };

export type OwnerResponse =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: VirErrorData; call: string }
  | { id: number; ok: false; internal: string };

export type OwnerMessage =
  | { type: 'ready'; tid: number }
  | { type: 'unavailable'; library: string; detail: string }
  | { type: 'credentials'; id: number; requests: CredentialRequest[] }
  | { type: 'response'; response: OwnerResponse };

/** Handles the owner took over from a predecessor that got stuck inside libvirt. */
export interface AdoptedConnection {
  connId: number;
  handle: bigint;
}

export interface OwnerData {
  role: 'owner';
  library: string;
  closeCallback: bigint;
  /** [0]: set to 1 when the main thread gave up on this owner */
  abandoned: SharedArrayBuffer;
  /** [0]: set to 1 when an answer to a credential request waits on `authPort` */
  authSignal: SharedArrayBuffer;
  authPort: MessagePort;
  adopt: AdoptedConnection[];
}

export interface EventsData {
  role: 'events';
  library: string;
  /** virEventRegisterDefaultImpl is once per process: false for a later events thread */
  registerImpl: boolean;
}

export type EventsRequest = { op: 'interrupt'; tid: number } | { op: 'stop' };

export type EventsMessage =
  | { type: 'ready'; closeCallback: bigint }
  | { type: 'unavailable'; library: string; detail: string }
  | { type: 'closed'; connId: number; reason: number }
  | { type: 'interrupted'; tid: number; sockets: number[] }
  | { type: 'stopped' };

export interface Version {
  major: number;
  minor: number;
  release: number;
}

/** libvirt packs versions as major * 1,000,000 + minor * 1,000 + release. */
export function decodeVersion(packed: number): Version {
  return { major: Math.floor(packed / 1_000_000), minor: Math.floor(packed / 1000) % 1000, release: packed % 1000 };
}

export interface NodeInfo {
  /** CPU model / architecture string */
  model: string;
  /** KiB */
  memory: number;
  cpus: number;
  /** 0 when unknown */
  mhz: number;
  nodes: number;
  sockets: number;
  cores: number;
  threads: number;
}

/** `virDomainState` */
export const DOMAIN_STATES = ['nostate', 'running', 'blocked', 'paused', 'shutdown', 'shutoff', 'crashed', 'pmsuspended'] as const;

export interface DomainSummary {
  name: string;
  uuid: string;
  /** `virDomainState` name, e.g. `running` */
  state: string;
  /** the `VIR_DOMAIN_*` state reason number */
  reason: number;
  /** null for an inactive domain */
  id: number | null;
}

export interface DomainCapabilitiesQuery {
  emulatorBin?: string;
  arch?: string;
  machine?: string;
  virtType?: string;
}
