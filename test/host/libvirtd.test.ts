// The rows of a host reached through a private libvirtd (its test driver): over the unix socket
// and over TCP with SASL, so the daemon's own answers (URI, secure/encrypted) show.
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { capabilitiesTree, parseCapabilities } from '../../client/src/capabilities';
import { domainsTree, errorRow, hostTree, infoError } from '../../client/src/host';
import { formatTree } from '../../client/src/info/node';
import { Hypervisor, LibvirtError, VIR_CRED, type CredentialRequest, type HostFacts } from '../../client/src/libvirt';
import { parseSysinfo, sysinfoTree } from '../../client/src/sysinfo';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';
import { assertRowsTraceable } from '../helpers/rows';

// Outside CI a machine without the daemon packages skips; in CI a missing package fails.
const unavailable = process.env.CI ? null : libvirtdUnavailable();

function describeRows(facts: HostFacts): Record<string, string> {
  return Object.fromEntries(hostTree(facts).map((n) => [n.label, n.error ? `(${n.error.message})` : (n.description ?? '')]));
}

describe('Host rows through a private libvirtd', { skip: unavailable ?? false }, () => {
  let daemon: Libvirtd;
  let hv: Hypervisor;

  before(async () => {
    daemon = await startLibvirtd();
    hv = await Hypervisor.start();
  });
  after(async () => {
    await hv?.dispose();
    await daemon?.stop();
  });

  it('over the unix socket: the daemon’s URI and libvirt, a secure unencrypted link, the test domain', async () => {
    const uri = `test+unix:///default?socket=${daemon.socketPath}`;
    const conn = await hv.open(uri, { readOnly: true });
    try {
      const facts = await conn.hostFacts();
      const rows = describeRows(facts);
      assert.equal(rows.URI, uri);
      assert.equal(rows.Driver, 'TEST');
      assert.equal(rows.Hostname, hostname());
      assert.equal(rows['libvirt version'], '9.0.0');
      assert.equal(rows.CPUs, '16 (2 NUMA nodes × 2 sockets × 2 cores × 2 threads)');
      assert.equal(rows.Secure, 'yes');
      assert.equal(rows.Encrypted, 'no');
      assert.equal(rows.BIOS, 'LENOVO G4ETA1WW (2.61 ), 05/07/2014');
      assert.equal(formatTree(domainsTree(facts.domains).map((d) => ({ ...d, children: [] }))), 'test  running, id 1\n');
      assert.ok('value' in facts.capabilities && 'value' in facts.sysinfo);
      // The daemon's real XML, through every builder.
      assertRowsTraceable(hostTree(facts), { capabilities: facts.capabilities.value, sysinfo: facts.sysinfo.value });
      assertRowsTraceable(capabilitiesTree(parseCapabilities(facts.capabilities.value)), { capabilities: facts.capabilities.value });
      assertRowsTraceable(sysinfoTree(parseSysinfo(facts.sysinfo.value)), { sysinfo: facts.sysinfo.value });
    } finally {
      await conn.close();
    }
  });

  it('over TCP with SASL DIGEST-MD5: encrypted; domain capabilities refused by the driver behind the daemon', async () => {
    const credentials = (requests: CredentialRequest[]) =>
      requests.map((r) => (r.type === VIR_CRED.AUTHNAME ? daemon.username : r.type === VIR_CRED.PASSPHRASE ? daemon.password : undefined));
    const conn = await hv.openAuth(`test+tcp://127.0.0.1:${daemon.tcpPort}/default`, { credentials });
    try {
      const rows = describeRows(await conn.hostFacts());
      assert.equal(rows.Secure, 'yes');
      assert.equal(rows.Encrypted, 'yes');
      const refusal = await conn.domainCapabilities().then(
        () => assert.fail('the test driver gave domain capabilities'),
        (e: unknown) => e,
      );
      assert.ok(refusal instanceof LibvirtError);
      const row = errorRow('domain-capabilities', 'Domain capabilities', infoError(refusal));
      assert.equal(row.error?.code, 'VIR_ERR_NO_SUPPORT');
      assert.equal(row.description, 'this function is not supported by the connection driver: virConnectGetDomainCapabilities');
    } finally {
      await conn.close();
    }
  });
});
