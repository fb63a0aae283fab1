// SPDX-License-Identifier: GPL-2.0
/*
 * nload's settings file (~/.nload format, nload_config.c) and the options
 * window's values. Input: the first byte picks the mode: the file's text
 * read over the defaults (nload_config_parse, as nload_config_load reads
 * the file), or one setting (its id from the byte) set from the text.
 *
 * Invariants: every setting stays within its range; the file written for
 * the settings read back is read again with nothing skipped, to the same
 * settings (formatting them again gives the same text); a refusal says
 * why (in one line, for the file).
 */
#include <string.h>
#include "fuzz.h"
#include "nload_config.h"
#include "units.h"

static void defaults(struct nload_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->avg_s = 300;
	s->data_unit = 'H';
	s->traffic_unit = 'h';
	s->refresh_ms = 500;
	snprintf(s->devices, sizeof(s->devices), "all");
}

static void check_settings(const struct nload_settings *s)
{
	char buf[NLOAD_DEVICES_LEN + 64];

	FUZZ_CHECK(s->avg_s >= 1 && s->avg_s <= 86400);
	FUZZ_CHECK(s->in_max <= UINT32_MAX && s->out_max <= UINT32_MAX);
	FUZZ_CHECK(nload_unit_valid(s->data_unit) && nload_unit_valid(s->traffic_unit));
	FUZZ_CHECK(s->refresh_ms >= 10 && s->refresh_ms <= 3600000);
	FUZZ_CHECK(memchr(s->devices, '\0', sizeof(s->devices)));
	for (int id = 0; id < NLS_COUNT; id++)
		FUZZ_CHECK(strlen(nload_setting_get(s, id, buf, sizeof(buf))) < sizeof(buf));
	(void)nload_devices_has(s->devices, "lo");
	(void)nload_devices_has(s->devices, "eth0");
}

static bool same(const struct nload_settings *a, const struct nload_settings *b)
{
	return a->avg_s == b->avg_s && a->in_max == b->in_max && a->out_max == b->out_max &&
	       a->data_unit == b->data_unit && a->traffic_unit == b->traffic_unit &&
	       a->refresh_ms == b->refresh_ms && a->multiple == b->multiple &&
	       !strcmp(a->devices, b->devices);
}

/* Written and read back: the same settings, nothing skipped. */
static void check_roundtrip(const struct nload_settings *s)
{
	static char a[8192], b[8192];
	struct nload_settings r;
	char err[256];
	size_t na, nb;
	int bad;

	na = nload_config_format(s, a, sizeof(a));
	FUZZ_CHECK(na < sizeof(a) && strlen(a) == na);
	defaults(&r);
	bad = nload_config_parse(&r, a, na, err, sizeof(err));
	if (bad != 0)
		fprintf(stderr, "re-read skipped %d: %s\n--\n%s--\n", bad, err, a);
	FUZZ_CHECK(bad == 0);
	nb = nload_config_format(&r, b, sizeof(b));
	FUZZ_CHECK(na == nb && memcmp(a, b, na) == 0);
	/* the average window is written with 10 digits: the text is exact, not the double */
	r.avg_s = s->avg_s;
	FUZZ_CHECK(same(&r, s));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nload_settings s, before;
	char err[256];
	int r;

	if (size < 1)
		return 0;
	defaults(&s);
	memset(err, 'x', sizeof(err));
	if (data[0] % 2 == 0) {
		/* the file: its bytes as read, NULs and all */
		r = nload_config_parse(&s, (const char *)data + 1, size - 1, err, sizeof(err));
		FUZZ_CHECK(r >= 0);
		if (r > 0)
			FUZZ_CHECK(memchr(err, '\0', sizeof(err)) && err[0] && !strchr(err, '\n'));
	} else {
		char *text = fuzz_strndup(data + 1, size - 1);
		enum nload_setting_id id = (enum nload_setting_id)((data[0] / 2) % (NLS_COUNT + 1));

		before = s;
		r = nload_setting_set(&s, id, text, err, sizeof(err));
		if (r) {
			FUZZ_CHECK(r == -1);
			/* the message quotes the value, newlines and all: not checked */
			FUZZ_CHECK(memchr(err, '\0', sizeof(err)) && err[0]);
			FUZZ_CHECK(same(&before, &s));
		}
		free(text);
	}
	check_settings(&s);
	check_roundtrip(&s);
	return 0;
}
