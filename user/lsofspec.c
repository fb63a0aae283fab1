// SPDX-License-Identifier: GPL-2.0
/*
 * lsof's selection options and output columns, pure. Every loop is bounded by
 * the length of its input (at most LSOF_SPEC_MAX) or by a table's size, so
 * any input ends in an entry or an error.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "escape.h"
#include "format.h"
#include "lsofspec.h"
#include "parse.h"
#include "socktap.h"
#include "strbuf.h"
#include "util.h"

#ifndef IPPROTO_UDPLITE
#define IPPROTO_UDPLITE 136
#endif

#define MAX_HOST_ADDRS 16
#define SERVICE_NAME_MAX 64
#define LOGIN_NAME_MAX_LEN 64
#define REGEX_LEN_MAX 128
/* ports above 65535 are refused (lsof matches nothing); the number must not overflow */
#define PORT_SATURATE 1000000

/* lsof's Linux TCP state table (dsock.c build_IPstates), indexed by kernel state */
static const char *const state_names[LSOF_NSTATES] = {
	"CLOSED",    "ESTABLISHED", "SYN_SENT",	  "SYN_RECV", "FIN_WAIT1", "FIN_WAIT2",
	"TIME_WAIT", "CLOSE",	    "CLOSE_WAIT", "LAST_ACK", "LISTEN",	   "CLOSING",
};

const char *lsof_state_name(unsigned int st)
{
	return st < LSOF_NSTATES ? state_names[st] : NULL;
}

/* A word of untrusted input, quoted for an error line: printable ASCII or \xNN, cut at 48. */
static void quote_word(char *dst, size_t dlen, const char *s, size_t n)
{
	size_t o = 0;

	if (dlen == 0)
		return;
	for (size_t i = 0; i < n && s[i] && o + 5 < dlen; i++) {
		unsigned char c = (unsigned char)s[i];

		if (i >= 48) {
			o += (size_t)snprintf(dst + o, dlen - o, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f)
			dst[o++] = (char)c;
		else
			o += (size_t)snprintf(dst + o, dlen - o, "\\x%02x", c);
	}
	dst[o < dlen ? o : dlen - 1] = '\0';
}

__attribute__((format(printf, 3, 4))) static int fail(char *err, size_t errlen, const char *fmt,
						      ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

void lsof_sel_init(struct lsof_sel *s)
{
	memset(s, 0, sizeof(*s));
}

void lsof_sel_free(struct lsof_sel *s)
{
	for (unsigned int i = 0; i < s->nrx; i++)
		regfree(&s->rx[i]);
	s->nrx = 0;
}

/* ---- -i ---- */

/*
 * lsof's isIPv4addr: four dotted decimal octets up to ':' or the end. Returns
 * the end, or NULL if wa is not such an address (it is then a host name).
 */
static const char *parse_ipv4(const char *wa, uint8_t *a)
{
	int ov[4] = { 0, -1, -1, -1 };
	int ovx = 0, dots = 0;

	if (*wa < '0' || *wa > '9')
		return NULL;
	ov[0] = *wa++ - '0';
	for (; *wa && *wa != ':'; wa++) {
		if (*wa == '.') {
			dots++;
			if (ov[ovx] < 0 || ov[ovx] > 255 || ++ovx > 3)
				return NULL;
			ov[ovx] = -1;
		} else if (*wa >= '0' && *wa <= '9') {
			ov[ovx] = ov[ovx] < 0 ? *wa - '0' : ov[ovx] * 10 + (*wa - '0');
			if (ov[ovx] > 255)
				return NULL;
		} else {
			return NULL;
		}
	}
	if (dots != 3 || ovx != 3 || ov[3] < 0 || ov[3] > 255)
		return NULL;
	for (int i = 0; i < 4; i++)
		a[i] = (uint8_t)ov[i];
	return wa;
}

static bool all_zero(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

static bool is_v4mapped(const uint8_t *a)
{
	static const uint8_t pfx[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return memcmp(a, pfx, sizeof(pfx)) == 0;
}

struct inet_parse {
	struct lsof_sel *s;
	const char *spec; /* for errors */
	char q[200]; /* spec, quoted */
	char *err;
	size_t errlen;
	struct lsof_inet n; /* protocol, family, and the address when there is one */
	struct resolved_addr addrs[MAX_HOST_ADDRS];
	int naddrs; /* > 0: a host name's addresses, one entry each */
	const char *proto_name; /* "tcp", "udp", "udplite" or NULL */
};

static int enter_one(struct inet_parse *P, const struct lsof_inet *n, int32_t sp, int32_t ep)
{
	struct lsof_sel *s = P->s;
	size_t alen = n->family == AF_INET6 ? 16 : 4;

	/* lsof's enter_nwad: something must narrow the selection */
	if (!n->proto && (!n->has_addr || all_zero(n->addr, alen)) && sp == -1)
		return fail(P->err, P->errlen, "-i '%s': incomplete Internet address specification",
			    P->q);
	if (s->ninet >= LSOF_INET_MAX)
		return fail(P->err, P->errlen, "-i '%s': more than %d addresses and port ranges",
			    P->q, LSOF_INET_MAX);
	s->inet[s->ninet] = *n;
	s->inet[s->ninet].has_addr = n->has_addr && !all_zero(n->addr, alen);
	s->inet[s->ninet].sport = sp;
	s->inet[s->ninet].eport = ep;
	s->inet[s->ninet].arg = (uint16_t)s->ninet_args;
	s->ninet++;
	return 0;
}

/* One entry per address of the host name (or the one address, or none). */
static int enter_range(struct inet_parse *P, int32_t sp, int32_t ep)
{
	struct lsof_inet n = P->n;

	if (P->naddrs <= 0)
		return enter_one(P, &P->n, sp, ep);
	for (int i = 0; i < P->naddrs; i++) {
		n.family = P->addrs[i].family;
		n.has_addr = true;
		memset(n.addr, 0, sizeof(n.addr));
		memcpy(n.addr, P->addrs[i].addr, n.family == AF_INET ? 4 : 16);
		if (enter_one(P, &n, sp, ep))
			return -1;
	}
	return 0;
}

/* Port of service name sn (length l) for the protocol given, or for both TCP and UDP. */
static int lookup_service(struct inet_parse *P, const struct resolver *r, const char *sn, size_t l,
			  int32_t *port)
{
	char name[SERVICE_NAME_MAX + 1], qn[SERVICE_NAME_MAX * 4 + 8];
	int t, u;

	quote_word(qn, sizeof(qn), sn, l);
	if (l == 0)
		return fail(P->err, P->errlen, "-i '%s': empty service name", P->q);
	if (l > SERVICE_NAME_MAX)
		return fail(P->err, P->errlen, "-i '%s': unknown service '%s'", P->q, qn);
	memcpy(name, sn, l);
	name[l] = '\0';
	if (!r || !r->service)
		return fail(P->err, P->errlen, "-i '%s': unknown service '%s'", P->q, qn);
	if (P->proto_name) {
		t = r->service(r->ctx, name, P->proto_name);
		if (t < 0 || t > 65535)
			return fail(P->err, P->errlen, "-i '%s': unknown service '%s' for %s", P->q,
				    qn, P->proto_name);
		*port = t;
		return 0;
	}
	t = r->service(r->ctx, name, "tcp");
	u = r->service(r->ctx, name, "udp");
	if (t > 65535)
		t = -1;
	if (u > 65535)
		u = -1;
	if (t < 0 && u < 0)
		return fail(P->err, P->errlen, "-i '%s': unknown service '%s'", P->q, qn);
	if (t >= 0 && u >= 0 && t != u)
		return fail(P->err, P->errlen,
			    "-i '%s': service '%s' is TCP port %d and UDP port %d: "
			    "say tcp:%s or udp:%s",
			    P->q, qn, t, u, qn, qn);
	*port = t >= 0 ? t : u;
	return 0;
}

/* ":service|port[,...][-range]" after the colon; lsof's grammar and quirks. */
static int parse_ports(struct inet_parse *P, const struct resolver *r, const char *wa)
{
	const char *unacc = "-i '%s': unacceptable port specification";

	while (*wa) {
		int32_t sp = 0, ep = 0;
		bool range = false;

		for (;;) {
			if (*wa < '0' || *wa > '9') {
				/* a name runs to the comma: a '-' in it is part of the name */
				const char *p = wa;
				int32_t pt = 0;

				while (*wa && *wa != ',')
					wa++;
				if (lookup_service(P, r, p, (size_t)(wa - p), &pt))
					return -1;
				if (range)
					ep = pt;
				else
					sp = pt;
			} else {
				for (; *wa && *wa != ','; wa++) {
					int32_t *v = range ? &ep : &sp;

					if (*wa == '-') {
						if (range)
							return fail(P->err, P->errlen, unacc, P->q);
						range = true;
						break;
					}
					if (*wa < '0' || *wa > '9')
						return fail(P->err, P->errlen, unacc, P->q);
					*v = *v * 10 + (*wa - '0');
					if (*v > PORT_SATURATE)
						*v = PORT_SATURATE;
				}
			}
			if (!*wa || *wa == ',')
				break;
			/* only a '-' stops a number elsewhere: the range's end follows */
			wa++;
			if (!*wa)
				break;
		}
		if (!range)
			ep = sp;
		/* lsof takes such a port and matches nothing: say what is wrong */
		if (sp > 65535 || ep > 65535)
			return fail(P->err, P->errlen, "-i '%s': port out of range (0 to 65535)",
				    P->q);
		if (ep < sp)
			return fail(P->err, P->errlen, unacc, P->q);
		if (enter_range(P, sp, ep))
			return -1;
		if (!*wa)
			break;
		wa++; /* the comma; a trailing one ends the list */
	}
	return 0;
}

/* "@host", "@a.b.c.d", "@[v6]"; returns where the address ends, or NULL on error. */
static const char *parse_addr(struct inet_parse *P, const struct resolver *r, const char *wa,
			      int ft)
{
	const char *unacc = "-i '%s': unacceptable Internet address";
	const char *p;

	if (!*wa || *wa == ':')
		return fail(P->err, P->errlen, unacc, P->q), NULL;
	if ((p = parse_ipv4(wa, P->n.addr))) {
		if (ft == 6)
			return fail(P->err, P->errlen, "-i '%s': IPv4 addresses are prohibited",
				    P->q),
			       NULL;
		P->n.family = AF_INET;
		P->n.has_addr = true;
		return p;
	}
	if (*wa == '[') {
		char buf[INET6_ADDRSTRLEN + 16];
		const char *close;
		size_t l;

		if (ft == 4)
			return fail(P->err, P->errlen, "-i '%s': IPv6 addresses are prohibited",
				    P->q),
			       NULL;
		/* lsof takes the last ']' */
		close = strrchr(wa + 1, ']');
		if (!close)
			return fail(P->err, P->errlen, unacc, P->q), NULL;
		l = (size_t)(close - (wa + 1));
		if (l >= sizeof(buf))
			return fail(P->err, P->errlen, unacc, P->q), NULL;
		memcpy(buf, wa + 1, l);
		buf[l] = '\0';
		if (inet_pton(AF_INET6, buf, P->n.addr) != 1 || all_zero(P->n.addr, 16))
			return fail(P->err, P->errlen, unacc, P->q), NULL;
		if (is_v4mapped(P->n.addr)) {
			if (ft == 6)
				return fail(P->err, P->errlen,
					    "-i '%s': IPv4 addresses are prohibited", P->q),
				       NULL;
			memmove(P->n.addr, P->n.addr + 12, 4);
			memset(P->n.addr + 4, 0, 12);
			P->n.family = AF_INET;
		} else {
			P->n.family = AF_INET6;
		}
		P->n.has_addr = true;
		return close + 1;
	}
	/* a host name, up to the colon */
	{
		char name[LSOF_SPEC_MAX + 1], qn[200];
		struct resolved_addr got[MAX_HOST_ADDRS];
		int fam = ft == 4 ? AF_INET : ft == 6 ? AF_INET6 : 0, n = -1, k = 0;
		size_t l;

		for (p = wa; *p && *p != ':'; p++)
			;
		l = (size_t)(p - wa);
		memcpy(name, wa, l);
		name[l] = '\0';
		quote_word(qn, sizeof(qn), name, l);
		if (r && r->host)
			n = r->host(r->ctx, name, fam, got, MAX_HOST_ADDRS);
		if (n > MAX_HOST_ADDRS)
			n = MAX_HOST_ADDRS;
		for (int i = 0; i < n; i++) {
			if (got[i].family != AF_INET && got[i].family != AF_INET6)
				continue;
			if (fam && got[i].family != fam)
				continue;
			P->addrs[k++] = got[i];
		}
		if (k == 0)
			return fail(P->err, P->errlen, "-i '%s': unknown host name '%s'", P->q, qn),
			       NULL;
		P->naddrs = k;
		return p;
	}
}

int lsof_sel_add_inet(struct lsof_sel *s, const char *spec, const struct resolver *r, char *err,
		      size_t errlen)
{
	struct inet_parse P = { .s = s, .spec = spec, .err = err, .errlen = errlen };
	unsigned int ninet0 = s->ninet;
	const char *wa;
	size_t sl;
	int ft = 0;

	if (!spec || !*spec) {
		/* -i alone: every inet socket, of both versions */
		s->net = true;
		s->net_version = 0;
		return 0;
	}
	sl = strnlen(spec, LSOF_SPEC_MAX + 1);
	quote_word(P.q, sizeof(P.q), spec, sl);
	if (sl > LSOF_SPEC_MAX)
		return fail(err, errlen, "-i '%s': longer than %d bytes", P.q, LSOF_SPEC_MAX);
	if (s->ninet_args >= LSOF_INET_ARGS_MAX)
		return fail(err, errlen, "-i '%s': more than %d -i options", P.q,
			    LSOF_INET_ARGS_MAX);
	wa = spec;
	if (*wa == '4' || *wa == '6') {
		ft = *wa - '0';
		wa++;
		if (!*wa) {
			/* -i4 then -i6 is -i (lsof's FnetTy rules) */
			if (!s->net) {
				s->net = true;
				s->net_version = (uint8_t)ft;
			} else if (s->net_version) {
				if (s->net_version != ft)
					s->net_version = 0;
			} else {
				s->net_version = (uint8_t)ft;
			}
			return 0;
		}
	} else if (s->net) {
		/* an earlier -i4 or -i6 applies to later specs, as in lsof */
		ft = s->net_version;
	}
	P.n.family = ft == 4 ? AF_INET : ft == 6 ? AF_INET6 : 0;

	if (*wa && *wa != '@' && *wa != ':') {
		const char *p = wa;
		size_t l;
		char qp[200];

		while (*wa && *wa != '@' && *wa != ':')
			wa++;
		l = (size_t)(wa - p);
		if (l == 3 && !strncasecmp(p, "tcp", 3)) {
			P.n.proto = IPPROTO_TCP;
			P.proto_name = "tcp";
		} else if (l == 3 && !strncasecmp(p, "udp", 3)) {
			P.n.proto = IPPROTO_UDP;
			P.proto_name = "udp";
		} else if (l == 7 && !strncasecmp(p, "udplite", 7)) {
			P.n.proto = IPPROTO_UDPLITE;
			P.proto_name = "udplite";
		} else {
			quote_word(qp, sizeof(qp), p, l);
			return fail(err, errlen, "-i '%s': unknown protocol name '%s'", P.q, qp);
		}
	}
	if (*wa == '@') {
		wa = parse_addr(&P, r, wa + 1, ft);
		if (!wa)
			return -1;
	}
	if (!*wa) {
		if (enter_range(&P, -1, -1))
			goto undo;
	} else if (*wa != ':' || !wa[1]) {
		fail(err, errlen, "-i '%s': unacceptable port specification", P.q);
		goto undo;
	} else if (parse_ports(&P, r, wa + 1)) {
		goto undo;
	}
	s->ninet_args++;
	return 0;
undo:
	s->ninet = ninet0;
	return -1;
}

/* ---- -s ---- */

int lsof_sel_add_state(struct lsof_sel *s, const char *spec, char *err, size_t errlen)
{
	char q[200], qn[200];
	uint32_t incl = s->state_incl, excl = s->state_excl;
	const char *cp;
	size_t sl;

	if (!spec)
		return fail(err, errlen, "-s: no protocol and state names");
	sl = strnlen(spec, LSOF_SPEC_MAX + 1);
	quote_word(q, sizeof(q), spec, sl);
	if (sl > LSOF_SPEC_MAX)
		return fail(err, errlen, "-s '%s': longer than %d bytes", q, LSOF_SPEC_MAX);
	if (!strncasecmp(spec, "UDP:", 4))
		/* lsof on Linux has no UDP state names */
		return fail(err, errlen, "-s '%s': no UDP state names available", q);
	if (strncasecmp(spec, "TCP:", 4))
		return fail(err, errlen, "-s '%s': unknown -s protocol (TCP:STATE[,...] expected)",
			    q);
	cp = spec + 4;
	if (!*cp)
		return fail(err, errlen, "-s '%s': no TCP state names", q);
	while (*cp) {
		bool x = false;
		const char *ns;
		size_t l;
		int found = -1;
		uint32_t *tbl;

		if (*cp == '^') {
			x = true;
			cp++;
		}
		ns = cp;
		while (*cp && *cp != ',')
			cp++;
		l = (size_t)(cp - ns);
		if (*cp)
			cp++;
		if (l == 0)
			return fail(err, errlen, "-s '%s': empty TCP state name", q);
		quote_word(qn, sizeof(qn), ns, l);
		for (int i = 0; i < LSOF_NSTATES; i++)
			if (strlen(state_names[i]) == l && !strncasecmp(ns, state_names[i], l))
				found = i;
		if (found < 0)
			return fail(err, errlen,
				    "-s '%s': unknown TCP state name '%s' (LISTEN, ESTABLISHED, "
				    "SYN_SENT, SYN_RECV, FIN_WAIT1, FIN_WAIT2, TIME_WAIT, CLOSE, "
				    "CLOSE_WAIT, LAST_ACK, CLOSING, CLOSED)",
				    q, qn);
		tbl = x ? &excl : &incl;
		if (*tbl & (1u << found))
			return fail(err, errlen, "-s '%s': duplicate TCP %sclusion: %s", q,
				    x ? "ex" : "in", state_names[found]);
		*tbl |= 1u << found;
	}
	s->state_incl = incl;
	s->state_excl = excl;
	return 0;
}

/* ---- -p, -u ---- */

/* Adds id to tbl unless there; an id both included and excluded is an error. */
static int add_id(struct lsof_id *tbl, unsigned int *n, uint32_t id, bool excl, const char *what,
		  char *err, size_t errlen)
{
	for (unsigned int i = 0; i < *n; i++) {
		if (tbl[i].id != id)
			continue;
		if (tbl[i].excl == excl)
			return 0;
		return fail(err, errlen, "%s %u has been included and excluded", what, id);
	}
	if (*n >= LSOF_IDS_MAX)
		return fail(err, errlen, "more than %d %ss", LSOF_IDS_MAX, what);
	tbl[*n].id = id;
	tbl[*n].excl = excl;
	(*n)++;
	return 0;
}

/*
 * Splits a comma list; calls one(elem, len, excl) per element. A trailing
 * comma is allowed (lsof ignores it), an empty element is not.
 */
typedef int (*elem_fn)(struct lsof_sel *s, const char *e, size_t l, bool excl, const void *arg,
		       char *err, size_t errlen);

static int for_each_elem(struct lsof_sel *s, const char *opt, const char *list, elem_fn one,
			 const void *arg, char *err, size_t errlen)
{
	char q[200];
	const char *cp = list;
	size_t sl;

	if (!list)
		return fail(err, errlen, "%s: no value", opt);
	sl = strnlen(list, LSOF_SPEC_MAX + 1);
	quote_word(q, sizeof(q), list, sl);
	if (sl > LSOF_SPEC_MAX)
		return fail(err, errlen, "%s '%s': longer than %d bytes", opt, q, LSOF_SPEC_MAX);
	if (!*cp)
		return fail(err, errlen, "%s: empty list", opt);
	while (*cp) {
		const char *e = cp;
		bool x = false;
		size_t l;

		while (*cp && *cp != ',')
			cp++;
		l = (size_t)(cp - e);
		if (*cp)
			cp++;
		if (l && *e == '^') {
			x = true;
			e++;
			l--;
		}
		if (l == 0)
			return fail(err, errlen, "%s '%s': empty element", opt, q);
		if (one(s, e, l, x, arg, err, errlen))
			return -1;
	}
	return 0;
}

static int one_pid(struct lsof_sel *s, const char *e, size_t l, bool excl, const void *arg,
		   char *err, size_t errlen)
{
	char buf[16], q[200];
	uint64_t v;

	(void)arg;
	quote_word(q, sizeof(q), e, l);
	if (l >= sizeof(buf))
		return fail(err, errlen, "-p: illegal process ID '%s'", q);
	memcpy(buf, e, l);
	buf[l] = '\0';
	if (parse_u64(buf, 0, INT32_MAX, &v))
		return fail(err, errlen, "-p: illegal process ID '%s'", q);
	return add_id(s->pids, &s->npids, (uint32_t)v, excl, "PID", err, errlen);
}

int lsof_sel_add_pids(struct lsof_sel *s, const char *list, char *err, size_t errlen)
{
	unsigned int n0 = s->npids;

	if (for_each_elem(s, "-p", list, one_pid, NULL, err, errlen)) {
		s->npids = n0;
		return -1;
	}
	return 0;
}

static int one_user(struct lsof_sel *s, const char *e, size_t l, bool excl, const void *arg,
		    char *err, size_t errlen)
{
	const struct resolver *r = arg;
	char buf[LOGIN_NAME_MAX_LEN + 1], q[200];
	bool digits = true;
	uint64_t v;

	quote_word(q, sizeof(q), e, l);
	if (l > LOGIN_NAME_MAX_LEN)
		return fail(err, errlen, "-u: login name '%s' longer than %d bytes", q,
			    LOGIN_NAME_MAX_LEN);
	memcpy(buf, e, l);
	buf[l] = '\0';
	for (size_t i = 0; i < l; i++)
		if (!isdigit((unsigned char)buf[i]))
			digits = false;
	if (digits) {
		if (parse_u64(buf, 0, UINT32_MAX - 1, &v))
			return fail(err, errlen, "-u: illegal user ID '%s'", q);
	} else {
		long uid = r && r->user ? r->user(r->ctx, buf) : -1;

		if (uid < 0 || uid >= (long)UINT32_MAX)
			return fail(err, errlen, "-u: can't get UID for '%s'", q);
		v = (uint64_t)uid;
	}
	return add_id(s->uids, &s->nuids, (uint32_t)v, excl, "UID", err, errlen);
}

int lsof_sel_add_users(struct lsof_sel *s, const char *list, const struct resolver *r, char *err,
		       size_t errlen)
{
	unsigned int n0 = s->nuids;

	if (for_each_elem(s, "-u", list, one_user, r, err, errlen)) {
		s->nuids = n0;
		return -1;
	}
	return 0;
}

/* ---- -c ---- */

/*
 * glibc compiles a bounded repetition by copying its operand, so nested
 * ones multiply: allow one, with small bounds. A '+' copies its operand
 * once, so nested ones ("((a+)+)+") double the tree at each level: at most
 * 10, or 2 beside a {m,n}. And a repetition of a repetition ("a++"),
 * which POSIX leaves undefined, is refused. regcomp stays cheap on any
 * input.
 */
static bool regex_is_cheap(const char *re, size_t l)
{
	bool in_bracket = false, after_rep = false;
	int braces = 0, pluses = 0;
	size_t open = 0; /* where the bracket expression began */

	for (size_t i = 0; i < l; i++) {
		char c = re[i];

		if (in_bracket) {
			/* "[[:alpha:]]", "[[.-.]]", "[[=a=]]": their ']' is not the end */
			if (c == '[' && i + 1 < l &&
			    (re[i + 1] == ':' || re[i + 1] == '.' || re[i + 1] == '=')) {
				char d = re[i + 1];
				size_t k = i + 2;

				while (k + 1 < l && !(re[k] == d && re[k + 1] == ']'))
					k++;
				i = k + 1;
				continue;
			}
			/* "[]a]" and "[^]a]": a leading ']' is literal */
			if (c == ']' && i != open + 1 && !(i == open + 2 && re[open + 1] == '^'))
				in_bracket = false;
			continue;
		}
		if (c == '\\') {
			i++;
			after_rep = false;
			continue;
		}
		if (c == '[') {
			in_bracket = true;
			open = i;
			after_rep = false;
			continue;
		}
		if (c == '*' || c == '+' || c == '?' || c == '{') {
			if (after_rep)
				return false;
			after_rep = true;
			pluses += c == '+';
		} else if (c != '}' && c != ',' && !isdigit((unsigned char)c)) {
			after_rep = false;
		}
		if (c != '{')
			continue;
		if (++braces > 1)
			return false;
		for (size_t k = i + 1, v = 0;
		     k < l && (isdigit((unsigned char)re[k]) || re[k] == ','); k++) {
			v = re[k] == ',' ? 0 : v * 10 + (size_t)(re[k] - '0');
			if (v > 255)
				return false;
		}
	}
	return pluses <= (braces ? 2 : 10);
}

static int add_cmd_rx(struct lsof_sel *s, const char *x, char *err, size_t errlen)
{
	char q[200], re[REGEX_LEN_MAX + 1];
	const char *xb = x + 1, *xe, *xm;
	int flags = REG_NOSUB | REG_EXTENDED;
	bool b = false, i = false, xx = false;
	size_t l;

	quote_word(q, sizeof(q), x, strnlen(x, LSOF_SPEC_MAX + 1));
	for (xe = xb; *xe && *xe != '/'; xe++)
		;
	if (*xe != '/')
		return fail(err, errlen, "-c '%s': regexp doesn't end with '/'", q);
	for (xm = xe + 1; *xm; xm++) {
		switch (*xm) {
		case 'b':
			if (b || xx)
				return fail(err, errlen, "-c '%s': %s", q,
					    b ? "b regexp modifier already used" :
						"b and x regexp modifiers conflict");
			b = true;
			flags &= ~REG_EXTENDED;
			break;
		case 'i':
			if (i)
				return fail(err, errlen, "-c '%s': i regexp modifier already used",
					    q);
			i = true;
			flags |= REG_ICASE;
			break;
		case 'x':
			if (xx || b)
				return fail(err, errlen, "-c '%s': %s", q,
					    xx ? "x regexp modifier already used" :
						 "b and x regexp modifiers conflict");
			xx = true;
			break;
		default:
			return fail(err, errlen, "-c '%s': invalid regexp modifier '%c'", q,
				    isprint((unsigned char)*xm) ? *xm : '?');
		}
	}
	l = (size_t)(xe - xb);
	if (l > REGEX_LEN_MAX)
		return fail(err, errlen, "-c '%s': regexp longer than %d bytes", q, REGEX_LEN_MAX);
	if (!regex_is_cheap(xb, l))
		return fail(err, errlen,
			    "-c '%s': regexp too costly (one {m,n} of at most 255, at most "
			    "10 '+', no repetition of a repetition)",
			    q);
	if (s->nrx >= LSOF_RX_MAX)
		return fail(err, errlen, "-c '%s': more than %d regexps", q, LSOF_RX_MAX);
	memcpy(re, xb, l);
	re[l] = '\0';
	if (regcomp(&s->rx[s->nrx], re, flags) != 0)
		return fail(err, errlen, "-c '%s': bad regexp", q);
	s->nrx++;
	return 0;
}

int lsof_sel_add_cmd(struct lsof_sel *s, const char *cmd, char *err, size_t errlen)
{
	char q[200];
	bool x = false;
	size_t l;

	if (!cmd || *cmd == '-' || *cmd == '+')
		return fail(err, errlen, "-c: missing command name");
	l = strnlen(cmd, LSOF_SPEC_MAX + 1);
	quote_word(q, sizeof(q), cmd, l);
	if (l > LSOF_SPEC_MAX)
		return fail(err, errlen, "-c '%s': longer than %d bytes", q, LSOF_SPEC_MAX);
	if (*cmd == '/')
		return add_cmd_rx(s, cmd, err, errlen);
	if (*cmd == '^') {
		x = true;
		cmd++;
		l--;
	}
	/* lsof takes '' as a prefix of every name; an empty name is more
	 * likely an unset shell variable than a wish to match everything */
	if (l == 0)
		return fail(err, errlen, "-c '%s': empty command name", q);
	if (l > LSOF_CMD_LEN)
		return fail(err, errlen, "-c '%s': length (%zu) > what the system provides (%d)", q,
			    l, LSOF_CMD_LEN);
	if (s->ncmds >= LSOF_CMDS_MAX)
		return fail(err, errlen, "-c '%s': more than %d -c options", q, LSOF_CMDS_MAX);
	memcpy(s->cmds[s->ncmds].str, cmd, l);
	s->cmds[s->ncmds].str[l] = '\0';
	s->cmds[s->ncmds].len = (uint8_t)l;
	s->cmds[s->ncmds].excl = x;
	s->ncmds++;
	return 0;
}

/* ---- selection ---- */

static unsigned int sel_flags(const struct lsof_sel *s)
{
	unsigned int f = 0;

	if (s->net)
		f |= LSOF_SEL_NET;
	if (s->ninet)
		f |= LSOF_SEL_NA;
	for (unsigned int i = 0; i < s->npids; i++)
		if (!s->pids[i].excl)
			f |= LSOF_SEL_PID;
	for (unsigned int i = 0; i < s->nuids; i++)
		if (!s->uids[i].excl)
			f |= LSOF_SEL_UID;
	for (unsigned int i = 0; i < s->ncmds; i++)
		if (!s->cmds[i].excl)
			f |= LSOF_SEL_CMD;
	if (s->nrx)
		f |= LSOF_SEL_CMD;
	return f;
}

int lsof_sel_check(const struct lsof_sel *s, char *err, size_t errlen)
{
	if (s->and &&!sel_flags(s))
		return fail(err, errlen, "no select options to AND via -a");
	return 0;
}

/* A socket's two ends as lsof sees them: v4-mapped IPv6 ends are IPv4. */
struct ends {
	int af;
	bool has[2]; /* local, remote */
	const uint8_t *a[2];
	uint16_t p[2];
};

static void sock_ends(const struct sock_entry *e, struct ends *x)
{
	size_t alen = e->family == AF_INET6 ? 16 : 4;

	x->af = e->family;
	x->a[0] = e->laddr;
	x->a[1] = e->raddr;
	x->p[0] = e->lport;
	x->p[1] = e->rport;
	x->has[0] = !all_zero(e->laddr, alen) || e->lport;
	x->has[1] = !all_zero(e->raddr, alen) || e->rport;
	if (e->family == AF_INET6 &&
	    ((x->has[1] && is_v4mapped(e->raddr)) || (x->has[0] && is_v4mapped(e->laddr)))) {
		x->af = AF_INET;
		x->a[0] += 12;
		x->a[1] += 12;
	}
}

static int sock_proto(const struct sock_entry *e)
{
	if (e->proto == IPPROTO_TCP || e->proto == IPPROTO_UDP)
		return e->proto;
	if (e->kind == SK_TCP)
		return IPPROTO_TCP;
	if (e->kind == SK_UDP)
		return IPPROTO_UDP;
	return 0;
}

/*
 * Would lsof list this socket under -i at all? Only TCP and UDP sockets in
 * /proc/net/{tcp,udp}{,6}: those are bound (a local port) and hashed.
 */
static bool sock_listable(const struct sock_entry *e)
{
	if (e->family != AF_INET && e->family != AF_INET6)
		return false;
	if (!sock_proto(e))
		return false;
	if (e->state == SOCKTAP_TCP_BOUND_INACTIVE)
		return false;
	return e->lport != 0;
}

static bool inet_match_end(const struct lsof_inet *n, int proto, int af, const uint8_t *a, int port)
{
	if (n->proto && n->proto != proto)
		return false;
	if (n->family && af != n->family)
		return false;
	if (n->has_addr && memcmp(a, n->addr, af == AF_INET6 ? 16 : 4) != 0)
		return false;
	return n->sport == -1 || (port >= n->sport && port <= n->eport);
}

static bool inet_match(const struct lsof_inet *n, int proto, const struct ends *x)
{
	for (int i = 0; i < 2; i++)
		if (x->has[i] && inet_match_end(n, proto, x->af, x->a[i], x->p[i]))
			return true;
	return false;
}

static bool cmd_prefix(const struct lsof_cmd *c, const char *comm)
{
	return strncmp(c->str, comm, c->len) == 0;
}

/* comm, NUL-terminated even if the owner's is not */
static void owner_comm(const struct sock_owner *o, char *buf)
{
	size_t l = strnlen(o->comm, sizeof(o->comm));

	memcpy(buf, o->comm, l);
	buf[l] = '\0';
}

static bool proc_excluded(const struct lsof_sel *s, const struct sock_owner *o, const char *comm)
{
	for (unsigned int i = 0; i < s->npids; i++)
		if (s->pids[i].excl && s->pids[i].id == o->pid)
			return true;
	for (unsigned int i = 0; i < s->nuids; i++)
		if (s->uids[i].excl && s->uids[i].id == o->uid)
			return true;
	for (unsigned int i = 0; i < s->ncmds; i++)
		if (s->cmds[i].excl && cmd_prefix(&s->cmds[i], comm))
			return true;
	return false;
}

static bool state_excluded(const struct lsof_sel *s, const struct sock_entry *e)
{
	/* states outside lsof's table pass both lists, as in lsof */
	if (e->state >= LSOF_NSTATES)
		return false;
	if (s->state_excl & (1u << e->state))
		return true;
	return s->state_incl && !(s->state_incl & (1u << e->state));
}

static bool version_selected(const struct lsof_sel *s, const struct sock_entry *e)
{
	return s->net && (e->family == AF_INET ? s->net_version != 6 : s->net_version != 4);
}

/* The classes the row satisfies (lsof's file sf flags). */
static unsigned int row_flags(const struct lsof_sel *s, const struct sock_entry *e,
			      const struct sock_owner *o, const char *comm)
{
	unsigned int f = 0;
	struct ends x;
	int proto = sock_proto(e);

	if (version_selected(s, e))
		f |= LSOF_SEL_NET;
	sock_ends(e, &x);
	for (unsigned int i = 0; i < s->ninet && !(f & LSOF_SEL_NA); i++)
		if (inet_match(&s->inet[i], proto, &x))
			f |= LSOF_SEL_NA;
	for (unsigned int i = 0; i < s->npids && !(f & LSOF_SEL_PID); i++)
		if (!s->pids[i].excl && s->pids[i].id == o->pid)
			f |= LSOF_SEL_PID;
	for (unsigned int i = 0; i < s->nuids && !(f & LSOF_SEL_UID); i++)
		if (!s->uids[i].excl && s->uids[i].id == o->uid)
			f |= LSOF_SEL_UID;
	for (unsigned int i = 0; i < s->ncmds && !(f & LSOF_SEL_CMD); i++)
		if (!s->cmds[i].excl && cmd_prefix(&s->cmds[i], comm))
			f |= LSOF_SEL_CMD;
	for (unsigned int i = 0; i < s->nrx && !(f & LSOF_SEL_CMD); i++)
		if (regexec(&s->rx[i], comm, 0, NULL, 0) == 0)
			f |= LSOF_SEL_CMD;
	return f;
}

bool lsof_sel_match(const struct lsof_sel *s, const struct sock_entry *e,
		    const struct sock_owner *o)
{
	char comm[sizeof(o->comm) + 1];
	unsigned int want, got;

	if (!sock_listable(e))
		return false;
	owner_comm(o, comm);
	if (proc_excluded(s, o, comm) || state_excluded(s, e))
		return false;
	want = sel_flags(s);
	if (!want)
		return true;
	got = row_flags(s, e, o, comm);
	return s->and ? (got & want) == want : got != 0;
}

/* What a row that matched satisfied. */
static void mark_matched(struct lsof_sel *s, const struct sock_entry *e, const struct sock_owner *o)
{
	char comm[sizeof(o->comm) + 1];
	struct ends x;
	int proto = sock_proto(e);

	owner_comm(o, comm);
	if (version_selected(s, e))
		s->found_net = true;
	sock_ends(e, &x);
	for (unsigned int i = 0; i < s->ninet; i++)
		if (s->inet[i].arg < LSOF_INET_ARGS_MAX && inet_match(&s->inet[i], proto, &x))
			s->found_inet[s->inet[i].arg] = true;
	for (unsigned int i = 0; i < s->npids; i++)
		if (s->pids[i].id == o->pid)
			s->found_pid[i] = true;
	for (unsigned int i = 0; i < s->nuids; i++)
		if (s->uids[i].id == o->uid)
			s->found_uid[i] = true;
	for (unsigned int i = 0; i < s->ncmds; i++)
		if (cmd_prefix(&s->cmds[i], comm))
			s->found_cmd[i] = true;
	for (unsigned int i = 0; i < s->nrx; i++)
		if (regexec(&s->rx[i], comm, 0, NULL, 0) == 0)
			s->found_rx[i] = true;
	if (e->state < LSOF_NSTATES)
		s->found_states |= 1u << e->state;
}

void lsof_sel_mark(struct lsof_sel *s, const struct sock_entry *e, const struct sock_owner *o)
{
	if (lsof_sel_match(s, e, o))
		mark_matched(s, e, o);
}

bool lsof_sel_take(struct lsof_sel *s, const struct sock_entry *e, const struct sock_owner *o)
{
	if (!lsof_sel_match(s, e, o))
		return false;
	mark_matched(s, e, o);
	return true;
}

bool lsof_sel_all_found(const struct lsof_sel *s)
{
	if (s->net && !s->found_net)
		return false;
	for (unsigned int i = 0; i < s->ninet_args && i < LSOF_INET_ARGS_MAX; i++)
		if (!s->found_inet[i])
			return false;
	for (unsigned int i = 0; i < s->npids; i++)
		if (!s->pids[i].excl && !s->found_pid[i])
			return false;
	for (unsigned int i = 0; i < s->nuids; i++)
		if (!s->uids[i].excl && !s->found_uid[i])
			return false;
	/* lsof counts a -c ^COMMAND as never found (its exit status is then 1) */
	for (unsigned int i = 0; i < s->ncmds; i++)
		if (s->cmds[i].excl || !s->found_cmd[i])
			return false;
	for (unsigned int i = 0; i < s->nrx; i++)
		if (!s->found_rx[i])
			return false;
	return (s->state_incl & ~s->found_states) == 0;
}

uint32_t lsof_sel_states(const struct lsof_sel *s)
{
	/* the states a socket with an fd can be in that lsof lists */
	uint32_t all = 0;

	for (unsigned int st = SOCKTAP_TCP_ESTABLISHED; st <= SOCKTAP_TCP_CLOSING; st++)
		all |= 1u << st;
	if (s->state_incl)
		all &= s->state_incl;
	return all & ~s->state_excl;
}

uint16_t lsof_sel_family(const struct lsof_sel *s)
{
	unsigned int f = sel_flags(s);

	if (!s->net || !s->net_version)
		return 0;
	/* -i4 or -i6 must hold: the only class, or ANDed with the others */
	if (f == LSOF_SEL_NET || s->and)
		return s->net_version == 4 ? AF_INET : AF_INET6;
	return 0;
}

unsigned int lsof_sel_kinds(const struct lsof_sel *s)
{
	const unsigned int tcp = SK_KIND_BIT(SK_TCP), udp = SK_KIND_BIT(SK_UDP);
	unsigned int k = 0;

	/* -i alone lists every socket; so does any class ORed with the -i specs */
	if (!s->ninet || s->net || (!s->and &&(sel_flags(s) & ~LSOF_SEL_NA)))
		return tcp | udp;
	for (unsigned int i = 0; i < s->ninet; i++) {
		if (!s->inet[i].proto)
			k |= tcp | udp;
		else if (s->inet[i].proto == IPPROTO_TCP)
			k |= tcp;
		else if (s->inet[i].proto == IPPROTO_UDP)
			k |= udp;
		/* UDP-Lite: no socket socktap lists */
	}
	return k;
}

/* ---- output ---- */

/* l bytes of s after o bytes of buf (len in all), cut to fit, NUL-terminated. */
static size_t append_n(char *buf, size_t len, size_t o, const char *s, size_t l)
{
	if (o >= len)
		return o;
	if (l > len - 1 - o)
		l = len - 1 - o;
	copy_short(buf + o, s, l);
	o += l;
	buf[o] = '\0';
	return o;
}

static size_t append(char *buf, size_t len, size_t o, const char *s)
{
	return append_n(buf, len, o, s, strlen(s));
}

/* The TCP state's part of a name: "(ESTABLISHED)"; none for UDP. */
static size_t append_state(const struct sock_entry *e, char *buf, size_t len, size_t o)
{
	const char *st;
	char sbuf[40];

	if (sock_proto(e) != IPPROTO_TCP)
		return o;
	st = lsof_state_name(e->state);
	if (!st) {
		snprintf(sbuf, sizeof(sbuf), "UNKNOWN_TCP_STATE_%u", e->state);
		st = sbuf;
	}
	o = append_n(buf, len, o, "(", 1);
	o = append(buf, len, o, st);
	return append_n(buf, len, o, ")", 1);
}

/*
 * An IPv4 name in numbers (-n -P), the common case of a long listing,
 * written straight into buf: room for two endpoints checked once.
 */
static size_t fmt_name_ipv4(const struct sock_entry *e, const struct ends *x, char *buf, size_t len)
{
	char *d = buf;

	for (int i = 0; i < 2; i++) {
		if (!x->has[i])
			continue;
		if (i) {
			*d++ = '-';
			*d++ = '>';
		}
		if (all_zero(x->a[i], 4))
			*d++ = '*';
		else
			d += fmt_ipv4(d, x->a[i]);
		*d++ = ':';
		if (x->p[i])
			d += fmt_u64(d, x->p[i]);
		else
			*d++ = '*';
	}
	/* lsof prints a blank before the TCP/TPI part even when UDP has none to show */
	if (d > buf)
		*d++ = ' ';
	*d = '\0';
	return append_state(e, buf, len, (size_t)(d - buf));
}

/* Room fmt_name_ipv4 needs: two "255.255.255.255:65535", "->", a blank. */
#define NAME_IPV4_MAX (2 * 21 + 2 + 1 + 1)

/* lsof_fmt_name, returning the name's length. */
static size_t fmt_name(const struct sock_entry *e, const struct lsof_names *nm, char *buf,
		       size_t len)
{
	const char *proto = sock_proto(e) == IPPROTO_UDP ? "udp" : "tcp";
	struct ends x;
	size_t o = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	sock_ends(e, &x);
	if (x.af == AF_INET && (!nm || (!nm->host && !nm->service)) && len > NAME_IPV4_MAX)
		return fmt_name_ipv4(e, &x, buf, len);
	for (int i = 0; i < 2; i++) {
		char hbuf[300], pbuf[64], num[INET6_ADDRSTRLEN + 2];
		const char *host = NULL, *port = NULL;
		char esc[4 * sizeof(hbuf) + 1], pesc[4 * sizeof(pbuf) + 1];
		size_t hl = 0, pl = 0;

		if (!x.has[i])
			continue;
		if (i)
			o = append_n(buf, len, o, "->", 2);
		if (all_zero(x.a[i], x.af == AF_INET6 ? 16 : 4)) {
			host = "*";
			hl = 1;
		} else {
			if (nm && nm->host)
				host = nm->host(nm->ctx, x.af, x.a[i], hbuf, sizeof(hbuf));
			/* a name comes from outside: escaped; a number is safe */
			if (host) {
				hl = term_escape_buf(esc, sizeof(esc), host);
				host = esc;
			} else if (x.af == AF_INET6) {
				num[0] = '[';
				inet_ntop(AF_INET6, x.a[i], num + 1, sizeof(num) - 2);
				hl = strlen(num);
				num[hl++] = ']';
				host = num;
			} else {
				hl = fmt_ipv4(num, x.a[i]);
				host = num;
			}
		}
		if (x.p[i]) {
			if (nm && nm->service)
				port = nm->service(nm->ctx, x.p[i], proto, pbuf, sizeof(pbuf));
			if (port && *port) {
				pl = term_escape_buf(pesc, sizeof(pesc), port);
				port = pesc;
			} else {
				pl = fmt_u64(pbuf, x.p[i]);
				port = pbuf;
			}
		} else {
			port = "*";
			pl = 1;
		}
		o = append_n(buf, len, o, host, hl);
		o = append_n(buf, len, o, ":", 1);
		o = append_n(buf, len, o, port, pl);
	}
	/* lsof prints a blank before the TCP/TPI part even when UDP has none to show */
	if (o)
		o = append_n(buf, len, o, " ", 1);
	return append_state(e, buf, len, o);
}

void lsof_fmt_name(const struct sock_entry *e, const struct lsof_names *nm, char *buf, size_t len)
{
	fmt_name(e, nm, buf, len);
}

/* Length of the escape unit at s in term_escape's output: \xNN, \\, or a UTF-8 sequence. */
static size_t unit_len(const char *s)
{
	size_t n;

	if (s[0] == '\\')
		return s[1] == 'x' ? 4 : 2;
	n = utf8_seq_len((const unsigned char *)s, strlen(s));
	return n ? n : 1;
}

void lsof_fmt_command(const char *comm, char *buf, size_t len)
{
	char raw[64], esc[4 * sizeof(raw) + 1];
	size_t rl, o = 0, cols = 0;
	/* lsof's CMDL: at most 9 columns of the command */
	const size_t maxcols = 9;

	if (!len)
		return;
	rl = strnlen(comm, sizeof(raw) - 1);
	memcpy(raw, comm, rl);
	raw[rl] = '\0';
	term_escape_buf(esc, sizeof(esc), raw);
	for (const char *p = esc; *p;) {
		size_t ul = unit_len(p), uc = 1;
		const char *u = p;
		char sp[5] = "\\x20";

		if (*p == ' ') {
			/* a blank would split the column for whoever reads it back, as in lsof */
			u = sp;
			ul = 4;
		}
		if (*u == '\\')
			uc = ul;
		if (cols + uc > maxcols || o + ul >= len)
			break;
		memcpy(buf + o, u, ul);
		o += ul;
		cols += uc;
		p += *p == ' ' ? 1 : ul;
	}
	buf[o] = '\0';
}

char lsof_mode(uint32_t f_mode)
{
	static const char modes[4] = { ' ', 'r', 'w', 'u' };

	return modes[f_mode & 3];
}

struct lsof_ref lsof_ref_of(const struct sock_entry *e, const struct sock_owner *o)
{
	return (struct lsof_ref){ (uint64_t)o->pid << 32 | (uint32_t)((int64_t)o->fd + 0x80000000),
				  e, o };
}

/* n right-aligned in at least 4 places, as "%4d" */
static size_t fmt_fd(char *buf, uint32_t n)
{
	char d[16];
	size_t l = fmt_u64(d, n), o = 0;

	while (o + l < 4)
		buf[o++] = ' ';
	memcpy(buf + o, d, l);
	return o + l;
}

/*
 * What the rows of a listing mostly share, made once for as long as the
 * next row shares it: a process's COMMAND (escaped, cut) and a uid's USER
 * (looked up, escaped), with their widths on a terminal.
 */
struct row_cache {
	bool have_comm, have_uid;
	char comm[sizeof(((struct sock_owner *)0)->comm) + 1];
	char command[40]; /* escaped, cut to lsof's 9 columns */
	size_t command_len, command_w;
	uint32_t uid;
	char user[40];
	size_t user_len, user_w;
};

/* The NAME cell's room: two escaped addresses, ports and a state. */
#define LSOF_NAME_MAX 320

static void cache_owner(struct row_cache *rc, const struct sock_owner *o,
			const struct lsof_names *nm)
{
	char comm[sizeof(o->comm) + 1];

	owner_comm(o, comm);
	if (!rc->have_comm || strcmp(comm, rc->comm)) {
		lsof_fmt_command(comm, rc->command, sizeof(rc->command));
		rc->command_len = strlen(rc->command);
		rc->command_w = display_width(rc->command);
		memcpy(rc->comm, comm, sizeof(comm));
		rc->have_comm = true;
	}
	if (!rc->have_uid || o->uid != rc->uid) {
		char ubuf[64], esc[4 * sizeof(ubuf) + 1];
		const char *user = NULL;
		size_t n;

		if (nm && nm->user)
			user = nm->user(nm->ctx, o->uid, ubuf, sizeof(ubuf));
		if (!user) {
			ubuf[fmt_u64(ubuf, o->uid)] = '\0';
			user = ubuf;
		}
		n = term_escape_buf(esc, sizeof(esc), user);
		if (n >= sizeof(rc->user))
			n = sizeof(rc->user) - 1;
		memcpy(rc->user, esc, n);
		rc->user[n] = '\0';
		rc->user_len = n;
		rc->user_w = display_width(rc->user);
		rc->uid = o->uid;
		rc->have_uid = true;
	}
}

/* The FD cell: "%4d", or "*NNN" (the last three digits) from 10000 on; "" if none. */
static size_t fmt_fd_cell(char *buf, int32_t fd)
{
	if (fd < 0)
		return 0;
	if (fd < 10000)
		return fmt_fd(buf, (uint32_t)fd);
	buf[0] = '*';
	buf[1] = (char)('0' + fd / 100 % 10);
	buf[2] = (char)('0' + fd / 10 % 10);
	buf[3] = (char)('0' + fd % 10);
	return 4;
}

static int ref_cmp(const void *a, const void *b)
{
	const struct lsof_ref *x = a, *y = b;

	return x->order < y->order ? -1 : x->order > y->order;
}

void lsof_sort_refs(struct lsof_ref *refs, size_t n)
{
	/* the walk of the files gives them in order mostly: then no sort */
	for (size_t i = 1; i < n; i++) {
		if (refs[i - 1].order > refs[i].order) {
			qsort(refs, n, sizeof(*refs), ref_cmp);
			return;
		}
	}
}

static size_t umax(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* Column widths, at least each title's, grown by every row to be printed. */
struct widths {
	size_t cmd, pid, user, fd, type, dev, size, node;
};

static void widths_init(struct widths *w)
{
	/* lsof's print_init: every column at least as wide as its title */
	*w = (struct widths){ .cmd = 7,
			      .pid = 3,
			      .user = 4,
			      .fd = 2,
			      .type = 4,
			      .dev = 6,
			      .size = 8,
			      .node = 4 };
}

/* A row's cells as the widths see them, from its socket and owner. */
static void widths_add(struct widths *w, const struct row_cache *rc, const struct sock_entry *e,
		       const struct sock_owner *o)
{
	char fd[8];

	w->cmd = umax(w->cmd, rc->command_w);
	w->pid = umax(w->pid, fmt_u64_len(o->pid));
	w->user = umax(w->user, rc->user_w);
	/* the fd, its mode and lock characters */
	w->fd = umax(w->fd, fmt_fd_cell(fd, o->fd) + 2);
	w->type = umax(w->type, 4); /* IPv4, IPv6 */
	w->dev = umax(w->dev, fmt_u64_len(e->inode));
	w->node = umax(w->node, 3); /* TCP, UDP */
}

/* Rows are laid out in a buffer of their own and written in big pieces:
 * stdio's formatting per cell was most of a long listing's userspace time. */
struct printer {
	FILE *f;
	struct widths w;
	size_t n;
	char b[64 * 1024];
};

/* Room for the widest row: every cell is bounded by its field. */
#define PRINTER_ROW_MAX 2048

static struct printer *printer_open(FILE *f, const struct widths *w)
{
	struct printer *p = xmalloc(sizeof(*p));

	p->f = f;
	p->w = *w;
	p->n = 0;
	fprintf(f, "%-*s %*s %*s %*s   %*s %*s %*s %*s %s\n", (int)w->cmd, "COMMAND", (int)w->pid,
		"PID", (int)w->user, "USER", (int)w->fd - 2, "FD", (int)w->type, "TYPE",
		(int)w->dev, "DEVICE", (int)w->size, "SIZE/OFF", (int)w->node, "NODE", "NAME");
	return p;
}

static void out_flush(struct printer *p)
{
	fwrite(p->b, 1, p->n, p->f);
	p->n = 0;
}

/* s (l bytes, w columns wide on a terminal) at d in a cell of width cw, then a blank */
static char *cell(char *d, const char *s, size_t l, size_t w, size_t cw, bool right)
{
	size_t pad = w < cw ? cw - w : 0;

	if (right)
		d = fill_blanks(d, pad);
	copy_short(d, s, l);
	d += l;
	if (!right)
		d = fill_blanks(d, pad);
	*d++ = ' ';
	return d;
}

static void printer_row(struct printer *p, const struct row_cache *rc, const struct sock_entry *e,
			const struct sock_owner *o, const struct lsof_names *nm)
{
	const struct widths *w = &p->w;
	char num[24], *d;
	size_t l;

	if (p->n + PRINTER_ROW_MAX > sizeof(p->b))
		out_flush(p);
	d = p->b + p->n;
	d = cell(d, rc->command, rc->command_len, rc->command_w, w->cmd, false);
	l = fmt_u64(num, o->pid);
	d = cell(d, num, l, l, w->pid, true);
	d = cell(d, rc->user, rc->user_len, rc->user_w, w->user, true);
	/* the mode right after the fd, then the lock character's blank */
	l = fmt_fd_cell(num, o->fd);
	d = cell(d, num, l, l, w->fd - 2, true);
	d[-1] = lsof_mode(o->f_mode);
	d = fill_blanks(d, 2);
	d = cell(d, e->family == AF_INET ? "IPv4" : "IPv6", 4, 4, w->type, true);
	l = fmt_u64(num, e->inode);
	d = cell(d, num, l, l, w->dev, true);
	d = cell(d, "0t0", 3, 3, w->size, true);
	d = cell(d, sock_proto(e) == IPPROTO_UDP ? "UDP" : "TCP", 3, 3, w->node, true);
	/* the name goes in place: what is left of the row's room bounds it */
	d += fmt_name(e, nm, d, LSOF_NAME_MAX);
	*d++ = '\n';
	p->n = (size_t)(d - p->b);
}

static void printer_close(struct printer *p)
{
	if (!p)
		return;
	out_flush(p);
	free(p);
}

void lsof_print_table(FILE *f, const struct lsof_ref *refs, size_t n, const struct lsof_names *nm)
{
	struct row_cache rc = { 0 };
	struct widths w;
	struct printer *p;

	if (!n)
		return;
	widths_init(&w);
	for (size_t i = 0; i < n; i++) {
		cache_owner(&rc, refs[i].o, nm);
		widths_add(&w, &rc, refs[i].e, refs[i].o);
	}
	p = printer_open(f, &w);
	for (size_t i = 0; i < n; i++) {
		cache_owner(&rc, refs[i].o, nm);
		printer_row(p, &rc, refs[i].e, refs[i].o, nm);
	}
	printer_close(p);
}

void lsof_print_pids(FILE *f, const struct lsof_ref *refs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (i == 0 || refs[i].o->pid != refs[i - 1].o->pid)
			fprintf(f, "%u\n", refs[i].o->pid);
}
