// The parts of OpenSSH's client configuration (~/.ssh/config) that name hosts: `Host` entries
// without wildcards and their User, HostName and Port. Pure: callers read the file.

export interface SshHost {
  /** The alias as written after `Host`, what `ssh ALIAS` connects to. */
  alias: string;
  user?: string;
  hostName?: string;
  port?: string;
}

/** Hosts in file order; for each keyword the first value wins, as ssh reads it. */
export function parseSshConfig(text: string): SshHost[] {
  const hosts: SshHost[] = [];
  let current: SshHost[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1].toLowerCase();
    const args = m[2].trim();
    if (keyword === 'host') {
      current = args
        .split(/\s+/)
        .filter((a) => a !== '' && !/[*?!]/.test(a))
        .map((alias) => ({ alias: alias.replace(/^"|"$/g, '') }));
      hosts.push(...current);
    } else if (keyword === 'match') {
      current = [];
    } else {
      const value = args.replace(/^"|"$/g, '');
      for (const h of current) {
        if (keyword === 'user') h.user ??= value;
        else if (keyword === 'hostname') h.hostName ??= value;
        else if (keyword === 'port') h.port ??= value;
      }
    }
  }
  return hosts;
}
