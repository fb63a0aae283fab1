// SPDX-License-Identifier: GPL-2.0
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "linkmsg.h"

int linkmsg_parse_link(const uint8_t *m, size_t len, uint32_t netns, struct link_sample *out)
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)m;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	int alen = (int)len - (int)NLMSG_LENGTH(sizeof(*ifi));
	struct rtnl_link_stats64 st;
	bool have_stats = false;

	if (len < NLMSG_HDRLEN)
		return -1;
	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (alen < 0)
		return -1;
	memset(out, 0, sizeof(*out));
	out->netns = netns;
	out->ifindex = ifi->ifi_index;
	out->up = !!(ifi->ifi_flags & IFF_UP);
	out->type = ifi->ifi_type;
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
		size_t plen = RTA_PAYLOAD(a);

		if (a->rta_type == IFLA_IFNAME) {
			snprintf(out->name, sizeof(out->name), "%.*s",
				 (int)strnlen(RTA_DATA(a), plen), (const char *)RTA_DATA(a));
		} else if (a->rta_type == IFLA_STATS64 && plen >= sizeof(st)) {
			memcpy(&st, RTA_DATA(a), sizeof(st));
			have_stats = true;
		}
	}
	if (have_stats) {
		out->rx_bytes = st.rx_bytes;
		out->tx_bytes = st.tx_bytes;
		out->rx_packets = st.rx_packets;
		out->tx_packets = st.tx_packets;
		out->rx_errors = st.rx_errors;
		out->tx_errors = st.tx_errors;
		out->rx_dropped = st.rx_dropped;
		out->tx_dropped = st.tx_dropped;
	}
	return 1;
}

int linkmsg_parse_addr(const uint8_t *m, size_t len, int *ifindex, char addr[16])
{
	const struct nlmsghdr *h = (const struct nlmsghdr *)m;
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int alen = (int)len - (int)NLMSG_LENGTH(sizeof(*ifa));
	const void *local = NULL, *address = NULL;

	if (len < NLMSG_HDRLEN)
		return -1;
	if (h->nlmsg_type != RTM_NEWADDR)
		return 0;
	if (alen < 0)
		return -1;
	if (ifa->ifa_family != AF_INET)
		return 0;
	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
		if (RTA_PAYLOAD(a) < 4)
			continue;
		if (a->rta_type == IFA_LOCAL)
			local = RTA_DATA(a);
		else if (a->rta_type == IFA_ADDRESS)
			address = RTA_DATA(a);
	}
	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's
	 * on point-to-point links */
	if (!local && !address)
		return 0;
	*ifindex = (int)ifa->ifa_index;
	inet_ntop(AF_INET, local ? local : address, addr, 16);
	return 1;
}
