// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "keytab.h"
#include "util.h"

/* Four words mixed (splitmix64's finaliser). */
uint64_t keytab_hash(const uint8_t key[KEYTAB_KEY])
{
	uint64_t w[KEYTAB_KEY / 8], h = 0x9e3779b97f4a7c15ull;

	memcpy(w, key, sizeof(w));
	for (size_t i = 0; i < KEYTAB_KEY / 8; i++) {
		h ^= w[i] + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
		h ^= h >> 30;
		h *= 0xbf58476d1ce4e5b9ull;
		h ^= h >> 27;
		h *= 0x94d049bb133111ebull;
		h ^= h >> 31;
	}
	return h;
}

static struct keynode *find(const struct keytab *t, const uint8_t key[KEYTAB_KEY], uint64_t h)
{
	if (!t->nb)
		return NULL;
	for (struct keynode *n = t->b[h & (t->nb - 1)]; n; n = n->next)
		if (n->hash == h && !memcmp(n->key, key, KEYTAB_KEY))
			return n;
	return NULL;
}

struct keynode *keytab_find(const struct keytab *t, const uint8_t key[KEYTAB_KEY])
{
	return find(t, key, keytab_hash(key));
}

/* The nodes moved to nb buckets (a power of two). */
static void rehash(struct keytab *t, size_t nb)
{
	struct keynode **b = xcalloc(nb, sizeof(*b));

	for (size_t i = 0; i < t->nb; i++) {
		for (struct keynode *m = t->b[i], *next; m; m = next) {
			next = m->next;
			m->next = b[m->hash & (nb - 1)];
			b[m->hash & (nb - 1)] = m;
		}
	}
	free(t->b);
	t->b = b;
	t->nb = nb;
}

void keytab_shrink(struct keytab *t)
{
	size_t nb = t->nb;

	while (nb > 64 && t->n < nb / 8)
		nb /= 2;
	if (nb != t->nb)
		rehash(t, nb);
}

static void insert(struct keytab *t, struct keynode *n)
{
	if (t->n + 1 > t->nb * 3 / 4)
		rehash(t, t->nb ? t->nb * 2 : 64);
	n->next = t->b[n->hash & (t->nb - 1)];
	t->b[n->hash & (t->nb - 1)] = n;
	t->n++;
}

void *keytab_get(struct keytab *t, const uint8_t key[KEYTAB_KEY], size_t size, bool *added)
{
	uint64_t h = keytab_hash(key);
	struct keynode *n = find(t, key, h);

	*added = !n;
	if (n)
		return n;
	n = xcalloc(1, size);
	n->hash = h;
	memcpy(n->key, key, KEYTAB_KEY);
	insert(t, n);
	return n;
}

void keytab_remove(struct keytab *t, struct keynode *n)
{
	for (struct keynode **pn = &t->b[n->hash & (t->nb - 1)]; *pn; pn = &(*pn)->next) {
		if (*pn == n) {
			*pn = n->next;
			t->n--;
			return;
		}
	}
}

void keytab_free(struct keytab *t, void (*fini)(struct keynode *n))
{
	for (size_t i = 0; i < t->nb; i++) {
		for (struct keynode *n = t->b[i], *next; n; n = next) {
			next = n->next;
			if (fini)
				fini(n);
			free(n);
		}
	}
	free(t->b);
	t->b = NULL;
	t->nb = t->n = 0;
}
