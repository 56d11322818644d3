// Driver-scheme URIs in free text (plain text, Markdown prose, heredoc and block-scalar
// bodies): found by jumping from one `://` to the next, so the cost is one indexOf pass.
import * as common from './common';
import type { Collector } from './common';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, hasPlaceholder, isDigit, isLetter, isSpace, startsWithDriverScheme } = common;

export interface PlainOptions {
  /** Skip URIs that contain an expansion (`$HOST`, `${…}`, `#{…}`, `%s`): heredoc bodies. */
  rejectTemplates?: boolean;
}

export class PlainScanner {
  private readonly separators: common.Finder;

  constructor(private readonly col: Collector) {
    this.separators = new common.Finder(col.text, '://');
  }

  scan(start: number, end: number, options: PlainOptions = {}): void {
    const text = this.col.text;
    let k = this.separators.next(start);
    while (k >= 0 && k < end) {
      let b = k;
      while (b > start && isSchemeChar(text.charCodeAt(b - 1))) b--;
      if (b < k && (b === start || isOpening(text.charCodeAt(b - 1))) && startsWithDriverScheme(text, b, k + 3)) {
        let f = k + 3;
        while (f < end && !isDelimiter(text.charCodeAt(f))) f++;
        while (f > k + 3 && isTrailingPunctuation(text.charCodeAt(f - 1))) f--;
        if (!options.rejectTemplates || !isTemplate(text, b, f)) this.col.add(b, f, false);
        k = this.separators.next(f);
      } else {
        k = this.separators.next(k + 3);
      }
    }
  }
}

/** `$HOST`, `${…}`, `#{…}` (the word stops at its `{`), `{}` or `%s` inside a heredoc word. */
function isTemplate(text: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (text.charCodeAt(i) === Ch.Dollar) return true;
  return (text.charCodeAt(end) === Ch.LBrace && text.charCodeAt(end - 1) === Ch.Hash) || hasPlaceholder(text, start, end);
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
