// SPDX-License-Identifier: GPL-2.0
/*
 * netstat -ie's long form against what net-tools 2.10 prints for the same
 * facts (its ife_print_long and ife_unit), the corners included: a label
 * with no counters, no flags, an unknown hardware type, a device map,
 * compressed counts, every IPv6 scope.
 */
#include <net/if.h>
#include <net/if_arp.h>
#include <stdlib.h>
#include <string.h>
#include "ifconfig_fmt.h"
#include "unit.h"

static char *print_long(const struct procnet_iface *i, const struct if_long *l,
			const struct if_inet6 *v6, size_t n6)
{
	char *buf = NULL;
	size_t len;
	FILE *out = open_memstream(&buf, &len);

	ifconfig_print_long(out, i, l, v6, n6);
	fclose(out);
	return buf;
}

static const char *unit(unsigned long long v)
{
	static char buf[32];

	ifconfig_unit(buf, sizeof(buf), v);
	return buf;
}

TEST(ifconfig_unit_as_net_tools)
{
	ASSERT_STREQ(unit(0), "0.0 B", "zero");
	ASSERT_STREQ(unit(1024), "1024.0 B", "1024 is still bytes (net-tools tests >)");
	ASSERT_STREQ(unit(1025), "1.0 KiB", "just above");
	ASSERT_STREQ(unit(337010), "329.1 KiB", "truncated, not rounded");
	ASSERT_STREQ(unit(364496171), "347.6 MiB", "MiB");
	ASSERT_STREQ(unit(1073741825), "1.0 GiB", "GiB");
	ASSERT_STREQ(unit(1099511627777ull), "1.0 TiB", "TiB");
	ASSERT_STREQ(unit(1125899906842625ull), "1.0 PiB", "PiB");
	ASSERT_STREQ(unit(18446744073709551615ull), "16.0 EiB", "EiB: no overflow");
}

TEST(ifconfig_parse_inet6)
{
	const char *text = "20010db8000000000000000000000001 03 40 00 80  veth0\n"
			   "fe800000000000000000000000000001 03 40 20 80  veth0\n"
			   "not a line\n"
			   "00000000000000000000000000000001 01 80 10 80       lo";
	struct if_inet6 *v;
	size_t n;

	ifconfig_parse_inet6(text, &v, &n);
	if (!ASSERT_EQ(n, 3, "three lines parse"))
		return;
	ASSERT_EQ(v[0].addr[0], 0x20, "address bytes");
	ASSERT_EQ(v[0].addr[15], 0x01, "last byte");
	ASSERT_EQ(v[0].plen, 64, "prefix length is hex");
	ASSERT_EQ(v[1].scope, 0x20, "link scope");
	ASSERT_STREQ(v[2].dev, "lo", "device");
	ASSERT_EQ(v[2].plen, 128, "0x80");
	free(v);
	ifconfig_parse_inet6(NULL, &v, &n);
	ASSERT_EQ(n, 0, "no file, no lines");
}

TEST(ifconfig_print_long_ether)
{
	struct procnet_iface i = {
		.name = "eth0",
		.mtu = 1400,
		.flags = IFF_UP | IFF_BROADCAST | IFF_RUNNING | IFF_MULTICAST,
		.rx_packets = 7931,
		.rx_bytes = 364496171,
		.tx_packets = 4495,
		.tx_bytes = 337010,
		.tx_dropped = 2,
		.rx_frame = 3,
	};
	struct if_long l = { .hwtype = ARPHRD_ETHER,
			     .hwaddr = { 0x02, 0xfc, 0, 0, 0, 1 },
			     .txqlen = 1000,
			     .has_ip = true,
			     .addr = { 192, 0, 2, 2 },
			     .netmask = { 255, 255, 255, 0 },
			     .broadaddr = { 192, 0, 2, 255 } };
	struct if_inet6 v6[3] = { { .plen = 64, .scope = 0, .dev = "eth0" },
				  { .plen = 64, .scope = 0x20, .dev = "eth0" },
				  { .plen = 128, .scope = 0x10, .dev = "lo" } };
	char *got;

	v6[0].addr[0] = 0xfd;
	v6[0].addr[15] = 2;
	v6[1].addr[0] = 0xfe;
	v6[1].addr[1] = 0x80;
	v6[1].addr[15] = 1;
	got = print_long(&i, &l, v6, 3);
	ASSERT_STREQ(got,
		     "eth0: flags=4163<UP,BROADCAST,RUNNING,MULTICAST>  mtu 1400\n"
		     "        inet 192.0.2.2  netmask 255.255.255.0  broadcast 192.0.2.255\n"
		     "        inet6 fd00::2  prefixlen 64  scopeid 0x0<global>\n"
		     "        inet6 fe80::1  prefixlen 64  scopeid 0x20<link>\n"
		     "        ether 02:fc:00:00:00:01  txqueuelen 1000  (Ethernet)\n"
		     "        RX packets 7931  bytes 364496171 (347.6 MiB)\n"
		     "        RX errors 0  dropped 0  overruns 0  frame 3\n"
		     "        TX packets 4495  bytes 337010 (329.1 KiB)\n"
		     "        TX errors 0  dropped 2 overruns 0  carrier 0  collisions 0\n"
		     "\n",
		     "an Ethernet device, as Debian's netstat -ie");
	free(got);
}

TEST(ifconfig_print_long_corners)
{
	/* a label: no counters; no names for its flags */
	struct procnet_iface i = { .name = "eth0:1", .mtu = 1500, .flags = 0, .no_stats = true };
	struct if_long l = { .hwtype = ARPHRD_NONE, .txqlen = -1, .irq = 11, .base_addr = 0x300 };
	struct if_inet6 compat = { .plen = 96, .scope = 0x80 | 0x40, .dev = "tun0" };
	struct procnet_iface t = { .name = "tun0",
				   .mtu = 1500,
				   .flags = IFF_UP | IFF_POINTOPOINT | IFF_NOARP,
				   .rx_compressed = 5,
				   .tx_compressed = 6 };
	struct if_long tl = { .hwtype = ARPHRD_CSLIP,
			      .txqlen = 500,
			      .has_ip = true,
			      .addr = { 198, 18, 4, 1 },
			      .netmask = { 255, 255, 255, 255 },
			      .dstaddr = { 198, 18, 4, 2 } };
	char *got = print_long(&i, &l, NULL, 0);

	ASSERT_STREQ(got,
		     "eth0:1: flags=0<  mtu 1500\n"
		     "        unspec 00-00-00-00-00-00-00-00-00-00-00-00-00-00-00-00  (UNSPEC)\n"
		     "        device interrupt 11  base 0x300  \n"
		     "\n",
		     "a label with no flags, an unknown type, a device map");
	free(got);
	got = print_long(&t, &tl, &compat, 1);
	ASSERT_STREQ(got,
		     "tun0: flags=145<UP,POINTOPOINT,NOARP>  mtu 1500\n"
		     "        inet 198.18.4.1  netmask 255.255.255.255  destination 198.18.4.2\n"
		     "        inet6 ::  prefixlen 96  scopeid 0xc0<compat,site>\n"
		     "        cslip  txqueuelen 500  (VJ Serial Line IP)\n"
		     "        RX packets 0  bytes 0 (0.0 B)\n"
		     "        RX compressed:5\n"
		     "        RX errors 0  dropped 0  overruns 0  frame 0\n"
		     "        TX packets 0  bytes 0 (0.0 B)\n"
		     "        TX compressed 6\n"
		     "        TX errors 0  dropped 0 overruns 0  carrier 0  collisions 0\n"
		     "\n",
		     "point-to-point; compressed SLIP's counts, 2.10's spelling; a compat address");
	free(got);
	/* counts of compression on another type: not shown (2.10) */
	tl.hwtype = ARPHRD_ETHER;
	got = print_long(&t, &tl, NULL, 0);
	ASSERT_TRUE(!strstr(got, "compressed"), "no compressed lines on Ethernet");
	free(got);
	/* IFF_DYNAMIC: net-tools' short flags print negative */
	t.flags = IFF_UP | 0x8000;
	got = print_long(&t, &tl, NULL, 0);
	ASSERT_STREQ(strtok(got, "\n"), "tun0: flags=-32767<UP,DYNAMIC>  mtu 1500",
		     "a short's sign");
	free(got);
	/* a v4-mapped IPv6 address: its IPv4 part (net-tools' fix_v4_address) */
	compat = (struct if_inet6){ .plen = 96,
				    .dev = "tun0",
				    .addr = { [10] = 0xff, [11] = 0xff, 198, 18, 0, 1 } };
	got = print_long(&t, &tl, &compat, 1);
	ASSERT_TRUE(
		strstr(got, "\n        inet6 198.18.0.1  prefixlen 96  scopeid 0x0<global>\n") !=
			NULL,
		"v4-mapped as its IPv4 part");
	free(got);
	/* flags with bits net-tools has no name for: its '<' goes too */
	i.flags = 0x4000;
	l.hwtype = ARPHRD_LOOPBACK;
	l.irq = 0;
	l.base_addr = 0;
	got = print_long(&i, &l, NULL, 0);
	ASSERT_STREQ(got, "eth0:1: flags=16384  mtu 1500\n        loop  (Local Loopback)\n\n",
		     "unnamed flags, loopback");
	free(got);
}
