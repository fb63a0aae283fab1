// SPDX-License-Identifier: GPL-2.0
/* iter/udp: every UDP socket of the namespace (the cgroup in iter_udp_full.bpf.c). */
#include "iter_sock.bpf.h"

/*
 * The iterator's context as the kernel lays it out (meta, then the socket:
 * the iterator's ABI), declared without CO-RE: the kernel's struct
 * bpf_iter__udp shares a slot of its cache of CO-RE candidates with struct
 * udp_sock, so relocating both would scan vmlinux's BTF again at every load.
 */
struct stp_iter_meta {
	struct seq_file *seq;
};

struct stp_iter_udp_ctx {
	struct stp_iter_meta *meta;
	struct udp_sock *udp_sk;
};

SEC("iter/udp")
int stp_iter_udp(struct stp_iter_udp_ctx *ctx)
{
	struct udp_sock *up = ctx->udp_sk;
	struct seq_file *seq = ctx->meta->seq;
	struct socktap_iter_sock r = { .proto = IPPROTO_UDP_ };
	struct sock *sk;
	int rmem;

	if (!up)
		return 0;
	sk = &up->inet.sk;
	if (!state_wanted(sk->__sk_common.skc_state) ||
	    (cfg_family && sk->__sk_common.skc_family != cfg_family))
		return 0;
	/* up is the iterator's trusted pointer, and no helper gives an
	 * untrusted udp_sock: probe reads for the pointer fields */
	fill_common(&r, &sk->__sk_common);
	fill_full(&r, sk, false);
	r.cookie = bpf_get_socket_cookie(sk);
	/* udp_rqueue_get(): what the receive queue holds, less the deficit */
	rmem = sk->sk_backlog.rmem_alloc.counter - up->forward_deficit;
	r.rqueue = rmem > 0 ? rmem : 0;
	r.wqueue = sk->sk_wmem_alloc.refs.counter - 1;
	if (cfg_mem)
		r.flags |= SOCKTAP_ITER_F_MEM;
	bpf_seq_write(seq, &r, sizeof(r));
	if (cfg_mem)
		write_mem(seq, sk);
	return 0;
}
