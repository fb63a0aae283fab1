/* SPDX-License-Identifier: GPL-2.0 */
/* What the interface ioctls say of one interface, in the caller's network namespace. */
#ifndef SOCKTAP_IFINFO_H
#define SOCKTAP_IFINFO_H

#include "ifconfig_fmt.h"

/*
 * Fills *l for interface name as net-tools' if_fetch does: hardware type
 * and address, queue length, the IPv4 address of the interface's own label
 * with its netmask, broadcast and destination, the device map. A fact the
 * kernel does not give is left unknown, not an error.
 */
void ifinfo_read(const char *name, struct if_long *l);
/*
 * The interface table as net-tools reads it: each interface's flags and
 * MTU from SIOCGIFFLAGS and SIOCGIFMTU (sysfs' flags hold PROMISC and
 * ALLMULTI whenever anything raised them, a bridge port's among them, and
 * sysfs may be another namespace's), and the address labels (eth0:1) the
 * kernel lists with their IPv4 addresses (SIOCGIFCONF) added, with no
 * counters of their own; *v (n entries) is xrealloc'd and sorted in
 * net-tools' order.
 */
void ifinfo_as_net_tools(struct procnet_iface **v, size_t *n);

#endif
