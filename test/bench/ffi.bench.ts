// npm run bench:ffi — the libvirt binding against libvirt-python and virsh on test:///default.
// Prints figures and ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Hypervisor } from '../../client/src/libvirt';
import { loadLibc, loadLibvirt } from '../../client/src/libvirt/ffi';
import { LibvirtProcess } from '../../client/src/libvirtProcess/client';
import { distDir } from '../helpers/paths';

const PYTHON = '/usr/bin/python3';
const CALLS = 5000;
const CYCLES = 1000;
const VIRSH_RUNS = 20;
const PIPELINE = 64;

function perOp(startNs: bigint, count: number): number {
  return Number(process.hrtime.bigint() - startNs) / 1e3 / count;
}

function python(): { callUs: number; cycleUs: number; factsUs: number } | string {
  if (!existsSync(PYTHON)) return `${PYTHON} not found`;
  const script = `
import json, time, libvirt
libvirt.registerErrorHandler(lambda *a: None, None)
c = libvirt.openReadOnly('test:///default')
for _ in range(500): c.getCapabilities()
t = time.perf_counter()
for _ in range(${CALLS}): c.getCapabilities()
call = (time.perf_counter() - t) / ${CALLS} * 1e6
c.close()
t = time.perf_counter()
for _ in range(${CYCLES}):
    c = libvirt.openReadOnly('test:///default'); c.getCapabilities(); c.close()
cycle = (time.perf_counter() - t) / ${CYCLES} * 1e6
t = time.perf_counter()
for _ in range(${CYCLES}):
    c = libvirt.openReadOnly('test:///default')
    c.getURI(); c.getType(); c.getHostname(); c.getVersion(); c.getLibVersion(); c.getInfo()
    c.getFreeMemory(); c.getCellsFreeMemory(0, 1024); c.getMaxVcpus(None); c.isSecure(); c.isEncrypted()
    c.getCapabilities(); c.getSysinfo()
    for d in c.listAllDomains(): d.name(); d.UUIDString(); d.state(); d.ID()
    # A domain object holds a reference on its connection: without this the close would not close.
    del d
    c.close()
facts = (time.perf_counter() - t) / ${CYCLES} * 1e6
print(json.dumps({'callUs': call, 'cycleUs': cycle, 'factsUs': facts}))
`;
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8' });
  if (r.status !== 0) return /No module named 'libvirt'/.test(r.stderr) ? 'python3-libvirt is not installed' : r.stderr.trim();
  return JSON.parse(r.stdout) as { callUs: number; cycleUs: number; factsUs: number };
}

function virsh(): number | string {
  const warm = spawnSync('virsh', ['-c', 'test:///default', 'capabilities'], { stdio: 'ignore' });
  if (warm.error || warm.status !== 0) return 'virsh not available';
  const t = process.hrtime.bigint();
  for (let i = 0; i < VIRSH_RUNS; i++) spawnSync('virsh', ['-c', 'test:///default', 'capabilities'], { stdio: 'ignore' });
  return perOp(t, VIRSH_RUNS);
}

/** The floor: the same calls made synchronously on this thread, as no editor-side code may. */
function sameThread(): { callUs: number; cycleUs: number } {
  const lv = loadLibvirt('libvirt.so.0', loadLibc());
  const conn = lv.virConnectOpenReadOnly('test:///default');
  for (let i = 0; i < 500; i++) lv.virConnectGetCapabilities(conn);
  let t = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) lv.virConnectGetCapabilities(conn);
  const callUs = perOp(t, CALLS);
  lv.virConnectClose(conn);
  t = process.hrtime.bigint();
  for (let i = 0; i < CYCLES; i++) {
    const c = lv.virConnectOpenReadOnly('test:///default');
    lv.virConnectGetCapabilities(c);
    lv.virConnectClose(c);
  }
  return { callUs, cycleUs: perOp(t, CYCLES) };
}

/** open + getCapabilities + close on test:///default, µs per cycle. */
async function cycles(hv: Hypervisor): Promise<number> {
  const t = process.hrtime.bigint();
  for (let i = 0; i < CYCLES; i++) {
    const c = await hv.open('test:///default', { readOnly: true });
    await c.capabilities();
    await c.close();
  }
  return perOp(t, CYCLES);
}

/** The extension's way: the libvirt process over IPC, as the connection manager uses it. */
async function processFigures(): Promise<{ factsUs: number; callUs: number }> {
  const lp = new LibvirtProcess({ execPath: process.execPath, modulePath: path.join(distDir, 'libvirt-process.js'), log: () => undefined });
  const limits = { timeoutMs: 30_000 };
  const open = () => lp.request('open', { uri: 'test:///default', readOnly: true, auth: true, timeoutMs: 30_000 }, limits);
  for (let i = 0; i < 50; i++) await lp.request('close', { connId: (await open()).connId }, limits);
  let t = process.hrtime.bigint();
  for (let i = 0; i < CYCLES; i++) await lp.request('close', { connId: (await open()).connId }, limits);
  const factsUs = perOp(t, CYCLES);
  const { connId } = await open();
  for (let i = 0; i < 500; i++) await lp.request('capabilities', { connId }, limits);
  t = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await lp.request('capabilities', { connId }, limits);
  const callUs = perOp(t, CALLS);
  await lp.dispose();
  return { factsUs, callUs };
}

async function main(): Promise<void> {
  const hv = await Hypervisor.start();
  const conn = await hv.open('test:///default', { readOnly: true });
  for (let i = 0; i < 500; i++) await conn.capabilities();

  let t = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i++) await conn.capabilities();
  const callUs = perOp(t, CALLS);

  t = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i += PIPELINE) await Promise.all(Array.from({ length: PIPELINE }, () => conn.capabilities()));
  const pipelinedUs = perOp(t, CALLS);
  await conn.close();

  const cycleUs = await cycles(hv);

  // The same cycles while another open waits on a host that accepts and never answers.
  const server = net.createServer(() => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const silent = new AbortController();
  const hung = hv.open(`test+tcp://127.0.0.1:${(server.address() as net.AddressInfo).port}/default`, { signal: silent.signal }).catch(() => undefined);
  const besideStuckUs = await cycles(hv);
  silent.abort();
  await hung;
  server.close();
  await hv.dispose();

  const throughProcess = await processFigures();
  const floor = sameThread();
  const py = python();
  const vs = virsh();
  const f = (us: number) => `${us.toFixed(1)} µs`;
  console.log('getCapabilities on test:///default, per call');
  console.log(`  ours, awaited one by one      ${f(callUs)}`);
  console.log(`  ${`ours, ${PIPELINE} in flight`.padEnd(30)}${f(pipelinedUs)}`);
  console.log(`  koffi on the calling thread   ${f(floor.callUs)}  (floor of any koffi binding; blocks its thread)`);
  if (typeof py === 'string') console.log(`  libvirt-python                skipped: ${py}`);
  else {
    console.log(`  libvirt-python                ${f(py.callUs)}`);
    console.log(`  ratio ours/python             ${(callUs / py.callUs).toFixed(2)}× one by one, ${(pipelinedUs / py.callUs).toFixed(2)}× pipelined (target ≤ 1.0×)`);
  }
  console.log('open + getCapabilities + close, per cycle');
  console.log(`  ours                          ${f(cycleUs)}`);
  console.log(`  ours, beside a stuck open     ${f(besideStuckUs)}  (${(besideStuckUs / cycleUs).toFixed(2)}× the idle cycle: a silent host holds only its own thread)`);
  console.log(`  koffi on the calling thread   ${f(floor.cycleUs)}`);
  if (typeof py !== 'string') console.log(`  libvirt-python                ${f(py.cycleUs)}`);
  console.log('connect + host facts (hostname, type, versions, node info, free memory, max vCPUs, secure, capabilities, sysinfo, domains) + close');
  console.log(`  ours, through the libvirt process  ${f(throughProcess.factsUs)}`);
  if (typeof py !== 'string') {
    console.log(`  libvirt-python, same calls         ${f(py.factsUs)}`);
    console.log(`  ratio ours/python                  ${(throughProcess.factsUs / py.factsUs).toFixed(2)}× (target ≤ 1.5×)`);
  }
  console.log('getCapabilities per call, through the libvirt process vs in this process');
  console.log(`  through the process (IPC + thread)  ${f(throughProcess.callUs)}`);
  console.log(`  in-process (thread only)            ${f(callUs)}`);
  if (typeof vs === 'string') console.log(`  virsh                         skipped: ${vs}`);
  else {
    console.log(`  virsh (a process per cycle)   ${(vs / 1000).toFixed(1)} ms`);
    console.log(`  ratio virsh/ours              ${(vs / cycleUs).toFixed(1)}× faster (target ≥ 25×)`);
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
