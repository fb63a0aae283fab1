// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "json_writer.h"
#include "print.h"
#include "util.h"

#define COL_GAP 2

static struct {
	FILE *out;
	json_writer_t *jw;
	/* the open table, if any */
	const struct print_col *cols;
	size_t ncols;
	unsigned int flags;
	bool in_table, in_row, json_rows_toplevel, json_vertical_merged;
	bool no_autoflush;
	/* text cells: nrows x ncols escaped strings */
	char **cells;
	size_t nrows, cap;
} P;

void print_init(FILE *out, bool json)
{
	memset(&P, 0, sizeof(P));
	P.out = out;
	if (json)
		P.jw = jsonw_new(out);
}

int print_fini(void)
{
	jsonw_destroy(&P.jw);
	if (fflush(P.out) || ferror(P.out))
		return -1;
	return 0;
}

bool print_is_json(void)
{
	return P.jw != NULL;
}

struct json_writer *print_json_writer(void)
{
	return P.jw;
}

void print_set_autoflush(bool on)
{
	P.no_autoflush = !on;
	if (P.jw)
		jsonw_set_autoflush(P.jw, on);
}

int print_flush(void)
{
	return fflush(P.out) || ferror(P.out) ? -1 : 0;
}

void print_doc_begin(void)
{
	if (P.jw)
		jsonw_start_object(P.jw);
}

void print_doc_end(void)
{
	if (P.jw) {
		jsonw_end_object(P.jw);
		jsonw_eol(P.jw);
	}
}

static bool text_wanted(enum print_type t)
{
	return !P.jw && (t & PRINT_FP);
}

static bool json_wanted(enum print_type t)
{
	return P.jw && (t & PRINT_JSON);
}

/* A key names the value inside an object; array elements have none. */
static void json_key(const char *key)
{
	if (key)
		jsonw_name(P.jw, key);
}

static long col_index(const char *key)
{
	if (!key)
		return -1;
	for (size_t i = 0; i < P.ncols; i++)
		if (strcmp(P.cols[i].key, key) == 0)
			return (long)i;
	return -1;
}

static char **row_cells(size_t row)
{
	return P.cells + row * P.ncols;
}

static void put_padded(const char *s, unsigned int width, enum col_align align, bool last)
{
	size_t w = display_width(s);
	size_t pad = w < width ? width - w : 0;

	if (align == COL_RIGHT)
		fprintf(P.out, "%*s", (int)pad, "");
	fputs(s, P.out);
	if (align == COL_LEFT && !last)
		fprintf(P.out, "%*s", (int)pad, "");
}

static const char *cell_text(char **cells, size_t c, bool header)
{
	return header ? P.cols[c].header : (cells[c] ? cells[c] : "");
}

static void text_row(char **cells, const unsigned int *widths, bool header)
{
	size_t n = P.ncols;

	/* trailing empty cells would only add trailing blanks */
	while (n > 1 && !cell_text(cells, n - 1, header)[0])
		n--;
	for (size_t c = 0; c < n; c++) {
		const char *s = cell_text(cells, c, header);
		bool last = c + 1 == n;

		put_padded(s, widths[c], P.cols[c].align, last);
		if (!last)
			fprintf(P.out, "%*s", COL_GAP, "");
	}
	putc('\n', P.out);
}

static void text_stream_widths(unsigned int *widths)
{
	for (size_t c = 0; c < P.ncols; c++)
		widths[c] = P.cols[c].width;
}

void print_table_begin(const char *key, const struct print_col *cols, size_t ncols,
		       unsigned int flags)
{
	assert(!P.in_table);
	P.in_table = true;
	P.cols = cols;
	P.ncols = ncols;
	P.flags = flags;
	P.nrows = 0;
	P.json_rows_toplevel = false;
	P.json_vertical_merged = false;

	if (P.jw) {
		if (flags & TBL_VERTICAL) {
			if (key) {
				jsonw_name(P.jw, key);
				jsonw_start_object(P.jw);
			} else {
				P.json_vertical_merged = true;
			}
		} else if (key) {
			jsonw_name(P.jw, key);
			jsonw_start_array(P.jw);
		} else {
			P.json_rows_toplevel = true;
		}
		return;
	}
	if ((flags & TBL_STREAM) && !(flags & TBL_NOHEADER) && !(flags & TBL_VERTICAL)) {
		unsigned int widths[ncols];

		text_stream_widths(widths);
		text_row(NULL, widths, true);
		fflush(P.out);
	}
}

void print_row_begin(void)
{
	assert(P.in_table && !P.in_row);
	P.in_row = true;
	if (P.jw) {
		if (!(P.flags & TBL_VERTICAL))
			jsonw_start_object(P.jw);
		return;
	}
	if (P.nrows == P.cap) {
		P.cap = P.cap ? P.cap * 2 : 16;
		P.cells = xrealloc(P.cells, P.cap * P.ncols * sizeof(char *));
	}
	memset(row_cells(P.nrows), 0, P.ncols * sizeof(char *));
	P.nrows++;
}

static void free_rows(void)
{
	for (size_t i = 0; i < P.nrows * P.ncols; i++)
		free(P.cells[i]);
	P.nrows = 0;
}

void print_row_end(void)
{
	assert(P.in_row);
	P.in_row = false;
	if (P.jw) {
		if (!(P.flags & TBL_VERTICAL)) {
			jsonw_end_object(P.jw);
			if (P.json_rows_toplevel)
				jsonw_eol(P.jw);
		}
		return;
	}
	if (P.flags & TBL_STREAM) {
		unsigned int widths[P.ncols];

		text_stream_widths(widths);
		text_row(row_cells(P.nrows - 1), widths, false);
		if (!P.no_autoflush)
			fflush(P.out);
		free_rows();
	}
}

static void text_vertical(void)
{
	unsigned int lw = 0;

	for (size_t c = 0; c < P.ncols; c++)
		if (display_width(P.cols[c].header) + 1 > lw)
			lw = (unsigned int)display_width(P.cols[c].header) + 1;
	for (size_t r = 0; r < P.nrows; r++) {
		for (size_t c = 0; c < P.ncols; c++) {
			const char *v = row_cells(r)[c];
			char label[256];

			if (!v)
				continue;
			snprintf(label, sizeof(label), "%s:", P.cols[c].header);
			put_padded(label, lw, COL_LEFT, false);
			fprintf(P.out, "%*s%s\n", COL_GAP, "", v);
		}
	}
}

static void text_table(void)
{
	unsigned int widths[P.ncols];

	for (size_t c = 0; c < P.ncols; c++) {
		widths[c] = P.cols[c].width;
		if (!(P.flags & TBL_NOHEADER) && display_width(P.cols[c].header) > widths[c])
			widths[c] = (unsigned int)display_width(P.cols[c].header);
		for (size_t r = 0; r < P.nrows; r++) {
			const char *v = row_cells(r)[c];

			if (v && display_width(v) > widths[c])
				widths[c] = (unsigned int)display_width(v);
		}
	}
	if (!(P.flags & TBL_NOHEADER))
		text_row(NULL, widths, true);
	for (size_t r = 0; r < P.nrows; r++)
		text_row(row_cells(r), widths, false);
}

void print_table_end(void)
{
	assert(P.in_table && !P.in_row);
	P.in_table = false;
	if (P.jw) {
		if (P.json_rows_toplevel || P.json_vertical_merged)
			return;
		if (P.flags & TBL_VERTICAL)
			jsonw_end_object(P.jw);
		else
			jsonw_end_array(P.jw);
		return;
	}
	if (!(P.flags & TBL_STREAM)) {
		if (P.flags & TBL_VERTICAL)
			text_vertical();
		else
			text_table();
	}
	free_rows();
	free(P.cells);
	P.cells = NULL;
	P.cap = 0;
}

/* Stores an (unescaped) text value in the cell of column key. */
static void text_cell(const char *key, const char *s)
{
	long c;
	char **cell;

	if (!P.in_row || (c = col_index(key)) < 0)
		return;
	cell = &row_cells(P.nrows - 1)[c];
	free(*cell);
	*cell = term_escape(s);
}

void print_str(enum print_type t, const char *key, const char *s)
{
	if (json_wanted(t)) {
		json_key(key);
		jsonw_string(P.jw, s);
	} else if (text_wanted(t)) {
		text_cell(key, s);
	}
}

void print_strf(enum print_type t, const char *key, const char *fmt, ...)
{
	va_list ap;
	char *s;

	if (!json_wanted(t) && !text_wanted(t))
		return;
	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	print_str(t, key, s ? s : "");
	free(s);
}

void print_u64(enum print_type t, const char *key, uint64_t v)
{
	if (json_wanted(t)) {
		json_key(key);
		jsonw_u64(P.jw, v);
	} else if (text_wanted(t)) {
		char buf[24];

		snprintf(buf, sizeof(buf), "%" PRIu64, v);
		text_cell(key, buf);
	}
}

void print_s64(enum print_type t, const char *key, int64_t v)
{
	if (json_wanted(t)) {
		json_key(key);
		jsonw_s64(P.jw, v);
	} else if (text_wanted(t)) {
		char buf[24];

		snprintf(buf, sizeof(buf), "%" PRId64, v);
		text_cell(key, buf);
	}
}

void print_bool(enum print_type t, const char *key, bool v)
{
	if (json_wanted(t)) {
		json_key(key);
		jsonw_bool(P.jw, v);
	} else if (text_wanted(t)) {
		text_cell(key, v ? "yes" : "no");
	}
}

void print_null(enum print_type t, const char *key)
{
	if (json_wanted(t)) {
		json_key(key);
		jsonw_null(P.jw);
	} else if (text_wanted(t)) {
		text_cell(key, "-");
	}
}

void print_obj_begin(const char *key)
{
	if (!P.jw)
		return;
	json_key(key);
	jsonw_start_object(P.jw);
}

void print_obj_end(void)
{
	if (P.jw)
		jsonw_end_object(P.jw);
}

void print_arr_begin(const char *key)
{
	if (!P.jw)
		return;
	json_key(key);
	jsonw_start_array(P.jw);
}

void print_arr_end(void)
{
	if (P.jw)
		jsonw_end_array(P.jw);
}
