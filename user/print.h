/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The printing layer: views write each field once, by key, and the mode
 * decides the form (after iproute2's print_* helpers). In JSON mode fields
 * go to the JSON writer; in text mode they fill the cells of a table whose
 * columns carry the same keys, aligned when the table ends or, for streams,
 * with fixed widths per row. PRINT_FP or PRINT_JSON restrict a call to one
 * mode, for values that are rendered differently in each.
 */
#ifndef SOCKTAP_PRINT_H
#define SOCKTAP_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum print_type { PRINT_FP = 1, PRINT_JSON = 2, PRINT_ANY = 3 };
enum col_align { COL_LEFT, COL_RIGHT };

struct print_col {
	const char *key; /* field name: JSON key and column id */
	const char *header; /* text header, or label in a vertical table */
	enum col_align align;
	unsigned int width; /* minimum width; the width of stream columns */
};

#define TBL_VERTICAL 1u /* one "label  value" line per field (a record) */
#define TBL_STREAM 2u /* each row printed and flushed when it ends */
#define TBL_NOHEADER 4u /* no header line */

void print_init(FILE *out, bool json);
/* Flushes; returns -1 if the output had an error (e.g. a closed pipe). */
int print_fini(void);
bool print_is_json(void);
/* The JSON writer in JSON mode (NULL in text mode), for whole objects
 * written by a shared writer such as sock_json(). */
struct json_writer *print_json_writer(void);
/*
 * Stream rows are flushed one by one unless turned off; a caller that turns
 * it off flushes whole batches with print_flush(), so lines stay whole.
 */
void print_set_autoflush(bool on);
/* Flushes; -1 if the output had an error (e.g. a closed pipe). */
int print_flush(void);

/* The one JSON object of a one-shot command (nothing in text mode). */
void print_doc_begin(void);
void print_doc_end(void);

/*
 * A table. JSON: an array under key (or, with TBL_VERTICAL, an object under
 * key; with key NULL its fields go into the enclosing object). A stream
 * table with key NULL writes NDJSON: one object per line.
 */
void print_table_begin(const char *key, const struct print_col *cols, size_t ncols,
		       unsigned int flags);
void print_row_begin(void);
void print_row_end(void);
void print_table_end(void);

void print_str(enum print_type t, const char *key, const char *s);
void print_strf(enum print_type t, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void print_u64(enum print_type t, const char *key, uint64_t v);
void print_s64(enum print_type t, const char *key, int64_t v);
void print_float(enum print_type t, const char *key, double v);
void print_bool(enum print_type t, const char *key, bool v);
void print_null(enum print_type t, const char *key);

/* JSON-only nesting inside a row or document. */
void print_obj_begin(const char *key);
void print_obj_end(void);
void print_arr_begin(const char *key);
void print_arr_end(void);

/* JSON members written once and replayed (json_writer.h's jsonw_mark). */
size_t print_json_mark(void);
size_t print_json_copy(size_t mark, char *buf, size_t cap);
void print_json_replay(const char *s, size_t n);

#endif
