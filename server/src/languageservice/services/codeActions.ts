// Quick fixes: the fixes validation attached to each diagnostic (LibvirtDiagnosticData), a
// suppression comment and the severity setting for every diagnostic, and "fix all" (every
// certainly-right fix of the document in one edit, for editor.codeActionsOnSave).
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeAction, CodeActionKind, Diagnostic, DiagnosticSeverity, Range, TextEdit } from 'vscode-languageserver-types';
import { CHANGE_SEVERITY_COMMAND } from '../../languageserver/requests';
import { HOST_LANGUAGES, ScannerKind, isHostLanguage } from '../languages';
import { RegionCache } from '../regions';
import { scanDocument } from '../regions/scan';
import { DIAGNOSTIC_CODES, DiagnosticCode, LibvirtDiagnosticData, UriFix } from './validation';

export const FIX_ALL_KIND = 'source.fixAll.libvirt';
export const CODE_ACTION_KINDS: readonly string[] = [CodeActionKind.QuickFix, FIX_ALL_KIND];

/** What a "Disable <code> for this line" action carries until it is resolved into an edit. */
export interface DisableLineData {
  disable: { uri: string; version: number; code: DiagnosticCode; line: number };
}

export interface CodeActionRequest {
  range: Range;
  diagnostics: readonly Diagnostic[];
  /** Kinds asked for; all when absent. */
  only?: readonly string[];
}

const PART_NAMES = { driver: 'driver', transport: 'transport', parameter: 'parameter', value: 'value', setting: 'setting' } as const;

function title(fix: UriFix<TextEdit>): string {
  switch (fix.kind) {
    case 'did-you-mean': return `Change the ${PART_NAMES[fix.part]} to '${fix.to}'`;
    case 'add-slash': return `Change to ${fix.to}`;
    case 'accepted-path': return `Change the path to '${fix.to}'`;
    case 'drop-host': return 'Remove the host (the unix transport connects on this machine)';
    case 'drop-transport': return `Remove '+${fix.transport}'`;
    case 'use-ampersand': return "Separate the parameters with '&'";
    case 'remove-duplicate': return `Remove the '${fix.name}' that libvirt ignores`;
    case 'percent-encode': return `Write '${fix.from}' as ${fix.to}`;
    case 'bracket-ipv6': return `Put the IPv6 address in brackets: ${fix.to}`;
    case 'add-command': return 'Add command= (the program the ext transport runs)';
    case 'use-tls': return 'Use the tls transport (encrypted)';
  }
}

/** The fix that is certainly right: applied by "fix all". */
function isPreferred(fix: UriFix<TextEdit>): boolean {
  switch (fix.kind) {
    case 'did-you-mean':
    case 'accepted-path':
      return fix.best;
    case 'add-slash':
    case 'use-ampersand':
    case 'remove-duplicate':
    case 'percent-encode':
    case 'bracket-ipv6':
      return true;
    default:
      return false;
  }
}

function isLibvirtCode(code: Diagnostic['code']): code is DiagnosticCode {
  return typeof code === 'string' && Object.prototype.hasOwnProperty.call(DIAGNOSTIC_CODES, code);
}

/** The diagnostic's fixes, when they were made for this version of the document. */
function fixesOf(d: Diagnostic, document: TextDocument): UriFix<TextEdit>[] {
  const data = d.data as Partial<LibvirtDiagnosticData> | undefined;
  if (d.source !== 'libvirt' || !data || data.version !== document.version || !Array.isArray(data.fixes)) return [];
  return data.fixes;
}

function wants(only: readonly string[] | undefined, kind: string): boolean {
  return !only || only.some((o) => kind === o || kind.startsWith(o + '.'));
}

function editOf(document: TextDocument, edits: TextEdit[]): CodeAction['edit'] {
  return { changes: { [document.uri]: edits } };
}

/** Quick fixes for the diagnostics in the request, then a suppression and the severity setting for each. */
export function quickFixes(document: TextDocument, request: CodeActionRequest): CodeAction[] {
  if (!wants(request.only, CodeActionKind.QuickFix)) return [];
  const actions: CodeAction[] = [];
  const others: CodeAction[] = [];
  const seen = new Set<string>();
  for (const d of request.diagnostics) {
    if (!isLibvirtCode(d.code) || d.source !== 'libvirt') continue;
    for (const fix of fixesOf(d, document)) {
      actions.push({ title: title(fix), kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: isPreferred(fix), edit: editOf(document, fix.edits) });
    }
    const line = d.range.start.line;
    // One suppression per code and line, one severity action per code.
    if (!seen.has(`${d.code} ${line}`)) {
      seen.add(`${d.code} ${line}`);
      const data: DisableLineData = { disable: { uri: document.uri, version: document.version, code: d.code, line } };
      others.push({ title: `Disable ${d.code} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], data });
    }
    if (!seen.has(d.code)) {
      seen.add(d.code);
      others.push({
        title: `Change severity of ${d.code}`, kind: CodeActionKind.QuickFix, diagnostics: [d],
        command: { title: `Change severity of ${d.code}`, command: CHANGE_SEVERITY_COMMAND, arguments: [d.code] },
      });
    }
  }
  return [...actions, ...others];
}

/** A change of the original text: [start, end) replaced by newText. */
interface Change {
  start: number;
  end: number;
  newText: string;
}

/** Passes of fix all at most: a fix may bring the rule that needs the next (a fixed driver, its path). */
const MAX_FIX_PASSES = 4;

/**
 * Every preferred fix of the document in one action, to the fixed point: the fixed text is
 * validated again and the fixes that now appear are applied too, for a few passes at most.
 * Fixes that undo each other stop it: a pass that brings back a text seen before, as a whole
 * or where an earlier pass changed it, is not taken. The result is the last pass that leaves
 * no more errors than the document had; its edit holds the changes of all passes, in the
 * original document's ranges.
 */
export function fixAll(document: TextDocument, only: readonly string[] | undefined, validate: (document: TextDocument) => readonly Diagnostic[]): CodeAction[] {
  // Only on request: editor.codeActionsOnSave, or the Source Action menu.
  if (!only || !only.some((o) => FIX_ALL_KIND === o || FIX_ALL_KIND.startsWith(o + '.'))) return [];
  const original = document.getText();
  let diagnostics = validate(document);
  const errorsBefore = errorCount(diagnostics);
  const seen = new Set([original]);
  let current = document;
  let changes: Change[] = [];
  let result: Change[] = [];
  for (let pass = 0; pass < MAX_FIX_PASSES; pass++) {
    const edits = preferredEdits(current, diagnostics);
    if (edits.length === 0) break;
    const text = applyChanges(current.getText(), edits);
    const composed = compose(original, changes, edits);
    if (seen.has(text) || composed.some((c) => c.newText === original.slice(c.start, c.end))) break;
    seen.add(text);
    changes = composed;
    current = TextDocument.create(current.uri, current.languageId, current.version + 1, text);
    diagnostics = validate(current);
    if (errorCount(diagnostics) <= errorsBefore) result = changes;
  }
  if (result.length === 0) return [];
  const edits = result.map((c) => ({ range: { start: document.positionAt(c.start), end: document.positionAt(c.end) }, newText: c.newText }));
  return [{ title: 'Fix all libvirt URI problems', kind: FIX_ALL_KIND, edit: editOf(document, edits) }];
}

/**
 * The preferred fix of each diagnostic, as edits in offsets, sorted. Where fixes overlap the
 * narrower one is made and the other waits for the next pass: a duplicate whose separator is a
 * wrong ';' is removed once the ';' is an '&', and then takes no other parameter with it.
 */
function preferredEdits(document: TextDocument, diagnostics: readonly Diagnostic[]): Change[] {
  const fixes: Change[][] = [];
  for (const d of diagnostics) {
    const fix = fixesOf(d, document).find(isPreferred);
    if (fix) fixes.push(fix.edits.map((e) => ({ start: document.offsetAt(e.range.start), end: document.offsetAt(e.range.end), newText: e.newText })));
  }
  const width = (edits: Change[]) => edits.reduce((n, e) => n + e.end - e.start, 0);
  fixes.sort((a, b) => width(a) - width(b));
  const kept: Change[] = [];
  for (const edits of fixes) {
    if (edits.some((e) => overlapsKept(kept, e))) continue;
    // Before the first kept edit that ends after e starts: one that ends where e starts stays before it.
    for (const e of edits) kept.splice(firstEndingAt(kept, e.start + 1), 0, e);
  }
  return kept;
}

/** Whether `e` overlaps an edit of `kept` (sorted, apart), or inserts where one starts or ends. */
function overlapsKept(kept: readonly Change[], e: Change): boolean {
  for (let i = firstEndingAt(kept, e.start); i < kept.length && kept[i].start <= e.end; i++) {
    const k = kept[i];
    if ((e.start < k.end && k.start < e.end) || e.start === e.end || k.start === k.end) return true;
  }
  return false;
}

/** The index of the first edit of `kept` that ends at `offset` or later. */
function firstEndingAt(kept: readonly Change[], offset: number): number {
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (kept[mid].end < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function applyChanges(text: string, edits: readonly Change[]): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start) + e.newText;
    at = e.end;
  }
  return out + text.slice(at);
}

/**
 * `changes` of `original` followed by `edits` (sorted, in offsets of the changed text), as
 * changes of `original`: an edit that touches a change is merged with it.
 */
function compose(original: string, changes: readonly Change[], edits: readonly Change[]): Change[] {
  const out: Change[] = [];
  const push = (c: Change): void => {
    const last = out[out.length - 1];
    if (last !== undefined && last.end >= c.start) out[out.length - 1] = { start: last.start, end: c.end, newText: last.newText + original.slice(last.end, c.start) + c.newText };
    else out.push(c);
  };
  let i = 0;
  // Offset in the changed text minus offset in the original, after the changes passed.
  let delta = 0;
  const pass = (c: Change): void => {
    delta += c.newText.length - (c.end - c.start);
    i++;
  };
  for (const e of edits) {
    while (i < changes.length && changes[i].start + delta + changes[i].newText.length < e.start) {
      push(changes[i]);
      pass(changes[i]);
    }
    let start = e.start - delta;
    let prefix = '';
    if (i < changes.length && changes[i].start + delta <= e.start) {
      start = changes[i].start;
      prefix = changes[i].newText.slice(0, e.start - (changes[i].start + delta));
    }
    let suffix = '';
    let end = -1;
    while (i < changes.length && changes[i].start + delta <= e.end) {
      const c = changes[i];
      const changedEnd = c.start + delta + c.newText.length;
      if (changedEnd > e.end) {
        suffix = c.newText.slice(e.end - (c.start + delta));
        end = c.end;
      }
      pass(c);
    }
    push({ start, end: end >= 0 ? end : e.end - delta, newText: prefix + e.newText + suffix });
  }
  for (; i < changes.length; i++) push(changes[i]);
  return out;
}

function errorCount(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === DiagnosticSeverity.Error).length;
}

/** Line comments that can carry a suppression marker, by scanner; Markdown's fences hold other languages. */
const COMMENTS: Readonly<Record<ScannerKind, readonly [string, string][]>> = {
  python: [['#', '']], ruby: [['#', '']], shell: [['#', '']], yaml: [['#', '']], hcl: [['#', '']], conf: [['#', '']], plain: [['#', '']],
  c: [['//', ''], ['/*', ' */']], cpp: [['//', '']], go: [['//', '']], rust: [['//', '']], js: [['//', '']], java: [['//', '']],
  markdown: [['<!--', ' -->'], ['#', ''], ['//', '']],
};

/**
 * The edit of a "Disable <code> for this line" action: a marker comment at the end of the line,
 * or on a line of its own above it. Each try is checked by scanning the edited text: the marker
 * must be read as a suppression of that line, and the URIs must stay as they were (a `#` inside
 * a heredoc is no comment; one after a `\` line continuation would end the command).
 */
export function disableLineEdit(document: TextDocument, regions: RegionCache, data: DisableLineData['disable']): TextEdit | undefined {
  if (data.version !== document.version || !isHostLanguage(document.languageId) || data.line >= document.lineCount) return undefined;
  const text = document.getText();
  const lineStart = document.offsetAt({ line: data.line, character: 0 });
  let lineEnd = data.line + 1 < document.lineCount ? document.offsetAt({ line: data.line + 1, character: 0 }) : text.length;
  while (lineEnd > lineStart && (text[lineEnd - 1] === '\n' || text[lineEnd - 1] === '\r')) lineEnd--;
  const lineText = text.slice(lineStart, lineEnd);
  const previous = data.line > 0 ? document.getText({ start: { line: data.line - 1, character: 0 }, end: { line: data.line, character: 0 } }).trimEnd() : '';
  const eol = text.slice(lineEnd, lineEnd + (text[lineEnd] === '\r' && text[lineEnd + 1] === '\n' ? 2 : 1)) || '\n';
  const indent = /^[ \t]*/.exec(lineText)![0];
  const before = regions.get(document);
  const tries: { edit: TextEdit; at: number; line: number }[] = [];
  for (const [open, close] of COMMENTS[HOST_LANGUAGES[document.languageId].scanner]) {
    if (!lineText.trimEnd().endsWith('\\')) {
      const position = document.positionAt(lineEnd);
      const newText = `${lineText.trim() === '' ? '' : '  '}${open} virt-uri-disable-line ${data.code}${close}`;
      tries.push({ edit: { range: { start: position, end: position }, newText }, at: lineEnd, line: data.line });
    }
    if (!previous.endsWith('\\')) {
      const position = { line: data.line, character: 0 };
      const newText = `${indent}${open} virt-uri-disable-next-line ${data.code}${close}${eol}`;
      tries.push({ edit: { range: { start: position, end: position }, newText }, at: lineStart, line: data.line + 1 });
    }
  }
  for (const t of tries) {
    const edited = text.slice(0, t.at) + t.edit.newText + text.slice(t.at);
    const scan = scanDocument(edited, document.languageId, true);
    if (!scan.suppressions.some((s) => s.line === t.line && s.codes.includes(data.code))) continue;
    const after = scan.candidates;
    if (after.length === before.length && after.every((c, i) => c.text === before[i].text)) return t.edit;
  }
  return undefined;
}

/** A "Disable <code> for this line" action with its edit, when the document it names is open and unchanged. */
export function resolveDisableLine(action: CodeAction, documents: (uri: string) => TextDocument | undefined, regions: RegionCache): CodeAction {
  const data = (action.data as Partial<DisableLineData> | undefined)?.disable;
  const document = data && typeof data.uri === 'string' ? documents(data.uri) : undefined;
  const edit = document && disableLineEdit(document, regions, data!);
  return edit ? { ...action, edit: editOf(document, [edit]) } : action;
}
