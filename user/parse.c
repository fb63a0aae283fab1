// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include "parse.h"

int parse_u64(const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int parse_port_list(const char *s, uint16_t *ports, int max, char *err, unsigned long errlen)
{
	char buf[256], *save = NULL, *tok;
	int n = 0;

	if (!s || !*s || strlen(s) >= sizeof(buf)) {
		snprintf(err, errlen, "empty or too long port list");
		return -1;
	}
	strcpy(buf, s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *dash = strchr(tok, '-');
		uint64_t lo, hi;

		if (dash)
			*dash = '\0';
		if (parse_u64(tok, 1, 65535, &lo) || (dash && parse_u64(dash + 1, 1, 65535, &hi))) {
			snprintf(err, errlen, "bad port '%s%s%s' (1 to 65535)", tok,
				 dash ? "-" : "", dash ? dash + 1 : "");
			return -1;
		}
		if (!dash)
			hi = lo;
		if (hi < lo) {
			snprintf(err, errlen, "bad port range '%s-%s' (start above end)", tok,
				 dash + 1);
			return -1;
		}
		if (hi - lo + 1 > (uint64_t)(max - n)) {
			snprintf(err, errlen, "too many ports (at most %d)", max);
			return -1;
		}
		for (uint64_t p = lo; p <= hi; p++)
			ports[n++] = (uint16_t)p;
	}
	if (n == 0) {
		snprintf(err, errlen, "empty port list");
		return -1;
	}
	return n;
}

int parse_secs(const char *s, double min, double max, double *out)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (!*s || *end || errno || !isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
