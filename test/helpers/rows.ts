// Checks on display-neutral rows: every leaf carries a raw value and a source, and an XML
// source is an XPath that finds the element or attribute the value came from.
import assert from 'node:assert/strict';
import type { InfoDocument, InfoNode } from '../../client/src/info/node';
import { readXmlRoot, XmlDocumentError, type XmlNode } from '../../client/src/xml/document';

/** The root element of a document, as the parsers read it. */
export function xmlRoot(xml: string): XmlNode {
  return readXmlRoot(xml, /<(\w+)/.exec(xml.replace(/<!--[\s\S]*?-->/g, '').replace(/<\?[\s\S]*?\?>/g, ''))![1], 'XML', (m) => new XmlDocumentError(m)).node;
}

/** Splits `/a/b[.='/x/y']/@c` into steps, keeping slashes inside predicates. */
function steps(xpath: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  let depth = 0;
  for (const ch of xpath) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[') depth++;
    else if (ch === ']') depth--;
    else if (ch === '/' && depth === 0) {
      if (current !== '') out.push(current);
      current = '';
      continue;
    }
    current += ch;
  }
  if (current !== '') out.push(current);
  return out;
}

const STEP = /^([\w:.-]+)(?:\[(?:(\d+)|@([\w:.-]+)=(['"])(.*)\4|\.=(['"])(.*)\6)\])?$/s;

/** What an XPath of the subset the builders write (`name`, `[n]`, `[@a='v']`, `[.='t']`, `@a`) finds. */
export function resolve(root: XmlNode, xpath: string): (XmlNode | string)[] {
  const [first, ...rest] = steps(xpath);
  let found: (XmlNode | string)[] = first === root.name ? [root] : [];
  for (const s of rest) {
    const elements = found.filter((f): f is XmlNode => typeof f !== 'string');
    if (s.startsWith('@')) {
      found = elements.map((e) => e.attributes[s.slice(1)]).filter((v) => v !== undefined);
      continue;
    }
    const m = STEP.exec(s);
    assert.ok(m, `unsupported XPath step ${s} in ${xpath}`);
    const [, name, index, attr, , attrValue, , text] = m;
    found = elements.flatMap((e) => {
      const named = e.children.filter((c) => c.name === name);
      if (index !== undefined) return named[Number(index) - 1] ? [named[Number(index) - 1]] : [];
      if (attr !== undefined) return named.filter((c) => c.attributes[attr] === attrValue);
      if (text !== undefined) return named.filter((c) => (c.text ?? '') === text);
      return named;
    });
  }
  return found;
}

/** Every leaf has a value and a source; every XML source of `document` finds what the row shows. */
export function assertRowsTraceable(nodes: InfoNode[], documents: Partial<Record<InfoDocument, string>>): number {
  const roots = Object.fromEntries(Object.entries(documents).map(([doc, xml]) => [doc, xmlRoot(xml!)]));
  let checked = 0;
  const walk = (list: InfoNode[], trail: string): void => {
    for (const n of list) {
      const where = `${trail} > ${n.label}`;
      if (n.children.length === 0) {
        assert.notEqual(n.value, undefined, `leaf without a value: ${where}`);
        assert.ok(n.source, `leaf without a source: ${where}`);
      }
      if (n.source && 'xpath' in n.source && roots[n.source.document]) {
        const found = resolve(roots[n.source.document], n.source.xpath);
        assert.ok(found.length > 0, `${n.source.xpath} finds nothing (${where})`);
        const first = found[0];
        // A leaf's value is the attribute, or the text of the element, its XPath finds.
        if (n.value !== undefined && n.children.length === 0) {
          if (typeof first === 'string') assert.equal(n.value, first, `${where}: value is not ${n.source.xpath}`);
          else if (first.text !== undefined && first.children.length === 0) assert.ok(n.value.includes(first.text), `${where}: '${n.value}' is not the text of ${n.source.xpath}`);
        }
        checked++;
      }
      walk(n.children, where);
    }
  };
  walk(nodes, '');
  return checked;
}
