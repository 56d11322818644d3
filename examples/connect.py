#!/usr/bin/env python3
"""Connect to hypervisors the ways chapter 3 of the libvirt Python guide shows."""
import sys

import libvirt

SASL_USER = "my-super-user"
SASL_PASS = "my-super-pass"


def request_cred(credentials, user_data):
    for credential in credentials:
        if credential[0] == libvirt.VIR_CRED_AUTHNAME:
            credential[4] = SASL_USER
        elif credential[0] == libvirt.VIR_CRED_PASSPHRASE:
            credential[4] = SASL_PASS
    return 0


def main():
    conn = libvirt.open('qemu:///system')
    ro = libvirt.openReadOnly('qemu:///system')

    auth = [[libvirt.VIR_CRED_AUTHNAME, libvirt.VIR_CRED_PASSPHRASE], request_cred, None]
    remote = libvirt.openAuth('qemu+tcp://localhost/system', auth, 0)

    # Broken: two slashes make "system" the host name.
    typo = libvirt.open('qemu://system')
    # Broken: "shh" is not a transport.
    tls = libvirt.open('qemu+shh://host2/system')
    # An alias from libvirt.conf in this folder.
    hail = libvirt.open('hail')

    caps = conn.getCapabilities()
    print('Capabilities:\n' + caps)
    for c in (conn, ro, remote, typo, tls, hail):
        c.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
