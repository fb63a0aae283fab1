// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include "print.h"
#include "unit.h"

#define NCOLS(a) (sizeof(a) / sizeof((a)[0]))

/* The printing layer on a memory stream. */
struct cap {
	char *buf;
	size_t len;
	FILE *f;
};

static bool cap_begin(struct cap *c, bool json)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!ASSERT_OK_PTR(c->f, "open_memstream"))
		return false;
	print_init(c->f, json);
	ASSERT_EQ(print_is_json(), json, "print_is_json");
	return true;
}

/* Ends printing; returns the output (to free). */
static char *cap_end(struct cap *c)
{
	ASSERT_OK(print_fini(), "print_fini");
	fclose(c->f);
	return c->buf;
}

static const struct print_col watch_cols[] = {
	{ "netns", "NETNS", COL_RIGHT, 0 },
	{ "from", "FROM", COL_LEFT, 0 },
	{ "count", "COUNT", COL_RIGHT, 0 },
	{ "comm", "COMM", COL_LEFT, 0 },
};

static void watch_rows(void)
{
	print_table_begin("watch", watch_cols, NCOLS(watch_cols), 0);
	print_row_begin();
	print_u64(PRINT_ANY, "netns", 4026531840u);
	print_str(PRINT_ANY, "from", "ESTAB");
	print_u64(PRINT_ANY, "count", 7);
	print_str(PRINT_ANY, "comm", "curl");
	print_str(PRINT_ANY, "nocol", "zzz");
	print_u64(PRINT_JSON, "json_only", 999);
	print_row_end();
	print_row_begin();
	print_u64(PRINT_ANY, "netns", 1);
	print_str(PRINT_ANY, "from", "SYN-SENT");
	print_u64(PRINT_ANY, "count", 12345);
	print_str(PRINT_ANY, "comm", "sshd: root");
	print_row_end();
	print_table_end();
}

TEST(print_text_table)
{
	struct cap c;
	char *out;

	if (!cap_begin(&c, false))
		return;
	watch_rows();
	out = cap_end(&c);
	/* right columns padded on the left; the last column never padded */
	ASSERT_STREQ(out,
		     "     NETNS"
		     "  "
		     "FROM    "
		     "  "
		     "COUNT"
		     "  "
		     "COMM\n"
		     "4026531840"
		     "  "
		     "ESTAB   "
		     "  "
		     "    7"
		     "  "
		     "curl\n"
		     "         1"
		     "  "
		     "SYN-SENT"
		     "  "
		     "12345"
		     "  "
		     "sshd: root\n",
		     "aligned table");
	free(out);
}

TEST(print_json_table)
{
	struct cap c;
	char *out;

	if (!cap_begin(&c, true))
		return;
	print_doc_begin();
	watch_rows();
	print_doc_end();
	out = cap_end(&c);
	/* every field is in JSON, column or not; nothing from PRINT_FP */
	ASSERT_STREQ(out,
		     "{\"watch\":["
		     "{\"netns\":4026531840,\"from\":\"ESTAB\",\"count\":7,\"comm\":\"curl\","
		     "\"nocol\":\"zzz\",\"json_only\":999},"
		     "{\"netns\":1,\"from\":\"SYN-SENT\",\"count\":12345,\"comm\":\"sshd: root\"}"
		     "]}\n",
		     "doc with a table");
	free(out);
}

TEST(print_text_last_column_right)
{
	static const struct print_col cols[] = {
		{ "name", "NAME", COL_LEFT, 0 },
		{ "count", "COUNT", COL_RIGHT, 0 },
	};
	struct cap c;
	char *out;

	if (!cap_begin(&c, false))
		return;
	print_table_begin("t", cols, NCOLS(cols), 0);
	print_row_begin();
	print_str(PRINT_ANY, "name", "a");
	print_u64(PRINT_ANY, "count", 7);
	print_row_end();
	print_row_begin();
	print_str(PRINT_ANY, "name", "longer");
	print_s64(PRINT_ANY, "count", -1234);
	print_row_end();
	print_table_end();
	out = cap_end(&c);
	ASSERT_STREQ(out,
		     "NAME  "
		     "  "
		     "COUNT\n"
		     "a     "
		     "  "
		     "    7\n"
		     "longer"
		     "  "
		     "-1234\n",
		     "right-aligned last column");
	free(out);
}

TEST(print_text_no_trailing_blanks)
{
	static const struct print_col cols[] = {
		{ "name", "NAME", COL_LEFT, 6 },
		{ "tx", "TX", COL_RIGHT, 6 },
		{ "info", "INFO", COL_LEFT, 0 },
	};
	struct cap c;
	char *out;

	if (!cap_begin(&c, false))
		return;
	print_table_begin(NULL, cols, NCOLS(cols), TBL_STREAM | TBL_NOHEADER);
	print_row_begin();
	print_str(PRINT_ANY, "name", "listen");
	print_row_end();
	print_row_begin();
	print_str(PRINT_ANY, "name", "close");
	print_u64(PRINT_ANY, "tx", 100);
	print_row_end();
	print_table_end();
	out = cap_end(&c);
	/* empty trailing cells, left- or right-aligned, leave no blanks */
	ASSERT_STREQ(out,
		     "listen\n"
		     "close "
		     "  "
		     "   100\n",
		     "trailing empty cells");
	free(out);
}

TEST(print_text_widths_and_noheader)
{
	static const struct print_col cols[] = {
		{ "id", "ID", COL_RIGHT, 4 },
		{ "name", "NAME", COL_LEFT, 0 },
	};
	static const struct print_col nh_cols[] = {
		{ "a", "ALPHA", COL_LEFT, 0 },
		{ "b", "BETA", COL_RIGHT, 0 },
	};
	struct cap c;
	char *out;

	if (!cap_begin(&c, false))
		return;
	/* minimum width; bool and null cells */
	print_table_begin("t", cols, NCOLS(cols), 0);
	print_row_begin();
	print_u64(PRINT_ANY, "id", 1);
	print_bool(PRINT_ANY, "name", true);
	print_row_end();
	print_row_begin();
	print_null(PRINT_ANY, "id");
	print_bool(PRINT_ANY, "name", false);
	print_row_end();
	print_table_end();
	/* without a header, headers do not widen columns */
	print_table_begin("nh", nh_cols, NCOLS(nh_cols), TBL_NOHEADER);
	print_row_begin();
	print_str(PRINT_ANY, "a", "x");
	print_u64(PRINT_ANY, "b", 1);
	print_row_end();
	print_row_begin();
	print_strf(PRINT_ANY, "a", "%c%c", 'y', 'y');
	print_u64(PRINT_ANY, "b", 100);
	print_row_end();
	print_table_end();
	/* an empty table is its header */
	print_table_begin("e", cols, NCOLS(cols), 0);
	print_table_end();
	out = cap_end(&c);
	ASSERT_STREQ(out,
		     "  ID"
		     "  "
		     "NAME\n"
		     "   1"
		     "  "
		     "yes\n"
		     "   -"
		     "  "
		     "no\n"
		     "x "
		     "  "
		     "  1\n"
		     "yy"
		     "  "
		     "100\n"
		     "  ID"
		     "  "
		     "NAME\n",
		     "widths");
	free(out);
}

TEST(print_text_escapes_cells)
{
	static const struct print_col cols[] = {
		{ "comm", "COMM", COL_LEFT, 0 },
		{ "pid", "PID", COL_RIGHT, 0 },
	};
	struct cap c;
	char *out;

	if (!cap_begin(&c, false))
		return;
	print_table_begin("t", cols, NCOLS(cols), 0);
	print_row_begin();
	print_str(PRINT_ANY, "comm", "a\x1b[2Jb\\");
	print_u64(PRINT_ANY, "pid", 1);
	print_row_end();
	print_row_begin();
	print_str(PRINT_ANY, "comm", "caf\xc3\xa9");
	print_u64(PRINT_ANY, "pid", 22);
	print_row_end();
	print_row_begin();
	print_str(PRINT_ANY, "comm",
		  "\xc2\x9b"
		  "1\xff");
	print_u64(PRINT_ANY, "pid", 333);
	print_row_end();
	print_table_end();
	out = cap_end(&c);
	/* escaped cells are measured as printed; UTF-8 counts per code point */
	ASSERT_STREQ(out,
		     "COMM         "
		     "  "
		     "PID\n"
		     "a\\x1b[2Jb\\\\"
		     "  "
		     "  "
		     "  1\n"
		     "caf\xc3\xa9"
		     "         "
		     "  "
		     " 22\n"
		     "\\xc2\\x9b1\\xff"
		     "  "
		     "333\n",
		     "escaped table");
	free(out);
}

static const struct print_col sys_cols[] = {
	{ "kernel", "kernel", COL_LEFT, 0 },
	{ "btf", "BTF", COL_LEFT, 0 },
	{ "caps", "capabilities", COL_LEFT, 0 },
	{ "unused", "unused", COL_LEFT, 0 },
};

static const struct print_col counter_cols[] = {
	{ "transitions", "transitions", COL_LEFT, 0 },
	{ "lost", "lost (map full)", COL_LEFT, 0 },
};

/* A document as `doctor` writes one: vertical tables, nested JSON values. */
static void doctor_like(void)
{
	print_doc_begin();
	print_bool(PRINT_JSON, "ok", true);
	print_table_begin(NULL, sys_cols, NCOLS(sys_cols), TBL_VERTICAL);
	print_row_begin();
	print_strf(PRINT_FP, "kernel", "%s (%s)", "6.1.0", "x86_64");
	print_obj_begin("kernel");
	print_str(PRINT_JSON, "release", "6.1.0");
	print_str(PRINT_JSON, "machine", "x86_64");
	print_obj_end();
	print_str(PRINT_FP, "btf", "yes");
	print_bool(PRINT_JSON, "btf", true);
	print_arr_begin("caps");
	print_str(PRINT_JSON, NULL, "CAP_BPF");
	print_str(PRINT_JSON, NULL, "CAP_PERFMON");
	print_arr_end();
	print_null(PRINT_FP, "caps");
	print_row_end();
	print_table_end();
	print_table_begin("counters", counter_cols, NCOLS(counter_cols), TBL_VERTICAL);
	print_row_begin();
	print_u64(PRINT_ANY, "transitions", 5);
	print_u64(PRINT_ANY, "lost", 0);
	print_row_end();
	print_table_end();
	print_s64(PRINT_JSON, "neg", -3);
	print_doc_end();
}

TEST(print_text_vertical)
{
	struct cap c;
	char *out;

	if (!cap_begin(&c, false))
		return;
	doctor_like();
	out = cap_end(&c);
	/* labels padded to the longest; fields without a value skipped */
	ASSERT_STREQ(out,
		     "kernel:      "
		     "  "
		     "6.1.0 (x86_64)\n"
		     "BTF:         "
		     "  "
		     "yes\n"
		     "capabilities:"
		     "  "
		     "-\n"
		     "transitions:    "
		     "  "
		     "5\n"
		     "lost (map full):"
		     "  "
		     "0\n",
		     "vertical records");
	free(out);
}

TEST(print_json_vertical)
{
	struct cap c;
	char *out;

	if (!cap_begin(&c, true))
		return;
	doctor_like();
	out = cap_end(&c);
	/* key NULL: merged into the document; with a key: a nested object */
	ASSERT_STREQ(out,
		     "{\"ok\":true,"
		     "\"kernel\":{\"release\":\"6.1.0\",\"machine\":\"x86_64\"},\"btf\":true,"
		     "\"caps\":[\"CAP_BPF\",\"CAP_PERFMON\"],"
		     "\"counters\":{\"transitions\":5,\"lost\":0},"
		     "\"neg\":-3}\n",
		     "vertical JSON");
	free(out);
}

static const struct print_col event_cols[] = {
	{ "time", "TIME", COL_LEFT, 8 },
	{ "comm", "COMM", COL_LEFT, 6 },
	{ "pid", "PID", COL_RIGHT, 6 },
	{ "state", "STATE", COL_LEFT, 0 },
};

static void event_row(const char *time, const char *comm, uint64_t pid, const char *state)
{
	print_row_begin();
	print_str(PRINT_ANY, "time", time);
	print_str(PRINT_ANY, "comm", comm);
	print_u64(PRINT_ANY, "pid", pid);
	print_str(PRINT_FP, "state", state);
	print_row_end();
}

#define EV_HEADER                                                                                  \
	"TIME    "                                                                                 \
	"  "                                                                                       \
	"COMM  "                                                                                   \
	"  "                                                                                       \
	"   PID"                                                                                   \
	"  "                                                                                       \
	"STATE\n"
#define EV_ROW1                                                                                    \
	"12:00:01"                                                                                 \
	"  "                                                                                       \
	"curl  "                                                                                   \
	"  "                                                                                       \
	"    42"                                                                                   \
	"  "                                                                                       \
	"ESTAB\n"
#define EV_ROW2                                                                                    \
	"12:00:02"                                                                                 \
	"  "                                                                                       \
	"systemd-resolved"                                                                         \
	"  "                                                                                       \
	"123456"                                                                                   \
	"  "                                                                                       \
	"SYN-SENT\n"
#define EV_ROW3                                                                                    \
	"12:00:03"                                                                                 \
	"  "                                                                                       \
	"\\x1b]0;"                                                                                 \
	"  "                                                                                       \
	"     7"                                                                                   \
	"  "                                                                                       \
	"LISTEN\n"

TEST(print_text_stream)
{
	struct cap c;
	char *out;

	if (!cap_begin(&c, false))
		return;
	print_table_begin(NULL, event_cols, NCOLS(event_cols), TBL_STREAM);
	ASSERT_STREQ(c.buf, EV_HEADER, "header at begin");
	event_row("12:00:01", "curl", 42, "ESTAB");
	ASSERT_STREQ(c.buf, EV_HEADER EV_ROW1, "row at row end");
	/* fixed widths: a wide cell pushes the rest of its row only */
	event_row("12:00:02", "systemd-resolved", 123456, "SYN-SENT");
	event_row("12:00:03", "\x1b]0;", 7, "LISTEN");
	print_table_end();
	out = cap_end(&c);
	ASSERT_STREQ(out, EV_HEADER EV_ROW1 EV_ROW2 EV_ROW3, "stream");
	free(out);

	if (!cap_begin(&c, false))
		return;
	print_table_begin(NULL, event_cols, NCOLS(event_cols), TBL_STREAM | TBL_NOHEADER);
	event_row("12:00:01", "curl", 42, "ESTAB");
	print_table_end();
	out = cap_end(&c);
	ASSERT_STREQ(out, EV_ROW1, "stream without header");
	free(out);
}

TEST(print_json_stream_ndjson)
{
	struct cap c;
	char *out;

	if (!cap_begin(&c, true))
		return;
	print_table_begin(NULL, event_cols, NCOLS(event_cols), TBL_STREAM);
	ASSERT_EQ(c.len, 0, "nothing at begin");
	event_row("12:00:01", "curl", 42, "ESTAB");
	ASSERT_STREQ(c.buf, "{\"time\":\"12:00:01\",\"comm\":\"curl\",\"pid\":42}\n",
		     "line at row end");
	event_row("12:00:03", "\x1b]0;", 7, "LISTEN");
	print_table_end();
	out = cap_end(&c);
	ASSERT_STREQ(out,
		     "{\"time\":\"12:00:01\",\"comm\":\"curl\",\"pid\":42}\n"
		     "{\"time\":\"12:00:03\",\"comm\":\"\\u001b]0;\",\"pid\":7}\n",
		     "NDJSON");
	free(out);
}

TEST(print_json_stream_keyed)
{
	struct cap c;
	char *out;

	if (!cap_begin(&c, true))
		return;
	print_doc_begin();
	print_table_begin("events", event_cols, NCOLS(event_cols), TBL_STREAM);
	event_row("12:00:01", "curl", 42, "ESTAB");
	event_row("12:00:02", "nc", 1, "LISTEN");
	print_table_end();
	print_table_begin("empty", event_cols, NCOLS(event_cols), 0);
	print_table_end();
	print_doc_end();
	out = cap_end(&c);
	ASSERT_STREQ(out,
		     "{\"events\":[{\"time\":\"12:00:01\",\"comm\":\"curl\",\"pid\":42},"
		     "{\"time\":\"12:00:02\",\"comm\":\"nc\",\"pid\":1}],\"empty\":[]}\n",
		     "stream under a key");
	free(out);
}

TEST(print_fini_reports_errors)
{
	FILE *f = fopen("/dev/full", "w");

	if (!ASSERT_OK_PTR(f, "open /dev/full"))
		return;
	print_init(f, true);
	print_doc_begin();
	print_str(PRINT_ANY, "k", "v");
	print_doc_end();
	ASSERT_EQ(print_fini(), -1, "print_fini on a full device");
	fclose(f);
}
