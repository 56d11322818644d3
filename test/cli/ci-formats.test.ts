// `virt-uri check --format sarif|github`: what CI systems read.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import draft04 from 'ajv/lib/refs/json-schema-draft-04.json';
import { escapeData, escapeProperty, githubCommand, type Finding } from '../../server/src/cli/formats';
import { DIAGNOSTIC_DOCS } from '../../server/src/languageservice/catalog';
import { DIAGNOSTIC_CODES } from '../../server/src/languageservice/services/validation';
import { runVirtUri, type CliResult } from '../helpers/cli';
import { fixturesDir, repoRoot } from '../helpers/paths';

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
}
interface SarifRule {
  id: string;
  shortDescription: { text: string };
  fullDescription: { text: string };
  help: { text: string; markdown: string };
  defaultConfiguration: { level: string };
}
interface SarifLog {
  version: string;
  runs: {
    tool: { driver: { name: string; version: string; rules: SarifRule[] } };
    invocations: { executionSuccessful: boolean; toolExecutionNotifications: { level: string; message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] }[] }[];
    originalUriBaseIds: Record<string, { uri: string }>;
    results: SarifResult[];
  }[];
}

// The OASIS schema is draft-04 (`id`, not `$id`); 'full' checks the uri and uri-reference formats to the letter of RFC 3986.
const ajv = new Ajv({ schemaId: 'auto', format: 'full', allErrors: true });
ajv.addMetaSchema(draft04);
const validateSarif = ajv.compile(JSON.parse(readFileSync(path.join(fixturesDir, 'sarif', 'sarif-schema-2.1.0.json'), 'utf8')) as object);

function schemaErrors(log: unknown): string {
  return validateSarif(log) ? '' : ajv.errorsText(validateSarif.errors, { separator: '\n' });
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note', hint: 'note', information: 'note' } as const;

describe('virt-uri check for CI', () => {
  let home: string;
  let dir: string;
  const virtUri = (args: string[], cwd = repoRoot): CliResult => runVirtUri(args, { home, cwd });

  before(() => {
    home = mkdtempSync(path.join(tmpdir(), 'virt-uri-home-'));
    dir = mkdtempSync(path.join(tmpdir(), 'virt-uri-ci-'));
  });
  after(() => {
    rmSync(home, { recursive: true, force: true });
    rmSync(dir, { recursive: true, force: true });
  });

  it('every diagnostic code has its explanation in the catalog, and nothing else does', () => {
    assert.deepEqual(Object.keys(DIAGNOSTIC_DOCS).sort(), Object.keys(DIAGNOSTIC_CODES).sort());
    for (const [code, doc] of Object.entries(DIAGNOSTIC_DOCS)) {
      assert.ok(doc.title.length > 0 && doc.doc.length > doc.title.length, code);
    }
  });

  it('--format sarif is a SARIF 2.1.0 log the schema accepts, with the same findings as --format json', () => {
    const sarif = virtUri(['check', '--format', 'sarif', 'examples/']);
    const json = virtUri(['check', '--format', 'json', 'examples/']);
    assert.equal(sarif.status, 1);
    const log = JSON.parse(sarif.stdout) as SarifLog;
    assert.equal(schemaErrors(log), '');
    assert.equal(log.version, '2.1.0');
    const [run] = log.runs;
    assert.equal(run.tool.driver.name, 'virt-uri');
    assert.equal(run.tool.driver.version, (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version);
    assert.equal(run.invocations[0].executionSuccessful, true);

    const findings = JSON.parse(json.stdout) as Finding[];
    assert.equal(run.results.length, findings.length);
    run.results.forEach((r, i) => {
      const f = findings[i];
      const { artifactLocation, region } = r.locations[0].physicalLocation;
      assert.deepEqual(
        { ruleId: r.ruleId, rule: run.tool.driver.rules[r.ruleIndex].id, level: r.level, message: r.message.text, uri: artifactLocation.uri, region },
        { ruleId: f.code, rule: f.code, level: LEVEL[f.severity], message: f.message, uri: f.file, region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn } },
      );
      assert.equal(artifactLocation.uriBaseId, '%SRCROOT%');
    });
    assert.equal(fileURLToPath(new URL('examples/connect.py', run.originalUriBaseIds['%SRCROOT%'].uri)), path.join(repoRoot, 'examples', 'connect.py'));
  });

  it('--format sarif lists every diagnostic code as a rule with its explanation and default level', () => {
    const log = JSON.parse(virtUri(['check', '--format', 'sarif', 'examples/connect.py']).stdout) as SarifLog;
    const rules = log.runs[0].tool.driver.rules;
    assert.deepEqual(rules.map((r) => r.id), Object.keys(DIAGNOSTIC_CODES));
    for (const r of rules) {
      const doc = DIAGNOSTIC_DOCS[r.id];
      assert.equal(r.shortDescription.text, doc.title);
      assert.equal(r.fullDescription.text, doc.doc);
      assert.ok(r.help.markdown.startsWith(doc.doc));
      assert.equal(r.defaultConfiguration.level, LEVEL[DIAGNOSTIC_CODES[r.id as keyof typeof DIAGNOSTIC_CODES]]);
    }
  });

  it('--format sarif: file names become URI references, run problems become notifications', () => {
    mkdirSync(path.join(dir, 'odd dir'));
    const odd = path.join(dir, 'odd dir', 'a b#1%.py');
    writeFileSync(odd, "libvirt.open('qemu+tcp://h/system')\n");
    writeFileSync(path.join(dir, 'blob.py'), Buffer.from([0x71, 0x00]));
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'virt-uri-elsewhere-'));
    try {
      const outside = path.join(elsewhere, 'outside.sh');
      writeFileSync(outside, 'virsh -c qemu:///sytem list\n');
      const r = virtUri(['check', '--format', 'sarif', 'odd dir', 'blob.py', 'missing.py', outside], dir);
      assert.equal(r.status, 2);
      const log = JSON.parse(r.stdout) as SarifLog;
      assert.equal(schemaErrors(log), '');
      const [run] = log.runs;
      const base = run.originalUriBaseIds['%SRCROOT%'].uri;
      const located = run.results.map((x) => {
        const loc = x.locations[0].physicalLocation.artifactLocation;
        return [x.ruleId, loc.uri, fileURLToPath(loc.uriBaseId ? new URL(loc.uri, base) : new URL(loc.uri))];
      });
      // Sorted by the path shown: the absolute one first.
      assert.deepEqual(located, [
        ['wrong-path', `file://${outside}`, outside],
        ['plain-tcp', 'odd%20dir/a%20b%231%25.py', odd],
      ]);
      assert.equal(run.invocations[0].executionSuccessful, false);
      assert.deepEqual(run.invocations[0].toolExecutionNotifications.map((n) => [n.level, n.locations[0].physicalLocation.artifactLocation.uri, n.message.text]), [
        ['error', 'missing.py', 'no such file or directory'],
        ['note', 'blob.py', 'skipped (binary file)'],
      ]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('the schema check can fail: a log with a wrong level or a line 0 is refused', () => {
    const log = JSON.parse(virtUri(['check', '--format', 'sarif', 'examples/connect.py']).stdout) as SarifLog;
    const result = log.runs[0].results[0];
    result.level = 'info';
    assert.match(schemaErrors(log), /level/);
    result.level = 'error';
    result.locations[0].physicalLocation.region.startLine = 0;
    assert.match(schemaErrors(log), /startLine/);
  });

  it('--format github prints one workflow command per finding, its properties and message escaped', () => {
    const sub = path.join(dir, 'gh');
    mkdirSync(sub);
    writeFileSync(path.join(sub, 'odd, name: 100%.py'), "import libvirt\nlibvirt.open('qemu:///system?keyfile=%zz')\nlibvirt.open('qemu+tcp://h/system')\n");
    const r = virtUri(['check', '--format', 'github', '.'], sub);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, '1 error(s), 1 warning(s), 0 info in 1 file(s)\n');
    assert.equal(r.stdout, [
      '::error file=odd%2C name%3A 100%25.py,line=2,endLine=2,col=38,endColumn=39,title=virt-uri bad-escape::' +
        "internal error: Unable to parse URI qemu:///system?keyfile=%25zz — '%25' in the query must start a %25XX escape of two hex digits (write %2525 for a literal '%25')",
      '::warning file=odd%2C name%3A 100%25.py,line=3,endLine=3,col=20,endColumn=23,title=virt-uri plain-tcp::' +
        'the tcp transport is not encrypted: anyone on the network can read and alter the traffic unless SASL negotiates a security layer; prefer tls or ssh',
      '',
    ].join('\n'));
  });

  it('--format github follows the workflow-command syntax for every finding in examples/, and unescapes to the findings', () => {
    const lines = virtUri(['check', '--format', 'github', 'examples/']).stdout.trimEnd().split('\n');
    const findings = JSON.parse(virtUri(['check', '--format', 'json', 'examples/']).stdout) as Finding[];
    assert.equal(lines.length, findings.length);
    // ::command key=value,key=value::data — values without raw ',' ':' CR LF, '%' only in escapes.
    const escaped = '(?:[^%,:\\r\\n]|%(?:25|0D|0A|3A|2C))*';
    const syntax = new RegExp(`^::(error|warning|notice) ((?:[a-zA-Z]+=${escaped})(?:,[a-zA-Z]+=${escaped})*)::((?:[^%\\r\\n]|%(?:25|0D|0A))*)$`);
    const unescape = (s: string) => s.replace(/%(25|0D|0A|3A|2C)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    lines.forEach((line, i) => {
      const m = syntax.exec(line);
      assert.ok(m, `not a workflow command: ${line}`);
      const props = Object.fromEntries(m[2].split(',').map((kv) => [kv.slice(0, kv.indexOf('=')), unescape(kv.slice(kv.indexOf('=') + 1))]));
      const f = findings[i];
      assert.deepEqual(
        { command: m[1], ...props, message: unescape(m[3]) },
        { command: { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' }[f.severity], file: f.file, line: String(f.line),
          endLine: String(f.endLine), col: String(f.column), endColumn: String(f.endColumn), title: `virt-uri ${f.code}`, message: f.message },
      );
    });
  });

  it('escapes as the Actions toolkit does; a finding over several lines carries no columns', () => {
    assert.equal(escapeData('100% done\r\nnext'), '100%25 done%0D%0Anext');
    assert.equal(escapeProperty('a:b,c%d\ne'), 'a%3Ab%2Cc%25d%0Ae');
    const f: Finding = { file: 'x.yaml', line: 3, column: 5, endLine: 4, endColumn: 2, severity: 'info', code: 'unknown-parameter', message: 'two\nlines' };
    assert.equal(githubCommand(f), '::notice file=x.yaml,line=3,endLine=4,title=virt-uri unknown-parameter::two%0Alines');
  });
});
