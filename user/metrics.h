/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What export serves: socktap's counters as Prometheus metrics. A refresh
 * reads every source (top's per-socket bytes and close events, the TCP
 * transitions counted in the kernel, the interfaces' counters, the TCP
 * sockets by state, socktap's own health); a render writes the metrics
 * (prom.h). Counters stay monotonic however sockets and processes come
 * and go: a group's bytes are added refresh by refresh, a group beyond the
 * top N counts into the "(other)" series from then on.
 */
#ifndef SOCKTAP_METRICS_H
#define SOCKTAP_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include "flowfilter.h"
#include "prom.h"

enum metrics_group {
	METRICS_BY_COMM,
	METRICS_BY_CGROUP,
	METRICS_BY_PID,
};

struct metrics_opts {
	enum metrics_group group;
	unsigned int top; /* series per direction and protocol beside "(other)" */
	struct flowfilter *filter; /* which sockets' bytes and events count */
};

struct metrics;

/* Loads the hooks and takes the starting points. NULL with one line in err. */
struct metrics *metrics_open(const struct metrics_opts *o, char *err, size_t errlen);
/* The fd to poll for events waiting, and what to call then. */
int metrics_event_fd(const struct metrics *M);
void metrics_drain(struct metrics *M);
/* Are enough closed sockets waiting that an update should take them now? */
bool metrics_backlogged(const struct metrics *M);
/*
 * Takes the sockets' bytes so far: between scrapes that come seldom, so
 * that closed sockets are counted while top still reports them (40 s) and
 * before its queue of them fills. 0, or -1 with one line in err.
 */
int metrics_update(struct metrics *M, char *err, size_t errlen);
/* metrics_update, then every other source, for a render. */
int metrics_refresh(struct metrics *M, char *err, size_t errlen);
/* Writes the metrics of the last refresh. */
void metrics_render(struct metrics *M, struct prom *p);
void metrics_close(struct metrics *M);

#endif
