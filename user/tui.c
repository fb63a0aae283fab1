// SPDX-License-Identifier: GPL-2.0
#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <wchar.h>
#include "escape.h"
#include "strbuf.h"
#include "tui.h"

static struct {
	bool open, utf8, colours;
	SCREEN *scr;
	struct strbuf sb;
} T;

int tui_open(char *err, size_t len, const char *hint)
{
	const char *term = getenv("TERM");

	if (T.open)
		return 0;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		snprintf(err, len, "the screen needs a terminal (%s)", hint);
		return -1;
	}
	if (!term || !*term) {
		snprintf(err, len, "TERM is not set");
		return -1;
	}
	setlocale(LC_CTYPE, "");
	T.utf8 = !strcmp(nl_langinfo(CODESET), "UTF-8");
	/* newterm, not initscr: an unknown terminal is an error to report,
	 * not an exit */
	T.scr = newterm(NULL, stdout, stdin);
	if (!T.scr) {
		snprintf(err, len, "cannot use terminal type '%s'", term);
		return -1;
	}
	set_term(T.scr);
	T.open = true;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (has_colors() && start_color() == OK) {
		use_default_colors();
		init_pair(TUI_PAIR_WARN, COLOR_RED, -1);
		init_pair(TUI_PAIR_HEAD, COLOR_CYAN, -1);
		T.colours = true;
	}
	return 0;
}

void tui_close(void)
{
	if (!T.open)
		return;
	T.open = false;
	curs_set(1);
	endwin();
	delscreen(T.scr);
	T.scr = NULL;
	sb_free(&T.sb);
}

bool tui_colours(void)
{
	return T.colours;
}

/* The bytes of the longest prefix of s that takes at most maxw columns;
 * its width in *w. Stops at anything unprintable (escaped text has none). */
size_t tui_fit(const char *s, int maxw, int *w)
{
	size_t i = 0, n = strlen(s), len;
	int used = 0, cw;
	mbstate_t ps;
	wchar_t wc;

	memset(&ps, 0, sizeof(ps));
	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		len = 1;
		cw = 1;
		if (c < 0x20 || c == 0x7f)
			break;
		if (c >= 0x80) {
			if (!T.utf8)
				break;
			len = mbrtowc(&wc, s + i, n - i, &ps);
			if (len == (size_t)-1 || len == (size_t)-2 || len == 0)
				break;
			cw = wcwidth(wc);
			if (cw < 0)
				break;
		}
		if (used + cw > maxw)
			break;
		used += cw;
		i += len;
	}
	if (w)
		*w = used;
	return i;
}

int tui_width(const char *s)
{
	int w;

	tui_fit(s, 1 << 20, &w);
	return w;
}

/* Writes s at (y, x): at most maxw columns, never past the right edge
 * (nor into the bottom-right cell). Returns the columns written. */
int tui_put(int y, int x, const char *s, int maxw)
{
	int right = y == LINES - 1 ? COLS - 1 : COLS, w;
	size_t n;

	if (y < 0 || y >= LINES || x < 0 || x >= right)
		return 0;
	if (maxw > right - x)
		maxw = right - x;
	if (maxw <= 0)
		return 0;
	n = tui_fit(s, maxw, &w);
	if (n)
		mvaddnstr(y, x, s, (int)n);
	return w;
}

int tui_put_attr(int y, int x, const char *s, int maxw, attr_t a)
{
	int w;

	attron(a);
	w = tui_put(y, x, s, maxw);
	attroff(a);
	return w;
}

/* s ending at column xend (as far left as it must go, not past x = 0). */
void tui_put_right(int y, int xend, const char *s, attr_t a)
{
	int w = tui_width(s), x = xend - w;

	if (x < 0)
		x = 0;
	tui_put_attr(y, x, s, xend - x, a);
}

/*
 * s as the terminal may show it: control and invalid bytes as \xNN
 * (escape.h), and outside a UTF-8 locale every byte past ASCII too.
 */
const char *tui_safe(char *out, size_t len, const char *s)
{
	size_t o = 0;

	T.sb.len = 0;
	term_escape_sb(&T.sb, s);
	for (size_t i = 0; i < T.sb.len && o + 1 < len; i++) {
		unsigned char c = (unsigned char)T.sb.p[i];

		if (c < 0x80 || T.utf8) {
			out[o++] = (char)c;
			continue;
		}
		if (o + 5 > len)
			break;
		o += (size_t)snprintf(out + o, len - o, "\\x%02x", c);
	}
	out[o] = '\0';
	return out;
}

/* The terminal's size now: curses learns of a resize only when getch()
 * reads its KEY_RESIZE, and a caller that just redraws on its timer
 * would draw at the old size until a key is pressed. */
void tui_follow_size(void)
{
	struct winsize ws;

	if (!ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) && ws.ws_row && ws.ws_col &&
	    (ws.ws_row != LINES || ws.ws_col != COLS))
		resizeterm(ws.ws_row, ws.ws_col);
}
