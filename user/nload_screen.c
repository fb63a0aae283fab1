// SPDX-License-Identifier: GPL-2.0
/*
 * nload's screen (nload_screen.h), laid out as nload 0.7 lays it out:
 *
 *   Device eth0 [10.0.0.5] (2/3):
 *   ==========================================
 *   Incoming:
 *   ####|..                        Curr: 1.21 MBit/s
 *   ...                            Avg: ...  Min: ...  Max: ...  Ttl: ...
 *   Outgoing:
 *
 * A graph's columns are Curr's history, the newest on the right; a cell is
 * '#' when the value fills it, '|' from 70% and '.' from 30%, the full
 * height standing for the 100% mark (-i/-o, or the history's peak rounded
 * up to a power of two from 2 kByte/s). Ttl is the kernel's own counter.
 */
#include <stdio.h>
#include <string.h>
#include "nload_screen.h"
#include "tui.h"
#include "units.h"

#define STATS_W 26 /* "Curr: 1023.99 kByte/s" and some room */

int nload_screen_open(char *err, size_t len)
{
	return tui_open(err, len, "use --batch for batch output");
}

void nload_screen_close(void)
{
	tui_close();
}

static size_t page_size(const struct nload_view *v)
{
	/* with -m, a device takes 9 lines: header, rule, titles, 5 numbers, gap */
	size_t per = LINES > 9 ? (size_t)LINES / 9 : 1;

	return v->multiple ? per : 1;
}

enum nload_key nload_screen_keys(struct nload_view *v, size_t n)
{
	enum nload_key res = NLOAD_KEY_NONE;
	size_t step = page_size(v);
	int c;

	while ((c = getch()) != ERR) {
		switch (c) {
		case 'q':
		case 'Q':
			return NLOAD_KEY_QUIT;
		case KEY_RIGHT:
		case KEY_DOWN:
		case KEY_NPAGE:
		case KEY_ENTER:
		case '\n':
		case '\r':
		case '\t':
			if (n)
				v->current = v->current + step < n ? v->current + step : 0;
			res = NLOAD_KEY_REDRAW;
			break;
		case KEY_LEFT:
		case KEY_UP:
		case KEY_PPAGE:
			if (n)
				v->current = v->current >= step ? v->current - step :
								  (n - 1) / step * step;
			res = NLOAD_KEY_REDRAW;
			break;
		case KEY_RESIZE:
			res = NLOAD_KEY_REDRAW;
			break;
		}
	}
	return res;
}

/* "Device eth0 [10.0.0.5] (2/3):" and the rule under it; the next line. */
static int draw_header(int y, const struct nload_view *v, const struct if_dev *d, size_t i,
		       size_t n)
{
	char name[64], line[256];

	tui_safe(name, sizeof(name), d->name);
	if (d->gone) {
		snprintf(line, sizeof(line), "Device %s (%zu/%zu): does not exist", name, i + 1, n);
	} else {
		int o = snprintf(line, sizeof(line), "Device %s", name);

		if (v->show_netns)
			o += snprintf(line + o, sizeof(line) - (size_t)o, " (netns %u)", d->netns);
		if (d->addr[0])
			o += snprintf(line + o, sizeof(line) - (size_t)o, " [%s]", d->addr);
		snprintf(line + o, sizeof(line) - (size_t)o, " (%zu/%zu):", i + 1, n);
	}
	tui_put(y, 0, line, COLS);
	for (int x = 0; x < COLS; x++)
		mvaddch(y + 1, x, '=');
	return y + 2;
}

/* Curr, Avg, Min, Max and Ttl of one direction, from (y, x) down. */
static void draw_numbers(int y, int x, const struct nload_view *v, const struct if_dev *d, bool in)
{
	const struct if_rate *r[4] = { &d->cur, &d->avg, &d->min, &d->max };
	static const char *const label[4] = { "Curr", "Avg", "Min", "Max" };
	char num[48], line[64];

	for (int k = 0; k < 4; k++) {
		fmt_nload(num, sizeof(num), in ? r[k]->rx : r[k]->tx, v->rate_unit, 2, true);
		snprintf(line, sizeof(line), "%s: %s", label[k], num);
		tui_put(y + k, x, line, COLS - x);
	}
	fmt_nload(num, sizeof(num), (double)(in ? d->last.rx_bytes : d->last.tx_bytes),
		  v->total_unit, 2, false);
	snprintf(line, sizeof(line), "Ttl: %s", num);
	tui_put(y + 4, x, line, COLS - x);
}

/* The 100% mark in bytes per second: given, or the peak rounded up. */
static double graph_max(const struct if_dev *d, const double *vals, uint64_t kbits)
{
	double peak = 0, m = 2 * 1024;

	if (kbits)
		return (double)kbits * 1024 / 8;
	for (size_t i = 0; i < d->ngraph; i++)
		peak = vals[i] > peak ? vals[i] : peak;
	while (m < peak && m < 1e18)
		m *= 2;
	return m;
}

/* One graph: w columns of history (newest on the right), h lines, at (y, 0). */
static void draw_graph(int y, int w, int h, const struct ifstats *S, const struct if_dev *d,
		       const double *vals, uint64_t kbits)
{
	double max = graph_max(d, vals, kbits);

	if (w <= 0 || h <= 0)
		return;
	for (int col = 0; col < w; col++) {
		/* col w-1 is the newest value, w-2 the one before, ... */
		size_t back = (size_t)(w - 1 - col);
		double val;

		if (back >= d->ngraph)
			continue;
		val = vals[(d->graph_head + S->graph_cap - back) % S->graph_cap];
		for (int l = 0; l < h; l++) {
			double per_line = max / h, lower = max * (h - l - 1) / h;
			double rest = val - lower;
			char c = ' ';

			if (val < lower)
				continue;
			if (rest >= per_line)
				c = '#';
			else if (rest >= per_line * 0.7)
				c = '|';
			else if (rest >= per_line * 0.3)
				c = '.';
			if (c != ' ')
				mvaddch(y + l, col, (chtype)c);
		}
	}
}

static void draw_one(const struct nload_view *v, const struct ifstats *S, const struct if_dev *d,
		     size_t i, size_t n)
{
	int y = draw_header(0, v, d, i, n), lines, lin, lout, statx;

	if (d->gone)
		return;
	if (COLS < 25 || LINES < 8) {
		tui_put(y, 0, "Please enlarge console for viewing device information.", COLS);
		return;
	}
	lines = LINES - y;
	lin = (lines + 1) / 2;
	lout = lines - lin;
	statx = COLS - STATS_W;
	if (statx < 1)
		statx = 1;
	tui_put(y, 0, "Incoming:", COLS);
	draw_graph(y + 1, statx - 1, lin - 1, S, d, d->graph_rx, v->in_max);
	draw_numbers(y + lin - 5, statx, v, d, true);
	if (lout > 5) {
		tui_put(y + lin, 0, "Outgoing:", COLS);
		draw_graph(y + lin + 1, statx - 1, lout - 1, S, d, d->graph_tx, v->out_max);
		draw_numbers(y + lin + lout - 5, statx, v, d, false);
	}
}

/* -m: devices one under the other, numbers only. */
static void draw_many(const struct nload_view *v, const struct ifstats *S, const size_t *shown,
		      size_t n)
{
	int y = 0;

	for (size_t i = v->current; i < n && y + 9 <= LINES; i++) {
		const struct if_dev *d = &S->v[shown[i]];

		y = draw_header(y, v, d, i, n);
		if (!d->gone) {
			tui_put(y, 0, "Incoming:", COLS);
			tui_put(y, COLS / 2, "Outgoing:", COLS - COLS / 2);
			draw_numbers(y + 1, 0, v, d, true);
			draw_numbers(y + 1, COLS / 2, v, d, false);
			y += 6;
		}
		y++;
	}
}

void nload_screen_draw(const struct nload_view *v, const struct ifstats *S, const size_t *shown,
		       size_t n)
{
	tui_follow_size();
	erase();
	if (!n)
		tui_put(0, 0, "No devices to show.", COLS);
	else if (v->multiple)
		draw_many(v, S, shown, n);
	else
		draw_one(v, S, &S->v[shown[v->current < n ? v->current : 0]],
			 v->current < n ? v->current : 0, n);
	refresh();
}
