/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Names for numbers, as the listings print them unless told -n: host
 * names of addresses, user names of uids, protocol and interface names,
 * through the C library (/etc/hosts, DNS, /etc/passwd, /etc/protocols).
 * Host and user names are cached: a listing asks for the same ones again
 * and again. The other direction, names to numbers, is resolve.h.
 */
#ifndef SOCKTAP_NAMES_H
#define SOCKTAP_NAMES_H

#include <stddef.h>
#include <stdint.h>

/*
 * The host name of addr (family AF_INET or AF_INET6) by getnameinfo(), or
 * NULL if it has none. A v4-mapped address has none there (netstat prints
 * it as a number); ss names its IPv4 host, and asks for that.
 */
const char *name_of_host(int family, const uint8_t *addr);
/* The login name of uid, or NULL. */
const char *name_of_user(uint32_t uid);
/* The name of IP protocol proto (/etc/protocols), or NULL. */
const char *name_of_proto(int proto);
/* The name of interface ifindex into buf, or NULL if there is none. */
const char *name_of_ifindex(uint32_t ifindex, char *buf, size_t len);

/*
 * The name of process pid from /proc/PID/stat into buf, read as ss reads it
 * for netlink ports ("%*d (%[^)]": it stops at the first ')'), or NULL.
 */
const char *name_of_process(uint32_t pid, char *buf, size_t len);

#endif
