/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A growable byte buffer. Output built in memory and written in one call
 * costs a fraction of many small stdio calls, which matters for event
 * streams.
 */
#ifndef SOCKTAP_STRBUF_H
#define SOCKTAP_STRBUF_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct strbuf {
	char *p;
	size_t len, cap;
};

void sb_put(struct strbuf *sb, const void *s, size_t n);
void sb_puts(struct strbuf *sb, const char *s);
void sb_putc(struct strbuf *sb, char c);
void sb_u64(struct strbuf *sb, uint64_t v);
/* Writes the buffer to f and empties it; -1 on a write error. */
int sb_flush_to(struct strbuf *sb, FILE *f);
void sb_free(struct strbuf *sb);

#endif
