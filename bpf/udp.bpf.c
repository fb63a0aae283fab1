// SPDX-License-Identifier: GPL-2.0
/*
 * UDP sockets: the fexit rung of the bytes hook (udp.bpf.h counts; the
 * per-call tracepoint rungs are in sock_io.bpf.c), and an udp_close event
 * with its totals when a socket is released. Release rungs: fentry or
 * kprobe on udp(v6)_destroy_sock, else a cgroup/sock_release program on
 * the cgroup v2 root.
 */
#include "udp.bpf.h"

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
