/* SPDX-License-Identifier: GPL-2.0 */
/* Parsing of option values: whole strings only, ranges checked. */
#ifndef SOCKTAP_PARSE_H
#define SOCKTAP_PARSE_H

#include <stdint.h>

/*
 * Parses a decimal unsigned integer in [min, max]. Returns 0, or -1 if s is
 * empty, has trailing garbage, a sign, or is out of range.
 */
int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out);

/*
 * Parses "80,443,8000-8010" into at most max ports (ranges expanded).
 * Returns the count, or -1 with a reason in err (of errlen bytes).
 */
/* Seconds (a decimal, fractions allowed) within [min, max]: 0, or -1. */
int parse_secs(const char *s, double min, double max, double *out);

int parse_port_list(const char *s, uint16_t *ports, int max, char *err, unsigned long errlen);

#endif
