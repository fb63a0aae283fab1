/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Netlink dumps (sock_diag, rtnetlink): a request with NLM_F_DUMP, every
 * reply message handed to a callback, errors and the end of the dump
 * handled once.
 */
#ifndef SOCKTAP_NLDUMP_H
#define SOCKTAP_NLDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/netlink.h>

struct nl_conn {
	int fd;
	uint32_t seq;
	uint8_t *buf;
	size_t cap;
	/* a dump of more than one datagram is read ahead on another thread,
	 * for dumps whose handling costs about as much as the kernel's filling */
	bool read_ahead;
};

/* One reply message (header included, len bytes): 0, or -1 if malformed. */
typedef int (*nl_msg_fn)(void *ctx, const uint8_t *msg, size_t len);

/* A netlink socket of protocol (NETLINK_ROUTE, ...): 0, or -1 with errno. */
int nl_open(struct nl_conn *c, int protocol);
void nl_close(struct nl_conn *c);
/*
 * Sends req (its type and length set; flags and sequence are set here) as
 * a dump and hands every reply to fn. 0, or -1 with errno set (EBADMSG for
 * a malformed reply, the kernel's errno for a failed dump).
 */
int nl_dump(struct nl_conn *c, struct nlmsghdr *req, nl_msg_fn fn, void *ctx);

#endif
