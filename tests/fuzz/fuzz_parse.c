// SPDX-License-Identifier: GPL-2.0
/*
 * Option values (parse.c, events.c, tcpstate.c): counts and sizes
 * (parse_u64, as --count, --ring-size, --limit take them), durations
 * (parse_secs: --interval, -a), port lists and ranges (trace --port),
 * event sets (trace --events) and state names. Input: the first byte picks
 * the parser and its bounds, the rest is the value.
 *
 * Invariants: what parses lies within the bounds asked for; a size is
 * decimal digits only; a port list holds 1 to max ports, none 0; a
 * refusal says why.
 */
#include <ctype.h>
#include <math.h>
#include <string.h>
#include "events.h"
#include "fuzz.h"
#include "parse.h"
#include "tcpstate.h"

static const struct {
	uint64_t min, max;
} u64_bounds[4] = { { 0, UINT64_MAX }, { 1, 65535 }, { 4096, 1u << 30 }, { 10, 3600000 } };

static const struct {
	double min, max;
} secs_bounds[4] = { { 0, 1e300 }, { 0.1, 3600 }, { 1, 86400 }, { -1, 1 } };

static void fuzz_u64(const char *s, int which)
{
	uint64_t min = u64_bounds[which].min, max = u64_bounds[which].max, v = 0;

	if (parse_u64(s, min, max, &v))
		return;
	FUZZ_CHECK(v >= min && v <= max);
	FUZZ_CHECK(*s);
	for (const char *p = s; *p; p++)
		FUZZ_CHECK(isdigit((unsigned char)*p));
}

static void fuzz_secs(const char *s, int which)
{
	double v = 0;

	if (parse_secs(s, secs_bounds[which].min, secs_bounds[which].max, &v))
		return;
	FUZZ_CHECK(isfinite(v));
	FUZZ_CHECK(v >= secs_bounds[which].min && v <= secs_bounds[which].max);
}

static void fuzz_ports(const char *s, int max)
{
	uint16_t ports[64];
	char err[128];
	int n;

	memset(err, 'x', sizeof(err));
	n = parse_port_list(s, ports, max, err, sizeof(err));
	if (n < 0) {
		FUZZ_CHECK(n == -1);
		/* the message quotes the value as given, newlines and all: not checked */
		FUZZ_CHECK(memchr(err, '\0', sizeof(err)) && err[0]);
		return;
	}
	FUZZ_CHECK(n >= 1 && n <= max);
	for (int i = 0; i < n; i++)
		FUZZ_CHECK(ports[i] != 0);
}

static void fuzz_events(const char *s)
{
	const char *bad = NULL;
	event_set set = 0;

	if (event_set_parse(s, &set, &bad)) {
		FUZZ_CHECK(bad != NULL);
		(void)strlen(bad);
		return;
	}
	FUZZ_CHECK(set != 0);
	for (unsigned int t = 0; t < 32; t++)
		if (set & (1u << t))
			FUZZ_CHECK(event_type_name(t) != NULL);
}

static void fuzz_names(const char *s)
{
	int t = event_type_parse(s);

	if (t >= 0)
		FUZZ_CHECK(event_type_name((unsigned int)t) != NULL);
	t = tcp_state_parse(s);
	if (t >= 0)
		FUZZ_CHECK(tcp_state_name((unsigned int)t) != NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned int sel;
	char *s;

	if (size < 1)
		return 0;
	sel = data[0];
	s = fuzz_strndup(data + 1, size - 1);
	switch (sel % 5) {
	case 0:
		fuzz_u64(s, (sel / 5) % 4);
		break;
	case 1:
		fuzz_secs(s, (sel / 5) % 4);
		break;
	case 2:
		/* at most 1 to 52 here (trace takes up to SOCKTAP_PORT_FILTER_MAX, 64) */
		fuzz_ports(s, 1 + (int)((sel / 5) % 64));
		break;
	case 3:
		fuzz_events(s);
		break;
	case 4:
		fuzz_names(s);
		break;
	}
	free(s);
	return 0;
}
