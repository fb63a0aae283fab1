// SPDX-License-Identifier: GPL-2.0
/*
 * ss's column texts. Where a line says "ss 6.1:", the expected text is what
 * iproute2 6.1's ss printed on this machine for a socket with those values
 * (sockets made in a scratch network namespace).
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/sysmacros.h>
#include "socktap.h"
#include "ssfmt.h"
#include "strbuf.h"
#include "unit.h"

static struct sock_entry inet(enum sock_kind kind, int family, uint8_t state, const char *laddr,
			      uint16_t lport, const char *raddr, uint16_t rport)
{
	struct sock_entry e = { 0 };

	e.kind = kind;
	e.family = (uint16_t)family;
	e.proto = kind == SK_UDP ? IPPROTO_UDP : IPPROTO_TCP;
	e.state = state;
	inet_pton(family, laddr, e.laddr);
	inet_pton(family, raddr, e.raddr);
	e.lport = lport;
	e.rport = rport;
	return e;
}

static const char *last_proto;

static const char *svc(uint16_t port, const char *proto)
{
	last_proto = proto;
	if (port == 22 && !strcmp(proto, "tcp"))
		return "ssh";
	if (port == 53)
		return "domain";
	return NULL;
}

static const char *host(int family, const uint8_t *a)
{
	static const uint8_t lo4[4] = { 127, 0, 0, 1 };

	if (family == AF_INET && !memcmp(a, lo4, 4))
		return "localhost";
	if (family == AF_INET6 && a[0] == 0x20 && a[1] == 0x01)
		return "2001:db8::2"; /* what a failed lookup gives: the number */
	return NULL;
}

static const char *ifn(uint32_t ifindex, char *buf, size_t len)
{
	if (ifindex != 2)
		return NULL;
	snprintf(buf, len, "eth0");
	return buf;
}

static const char *cgpath(uint64_t id)
{
	return id == 0x1234 ? "/system.slice/x.service" : NULL;
}

static const char *proto(int p)
{
	return p == 1 ? "icmp" : NULL;
}

static const struct ssfmt_opts numeric = {
	.numeric = true,
	.service = svc,
	.host = host,
	.ifname = ifn,
	.cgroup_path = cgpath,
	.protocol = proto,
};

/* ss_ext()'s text, in a static buffer. */
static const char *ext(const struct sock_entry *e, const struct ssfmt_opts *o)
{
	static char out[2048];
	struct strbuf sb = { 0 };

	ss_ext(&sb, e, o);
	snprintf(out, sizeof(out), "%.*s", (int)sb.len, sb.p ? sb.p : "");
	sb_free(&sb);
	return out;
}

static const char *users(const struct sock_entry *e)
{
	static char out[1024];
	struct strbuf sb = { 0 };

	ss_users(&sb, e, NULL);
	snprintf(out, sizeof(out), "%.*s", (int)sb.len, sb.p ? sb.p : "");
	sb_free(&sb);
	return out;
}

TEST(ssfmt_netid_state_queue)
{
	char b[32];

	ASSERT_STREQ(ss_netid(SK_TCP), "tcp", "tcp");
	ASSERT_STREQ(ss_netid(SK_UDP), "udp", "udp");
	ASSERT_STREQ(ss_netid(SK_RAW), "raw", "raw");
	ASSERT_STREQ(ss_netid(SK_UNIX_STREAM), "u_str", "u_str");
	ASSERT_STREQ(ss_netid(SK_UNIX_DGRAM), "u_dgr", "u_dgr");
	ASSERT_STREQ(ss_netid(SK_UNIX_SEQPACKET), "u_seq", "u_seq");
	ASSERT_STREQ(ss_state(SOCKTAP_TCP_ESTABLISHED), "ESTAB", "ESTAB");
	ASSERT_STREQ(ss_state(SOCKTAP_TCP_CLOSE), "UNCONN", "close is UNCONN");
	ASSERT_STREQ(ss_state(SOCKTAP_TCP_LISTEN), "LISTEN", "LISTEN");
	ASSERT_STREQ(ss_state(SOCKTAP_TCP_FIN_WAIT2), "FIN-WAIT-2", "FIN-WAIT-2");
	ASSERT_STREQ(ss_state(SOCKTAP_TCP_TIME_WAIT), "TIME-WAIT", "TIME-WAIT");
	ASSERT_STREQ(ss_state(SOCKTAP_TCP_NEW_SYN_RECV), "SYN-RECV", "request sockets");
	ss_queue(b, sizeof(b), 0);
	ASSERT_STREQ(b, "0     ", "queue 0");
	ss_queue(b, sizeof(b), 1234567);
	ASSERT_STREQ(b, "1234567", "queue wider than 6");
}

TEST(ssfmt_inet_addresses)
{
	struct sock_entry e;
	char b[128];

	/* ss 6.1: LISTEN 127.0.0.1:5555 0.0.0.0:* */
	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_LISTEN, "127.0.0.1", 5555, "0.0.0.0", 0);
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "127.0.0.1:", "v4 local");
	ss_local_port(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "5555", "v4 port");
	ss_peer_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "0.0.0.0:", "v4 any peer");
	ss_peer_port(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "*", "port 0");

	/* ss 6.1: LISTEN *:5556 *:* (dual stack), [::]:5557 [::]:* (v6only) */
	e = inet(SK_TCP, AF_INET6, SOCKTAP_TCP_LISTEN, "::", 5556, "::", 0);
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "*:", "dual-stack wildcard");
	ss_peer_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "*:", "dual-stack peer");
	e.v6only = true;
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "[::]:", "v6only wildcard");
	ss_peer_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "[::]:", "v6only peer");

	/* ss 6.1: [::1]:5558 and [::ffff:127.0.0.1]:5559 */
	e = inet(SK_UDP, AF_INET6, SOCKTAP_TCP_CLOSE, "::1", 5558, "::", 0);
	e.v6only = true;
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "[::1]:", "v6 loopback");
	e = inet(SK_TCP, AF_INET6, SOCKTAP_TCP_LISTEN, "::ffff:127.0.0.1", 5559, "::", 0);
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "[::ffff:127.0.0.1]:", "v4-mapped");

	/* SO_BINDTODEVICE: on the local address only; if<N> when unnamed */
	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_ESTABLISHED, "10.0.0.1", 80, "10.0.0.2", 4000);
	e.ifindex = 2;
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "10.0.0.1%eth0:", "bound to eth0");
	ss_peer_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "10.0.0.2:", "no device on the peer");
	e.ifindex = 7;
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "10.0.0.1%if7:", "unnamed device");
	e = inet(SK_TCP, AF_INET6, SOCKTAP_TCP_ESTABLISHED, "fe80::1", 80, "fe80::2", 4000);
	e.ifindex = 2;
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "[fe80::1]%eth0:", "v6 link-local on eth0");
}

TEST(ssfmt_resolve_hosts)
{
	struct ssfmt_opts o = numeric;
	struct sock_entry e;
	char b[128];

	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_ESTABLISHED, "127.0.0.1", 1, "10.9.9.9", 2);
	ss_local_addr(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "127.0.0.1:", "no -r: numbers");
	o.resolve = true;
	ss_local_addr(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "localhost:", "-r: the name");
	ss_peer_addr(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "10.9.9.9:", "-r, no name: the number");
	e = inet(SK_TCP, AF_INET6, SOCKTAP_TCP_ESTABLISHED, "2001:db8::2", 1, "::", 0);
	ss_local_addr(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "[2001:db8::2]:", "-r answer with ':' bracketed");
	ss_peer_addr(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "*:", "-r keeps the dual-stack wildcard");
}

TEST(ssfmt_ports_and_services)
{
	struct ssfmt_opts o = numeric;
	struct sock_entry e;
	char b[64];

	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_LISTEN, "0.0.0.0", 22, "0.0.0.0", 0);
	ss_local_port(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "22", "-n: the number");
	o.numeric = false;
	last_proto = NULL;
	ss_local_port(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "ssh", "the service name");
	ASSERT_STREQ(last_proto, "tcp", "asked for tcp");
	ss_peer_port(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "*", "port 0 is * with names too");
	e.lport = 5555;
	ss_local_port(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "5555", "no name: the number");
	e = inet(SK_UDP, AF_INET, SOCKTAP_TCP_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);
	ss_local_port(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "domain", "udp service");
	ASSERT_STREQ(last_proto, "udp", "asked for udp");

	/* raw sockets: the protocol in the port column (ss 6.1: 0.0.0.0:icmp, -n: :1) */
	e = inet(SK_RAW, AF_INET, SOCKTAP_TCP_CLOSE, "0.0.0.0", 1, "0.0.0.0", 0);
	e.proto = 1;
	ss_local_port(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "icmp", "raw protocol name");
	o.numeric = true;
	ss_local_port(b, sizeof(b), &e, &o);
	ASSERT_STREQ(b, "1", "raw -n");
}

TEST(ssfmt_unix_columns)
{
	struct sock_entry e = { 0 };
	char path[] = "/tmp/utk.sock", abst[] = "@abs@x", empty[] = "";
	char b[160];

	e.kind = SK_UNIX_STREAM;
	e.family = AF_UNIX;
	e.state = SOCKTAP_TCP_LISTEN;
	e.inode = 653605;
	e.unix_path = path;
	/* ss 6.1: u_str LISTEN 1 1 /tmp/utk.sock 653605 * 0 */
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "/tmp/utk.sock ", "path");
	ss_local_port(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "653605", "inode");
	ss_peer_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "* ", "peer");
	ss_peer_port(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "0", "no peer inode");
	e.unix_peer = 653606;
	ss_peer_port(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "653606", "peer inode");
	e.unix_path = abst;
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "@abs@x ", "abstract");
	e.unix_path = empty;
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "* ", "unbound (empty)");
	e.unix_path = NULL;
	ss_local_addr(b, sizeof(b), &e, &numeric);
	ASSERT_STREQ(b, "* ", "unbound (NULL)");
}

TEST(ssfmt_users_reverse_order)
{
	struct sock_owner w[] = {
		{ .pid = 17712, .fd = 5, .comm = "python3" },
		{ .pid = 17712, .fd = 7, .comm = "python3" },
		{ .pid = 17790, .fd = 6, .comm = "python3" },
	};
	struct sock_entry e = { 0 };

	e.kind = SK_TCP;
	e.family = AF_INET;
	ASSERT_STREQ(users(&e), "", "no owners");
	e.owners = w;
	e.nowners = 3;
	/* ss 6.1 lists the highest pid first and each process's fds downwards */
	ASSERT_STREQ(users(&e),
		     " users:((\"python3\",pid=17790,fd=6),(\"python3\",pid=17712,fd=7),"
		     "(\"python3\",pid=17712,fd=5))",
		     "reverse of ascending pid, fd");
	strcpy(w[0].comm, "a\x1b[2J\"\\");
	e.nowners = 1;
	ASSERT_STREQ(users(&e), " users:((\"a\\x1b[2J\"\\\\\",pid=17712,fd=5))",
		     "comm escaped for a terminal");
}

/*
 * The memo of rows that follow: the same text as without it, whether the
 * next row's owner is the same process, another one, or the same pid under
 * a new name (a process that called exec).
 */
TEST(ssfmt_users_memo_writes_what_a_row_alone_would)
{
	struct sock_owner w[] = {
		{ .pid = 17712, .fd = 5, .comm = "python3" },
		{ .pid = 17712, .fd = 7, .comm = "python3" },
		{ .pid = 17790, .fd = 6, .comm = "nginx" },
		{ .pid = 17790, .fd = 9, .comm = "nginx: w\x1b" },
		{ .pid = 17790, .fd = -2, .comm = "nginx: w\x1b" },
	};
	struct ss_users_memo memo = { 0 };
	struct strbuf sb = { 0 };
	bool same = true;

	for (size_t i = 0; i < sizeof(w) / sizeof(w[0]) && same; i++) {
		struct sock_entry e = { .kind = SK_TCP, .family = AF_INET };
		const char *alone;

		e.owners = &w[i];
		e.nowners = 1;
		alone = users(&e);
		sb.len = 0;
		ss_users(&sb, &e, &memo);
		same = sb.len == strlen(alone) && !memcmp(sb.p, alone, sb.len);
		if (!same)
			ASSERT_STREQ(alone, "", "the row that differs");
	}
	ASSERT_TRUE(same, "every row as written without the memo");
	ASSERT_TRUE(memo.valid && memo.pid == 17790, "the memo holds the last owner");
	ASSERT_STREQ(users(&(struct sock_entry){ .kind = SK_TCP, .owners = &w[4], .nowners = 1 }),
		     " users:((\"nginx: w\\x1b\",pid=17790,fd=-2))", "the last row's text");
	sb_free(&sb);
}

TEST(ssfmt_ms_timer)
{
	static const struct {
		uint32_t ms;
		const char *want;
	} c[] = {
		{ 0, "" },
		{ 200, "200ms" },
		{ 999, "999ms" },
		{ 1000, "1sec" },
		{ 10500, "10sec" },
		{ 59000, "59sec" },
		{ 60000, "1min" },
		{ 61000, "1min1sec" },
		{ 61500, "1min1sec" },
		{ 74000, "1min14sec" },
		{ 601000, "10min" },
		{ 7140000, "119min" },
	};
	char b[64], name[64];

	for (size_t i = 0; i < sizeof(c) / sizeof(c[0]); i++) {
		snprintf(name, sizeof(name), "%u ms", c[i].ms);
		ss_ms_timer(b, sizeof(b), c[i].ms);
		ASSERT_STREQ(b, c[i].want, name);
	}
	ss_ms_timer(b, sizeof(b), 1500);
	ASSERT_STRNEQ(b, "", "1500 ms not empty");
	/* ss 6.1 printed "timer:(keepalive,1.492ms,0)"; ssfmt.c gives "1.500sec" for 1500 */
	ASSERT_STREQ(b, "1.500ms", "1500 ms as ss 6.1");
	ss_ms_timer(b, sizeof(b), 9999);
	ASSERT_STREQ(b, "9.999ms", "9999 ms as ss 6.1");
}

TEST(ssfmt_bw)
{
	char b[64];

	ss_bw(b, sizeof(b), 137970526315.8, true);
	ASSERT_STREQ(b, "137970526316", "numeric");
	ss_bw(b, sizeof(b), 137970526315.8, false);
	ASSERT_STREQ(b, "138G", "G");
	ss_bw(b, sizeof(b), 1.5e12, false);
	ASSERT_STREQ(b, "1.5T", "T");
	ss_bw(b, sizeof(b), 2.5e6, false);
	ASSERT_STREQ(b, "2.5M", "M");
	ss_bw(b, sizeof(b), 1234, false);
	ASSERT_STREQ(b, "1.23k", "k");
	ss_bw(b, sizeof(b), 1000, false);
	ASSERT_STREQ(b, "1k", "1k");
	ss_bw(b, sizeof(b), 999, false);
	ASSERT_STREQ(b, "999", "below 1k");
}

TEST(ssfmt_ext_timer_and_details)
{
	struct ssfmt_opts o = numeric;
	struct sock_entry e;

	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_ESTABLISHED, "127.0.0.1", 44158, "127.0.0.1", 5555);
	e.inode = 351311;
	e.cookie = 0x131ab;
	e.cgroup = 1;
	e.timer = SKT_ON;
	e.timer_expires_ms = 200;
	ASSERT_STREQ(ext(&e, &o), "", "nothing asked");
	o.options = true;
	ASSERT_STREQ(ext(&e, &o), " timer:(on,200ms,0)", "-o");
	e.timer = SKT_KEEPALIVE;
	e.timer_expires_ms = 74000;
	e.timer_retrans = 2;
	/* ss 6.1: timer:(keepalive,1min14sec,0) */
	ASSERT_STREQ(ext(&e, &o), " timer:(keepalive,1min14sec,2)", "keepalive");
	e.timer = (enum sock_timer)9;
	ASSERT_STREQ(ext(&e, &o), " timer:(unknown,1min14sec,2)", "unknown timer");
	e.timer = SKT_OFF;
	ASSERT_STREQ(ext(&e, &o), "", "timer off");
	o.details = true;
	/* ss 6.1 -e: ino:351311 sk:131ab cgroup:unreachable:1 <-> */
	ASSERT_STREQ(ext(&e, &o), " ino:351311 sk:131ab cgroup:unreachable:1 <->", "-e");
	e.uid = 1000;
	e.mark = 0x10;
	e.cgroup = 0x1234;
	e.shutdown = 1;
	ASSERT_STREQ(ext(&e, &o),
		     " uid:1000 ino:351311 sk:131ab fwmark:0x10 cgroup:/system.slice/x.service -->",
		     "uid, mark, cgroup path, no more receives");
	e.uid = 0;
	e.mark = 0;
	e.cgroup = 0;
	e.shutdown = 2;
	ASSERT_STREQ(ext(&e, &o), " ino:351311 sk:131ab <--", "no more sends");
	e.shutdown = 3;
	ASSERT_STREQ(ext(&e, &o), " ino:351311 sk:131ab ---", "both");
	e.shutdown = 0;
	e.cgroup = 1;
	e.timer = SKT_KEEPALIVE;
	e.timer_expires_ms = 1492;
	e.timer_retrans = 0;
	ASSERT_STREQ(ext(&e, &o),
		     " timer:(keepalive,1.492ms,0) ino:351311 sk:131ab cgroup:unreachable:1 <->",
		     "ss 6.1 -oe line");
}

TEST(ssfmt_ext_v6only_minisock_cgroup)
{
	struct ssfmt_opts o = numeric;
	struct sock_entry e;

	o.options = o.details = true;
	e = inet(SK_TCP, AF_INET6, SOCKTAP_TCP_LISTEN, "::", 5556, "::", 0);
	e.inode = 351313;
	e.cookie = 0x131ac;
	e.cgroup = 1;
	/* ss 6.1: ino:351313 sk:131ac cgroup:unreachable:1 v6only:0 <-> */
	ASSERT_STREQ(ext(&e, &o), " ino:351313 sk:131ac cgroup:unreachable:1 v6only:0 <->",
		     "dual-stack listener");
	e.v6only = true;
	ASSERT_STREQ(ext(&e, &o), " ino:351313 sk:131ac cgroup:unreachable:1 v6only:1 <->",
		     "v6only listener");
	e.state = SOCKTAP_TCP_ESTABLISHED;
	ASSERT_STREQ(ext(&e, &o), " ino:351313 sk:131ac cgroup:unreachable:1 <->",
		     "no v6only when established");
	e = inet(SK_UDP, AF_INET6, SOCKTAP_TCP_CLOSE, "::1", 5558, "::", 0);
	e.v6only = true;
	e.inode = 928354;
	e.cookie = 0x3eb31;
	e.cgroup = 1;
	/* ss 6.1 -uae: ino:928354 sk:3eb31 cgroup:unreachable:1 v6only:1 <-> */
	ASSERT_STREQ(ext(&e, &o), " ino:928354 sk:3eb31 cgroup:unreachable:1 v6only:1 <->",
		     "unconnected udp");

	/* TIME-WAIT: no file, no cgroup, no shutdown state */
	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_TIME_WAIT, "127.0.0.1", 1, "127.0.0.1", 2);
	e.minisock = true;
	e.cookie = 0xabc;
	e.cgroup = 1;
	e.timer = SKT_TIMEWAIT;
	e.timer_expires_ms = 59000;
	ASSERT_STREQ(ext(&e, &o), " timer:(timewait,59sec,0) ino:0 sk:abc", "time-wait");

	/* --cgroup alone */
	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_LISTEN, "0.0.0.0", 1, "0.0.0.0", 0);
	e.cgroup = 0x1234;
	o = numeric;
	o.cgroup = true;
	ASSERT_STREQ(ext(&e, &o), " cgroup:/system.slice/x.service", "--cgroup");
	e.cgroup = 0;
	ASSERT_STREQ(ext(&e, &o), "", "--cgroup, id unknown");
}

TEST(ssfmt_ext_mem_and_info)
{
	struct ssfmt_opts o = numeric;
	struct sock_entry e;
	struct sock_tcpinfo ti_ = { 0 }, *t = &ti_;

	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_LISTEN, "127.0.0.1", 5555, "0.0.0.0", 0);
	e.tcpi = t;
	e.has_mem = true;
	e.mem = (struct sock_mem){ 0, 131072, 0, 2626560, 0, 0, 0, 0, 0 };
	o.mem = true;
	ASSERT_STREQ(ext(&e, &o), "\n\t skmem:(r0,rb131072,t0,tb2626560,f0,w0,o0,bl0,d0)", "-m");
	o.oneline = true;
	ASSERT_STREQ(ext(&e, &o), " skmem:(r0,rb131072,t0,tb2626560,f0,w0,o0,bl0,d0)", "-m -O");

	/* ss 6.1 -i of a listener: "\t bbr cwnd:10" */
	o = numeric;
	o.info = true;
	e.has_tcpinfo = true;
	strcpy(t->cong, "bbr");
	t->snd_cwnd = 10;
	t->reordering = 3;
	ASSERT_STREQ(ext(&e, &o), "\n\t bbr cwnd:10", "listener -i");
	t->sacked = 5;
	t->unacked = 2;
	ASSERT_STREQ(ext(&e, &o), "\n\t bbr cwnd:10 unacked:2", "listener: no sacked");

	e = inet(SK_UDP, AF_INET, SOCKTAP_TCP_CLOSE, "0.0.0.0", 53, "0.0.0.0", 0);
	ASSERT_STREQ(ext(&e, &o), "", "udp -i: nothing");
}

/* The server side of a loopback connection, from ss 6.1 -tanoei (bbr's own part left out). */
static struct sock_entry estab_info(void)
{
	struct sock_entry e;
	/* static: the entry returned points to it */
	static struct sock_tcpinfo ti_;
	struct sock_tcpinfo *t = &ti_;

	memset(&ti_, 0, sizeof(ti_));
	e = inet(SK_TCP, AF_INET, SOCKTAP_TCP_ESTABLISHED, "127.0.0.1", 5555, "127.0.0.1", 44158);
	e.tcpi = t;
	e.has_tcpinfo = true;
	t->options = 1 | 2 | 4;
	strcpy(t->cong, "cubic");
	t->snd_wscale = t->rcv_wscale = 10;
	t->rto_us = 204000;
	t->rtt_us = 19;
	t->rttvar_us = 9;
	t->snd_mss = 32768;
	t->pmtu = 65535;
	t->rcv_mss = 536;
	t->advmss = 65483;
	t->snd_cwnd = 10;
	t->snd_ssthresh = 0x7fffffff;
	t->segs_in = 2;
	t->last_data_sent_ms = t->last_data_recv_ms = t->last_ack_recv_ms = 508;
	t->pacing_rate = 49287406707ull;
	t->max_pacing_rate = UINT64_MAX;
	t->delivered = 1;
	t->delivery_rate_app_limited = 1;
	t->reordering = 3;
	t->rcv_space = t->rcv_ssthresh = 65483;
	t->min_rtt_us = 19;
	t->snd_wnd = 65536;
	return e;
}

TEST(ssfmt_ext_tcp_info)
{
	struct ssfmt_opts o = numeric;
	struct sock_entry e = estab_info();
	struct sock_tcpinfo *t = e.tcpi;

	o.info = true;
	o.options = true;
	ASSERT_STREQ(ext(&e, &o),
		     "\n\t ts sack cubic wscale:10,10 rto:204 rtt:0.019/0.009 mss:32768 pmtu:65535"
		     " rcvmss:536 advmss:65483 cwnd:10 segs_in:2 send 137970526316bps lastsnd:508"
		     " lastrcv:508 lastack:508 pacing_rate 394299253656bps delivered:1 app_limited"
		     " rcv_space:65483 rcv_ssthresh:65483 minrtt:0.019 snd_wnd:65536",
		     "ss 6.1 -noi");
	o.options = false;
	o.numeric = false;
	t->max_pacing_rate = 2 * t->pacing_rate;
	ASSERT_STREQ(ext(&e, &o),
		     "\n\t cubic wscale:10,10 rto:204 rtt:0.019/0.009 mss:32768 pmtu:65535"
		     " rcvmss:536 advmss:65483 cwnd:10 segs_in:2 send 138Gbps lastsnd:508"
		     " lastrcv:508 lastack:508 pacing_rate 394Gbps/789Gbps delivered:1 app_limited"
		     " rcv_space:65483 rcv_ssthresh:65483 minrtt:0.019 snd_wnd:65536",
		     "-i without -o, rates in units");

	/* the fields a quiet loopback leaves at zero, in ss's order */
	memset(t, 0, sizeof(*t));
	t->options = 8 | 16 | 32;
	t->reordering = 5;
	t->backoff = 2;
	t->rto_us = 3000000; /* ss leaves the initial rto out */
	t->ato_us = 40000;
	t->snd_ssthresh = 7;
	t->bytes_sent = 100;
	t->bytes_retrans = 10;
	t->bytes_acked = 90;
	t->bytes_received = 50;
	t->data_segs_out = 3;
	t->data_segs_in = 4;
	t->delivery_rate = 125000;
	t->delivered_ce = 1;
	t->busy_time_us = 620000;
	t->rwnd_limited_us = 200000;
	t->sndbuf_limited_us = 20000;
	t->unacked = 2;
	t->total_retrans = 3;
	t->lost = 1;
	t->sacked = 4;
	t->dsack_dups = 1;
	t->reord_seen = 6;
	t->rcv_rtt_us = 1500;
	t->notsent_bytes = 77;
	t->min_rtt_us = UINT32_MAX;
	o.options = true;
	ASSERT_STREQ(ext(&e, &o),
		     "\n\t ecn ecnseen fastopen backoff:2 ato:40 ssthresh:7 bytes_sent:100"
		     " bytes_retrans:10 bytes_acked:90 bytes_received:50 data_segs_out:3"
		     " data_segs_in:4 delivery_rate 1Mbps delivered_ce:1 busy:620ms"
		     " rwnd_limited:200ms(32.3%) sndbuf_limited:20ms(3.2%) unacked:2 retrans:0/3"
		     " lost:1 sacked:4 dsack_dups:1 reordering:5 reord_seen:6 rcv_rtt:1.5"
		     " notsent:77",
		     "rare fields");
}

TEST(ssfmt_ext_unix)
{
	struct ssfmt_opts o = numeric;
	struct sock_entry e = { 0 };
	char path[] = "/tmp/utk.sock";

	e.kind = SK_UNIX_STREAM;
	e.family = AF_UNIX;
	e.state = SOCKTAP_TCP_ESTABLISHED;
	e.unix_path = path;
	e.unix_vfs_ino = 10959548;
	e.unix_vfs_dev = 254u << 20; /* the kernel's MKDEV(254, 0) */
	e.has_mem = true;
	e.mem = (struct sock_mem){ 0, 212992, 0, 212992, 0, 0, 0, 0, 0 };
	ASSERT_STREQ(ext(&e, &o), "", "nothing asked");
	o.mem = true;
	o.details = true;
	ASSERT_STREQ(
		ext(&e, &o),
		" skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0) <-> ino:10959548 dev:0/65024",
		"-me, no newline for unix");
	o.mem = false;
	e.unix_vfs_ino = 0;
	e.shutdown = 3;
	ASSERT_STREQ(ext(&e, &o), " ---", "-e, unbound file, shut down");
	e.shutdown = 0;
	e.unix_vfs_ino = 10959548;
	e.state = SOCKTAP_TCP_LISTEN;
	ASSERT_OK_PTR(strstr(ext(&e, &o), " <-> ino:10959548 dev:0/65024"), "listener -e");
	/* ss 6.1 -xe asks for UDIAG_SHOW_ICONS and prints " peers:" then each pending
	 * connection's inode for every listener: "... dev:0/65024 peers: 653606" */
	e.has_icons = true;
	ASSERT_STREQ(ext(&e, &o), " <-> ino:10959548 dev:0/65024 peers:", "listener peers:");
	{
		uint64_t icons[] = { 653606, 653610 };

		e.unix_icons = icons;
		e.unix_nicons = 2;
		ASSERT_STREQ(ext(&e, &o), " <-> ino:10959548 dev:0/65024 peers: 653606 653610",
			     "listener with two waiting");
		e.unix_icons = NULL;
		e.unix_nicons = 0;
	}
}

static const char *comm_of(uint32_t pid, char *buf, size_t len)
{
	if (pid != 10870)
		return NULL;
	snprintf(buf, len, "python3");
	return buf;
}

static struct sock_entry netlink(uint8_t proto, uint32_t portid)
{
	struct sock_entry e = { 0 };

	e.kind = SK_NETLINK;
	e.family = AF_NETLINK;
	e.proto = proto;
	e.state = SOCKTAP_TCP_CLOSE;
	e.nl_portid = portid;
	return e;
}

/* the four address columns' texts, joined by '|' */
static const char *cols4(const struct sock_entry *e, const struct ssfmt_opts *o)
{
	static char out[512];
	char a[128], b[128], c[128], d[128];

	ss_local_addr(a, sizeof(a), e, o);
	ss_local_port(b, sizeof(b), e, o);
	ss_peer_addr(c, sizeof(c), e, o);
	ss_peer_port(d, sizeof(d), e, o);
	snprintf(out, sizeof(out), "%s|%s|%s|%s", a, b, c, d);
	return out;
}

TEST(ssfmt_netlink)
{
	struct ssfmt_opts named = numeric, num = numeric;
	struct sock_link_details d = { .nl_sk = 0x6ce5cdb1, .nl_cb = 1 };
	struct sock_owner own = { .pid = 10870, .fd = 8, .comm = "python3" };
	struct sock_entry e;

	named.numeric = false;
	named.proc_comm = comm_of;
	num.proc_comm = comm_of;
	ASSERT_STREQ(ss_netid(SK_NETLINK), "nl", "netid");
	/* ss 6.1 -a and -an: "rtnl:kernel" / "0:0", a process's port, a port no process has */
	e = netlink(NETLINK_ROUTE, 0);
	ASSERT_STREQ(cols4(&e, &named), "rtnl:|kernel|*|", "kernel rtnl");
	ASSERT_STREQ(cols4(&e, &num), "0:|0|*|", "kernel rtnl -n");
	e = netlink(NETLINK_SOCK_DIAG, 10870);
	ASSERT_STREQ(cols4(&e, &named), "tcpdiag:|python3/10870|*|", "a process's port");
	ASSERT_STREQ(cols4(&e, &num), "4:|10870|*|", "-n");
	e = netlink(NETLINK_GENERIC, 12345);
	ASSERT_STREQ(cols4(&e, &named), "genl:|12345|*|", "no such process");
	/* an autobound port id is negative to ss; -1 is "*"; protocols without a name are numbers */
	e = netlink(22, 0xffffeffe);
	ASSERT_STREQ(cols4(&e, &named), "22:|-4098|*|", "autobound, unnamed protocol");
	e.nl_portid = 0xffffffff;
	ASSERT_STREQ(cols4(&e, &named), "22:|*|*|", "port -1");
	/* ss 6.1: a socket connect()ed to group 1 of the kernel: "1:0" in the peer columns */
	e = netlink(NETLINK_KOBJECT_UEVENT, 10870);
	e.nl_connected = true;
	e.nl_dst_group = 1;
	ASSERT_STREQ(cols4(&e, &named), "uevent:|python3/10870|1:|0", "connected");
	ASSERT_STREQ(cols4(&e, &num), "15:|10870|1:|0", "connected -n");

	/* no users:() for netlink sockets, even with owners: ss 6.1 looks none up */
	e.owners = &own;
	e.nowners = 1;
	ASSERT_STREQ(users(&e), "", "no users");
	e.nowners = 0;
	e.owners = NULL;

	/* ss 6.1 -e: sk and cb are 0 from sock_diag; /proc's words otherwise */
	num.details = true;
	num.options = true;
	e.nl_groups = 1;
	ASSERT_STREQ(ext(&e, &num), " sk=0 cb=0 groups=0x00000001", "-e");
	e.link = &d;
	ASSERT_STREQ(ext(&e, &num), " sk=6ce5cdb1 cb=1 groups=0x00000001", "-e from /proc");
	e.link = NULL;
	/* ss 6.1 -m: a tab, then skmem, on the same line (-O or not) */
	num.mem = true;
	e.has_mem = true;
	e.mem = (struct sock_mem){ .rmem_alloc = 832, .rcvbuf = 212992, .sndbuf = 212992 };
	ASSERT_STREQ(
		ext(&e, &num),
		" sk=0 cb=0 groups=0x00000001\t skmem:(r832,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)",
		"-em");
	num.details = false;
	e.has_mem = false;
	ASSERT_STREQ(ext(&e, &num), "\t", "-m without meminfo");
	num.mem = false;
	ASSERT_STREQ(ext(&e, &num), "", "-o: nothing");
}

static struct sock_entry packet(enum sock_kind kind, uint16_t proto, uint32_t ifindex)
{
	struct sock_entry e = { 0 };

	e.kind = kind;
	e.family = AF_PACKET;
	e.pkt_proto = proto;
	e.ifindex = ifindex;
	e.state = SOCKTAP_TCP_CLOSE;
	return e;
}

TEST(ssfmt_packet)
{
	struct ssfmt_opts named = numeric, num = numeric;
	struct sock_link_details d = { .has_info = true, .flags = 0x3 };
	struct sock_owner own = { .pid = 10870, .fd = 3, .comm = "python3" };
	struct sock_entry e;

	named.numeric = false;
	ASSERT_STREQ(ss_netid(SK_PACKET_RAW), "p_raw", "p_raw");
	ASSERT_STREQ(ss_netid(SK_PACKET_DGRAM), "p_dgr", "p_dgr");
	/* ss 6.1 -0 and -0n: ETH_P_ALL is "*" both ways, names only without -n */
	e = packet(SK_PACKET_RAW, 0x0003, 0);
	ASSERT_STREQ(cols4(&e, &named), "*:|*|*|", "ETH_P_ALL");
	ASSERT_STREQ(cols4(&e, &num), "*:|*|*|", "ETH_P_ALL -n");
	e = packet(SK_PACKET_DGRAM, 0x0800, 2);
	ASSERT_STREQ(cols4(&e, &named), "ip:|eth0|*|", "ip on eth0");
	ASSERT_STREQ(cols4(&e, &num), "[2048]:|eth0|*|", "-n: the number, the device still named");
	e = packet(SK_PACKET_DGRAM, 0x86dd, 7);
	ASSERT_STREQ(cols4(&e, &named), "ipv6:|if7|*|", "a device without a name");
	e = packet(SK_PACKET_RAW, 0x88cc, 0);
	ASSERT_STREQ(cols4(&e, &named), "LLDP:|*|*|", "LLDP");
	ASSERT_STREQ(cols4(&e, &num), "[35020]:|*|*|", "LLDP -n");
	e = packet(SK_PACKET_RAW, 0, 0);
	ASSERT_STREQ(cols4(&e, &named), "[0]:|*|*|", "protocol 0");
	e = packet(SK_PACKET_RAW, 0x8902, 0);
	ASSERT_STREQ(cols4(&e, &named), "[35074]:|*|*|", "a name ss 6.1 did not have (cfm)");
	ASSERT_STREQ(ss_ll_proto_name(0x8100), "802.1Q", "802.1Q");
	ASSERT_EQ(ss_ll_proto_id("IPv4"), 0x0800, "ipv4, any case");
	ASSERT_EQ(ss_ll_proto_id("lldp"), 0x88cc, "lldp");
	ASSERT_EQ(ss_ll_proto_id("0x88cc"), 0x88cc, "a number");
	ASSERT_EQ(ss_ll_proto_id("lo"), -1, "not a protocol");
	ASSERT_EQ(ss_nl_proto_id("genl"), NETLINK_GENERIC, "genl");
	ASSERT_EQ(ss_nl_proto_id("31"), 31, "a number");
	ASSERT_EQ(ss_nl_proto_id("256"), -1, "too big");

	/* ss 6.1 -0pe: users, then ino and sk, then the socket's own line */
	e = packet(SK_PACKET_RAW, 0x0003, 0);
	e.owners = &own;
	e.nowners = 1;
	ASSERT_STREQ(users(&e), " users:((\"python3\",pid=10870,fd=3))", "users");
	e.inode = 1555608;
	e.cookie = 0xdbda;
	e.link = &d;
	num.details = true;
	num.options = true;
	ASSERT_STREQ(ext(&e, &num),
		     " ino:1555608 sk:dbda\n\tver:0 cpy_thresh:0 flags( running auxdata )", "-e");
	d.flags = 0x2;
	ASSERT_STREQ(ext(&e, &num), " ino:1555608 sk:dbda\n\tver:0 cpy_thresh:0 flags(  auxdata )",
		     "ss's blank before each flag but running");
	d.flags = 0;
	e.uid = 1000;
	num.oneline = true;
	ASSERT_STREQ(ext(&e, &num), " uid:1000 ino:1555608 sk:dbda ver:0 cpy_thresh:0 flags( 0 )",
		     "-eO, a uid");
	e.uid = 0;
	/* ss 6.1 -0e with rings and a fanout (arp on lo, PACKET_RX_RING, fanout lb 42) */
	d = (struct sock_link_details){ .has_info = true,
					.flags = 0x3,
					.has_rx_ring = true,
					.rx_ring = { 4096, 2, 2048, 4, 0, 0 },
					.has_fanout = true,
					.fanout = 1u << 16 | 42 };
	num.oneline = false;
	ASSERT_STREQ(ext(&e, &num),
		     " ino:1555608 sk:dbda\n\tver:0 cpy_thresh:0 flags( running auxdata )\n"
		     "\tring_rx(blk_size:4096,blk_nr:2,frm_size:2048,frm_nr:4,tmo:0,features:0x0)\n"
		     "\tfanout(id:42,type:lb)",
		     "rings and fanout");
	d.fanout = 9u << 16 | 1;
	d.has_rx_ring = false;
	d.has_info = false;
	ASSERT_STREQ(ext(&e, &num), " ino:1555608 sk:dbda\n\tfanout(id:1,type:0x9)",
		     "an unknown fanout type");
	/* ss 6.1 -0m: skmem right after, on the same line */
	num.details = false;
	num.mem = true;
	e.has_mem = true;
	e.mem = (struct sock_mem){ .rcvbuf = 212992, .sndbuf = 212992 };
	ASSERT_STREQ(ext(&e, &num), " skmem:(r0,rb212992,t0,tb212992,f0,w0,o0,bl0,d0)", "-m");
	num.mem = false;
	num.info = true;
	ASSERT_STREQ(ext(&e, &num), "", "-i: nothing");
}

/* bbr:(...) sits after data_segs_in, as ss 6.1 printed it here:
 * "bbr:(bw:630153808bps,mrtt:0.006,pacing_gain:2.88672,cwnd_gain:2.88672)" */
TEST(ssfmt_ext_bbr)
{
	struct ssfmt_opts o = numeric;
	struct sock_tcpinfo ti_ = { 0 }, *t = &ti_;
	struct sock_entry e = { .kind = SK_TCP, .family = AF_INET, .has_tcpinfo = true, .tcpi = t };

	o.info = true;
	t->reordering = 3;
	t->data_segs_in = 2;
	t->has_bbr = true;
	t->bbr_bw = 78769226; /* bytes/s: 630153808 bits/s */
	t->bbr_min_rtt_us = 6;
	t->bbr_pacing_gain = 739;
	t->bbr_cwnd_gain = 739;
	ASSERT_STREQ(ext(&e, &o),
		     "\n\t data_segs_in:2 bbr:(bw:630153808bps,mrtt:0.006,pacing_gain:2.88672,"
		     "cwnd_gain:2.88672)",
		     "bbr with gains");
	t->bbr_pacing_gain = 0;
	t->bbr_cwnd_gain = 0;
	t->bbr_bw = 0;
	ASSERT_STREQ(ext(&e, &o), "\n\t data_segs_in:2 bbr:(bw:0bps,mrtt:0.006)", "no gains");
}
