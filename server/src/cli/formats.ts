// What `virt-uri check` prints for CI systems: SARIF 2.1.0 (code scanning, with the diagnostic
// codes as rules) and GitHub Actions workflow commands (annotations on a pull request).
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { DIAGNOSTIC_DOCS } from '../languageservice/catalog';
import { DIAGNOSTIC_CODES, type DiagnosticCode, type Severity } from '../languageservice/services/validation';

/** One diagnostic as the CLI reports it: 1-based lines and columns, the end column exclusive. */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  code: string;
  message: string;
}

/** Something about the run rather than a URI: an unreadable path, a skipped file, findings over the limit. */
export interface RunNote {
  file: string;
  level: 'error' | 'warning' | 'note';
  message: string;
}

export const SARIF_SCHEMA = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';
const SARIF_LEVEL: Record<Finding['severity'] | Severity, 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  info: 'note',
  information: 'note',
  hint: 'note',
};

/** A displayed path as a SARIF artifact location: relative ones against %SRCROOT% (the current folder). */
function artifactLocation(file: string): { uri: string; uriBaseId?: string } {
  if (path.isAbsolute(file)) return { uri: pathToFileURL(file).href };
  return { uri: file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
}

function rule(code: DiagnosticCode) {
  const doc = DIAGNOSTIC_DOCS[code];
  const level = SARIF_LEVEL[DIAGNOSTIC_CODES[code]];
  return {
    id: code,
    name: code.replace(/(^|-)([a-z])/g, (_, _sep: string, c: string) => c.toUpperCase()),
    shortDescription: { text: doc.title },
    fullDescription: { text: doc.doc },
    help: {
      text: doc.doc,
      markdown: `${doc.doc}\n\nDefault severity: ${DIAGNOSTIC_CODES[code]}. Change it with the \`libvirt.uri.severity\` setting, ` +
        `or silence one line with \`virt-uri-disable-line ${code}\` in a comment.`,
    },
    defaultConfiguration: { level },
  };
}

export interface SarifRun {
  /** Paths in findings and notes are relative to this folder unless absolute. */
  cwd: string;
  version: string;
  /** False when a path could not be read (exit status 2). */
  successful: boolean;
}

/** The SARIF log of one `virt-uri check` run; every diagnostic code is a rule, found or not. */
export function sarifLog(findings: readonly Finding[], notes: readonly RunNote[], run: SarifRun): object {
  const codes = Object.keys(DIAGNOSTIC_CODES) as DiagnosticCode[];
  const ruleIndex = new Map<string, number>(codes.map((c, i) => [c, i]));
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'virt-uri', version: run.version, semanticVersion: run.version, rules: codes.map(rule) } },
        invocations: [
          {
            executionSuccessful: run.successful,
            toolExecutionNotifications: notes.map((n) => ({
              level: n.level,
              message: { text: n.message },
              locations: [{ physicalLocation: { artifactLocation: artifactLocation(n.file) } }],
            })),
          },
        ],
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(run.cwd + path.sep).href } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: ruleIndex.get(f.code),
          level: SARIF_LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: artifactLocation(f.file),
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

/** A workflow command's message: `%`, CR and LF would end or corrupt the command. */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value: also `:` and `,`, which separate the properties. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

const GITHUB_COMMAND: Record<Finding['severity'], 'error' | 'warning' | 'notice'> = {
  error: 'error',
  warning: 'warning',
  info: 'notice',
  hint: 'notice',
};

/**
 * One `::error file=…,line=…::message` line per finding, which GitHub Actions turns into an
 * annotation on the pull request. Columns only for a finding on one line, as GitHub requires.
 */
export function githubCommand(f: Finding): string {
  const props: [string, string | number][] = [['file', f.file.split(path.sep).join('/')], ['line', f.line], ['endLine', f.endLine]];
  if (f.line === f.endLine) props.push(['col', f.column], ['endColumn', f.endColumn]);
  props.push(['title', `virt-uri ${f.code}`]);
  return `::${GITHUB_COMMAND[f.severity]} ${props.map(([k, v]) => `${k}=${escapeProperty(String(v))}`).join(',')}::${escapeData(f.message)}`;
}
