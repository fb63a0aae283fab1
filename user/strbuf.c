// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "strbuf.h"
#include "util.h"

void sb_grow(struct strbuf *sb, size_t n)
{
	while (sb->len + n > sb->cap)
		sb->cap = sb->cap ? sb->cap * 2 : 4096;
	sb->p = xrealloc(sb->p, sb->cap);
}

void sb_u64(struct strbuf *sb, uint64_t v)
{
	/* two digits per division: counters and timestamps are long */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	char buf[20];
	int i = sizeof(buf);

	while (v >= 100) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		buf[--i] = pairs[r * 2 + 1];
		buf[--i] = pairs[r * 2];
	}
	if (v >= 10) {
		buf[--i] = pairs[v * 2 + 1];
		buf[--i] = pairs[v * 2];
	} else {
		buf[--i] = (char)('0' + v);
	}
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
