// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink dumps: one NLM_F_DUMP request, its multipart replies read into
 * one growing buffer and handed, message by message, to the caller. Shared
 * by sock_diag (the listings' fallback) and rtnetlink (link statistics).
 *
 * The kernel fills each reply datagram inside the recvmsg() that makes
 * room for it, so a dump of many datagrams is the kernel's work and the
 * caller's parsing in turn. From its second datagram on, a dump is read
 * on a thread of its own, so that the two overlap on another CPU; the
 * caller still gets every message, in order, on its own thread.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "nldump.h"
#include "readahead.h"
#include "util.h"

/* Dump replies are at most 32 KiB per recvmsg (netlink_dump's cap); more is read if offered. */
#define NL_BUF_SIZE (64 * 1024)

int nl_open(struct nl_conn *c, int protocol)
{
	memset(c, 0, sizeof(*c));
	c->fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, protocol);
	if (c->fd < 0)
		return -1;
	c->cap = NL_BUF_SIZE;
	c->buf = xmalloc(c->cap);
	return 0;
}

void nl_close(struct nl_conn *c)
{
	free(c->buf);
	c->buf = NULL;
	if (c->fd >= 0)
		close(c->fd);
	c->fd = -1;
}

static int nl_send(struct nl_conn *c, struct nlmsghdr *req)
{
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	ssize_t n;

	req->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	req->nlmsg_seq = ++c->seq;
	do
		n = sendto(c->fd, req, req->nlmsg_len, 0, (struct sockaddr *)&kernel,
			   sizeof(kernel));
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	if ((size_t)n != req->nlmsg_len) {
		errno = EMSGSIZE;
		return -1;
	}
	return 0;
}

/*
 * One datagram into *buf (grown to fit; *cap its size): its length, or -1
 * with errno. The real length is asked first without copying anything
 * (MSG_PEEK | MSG_TRUNC on no room), so no datagram is copied twice.
 */
static ssize_t recv_datagram(int fd, uint8_t **buf, size_t *cap)
{
	struct sockaddr_nl from;
	struct iovec iov;
	struct msghdr msg = {
		.msg_name = &from,
		.msg_namelen = sizeof(from),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	for (;;) {
		iov = (struct iovec){ *buf, 0 };
		msg.msg_namelen = sizeof(from);
		n = recvmsg(fd, &msg, MSG_PEEK | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if ((size_t)n > *cap) {
			*cap = n;
			*buf = xrealloc(*buf, *cap);
		}
		iov = (struct iovec){ *buf, *cap };
		msg.msg_namelen = sizeof(from);
		do
			n = recvmsg(fd, &msg, 0);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -1;
		if (msg.msg_flags & MSG_TRUNC) {
			errno = EMSGSIZE;
			return -1;
		}
		/* only the kernel (port 0) answers dumps */
		if (from.nl_pid != 0)
			continue;
		return n;
	}
}

/*
 * The messages of one datagram, handed to fn: 1 at the end of the dump
 * (NLMSG_DONE), 0 if more is to come, -1 with errno.
 */
static int handle_datagram(uint32_t seq, const uint8_t *buf, size_t n, nl_msg_fn fn, void *ctx)
{
	size_t off = 0;

	while (n - off >= NLMSG_HDRLEN) {
		struct nlmsghdr h;
		const uint8_t *m = buf + off;

		memcpy(&h, m, sizeof(h));
		if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > n - off) {
			errno = EBADMSG;
			return -1;
		}
		/* the last message may lack its padding */
		off += NLMSG_ALIGN(h.nlmsg_len) < n - off ? NLMSG_ALIGN(h.nlmsg_len) : n - off;
		if (h.nlmsg_seq != seq)
			continue; /* a stale reply to an earlier request */
		if (h.nlmsg_type == NLMSG_DONE) {
			int32_t e = 0;

			/* a dump that failed midway says so here */
			if (h.nlmsg_len >= NLMSG_LENGTH(sizeof(e)))
				memcpy(&e, m + NLMSG_HDRLEN, sizeof(e));
			if (e < 0) {
				errno = -e;
				return -1;
			}
			return 1;
		}
		if (h.nlmsg_type == NLMSG_ERROR) {
			struct nlmsgerr ne;

			if (h.nlmsg_len < NLMSG_LENGTH(sizeof(ne.error))) {
				errno = EBADMSG;
				return -1;
			}
			memcpy(&ne.error, m + NLMSG_HDRLEN, sizeof(ne.error));
			if (ne.error == 0)
				continue; /* an ack */
			errno = ne.error < 0 ? -ne.error : EPROTO;
			return -1;
		}
		if (fn && fn(ctx, m, h.nlmsg_len) < 0) {
			errno = EBADMSG;
			return -1;
		}
	}
	return 0;
}

/* What the read-ahead thread reads: the dump's datagrams, one a chunk. */
struct dump_source {
	int fd;
	uint32_t seq;
};

static int fill_datagram(void *ctx, struct ra_chunk *k)
{
	const struct dump_source *src = ctx;
	ssize_t n = recv_datagram(src->fd, &k->buf, &k->cap);

	if (n < 0)
		return -1;
	k->len = (size_t)n;
	/* the end (or an error reply) is seen here only to stop reading: the
	 * caller handles it, as every message */
	return handle_datagram(src->seq, k->buf, k->len, NULL, NULL) == 0;
}

/*
 * The rest of a dump, read ahead on another thread: 0, or -1 with errno;
 * 1 if no thread could be had (the caller reads on itself).
 */
static int dump_read_ahead(struct nl_conn *c, nl_msg_fn fn, void *ctx)
{
	struct dump_source src = { .fd = c->fd, .seq = c->seq };
	struct readahead r;
	struct ra_chunk *k;
	int ret = -1, e = 0, err;

	if (ra_start(&r, fill_datagram, &src, NL_BUF_SIZE))
		return 1; /* no thread to be had: the caller reads on */
	while ((k = ra_next(&r))) {
		ret = handle_datagram(c->seq, k->buf, k->len, fn, ctx);
		e = errno;
		ra_put(&r, k);
		if (ret)
			break;
	}
	err = ra_stop(&r);
	if (!k) {
		/* taken all without the dump's end: the read failed */
		e = err ? err : EBADMSG;
		ret = -1;
	}
	if (ret < 0) {
		errno = e;
		return -1;
	}
	return 0;
}

int nl_dump(struct nl_conn *c, struct nlmsghdr *req, nl_msg_fn fn, void *ctx)
{
	bool first = true;

	if (nl_send(c, req) < 0)
		return -1;
	for (;;) {
		ssize_t n = recv_datagram(c->fd, &c->buf, &c->cap);
		int ret;

		if (n < 0)
			return -1;
		ret = handle_datagram(c->seq, c->buf, (size_t)n, fn, ctx);
		if (ret)
			return ret < 0 ? -1 : 0;
		/* more than a datagram: the rest on a reader of its own */
		if (first && c->read_ahead) {
			ret = dump_read_ahead(c, fn, ctx);
			if (ret <= 0)
				return ret;
		}
		first = false;
	}
}
