// Answers ssh's prompts in VS Code. libvirt's ssh transport runs `ssh` with a cleared
// environment that keeps SSH_ASKPASS and DISPLAY (src/rpc/virnetsocket.c), and ssh without a
// terminal runs $SSH_ASKPASS with its prompt when DISPLAY is set. So SSH_ASKPASS names a script
// in a private directory that carries everything else (the runtime, the socket, the token) and
// runs askpass-main.js, which asks this server over the socket.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { classifySshPrompt, type SshPrompt } from './prompt';
import { ENV_HANDLE, ENV_TOKEN, MAX_REQUEST_BYTES, isAskpassRequest, type AskpassReply } from './protocol';

/**
 * ssh only runs askpass when DISPLAY is non-empty; libvirt drops SSH_ASKPASS_REQUIRE, the
 * variable that would do without. Set when DISPLAY is unset: without a ':' it names no X
 * display, so nothing ever connects to one or looks its host up.
 */
export const ASKPASS_DISPLAY = 'vscode-libvirt-askpass';

/**
 * Answers one prompt: the answer, or undefined to cancel (the ssh that asked is ended, so the
 * open fails at once). `withdrawn` aborts when nobody waits for the answer any more (ssh ended,
 * timed out, or the server stopped); the prompt should then be taken off the screen.
 */
export type PromptHandler = (prompt: SshPrompt, withdrawn: AbortSignal) => Promise<string | undefined> | string | undefined;

export interface AskpassServerOptions {
  onPrompt: PromptHandler;
  /** The runtime that runs the askpass program: default this process's (ELECTRON_RUN_AS_NODE is set for it). */
  nodePath?: string;
  /** default: askpass-main.js next to this module, in the bundle and in the transpile alike */
  mainPath?: string;
  /** Where the private directory goes: default $XDG_RUNTIME_DIR, else the temporary directory. */
  parentDir?: string;
}

/** A shell word that the shell takes literally. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

function defaultParentDir(): string {
  const runtime = process.env.XDG_RUNTIME_DIR;
  return runtime && path.isAbsolute(runtime) ? runtime : os.tmpdir();
}

export class AskpassServer {
  private readonly connections = new Set<net.Socket>();
  private stopped = false;

  private constructor(
    private readonly server: net.Server,
    /** The private directory (0700): the socket and the askpass script. */
    readonly dir: string,
    /** The program to put in SSH_ASKPASS. */
    readonly askpassPath: string,
    private readonly token: Buffer,
    private readonly onPrompt: PromptHandler,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  static async start(options: AskpassServerOptions): Promise<AskpassServer> {
    // mkdtemp makes the directory 0700: no other user can reach the socket or read the script.
    const dir = mkdtempSync(path.join(options.parentDir ?? defaultParentDir(), 'vscode-libvirt-askpass-'));
    try {
      const token = randomBytes(32).toString('hex');
      const socketPath = path.join(dir, 'socket');
      const askpassPath = path.join(dir, 'askpass.sh');
      const nodePath = options.nodePath ?? process.execPath;
      const mainPath = options.mainPath ?? path.join(__dirname, 'askpass-main.js');
      // The token travels in the environment, which other users cannot read (argv they can).
      const script = [
        '#!/bin/sh',
        `ELECTRON_RUN_AS_NODE=1 ${ENV_HANDLE}=${shellQuote(socketPath)} ${ENV_TOKEN}=${token} exec ${shellQuote(nodePath)} ${shellQuote(mainPath)} "$@"`,
        '',
      ].join('\n');
      writeFileSync(askpassPath, script, { mode: 0o700 });
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(socketPath, () => {
          server.off('error', reject);
          resolve();
        });
      });
      return new AskpassServer(server, dir, askpassPath, Buffer.from(token), options.onPrompt);
    } catch (e) {
      rmSync(dir, { recursive: true, force: true });
      throw e;
    }
  }

  /**
   * What the process that runs libvirt needs in its environment: SSH_ASKPASS, and DISPLAY when
   * `base` has none. Set them before the first ssh connection (libvirt reads them at each).
   */
  environment(base: NodeJS.ProcessEnv = process.env): Record<string, string> {
    const env: Record<string, string> = { SSH_ASKPASS: this.askpassPath };
    if (!base.DISPLAY) env.DISPLAY = ASKPASS_DISPLAY;
    return env;
  }

  /** Stops listening, withdraws the prompts still open (their ssh ends) and removes the directory. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.connections) socket.destroy();
    await closed;
    rmSync(this.dir, { recursive: true, force: true });
  }

  private accept(socket: net.Socket): void {
    this.connections.add(socket);
    const withdrawn = new AbortController();
    let replied = false;
    socket.on('close', () => {
      this.connections.delete(socket);
      if (!replied) withdrawn.abort();
    });
    socket.on('error', () => undefined);
    socket.setEncoding('utf8');
    let received = '';
    const onData = (chunk: string) => {
      received += chunk;
      const end = received.indexOf('\n');
      if (end < 0) {
        if (received.length > MAX_REQUEST_BYTES) socket.destroy();
        return;
      }
      socket.off('data', onData);
      void this.answer(received.slice(0, end), withdrawn.signal).then((reply) => {
        if (reply === undefined) {
          socket.destroy();
        } else if (!withdrawn.signal.aborted) {
          replied = true;
          socket.end(JSON.stringify(reply) + '\n');
        }
      });
    };
    socket.on('data', onData);
  }

  private tokenMatches(token: string): boolean {
    const given = Buffer.from(token);
    return given.length === this.token.length && timingSafeEqual(given, this.token);
  }

  /** The reply to one request line, or undefined when it is not from our askpass program. */
  private async answer(line: string, withdrawn: AbortSignal): Promise<AskpassReply | undefined> {
    let request: unknown;
    try {
      request = JSON.parse(line);
    } catch {
      return undefined;
    }
    // Not our askpass program: it learns nothing, not even the prompt's fate.
    if (!isAskpassRequest(request) || !this.tokenMatches(request.token)) return undefined;
    const prompt = classifySshPrompt(request.prompt, request.hint);
    // ssh already gave up on it: nothing to show.
    if (withdrawn.aborted) return undefined;
    let answer: string | undefined;
    try {
      answer = await this.onPrompt(prompt, withdrawn);
    } catch {
      answer = undefined;
    }
    // ssh ignores what a notice returns; dismissing one must not end the connection.
    if (prompt.kind === 'notice') return { answer: '' };
    return answer === undefined ? { cancelled: true } : { answer };
  }
}
