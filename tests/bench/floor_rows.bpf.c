// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of lsof's rows: the files walk of floor_files.bpf.c plus the
 * least a row of `lsof -i` must read of each socket, and nothing written.
 * A row shows the socket's tuple, state, protocol and inode (DEVICE), so
 * the least is three cache lines a socket: struct socket's first (->sk),
 * struct sock_common's first (addresses, ports, family, state, and skc_prot,
 * which tells TCP from UDP without struct sock's sk_protocol line) and the
 * inode's i_ino. The values go into one sum so that no load is dropped.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

__u64 sum;

SEC("iter/task_file")
int floor_rows(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct sock_common *skc;
	struct socket *sock;
	struct sock *sk;
	__u64 v;

	if (!task || !file || !(sock = bpf_sock_from_file(file)) || !(sk = sock->sk))
		return 0;
	skc = &sk->__sk_common;
	v = skc->skc_family + skc->skc_state + skc->skc_num + skc->skc_dport;
	v += skc->skc_rcv_saddr + skc->skc_daddr + !!skc->skc_prot;
	v += BPF_CORE_READ((struct socket_alloc *)sock, vfs_inode.i_ino);
	v += task->tgid + ctx->fd;
	sum += v;
	return 0;
}
