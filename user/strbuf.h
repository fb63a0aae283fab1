/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable byte buffer. Output built in memory and written in one call
 * costs a fraction of many small stdio calls, which matters for event
 * streams.
 */
#ifndef SOCKTAP_STRBUF_H
#define SOCKTAP_STRBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct strbuf {
	char *p;
	size_t len, cap;
};

/*
 * n bytes from s to d: up to 16 as at most two overlapping moves (within
 * s's n bytes), where a call to memcpy would cost more than the copy. The
 * short copies are most of what JSON keys and table cells are.
 */
static inline void copy_short(char *d, const char *s, size_t n)
{
	uint64_t a, b;
	uint32_t x, y;

	if (n >= 8 && n <= 16) {
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4 && n < 8) {
		memcpy(&x, s, 4);
		memcpy(&y, s + n - 4, 4);
		memcpy(d, &x, 4);
		memcpy(d + n - 4, &y, 4);
	} else if (n < 4) {
		for (size_t i = 0; i < n; i++)
			d[i] = s[i];
	} else {
		memcpy(d, s, n);
	}
}

/* n blanks at d, and where they end: padding is mostly short, so no call for up to 16. */
static inline char *fill_blanks(char *d, size_t n)
{
	static const char blank[16] = "                ";

	if (n > 16)
		memset(d, ' ', n);
	else
		copy_short(d, blank, n);
	return d + n;
}

/* Grows the buffer to hold n more bytes. */
void sb_grow(struct strbuf *sb, size_t n);

/* Makes room for n more bytes: the caller may then write them at p + len. */
static inline void sb_reserve(struct strbuf *sb, size_t n)
{
	if (sb->len + n > sb->cap)
		sb_grow(sb, n);
}

/* Inline: event streams append a few bytes at a time, millions of times. */
static inline void sb_put(struct strbuf *sb, const void *s, size_t n)
{
	/* nothing: an empty buffer may have no storage, and memcpy(NULL, ., 0) is undefined */
	if (!n)
		return;
	if (sb->len + n > sb->cap)
		sb_grow(sb, n);
	/* most pieces are short: no call for them */
	copy_short(sb->p + sb->len, s, n);
	sb->len += n;
}

static inline void sb_puts(struct strbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

/* n blanks (padding to a column's width). */
static inline void sb_blanks(struct strbuf *sb, size_t n)
{
	sb_reserve(sb, n);
	fill_blanks(sb->p + sb->len, n);
	sb->len += n;
}

static inline void sb_putc(struct strbuf *sb, char c)
{
	if (sb->len + 1 > sb->cap)
		sb_grow(sb, 1);
	sb->p[sb->len++] = c;
}

void sb_u64(struct strbuf *sb, uint64_t v);
/* Writes the buffer to f and empties it; -1 on a write error. */
int sb_flush_to(struct strbuf *sb, FILE *f);
void sb_free(struct strbuf *sb);

#endif
