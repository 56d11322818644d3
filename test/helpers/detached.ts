// A stand-in for the extension's libvirt helper process in tests: a child started detached (a
// session of its own, no controlling terminal, so ssh can never fall back to a terminal prompt)
// that hosts the binding and an AskpassServer, and hands every prompt, ssh's through askpass
// and libvirt's credential requests, to the test over IPC, as the helper will to VS Code.
import { fork, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import type { SshPrompt } from '../../client/src/askpass';
import type { CredentialRequest } from '../../client/src/libvirt';

export interface OpenRequest {
  uri: string;
  readOnly?: boolean;
  timeoutMs?: number;
}

/** What an open came to, seen from the child. */
export type OpenOutcome =
  | { ok: true; type: string; uri: string }
  | { ok: false; name: string; codeName?: string; message: string; cause?: string };

export type ParentMessage =
  | { op: 'open'; id: number; request: OpenRequest }
  | { op: 'abort'; id: number }
  | { op: 'answer'; promptId: number; answer: string | null }
  | { op: 'credentials'; promptId: number; answers: (string | null)[] | null };

export type ChildMessage =
  | { op: 'ready'; pid: number; sessionLeader: boolean; controllingTerminal: boolean; env: Record<string, string> }
  | { op: 'prompt'; promptId: number; prompt: SshPrompt }
  | { op: 'withdrawn'; promptId: number }
  | { op: 'credentials'; promptId: number; requests: CredentialRequest[] }
  | { op: 'opened'; id: number; outcome: OpenOutcome };

export interface PromptHandlers {
  /** ssh's prompts through askpass; undefined cancels. */
  onPrompt?: (prompt: SshPrompt, withdrawn: AbortSignal) => Promise<string | undefined> | string | undefined;
  /** libvirt's credential requests; undefined cancels. */
  credentials?: (requests: CredentialRequest[]) => (string | undefined)[] | undefined;
}

export interface DetachedLibvirt {
  pid: number;
  /** The child is the leader of its own session. */
  sessionLeader: boolean;
  /** The child could open /dev/tty. */
  controllingTerminal: boolean;
  /** The variables the AskpassServer had the child set. */
  askpassEnv: Record<string, string>;
  /** Opens and closes `request.uri`; `signal` aborts the open as a Cancel button would. */
  open(request: OpenRequest, handlers?: PromptHandlers, signal?: AbortSignal): Promise<OpenOutcome>;
  stop(): Promise<void>;
}

/** Starts the child with `env` as its whole environment. */
export async function startDetached(env: NodeJS.ProcessEnv): Promise<DetachedLibvirt> {
  const child: ChildProcess = fork(path.join(__dirname, 'detachedMain.js'), [], {
    detached: true,
    env,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const opens = new Map<number, (outcome: OpenOutcome) => void>();
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code, signal) => {
      for (const settle of opens.values()) settle({ ok: false, name: 'Error', message: `the detached child exited (${signal ?? code})` });
      opens.clear();
      resolve();
    }),
  );
  const send = (message: ParentMessage) => child.send(message);
  let nextId = 1;
  const prompts = new Map<number, AbortController>();
  let current: PromptHandlers = {};

  const ready = new Promise<Extract<ChildMessage, { op: 'ready' }>>((resolve, reject) => {
    child.once('exit', (code, signal) => reject(new Error(`the detached child exited (${signal ?? code}) before it was ready`)));
    child.on('message', (message: ChildMessage) => {
      switch (message.op) {
        case 'ready':
          resolve(message);
          break;
        case 'opened':
          opens.get(message.id)?.(message.outcome);
          opens.delete(message.id);
          break;
        case 'prompt': {
          const withdrawn = new AbortController();
          prompts.set(message.promptId, withdrawn);
          void (async () => {
            let answer: string | undefined;
            try {
              answer = await current.onPrompt?.(message.prompt, withdrawn.signal);
            } catch {
              answer = undefined;
            }
            prompts.delete(message.promptId);
            if (!withdrawn.signal.aborted) send({ op: 'answer', promptId: message.promptId, answer: answer ?? null });
          })();
          break;
        }
        case 'withdrawn':
          prompts.get(message.promptId)?.abort();
          prompts.delete(message.promptId);
          break;
        case 'credentials': {
          const answers = current.credentials?.(message.requests);
          send({ op: 'credentials', promptId: message.promptId, answers: answers ? answers.map((a) => a ?? null) : null });
          break;
        }
      }
    });
  });
  const facts = await ready;
  return {
    pid: facts.pid,
    sessionLeader: facts.sessionLeader,
    controllingTerminal: facts.controllingTerminal,
    askpassEnv: facts.env,
    open(request, handlers = {}, signal) {
      // One open at a time: the prompts of this open go to its handlers.
      current = handlers;
      const id = nextId++;
      signal?.addEventListener('abort', () => send({ op: 'abort', id }), { once: true });
      return new Promise<OpenOutcome>((resolve) => {
        opens.set(id, resolve);
        send({ op: 'open', id, request });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
    },
  };
}
