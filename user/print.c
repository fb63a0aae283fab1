// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "format.h"
#include "json_writer.h"
#include "print.h"
#include "strbuf.h"
#include "util.h"

#define COL_GAP 2

/* A text cell: its escaped text in P.arena, NUL-terminated. */
struct cell {
	uint32_t off;
	uint32_t width; /* display columns */
	bool set;
};

static struct {
	FILE *out;
	json_writer_t *jw;
	/* the open table, if any */
	const struct print_col *cols;
	size_t ncols;
	unsigned int flags;
	bool in_table, in_row, json_rows_toplevel, json_vertical_merged;
	bool no_autoflush;
	/* text cells: nrows x ncols, escaped, their text in one arena (no
	 * allocation per cell: a listing has tens of thousands) */
	struct cell *cells;
	size_t nrows, cap;
	struct strbuf arena;
	/* the column the last cell went to: rows fill columns in order */
	size_t last_col;
	/* a text row is built here, then written in one call */
	struct strbuf line;
} P;

void print_init(FILE *out, bool json)
{
	sb_free(&P.arena);
	sb_free(&P.line);
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
	int err = P.jw ? jsonw_flush(P.jw) : 0;

	return err || fflush(P.out) || ferror(P.out) ? -1 : 0;
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
	/* from the column after the last one: one compare, mostly */
	for (size_t k = 0; k < P.ncols; k++) {
		size_t i = (P.last_col + 1 + k) % P.ncols;

		if (strcmp(P.cols[i].key, key) == 0)
			return (long)(P.last_col = i);
	}
	return -1;
}

static struct cell *row_cells(size_t row)
{
	return P.cells + row * P.ncols;
}

static void put_spaces(struct strbuf *sb, size_t n)
{
	sb_reserve(sb, n);
	memset(sb->p + sb->len, ' ', n);
	sb->len += n;
}

static void put_padded(struct strbuf *sb, const char *s, size_t w, unsigned int width,
		       enum col_align align, bool last)
{
	size_t pad = w < width ? width - w : 0;

	if (align == COL_RIGHT)
		put_spaces(sb, pad);
	sb_puts(sb, s);
	if (align == COL_LEFT && !last)
		put_spaces(sb, pad);
}

static const char *cell_text(const struct cell *cells, size_t c, bool header)
{
	if (header)
		return P.cols[c].header;
	return cells[c].set ? P.arena.p + cells[c].off : "";
}

static size_t cell_width(const struct cell *cells, size_t c, bool header)
{
	if (header)
		return display_width(P.cols[c].header);
	return cells[c].set ? cells[c].width : 0;
}

static void text_row(const struct cell *cells, const unsigned int *widths, bool header)
{
	size_t n = P.ncols;

	/* trailing empty cells would only add trailing blanks */
	while (n > 1 && !cell_text(cells, n - 1, header)[0])
		n--;
	P.line.len = 0;
	for (size_t c = 0; c < n; c++) {
		bool last = c + 1 == n;

		put_padded(&P.line, cell_text(cells, c, header), cell_width(cells, c, header),
			   widths[c], P.cols[c].align, last);
		if (!last)
			put_spaces(&P.line, COL_GAP);
	}
	sb_putc(&P.line, '\n');
	sb_flush_to(&P.line, P.out);
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
		P.cells = xrealloc(P.cells, P.cap * P.ncols * sizeof(*P.cells));
	}
	memset(row_cells(P.nrows), 0, P.ncols * sizeof(*P.cells));
	P.nrows++;
	P.last_col = P.ncols - 1;
}

static void free_rows(void)
{
	P.arena.len = 0;
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
			const struct cell *cells = row_cells(r);
			char label[256];

			if (!cells[c].set)
				continue;
			snprintf(label, sizeof(label), "%s:", P.cols[c].header);
			P.line.len = 0;
			put_padded(&P.line, label, display_width(label), lw, COL_LEFT, false);
			put_spaces(&P.line, COL_GAP);
			sb_puts(&P.line, cell_text(cells, c, false));
			sb_putc(&P.line, '\n');
			sb_flush_to(&P.line, P.out);
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
		for (size_t r = 0; r < P.nrows; r++)
			if (cell_width(row_cells(r), c, false) > widths[c])
				widths[c] = (unsigned int)cell_width(row_cells(r), c, false);
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
	/* a big listing's arena is not kept for the next table */
	sb_free(&P.arena);
}

/* Stores an (unescaped) text value in the cell of column key. */
static void text_cell(const char *key, const char *s)
{
	struct cell *cell;
	long c;

	if (!P.in_row || (c = col_index(key)) < 0)
		return;
	cell = &row_cells(P.nrows - 1)[c];
	/* a cell set twice keeps the second text; the first stays unused */
	cell->off = (uint32_t)P.arena.len;
	cell->set = true;
	term_escape_sb(&P.arena, s);
	sb_putc(&P.arena, '\0');
	cell->width = (uint32_t)display_width(P.arena.p + cell->off);
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
	char buf[256], *s;
	int n;

	if (!json_wanted(t) && !text_wanted(t))
		return;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n >= 0 && (size_t)n < sizeof(buf)) {
		print_str(t, key, buf);
		return;
	}
	/* a long one: allocated */
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

		buf[fmt_u64(buf, v)] = '\0';
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

void print_float(enum print_type t, const char *key, double v)
{
	if (json_wanted(t)) {
		json_key(key);
		jsonw_float(P.jw, v);
	} else if (text_wanted(t)) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.3f", v);
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

size_t print_json_mark(void)
{
	return P.jw ? jsonw_mark(P.jw) : 0;
}

size_t print_json_copy(size_t mark, char *buf, size_t cap)
{
	return P.jw ? jsonw_copy_since(P.jw, mark, buf, cap) : 0;
}

void print_json_replay(const char *s, size_t n)
{
	if (P.jw)
		jsonw_raw_members(P.jw, s, n);
}
