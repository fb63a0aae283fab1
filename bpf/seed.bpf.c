// SPDX-License-Identifier: GPL-2.0
/*
 * Owners of the TCP sockets that existed before socktap started: an
 * iter/task_file program, run once after the hooks are attached, walks
 * every process's file table and records who holds each socket, so their
 * close events are attributed too. Sockets the hooks already track keep
 * their entries (BPF_NOEXIST).
 */
#include "accept_late.bpf.h"
#include "file_sock.bpf.h"
#define EEXIST_ 17

SEC("iter/task_file")
int stp_seed_owners(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct socktap_sock o = { .flags = SOCKTAP_F_OWNER_KNOWN | SOCKTAP_F_PREEXISTING };
	const struct sock *sk;
	__u16 family;
	__u64 key;
	long err;

	if (!task || !file_is_socket(file, true))
		return 0;
	sk = file_sock(file);
	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	if ((family != AF_INET_ && family != AF_INET6_) ||
	    BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP_ ||
	    BPF_CORE_READ(sk, __sk_common.skc_state) == SOCKTAP_TCP_CLOSE || !pass_sk(sk))
		return 0;
	o.pid = BPF_CORE_READ(task, tgid);
	o.tid = BPF_CORE_READ(task, pid);
	if (cfg_pid && o.pid != cfg_pid)
		return 0;
	o.uid = BPF_CORE_READ(task, cred, uid.val);
	o.cgroup = BPF_CORE_READ(task, cgroups, dfl_cgrp, kn, id);
	owner_process(&o, task);
	o.cookie = sk_cookie_read(sk);
	key = sk_key(sk);
	/* -EEXIST: the state hook saw it first; anything else: the table is full */
	err = bpf_map_update_elem(&socks, &key, &o, BPF_NOEXIST);
	if (err && err != -EEXIST_)
		stat_add(SOCKTAP_STAT_SOCKS_FULL, 1);
	return 0;
}

/*
 * With the late accept rung (accept_late.bpf.h), connections that were
 * already waiting in an accept queue when socktap started: established
 * (or CLOSE_WAIT), in no socket yet. They are tracked and marked like
 * those that complete later, with no known start. iter/tcp walks the
 * namespace of the thread reading it: the loader reads it in each one.
 */
SEC("iter/tcp")
int stp_seed_queued(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;
	struct tcp_sock *tp;
	struct sock *sk;

	if (!skc || !cfg_accept_late)
		return 0;
	if (skc->skc_state != SOCKTAP_TCP_ESTABLISHED && skc->skc_state != SOCKTAP_TCP_CLOSE_WAIT)
		return 0;
	/* a full socket (not TIME_WAIT or a request), never accepted */
	tp = bpf_skc_to_tcp_sock(skc);
	if (!tp)
		return 0;
	sk = (struct sock *)tp;
	/* tracked: the state hook saw it complete after all, and knows more */
	if (sk->sk_socket || !pass_sk(sk) || tracked(sk))
		return 0;
	if (track(sk, bpf_get_socket_cookie(sk), SOCKTAP_F_PASSIVE | SOCKTAP_F_PREEXISTING, false))
		return 0;
	accept_late_mark(sk, true);
	return 0;
}

/*
 * A cookie for every socket open at start, in the namespace of the thread
 * reading (the loader reads them in each one): top's live iterator can
 * only read a socket's cookie, on kernels that distrust a socket reached
 * through its file (iter_flows.bpf.c), and the hooks make one for every
 * connection from here on.
 */
SEC("iter/tcp")
int stp_seed_cookies_tcp(struct bpf_iter__tcp *ctx)
{
	struct sock_common *skc = ctx->sk_common;

	/* one load: 6.1's verifier forgets a NULL test of the field on reloading it */
	if (skc)
		bpf_get_socket_cookie(skc);
	return 0;
}

SEC("iter/udp")
int stp_seed_cookies_udp(struct bpf_iter__udp *ctx)
{
	struct udp_sock *up = ctx->udp_sk;

	if (up)
		bpf_get_socket_cookie(up);
	return 0;
}
