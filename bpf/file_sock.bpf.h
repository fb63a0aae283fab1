/* SPDX-License-Identifier: GPL-2.0 */
/*
 * From an open file to the socket behind it: the one step the accept hook
 * (a new fd), the owner seeding of trace and the listing's owner iterator
 * all take.
 */
#ifndef SOCKTAP_FILE_SOCK_BPF_H
#define SOCKTAP_FILE_SOCK_BPF_H

#include "base.bpf.h"

#define S_IFMT_ 00170000
#define S_IFSOCK_ 0140000

/*
 * Is f a socket's file? btf (a constant at each call site): f is a
 * BTF-typed pointer (an iterator's), read with plain loads; else probe
 * reads. The task_file iterator asks this of every open file on the
 * machine, so the loads matter.
 */
#define file_is_socket(f, btf) ((f) && (RD2(btf, f, f_inode, i_mode) & S_IFMT_) == S_IFSOCK_)

/*
 * The struct sock behind a socket's file, or NULL. private_data is a
 * void *: the verifier wants a probe read for it.
 */
static __always_inline const struct sock *file_sock(const struct file *f)
{
	const struct socket *sock = BPF_CORE_READ(f, private_data);

	return BPF_CORE_READ(sock, sk);
}

/*
 * The TCP or UDP socket (family 0: either inet family, else that one)
 * behind a file the task_file iterator passes, or NULL; *proto says which,
 * *sockp the struct socket.
 * bpf_sock_from_file is NULL unless the file is a socket's (it compares the
 * file's operations, on the file's own cache line: cheaper than asking the
 * inode), and BTF-typed, unlike file->private_data: plain loads.
 */
static __always_inline struct sock *file_inet_sock(struct file *file, __u16 family, __u8 *proto,
						   struct socket **sockp)
{
	struct socket *sock = bpf_sock_from_file(file);
	struct sock *sk;
	__u16 f;

	*sockp = sock;
	if (!sock || !(sk = sock->sk))
		return NULL;
	f = sk->__sk_common.skc_family;
	if ((f != AF_INET_ && f != AF_INET6_) || (family && f != family))
		return NULL;
	/* the type too: a raw socket may carry protocol TCP */
	if (sk->sk_protocol == IPPROTO_TCP_ && sk->sk_type == SOCK_STREAM_)
		*proto = IPPROTO_TCP_;
	else if (sk->sk_protocol == IPPROTO_UDP_ && sk->sk_type == SOCK_DGRAM_)
		*proto = IPPROTO_UDP_;
	else
		return NULL;
	return sk;
}

/*
 * sock_i_ino(): the inode allocated with the socket, right behind it in
 * struct socket_alloc. One probe read there beats plain loads through
 * sock->file->f_inode: two more cache lines per socket (measured: 470 against
 * 360 ns per socket with bpf_stats, 50,000 sockets).
 */
static __always_inline __u64 socket_ino(const struct socket *sock)
{
	return sock ? BPF_CORE_READ((const struct socket_alloc *)sock, vfs_inode.i_ino) : 0;
}

#define FMODE_READ_ 0x1
#define FMODE_WRITE_ 0x2

/*
 * The holder of a socket's file, as ss -p and lsof name it: the process
 * (not a worker thread) and the fd; the caller sets the inode. file and
 * task are the task_file iterator's own BTF-typed pointers: plain loads.
 */
static __always_inline void file_owner(struct socktap_iter_file *r, struct task_struct *task,
				       struct file *file, __u32 fd)
{
	r->pid = task->tgid;
	r->fd = fd;
	r->uid = task->cred->euid.val;
	r->f_mode = file->f_mode & (FMODE_READ_ | FMODE_WRITE_);
	__builtin_memcpy(r->comm, task->group_leader->comm, sizeof(r->comm));
}

#endif
