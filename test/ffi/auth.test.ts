// virConnectOpenAuth with real prompts, against a test-driver host with an <auth> section.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hypervisor, LibvirtError, OpenCancelledError, VIR_CRED, type CredentialRequest } from '../../client/src/libvirt';
import { fixturesDir } from '../helpers/paths';

const HOST_URI = `test://${path.join(fixturesDir, 'libvirt', 'host.xml')}`;

function answer(user: string, password: string) {
  return (requests: CredentialRequest[]) => requests.map((r) => (r.type === VIR_CRED.AUTHNAME ? user : password));
}

function libvirtError(codeName: string, message: RegExp | string) {
  return (e: unknown) => {
    assert.ok(e instanceof LibvirtError, `not a LibvirtError: ${String(e)}`);
    assert.equal(e.codeName, codeName);
    if (typeof message === 'string') assert.equal(e.message, message);
    else assert.match(e.message, message);
    return true;
  };
}

describe('openAuth on a test-driver host with <auth>', () => {
  let hv: Hypervisor;
  before(async () => {
    hv = await Hypervisor.start();
  });
  after(async () => {
    await hv.dispose();
  });

  it('asks for the username, then the password, with libvirt prompts', async () => {
    const rounds: CredentialRequest[][] = [];
    const conn = await hv.openAuth(HOST_URI, {
      readOnly: true,
      credentials: (requests) => {
        rounds.push(requests);
        return answer('alice', 's3cret-pass')(requests);
      },
    });
    try {
      assert.deepEqual(rounds, [
        [{ type: VIR_CRED.AUTHNAME, typeName: 'VIR_CRED_AUTHNAME', prompt: 'Enter username for localhost', challenge: 'localhost', defaultResult: null }],
        [{ type: VIR_CRED.PASSPHRASE, typeName: 'VIR_CRED_PASSPHRASE', prompt: "Enter alice's password for localhost", challenge: 'localhost', defaultResult: null }],
      ]);
      assert.deepEqual(await conn.nodeInfo(), { model: 'x86_64', memory: 134217728, cpus: 48, mhz: 2900, nodes: 4, sockets: 2, cores: 6, threads: 2 });
      const domains = await conn.listDomains();
      assert.deepEqual(
        domains.map((d) => [d.name, d.state, d.id === null]).sort(),
        [
          ['batch', 'paused', false],
          ['db1', 'shutoff', true],
          ['web1', 'running', false],
        ],
      );
      assert.match(await conn.capabilities(), /<capabilities>/);
    } finally {
      await conn.close();
    }
  });

  it('stops the open timeout while a person answers, only with pauseWhilePrompting', async () => {
    const slowly = (requests: CredentialRequest[]) => new Promise<(string | undefined)[] | undefined>((r) => setTimeout(() => r(answer('alice', 's3cret-pass')(requests)), 1500));
    const conn = await hv.openAuth(HOST_URI, { readOnly: true, timeoutMs: 1000, pauseWhilePrompting: true, credentials: slowly });
    assert.equal(await conn.close(), 0);
    await assert.rejects(hv.openAuth(HOST_URI, { readOnly: true, timeoutMs: 1000, credentials: slowly }), (e: unknown) => e instanceof OpenCancelledError && e.reason === 'timeout');
  });

  it('fails with libvirt auth error on a wrong password', async () => {
    await assert.rejects(
      hv.openAuth(HOST_URI, { credentials: answer('alice', 'wrong') }),
      libvirtError('VIR_ERR_AUTH_FAILED', 'authentication failed: authentication failed, see test XML for the correct username/password'),
    );
  });

  it('asks an unknown user for a password anyway, then fails', async () => {
    let asked = 0;
    await assert.rejects(
      hv.openAuth(HOST_URI, {
        credentials: (r) => {
          asked += r.length;
          return answer('mallory', 'x')(r);
        },
      }),
      libvirtError('VIR_ERR_AUTH_FAILED', /see test XML/),
    );
    assert.equal(asked, 2);
  });

  it('lets a user without a password in on the username alone', async () => {
    const conn = await hv.openAuth(HOST_URI, { credentials: () => ['bob'] });
    assert.equal(await conn.type(), 'TEST');
    await conn.close();
  });

  it('offers the types given, in order: NOECHOPROMPT instead of PASSPHRASE', async () => {
    const types: number[] = [];
    const conn = await hv.openAuth(HOST_URI, {
      credentialTypes: [VIR_CRED.AUTHNAME, VIR_CRED.NOECHOPROMPT],
      credentials: (requests) => {
        types.push(...requests.map((r) => r.type));
        return requests.map((r) => (r.type === VIR_CRED.AUTHNAME ? 'alice' : 's3cret-pass'));
      },
    });
    await conn.close();
    assert.deepEqual(types, [VIR_CRED.AUTHNAME, VIR_CRED.NOECHOPROMPT]);
  });

  it('reports a cancelled prompt as VIR_ERR_AUTH_CANCELLED, keeping libvirt\'s own error as the cause', async () => {
    await assert.rejects(hv.openAuth(HOST_URI, { credentials: () => undefined }), (e: unknown) => {
      assert.ok(e instanceof LibvirtError);
      assert.equal(e.codeName, 'VIR_ERR_AUTH_CANCELLED');
      assert.equal(e.code, 79);
      assert.equal(e.message, 'authentication cancelled: Username request failed');
      assert.ok(e.cause instanceof LibvirtError);
      assert.equal(e.cause.codeName, 'VIR_ERR_AUTH_FAILED');
      assert.equal(e.cause.message, 'authentication failed: Username request failed');
      return true;
    });
  });

  it('treats a throwing handler as a cancel', async () => {
    await assert.rejects(
      hv.openAuth(HOST_URI, {
        credentials: () => {
          throw new Error('dialog crashed');
        },
      }),
      libvirtError('VIR_ERR_AUTH_CANCELLED', /Username request failed/),
    );
  });

  it('cancels a prompt left open when the signal aborts', async () => {
    const ac = new AbortController();
    const pending = hv.openAuth(HOST_URI, {
      signal: ac.signal,
      credentials: () => {
        setImmediate(() => ac.abort());
        return new Promise<undefined>(() => undefined);
      },
    });
    await assert.rejects(pending, libvirtError('VIR_ERR_AUTH_CANCELLED', /Username request failed/));
  });

  it('times out a prompt nobody answers', async () => {
    await assert.rejects(hv.openAuth(HOST_URI, { timeoutMs: 100, credentials: () => new Promise<undefined>(() => undefined) }), (e: unknown) => {
      assert.ok(e instanceof OpenCancelledError);
      assert.equal(e.reason, 'timeout');
      assert.ok(e.cause instanceof LibvirtError);
      assert.equal(e.cause.codeName, 'VIR_ERR_AUTH_FAILED');
      return true;
    });
    assert.equal(hv.abandonedThreads, 0, 'a prompt is cancelled, not abandoned');
  });

  it('refuses an already aborted signal without calling libvirt', async () => {
    await assert.rejects(hv.openAuth(HOST_URI, { signal: AbortSignal.abort(), credentials: answer('alice', 's3cret-pass') }), { name: 'AbortError' });
  });

  it('needs credentials: a plain open reports the missing callback', async () => {
    await assert.rejects(hv.open(HOST_URI), (e: unknown) => {
      assert.ok(e instanceof LibvirtError);
      assert.equal(e.codeName, 'VIR_ERR_INVALID_ARG');
      assert.equal(e.domainName, 'VIR_FROM_AUTH');
      assert.equal(e.message, 'invalid argument: Missing authentication credentials');
      return true;
    });
  });

  it('keeps answering further opens after cancelled ones', async () => {
    const conns = await Promise.all([1, 2, 3].map(() => hv.openAuth(HOST_URI, { credentials: answer('alice', 's3cret-pass') })));
    for (const c of conns) assert.equal(await c.close(), 0);
  });
});
