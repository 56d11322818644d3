// The libvirt.conf grammar, and the URI injection held to the catalog. Needs only our own
// grammars: libvirt.conf strings are the host.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { DRIVERS } from '../../server/src/languageservice/catalog';
import { FULL_URI, S, SIMPLE_URI, assertNoUri, assertParts, place, uriText, type Part } from './expect';
import { builtGrammarPath, grammars, manifest, type Token } from './textmate';

const CONF = 'source.libvirt-conf';
const conf = (text: string) => grammars(false).tokenize(CONF, text);

/** The scopes of the token whose text is `text` (the first one, or the `nth`). */
function scopesOf(tokens: Token[], text: string, nth = 0): string[] {
  const found = tokens.filter((t) => t.text === text)[nth];
  assert.ok(found, `no token ${JSON.stringify(text)} in ${JSON.stringify(tokens.map((t) => t.text))}`);
  return found.scopes;
}

describe('libvirt.conf grammar', () => {
  it('scopes comments, keys, strings, numbers, lists and separators', async () => {
    const tokens = await conf([
      '# client configuration',
      "remote_mode = 'legacy'; keepalive_interval = -5",
      'tls_priority = """NORMAL',
      ':-VERS-TLS1.0"""',
      'x = [ 1, "a", [ "b" ] ]  # nested',
    ].join('\n'));
    assert.ok(scopesOf(tokens, ' client configuration').includes('comment.line.number-sign.libvirt-conf'));
    assert.ok(scopesOf(tokens, '#').includes('punctuation.definition.comment.libvirt-conf'));
    for (const key of ['remote_mode', 'keepalive_interval', 'tls_priority', 'x']) {
      assert.ok(scopesOf(tokens, key).includes('variable.other.property.libvirt-conf'), key);
    }
    assert.ok(scopesOf(tokens, '=').includes('keyword.operator.assignment.libvirt-conf'));
    assert.ok(scopesOf(tokens, 'legacy').includes('string.quoted.single.libvirt-conf'));
    assert.ok(scopesOf(tokens, ';').includes('punctuation.terminator.statement.libvirt-conf'));
    assert.ok(scopesOf(tokens, '-5').includes('constant.numeric.integer.libvirt-conf'));
    assert.ok(scopesOf(tokens, 'NORMAL').includes('string.quoted.triple.libvirt-conf'));
    assert.ok(scopesOf(tokens, ':-VERS-TLS1.0').includes('string.quoted.triple.libvirt-conf'), 'a triple-quoted string spans lines');
    assert.ok(scopesOf(tokens, '1').includes('constant.numeric.integer.libvirt-conf'));
    assert.ok(scopesOf(tokens, ',').includes('punctuation.separator.list.libvirt-conf'));
    const inner = scopesOf(tokens, 'b');
    assert.equal(inner.filter((s) => s === 'meta.structure.list.libvirt-conf').length, 2, 'a list inside a list');
    assert.ok(inner.includes('string.quoted.double.libvirt-conf'));
    assert.ok(scopesOf(tokens, ' nested').includes('comment.line.number-sign.libvirt-conf'), 'a comment after a list');
  });

  it('colours the URI of uri_default and of each uri_aliases entry, after the alias name', async () => {
    const full = uriText(FULL_URI);
    const text = [
      `uri_default = "${full}"`,
      'uri_aliases = [',
      `  "hail=${full}",`,
      `  'sleet=${uriText(SIMPLE_URI)}',`,
      ']',
    ].join('\n');
    const tokens = await conf(text);
    assertParts(tokens, { line: 0, column: 'uri_default = "'.length }, FULL_URI, 'string.quoted.double.libvirt-conf');
    assertParts(tokens, { line: 2, column: '  "hail='.length }, FULL_URI, 'meta.structure.list.aliases.libvirt-conf');
    assertParts(tokens, { line: 3, column: "  'sleet=".length }, SIMPLE_URI, 'string.quoted.single.libvirt-conf');
    assert.ok(scopesOf(tokens, 'hail').includes('variable.other.alias.libvirt-conf'));
    assert.ok(scopesOf(tokens, 'sleet').includes('variable.other.alias.libvirt-conf'));
    const aliasEquals = tokens.find((t) => t.line === 2 && t.start === '  "hail'.length);
    assert.ok(aliasEquals?.scopes.includes('punctuation.separator.alias.libvirt-conf'));
    assert.ok(scopesOf(tokens, ']').includes('punctuation.definition.list.end.libvirt-conf'));
  });

  it('colours no URI in comments, nor an ordinary URL', async () => {
    assertNoUri(await conf(`# uri_default = "${uriText(FULL_URI)}"`), 'a commented-out setting');
    assertNoUri(await conf('uri_default = "https://libvirt.org/"'), 'an https URL');
  });
});

describe('the URI grammar and the catalog', () => {
  const inConf = async (uri: string) => {
    const { code, line, column } = place('uri_default = "▮"', uri);
    return { tokens: await conf(code), line, column };
  };

  it("colours every catalog driver's example URIs", async () => {
    for (const driver of DRIVERS) {
      for (const example of driver.examples) {
        const { tokens, line, column } = await inConf(example);
        const first = tokens.find((t) => t.line === line && t.start === column);
        assert.equal(first?.text, driver.name, example);
        assert.ok(first.scopes.includes(S.driver), example);
        const uri = tokens.filter((t) => t.scopes.includes(S.uri)).map((t) => t.text).join('');
        assert.equal(uri, example, `${example} is coloured as a whole`);
      }
    }
  });

  it('knows exactly the catalog drivers, in any case', async () => {
    for (const driver of DRIVERS) {
      for (const name of [driver.name, driver.name.toUpperCase()]) {
        const parts: Part[] = [[name, S.driver], [':', S.colon], ['//', S.slashes], ['/system', S.path]];
        const { tokens, line, column } = await inConf(uriText(parts));
        assertParts(tokens, { line, column }, parts);
      }
    }
    for (const scheme of ['qemux', 'kvm', 'libvirt', 'virsh', 'ssh', 'tcp']) assertNoUri((await inConf(`${scheme}:///system`)).tokens, scheme);
  });
});

describe('grammar contributions', () => {
  it('are built where package.json says, and libvirt-conf has one', () => {
    for (const g of manifest.contributes.grammars) assert.ok(existsSync(builtGrammarPath(g)), `${g.path} was not built`);
    const confGrammar = manifest.contributes.grammars.find((g) => g.scopeName === CONF) as { language?: string } | undefined;
    assert.equal(confGrammar?.language, 'libvirt-conf');
    assert.ok(manifest.contributes.languages.some((l) => l.id === 'libvirt-conf'));
  });
});
