// `virt-uri check [paths…]`: the language service over files, for CI.
import { closeSync, openSync, readFileSync, readSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ignore, { Ignore } from 'ignore';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { LIBVIRT_VERSION } from '../languageservice/catalog';
import { DEFAULT_SETTINGS, describeNotShown, getLanguageService } from '../languageservice/languageService';
import { clientConfigPath, mergeAliases, parseLibvirtConf, readLibvirtConf } from '../languageservice/libvirtConf';
import { DEFAULT_MAX_DIAGNOSTICS, MAX_MAX_DIAGNOSTICS } from '../languageservice/limits';
import { languageIdForPath } from '../languageservice/regions';
import { githubCommand, sarifLog, type Finding, type RunNote } from './formats';

export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  cwd: string;
  /** virt-uri's version, for the SARIF log. */
  version: string;
}

const MAX_FILE_BYTES = 5 * 1024 * 1024;
const ALWAYS_SKIPPED = new Set(['.git', 'node_modules']);
const SEVERITY_NAME: Record<DiagnosticSeverity, Finding['severity']> = {
  [DiagnosticSeverity.Error]: 'error',
  [DiagnosticSeverity.Warning]: 'warning',
  [DiagnosticSeverity.Information]: 'info',
  [DiagnosticSeverity.Hint]: 'hint',
};

export const CHECK_USAGE = `usage: virt-uri check [--format text|json|sarif|github] [--max-diagnostics N] [paths…]

Finds libvirt connection URIs in the files and folders given (default: the current folder),
checks them as ${LIBVIRT_VERSION} would, and prints one line per problem:
  path:line:col  severity  code  message
Folders are walked recursively, skipping what .gitignore files ignore.
At most N problems are printed per file (default ${DEFAULT_MAX_DIAGNOSTICS}); the rest are counted.

  --format json     the findings as a JSON array
  --format sarif    a SARIF 2.1.0 log (GitHub code scanning and other SARIF viewers), every
                    diagnostic code a rule with its explanation
  --format github   GitHub Actions workflow commands: annotations on the pull request

Exit status: 1 if any error was found, 0 otherwise, 2 on bad usage or unreadable paths.`;

class UsageError extends Error {}

const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
type Format = (typeof FORMATS)[number];

interface Args {
  format: Format;
  maxDiagnostics: number;
  paths: string[];
  help: boolean;
}

function parseArgs(argv: string[]): Args {
  let format: Format = 'text';
  let maxDiagnostics = DEFAULT_MAX_DIAGNOSTICS;
  const paths: string[] = [];
  let help = false;
  const given = (v: string | undefined): string => (v === undefined ? 'nothing' : `'${v}'`);
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') help = true;
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const known = FORMATS.find((f) => f === v);
      if (!known) throw new UsageError(`--format takes ${FORMATS.join(', ')}, not ${given(v)}`);
      format = known;
    } else if (a === '--max-diagnostics' || a.startsWith('--max-diagnostics=')) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || !/^[1-9][0-9]*$/.test(v) || Number(v) > MAX_MAX_DIAGNOSTICS) {
        throw new UsageError(`--max-diagnostics takes a whole number from 1 to ${MAX_MAX_DIAGNOSTICS}, not ${given(v)}`);
      }
      maxDiagnostics = Number(v);
    } else if (a === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    } else if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
    else paths.push(a);
  }
  return { format, maxDiagnostics, paths: paths.length > 0 ? paths : ['.'], help };
}

interface WalkEvents {
  file(file: string): void;
  /** A folder that cannot be read. */
  problem(p: string, why: string): void;
  /** An entry that is not followed: a symbolic link, FIFO, socket or device. */
  skipped(p: string, why: string): void;
}

/** Walks a folder, honouring .gitignore files on the way down (paths relative to the walk's root). */
function walk(root: string, on: WalkEvents): void {
  const visit = (dir: string, rules: { base: string; ig: Ignore }[]): void => {
    let ownRules = rules;
    try {
      const text = readFileSync(path.join(dir, '.gitignore'), 'utf8');
      ownRules = [...rules, { base: dir, ig: ignore().add(text) }];
    } catch {
      // No .gitignore here.
    }
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    } catch (e) {
      on.problem(dir, (e as NodeJS.ErrnoException).code ?? String(e));
      return;
    }
    for (const e of entries) {
      if (ALWAYS_SKIPPED.has(e.name)) continue;
      const full = path.join(dir, e.name);
      const ignored = ownRules.some(({ base, ig }) => {
        const rel = path.relative(base, full).split(path.sep).join('/');
        return ig.ignores(e.isDirectory() ? rel + '/' : rel);
      });
      if (ignored) continue;
      if (e.isDirectory()) visit(full, ownRules);
      else if (e.isFile()) {
        if (fileLanguage(full)) on.file(full);
      } else on.skipped(full, e.isSymbolicLink() ? 'symbolic link' : 'not a regular file');
    }
  };
  visit(root, []);
}

/** By name or extension; a file without extension by its `#!` line. */
function fileLanguage(file: string): string | undefined {
  const byName = languageIdForPath(file);
  if (byName || path.extname(file) !== '') return byName;
  try {
    const fd = openSync(file, 'r');
    try {
      const head = Buffer.alloc(256);
      const n = readSync(fd, head, 0, head.length, 0);
      return languageIdForPath(file, head.subarray(0, n).toString('utf8').split('\n')[0]);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function describeError(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  switch (err.code) {
    case 'ENOENT': return 'no such file or directory';
    case 'EACCES': case 'EPERM': return 'permission denied';
    case 'EISDIR': return 'is a directory';
    default: return err.message ?? String(e);
  }
}

export function runCheck(argv: string[], io: CliIo): number {
  let args;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.stderr.write(`virt-uri check: ${(e as Error).message}\n${CHECK_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    io.stdout.write(CHECK_USAGE + '\n');
    return 0;
  }
  let trouble = false;
  // Said on stderr at once, and kept for the SARIF log's notifications.
  const notes: RunNote[] = [];
  const problem = (p: string, why: string): void => {
    trouble = true;
    notes.push({ file: p, level: 'error', message: why });
    io.stderr.write(`virt-uri check: ${p}: ${why}\n`);
  };
  const note = (p: string, why: string): void => {
    notes.push({ file: p, level: 'note', message: `skipped (${why})` });
    io.stderr.write(`virt-uri check: ${p}: skipped (${why})\n`);
  };

  const files: { display: string; full: string }[] = [];
  for (const given of args.paths) {
    const full = path.resolve(io.cwd, given);
    let st;
    try {
      st = statSync(full);
    } catch (e) {
      problem(given, describeError(e));
      continue;
    }
    if (st.isDirectory()) {
      walk(full, {
        file: (f) => files.push({ display: displayPath(io.cwd, f), full: f }),
        problem: (p, why) => problem(displayPath(io.cwd, p), why),
        skipped: (p, why) => note(displayPath(io.cwd, p), why),
      });
    } else if (st.isFile()) {
      files.push({ display: displayPath(io.cwd, full), full });
    } else {
      // A FIFO or device would block or never end.
      problem(given, 'not a regular file');
    }
  }

  const texts = new Map<string, string>();
  for (const f of files) {
    let buf: Buffer;
    try {
      if (statSync(f.full).size > MAX_FILE_BYTES) {
        note(f.display, `larger than ${MAX_FILE_BYTES / 1024 / 1024} MB`);
        continue;
      }
      buf = readFileSync(f.full);
    } catch (e) {
      problem(f.display, describeError(e));
      continue;
    }
    if (buf.subarray(0, 8192).includes(0)) {
      note(f.display, 'binary file');
      continue;
    }
    texts.set(f.display, buf.toString('utf8'));
  }

  // Aliases: libvirt.conf files being checked, then the user's own configuration.
  const confAliases = [...texts]
    .filter(([display]) => languageIdForPath(display) === 'libvirt-conf')
    .map(([, text]) => parseLibvirtConf(text).aliases);
  const aliases = mergeAliases(...confAliases, readLibvirtConf(clientConfigPath()).aliases);
  const service = getLanguageService({ aliases: () => aliases });

  const findings: Finding[] = [];
  const settings = { ...DEFAULT_SETTINGS, maxDiagnostics: args.maxDiagnostics };
  const notShown = { error: 0, warning: 0, information: 0, hint: 0 };
  const notShownNotes: RunNote[] = [];
  for (const f of files) {
    const text = texts.get(f.display);
    if (text === undefined) continue;
    const languageId = languageIdForPath(f.full, text.split('\n', 1)[0]) ?? 'plaintext';
    const doc = TextDocument.create(`file://${f.full}`, languageId, 1, text);
    const result = service.validate(doc, settings);
    if (result.firstNotShown) {
      const count = Object.values(result.notShown).reduce((a, b) => a + b, 0);
      for (const s of Object.keys(notShown) as (keyof typeof notShown)[]) notShown[s] += result.notShown[s];
      notShownNotes.push({
        file: f.display,
        level: 'warning',
        message: `${count} more not shown (${describeNotShown(result.notShown)}), from line ${result.firstNotShown.start.line + 1} on; ` +
          `the limit is ${args.maxDiagnostics} per file (--max-diagnostics)`,
      });
    }
    for (const d of result.diagnostics) {
      findings.push({
        file: f.display,
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        severity: SEVERITY_NAME[d.severity ?? DiagnosticSeverity.Error],
        code: String(d.code),
        message: typeof d.message === 'string' ? d.message : d.message.value,
      });
    }
  }
  findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column));

  const count = (s: string): number => findings.filter((f) => f.severity === s).length;
  const errors = count('error') + notShown.error;
  const writeNotShown = (): void => {
    for (const n of notShownNotes) io.stderr.write(`virt-uri check: ${n.file}: ${n.message}\n`);
  };
  if (args.format === 'json') {
    io.stdout.write(JSON.stringify(findings, null, 2) + '\n');
    writeNotShown();
  } else if (args.format === 'sarif') {
    const log = sarifLog(findings, [...notes, ...notShownNotes], { cwd: io.cwd, version: io.version, successful: !trouble });
    io.stdout.write(JSON.stringify(log, null, 2) + '\n');
    writeNotShown();
  } else {
    const line = args.format === 'github' ? githubCommand : (f: Finding) => `${f.file}:${f.line}:${f.column}  ${f.severity}  ${f.code}  ${f.message}`;
    for (const f of findings) io.stdout.write(line(f) + '\n');
    writeNotShown();
    io.stderr.write(`${errors} error(s), ${count('warning') + notShown.warning} warning(s), ${count('info') + notShown.information} info ` +
      `in ${texts.size} file(s)\n`);
  }
  if (trouble) return 2;
  return errors > 0 ? 1 : 0;
}

function displayPath(cwd: string, full: string): string {
  const rel = path.relative(cwd, full);
  return rel === '' ? '.' : rel.startsWith('..') ? full : rel;
}
