// What the nodes of one connection share: the connection, the manager, and what was parsed from
// its host facts (parsed once per set of facts; a refresh brings new facts and new parses).
import { parseCapabilities, type Capabilities } from '../capabilities';
import type { ConnectionManager, HypervisorConnection } from '../connections/connectionManager';
import type { HostFacts } from '../libvirt';

export interface ViewDeps {
  manager: ConnectionManager;
}

const parsed = new WeakMap<HostFacts, Capabilities | Error>();

/** The capabilities of these facts, or why they cannot be had (libvirt refused, or the XML is broken). */
export function capabilitiesOf(facts: HostFacts): Capabilities | Error {
  let caps = parsed.get(facts);
  if (!caps) {
    try {
      caps = 'value' in facts.capabilities ? parseCapabilities(facts.capabilities.value) : new Error(facts.capabilities.error.message);
    } catch (e) {
      caps = e instanceof Error ? e : new Error(String(e));
    }
    parsed.set(facts, caps);
  }
  return caps;
}

export interface ConnectionContext extends ViewDeps {
  connection: HypervisorConnection;
  facts: HostFacts;
}
