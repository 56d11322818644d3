// Quick fixes over real JSON-RPC: textDocument/codeAction with the published diagnostics,
// codeAction/resolve for a suppression, and source.fixAll.libvirt.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CodeActionRequest, CodeActionResolveRequest, TextEdit } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../helpers/lspClient';

const TEXT = `import libvirt
conn = libvirt.open('qemu://system')
tcp = libvirt.open('qemu+tcp://lab/system')
dup = libvirt.open('qemu+ssh://lab/system?no_tty=1&no_tty=0')
`;

function apply(text: string, uri: string, action: CodeAction): string {
  const edits: TextEdit[] | undefined = action.edit?.changes?.[uri];
  assert.ok(edits, `${action.title}: no edit for ${uri}`);
  return TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, text), edits);
}

describe('quick fixes over JSON-RPC', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  let home: string;

  before(async () => {
    home = mkdtempSync(path.join(tmpdir(), 'virt-uri-actions-'));
    client = await LspTestClient.start({ env: { XDG_CONFIG_HOME: home, HOME: home } });
  });
  after(async () => {
    await client.stop();
    rmSync(home, { recursive: true, force: true });
  });

  it('announces quick fixes and fix all, with resolve', () => {
    assert.deepEqual(client.initializeResult?.capabilities.codeActionProvider, { codeActionKinds: ['quickfix', 'source.fixAll.libvirt'], resolveProvider: true });
  });

  it('offers the published diagnostic its fix; applied, the next publication drops it', async () => {
    const uri = 'file:///work/fix.py';
    const published = await client.open(uri, 'python', TEXT);
    const target = published.diagnostics.find((d) => d.code === 'maybe-you-want');
    assert.ok(target);
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: target.range, context: { diagnostics: [target] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => [a.title, a.isPreferred ?? false]), [
      ['Change to qemu:///system', true], ['Disable maybe-you-want for this line', false], ['Change severity of maybe-you-want', false],
    ]);
    assert.deepEqual(actions[2].command, { title: 'Change severity of maybe-you-want', command: 'libvirt.uri.changeSeverity', arguments: ['maybe-you-want'] });
    const fixed = apply(TEXT, uri, actions[0]);
    const next = await client.change(uri, 2, [{ text: fixed }]);
    assert.deepEqual(next.diagnostics.map((d) => d.code), ['plain-tcp', 'duplicate-parameter']);

    // The suppression is filled in on resolve.
    const tcp = next.diagnostics[0];
    const [, disable] = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: tcp.range, context: { diagnostics: [tcp] },
    })) as CodeAction[];
    assert.equal(disable.title, 'Disable plain-tcp for this line');
    assert.equal(disable.edit, undefined);
    const resolved = await client.connection.sendRequest(CodeActionResolveRequest.type, disable);
    const suppressed = apply(fixed, uri, resolved);
    assert.equal(suppressed.split('\n')[2], "tcp = libvirt.open('qemu+tcp://lab/system')  # virt-uri-disable-line plain-tcp");
    const last = await client.change(uri, 3, [{ text: suppressed }]);
    assert.deepEqual(last.diagnostics.map((d) => d.code), ['duplicate-parameter']);
    await client.close(uri);
  });

  it('fixes every certainly-right problem of the document in one source.fixAll.libvirt edit', async () => {
    const uri = 'file:///work/fixall.py';
    // A fixed driver brings its path rule: both are fixed in the one edit.
    const text = TEXT + "two = libvirt.open('qmeu:///sytem')\n";
    await client.open(uri, 'python', text);
    const whole = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri }, range: whole, context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.deepEqual(actions.map((a) => [a.title, a.kind]), [['Fix all libvirt URI problems', 'source.fixAll.libvirt']]);
    const fixed = apply(text, uri, actions[0]);
    assert.equal(fixed, text.replace('qemu://system', 'qemu:///system').replace('no_tty=1&', '').replace('qmeu:///sytem', 'qemu:///system'));
    const next = await client.change(uri, 2, [{ text: fixed }]);
    // tcp or tls is the user's choice: not fixed on save.
    assert.deepEqual(next.diagnostics.map((d) => d.code), ['plain-tcp']);
    await client.close(uri);
  });
});
