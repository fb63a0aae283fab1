// SPDX-License-Identifier: GPL-2.0
/*
 * top's live counters: iter/task_file walks every process's file table
 * (every network namespace at once, which iter/tcp cannot: it walks the
 * reader's) and writes, per TCP or UDP socket fd, one record: the socket,
 * its holder and its payload bytes so far.
 *
 * TCP bytes are tcp_sock's own counters, read here only when userspace
 * asks: no hook counts TCP per packet or per call, so a bulk transfer pays
 * nothing for being watched. UDP keeps no byte counters; the per-call
 * hooks (udp.bpf.c) count them, and userspace joins on the cookie.
 *
 * This runs for every socket at every refresh: plain loads only, and only
 * the fields top shows.
 */
#include "base.bpf.h"
#include "file_sock.bpf.h"
#include "tcp_bytes.bpf.h"

char LICENSE[] SEC("license") = "GPL";

const volatile __u16 cfg_family = 0; /* AF_INET or AF_INET6; 0: both */
const volatile __u8 cfg_route = 0; /* read the cached route's device (top -i) */

#ifdef SOCKTAP_ITER_TYPED
/*
 * iter_flows_typed.bpf.c builds this file again with typed reads, for
 * kernels that have bpf_rdonly_cast (Linux 6.2+): the loader tries that
 * build first. Its loads are the verifier's inlined, fault-safe ones: no
 * helper call per field, on a path run for every socket at every refresh.
 */
extern void *bpf_rdonly_cast(const void *obj, __u32 btf_id) __ksym;
#endif

/*
 * sk is a full TCP socket (its protocol said so). The verifier may not
 * trust it here (tcp_counts_read), so its tcp_sock is read through a
 * read-only cast where the kernel has one, else with probe reads.
 */
static __always_inline void flow_tcp_bytes(struct socktap_iter_flow *f, const struct sock *sk)
{
	struct tcp_counts c = { .state = f->state };
#ifdef SOCKTAP_ITER_TYPED
	const struct tcp_sock *tp = bpf_rdonly_cast(sk, bpf_core_type_id_kernel(struct tcp_sock));

	tcp_counts_read(&c, tp, true);
#else
	tcp_counts_read(&c, (const struct tcp_sock *)sk, false);
#endif
	f->bytes_sent = tcp_payload_sent(&c);
	f->bytes_received = tcp_payload_received(&c);
}

SEC("iter/task_file")
int stp_iter_flows(struct bpf_iter__task_file *ctx)
{
	struct task_struct *task = ctx->task;
	struct file *file = ctx->file;
	struct socktap_iter_flow f = {};
	struct sock_common *skc;
	struct task_struct *leader;
	struct dst_entry *dst;
	struct socket *sock;
	struct sock *sk;

	if (!task || !file || !(sk = file_inet_sock(file, cfg_family, &f.proto, &sock)))
		return 0;
	skc = &sk->__sk_common;
	f.family = skc->skc_family;
	f.state = skc->skc_state;
	if (f.proto == IPPROTO_TCP_) {
		/* listeners and closed sockets move no bytes */
		if (f.state == SOCKTAP_TCP_LISTEN || f.state == SOCKTAP_TCP_CLOSE)
			return 0;
		flow_tcp_bytes(&f, sk);
	}
	f.sport = skc->skc_num;
	f.dport = bpf_ntohs(skc->skc_dport);
	if (f.family == AF_INET6_) {
		__builtin_memcpy(f.saddr, skc->skc_v6_rcv_saddr.in6_u.u6_addr8, 16);
		__builtin_memcpy(f.daddr, skc->skc_v6_daddr.in6_u.u6_addr8, 16);
	} else {
		*(__u32 *)f.saddr = skc->skc_rcv_saddr;
		*(__u32 *)f.daddr = skc->skc_daddr;
	}
	f.netns = skc->skc_net.net->ns.inum;
	/*
	 * Read, not made: kernels that distrust a socket reached through its
	 * file refuse the helper here. The hooks make one for every
	 * connection they see and the loader for every socket open at start
	 * (loader_seed_owners, seed_cookies); a socket still without one is keyed by its
	 * inode.
	 */
	f.cookie = skc->skc_cookie.counter;
	/* the inode is the key only without a cookie, and a cache line
	 * of its own: an idle socket's is cold at every refresh */
	if (!f.cookie)
		f.ino = file->f_inode->i_ino;
	/* the holder's cgroup, as trace's events name it (and on the task's
	 * cache lines, read again for each of its sockets) */
	f.cgroup = task->cgroups->dfl_cgrp->kn->id;
	f.ifindex = skc->skc_bound_dev_if;
	/* two more cache misses per socket: only when asked for */
	if (cfg_route && (dst = sk->sk_dst_cache) && dst->dev)
		f.ifindex = dst->dev->ifindex;
	leader = task->group_leader;
	f.pid = task->tgid;
	f.uid = task->cred->euid.val;
	f.start_time = leader->start_boottime;
	__builtin_memcpy(f.comm, leader->comm, sizeof(f.comm));
	bpf_seq_write(ctx->meta->seq, &f, sizeof(f));
	return 0;
}
