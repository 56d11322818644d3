// Prints libvirt's verdict on every corpus URI (no validator needed):
// BUILD_SUFFIX=-xc npm run build && node out-xc/test/crosscheck/table.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CORPUS, TMP } from './corpus';
import { startLibvirtd } from '../helpers/libvirtd';
import { judge, mapLimit } from './libvirt';

async function main(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'virt-uri-xc-'));
  const daemon = await startLibvirtd();
  try {
    const options = { workDir, timeoutMs: 10000 };
    const rows = await mapLimit(CORPUS, 4, (e) => judge(e.uri.replaceAll(TMP, workDir), daemon, options));
    for (const r of rows) console.log([r.verdict, r.kind, JSON.stringify(r.uri), r.message || r.output].join('\t'));
  } finally {
    await daemon?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}

void main();
