/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nload's bookkeeping, pure: each interface's kernel counters sample by
 * sample, turned into totals since socktap started (a counter that goes
 * back, a driver reset, restarts from zero without losing what was
 * counted), the rate of the last interval, nload's "Curr" (the last
 * second), "Avg" (the average window), "Min" and "Max" (of Curr), and the
 * history a graph draws. Interfaces are keyed by namespace and ifindex; one
 * that disappears is kept, marked gone.
 */
#ifndef SOCKTAP_IFSTATS_H
#define SOCKTAP_IFSTATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "linkstats.h"

/* Totals since the first sample: bytes and packets, each direction. */
struct if_count {
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
};

struct if_frame {
	double t;
	struct if_count c;
};

/* Rates in bytes (or packets) per second. */
struct if_rate {
	double rx, tx;
};

struct if_dev {
	uint32_t netns;
	int32_t ifindex;
	char name[LINK_NAME_LEN];
	char addr[16];
	bool up, gone;
	struct link_sample last; /* the kernel's counters at the last sample */
	struct if_count total; /* since socktap's first sample */
	struct if_rate interval; /* over the last interval */
	struct if_rate cur, avg, min, max; /* nload's Curr, Avg, Min, Max */
	struct if_frame *frames; /* ring: the average window's samples */
	size_t nframes, head;
	double *graph_rx, *graph_tx; /* ring of Curr values, newest at graph_head */
	size_t ngraph, graph_head;
	unsigned long samples;
};

struct ifstats {
	struct if_dev *v;
	size_t n, cap;
	size_t avg_frames; /* samples in the average window */
	size_t second_frames; /* samples in a second (Curr) */
	size_t graph_cap; /* Curr values kept for graphs */
};

/* refresh_s: the sampling period; avg_s: nload's -a. */
void ifstats_init(struct ifstats *S, double refresh_s, double avg_s, size_t graph_cap);
/* One sample of every interface (one namespace or all), taken at now (seconds). */
void ifstats_update(struct ifstats *S, const struct link_set *set, double now);
void ifstats_free(struct ifstats *S);

#endif
