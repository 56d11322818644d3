// The VS Code languages whose files may hold libvirt URIs: the one list that the extension's
// activation (package.json activationEvents, held to it by test/unit/languages.test.ts), the
// client's document selector, the region scanners and `virt-uri check`'s file types come from.
// Kept free of imports so that the extension bundle can take it alone.

/** Which region scanner reads a language. */
export type ScannerKind = 'python' | 'c' | 'cpp' | 'go' | 'rust' | 'js' | 'java' | 'ruby' | 'hcl' | 'shell' | 'yaml' | 'conf' | 'markdown' | 'plain';

export interface HostLanguage {
  scanner: ScannerKind;
  /** File extensions (without the dot, lower case) of the language, for files outside an editor. */
  extensions: readonly string[];
  /** Whole file names that are the language. */
  fileNames?: readonly string[];
  /** Programs on a `#!` line (versions stripped: python3.11 → python). */
  interpreters?: readonly string[];
}

export const HOST_LANGUAGES = {
  python: { scanner: 'python', extensions: ['py', 'pyw', 'pyi'], interpreters: ['python'] },
  c: { scanner: 'c', extensions: ['c', 'h'] },
  cpp: { scanner: 'cpp', extensions: ['cc', 'cpp', 'cxx', 'hpp', 'hh', 'hxx'] },
  go: { scanner: 'go', extensions: ['go'] },
  rust: { scanner: 'rust', extensions: ['rs'] },
  javascript: { scanner: 'js', extensions: ['js', 'mjs', 'cjs'], interpreters: ['node'] },
  javascriptreact: { scanner: 'js', extensions: ['jsx'] },
  typescript: { scanner: 'js', extensions: ['ts', 'mts', 'cts'] },
  typescriptreact: { scanner: 'js', extensions: ['tsx'] },
  java: { scanner: 'java', extensions: ['java'] },
  ruby: { scanner: 'ruby', extensions: ['rb', 'rake', 'gemspec'], fileNames: ['Vagrantfile', 'Rakefile', 'Gemfile'], interpreters: ['ruby'] },
  shellscript: { scanner: 'shell', extensions: ['sh', 'bash', 'zsh', 'ksh'], interpreters: ['sh', 'bash', 'zsh', 'ksh', 'dash'] },
  yaml: { scanner: 'yaml', extensions: ['yml', 'yaml'] },
  ansible: { scanner: 'yaml', extensions: [] },
  terraform: { scanner: 'hcl', extensions: ['tf', 'tfvars', 'hcl'] },
  hcl: { scanner: 'hcl', extensions: [] },
  'libvirt-conf': { scanner: 'conf', extensions: [], fileNames: ['libvirt.conf'] },
  markdown: { scanner: 'markdown', extensions: ['md', 'markdown'] },
  plaintext: { scanner: 'plain', extensions: ['txt'] },
} as const satisfies Record<string, HostLanguage>;

export type HostLanguageId = keyof typeof HOST_LANGUAGES;

export const HOST_LANGUAGE_IDS = Object.keys(HOST_LANGUAGES) as HostLanguageId[];

export function isHostLanguage(id: string): id is HostLanguageId {
  return Object.prototype.hasOwnProperty.call(HOST_LANGUAGES, id);
}
