/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The text of ss's columns for one socket, exactly as iproute2's ss 6.1
 * writes them: netid, state, queues, addresses and ports, the users:(...)
 * list and the extra fields of -o, -e, -m and -i. Pure: name lookups are
 * behind ssfmt_opts' callbacks, so tests pin them.
 */
#ifndef SOCKTAP_SSFMT_H
#define SOCKTAP_SSFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "sockets.h"

struct strbuf;

struct ssfmt_opts {
	bool numeric; /* -n: no service names */
	bool resolve; /* -r: host names */
	bool options; /* -o (and -e): timers */
	bool details; /* -e */
	bool mem; /* -m */
	bool info; /* -i */
	bool oneline; /* -O */
	bool cgroup; /* --cgroup */
	/* a service's name for port/proto, or NULL: numbers are printed */
	const char *(*service)(uint16_t port, const char *proto);
	/* a host name for the address (family AF_INET/AF_INET6), or NULL */
	const char *(*host)(int family, const uint8_t *addr);
	/* an interface's name, or NULL: "if<N>" is printed */
	const char *(*ifname)(uint32_t ifindex, char *buf, size_t len);
	/* a cgroup's path, or NULL */
	const char *(*cgroup_path)(uint64_t id);
	/* a protocol's name (raw sockets' port column), or NULL */
	const char *(*protocol)(int proto);
	/* the name of process pid (netlink ports without -n), or NULL */
	const char *(*proc_comm)(uint32_t pid, char *buf, size_t len);
};

/* "tcp", "udp", "raw", "u_str", "u_dgr", "u_seq", "p_raw", "p_dgr", "nl". */
const char *ss_netid(enum sock_kind k);
/* ss's state names: ESTAB, UNCONN, LISTEN, ... */
const char *ss_state(uint8_t state);
/* The Recv-Q/Send-Q token: "%-6u", as ss pads it inside its column. */
size_t ss_queue(char *buf, size_t len, uint32_t q);
/* The address column's token (address, "%ifname", delimiter) and the port column's. */
/* Each of these returns the length of what it wrote. */
size_t ss_local_addr(char *buf, size_t len, const struct sock_entry *e, const struct ssfmt_opts *o);
size_t ss_peer_addr(char *buf, size_t len, const struct sock_entry *e, const struct ssfmt_opts *o);
size_t ss_local_port(char *buf, size_t len, const struct sock_entry *e, const struct ssfmt_opts *o);
size_t ss_peer_port(char *buf, size_t len, const struct sock_entry *e, const struct ssfmt_opts *o);
/*
 * What ss_users wrote last of an owner before its fd, for the rows of the
 * same process that follow (a listing of many sockets is mostly a few
 * processes): the escaped ("comm",pid=N,fd= of that comm and pid.
 */
struct ss_users_memo {
	bool valid;
	uint32_t pid;
	char comm[16];
	size_t len;
	char text[128];
};

/*
 * " users:((\"comm\",pid=1,fd=3),...)", comm escaped for a terminal; "" with
 * no owners, and for netlink sockets (ss 6.1 names no process for them).
 * memo (NULL: none) is zeroed before the first row.
 */
void ss_users(struct strbuf *sb, const struct sock_entry *e, struct ss_users_memo *memo);
/* The last column: timer (-o), details (-e), then -m and -i on a tab-indented line. */
void ss_ext(struct strbuf *sb, const struct sock_entry *e, const struct ssfmt_opts *o);

/* ss's names of netlink protocols (nl_proto_n2a) and ethertypes (ll_proto_n2a), or NULL. */
const char *ss_nl_proto_name(unsigned int proto);
const char *ss_ll_proto_name(unsigned int ethertype);
/* The reverse, as ss's filters read them (a name, or a number): the value, or -1. */
int ss_nl_proto_id(const char *name);
int ss_ll_proto_id(const char *name);

/* ss's forms of times and rates (print_ms_timer, sprint_bw). */
void ss_ms_timer(char *buf, size_t len, uint32_t ms);
void ss_bw(char *buf, size_t len, double bps, bool numeric);

#endif
