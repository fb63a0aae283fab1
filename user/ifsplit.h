/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nload's split of each device's traffic by process and by cgroup: pure,
 * no BPF, no I/O. Each refresh hands in the kernel's table (netdev.bpf.c:
 * IP bytes and packets per netns, device and socket, each entry counting
 * from when it was made) with each socket's owner where it is known, and
 * every device's own counters since the split started; ifsplit keeps the
 * counts of entries it had removed, adds each device's link header per
 * packet, and makes rows whose sum is the device's counter: what no row
 * explains is the "remainder" row.
 *
 * Rates are bytes per second. Times are seconds on any monotonic clock.
 */
#ifndef SOCKTAP_IFSPLIT_H
#define SOCKTAP_IFSPLIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "socktap.h"

#define IFSPLIT_COMM_LEN 16
#define IFSPLIT_OWNERS_KEEP 512 /* owners' rows a device keeps, beyond which... */
#define IFSPLIT_GONE_S 60.0 /* ...those idle this long fold into one */

/* Who holds (or held) a socket. */
struct split_owner {
	uint64_t start_time; /* the process's start, ns since boot */
	uint64_t cgroup;
	uint32_t pid, uid;
	uint32_t netns; /* the socket's */
	char comm[IFSPLIT_COMM_LEN];
};

enum split_by {
	SPLIT_BY_PROCESS,
	SPLIT_BY_CGROUP,
	SPLIT_BY_MAX,
};

/* What a row is: an owner's, or traffic no owner explains, and why. */
enum split_reason {
	SPLIT_OWNED, /* a process's (by process) or a cgroup's (by cgroup) */
	SPLIT_FORWARDED, /* sent with no socket, came in on a device: routed, bridged */
	SPLIT_NO_SOCKET, /* sent by the kernel with no socket: ARP, neighbour discovery */
	SPLIT_OTHER_SOCKET, /* a socket with no known owner: the kernel's, raw, ping */
	/* owners without traffic for IFSPLIT_GONE_S, together, once a device
	 * has more than IFSPLIT_OWNERS_KEEP: memory stays bounded */
	SPLIT_GONE,
	SPLIT_REMAINDER, /* the device's counter minus every other row */
	SPLIT_REASON_MAX,
};

/* "forwarded", "no_socket", "other_socket", "gone", "remainder"; NULL for SPLIT_OWNED */
const char *split_reason_name(enum split_reason r);

/* A device and its counters since the split started (the kernel's own). */
struct split_dev {
	uint32_t netns;
	uint32_t ifindex;
	/* link-header bytes the device counts per packet beyond the IP
	 * packet: 14 for Ethernet (and veth), 0 for loopback and tunnels */
	unsigned int hdr;
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
};

struct split_row {
	enum split_reason reason;
	/* by process: pid, start_time, comm, uid, cgroup; by cgroup: cgroup */
	uint64_t start_time, cgroup;
	uint32_t pid, uid;
	char comm[IFSPLIT_COMM_LEN];
	/* since the split started, link headers included */
	uint64_t rx_bytes, tx_bytes, rx_packets, tx_packets;
	double rx_bps, tx_bps; /* over the last refresh */
};

struct ifsplit;

struct ifsplit *ifsplit_new(void);
void ifsplit_free(struct ifsplit *S);

/* A refresh: ifsplit_begin, ifsplit_entry for every entry of the kernel's
 * table, then ifsplit_end. The first refresh's counts are starting points
 * (the split starts there), as are the devices' counters then. */
void ifsplit_begin(struct ifsplit *S, double now);
/*
 * One entry and its counts; netns is the device's (the key's, or where the
 * key has none, the owner's; 0 when not known: the entry then counts on no
 * device until a refresh names it); cgroup the socket's where the key has
 * none (0: the owner's); owner NULL when the socket's holder is not known.
 * Each, once given, is kept.
 */
void ifsplit_entry(struct ifsplit *S, const struct socktap_netdev_key *k,
		   const struct socktap_netdev_count *c, uint32_t netns, uint64_t cgroup,
		   const struct split_owner *owner);
/* Keeps an entry handed in this refresh from being pruned at its end
 * (its counts are not all in the kernel's table yet). */
void ifsplit_keep(struct ifsplit *S, const struct socktap_netdev_key *k);
/*
 * Ends the refresh: the rows of every device in devs (n of them) with
 * their rates. Entries whose counts stood still for idle refreshes (0:
 * never) are folded into their rows and handed back in *remove, for the
 * caller to delete from the kernel's table; returns how many (valid until
 * the next ifsplit_begin).
 */
size_t ifsplit_end(struct ifsplit *S, const struct split_dev *devs, size_t n, unsigned int idle,
		   const struct socktap_netdev_key **remove);
/*
 * The rows of one device and grouping at the last ifsplit_end: owners by
 * rate (both directions), then the reasons in their order; the remainder
 * row is always there. Valid until the next ifsplit_end. Returns the count
 * (0 for a device not handed to ifsplit_end).
 */
size_t ifsplit_rows(const struct ifsplit *S, uint32_t netns, uint32_t ifindex, enum split_by by,
		    const struct split_row **rows);

#endif
