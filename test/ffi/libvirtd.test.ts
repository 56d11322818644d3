// A private libvirtd started here: SASL over tcp (seed example 3.3), the unix socket, and a
// daemon killed under live connections.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Hypervisor, LibvirtError, VIR_CRED, type CloseReason, type Connection, type CredentialRequest } from '../../client/src/libvirt';
import { parseCapabilities } from '../../client/src/capabilities';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';

// Outside CI a machine without the daemon packages skips; in CI a missing package fails.
const unavailable = process.env.CI ? null : libvirtdUnavailable();

describe('private libvirtd', { skip: unavailable ?? false }, () => {
  let daemon: Libvirtd;
  let hv: Hypervisor;
  let tcpUri: string;
  let unixUri: string;
  const sasl = (password: string) => (requests: CredentialRequest[]) =>
    requests.map((r) => (r.type === VIR_CRED.AUTHNAME ? daemon.username : r.type === VIR_CRED.PASSPHRASE ? password : undefined));

  before(async () => {
    daemon = await startLibvirtd();
    hv = await Hypervisor.start();
    tcpUri = `test+tcp://127.0.0.1:${daemon.tcpPort}/default`;
    unixUri = `test+unix:///default?socket=${daemon.socketPath}`;
  });
  after(async () => {
    await hv?.dispose();
    await daemon?.stop();
  });

  it('opens over tcp with the SASL username and password', async () => {
    const asked: CredentialRequest[] = [];
    const conn = await hv.openAuth(tcpUri, {
      credentials: (requests) => {
        asked.push(...requests);
        return sasl(daemon.password)(requests);
      },
    });
    try {
      assert.deepEqual(
        asked.map((r) => r.typeName),
        ['VIR_CRED_AUTHNAME', 'VIR_CRED_PASSPHRASE'],
      );
      assert.equal(await conn.uri(), tcpUri);
      assert.equal(await conn.type(), 'TEST');
      assert.equal(await conn.isEncrypted(), true, 'DIGEST-MD5 adds a security layer');
      assert.equal(conn.keepalive, 'on');
      assert.equal(conn.closeCallback, true);
      assert.match(await conn.capabilities(), /<capabilities>/);
      assert.deepEqual((await conn.listDomains()).map((d) => d.name), ['test']);
      // Read-write over the daemon: the request reaches the test driver, which lacks it.
      await assert.rejects(conn.domainCapabilities(), (e: unknown) => e instanceof LibvirtError && e.codeName === 'VIR_ERR_NO_SUPPORT');
    } finally {
      await conn.close();
    }
  });

  it('fails with libvirt auth error on a wrong password', async () => {
    await assert.rejects(hv.openAuth(tcpUri, { credentials: sasl('not-the-password') }), (e: unknown) => {
      assert.ok(e instanceof LibvirtError);
      assert.equal(e.codeName, 'VIR_ERR_AUTH_FAILED');
      assert.equal(e.message, 'authentication failed: authentication failed');
      return true;
    });
  });

  it('reports a cancelled SASL prompt as VIR_ERR_AUTH_CANCELLED over the remote driver', async () => {
    await assert.rejects(hv.openAuth(tcpUri, { credentials: () => undefined }), (e: unknown) => {
      assert.ok(e instanceof LibvirtError);
      assert.equal(e.codeName, 'VIR_ERR_AUTH_CANCELLED');
      assert.equal(e.domainName, 'VIR_FROM_REMOTE');
      assert.equal(e.message, 'authentication cancelled: Failed to collect auth credentials');
      assert.equal((e.cause as LibvirtError).message, 'authentication failed: Failed to collect auth credentials');
      return true;
    });
  });

  it('asks for USERNAME too when it is offered', async () => {
    const asked: number[] = [];
    const conn = await hv.openAuth(tcpUri, {
      credentialTypes: [VIR_CRED.USERNAME, VIR_CRED.AUTHNAME, VIR_CRED.PASSPHRASE],
      credentials: (requests) => {
        asked.push(...requests.map((r) => r.type));
        return requests.map((r) => (r.type === VIR_CRED.PASSPHRASE ? daemon.password : daemon.username));
      },
    });
    await conn.close();
    assert.ok(asked.includes(VIR_CRED.USERNAME), `asked ${asked.join(',')}`);
  });

  it('needs no credentials on the unix socket', async () => {
    const conn = await hv.open(unixUri);
    try {
      assert.equal(await conn.type(), 'TEST');
      assert.equal(await conn.isSecure(), true);
      assert.equal(conn.keepalive, 'on');
    } finally {
      await conn.close();
    }
  });

  it("parses the daemon's capabilities XML with the capabilities model", async () => {
    const conn = await hv.open(unixUri, { readOnly: true });
    try {
      const caps = parseCapabilities(await conn.capabilities());
      assert.equal(caps.host?.cpu?.arch, 'i686');
      assert.deepEqual(caps.host?.numa?.cells.map((c) => c.cpus.length), [8, 8]);
      assert.deepEqual(caps.guests.map((g) => `${g.osType}/${g.arch.name}`), ['hvm/i686', 'xen/i686']);
      assert.equal(caps.guests[0].arch.domains[0].type, 'test');
    } finally {
      await conn.close();
    }
  });

  it('notices a daemon that stops answering through keepalive', async () => {
    const conn = await hv.open(unixUri, { readOnly: true, keepalive: { interval: 1, count: 1 } });
    assert.equal(conn.keepalive, 'on');
    const reason = new Promise<CloseReason>((resolve) => conn.onClose(resolve));
    process.kill(daemon.pid, 'SIGSTOP');
    try {
      assert.equal(await reason, 'keepalive');
    } finally {
      process.kill(daemon.pid, 'SIGCONT');
    }
    assert.equal(await conn.isAlive(), false);
    assert.equal(await conn.close(), 0);
  });

  it('reports connections dropped when the daemon dies', async () => {
    const tcp = await hv.openAuth(tcpUri, { credentials: sasl(daemon.password) });
    const unix = await hv.open(unixUri, { readOnly: true });
    const reasons = new Map<Connection, CloseReason>();
    const bothClosed = new Promise<void>((resolve) => {
      for (const c of [tcp, unix]) {
        c.onClose((reason) => {
          reasons.set(c, reason);
          if (reasons.size === 2) resolve();
        });
      }
    });
    await daemon.kill('SIGKILL');
    await bothClosed;
    assert.ok(['eof', 'error'].includes(reasons.get(tcp)!), `tcp: ${reasons.get(tcp)}`);
    assert.ok(['eof', 'error'].includes(reasons.get(unix)!), `unix: ${reasons.get(unix)}`);
    assert.equal(unix.closeReason, reasons.get(unix));
    assert.equal(await unix.isAlive(), false);
    await assert.rejects(unix.capabilities(), LibvirtError);
    assert.equal(await tcp.close(), 0);
    assert.equal(await unix.close(), 0);
  });
});
