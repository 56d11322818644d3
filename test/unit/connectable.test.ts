// Where the editor offers "Connect": whole literal URIs the code hands to libvirt itself, and
// only those libvirt does not refuse.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { getLanguageService } from '../../server/src/languageservice/languageService';

/** Each connectable URI of `source` as `uri [covered text]`. */
function connectable(languageId: string, source: string): string[] {
  const doc = TextDocument.create(`file:///t.${languageId}`, languageId, 1, source);
  return getLanguageService({ aliases: () => new Map() }).connectableUris(doc)
    .map(({ uri, range }) => `${uri} [${source.slice(doc.offsetAt(range.start), doc.offsetAt(range.end))}]`);
}

describe('connectable URIs (the Connect code lens)', () => {
  it('a literal URI in a libvirt context gets one, over the URI as written', () => {
    assert.deepEqual(connectable('python', "conn = libvirt.open('qemu:///system')"), ['qemu:///system [qemu:///system]']);
    assert.deepEqual(connectable('shellscript', 'virsh -c test:///default list'), ['test:///default [test:///default]']);
    // A warning (plain TCP) is not a refusal: libvirt connects.
    assert.deepEqual(connectable('python', "libvirt.open('qemu+tcp://lab/system')"), ['qemu+tcp://lab/system [qemu+tcp://lab/system]']);
  });

  it('adjacent literals with nothing between are one whole URI, covered from first to last piece', () => {
    assert.deepEqual(connectable('c', 'virConnectOpen("qemu:///" "system");'), ['qemu:///system [qemu:///" "system]']);
  });

  it('a template or a piece of a URI gets none: its holes are filled only when the code runs', () => {
    assert.deepEqual(connectable('python', [
      'libvirt.open(f"qemu+ssh://{host}/system")',
      'libvirt.openAuth("test://" + fname, auth, 0)',
      "libvirt.open('qemu://%s/system' % h)",
    ].join('\n')), []);
    assert.deepEqual(connectable('c', 'virConnectOpen("qemu+ssh://" HOST "/system");'), []);
    assert.deepEqual(connectable('shellscript', 'virsh -c "qemu+ssh://${HOST}/system" list'), []);
  });

  it("the Terraform provider's URIs get none: the provider reads them, not libvirt", () => {
    assert.deepEqual(connectable('terraform', [
      'provider "libvirt" {',
      '  uri = "qemu:///system"',
      '}',
      'provider "libvirt" {',
      '  alias = "cmd"',
      '  uri   = "qemu+sshcmd://admin@node1/system"',
      '}',
    ].join('\n')), []);
  });

  it('a URI libvirt refuses gets none', () => {
    assert.deepEqual(connectable('python', [
      "libvirt.open('qemu://system')",
      "libvirt.open('qemu:///sytem')",
      "libvirt.open('qemu+shh://host/system')",
    ].join('\n')), []);
  });

  it('a URI outside any libvirt context gets none', () => {
    assert.deepEqual(connectable('python', "default = 'qemu:///system'"), []);
    assert.deepEqual(connectable('markdown', 'Connect with `qemu:///system`.'), []);
  });
});
