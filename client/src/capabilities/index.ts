// The capabilities model: parse virConnectGetCapabilities XML, show it as a tree.
export * from './model';
export { CapabilitiesParseError, parseCapabilities } from './parse';
export { capabilitiesTree } from './tree';
export type { CapabilitiesNodeKind, CapabilitiesTreeNode } from './tree';
export { formatIdList, formatSize, formatTree } from '../info/node';
