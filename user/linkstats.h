/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Interfaces and their kernel counters, from rtnetlink: RTM_GETLINK's
 * 64-bit statistics (IFLA_STATS64, what `ip -s link` and
 * /sys/class/net/DEV/statistics show, on every driver) and the first IPv4
 * address of each (RTM_GETADDR), in the caller's network namespace or in
 * every one.
 */
#ifndef SOCKTAP_LINKSTATS_H
#define SOCKTAP_LINKSTATS_H

#include <stddef.h>
#include <stdint.h>
#include "linkmsg.h"

struct link_set {
	struct link_sample *v;
	size_t n, cap;
};

/*
 * Appends every interface of the calling thread's namespace to set. 0, or
 * -1 with a one-line reason in err.
 */
int linkstats_read(struct link_set *set, char *err, size_t errlen);
/* The same for every namespace socktap can reach (netns.h), one by one. */
int linkstats_read_all(struct link_set *set, char *err, size_t errlen);
void link_set_free(struct link_set *set);

#endif
