/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A chained hash table of nodes with fixed 32-byte keys, for the views'
 * bookkeeping (flows.c, ifsplit.c): a node is the first member of the
 * caller's entry, which the table allocates zeroed. Callers may walk the
 * buckets (b[0..nb)) and unlink nodes themselves (then n--).
 */
#ifndef SOCKTAP_KEYTAB_H
#define SOCKTAP_KEYTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEYTAB_KEY 32

struct keynode {
	struct keynode *next;
	uint64_t hash;
	uint8_t key[KEYTAB_KEY];
};

struct keytab {
	struct keynode **b;
	size_t nb, n;
};

uint64_t keytab_hash(const uint8_t key[KEYTAB_KEY]);
/* The node of key, or NULL. */
struct keynode *keytab_find(const struct keytab *t, const uint8_t key[KEYTAB_KEY]);
/* Looks up key, or adds a zeroed entry of size bytes (added says which). */
void *keytab_get(struct keytab *t, const uint8_t key[KEYTAB_KEY], size_t size, bool *added);
/* Unlinks node n (not freed). */
void keytab_remove(struct keytab *t, struct keynode *n);
/* Fewer buckets once most entries are gone (not while a walk unlinks). */
void keytab_shrink(struct keytab *t);
/* Frees every entry (each through fini first, if given) and the buckets. */
void keytab_free(struct keytab *t, void (*fini)(struct keynode *n));

#endif
