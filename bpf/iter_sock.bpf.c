// SPDX-License-Identifier: GPL-2.0
/*
 * The listing iterators: iter/tcp, iter/udp and iter/unix walk the socket
 * tables of the reader's network namespace and write one record per socket
 * (include/socktap.h), with what sock_diag would report: queues, timers,
 * owner uid, inode, cookie, and on request memory and TCP internals. No
 * maps: the records go straight into the reader's read() buffer.
 *
 * Kernel sums and unit conversions are left to userspace: this side only
 * copies fields, so it costs a few loads per socket.
 */
#include "base.bpf.h"

#define TCP_ECN_OK_ 1
#define TCP_ECN_SEEN_ 8
#define ICSK_TIME_RETRANS_ 1
#define ICSK_TIME_PROBE0_ 3
#define ICSK_TIME_REO_TIMEOUT_ 5
#define ICSK_TIME_LOSS_PROBE_ 6

/* Set by the loader before load. */
const volatile __u32 cfg_states = 0; /* 1 << SOCKTAP_TCP_* to keep; 0: all */
const volatile __u16 cfg_family = 0; /* AF_INET or AF_INET6; 0: both */
const volatile __u8 cfg_mem = 0; /* append socktap_iter_mem */
const volatile __u8 cfg_tcpinfo = 0; /* append socktap_iter_tcpinfo (full TCP sockets) */

char LICENSE[] SEC("license") = "GPL";

/* The state as listings name it: a request socket is SYN-RECV. */
static __always_inline bool state_wanted(__u8 state)
{
	if (state == SOCKTAP_TCP_NEW_SYN_RECV)
		state = SOCKTAP_TCP_SYN_RECV;
	return !cfg_states || (state < 32 && (cfg_states & (1u << state)));
}

/* Jiffies from now until expires, 0 once overdue (inet_diag's rule). */
static __always_inline __u32 until(unsigned long expires)
{
	long d = (long)(expires - bpf_jiffies64());

	return d > 0 ? (__u32)d : 0;
}

static __always_inline bool timer_is_pending(const struct timer_list *t)
{
	return BPF_CORE_READ(t, entry.pprev) != NULL;
}

/* Tuple, family and namespace: every kind of TCP and UDP socket has them. */
static __always_inline void fill_common(struct socktap_iter_sock *r, const struct sock_common *skc)
{
	r->family = skc->skc_family;
	r->state = skc->skc_state;
	r->sport = skc->skc_num;
	r->dport = bpf_ntohs(skc->skc_dport);
	r->netns = skc->skc_net.net->ns.inum;
	r->ifindex = skc->skc_bound_dev_if;
	if (r->family == AF_INET6_) {
		__builtin_memcpy(r->saddr, skc->skc_v6_rcv_saddr.in6_u.u6_addr8, 16);
		__builtin_memcpy(r->daddr, skc->skc_v6_daddr.in6_u.u6_addr8, 16);
		if (BPF_CORE_READ_BITFIELD(skc, skc_ipv6only))
			r->flags |= SOCKTAP_ITER_F_V6ONLY;
	} else {
		*(__u32 *)r->saddr = skc->skc_rcv_saddr;
		*(__u32 *)r->daddr = skc->skc_daddr;
	}
}

/* What a full socket (not TIME-WAIT, not a request) adds. */
static __always_inline void fill_full(struct socktap_iter_sock *r, struct sock *sk)
{
	const struct socket *sock = sk->sk_socket;

	r->cookie = bpf_get_socket_cookie(sk);
	/* sock_i_ino(): the inode allocated with the socket */
	r->ino = sock ? BPF_CORE_READ((const struct socket_alloc *)sock, vfs_inode.i_ino) : 0;
	r->uid = sk->sk_uid.val;
	r->mark = sk->sk_mark;
	r->cgroup = BPF_CORE_READ(sk, sk_cgrp_data.cgroup, kn, id);
	r->shutdown = BPF_CORE_READ_BITFIELD(sk, sk_shutdown);
}

static __always_inline void write_mem(struct seq_file *seq, struct sock *sk)
{
	struct socktap_iter_mem m = {
		.rmem_alloc = sk->sk_backlog.rmem_alloc.counter,
		.rcvbuf = sk->sk_rcvbuf,
		.wmem_alloc = sk->sk_wmem_alloc.refs.counter - 1,
		.sndbuf = sk->sk_sndbuf,
		.fwd_alloc = sk->sk_forward_alloc,
		.wmem_queued = sk->sk_wmem_queued,
		.optmem = sk->sk_omem_alloc.counter,
		.backlog = sk->sk_backlog.len,
		.drops = sk->sk_drops.counter,
	};

	bpf_seq_write(seq, &m, sizeof(m));
}

static __always_inline void write_tcpinfo(struct seq_file *seq, struct tcp_sock *tp)
{
	struct inet_connection_sock *icsk = &tp->inet_conn;
	struct sock *sk = &icsk->icsk_inet.sk;
	__u32 now = (__u32)bpf_jiffies64();
	struct socktap_iter_tcpinfo t = {};
	__u8 ecn = BPF_CORE_READ_BITFIELD(tp, ecn_flags);
	const struct tcp_congestion_ops *ca;

	t.bytes_sent = tp->bytes_sent;
	t.bytes_retrans = tp->bytes_retrans;
	t.bytes_acked = tp->bytes_acked;
	t.bytes_received = tp->bytes_received;
	t.pacing_rate = sk->sk_pacing_rate;
	t.max_pacing_rate = sk->sk_max_pacing_rate;
	t.rate_delivered = tp->rate_delivered;
	t.rate_interval_us = tp->rate_interval_us;
	t.rto = icsk->icsk_rto;
	t.ato = BPF_CORE_READ_BITFIELD(icsk, icsk_ack.ato);
	t.since_send = now - tp->lsndtime;
	t.since_recv = now - icsk->icsk_ack.lrcvtime;
	t.since_ack = now - tp->rcv_tstamp;
	t.srtt_us8 = tp->srtt_us;
	t.mdev_us4 = tp->mdev_us;
	t.min_rtt_us = tp->rtt_min.s[0].v;
	t.rcv_rtt_us8 = tp->rcv_rtt_est.rtt_us;
	t.mss_cache = tp->mss_cache;
	t.rcv_mss = icsk->icsk_ack.rcv_mss;
	t.advmss = tp->advmss;
	t.pmtu = icsk->icsk_pmtu_cookie;
	t.snd_cwnd = tp->snd_cwnd;
	t.snd_ssthresh = tp->snd_ssthresh;
	t.packets_out = tp->packets_out;
	t.sacked_out = tp->sacked_out;
	t.lost_out = tp->lost_out;
	t.retrans_out = tp->retrans_out;
	t.total_retrans = tp->total_retrans;
	t.reordering = tp->reordering;
	t.reord_seen = tp->reord_seen;
	t.rcv_space = tp->rcvq_space.space;
	t.rcv_ssthresh = tp->rcv_ssthresh;
	t.notsent = (int)(tp->write_seq - tp->snd_nxt) > 0 ? tp->write_seq - tp->snd_nxt : 0;
	t.snd_wnd = tp->snd_wnd;
	t.rcv_wnd = tp->rcv_wnd;
	t.segs_out = tp->segs_out;
	t.segs_in = tp->segs_in;
	t.data_segs_out = tp->data_segs_out;
	t.data_segs_in = tp->data_segs_in;
	t.delivered = tp->delivered;
	t.delivered_ce = tp->delivered_ce;
	t.dsack_dups = tp->dsack_dups;
	t.chrono_stat[0] = tp->chrono_stat[0];
	t.chrono_stat[1] = tp->chrono_stat[1];
	t.chrono_stat[2] = tp->chrono_stat[2];
	t.chrono_since = now - tp->chrono_start;
	t.chrono_type = BPF_CORE_READ_BITFIELD(tp, chrono_type);
	/* TCPI_OPT_* as tcp_get_info() sets them */
	if (BPF_CORE_READ_BITFIELD(tp, rx_opt.tstamp_ok))
		t.options |= 1;
	if (BPF_CORE_READ_BITFIELD(tp, rx_opt.sack_ok))
		t.options |= 2;
	if (BPF_CORE_READ_BITFIELD(tp, rx_opt.wscale_ok)) {
		t.options |= 4;
		t.snd_wscale = BPF_CORE_READ_BITFIELD(tp, rx_opt.snd_wscale);
		t.rcv_wscale = BPF_CORE_READ_BITFIELD(tp, rx_opt.rcv_wscale);
	}
	if (ecn & TCP_ECN_OK_)
		t.options |= 8;
	if (ecn & TCP_ECN_SEEN_)
		t.options |= 16;
	if (BPF_CORE_READ_BITFIELD(tp, syn_data_acked))
		t.options |= 32;
	t.backoff = icsk->icsk_backoff;
	t.ca_state = BPF_CORE_READ_BITFIELD(icsk, icsk_ca_state);
	t.app_limited = BPF_CORE_READ_BITFIELD(tp, rate_app_limited);
	t.retransmits = icsk->icsk_retransmits;
	t.probes = icsk->icsk_probes_out;
	ca = icsk->icsk_ca_ops;
	if (ca)
		bpf_probe_read_kernel_str(t.cong, sizeof(t.cong), ca->name);
	bpf_seq_write(seq, &t, sizeof(t));
}

/* Timers of a full TCP socket, as inet_sk_diag_fill() reports them. */
static __always_inline void tcp_timer(struct socktap_iter_sock *r, struct tcp_sock *tp)
{
	struct inet_connection_sock *icsk = &tp->inet_conn;
	__u8 pending = icsk->icsk_pending;
	/* icsk_timeout() is the retransmit timer's expiry on every kernel */
	unsigned long expires = icsk->icsk_retransmit_timer.expires;

	if (pending == ICSK_TIME_RETRANS_ || pending == ICSK_TIME_REO_TIMEOUT_ ||
	    pending == ICSK_TIME_LOSS_PROBE_) {
		r->timer = SOCKTAP_TIMER_ON;
		r->timer_retrans = icsk->icsk_retransmits;
		r->timer_jiffies = until(expires);
	} else if (pending == ICSK_TIME_PROBE0_) {
		r->timer = SOCKTAP_TIMER_PERSIST;
		r->timer_retrans = icsk->icsk_probes_out;
		r->timer_jiffies = until(expires);
	} else if (timer_is_pending(&icsk->icsk_inet.sk.sk_timer)) {
		r->timer = SOCKTAP_TIMER_KEEPALIVE;
		r->timer_retrans = icsk->icsk_probes_out;
		r->timer_jiffies = until(icsk->icsk_inet.sk.sk_timer.expires);
	}
}

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

	if (!skc || (cfg_family && skc->skc_family != cfg_family))
		return 0;
	fill_common(&r, skc);
	if (r.state == SOCKTAP_TCP_TIME_WAIT) {
		tw = bpf_skc_to_tcp_timewait_sock(skc);
		if (!tw)
			return 0;
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
	if (!state_wanted(r.state))
		return 0;
	if (r.state == SOCKTAP_TCP_NEW_SYN_RECV) {
		req = bpf_skc_to_tcp_request_sock(skc);
		if (!req)
			return 0;
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
	fill_full(&r, sk);
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
	if (cfg_tcpinfo)
		r.flags |= SOCKTAP_ITER_F_TCPINFO;
	bpf_seq_write(seq, &r, sizeof(r));
	if (cfg_mem)
		write_mem(seq, sk);
	if (cfg_tcpinfo)
		write_tcpinfo(seq, tp);
	return 0;
}

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
	fill_common(&r, &sk->__sk_common);
	fill_full(&r, sk);
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

/* unix_inq_len(): a stream's queued bytes are summed over its skbs. */
#define UNIX_INQ_MAX_SKBS 64

static __always_inline __u32 unix_inq(struct sock *sk, __u16 type)
{
	struct sk_buff *head = (struct sk_buff *)&sk->sk_receive_queue;
	struct sk_buff *skb = BPF_CORE_READ(sk, sk_receive_queue.next);
	__u32 sum = 0;

	if (type != 1 /* SOCK_STREAM */ && type != 5 /* SOCK_SEQPACKET */)
		return skb && skb != head ? BPF_CORE_READ(skb, len) : 0;
	for (int i = 0; i < UNIX_INQ_MAX_SKBS && skb && skb != head; i++) {
		sum += BPF_CORE_READ(skb, len);
		skb = BPF_CORE_READ(skb, next);
	}
	return sum;
}

SEC("iter/unix")
int stp_iter_unix(struct bpf_iter__unix *ctx)
{
	struct unix_sock *u = ctx->unix_sk;
	struct seq_file *seq = ctx->meta->seq;
	struct socktap_iter_unix r = {};
	const struct unix_address *addr;
	const struct dentry *dentry;
	const struct socket *sock;
	struct sock *sk, *peer;
	int len;

	if (!u)
		return 0;
	sk = &u->sk;
	r.state = sk->__sk_common.skc_state;
	if (!state_wanted(r.state))
		return 0;
	r.type = sk->sk_type;
	r.cookie = bpf_get_socket_cookie(sk);
	sock = sk->sk_socket;
	r.ino = sock ? BPF_CORE_READ((const struct socket_alloc *)sock, vfs_inode.i_ino) : 0;
	r.netns = sk->__sk_common.skc_net.net->ns.inum;
	r.uid = sk->sk_uid.val;
	r.shutdown = BPF_CORE_READ_BITFIELD(sk, sk_shutdown);
	peer = u->peer;
	if (peer) {
		sock = BPF_CORE_READ(peer, sk_socket);
		if (sock)
			r.peer_ino = BPF_CORE_READ((const struct socket_alloc *)sock,
						   vfs_inode.i_ino);
	}
	if (r.state == SOCKTAP_TCP_LISTEN) {
		r.rqueue = sk->sk_receive_queue.qlen;
		r.wqueue = sk->sk_max_ack_backlog;
	} else {
		r.rqueue = unix_inq(sk, r.type);
		r.wqueue = sk->sk_wmem_alloc.refs.counter - 1;
	}
	/* the file a bound socket made (ss -e's ino: and dev:) */
	dentry = u->path.dentry;
	if (dentry) {
		r.vfs_ino = BPF_CORE_READ(dentry, d_inode, i_ino);
		r.vfs_dev = BPF_CORE_READ(dentry, d_sb, s_dev);
	}
	addr = u->addr;
	if (addr) {
		/* len counts sun_family too */
		len = BPF_CORE_READ(addr, len) - (int)sizeof(__u16);
		if (len > 0) {
			if (len > (int)sizeof(r.path))
				len = sizeof(r.path);
			r.path_len = len;
			bpf_probe_read_kernel(r.path, sizeof(r.path), addr->name[0].sun_path);
		}
	}
	bpf_seq_write(seq, &r, sizeof(r));
	return 0;
}
