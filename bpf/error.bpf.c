// SPDX-License-Identifier: GPL-2.0
/*
 * The error hook: sock:inet_sk_error_report, on tp_btf or raw_tp (the
 * classic tracepoint's record has no socket pointer).
 *
 * An ICMP error (host or network unreachable) that reaches a connecting
 * socket while connect() holds it is queued on the socket's error queue,
 * reported, and only then kept as a soft error, which getsockopt(SO_ERROR)
 * hands to the caller and clears. The caller closes the socket, and at
 * CLOSE no error is left to say why the connect failed: so the error is
 * taken here, from sk_err or from the ICMP error just queued, and kept in
 * the socket's entry.
 */
#include "sock.bpf.h"

#define SO_EE_ORIGIN_ICMP_ 2
#define SO_EE_ORIGIN_ICMP6_ 3

/* The errno of the ICMP error last queued on sk's error queue, or 0. Rare:
 * probe reads whatever the pointer's type. */
static __always_inline int queued_icmp_error(const struct sock *sk)
{
	struct sk_buff *skb;
	struct sock_exterr_skb *serr;
	__u8 origin;

	if (!BPF_CORE_READ(sk, sk_error_queue.qlen))
		return 0;
	skb = BPF_CORE_READ(sk, sk_error_queue.prev);
	/* the error lives in the skb's control buffer (SKB_EXT_ERR) */
	serr = (struct sock_exterr_skb *)__builtin_preserve_access_index(&skb->cb);
	origin = BPF_CORE_READ(serr, ee.ee_origin);
	if (origin != SO_EE_ORIGIN_ICMP_ && origin != SO_EE_ORIGIN_ICMP6_)
		return 0;
	return (int)BPF_CORE_READ(serr, ee.ee_errno);
}

static __always_inline int on_error_report(const struct sock *sk, bool btf)
{
	struct socktap_sock *o;
	int err;

	if (!cfg_trace || !sk || RD(btf, sk, __sk_common.skc_state) != SOCKTAP_TCP_SYN_SENT)
		return 0;
	o = tracked(sk);
	if (!o)
		return 0;
	err = RD(btf, sk, sk_err);
	if (!err)
		err = RD(btf, sk, sk_err_soft);
	if (!err)
		err = queued_icmp_error(sk);
	if (err)
		o->conn_error = err;
	return 0;
}

SEC("tp_btf/inet_sk_error_report")
int BPF_PROG(stp_err_btf, const struct sock *sk)
{
	return on_error_report(sk, true);
}

SEC("raw_tp/inet_sk_error_report")
int BPF_PROG(stp_err_raw, const struct sock *sk)
{
	return on_error_report(sk, false);
}
