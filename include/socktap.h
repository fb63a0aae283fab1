/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one ABI between socktap's BPF programs and its userspace.
 *
 * Fixed-size types only; every field states its byte order. Included by
 * BPF code after vmlinux.h (which defines __VMLINUX_H__ and the __u* types)
 * and by userspace, which takes the types from <linux/types.h>.
 */
#ifndef SOCKTAP_H
#define SOCKTAP_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Bounds of the kernel-side tables. */
#define SOCKTAP_STATE_COUNTS_MAX 4096
#define SOCKTAP_SOCKS_MAX 65536 /* tracked sockets; entries leave at close */
#define SOCKTAP_PORT_FILTER_MAX 64
#define SOCKTAP_COMM_LEN 16

/* TCP states in the kernel's numbering (include/net/tcp_states.h). */
#define SOCKTAP_TCP_ESTABLISHED 1
#define SOCKTAP_TCP_SYN_SENT 2
#define SOCKTAP_TCP_SYN_RECV 3
#define SOCKTAP_TCP_FIN_WAIT1 4
#define SOCKTAP_TCP_FIN_WAIT2 5
#define SOCKTAP_TCP_TIME_WAIT 6
#define SOCKTAP_TCP_CLOSE 7
#define SOCKTAP_TCP_CLOSE_WAIT 8
#define SOCKTAP_TCP_LAST_ACK 9
#define SOCKTAP_TCP_LISTEN 10
#define SOCKTAP_TCP_CLOSING 11
#define SOCKTAP_TCP_NEW_SYN_RECV 12
#define SOCKTAP_TCP_BOUND_INACTIVE 13
#define SOCKTAP_TCP_NSTATES 14

/*
 * Key of the state_counts hash map: TCP state transitions counted per
 * network namespace. Value: __u64 count, updated atomically.
 */
struct socktap_state_key {
	__u32 netns; /* inode number of the socket's netns, host order */
	__u8 oldstate; /* SOCKTAP_TCP_*, host order */
	__u8 newstate; /* SOCKTAP_TCP_* */
	__u16 pad; /* zero */
};

/*
 * Indices of the stats per-CPU array (value: __u64 per CPU, summed by
 * userspace). Counters of work done and of anything lost.
 */
#define SOCKTAP_STAT_TRANSITIONS 0 /* TCP state transitions seen */
#define SOCKTAP_STAT_CONNECTS 1 /* active opens seen by the connect hook */
#define SOCKTAP_STAT_STATE_MAP_FULL 2 /* transitions not counted: state_counts full */
#define SOCKTAP_STAT_RINGBUF_LOST 3 /* events dropped: ring buffer full */
#define SOCKTAP_STAT_SOCKS_FULL 4 /* sockets not tracked: socks map full */
#define SOCKTAP_STAT_ACCEPTS 5 /* passive opens attributed at accept() */
#define SOCKTAP_STAT_MAX 8

/* Event types (socktap_event.type). */
#define SOCKTAP_EV_CONNECT 1 /* active open established */
#define SOCKTAP_EV_ACCEPT 2 /* passive open accepted by a process */
#define SOCKTAP_EV_CLOSE 3 /* established connection closed: lifetime summary */
#define SOCKTAP_EV_CONNECT_FAILED 4 /* active open failed: error holds why */
#define SOCKTAP_EV_RESET 5 /* RST sent or received (flags) */
#define SOCKTAP_EV_RETRANSMIT 6 /* a segment retransmitted */
#define SOCKTAP_EV_LISTEN 7 /* socket entered LISTEN */
#define SOCKTAP_EV_UDP_OPEN 8
#define SOCKTAP_EV_UDP_CLOSE 9
#define SOCKTAP_EV_STATE 10 /* any TCP state transition (--states) */
#define SOCKTAP_EV_MAX 11

/* socktap_event.flags and socktap_sock.flags */
#define SOCKTAP_F_ACTIVE 0x01 /* we connected */
#define SOCKTAP_F_PASSIVE 0x02 /* we accepted */
#define SOCKTAP_F_LOCAL_CLOSED_FIRST 0x04 /* close event: we sent the first FIN */
#define SOCKTAP_F_REMOTE_CLOSED_FIRST 0x08 /* close event: the peer sent the first FIN */
#define SOCKTAP_F_RESET_SENT 0x10
#define SOCKTAP_F_RESET_RECEIVED 0x20
#define SOCKTAP_F_OWNER_KNOWN 0x40 /* pid/comm are the socket's owner's */
#define SOCKTAP_F_CLOSED 0x80 /* reached CLOSE; kept until destroyed for late RSTs */
#define SOCKTAP_F_PREEXISTING 0x100 /* open before socktap started: start unknown */

/*
 * Per-socket state kept in the kernel while a socket lives (socks map,
 * key: the struct sock's address, __u64). Removed when the kernel destroys
 * the socket (tcp:tcp_destroy_sock), so that an RST sent after the CLOSE
 * transition (an abortive close) is still attributed.
 */
struct socktap_sock {
	__u64 start_ns; /* bpf_ktime_get_ns() at connect() or establishment */
	__u64 cookie; /* socket cookie, 0 if it could not be had */
	__u64 cgroup; /* cgroup v2 id of the owner */
	__u32 pid; /* owner's tgid */
	__u32 tid;
	__u32 uid;
	__u32 flags; /* SOCKTAP_F_* */
	char comm[SOCKTAP_COMM_LEN];
	__s32 conn_error; /* errno an ICMP error left while connecting, else 0 */
	__u32 pad; /* zero */
};

/*
 * A UDP socket seen sending or receiving (udp_socks map, key: the socket
 * cookie, __u64). Removed when the socket is released.
 */
struct socktap_udp {
	struct socktap_sock owner; /* who first sent or received on it */
	__u64 bytes_sent; /* payload bytes, updated atomically */
	__u64 bytes_received;
	/* the addresses when first seen: a release hook may not read them */
	__u8 saddr[16]; /* network order */
	__u8 daddr[16]; /* network order */
	__u32 netns;
	__u16 sport; /* host order */
	__u16 dport; /* host order */
	__u16 family;
	__u8 pad[6];
};

/*
 * One event in the events ring buffer. Addresses in network byte order
 * (IPv4 in the first 4 bytes), everything else in host order.
 */
struct socktap_event {
	__u64 ts_ns; /* CLOCK_MONOTONIC (bpf_ktime_get_ns) */
	__u64 cookie; /* socket cookie as ss -e shows it, 0 if not known */
	__u64 cgroup; /* cgroup v2 id */
	__u64 duration_ns; /* close: lifetime; connect: SYN_SENT->ESTABLISHED */
	__u64 bytes_sent; /* close/udp_close: payload bytes sent, each byte once */
	__u64 bytes_received; /* close/udp_close: payload bytes received */
	__u64 bytes_retrans; /* close: payload bytes retransmitted */
	__u32 pid; /* 0 when unknown */
	__u32 tid;
	__u32 uid;
	__u32 netns; /* inode of the socket's network namespace */
	__u32 segs_out;
	__u32 segs_in;
	__u32 retransmits; /* close: total retransmitted segments */
	__u32 srtt_us; /* close/connect: smoothed RTT */
	__s32 error; /* connect_failed: errno (ECONNREFUSED, ETIMEDOUT, ...) */
	__u32 flags; /* SOCKTAP_F_* */
	__u8 saddr[16]; /* local address */
	__u8 daddr[16]; /* remote address */
	__u16 sport; /* local port */
	__u16 dport; /* remote port */
	__u16 family; /* AF_INET or AF_INET6 */
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 type; /* SOCKTAP_EV_* */
	__u8 oldstate; /* SOCKTAP_TCP_*: state event; reset: state at the time */
	__u8 newstate;
	__u8 pad[6];
	char comm[SOCKTAP_COMM_LEN];
};

#ifndef __VMLINUX_H__
_Static_assert(sizeof(struct socktap_state_key) == 8, "socktap_state_key ABI");
_Static_assert(sizeof(struct socktap_sock) == 64, "socktap_sock ABI");
_Static_assert(sizeof(struct socktap_event) == 160, "socktap_event ABI");
_Static_assert(sizeof(struct socktap_udp) == 128, "socktap_udp ABI");
#endif

#endif /* SOCKTAP_H */
