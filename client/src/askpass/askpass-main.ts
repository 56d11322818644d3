// The askpass program: ssh runs it (through the wrapper script AskpassServer writes) with its
// prompt as the only argument, reads the answer from our stdout and takes any other exit status
// than 0 as "no answer". Our stderr is ssh's, which libvirt puts into its error message.
import * as net from 'node:net';
import { ENV_HANDLE, ENV_TOKEN, MAX_REQUEST_BYTES, isAskpassReply, type AskpassRequest } from './protocol';

/** How often we look whether ssh is still our parent. */
const PARENT_POLL_MS = 200;

const parent = process.ppid;

/**
 * No answer: ssh would take that as an empty one and go on (try an empty password, the next
 * key, ask again), so we end it, as Ctrl-C at its terminal prompt would, and exit.
 */
function giveUp(reason: string): never {
  process.stderr.write(`askpass: ${reason}\n`);
  if (parent > 1 && process.ppid === parent) {
    try {
      process.kill(parent, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  process.exit(1);
}

function firstLine(text: string): string {
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.trim();
}

function main(): void {
  const prompt = process.argv[2] ?? '';
  const handle = process.env[ENV_HANDLE];
  const token = process.env[ENV_TOKEN];
  if (!handle || !token) giveUp(`${ENV_HANDLE} and ${ENV_TOKEN} are not set; run through the askpass script`);

  // ssh gave up on us (it was ended, or timed out): nobody reads an answer any more. Leaving
  // closes the connection, which withdraws the prompt.
  setInterval(() => {
    if (process.ppid !== parent) process.exit(1);
  }, PARENT_POLL_MS).unref();

  const socket = net.connect(handle);
  let reply = '';
  let settled = false;
  socket.setEncoding('utf8');
  socket.on('connect', () => {
    const request: AskpassRequest = { token, prompt, hint: process.env.SSH_ASKPASS_PROMPT ?? null };
    socket.write(JSON.stringify(request) + '\n');
  });
  socket.on('data', (chunk: string) => {
    reply += chunk;
    if (reply.length > MAX_REQUEST_BYTES) giveUp('the reply is too long');
    const end = reply.indexOf('\n');
    if (end < 0) return;
    settled = true;
    let parsed: unknown;
    try {
      parsed = JSON.parse(reply.slice(0, end));
    } catch {
      giveUp('the reply is not JSON');
    }
    if (!isAskpassReply(parsed)) giveUp('the reply is malformed');
    if (!('answer' in parsed)) giveUp(`"${firstLine(prompt)}" was cancelled`);
    socket.destroy();
    process.stdout.write(parsed.answer + '\n', () => process.exit(0));
  });
  socket.on('error', (e) => giveUp(`no answer to "${firstLine(prompt)}": ${e.message}`));
  socket.on('close', () => {
    if (!settled) giveUp(`no answer to "${firstLine(prompt)}": the prompt server went away`);
  });
}

main();
