// SPDX-License-Identifier: GPL-2.0
/*
 * Prometheus exposition (prom.h). The formats' rules followed here: label
 * values escape backslash, double quote and newline, HELP text backslash
 * and newline (and in OpenMetrics double quote); values are integers where they are whole, else
 * %.17g, and +Inf/-Inf/NaN by name.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "escape.h"
#include "prom.h"

bool prom_wants_openmetrics(const char *accept)
{
	/* "application/openmetrics-text; version=1.0.0,text/plain;q=0.5" */
	return accept && strcasestr(accept, "application/openmetrics-text") != NULL;
}

void prom_begin(struct prom *p, struct strbuf *sb, bool openmetrics)
{
	p->sb = sb;
	p->om = openmetrics;
	p->family = NULL;
}

static void put_escaped(struct strbuf *sb, const char *s, bool quote)
{
	for (; *s; s++) {
		if (*s == '\\')
			sb_puts(sb, "\\\\");
		else if (*s == '\n')
			sb_puts(sb, "\\n");
		else if (quote && *s == '"')
			sb_puts(sb, "\\\"");
		else
			sb_putc(sb, *s);
	}
}

/*
 * A label value: anyone's bytes (a process name, a cgroup path). The
 * formats take any UTF-8, but a byte that is not UTF-8 makes Prometheus
 * refuse the whole scrape, and a control byte reaches the terminal of
 * whoever reads /metrics: both are written as the text \xNN, as the text
 * views write them. A backslash stays one (systemd's cgroup names hold
 * "\x2d"), escaped as the format wants.
 */
static void put_label_value(struct strbuf *sb, const char *str)
{
	struct strbuf t = { 0 };

	term_escape_keep_backslash_sb(&t, str);
	if (t.len) {
		sb_putc(&t, '\0');
		put_escaped(sb, t.p, true);
	}
	sb_free(&t);
}

void prom_family(struct prom *p, const char *name, enum prom_type type, const char *help)
{
	static const char *const types[] = { "counter", "gauge", "histogram" };
	/* text 0.0.4 names a counter's family by its samples' name */
	const char *suffix = type == PROM_COUNTER && !p->om ? "_total" : "";

	p->family = name;
	p->type = type;
	sb_puts(p->sb, "# HELP ");
	sb_puts(p->sb, name);
	sb_puts(p->sb, suffix);
	sb_putc(p->sb, ' ');
	/* OpenMetrics escapes HELP as a label value; text 0.0.4 not quotes */
	put_escaped(p->sb, help, p->om);
	sb_puts(p->sb, "\n# TYPE ");
	sb_puts(p->sb, name);
	sb_puts(p->sb, suffix);
	sb_putc(p->sb, ' ');
	sb_puts(p->sb, types[type]);
	sb_putc(p->sb, '\n');
}

static void put_labels(struct strbuf *sb, const struct prom_label *l, size_t n, const char *le)
{
	if (!n && !le)
		return;
	sb_putc(sb, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sb_putc(sb, ',');
		sb_puts(sb, l[i].name);
		sb_puts(sb, "=\"");
		put_label_value(sb, l[i].value ? l[i].value : "");
		sb_putc(sb, '"');
	}
	if (le) {
		if (n)
			sb_putc(sb, ',');
		sb_puts(sb, "le=\"");
		sb_puts(sb, le);
		sb_putc(sb, '"');
	}
	sb_putc(sb, '}');
}

/* The shortest %g that reads back as v: 0.1, not 0.10000000000000001
 * (a bucket's le is matched as a string). */
static const char *shortest(char *buf, size_t len, double v)
{
	for (int prec = 15; prec < 17; prec++) {
		snprintf(buf, len, "%.*g", prec, v);
		if (strtod(buf, NULL) == v)
			return buf;
	}
	snprintf(buf, len, "%.17g", v);
	return buf;
}

static void put_value(struct strbuf *sb, double v)
{
	char buf[40];

	if (isnan(v))
		sb_puts(sb, "NaN");
	else if (isinf(v))
		sb_puts(sb, v > 0 ? "+Inf" : "-Inf");
	else if (v == floor(v) && fabs(v) < 9007199254740992.0)
		sb_puts(sb, (snprintf(buf, sizeof(buf), "%.0f", v), buf));
	else
		sb_puts(sb, shortest(buf, sizeof(buf), v));
}

static void sample_name(struct prom *p, const char *suffix)
{
	sb_puts(p->sb, p->family);
	sb_puts(p->sb, suffix);
}

/* A sample's name and labels, up to its value. */
static void sample_begin(struct prom *p, const struct prom_label *labels, size_t nlabels)
{
	sample_name(p, p->type == PROM_COUNTER ? "_total" : "");
	put_labels(p->sb, labels, nlabels, NULL);
	sb_putc(p->sb, ' ');
}

void prom_sample(struct prom *p, const struct prom_label *labels, size_t nlabels, double value)
{
	sample_begin(p, labels, nlabels);
	put_value(p->sb, value);
	sb_putc(p->sb, '\n');
}

void prom_sample_u64(struct prom *p, const struct prom_label *labels, size_t nlabels,
		     uint64_t value)
{
	sample_begin(p, labels, nlabels);
	sb_u64(p->sb, value);
	sb_putc(p->sb, '\n');
}

void prom_histogram(struct prom *p, const struct prom_label *labels, size_t nlabels,
		    const double *le, const uint64_t *counts, size_t nb, uint64_t count, double sum)
{
	uint64_t cum = 0;
	struct strbuf b = { 0 };

	for (size_t i = 0; i < nb; i++) {
		cum += counts[i];
		b.len = 0;
		put_value(&b, le[i]);
		sb_putc(&b, '\0');
		sample_name(p, "_bucket");
		put_labels(p->sb, labels, nlabels, b.p);
		sb_putc(p->sb, ' ');
		sb_u64(p->sb, cum);
		sb_putc(p->sb, '\n');
	}
	sample_name(p, "_bucket");
	put_labels(p->sb, labels, nlabels, "+Inf");
	sb_putc(p->sb, ' ');
	sb_u64(p->sb, count);
	sb_putc(p->sb, '\n');
	sample_name(p, "_sum");
	put_labels(p->sb, labels, nlabels, NULL);
	sb_putc(p->sb, ' ');
	put_value(p->sb, sum);
	sb_putc(p->sb, '\n');
	sample_name(p, "_count");
	put_labels(p->sb, labels, nlabels, NULL);
	sb_putc(p->sb, ' ');
	sb_u64(p->sb, count);
	sb_putc(p->sb, '\n');
	sb_free(&b);
}

void prom_end(struct prom *p)
{
	if (p->om)
		sb_puts(p->sb, "# EOF\n");
}

uint64_t prom_counter_step(uint64_t *owe, int64_t d)
{
	uint64_t paid;

	if (d < 0) {
		*owe += (uint64_t)-d;
		return 0;
	}
	paid = *owe < (uint64_t)d ? *owe : (uint64_t)d;
	*owe -= paid;
	return (uint64_t)d - paid;
}
