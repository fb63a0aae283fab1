/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One event of the ring buffer as a row: trace's text columns or one NDJSON
 * object, with the identity fields (time, owner, tuple, cookie) every view
 * names the same way.
 */
#ifndef SOCKTAP_EVENT_PRINT_H
#define SOCKTAP_EVENT_PRINT_H

#include <stdbool.h>
#include "socktap.h"

/* Opens the stream's table (print_init first); timestamp: a TIME column. */
void event_print_begin(bool timestamp);
/* One event as a row of that table. */
void event_print(const struct socktap_event *e);

#endif
