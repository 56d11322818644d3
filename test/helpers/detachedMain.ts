// The detached child of detached.ts: the binding and an AskpassServer in a process without a
// controlling terminal, as in the extension's libvirt helper process.
import { openSync, closeSync, readFileSync } from 'node:fs';
import { AskpassServer } from '../../client/src/askpass';
import { Hypervisor, LibvirtError, type CredentialRequest } from '../../client/src/libvirt';
import type { ChildMessage, OpenOutcome, OpenRequest, ParentMessage } from './detached';

const send = (message: ChildMessage) => process.send!(message);
let nextPromptId = 1;
const answers = new Map<number, (answer: string | null) => void>();
const credentialAnswers = new Map<number, (answers: (string | null)[] | null) => void>();

function controllingTerminal(): boolean {
  try {
    closeSync(openSync('/dev/tty', 'r'));
    return true;
  } catch {
    return false;
  }
}

/** Field 6 of /proc/self/stat is the session id; the part after the last ')' starts at field 3. */
function sessionId(): number {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[3]);
}

function describe(e: unknown): OpenOutcome {
  if (e instanceof LibvirtError) return { ok: false, name: e.name, codeName: e.codeName, message: e.message, cause: e.cause instanceof Error ? e.cause.message : undefined };
  const error = e instanceof Error ? e : new Error(String(e));
  return { ok: false, name: error.name, message: error.message, cause: error.cause instanceof Error ? error.cause.message : undefined };
}

const aborts = new Map<number, AbortController>();

async function open(hv: Hypervisor, request: OpenRequest, signal: AbortSignal): Promise<OpenOutcome> {
  try {
    const conn = await hv.openAuth(request.uri, {
      readOnly: request.readOnly,
      timeoutMs: request.timeoutMs,
      signal,
      keepalive: false,
      credentials: (requests: CredentialRequest[]) => {
        const promptId = nextPromptId++;
        send({ op: 'credentials', promptId, requests });
        return new Promise<(string | undefined)[] | undefined>((resolve) => credentialAnswers.set(promptId, (a) => resolve(a?.map((x) => x ?? undefined))));
      },
    });
    try {
      return { ok: true, type: await conn.type(), uri: await conn.uri() };
    } finally {
      await conn.close();
    }
  } catch (e) {
    return describe(e);
  }
}

async function main(): Promise<void> {
  const askpass = await AskpassServer.start({
    onPrompt: (prompt, withdrawn) => {
      const promptId = nextPromptId++;
      withdrawn.addEventListener('abort', () => {
        answers.delete(promptId);
        send({ op: 'withdrawn', promptId });
      });
      send({ op: 'prompt', promptId, prompt });
      return new Promise<string | undefined>((resolve) => answers.set(promptId, (a) => resolve(a ?? undefined)));
    },
  });
  const env = askpass.environment();
  Object.assign(process.env, env);
  const hv = await Hypervisor.start();
  process.on('message', (message: ParentMessage) => {
    switch (message.op) {
      case 'open': {
        const abort = new AbortController();
        aborts.set(message.id, abort);
        void open(hv, message.request, abort.signal).then((outcome) => {
          aborts.delete(message.id);
          send({ op: 'opened', id: message.id, outcome });
        });
        break;
      }
      case 'abort':
        aborts.get(message.id)?.abort();
        break;
      case 'answer':
        answers.get(message.promptId)?.(message.answer);
        answers.delete(message.promptId);
        break;
      case 'credentials':
        credentialAnswers.get(message.promptId)?.(message.answers);
        credentialAnswers.delete(message.promptId);
        break;
    }
  });
  const shutdown = () => void Promise.allSettled([askpass.stop(), hv.dispose()]).then(() => process.exit(0));
  process.once('SIGTERM', shutdown);
  // The test process is gone: a helper without its extension ends too.
  process.once('disconnect', shutdown);
  send({ op: 'ready', pid: process.pid, sessionLeader: sessionId() === process.pid, controllingTerminal: controllingTerminal(), env });
}

void main();
