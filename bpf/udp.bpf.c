// SPDX-License-Identifier: GPL-2.0
/*
 * UDP sockets: payload bytes per socket, counted in the process that sends
 * or receives (so attribution holds for UDP too), an udp_open event when a
 * socket is first seen doing either, and an udp_close event with its totals
 * when it is released. Bytes hook rungs: fexit on udp(v6)_sendmsg and
 * udp(v6)_recvmsg, else sock:sock_send_length/sock_recv_length (tp_btf,
 * raw_tp). Release rungs: fentry or kprobe on udp(v6)_destroy_sock, else a
 * cgroup/sock_release program on the cgroup v2 root.
 */
#include "sock.bpf.h"

#define SOCK_DGRAM_ 2
#define MSG_PEEK_ 2
#define MSG_ERRQUEUE_ 0x2000

/* UDP proper: a raw socket of protocol 17 is not one (its "bytes" hold headers) */
static __always_inline bool is_inet_udp(const struct sock *sk)
{
	__u16 family = BPF_CORE_READ(sk, __sk_common.skc_family);

	return BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) == IPPROTO_UDP_ &&
	       BPF_CORE_READ_BITFIELD_PROBED(sk, sk_type) == SOCK_DGRAM_ &&
	       (family == AF_INET_ || family == AF_INET6_);
}

/* Reads that take no payload off the socket: a peek (read again later) and
 * the error queue. */
static __always_inline bool recv_counts(int flags)
{
	return !(flags & (MSG_PEEK_ | MSG_ERRQUEUE_));
}

static __always_inline struct socktap_udp *udp_open(const struct sock *sk, __u64 cookie)
{
	struct socktap_udp u = { .owner.start_ns = bpf_ktime_get_ns() }, *up;
	struct socktap_event *e;

	if (!pass_sk(sk))
		return NULL;
	owner_current(&u.owner);
	if (cfg_pid && u.owner.pid != cfg_pid)
		return NULL;
	sk_read_tuple(&u, sk, false);
	if (bpf_map_update_elem(&udp_socks, &cookie, &u, BPF_NOEXIST)) {
		/* another CPU was first, or the table is full */
		up = bpf_map_lookup_elem(&udp_socks, &cookie);
		if (!up)
			stat_add(SOCKTAP_STAT_SOCKS_FULL, 1);
		return up;
	}
	up = bpf_map_lookup_elem(&udp_socks, &cookie);
	if (up && (e = ev_new(SOCKTAP_EV_UDP_OPEN, sk, false, cookie, &up->owner))) {
		e->proto = IPPROTO_UDP_;
		ev_submit(e);
	}
	return up;
}

/*
 * udp_checked: the caller has already seen with plain loads (a BTF-typed
 * socket) that it is inet UDP, so the probe reads are not paid again on
 * every call.
 */
static __always_inline int on_udp_bytes(const struct sock *sk, __u64 cookie, long ret, bool sent,
					bool udp_checked)
{
	struct socktap_udp *u;

	/* no cookie (a scalar socket nobody gave one yet): no key to count under */
	if (!cfg_udp || ret <= 0 || !sk || !cookie || (!udp_checked && !is_inet_udp(sk)))
		return 0;
	u = bpf_map_lookup_elem(&udp_socks, &cookie);
	if (!u && !(u = udp_open(sk, cookie)))
		return 0;
	__sync_fetch_and_add(sent ? &u->bytes_sent : &u->bytes_received, (__u64)ret);
	return 0;
}

/* Emits udp_close for cookie and forgets it; the tuple comes from fill. */
static __always_inline struct socktap_event *udp_close_begin(__u64 cookie, struct socktap_udp **up)
{
	struct socktap_udp *u = bpf_map_lookup_elem(&udp_socks, &cookie);
	struct socktap_event *e;

	*up = u;
	if (!u)
		return NULL;
	if (!ev_wanted(SOCKTAP_EV_UDP_CLOSE, &u->owner) ||
	    (cfg_ports && !port_wanted(u->sport, u->dport))) {
		bpf_map_delete_elem(&udp_socks, &cookie);
		return NULL;
	}
	e = bpf_ringbuf_reserve(&events, sizeof(*e), 0);
	if (!e) {
		stat_add(SOCKTAP_STAT_RINGBUF_LOST, 1);
		bpf_map_delete_elem(&udp_socks, &cookie);
		return NULL;
	}
	__builtin_memset(e, 0, sizeof(*e));
	e->ts_ns = bpf_ktime_get_ns();
	e->type = SOCKTAP_EV_UDP_CLOSE;
	e->proto = IPPROTO_UDP_;
	e->cookie = cookie;
	ev_owner(e, &u->owner);
	e->netns = u->netns;
	e->family = u->family;
	e->sport = u->sport;
	e->dport = u->dport;
	__builtin_memcpy(e->saddr, u->saddr, sizeof(e->saddr));
	__builtin_memcpy(e->daddr, u->daddr, sizeof(e->daddr));
	e->duration_ns = e->ts_ns - u->owner.start_ns;
	e->bytes_sent = u->bytes_sent;
	e->bytes_received = u->bytes_received;
	return e;
}

static __always_inline void udp_close_end(struct socktap_event *e, __u64 cookie)
{
	ev_submit(e);
	bpf_map_delete_elem(&udp_socks, &cookie);
}

static __always_inline int on_udp_destroy(const struct sock *sk, __u64 cookie)
{
	struct socktap_udp *u;
	struct socktap_event *e;

	if (!cfg_udp || !(e = udp_close_begin(cookie, &u)))
		return 0;
	sk_read_tuple(e, sk, false);
	udp_close_end(e, cookie);
	return 0;
}

/*
 * fexit rung: sk is the first argument on every kernel (BTF-typed, so the
 * cookie helper works), the return value an int of bytes or -errno; the
 * arguments between changed over the years, so the return value is asked
 * for rather than named.
 */
static __always_inline int fexit_bytes(__u64 *ctx, struct sock *sk, bool sent)
{
	__u64 ret = 0, flags = 0;

	if (!cfg_udp)
		return 0;
	/* recvmsg's flags: the 4th argument since 5.19, the 5th before
	 * (after "noblock"); the argument count tells which */
	if (!sent) {
		bpf_get_func_arg(ctx, bpf_get_func_arg_cnt(ctx) == 5 ? 3 : 4, &flags);
		if (!recv_counts((int)flags))
			return 0;
	}
	bpf_get_func_ret(ctx, &ret);
	/* an int in a 64-bit slot: the upper half is not defined */
	return on_udp_bytes(sk, bpf_get_socket_cookie(sk), (int)ret, sent, false);
}

SEC("fexit/udp_sendmsg")
int BPF_PROG(stp_udp_snd_fexit, struct sock *sk)
{
	return fexit_bytes(ctx, sk, true);
}

SEC("fexit/udp_recvmsg")
int BPF_PROG(stp_udp_rcv_fexit, struct sock *sk)
{
	return fexit_bytes(ctx, sk, false);
}

SEC("fexit/udpv6_sendmsg")
int BPF_PROG(stp_udp6_snd_fexit, struct sock *sk)
{
	return fexit_bytes(ctx, sk, true);
}

SEC("fexit/udpv6_recvmsg")
int BPF_PROG(stp_udp6_rcv_fexit, struct sock *sk)
{
	return fexit_bytes(ctx, sk, false);
}

/* Plain loads on a BTF-typed socket: inet UDP? */
static __always_inline bool is_inet_udp_btf(const struct sock *sk)
{
	return sk->sk_protocol == IPPROTO_UDP_ && sk->sk_type == SOCK_DGRAM_ &&
	       (sk->__sk_common.skc_family == AF_INET_ || sk->__sk_common.skc_family == AF_INET6_);
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(stp_sock_snd_btf, struct sock *sk, int ret, int flags)
{
	/* most sockets are not UDP: leave before the cookie helper */
	if (!cfg_udp || ret <= 0 || !is_inet_udp_btf(sk))
		return 0;
	return on_udp_bytes(sk, bpf_get_socket_cookie(sk), ret, true, true);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(stp_sock_rcv_btf, struct sock *sk, int ret, int flags)
{
	if (!cfg_udp || ret <= 0 || !recv_counts(flags) || !is_inet_udp_btf(sk))
		return 0;
	return on_udp_bytes(sk, bpf_get_socket_cookie(sk), ret, false, true);
}

SEC("raw_tp/sock_send_length")
int BPF_PROG(stp_sock_snd_raw, struct sock *sk, int ret, int flags)
{
	return on_udp_bytes(sk, sk_cookie_read(sk), ret, true, false);
}

SEC("raw_tp/sock_recv_length")
int BPF_PROG(stp_sock_rcv_raw, struct sock *sk, int ret, int flags)
{
	if (!recv_counts(flags))
		return 0;
	return on_udp_bytes(sk, sk_cookie_read(sk), ret, false, false);
}

SEC("fentry/udp_destroy_sock")
int BPF_PROG(stp_udp_dstr_fentry, struct sock *sk)
{
	return on_udp_destroy(sk, bpf_get_socket_cookie(sk));
}

SEC("fentry/udpv6_destroy_sock")
int BPF_PROG(stp_udp6_dstr_fentry, struct sock *sk)
{
	return on_udp_destroy(sk, bpf_get_socket_cookie(sk));
}

SEC("kprobe/udp_destroy_sock")
int BPF_KPROBE(stp_udp_dstr_kprobe, struct sock *sk)
{
	return on_udp_destroy(sk, sk_cookie_read(sk));
}

SEC("kprobe/udpv6_destroy_sock")
int BPF_KPROBE(stp_udp6_dstr_kprobe, struct sock *sk)
{
	return on_udp_destroy(sk, sk_cookie_read(sk));
}

SEC("cgroup/sock_release")
int stp_udp_release(struct bpf_sock *ctx)
{
	struct socktap_udp *u;
	struct socktap_event *e;
	__u64 cookie;

	if (!cfg_udp || ctx->protocol != IPPROTO_UDP_ || ctx->type != SOCK_DGRAM_)
		return 1;
	cookie = bpf_get_socket_cookie(ctx);
	/* the tuple saved at open: release programs may not read the addresses */
	e = udp_close_begin(cookie, &u);
	if (!e)
		return 1;
	udp_close_end(e, cookie);
	/* 1: never refuse the release */
	return 1;
}
