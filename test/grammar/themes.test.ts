// The URI parts get colours of their own from VS Code's built-in themes, not the string's:
// Dark+ and Light+, and the 2026 themes this VS Code starts with.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { FULL_URI, uriText } from './expect';
import { hostGrammarsUnavailable, themed } from './textmate';

const unavailable = hostGrammarsUnavailable();

describe('highlighting in the default themes', { skip: process.env.CI ? false : unavailable ?? false }, () => {
  before(() => {
    if (unavailable) throw new Error(unavailable);
  });

  const line = `conn = libvirt.open('${uriText(FULL_URI)}')`;
  const named = ['qemu', 'ssh', 'root', 'host', '2222', '/system', 'keyfile', 'no_tty', '1'];

  for (const theme of ['dark_plus.json', 'light_plus.json', '2026-dark.json', '2026-light.json']) {
    it(`colours each named part apart from the string in ${theme}`, async () => {
      const tokens = await themed(theme).colour('source.python', line);
      const shown = tokens.map((t) => `${t.text}=${t.colour}`).join('  ');
      const quote = tokens.find((t) => t.text === "'");
      assert.ok(quote, shown);
      for (const part of named) {
        const token = tokens.find((t) => t.text === part);
        assert.ok(token, `${part} is not a token of its own: ${shown}`);
        assert.notEqual(token.colour, quote.colour, `${part} has the string's colour: ${shown}`);
      }
      const colours = new Set(named.map((p) => tokens.find((t) => t.text === p)!.colour));
      assert.ok(colours.size >= 6, `only ${colours.size} colours: ${shown}`);
    });
  }
});
