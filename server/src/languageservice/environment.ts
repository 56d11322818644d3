// What the machine knows that helps complete a URI: host names (ssh's client configuration,
// known_hosts, /etc/hosts) and local directories. Pure: callers read the files and hand the
// text to these parsers; the service gets the results through its environment.
import type { SshHost } from './sshConfig';

export interface KnownHost {
  name: string;
  /** The port of a `[host]:port` entry. */
  port?: string;
}

export interface EtcHost {
  name: string;
  address: string;
}

export interface HostNames {
  /** `Host` entries of ~/.ssh/config without wildcards. */
  sshConfig: readonly SshHost[];
  /** Unhashed names of ~/.ssh/known_hosts. */
  knownHosts: readonly KnownHost[];
  /** Names of /etc/hosts. */
  etcHosts: readonly EtcHost[];
}

export const NO_HOSTS: HostNames = { sshConfig: [], knownHosts: [], etcHosts: [] };

export interface DirectoryEntry {
  name: string;
  directory: boolean;
}

/** More would not help anyone pick one, and a hostile file must not fill the memory. */
export const MAX_NAMES = 5000;

/** A host name or address as it can stand in a URI's authority (no wildcards, no brackets). */
const HOST_NAME = /^(?:[A-Za-z0-9_~-]+(?:\.[A-Za-z0-9_~-]+)*\.?|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;

export function isHostName(name: string): boolean {
  return name.length > 0 && name.length <= 253 && HOST_NAME.test(name);
}

/**
 * The unhashed host names of a known_hosts file, in file order, without duplicates. Hashed
 * entries (`|1|…`), negations, wildcard patterns and `@cert-authority`/`@revoked` lines name no
 * host one can connect to.
 */
export function parseKnownHosts(text: string): KnownHost[] {
  const found: KnownHost[] = [];
  const seen = new Set<string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith('@') || line.startsWith('|')) continue;
    const field = line.split(/\s/, 1)[0];
    for (const pattern of field.split(',')) {
      const m = /^\[([^\]]+)\]:(\d+)$/.exec(pattern);
      const host: KnownHost = m ? { name: m[1], port: m[2] } : { name: pattern };
      if (!isHostName(host.name)) continue;
      const key = `${host.name}:${host.port ?? ''}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(host);
      if (found.length >= MAX_NAMES) return found;
    }
  }
  return found;
}

/** Addresses whose names are no hosts (Debian's ip6-allnodes and kin: multicast and the like). */
function isHostAddress(address: string): boolean {
  const a = address.toLowerCase();
  return !a.startsWith('ff0') && !a.startsWith('fe00:');
}

/** The names of an /etc/hosts file with their address, in file order, without duplicates. */
export function parseEtcHosts(text: string): EtcHost[] {
  const found: EtcHost[] = [];
  const seen = new Set<string>();
  for (const raw of text.split('\n')) {
    const hash = raw.indexOf('#');
    const fields = (hash < 0 ? raw : raw.slice(0, hash)).trim().split(/\s+/);
    if (fields.length < 2 || !isHostAddress(fields[0])) continue;
    for (const name of fields.slice(1)) {
      if (!isHostName(name) || seen.has(name)) continue;
      seen.add(name);
      found.push({ name, address: fields[0] });
      if (found.length >= MAX_NAMES) return found;
    }
  }
  return found;
}
