// SPDX-License-Identifier: GPL-2.0
/*
 * Bytes other users choose: process names (any process can set its comm)
 * and unix socket paths, escaped for a terminal and for JSON (escape.c),
 * and cut to lsof's COMMAND column (lsofspec.c). Input: the bytes, up to a
 * NUL.
 *
 * Invariants: terminal text has no control byte and is valid UTF-8; JSON
 * text is one valid JSON string; lsof's column is at most 9 columns, with
 * no blank, no control byte, within its buffer.
 */
#include <string.h>
#include "escape.h"
#include "fuzz.h"
#include "lsofspec.h"
#include "strbuf.h"

static void check_terminal_safe(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	while (*p) {
		size_t l = utf8_seq_len(p, n - (size_t)(p - (const unsigned char *)s));

		FUZZ_CHECK(l >= 1);
		FUZZ_CHECK(*p >= 0x20 && *p != 0x7f);
		/* no C1 controls either (U+0080..U+009F: 0xc2 0x80..0x9f) */
		FUZZ_CHECK(!(l == 2 && p[0] == 0xc2 && p[1] < 0xa0));
		p += l;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_strndup(data, size), *esc, cmd[40];
	struct strbuf sb = { 0 };

	esc = term_escape(s);
	check_terminal_safe(esc);
	(void)display_width(s);
	FUZZ_CHECK(display_width(esc) <= strlen(esc));
	/* an empty string into an empty strbuf (found here: NULL + 0) included */
	term_escape_sb(&sb, s);
	FUZZ_CHECK(sb.len == strlen(esc) && (!sb.len || !memcmp(sb.p, esc, sb.len)));
	free(esc);
	sb_free(&sb);

	json_escape(&sb, s);
	FUZZ_CHECK(fuzz_json_valid(sb.p, sb.len) && sb.len >= 2 && sb.p[0] == '"');
	sb_free(&sb);

	memset(cmd, 'x', sizeof(cmd));
	lsof_fmt_command(s, cmd, sizeof(cmd));
	FUZZ_CHECK(memchr(cmd, '\0', sizeof(cmd)));
	check_terminal_safe(cmd);
	FUZZ_CHECK(!strchr(cmd, ' '));
	FUZZ_CHECK(display_width(cmd) <= 9);
	free(s);
	return 0;
}
