// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <net/if.h>
#include <sys/stat.h>
#include <linux/if_addr.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include "linkstats.h"
#include "netns.h"
#include "nldump.h"
#include "util.h"

struct link_ctx {
	struct link_set *set;
	size_t first; /* this namespace's first entry in set */
	uint32_t netns;
};

static struct link_sample *find_link(struct link_ctx *c, int ifindex)
{
	for (size_t i = c->first; i < c->set->n; i++)
		if (c->set->v[i].ifindex == ifindex)
			return &c->set->v[i];
	return NULL;
}

static int on_link(void *ctx, const uint8_t *m, size_t len)
{
	struct link_ctx *c = ctx;
	const struct nlmsghdr *h = (const struct nlmsghdr *)m;
	const struct ifinfomsg *ifi = NLMSG_DATA(h);
	int alen = (int)len - (int)NLMSG_LENGTH(sizeof(*ifi));
	struct link_sample s = { .netns = c->netns };
	struct rtnl_link_stats64 st;
	bool have_stats = false;

	if (h->nlmsg_type != RTM_NEWLINK)
		return 0;
	if (alen < 0)
		return -1;
	s.ifindex = ifi->ifi_index;
	s.up = !!(ifi->ifi_flags & IFF_UP);
	for (const struct rtattr *a = IFLA_RTA(ifi); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
		size_t plen = RTA_PAYLOAD(a);

		if (a->rta_type == IFLA_IFNAME) {
			snprintf(s.name, sizeof(s.name), "%.*s", (int)strnlen(RTA_DATA(a), plen),
				 (const char *)RTA_DATA(a));
		} else if (a->rta_type == IFLA_STATS64 && plen >= sizeof(st)) {
			memcpy(&st, RTA_DATA(a), sizeof(st));
			have_stats = true;
		}
	}
	if (have_stats) {
		s.rx_bytes = st.rx_bytes;
		s.tx_bytes = st.tx_bytes;
		s.rx_packets = st.rx_packets;
		s.tx_packets = st.tx_packets;
		s.rx_errors = st.rx_errors;
		s.tx_errors = st.tx_errors;
		s.rx_dropped = st.rx_dropped;
		s.tx_dropped = st.tx_dropped;
	}
	if (c->set->n == c->set->cap) {
		c->set->cap = c->set->cap ? c->set->cap * 2 : 16;
		c->set->v = xrealloc(c->set->v, c->set->cap * sizeof(*c->set->v));
	}
	c->set->v[c->set->n++] = s;
	return 0;
}

static int on_addr(void *ctx, const uint8_t *m, size_t len)
{
	struct link_ctx *c = ctx;
	const struct nlmsghdr *h = (const struct nlmsghdr *)m;
	const struct ifaddrmsg *ifa = NLMSG_DATA(h);
	int alen = (int)len - (int)NLMSG_LENGTH(sizeof(*ifa));
	const void *local = NULL, *address = NULL;
	struct link_sample *l;

	if (h->nlmsg_type != RTM_NEWADDR)
		return 0;
	if (alen < 0)
		return -1;
	if (ifa->ifa_family != AF_INET || !(l = find_link(c, (int)ifa->ifa_index)) || l->addr[0])
		return 0;
	for (const struct rtattr *a = IFA_RTA(ifa); RTA_OK(a, alen); a = RTA_NEXT(a, alen)) {
		if (RTA_PAYLOAD(a) < 4)
			continue;
		if (a->rta_type == IFA_LOCAL)
			local = RTA_DATA(a);
		else if (a->rta_type == IFA_ADDRESS)
			address = RTA_DATA(a);
	}
	/* IFA_LOCAL is the interface's own address; IFA_ADDRESS the peer's on
	 * point-to-point links */
	if (local || address)
		inet_ntop(AF_INET, local ? local : address, l->addr, sizeof(l->addr));
	return 0;
}

static uint32_t this_netns(void)
{
	struct stat st;

	return stat("/proc/thread-self/ns/net", &st) == 0 ? (uint32_t)st.st_ino : 0;
}

int linkstats_read(struct link_set *set, char *err, size_t errlen)
{
	struct link_ctx c = { .set = set, .first = set->n, .netns = this_netns() };
	struct {
		struct nlmsghdr nlh;
		struct ifinfomsg ifi;
	} lreq = {
		.nlh.nlmsg_len = sizeof(lreq),
		.nlh.nlmsg_type = RTM_GETLINK,
		.ifi.ifi_family = AF_UNSPEC,
	};
	struct {
		struct nlmsghdr nlh;
		struct ifaddrmsg ifa;
	} areq = {
		.nlh.nlmsg_len = sizeof(areq),
		.nlh.nlmsg_type = RTM_GETADDR,
		.ifa.ifa_family = AF_INET,
	};
	struct nl_conn nl;
	int ret = -1;

	if (nl_open(&nl, NETLINK_ROUTE)) {
		snprintf(err, errlen, "rtnetlink socket: %s", strerror(errno));
		return -1;
	}
	if (nl_dump(&nl, &lreq.nlh, on_link, &c)) {
		snprintf(err, errlen, "reading the interfaces (RTM_GETLINK): %s", strerror(errno));
		goto out;
	}
	if (nl_dump(&nl, &areq.nlh, on_addr, &c)) {
		snprintf(err, errlen, "reading the addresses (RTM_GETADDR): %s", strerror(errno));
		goto out;
	}
	ret = 0;
out:
	nl_close(&nl);
	return ret;
}

struct read_all {
	struct link_set *set;
	char *err;
	size_t errlen;
};

static int read_here(void *ctx)
{
	struct read_all *r = ctx;

	return linkstats_read(r->set, r->err, r->errlen);
}

int linkstats_read_all(struct link_set *set, char *err, size_t errlen)
{
	struct read_all r = { set, err, errlen };

	return netns_each(read_here, &r, err, errlen);
}

void link_set_free(struct link_set *set)
{
	free(set->v);
	memset(set, 0, sizeof(*set));
}
