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

#endif
