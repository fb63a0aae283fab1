/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where nload's split comes from: the kernel's per-socket device counts
 * (netdev.bpf.c), each socket's owner from top's source (topsrc.h: the
 * sockets every process holds, and the owners of those that closed since
 * the last refresh), and the devices' own counters, which the caller reads
 * between splitsrc_read and splitsrc_end, so that the split of a refresh
 * never counts a packet its device has not.
 */
#ifndef SOCKTAP_SPLITSRC_H
#define SOCKTAP_SPLITSRC_H

#include <stddef.h>
#include <stdint.h>
#include "ifsplit.h"
#include "ifstats.h"
#include "top_view.h"

struct splitsrc;

/*
 * Loads and attaches the hooks; the split starts at the first
 * splitsrc_read. refresh_s: how often the caller refreshes. NULL with one
 * line in err.
 */
struct splitsrc *splitsrc_open(double refresh_s, char *err, size_t errlen);
/* The fd to poll for close events waiting (epoll), and what to call then. */
int splitsrc_event_fd(const struct splitsrc *S);
void splitsrc_drain(struct splitsrc *S);
/* Reads the kernel's table and the owners, at now (seconds, monotonic).
 * 0, or -1 with one line in err. */
int splitsrc_read(struct splitsrc *S, double now, char *err, size_t errlen);
/*
 * Then, after the devices' counters were read (devs: ifstats' devices, n
 * of them, their totals since socktap started), the rows of every device.
 * 0, or -1 with one line in err.
 */
int splitsrc_end(struct splitsrc *S, const struct if_dev *devs, size_t n, char *err, size_t errlen);
/* A device's rows (ifsplit_rows), until the next splitsrc_end. */
size_t splitsrc_rows(const struct splitsrc *S, uint32_t netns, uint32_t ifindex, enum split_by by,
		     const struct split_row **rows);
/* socktap's cost and losses so far (lost_split: packets not split). */
void splitsrc_status(struct splitsrc *S, struct top_status *st);
void splitsrc_close(struct splitsrc *S);

#endif
