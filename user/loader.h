/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The loader: the only code that touches the BPF skeleton. It runs the
 * attach ladder, loads exactly the chosen programs, attaches them, and
 * hands out map fds to the model layer. Links are file descriptors, never
 * pinned, so the kernel detaches everything when socktap exits, however it
 * exits.
 */
#ifndef SOCKTAP_LOADER_H
#define SOCKTAP_LOADER_H

#include <stddef.h>
#include <stdint.h>
#include "ladder.h"
#include "probe.h"

struct socktap_bpf;
struct bpf_link;

enum loader_map {
	LOADER_MAP_STATS,
	LOADER_MAP_STATE_COUNTS,
	LOADER_MAP_EVENTS,
	LOADER_MAP_UDP_SOCKS,
	LOADER_MAP_NETDEV_SPLIT,
	LOADER_MAP_NETDEV_PENDING,
	LOADER_MAP_SOCKS,
};

/* What the programs do, set before load. */
struct loader_config {
	bool count_states; /* count TCP transitions per network namespace */
	bool trace; /* track sockets, emit events */
	bool states; /* also every TCP state transition */
	bool retransmits; /* also retransmit events */
	bool udp; /* account UDP sockets (udp_open/udp_close) */
	bool owner_at_close; /* a passive socket's owner: the process closing it (no accept hook) */
	bool seed_cookies; /* loader_seed_owners makes every open socket's cookie */
	uint16_t family; /* AF_INET or AF_INET6; 0: both */
	uint32_t pid; /* 0: every process */
	uint32_t netns; /* 0: every network namespace */
	const uint16_t *ports; /* local or remote port in this set; NULL: any */
	size_t nports;
	uint32_t ringbuf_bytes; /* power of 2 multiple of the page size; 0: default */
	uint32_t events; /* event types to emit, 1 << SOCKTAP_EV_*; 0: all */
	uint64_t cgroup; /* owner's cgroup v2 id; 0: every cgroup */
};

struct loader {
	struct socktap_bpf *skel;
	struct probe_ctx probe;
	struct hook_choice choice[HOOK_MAX];
	struct bpf_link *links[HOOK_MAX][LADDER_MAX_PROGS];
	unsigned int hooks; /* mask of wanted hooks */
	char error[256]; /* one line, when a call fails */
	char warning[256]; /* one line: an optional hook left out, or empty */
};

#define LOADER_HOOK(id) (1u << (id))
#define LOADER_ALL_HOOKS ((1u << HOOK_MAX) - 1)
/* What every tracing command needs; the rest are extras. */
#define LOADER_CORE_HOOKS                                                                          \
	(LOADER_HOOK(HOOK_STATE) | LOADER_HOOK(HOOK_CONNECT) | LOADER_HOOK(HOOK_ACCEPT) |          \
	 LOADER_HOOK(HOOK_RESET) | LOADER_HOOK(HOOK_DESTROY) | LOADER_HOOK(HOOK_ERROR))

/* Hooks that back another up: attached where the kernel allows, and where
 * it does not, left out without a warning (doctor says why). */
#define LOADER_BACKSTOP_HOOKS LOADER_HOOK(HOOK_UDP_RELEASE)

/* Sends libbpf's messages to stderr: all with verbose, else none. */
void loader_set_verbose(bool verbose);

/*
 * Runs the ladder for the required and optional hooks (masks of
 * LOADER_HOOK()). Optional hooks with no path are left out, with
 * L->warning set (backstops without it). Returns 0, or -1 with L->error
 * set when a required hook has no path.
 */
int loader_plan(struct loader *L, unsigned int required, unsigned int optional);
/*
 * loader_plan() for tracing hooks plus UDP's: the UDP hooks are required
 * when UDP is all that is asked for (tcp false), else an extra; an extra
 * this kernel has no path for is left out (cfg->udp cleared, L->warning
 * says why). cfg->udp is set when UDP is planned.
 */
int loader_plan_udp(struct loader *L, unsigned int hooks, bool tcp, bool udp,
		    struct loader_config *cfg);
/* Opens, loads and attaches what loader_plan chose. 0, or -1 with L->error. */
int loader_start(struct loader *L, const struct loader_config *cfg);
int loader_map_fd(const struct loader *L, enum loader_map map);
/*
 * After loader_start with trace on: records the owners of the sockets that
 * were open before, so their events name a process, and with seed_cookies
 * makes their cookies. 0, or -1 with L->error.
 */
int loader_seed_owners(struct loader *L);
/*
 * Runs of socktap's programs the kernel skipped since they were loaded,
 * summed: a tracing program is not run again on a CPU where it is already
 * running (a softirq interrupting it, say), and counts that as a recursion
 * miss. Each is an event that may be missing. 0, or -1 if unreadable.
 */
int loader_missed_runs(const struct loader *L, uint64_t *missed);

/* What the kernel says of socktap's loaded programs, summed. */
struct loader_prog_stats {
	uint64_t run_time_ns, run_cnt; /* counted while kernel.bpf_stats_enabled is 1 */
	uint64_t missed; /* runs skipped (see loader_missed_runs) */
};

int loader_prog_stats(const struct loader *L, struct loader_prog_stats *s);
/* Detaches and frees everything; safe on a loader in any state. */
void loader_stop(struct loader *L);

#endif
