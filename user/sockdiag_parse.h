/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The pure half of the sock_diag fallback (sockdiag_parse.c: no libbpf, no
 * root): sock_diag replies and the /proc/net files that stand in for
 * missing diag modules, turned into socket table rows. What the unit tests
 * and the fuzzer feed.
 */
#ifndef SOCKTAP_SOCKDIAG_PARSE_H
#define SOCKTAP_SOCKDIAG_PARSE_H

#include <stddef.h>
#include <stdint.h>
#include "sockets.h"

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
