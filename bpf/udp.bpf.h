/* SPDX-License-Identifier: GPL-2.0 */
/*
 * UDP payload bytes per socket, counted in the process that sends or
 * receives (so attribution holds for UDP too), with an udp_open event when
 * a socket is first seen doing either. Shared by the fexit rungs
 * (udp.bpf.c) and the per-call tracepoints (sock_io.bpf.c).
 */
#ifndef SOCKTAP_UDP_BPF_H
#define SOCKTAP_UDP_BPF_H

#include "sock.bpf.h"

#define MSG_PEEK_ 2
#define MSG_ERRQUEUE_ 0x2000

/* UDP proper: a raw socket of protocol 17 is not one (its "bytes" hold headers) */
static __always_inline bool is_inet_udp(const struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	return BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) == IPPROTO_UDP_ &&
	       BPF_CORE_READ_BITFIELD_PROBED(sk, sk_type) == SOCK_DGRAM_ &&
	       (family == AF_INET_ || family == AF_INET6_);
}

/* Reads that take no payload off the socket: a peek (read again later) and
 * the error queue. */
static __always_inline bool recv_counts(int flags)
{
	return !(flags & (MSG_PEEK_ | MSG_ERRQUEUE_));
}

static __always_inline struct socktap_udp *udp_open(const struct sock *sk, __u64 cookie)
{
	struct socktap_udp u = { .owner.start_ns = bpf_ktime_get_ns() }, *up;
	struct socktap_event *e;

	if (!pass_sk(sk))
		return NULL;
	owner_current(&u.owner);
	if (cfg_pid && u.owner.pid != cfg_pid)
		return NULL;
	sk_read_tuple(&u, sk, false);
	if (bpf_map_update_elem(&udp_socks, &cookie, &u, BPF_NOEXIST)) {
		/* another CPU was first, or the table is full */
		up = bpf_map_lookup_elem(&udp_socks, &cookie);
		if (!up)
			stat_add(SOCKTAP_STAT_SOCKS_FULL, 1);
		return up;
	}
	up = bpf_map_lookup_elem(&udp_socks, &cookie);
	if (up && (e = ev_new(SOCKTAP_EV_UDP_OPEN, sk, false, cookie, &up->owner))) {
		e->proto = IPPROTO_UDP_;
		ev_submit(e);
	}
	return up;
}

/*
 * udp_checked: the caller has already seen with plain loads (a BTF-typed
 * socket) that it is inet UDP, so the probe reads are not paid again on
 * every call.
 */
static __always_inline int on_udp_bytes(const struct sock *sk, __u64 cookie, long ret, bool sent,
					bool udp_checked)
{
	struct socktap_udp *u;

	/* no cookie (a scalar socket nobody gave one yet): no key to count under */
	if (!cfg_udp || ret <= 0 || !sk || !cookie || (!udp_checked && !is_inet_udp(sk)))
		return 0;
	u = bpf_map_lookup_elem(&udp_socks, &cookie);
	if (!u && !(u = udp_open(sk, cookie)))
		return 0;
	__sync_fetch_and_add(sent ? &u->bytes_sent : &u->bytes_received, (__u64)ret);
	return 0;
}

/* Plain loads on a BTF-typed socket: inet UDP? */
static __always_inline bool is_inet_udp_btf(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_UDP_ && sk->sk_type == SOCK_DGRAM_ &&
	       (sk->__sk_common.skc_family == AF_INET_ || sk->__sk_common.skc_family == AF_INET6_);
}

#endif
