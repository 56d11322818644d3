// Quick fixes: each one applied to a document and the document validated again — the
// diagnostic it targets is gone and no new error appears.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, Diagnostic, DiagnosticSeverity, TextEdit } from 'vscode-languageserver-types';
import { FIX_ALL_KIND, LanguageService, getLanguageService } from '../../server/src/languageservice/languageService';
import { fixAll } from '../../server/src/languageservice/services/codeActions';
import { LibvirtDiagnosticData } from '../../server/src/languageservice/services/validation';
import { findSuppressions } from '../../server/src/languageservice/regions';
import { markedRange } from '../helpers/caret';

let version = 0;
function doc(text: string, languageId = 'python'): TextDocument {
  return TextDocument.create(`file:///t${++version}`, languageId, 1, text);
}

function editsOf(action: CodeAction, document: TextDocument): TextEdit[] {
  const changes = action.edit?.changes;
  assert.ok(changes, `${action.title}: no edit`);
  assert.deepEqual(Object.keys(changes), [document.uri]);
  return changes[document.uri];
}

function applied(document: TextDocument, action: CodeAction): TextDocument {
  return TextDocument.create(document.uri, document.languageId, document.version + 1, TextDocument.applyEdits(document, editsOf(action, document)));
}

const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === DiagnosticSeverity.Error).map((d) => `${d.code}: ${d.message}`);

/**
 * Applies the fix titled `title` (or the preferred one) of the one diagnostic `code` and checks
 * the result; returns the fixed text.
 */
function fix(text: string, code: string, options: { title?: string | RegExp; languageId?: string; preferred?: boolean } = {}): string {
  const service = getLanguageService({ aliases: () => new Map() });
  const document = doc(text, options.languageId);
  const before = service.doValidation(document);
  const targeted = before.filter((d) => d.code === code);
  assert.equal(targeted.length, 1, `${text}: one ${code} in ${JSON.stringify(before.map((d) => d.code))}`);
  const actions = service.doCodeActions(document, { range: targeted[0].range, diagnostics: targeted });
  const fixes = actions.filter((a) => a.edit);
  const chosen = options.title === undefined ? fixes.filter((a) => a.isPreferred)
    : fixes.filter((a) => (typeof options.title === 'string' ? a.title === options.title : options.title!.test(a.title)));
  assert.equal(chosen.length, 1, `${text}: the fix among ${JSON.stringify(actions.map((a) => `${a.title}${a.isPreferred ? ' (preferred)' : ''}`))}`);
  if (options.preferred !== undefined) assert.equal(chosen[0].isPreferred ?? false, options.preferred, chosen[0].title);
  const after = applied(document, chosen[0]);
  const now = service.doValidation(after);
  assert.deepEqual(now.filter((d) => d.code === code), [], `${after.getText()}: ${code} is still there`);
  const old = new Set(errors(before));
  assert.deepEqual(errors(now).filter((e) => !old.has(e)), [], `${after.getText()}: new errors`);
  return after.getText();
}

const py = (uri: string) => `import libvirt\nconn = libvirt.open('${uri}')\n`;

describe('quick fixes, applied and validated again', () => {
  it('did-you-mean: driver, transport, parameter name and enum value', () => {
    assert.equal(fix(py('qmeu:///system'), 'unknown-driver', { preferred: true }), py('qemu:///system'));
    assert.equal(fix(py('QEMU:///system'), 'unknown-driver'), py('qemu:///system'));
    assert.equal(fix(py('qemu+shh://h/system'), 'unknown-transport'), py('qemu+ssh://h/system'));
    assert.equal(fix(py('qemu+ssh://h/system?no_ttty=1'), 'unknown-parameter'), py('qemu+ssh://h/system?no_tty=1'));
    assert.equal(fix(py('qemu+ssh://h/system?mode=legasy'), 'bad-parameter-value'), py('qemu+ssh://h/system?mode=legacy'));
    assert.equal(fix(py('qemu+libssh2://h/system?sshauth=agent,pasword'), 'bad-parameter-value'), py('qemu+libssh2://h/system?sshauth=agent,password'));
    assert.equal(fix(py('esx://h/?no_verify=2'), 'bad-parameter-value', { title: "Change the value to '1'", preferred: false }), py('esx://h/?no_verify=1'));
  });

  it('a value no catalog entry is close to: every value offered, none preferred', () => {
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(py('qemu+libssh2://h/system?known_hosts_verify=maybe'));
    const diagnostics = service.doValidation(document);
    const titles = service.doCodeActions(document, { range: diagnostics[0].range, diagnostics }).filter((a) => a.edit).map((a) => [a.title, a.isPreferred]);
    assert.deepEqual(titles, [["Change the value to 'normal'", false], ["Change the value to 'auto'", false], ["Change the value to 'ignore'", false]]);
  });

  it('qemu://system → qemu:///system, in the URI and in name=', () => {
    assert.equal(fix(py('qemu://system'), 'maybe-you-want', { title: 'Change to qemu:///system', preferred: true }), py('qemu:///system'));
    assert.equal(fix(py('qemu:session'), 'maybe-you-want', { preferred: true }), py('qemu:///session'));
  });

  it("the driver's accepted path", () => {
    assert.equal(fix(py('qemu:///sytem'), 'wrong-path', { title: "Change the path to '/system'", preferred: true }), py('qemu:///system'));
    assert.equal(fix(py('qemu+ssh://h'), 'wrong-path', { title: "Change the path to '/session'", preferred: false }), py('qemu+ssh://h/session'));
    assert.equal(fix(py('qemu+ssh://h/system?name=qemu:///sytem'), 'wrong-path'), py('qemu+ssh://h/system?name=qemu:///system'));
  });

  it('drops the host from +unix', () => {
    assert.equal(fix(py('qemu+unix://h/system'), 'unix-with-host', { title: /^Remove the host/, preferred: false }), py('qemu+unix:///system'));
  });

  it("';' → '&'", () => {
    assert.equal(fix(py('qemu+ssh://h/system?keyfile=/k;no_tty=1&no_verify=0'), 'query-separator', { preferred: true }),
      py('qemu+ssh://h/system?keyfile=/k&no_tty=1&no_verify=0'));
  });

  it('removes the duplicate libvirt ignores', () => {
    assert.equal(fix(py('qemu+ssh://h/system?no_tty=1&keyfile=/k&no_tty=0'), 'duplicate-parameter', { preferred: true }),
      py('qemu+ssh://h/system?keyfile=/k&no_tty=0'));
  });

  it('percent-encodes a bad escape, a space, a non-ASCII character', () => {
    assert.equal(fix(py('qemu+ssh://h/system?keyfile=/k%zz'), 'bad-escape', { title: "Write '%' as %25", preferred: true }), py('qemu+ssh://h/system?keyfile=/k%25zz'));
    assert.equal(fix(py('qemu+ssh://h/system?keyfile=/my key'), 'uri-syntax', { title: "Write ' ' as %20" }), py('qemu+ssh://h/system?keyfile=/my%20key'));
    assert.equal(fix(py('test:///tmp/hôte.xml'), 'uri-syntax'), py('test:///tmp/h%C3%B4te.xml'));
  });

  it('brackets an IPv6 host', () => {
    assert.equal(fix(py('qemu+tls://fd00::1/system'), 'uri-syntax', { title: 'Put the IPv6 address in brackets: [fd00::1]' }), py('qemu+tls://[fd00::1]/system'));
    assert.equal(fix(py('qemu+ssh://root@::1/system'), 'uri-syntax'), py('qemu+ssh://root@[::1]/system'));
  });

  it('tcp → tls', () => {
    assert.equal(fix(py('qemu+tcp://h/system'), 'plain-tcp', { title: 'Use the tls transport (encrypted)', preferred: false }), py('qemu+tls://h/system'));
  });

  it('removes a transport from a URI the client library handles', () => {
    assert.equal(fix(py('esx+ssh://h/'), 'missing-server', { title: "Remove '+ssh'" }), py('esx://h/'));
  });

  it('libvirt.conf: a misspelt setting, a value, an alias entry', () => {
    assert.equal(fix('uri_defualt = "qemu:///system"\n', 'unknown-setting', { languageId: 'libvirt-conf' }), 'uri_default = "qemu:///system"\n');
    assert.equal(fix('remote_mode = "legasy"\n', 'bad-parameter-value', { languageId: 'libvirt-conf' }), 'remote_mode = "legacy"\n');
    assert.equal(fix('uri_aliases = [ "hail=qemu://system" ]\n', 'maybe-you-want', { languageId: 'libvirt-conf' }), 'uri_aliases = [ "hail=qemu:///system" ]\n');
  });

  it('edits land in the document through templates and escapes', () => {
    assert.equal(fix('libvirt.open(f"qmeu+ssh://{host}/system")\n', 'unknown-driver'), 'libvirt.open(f"qemu+ssh://{host}/system")\n');
    assert.equal(fix('u = f"qemu+ssh://{host}/sytem?no_tty=1"\n', 'wrong-path'), 'u = f"qemu+ssh://{host}/system?no_tty=1"\n');
    assert.equal(fix('virsh -c qemu+ssh://h/sytem?keyfile=/k\\&no_tty=1 list\n', 'wrong-path', { languageId: 'shellscript' }),
      'virsh -c qemu+ssh://h/system?keyfile=/k\\&no_tty=1 list\n');
    assert.equal(fix('const char *u = "qemu+tcp://" HOST "/sytem";\n', 'wrong-path', { languageId: 'c' }), 'const char *u = "qemu+tcp://" HOST "/system";\n');
  });

  it('no fix is offered where its text cannot be written as it is', () => {
    // The duplicate's separator is the shell escape `\&`: removing it in place is left to the user.
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc('virsh -c "qemu+ssh://h/system?no_tty=1"\\&"no_tty=0" list\n', 'shellscript');
    const d = service.doValidation(document).filter((x) => x.code === 'duplicate-parameter');
    assert.equal(d.length, 1);
    assert.deepEqual(service.doCodeActions(document, { range: d[0].range, diagnostics: d }).filter((a) => a.edit), []);
  });

  it('a backslash is not percent-encoded: in source code it starts an escape sequence', () => {
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(py('test:///tmp/a\\tb.xml'));
    const d = service.doValidation(document);
    assert.deepEqual(d.map((x) => x.code), ['uri-syntax']);
    assert.deepEqual(service.doCodeActions(document, { range: d[0].range, diagnostics: d }).filter((a) => a.edit), []);
  });

  it('several close names: each offered, none preferred', () => {
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(py('vsx://h/'));
    const d = service.doValidation(document);
    const fixes = service.doCodeActions(document, { range: d[0].range, diagnostics: d }).filter((a) => a.edit);
    assert.ok(fixes.length > 1, JSON.stringify(fixes.map((a) => a.title)));
    assert.ok(fixes.every((a) => !a.isPreferred));
  });

  it('add command= for ext: the one error left asks for the program', () => {
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(py('qemu+ext:///system'));
    const d = service.doValidation(document);
    const [action] = service.doCodeActions(document, { range: d[0].range, diagnostics: d }).filter((a) => a.edit);
    assert.equal(action.title, 'Add command= (the program the ext transport runs)');
    assert.equal(action.isPreferred, false);
    const after = applied(document, action);
    assert.equal(after.getText(), py('qemu+ext:///system?command='));
    assert.deepEqual(service.doValidation(after).map((x) => x.code), ['bad-parameter-value']);
  });

  it('fixes made for an older version of the document are not offered', () => {
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(py('qmeu:///system'));
    const d = service.doValidation(document);
    const edited = TextDocument.create(document.uri, 'python', 2, document.getText());
    assert.deepEqual(service.doCodeActions(edited, { range: d[0].range, diagnostics: d }).filter((a) => a.edit), []);
  });
});

describe('for every diagnostic: disable for this line, change severity', () => {
  /** Resolves "Disable <code> for this line" on the diagnostic at the marked range; returns the edited text. */
  function disable(marked: string, languageId: string, code: string): string | undefined {
    const { text, start } = markedRange(marked);
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(text, languageId);
    const line = document.positionAt(start).line;
    const diagnostics = service.doValidation(document).filter((d) => d.code === code && d.range.start.line === line);
    assert.equal(diagnostics.length, 1, `${text}: ${code} on line ${line}`);
    const actions = service.doCodeActions(document, { range: diagnostics[0].range, diagnostics });
    const severity = actions.find((a) => a.title === `Change severity of ${code}`);
    assert.deepEqual(severity?.command, { title: `Change severity of ${code}`, command: 'libvirt.uri.changeSeverity', arguments: [code] });
    const action = actions.find((a) => a.title === `Disable ${code} for this line`);
    assert.ok(action && !action.edit);
    const resolved = service.resolveCodeAction(action, (uri) => (uri === document.uri ? document : undefined));
    if (!resolved.edit) return undefined;
    const after = applied(document, resolved);
    assert.deepEqual(service.doValidation(after).filter((d) => d.code === code), [], after.getText());
    assert.ok(findSuppressions(after.getText(), languageId).length > 0);
    return after.getText();
  }

  it('at the end of the line, in the host language comment syntax', () => {
    assert.equal(disable("conn = libvirt.open('‸qemu+tcp://h/system‸')\n", 'python', 'plain-tcp'),
      "conn = libvirt.open('qemu+tcp://h/system')  # virt-uri-disable-line plain-tcp\n");
    assert.equal(disable('const char *u = "‸qemu+tcp://h/system‸";\r\nint x;\r\n', 'c', 'plain-tcp'),
      'const char *u = "qemu+tcp://h/system";  // virt-uri-disable-line plain-tcp\r\nint x;\r\n');
    assert.equal(disable('uri: ‸qemu+tcp://h/system‸\n', 'yaml', 'plain-tcp'), 'uri: qemu+tcp://h/system  # virt-uri-disable-line plain-tcp\n');
    assert.equal(disable('Connect with ‸qemu+tcp://h/system‸.\n', 'markdown', 'plain-tcp'),
      'Connect with qemu+tcp://h/system.  <!-- virt-uri-disable-line plain-tcp -->\n');
    assert.equal(disable('```go\nu := "‸qemu+tcp://h/system‸"\n```\n', 'markdown', 'plain-tcp'),
      '```go\nu := "qemu+tcp://h/system"  // virt-uri-disable-line plain-tcp\n```\n');
  });

  it('on the line above where a comment cannot end the line', () => {
    assert.equal(disable('if x:\n    virsh -c ‸qemu+tcp://h/system‸ \\\n      list\n', 'shellscript', 'plain-tcp'),
      'if x:\n    # virt-uri-disable-next-line plain-tcp\n    virsh -c qemu+tcp://h/system \\\n      list\n');
  });

  it('nowhere inside a multi-line string', () => {
    assert.equal(disable('cat <<EOF\nvirsh -c ‸qemu+tcp://h/system‸ list \\\nEOF\n', 'shellscript', 'plain-tcp'), undefined);
  });
});

describe('fix all', () => {
  const whole = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const codes = (ds: Diagnostic[]) => ds.map((d) => `${d.range.start.line} ${d.code}`);
  const preferredLeft = (ds: Diagnostic[]) => ds.filter((d) => (d.data as LibvirtDiagnosticData | undefined)?.fixes.some((f) =>
    f.kind === 'add-slash' || f.kind === 'use-ampersand' || f.kind === 'remove-duplicate' || f.kind === 'percent-encode' || f.kind === 'bracket-ipv6' ||
    ((f.kind === 'did-you-mean' || f.kind === 'accepted-path') && f.best)));

  /**
   * One fix-all request on `text`, applied; checks that validating the result again finds no
   * preferred fix left and no error the text did not have. Returns the action and the fixed document.
   */
  function fixAllOnce(text: string, languageId = 'python'): { action: CodeAction; document: TextDocument; after: TextDocument; service: LanguageService } {
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(text, languageId);
    const before = service.doValidation(document);
    const actions = service.doCodeActions(document, { range: whole, diagnostics: [], only: ['source.fixAll'] });
    assert.equal(actions.length, 1, `${text}: ${JSON.stringify(actions)}`);
    assert.equal(actions[0].kind, FIX_ALL_KIND);
    const after = applied(document, actions[0]);
    const now = service.doValidation(after);
    assert.deepEqual(codes(preferredLeft(now)), [], `${after.getText()}: a preferred fix is left`);
    const old = new Set(errors(before));
    assert.deepEqual(errors(now).filter((e) => !old.has(e)), [], `${after.getText()}: new errors`);
    return { action: actions[0], document, after, service };
  }

  it('only when asked for', () => {
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(py('qemu://system'));
    assert.deepEqual(service.doCodeActions(document, { range: whole, diagnostics: [] }), []);
    assert.deepEqual(service.doCodeActions(document, { range: whole, diagnostics: [], only: ['quickfix'] }), []);
    assert.equal(service.doCodeActions(document, { range: whole, diagnostics: [], only: [FIX_ALL_KIND] }).length, 1);
  });

  it("qmeu:///sytem → qemu:///system in one request: the fixed driver's path rule is applied too, in small edits", () => {
    const { action, document, after } = fixAllOnce(py('qmeu:///sytem'));
    assert.equal(after.getText(), py('qemu:///system'));
    const edits = editsOf(action, document);
    assert.deepEqual(edits.map((e) => [e.range.start.line, e.range.start.character, e.range.end.character, e.newText]), [[1, 21, 25, 'qemu'], [1, 28, 34, '/system']]);
  });

  it('every URI of the document, each to its fixed point', () => {
    const { after, service } = fixAllOnce([
      "a = libvirt.open('qemu://system')",
      "b = libvirt.open('qmeu:///sytem')",
      "c = libvirt.open('qemu+ssh://h/sytem?keyfile=/k;no_verify=0&no_tty=1;no_tty=0&keyfile=/k%zz')",
      "d = libvirt.open('qemu+tcp://h/system')",
      "e = libvirt.open('qemu+libssh2://h/system?known_hosts_verify=maybe')",
      "f = libvirt.open('qemu+ssh://h/system?name=qmeu:///sytem')",
      '',
    ].join('\n'));
    assert.equal(after.getText(), [
      "a = libvirt.open('qemu:///system')",
      "b = libvirt.open('qemu:///system')",
      // The ';' is made an '&' before the duplicate keyfile is removed: no_verify=0 stays.
      "c = libvirt.open('qemu+ssh://h/system?no_verify=0&no_tty=0&keyfile=/k%25zz')",
      "d = libvirt.open('qemu+tcp://h/system')",
      "e = libvirt.open('qemu+libssh2://h/system?known_hosts_verify=maybe')",
      "f = libvirt.open('qemu+ssh://h/system?name=qemu:///system')",
      '',
    ].join('\n'));
    // What is left needs a person: tcp or tls, which known_hosts_verify.
    assert.deepEqual(codes(service.doValidation(after)), ['3 plain-tcp', '4 bad-parameter-value']);
    assert.deepEqual(service.doCodeActions(after, { range: whole, diagnostics: [], only: [FIX_ALL_KIND] }), []);
  });

  it('libvirt.conf: a fixed setting name brings its URI under validation, fixed in the same request', () => {
    const { after } = fixAllOnce('uri_defualt = "qmeu:///sytem"\nuri_aliases = [ "hail=qemu://system" ]\n', 'libvirt-conf');
    assert.equal(after.getText(), 'uri_default = "qemu:///system"\nuri_aliases = [ "hail=qemu:///system" ]\n');
  });

  it('through templates and escapes: holes and escapes kept as written', () => {
    assert.equal(fixAllOnce('libvirt.open(f"qmeu+ssh://{host}/sytem?no_tty=1;no_tty=0")\n').after.getText(),
      'libvirt.open(f"qemu+ssh://{host}/system?no_tty=0")\n');
    assert.equal(fixAllOnce('virsh -c qmeu+ssh://h/sytem?keyfile=/k\\&no_tty=1 list\n', 'shellscript').after.getText(),
      'virsh -c qemu+ssh://h/system?keyfile=/k\\&no_tty=1 list\n');
    // The duplicate's separator is the escape `\&`: the driver and path are fixed, the duplicate is left to the user.
    const { after, service } = fixAllOnce('virsh -c "qmeu+ssh://h/sytem?no_tty=1"\\&"no_tty=0" list\n', 'shellscript');
    assert.equal(after.getText(), 'virsh -c "qemu+ssh://h/system?no_tty=1"\\&"no_tty=0" list\n');
    assert.deepEqual(codes(service.doValidation(after)), ['0 duplicate-parameter']);
  });

  it('a fix that leaves an error it cannot fix is still taken when no more errors are left than before', () => {
    const service = getLanguageService({ aliases: () => new Map() });
    const document = doc(py('qmeu://sytem'));
    const [action] = service.doCodeActions(document, { range: whole, diagnostics: [], only: [FIX_ALL_KIND] });
    const after = applied(document, action);
    assert.equal(after.getText(), py('qemu://sytem'));
    assert.deepEqual(codes(service.doValidation(after)), ['1 wrong-path']);
  });

  it('the open document keeps its own validation: the fixed texts are validated apart', () => {
    // The passes make versions 2 and 3 of the text; the open document's next versions are other texts.
    for (const version of [2, 3]) {
      const service = getLanguageService({ aliases: () => new Map() });
      const document = doc(py('qmeu:///sytem'));
      assert.deepEqual(codes(service.doValidation(document)), ['1 unknown-driver']);
      assert.equal(service.doCodeActions(document, { range: whole, diagnostics: [], only: [FIX_ALL_KIND] }).length, 1);
      const next = TextDocument.create(document.uri, 'python', version, py('qemu+tcp://h/system'));
      assert.deepEqual(codes(service.doValidation(next)), ['1 plain-tcp'], `version ${version}`);
    }
  });
});

describe('fix all stops safely', () => {
  /** A validator of one diagnostic whose preferred fix turns each `from` into its `to`, for the texts that hold one. */
  function rules(pairs: [string, string][], errorsOf: (text: string) => number = () => 0): (document: TextDocument) => Diagnostic[] {
    return (document) => {
      const text = document.getText();
      const out: Diagnostic[] = [];
      for (const [from, to] of pairs) {
        const at = text.indexOf(from);
        if (at < 0) continue;
        const range = { start: document.positionAt(at), end: document.positionAt(at + from.length) };
        const data: LibvirtDiagnosticData = { version: document.version, fixes: [{ kind: 'did-you-mean', part: 'driver', to, best: true, edits: [{ range, newText: to }] }] };
        out.push({ range, code: 'unknown-driver', source: 'libvirt', severity: DiagnosticSeverity.Warning, message: from, data });
      }
      for (let i = errorsOf(text); i > 0; i--) out.push({ range: out[0]?.range ?? { start: document.positionAt(0), end: document.positionAt(0) }, code: 'uri-syntax', source: 'libvirt', severity: DiagnosticSeverity.Error, message: 'e' });
      return out;
    };
  }
  const run = (text: string, validate: (document: TextDocument) => Diagnostic[]): string | undefined => {
    const document = doc(text);
    const [action] = fixAll(document, [FIX_ALL_KIND], validate);
    return action && applied(document, action).getText();
  };

  it('fixes side by side are made together', () => {
    assert.equal(run('u = "abcd"\n', rules([['ab', 'X'], ['cd', 'Y']])), 'u = "XY"\n');
    assert.equal(run('u = "abcd"\n', rules([['cd', 'Y'], ['ab', 'X']])), 'u = "XY"\n');
  });

  it('overlapping fixes: the narrower one first, the other in the next pass if it still applies', () => {
    assert.equal(run('u = "k;n"\n', rules([['k;n', 'n'], [';', '&']])), 'u = "k&n"\n');
  });

  it('fixes that undo each other: the first pass is kept, the one that brings the text back is not taken', () => {
    assert.equal(run('u = "aaa"\n', rules([['aaa', 'bbb'], ['bbb', 'aaa']])), 'u = "bbb"\n');
  });

  it('a later pass that undoes part of an earlier one, while other fixes go on, stops there', () => {
    // Pass 1: aaa → bbb and xx → yy; pass 2 would make bbb aaa again (and yy zz): not taken.
    assert.equal(run('u = "aaa xx"\n', rules([['aaa', 'bbb'], ['xx', 'yy'], ['bbb', 'aaa'], ['yy', 'zz']])), 'u = "bbb yy"\n');
  });

  it('a chain longer than the passes allowed ends after the last pass', () => {
    const chain: [string, string][] = ['a0', 'a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7'].map((w, i, all) => [w, all[i + 1] ?? 'a8']);
    assert.match(run('u = "a0"\n', rules(chain))!, /^u = "a[1-7]"\n$/);
  });

  it('a pass that leaves more errors than the document had is not taken; a later one that mends them is', () => {
    assert.equal(run('u = "aaa"\n', rules([['aaa', 'bbb']], (t) => (t.includes('bbb') ? 1 : 0))), undefined);
    assert.equal(run('u = "aaa"\n', rules([['aaa', 'bbb'], ['bbb', 'ccc']], (t) => (t.includes('bbb') ? 1 : 0))), 'u = "ccc"\n');
  });
});
