/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Which sockets a live view counts (top, export): the process, cgroup and
 * interface options, and an ss filter expression (ssfilter.h) judged on
 * each flow sample. socktap's own sockets never count.
 */
#ifndef SOCKTAP_FLOWFILTER_H
#define SOCKTAP_FLOWFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flows.h"

struct ssfilter;

struct flowfilter {
	uint16_t family; /* AF_INET or AF_INET6: what the expression's addresses may be; 0 both */
	uint32_t pid; /* 0: every process */
	uint64_t cgroup; /* 0: every cgroup */
	unsigned int ifindex; /* of self_netns; 0: every interface */
	uint32_t self; /* socktap's pid */
	uint32_t self_netns;
	struct ssfilter *expr; /* NULL until compiled */
	uint32_t states; /* the expression's states, 0 for all */
	unsigned int eph_lo, eph_hi; /* the ephemeral port range */
};

/*
 * Sets f's defaults (socktap's pid and namespace, the ephemeral range,
 * nothing filtered); the caller then sets the options it takes.
 */
void flowfilter_init(struct flowfilter *f);
/*
 * Compiles an ss filter expression (words split on blanks, as ss splits
 * its arguments) for f, replacing its last one only if it compiles. 0, or
 * -1 with one line in err.
 */
int flowfilter_compile(struct flowfilter *f, const char *expr, char *err, size_t errlen);
/* topsrc's want(): does s count? ctx is the flowfilter. */
bool flowfilter_want(const struct flow_sample *s, void *ctx);
void flowfilter_free(struct flowfilter *f);

#endif
