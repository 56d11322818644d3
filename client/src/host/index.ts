// A host's facts and domains as display-neutral rows (the Host and Domains nodes, `virt-uri caps`).
export { errorRow, hostLabels, hostTree, infoError, type HostNodeKind, type HostTreeNode } from './facts';
export { DOMAIN_STATE_LOOKS, domainsTree, runningCount, sortDomains, stateWithReason, type DomainNodeKind, type DomainTreeNode } from './domains';
