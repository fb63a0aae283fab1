/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Escaping of untrusted bytes (process names, paths) for terminals and for
 * JSON. Both keep valid UTF-8 and escape control bytes and invalid bytes, so
 * a comm like "a\x1b[2Jb" can neither move a cursor nor break a JSON line.
 */
#ifndef SOCKTAP_ESCAPE_H
#define SOCKTAP_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Length of the valid UTF-8 sequence at s (at most n bytes), or 0. */
size_t utf8_seq_len(const unsigned char *s, size_t n);

/*
 * Terminal-safe copy of s: control and invalid bytes become \xNN, a
 * backslash becomes \\. Returns a malloc'ed string (never NULL: aborts on
 * out of memory).
 */
char *term_escape(const char *s);

/*
 * term_escape() into out (cap bytes with the NUL), no allocation: of a
 * string longer than (cap - 1) / 4 bytes only that much is escaped, so
 * that the worst case fits. Returns the length written.
 */
size_t term_escape_buf(char *out, size_t cap, const char *s);
struct strbuf;

/* term_escape() appended to sb, without an allocation per string. */
void term_escape_sb(struct strbuf *sb, const char *s);
/* The same, a backslash left as it is: for a format that escapes it
 * itself (Prometheus's label values). */
void term_escape_keep_backslash_sb(struct strbuf *sb, const char *s);

/* Columns s takes on a terminal: one per code point. */
size_t display_width(const char *s);

/* s in a column of width w (terminal columns), left or right aligned */
void fput_cell(FILE *f, const char *s, size_t w, bool right);

/* Appends s as a quoted JSON string: control and invalid bytes as \u00NN. */
void json_escape(struct strbuf *sb, const char *s);
/* The same, written to f. */
void json_put_string(FILE *f, const char *s);

#endif
