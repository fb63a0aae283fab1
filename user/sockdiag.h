/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The sock_diag fallback of the socket table: where a kernel lacks a BPF
 * iterator (and always for raw, netlink and packet sockets, which have
 * none), the sockets come from NETLINK_SOCK_DIAG dumps, as ss reads them:
 * inet_diag for tcp, udp and raw (IPPROTO_RAW dumps every raw socket, the
 * real protocol comes back in INET_DIAG_PROTOCOL), unix_diag for unix
 * sockets, netlink_diag and packet_diag for netlink and packet sockets.
 * Where a kernel lacks raw_diag, netlink_diag or packet_diag, their /proc/net
 * files stand in, as ss falls back to them.
 *
 * sockdiag_collect does the netlink I/O (sockdiag.c); the parsers it feeds
 * are pure (sockdiag_parse.h).
 */
#ifndef SOCKTAP_SOCKDIAG_H
#define SOCKTAP_SOCKDIAG_H

#include <stddef.h>
#include <stdint.h>
#include "sockdiag_parse.h"
#include "sockets.h"

/*
 * Appends to t every socket of the kinds in `kinds` (SK_KIND_BIT mask; q->kinds
 * is not read) that matches q->states and q->family, in the caller's network
 * namespace, with everything sock_diag gives; q->mem and q->tcpinfo ask for
 * e->mem and e->tcpi. e->netns is the inode of /proc/self/ns/net. Owners are
 * not filled (procfd_owners does that). 0, or -1 with one line in err (t then
 * holds what was read before the failure).
 */
int sockdiag_collect(const struct sockets_query *q, unsigned int kinds, struct sock_table *t,
		     char *err, size_t errlen);

/*
 * Dumps the sockets of one kind in the caller's namespace and keeps
 * nothing: the kernel makes each socket's cookie as it reports it, which a
 * BPF program reading cookies can then find. 0, or -1 with err.
 */
int sockdiag_touch(enum sock_kind kind, char *err, size_t errlen);

/*
 * Tables sockdiag_collect could not read and went without, as ss does when
 * a dump fails ("" if none; the last reason): for -v. Only netlink and
 * packet sockets are skipped so; the other kinds fail the listing.
 */
extern char sockdiag_skipped[256];
/* Why TCP took a dump per family, the one-walk request having failed ("" if it did not): for -v. */
extern char sockdiag_tcp_split[128];

#endif
