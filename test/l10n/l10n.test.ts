// The extension's own words and their zh-cn translation: every %key% of the manifest is in
// package.nls.json and package.nls.zh-cn.json, every message the client hands to l10n.t is in
// the zh-cn bundle, and translations keep the placeholders, code and command links they carry.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { placeholders, scanL10nMessages, verbatimParts } from '../helpers/l10nMessages';
import { repoRoot } from '../helpers/paths';
import { setL10nBundle, t } from '../../client/src/l10n';

const LOCALES = ['zh-cn'];

function json(file: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(repoRoot, file), 'utf8')) as Record<string, string>;
}

/** Every %key% the manifest uses. */
function manifestKeys(): Set<string> {
  const keys = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      const m = /^%([^%\s]+)%$/.exec(value);
      if (m) keys.add(m[1]);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value && typeof value === 'object') Object.values(value).forEach(walk);
  };
  walk(JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')));
  return keys;
}

function sameParts(english: string, translated: string, where: string): void {
  assert.deepEqual(placeholders(translated), placeholders(english), `${where}: placeholders differ`);
  assert.deepEqual(verbatimParts(translated), verbatimParts(english), `${where}: inline code or command links differ`);
}

describe('the manifest’s words (package.nls.json)', () => {
  const keys = manifestKeys();
  const english = json('package.nls.json');

  it('the manifest is localized: its command titles, settings, views and walkthrough use %keys%', () => {
    for (const k of ['command.connect.title', 'views.hypervisors.name', 'viewsWelcome.hypervisors.empty', 'walkthrough.title', 'configuration.connect.timeout.markdownDescription']) {
      assert.ok(keys.has(k), `package.json does not use %${k}%`);
    }
  });

  it('every %key% in package.json is in package.nls.json, and package.nls.json has no unused keys', () => {
    assert.deepEqual([...keys].filter((k) => !(k in english)), []);
    assert.deepEqual(Object.keys(english).filter((k) => !keys.has(k)), []);
  });

  for (const locale of LOCALES) {
    it(`package.nls.${locale}.json translates every key, keeping placeholders, code and command links`, () => {
      const translated = json(`package.nls.${locale}.json`);
      assert.deepEqual([...keys].filter((k) => !(k in translated)), []);
      assert.deepEqual(Object.keys(translated).filter((k) => !keys.has(k)), []);
      for (const k of keys) {
        assert.notEqual(translated[k].trim(), '', `${k} is empty`);
        sameParts(english[k], translated[k], `package.nls.${locale}.json ${k}`);
      }
    });
  }
});

describe('the client’s messages (vscode.l10n.t and our t())', () => {
  const scan = scanL10nMessages();

  it('finds the messages, all given as string literals', () => {
    assert.deepEqual(scan.problems, []);
    // The scan itself: a few messages known to be there, from both kinds of call.
    for (const m of ['No libvirt passwords were saved.', 'Connect to {0}', 'The host stopped answering after the connection was made.']) {
      assert.ok(scan.messages.has(m), `the scan missed ${JSON.stringify(m)}`);
    }
  });

  for (const locale of LOCALES) {
    it(`l10n/bundle.l10n.${locale}.json translates every message and nothing else`, () => {
      const bundle = json(`l10n/bundle.l10n.${locale}.json`);
      const missing = [...scan.messages].filter(([m]) => !(m in bundle)).map(([m, where]) => `${where[0]}: ${m}`);
      assert.deepEqual(missing, []);
      assert.deepEqual(Object.keys(bundle).filter((m) => !scan.messages.has(m)), [], 'entries no source uses');
      for (const [m, text] of Object.entries(bundle)) {
        assert.notEqual(text.trim(), '', `${m} is translated as nothing`);
        sameParts(m, text, `bundle.l10n.${locale}.json ${JSON.stringify(m)}`);
      }
    });

    it(`the walkthrough ships its ${locale} pages and example`, () => {
      const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { contributes: { walkthroughs: { steps: { media: { markdown: string } }[] }[] } };
      for (const step of manifest.contributes.walkthroughs.flatMap((w) => w.steps)) {
        const page = step.media.markdown.replace(/\.md$/, `.nls.${locale}.md`);
        assert.ok(existsSync(path.join(repoRoot, page)), `${page} is missing`);
      }
      assert.ok(existsSync(path.join(repoRoot, 'media', 'walkthrough', `example.${locale}.py`)));
    });
  }
});

describe('t() outside VS Code', () => {
  it('speaks English without a bundle and the bundle’s words with one, filling placeholders either way', () => {
    setL10nBundle(undefined);
    assert.equal(t('Connect to {0}', 'test:///default'), 'Connect to test:///default');
    setL10nBundle(json('l10n/bundle.l10n.zh-cn.json'));
    try {
      assert.equal(t('Connect to {0}', 'test:///default'), '连接到 test:///default');
    } finally {
      setL10nBundle(undefined);
    }
  });
});
