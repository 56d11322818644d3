import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CodeLensRequest, DiagnosticSeverity, DidChangeWatchedFilesNotification, DidChangeWorkspaceFoldersNotification, FileChangeType,
} from 'vscode-languageserver-protocol';
import { CHECK_URI_REQUEST, CONNECT_URI_COMMAND, type CheckUriParams, type CheckUriResult } from '../../server/src/languageserver/requests';
import { LspTestClient, summary } from '../helpers/lspClient';

/** The peak resident memory of a running process, in MB. */
function peakRssMb(pid: number): number {
  const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  assert.ok(kb, `no VmHWM for ${pid}`);
  return Number(kb[1]) / 1024;
}

const PY = `import libvirt
conn = libvirt.open('qemu+foo:///system')
ro = libvirt.openReadOnly('qemu:///system')
`;

describe('language server over JSON-RPC', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  let workspace: string;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'virt-uri-lsp-'));
    writeFileSync(path.join(workspace, 'libvirt.conf'), 'uri_aliases = [ "lab=qemu+ssh://root@lab/system" ]\n');
    // An empty XDG config so the tester's own libvirt.conf cannot change verdicts.
    client = await LspTestClient.start({ workspaceFolder: workspace, env: { XDG_CONFIG_HOME: workspace, HOME: workspace } });
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  it('publishes diagnostics for an opened document, with code, range, severity and libvirt wording', async () => {
    const uri = 'file:///work/open.py';
    const p = await client.open(uri, 'python', PY);
    assert.deepEqual(summary(p.diagnostics), ['1:26-1:29 1 unknown-transport']);
    assert.equal(p.diagnostics[0].source, 'libvirt');
    assert.match(String(p.diagnostics[0].message), /transport in URL not recognised/);
  });

  it('updates on incremental edits', async () => {
    const uri = 'file:///work/edit.py';
    await client.open(uri, 'python', PY);
    // foo → ssh: the URI becomes valid.
    const fixed = await client.change(uri, 2, [{ range: { start: { line: 1, character: 26 }, end: { line: 1, character: 29 } }, text: 'ssh' }]);
    assert.deepEqual(summary(fixed.diagnostics), []);
    // /system → /xsystem: a path the qemu driver refuses.
    const broken = await client.change(uri, 3, [{ range: { start: { line: 1, character: 33 }, end: { line: 1, character: 33 } }, text: 'x' }]);
    assert.deepEqual(summary(broken.diagnostics), ['1:32-1:40 1 wrong-path']);
    assert.equal(String(broken.diagnostics[0].message), "internal error: unexpected qemu URI path '/xsystem', try qemu:///system");
  });

  it('debounces a burst of edits into one publication for the last version', async () => {
    const uri = 'file:///work/burst.py';
    await client.open(uri, 'python', "libvirt.open('qemu:///system')\n");
    const before = client.history(uri).length;
    for (let v = 2; v < 12; v++) {
      void client.connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version: v },
        contentChanges: [{ range: { start: { line: 0, character: 22 }, end: { line: 0, character: 22 } }, text: '' }],
      });
    }
    const p = await client.change(uri, 12, [{ range: { start: { line: 0, character: 22 }, end: { line: 0, character: 28 } }, text: 'sys' }]);
    assert.deepEqual(summary(p.diagnostics), ['0:21-0:25 1 wrong-path']);
    assert.equal(client.history(uri).length - before, 1, 'superseded versions publish nothing');
  });

  it('obeys a severity override per code, including off', async () => {
    const uri = 'file:///work/severity.sh';
    const text = 'virsh -c qemu+tcp://h/system list\nvirsh -c qemu+foo:///system list\n';
    const first = await client.open(uri, 'shellscript', text);
    assert.deepEqual(summary(first.diagnostics), ['0:14-0:17 2 plain-tcp', '1:14-1:17 1 unknown-transport']);
    const changed = await client.changeSettings({ uri: { severity: { 'plain-tcp': 'off', 'unknown-transport': 'warning' } } }, uri);
    assert.deepEqual(summary(changed.diagnostics), ['1:14-1:17 2 unknown-transport']);
    const reset = await client.changeSettings({}, uri);
    assert.equal(reset.diagnostics.length, 2);
  });

  it('stays quiet for a language that is turned off', async () => {
    const uri = 'file:///work/off.md';
    const other = 'file:///work/off.sh';
    await client.open(other, 'shellscript', 'virsh -c qemu+foo:///system list\n');
    // The shell document's new publication shows the server has the new settings.
    await client.changeSettings({ uri: { enable: { markdown: false } } }, other);
    const p = await client.open(uri, 'markdown', 'Use `qemu+shh:///system` here.\n');
    assert.deepEqual(p.diagnostics, []);
    const on = await client.changeSettings({}, uri);
    assert.deepEqual(summary(on.diagnostics), ['0:10-0:13 1 unknown-transport']);
  });

  it('honours suppression comments', async () => {
    const uri = 'file:///work/suppress.py';
    const text = [
      "a = libvirt.open('qemu+foo:///system')  # virt-uri-disable-line",
      '# virt-uri-disable-next-line unknown-transport',
      "b = libvirt.open('qemu+foo:///system')",
      '# virt-uri-disable-next-line plain-tcp',
      "c = libvirt.open('qemu+foo:///system')",
      '',
    ].join('\n');
    const p = await client.open(uri, 'python', text);
    assert.deepEqual(summary(p.diagnostics), ['4:23-4:26 1 unknown-transport']);
  });

  it('resolves aliases from the workspace libvirt.conf, and follows an open libvirt.conf editor', async () => {
    const uri = 'file:///work/alias.py';
    const p = await client.open(uri, 'python', "libvirt.open('lab')\nlibvirt.open('prod')\n");
    assert.deepEqual(summary(p.diagnostics), ['1:14-1:18 1 unknown-alias']);
    const next = client.nextDiagnostics(uri);
    const confUri = `file://${path.join(workspace, 'libvirt.conf')}`;
    await client.open(confUri, 'libvirt-conf', 'uri_aliases = [ "lab=qemu+ssh://root@lab/system", "prod=qemu+tls://prod/system" ]\n');
    assert.deepEqual((await next).diagnostics, []);
    // Closing the editor falls back to the file on disk, where prod is unknown.
    const closed = client.nextDiagnostics(uri);
    await client.close(confUri);
    assert.deepEqual(summary((await closed).diagnostics), ['1:14-1:18 1 unknown-alias']);
  });

  it('rescans aliases when a workspace folder is added, and when a libvirt.conf on disk changes', async () => {
    const uri = 'file:///work/folders.py';
    const p = await client.open(uri, 'python', "libvirt.open('staging')\n");
    assert.deepEqual(summary(p.diagnostics), ['0:14-0:21 1 unknown-alias']);
    const second = mkdtempSync(path.join(tmpdir(), 'virt-uri-lsp-folder-'));
    try {
      writeFileSync(path.join(second, 'libvirt.conf'), 'uri_aliases = [ "staging=qemu+ssh://root@staging/system" ]\n');
      const added = client.nextDiagnostics(uri);
      void client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
        event: { added: [{ uri: `file://${second}`, name: 'second' }], removed: [] },
      });
      assert.deepEqual((await added).diagnostics, []);
      writeFileSync(path.join(second, 'libvirt.conf'), 'uri_aliases = [ "prod=qemu+ssh://root@prod/system" ]\n');
      const changed = client.nextDiagnostics(uri);
      void client.connection.sendNotification(DidChangeWatchedFilesNotification.type, {
        changes: [{ uri: `file://${second}/libvirt.conf`, type: FileChangeType.Changed }],
      });
      assert.deepEqual(summary((await changed).diagnostics), ['0:14-0:21 1 unknown-alias']);
    } finally {
      void client.connection.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
        event: { added: [], removed: [{ uri: `file://${second}`, name: 'second' }] },
      });
      rmSync(second, { recursive: true, force: true });
    }
  });

  it('validates libvirt.conf itself', async () => {
    const uri = `file://${path.join(workspace, 'sub', 'libvirt.conf')}`;
    const p = await client.open(uri, 'libvirt-conf', 'uri_default = "qemu:///sytem"\nuri_aliases = [ "bad name=qemu:///system" ]\n');
    assert.deepEqual(p.diagnostics.map((d) => [d.code, d.severity]), [['wrong-path', DiagnosticSeverity.Error], ['malformed-alias', DiagnosticSeverity.Error]]);
    await client.close(uri);
  });

  it('clears diagnostics when a document closes', async () => {
    const uri = 'file:///work/close.py';
    await client.open(uri, 'python', PY);
    const p = await client.close(uri);
    assert.deepEqual(p.diagnostics, []);
  });

  it('asks the client for settings per document', async () => {
    const uri = 'file:///work/settings.py';
    await client.open(uri, 'python', PY);
    assert.ok(client.configurationRequests.includes(uri));
  });

  it('publishes one warning for a 5 MB line with 2.6 million faults, stays small, and keeps answering', async () => {
    const uri = 'file:///work/hostile.sh';
    const pairs = 2_621_373;
    const text = `virsh -c "qemu+ssh://h/system?${'&='.repeat(pairs)}" list\n`;
    assert.ok(text.length > 5_000_000);
    const p = await client.open(uri, 'shellscript', text);
    assert.deepEqual(summary(p.diagnostics), ['0:31-0:32 2 empty-parameter-name']);
    assert.equal(p.diagnostics[0].message, `libvirt drops a parameter with an empty name ('=') (and ${pairs - 1} more in this URI)`);
    // It grew to 2.1 GB and crashed before; a generous bound, far from that.
    const peak = peakRssMb(client.pid!);
    assert.ok(peak < 300, `the server peaked at ${peak.toFixed(0)} MB`);
    const other = await client.open('file:///work/after-hostile.py', 'python', PY);
    assert.deepEqual(summary(other.diagnostics), ['1:26-1:29 1 unknown-transport']);
    const edited = await client.change(uri, 2, [{ range: { start: { line: 0, character: 26 }, end: { line: 0, character: 26 } }, text: 'x' }]);
    assert.deepEqual(summary(edited.diagnostics), ['0:32-0:33 2 empty-parameter-name', '0:22-0:30 1 wrong-path']);
    assert.deepEqual((await client.close(uri)).diagnostics, []);
  });

  it('caps a document at libvirt.uri.maxDiagnostics and says how many more there are', async () => {
    const uri = 'file:///work/many.sh';
    const text = Array.from({ length: 5 }, (_, i) => `virsh -c qemu:///x${i} list\n`).join('') + 'virsh -c qemu+tcp://h/system list\n';
    client.settings = { uri: { maxDiagnostics: 3 } };
    const capped = await client.open(uri, 'shellscript', text);
    assert.deepEqual(summary(capped.diagnostics), ['0:16-0:19 1 wrong-path', '1:16-1:19 1 wrong-path', '2:16-2:19 1 wrong-path', '3:16-3:19 3 diagnostics-not-shown']);
    assert.equal(capped.diagnostics[3].message, '3 more libvirt diagnostics not shown (2 errors, 1 warning): the limit is 3 per file (libvirt.uri.maxDiagnostics)');
    const all = await client.changeSettings({}, uri);
    assert.equal(all.diagnostics.length, 6);
  });

  it('offers a Connect code lens on whole URIs handed to libvirt that libvirt accepts', async () => {
    const uri = 'file:///work/lens.py';
    await client.open(uri, 'python', [
      "ro = libvirt.openReadOnly('qemu:///system')",
      "bad = libvirt.open('qemu+foo:///system')",
      'tpl = libvirt.open(f"qemu+ssh://{host}/system")',
      "other = 'qemu:///session'",
    ].join('\n'));
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } });
    assert.deepEqual(lenses?.map((l) => [l.range.start.line, l.range.start.character, l.range.end.character, l.command?.command, l.command?.arguments]),
      [[0, 27, 41, CONNECT_URI_COMMAND, ['qemu:///system']]]);
    await client.close(uri);
  });

  it('answers libvirt/checkUri with the diagnostics of one URI, as in a libvirt context', async () => {
    const check = (text: string) => client.connection.sendRequest<CheckUriResult>(CHECK_URI_REQUEST, { uri: text } satisfies CheckUriParams);
    assert.deepEqual((await check('qemu:///system')).diagnostics, []);
    assert.deepEqual((await check('qemu://system')).diagnostics.map((d) => [d.severity, d.code, d.start, d.end]), [['error', 'maybe-you-want', 7, 13]]);
    // A bare name is an alias lookup in a libvirt context; this one is in the workspace libvirt.conf.
    assert.deepEqual((await check('lab')).diagnostics, []);
  });
});
