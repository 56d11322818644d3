// The extension in a real VS Code: code-server with the linux-x64 package that `npm run package`
// built (test/helpers/codeServer.ts), driven through Debian's Chromium.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type Page } from 'playwright-core';
import { codeServerUnavailable, openFile, runCommand as paletteCommand, startCodeServer, type CodeServer } from '../helpers/codeServer';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';
import { packager, packagesStale } from '../helpers/packages';
import { repoRoot } from '../helpers/paths';
import { sshdUnavailable, startSshd, type Sshd } from '../helpers/sshd';

// Outside CI a machine without the e2e set-up skips; in CI it must run.
const skip = process.env.CI ? null : codeServerUnavailable();

const PYTHON = `import libvirt

conn = libvirt.open('qemu+foo:///system')
`;

const HIGHLIGHTED_URI = 'qemu+ssh://root@host:2222/system?keyfile=/k&no_tty=1';
const HIGHLIGHT = `import libvirt

conn = libvirt.open('${HIGHLIGHTED_URI}')
`;

// Daemons the connect scenes reach: a private libvirtd, and an sshd in front of it.
const noDaemon = process.env.CI ? null : libvirtdUnavailable();
const noSshd = process.env.CI ? null : (noDaemon ?? sshdUnavailable());

describe('the extension in VS Code (code-server)', { skip: skip ?? false, timeout: 300_000 }, () => {
  let vscode: CodeServer | undefined;
  let daemon: Libvirtd | undefined;
  let sshd: Sshd | undefined;
  let page: Page;
  let userSettings: string;
  let screenshots: string;

  before(async () => {
    const stale = packagesStale();
    if (stale) throw new Error(stale);
    const vsix = (await packager()).vsixPath('linux-x64');
    if (!noDaemon) daemon = await startLibvirtd({ groupAccess: true });
    if (!noSshd) sshd = await startSshd({ groups: [daemon!.gid] });
    // The test sshd's client configuration comes first on PATH (see test/helpers/sshd.ts).
    vscode = await startCodeServer({ packages: [vsix], files: { 'connect.py': PYTHON, 'highlight.py': HIGHLIGHT }, pathPrefix: sshd?.binDir });
    ({ page, userSettings, screenshots } = vscode);
    await openFile(page, 'connect.py');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 30_000 });
  });

  after(async () => {
    await vscode?.close();
    await sshd?.stop();
    await daemon?.stop();
  });

  it('installed the linux-x64 package, with its one native build', () => {
    const { publisher, name, version } = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Record<string, string>;
    const installed = readdirSync(vscode!.extensions).filter((d) => d.startsWith(`${publisher}.`));
    assert.deepEqual(installed, [`${publisher}.${name}-${version}`]);
    const folder = path.join(vscode!.extensions, installed[0]);
    // VS Code keeps the package's manifest, which names its target.
    assert.match(readFileSync(path.join(folder, '.vsixmanifest'), 'utf8'), /<Identity [^>]* TargetPlatform="linux-x64"\/>/);
    const koromix = path.join(folder, 'node_modules', '@koromix');
    assert.deepEqual(readdirSync(koromix), ['koffi-linux-x64']);
    assert.deepEqual(readdirSync(path.join(koromix, 'koffi-linux-x64')).sort(), ['index.js', 'linux_x64', 'package.json']);
  });

  /** Saves what the browser shows and prints where. */
  async function screenshot(t: TestContext, name: string): Promise<void> {
    const file = path.join(screenshots, `${name}.png`);
    await page.screenshot({ path: file });
    t.diagnostic(`screenshot: ${file}`);
  }

  /** The Problems panel's rows, as text. */
  async function problems(): Promise<string[]> {
    return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => rows.map((r) => (r as unknown as { innerText: string }).innerText.replace(/\s+/g, ' ').trim()));
  }

  async function waitForProblems(accept: (rows: string[]) => boolean, what: string): Promise<string[]> {
    let rows: string[] = [];
    for (let i = 0; i < 120; i++) {
      rows = await problems();
      if (accept(rows)) return rows;
      await page.waitForTimeout(250);
    }
    throw new Error(`${what}; the Problems panel shows ${JSON.stringify(rows)}`);
  }

  const mentions = (text: string) => (rows: string[]) => rows.some((r) => r.includes(text));

  it("shows libvirt's verdict for a broken URI in the Problems panel", async (t) => {
    const rows = await waitForProblems(mentions('transport in URL not recognised'), 'no unknown-transport problem appeared');
    const row = rows.find((r) => r.includes('transport in URL not recognised'))!;
    assert.match(row, /invalid argument: remote_open: transport in URL not recognised \(should be tls\|unix\|ssh\|ext\|tcp\|libssh2\|libssh\)/);
    assert.match(row, / libvirt unknown-transport \[Ln 3, Col 27\]$/);
    await screenshot(t, 'problems');
  });

  it('follows edits: a new broken URI appears, and goes when it is undone', async (t) => {
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type("other = libvirt.openReadOnly('qemu:///sytem')\n");
    await waitForProblems(mentions("unexpected qemu URI path '/sytem', try qemu:///system"), 'the typed URI got no wrong-path problem');
    await screenshot(t, 'edit');
    // Typing is undone in a few steps (the newline, then the line).
    for (let i = 0; i < 4; i++) await page.keyboard.press('Control+Z');
    await waitForProblems((rows) => !mentions('/sytem')(rows) && mentions('transport in URL not recognised')(rows), 'undo did not clear the problem');
  });

  const runCommand = (command: string): Promise<void> => paletteCommand(page, command);

  /** Edits the user settings the way a user does: in VS Code's own settings.json editor, then saves. */
  async function setUserSettings(settings: Record<string, unknown>): Promise<void> {
    await runCommand('Preferences: Open User Settings (JSON)');
    // VS Code opens it in a floating editor titled settings.json.
    const title = page.getByText('settings.json', { exact: true }).first();
    await title.waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.monaco-editor', { hasText: 'workbench.startupEditor' }).locator('.view-lines').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify(settings, null, 2));
    await page.keyboard.press('Control+S');
    await page.keyboard.press('Control+W');
    await title.waitFor({ state: 'detached', timeout: 10_000 });
  }

  it('obeys libvirt.uri.severity from the user settings', async (t) => {
    const settings = JSON.parse(readFileSync(userSettings, 'utf8')) as Record<string, unknown>;
    await setUserSettings({ ...settings, 'libvirt.uri.severity': { 'unknown-transport': 'off' } });
    await waitForProblems((rows) => !mentions('transport in URL not recognised')(rows), 'turning the code off did not remove the problem');
    await setUserSettings({ ...settings, 'libvirt.uri.severity': { 'unknown-transport': 'warning' } });
    await waitForProblems(mentions('transport in URL not recognised'), 'the problem did not come back as a warning');
    const row = page.locator('.markers-panel .monaco-list-row', { hasText: 'transport in URL not recognised' });
    await row.locator('.codicon-warning').first().waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(t, 'severity');
  });

  /** The rendered tokens of the editor line that shows `text`: each span's text and colour. */
  async function lineTokens(text: string): Promise<{ text: string; color: string }[]> {
    const line = page.locator('.monaco-editor .view-line', { hasText: text }).first();
    await line.waitFor({ state: 'visible', timeout: 30_000 });
    // Runs in the browser (no DOM types in this project's lib).
    return line.locator('span > span').evaluateAll((spans) => spans.map((s) => ({
      text: (s.textContent ?? '').replace(/\u00a0/g, ' '),
      color: (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(s).color,
    })));
  }

  it('colours the parts of a libvirt URI inside a Python string', async (t) => {
    await openFile(page, 'highlight.py');
    // VS Code tokenizes in the background: wait until the URI is split into its parts.
    const parts = ['qemu', 'ssh', 'root', 'host', '2222', '/system', 'keyfile', 'no_tty', '1'];
    let tokens: { text: string; color: string }[] = [];
    for (let i = 0; i < 120 && !parts.every((p) => tokens.some((s) => s.text === p)); i++) {
      if (i > 0) await page.waitForTimeout(250);
      tokens = await lineTokens(HIGHLIGHTED_URI);
    }
    const shown = JSON.stringify(tokens);
    const quote = tokens.find((s) => s.text.startsWith("'"));
    assert.ok(quote, `no string delimiter among ${shown}`);
    for (const part of parts) {
      const span = tokens.find((s) => s.text === part);
      assert.ok(span, `the URI part ${part} is not a token of its own: ${shown}`);
      assert.notEqual(span.color, quote.color, `${part} has the string's colour: ${shown}`);
    }
    const colours = new Set(parts.map((p) => tokens.find((s) => s.text === p)!.color));
    assert.ok(colours.size >= 6, `only ${colours.size} colours for the URI parts: ${shown}`);
    await screenshot(t, 'highlighting');

    // VS Code's own token inspector names the scopes of the token under the cursor.
    await page.locator('.monaco-editor .view-line span > span', { hasText: /^ssh$/ }).first().click();
    await runCommand('Developer: Inspect Editor Tokens and Scopes');
    const inspector = page.locator('.token-inspect-widget');
    await inspector.waitFor({ state: 'visible', timeout: 10_000 });
    const scopes = await inspector.innerText();
    assert.match(scopes, /keyword\.control\.transport\.libvirt-uri/);
    assert.match(scopes, /meta\.uri\.libvirt-uri/);
    assert.match(scopes, /string\.quoted\.single\.python/);
    await screenshot(t, 'highlighting-scopes');
    await page.keyboard.press('Escape');
  });

  /** Picks the quick-input row that shows `text` (the wizard's steps). */
  async function pick(text: string | RegExp): Promise<void> {
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
  }

  /** The quick input's text box, once its prompt or title says `text`. */
  async function inputWith(text: string | RegExp): Promise<ReturnType<Page['locator']>> {
    await page.locator('.quick-input-widget', { hasText: text }).waitFor({ state: 'visible', timeout: 30_000 });
    return page.locator('.quick-input-widget input').first();
  }

  /** The lines of the "libvirt" log, shown in the Output panel. */
  async function waitForLog(text: string | RegExp, what: string): Promise<string> {
    await runCommand('libvirt: Show Log');
    const view = page.locator('.output-view .view-lines').first();
    let shown = '';
    for (let i = 0; i < 120; i++) {
      // The Output view wraps long lines, also inside words: strings compare without whitespace.
      shown = (await view.innerText().catch(() => '')).replace(/\s+/g, ' ');
      if (typeof text === 'string' ? shown.replace(/ /g, '').includes(text.replace(/\s+/g, '')) : text.test(shown)) return shown;
      await page.waitForTimeout(250);
    }
    throw new Error(`${what}; the libvirt log shows:\n${shown}`);
  }

  it('walks "Connect to Hypervisor" to the test driver and connects', async (t) => {
    await runCommand('libvirt: Connect to Hypervisor…');
    await page.locator('.quick-input-widget input[placeholder="Which hypervisor?"]').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'connect-1-hypervisor');
    await pick('Test driver');
    await page.locator('.quick-input-widget input[placeholder="Connect read-only or with full access?"]').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'connect-2-access');
    await pick('Read-only');
    const uri = await inputWith('The URI to open read-only');
    assert.equal(await uri.inputValue(), 'test:///default');
    await screenshot(t, 'connect-3-uri');
    await page.keyboard.press('Enter');
    const log = await waitForLog(/connected to test:\/\/\/default: TEST on \S+/, 'the test driver did not connect');
    assert.match(log, /started the libvirt process \(pid \d+\)/);
    await screenshot(t, 'connect-4-connected');
  });

  it("shows libvirt's refusal with Retry, Edit URI and Show Log", async (t) => {
    await runCommand('libvirt: Connect to Hypervisor…');
    await pick('Enter a URI…');
    const uri = await inputWith('The URI to open');
    await uri.fill('qemu://system');
    await page.locator('.quick-input-widget', { hasText: 'maybe you want qemu:///system' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'refused-1-checked');
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'press Enter again to connect anyway' }).waitFor({ state: 'visible', timeout: 10_000 });
    await page.keyboard.press('Enter');
    await pick('Full access');
    const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Cannot connect to QEMU/KVM: system' });
    await toast.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await toast.innerText();
    assert.match(text, /internal error: invalid URI qemu:\/\/system \(maybe you want qemu:\/\/\/system\) \(VIR_ERR_INTERNAL_ERROR\)/);
    for (const button of ['Retry', 'Edit URI', 'Show Log']) await toast.getByRole('button', { name: button }).waitFor({ state: 'visible' });
    await screenshot(t, 'refused-2-message');
    await toast.getByRole('button', { name: 'Show Log' }).click();
    await waitForLog("connecting to qemu://system failed: internal error: invalid URI qemu://system (maybe you want qemu:///system) (VIR_ERR_INTERNAL_ERROR, code 1, domain VIR_FROM_NONE)", 'the failure is not in the log');
  });

  it('asks for the SASL user and password in VS Code and connects', { skip: noDaemon ?? false }, async (t) => {
    const target = `test+tcp://127.0.0.1:${daemon!.tcpPort}/default`;
    await runCommand('libvirt: Connect to Hypervisor…');
    await pick('Enter a URI…');
    const uri = await inputWith('The URI to open');
    await uri.fill(target);
    await page.keyboard.press('Enter');
    await pick('Full access');
    const user = await inputWith(/authentication name|user ?name/i);
    await screenshot(t, 'sasl-1-user');
    await user.fill(daemon!.username);
    await page.keyboard.press('Enter');
    const password = await inputWith(/password/i);
    assert.equal(await password.getAttribute('type'), 'password');
    await password.fill(daemon!.password);
    await screenshot(t, 'sasl-2-password');
    await page.keyboard.press('Enter');
    const log = await waitForLog(`connected to ${target}: TEST`, 'the SASL connect did not succeed');
    assert.doesNotMatch(log, new RegExp(daemon!.password), 'the password never reaches the log');
    await screenshot(t, 'sasl-3-connected');
  });

  it("connects over ssh, asking about the unknown host key and for the password in VS Code", { skip: noSshd ?? false }, async (t) => {
    const target = `test+ssh://${sshd!.user}@127.0.0.1:${sshd!.port}/default?socket=${daemon!.socketPath}`;
    await runCommand('libvirt: Connect to Hypervisor…');
    await pick('Enter a URI…');
    const uri = await inputWith('The URI to open');
    await uri.fill(target);
    await page.keyboard.press('Enter');
    await pick('Read-only');
    const dialog = page.locator('.monaco-dialog-box', { hasText: 'host key' });
    await dialog.waitFor({ state: 'visible', timeout: 30_000 });
    const text = await dialog.innerText();
    assert.match(text, new RegExp(`The SSH host key of \\[127\\.0\\.0\\.1\\]:${sshd!.port} is not known`));
    assert.ok(sshd!.hostKeys.some((k) => text.includes(k.fingerprint)), `the dialog shows one of sshd's fingerprints: ${text}`);
    await screenshot(t, 'ssh-1-host-key');
    await dialog.getByRole('button', { name: 'Accept' }).click();
    const password = await inputWith(`${sshd!.user}@127.0.0.1's password`);
    assert.equal(await password.getAttribute('type'), 'password');
    await password.fill(sshd!.password);
    await screenshot(t, 'ssh-2-password');
    await page.keyboard.press('Enter');
    const log = await waitForLog(`connected to ${target}: TEST`, 'the ssh connect did not succeed');
    assert.doesNotMatch(log, new RegExp(sshd!.password), 'the password never reaches the log');
    await screenshot(t, 'ssh-3-connected');
  });
});
