/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The terminal for the screens (top, nload): curses set up and torn down,
 * and text that reaches it escaped, measured in columns and clipped to the
 * room it has, so a narrow terminal gets less, never garbage. The only
 * code besides the screens themselves that includes curses.
 */
#ifndef SOCKTAP_TUI_H
#define SOCKTAP_TUI_H

#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

enum { TUI_PAIR_WARN = 1, TUI_PAIR_HEAD };

/* Takes the terminal (stdin and stdout must be one); hint ends the error
 * when they are not ("use -b for batch output"). 0, or -1 with err. */
int tui_open(char *err, size_t len, const char *hint);
void tui_close(void);
bool tui_colours(void);
/* Follows a resize even when no key was read since (curses learns of it
 * only through getch). */
void tui_follow_size(void);

/* The bytes of the longest prefix of s that takes at most maxw columns;
 * its width in *w. Stops at anything unprintable (escaped text has none). */
size_t tui_fit(const char *s, int maxw, int *w);
int tui_width(const char *s);
/* s at (y, x): at most maxw columns, never past the right edge (nor into
 * the bottom-right cell). Returns the columns written. */
int tui_put(int y, int x, const char *s, int maxw);
int tui_put_attr(int y, int x, const char *s, int maxw, attr_t a);
/* s ending at column xend (as far left as it must go, not past x = 0). */
void tui_put_right(int y, int xend, const char *s, attr_t a);
/* s as the terminal may show it: control and invalid bytes as \xNN
 * (escape.h), and outside a UTF-8 locale every byte past ASCII too. */
const char *tui_safe(char *out, size_t len, const char *s);

#endif
