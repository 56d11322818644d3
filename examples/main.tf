terraform {
  required_providers {
    libvirt = {
      source = "dmacvicar/libvirt"
    }
  }
}

provider "libvirt" {
  uri = "qemu+ssh://root@node1.example.com/system?keyfile=id_ed25519&sshauth=privkey"
}

provider "libvirt" {
  alias = "lab"
  uri   = "qemu+tls://lab.example.com/system?pkipath=/etc/pki/lab"
}

resource "libvirt_volume" "base" {
  name   = "debian-12.qcow2"
  source = "https://cloud.debian.org/images/cloud/bookworm/latest/debian-12-generic-amd64.qcow2"
}
