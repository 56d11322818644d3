// libvirt.conf (virConf syntax: `name = value`, strings in "…", '…' or """…""", lists in […],
// `#` comments). `uri_default` holds a URI; each `uri_aliases` element is "NAME=URI".
import * as common from './common';
import type { Collector } from './common';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, isDigit, isLetter, lineEnd, startsWithDriverScheme } = common;

export function scanLibvirtConf(col: Collector, start: number, end: number): void {
  const text = col.text;
  let key = '';
  let nameStart = -1;
  let nameEnd = -1;
  let inList = false;
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === Ch.LF) {
      if (!inList) key = '';
      nameStart = -1;
      i++;
    } else if (c === Ch.Hash) {
      const e = lineEnd(text, i + 1, end);
      col.comment(i + 1, e);
      i = e;
    } else if (isLetter(c) || c === Ch.Underscore) {
      const s = i;
      while (i < end && isNamePart(text.charCodeAt(i))) i++;
      if (!inList) {
        nameStart = s;
        nameEnd = i;
      }
    } else if (c === Ch.Eq) {
      if (!inList && nameStart >= 0) key = text.slice(nameStart, nameEnd);
      i++;
    } else if (c === Ch.LBracket) {
      inList = true;
      i++;
    } else if (c === Ch.RBracket) {
      inList = false;
      key = '';
      i++;
    } else if (c === Ch.DQuote || c === Ch.SQuote) {
      const triple = c === Ch.DQuote && text.startsWith('"""', i);
      const s = i + (triple ? 3 : 1);
      let e = triple ? text.indexOf('"""', s) : s;
      if (!triple) while (e < end && text.charCodeAt(e) !== c && text.charCodeAt(e) !== Ch.LF && text.charCodeAt(e) !== Ch.CR) e++;
      const closed = triple ? e >= 0 && e < end : e < end && text.charCodeAt(e) === c;
      if (!closed) e = triple ? end : e;
      if (inList && key === 'uri_aliases') col.add(s, e, true, 'alias-entry');
      else if (!inList && key === 'uri_default') col.add(s, e, true);
      else if (startsWithDriverScheme(text, s, e, !closed)) col.add(s, e, false);
      i = closed ? e + (triple ? 3 : 1) : e;
    } else {
      i++;
    }
  }
}

function isNamePart(c: number): boolean {
  return isLetter(c) || isDigit(c) || c === Ch.Underscore || c === Ch.Dot;
}
