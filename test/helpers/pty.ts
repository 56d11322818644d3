// A real pseudo-terminal for tests of terminal prompts: the test types on the master side,
// the code under test reads a tty.ReadStream on the slave, and stty reports its modes.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import * as tty from 'node:tty';
import * as koffi from 'koffi';

export interface Pty {
  /** The slave side as the code under test sees its stdin. */
  stdin: tty.ReadStream;
  /** Whether the terminal echoes what is typed right now. */
  echoes(): boolean;
  /** Types on the keyboard. */
  type(text: string): void;
  close(): void;
}

export function openPty(): Pty {
  const libc = koffi.load('libc.so.6');
  const posixOpenpt = libc.func('int posix_openpt(int flags)');
  const grantpt = libc.func('int grantpt(int fd)');
  const unlockpt = libc.func('int unlockpt(int fd)');
  const ptsname = libc.func('const char *ptsname(int fd)');
  const master = posixOpenpt(constants.O_RDWR | constants.O_NOCTTY) as number;
  if (master < 0 || grantpt(master) !== 0 || unlockpt(master) !== 0) throw new Error('cannot open a pseudo-terminal');
  const slavePath = ptsname(master) as string;
  const stdin = new tty.ReadStream(openSync(slavePath, constants.O_RDWR | constants.O_NOCTTY));
  return {
    stdin,
    echoes() {
      const modes = spawnSync('stty', ['-F', slavePath, '-a'], { encoding: 'utf8' }).stdout;
      return /(^|\s)echo(\s|$)/.test(modes);
    },
    type(text) {
      writeSync(master, text);
    },
    close() {
      stdin.destroy();
      closeSync(master);
    },
  };
}
