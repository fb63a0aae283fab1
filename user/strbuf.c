// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "format.h"
#include "strbuf.h"
#include "util.h"

#define SB_KEEP_MAX (1u << 20)

void sb_grow(struct strbuf *sb, size_t n)
{
	while (sb->len + n > sb->cap)
		sb->cap = sb->cap ? sb->cap * 2 : 4096;
	sb->p = xrealloc(sb->p, sb->cap);
}

void sb_u64(struct strbuf *sb, uint64_t v)
{
	sb_reserve(sb, 20);
	sb->len += fmt_u64(sb->p + sb->len, v);
}

int sb_flush_to(struct strbuf *sb, FILE *f)
{
	size_t n = sb->len;
	int ret = n && fwrite(sb->p, 1, n, f) != n ? -1 : 0;

	sb->len = 0;
	/* a long-running view's one big line (a churn's thousand rows) is
	 * not kept for the smaller ones after it; a buffer the lines still
	 * fill a quarter of is (freeing a steady 3 MB line's every refresh
	 * costs its pages again each time, and the peak RSS) */
	if (sb->cap > SB_KEEP_MAX && n < sb->cap / 4)
		sb_free(sb);
	return ret;
}

void sb_free(struct strbuf *sb)
{
	free(sb->p);
	sb->p = NULL;
	sb->len = sb->cap = 0;
}
