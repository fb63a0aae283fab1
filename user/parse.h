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

#endif
