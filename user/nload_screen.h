/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nload's screen: one interface with its incoming and outgoing graphs and
 * Curr/Avg/Min/Max/Ttl, or with -m several without graphs, page by page;
 * over it, on F2, nload's options window. Under the graphs, on p or c, the
 * device's traffic split by process or by cgroup (splitsrc.h), as a table.
 */
#ifndef SOCKTAP_NLOAD_SCREEN_H
#define SOCKTAP_NLOAD_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include "ifsplit.h"
#include "ifstats.h"
#include "nload_config.h"

struct splitsrc;

struct nload_view {
	/* as applied: the units, -m, the graphs' 100% marks, ... */
	struct nload_settings set;
	bool show_netns; /* --all-netns: name each interface's namespace */
	size_t current; /* the device shown (or the first of the page, with -m) */
	char status[256]; /* over the screen until the next key: what F5 or F6 did */
	/* the split's pane (p, c; not with -m): shown, and by what */
	bool split_shown;
	enum split_by split_by;
	/* the caller's split, NULL until loaded; what it counts from (wall clock) */
	const struct splitsrc *split;
	time_t split_since;
	uint64_t split_lost; /* packets it could not count: its table was full */
};

/* What the keys ask of the caller, who owns the timer, the averages and
 * the settings file. */
enum nload_key {
	NLOAD_KEY_NONE,
	NLOAD_KEY_REDRAW,
	NLOAD_KEY_QUIT,
	NLOAD_KEY_APPLY, /* the options window's settings, in *out: apply them */
	NLOAD_KEY_SAVE, /* F5: apply *out (the window's or v->set) and save them */
	NLOAD_KEY_RELOAD, /* F6: read the settings file over v->set and apply it */
	NLOAD_KEY_SPLIT, /* p or c showed the split's pane: load the split if it is not */
};

int nload_screen_open(char *err, size_t len);
void nload_screen_close(void);
/*
 * The devices shown are S's entries whose index is in shown[0..n). Keys
 * move v->current among them (by a page with -m), or with the options
 * window open (F2) edit its copy of v->set: Up and Down move between its
 * fields, Enter or F2 apply, Esc cancels. p shows the split by process, c
 * by cgroup; the same key again, or Esc, hides it (with -m they only say
 * that the split needs one device a screen). Reads the keys typed up to
 * one that asks something of the caller (QUIT, APPLY, SAVE, RELOAD,
 * SPLIT; call again for the rest), else all of them.
 */
enum nload_key nload_screen_keys(struct nload_view *v, size_t n, struct nload_settings *out);
/* A line over the screen until the next key: what F5 or F6 did, why the
 * split did not load. */
void nload_screen_status(struct nload_view *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* The next draw repaints the whole terminal: something else wrote on it. */
void nload_screen_repaint(void);
void nload_screen_draw(const struct nload_view *v, const struct ifstats *S, const size_t *shown,
		       size_t n);

#endif
