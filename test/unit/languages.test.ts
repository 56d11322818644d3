// One list of host languages (server/src/languageservice/languages.ts): the manifest, the
// client's document selector, the scanners and the CLI's file types all come from it.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { HOST_LANGUAGE_IDS, HOST_LANGUAGES } from '../../server/src/languageservice/languages';
import { findUriCandidates, languageIdForPath } from '../../server/src/languageservice/regions';
import { repoRoot } from '../helpers/paths';

describe('host languages', () => {
  const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { activationEvents: string[] };

  it('package.json activates the extension for exactly the host languages', () => {
    const languages = manifest.activationEvents.filter((e) => e.startsWith('onLanguage:')).map((e) => e.slice('onLanguage:'.length));
    assert.deepEqual([...languages].sort(), [...HOST_LANGUAGE_IDS].sort());
  });

  it('every host language is scanned, JSX and TSX included', () => {
    for (const id of HOST_LANGUAGE_IDS) {
      const text = id === 'libvirt-conf' ? 'uri_default = "qemu+shh:///system"' : HOST_LANGUAGES[id].scanner === 'yaml' ? 'x: "qemu+shh:///system"' : 'x = "qemu+shh:///system"';
      assert.equal(findUriCandidates(text, id).length, 1, id);
    }
    assert.equal(languageIdForPath('src/App.tsx'), 'typescriptreact');
    assert.equal(languageIdForPath('src/App.jsx'), 'javascriptreact');
  });

  it('each file extension belongs to one language', () => {
    const all = Object.values(HOST_LANGUAGES).flatMap((l) => [...l.extensions]);
    assert.deepEqual(all.filter((e, i) => all.indexOf(e) !== i), []);
  });
});
