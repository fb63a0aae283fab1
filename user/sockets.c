// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "sockets.h"
#include "util.h"

struct sock_entry *sock_table_add(struct sock_table *t)
{
	struct sock_entry *e;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	return e;
}

void sock_entry_add_owner(struct sock_entry *e, const struct sock_owner *o)
{
	size_t i = e->nowners;

	e->owners = xrealloc(e->owners, (e->nowners + 1) * sizeof(*o));
	/* few owners per socket: an insertion keeps them ordered */
	while (i > 0 && (e->owners[i - 1].pid > o->pid ||
			 (e->owners[i - 1].pid == o->pid && e->owners[i - 1].fd > o->fd))) {
		e->owners[i] = e->owners[i - 1];
		i--;
	}
	e->owners[i] = *o;
	e->nowners++;
}

void sock_table_free(struct sock_table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].unix_path);
		free(t->v[i].owners);
	}
	free(t->v);
	memset(t, 0, sizeof(*t));
}
