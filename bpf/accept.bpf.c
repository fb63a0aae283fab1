// SPDX-License-Identifier: GPL-2.0
/*
 * The accept hook: attributes a passive open to the process that accepted
 * it, not to whatever ran in softirq when the handshake completed. Rungs:
 * fexit and kretprobe on inet_csk_accept(), else the accept()/accept4()
 * syscall exit tracepoints, which find the socket from the new fd.
 */
#include "sock.bpf.h"
#include "file_sock.bpf.h"

static __always_inline int on_accept(const struct sock *sk)
{
	struct socktap_sock *o;
	struct socktap_event *e;
	__u16 family;

	if (!sk)
		return 0;
	/* a tracked socket is TCP over IP: the state hook saw it */
	o = cfg_trace ? tracked(sk) : NULL;
	if (!o) {
		family = BPF_CORE_READ(sk, __sk_common.skc_family);
		if ((family != AF_INET_ && family != AF_INET6_) ||
		    BPF_CORE_READ_BITFIELD_PROBED(sk, sk_protocol) != IPPROTO_TCP_)
			return 0;
	}
	stat_add(SOCKTAP_STAT_ACCEPTS, 1);
	if (!cfg_trace)
		return 0;
	if (o) {
		owner_current(o);
		if (cfg_pid && o->pid != cfg_pid) {
			untrack(sk);
			return 0;
		}
	} else {
		/* established before socktap started (or the table was full
		 * then): when it was, and its time in the queue, are unknown */
		if (!pass_sk(sk))
			return 0;
		if (track(sk, sk_cookie_read(sk), SOCKTAP_F_PASSIVE | SOCKTAP_F_PREEXISTING,
			  true) ||
		    !(o = tracked(sk)))
			return 0;
	}
	e = ev_new(SOCKTAP_EV_ACCEPT, sk, false, o->cookie, o);
	if (!e)
		return 0;
	/* time spent in the accept queue (unknown if PREEXISTING) */
	e->duration_ns = e->ts_ns - o->start_ns;
	e->newstate = BPF_CORE_READ(sk, __sk_common.skc_state);
	ev_submit(e);
	return 0;
}

/* The socket behind the current task's file descriptor fd. */
static __always_inline const struct sock *sk_from_fd(long fd)
{
	/* BTF-typed: the walk to the fd array is plain loads, not probe reads */
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = task->files->fdt;
	struct file *f = NULL;

	if (fd < 0 || fd >= fdt->max_fds)
		return NULL;
	/* a variable index: the verifier wants a probe read */
	bpf_probe_read_kernel(&f, sizeof(f), &fdt->fd[fd]);
	return file_is_socket(f, false) ? file_sock(f) : NULL;
}

SEC("fexit/inet_csk_accept")
int stp_acc_fexit(__u64 *ctx)
{
	__u64 ret = 0;

	/* the return value's position changed in 6.10: ask for it */
	bpf_get_func_ret(ctx, &ret);
	return on_accept((const struct sock *)ret);
}

SEC("kretprobe/inet_csk_accept")
int BPF_KRETPROBE(stp_acc_kretprobe, struct sock *newsk)
{
	return on_accept(newsk);
}

SEC("tracepoint/syscalls/sys_exit_accept4")
int stp_acc4_tp(struct trace_event_raw_sys_exit *ctx)
{
	/* failed calls (EAGAIN on non-blocking listeners) leave at once */
	return ctx->ret < 0 ? 0 : on_accept(sk_from_fd(ctx->ret));
}

SEC("tracepoint/syscalls/sys_exit_accept")
int stp_acc_tp(struct trace_event_raw_sys_exit *ctx)
{
	return ctx->ret < 0 ? 0 : on_accept(sk_from_fd(ctx->ret));
}
