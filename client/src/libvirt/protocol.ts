// Messages between the main thread and the libvirt threads (see worker.ts). No koffi here.
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

/** Result of virConnectSetKeepAlive: `unsupported` for drivers without it (local ones). */
export type KeepAliveState = 'off' | 'on' | 'unsupported' | 'unsupported-by-server';

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

/** One fact of a host: its value, or libvirt's refusal (plain data: it crosses threads and processes). */
export type Fact<T> = { value: T } | { error: VirErrorData; call: string };

/** What a view of a host shows first, gathered in one request: one fact per libvirt call. */
export interface HostFacts {
  uri: Fact<string>;
  type: Fact<string>;
  hostname: Fact<string>;
  hypervisorVersion: Fact<Version>;
  libraryVersion: Fact<Version>;
  nodeInfo: Fact<NodeInfo>;
  /** bytes */
  freeMemory: Fact<number>;
  /** bytes per NUMA cell */
  cellsFreeMemory: Fact<number[]>;
  maxVcpus: Fact<number>;
  isSecure: Fact<boolean>;
  isEncrypted: Fact<boolean>;
  capabilities: Fact<string>;
  sysinfo: Fact<string>;
  domains: Fact<DomainSummary[]>;
}

/** Every query a connection answers: its arguments and what the owner thread sends back. */
export interface Queries {
  capabilities: { args: []; result: string };
  hostname: { args: []; result: string };
  uri: { args: []; result: string };
  type: { args: []; result: string };
  /** packed, see decodeVersion */
  hypervisorVersion: { args: []; result: number };
  libraryVersion: { args: []; result: number };
  nodeInfo: { args: []; result: NodeInfo };
  freeMemory: { args: []; result: number };
  cellsFreeMemory: { args: [startCell: number, maxCells: number | null]; result: number[] };
  maxVcpus: { args: [type: string | null]; result: number };
  isAlive: { args: []; result: boolean };
  isSecure: { args: []; result: boolean };
  isEncrypted: { args: []; result: boolean };
  sysinfo: { args: []; result: string };
  domainCapabilities: { args: [query: DomainCapabilitiesQuery]; result: string };
  listDomains: { args: []; result: DomainSummary[] };
  hostFacts: { args: []; result: HostFacts };
}
export type QueryMethod = keyof Queries;

/** The libvirt call behind each query, as named in errors and timeouts. */
export const QUERY_CALLS: Readonly<Record<QueryMethod, string>> = {
  capabilities: 'virConnectGetCapabilities',
  hostname: 'virConnectGetHostname',
  uri: 'virConnectGetURI',
  type: 'virConnectGetType',
  hypervisorVersion: 'virConnectGetVersion',
  libraryVersion: 'virConnectGetLibVersion',
  nodeInfo: 'virNodeGetInfo',
  freeMemory: 'virNodeGetFreeMemory',
  cellsFreeMemory: 'virNodeGetCellsFreeMemory',
  maxVcpus: 'virConnectGetMaxVcpus',
  isAlive: 'virConnectIsAlive',
  isSecure: 'virConnectIsSecure',
  isEncrypted: 'virConnectIsEncrypted',
  sysinfo: 'virConnectGetSysinfo',
  domainCapabilities: 'virConnectGetDomainCapabilities',
  listDomains: 'virConnectListAllDomains',
  hostFacts: 'the host facts',
};

export type QueryRequest = { [M in QueryMethod]: { op: 'query'; connId: number; method: M; args: Queries[M]['args'] } }[QueryMethod];

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
  /** Gather the host facts right after the open, in the same request. */
  hostFacts: boolean;
}

export interface Opened {
  closeCallback: boolean;
  keepalive: KeepAliveState;
  hostFacts?: HostFacts;
}

/** Each request an owner thread takes, with what it answers. */
export type OwnerRequest =
  | OpenRequest
  | QueryRequest
  | { op: 'ref'; connId: number }
  | { op: 'close'; connId: number; last: boolean }
  | { op: 'libraryVersion' }
  /** Release every handle and end the thread (sent to an owner given up on). */
  | { op: 'retire' };

export interface OwnerResults {
  open: Opened;
  query: Queries[QueryMethod]['result'];
  /** libvirt's reference count after virConnectRef */
  ref: number;
  /** references left after virConnectClose; 0 once closed */
  close: number;
  /** packed, see decodeVersion */
  libraryVersion: number;
  retire: never;
}

export type Envelope<T> = T & { id: number };

export type OwnerResponse =
  | { id: number; ok: true; value: OwnerResults[OwnerRequest['op']] }
  | { id: number; ok: false; error: VirErrorData; call: string }
  | { id: number; ok: false; internal: string };

export type OwnerMessage =
  | { type: 'ready'; tid: number }
  | { type: 'unavailable'; library: string; detail: string }
  | { type: 'credentials'; id: number; requests: CredentialRequest[] }
  | { type: 'response'; response: OwnerResponse };

/** Slots of an owner's shared state array, readable from any thread while it is inside libvirt. */
export const OWNER_STATE = {
  /** id of the request the owner is running (0: idle); interrupts only hit that request */
  CURRENT: 0,
  /** 1 once the main thread gave up on this owner: release what it opens and exit */
  ABANDONED: 1,
  /** 1 when an answer to a credential request waits on `authPort` (or the wait must end) */
  AUTH: 2,
  SIZE: 3,
} as const;

export interface OwnerData {
  role: 'owner';
  library: string;
  closeCallback: bigint;
  /** Int32Array over OWNER_STATE */
  state: SharedArrayBuffer;
  authPort: MessagePort;
}

export interface EventsData {
  role: 'events';
  library: string;
  /** virEventRegisterDefaultImpl is once per process: false for a later events thread */
  registerImpl: boolean;
}

export type EventsRequest =
  /** Make owner `tid` return from libvirt, if it still runs request `requestId` (see worker.ts). */
  | { op: 'interrupt'; interruptId: number; tid: number; state: SharedArrayBuffer; requestId: number }
  | { op: 'stop' }
  /**
   * The process is exiting: stop the loop, interrupt these owners, then set ack[0] = 1; with
   * `exitCode`, end the process at once (owners stayed stuck where no interrupt reaches).
   */
  | { op: 'exit'; owners: { tid: number; state: SharedArrayBuffer }[]; ack: SharedArrayBuffer; exitCode?: number };

export type EventsMessage =
  | { type: 'ready'; closeCallback: bigint }
  | { type: 'unavailable'; library: string; detail: string }
  | { type: 'closed'; connId: number; reason: number }
  /** What the interrupt shut down: socket descriptors, and processes (libvirt's commands) stopped. */
  | { type: 'interrupted'; interruptId: number; sockets: number[]; commands: number[] }
  | { type: 'stopped' };
