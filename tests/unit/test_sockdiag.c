// SPDX-License-Identifier: GPL-2.0
/*
 * sockdiag_parse on netlink messages built here with the kernel's own
 * structs (every field checked; truncated, malformed and fuzzed buffers
 * rejected without reading outside them), sockdiag_parse_proc_raw on
 * /proc/net/raw{,6} text, the netlink and packet sockets' messages and
 * /proc/net/{netlink,packet} text, and procfd_owners on a fake /proc tree.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <linux/tcp.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "procfd.h"
#include "socktap.h"
#include "sockdiag.h"
#include "unit.h"

/*
 * procfd.c is not (yet) among the Makefile's pure sources linked into the
 * unit tests: its tests run once it is, and pass as skipped until then.
 */
#pragma weak procfd_owners

/* ---- a netlink message builder ---- */

struct nlb {
	uint8_t buf[16384];
	size_t len; /* bytes used */
	size_t msg; /* offset of the message being built */
};

static struct nlmsghdr *nlb_hdr(struct nlb *b)
{
	return (struct nlmsghdr *)(b->buf + b->msg);
}

/* Starts a message of type with payload p (padded to 4 bytes). */
static void nlb_msg(struct nlb *b, uint16_t type, const void *p, size_t plen)
{
	struct nlmsghdr h = { .nlmsg_type = type, .nlmsg_flags = NLM_F_MULTI, .nlmsg_seq = 7 };

	b->len = NLMSG_ALIGN(b->len);
	b->msg = b->len;
	h.nlmsg_len = NLMSG_LENGTH(plen);
	memcpy(b->buf + b->len, &h, sizeof(h));
	if (plen)
		memcpy(b->buf + b->len + NLMSG_HDRLEN, p, plen);
	b->len += NLMSG_ALIGN(h.nlmsg_len);
	nlb_hdr(b)->nlmsg_len = b->len - b->msg;
}

/* Appends an attribute to the message being built. */
static void nlb_attr(struct nlb *b, uint16_t type, const void *p, size_t plen)
{
	struct rtattr rta = { .rta_len = RTA_LENGTH(plen), .rta_type = type };

	memcpy(b->buf + b->len, &rta, sizeof(rta));
	if (plen)
		memcpy(b->buf + b->len + RTA_LENGTH(0), p, plen);
	memset(b->buf + b->len + RTA_LENGTH(plen), 0, RTA_ALIGN(rta.rta_len) - rta.rta_len);
	b->len += RTA_ALIGN(rta.rta_len);
	nlb_hdr(b)->nlmsg_len = b->len - b->msg;
}

static void nlb_u8(struct nlb *b, uint16_t type, uint8_t v)
{
	nlb_attr(b, type, &v, sizeof(v));
}

static void nlb_u32(struct nlb *b, uint16_t type, uint32_t v)
{
	nlb_attr(b, type, &v, sizeof(v));
}

static void nlb_u64(struct nlb *b, uint16_t type, uint64_t v)
{
	nlb_attr(b, type, &v, sizeof(v));
}

static void nlb_done(struct nlb *b)
{
	int32_t zero = 0;

	nlb_msg(b, NLMSG_DONE, &zero, sizeof(zero));
}

/* Parses a copy of exactly len bytes (so a sanitizer sees any overread). */
static int parse_exact(const void *buf, size_t len, enum sock_kind kind,
		       const struct sockets_query *q, struct sock_table *t)
{
	void *copy = malloc(len ? len : 1);
	int r;

	if (len)
		memcpy(copy, buf, len);
	r = sockdiag_parse(copy, len, kind, q, 4026531840u, t);
	free(copy);
	return r;
}

/* ---- inet messages ---- */

/* tcp_info as the kernel sends it, rcv_wnd (Linux 6.2) after snd_wnd */
union wire_tcp_info {
	struct tcp_info ti;
	uint8_t raw[240];
};

static void put_u32(void *base, size_t off, uint32_t v)
{
	memcpy((uint8_t *)base + off, &v, sizeof(v));
}

static struct inet_diag_msg tcp4_msg(void)
{
	struct inet_diag_msg r = {
		.idiag_family = AF_INET,
		.idiag_state = SOCKTAP_TCP_ESTABLISHED,
		.idiag_timer = 1,
		.idiag_retrans = 2,
		.id = {
			.idiag_sport = htons(8080),
			.idiag_dport = htons(443),
			.idiag_if = 3,
			.idiag_cookie = { 0x89abcdef, 0x01234567 },
		},
		.idiag_expires = 200,
		.idiag_rqueue = 5,
		.idiag_wqueue = 7,
		.idiag_uid = 1000,
		.idiag_inode = 424242,
	};

	inet_pton(AF_INET, "10.0.0.1", r.id.idiag_src);
	inet_pton(AF_INET, "192.0.2.7", r.id.idiag_dst);
	return r;
}

static void full_tcp_info(union wire_tcp_info *w)
{
	struct tcp_info *ti = &w->ti;

	memset(w, 0, sizeof(*w));
	ti->tcpi_state = 1;
	ti->tcpi_ca_state = 4;
	ti->tcpi_backoff = 2;
	ti->tcpi_options = 0x27;
	ti->tcpi_snd_wscale = 7;
	ti->tcpi_rcv_wscale = 9;
	ti->tcpi_delivery_rate_app_limited = 1;
	ti->tcpi_rto = 204000;
	ti->tcpi_ato = 40000;
	ti->tcpi_snd_mss = 1448;
	ti->tcpi_rcv_mss = 536;
	ti->tcpi_unacked = 11;
	ti->tcpi_sacked = 12;
	ti->tcpi_lost = 13;
	ti->tcpi_retrans = 14;
	ti->tcpi_last_data_sent = 15;
	ti->tcpi_last_data_recv = 16;
	ti->tcpi_last_ack_recv = 17;
	ti->tcpi_pmtu = 1500;
	ti->tcpi_rcv_ssthresh = 64088;
	ti->tcpi_rtt = 1234;
	ti->tcpi_rttvar = 567;
	ti->tcpi_snd_ssthresh = 21;
	ti->tcpi_snd_cwnd = 10;
	ti->tcpi_advmss = 1460;
	ti->tcpi_reordering = 3;
	ti->tcpi_rcv_rtt = 22;
	ti->tcpi_rcv_space = 14600;
	ti->tcpi_total_retrans = 23;
	ti->tcpi_pacing_rate = 1000000001ULL;
	ti->tcpi_max_pacing_rate = ~0ULL;
	ti->tcpi_bytes_acked = 5000000000ULL;
	ti->tcpi_bytes_received = 6000000000ULL;
	ti->tcpi_segs_out = 24;
	ti->tcpi_segs_in = 25;
	ti->tcpi_notsent_bytes = 26;
	ti->tcpi_min_rtt = 27;
	ti->tcpi_data_segs_in = 28;
	ti->tcpi_data_segs_out = 29;
	ti->tcpi_delivery_rate = 7000000000ULL;
	ti->tcpi_busy_time = 30;
	ti->tcpi_rwnd_limited = 31;
	ti->tcpi_sndbuf_limited = 32;
	ti->tcpi_delivered = 33;
	ti->tcpi_delivered_ce = 34;
	ti->tcpi_bytes_sent = 8000000000ULL;
	ti->tcpi_bytes_retrans = 35;
	ti->tcpi_dsack_dups = 36;
	ti->tcpi_reord_seen = 37;
	ti->tcpi_snd_wnd = 38;
	put_u32(w->raw, offsetof(struct tcp_info, tcpi_snd_wnd) + 4, 39); /* tcpi_rcv_wnd */
}

TEST(sockdiag_tcp_v4_every_field)
{
	struct inet_diag_msg r = tcp4_msg();
	uint32_t mem[SK_MEMINFO_VARS] = { 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const uint8_t src[16] = { 10, 0, 0, 1 }, dst[16] = { 192, 0, 2, 7 };
	union wire_tcp_info w;
	struct sock_table t = { 0 };
	const struct sock_tcpinfo *ti;
	const struct sock_entry *e;
	struct nlb b = { 0 };

	full_tcp_info(&w);
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_u8(&b, INET_DIAG_SHUTDOWN, 3);
	nlb_u32(&b, INET_DIAG_MARK, 0x42);
	nlb_u64(&b, INET_DIAG_CGROUP_ID, 0x1122334455667788ULL);
	nlb_attr(&b, INET_DIAG_SKMEMINFO, mem, sizeof(mem));
	nlb_attr(&b, INET_DIAG_INFO, &w, sizeof(w));
	nlb_attr(&b, INET_DIAG_CONG, "cubic", 6);
	/* attributes socktap does not read are passed over */
	nlb_u8(&b, INET_DIAG_TOS, 0x10);
	nlb_u32(&b, 200, 1);

	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, NULL, &t), 1, "one row"))
		return;
	e = &t.v[0];
	ASSERT_EQ(e->kind, SK_TCP, "kind");
	ASSERT_EQ(e->family, AF_INET, "family");
	ASSERT_EQ(e->proto, IPPROTO_TCP, "proto");
	ASSERT_EQ(e->state, SOCKTAP_TCP_ESTABLISHED, "state");
	ASSERT_EQ(e->shutdown, 3, "shutdown");
	ASSERT_FALSE(e->v6only, "v6only");
	ASSERT_EQ(e->netns, 4026531840u, "netns");
	ASSERT_TRUE(memcmp(e->laddr, src, 16) == 0, "laddr");
	ASSERT_TRUE(memcmp(e->raddr, dst, 16) == 0, "raddr");
	ASSERT_EQ(e->lport, 8080, "lport");
	ASSERT_EQ(e->rport, 443, "rport");
	ASSERT_EQ(e->recv_q, 5, "recv_q");
	ASSERT_EQ(e->send_q, 7, "send_q");
	ASSERT_EQ(e->uid, 1000, "uid");
	ASSERT_EQ(e->inode, 424242, "inode");
	ASSERT_EQ(e->cookie, 0x0123456789abcdefULL, "cookie as ss's sk:");
	ASSERT_EQ(e->ifindex, 3, "ifindex");
	ASSERT_EQ(e->mark, 0x42, "mark");
	ASSERT_EQ(e->cgroup, 0x1122334455667788ULL, "cgroup");
	ASSERT_EQ(e->timer, SKT_ON, "timer");
	ASSERT_EQ(e->timer_expires_ms, 200, "expires");
	ASSERT_EQ(e->timer_retrans, 2, "retrans");
	ASSERT_NULL(e->unix_path, "no unix path");
	ASSERT_EQ(e->unix_peer, 0, "no unix peer");
	ASSERT_EQ(e->nowners, 0, "no owners");

	ASSERT_TRUE(e->has_mem, "has_mem");
	ASSERT_EQ(e->mem.rmem_alloc, 1, "rmem_alloc");
	ASSERT_EQ(e->mem.rcvbuf, 2, "rcvbuf");
	ASSERT_EQ(e->mem.wmem_alloc, 3, "wmem_alloc");
	ASSERT_EQ(e->mem.sndbuf, 4, "sndbuf");
	ASSERT_EQ(e->mem.fwd_alloc, 5, "fwd_alloc");
	ASSERT_EQ(e->mem.wmem_queued, 6, "wmem_queued");
	ASSERT_EQ(e->mem.optmem, 7, "optmem");
	ASSERT_EQ(e->mem.backlog, 8, "backlog");
	ASSERT_EQ(e->mem.drops, 9, "drops");

	ti = e->tcpi;
	ASSERT_TRUE(e->has_tcpinfo, "has_tcpinfo");
	ASSERT_STREQ(ti->cong, "cubic", "cong");
	ASSERT_EQ(ti->options, 0x27, "options");
	ASSERT_EQ(ti->snd_wscale, 7, "snd_wscale");
	ASSERT_EQ(ti->rcv_wscale, 9, "rcv_wscale");
	ASSERT_EQ(ti->backoff, 2, "backoff");
	ASSERT_EQ(ti->ca_state, 4, "ca_state");
	ASSERT_EQ(ti->delivery_rate_app_limited, 1, "app_limited");
	ASSERT_EQ(ti->rto_us, 204000, "rto");
	ASSERT_EQ(ti->ato_us, 40000, "ato");
	ASSERT_EQ(ti->rtt_us, 1234, "rtt");
	ASSERT_EQ(ti->rttvar_us, 567, "rttvar");
	ASSERT_EQ(ti->min_rtt_us, 27, "min_rtt");
	ASSERT_EQ(ti->rcv_rtt_us, 22, "rcv_rtt");
	ASSERT_EQ(ti->snd_mss, 1448, "snd_mss");
	ASSERT_EQ(ti->rcv_mss, 536, "rcv_mss");
	ASSERT_EQ(ti->advmss, 1460, "advmss");
	ASSERT_EQ(ti->pmtu, 1500, "pmtu");
	ASSERT_EQ(ti->snd_cwnd, 10, "snd_cwnd");
	ASSERT_EQ(ti->snd_ssthresh, 21, "snd_ssthresh");
	ASSERT_EQ(ti->unacked, 11, "unacked");
	ASSERT_EQ(ti->sacked, 12, "sacked");
	ASSERT_EQ(ti->lost, 13, "lost");
	ASSERT_EQ(ti->retrans, 14, "retrans");
	ASSERT_EQ(ti->total_retrans, 23, "total_retrans");
	ASSERT_EQ(ti->reordering, 3, "reordering");
	ASSERT_EQ(ti->reord_seen, 37, "reord_seen");
	ASSERT_EQ(ti->rcv_space, 14600, "rcv_space");
	ASSERT_EQ(ti->rcv_ssthresh, 64088, "rcv_ssthresh");
	ASSERT_EQ(ti->notsent_bytes, 26, "notsent_bytes");
	ASSERT_EQ(ti->snd_wnd, 38, "snd_wnd");
	ASSERT_EQ(ti->rcv_wnd, 39, "rcv_wnd");
	ASSERT_EQ(ti->last_data_sent_ms, 15, "last_data_sent");
	ASSERT_EQ(ti->last_data_recv_ms, 16, "last_data_recv");
	ASSERT_EQ(ti->last_ack_recv_ms, 17, "last_ack_recv");
	ASSERT_EQ(ti->segs_out, 24, "segs_out");
	ASSERT_EQ(ti->segs_in, 25, "segs_in");
	ASSERT_EQ(ti->data_segs_out, 29, "data_segs_out");
	ASSERT_EQ(ti->data_segs_in, 28, "data_segs_in");
	ASSERT_EQ(ti->delivered, 33, "delivered");
	ASSERT_EQ(ti->delivered_ce, 34, "delivered_ce");
	ASSERT_EQ(ti->dsack_dups, 36, "dsack_dups");
	ASSERT_EQ(ti->bytes_sent, 8000000000ULL, "bytes_sent");
	ASSERT_EQ(ti->bytes_retrans, 35, "bytes_retrans");
	ASSERT_EQ(ti->bytes_acked, 5000000000ULL, "bytes_acked");
	ASSERT_EQ(ti->bytes_received, 6000000000ULL, "bytes_received");
	ASSERT_EQ(ti->pacing_rate, 1000000001ULL, "pacing_rate");
	ASSERT_EQ(ti->max_pacing_rate, ~0ULL, "max_pacing_rate");
	ASSERT_EQ(ti->delivery_rate, 7000000000ULL, "delivery_rate");
	ASSERT_EQ(ti->busy_time_us, 30, "busy_time");
	ASSERT_EQ(ti->rwnd_limited_us, 31, "rwnd_limited");
	ASSERT_EQ(ti->sndbuf_limited_us, 32, "sndbuf_limited");
	sock_table_free(&t);
}

TEST(sockdiag_tcp_v6_listener)
{
	struct inet_diag_msg r = {
		.idiag_family = AF_INET6,
		.idiag_state = SOCKTAP_TCP_LISTEN,
		.id = { .idiag_sport = htons(22), .idiag_cookie = { 1, 0 } },
		.idiag_rqueue = 3, /* accept queue */
		.idiag_wqueue = 128, /* backlog */
		.idiag_inode = 99,
	};
	uint8_t want[16];
	struct sock_table t = { 0 };
	const struct sock_entry *e;
	struct nlb b = { 0 };

	inet_pton(AF_INET6, "2001:db8::1", r.id.idiag_src);
	inet_pton(AF_INET6, "2001:db8::1", want);
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_u8(&b, INET_DIAG_SKV6ONLY, 1);
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, NULL, &t), 1, "one row"))
		return;
	e = &t.v[0];
	ASSERT_EQ(e->family, AF_INET6, "family");
	ASSERT_EQ(e->state, SOCKTAP_TCP_LISTEN, "state");
	ASSERT_TRUE(memcmp(e->laddr, want, 16) == 0, "laddr");
	ASSERT_EQ(e->lport, 22, "lport");
	ASSERT_EQ(e->rport, 0, "rport");
	ASSERT_EQ(e->recv_q, 3, "accept queue");
	ASSERT_EQ(e->send_q, 128, "backlog");
	ASSERT_TRUE(e->v6only, "v6only");
	ASSERT_EQ(e->cookie, 1, "cookie");
	ASSERT_EQ(e->timer, SKT_OFF, "timer");
	ASSERT_FALSE(e->has_mem, "no mem asked");
	ASSERT_FALSE(e->has_tcpinfo, "no tcp_info asked");
	ASSERT_EQ(e->mark, 0, "no mark without CAP_NET_ADMIN");
	ASSERT_EQ(e->cgroup, 0, "no cgroup id");
	sock_table_free(&t);
}

/* TIME-WAIT (here an orphaned FIN-WAIT-2, which is one) and request sockets come without attributes
 */
TEST(sockdiag_tcp_minisock)
{
	struct inet_diag_msg r = tcp4_msg();
	struct sock_table t = { 0 };
	struct nlb b = { 0 };

	r.idiag_state = SOCKTAP_TCP_FIN_WAIT2;
	r.idiag_timer = SKT_TIMEWAIT;
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	r.idiag_state = SOCKTAP_TCP_ESTABLISHED;
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_u8(&b, INET_DIAG_SHUTDOWN, 0);
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, NULL, &t), 2, "rows"))
		return;
	ASSERT_TRUE(t.v[0].minisock, "no shutdown state: a minisock");
	ASSERT_FALSE(t.v[1].minisock, "a full socket");
	sock_table_free(&t);
}

TEST(sockdiag_tcp_info_from_an_older_kernel)
{
	struct inet_diag_msg r = tcp4_msg();
	union wire_tcp_info w;
	struct sock_table t = { 0 };
	struct nlb b = { 0 };

	full_tcp_info(&w);
	/* Linux 4.1's tcp_info ended after tcpi_bytes_received */
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_attr(&b, INET_DIAG_INFO, &w, offsetof(struct tcp_info, tcpi_segs_out));
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, NULL, &t), 1, "one row"))
		return;
	ASSERT_TRUE(t.v[0].has_tcpinfo, "has_tcpinfo");
	ASSERT_EQ(t.v[0].tcpi->bytes_received, 6000000000ULL, "last field sent");
	ASSERT_EQ(t.v[0].tcpi->segs_out, 0, "fields not sent read as 0");
	ASSERT_EQ(t.v[0].tcpi->rcv_wnd, 0, "rcv_wnd not sent");
	ASSERT_STREQ(t.v[0].tcpi->cong, "", "no cong");
	sock_table_free(&t);
}

/* The one-walk TCP dump's replies come as TCPDIAG_GETSOCK, both families mixed. */
TEST(sockdiag_tcp_both_families)
{
	struct inet_diag_msg r4 = tcp4_msg(), r6 = tcp4_msg();
	struct sock_table t = { 0 };
	struct nlb b = { 0 };

	r6.idiag_family = AF_INET6;
	inet_pton(AF_INET6, "2001:db8::1", r6.id.idiag_src);
	nlb_msg(&b, TCPDIAG_GETSOCK, &r6, sizeof(r6));
	nlb_u8(&b, INET_DIAG_SHUTDOWN, 0);
	nlb_msg(&b, TCPDIAG_GETSOCK, &r4, sizeof(r4));
	nlb_u8(&b, INET_DIAG_SHUTDOWN, 0);
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, NULL, &t), 2, "two rows"))
		return;
	ASSERT_EQ(t.v[0].family, AF_INET6, "first: inet6");
	ASSERT_EQ(t.v[1].family, AF_INET, "second: inet");
	ASSERT_EQ(t.v[1].lport, 8080, "port");
	ASSERT_EQ(t.v[1].cookie, 0x0123456789abcdefULL, "cookie");
	sock_table_free(&t);
	/* the type is TCP's only: not a UDP dump's reply */
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_UDP, NULL, &t), 0, "no udp rows");
	ASSERT_EQ(t.n, 0, "table empty");
	sock_table_free(&t);
}

TEST(sockdiag_udp_and_raw)
{
	struct inet_diag_msg u = tcp4_msg(), r6 = {
		.idiag_family = AF_INET6,
		.idiag_state = SOCKTAP_TCP_CLOSE,
		.id = { .idiag_sport = htons(IPPROTO_ICMPV6) },
		.idiag_inode = 5,
	};
	struct inet_diag_msg r4 = {
		.idiag_family = AF_INET,
		.idiag_state = SOCKTAP_TCP_ESTABLISHED,
		.id = { .idiag_sport = htons(IPPROTO_RAW) },
	};
	union wire_tcp_info w;
	struct sock_table t = { 0 };
	struct nlb b = { 0 };

	full_tcp_info(&w);
	u.idiag_state = SOCKTAP_TCP_CLOSE;
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &u, sizeof(u));
	/* tcp_info is a TCP thing: ignored on anything else */
	nlb_attr(&b, INET_DIAG_INFO, &w, sizeof(w));
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_UDP, NULL, &t), 1, "udp row"))
		return;
	ASSERT_EQ(t.v[0].kind, SK_UDP, "udp kind");
	ASSERT_EQ(t.v[0].proto, IPPROTO_UDP, "udp proto");
	ASSERT_EQ(t.v[0].state, SOCKTAP_TCP_CLOSE, "UNCONN");
	ASSERT_FALSE(t.v[0].has_tcpinfo, "no tcp_info on udp");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r6, sizeof(r6));
	nlb_u8(&b, INET_DIAG_PROTOCOL, IPPROTO_ICMPV6);
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r4, sizeof(r4));
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_RAW, NULL, &t), 2, "raw rows"))
		return;
	ASSERT_EQ(t.v[1].kind, SK_RAW, "raw kind");
	ASSERT_EQ(t.v[1].family, AF_INET6, "raw6 family");
	ASSERT_EQ(t.v[1].proto, IPPROTO_ICMPV6, "raw6 proto from INET_DIAG_PROTOCOL");
	ASSERT_EQ(t.v[1].lport, 58, "raw6 port: the protocol, as ss prints it");
	ASSERT_EQ(t.v[1].inode, 5, "raw6 inode");
	ASSERT_EQ(t.v[2].proto, IPPROTO_RAW, "raw4 proto from the port");
	ASSERT_EQ(t.v[2].lport, 255, "raw4 port");
	ASSERT_EQ(t.v[2].state, SOCKTAP_TCP_ESTABLISHED, "connected raw");
	sock_table_free(&t);
}

/* ---- unix messages ---- */

static void unix_msg(struct nlb *b, uint8_t type, uint8_t state, uint32_t ino)
{
	struct unix_diag_msg r = {
		.udiag_family = AF_UNIX,
		.udiag_type = type,
		.udiag_state = state,
		.udiag_ino = ino,
		.udiag_cookie = { ino, 0x10 },
	};

	nlb_msg(b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
}

TEST(sockdiag_unix)
{
	struct unix_diag_rqlen lq = { .udiag_rqueue = 3, .udiag_wqueue = 128 };
	struct unix_diag_rqlen dq = { .udiag_rqueue = 5, .udiag_wqueue = 768 };
	uint32_t mem[SK_MEMINFO_VARS] = { 11, 12, 13, 14, 15, 16, 17, 18, 19 };
	struct sock_table t = { 0 };
	const struct sock_entry *e;
	struct nlb b = { 0 };

	unix_msg(&b, SOCK_STREAM, SOCKTAP_TCP_LISTEN, 100);
	nlb_attr(&b, UNIX_DIAG_NAME, "/run/x.sock", 11);
	nlb_attr(&b, UNIX_DIAG_RQLEN, &lq, sizeof(lq));
	nlb_u32(&b, UNIX_DIAG_UID, 33);
	unix_msg(&b, SOCK_STREAM, SOCKTAP_TCP_LISTEN, 101);
	nlb_attr(&b, UNIX_DIAG_NAME, "\0foo\0bar", 8);
	unix_msg(&b, SOCK_DGRAM, SOCKTAP_TCP_ESTABLISHED, 102);
	nlb_u32(&b, UNIX_DIAG_PEER, 77);
	nlb_attr(&b, UNIX_DIAG_RQLEN, &dq, sizeof(dq));
	nlb_u8(&b, UNIX_DIAG_SHUTDOWN, 1);
	nlb_attr(&b, UNIX_DIAG_MEMINFO, mem, sizeof(mem));
	unix_msg(&b, SOCK_SEQPACKET, SOCKTAP_TCP_CLOSE, 103);
	/* a path given with its NUL */
	nlb_attr(&b, UNIX_DIAG_NAME, "/tmp/a\0", 7);
	/* no table for SOCK_RAW: skipped */
	unix_msg(&b, SOCK_RAW, SOCKTAP_TCP_CLOSE, 104);
	nlb_done(&b);

	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_UNIX_STREAM, NULL, &t), 4, "four rows"))
		return;
	e = &t.v[0];
	ASSERT_EQ(e->kind, SK_UNIX_STREAM, "u_str");
	ASSERT_EQ(e->family, AF_UNIX, "family");
	ASSERT_EQ(e->proto, 0, "proto");
	ASSERT_EQ(e->state, SOCKTAP_TCP_LISTEN, "LISTEN");
	ASSERT_STREQ(e->unix_path, "/run/x.sock", "path");
	ASSERT_EQ(e->inode, 100, "inode");
	ASSERT_EQ(e->cookie, 0x10ULL << 32 | 100, "cookie");
	ASSERT_EQ(e->recv_q, 3, "accept queue");
	ASSERT_EQ(e->send_q, 128, "backlog");
	ASSERT_EQ(e->uid, 33, "uid");
	ASSERT_EQ(e->unix_peer, 0, "no peer");
	ASSERT_EQ(e->netns, 4026531840u, "netns");
	ASSERT_FALSE(e->has_mem, "no mem");

	ASSERT_STREQ(t.v[1].unix_path, "@foo@bar", "abstract name, as ss prints it");

	e = &t.v[2];
	ASSERT_EQ(e->kind, SK_UNIX_DGRAM, "u_dgr");
	ASSERT_STREQ(e->unix_path, "", "unnamed");
	ASSERT_EQ(e->unix_peer, 77, "peer");
	ASSERT_EQ(e->recv_q, 5, "recv_q");
	ASSERT_EQ(e->send_q, 768, "send_q");
	ASSERT_EQ(e->shutdown, 1, "shutdown");
	ASSERT_TRUE(e->has_mem, "has_mem");
	ASSERT_EQ(e->mem.rmem_alloc, 11, "rmem_alloc");
	ASSERT_EQ(e->mem.drops, 19, "drops");

	ASSERT_EQ(t.v[3].kind, SK_UNIX_SEQPACKET, "u_seq");
	ASSERT_STREQ(t.v[3].unix_path, "/tmp/a", "path without its NUL");
	ASSERT_EQ(t.v[3].state, SOCKTAP_TCP_CLOSE, "UNCONN");
	sock_table_free(&t);
}

/* ---- several messages, control messages, filters ---- */

/* tcp: ESTAB v4, LISTEN v6, DONE, then a row that must not be read */
static void mixed_dump(struct nlb *b)
{
	struct inet_diag_msg est = tcp4_msg(), lst = tcp4_msg(), late = tcp4_msg();

	lst.idiag_family = AF_INET6;
	lst.idiag_state = SOCKTAP_TCP_LISTEN;
	late.idiag_inode = 1;
	nlb_msg(b, SOCK_DIAG_BY_FAMILY, &est, sizeof(est));
	nlb_u32(b, INET_DIAG_MARK, 1);
	nlb_msg(b, NLMSG_NOOP, NULL, 0);
	nlb_msg(b, SOCK_DIAG_BY_FAMILY, &lst, sizeof(lst));
	nlb_u8(b, INET_DIAG_SKV6ONLY, 0);
	nlb_done(b);
	nlb_msg(b, SOCK_DIAG_BY_FAMILY, &late, sizeof(late));
}

TEST(sockdiag_multipart_and_done)
{
	struct sock_table t = { 0 };
	struct nlb b = { 0 };

	mixed_dump(&b);
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, NULL, &t), 2, "rows before DONE"))
		return;
	ASSERT_EQ(t.v[0].family, AF_INET, "first");
	ASSERT_EQ(t.v[1].family, AF_INET6, "second");
	ASSERT_EQ(parse_exact(b.buf, 0, SK_TCP, NULL, &t), 0, "empty buffer");
	ASSERT_EQ(sockdiag_parse(NULL, 0, SK_TCP, NULL, 0, &t), 0, "NULL, 0");
	ASSERT_EQ(t.n, 2, "nothing more");
	sock_table_free(&t);
}

TEST(sockdiag_filters)
{
	struct sockets_query q = { 0 };
	struct sock_table t = { 0 };
	struct nlb b = { 0 }, u = { 0 };

	mixed_dump(&b);
	q.states = 1u << SOCKTAP_TCP_LISTEN;
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, &q, &t), 1, "LISTEN only");
	ASSERT_EQ(t.v[t.n - 1].state, SOCKTAP_TCP_LISTEN, "the listener");
	q.states = 0;
	q.family = AF_INET;
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, &q, &t), 1, "IPv4 only");
	ASSERT_EQ(t.v[t.n - 1].family, AF_INET, "the IPv4 socket");
	q.family = 0;
	q.kinds = SK_KIND_BIT(SK_UDP);
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, &q, &t), 0, "no tcp asked");

	unix_msg(&u, SOCK_STREAM, SOCKTAP_TCP_ESTABLISHED, 1);
	unix_msg(&u, SOCK_DGRAM, SOCKTAP_TCP_ESTABLISHED, 2);
	unix_msg(&u, SOCK_SEQPACKET, SOCKTAP_TCP_ESTABLISHED, 3);
	q.kinds = SK_KIND_BIT(SK_UNIX_DGRAM) | SK_KIND_BIT(SK_TCP);
	q.family = AF_INET; /* does not apply to unix sockets */
	ASSERT_EQ(parse_exact(u.buf, u.len, SK_UNIX_STREAM, &q, &t), 1, "u_dgr only");
	ASSERT_EQ(t.v[t.n - 1].inode, 2, "the dgram socket");
	ASSERT_EQ(t.n, 3, "rows in all");
	sock_table_free(&t);
}

TEST(sockdiag_error_leaves_table)
{
	struct nlmsgerr ne = { .error = -EINVAL };
	struct sock_table t = { 0 };
	struct nlb b = { 0 };
	uint64_t cookie;

	mixed_dump(&b);
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_TCP, NULL, &t), 2, "rows");
	cookie = t.v[1].cookie;
	memset(&b, 0, sizeof(b));
	unix_msg(&b, SOCK_STREAM, SOCKTAP_TCP_ESTABLISHED, 1);
	nlb_attr(&b, UNIX_DIAG_NAME, "/x", 2);
	nlb_msg(&b, NLMSG_ERROR, &ne, sizeof(ne));
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_UNIX_STREAM, NULL, &t), -1, "NLMSG_ERROR");
	ASSERT_EQ(t.n, 2, "the row before the error taken back");
	ASSERT_EQ(t.v[1].cookie, cookie, "earlier rows kept");
	sock_table_free(&t);
}

/* ---- malformed input ---- */

static void expect_malformed(struct nlb *b, enum sock_kind kind, const char *name)
{
	struct sock_table t = { 0 };

	ASSERT_EQ(parse_exact(b->buf, b->len, kind, NULL, &t), -1, name);
	ASSERT_EQ(t.n, 0, name);
	sock_table_free(&t);
}

TEST(sockdiag_rejects_malformed)
{
	struct inet_diag_msg r = tcp4_msg();
	struct unix_diag_rqlen rq = { 0 };
	struct sock_table t = { 0 };
	struct nlb b;

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_hdr(&b)->nlmsg_len = b.len + 4;
	expect_malformed(&b, SK_TCP, "nlmsg_len past the buffer");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_hdr(&b)->nlmsg_len = 8;
	expect_malformed(&b, SK_TCP, "nlmsg_len below a header");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r) - 4);
	expect_malformed(&b, SK_TCP, "short inet_diag_msg");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_u32(&b, INET_DIAG_MARK, 1);
	((struct rtattr *)(b.buf + b.len - 8))->rta_len = 2;
	expect_malformed(&b, SK_TCP, "rta_len below a header");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_u32(&b, INET_DIAG_MARK, 1);
	((struct rtattr *)(b.buf + b.len - 8))->rta_len = 12;
	expect_malformed(&b, SK_TCP, "attribute past its message");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_attr(&b, INET_DIAG_MARK, "ab", 2);
	expect_malformed(&b, SK_TCP, "short u32 attribute");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_attr(&b, INET_DIAG_CGROUP_ID, "abcd", 4);
	expect_malformed(&b, SK_TCP, "short u64 attribute");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_attr(&b, INET_DIAG_SHUTDOWN, NULL, 0);
	expect_malformed(&b, SK_TCP, "empty u8 attribute");

	memset(&b, 0, sizeof(b));
	r.idiag_family = AF_UNIX;
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	expect_malformed(&b, SK_TCP, "inet message of another family");
	r.idiag_family = AF_INET;

	memset(&b, 0, sizeof(b));
	unix_msg(&b, SOCK_STREAM, SOCKTAP_TCP_ESTABLISHED, 1);
	nlb_attr(&b, UNIX_DIAG_RQLEN, &rq, sizeof(rq) - 1);
	expect_malformed(&b, SK_UNIX_STREAM, "short RQLEN");

	memset(&b, 0, sizeof(b));
	unix_msg(&b, SOCK_STREAM, SOCKTAP_TCP_ESTABLISHED, 1);
	nlb_attr(&b, UNIX_DIAG_PEER, "ab", 2);
	expect_malformed(&b, SK_UNIX_STREAM, "short PEER");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	b.len += 8; /* bytes too few for another header */
	expect_malformed(&b, SK_TCP, "trailing partial header");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	ASSERT_EQ(sockdiag_parse(b.buf, b.len, SK_KIND_MAX, NULL, 0, &t), -1, "bad kind");
	ASSERT_EQ(t.n, 0, "no rows");
	sock_table_free(&t);
}

/* Every prefix of a valid dump: -1 or the rows wholly inside it, never a crash. */
TEST(sockdiag_truncated_at_every_byte)
{
	struct unix_diag_rqlen rq = { 1, 2 };
	union wire_tcp_info w;
	struct nlb b = { 0 }, u = { 0 };

	full_tcp_info(&w);
	mixed_dump(&b);
	for (size_t len = 0; len < b.len; len++) {
		struct sock_table t = { 0 };
		int r = parse_exact(b.buf, len, SK_TCP, NULL, &t);

		if (!ASSERT_TRUE(r == -1 || (r >= 0 && (size_t)r == t.n), "result"))
			break;
		sock_table_free(&t);
	}
	unix_msg(&u, SOCK_STREAM, SOCKTAP_TCP_LISTEN, 100);
	nlb_attr(&u, UNIX_DIAG_NAME, "\0abstract", 9);
	nlb_attr(&u, UNIX_DIAG_RQLEN, &rq, sizeof(rq));
	for (size_t len = 0; len < u.len; len++) {
		struct sock_table t = { 0 };
		int r = parse_exact(u.buf, len, SK_UNIX_STREAM, NULL, &t);

		/* a cut message is always malformed: its length says more */
		if (!ASSERT_EQ(r, len == 0 ? 0 : -1, "cut unix message"))
			break;
		sock_table_free(&t);
	}
}

/* xorshift32: the same mutations on every run */
static uint32_t rnd(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

TEST(sockdiag_fuzz)
{
	uint32_t mem[SK_MEMINFO_VARS] = { 0 }, seed = 0x5eed;
	struct inet_diag_msg r = tcp4_msg();
	union wire_tcp_info w;
	struct nlb base = { 0 }, ub = { 0 };

	full_tcp_info(&w);
	nlb_msg(&base, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_u8(&base, INET_DIAG_SHUTDOWN, 3);
	nlb_attr(&base, INET_DIAG_SKMEMINFO, mem, sizeof(mem));
	nlb_attr(&base, INET_DIAG_INFO, &w, sizeof(w));
	nlb_attr(&base, INET_DIAG_CONG, "cubic", 6);
	nlb_msg(&base, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
	nlb_u64(&base, INET_DIAG_CGROUP_ID, 1);
	unix_msg(&ub, SOCK_DGRAM, SOCKTAP_TCP_ESTABLISHED, 1);
	nlb_attr(&ub, UNIX_DIAG_NAME, "\0x\0y", 4);
	nlb_u32(&ub, UNIX_DIAG_PEER, 2);
	unix_msg(&ub, SOCK_STREAM, SOCKTAP_TCP_LISTEN, 3);
	nlb_attr(&ub, UNIX_DIAG_NAME, "/p", 2);

	for (int i = 0; i < 20000; i++) {
		const struct nlb *src = (i & 1) ? &ub : &base;
		enum sock_kind kind = (i & 1) ? SK_UNIX_DGRAM : (enum sock_kind)(SK_RAW + i % 3);
		uint8_t buf[sizeof(base.buf)];
		size_t len = src->len;
		struct sock_table t = { 0 };
		int flips = 1 + rnd(&seed) % 8, ret;

		memcpy(buf, src->buf, len);
		for (int f = 0; f < flips; f++) {
			size_t at = rnd(&seed) % len;

			/* mostly lengths and types: the first bytes of headers */
			if (rnd(&seed) & 1)
				buf[at] = (uint8_t)rnd(&seed);
			else
				buf[at] ^= (uint8_t)(1u << (rnd(&seed) % 8));
		}
		if (rnd(&seed) % 4 == 0)
			len = rnd(&seed) % (len + 1);
		ret = parse_exact(buf, len, kind, NULL, &t);
		if (!ASSERT_TRUE(ret == -1 ? t.n == 0 : (size_t)ret == t.n, "rows match result"))
			break;
		for (size_t k = 0; k < t.n; k++)
			if (t.v[k].unix_path)
				(void)strlen(t.v[k].unix_path);
		sock_table_free(&t);
	}
}

/* ---- /proc/net/raw{,6} ---- */

/* recorded on Linux 6.18 (no CONFIG_INET_RAW_DIAG): icmp, a connected IPPROTO_RAW, ::1 udp, icmpv6 */
static const char proc_raw4[] =
	"  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  "
	"timeout inode ref pointer drops\n"
	"  44: 00000000:0001 00000000:0000 07 00000000:00000000 00:00000000 00000000     0    "
	"    0 50069 2 00000000eebf49ec 0\n"
	" 105: 020200C0:00FF 0302010A:0000 01 00000010:00000020 00:00000000 00000000  1000    "
	"    0 50071 2 000000000c00fe49 0\n";
static const char proc_raw6[] =
	"  sl  local_address                         remote_address                        st "
	"tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops\n"
	"   15: 00000000000000000000000001000000:0011 00000000000000000000000000000000:0000 07 "
	"00000000:00000000 00:00000000 00000000     0        0 50072 2 00000000779f63fd 0\n"
	"  237: 00000000000000000000000000000000:003A 00000000000000000000000000000000:0000 07 "
	"00000000:00000000 00:00000000 00000000     0        0 50070 2 0000000021260d35 0\n";

TEST(sockdiag_proc_raw)
{
	static const uint8_t a1[16] = { 192, 0, 2, 2 }, a2[16] = { 10, 1, 2, 3 };
	static const uint8_t lo6[16] = { [15] = 1 }, any[16] = { 0 };
	struct sockets_query q = { .states = 1u << SOCKTAP_TCP_CLOSE };
	struct sock_table t = { 0 };
	const struct sock_entry *e;

	if (!ASSERT_EQ(sockdiag_parse_proc_raw(proc_raw4, strlen(proc_raw4), AF_INET, NULL, 9, &t),
		       2, "raw rows"))
		return;
	e = &t.v[0];
	ASSERT_EQ(e->kind, SK_RAW, "kind");
	ASSERT_EQ(e->family, AF_INET, "family");
	ASSERT_EQ(e->proto, IPPROTO_ICMP, "icmp");
	ASSERT_EQ(e->lport, 1, "port: the protocol");
	ASSERT_EQ(e->state, SOCKTAP_TCP_CLOSE, "UNCONN");
	ASSERT_EQ(e->inode, 50069, "inode");
	ASSERT_EQ(e->netns, 9, "netns");
	ASSERT_TRUE(memcmp(e->laddr, any, 16) == 0, "0.0.0.0");
	e = &t.v[1];
	ASSERT_EQ(e->proto, IPPROTO_RAW, "IPPROTO_RAW");
	ASSERT_EQ(e->state, SOCKTAP_TCP_ESTABLISHED, "connected");
	ASSERT_TRUE(memcmp(e->laddr, a1, 16) == 0, "192.0.2.2");
	ASSERT_TRUE(memcmp(e->raddr, a2, 16) == 0, "10.1.2.3");
	ASSERT_EQ(e->send_q, 16, "tx_queue");
	ASSERT_EQ(e->recv_q, 32, "rx_queue");
	ASSERT_EQ(e->uid, 1000, "uid");
	ASSERT_EQ(e->cookie, 0, "no cookie in /proc");

	if (!ASSERT_EQ(sockdiag_parse_proc_raw(proc_raw6, strlen(proc_raw6), AF_INET6, &q, 0, &t),
		       2, "raw6 rows"))
		return;
	ASSERT_EQ(t.v[2].proto, IPPROTO_UDP, "raw udp");
	ASSERT_TRUE(memcmp(t.v[2].laddr, lo6, 16) == 0, "::1");
	ASSERT_EQ(t.v[3].proto, IPPROTO_ICMPV6, "icmpv6");
	ASSERT_EQ(t.v[3].inode, 50070, "inode");
	q.states = 1u << SOCKTAP_TCP_ESTABLISHED;
	ASSERT_EQ(sockdiag_parse_proc_raw(proc_raw6, strlen(proc_raw6), AF_INET6, &q, 0, &t), 0,
		  "state filter");
	ASSERT_EQ(sockdiag_parse_proc_raw("", 0, AF_INET, NULL, 0, &t), 0, "empty");
	ASSERT_EQ(sockdiag_parse_proc_raw(proc_raw4, 100, AF_INET, NULL, 0, &t), 0, "header only");
	ASSERT_EQ(t.n, 4, "rows in all");

	/* a cut line, a line of the other family, a bad family: rejected, table untouched */
	ASSERT_EQ(sockdiag_parse_proc_raw(proc_raw4, strlen(proc_raw4) - 40, AF_INET, NULL, 0, &t),
		  -1, "cut line");
	ASSERT_EQ(sockdiag_parse_proc_raw(proc_raw6, strlen(proc_raw6), AF_INET, NULL, 0, &t), -1,
		  "raw6 text as raw");
	ASSERT_EQ(sockdiag_parse_proc_raw(proc_raw4, strlen(proc_raw4), AF_UNIX, NULL, 0, &t), -1,
		  "family");
	ASSERT_EQ(t.n, 4, "untouched");
	for (size_t len = 0; len <= strlen(proc_raw6); len++) {
		char *copy = malloc(len + 1);
		int r;

		if (len)
			memcpy(copy, proc_raw6, len);
		r = sockdiag_parse_proc_raw(copy, len, AF_INET6, NULL, 0, &t);
		free(copy);
		if (!ASSERT_TRUE(r >= -1 && r <= 2, "prefix"))
			break;
	}
	sock_table_free(&t);
}

/* ---- procfd_owners on a fake /proc ---- */

static char proc_dir[64];

static void put_file(const char *rel, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", proc_dir, rel);
	f = fopen(path, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void put_dir(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", proc_dir, rel);
	mkdir(path, 0755);
}

static void put_link(const char *rel, const char *target)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", proc_dir, rel);
	if (symlink(target, path) < 0)
		perror(path);
}

static void rm_file(const char *rel)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", proc_dir, rel);
	unlink(path);
}

static void put_process(const char *pid, const char *comm, unsigned int uid)
{
	char rel[64], text[256];

	put_dir(pid);
	snprintf(rel, sizeof(rel), "%s/fd", pid);
	put_dir(rel);
	snprintf(rel, sizeof(rel), "%s/fdinfo", pid);
	put_dir(rel);
	snprintf(rel, sizeof(rel), "%s/comm", pid);
	snprintf(text, sizeof(text), "%s\n", comm);
	put_file(rel, text);
	snprintf(rel, sizeof(rel), "%s/status", pid);
	snprintf(text, sizeof(text),
		 "Name:\t%s\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t%s\nPid:\t%s\nPPid:\t1\n"
		 "TracerPid:\t0\nUid:\t%u\t%u\t%u\t%u\nGid:\t0\t0\t0\t0\n",
		 comm, pid, pid, uid, uid + 1, uid + 2, uid + 3);
	put_file(rel, text);
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void check_owner(const struct sock_entry *e, size_t i, uint32_t pid, int32_t fd,
			uint32_t uid, uint32_t mode, const char *comm)
{
	char name[64];

	snprintf(name, sizeof(name), "inode %llu owner %zu", (unsigned long long)e->inode, i);
	if (!ASSERT_GE(e->nowners, i + 1, name))
		return;
	ASSERT_EQ(e->owners[i].pid, pid, name);
	ASSERT_EQ(e->owners[i].fd, fd, name);
	ASSERT_EQ(e->owners[i].uid, uid, name);
	ASSERT_EQ(e->owners[i].f_mode, mode, name);
	ASSERT_STREQ(e->owners[i].comm, comm, name);
}

TEST(procfd_owners_fake_proc)
{
	static const uint64_t inodes[] = { 1001, 1002, 1003, 0, 1001 };
	struct sock_table t = { 0 };
	char err[256] = "";

	if (!procfd_owners) {
		printf("skip procfd_owners_fake_proc: user/procfd.c is not linked into unit "
		       "tests\n");
		return;
	}
	snprintf(proc_dir, sizeof(proc_dir), "/tmp/socktap-proc.XXXXXX");
	if (!ASSERT_OK_PTR(mkdtemp(proc_dir), "mkdtemp"))
		return;
	put_process("100", "nginx", 33);
	put_link("100/fd/3", "socket:[1001]");
	put_file("100/fdinfo/3", "pos:\t0\nflags:\t02004002\nmnt_id:\t8\nino:\t1001\n");
	put_link("100/fd/4", "socket:[1002]");
	put_file("100/fdinfo/4", "pos:\t0\nflags:\t01\nmnt_id:\t8\n");
	put_link("100/fd/5", "/dev/null");
	put_link("100/fd/7", "socket:[9999]"); /* not in the table */
	put_link("100/fd/8", "socket:[0]");
	put_link("100/fd/9", "socket:[1003"); /* not a socket link */
	put_link("100/fd/10", "socket:[1001]");
	put_file("100/fdinfo/10", "pos:\t0\nflags:\t0100000\n");
	put_process("200", "a-very-long-process-name", 0);
	put_link("200/fd/0", "socket:[1002]");
	put_file("200/fdinfo/0", "flags:\t02\n");
	put_dir("300"); /* gone: no fd directory */
	put_process("400", "gone", 0);
	put_link("400/fd/3", "socket:[1003]");
	put_file("400/fdinfo/3", "flags:\t02\n");
	rm_file("400/comm"); /* exited before its comm was read */
	put_process("500", "closer", 7);
	put_link("500/fd/1", "socket:[1001]");
	put_dir("abc");
	put_link("self", "100");

	for (size_t i = 0; i < sizeof(inodes) / sizeof(inodes[0]); i++)
		sock_table_add(&t)->inode = inodes[i];
	if (!ASSERT_OK(procfd_owners(&t, proc_dir, err, sizeof(err)), "procfd_owners"))
		goto out;
	/* socket files are always open read-write: the mode is never read */
	ASSERT_EQ(t.v[0].nowners, 3, "1001: two fds of one process, one of another");
	check_owner(&t.v[0], 0, 100, 3, 33, 3, "nginx");
	check_owner(&t.v[0], 1, 100, 10, 33, 3, "nginx");
	check_owner(&t.v[0], 2, 500, 1, 7, 3, "closer");
	ASSERT_EQ(t.v[1].nowners, 2, "1002: two processes");
	check_owner(&t.v[1], 0, 100, 4, 33, 3, "nginx");
	check_owner(&t.v[1], 1, 200, 0, 0, 3, "a-very-long-pro");
	ASSERT_EQ(t.v[2].nowners, 0, "1003: its process is gone");
	ASSERT_EQ(t.v[3].nowners, 0, "inode 0 never matches");
	ASSERT_EQ(t.v[4].nowners, 3, "a second row of 1001");
	check_owner(&t.v[4], 1, 100, 10, 33, 3, "nginx");

	ASSERT_EQ(procfd_owners(&t, "/nonexistent/proc", err, sizeof(err)), -1, "no proc root");
	ASSERT_STRNEQ(err, "", "error line");
out:
	sock_table_free(&t);
	nftw(proc_dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

/* The real /proc: this process's own socket is found, with this process as owner. */
TEST(procfd_owners_self)
{
	struct sock_table t = { 0 };
	struct stat st;
	char err[256];
	int fd;

	if (!procfd_owners) {
		printf("skip procfd_owners_self: user/procfd.c is not linked into unit tests\n");
		return;
	}
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (!ASSERT_GE(fd, 0, "socket") || !ASSERT_OK(fstat(fd, &st), "fstat"))
		return;
	sock_table_add(&t)->inode = st.st_ino;
	if (ASSERT_OK(procfd_owners(&t, "/proc", err, sizeof(err)), "procfd_owners") &&
	    ASSERT_EQ(t.v[0].nowners, 1, "one owner")) {
		ASSERT_EQ(t.v[0].owners[0].pid, getpid(), "pid");
		ASSERT_EQ(t.v[0].owners[0].fd, fd, "fd");
		ASSERT_EQ(t.v[0].owners[0].uid, getuid(), "uid");
		ASSERT_EQ(t.v[0].owners[0].f_mode, 3, "read-write");
	}
	close(fd);
	sock_table_free(&t);
}

/* ---- netlink and packet sockets ---- */

static void nl_msg(struct nlb *b, uint8_t proto, uint32_t portid, uint8_t state, uint32_t ino)
{
	struct netlink_diag_msg r = {
		.ndiag_family = AF_NETLINK,
		.ndiag_type = SOCK_RAW,
		.ndiag_protocol = proto,
		.ndiag_state = state,
		.ndiag_portid = portid,
		.ndiag_dst_portid = state ? 7 : 0,
		.ndiag_dst_group = state ? 1 : 0,
		.ndiag_ino = ino,
		.ndiag_cookie = { 0x11, 0x22 },
	};

	nlb_msg(b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
}

static void pkt_msg(struct nlb *b, uint8_t type, uint16_t proto, uint32_t ino)
{
	struct packet_diag_msg r = {
		.pdiag_family = AF_PACKET,
		.pdiag_type = type,
		.pdiag_num = proto,
		.pdiag_ino = ino,
		.pdiag_cookie = { 0xdbda, 0 },
	};

	nlb_msg(b, SOCK_DIAG_BY_FAMILY, &r, sizeof(r));
}

/* ss -an's netlink rows of a fresh namespace, plus a connected one */
static void netlink_dump(struct nlb *b)
{
	uint32_t mem[SK_MEMINFO_VARS] = { [SK_MEMINFO_RMEM_ALLOC] = 832,
					  [SK_MEMINFO_RCVBUF] = 212992,
					  [SK_MEMINFO_WMEM_ALLOC] = 5,
					  [SK_MEMINFO_SNDBUF] = 212992 };
	uint64_t groups = 0x100000001ull;

	nl_msg(b, NETLINK_SOCK_DIAG, 0, 0, 1550968);
	nlb_attr(b, NETLINK_DIAG_MEMINFO, mem, sizeof(mem));
	nlb_attr(b, NETLINK_DIAG_GROUPS, &groups, sizeof(groups));
	nl_msg(b, NETLINK_KOBJECT_UEVENT, 10870, 1, 1555615);
	/* an autobound port id, negative as an int; no attributes at all */
	nl_msg(b, NETLINK_GENERIC, 0xffffeffe, 0, 9);
	nlb_done(b);
}

TEST(sockdiag_netlink)
{
	struct sock_table t = { 0 };
	struct nlb b = { 0 };
	const struct sock_entry *e;

	netlink_dump(&b);
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_NETLINK, NULL, &t), 3, "rows"))
		goto out;
	e = &t.v[0];
	ASSERT_EQ(e->kind, SK_NETLINK, "kind");
	ASSERT_EQ(e->family, AF_NETLINK, "family");
	ASSERT_EQ(e->proto, NETLINK_SOCK_DIAG, "protocol");
	ASSERT_EQ(e->state, SOCKTAP_TCP_CLOSE, "UNCONN, as ss lists them all");
	ASSERT_EQ(e->nl_portid, 0, "the kernel's");
	ASSERT_FALSE(e->nl_connected, "unconnected");
	ASSERT_EQ(e->inode, 1550968, "inode");
	ASSERT_EQ(e->cookie, 0x2200000011ull, "cookie");
	ASSERT_EQ(e->netns, 4026531840u, "netns");
	ASSERT_TRUE(e->has_mem, "meminfo");
	ASSERT_EQ(e->recv_q, 832, "Recv-Q: rmem_alloc");
	ASSERT_EQ(e->send_q, 5, "Send-Q: wmem_alloc");
	ASSERT_EQ(e->mem.rcvbuf, 212992, "rcvbuf");
	ASSERT_EQ(e->nl_groups, 1, "the first 32 groups");
	ASSERT_NULL(e->link, "no extras from sock_diag");
	e = &t.v[1];
	ASSERT_EQ(e->proto, NETLINK_KOBJECT_UEVENT, "uevent");
	ASSERT_EQ(e->nl_portid, 10870, "port id");
	ASSERT_TRUE(e->nl_connected, "connected");
	ASSERT_EQ(e->nl_dst_portid, 7, "dst port id");
	ASSERT_EQ(e->nl_dst_group, 1, "dst group");
	ASSERT_FALSE(e->has_mem, "no meminfo");
	ASSERT_EQ(e->recv_q, 0, "no queue");
	e = &t.v[2];
	ASSERT_EQ((int32_t)e->nl_portid, -4098, "autobound");
	ASSERT_EQ(e->nl_groups, 0, "no groups");
out:
	sock_table_free(&t);
}

static void packet_dump(struct nlb *b)
{
	struct packet_diag_info info = { .pdi_index = 0,
					 .pdi_version = 2,
					 .pdi_copy_thresh = 0,
					 .pdi_flags = PDI_RUNNING | PDI_AUXDATA };
	struct packet_diag_ring ring = { 4096, 4, 2048, 8, 60, 1, 3 };
	uint32_t mem[SK_MEMINFO_VARS] = { [SK_MEMINFO_RMEM_ALLOC] = 2304,
					  [SK_MEMINFO_RCVBUF] = 212992 };

	pkt_msg(b, SOCK_RAW, 3 /* ETH_P_ALL */, 1555608);
	nlb_attr(b, PACKET_DIAG_INFO, &info, sizeof(info));
	nlb_u32(b, PACKET_DIAG_UID, 1000);
	nlb_attr(b, PACKET_DIAG_MEMINFO, mem, sizeof(mem));
	nlb_attr(b, PACKET_DIAG_RX_RING, &ring, sizeof(ring));
	nlb_u32(b, PACKET_DIAG_FANOUT, 1u << 16 | 42);
	info.pdi_index = 1;
	info.pdi_flags = 0;
	pkt_msg(b, SOCK_DGRAM, 0x86dd, 1555611);
	nlb_attr(b, PACKET_DIAG_INFO, &info, sizeof(info));
	/* the old SOCK_PACKET type: p_dgr, as ss names it */
	pkt_msg(b, 10, 0x0800, 1555612);
	nlb_done(b);
}

TEST(sockdiag_packet)
{
	struct sockets_query q = { 0 };
	struct sock_table t = { 0 };
	struct nlb b = { 0 };
	const struct sock_entry *e;

	packet_dump(&b);
	if (!ASSERT_EQ(parse_exact(b.buf, b.len, SK_PACKET_RAW, NULL, &t), 3, "rows"))
		goto out;
	e = &t.v[0];
	ASSERT_EQ(e->kind, SK_PACKET_RAW, "p_raw");
	ASSERT_EQ(e->family, AF_PACKET, "family");
	ASSERT_EQ(e->pkt_proto, 3, "ETH_P_ALL");
	ASSERT_EQ(e->state, SOCKTAP_TCP_CLOSE, "UNCONN");
	ASSERT_EQ(e->inode, 1555608, "inode");
	ASSERT_EQ(e->cookie, 0xdbda, "cookie");
	ASSERT_EQ(e->uid, 1000, "uid");
	ASSERT_EQ(e->ifindex, 0, "no device");
	ASSERT_EQ(e->recv_q, 2304, "Recv-Q: rmem_alloc");
	ASSERT_EQ(e->send_q, 0, "no Send-Q");
	if (ASSERT_OK_PTR(e->link, "details")) {
		ASSERT_TRUE(e->link->has_info, "info");
		ASSERT_EQ(e->link->version, 2, "TPACKET_V3");
		ASSERT_EQ(e->link->flags, PDI_RUNNING | PDI_AUXDATA, "flags");
		ASSERT_TRUE(e->link->has_rx_ring, "rx ring");
		ASSERT_FALSE(e->link->has_tx_ring, "no tx ring");
		ASSERT_EQ(e->link->rx_ring.block_size, 4096, "block size");
		ASSERT_EQ(e->link->rx_ring.frame_nr, 8, "frames");
		ASSERT_EQ(e->link->rx_ring.retire_tmo, 60, "tmo");
		ASSERT_EQ(e->link->rx_ring.features, 3, "features (after sizeof_priv)");
		ASSERT_TRUE(e->link->has_fanout, "fanout");
		ASSERT_EQ(e->link->fanout, 1u << 16 | 42, "fanout word");
	}
	e = &t.v[1];
	ASSERT_EQ(e->kind, SK_PACKET_DGRAM, "p_dgr");
	ASSERT_EQ(e->pkt_proto, 0x86dd, "ipv6");
	ASSERT_EQ(e->ifindex, 1, "bound to lo");
	ASSERT_FALSE(e->has_mem, "no meminfo");
	ASSERT_TRUE(e->link && !e->link->has_fanout, "info only");
	e = &t.v[2];
	ASSERT_EQ(e->kind, SK_PACKET_DGRAM, "SOCK_PACKET is p_dgr");
	ASSERT_NULL(e->link, "no extras");

	/* the query: kinds and states apply, the inet family does not */
	q.kinds = SK_KIND_BIT(SK_PACKET_RAW);
	q.family = AF_INET;
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_PACKET_RAW, &q, &t), 1, "p_raw only");
	q.kinds = 0;
	q.states = 1u << SOCKTAP_TCP_ESTABLISHED;
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_PACKET_RAW, &q, &t), 0, "not in state CLOSE");
	memset(&b, 0, sizeof(b));
	netlink_dump(&b);
	ASSERT_EQ(parse_exact(b.buf, b.len, SK_NETLINK, &q, &t), 0, "netlink: not CLOSE either");
	ASSERT_EQ(t.n, 4, "rows in all");
out:
	sock_table_free(&t);
}

TEST(sockdiag_link_rejects_malformed)
{
	struct netlink_diag_msg nr = { .ndiag_family = AF_NETLINK };
	struct packet_diag_msg pr = { .pdiag_family = AF_PACKET, .pdiag_type = SOCK_RAW };
	struct packet_diag_info info = { 0 };
	struct packet_diag_ring ring = { 0 };
	struct nlb b;

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &nr, sizeof(nr) - 4);
	expect_malformed(&b, SK_NETLINK, "short netlink_diag_msg");

	memset(&b, 0, sizeof(b));
	nr.ndiag_family = AF_PACKET;
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &nr, sizeof(nr));
	expect_malformed(&b, SK_NETLINK, "netlink message of another family");
	nr.ndiag_family = AF_NETLINK;

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &nr, sizeof(nr));
	nlb_u32(&b, NETLINK_DIAG_GROUPS, 1);
	((struct rtattr *)(b.buf + b.len - 8))->rta_len = 12;
	expect_malformed(&b, SK_NETLINK, "attribute past its message");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &pr, sizeof(pr) - 4);
	expect_malformed(&b, SK_PACKET_RAW, "short packet_diag_msg");

	memset(&b, 0, sizeof(b));
	pr.pdiag_family = AF_NETLINK;
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &pr, sizeof(pr));
	expect_malformed(&b, SK_PACKET_DGRAM, "packet message of another family");
	pr.pdiag_family = AF_PACKET;

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &pr, sizeof(pr));
	nlb_attr(&b, PACKET_DIAG_INFO, &info, sizeof(info) - 4);
	expect_malformed(&b, SK_PACKET_RAW, "short PACKET_DIAG_INFO");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &pr, sizeof(pr));
	nlb_attr(&b, PACKET_DIAG_TX_RING, &ring, sizeof(ring) - 4);
	expect_malformed(&b, SK_PACKET_RAW, "short ring");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &pr, sizeof(pr));
	nlb_attr(&b, PACKET_DIAG_UID, "ab", 2);
	expect_malformed(&b, SK_PACKET_RAW, "short uid");

	memset(&b, 0, sizeof(b));
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &pr, sizeof(pr));
	nlb_attr(&b, PACKET_DIAG_FANOUT, "abc", 3);
	expect_malformed(&b, SK_PACKET_RAW, "short fanout");

	/* a good row, then a bad one: the good one is taken back with its details */
	memset(&b, 0, sizeof(b));
	packet_dump(&b);
	b.len -= NLMSG_LENGTH(4); /* the DONE */
	nlb_msg(&b, SOCK_DIAG_BY_FAMILY, &pr, sizeof(pr));
	nlb_attr(&b, PACKET_DIAG_FANOUT, "abc", 3);
	expect_malformed(&b, SK_PACKET_RAW, "rows before a bad one");
}

/* Every prefix of the dumps, and mutations of them: -1 or whole rows, never an overread. */
TEST(sockdiag_link_truncated_and_fuzzed)
{
	struct nlb nb = { 0 }, pb = { 0 };
	uint32_t seed = 0x11d;

	netlink_dump(&nb);
	packet_dump(&pb);
	for (int which = 0; which < 2; which++) {
		const struct nlb *src = which ? &pb : &nb;
		enum sock_kind kind = which ? SK_PACKET_DGRAM : SK_NETLINK;

		for (size_t len = 0; len < src->len; len++) {
			struct sock_table t = { 0 };
			int r = parse_exact(src->buf, len, kind, NULL, &t);

			if (!ASSERT_TRUE(r == -1 || (r >= 0 && (size_t)r == t.n), "prefix"))
				break;
			sock_table_free(&t);
		}
	}
	for (int i = 0; i < 20000; i++) {
		const struct nlb *src = (i & 1) ? &pb : &nb;
		enum sock_kind kind = (i & 1) ? SK_PACKET_RAW : SK_NETLINK;
		uint8_t buf[sizeof(nb.buf)];
		size_t len = src->len;
		struct sock_table t = { 0 };
		int flips = 1 + rnd(&seed) % 8, ret;

		memcpy(buf, src->buf, len);
		for (int f = 0; f < flips; f++) {
			size_t at = rnd(&seed) % len;

			if (rnd(&seed) & 1)
				buf[at] = (uint8_t)rnd(&seed);
			else
				buf[at] ^= (uint8_t)(1u << (rnd(&seed) % 8));
		}
		if (rnd(&seed) % 4 == 0)
			len = rnd(&seed) % (len + 1);
		ret = parse_exact(buf, len, kind, NULL, &t);
		if (!ASSERT_TRUE(ret == -1 ? t.n == 0 : (size_t)ret == t.n, "rows match result"))
			break;
		sock_table_free(&t);
	}
}

/* recorded in a namespace on Linux 6.18: the kernel's rtnl, a process's, a connected uevent */
static const char proc_netlink[] =
	"sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n"
	"000000006ce5cdb1 0   0          00000000 0        0        0     2        0        "
	"1550962 \n"
	"0000000022ba1f2d 0   10870      00000001 0        0        0     2        0        "
	"1555613 \n"
	"0000000000000000 4   4294963198 00000000 832      16       1     2        0        "
	"1550968 \n";
static const char proc_packet[] =
	"sk               RefCnt Type Proto  Iface R Rmem   User   Inode\n"
	"000000004134a27a 3      3    0003   0     1 0      0      1555608\n"
	"00000000e2ca3ace 3      2    0800   1     1 2304   1000   1555609\n"
	"0000000019fc763f 2      10   0000   0     0 0      0      1555610\n";

TEST(sockdiag_proc_netlink_and_packet)
{
	struct sockets_query q = { .states = 1u << SOCKTAP_TCP_LISTEN };
	struct sock_table t = { 0 };
	const struct sock_entry *e;

	if (!ASSERT_EQ(sockdiag_parse_proc_netlink(proc_netlink, strlen(proc_netlink), NULL, 5, &t),
		       3, "netlink rows"))
		goto out;
	e = &t.v[0];
	ASSERT_EQ(e->kind, SK_NETLINK, "kind");
	ASSERT_EQ(e->family, AF_NETLINK, "family");
	ASSERT_EQ(e->proto, NETLINK_ROUTE, "rtnl");
	ASSERT_EQ(e->state, SOCKTAP_TCP_CLOSE, "UNCONN");
	ASSERT_EQ(e->nl_portid, 0, "kernel");
	ASSERT_EQ(e->inode, 1550962, "inode");
	ASSERT_EQ(e->netns, 5, "netns");
	if (ASSERT_OK_PTR(e->link, "sk word"))
		ASSERT_EQ(e->link->nl_sk, 0x6ce5cdb1, "sk");
	e = &t.v[1];
	ASSERT_EQ(e->nl_portid, 10870, "port id");
	ASSERT_EQ(e->nl_groups, 1, "groups");
	ASSERT_FALSE(e->nl_connected, "/proc says nothing of the peer");
	e = &t.v[2];
	ASSERT_EQ(e->proto, NETLINK_SOCK_DIAG, "tcpdiag");
	ASSERT_EQ((int32_t)e->nl_portid, -4098, "autobound");
	ASSERT_EQ(e->recv_q, 832, "Rmem");
	ASSERT_EQ(e->send_q, 16, "Wmem");
	if (ASSERT_OK_PTR(e->link, "dump word"))
		ASSERT_EQ(e->link->nl_cb, 1, "cb: a dump runs");

	if (!ASSERT_EQ(sockdiag_parse_proc_packet(proc_packet, strlen(proc_packet), NULL, 5, &t), 3,
		       "packet rows"))
		goto out;
	e = &t.v[3];
	ASSERT_EQ(e->kind, SK_PACKET_RAW, "p_raw");
	ASSERT_EQ(e->family, AF_PACKET, "family");
	ASSERT_EQ(e->pkt_proto, 3, "ETH_P_ALL (hex in /proc)");
	ASSERT_EQ(e->inode, 1555608, "inode");
	e = &t.v[4];
	ASSERT_EQ(e->kind, SK_PACKET_DGRAM, "p_dgr");
	ASSERT_EQ(e->pkt_proto, 0x0800, "ip");
	ASSERT_EQ(e->ifindex, 1, "lo");
	ASSERT_EQ(e->recv_q, 2304, "Rmem");
	ASSERT_EQ(e->uid, 1000, "uid");
	ASSERT_EQ(t.v[5].kind, SK_PACKET_DGRAM, "SOCK_PACKET");

	/* states apply; a header alone and nothing at all are no rows */
	ASSERT_EQ(sockdiag_parse_proc_packet(proc_packet, strlen(proc_packet), &q, 0, &t), 0,
		  "state filter");
	ASSERT_EQ(sockdiag_parse_proc_netlink(proc_netlink, strcspn(proc_netlink, "\n") + 1, NULL,
					      0, &t),
		  0, "header only");
	ASSERT_EQ(sockdiag_parse_proc_netlink("", 0, NULL, 0, &t), 0, "empty");
	ASSERT_EQ(t.n, 6, "rows in all");
	/* a cut line, the other file's text: rejected, table untouched */
	ASSERT_EQ(sockdiag_parse_proc_packet(proc_packet, strlen(proc_packet) - 20, NULL, 0, &t),
		  -1, "cut line");
	ASSERT_EQ(sockdiag_parse_proc_packet(proc_netlink, strlen(proc_netlink), NULL, 0, &t), -1,
		  "netlink text as packet");
	ASSERT_EQ(sockdiag_parse_proc_netlink(proc_packet + 64, strlen(proc_packet) - 64, NULL, 0,
					      &t),
		  -1, "packet text as netlink");
	ASSERT_EQ(t.n, 6, "untouched");
	for (size_t len = 0; len <= strlen(proc_netlink); len++) {
		char *copy = malloc(len + 1);
		int r1, r2;

		if (len)
			memcpy(copy, proc_netlink, len);
		r1 = sockdiag_parse_proc_netlink(copy, len, NULL, 0, &t);
		if (len)
			memcpy(copy, proc_packet,
			       len < sizeof(proc_packet) ? len : sizeof(proc_packet));
		r2 = sockdiag_parse_proc_packet(copy, len < sizeof(proc_packet) ? len : 0, NULL, 0,
						&t);
		free(copy);
		if (!ASSERT_TRUE(r1 >= -1 && r1 <= 3 && r2 >= -1 && r2 <= 3, "prefix"))
			break;
	}
out:
	sock_table_free(&t);
}
