// The display-neutral row every view of a host is made of: the Hypervisors tree renders these
// as TreeItems, `virt-uri caps` prints them as indented text. Each row keeps the raw value
// libvirt gave and where it came from (an XML element or attribute, or an API call), for
// tooltips and "Copy Value".
import { t } from '../l10n';

/** The libvirt documents the rows are read from. */
export type InfoDocument = 'capabilities' | 'domainCapabilities' | 'sysinfo';

export type InfoSource =
  /** An element or attribute, as an XPath into the document: `/capabilities/host/cpu/arch`. */
  | { document: InfoDocument; xpath: string }
  /** A libvirt API call, and the field of its result when it returns a structure. */
  | { call: string; field?: string };

/** What a row could not show: libvirt's refusal in its words, untouched, or why its answer could not be read. */
export interface InfoError {
  message: string;
  /** `VIR_ERR_NO_SUPPORT`…; absent when libvirt answered but the answer could not be read. */
  code?: string;
  /** `VIR_FROM_TEST`… */
  domain?: string;
  /** The call that failed: `virConnectGetSysinfo`. */
  call: string;
}

export interface InfoNodeOptions {
  description?: string;
  /** What the row means, when the label alone does not say. */
  tooltip?: string;
  /** The value as libvirt gave it: what "Copy Value" copies. Every leaf has one. */
  value?: string;
  /** Where `value` came from. Every leaf has one. */
  source?: InfoSource;
  /** A codicon id (present in @vscode/codicons 0.0.36, i.e. VS Code 1.91). */
  icon?: string;
  /** A theme colour id for the icon. */
  iconColor?: string;
  /** Set when the row reports libvirt's refusal instead of a value. */
  error?: InfoError;
}

export interface InfoNode<K extends string = string> extends InfoNodeOptions {
  kind: K;
  label: string;
  children: InfoNode<K>[];
}

/** A node; empty descriptions and absent options are left out. */
export function infoNode<K extends string>(kind: K, label: string, options: InfoNodeOptions = {}, children: InfoNode<K>[] = []): InfoNode<K> {
  const node: InfoNode<K> = { kind, label, children };
  for (const [key, value] of Object.entries(options) as [keyof InfoNodeOptions, unknown][]) {
    if (value === undefined || (key === 'description' && value === '')) continue;
    (node as unknown as Record<string, unknown>)[key] = value;
  }
  return node;
}

/** `/capabilities/host/cpu/arch`, or `virNodeGetInfo (cpus)`. */
export function describeSource(source: InfoSource): string {
  if ('call' in source) return source.field !== undefined ? `${source.call} (${source.field})` : source.call;
  return source.xpath;
}

/**
 * Plain-text tooltip: what the row means, its raw value and where it came from, or libvirt's
 * refusal with its code.
 */
export function nodeTooltip(node: InfoNode): string {
  const lines: string[] = [];
  if (node.tooltip !== undefined) lines.push(node.tooltip);
  if (node.error) {
    const e = node.error;
    lines.push(t('{0} failed: {1}', e.call, e.message));
    if (e.code !== undefined) lines.push([e.code, e.domain].filter((p) => p !== undefined).join(', '));
    return lines.join('\n');
  }
  if (node.value !== undefined && node.value !== '' && node.value !== node.description && node.value !== node.label) lines.push(t('Value: {0}', node.value));
  if (node.source) lines.push(t('From: {0}', describeSource(node.source)));
  return lines.join('\n');
}

/**
 * Indented text: two spaces per level, `label  description`, one node per line; a refused
 * fact prints libvirt's message in parentheses.
 */
export function formatTree(nodes: InfoNode[]): string {
  const lines: string[] = [];
  const walk = (list: InfoNode[], depth: number): void => {
    for (const n of list) {
      const text = n.error ? `(${n.error.message})` : n.description;
      lines.push(`${'  '.repeat(depth)}${n.label}${text ? `  ${text}` : ''}`);
      walk(n.children, depth + 1);
    }
  };
  walk(nodes, 0);
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Every node, depth first. */
export function walkNodes<K extends string>(nodes: InfoNode<K>[]): InfoNode<K>[] {
  return nodes.flatMap((n) => [n, ...walkNodes(n.children)]);
}

/** One step of an XPath: `name`, `name[2]` or `name[@key='value']`. */
export function step(name: string, predicate?: number | [string, string]): string {
  if (predicate === undefined) return name;
  if (typeof predicate === 'number') return `${name}[${predicate}]`;
  return `${name}[@${predicate[0]}=${quote(predicate[1])}]`;
}

/** `name[.='text']`: an element found by its content (machines, models). */
export function stepByText(name: string, text: string): string {
  return `${name}[.=${quote(text)}]`;
}

function quote(value: string): string {
  return value.includes("'") ? `"${value}"` : `'${value}'`;
}

/** The XPath step of the `index`th of `count` same-named siblings: indexed only when there are several. */
export function nth(name: string, index: number, count: number): string {
  return count > 1 ? step(name, index + 1) : name;
}

/** Attributes as libvirt prints them: `sockets='1' cores='8'`; undefined ones left out. */
export function rawAttributes(attributes: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(attributes)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${quote(typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v))}`)
    .join(' ');
}

/** `one` or `other` by `count` (both t() templates with `{0}` for the count): `2 sockets`. */
export function plural(count: number, one: string, other: string): string {
  return (count === 1 ? one : other).replace('{0}', String(count));
}

const BINARY_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];

/** `2048 KiB` → `2 MiB`; units libvirt does not use are printed as given. */
export function formatSize(value: number, unit: string): string {
  const power = BINARY_UNITS.indexOf(unit);
  if (power < 0 || value === 0) return `${value} ${unit}`;
  const bytes = value * 1024 ** power;
  let target = 0;
  while (target + 1 < BINARY_UNITS.length && bytes >= 1024 ** (target + 1)) target++;
  return `${trimDecimals(bytes / 1024 ** target)} ${BINARY_UNITS[target]}`;
}

export function trimDecimals(value: number, digits = 2): string {
  return String(Number(value.toFixed(digits)));
}

/** Ids in libvirt's cpuset notation: `0-3,8,10-11`. */
export function formatIdList(ids: number[]): string {
  const sorted = [...new Set(ids)].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    ranges.push(j > i ? `${sorted[i]}-${sorted[j]}` : String(sorted[i]));
    i = j + 1;
  }
  return ranges.join(',');
}
