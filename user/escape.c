// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "strbuf.h"
#include "util.h"

size_t utf8_seq_len(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (n == 0)
		return 0;
	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* Is the code point at s (of length len) a C1 control (U+0080..U+009F)? */
static int is_c1(const unsigned char *s, size_t len)
{
	return len == 2 && s[0] == 0xc2 && s[1] < 0xa0;
}

/* Escapes the n bytes at s into out (room for 4 * n); the length written.
 * A backslash is doubled unless the output's format escapes it itself. */
static size_t term_escape_to(char *out, const unsigned char *s, size_t n, bool backslash)
{
	size_t i = 0, o = 0, len;

	while (i < n) {
		/* printable ASCII, most of every name, as it is */
		if (s[i] >= 0x20 && s[i] < 0x7f && s[i] != '\\') {
			out[o++] = (char)s[i++];
			continue;
		}
		len = utf8_seq_len(s + i, n - i);
		if (len == 1 && s[i] >= 0x20 && s[i] != 0x7f && (s[i] != '\\' || !backslash)) {
			out[o++] = (char)s[i];
		} else if (len == 1 && s[i] == '\\') {
			out[o++] = '\\';
			out[o++] = '\\';
		} else if (len > 1 && !is_c1(s + i, len)) {
			memcpy(out + o, s + i, len);
			o += len;
		} else {
			if (len == 0)
				len = 1;
			for (size_t k = 0; k < len; k++)
				o += (size_t)sprintf(out + o, "\\x%02x", s[i + k]);
		}
		i += len;
	}
	return o;
}

char *term_escape(const char *str)
{
	size_t n = strlen(str);
	/* worst case: every byte becomes \xNN */
	char *out = xmalloc(n * 4 + 1);

	out[term_escape_to(out, (const unsigned char *)str, n, true)] = '\0';
	return out;
}

size_t term_escape_buf(char *out, size_t cap, const char *str)
{
	size_t n = strlen(str);

	if (!cap)
		return 0;
	/* what fits even if every byte becomes \xNN */
	if (n > (cap - 1) / 4)
		n = (cap - 1) / 4;
	n = term_escape_to(out, (const unsigned char *)str, n, true);
	out[n] = '\0';
	return n;
}

static void escape_sb(struct strbuf *sb, const char *str, bool backslash)
{
	size_t n = strlen(str);

	/* nothing to add: an empty buffer has no storage to point into */
	if (!n)
		return;
	sb_reserve(sb, n * 4);
	sb->len += term_escape_to(sb->p + sb->len, (const unsigned char *)str, n, backslash);
}

void term_escape_sb(struct strbuf *sb, const char *str)
{
	escape_sb(sb, str, true);
}

void term_escape_keep_backslash_sb(struct strbuf *sb, const char *str)
{
	escape_sb(sb, str, false);
}

size_t display_width(const char *str)
{
	size_t w = 0;

	for (const unsigned char *s = (const unsigned char *)str; *s; s++)
		if ((*s & 0xc0) != 0x80)
			w++;
	return w;
}

/* Bytes JSON takes as they are: printable ASCII but the quote and backslash. */
static int json_plain(unsigned char c)
{
	return c >= 0x20 && c < 0x7f && c != '"' && c != '\\';
}

/* json_plain() as a table: one load per byte in the loop every key and
 * string of every event goes through. NUL is not plain, so the loop stops
 * at the end of the string without a length check. */
static unsigned char json_plain_tab[256];

__attribute__((constructor)) static void json_plain_init(void)
{
	for (int c = 0; c < 256; c++)
		json_plain_tab[c] = (unsigned char)json_plain((unsigned char)c);
}

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Whether the 8 bytes at s are all plain, tested on one 64-bit load. Each
 * term sets a byte's high bit where that byte is bad; borrows and carries
 * between bytes start at a bad byte only, so "any" stays exact. */
static int word_plain(const unsigned char *s)
{
	uint64_t x, q, b, bad;

	memcpy(&x, s, 8);
	q = x ^ (ONES * '"');
	b = x ^ (ONES * '\\');
	bad = ((x - ONES * 0x20) & ~x) | /* below 0x20 */
	      ((x + ONES) | x) | /* above 0x7e */
	      ((q - ONES) & ~q) | /* a quote */
	      ((b - ONES) & ~b); /* a backslash */
	return !(bad & HIGHS);
}

/* Writes s (n bytes, NUL-terminated) escaped to o; returns the end. */
static char *json_escape_to(char *o, const unsigned char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	size_t i = 0, len;

	while (i < n) {
		/* eight plain bytes at a time, then byte by byte */
		while (i + 8 <= n && word_plain(s + i)) {
			memcpy(o, s + i, 8);
			o += 8;
			i += 8;
		}
		while (json_plain_tab[s[i]])
			*o++ = (char)s[i++];
		if (i == n)
			break;
		len = utf8_seq_len(s + i, n - i);
		if (len > 1 && !is_c1(s + i, len)) {
			memcpy(o, s + i, len);
			o += len;
			i += len;
			continue;
		}
		*o++ = '\\';
		if (len == 1 && (s[i] == '"' || s[i] == '\\')) {
			*o++ = (char)s[i];
		} else if (len == 1 && s[i] == '\n') {
			*o++ = 'n';
		} else if (len == 1 && s[i] == '\t') {
			*o++ = 't';
		} else {
			/* a control byte, a C1 control (CSI among them acts on
			 * terminals), or not UTF-8: \u00XX, the byte's value or
			 * the C1 code point; valid JSON either way */
			unsigned char c = len == 2 ? s[i + 1] : s[i];

			memcpy(o, "u00", 3);
			o[3] = hex[c >> 4];
			o[4] = hex[c & 15];
			o += 5;
			if (len != 2)
				len = 1;
		}
		i += len;
	}
	return o;
}

void json_escape(struct strbuf *sb, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n;
	char *o;

	/*
	 * Most strings are short and plain (every key, most values): one
	 * pass finds their end (NUL is not plain) and they are copied whole.
	 */
	while (json_plain_tab[s[i]])
		i++;
	n = s[i] ? i + strlen(str + i) : i;
	/* room for the worst case (every byte \u00XX), then no more checks */
	sb_reserve(sb, i + (n - i) * 6 + 2);
	o = sb->p + sb->len;
	*o++ = '"';
	memcpy(o, s, i);
	o += i;
	if (i < n)
		o = json_escape_to(o, s + i, n - i);
	*o++ = '"';
	sb->len = (size_t)(o - sb->p);
}

void json_put_string(FILE *f, const char *str)
{
	struct strbuf sb = { 0 };

	json_escape(&sb, str);
	sb_flush_to(&sb, f);
	sb_free(&sb);
}

void fput_cell(FILE *f, const char *s, size_t w, bool right)
{
	size_t dw = display_width(s), pad = dw < w ? w - dw : 0;

	if (right)
		fprintf(f, "%*s", (int)pad, "");
	fputs(s, f);
	if (!right)
		fprintf(f, "%*s", (int)pad, "");
}
