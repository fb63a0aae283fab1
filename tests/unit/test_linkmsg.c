// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "linkmsg.h"
#include "unit.h"

/* A message under construction: header, family header, attributes. */
struct msg {
	union {
		struct nlmsghdr h;
		uint8_t b[1024];
	};
	size_t len;
};

static void msg_start(struct msg *m, uint16_t type, const void *fam, size_t famlen)
{
	memset(m, 0, sizeof(*m));
	m->h.nlmsg_type = type;
	memcpy(m->b + NLMSG_HDRLEN, fam, famlen);
	m->len = NLMSG_LENGTH(famlen);
	m->len = NLMSG_ALIGN(m->len);
}

static void msg_attr(struct msg *m, uint16_t type, const void *data, size_t n)
{
	struct rtattr *a = (struct rtattr *)(m->b + m->len);

	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(n);
	memcpy(RTA_DATA(a), data, n);
	m->len += RTA_ALIGN(a->rta_len);
	m->h.nlmsg_len = (uint32_t)m->len;
}

TEST(linkmsg_link_counters)
{
	struct ifinfomsg ifi = { .ifi_family = AF_UNSPEC, .ifi_index = 7, .ifi_flags = IFF_UP };
	struct rtnl_link_stats64 st = { .rx_packets = 11,
					.tx_packets = 22,
					.rx_bytes = 1ull << 40,
					.tx_bytes = 4444,
					.rx_dropped = 5 };
	struct link_sample s;
	struct msg m;

	msg_start(&m, RTM_NEWLINK, &ifi, sizeof(ifi));
	msg_attr(&m, IFLA_IFNAME, "veth0", 6);
	msg_attr(&m, IFLA_STATS64, &st, sizeof(st));
	ASSERT_EQ(linkmsg_parse_link(m.b, m.len, 99, &s), 1, "a link");
	ASSERT_STREQ(s.name, "veth0", "name");
	ASSERT_EQ(s.ifindex, 7, "index");
	ASSERT_EQ(s.netns, 99, "netns given");
	ASSERT_EQ(s.up, 1, "up");
	ASSERT_EQ(s.rx_bytes, 1ull << 40, "64-bit bytes");
	ASSERT_EQ(s.tx_bytes, 4444, "tx bytes");
	ASSERT_EQ(s.rx_packets, 11, "rx packets");
	ASSERT_EQ(s.tx_packets, 22, "tx packets");
	ASSERT_EQ(s.rx_dropped, 5, "drops");
}

TEST(linkmsg_link_odd)
{
	struct ifinfomsg ifi = { .ifi_index = 3 };
	char name[IFNAMSIZ] = "0123456789abcdef"; /* no NUL within the attribute */
	struct link_sample s;
	struct msg m;

	/* a name filling the attribute, no statistics, down */
	msg_start(&m, RTM_NEWLINK, &ifi, sizeof(ifi));
	msg_attr(&m, IFLA_IFNAME, name, sizeof(name));
	ASSERT_EQ(linkmsg_parse_link(m.b, m.len, 1, &s), 1, "a link");
	ASSERT_STREQ(s.name, "0123456789abcde", "name cut to IFNAMSIZ - 1");
	ASSERT_EQ(s.rx_bytes, 0, "no statistics: 0");
	ASSERT_EQ(s.up, 0, "down");
	/* another type: skipped; too short: malformed */
	m.h.nlmsg_type = RTM_NEWADDR;
	ASSERT_EQ(linkmsg_parse_link(m.b, m.len, 1, &s), 0, "not a link");
	m.h.nlmsg_type = RTM_NEWLINK;
	ASSERT_EQ(linkmsg_parse_link(m.b, NLMSG_HDRLEN + 2, 1, &s), -1, "truncated");
}

TEST(linkmsg_addr)
{
	struct ifaddrmsg ifa = { .ifa_family = AF_INET, .ifa_index = 4 };
	struct in_addr local, peer;
	char addr[16];
	int idx = 0;
	struct msg m;

	inet_pton(AF_INET, "198.18.0.1", &local);
	inet_pton(AF_INET, "198.18.0.9", &peer);
	/* point-to-point: IFA_ADDRESS is the peer's, IFA_LOCAL ours */
	msg_start(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	msg_attr(&m, IFA_ADDRESS, &peer, 4);
	msg_attr(&m, IFA_LOCAL, &local, 4);
	ASSERT_EQ(linkmsg_parse_addr(m.b, m.len, &idx, addr), 1, "an IPv4 address");
	ASSERT_EQ(idx, 4, "its interface");
	ASSERT_STREQ(addr, "198.18.0.1", "the local one");
	/* only IFA_ADDRESS: that one */
	msg_start(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	msg_attr(&m, IFA_ADDRESS, &peer, 4);
	ASSERT_EQ(linkmsg_parse_addr(m.b, m.len, &idx, addr), 1, "address only");
	ASSERT_STREQ(addr, "198.18.0.9", "IFA_ADDRESS");
	/* IPv6: not shown */
	ifa.ifa_family = AF_INET6;
	msg_start(&m, RTM_NEWADDR, &ifa, sizeof(ifa));
	ASSERT_EQ(linkmsg_parse_addr(m.b, m.len, &idx, addr), 0, "IPv6 skipped");
}
