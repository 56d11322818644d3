// Runs the built `virt-uri` as a user does: a process of its own.
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { distDir, repoRoot } from './paths';

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  /** HOME and XDG_CONFIG_HOME: an empty folder keeps the user's libvirt.conf (and its aliases) out. */
  home: string;
  cwd?: string;
  nodeArgs?: string[];
}

export function runVirtUri(args: string[], options: CliOptions): CliResult {
  const r = spawnSync(process.execPath, [...(options.nodeArgs ?? []), path.join(distDir, 'cli.js'), ...args], {
    cwd: options.cwd ?? repoRoot,
    encoding: 'utf8',
    env: { ...process.env, HOME: options.home, XDG_CONFIG_HOME: options.home },
    timeout: 60_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
