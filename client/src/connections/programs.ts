// Which programs opening a URI runs: the `ext` transport's and ssh's `command=` here, the
// ssh transports' `netcat=` on the far side. A URI found in a file must say so before it runs.
import { SSH_FAMILY, TRANSPORT_NAMES, findRemoteParam, transportUses, type TransportName } from '../../../server/src/languageservice/catalog';
import { parseUri } from '../../../server/src/languageservice/uri/parser';

export interface ProgramRun {
  /** The parameter that names it, e.g. `command`. */
  parameter: string;
  program: string;
  /** `local`: on this computer; otherwise the host it runs on. */
  where: 'local' | { host: string };
}

export function programsRun(uri: string): ProgramRun[] {
  const parsed = parseUri(uri);
  const transport = parsed.transport?.text.toLowerCase();
  if (!transport || !(TRANSPORT_NAMES as readonly string[]).includes(transport)) return [];
  const runs: ProgramRun[] = [];
  // libvirt lets the last of a repeated parameter win.
  const last = new Map<string, string>();
  for (const p of parsed.params) last.set(p.decodedName.toLowerCase(), p.decodedValue);
  for (const [name, value] of last) {
    const param = findRemoteParam(name);
    if (!param || !transportUses(param, transport as TransportName)) continue;
    if (param.kind === 'program') runs.push({ parameter: param.name, program: value, where: 'local' });
    else if (param.name === 'netcat' && SSH_FAMILY.includes(transport as TransportName)) runs.push({ parameter: param.name, program: value, where: { host: parsed.host?.text ?? '' } });
  }
  return runs;
}
