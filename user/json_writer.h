/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small streaming JSON writer: compact output, separators tracked per
 * nesting level, strings escaped (escape.h). jsonw_eol() ends a top-level
 * value with a newline and a flush, which is what NDJSON streams need.
 */
#ifndef SOCKTAP_JSON_WRITER_H
#define SOCKTAP_JSON_WRITER_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

typedef struct json_writer json_writer_t;

json_writer_t *jsonw_new(FILE *f);
void jsonw_destroy(json_writer_t **self);
/* Nesting depth: 0 between top-level values. */
int jsonw_depth(const json_writer_t *self);

void jsonw_start_object(json_writer_t *self);
void jsonw_end_object(json_writer_t *self);
void jsonw_start_array(json_writer_t *self);
void jsonw_end_array(json_writer_t *self);
/*
 * The key of the next value inside an object. Keys are identifiers of the
 * project's vocabulary ([a-z0-9_], chosen in the code, never taken from
 * data): they are written as they are, the hottest path of every stream.
 */
void jsonw_name_len(json_writer_t *self, const char *name, size_t len);
/* macros, so that a literal key's length is counted by the compiler (name
 * is evaluated twice: pass no expression with side effects) */
#define jsonw_name(self, name) jsonw_name_len((self), (name), __builtin_strlen(name))

void jsonw_string(json_writer_t *self, const char *s);
void jsonw_u64(json_writer_t *self, uint64_t v);
void jsonw_s64(json_writer_t *self, int64_t v);
void jsonw_float(json_writer_t *self, double v);
void jsonw_bool(json_writer_t *self, bool v);
void jsonw_null(json_writer_t *self);

/*
 * After a complete top-level value: newline and, unless turned off, flush.
 * With autoflush off, complete values gather in the writer until
 * jsonw_flush() (or a batch's worth) hands them to the FILE.
 */
void jsonw_eol(json_writer_t *self);
int jsonw_flush(json_writer_t *self);
/*
 * Inside a value of thousands of elements (top's connections): hands what
 * is built so far to the FILE once a batch's worth is there, so that the
 * value is never held whole in memory. Call between elements only, never
 * between jsonw_mark() and its jsonw_copy_since().
 */
void jsonw_flush_batch(json_writer_t *self);

/* A key and its value in one call; a NULL string is null. */
void jsonw_string_field_len(json_writer_t *self, const char *name, size_t len, const char *s);
void jsonw_u64_field_len(json_writer_t *self, const char *name, size_t len, uint64_t v);
#define jsonw_string_field(self, name, s)                                                          \
	jsonw_string_field_len((self), (name), __builtin_strlen(name), (s))
#define jsonw_u64_field(self, name, v)                                                             \
	jsonw_u64_field_len((self), (name), __builtin_strlen(name), (v))
void jsonw_set_autoflush(json_writer_t *self, bool on);

/*
 * Members written once, replayed: jsonw_mark() before writing some members
 * of an object (after its first), jsonw_copy_since() copies what they
 * became (with their leading comma; 0 if more than cap), and
 * jsonw_raw_members() writes such a copy into a later object at the same
 * place. For parts of a stream that repeat (an event's owner).
 */
size_t jsonw_mark(const json_writer_t *self);
size_t jsonw_copy_since(const json_writer_t *self, size_t mark, char *buf, size_t cap);
void jsonw_raw_members(json_writer_t *self, const char *s, size_t n);

#endif
