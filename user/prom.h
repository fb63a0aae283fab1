/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Prometheus exposition, pure: the text format 0.0.4, or OpenMetrics 1.0.0
 * when the scraper asks for it. A family is announced once (HELP, TYPE),
 * then its samples follow; a counter's samples get their "_total" here, as
 * each format names it. Label values are escaped; names are the caller's
 * constants and are not.
 */
#ifndef SOCKTAP_PROM_H
#define SOCKTAP_PROM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "strbuf.h"

#define PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
#define PROM_OM_CONTENT_TYPE "application/openmetrics-text; version=1.0.0; charset=utf-8"

enum prom_type {
	PROM_COUNTER,
	PROM_GAUGE,
	PROM_HISTOGRAM,
};

struct prom_label {
	const char *name;
	const char *value;
};

struct prom {
	struct strbuf *sb;
	bool om; /* OpenMetrics */
	enum prom_type type; /* of the family being written */
	const char *family;
};

/* Does an Accept header ask for OpenMetrics? */
bool prom_wants_openmetrics(const char *accept);

void prom_begin(struct prom *p, struct strbuf *sb, bool openmetrics);
/* A family: name without "_total" for a counter; help: one line. */
void prom_family(struct prom *p, const char *name, enum prom_type type, const char *help);
/* One sample of a counter or gauge family. */
void prom_sample(struct prom *p, const struct prom_label *labels, size_t nlabels, double value);
void prom_sample_u64(struct prom *p, const struct prom_label *labels, size_t nlabels,
		     uint64_t value);
/*
 * One histogram: nb buckets, le[i] their upper bounds (ascending, without
 * +Inf) and counts[i] the observations in each bucket alone; those above
 * the last bound are count minus their sum. sum: of every observation.
 */
void prom_histogram(struct prom *p, const struct prom_label *labels, size_t nlabels,
		    const double *le, const uint64_t *counts, size_t nb, uint64_t count,
		    double sum);
/* Ends the exposition (OpenMetrics' "# EOF"). */
void prom_end(struct prom *p);
/*
 * A counter never goes down: of a move d of what it counts, what it takes.
 * A move down (a count corrected) is kept in *owe and paid back from the
 * next moves up, so the counter catches up with the truth, never passes it.
 */
uint64_t prom_counter_step(uint64_t *owe, int64_t d);

#endif
