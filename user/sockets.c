// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "sockets.h"
#include "util.h"

const char *sock_kind_proto(enum sock_kind k)
{
	switch (k) {
	case SK_TCP:
		return "tcp";
	case SK_UDP:
		return "udp";
	case SK_RAW:
		return "raw";
	case SK_NETLINK:
		return "netlink";
	case SK_PACKET_RAW:
	case SK_PACKET_DGRAM:
		return "packet";
	default:
		return "unix";
	}
}

void sock_table_reserve(struct sock_table *t, size_t n)
{
	if (t->n + n <= t->cap)
		return;
	t->cap = t->n + n;
	t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
}

struct sock_entry *sock_table_add(struct sock_table *t)
{
	struct sock_entry *e;

	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 256;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	e = &t->v[t->n++];
	memset(e, 0, sizeof(*e));
	if (t->settle && !(t->n % SOCK_TABLE_SETTLE_EVERY))
		t->settle(t->settle_arg, t);
	return e;
}

struct sock_tcpinfo *sock_entry_tcpinfo(struct sock_entry *e)
{
	if (!e->tcpi)
		e->tcpi = xcalloc(1, sizeof(*e->tcpi));
	return e->tcpi;
}

struct sock_owner_block {
	struct sock_owner_block *next;
	size_t used, cap;
	struct sock_owner v[];
};

/* Room for n owners among t's: a bump of the newest block, or a new one. */
static struct sock_owner *owners_alloc(struct sock_table *t, size_t n)
{
	struct sock_owner_block *b = t->owner_blocks;

	if (!b || b->cap - b->used < n) {
		size_t cap = n > 4096 ? n : 4096;

		b = xmalloc(sizeof(*b) + cap * sizeof(b->v[0]));
		b->used = 0;
		b->cap = cap;
		b->next = t->owner_blocks;
		t->owner_blocks = b;
	}
	b->used += n;
	return b->v + b->used - n;
}

void sock_entry_add_owner(struct sock_table *t, struct sock_entry *e, const struct sock_owner *o)
{
	size_t i = e->nowners;

	/* grown at powers of two; the outgrown slice stays in its block */
	if (!(i & (i - 1))) {
		struct sock_owner *v = owners_alloc(t, i ? 2 * i : 1);

		if (i)
			memcpy(v, e->owners, i * sizeof(*v));
		e->owners = v;
	}
	/* few owners per socket: an insertion keeps them ordered */
	while (i > 0 && (e->owners[i - 1].pid > o->pid ||
			 (e->owners[i - 1].pid == o->pid && e->owners[i - 1].fd > o->fd))) {
		e->owners[i] = e->owners[i - 1];
		i--;
	}
	e->owners[i] = *o;
	e->nowners++;
}

void sock_table_truncate(struct sock_table *t, size_t n)
{
	for (size_t i = n; i < t->n; i++) {
		free(t->v[i].unix_path);
		free(t->v[i].unix_icons);
		free(t->v[i].link);
		free(t->v[i].tcpi);
	}
	if (n < t->n)
		t->n = n;
	if (t->settled > t->n)
		t->settled = t->n;
}

void sock_table_free(struct sock_table *t)
{
	sock_table_truncate(t, 0);
	free(t->v);
	while (t->owner_blocks) {
		struct sock_owner_block *next = t->owner_blocks->next;

		free(t->owner_blocks);
		t->owner_blocks = next;
	}
	memset(t, 0, sizeof(*t));
}

void sock_index_init(struct sock_index *ix, size_t n)
{
	size_t slots = 64;

	/* half full at most: probes stay short */
	while (slots < n * 2)
		slots *= 2;
	ix->mask = slots - 1;
	ix->used = 0;
	ix->keys = xcalloc(slots, sizeof(*ix->keys));
	ix->idx = xcalloc(slots, sizeof(*ix->idx));
}

static void index_slot(struct sock_index *ix, uint64_t ino, size_t i)
{
	size_t h = sock_inode_slot(ix->keys, ix->mask, ino);

	ix->used += !ix->keys[h];
	ix->keys[h] = ino;
	ix->idx[h] = i;
}

/* Twice the slots, every key moved over: half full at most again. */
static void index_grow(struct sock_index *ix)
{
	struct sock_index old = *ix;

	sock_index_init(ix, old.mask + 1);
	for (size_t h = 0; h <= old.mask; h++)
		if (old.keys[h])
			index_slot(ix, old.keys[h], old.idx[h]);
	sock_index_free(&old);
}

void sock_index_put(struct sock_index *ix, const struct sock_table *t, size_t i)
{
	uint64_t ino = t->v[i].inode;

	if (!ino)
		return;
	if ((ix->used + 1) * 2 > ix->mask + 1)
		index_grow(ix);
	index_slot(ix, ino, i);
}

void sock_index_build(struct sock_index *ix, const struct sock_table *t)
{
	sock_index_init(ix, t->n);
	for (size_t i = 0; i < t->n; i++)
		sock_index_put(ix, t, i);
}

struct sock_entry *sock_index_find(const struct sock_index *ix, struct sock_table *t, uint64_t ino)
{
	size_t h;

	if (!ino || !ix->keys)
		return NULL;
	h = sock_inode_slot(ix->keys, ix->mask, ino);
	return ix->keys[h] ? &t->v[ix->idx[h]] : NULL;
}

void sock_index_free(struct sock_index *ix)
{
	free(ix->keys);
	free(ix->idx);
	memset(ix, 0, sizeof(*ix));
}
