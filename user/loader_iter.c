// SPDX-License-Identifier: GPL-2.0
/*
 * The listing loader over the iterators' light skeletons. skel_internal.h
 * (which the generated headers include) wants errno and the bpf syscall
 * declarations first.
 */
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include "loader_iter.h"
#include "strbuf.h"
#include "util.h"
#include "iter_files.lskel.h"
#include "iter_flows.lskel.h"
#include "iter_flows_typed.lskel.h"
#include "iter_held.lskel.h"
#include "iter_tcp.lskel.h"
#include "iter_tcp_full.lskel.h"
#include "iter_udp.lskel.h"
#include "iter_udp_full.lskel.h"
#include "iter_unix.lskel.h"

/* Reads in chunks of this much: more than the kernel's seq_file buffer. */
#define READ_CHUNK (64 * 1024)

struct iter_skels {
	struct lskel_iter_tcp *tcp;
	struct lskel_iter_tcp_full *tcp_full; /* instead of tcp: cgroup, ss -i */
	struct lskel_iter_udp *udp;
	struct lskel_iter_udp_full *udp_full; /* instead of udp: cgroup */
	struct lskel_iter_unix *unx;
	struct lskel_iter_files *files;
	struct lskel_iter_flows *flows;
	struct lskel_iter_flows_typed *flows_typed;
	struct lskel_iter_held *held;
};

const char *iter_kind_name(enum iter_kind k)
{
	static const char *const names[ITER_MAX] = {
		[ITER_TCP] = "iter/tcp",	 [ITER_UDP] = "iter/udp",
		[ITER_UNIX] = "iter/unix",	 [ITER_FILES] = "iter/task_file",
		[ITER_FLOWS] = "iter/task_file", [ITER_HELD] = "iter/task_file",
	};

	return k < ITER_MAX ? names[k] : "?";
}

int iter_kind_by_prog(const char *prog)
{
	static const char *const progs[ITER_MAX] = {
		[ITER_TCP] = "stp_iter_tcp",	 [ITER_UDP] = "stp_iter_udp",
		[ITER_UNIX] = "stp_iter_unix",	 [ITER_FILES] = "stp_iter_files",
		[ITER_FLOWS] = "stp_iter_flows", [ITER_HELD] = "stp_iter_held",
	};

	for (int k = 0; k < ITER_MAX; k++)
		if (prog && !strcmp(prog, progs[k]))
			return k;
	return -1;
}

/*
 * Each skeleton: open, set its configuration, load, attach; the link fd
 * (or -errno). The generated functions differ only in their types.
 */
#define LOAD_ONE(S, type, field, prog, set_cfg)                                                    \
	({                                                                                         \
		int __fd = -ENOMEM;                                                                \
		(S)->field = type##__open();                                                       \
		if ((S)->field) {                                                                  \
			set_cfg;                                                                   \
			__fd = type##__load((S)->field);                                           \
			if (!__fd)                                                                 \
				__fd = type##__##prog##__attach((S)->field);                       \
			if (__fd < 0 && errno)                                                     \
				__fd = -errno;                                                     \
		}                                                                                  \
		__fd;                                                                              \
	})

static int load_kind(struct iter_skels *S, enum iter_kind k, const struct iter_config *cfg)
{
	switch (k) {
	case ITER_TCP:
		if (cfg->tcpinfo || cfg->cgroup)
			return LOAD_ONE(S, lskel_iter_tcp_full, tcp_full, stp_iter_tcp, ({
						S->tcp_full->rodata->cfg_states = cfg->states;
						S->tcp_full->rodata->cfg_family = cfg->family;
						S->tcp_full->rodata->cfg_mem = cfg->mem;
						S->tcp_full->rodata->cfg_tcpinfo = cfg->tcpinfo;
					}));
		return LOAD_ONE(S, lskel_iter_tcp, tcp, stp_iter_tcp, ({
					S->tcp->rodata->cfg_states = cfg->states;
					S->tcp->rodata->cfg_family = cfg->family;
					S->tcp->rodata->cfg_mem = cfg->mem;
				}));
	case ITER_UDP:
		if (cfg->cgroup)
			return LOAD_ONE(S, lskel_iter_udp_full, udp_full, stp_iter_udp, ({
						S->udp_full->rodata->cfg_states = cfg->states;
						S->udp_full->rodata->cfg_family = cfg->family;
						S->udp_full->rodata->cfg_mem = cfg->mem;
					}));
		return LOAD_ONE(S, lskel_iter_udp, udp, stp_iter_udp, ({
					S->udp->rodata->cfg_states = cfg->states;
					S->udp->rodata->cfg_family = cfg->family;
					S->udp->rodata->cfg_mem = cfg->mem;
				}));
	case ITER_UNIX:
		return LOAD_ONE(S, lskel_iter_unix, unx, stp_iter_unix, ({
					S->unx->rodata->cfg_states = cfg->states;
					S->unx->rodata->cfg_mem = cfg->mem;
				}));
	case ITER_FILES:
		/* the file iterator takes no configuration */
		return LOAD_ONE(S, lskel_iter_files, files, stp_iter_files, ({}));
	case ITER_FLOWS: {
		/* typed reads where the kernel has bpf_rdonly_cast (6.2+): a
		 * kernel without it refuses the load at once */
		int fd = LOAD_ONE(S, lskel_iter_flows_typed, flows_typed, stp_iter_flows, ({
					  S->flows_typed->rodata->cfg_family = cfg->family;
					  S->flows_typed->rodata->cfg_route = cfg->route;
				  }));

		if (fd >= 0)
			return fd;
		lskel_iter_flows_typed__destroy(S->flows_typed);
		S->flows_typed = NULL;
		return LOAD_ONE(S, lskel_iter_flows, flows, stp_iter_flows, ({
					S->flows->rodata->cfg_family = cfg->family;
					S->flows->rodata->cfg_route = cfg->route;
				}));
	}
	case ITER_HELD:
		return LOAD_ONE(S, lskel_iter_held, held, stp_iter_held, ({
					S->held->rodata->cfg_states = cfg->states;
					S->held->rodata->cfg_family = cfg->family;
					S->held->rodata->cfg_netns = cfg->netns;
					S->held->rodata->cfg_protos = cfg->protos;
				}));
	case ITER_MAX:
		break;
	}
	return -EINVAL;
}

/* One skeleton's load, on a thread of its own: they are independent. */
struct load_job {
	struct iter_skels *S;
	enum iter_kind k;
	const struct iter_config *cfg;
	pthread_t thread;
	bool started;
	int fd; /* link fd, or -errno */
};

static void *load_job_run(void *arg)
{
	struct load_job *j = arg;

	errno = 0;
	j->fd = load_kind(j->S, j->k, j->cfg);
	return NULL;
}

static void loader_init(struct iter_loader *L)
{
	memset(L, 0, sizeof(*L));
	for (unsigned int k = 0; k < ITER_MAX; k++)
		L->links[k] = -1;
}

/* The load of an initialised L: 0, or -1 with L->error and L->err. */
static int loader_load(struct iter_loader *L, unsigned int kinds, const struct iter_config *cfg)
{
	struct load_job jobs[ITER_MAX];
	int ret = 0;

	L->skels = calloc(1, sizeof(struct iter_skels));
	if (!L->skels) {
		snprintf(L->error, sizeof(L->error), "out of memory");
		return -1;
	}
	/*
	 * Most of a load is the kernel relocating and verifying the program,
	 * one skeleton after another if done in turn: on a machine of several
	 * CPUs a listing waits for the longest one only.
	 */
	for (unsigned int k = 0; k < ITER_MAX; k++) {
		jobs[k] = (struct load_job){ .S = L->skels, .k = k, .cfg = cfg, .fd = -1 };
		if (!(kinds & ITER_BIT(k)))
			continue;
		jobs[k].started = pthread_create(&jobs[k].thread, NULL, load_job_run, &jobs[k]) ==
				  0;
		if (!jobs[k].started)
			load_job_run(&jobs[k]);
	}
	for (unsigned int k = 0; k < ITER_MAX; k++) {
		if (!(kinds & ITER_BIT(k)))
			continue;
		if (jobs[k].started)
			pthread_join(jobs[k].thread, NULL);
		if (jobs[k].fd < 0) {
			if (!ret) {
				snprintf(L->error, sizeof(L->error), "loading %s failed: %s",
					 iter_kind_name(k), strerror(-jobs[k].fd));
				L->err = jobs[k].fd;
			}
			ret = -1;
			continue;
		}
		L->links[k] = jobs[k].fd;
	}
	return ret;
}

int iter_loader_open(struct iter_loader *L, unsigned int kinds, const struct iter_config *cfg)
{
	loader_init(L);
	return loader_load(L, kinds, cfg);
}

/* Reads the iterator of link fd to its end into out; 0, or -1 with err. */
static int read_iter(int link, enum iter_kind k, struct strbuf *out, char *err, size_t errlen)
{
	ssize_t n;
	int fd;

	/* the namespace is taken from the caller when the fd is created */
	fd = bpf_iter_create(link);
	if (fd < 0) {
		snprintf(err, errlen, "%s failed: %s", iter_kind_name(k), strerror(errno));
		return -1;
	}
	for (;;) {
		sb_reserve(out, READ_CHUNK);
		n = read(fd, out->p + out->len, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out->len += (size_t)n;
	}
	if (n < 0)
		snprintf(err, errlen, "reading %s failed: %s", iter_kind_name(k), strerror(errno));
	close(fd);
	return n < 0 ? -1 : 0;
}

static bool iter_loaded(struct iter_loader *L, enum iter_kind k)
{
	if (k < ITER_MAX && L->links[k] >= 0)
		return true;
	snprintf(L->error, sizeof(L->error), "%s is not loaded", iter_kind_name(k));
	return false;
}

int loader_iter_read(struct iter_loader *L, enum iter_kind k, struct strbuf *out)
{
	if (!iter_loaded(L, k))
		return -1;
	return read_iter(L->links[k], k, out, L->error, sizeof(L->error));
}

int loader_iter_each(struct iter_loader *L, enum iter_kind k, size_t rec, iter_chunk_fn each,
		     void *ctx)
{
	/* a multiple of any record's size is not needed: a partial one waits */
	char *buf;
	size_t have = 0;
	ssize_t n = 0;
	int fd, ret = -1;

	if (!iter_loaded(L, k))
		return -1;
	if (!rec || rec > READ_CHUNK) {
		snprintf(L->error, sizeof(L->error), "%s: bad record size", iter_kind_name(k));
		return -1;
	}
	fd = bpf_iter_create(L->links[k]);
	if (fd < 0) {
		snprintf(L->error, sizeof(L->error), "%s failed: %s", iter_kind_name(k),
			 strerror(errno));
		return -1;
	}
	buf = xmalloc(READ_CHUNK);
	for (;;) {
		size_t whole;

		n = read(fd, buf + have, READ_CHUNK - have);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		have += (size_t)n;
		whole = have - have % rec;
		if (whole && each(ctx, buf, whole)) {
			snprintf(L->error, sizeof(L->error), "%s: a record could not be read",
				 iter_kind_name(k));
			goto out;
		}
		memmove(buf, buf + whole, have - whole);
		have -= whole;
	}
	if (n < 0)
		snprintf(L->error, sizeof(L->error), "reading %s failed: %s", iter_kind_name(k),
			 strerror(errno));
	else if (have)
		snprintf(L->error, sizeof(L->error), "%s ended mid-record", iter_kind_name(k));
	else
		ret = 0;
out:
	free(buf);
	close(fd);
	return ret;
}

static void *async_run(void *arg)
{
	struct iter_loader *L = arg;

	if (L->async_open) {
		L->async_ret = loader_load(L, L->async_kinds, &L->async_cfg);
		if (L->async_ret) {
			L->open_failed = true;
			snprintf(L->async_error, sizeof(L->async_error), "%s", L->error);
			return NULL;
		}
		if (L->async_kind >= ITER_MAX)
			return NULL;
	}
	L->async_ret = read_iter(L->links[L->async_kind], L->async_kind, L->async_out,
				 L->async_error, sizeof(L->async_error));
	/* the last act: after it the caller may read async_out */
	atomic_store_explicit(&L->async_done, L->async_ret == 0, memory_order_release);
	return NULL;
}

bool loader_iter_read_done(struct iter_loader *L)
{
	return L->async_pending && atomic_load_explicit(&L->async_done, memory_order_acquire);
}

int iter_loader_open_async(struct iter_loader *L, unsigned int kinds, const struct iter_config *cfg,
			   enum iter_kind k, struct strbuf *out)
{
	loader_init(L);
	if (k < ITER_MAX && !(kinds & ITER_BIT(k))) {
		snprintf(L->error, sizeof(L->error), "%s is not loaded", iter_kind_name(k));
		return -1;
	}
	L->async_open = true;
	L->async_kinds = kinds;
	L->async_cfg = *cfg;
	L->async_kind = k;
	L->async_out = out;
	atomic_store(&L->async_done, false);
	L->async_started = pthread_create(&L->async_thread, NULL, async_run, L) == 0;
	if (!L->async_started)
		async_run(L);
	L->async_pending = true;
	return 0;
}

int loader_iter_read_async(struct iter_loader *L, enum iter_kind k, struct strbuf *out)
{
	if (k >= ITER_MAX || L->links[k] < 0 || L->async_started) {
		snprintf(L->error, sizeof(L->error), "%s is not loaded", iter_kind_name(k));
		return -1;
	}
	L->async_kind = k;
	L->async_out = out;
	L->async_error[0] = '\0';
	atomic_store(&L->async_done, false);
	L->async_started = pthread_create(&L->async_thread, NULL, async_run, L) == 0;
	/* no thread to be had: read now */
	if (!L->async_started)
		async_run(L);
	L->async_pending = true;
	return 0;
}

int loader_iter_wait(struct iter_loader *L)
{
	if (!L->async_pending)
		return 0;
	if (L->async_started)
		pthread_join(L->async_thread, NULL);
	L->async_started = false;
	L->async_pending = false;
	L->async_open = false;
	if (L->async_ret)
		snprintf(L->error, sizeof(L->error), "%s", L->async_error);
	return L->async_ret;
}

bool iter_loader_flows_typed(const struct iter_loader *L)
{
	return L->skels && L->skels->flows_typed;
}

const char *iter_loader_flows_reads(const struct iter_loader *L)
{
	return iter_loader_flows_typed(L) ?
		       "with typed loads (bpf_rdonly_cast)" :
		       "with probe reads (no bpf_rdonly_cast: Linux before 6.2)";
}

void iter_loader_close(struct iter_loader *L)
{
	struct iter_skels *S = L->skels;

	/* a reader still running uses the links */
	loader_iter_wait(L);
	/* destroy closes the links too */
	if (S) {
		lskel_iter_tcp__destroy(S->tcp);
		lskel_iter_tcp_full__destroy(S->tcp_full);
		lskel_iter_udp_full__destroy(S->udp_full);
		lskel_iter_udp__destroy(S->udp);
		lskel_iter_unix__destroy(S->unx);
		lskel_iter_files__destroy(S->files);
		lskel_iter_flows__destroy(S->flows);
		lskel_iter_flows_typed__destroy(S->flows_typed);
		lskel_iter_held__destroy(S->held);
		free(S);
	}
	L->skels = NULL;
	for (unsigned int k = 0; k < ITER_MAX; k++)
		L->links[k] = -1;
}
