// The domain capabilities model: parse virConnectGetDomainCapabilities XML, show it as a tree.
export * from './model';
export { parseDomainCapabilities } from './parse';
export { domainCapabilitiesTree } from './tree';
export type { DomainCapsNodeKind, DomainCapsTreeNode } from './tree';
export { domainCapabilitiesTargets, type DomainCapsTarget } from './targets';
