// SPDX-License-Identifier: GPL-2.0
/*
 * procnet against files recorded in an idle network namespace together
 * with what net-tools' netstat 2.10 and iproute2 6.1's ss printed from them
 * (tests/unit/data/procnet: proc/ and expected/).
 */
#include <libgen.h>
#include <limits.h>
#include <net/if.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "print.h"
#include "procnet.h"
#include "unit.h"

/* The data directory: from the source tree, or next to build/tests/unit_tests. */
static const char *data_dir(void)
{
	static char dir[PATH_MAX];
	char exe[PATH_MAX];
	struct stat st;
	ssize_t n;

	if (dir[0])
		return dir;
	snprintf(dir, sizeof(dir), "tests/unit/data/procnet");
	if (stat(dir, &st) == 0)
		return dir;
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		snprintf(dir, sizeof(dir), "%s/../../tests/unit/data/procnet", dirname(exe));
		if (stat(dir, &st) == 0)
			return dir;
	}
	dir[0] = '\0';
	return NULL;
}

static char *data(const char *rel)
{
	const char *d = data_dir();

	return d ? procnet_read_file(d, rel) : NULL;
}

/* Output of fn written to a memory stream, as a malloc'ed string. */
#define CAPTURE(buf, call)                                                                         \
	do {                                                                                       \
		size_t ___len;                                                                     \
		FILE *out = open_memstream(&(buf), &___len);                                       \
		call;                                                                              \
		fclose(out);                                                                       \
	} while (0)

TEST(procnet_stats_match_netstat)
{
	char *snmp = data("proc/net/snmp"), *netstat = data("proc/net/netstat");
	char *want = data("expected/netstat-s"), *got = NULL;

	if (!ASSERT_OK_PTR(snmp, "recorded snmp") || !ASSERT_OK_PTR(want, "recorded output"))
		return;
	CAPTURE(got, procnet_stats_text(out, snmp, netstat, PROCNET_STAT_ALL));
	ASSERT_STREQ(got, want, "netstat -s");
	free(got);
	free(want);

	want = data("expected/netstat-st");
	CAPTURE(got, procnet_stats_text(out, snmp, netstat, PROCNET_STAT_TCP));
	ASSERT_STREQ(got, want, "netstat -st");
	free(got);
	free(want);

	want = data("expected/netstat-suw");
	CAPTURE(got, procnet_stats_text(out, snmp, netstat, PROCNET_STAT_UDP | PROCNET_STAT_RAW));
	ASSERT_STREQ(got, want, "netstat -suw");
	free(got);
	free(want);
	free(snmp);
	free(netstat);
}

TEST(procnet_stats6_match_netstat)
{
	char *snmp = data("proc/net/snmp"), *snmp6 = data("proc/net/snmp6");
	char *want = data("expected/netstat-s6"), *got = NULL;

	if (!ASSERT_OK_PTR(snmp6, "recorded snmp6") || !ASSERT_OK_PTR(want, "recorded output"))
		return;
	CAPTURE(got, procnet_stats6_text(out, snmp6, snmp, PROCNET_STAT_ALL));
	ASSERT_STREQ(got, want, "netstat -s -6");
	free(got);
	free(want);
	free(snmp);
	free(snmp6);
}

TEST(procnet_stats_quirks)
{
	/*
	 * net-tools' tables are not quite sorted, so some names are missed
	 * and printed by name when not 0 ("Forwarding" among them); unknown
	 * tables are titled and keep the indentation of the counter before.
	 */
	const char *snmp = "Ip: Forwarding DefaultTTL InReceives\n"
			   "Ip: 1 64 5\n"
			   "Icmp: InMsgs InDestUnreachs OutMsgs\n"
			   "Icmp: 2 0 0\n"
			   "IcmpMsg: InType3\n"
			   "IcmpMsg: 7\n"
			   "Tcp: RtoAlgorithm MaxConn ActiveOpens\n"
			   "Tcp: 1 -1 3\n";
	const char *want = "Ip:\n"
			   "    Forwarding: 1\n"
			   "    5 total packets received\n"
			   "Icmp:\n"
			   "    2 ICMP messages received\n"
			   "    ICMP input histogram:\n"
			   "    0 ICMP messages sent\n"
			   "IcmpMsg:\n"
			   "    InType3: 7\n"
			   "Tcp:\n"
			   "    3 active connection openings\n";
	char *got = NULL;

	CAPTURE(got, procnet_stats_text(out, snmp, NULL, PROCNET_STAT_ALL));
	ASSERT_STREQ(got, want, "quirks");
	free(got);
	/* groups not asked for are left out, unknown tables are not */
	CAPTURE(got, procnet_stats_text(out, snmp, NULL, PROCNET_STAT_TCP));
	ASSERT_STREQ(got, "IcmpMsg:\n    InType3: 7\nTcp:\n    3 active connection openings\n",
		     "tcp only");
	free(got);
}

TEST(procnet_stats_json_keys)
{
	const char *snmp = "Tcp: ActiveOpens MaxConn\nTcp: 3 -1\n";
	const char *netstat = "TcpExt: TCPHPHits DelayedACKs\nTcpExt: 4 5\n";
	char *got = NULL;
	size_t len;
	FILE *out = open_memstream(&got, &len);

	print_init(out, true);
	print_doc_begin();
	procnet_stats_json(snmp, netstat, NULL, PROCNET_STAT_ALL);
	print_doc_end();
	print_fini();
	fclose(out);
	ASSERT_TRUE(strstr(got, "\"tcp\"") != NULL, "tcp table");
	ASSERT_TRUE(strstr(got, "\"active_opens\": 3") || strstr(got, "\"active_opens\":3"),
		    "active_opens");
	ASSERT_TRUE(strstr(got, "\"max_conn\": -1") || strstr(got, "\"max_conn\":-1"),
		    "signed max_conn");
	ASSERT_TRUE(strstr(got, "\"tcp_ext\"") != NULL, "tcp_ext table");
	ASSERT_TRUE(strstr(got, "\"tcphp_hits\"") != NULL, "acronyms");
	ASSERT_TRUE(strstr(got, "\"delayed_acks\"") != NULL, "delayed_acks");
	free(got);
}

TEST(procnet_ifname_order)
{
	ASSERT_LT(procnet_ifname_cmp("eth0", "eth1"), 0, "eth0 < eth1");
	ASSERT_LT(procnet_ifname_cmp("eth9", "eth10"), 0, "numbers by value");
	ASSERT_LT(procnet_ifname_cmp("eth", "eth2"), 0, "stem first");
	ASSERT_LT(procnet_ifname_cmp("a", "aa"), 0, "a < aa");
	ASSERT_LT(procnet_ifname_cmp("eth0:1", "eth0:2"), 0, "aliases");
	ASSERT_LT(procnet_ifname_cmp("eth01", "eth1"), 0, "leading zero");
	ASSERT_EQ(procnet_ifname_cmp("lo", "lo"), 0, "equal");
	ASSERT_GE(procnet_ifname_cmp("veth10", "veth9"), 1, "veth10 > veth9");
}

TEST(procnet_iface_flag_letters)
{
	char buf[32];

	procnet_iface_flags(buf, sizeof(buf), IFF_UP | IFF_LOOPBACK | IFF_RUNNING);
	ASSERT_STREQ(buf, "LRU", "lo");
	procnet_iface_flags(buf, sizeof(buf), IFF_UP | IFF_BROADCAST | IFF_MULTICAST | IFF_RUNNING);
	ASSERT_STREQ(buf, "BMRU", "ethernet");
	procnet_iface_flags(buf, sizeof(buf), IFF_BROADCAST | IFF_MULTICAST | IFF_NOARP);
	ASSERT_STREQ(buf, "BMO", "down, noarp");
	procnet_iface_flags(buf, sizeof(buf), 0);
	ASSERT_STREQ(buf, "[NO FLAGS]", "none");
}

TEST(procnet_ifaces_match_netstat)
{
	const char *d = data_dir();
	char *proc, *want = data("expected/netstat-i"), *got = NULL;
	struct procnet_iface *v;
	size_t n;

	if (!ASSERT_OK_PTR(d, "data dir") || !ASSERT_OK_PTR(want, "recorded output"))
		return;
	proc = malloc(strlen(d) + 8);
	sprintf(proc, "%s/proc", d);
	if (!ASSERT_OK(procnet_read_ifaces(proc, &v, &n), "read") || !ASSERT_EQ(n, 1, "lo"))
		goto out;
	/* lo's flags and MTU as SIOCGIFFLAGS and SIOCGIFMTU gave them when recorded */
	v[0].flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
	v[0].mtu = 65536;
	print_init(stdout, false);
	CAPTURE(got, procnet_print_iface_table(out, v, n, false, true));
	ASSERT_STREQ(got, want, "netstat -i");
	free(got);
	free(v);
out:
	free(want);
	free(proc);
}

TEST(procnet_dev_parse)
{
	const char *dev =
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    "
		"packets errs drop fifo colls carrier compressed\n"
		"eth10: 100 11 1 2 3 0 0 0 200 22 4 5 6 0 0 0\n"
		"    lo: 5 1 0 0 0 0 0 0 5 1 0 0 0 0 0 0\n"
		"  eth9: 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
	struct procnet_iface *v;
	size_t n;

	ASSERT_OK(procnet_parse_dev(dev, &v, &n), "parse");
	if (!ASSERT_EQ(n, 3, "three interfaces"))
		return;
	ASSERT_STREQ(v[0].name, "eth9", "sorted: eth9");
	ASSERT_STREQ(v[1].name, "eth10", "sorted: eth10");
	ASSERT_STREQ(v[2].name, "lo", "sorted: lo");
	ASSERT_EQ(v[1].rx_packets, 11, "rx packets");
	ASSERT_EQ(v[1].rx_errors, 1, "rx errors");
	ASSERT_EQ(v[1].rx_dropped, 2, "rx dropped");
	ASSERT_EQ(v[1].rx_fifo, 3, "rx fifo");
	ASSERT_EQ(v[1].tx_packets, 22, "tx packets");
	ASSERT_EQ(v[1].tx_errors, 4, "tx errors");
	ASSERT_EQ(v[1].tx_dropped, 5, "tx dropped");
	ASSERT_EQ(v[1].tx_fifo, 6, "tx fifo");
	free(v);
}

/* Every column of each /proc/net/dev layout in its field: distinct values. */
TEST(procnet_dev_layouts)
{
	const char *v3 =
		"Inter-|   Receive                                                |  Transmit\n"
		" face |bytes    packets errs drop fifo frame compressed multicast|bytes    "
		"packets errs drop fifo colls carrier compressed\n"
		"eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16\n";
	const char *v2 = "Inter-|   Receive                            |  Transmit\n"
			 " face |bytes    packets errs drop fifo frame|bytes    packets errs drop "
			 "fifo colls carrier\n"
			 "eth0: 1 2 3 4 5 6 7 8 9 10 11 12 13\n";
	const char *v1 =
		"Inter-|   Receive                  |  Transmit\n"
		" face |packets errs drop fifo frame|packets errs drop fifo colls carrier\n"
		"eth0: 1 2 3 4 5 6 7 8 9 10 11\n";
	struct procnet_iface *v;
	size_t n;

	if (!ASSERT_OK(procnet_parse_dev(v3, &v, &n), "v3") || !ASSERT_EQ(n, 1, "v3 one"))
		return;
	ASSERT_EQ(v[0].rx_bytes, 1, "v3 rx bytes");
	ASSERT_EQ(v[0].rx_packets, 2, "v3 rx packets");
	ASSERT_EQ(v[0].rx_errors, 3, "v3 rx errs");
	ASSERT_EQ(v[0].rx_dropped, 4, "v3 rx drop");
	ASSERT_EQ(v[0].rx_fifo, 5, "v3 rx fifo");
	ASSERT_EQ(v[0].rx_frame, 6, "v3 rx frame");
	ASSERT_EQ(v[0].rx_compressed, 7, "v3 rx compressed");
	ASSERT_EQ(v[0].rx_multicast, 8, "v3 multicast");
	ASSERT_EQ(v[0].tx_bytes, 9, "v3 tx bytes");
	ASSERT_EQ(v[0].tx_packets, 10, "v3 tx packets");
	ASSERT_EQ(v[0].tx_errors, 11, "v3 tx errs");
	ASSERT_EQ(v[0].tx_dropped, 12, "v3 tx drop");
	ASSERT_EQ(v[0].tx_fifo, 13, "v3 tx fifo");
	ASSERT_EQ(v[0].tx_colls, 14, "v3 colls");
	ASSERT_EQ(v[0].tx_carrier, 15, "v3 carrier");
	ASSERT_EQ(v[0].tx_compressed, 16, "v3 tx compressed");
	free(v);

	if (!ASSERT_OK(procnet_parse_dev(v2, &v, &n), "v2") || !ASSERT_EQ(n, 1, "v2 one"))
		return;
	ASSERT_EQ(v[0].rx_bytes, 1, "v2 rx bytes");
	ASSERT_EQ(v[0].rx_packets, 2, "v2 rx packets");
	ASSERT_EQ(v[0].rx_frame, 6, "v2 rx frame");
	ASSERT_EQ(v[0].tx_bytes, 7, "v2 tx bytes");
	ASSERT_EQ(v[0].tx_packets, 8, "v2 tx packets");
	ASSERT_EQ(v[0].tx_fifo, 11, "v2 tx fifo");
	ASSERT_EQ(v[0].tx_colls, 12, "v2 colls");
	ASSERT_EQ(v[0].tx_carrier, 13, "v2 carrier");
	ASSERT_EQ(v[0].rx_compressed + v[0].tx_compressed, 0, "v2 has no compressed");
	free(v);

	if (!ASSERT_OK(procnet_parse_dev(v1, &v, &n), "v1") || !ASSERT_EQ(n, 1, "v1 one"))
		return;
	ASSERT_EQ(v[0].rx_bytes + v[0].tx_bytes, 0, "v1 has no bytes");
	ASSERT_EQ(v[0].rx_packets, 1, "v1 rx packets");
	ASSERT_EQ(v[0].rx_frame, 5, "v1 rx frame");
	ASSERT_EQ(v[0].tx_packets, 6, "v1 tx packets");
	ASSERT_EQ(v[0].tx_fifo, 9, "v1 tx fifo");
	ASSERT_EQ(v[0].tx_colls, 10, "v1 colls");
	ASSERT_EQ(v[0].tx_carrier, 11, "v1 carrier");
	free(v);
}

TEST(procnet_ss_summary_matches_ss)
{
	char *st = data("proc/net/sockstat"), *st6 = data("proc/net/sockstat6");
	char *snmp = data("proc/net/snmp"), *want = data("expected/ss-s"), *got = NULL;
	struct procnet_ss_summary s;

	if (!ASSERT_OK_PTR(st, "recorded sockstat") || !ASSERT_OK_PTR(want, "recorded output"))
		return;
	procnet_ss_summary_parse(st, st6, snmp, &s);
	CAPTURE(got, procnet_ss_summary_text(out, &s));
	ASSERT_STREQ(got, want, "ss -s");
	free(got);
	free(want);
	free(st);
	free(st6);
	free(snmp);
}

TEST(procnet_ss_summary_fields)
{
	const char *st = "sockets: used 29\n"
			 "TCP: inuse 5 orphan 1 tw 7 alloc 20 mem 3\n"
			 "UDP: inuse 2 mem 1\nRAW: inuse 1\nFRAG: inuse 0 memory 0\n";
	const char *st6 = "TCP6: inuse 4\nUDP6: inuse 3\nRAW6: inuse 0\nFRAG6: inuse 1 memory 9\n";
	const char *snmp = "Tcp: RtoAlgorithm CurrEstab InSegs\nTcp: 1 10 99\n";
	struct procnet_ss_summary s;
	char *got = NULL;

	procnet_ss_summary_parse(st, st6, snmp, &s);
	ASSERT_EQ(s.socks, 29, "total");
	ASSERT_EQ(s.tcp_estab, 10, "estab");
	CAPTURE(got, procnet_ss_summary_text(out, &s));
	ASSERT_STREQ(got,
		     "Total: 29\n"
		     "TCP:   27 (estab 10, closed 18, orphaned 1, timewait 7)\n\n"
		     "Transport Total     IP        IPv6\n"
		     "RAW\t  1         1         0        \n"
		     "UDP\t  5         2         3        \n"
		     "TCP\t  9         5         4        \n"
		     "INET\t  15        8         7        \n"
		     "FRAG\t  1         0         1        \n\n",
		     "text");
	free(got);
}
