/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Numbers and IPv4 addresses as text without printf: a listing writes
 * hundreds of thousands of them, and the C library's printf family (and
 * inet_ntop, which formats IPv4 with sprintf) was most of its formatting
 * time. Pure.
 */
#ifndef SOCKTAP_FORMAT_H
#define SOCKTAP_FORMAT_H

#include <stddef.h>
#include <stdint.h>

/* The decimal digits of v at buf (at most 20, no NUL); their count. */
size_t fmt_u64(char *buf, uint64_t v);
/* Their count alone. */
size_t fmt_u64_len(uint64_t v);
/* "a.b.c.d" at buf (at most 15 bytes, no NUL); its length. */
size_t fmt_ipv4(char *buf, const uint8_t a[4]);

#endif
