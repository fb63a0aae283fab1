/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the listing iterators share: iter/tcp, iter/udp and iter/unix walk
 * the socket tables of the reader's network namespace and write one record
 * per socket (include/socktap.h), with what sock_diag would report:
 * queues, timers, owner uid, inode, cookie, and on request memory and TCP
 * internals. No maps: the records go straight into the reader's read()
 * buffer.
 *
 * Each iterator is an object (and a light skeleton) of its own, so a
 * listing loads only the ones it reads, and the kernel, which holds its
 * BTF parsed already, does the CO-RE relocations: parsing vmlinux BTF in
 * userspace was most of a one-shot listing's time.
 *
 * Kernel sums and unit conversions are left to userspace: this side only
 * copies fields, so it costs a few loads per socket.
 */
#ifndef SOCKTAP_ITER_SOCK_BPF_H
#define SOCKTAP_ITER_SOCK_BPF_H

/*
 * SOCKTAP_ITER_FULL: the build (iter_tcp_full, iter_udp_full) with what few
 * listings show: the socket's cgroup and ss -i's TCP internals. Their types
 * (cgroup, kernfs_node, the congestion control's) share slots of the
 * kernel's cache of CO-RE candidates with types every listing relocates,
 * so each load would scan vmlinux's BTF again for them: the plain build
 * leaves them out.
 */

#include "base.bpf.h"
#include "file_sock.bpf.h"

#define TCP_ECN_OK_ 1
#define TCP_ECN_SEEN_ 8
#define ICSK_TIME_RETRANS_ 1
#define ICSK_TIME_PROBE0_ 3
#define ICSK_TIME_REO_TIMEOUT_ 5
#define ICSK_TIME_LOSS_PROBE_ 6

/* Set by the loader before load (each object has its own copy). */
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

/*
 * Loading a pointer field through a pointer the verifier trusts (an
 * iterator's own argument) makes it look up, for that field's struct, each
 * of four "__safe_*" type names, and a kernel that finds a type by name by
 * scanning all of vmlinux's BTF (6.18 here) pays that at every load: a
 * quarter of a one-shot listing's samples. So fill_full reads pointer
 * fields through pointers a helper returned (bpf_skc_to_*: not trusted,
 * plain loads, no lookup), or, where no helper gives one (UDP), with probe
 * reads: plain is false.
 */

/*
 * Tuple and family: every kind of TCP and UDP socket has them. Not the
 * namespace: the table iterators walk the reader's, which userspace knows,
 * and struct net would be one type more to relocate at every load.
 */
static __always_inline void fill_common(struct socktap_iter_sock *r, const struct sock_common *skc)
{
	r->family = skc->skc_family;
	r->state = skc->skc_state;
	r->sport = skc->skc_num;
	r->dport = bpf_ntohs(skc->skc_dport);
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

/*
 * What a full socket (not TIME-WAIT, not a request) adds, but its cookie:
 * each caller gets that as its pointer allows.
 */
static __always_inline void fill_full(struct socktap_iter_sock *r, struct sock *sk, bool plain)
{
#ifdef SOCKTAP_ITER_FULL
	const struct cgroup *cg = RD(plain, sk, sk_cgrp_data.cgroup);

	r->cgroup = cg ? RD2(plain, cg, kn, id) : 0;
#endif
	r->ino = socket_ino(RD(plain, sk, sk_socket));
	r->uid = sk->sk_uid.val;
	r->mark = sk->sk_mark;
	r->shutdown = BPF_CORE_READ_BITFIELD(sk, sk_shutdown);
	/* SOCK_BINDPORT_LOCK: what ss's "autobound" asks the kernel */
	if (BPF_CORE_READ_BITFIELD(sk, sk_userlocks) & 8)
		r->flags |= SOCKTAP_ITER_F_PORT_BOUND;
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

/*
 * bbr_get_info(): BBR keeps its state in the socket's private congestion
 * control area. Only where the kernel (or a loaded module) has struct bbr;
 * the private area is an array of u64, so probe reads, not plain loads.
 */
static __always_inline void bbr_info(struct socktap_iter_tcpinfo *t,
				     struct inet_connection_sock *icsk)
{
	const struct bbr *b = (const void *)icsk->icsk_ca_priv;

	if (!bpf_core_type_exists(struct bbr) || t->cong[0] != 'b' || t->cong[1] != 'b' ||
	    t->cong[2] != 'r' || t->cong[3])
		return;
	t->has_bbr = 1;
	t->bbr_bw = BPF_CORE_READ_BITFIELD_PROBED(b, lt_use_bw) ? BPF_CORE_READ(b, lt_bw) :
								  BPF_CORE_READ(b, bw.s[0].v);
	t->bbr_min_rtt_us = BPF_CORE_READ(b, min_rtt_us);
	t->bbr_pacing_gain = BPF_CORE_READ_BITFIELD_PROBED(b, pacing_gain);
	t->bbr_cwnd_gain = BPF_CORE_READ_BITFIELD_PROBED(b, cwnd_gain);
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
	bbr_info(&t, icsk);
	bpf_seq_write(seq, &t, sizeof(t));
}

/*
 * Where the timers live: up to Linux 6.x the retransmit timer is
 * icsk_retransmit_timer and keepalive runs on sk_timer; 7.x moved the
 * first into struct sock (tcp_retransmit_timer) and gave keepalive
 * icsk_keepalive_timer. Each is read where this kernel has it (a
 * relocation to a field it lacks makes the program fail to load).
 */
struct inet_connection_sock___v6 {
	struct timer_list icsk_retransmit_timer;
} __attribute__((preserve_access_index));
struct inet_connection_sock___v7 {
	struct timer_list icsk_keepalive_timer;
} __attribute__((preserve_access_index));
struct sock___v7 {
	struct timer_list tcp_retransmit_timer;
} __attribute__((preserve_access_index));

static __always_inline unsigned long retransmit_expires(struct inet_connection_sock *icsk)
{
	struct inet_connection_sock___v6 *o = (void *)icsk;

	if (bpf_core_field_exists(o->icsk_retransmit_timer))
		return o->icsk_retransmit_timer.expires;
	return ((struct sock___v7 *)&icsk->icsk_inet.sk)->tcp_retransmit_timer.expires;
}

/*
 * The keepalive timer: pending, and when it fires. Read through the socket's
 * own types, never as a struct timer_list: that type shares a slot of the
 * kernel's cache of CO-RE candidates with struct cred, which the owners'
 * iterator loaded alongside relocates, so each load would evict the other.
 */
static __always_inline bool keepalive_pending(struct inet_connection_sock *icsk,
					      unsigned long *expires)
{
	struct inet_connection_sock___v7 *n = (void *)icsk;

	if (bpf_core_field_exists(n->icsk_keepalive_timer)) {
		*expires = n->icsk_keepalive_timer.expires;
		return n->icsk_keepalive_timer.entry.pprev != NULL;
	}
	*expires = icsk->icsk_inet.sk.sk_timer.expires;
	return icsk->icsk_inet.sk.sk_timer.entry.pprev != NULL;
}

/* Timers of a full TCP socket, as inet_sk_diag_fill() reports them. */
static __always_inline void tcp_timer(struct socktap_iter_sock *r, struct tcp_sock *tp)
{
	struct inet_connection_sock *icsk = &tp->inet_conn;
	__u8 pending = icsk->icsk_pending;
	/* icsk_timeout() is the retransmit timer's expiry on every kernel */
	unsigned long expires = retransmit_expires(icsk);
	unsigned long ka_expires;

	if (pending == ICSK_TIME_RETRANS_ || pending == ICSK_TIME_REO_TIMEOUT_ ||
	    pending == ICSK_TIME_LOSS_PROBE_) {
		r->timer = SOCKTAP_TIMER_ON;
		r->timer_retrans = icsk->icsk_retransmits;
		r->timer_jiffies = until(expires);
	} else if (pending == ICSK_TIME_PROBE0_) {
		r->timer = SOCKTAP_TIMER_PERSIST;
		r->timer_retrans = icsk->icsk_probes_out;
		r->timer_jiffies = until(expires);
	} else if (keepalive_pending(icsk, &ka_expires)) {
		r->timer = SOCKTAP_TIMER_KEEPALIVE;
		r->timer_retrans = icsk->icsk_probes_out;
		r->timer_jiffies = until(ka_expires);
	}
}

#endif
