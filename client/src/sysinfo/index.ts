// The host's SMBIOS information: parse virConnectGetSysinfo XML, show it as rows.
export { entryValue, parseSysinfo, sysinfoValue, type Sysinfo, type SysinfoEntry, type SysinfoSection } from './sysinfo';
export { sysinfoTree, type SysinfoNodeKind, type SysinfoTreeNode } from './tree';
