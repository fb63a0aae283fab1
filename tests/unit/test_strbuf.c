// SPDX-License-Identifier: GPL-2.0
/* strbuf: what a flush keeps of a big buffer. */
#include <stdio.h>
#include <string.h>
#include "strbuf.h"
#include "unit.h"

static void fill(struct strbuf *sb, size_t n)
{
	sb_reserve(sb, n);
	memset(sb->p + sb->len, 'x', n);
	sb->len += n;
}

/* top --json's steady 3 MB line keeps its buffer from refresh to refresh */
TEST(strbuf_flush_keeps_steady_big_line)
{
	struct strbuf sb = { 0 };
	FILE *null = fopen("/dev/null", "w");
	char *p;

	if (!ASSERT_TRUE(null != NULL, "open /dev/null"))
		return;
	fill(&sb, 3u << 20);
	p = sb.p;
	ASSERT_OK(sb_flush_to(&sb, null), "flush");
	ASSERT_TRUE(sb.p == p, "kept after a line that filled it");
	ASSERT_EQ(sb.len, 0, "emptied");
	fill(&sb, 3u << 20);
	ASSERT_TRUE(sb.p == p, "the next line reuses it");
	ASSERT_OK(sb_flush_to(&sb, null), "flush again");
	sb_free(&sb);
	fclose(null);
}

/* a burst's 40 MB buffer goes once the lines are small again */
TEST(strbuf_flush_frees_after_burst)
{
	struct strbuf sb = { 0 };
	FILE *null = fopen("/dev/null", "w");

	if (!ASSERT_TRUE(null != NULL, "open /dev/null"))
		return;
	fill(&sb, 40u << 20);
	ASSERT_OK(sb_flush_to(&sb, null), "flush the burst");
	ASSERT_GE(sb.cap, 40u << 20, "the burst's line kept its buffer");
	fill(&sb, 1000);
	ASSERT_OK(sb_flush_to(&sb, null), "flush a small line");
	ASSERT_TRUE(sb.p == NULL, "freed after a line far smaller");
	ASSERT_EQ(sb.cap, 0, "no capacity left");
	/* small buffers stay whatever was written */
	fill(&sb, 10);
	ASSERT_OK(sb_flush_to(&sb, null), "flush a tiny line");
	ASSERT_TRUE(sb.p != NULL, "a small buffer is kept");
	sb_free(&sb);
	fclose(null);
}
