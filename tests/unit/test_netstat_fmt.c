// SPDX-License-Identifier: GPL-2.0
/*
 * netstat's rows from hand-made socket entries; the expected lines are
 * what net-tools' netstat 2.10 printed for the same sockets.
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "netstat_fmt.h"
#include "socktap.h"
#include "unit.h"

static struct sock_entry inet(enum sock_kind kind, int family, const char *la, uint16_t lp,
			      const char *ra, uint16_t rp, uint8_t state)
{
	struct sock_entry e = { .kind = kind, .family = (uint16_t)family, .state = state };

	inet_pton(family, la, e.laddr);
	inet_pton(family, ra, e.raddr);
	e.lport = lp;
	e.rport = rp;
	return e;
}

static char *endpoint(int family, const char *addr, uint16_t port, const struct netstat_opts *o)
{
	static char buf[128];
	uint8_t a[16] = { 0 };

	inet_pton(family, addr, a);
	netstat_fmt_endpoint(buf, sizeof(buf), family, a, port, "tcp", o);
	return buf;
}

TEST(netstat_endpoints_numeric)
{
	struct netstat_opts o = { .numeric_hosts = true, .numeric_ports = true };

	ASSERT_STREQ(endpoint(AF_INET, "127.0.0.1", 22, &o), "127.0.0.1:22", "v4");
	ASSERT_STREQ(endpoint(AF_INET, "0.0.0.0", 0, &o), "0.0.0.0:*", "v4 any");
	ASSERT_STREQ(endpoint(AF_INET6, "::1", 22, &o), "::1:22", "v6 unbracketed");
	ASSERT_STREQ(endpoint(AF_INET6, "::", 0, &o), ":::*", "v6 any");
	ASSERT_STREQ(endpoint(AF_INET6, "::ffff:127.0.0.1", 15002, &o), "127.0.0.1:15002",
		     "v4-mapped as IPv4");
	/* 22 characters before the colon, the address cut first */
	ASSERT_STREQ(endpoint(AF_INET6, "2001:db8:1234:5678:9abc:def0:1234:5678", 15000, &o),
		     "2001:db8:1234:567:15000", "cut");
	/* 22 characters and the colon fit; one more and the address is cut */
	ASSERT_STREQ(endpoint(AF_INET6, "fe80::1234:5678:9ab", 443, &o), "fe80::1234:5678:9ab:443",
		     "22 fit");
	ASSERT_STREQ(endpoint(AF_INET6, "fe80::1234:5678:9abc", 443, &o), "fe80::1234:5678:9ab:443",
		     "23 cut");
	o.wide = true;
	ASSERT_STREQ(endpoint(AF_INET6, "2001:db8:1234:5678:9abc:def0:1234:5678", 15000, &o),
		     "2001:db8:1234:5678:9abc:def0:1234:5678:15000", "-W");
}

static const char *fake_service(void *ctx, uint16_t port, const char *proto)
{
	(void)ctx;
	(void)proto;
	if (port == 22)
		return "ssh";
	if (port == 9999)
		return "a-very-long-service-name-x";
	return NULL;
}

static const char *fake_host(void *ctx, int family, const uint8_t *addr)
{
	(void)ctx;
	(void)addr;
	return family == AF_INET ? "localhost" : "ip6-localhost";
}

TEST(netstat_endpoints_names)
{
	struct netstat_names names = { fake_service, fake_host, NULL, NULL };
	struct netstat_opts o = { .names = &names };

	ASSERT_STREQ(endpoint(AF_INET, "127.0.0.1", 22, &o), "localhost:ssh", "names");
	ASSERT_STREQ(endpoint(AF_INET, "0.0.0.0", 0, &o), "0.0.0.0:*", "v4 any stays");
	ASSERT_STREQ(endpoint(AF_INET6, "::", 0, &o), "[::]:*", "v6 any bracketed");
	ASSERT_STREQ(endpoint(AF_INET6, "::1", 15000, &o), "ip6-localhost:15000", "unknown port");
	/* a long service name keeps 18 characters, the address the rest */
	ASSERT_STREQ(endpoint(AF_INET, "127.0.0.1", 9999, &o), "loca:a-very-long-servic",
		     "long service");
	o.numeric_hosts = true;
	ASSERT_STREQ(endpoint(AF_INET, "127.0.0.1", 22, &o), "127.0.0.1:ssh", "numeric hosts");
}

TEST(netstat_state_names)
{
	struct sock_entry e = { .kind = SK_TCP };
	static const struct {
		uint8_t state;
		const char *name;
	} tcp[] = {
		{ SOCKTAP_TCP_ESTABLISHED, "ESTABLISHED" },
		{ SOCKTAP_TCP_SYN_SENT, "SYN_SENT" },
		{ SOCKTAP_TCP_SYN_RECV, "SYN_RECV" },
		{ SOCKTAP_TCP_FIN_WAIT1, "FIN_WAIT1" },
		{ SOCKTAP_TCP_FIN_WAIT2, "FIN_WAIT2" },
		{ SOCKTAP_TCP_TIME_WAIT, "TIME_WAIT" },
		{ SOCKTAP_TCP_CLOSE, "CLOSE" },
		{ SOCKTAP_TCP_CLOSE_WAIT, "CLOSE_WAIT" },
		{ SOCKTAP_TCP_LAST_ACK, "LAST_ACK" },
		{ SOCKTAP_TCP_LISTEN, "LISTEN" },
		{ SOCKTAP_TCP_CLOSING, "CLOSING" },
		{ SOCKTAP_TCP_NEW_SYN_RECV, "SYN_RECV" },
		{ 200, "UNKNOWN" },
	};

	for (size_t i = 0; i < sizeof(tcp) / sizeof(tcp[0]); i++) {
		e.state = tcp[i].state;
		ASSERT_STREQ(netstat_state_name(&e), tcp[i].name, tcp[i].name);
	}
	e.kind = SK_UDP;
	e.state = SOCKTAP_TCP_CLOSE;
	ASSERT_STREQ(netstat_state_name(&e), "", "udp unconnected");
	e.state = SOCKTAP_TCP_ESTABLISHED;
	ASSERT_STREQ(netstat_state_name(&e), "ESTABLISHED", "udp connected");
}

TEST(netstat_timers)
{
	struct sock_entry e = { .kind = SK_TCP };
	char buf[64];

	netstat_fmt_timer(buf, sizeof(buf), &e);
	ASSERT_STREQ(buf, "off (0.00/0/0)", "off");
	e.timer = SKT_KEEPALIVE;
	e.timer_expires_ms = 7194529;
	netstat_fmt_timer(buf, sizeof(buf), &e);
	ASSERT_STREQ(buf, "keepalive (7194.52/0/0)", "keepalive: 10 ms ticks, cut");
	e.timer = SKT_ON;
	e.timer_expires_ms = 203;
	e.timer_retrans = 2;
	netstat_fmt_timer(buf, sizeof(buf), &e);
	ASSERT_STREQ(buf, "on (0.20/2/0)", "on");
	e.timer = SKT_TIMEWAIT;
	e.timer_expires_ms = 59540;
	e.timer_retrans = 0;
	netstat_fmt_timer(buf, sizeof(buf), &e);
	ASSERT_STREQ(buf, "timewait (59.54/0/0)", "timewait");
	e.timer = SKT_PERSIST;
	e.timer_retrans = 3;
	netstat_fmt_timer(buf, sizeof(buf), &e);
	ASSERT_STREQ(buf, "probe (59.54/0/3)", "zero window probe");
	e.kind = SK_UDP;
	netstat_fmt_timer(buf, sizeof(buf), &e);
	ASSERT_STREQ(buf, "off (0.00/0/0)", "udp has none");
}

TEST(netstat_program_column)
{
	char *s = netstat_fmt_program(13587, "netstatmix");

	ASSERT_STREQ(s, "13587/netstatmix", "pid/name");
	free(s);
	s = netstat_fmt_program(13587, "build/tests/netstatmix");
	ASSERT_STREQ(s, "13587/build/tests/n", "cut to 19");
	free(s);
	s = netstat_fmt_program(7, "a\x1b[2Jb");
	ASSERT_STREQ(s, "7/a\\x1b[2Jb", "escaped");
	free(s);
	s = netstat_fmt_program(0, NULL);
	ASSERT_STREQ(s, "-", "none");
	free(s);
}

static char *capture_inet(const struct sock_entry *e, const char *prog,
			  const struct netstat_opts *o)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);
	struct strbuf row = { 0 };

	netstat_print_inet_row(f, &row, e, prog, o);
	sb_free(&row);
	fclose(f);
	return buf;
}

TEST(netstat_inet_rows)
{
	struct netstat_opts o = { .numeric_hosts = true,
				  .numeric_ports = true,
				  .numeric_users = true };
	struct sock_entry e =
		inet(SK_TCP, AF_INET, "0.0.0.0", 15000, "0.0.0.0", 0, SOCKTAP_TCP_LISTEN);
	char *s;

	e.recv_q = 1;
	e.send_q = 4096; /* ss's backlog: netstat shows 0 */
	e.inode = 46123;
	s = capture_inet(&e, NULL, &o);
	ASSERT_STREQ(
		s,
		"tcp        1      0 0.0.0.0:15000           0.0.0.0:*               LISTEN     "
		"\n",
		"-tan listener");
	free(s);
	o.extend = o.programs = o.timers = true;
	s = capture_inet(&e, "13587/netstatmix", &o);
	ASSERT_STREQ(
		s,
		"tcp        1      0 0.0.0.0:15000           0.0.0.0:*               LISTEN     "
		" 0          46123      13587/netstatmix     off (0.00/0/0)\n",
		"-tanpeo");
	free(s);

	e = inet(SK_UDP, AF_INET6, "::", 15006, "::", 0, SOCKTAP_TCP_CLOSE);
	o.extend = o.programs = o.timers = false;
	s = capture_inet(&e, NULL, &o);
	ASSERT_STREQ(
		s,
		"udp6       0      0 :::15006                :::*                               "
		"\n",
		"udp6 unconnected");
	free(s);

	e = inet(SK_RAW, AF_INET6, "::", 58, "::", 0, SOCKTAP_TCP_CLOSE);
	s = capture_inet(&e, NULL, &o);
	ASSERT_STREQ(
		s,
		"raw6       0      0 :::58                   :::*                    7          "
		"\n",
		"raw6: the state as a number");
	free(s);

	/* a row wider than its columns pushes the rest right (-W) */
	e = inet(SK_TCP, AF_INET6, "2001:db8:1234:5678:9abc:def0:1234:5678", 15000, "::1", 40000,
		 SOCKTAP_TCP_ESTABLISHED);
	o.wide = true;
	s = capture_inet(&e, NULL, &o);
	ASSERT_STREQ(
		s,
		"tcp6       0      0 2001:db8:1234:5678:9abc:def0:1234:5678:15000 ::1:40000    "
		"           ESTABLISHED\n",
		"-W");
	free(s);
}

TEST(netstat_headers)
{
	struct netstat_opts o = { .all = true, .extend = true, .programs = true, .timers = true };
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	netstat_print_inet_header(f, &o);
	netstat_print_unix_header(f, &o);
	o = (struct netstat_opts){ .listening = true };
	netstat_print_inet_header(f, &o);
	o.listening = false;
	netstat_print_unix_header(f, &o);
	fclose(f);
	ASSERT_STREQ(
		buf,
		"Active Internet connections (servers and established)\n"
		"Proto Recv-Q Send-Q Local Address           Foreign Address         State      "
		" User       Inode      PID/Program name     Timer\n"
		"Active UNIX domain sockets (servers and established)\n"
		"Proto RefCnt Flags       Type       State         I-Node   PID/Program name    "
		" Path\n"
		"Active Internet connections (only servers)\n"
		"Proto Recv-Q Send-Q Local Address           Foreign Address         State      \n"
		"Active UNIX domain sockets (w/o servers)\n"
		"Proto RefCnt Flags       Type       State         I-Node   Path\n",
		"headers");
	free(buf);
}

TEST(netstat_unix_rows)
{
	struct sock_table t = { 0 };
	struct sock_entry *l, *a, *c;
	struct netstat_opts o = { 0 };
	char *buf = NULL;
	size_t len;
	FILE *f;

	l = sock_table_add(&t);
	l->kind = SK_UNIX_STREAM;
	l->state = SOCKTAP_TCP_LISTEN;
	l->inode = 46144;
	l->unix_path = strdup("/tmp/nsx/stream.sock");
	a = sock_table_add(&t);
	a->kind = SK_UNIX_STREAM;
	a->state = SOCKTAP_TCP_ESTABLISHED;
	a->inode = 46146;
	a->unix_peer = 46145;
	a->unix_path = strdup("/tmp/nsx/stream.sock");
	c = sock_table_add(&t);
	c->kind = SK_UNIX_STREAM;
	c->state = SOCKTAP_TCP_ESTABLISHED;
	c->inode = 46145;
	c->unix_peer = 46146;
	l = sock_table_add(&t);
	l->kind = SK_UNIX_DGRAM;
	l->state = SOCKTAP_TCP_CLOSE;
	l->inode = 46892;
	l->unix_path = strdup("/tmp/with space");
	/* in the accept queue: no file, no inode */
	l = sock_table_add(&t);
	l->kind = SK_UNIX_STREAM;
	l->state = SOCKTAP_TCP_ESTABLISHED;
	l->unix_path = strdup("/tmp/nsx/pend.sock");

	ASSERT_EQ(netstat_unix_refcnt(&t, 0), 2, "listener");
	ASSERT_EQ(netstat_unix_refcnt(&t, 1), 3, "connected");
	ASSERT_EQ(netstat_unix_refcnt(&t, 4), 3, "embryo");
	ASSERT_TRUE(netstat_is_server(&t.v[0]), "listener is a server");
	ASSERT_FALSE(netstat_is_server(&t.v[1]), "connected is not");

	f = open_memstream(&buf, &len);
	for (size_t i = 0; i < t.n; i++)
		netstat_print_unix_row(f, &t.v[i], netstat_unix_refcnt(&t, i),
				       i == 0 ? "13587/netstatmix" : NULL, &o);
	o.programs = true;
	netstat_print_unix_row(f, &t.v[0], 2, "13587/netstatmix", &o);
	fclose(f);
	ASSERT_STREQ(
		buf,
		"unix  2      [ ACC ]     STREAM     LISTENING     46144    /tmp/nsx/stream.sock\n"
		"unix  3      [ ]         STREAM     CONNECTED     46146    /tmp/nsx/stream.sock\n"
		"unix  3      [ ]         STREAM     CONNECTED     46145    \n"
		"unix  2      [ ]         DGRAM                    46892    /tmp/with\n"
		"unix  3      [ ]         STREAM     CONNECTING    0        /tmp/nsx/pend.sock\n"
		"unix  2      [ ACC ]     STREAM     LISTENING     46144    13587/netstatmix    "
		" /tmp/nsx/stream.sock\n",
		"rows");
	free(buf);
	sock_table_free(&t);
}

TEST(netstat_server_filter)
{
	struct netstat_opts all = { .all = true }, lst = { .listening = true }, def = { 0 };
	struct sock_entry l =
		inet(SK_TCP, AF_INET, "0.0.0.0", 22, "0.0.0.0", 0, SOCKTAP_TCP_LISTEN);
	struct sock_entry est =
		inet(SK_TCP, AF_INET, "127.0.0.1", 22, "127.0.0.1", 4000, SOCKTAP_TCP_ESTABLISHED);
	struct sock_entry u = inet(SK_UDP, AF_INET6, "::1", 53, "::", 0, SOCKTAP_TCP_CLOSE);
	struct sock_entry uc =
		inet(SK_UDP, AF_INET, "127.0.0.1", 53, "127.0.0.1", 0, SOCKTAP_TCP_CLOSE);

	ASSERT_TRUE(netstat_shows(&l, &all) && netstat_shows(&est, &all), "-a shows both");
	ASSERT_TRUE(netstat_shows(&l, &lst) && !netstat_shows(&est, &lst), "-l");
	ASSERT_TRUE(!netstat_shows(&l, &def) && netstat_shows(&est, &def), "default");
	ASSERT_TRUE(netstat_is_server(&u), "udp without a remote address");
	/* netstat looks at the remote address for UDP, not the port */
	ASSERT_FALSE(netstat_is_server(&uc), "udp with a remote address");
}

TEST(netstat_sort_order)
{
	struct sock_entry v[6] = {
		{ .kind = SK_UNIX_STREAM, .inode = 1 },
		{ .kind = SK_UDP, .family = AF_INET6, .inode = 2 },
		{ .kind = SK_TCP, .family = AF_INET6, .inode = 3 },
		{ .kind = SK_TCP, .family = AF_INET, .inode = 4 },
		{ .kind = SK_TCP, .family = AF_INET, .inode = 5 },
		{ .kind = SK_RAW, .family = AF_INET, .inode = 6 },
	};
	static const uint64_t want[6] = { 4, 5, 3, 2, 6, 1 };

	netstat_sort(v, 6);
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(v[i].inode, want[i], "tcp, tcp6, udp6, raw, unix; stable");
	/* in order already: left as it is (no copy) */
	netstat_sort(v, 6);
	for (int i = 0; i < 6; i++)
		ASSERT_EQ(v[i].inode, want[i], "sorted again: the same");
	/* one out of order at the end still sorts */
	v[5] = (struct sock_entry){ .kind = SK_TCP, .family = AF_INET, .inode = 7 };
	netstat_sort(v, 6);
	ASSERT_EQ(v[2].inode, 7, "a late IPv4 TCP row moves up behind the others");
	ASSERT_EQ(v[5].inode, 6, "and the rest move down");
}
