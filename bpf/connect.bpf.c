// SPDX-License-Identifier: GPL-2.0
/*
 * The connect hook on its two better rungs, fentry and kprobe on
 * tcp_connect(), which run in the connecting process. Where the kernel
 * offers neither, the state hook stands in (see state.bpf.c).
 */
#include "sock.bpf.h"

static __always_inline int on_connect(const struct sock *sk, bool btf)
{
	stat_add(SOCKTAP_STAT_CONNECTS, 1);
	if (cfg_trace && pass_sk(sk))
		track(sk, sk_cookie(sk, btf), SOCKTAP_F_ACTIVE, true);
	return 0;
}

SEC("fentry/tcp_connect")
int BPF_PROG(stp_conn_fentry, struct sock *sk)
{
	return on_connect(sk, true);
}

SEC("kprobe/tcp_connect")
int BPF_KPROBE(stp_conn_kprobe, struct sock *sk)
{
	return on_connect(sk, false);
}
