// node media/render-icon.mjs: media/icon.png (256×256, what the marketplace and VS Code show)
// from media/icon.svg, drawn by Chromium (the one the e2e drives), as the marketplace takes no SVG icon.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const media = path.dirname(fileURLToPath(import.meta.url));
const SIZE = 256;
const work = mkdtempSync(path.join(tmpdir(), 'vscode-libvirt-icon-'));
try {
  copyFileSync(path.join(media, 'icon.svg'), path.join(work, 'icon.svg'));
  writeFileSync(path.join(work, 'icon.html'), `<!doctype html><body style="margin:0"><img src="icon.svg" width="${SIZE}" height="${SIZE}" style="display:block"></body>`);
  const png = path.join(media, 'icon.png');
  const r = spawnSync(process.env.CHROMIUM ?? 'chromium', [
    '--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars',
    '--default-background-color=00000000', `--window-size=${SIZE},${SIZE}`, `--screenshot=${png}`,
    pathToFileURL(path.join(work, 'icon.html')).href,
  ], { encoding: 'utf8' });
  if (r.status !== 0) {
    process.stderr.write(`chromium failed (${r.status ?? r.error?.message}):\n${r.stderr}`);
    process.exit(1);
  }
  process.stdout.write(`${path.relative(process.cwd(), png)}\n`);
} finally {
  rmSync(work, { recursive: true, force: true });
}
