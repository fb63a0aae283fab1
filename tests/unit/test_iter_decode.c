// SPDX-License-Identifier: GPL-2.0
/*
 * The listing iterators' records decoded into the socket table, with
 * tcp_get_info()'s conversions (net/ipv4/tcp.c): jiffies_to_usecs() for rto
 * and ato, srtt_us >> 3, mdev_us >> 2, the delivery rate of the last
 * sample, the chrono sums (each stat times USEC_PER_SEC / HZ), and what a
 * listener reports.
 */
#include <string.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "iter_decode.h"
#include "socktap.h"
#include "unit.h"

/* One TCP record with both optional parts, in a buffer laid out as the iterator writes it. */
struct tcp_rec {
	struct socktap_iter_sock s;
	struct socktap_iter_mem m;
	struct socktap_iter_tcpinfo ti;
};

_Static_assert(sizeof(struct tcp_rec) == sizeof(struct socktap_iter_sock) +
						 sizeof(struct socktap_iter_mem) +
						 sizeof(struct socktap_iter_tcpinfo),
	       "no padding between parts");

static void estab_rec(struct tcp_rec *r)
{
	memset(r, 0, sizeof(*r));
	r->s.cookie = 0x131ab;
	r->s.ino = 351311;
	r->s.cgroup = 77;
	inet_pton(AF_INET, "127.0.0.1", r->s.saddr);
	inet_pton(AF_INET, "10.1.2.3", r->s.daddr);
	r->s.netns = 4026531840u;
	r->s.uid = 1000;
	r->s.rqueue = 11;
	r->s.wqueue = 22;
	r->s.ifindex = 3;
	r->s.mark = 0x10;
	r->s.timer_jiffies = 50;
	r->s.timer_retrans = 2;
	r->s.sport = 44158;
	r->s.dport = 5555;
	r->s.family = AF_INET;
	r->s.proto = IPPROTO_TCP;
	r->s.state = SOCKTAP_TCP_ESTABLISHED;
	r->s.timer = SOCKTAP_TIMER_KEEPALIVE;
	r->s.shutdown = 2;
	r->s.flags = SOCKTAP_ITER_F_MEM | SOCKTAP_ITER_F_TCPINFO;
	r->m = (struct socktap_iter_mem){ 1, 131072, 2, 2626560, 3, 4, 5, 6, 7, 0 };
	r->ti.bytes_sent = 1000;
	r->ti.bytes_retrans = 10;
	r->ti.bytes_acked = 990;
	r->ti.bytes_received = 500;
	r->ti.pacing_rate = 2500000;
	r->ti.max_pacing_rate = ~0ull;
	r->ti.rate_delivered = 10;
	r->ti.rate_interval_us = 20000;
	r->ti.rto = 50;
	r->ti.ato = 10;
	r->ti.since_send = 125;
	r->ti.since_recv = 250;
	r->ti.since_ack = 1;
	r->ti.srtt_us8 = 9877; /* 1234.6 us */
	r->ti.mdev_us4 = 2270; /* 567.5 us */
	r->ti.min_rtt_us = 900;
	r->ti.rcv_rtt_us8 = 803;
	r->ti.mss_cache = 1448;
	r->ti.rcv_mss = 536;
	r->ti.advmss = 1460;
	r->ti.pmtu = 1500;
	r->ti.snd_cwnd = 10;
	r->ti.snd_ssthresh = 7;
	r->ti.packets_out = 4;
	r->ti.sacked_out = 1;
	r->ti.lost_out = 2;
	r->ti.retrans_out = 3;
	r->ti.total_retrans = 9;
	r->ti.reordering = 3;
	r->ti.reord_seen = 1;
	r->ti.rcv_space = 14600;
	r->ti.rcv_ssthresh = 64076;
	r->ti.notsent = 100;
	r->ti.snd_wnd = 65536;
	r->ti.rcv_wnd = 65535;
	r->ti.segs_out = 20;
	r->ti.segs_in = 21;
	r->ti.data_segs_out = 15;
	r->ti.data_segs_in = 16;
	r->ti.delivered = 14;
	r->ti.delivered_ce = 1;
	r->ti.dsack_dups = 2;
	r->ti.chrono_stat[0] = 100;
	r->ti.chrono_stat[1] = 20;
	r->ti.chrono_stat[2] = 5;
	r->ti.chrono_since = 30;
	r->ti.chrono_type = 2; /* rwnd limited, running */
	r->ti.options = 7;
	r->ti.snd_wscale = 7;
	r->ti.rcv_wscale = 9;
	r->ti.backoff = 1;
	r->ti.ca_state = 4;
	r->ti.app_limited = 1;
	strcpy(r->ti.cong, "cubic");
}

TEST(iter_decode_tcp_full_record)
{
	struct sock_table t = { 0 };
	struct tcp_rec r;
	struct sock_entry *e;
	const struct sock_tcpinfo *ti;

	estab_rec(&r);
	if (!ASSERT_EQ(iter_decode_socks(&r, sizeof(r), SK_TCP, 250, &t), 1, "one record"))
		return;
	e = &t.v[0];
	ASSERT_EQ(e->kind, SK_TCP, "kind");
	ASSERT_EQ(e->family, AF_INET, "family");
	ASSERT_EQ(e->state, SOCKTAP_TCP_ESTABLISHED, "state");
	ASSERT_EQ(e->lport, 44158, "lport");
	ASSERT_EQ(e->rport, 5555, "rport");
	ASSERT_TRUE(!memcmp(e->raddr, r.s.daddr, 16), "raddr");
	ASSERT_EQ(e->recv_q, 11, "recv_q");
	ASSERT_EQ(e->send_q, 22, "send_q");
	ASSERT_EQ(e->inode, 351311, "inode");
	ASSERT_EQ(e->cookie, 0x131ab, "cookie");
	ASSERT_EQ(e->uid, 1000, "uid");
	ASSERT_EQ(e->ifindex, 3, "ifindex");
	ASSERT_EQ(e->mark, 0x10, "mark");
	ASSERT_EQ(e->cgroup, 77, "cgroup");
	ASSERT_EQ(e->netns, 4026531840u, "netns");
	ASSERT_EQ(e->shutdown, 2, "shutdown");
	ASSERT_FALSE(e->v6only, "not v6only");
	ASSERT_FALSE(e->minisock, "full socket");
	ASSERT_EQ(e->timer, SKT_KEEPALIVE, "timer");
	ASSERT_EQ(e->timer_expires_ms, 200, "50 jiffies at HZ 250");
	ASSERT_EQ(e->timer_retrans, 2, "timer retrans");
	ASSERT_TRUE(e->has_mem, "has_mem");
	ASSERT_EQ(e->mem.rcvbuf, 131072, "rcvbuf");
	ASSERT_EQ(e->mem.sndbuf, 2626560, "sndbuf");
	ASSERT_EQ(e->mem.drops, 7, "drops");
	if (!ASSERT_TRUE(e->has_tcpinfo, "has_tcpinfo"))
		goto out;
	ti = e->tcpi;
	ASSERT_STREQ(ti->cong, "cubic", "cong");
	ASSERT_EQ(ti->rto_us, 200000, "rto");
	ASSERT_EQ(ti->ato_us, 40000, "ato");
	ASSERT_EQ(ti->rtt_us, 1234, "srtt >> 3");
	ASSERT_EQ(ti->rttvar_us, 567, "mdev >> 2");
	ASSERT_EQ(ti->rcv_rtt_us, 100, "rcv_rtt >> 3");
	ASSERT_EQ(ti->min_rtt_us, 900, "min_rtt");
	ASSERT_EQ(ti->last_data_sent_ms, 500, "lastsnd");
	ASSERT_EQ(ti->last_data_recv_ms, 1000, "lastrcv");
	ASSERT_EQ(ti->last_ack_recv_ms, 4, "lastack");
	ASSERT_EQ(ti->snd_mss, 1448, "mss");
	ASSERT_EQ(ti->unacked, 4, "unacked = packets_out");
	ASSERT_EQ(ti->sacked, 1, "sacked");
	ASSERT_EQ(ti->lost, 2, "lost");
	ASSERT_EQ(ti->retrans, 3, "retrans");
	ASSERT_EQ(ti->total_retrans, 9, "total_retrans");
	ASSERT_EQ(ti->notsent_bytes, 100, "notsent");
	ASSERT_EQ(ti->bytes_acked, 990, "bytes_acked");
	ASSERT_EQ(ti->pacing_rate, 2500000, "pacing");
	ASSERT_EQ(ti->max_pacing_rate, UINT64_MAX, "unlimited max pacing");
	/* 10 packets of 1448 bytes in 20 ms */
	ASSERT_EQ(ti->delivery_rate, 724000, "delivery_rate");
	ASSERT_EQ(ti->delivery_rate_app_limited, 1, "app_limited");
	/* busy 100, rwnd 20 + 30 running, sndbuf 5 jiffies; 4000 us each */
	ASSERT_EQ(ti->busy_time_us, 620000, "busy = sum of the three");
	ASSERT_EQ(ti->rwnd_limited_us, 200000, "rwnd limited");
	ASSERT_EQ(ti->sndbuf_limited_us, 20000, "sndbuf limited");
	ASSERT_EQ(ti->options, 7, "options");
	ASSERT_EQ(ti->snd_wscale, 7, "snd_wscale");
	ASSERT_EQ(ti->rcv_wscale, 9, "rcv_wscale");
out:
	sock_table_free(&t);
}

TEST(iter_decode_tcp_other_hz)
{
	struct sock_table t = { 0 };
	struct tcp_rec r;

	estab_rec(&r);
	r.ti.rto = 200;
	r.s.timer_jiffies = 1500;
	r.ti.chrono_type = 0;
	ASSERT_EQ(iter_decode_socks(&r, sizeof(r), SK_TCP, 1000, &t), 1, "HZ 1000");
	ASSERT_EQ(t.v[0].tcpi->rto_us, 200000, "rto at HZ 1000");
	ASSERT_EQ(t.v[0].timer_expires_ms, 1500, "timer at HZ 1000");
	ASSERT_EQ(t.v[0].tcpi->busy_time_us, 125000, "chrono at HZ 1000");
	sock_table_free(&t);

	/* HZ 300: the kernel multiplies each chrono stat by USEC_PER_SEC / HZ = 3333 */
	estab_rec(&r);
	r.ti.chrono_stat[0] = 3;
	r.ti.chrono_stat[1] = 0;
	r.ti.chrono_stat[2] = 0;
	r.ti.chrono_type = 0;
	ASSERT_EQ(iter_decode_socks(&r, sizeof(r), SK_TCP, 300, &t), 1, "HZ 300");
	ASSERT_GE(t.v[0].tcpi->busy_time_us, 9999, "busy at HZ 300, at least");
	/* tcp_get_info_chrono_stats(): stats[i] *= USEC_PER_SEC / HZ, 3333 at HZ 300: 9999 us */
	ASSERT_EQ(t.v[0].tcpi->busy_time_us, 9999, "busy at HZ 300");
	sock_table_free(&t);
}

TEST(iter_decode_tcp_listener_info)
{
	struct sock_table t = { 0 };
	struct tcp_rec r;
	const struct sock_tcpinfo *ti;

	estab_rec(&r);
	r.s.state = SOCKTAP_TCP_LISTEN;
	r.s.rqueue = 2; /* accept queue */
	r.s.wqueue = 128; /* backlog */
	r.s.family = AF_INET6;
	r.s.flags |= SOCKTAP_ITER_F_V6ONLY;
	ASSERT_EQ(iter_decode_socks(&r, sizeof(r), SK_TCP, 250, &t), 1, "one listener");
	ti = t.v[0].tcpi;
	ASSERT_TRUE(t.v[0].v6only, "v6only flag");
	ASSERT_STREQ(ti->cong, "cubic", "cong kept");
	ASSERT_EQ(ti->pacing_rate, 2500000, "pacing kept");
	ASSERT_EQ(ti->max_pacing_rate, UINT64_MAX, "max pacing kept");
	ASSERT_EQ(ti->reordering, 3, "reordering kept");
	ASSERT_EQ(ti->snd_cwnd, 10, "cwnd kept");
	ASSERT_EQ(ti->unacked, 2, "unacked = accept queue");
	ASSERT_EQ(ti->sacked, 128, "sacked = backlog");
	ASSERT_EQ(ti->rtt_us, 0, "no rtt");
	ASSERT_EQ(ti->rto_us, 0, "no rto");
	ASSERT_EQ(ti->snd_mss, 0, "no mss");
	ASSERT_EQ(ti->options, 0, "no options");
	ASSERT_EQ(ti->bytes_acked, 0, "no bytes");
	ASSERT_EQ(ti->delivery_rate, 0, "no delivery rate");
	ASSERT_EQ(ti->busy_time_us, 0, "no busy time");
	sock_table_free(&t);
}

TEST(iter_decode_tcp_optional_parts_and_truncation)
{
	struct sock_table t = { 0 };
	unsigned char buf[3 * sizeof(struct tcp_rec)];
	struct tcp_rec r;
	size_t n = 0;

	/* a bare record, a TIME-WAIT minisock, then one with tcp info only */
	estab_rec(&r);
	r.s.flags = 0;
	memcpy(buf, &r.s, sizeof(r.s));
	n += sizeof(r.s);
	r.s.flags = SOCKTAP_ITER_F_MINISOCK;
	r.s.state = SOCKTAP_TCP_TIME_WAIT;
	r.s.ino = 0;
	memcpy(buf + n, &r.s, sizeof(r.s));
	n += sizeof(r.s);
	r.s.flags = SOCKTAP_ITER_F_TCPINFO;
	r.s.state = SOCKTAP_TCP_ESTABLISHED;
	r.s.sport = 1;
	memcpy(buf + n, &r.s, sizeof(r.s));
	n += sizeof(r.s);
	memcpy(buf + n, &r.ti, sizeof(r.ti));
	n += sizeof(r.ti);
	ASSERT_EQ(iter_decode_socks(buf, n, SK_TCP, 250, &t), 3, "three records");
	if (ASSERT_EQ(t.n, 3, "three entries")) {
		ASSERT_FALSE(t.v[0].has_mem || t.v[0].has_tcpinfo, "bare");
		ASSERT_TRUE(t.v[1].minisock, "minisock");
		ASSERT_EQ(t.v[1].inode, 0, "no inode");
		ASSERT_FALSE(t.v[2].has_mem, "no mem");
		ASSERT_TRUE(t.v[2].has_tcpinfo, "tcp info");
		ASSERT_EQ(t.v[2].lport, 1, "third record's port");
		ASSERT_EQ(t.v[2].tcpi->rto_us, 200000, "third record's info");
	}
	sock_table_free(&t);

	ASSERT_EQ(iter_decode_socks(buf, 0, SK_TCP, 250, &t), 0, "empty buffer");
	ASSERT_EQ(iter_decode_socks(buf, n - 1, SK_TCP, 250, &t), -1, "cut in tcp info");
	sock_table_free(&t);
	ASSERT_EQ(iter_decode_socks(buf, sizeof(r.s) - 1, SK_TCP, 250, &t), -1, "cut in record");
	sock_table_free(&t);
	estab_rec(&r);
	ASSERT_EQ(iter_decode_socks(&r, sizeof(r.s) + sizeof(r.m) - 4, SK_TCP, 250, &t), -1,
		  "cut in mem");
	sock_table_free(&t);

	/* UDP records take the kind asked for */
	estab_rec(&r);
	r.s.flags = 0;
	r.s.proto = IPPROTO_UDP;
	ASSERT_EQ(iter_decode_socks(&r.s, sizeof(r.s), SK_UDP, 250, &t), 1, "udp");
	ASSERT_EQ(t.v[0].kind, SK_UDP, "udp kind");
	ASSERT_EQ(t.v[0].proto, IPPROTO_UDP, "udp proto");
	sock_table_free(&t);
}

/* Counting by state steps over the optional parts and reads nothing else. */
TEST(iter_count_socks_by_state)
{
	unsigned char buf[4 * sizeof(struct tcp_rec)];
	uint64_t counts[SOCKTAP_TCP_NSTATES] = { 0 };
	struct tcp_rec r;
	size_t n = 0;

	/* with mem and tcp info, bare, TIME-WAIT, a listener with tcp info */
	estab_rec(&r);
	memcpy(buf, &r, sizeof(r));
	n += sizeof(r);
	r.s.flags = 0;
	memcpy(buf + n, &r.s, sizeof(r.s));
	n += sizeof(r.s);
	r.s.flags = SOCKTAP_ITER_F_MINISOCK;
	r.s.state = SOCKTAP_TCP_TIME_WAIT;
	memcpy(buf + n, &r.s, sizeof(r.s));
	n += sizeof(r.s);
	r.s.flags = SOCKTAP_ITER_F_TCPINFO;
	r.s.state = SOCKTAP_TCP_LISTEN;
	memcpy(buf + n, &r.s, sizeof(r.s));
	n += sizeof(r.s);
	memcpy(buf + n, &r.ti, sizeof(r.ti));
	n += sizeof(r.ti);
	ASSERT_EQ(iter_count_socks(buf, n, counts, SOCKTAP_TCP_NSTATES), 4, "four records");
	ASSERT_EQ(counts[SOCKTAP_TCP_ESTABLISHED], 2, "two established");
	ASSERT_EQ(counts[SOCKTAP_TCP_TIME_WAIT], 1, "one time-wait");
	ASSERT_EQ(counts[SOCKTAP_TCP_LISTEN], 1, "one listener");
	ASSERT_EQ(iter_count_socks(buf, n - 1, counts, SOCKTAP_TCP_NSTATES), -1, "cut in tcp info");
	ASSERT_EQ(iter_count_socks(buf, sizeof(r.s) + 4, counts, SOCKTAP_TCP_NSTATES), -1,
		  "cut in mem");
	ASSERT_EQ(iter_count_socks(buf, 0, counts, SOCKTAP_TCP_NSTATES), 0, "empty");
}

static void unix_rec(struct socktap_iter_unix *u, uint16_t type, const char *path, size_t len)
{
	memset(u, 0, sizeof(*u));
	u->cookie = 9;
	u->ino = 653605;
	u->peer_ino = 653606;
	u->netns = 4026531840u;
	u->uid = 1000;
	u->rqueue = 1;
	u->wqueue = 5;
	u->type = type;
	u->state = SOCKTAP_TCP_LISTEN;
	u->shutdown = 1;
	u->path_len = (uint16_t)len;
	memcpy(u->path, path, len);
	u->vfs_dev = 254u << 20;
	u->vfs_ino = 10959548;
}

TEST(iter_decode_unix_records)
{
	struct socktap_iter_unix u[4];
	struct sock_table t = { 0 };

	unix_rec(&u[0], SOCK_STREAM, "/tmp/utk.sock", 14); /* with the NUL, as bind() counts */
	unix_rec(&u[1], SOCK_DGRAM, "\0abs\0x", 6);
	unix_rec(&u[2], SOCK_SEQPACKET, "", 0);
	unix_rec(&u[3], SOCK_STREAM, "/p", 2);
	memset(u[3].path, 'a', sizeof(u[3].path));
	u[3].path_len = 200; /* more than sun_path holds */
	if (!ASSERT_EQ(iter_decode_unix(u, sizeof(u), &t), 4, "four records"))
		goto out;
	ASSERT_EQ(t.v[0].kind, SK_UNIX_STREAM, "stream");
	ASSERT_EQ(t.v[1].kind, SK_UNIX_DGRAM, "dgram");
	ASSERT_EQ(t.v[2].kind, SK_UNIX_SEQPACKET, "seqpacket");
	ASSERT_EQ(t.v[0].family, AF_UNIX, "family");
	ASSERT_STREQ(t.v[0].unix_path, "/tmp/utk.sock", "path");
	ASSERT_STREQ(t.v[1].unix_path, "@abs@x", "abstract: '@' for every NUL");
	ASSERT_TRUE(!t.v[2].unix_path || !t.v[2].unix_path[0], "unbound: no path");
	ASSERT_EQ(t.v[3].unix_path ? strlen(t.v[3].unix_path) : 0, 108, "path clipped to 108");
	ASSERT_EQ(t.v[0].inode, 653605, "inode");
	ASSERT_EQ(t.v[0].unix_peer, 653606, "peer inode");
	ASSERT_EQ(t.v[0].recv_q, 1, "rqueue");
	ASSERT_EQ(t.v[0].send_q, 5, "wqueue");
	ASSERT_EQ(t.v[0].state, SOCKTAP_TCP_LISTEN, "state");
	ASSERT_EQ(t.v[0].shutdown, 1, "shutdown");
	ASSERT_EQ(t.v[0].uid, 1000, "uid");
	ASSERT_EQ(t.v[0].cookie, 9, "cookie");
	ASSERT_EQ(t.v[0].unix_vfs_ino, 10959548, "vfs ino");
	ASSERT_EQ(t.v[0].unix_vfs_dev, 254u << 20, "vfs dev");
out:
	sock_table_free(&t);
	ASSERT_EQ(iter_decode_unix(u, sizeof(u[0]) + 100, &t), -1, "truncated");
	sock_table_free(&t);
}

static void file_rec(struct socktap_iter_file *f, uint64_t ino, uint32_t pid, uint32_t fd,
		     const char *comm)
{
	memset(f, 0, sizeof(*f));
	f->ino = ino;
	f->pid = pid;
	f->fd = fd;
	f->uid = 1000 + pid;
	f->f_mode = 3;
	memcpy(f->comm, comm, strnlen(comm, sizeof(f->comm)));
}

/* The walk's records by inode, joined to the entries in two pieces. */
TEST(file_index_joins_owners_to_entries)
{
	struct sock_table t = { 0 };
	struct file_index fx;
	struct socktap_iter_file f[6];
	const struct sock_entry *a, *b;

	sock_table_add(&t)->inode = 100;
	sock_table_add(&t)->inode = 0; /* a TIME-WAIT socket */
	sock_table_add(&t)->inode = 200;
	file_rec(&f[0], 100, 20, 4, "b");
	file_rec(&f[1], 100, 10, 7, "a");
	file_rec(&f[2], 100, 10, 3, "a");
	file_rec(&f[3], 300, 1, 1, "nobody"); /* no such socket */
	file_rec(&f[4], 200, 5, 1, "0123456789abcdefXYZ"); /* fills comm, no NUL */
	file_rec(&f[5], 0, 6, 2, "zero");
	ASSERT_EQ(file_index_build(&fx, f, sizeof(f)), 0, "indexed");
	ASSERT_EQ(fx.n, 6, "every record");
	file_index_join(&fx, &t, 0, 2);
	ASSERT_EQ(t.v[2].nowners, 0, "an entry past the piece is left");
	/* past the end of the table: clamped */
	file_index_join(&fx, &t, 2, 9);
	a = &t.v[0];
	b = &t.v[2];
	if (ASSERT_EQ(a->nowners, 3, "three owners of 100")) {
		ASSERT_EQ(a->owners[0].pid, 10, "first pid");
		ASSERT_EQ(a->owners[0].fd, 3, "first fd");
		ASSERT_EQ(a->owners[1].pid, 10, "second pid");
		ASSERT_EQ(a->owners[1].fd, 7, "second fd");
		ASSERT_EQ(a->owners[2].pid, 20, "third pid");
		ASSERT_STREQ(a->owners[2].comm, "b", "comm");
		ASSERT_EQ(a->owners[2].uid, 1020, "uid");
		ASSERT_EQ(a->owners[2].f_mode, 3, "f_mode");
	}
	if (ASSERT_EQ(b->nowners, 1, "one owner of 200"))
		ASSERT_STREQ(b->owners[0].comm, "0123456789abcde", "comm cut to 15 bytes");
	ASSERT_EQ(t.v[1].nowners, 0, "inode 0 joins nothing");
	file_index_free(&fx);
	ASSERT_EQ(file_index_build(&fx, f, sizeof(f[0]) * 2 - 1), -1, "truncated");
	ASSERT_TRUE(!fx.n && !fx.keys, "a refused buffer leaves nothing to free");
	file_index_free(&fx);
	sock_table_free(&t);
}

static void count_settle(void *arg, struct sock_table *t)
{
	size_t *calls = arg;

	(*calls)++;
	/* what the join takes: every entry before the newest */
	t->settled = t->n - 1;
}

/*
 * sock_table_add lets the join run while a table is read: every
 * SOCK_TABLE_SETTLE_EVERY entries, with the newest not yet counted; a
 * truncation takes back what it drops.
 */
TEST(sock_table_settles_as_it_grows)
{
	struct sock_table t = { 0 };
	size_t calls = 0;

	t.settle = count_settle;
	t.settle_arg = &calls;
	for (int i = 0; i < 3 * SOCK_TABLE_SETTLE_EVERY + 5; i++)
		sock_table_add(&t);
	ASSERT_EQ(calls, 3, "once every SOCK_TABLE_SETTLE_EVERY entries");
	ASSERT_EQ(t.settled, 3 * SOCK_TABLE_SETTLE_EVERY - 1, "up to the newest of the last call");
	sock_table_truncate(&t, 100);
	ASSERT_EQ(t.settled, 100, "a truncation lowers it");
	sock_table_free(&t);
	ASSERT_TRUE(!t.settle && !t.settled, "freed with the table");
}

/*
 * Owners live in the table's blocks: many entries, one of them with owners
 * enough to outgrow its slice again and again across blocks, each keeps
 * every owner it was given, in order, and none overwrites another's.
 */
TEST(sock_owners_in_blocks)
{
	struct sock_table t = { 0 };
	const size_t n = 9000, many = 3000;
	bool ok = true;

	for (size_t i = 0; i < n; i++)
		sock_table_add(&t)->inode = i + 1;
	for (size_t i = 0; i < n; i++) {
		struct sock_owner o = { .pid = (uint32_t)(i + 1), .fd = 3 };

		sock_entry_add_owner(&t, &t.v[i], &o);
		/* entry 7 takes one more at every step, in descending fd order */
		if (i < many) {
			struct sock_owner w = { .pid = 8, .fd = (int32_t)(many - i + 3) };

			sock_entry_add_owner(&t, &t.v[7], &w);
		}
	}
	for (size_t i = 0; i < n && ok; i++) {
		if (i == 7)
			continue;
		ok = t.v[i].nowners == 1 && t.v[i].owners[0].pid == i + 1 &&
		     t.v[i].owners[0].fd == 3;
	}
	ASSERT_TRUE(ok, "every entry keeps its one owner");
	if (ASSERT_EQ(t.v[7].nowners, many + 1, "entry 7's owners")) {
		for (size_t k = 0; k <= many && ok; k++)
			ok = t.v[7].owners[k].pid == 8 && t.v[7].owners[k].fd == (int32_t)(k + 3);
		ASSERT_TRUE(ok, "entry 7's owners by fd, 3 to 3003");
	}
	sock_table_free(&t);
	ASSERT_TRUE(!t.owner_blocks && !t.v && !t.n, "freed");
}

/* A whole held walk in one chunk, with an index of its own. */
static long held(const void *buf, size_t len, struct sock_table *t)
{
	struct sock_index ix;
	long n;

	sock_index_init(&ix, 0);
	n = iter_decode_held_chunk(buf, len, 250, t, &ix);
	sock_index_free(&ix);
	return n;
}

/* The held walk: a socket per inode, however many fds hold it; an owner per fd. */
TEST(iter_decode_held_one_entry_per_socket)
{
	struct {
		struct socktap_iter_sock s;
		struct socktap_iter_file f;
	} rec[4];
	struct tcp_rec r;
	struct sock_table t = { 0 };

	_Static_assert(sizeof(rec[0]) ==
			       sizeof(struct socktap_iter_sock) + sizeof(struct socktap_iter_file),
		       "records back to back");
	estab_rec(&r);
	for (int i = 0; i < 4; i++)
		rec[i].s = r.s;
	/* inode 100 held by pid 20 fd 4 and pid 10 fd 7; 200 (UDP) once; 100 again by 10 fd 3 */
	file_rec(&rec[0].f, 100, 20, 4, "b");
	file_rec(&rec[1].f, 100, 10, 7, "a");
	rec[2].s.proto = IPPROTO_UDP;
	rec[2].s.sport = 53;
	file_rec(&rec[2].f, 200, 5, 1, "dns");
	file_rec(&rec[3].f, 100, 10, 3, "a");
	ASSERT_EQ(held(rec, sizeof(rec), &t), 4, "every record counted");
	if (ASSERT_EQ(t.n, 2, "two sockets")) {
		ASSERT_EQ(t.v[0].inode, 100, "the holder's inode");
		ASSERT_EQ(t.v[0].kind, SK_TCP, "tcp");
		ASSERT_EQ(t.v[0].lport, 44158, "its port");
		ASSERT_EQ(t.v[0].state, SOCKTAP_TCP_ESTABLISHED, "its state");
		if (ASSERT_EQ(t.v[0].nowners, 3, "three fds")) {
			ASSERT_EQ(t.v[0].owners[0].pid, 10, "ordered by pid");
			ASSERT_EQ(t.v[0].owners[0].fd, 3, "then fd");
			ASSERT_EQ(t.v[0].owners[2].pid, 20, "last pid");
		}
		ASSERT_EQ(t.v[1].kind, SK_UDP, "udp");
		ASSERT_EQ(t.v[1].lport, 53, "udp port");
		ASSERT_EQ(t.v[1].nowners, 1, "one fd");
	}
	sock_table_free(&t);
	ASSERT_EQ(held(rec, 0, &t), 0, "empty");
	ASSERT_EQ(t.n, 0, "nothing added");
	ASSERT_EQ(held(rec, sizeof(rec[0]) + sizeof(rec[0].s), &t), -1,
		  "cut between a socket and its holder");
	sock_table_free(&t);
	ASSERT_EQ(held(rec, sizeof(rec) - 1, &t), -1, "cut in the last");
	sock_table_free(&t);
}

/*
 * The held walk read chunk by chunk (loader_iter_each): one index across
 * the chunks, grown from nothing, so a socket met again in a later chunk
 * gets an owner, not a second entry.
 */
TEST(iter_decode_held_chunks_share_one_index)
{
	enum { N = 1000 };
	static struct {
		struct socktap_iter_sock s;
		struct socktap_iter_file f;
	} rec[N + 1];
	struct tcp_rec r;
	struct sock_table t = { 0 };
	struct sock_index ix;
	long got = 0;
	bool ok = true;

	estab_rec(&r);
	for (int i = 0; i < N; i++) {
		rec[i].s = r.s;
		file_rec(&rec[i].f, 1000 + (uint64_t)i, 7, 3 + i, "farm");
	}
	/* the first socket again, by another process, in the last chunk */
	rec[N].s = r.s;
	file_rec(&rec[N].f, 1000, 9, 5, "peer");
	sock_index_init(&ix, 0);
	/* chunks of 7 records: the index grows several times */
	for (size_t i = 0; i < N + 1; i += 7) {
		size_t k = N + 1 - i < 7 ? N + 1 - i : 7;
		long n = iter_decode_held_chunk(&rec[i], k * sizeof(rec[0]), 250, &t, &ix);

		ok = ok && n == (long)k;
		got += n;
	}
	ASSERT_TRUE(ok, "each chunk decoded whole");
	ASSERT_EQ(got, N + 1, "every record counted");
	ASSERT_EQ(t.n, N, "one entry per socket");
	ASSERT_TRUE(ix.mask + 1 >= 2 * N, "the index grew to stay half empty");
	if (ASSERT_EQ(t.v[0].nowners, 2, "the first socket's two holders"))
		ASSERT_EQ(t.v[0].owners[1].pid, 9, "the later chunk's holder");
	for (size_t i = 0; i < N && ok; i++)
		ok = sock_index_find(&ix, &t, 1000 + i) == &t.v[i];
	ASSERT_TRUE(ok, "every inode found at its entry after growing");
	ASSERT_EQ(iter_decode_held_chunk(&rec[0], sizeof(rec[0]) - 1, 250, &t, &ix), -1,
		  "a chunk cut inside a record");
	sock_index_free(&ix);
	sock_table_free(&t);
}
