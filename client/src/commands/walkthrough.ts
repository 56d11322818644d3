// The walkthrough's "Open an Example": an untitled copy of the example shipped in the extension
// (in the user's language when there is one), so the user can edit it and the extension's own
// files stay as they were installed.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXAMPLE_FOLDER = path.join('media', 'walkthrough');

/** example.<language>.py when the extension ships one, else example.py. */
export function exampleFile(extensionPath: string, language: string): string {
  const folder = path.join(extensionPath, EXAMPLE_FOLDER);
  const localized = path.join(folder, `example.${language}.py`);
  return existsSync(localized) ? localized : path.join(folder, 'example.py');
}

export async function openExample(context: vscode.ExtensionContext): Promise<void> {
  const content = await readFile(exampleFile(context.extensionPath, vscode.env.language), 'utf8');
  const document = await vscode.workspace.openTextDocument({ language: 'python', content });
  // Beside the walkthrough, which stays open on its step.
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
}
