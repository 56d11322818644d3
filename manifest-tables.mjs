// The README's commands and settings tables, made from package.json and package.nls.json so they
// never drift from the manifest (test/package/readme.test.ts runs --check).
//
//   node manifest-tables.mjs          rewrite the tables between their markers in README.md
//   node manifest-tables.mjs --check  exit 1 (saying which) unless README.md's tables are up to date
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(root, 'package.nls.json'), 'utf8'));

/** A manifest string in English: its %key% looked up. */
function english(text) {
  const m = /^%([^%\s]+)%$/.exec(text ?? '');
  return m ? nls[m[1]] : (text ?? '');
}

/** Text for one table cell. */
function cell(text) {
  return text.replace(/\s*\n\s*/g, ' ').replace(/\|/g, '\\|');
}

/** Where a command is offered besides the menus the manifest lists. */
const ELSEWHERE = {
  'libvirt.connectUri': 'the **Connect** code lens above a URI in code',
  'libvirt.walkthrough.openExample': 'the walkthrough',
  'libvirt.tree.connectTest': 'the walkthrough, the empty view',
  'libvirt.connect': 'the walkthrough, the empty view',
  'libvirt.tree.reconnectFullAccess': 'the Domain capabilities item of a read-only connection',
};

function commandsTable() {
  const menus = manifest.contributes.menus ?? {};
  const hidden = new Set((menus.commandPalette ?? []).filter((m) => m.when === 'false').map((m) => m.command));
  const inMenu = (menu, command) => (menus[menu] ?? []).some((m) => m.command === command);
  const rows = manifest.contributes.commands.map((c) => {
    const where = [
      hidden.has(c.command) ? null : 'Command Palette',
      inMenu('view/title', c.command) ? 'the Hypervisors view’s title bar' : null,
      inMenu('view/item/context', c.command) ? 'its items’ menus' : null,
      ELSEWHERE[c.command] ?? null,
    ].filter(Boolean);
    return `| ${cell(`${c.category ? `${c.category}: ` : ''}${english(c.title)}`)} | \`${c.command}\` | ${cell(where.join('; '))} |`;
  });
  return ['| command | id | where |', '|---|---|---|', ...rows].join('\n');
}

function settingsTable() {
  const rows = Object.entries(manifest.contributes.configuration.properties).map(([key, p]) => {
    const range = p.minimum !== undefined && p.maximum !== undefined ? ` (${p.minimum}–${p.maximum})` : '';
    const values = p.enum ? ` (${p.enum.map((v) => `\`${JSON.stringify(v)}\``).join(', ')})` : '';
    return `| \`${key}\` | \`${JSON.stringify(p.default)}\`${range}${values} | ${p.scope ?? 'window'} | ${cell(english(p.markdownDescription ?? p.description))} |`;
  });
  return ['| setting | default | scope | what |', '|---|---|---|---|', ...rows].join('\n');
}

const TABLES = { commands: commandsTable(), settings: settingsTable() };

const readmePath = path.join(root, 'README.md');
const readme = readFileSync(readmePath, 'utf8');
let updated = readme;
const stale = [];
for (const [name, table] of Object.entries(TABLES)) {
  const begin = `<!-- ${name} table: node manifest-tables.mjs -->`;
  const end = `<!-- end of ${name} table -->`;
  const from = updated.indexOf(begin);
  const to = updated.indexOf(end);
  if (from < 0 || to < from) {
    process.stderr.write(`readme: README.md has no ${begin} … ${end}\n`);
    process.exit(1);
  }
  const next = `${updated.slice(0, from + begin.length)}\n${table}\n${updated.slice(to)}`;
  if (next !== updated) stale.push(name);
  updated = next;
}
if (process.argv.includes('--check')) {
  if (stale.length > 0) {
    process.stderr.write(`readme: the ${stale.join(' and ')} table of README.md is out of date: run node manifest-tables.mjs\n`);
    process.exit(1);
  }
} else if (updated !== readme) {
  writeFileSync(readmePath, updated);
}
