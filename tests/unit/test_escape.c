// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "unit.h"

static size_t seq_len(const char *s, size_t n)
{
	return utf8_seq_len((const unsigned char *)s, n);
}

TEST(escape_utf8_seq_len_valid)
{
	ASSERT_EQ(seq_len("A", 1), 1, "ASCII");
	ASSERT_EQ(seq_len("AB", 2), 1, "one sequence only");
	ASSERT_EQ(seq_len("\x7f", 1), 1, "DEL is ASCII");
	ASSERT_EQ(seq_len("\xc2\x80", 2), 2, "U+0080");
	ASSERT_EQ(seq_len("\xc3\xa9", 2), 2, "U+00E9");
	ASSERT_EQ(seq_len("\xdf\xbf", 2), 2, "U+07FF");
	ASSERT_EQ(seq_len("\xe0\xa0\x80", 3), 3, "U+0800");
	ASSERT_EQ(seq_len("\xe2\x82\xac", 3), 3, "U+20AC");
	ASSERT_EQ(seq_len("\xed\x9f\xbf", 3), 3, "U+D7FF");
	ASSERT_EQ(seq_len("\xee\x80\x80", 3), 3, "U+E000");
	ASSERT_EQ(seq_len("\xef\xbf\xbf", 3), 3, "U+FFFF");
	ASSERT_EQ(seq_len("\xf0\x90\x80\x80", 4), 4, "U+10000");
	ASSERT_EQ(seq_len("\xf0\x9f\x98\x80", 4), 4, "U+1F600");
	ASSERT_EQ(seq_len("\xf4\x8f\xbf\xbf", 4), 4, "U+10FFFF");
	ASSERT_EQ(seq_len("\xe2\x82\xac"
			  "x",
			  4),
		  3, "followed by more");
}

TEST(escape_utf8_seq_len_invalid)
{
	ASSERT_EQ(seq_len("A", 0), 0, "empty");
	/* overlong forms */
	ASSERT_EQ(seq_len("\xc0\xaf", 2), 0, "overlong '/' in 2");
	ASSERT_EQ(seq_len("\xc1\xbf", 2), 0, "overlong C1");
	ASSERT_EQ(seq_len("\xe0\x80\xaf", 3), 0, "overlong '/' in 3");
	ASSERT_EQ(seq_len("\xe0\x9f\xbf", 3), 0, "overlong U+07FF in 3");
	ASSERT_EQ(seq_len("\xf0\x80\x80\xaf", 4), 0, "overlong '/' in 4");
	ASSERT_EQ(seq_len("\xf0\x8f\xbf\xbf", 4), 0, "overlong U+FFFF in 4");
	/* UTF-16 surrogates */
	ASSERT_EQ(seq_len("\xed\xa0\x80", 3), 0, "U+D800");
	ASSERT_EQ(seq_len("\xed\xbf\xbf", 3), 0, "U+DFFF");
	/* beyond U+10FFFF */
	ASSERT_EQ(seq_len("\xf4\x90\x80\x80", 4), 0, "U+110000");
	ASSERT_EQ(seq_len("\xf5\x80\x80\x80", 4), 0, "lead F5");
	ASSERT_EQ(seq_len("\xf7\xbf\xbf\xbf", 4), 0, "lead F7");
	ASSERT_EQ(seq_len("\xf8\x88\x80\x80\x80", 5), 0, "5-byte form");
	ASSERT_EQ(seq_len("\xfe", 1), 0, "FE");
	ASSERT_EQ(seq_len("\xff", 1), 0, "FF");
	/* truncated: by n, or by a byte that is no continuation */
	ASSERT_EQ(seq_len("\xc3\xa9", 1), 0, "2 of 1");
	ASSERT_EQ(seq_len("\xe2\x82\xac", 2), 0, "3 of 2");
	ASSERT_EQ(seq_len("\xf0\x9f\x98\x80", 3), 0, "4 of 3");
	ASSERT_EQ(seq_len("\xe2\x82"
			  "A",
			  3),
		  0, "ASCII in place of a continuation");
	ASSERT_EQ(seq_len("\xc3\xc3", 2), 0, "lead in place of a continuation");
	ASSERT_EQ(seq_len("\xe2\x82", 3), 0, "NUL in place of a continuation");
	/* a continuation byte alone */
	ASSERT_EQ(seq_len("\x80", 1), 0, "lone 80");
	ASSERT_EQ(seq_len("\xbf", 1), 0, "lone BF");
}

static bool check_term(const char *in, const char *want, const char *name)
{
	char *out = term_escape(in);
	bool ok = ASSERT_STREQ(out, want, name);

	free(out);
	return ok;
}

TEST(escape_term_escape)
{
	check_term("", "", "empty");
	check_term("sshd: root@pts/0", "sshd: root@pts/0", "printable ASCII kept");
	check_term("\x1b[2J", "\\x1b[2J", "clear screen");
	check_term("a\x1b[2Jb", "a\\x1b[2Jb", "escape inside");
	check_term("a\\b", "a\\\\b", "backslash doubled");
	check_term("\\x1b", "\\\\x1b", "a literal \\x1b stays distinct");
	check_term("\t\n\r\x01\x1f", "\\x09\\x0a\\x0d\\x01\\x1f", "C0 controls");
	check_term("\x7f", "\\x7f", "DEL");
	check_term("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		   "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", "valid UTF-8 kept");
	check_term("\xc2\xa0", "\xc2\xa0", "U+00A0 kept");
	check_term("\xc2\x9b"
		   "2J",
		   "\\xc2\\x9b2J", "C1 CSI escaped");
	check_term("\xc2\x80\xc2\x9f", "\\xc2\\x80\\xc2\\x9f", "C1 range ends");
	check_term("\xff", "\\xff", "invalid byte");
	check_term("a\xc3", "a\\xc3", "truncated sequence");
	check_term("\xc3"
		   "A",
		   "\\xc3"
		   "A",
		   "broken sequence, next byte kept");
	check_term("\xed\xa0\x80", "\\xed\\xa0\\x80", "surrogate");
	check_term("\xc0\xaf", "\\xc0\\xaf", "overlong");
	/* the worst case: every byte grows to four */
	check_term("\x01\xff\x80\x7f\x1b\xfe\xc0\x02", "\\x01\\xff\\x80\\x7f\\x1b\\xfe\\xc0\\x02",
		   "all bytes escaped");
}

TEST(escape_display_width)
{
	ASSERT_EQ(display_width(""), 0, "empty");
	ASSERT_EQ(display_width("abc"), 3, "ASCII");
	ASSERT_EQ(display_width("caf\xc3\xa9"), 4, "2-byte");
	ASSERT_EQ(display_width("\xe2\x82\xac"), 1, "3-byte");
	ASSERT_EQ(display_width("\xf0\x9f\x98\x80!"), 2, "4-byte");
	ASSERT_EQ(display_width("\\x1b[2J"), 7, "escaped form");
}

static char *json_of(const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	json_put_string(f, s);
	fclose(f);
	return buf;
}

static bool check_json(const char *in, const char *want, const char *name)
{
	char *out = json_of(in);
	bool ok = ASSERT_STREQ(out, want, name);

	free(out);
	return ok;
}

TEST(escape_json_put_string)
{
	check_json("", "\"\"", "empty");
	check_json("plain / text", "\"plain / text\"", "plain");
	check_json("say \"hi\"", "\"say \\\"hi\\\"\"", "quotes");
	check_json("a\\b", "\"a\\\\b\"", "backslash");
	check_json("l1\nl2\tx", "\"l1\\nl2\\tx\"", "newline and tab");
	check_json("\x01\x08\x0c\r\x1b\x1f", "\"\\u0001\\u0008\\u000c\\u000d\\u001b\\u001f\"",
		   "other controls");
	check_json("\x7f", "\"\\u007f\"", "DEL");
	check_json("\xc2\x9b"
		   "31m\xc2\x80\xc2\x9f\xc2\xa0",
		   "\"\\u009b31m\\u0080\\u009f\xc2\xa0\"", "C1 controls escaped, U+00A0 kept");
	check_json("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80",
		   "\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"", "multibyte kept");
	check_json("\xff", "\"\\u00ff\"", "invalid byte");
	check_json("a\xc3", "\"a\\u00c3\"", "truncated sequence");
	check_json("\xed\xa0\x80", "\"\\u00ed\\u00a0\\u0080\"", "surrogate");
	check_json("\xc0\xaf\"", "\"\\u00c0\\u00af\\\"\"", "overlong then quote");
}

/*
 * Plain runs are scanned eight bytes at a time: every byte value at every
 * offset of a 24-byte string (all three words, and the bytewise tail of a
 * 21-byte one) is escaped exactly as it is alone.
 */
TEST(escape_json_every_byte_at_every_offset)
{
	for (int len = 21; len <= 24; len += 3) {
		for (int c = 1; c < 256; c++) {
			char one[2] = { (char)c, 0 }, in[32], want[64], name[48];
			char *alone = json_of(one);
			size_t n;

			if (!ASSERT_OK_PTR(alone, "escape alone"))
				return;
			n = strlen(alone) - 2; /* without its quotes */
			for (int p = 0; p < len; p++) {
				memset(in, 'a', (size_t)len);
				in[len] = '\0';
				in[p] = (char)c;
				want[0] = '"';
				memset(want + 1, 'a', (size_t)p);
				memcpy(want + 1 + p, alone + 1, n);
				memset(want + 1 + p + n, 'a', (size_t)(len - p - 1));
				strcpy(want + 1 + n + (size_t)len - 1, "\"");
				snprintf(name, sizeof(name), "byte 0x%02x at %d of %d", c, p, len);
				if (!check_json(in, want, name))
					break;
			}
			free(alone);
		}
	}
}

/* Appends code point cp as UTF-8. */
static char *put_utf8(char *o, unsigned int cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/*
 * A strict decoder of one JSON string (RFC 8259): the whole of j must be
 * the quoted string; returns the decoded bytes (malloc'ed) or NULL if j is
 * not valid JSON. \u escapes of surrogates are refused (none expected).
 */
static char *json_decode(const char *j)
{
	size_t n = strlen(j);
	char *out = malloc(n * 3 + 1), *o = out;
	const unsigned char *p = (const unsigned char *)j;

	if (!out || *p++ != '"')
		goto bad;
	for (;;) {
		if (*p == '\0' || *p < 0x20)
			goto bad;
		if (*p == '"') {
			if (p[1] != '\0')
				goto bad;
			*o = '\0';
			return out;
		}
		if (*p != '\\') {
			*o++ = (char)*p++;
			continue;
		}
		p++;
		switch (*p++) {
		case '"':
			*o++ = '"';
			break;
		case '\\':
			*o++ = '\\';
			break;
		case '/':
			*o++ = '/';
			break;
		case 'b':
			*o++ = '\b';
			break;
		case 'f':
			*o++ = '\f';
			break;
		case 'n':
			*o++ = '\n';
			break;
		case 'r':
			*o++ = '\r';
			break;
		case 't':
			*o++ = '\t';
			break;
		case 'u': {
			unsigned int cp = 0;

			for (int i = 0; i < 4; i++, p++) {
				if (*p >= '0' && *p <= '9')
					cp = cp << 4 | (*p - '0');
				else if ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f')
					cp = cp << 4 | ((*p | 0x20) - 'a' + 10);
				else
					goto bad;
			}
			if (cp == 0 || (cp >= 0xd800 && cp <= 0xdfff))
				goto bad;
			o = put_utf8(o, cp);
			break;
		}
		default:
			goto bad;
		}
	}
bad:
	free(out);
	return NULL;
}

TEST(escape_json_round_trip)
{
	char all[256], *o = all;
	char *j, *back;

	/* every ASCII byte, then multibyte text: decodes to itself */
	for (int c = 1; c < 0x80; c++)
		*o++ = (char)c;
	strcpy(o, "caf\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\xc2\x85");
	j = json_of(all);
	if (!ASSERT_OK_PTR(j, "encode"))
		return;
	back = json_decode(j);
	ASSERT_OK_PTR(back, "output is a valid JSON string");
	ASSERT_STREQ(back, all, "decodes to the input");
	free(back);
	free(j);

	/* an invalid byte keeps its value: 0xff decodes to U+00FF */
	j = json_of("a\xff"
		    "b");
	back = j ? json_decode(j) : NULL;
	ASSERT_STREQ(back,
		     "a\xc3\xbf"
		     "b",
		     "invalid byte as U+00FF");
	free(back);
	free(j);
}
