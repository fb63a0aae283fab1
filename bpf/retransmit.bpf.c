// SPDX-License-Identifier: GPL-2.0
/* The retransmit hook (opt-in): tcp:tcp_retransmit_skb, for traced sockets. */
#include "sock.bpf.h"

static __always_inline int on_retransmit(const struct sock *sk)
{
	struct socktap_sock *o;
	struct socktap_event *e;

	if (!cfg_retransmits || !sk || !(o = tracked(sk)))
		return 0;
	e = ev_new(SOCKTAP_EV_RETRANSMIT, sk, false, o->cookie, o);
	if (!e)
		return 0;
	e->oldstate = BPF_CORE_READ(sk, __sk_common.skc_state);
	e->retransmits = BPF_CORE_READ((struct tcp_sock *)sk, total_retrans);
	ev_submit(e);
	return 0;
}

SEC("tp_btf/tcp_retransmit_skb")
int BPF_PROG(stp_rtx_btf, const struct sock *sk)
{
	return on_retransmit(sk);
}

SEC("raw_tp/tcp_retransmit_skb")
int BPF_PROG(stp_rtx_raw, const struct sock *sk)
{
	return on_retransmit(sk);
}

SEC("tracepoint/tcp/tcp_retransmit_skb")
int stp_rtx_tp(struct trace_event_raw_tcp_retransmit_skb *ctx)
{
	return on_retransmit(ctx->skaddr);
}
