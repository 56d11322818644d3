# libvirt connection URIs, as the libvirt walkthrough opens them: an untitled copy, edit it freely.
# The Problems panel (Ctrl+Shift+M) lists what libvirt would refuse or quietly ignore, in its own words.
import libvirt

# QEMU/KVM's system instance on this machine: all its guests (root, or the libvirt group).
conn = libvirt.open('qemu:///system')

# Your own per-user QEMU/KVM instance: no special permissions, only your guests.
session = libvirt.openReadOnly('qemu:///session')

# A remote host over ssh; no_tty=1 keeps ssh from asking for a password: use a key or an agent.
remote = libvirt.open('qemu+ssh://root@kvm1.example.com/system?no_tty=1')

# Broken on purpose: two slashes make "system" the host name.
typo = libvirt.open('qemu://system')

# Broken on purpose: "shh" is not a transport.
misspelt = libvirt.open('qemu+shh://kvm1.example.com/system')

# Weakened on purpose: no_verify=1 skips the check of the server's TLS certificate.
unchecked = libvirt.open('qemu+tls://kvm1.example.com/system?no_verify=1')

# libvirt's test driver: a mock host inside the library, always there.
test = libvirt.openReadOnly('test:///default')
