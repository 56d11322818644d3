// The extension in a real VS Code: code-server with the linux-x64 package that `npm run package`
// built (test/helpers/codeServer.ts), driven through Debian's Chromium.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, before, describe, it, type TestContext } from 'node:test';
import { type Page } from 'playwright-core';
import { codeServerUnavailable, exactText, openFile, runCommand as paletteCommand, startCodeServer, type CodeServer } from '../helpers/codeServer';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';
import { packager, packagesStale } from '../helpers/packages';
import { repoRoot } from '../helpers/paths';
import { sshdUnavailable, startSshd, type Sshd } from '../helpers/sshd';

// Outside CI a machine without the e2e set-up skips; in CI it must run.
const skip = process.env.CI ? null : codeServerUnavailable();

const PYTHON = `import libvirt

conn = libvirt.open('qemu+foo:///system')
`;

const FIX = `import libvirt

conn = libvirt.open('qemu://system')
`;

const HIGHLIGHTED_URI = 'qemu+ssh://root@host:2222/system?keyfile=/k&no_tty=1';
const HIGHLIGHT = `import libvirt

conn = libvirt.open('${HIGHLIGHTED_URI}')
`;

const COMPLETE = 'import libvirt\n\n';
const LENS = `import libvirt

conn = libvirt.openReadOnly('test:///default')
`;

// The screenshots the README shows (media/screenshots/<name>.png), by scene screenshot: copied
// there when UPDATE_SCREENSHOTS=1, so they show what this VS Code shows.
const README_SCREENSHOTS: Readonly<Record<string, string>> = {
  'completion-2-transport-details': 'completion',
  hover: 'hover',
  'quickfix-1-menu': 'quickfix',
  'tree-2-expanded': 'tree',
};

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
    vscode = await startCodeServer({
      packages: [vsix],
      files: { 'connect.py': PYTHON, 'highlight.py': HIGHLIGHT, 'complete.py': COMPLETE, 'fix.py': FIX, 'lens.py': LENS },
      pathPrefix: sshd?.binDir,
    });
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
    if (process.env.UPDATE_SCREENSHOTS === '1' && README_SCREENSHOTS[name]) {
      const published = path.join(repoRoot, 'media', 'screenshots', `${README_SCREENSHOTS[name]}.png`);
      mkdirSync(path.dirname(published), { recursive: true });
      copyFileSync(file, published);
      t.diagnostic(`README screenshot: ${path.relative(repoRoot, published)}`);
    }
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
    // VS Code opens it in a floating (modal) editor titled settings.json.
    const title = page.getByText('settings.json', { exact: true }).first();
    await title.waitFor({ state: 'visible', timeout: 10_000 });
    await page.locator('.monaco-editor', { hasText: 'workbench.startupEditor' }).locator('.view-lines').click();
    // Emptied first: text typed over the whole file's selection keeps its last '}'.
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.insertText(JSON.stringify(settings, null, 2));
    await page.keyboard.press('Control+S');
    // Saved as typed, and valid: VS Code rewrites a setting it migrates (extensions.autoUpdate:
    // false → "off"), and a write while this editor is dirty fails with "Unable to write into
    // user settings because the file has unsaved changes".
    const saved = (): unknown => {
      try {
        return JSON.parse(readFileSync(userSettings, 'utf8'));
      } catch {
        return undefined; // being written
      }
    };
    for (let i = 0; i < 40 && !isDeepStrictEqual(saved(), settings); i++) await page.waitForTimeout(250);
    assert.deepEqual(saved(), settings, `settings.json was not saved as typed:\n${readFileSync(userSettings, 'utf8')}`);
    // Its own close button: a palette command would need a click outside the floating editor,
    // which closes it too, and the command would then close the editor behind it.
    await page.locator('.modal-editor-header .action-label[aria-label^="Close Modal Editor"]').click();
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

  it('fixes qemu://system with the quick fix, and the problem goes', async (t) => {
    await openFile(page, 'fix.py');
    const problem = 'invalid URI qemu://system (maybe you want qemu:///system)';
    await waitForProblems(mentions(problem), 'no maybe-you-want problem appeared');
    // The caret on the URI (line 3, column 25), then the quick fix menu, as Ctrl+. opens it.
    await runCommand('Go to Line/Column...');
    await page.keyboard.type('3:25');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Control+.');
    const item = page.locator('.action-widget .monaco-list-row', { hasText: 'Change to qemu:///system' });
    await item.waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.action-widget .monaco-list-row', { hasText: 'Disable maybe-you-want for this line' }).waitFor({ state: 'visible' });
    await screenshot(t, 'quickfix-1-menu');
    await item.click();
    await page.locator('.monaco-editor .view-line', { hasText: "libvirt.open('qemu:///system')" }).waitFor({ state: 'visible', timeout: 30_000 });
    await waitForProblems((rows) => !mentions(problem)(rows), 'the fixed URI kept its problem');
    await page.keyboard.press('Control+S');
    await screenshot(t, 'quickfix-2-fixed');
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
    // The Connect code lens may arrive between finding the token and clicking it, moving the line
    // down: click again until the inspector is on `ssh`.
    const inspector = page.locator('.token-inspect-widget');
    let scopes = '';
    for (let i = 0; i < 5 && !scopes.startsWith('ssh'); i++) {
      if (i > 0) await page.keyboard.press('Escape');
      await page.locator('.monaco-editor .view-line span > span', { hasText: /^ssh$/ }).first().click();
      await runCommand('Developer: Inspect Editor Tokens and Scopes');
      await inspector.waitFor({ state: 'visible', timeout: 10_000 });
      scopes = await inspector.innerText();
    }
    assert.match(scopes, /keyword\.control\.transport\.libvirt-uri/);
    assert.match(scopes, /meta\.uri\.libvirt-uri/);
    assert.match(scopes, /string\.quoted\.single\.python/);
    await screenshot(t, 'highlighting-scopes');
    await page.keyboard.press('Escape');
  });

  it('explains a URI on hover: its parts, and the port, socket and ssh command libvirt uses', async (t) => {
    await openFile(page, 'highlight.py');
    // The panel closed, so the card has the editor's height.
    await page.keyboard.press('Control+J');
    const host = page.locator('.monaco-editor .view-line span > span', { hasText: /^host$/ }).first();
    await host.waitFor({ state: 'visible', timeout: 30_000 });
    await host.hover();
    const card = page.locator('.monaco-hover-content', { hasText: 'libvirt URI' }).first();
    await card.waitFor({ state: 'visible', timeout: 30_000 });
    const text = (await card.innerText()).replace(/\u00a0/g, ' ');
    assert.match(text, /libvirt URI qemu\+ssh:\/\/root@host:2222\/system\?keyfile=\/k&no_tty=1/);
    assert.match(text, /host host — The host whose libvirt daemon/);
    assert.match(text, /the daemon opens qemu:\/\/\/system/);
    assert.match(text, /runs on this machine ssh -p 2222 -l root -i \/k -T -e none -o BatchMode=yes -- host/);
    assert.match(text, /virt-ssh-helper 'qemu:\/\/\/system'/);
    await screenshot(t, 'hover');
    // The card scrolls: its lower half holds the ssh command line.
    await card.getByText('runs on this machine').scrollIntoViewIfNeeded();
    await screenshot(t, 'hover-2-command');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+J');
  });

  /** The text of the editor line that contains `text`. */
  async function lineWith(text: string): Promise<string> {
    const line = page.locator('.monaco-editor .view-line', { hasText: text }).first();
    await line.waitFor({ state: 'visible', timeout: 30_000 });
    return ((await line.textContent()) ?? '').replace(/\u00a0/g, ' ');
  }

  it("completes while typing: libvirt.open('qemu+ opens the list, accepting edits the URI", async (t) => {
    await openFile(page, 'complete.py');
    await page.locator('.monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    // editor.quickSuggestions.strings is off (the default): only the trigger character opens the list.
    await page.keyboard.type("conn = libvirt.open('qemu+");
    const widget = page.locator('.editor-widget.suggest-widget');
    const row = (label: string) => widget.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) });
    await row('tls').waitFor({ state: 'visible', timeout: 30_000 });
    await row('ssh').waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(t, 'completion-1-transports');
    // Filtering by what is typed, then accepting, replaces the typed part: `tl` becomes `tls`.
    await page.keyboard.type('tl');
    await widget.locator('.monaco-list-row.focused', { hasText: 'tls' }).waitFor({ state: 'visible', timeout: 10_000 });
    // Ctrl+Space shows the focused item's documentation, which the server adds on completionItem/resolve.
    await page.keyboard.press('Control+Space');
    await page.locator('.suggest-details', { hasText: 'x509' }).waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(t, 'completion-2-transport-details');
    await page.keyboard.press('Enter');
    assert.match(await lineWith('libvirt.open('), /^conn = libvirt\.open\('qemu\+tls\s*$/);
    // `/` after the host opens the driver's paths; the first, /system, is what qemu's examples use.
    await page.keyboard.type('://host/');
    await row('/system').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'completion-3-paths');
    await page.keyboard.press('Enter');
    assert.match(await lineWith('libvirt.open('), /^conn = libvirt\.open\('qemu\+tls:\/\/host\/system\s*$/);
    await screenshot(t, 'completion-4-accepted');
  });

  /** Picks the quick-input row that shows `text` (the wizard's steps). */
  async function pick(text: string | RegExp): Promise<void> {
    const list = page.locator('.quick-input-widget .monaco-list').first();
    const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: text }).first();
    // A long list renders only the rows in view: scroll down to the row, as a person would.
    for (let i = 0; i < 40 && !(await row.isVisible()); i++) {
      // The list can close under the pointer (a step that moved on): hover briefly, then look again.
      if (await list.hover({ timeout: 1_000 }).then(() => true, () => false)) await page.mouse.wheel(0, 200);
      await page.waitForTimeout(250);
    }
    await row.waitFor({ state: 'visible', timeout: 10_000 });
    await row.click();
  }

  /**
   * The quick input's text box, once its prompt or title says `text`. Keys go to it with
   * `press`, which focuses it first: focus moved by a late view cannot swallow an Enter.
   */
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

  /** Shows the libvirt side bar (clicking its activity bar entry again would hide it). */
  async function showHypervisors(): Promise<void> {
    const entry = page.locator('.activitybar .action-item', { has: page.locator('a[aria-label^="libvirt"]') }).first();
    if (!(await entry.getAttribute('class'))?.split(' ').includes('checked')) await entry.locator('a').click();
    await page.locator('.part.sidebar .composite.title', { hasText: /Hypervisors/i }).first().waitFor({ state: 'visible', timeout: 30_000 });
  }

  /** The Hypervisors view's row labelled `label` (its description, if given, must match too). */
  function row(label: string, description?: string | RegExp): ReturnType<Page['locator']> {
    let rows = page.locator('.pane-body .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: exactText(label) }) });
    if (description !== undefined) rows = rows.filter({ has: page.locator('.label-description', { hasText: typeof description === 'string' ? exactText(description) : description }) });
    return rows.first();
  }

  /** Expands a collapsed row and waits for a child labelled `child`. */
  async function expand(label: string, child: string): Promise<void> {
    const r = row(label);
    await r.waitFor({ state: 'visible', timeout: 30_000 });
    if ((await r.getAttribute('aria-expanded')) !== 'true') await r.click();
    await row(child).waitFor({ state: 'visible', timeout: 30_000 });
  }

  /** A row's description, as shown. */
  async function described(label: string): Promise<string> {
    const r = row(label);
    await r.waitFor({ state: 'visible', timeout: 30_000 });
    return (await r.locator('.label-description').first().innerText()).replace(/\s+/g, ' ').trim();
  }

  it('connects to the test driver from the Hypervisors view and shows its host', async (t) => {
    await showHypervisors();
    const welcome = page.locator('.welcome-view-content', { hasText: 'Connect to the test driver' });
    await welcome.waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'tree-1-welcome');
    await welcome.getByText('Connect to the test driver').click();
    const test = row('Test', 'test:///default · read-only');
    await test.locator('.codicon-vm-connect').waitFor({ state: 'visible', timeout: 30_000 });
    await expand('Test', 'Host');
    // What virsh -c test:///default nodeinfo, capabilities and list --all show.
    await expand('Host', 'Hostname');
    assert.equal(await described('Hostname'), 'vm');
    assert.equal(await described('CPUs'), '16 (2 NUMA nodes × 2 sockets × 2 cores × 2 threads)');
    assert.equal(await described('CPU model'), 'i686');
    await expand('Capabilities', 'host');
    await expand('host', 'NUMA topology');
    assert.equal(await described('NUMA topology'), '2 cells');
    assert.equal(await described('guest hvm'), 'i686');
    await expand('Domains', 'test');
    assert.equal(await described('test'), 'running, id 1');
    await screenshot(t, 'tree-2-expanded');

    await row('Capabilities').click({ button: 'right' });
    await page.locator('.context-view .action-label', { hasText: 'Open Capabilities XML' }).click();
    await page.getByRole('tab', { name: /Test capabilities\.xml/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.monaco-editor .view-line', { hasText: '<capabilities>' }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'tree-3-capabilities-xml');

    await test.hover();
    await test.locator('.action-label[aria-label="Disconnect"]').click();
    await row('Host').waitFor({ state: 'detached', timeout: 30_000 });
    await test.locator('.codicon-debug-disconnect').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'tree-4-disconnected');
    await test.hover();
    await test.locator('.action-label[aria-label="Connect"]').click();
    await test.locator('.codicon-vm-connect').waitFor({ state: 'visible', timeout: 30_000 });
  });

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
    await uri.press('Enter');
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
    await uri.press('Enter');
    await page.locator('.quick-input-widget', { hasText: 'press Enter again to connect anyway' }).waitFor({ state: 'visible', timeout: 10_000 });
    await uri.press('Enter');
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
    await uri.press('Enter');
    await pick('Full access');
    const user = await inputWith(/authentication name|user ?name/i);
    await screenshot(t, 'sasl-1-user');
    await user.fill(daemon!.username);
    await user.press('Enter');
    const password = await inputWith(/password/i);
    assert.equal(await password.getAttribute('type'), 'password');
    await password.fill(daemon!.password);
    // "Remember this password" is a toggle in the input's title bar.
    await page.locator('.quick-input-widget .action-label[aria-label^="Remember this password"]').click();
    await page.locator('.quick-input-widget .action-label[aria-label^="The password will be remembered"]').waitFor({ state: 'visible', timeout: 10_000 });
    await screenshot(t, 'sasl-2-password');
    await password.press('Enter');
    const log = await waitForLog(`connected to ${target}: TEST`, 'the SASL connect did not succeed');
    assert.doesNotMatch(log, new RegExp(daemon!.password), 'the password never reaches the log');
    await screenshot(t, 'sasl-3-connected');

    // Reconnecting from the view answers from VS Code's secret storage: no prompt.
    await showHypervisors();
    const conn = row('Test: 127.0.0.1', `${target}`);
    await conn.locator('.codicon-vm-connect').waitFor({ state: 'visible', timeout: 30_000 });
    await conn.hover();
    await conn.locator('.action-label[aria-label="Disconnect"]').click();
    await conn.locator('.codicon-debug-disconnect').waitFor({ state: 'visible', timeout: 30_000 });
    await conn.hover();
    await conn.locator('.action-label[aria-label="Connect"]').click();
    await conn.locator('.codicon-vm-connect').waitFor({ state: 'visible', timeout: 30_000 });
    assert.equal(await page.locator('.quick-input-widget input[type="password"]').isVisible(), false, 'no password was asked');
    await runCommand('libvirt: Forget Saved Passwords');
    await page.locator('.notifications-toasts .notification-toast', { hasText: 'Forgot 1 saved libvirt password.' }).waitFor({ state: 'visible', timeout: 10_000 });
  });

  it("connects over ssh, asking about the unknown host key and for the password in VS Code", { skip: noSshd ?? false }, async (t) => {
    const target = `test+ssh://${sshd!.user}@127.0.0.1:${sshd!.port}/default?socket=${daemon!.socketPath}`;
    await runCommand('libvirt: Connect to Hypervisor…');
    await pick('Enter a URI…');
    const uri = await inputWith('The URI to open');
    await uri.fill(target);
    await uri.press('Enter');
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
    await password.press('Enter');
    const log = await waitForLog(`connected to ${target}: TEST`, 'the ssh connect did not succeed');
    assert.doesNotMatch(log, new RegExp(sshd!.password), 'the password never reaches the log');
    // The accepted key went to the test's own known_hosts: ssh ran with its configuration, and
    // this machine's ~/.ssh was left alone.
    assert.notEqual(readFileSync(sshd!.knownHosts, 'utf8'), '', 'the host key is not in the test known_hosts');
    await screenshot(t, 'ssh-3-connected');
  });

  it('shows a connection dropped when its daemon dies, with the reason', { skip: noDaemon ?? false }, async (t) => {
    await showHypervisors();
    const conn = row('Test: 127.0.0.1', `test+tcp://127.0.0.1:${daemon!.tcpPort}/default`);
    await conn.locator('.codicon-vm-connect').waitFor({ state: 'visible', timeout: 30_000 });
    await daemon!.kill('SIGKILL');
    await conn.locator('.codicon-debug-disconnect').waitFor({ state: 'visible', timeout: 30_000 });
    await conn.hover();
    const tooltip = page.locator('.monaco-hover', { hasText: 'Disconnected' });
    await tooltip.waitFor({ state: 'visible', timeout: 10_000 });
    assert.match(await tooltip.innerText(), /Disconnected: (the host closed the connection \(end of file\)|an error on the connection)/);
    await screenshot(t, 'tree-5-dropped');
    await waitForLog(/disconnected: (eof|error)/, 'the drop is not in the log');
  });

  it('shows the walkthrough, whose first step opens an example with broken URIs', async (t) => {
    await runCommand('Welcome: Open Walkthrough...');
    await pick('Get Started with libvirt');
    const walkthrough = page.locator('.gettingStartedContainer');
    for (const step of ['Check the URIs in your code', 'Connect to the test driver', 'Connect to your own host']) {
      await walkthrough.getByText(step, { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    }
    // The step's page, a webview: VS Code's frame around ours.
    const media = page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
    await media.getByRole('heading', { name: 'Check the URIs in your code' }).waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'walkthrough-1-steps');
    await walkthrough.getByRole('button', { name: 'Open an Example' }).click();
    // A saved copy in the extension's storage: it closes without asking to save.
    await page.getByRole('tab', { name: /^libvirt-example\.py/ }).waitFor({ state: 'visible', timeout: 30_000 });
    await page.locator('.monaco-editor .view-line', { hasText: "libvirt.open('qemu://system')" }).first().waitFor({ state: 'visible', timeout: 30_000 });
    // The panel shows the log since the connect scenes: back to Problems.
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor({ state: 'visible', timeout: 30_000 });
    const rows = await waitForProblems(mentions('invalid URI qemu://system'), "the example's broken URIs are not in the Problems panel");
    assert.ok(rows.some((r) => r.includes("no_verify turns off verification of the server's TLS certificate")), `the weakened URI: ${JSON.stringify(rows)}`);
    await screenshot(t, 'walkthrough-2-example');
    const tab = page.getByRole('tab', { name: /^libvirt-example\.py/ });
    await tab.hover();
    await tab.locator('.action-label[aria-label^="Close"]').click();
    await tab.waitFor({ state: 'hidden', timeout: 10_000 });
    assert.equal(await page.locator('.monaco-dialog-box').isVisible(), false, 'closing the example asks nothing');
  });

  it('connects from the "Connect" code lens above a URI the code hands to libvirt', async (t) => {
    // From the Explorer, which the Hypervisors view took the side bar from.
    await page.keyboard.press('Control+Shift+E');
    await openFile(page, 'lens.py');
    const lens = page.locator('.monaco-editor .codelens-decoration a', { hasText: 'Connect' }).first();
    await lens.waitFor({ state: 'visible', timeout: 60_000 });
    await screenshot(t, 'lens-1-shown');
    await lens.click();
    await page.locator('.quick-input-widget', { hasText: 'Connect to test:///default' }).waitFor({ state: 'visible', timeout: 30_000 });
    // Full access: a connection of its own beside the read-only one the earlier scenes made.
    await pick('Full access');
    await showHypervisors();
    const conn = row('Test', 'test:///default');
    await conn.locator('.codicon-vm-connect').waitFor({ state: 'visible', timeout: 30_000 });
    await screenshot(t, 'lens-2-connected');
  });
});
