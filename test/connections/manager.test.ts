// The connection manager over the real libvirt process: states, remembering, credentials,
// remembered passwords that fail, and links that drop.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ConnectionManager, type ConnectionState, type CredentialSource, type HypervisorConnection, type StoredConnection } from '../../client/src/connections/connectionManager';
import { VIR_CRED, type CredentialRequest } from '../../client/src/libvirt';
import { LibvirtProcess } from '../../client/src/libvirtProcess/client';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';
import { distDir } from '../helpers/paths';

const unavailable = process.env.CI ? null : libvirtdUnavailable();

/** A person at the keyboard: answers from a script, one entry per round; null dismisses. */
class Typist implements CredentialSource {
  rounds: CredentialRequest[][] = [];
  stored: (string | null)[] | undefined;
  usedStored = false;
  constructor(private readonly script: ((requests: CredentialRequest[]) => (string | null)[] | null)[]) {}
  begin(): void {
    this.usedStored = false;
  }
  async answer(_conn: HypervisorConnection, requests: CredentialRequest[]): Promise<(string | null)[] | null> {
    this.rounds.push(requests);
    if (this.stored && !this.usedStored) {
      this.usedStored = true;
      return this.stored;
    }
    return this.script.shift()?.(requests) ?? null;
  }
  async refused(): Promise<boolean> {
    const retry = this.usedStored;
    this.stored = undefined;
    return retry;
  }
  async accepted(): Promise<void> {}
}

function setup(credentials: CredentialSource, saved: StoredConnection[] = []) {
  const log: string[] = [];
  const lp = new LibvirtProcess({ execPath: process.execPath, modulePath: path.join(distDir, 'libvirt-process.js'), log: (level, m) => log.push(`${level}: ${m}`) });
  let store = saved;
  const manager = new ConnectionManager(
    lp,
    { load: () => store, save: async (list) => void (store = list) },
    { connectTimeoutMs: () => 10_000, credentials, log: { info: (m) => log.push(`info: ${m}`), warn: (m) => log.push(`warn: ${m}`), error: (m) => log.push(`error: ${m}`) } },
  );
  const states: string[] = [];
  manager.onDidChange((c) => c && states.push(`${c.name} ${c.state.kind}`));
  return { lp, manager, log, states, stored: () => store };
}

function kind<K extends ConnectionState['kind']>(conn: HypervisorConnection, k: K): Extract<ConnectionState, { kind: K }> {
  assert.equal(conn.state.kind, k, JSON.stringify(conn.state));
  return conn.state as Extract<ConnectionState, { kind: K }>;
}

describe('connection manager', () => {
  it('connects, remembers, disconnects and forgets', async () => {
    const { lp, manager, states, stored } = setup(new Typist([]));
    try {
      const conn = await manager.add('test:///default', true);
      assert.deepEqual(stored().map((s) => [s.uri, s.readOnly, s.autoconnect]), [['test:///default', true, false]]);
      await manager.connect(conn);
      const connected = kind(conn, 'connected');
      assert.deepEqual(connected.facts.type, { value: 'TEST' });
      assert.equal(connected.secure, true);
      assert.equal(connected.encrypted, false);
      assert.equal(conn.name, 'Test');
      const facts = await manager.refresh(conn);
      assert.deepEqual(facts.nodeInfo, connected.facts.nodeInfo);
      await manager.disconnect(conn);
      assert.deepEqual(conn.state, { kind: 'disconnected', reason: 'user' });
      await manager.remove(conn);
      assert.deepEqual(stored(), []);
      assert.deepEqual(states.slice(0, 3), ['Test idle', 'Test connecting', 'Test connected']);
    } finally {
      await lp.dispose();
    }
  });

  it('keeps one connection per URI and access, read-only and read-write apart', async () => {
    const { lp, manager } = setup(new Typist([]));
    try {
      const ro = await manager.add('test:///default', true);
      assert.equal(await manager.add('test:///default', true), ro);
      const rw = await manager.add('test:///default', false);
      assert.notEqual(rw, ro);
      assert.equal(manager.list().length, 2);
    } finally {
      await lp.dispose();
    }
  });

  it("fails with libvirt's error and says so in the state and the log", async () => {
    const { lp, manager, log } = setup(new Typist([]));
    try {
      const conn = await manager.add('qemu://system', true);
      await assert.rejects(manager.connect(conn), /maybe you want qemu:\/\/\/system/);
      assert.match(kind(conn, 'failed').error.message, /invalid URI qemu:\/\/system/);
      assert.ok(log.includes('error: connecting to qemu://system failed: internal error: invalid URI qemu://system (maybe you want qemu:///system) (VIR_ERR_INTERNAL_ERROR, code 1, domain VIR_FROM_NONE)'), log.join('\n'));
    } finally {
      await lp.dispose();
    }
  });

  it('reports every connection lost when the libvirt process dies', async () => {
    const { lp, manager } = setup(new Typist([]));
    try {
      const conn = await manager.add('test:///default', true);
      await manager.connect(conn);
      const lost = new Promise<void>((resolve) => manager.onDidChange((c) => c === conn && c.state.kind === 'disconnected' && resolve()));
      process.kill(lp.pid!, 'SIGKILL');
      await lost;
      assert.deepEqual(conn.state, { kind: 'disconnected', reason: 'process-lost', detail: 'the libvirt process was killed (SIGKILL)' });
      await manager.connect(conn);
      kind(conn, 'connected');
    } finally {
      await lp.dispose();
    }
  });
});

describe('connection manager and a private libvirtd', { skip: unavailable ?? false }, () => {
  let daemon: Libvirtd;
  before(async () => {
    daemon = await startLibvirtd();
  });
  after(async () => {
    await daemon?.stop();
  });
  const sasl = (password: string) => (requests: CredentialRequest[]) => requests.map((r) => (r.type === VIR_CRED.AUTHNAME ? daemon.username : r.type === VIR_CRED.PASSPHRASE ? password : null));

  it('asks the person for the SASL user and password', async () => {
    const typist = new Typist([sasl(daemon.password)]);
    const { lp, manager, log } = setup(typist);
    try {
      const conn = await manager.add(`test+tcp://127.0.0.1:${daemon.tcpPort}/default`, false);
      await manager.connect(conn);
      assert.equal(kind(conn, 'connected').encrypted, true);
      assert.deepEqual(typist.rounds.flat().map((r) => r.typeName), ['VIR_CRED_AUTHNAME', 'VIR_CRED_PASSPHRASE']);
      assert.ok(!log.join('\n').includes(daemon.password), 'no password in the log');
    } finally {
      await lp.dispose();
    }
  });

  it('asks again when a remembered password is refused', async () => {
    const typist = new Typist([sasl(daemon.password)]);
    typist.stored = sasl('an-old-password')([
      { type: VIR_CRED.AUTHNAME, typeName: 'VIR_CRED_AUTHNAME', prompt: '', challenge: null, defaultResult: null },
      { type: VIR_CRED.PASSPHRASE, typeName: 'VIR_CRED_PASSPHRASE', prompt: '', challenge: null, defaultResult: null },
    ]);
    const { lp, manager, log } = setup(typist);
    try {
      const conn = await manager.add(`test+tcp://127.0.0.1:${daemon.tcpPort}/default`, false);
      await manager.connect(conn);
      kind(conn, 'connected');
      assert.equal(typist.rounds.length, 2);
      assert.ok(log.some((l) => l.includes('a remembered password was refused; asking again')), log.join('\n'));
    } finally {
      await lp.dispose();
    }
  });

  it('a dismissed prompt fails as cancelled', async () => {
    const { lp, manager } = setup(new Typist([() => null]));
    try {
      const conn = await manager.add(`test+tcp://127.0.0.1:${daemon.tcpPort}/default`, false);
      await assert.rejects(manager.connect(conn), /authentication cancelled/);
    } finally {
      await lp.dispose();
    }
  });

  it('shows a dropped link when the daemon dies', async () => {
    const { lp, manager } = setup(new Typist([]));
    try {
      const conn = await manager.add(`test+unix:///default?socket=${daemon.socketPath}`, true);
      await manager.connect(conn);
      assert.equal(kind(conn, 'connected').keepalive, 'on');
      const dropped = new Promise<void>((resolve) => manager.onDidChange((c) => c === conn && c.state.kind === 'disconnected' && resolve()));
      await daemon.kill('SIGKILL');
      await dropped;
      const state = kind(conn, 'disconnected');
      assert.ok(['eof', 'error'].includes(state.reason), state.reason);
    } finally {
      await lp.dispose();
    }
  });
});
