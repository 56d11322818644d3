// 10,000 open → capabilities → close cycles: nothing may grow without bound (handles,
// heap strings, koffi callbacks). The bound is generous; the figures are printed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Hypervisor } from '../../client/src/libvirt';

const CYCLES = 10_000;
/** RSS may grow with allocator caches and JIT, not with every cycle (10,000 leaked copies of the XML alone would be ~28 MB). */
const MAX_GROWTH_MB = 64;

test(`${CYCLES} open → capabilities → close cycles against test:///default`, async () => {
  const hv = await Hypervisor.start();
  try {
    const cycle = async () => {
      const conn = await hv.open('test:///default', { readOnly: true });
      const xml = await conn.capabilities();
      assert.equal(await conn.close(), 0);
      return xml.length;
    };
    for (let i = 0; i < 500; i++) await cycle();
    global.gc?.();
    const before = process.memoryUsage().rss;
    const started = process.hrtime.bigint();
    let bytes = 0;
    for (let i = 0; i < CYCLES; i++) bytes += await cycle();
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    global.gc?.();
    const growthMb = (process.memoryUsage().rss - before) / 2 ** 20;
    console.log(`soak: ${CYCLES} cycles, ${(bytes / 2 ** 20).toFixed(1)} MiB of XML, ${(elapsedMs / CYCLES).toFixed(3)} ms/cycle, RSS growth ${growthMb.toFixed(1)} MiB`);
    assert.ok(growthMb < MAX_GROWTH_MB, `RSS grew by ${growthMb.toFixed(1)} MiB`);
  } finally {
    await hv.dispose();
  }
});
