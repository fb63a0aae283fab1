// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "ladder.h"

const struct hook_def hook_defs[HOOK_MAX] = {
	[HOOK_STATE] = {
		.id = HOOK_STATE,
		.name = "state",
		.what = "TCP state transitions",
		.rungs = {
			{ ATTACH_TP_BTF, "inet_sock_set_state", "stp_state_btf", 0 },
			{ ATTACH_RAW_TP, "inet_sock_set_state", "stp_state_raw", 0 },
			{ ATTACH_TRACEPOINT, "sock/inet_sock_set_state", "stp_state_tp", 0 },
		},
		.nrungs = 3,
	},
	[HOOK_CONNECT] = {
		.id = HOOK_CONNECT,
		.name = "connect",
		.what = "active opens (tcp_connect)",
		.rungs = {
			{ ATTACH_FENTRY, "tcp_connect", "stp_conn_fentry", 0 },
			{ ATTACH_KPROBE, "tcp_connect", "stp_conn_kprobe", 0 },
			/* CLOSE->SYN_SENT runs in the connecting process */
			{ ATTACH_TP_BTF, "inet_sock_set_state", NULL, HOOK_STATE },
		},
		.nrungs = 3,
	},
	[HOOK_ACCEPT] = {
		.id = HOOK_ACCEPT,
		.name = "accept",
		.what = "passive opens, in the accepting process",
		.rungs = {
			{ ATTACH_FEXIT, "inet_csk_accept", "stp_acc_fexit", 0 },
			{ ATTACH_KRETPROBE, "inet_csk_accept", "stp_acc_kretprobe", 0 },
			/*
			 * late: the first process to send, receive or close a
			 * marked passive socket owns it (accept_late.bpf.h); the
			 * programs are the UDP bytes hook's tp_btf rung's,
			 * attached once
			 */
			{ ATTACH_TP_BTF, "sock_send_length", "stp_sock_snd_btf", 0,
			  { "stp_sock_rcv_btf" }, { "sock_recv_length" },
			  .limits = "the accept itself is not seen: an accepted connection's owner is "
				    "the first process to send, receive or close on it, and its time "
				    "in the queue is known only as a bound" },
			/* the new fd leads to the socket; accept() has its own tracepoint */
			{ ATTACH_TRACEPOINT, "syscalls/sys_exit_accept4", "stp_acc4_tp", 0, { "stp_acc_tp" },
			  { "syscalls/sys_exit_accept" },
			  .limits = "puts every syscall of every process on the slow path; accepts "
				    "through io_uring or 32-bit compat calls are not seen" },
		},
		.nrungs = 4,
	},
	[HOOK_RESET] = {
		.id = HOOK_RESET,
		.name = "reset",
		.what = "RSTs sent and received",
		.rungs = {
			{ ATTACH_TP_BTF, "tcp_receive_reset", "stp_rrst_btf", 0, { "stp_srst_btf" },
			  { "tcp_send_reset" } },
			{ ATTACH_RAW_TP, "tcp_receive_reset", "stp_rrst_raw", 0, { "stp_srst_raw" },
			  { "tcp_send_reset" } },
			{ ATTACH_TRACEPOINT, "tcp/tcp_receive_reset", "stp_rrst_tp", 0, { "stp_srst_tp" },
			  { "tcp/tcp_send_reset" } },
		},
		.nrungs = 3,
	},
	[HOOK_RETRANSMIT] = {
		.id = HOOK_RETRANSMIT,
		.name = "retransmit",
		.what = "retransmitted segments",
		.rungs = {
			{ ATTACH_TP_BTF, "tcp_retransmit_skb", "stp_rtx_btf", 0 },
			{ ATTACH_RAW_TP, "tcp_retransmit_skb", "stp_rtx_raw", 0 },
			{ ATTACH_TRACEPOINT, "tcp/tcp_retransmit_skb", "stp_rtx_tp", 0 },
		},
		.nrungs = 3,
	},
	[HOOK_DESTROY] = {
		.id = HOOK_DESTROY,
		.name = "destroy",
		.what = "sockets freed: per-socket tracking ends",
		.rungs = {
			{ ATTACH_TP_BTF, "tcp_destroy_sock", "stp_dstr_btf", 0 },
			{ ATTACH_RAW_TP, "tcp_destroy_sock", "stp_dstr_raw", 0 },
			{ ATTACH_TRACEPOINT, "tcp/tcp_destroy_sock", "stp_dstr_tp", 0 },
		},
		.nrungs = 3,
	},
	[HOOK_ERROR] = {
		.id = HOOK_ERROR,
		.name = "error",
		.what = "socket errors reported: why a connect failed",
		.rungs = {
			{ ATTACH_TP_BTF, "inet_sk_error_report", "stp_err_btf", 0 },
			{ ATTACH_RAW_TP, "inet_sk_error_report", "stp_err_raw", 0 },
		},
		.nrungs = 2,
	},
	[HOOK_UDP_BYTES] = {
		.id = HOOK_UDP_BYTES,
		.name = "udp_bytes",
		.what = "UDP payload per socket, in the sending/receiving process",
		.rungs = {
			{ ATTACH_FEXIT, "udp_sendmsg", "stp_udp_snd_fexit", 0,
			  { "stp_udp_rcv_fexit", "stp_udp6_snd_fexit", "stp_udp6_rcv_fexit" },
			  { "udp_recvmsg", "udpv6_sendmsg", "udpv6_recvmsg" } },
			{ ATTACH_TP_BTF, "sock_send_length", "stp_sock_snd_btf", 0,
			  { "stp_sock_rcv_btf" }, { "sock_recv_length" } },
			{ ATTACH_RAW_TP, "sock_send_length", "stp_sock_snd_raw", 0,
			  { "stp_sock_rcv_raw" }, { "sock_recv_length" } },
		},
		.nrungs = 3,
	},
	[HOOK_UDP_CLOSE] = {
		.id = HOOK_UDP_CLOSE,
		.name = "udp_close",
		.what = "UDP sockets released",
		.rungs = {
			{ ATTACH_FENTRY, "udp_destroy_sock", "stp_udp_dstr_fentry", 0,
			  { "stp_udp6_dstr_fentry" }, { "udpv6_destroy_sock" } },
			{ ATTACH_KPROBE, "udp_destroy_sock", "stp_udp_dstr_kprobe", 0,
			  { "stp_udp6_dstr_kprobe" }, { "udpv6_destroy_sock" } },
			/* attached to the cgroup v2 root: every process is below it */
			{ ATTACH_CGROUP_SOCK_RELEASE, "/", "stp_udp_release", 0 },
		},
		.nrungs = 3,
	},
	/*
	 * udp_close's fentry and kprobe runs are skipped when their program
	 * is already running on that CPU (a task preempted inside it): the
	 * socket's udp_close would be lost and its udp_socks entry stay for
	 * good. The cgroup release program runs first (inet_release, before
	 * the destroy) and never skips, so beside them it ends every socket a
	 * process closes; they still end the ones the kernel opened itself,
	 * which it does not see. Where udp_close takes this rung itself, the
	 * program is attached once.
	 */
	[HOOK_UDP_RELEASE] = {
		.id = HOOK_UDP_RELEASE,
		.name = "udp_release",
		.what = "UDP sockets released, beside udp_close: a hook the kernel never skips",
		.rungs = {
			{ ATTACH_CGROUP_SOCK_RELEASE, "/", "stp_udp_release", 0 },
		},
		.nrungs = 1,
	},
	/* The listings load iterators only when they run (sockets_collect), and
	 * fall back to the userspace sources; doctor shows which they take. */
	[HOOK_LIST_TCP] = {
		.id = HOOK_LIST_TCP,
		.name = "list_tcp",
		.what = "TCP sockets for ss, netstat and lsof",
		.rungs = {
			{ ATTACH_ITER, "tcp", "stp_iter_tcp", 0 },
			{ ATTACH_NETLINK, "sock_diag", NULL, 0 },
		},
		.nrungs = 2,
	},
	[HOOK_LIST_UDP] = {
		.id = HOOK_LIST_UDP,
		.name = "list_udp",
		.what = "UDP sockets for ss, netstat and lsof",
		.rungs = {
			{ ATTACH_ITER, "udp", "stp_iter_udp", 0 },
			{ ATTACH_NETLINK, "sock_diag", NULL, 0 },
		},
		.nrungs = 2,
	},
	[HOOK_LIST_UNIX] = {
		.id = HOOK_LIST_UNIX,
		.name = "list_unix",
		.what = "unix sockets for ss and netstat",
		.rungs = {
			{ ATTACH_ITER, "unix", "stp_iter_unix", 0 },
			{ ATTACH_NETLINK, "sock_diag", NULL, 0 },
		},
		.nrungs = 2,
	},
	[HOOK_LIST_OWNERS] = {
		.id = HOOK_LIST_OWNERS,
		.name = "list_owners",
		.what = "processes and fds holding each socket (ss -p, lsof)",
		.rungs = {
			{ ATTACH_ITER, "task_file", "stp_iter_files", 0 },
			{ ATTACH_PROCFS, "PID/fd", NULL, 0 },
		},
		.nrungs = 2,
	},
	[HOOK_LIST_HELD] = {
		.id = HOOK_LIST_HELD,
		.name = "list_held",
		.what = "TCP and UDP sockets processes hold, with their holders, in one walk (lsof)",
		.rungs = {
			/* refused, lsof reads list_tcp, list_udp and list_owners */
			{ ATTACH_ITER, "task_file", "stp_iter_held", 0 },
		},
		.nrungs = 1,
	},
	[HOOK_TOP_BYTES] = {
		.id = HOOK_TOP_BYTES,
		.name = "top_bytes",
		.what = "held sockets with tcp_sock's byte counters, every namespace (top)",
		.rungs = {
			{ ATTACH_ITER, "task_file", "stp_iter_flows", 0 },
		},
		.nrungs = 1,
	},
	/* nload's split (netdev.bpf.c) */
	[HOOK_NETDEV_TX] = {
		.id = HOOK_NETDEV_TX,
		.name = "netdev_tx",
		.what = "packets each device sends, by socket (nload's split)",
		.rungs = {
			{ ATTACH_TP_BTF, "net_dev_start_xmit", "stp_xmit_btf", 0 },
			{ ATTACH_RAW_TP, "net_dev_start_xmit", "stp_xmit_raw", 0 },
			{ ATTACH_TRACEPOINT, "net/net_dev_start_xmit", "stp_xmit_tp", 0 },
		},
		.nrungs = 3,
	},
	[HOOK_NETDEV_RX] = {
		.id = HOOK_NETDEV_RX,
		.name = "netdev_rx",
		.what = "packets each device delivers to a socket, by socket (nload's split)",
		.rungs = {
			{ ATTACH_CGROUP_SKB_INGRESS, "/", "stp_netdev_rx", 0, { 0 }, { 0 },
			  "sees packets delivered to TCP and UDP sockets only; a cgroup whose own "
			  "ingress program forbids others is not seen" },
		},
		.nrungs = 1,
	},
	[HOOK_SOCK_COOKIE] = {
		.id = HOOK_SOCK_COOKIE,
		.name = "sock_cookie",
		.what = "new sockets given their cookie, for the egress split",
		.rungs = {
			{ ATTACH_CGROUP_SOCK_CREATE, "/", "stp_sock_cookie", 0 },
		},
		.nrungs = 1,
	},
};

bool rung_rides(const struct rung *r)
{
	return !r->prog && !attach_kind_userspace(r->kind);
}

const char *attach_kind_sec(enum attach_kind kind)
{
	switch (kind) {
	case ATTACH_FENTRY:
		return "fentry";
	case ATTACH_FEXIT:
		return "fexit";
	case ATTACH_KPROBE:
		return "kprobe";
	case ATTACH_KRETPROBE:
		return "kretprobe";
	case ATTACH_TP_BTF:
		return "tp_btf";
	case ATTACH_RAW_TP:
		return "raw_tp";
	case ATTACH_TRACEPOINT:
		return "tracepoint";
	case ATTACH_CGROUP_SOCK_RELEASE:
		return "cgroup/sock_release";
	case ATTACH_CGROUP_SOCK_CREATE:
		return "cgroup/sock_create";
	case ATTACH_CGROUP_SKB_INGRESS:
		return "cgroup_skb/ingress";
	case ATTACH_ITER:
		return "iter";
	case ATTACH_NETLINK:
		return "netlink";
	case ATTACH_PROCFS:
		return "procfs";
	}
	return "?";
}

void ladder_attach_name(const struct rung *r, char *buf, unsigned long len)
{
	/* a cgroup program's section names no target */
	if (attach_kind_cgroup(r->kind))
		snprintf(buf, len, "%s", attach_kind_sec(r->kind));
	else
		snprintf(buf, len, "%s/%s", attach_kind_sec(r->kind), r->target);
}

static void choose_one(const struct hook_def *def, probe_fn probe, void *ctx,
		       struct hook_choice choice[HOOK_MAX])
{
	struct hook_choice *c = &choice[def->id];

	memset(c, 0, sizeof(*c));
	c->def = def;
	c->rung = -1;
	for (unsigned int i = 0; i < def->nrungs; i++) {
		const struct rung *r = &def->rungs[i];
		struct hook_attempt *a = &c->tried[c->ntried++];

		if (!rung_rides(r)) {
			ladder_attach_name(r, a->attach, sizeof(a->attach));
			probe(ctx, r->kind, r->target, &a->res);
			/* every program of the rung must attach (udpv6_* is
			 * absent when IPv6 is a module not loaded, say) */
			for (unsigned int k = 0; k < LADDER_MAX_PROGS - 1 && !a->res.err; k++) {
				if (!r->more_targets[k])
					continue;
				probe(ctx, r->kind, r->more_targets[k], &a->res);
				if (a->res.err)
					snprintf(a->attach, sizeof(a->attach), "%s/%s",
						 attach_kind_sec(r->kind), r->more_targets[k]);
			}
		} else {
			/* a ride works wherever its carrier does */
			const struct hook_choice *carrier = &choice[r->via];

			snprintf(a->attach, sizeof(a->attach), "%s", carrier->attach);
			a->res.err =
				carrier->rung < 0 ? carrier->tried[carrier->ntried - 1].res.err : 0;
			snprintf(a->res.detail, sizeof(a->res.detail), "rides on the %s hook",
				 carrier->def->name);
		}
		if (a->res.err == 0) {
			c->rung = (int)i;
			snprintf(c->attach, sizeof(c->attach), "%s", a->attach);
			return;
		}
	}
}

int ladder_choose(unsigned int mask, probe_fn probe, void *ctx, struct hook_choice choice[HOOK_MAX])
{
	unsigned int wanted = mask;
	int ret = 0;

	memset(choice, 0, sizeof(choice[0]) * HOOK_MAX);
	for (unsigned int i = 0; i < HOOK_MAX; i++)
		choice[i].rung = -1;
	/* carriers first: every ride's carrier is needed, wanted or not */
	for (unsigned int i = 0; i < HOOK_MAX; i++)
		if (mask & (1u << i))
			for (unsigned int k = 0; k < hook_defs[i].nrungs; k++)
				if (rung_rides(&hook_defs[i].rungs[k]))
					mask |= 1u << hook_defs[i].rungs[k].via;
	for (unsigned int pass = 0; pass < 2; pass++) {
		for (unsigned int i = 0; i < HOOK_MAX; i++) {
			const struct hook_def *def = &hook_defs[i];
			bool rides = false;

			for (unsigned int k = 0; k < def->nrungs; k++)
				rides |= rung_rides(&def->rungs[k]);
			if (!(mask & (1u << i)) || rides != (pass == 1))
				continue;
			choose_one(def, probe, ctx, choice);
			/* a carrier no wanted hook rides on may fail */
			if (choice[i].rung < 0 && (wanted & (1u << i)))
				ret = -1;
		}
	}
	return ret;
}

const char *ladder_prog(const struct hook_choice *c)
{
	if (!c->def || c->rung < 0)
		return NULL;
	return c->def->rungs[c->rung].prog;
}

const char *ladder_prog_n(const struct hook_choice *c, unsigned int k)
{
	if (!c->def || c->rung < 0 || k >= LADDER_MAX_PROGS)
		return NULL;
	return k ? c->def->rungs[c->rung].more[k - 1] : c->def->rungs[c->rung].prog;
}
