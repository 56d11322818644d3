// A unix-socket proxy in front of a libvirtd socket that forwards libvirt's RPC until the
// client calls a chosen remote procedure, then goes silent both ways while keeping the
// connection open: a daemon that accepted a connection and stopped answering.
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

/** src/remote/remote_protocol.x: REMOTE_PROGRAM and procedure numbers. */
export const REMOTE_PROGRAM = 0x20008086;
export const REMOTE_PROC = {
  CONNECT_OPEN: 1,
  CONNECT_CLOSE: 2,
  CONNECT_GET_TYPE: 3,
  CONNECT_GET_CAPABILITIES: 7,
} as const;

/** Length word + prog, vers, proc, type, serial, status (src/rpc/virnetprotocol.x). */
const HEADER_BYTES = 28;

export interface StallProxy {
  /** Connect here: `test+unix:///default?socket=…` */
  socketPath: string;
  /** Resolves when a client called the procedure and the proxy went silent. */
  stalled: Promise<void>;
  /** Remote procedures called so far, in order (all clients). */
  calls: number[];
  close(): Promise<void>;
}

export async function startStallProxy(target: string, stallAt: number): Promise<StallProxy> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'virt-uri-stall-'));
  const socketPath = path.join(dir, 'proxy-sock');
  const sockets = new Set<net.Socket>();
  const calls: number[] = [];
  let onStall: () => void = () => undefined;
  const stalled = new Promise<void>((resolve) => (onStall = resolve));

  const server = net.createServer((client) => {
    const daemon = net.connect(target);
    sockets.add(client).add(daemon);
    let silent = false;
    let pending = Buffer.alloc(0);
    const goSilent = () => {
      silent = true;
      client.pause();
      daemon.pause();
      onStall();
    };
    daemon.on('data', (chunk) => {
      if (!silent) client.write(chunk);
    });
    client.on('data', (chunk) => {
      if (silent) return;
      pending = Buffer.concat([pending, chunk]);
      // Whole packets only, so the stall falls exactly before the chosen call.
      while (pending.length >= 4 && pending.length >= pending.readUInt32BE(0)) {
        const length = pending.readUInt32BE(0);
        const packet = pending.subarray(0, length);
        pending = pending.subarray(length);
        if (length >= HEADER_BYTES && packet.readUInt32BE(4) === REMOTE_PROGRAM) {
          const proc = packet.readUInt32BE(12);
          calls.push(proc);
          if (proc === stallAt) {
            goSilent();
            return;
          }
        }
        daemon.write(packet);
      }
    });
    const end = () => {
      client.destroy();
      daemon.destroy();
    };
    client.on('close', end).on('error', end);
    daemon.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  return {
    socketPath,
    stalled,
    calls,
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
