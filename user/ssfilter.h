/* SPDX-License-Identifier: GPL-2.0 */
/*
 * ss's filter language (iproute2 6.1's misc/ssfilter.y and its helpers in
 * misc/ss.c), as one pure parser and evaluator over struct sock_entry:
 *
 *   { state S | exclude S | excl S }* [EXPR]
 *   EXPR := EXPR or TERM | EXPR and TERM | EXPR TERM | TERM   (equal precedence, left to right)
 *   TERM := ( EXPR ) | not TERM | PRED
 *   PRED := dst|src [=] HOST | dport|sport OP PORT | dev [=|!=] DEV
 *         | fwmark [=|!=] MARK[/MASK] | cgroup [=|!=] PATH | autobound
 *
 * Name lookups go through a struct resolver (NULL: nothing resolves), so
 * parsing is a pure function of its input. ss evaluates an inet socket
 * twice, with the kernel's inet_diag bytecode and with its own code, and
 * shows it only when both agree; ssfilter_match does the same, so that
 * quirks such as "not dst 0.0.0.0" hiding [::] listeners carry over.
 */
#ifndef SOCKTAP_SSFILTER_H
#define SOCKTAP_SSFILTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "resolve.h"
#include "sockets.h"

struct ssfilter;

/*
 * Parses argv words (those after ss's options): leading state clauses,
 * each two words, then the expression, whose words ss splits again on
 * spaces and tabs (a backslash escapes the next character). Returns NULL
 * with one line in err naming the offending word. An empty expression is
 * valid: it matches everything.
 */
struct ssfilter *ssfilter_parse(int argc, char **argv, const struct resolver *r, char *err,
				size_t errlen);
/*
 * The same, with ss's preferred family (AF_INET for -4, AF_INET6 for -6,
 * AF_UNIX for -x or -f unix; 0 for none): it decides how an address
 * without a "inet:", "inet6:" or "unix:" prefix is read ("ss -x src /tmp/s"
 * is a unix path pattern).
 */
struct ssfilter *ssfilter_parse_family(int argc, char **argv, int family, const struct resolver *r,
				       char *err, size_t errlen);

/*
 * 1 << SOCKTAP_TCP_* mask of the states the clauses select, 0 when none
 * were given. "all" is ss's SS_ALL, bits 0 to 11 (bit 0 is ss's "unknown",
 * which no socket has). Clauses that select nothing ("exclude all") give
 * ss's default instead, the connected states (all but listening, closed,
 * time-wait and syn-recv): ss then ignores -a and -l, and so should the
 * caller.
 */
uint32_t ssfilter_states(const struct ssfilter *f);
bool ssfilter_has_expr(const struct ssfilter *f);
/* Does f test a socket's cgroup (so the listing must read it)? */
bool ssfilter_uses_cgroup(const struct ssfilter *f);
/* Does f test autobound (so the listing must know which ports bind() named)? */
bool ssfilter_uses_autobound(const struct ssfilter *f);
/*
 * The family of the last address that named one ("src inet6:[::1]",
 * "dst unix:/run/x.sock", "src link:ip", "src netlink:rtnl": AF_INET,
 * AF_INET6, AF_UNIX, AF_PACKET or AF_NETLINK) or the preferred family if
 * any address was parsed with it, else 0. ss then lists only that family's
 * sockets: the caller should do the same.
 */
int ssfilter_family(const struct ssfilter *f);

/*
 * Does e match the expression (not the state clauses)? A filter with no
 * expression matches everything. ephemeral_lo/hi: ip_local_port_range,
 * for autobound.
 */
bool ssfilter_match(const struct ssfilter *f, const struct sock_entry *e, unsigned int ephemeral_lo,
		    unsigned int ephemeral_hi);

void ssfilter_free(struct ssfilter *f);

#endif
