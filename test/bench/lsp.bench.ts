// npm run bench:lsp — the language service on a 1 MB Python file with ~2,000 URIs, against one
// plain regex pass over the same text, plus the server's RSS with the document open.
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DEFAULT_SETTINGS, getLanguageService } from '../../server/src/languageservice/languageService';
import { LspTestClient } from '../helpers/lspClient';

// {n} makes most URIs distinct, so no verdict is reused within a run; a third are broken.
const URIS = [
  'qemu:///system', 'qemu+ssh://root@node{n}.example.com/system?keyfile=/root/.ssh/id_ed25519&no_tty=1', 'qemu+foo://node{n}/system',
  'qemu://system', 'qemu+tcp://node{n}.example.com:16509/system', 'xen+ssh://root@node{n}.example.com/', 'test:///srv/hosts/{n}.xml',
  'qemu+unix://node{n}/system', 'qemu+libssh2://node{n}/system?known_hosts_verify=maybe', 'qemu+tls://[fd00::{n}]/sytem',
];
const FILLER = [
  'def handler_{n}(event, context):',
  '    value = compute_something(event["payload"], retries=3, timeout=2.5)  # keep going',
  '    logger.info("processing %s with %d items", event.get("id"), len(value))',
  "    url = 'https://api.example.com/v1/items/{n}?page=2'",
  '    return {"status": "ok", "count": len(value), "items": [x for x in value if x]}',
  '    # retry with a larger timeout when the remote end is slow',
  '',
];

function generate(): string {
  const lines: string[] = ['import libvirt', 'import logging', ''];
  let n = 0;
  let bytes = 0;
  while (bytes < 1_000_000) {
    for (const f of FILLER) {
      const line = f.replace('{n}', String(n));
      lines.push(line);
      bytes += line.length + 1;
    }
    // One URI every ~10 lines gives ~2,000 in 20k lines.
    const line = `    conn_${n} = libvirt.open('${URIS[n % URIS.length].replace('{n}', String(n))}')`;
    lines.push(line, '');
    bytes += line.length + 2;
    n++;
  }
  return lines.join('\n');
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(runs: number, fn: () => number): { ms: number; result: number } {
  let result = 0;
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    result = fn();
    samples.push(performance.now() - t);
  }
  return { ms: median(samples), result };
}

async function main(): Promise<void> {
  const text = generate();
  const lineCount = text.split('\n').length;
  const RUNS = 15;

  const regex = time(RUNS, () => {
    let count = 0;
    const re = /[a-z][a-z0-9+]*:\/\/[^\s'"]*/g;
    while (re.exec(text)) count++;
    return count;
  });

  const aliases = new Map<string, string>();
  // Every diagnostic built, above the default limit of 1000, as before the limit existed.
  const all = { ...DEFAULT_SETTINGS, maxDiagnostics: 100_000 };
  // Cold: a fresh service each run, so nothing is remembered between runs.
  const cold = time(RUNS, () => getLanguageService({ aliases: () => aliases }).doValidation(TextDocument.create('file:///bench.py', 'python', 1, text), all).length);
  // Warm: the editor case, one line edited in a document the service has seen.
  const service = getLanguageService({ aliases: () => aliases });
  service.doValidation(TextDocument.create('file:///bench.py', 'python', 1, text), all);
  let version = 1;
  const edited = text.replace("libvirt.open('qemu:///system')", "libvirt.open('qemu:///sys')");
  const warm = time(RUNS, () => service.doValidation(TextDocument.create('file:///bench.py', 'python', ++version, version % 2 ? text : edited), all).length);

  // Through the real server, launched as the extension launches it.
  const client = await LspTestClient.start();
  client.settings = { uri: { maxDiagnostics: all.maxDiagnostics } };
  let published = await client.open('file:///bench.py', 'python', text);
  const status = readFileSync(`/proc/${client.pid}/status`, 'utf8');
  const mb = (field: string): string => {
    const m = status.match(new RegExp(`${field}:\\s+(\\d+) kB`));
    return m ? (Number(m[1]) / 1024).toFixed(1) : '?';
  };
  // Open → diagnostics published, each document closed again before the next.
  const opened: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    published = await client.open(`file:///bench${i}.py`, 'python', text);
    opened.push(performance.now() - t);
    await client.close(`file:///bench${i}.py`);
  }
  await client.stop();

  const uriCount = text.split("libvirt.open('").length - 1;
  console.log(`document: ${(text.length / 1e6).toFixed(2)} MB, ${lineCount} lines, ${uriCount} URIs (regex matches: ${regex.result})`);
  console.log(`regex pass (baseline):                     ${regex.ms.toFixed(2)} ms (median of ${RUNS})`);
  console.log(`service, all diagnostics, cold:            ${cold.ms.toFixed(2)} ms (median of ${RUNS}; ${cold.result} diagnostics)`);
  console.log(`service, all diagnostics, after an edit:   ${warm.ms.toFixed(2)} ms`);
  console.log(`ratio cold service/regex:                  ${(cold.ms / regex.ms).toFixed(2)}x (target <= 5)`);
  console.log(`ratio after an edit/regex:                 ${(warm.ms / regex.ms).toFixed(2)}x`);
  console.log(`server, open to diagnostics published:   ${median(opened).toFixed(2)} ms (median of ${opened.length}; ${published.diagnostics.length} diagnostics)`);
  // Files: mostly node's own executable (code, read-only data), which a bare node already has resident.
  console.log(`server RSS with the document open:        ${mb('VmRSS')} MB (target <= 60; anonymous ${mb('RssAnon')} MB, files ${mb('RssFile')} MB)`);
}

void main();
