#!/usr/bin/env node
// virt-uri: the command-line face of the extension.
import { version } from '../../../package.json';
import { CHECK_USAGE, runCheck } from '../../../server/src/cli/check';
import { CAPS_USAGE, runCaps } from './caps';

const USAGE = `usage: virt-uri <command> [options]
       virt-uri --version

commands:
  check [paths…]     check the libvirt URIs in files and folders (virt-uri check --help)
  caps [URI]         connect and print the host's capabilities (virt-uri caps --help)

${CHECK_USAGE}

${CAPS_USAGE}`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'check':
      return runCheck(rest, { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd(), version });
    case 'caps':
      return runCaps(rest, { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin });
    case '--version':
      process.stdout.write(`virt-uri ${version}\n`);
      return 0;
    case '--help':
    case '-h':
    case 'help':
      process.stdout.write(USAGE + '\n');
      return 0;
    default:
      process.stderr.write(`virt-uri: ${command === undefined ? 'a command is required' : `unknown command '${command}'`}\n${USAGE}\n`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`virt-uri: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
