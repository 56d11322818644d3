// textDocument/hover over real JSON-RPC: the capability, the card and its range, an alias with
// the workspace libvirt.conf it comes from, and nothing off a URI.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { HoverRequest, MarkupContent } from 'vscode-languageserver-protocol';
import { LspTestClient } from '../helpers/lspClient';
import { markers } from '../helpers/caret';

describe('hover over JSON-RPC', { timeout: 60_000 }, () => {
  let client: LspTestClient;
  let workspace: string;

  before(async () => {
    workspace = mkdtempSync(path.join(tmpdir(), 'virt-uri-lsp-hover-'));
    writeFileSync(path.join(workspace, 'libvirt.conf'), 'uri_aliases = [ "lab=qemu+libssh://lab.example.com/system" ]\n');
    client = await LspTestClient.start({ workspaceFolder: workspace, env: { XDG_CONFIG_HOME: workspace, HOME: workspace } });
  });
  after(async () => {
    await client.stop();
    rmSync(workspace, { recursive: true, force: true });
  });

  /** Opens `marked` (caret `‸`) and hovers at the caret. */
  async function hoverAt(name: string, marked: string): Promise<{ value: string; covers: string } | null> {
    const { text, offsets } = markers(marked);
    const uri = `file://${workspace}/${name}`;
    await client.open(uri, 'python', text);
    const lines = text.slice(0, offsets[0]).split('\n');
    const h = await client.connection.sendRequest(HoverRequest.type, {
      textDocument: { uri }, position: { line: lines.length - 1, character: lines[lines.length - 1].length },
    });
    if (!h) return null;
    const all = text.split('\n');
    const r = h.range!;
    assert.equal(r.start.line, r.end.line);
    return { value: (h.contents as MarkupContent).value, covers: all[r.start.line].slice(r.start.character, r.end.character) };
  }

  it('advertises the hover provider', () => {
    assert.equal(client.initializeResult?.capabilities.hoverProvider, true);
  });

  it('answers with the markdown card over the hovered part', async () => {
    const h = await hoverAt('a.py', "import libvirt\nconn = libvirt.open('qemu+ssh://root@node1:2222/sys‸tem?no_tty=1')\n");
    assert.ok(h);
    assert.equal(h.covers, '/system');
    assert.match(h.value, /^\*\*libvirt URI\*\* `qemu\+ssh:\/\/root@node1:2222\/system\?no_tty=1`/);
    assert.match(h.value, /^\*\*path\*\* `\/system` — /m);
    assert.match(h.value, /- \*\*runs on this machine\*\* `ssh -p 2222 -l root -T -e none -o BatchMode=yes -- node1`/);
  });

  it('explains an alias from the workspace libvirt.conf and names the file', async () => {
    const h = await hoverAt('b.py', "import libvirt\nconn = libvirt.open('l‸ab')\n");
    assert.ok(h);
    assert.equal(h.covers, 'lab');
    assert.ok(h.value.startsWith(`**uri_aliases** \`lab\` → \`qemu+libssh://lab.example.com/system\` — from \`${path.join(workspace, 'libvirt.conf')}\``), h.value);
    assert.match(h.value, /- \*\*user\*\* `root` — libssh logs in as root/);
  });

  it('answers null off a URI', async () => {
    assert.equal(await hoverAt('c.py', "import li‸bvirt\nconn = libvirt.open('qemu:///system')\n"), null);
  });
});
