/* SPDX-License-Identifier: GPL-2.0 */
/*
 * top's interactive screen (the only curses code in socktap): iftop's
 * look for connections (host pairs, => sent and <= received on two lines,
 * the 2 s, 10 s and 40 s averages, bars on a log scale, the TX, RX and
 * TOTAL footer), nethogs's for processes (PID USER PROGRAM), the same
 * columns for remote hosts and cgroups; the peak and the cumulative bytes
 * in every grouping, socktap's own cost on the last line.
 *
 * The caller owns the loop: it polls stdin, its timer and the ring buffer,
 * calls top_screen_keys() when stdin is readable (and after EINTR: curses
 * turns SIGWINCH into a KEY_RESIZE read there), and top_screen_draw()
 * after each refresh and after keys. Nothing here blocks: host names come
 * from dns_async.h.
 */
#ifndef SOCKTAP_TOP_SCREEN_H
#define SOCKTAP_TOP_SCREEN_H

#include <stddef.h>
#include "flows.h"
#include "top_view.h"

/*
 * Takes the terminal (cbreak, not raw: Ctrl-C still sends SIGINT; noecho,
 * keypad, nodelay, no cursor, colours if any). 0, or -1 with err set
 * (stdin or stdout not a terminal, an unknown TERM).
 */
int top_screen_open(char *err, size_t len);
/* Restores the terminal and stops the name lookups; safe to call twice,
 * and from the exit path. */
void top_screen_close(void);

enum top_key {
	TOP_KEY_NONE, /* nothing waiting, or nothing that changes the screen */
	TOP_KEY_REDRAW, /* v changed or the terminal resized: draw again */
	TOP_KEY_QUIT, /* q */
	/* Enter on the filter prompt: v->filter changed (v->filter_error
	 * emptied); the caller parses it and sets v->filter_error if it is
	 * refused. The keys after Enter wait for the next call. */
	TOP_KEY_FILTER,
};

/* Reads every key waiting on stdin (never waits) and applies them to v. */
enum top_key top_screen_keys(struct top_view *v);

/*
 * Draws the screen from F (rows of v->group sorted by v->sort), or, while
 * v->paused, from the rows it copied when the pause began (a new grouping
 * or sort while paused copies again). Clamps v->scroll. st may be NULL.
 */
void top_screen_draw(struct top_view *v, struct flows *F, const struct top_status *st);

#endif
