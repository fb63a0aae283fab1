// SPDX-License-Identifier: GPL-2.0
/* Refuse BPF program loads like this project's machines do. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>
char LICENSE[] SEC("license") = "GPL";
SEC("lsm/bpf")
int BPF_PROG(deny_load, int cmd, union bpf_attr *attr, unsigned int size)
{
	__u32 type, eat;

	if (cmd != BPF_PROG_LOAD)
		return 0;
	type = BPF_CORE_READ(attr, prog_type);
	eat = BPF_CORE_READ(attr, expected_attach_type);
	if (type == BPF_PROG_TYPE_TRACING &&
	    (eat == BPF_TRACE_FENTRY || eat == BPF_TRACE_FEXIT))
		return -1; /* -EPERM */
#ifdef DENY_KPROBE
	if (type == BPF_PROG_TYPE_KPROBE)
		return -1;
#endif
	return 0;
}
