// The XML reading shared by every libvirt document we model (capabilities, domain
// capabilities, sysinfo): XML is first turned into plain XmlNode trees; an ElementReader then
// walks each element, remembering what it used, so whatever it did not use ends up in
// unknownElements/unknownAttributes and nothing a newer libvirt reports is lost.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

/** One XML element, kept as-is. */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  /** Character data directly inside the element, trimmed; absent when empty. */
  text?: string;
  children: XmlNode[];
}

/**
 * Elements and attributes the parser did not recognise. When a recognised
 * element that has no object of its own (a wrapper such as `<cells>`, or a
 * text-only one such as `<model>`) carries unknown content, a copy of it with
 * its attributes, its text and only its unknown children is kept here.
 */
export interface Extensible {
  unknownElements?: XmlNode[];
  unknownAttributes?: Record<string, string>;
}

/** The input is not the expected document (not XML at all, another document, a required part missing). */
export class XmlDocumentError extends Error {
  override readonly name: string = 'XmlDocumentError';

  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(message);
  }
}

export type DocumentErrorFactory = (message: string, line?: number, column?: number) => XmlDocumentError;

const xmlParser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  ignoreDeclaration: true,
  ignorePiTags: true,
});

// Shape of fast-xml-parser's preserveOrder output: one key per entry (tag name
// or '#text'), attributes under ':@'.
type OrderedEntry = Record<string, unknown>;
const ATTRIBUTES_KEY = ':@';
const TEXT_KEY = '#text';

/**
 * The one root element of `xml`, which must be `<root>`. `what` names the document in
 * messages (`capabilities XML is empty`).
 */
export function readXmlRoot(xml: string, root: string, what: string, error: DocumentErrorFactory): ElementReader {
  if (xml.trim() === '') throw error(`${what} is empty`);
  const verdict = XMLValidator.validate(xml);
  if (verdict !== true) {
    const { msg, line, col } = verdict.err;
    const where = line !== undefined ? ` (line ${line}${col !== undefined ? `, column ${col}` : ''})` : '';
    throw error(`not well-formed XML: ${msg}${where}`, line, col);
  }
  let entries: OrderedEntry[];
  try {
    entries = xmlParser.parse(xml) as OrderedEntry[];
  } catch (e) {
    // The parser refuses some documents the validator lets through (names such
    // as __proto__, nesting deeper than 100, malformed DOCTYPE).
    throw error(`cannot parse XML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const roots = toXmlNodes(entries);
  if (roots.length !== 1) throw error(`expected one root element, found ${roots.length}`);
  if (roots[0].name !== root) throw error(`expected a <${root}> document, found <${roots[0].name}>`);
  return new ElementReader(roots[0], error);
}

function toXmlNodes(entries: OrderedEntry[]): XmlNode[] {
  const nodes: XmlNode[] = [];
  for (const entry of entries) {
    const name = Object.keys(entry).find((key) => key !== ATTRIBUTES_KEY);
    if (name === undefined || name === TEXT_KEY) continue;
    nodes.push(toXmlNode(name, entry));
  }
  return nodes;
}

function toXmlNode(name: string, entry: OrderedEntry): XmlNode {
  const content = (entry[name] ?? []) as OrderedEntry[];
  const attributes: Record<string, string> = Object.fromEntries(
    Object.entries((entry[ATTRIBUTES_KEY] ?? {}) as Record<string, unknown>).map(([key, value]) => [key, String(value)]),
  );
  const text = content
    .filter((item) => TEXT_KEY in item)
    .map((item) => String(item[TEXT_KEY]))
    .join('');
  const node: XmlNode = { name, attributes, children: toXmlNodes(content) };
  if (text !== '') node.text = text;
  return node;
}

const INTEGER = /^\s*\d+\s*$/;

export function toInteger(value: string | undefined): number | undefined {
  if (value === undefined || !INTEGER.test(value)) return undefined;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : undefined;
}

/**
 * Walks one element. Attributes and children it hands out count as used; an
 * optional attribute that is malformed is left unused, so it is kept rather
 * than silently dropped. A child reader that is never finished (a wrapper
 * such as `<cells>`, or a text-only element) has its leftovers folded into
 * this element's unknownElements.
 */
export class ElementReader {
  private readonly usedAttributes = new Set<string>();
  private readonly childReaders = new Map<XmlNode, ElementReader>();
  private finished = false;

  constructor(
    readonly node: XmlNode,
    private readonly makeError: DocumentErrorFactory,
    private readonly parent?: ElementReader,
  ) {}

  text(): string {
    return this.node.text ?? '';
  }

  attribute(name: string): string | undefined {
    const value = this.node.attributes[name];
    if (value !== undefined) this.usedAttributes.add(name);
    return value;
  }

  requiredAttribute(name: string): string {
    const value = this.attribute(name);
    if (value === undefined) throw this.error(`missing attribute '${name}'`);
    return value;
  }

  integerAttribute(name: string): number | undefined {
    const value = toInteger(this.node.attributes[name]);
    if (value !== undefined) this.usedAttributes.add(name);
    return value;
  }

  requiredIntegerAttribute(name: string): number {
    const raw = this.requiredAttribute(name);
    const value = toInteger(raw);
    if (value === undefined) throw this.error(`attribute '${name}' is not a whole number: '${raw}'`);
    return value;
  }

  /** yes/no (or on/off) attribute; any other value stays unknown. */
  switchAttribute(name: string, on = 'yes', off = 'no'): boolean | undefined {
    const raw = this.node.attributes[name];
    if (raw !== on && raw !== off) return undefined;
    this.usedAttributes.add(name);
    return raw === on;
  }

  /** Marks attributes as understood although the model derives them (e.g. `num` counts). */
  ignore(...names: string[]): void {
    for (const name of names) this.usedAttributes.add(name);
  }

  requiredIntegerText(): number {
    const value = toInteger(this.node.text);
    if (value === undefined) throw this.error(`content is not a whole number: '${this.text()}'`);
    return value;
  }

  child(name: string): ElementReader | undefined {
    return this.children(name)[0];
  }

  requiredChild(name: string): ElementReader {
    const found = this.child(name);
    if (found === undefined) throw this.error(`missing <${name}>`);
    return found;
  }

  /** The first child named `name` matching `test`. */
  childWhere(name: string, test: (node: XmlNode) => boolean): ElementReader | undefined {
    const node = this.node.children.find((c) => c.name === name && !this.childReaders.has(c) && test(c));
    return node && this.readerFor(node);
  }

  /** All unused children named `name`. */
  children(name: string): ElementReader[] {
    return this.childrenWhere(name, () => true);
  }

  /** All unused children named `name` matching `test`; the others stay unused. */
  childrenWhere(name: string, test: (node: XmlNode) => boolean): ElementReader[] {
    return this.node.children.filter((c) => c.name === name && !this.childReaders.has(c) && test(c)).map((c) => this.readerFor(c));
  }

  /** All unused children, whatever their name. */
  allChildren(): ElementReader[] {
    return this.node.children.filter((c) => !this.childReaders.has(c)).map((c) => this.readerFor(c));
  }

  childText(name: string): string | undefined {
    return this.child(name)?.text();
  }

  /** Names of all children: flag lists such as `<features><pae/></features>`. */
  flagNames(): string[] {
    return this.allChildren().map((c) => c.node.name);
  }

  /** The model object plus this element's unknown content, undefined fields removed. */
  finish<T extends Extensible>(fields: T): T {
    this.finished = true;
    const result: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) result[key] = value;
    }
    const unknownAttributes = this.unknownAttributes();
    if (unknownAttributes !== undefined) result.unknownAttributes = unknownAttributes;
    const unknownElements = this.unknownElements();
    if (unknownElements.length > 0) result.unknownElements = unknownElements;
    return result as T;
  }

  error(message: string): XmlDocumentError {
    return this.makeError(`${this.path()}: ${message}`);
  }

  /** XPath-like location for messages, e.g. `/capabilities/guest[2]/arch`. */
  private path(): string {
    if (this.parent === undefined) return `/${this.node.name}`;
    const sameName = this.parent.node.children.filter((c) => c.name === this.node.name);
    const index = sameName.length > 1 ? `[${sameName.indexOf(this.node) + 1}]` : '';
    return `${this.parent.path()}/${this.node.name}${index}`;
  }

  private readerFor(node: XmlNode): ElementReader {
    let reader = this.childReaders.get(node);
    if (reader === undefined) {
      reader = new ElementReader(node, this.makeError, this);
      this.childReaders.set(node, reader);
    }
    return reader;
  }

  private unknownAttributes(): Record<string, string> | undefined {
    const entries = Object.entries(this.node.attributes).filter(([name]) => !this.usedAttributes.has(name));
    return entries.length > 0 ? Object.fromEntries(entries) : undefined;
  }

  private unknownElements(): XmlNode[] {
    const kept: XmlNode[] = [];
    for (const child of this.node.children) {
      const reader = this.childReaders.get(child);
      if (reader === undefined) kept.push(child);
      else if (!reader.finished) {
        const leftover = reader.leftover();
        if (leftover !== undefined) kept.push(leftover);
      }
    }
    return kept;
  }

  /** A copy of this element holding only its unknown children; attributes and text are kept for context. */
  private leftover(): XmlNode | undefined {
    const children = this.unknownElements();
    if (children.length === 0 && this.unknownAttributes() === undefined) return undefined;
    const copy: XmlNode = { name: this.node.name, attributes: { ...this.node.attributes }, children };
    if (this.node.text !== undefined) copy.text = this.node.text;
    return copy;
  }
}
