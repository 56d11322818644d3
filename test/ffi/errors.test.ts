// libvirt's errors surface untouched; opens that hang are cut short without wedging the binding.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Hypervisor, LibvirtError, LibvirtUnavailableError, OpenCancelledError } from '../../client/src/libvirt';
import { freeLoopbackPort } from '../helpers/libvirtd';

function libvirtError(expected: { codeName: string; code: number; domainName: string; message: RegExp | string }) {
  return (e: unknown) => {
    assert.ok(e instanceof LibvirtError, `not a LibvirtError: ${String(e)}`);
    assert.equal(e.codeName, expected.codeName);
    assert.equal(e.code, expected.code);
    assert.equal(e.domainName, expected.domainName);
    assert.equal(e.levelName, 'VIR_ERR_ERROR');
    if (typeof expected.message === 'string') assert.equal(e.message, expected.message);
    else assert.match(e.message, expected.message);
    return true;
  };
}

describe('error mapping', () => {
  let hv: Hypervisor;
  before(async () => {
    hv = await Hypervisor.start();
  });
  after(async () => {
    await hv.dispose();
  });

  it('a URI libxml2 cannot parse', async () => {
    await assert.rejects(
      hv.open('qe_mu:///system', { readOnly: true }),
      libvirtError({ codeName: 'VIR_ERR_INTERNAL_ERROR', code: 1, domainName: 'VIR_FROM_URI', message: 'internal error: Unable to parse URI qe_mu:///system' }),
    );
  });

  it('a URI without a driver name', async () => {
    await assert.rejects(
      hv.open('foo', { readOnly: true }),
      libvirtError({ codeName: 'VIR_ERR_NO_CONNECT', code: 5, domainName: 'VIR_FROM_NONE', message: "no connection driver available for URI 'foo' does not include a driver name" }),
    );
  });

  it('the missing-slash mistake', async () => {
    await assert.rejects(
      hv.open('qemu://system', { readOnly: true }),
      libvirtError({ codeName: 'VIR_ERR_INTERNAL_ERROR', code: 1, domainName: 'VIR_FROM_NONE', message: 'internal error: invalid URI qemu://system (maybe you want qemu:///system)' }),
    );
  });

  it('a refused connection (closed loopback port)', async () => {
    const port = await freeLoopbackPort();
    await assert.rejects(
      hv.open(`test+tcp://127.0.0.1:${port}/default`, { readOnly: true }),
      libvirtError({ codeName: 'VIR_ERR_SYSTEM_ERROR', code: 38, domainName: 'VIR_FROM_RPC', message: `unable to connect to server at '127.0.0.1:${port}': Connection refused` }),
    );
  });

  it('a missing unix socket', async () => {
    const socket = path.join(os.tmpdir(), `virt-uri-no-such-${process.pid}`, 'libvirt-sock');
    await assert.rejects(
      hv.open(`test+unix:///default?socket=${socket}`, { readOnly: true }),
      libvirtError({ codeName: 'VIR_ERR_SYSTEM_ERROR', code: 38, domainName: 'VIR_FROM_RPC', message: `Failed to connect socket to '${socket}': No such file or directory` }),
    );
  });

  it('an unknown transport', async () => {
    await assert.rejects(
      hv.open('test+bogus:///default', { readOnly: true }),
      libvirtError({ codeName: 'VIR_ERR_INVALID_ARG', code: 8, domainName: 'VIR_FROM_REMOTE', message: /transport in URL not recognised/ }),
    );
  });
});

describe('opens that hang', () => {
  let hv: Hypervisor;
  let server: net.Server;
  let port: number;
  const accepted: net.Socket[] = [];
  let scratch: string;

  before(async () => {
    hv = await Hypervisor.start();
    // Accepts and never answers: libvirt's open would wait for the first reply forever.
    server = net.createServer((s) => accepted.push(s));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as net.AddressInfo).port;
    scratch = mkdtempSync(path.join(os.tmpdir(), 'virt-uri-ffi-'));
  });
  after(async () => {
    await hv.dispose();
    for (const s of accepted) s.destroy();
    server.close();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('times out on a silent server by interrupting the socket wait', async () => {
    await assert.rejects(hv.open(`test+tcp://127.0.0.1:${port}/default`, { timeoutMs: 200 }), (e: unknown) => {
      assert.ok(e instanceof OpenCancelledError);
      assert.equal(e.reason, 'timeout');
      assert.ok(e.cause instanceof LibvirtError, 'the interrupted call comes back with libvirt error');
      assert.match(e.cause.message, /End of file while reading data/);
      return true;
    });
    assert.equal(hv.abandonedThreads, 0);
    const conn = await hv.open('test:///default');
    assert.equal(await conn.type(), 'TEST');
    await conn.close();
  });

  it('aborts on a silent server when the signal fires', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    await assert.rejects(hv.open(`test+tcp://127.0.0.1:${port}/default`, { signal: ac.signal }), (e: unknown) => e instanceof OpenCancelledError && e.reason === 'aborted');
  });

  it("interrupts an ext transport's command that never answers, keeping other connections usable", async () => {
    const kept = await hv.open('test:///default');
    // libvirt talks to the command over a socketpair, which the interrupt shuts down.
    const command = path.join(scratch, 'silent.sh');
    writeFileSync(command, '#!/bin/sh\nexec sleep 30\n');
    chmodSync(command, 0o755);
    await assert.rejects(hv.open(`test+ext:///default?command=${command}`, { timeoutMs: 200 }), (e: unknown) => {
      assert.ok(e instanceof OpenCancelledError);
      assert.equal(e.reason, 'timeout');
      assert.ok(e.cause instanceof LibvirtError, 'the interrupted call comes back with libvirt error');
      return true;
    });
    assert.equal(hv.abandonedThreads, 0);
    assert.equal(await kept.type(), 'TEST');
    assert.equal(await kept.close(), 0);
  });
});

describe('libvirt missing', () => {
  it('reports the library that could not be loaded', async () => {
    const saved = process.env.VIRT_URI_LIBVIRT_SO;
    process.env.VIRT_URI_LIBVIRT_SO = 'libvirt-does-not-exist.so.0';
    try {
      await assert.rejects(Hypervisor.start(), (e: unknown) => {
        assert.ok(e instanceof LibvirtUnavailableError);
        assert.equal(e.library, 'libvirt-does-not-exist.so.0');
        assert.match(e.message, /libvirt-does-not-exist\.so\.0/);
        return true;
      });
    } finally {
      if (saved === undefined) delete process.env.VIRT_URI_LIBVIRT_SO;
      else process.env.VIRT_URI_LIBVIRT_SO = saved;
    }
    const hv = await Hypervisor.start();
    await hv.dispose();
  });
});
