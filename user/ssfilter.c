// SPDX-License-Identifier: GPL-2.0
/*
 * ss's filter language: a recursive-descent parser over ss's tokens that
 * emits a postfix program, and a stack evaluator over it. Postfix keeps
 * both evaluation and freeing free of recursion however long the
 * expression; only parentheses recurse in the parser, and they are capped.
 */
#include <errno.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <sys/socket.h>
#include "escape.h"
#include "socktap.h"
#include "ssfilter.h"
#include "ssfmt.h"
#include "util.h"

/* Parentheses nest at most this deep: bounds the parser's recursion. */
#define SSF_MAX_DEPTH 64
/* The evaluator's stack: an expression list needs one more slot than the
 * deepest term in it, so 2 per nesting level is ample. */
#define SSF_STACK (2 * SSF_MAX_DEPTH + 8)
/* Addresses kept from one host name. */
#define SSF_MAX_DNS 16
/* ss's SS_ALL: its state enum runs from "unknown" (0) to "closing" (11). */
#define SS_ALL ((1u << (SOCKTAP_TCP_CLOSING + 1)) - 1)
/* ss's SS_CONN, what its tables show by default */
#define SS_CONN                                                                                    \
	(SS_ALL & ~((1u << SOCKTAP_TCP_LISTEN) | (1u << SOCKTAP_TCP_CLOSE) |                       \
		    (1u << SOCKTAP_TCP_TIME_WAIT) | (1u << SOCKTAP_TCP_SYN_RECV)))

enum node_type {
	N_AND,
	N_OR,
	N_NOT,
	N_HOST, /* src/dst HOST, sport/dport = PORT */
	N_PORT_GE,
	N_PORT_LE,
	N_DEV,
	N_MARK,
	N_CGROUP,
	N_AUTO,
};

struct ssf_addr {
	uint16_t family;
	uint8_t bitlen; /* > 0: a prefix of length 0 matches anything and is not kept */
	uint8_t addr[16]; /* network order */
};

struct hostcond {
	int port; /* -1: any */
	char *pattern; /* unix path pattern (fnmatch); NULL for inet */
	int naddr; /* 0: any address */
	struct ssf_addr *addrs;
};

struct node {
	enum node_type type;
	bool remote; /* dst/dport rather than src/sport */
	union {
		struct hostcond host;
		int port;
		uint32_t ifindex;
		struct {
			uint32_t value, mask;
		} mark;
		uint64_t cgroup;
	};
};

struct ssfilter {
	uint32_t states;
	int family;
	/* ss sends its filter to the kernel as inet_diag bytecode too, except
	 * when it has a dev condition, which the bytecode lacks */
	bool kernel;
	struct node *prog; /* postfix */
	size_t n, cap;
};

/* ---- tokens ---------------------------------------------------------- */

enum kw {
	K_WORD,
	K_NOT,
	K_AND,
	K_OR,
	K_LP,
	K_RP,
	K_DST,
	K_SRC,
	K_DPORT,
	K_SPORT,
	K_DEV,
	K_FWMARK,
	K_CGROUP,
	K_AUTO,
	K_GE,
	K_LE,
	K_NE,
	K_EQ,
	K_GT,
	K_LT,
};

static const struct {
	const char *word;
	enum kw kw;
} keywords[] = {
	{ "!", K_NOT },		{ "not", K_NOT },	 { "&", K_AND },   { "&&", K_AND },
	{ "and", K_AND },	{ "|", K_OR },		 { "||", K_OR },   { "or", K_OR },
	{ "(", K_LP },		{ ")", K_RP },		 { "dst", K_DST }, { "src", K_SRC },
	{ "dport", K_DPORT },	{ "sport", K_SPORT },	 { "dev", K_DEV }, { "fwmark", K_FWMARK },
	{ "cgroup", K_CGROUP }, { "autobound", K_AUTO }, { ">=", K_GE },   { "ge", K_GE },
	{ "geq", K_GE },	{ "<=", K_LE },		 { "le", K_LE },   { "leq", K_LE },
	{ "!=", K_NE },		{ "ne", K_NE },		 { "neq", K_NE },  { "=", K_EQ },
	{ "==", K_EQ },		{ "eq", K_EQ },		 { ">", K_GT },	   { "gt", K_GT },
	{ "<", K_LT },		{ "lt", K_LT },
};

/* Keywords are exact and case-sensitive, as ss's lexer compares them. */
static enum kw classify(const char *tok)
{
	for (size_t i = 0; i < ARRAY_SIZE(keywords); i++)
		if (strcmp(tok, keywords[i].word) == 0)
			return keywords[i].kw;
	return K_WORD;
}

struct tokens {
	char **v;
	size_t n, cap;
};

static void tokens_push(struct tokens *t, const char *s, size_t len)
{
	char *tok = xmalloc(len + 1);

	memcpy(tok, s, len);
	tok[len] = '\0';
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 16;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n++] = tok;
}

/*
 * Splits one argv word as ss's lexer does: on spaces and tabs only, a
 * backslash taking the next character literally (a trailing one is
 * dropped).
 */
static void tokenize_word(struct tokens *t, const char *w)
{
	size_t wlen = strlen(w);
	char *buf = xmalloc(wlen + 1);
	size_t i = 0;

	while (i < wlen) {
		size_t len = 0;

		while (i < wlen && (w[i] == ' ' || w[i] == '\t'))
			i++;
		if (i >= wlen)
			break;
		while (i < wlen && w[i] != ' ' && w[i] != '\t') {
			if (w[i] == '\\' && ++i >= wlen)
				break;
			buf[len++] = w[i++];
		}
		tokens_push(t, buf, len);
	}
	free(buf);
}

static void tokens_free(struct tokens *t)
{
	for (size_t i = 0; i < t->n; i++)
		free(t->v[i]);
	free(t->v);
}

/* ---- parser state ---------------------------------------------------- */

struct parser {
	struct tokens t;
	size_t pos;
	const struct resolver *r;
	int fam; /* ss's preferred_family: an address's FAM: prefix sets it for the rest */
	struct ssfilter *f;
	char *err;
	size_t errlen;
};

static bool fail(struct parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Keeps the first error only: it names the word that went wrong. Words
 * are the user's bytes: escaped, so the error stays one printable line.
 */
static bool fail(struct parser *p, const char *fmt, ...)
{
	char *raw, *safe;
	va_list ap;
	int len;

	if (!p->err || !p->errlen || p->err[0])
		return false;
	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		return false;
	raw = xmalloc((size_t)len + 1);
	va_start(ap, fmt);
	vsnprintf(raw, (size_t)len + 1, fmt, ap);
	va_end(ap);
	safe = term_escape(raw);
	snprintf(p->err, p->errlen, "%s", safe);
	free(safe);
	free(raw);
	return false;
}

static const char *peek(const struct parser *p)
{
	return p->pos < p->t.n ? p->t.v[p->pos] : NULL;
}

static enum kw peek_kw(const struct parser *p)
{
	const char *s = peek(p);

	return s ? classify(s) : K_WORD;
}

static void emit(struct parser *p, const struct node *n)
{
	struct ssfilter *f = p->f;

	if (f->n == f->cap) {
		f->cap = f->cap ? 2 * f->cap : 16;
		f->prog = xrealloc(f->prog, f->cap * sizeof(*f->prog));
	}
	f->prog[f->n++] = *n;
}

static void emit_op(struct parser *p, enum node_type type)
{
	struct node n = { .type = type };

	emit(p, &n);
}

/* Resolver calls that tolerate a NULL resolver or NULL entries in it. */
static int r_service(const struct resolver *r, const char *name, const char *proto)
{
	return r && r->service ? r->service(r->ctx, name, proto) : -1;
}

static int r_host(const struct resolver *r, const char *name, int family, struct resolved_addr *out,
		  int max)
{
	return r && r->host ? r->host(r->ctx, name, family, out, max) : -1;
}

static unsigned int r_ifindex(const struct resolver *r, const char *name)
{
	return r && r->ifindex ? r->ifindex(r->ctx, name) : 0;
}

static uint64_t r_cgroup(const struct resolver *r, const char *path)
{
	return r && r->cgroup ? r->cgroup(r->ctx, path) : 0;
}

/* ---- states ---------------------------------------------------------- */

#define BIT(s) (1u << (s))

static const struct {
	const char *name;
	uint32_t mask;
} state_names[] = {
	/* ss's aliases and groups */
	{ "close", BIT(SOCKTAP_TCP_CLOSE) },
	{ "closed", BIT(SOCKTAP_TCP_CLOSE) },
	{ "syn-rcv", BIT(SOCKTAP_TCP_SYN_RECV) },
	{ "all", SS_ALL },
	{ "connected", SS_ALL & ~(BIT(SOCKTAP_TCP_CLOSE) | BIT(SOCKTAP_TCP_LISTEN)) },
	{ "synchronized", SS_ALL & ~(BIT(SOCKTAP_TCP_CLOSE) | BIT(SOCKTAP_TCP_LISTEN) |
				     BIT(SOCKTAP_TCP_SYN_SENT)) },
	{ "bucket", BIT(SOCKTAP_TCP_SYN_RECV) | BIT(SOCKTAP_TCP_TIME_WAIT) },
	{ "big", SS_ALL & ~(BIT(SOCKTAP_TCP_SYN_RECV) | BIT(SOCKTAP_TCP_TIME_WAIT)) },
	/* ss's sstate_namel[]: "unknown" is its state 0, which no socket has */
	{ "unknown", BIT(0) },
	{ "established", BIT(SOCKTAP_TCP_ESTABLISHED) },
	{ "syn-sent", BIT(SOCKTAP_TCP_SYN_SENT) },
	{ "syn-recv", BIT(SOCKTAP_TCP_SYN_RECV) },
	{ "fin-wait-1", BIT(SOCKTAP_TCP_FIN_WAIT1) },
	{ "fin-wait-2", BIT(SOCKTAP_TCP_FIN_WAIT2) },
	{ "time-wait", BIT(SOCKTAP_TCP_TIME_WAIT) },
	{ "unconnected", BIT(SOCKTAP_TCP_CLOSE) },
	{ "close-wait", BIT(SOCKTAP_TCP_CLOSE_WAIT) },
	{ "last-ack", BIT(SOCKTAP_TCP_LAST_ACK) },
	{ "listening", BIT(SOCKTAP_TCP_LISTEN) },
	{ "closing", BIT(SOCKTAP_TCP_CLOSING) },
};

static bool scan_state(const char *name, uint32_t *mask)
{
	for (size_t i = 0; i < ARRAY_SIZE(state_names); i++) {
		if (strcasecmp(name, state_names[i].name) == 0) {
			*mask = state_names[i].mask;
			return true;
		}
	}
	return false;
}

/*
 * The leading "state S" / "exclude S" clauses, each two argv words. As in
 * ss, the first clause decides the start (nothing for state, everything
 * for exclude) and later ones add or remove from it. Returns the index of
 * the first word after them, or -1.
 */
static int parse_states(struct parser *p, int argc, char **argv)
{
	bool saw = false;
	uint32_t states = 0;
	int i = 0;

	while (i < argc) {
		bool excl = strcmp(argv[i], "exclude") == 0 || strcmp(argv[i], "excl") == 0;
		uint32_t m;

		if (!excl && strcmp(argv[i], "state") != 0)
			break;
		if (i + 1 >= argc) {
			fail(p, "'%s' needs a state name", argv[i]);
			return -1;
		}
		if (!scan_state(argv[i + 1], &m)) {
			fail(p, "unknown state '%s'", argv[i + 1]);
			return -1;
		}
		if (!saw)
			states = excl ? SS_ALL : 0;
		states = excl ? states & ~m : states | m;
		saw = true;
		i += 2;
	}
	/* clauses that select nothing leave ss's tables at their default,
	 * whatever -a or -l said */
	p->f->states = saw && !states ? SS_CONN : states;
	return i;
}

/* ---- addresses and ports --------------------------------------------- */

/* A whole-string integer as ss's get_integer reads it (base 0, int range). */
static bool parse_int(const char *s, int *out)
{
	char *end;
	long v;

	if (!*s)
		return false;
	errno = 0;
	v = strtol(s, &end, 0);
	if (end == s || *end || errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return false;
	*out = (int)v;
	return true;
}

/* A whole-string unsigned as ss's get_unsigned reads it (base 0, uint range). */
static bool parse_uint(const char *s, unsigned int *out)
{
	char *end;
	unsigned long v;

	if (!*s)
		return false;
	errno = 0;
	v = strtoul(s, &end, 0);
	if (end == s || *end || errno == ERANGE || v > UINT_MAX)
		return false;
	*out = (unsigned int)v;
	return true;
}

/* A port number or service name; ss refuses a name tcp and udp disagree on. */
static bool parse_port(struct parser *p, const char *s, int *port)
{
	int tcp, udp;

	if (parse_int(s, port))
		return true;
	tcp = r_service(p->r, s, "tcp");
	udp = r_service(p->r, s, "udp");
	if (tcp >= 0 && udp >= 0 && tcp != udp)
		return fail(p, "ambiguous port '%s'", s);
	if (tcp < 0 && udp < 0)
		return fail(p, "bad port '%s'", s);
	*port = tcp >= 0 ? tcp : udp;
	return true;
}

/*
 * Dotted IPv4 as iproute2 reads it: up to four parts, each strtoul base 0
 * and at most 255, missing parts zero ("127" is 127.0.0.0, "127.1" is
 * 127.1.0.0, unlike inet_aton).
 */
static bool parse_ipv4(const char *s, uint8_t *out)
{
	for (int i = 0; i < 4; i++) {
		char *end;
		unsigned long n = strtoul(s, &end, 0);

		if (n > 255 || end == s)
			return false;
		out[i] = (uint8_t)n;
		if (*end == '\0')
			return true;
		if (i == 3 || *end != '.')
			return false;
		s = end + 1;
	}
	return false;
}

/*
 * One address (no prefix length) for family fam (0: either). "all", "any"
 * and "default" mean any address: *wild is set.
 */
static bool parse_addr1(const char *s, int fam, struct ssf_addr *a, bool *wild)
{
	memset(a, 0, sizeof(*a));
	*wild = false;
	if (strcmp(s, "default") == 0 || strcmp(s, "all") == 0 || strcmp(s, "any") == 0) {
		a->family = (uint16_t)fam;
		*wild = true;
		return true;
	}
	if (strchr(s, ':')) {
		a->family = AF_INET6;
		return (fam == 0 || fam == AF_INET6) && inet_pton(AF_INET6, s, a->addr) == 1;
	}
	a->family = AF_INET;
	return (fam == 0 || fam == AF_INET) && parse_ipv4(s, a->addr);
}

/* Prefix length of a dotted netmask (255.0.0.0), or -1 if not contiguous. */
static int mask2bits(const uint8_t *m)
{
	uint32_t mask = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
	uint32_t host = ~mask;
	int bits = 0;

	if (host & (host + 1))
		return -1;
	for (; mask; mask <<= 1)
		bits++;
	return bits;
}

/* The part after '/': a number, or a dotted netmask. */
static bool parse_plen(const char *s, unsigned int *plen)
{
	struct ssf_addr m;
	bool wild;
	int bits;

	if (parse_uint(s, plen))
		return true;
	if (!parse_addr1(s, AF_INET, &m, &wild) || m.family != AF_INET)
		return false;
	bits = mask2bits(m.addr);
	if (bits < 0)
		return false;
	*plen = (unsigned int)bits;
	return true;
}

/* ADDR[/PLEN] (s is modified while parsing and restored). */
static bool parse_prefix(char *s, int fam, struct ssf_addr *a)
{
	char *slash = strchr(s, '/');
	unsigned int plen, maxlen;
	bool wild, ok;

	if (slash)
		*slash = '\0';
	ok = parse_addr1(s, fam, a, &wild);
	if (slash)
		*slash = '/';
	if (!ok)
		return false;
	maxlen = a->family == AF_INET6 ? 128 : a->family == AF_INET ? 32 : 0;
	if (!slash) {
		a->bitlen = wild ? 0 : (uint8_t)maxlen;
		return true;
	}
	if (wild || !parse_plen(slash + 1, &plen) || plen > maxlen)
		return false;
	a->bitlen = (uint8_t)plen;
	return true;
}

/* An address that is no literal is looked up as a host name, as ss does. */
static bool resolve_host(struct parser *p, const char *name, int fam, struct hostcond *hc)
{
	struct resolved_addr out[SSF_MAX_DNS];
	int n = r_host(p->r, name, fam, out, SSF_MAX_DNS);

	if (n <= 0)
		return false;
	if (n > SSF_MAX_DNS)
		n = SSF_MAX_DNS;
	hc->addrs = xcalloc((size_t)n, sizeof(*hc->addrs));
	for (int i = 0; i < n; i++) {
		struct ssf_addr *a = &hc->addrs[hc->naddr];

		if (out[i].family != AF_INET && out[i].family != AF_INET6)
			continue;
		a->family = out[i].family;
		a->bitlen = out[i].family == AF_INET6 ? 128 : 32;
		memcpy(a->addr, out[i].addr, out[i].family == AF_INET6 ? 16 : 4);
		hc->naddr++;
	}
	return hc->naddr > 0;
}

static bool parse_inet_addr(struct parser *p, const char *kw, const char *word, char *addr, int fam,
			    struct hostcond *hc)
{
	struct ssf_addr a;

	if (parse_prefix(addr, fam, &a)) {
		/* a zero-length prefix of no family ("any", "default") matches
		 * anything; "0.0.0.0/0" still names IPv4, which the kernel's
		 * bytecode checks before the length */
		if (a.bitlen || a.family) {
			hc->addrs = xmalloc(sizeof(*hc->addrs));
			hc->addrs[0] = a;
			hc->naddr = 1;
		}
		return true;
	}
	if (resolve_host(p, addr, fam, hc))
		return true;
	/* "::1" split at its last colon leaves ":" and port 1: say why */
	if (!strchr(word, '[') && strchr(word, ':') != strrchr(word, ':'))
		return fail(p, "'%s %s': IPv6 addresses need brackets", kw, word);
	return fail(p, "bad address '%s'", word);
}

static const struct {
	const char *prefix;
	int family; /* -1: a family socktap does not list */
} fam_prefixes[] = {
	{ "unix:", AF_UNIX }, { "link:", AF_PACKET }, { "netlink:", AF_NETLINK },
	{ "vsock:", -1 },     { "inet:", AF_INET },   { "inet6:", AF_INET6 },
};

/*
 * A packet or netlink HOST (ss's parse_hostcond for AF_PACKET and
 * AF_NETLINK): [PROTO][:PORT]. PROTO is an ethertype's name or number, or
 * a netlink protocol's; PORT an interface (packet) or a port id or
 * "kernel" (netlink). The protocol is kept as ss keeps it, a host-order
 * 32-bit word in the address, which is what it compares.
 */
static bool parse_link_hostcond(struct parser *p, const char *word, char *addr, bool is_port,
				int fam, struct hostcond *hc)
{
	char *port = is_port ? addr : strchr(addr, ':');
	uint32_t proto;
	int id;

	if (port && *port == ':')
		*port++ = '\0';
	if (port && *port && strcmp(port, "*")) {
		if (parse_int(port, &hc->port))
			;
		else if (fam == AF_NETLINK && !strcmp(port, "kernel"))
			hc->port = 0;
		else if (fam == AF_PACKET && (hc->port = (int)r_ifindex(p->r, port)) > 0)
			;
		else if (fam == AF_PACKET && sscanf(port, "if%d", &hc->port) == 1 && hc->port > 0)
			;
		else
			return fail(p, "bad %s port '%s'", fam == AF_PACKET ? "link" : "netlink",
				    word);
	}
	if (is_port || !addr[0] || !strcmp(addr, "*"))
		return true;
	id = fam == AF_PACKET ? ss_ll_proto_id(addr) : ss_nl_proto_id(addr);
	if (id < 0)
		return fail(p, "bad %s protocol '%s'", fam == AF_PACKET ? "link" : "netlink", word);
	proto = (uint32_t)id;
	hc->addrs = xcalloc(1, sizeof(*hc->addrs));
	hc->naddr = 1;
	hc->addrs[0].family = (uint16_t)fam;
	hc->addrs[0].bitlen = 32;
	memcpy(hc->addrs[0].addr, &proto, sizeof(proto));
	return true;
}

/*
 * HOST := [FAM:]ADDR[/PLEN][:PORT] | [ADDR][:PORT] | *[:PORT] | name, or
 * for sport/dport (is_port) just [:]PORT. Follows ss's parse_hostcond:
 * the port is what follows the last colon (after any '/'), so "1::2:3"
 * is [1::2]:3 and "::1" is an error.
 */
static bool parse_hostcond(struct parser *p, const char *kw, const char *word, bool is_port,
			   struct hostcond *hc)
{
	char *buf = xstrdup(word), *addr = buf, *port;
	int fam = p->fam;
	bool ok = true;

	memset(hc, 0, sizeof(*hc));
	hc->port = -1;
	for (size_t i = 0; i < ARRAY_SIZE(fam_prefixes); i++) {
		size_t len = strlen(fam_prefixes[i].prefix);

		if (strncmp(addr, fam_prefixes[i].prefix, len) == 0) {
			fam = fam_prefixes[i].family;
			addr += len;
			break;
		}
	}
	if (fam < 0) {
		ok = fail(p, "'%s %s': socktap lists no vsock sockets", kw, word);
		goto out;
	}
	if (fam == AF_PACKET || fam == AF_NETLINK) {
		ok = parse_link_hostcond(p, word, addr, is_port, fam, hc);
		goto out;
	}
	if (fam == AF_UNIX) {
		/* the whole rest is a pattern, even for sport/dport */
		hc->pattern = xstrdup(addr);
		goto out;
	}
	if (addr[0] == '[') {
		addr++;
		port = strchr(addr, ']');
		if (!port) {
			ok = fail(p, "bad address '%s': no ']'", word);
			goto out;
		}
		*port++ = '\0';
	} else if (addr[0] == '*') {
		port = addr + 1;
	} else {
		char *slash = strchr(addr, '/');

		port = strrchr(slash ? slash : addr, ':');
	}
	if (is_port)
		port = addr;
	if (port && *port == ':')
		*port++ = '\0';
	if (port && *port && *port != '*' && !parse_port(p, port, &hc->port)) {
		ok = false;
		goto out;
	}
	if (!is_port && *addr && *addr != '*')
		ok = parse_inet_addr(p, kw, word, addr, fam, hc);
out:
	free(buf);
	if (ok && fam) {
		p->fam = fam;
		p->f->family = fam;
	}
	return ok;
}

/* ---- predicates ------------------------------------------------------ */

/* The value word after a predicate keyword (and its operator). */
static const char *need_value(struct parser *p, const char *kw, const char *what)
{
	const char *s = peek(p);

	if (!s) {
		fail(p, "bad filter: '%s' needs %s", kw, what);
		return NULL;
	}
	if (classify(s) != K_WORD) {
		fail(p, "bad filter: unexpected '%s' after '%s'", s, kw);
		return NULL;
	}
	p->pos++;
	return s;
}

/* An optional operator among those allowed (eq always, ne when ne_ok). */
static enum kw take_eq_ne(struct parser *p, bool ne_ok)
{
	enum kw k = peek(p) ? peek_kw(p) : K_WORD;

	if (k == K_EQ || (ne_ok && k == K_NE)) {
		p->pos++;
		return k;
	}
	return K_EQ;
}

static void emit_host(struct parser *p, struct hostcond *hc, bool remote)
{
	struct node n = { .type = N_HOST, .remote = remote, .host = *hc };

	emit(p, &n);
}

static bool parse_addr_pred(struct parser *p, const char *kw, bool remote)
{
	struct hostcond hc;
	const char *v;

	take_eq_ne(p, false);
	v = need_value(p, kw, "an address");
	if (!v || !parse_hostcond(p, kw, v, false, &hc))
		return false;
	emit_host(p, &hc, remote);
	return true;
}

static void hostcond_free(struct hostcond *hc)
{
	free(hc->pattern);
	free(hc->addrs);
}

/* sport/dport: > and < are ss's "not <=" and "not >=", != is "not =". */
static bool parse_port_pred(struct parser *p, const char *kw, bool remote)
{
	enum kw op = peek(p) ? peek_kw(p) : K_WORD;
	struct hostcond hc;
	struct node n = { .remote = remote };
	const char *v;

	if (op == K_GE || op == K_LE || op == K_GT || op == K_LT || op == K_NE || op == K_EQ)
		p->pos++;
	else
		op = K_EQ;
	v = need_value(p, kw, "a port");
	if (!v || !parse_hostcond(p, kw, v, true, &hc))
		return false;
	if (op == K_EQ || op == K_NE) {
		emit_host(p, &hc, remote);
		if (op == K_NE)
			emit_op(p, N_NOT);
		return true;
	}
	n.type = op == K_GE || op == K_LT ? N_PORT_GE : N_PORT_LE;
	n.port = hc.port;
	hostcond_free(&hc);
	emit(p, &n);
	if (op == K_GT || op == K_LT)
		emit_op(p, N_NOT);
	return true;
}

/* An interface name, "ifN", or a number (ss's parse_devcond). */
static bool parse_dev(struct parser *p, const char *s, uint32_t *ifindex)
{
	unsigned int idx = r_ifindex(p->r, s);
	char *end;
	unsigned long n;

	if (idx == 0 && sscanf(s, "if%u", &idx) != 1)
		idx = 0;
	if (idx) {
		*ifindex = idx;
		return true;
	}
	errno = 0;
	n = strtoul(s, &end, 0);
	if (end == s || *end || errno == ERANGE || n > UINT_MAX)
		return fail(p, "unknown device '%s'", s);
	*ifindex = (uint32_t)n;
	return true;
}

/* VAL[/MASK] as ss reads it, with sscanf's %i (trailing junk ignored). */
static bool parse_mark(struct parser *p, const char *s, uint32_t *value, uint32_t *mask)
{
	int v = 0, m = -1;

	if (strchr(s, '/') ? sscanf(s, "%i/%i", &v, &m) != 2 : sscanf(s, "%i", &v) != 1)
		return fail(p, "bad fwmark '%s'", s);
	*value = (uint32_t)v;
	*mask = (uint32_t)m;
	return true;
}

/* dev, fwmark and cgroup: [= | !=] VALUE. */
static bool parse_simple_pred(struct parser *p, const char *kw, enum kw k)
{
	enum kw op = take_eq_ne(p, true);
	struct node n = { 0 };
	const char *v;

	v = need_value(p, kw, k == K_DEV ? "a device" : k == K_FWMARK ? "a mark" : "a path");
	if (!v)
		return false;
	if (k == K_DEV) {
		n.type = N_DEV;
		if (!parse_dev(p, v, &n.ifindex))
			return false;
		p->f->kernel = false;
	} else if (k == K_FWMARK) {
		n.type = N_MARK;
		if (!parse_mark(p, v, &n.mark.value, &n.mark.mask))
			return false;
	} else {
		n.type = N_CGROUP;
		n.cgroup = r_cgroup(p->r, v);
		if (!n.cgroup)
			return fail(p, "unknown cgroup '%s'", v);
	}
	emit(p, &n);
	if (op == K_NE)
		emit_op(p, N_NOT);
	return true;
}

static bool parse_pred(struct parser *p)
{
	const char *kw = p->t.v[p->pos++];
	enum kw k = classify(kw);

	switch (k) {
	case K_DST:
	case K_SRC:
		return parse_addr_pred(p, kw, k == K_DST);
	case K_DPORT:
	case K_SPORT:
		return parse_port_pred(p, kw, k == K_DPORT);
	case K_DEV:
	case K_FWMARK:
	case K_CGROUP:
		return parse_simple_pred(p, kw, k);
	case K_AUTO:
		emit_op(p, N_AUTO);
		return true;
	default:
		return fail(p, "bad filter: unexpected '%s'", kw);
	}
}

/* ---- expressions ----------------------------------------------------- */

static bool parse_list(struct parser *p, int depth);

static bool is_pred(enum kw k)
{
	return k == K_DST || k == K_SRC || k == K_DPORT || k == K_SPORT || k == K_DEV ||
	       k == K_FWMARK || k == K_CGROUP || k == K_AUTO;
}

/* TERM := ( LIST ) | not TERM | PRED; a run of nots is a loop, not recursion. */
static bool parse_term(struct parser *p, int depth)
{
	unsigned long nots = 0;
	enum kw k;

	while (peek(p) && peek_kw(p) == K_NOT) {
		nots++;
		p->pos++;
	}
	if (!peek(p)) {
		if (p->pos == 0)
			return fail(p, "bad filter: empty expression");
		return fail(p, "bad filter: unexpected end after '%s'", p->t.v[p->pos - 1]);
	}
	k = peek_kw(p);
	if (k == K_LP) {
		if (depth >= SSF_MAX_DEPTH)
			return fail(p, "bad filter: parentheses nested deeper than %d",
				    SSF_MAX_DEPTH);
		p->pos++;
		if (!parse_list(p, depth + 1))
			return false;
		if (!peek(p))
			return fail(p, "bad filter: missing ')'");
		p->pos++; /* parse_list stops only at the end or at ')' */
	} else if (is_pred(k)) {
		if (!parse_pred(p))
			return false;
	} else {
		return fail(p, "bad filter: unexpected '%s'", peek(p));
	}
	if (nots & 1)
		emit_op(p, N_NOT);
	return true;
}

/*
 * LIST := TERM { [or|and] TERM }: ss's grammar takes a single term on the
 * right of each operator, so and/or have equal precedence, left to right.
 */
static bool parse_list(struct parser *p, int depth)
{
	if (!parse_term(p, depth))
		return false;
	while (peek(p) && peek_kw(p) != K_RP) {
		enum kw k = peek_kw(p);

		if (k == K_OR || k == K_AND)
			p->pos++;
		if (!parse_term(p, depth))
			return false;
		emit_op(p, k == K_OR ? N_OR : N_AND);
	}
	return true;
}

static bool parse_expr(struct parser *p)
{
	if (!peek(p))
		return true;
	if (!parse_list(p, 0))
		return false;
	if (peek(p))
		return fail(p, "bad filter: unexpected '%s'", peek(p));
	return true;
}

struct ssfilter *ssfilter_parse_family(int argc, char **argv, int family, const struct resolver *r,
				       char *err, size_t errlen)
{
	struct parser p = { .r = r, .fam = family, .err = err, .errlen = errlen };
	int i;

	if (err && errlen)
		err[0] = '\0';
	if (family != 0 && family != AF_INET && family != AF_INET6 && family != AF_UNIX &&
	    family != AF_PACKET && family != AF_NETLINK) {
		fail(&p, "unsupported family %d", family);
		return NULL;
	}
	if (!argv || argc < 0)
		argc = 0;
	/* a NULL word ends argv early */
	for (i = 0; i < argc && argv[i]; i++)
		;
	argc = i;
	p.f = xcalloc(1, sizeof(*p.f));
	p.f->kernel = true;
	i = parse_states(&p, argc, argv);
	if (i < 0)
		goto bad;
	for (; i < argc; i++)
		tokenize_word(&p.t, argv[i]);
	if (!parse_expr(&p))
		goto bad;
	tokens_free(&p.t);
	return p.f;
bad:
	tokens_free(&p.t);
	ssfilter_free(p.f);
	return NULL;
}

struct ssfilter *ssfilter_parse(int argc, char **argv, const struct resolver *r, char *err,
				size_t errlen)
{
	return ssfilter_parse_family(argc, argv, 0, r, err, errlen);
}

uint32_t ssfilter_states(const struct ssfilter *f)
{
	return f ? f->states : 0;
}

bool ssfilter_has_expr(const struct ssfilter *f)
{
	return f && f->n > 0;
}

bool ssfilter_uses_cgroup(const struct ssfilter *f)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (f->prog[i].type == N_CGROUP)
			return true;
	return false;
}

bool ssfilter_uses_autobound(const struct ssfilter *f)
{
	for (size_t i = 0; f && i < f->n; i++)
		if (f->prog[i].type == N_AUTO)
			return true;
	return false;
}

int ssfilter_family(const struct ssfilter *f)
{
	return f ? f->family : 0;
}

void ssfilter_free(struct ssfilter *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++)
		if (f->prog[i].type == N_HOST)
			hostcond_free(&f->prog[i].host);
	free(f->prog);
	free(f);
}

/* ---- evaluation ------------------------------------------------------ */

/* A socket as ss's filters see it: index 0 local, 1 remote. */
struct view {
	const struct sock_entry *e;
	bool is_unix;
	uint8_t addr[2][16];
	/* ss's ports are ints; a unix socket's are its inode and its peer's */
	int port[2];
	const char *name; /* unix: the bound path, NULL if none */
	uint32_t ifindex, mark;
	uint64_t cgroup;
	unsigned int eph_lo, eph_hi;
};

static void view_init(struct view *v, const struct sock_entry *e, unsigned int lo, unsigned int hi)
{
	memset(v, 0, sizeof(*v));
	v->e = e;
	v->eph_lo = lo;
	v->eph_hi = hi;
	v->is_unix = e->family == AF_UNIX;
	if (e->family == AF_NETLINK || e->family == AF_PACKET) {
		/* as ss fills its sockstat for them: the protocol as the address
		 * word, the port id (netlink, no peer: -1) or the device (packet) as
		 * the port; no mark or cgroup */
		uint32_t proto = e->family == AF_NETLINK ? e->proto : e->pkt_proto;

		memcpy(v->addr[0], &proto, sizeof(proto));
		v->port[0] = e->family == AF_NETLINK ? (int)e->nl_portid : (int)e->ifindex;
		v->port[1] = e->family == AF_NETLINK ? -1 : 0;
		v->ifindex = e->family == AF_PACKET ? e->ifindex : 0;
		return;
	}
	if (v->is_unix) {
		/* ss reads no device, mark or cgroup for unix sockets: all 0 */
		v->port[0] = (int)(uint32_t)e->inode;
		v->port[1] = (int)(uint32_t)e->unix_peer;
		v->name = e->unix_path && e->unix_path[0] ? e->unix_path : NULL;
		return;
	}
	memcpy(v->addr[0], e->laddr, e->family == AF_INET6 ? 16 : 4);
	memcpy(v->addr[1], e->raddr, e->family == AF_INET6 ? 16 : 4);
	v->port[0] = e->lport;
	v->port[1] = e->rport;
	v->ifindex = e->ifindex;
	v->mark = e->mark;
	v->cgroup = e->cgroup;
}

/* Do the first bits of a and b agree (bits <= 128)? */
static bool prefix_eq(const uint8_t *a, const uint8_t *b, unsigned int bits)
{
	unsigned int bytes = bits / 8, rest = bits % 8;

	if (memcmp(a, b, bytes))
		return false;
	if (!rest)
		return true;
	return ((a[bytes] ^ b[bytes]) & (0xff00 >> rest)) == 0;
}

static bool is_v4_mapped(const uint8_t *a)
{
	static const uint8_t pfx[12] = { [10] = 0xff, [11] = 0xff };

	return memcmp(a, pfx, sizeof(pfx)) == 0;
}

/*
 * One address rule. ss's own check compares raw bits whatever the
 * families and then tries a v4-mapped socket against an IPv4 rule; the
 * kernel's bytecode wants equal families, except for that same v4-mapped
 * case.
 */
static bool addr_match(const struct view *v, const uint8_t *sa, const struct ssf_addr *a,
		       bool kernel)
{
	bool mapped = v->e->family == AF_INET6 && a->family == AF_INET && is_v4_mapped(sa);

	if (mapped && prefix_eq(sa + 12, a->addr, a->bitlen))
		return true;
	if (kernel && a->family != v->e->family)
		return false;
	return prefix_eq(sa, a->addr, a->bitlen);
}

static bool host_match(const struct view *v, const struct node *n, bool kernel)
{
	const struct hostcond *h = &n->host;
	int side = n->remote;

	if (h->pattern) {
		/* ss knows a unix socket's peer only by inode: the remote name is "" */
		const char *name = side == 0 && v->name ? v->name : "";

		return v->is_unix && fnmatch(h->pattern, name, FNM_CASEFOLD) == 0;
	}
	if (h->port != -1 && h->port != v->port[side])
		return false;
	if (!h->naddr)
		return true;
	/* ss compares an inet rule with a unix socket's name pointer: only a
	 * missing name (all zero) can match */
	if (v->is_unix && side == 0 && v->name)
		return false;
	for (int i = 0; i < h->naddr; i++)
		if (addr_match(v, v->addr[side], &h->addrs[i], kernel))
			return true;
	return false;
}

/* The kernel's bytecode carries the bound as 16 bits. */
static bool port_cmp(const struct view *v, const struct node *n, bool kernel)
{
	int port = v->port[n->remote];
	int bound = kernel ? (int)(uint16_t)n->port : n->port;

	return n->type == N_PORT_GE ? port >= bound : port <= bound;
}

/*
 * ss: a unix socket is autobound when unnamed or named "@" and 5 hex
 * digits; an inet one when its port is in ip_local_port_range. The
 * kernel's bytecode asks instead whether bind() chose the port
 * (SOCK_BINDPORT_LOCK), which the iterators read; where the socket table
 * lacks it (sock_diag), a TCP listener is taken as bound by bind().
 */
static bool auto_match(const struct view *v, bool kernel)
{
	const char *s = v->name;

	if (v->is_unix)
		return !s ||
		       (s[0] == '@' && strlen(s) == 6 && strspn(s + 1, "0123456789abcdef") == 5);
	/* ss: a netlink socket the kernel numbered, a packet socket bound to nothing */
	if (v->e->family == AF_NETLINK)
		return v->port[0] < 0;
	if (v->e->family == AF_PACKET)
		return v->port[0] == 0 && v->e->pkt_proto == 0;
	if (kernel && v->e->bind_known)
		return !v->e->port_bound;
	if (kernel)
		return !(v->e->kind == SK_TCP && v->e->state == SOCKTAP_TCP_LISTEN);
	return v->port[0] >= 0 && (unsigned int)v->port[0] >= v->eph_lo &&
	       (unsigned int)v->port[0] <= v->eph_hi;
}

static bool leaf(const struct view *v, const struct node *n, bool kernel)
{
	switch (n->type) {
	case N_HOST:
		return host_match(v, n, kernel);
	case N_PORT_GE:
	case N_PORT_LE:
		return port_cmp(v, n, kernel);
	case N_DEV:
		return v->ifindex == n->ifindex;
	case N_MARK:
		return (v->mark & n->mark.mask) == n->mark.value;
	case N_CGROUP:
		return v->cgroup == n->cgroup;
	case N_AUTO:
		return auto_match(v, kernel);
	default:
		return false;
	}
}

static bool run(const struct ssfilter *f, const struct view *v, bool kernel)
{
	bool st[SSF_STACK];
	size_t sp = 0;

	for (size_t i = 0; i < f->n; i++) {
		const struct node *n = &f->prog[i];

		if (n->type == N_AND || n->type == N_OR) {
			if (sp < 2)
				return false;
			sp--;
			st[sp - 1] = n->type == N_AND ? st[sp - 1] && st[sp] : st[sp - 1] || st[sp];
		} else if (n->type == N_NOT) {
			if (sp < 1)
				return false;
			st[sp - 1] = !st[sp - 1];
		} else {
			if (sp >= SSF_STACK)
				return false;
			st[sp++] = leaf(v, n, kernel);
		}
	}
	return sp == 1 && st[0];
}

bool ssfilter_match(const struct ssfilter *f, const struct sock_entry *e, unsigned int ephemeral_lo,
		    unsigned int ephemeral_hi)
{
	struct view v;

	if (!f || !f->n)
		return true;
	view_init(&v, e, ephemeral_lo, ephemeral_hi);
	if (!run(f, &v, false))
		return false;
	/* ss's kernel filter applies to inet sockets (inet_diag) only */
	if ((e->family != AF_INET && e->family != AF_INET6) || !f->kernel)
		return true;
	return run(f, &v, true);
}
