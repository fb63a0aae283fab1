// SPDX-License-Identifier: GPL-2.0
/*
 * The reset hook: tcp:tcp_send_reset and tcp:tcp_receive_reset on tp_btf,
 * raw_tp or classic tracepoints, for traced sockets. A reset answering a
 * connect() is reported as connect_failed by the state hook instead.
 */
#include "sock.bpf.h"

static __always_inline int on_reset(const struct sock *sk, bool sent)
{
	struct socktap_sock *o;
	struct socktap_event *e;
	int state;

	if (!cfg_trace || !sk)
		return 0;
	state = BPF_CORE_READ(sk, __sk_common.skc_state);
	if (state == SOCKTAP_TCP_SYN_SENT && !sent)
		return 0;
	o = tracked(sk);
	if (!o)
		return 0;
	flags_set(&o->flags, sent ? SOCKTAP_F_RESET_SENT : SOCKTAP_F_RESET_RECEIVED);
	/* after CLOSE (abortive close): the close event already said so */
	e = ev_new(SOCKTAP_EV_RESET, sk, false, o->cookie, o);
	if (!e)
		return 0;
	e->oldstate = (__u8)state;
	/* this event's direction, not every reset the socket saw */
	e->flags &= ~(SOCKTAP_F_RESET_SENT | SOCKTAP_F_RESET_RECEIVED);
	e->flags |= sent ? SOCKTAP_F_RESET_SENT : SOCKTAP_F_RESET_RECEIVED;
	ev_submit(e);
	return 0;
}

SEC("tp_btf/tcp_receive_reset")
int BPF_PROG(stp_rrst_btf, struct sock *sk)
{
	return on_reset(sk, false);
}

SEC("tp_btf/tcp_send_reset")
int BPF_PROG(stp_srst_btf, const struct sock *sk)
{
	return on_reset(sk, true);
}

SEC("raw_tp/tcp_receive_reset")
int BPF_PROG(stp_rrst_raw, struct sock *sk)
{
	return on_reset(sk, false);
}

SEC("raw_tp/tcp_send_reset")
int BPF_PROG(stp_srst_raw, const struct sock *sk)
{
	return on_reset(sk, true);
}

SEC("tracepoint/tcp/tcp_receive_reset")
int stp_rrst_tp(struct trace_event_raw_tcp_event_sk *ctx)
{
	return on_reset(ctx->skaddr, false);
}

SEC("tracepoint/tcp/tcp_send_reset")
int stp_srst_tp(struct trace_event_raw_tcp_send_reset *ctx)
{
	return on_reset(ctx->skaddr, true);
}
