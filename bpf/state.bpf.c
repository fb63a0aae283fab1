// SPDX-License-Identifier: GPL-2.0
/*
 * The TCP state hook: sock:inet_sock_set_state, on three rungs (tp_btf,
 * raw_tp, classic tracepoint); the loader loads exactly one. All three feed
 * one body. On kernels where neither fentry nor kprobe reaches tcp_connect,
 * the CLOSE->SYN_SENT transition (run in the connecting process) stands in
 * for it.
 */
#include "common.bpf.h"

/* Set by the loader when the connect hook rides on this one. */
const volatile __u8 connect_via_state = 0;

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

static __always_inline int on_state(const struct sock *sk, int oldstate, int newstate,
				    int protocol)
{
	if (protocol != IPPROTO_TCP_)
		return 0;
	count_transition(sk_netns(sk), oldstate, newstate);
	if (connect_via_state && oldstate == SOCKTAP_TCP_CLOSE &&
	    newstate == SOCKTAP_TCP_SYN_SENT)
		stat_add(SOCKTAP_STAT_CONNECTS, 1);
	return 0;
}

static __always_inline int sk_protocol(const struct sock *sk)
{
	/* a bitfield before Linux 5.6, a plain __u16 since */
	return (int)BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol);
}

SEC("tp_btf/inet_sock_set_state")
int BPF_PROG(stp_state_btf, const struct sock *sk, int oldstate, int newstate)
{
	return on_state(sk, oldstate, newstate, sk_protocol(sk));
}

SEC("raw_tp/inet_sock_set_state")
int BPF_PROG(stp_state_raw, const struct sock *sk, int oldstate, int newstate)
{
	return on_state(sk, oldstate, newstate, sk_protocol(sk));
}

SEC("tracepoint/sock/inet_sock_set_state")
int stp_state_tp(struct trace_event_raw_inet_sock_set_state *ctx)
{
	return on_state(ctx->skaddr, ctx->oldstate, ctx->newstate, ctx->protocol);
}
