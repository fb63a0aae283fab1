// SPDX-License-Identifier: GPL-2.0
#include <stdarg.h>
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
		c->cells = xrealloc(c->cells, c->cap * c->n * sizeof(char *));
	}
	memset(c->cells + c->rows * c->n, 0, c->n * sizeof(char *));
	c->rows++;
}

void cols_put(struct cols *c, size_t i, const char *s)
{
	char **cell;
	size_t old;

	if (!c->rows || i >= c->n)
		return;
	cell = &c->cells[(c->rows - 1) * c->n + i];
	old = *cell ? strlen(*cell) : 0;
	*cell = xrealloc(*cell, old + strlen(s) + 1);
	strcpy(*cell + old, s);
}

void cols_putf(struct cols *c, size_t i, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	if (s)
		cols_put(c, i, s);
	free(s);
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

static size_t tok_len(const char *s)
{
	return s ? strlen(s) : 0;
}

/*
 * Widths from contents (first pass); then, on a screen, spare width spread
 * over the columns of each screen line (second pass). eol[i]: a line break
 * follows column i.
 */
static bool calc_widths(struct cols *c, bool header, int screen, size_t *width, bool *eol)
{
	size_t len = 0, linecols = 0;
	bool first = true;

	for (size_t i = 0; i < c->n; i++) {
		size_t max = 0;

		width[i] = 0;
		eol[i] = false;
		if (c->def[i].disabled)
			continue;
		if (header)
			max = strlen(c->def[i].header);
		for (size_t r = 0; r < c->rows; r++)
			if (tok_len(c->cells[r * c->n + i]) > max)
				max = tok_len(c->cells[r * c->n + i]);
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
		eol[i] = true;
		start = i + 1;
		len = 0;
		linecols = 0;
	}
	return false;
}

static void render_row(struct cols *c, FILE *out, char **cells, bool header, const size_t *width,
		       const bool *eol, bool compact, size_t last_visible)
{
	bool started = false;

	for (size_t i = 0; i < c->n; i++) {
		const char *tok = header ? c->def[i].header : (cells[i] ? cells[i] : "");
		size_t printed = 0, len = strlen(tok);

		if (c->def[i].disabled)
			continue;
		if (started) {
			fputs(c->def[i].ldelim, out);
			printed = strlen(c->def[i].ldelim);
		}
		started = true;
		if (width[i] && c->def[i].align == CA_RIGHT && width[i] > len + printed) {
			fprintf(out, "%*s", (int)(width[i] - len - printed), "");
			printed = width[i] - len;
		}
		fputs(tok, out);
		printed += len;
		if (width[i] && c->def[i].align == CA_LEFT && !(compact && i == last_visible) &&
		    width[i] > printed)
			fprintf(out, "%*s", (int)(width[i] - printed), "");
		if (eol[i] && i != last_visible) {
			putc('\n', out);
			started = false;
		}
	}
	putc('\n', out);
}

void cols_render(struct cols *c, FILE *out, bool header, int screen_width)
{
	size_t width[c->n ? c->n : 1], last_visible = 0;
	bool eol[c->n ? c->n : 1], compact;

	compact = calc_widths(c, header, screen_width, width, eol);
	for (size_t i = 0; i < c->n; i++)
		if (!c->def[i].disabled)
			last_visible = i;
	if (header)
		render_row(c, out, NULL, true, width, eol, compact, last_visible);
	for (size_t r = 0; r < c->rows; r++)
		render_row(c, out, c->cells + r * c->n, false, width, eol, compact, last_visible);
}

void cols_free(struct cols *c)
{
	for (size_t i = 0; i < c->rows * c->n; i++)
		free(c->cells[i]);
	free(c->cells);
	memset(c, 0, sizeof(*c));
}
