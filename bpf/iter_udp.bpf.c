// SPDX-License-Identifier: GPL-2.0
/* iter/udp: every UDP socket of the namespace. */
#include "iter_sock.bpf.h"

SEC("iter/udp")
int stp_iter_udp(struct bpf_iter__udp *ctx)
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
	fill_common(&r, &sk->__sk_common, false);
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
