// Tokenizes text the way VS Code does: vscode-textmate and the Oniguruma wasm, our generated
// grammars (as package.json contributes them) and the host grammars of VS Code's built-in
// extensions, taken from the code-server that test/e2e/setup.sh builds.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';
import { distDir, repoRoot } from '../helpers/paths';

export const HOST_EXTENSIONS = path.join(repoRoot, 'test', 'e2e', 'node_modules', 'code-server', 'lib', 'vscode', 'extensions');

/** Why VS Code's own grammars cannot be loaded here, or null. */
export function hostGrammarsUnavailable(): string | null {
  return existsSync(path.join(HOST_EXTENSIONS, 'python', 'package.json'))
    ? null
    : `VS Code's built-in grammars are missing (${HOST_EXTENSIONS}): run bash .ci/setup`;
}

interface GrammarContribution {
  scopeName: string;
  path: string;
  injectTo?: string[];
}

export interface Manifest {
  contributes: { grammars: GrammarContribution[]; languages: { id: string }[] };
  activationEvents: string[];
}

export const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as Manifest;

/** Our contribution's file in this build's output (package.json names ./dist/…). */
export function builtGrammarPath(contribution: GrammarContribution): string {
  return path.join(distDir, path.relative('dist', contribution.path));
}

export interface Token {
  line: number;
  start: number;
  end: number;
  text: string;
  scopes: string[];
}

/** A line's tokens as a theme colours them (adjacent tokens of one colour are merged, as in the editor). */
export interface ColouredToken {
  text: string;
  colour: string;
}

const THEMES = path.join(HOST_EXTENSIONS, 'theme-defaults', 'themes');

type ThemeRule = vsctm.IRawTheme['settings'][number];

/** A built-in theme's token colour rules, its `include` chain resolved. */
function themeRules(file: string): ThemeRule[] {
  const theme = JSON.parse(readFileSync(path.join(THEMES, file), 'utf8')) as { include?: string; tokenColors?: ThemeRule[] };
  return [...(theme.include ? themeRules(theme.include) : []), ...(theme.tokenColors ?? [])];
}

class Grammars {
  private readonly files = new Map<string, string>();
  private readonly injections = new Map<string, string[]>();
  private readonly registry: vsctm.Registry;

  constructor(withHosts: boolean, theme?: string) {
    const add = (contribution: GrammarContribution, file: string) => {
      this.files.set(contribution.scopeName, file);
      for (const target of contribution.injectTo ?? []) this.injections.set(target, [...(this.injections.get(target) ?? []), contribution.scopeName]);
    };
    for (const g of manifest.contributes.grammars) add(g, builtGrammarPath(g));
    if (withHosts) {
      for (const extension of readdirSync(HOST_EXTENSIONS)) {
        const manifestFile = path.join(HOST_EXTENSIONS, extension, 'package.json');
        if (!existsSync(manifestFile)) continue;
        const contributes = (JSON.parse(readFileSync(manifestFile, 'utf8')) as Partial<Manifest>).contributes;
        for (const g of contributes?.grammars ?? []) add(g, path.join(HOST_EXTENSIONS, extension, g.path));
      }
    }
    const wasm = readFileSync(require.resolve('vscode-oniguruma/release/onig.wasm'));
    const onigLib = oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength)).then(() => ({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (text: string) => new oniguruma.OnigString(text),
    }));
    this.registry = new vsctm.Registry({
      onigLib,
      theme: theme ? { settings: [{ settings: { foreground: '#000000' } }, ...themeRules(theme)] } : undefined,
      loadGrammar: async (scopeName) => {
        const file = this.files.get(scopeName);
        return file ? vsctm.parseRawGrammar(readFileSync(file, 'utf8'), file) : null;
      },
      getInjections: (scopeName) => this.injections.get(scopeName),
    });
  }

  has(scopeName: string): boolean {
    return this.files.has(scopeName);
  }

  async tokenize(scopeName: string, text: string): Promise<Token[]> {
    const grammar = await this.registry.loadGrammar(scopeName);
    if (!grammar) throw new Error(`no grammar for ${scopeName}`);
    const tokens: Token[] = [];
    let state = vsctm.INITIAL;
    text.split('\n').forEach((line, n) => {
      const result = grammar.tokenizeLine(line, state);
      state = result.ruleStack;
      for (const t of result.tokens) {
        const end = Math.min(t.endIndex, line.length);
        if (end > t.startIndex) tokens.push({ line: n, start: t.startIndex, end, text: line.slice(t.startIndex, end), scopes: t.scopes });
      }
    });
    return tokens;
  }

  async colour(scopeName: string, line: string): Promise<ColouredToken[]> {
    const grammar = await this.registry.loadGrammar(scopeName);
    if (!grammar) throw new Error(`no grammar for ${scopeName}`);
    const colours = this.registry.getColorMap();
    const { tokens } = grammar.tokenizeLine2(line, vsctm.INITIAL);
    const result: ColouredToken[] = [];
    for (let i = 0; i < tokens.length; i += 2) {
      const end = i + 2 < tokens.length ? tokens[i + 2] : line.length;
      // Bits 15–23 of a token's metadata index the colour map (vscode-textmate's EncodedTokenAttributes).
      result.push({ text: line.slice(tokens[i], end), colour: colours[(tokens[i + 1] & 0x00ff8000) >>> 15] });
    }
    return result;
  }
}

/** VS Code's grammars coloured by one of its built-in themes (a file in theme-defaults/themes). */
export function themed(theme: string): Grammars {
  return new Grammars(true, theme);
}

let withHosts: Grammars | undefined;
let ownOnly: Grammars | undefined;

/** Our grammars plus VS Code's (when `hosts`; the caller checks hostGrammarsUnavailable first). */
export function grammars(hosts: boolean): Grammars {
  if (hosts) return (withHosts ??= new Grammars(true));
  return (ownOnly ??= new Grammars(false));
}
