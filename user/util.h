/* SPDX-License-Identifier: GPL-2.0 */
/* Process-wide basics: errors with the right exit status, allocation. */
#ifndef SOCKTAP_UTIL_H
#define SOCKTAP_UTIL_H

#include <stddef.h>

/* Exit statuses: usage errors and runtime failures. */
#define EXIT_USAGE 2
#define EXIT_RUNTIME 1

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* A macro's value as a string literal. */
#define STRINGIFY_(x) #x
#define STRINGIFY(x) STRINGIFY_(x)

/* One line on stderr, "socktap: ...". */
void p_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* p_err, then exit with status EXIT_USAGE. */
void usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
