// Our words in the modules that must not import vscode: those shared with the CLI (host rows,
// capabilities, domain capabilities, sysinfo) and those node tests load (failure hints, display
// names). t() keys and formats exactly as vscode.l10n.t does (the English message is the key,
// {0} its placeholders), so one bundle, l10n/bundle.l10n.<locale>.json, serves both. It speaks
// English until the extension hands it the bundle VS Code loaded; the CLI never does.
// libvirt's own words (its errors, virsh's state names, XML element names) never go through it.

export type L10nArg = string | number | boolean;

let bundle: Readonly<Record<string, string>> | undefined;

/** The translations to use from now on (vscode.l10n.bundle); undefined: English. */
export function setL10nBundle(contents: Readonly<Record<string, string>> | undefined): void {
  bundle = contents;
}

/** `message` in the user's language, its `{0}`, `{1}` … replaced by `args`. */
export function t(message: string, ...args: L10nArg[]): string {
  const text = bundle?.[message] ?? message;
  return args.length === 0 ? text : text.replace(/\{(\d+)\}/g, (match, i: string) => (Number(i) < args.length ? String(args[Number(i)]) : match));
}
