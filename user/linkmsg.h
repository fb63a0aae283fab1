/* SPDX-License-Identifier: GPL-2.0 */
/*
 * rtnetlink's link and address messages to link_sample fields, pure (no
 * socket): what linkstats.c reads, and what the unit tests feed recorded
 * or built messages to.
 */
#ifndef SOCKTAP_LINKMSG_H
#define SOCKTAP_LINKMSG_H

#include <stddef.h>
#include <stdint.h>

/* One interface and its kernel counters, as rtnetlink gives them. */
#define LINK_NAME_LEN 16 /* IFNAMSIZ */

struct link_sample {
	uint32_t netns; /* namespace inode */
	int32_t ifindex;
	char name[LINK_NAME_LEN];
	char addr[16]; /* first IPv4 address, dotted; "" if none */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	uint64_t rx_errors, tx_errors, rx_dropped, tx_dropped;
	uint8_t up; /* IFF_UP */
	uint16_t type; /* ARPHRD_*: ARPHRD_ETHER, ARPHRD_LOOPBACK, ... */
};

/*
 * An RTM_NEWLINK message (header included, len bytes) into *out (netns
 * given): 1, 0 for another message type, -1 if malformed. Counters are
 * IFLA_STATS64's; an interface without them reads 0.
 */
int linkmsg_parse_link(const uint8_t *msg, size_t len, uint32_t netns, struct link_sample *out);
/*
 * An RTM_NEWADDR message: 1 with the interface index and the IPv4 address
 * (dotted, IFA_LOCAL, else IFA_ADDRESS) for an IPv4 address; 0 for anything
 * else; -1 if malformed.
 */
int linkmsg_parse_addr(const uint8_t *msg, size_t len, int *ifindex, char addr[16]);

#endif
