// SPDX-License-Identifier: GPL-2.0
/*
 * sock_diag replies to socket table rows. Pure: no I/O, no libbpf, no root.
 *
 * The buffer comes from the kernel, a recorded dump or a fuzzer, so every
 * length is checked before it is used, and every struct is copied out with
 * memcpy (the buffer needs no alignment).
 */
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "sockdiag_parse.h"
#include "socktap.h"
#include "util.h"

/* netlink_diag_msg's ndiag_state of a socket connect() aimed (af_netlink.h) */
#define NETLINK_CONNECTED_ 1

/*
 * struct tcp_info as the kernel sends it in INET_DIAG_INFO (linux/tcp.h),
 * up to the last field socktap reads. The installed header may be older
 * than the kernel, so the layout is spelled out here; older kernels send a
 * shorter struct (the missing tail reads as 0), newer ones a longer one.
 */
struct diag_tcp_info {
	uint8_t state, ca_state, retransmits, probes, backoff, options;
	uint8_t snd_wscale : 4, rcv_wscale : 4;
	uint8_t delivery_rate_app_limited : 1, fastopen_client_fail : 2;
	uint32_t rto, ato, snd_mss, rcv_mss;
	uint32_t unacked, sacked, lost, retrans, fackets;
	uint32_t last_data_sent, last_ack_sent, last_data_recv, last_ack_recv;
	uint32_t pmtu, rcv_ssthresh, rtt, rttvar, snd_ssthresh, snd_cwnd, advmss, reordering;
	uint32_t rcv_rtt, rcv_space;
	uint32_t total_retrans;
	uint64_t pacing_rate, max_pacing_rate, bytes_acked, bytes_received;
	uint32_t segs_out, segs_in;
	uint32_t notsent_bytes, min_rtt, data_segs_in, data_segs_out;
	uint64_t delivery_rate;
	uint64_t busy_time, rwnd_limited, sndbuf_limited;
	uint32_t delivered, delivered_ce;
	uint64_t bytes_sent, bytes_retrans;
	uint32_t dsack_dups, reord_seen;
	uint32_t rcv_ooopack;
	uint32_t snd_wnd; /* Linux 5.4 */
	uint32_t rcv_wnd; /* Linux 6.2 */
};

_Static_assert(offsetof(struct diag_tcp_info, rto) == 8, "tcp_info layout");
_Static_assert(offsetof(struct diag_tcp_info, pacing_rate) == 104, "tcp_info layout");
_Static_assert(offsetof(struct diag_tcp_info, delivery_rate) == 160, "tcp_info layout");
_Static_assert(offsetof(struct diag_tcp_info, bytes_sent) == 200, "tcp_info layout");
_Static_assert(offsetof(struct diag_tcp_info, snd_wnd) == 228, "tcp_info layout");
_Static_assert(sizeof(struct diag_tcp_info) == 240, "tcp_info layout");

/* One attribute's payload; data is NULL if the attribute is absent. */
struct attr {
	const uint8_t *data;
	size_t len;
};

static size_t align4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

/*
 * Fills tb[0..max] from the attributes in p[0..len) (the last of a type
 * wins; types above max are ignored). -1 if an attribute is truncated.
 */
static int parse_attrs(const uint8_t *p, size_t len, struct attr *tb, unsigned int max)
{
	memset(tb, 0, (max + 1) * sizeof(*tb));
	while (len > 0) {
		struct rtattr rta;
		unsigned int type;
		size_t step;

		if (len < sizeof(rta))
			return -1;
		memcpy(&rta, p, sizeof(rta));
		if (rta.rta_len < sizeof(rta) || rta.rta_len > len)
			return -1;
		type = rta.rta_type & NLA_TYPE_MASK;
		if (type <= max) {
			tb[type].data = p + sizeof(rta);
			tb[type].len = rta.rta_len - sizeof(rta);
		}
		step = align4(rta.rta_len);
		if (step >= len)
			break;
		p += step;
		len -= step;
	}
	return 0;
}

/* An attribute's first n bytes into v: 0 if absent, 1 if read, -1 if too short. */
static int attr_read(const struct attr *a, void *v, size_t n)
{
	if (!a->data)
		return 0;
	if (a->len < n)
		return -1;
	memcpy(v, a->data, n);
	return 1;
}

static int attr_u8(const struct attr *a, uint8_t *v)
{
	return attr_read(a, v, sizeof(*v));
}

static int attr_u32(const struct attr *a, uint32_t *v)
{
	return attr_read(a, v, sizeof(*v));
}

static int attr_u64(const struct attr *a, uint64_t *v)
{
	return attr_read(a, v, sizeof(*v));
}

/* SK_MEMINFO_* u32s (INET_DIAG_SKMEMINFO, UNIX_DIAG_MEMINFO); older kernels send fewer. */
static int attr_meminfo(const struct attr *a, struct sock_entry *e)
{
	uint32_t m[SK_MEMINFO_VARS] = { 0 };
	size_t n;

	if (!a->data)
		return 0;
	n = a->len / sizeof(uint32_t);
	if (n > SK_MEMINFO_VARS)
		n = SK_MEMINFO_VARS;
	memcpy(m, a->data, n * sizeof(uint32_t));
	e->mem = (struct sock_mem){
		.rmem_alloc = m[SK_MEMINFO_RMEM_ALLOC],
		.rcvbuf = m[SK_MEMINFO_RCVBUF],
		.wmem_alloc = m[SK_MEMINFO_WMEM_ALLOC],
		.sndbuf = m[SK_MEMINFO_SNDBUF],
		.fwd_alloc = m[SK_MEMINFO_FWD_ALLOC],
		.wmem_queued = m[SK_MEMINFO_WMEM_QUEUED],
		.optmem = m[SK_MEMINFO_OPTMEM],
		.backlog = m[SK_MEMINFO_BACKLOG],
		.drops = m[SK_MEMINFO_DROPS],
	};
	e->has_mem = true;
	return 1;
}

static void tcpinfo_fill(struct sock_tcpinfo *o, const struct attr *info)
{
	struct diag_tcp_info i = { 0 };

	memcpy(&i, info->data, info->len < sizeof(i) ? info->len : sizeof(i));
	o->options = i.options;
	o->snd_wscale = i.snd_wscale;
	o->rcv_wscale = i.rcv_wscale;
	o->backoff = i.backoff;
	o->ca_state = i.ca_state;
	o->delivery_rate_app_limited = i.delivery_rate_app_limited;
	o->rto_us = i.rto;
	o->ato_us = i.ato;
	o->rtt_us = i.rtt;
	o->rttvar_us = i.rttvar;
	o->min_rtt_us = i.min_rtt;
	o->rcv_rtt_us = i.rcv_rtt;
	o->snd_mss = i.snd_mss;
	o->rcv_mss = i.rcv_mss;
	o->advmss = i.advmss;
	o->pmtu = i.pmtu;
	o->snd_cwnd = i.snd_cwnd;
	o->snd_ssthresh = i.snd_ssthresh;
	o->unacked = i.unacked;
	o->sacked = i.sacked;
	o->lost = i.lost;
	o->retrans = i.retrans;
	o->total_retrans = i.total_retrans;
	o->reordering = i.reordering;
	o->reord_seen = i.reord_seen;
	o->rcv_space = i.rcv_space;
	o->rcv_ssthresh = i.rcv_ssthresh;
	o->notsent_bytes = i.notsent_bytes;
	o->snd_wnd = i.snd_wnd;
	o->rcv_wnd = i.rcv_wnd;
	o->last_data_sent_ms = i.last_data_sent;
	o->last_data_recv_ms = i.last_data_recv;
	o->last_ack_recv_ms = i.last_ack_recv;
	o->segs_out = i.segs_out;
	o->segs_in = i.segs_in;
	o->data_segs_out = i.data_segs_out;
	o->data_segs_in = i.data_segs_in;
	o->delivered = i.delivered;
	o->delivered_ce = i.delivered_ce;
	o->dsack_dups = i.dsack_dups;
	o->bytes_sent = i.bytes_sent;
	o->bytes_retrans = i.bytes_retrans;
	o->bytes_acked = i.bytes_acked;
	o->bytes_received = i.bytes_received;
	o->pacing_rate = i.pacing_rate;
	o->max_pacing_rate = i.max_pacing_rate;
	o->delivery_rate = i.delivery_rate;
	o->busy_time_us = i.busy_time;
	o->rwnd_limited_us = i.rwnd_limited;
	o->sndbuf_limited_us = i.sndbuf_limited;
}

/* A NUL-terminated copy of a string attribute, cut to fit dst. */
static void attr_str(const struct attr *a, char *dst, size_t size)
{
	size_t n = strnlen((const char *)a->data, a->len);

	if (n >= size)
		n = size - 1;
	memcpy(dst, a->data, n);
	dst[n] = '\0';
}

static bool query_wants(const struct sockets_query *q, enum sock_kind kind, uint16_t family,
			uint8_t state)
{
	if (!q)
		return true;
	if (q->kinds && !(q->kinds & SK_KIND_BIT(kind)))
		return false;
	if (q->states && (state >= 32 || !(q->states & (1u << state))))
		return false;
	/* the family narrows the inet kinds only */
	if (q->family && (family == AF_INET || family == AF_INET6) && family != q->family)
		return false;
	return true;
}

/* One inet_diag_msg: 1 if a row was added, 0 if q skips it, -1 if malformed. */
static int parse_inet(const uint8_t *p, size_t len, enum sock_kind kind,
		      const struct sockets_query *q, uint32_t netns, struct sock_table *t)
{
	struct attr tb[INET_DIAG_MAX + 1];
	struct inet_diag_msg r;
	struct sock_entry row = { 0 }, *e = &row;
	size_t off = align4(sizeof(r));
	uint8_t proto = 0;
	int ret = 0;

	if (len < sizeof(r))
		return -1;
	memcpy(&r, p, sizeof(r));
	if (r.idiag_family != AF_INET && r.idiag_family != AF_INET6)
		return -1;
	if (parse_attrs(p + off, len > off ? len - off : 0, tb, INET_DIAG_MAX) < 0)
		return -1;
	if (tb[INET_DIAG_INFO].data && kind != SK_TCP)
		tb[INET_DIAG_INFO].data = NULL;

	e->kind = kind;
	e->family = r.idiag_family;
	e->state = r.idiag_state;
	e->netns = netns;
	memcpy(e->laddr, r.id.idiag_src, r.idiag_family == AF_INET ? 4 : 16);
	memcpy(e->raddr, r.id.idiag_dst, r.idiag_family == AF_INET ? 4 : 16);
	e->lport = ntohs(r.id.idiag_sport);
	e->rport = ntohs(r.id.idiag_dport);
	e->recv_q = r.idiag_rqueue;
	e->send_q = r.idiag_wqueue;
	e->uid = r.idiag_uid;
	e->inode = r.idiag_inode;
	e->cookie = (uint64_t)r.id.idiag_cookie[1] << 32 | r.id.idiag_cookie[0];
	e->ifindex = r.id.idiag_if;
	e->timer = (enum sock_timer)r.idiag_timer;
	e->timer_expires_ms = r.idiag_expires;
	e->timer_retrans = r.idiag_retrans;

	switch (kind) {
	case SK_TCP:
		e->proto = IPPROTO_TCP;
		break;
	case SK_UDP:
		e->proto = IPPROTO_UDP;
		break;
	default:
		/* a raw socket's local "port" is its protocol */
		e->proto = e->lport <= 255 ? e->lport : 0;
		break;
	}
	if (attr_u8(&tb[INET_DIAG_PROTOCOL], &proto) > 0 && kind == SK_RAW)
		e->proto = proto;

	ret |= attr_u8(&tb[INET_DIAG_SHUTDOWN], &e->shutdown);
	/* the kernel sends TIME-WAIT and request sockets without the attributes
	 * of full ones, of which the shutdown state is always there */
	if (kind == SK_TCP)
		e->minisock = !tb[INET_DIAG_SHUTDOWN].data;
	if (tb[INET_DIAG_SKV6ONLY].data) {
		uint8_t v6only = 0;

		ret |= attr_u8(&tb[INET_DIAG_SKV6ONLY], &v6only);
		e->v6only = v6only != 0;
	}
	ret |= attr_u32(&tb[INET_DIAG_MARK], &e->mark);
	ret |= attr_u64(&tb[INET_DIAG_CGROUP_ID], &e->cgroup);
	attr_meminfo(&tb[INET_DIAG_SKMEMINFO], e);
	if (tb[INET_DIAG_INFO].data) {
		tcpinfo_fill(sock_entry_tcpinfo(e), &tb[INET_DIAG_INFO]);
		e->has_tcpinfo = true;
	}
	if (tb[INET_DIAG_CONG].data)
		attr_str(&tb[INET_DIAG_CONG], sock_entry_tcpinfo(e)->cong, sizeof(e->tcpi->cong));
	/* -1 | anything is -1: one short attribute makes the message malformed */
	if (ret < 0 || !query_wants(q, kind, row.family, row.state)) {
		free(row.tcpi);
		return ret < 0 ? -1 : 0;
	}
	*sock_table_add(t) = row;
	return 1;
}

static int unix_kind(uint8_t type, enum sock_kind *kind)
{
	switch (type) {
	case SOCK_STREAM:
		*kind = SK_UNIX_STREAM;
		return 0;
	case SOCK_DGRAM:
		*kind = SK_UNIX_DGRAM;
		return 0;
	case SOCK_SEQPACKET:
		*kind = SK_UNIX_SEQPACKET;
		return 0;
	}
	return -1;
}

/* A unix socket's name as ss prints it: abstract names start with '@'. */
static char *unix_name(const struct attr *a)
{
	const char *s = (const char *)a->data;
	size_t n = a->len;
	char *name;

	if (!s || n == 0)
		return xstrdup("");
	if (s[0] != '\0')
		n = strnlen(s, n);
	name = xmalloc(n + 1);
	memcpy(name, s, n);
	name[n] = '\0';
	if (s[0] == '\0') {
		/* every NUL of an abstract name shows as '@', as ss does */
		for (size_t i = 0; i < n; i++)
			if (name[i] == '\0')
				name[i] = '@';
	}
	return name;
}

/* One unix_diag_msg: 1 if a row was added, 0 if skipped, -1 if malformed. */
static int parse_unix(const uint8_t *p, size_t len, const struct sockets_query *q, uint32_t netns,
		      struct sock_table *t)
{
	struct attr tb[UNIX_DIAG_MAX + 1];
	struct unix_diag_rqlen rql;
	struct unix_diag_msg r;
	enum sock_kind kind;
	struct sock_entry row = { 0 }, *e = &row;
	size_t off = align4(sizeof(r));
	uint32_t peer = 0;
	int ret = 0;

	if (len < sizeof(r))
		return -1;
	memcpy(&r, p, sizeof(r));
	if (r.udiag_family != AF_UNIX)
		return -1;
	if (parse_attrs(p + off, len > off ? len - off : 0, tb, UNIX_DIAG_MAX) < 0)
		return -1;
	if (tb[UNIX_DIAG_RQLEN].data && tb[UNIX_DIAG_RQLEN].len < sizeof(rql))
		return -1;
	/* a socket type this table has no place for */
	if (unix_kind(r.udiag_type, &kind) < 0)
		return 0;

	e->kind = kind;
	e->family = AF_UNIX;
	e->state = r.udiag_state;
	e->netns = netns;
	e->inode = r.udiag_ino;
	e->cookie = (uint64_t)r.udiag_cookie[1] << 32 | r.udiag_cookie[0];
	if (tb[UNIX_DIAG_RQLEN].data) {
		memcpy(&rql, tb[UNIX_DIAG_RQLEN].data, sizeof(rql));
		e->recv_q = rql.udiag_rqueue;
		e->send_q = rql.udiag_wqueue;
	}
	ret |= attr_u32(&tb[UNIX_DIAG_PEER], &peer);
	e->unix_peer = peer;
	ret |= attr_u8(&tb[UNIX_DIAG_SHUTDOWN], &e->shutdown);
	ret |= attr_u32(&tb[UNIX_DIAG_UID], &e->uid);
	attr_meminfo(&tb[UNIX_DIAG_MEMINFO], e);
	if (ret < 0)
		return -1;
	if (!query_wants(q, kind, AF_UNIX, row.state))
		return 0;
	row.unix_path = unix_name(&tb[UNIX_DIAG_NAME]);
	*sock_table_add(t) = row;
	return 1;
}

/* One netlink_diag_msg: 1 if a row was added, 0 if q skips it, -1 if malformed. */
static int parse_netlink(const uint8_t *p, size_t len, const struct sockets_query *q,
			 uint32_t netns, struct sock_table *t)
{
	struct attr tb[NETLINK_DIAG_MAX + 1];
	struct netlink_diag_msg r;
	struct sock_entry row = { 0 }, *e = &row;
	size_t off = align4(sizeof(r));

	if (len < sizeof(r))
		return -1;
	memcpy(&r, p, sizeof(r));
	if (r.ndiag_family != AF_NETLINK)
		return -1;
	if (parse_attrs(p + off, len > off ? len - off : 0, tb, NETLINK_DIAG_MAX) < 0)
		return -1;

	e->kind = SK_NETLINK;
	e->family = AF_NETLINK;
	e->proto = r.ndiag_protocol;
	/* ss lists every netlink socket as closed (UNCONN) */
	e->state = SOCKTAP_TCP_CLOSE;
	e->netns = netns;
	e->inode = r.ndiag_ino;
	e->cookie = (uint64_t)r.ndiag_cookie[1] << 32 | r.ndiag_cookie[0];
	e->nl_portid = r.ndiag_portid;
	e->nl_connected = r.ndiag_state == NETLINK_CONNECTED_;
	e->nl_dst_portid = r.ndiag_dst_portid;
	e->nl_dst_group = r.ndiag_dst_group;
	if (tb[NETLINK_DIAG_GROUPS].data) {
		/* an array of longs; ss shows the low 32 bits of the first */
		unsigned long g = 0;
		size_t n = tb[NETLINK_DIAG_GROUPS].len;

		memcpy(&g, tb[NETLINK_DIAG_GROUPS].data, n < sizeof(g) ? n : sizeof(g));
		e->nl_groups = (uint32_t)g;
	}
	/* ss's queues are the memory the socket holds */
	if (attr_meminfo(&tb[NETLINK_DIAG_MEMINFO], e) > 0) {
		e->recv_q = e->mem.rmem_alloc;
		e->send_q = e->mem.wmem_alloc;
	}
	if (!query_wants(q, SK_NETLINK, AF_NETLINK, row.state))
		return 0;
	*sock_table_add(t) = row;
	return 1;
}

/* A packet_diag_ring attribute into *ring: 0 if absent, 1 if read, -1 if short. */
static int attr_ring(const struct attr *a, struct sock_packet_ring *ring)
{
	struct packet_diag_ring r;

	if (!a->data)
		return 0;
	if (a->len < sizeof(r))
		return -1;
	memcpy(&r, a->data, sizeof(r));
	*ring = (struct sock_packet_ring){
		.block_size = r.pdr_block_size,
		.block_nr = r.pdr_block_nr,
		.frame_size = r.pdr_frame_size,
		.frame_nr = r.pdr_frame_nr,
		.retire_tmo = r.pdr_retire_tmo,
		.features = r.pdr_features,
	};
	return 1;
}

/* One packet_diag_msg: 1 if a row was added, 0 if q skips it, -1 if malformed. */
static int parse_packet(const uint8_t *p, size_t len, const struct sockets_query *q, uint32_t netns,
			struct sock_table *t)
{
	struct attr tb[PACKET_DIAG_MAX + 1];
	struct packet_diag_msg r;
	struct sock_link_details d = { 0 };
	struct sock_entry row = { 0 }, *e = &row;
	size_t off = align4(sizeof(r));
	int ret = 0, rx, tx;

	if (len < sizeof(r))
		return -1;
	memcpy(&r, p, sizeof(r));
	if (r.pdiag_family != AF_PACKET)
		return -1;
	if (parse_attrs(p + off, len > off ? len - off : 0, tb, PACKET_DIAG_MAX) < 0)
		return -1;

	/* ss calls every type but SOCK_RAW p_dgr (SOCK_DGRAM and the old SOCK_PACKET) */
	e->kind = r.pdiag_type == SOCK_RAW ? SK_PACKET_RAW : SK_PACKET_DGRAM;
	e->family = AF_PACKET;
	e->pkt_proto = r.pdiag_num;
	e->state = SOCKTAP_TCP_CLOSE;
	e->netns = netns;
	e->inode = r.pdiag_ino;
	e->cookie = (uint64_t)r.pdiag_cookie[1] << 32 | r.pdiag_cookie[0];
	if (tb[PACKET_DIAG_INFO].data) {
		struct packet_diag_info i;

		if (tb[PACKET_DIAG_INFO].len < sizeof(i))
			return -1;
		memcpy(&i, tb[PACKET_DIAG_INFO].data, sizeof(i));
		e->ifindex = i.pdi_index;
		d.has_info = true;
		d.version = i.pdi_version;
		d.copy_thresh = i.pdi_copy_thresh;
		d.flags = i.pdi_flags;
	}
	ret |= attr_u32(&tb[PACKET_DIAG_UID], &e->uid);
	rx = attr_ring(&tb[PACKET_DIAG_RX_RING], &d.rx_ring);
	tx = attr_ring(&tb[PACKET_DIAG_TX_RING], &d.tx_ring);
	ret |= rx | tx;
	d.has_rx_ring = rx > 0;
	d.has_tx_ring = tx > 0;
	if (attr_u32(&tb[PACKET_DIAG_FANOUT], &d.fanout) < 0)
		return -1;
	d.has_fanout = tb[PACKET_DIAG_FANOUT].data != NULL;
	/* Recv-Q is the memory the socket holds; ss has no Send-Q for it */
	if (attr_meminfo(&tb[PACKET_DIAG_MEMINFO], e) > 0)
		e->recv_q = e->mem.rmem_alloc;
	if (ret < 0)
		return -1;
	if (!query_wants(q, e->kind, AF_PACKET, row.state))
		return 0;
	if (d.has_info || d.has_rx_ring || d.has_tx_ring || d.has_fanout) {
		row.link = xmalloc(sizeof(*row.link));
		*row.link = d;
	}
	*sock_table_add(t) = row;
	return 1;
}

int sockdiag_parse(const void *buf, size_t len, enum sock_kind kind, const struct sockets_query *q,
		   uint32_t netns, struct sock_table *t)
{
	unsigned int kbit = SK_KIND_BIT(kind);
	const uint8_t *p = buf;
	size_t off = 0, n0 = t->n;
	int rows = 0;

	if ((unsigned int)kind >= SK_KIND_MAX || (!buf && len))
		return -1;
	while (len - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;
		size_t step;
		int r;

		memcpy(&h, p + off, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > len - off)
			goto bad;
		if (h.nlmsg_type == NLMSG_DONE)
			return rows;
		if (h.nlmsg_type == NLMSG_ERROR)
			goto bad;
		/* TCPDIAG_GETSOCK: the replies to sockdiag.c's one-walk TCP dump */
		if (h.nlmsg_type == SOCK_DIAG_BY_FAMILY ||
		    (h.nlmsg_type == TCPDIAG_GETSOCK && kind == SK_TCP)) {
			const uint8_t *m = p + off + NLMSG_HDRLEN;
			size_t mlen = h.nlmsg_len - NLMSG_HDRLEN;

			if (kbit & SK_KINDS_UNIX)
				r = parse_unix(m, mlen, q, netns, t);
			else if (kind == SK_NETLINK)
				r = parse_netlink(m, mlen, q, netns, t);
			else if (kbit & SK_KINDS_PACKET)
				r = parse_packet(m, mlen, q, netns, t);
			else
				r = parse_inet(m, mlen, kind, q, netns, t);
			if (r < 0)
				goto bad;
			rows += r;
		}
		step = align4(h.nlmsg_len);
		if (step >= len - off)
			return rows;
		off += step;
	}
	/* bytes left that cannot hold a header: a truncated message */
	if (off == len)
		return rows;
bad:
	sock_table_truncate(t, n0);
	return -1;
}

/* One line of /proc/net/raw{,6} into *e; -1 if it does not parse. */
static int proc_raw_line(const char *line, int family, struct sock_entry *e)
{
	unsigned int src[4] = { 0 }, dst[4] = { 0 }, sport, dport, state, txq, rxq, uid;
	unsigned long inode;
	int n, end = 0;

	if (family == AF_INET)
		n = sscanf(line, "%*d: %8X:%4X %8X:%4X %2X %8X:%8X %*s %*s %u %*s %lu%n", &src[0],
			   &sport, &dst[0], &dport, &state, &txq, &rxq, &uid, &inode, &end);
	else
		n = sscanf(line,
			   "%*d: %8X%8X%8X%8X:%4X %8X%8X%8X%8X:%4X %2X %8X:%8X %*s %*s %u %*s "
			   "%lu%n",
			   &src[0], &src[1], &src[2], &src[3], &sport, &dst[0], &dst[1], &dst[2],
			   &dst[3], &dport, &state, &txq, &rxq, &uid, &inode, &end);
	if (n != (family == AF_INET ? 9 : 15) || end == 0)
		return -1;
	memset(e, 0, sizeof(*e));
	e->kind = SK_RAW;
	e->family = family;
	/* the kernel prints each __be32 word as a host-order number */
	memcpy(e->laddr, src, family == AF_INET ? 4 : 16);
	memcpy(e->raddr, dst, family == AF_INET ? 4 : 16);
	e->lport = sport;
	e->rport = dport;
	e->proto = sport <= 255 ? sport : 0;
	e->state = state;
	e->send_q = txq;
	e->recv_q = rxq;
	e->uid = uid;
	e->inode = inode;
	return 0;
}

int sockdiag_parse_proc_raw(const char *text, size_t len, int family, const struct sockets_query *q,
			    uint32_t netns, struct sock_table *t)
{
	size_t off = 0, n0 = t->n;
	bool first = true;
	int rows = 0;

	if ((family != AF_INET && family != AF_INET6) || (!text && len))
		return -1;
	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t l = nl ? (size_t)(nl - (text + off)) : len - off;
		struct sock_entry e;
		char line[512];
		size_t i = 0;

		if (l >= sizeof(line))
			goto bad;
		memcpy(line, text + off, l);
		line[l] = '\0';
		off += l + 1;
		while (line[i] == ' ')
			i++;
		if (line[i] == '\0' && l == strlen(line))
			continue; /* an empty line */
		if (first && (line[i] < '0' || line[i] > '9')) {
			first = false;
			continue; /* the header */
		}
		first = false;
		if (proc_raw_line(line, family, &e) < 0)
			goto bad;
		e.netns = netns;
		if (!query_wants(q, SK_RAW, e.family, e.state))
			continue;
		*sock_table_add(t) = e;
		rows++;
	}
	return rows;
bad:
	t->n = n0;
	return -1;
}

/*
 * The next line of text[*off..len) into buf, NUL-terminated and without its
 * newline: 1, 0 at the end of text, -1 if it does not fit.
 */
static int next_line(const char *text, size_t len, size_t *off, char *buf, size_t size)
{
	const char *nl;
	size_t l;

	if (*off >= len)
		return 0;
	nl = memchr(text + *off, '\n', len - *off);
	l = nl ? (size_t)(nl - (text + *off)) : len - *off;
	if (l >= size)
		return -1;
	memcpy(buf, text + *off, l);
	buf[l] = '\0';
	*off += l + 1;
	return 1;
}

/* A line with nothing but blanks (or an embedded NUL before anything else). */
static bool blank_line(const char *line)
{
	return line[strspn(line, " \t")] == '\0';
}

/* The header of /proc/net/netlink and /proc/net/packet: "sk ..." */
static bool proc_sk_header(const char *line)
{
	line += strspn(line, " ");
	return strncmp(line, "sk ", 3) == 0;
}

/* One line of /proc/net/netlink into *e; -1 if it does not parse. */
static int proc_netlink_line(const char *line, struct sock_entry *e)
{
	unsigned long long sk, cb;
	unsigned int proto, portid, groups, rmem, wmem, locks, drops;
	unsigned long inode;
	int n, end = 0;

	/* Eth is the protocol; Dump says whether a dump runs, which ss -e calls cb */
	n = sscanf(line, "%llx %u %u %x %u %u %llx %u %u %lu%n", &sk, &proto, &portid, &groups,
		   &rmem, &wmem, &cb, &locks, &drops, &inode, &end);
	/* every column (Linux 3.x on has ten), and nothing after them */
	if (n != 10 || !blank_line(line + end) || proto > 255)
		return -1;
	memset(e, 0, sizeof(*e));
	e->kind = SK_NETLINK;
	e->family = AF_NETLINK;
	e->proto = (uint8_t)proto;
	e->state = SOCKTAP_TCP_CLOSE;
	e->nl_portid = portid;
	e->nl_groups = groups;
	e->recv_q = rmem;
	e->send_q = wmem;
	e->inode = inode;
	if (sk || cb) {
		e->link = xcalloc(1, sizeof(*e->link));
		e->link->nl_sk = sk;
		e->link->nl_cb = cb;
	}
	return 0;
}

/* One line of /proc/net/packet into *e; -1 if it does not parse. */
static int proc_packet_line(const char *line, struct sock_entry *e)
{
	unsigned long long sk;
	unsigned int type, proto, iface, running, rmem, uid;
	unsigned long inode;
	int refcnt, end = 0;

	if (sscanf(line, "%llx %d %u %x %u %u %u %u %lu%n", &sk, &refcnt, &type, &proto, &iface,
		   &running, &rmem, &uid, &inode, &end) != 9 ||
	    !blank_line(line + end) || proto > 0xffff)
		return -1;
	memset(e, 0, sizeof(*e));
	e->kind = type == SOCK_RAW ? SK_PACKET_RAW : SK_PACKET_DGRAM;
	e->family = AF_PACKET;
	e->pkt_proto = (uint16_t)proto;
	e->ifindex = iface;
	e->state = SOCKTAP_TCP_CLOSE;
	e->recv_q = rmem;
	e->uid = uid;
	e->inode = inode;
	return 0;
}

/*
 * The rows of a /proc/net table of sockets (netlink, packet): a header line
 * first, then one socket a line, which parse_line reads into a row.
 */
static int proc_sk_rows(const char *text, size_t len, const struct sockets_query *q, uint32_t netns,
			struct sock_table *t,
			int (*parse_line)(const char *line, struct sock_entry *e))
{
	size_t off = 0, n0 = t->n;
	bool first = true;
	char line[512];
	int rows = 0, r;

	if (!text && len)
		return -1;
	while ((r = next_line(text, len, &off, line, sizeof(line))) > 0) {
		struct sock_entry e;
		bool header = first && proc_sk_header(line);

		first = false;
		if (header || blank_line(line))
			continue;
		if (parse_line(line, &e) < 0)
			goto bad;
		e.netns = netns;
		if (!query_wants(q, e.kind, e.family, e.state)) {
			free(e.link);
			continue;
		}
		*sock_table_add(t) = e;
		rows++;
	}
	if (r == 0)
		return rows;
bad:
	sock_table_truncate(t, n0);
	return -1;
}

int sockdiag_parse_proc_netlink(const char *text, size_t len, const struct sockets_query *q,
				uint32_t netns, struct sock_table *t)
{
	return proc_sk_rows(text, len, q, netns, t, proc_netlink_line);
}

int sockdiag_parse_proc_packet(const char *text, size_t len, const struct sockets_query *q,
			       uint32_t netns, struct sock_table *t)
{
	return proc_sk_rows(text, len, q, netns, t, proc_packet_line);
}
