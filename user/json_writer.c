// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "json_writer.h"
#include "strbuf.h"
#include "util.h"

#define JSONW_MAX_DEPTH 32
/* without autoflush, values gather up to this much before going to the FILE */
#define JSONW_BATCH (64 * 1024)

struct json_writer {
	FILE *out;
	/* a top-level value is built here, then written in one call */
	struct strbuf sb;
	int depth;
	/* per level: has the container received an element yet? */
	bool has_elem[JSONW_MAX_DEPTH + 1];
	/* a key was just written: the next value needs no separator */
	bool after_name;
	bool no_autoflush;
};

json_writer_t *jsonw_new(FILE *f)
{
	json_writer_t *self = xcalloc(1, sizeof(*self));

	self->out = f;
	return self;
}

void jsonw_destroy(json_writer_t **self)
{
	if (!*self)
		return;
	assert((*self)->depth == 0);
	sb_flush_to(&(*self)->sb, (*self)->out);
	sb_free(&(*self)->sb);
	free(*self);
	*self = NULL;
}

int jsonw_depth(const json_writer_t *self)
{
	return self->depth;
}

/* Writes the separator a new value or key needs at the current level. */
static void jsonw_sep(json_writer_t *self)
{
	if (self->after_name) {
		self->after_name = false;
		return;
	}
	if (self->depth > 0 && self->has_elem[self->depth])
		sb_putc(&self->sb, ',');
	self->has_elem[self->depth] = true;
}

static void jsonw_open(json_writer_t *self, char c)
{
	jsonw_sep(self);
	assert(self->depth < JSONW_MAX_DEPTH);
	sb_putc(&self->sb, c);
	self->depth++;
	self->has_elem[self->depth] = false;
}

static void jsonw_close(json_writer_t *self, char c)
{
	assert(self->depth > 0 && !self->after_name);
	self->depth--;
	sb_putc(&self->sb, c);
	/* a complete top-level value goes out in one write; without
	 * autoflush, with its batch (jsonw_eol, jsonw_flush) */
	if (self->depth == 0 && !self->no_autoflush)
		sb_flush_to(&self->sb, self->out);
}

void jsonw_start_object(json_writer_t *self)
{
	jsonw_open(self, '{');
}

void jsonw_end_object(json_writer_t *self)
{
	jsonw_close(self, '}');
}

void jsonw_start_array(json_writer_t *self)
{
	jsonw_open(self, '[');
}

void jsonw_end_array(json_writer_t *self)
{
	jsonw_close(self, ']');
}

void jsonw_name_len(json_writer_t *self, const char *name, size_t n)
{
	jsonw_sep(self);
	/* keys are identifiers (json_writer.h): no escaping to do */
	sb_reserve(&self->sb, n + 3);
	self->sb.p[self->sb.len++] = '"';
	copy_short(self->sb.p + self->sb.len, name, n);
	self->sb.len += n;
	self->sb.p[self->sb.len++] = '"';
	self->sb.p[self->sb.len++] = ':';
	self->after_name = true;
}

void jsonw_string(json_writer_t *self, const char *s)
{
	jsonw_sep(self);
	json_escape(&self->sb, s);
}

void jsonw_u64(json_writer_t *self, uint64_t v)
{
	jsonw_sep(self);
	sb_u64(&self->sb, v);
}

void jsonw_s64(json_writer_t *self, int64_t v)
{
	jsonw_sep(self);
	if (v < 0) {
		sb_putc(&self->sb, '-');
		sb_u64(&self->sb, (uint64_t)0 - (uint64_t)v);
	} else {
		sb_u64(&self->sb, (uint64_t)v);
	}
}

void jsonw_float(json_writer_t *self, double v)
{
	jsonw_sep(self);
	/* JSON has no NaN or infinity */
	if (isfinite(v)) {
		char buf[32];

		snprintf(buf, sizeof(buf), "%.6g", v);
		sb_puts(&self->sb, buf);
	} else {
		sb_puts(&self->sb, "null");
	}
}

void jsonw_bool(json_writer_t *self, bool v)
{
	jsonw_sep(self);
	sb_puts(&self->sb, v ? "true" : "false");
}

void jsonw_null(json_writer_t *self)
{
	jsonw_sep(self);
	sb_puts(&self->sb, "null");
}

void jsonw_eol(json_writer_t *self)
{
	assert(self->depth == 0);
	sb_putc(&self->sb, '\n');
	if (!self->no_autoflush) {
		sb_flush_to(&self->sb, self->out);
		fflush(self->out);
	} else if (self->sb.len >= JSONW_BATCH) {
		sb_flush_to(&self->sb, self->out);
	}
}

int jsonw_flush(json_writer_t *self)
{
	return sb_flush_to(&self->sb, self->out);
}

void jsonw_flush_batch(json_writer_t *self)
{
	if (self->sb.len >= JSONW_BATCH)
		sb_flush_to(&self->sb, self->out);
}

void jsonw_set_autoflush(json_writer_t *self, bool on)
{
	self->no_autoflush = !on;
}

void jsonw_string_field_len(json_writer_t *self, const char *name, size_t len, const char *s)
{
	jsonw_name_len(self, name, len);
	if (s)
		jsonw_string(self, s);
	else
		jsonw_null(self);
}

void jsonw_u64_field_len(json_writer_t *self, const char *name, size_t len, uint64_t v)
{
	jsonw_name_len(self, name, len);
	jsonw_u64(self, v);
}

size_t jsonw_mark(const json_writer_t *self)
{
	return self->sb.len;
}

size_t jsonw_copy_since(const json_writer_t *self, size_t mark, char *buf, size_t cap)
{
	size_t n = self->sb.len - mark;

	if (mark > self->sb.len || n > cap || self->after_name)
		return 0;
	memcpy(buf, self->sb.p + mark, n);
	return n;
}

void jsonw_raw_members(json_writer_t *self, const char *s, size_t n)
{
	/* what jsonw_copy_since took after an element: it starts with ',' */
	assert(self->depth > 0 && self->has_elem[self->depth] && !self->after_name);
	sb_put(&self->sb, s, n);
}
