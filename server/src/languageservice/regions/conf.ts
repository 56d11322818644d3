// libvirt.conf (virConf syntax: `name = value`, strings in "…", '…' or """…""", lists in […],
// `#` comments). `uri_default` holds a URI; each `uri_aliases` element is "NAME=URI". Every
// `name = value` at the top level is also recorded as a setting, for the checks of its type and value.
import * as common from './common';
import type { Collector, ConfSetting } from './common';

// Local bindings: when transpiled file by file, every use of an import goes through a getter,
// which is too slow inside the scanning loops.
const { Ch, isDigit, isLetter, lineEnd, startsWithDriverScheme } = common;

export function scanLibvirtConf(col: Collector, start: number, end: number): void {
  const text = col.text;
  let key = '';
  let nameStart = -1;
  let nameEnd = -1;
  let inList = false;
  // The setting whose value comes next (after its '='), and the list being read.
  let pending: { name: string; nameStart: number; nameEnd: number } | undefined;
  let list: ConfSetting | undefined;
  const value = (type: ConfSetting['type'], s: number, e: number): ConfSetting | undefined => {
    if (pending === undefined) return undefined;
    const setting: ConfSetting = { ...pending, type, start: s, end: e };
    col.settings.push(setting);
    pending = undefined;
    return setting;
  };
  let i = start;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === Ch.LF) {
      if (!inList) key = '';
      nameStart = -1;
      pending = undefined;
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
        value('other', s, i);
      } else if (list && list.element === undefined) {
        list.element = { start: s, end: i };
      }
    } else if (isDigit(c) || c === Ch.Minus) {
      const s = i++;
      while (i < end && isDigit(text.charCodeAt(i))) i++;
      if (!inList) value('number', s, i);
      else if (list && list.element === undefined) list.element = { start: s, end: i };
    } else if (c === Ch.Eq) {
      if (!inList && nameStart >= 0) {
        key = text.slice(nameStart, nameEnd);
        pending = { name: key, nameStart, nameEnd };
      }
      i++;
    } else if (c === Ch.LBracket) {
      if (!inList) list = value('list', i, i + 1);
      inList = true;
      i++;
    } else if (c === Ch.RBracket) {
      inList = false;
      key = '';
      if (list) list.end = i + 1;
      list = undefined;
      i++;
    } else if (c === Ch.DQuote || c === Ch.SQuote) {
      const triple = c === Ch.DQuote && text.startsWith('"""', i);
      const s = i + (triple ? 3 : 1);
      let e = triple ? text.indexOf('"""', s) : s;
      if (!triple) while (e < end && text.charCodeAt(e) !== c && text.charCodeAt(e) !== Ch.LF && text.charCodeAt(e) !== Ch.CR) e++;
      const closed = triple ? e >= 0 && e < end : e < end && text.charCodeAt(e) === c;
      if (!closed) e = triple ? end : e;
      if (!inList) value('string', s, e);
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
