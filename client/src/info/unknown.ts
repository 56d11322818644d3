// Rows for what a parser kept but does not model (a newer libvirt's elements and attributes):
// shown as found, with their XPath, so the view never hides what the host reported.
import { t } from '../l10n';
import type { Extensible, XmlNode } from '../xml/document';
import { infoNode, rawAttributes, step, stepByText, type InfoDocument, type InfoNode } from './node';

/** An element of a libvirt document: which document, and its XPath. */
export interface XmlPlace {
  document: InfoDocument;
  xpath: string;
}

/** The place of a child element (`step` as built by node.ts's step helpers). */
export function childPlace(place: XmlPlace, step: string): XmlPlace {
  return { document: place.document, xpath: `${place.xpath}/${step}` };
}

/** The place of an attribute of this element. */
export function attributePlace(place: XmlPlace, name: string): XmlPlace {
  return childPlace(place, `@${name}`);
}

export type UnknownKind = 'element' | 'attribute';

const notModelled = (): string => t('Not modelled by this extension (reported by a newer libvirt?)');

export function unknownNodes<K extends string>(object: Extensible, place: XmlPlace): InfoNode<K | UnknownKind>[] {
  const attributes = Object.entries(object.unknownAttributes ?? {}).map(([name, value]) =>
    infoNode<K | UnknownKind>('attribute', name, { description: value, value, source: attributePlace(place, name), tooltip: notModelled() }),
  );
  return [...attributes, ...(object.unknownElements ?? []).map((e) => elementNode<K>(e, place))];
}

/** The element's step, told apart from same-named siblings by its first attribute or its text. */
function elementStep(element: XmlNode): string {
  const [first] = Object.entries(element.attributes);
  if (first) return step(element.name, first);
  return element.text !== undefined ? stepByText(element.name, element.text) : element.name;
}

function elementNode<K extends string>(element: XmlNode, parent: XmlPlace): InfoNode<K | UnknownKind> {
  const place = childPlace(parent, elementStep(element));
  const parts = [rawAttributes(element.attributes)];
  if (element.text !== undefined) parts.push(element.text);
  const description = parts.filter((p) => p !== '').join(' ');
  return infoNode<K | UnknownKind>(
    'element',
    element.name,
    { description, value: element.text ?? description, source: place, tooltip: notModelled() },
    element.children.map((c) => elementNode<K>(c, place)),
  );
}
