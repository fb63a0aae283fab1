// SPDX-License-Identifier: GPL-2.0
/*
 * Netlink dumps: one NLM_F_DUMP request, its multipart replies read into
 * one growing buffer and handed, message by message, to the caller. Shared
 * by sock_diag (the listings' fallback) and rtnetlink (link statistics).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>
#include "nldump.h"
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

/* One datagram of the reply into c->buf, grown to fit: its length, or -1. */
static ssize_t nl_recv(struct nl_conn *c)
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
		iov = (struct iovec){ c->buf, c->cap };
		msg.msg_namelen = sizeof(from);
		/* MSG_TRUNC: the datagram's real length, even if it does not fit */
		n = recvmsg(c->fd, &msg, MSG_PEEK | MSG_TRUNC);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if ((size_t)n > c->cap) {
			c->cap = n;
			c->buf = xrealloc(c->buf, c->cap);
			continue;
		}
		do
			n = recvmsg(c->fd, &msg, 0);
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

int nl_dump(struct nl_conn *c, struct nlmsghdr *req, nl_msg_fn fn, void *ctx)
{
	if (nl_send(c, req) < 0)
		return -1;
	for (;;) {
		ssize_t n = nl_recv(c);
		size_t off = 0;

		if (n < 0)
			return -1;
		while ((size_t)n - off >= NLMSG_HDRLEN) {
			struct nlmsghdr h;
			const uint8_t *m = c->buf + off;

			memcpy(&h, m, sizeof(h));
			if (h.nlmsg_len < NLMSG_HDRLEN || h.nlmsg_len > (size_t)n - off) {
				errno = EBADMSG;
				return -1;
			}
			/* the last message may lack its padding */
			off += NLMSG_ALIGN(h.nlmsg_len) < (size_t)n - off ?
				       NLMSG_ALIGN(h.nlmsg_len) :
				       (size_t)n - off;
			if (h.nlmsg_seq != c->seq)
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
				return 0;
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
			if (fn(ctx, m, h.nlmsg_len) < 0) {
				errno = EBADMSG;
				return -1;
			}
		}
	}
}
