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

	/* every socket's fd: asking its family would take three probe reads,
	 * more than a record userspace drops when no row has its inode */
	if (!task || !file_is_socket(file, true))
		return 0;
	/* a socket's file is made on the socket's own inode (sock_alloc_file):
	 * the inode the socket iterators report */
	r.ino = file->f_inode->i_ino;
	file_owner(&r, task, file, ctx->fd);
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
