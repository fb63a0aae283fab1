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
