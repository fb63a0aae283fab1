/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Name lookups the parsers of outside input need (service and host names,
 * interfaces, cgroups, users), behind one table of functions: the parsers
 * stay pure functions over their input, so unit tests and fuzzers pass a
 * fake resolver, and the commands pass resolver_system (resolve.c).
 */
#ifndef SOCKTAP_RESOLVE_H
#define SOCKTAP_RESOLVE_H

#include <stdint.h>

struct resolved_addr {
	uint16_t family; /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* network order, IPv4 in the first 4 bytes */
};

struct resolver {
	/* Port (host order) of a service name for proto "tcp" or "udp" (NULL:
	 * either), or -1 if unknown. */
	int (*service)(void *ctx, const char *name, const char *proto);
	/* Addresses of a host name (family 0: any), at most max; the count, or
	 * -1 if the name does not resolve. */
	int (*host)(void *ctx, const char *name, int family, struct resolved_addr *out, int max);
	/* Index of the interface named name, 0 if none. */
	unsigned int (*ifindex)(void *ctx, const char *name);
	/* cgroup v2 id of a path (relative to the cgroup2 mount, or absolute), 0 if none. */
	uint64_t (*cgroup)(void *ctx, const char *path);
	/* uid of a user name, or -1 if none. */
	long (*user)(void *ctx, const char *name);
	void *ctx;
};

/* Lookups through the C library, /etc/services, /etc/hosts, DNS and sysfs. */
extern const struct resolver resolver_system;

#endif
