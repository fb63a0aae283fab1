/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host names for top's screen that never make it wait: a lookup is queued
 * to one worker thread (getnameinfo with NI_NAMEREQD, which may take
 * seconds on a slow resolver) and the screen shows the number until the
 * name is in. Bounded: 4096 names cached (least recently used out first,
 * by sets of four), 256 lookups queued; nothing is allocated per call.
 * Addresses without a name are cached as such and not asked again.
 */
#ifndef SOCKTAP_DNS_ASYNC_H
#define SOCKTAP_DNS_ASYNC_H

#include <stdint.h>

/*
 * The name of addr (AF_INET: the first 4 bytes; AF_INET6, whose
 * v4-mapped addresses are named as IPv4 ones; network order), or NULL
 * while its lookup is queued or running, when it has no name, or when
 * the queue is full (a later call queues it). The first call starts the
 * worker. The name is the resolver's, unescaped: escape it before
 * printing. Valid until the next call; call from one thread only.
 */
const char *dns_async_name(int family, const uint8_t addr[16]);

/*
 * Stops the worker and joins it; a lookup still running after 200 ms is
 * left to finish alone (its thread detached: exiting must not wait on a
 * resolver's timeouts). Later calls of dns_async_name() answer from the
 * cache only. Safe to call twice, or without a first lookup.
 */
void dns_async_stop(void);

#endif
