// SPDX-License-Identifier: GPL-2.0
/*
 * Fills the socket table for a listing: the BPF iterators where the kernel
 * has them (one load, one pass per table and namespace, one pass over every
 * process's files for the owners), else sock_diag netlink and a /proc fd
 * scan. sock_diag is also the only source of raw, netlink and packet
 * sockets, which no iterator walks. Both give the same rows: views never
 * know which ran.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>
#include "cli.h"
#include "iter_decode.h"
#include "loader_iter.h"
#include "netns.h"
#include "privilege.h"
#include "procfd.h"
#include "socktap.h"
#include "sockdiag.h"
#include "kbugs.h"
#include "sockets.h"
#include "strbuf.h"
#include "sysinfo.h"

/* Why the iterators were not used, for -v and doctor ("" when they were). */
char sockets_fallback_reason[256];
/* Did a listing read TCP from sock_diag beside the iterators (for -v)? */
static bool tcp_diag_used;
/* Why a listing of held sockets read the tables instead (-v), or "". */
static char sockets_held_refused[256];
struct sockets_timing sockets_timing;

double sockets_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

void sockets_report_source(void)
{
	char why[200];

	if (!g_opts.verbose)
		return;
	if (sockets_held_refused[0])
		fprintf(stderr,
			"socktap: sockets from the socket tables, not one walk of the files: %s\n",
			sockets_held_refused);
	if (sockets_fallback_reason[0])
		fprintf(stderr, "socktap: sockets from sock_diag and /proc: %s\n",
			sockets_fallback_reason);
	else if (tcp_diag_used && kbug_tcp_iter(why, sizeof(why)))
		fprintf(stderr, "socktap: TCP sockets from sock_diag: %s\n", why);
	if (sockdiag_tcp_split[0])
		fprintf(stderr,
			"socktap: TCP in a dump per family: the one-dump request failed: %s\n",
			sockdiag_tcp_split);
	/* ss goes on without a table it cannot dump, saying so: here with -v */
	if (sockdiag_skipped[0])
		fprintf(stderr, "socktap: listed without: %s\n", sockdiag_skipped);
}

void sockets_print_timing(double print_ms)
{
	const char *s = getenv("SOCKTAP_TIMING");

	if (s && !strcmp(s, "1"))
		fprintf(stderr,
			"socktap: timing load %.2f iterate %.2f owners %.2f print %.2f ms\n",
			sockets_timing.load_ms, sockets_timing.iterate_ms, sockets_timing.owners_ms,
			print_ms);
}

static bool source_is(const char *name)
{
	const char *s = getenv("SOCKTAP_LISTING_SOURCE");

	return s && !strcmp(s, name);
}

bool sockets_forced_fallback(void)
{
	return source_is("netlink");
}

/* TCP from sock_diag where walking iter/tcp would risk the kernel (kbugs.h) */
static bool tcp_by_diag(void)
{
	return kbug_tcp_iter(NULL, 0);
}

static unsigned int iters_for(const struct sockets_query *q)
{
	unsigned int it = 0;

	if ((q->kinds & SK_KIND_BIT(SK_TCP)) && !tcp_by_diag())
		it |= ITER_BIT(ITER_TCP);
	if (q->kinds & SK_KIND_BIT(SK_UDP))
		it |= ITER_BIT(ITER_UDP);
	if (q->kinds & SK_KINDS_UNIX)
		it |= ITER_BIT(ITER_UNIX);
	if (q->owners)
		it |= ITER_BIT(ITER_FILES);
	return it;
}

/* The unix iterator walks every type: keep the ones asked for. */
static void drop_unwanted_unix(struct sock_table *t, size_t from, unsigned int kinds)
{
	size_t w = from;

	for (size_t r = from; r < t->n; r++) {
		if (kinds & SK_KIND_BIT(t->v[r].kind)) {
			t->v[w++] = t->v[r];
		} else {
			free(t->v[r].unix_path);
			free(t->v[r].unix_icons);
			free(t->v[r].link);
			free(t->v[r].tcpi);
		}
	}
	t->n = w;
}

/* Sockets of one namespace (the one this thread is in) from the iterators. */
static int read_iters(struct iter_loader *L, const struct sockets_query *q, struct strbuf *buf,
		      struct sock_table *t, char *err, size_t errlen)
{
	static const struct {
		enum iter_kind it;
		enum sock_kind kind;
	} inet[] = { { ITER_UDP, SK_UDP }, { ITER_TCP, SK_TCP } };
	size_t first = t->n;
	uint32_t netns = netns_current();

	if (q->kinds & SK_KINDS_UNIX) {
		size_t from = t->n;

		buf->len = 0;
		if (loader_iter_read(L, ITER_UNIX, buf) ||
		    iter_decode_unix(buf->p, buf->len, t) < 0)
			goto fail;
		drop_unwanted_unix(t, from, q->kinds);
	}
	for (size_t i = 0; i < sizeof(inet) / sizeof(inet[0]); i++) {
		if (!(q->kinds & SK_KIND_BIT(inet[i].kind)) ||
		    (inet[i].kind == SK_TCP && tcp_by_diag()))
			continue;
		buf->len = 0;
		/* the kernel's config (the timers' clock rate) is read only
		 * when a table comes from here: not on this kernel's TCP path */
		if (loader_iter_read(L, inet[i].it, buf) ||
		    iter_decode_socks(buf->p, buf->len, inet[i].kind, sysinfo_kernel_hz(), t) < 0)
			goto fail;
	}
	/* the iterators walk this thread's namespace and leave it to us */
	for (size_t i = first; i < t->n; i++)
		t->v[i].netns = netns;
	return 0;
fail:
	snprintf(err, errlen, "%s", L->error[0] ? L->error : "a listing iterator ended mid-record");
	return -1;
}

/* Every table asked for, in the namespace this thread is in. */
static int collect_here(struct iter_loader *L, bool use_iter, const struct sockets_query *q,
			struct strbuf *buf, struct sock_table *t, char *err, size_t errlen)
{
	unsigned int diag_kinds = q->kinds & SK_KINDS_DIAG_ONLY;

	if (use_iter) {
		if (read_iters(L, q, buf, t, err, errlen))
			return -1;
		if (tcp_by_diag() && (q->kinds & SK_KIND_BIT(SK_TCP))) {
			diag_kinds |= SK_KIND_BIT(SK_TCP);
			tcp_diag_used = true;
		}
	} else {
		diag_kinds = q->kinds;
	}
	if (diag_kinds && sockdiag_collect(q, diag_kinds, t, err, errlen))
		return -1;
	return 0;
}

/*
 * The owners' join, done while the tables are still being read where it
 * can be: the walk of the files usually ends first (it runs on another
 * thread, see sockets_src_collect), and from then on each batch of entries
 * the tables add is joined on this thread, which otherwise waits for the
 * kernel's next datagram. What is left is joined at the end.
 */
struct owner_join {
	struct iter_loader *L;
	struct strbuf *files; /* the walk's records */
	struct file_index fx;
	bool indexed;
};

static void join_settled(void *arg, struct sock_table *t)
{
	struct owner_join *j = arg;

	if (!j->indexed) {
		if (!loader_iter_read_done(j->L))
			return;
		/* a torn walk: the end says so (owners()) */
		if (file_index_build(&j->fx, j->files->p, j->files->len)) {
			t->settle = NULL;
			return;
		}
		j->indexed = true;
	}
	/* the newest entry is still being filled */
	file_index_join(&j->fx, t, t->settled, t->n - 1);
	t->settled = t->n - 1;
}

/* The owners: the file iterator's records, joined to what is not yet. */
static int owners(struct owner_join *j, bool use_iter, struct sock_table *t, char *err,
		  size_t errlen)
{
	if (!use_iter)
		return procfd_owners(t, "/proc", err, errlen);
	if (loader_iter_wait(j->L)) {
		snprintf(err, errlen, "%s", j->L->error);
		return -1;
	}
	if (!j->indexed) {
		if (file_index_build(&j->fx, j->files->p, j->files->len)) {
			snprintf(err, errlen, "the task_file iterator ended mid-record");
			return -1;
		}
		j->indexed = true;
	}
	/* the rows from sock_diag are joined too: the walk reports every socket fd */
	file_index_join(&j->fx, t, t->settled, t->n);
	t->settled = t->n;
	return 0;
}

struct collect_ctx {
	struct iter_loader *L;
	bool use_iter;
	const struct sockets_query *q;
	struct strbuf *buf;
	struct sock_table *t;
	char *err;
	size_t errlen;
};

static int collect_in_netns(void *ctx)
{
	struct collect_ctx *c = ctx;

	return collect_here(c->L, c->use_iter, c->q, c->buf, c->t, c->err, c->errlen);
}

struct sockets_src {
	struct sockets_query q;
	struct iter_loader L;
	bool use_iter;
	bool use_held; /* the held iterator alone (q.held_only) */
	/* the load and the first walk of the files run on a thread, into files */
	bool load_pending;
	struct strbuf files;
	double load_ms;
};

/*
 * Every table from sock_diag and the iterators only for the owners: the
 * load then need not come first, and runs while the tables are dumped.
 */
static bool load_meanwhile(const struct sockets_query *q)
{
	return q->owners && iters_for(q) == ITER_BIT(ITER_FILES);
}

/*
 * The end of a load that ran meanwhile: 0 with the files walked into
 * S->files, or with S on the fallback if the load was refused; -1 with err.
 */
static int load_wait(struct sockets_src *S, char *err, size_t errlen)
{
	double t0 = sockets_now_ms();

	S->load_pending = false;
	if (loader_iter_wait(&S->L)) {
		if (!S->L.open_failed) {
			snprintf(err, errlen, "%s", S->L.error);
			return -1;
		}
		snprintf(sockets_fallback_reason, sizeof(sockets_fallback_reason), "%s",
			 S->L.error);
		iter_loader_close(&S->L);
		S->use_iter = false;
	}
	/* what the listing waited for it, after the tables */
	S->load_ms += sockets_now_ms() - t0;
	return 0;
}

/*
 * The held iterator, for a listing of held sockets in this namespace: 0, or
 * -1 with its refusal kept for -v (the tables and owners serve instead, as
 * SOCKTAP_LISTING_SOURCE=tables asks).
 */
static int held_open(struct sockets_src *S, const struct iter_config *base)
{
	struct iter_config cfg = *base;
	unsigned int tcp = SK_KIND_BIT(SK_TCP), udp = SK_KIND_BIT(SK_UDP);

	if (source_is("tables")) {
		snprintf(sockets_held_refused, sizeof(sockets_held_refused),
			 "SOCKTAP_LISTING_SOURCE=tables");
		return -1;
	}
	cfg.netns = netns_current();
	if (!cfg.netns || S->q.mem || S->q.tcpinfo || (S->q.kinds & ~(tcp | udp)))
		return -1;
	cfg.protos = (S->q.kinds & tcp ? 1 : 0) | (S->q.kinds & udp ? 2 : 0);
	if (iter_loader_open(&S->L, ITER_BIT(ITER_HELD), &cfg) == 0)
		return 0;
	snprintf(sockets_held_refused, sizeof(sockets_held_refused), "%s", S->L.error);
	iter_loader_close(&S->L);
	return -1;
}

struct held_read {
	struct sock_table *t;
	struct sock_index ix;
};

static int held_chunk(void *ctx, const void *buf, size_t len)
{
	struct held_read *h = ctx;

	/* held records carry no timers: no clock rate to look up (0) */
	return iter_decode_held_chunk(buf, len, 0, h->t, &h->ix) < 0 ? -1 : 0;
}

/*
 * The held iterator's sockets and owners, in one walk, decoded as it is
 * read: the walk's output is never held whole (its pages were a tenth of
 * socktap lsof's time at 10,000 sockets).
 */
static int collect_held(struct iter_loader *L, struct sock_table *t, char *err, size_t errlen)
{
	struct held_read h = { .t = t };
	int ret = 0;

	sock_index_init(&h.ix, 0);
	if (loader_iter_each(L, ITER_HELD, ITER_HELD_REC, held_chunk, &h)) {
		snprintf(err, errlen, "%s", L->error);
		ret = -1;
	}
	sock_index_free(&h.ix);
	return ret;
}

struct sockets_src *sockets_src_open(const struct sockets_query *q)
{
	struct iter_config cfg = { .states = q->states,
				   .family = q->family,
				   .mem = q->mem,
				   .tcpinfo = q->tcpinfo,
				   .cgroup = q->cgroup };
	struct sockets_src *S = calloc(1, sizeof(*S));
	double t0 = sockets_now_ms();

	if (!S)
		return NULL;
	S->q = *q;
	sockets_fallback_reason[0] = '\0';
	sockets_held_refused[0] = '\0';
	if (sockets_forced_fallback())
		snprintf(sockets_fallback_reason, sizeof(sockets_fallback_reason),
			 "SOCKTAP_LISTING_SOURCE=netlink");
	else if (q->held_only && !q->all_netns && held_open(S, &cfg) == 0)
		S->use_iter = S->use_held = true;
	else if (load_meanwhile(q) &&
		 iter_loader_open_async(&S->L, iters_for(q), &cfg, ITER_FILES, &S->files) == 0)
		S->use_iter = S->load_pending = true;
	else if (iter_loader_open(&S->L, iters_for(q), &cfg) == 0)
		S->use_iter = true;
	else
		snprintf(sockets_fallback_reason, sizeof(sockets_fallback_reason), "%s",
			 S->L.error);
	S->load_ms = sockets_now_ms() - t0;
	return S;
}

int sockets_src_collect(struct sockets_src *S, struct sock_table *t, char *err, size_t errlen)
{
	const struct sockets_query *q = &S->q;
	struct strbuf buf = { 0 }, *files = &S->files;
	struct owner_join join = { .L = &S->L, .files = files };
	int ret = -1;
	double t1 = sockets_now_ms(), t2;

	sock_table_free(t);
	sockdiag_skipped[0] = '\0';
	sockdiag_tcp_split[0] = '\0';
	sockets_timing.load_ms = S->load_ms;
	if (S->use_held) {
		ret = collect_held(&S->L, t, err, errlen);
		sockets_timing.iterate_ms = sockets_now_ms() - t1;
		sockets_timing.owners_ms = 0;
		return ret;
	}
	/* the owners from /proc need more than from the iterator: said, not
	 * left to a listing with only this user's processes in it */
	if (q->owners && !S->use_iter && q->cmd &&
	    privilege_check(q->cmd, PRIV_OWNERS_PROC, privilege_effective(), err, errlen, NULL, 0))
		return -1;
	/* every process's files, walked on another CPU while the socket tables
	 * are read here: the walk does not depend on the namespace (after a
	 * load that ran meanwhile, the walk is under way already) */
	if (!S->load_pending) {
		files->len = 0;
		if (S->use_iter && q->owners && loader_iter_read_async(&S->L, ITER_FILES, files)) {
			snprintf(err, errlen, "%s", S->L.error);
			goto out;
		}
	}
	if (S->use_iter && q->owners) {
		t->settle = join_settled;
		t->settle_arg = &join;
	}

	if (!q->all_netns) {
		if (collect_here(&S->L, S->use_iter, q, &buf, t, err, errlen))
			goto out;
	} else {
		struct collect_ctx cc = { &S->L, S->use_iter, q, &buf, t, err, errlen };

		/* the socket iterators walk the reading thread's namespace */
		if (netns_each(collect_in_netns, &cc, err, errlen))
			goto out;
	}
	t->settle = NULL;
	t2 = sockets_now_ms();
	sockets_timing.iterate_ms = t2 - t1;
	if (S->load_pending) {
		if (load_wait(S, err, errlen))
			goto out;
		sockets_timing.load_ms = S->load_ms;
		/* refused: the owners from /proc, which need more */
		if (!S->use_iter && q->cmd &&
		    privilege_check(q->cmd, PRIV_OWNERS_PROC, privilege_effective(), err, errlen,
				    NULL, 0))
			goto out;
		t2 = sockets_now_ms();
	}
	if (q->owners) {
		if (owners(&join, S->use_iter, t, err, errlen))
			goto out;
	}
	sockets_timing.owners_ms = sockets_now_ms() - t2;
	ret = 0;
out:
	t->settle = NULL;
	file_index_free(&join.fx);
	/* a failure above leaves the walk of the files running: it writes into
	 * files until it ends, so wait for it before freeing (no-op if joined) */
	if (S->load_pending) {
		char why[8];

		/* a load refused meanwhile still leaves S on the fallback */
		load_wait(S, why, sizeof(why));
	} else if (S->use_iter) {
		loader_iter_wait(&S->L);
	}
	sb_free(&buf);
	sb_free(files);
	return ret;
}

struct count_ctx {
	struct sockets_src *S;
	struct strbuf *buf;
	void (*cb)(uint32_t netns, const uint64_t *counts, void *ctx);
	void *ctx;
	char *err;
	size_t errlen;
};

/* This namespace's TCP sockets by state: the iterator's records counted. */
static int count_here(void *ctx)
{
	struct count_ctx *c = ctx;
	uint64_t counts[SOCKTAP_TCP_NSTATES] = { 0 };

	c->buf->len = 0;
	if (loader_iter_read(&c->S->L, ITER_TCP, c->buf) ||
	    iter_count_socks(c->buf->p, c->buf->len, counts, SOCKTAP_TCP_NSTATES) < 0) {
		snprintf(c->err, c->errlen, "%s",
			 c->S->L.error[0] ? c->S->L.error : "the TCP iterator ended mid-record");
		return -1;
	}
	c->cb(netns_current(), counts, c->ctx);
	return 0;
}

int sockets_src_tcp_states(struct sockets_src *S, bool here,
			   void (*cb)(uint32_t netns, const uint64_t *counts, void *ctx), void *ctx,
			   char *err, size_t errlen)
{
	struct strbuf buf = { 0 };
	struct count_ctx c = { S, &buf, cb, ctx, err, errlen };
	int ret;

	/* without the iterator: the fallback's rows, counted */
	if (!S->use_iter || !(S->q.kinds & SK_KIND_BIT(SK_TCP)) || tcp_by_diag()) {
		struct sock_table t = { 0 };
		bool all = S->q.all_netns;

		S->q.all_netns = all && !here;
		ret = sockets_src_collect(S, &t, err, errlen);
		S->q.all_netns = all;
		for (size_t i = 0; !ret && i < t.n; i++) {
			uint64_t counts[SOCKTAP_TCP_NSTATES] = { 0 };

			if (t.v[i].kind != SK_TCP || t.v[i].state >= SOCKTAP_TCP_NSTATES)
				continue;
			counts[t.v[i].state] = 1;
			cb(t.v[i].netns, counts, ctx);
		}
		sock_table_free(&t);
		return ret;
	}
	if (S->q.all_netns && !here)
		ret = netns_each(count_here, &c, err, errlen);
	else
		ret = count_here(&c);
	sb_free(&buf);
	return ret;
}

void sockets_src_close(struct sockets_src *S)
{
	if (!S)
		return;
	iter_loader_close(&S->L);
	sb_free(&S->files);
	free(S);
}

int sockets_collect(const struct sockets_query *q, struct sock_table *t, char *err, size_t errlen)
{
	struct sockets_src *S = sockets_src_open(q);
	int ret;

	if (!S) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	ret = sockets_src_collect(S, t, err, errlen);
	sockets_src_close(S);
	return ret;
}
