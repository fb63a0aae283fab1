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

	sb_putc(sb, '"');
	while (i < n) {
		size_t start = i;

		/* the common case, a run of plain bytes, in one copy */
		while (i < n && json_plain(s[i]))
			i++;
		if (i > start)
			sb_put(sb, s + start, i - start);
		if (i == n)
			break;
		len = utf8_seq_len(s + i, n - i);
		if (len > 1 && is_c1(s + i, len)) {
			/* C1 controls (CSI among them) act on terminals: escape them */
			char u[6] = { '\\', 'u', '0', '0', hex[s[i + 1] >> 4], hex[s[i + 1] & 15] };

			sb_put(sb, u, sizeof(u));
		} else if (len > 1) {
			sb_put(sb, s + i, len);
		} else if (len == 1 && (s[i] == '"' || s[i] == '\\')) {
			sb_putc(sb, '\\');
			sb_putc(sb, (char)s[i]);
		} else if (len == 1 && s[i] == '\n') {
			sb_puts(sb, "\\n");
		} else if (len == 1 && s[i] == '\t') {
			sb_puts(sb, "\\t");
		} else {
			/* a control byte, or not UTF-8: keep the byte's value, stay valid JSON */
			char u[6] = { '\\', 'u', '0', '0', hex[s[i] >> 4], hex[s[i] & 15] };

			sb_put(sb, u, sizeof(u));
			len = 1;
		}
		i += len;
	}
	sb_putc(sb, '"');
}

void json_put_string(FILE *f, const char *str)
{
	struct strbuf sb = { 0 };

	json_escape(&sb, str);
	sb_flush_to(&sb, f);
	sb_free(&sb);
}
