// SPDX-License-Identifier: GPL-2.0
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

char *term_escape(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0, o = 0, len;
	/* worst case: every byte becomes \xNN */
	char *out = xmalloc(n * 4 + 1);

	while (i < n) {
		len = utf8_seq_len(s + i, n - i);
		if (len == 1 && s[i] >= 0x20 && s[i] != 0x7f && s[i] != '\\') {
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
	out[o] = '\0';
	return out;
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

void json_escape(struct strbuf *sb, const char *str)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0, len;
	char *o;

	/* room for the worst case (every byte \u00XX), then no more checks:
	 * this runs for every key and string of every event */
	sb_reserve(sb, n * 6 + 2);
	o = sb->p + sb->len;
	*o++ = '"';
	while (i < n) {
		size_t start = i;

		while (i < n && json_plain(s[i]))
			i++;
		memcpy(o, s + start, i - start);
		o += i - start;
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
