// The libvirt binding: everything outside client/src/libvirt goes through these exports.
export { Hypervisor, Connection, type StartOptions, DEFAULT_CALL_TIMEOUT_MS, DEFAULT_CREDENTIAL_TYPES, type CallOptions, type CredentialsHandler, type OpenOptions, type OpenAuthOptions, type CloseListener } from './hypervisor';
export { CallTimeoutError, LibvirtError, LibvirtUnavailableError, OpenCancelledError, errorCodeName, errorDomainName } from './errors';
export { VIR_CRED, credentialTypeName, type CredentialRequest, type CloseReason, type KeepAlive, type KeepAliveState, type NodeInfo, type DomainSummary, type DomainCapabilitiesQuery, type Fact, type HostFacts, type Version } from './protocol';
export { LIBRARY_ENV, chooseLibrary, libraryCandidates, libvirtInstallHint, type LibraryChoice } from './library';
