/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where top's numbers come from, each refresh: the TCP and UDP sockets
 * every process holds, in every network namespace, with their payload
 * bytes (one pass of a task_file iterator: TCP's bytes are tcp_sock's own
 * counters), UDP's bytes counted by the per-call hooks, and the final
 * bytes of every socket that closed since the last refresh (close events),
 * so a connection that lived a millisecond still counts.
 */
#ifndef SOCKTAP_TOPSRC_H
#define SOCKTAP_TOPSRC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "flows.h"
#include "loader.h"
#include "socktap.h"
#include "top_view.h"

struct topsrc;

struct topsrc_opts {
	bool tcp, udp; /* which protocols to count (at least one) */
	uint16_t family; /* AF_INET or AF_INET6; 0 both */
	bool route; /* samples' ifindex from the cached route too (costs per socket) */
	bool netdev; /* also count every device's packets per socket (nload's split) */
	/* which sockets count: NULL takes all */
	bool (*want)(const struct flow_sample *s, void *ctx);
	void *want_ctx;
	/* export: more event types (1 << SOCKTAP_EV_*, retransmits with their
	 * hook), each handed to on_event as it is drained, before top takes
	 * its close events; and TCP transitions counted per namespace */
	uint32_t events;
	void (*on_event)(const struct socktap_event *e, void *ctx);
	void *event_ctx;
	bool count_states;
};

/*
 * Loads and attaches the hooks and the iterator, and takes the first
 * snapshot (the starting point of sockets already open). NULL with one
 * line in err.
 */
struct topsrc *topsrc_open(const struct topsrc_opts *o, struct flows *F, double now, char *err,
			   size_t errlen);
/* A map's fd (the split's only with netdev), else -1. */
int topsrc_map_fd(const struct topsrc *S, enum loader_map map);
/* The fd to poll for close events waiting (epoll). */
int topsrc_event_fd(const struct topsrc *S);
/* Close events held until the next refresh, and how many it may hold
 * (more are lost, and counted): a caller refreshing seldom refreshes
 * before they fill. */
#define TOPSRC_PENDING_MAX (1u << 17)
size_t topsrc_pending(const struct topsrc *S);
/* Takes the close events waiting (call when the event fd is readable). */
void topsrc_drain(struct topsrc *S);
/* One refresh into F at time now (< 0: the monotonic clock's seconds as
 * the tables are read). 0, or -1 with one line in err. */
int topsrc_refresh(struct topsrc *S, struct flows *F, double now, char *err, size_t errlen);
/*
 * Gives freed heap pages back to the system once many rows were freed
 * since the last time: a view calls it when a refresh's work (its output
 * included) is done.
 */
void topsrc_give_back(struct topsrc *S, const struct flows *F);
/* socktap's cost and losses so far. */
void topsrc_status(struct topsrc *S, struct top_status *st);
/* Changes which sockets count (a new filter): the caller starts a new F. */
void topsrc_set_want(struct topsrc *S, bool (*want)(const struct flow_sample *, void *), void *ctx);
void topsrc_close(struct topsrc *S);
/* A close (or any) event as a sample of its socket: closed, its final counts. */
void flow_sample_from_event(struct flow_sample *s, const struct socktap_event *e);

#endif
