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

	/* per-CPU slot: no atomic needed */
	if (v)
		*v += n;
}

/* Inode number of the socket's network namespace. */
static __always_inline __u32 sk_netns(const struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_net.net, ns.inum);
}

#endif
