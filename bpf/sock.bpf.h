/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Per-socket tracking and event emission, shared by the hooks. Socket
 * pointers may be BTF-typed (tp_btf, fentry) or plain scalars (raw_tp,
 * kprobe, tracepoint), so fields are read with CO-RE reads only, and the
 * socket cookie is passed in by each hook's wrapper.
 */
#ifndef SOCKTAP_SOCK_BPF_H
#define SOCKTAP_SOCK_BPF_H

#include "common.bpf.h"
#include "tcp_bytes.bpf.h"

static __always_inline __u64 sk_key(const struct sock *sk)
{
	return (__u64)(unsigned long)sk;
}

/* The cookie where no helper may generate it (scalar socket pointers). */
static __always_inline __u64 sk_cookie_read(const struct sock *sk)
{
	return BPF_CORE_READ(sk, __sk_common.skc_cookie.counter);
}

/*
 * The process, not the thread: its leader's name (a worker thread's comm,
 * "Socket Thread", names no program) and start time. task is BTF-typed
 * (the current task's, or an iterator's): plain loads, no probe-read
 * helpers, on the path of every connect and accept.
 */
static __always_inline void owner_process(struct socktap_sock *o, const struct task_struct *task)
{
	const struct task_struct *leader = task->group_leader;

	__builtin_memcpy(o->comm, leader->comm, sizeof(o->comm));
	o->start_time = leader->start_boottime;
}

static __always_inline void owner_current(struct socktap_sock *o)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();

	o->pid = pid_tgid >> 32;
	o->tid = (__u32)pid_tgid;
	o->uid = (__u32)bpf_get_current_uid_gid();
	o->cgroup = bpf_get_current_cgroup_id();
	owner_process(o, bpf_get_current_task_btf());
	flags_set(&o->flags, SOCKTAP_F_OWNER_KNOWN);
}

/*
 * Is the current task socktap itself? Its iterators hold each process's
 * files for a moment as they walk them: a socket its owner closes then is
 * released, its FIN sent, when socktap lets go, in socktap's context. A
 * process learnt there is never the socket's owner.
 */
static __always_inline bool current_is_self(void)
{
	struct bpf_pidns_info ns;

	return cfg_self_pid &&
	       !bpf_get_ns_current_pid_tgid(cfg_self_pidns_dev, cfg_self_pidns_ino, &ns,
					    sizeof(ns)) &&
	       ns.tgid == cfg_self_pid;
}

/* An owner learnt where its socket is released: the releasing process,
 * unless that is socktap's own walk (then it stays unknown). */
static __always_inline void owner_releaser(struct socktap_sock *o)
{
	if (!current_is_self())
		owner_current(o);
}

/* Filters that need no owner: family and network namespace. */
static __always_inline bool pass_sk(const struct sock *sk)
{
	if (cfg_family && BPF_CORE_READ(sk, __sk_common.skc_family) != cfg_family)
		return false;
	if (cfg_netns && sk_netns(sk, false) != cfg_netns)
		return false;
	return true;
}

/*
 * The socket's cookie. btf (a constant at every call site) says sk is a
 * BTF-typed pointer, for which the helper may generate the cookie; for a
 * plain scalar only an existing cookie can be read.
 */
#define sk_cookie(sk, btf) ((btf) ? bpf_get_socket_cookie((void *)(sk)) : sk_cookie_read(sk))

/*
 * Starts tracking sk (0), or says why not (-1: another owner than -p asks
 * for, or the table is full). With owner, the current task owns it. The
 * entry is not looked up again here: most callers do not need it.
 */
static __always_inline int track(const struct sock *sk, __u64 cookie, __u32 flags, bool owner)
{
	struct socktap_sock o = { .start_ns = bpf_ktime_get_ns(),
				  .cookie = cookie,
				  .flags = flags };
	__u64 key = sk_key(sk);

	if (owner) {
		owner_current(&o);
		if (cfg_pid && o.pid != cfg_pid)
			return -1;
	}
	if (bpf_map_update_elem(&socks, &key, &o, BPF_ANY)) {
		stat_add(SOCKTAP_STAT_SOCKS_FULL, 1);
		return -1;
	}
	return 0;
}

static __always_inline struct socktap_sock *tracked(const struct sock *sk)
{
	__u64 key = sk_key(sk);

	return bpf_map_lookup_elem(&socks, &key);
}

static __always_inline void untrack(const struct sock *sk)
{
	__u64 key = sk_key(sk);

	bpf_map_delete_elem(&socks, &key);
}

/*
 * The socket's addresses and ports into the fields of an event or a UDP
 * entry (same names, same byte orders); btf as for RD().
 */
#define sk_read_tuple(dst, sk, btf)                                                                \
	do {                                                                                       \
		(dst)->family = RD(btf, sk, __sk_common.skc_family);                               \
		(dst)->sport = sk_sport(sk, btf);                                                  \
		(dst)->dport = bpf_ntohs(RD(btf, sk, __sk_common.skc_dport));                      \
		(dst)->netns = sk_netns(sk, btf);                                                  \
		if ((dst)->family == AF_INET6_) {                                                  \
			sk_read_addr6(btf, (dst)->saddr, sk, skc_v6_rcv_saddr);                    \
			sk_read_addr6(btf, (dst)->daddr, sk, skc_v6_daddr);                        \
		} else {                                                                           \
			*(__u32 *)(dst)->saddr = RD(btf, sk, __sk_common.skc_rcv_saddr);           \
			*(__u32 *)(dst)->daddr = RD(btf, sk, __sk_common.skc_daddr);               \
		}                                                                                  \
	} while (0)

/* inet_sock's source port; a BTF-typed sock must be converted to reach it. */
static __always_inline __u16 sk_inet_sport(const struct sock *sk, bool btf)
{
	const struct tcp_sock *tp;

	if (!btf)
		return BPF_CORE_READ((const struct inet_sock *)sk, inet_sport);
	tp = bpf_skc_to_tcp_sock((void *)sk);
	return tp ? tp->inet_conn.icsk_inet.inet_sport : 0;
}

/* The local port, host order. */
static __always_inline __u16 sk_sport(const struct sock *sk, bool btf)
{
	/* skc_num, a plain load, is the port while the socket holds it; a
	 * closing socket that left the port table before its CLOSE transition
	 * was traced has 0 there, and inet_sport (a helper call away on a
	 * BTF-typed socket) still has it */
	__u16 port = RD(btf, sk, __sk_common.skc_num);

	return port ? port : bpf_ntohs(sk_inet_sport(sk, btf));
}

#define sk_read_addr6(btf, dst, sk, field)                                                         \
	do {                                                                                       \
		if (btf)                                                                           \
			__builtin_memcpy(dst, (sk)->__sk_common.field.in6_u.u6_addr8, 16);         \
		else                                                                               \
			BPF_CORE_READ_INTO(&(dst), sk, __sk_common.field.in6_u.u6_addr8);          \
	} while (0)

static __always_inline void ev_owner(struct socktap_event *e, const struct socktap_sock *o)
{
	e->pid = o->pid;
	e->tid = o->tid;
	e->uid = o->uid;
	e->cgroup = o->cgroup;
	e->flags |= o->flags;
	e->start_time = o->start_time;
	__builtin_memcpy(e->comm, o->comm, sizeof(e->comm));
}

static __always_inline bool port_wanted(__u16 sport, __u16 dport)
{
	return bpf_map_lookup_elem(&filter_ports, &sport) ||
	       bpf_map_lookup_elem(&filter_ports, &dport);
}

/* Checked before an event is reserved, so a full ring counts wanted events only. */
static __always_inline bool pass_ports(const struct sock *sk, bool btf)
{
	return !cfg_ports ||
	       port_wanted(sk_sport(sk, btf), bpf_ntohs(RD(btf, sk, __sk_common.skc_dport)));
}

/*
 * Filters on the event and its owner, applied before an event is reserved:
 * what the reader would drop never takes room in the ring, and a full
 * ring counts wanted events only.
 */
static __always_inline bool ev_wanted(__u8 type, const struct socktap_sock *o)
{
	if (cfg_events && !(cfg_events & (1u << type)))
		return false;
	if (cfg_pid && (!o || o->pid != cfg_pid))
		return false;
	return !cfg_cgroup || (o && o->cgroup == cfg_cgroup);
}

/*
 * An event about sk, owner o (may be NULL), with tuple and identity filled
 * in; NULL if the ring buffer is full (counted) or a filter says no.
 */
static __always_inline struct socktap_event *ev_new(__u8 type, const struct sock *sk, bool btf,
						    __u64 cookie, const struct socktap_sock *o)
{
	struct socktap_event *e;

	if (!ev_wanted(type, o) || !pass_ports(sk, btf))
		return NULL;
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_add(SOCKTAP_STAT_RINGBUF_LOST, 1);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->type = type;
	e->cookie = cookie;
	e->proto = IPPROTO_TCP_;
	sk_read_tuple(e, sk, btf);
	if (o)
		ev_owner(e, o);
	return e;
}

/*
 * Submits e. A wakeup is an interrupt (a VM exit under virtualization), so
 * consumers are woken only once cfg_wakeup_bytes are waiting; userspace
 * also polls on a short timer, so nothing waits long.
 */
static __always_inline void ev_submit(struct socktap_event *e)
{
	__u64 flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes ?
			      BPF_RB_FORCE_WAKEUP :
			      BPF_RB_NO_WAKEUP;

	bpf_ringbuf_submit(e, flags);
}

/* The kernel's own counters, made exact (tcp_bytes.bpf.h); oldstate is the
 * state the socket left for CLOSE. */
static __always_inline void ev_tcp_counters(struct socktap_event *e, const struct sock *sk,
					    bool btf, int oldstate)
{
	/* a BTF-typed sock cast to tcp_sock would lose its type: convert it */
	const struct tcp_sock *tp = btf ? bpf_skc_to_tcp_sock((void *)sk) :
					  (const struct tcp_sock *)sk;
	struct tcp_counts c;

	if (!tp)
		return;
	tcp_counts_read(&c, tp, btf);
	c.state = oldstate;
	c.side = e->flags & (SOCKTAP_F_ACTIVE | SOCKTAP_F_PASSIVE);
	e->bytes_retrans = c.bytes_retrans;
	e->bytes_sent = tcp_payload_sent(&c);
	e->bytes_received = tcp_payload_received(&c);
	e->segs_out = RD(btf, tp, segs_out);
	e->segs_in = RD(btf, tp, segs_in);
	e->retransmits = RD(btf, tp, total_retrans);
	e->srtt_us = RD(btf, tp, srtt_us) >> 3;
}

#endif
