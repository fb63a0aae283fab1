// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"
#include "util.h"

static void sb_reserve(struct strbuf *sb, size_t n)
{
	if (sb->len + n <= sb->cap)
		return;
	while (sb->len + n > sb->cap)
		sb->cap = sb->cap ? sb->cap * 2 : 4096;
	sb->p = xrealloc(sb->p, sb->cap);
}

void sb_put(struct strbuf *sb, const void *s, size_t n)
{
	sb_reserve(sb, n);
	memcpy(sb->p + sb->len, s, n);
	sb->len += n;
}

void sb_puts(struct strbuf *sb, const char *s)
{
	sb_put(sb, s, strlen(s));
}

void sb_putc(struct strbuf *sb, char c)
{
	sb_reserve(sb, 1);
	sb->p[sb->len++] = c;
}

void sb_u64(struct strbuf *sb, uint64_t v)
{
	char buf[20];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	sb_put(sb, buf + i, sizeof(buf) - (size_t)i);
}

int sb_flush_to(struct strbuf *sb, FILE *f)
{
	size_t n = sb->len;

	sb->len = 0;
	return n && fwrite(sb->p, 1, n, f) != n ? -1 : 0;
}

void sb_free(struct strbuf *sb)
{
	free(sb->p);
	sb->p = NULL;
	sb->len = sb->cap = 0;
}
