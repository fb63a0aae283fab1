/* SPDX-License-Identifier: GPL-2.0 */
/* Includes and small helpers shared by every socktap BPF program. */
#ifndef SOCKTAP_COMMON_BPF_H
#define SOCKTAP_COMMON_BPF_H

#include "base.bpf.h"
#include "maps.bpf.h"

static __always_inline void stat_add(__u32 idx, __u64 n)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &idx);

	/* per-CPU, but a softirq program may interrupt a process-context one
	 * on the same CPU between its load and its store: atomic */
	if (v)
		__sync_fetch_and_add(v, n);
}

/*
 * Sets flag bits in an entry other CPUs may update at the same time (the
 * accept hook in process context, the state hook in softirq): a plain |=
 * could lose the other's bits.
 */
#define flags_set(p, bits) __sync_fetch_and_or(p, bits)

#endif
