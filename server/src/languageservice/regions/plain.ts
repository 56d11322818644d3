// Driver-scheme URIs in free text (plain text, Markdown prose, heredoc and block-scalar
// bodies): found by jumping from one `://` to the next, so the cost is one indexOf pass.
// Placeholders inside a URI (`$HOST`, `${…}`, `$(…)`, `` `…` ``, `#{…}`, `{host}`, `<host>`)
// are holes, and so is a port written as a word (`host:port`).
import * as common from './common';
import type { Collector } from './common';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, Template, isDigit, isLetter, isSpace, startsWithDriverScheme } = common;

export class PlainScanner {
  private readonly separators: common.Finder;

  constructor(private readonly col: Collector) {
    this.separators = new common.Finder(col.text, '://');
  }

  scan(start: number, end: number): void {
    const text = this.col.text;
    let k = this.separators.next(start);
    while (k >= 0 && k < end) {
      let b = k;
      while (b > start && isSchemeChar(text.charCodeAt(b - 1))) b--;
      if (b < k && (b === start || isOpening(text.charCodeAt(b - 1))) && startsWithDriverScheme(text, b, k + 3)) {
        const f = this.uri(b, k + 3, end);
        k = this.separators.next(f);
      } else {
        k = this.separators.next(k + 3);
      }
    }
  }

  /** Collects the URI starting at `b` (its `://` ends at `i`); returns where it ends. */
  private uri(b: number, i: number, end: number): number {
    const text = this.col.text;
    const t = new Template();
    let literal = b;
    let f = i;
    while (f < end) {
      const c = text.charCodeAt(f);
      const hole = placeholderEnd(text, f, end, f === i || isBoundary(text.charCodeAt(f - 1)));
      if (hole > f) {
        t.literal(literal, f);
        t.hole(f, hole);
        f = literal = hole;
        continue;
      }
      if (isDelimiter(c)) break;
      if (c === Ch.Dollar && (text.charCodeAt(f + 1) === Ch.LParen || text.charCodeAt(f + 1) === Ch.LBrace)) {
        // An expansion that does not close on its line: the rest is unknown.
        t.literal(literal, f);
        t.hole(f, f + 1);
        f = literal = f + 1;
        break;
      }
      f++;
    }
    let e = f;
    if (literal < f) {
      while (e > Math.max(literal, i) && isTrailingPunctuation(text.charCodeAt(e - 1))) e--;
      t.literal(literal, e);
    }
    // "use qemu+ssh:// if…", "a qemu:/// URI": a scheme named in a sentence, not a URI.
    const mention = t.parts.length === 1 && (e === i || (e === i + 1 && text.charCodeAt(i) === Ch.Slash));
    if (!mention) this.col.addTemplate(t, false, false, 'libvirt', true);
    return f;
  }
}

const MAX_PLACEHOLDER = 80;
/** Longest command substitution read as a hole: a stray `$(` or backtick costs little. */
const MAX_SUBSTITUTION = 200;

/**
 * End of a placeholder at `i`, or `i` when there is none: `${…}`, `#{…}`, `{…}`, `$NAME`,
 * `$(…)`, and (where a URI component starts) `<name>` and `` `command` ``.
 */
function placeholderEnd(text: string, i: number, end: number, atBoundary: boolean): number {
  const c = text.charCodeAt(i);
  const n = text.charCodeAt(i + 1);
  if (c === Ch.LBrace || ((c === Ch.Dollar || c === Ch.Hash) && n === Ch.LBrace)) {
    // Short and on one line, so that a stray '{' costs little.
    for (let j = i + 1; j < end && j - i < MAX_PLACEHOLDER; j++) {
      const d = text.charCodeAt(j);
      if (d === Ch.RBrace) return j + 1;
      if (d === Ch.LF) break;
    }
    return i;
  }
  if (c === Ch.Dollar && n === Ch.LParen) return substitutionEnd(text, i, end);
  // Not where a Markdown code span ends (`qemu:///` or …): a command name follows at once.
  if (c === Ch.Backtick && atBoundary && (isLetter(n) || n === Ch.Dollar || n === Ch.Underscore)) {
    for (let j = i + 1; j < end && j - i < MAX_SUBSTITUTION; j++) {
      const d = text.charCodeAt(j);
      if (d === Ch.Backtick) return j + 1;
      if (d === Ch.LF) break;
      if (d === Ch.Backslash) j++;
    }
    return i;
  }
  if (c === Ch.Dollar && (isLetter(n) || n === Ch.Underscore)) {
    let j = i + 1;
    while (j < end && (isLetter(text.charCodeAt(j)) || isDigit(text.charCodeAt(j)) || text.charCodeAt(j) === Ch.Underscore)) j++;
    return j;
  }
  if (c === Ch.Lt && atBoundary && isLetter(n)) {
    let j = i + 1;
    while (j < end && j - i < MAX_PLACEHOLDER) {
      const d = text.charCodeAt(j);
      if (d === Ch.Gt) return j + 1;
      if (!(isLetter(d) || isDigit(d) || d === Ch.Underscore || d === Ch.Minus || d === Ch.Dot || d === Ch.Space)) break;
      j++;
    }
  }
  return i;
}

/** End of the `$(…)` at `i` (nested parentheses, quoted strings), or `i` when it does not close on its line. */
function substitutionEnd(text: string, i: number, end: number): number {
  const limit = Math.min(end, i + MAX_SUBSTITUTION);
  let depth = 0;
  for (let j = i + 1; j < limit; j++) {
    const d = text.charCodeAt(j);
    if (d === Ch.LParen) {
      depth++;
    } else if (d === Ch.RParen) {
      if (--depth === 0) return j + 1;
    } else if (d === Ch.DQuote || d === Ch.SQuote) {
      let k = j + 1;
      while (k < limit && text.charCodeAt(k) !== d && text.charCodeAt(k) !== Ch.LF) k += d === Ch.DQuote && text.charCodeAt(k) === Ch.Backslash ? 2 : 1;
      if (k >= limit || text.charCodeAt(k) !== d) return i;
      j = k;
    } else if (d === Ch.Backslash) {
      j++;
    } else if (d === Ch.LF) {
      return i;
    }
  }
  return i;
}

/** Characters after which a URI component starts. */
function isBoundary(c: number): boolean {
  return c === Ch.Slash || c === 64 /* @ */ || c === Ch.Colon || c === Ch.Question || c === Ch.Eq || c === Ch.Amp || c === Ch.Plus;
}

function isSchemeChar(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === Ch.Plus || c === Ch.Minus || c === Ch.Dot;
}

/** What may stand right before a URI in prose: `see qemu:///system`, `(qemu:///…)`, `**qemu…`. */
function isOpening(c: number): boolean {
  return isDelimiter(c) || c === Ch.Star || c === Ch.Underscore || c === Ch.Comma || c === Ch.Semi || c === Ch.Pipe || c === Ch.Eq;
}

function isDelimiter(c: number): boolean {
  return isSpace(c) || c === Ch.LF || c === Ch.DQuote || c === Ch.SQuote || c === Ch.Backtick || c === Ch.LParen ||
    c === Ch.RParen || c === Ch.LBracket || c === Ch.RBracket || c === Ch.LBrace || c === Ch.RBrace || c === Ch.Lt || c === Ch.Gt;
}

function isTrailingPunctuation(c: number): boolean {
  return c === Ch.Dot || c === Ch.Comma || c === Ch.Semi || c === Ch.Colon || c === Ch.Bang || c === Ch.Question ||
    c === Ch.Star || c === Ch.Underscore || c === Ch.Pipe;
}
