// SPDX-License-Identifier: GPL-2.0
/* The fuzz targets' shared helpers (fuzz.h). */
#include <ftw.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "fuzz.h"
#include "json_writer.h"
#include "sockets.h"
#include "sockjson.h"
#include "socktap.h"
#include "tcpstate.h"

void fuzz_fail(const char *what, const char *file, int line)
{
	fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", what, file, line);
	abort();
}

char *fuzz_strndup(const uint8_t *d, size_t n)
{
	char *s = malloc(n + 1);

	if (!s)
		abort();
	if (n)
		memcpy(s, d, n);
	s[n] = '\0';
	return s;
}

void fuzz_split(struct fuzz_parts *p, const uint8_t *d, size_t n, char sep, int max)
{
	char *s;

	if (max < 1 || max > FUZZ_PARTS_MAX)
		max = FUZZ_PARTS_MAX;
	memset(p, 0, sizeof(*p));
	p->buf = fuzz_strndup(d, n);
	s = p->buf;
	for (;;) {
		char *e = p->n + 1 < max ? memchr(s, sep, n - (size_t)(s - p->buf)) : NULL;

		p->v[p->n] = s;
		if (!e) {
			p->len[p->n++] = n - (size_t)(s - p->buf);
			break;
		}
		*e = '\0';
		p->len[p->n++] = (size_t)(e - s);
		s = e + 1;
	}
	p->v[p->n] = NULL;
}

void fuzz_parts_free(struct fuzz_parts *p)
{
	free(p->buf);
	memset(p, 0, sizeof(*p));
}

/* ---- JSON syntax ------------------------------------------------------ */

struct jp {
	const char *s, *end;
	int depth;
};

static void j_ws(struct jp *p)
{
	while (p->s < p->end && (*p->s == ' ' || *p->s == '\t' || *p->s == '\n' || *p->s == '\r'))
		p->s++;
}

static bool j_lit(struct jp *p, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(p->end - p->s) < n || memcmp(p->s, w, n))
		return false;
	p->s += n;
	return true;
}

static bool j_string(struct jp *p)
{
	if (p->s >= p->end || *p->s != '"')
		return false;
	for (p->s++; p->s < p->end; p->s++) {
		unsigned char c = (unsigned char)*p->s;

		if (c == '"') {
			p->s++;
			return true;
		}
		if (c < 0x20)
			return false;
		if (c != '\\')
			continue;
		if (++p->s >= p->end)
			return false;
		if (*p->s == 'u') {
			for (int i = 0; i < 4; i++) {
				if (++p->s >= p->end || !strchr("0123456789abcdefABCDEF", *p->s) ||
				    !*p->s)
					return false;
			}
		} else if (!*p->s || !strchr("\"\\/bfnrt", *p->s)) {
			return false;
		}
	}
	return false;
}

static bool j_digits(struct jp *p)
{
	const char *s = p->s;

	while (p->s < p->end && *p->s >= '0' && *p->s <= '9')
		p->s++;
	return p->s > s;
}

static bool j_number(struct jp *p)
{
	if (p->s < p->end && *p->s == '-')
		p->s++;
	if (p->s < p->end && *p->s == '0')
		p->s++;
	else if (!j_digits(p))
		return false;
	if (p->s < p->end && *p->s == '.') {
		p->s++;
		if (!j_digits(p))
			return false;
	}
	if (p->s < p->end && (*p->s == 'e' || *p->s == 'E')) {
		p->s++;
		if (p->s < p->end && (*p->s == '+' || *p->s == '-'))
			p->s++;
		if (!j_digits(p))
			return false;
	}
	return true;
}

static bool j_value(struct jp *p);

static bool j_container(struct jp *p, char close, bool object)
{
	p->s++;
	j_ws(p);
	if (p->s < p->end && *p->s == close) {
		p->s++;
		return true;
	}
	for (;;) {
		if (object) {
			if (!j_string(p))
				return false;
			j_ws(p);
			if (p->s >= p->end || *p->s != ':')
				return false;
			p->s++;
		}
		if (!j_value(p))
			return false;
		j_ws(p);
		if (p->s >= p->end)
			return false;
		if (*p->s == close) {
			p->s++;
			return true;
		}
		if (*p->s != ',')
			return false;
		p->s++;
		j_ws(p);
	}
}

static bool j_value(struct jp *p)
{
	bool ok;

	j_ws(p);
	if (p->s >= p->end || ++p->depth > 256)
		return false;
	switch (*p->s) {
	case '{':
		ok = j_container(p, '}', true);
		break;
	case '[':
		ok = j_container(p, ']', false);
		break;
	case '"':
		ok = j_string(p);
		break;
	case 't':
		ok = j_lit(p, "true");
		break;
	case 'f':
		ok = j_lit(p, "false");
		break;
	case 'n':
		ok = j_lit(p, "null");
		break;
	default:
		ok = j_number(p);
	}
	p->depth--;
	return ok;
}

bool fuzz_json_valid(const char *s, size_t n)
{
	struct jp p = { s, s + n, 0 };

	if (!j_value(&p))
		return false;
	j_ws(&p);
	return p.s == p.end;
}

static char scratch[128];

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	remove(path);
	return 0;
}

static void scratch_remove(void)
{
	if (scratch[0])
		nftw(scratch, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

const char *fuzz_scratch_dir(const char *name)
{
	if (!scratch[0]) {
		snprintf(scratch, sizeof(scratch), "/tmp/socktap-fuzz-%s.XXXXXX", name);
		if (!mkdtemp(scratch))
			abort();
		atexit(scratch_remove);
	}
	return scratch;
}

FILE *fuzz_devnull(void)
{
	static FILE *f;

	if (!f && !(f = fopen("/dev/null", "w")))
		abort();
	return f;
}

/* ---- sample sockets --------------------------------------------------- */

static struct sock_entry samples[9];
static struct sock_owner owners[9];

static void sample_inet(struct sock_entry *e, enum sock_kind kind, int af, const char *la, int lp,
			const char *ra, int rp, int state)
{
	e->kind = kind;
	e->family = (uint16_t)af;
	e->proto = kind == SK_TCP ? IPPROTO_TCP : kind == SK_UDP ? IPPROTO_UDP : IPPROTO_ICMP;
	e->state = (uint8_t)state;
	if (inet_pton(af, la, e->laddr) != 1 || inet_pton(af, ra, e->raddr) != 1)
		abort();
	e->lport = (uint16_t)lp;
	e->rport = (uint16_t)rp;
}

const struct sock_entry *fuzz_sockets(size_t *n)
{
	static bool done;

	if (!done) {
		static char path[] = "/run/x.sock", abstract[] = "@abs", empty[] = "";
		struct sock_entry *e = samples;

		sample_inet(e, SK_TCP, AF_INET, "127.0.0.1", 15000, "127.0.0.1", 54282,
			    SOCKTAP_TCP_ESTABLISHED);
		e->inode = 1001;
		e->mark = 0x15;
		e->cgroup = 4242;
		e->ifindex = 1;
		e->bind_known = true;
		e->port_bound = true;
		sample_inet(++e, SK_TCP, AF_INET6, "::", 22, "::", 0, SOCKTAP_TCP_LISTEN);
		e->inode = 1002;
		sample_inet(++e, SK_TCP, AF_INET6, "::ffff:198.18.0.5", 40000, "2001:db8::5", 25,
			    SOCKTAP_TCP_SYN_SENT);
		e->inode = 1003;
		e->bind_known = true;
		sample_inet(++e, SK_UDP, AF_INET, "0.0.0.0", 53, "0.0.0.0", 0, SOCKTAP_TCP_CLOSE);
		e->inode = 1004;
		sample_inet(++e, SK_TCP, AF_INET, "10.0.0.1", 33000, "10.0.0.2", 8080,
			    SOCKTAP_TCP_TIME_WAIT);
		e->minisock = true;
		++e;
		e->kind = SK_UNIX_STREAM;
		e->family = AF_UNIX;
		e->state = SOCKTAP_TCP_LISTEN;
		e->inode = 1006;
		e->unix_path = path;
		++e;
		e->kind = SK_UNIX_DGRAM;
		e->family = AF_UNIX;
		e->state = SOCKTAP_TCP_ESTABLISHED;
		e->inode = 1007;
		e->unix_peer = 1006;
		e->unix_path = abstract;
		++e;
		e->kind = SK_NETLINK;
		e->family = AF_NETLINK;
		e->proto = NETLINK_ROUTE;
		e->state = SOCKTAP_TCP_CLOSE;
		e->nl_portid = 4321;
		e->inode = 1008;
		e->unix_path = empty;
		++e;
		e->kind = SK_PACKET_RAW;
		e->family = AF_PACKET;
		e->state = SOCKTAP_TCP_CLOSE;
		e->pkt_proto = ETH_P_ALL;
		e->ifindex = 2;
		e->inode = 1009;
		for (size_t i = 0; i < sizeof(owners) / sizeof(owners[0]); i++) {
			owners[i].pid = (uint32_t)(100 + i % 3);
			owners[i].fd = (int32_t)(3 + i);
			owners[i].uid = i % 2 ? 1000 : 0;
			owners[i].f_mode = 3;
			snprintf(owners[i].comm, sizeof(owners[i].comm), "%s",
				 i % 3 == 0 ? "sshd" :
				 i % 3 == 1 ? "python3" :
					      "a b\\x");
		}
		done = true;
	}
	*n = sizeof(samples) / sizeof(samples[0]);
	return samples;
}

const struct sock_owner *fuzz_owner(size_t i)
{
	size_t n;

	fuzz_sockets(&n);
	return &owners[i % n];
}

/* ---- rows a parser made ----------------------------------------------- */

void fuzz_check_rows(const struct sock_table *t, size_t from)
{
	char *buf = NULL;
	size_t len = 0;
	json_writer_t *jw;
	FILE *f;

	FUZZ_CHECK(t->n <= t->cap);
	f = open_memstream(&buf, &len);
	if (!f)
		abort();
	jw = jsonw_new(f);
	jsonw_start_array(jw);
	for (size_t i = from; i < t->n; i++) {
		const struct sock_entry *e = &t->v[i];

		FUZZ_CHECK((unsigned int)e->kind < SK_KIND_MAX);
		/* the state is the kernel's byte, whatever it is: its readers cope */
		(void)tcp_state_name(e->state);
		if (e->unix_path)
			(void)strlen(e->unix_path);
		if (e->unix_nicons) {
			FUZZ_CHECK(e->unix_icons != NULL);
			(void)e->unix_icons[e->unix_nicons - 1];
		}
		if (e->nowners) {
			FUZZ_CHECK(e->owners != NULL);
			for (size_t k = 0; k < e->nowners; k++)
				FUZZ_CHECK(
					memchr(e->owners[k].comm, '\0', sizeof(e->owners[k].comm)));
		}
		FUZZ_CHECK(!e->has_tcpinfo || e->tcpi != NULL);
		if (e->tcpi)
			FUZZ_CHECK(memchr(e->tcpi->cong, '\0', sizeof(e->tcpi->cong)));
		sock_json(jw, e,
			  SOCKJSON_OWNERS | SOCKJSON_TIMER | SOCKJSON_MEM | SOCKJSON_TCPINFO);
	}
	jsonw_end_array(jw);
	jsonw_destroy(&jw);
	if (fclose(f))
		abort();
	if (!fuzz_json_valid(buf, len)) {
		fprintf(stderr, "not JSON: %.*s\n", (int)(len > 4000 ? 4000 : len), buf);
		FUZZ_CHECK(!"rows written as valid JSON");
	}
	free(buf);
}
