// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include "columns.h"
#include "util.h"

void cols_init(struct cols *c, struct cols_def *def, size_t n)
{
	memset(c, 0, sizeof(*c));
	c->def = def;
	c->n = n;
}

void cols_row(struct cols *c)
{
	if (c->rows == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->cells = xrealloc(c->cells, c->cap * c->n * sizeof(*c->cells));
	}
	memset(c->cells + c->rows * c->n, 0, c->n * sizeof(*c->cells));
	c->rows++;
}

void cols_put_len(struct cols *c, size_t i, const char *s, size_t len)
{
	struct cols_cell *cell;

	if (!c->rows || i >= c->n)
		return;
	cell = &c->cells[(c->rows - 1) * c->n + i];
	cell->off = (uint32_t)c->arena.len;
	cell->len = (uint32_t)len;
	sb_put(&c->arena, s, len);
}

void cols_put(struct cols *c, size_t i, const char *s)
{
	cols_put_len(c, i, s, strlen(s));
}

void cols_reserve(struct cols *c, size_t rows, size_t bytes_per_row)
{
	if (c->rows + rows > c->cap) {
		c->cap = c->rows + rows;
		c->cells = xrealloc(c->cells, c->cap * c->n * sizeof(*c->cells));
	}
	sb_reserve(&c->arena, rows * bytes_per_row);
}

int cols_screen_width(FILE *out)
{
	struct winsize w;
	const char *p;
	int v;

	if (isatty(fileno(out)) && ioctl(fileno(out), TIOCGWINSZ, &w) == 0 && w.ws_col > 0)
		return w.ws_col;
	p = getenv("COLUMNS");
	if (p && (v = atoi(p)) > 0)
		return v;
	return -1;
}

/*
 * Widths from contents (first pass); then, on a screen, spare width spread
 * over the columns of each screen line (second pass). Returns whether the
 * layout is compact.
 */
static bool calc_widths(struct cols *c, bool header, int screen, size_t *width, size_t *maxlen)
{
	size_t len = 0, linecols = 0;
	bool first = true;

	for (size_t i = 0; i < c->n; i++) {
		size_t max = 0;

		width[i] = maxlen[i] = 0;
		if (c->def[i].disabled)
			continue;
		if (header)
			max = strlen(c->def[i].header);
		for (size_t r = 0; r < c->rows; r++)
			if (c->cells[r * c->n + i].len > max)
				max = c->cells[r * c->n + i].len;
		maxlen[i] = max;
		width[i] = (!first && max) ? max + strlen(c->def[i].ldelim) : max;
		if (screen > 0 && width[i] > (size_t)screen)
			width[i] = (size_t)screen;
		if (width[i])
			first = false;
	}
	if (screen < 0)
		return true;
	for (size_t i = 0, start = 0; i < c->n; i++) {
		bool last = true;

		if (!width[i])
			continue;
		linecols++;
		len += width[i];
		for (size_t k = i + 1; k < c->n; k++)
			if (width[k])
				last = false;
		if (!last && len < (size_t)screen)
			continue;
		if (len > (size_t)screen) {
			/* this column starts the next line (widths are capped to the
			 * screen, so an earlier column is on this one) */
			len -= width[i];
			linecols--;
			do
				i--;
			while (!width[i]);
		}
		if (len < (size_t)screen && linecols) {
			size_t spacing = ((size_t)screen - len) / linecols;
			size_t rem = ((size_t)screen - len) % linecols;

			for (size_t k = i + 1; k-- > start;) {
				if (!width[k])
					continue;
				width[k] += spacing;
				if (rem) {
					width[k]++;
					rem--;
				}
			}
		}
		start = i + 1;
		len = 0;
		linecols = 0;
	}
	return false;
}

/* A visible column as every row lays it out (from cols_render's widths). */
struct col_layout {
	size_t col; /* its index in the table */
	const char *delim;
	size_t dlen; /* 0 for the first visible column */
	size_t width; /* 0: as wide as its text */
	bool right; /* pads on the left */
	bool pad_after; /* a left-aligned column pads after its text */
};

/*
 * One row (header when cells is NULL) into out, ss's render(): room made
 * once for the widest row there can be, then every cell's delimiter,
 * padding and text written without a call for the short ones most are.
 */
static void render_row(const struct cols *c, struct strbuf *out, const struct cols_cell *cells,
		       const struct col_layout *lay, size_t nlay, size_t row_max)
{
	char *p;

	sb_reserve(out, row_max);
	p = out->p + out->len;
	for (size_t k = 0; k < nlay; k++) {
		const struct col_layout *l = &lay[k];
		const char *tok;
		size_t printed = l->dlen, len;

		if (cells) {
			tok = c->arena.p + cells[l->col].off;
			len = cells[l->col].len;
		} else {
			tok = c->def[l->col].header;
			len = strlen(tok);
		}
		copy_short(p, l->delim, l->dlen);
		p += l->dlen;
		if (l->right && l->width > len + printed) {
			p = fill_blanks(p, l->width - len - printed);
			printed = l->width - len;
		}
		copy_short(p, tok, len);
		p += len;
		printed += len;
		if (l->pad_after && l->width > printed)
			p = fill_blanks(p, l->width - printed);
	}
	/* where a row is wider than the screen, ss lets the terminal wrap it;
	 * the widths above keep the wrapped parts aligned */
	*p++ = '\n';
	out->len = (size_t)(p - out->p);
}

void cols_render(struct cols *c, FILE *f, bool header, int screen_width)
{
	size_t n = c->n ? c->n : 1, width[n], maxlen[n], nlay = 0, last_visible = 0, row_max = 1;
	struct col_layout lay[n];
	struct strbuf out = { 0 };
	bool compact;

	/* an empty arena has no buffer to point into */
	sb_reserve(&c->arena, 1);
	compact = calc_widths(c, header, screen_width, width, maxlen);
	for (size_t i = 0; i < c->n; i++)
		if (!c->def[i].disabled)
			last_visible = i;
	for (size_t i = 0; i < c->n; i++) {
		struct col_layout *l = &lay[nlay];

		if (c->def[i].disabled)
			continue;
		*l = (struct col_layout){
			.col = i,
			.delim = c->def[i].ldelim,
			.dlen = nlay ? strlen(c->def[i].ldelim) : 0,
			.width = width[i],
			.right = c->def[i].align == CA_RIGHT,
			.pad_after = c->def[i].align == CA_LEFT && !(compact && i == last_visible),
		};
		/* a cell is at most its delimiter, padding to its width, its text */
		row_max += l->dlen + width[i] + maxlen[i];
		nlay++;
	}
	if (header)
		render_row(c, &out, NULL, lay, nlay, row_max);
	for (size_t r = 0; r < c->rows; r++) {
		render_row(c, &out, c->cells + r * c->n, lay, nlay, row_max);
		/* written in large pieces, never a line split between two */
		if (out.len >= 1 << 16)
			sb_flush_to(&out, f);
	}
	sb_flush_to(&out, f);
	sb_free(&out);
}

void cols_free(struct cols *c)
{
	free(c->cells);
	sb_free(&c->arena);
	memset(c, 0, sizeof(*c));
}
