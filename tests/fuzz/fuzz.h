/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the fuzz targets (tests/fuzz/fuzz_*.c) share: copies of the input as
 * C strings, splitting an input into parts, the unit tests' resolver that
 * answers from a fixed table (never DNS, never /etc), a JSON syntax check for the print
 * layer's output, and an invariant check that crashes (so libFuzzer keeps
 * the input).
 */
#ifndef SOCKTAP_FUZZ_H
#define SOCKTAP_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "resolve.h"

/* Aborts with the failed condition: libFuzzer saves the input as a crash. */
#define FUZZ_CHECK(cond)                                                                           \
	do {                                                                                       \
		if (!(cond))                                                                       \
			fuzz_fail(#cond, __FILE__, __LINE__);                                      \
	} while (0)

__attribute__((noreturn)) void fuzz_fail(const char *what, const char *file, int line);

/* A malloc'ed NUL-terminated copy of n bytes (any NUL inside stays and ends the string). */
char *fuzz_strndup(const uint8_t *d, size_t n);

/* At most FUZZ_PARTS_MAX parts of an input, split on a separator byte. */
#define FUZZ_PARTS_MAX 64

struct fuzz_parts {
	char *buf; /* one allocation: every part, each NUL-terminated */
	char *v[FUZZ_PARTS_MAX + 1]; /* NULL after the last */
	size_t len[FUZZ_PARTS_MAX];
	int n;
};

/*
 * Splits d on sep; the last part takes the rest (separators included) when
 * there are more than max parts. Always at least one part (maybe empty).
 */
void fuzz_split(struct fuzz_parts *p, const uint8_t *d, size_t n, char sep, int max);
void fuzz_parts_free(struct fuzz_parts *p);

/* The unit tests' resolver over a fixed table (tests/unit/fake_resolver.h). */
#include "fake_resolver.h"

/* Is s (n bytes) one JSON value, optionally followed by blanks? */
bool fuzz_json_valid(const char *s, size_t n);

/* /dev/null, opened once, for text output nobody reads. */
FILE *fuzz_devnull(void);

/*
 * A scratch directory of this process (/tmp/socktap-fuzz-NAME.XXXXXX, made
 * on the first call), removed with everything in it when the fuzzer exits.
 */
const char *fuzz_scratch_dir(const char *name);

struct sock_entry;
struct sock_owner;

/*
 * A few sockets of every kind (TCP v4 and v6, UDP, a v4-mapped one, unix
 * with a path and abstract, netlink, packet) and their owners, for the
 * parsers whose result is a filter to match: *n gets the count.
 */
const struct sock_entry *fuzz_sockets(size_t *n);
const struct sock_owner *fuzz_owner(size_t i);

struct sock_table;

/*
 * Checks the rows of t from index `from` on, as a parser of kernel replies
 * left them: kinds and families ss knows, strings terminated, arrays
 * where their counts say; and writes each as JSON (sockjson.c, every
 * part), which has to be valid JSON.
 */
void fuzz_check_rows(const struct sock_table *t, size_t from);

#endif
