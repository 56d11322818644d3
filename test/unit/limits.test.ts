// What one URI and one document may produce: repeats fold, a document stops at its limit.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { DEFAULT_SETTINGS, NOT_SHOWN_CODE, getLanguageService } from '../../server/src/languageservice/languageService';
import {
  DEFAULT_MAX_DIAGNOSTICS, FoldingList, MAX_DISTINCT_PER_URI, MAX_MAX_DIAGNOSTICS, maxDiagnosticsSetting,
} from '../../server/src/languageservice/limits';
import { validateUri } from '../../server/src/languageservice/services/validation';
import { markedRange } from '../helpers/caret';
import { repoRoot } from '../helpers/paths';

const ctx = { libvirtContext: true };

describe('folding the faults of one URI', () => {
  it('a fault with the same code and message folds into the first, which counts the repeats', () => {
    const list = new FoldingList<{ code: string; message: string; at: number; repeats?: number }>();
    list.add({ code: 'a', message: 'x', at: 0 });
    list.add({ code: 'a', message: 'y', at: 1 });
    list.add({ code: 'a', message: 'x', at: 2 });
    list.add({ code: 'b', message: 'x', at: 3 });
    list.add({ code: 'a', message: 'x', at: 4 });
    assert.deepEqual(list.list, [{ code: 'a', message: 'x', at: 0, repeats: 2 }, { code: 'a', message: 'y', at: 1 }, { code: 'b', message: 'x', at: 3 }]);
  });

  it('past the distinct limit a fault folds into the first of its code, and a new code still gets its own', () => {
    const list = new FoldingList<{ code: string; message: string; repeats?: number }>(3);
    for (let i = 0; i < 10; i++) list.add({ code: 'a', message: `m${i}` });
    list.add({ code: 'b', message: 'new' });
    list.add({ code: 'b', message: 'newer' });
    assert.deepEqual(list.list, [
      { code: 'a', message: 'm0', repeats: 7 }, { code: 'a', message: 'm1' }, { code: 'a', message: 'm2' }, { code: 'b', message: 'new', repeats: 1 },
    ]);
  });

  it('keeps at most the distinct limit (and one per code first seen past it), however many are added', () => {
    const list = new FoldingList<{ code: string; message: string; repeats?: number }>();
    for (let i = 0; i < 200_000; i++) list.add({ code: `c${i % 7}`, message: String(i) });
    assert.equal(list.list.length, MAX_DISTINCT_PER_URI);
    assert.equal(list.list.reduce((n, d) => n + 1 + (d.repeats ?? 0), 0), 200_000);
  });

  it('validateUri: the same empty parameter name repeated is one warning at the first, with the count', () => {
    const { text, start, end } = markedRange('qemu+ssh://h/system?&‸=‸&=&=&keyfile=/k');
    const found = validateUri(text, ctx);
    assert.deepEqual(found.map((d) => [d.code, d.start, d.end, d.repeats]), [['empty-parameter-name', start, end, 2]]);
  });

  it('validateUri: different faults of one code stay apart', () => {
    assert.deepEqual(validateUri('qemu+ssh://h/system?=a&=b&foo=1&bar=2', ctx).map((d) => [d.code, d.repeats]), [
      ['empty-parameter-name', undefined], ['empty-parameter-name', undefined], ['unknown-parameter', undefined], ['unknown-parameter', undefined],
    ]);
  });

  it('validateUri: a URI with more distinct faults than the limit keeps the limit and counts the rest', () => {
    const text = 'qemu+ssh://h/system?' + Array.from({ length: MAX_DISTINCT_PER_URI + 50 }, (_, i) => `=${i}`).join('&');
    const found = validateUri(text, ctx);
    assert.equal(found.length, MAX_DISTINCT_PER_URI);
    assert.equal(found[0].repeats, 50);
    assert.equal(found[0].message, "libvirt drops a parameter with an empty name ('=0')");
  });

  it('the 5 MB line of issue 7 gives one warning that counts the 2.6 million repeats', () => {
    const pairs = 2_621_373;
    const text = 'qemu+ssh://h/system?' + '&='.repeat(pairs);
    const found = validateUri(text, ctx);
    assert.deepEqual(found.map((d) => [d.code, d.repeats]), [['empty-parameter-name', pairs - 1]]);
  });
});

describe('the language service caps a document', () => {
  const service = getLanguageService({ aliases: () => new Map() });
  let n = 0;
  const doc = (text: string) => TextDocument.create(`file:///limits/${++n}.sh`, 'shellscript', 1, text);
  const broken = (n: number) => Array.from({ length: n }, (_, i) => `virsh -c qemu:///x${i} list`).join('\n') + '\n';

  it('shows the folded count in the message', () => {
    const [d] = service.doValidation(doc('virsh -c "qemu+ssh://h/system?&=&=&=" list\n'));
    assert.equal(d.message, "libvirt drops a parameter with an empty name ('=') (and 2 more in this URI)");
    assert.deepEqual(d.range, { start: { line: 0, character: 31 }, end: { line: 0, character: 32 } });
  });

  it('stops at maxDiagnostics and closes with one information that counts the rest, at the first not shown', () => {
    const text = broken(4) + 'virsh -c qemu+tcp://h/system list\n';
    const all = service.doValidation(doc(text), { ...DEFAULT_SETTINGS, maxDiagnostics: 2 });
    assert.deepEqual(all.map((d) => [d.code, d.range.start.line, d.severity]), [
      ['wrong-path', 0, DiagnosticSeverity.Error], ['wrong-path', 1, DiagnosticSeverity.Error], [NOT_SHOWN_CODE, 2, DiagnosticSeverity.Information],
    ]);
    assert.deepEqual(all[2].range, { start: { line: 2, character: 16 }, end: { line: 2, character: 19 } });
    assert.equal(all[2].message, '3 more libvirt diagnostics not shown (2 errors, 1 warning): the limit is 2 per file (libvirt.uri.maxDiagnostics)');
    assert.equal(all[2].source, 'libvirt');
  });

  it('counts what is not shown by severity, after severity overrides and suppressions', () => {
    const text = broken(3) + 'virsh -c qemu:///y list  # virt-uri-disable-line\nvirsh -c qemu+tcp://h/system list\nvirsh -c qemu+foo:///system\n';
    const r = service.validate(doc(text), { enable: {}, severity: { 'plain-tcp': 'off', 'unknown-transport': 'hint' }, maxDiagnostics: 1 });
    assert.equal(r.diagnostics.length, 1);
    assert.deepEqual(r.notShown, { error: 2, warning: 0, information: 0, hint: 1 });
    assert.equal(r.firstNotShown?.start.line, 1);
  });

  it("counts libvirt.conf's settings with its URIs, in document order", () => {
    const text = 'uri_default = "qemu:///x"\nremote_mode = "bogus"\nuri_aliases = [ "a=qemu:///y" ]\n';
    const all = service.doValidation(TextDocument.create('file:///limits/libvirt.conf', 'libvirt-conf', 1, text), { ...DEFAULT_SETTINGS, maxDiagnostics: 2 });
    assert.deepEqual(all.map((d) => [d.code, d.range.start.line]), [['wrong-path', 0], ['bad-parameter-value', 1], [NOT_SHOWN_CODE, 2]]);
  });

  it('folds the repeats of a template, and counts it towards the limit', () => {
    const text = 'virsh -c "qemu+ssh://${HOST}/system?&=&=&=" list\nvirsh -c "qemu+ssh://$HOST/sytem" list\n';
    const all = service.doValidation(doc(text), { ...DEFAULT_SETTINGS, maxDiagnostics: 1 });
    assert.deepEqual(all.map((d) => [d.code, d.range.start.line, d.message]), [
      ['empty-parameter-name', 0, "libvirt drops a parameter with an empty name ('=') (and 2 more in this URI)"],
      [NOT_SHOWN_CODE, 1, '1 more libvirt diagnostic not shown (1 error): the limit is 1 per file (libvirt.uri.maxDiagnostics)'],
    ]);
  });

  it('nothing is added when the document is within the limit', () => {
    const all = service.doValidation(doc(broken(DEFAULT_MAX_DIAGNOSTICS)));
    assert.equal(all.length, DEFAULT_MAX_DIAGNOSTICS);
    assert.ok(all.every((d) => d.code === 'wrong-path'));
    const over = service.doValidation(doc(broken(DEFAULT_MAX_DIAGNOSTICS + 1)));
    assert.equal(over.length, DEFAULT_MAX_DIAGNOSTICS + 1);
    assert.equal(over[DEFAULT_MAX_DIAGNOSTICS].code, NOT_SHOWN_CODE);
    assert.match(String(over[DEFAULT_MAX_DIAGNOSTICS].message), /^1 more libvirt diagnostic not shown \(1 error\)/);
  });
});

describe('the libvirt.uri.maxDiagnostics setting', () => {
  it('takes a whole number from 1 up, capped; anything else means the default', () => {
    assert.equal(maxDiagnosticsSetting(undefined), DEFAULT_MAX_DIAGNOSTICS);
    assert.equal(maxDiagnosticsSetting(25), 25);
    assert.equal(maxDiagnosticsSetting(1), 1);
    assert.equal(maxDiagnosticsSetting(1e9), MAX_MAX_DIAGNOSTICS);
    for (const bad of [0, -3, 2.5, '50', null, NaN, Infinity]) assert.equal(maxDiagnosticsSetting(bad), DEFAULT_MAX_DIAGNOSTICS, String(bad));
  });

  it('is contributed in package.json per resource, with the same default and bounds', () => {
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
      contributes: { configuration: { properties: Record<string, { type: string; scope: string; default: unknown; minimum: number; maximum: number }> } };
    };
    const setting = manifest.contributes.configuration.properties['libvirt.uri.maxDiagnostics'];
    assert.deepEqual([setting.type, setting.scope, setting.default, setting.minimum, setting.maximum],
      ['integer', 'resource', DEFAULT_MAX_DIAGNOSTICS, 1, MAX_MAX_DIAGNOSTICS]);
  });
});
