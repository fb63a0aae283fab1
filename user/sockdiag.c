// SPDX-License-Identifier: GPL-2.0
/*
 * sock_diag netlink requests: one dump (nldump.c) per protocol and family,
 * each reply handed to sockdiag_parse.
 */
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/netlink_diag.h>
#include <linux/packet_diag.h>
#include <linux/sock_diag.h>
#include <linux/unix_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "netns.h"
#include "nldump.h"
#include "sockdiag.h"
#include "util.h"

char sockdiag_skipped[256];
char sockdiag_tcp_split[128];

/* A dump's replies go to sockdiag_parse with the request's kind and query. */
struct diag_ctx {
	enum sock_kind kind;
	const struct sockets_query *q;
	uint32_t netns;
	struct sock_table *t;
};

static int diag_msg(void *ctx, const uint8_t *m, size_t len)
{
	struct diag_ctx *d = ctx;

	return sockdiag_parse(m, len, d->kind, d->q, d->netns, d->t) < 0 ? -1 : 0;
}

/* req's nlmsg_type is SOCK_DIAG_BY_FAMILY unless the caller set another. */
static int diag_dump(struct nl_conn *c, struct nlmsghdr *req, enum sock_kind kind,
		     const struct sockets_query *q, uint32_t netns, struct sock_table *t)
{
	struct diag_ctx d = { kind, q, netns, t };

	if (!req->nlmsg_type)
		req->nlmsg_type = SOCK_DIAG_BY_FAMILY;
	return nl_dump(c, req, diag_msg, &d);
}

static const char *family_name(int family)
{
	return family == AF_INET ? " (IPv4)" : family == AF_INET6 ? " (IPv6)" : "";
}

/*
 * TCP of both families in one dump: the old TCPDIAG_GETSOCK request, which
 * the kernel still serves as a request for any family. Every TCP dump walks
 * the whole established hash, most of it empty buckets (5 ms of a 10,000
 * socket dump here, with 262,144 buckets), so one walk instead of one per
 * family saves that much. The protocol is the message type's; the replies
 * are the same messages, under that type.
 */
static int dump_tcp_both(struct nl_conn *c, const struct sockets_query *q, uint32_t netns,
			 struct sock_table *t, const struct inet_diag_req_v2 *v2,
			 const struct nlattr *nla, const struct inet_diag_bc_op *op)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req r;
		struct nlattr nla;
		struct inet_diag_bc_op op;
	} req = {
		.nlh.nlmsg_len = sizeof(struct nlmsghdr) + sizeof(struct inet_diag_req),
		.nlh.nlmsg_type = TCPDIAG_GETSOCK,
		.r.idiag_family = AF_INET,
		.r.idiag_ext = v2->idiag_ext,
		.r.idiag_states = v2->idiag_states,
	};

	if (nla->nla_len) {
		req.nlh.nlmsg_len = sizeof(req);
		req.nla = *nla;
		req.op = *op;
	}
	return diag_dump(c, &req.nlh, SK_TCP, q, netns, t);
}

/*
 * One inet dump into t; family 0 (TCP only) is both families in one. With
 * autobound_only, the kernel's bytecode keeps only the sockets whose port
 * it chose (bind() named none), as ss asks for "autobound": no reply says
 * it otherwise.
 */
static int dump_inet(struct nl_conn *c, enum sock_kind kind, int family,
		     const struct sockets_query *q, uint32_t netns, struct sock_table *t,
		     bool autobound_only)
{
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req_v2 r;
		struct nlattr nla;
		struct inet_diag_bc_op op;
	} req = {
		.nlh.nlmsg_len = sizeof(struct nlmsghdr) + sizeof(struct inet_diag_req_v2),
		.r.sdiag_family = family,
		.r.idiag_states = q->states ? q->states : ~0u,
	};

	switch (kind) {
	case SK_TCP:
		req.r.sdiag_protocol = IPPROTO_TCP;
		if (q->tcpinfo)
			req.r.idiag_ext |= 1 << (INET_DIAG_INFO - 1) | 1 << (INET_DIAG_CONG - 1);
		break;
	case SK_UDP:
		req.r.sdiag_protocol = IPPROTO_UDP;
		break;
	default:
		/*
		 * raw_diag: IPPROTO_RAW selects the handler, which dumps raw
		 * sockets of every protocol (inet_diag_req_raw's
		 * sdiag_raw_protocol, the pad byte here, is read only by
		 * single-socket lookups); each reply names its protocol in
		 * INET_DIAG_PROTOCOL. As ss does, no INET_DIAG_REQ_PROTOCOL:
		 * that is for protocols above 255, and kernels before 5.9
		 * would not know it.
		 */
		req.r.sdiag_protocol = IPPROTO_RAW;
		break;
	}
	if (q->mem)
		req.r.idiag_ext |= 1 << (INET_DIAG_SKMEMINFO - 1);
	if (autobound_only) {
		req.nlh.nlmsg_len = sizeof(req);
		req.nla.nla_len = NLA_HDRLEN + sizeof(req.op);
		req.nla.nla_type = INET_DIAG_REQ_BYTECODE;
		/* a match jumps to the end (kept), a miss past it (dropped) */
		req.op = (struct inet_diag_bc_op){ .code = INET_DIAG_BC_AUTO, .yes = 4, .no = 8 };
	}
	if (!family && kind == SK_TCP)
		return dump_tcp_both(c, q, netns, t, &req.r, &req.nla, &req.op);
	return diag_dump(c, &req.nlh, kind, q, netns, t);
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * Whether bind() named each TCP or UDP socket's port (t's rows from `from`
 * on): the sockets of an autobound-only dump did not.
 */
static int mark_bound(struct nl_conn *c, enum sock_kind kind, int family,
		      const struct sockets_query *q, uint32_t netns, struct sock_table *t,
		      size_t from)
{
	struct sockets_query lq = { .kinds = SK_KIND_BIT(kind), .states = q->states };
	struct sock_table a = { 0 };
	uint64_t *cookies;

	if (dump_inet(c, kind, family, &lq, netns, &a, true) < 0) {
		sock_table_free(&a);
		return -1;
	}
	cookies = xcalloc(a.n + 1, sizeof(*cookies));
	for (size_t i = 0; i < a.n; i++)
		cookies[i] = a.v[i].cookie;
	qsort(cookies, a.n, sizeof(*cookies), cmp_u64);
	for (size_t i = from; i < t->n; i++) {
		struct sock_entry *e = &t->v[i];

		if (e->kind != kind || (family && e->family != family))
			continue;
		e->bind_known = true;
		e->port_bound = !bsearch(&e->cookie, cookies, a.n, sizeof(*cookies), cmp_u64);
	}
	free(cookies);
	sock_table_free(&a);
	return 0;
}

/*
 * One family's (or, 0, both's) sockets of a kind, and whether bind() named
 * their ports if the query asks. On failure t is as it was.
 */
static int dump_inet_sk(struct nl_conn *c, enum sock_kind k, int f, const struct sockets_query *q,
			uint32_t netns, struct sock_table *t)
{
	size_t from = t->n;
	int e;

	if (dump_inet(c, k, f, q, netns, t, false) == 0 &&
	    (!(k == SK_TCP || k == SK_UDP) || !q->bind ||
	     mark_bound(c, k, f, q, netns, t, from) == 0))
		return 0;
	e = errno;
	sock_table_truncate(t, from);
	errno = e;
	return -1;
}

static int dump_unix(struct nl_conn *c, const struct sockets_query *q, uint32_t netns,
		     struct sock_table *t)
{
	struct {
		struct nlmsghdr nlh;
		struct unix_diag_req r;
	} req = {
		.nlh.nlmsg_len = sizeof(req),
		.r.sdiag_family = AF_UNIX,
		.r.udiag_states = q->states ? q->states : ~0u,
		.r.udiag_show = UDIAG_SHOW_NAME | UDIAG_SHOW_PEER | UDIAG_SHOW_RQLEN |
				UDIAG_SHOW_UID,
	};

	if (q->mem)
		req.r.udiag_show |= UDIAG_SHOW_MEMINFO;
	return diag_dump(c, &req.nlh, SK_UNIX_STREAM, q, netns, t);
}

/* The whole of a /proc file into *text (malloc'd), its length in *len. 0, or -1 with errno set. */
static int read_proc(const char *path, char **text, size_t *len)
{
	size_t cap = 16384;
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f)
		return -1;
	*len = 0;
	*text = xmalloc(cap);
	for (;;) {
		size_t n = fread(*text + *len, 1, cap - *len, f);

		*len += n;
		if (*len < cap)
			break;
		cap *= 2;
		*text = xrealloc(*text, cap);
	}
	ret = ferror(f) ? -1 : 0;
	fclose(f);
	if (ret < 0) {
		free(*text);
		*text = NULL;
		errno = EIO;
	}
	return ret;
}

/*
 * Sockets of kind from their /proc/net file, where the kernel has no
 * *_diag for them (as ss falls back): raw (family AF_INET or AF_INET6),
 * netlink or packet. 0, or -1 with errno set.
 */
static int proc_fallback(enum sock_kind kind, int family, const struct sockets_query *q,
			 uint32_t netns, struct sock_table *t)
{
	const char *path = kind == SK_NETLINK		       ? "/proc/net/netlink" :
			   SK_KIND_BIT(kind) & SK_KINDS_PACKET ? "/proc/net/packet" :
			   family == AF_INET		       ? "/proc/net/raw" :
								 "/proc/net/raw6";
	size_t len;
	char *text;
	int r;

	if (read_proc(path, &text, &len) < 0)
		return -1;
	if (kind == SK_NETLINK)
		r = sockdiag_parse_proc_netlink(text, len, q, netns, t);
	else if (SK_KIND_BIT(kind) & SK_KINDS_PACKET)
		r = sockdiag_parse_proc_packet(text, len, q, netns, t);
	else
		r = sockdiag_parse_proc_raw(text, len, family, q, netns, t);
	free(text);
	if (r < 0) {
		errno = EBADMSG;
		return -1;
	}
	return 0;
}

static int dump_netlink(struct nl_conn *c, const struct sockets_query *q, uint32_t netns,
			struct sock_table *t)
{
	struct {
		struct nlmsghdr nlh;
		struct netlink_diag_req r;
	} req = {
		.nlh.nlmsg_len = sizeof(req),
		.r.sdiag_family = AF_NETLINK,
		.r.sdiag_protocol = NDIAG_PROTO_ALL,
		/* the memory info always: ss's queues come from it */
		.r.ndiag_show = NDIAG_SHOW_GROUPS | NDIAG_SHOW_MEMINFO,
	};

	return diag_dump(c, &req.nlh, SK_NETLINK, q, netns, t);
}

static int dump_packet(struct nl_conn *c, const struct sockets_query *q, uint32_t netns,
		       struct sock_table *t)
{
	struct {
		struct nlmsghdr nlh;
		struct packet_diag_req r;
	} req = {
		.nlh.nlmsg_len = sizeof(req),
		.r.sdiag_family = AF_PACKET,
		.r.pdiag_show = PACKET_SHOW_INFO | PACKET_SHOW_MEMINFO | PACKET_SHOW_RING_CFG |
				PACKET_SHOW_FANOUT,
	};

	return diag_dump(c, &req.nlh, SK_PACKET_RAW, q, netns, t);
}

/*
 * Netlink (SK_NETLINK) or packet (SK_PACKET_RAW) sockets: from the dump,
 * else (no *_diag in this kernel) from /proc. A failure of both is not the
 * listing's: as ss, it goes on without them, and says why in
 * sockdiag_skipped. The rows of a dump that failed midway are dropped.
 */
static void link_kind(struct nl_conn *c, enum sock_kind kind, const struct sockets_query *q,
		      uint32_t netns, struct sock_table *t)
{
	size_t n0 = t->n;
	int r, e;

	r = kind == SK_NETLINK ? dump_netlink(c, q, netns, t) : dump_packet(c, q, netns, t);
	if (r == 0)
		return;
	e = errno;
	sock_table_truncate(t, n0);
	if (e == ENOENT && proc_fallback(kind, 0, q, netns, t) == 0)
		return;
	snprintf(sockdiag_skipped, sizeof(sockdiag_skipped), "sock_diag %s: %s",
		 sock_kind_proto(kind), strerror(e));
}

int sockdiag_collect(const struct sockets_query *q, unsigned int kinds, struct sock_table *t,
		     char *err, size_t errlen)
{
	static const int families[] = { AF_INET, AF_INET6 };
	struct sockets_query lq = *q;
	struct nl_conn c;
	uint32_t netns = netns_current();
	int ret = -1;

	/* the rows' kinds are the caller's `kinds`; the parser filters on lq.kinds */
	lq.kinds = kinds;
	if (nl_open(&c, NETLINK_SOCK_DIAG)) {
		snprintf(err, errlen, "sock_diag netlink socket: %s", strerror(errno));
		return -1;
	}
	/* parsing a socket costs about what the kernel's filling it does */
	c.read_ahead = true;

	/* in ss's order: netlink, packet, unix, raw, udp, tcp */
	if (kinds & SK_KIND_BIT(SK_NETLINK))
		link_kind(&c, SK_NETLINK, &lq, netns, t);
	if (kinds & SK_KINDS_PACKET)
		link_kind(&c, SK_PACKET_RAW, &lq, netns, t);
	if (kinds & SK_KINDS_UNIX) {
		if (dump_unix(&c, &lq, netns, t) < 0) {
			snprintf(err, errlen, "sock_diag unix: %s%s", strerror(errno),
				 errno == ENOENT ? " (kernel without CONFIG_UNIX_DIAG?)" : "");
			goto out;
		}
	}
	for (enum sock_kind k = SK_RAW; k <= SK_TCP; k++) {
		if (!(kinds & SK_KIND_BIT(k)))
			continue;
		if (k == SK_TCP && !q->family) {
			if (dump_inet_sk(&c, k, 0, &lq, netns, t) == 0)
				continue;
			/* a dump that failed midway may still run on this socket */
			snprintf(sockdiag_tcp_split, sizeof(sockdiag_tcp_split), "%s",
				 strerror(errno));
			nl_close(&c);
			if (nl_open(&c, NETLINK_SOCK_DIAG)) {
				snprintf(err, errlen, "sock_diag netlink socket: %s",
					 strerror(errno));
				goto out;
			}
			c.read_ahead = true;
		}
		for (size_t i = 0; i < ARRAY_SIZE(families); i++) {
			int f = families[i];

			if (q->family && q->family != f)
				continue;
			if (dump_inet_sk(&c, k, f, &lq, netns, t) < 0) {
				int e = errno;

				/* no raw_diag in this kernel: its /proc text */
				if (k == SK_RAW && e == ENOENT &&
				    proc_fallback(SK_RAW, f, &lq, netns, t) == 0)
					continue;
				if (k == SK_RAW && e == ENOENT)
					e = errno;

				snprintf(err, errlen, "sock_diag %s%s: %s%s", sock_kind_proto(k),
					 family_name(f), strerror(e),
					 e == ENOENT ? " (kernel without its *_DIAG support?)" :
						       "");
				goto out;
			}
		}
	}
	ret = 0;
out:
	nl_close(&c);
	return ret;
}

int sockdiag_touch(enum sock_kind kind, char *err, size_t errlen)
{
	struct sockets_query q = { .kinds = SK_KIND_BIT(kind) };
	struct sock_table t = { 0 };
	int ret = sockdiag_collect(&q, SK_KIND_BIT(kind), &t, err, errlen);

	sock_table_free(&t);
	return ret;
}
