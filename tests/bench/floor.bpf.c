// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of a benchmark: programs that do nothing, on the attach points
 * socktap's own programs use. What a workload loses with these attached is
 * the kernel's price for running any program there (the tracepoint's call,
 * the dispatch, the cgroup run), which no program body can win back; what
 * it loses beyond them is socktap's. Built only for `make bench`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

/* the per-call hooks (bpf/sock_io.bpf.c), which nload's split holds too */
SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_sock_snd, struct sock *sk, int ret, int flags)
{
	return 0;
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(floor_sock_rcv, struct sock *sk, int ret, int flags)
{
	return 0;
}

/* nload's split (bpf/netdev.bpf.c) */
SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(floor_xmit, const struct sk_buff *skb, const struct net_device *dev)
{
	return 0;
}

SEC("cgroup_skb/ingress")
int floor_netdev_rx(struct __sk_buff *skb)
{
	return 1;
}

/*
 * Not a floor of nothing but of the least an exact count can do: UDP's
 * payload bytes per socket, in the socket's own storage (no key to hash),
 * one atomic add a call; other protocols leave at the first test. What
 * socktap's UDP count costs beyond this is its own (its per-socket table,
 * owners, events); what this costs beyond the empty programs is what any
 * exact per-socket count on these hooks pays.
 */
struct udp_bytes {
	__u64 sent, received;
};

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct udp_bytes);
} floor_udp SEC(".maps");

static __always_inline int count(struct sock *sk, int ret, bool sent)
{
	struct udp_bytes *b;

	if (ret <= 0 || sk->sk_protocol != IPPROTO_UDP || sk->sk_type != SOCK_DGRAM)
		return 0;
	b = bpf_sk_storage_get(&floor_udp, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (b)
		__sync_fetch_and_add(sent ? &b->sent : &b->received, (__u64)ret);
	return 0;
}

SEC("tp_btf/sock_send_length")
int BPF_PROG(floor_count_snd, struct sock *sk, int ret, int flags)
{
	return count(sk, ret, true);
}

/* MSG_PEEK (2) and MSG_ERRQUEUE (0x2000) take nothing off the socket */
SEC("tp_btf/sock_recv_length")
int BPF_PROG(floor_count_rcv, struct sock *sk, int ret, int flags)
{
	return flags & (2 | 0x2000) ? 0 : count(sk, ret, false);
}
