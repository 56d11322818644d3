import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CapabilitiesParseError, parseCapabilities } from '../../client/src/capabilities';

function parseError(xml: string): CapabilitiesParseError {
  try {
    parseCapabilities(xml);
  } catch (error) {
    assert.ok(error instanceof CapabilitiesParseError, `unexpected ${String(error)}`);
    return error;
  }
  assert.fail(`parsed without error: ${xml}`);
}

/** The message for a <capabilities> document with this content. */
function messageFor(content: string): string {
  return parseError(`<capabilities>${content}</capabilities>`).message;
}

test('empty input', () => {
  const error = parseError('  \n');
  assert.equal(error.message, 'capabilities XML is empty');
  assert.equal(error.name, 'CapabilitiesParseError');
  assert.ok(error instanceof Error);
});

test('not XML at all', () => {
  const error = parseError('error: failed to connect to the hypervisor');
  assert.match(error.message, /^not well-formed XML: /);
  assert.equal(error.line, 1);
});

test('truncated XML reports where', () => {
  const error = parseError('<capabilities>\n  <host>\n    <uuid>x</uuid>\n</capabilities>');
  assert.match(error.message, /^not well-formed XML: .*\(line 4, column \d+\)$/);
  assert.equal(error.line, 4);
});

test('wrong root element', () => {
  const error = parseError('<domainCapabilities><path>/usr/bin/qemu</path></domainCapabilities>');
  assert.equal(error.message, 'expected a <capabilities> document, found <domainCapabilities>');
});

test('two root elements', () => {
  assert.equal(parseError('<capabilities/><capabilities/>').message, 'expected one root element, found 2');
});

test('missing required parts name the element path', () => {
  assert.equal(messageFor("<guest><arch name='x86_64'/></guest>"), '/capabilities/guest: missing <os_type>');
  assert.equal(
    messageFor("<guest><os_type>hvm</os_type><arch name='i686'/></guest><guest><os_type>hvm</os_type><arch/></guest>"),
    "/capabilities/guest[2]/arch: missing attribute 'name'",
  );
  assert.equal(messageFor('<host><secmodel><doi>0</doi></secmodel></host>'), '/capabilities/host/secmodel: missing <model>');
});

test('malformed required numbers and switches are refused', () => {
  assert.equal(
    messageFor("<host><topology><cells num='1'><cell id='zero'/></cells></topology></host>"),
    "/capabilities/host/topology/cells/cell: attribute 'id' is not a whole number: 'zero'",
  );
  assert.equal(
    messageFor("<host><topology><cells><cell id='0'><memory unit='KiB'>lots</memory></cell></cells></topology></host>"),
    "/capabilities/host/topology/cells/cell/memory: content is not a whole number: 'lots'",
  );
  assert.equal(
    messageFor("<host><iommu support='maybe'/></host>"),
    "/capabilities/host/iommu: attribute 'support' must be yes or no",
  );
});

test('documents the XML parser itself refuses are reported the same way', () => {
  const error = parseError("<capabilities><host __proto__='x'/></capabilities>");
  assert.match(error.message, /^cannot parse XML: .*__proto__/);
  const deep = '<capabilities>' + '<x>'.repeat(120) + '</x>'.repeat(120) + '</capabilities>';
  assert.match(parseError(deep).message, /^cannot parse XML: /);
});

test('the smallest document parses; declarations, comments and entities are handled', () => {
  assert.deepEqual(parseCapabilities('<capabilities/>'), { guests: [] });
  const caps = parseCapabilities(
    "<?xml version='1.0'?>\n<!-- caps -->\n<capabilities><host><secmodel><model>dac</model><doi>0</doi>" +
      "<baselabel type='kvm'>+0:+0 &amp; more</baselabel></secmodel></host></capabilities>",
  );
  const secmodel = { model: 'dac', doi: '0', baselabels: [{ type: 'kvm', label: '+0:+0 & more' }] };
  assert.deepEqual(caps.host, { secmodels: [secmodel] });
});
