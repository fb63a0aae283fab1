// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include "escape.h"
#include "format.h"
#include "netstat_fmt.h"
#include "socktap.h"
#include "strbuf.h"
#include "util.h"

bool netstat_is_server(const struct sock_entry *e)
{
	static const uint8_t zero[16];

	switch (e->kind) {
	case SK_TCP:
		/* netstat looks at the remote port only, whatever the state */
		return e->rport == 0;
	case SK_UDP:
	case SK_RAW:
		return memcmp(e->raddr, zero, e->family == AF_INET6 ? 16 : 4) == 0;
	default:
		return e->state == SOCKTAP_TCP_LISTEN;
	}
}

bool netstat_shows(const struct sock_entry *e, const struct netstat_opts *o)
{
	if (o->all)
		return true;
	return netstat_is_server(e) == o->listening;
}

const char *netstat_proto(const struct sock_entry *e)
{
	bool v6 = e->family == AF_INET6;

	switch (e->kind) {
	case SK_TCP:
		return v6 ? "tcp6" : "tcp";
	case SK_UDP:
		return v6 ? "udp6" : "udp";
	case SK_RAW:
		return v6 ? "raw6" : "raw";
	default:
		return "unix";
	}
}

static bool v4mapped(const uint8_t *a)
{
	static const uint8_t prefix[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a, prefix, sizeof(prefix)) == 0;
}

/* net-tools shows a v4-mapped address as its IPv4 part, if it has one in dots. */
static const char *strip_v4mapped(const char *s, const uint8_t *a)
{
	const char *dot = strchr(s, '.');

	if (!v4mapped(a) || !dot)
		return s;
	while (dot > s && *dot != ':')
		dot--;
	return *dot == ':' ? dot + 1 : s;
}

/* The host part of an endpoint into buf; returns its length. */
static size_t host_str(char *buf, size_t len, int family, const uint8_t *addr,
		       const struct netstat_opts *o)
{
	const struct netstat_names *n = o->numeric_hosts ? NULL : o->names;
	static const uint8_t zero[16];
	const char *name = NULL;
	char tmp[INET6_ADDRSTRLEN];

	if (family == AF_INET) {
		/* netstat names 0.0.0.0 itself, not "*" as for routes */
		if (n && memcmp(addr, zero, 4) != 0 && n->host)
			name = n->host(n->ctx, AF_INET, addr);
		/* a number, the common case: without inet_ntop's sprintf */
		if (!name && len > INET_ADDRSTRLEN) {
			size_t l = fmt_ipv4(buf, addr);

			buf[l] = '\0';
			return l;
		}
		if (!name)
			name = inet_ntop(AF_INET, addr, tmp, sizeof(tmp));
		snprintf(buf, len, "%s", name ? name : "");
		return strlen(buf);
	}
	if (n && memcmp(addr, zero, 16) == 0) {
		snprintf(buf, len, "[::]");
		return strlen(buf);
	}
	if (n && n->host)
		name = n->host(n->ctx, AF_INET6, addr);
	if (!name)
		name = inet_ntop(AF_INET6, addr, tmp, sizeof(tmp));
	snprintf(buf, len, "%s", name ? strip_v4mapped(name, addr) : "");
	return strlen(buf);
}

/* The port part of an endpoint into buf; returns its length. */
static size_t port_str(char *buf, size_t len, uint16_t port, const char *proto,
		       const struct netstat_opts *o)
{
	const struct netstat_names *n = o->numeric_ports ? NULL : o->names;
	const char *name = NULL;

	if (port == 0) {
		snprintf(buf, len, "*");
		return strlen(buf);
	}
	if (n && n->service)
		name = n->service(n->ctx, port, proto);
	if (name) {
		snprintf(buf, len, "%s", name);
		return strlen(buf);
	}
	if (len > 5) {
		size_t l = fmt_u64(buf, port);

		buf[l] = '\0';
		return l;
	}
	snprintf(buf, len, "%u", port);
	return strlen(buf);
}

size_t netstat_fmt_endpoint(char *buf, size_t len, int family, const uint8_t *addr, uint16_t port,
			    const char *proto, const struct netstat_opts *o)
{
	char host[256], serv[64];
	size_t hl = host_str(host, sizeof(host), family, addr, o);
	size_t pl = port_str(serv, sizeof(serv), port, proto, o);

	if (!len)
		return 0;
	if (!o->wide && hl + pl > NETSTAT_ADDR_SHORT) {
		/* net-tools keeps at least 4 characters of the address, cuts the rest */
		if (pl > NETSTAT_ADDR_SHORT - 4)
			pl = NETSTAT_ADDR_SHORT - 4;
		if (hl > NETSTAT_ADDR_SHORT - pl)
			hl = NETSTAT_ADDR_SHORT - pl;
	}
	/* host:serv, cut to buf as snprintf would */
	if (hl > len - 1)
		hl = len - 1;
	memcpy(buf, host, hl);
	if (hl + 1 < len) {
		buf[hl] = ':';
		if (pl > len - 2 - hl)
			pl = len - 2 - hl;
		memcpy(buf + hl + 1, serv, pl);
		buf[hl + 1 + pl] = '\0';
		return hl + 1 + pl;
	}
	buf[hl] = '\0';
	return hl;
}

static const char *const tcp_names[] = {
	[SOCKTAP_TCP_ESTABLISHED] = "ESTABLISHED",
	[SOCKTAP_TCP_SYN_SENT] = "SYN_SENT",
	[SOCKTAP_TCP_SYN_RECV] = "SYN_RECV",
	[SOCKTAP_TCP_FIN_WAIT1] = "FIN_WAIT1",
	[SOCKTAP_TCP_FIN_WAIT2] = "FIN_WAIT2",
	[SOCKTAP_TCP_TIME_WAIT] = "TIME_WAIT",
	[SOCKTAP_TCP_CLOSE] = "CLOSE",
	[SOCKTAP_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
	[SOCKTAP_TCP_LAST_ACK] = "LAST_ACK",
	[SOCKTAP_TCP_LISTEN] = "LISTEN",
	[SOCKTAP_TCP_CLOSING] = "CLOSING",
	/* /proc/net/tcp shows request sockets as SYN_RECV */
	[SOCKTAP_TCP_NEW_SYN_RECV] = "SYN_RECV",
};

const char *netstat_state_name(const struct sock_entry *e)
{
	if (e->kind == SK_UDP) {
		/* connected UDP is ESTABLISHED, bound or unbound is blank */
		if (e->state == SOCKTAP_TCP_ESTABLISHED)
			return "ESTABLISHED";
		return e->state == SOCKTAP_TCP_CLOSE ? "" : "UNKNOWN";
	}
	if (e->state < ARRAY_SIZE(tcp_names) && tcp_names[e->state])
		return tcp_names[e->state];
	return "UNKNOWN";
}

void netstat_fmt_timer(char *buf, size_t len, const struct sock_entry *e)
{
	/* /proc counts in USER_HZ ticks (10 ms): cut the milliseconds as it does */
	double secs = (double)(e->timer_expires_ms / 10) / 100;
	unsigned int r = e->timer_retrans;

	if (e->kind != SK_TCP) {
		/* the kernel reports no timer for UDP and raw */
		snprintf(buf, len, "off (0.00/0/0)");
		return;
	}
	/*
	 * netstat shows "retransmits/probes"; sock_diag gives one of them, the
	 * one that belongs to the running timer
	 */
	switch (e->timer) {
	case SKT_OFF:
		snprintf(buf, len, "off (0.00/0/0)");
		break;
	case SKT_ON:
		snprintf(buf, len, "on (%2.2f/%u/0)", secs, r);
		break;
	case SKT_KEEPALIVE:
		snprintf(buf, len, "keepalive (%2.2f/0/%u)", secs, r);
		break;
	case SKT_TIMEWAIT:
		snprintf(buf, len, "timewait (%2.2f/0/0)", secs);
		break;
	case SKT_PERSIST:
		snprintf(buf, len, "probe (%2.2f/0/%u)", secs, r);
		break;
	default:
		snprintf(buf, len, "unkn-%d (%2.2f/%u/0)", (int)e->timer, secs, r);
		break;
	}
}

char *netstat_fmt_program(uint32_t pid, const char *name)
{
	char buf[NETSTAT_PROGNAME_WIDTH];

	if (!pid || !name)
		return xstrdup("-");
	snprintf(buf, sizeof(buf), "%u/%s", pid, name);
	return term_escape(buf);
}

static const char *title_scope(const struct netstat_opts *o)
{
	if (o->all)
		return "(servers and established)";
	return o->listening ? "(only servers)" : "(w/o servers)";
}

void netstat_print_inet_header(FILE *f, const struct netstat_opts *o)
{
	fprintf(f, "Active Internet connections %s\n", title_scope(o));
	fputs("Proto Recv-Q Send-Q Local Address           Foreign Address         State      ", f);
	if (o->extend)
		fputs(" User       Inode     ", f);
	if (o->programs)
		fprintf(f, " %-*s", NETSTAT_PROGNAME_WIDTH, "PID/Program name");
	if (o->timers)
		fputs(" Timer", f);
	fputc('\n', f);
}

/*
 * A row is laid out in a buffer and written once: printf's formatting, a
 * call per column, was nine tenths of a long listing's time (12,000
 * instructions a row, counted by callgrind).
 */
static void put_left(struct strbuf *b, const char *s, size_t l, size_t w)
{
	sb_put(b, s, l);
	if (l < w)
		sb_blanks(b, w - l);
}

static void put_right(struct strbuf *b, const char *s, size_t l, size_t w)
{
	if (l < w)
		sb_blanks(b, w - l);
	sb_put(b, s, l);
}

static void put_u64_left(struct strbuf *b, uint64_t v, size_t w)
{
	char num[24];

	put_left(b, num, fmt_u64(num, v), w);
}

/* The columns netstat adds after the state, ending the line. */
static void put_tail(struct strbuf *b, const struct sock_entry *e, const char *program,
		     const struct netstat_opts *o)
{
	if (o->extend) {
		const struct netstat_names *n = o->numeric_users ? NULL : o->names;
		const char *user = n && n->user ? n->user(n->ctx, e->uid) : NULL;

		sb_putc(b, ' ');
		if (user)
			put_left(b, user, strlen(user), 10);
		else
			put_u64_left(b, e->uid, 10);
		sb_putc(b, ' ');
		put_u64_left(b, e->inode, 10);
	}
	if (o->programs) {
		if (!program)
			program = "-";
		sb_putc(b, ' ');
		put_left(b, program, strlen(program), NETSTAT_PROGNAME_WIDTH);
	}
	if (o->timers) {
		char timer[64];

		netstat_fmt_timer(timer, sizeof(timer), e);
		sb_putc(b, ' ');
		sb_puts(b, timer);
	}
	sb_putc(b, '\n');
}

static const char *services_table(const struct sock_entry *e)
{
	return e->kind == SK_TCP ? "tcp" : e->kind == SK_UDP ? "udp" : "raw";
}

void netstat_print_inet_row(FILE *f, struct strbuf *row, const struct sock_entry *e,
			    const char *program, const struct netstat_opts *o)
{
	struct strbuf *b = row;
	char addr[300], num[24];
	/* netstat reads /proc/net/tcp, where a listener's send queue is 0 */
	unsigned int send_q = e->kind == SK_TCP && e->state == SOCKTAP_TCP_LISTEN ? 0 : e->send_q;
	const char *proto = netstat_proto(e);
	size_t l;

	/* "%-4s  %6u %6u %-23s %-23s %-11s", then the tail */
	b->len = 0;
	sb_reserve(b, 256);
	put_left(b, proto, strlen(proto), 4);
	sb_put(b, "  ", 2);
	put_right(b, num, fmt_u64(num, e->recv_q), 6);
	sb_putc(b, ' ');
	put_right(b, num, fmt_u64(num, send_q), 6);
	sb_putc(b, ' ');
	l = netstat_fmt_endpoint(addr, sizeof(addr), e->family, e->laddr, e->lport,
				 services_table(e), o);
	put_left(b, addr, l, NETSTAT_ADDR_COLUMN);
	sb_putc(b, ' ');
	l = netstat_fmt_endpoint(addr, sizeof(addr), e->family, e->raddr, e->rport,
				 services_table(e), o);
	put_left(b, addr, l, NETSTAT_ADDR_COLUMN);
	sb_putc(b, ' ');
	if (e->kind == SK_RAW) {
		put_u64_left(b, e->state, 11);
	} else {
		const char *st = netstat_state_name(e);

		put_left(b, st, strlen(st), 11);
	}
	put_tail(b, e, program, o);
	fwrite(b->p, 1, b->len, f);
}

void netstat_print_unix_header(FILE *f, const struct netstat_opts *o)
{
	fprintf(f, "Active UNIX domain sockets %s\n", title_scope(o));
	fputs("Proto RefCnt Flags       Type       State         I-Node  ", f);
	if (o->programs)
		fprintf(f, " %-*s", NETSTAT_PROGNAME_WIDTH, "PID/Program name");
	fputs(" Path\n", f);
}

static const char *unix_type(const struct sock_entry *e)
{
	switch (e->kind) {
	case SK_UNIX_STREAM:
		return "STREAM";
	case SK_UNIX_DGRAM:
		return "DGRAM";
	case SK_UNIX_SEQPACKET:
		return "SEQPACKET";
	default:
		return "UNKNOWN";
	}
}

/* /proc/net/unix shows the socket's SS_* state, which follows the sk state. */
static const char *unix_state(const struct sock_entry *e)
{
	switch (e->state) {
	case SOCKTAP_TCP_LISTEN:
		return "LISTENING";
	case SOCKTAP_TCP_ESTABLISHED:
		/* not accepted yet: no socket file, so the kernel says connecting */
		return e->inode ? "CONNECTED" : "CONNECTING";
	case SOCKTAP_TCP_SYN_SENT:
		return "CONNECTING";
	case SOCKTAP_TCP_CLOSE:
		return "";
	default:
		return "UNKNOWN";
	}
}

void netstat_print_unix_row(FILE *f, const struct sock_entry *e, unsigned int refcnt,
			    const char *program, const struct netstat_opts *o)
{
	const char *path = e->unix_path ? e->unix_path : "";
	size_t plen = strcspn(path, " \t\n\v\f\r");
	char *cut, *safe;

	fprintf(f, "%-5s %-6u %-11s %-10s %-13s %-8llu", "unix", refcnt,
		e->state == SOCKTAP_TCP_LISTEN ? "[ ACC ]" : "[ ]", unix_type(e), unix_state(e),
		(unsigned long long)e->inode);
	if (o->programs)
		fprintf(f, " %-*s", NETSTAT_PROGNAME_WIDTH, program ? program : "-");
	/* netstat reads the path with scanf's %s: it ends at white space */
	cut = xasprintf("%.*s", (int)plen, path);
	safe = term_escape(cut);
	fprintf(f, " %s\n", safe);
	free(safe);
	free(cut);
}

unsigned int *netstat_unix_refcnts(const struct sock_table *t)
{
	unsigned int *rc = xcalloc(t->n ? t->n : 1, sizeof(*rc));
	struct sock_index ix;

	/* one pass: each connected socket holds a reference on its peer */
	sock_index_build(&ix, t);
	for (size_t k = 0; k < t->n; k++) {
		const struct sock_entry *e = &t->v[k], *peer;

		if (!(SK_KINDS_UNIX & SK_KIND_BIT(e->kind)) || !e->unix_peer)
			continue;
		peer = sock_index_find(&ix, (struct sock_table *)t, e->unix_peer);
		if (peer && (SK_KINDS_UNIX & SK_KIND_BIT(peer->kind)))
			rc[peer - t->v]++;
	}
	sock_index_free(&ix);
	/* no inode: a connection not yet accepted, which its listener holds too */
	for (size_t i = 0; i < t->n; i++)
		rc[i] = t->v[i].inode ? 2 + rc[i] : 3;
	return rc;
}

unsigned int netstat_unix_refcnt(const struct sock_table *t, size_t i)
{
	unsigned int *rc = netstat_unix_refcnts(t), v = rc[i];

	free(rc);
	return v;
}

static int rank(const struct sock_entry *e)
{
	int k;

	switch (e->kind) {
	case SK_TCP:
		k = 0;
		break;
	case SK_UDP:
		k = 2;
		break;
	case SK_RAW:
		k = 4;
		break;
	default:
		return 6;
	}
	return k + (e->family == AF_INET6);
}

void netstat_sort(struct sock_entry *v, size_t n)
{
	/* insertion into buckets keeps the given order inside each: stable */
	size_t count[7] = { 0 }, start[7], pos;
	struct sock_entry *tmp;

	if (n < 2)
		return;
	/* in order already (one table of one family, the common case): no
	 * copy of the whole table (2.6 MB at 10,000 sockets, its pages new) */
	for (pos = 1; pos < n && rank(&v[pos - 1]) <= rank(&v[pos]); pos++)
		;
	if (pos == n)
		return;
	tmp = xmalloc(n * sizeof(*tmp));
	for (size_t i = 0; i < n; i++)
		count[rank(&v[i])]++;
	pos = 0;
	for (int r = 0; r < 7; r++) {
		start[r] = pos;
		pos += count[r];
	}
	for (size_t i = 0; i < n; i++)
		tmp[start[rank(&v[i])]++] = v[i];
	memcpy(v, tmp, n * sizeof(*tmp));
	free(tmp);
}
