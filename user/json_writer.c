// SPDX-License-Identifier: GPL-2.0
#include <assert.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include "escape.h"
#include "json_writer.h"
#include "util.h"

#define JSONW_MAX_DEPTH 32

struct json_writer {
	FILE *out;
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
		putc_unlocked(',', self->out);
	self->has_elem[self->depth] = true;
}

static void jsonw_open(json_writer_t *self, char c)
{
	jsonw_sep(self);
	assert(self->depth < JSONW_MAX_DEPTH);
	putc(c, self->out);
	self->depth++;
	self->has_elem[self->depth] = false;
}

static void jsonw_close(json_writer_t *self, char c)
{
	assert(self->depth > 0 && !self->after_name);
	self->depth--;
	putc(c, self->out);
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

void jsonw_name(json_writer_t *self, const char *name)
{
	jsonw_sep(self);
	json_put_string(self->out, name);
	putc_unlocked(':', self->out);
	self->after_name = true;
}

void jsonw_string(json_writer_t *self, const char *s)
{
	jsonw_sep(self);
	json_put_string(self->out, s);
}

/* printf is the cost of an event stream: integers are written by hand */
static void put_u64(FILE *f, uint64_t v)
{
	char buf[20];
	int i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	fwrite_unlocked(buf + i, 1, sizeof(buf) - (size_t)i, f);
}

void jsonw_u64(json_writer_t *self, uint64_t v)
{
	jsonw_sep(self);
	put_u64(self->out, v);
}

void jsonw_s64(json_writer_t *self, int64_t v)
{
	jsonw_sep(self);
	fprintf(self->out, "%" PRId64, v);
}

void jsonw_float(json_writer_t *self, double v)
{
	jsonw_sep(self);
	/* JSON has no NaN or infinity */
	if (isfinite(v))
		fprintf(self->out, "%.6g", v);
	else
		fputs("null", self->out);
}

void jsonw_bool(json_writer_t *self, bool v)
{
	jsonw_sep(self);
	fputs(v ? "true" : "false", self->out);
}

void jsonw_null(json_writer_t *self)
{
	jsonw_sep(self);
	fputs("null", self->out);
}

void jsonw_eol(json_writer_t *self)
{
	assert(self->depth == 0);
	putc('\n', self->out);
	if (!self->no_autoflush)
		fflush(self->out);
}

void jsonw_set_autoflush(json_writer_t *self, bool on)
{
	self->no_autoflush = !on;
}
