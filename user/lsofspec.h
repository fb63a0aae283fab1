/* SPDX-License-Identifier: GPL-2.0 */
/*
 * socktap lsof, the pure part: lsof's selection options parsed and matched
 * as lsof 4.95 does (read from its arg.c, proc.c, misc.c and dsock.c and
 * checked against the real tool), and the rows formatted in lsof's columns.
 *
 * Selection: -i specs, "-i" alone (any inet), -p, -u and -c are selection
 * classes; a row is listed if it matches any class given (all of them with
 * -a), unless an exclusion (^PID, ^USER, ^COMMAND, -sTCP:^STATE) or a state
 * inclusion list drops it. Name lookups go through struct resolver, so the
 * parsers stay pure (fuzzable, unit-testable with a fake resolver).
 */
#ifndef SOCKTAP_LSOFSPEC_H
#define SOCKTAP_LSOFSPEC_H

#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include "resolve.h"
#include "sockets.h"

#define LSOF_INET_MAX 256 /* -i entries (one per address and port range) */
#define LSOF_INET_ARGS_MAX 64 /* -i options */
#define LSOF_SPEC_MAX 255 /* longest option value accepted */
#define LSOF_IDS_MAX 256 /* -p and -u entries each */
#define LSOF_CMDS_MAX 32 /* -c strings */
#define LSOF_RX_MAX 8 /* -c /regex/ */
#define LSOF_CMD_LEN 15 /* a comm's length: lsof rejects longer -c strings */
#define LSOF_NSTATES 12 /* lsof's TCP state table: CLOSED (0) .. CLOSING (11) */

/* One -i address and port range; an -i option with a list makes several. */
struct lsof_inet {
	uint16_t family; /* AF_INET, AF_INET6, or 0: any */
	uint8_t proto; /* IPPROTO_TCP, IPPROTO_UDP, IPPROTO_UDPLITE, or 0: any */
	bool has_addr;
	uint8_t addr[16]; /* network order, IPv4 in the first 4 bytes */
	int32_t sport, eport; /* inclusive; sport -1: any port */
	uint16_t arg; /* which -i option it came from */
};

struct lsof_id {
	uint32_t id;
	bool excl;
};

struct lsof_cmd {
	char str[LSOF_CMD_LEN + 1];
	uint8_t len;
	bool excl;
};

/* Selection classes, as lsof's SEL* flags. */
#define LSOF_SEL_NET 1u /* -i, -i4, -i6 */
#define LSOF_SEL_NA 2u /* -i with an address, protocol or port */
#define LSOF_SEL_PID 4u
#define LSOF_SEL_UID 8u
#define LSOF_SEL_CMD 16u

struct lsof_sel {
	struct lsof_inet inet[LSOF_INET_MAX];
	unsigned int ninet;
	unsigned int ninet_args;
	bool net; /* -i alone, -i4 or -i6 given */
	uint8_t net_version; /* 0 both, 4 or 6 (lsof's FnetTy) */
	struct lsof_id pids[LSOF_IDS_MAX], uids[LSOF_IDS_MAX];
	unsigned int npids, nuids;
	struct lsof_cmd cmds[LSOF_CMDS_MAX];
	unsigned int ncmds;
	regex_t rx[LSOF_RX_MAX];
	unsigned int nrx;
	uint32_t state_incl, state_excl; /* 1 << lsof state index (= kernel TCP state) */
	bool and; /* -a */
	/* which inclusions listed something (lsof's exit status) */
	bool found_net;
	bool found_inet[LSOF_INET_ARGS_MAX];
	bool found_pid[LSOF_IDS_MAX], found_uid[LSOF_IDS_MAX];
	bool found_cmd[LSOF_CMDS_MAX], found_rx[LSOF_RX_MAX];
	uint32_t found_states;
};

void lsof_sel_init(struct lsof_sel *s);
void lsof_sel_free(struct lsof_sel *s);

/*
 * Each adder parses one option value and returns 0, or -1 with one line in
 * err naming the offending word (s is then unchanged as far as matching
 * goes, but the caller is expected to stop).
 *
 * -i [46][protocol][@hostname|hostaddr][:service|port[,...][-range]];
 * spec NULL or "" is -i alone. Host and service names go through r (NULL:
 * numbers only).
 */
int lsof_sel_add_inet(struct lsof_sel *s, const char *spec, const struct resolver *r, char *err,
		      size_t errlen);
/* -s TCP:STATE[,^STATE...] (lsof's names, any case; -s UDP: has no names on Linux) */
int lsof_sel_add_state(struct lsof_sel *s, const char *spec, char *err, size_t errlen);
/* -p PID[,^PID...] */
int lsof_sel_add_pids(struct lsof_sel *s, const char *list, char *err, size_t errlen);
/* -u USER|UID[,^USER...]; names through r->user */
int lsof_sel_add_users(struct lsof_sel *s, const char *list, const struct resolver *r, char *err,
		       size_t errlen);
/* -c COMMAND (a prefix), -c ^COMMAND, -c /regex/[bix] */
int lsof_sel_add_cmd(struct lsof_sel *s, const char *cmd, char *err, size_t errlen);
/* After all options: -a needs something to AND. */
int lsof_sel_check(const struct lsof_sel *s, char *err, size_t errlen);

/* Is the row of socket e held by owner o listed? */
bool lsof_sel_match(const struct lsof_sel *s, const struct sock_entry *e,
		    const struct sock_owner *o);
/* Records what a listed row satisfied, for lsof_sel_all_found. */
void lsof_sel_mark(struct lsof_sel *s, const struct sock_entry *e, const struct sock_owner *o);
/* Both: whether the row is listed, marking what it satisfied if so. */
bool lsof_sel_take(struct lsof_sel *s, const struct sock_entry *e, const struct sock_owner *o);
/* Did every inclusion (-i spec, -i, PID, user, command, state) list something? */
bool lsof_sel_all_found(const struct lsof_sel *s);
/* States to ask the kernel for (1 << SOCKTAP_TCP_* mask), 0: all. */
uint32_t lsof_sel_states(const struct lsof_sel *s);
/* AF_INET or AF_INET6 if only sockets of that family can match, else 0. */
uint16_t lsof_sel_family(const struct lsof_sel *s);
/* The kinds (SK_KIND_BIT of SK_TCP, SK_UDP) whose sockets can match; 0: none. */
unsigned int lsof_sel_kinds(const struct lsof_sel *s);

/* Name lookups for the NAME and USER columns; NULL members mean numbers. */
struct lsof_names {
	/* Host name of addr (family af), or NULL for the number. */
	const char *(*host)(void *ctx, int af, const uint8_t *addr, char *buf, size_t len);
	/* Service name of port for proto ("tcp" or "udp"), or NULL for the number. */
	const char *(*service)(void *ctx, uint16_t port, const char *proto, char *buf, size_t len);
	/* User name of uid, or NULL for the number. */
	const char *(*user)(void *ctx, uint32_t uid, char *buf, size_t len);
	void *ctx;
};

/* lsof's NAME: "127.0.0.1:54282->127.0.0.1:15000 (ESTABLISHED)", UDP with a trailing blank. */
void lsof_fmt_name(const struct sock_entry *e, const struct lsof_names *nm, char *buf, size_t len);
/* COMMAND: control bytes and blanks escaped, at most 9 columns. */
void lsof_fmt_command(const char *comm, char *buf, size_t len);
/* lsof's mode character of an fd opened with f_mode: 'u', 'r', 'w' or ' '. */
char lsof_mode(uint32_t f_mode);

/* A row to list: its socket and holder, and where it sorts. */
struct lsof_ref {
	uint64_t order; /* by PID, then fd, as one number */
	const struct sock_entry *e;
	const struct sock_owner *o;
};

struct lsof_ref lsof_ref_of(const struct sock_entry *e, const struct sock_owner *o);
/* Orders refs by PID, then fd, as lsof lists them (24 bytes moved per row). */
void lsof_sort_refs(struct lsof_ref *refs, size_t n);
/*
 * The table of the rows refs name (sorted), columns sized and aligned as
 * lsof does; nothing at all if n is 0. The widths come from every row's
 * cells but the name, then each row is formatted and written in turn, so no
 * table of formatted rows is kept.
 */
void lsof_print_table(FILE *f, const struct lsof_ref *refs, size_t n, const struct lsof_names *nm);
/* -t: each PID once, one per line (refs sorted). */
void lsof_print_pids(FILE *f, const struct lsof_ref *refs, size_t n);

/* lsof's name of TCP state st ("LISTEN"), or NULL outside its table. */
const char *lsof_state_name(unsigned int st);

#endif
