/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What top shows and how: the settings its options set and its keys
 * change, shared by the batch printer and the screen, and the status line
 * both show (socktap's own cost, anything lost).
 */
#ifndef SOCKTAP_TOP_VIEW_H
#define SOCKTAP_TOP_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include "flows.h"

struct top_view {
	enum flow_group group;
	enum flow_sort sort;
	bool dns; /* host names (n toggles); never blocks: see dns_async.h */
	bool services; /* port names (N toggles) */
	bool bits; /* rates in bits (B toggles; iftop's default) */
	bool bars; /* iftop's bars (b) */
	int line_mode; /* t: 0 two lines, 1 sent only, 2 received only, 3 one line */
	bool paused; /* P: the screen keeps its rows, counting goes on */
	bool show_path; /* the executable's path instead of the name */
	bool help; /* h or ?: the key list */
	unsigned int lines; /* -L: at most this many rows; 0: as many as fit */
	unsigned int scroll; /* j/k: first row shown */
	char filter[256]; /* the ss filter expression given with / or -f */
	char filter_error[128]; /* why the last one typed was refused, or empty */
	double refresh_s; /* -d */
};

/* socktap's own cost and losses since it started, for the footer. */
struct top_status {
	double bpf_cpu_pct; /* BPF run time as a share of one CPU, or < 0 unknown */
	double proc_cpu_pct; /* socktap's process CPU as a share of one CPU */
	uint64_t lost_events, lost_sockets, missed_runs;
	uint64_t lost_split; /* nload's split: packets not split (its table full) */
	uint64_t lost_transitions; /* TCP transitions not counted (state_counts full) */
	uint64_t bpf_run_ns, bpf_runs; /* summed over the programs (while bpf_stats is on) */
	const char *source; /* how bytes are counted, one short phrase */
};

#endif
