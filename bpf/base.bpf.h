/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Includes and read helpers every socktap BPF object shares: the tracing
 * programs (common.bpf.h adds their maps) and the listing iterators, which
 * have no maps and are built into an object of their own.
 */
#ifndef SOCKTAP_BASE_BPF_H
#define SOCKTAP_BASE_BPF_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_tracing.h>
#include "socktap.h"

#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define AF_UNIX_ 1
#define AF_INET_ 2
#define AF_INET6_ 10
#define SOCK_STREAM_ 1
#define SOCK_DGRAM_ 2

/*
 * Reads through a kernel pointer, CO-RE relocated either way: a plain load
 * when the pointer is BTF-typed (tp_btf, fentry: btf is the constant true
 * and the probe-read branch is compiled out), a probe read when it is a
 * scalar (raw_tp, kprobe, classic tracepoint). Loads are the cheaper.
 */
#define RD(btf, p, a) ((btf) ? (p)->a : BPF_CORE_READ(p, a))
#define RD2(btf, p, a, b) ((btf) ? (p)->a->b : BPF_CORE_READ(p, a, b))

/* Inode number of the socket's network namespace. */
#define sk_netns(sk, btf) RD2(btf, sk, __sk_common.skc_net.net, ns.inum)

#endif
