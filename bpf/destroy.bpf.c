// SPDX-License-Identifier: GPL-2.0
/*
 * The destroy hook: tcp:tcp_destroy_sock, when the kernel frees a TCP
 * socket. It ends the socket's entry in the socks map, so the map holds
 * live sockets only, whatever way they ended.
 */
#include "accept_late.bpf.h"

static __always_inline int on_destroy(const struct sock *sk, bool btf)
{
	if (cfg_trace) {
		untrack(sk);
		/* a mark left by a socket never claimed must not match the
		 * next socket allocated at its address */
		accept_late_forget(sk, btf);
	}
	return 0;
}

SEC("tp_btf/tcp_destroy_sock")
int BPF_PROG(stp_dstr_btf, struct sock *sk)
{
	return on_destroy(sk, true);
}

SEC("raw_tp/tcp_destroy_sock")
int BPF_PROG(stp_dstr_raw, struct sock *sk)
{
	return on_destroy(sk, false);
}

SEC("tracepoint/tcp/tcp_destroy_sock")
int stp_dstr_tp(struct trace_event_raw_tcp_event_sk *ctx)
{
	return on_destroy(ctx->skaddr, false);
}
