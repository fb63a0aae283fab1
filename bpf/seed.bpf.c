// SPDX-License-Identifier: GPL-2.0
/*
 * Owners of the TCP sockets that existed before socktap started: an
 * iter/task_file program, run once after the hooks are attached, walks
 * every process's file table and records who holds each socket, so their
 * close events are attributed too. Sockets the hooks already track keep
 * their entries (BPF_NOEXIST). The same walk finds the connections queued
 * for accept at start (seed_accept_queue).
 */
#include "accept_late.bpf.h"
#include "file_sock.bpf.h"
#define EEXIST_ 17

/*
 * With the late accept rung (accept_late.bpf.h), connections that were
 * already waiting in an accept queue when socktap started: established
 * (or CLOSE_WAIT), in no socket yet. They are tracked and marked like
 * those that complete later, with no known start. They are found through
 * their listener's queue, read without its lock: a connection accepted
 * meanwhile has a socket (and is left to the hooks), and the walk is
 * bounded (SOCKTAP_SEED_QUEUE_MAX a listener; the rest are counted as
 * lost). iter/tcp would find them too, but on many kernels its walk can
 * free a connection another CPU is still setting up (kbugs.h).
 */

static __always_inline void seed_queued(const struct sock *sk)
{
	int state = BPF_CORE_READ(sk, __sk_common.skc_state);

	if (state != SOCKTAP_TCP_ESTABLISHED && state != SOCKTAP_TCP_CLOSE_WAIT)
		return;
	/* tracked: the state hook saw it complete after all, and knows more */
	if (BPF_CORE_READ(sk, sk_socket) || !pass_sk(sk) || tracked(sk))
		return;
	if (track(sk, sk_cookie_read(sk), SOCKTAP_F_PASSIVE | SOCKTAP_F_PREEXISTING, false))
		return;
	accept_late_mark(sk, false);
}

static __always_inline void seed_accept_queue(const struct sock *listener)
{
	const struct inet_connection_sock *icsk = (const void *)listener;
	struct request_sock *req = BPF_CORE_READ(icsk, icsk_accept_queue.rskq_accept_head);

	int i;

	for (i = 0; i < SOCKTAP_SEED_QUEUE_MAX && req; i++) {
		struct sock *child = BPF_CORE_READ(req, sk);

		if (child)
			seed_queued(child);
		req = BPF_CORE_READ(req, dl_next);
	}
	/* the rest of a longer queue goes untracked: counted, from its length */
	if (req) {
		__u32 queued = BPF_CORE_READ(listener, sk_ack_backlog);

		stat_add(SOCKTAP_STAT_SEED_QUEUE_SKIPPED, queued > (__u32)i ? queued - i : 1);
	}
}

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
	int state;

	if (!task || !file_is_socket(file, true))
		return 0;
	sk = file_sock(file);
	if (!sk)
		return 0;
	family = BPF_CORE_READ(sk, __sk_common.skc_family);
	state = BPF_CORE_READ(sk, __sk_common.skc_state);
	if ((family != AF_INET_ && family != AF_INET6_) ||
	    BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP_ ||
	    state == SOCKTAP_TCP_CLOSE || !pass_sk(sk))
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
	/*
	 * A listener's queue once, at its first fd (a pre-forked server's
	 * processes all hold it): seen again, or listening since socktap
	 * started (the hooks saw its connections), it is in the table.
	 */
	if (cfg_accept_late && state == SOCKTAP_TCP_LISTEN && err != -EEXIST_)
		seed_accept_queue(sk);
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
