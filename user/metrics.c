// SPDX-License-Identifier: GPL-2.0
/*
 * export's metrics (metrics.h). Sources, each refresh:
 * - top's (topsrc.h): every socket's bytes, live and closed, attributed to
 *   its process; here added up per group (comm, cgroup or process) and
 *   protocol as deltas, so a group's counter never goes back when its
 *   sockets close;
 * - the events topsrc drains (close, connect, connect failure, reset,
 *   retransmit), counted as they come: closes, failures by reason and the
 *   duration and connect-latency histograms;
 * - the kernel's count of TCP transitions per namespace (connects: SYN-SENT
 *   to ESTABLISHED; accepts: SYN-RECV to ESTABLISHED), which needs no
 *   accept hook;
 * - rtnetlink's interface counters, every namespace;
 * - the TCP sockets of every namespace by state (the listings' reader);
 * - socktap's own losses, table fill and BPF run time.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/utsname.h>
#include "cgroup.h"
#include "keytab.h"
#include "linkstats.h"
#include "metrics.h"
#include "model.h"
#include "netns.h"
#include "sockets.h"
#include "ssfmt.h"
#include "topsrc.h"
#include "util.h"

/* a group quiet this long (seconds) is forgotten: its series goes */
#define GROUP_IDLE_S 300.0

enum { PROTO_TCP, PROTO_UDP, PROTO_MAX };
static const char *const proto_names[PROTO_MAX] = { "tcp", "udp" };

enum fail_reason {
	FAIL_REFUSED,
	FAIL_TIMED_OUT,
	FAIL_HOST_UNREACHABLE,
	FAIL_NETWORK_UNREACHABLE,
	FAIL_OTHER,
	FAIL_MAX,
};
static const char *const fail_names[FAIL_MAX] = {
	"refused", "timed_out", "host_unreachable", "network_unreachable", "other",
};

/* Bucket bounds, seconds: connections live from a millisecond to hours;
 * a handshake takes from tens of microseconds (loopback) to seconds. */
static const double duration_le[] = { 0.001, 0.005, 0.01, 0.05, 0.1, 0.5,  1,
				      5,     10,    30,	  60,	300, 1800, 3600 };
static const double latency_le[] = { 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01,
				     0.025,  0.05,    0.1,    0.25,  0.5,    1,	    2.5 };
#define DURATION_NB (sizeof(duration_le) / sizeof(duration_le[0]))
#define LATENCY_NB (sizeof(latency_le) / sizeof(latency_le[0]))

struct hist {
	uint64_t counts[16]; /* per bucket alone; beyond the last bound: count - sum */
	uint64_t count;
	double sum;
};

/* a connection's bytes as last seen, so only what is new is added */
struct conn {
	struct keynode n; /* key: cookie */
	uint64_t sent, received;
	unsigned long seen;
};

/* one group and protocol: comm, cgroup or process */
struct group {
	struct keynode n; /* key: group_key() */
	int proto;
	uint32_t pid;
	uint64_t cgroup;
	char comm[16];
	uint64_t sent, received; /* every byte, since socktap started */
	uint64_t other_sent, other_received; /* those counted in "(other)" */
	/* those since the last render: they go where the group stands at the
	 * next one (its series or "(other)"), so every byte shows in one */
	uint64_t pending_sent, pending_received;
	/* counted above a close's last word (flows_add): a counter cannot go
	 * down, so the group's next bytes pay it back */
	uint64_t owe_sent, owe_received;
	bool exported; /* has a series of its own */
	double active; /* when it last moved */
};

struct metrics {
	struct metrics_opts o;
	struct topsrc *T;
	struct flows *F;
	struct keytab conns, groups;
	unsigned long nref;
	double now;
	uint64_t other_sent[PROTO_MAX], other_received[PROTO_MAX];
	struct group **order;
	size_t cap_order;
	/* events */
	uint64_t closes, retransmits, resets_sent, resets_received, fails[FAIL_MAX];
	struct hist duration, latency;
	/* the last refresh's tables */
	struct state_table states;
	struct link_set links;
	struct sockets_src *tcp_src; /* the TCP iterator, loaded once */
	struct keytab tcp_states; /* netns -> TCP sockets by state */
	char tcp_error[256]; /* why the sockets by state are missing, or empty */
	char err[256]; /* the namespaces' walk's failure */
	char walk_err[256];
	int walk_status;
	atomic_bool walk_done; /* the walker's work is done */
	struct top_status st;
	size_t socks_entries, udp_entries;
	int socks_fd, udp_fd; /* the tables counted (on the walk's thread) */
	bool bpf_stats;
	double start_wall;
	char kernel[65];
};

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void observe(struct hist *h, const double *le, size_t nb, double v)
{
	size_t i = 0;

	while (i < nb && v > le[i])
		i++;
	if (i < nb)
		h->counts[i]++;
	h->count++;
	h->sum += v;
}

static enum fail_reason fail_reason(int err)
{
	switch (err < 0 ? -err : err) {
	case ECONNREFUSED:
		return FAIL_REFUSED;
	case ETIMEDOUT:
		return FAIL_TIMED_OUT;
	case EHOSTUNREACH:
		return FAIL_HOST_UNREACHABLE;
	case ENETUNREACH:
		return FAIL_NETWORK_UNREACHABLE;
	}
	return FAIL_OTHER;
}

/* An event as the filter sees a socket. */
static bool event_wanted(const struct metrics *M, const struct socktap_event *e)
{
	struct flow_sample s;

	if (!M->o.filter)
		return true;
	flow_sample_from_event(&s, e);
	return flowfilter_want(&s, M->o.filter);
}

static void on_event(const struct socktap_event *e, void *ctx)
{
	struct metrics *M = ctx;

	if (!event_wanted(M, e))
		return;
	switch (e->type) {
	case SOCKTAP_EV_CLOSE:
		M->closes++;
		observe(&M->duration, duration_le, DURATION_NB, (double)e->duration_ns / 1e9);
		break;
	case SOCKTAP_EV_CONNECT:
		observe(&M->latency, latency_le, LATENCY_NB, (double)e->duration_ns / 1e9);
		break;
	case SOCKTAP_EV_CONNECT_FAILED:
		M->fails[fail_reason(e->error)]++;
		break;
	case SOCKTAP_EV_RESET:
		if (e->flags & SOCKTAP_F_RESET_SENT)
			M->resets_sent++;
		if (e->flags & SOCKTAP_F_RESET_RECEIVED)
			M->resets_received++;
		break;
	case SOCKTAP_EV_RETRANSMIT:
		M->retransmits++;
		break;
	}
}

struct metrics *metrics_open(const struct metrics_opts *o, char *err, size_t errlen)
{
	struct metrics *M = xcalloc(1, sizeof(*M));
	struct topsrc_opts to = { .tcp = true, .udp = true };
	struct sockets_query tcp_q = { .kinds = SK_KIND_BIT(SK_TCP), .all_netns = true };
	struct utsname u;

	M->o = *o;
	M->F = flows_new();
	M->start_wall = (double)time(NULL);
	if (uname(&u) == 0)
		snprintf(M->kernel, sizeof(M->kernel), "%s", u.release);
	to.events = 1u << SOCKTAP_EV_CONNECT | 1u << SOCKTAP_EV_CONNECT_FAILED |
		    1u << SOCKTAP_EV_RESET | 1u << SOCKTAP_EV_RETRANSMIT;
	to.on_event = on_event;
	to.event_ctx = M;
	to.count_states = true;
	if (o->filter) {
		to.want = flowfilter_want;
		to.want_ctx = o->filter;
	}
	M->T = topsrc_open(&to, M->F, -1, err, errlen);
	if (!M->T) {
		metrics_close(M);
		return NULL;
	}
	M->socks_fd = topsrc_map_fd(M->T, LOADER_MAP_SOCKS);
	M->udp_fd = topsrc_map_fd(M->T, LOADER_MAP_UDP_SOCKS);
	M->tcp_src = sockets_src_open(&tcp_q);
	if (!M->tcp_src) {
		snprintf(err, errlen, "out of memory");
		metrics_close(M);
		return NULL;
	}
	return M;
}

int metrics_event_fd(const struct metrics *M)
{
	return topsrc_event_fd(M->T);
}

void metrics_drain(struct metrics *M)
{
	topsrc_drain(M->T);
}

bool metrics_backlogged(const struct metrics *M)
{
	return topsrc_pending(M->T) > TOPSRC_PENDING_MAX / 4;
}

static void group_key(const struct metrics *M, const struct flow_row *r, int proto,
		      uint8_t key[KEYTAB_KEY])
{
	memset(key, 0, KEYTAB_KEY);
	key[0] = (uint8_t)proto;
	switch (M->o.group) {
	case METRICS_BY_COMM:
		memcpy(key + 8, r->comm, 16);
		break;
	case METRICS_BY_CGROUP:
		memcpy(key + 8, &r->cgroup, 8);
		break;
	case METRICS_BY_PID:
		memcpy(key + 8, &r->pid, 4);
		memcpy(key + 16, &r->start_time, 8);
		break;
	}
}

/* What each connection moved since the last refresh, into its group. */
static void add_bytes(struct metrics *M)
{
	const struct flow_row *rows;
	size_t n = flows_rows(M->F, FLOW_GROUP_CONNECTION, FLOW_SORT_2S, &rows);

	for (size_t i = 0; i < n; i++) {
		const struct flow_row *r = &rows[i];
		int proto = r->proto == IPPROTO_UDP ? PROTO_UDP : PROTO_TCP;
		uint8_t key[KEYTAB_KEY] = { 0 };
		int64_t ds, dr;
		uint64_t up;
		struct conn *c;
		struct group *g;
		bool added;

		memcpy(key, &r->cookie, sizeof(r->cookie));
		c = keytab_get(&M->conns, key, sizeof(*c), &added);
		c->seen = M->nref;
		/* below the last refresh's only after a close corrected it */
		ds = (int64_t)(r->bytes_sent - c->sent);
		dr = (int64_t)(r->bytes_received - c->received);
		c->sent = r->bytes_sent;
		c->received = r->bytes_received;
		if (!ds && !dr && !added)
			continue;
		group_key(M, r, proto, key);
		g = keytab_get(&M->groups, key, sizeof(*g), &added);
		if (added) {
			g->proto = proto;
			g->pid = r->pid;
			g->cgroup = r->cgroup;
			memcpy(g->comm, r->comm, sizeof(g->comm));
			g->comm[sizeof(g->comm) - 1] = '\0';
		}
		g->active = M->now;
		up = prom_counter_step(&g->owe_sent, ds);
		g->sent += up;
		g->pending_sent += up;
		up = prom_counter_step(&g->owe_received, dr);
		g->received += up;
		g->pending_received += up;
	}
	/* connections top no longer reports are done: their bytes are in */
	for (size_t i = 0; i < M->conns.nb; i++) {
		for (struct keynode **pn = &M->conns.b[i], *k; (k = *pn);) {
			if (((struct conn *)k)->seen == M->nref) {
				pn = &k->next;
				continue;
			}
			*pn = k->next;
			M->conns.n--;
			free(k);
		}
	}
	keytab_shrink(&M->conns);
}

static int by_bytes(const void *pa, const void *pb)
{
	const struct group *a = *(struct group *const *)pa, *b = *(struct group *const *)pb;
	uint64_t ta = a->sent + a->received, tb = b->sent + b->received;

	return (ta < tb) - (ta > tb);
}

/*
 * Which groups have a series: per protocol the top N by bytes; one that
 * has a series keeps it while it ranks within 2N (no flapping). Groups
 * quiet for GROUP_IDLE_S are forgotten.
 */
static void choose_series(struct metrics *M)
{
	size_t n = 0, rank[PROTO_MAX] = { 0 };

	if (M->groups.n > M->cap_order) {
		M->cap_order = M->groups.n * 2;
		M->order = xrealloc(M->order, M->cap_order * sizeof(*M->order));
	}
	for (size_t i = 0; i < M->groups.nb; i++) {
		for (struct keynode **pn = &M->groups.b[i], *k; (k = *pn);) {
			struct group *g = (struct group *)k;

			if (M->now - g->active > GROUP_IDLE_S && !g->pending_sent &&
			    !g->pending_received) {
				*pn = k->next;
				M->groups.n--;
				free(k);
				continue;
			}
			M->order[n++] = g;
			pn = &k->next;
		}
	}
	/* no groups yet: qsort may not be handed a NULL array */
	if (n)
		qsort(M->order, n, sizeof(*M->order), by_bytes);
	for (size_t i = 0; i < n; i++) {
		struct group *g = M->order[i];
		size_t r = ++rank[g->proto];

		g->exported = r <= M->o.top || (g->exported && r <= 2 * (size_t)M->o.top);
		/* what came since the last render: a group without a series of
		 * its own counts it into "(other)", for good */
		if (!g->exported) {
			g->other_sent += g->pending_sent;
			g->other_received += g->pending_received;
			M->other_sent[g->proto] += g->pending_sent;
			M->other_received[g->proto] += g->pending_received;
		}
		g->pending_sent = g->pending_received = 0;
	}
}

static uint64_t read_u64_file(const char *path)
{
	unsigned long long v = 0;
	FILE *f = fopen(path, "r");

	if (f) {
		if (fscanf(f, "%llu", &v) != 1)
			v = 0;
		fclose(f);
	}
	return v;
}

/* a namespace's TCP sockets by state */
struct ns_states {
	struct keynode n; /* key: the netns inode */
	uint64_t counts[SOCKTAP_TCP_NSTATES];
};

static void count_states(uint32_t netns, const uint64_t *counts, void *ctx)
{
	struct metrics *M = ctx;
	uint8_t key[KEYTAB_KEY] = { 0 };
	struct ns_states *c;
	bool added;

	memcpy(key, &netns, sizeof(netns));
	c = keytab_get(&M->tcp_states, key, sizeof(*c), &added);
	for (int i = 0; i < SOCKTAP_TCP_NSTATES; i++)
		c->counts[i] += counts[i];
}

/*
 * In one namespace: its interfaces, and its TCP sockets by state (a
 * listing that fails leaves the gauge out, not the whole scrape).
 */
static int netns_pass(void *ctx)
{
	struct metrics *M = ctx;
	char err[256];

	if (linkstats_read(&M->links, M->err, sizeof(M->err)))
		return -1;
	if (!M->tcp_error[0] &&
	    sockets_src_tcp_states(M->tcp_src, true, count_states, M, err, sizeof(err)))
		snprintf(M->tcp_error, sizeof(M->tcp_error), "%s", err);
	return 0;
}

int metrics_update(struct metrics *M, char *err, size_t errlen)
{
	M->nref++;
	M->now = mono_now();
	if (topsrc_refresh(M->T, M->F, M->now, err, errlen))
		return -1;
	add_bytes(M);
	topsrc_give_back(M->T, M->F);
	return 0;
}

/* The namespaces' walk, on a thread of its own. */
static void *netns_walk(void *ctx)
{
	struct metrics *M = ctx;

	M->walk_status = netns_each(netns_pass, M, M->walk_err, sizeof(M->walk_err));
	/* the tables' fill too: reading a 65,536-slot hash takes a few ms */
	if (model_count_entries(M->socks_fd, sizeof(uint64_t), sizeof(struct socktap_sock),
				&M->socks_entries))
		M->socks_entries = 0;
	if (model_count_entries(M->udp_fd, sizeof(uint64_t), sizeof(struct socktap_udp),
				&M->udp_entries))
		M->udp_entries = 0;
	atomic_store(&M->walk_done, true);
	return NULL;
}

/*
 * Waits for the walker, taking close events meanwhile: a walk through
 * namespaces of a churn's TIME-WAIT sockets takes long enough for the
 * ring buffer to fill (thousands of closes a second), and an event it
 * has no room for is lost.
 */
static void join_walker(struct metrics *M, pthread_t walker)
{
	struct pollfd pfd = { .fd = topsrc_event_fd(M->T), .events = POLLIN };

	while (!atomic_load(&M->walk_done)) {
		if (poll(&pfd, 1, 5) > 0)
			topsrc_drain(M->T);
	}
	pthread_join(walker, NULL);
	topsrc_drain(M->T);
}

int metrics_refresh(struct metrics *M, char *err, size_t errlen)
{
	sigset_t all, old;
	pthread_t walker;
	bool threaded;
	double t[4];
	int e;

	t[0] = sockets_now_ms();
	/* the namespaces (interfaces, TCP states) are walked meanwhile on
	 * another CPU: the sockets' bytes do not depend on them. Signals stay
	 * with this thread. */
	M->links.n = 0;
	keytab_free(&M->tcp_states, NULL);
	M->tcp_error[0] = M->err[0] = M->walk_err[0] = '\0';
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	atomic_store(&M->walk_done, false);
	threaded = pthread_create(&walker, NULL, netns_walk, M) == 0;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!threaded)
		netns_walk(M);
	if (metrics_update(M, err, errlen)) {
		if (threaded)
			pthread_join(walker, NULL);
		return -1;
	}
	/* series are chosen for a render only: a byte is shown where the
	 * group stands when it is shown */
	choose_series(M);
	t[1] = sockets_now_ms();
	if (threaded)
		join_walker(M, walker);
	t[2] = sockets_now_ms();
	if (M->walk_status) {
		snprintf(err, errlen, "%s", M->err[0] ? M->err : M->walk_err);
		return -1;
	}
	state_table_free(&M->states);
	e = model_read_state_counts(topsrc_map_fd(M->T, LOADER_MAP_STATE_COUNTS), &M->states);
	if (e) {
		snprintf(err, errlen, "cannot read the TCP transitions: %s", strerror(-e));
		return -1;
	}
	topsrc_status(M->T, &M->st);
	M->bpf_stats = read_u64_file("/proc/sys/kernel/bpf_stats_enabled") != 0;
	t[3] = sockets_now_ms();
	if (getenv("SOCKTAP_TIMING"))
		fprintf(stderr,
			"socktap: refresh %.1f ms: sockets' bytes %.1f, then waiting for the "
			"namespaces' walk %.1f, status %.1f\n",
			t[3] - t[0], t[1] - t[0], t[2] - t[1], t[3] - t[2]);
	return 0;
}

static void u32_str(char *buf, size_t len, uint64_t v)
{
	snprintf(buf, len, "%llu", (unsigned long long)v);
}

static void render_interfaces(struct metrics *M, struct prom *p)
{
	static const struct {
		const char *name, *help;
		size_t off;
	} fams[] = {
		{ "socktap_interface_receive_bytes", "Bytes received, the kernel's counter",
		  offsetof(struct link_sample, rx_bytes) },
		{ "socktap_interface_transmit_bytes", "Bytes sent, the kernel's counter",
		  offsetof(struct link_sample, tx_bytes) },
		{ "socktap_interface_receive_packets", "Packets received, the kernel's counter",
		  offsetof(struct link_sample, rx_packets) },
		{ "socktap_interface_transmit_packets", "Packets sent, the kernel's counter",
		  offsetof(struct link_sample, tx_packets) },
	};

	for (size_t f = 0; f < sizeof(fams) / sizeof(fams[0]); f++) {
		prom_family(p, fams[f].name, PROM_COUNTER, fams[f].help);
		for (size_t i = 0; i < M->links.n; i++) {
			const struct link_sample *l = &M->links.v[i];
			char ns[24];
			uint64_t v;
			struct prom_label lb[] = { { "interface", l->name }, { "netns", ns } };

			u32_str(ns, sizeof(ns), l->netns);
			memcpy(&v, (const char *)l + fams[f].off, sizeof(v));
			prom_sample_u64(p, lb, 2, v);
		}
	}
}

/* One group's labels (the overflow's when g is NULL). */
static size_t group_labels(const struct metrics *M, const struct group *g, int proto,
			   struct prom_label *lb, char *pid, size_t pidlen)
{
	static const char other[] = "(other)";
	size_t n = 0;

	switch (M->o.group) {
	case METRICS_BY_COMM:
		lb[n++] = (struct prom_label){ "comm", g ? g->comm : other };
		break;
	case METRICS_BY_CGROUP: {
		const char *path = g ? cgroup_path_of_id(g->cgroup) : other;

		if (!path) {
			u32_str(pid, pidlen, g->cgroup);
			path = pid;
		}
		lb[n++] = (struct prom_label){ "cgroup", path };
		break;
	}
	case METRICS_BY_PID:
		if (g)
			u32_str(pid, pidlen, g->pid);
		lb[n++] = (struct prom_label){ "pid", g ? pid : other };
		lb[n++] = (struct prom_label){ "comm", g ? g->comm : other };
		break;
	}
	lb[n++] = (struct prom_label){ "proto", proto_names[proto] };
	return n;
}

static void render_groups(struct metrics *M, struct prom *p, bool sent)
{
	prom_family(p, sent ? "socktap_process_sent_bytes" : "socktap_process_received_bytes",
		    PROM_COUNTER,
		    sent ? "Payload bytes sent (TCP and UDP), by process group" :
			   "Payload bytes received (TCP and UDP), by process group");
	for (size_t i = 0; i < M->groups.nb; i++) {
		for (struct keynode *k = M->groups.b[i]; k; k = k->next) {
			const struct group *g = (const struct group *)k;
			struct prom_label lb[4];
			char buf[24];
			size_t n;

			if (!g->exported)
				continue;
			n = group_labels(M, g, g->proto, lb, buf, sizeof(buf));
			/* what it gave "(other)" before it had a series stays there */
			prom_sample_u64(p, lb, n,
					sent ? g->sent - g->other_sent :
					       g->received - g->other_received);
		}
	}
	for (int proto = 0; proto < PROTO_MAX; proto++) {
		struct prom_label lb[4];
		char buf[24];
		size_t n = group_labels(M, NULL, proto, lb, buf, sizeof(buf));

		prom_sample_u64(p, lb, n, sent ? M->other_sent[proto] : M->other_received[proto]);
	}
}

/* A family of the kernel's transitions from -> ESTABLISHED, per namespace. */
static void render_transitions(const struct metrics *M, struct prom *p, const char *name,
			       const char *help, uint8_t from)
{
	prom_family(p, name, PROM_COUNTER, help);
	for (size_t i = 0; i < M->states.n; i++) {
		const struct state_count *c = &M->states.rows[i];
		char nsb[24];
		struct prom_label lb[] = { { "netns", nsb } };

		u32_str(nsb, sizeof(nsb), c->netns);
		if (c->from == from && c->to == SOCKTAP_TCP_ESTABLISHED)
			prom_sample_u64(p, lb, 1, c->count);
	}
}

static void render_tcp(struct metrics *M, struct prom *p)
{
	const struct keytab by_ns = M->tcp_states;

	/* sockets by state and namespace, counted by the TCP iterator */
	prom_family(p, "socktap_tcp_sockets", PROM_GAUGE, "TCP sockets, by state (ss's names)");
	for (size_t i = 0; i < by_ns.nb; i++) {
		for (struct keynode *k = by_ns.b[i]; k; k = k->next) {
			const struct ns_states *c = (const struct ns_states *)k;
			uint32_t ns;
			char nsb[24];

			memcpy(&ns, k->key, sizeof(ns));
			u32_str(nsb, sizeof(nsb), ns);
			for (int s = 1; s < SOCKTAP_TCP_NSTATES; s++) {
				struct prom_label lb[] = { { "state", ss_state((uint8_t)s) },
							   { "netns", nsb } };

				if (c->counts[s])
					prom_sample_u64(p, lb, 2, c->counts[s]);
			}
		}
	}
	render_transitions(M, p, "socktap_tcp_connects",
			   "TCP connections this host opened (SYN-SENT to ESTABLISHED)",
			   SOCKTAP_TCP_SYN_SENT);
	render_transitions(M, p, "socktap_tcp_accepts",
			   "TCP connections this host accepted (SYN-RECV to ESTABLISHED)",
			   SOCKTAP_TCP_SYN_RECV);
	prom_family(p, "socktap_tcp_closes", PROM_COUNTER, "TCP connections closed");
	prom_sample_u64(p, NULL, 0, M->closes);
	prom_family(p, "socktap_tcp_connect_failures", PROM_COUNTER,
		    "TCP connects that failed, by reason");
	for (int r = 0; r < FAIL_MAX; r++) {
		struct prom_label lb[] = { { "reason", fail_names[r] } };

		prom_sample_u64(p, lb, 1, M->fails[r]);
	}
	prom_family(p, "socktap_tcp_resets", PROM_COUNTER, "TCP resets, sent and received");
	{
		struct prom_label ls[] = { { "direction", "sent" } },
				  lr[] = { { "direction", "received" } };

		prom_sample_u64(p, ls, 1, M->resets_sent);
		prom_sample_u64(p, lr, 1, M->resets_received);
	}
	prom_family(p, "socktap_tcp_retransmits", PROM_COUNTER, "TCP segments retransmitted");
	prom_sample_u64(p, NULL, 0, M->retransmits);
	prom_family(p, "socktap_tcp_connection_duration_seconds", PROM_HISTOGRAM,
		    "How long closed TCP connections lived");
	prom_histogram(p, NULL, 0, duration_le, M->duration.counts, DURATION_NB, M->duration.count,
		       M->duration.sum);
	prom_family(p, "socktap_tcp_connect_latency_seconds", PROM_HISTOGRAM,
		    "TCP handshakes this host opened, SYN-SENT to ESTABLISHED");
	prom_histogram(p, NULL, 0, latency_le, M->latency.counts, LATENCY_NB, M->latency.count,
		       M->latency.sum);
}

static void render_health(struct metrics *M, struct prom *p)
{
	struct timespec cpu;
	long page = sysconf(_SC_PAGESIZE);
	unsigned long long size = 0, rss = 0;
	FILE *f;
	struct prom_label socks[] = { { "map", "socks" } }, udp[] = { { "map", "udp_socks" } },
			  states[] = { { "map", "state_counts" } };

	prom_family(p, "socktap_events_lost", PROM_COUNTER,
		    "Events lost: the ring buffer or socktap's queue was full");
	prom_sample_u64(p, NULL, 0, M->st.lost_events);
	prom_family(p, "socktap_sockets_untracked", PROM_COUNTER,
		    "Sockets not tracked: the kernel table was full");
	prom_sample_u64(p, NULL, 0, M->st.lost_sockets);
	prom_family(p, "socktap_hook_runs_missed", PROM_COUNTER,
		    "Runs of socktap's programs the kernel skipped (recursion)");
	prom_sample_u64(p, NULL, 0, M->st.missed_runs);
	prom_family(p, "socktap_tcp_transitions_uncounted", PROM_COUNTER,
		    "TCP state transitions not counted: the table per namespace was full");
	prom_sample_u64(p, NULL, 0, M->st.lost_transitions);
	prom_family(p, "socktap_map_entries", PROM_GAUGE, "Entries in socktap's kernel tables");
	prom_sample_u64(p, socks, 1, M->socks_entries);
	prom_sample_u64(p, udp, 1, M->udp_entries);
	prom_sample_u64(p, states, 1, M->states.n);
	prom_family(p, "socktap_map_max_entries", PROM_GAUGE, "Size of socktap's kernel tables");
	prom_sample_u64(p, socks, 1, SOCKTAP_SOCKS_MAX);
	prom_sample_u64(p, udp, 1, SOCKTAP_SOCKS_MAX);
	prom_sample_u64(p, states, 1, SOCKTAP_STATE_COUNTS_MAX);
	/* the kernel measures BPF run time only while kernel.bpf_stats_enabled is 1 */
	if (M->bpf_stats) {
		prom_family(p, "socktap_bpf_run_seconds", PROM_COUNTER,
			    "Time socktap's BPF programs ran (while kernel.bpf_stats_enabled)");
		prom_sample(p, NULL, 0, (double)M->st.bpf_run_ns / 1e9);
		prom_family(p, "socktap_bpf_runs", PROM_COUNTER,
			    "Runs of socktap's BPF programs (while kernel.bpf_stats_enabled)");
		prom_sample_u64(p, NULL, 0, M->st.bpf_runs);
	}
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
	prom_family(p, "process_cpu_seconds", PROM_COUNTER, "socktap's user and system CPU time");
	prom_sample(p, NULL, 0, (double)cpu.tv_sec + (double)cpu.tv_nsec / 1e9);
	f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%llu %llu", &size, &rss) != 2)
			rss = 0;
		fclose(f);
	}
	prom_family(p, "process_resident_memory_bytes", PROM_GAUGE, "socktap's resident memory");
	prom_sample_u64(p, NULL, 0, rss * (unsigned long long)(page > 0 ? page : 4096));
	prom_family(p, "process_start_time_seconds", PROM_GAUGE,
		    "When socktap started, seconds since the epoch");
	prom_sample(p, NULL, 0, M->start_wall);
}

void metrics_render(struct metrics *M, struct prom *p)
{
	struct prom_label info[] = { { "version", SOCKTAP_VERSION }, { "kernel", M->kernel } };

	prom_family(p, "socktap_build_info", PROM_GAUGE, "socktap's version and the kernel's");
	prom_sample_u64(p, info, 2, 1);
	render_interfaces(M, p);
	render_groups(M, p, true);
	render_groups(M, p, false);
	render_tcp(M, p);
	render_health(M, p);
	prom_end(p);
}

void metrics_close(struct metrics *M)
{
	if (!M)
		return;
	topsrc_close(M->T);
	flows_free(M->F);
	keytab_free(&M->conns, NULL);
	keytab_free(&M->groups, NULL);
	state_table_free(&M->states);
	link_set_free(&M->links);
	keytab_free(&M->tcp_states, NULL);
	sockets_src_close(M->tcp_src);
	free(M->order);
	free(M);
}
