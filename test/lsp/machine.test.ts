// What completion reads from this machine: real files in a temporary home.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { MachineEnvironment } from '../../server/src/languageserver/machine';
import { MAX_NAMES, parseEtcHosts, parseKnownHosts } from '../../server/src/languageservice/environment';
import { parseSshConfig } from '../../server/src/languageservice/sshConfig';

describe('host names for completion', () => {
  it('~/.ssh/config: Host entries without wildcards, with their first User, HostName and Port', () => {
    const hosts = parseSshConfig('User global\nHost a b *.lab !c web?\n  User = alice\n  HostName a.example.com\n  User bob\nMatch host x\n  User nobody\nHost "q"\n  Port 2200\n');
    assert.deepEqual(hosts, [
      { alias: 'a', user: 'alice', hostName: 'a.example.com' }, { alias: 'b', user: 'alice', hostName: 'a.example.com' }, { alias: 'q', port: '2200' },
    ]);
  });

  it('known_hosts: unhashed names and [host]:port, no hashes, markers, negations or patterns', () => {
    const text = 'a.example.com,192.0.2.1 ssh-ed25519 AAAA\n|1|abc=|def= ssh-ed25519 AAAA\n@cert-authority *.example.com ssh-rsa AAAA\n'
      + '[b.example.com]:2222,!c.example.com,*.d ssh-rsa AAAA\n# comment\na.example.com ssh-rsa AAAA\n';
    assert.deepEqual(parseKnownHosts(text), [{ name: 'a.example.com' }, { name: '192.0.2.1' }, { name: 'b.example.com', port: '2222' }]);
  });

  it('/etc/hosts: names with their address, not multicast ones, each once', () => {
    const text = '127.0.0.1 localhost\n::1 localhost ip6-localhost # v6\nff02::1 ip6-allnodes\n192.0.2.5 node1.lab node1\n';
    assert.deepEqual(parseEtcHosts(text).map((h) => h.name), ['localhost', 'ip6-localhost', 'node1.lab', 'node1']);
  });

  it('a hostile file gives a bounded list', () => {
    const text = Array.from({ length: MAX_NAMES + 100 }, (_, i) => `10.0.0.1 h${i}`).join('\n');
    assert.equal(parseEtcHosts(text).length, MAX_NAMES);
  });
});

describe('MachineEnvironment', () => {
  let home: string;
  let hostsFile: string;

  before(() => {
    home = mkdtempSync(path.join(tmpdir(), 'virt-uri-machine-'));
    mkdirSync(path.join(home, '.ssh'));
    hostsFile = path.join(home, 'hosts');
    writeFileSync(path.join(home, '.ssh', 'config'), 'Host box\n  User alice\n');
    writeFileSync(path.join(home, '.ssh', 'known_hosts'), 'kh.example.com ssh-ed25519 AAAA\n');
    writeFileSync(hostsFile, '127.0.0.1 localhost\n');
  });
  after(() => rmSync(home, { recursive: true, force: true }));

  it('looks at the files again only after a while', async () => {
    const machine = new MachineEnvironment(home, hostsFile, 60_000);
    await machine.refresh(10_000);
    const first = machine.hosts();
    writeFileSync(path.join(home, '.ssh', 'known_hosts'), 'other.example.com ssh-ed25519 AAAA\n');
    await machine.refresh(10_000);
    assert.equal(machine.hosts(), first);
    writeFileSync(path.join(home, '.ssh', 'known_hosts'), 'kh.example.com ssh-ed25519 AAAA\n');
  });

  it('reads the three files, and again only when one changed', async () => {
    const machine = new MachineEnvironment(home, hostsFile, 0);
    // Nothing is known before the first reading.
    assert.deepEqual(machine.hosts().sshConfig, []);
    await machine.refresh(10_000);
    const first = machine.hosts();
    assert.deepEqual(first.sshConfig, [{ alias: 'box', user: 'alice' }]);
    assert.deepEqual(first.knownHosts, [{ name: 'kh.example.com' }]);
    assert.deepEqual(first.etcHosts, [{ name: 'localhost', address: '127.0.0.1' }]);
    await machine.refresh(10_000);
    assert.equal(machine.hosts().sshConfig, first.sshConfig, 'an unchanged file is not parsed again');
    writeFileSync(path.join(home, '.ssh', 'config'), 'Host box2\n');
    utimesSync(path.join(home, '.ssh', 'config'), new Date(), new Date(Date.now() + 5000));
    await machine.refresh(10_000);
    assert.deepEqual(machine.hosts().sshConfig, [{ alias: 'box2' }]);
    assert.equal(machine.hosts().knownHosts, first.knownHosts);
  });

  it('a missing home, a FIFO (which would block a reader) or a folder in place of a file is nothing, and never waits', async () => {
    const odd = mkdtempSync(path.join(tmpdir(), 'virt-uri-machine-odd-'));
    try {
      mkdirSync(path.join(odd, '.ssh'));
      execFileSync('mkfifo', [path.join(odd, '.ssh', 'config')]);
      mkdirSync(path.join(odd, '.ssh', 'known_hosts'));
      const machine = new MachineEnvironment(odd, path.join(odd, 'no-such-hosts'));
      await machine.refresh(10_000);
      assert.deepEqual(machine.hosts(), { sshConfig: [], knownHosts: [], etcHosts: [] });
      assert.deepEqual(new MachineEnvironment(path.join(odd, 'gone')).homeDir(), path.join(odd, 'gone'));
    } finally {
      rmSync(odd, { recursive: true, force: true });
    }
  });

  it('lists a folder once asked for it: sorted, folders marked (through links too), unreadable ones empty', async () => {
    const dir = path.join(home, 'keys');
    mkdirSync(path.join(dir, 'sub'), { recursive: true });
    writeFileSync(path.join(dir, 'id_rsa'), '');
    execFileSync('ln', ['-s', 'sub', path.join(dir, 'link')]);
    const machine = new MachineEnvironment(home, hostsFile);
    assert.equal(machine.listDirectory(dir + '/'), undefined);
    assert.equal(machine.wants, true);
    await machine.readWanted(10_000);
    assert.equal(machine.wants, false);
    assert.deepEqual(machine.listDirectory(dir + '/'), [
      { name: 'id_rsa', directory: false }, { name: 'link', directory: true }, { name: 'sub', directory: true },
    ]);
    assert.equal(machine.listDirectory('/no/such/folder/'), undefined);
    await machine.readWanted(10_000);
    assert.deepEqual(machine.listDirectory('/no/such/folder/'), []);
  });
});
