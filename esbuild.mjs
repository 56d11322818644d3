// Two outputs: dist/ holds the shipped bundles (extension, language server, CLI,
// libvirt worker, askpass program) and the TextMate grammars; out/ is a file-for-file
// transpile of sources and tests for `node --test`.
import * as esbuild from 'esbuild';
import { spawnSync } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const watch = process.argv.includes('--watch');
// BUILD_SUFFIX lets parallel work trees build side by side (dist-x/, out-x/).
const suffix = process.env.BUILD_SUFFIX ?? '';
const common = { platform: 'node', target: 'node20', format: 'cjs', sourcemap: true, logLevel: 'warning' };

function tsFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'fixtures' || name === 'node_modules' ? [] : tsFiles(p);
    return p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : [];
  });
}

const bundles = {
  ...common,
  bundle: true,
  // koffi loads a native module found next to its own package; vscode is the host's.
  external: ['vscode', 'koffi'],
  // Smaller source to hold in memory (the language server's RSS); source maps keep stacks readable.
  minify: true,
  entryPoints: {
    extension: 'client/src/extension.ts',
    // Loaded by the extension after activation (client/src/languageClient.ts).
    languageClient: 'client/src/languageClient.ts',
    server: 'server/src/server.ts',
    cli: 'client/src/cli/main.ts',
    worker: 'client/src/libvirt/worker.ts',
    'libvirt-process': 'client/src/libvirtProcess/main.ts',
    // ssh runs it for each prompt (client/src/askpass); AskpassServer finds it next to itself.
    'askpass-main': 'client/src/askpass/askpass-main.ts',
  },
  outdir: `dist${suffix}`,
};

// Benchmarks of the language service run bundled, as the shipped server does (the per-file
// transpile reaches every import through a getter, which costs several times over).
const benchBundles = {
  ...common,
  bundle: true,
  external: ['vscode', 'koffi'],
  entryPoints: { 'lsp.bench': 'test/bench/lsp.bench.ts' },
  outdir: `out${suffix}/bench`,
};

// The grammars are generated from the catalog (syntaxes/grammars.ts) once its transpile is written.
const grammars = {
  name: 'grammars',
  setup(build) {
    build.onEnd((result) => {
      if (result.errors.length > 0) return;
      const run = spawnSync(process.execPath, [`out${suffix}/syntaxes/grammars.js`, `dist${suffix}/syntaxes`], { stdio: 'inherit' });
      if (run.status !== 0) return { errors: [{ text: 'generating the grammars failed' }] };
    });
  },
};

const transpile = {
  ...common,
  bundle: false,
  entryPoints: [...tsFiles('client/src'), ...tsFiles('server/src'), ...tsFiles('syntaxes'), ...tsFiles('test')],
  outbase: '.',
  outdir: `out${suffix}`,
  plugins: [grammars],
};

rmSync(`out${suffix}`, { recursive: true, force: true });
if (watch) {
  for (const options of [bundles, benchBundles, transpile]) await (await esbuild.context(options)).watch();
} else {
  // Every build finishes even if one fails, so tests of finished parts can run meanwhile.
  const results = await Promise.allSettled([bundles, benchBundles, transpile].map((options) => esbuild.build(options)));
  if (results.some((r) => r.status === 'rejected')) process.exit(1);
}
