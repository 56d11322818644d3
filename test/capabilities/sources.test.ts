// Every row of the capabilities tree keeps its raw value and the XPath it came from, for
// tooltips and "Copy Value": checked against each fixture and the test driver's real XML.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { capabilitiesTree, parseCapabilities, type CapabilitiesTreeNode } from '../../client/src/capabilities';
import { nodeTooltip, walkNodes } from '../../client/src/info/node';
import { fixturesDir } from '../helpers/paths';
import { assertRowsTraceable } from '../helpers/rows';

const dir = path.join(fixturesDir, 'capabilities');

for (const name of readdirSync(dir).filter((f) => f.endsWith('.xml'))) {
  test(`${name}: every leaf has a raw value and an XPath that finds it`, () => {
    const xml = readFileSync(path.join(dir, name), 'utf8');
    const checked = assertRowsTraceable(capabilitiesTree(parseCapabilities(xml)), { capabilities: xml });
    assert.ok(checked > 0);
  });
}

test("the test driver's capabilities: every leaf traceable", () => {
  const xml = execFileSync('virsh', ['-c', 'test:///default', 'capabilities'], { encoding: 'utf8' });
  assert.ok(assertRowsTraceable(capabilitiesTree(parseCapabilities(xml)), { capabilities: xml }) > 40);
});

function find(nodes: CapabilitiesTreeNode[], label: string): CapabilitiesTreeNode {
  const found = walkNodes(nodes).find((n) => n.label === label);
  assert.ok(found, `no row ${label}`);
  return found;
}

test('sources name the element or attribute: cells by id, machines by name, features by name', () => {
  const xml = readFileSync(path.join(dir, 'kvm-x86_64.xml'), 'utf8');
  const tree = capabilitiesTree(parseCapabilities(xml));
  assert.deepEqual(find(tree, 'cell 1').source, { document: 'capabilities', xpath: "/capabilities/host/topology/cells/cell[@id='1']/memory" });
  assert.deepEqual(find(tree, 'q35').source, { document: 'capabilities', xpath: "/capabilities/guest[1]/arch/machine[.='q35']" });
  assert.equal(find(tree, 'q35').value, 'q35');
  assert.deepEqual(find(tree, 'pdpe1gb').source, { document: 'capabilities', xpath: "/capabilities/host/cpu/feature[@name='pdpe1gb']" });
  const topology = find(tree, 'topology');
  assert.equal(topology.value, "sockets='1' dies='1' cores='8' threads='2'");
  assert.equal(nodeTooltip(topology), "Value: sockets='1' dies='1' cores='8' threads='2'\nFrom: /capabilities/host/cpu/topology");
  assert.equal(nodeTooltip(find(tree, 'counter')), "2194842000 Hz\nValue: name='tsc' frequency='2194842000' scaling='no'\nFrom: /capabilities/host/cpu/counter");
});
