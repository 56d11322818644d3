// The capabilities model: parse virConnectGetCapabilities XML, show it as a tree.
export * from './model';
export { CapabilitiesParseError, parseCapabilities } from './parse';
export { capabilitiesTree, formatIdList, formatSize, formatTree } from './tree';
export type { CapabilitiesNodeKind, CapabilitiesTreeNode } from './tree';
