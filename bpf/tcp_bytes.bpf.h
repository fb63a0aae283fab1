/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Payload bytes from tcp_sock's own counters, made exact: the one formula
 * trace's close event (sock.bpf.h) and top's live iterator
 * (iter_flows.bpf.c) share, on values their callers read.
 *
 * Sent comes from sequence numbers: tcp_sock's bytes_sent counts
 * retransmissions again (bytes_retrans has those) but also every transmit
 * that failed locally (no route, a qdisc or netfilter drop), which nothing
 * else records. What left is snd_nxt - snd_una + bytes_acked, in sequence
 * space: less our SYN (bytes_acked counts it on the connecting side only)
 * and our FIN once it is out. Received is bytes_received less the peer's
 * FIN, which it counts (SOCK_DONE says one came).
 */
#ifndef SOCKTAP_TCP_BYTES_BPF_H
#define SOCKTAP_TCP_BYTES_BPF_H

#include "base.bpf.h"

struct tcp_counts {
	__u64 bytes_sent, bytes_retrans, bytes_acked, bytes_received;
	__u32 snd_nxt, snd_una, write_seq;
	__u8 state; /* SOCKTAP_TCP_*: the state the socket is in (or left, at close) */
	__u8 done; /* SOCK_DONE: the peer's FIN came */
	__u8 side; /* SOCKTAP_F_ACTIVE or SOCKTAP_F_PASSIVE, 0 if unknown */
};

static __always_inline __u64 tcp_payload_sent(const struct tcp_counts *c)
{
	__u64 sent = c->bytes_sent > c->bytes_retrans ? c->bytes_sent - c->bytes_retrans : 0;
	__u64 seq_sent = (__u32)(c->snd_nxt - c->snd_una) + c->bytes_acked;
	/* the states after our FIN was queued; it is out once all is */
	bool fin_queued = c->state == SOCKTAP_TCP_FIN_WAIT1 || c->state == SOCKTAP_TCP_FIN_WAIT2 ||
			  c->state == SOCKTAP_TCP_CLOSING || c->state == SOCKTAP_TCP_TIME_WAIT ||
			  c->state == SOCKTAP_TCP_LAST_ACK;

	if (fin_queued && c->snd_nxt == c->write_seq && seq_sent)
		seq_sent--;
	if ((c->side & SOCKTAP_F_ACTIVE) && seq_sent)
		seq_sent--;
	/* which side opened a socket found at start is unknown: then the
	 * sequence count is a bound (one high if it connected) */
	if (c->side & (SOCKTAP_F_ACTIVE | SOCKTAP_F_PASSIVE))
		return seq_sent;
	return sent < seq_sent ? sent : seq_sent;
}

/*
 * Reads the counters of tp, a full TCP socket, into c (state and side are
 * the caller's). btf: tp is a pointer the verifier trusts (plain loads);
 * else probe reads, which also serve one it marks untrusted, as kernels
 * with the default-trusted pointer rules (seen on a 6.18) mark a socket
 * reached through bpf_sock_from_file(): bpf_skc_to_tcp_sock() refuses it,
 * and plain loads cannot go past struct sock.
 */
static __always_inline void tcp_counts_read(struct tcp_counts *c, const struct tcp_sock *tp,
					    bool btf)
{
	unsigned long flags;

	c->bytes_sent = RD(btf, tp, bytes_sent);
	c->bytes_retrans = RD(btf, tp, bytes_retrans);
	c->bytes_acked = RD(btf, tp, bytes_acked);
	c->bytes_received = RD(btf, tp, bytes_received);
	c->snd_nxt = RD(btf, tp, snd_nxt);
	c->snd_una = RD(btf, tp, snd_una);
	c->write_seq = RD(btf, tp, write_seq);
	/*
	 * After bytes_received, which the kernel counts the peer's FIN in
	 * before it sets SOCK_DONE (the barrier keeps clang from loading the
	 * flags first). A live read, taken without the socket's lock, can
	 * still fall on both sides of a step like that one (or of
	 * bytes_acked's and snd_una's): one off, for nanoseconds. Userspace
	 * keeps the highest live read and takes the close's counts, read in
	 * the kernel's locked context, as the last word (flows.c).
	 */
	barrier();
	flags = RD(btf, tp, inet_conn.icsk_inet.sk.__sk_common.skc_flags);
	c->done = (flags >> bpf_core_enum_value(enum sock_flags, SOCK_DONE)) & 1;
}

static __always_inline __u64 tcp_payload_received(const struct tcp_counts *c)
{
	return c->done && c->bytes_received ? c->bytes_received - 1 : c->bytes_received;
}

#endif
