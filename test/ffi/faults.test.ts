// The binding under bad conditions: hosts that never answer, daemons that stop answering in
// the middle of a call, tiny timeouts, and processes that must exit whatever libvirt does.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, constants, mkdtempSync, openSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CallTimeoutError, Hypervisor, LibvirtError, OpenCancelledError, type CloseReason, type Connection } from '../../client/src/libvirt';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';
import { distDir, fixturesDir, outDir } from '../helpers/paths';
import { REMOTE_PROC, startStallProxy, type StallProxy } from '../helpers/stallProxy';

const unavailable = process.env.CI ? null : libvirtdUnavailable();

/** Accepts TCP connections and never says a word: libvirt's open waits for its first reply. */
async function blackHole(): Promise<{ port: number; close(): void }> {
  const accepted: net.Socket[] = [];
  const server = net.createServer((s) => accepted.push(s));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    port: (server.address() as net.AddressInfo).port,
    close() {
      for (const s of accepted) s.destroy();
      server.close();
    },
  };
}

/** A promise's state, read without waiting for it. */
function track<T>(promise: Promise<T>): { promise: Promise<T>; settled: () => boolean } {
  let settled = false;
  const watched = promise.finally(() => (settled = true));
  watched.catch(() => undefined);
  return { promise: watched, settled: () => settled };
}

function isCancelled(reason: 'timeout' | 'aborted') {
  return (e: unknown) => e instanceof OpenCancelledError && e.reason === reason;
}

describe('every open settles', () => {
  let hv: Hypervisor;
  let hole: Awaited<ReturnType<typeof blackHole>>;
  before(async () => {
    hv = await Hypervisor.start();
    hole = await blackHole();
  });
  after(async () => {
    await hv.dispose();
    hole.close();
  });

  it('two opens that time out together both reject', async () => {
    const uri = `test+tcp://127.0.0.1:${hole.port}/default`;
    const results = await Promise.allSettled([hv.open(uri, { timeoutMs: 200 }), hv.open(uri, { timeoutMs: 200 })]);
    for (const r of results) {
      assert.equal(r.status, 'rejected');
      assert.ok(isCancelled('timeout')(r.reason), String(r.reason));
    }
    assert.equal(hv.abandonedThreads, 0, 'the interrupts reached both socket waits');
  });

  it('any timeout, however small, gives a connection or OpenCancelledError', async () => {
    let opened = 0;
    let cancelled = 0;
    for (let i = 0; i < 300; i++) {
      try {
        const conn = await hv.open('test:///default', { timeoutMs: i % 5 });
        opened++;
        assert.equal(await conn.close(), 0);
      } catch (e) {
        assert.ok(isCancelled('timeout')(e), String(e));
        cancelled++;
      }
    }
    assert.equal(opened + cancelled, 300);
    assert.equal(hv.abandonedThreads, 0);
  });

  it('an open waiting on a silent host does not delay other connections', async () => {
    const ac = new AbortController();
    const hung = track(hv.open(`test+tcp://127.0.0.1:${hole.port}/default`, { signal: ac.signal }));
    const conn = await hv.open('test:///default');
    assert.equal(await conn.hostname(), await conn.hostname());
    assert.equal(await conn.close(), 0);
    assert.equal(hung.settled(), false, 'the silent host still holds its own open only');
    ac.abort();
    await assert.rejects(hung.promise, isCancelled('aborted'));
  });

  it('rejects a timeout setTimeout cannot represent instead of firing at once', async () => {
    for (const timeoutMs of [2 ** 31, Infinity, -1, NaN]) {
      await assert.rejects(hv.open('test:///default', { timeoutMs }), RangeError);
    }
  });
});

describe('calls on a daemon that stops answering', { skip: unavailable ?? false }, () => {
  let daemon: Libvirtd;
  let hv: Hypervisor;
  const proxies: StallProxy[] = [];

  async function stalledAt(proc: number, options: { callTimeoutMs?: number } = {}): Promise<{ conn: Connection; proxy: StallProxy }> {
    const proxy = await startStallProxy(daemon.socketPath, proc);
    proxies.push(proxy);
    const conn = await hv.open(`test+unix:///default?socket=${proxy.socketPath}`, { readOnly: true, ...options });
    return { conn, proxy };
  }

  before(async () => {
    daemon = await startLibvirtd();
    hv = await Hypervisor.start();
  });
  after(async () => {
    await hv?.dispose();
    for (const p of proxies) await p.close();
    await daemon?.stop();
  });

  it('times a stuck call out, drops the connection with the reason, and never blocks another connection', async () => {
    const { conn, proxy } = await stalledAt(REMOTE_PROC.CONNECT_GET_CAPABILITIES);
    assert.equal(await conn.type(), 'TEST', 'calls before the stall are answered');
    const closed = new Promise<[CloseReason, string | undefined]>((resolve) => conn.onClose((...args) => resolve(args)));
    const stuck = track(conn.capabilities({ timeoutMs: 5000 }));
    await proxy.stalled;

    const other = await hv.open('test:///default');
    assert.match(await other.capabilities(), /<capabilities>/);
    assert.equal(await other.close(), 0);
    assert.equal(stuck.settled(), false, 'the other connection was answered while this call waits');

    await assert.rejects(stuck.promise, (e: unknown) => {
      assert.ok(e instanceof CallTimeoutError);
      assert.equal(e.call, 'virConnectGetCapabilities');
      assert.equal(e.message, 'virConnectGetCapabilities got no answer within 5 s');
      return true;
    });
    assert.deepEqual(await closed, ['error', 'virConnectGetCapabilities got no answer within 5 s']);
    assert.equal(conn.closeReason, 'error');
    await assert.rejects(conn.hostname(), /the connection is closed/);
    assert.equal(hv.abandonedThreads, 0, 'the interrupt reached the socket wait');
  });

  it("applies the connection's default call timeout", async () => {
    const { conn } = await stalledAt(REMOTE_PROC.CONNECT_GET_CAPABILITIES, { callTimeoutMs: 300 });
    assert.equal(conn.callTimeoutMs, 300);
    await assert.rejects(conn.capabilities(), (e: unknown) => e instanceof CallTimeoutError && e.timeoutMs === 300);
  });

  it('an aborted call rejects with the reason and leaves the connection up until the deadline', async () => {
    const { conn, proxy } = await stalledAt(REMOTE_PROC.CONNECT_GET_CAPABILITIES);
    const ac = new AbortController();
    const call = conn.capabilities({ signal: ac.signal, timeoutMs: 400 });
    await proxy.stalled;
    const reason = new Error('no longer needed');
    ac.abort(reason);
    await assert.rejects(call, (e: unknown) => e === reason);
    assert.equal(conn.closeReason, null);
    // The call still runs, bounded by its own deadline: then the host counts as unresponsive.
    assert.deepEqual(await new Promise((resolve) => conn.onClose((...args) => resolve(args))), ['error', 'virConnectGetCapabilities got no answer within 400 ms']);
  });

  it('bounds a close the daemon never answers', async () => {
    const { conn, proxy } = await stalledAt(REMOTE_PROC.CONNECT_CLOSE);
    await assert.rejects(conn.close({ timeoutMs: 300 }), (e: unknown) => e instanceof CallTimeoutError && e.call === 'virConnectClose');
    await proxy.stalled;
    assert.equal(conn.closeReason, 'error');
  });

  it('virt-uri caps ends within --timeout when the daemon stops answering after the open', () => {
    // A child process: the whole command, exit included, must finish.
    const proxyUri = (p: StallProxy) => `test+unix:///default?socket=${p.socketPath}`;
    return startStallProxy(daemon.socketPath, REMOTE_PROC.CONNECT_GET_CAPABILITIES).then(async (proxy) => {
      proxies.push(proxy);
      const r = await run(process.execPath, [path.join(distDir, 'cli.js'), 'caps', proxyUri(proxy), '--timeout', '2']);
      assert.equal(r.status, 1, `${r.signal} ${r.stderr}`);
      assert.equal(r.stderr, `virt-uri: ${proxyUri(proxy)} stopped answering: virConnectGetCapabilities had no answer when the 2 s of --timeout ran out\n`);
      assert.equal(r.stdout, '');
    });
  });
});

/** Runs a process to its end; a generous bound turns a hang into a failure instead of a stuck suite. */
function run(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv } = {}): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const bound = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status, signal) => {
      clearTimeout(bound);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

describe('a process that uses the binding always exits', () => {
  const binding = JSON.stringify(path.join(outDir, 'client', 'src', 'libvirt'));
  let hole: Awaited<ReturnType<typeof blackHole>>;
  let scratch: string;
  let fifo: string;
  // A test-driver host that asks for credentials, with an auth file libvirt reads while
  // asking: a FIFO nobody writes to, so open(2) blocks where no socket interrupt reaches.
  let stuckUri: string;
  before(async () => {
    hole = await blackHole();
    scratch = mkdtempSync(path.join(os.tmpdir(), 'virt-uri-exit-'));
    fifo = path.join(scratch, 'auth.fifo');
    assert.equal(spawnSync('mkfifo', [fifo]).status, 0);
    stuckUri = `test://${path.join(fixturesDir, 'libvirt', 'host.xml')}?authfile=${fifo}`;
  });
  after(() => {
    hole.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  async function script(body: string): Promise<{ status: number | null; signal: string | null; stdout: string; stderr: string }> {
    const source = `const { Hypervisor } = require(${binding});\n${body}`;
    return run(process.execPath, ['-e', source]);
  }

  it('on process.exit right after start', async () => {
    const r = await script('Hypervisor.start().then(() => process.exit(0));');
    assert.deepEqual([r.status, r.signal], [0, null], r.stderr);
  });

  it('on an uncaught exception, with its exit code', async () => {
    const r = await script("Hypervisor.start().then(() => { throw new Error('boom'); });");
    assert.deepEqual([r.status, r.signal], [1, null]);
    assert.match(r.stderr, /Error: boom/);
  });

  it('when the script ends after an open timed out, without dispose', async () => {
    const r = await script(`Hypervisor.start().then((hv) => hv.open('test+tcp://127.0.0.1:${hole.port}/default', { timeoutMs: 100 })).catch((e) => console.log(e.name));`);
    assert.deepEqual([r.status, r.signal], [0, null], r.stderr);
    assert.equal(r.stdout, 'OpenCancelledError\n');
  });

  it('on process.exit while a thread is stuck where no interrupt reaches', async () => {
    const r = await script(`Hypervisor.start().then((hv) => {
      hv.openAuth(${JSON.stringify(stuckUri)}, { credentials: () => ['alice', 'x'] }).catch(() => undefined);
      setTimeout(() => process.exit(3), 300);
    });`);
    assert.deepEqual([r.status, r.signal], [3, null], r.stderr);
  });

  it('when the script ends after such a thread was given up', async () => {
    const r = await script(`Hypervisor.start().then(async (hv) => {
      try {
        await hv.openAuth(${JSON.stringify(stuckUri)}, { credentials: () => ['alice', 'x'], timeoutMs: 100 });
      } catch (e) {
        console.log(e.name, hv.abandonedThreads);
      }
      await hv.dispose();
    });`);
    assert.deepEqual([r.status, r.signal], [0, null], r.stderr);
    assert.equal(r.stdout, 'OpenCancelledError 1\n');
  });

  it('a thread given up does not take other connections with it', async () => {
    const hv = await Hypervisor.start();
    try {
      const kept = await hv.open('test:///default');
      await assert.rejects(hv.openAuth(stuckUri, { credentials: () => ['alice', 'x'], timeoutMs: 100 }), isCancelled('timeout'));
      assert.equal(hv.abandonedThreads, 1);
      assert.equal(await kept.type(), 'TEST');
      assert.equal(await kept.close(), 0);
      await assert.rejects(hv.open('qemu://system'), LibvirtError);
    } finally {
      // A writer lets the stuck open(2) return, so this process has no thread left inside libvirt.
      closeSync(openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK));
      await hv.dispose();
    }
  });
});
