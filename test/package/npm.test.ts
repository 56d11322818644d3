// `npm pack` gives virt-uri as a package of its own: it installs into an empty folder from the
// tarball alone and checks URIs without VS Code or koffi; `caps` uses koffi when it is there.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths';

/** npm as a user runs it: none of the npm_* settings of the `npm test` running us. */
function npmEnv(home: string): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k)));
  return { ...env, HOME: home, XDG_CONFIG_HOME: home, npm_config_cache: path.join(process.env.HOME ?? home, '.npm') };
}

describe('the virt-uri npm package', { timeout: 180_000 }, () => {
  let work: string;
  let tarball: string;
  let env: NodeJS.ProcessEnv;
  let sample: string;

  function npm(args: string[], cwd: string): string {
    return execFileSync('npm', args, { cwd, env, encoding: 'utf8', timeout: 150_000, stdio: ['ignore', 'pipe', 'pipe'] });
  }

  /** A fresh folder with `npm install <tarball> …extra`. */
  function install(name: string, extra: string[]): string {
    const app = path.join(work, name);
    mkdirSync(app);
    writeFileSync(path.join(app, 'package.json'), '{ "private": true }\n');
    npm(['install', '--no-audit', '--no-fund', '--prefer-offline', ...extra, tarball], app);
    return app;
  }

  function virtUri(app: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(path.join(app, 'node_modules', '.bin', 'virt-uri'), args, { cwd: work, env, encoding: 'utf8', timeout: 60_000 });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  before(() => {
    work = mkdtempSync(path.join(tmpdir(), 'virt-uri-npm-'));
    env = npmEnv(path.join(work, 'home'));
    mkdirSync(path.join(work, 'home'));
    // dist/ is built by `npm test`; --ignore-scripts keeps prepack from rebuilding it under running tests.
    const [packed] = JSON.parse(npm(['pack', '--ignore-scripts', '--json', '--pack-destination', work], repoRoot)) as { filename: string }[];
    tarball = path.join(work, packed.filename);
    sample = path.join(work, 'connect.py');
    writeFileSync(sample, "import libvirt\nconn = libvirt.open('qemu+foo:///system')\nok = libvirt.open('qemu:///system')\n");
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('holds the CLI, the libvirt worker and the licence, and depends on nothing but an optional koffi', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
    assert.deepEqual(files, ['package/LICENSE', 'package/README.md', 'package/dist/cli.js', 'package/dist/worker.js', 'package/package.json']);
    const manifest = JSON.parse(execFileSync('tar', ['-xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
    assert.deepEqual(manifest.bin, { 'virt-uri': 'dist/cli.js' });
    assert.equal(manifest.dependencies, undefined);
    assert.deepEqual(Object.keys(manifest.optionalDependencies as object), ['koffi']);
    assert.equal((manifest.engines as { node: string }).node, '>=20');
  });

  it('installs into an empty folder without koffi and checks URIs', () => {
    const app = install('no-koffi', ['--omit=optional']);
    assert.deepEqual(readdirSync(path.join(app, 'node_modules')).filter((n) => !n.startsWith('.')), ['vscode-libvirt']);
    const r = virtUri(app, ['check', sample]);
    assert.equal(r.stdout, `connect.py:2:27  error  unknown-transport  invalid argument: remote_open: transport in URL not recognised (should be tls|unix|ssh|ext|tcp|libssh2|libssh)\n`);
    assert.equal(r.stderr, '1 error(s), 0 warning(s), 0 info in 1 file(s)\n');
    assert.equal(r.status, 1);
    const sarif = virtUri(app, ['check', '--format', 'sarif', sample]);
    assert.equal((JSON.parse(sarif.stdout) as { runs: { results: unknown[] }[] }).runs[0].results.length, 1);
    const version = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
    assert.equal(virtUri(app, ['--version']).stdout, `virt-uri ${version}\n`);

    // caps cannot work without koffi, and says what to install.
    const caps = virtUri(app, ['caps', 'test:///default']);
    assert.equal(caps.status, 2);
    assert.equal(caps.stdout, '');
    assert.equal(caps.stderr, "virt-uri: caps needs koffi, the FFI module that loads libvirt (an optional dependency of virt-uri), and cannot load it: Cannot find module 'koffi'; " +
      'install it where virt-uri is installed (npm install koffi, or npm install -g koffi beside a global virt-uri)\n');
  });

  it('with its optional koffi (from the npm registry or cache), caps connects through libvirt', () => {
    const app = install('with-koffi', []);
    assert.ok(existsSync(path.join(app, 'node_modules', 'koffi', 'package.json')));
    const r = virtUri(app, ['caps', 'test:///default']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^Driver: +TEST$/m);
  });
});
