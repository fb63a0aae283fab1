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
 * sockdiag_collect does the netlink I/O (sockdiag.c); sockdiag_parse is
 * pure (sockdiag_parse.c: no libbpf, no root) and is what the unit tests
 * and the fuzzer feed.
 */
#ifndef SOCKTAP_SOCKDIAG_H
#define SOCKTAP_SOCKDIAG_H

#include <stddef.h>
#include <stdint.h>
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
 * Tables sockdiag_collect could not read and went without, as ss does when
 * a dump fails ("" if none; the last reason): for -v. Only netlink and
 * packet sockets are skipped so; the other kinds fail the listing.
 */
extern char sockdiag_skipped[256];

/*
 * Parses a buffer of netlink messages of one dump into t. kind is SK_TCP,
 * SK_UDP or SK_RAW for inet_diag replies; any SK_UNIX_* kind for unix_diag
 * replies, whose rows then take their kind from the socket type; SK_NETLINK
 * for netlink_diag replies; either SK_PACKET_* kind for packet_diag replies
 * (the rows' kind again from the socket type). Netlink and packet rows are
 * in state SOCKTAP_TCP_CLOSE, as ss lists them; their queues come from the
 * memory info when the dump has it (netlink: Recv-Q and Send-Q, packet:
 * Recv-Q). Rows that
 * q does not want (kinds, when non-zero; states; family) are skipped; q may
 * be NULL (keep all). Optional attributes are read whenever present.
 * NLMSG_DONE ends the buffer; NLMSG_NOOP and other types are skipped.
 *
 * Returns the number of rows appended, or -1 (t left as it was) on a
 * malformed message or an NLMSG_ERROR. Never reads outside buf, which needs
 * no alignment.
 */
int sockdiag_parse(const void *buf, size_t len, enum sock_kind kind, const struct sockets_query *q,
		   uint32_t netns, struct sock_table *t);

/*
 * Pure: rows from the text of /proc/net/raw (family AF_INET) or
 * /proc/net/raw6 (AF_INET6), for kernels without raw_diag
 * (CONFIG_INET_RAW_DIAG unset), as ss falls back to them. That text has no
 * cookie, mark, ifindex, cgroup, shutdown, v6only or memory; a raw socket's
 * "port" there is its protocol. A first line without a leading number (the
 * header) is skipped. Returns the number of rows appended, or -1 (t left as
 * it was) on a malformed line.
 */
int sockdiag_parse_proc_raw(const char *text, size_t len, int family, const struct sockets_query *q,
			    uint32_t netns, struct sock_table *t);

/*
 * Pure: rows from the text of /proc/net/netlink, for kernels without
 * netlink_diag, as ss falls back to it: protocol, port id, first groups
 * word, queues (Rmem, Wmem) and inode; the sk and Dump words go to e->link
 * when non-zero (ss -e prints them as sk= and cb=). No destination: every
 * row reads as unconnected. A first line "sk ..." (the header) is skipped.
 * Returns the number of rows appended, or -1 (t left as it was) on a
 * malformed line.
 */
int sockdiag_parse_proc_netlink(const char *text, size_t len, const struct sockets_query *q,
				uint32_t netns, struct sock_table *t);

/*
 * Pure: rows from the text of /proc/net/packet, for kernels without
 * packet_diag: type, protocol, device, Recv-Q (Rmem), uid and inode. As
 * sockdiag_parse_proc_netlink otherwise.
 */
int sockdiag_parse_proc_packet(const char *text, size_t len, const struct sockets_query *q,
			       uint32_t netns, struct sock_table *t);

#endif
