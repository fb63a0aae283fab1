/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one ABI between socktap's BPF programs and its userspace.
 *
 * Fixed-size types only; every field states its byte order. Included by
 * BPF code after vmlinux.h (which defines __VMLINUX_H__ and the __u* types)
 * and by userspace, which takes the types from <linux/types.h>.
 */
#ifndef SOCKTAP_H
#define SOCKTAP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Bounds of the kernel-side tables. */
#define SOCKTAP_STATE_COUNTS_MAX 4096

/* TCP states in the kernel's numbering (include/net/tcp_states.h). */
#define SOCKTAP_TCP_ESTABLISHED 1
#define SOCKTAP_TCP_SYN_SENT 2
#define SOCKTAP_TCP_SYN_RECV 3
#define SOCKTAP_TCP_FIN_WAIT1 4
#define SOCKTAP_TCP_FIN_WAIT2 5
#define SOCKTAP_TCP_TIME_WAIT 6
#define SOCKTAP_TCP_CLOSE 7
#define SOCKTAP_TCP_CLOSE_WAIT 8
#define SOCKTAP_TCP_LAST_ACK 9
#define SOCKTAP_TCP_LISTEN 10
#define SOCKTAP_TCP_CLOSING 11
#define SOCKTAP_TCP_NEW_SYN_RECV 12
#define SOCKTAP_TCP_BOUND_INACTIVE 13
#define SOCKTAP_TCP_NSTATES 14

/*
 * Key of the state_counts hash map: TCP state transitions counted per
 * network namespace. Value: __u64 count, updated atomically.
 */
struct socktap_state_key {
	__u32 netns; /* inode number of the socket's netns, host order */
	__u8 oldstate; /* SOCKTAP_TCP_*, host order */
	__u8 newstate; /* SOCKTAP_TCP_* */
	__u16 pad; /* zero */
};

/*
 * Indices of the stats per-CPU array (value: __u64 per CPU, summed by
 * userspace). Counters of work done and of anything lost.
 */
#define SOCKTAP_STAT_TRANSITIONS 0 /* TCP state transitions seen */
#define SOCKTAP_STAT_CONNECTS 1 /* active opens seen by the connect hook */
#define SOCKTAP_STAT_STATE_MAP_FULL 2 /* transitions not counted: state_counts full */
#define SOCKTAP_STAT_MAX 8

#ifndef __VMLINUX_H__
_Static_assert(sizeof(struct socktap_state_key) == 8, "socktap_state_key ABI");
#endif

#endif /* SOCKTAP_H */
