/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel feature probes: can a program of a given kind really load and
 * attach at a given point? Each probe loads a two-instruction program and
 * attaches it, so the answer (0 or -errno) is the kernel's own.
 */
#ifndef SOCKTAP_PROBE_H
#define SOCKTAP_PROBE_H

#include <stdbool.h>

enum attach_kind {
	ATTACH_FENTRY,
	ATTACH_FEXIT,
	ATTACH_KPROBE,
	ATTACH_KRETPROBE,
	ATTACH_TP_BTF,
	ATTACH_RAW_TP,
	ATTACH_TRACEPOINT,
	ATTACH_CGROUP_SOCK_RELEASE, /* target: a cgroup v2 path ("/": the root) */
	ATTACH_CGROUP_SOCK_CREATE, /* likewise */
	ATTACH_CGROUP_SKB_INGRESS, /* likewise */
	ATTACH_ITER, /* a BPF iterator; target: its name ("tcp", "task_file") */
	/* userspace sources, the listings' last rungs (no BPF program) */
	ATTACH_NETLINK, /* target: "sock_diag" */
	ATTACH_PROCFS, /* target: what is read under /proc ("PID/fd") */
};

/* Is kind a userspace source rather than a BPF attach point? */
static inline bool attach_kind_userspace(enum attach_kind kind)
{
	return kind == ATTACH_NETLINK || kind == ATTACH_PROCFS;
}

/* Is kind attached to a cgroup (its target a cgroup v2 path)? */
static inline bool attach_kind_cgroup(enum attach_kind kind)
{
	return kind == ATTACH_CGROUP_SOCK_RELEASE || kind == ATTACH_CGROUP_SOCK_CREATE ||
	       kind == ATTACH_CGROUP_SKB_INGRESS;
}

struct btf;

struct probe_ctx {
	struct btf *vmlinux; /* loaded on first need */
	int vmlinux_err;
	bool tracefs_mounted; /* socktap mounted tracefs */
};

struct probe_result {
	int err; /* 0, or a negative errno */
	char detail[320]; /* why, when err != 0 */
};

/*
 * Tries kind at target: a kernel function for fentry/fexit and
 * kprobe/kretprobe, a
 * tracepoint name for tp_btf and raw_tp, "category/name" for tracepoint
 * (which mounts tracefs if it is absent), an iterator name for iter.
 */
void probe_attach(struct probe_ctx *ctx, enum attach_kind kind, const char *target,
		  struct probe_result *res);
void probe_ctx_free(struct probe_ctx *ctx);

/* The directory holding tracefs' events/, mounting tracefs if allowed. */
const char *tracefs_dir(struct probe_ctx *ctx, bool mount_if_absent);

#endif
