/* SPDX-License-Identifier: GPL-2.0 */
/*
 * netstat's rows (net-tools 2.10), formatted from the socket table: the
 * address:port strings with their truncation, state names, the -e, -p and -o
 * columns, unix rows, and the titles and headers, byte for byte as netstat
 * prints them. Pure: names (hosts, services, users) come from callbacks the
 * command passes in, so without them the output is numeric (-n).
 */
#ifndef SOCKTAP_NETSTAT_FMT_H
#define SOCKTAP_NETSTAT_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "sockets.h"
#include "strbuf.h"

/* Reverse lookups for the non-numeric output; each may be NULL. */
struct netstat_names {
	/* The service name of port (host order) for "tcp", "udp" or "raw", or NULL. */
	const char *(*service)(void *ctx, uint16_t port, const char *proto);
	/* The host name of addr (AF_INET: 4 bytes, AF_INET6: 16), or NULL. */
	const char *(*host)(void *ctx, int family, const uint8_t *addr);
	/* The user name of uid, or NULL. */
	const char *(*user)(void *ctx, uint32_t uid);
	void *ctx;
};

struct netstat_opts {
	bool numeric_hosts, numeric_ports, numeric_users; /* -n sets all three */
	bool wide; /* -W: no truncation of addresses */
	bool extend; /* -e: User and Inode columns */
	bool programs; /* -p: PID/Program name */
	bool timers; /* -o: Timer */
	bool all, listening; /* -a, -l: which sockets the title names */
	const struct netstat_names *names; /* NULL: numeric only */
};

/* The width netstat gives "PID/Program name" (and its buffer, one less). */
#define NETSTAT_PROGNAME_WIDTH 20
/* An "addr:port" without -W is cut to this length... */
#define NETSTAT_ADDR_SHORT 22
/* ...in a column this wide. */
#define NETSTAT_ADDR_COLUMN 23

/*
 * Is e one netstat counts as a server (shown by -l, hidden by default)?
 * TCP: no remote port; UDP and raw: no remote address; unix: listening.
 */
bool netstat_is_server(const struct sock_entry *e);
/* Whether the options show e (-a: all, -l: servers, else the others). */
bool netstat_shows(const struct sock_entry *e, const struct netstat_opts *o);

/* "tcp", "tcp6", "udp", "udp6", "raw", "raw6" or "unix". */
const char *netstat_proto(const struct sock_entry *e);

/*
 * "addr:port" as netstat prints it: IPv4 dotted, IPv6 unbracketed (v4-mapped
 * as the bare IPv4 address), port 0 as "*"; cut to 22 characters unless -W.
 * proto names the services table ("tcp", "udp", "raw"). Returns its length.
 */
size_t netstat_fmt_endpoint(char *buf, size_t len, int family, const uint8_t *addr, uint16_t port,
			    const char *proto, const struct netstat_opts *o);

/* The State column of an inet row (raw rows print the number instead). */
const char *netstat_state_name(const struct sock_entry *e);

/* The -o Timer column: "off (0.00/0/0)", "keepalive (7194.52/0/0)", ... */
void netstat_fmt_timer(char *buf, size_t len, const struct sock_entry *e);

/*
 * The -p column: "PID/name" cut to 19 bytes as netstat does, then made safe
 * for a terminal; "-" if pid is 0 or name NULL. Returns a malloc'ed string.
 */
char *netstat_fmt_program(uint32_t pid, const char *name);

/* "Active Internet connections (...)" and the column header. */
void netstat_print_inet_header(FILE *f, const struct netstat_opts *o);
/*
 * One inet row; program is the -p text ("-" if NULL). row is where it is
 * laid out (the caller's, kept from row to row: no allocation a row).
 */
void netstat_print_inet_row(FILE *f, struct strbuf *row, const struct sock_entry *e,
			    const char *program, const struct netstat_opts *o);

/* "Active UNIX domain sockets (...)" and the column header. */
void netstat_print_unix_header(FILE *f, const struct netstat_opts *o);
/* One unix row with its reference count (see netstat_unix_refcnt). */
void netstat_print_unix_row(FILE *f, const struct sock_entry *e, unsigned int refcnt,
			    const char *program, const struct netstat_opts *o);

/*
 * The kernel's reference count of unix socket t->v[i], as /proc/net/unix
 * shows it: the socket and its file hold two, every socket whose peer it is
 * one more; a socket no file holds yet (accept queue) shows three.
 */
unsigned int netstat_unix_refcnt(const struct sock_table *t, size_t i);
/* The same for every row of t at once (malloc'ed, t->n entries): one pass, for listings. */
unsigned int *netstat_unix_refcnts(const struct sock_table *t);

/*
 * The order netstat reads the kernel's tables in: tcp, udp, raw, then unix,
 * IPv4 before IPv6, otherwise as given. Sorts the n entries of v in place
 * (stable).
 */
void netstat_sort(struct sock_entry *v, size_t n);

#endif
