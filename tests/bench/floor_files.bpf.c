// SPDX-License-Identifier: GPL-2.0
/*
 * The floor of a listing's owners: an iter/task_file program that does
 * nothing, so that reading it is the kernel's walk of every process's files
 * alone. Built as a light skeleton, the way socktap loads its iterators.
 * Built only for `make bench`.
 */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("iter/task_file")
int floor_files(struct bpf_iter__task_file *ctx)
{
	return 0;
}
