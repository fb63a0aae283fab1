/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top's batch output, for scripts and for a stdout that is not a terminal:
 * one table (text) or one JSON object per interval, from the rows flows
 * keeps, laid out as v says.
 */
#ifndef SOCKTAP_TOP_BATCH_H
#define SOCKTAP_TOP_BATCH_H

#include <stdio.h>
#include "flows.h"
#include "json_writer.h"
#include "top_view.h"

/*
 * {"type":"top","time","interval_s","processes","connections","remotes",
 * "cgroups","total","lost","cost"}: bytes_* since socktap started, *_bps
 * bytes per second; a closed connection once, in the interval it closed.
 */
void top_batch_json(json_writer_t *jw, const struct top_view *v, struct flows *F,
		    const struct top_status *st);
/* The grouping v->group as a table, with a TOTAL row and any loss. */
void top_batch_text(FILE *out, const struct top_view *v, struct flows *F,
		    const struct top_status *st);

#endif
