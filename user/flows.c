// SPDX-License-Identifier: GPL-2.0
/*
 * top's bookkeeping (flows.h). Every refresh, each socket's counters are
 * compared with what was already counted of it, and the difference goes to
 * the socket, its owner process, its remote host and its cgroup: so bytes
 * stay with whoever held the socket when they moved, a closed socket's last
 * bytes are counted once, and totals only grow.
 *
 * Averages come from a short history of each row's cumulative bytes, one
 * slot per refresh: the 40 s average is (bytes now - bytes then) / (now -
 * then), with "then" the newest refresh at least 40 s back (or the oldest
 * kept). A row that never moved a byte keeps no history.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "flows.h"
#include "keytab.h"
#include "util.h"

const unsigned int flows_window_s[FLOWS_WINDOWS] = { 2, 10, 40 };

/* refreshes of history kept: 40 s and more at the 1 s default */
#define HIST 48
/* how long a closed connection or exited process keeps its row */
#define GONE_KEEP_S 40.0
/* closed connections kept as rows at once, at most: under churn (thousands
 * of connections a second) 40 s of them would be hundreds of megabytes; the
 * least useful (fewest bytes, then longest gone) go first, their bytes
 * already in their process's, host's and cgroup's rows */
#define GONE_CONN_MAX 512
/* refreshes a socket may go unreported before it is taken as gone (its
 * close event may come a refresh late) */
#define MISSING_GRACE 3

struct hist {
	uint64_t sent[HIST], received[HIST];
};

/* What every row has: bytes, history, peaks. */
struct agg {
	struct keynode n;
	struct flow_row row; /* identity and the figures of the last refresh */
	uint64_t prev_sent, prev_received; /* cumulative at the refresh before */
	struct hist *h;
	double active_at; /* last refresh with traffic or an open socket */
	/* without h: the bytes before moved_at, the refresh of its one move
	 * (0: none yet) */
	uint64_t base_sent, base_received;
	unsigned long moved_at;
	bool evict; /* freed by the next expire() */
};

struct flow {
	struct agg a; /* key: cookie */
	uint64_t counted_sent, counted_received; /* kernel counts already attributed */
	uint64_t cur_sent, cur_received; /* kernel counts this refresh */
	unsigned long seen; /* refresh it was last reported in */
	bool closed, fresh, before_start, since_start;
	/* holders reported this refresh: was the owner among them, and the
	 * lowest-pid other one */
	bool owner_seen, cand;
	/* the rows its bytes go to, while no row of their table was freed */
	struct agg *to[FLOW_GROUP_MAX];
	unsigned long to_gen;
	uint16_t last_rport;
	uint32_t cand_pid, cand_uid;
	uint64_t cand_start;
	char cand_comm[FLOWS_COMM_LEN];
};

struct flows {
	struct keytab t[FLOW_GROUP_MAX];
	unsigned long freed_gen; /* bumped whenever a row is freed */
	/* this refresh's history slots for the windows: how many refreshes
	 * back, and the seconds that spans (0: no history yet) */
	unsigned long win_back[FLOWS_WINDOWS];
	double win_span[FLOWS_WINDOWS];
	double times[HIST];
	unsigned long nref; /* refreshes begun */
	double now;
	struct flow_row *rows;
	struct row_ref *refs; /* the rows' order (flows_rows) */
	size_t rows_cap;
	struct flow_row total;
	uint64_t total_prev_sent, total_prev_received;
	struct hist total_h;
};

struct flows *flows_new(void)
{
	return xcalloc(1, sizeof(struct flows));
}

static void free_agg(struct keynode *n)
{
	free(((struct agg *)n)->h);
}

void flows_free(struct flows *F)
{
	if (!F)
		return;
	for (int g = 0; g < FLOW_GROUP_MAX; g++)
		keytab_free(&F->t[g], free_agg);
	free(F->rows);
	free(F->refs);
	free(F);
}

static void key_flow(uint8_t key[KEYTAB_KEY], uint64_t cookie)
{
	memset(key, 0, KEYTAB_KEY);
	memcpy(key, &cookie, 8);
}

static void key_process(uint8_t key[KEYTAB_KEY], uint32_t pid, uint64_t start)
{
	memset(key, 0, KEYTAB_KEY);
	memcpy(key, &pid, 4);
	memcpy(key + 8, &start, 8);
}

static const uint8_t v4mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

/* A v4-mapped IPv6 address is the IPv4 host it maps: one row for both. */
static void key_remote(uint8_t key[KEYTAB_KEY], uint16_t family, const uint8_t addr[16])
{
	memset(key, 0, KEYTAB_KEY);
	if (family == AF_INET6 && !memcmp(addr, v4mapped, 12)) {
		family = AF_INET;
		memcpy(key + 8, addr + 12, 4);
	} else {
		memcpy(key + 8, addr, family == AF_INET ? 4 : 16);
	}
	memcpy(key, &family, 2);
}

static void key_cgroup(uint8_t key[KEYTAB_KEY], uint64_t cgroup)
{
	memset(key, 0, KEYTAB_KEY);
	memcpy(key, &cgroup, 8);
}

void flows_begin(struct flows *F, double now)
{
	F->nref++;
	F->now = now;
	F->times[F->nref % HIST] = now;
}

void flows_add(struct flows *F, const struct flow_sample *s)
{
	uint8_t key[KEYTAB_KEY];
	struct flow *f;
	bool added;

	key_flow(key, s->cookie);
	f = (struct flow *)keytab_get(&F->t[FLOW_GROUP_CONNECTION], key, sizeof(*f), &added);
	if (added) {
		struct flow_row *r = &f->a.row;

		if (s->closed && s->before_start) {
			/* open before socktap and never seen: nothing to count from */
			f->closed = true;
			r->gone = true;
			r->gone_at = F->now;
			f->seen = F->nref;
			return;
		}
		r->group = FLOW_GROUP_CONNECTION;
		r->cookie = s->cookie;
		r->pid = s->pid;
		r->start_time = s->start_time;
		r->uid = s->uid;
		memcpy(r->comm, s->comm, sizeof(r->comm));
		f->fresh = true;
		f->since_start = s->since_start;
		f->owner_seen = true;
	} else if (f->closed) {
		/* its last bytes are counted; a late report changes nothing */
		return;
	} else if (f->a.row.gone) {
		/*
		 * Taken as gone while unreported, but it was not: an orphan
		 * (FIN-WAIT-2, LAST-ACK, held by no process) waited seconds
		 * for its peer, and its close event brings its last bytes.
		 * Counted like any report (t_churn once missed 20 of 20 MB).
		 */
		f->a.row.gone = false;
		f->owner_seen = false;
		f->cand = false;
	} else if (f->seen != F->nref) {
		f->owner_seen = false;
		f->cand = false;
	}
	/* the tuple and state as they are now (a UDP socket may connect) */
	f->a.row.cgroup = s->cgroup;
	f->a.row.netns = s->netns;
	f->a.row.ifindex = s->ifindex;
	f->a.row.family = s->family;
	f->a.row.lport = s->lport;
	f->a.row.rport = s->rport;
	f->a.row.proto = s->proto;
	f->a.row.state = s->state;
	memcpy(f->a.row.laddr, s->laddr, 16);
	memcpy(f->a.row.raddr, s->raddr, 16);
	/*
	 * A live read can be off by what the kernel is changing meanwhile
	 * (it reads without the socket's lock; tcp_bytes.bpf.h): one low is
	 * mended by the next read, which is why the highest is kept; one high
	 * stays until the close, whose counts are read in the kernel's own
	 * locked context and are the socket's last word: taken as they are,
	 * lower or not (t_churn once saw 20,000,001 of 20,000,000 received).
	 */
	if (s->closed || s->bytes_sent > f->cur_sent)
		f->cur_sent = s->bytes_sent;
	if (s->closed || s->bytes_received > f->cur_received)
		f->cur_received = s->bytes_received;
	f->seen = F->nref;
	if (s->closed) {
		/* the owner the kernel recorded stays the owner */
		f->closed = true;
		f->owner_seen = true;
		return;
	}
	if (s->pid == f->a.row.pid && s->start_time == f->a.row.start_time) {
		f->owner_seen = true;
	} else if (!f->cand || s->pid < f->cand_pid) {
		f->cand = true;
		f->cand_pid = s->pid;
		f->cand_start = s->start_time;
		f->cand_uid = s->uid;
		memcpy(f->cand_comm, s->comm, sizeof(f->cand_comm));
	}
}

static struct agg *process_of(struct flows *F, const struct flow_row *fr)
{
	uint8_t key[KEYTAB_KEY];
	struct agg *a;
	bool added;

	key_process(key, fr->pid, fr->start_time);
	a = keytab_get(&F->t[FLOW_GROUP_PROCESS], key, sizeof(*a), &added);
	if (added) {
		a->row.group = FLOW_GROUP_PROCESS;
		a->row.pid = fr->pid;
		a->row.start_time = fr->start_time;
		a->row.uid = fr->uid;
		memcpy(a->row.comm, fr->comm, sizeof(a->row.comm));
	}
	return a;
}

static struct agg *remote_of(struct flows *F, const struct flow_row *fr)
{
	uint8_t key[KEYTAB_KEY];
	struct agg *a;
	bool added;

	key_remote(key, fr->family, fr->raddr);
	a = keytab_get(&F->t[FLOW_GROUP_REMOTE], key, sizeof(*a), &added);
	if (added) {
		a->row.group = FLOW_GROUP_REMOTE;
		memcpy(&a->row.family, key, 2);
		memcpy(a->row.raddr, key + 8, 16);
	}
	return a;
}

static struct agg *cgroup_of(struct flows *F, const struct flow_row *fr)
{
	uint8_t key[KEYTAB_KEY];
	struct agg *a;
	bool added;

	key_cgroup(key, fr->cgroup);
	a = keytab_get(&F->t[FLOW_GROUP_CGROUP], key, sizeof(*a), &added);
	if (added) {
		a->row.group = FLOW_GROUP_CGROUP;
		a->row.cgroup = fr->cgroup;
	}
	return a;
}

void flows_process_exited(struct flows *F, uint32_t pid, uint64_t start_time)
{
	uint8_t key[KEYTAB_KEY];
	struct agg *a;

	key_process(key, pid, start_time);
	a = (struct agg *)keytab_find(&F->t[FLOW_GROUP_PROCESS], key);
	if (a && !a->row.gone) {
		a->row.gone = true;
		a->row.gone_at = F->now;
	}
}

/* *v moved by d; a correction takes it no lower than 0 (the row it was
 * counted in may have been freed meanwhile) */
static void add_delta(uint64_t *v, int64_t d)
{
	if (d >= 0)
		*v += (uint64_t)d;
	else
		*v = *v > (uint64_t)-d ? *v + (uint64_t)d : 0;
}

static void attribute(struct flows *F, struct flow *f, int64_t ds, int64_t dr, bool moved)
{
	struct agg **targets = f->to;

	/* looked up again when the owner moved or a row may have been freed */
	if (moved || !f->to[FLOW_GROUP_PROCESS] || f->to_gen != F->freed_gen) {
		f->to[FLOW_GROUP_CONNECTION] = &f->a;
		f->to[FLOW_GROUP_PROCESS] = process_of(F, &f->a.row);
		f->to[FLOW_GROUP_REMOTE] = remote_of(F, &f->a.row);
		f->to[FLOW_GROUP_CGROUP] = cgroup_of(F, &f->a.row);
		f->to_gen = F->freed_gen;
	}

	for (int i = 0; i < 4; i++) {
		add_delta(&targets[i]->row.bytes_sent, ds);
		add_delta(&targets[i]->row.bytes_received, dr);
		if (!f->closed)
			targets[i]->row.sockets++;
		if (ds || dr || !f->closed)
			targets[i]->active_at = F->now;
	}
	add_delta(&F->total.bytes_sent, ds);
	add_delta(&F->total.bytes_received, dr);
}

/* The history slot of refresh k. */
static unsigned int slot(unsigned long k)
{
	return k % HIST;
}

/* For each window, the newest refresh at least that far back, or the oldest kept. */
static void windows(struct flows *F)
{
	unsigned long back = F->nref - 1 < HIST - 1 ? F->nref - 1 : HIST - 1;

	for (int w = 0; w < FLOWS_WINDOWS; w++) {
		unsigned long k = 1;

		while (k < back && F->now - F->times[slot(F->nref - k)] < flows_window_s[w])
			k++;
		F->win_back[w] = k;
		F->win_span[w] = k <= back ? F->now - F->times[slot(F->nref - k)] : 0;
	}
}

/* Bytes (sent or received) of row a at refresh j, from its history; with
 * none, it never moved (its count now), or it stood at base before
 * moved_at and at its count now since. */
static uint64_t hist_at(const struct agg *a, unsigned long j, bool sent)
{
	if (a->h)
		return sent ? a->h->sent[slot(j)] : a->h->received[slot(j)];
	if (!a->moved_at || j >= a->moved_at)
		return sent ? a->row.bytes_sent : a->row.bytes_received;
	return sent ? a->base_sent : a->base_received;
}

/* Bytes a second from then to now; none where a close corrected the
 * count down (flows_add) */
static double per_sec(uint64_t now, uint64_t then, double span)
{
	return span > 0 && now > then ? (double)(now - then) / span : 0;
}

static void figures(struct flows *F, struct agg *a, double dt)
{
	struct flow_row *r = &a->row;
	bool moved = r->bytes_sent != a->prev_sent || r->bytes_received != a->prev_received;

	if (!a->h && !a->moved_at && moved && r->gone) {
		/* moved once, and closed: one step, which needs no history
		 * (under churn, thousands of such rows a second) */
		a->base_sent = a->prev_sent;
		a->base_received = a->prev_received;
		a->moved_at = F->nref;
	} else if (!a->h && moved) {
		/* the history so far, from the step form, then kept per refresh */
		struct hist *h = xmalloc(sizeof(*h));
		unsigned long oldest = F->nref > HIST ? F->nref - HIST + 1 : 0;

		/* before this refresh it stood at prev, or stepped there */
		for (unsigned long j = oldest; j < F->nref; j++) {
			bool at_prev = !a->moved_at || j >= a->moved_at;

			h->sent[slot(j)] = at_prev ? a->prev_sent : a->base_sent;
			h->received[slot(j)] = at_prev ? a->prev_received : a->base_received;
		}
		a->h = h;
	}
	if (a->h) {
		a->h->sent[slot(F->nref)] = r->bytes_sent;
		a->h->received[slot(F->nref)] = r->bytes_received;
	}
	r->sent_bps = per_sec(r->bytes_sent, a->prev_sent, dt);
	r->received_bps = per_sec(r->bytes_received, a->prev_received, dt);
	if (r->sent_bps > r->peak_sent)
		r->peak_sent = r->sent_bps;
	if (r->received_bps > r->peak_received)
		r->peak_received = r->received_bps;
	if (r->sent_bps + r->received_bps > r->peak_total)
		r->peak_total = r->sent_bps + r->received_bps;
	for (int w = 0; w < FLOWS_WINDOWS; w++) {
		unsigned long k = F->win_back[w];
		double span = F->win_span[w];

		r->avg_sent[w] = per_sec(r->bytes_sent, hist_at(a, F->nref - k, true), span);
		r->avg_received[w] =
			per_sec(r->bytes_received, hist_at(a, F->nref - k, false), span);
	}
	a->prev_sent = r->bytes_sent;
	a->prev_received = r->bytes_received;
}

static int by_usefulness(const void *x, const void *y)
{
	const struct agg *a = *(const struct agg *const *)x, *b = *(const struct agg *const *)y;
	uint64_t ua = a->row.bytes_sent + a->row.bytes_received,
		 ub = b->row.bytes_sent + b->row.bytes_received;

	if (ua != ub)
		return ua < ub ? -1 : 1;
	return (a->row.gone_at > b->row.gone_at) - (a->row.gone_at < b->row.gone_at);
}

/* A closed connection shown already: one only unreported may still report
 * its close (flows_add), so it waits out GONE_KEEP_S. */
static bool gone_before(const struct flows *F, const struct agg *a)
{
	return a->row.gone && a->row.gone_at < F->now && ((const struct flow *)a)->closed;
}

/* Marks the least useful closed connections beyond GONE_CONN_MAX for eviction. */
static void evict_gone(struct flows *F, struct keytab *t)
{
	struct agg **v;
	size_t n = 0;

	/* one gone this refresh is not yet shown: flows_rows() gives every
	 * connection at least once, so a reader summing their bytes (export)
	 * misses none */
	for (size_t i = 0; i < t->nb; i++)
		for (struct keynode *k = t->b[i]; k; k = k->next)
			n += gone_before(F, (struct agg *)k);
	if (n <= GONE_CONN_MAX)
		return;
	v = xmalloc(n * sizeof(*v));
	n = 0;
	for (size_t i = 0; i < t->nb; i++)
		for (struct keynode *k = t->b[i]; k; k = k->next)
			if (gone_before(F, (struct agg *)k))
				v[n++] = (struct agg *)k;
	qsort(v, n, sizeof(*v), by_usefulness);
	for (size_t i = 0; i < n - GONE_CONN_MAX; i++)
		v[i]->evict = true;
	free(v);
}

/* Frees rows gone for longer than they are kept, and evicted ones. */
static void expire(struct flows *F, struct keytab *t, int g)
{
	if (g == FLOW_GROUP_CONNECTION)
		evict_gone(F, t);
	for (size_t i = 0; i < t->nb; i++) {
		for (struct keynode **pn = &t->b[i], *n; (n = *pn);) {
			struct agg *a = (struct agg *)n;
			bool old = a->evict ||
				   (a->row.gone && F->now - a->row.gone_at > GONE_KEEP_S);

			/* hosts and cgroups go once idle that long */
			if ((g == FLOW_GROUP_REMOTE || g == FLOW_GROUP_CGROUP) && !a->row.sockets &&
			    F->now - a->active_at > GONE_KEEP_S)
				old = true;
			if (!old) {
				pn = &n->next;
				continue;
			}
			*pn = n->next;
			t->n--;
			free(a->h);
			free(n);
			F->freed_gen++;
		}
	}
	keytab_shrink(t);
}

void flows_end(struct flows *F)
{
	struct keytab *ft = &F->t[FLOW_GROUP_CONNECTION];
	double dt = flows_interval(F);

	for (int g = FLOW_GROUP_PROCESS; g < FLOW_GROUP_MAX; g++) {
		struct keytab *t = &F->t[g];

		for (size_t i = 0; i < t->nb; i++)
			for (struct keynode *n = t->b[i]; n; n = n->next)
				((struct agg *)n)->row.sockets = 0;
	}
	for (size_t i = 0; i < ft->nb; i++) {
		for (struct keynode *n = ft->b[i]; n; n = n->next) {
			struct flow *f = (struct flow *)n;
			int64_t ds, dr;
			bool moved;

			f->a.row.sockets = 0;
			if (f->a.row.gone)
				continue;
			if (f->seen != F->nref) {
				/* unreported: closed with its last bytes counted, or
				 * its close event is late */
				if (F->nref - f->seen > MISSING_GRACE) {
					f->a.row.gone = true;
					f->a.row.gone_at = F->now;
				}
				continue;
			}
			if (f->fresh && F->nref == 1 && !f->since_start) {
				/* open before socktap: count from here */
				f->counted_sent = f->cur_sent;
				f->counted_received = f->cur_received;
			}
			f->fresh = false;
			moved = false;
			if (!f->owner_seen && f->cand) {
				moved = true;
				/* the owner let go of it: the lowest pid holding it */
				f->a.row.pid = f->cand_pid;
				f->a.row.start_time = f->cand_start;
				f->a.row.uid = f->cand_uid;
				memcpy(f->a.row.comm, f->cand_comm, sizeof(f->a.row.comm));
			}
			/* below what was counted only at a close (flows_add) */
			ds = (int64_t)(f->cur_sent - f->counted_sent);
			dr = (int64_t)(f->cur_received - f->counted_received);
			f->counted_sent = f->cur_sent;
			f->counted_received = f->cur_received;
			/* a UDP socket may connect: its host changes */
			attribute(F, f, ds, dr, moved || f->a.row.rport != f->last_rport);
			f->last_rport = f->a.row.rport;
			if (f->closed) {
				f->a.row.gone = true;
				f->a.row.gone_at = F->now;
			} else {
				f->a.row.sockets = 1;
			}
		}
	}
	windows(F);
	for (int g = 0; g < FLOW_GROUP_MAX; g++) {
		struct keytab *t = &F->t[g];

		for (size_t i = 0; i < t->nb; i++)
			for (struct keynode *n = t->b[i]; n; n = n->next)
				figures(F, (struct agg *)n, dt);
		expire(F, t, g);
	}
	{
		struct agg tot = { .row = F->total,
				   .prev_sent = F->total_prev_sent,
				   .prev_received = F->total_prev_received,
				   .h = &F->total_h };

		figures(F, &tot, dt);
		F->total = tot.row;
		F->total_prev_sent = tot.prev_sent;
		F->total_prev_received = tot.prev_received;
	}
}

double flows_time(const struct flows *F)
{
	return F->now;
}

double flows_interval(const struct flows *F)
{
	if (F->nref < 2)
		return 0;
	return F->now - F->times[slot(F->nref - 1)];
}

void flows_total(const struct flows *F, struct flow_row *total)
{
	*total = F->total;
}

static double sort_key(const struct flow_row *r, enum flow_sort s)
{
	switch (s) {
	case FLOW_SORT_2S:
	case FLOW_SORT_10S:
	case FLOW_SORT_40S:
		return r->avg_sent[s - FLOW_SORT_2S] + r->avg_received[s - FLOW_SORT_2S];
	case FLOW_SORT_SENT:
		return r->avg_sent[0];
	case FLOW_SORT_RECEIVED:
		return r->avg_received[0];
	case FLOW_SORT_MAX:
		break;
	}
	return 0;
}

/*
 * A row's place in the order, its keys taken once: a refresh sorts these
 * rather than the rows (230 bytes each), so that sorting 10,000
 * connections neither recomputes keys per comparison nor moves rows.
 */
struct row_ref {
	double rate; /* the sort's rate, highest first */
	uint64_t bytes; /* then the most bytes (of the sort's direction) */
	uint64_t cookie;
	uint32_t pid;
	bool gone;
	const struct flow_row *row;
};

static void row_ref_of(struct row_ref *x, const struct flow_row *r, enum flow_sort s)
{
	x->rate = sort_key(r, s);
	x->bytes = s == FLOW_SORT_SENT	   ? r->bytes_sent :
		   s == FLOW_SORT_RECEIVED ? r->bytes_received :
					     r->bytes_sent + r->bytes_received;
	x->cookie = r->cookie;
	x->pid = r->pid;
	x->gone = r->gone;
	x->row = r;
}

/* then open before closed, and a stable identity */
static int cmp_refs(const void *pa, const void *pb)
{
	const struct row_ref *a = pa, *b = pb;

	if (a->rate != b->rate)
		return a->rate < b->rate ? 1 : -1;
	if (a->bytes != b->bytes)
		return a->bytes < b->bytes ? 1 : -1;
	if (a->gone != b->gone)
		return a->gone ? 1 : -1;
	if (a->pid != b->pid)
		return a->pid < b->pid ? -1 : 1;
	if (a->cookie != b->cookie)
		return a->cookie < b->cookie ? -1 : 1;
	if (a->row->cgroup != b->row->cgroup)
		return a->row->cgroup < b->row->cgroup ? -1 : 1;
	return memcmp(a->row->raddr, b->row->raddr, 16);
}

unsigned long flows_freed(const struct flows *F)
{
	return F->freed_gen;
}

size_t flows_rows(struct flows *F, enum flow_group g, enum flow_sort sort,
		  const struct flow_row **rows)
{
	struct keytab *t = &F->t[g];
	size_t n = 0;

	if (sort >= FLOW_SORT_MAX)
		sort = FLOW_SORT_2S;
	/* grown for a burst, shrunk after it */
	if (t->n > F->rows_cap || (F->rows_cap > 1024 && t->n < F->rows_cap / 4)) {
		F->rows_cap = t->n + t->n / 4;
		F->rows = xrealloc(F->rows, (F->rows_cap ? F->rows_cap : 1) * sizeof(*F->rows));
		F->refs = xrealloc(F->refs, (F->rows_cap ? F->rows_cap : 1) * sizeof(*F->refs));
	}
	for (size_t i = 0; i < t->nb; i++) {
		for (struct keynode *nd = t->b[i]; nd; nd = nd->next) {
			const struct agg *a = (const struct agg *)nd;

			/* a socket open before socktap and closed unseen has no row */
			if (g == FLOW_GROUP_CONNECTION && !a->row.cookie)
				continue;
			row_ref_of(&F->refs[n++], &a->row, sort);
		}
	}
	/* no rows: qsort may not be handed the NULL of a table never filled */
	if (n)
		qsort(F->refs, n, sizeof(*F->refs), cmp_refs);
	for (size_t i = 0; i < n; i++)
		F->rows[i] = *F->refs[i].row;
	*rows = F->rows;
	return n;
}

size_t flows_processes(const struct flows *F, uint32_t *pids, uint64_t *starts, size_t max)
{
	const struct keytab *t = &F->t[FLOW_GROUP_PROCESS];
	size_t n = 0;

	for (size_t i = 0; i < t->nb; i++) {
		for (const struct keynode *nd = t->b[i]; nd; nd = nd->next) {
			const struct agg *a = (const struct agg *)nd;

			if (a->row.gone || n >= max)
				continue;
			pids[n] = a->row.pid;
			starts[n] = a->row.start_time;
			n++;
		}
	}
	return n;
}
