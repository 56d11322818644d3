// The walkthrough's "Open an Example": a copy of the example shipped in the extension (in the
// user's language when there is one), saved in the extension's storage. A saved file closes
// without a "save changes?" prompt, can be edited and saved, and the installed files stay as
// they are.
import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';

const EXAMPLE_FOLDER = path.join('media', 'walkthrough');
/** The copy's name, also its editor tab's title. */
export const EXAMPLE_COPY = 'libvirt-example.py';

/** example.<language>.py when the extension ships one, else example.py. */
export function exampleFile(extensionPath: string, language: string): string {
  const folder = path.join(extensionPath, EXAMPLE_FOLDER);
  const localized = path.join(folder, `example.${language}.py`);
  return existsSync(localized) ? localized : path.join(folder, 'example.py');
}

export async function openExample(context: vscode.ExtensionContext): Promise<void> {
  const copy = vscode.Uri.joinPath(context.globalStorageUri, EXAMPLE_COPY);
  // Already open (perhaps edited): shown as it is. Otherwise a fresh copy of the example.
  let document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === copy.toString());
  if (!document) {
    await mkdir(context.globalStorageUri.fsPath, { recursive: true });
    await copyFile(exampleFile(context.extensionPath, vscode.env.language), copy.fsPath);
    document = await vscode.workspace.openTextDocument(copy);
  }
  // Beside the walkthrough, which stays open on its step.
  await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.Beside });
}
