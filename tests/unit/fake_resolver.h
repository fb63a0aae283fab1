/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A resolver for tests and fuzz targets that answers from a fixed table,
 * never from DNS or /etc: services ssh, smtp, http (TCP only), domain,
 * http-alt, split and ambig (100 on TCP, 200 on UDP), udponly (514 on UDP)
 * and tcponly (15000 on TCP); hosts localhost (127.0.0.1), foo (198.18.0.5
 * and 2001:db8::5), v4only (198.18.0.7), v6only (::1), both (10.9.9.9 and
 * ::1), zero (0.0.0.0) and many (three IPv4, a link-local and a v4-mapped
 * address); interfaces lo (1) and eth0 (2); the cgroup
 * /system.slice/x.service (4242); users root (0) and alice (1000).
 */
#ifndef SOCKTAP_FAKE_RESOLVER_H
#define SOCKTAP_FAKE_RESOLVER_H

#include "resolve.h"

extern const struct resolver test_resolver;

#endif
