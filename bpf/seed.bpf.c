// SPDX-License-Identifier: GPL-2.0
/*
 * Owners of the TCP sockets that existed before socktap started: an
 * iter/task_file program, run once after the hooks are attached, walks
 * every process's file table and records who holds each socket, so their
 * close events are attributed too. Sockets the hooks already track keep
 * their entries (BPF_NOEXIST).
 */
#include "sock.bpf.h"
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
