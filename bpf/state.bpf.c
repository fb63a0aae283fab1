// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP state hook: sock:inet_sock_set_state, on three rungs (tp_btf,
 * raw_tp, classic tracepoint); the loader loads exactly one. All three feed
 * on_state(). It counts transitions per namespace and, when tracing, turns
 * them into connect, close, connect_failed and listen events. On kernels
 * where neither fentry nor kprobe reaches tcp_connect, the CLOSE->SYN_SENT
 * transition (run in the connecting process) stands in for it.
 */
#include "sock.bpf.h"
#include "accept_late.bpf.h"

#define ETIMEDOUT_ 110

static __always_inline void count_transition(__u32 netns, int oldstate, int newstate)
{
	struct socktap_state_key key = {
		.netns = netns,
		.oldstate = (__u8)oldstate,
		.newstate = (__u8)newstate,
	};
	__u64 one = 1, *v;

	stat_add(SOCKTAP_STAT_TRANSITIONS, 1);
	v = bpf_map_lookup_elem(&state_counts, &key);
	if (!v) {
		/* -EEXIST: another CPU inserted it first; count on that entry */
		if (bpf_map_update_elem(&state_counts, &key, &one, BPF_NOEXIST) == 0)
			return;
		v = bpf_map_lookup_elem(&state_counts, &key);
		if (!v) {
			stat_add(SOCKTAP_STAT_STATE_MAP_FULL, 1);
			return;
		}
	}
	__sync_fetch_and_add(v, 1);
}

static __always_inline void emit_simple(__u8 type, const struct sock *sk, bool btf, __u64 cookie,
					const struct socktap_sock *o, int oldstate, int newstate)
{
	struct socktap_event *e = ev_new(type, sk, btf, cookie, o);

	if (!e)
		return;
	e->oldstate = (__u8)oldstate;
	e->newstate = (__u8)newstate;
	ev_submit(e);
}

/* The connect event; the connection's lifetime starts now. */
static __always_inline void emit_connect(const struct sock *sk, bool btf, __u64 cookie,
					 struct socktap_sock *o)
{
	struct socktap_event *e = ev_new(SOCKTAP_EV_CONNECT, sk, btf, cookie, o);
	const struct tcp_sock *tp;

	if (!e) {
		o->start_ns = bpf_ktime_get_ns();
		return;
	}
	/* a socket found connecting at start (seed.bpf.c) has no start time */
	if (o->start_ns)
		e->duration_ns = e->ts_ns - o->start_ns;
	o->start_ns = e->ts_ns;
	tp = btf ? bpf_skc_to_tcp_sock((void *)sk) : (const struct tcp_sock *)sk;
	if (tp)
		e->srtt_us = RD(btf, tp, srtt_us) >> 3;
	ev_submit(e);
}

/*
 * Who sent the first FIN, from the state a connection leaves for CLOSE: the
 * FIN_WAIT/CLOSING/TIME_WAIT side sent it first, the CLOSE_WAIT/LAST_ACK
 * side received it first; straight from ESTABLISHED nobody did (an abort).
 */
static __always_inline __u32 closed_first(int oldstate)
{
	switch (oldstate) {
	case SOCKTAP_TCP_FIN_WAIT1:
	case SOCKTAP_TCP_FIN_WAIT2:
	case SOCKTAP_TCP_CLOSING:
	case SOCKTAP_TCP_TIME_WAIT:
		return SOCKTAP_F_LOCAL_CLOSED_FIRST;
	case SOCKTAP_TCP_CLOSE_WAIT:
	case SOCKTAP_TCP_LAST_ACK:
		return SOCKTAP_F_REMOTE_CLOSED_FIRST;
	}
	return 0;
}

static __always_inline void emit_close(__u8 type, const struct sock *sk, bool btf, __u64 cookie,
				       const struct socktap_sock *o, int oldstate)
{
	struct socktap_event *e = ev_new(type, sk, btf, cookie, o);

	if (!e)
		return;
	e->oldstate = (__u8)oldstate;
	e->newstate = SOCKTAP_TCP_CLOSE;
	e->flags |= closed_first(oldstate);
	e->error = RD(btf, sk, sk_err);
	/*
	 * An ICMP error that came while connect() held the socket is kept as
	 * a soft error: the caller learns it from SO_ERROR and closes the
	 * socket itself, so sk_err stays 0...
	 */
	if (!e->error && type == SOCKTAP_EV_CONNECT_FAILED)
		e->error = RD(btf, sk, sk_err_soft);
	/* ... unless SO_ERROR took it already: error.bpf.c kept it */
	if (!e->error && type == SOCKTAP_EV_CONNECT_FAILED && o)
		e->error = o->conn_error;
	if (o && o->start_ns)
		e->duration_ns = e->ts_ns - o->start_ns;
	if (type == SOCKTAP_EV_CLOSE)
		ev_tcp_counters(e, sk, btf, oldstate);
	ev_submit(e);
}

/*
 * A socket tracked where no helper could make its cookie (a kprobe on
 * tcp_connect reads only an existing one) gets it here, where the socket
 * is BTF-typed: its connect and close then carry the cookie ss -e shows
 * and top joins on.
 */
static __always_inline void cookie_fill(struct socktap_sock *o, const struct sock *sk, bool btf)
{
	if (o && !o->cookie)
		o->cookie = sk_cookie(sk, btf);
}

/*
 * Only the transitions that start, change or end a connection look the
 * socket up; the rest cost nothing unless every transition is wanted.
 */
static __always_inline void trace_transition(const struct sock *sk, bool btf, int oldstate,
					     int newstate)
{
	struct socktap_sock *o = NULL;

	switch (newstate) {
	case SOCKTAP_TCP_SYN_SENT:
		/* connect(), in the connecting process */
		if (cfg_connect_via_state && oldstate == SOCKTAP_TCP_CLOSE && pass_sk(sk)) {
			if (track(sk, sk_cookie(sk, btf), SOCKTAP_F_ACTIVE, true) == 0 &&
			    cfg_states)
				o = tracked(sk);
		} else if (cfg_states) {
			o = tracked(sk);
		}
		break;
	case SOCKTAP_TCP_LISTEN:
		/* listen(), in the listening process */
		if (pass_sk(sk) && track(sk, sk_cookie(sk, btf), 0, true) == 0 && (o = tracked(sk)))
			emit_simple(SOCKTAP_EV_LISTEN, sk, btf, o->cookie, o, oldstate, newstate);
		break;
	case SOCKTAP_TCP_ESTABLISHED:
		o = tracked(sk);
		/*
		 * A passive open is a new socket: an entry at its address
		 * that is closed or an active open's is a freed socket's whose
		 * destroy went unseen (t_churn met one in millions on a 6.18,
		 * where export then walked iter/tcp, which frees sockets in use:
		 * kbugs.h). Taken over, it would hide this connection's accept
		 * and close.
		 */
		if (oldstate == SOCKTAP_TCP_SYN_RECV && o &&
		    (o->flags & (SOCKTAP_F_CLOSED | SOCKTAP_F_ACTIVE))) {
			untrack(sk);
			o = NULL;
		}
		cookie_fill(o, sk, btf);
		if (oldstate == SOCKTAP_TCP_SYN_SENT && o) {
			emit_connect(sk, btf, o->cookie, o);
		} else if (oldstate == SOCKTAP_TCP_SYN_RECV && !o && pass_sk(sk)) {
			/* softirq: the owner is known only at accept() */
			if (track(sk, sk_cookie(sk, btf), SOCKTAP_F_PASSIVE, false) == 0) {
				accept_late_mark(sk, btf);
				if (cfg_states)
					o = tracked(sk);
			}
		}
		break;
	case SOCKTAP_TCP_CLOSE:
		o = tracked(sk);
		if (!o || (o->flags & SOCKTAP_F_CLOSED))
			break;
		cookie_fill(o, sk, btf);
		/*
		 * Leaving ESTABLISHED or CLOSE_WAIT straight for CLOSE, with no
		 * RST received and no timeout, is an abortive close: the kernel
		 * sends its RST right after this transition.
		 */
		if ((oldstate == SOCKTAP_TCP_ESTABLISHED || oldstate == SOCKTAP_TCP_CLOSE_WAIT) &&
		    !(o->flags & (SOCKTAP_F_RESET_SENT | SOCKTAP_F_RESET_RECEIVED)) &&
		    RD(btf, sk, sk_err) != ETIMEDOUT_) {
			flags_set(&o->flags, SOCKTAP_F_RESET_SENT);
			/*
			 * close() on unread data, or with SO_LINGER 0, by the
			 * process that holds the socket (one nobody accepted
			 * has no struct socket): it owns an accepted socket
			 * not claimed yet.
			 */
			if (RD(btf, sk, sk_socket))
				accept_late_close(sk, btf, o);
		}
		if (oldstate == SOCKTAP_TCP_SYN_SENT)
			emit_close(SOCKTAP_EV_CONNECT_FAILED, sk, btf, o->cookie, o, oldstate);
		else if (oldstate != SOCKTAP_TCP_LISTEN)
			emit_close(SOCKTAP_EV_CLOSE, sk, btf, o->cookie, o, oldstate);
		/* the entry goes when the socket is destroyed (destroy.bpf.c) */
		flags_set(&o->flags, SOCKTAP_F_CLOSED);
		break;
	case SOCKTAP_TCP_FIN_WAIT1:
	case SOCKTAP_TCP_LAST_ACK:
		/*
		 * Only close() and shutdown() take a socket here: the process
		 * that holds it. Where no cheap accept hook runs, an accepted
		 * socket's owner is learnt now, before it can be lost.
		 */
		if (cfg_owner_at_close || cfg_accept_late || cfg_states)
			o = tracked(sk);
		if (cfg_owner_at_close && o && !(o->flags & SOCKTAP_F_OWNER_KNOWN))
			owner_releaser(o);
		accept_late_close(sk, btf, o);
		break;
	default:
		if (cfg_states)
			o = tracked(sk);
	}
	if (cfg_states && pass_sk(sk))
		emit_simple(SOCKTAP_EV_STATE, sk, btf, o ? o->cookie : sk_cookie(sk, btf), o,
			    oldstate, newstate);
}

static __always_inline int on_state(const struct sock *sk, bool btf, int oldstate, int newstate,
				    int protocol)
{
	if (protocol != IPPROTO_TCP_)
		return 0;
	if (cfg_count_states)
		count_transition(sk_netns(sk, btf), oldstate, newstate);
	if (cfg_connect_via_state && oldstate == SOCKTAP_TCP_CLOSE &&
	    newstate == SOCKTAP_TCP_SYN_SENT)
		stat_add(SOCKTAP_STAT_CONNECTS, 1);
	if (cfg_trace)
		trace_transition(sk, btf, oldstate, newstate);
	return 0;
}

/* A bitfield before Linux 5.6, a plain __u16 since; a load when BTF-typed. */
#define sk_protocol(sk, btf)                                                                       \
	((btf) ? (int)BPF_CORE_READ_BITFIELD(sk, sk_protocol) :                                    \
		 (int)BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol))

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(stp_state_btf, struct sock *sk, int oldstate, int newstate)
{
	/* a BTF-typed socket: the cookie helper may be used on it */
	return on_state(sk, true, oldstate, newstate, sk_protocol(sk, true));
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(stp_state_raw, const struct sock *sk, int oldstate, int newstate)
{
	return on_state(sk, false, oldstate, newstate, sk_protocol(sk, false));
}

SEC("tracepoint/sock/inet_sock_set_state")
int stp_state_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	const struct sock *sk = ctx->skaddr;

	return on_state(sk, false, ctx->oldstate, ctx->newstate, ctx->protocol);
}
