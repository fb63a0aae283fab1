// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <linux/rtnetlink.h>
#include "linkmsg.h"
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
	struct link_sample s;
	int r = linkmsg_parse_link(m, len, c->netns, &s);

	if (r <= 0)
		return r;
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
	struct link_sample *l;
	char addr[16];
	int ifindex, r = linkmsg_parse_addr(m, len, &ifindex, addr);

	/* the first IPv4 address an interface has is the one shown */
	if (r > 0 && (l = find_link(c, ifindex)) && !l->addr[0])
		memcpy(l->addr, addr, sizeof(l->addr));
	return r < 0 ? -1 : 0;
}

int linkstats_read(struct link_set *set, char *err, size_t errlen)
{
	struct link_ctx c = { .set = set, .first = set->n, .netns = netns_current() };
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
