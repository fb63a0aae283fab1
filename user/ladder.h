/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The runtime attach ladder. Every hook socktap uses lists its rungs, best
 * first (fentry, kprobe, tp_btf, raw_tp, classic tracepoint); the first rung
 * the running kernel accepts is chosen, and each refusal above it is kept,
 * with its errno, for `socktap doctor`.
 */
#ifndef SOCKTAP_LADDER_H
#define SOCKTAP_LADDER_H

#include "probe.h"

enum hook_id {
	HOOK_STATE, /* TCP state transitions */
	HOOK_CONNECT, /* active opens */
	HOOK_ACCEPT, /* passive opens, in the accepting process */
	HOOK_RESET, /* RSTs sent and received */
	HOOK_RETRANSMIT, /* retransmitted segments */
	HOOK_DESTROY, /* sockets freed: tracking ends */
	HOOK_ERROR, /* socket errors reported (ICMP errors while connecting) */
	HOOK_UDP_BYTES, /* UDP payload sent and received, per socket */
	HOOK_UDP_CLOSE, /* UDP sockets released */
	HOOK_UDP_RELEASE, /* beside udp_close: a release hook the kernel never skips */
	/* the listings' sources (ss, netstat, lsof) */
	HOOK_LIST_TCP, /* TCP sockets */
	HOOK_LIST_UDP, /* UDP sockets */
	HOOK_LIST_UNIX, /* unix sockets */
	HOOK_LIST_OWNERS, /* the processes and fds holding sockets */
	HOOK_LIST_HELD, /* lsof: held TCP and UDP sockets with their holders, one walk */
	HOOK_TOP_BYTES, /* top: every held TCP and UDP socket with its bytes so far */
	HOOK_NETDEV_TX, /* nload's split: packets sent per device and socket */
	HOOK_NETDEV_RX, /* nload's split: packets delivered per device and socket */
	HOOK_SOCK_COOKIE, /* every new socket given its cookie */
	HOOK_MAX,
};

#define LADDER_MAX_RUNGS 6
#define LADDER_MAX_PROGS 4 /* programs one rung may need */

struct rung {
	enum attach_kind kind;
	const char *target; /* as probe_attach() takes it */
	const char *prog; /* BPF program name; NULL: rides on hook `via`, or a userspace source */
	enum hook_id via;
	const char *more[LADDER_MAX_PROGS - 1]; /* further programs the rung needs */
	/* their targets, each probed too (a rung works only if all attach) */
	const char *more_targets[LADDER_MAX_PROGS - 1];
	const char *limits; /* what this rung cannot see or costs, for doctor; or NULL */
};

struct hook_def {
	enum hook_id id;
	const char *name;
	const char *what;
	struct rung rungs[LADDER_MAX_RUNGS];
	unsigned int nrungs;
};

struct hook_attempt {
	char attach[96]; /* libbpf section syntax, e.g. "fentry/tcp_connect" */
	struct probe_result res;
};

struct hook_choice {
	const struct hook_def *def;
	int rung; /* index into def->rungs, or -1 if no rung works */
	char attach[96]; /* what is attached; for a ride, the carrier's */
	struct hook_attempt tried[LADDER_MAX_RUNGS]; /* refusals, then the choice */
	unsigned int ntried;
	char note[128]; /* how the path taken works here, where that varies; or "" */
};

extern const struct hook_def hook_defs[HOOK_MAX];

/* Probe function, injectable for tests. */
typedef void (*probe_fn)(void *ctx, enum attach_kind kind, const char *target,
			 struct probe_result *res);

/*
 * Chooses a rung for every hook in mask (bit 1 << hook_id), riding hooks
 * after their carriers. Returns 0, or -1 if some hook has no rung.
 */
int ladder_choose(unsigned int mask, probe_fn probe, void *ctx,
		  struct hook_choice choice[HOOK_MAX]);

/* Does rung r ride on another hook's program? */
bool rung_rides(const struct rung *r);

/* The program chosen for hook id, or NULL (none, it rides, or a userspace source). */
const char *ladder_prog(const struct hook_choice *c);
/* The chosen rung's k-th program (0: ladder_prog), or NULL. */
const char *ladder_prog_n(const struct hook_choice *c, unsigned int k);

/* libbpf's section prefix of a kind: "fentry", "kprobe", "tp_btf", ... */
const char *attach_kind_sec(enum attach_kind kind);
/* "kind/target" in libbpf's section syntax. */
void ladder_attach_name(const struct rung *r, char *buf, unsigned long len);

#endif
