import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Component, parseUri, percentDecode } from '../../server/src/languageservice/uri/parser';

function at(c: Component | undefined): [string, number, number] | undefined {
  return c && [c.text, c.start, c.end];
}

describe('parseUri: components and ranges', () => {
  it('splits a full remote URI', () => {
    const text = 'qemu+ssh://root@host:2222/system?keyfile=/k&no_tty=1#frag';
    const u = parseUri(text);
    assert.deepEqual(at(u.scheme), ['qemu+ssh', 0, 8]);
    assert.equal(u.scheme?.terminated, true);
    assert.deepEqual(at(u.driver), ['qemu', 0, 4]);
    assert.deepEqual(at(u.transport), ['ssh', 5, 8]);
    assert.deepEqual(at(u.authority), ['root@host:2222', 11, 25]);
    assert.deepEqual(at(u.user), ['root', 11, 15]);
    assert.deepEqual(at(u.host), ['host', 16, 20]);
    assert.deepEqual(at(u.port), ['2222', 21, 25]);
    assert.deepEqual(at(u.path), ['/system', 25, 32]);
    assert.deepEqual(at(u.query), ['keyfile=/k&no_tty=1', 33, 52]);
    assert.deepEqual(at(u.fragment), ['frag', 53, 57]);
    const params = [...u.params];
    assert.equal(params.length, 2);
    assert.deepEqual(at(params[0].name), ['keyfile', 33, 40]);
    assert.deepEqual(at(params[0].value), ['/k', 41, 43]);
    assert.equal(params[0].separator, '&');
    assert.deepEqual(at(params[1].name), ['no_tty', 44, 50]);
    assert.deepEqual(at(params[1].value), ['1', 51, 52]);
    assert.equal(params[1].separator, '');
    assert.deepEqual(u.problems, []);
  });

  it('local URI: empty authority, path only', () => {
    const u = parseUri('qemu:///system');
    assert.deepEqual(at(u.authority), ['', 7, 7]);
    assert.deepEqual(at(u.host), ['', 7, 7]);
    assert.equal(u.user, undefined);
    assert.equal(u.port, undefined);
    assert.deepEqual(at(u.path), ['/system', 7, 14]);
    assert.equal(u.transport, undefined);
  });

  it('IPv6 host in brackets: host without brackets, then port', () => {
    const u = parseUri('qemu+tcp://[::1]:16509/system');
    assert.deepEqual(at(u.host), ['::1', 12, 15]);
    assert.equal(u.hostIsIpLiteral, true);
    assert.deepEqual(at(u.port), ['16509', 17, 22]);
    assert.deepEqual(u.problems, []);
  });

  it('decodes %-escapes in parameter names and values, keeping raw text', () => {
    const params = [...parseUri('qemu:///system?key%66ile=%2Fhome%2Fme%2Fk%20x&x=caf%C3%A9').params];
    assert.equal(params[0].name.text, 'key%66ile');
    assert.equal(params[0].decodedName, 'keyfile');
    assert.equal(params[0].value?.text, '%2Fhome%2Fme%2Fk%20x');
    assert.equal(params[0].decodedValue, '/home/me/k x');
    assert.equal(params[1].decodedValue, 'café');
  });

  it('opaque and rootless forms', () => {
    assert.deepEqual(at(parseUri('qemu:system').path), ['system', 5, 11]);
    assert.equal(parseUri('qemu:system').authority, undefined);
    assert.deepEqual(at(parseUri('test:').path), ['', 5, 5]);
  });

  it('strings without a scheme are a path', () => {
    const u = parseUri('/var/run/libvirt/libvirt-sock');
    assert.equal(u.scheme, undefined);
    assert.deepEqual(at(u.path), ['/var/run/libvirt/libvirt-sock', 0, 29]);
  });
});

describe('parseUri: libvirt query splitting (virURIParseParams)', () => {
  const split = (q: string) => [...parseUri('qemu:///system?' + q).params].map((p) => [p.decodedName, p.decodedValue]);
  it("';' separates only when no '&' remains", () => {
    assert.deepEqual(split('a=1;b=2&c=3'), [['a', '1;b=2'], ['c', '3']]);
    assert.deepEqual(split('x&a=1;b=2'), [['x', ''], ['a', '1'], ['b', '2']]);
    assert.deepEqual(split('a=1;b=2'), [['a', '1'], ['b', '2']]);
  });
  it('name without value, empty value, empty name, empty sections', () => {
    assert.deepEqual(split('no_tty&no_verify=&=v&&mode=legacy'), [['no_tty', ''], ['no_verify', ''], ['', 'v'], ['mode', 'legacy']]);
    const [p] = parseUri('qemu:///system?no_tty').params;
    assert.equal(p.value, undefined);
  });
  it('keeps duplicates in order', () => {
    assert.deepEqual(split('mode=auto&mode=legacy'), [['mode', 'auto'], ['mode', 'legacy']]);
  });
  it("only the first '=' splits name from value", () => {
    assert.deepEqual(split('name=qemu:///system?x=1'), [['name', 'qemu:///system?x=1']]);
  });
});

describe('parseUri: half-typed input', () => {
  it('qemu+ (no colon yet)', () => {
    const u = parseUri('qemu+');
    assert.deepEqual(at(u.scheme), ['qemu+', 0, 5]);
    assert.equal(u.scheme?.terminated, false);
    assert.deepEqual(at(u.driver), ['qemu', 0, 4]);
    assert.deepEqual(at(u.transport), ['', 5, 5]);
  });
  it('qemu+ssh://root@ (host still empty)', () => {
    const u = parseUri('qemu+ssh://root@');
    assert.deepEqual(at(u.user), ['root', 11, 15]);
    assert.deepEqual(at(u.host), ['', 16, 16]);
    assert.deepEqual(at(u.path), ['', 16, 16]);
  });
  it('…?no_ (parameter name being typed)', () => {
    const [p] = parseUri('qemu+ssh://h/system?no_').params;
    assert.deepEqual(at(p.name), ['no_', 20, 23]);
    assert.equal(p.value, undefined);
  });
  it('a trailing ? or & yields no phantom parameter', () => {
    assert.equal([...parseUri('qemu:///system?').params].length, 0);
    assert.deepEqual(at(parseUri('qemu:///system?').query), ['', 15, 15]);
    assert.equal([...parseUri('qemu:///system?a=1&').params].length, 1);
  });
  it('host:port with the port not typed yet', () => {
    const u = parseUri('qemu+tcp://host:');
    assert.deepEqual(at(u.port), ['', 16, 16]);
    assert.equal(u.problems[0].kind, 'bad-port');
  });
  it('never throws on arbitrary input', () => {
    for (const s of ['', ':', '://', '+', '[', 'a:[', 'a://[', 'a://@@@', 'a://:::', '%', '?&;=#', '\u0000', '😀://x', 'a://h/😀?😀=😀#😀']) {
      assert.doesNotThrow(() => parseUri(s), s);
    }
  });
});

describe('parseUri: syntax problems libxml2 2.9.14 rejects', () => {
  const problems = (s: string) => parseUri(s).problems.map((p) => [p.kind, s.slice(p.start, p.end)]);
  it('spaces and unsafe characters, with their exact range', () => {
    assert.deepEqual(problems('qemu:///sys tem'), [['invalid-character', ' ']]);
    assert.deepEqual(problems('qemu:///system?x=a|b'), [['invalid-character', '|']]);
    assert.deepEqual(problems('qemu:///systé'), [['invalid-character', 'é']]);
    assert.deepEqual(problems('qemu:///system#a#b'), [['invalid-character', '#']]);
    assert.deepEqual(problems('qemu+tcp://us er@127.0.0.1/system'), [['invalid-character', ' ']]);
  });
  it('bad % escapes', () => {
    assert.deepEqual(problems('qemu:///system?a=%zz'), [['bad-escape', '%']]);
    assert.deepEqual(problems('qemu:///system?a=%4'), [['bad-escape', '%4']]);
    assert.deepEqual(problems('qemu:///sys%74em'), []);
  });
  it('ports', () => {
    assert.deepEqual(problems('qemu+tcp://h:1a/system'), [['bad-port', '1a']]);
    assert.deepEqual(problems('qemu+tcp://h:99999999999/system'), [['bad-port', '99999999999']]);
    assert.deepEqual(problems('qemu+tcp://h:70000/system'), []);
  });
  it('schemes', () => {
    assert.deepEqual(problems('1qemu:///'), [['bad-scheme', '1']]);
    assert.deepEqual(problems('qe_mu:///'), [['bad-scheme', '_']]);
    assert.deepEqual(problems('qe.mu:///'), []);
  });
  it('unterminated IPv6 literal', () => {
    assert.deepEqual(problems('qemu+tcp://[::1/system'), [['unterminated-ipv6', '[::1']]);
  });
});

describe('percentDecode', () => {
  it('decodes valid escapes as UTF-8 and keeps invalid ones', () => {
    assert.equal(percentDecode('a%20b%zz%C3%A9%'), 'a b%zzé%');
  });
});

describe('parseUri: linear time', () => {
  // A quadratic scan would take minutes on these; the timeout only guards against a hang.
  it('handles 200k-character pathological inputs', { timeout: 30_000 }, () => {
    const cases: [string, number][] = [
      ['qemu:///system?' + '&'.repeat(200_000), 0],
      ['qemu:///system?' + 'a;'.repeat(100_000), 100_000],
      ['qemu:///system?' + 'a=1;'.repeat(50_000), 50_000],
      ['qemu:///system?' + 'a&'.repeat(100_000), 100_000],
    ];
    for (const [s, count] of cases) assert.equal([...parseUri(s).params].length, count);
    assert.equal(parseUri('qemu://' + '@'.repeat(200_000)).host?.text, '');
    assert.equal(parseUri('a'.repeat(200_000) + ':').path.text, '');
  });
});

describe('parseUri: bounded results on hostile input', () => {
  it('records the first problems, not one per bad character', () => {
    const u = parseUri('qemu:///system?a=' + '%'.repeat(200_000));
    assert.equal(u.problems.length, 100);
    assert.deepEqual([u.problems[0].kind, u.problems[0].start], ['bad-escape', 17]);
    assert.equal(parseUri('q' + '_'.repeat(200_000) + ':///').problems.length, 100);
  });
  it('splits the parameters anew on each pass, the same each time', () => {
    const u = parseUri('qemu:///system?a=1&b=2;c&=d');
    const once = [...u.params].map((p) => [p.decodedName, p.decodedValue, p.start, p.end]);
    assert.deepEqual([...u.params].map((p) => [p.decodedName, p.decodedValue, p.start, p.end]), once);
    assert.deepEqual(once, [['a', '1', 15, 18], ['b', '2;c', 19, 24], ['', 'd', 25, 27]]);
    assert.equal(u.params.find((p) => p.decodedName === 'b')?.decodedValue, '2;c');
    assert.equal(u.params.some((p) => p.decodedName === 'c'), false);
  });
});
