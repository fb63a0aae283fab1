/* SPDX-License-Identifier: GPL-2.0 */
/*
 * testkit.h: what the test tools (tests/NAME.c, one program each) share:
 * failing with one line on stderr, socket addresses, option numbers, the
 * monotonic clock, making sockets and setting their options. Every function
 * is static inline, so that a tool which does not use one is not warned
 * about it.
 *
 * A tool names itself for its messages, once, at file scope:
 *
 *	const char testkit_name[] = "trafgen";
 *
 * and sets the knobs below that it needs before anything can fail.
 */
#ifndef SOCKTAP_TESTS_TESTKIT_H
#define SOCKTAP_TESTS_TESTKIT_H

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define EXIT_FAIL 1
#define EXIT_USAGE 2

/* Defined by each tool: "NAME" in "NAME: message". */
extern const char testkit_name[];

/* "NAME[pid]: message", for a tool whose processes fork. */
static bool testkit_show_pid __attribute__((unused));
/* Run by vfail() once the message is out: children to end, files to remove. */
static void (*testkit_cleanup)(void) __attribute__((unused));
/* vfail() ends with _exit() instead of exit(): no stdio flush, no atexit. */
static bool testkit_quick_exit __attribute__((unused));

/* ---- failures ---- */

/* One line on stderr, then exit with status (EXIT_FAIL, EXIT_USAGE). */
static inline void __attribute__((noreturn)) vfail(int status, const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	/* lines already printed must not be lost, nor come after the error */
	fflush(stdout);
	if (testkit_show_pid)
		fprintf(stderr, "%s[%d]: %s\n", testkit_name, (int)getpid(), msg);
	else
		fprintf(stderr, "%s: %s\n", testkit_name, msg);
	if (testkit_cleanup)
		testkit_cleanup();
	if (testkit_quick_exit)
		_exit(status);
	exit(status);
}

static inline void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(EXIT_FAIL, fmt, ap);
	va_end(ap);
}

static inline void __attribute__((noreturn, format(printf, 1, 2))) usage_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(EXIT_USAGE, fmt, ap);
	va_end(ap);
}

/* ---- addresses ---- */

static inline socklen_t sa_len(const struct sockaddr_storage *ss)
{
	return ss->ss_family == AF_INET ? sizeof(struct sockaddr_in) : sizeof(struct sockaddr_in6);
}

static inline unsigned int sa_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
}

static inline void sa_set_port(struct sockaddr_storage *ss, unsigned int port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

/* The address as inet_ntop prints it; "?" for an unset address. */
static inline const char *sa_addr_str(const struct sockaddr_storage *ss, char buf[INET6_ADDRSTRLEN])
{
	const void *a;

	if (ss->ss_family == AF_INET)
		a = &((const struct sockaddr_in *)ss)->sin_addr;
	else if (ss->ss_family == AF_INET6)
		a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
	else
		return "?";
	return inet_ntop(ss->ss_family, a, buf, INET6_ADDRSTRLEN) ? buf : "?";
}

/*
 * A numeric address, IPv4 (dotted quad only: inet_pton, not inet_aton) or
 * IPv6, port 0. Returns false if s is neither.
 */
static inline bool sa_parse(const char *s, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, s, &((struct sockaddr_in *)ss)->sin_addr) == 1)
		ss->ss_family = AF_INET;
	else if (inet_pton(AF_INET6, s, &((struct sockaddr_in6 *)ss)->sin6_addr) == 1)
		ss->ss_family = AF_INET6;
	else
		return false;
	return true;
}

/* ---- option values ---- */

/*
 * A whole decimal number, nothing before or after it (strtoull alone takes
 * " -1" and "+1"). Returns 0 with *v set, EINVAL if s is not such a number,
 * ERANGE if it is one above UINT64_MAX. The tools' messages differ.
 */
static inline int parse_decimal(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (*s < '0' || *s > '9')
		return EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (*end)
		return EINVAL;
	if (errno == ERANGE)
		return ERANGE;
	*v = n;
	return 0;
}

/* An option's number in min..max; any other value is a usage error. */
static inline unsigned long parse_num(const char *s, const char *opt, unsigned long min,
				      unsigned long max)
{
	uint64_t v = 0;

	if (*s < '0' || *s > '9')
		usage_err("%s: '%s' is not a number", opt, s);
	if (parse_decimal(s, &v) || v < min || v > max)
		usage_err("%s: '%s' is not a number in %lu..%lu", opt, s, min, max);
	return (unsigned long)v;
}

/* ---- time ---- */

static inline uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* ---- sockets ---- */

/* socket() with protocol 0; type may carry SOCK_NONBLOCK and SOCK_CLOEXEC. */
static inline int socket_or_die(int family, int type)
{
	int fd = socket(family, type, 0);

	if (fd < 0)
		die("socket: %s", strerror(errno));
	return fd;
}

static inline void set_int_opt(int fd, int level, int name, int val, const char *what)
{
	if (setsockopt(fd, level, name, &val, sizeof(val)))
		die("setsockopt %s: %s", what, strerror(errno));
}

/*
 * UDP has no flow control: a fast sender overruns the default receive
 * buffer and datagrams are dropped. Root may exceed rmem_max; else take
 * what rmem_max allows.
 */
static inline void grow_rcvbuf(int fd, int bytes)
{
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &bytes, sizeof(bytes)))
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes));
}

#endif /* SOCKTAP_TESTS_TESTKIT_H */
