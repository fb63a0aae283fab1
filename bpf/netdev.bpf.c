// SPDX-License-Identifier: GPL-2.0
/*
 * nload's split: each device's packets counted per socket, in the kernel,
 * so that userspace can say which process and cgroup made an interface
 * busy. Three hooks:
 *
 * - egress, net:net_dev_start_xmit: every packet a device is given, before
 *   the driver owns it (net_dev_xmit fires after, when a real NIC may
 *   already have freed the skb). skb->sk names the sending socket even in
 *   softirq (TCP's ACKs, retransmits), where the current task means nothing.
 * - ingress, a cgroup_skb/ingress program on the root cgroup: it runs for
 *   every packet delivered to a full socket, with that socket. Packets no
 *   socket takes (forwarded, ICMP, ARP, dropped) never reach it: userspace
 *   counts them as the remainder of the device's own counter. It reads the
 *   cookie alone: the socket's namespace and cgroup are its egress keys'.
 * - cgroup/sock_create, which gives every new socket its cookie, so that
 *   the egress hook, which may only read a cookie, never meets a socket
 *   without one (a UDP socket's first datagram goes out before any other
 *   hook has asked for its cookie).
 */
#include "common.bpf.h"

/*
 * Both hooks run with bottom halves off (egress under __dev_queue_xmit's
 * rcu_read_lock_bh or in the TX softirq, ingress in the receive softirq),
 * so on one CPU they never interleave: the per-CPU values take plain adds.
 */
static __always_inline void count_add(struct socktap_netdev_count *to,
				      const struct socktap_netdev_count *c)
{
	to->tx_bytes += c->tx_bytes;
	to->tx_packets += c->tx_packets;
	to->rx_bytes += c->rx_bytes;
	to->rx_packets += c->rx_packets;
}

/* Moves a CPU's pending counts into netdev_split. */
static __always_inline void flush(struct socktap_netdev_pending *p)
{
	struct socktap_netdev_count *c = bpf_map_lookup_elem(&netdev_split, &p->key);
	long err;

	if (c) {
		count_add(c, &p->c);
		return;
	}
	err = bpf_map_update_elem(&netdev_split, &p->key, &p->c, BPF_NOEXIST);
	if (err == -17 /* EEXIST: made on another CPU meanwhile */) {
		c = bpf_map_lookup_elem(&netdev_split, &p->key);
		if (c)
			count_add(c, &p->c);
	} else if (err) {
		stat_add(SOCKTAP_STAT_NETDEV_FULL, p->c.tx_packets + p->c.rx_packets);
	}
}

static __always_inline bool key_eq(const struct socktap_netdev_key *a,
				   const struct socktap_netdev_key *b)
{
	const __u64 *x = (const __u64 *)a, *y = (const __u64 *)b;

	return x[0] == y[0] && x[1] == y[1] && x[2] == y[2] && x[3] == y[3];
}

static __always_inline void split_add(const struct socktap_netdev_key *k, __u32 len, bool tx)
{
	/* Fibonacci hashing of the key's words: sockets spread over the slots */
	const __u64 *w = (const __u64 *)k;
	__u32 slot = ((w[0] ^ w[1] ^ w[2]) * 0x9e3779b97f4a7c15ull) >>
		     (64 - SOCKTAP_NETDEV_SLOTS_SHIFT);
	struct socktap_netdev_pending *p = bpf_map_lookup_elem(&netdev_pending, &slot);

	if (!p)
		return;
	if (!key_eq(&p->key, k)) {
		if (p->c.tx_packets | p->c.rx_packets)
			flush(p);
		p->key = *k;
		__builtin_memset(&p->c, 0, sizeof(p->c));
	}
	if (tx) {
		p->c.tx_bytes += len;
		p->c.tx_packets++;
	} else {
		p->c.rx_bytes += len;
		p->c.rx_packets++;
	}
}

/* A full socket's cookie and cgroup. */
static __always_inline void sk_key_fill(struct socktap_netdev_key *k, const struct sock *sk,
					bool btf)
{
	const struct cgroup *cg;

	if (!sk)
		return;
	k->cookie = RD(btf, sk, __sk_common.skc_cookie.counter);
	cg = RD(btf, sk, sk_cgrp_data.cgroup);
	k->cgroup = cg ? RD2(btf, cg, kn, id) : 0;
}

/*
 * One body for the three egress rungs; btf (a constant) says the pointers
 * are BTF-typed (plain loads) or scalars (CO-RE probe reads).
 */
static __always_inline int on_xmit(const struct sk_buff *skb, const struct net_device *dev,
				   bool btf)
{
	struct socktap_netdev_key k = {};
	const struct sock *sk = RD(btf, skb, sk);
	__u32 len = RD(btf, skb, len);
	__u16 mac = RD(btf, skb, mac_header), net = RD(btf, skb, network_header);

	/* IP bytes: the link header in front (set: mac_header is not ~0) is
	 * the device's to count */
	if (mac != (__u16)~0 && net > mac && len > (__u32)(net - mac))
		len -= net - mac;
	k.ifindex = RD(btf, dev, ifindex);
	k.netns = RD2(btf, dev, nd_net.net, ns.inum);
	if (!sk) {
		k.reason = RD(btf, skb, skb_iif) ? SOCKTAP_NETDEV_FORWARDED :
						   SOCKTAP_NETDEV_NO_SOCKET;
		split_add(&k, len, true);
		return 0;
	}
	switch (RD(btf, sk, __sk_common.skc_state)) {
	case SOCKTAP_TCP_NEW_SYN_RECV:
		/* a SYN-ACK: the listener's, whose holder is the server (a
		 * pointer in a union, which the verifier cannot type: read) */
		sk_key_fill(
			&k,
			BPF_CORE_READ((const struct request_sock *)sk, __req_common.skc_listener),
			false);
		break;
	case SOCKTAP_TCP_TIME_WAIT:
		/* no cgroup past sock_common, but the full socket's cookie */
		k.cookie = RD(btf, sk, __sk_common.skc_cookie.counter);
		break;
	default:
		sk_key_fill(&k, sk, btf);
	}
	split_add(&k, len, true);
	return 0;
}

SEC("tp_btf/net_dev_start_xmit")
int BPF_PROG(stp_xmit_btf, const struct sk_buff *skb, const struct net_device *dev)
{
	return on_xmit(skb, dev, true);
}

SEC("raw_tp/net_dev_start_xmit")
int BPF_PROG(stp_xmit_raw, const struct sk_buff *skb, const struct net_device *dev)
{
	return on_xmit(skb, dev, false);
}

SEC("tracepoint/net/net_dev_start_xmit")
int stp_xmit_tp(struct trace_event_raw_net_dev_start_xmit *ctx)
{
	const struct sk_buff *skb = ctx->skbaddr;

	return on_xmit(skb, BPF_CORE_READ(skb, dev), false);
}

SEC("cgroup_skb/ingress")
int stp_netdev_rx(struct __sk_buff *skb)
{
	struct socktap_netdev_key k = {};

	/* the cookie alone: userspace takes the socket's namespace (the
	 * device's: it took the packet) and cgroup from what it knows of
	 * the socket, which helpers here would cost every packet */
	k.cookie = bpf_get_socket_cookie(skb);
	k.ifindex = skb->ifindex;
	/* skb->len is the IP length here */
	split_add(&k, skb->len, false);
	/* 1: let every packet through */
	return 1;
}

SEC("cgroup/sock_create")
int stp_sock_cookie(struct bpf_sock *ctx)
{
	bpf_get_socket_cookie(ctx);
	return 1;
}
