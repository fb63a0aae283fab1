// SPDX-License-Identifier: GPL-2.0
/*
 * ss's column layout. The expected strings are what iproute2 6.1's ss
 * printed on this machine for the same sockets (two TCP listeners on
 * 127.0.0.1:5555 and 127.0.0.1:22 in a scratch network namespace):
 * `ss -tln | cat -A` for compact output, and ss on a pseudo-terminal of a
 * set width (TIOCSWINSZ) for the screen layout.
 */
#include <stdlib.h>
#include <string.h>
#include "columns.h"
#include "unit.h"

/* ss -tln's columns (Netid is off with -t); ss 6.1 ends with an empty column. */
enum { T_STATE, T_RECVQ, T_SENDQ, T_ADDR, T_SERV, T_RADDR, T_RSERV, T_PROC, T_EXT, T_MAX };

static void tln_defs(struct cols_def *def)
{
	static const struct cols_def d[T_MAX] = {
		[T_STATE] = { "State", CA_LEFT, "", false },
		[T_RECVQ] = { "Recv-Q", CA_LEFT, " ", false },
		[T_SENDQ] = { "Send-Q", CA_LEFT, " ", false },
		[T_ADDR] = { "Local Address:", CA_RIGHT, " ", false },
		[T_SERV] = { "Port", CA_LEFT, "", false },
		[T_RADDR] = { "Peer Address:", CA_RIGHT, " ", false },
		[T_RSERV] = { "Port", CA_LEFT, "", false },
		[T_PROC] = { "Process", CA_LEFT, "", false },
		[T_EXT] = { "", CA_LEFT, "", false },
	};

	memcpy(def, d, sizeof(d));
}

/* The two listeners, as ss's tokens (queues are "%-6d" inside their column). */
static void tln_rows(struct cols *c)
{
	static const char *const port[] = { "5555", "22" };

	for (int i = 0; i < 2; i++) {
		cols_row(c);
		cols_put(c, T_STATE, "LISTEN");
		cols_put(c, T_RECVQ, "0     ");
		cols_put(c, T_SENDQ, "5     ");
		cols_put(c, T_ADDR, "127.0.0.1:");
		cols_put(c, T_SERV, port[i]);
		cols_put(c, T_RADDR, "0.0.0.0:");
		cols_put(c, T_RSERV, "*");
	}
}

static char *render(struct cols *c, bool header, int screen)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	cols_render(c, f, header, screen);
	fclose(f);
	return buf;
}

/*
 * What a terminal w columns wide shows for s, one '\n' after each screen
 * line: text wraps at the margin, and a newline right after a full line
 * only ends it (the deferred wrap of xterm and the Linux console). ss 6.1
 * writes no newline where its layout wraps and lets the terminal do it,
 * so only what the screen shows can be compared.
 */
static char *on_screen(const char *s, int w)
{
	char *out = malloc(strlen(s) * 2 + 1), *o = out;
	int col = 0;

	if (!out)
		return NULL;
	for (; *s; s++) {
		if (*s == '\n') {
			*o++ = '\n';
			col = 0;
			continue;
		}
		if (col == w) {
			*o++ = '\n';
			col = 0;
		}
		*o++ = *s;
		col++;
	}
	*o = '\0';
	return out;
}

TEST(columns_compact_like_ss_tln)
{
	struct cols_def def[T_MAX];
	struct cols c;
	char *out;

	tln_defs(def);
	cols_init(&c, def, T_MAX);
	tln_rows(&c);
	out = render(&c, true, -1);
	/* `ss -tln | cat -A`: every column with a width is padded, Process too */
	ASSERT_STREQ(out,
		     "State  Recv-Q Send-Q Local Address:Port Peer Address:PortProcess\n"
		     "LISTEN 0      5          127.0.0.1:5555      0.0.0.0:*          \n"
		     "LISTEN 0      5          127.0.0.1:22        0.0.0.0:*          \n",
		     "ss -tln piped");
	free(out);
	/* `ss -tlnH`: without the header, widths come from the rows alone */
	out = render(&c, false, -1);
	ASSERT_STREQ(out,
		     "LISTEN 0      5      127.0.0.1:5555 0.0.0.0:*\n"
		     "LISTEN 0      5      127.0.0.1:22   0.0.0.0:*\n",
		     "ss -tlnH piped");
	free(out);
	cols_free(&c);
	ASSERT_EQ(c.rows, 0, "cols_free empties");
}

TEST(columns_compact_last_visible_unpadded)
{
	struct cols_def def[] = {
		{ "", CA_LEFT, "", false },
		{ "", CA_LEFT, " ", false },
	};
	struct cols c;
	char *out;

	cols_init(&c, def, 2);
	cols_row(&c);
	cols_put(&c, 0, "x");
	cols_put(&c, 1, "long-token");
	cols_row(&c);
	cols_put(&c, 0, "yy");
	cols_put(&c, 1, "s");
	out = render(&c, false, -1);
	ASSERT_STREQ(out, "x  long-token\nyy s\n", "last column not padded");
	free(out);
	cols_free(&c);
}

TEST(columns_disabled_and_right_aligned)
{
	struct cols_def def[] = {
		{ "Net", CA_LEFT, "", false },
		{ "Hidden", CA_LEFT, " ", true },
		{ "Addr:", CA_RIGHT, " ", false },
	};
	struct cols c;
	char *out;

	cols_init(&c, def, 3);
	cols_row(&c);
	cols_put(&c, 0, "tcp");
	cols_put(&c, 1, "A-VERY-LONG-HIDDEN-TOKEN");
	cols_put(&c, 2, "10.0.0.1:");
	cols_row(&c);
	cols_put(&c, 0, "u_str");
	cols_put(&c, 2, "*");
	out = render(&c, true, -1);
	/* widths 5 and 1 + 9; right alignment pads on the left even at the end */
	ASSERT_STREQ(out,
		     "Net       Addr:\n"
		     "tcp   10.0.0.1:\n"
		     "u_str         *\n",
		     "disabled column ignored");
	free(out);
	cols_free(&c);

	/* the first visible column gets no left delimiter, in width or output */
	def[0].disabled = true;
	def[1].disabled = false;
	cols_init(&c, def, 3);
	cols_row(&c);
	cols_put(&c, 1, "ab");
	cols_put(&c, 2, "x:");
	out = render(&c, false, -1);
	ASSERT_STREQ(out, "ab x:\n", "first visible column");
	free(out);
	cols_free(&c);
}

TEST(columns_putf_and_stray_puts)
{
	struct cols_def def[] = {
		{ "H", CA_LEFT, "", false },
		{ "I", CA_LEFT, " ", false },
	};
	struct cols c;
	char *out;

	cols_init(&c, def, 2);
	cols_put(&c, 0, "before any row");
	out = render(&c, true, -1);
	ASSERT_STREQ(out, "H I\n", "header only, no rows");
	free(out);
	cols_reserve(&c, 1, 16);
	ASSERT_TRUE(c.cap >= 1 && c.arena.cap >= 16, "room reserved");
	cols_row(&c);
	cols_put(&c, 0, "abcd");
	cols_put(&c, 1, "5:x");
	cols_put(&c, 7, "out of range");
	cols_row(&c);
	ASSERT_EQ(c.rows, 2, "two rows, past the reserve");
	out = render(&c, true, -1);
	ASSERT_STREQ(out, "H    I\nabcd 5:x\n     \n", "appended, empty row");
	free(out);
	out = render(&c, false, -1);
	ASSERT_STREQ(out, "abcd 5:x\n     \n", "no header");
	free(out);
	cols_free(&c);
}

/* 8 columns: ss -tln's layout without the trailing empty column. */
TEST(columns_screen_spreads_spare_width)
{
	struct cols_def def[T_MAX];
	struct cols c;
	char *out;

	tln_defs(def);
	cols_init(&c, def, T_PROC + 1);
	tln_rows(&c);
	out = render(&c, true, 80);
	/* ss -tln on an 80-column terminal */
	ASSERT_STREQ(
		out,
		"State    Recv-Q   Send-Q     Local Address:Port     Peer Address:Port  Process  \n"
		"LISTEN   0        5              127.0.0.1:5555          0.0.0.0:*              \n"
		"LISTEN   0        5              127.0.0.1:22            0.0.0.0:*              "
		"\n",
		"80 columns");
	free(out);
	cols_free(&c);
}

TEST(columns_screen_wraps_like_ss)
{
	struct cols_def def[T_MAX];
	struct cols c;
	char *out, *scr;

	tln_defs(def);
	cols_init(&c, def, T_PROC + 1);
	tln_rows(&c);
	out = render(&c, true, 30);
	scr = out ? on_screen(out, 30) : NULL;
	/* ss -tln on a 30-column terminal, as the terminal shows it */
	ASSERT_STREQ(scr,
		     "State     Recv-Q    Send-Q    \n"
		     "      Local Address:Port      \n"
		     "  Peer Address:Port  Process  \n"
		     "LISTEN    0         5         \n"
		     "          127.0.0.1:5555      \n"
		     "       0.0.0.0:*              \n"
		     "LISTEN    0         5         \n"
		     "          127.0.0.1:22        \n"
		     "       0.0.0.0:*              \n",
		     "30 columns");
	free(scr);
	free(out);
	cols_free(&c);
}

/* ss -tln's own 9 columns, with the empty one last, as cmd_ss.c lays them out. */
TEST(columns_screen_trailing_empty_column)
{
	struct cols_def def[T_MAX];
	struct cols c;
	char *out, *scr;

	tln_defs(def);
	cols_init(&c, def, T_MAX);
	tln_rows(&c);
	out = render(&c, true, 80);
	ASSERT_OK_PTR(out, "rendered");
	ASSERT_STREQ(
		out,
		"State    Recv-Q   Send-Q     Local Address:Port     Peer Address:Port  Process  \n"
		"LISTEN   0        5              127.0.0.1:5555          0.0.0.0:*              \n"
		"LISTEN   0        5              127.0.0.1:22            0.0.0.0:*              "
		"\n",
		"80 columns, no blank lines");
	free(out);
	out = render(&c, true, 30);
	scr = out ? on_screen(out, 30) : NULL;
	ASSERT_OK_PTR(scr, "rendered at 30");
	ASSERT_STREQ(scr,
		     "State     Recv-Q    Send-Q    \n"
		     "      Local Address:Port      \n"
		     "  Peer Address:Port  Process  \n"
		     "LISTEN    0         5         \n"
		     "          127.0.0.1:5555      \n"
		     "       0.0.0.0:*              \n"
		     "LISTEN    0         5         \n"
		     "          127.0.0.1:22        \n"
		     "       0.0.0.0:*              \n",
		     "30 columns, no blank lines");
	free(scr);
	free(out);
	cols_free(&c);
}

TEST(columns_screen_wrapped_line_keeps_delimiter)
{
	struct cols_def def[] = {
		{ "", CA_LEFT, "", false },
		{ "", CA_LEFT, " ", false },
		{ "", CA_LEFT, " ", false },
	};
	struct cols c;
	char *out, *scr;

	cols_init(&c, def, 3);
	cols_row(&c);
	cols_put(&c, 0, "aaaa");
	cols_put(&c, 1, "bbbb");
	cols_put(&c, 2, "cccc");
	out = render(&c, false, 10);
	scr = out ? on_screen(out, 10) : NULL;
	/* widths 4, 5, 5 on 10 columns: a and b (one spare column to b), then c */
	ASSERT_TRUE(scr && !strncmp(scr, "aaaa bbbb \n", 11), "first screen line");
	/* ss writes " cccc     " (ss -tln on 12 columns: " Recv-Q     "); we get "cccc      " */
	ASSERT_STREQ(scr, "aaaa bbbb \n cccc     \n", "second screen line");
	free(scr);
	free(out);
	cols_free(&c);
}
