// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "json_writer.h"
#include "unit.h"

/* A writer on a memory stream; jw_done() returns what it wrote. */
struct jw_cap {
	char *buf;
	size_t len;
	FILE *f;
	json_writer_t *jw;
};

static json_writer_t *jw_open(struct jw_cap *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	c->jw = c->f ? jsonw_new(c->f) : NULL;
	return c->jw;
}

static char *jw_done(struct jw_cap *c)
{
	jsonw_destroy(&c->jw);
	fclose(c->f);
	return c->buf;
}

TEST(jsonw_nested)
{
	struct jw_cap c;
	json_writer_t *jw = jw_open(&c);
	char *out;

	if (!ASSERT_OK_PTR(jw, "jsonw_new"))
		return;
	ASSERT_EQ(jsonw_depth(jw), 0, "depth at start");
	jsonw_start_object(jw);
	jsonw_name(jw, "a");
	jsonw_u64(jw, 1);
	jsonw_name(jw, "list");
	jsonw_start_array(jw);
	jsonw_u64(jw, 1);
	jsonw_start_object(jw);
	jsonw_end_object(jw);
	jsonw_start_array(jw);
	jsonw_end_array(jw);
	jsonw_start_object(jw);
	jsonw_name(jw, "x");
	jsonw_string(jw, "y");
	jsonw_name(jw, "z");
	jsonw_start_array(jw);
	ASSERT_EQ(jsonw_depth(jw), 4, "depth inside");
	jsonw_end_array(jw);
	jsonw_end_object(jw);
	jsonw_end_array(jw);
	jsonw_name(jw, "o");
	jsonw_start_object(jw);
	jsonw_name(jw, "k");
	jsonw_null(jw);
	jsonw_end_object(jw);
	jsonw_end_object(jw);
	ASSERT_EQ(jsonw_depth(jw), 0, "depth at end");
	out = jw_done(&c);
	ASSERT_STREQ(out, "{\"a\":1,\"list\":[1,{},[],{\"x\":\"y\",\"z\":[]}],\"o\":{\"k\":null}}",
		     "nested output");
	free(out);
}

TEST(jsonw_scalars)
{
	struct jw_cap c;
	json_writer_t *jw = jw_open(&c);
	char *out;

	if (!ASSERT_OK_PTR(jw, "jsonw_new"))
		return;
	jsonw_start_array(jw);
	jsonw_u64(jw, 0);
	jsonw_u64(jw, UINT64_MAX);
	jsonw_s64(jw, -1);
	jsonw_s64(jw, INT64_MIN);
	jsonw_s64(jw, INT64_MAX);
	jsonw_float(jw, 1.5);
	jsonw_float(jw, -0.25);
	jsonw_float(jw, 1e20);
	jsonw_float(jw, NAN);
	jsonw_float(jw, INFINITY);
	jsonw_float(jw, -INFINITY);
	jsonw_bool(jw, true);
	jsonw_bool(jw, false);
	jsonw_null(jw);
	jsonw_string(jw, "a\"b\n");
	jsonw_end_array(jw);
	out = jw_done(&c);
	ASSERT_STREQ(out,
		     "[0,18446744073709551615,-1,-9223372036854775808,9223372036854775807,"
		     "1.5,-0.25,1e+20,null,null,null,true,false,null,\"a\\\"b\\n\"]",
		     "scalars");
	free(out);
}

/* Keys are identifiers chosen in the code: written as they are. */
TEST(jsonw_names_verbatim)
{
	struct jw_cap c;
	json_writer_t *jw = jw_open(&c);
	char *out;

	if (!ASSERT_OK_PTR(jw, "jsonw_new"))
		return;
	jsonw_start_object(jw);
	jsonw_name(jw, "bytes_sent");
	jsonw_bool(jw, true);
	jsonw_name(jw, "");
	jsonw_s64(jw, -42);
	jsonw_end_object(jw);
	out = jw_done(&c);
	ASSERT_STREQ(out, "{\"bytes_sent\":true,\"\":-42}", "names");
	free(out);
}

/* every key length, through each way a key is copied (short, overlapping
 * moves, long), from a heap key exactly that long */
TEST(jsonw_names_every_length)
{
	for (size_t n = 0; n <= 40; n++) {
		struct jw_cap c;
		json_writer_t *jw = jw_open(&c);
		char *key = malloc(n + 1), want[64], *out;

		if (!ASSERT_OK_PTR(jw, "jsonw_new") || !ASSERT_OK_PTR(key, "malloc"))
			return;
		for (size_t i = 0; i < n; i++)
			key[i] = (char)('a' + i % 26);
		key[n] = '\0';
		jsonw_start_object(jw);
		jsonw_u64_field(jw, key, n);
		jsonw_end_object(jw);
		out = jw_done(&c);
		snprintf(want, sizeof(want), "{\"%s\":%zu}", key, n);
		if (!ASSERT_STREQ(out, want, "a key of each length")) {
			free(out);
			free(key);
			return;
		}
		free(out);
		free(key);
	}
}

TEST(jsonw_eol_ndjson)
{
	struct jw_cap c;
	json_writer_t *jw = jw_open(&c);
	char *out;

	if (!ASSERT_OK_PTR(jw, "jsonw_new"))
		return;
	jsonw_start_object(jw);
	jsonw_name(jw, "n");
	jsonw_u64(jw, 1);
	jsonw_end_object(jw);
	jsonw_eol(jw);
	/* jsonw_eol flushes: the line is already in the buffer */
	ASSERT_STREQ(c.buf, "{\"n\":1}\n", "flushed by eol");
	/* no separator between top-level values */
	jsonw_start_object(jw);
	jsonw_name(jw, "n");
	jsonw_u64(jw, 2);
	jsonw_end_object(jw);
	jsonw_eol(jw);
	jsonw_start_array(jw);
	jsonw_end_array(jw);
	jsonw_eol(jw);
	out = jw_done(&c);
	ASSERT_STREQ(out, "{\"n\":1}\n{\"n\":2}\n[]\n", "NDJSON");
	free(out);
}

/* Members written once and replayed in a later object, separators and all. */
TEST(jsonw_members_replayed)
{
	struct jw_cap c;
	json_writer_t *jw = jw_open(&c);
	char frag[64];
	size_t mark, n;
	char *out;

	if (!ASSERT_OK_PTR(jw, "jsonw_new"))
		return;
	jsonw_start_object(jw);
	jsonw_u64_field(jw, "a", 1);
	mark = jsonw_mark(jw);
	jsonw_string_field(jw, "comm", "x\"y");
	jsonw_u64_field(jw, "pid", 42);
	n = jsonw_copy_since(jw, mark, frag, sizeof(frag));
	jsonw_end_object(jw);
	jsonw_eol(jw);
	ASSERT_EQ(n, strlen(",\"comm\":\"x\\\"y\",\"pid\":42"), "copied length");
	ASSERT_EQ(jsonw_copy_since(jw, 0, frag, 3), 0, "too big: nothing");
	jsonw_start_object(jw);
	jsonw_u64_field(jw, "a", 2);
	jsonw_raw_members(jw, frag, n);
	jsonw_u64_field(jw, "b", 3);
	jsonw_end_object(jw);
	jsonw_eol(jw);
	out = jw_done(&c);
	ASSERT_STREQ(out,
		     "{\"a\":1,\"comm\":\"x\\\"y\",\"pid\":42}\n"
		     "{\"a\":2,\"comm\":\"x\\\"y\",\"pid\":42,\"b\":3}\n",
		     "replayed");
	free(out);
}

/*
 * Without autoflush (trace's stream) complete values gather in the writer
 * and reach the FILE at jsonw_flush(), or once a batch's worth waits:
 * always as whole lines.
 */
/* a value of thousands of elements goes out in batches as it is built,
 * and reads as it would have whole */
TEST(jsonw_flush_batch_inside_a_value)
{
	static const char head[] = "{\"rows\":[{\"n\":1000000000000},{\"n\":1000000000001},";
	static const char tail[] = ",{\"n\":1000000009999}]}";
	struct jw_cap c;
	json_writer_t *jw = jw_open(&c);
	char *out;
	size_t n = 0, first = 0;

	if (!ASSERT_OK_PTR(jw, "jsonw_new"))
		return;
	jsonw_start_object(jw);
	jsonw_name(jw, "rows");
	jsonw_start_array(jw);
	/* elements of 20 bytes with their comma: {"n":1000000000000} */
	for (n = 0; n < 10000; n++) {
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "n", 1000000000000ull + n);
		jsonw_end_object(jw);
		jsonw_flush_batch(jw);
		fflush(c.f);
		if (!first && c.len)
			first = n + 1;
	}
	ASSERT_GE(first, 3200, "nothing written before 64 KiB gathered");
	ASSERT_LT(first, 3400, "written once 64 KiB gathered");
	jsonw_end_array(jw);
	jsonw_end_object(jw);
	out = jw_done(&c);
	if (!ASSERT_OK_PTR(out, "output"))
		return;
	ASSERT_EQ(strlen(out), strlen("{\"rows\":[]}") + 10000 * 20 - 1, "every element once");
	ASSERT_TRUE(!strncmp(out, head, strlen(head)), "the value's start");
	ASSERT_STREQ(out + strlen(out) - strlen(tail), tail, "the value's end");
	free(out);
}

TEST(jsonw_batched_without_autoflush)
{
	struct jw_cap c;
	json_writer_t *jw = jw_open(&c);
	char *out;
	size_t n = 0;

	if (!ASSERT_OK_PTR(jw, "jsonw_new"))
		return;
	jsonw_set_autoflush(jw, false);
	jsonw_start_object(jw);
	jsonw_u64_field(jw, "n", 1);
	jsonw_end_object(jw);
	jsonw_eol(jw);
	fflush(c.f);
	ASSERT_EQ(c.len, 0, "a small value waits in the writer");
	ASSERT_EQ(jsonw_flush(jw), 0, "jsonw_flush");
	fflush(c.f);
	ASSERT_STREQ(c.buf, "{\"n\":1}\n", "out at jsonw_flush");
	/* values of 20 bytes: a batch (64 KiB) goes out by itself, whole lines */
	while (c.len == strlen("{\"n\":1}\n") && n < 10000) {
		jsonw_start_object(jw);
		jsonw_u64_field(jw, "n", 1000000000000ull + n++);
		jsonw_end_object(jw);
		jsonw_eol(jw);
		fflush(c.f);
	}
	ASSERT_GE(n, 3200, "at least 64 KiB gathered before a write");
	ASSERT_LT(n, 3400, "written once 64 KiB gathered");
	ASSERT_EQ(c.buf[c.len - 1], '\n', "a batch ends at a line's end");
	ASSERT_EQ((c.len - strlen("{\"n\":1}\n")) % 20, 0, "whole lines only");
	out = jw_done(&c);
	free(out);
}
