// SPDX-License-Identifier: GPL-2.0
/*
 * The per-call send and receive tracepoints, sock:sock_send_length and
 * sock:sock_recv_length, which run for every socket call in the calling
 * process. One program per tracepoint serves two hooks: the UDP bytes
 * hook (udp.bpf.h; a rung below fexit) and, on the tp_btf rung, the accept
 * hook's late rung (accept_late.bpf.h). The loader attaches each once.
 */
#include "udp.bpf.h"
#include "accept_late.bpf.h"

SEC("tp_btf/sock_send_length")
int BPF_PROG(stp_sock_snd_btf, struct sock *sk, int ret, int flags)
{
	accept_late_claim(sk, true);
	/* most sockets are not UDP: leave before the cookie helper */
	if (!cfg_udp || ret <= 0 || !is_inet_udp_btf(sk))
		return 0;
	return on_udp_bytes(sk, bpf_get_socket_cookie(sk), ret, true, true);
}

SEC("tp_btf/sock_recv_length")
int BPF_PROG(stp_sock_rcv_btf, struct sock *sk, int ret, int flags)
{
	/* a peek or an error-queue read is still the holder's */
	accept_late_claim(sk, true);
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
