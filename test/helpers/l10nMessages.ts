// Every message the client's sources hand to vscode.l10n.t or to our t() (client/src/l10n.ts),
// read from the TypeScript syntax tree: what l10n/bundle.l10n.<locale>.json must translate.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import ts from 'typescript';
import { repoRoot } from './paths';

export interface L10nScan {
  /** message → where it is used (`file:line`) */
  messages: Map<string, string[]>;
  /** Calls whose message is not a string literal: no bundle can translate those. */
  problems: string[];
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? tsFiles(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Whether the file imports `t` from client/src/l10n.ts. */
function importsT(source: ts.SourceFile): boolean {
  return source.statements.some(
    (s) =>
      ts.isImportDeclaration(s) &&
      ts.isStringLiteral(s.moduleSpecifier) &&
      /(^|\/)l10n$/.test(s.moduleSpecifier.text) &&
      s.importClause?.namedBindings !== undefined &&
      ts.isNamedImports(s.importClause.namedBindings) &&
      s.importClause.namedBindings.elements.some((e) => e.name.text === 't' && !e.propertyName),
  );
}

export function scanL10nMessages(root = path.join(repoRoot, 'client', 'src')): L10nScan {
  const messages = new Map<string, string[]>();
  const problems: string[] = [];
  for (const file of tsFiles(root)) {
    const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const ours = importsT(source);
    const visit = (node: ts.Node): void => {
      if (ts.isCallExpression(node)) {
        const callee = node.expression.getText(source);
        if (callee === 'vscode.l10n.t' || (ours && callee === 't')) {
          const where = `${path.relative(repoRoot, file)}:${source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1}`;
          const first = node.arguments[0];
          if (first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first))) {
            messages.set(first.text, [...(messages.get(first.text) ?? []), where]);
          } else {
            problems.push(`${where}: ${callee}(${first?.getText(source) ?? ''}) is not given a string literal`);
          }
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return { messages, problems };
}

/** `{0}`, `{1}` … of a message, sorted. */
export function placeholders(message: string): string[] {
  return [...message.matchAll(/\{\d+\}/g)].map((m) => m[0]).sort();
}

/** Inline code (`…`) and command links ((command:…)): what a translation must keep as it is. */
export function verbatimParts(message: string): string[] {
  return [...message.matchAll(/`[^`]+`|\(command:[^)\s]+\)/g)].map((m) => m[0]).sort();
}
