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
 *
 * F2 opens nload's options window over it: a box with each setting's
 * label and value, the one being edited highlighted, and a line saying
 * what it takes or why a value was refused.
 *
 * p (or c) puts the device's split under the graphs, as nethogs and iftop
 * show theirs:
 *
 *   --- Split by process since 12:34:56 (p/Esc: hide, c: by cgroup) -------
 *   Process             Incoming       Outgoing     In total    Out total
 *   flowgen/7530     1.21 MBit/s   15.93 MBit/s  11.31 kByte   1.95 MByte
 *   (remainder)        0.00 Bit/s     0.00 Bit/s   1.31 kByte   0.00 Byte
 *
 * taking the lines the graphs can spare (they keep 12: a title and five
 * numbers each); a terminal with fewer shows the split instead of them.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cgroup.h"
#include "nload_screen.h"
#include "splitsrc.h"
#include "tui.h"
#include "units.h"

#define STATS_W 26 /* "Curr: 1023.99 kByte/s" and some room */
#define OPT_W 76 /* the options window: labels, values, the keys' line */
#define OPT_LABEL_W 36 /* "Max Outgoing deflection (kBit/s): " */
#define OPT_EXTRA 5 /* its lines besides the fields: borders, message, keys */
#define GRAPHS_MIN 12 /* both graphs, each its title line and five numbers */
#define SPLIT_MIN 4 /* the split's pane: title, the columns' heads, two rows */
#define SPLIT_LABEL_MIN 16 /* the label's room before the totals' columns go */

/* The options window: open over the screen, or not (one screen, one window). */
static struct {
	bool open;
	struct nload_settings edit; /* its values, applied on Enter */
	int field; /* the one being edited */
	char text[NLOAD_DEVICES_LEN]; /* its text as typed */
	bool fresh; /* untouched since entered: a key typed replaces the text */
	char msg[256]; /* why a value was refused, until the next key */
} W;

int nload_screen_open(char *err, size_t len)
{
	return tui_open(err, len, "use --batch for batch output");
}

void nload_screen_close(void)
{
	W.open = false;
	tui_close();
}

static size_t page_size(const struct nload_view *v)
{
	/* with -m, a device takes 9 lines: header, rule, titles, 5 numbers, gap */
	size_t per = LINES > 9 ? (size_t)LINES / 9 : 1;

	return v->set.multiple ? per : 1;
}

static void field_enter(int field)
{
	W.field = (field + NLS_COUNT) % NLS_COUNT;
	nload_setting_get(&W.edit, W.field, W.text, sizeof(W.text));
	W.fresh = true;
}

/* The field's text into W.edit: true, or false with the old value back
 * in the field and the reason in the window. */
static bool field_commit(void)
{
	char why[200];

	if (!nload_setting_set(&W.edit, W.field, W.text, why, sizeof(why)))
		return true;
	snprintf(W.msg, sizeof(W.msg), "%s", why);
	field_enter(W.field);
	return false;
}

static void field_type(int c)
{
	size_t len = strlen(W.text);

	if (W.fresh)
		len = 0;
	W.fresh = false;
	/* the box needs no typing, and Space is not a value for it */
	if (W.field == NLS_MULTIPLE && c == ' ') {
		snprintf(W.text, sizeof(W.text), "%s", strcmp(W.text, "[x]") ? "[x]" : "[ ]");
		return;
	}
	if (len + 1 < sizeof(W.text)) {
		W.text[len] = (char)c;
		W.text[len + 1] = '\0';
	}
}

static enum nload_key window_key(int c, struct nload_settings *out)
{
	size_t len = strlen(W.text);

	switch (c) {
	case 27: /* Esc */
		W.open = false;
		return NLOAD_KEY_REDRAW;
	case KEY_ENTER:
	case '\n':
	case '\r':
	case KEY_F(2):
	case KEY_F(5):
		if (!field_commit())
			return NLOAD_KEY_REDRAW;
		W.open = false;
		*out = W.edit;
		return c == KEY_F(5) ? NLOAD_KEY_SAVE : NLOAD_KEY_APPLY;
	case KEY_F(6):
		W.open = false;
		return NLOAD_KEY_RELOAD;
	case KEY_UP:
	case KEY_BTAB:
		if (field_commit())
			field_enter(W.field - 1);
		break;
	case KEY_DOWN:
	case '\t':
		if (field_commit())
			field_enter(W.field + 1);
		break;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		W.text[W.fresh ? 0 : len ? len - 1 : 0] = '\0';
		W.fresh = false;
		break;
	case 21: /* Ctrl-U */
		W.text[0] = '\0';
		W.fresh = false;
		break;
	default:
		if (c >= ' ' && c < 0x7f)
			field_type(c);
		break;
	}
	return NLOAD_KEY_REDRAW;
}

/* p or c: the split's pane by, shown or hidden; SPLIT when the caller
 * has it to load. */
static enum nload_key split_key(struct nload_view *v, enum split_by by)
{
	if (v->set.multiple) {
		nload_screen_status(
			v, "The split shows under one device: -m is on (F2 to turn it off)");
		return NLOAD_KEY_REDRAW;
	}
	if (v->split_shown && v->split_by == by) {
		v->split_shown = false;
		return NLOAD_KEY_REDRAW;
	}
	v->split_shown = true;
	v->split_by = by;
	return v->split ? NLOAD_KEY_REDRAW : NLOAD_KEY_SPLIT;
}

enum nload_key nload_screen_keys(struct nload_view *v, size_t n, struct nload_settings *out)
{
	enum nload_key res = NLOAD_KEY_NONE;
	size_t step = page_size(v);
	int c;

	while ((c = getch()) != ERR) {
		if (c == KEY_RESIZE) {
			res = NLOAD_KEY_REDRAW;
			continue;
		}
		/* what F5 or F6 said stays up to the next key */
		v->status[0] = '\0';
		if (W.open) {
			enum nload_key k;

			W.msg[0] = '\0';
			k = window_key(c, out);
			if (k != NLOAD_KEY_REDRAW)
				return k;
			res = k;
			continue;
		}
		switch (c) {
		case 'q':
		case 'Q':
			return NLOAD_KEY_QUIT;
		case KEY_F(2):
			W.open = true;
			W.edit = v->set;
			W.msg[0] = '\0';
			field_enter(0);
			res = NLOAD_KEY_REDRAW;
			break;
		case KEY_F(5):
			*out = v->set;
			return NLOAD_KEY_SAVE;
		case KEY_F(6):
			return NLOAD_KEY_RELOAD;
		case 'p':
		case 'P':
		case 'c':
		case 'C':
			res = split_key(v,
					c == 'p' || c == 'P' ? SPLIT_BY_PROCESS : SPLIT_BY_CGROUP);
			if (res == NLOAD_KEY_SPLIT)
				return res;
			break;
		case 27: /* Esc */
			v->split_shown = false;
			res = NLOAD_KEY_REDRAW;
			break;
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
		default:
			/* the status line goes */
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
		fmt_nload(num, sizeof(num), in ? r[k]->rx : r[k]->tx, v->set.traffic_unit, 2, true);
		snprintf(line, sizeof(line), "%s: %s", label[k], num);
		tui_put(y + k, x, line, COLS - x);
	}
	fmt_nload(num, sizeof(num), (double)(in ? d->last.rx_bytes : d->last.tx_bytes),
		  v->set.data_unit, 2, false);
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

/* A split row's label, escaped: comm/pid, the cgroup's path, or (reason). */
static const char *split_label(char *out, size_t len, const struct split_row *r, enum split_by by)
{
	char raw[512];
	const char *path;

	if (r->reason != SPLIT_OWNED)
		snprintf(raw, sizeof(raw), "(%s)", split_reason_name(r->reason));
	else if (by == SPLIT_BY_PROCESS)
		snprintf(raw, sizeof(raw), "%.*s/%u", IFSPLIT_COMM_LEN, r->comm, r->pid);
	else if ((path = cgroup_path_of_id(r->cgroup)))
		snprintf(raw, sizeof(raw), "%s", path);
	else
		snprintf(raw, sizeof(raw), "cgroup %llu", (unsigned long long)r->cgroup);
	return tui_safe(out, len, raw);
}

/* A split row's Incoming, Outgoing, In total and Out total in nload's units. */
static void split_numbers(char num[4][48], const struct nload_view *v, const struct split_row *r)
{
	fmt_nload(num[0], sizeof(num[0]), r->rx_bps, v->set.traffic_unit, 2, true);
	fmt_nload(num[1], sizeof(num[1]), r->tx_bps, v->set.traffic_unit, 2, true);
	fmt_nload(num[2], sizeof(num[2]), (double)r->rx_bytes, v->set.data_unit, 2, false);
	fmt_nload(num[3], sizeof(num[3]), (double)r->tx_bytes, v->set.data_unit, 2, false);
}

/* The device's split rows now (none until the split is loaded). */
static size_t split_rows(const struct nload_view *v, const struct if_dev *d,
			 const struct split_row **rows)
{
	*rows = NULL;
	if (!v->split)
		return 0;
	return splitsrc_rows(v->split, d->netns, (uint32_t)d->ifindex, v->split_by, rows);
}

/* The pane's title line at y: what the split counts and since when, its keys. */
static void draw_split_title(int y, const struct nload_view *v, attr_t a)
{
	bool proc = v->split_by == SPLIT_BY_PROCESS;
	char title[256], since[32];
	struct tm tm;
	int o;

	o = snprintf(title, sizeof(title), " Split by %s", proc ? "process" : "cgroup");
	if (!v->split) {
		snprintf(title + o, sizeof(title) - (size_t)o, ": loading... ");
	} else {
		if (!localtime_r(&v->split_since, &tm) ||
		    !strftime(since, sizeof(since), "%H:%M:%S", &tm))
			snprintf(since, sizeof(since), "start");
		o += snprintf(title + o, sizeof(title) - (size_t)o, " since %s", since);
		if (v->split_lost)
			o += snprintf(title + o, sizeof(title) - (size_t)o,
				      ", %llu packets not counted (table full)",
				      (unsigned long long)v->split_lost);
		snprintf(title + o, sizeof(title) - (size_t)o, " (%c/Esc: hide, %c: by %s) ",
			 proc ? 'p' : 'c', proc ? 'c' : 'p', proc ? "cgroup" : "process");
	}
	mvhline(y, 0, '-', y == LINES - 1 ? COLS - 1 : COLS);
	tui_put_attr(y, 2, title, COLS - 4, a);
}

/*
 * The split of d, h lines from y: a title, the columns' heads, a row a
 * line (the last line says how many more there are when they do not fit).
 * The totals' columns go before the label gets narrower than
 * SPLIT_LABEL_MIN, and any column that does not fit is left out whole.
 */
static void draw_split(int y, int h, const struct nload_view *v, const struct if_dev *d)
{
	static const char *const head[4] = { "Incoming", "Outgoing", "In total", "Out total" };
	attr_t ha = A_BOLD | (tui_colours() ? COLOR_PAIR(TUI_PAIR_HEAD) : 0);
	int w[4], ncols = 4, numw = 0, labelw, right = COLS - 1, room = h - 2;
	const struct split_row *rows;
	size_t n = split_rows(v, d, &rows), fit;
	char num[4][48], label[2048];

	if (h <= 0)
		return;
	draw_split_title(y, v, ha);
	if (h < 2)
		return;
	fit = room <= 0 ? 0 : n <= (size_t)room ? n : (size_t)room - 1;
	for (int k = 0; k < 4; k++)
		w[k] = tui_width(head[k]);
	for (size_t i = 0; i < fit; i++) {
		split_numbers(num, v, &rows[i]);
		for (int k = 0; k < 4; k++)
			w[k] = tui_width(num[k]) > w[k] ? tui_width(num[k]) : w[k];
	}
	for (int k = 0; k < 4; k++)
		numw += w[k] + 2;
	while (ncols > 2 && right - numw < SPLIT_LABEL_MIN)
		numw -= w[--ncols] + 2;
	labelw = right - numw < 8 ? 8 : right - numw;
	tui_put_attr(y + 1, 0, v->split_by == SPLIT_BY_PROCESS ? "Process" : "Cgroup", labelw - 1,
		     ha);
	for (int k = 0, xend = labelw; k < ncols && (xend += w[k] + 2) <= right; k++)
		tui_put_right(y + 1, xend, head[k], ha);
	if (v->split && !n)
		tui_put(y + 2, 0, "(no rows yet)", right);
	for (size_t i = 0; i < fit; i++) {
		int yy = y + 2 + (int)i;

		tui_put(yy, 0, split_label(label, sizeof(label), &rows[i], v->split_by),
			labelw - 1);
		split_numbers(num, v, &rows[i]);
		for (int k = 0, xend = labelw; k < ncols && (xend += w[k] + 2) <= right; k++)
			tui_put_right(yy, xend, num[k], 0);
	}
	if (fit < n) {
		char more[64];

		snprintf(more, sizeof(more), "... %zu more", n - fit);
		tui_put(y + 2 + (int)fit, 0, more, right);
	}
}

/* The lines the split's pane would take: its title, heads and rows. */
static int split_want(const struct nload_view *v, const struct if_dev *d)
{
	const struct split_row *rows;
	size_t n = split_rows(v, d, &rows);

	return 2 + (n ? (n < 1000 ? (int)n : 1000) : v->split ? 1 : 0);
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
	/* the split under the graphs, as much of it as they can spare, or on
	 * a short terminal instead of them */
	if (v->split_shown) {
		int pane = split_want(v, d);

		if (lines - GRAPHS_MIN >= SPLIT_MIN)
			pane = pane < lines - GRAPHS_MIN ? pane : lines - GRAPHS_MIN;
		else
			pane = lines;
		draw_split(LINES - pane, pane, v, d);
		lines -= pane;
		if (!lines)
			return;
	}
	lin = (lines + 1) / 2;
	lout = lines - lin;
	statx = COLS - STATS_W;
	if (statx < 1)
		statx = 1;
	tui_put(y, 0, "Incoming:", COLS);
	draw_graph(y + 1, statx - 1, lin - 1, S, d, d->graph_rx, v->set.in_max);
	draw_numbers(y + lin - 5, statx, v, d, true);
	if (lout > 5) {
		tui_put(y + lin, 0, "Outgoing:", COLS);
		draw_graph(y + lin + 1, statx - 1, lout - 1, S, d, d->graph_tx, v->set.out_max);
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

void nload_screen_status(struct nload_view *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->status, sizeof(v->status), fmt, ap);
	va_end(ap);
}

/* One field of the options window: its label, and its value from vx on. */
static void draw_field(int y, int x, int vx, int vw, int field)
{
	char val[NLOAD_DEVICES_LEN], safe[NLOAD_DEVICES_LEN * 4 + 1], label[64];
	const char *p;
	int w;

	snprintf(label, sizeof(label), "%s:", nload_setting_label(field));
	tui_put(y, x, label, vx - x - 1);
	if (field != W.field) {
		tui_safe(safe, sizeof(safe), nload_setting_get(&W.edit, field, val, sizeof(val)));
		tui_put(y, vx, safe, vw);
		return;
	}
	/* the field being edited: the end of its text (where typing goes) and
	 * a cursor; untouched, all of it marked, as a key replaces it */
	tui_safe(safe, sizeof(safe), W.text);
	p = safe;
	while (*p && tui_width(p) > vw - 1) {
		p++;
		while ((*p & 0xc0) == 0x80)
			p++;
	}
	if (W.fresh) {
		tui_put_attr(y, vx, *p ? p : " ", vw, A_REVERSE);
		return;
	}
	w = tui_put(y, vx, p, vw - 1);
	tui_put_attr(y, vx + w, " ", 1, A_REVERSE);
}

/* The options window, over the screen below the first device's header. */
static void draw_options(void)
{
	static const char keys[] =
		"Up/Down: field  Enter/F2: apply  Esc: cancel  F5: save  F6: reload";
	int w = COLS < OPT_W ? COLS : OPT_W, h = NLS_COUNT + OPT_EXTRA, rows, first, x, y, vx;
	attr_t warn = tui_colours() ? COLOR_PAIR(TUI_PAIR_WARN) | A_BOLD : A_BOLD;

	if (h > LINES)
		h = LINES;
	rows = h - OPT_EXTRA;
	x = (COLS - w) / 2;
	y = LINES - h >= 2 ? 2 : LINES - h;
	if (rows < 1 || w < 30) {
		mvhline(0, 0, ' ', COLS);
		tui_put_attr(0, 0, "Please enlarge console for the options (Esc).", COLS, A_BOLD);
		return;
	}
	for (int l = 0; l < h; l++)
		mvhline(y + l, x, ' ', w);
	mvaddch(y, x, '+');
	mvhline(y, x + 1, '-', w - 2);
	mvaddch(y, x + w - 1, '+');
	tui_put_attr(y, x + 2, " Options ", w - 4, A_BOLD);
	for (int l = 1; l < h - 1; l++) {
		mvaddch(y + l, x, '|');
		mvaddch(y + l, x + w - 1, '|');
	}
	mvaddch(y + h - 1, x, '+');
	mvhline(y + h - 1, x + 1, '-', w - 2);
	if (y + h < LINES || x + w < COLS)
		mvaddch(y + h - 1, x + w - 1, '+');
	/* the fields, scrolled to keep the one edited in a short window */
	first = W.field < rows ? 0 : W.field - rows + 1;
	vx = x + 2 + (w - 4 > OPT_LABEL_W + 8 ? OPT_LABEL_W : (w - 4) / 2);
	for (int r = 0; r < rows && first + r < NLS_COUNT; r++)
		draw_field(y + 1 + r, x + 2, vx, x + w - 2 - vx, first + r);
	if (W.msg[0]) {
		char safe[sizeof(W.msg) * 4];

		tui_put_attr(y + h - 3, x + 2, tui_safe(safe, sizeof(safe), W.msg), w - 4, warn);
	} else {
		tui_put(y + h - 3, x + 2, nload_setting_hint(W.field), w - 4);
	}
	tui_put(y + h - 2, x + 2, keys, w - 4);
}

void nload_screen_repaint(void)
{
	clearok(curscr, TRUE);
}

void nload_screen_draw(const struct nload_view *v, const struct ifstats *S, const size_t *shown,
		       size_t n)
{
	tui_follow_size();
	erase();
	if (!n)
		tui_put(0, 0, "No devices to show.", COLS);
	else if (v->set.multiple)
		draw_many(v, S, shown, n);
	else
		draw_one(v, S, &S->v[shown[v->current < n ? v->current : 0]],
			 v->current < n ? v->current : 0, n);
	/* over the first rule, where it hides nothing but '=' */
	if (v->status[0] && LINES > 1) {
		char safe[sizeof(v->status) * 4];
		int w;

		mvhline(1, 0, '=', COLS);
		w = tui_put_attr(1, 2, " ", COLS - 2, A_BOLD);
		w += tui_put_attr(1, 2 + w, tui_safe(safe, sizeof(safe), v->status), COLS - 5,
				  A_BOLD);
		tui_put_attr(1, 2 + w, " ", 1, A_BOLD);
	}
	if (W.open)
		draw_options();
	refresh();
}
