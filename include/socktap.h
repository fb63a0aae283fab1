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
#define SOCKTAP_ACCEPT_SLOTS 32768 /* passive sockets awaiting their owner (a power of 2) */
#define SOCKTAP_PORT_FILTER_MAX 64
#define SOCKTAP_COMM_LEN 16
#define SOCKTAP_NETDEV_SPLIT_MAX 16384 /* nload's split: (netns, device, socket) rows */

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
#define SOCKTAP_STAT_NETDEV_FULL 6 /* packets not split: netdev_split full */
/* connections queued for accept at start beyond the seed's bound: not tracked */
#define SOCKTAP_STAT_SEED_QUEUE_SKIPPED 7
/* connections the start-up seed reads from each listener's accept queue
 * (the verifier's bound on the walk) */
#define SOCKTAP_SEED_QUEUE_MAX 512
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
 * accept event: the accept itself was not seen (no accept hook); the owner is
 * the first process that sent, received or (with OWNER_SEEN_AT_CLOSE) closed.
 * ts_ns is then when the connection was ready to accept and duration_ns the
 * longest it can have waited.
 */
#define SOCKTAP_F_ACCEPT_UNSEEN 0x200
#define SOCKTAP_F_OWNER_SEEN_AT_CLOSE 0x400

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
	/* the owner process's start, ns since boot (its leader's
	 * start_boottime): with pid, a key no reused pid matches */
	__u64 start_time;
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
	char comm[SOCKTAP_COMM_LEN]; /* the owner's process name (its leader's) */
	__u64 start_time; /* the owner's start, ns since boot; 0 if unknown */
};

/*
 * nload's split of each device's traffic (netdev.bpf.c): the netdev_split
 * per-CPU hash, one entry per (netns, device, socket). Userspace joins the
 * cookie to the socket's owner, and reads, sums and removes idle entries.
 */
#define SOCKTAP_NETDEV_SOCKET 0 /* a socket's packets: cookie and cgroup say whose */
#define SOCKTAP_NETDEV_NO_SOCKET 1 /* egress the kernel sent with no socket (ARP, ND) */
#define SOCKTAP_NETDEV_FORWARDED 2 /* egress with no socket that came in on a device */

struct socktap_netdev_key {
	__u64 cookie; /* the socket's cookie; 0: none, or a socket without one */
	__u64 cgroup; /* the socket's cgroup v2 id; 0 when unknown */
	__u32 netns; /* inode of the device's netns; 0: unknown (userspace finds it) */
	__u32 ifindex; /* the device, in that netns */
	__u8 reason; /* SOCKTAP_NETDEV_* */
	__u8 pad[7]; /* zero */
};

/*
 * Per CPU, host order. Bytes are IP bytes (the IP header and all it
 * carries): the link header, which devices count differently (loopback
 * not at all), is added by userspace. A GSO or GRO packet counts once.
 */
struct socktap_netdev_count {
	__u64 tx_bytes, tx_packets;
	__u64 rx_bytes, rx_packets;
};

/*
 * An entry of the netdev_pending per-CPU array (SOCKTAP_NETDEV_SLOTS, a
 * slot chosen by a hash of the key): a key this CPU counted and what it
 * counted since, not yet in netdev_split, so that a packet costs an array
 * load and a compare, not a hash lookup. Moved into netdev_split when a
 * packet of another key takes the slot; userspace adds what is pending to
 * that key's entry, reading netdev_split first.
 */
#define SOCKTAP_NETDEV_SLOTS_SHIFT 9
#define SOCKTAP_NETDEV_SLOTS (1 << SOCKTAP_NETDEV_SLOTS_SHIFT)
struct socktap_netdev_pending {
	struct socktap_netdev_key key;
	struct socktap_netdev_count c; /* all zero: nothing pending */
};

/*
 * Records of the listing iterators (iter/tcp, iter/udp, iter/unix,
 * iter/task_file), written with bpf_seq_write and read back whole by
 * userspace. Addresses in network byte order (IPv4 in the first 4 bytes),
 * everything else in host order. Times are in jiffies: userspace converts
 * with the kernel's HZ.
 */
#define SOCKTAP_ITER_F_V6ONLY 0x01 /* IPV6_V6ONLY set */
#define SOCKTAP_ITER_F_MEM 0x02 /* a socktap_iter_mem follows the record */
#define SOCKTAP_ITER_F_TCPINFO 0x04 /* then a socktap_iter_tcpinfo */
#define SOCKTAP_ITER_F_MINISOCK 0x08 /* TIME-WAIT or request socket: no file, no options */
#define SOCKTAP_ITER_F_PORT_BOUND 0x10 /* bind() named the local port (SOCK_BINDPORT_LOCK) */

/* Timer kinds (socktap_iter_sock.timer), as inet_diag's idiag_timer. */
#define SOCKTAP_TIMER_OFF 0
#define SOCKTAP_TIMER_ON 1 /* retransmit, loss probe, reordering, SYN-ACK */
#define SOCKTAP_TIMER_KEEPALIVE 2
#define SOCKTAP_TIMER_TIMEWAIT 3
#define SOCKTAP_TIMER_PERSIST 4 /* zero-window probe */

/* One TCP or UDP socket, as sock_diag would describe it. */
struct socktap_iter_sock {
	__u64 cookie; /* socket cookie (ss -e's sk:) */
	__u64 ino; /* inode of the socket's file; 0 when no file holds it */
	__u64 cgroup; /* cgroup v2 id the socket was created in */
	__u8 saddr[16]; /* network order */
	__u8 daddr[16]; /* network order */
	__u32 netns; /* its namespace's inode (iter_held); 0 from iter/tcp, iter/udp: the reader's */
	__u32 uid; /* socket owner (sock_i_uid) */
	__u32 rqueue; /* listeners: accept queue; TCP: unread bytes; UDP: rmem */
	__u32 wqueue; /* listeners: backlog; TCP: unacked + unsent; UDP: wmem */
	__u32 ifindex; /* SO_BINDTODEVICE, 0 if none */
	__u32 mark; /* SO_MARK */
	__u32 timer_jiffies; /* until the pending timer fires, 0 if overdue */
	__u32 timer_retrans; /* retransmits or probes sent under that timer */
	__u16 sport; /* host order */
	__u16 dport; /* host order */
	__u16 family; /* AF_INET or AF_INET6 */
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 state; /* SOCKTAP_TCP_*; NEW_SYN_RECV for request sockets */
	__u8 timer; /* SOCKTAP_TIMER_* */
	__u8 shutdown; /* RCV_SHUTDOWN 1 | SEND_SHUTDOWN 2 */
	__u8 flags; /* SOCKTAP_ITER_F_* */
	__u8 pad[5];
};

/* ss -m: sk_get_meminfo()'s values, in SK_MEMINFO_* order, bytes. */
struct socktap_iter_mem {
	__u32 rmem_alloc, rcvbuf, wmem_alloc, sndbuf, fwd_alloc, wmem_queued, optmem, backlog,
		drops;
	__u32 pad;
};

/* ss -i: the tcp_sock fields tcp_get_info() reads; userspace does its sums. */
struct socktap_iter_tcpinfo {
	__u64 bytes_sent, bytes_retrans, bytes_acked, bytes_received;
	__u64 pacing_rate, max_pacing_rate; /* bytes per second; ~0: unlimited */
	__u64 rate_delivered; /* packets delivered in the last rate sample */
	__u32 rate_interval_us;
	__u32 rto, ato; /* jiffies */
	/* jiffies since the last data sent, received, and ack received */
	__u32 since_send, since_recv, since_ack;
	__u32 srtt_us8; /* srtt_us: the smoothed RTT << 3 */
	__u32 mdev_us4; /* mdev_us: its variation << 2 */
	__u32 min_rtt_us;
	__u32 rcv_rtt_us8; /* rcv_rtt_est.rtt_us << 3 */
	__u32 mss_cache, rcv_mss, advmss, pmtu;
	__u32 snd_cwnd, snd_ssthresh;
	__u32 packets_out, sacked_out, lost_out, retrans_out, total_retrans;
	__u32 reordering, reord_seen;
	__u32 rcv_space, rcv_ssthresh, notsent, snd_wnd, rcv_wnd;
	__u32 segs_out, segs_in, data_segs_out, data_segs_in;
	__u32 delivered, delivered_ce, dsack_dups;
	__u32 chrono_stat[3]; /* jiffies busy, rwnd limited, sndbuf limited */
	__u32 chrono_since; /* jiffies since chrono_start */
	__u8 chrono_type; /* which chrono_stat is running (1-based), 0 none */
	__u8 options; /* TCPI_OPT_* */
	__u8 snd_wscale, rcv_wscale;
	__u8 backoff, ca_state, app_limited, retransmits;
	__u8 probes;
	__u8 has_bbr; /* the bbr_* fields are read (the algorithm is BBR) */
	__u8 pad[6];
	char cong[16]; /* congestion control name */
	/* BBR's own state, as its get_info reports it (ss -i's bbr:(...)) */
	__u32 bbr_bw; /* delivery rate estimate: packets per us << 24 */
	__u32 bbr_min_rtt_us;
	__u32 bbr_pacing_gain; /* << 8 */
	__u32 bbr_cwnd_gain; /* << 8 */
};

/* At most this many waiting connections of a unix listener are named. */
#define SOCKTAP_UNIX_ICONS_MAX 64

/* One unix socket, as unix_diag would describe it. */
struct socktap_iter_unix {
	__u64 cookie;
	__u64 ino;
	__u64 peer_ino; /* the peer's inode, 0 if none */
	__u32 netns; /* 0: the iterator walks the reader's namespace */
	__u32 uid;
	__u32 rqueue; /* listeners: pending connections; else bytes queued */
	__u32 wqueue; /* listeners: backlog; else bytes in flight */
	__u16 type; /* SOCK_STREAM, SOCK_DGRAM, SOCK_SEQPACKET */
	__u8 state; /* SOCKTAP_TCP_ESTABLISHED, _LISTEN or _CLOSE */
	__u8 shutdown;
	__u16 path_len; /* bytes of path used: 0 unbound; path[0] 0 for abstract names */
	__u8 flags; /* SOCKTAP_ITER_F_MEM: a socktap_iter_mem follows */
	__u8 nicons; /* listeners: this many __u64 follow (after the mem), the
		      * inodes of the connections waiting to be accepted */
	char path[108]; /* sun_path, as bound */
	__u32 vfs_dev; /* the bound file's device (kernel dev_t), 0 if none */
	__u64 vfs_ino; /* the bound file's inode, 0 if none */
};

/* A socket file held by a process (iter/task_file). */
struct socktap_iter_file {
	__u64 ino; /* the socket's inode */
	__u32 pid; /* thread-group id */
	__u32 fd;
	__u32 uid; /* the process's effective uid */
	__u32 f_mode; /* FMODE_READ 1 | FMODE_WRITE 2 */
	char comm[SOCKTAP_COMM_LEN]; /* the thread-group leader's name */
};

/*
 * top's view of a TCP or UDP socket held by a process (iter/task_file,
 * iter_flows.bpf.c): only what top shows, as it is read for every socket
 * at every refresh. A socket held by several processes, or by one through
 * several fds, comes once per fd. Addresses in network order, the rest in
 * host order.
 */
struct socktap_iter_flow {
	__u64 cookie;
	__u64 cgroup; /* the holder's cgroup v2 id */
	__u64 start_time; /* the holder's start, ns since boot (leader's start_boottime) */
	__u64 bytes_sent; /* TCP: payload bytes so far (tcp_bytes.bpf.h); UDP: 0 */
	__u64 bytes_received;
	__u64 ino; /* the socket's inode, only while it has no cookie (0 otherwise) */
	__u8 saddr[16];
	__u8 daddr[16];
	__u32 pid; /* the holder's tgid */
	__u32 uid; /* the holder's effective uid */
	__u32 netns; /* inode of the socket's network namespace */
	__u32 ifindex; /* SO_BINDTODEVICE's device, else (if asked) the cached route's, else 0 */
	__u16 sport;
	__u16 dport;
	__u16 family; /* AF_INET or AF_INET6 */
	__u8 proto; /* IPPROTO_TCP or IPPROTO_UDP */
	__u8 state; /* SOCKTAP_TCP_* (UDP: ESTABLISHED connected, CLOSE not) */
	char comm[SOCKTAP_COMM_LEN]; /* the holder's process name (its leader's) */
};

#ifndef __VMLINUX_H__
_Static_assert(sizeof(struct socktap_iter_flow) == 120, "socktap_iter_flow ABI");
_Static_assert(sizeof(struct socktap_state_key) == 8, "socktap_state_key ABI");
_Static_assert(sizeof(struct socktap_netdev_key) == 32, "socktap_netdev_key ABI");
_Static_assert(sizeof(struct socktap_netdev_count) == 32, "socktap_netdev_count ABI");
_Static_assert(sizeof(struct socktap_netdev_pending) == 64, "socktap_netdev_pending ABI");
_Static_assert(sizeof(struct socktap_sock) == 72, "socktap_sock ABI");
_Static_assert(sizeof(struct socktap_event) == 168, "socktap_event ABI");
_Static_assert(sizeof(struct socktap_udp) == 136, "socktap_udp ABI");
_Static_assert(sizeof(struct socktap_iter_sock) == 104, "socktap_iter_sock ABI");
_Static_assert(sizeof(struct socktap_iter_mem) == 40, "socktap_iter_mem ABI");
_Static_assert(sizeof(struct socktap_iter_unix) == 168, "socktap_iter_unix ABI");
_Static_assert(sizeof(struct socktap_iter_file) == 40, "socktap_iter_file ABI");
_Static_assert(sizeof(struct socktap_iter_tcpinfo) % 8 == 0, "socktap_iter_tcpinfo ABI");
#endif

#endif /* SOCKTAP_H */
