#!/bin/sh
# Nightly backup of guest definitions.
set -eu

export LIBVIRT_DEFAULT_URI=qemu:///system
virsh list --all

for host in node1.example.com node2.example.com; do
    virsh -c "qemu+ssh://root@$host/system?keyfile=/root/.ssh/backup_ed25519&no_tty=1" dumpxml web > "/srv/backup/$host-web.xml"
done

# Broken: "sytem" is not a path the qemu driver knows.
virsh --connect qemu:///sytem list
# Broken: a unix socket cannot reach another host.
virt-install --connect qemu+unix://node1.example.com/system --name test --import --disk none --osinfo detect=on,require=off
