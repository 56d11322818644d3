// Where the binding looks for libvirt on each platform (pure: no library is loaded here).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { LibvirtUnavailableError, chooseLibrary, libraryCandidates, libvirtInstallHint } from '../../client/src/libvirt';
import { deserializeError, serializeError } from '../../client/src/libvirtProcess/protocol';
import { repoRoot } from '../helpers/paths';

const HOMEBREW_ARM = '/opt/homebrew/lib/libvirt.0.dylib';
const HOMEBREW_INTEL = '/usr/local/lib/libvirt.0.dylib';

/** An `exists` that knows only these files, and records what was asked. */
function files(...present: string[]): { exists: (f: string) => boolean; asked: string[] } {
  const asked: string[] = [];
  return { asked, exists: (f) => (asked.push(f), present.includes(f)) };
}

describe('libvirt library lookup', () => {
  it('tries, per platform, the full paths the loader would miss, then the name it searches for', () => {
    assert.deepEqual(libraryCandidates('linux'), ['libvirt.so.0']);
    assert.deepEqual(libraryCandidates('darwin'), [HOMEBREW_ARM, HOMEBREW_INTEL, 'libvirt.0.dylib']);
    assert.deepEqual(libraryCandidates('win32'), ['libvirt-0.dll']);
    assert.deepEqual(libraryCandidates('freebsd'), ['libvirt.so.0']);
  });

  it("Linux and Windows leave the search to the system's loader", () => {
    const fs = files('/usr/lib/x86_64-linux-gnu/libvirt.so.0');
    assert.equal(chooseLibrary('linux', {}, fs.exists), 'libvirt.so.0');
    assert.equal(chooseLibrary('win32', {}, fs.exists), 'libvirt-0.dll');
    assert.deepEqual(fs.asked, []);
  });

  it("macOS takes Homebrew's library, Apple silicon's prefix first, else lets dyld search", () => {
    assert.equal(chooseLibrary('darwin', {}, files(HOMEBREW_ARM, HOMEBREW_INTEL).exists), HOMEBREW_ARM);
    assert.equal(chooseLibrary('darwin', {}, files(HOMEBREW_INTEL).exists), HOMEBREW_INTEL);
    const none = files();
    assert.equal(chooseLibrary('darwin', {}, none.exists), 'libvirt.0.dylib');
    assert.deepEqual(none.asked, [HOMEBREW_ARM, HOMEBREW_INTEL]);
  });

  it('an explicit path wins over VIRT_URI_LIBVIRT_SO, which wins over the lookup; empty ones are unset', () => {
    const brew = files(HOMEBREW_ARM).exists;
    assert.equal(chooseLibrary('darwin', { explicit: '/opt/libvirt/lib/libvirt.0.dylib', env: '/env/libvirt.0.dylib' }, brew), '/opt/libvirt/lib/libvirt.0.dylib');
    assert.equal(chooseLibrary('darwin', { env: '/env/libvirt.0.dylib' }, brew), '/env/libvirt.0.dylib');
    assert.equal(chooseLibrary('darwin', { explicit: '', env: '' }, brew), HOMEBREW_ARM);
    assert.equal(chooseLibrary('win32', { explicit: 'C:\\virt-viewer\\bin\\libvirt-0.dll' }, brew), 'C:\\virt-viewer\\bin\\libvirt-0.dll');
  });

  it('names what to install on each platform', () => {
    assert.match(libvirtInstallHint('linux'), /libvirt0 package \(Debian, Ubuntu\) or libvirt-libs \(Fedora/);
    assert.match(libvirtInstallHint('darwin'), /brew install libvirt/);
    assert.match(libvirtInstallHint('win32'), /virt-viewer.*MSYS2.*mingw-w64-ucrt-x86_64-libvirt.*PATH/);
    assert.match(libvirtInstallHint('freebsd'), /pkg install libvirt/);
  });

  it('what is missing, libvirt or koffi, crosses from the libvirt process to the extension', () => {
    for (const missing of ['libvirt', 'koffi'] as const) {
      const e = deserializeError(serializeError(new LibvirtUnavailableError('libvirt.so.0', 'gone', missing)));
      assert.ok(e instanceof LibvirtUnavailableError);
      assert.deepEqual([e.library, e.detail, e.missing, e.message], ['libvirt.so.0', 'gone', missing, missing === 'koffi' ? 'cannot load koffi: gone' : 'cannot load libvirt.so.0: gone']);
    }
  });

  it("the Hypervisors view's welcome, when libvirt is missing, names what the binding names, per platform", () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { viewsWelcome: { when: string; contents: string }[] } };
    // The manifest names its words by %key%; package.nls.json has them in English.
    const nls = JSON.parse(readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
    for (const [platform, key] of [['linux', 'isLinux'], ['darwin', 'isMac'], ['win32', 'isWindows']] as const) {
      const welcome = manifest.contributes.viewsWelcome.filter((w) => w.when === `libvirt.libraryMissing && ${key}`);
      assert.equal(welcome.length, 1, key);
      const contents = nls[/^%(.+)%$/.exec(welcome[0].contents)?.[1] ?? ''] ?? welcome[0].contents;
      assert.ok(contents.includes(`Install ${libvirtInstallHint(platform)};`), `${key}: ${contents}`);
    }
  });
});
