// A URI from the wizard's answers, and back: pure, so the wizard's rules are tested without VS Code.
import { findDriver, type TransportName } from '../../../server/src/languageservice/catalog';

export const LOCAL = 'local';

export interface UriParts {
  driver?: string;
  path?: string;
  /** `local`, or the transport to a remote host */
  where?: typeof LOCAL | TransportName;
  user?: string;
  host?: string;
  port?: string;
}

/** host[:port] with IPv6 literals in brackets, as a URI needs them. */
function authority(state: UriParts): string {
  const host = state.host ?? '';
  const bracketed = host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
  return `${state.user ? `${state.user}@` : ''}${bracketed}${state.port ? `:${state.port}` : ''}`;
}

export function buildUri(state: UriParts): string {
  const driver = state.driver ?? 'qemu';
  const transport = state.where && state.where !== LOCAL ? `+${state.where}` : '';
  const remote = state.where !== undefined && state.where !== LOCAL;
  const info = findDriver(driver);
  const needsHost = info?.remoteOnly === true;
  return `${driver}${needsHost ? '' : transport}://${remote || needsHost ? authority(state) : ''}${state.path ?? '/'}`;
}

/** "user@host:port", "host", "[::1]:22" → its parts. */
export function parseUserHost(text: string): Pick<UriParts, 'user' | 'host' | 'port'> {
  let rest = text.trim();
  let user: string | undefined;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    user = rest.slice(0, at);
    rest = rest.slice(at + 1);
  }
  let host = rest;
  let port: string | undefined;
  const v6 = /^\[([^\]]*)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    host = v6[1];
    port = v6[2];
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    [host, port] = rest.split(':');
  }
  return { user: user || undefined, host, port: port || undefined };
}

