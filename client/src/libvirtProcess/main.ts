// The extension's libvirt process: hosts the binding (its threads and libvirt itself) outside
// the extension host, so a crash or an uninterruptible native call never takes the editor
// with it. Started by client.ts in a session of its own (no controlling terminal: ssh can
// never wait on an invisible tty prompt); ends when the extension goes away.
import { rmSync } from 'node:fs';
import { AskpassServer, type SshPrompt } from '../askpass';
import { Hypervisor, type Connection, type CredentialRequest } from '../libvirt';
import { serializeError, type FromProcess, type Method, type Requests, type ToProcess } from './protocol';

const send = (message: FromProcess): void => {
  process.send?.(message);
};

let hypervisor: Promise<Hypervisor> | null = null;
const connections = new Map<number, Connection>();
/** In-flight requests, for `cancel`. */
const running = new Map<number, AbortController>();
/** Credential rounds waiting for the extension's answers. */
const rounds = new Map<number, (answers: (string | null)[] | null) => void>();
let nextRound = 1;
/** ssh prompts (askpass) waiting for the extension's answers. */
const prompts = new Map<number, (answer: string | null) => void>();
let nextPrompt = 1;

function hv(): Promise<Hypervisor> {
  if (!hypervisor) {
    hypervisor = Hypervisor.start();
    // A missing library is reported to every request; the next one tries again.
    hypervisor.catch(() => (hypervisor = null));
  }
  return hypervisor;
}

function connection(connId: number): Connection {
  const conn = connections.get(connId);
  if (!conn) throw new Error(`connection ${connId} is closed`);
  return conn;
}

function askCredentials(request: number, requests: CredentialRequest[], signal: AbortSignal): Promise<(string | undefined)[] | undefined> {
  const round = nextRound++;
  return new Promise((resolve) => {
    const settle = (answers: (string | null)[] | null) => {
      rounds.delete(round);
      signal.removeEventListener('abort', onAbort);
      resolve(answers?.map((a) => a ?? undefined));
    };
    const onAbort = () => settle(null);
    signal.addEventListener('abort', onAbort, { once: true });
    rounds.set(round, settle);
    send({ type: 'credentials', round, request, requests });
  });
}

/**
 * One of ssh's questions, asked in VS Code. While a person answers, no open times out: the
 * question cannot be tied to one open (ssh runs with a cleared environment).
 */
async function askSsh(question: SshPrompt, withdrawn: AbortSignal): Promise<string | undefined> {
  const prompt = nextPrompt++;
  const release = hypervisor ? (await hypervisor).holdTimeouts() : () => undefined;
  try {
    return await new Promise<string | undefined>((resolve) => {
      const settle = (answer: string | null) => {
        prompts.delete(prompt);
        withdrawn.removeEventListener('abort', onWithdrawn);
        resolve(answer ?? undefined);
      };
      const onWithdrawn = () => {
        send({ type: 'askpassWithdrawn', prompt });
        settle(null);
      };
      withdrawn.addEventListener('abort', onWithdrawn, { once: true });
      prompts.set(prompt, settle);
      send({ type: 'askpass', prompt, question });
    });
  } finally {
    release();
  }
}

type Handlers = { [M in Method]: (params: Requests[M]['params'], id: number, signal: AbortSignal) => Promise<Requests[M]['result']> };

const handlers: Handlers = {
  async open(params, id, signal) {
    const h = await hv();
    const options = { readOnly: params.readOnly, timeoutMs: params.timeoutMs, signal, callTimeoutMs: params.callTimeoutMs, keepalive: params.keepalive, hostFacts: true };
    const conn = params.auth
      ? await h.openAuth(params.uri, { ...options, pauseWhilePrompting: true, credentials: (requests) => askCredentials(id, requests, signal) })
      : await h.open(params.uri, options);
    connections.set(conn.id, conn);
    conn.onClose((reason, detail) => {
      connections.delete(conn.id);
      send({ type: 'closed', connId: conn.id, reason, detail });
    });
    return { connId: conn.id, keepalive: conn.keepalive, closeCallback: conn.closeCallback, facts: conn.openFacts! };
  },
  async close({ connId }) {
    const conn = connection(connId);
    connections.delete(connId);
    return conn.close();
  },
  hostFacts: ({ connId, timeoutMs }, _id, signal) => connection(connId).hostFacts({ timeoutMs, signal }),
  domainCapabilities: ({ connId, query, timeoutMs }, _id, signal) => connection(connId).domainCapabilities(query, { timeoutMs, signal }),
  capabilities: ({ connId, timeoutMs }, _id, signal) => connection(connId).capabilities({ timeoutMs, signal }),
  sysinfo: ({ connId, timeoutMs }, _id, signal) => connection(connId).sysinfo({ timeoutMs, signal }),
  libraryVersion: async () => (await hv()).libraryVersion(),
};

async function handle(id: number, method: Method, params: Requests[Method]['params']): Promise<void> {
  const controller = new AbortController();
  running.set(id, controller);
  try {
    const handler = handlers[method] as (p: typeof params, id: number, signal: AbortSignal) => Promise<Requests[Method]['result']>;
    send({ type: 'response', id, ok: true, value: await handler(params, id, controller.signal) });
  } catch (e) {
    send({ type: 'response', id, ok: false, error: serializeError(e) });
  } finally {
    running.delete(id);
  }
}

process.on('message', (message: ToProcess) => {
  switch (message.type) {
    case 'request':
      void handle(message.id, message.method, message.params);
      break;
    case 'cancel':
      running.get(message.id)?.abort();
      break;
    case 'credentials':
      rounds.get(message.round)?.(message.answers);
      break;
    case 'askpass':
      prompts.get(message.prompt)?.(message.answer);
      break;
  }
});

// The extension is gone (window closed, extension host crashed): so is this process. The
// binding's exit hook ends libvirt's threads promptly.
process.on('disconnect', () => process.exit(0));

// ssh's questions come to VS Code through our askpass program. The environment is set before
// libvirt starts any thread, and only here: never in the extension host.
void AskpassServer.start({ onPrompt: askSsh }).then(
  (askpass) => {
    Object.assign(process.env, askpass.environment());
    // Its private directory (socket and script) goes with this process.
    process.on('exit', () => rmSync(askpass.dir, { recursive: true, force: true }));
  },
  (e: unknown) => process.stderr.write(`ssh prompts cannot reach VS Code: ${e instanceof Error ? e.message : String(e)}\n`),
).finally(() => send({ type: 'ready', pid: process.pid }));
