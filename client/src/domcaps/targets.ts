// Which domain capabilities a host offers to look at: one per guest arch, domain type and
// machine the capabilities XML lists, as the arguments of virConnectGetDomainCapabilities.
import type { Capabilities, Machine } from '../capabilities';
import type { DomainCapabilitiesQuery } from '../libvirt';

export interface DomainCapsTarget {
  /** `x86_64 kvm q35` */
  label: string;
  /** The machine an alias stands for (`pc-q35-7.2`). */
  description?: string;
  /** The emulator libvirt will describe. */
  emulator?: string;
  query: DomainCapabilitiesQuery;
}

/**
 * One target per arch, domain type and machine. Of QEMU's versioned machine types only the
 * aliases users write (`pc`, `q35`, `virt`) are offered; a guest with one machine offers it
 * (Xen's xenpv, xenfv, xenpvh); otherwise libvirt picks its default machine.
 */
export function domainCapabilitiesTargets(caps: Capabilities): DomainCapsTarget[] {
  const targets: DomainCapsTarget[] = [];
  const seen = new Set<string>();
  for (const guest of caps.guests) {
    const arch = guest.arch;
    for (const domain of arch.domains) {
      const machines = domain.machines.length > 0 ? domain.machines : arch.machines;
      const emulator = domain.emulator ?? arch.emulator;
      for (const machine of offeredMachines(machines)) {
        const key = `${arch.name}\0${domain.type}\0${machine?.name ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const query: DomainCapabilitiesQuery = { arch: arch.name, virtType: domain.type };
        if (machine) query.machine = machine.name;
        const target: DomainCapsTarget = { label: [arch.name, domain.type, machine?.name].filter((p) => p !== undefined).join(' '), query };
        if (machine?.canonical !== undefined) target.description = machine.canonical;
        if (emulator !== undefined) target.emulator = emulator;
        targets.push(target);
      }
    }
  }
  return targets;
}

function offeredMachines(machines: Machine[]): (Machine | undefined)[] {
  const aliases = machines.filter((m) => m.canonical !== undefined);
  if (aliases.length > 0) return aliases;
  return machines.length === 1 ? machines : [undefined];
}
