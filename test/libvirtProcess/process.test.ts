// The extension's libvirt process, driven as the extension drives it: the real bundle
// (dist/libvirt-process.js) in a process of its own, over its IPC channel.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { LibvirtError, OpenCancelledError, VIR_CRED, type CloseReason, type CredentialRequest } from '../../client/src/libvirt';
import { LibvirtProcess, LibvirtProcessLostError, type LibvirtProcessOptions } from '../../client/src/libvirtProcess/client';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';
import { distDir } from '../helpers/paths';

const unavailable = process.env.CI ? null : libvirtdUnavailable();

function start(options: Partial<LibvirtProcessOptions> = {}): { lp: LibvirtProcess; log: string[] } {
  const log: string[] = [];
  const lp = new LibvirtProcess({
    execPath: process.execPath,
    modulePath: path.join(distDir, 'libvirt-process.js'),
    log: (level, message) => log.push(`${level}: ${message}`),
    ...options,
  });
  return { lp, log };
}

const T = { timeoutMs: 20_000 };

describe('libvirt process', () => {
  let lp: LibvirtProcess;
  let log: string[];
  let hole: net.Server;
  let holePort: number;
  const accepted: net.Socket[] = [];

  before(async () => {
    ({ lp, log } = start());
    hole = net.createServer((s) => accepted.push(s));
    await new Promise<void>((r) => hole.listen(0, '127.0.0.1', r));
    holePort = (hole.address() as net.AddressInfo).port;
  });
  after(async () => {
    await lp.dispose();
    for (const s of accepted) s.destroy();
    hole.close();
  });

  it('opens, answers the host facts with the open, and closes', async () => {
    const opened = await lp.request('open', { uri: 'test:///default', readOnly: true, auth: true, timeoutMs: 10_000 }, T);
    assert.deepEqual(opened.facts.type, { value: 'TEST' });
    assert.deepEqual(opened.facts.nodeInfo, { value: { model: 'i686', memory: 3145728, cpus: 16, mhz: 1400, nodes: 2, sockets: 2, cores: 2, threads: 2 } });
    assert.ok('value' in opened.facts.domains && opened.facts.domains.value[0].name === 'test');
    assert.equal(opened.keepalive, 'unsupported');
    assert.deepEqual((await lp.request('hostFacts', { connId: opened.connId }, T)).uri, { value: 'test:///default' });
    await assert.rejects(lp.request('domainCapabilities', { connId: opened.connId, query: {} }, T), (e: unknown) => e instanceof LibvirtError && e.codeName === 'VIR_ERR_OPERATION_DENIED');
    assert.equal(await lp.request('close', { connId: opened.connId }, T), 0);
    await assert.rejects(lp.request('hostFacts', { connId: opened.connId }, T), /connection \d+ is closed/);
  });

  it('runs in a session of its own, with no controlling terminal', () => {
    const stat = readFileSync(`/proc/${lp.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // state ppid pgrp session tty_nr …
    assert.equal(Number(fields[3]), lp.pid, 'session leader');
    assert.equal(Number(fields[4]), 0, 'no controlling terminal');
  });

  it("brings libvirt's refusal back as a LibvirtError", async () => {
    await assert.rejects(lp.request('open', { uri: 'qemu://system', readOnly: true, auth: true, timeoutMs: 10_000 }, T), (e: unknown) => {
      assert.ok(e instanceof LibvirtError);
      assert.equal(e.message, 'internal error: invalid URI qemu://system (maybe you want qemu:///system)');
      return true;
    });
  });

  it('times out an open to a silent host and stays usable', async () => {
    const pid = lp.pid;
    await assert.rejects(lp.request('open', { uri: `test+tcp://127.0.0.1:${holePort}/default`, readOnly: true, auth: true, timeoutMs: 300 }, T), (e: unknown) => e instanceof OpenCancelledError && e.reason === 'timeout');
    const opened = await lp.request('open', { uri: 'test:///default', readOnly: true, auth: false, timeoutMs: 10_000 }, T);
    assert.equal(lp.pid, pid);
    await lp.request('close', { connId: opened.connId }, T);
  });

  it('cancels an open when the signal aborts', async () => {
    const ac = new AbortController();
    const open = lp.request('open', { uri: `test+tcp://127.0.0.1:${holePort}/default`, readOnly: true, auth: true, timeoutMs: 60_000 }, { ...T, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(open, (e: unknown) => e instanceof OpenCancelledError && e.reason === 'aborted');
  });

  it('reports every connection lost when the process dies, and starts a new one for the next request', async () => {
    const opened = await lp.request('open', { uri: 'test:///default', readOnly: true, auth: false, timeoutMs: 10_000 }, T);
    const lost = new Promise<string>((resolve) => lp.onLost(resolve));
    const hung = lp.request('open', { uri: `test+tcp://127.0.0.1:${holePort}/default`, readOnly: true, auth: true, timeoutMs: 60_000 }, T);
    const starts = lp.starts;
    process.kill(lp.pid!, 'SIGKILL');
    await assert.rejects(hung, (e: unknown) => e instanceof LibvirtProcessLostError && e.message === 'the libvirt process was killed (SIGKILL)');
    assert.equal(await lost, 'the libvirt process was killed (SIGKILL)');
    assert.ok(log.includes('error: the libvirt process was killed (SIGKILL); its connections are lost'), log.join('\n'));
    await assert.rejects(lp.request('hostFacts', { connId: opened.connId }, T), /connection \d+ is closed/);
    assert.equal(lp.starts, starts + 1);
  });

  it('kills and replaces a process that stops answering', async () => {
    const lost = new Promise<string>((resolve) => lp.onLost(resolve));
    await lp.request('libraryVersion', {}, T);
    process.kill(lp.pid!, 'SIGSTOP');
    await assert.rejects(lp.request('libraryVersion', {}, { timeoutMs: 100 }), LibvirtProcessLostError);
    assert.equal(await lost, 'the libvirt process was killed (SIGKILL)');
    assert.ok(log.some((l) => l.startsWith('error: the libvirt process did not answer libraryVersion within 5 s; restarting it')), log.join('\n'));
    assert.ok((await lp.request('libraryVersion', {}, T)).major >= 9);
  });
});

describe('libvirt process and a private libvirtd', { skip: unavailable ?? false }, () => {
  let daemon: Libvirtd;
  let lp: LibvirtProcess;
  let tcpUri: string;
  const asked: CredentialRequest[][] = [];
  const sasl = (password: string) => async (requests: CredentialRequest[]) => {
    asked.push(requests);
    return requests.map((r) => (r.type === VIR_CRED.AUTHNAME ? daemon.username : r.type === VIR_CRED.PASSPHRASE ? password : null));
  };

  before(async () => {
    daemon = await startLibvirtd();
    tcpUri = `test+tcp://127.0.0.1:${daemon.tcpPort}/default`;
    ({ lp } = start());
  });
  afterEach(() => {
    asked.length = 0;
  });
  after(async () => {
    await lp?.dispose();
    await daemon?.stop();
  });

  it('answers SASL through the credentials of the request', async () => {
    const opened = await lp.request('open', { uri: tcpUri, readOnly: false, auth: true, timeoutMs: 10_000 }, { ...T, credentials: sasl(daemon.password) });
    assert.deepEqual(asked.flat().map((r) => r.typeName), ['VIR_CRED_AUTHNAME', 'VIR_CRED_PASSPHRASE']);
    assert.deepEqual(opened.facts.isEncrypted, { value: true });
    assert.equal(opened.keepalive, 'on');
    await lp.request('close', { connId: opened.connId }, T);
  });

  it('fails with libvirt words on a wrong password, and cancels when nobody answers', async () => {
    await assert.rejects(lp.request('open', { uri: tcpUri, readOnly: false, auth: true, timeoutMs: 10_000 }, { ...T, credentials: sasl('wrong') }), (e: unknown) => e instanceof LibvirtError && e.codeName === 'VIR_ERR_AUTH_FAILED');
    await assert.rejects(lp.request('open', { uri: tcpUri, readOnly: false, auth: true, timeoutMs: 10_000 }, T), (e: unknown) => e instanceof LibvirtError && e.codeName === 'VIR_ERR_AUTH_CANCELLED');
  });

  it('reports a connection dropped when the daemon dies', async () => {
    const opened = await lp.request('open', { uri: `test+unix:///default?socket=${daemon.socketPath}`, readOnly: true, auth: true, timeoutMs: 10_000 }, T);
    const closed = new Promise<[number, CloseReason]>((resolve) => lp.onClosed((connId, reason) => resolve([connId, reason])));
    await daemon.kill('SIGKILL');
    const [connId, reason] = await closed;
    assert.equal(connId, opened.connId);
    assert.ok(['eof', 'error'].includes(reason), reason);
  });
});
