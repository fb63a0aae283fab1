// SPDX-License-Identifier: GPL-2.0
/*
 * top's live counters: iter/task_file walks every process's file table
 * (every network namespace at once, which iter/tcp cannot: it walks the
 * reader's) and writes, per TCP or UDP socket fd, the socket's record and
 * its holder with the socket's payload bytes so far.
 *
 * TCP bytes are tcp_sock's own counters, read here only when userspace
 * asks: no hook runs per packet or per call for TCP, so a bulk transfer
 * pays nothing for being watched. UDP keeps no byte counters; the per-call
 * hooks (udp.bpf.c) count them, and userspace joins on the cookie.
 */
#include "iter_sock.bpf.h"
#include "tcp_bytes.bpf.h"
#include "file_sock.bpf.h"

#define SOCK_DGRAM_ 2

static __always_inline void flow_tcp_bytes(struct socktap_iter_flow *f, struct tcp_sock *tp,
					   __u8 state)
{
	struct tcp_counts c = {
		.bytes_sent = tp->bytes_sent,
		.bytes_retrans = tp->bytes_retrans,
		.bytes_acked = tp->bytes_acked,
		.bytes_received = tp->bytes_received,
		.snd_nxt = tp->snd_nxt,
		.snd_una = tp->snd_una,
		.write_seq = tp->write_seq,
		.state = state,
		.done = (tp->inet_conn.icsk_inet.sk.__sk_common.skc_flags >>
			 bpf_core_enum_value(enum sock_flags, SOCK_DONE)) &
			1,
	};

	f->bytes_sent = tcp_payload_sent(&c);
	f->bytes_received = tcp_payload_received(&c);
}

SEC("iter/task_file")
int stp_iter_flows(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct socktap_iter_sock r = {};
	struct socktap_iter_flow f = {};
	struct task_struct *leader;
	struct dst_entry *dst;
	struct socket *sock;
	struct tcp_sock *tp;
	struct sock *sk;

	if (!task || !file_is_socket(file, true))
		return 0;
	/* BTF-typed, unlike file->private_data: plain loads and the helpers work */
	sock = bpf_sock_from_file(file);
	if (!sock)
		return 0;
	sk = sock->sk;
	if (!sk ||
	    (sk->__sk_common.skc_family != AF_INET_ && sk->__sk_common.skc_family != AF_INET6_))
		return 0;
	if (sk->sk_protocol == IPPROTO_TCP_) {
		r.proto = IPPROTO_TCP_;
		/* listeners and closed sockets move no bytes */
		if (sk->__sk_common.skc_state == SOCKTAP_TCP_LISTEN ||
		    sk->__sk_common.skc_state == SOCKTAP_TCP_CLOSE)
			return 0;
	} else if (sk->sk_protocol == IPPROTO_UDP_ && sk->sk_type == SOCK_DGRAM_) {
		r.proto = IPPROTO_UDP_;
	} else {
		return 0;
	}
	if (cfg_family && sk->__sk_common.skc_family != cfg_family)
		return 0;
	fill_common(&r, &sk->__sk_common);
	fill_full(&r, sk);
	if (r.proto == IPPROTO_TCP_ && (tp = bpf_skc_to_tcp_sock(sk)))
		flow_tcp_bytes(&f, tp, r.state);
	dst = sk->sk_dst_cache;
	if (dst && dst->dev)
		f.route_ifindex = dst->dev->ifindex;
	leader = task->group_leader;
	f.pid = task->tgid;
	f.uid = task->cred->euid.val;
	f.start_time = leader->start_boottime;
	__builtin_memcpy(f.comm, leader->comm, sizeof(f.comm));
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	bpf_seq_write(ctx->meta->seq, &f, sizeof(f));
	return 0;
}
