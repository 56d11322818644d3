// Counts the work code does on strings, deterministically: every character read with
// charCodeAt/codePointAt, and every character that a string method or regular expression
// searches, compares or copies. Linear code does twice the work on twice the input; a clock
// would say the same thing only approximately, and differently on a busy machine.
// Element access (`text[i]`) cannot be seen; the scanners read characters with charCodeAt.

type Method = (this: string, ...args: never[]) => unknown;

export function countStringWork(run: () => void): number {
  let work = 0;
  const indexOf = String.prototype.indexOf;
  const proto = String.prototype as unknown as Record<string, Method>;
  const saved: Record<string, Method> = {};
  const wrap = (name: string, cost: (s: string, args: unknown[], result: unknown) => number): void => {
    const original = proto[name];
    saved[name] = original;
    proto[name] = function (this: string, ...args: never[]) {
      const result = original.apply(this, args);
      work += cost(String(this), args, result);
      return result;
    };
  };
  const from = (args: unknown[], i: number, fallback: number): number => (typeof args[i] === 'number' ? (args[i] as number) : fallback);
  const length = (result: unknown): number => (typeof result === 'string' ? result.length : 0);
  wrap('charCodeAt', () => 1);
  wrap('codePointAt', () => 1);
  for (const name of ['indexOf', 'includes']) {
    wrap(name, (s, args, r) => {
      const start = Math.max(0, from(args, 1, 0));
      const found = typeof r === 'number' ? r : indexOf.call(s, String(args[0]), start);
      return Math.max(1, (found < 0 ? s.length : found + String(args[0]).length) - start);
    });
  }
  wrap('lastIndexOf', (s, args, r) => Math.max(1, Math.min(from(args, 1, s.length), s.length) - Math.max(0, r as number) + 1));
  wrap('startsWith', (_s, args) => String(args[0]).length);
  wrap('endsWith', (_s, args) => String(args[0]).length);
  for (const name of ['slice', 'substring', 'substr', 'trim', 'toLowerCase', 'toUpperCase']) wrap(name, (_s, _args, r) => length(r));
  for (const name of ['split', 'replace', 'match', 'search']) wrap(name, (s) => s.length);

  const exec = RegExp.prototype.exec;
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    const at = this.global || this.sticky ? this.lastIndex : 0;
    const match = exec.call(this, s);
    // A sticky or ^-anchored expression tries one place; any other may search to the end.
    const anchored = this.sticky || (this.source.startsWith('^') && !this.multiline);
    work += anchored ? 1 + (match?.[0].length ?? 0) : Math.max(1, String(s).length - at);
    return match;
  };
  try {
    run();
  } finally {
    Object.assign(proto, saved);
    RegExp.prototype.exec = exec;
  }
  return work;
}
