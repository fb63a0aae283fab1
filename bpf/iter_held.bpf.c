// SPDX-License-Identifier: GPL-2.0
/*
 * lsof's one walk: iter/task_file visits every process's file table and
 * writes, per TCP or UDP socket fd of one network namespace, the socket's
 * record (socktap_iter_sock) and then its holder's (socktap_iter_file).
 * lsof lists only sockets some process holds, so this replaces reading the
 * TCP and UDP tables (which lock each socket) and joining the owners to
 * them: one walk, no join. A socket held by several fds comes once per fd;
 * userspace keeps one entry and adds an owner per record.
 *
 * The records carry what lsof's text shows: the tuple, the state and the
 * inode. No queues, timers, owner uid, mark or cgroup (each a type more to
 * relocate at every load, or a cache miss per socket): the listings that
 * show them read the socket tables.
 */
#include "iter_sock.bpf.h"

const volatile __u32 cfg_netns = 0; /* the namespace's inode; 0: every one */
const volatile __u8 cfg_protos = 0; /* 1: TCP, 2: UDP; 0: both */

SEC("iter/task_file")
int stp_iter_held(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct seq_file *seq = ctx->meta->seq;
	struct socktap_iter_sock r = {};
	struct socktap_iter_file o = {};
	struct sock_common *skc;
	struct socket *sock;
	struct sock *sk;

	if (!task || !file || !(sk = file_inet_sock(file, cfg_family, &r.proto, &sock)))
		return 0;
	skc = &sk->__sk_common;
	if (cfg_protos && !(cfg_protos & (r.proto == IPPROTO_TCP_ ? 1 : 2)))
		return 0;
	/*
	 * Only what the socket tables hold, as the listings from them: a
	 * socket not yet bound or connected, or closed, is in none (its hash
	 * node is unlinked), and lsof does not take it for an inet one.
	 */
	if (!skc->skc_node.pprev)
		return 0;
	fill_common(&r, skc);
	r.netns = skc->skc_net.net->ns.inum;
	if ((cfg_netns && r.netns != cfg_netns) || !state_wanted(r.state))
		return 0;
	/*
	 * Through socket_alloc (a probe read), not file->f_inode: struct
	 * inode and struct net share a slot of the kernel's cache of CO-RE
	 * candidates, so relocating both would scan vmlinux's BTF for one of
	 * them at every load.
	 */
	r.ino = o.ino = socket_ino(sock);
	file_owner(&o, task, file, ctx->fd);
	bpf_seq_write(seq, &r, sizeof(r));
	bpf_seq_write(seq, &o, sizeof(o));
	return 0;
}
