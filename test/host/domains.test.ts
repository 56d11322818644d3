import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { DOMAIN_STATE_LOOKS, domainsTree, runningCount, stateWithReason } from '../../client/src/host';
import { formatTree, nodeTooltip } from '../../client/src/info/node';
import { Hypervisor, type DomainSummary } from '../../client/src/libvirt';
import { fixturesDir } from '../helpers/paths';

// Every codicon the rows use, checked against @vscode/codicons 0.0.36 (dist/codicon.csv), the
// version VS Code 1.91 (our engines.vscode) ships; `~spin` is ThemeIcon's animation modifier.
const CODICONS_0_0_36 = new Set(['vm-running', 'vm-active', 'vm-outline', 'debug-pause', 'loading', 'error', 'watch', 'question', 'warning']);

describe('Domains rows from the test driver', () => {
  let hv: Hypervisor;

  before(async () => {
    hv = await Hypervisor.start();
  });
  after(async () => {
    await hv?.dispose();
  });

  async function domainsOf(uri: string): Promise<DomainSummary[]> {
    const conn = await hv.open(uri, { readOnly: true });
    try {
      const facts = await conn.hostFacts();
      assert.ok('value' in facts.domains);
      return facts.domains.value;
    } finally {
      await conn.close();
    }
  }

  it('test:///default: the test domain, running, id 1', async () => {
    const rows = domainsTree(await domainsOf('test:///default'));
    assert.equal(formatTree(rows), 'test  running, id 1\n  state  running (unknown)\n  id  1\n  UUID  6695eb01-f6a4-8304-79aa-97f2502e193f\n');
    assert.equal(rows[0].icon, 'vm-running');
    assert.equal(rows[0].iconColor, 'charts.green');
    assert.equal(rows[0].value, 'test');
    assert.equal(nodeTooltip(rows[0]), 'test: running (unknown), id 1\nUUID 6695eb01-f6a4-8304-79aa-97f2502e193f\nFrom: virConnectListAllDomains');
  });

  it('a domain in every state: running ones first, then by name, in virsh list’s words', async () => {
    const domains = await domainsOf(`test://${path.join(fixturesDir, 'libvirt', 'domains.xml')}`);
    // The Domains row's count agrees with the order: the idle one runs too.
    assert.equal(runningCount(domains), 4);
    const rows = domainsTree(domains);
    assert.deepEqual(
      rows.map((r) => `${r.label}  ${r.description}  [${r.icon}]`),
      [
        'analytics  idle, id 3  [vm-active]',
        'db1  running, id 6  [vm-running]',
        'web2  running, id 2  [vm-running]',
        'web10  running, id 1  [vm-running]',
        'alpha  shut off  [vm-outline]',
        'archive  shut off  [vm-outline]',
        'batch  paused, id 4  [debug-pause]',
        'kernel-dev  crashed, id 7  [error]',
        'laptop-sim  pmsuspended, id 8  [watch]',
        'retiring  in shutdown, id 5  [loading~spin]',
        'Zeta  shut off  [vm-outline]',
      ],
    );
    const alpha = rows.find((r) => r.label === 'alpha')!;
    assert.deepEqual(alpha.children.map((c) => c.label), ['state', 'UUID'], 'an inactive domain has no id');
    assert.match(nodeTooltip(alpha), /^alpha: shut off \(unknown\), inactive\n/);
  });

  it('every icon is a codicon VS Code 1.91 has', () => {
    for (const look of Object.values(DOMAIN_STATE_LOOKS)) assert.ok(CODICONS_0_0_36.has(look.icon.replace(/~spin$/, '')), look.icon);
  });
});

describe('Domains rows', () => {
  const domain = (state: string, reason: number): DomainSummary => ({ name: 'd', uuid: '00000000-0000-0000-0000-000000000000', state, reason, id: null });

  it('give the state reason as virsh domstate --reason does', () => {
    assert.equal(stateWithReason(domain('paused', 5)), 'paused (I/O error)');
    assert.equal(stateWithReason(domain('shutoff', 2)), 'shut off (destroyed)');
    assert.equal(stateWithReason(domain('running', 1)), 'running (booted)');
    assert.equal(stateWithReason(domain('crashed', 1)), 'crashed (panicked)');
    assert.equal(stateWithReason(domain('running', 99)), 'running (unknown)');
  });

  it('show a state a newer libvirt adds by its name', () => {
    const [row] = domainsTree([domain('state 8', 0)]);
    assert.equal(row.description, 'state 8');
    assert.equal(row.icon, 'question');
  });

  it('a refused list is one row in libvirt’s words', () => {
    const rows = domainsTree({ error: { code: 38, domain: 7, level: 2, message: 'Cannot write data: Broken pipe' }, call: 'virConnectListAllDomains' });
    assert.equal(formatTree(rows), 'Domains  (Cannot write data: Broken pipe)\n');
    assert.deepEqual(rows[0].error, { message: 'Cannot write data: Broken pipe', code: 'VIR_ERR_SYSTEM_ERROR', domain: 'VIR_FROM_RPC', call: 'virConnectListAllDomains' });
  });

  it('no domains, no rows', () => {
    assert.deepEqual(domainsTree({ value: [] }), []);
  });
});
