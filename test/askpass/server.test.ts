// AskpassServer and the askpass program, run as ssh runs it: a child of another process, with
// the prompt as its argument and the environment libvirt leaves ssh (none of our variables).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync, statSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { ASKPASS_DISPLAY, AskpassServer, type PromptHandler, type SshPrompt } from '../../client/src/askpass';
import { distDir } from '../helpers/paths';

/** What libvirt's virCommand passes to ssh here (virnetsocket.c), minus SSH_ASKPASS itself. */
const SSH_ENV = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/', LC_ALL: 'C' };

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs askpass under a shell that stands for ssh: it prints `parent-survived` after askpass
 * unless askpass ended it. `extraEnv` is added to what ssh passes (SSH_ASKPASS_PROMPT).
 */
function askAsSsh(askpass: string, prompt: string, extraEnv: Record<string, string> = {}): { pid: number; done: Promise<Run> } {
  const child = spawn('/bin/sh', ['-c', '"$0" "$1"; echo "exit=$?"; echo parent-survived', askpass, prompt], { env: { ...SSH_ENV, ...extraEnv } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<Run>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { pid: child.pid!, done };
}

// The timeout only stops a withdrawal that never comes from stalling the run.
describe('AskpassServer', { timeout: 60_000 }, () => {
  const servers: AskpassServer[] = [];
  const start = async (onPrompt: PromptHandler, mainPath?: string) => {
    const server = await AskpassServer.start({ onPrompt, mainPath });
    servers.push(server);
    return server;
  };
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()));
  });

  it('keeps its directory and script to the owner', async () => {
    const server = await start(() => undefined);
    assert.equal(statSync(server.dir).mode & 0o777, 0o700);
    assert.equal(statSync(server.askpassPath).mode & 0o777, 0o700);
    assert.equal(path.dirname(server.askpassPath), server.dir);
  });

  it('asks for SSH_ASKPASS, and DISPLAY only where none is set', async () => {
    const server = await start(() => undefined);
    assert.deepEqual(server.environment({ DISPLAY: ':1' }), { SSH_ASKPASS: server.askpassPath });
    assert.deepEqual(server.environment({}), { SSH_ASKPASS: server.askpassPath, DISPLAY: ASKPASS_DISPLAY });
    // ssh ignores an empty DISPLAY.
    assert.deepEqual(server.environment({ DISPLAY: '' }), { SSH_ASKPASS: server.askpassPath, DISPLAY: ASKPASS_DISPLAY });
  });

  for (const build of ['transpiled', 'bundled'] as const) {
    it(`answers on stdout with exit status 0 (${build} program)`, async () => {
      const asked: SshPrompt[] = [];
      const server = await start(
        (p) => {
          asked.push(p);
          return 'correct horse';
        },
        build === 'bundled' ? path.join(distDir, 'askpass-main.js') : undefined,
      );
      const run = await askAsSsh(server.askpassPath, "alice@192.0.2.7's password: ").done;
      assert.deepEqual(run, { code: 0, signal: null, stdout: 'correct horse\nexit=0\nparent-survived\n', stderr: '' });
      assert.deepEqual(asked, [{ kind: 'password', text: "alice@192.0.2.7's password: ", secret: true, user: 'alice', host: '192.0.2.7' }]);
    });
  }

  it('ends the asking process on a cancel, with the reason on its stderr', async () => {
    const server = await start(() => undefined);
    const run = await askAsSsh(server.askpassPath, "Enter passphrase for key '/k': ").done;
    assert.deepEqual(run, { code: null, signal: 'SIGTERM', stdout: '', stderr: `askpass: "Enter passphrase for key '/k':" was cancelled\n` });
  });

  it('treats a throwing handler as a cancel', async () => {
    const server = await start(() => {
      throw new Error('the input box crashed');
    });
    const run = await askAsSsh(server.askpassPath, 'Password: ').done;
    assert.equal(run.signal, 'SIGTERM');
  });

  it('passes SSH_ASKPASS_PROMPT on: a notice, even dismissed, never ends ssh', async () => {
    const asked: SshPrompt[] = [];
    const server = await start((p) => {
      asked.push(p);
      return undefined;
    });
    const run = await askAsSsh(server.askpassPath, 'Confirm user presence for key ED25519-SK SHA256:x', { SSH_ASKPASS_PROMPT: 'none' }).done;
    assert.deepEqual(run, { code: 0, signal: null, stdout: '\nexit=0\nparent-survived\n', stderr: '' });
    assert.deepEqual(
      asked.map((p) => p.kind),
      ['notice'],
    );
  });

  /** A handler that reports each prompt and whether it was withdrawn, and never answers. */
  function pending() {
    let asked!: () => void;
    const prompted = new Promise<void>((resolve) => (asked = resolve));
    let withdraw!: () => void;
    const withdrawn = new Promise<void>((resolve) => (withdraw = resolve));
    const onPrompt: PromptHandler = (_p, signal) => {
      signal.addEventListener('abort', () => withdraw());
      asked();
      return new Promise<undefined>(() => undefined);
    };
    return { onPrompt, prompted, withdrawn };
  }

  it('withdraws a prompt when the asking process goes away', async () => {
    const handler = pending();
    const server = await start(handler.onPrompt);
    const ssh = askAsSsh(server.askpassPath, 'Password: ');
    await handler.prompted;
    // ssh is ended (its open was cancelled) while the prompt is on screen.
    process.kill(ssh.pid, 'SIGKILL');
    await handler.withdrawn;
    assert.equal((await ssh.done).signal, 'SIGKILL');
  });

  it('withdraws open prompts when it stops; askpass then ends the asking process', async () => {
    const handler = pending();
    const server = await start(handler.onPrompt);
    const ssh = askAsSsh(server.askpassPath, "bob@h's password: ");
    await handler.prompted;
    await server.stop();
    await handler.withdrawn;
    const run = await ssh.done;
    assert.equal(run.signal, 'SIGTERM');
    assert.equal(run.stderr, `askpass: no answer to "bob@h's password:": the prompt server went away\n`);
  });

  it('tells a client without the token nothing and never asks', async () => {
    let asked = 0;
    const server = await start(() => {
      asked++;
      return 'secret';
    });
    const socketPath = path.join(server.dir, 'socket');
    const exchange = (line: string) =>
      new Promise<string>((resolve) => {
        let received = '';
        const socket = net.connect(socketPath, () => socket.write(line));
        socket.setEncoding('utf8');
        socket.on('data', (d: string) => (received += d));
        socket.on('close', () => resolve(received));
        socket.on('error', () => undefined);
      });
    assert.equal(await exchange(JSON.stringify({ token: '0'.repeat(64), prompt: 'Password: ', hint: null }) + '\n'), '');
    assert.equal(await exchange(JSON.stringify({ prompt: 'Password: ' }) + '\n'), '');
    assert.equal(await exchange('not json\n'), '');
    assert.equal(await exchange('x'.repeat(70 * 1024)), '');
    assert.equal(asked, 0);
  });

  it('takes a server out of reach for a cancel', async () => {
    const server = await start(() => 'never');
    rmSync(path.join(server.dir, 'socket'));
    const run = await askAsSsh(server.askpassPath, 'Password: ').done;
    assert.equal(run.signal, 'SIGTERM');
    assert.match(run.stderr, /^askpass: no answer to "Password:": connect ENOENT /);
  });
});
