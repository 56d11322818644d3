// The prompt classifier on the texts OpenSSH 9.2 and libvirt 9.0.0 produce (recorded from the
// real programs by test/ffi/ssh.test.ts) and on the variants they word differently.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyCredential, classifySshPrompt } from '../../client/src/askpass';
import { VIR_CRED } from '../../client/src/libvirt';

describe('classifySshPrompt', () => {
  it('reads an unknown host key question: host, key type, fingerprint, yes/no', () => {
    const text =
      "The authenticity of host '[127.0.0.1]:2222 ([127.0.0.1]:2222)' can't be established.\n" +
      'ED25519 key fingerprint is SHA256:s2LblrM5WG9OAKZzPfxq7t39x17csKTeulA/HFJGO8c.\n' +
      'This key is not known by any other names.\n' +
      'Are you sure you want to continue connecting (yes/no/[fingerprint])? ';
    assert.deepEqual(classifySshPrompt(text), {
      kind: 'hostKey',
      text,
      secret: false,
      host: '[127.0.0.1]:2222',
      keyType: 'ED25519',
      fingerprint: 'SHA256:s2LblrM5WG9OAKZzPfxq7t39x17csKTeulA/HFJGO8c',
      accept: 'yes',
      reject: 'no',
    });
  });

  it('reads the host key question that lists other names of the key', () => {
    const text =
      "The authenticity of host 'example.org (192.0.2.7)' can't be established.\n" +
      'ECDSA key fingerprint is SHA256:AbC/dEf+0123.\n' +
      'This host key is known by the following other names/addresses:\n' +
      '    ~/.ssh/known_hosts:4: [127.0.0.1]:2222\n' +
      'Are you sure you want to continue connecting (yes/no/[fingerprint])? ';
    const p = classifySshPrompt(text);
    assert.equal(p.kind, 'hostKey');
    assert.deepEqual([p.kind === 'hostKey' && p.host, p.kind === 'hostKey' && p.keyType, p.kind === 'hostKey' && p.fingerprint], ['example.org', 'ECDSA', 'SHA256:AbC/dEf+0123']);
  });

  it('keeps a host key question without a fingerprint a host key question (a known key at a new address)', () => {
    const text =
      "Warning: the ECDSA host key for 'example.org' differs from the key for the IP address '192.0.2.7'\n" +
      'Offending key for IP in /home/u/.ssh/known_hosts:3\n' +
      'Matching host key in /home/u/.ssh/known_hosts:9\n' +
      'Are you sure you want to continue connecting (yes/no)? ';
    assert.deepEqual(classifySshPrompt(text), { kind: 'hostKey', text, secret: false, host: undefined, keyType: undefined, fingerprint: undefined, accept: 'yes', reject: 'no' });
  });

  it('reads a password prompt, also for a user with an @ and an IPv6 host', () => {
    assert.deepEqual(classifySshPrompt("alice@192.0.2.7's password: "), { kind: 'password', text: "alice@192.0.2.7's password: ", secret: true, user: 'alice', host: '192.0.2.7' });
    assert.deepEqual(classifySshPrompt("a@corp@::1's password: "), { kind: 'password', text: "a@corp@::1's password: ", secret: true, user: 'a@corp', host: '::1' });
  });

  it("reads keyboard-interactive's password prompt", () => {
    assert.deepEqual(classifySshPrompt('(bob@host.example) Password: '), { kind: 'password', text: '(bob@host.example) Password: ', secret: true, user: 'bob', host: 'host.example' });
  });

  it('reads a key passphrase prompt', () => {
    const text = "Enter passphrase for key '/home/u/.ssh/id_ed25519': ";
    assert.deepEqual(classifySshPrompt(text), { kind: 'passphrase', text, secret: true, key: '/home/u/.ssh/id_ed25519' });
  });

  it('takes SSH_ASKPASS_PROMPT=confirm as a yes/no question and =none as a notice', () => {
    assert.deepEqual(classifySshPrompt('Allow shared connection to host? ', 'confirm'), { kind: 'confirm', text: 'Allow shared connection to host? ', secret: false, accept: 'yes', reject: 'no' });
    const touch = 'Confirm user presence for key ED25519-SK SHA256:xyz';
    assert.deepEqual(classifySshPrompt(touch, 'none'), { kind: 'notice', text: touch, secret: false });
  });

  it('leaves anything else to the user, masked', () => {
    assert.deepEqual(classifySshPrompt('(bob@h) Verification code: '), { kind: 'other', text: '(bob@h) Verification code: ', secret: true });
    assert.deepEqual(classifySshPrompt("Enter PIN for ED25519-SK key /k: "), { kind: 'other', text: 'Enter PIN for ED25519-SK key /k: ', secret: true });
    assert.deepEqual(classifySshPrompt(''), { kind: 'other', text: '', secret: true });
  });

  it('does not take a question that only mentions continuing for a host key question', () => {
    assert.equal(classifySshPrompt('Are you sure you want to continue connecting (yes/no)? and more').kind, 'other');
  });
});

describe('classifyCredential', () => {
  const request = (type: number, prompt: string) => ({ type, prompt });

  it("reads libssh2's and libssh's host key question: y/n answers", () => {
    const libssh2 = "Accept SSH host key with hash '0E:E4:AB:B7:40:AA:38:D3:61:9B:E2:69:45:95:1F:10' for host '127.0.0.1:2222' (y/n)?";
    assert.deepEqual(classifyCredential(request(VIR_CRED.ECHOPROMPT, libssh2)), {
      kind: 'hostKey',
      text: libssh2,
      secret: false,
      host: '127.0.0.1:2222',
      fingerprint: '0E:E4:AB:B7:40:AA:38:D3:61:9B:E2:69:45:95:1F:10',
      accept: 'y',
      reject: 'n',
    });
    const libssh = "Accept SSH host key with hash '3a:1f:c5:75' for host '[::1]:22' (y/n)?";
    const p = classifyCredential(request(VIR_CRED.ECHOPROMPT, libssh));
    assert.deepEqual(p.kind === 'hostKey' && [p.host, p.fingerprint], ['[::1]:22', '3a:1f:c5:75']);
  });

  it('reads key passphrases of libssh2 (with the key) and libssh (without)', () => {
    assert.deepEqual(classifyCredential(request(VIR_CRED.PASSPHRASE, "Passphrase for key '/k/id_rsa'")), { kind: 'passphrase', text: "Passphrase for key '/k/id_rsa'", secret: true, key: '/k/id_rsa' });
    assert.deepEqual(classifyCredential(request(VIR_CRED.NOECHOPROMPT, 'Passphrase')), { kind: 'passphrase', text: 'Passphrase', secret: true, key: undefined });
  });

  it("reads libvirt's password question", () => {
    assert.deepEqual(classifyCredential(request(VIR_CRED.PASSPHRASE, "Enter root's password for 192.0.2.7")), { kind: 'password', text: "Enter root's password for 192.0.2.7", secret: true, user: 'root', host: '192.0.2.7' });
  });

  it('masks by the credential type, not the text', () => {
    assert.deepEqual(classifyCredential(request(VIR_CRED.AUTHNAME, 'Enter username for localhost')), { kind: 'other', text: 'Enter username for localhost', secret: false });
    assert.deepEqual(classifyCredential(request(VIR_CRED.ECHOPROMPT, 'Passphrase')), { kind: 'other', text: 'Passphrase', secret: false });
    // A host key question must come as an ECHOPROMPT; anything else answered "y" would be a password.
    const hostKey = "Accept SSH host key with hash 'ab' for host 'h:22' (y/n)?";
    assert.deepEqual(classifyCredential(request(VIR_CRED.NOECHOPROMPT, hostKey)), { kind: 'other', text: hostKey, secret: true });
  });
});
