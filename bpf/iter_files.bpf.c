// SPDX-License-Identifier: GPL-2.0
/*
 * The owners of every socket: iter/task_file walks each process's file
 * table once (threads sharing it are skipped by the kernel) and writes a
 * record per socket fd; userspace joins them to the sockets on the inode,
 * as ss -p does with /proc/PID/fd, without a syscall per fd.
 */
#include "base.bpf.h"
#include "file_sock.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("iter/task_file")
int stp_iter_files(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct socktap_iter_file r = {};
	struct socket *sock;

	/*
	 * Every socket's fd: asking its family would take three probe reads,
	 * more than a record userspace drops when no row has its inode. The
	 * helper compares the file's operations, on the line the walk has
	 * just read, where the inode's mode would be a cache miss per file
	 * (and struct inode one type more to relocate, in struct net's slot
	 * of the kernel's cache of CO-RE candidates).
	 */
	if (!task || !file || !(sock = bpf_sock_from_file(file)))
		return 0;
	r.ino = socket_ino(sock);
	file_owner(&r, task, file, ctx->fd);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
