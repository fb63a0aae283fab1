// SPDX-License-Identifier: GPL-2.0
/*
 * iter/tcp: every TCP socket of the namespace, TIME-WAIT and SYN-RECV
 * included. The cgroup and ss -i's TCP internals are in a build of their
 * own (iter_tcp_full.bpf.c, iter_sock.bpf.h says why).
 */
#include "iter_sock.bpf.h"

SEC("iter/tcp")
int stp_iter_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct seq_file *seq = ctx->meta->seq;
	struct socktap_iter_sock r = { .proto = IPPROTO_TCP_ };
	struct tcp_timewait_sock *tw;
	struct tcp_request_sock *req;
	struct tcp_sock *tp;
	struct sock *sk;
	__u8 state;

	if (!skc || (cfg_family && skc->skc_family != cfg_family))
		return 0;
	state = skc->skc_state;
	/* fill_common reads through the helpers' pointers (iter_sock.bpf.h) */
	if (state == SOCKTAP_TCP_TIME_WAIT) {
		tw = bpf_skc_to_tcp_timewait_sock(skc);
		if (!tw)
			return 0;
		fill_common(&r, &tw->tw_sk.__tw_common);
		/* an orphan closed in FIN-WAIT-2 lives on as a timewait socket:
		 * inet_diag reports the state it stands for */
		r.state = tw->tw_sk.tw_substate;
		if (!state_wanted(r.state))
			return 0;
		r.cookie = bpf_get_socket_cookie(skc);
		r.flags |= SOCKTAP_ITER_F_MINISOCK;
		r.timer = SOCKTAP_TIMER_TIMEWAIT;
		r.timer_jiffies = until(tw->tw_sk.tw_timer.expires);
		bpf_seq_write(seq, &r, sizeof(r));
		return 0;
	}
	if (!state_wanted(state))
		return 0;
	if (state == SOCKTAP_TCP_NEW_SYN_RECV) {
		req = bpf_skc_to_tcp_request_sock(skc);
		if (!req)
			return 0;
		fill_common(&r, &req->req.req.__req_common);
		r.cookie = bpf_get_socket_cookie(skc);
		r.flags |= SOCKTAP_ITER_F_MINISOCK;
		r.state = SOCKTAP_TCP_SYN_RECV;
		r.timer = SOCKTAP_TIMER_ON;
		r.timer_retrans = req->req.req.num_retrans;
		r.timer_jiffies = until(req->req.req.rsk_timer.expires);
		bpf_seq_write(seq, &r, sizeof(r));
		return 0;
	}
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp)
		return 0;
	sk = &tp->inet_conn.icsk_inet.sk;
	fill_common(&r, &sk->__sk_common);
	fill_full(&r, sk, true);
	r.cookie = bpf_get_socket_cookie(sk);
	if (r.state == SOCKTAP_TCP_LISTEN) {
		r.rqueue = sk->sk_ack_backlog;
		r.wqueue = sk->sk_max_ack_backlog;
	} else {
		int unread = (int)(tp->rcv_nxt - tp->copied_seq);

		r.rqueue = unread > 0 ? unread : 0;
		r.wqueue = tp->write_seq - tp->snd_una;
	}
	tcp_timer(&r, tp);
	if (cfg_mem)
		r.flags |= SOCKTAP_ITER_F_MEM;
#ifdef SOCKTAP_ITER_FULL
	if (cfg_tcpinfo)
		r.flags |= SOCKTAP_ITER_F_TCPINFO;
#endif
	bpf_seq_write(seq, &r, sizeof(r));
	if (cfg_mem)
		write_mem(seq, sk);
#ifdef SOCKTAP_ITER_FULL
	if (cfg_tcpinfo)
		write_tcpinfo(seq, tp);
#endif
	return 0;
}
