/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ss's column layout, for views that mirror it: every row is one token per
 * enabled column; widths come from the longest token (header included);
 * right-aligned columns pad on the left; a column's left delimiter sits
 * between it and the one before. Piped output is compact (no spreading,
 * the last column unpadded); on a terminal the spare width is spread over
 * the columns and rows that do not fit wrap, as ss does.
 */
#ifndef SOCKTAP_COLUMNS_H
#define SOCKTAP_COLUMNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "strbuf.h"

enum cols_align { CA_LEFT, CA_RIGHT };

struct cols_def {
	const char *header;
	enum cols_align align;
	const char *ldelim;
	bool disabled;
};

struct cols_cell {
	uint32_t off, len; /* in the arena; len 0: an empty token */
};

struct cols {
	struct cols_def *def;
	size_t n;
	struct cols_cell *cells; /* rows x n */
	size_t rows, cap;
	struct strbuf arena; /* every token's text, one after another */
};

void cols_init(struct cols *c, struct cols_def *def, size_t n);
/* Starts a row; tokens then fill the enabled columns in order. */
void cols_row(struct cols *c);
/* Sets column i of the open row to a copy of s (once per cell). */
void cols_put(struct cols *c, size_t i, const char *s);
/* The same for len bytes of s, its length known. */
void cols_put_len(struct cols *c, size_t i, const char *s, size_t len);
/*
 * Room for rows more rows of about bytes_per_row bytes of text, so that a
 * table of known size is not copied as it grows.
 */
void cols_reserve(struct cols *c, size_t rows, size_t bytes_per_row);
/*
 * Writes the header (unless !header) and the rows. screen_width < 0:
 * compact, as ss prints to a pipe.
 */
void cols_render(struct cols *c, FILE *out, bool header, int screen_width);
void cols_free(struct cols *c);

/* ss's screen width: the terminal's, else $COLUMNS, else -1 (compact). */
int cols_screen_width(FILE *out);

#endif
