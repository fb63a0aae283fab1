/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The listing loader: the only code that touches the iterators' light
 * skeletons. It loads just the iterators a listing needs (no maps, no
 * hooks, no BTF parsed in userspace), and
 * reads each one in the network namespace the calling thread is in, so one
 * load serves every namespace.
 */
#ifndef SOCKTAP_LOADER_ITER_H
#define SOCKTAP_LOADER_ITER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

struct iter_skels;
struct strbuf;

enum iter_kind {
	/* iter/tcp, iter/udp: socktap_iter_sock records; iter/unix:
	 * socktap_iter_unix records. Their netns is 0: they walk the reader's. */
	ITER_TCP,
	ITER_UDP,
	ITER_UNIX,
	ITER_FILES, /* iter/task_file: socktap_iter_file records */
	ITER_FLOWS, /* iter/task_file: socktap_iter_flow records (top) */
	/* iter/task_file: per held TCP/UDP socket fd, a socktap_iter_sock
	 * then a socktap_iter_file (lsof) */
	ITER_HELD,
	ITER_MAX,
};

#define ITER_BIT(k) (1u << (k))

/* What the programs keep and add, set before load. */
struct iter_config {
	uint32_t states; /* 1 << SOCKTAP_TCP_* to keep; 0: all */
	uint16_t family; /* AF_INET or AF_INET6 for tcp/udp; 0: both */
	bool mem; /* append socktap_iter_mem to tcp/udp records */
	bool tcpinfo; /* append socktap_iter_tcpinfo to full TCP sockets */
	bool cgroup; /* tcp/udp: read each socket's cgroup (else 0) */
	bool route; /* flows: the cached route's device */
	uint32_t netns; /* held: only this namespace's sockets (its inode); 0: every one */
	uint8_t protos; /* held: 1 TCP, 2 UDP; 0: both */
};

struct iter_loader {
	struct iter_skels *skels; /* the light skeletons loaded */
	int links[ITER_MAX]; /* iterator link fds, -1 if not loaded */
	char error[256];
	int err; /* with error from iter_loader_open: the first refusal's -errno */
	/* one read on a thread of its own (loader_iter_read_async) */
	pthread_t async_thread;
	bool async_started, async_pending;
	/* set by that thread as its last act: what it wrote may be read */
	atomic_bool async_done;
	enum iter_kind async_kind;
	struct strbuf *async_out;
	int async_ret;
	char async_error[256];
	/* the load itself on that thread (iter_loader_open_async) */
	bool async_open;
	unsigned int async_kinds;
	struct iter_config async_cfg;
	bool open_failed; /* that load failed: L holds no iterator */
};

/* libbpf's section name of an iterator: "iter/tcp", ... */
const char *iter_kind_name(enum iter_kind k);
/* The iterator whose program is named prog ("stp_iter_tcp", ...), or -1. */
int iter_kind_by_prog(const char *prog);

/* Loads and attaches the iterators in kinds (ITER_BIT mask). 0, or -1 with L->error. */
int iter_loader_open(struct iter_loader *L, unsigned int kinds, const struct iter_config *cfg);
/*
 * Runs iterator k in the calling thread's network namespace and appends
 * its whole output to out. 0, or -1 with L->error.
 */
int loader_iter_read(struct iter_loader *L, enum iter_kind k, struct strbuf *out);
/* Takes whole records (len a multiple of the record's size); nonzero: stop. */
typedef int (*iter_chunk_fn)(void *ctx, const void *buf, size_t len);
/*
 * Runs iterator k as loader_iter_read does, but hands each read's whole
 * records (rec bytes each) to each as they come, through one small buffer:
 * a long listing's output never sits in memory twice. 0, or -1 with
 * L->error (also when each refuses a chunk, or the output ends mid-record).
 */
int loader_iter_each(struct iter_loader *L, enum iter_kind k, size_t rec, iter_chunk_fn each,
		     void *ctx);
/*
 * Starts reading iterator k into out on another thread, for an iterator
 * whose output does not depend on the caller's namespace (the file
 * iterator walks every task): the caller reads the socket tables
 * meanwhile. One at a time. 0, or -1 with L->error.
 */
int loader_iter_read_async(struct iter_loader *L, enum iter_kind k, struct strbuf *out);
/*
 * Whether the read (or load and read) on the other thread has ended with
 * out complete, without waiting: out may then be read while the thread is
 * not yet joined. loader_iter_wait still joins it and says how it ended.
 */
bool loader_iter_read_done(struct iter_loader *L);
/*
 * iter_loader_open, then the read of iterator k (ITER_MAX: none) into out,
 * both on another thread: a one-shot listing whose tables come from
 * sock_diag reads them meanwhile instead of waiting for the load. L is the
 * thread's until loader_iter_wait, which returns -1 with L->open_failed set
 * if the load failed (L->err and L->error as from iter_loader_open). 0, or
 * -1 with L->error.
 */
int iter_loader_open_async(struct iter_loader *L, unsigned int kinds, const struct iter_config *cfg,
			   enum iter_kind k, struct strbuf *out);
/* Waits for that read: 0, or -1 with L->error. (0 when none was started.) */
int loader_iter_wait(struct iter_loader *L);
/* Does the flows iterator read TCP counters with typed loads (6.2+), not probe reads? */
bool iter_loader_flows_typed(const struct iter_loader *L);
/* How it reads them, as words for -v and doctor: "with typed loads (...)" */
const char *iter_loader_flows_reads(const struct iter_loader *L);
void iter_loader_close(struct iter_loader *L);

#endif
