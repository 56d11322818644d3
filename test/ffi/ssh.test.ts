// libvirt's ssh, libssh and libssh2 transports against a private sshd on loopback that reaches a
// private libvirtd, opened in a detached child (no controlling terminal, as the helper process)
// whose prompts come here: ssh's through askpass, libssh/libssh2's as credential requests. The
// exact prompt texts asserted here are what the UI's classifier is built on.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { ASKPASS_DISPLAY, classifyCredential, type SshPrompt } from '../../client/src/askpass';
import { VIR_CRED, type CredentialRequest } from '../../client/src/libvirt';
import { startDetached, type DetachedLibvirt, type OpenOutcome } from '../helpers/detached';
import { libvirtdUnavailable, startLibvirtd, type Libvirtd } from '../helpers/libvirtd';
import { sshdUnavailable, startSshd, type Sshd } from '../helpers/sshd';

// Outside CI a machine without sshd, nc or root skips; in CI a missing piece fails.
const unavailable = process.env.CI ? null : (sshdUnavailable() ?? libvirtdUnavailable());

/** A deadline that only stops a hang from stalling the run; no test waits for it. */
const BACKSTOP_MS = 60_000;

/** The hex forms libvirt prints: libssh2 an upper-case MD5, libssh a lower-case SHA-256. */
function hostKeyHash(publicKey: string, algorithm: 'md5' | 'sha256'): string {
  const blob = Buffer.from(publicKey.split(' ')[1], 'base64');
  const hex = createHash(algorithm).update(blob).digest('hex').match(/../g)!.join(':');
  return algorithm === 'md5' ? hex.toUpperCase() : hex;
}

function failed(outcome: OpenOutcome): Extract<OpenOutcome, { ok: false }> {
  assert.equal(outcome.ok, false, `opened, but should have failed: ${JSON.stringify(outcome)}`);
  return outcome as Extract<OpenOutcome, { ok: false }>;
}

function opened(outcome: OpenOutcome, type: string): void {
  assert.deepEqual(outcome.ok ? { ok: true, type: outcome.type } : outcome, { ok: true, type });
}

describe('ssh transports against a loopback sshd', { skip: unavailable ?? false }, () => {
  let daemon: Libvirtd;
  let sshd: Sshd;
  let child: DetachedLibvirt;
  let keys: { passphrase: string; plain: string; rsa: string };
  const PASSPHRASE = 'key-passphrase-1';
  /**
   * `driver+transport://user@host:port/path?socket=…&more`: libvirt 9.0 hands `socket` to
   * `nc -U` on the far side (virt-ssh-helper learns of it only from 9.1).
   */
  let uri: (scheme: string, address: string, pathAndParams?: string) => string;
  const trust = (...addresses: string[]) => writeFileSync(sshd.knownHosts, addresses.map((a) => sshd.knownHostsLines(a)).join(''));
  let libvirtKnownHosts: string;

  before(async () => {
    daemon = await startLibvirtd({ groupAccess: true });
    sshd = await startSshd({ groups: [daemon.gid], sessionSocket: daemon.socketPath });
    keys = {
      passphrase: sshd.makeKey('id_passphrase', { passphrase: PASSPHRASE }),
      plain: sshd.makeKey('id_plain'),
      rsa: sshd.makeKey('id_rsa', { type: 'rsa' }),
    };
    uri = (scheme, address, pathAndParams = '/default') => {
      const host = address.includes(':') ? `[${address}]` : address;
      const [p, q] = pathAndParams.split('?');
      return `${scheme}://${sshd.user}@${host}:${sshd.port}${p}?socket=${daemon.socketPath}${q ? `&${q}` : ''}`;
    };
    // The helper's environment: ours without an agent, askpass or display of the developer's.
    const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${sshd.binDir}:${process.env.PATH}`, HOME: path.dirname(sshd.knownHosts) };
    for (const name of ['SSH_AUTH_SOCK', 'SSH_ASKPASS', 'SSH_ASKPASS_REQUIRE', 'DISPLAY', 'WAYLAND_DISPLAY']) delete env[name];
    child = await startDetached(env);
  });
  after(async () => {
    await child?.stop();
    await sshd?.stop();
    await daemon?.stop();
  });
  beforeEach(() => {
    libvirtKnownHosts = path.join(path.dirname(sshd.knownHosts), `libvirt_known_hosts_${Math.random().toString(36).slice(2)}`);
  });

  it('runs the stand-in helper in a session of its own, without a terminal, with askpass set', () => {
    assert.equal(child.sessionLeader, true);
    assert.equal(child.controllingTerminal, false);
    assert.match(child.askpassEnv.SSH_ASKPASS, /askpass\.sh$/);
    assert.equal(child.askpassEnv.DISPLAY, ASKPASS_DISPLAY);
  });

  describe('ssh (OpenSSH through askpass)', () => {
    it('qemu+ssh: a passphrase-protected key, the passphrase asked through askpass', async () => {
      trust('127.0.0.1');
      const prompts: SshPrompt[] = [];
      // No socket: virt-ssh-helper on the far side finds the login user's session daemon.
      const outcome = await child.open(
        { uri: `qemu+ssh://${sshd.user}@127.0.0.1:${sshd.port}/session?keyfile=${keys.passphrase}`, timeoutMs: BACKSTOP_MS },
        {
          onPrompt: (p) => {
            prompts.push(p);
            return PASSPHRASE;
          },
        },
      );
      opened(outcome, 'QEMU');
      assert.deepEqual(prompts, [{ kind: 'passphrase', text: `Enter passphrase for key '${keys.passphrase}': `, secret: true, key: keys.passphrase }]);
    });

    it('password login through askpass; a wrong password is asked again', async () => {
      const address = sshd.addresses.at(-1)!;
      trust(address);
      const prompts: SshPrompt[] = [];
      const answers = ['not-the-password', sshd.password];
      const outcome = await child.open(
        { uri: uri('test+ssh', address), timeoutMs: BACKSTOP_MS },
        {
          onPrompt: (p) => {
            prompts.push(p);
            return answers.shift();
          },
        },
      );
      opened(outcome, 'TEST');
      const asked: SshPrompt = { kind: 'password', text: `${sshd.user}@${address}'s password: `, secret: true, user: sshd.user, host: address };
      assert.deepEqual(prompts, [asked, asked]);
    });

    it('asks about an unknown host key with its fingerprint; accepting adds it to known_hosts', async () => {
      trust();
      const host = `[127.0.0.1]:${sshd.port}`;
      const ed25519 = sshd.hostKeys.find((k) => k.type === 'ED25519')!;
      const prompts: SshPrompt[] = [];
      const outcome = await child.open(
        { uri: uri('test+ssh', '127.0.0.1', `/default?keyfile=${keys.plain}`), timeoutMs: BACKSTOP_MS },
        {
          onPrompt: (p) => {
            prompts.push(p);
            return p.kind === 'hostKey' ? p.accept : undefined;
          },
        },
      );
      opened(outcome, 'TEST');
      assert.deepEqual(prompts, [
        {
          kind: 'hostKey',
          text:
            `The authenticity of host '${host} (${host})' can't be established.\n` +
            `ED25519 key fingerprint is ${ed25519.fingerprint}.\n` +
            'This key is not known by any other names.\n' +
            'Are you sure you want to continue connecting (yes/no/[fingerprint])? ',
          secret: false,
          host,
          keyType: 'ED25519',
          fingerprint: ed25519.fingerprint,
          accept: 'yes',
          reject: 'no',
        },
      ]);
      assert.equal(readFileSync(sshd.knownHosts, 'utf8'), `${host} ${ed25519.publicKey.split(' ').slice(0, 2).join(' ')}\n`);
    });

    it('rejecting an unknown host key fails with ssh\'s verdict and trusts nothing', async () => {
      trust();
      const prompts: SshPrompt[] = [];
      const outcome = failed(
        await child.open(
          { uri: uri('test+ssh', '127.0.0.1', `/default?keyfile=${keys.plain}`), timeoutMs: BACKSTOP_MS },
          {
            onPrompt: (p) => {
              prompts.push(p);
              return p.kind === 'hostKey' ? p.reject : undefined;
            },
          },
        ),
      );
      assert.deepEqual(
        prompts.map((p) => p.kind),
        ['hostKey'],
      );
      assert.equal(outcome.message, 'Cannot recv data: Host key verification failed.: Connection reset by peer');
      assert.equal(readFileSync(sshd.knownHosts, 'utf8'), '');
    });

    it('no_tty=1 runs ssh in batch mode: it fails without ever prompting', async () => {
      let prompts = 0;
      const onPrompt = () => {
        prompts++;
        return undefined;
      };
      trust();
      const unknownHost = failed(await child.open({ uri: uri('test+ssh', '127.0.0.1', '/default?no_tty=1'), timeoutMs: BACKSTOP_MS }, { onPrompt }));
      assert.equal(unknownHost.message, 'Cannot recv data: Host key verification failed.: Connection reset by peer');
      trust('127.0.0.1');
      const lockedKey = failed(await child.open({ uri: uri('test+ssh', '127.0.0.1', `/default?no_tty=1&keyfile=${keys.passphrase}`), timeoutMs: BACKSTOP_MS }, { onPrompt }));
      assert.equal(lockedKey.message, `Cannot recv data: ${sshd.user}@127.0.0.1: Permission denied (publickey,password).: Connection reset by peer`);
      assert.equal(prompts, 0);
    });

    it('a cancelled prompt ends ssh: the open fails at once with the reason, nothing is sent to the server', async () => {
      trust('127.0.0.1');
      const failedPasswords = () => sshd.log().split('\n').filter((l) => l.startsWith('Failed password')).length;
      const before = failedPasswords();
      const prompts: SshPrompt[] = [];
      const outcome = failed(
        await child.open(
          { uri: uri('test+ssh', '127.0.0.1'), timeoutMs: BACKSTOP_MS },
          {
            onPrompt: (p) => {
              prompts.push(p);
              return undefined;
            },
          },
        ),
      );
      assert.deepEqual(
        prompts.map((p) => p.kind),
        ['password'],
      );
      assert.equal(outcome.message, `Cannot recv data: askpass: "${sshd.user}@127.0.0.1's password:" was cancelled: Connection reset by peer`);
      // ssh, had it lived, would have tried an empty password (and asked twice more).
      assert.equal(failedPasswords(), before);
    });

    it('a prompt whose open is cancelled is withdrawn', async () => {
      trust('127.0.0.1');
      const cancel = new AbortController();
      let withdrawn = false;
      const outcome = failed(
        await child.open(
          { uri: uri('test+ssh', '127.0.0.1'), timeoutMs: BACKSTOP_MS },
          {
            onPrompt: (_p, signal) => {
              // The user presses Cancel on the progress notification while the password box is up.
              cancel.abort();
              return new Promise<undefined>((resolve) =>
                signal.addEventListener('abort', () => {
                  withdrawn = true;
                  resolve(undefined);
                }),
              );
            },
          },
          cancel.signal,
        ),
      );
      assert.equal(outcome.name, 'OpenCancelledError');
      assert.equal(withdrawn, true);
    });
  });

  describe('libssh2 and libssh (credential requests)', () => {
    const hostKeyRequest = (requests: CredentialRequest[]) => requests.length === 1 && classifyCredential(requests[0]).kind === 'hostKey';

    for (const transport of ['libssh2', 'libssh'] as const) {
      const hash = transport === 'libssh2' ? 'md5' : 'sha256';

      it(`${transport}: asks to accept an unknown host key as an ECHOPROMPT; yes opens and records it`, async () => {
        const rounds: CredentialRequest[][] = [];
        const outcome = await child.open(
          { uri: uri(`test+${transport}`, '127.0.0.1', `/default?keyfile=${keys.rsa}&sshauth=privkey&known_hosts=${libvirtKnownHosts}`), timeoutMs: BACKSTOP_MS },
          {
            credentials: (requests) => {
              rounds.push(requests);
              return requests.map((r) => {
                const p = classifyCredential(r);
                return p.kind === 'hostKey' ? p.accept : undefined;
              });
            },
          },
        );
        opened(outcome, 'TEST');
        assert.equal(rounds.length, 1);
        const [request] = rounds[0];
        assert.equal(request.type, VIR_CRED.ECHOPROMPT);
        const match = /^Accept SSH host key with hash '(.*)' for host '127\.0\.0\.1:(\d+)' \(y\/n\)\?$/.exec(request.prompt);
        assert.ok(match, request.prompt);
        assert.equal(Number(match[2]), sshd.port);
        const key = sshd.hostKeys.find((k) => hostKeyHash(k.publicKey, hash) === match[1]);
        assert.ok(key, `${match[1]} is the ${hash} of no host key of the sshd`);
        assert.deepEqual(classifyCredential(request), { kind: 'hostKey', text: request.prompt, secret: false, host: `127.0.0.1:${sshd.port}`, fingerprint: match[1], accept: 'y', reject: 'n' });
        assert.match(readFileSync(libvirtKnownHosts, 'utf8'), new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port} ${key.publicKey.split(' ')[0]} `, 'm'));
      });

      it(`${transport}: no to the host key fails in libvirt's words`, async () => {
        let asked = '';
        const outcome = failed(
          await child.open(
            { uri: uri(`test+${transport}`, '127.0.0.1', `/default?keyfile=${keys.rsa}&sshauth=privkey&known_hosts=${libvirtKnownHosts}`), timeoutMs: BACKSTOP_MS },
            {
              credentials: (requests) => {
                const p = classifyCredential(requests[0]);
                if (p.kind !== 'hostKey' || requests.length !== 1) return undefined;
                asked = p.fingerprint!;
                return [p.reject];
              },
            },
          ),
        );
        assert.equal(outcome.codeName, transport === 'libssh2' ? 'VIR_ERR_SSH' : 'VIR_ERR_LIBSSH');
        const prefix = transport === 'libssh2' ? 'SSH transport error' : 'libssh transport error';
        assert.equal(outcome.message, `${prefix}: SSH host key for '127.0.0.1' (${asked}) was not accepted`);
      });

      it(`${transport}: a passphrase-protected key asks for its passphrase`, async () => {
        const rounds: CredentialRequest[][] = [];
        const outcome = await child.open(
          { uri: uri(`test+${transport}`, '127.0.0.1', `/default?keyfile=${keys.passphrase}&sshauth=privkey&known_hosts=${libvirtKnownHosts}`), timeoutMs: BACKSTOP_MS },
          {
            credentials: (requests) => {
              rounds.push(requests);
              return hostKeyRequest(requests) ? ['y'] : [PASSPHRASE];
            },
          },
        );
        opened(outcome, 'TEST');
        const asked = rounds.slice(1).flat();
        const text = transport === 'libssh2' ? `Passphrase for key '${keys.passphrase}'` : 'Passphrase';
        assert.deepEqual(
          asked.map((r) => [r.typeName, r.prompt]),
          [['VIR_CRED_PASSPHRASE', text]],
        );
        assert.deepEqual(classifyCredential(asked[0]), { kind: 'passphrase', text, secret: true, key: transport === 'libssh2' ? keys.passphrase : undefined });
      });

      it(`${transport}: password login asks libvirt's password question`, async () => {
        const rounds: CredentialRequest[][] = [];
        const outcome = await child.open(
          { uri: uri(`test+${transport}`, '127.0.0.1', `/default?sshauth=password&known_hosts=${libvirtKnownHosts}`), timeoutMs: BACKSTOP_MS },
          {
            credentials: (requests) => {
              rounds.push(requests);
              return hostKeyRequest(requests) ? ['y'] : [sshd.password];
            },
          },
        );
        opened(outcome, 'TEST');
        const asked = rounds.slice(1).flat();
        const text = `Enter ${sshd.user}'s password for 127.0.0.1`;
        assert.deepEqual(
          asked.map((r) => [r.typeName, r.prompt, r.challenge]),
          [['VIR_CRED_PASSPHRASE', text, '127.0.0.1']],
        );
        assert.deepEqual(classifyCredential(asked[0]), { kind: 'password', text, secret: true, user: sshd.user, host: '127.0.0.1' });
      });
    }

    it('libssh2: an ed25519 key logs in too', async () => {
      const outcome = await child.open(
        { uri: uri('test+libssh2', '127.0.0.1', `/default?keyfile=${keys.plain}&sshauth=privkey&known_hosts=${libvirtKnownHosts}`), timeoutMs: BACKSTOP_MS },
        { credentials: (requests) => (hostKeyRequest(requests) ? ['y'] : undefined) },
      );
      opened(outcome, 'TEST');
    });

    for (const transport of ['libssh2', 'libssh'] as const) {
      it(`${transport}: a cancelled host key question ends the open with libvirt's error`, async () => {
        let rounds = 0;
        const outcome = failed(
          await child.open(
            { uri: uri(`test+${transport}`, '127.0.0.1', `/default?keyfile=${keys.rsa}&sshauth=privkey&known_hosts=${libvirtKnownHosts}`), timeoutMs: BACKSTOP_MS },
            {
              credentials: () => {
                rounds++;
                return undefined;
              },
            },
          ),
        );
        assert.equal(rounds, 1);
        // libvirt reports a failed host key callback as a transport error; a dismissed question is a cancel.
        const said = transport === 'libssh2' ? 'SSH transport error: failed to retrieve decision to accept host key' : 'libssh transport error: failed to retrieve decision to accept host key';
        assert.deepEqual([outcome.codeName, outcome.message, outcome.cause], ['VIR_ERR_AUTH_CANCELLED', `authentication cancelled: ${said}`, said]);
      });
    }
  });
});
