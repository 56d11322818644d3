// uri_default and uri_aliases of libvirt's client configuration (libvirt.conf), read through the
// same region scanner the editor uses, so there is one reader of that syntax.
import { existsSync, readFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ALIAS_NAME } from './catalog';
import { findUriCandidates } from './regions';

export interface LibvirtConf {
  uriDefault?: string;
  /** Alias name → URI, in file order; the first entry of a name wins, as in virURIFindAliasMatch. */
  aliases: Map<string, string>;
}

export function parseLibvirtConf(text: string): LibvirtConf {
  const conf: LibvirtConf = { aliases: new Map() };
  for (const c of findUriCandidates(text, 'libvirt-conf')) {
    if (c.kind === 'alias-entry') {
      const eq = c.text.indexOf('=');
      const name = c.text.slice(0, eq);
      if (eq > 0 && ALIAS_NAME.test(name) && !conf.aliases.has(name)) conf.aliases.set(name, c.text.slice(eq + 1));
    } else if (conf.uriDefault === undefined) {
      conf.uriDefault = c.text;
    }
  }
  return conf;
}

/** The file libvirt reads for this process: /etc/libvirt for root, else $XDG_CONFIG_HOME/libvirt. */
export function clientConfigPath(env: NodeJS.ProcessEnv = process.env, uid = process.getuid?.() ?? 0): string {
  if (uid === 0) return '/etc/libvirt/libvirt.conf';
  const config = env.XDG_CONFIG_HOME || path.join(env.HOME || os.homedir(), '.config');
  return path.join(config, 'libvirt', 'libvirt.conf');
}

/** Reads a libvirt.conf if it exists; an unreadable file counts as empty. */
export function readLibvirtConf(file: string): LibvirtConf {
  try {
    return existsSync(file) ? parseLibvirtConf(readFileSync(file, 'utf8')) : { aliases: new Map() };
  } catch {
    return { aliases: new Map() };
  }
}

/** Merges alias maps; earlier maps win. */
export function mergeAliases(...maps: ReadonlyMap<string, string>[]): Map<string, string> {
  const merged = new Map<string, string>();
  for (const m of maps) for (const [k, v] of m) if (!merged.has(k)) merged.set(k, v);
  return merged;
}
