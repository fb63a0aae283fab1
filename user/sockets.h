/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The socket table every listing view reads (ss, netstat, lsof; top and
 * export later): one entry per socket, with every process and fd holding
 * it. Filled from the BPF iterators (sockets_read) or, where a kernel lacks
 * them, from sock_diag netlink and a /proc fd scan (sockdiag.h, procfd.h);
 * both fill the same structs, so views and filters never know which.
 *
 * Plain data: no libbpf, no root. Addresses are in network byte order
 * (IPv4 in the first 4 bytes), everything else in host order.
 */
#ifndef SOCKTAP_SOCKETS_H
#define SOCKTAP_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The table a socket belongs to, in the order ss prints tables. */
enum sock_kind {
	SK_NETLINK, /* "nl" */
	SK_PACKET_RAW, /* "p_raw" */
	SK_PACKET_DGRAM, /* "p_dgr" (and the old SOCK_PACKET type, as ss names it) */
	SK_UNIX_STREAM, /* "u_str" */
	SK_UNIX_DGRAM, /* "u_dgr" */
	SK_UNIX_SEQPACKET, /* "u_seq" */
	SK_RAW, /* "raw" */
	SK_UDP, /* "udp" */
	SK_TCP, /* "tcp" */
	SK_KIND_MAX,
};

#define SK_KIND_BIT(k) (1u << (k))
#define SK_KINDS_UNIX                                                                              \
	(SK_KIND_BIT(SK_UNIX_STREAM) | SK_KIND_BIT(SK_UNIX_DGRAM) | SK_KIND_BIT(SK_UNIX_SEQPACKET))
#define SK_KINDS_INET (SK_KIND_BIT(SK_RAW) | SK_KIND_BIT(SK_UDP) | SK_KIND_BIT(SK_TCP))
#define SK_KINDS_PACKET (SK_KIND_BIT(SK_PACKET_RAW) | SK_KIND_BIT(SK_PACKET_DGRAM))
/* The kinds no BPF iterator walks: always read from sock_diag (or /proc). */
#define SK_KINDS_DIAG_ONLY (SK_KIND_BIT(SK_RAW) | SK_KIND_BIT(SK_NETLINK) | SK_KINDS_PACKET)

/* A process holding a socket through one of its file descriptors. */
struct sock_owner {
	uint32_t pid; /* thread-group id */
	int32_t fd;
	uint32_t uid; /* the process's real uid (lsof's USER) */
	uint32_t f_mode; /* file mode bits: 1 read, 2 write (lsof's FD mode) */
	char comm[16]; /* the thread-group leader's name, NUL-terminated */
};

/* Timer kinds, as ss -o names them (inet_diag's idiag_timer). */
enum sock_timer {
	SKT_OFF = 0,
	SKT_ON = 1, /* retransmit, loss probe, SYN-ACK */
	SKT_KEEPALIVE = 2,
	SKT_TIMEWAIT = 3,
	SKT_PERSIST = 4, /* zero-window probe */
	SKT_DELACK = 5, /* not reported by the kernel's sock_diag either */
};

/* ss -m: the socket's memory (SK_MEMINFO_*), bytes. */
struct sock_mem {
	uint32_t rmem_alloc, rcvbuf, wmem_alloc, sndbuf, fwd_alloc, wmem_queued, optmem, backlog,
		drops;
};

/* ss -i: TCP internals, as tcp_get_info() computes them (units in names). */
struct sock_tcpinfo {
	uint8_t options; /* TCPI_OPT_* bits (ts 1, sack 2, wscale 4, ecn 8, ecnseen 16, syn_data 32)
			  */
	uint8_t snd_wscale, rcv_wscale;
	uint8_t backoff;
	uint8_t ca_state;
	uint8_t delivery_rate_app_limited;
	char cong[16]; /* congestion control algorithm */
	uint32_t rto_us, ato_us;
	uint32_t rtt_us, rttvar_us, min_rtt_us, rcv_rtt_us;
	uint32_t snd_mss, rcv_mss, advmss, pmtu;
	uint32_t snd_cwnd, snd_ssthresh;
	uint32_t unacked, sacked, lost, retrans, total_retrans, reordering, reord_seen;
	uint32_t rcv_space, rcv_ssthresh, notsent_bytes, snd_wnd, rcv_wnd;
	uint32_t last_data_sent_ms, last_data_recv_ms, last_ack_recv_ms;
	uint32_t segs_out, segs_in, data_segs_out, data_segs_in, delivered, delivered_ce,
		dsack_dups;
	uint64_t bytes_sent, bytes_retrans, bytes_acked, bytes_received;
	uint64_t pacing_rate, max_pacing_rate, delivery_rate; /* bytes per second */
	uint64_t busy_time_us, rwnd_limited_us, sndbuf_limited_us;
	/* the congestion control's own state, when it is BBR */
	bool has_bbr;
	uint64_t bbr_bw; /* bytes per second */
	uint32_t bbr_min_rtt_us, bbr_pacing_gain, bbr_cwnd_gain; /* gains << 8 */
};

/* A packet socket's ring (PACKET_RX_RING, PACKET_TX_RING), as packet_diag_ring. */
struct sock_packet_ring {
	uint32_t block_size, block_nr, frame_size, frame_nr, retire_tmo, features;
};

/* What ss -e shows of netlink and packet sockets beyond the common fields. */
struct sock_link_details {
	/* netlink: the sk and dump words of /proc/net/netlink (sock_diag has neither: 0) */
	uint64_t nl_sk, nl_cb;
	/* packet: PACKET_DIAG_INFO, the rings and the fanout, each when the kernel sent it */
	bool has_info, has_rx_ring, has_tx_ring, has_fanout;
	uint32_t version, copy_thresh, flags; /* flags: PDI_* */
	struct sock_packet_ring rx_ring, tx_ring;
	uint32_t fanout; /* id in the low 16 bits, PACKET_FANOUT_* type in the high */
};

struct sock_entry {
	enum sock_kind kind;
	uint16_t family; /* AF_INET, AF_INET6, AF_UNIX, AF_NETLINK, AF_PACKET */
	/* IPPROTO_TCP, IPPROTO_UDP, the raw protocol; the netlink protocol
	 * (NETLINK_ROUTE, ...); 0 for unix and packet (see pkt_proto) */
	uint8_t proto;
	/* SOCKTAP_TCP_* numbering (UDP, raw and unix use it too); netlink and
	 * packet sockets are always CLOSE, as ss lists them */
	uint8_t state;
	uint8_t shutdown; /* bit 0: no more receives, bit 1: no more sends (RCV/SEND_SHUTDOWN) */
	bool v6only;
	bool minisock; /* TIME-WAIT or SYN-RECV request: no options, no shutdown state */
	bool bind_known; /* port_bound was read (the iterators know it, sock_diag does not) */
	bool port_bound; /* bind() named the local port: not autobound */
	uint32_t netns; /* inode of the socket's network namespace */
	uint8_t laddr[16], raddr[16];
	uint16_t lport, rport;
	uint32_t recv_q, send_q; /* as ss: for listeners the accept queue and backlog */
	uint32_t uid; /* the socket's owner uid (sock_i_uid) */
	uint64_t inode; /* 0 for sockets no file holds (TIME-WAIT, SYN-RECV) */
	uint64_t cookie;
	uint32_t ifindex; /* SO_BINDTODEVICE, 0 if none; a packet socket's bound device */
	uint32_t mark; /* SO_MARK */
	uint64_t cgroup; /* cgroup v2 id the socket was created in, 0 if unknown */
	/* ss -o */
	enum sock_timer timer;
	uint32_t timer_expires_ms;
	uint32_t timer_retrans;
	/* unix sockets: the bound path ("" if none; abstract names start with '@') and
	 * the peer's inode (0 if none) */
	char *unix_path;
	uint64_t unix_peer;
	uint64_t unix_vfs_ino; /* the file a bound socket made, 0 if none */
	uint32_t unix_vfs_dev; /* its device, the kernel's dev_t */
	uint64_t *unix_icons; /* a listener's waiting connections' inodes */
	size_t unix_nicons;
	bool has_icons; /* unix_icons was read (listeners) */
	/* netlink sockets: the port id (0: the kernel's own socket), where
	 * connect() aims (when nl_connected) and the first 32 groups joined */
	uint32_t nl_portid, nl_dst_portid, nl_dst_group, nl_groups;
	bool nl_connected;
	uint16_t pkt_proto; /* packet sockets: the ethertype (ETH_P_*, host order) */
	struct sock_link_details *link; /* netlink and packet sockets' extras, or NULL */
	/* optional parts: has_* says whether they were read */
	bool has_mem, has_tcpinfo;
	struct sock_mem mem;
	/* with has_tcpinfo (else NULL, or the congestion control's name
	 * alone); made by sock_entry_tcpinfo, freed with the table */
	struct sock_tcpinfo *tcpi;
	/* every process and fd holding the socket, by ascending pid, then fd;
	 * in the table's owner blocks (sock_entry_add_owner), not its own */
	struct sock_owner *owners;
	size_t nowners;
};

struct sock_owner_block;

struct sock_table {
	struct sock_entry *v;
	size_t n, cap;
	/* where the entries' owners live: freed with the table, not one by
	 * one (a listing adds one to each of tens of thousands of entries) */
	struct sock_owner_block *owner_blocks;
	/*
	 * Work on the entries while the table is still being read (the
	 * owners' join, sockets_collect.c): sock_table_add calls settle every
	 * SOCK_TABLE_SETTLE_EVERY entries with t->n - 1 entries complete (the
	 * newest is being filled); settled is how many it has taken, which a
	 * truncation lowers. NULL: none.
	 */
	void (*settle)(void *arg, struct sock_table *t);
	void *settle_arg;
	size_t settled;
};

#define SOCK_TABLE_SETTLE_EVERY 256

/* The vocabulary's "proto" of a kind: "tcp", "udp", "raw", "unix", "netlink", "packet". */
const char *sock_kind_proto(enum sock_kind k);

/* Room for n more entries, so a known count grows the table once. */
void sock_table_reserve(struct sock_table *t, size_t n);
/* A new zeroed entry at the end of t (pointers inside t move when it grows). */
struct sock_entry *sock_table_add(struct sock_table *t);
/* e's TCP info, made (zeroed) on first use: most listings have none. */
struct sock_tcpinfo *sock_entry_tcpinfo(struct sock_entry *e);
/* Appends an owner to e, an entry of t, keeping owners ordered by pid, then fd. */
void sock_entry_add_owner(struct sock_table *t, struct sock_entry *e, const struct sock_owner *o);
/* Frees what rows n.. own and drops them. */
void sock_table_truncate(struct sock_table *t, size_t n);
void sock_table_free(struct sock_table *t);

/*
 * The slot of inode ino in an open-addressed table of keys (mask + 1 of
 * them, 0 an empty slot, never full): where it is, or the empty slot where
 * it goes. Both tables that find things by inode probe through it.
 */
static inline size_t sock_inode_slot(const uint64_t *keys, size_t mask, uint64_t ino)
{
	/* inodes are dense and sequential: mixed over the slots */
	size_t h = (size_t)((ino * 0x9e3779b97f4a7c15ull) >> 17) & mask;

	while (keys[h] && keys[h] != ino)
		h = (h + 1) & mask;
	return h;
}

/* Entries by inode, to join owners (found by inode) to their sockets. */
struct sock_index {
	uint64_t *keys; /* inode, 0: empty slot */
	size_t *idx; /* index into the table */
	size_t mask;
	size_t used; /* slots taken */
};

/* Indexes the entries of t with an inode (t must not grow meanwhile). */
void sock_index_build(struct sock_index *ix, const struct sock_table *t);
/* An empty index with room for n entries. */
void sock_index_init(struct sock_index *ix, size_t n);
/* Adds entry i of t under its inode (none: not added); grows past n as needed. */
void sock_index_put(struct sock_index *ix, const struct sock_table *t, size_t i);
/* The entry of t with inode ino, or NULL. */
struct sock_entry *sock_index_find(const struct sock_index *ix, struct sock_table *t, uint64_t ino);
void sock_index_free(struct sock_index *ix);

/* What a listing asks of the kernel: the filters here are applied at the source. */
struct sockets_query {
	unsigned int kinds; /* SK_KIND_BIT() mask */
	uint32_t states; /* 1 << SOCKTAP_TCP_* mask of states to keep; 0: all */
	uint16_t family; /* AF_INET or AF_INET6 for the inet kinds; 0: both */
	bool owners; /* fill owners (ss -p, netstat -p, lsof) */
	bool mem; /* fill mem (ss -m) */
	bool tcpinfo; /* fill tcpi (ss -i) */
	bool cgroup; /* fill cgroup (ss -e, --cgroup, a cgroup filter, JSON); else it may be 0 */
	bool bind; /* fill port_bound (an autobound filter); the iterators always do */
	bool all_netns; /* every network namespace socktap can reach; else the caller's */
	/* only sockets some process holds, with owners (lsof): where the
	 * kernel takes it, one walk of the file tables serves, and the
	 * entries carry no queues, timers or cookies not made before */
	bool held_only;
	const char *cmd; /* the command asking: its privilege rows (privilege.c) */
};

/* SOCKTAP_LISTING_SOURCE=netlink: sock_diag and /proc, never the iterators. */
bool sockets_forced_fallback(void);

/* Where a listing's time went, for benchmarks (SOCKTAP_TIMING=1). */
struct sockets_timing {
	double load_ms; /* opening and loading the iterators */
	double iterate_ms; /* reading and decoding the socket tables */
	double owners_ms; /* reading the owners and joining them */
};

extern struct sockets_timing sockets_timing;

/*
 * With -v: where the last listing's rows came from when not from the
 * iterators, and the tables it went on without, one line each on stderr.
 */
void sockets_report_source(void);

/* With SOCKTAP_TIMING=1 in the environment, one line on stderr with the split. */
void sockets_print_timing(double print_ms);

/* Monotonic milliseconds, for timings. */
double sockets_now_ms(void);

/*
 * Reads the sockets q asks for into t (which it empties first). 0, or -1
 * with one line in err. Implemented in sockets_collect.c (needs root).
 */
int sockets_collect(const struct sockets_query *q, struct sock_table *t, char *err, size_t errlen);

/*
 * The same, for a view that lists again and again (export): the iterators
 * are loaded once, at open (NULL: out of memory; a kernel without them
 * falls back as sockets_collect does), and read at each collect.
 */
struct sockets_src;
struct sockets_src *sockets_src_open(const struct sockets_query *q);
int sockets_src_collect(struct sockets_src *S, struct sock_table *t, char *err, size_t errlen);
/*
 * Only the TCP sockets' count by state (SOCKTAP_TCP_NSTATES counts), per
 * namespace: cb once per namespace (or, on the fallback, per socket),
 * nothing decoded that the counts do not need; with here, the calling
 * thread's namespace only (a caller walking the namespaces itself). 0, or
 * -1 with err.
 */
int sockets_src_tcp_states(struct sockets_src *S, bool here,
			   void (*cb)(uint32_t netns, const uint64_t *counts, void *ctx), void *ctx,
			   char *err, size_t errlen);
void sockets_src_close(struct sockets_src *S);

#endif
