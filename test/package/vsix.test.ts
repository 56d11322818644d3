// The per-platform .vsix packages: each is unpacked and checked against what VS Code and the
// target's machine need. Expectations are written here, not taken from package.mjs.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { packager, packagesStale, type Packager } from '../helpers/packages';
import { distDir, repoRoot } from '../helpers/paths';
import { readZip, type ZipEntry } from '../helpers/zip';

/** What the native module of each target must be: its file format and machine. */
const NATIVE: Record<string, { format: 'ELF' | 'Mach-O' | 'PE'; machine: string }> = {
  'linux-x64': { format: 'ELF', machine: 'x86-64' },
  'linux-arm64': { format: 'ELF', machine: 'aarch64' },
  'darwin-x64': { format: 'Mach-O', machine: 'x86-64' },
  'darwin-arm64': { format: 'Mach-O', machine: 'aarch64' },
  'win32-x64': { format: 'PE', machine: 'x86-64' },
};

/** The format and machine a native module was built for, from its header. */
function nativeKind(bin: Buffer): { format: string; machine: string } {
  if (bin.readUInt32BE(0) === 0x7f454c46) {
    // ELF: e_machine, little-endian on every target here.
    return { format: 'ELF', machine: ({ 62: 'x86-64', 183: 'aarch64' } as Record<number, string>)[bin.readUInt16LE(18)] ?? `e_machine ${bin.readUInt16LE(18)}` };
  }
  if (bin.readUInt32LE(0) === 0xfeedfacf) {
    const cpu = bin.readUInt32LE(4);
    return { format: 'Mach-O', machine: ({ 0x01000007: 'x86-64', 0x0100000c: 'aarch64' } as Record<number, string>)[cpu] ?? `cputype ${cpu.toString(16)}` };
  }
  if (bin.toString('latin1', 0, 2) === 'MZ') {
    const pe = bin.readUInt32LE(0x3c);
    assert.equal(bin.toString('latin1', pe, pe + 4), 'PE\0\0');
    const machine = bin.readUInt16LE(pe + 4);
    return { format: 'PE', machine: ({ 0x8664: 'x86-64', 0xaa64: 'aarch64' } as Record<number, string>)[machine] ?? `machine ${machine.toString(16)}` };
  }
  return { format: 'unknown', machine: bin.subarray(0, 4).toString('hex') };
}

const PREFIX = 'extension/';
const KOFFI_RUNTIME = ['package.json', 'LICENSE.txt', 'index.cjs', 'src/koffi/index.cjs', 'src/koffi/src/static.cjs'];

describe('the per-platform packages', () => {
  let pkg: Packager;
  let unavailable: string | null = null;
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
    name: string; version: string; publisher: string; main: string; extensionKind: string[]; icon?: string;
    contributes: { grammars: { path: string }[]; languages: { configuration?: string }[]; walkthroughs: { steps: { media: { markdown: string } }[] }[] };
  };

  before(async () => {
    pkg = await packager();
    unavailable = pkg.packagerMissing();
    // Outside CI a machine without the packager (test/e2e/setup.sh) skips; in CI it must run.
    if (unavailable && process.env.CI) throw new Error(unavailable);
    if (!unavailable) {
      const stale = packagesStale();
      if (stale) throw new Error(stale);
    }
  });

  function entries(target: string): Map<string, Buffer> {
    return new Map(readZip(pkg.vsixPath(target)).map((e: ZipEntry) => [e.name, e.data]));
  }

  for (const target of Object.keys(NATIVE)) {
    it(`${target}: manifest, bundles, koffi with exactly one native build, for ${NATIVE[target].format} ${NATIVE[target].machine}`, (t) => {
      if (unavailable) return t.skip(unavailable);
      const files = entries(target);
      const vsixManifest = files.get('extension.vsixmanifest')!.toString('utf8');
      assert.match(vsixManifest, new RegExp(`<Identity [^>]*Id="${manifest.name}" Version="${manifest.version}" Publisher="${manifest.publisher}" TargetPlatform="${target}"/>`));
      assert.match(vsixManifest, /<Property Id="Microsoft.VisualStudio.Code.ExtensionKind" Value="workspace" \/>/);
      const packaged = JSON.parse(files.get(`${PREFIX}package.json`)!.toString('utf8')) as typeof manifest;
      assert.deepEqual([packaged.name, packaged.version, packaged.main, packaged.extensionKind], [manifest.name, manifest.version, manifest.main, ['workspace']]);

      // Every file the manifest names is there.
      const named = [manifest.main, ...manifest.contributes.grammars.map((g) => g.path), ...manifest.contributes.languages.flatMap((l) => l.configuration ?? [])];
      if (manifest.icon) named.push(manifest.icon);
      for (const file of named) assert.ok(files.has(PREFIX + path.posix.normalize(file)), `${target}: ${file} is missing`);

      // First run: the icon (a square PNG the marketplace takes), the translations, the
      // walkthrough's pages and examples, the licence and changelog; no screenshots (the README's
      // live in the repository) and nothing else from media/.
      const icon = files.get(`${PREFIX}media/icon.png`)!;
      assert.equal(icon.readUInt32BE(0), 0x89504e47, `${target}: media/icon.png is not a PNG`);
      assert.ok([128, 256].includes(icon.readUInt32BE(16)) && icon.readUInt32BE(20) === icon.readUInt32BE(16), `${target}: the icon is ${icon.readUInt32BE(16)}×${icon.readUInt32BE(20)}`);
      // vsce ships LICENSE, CHANGELOG.md and README.md under names of its own.
      const firstRun = ['package.nls.json', 'package.nls.zh-cn.json', 'l10n/bundle.l10n.zh-cn.json', 'LICENSE.txt', 'changelog.md', 'readme.md'];
      for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) firstRun.push(step.media.markdown, step.media.markdown.replace(/\.md$/, '.nls.zh-cn.md'));
      firstRun.push('media/walkthrough/example.py', 'media/walkthrough/example.zh-cn.py');
      for (const file of firstRun) assert.ok(files.has(PREFIX + file), `${target}: ${file} is missing`);
      const media = [...files.keys()].filter((f) => f.startsWith(`${PREFIX}media/`)).map((f) => f.slice(PREFIX.length));
      assert.deepEqual(media.filter((f) => !firstRun.includes(f) && f !== 'media/icon.png' && !/^media\/[^/]+\.svg$/.test(f)), []);

      // The bundles the extension runs, as built now; the CLI's bundle is not shipped.
      const bundles = [...files.keys()].filter((f) => /^extension\/dist\/[^/]+\.js$/.test(f)).map((f) => f.slice(PREFIX.length + 'dist/'.length)).sort();
      const built = readdirSync(distDir).filter((f) => f.endsWith('.js') && f !== 'cli.js').sort();
      assert.deepEqual(bundles, built);
      for (const b of bundles) assert.ok(files.get(`${PREFIX}dist/${b}`)!.equals(readFileSync(path.join(distDir, b))), `${target}: dist/${b} is not the current build`);
      assert.deepEqual([...files.keys()].filter((f) => f.endsWith('.map') || f.startsWith(`${PREFIX}client/`) || f.startsWith(`${PREFIX}server/`)), []);

      // koffi: its loader, and one native build, the target's.
      for (const f of KOFFI_RUNTIME) assert.ok(files.has(`${PREFIX}node_modules/koffi/${f}`), `${target}: koffi's ${f} is missing`);
      const natives = [...files.keys()].filter((f) => f.endsWith('.node'));
      assert.equal(natives.length, 1, `${target}: native modules ${natives.join(', ')}`);
      assert.match(natives[0], new RegExp(`^extension/node_modules/@koromix/koffi-${target}/[a-z0-9]+_[a-z0-9]+/koffi\\.node$`));
      assert.deepEqual(nativeKind(files.get(natives[0])!), NATIVE[target]);
      const koromix = new Set([...files.keys()].filter((f) => f.includes('/@koromix/')).map((f) => f.split('/')[3]));
      assert.deepEqual([...koromix], [`koffi-${target}`]);

      const size = statSync(pkg.vsixPath(target)).size;
      t.diagnostic(`${path.basename(pkg.vsixPath(target))}: ${(size / 1024).toFixed(0)} KiB (budget ${pkg.SIZE_BUDGET_BYTES / 1024} KiB)`);
      assert.ok(size <= pkg.SIZE_BUDGET_BYTES, `${target}: ${size} bytes, over the budget of ${pkg.SIZE_BUDGET_BYTES}`);
    });
  }

  describe('linux-x64 on this machine', () => {
    let unpacked: string;
    after(() => unpacked && rmSync(unpacked, { recursive: true, force: true }));

    it("loads libvirt through the package's own koffi", (t) => {
      if (unavailable) return t.skip(unavailable);
      unpacked = mkdtempSync(path.join(tmpdir(), 'vsix-linux-x64-'));
      for (const [name, data] of entries('linux-x64')) {
        mkdirSync(path.dirname(path.join(unpacked, name)), { recursive: true });
        writeFileSync(path.join(unpacked, name), data);
      }
      const koffi = path.join(unpacked, 'extension', 'node_modules', 'koffi');
      const script = `const koffi = require(${JSON.stringify(koffi)});
        const getVersion = koffi.load('libvirt.so.0').func('int virGetVersion(_Out_ unsigned long *libVer, const char *type, _Out_ unsigned long *typeVer)');
        const v = [0];
        if (getVersion(v, null, null) !== 0) process.exit(1);
        console.log(require.resolve(${JSON.stringify(koffi)}), v[0]);`;
      const r = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout, `${path.join(koffi, 'index.cjs')} 9000000\n`);
    });
  });
});
