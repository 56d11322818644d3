// Completion over real JSON-RPC: the bundled server, a home with ssh's files, a workspace libvirt.conf.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CompletionItem, CompletionList, CompletionRequest, CompletionResolveRequest, TextEdit } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../helpers/lspClient';
import { caret } from '../helpers/caret';

describe('completion over JSON-RPC', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  let workspace: string;
  let n = 0;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'virt-uri-lsp-completion-'));
    writeFileSync(path.join(workspace, 'libvirt.conf'), 'uri_aliases = [ "lab=qemu+ssh://root@lab/system" ]\n');
    mkdirSync(path.join(workspace, '.ssh'));
    writeFileSync(path.join(workspace, '.ssh', 'config'), 'Host box\n  HostName box.example.com\n  User alice\n');
    writeFileSync(path.join(workspace, '.ssh', 'known_hosts'), 'kh.example.com ssh-ed25519 AAAA\n');
    writeFileSync(path.join(workspace, '.ssh', 'id_ed25519'), '');
    client = await LspTestClient.start({ workspaceFolder: workspace, env: { XDG_CONFIG_HOME: workspace, HOME: workspace } });
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  /** Opens a document with `marked`'s text and asks for completion at its `‸`. */
  async function complete(marked: string, languageId = 'python'): Promise<CompletionList> {
    const { text, offset } = caret(marked);
    const uri = `file://${workspace}/doc${n++}.py`;
    await client.open(uri, languageId, text);
    const lines = text.slice(0, offset).split('\n');
    const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
    // An incomplete list (a folder still being read) is asked again, as VS Code does while the user types.
    for (let i = 0; ; i++) {
      const list = (await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionList;
      if (!list.isIncomplete || list.items.length > 0 || i === 100) return list;
    }
  }

  const labels = (list: CompletionList) => list.items.map((i) => i.label);

  it('declares the trigger characters and resolving', () => {
    const provider = client.initializeResult?.capabilities.completionProvider;
    assert.deepEqual(provider, { triggerCharacters: [':', '/', '+', '@', '?', '&', '='], resolveProvider: true });
  });

  it('offers the workspace uri_aliases and whole URIs in an empty libvirt.open()', async () => {
    const list = await complete("import libvirt\nlibvirt.open('‸')\n");
    assert.ok(labels(list).includes('lab'), labels(list).join(' '));
    assert.ok(labels(list).includes('qemu:///system'));
  });

  it("offers the hosts of the user's ~/.ssh/config and known_hosts, with a range replacing the typed part", async () => {
    const list = await complete("libvirt.open('qemu+ssh://root@b‸/system')");
    const box = list.items.find((i) => i.label === 'box');
    assert.ok(box, labels(list).join(' '));
    assert.ok(labels(list).includes('kh.example.com'));
    assert.deepEqual((box.textEdit as TextEdit).range, { start: { line: 0, character: 30 }, end: { line: 0, character: 31 } });
    assert.equal(box.documentation, undefined, 'documentation comes with resolve');
    const resolved: CompletionItem = await client.connection.sendRequest(CompletionResolveRequest.type, box);
    assert.match(JSON.stringify(resolved.documentation), /~\/.ssh\/config/);
    assert.equal(resolved.detail, 'HostName box.example.com, User alice');
  });

  it('lists the files of a folder for keyfile=', async () => {
    const list = await complete(`libvirt.open('qemu+ssh://h/system?keyfile=${workspace}/.ssh/‸')`);
    assert.deepEqual(labels(list).filter((l) => l.startsWith('id_')), ['id_ed25519']);
  });

  it('resolves a parameter with its doc and what ignores it', async () => {
    const list = await complete("libvirt.open('qemu+ssh://h/system?‸')");
    const pkipath = list.items.find((i) => i.label === 'pkipath')!;
    assert.deepEqual(pkipath.labelDetails, { description: 'ignored by the ssh transport' });
    const resolved: CompletionItem = await client.connection.sendRequest(CompletionResolveRequest.type, pkipath);
    assert.match(JSON.stringify(resolved.documentation), /Ignored by the ssh transport/);
  });

  it('answers null outside any libvirt URI', async () => {
    const { text } = caret("print('hello‸')");
    const uri = `file://${workspace}/plain.py`;
    await client.open(uri, 'python', text);
    assert.equal(await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 0, character: 12 } }), null);
  });
});
