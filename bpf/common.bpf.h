/* SPDX-License-Identifier: GPL-2.0 */
/* Includes and small helpers shared by every socktap BPF program. */
#ifndef SOCKTAP_COMMON_BPF_H
#define SOCKTAP_COMMON_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include "socktap.h"
#include "maps.bpf.h"

#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17

static __always_inline void stat_add(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	/* per-CPU, but a softirq program may interrupt a process-context one
	 * on the same CPU between its load and its store: atomic */
	if (v)
		__sync_fetch_and_add(v, n);
}

/*
 * Reads through a kernel pointer, CO-RE relocated either way: a plain load
 * when the pointer is BTF-typed (tp_btf, fentry: btf is the constant true
 * and the probe-read branch is compiled out), a probe read when it is a
 * scalar (raw_tp, kprobe, classic tracepoint). Loads are the cheaper.
 */
#define RD(btf, p, a) ((btf) ? (p)->a : BPF_CORE_READ(p, a))
#define RD2(btf, p, a, b) ((btf) ? (p)->a->b : BPF_CORE_READ(p, a, b))

/*
 * Sets flag bits in an entry other CPUs may update at the same time (the
 * accept hook in process context, the state hook in softirq): a plain |=
 * could lose the other's bits.
 */
#define flags_set(p, bits) __sync_fetch_and_or(p, bits)

/* Inode number of the socket's network namespace. */
#define sk_netns(sk, btf) RD2(btf, sk, __sk_common.skc_net.net, ns.inum)

#endif
