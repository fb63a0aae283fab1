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
 * Adds to *v (n entries, xrealloc'd) the address labels (eth0:1) the
 * kernel lists with their IPv4 addresses (SIOCGIFCONF) and /proc/net/dev
 * does not, as net-tools lists them: no counters, the device's flags and
 * MTU; then sorts *v in net-tools' order.
 */
void ifinfo_add_labels(struct procnet_iface **v, size_t *n);

#endif
