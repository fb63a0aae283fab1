/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nload's screen: one interface with its incoming and outgoing graphs and
 * Curr/Avg/Min/Max/Ttl, or with -m several without graphs, page by page.
 */
#ifndef SOCKTAP_NLOAD_SCREEN_H
#define SOCKTAP_NLOAD_SCREEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "ifstats.h"

struct nload_view {
	char rate_unit, total_unit; /* nload's -u and -U letters */
	bool multiple; /* -m */
	uint64_t in_max, out_max; /* the graphs' 100% mark in kbit/s; 0: automatic */
	bool show_netns; /* --all-netns: name each interface's namespace */
	size_t current; /* the device shown (or the first of the page, with -m) */
};

enum nload_key {
	NLOAD_KEY_NONE,
	NLOAD_KEY_REDRAW,
	NLOAD_KEY_QUIT,
};

int nload_screen_open(char *err, size_t len);
void nload_screen_close(void);
/*
 * The devices shown are S's entries whose index is in shown[0..n). Keys
 * move v->current among them (by a page with -m).
 */
enum nload_key nload_screen_keys(struct nload_view *v, size_t n);
void nload_screen_draw(const struct nload_view *v, const struct ifstats *S, const size_t *shown,
		       size_t n);

#endif
