/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Bandwidth bookkeeping for top: pure, no BPF, no I/O. Each refresh hands
 * in what the kernel says of every socket (its byte counters, owner and
 * tuple, or its final counters when it closed); flows keeps each socket's
 * bytes since socktap started, folds a closed socket's last bytes into its
 * process, host and cgroup before forgetting it, and keeps the history that
 * the 2 s, 10 s and 40 s averages and the peaks come from, per connection,
 * process, remote host and cgroup.
 *
 * Rates are bytes per second. Times are seconds on any monotonic clock.
 */
#ifndef SOCKTAP_FLOWS_H
#define SOCKTAP_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FLOWS_COMM_LEN 16

/* The averaging windows, in seconds, as iftop's three columns. */
#define FLOWS_WINDOWS 3
extern const unsigned int flows_window_s[FLOWS_WINDOWS]; /* 2, 10, 40 */

/* A key for a socket with no cookie (no real cookie has this bit). */
#define FLOWS_COOKIE_NONE (1ull << 63)
/* With FLOWS_COOKIE_NONE: the rest is the socket's inode (a live socket
 * read before anything made its cookie), not a count of close events. */
#define FLOWS_COOKIE_INODE (1ull << 62)

/* What a source reports of one socket at one refresh. */
struct flow_sample {
	uint64_t cookie; /* socket cookie: the socket's identity */
	/* payload bytes over the socket's life so far (or since it was first
	 * counted, for UDP); with closed, its final counts */
	uint64_t bytes_sent, bytes_received;
	uint64_t cgroup; /* the socket's cgroup v2 id */
	uint64_t start_time; /* the owner's start (ns since boot); 0 unknown */
	uint32_t pid; /* owner's tgid, 0 unknown */
	uint32_t uid;
	uint32_t netns;
	uint32_t ifindex; /* device of the socket's cached route, 0 unknown */
	uint16_t family; /* AF_INET or AF_INET6 */
	uint16_t lport, rport;
	uint8_t proto; /* IPPROTO_TCP or IPPROTO_UDP */
	uint8_t state; /* SOCKTAP_TCP_*; 0 for UDP */
	uint8_t laddr[16], raddr[16]; /* network order, IPv4 in the first 4 */
	char comm[FLOWS_COMM_LEN]; /* the owner's process name */
	bool closed; /* the socket is gone: these are its final counts */
	/* the counters began when socktap did (UDP's per-call counts): even
	 * at the first refresh, none of their bytes came before */
	bool since_start;
	/* a closed socket's counters reach back before socktap started: if
	 * it was never seen live, there is no starting point to count from */
	bool before_start;
};

enum flow_group {
	FLOW_GROUP_CONNECTION,
	FLOW_GROUP_PROCESS,
	FLOW_GROUP_REMOTE,
	FLOW_GROUP_CGROUP,
	FLOW_GROUP_MAX,
};

enum flow_sort {
	FLOW_SORT_2S, /* sum of both directions over the window */
	FLOW_SORT_10S,
	FLOW_SORT_40S,
	FLOW_SORT_SENT, /* the 2 s rate sent, then cumulative */
	FLOW_SORT_RECEIVED,
	FLOW_SORT_MAX,
};

/* One row of a grouping; which identity fields mean something depends on it. */
struct flow_row {
	enum flow_group group;
	/* connection: everything; process: pid, start_time, uid, comm;
	 * remote: family, raddr; cgroup: cgroup */
	uint64_t cookie, cgroup, start_time;
	uint32_t pid, uid, netns, ifindex;
	uint16_t family, lport, rport;
	uint8_t proto, state;
	uint8_t laddr[16], raddr[16];
	char comm[FLOWS_COMM_LEN];
	/* bytes since socktap started (for a socket open before it, since it
	 * was first seen) */
	uint64_t bytes_sent, bytes_received;
	double sent_bps, received_bps; /* over the last refresh interval */
	double avg_sent[FLOWS_WINDOWS], avg_received[FLOWS_WINDOWS];
	double peak_sent, peak_received; /* highest interval rate seen */
	double peak_total; /* highest interval rate of both directions together */
	unsigned int sockets; /* sockets open in the row now */
	bool gone; /* connection closed / process exited; kept for 40 s */
	double gone_at; /* when, if gone */
};

struct flows;

struct flows *flows_new(void);
void flows_free(struct flows *F);

/*
 * A refresh: flows_begin(now), then flows_add() for every socket the
 * kernel reports (live ones each time, closed ones once), then
 * flows_end(). The first refresh only takes the counters of sockets open
 * before socktap as their starting points. A live socket not reported at a
 * refresh is taken as gone with the bytes last seen.
 */
void flows_begin(struct flows *F, double now);
void flows_add(struct flows *F, const struct flow_sample *s);
/* A process that has exited (pid, start_time): its row is marked gone. */
void flows_process_exited(struct flows *F, uint32_t pid, uint64_t start_time);
void flows_end(struct flows *F);
/* Rows freed so far (closed connections, exited processes, idle hosts). */
unsigned long flows_freed(const struct flows *F);

/*
 * The rows of a grouping, sorted, into a buffer flows owns (valid until the
 * next flows_begin or flows_rows of the same group). Returns the count.
 * Rows gone more than 40 s ago are dropped.
 */
size_t flows_rows(struct flows *F, enum flow_group g, enum flow_sort sort,
		  const struct flow_row **rows);
/* Every byte counted, as one row: iftop's TX/RX/TOTAL footer. */
void flows_total(const struct flows *F, struct flow_row *total);
/* The time of the last refresh (what flows_begin was given). */
double flows_time(const struct flows *F);
/* Seconds between the last two refreshes (0 before the second). */
double flows_interval(const struct flows *F);
/* The live processes as (pid, start_time) pairs, to check who exited. */
size_t flows_processes(const struct flows *F, uint32_t *pids, uint64_t *starts, size_t max);

#endif
