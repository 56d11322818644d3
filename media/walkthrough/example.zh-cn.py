# libvirt 连接 URI 示例，由 libvirt 入门演练打开：这是一份未命名的副本，可以随意编辑。
# “问题”面板（Ctrl+Shift+M）用 libvirt 自己的原话列出 libvirt 会拒绝或悄悄忽略的内容。
import libvirt

# 本机 QEMU/KVM 的 system 实例：管理全部 guest 域（需要 root 或 libvirt 用户组）。
conn = libvirt.open('qemu:///system')

# 你自己的每用户 QEMU/KVM 实例（session）：不需要特殊权限，只管理你自己的 guest 域。
session = libvirt.openReadOnly('qemu:///session')

# 通过 ssh 连接远程主机；no_tty=1 阻止 ssh 询问密码：请使用 SSH 密钥或 ssh-agent。
remote = libvirt.open('qemu+ssh://root@kvm1.example.com/system?no_tty=1')

# 故意写错：两个斜杠使 "system" 成了主机名。
typo = libvirt.open('qemu://system')

# 故意写错："shh" 不是传输协议。
misspelt = libvirt.open('qemu+shh://kvm1.example.com/system')

# 故意削弱：no_verify=1 跳过对服务器 TLS 证书的验证。
unchecked = libvirt.open('qemu+tls://kvm1.example.com/system?no_verify=1')

# libvirt 的测试驱动程序：库内置的模拟主机，随时可用。
test = libvirt.openReadOnly('test:///default')
