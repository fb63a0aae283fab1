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

#define FMODE_READ_ 0x1
#define FMODE_WRITE_ 0x2

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
	 * the inode the socket iterators report, read with plain loads */
	r.ino = file->f_inode->i_ino;
	r.pid = task->tgid;
	r.fd = ctx->fd;
	r.uid = task->cred->euid.val;
	r.f_mode = file->f_mode & (FMODE_READ_ | FMODE_WRITE_);
	/* the process's name, not a worker thread's; plain loads (BTF-typed) */
	__builtin_memcpy(r.comm, task->group_leader->comm, sizeof(r.comm));
	bpf_seq_write(ctx->meta->seq, &r, sizeof(r));
	return 0;
}
