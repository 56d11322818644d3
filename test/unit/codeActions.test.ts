// Quick fixes: each one applied to a document and the document validated again — the
// diagnostic it targets is gone and no new error appears.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, Diagnostic, DiagnosticSeverity, TextEdit } from 'vscode-languageserver-types';
import { FIX_ALL_KIND, getLanguageService } from '../../server/src/languageservice/languageService';
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
  it('every preferred fix of the document in one edit, only when asked for', () => {
    const service = getLanguageService({ aliases: () => new Map() });
    const text = [
      "a = libvirt.open('qemu://system')",
      "b = libvirt.open('qmeu:///sytem')",
      "c = libvirt.open('qemu+ssh://h/system?keyfile=/k;no_verify=0&no_tty=1&no_tty=0')",
      "d = libvirt.open('qemu+tcp://h/system')",
      "e = libvirt.open('qemu+libssh2://h/system?known_hosts_verify=maybe')",
      '',
    ].join('\n');
    const document = doc(text);
    const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    assert.deepEqual(service.doCodeActions(document, { range, diagnostics: [] }), []);
    const actions = service.doCodeActions(document, { range, diagnostics: [], only: ['source.fixAll'] });
    assert.equal(actions.length, 1);
    assert.equal(actions[0].kind, FIX_ALL_KIND);
    const after = applied(document, actions[0]);
    assert.equal(after.getText(), [
      "a = libvirt.open('qemu:///system')",
      "b = libvirt.open('qemu:///sytem')",
      "c = libvirt.open('qemu+ssh://h/system?keyfile=/k&no_verify=0&no_tty=0')",
      "d = libvirt.open('qemu+tcp://h/system')",
      "e = libvirt.open('qemu+libssh2://h/system?known_hosts_verify=maybe')",
      '',
    ].join('\n'));
    // A fixed driver brings its path rule: the next run fixes the path. What is left needs a person: tcp or tls, which known_hosts_verify.
    assert.deepEqual(service.doValidation(after).map((d) => `${d.range.start.line} ${d.code}`), ['1 wrong-path', '3 plain-tcp', '4 bad-parameter-value']);
    const again = applied(after, service.doCodeActions(after, { range, diagnostics: [], only: [FIX_ALL_KIND] })[0]);
    assert.deepEqual(service.doValidation(again).map((d) => `${d.range.start.line} ${d.code}`), ['3 plain-tcp', '4 bad-parameter-value']);
    assert.deepEqual(service.doCodeActions(again, { range, diagnostics: [], only: [FIX_ALL_KIND] }), []);
  });
});
