// SPDX-License-Identifier: GPL-2.0
/*
 * lsof's selection options and columns. Expected answers come from running
 * Debian's lsof 4.95 on the same specs and sockets (noted where it matters).
 */
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "lsofspec.h"
#include "socktap.h"
#include "fake_resolver.h"
#include "unit.h"

/* ---- sockets ---- */

static struct sock_entry sock4(int proto, const char *la, int lp, const char *ra, int rp, int state)
{
	struct sock_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = proto == IPPROTO_TCP ? SK_TCP : SK_UDP;
	e.family = AF_INET;
	e.proto = (uint8_t)proto;
	e.state = (uint8_t)state;
	inet_pton(AF_INET, la, e.laddr);
	inet_pton(AF_INET, ra, e.raddr);
	e.lport = (uint16_t)lp;
	e.rport = (uint16_t)rp;
	e.inode = 43025;
	return e;
}

static struct sock_entry sock6(int proto, const char *la, int lp, const char *ra, int rp, int state)
{
	struct sock_entry e;

	memset(&e, 0, sizeof(e));
	e.kind = proto == IPPROTO_TCP ? SK_TCP : SK_UDP;
	e.family = AF_INET6;
	e.proto = (uint8_t)proto;
	e.state = (uint8_t)state;
	inet_pton(AF_INET6, la, e.laddr);
	inet_pton(AF_INET6, ra, e.raddr);
	e.lport = (uint16_t)lp;
	e.rport = (uint16_t)rp;
	e.inode = 43026;
	return e;
}

#define TCP IPPROTO_TCP
#define UDP IPPROTO_UDP
#define EST SOCKTAP_TCP_ESTABLISHED
#define LISTEN SOCKTAP_TCP_LISTEN
#define CLOSE SOCKTAP_TCP_CLOSE

static struct sock_owner owner(uint32_t pid, int fd, uint32_t uid, const char *comm)
{
	struct sock_owner o;

	memset(&o, 0, sizeof(o));
	o.pid = pid;
	o.fd = fd;
	o.uid = uid;
	o.f_mode = 3;
	/* the kernel's comm: at most 15 bytes */
	memcpy(o.comm, comm, strnlen(comm, sizeof(o.comm) - 1));
	return o;
}

/* a selection from a NULL-terminated list of lsof-style words ("-i", "tcp:80", ...) */
static int sel_from(struct lsof_sel *s, char *err, size_t errlen, const char *const *argv)
{
	lsof_sel_init(s);
	for (int i = 0; argv[i]; i++) {
		const char *a = argv[i];
		int rc = 0;

		if (!strcmp(a, "-a"))
			s->and = true;
		else if (!strncmp(a, "-i", 2))
			rc = lsof_sel_add_inet(s, a + 2, &test_resolver, err, errlen);
		else if (!strncmp(a, "-s", 2))
			rc = lsof_sel_add_state(s, a + 2, err, errlen);
		else if (!strncmp(a, "-p", 2))
			rc = lsof_sel_add_pids(s, a + 2, err, errlen);
		else if (!strncmp(a, "-u", 2))
			rc = lsof_sel_add_users(s, a + 2, &test_resolver, err, errlen);
		else if (!strncmp(a, "-c", 2))
			rc = lsof_sel_add_cmd(s, a + 2, err, errlen);
		if (rc)
			return rc;
	}
	return lsof_sel_check(s, err, errlen);
}

#define SEL(...) ((const char *const[]){ __VA_ARGS__, NULL })

/* Does the selection made of argv list e held by o? */
static bool sel_matches(const char *const *argv, const struct sock_entry *e,
			const struct sock_owner *o)
{
	struct lsof_sel s;
	char err[256] = "";
	bool m;

	if (sel_from(&s, err, sizeof(err), argv)) {
		unit_fail(__FILE__, __LINE__, argv[0], "selection refused: %s", err);
		lsof_sel_free(&s);
		return false;
	}
	m = lsof_sel_match(&s, e, o);
	lsof_sel_free(&s);
	return m;
}

/* Parses one -i spec into s (fresh), 0 or -1. */
static int inet1(struct lsof_sel *s, const char *spec, char *err, size_t errlen)
{
	lsof_sel_init(s);
	return lsof_sel_add_inet(s, spec, &test_resolver, err, errlen);
}

/* ---- -i parsing ---- */

TEST(lsof_inet_alone_and_versions)
{
	struct lsof_sel s;
	char err[256];

	lsof_sel_init(&s);
	ASSERT_OK(lsof_sel_add_inet(&s, NULL, &test_resolver, err, sizeof(err)), "-i");
	ASSERT_TRUE(s.net, "net");
	ASSERT_EQ(s.net_version, 0, "both versions");
	ASSERT_EQ(s.ninet, 0, "no entries");

	lsof_sel_init(&s);
	ASSERT_OK(lsof_sel_add_inet(&s, "4", &test_resolver, err, sizeof(err)), "-i4");
	ASSERT_EQ(s.net_version, 4, "-i4");
	ASSERT_OK(lsof_sel_add_inet(&s, "4", &test_resolver, err, sizeof(err)), "-i4 again");
	ASSERT_EQ(s.net_version, 4, "-i4 -i4");
	ASSERT_OK(lsof_sel_add_inet(&s, "6", &test_resolver, err, sizeof(err)), "-i6");
	ASSERT_EQ(s.net_version, 0, "-i4 -i6 is -i");
	/* lsof: -i then -i6 is -i6 (its FnetTy rules) */
	lsof_sel_init(&s);
	lsof_sel_add_inet(&s, "", &test_resolver, err, sizeof(err));
	lsof_sel_add_inet(&s, "6", &test_resolver, err, sizeof(err));
	ASSERT_EQ(s.net_version, 6, "-i -i6");
	/* an earlier -i4 restricts later specs */
	ASSERT_OK(lsof_sel_add_inet(&s, ":80", &test_resolver, err, sizeof(err)), "-i6 -i :80");
	ASSERT_EQ(s.inet[0].family, AF_INET6, "inherited family");
}

TEST(lsof_inet_protocols)
{
	static const struct {
		const char *spec;
		int proto, family;
	} ok[] = {
		{ "tcp", TCP, 0 },	     { "TCP", TCP, 0 },	       { "Udp", UDP, 0 },
		{ "udplite", 136, 0 },	     { "4tcp", TCP, AF_INET }, { "6udp", UDP, AF_INET6 },
		{ "6TcP:1", TCP, AF_INET6 }, { "4:80", 0, AF_INET },
	};
	struct lsof_sel s;
	char err[256];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (!ASSERT_OK(inet1(&s, ok[i].spec, err, sizeof(err)), ok[i].spec))
			continue;
		ASSERT_EQ(s.ninet, 1, ok[i].spec);
		ASSERT_EQ(s.inet[0].proto, ok[i].proto, ok[i].spec);
		ASSERT_EQ(s.inet[0].family, ok[i].family, ok[i].spec);
		ASSERT_EQ(s.ninet_args, 1, "one argument");
	}
	ASSERT_EQ(s.inet[0].sport, 80, "4:80 port");
	inet1(&s, "tcp", err, sizeof(err));
	ASSERT_EQ(s.inet[0].sport, -1, "no port: any");
	ASSERT_FALSE(s.inet[0].has_addr, "no address");
}

TEST(lsof_inet_addresses)
{
	struct lsof_sel s;
	char err[256];
	uint8_t a[16];

	ASSERT_OK(inet1(&s, "@127.0.0.1", err, sizeof(err)), "@v4");
	ASSERT_EQ(s.inet[0].family, AF_INET, "v4 family");
	ASSERT_TRUE(s.inet[0].has_addr, "v4 addr");
	inet_pton(AF_INET, "127.0.0.1", a);
	ASSERT_OK(memcmp(s.inet[0].addr, a, 4), "v4 bytes");

	ASSERT_OK(inet1(&s, "TCP@[2001:db8::1]:15001", err, sizeof(err)), "@[v6]:port");
	ASSERT_EQ(s.inet[0].family, AF_INET6, "v6 family");
	inet_pton(AF_INET6, "2001:db8::1", a);
	ASSERT_OK(memcmp(s.inet[0].addr, a, 16), "v6 bytes");
	ASSERT_EQ(s.inet[0].sport, 15001, "v6 port");

	/* a v4-mapped address is IPv4 for lsof */
	ASSERT_OK(inet1(&s, "@[::ffff:127.0.0.1]", err, sizeof(err)), "@[mapped]");
	ASSERT_EQ(s.inet[0].family, AF_INET, "mapped is v4");
	inet_pton(AF_INET, "127.0.0.1", a);
	ASSERT_OK(memcmp(s.inet[0].addr, a, 4), "mapped bytes");

	/* a host name: one entry per address */
	ASSERT_OK(inet1(&s, "tcp@foo:1-10,smtp,99", err, sizeof(err)), "the man page's example");
	ASSERT_EQ(s.ninet, 6, "2 addresses x 3 ranges");
	ASSERT_EQ(s.inet[0].sport, 1, "range start");
	ASSERT_EQ(s.inet[0].eport, 10, "range end");
	ASSERT_EQ(s.inet[2].sport, 25, "smtp");
	ASSERT_EQ(s.inet[2].eport, 25, "smtp end");
	ASSERT_EQ(s.inet[4].sport, 99, "99");
	ASSERT_OK(inet1(&s, "4@foo", err, sizeof(err)), "4@host");
	ASSERT_EQ(s.ninet, 1, "only the v4 address");
	ASSERT_EQ(s.inet[0].family, AF_INET, "v4 of foo");
	ASSERT_OK(inet1(&s, "6@foo", err, sizeof(err)), "6@host");
	ASSERT_EQ(s.ninet, 1, "only the v6 address");
	ASSERT_EQ(s.inet[0].family, AF_INET6, "v6 of foo");
	/* a dotted quad that is not one is a host name (lsof: unknown host name) */
	ASSERT_ERR(inet1(&s, "@1.2.3.256", err, sizeof(err)), "octet > 255");
	ASSERT_TRUE(strstr(err, "unknown host name '1.2.3.256'") != NULL, err);
}

TEST(lsof_inet_ports)
{
	static const struct {
		const char *spec;
		int n;
		int32_t sp0, ep0, spl, epl; /* first and last entry */
	} ok[] = {
		{ ":15000", 1, 15000, 15000, 15000, 15000 },
		{ ":15000-15001", 1, 15000, 15001, 15000, 15001 },
		{ ":80,", 1, 80, 80, 80, 80 }, /* lsof accepts a trailing comma */
		{ ":1-ssh", 1, 1, 22, 1, 22 }, /* a service ends a range */
		{ ":http-alt", 1, 8080, 8080, 8080, 8080 }, /* '-' inside a name */
		{ ":0", 1, 0, 0, 0, 0 },
		{ ":0-", 1, 0, 0, 0, 0 }, /* lsof: the missing end is 0 */
		{ ":domain,1-3,7", 3, 53, 53, 7, 7 },
		{ "udp:udponly", 1, 514, 514, 514, 514 },
		{ ":udponly", 1, 514, 514, 514, 514 },
	};
	struct lsof_sel s;
	char err[256];

	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		if (!ASSERT_OK(inet1(&s, ok[i].spec, err, sizeof(err)), ok[i].spec))
			continue;
		ASSERT_EQ(s.ninet, ok[i].n, ok[i].spec);
		ASSERT_EQ(s.inet[0].sport, ok[i].sp0, ok[i].spec);
		ASSERT_EQ(s.inet[0].eport, ok[i].ep0, ok[i].spec);
		ASSERT_EQ(s.inet[s.ninet - 1].sport, ok[i].spl, ok[i].spec);
		ASSERT_EQ(s.inet[s.ninet - 1].eport, ok[i].epl, ok[i].spec);
	}
	/* ports past 65535 are refused (lsof matches nothing), huge ones without overflow */
	ASSERT_EQ(inet1(&s, ":99999999999999999999", err, sizeof(err)), -1, "huge port");
	ASSERT_STREQ(err, "-i ':99999999999999999999': port out of range (0 to 65535)",
		     "huge port error");
	ASSERT_EQ(inet1(&s, ":80-65536", err, sizeof(err)), -1, "range past 65535");
	ASSERT_STREQ(err, "-i ':80-65536': port out of range (0 to 65535)", "range error");
}

TEST(lsof_inet_errors)
{
	/* the spec, and a word the error line must contain (lsof's message in brackets) */
	static const struct {
		const char *spec, *word;
	} bad[] = {
		{ "sctp", "unknown protocol name 'sctp'" },
		{ "x", "unknown protocol name 'x'" },
		{ "46", "unknown protocol name '6'" },
		{ ":15001-15000", "unacceptable port" },
		{ ":5-", "unacceptable port" },
		{ ":-5", "unknown service '-5'" },
		{ ":1-2-3", "unacceptable port" },
		{ ":,80", "empty service name" }, /* lsof: invalid service name */
		{ ":80,,81", "empty service name" },
		{ ":", "unacceptable port" },
		{ ":80 ", "unacceptable port" },
		{ ":8a", "unacceptable port" },
		{ "@", "unacceptable Internet address" },
		{ "@:80", "unacceptable Internet address" },
		{ "@[::]", "unacceptable Internet address" },
		{ "@[::1", "unacceptable Internet address" },
		{ "@[nonsense]", "unacceptable Internet address" },
		{ "@[::1]x", "unacceptable port" },
		{ "4@[::1]", "IPv6 addresses are prohibited" },
		{ "6@127.0.0.1", "IPv4 addresses are prohibited" },
		{ "6@[::ffff:127.0.0.1]", "IPv4 addresses are prohibited" },
		{ "@nosuchhost.invalid", "unknown host name 'nosuchhost.invalid'" },
		{ "@127.0.0.1 ", "unknown host name '127.0.0.1 '" },
		{ "@127.0.0.1:", "unacceptable port" },
		{ ":nosuchsvc", "unknown service 'nosuchsvc'" },
		{ "udp:http", "unknown service 'http' for udp" },
		{ ":split", "service 'split' is TCP port 100 and UDP port 200" },
		{ ":ssh-100", "unknown service 'ssh-100'" },
		{ "@0.0.0.0", "incomplete Internet address specification" },
		{ "@zero", "incomplete Internet address specification" },
		{ "tcp\x1b[2J", "unknown protocol name 'tcp\\x1b[2J'" },
	};
	struct lsof_sel s;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ASSERT_ERR(inet1(&s, bad[i].spec, err, sizeof(err)), bad[i].spec);
		if (!ASSERT_TRUE(strstr(err, bad[i].word) != NULL, bad[i].spec))
			printf("  error was: %s\n", err);
		ASSERT_TRUE(strchr(err, '\n') == NULL, "one line");
		ASSERT_EQ(s.ninet, 0, "nothing entered");
		ASSERT_EQ(s.ninet_args, 0, "no argument counted");
	}
	/* no resolver: numbers only */
	lsof_sel_init(&s);
	ASSERT_ERR(lsof_sel_add_inet(&s, ":smtp", NULL, err, sizeof(err)), "no resolver: service");
	ASSERT_ERR(lsof_sel_add_inet(&s, "@foo", NULL, err, sizeof(err)), "no resolver: host");
	ASSERT_OK(lsof_sel_add_inet(&s, "@127.0.0.1:25", NULL, err, sizeof(err)), "numbers");
}

TEST(lsof_inet_limits)
{
	struct lsof_sel s;
	char err[256], big[LSOF_SPEC_MAX + 2];
	int rc = 0;

	memset(big, '1', sizeof(big) - 1);
	big[0] = ':';
	big[sizeof(big) - 1] = '\0';
	ASSERT_ERR(inet1(&s, big, err, sizeof(err)), "too long");
	ASSERT_TRUE(strstr(err, "longer than") != NULL, err);
	/* a list that would make too many entries fails whole */
	inet1(&s, ":1", err, sizeof(err));
	for (int i = 0; i < 200 && !rc; i++)
		rc = lsof_sel_add_inet(&s, ":1,2,3", &test_resolver, err, sizeof(err));
	ASSERT_ERR(rc, "too many entries or options");
	ASSERT_TRUE(s.ninet <= LSOF_INET_MAX, "bounded");
	ASSERT_TRUE(s.ninet_args <= LSOF_INET_ARGS_MAX, "bounded args");
	ASSERT_EQ(s.ninet % 3, 1, "no partial list entered");
}

/* ---- -s, -p, -u, -c parsing ---- */

TEST(lsof_state_specs)
{
	struct lsof_sel s;
	char err[256];

	lsof_sel_init(&s);
	ASSERT_OK(lsof_sel_add_state(&s, "TCP:LISTEN", err, sizeof(err)), "LISTEN");
	ASSERT_EQ(s.state_incl, 1u << LISTEN, "incl LISTEN");
	ASSERT_OK(lsof_sel_add_state(&s, "tcp:established,^close_wait,", err, sizeof(err)),
		  "any case, exclusion, trailing comma");
	ASSERT_EQ(s.state_incl, (1u << LISTEN) | (1u << EST), "incl");
	ASSERT_EQ(s.state_excl, 1u << SOCKTAP_TCP_CLOSE_WAIT, "excl");
	ASSERT_OK(lsof_sel_add_state(&s, "TCP:^LISTEN", err, sizeof(err)), "incl and excl of one");
	ASSERT_OK(lsof_sel_add_state(&s,
				     "TCP:CLOSED,SYN_SENT,SYN_RECV,FIN_WAIT1,FIN_WAIT2,"
				     "TIME_WAIT,CLOSE,LAST_ACK,CLOSING",
				     err, sizeof(err)),
		  "every name");

	static const struct {
		const char *spec, *word;
	} bad[] = {
		{ "UDP:Idle", "no UDP state names available" },
		{ "udp:x", "no UDP state names available" },
		{ "SCTP:x", "unknown -s protocol" },
		{ "TCP", "unknown -s protocol" },
		{ "TCP:", "no TCP state names" },
		{ "TCP:LISTENING", "unknown TCP state name 'LISTENING'" },
		{ "TCP:ESTAB", "unknown TCP state name 'ESTAB'" },
		{ "TCP:,LISTEN", "empty TCP state name" },
		{ "TCP:^", "empty TCP state name" },
		{ "TCP:LISTEN,listen", "duplicate TCP inclusion: LISTEN" },
		{ "TCP:^LISTEN,^LISTEN", "duplicate TCP exclusion: LISTEN" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		lsof_sel_init(&s);
		err[0] = '\0';
		ASSERT_ERR(lsof_sel_add_state(&s, bad[i].spec, err, sizeof(err)), bad[i].spec);
		if (!ASSERT_TRUE(strstr(err, bad[i].word) != NULL, bad[i].spec))
			printf("  error was: %s\n", err);
		ASSERT_EQ(s.state_incl | s.state_excl, 0, "nothing entered");
	}
	lsof_sel_init(&s);
	ASSERT_ERR(lsof_sel_add_state(&s, NULL, err, sizeof(err)), "NULL");
}

TEST(lsof_pid_user_specs)
{
	struct lsof_sel s;
	char err[256];

	lsof_sel_init(&s);
	ASSERT_OK(lsof_sel_add_pids(&s, "12578,^1,12578,", err, sizeof(err)), "pids");
	ASSERT_EQ(s.npids, 2, "duplicate dropped");
	ASSERT_EQ(s.pids[0].id, 12578, "pid");
	ASSERT_TRUE(s.pids[1].excl, "^1");
	ASSERT_ERR(lsof_sel_add_pids(&s, "1", err, sizeof(err)), "included and excluded");
	ASSERT_TRUE(strstr(err, "PID 1 has been included and excluded") != NULL, err);
	ASSERT_EQ(s.npids, 2, "unchanged after the error");

	static const char *const badpids[] = { "x",    "1x", "-5", "+5",	  ",",
					       "1,,2", "^",  "",   "99999999999", "2147483648" };
	for (size_t i = 0; i < sizeof(badpids) / sizeof(badpids[0]); i++) {
		lsof_sel_init(&s);
		ASSERT_ERR(lsof_sel_add_pids(&s, badpids[i], err, sizeof(err)), badpids[i]);
		ASSERT_EQ(s.npids, 0, "nothing entered");
	}
	lsof_sel_init(&s);
	ASSERT_ERR(lsof_sel_add_pids(&s, "1x", err, sizeof(err)), "1x");
	ASSERT_TRUE(strstr(err, "illegal process ID '1x'") != NULL, err);

	lsof_sel_init(&s);
	ASSERT_ERR(lsof_sel_add_users(&s, "root,1000,^bob7,^7,0", &test_resolver, err, sizeof(err)),
		   "unknown user");
	lsof_sel_init(&s);
	ASSERT_OK(lsof_sel_add_users(&s, "root,1000,^7,0", &test_resolver, err, sizeof(err)),
		  "users");
	ASSERT_EQ(s.nuids, 3, "root and 0 are one");
	lsof_sel_init(&s);
	ASSERT_ERR(lsof_sel_add_users(&s, "1000,^alice", &test_resolver, err, sizeof(err)),
		   "conflict");
	ASSERT_TRUE(strstr(err, "UID 1000 has been included and excluded") != NULL, err);
	ASSERT_EQ(s.nuids, 0, "nothing entered");
	ASSERT_OK(lsof_sel_add_users(&s, "root,^7", &test_resolver, err, sizeof(err)), "root,^7");
	ASSERT_EQ(s.uids[0].id, 0, "root is 0");
	ASSERT_TRUE(s.uids[1].excl, "^7");
	ASSERT_ERR(lsof_sel_add_users(&s, "nosuchuser", &test_resolver, err, sizeof(err)),
		   "unknown");
	ASSERT_TRUE(strstr(err, "can't get UID for 'nosuchuser'") != NULL, err);
	ASSERT_ERR(lsof_sel_add_users(&s, "root", NULL, err, sizeof(err)), "no resolver");
	ASSERT_ERR(lsof_sel_add_users(&s, "", &test_resolver, err, sizeof(err)), "empty");
	ASSERT_ERR(lsof_sel_add_users(&s, "0,,1", &test_resolver, err, sizeof(err)),
		   "empty element");
	ASSERT_ERR(lsof_sel_add_users(&s, "4294967295", &test_resolver, err, sizeof(err)),
		   "uid -1");
	ASSERT_ERR(lsof_sel_add_users(
			   &s,
			   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
			   &test_resolver, err, sizeof(err)),
		   "long name");
}

TEST(lsof_cmd_specs)
{
	struct lsof_sel s;
	char err[256];

	lsof_sel_init(&s);
	ASSERT_OK(lsof_sel_add_cmd(&s, "py", err, sizeof(err)), "prefix");
	ASSERT_OK(lsof_sel_add_cmd(&s, "^sshd", err, sizeof(err)), "exclusion");
	ASSERT_OK(lsof_sel_add_cmd(&s, "123456789012345", err, sizeof(err)), "15 bytes");
	ASSERT_OK(lsof_sel_add_cmd(&s, "/^py/", err, sizeof(err)), "regex");
	ASSERT_OK(lsof_sel_add_cmd(&s, "/PY/i", err, sizeof(err)), "regex, any case");
	ASSERT_OK(lsof_sel_add_cmd(&s, "/p\\(y\\)*/bi", err, sizeof(err)), "basic regex");
	ASSERT_OK(lsof_sel_add_cmd(&s, "/a{1,255}/x", err, sizeof(err)), "one small bound");
	ASSERT_EQ(s.ncmds, 3, "strings");
	ASSERT_EQ(s.nrx, 4, "regexes");

	static const struct {
		const char *spec, *word;
	} bad[] = {
		{ "1234567890123456", "length (16) > what the system provides (15)" },
		{ "^1234567890123456", "length (16)" },
		{ "/py", "regexp doesn't end with '/'" },
		{ "/py/q", "invalid regexp modifier 'q'" },
		{ "/py/bb", "b regexp modifier already used" },
		{ "/py/ii", "i regexp modifier already used" },
		{ "/py/xx", "x regexp modifier already used" },
		{ "/py/bx", "b and x regexp modifiers conflict" },
		{ "/py/xb", "b and x regexp modifiers conflict" },
		{ "/(/", "bad regexp" },
		{ "/((a{255}){255}){255}/", "too costly" },
		{ "/a{256}/", "too costly" },
		/* the bracket "[]W[]" ends at its last ']' (found by the fuzzer:
		 * the check took the second '[' for an opening one) */
		{ "/[]W[]++/", "too costly" },
		{ "/[[:alpha:]]++/", "too costly" },
		{ "/[^]a]++/", "too costly" },
		{ "-x", "missing command name" },
		{ "+x", "missing command name" },
		/* lsof matches every name; the issue asks for a refusal */
		{ "", "empty command name" },
		{ "^", "empty command name" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		ASSERT_ERR(lsof_sel_add_cmd(&s, bad[i].spec, err, sizeof(err)), bad[i].spec);
		if (!ASSERT_TRUE(strstr(err, bad[i].word) != NULL, bad[i].spec))
			printf("  error was: %s\n", err);
	}
	ASSERT_EQ(s.ncmds, 3, "strings unchanged");
	ASSERT_EQ(s.nrx, 4, "regexes unchanged");
	ASSERT_ERR(lsof_sel_add_cmd(&s, NULL, err, sizeof(err)), "NULL");
	lsof_sel_free(&s);
}

TEST(lsof_and_needs_a_selection)
{
	struct lsof_sel s;
	char err[256];

	ASSERT_ERR(sel_from(&s, err, sizeof(err), SEL("-a")), "-a alone");
	ASSERT_TRUE(strstr(err, "no select options to AND via -a") != NULL, err);
	/* exclusions and states are no selections (lsof says the same) */
	ASSERT_ERR(sel_from(&s, err, sizeof(err), SEL("-a", "-p^1", "-sTCP:LISTEN")), "-a -p^1");
	ASSERT_OK(sel_from(&s, err, sizeof(err), SEL("-a", "-i")), "-a -i");
}

/* ---- matching ---- */

TEST(lsof_match_inet_specs)
{
	struct sock_entry l4 = sock4(TCP, "127.0.0.1", 15000, "0.0.0.0", 0, LISTEN);
	struct sock_entry c4 = sock4(TCP, "127.0.0.1", 46680, "127.0.0.1", 15000, EST);
	struct sock_entry w4 = sock4(TCP, "0.0.0.0", 22, "0.0.0.0", 0, LISTEN);
	struct sock_entry l6 = sock6(TCP, "::", 15001, "::", 0, LISTEN);
	struct sock_entry c6 = sock6(TCP, "::1", 38224, "::1", 15001, EST);
	struct sock_entry m6 =
		sock6(TCP, "::ffff:127.0.0.1", 46684, "::ffff:127.0.0.1", 15000, EST);
	struct sock_entry u4 = sock4(UDP, "0.0.0.0", 53, "0.0.0.0", 0, CLOSE);
	struct sock_entry u6 = sock6(UDP, "2001:db8::1", 5353, "2001:db8::1", 53, EST);
	struct sock_owner o = owner(100, 3, 0, "python3");

	/* -i alone, -i4, -i6: by the socket's family (a v4-mapped socket is IPv6) */
	ASSERT_TRUE(sel_matches(SEL("-i"), &u6, &o), "-i");
	ASSERT_TRUE(sel_matches(SEL("-i4"), &c4, &o), "-i4 v4");
	ASSERT_FALSE(sel_matches(SEL("-i4"), &m6, &o), "-i4 mapped");
	ASSERT_TRUE(sel_matches(SEL("-i6"), &m6, &o), "-i6 mapped");
	ASSERT_FALSE(sel_matches(SEL("-i6"), &w4, &o), "-i6 v4");

	/* protocol */
	ASSERT_TRUE(sel_matches(SEL("-itcp"), &l4, &o), "tcp");
	ASSERT_FALSE(sel_matches(SEL("-itcp"), &u4, &o), "tcp vs udp");
	ASSERT_TRUE(sel_matches(SEL("-iUDP"), &u6, &o), "UDP");
	/* 4tcp is an address-family spec: v4-mapped ends are IPv4 (lsof dsock.c) */
	ASSERT_TRUE(sel_matches(SEL("-i4tcp"), &m6, &o), "4tcp mapped");
	ASSERT_FALSE(sel_matches(SEL("-i6tcp"), &m6, &o), "6tcp mapped");
	ASSERT_TRUE(sel_matches(SEL("-i6tcp"), &l6, &o), "6tcp v6");

	/* ports: either end */
	ASSERT_TRUE(sel_matches(SEL("-i:15000"), &l4, &o), "local port");
	ASSERT_TRUE(sel_matches(SEL("-i:15000"), &c4, &o), "remote port");
	ASSERT_TRUE(sel_matches(SEL("-i:15000"), &m6, &o), "remote port, mapped");
	ASSERT_FALSE(sel_matches(SEL("-i:15001"), &c4, &o), "other port");
	ASSERT_TRUE(sel_matches(SEL("-i:15000-15001"), &l6, &o), "range");
	ASSERT_TRUE(sel_matches(SEL("-i:1-10,ssh,99"), &w4, &o), "list with a service");
	ASSERT_FALSE(sel_matches(SEL("-i:1-10,smtp,99"), &w4, &o), "list without 22");
	ASSERT_TRUE(sel_matches(SEL("-i:1-ssh"), &w4, &o), "range to a service");
	ASSERT_TRUE(sel_matches(SEL("-i:domain"), &u4, &o), "service");
	ASSERT_FALSE(sel_matches(SEL("-itcp:domain"), &u4, &o), "tcp service vs udp");
	/* a listener's remote end is absent: port 0 matches nothing there */
	ASSERT_FALSE(sel_matches(SEL("-i:0"), &l4, &o), ":0");

	/* addresses: either end; wildcards are not addresses */
	ASSERT_TRUE(sel_matches(SEL("-i@127.0.0.1"), &c4, &o), "v4 addr");
	ASSERT_TRUE(sel_matches(SEL("-i@127.0.0.1"), &m6, &o), "v4 addr, mapped socket");
	ASSERT_TRUE(sel_matches(SEL("-i@[::ffff:127.0.0.1]"), &m6, &o), "mapped spec");
	ASSERT_FALSE(sel_matches(SEL("-i@127.0.0.1"), &w4, &o), "v4 addr vs wildcard");
	ASSERT_TRUE(sel_matches(SEL("-i@[::1]"), &c6, &o), "v6 addr");
	ASSERT_FALSE(sel_matches(SEL("-i@[::1]"), &m6, &o), "v6 addr vs mapped");
	ASSERT_TRUE(sel_matches(SEL("-i@[2001:db8::1]:53"), &u6, &o), "v6 addr, remote port");
	ASSERT_FALSE(sel_matches(SEL("-i@[2001:db8::1]:54"), &u6, &o), "v6 addr, other port");
	ASSERT_TRUE(sel_matches(SEL("-itcp@127.0.0.1:15000"), &c4, &o), "full spec");
	ASSERT_FALSE(sel_matches(SEL("-iudp@127.0.0.1:15000"), &c4, &o), "full spec, udp");
	/* the port and the address must hold on the same end */
	ASSERT_FALSE(sel_matches(SEL("-i@127.0.0.1:22"), &c4, &o), "addr and port, no end");
	/* several -i are ORed */
	ASSERT_TRUE(sel_matches(SEL("-i:1", "-i:22"), &w4, &o), "or");
	/* an -i spec and -i4 are two classes: ORed without -a, ANDed with it */
	ASSERT_TRUE(sel_matches(SEL("-i:15001", "-i4"), &l6, &o), ":15001 or -i4");
	ASSERT_FALSE(sel_matches(SEL("-a", "-i:15001", "-i4"), &l6, &o), ":15001 and -i4");
	/* but an -i4 before a spec makes the spec IPv4 (lsof -i4 -i :15001 lists no IPv6) */
	ASSERT_FALSE(sel_matches(SEL("-i4", "-i:15001"), &l6, &o), "-i4 then :15001");
}

TEST(lsof_match_unlisted_sockets)
{
	struct sock_owner o = owner(100, 3, 0, "x");
	struct sock_entry unbound = sock4(UDP, "0.0.0.0", 0, "0.0.0.0", 0, CLOSE);
	struct sock_entry bound_inactive =
		sock4(TCP, "0.0.0.0", 80, "0.0.0.0", 0, SOCKTAP_TCP_BOUND_INACTIVE);
	struct sock_entry unix_s;

	memset(&unix_s, 0, sizeof(unix_s));
	unix_s.kind = SK_UNIX_STREAM;
	unix_s.family = AF_UNIX;
	unix_s.lport = 1;
	ASSERT_FALSE(sel_matches(SEL("-i"), &unbound, &o), "unbound: not in /proc/net/udp");
	ASSERT_FALSE(sel_matches(SEL("-i"), &bound_inactive, &o), "bound, inactive");
	ASSERT_FALSE(sel_matches(SEL("-i"), &unix_s, &o), "unix");
	ASSERT_FALSE(sel_matches(SEL("-p100"), &unix_s, &o), "unix by pid");
}

TEST(lsof_match_states)
{
	struct sock_entry l4 = sock4(TCP, "127.0.0.1", 15000, "0.0.0.0", 0, LISTEN);
	struct sock_entry c4 = sock4(TCP, "127.0.0.1", 46680, "127.0.0.1", 15000, EST);
	struct sock_entry u4 = sock4(UDP, "0.0.0.0", 53, "0.0.0.0", 0, CLOSE);
	struct sock_entry u6 = sock6(UDP, "2001:db8::1", 5353, "2001:db8::1", 53, EST);
	struct sock_entry nsr =
		sock4(TCP, "127.0.0.1", 1, "127.0.0.1", 2, SOCKTAP_TCP_NEW_SYN_RECV);
	struct sock_owner o = owner(100, 3, 0, "python3");

	ASSERT_TRUE(sel_matches(SEL("-i", "-sTCP:LISTEN"), &l4, &o), "LISTEN kept");
	ASSERT_FALSE(sel_matches(SEL("-i", "-sTCP:LISTEN"), &c4, &o), "ESTABLISHED dropped");
	/* lsof checks UDP sockets against the TCP table too: unconnected UDP is CLOSE */
	ASSERT_FALSE(sel_matches(SEL("-i", "-sTCP:LISTEN"), &u4, &o), "UDP dropped by LISTEN");
	ASSERT_TRUE(sel_matches(SEL("-i", "-sTCP:^LISTEN"), &u4, &o), "UDP kept by ^LISTEN");
	ASSERT_FALSE(sel_matches(SEL("-i", "-sTCP:^LISTEN"), &l4, &o), "^LISTEN");
	ASSERT_TRUE(sel_matches(SEL("-i", "-sTCP:established,close"), &u4, &o), "UDP CLOSE");
	ASSERT_TRUE(sel_matches(SEL("-i", "-sTCP:established,close"), &u6, &o), "UDP EST");
	ASSERT_FALSE(sel_matches(SEL("-i", "-sTCP:CLOSED"), &l4, &o), "CLOSED: nothing");
	/* exclusion wins over inclusion */
	ASSERT_FALSE(sel_matches(SEL("-i", "-sTCP:LISTEN", "-sTCP:^LISTEN"), &l4, &o), "both");
	/* states outside lsof's table pass both lists */
	ASSERT_TRUE(sel_matches(SEL("-i", "-sTCP:LISTEN"), &nsr, &o), "outside the table");
	/* a state list alone selects nothing more, it only drops */
	ASSERT_TRUE(sel_matches(SEL("-sTCP:LISTEN"), &l4, &o), "states only");
	ASSERT_FALSE(sel_matches(SEL("-sTCP:LISTEN", "-p7"), &l4, &o), "states and another pid");
}

TEST(lsof_match_process_and_or)
{
	struct sock_entry c4 = sock4(TCP, "127.0.0.1", 46680, "127.0.0.1", 15000, EST);
	struct sock_entry w4 = sock4(TCP, "0.0.0.0", 22, "0.0.0.0", 0, LISTEN);
	struct sock_owner py = owner(100, 3, 1000, "python3");
	struct sock_owner sshd = owner(200, 4, 0, "sshd");

	/* no selection: everything */
	ASSERT_TRUE(sel_matches(SEL("-sTCP:^CLOSED"), &c4, &py), "nothing selected");
	/* pids */
	ASSERT_TRUE(sel_matches(SEL("-p100"), &c4, &py), "pid");
	ASSERT_FALSE(sel_matches(SEL("-p100"), &c4, &sshd), "other pid");
	ASSERT_FALSE(sel_matches(SEL("-p^100"), &c4, &py), "excluded pid");
	ASSERT_TRUE(sel_matches(SEL("-p^100"), &c4, &sshd), "excluded pid, other");
	/* lsof's default is OR between -i, -p, -u, -c */
	ASSERT_TRUE(sel_matches(SEL("-p200", "-i:15000"), &c4, &py), "or: by -i");
	ASSERT_TRUE(sel_matches(SEL("-p200", "-i:15000"), &w4, &sshd), "or: by -p");
	ASSERT_FALSE(sel_matches(SEL("-p200", "-i:15000"), &w4, &py), "or: neither");
	/* -a ANDs them */
	ASSERT_FALSE(sel_matches(SEL("-a", "-p200", "-i:15000"), &c4, &py), "and: not pid");
	ASSERT_FALSE(sel_matches(SEL("-a", "-p200", "-i:15000"), &w4, &sshd), "and: not port");
	ASSERT_TRUE(sel_matches(SEL("-a", "-p100", "-i:15000"), &c4, &py), "and: both");
	/* exclusions hold whatever else matches */
	ASSERT_FALSE(sel_matches(SEL("-p^100", "-i:15000"), &c4, &py), "excluded, -i matches");
	/* users */
	ASSERT_TRUE(sel_matches(SEL("-ualice"), &c4, &py), "user name");
	ASSERT_TRUE(sel_matches(SEL("-u0"), &w4, &sshd), "uid");
	ASSERT_FALSE(sel_matches(SEL("-u^root", "-i"), &w4, &sshd), "excluded user");
	ASSERT_TRUE(sel_matches(SEL("-a", "-uroot", "-csshd", "-i4"), &w4, &sshd), "and of 3");
	ASSERT_FALSE(sel_matches(SEL("-a", "-uroot", "-csshd", "-i6"), &w4, &sshd), "and, not 6");
	/* commands: prefixes, exclusions, regexes */
	ASSERT_TRUE(sel_matches(SEL("-cpy"), &c4, &py), "prefix");
	ASSERT_TRUE(sel_matches(SEL("-cpython3"), &c4, &py), "whole");
	ASSERT_FALSE(sel_matches(SEL("-cpython3x"), &c4, &py), "longer than comm");
	ASSERT_FALSE(sel_matches(SEL("-cthon"), &c4, &py), "not a prefix");
	ASSERT_FALSE(sel_matches(SEL("-c^py", "-i"), &c4, &py), "excluded prefix");
	ASSERT_TRUE(sel_matches(SEL("-c^py", "-i"), &w4, &sshd), "excluded prefix, other");
	ASSERT_TRUE(sel_matches(SEL("-c/thon/"), &c4, &py), "regex anywhere");
	ASSERT_FALSE(sel_matches(SEL("-c/^thon/"), &c4, &py), "anchored regex");
	ASSERT_TRUE(sel_matches(SEL("-c/PYTHON/i"), &c4, &py), "regex, any case");
	ASSERT_TRUE(sel_matches(SEL("-csshd", "-c/^py/"), &c4, &py), "string or regex");
}

TEST(lsof_found_and_exit_status)
{
	struct sock_entry c4 = sock4(TCP, "127.0.0.1", 46680, "127.0.0.1", 15000, EST);
	struct sock_owner py = owner(100, 3, 1000, "python3");
	struct lsof_sel s;
	char err[256];

	/* lsof -i :15000 -i :80 exits 1: :80 listed nothing */
	sel_from(&s, err, sizeof(err), SEL("-i:15000", "-i:80"));
	lsof_sel_mark(&s, &c4, &py);
	ASSERT_FALSE(lsof_sel_all_found(&s), ":80 not found");
	sel_from(&s, err, sizeof(err), SEL("-i:15000", "-i:15000"));
	lsof_sel_mark(&s, &c4, &py);
	ASSERT_TRUE(lsof_sel_all_found(&s), "both found");
	sel_from(&s, err, sizeof(err), SEL("-i", "-p100,^7", "-sTCP:ESTABLISHED"));
	ASSERT_FALSE(lsof_sel_all_found(&s), "nothing marked yet");
	lsof_sel_mark(&s, &c4, &py);
	ASSERT_TRUE(lsof_sel_all_found(&s), "-i, pid and state found; exclusions need nothing");
	sel_from(&s, err, sizeof(err), SEL("-i", "-sTCP:ESTABLISHED,LISTEN"));
	lsof_sel_mark(&s, &c4, &py);
	ASSERT_FALSE(lsof_sel_all_found(&s), "LISTEN not seen");
	sel_from(&s, err, sizeof(err), SEL("-c^sshd", "-i"));
	lsof_sel_mark(&s, &c4, &py);
	ASSERT_FALSE(lsof_sel_all_found(&s), "lsof: a -c exclusion is never found");
	sel_from(&s, err, sizeof(err), SEL("-cpy", "-csshd"));
	lsof_sel_mark(&s, &c4, &py);
	ASSERT_FALSE(lsof_sel_all_found(&s), "sshd not found");
	/* marking a row the selection does not list records nothing */
	sel_from(&s, err, sizeof(err), SEL("-i:80"));
	lsof_sel_mark(&s, &c4, &py);
	ASSERT_FALSE(lsof_sel_all_found(&s), "unlisted row");
	lsof_sel_free(&s);
}

#define TCP_ONLY SK_KIND_BIT(SK_TCP)
#define UDP_ONLY SK_KIND_BIT(SK_UDP)
#define BOTH (TCP_ONLY | UDP_ONLY)

TEST(lsof_pushdown)
{
	struct lsof_sel s;
	char err[256];
	uint32_t all = 0;

	for (int st = EST; st <= SOCKTAP_TCP_CLOSING; st++)
		all |= 1u << st;
	sel_from(&s, err, sizeof(err), SEL("-i"));
	ASSERT_EQ(lsof_sel_states(&s), all, "every state with an fd");
	ASSERT_EQ(lsof_sel_family(&s), 0, "both families");
	sel_from(&s, err, sizeof(err), SEL("-i", "-sTCP:LISTEN,CLOSED"));
	ASSERT_EQ(lsof_sel_states(&s), 1u << LISTEN, "LISTEN");
	sel_from(&s, err, sizeof(err), SEL("-i", "-sTCP:^LISTEN"));
	ASSERT_EQ(lsof_sel_states(&s), all & ~(1u << LISTEN), "^LISTEN");
	sel_from(&s, err, sizeof(err), SEL("-i", "-sTCP:CLOSED"));
	ASSERT_EQ(lsof_sel_states(&s), 0, "nothing can match");
	sel_from(&s, err, sizeof(err), SEL("-i4"));
	ASSERT_EQ(lsof_sel_family(&s), AF_INET, "-i4");
	sel_from(&s, err, sizeof(err), SEL("-i6", "-p1"));
	ASSERT_EQ(lsof_sel_family(&s), 0, "-i6 or -p1: both");
	sel_from(&s, err, sizeof(err), SEL("-a", "-i6", "-p1"));
	ASSERT_EQ(lsof_sel_family(&s), AF_INET6, "-i6 and -p1");
	sel_from(&s, err, sizeof(err), SEL("-i4tcp"));
	ASSERT_EQ(lsof_sel_family(&s), 0, "4tcp matches mapped IPv6 sockets");
	ASSERT_EQ(lsof_sel_kinds(&s), TCP_ONLY, "4tcp: TCP only");
	sel_from(&s, err, sizeof(err), SEL("-i"));
	ASSERT_EQ(lsof_sel_kinds(&s), BOTH, "-i: both");
	sel_from(&s, err, sizeof(err), SEL("-iUDP:53", "-iTCP@127.0.0.1"));
	ASSERT_EQ(lsof_sel_kinds(&s), BOTH, "udp or tcp");
	sel_from(&s, err, sizeof(err), SEL("-iUDP:53", "-iUDP:123"));
	ASSERT_EQ(lsof_sel_kinds(&s), UDP_ONLY, "udp twice");
	sel_from(&s, err, sizeof(err), SEL("-i:80"));
	ASSERT_EQ(lsof_sel_kinds(&s), BOTH, "a port: both");
	sel_from(&s, err, sizeof(err), SEL("-iTCP", "-p1"));
	ASSERT_EQ(lsof_sel_kinds(&s), BOTH, "tcp or a pid's every socket");
	sel_from(&s, err, sizeof(err), SEL("-a", "-iTCP", "-p1"));
	ASSERT_EQ(lsof_sel_kinds(&s), TCP_ONLY, "tcp and a pid");
	sel_from(&s, err, sizeof(err), SEL("-iTCP", "-i"));
	ASSERT_EQ(lsof_sel_kinds(&s), BOTH, "-i too");
	sel_from(&s, err, sizeof(err), SEL("-iUDPLITE"));
	ASSERT_EQ(lsof_sel_kinds(&s), 0, "UDP-Lite: nothing listed");
}

/* ---- output ---- */

static const char *num_host(void *ctx, int af, const uint8_t *a, char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	if (af == AF_INET && a[0] == 127 && a[3] == 1)
		return "localhost";
	return NULL;
}

static const char *fake_port(void *ctx, uint16_t port, const char *proto, char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	if (port == 22 && !strcmp(proto, "tcp"))
		return "ssh";
	if (port == 53)
		return "domain";
	return NULL;
}

static const char *root_user(void *ctx, uint32_t uid, char *buf, size_t len)
{
	(void)ctx;
	(void)buf;
	(void)len;
	return uid == 0 ? "root" : NULL;
}

TEST(lsof_name_column)
{
	static const struct lsof_names names = { num_host, fake_port, root_user, NULL };
	struct sock_entry e;
	char buf[320];

	/* lsof -nP, as printed by lsof 4.95 */
	e = sock4(TCP, "127.0.0.1", 15000, "0.0.0.0", 0, LISTEN);
	lsof_fmt_name(&e, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "127.0.0.1:15000 (LISTEN)", "v4 listener");
	e = sock6(TCP, "::", 15001, "::", 0, LISTEN);
	lsof_fmt_name(&e, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "*:15001 (LISTEN)", "v6 wildcard");
	e = sock4(TCP, "127.0.0.1", 46680, "127.0.0.1", 15000, EST);
	lsof_fmt_name(&e, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "127.0.0.1:46680->127.0.0.1:15000 (ESTABLISHED)", "v4 pair");
	e = sock6(TCP, "::1", 38224, "::1", 15001, EST);
	lsof_fmt_name(&e, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "[::1]:38224->[::1]:15001 (ESTABLISHED)", "v6 pair");
	e = sock6(TCP, "::ffff:127.0.0.1", 46684, "::ffff:127.0.0.1", 15000, EST);
	lsof_fmt_name(&e, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "127.0.0.1:46684->127.0.0.1:15000 (ESTABLISHED)", "mapped");
	e = sock4(UDP, "0.0.0.0", 53, "0.0.0.0", 0, CLOSE);
	lsof_fmt_name(&e, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "*:53 ", "UDP: lsof leaves a blank");
	e = sock6(UDP, "2001:db8::1", 5353, "2001:db8::1", 53, EST);
	lsof_fmt_name(&e, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "[2001:db8::1]:5353->[2001:db8::1]:53 ", "UDP pair");
	e = sock4(TCP, "127.0.0.1", 1, "127.0.0.1", 2, SOCKTAP_TCP_NEW_SYN_RECV);
	lsof_fmt_name(&e, NULL, buf, sizeof(buf));
	ASSERT_STREQ(buf, "127.0.0.1:1->127.0.0.1:2 (UNKNOWN_TCP_STATE_12)", "unknown state");
	/* names */
	e = sock4(TCP, "127.0.0.1", 22, "198.18.0.2", 53, EST);
	lsof_fmt_name(&e, &names, buf, sizeof(buf));
	ASSERT_STREQ(buf, "localhost:ssh->198.18.0.2:domain (ESTABLISHED)", "names");
	e = sock4(UDP, "127.0.0.1", 22, "0.0.0.0", 0, CLOSE);
	lsof_fmt_name(&e, &names, buf, sizeof(buf));
	ASSERT_STREQ(buf, "localhost:22 ", "udp port 22 has no name here");
	/* a short buffer truncates, never overflows */
	e = sock6(TCP, "2001:db8::1", 5353, "2001:db8::1", 53, EST);
	lsof_fmt_name(&e, NULL, buf, 10);
	ASSERT_EQ(strlen(buf), 9, "truncated");
	e = sock4(TCP, "127.0.0.1", 46680, "127.0.0.1", 15000, EST);
	lsof_fmt_name(&e, NULL, buf, 10);
	ASSERT_STREQ(buf, "127.0.0.1", "IPv4 in a short buffer: cut, never overflowed");
}

TEST(lsof_command_column)
{
	char buf[40];

	lsof_fmt_command("python3", buf, sizeof(buf));
	ASSERT_STREQ(buf, "python3", "short");
	lsof_fmt_command("systemd-resolved", buf, sizeof(buf));
	ASSERT_STREQ(buf, "systemd-r", "9 columns, as lsof");
	lsof_fmt_command("a b", buf, sizeof(buf));
	ASSERT_STREQ(buf, "a\\x20b", "blank escaped, as lsof");
	lsof_fmt_command("ab\x1b[2J", buf, sizeof(buf));
	ASSERT_STREQ(buf, "ab\\x1b[2J", "control byte escaped");
	lsof_fmt_command("abcdefg\x01z", buf, sizeof(buf));
	ASSERT_STREQ(buf, "abcdefg", "an escape is not cut in half");
	lsof_fmt_command("a\\b", buf, sizeof(buf));
	ASSERT_STREQ(buf, "a\\\\b", "backslash");
	lsof_fmt_command("\xc3\xa9t\xc3\xa9", buf, sizeof(buf));
	ASSERT_STREQ(buf, "\xc3\xa9t\xc3\xa9", "UTF-8 kept");
	lsof_fmt_command("python3", buf, 4);
	ASSERT_STREQ(buf, "pyt", "short buffer");
}

TEST(lsof_comm_without_nul)
{
	/* a comm filling its 16 bytes: read no further (ASan sees a heap overrun) */
	struct sock_entry e = sock4(TCP, "127.0.0.1", 15000, "0.0.0.0", 0, LISTEN);
	struct sock_owner *o = malloc(sizeof(*o));
	struct lsof_sel s;
	struct lsof_ref ref;
	char err[256], *out = NULL;
	size_t len = 0;
	FILE *f;

	if (!ASSERT_OK_PTR(o, "malloc"))
		return;
	*o = owner(1, 3, 0, "");
	memset(o->comm, 'x', sizeof(o->comm));
	ref = lsof_ref_of(&e, o);
	f = open_memstream(&out, &len);
	if (!ASSERT_OK_PTR(f, "open_memstream"))
		return;
	lsof_print_table(f, &ref, 1, NULL);
	fclose(f);
	ASSERT_TRUE(out && strstr(out, "\nxxxxxxxxx "), "COMMAND cut at 9");
	free(out);
	sel_from(&s, err, sizeof(err), SEL("-cxxxxxxxxxxxxxxx", "-c/y/"));
	ASSERT_TRUE(lsof_sel_match(&s, &e, o), "15-byte prefix of 16 bytes");
	lsof_sel_mark(&s, &e, o);
	lsof_sel_free(&s);
	free(o);
}

TEST(lsof_table_as_lsof_prints_it)
{
	/* rows seen from lsof -nP -i, byte for byte */
	static const char *const want =
		"COMMAND   PID USER   FD   TYPE DEVICE SIZE/OFF NODE NAME\n"
		"python3 12578 root    3u  IPv4  43025      0t0  TCP 127.0.0.1:15000 (LISTEN)\n"
		"python3 12578 root   11u  IPv6  43032      0t0  TCP "
		"127.0.0.1:46684->127.0.0.1:15000 (ESTABLISHED)\n"
		"python3 12578 root   15u  IPv4  43036      0t0  UDP *:53 \n"
		"python3 12578 root   16u  IPv6  43037      0t0  UDP "
		"[2001:db8::1]:5353->[2001:db8::1]:53 \n";
	static const struct lsof_names names = { NULL, NULL, root_user, NULL };
	struct sock_entry e[4] = {
		sock4(TCP, "127.0.0.1", 15000, "0.0.0.0", 0, LISTEN),
		sock6(TCP, "::ffff:127.0.0.1", 46684, "::ffff:127.0.0.1", 15000, EST),
		sock4(UDP, "0.0.0.0", 53, "0.0.0.0", 0, CLOSE),
		sock6(UDP, "2001:db8::1", 5353, "2001:db8::1", 53, EST),
	};
	struct sock_owner o[4] = {
		owner(12578, 16, 0, "python3"),
		owner(12578, 3, 0, "python3"),
		owner(12578, 11, 0, "python3"),
		owner(12578, 15, 0, "python3"),
	};
	/* socket i is held by fd ... (rows come unsorted) */
	struct lsof_ref refs[4];
	char *out = NULL;
	size_t len = 0;
	FILE *f;

	e[0].inode = 43025;
	e[1].inode = 43032;
	e[2].inode = 43036;
	e[3].inode = 43037;
	refs[0] = lsof_ref_of(&e[3], &o[0]);
	refs[1] = lsof_ref_of(&e[0], &o[1]);
	refs[2] = lsof_ref_of(&e[1], &o[2]);
	refs[3] = lsof_ref_of(&e[2], &o[3]);
	lsof_sort_refs(refs, 4);
	f = open_memstream(&out, &len);
	if (!ASSERT_OK_PTR(f, "memstream"))
		return;
	lsof_print_table(f, refs, 4, &names);
	fclose(f);
	ASSERT_STREQ(out, want, "table");
	free(out);

	/* wider cells widen their columns; -t prints each PID once */
	o[0] = owner(4194304, 10001, 4242, "systemd-resolved");
	o[0].f_mode = 1;
	o[1] = owner(7, 2, 0, "a");
	o[1].f_mode = 2;
	e[3].inode = 123456789;
	refs[0] = lsof_ref_of(&e[3], &o[0]);
	refs[1] = lsof_ref_of(&e[0], &o[1]);
	refs[2] = lsof_ref_of(&e[1], &o[1]);
	lsof_sort_refs(refs, 3);
	out = NULL;
	f = open_memstream(&out, &len);
	lsof_print_table(f, refs, 3, &names);
	fclose(f);
	ASSERT_STREQ(out,
		     "COMMAND       PID USER   FD   TYPE    DEVICE SIZE/OFF NODE NAME\n"
		     "a               7 root    2w  IPv4     43025      0t0  TCP "
		     "127.0.0.1:15000 (LISTEN)\n"
		     "a               7 root    2w  IPv6     43032      0t0  TCP "
		     "127.0.0.1:46684->127.0.0.1:15000 (ESTABLISHED)\n"
		     "systemd-r 4194304 4242 *001r  IPv6 123456789      0t0  UDP "
		     "[2001:db8::1]:5353->[2001:db8::1]:53 \n",
		     "wide table");
	free(out);
	out = NULL;
	f = open_memstream(&out, &len);
	lsof_print_pids(f, refs, 3);
	lsof_print_table(f, refs, 0, &names);
	fclose(f);
	ASSERT_STREQ(out, "7\n4194304\n", "-t");
	free(out);
}

/* ---- robustness: random and mutated input never crashes or hangs ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)rng_state;
}

TEST(lsof_parsers_survive_random_input)
{
	static const char alphabet[] =
		"46tcpudTCPUDPlite@:[],.-^/0123456789abfoxsmtpLISTEN{}() \x01\xff";
	static const char *const seeds[] = { "tcp@foo:1-10,smtp,99", "6@[2001:db8::1]:53",
					     "TCP:LISTEN,^CLOSE_WAIT", "1,^2,3", "/^py(x){2}/i" };
	struct sock_entry e = sock6(TCP, "::ffff:127.0.0.1", 46684, "::1", 15000, EST);
	struct sock_owner o = owner(1, 3, 0, "py");
	char buf[LSOF_SPEC_MAX + 40], err[256];
	struct lsof_sel s;

	for (int iter = 0; iter < 20000; iter++) {
		size_t n = rnd() % (sizeof(buf) - 1);

		if (iter & 1) {
			/* a seed, mutated */
			snprintf(buf, sizeof(buf), "%s", seeds[rnd() % 5]);
			n = strlen(buf);
			for (int k = rnd() % 4; k >= 0 && n; k--)
				buf[rnd() % n] = alphabet[rnd() % (sizeof(alphabet) - 1)];
		} else {
			n %= 40;
			for (size_t k = 0; k < n; k++)
				buf[k] = alphabet[rnd() % (sizeof(alphabet) - 1)];
			buf[n] = '\0';
		}
		lsof_sel_init(&s);
		lsof_sel_add_inet(&s, buf, &test_resolver, err, sizeof(err));
		lsof_sel_add_state(&s, buf, err, sizeof(err));
		lsof_sel_add_pids(&s, buf, err, sizeof(err));
		lsof_sel_add_users(&s, buf, &test_resolver, err, sizeof(err));
		lsof_sel_add_cmd(&s, buf, err, sizeof(err));
		lsof_sel_check(&s, err, sizeof(err));
		lsof_sel_mark(&s, &e, &o);
		(void)lsof_sel_all_found(&s);
		lsof_sel_free(&s);
	}
	ASSERT_TRUE(true, "survived");
}

/* lsof's order, pid then fd (negative fds first), on rows in every order */
TEST(lsofspec_sort_refs)
{
	enum { N = 200 };
	static struct sock_owner o[N];
	static struct lsof_ref refs[N];
	struct sock_entry e = { 0 };
	uint32_t seed = 12345;

	for (int i = 0; i < N; i++) {
		seed = seed * 1103515245 + 12345;
		o[i].pid = (seed >> 16) % 13;
		o[i].fd = (int32_t)((seed >> 8) % 97) - 1;
		refs[i] = lsof_ref_of(&e, &o[i]);
	}
	lsof_sort_refs(refs, N);
	for (int i = 1; i < N; i++) {
		const struct sock_owner *a = refs[i - 1].o, *b = refs[i].o;
		bool ordered = a->pid < b->pid || (a->pid == b->pid && a->fd <= b->fd);

		if (!ASSERT_TRUE(ordered, "pid, then fd"))
			return;
		if (!ASSERT_EQ(refs[i].order, lsof_ref_of(&e, b).order, "each ref moved whole"))
			return;
	}
	/* in order already: left as it is */
	refs[0] = lsof_ref_of(&e, &o[0]);
	refs[1] = lsof_ref_of(&e, &o[0]);
	lsof_sort_refs(refs, 2);
	ASSERT_TRUE(refs[0].o == &o[0] && refs[1].o == &o[0], "two equal refs");
}
