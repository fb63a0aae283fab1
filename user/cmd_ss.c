// SPDX-License-Identifier: GPL-2.0
/*
 * socktap ss: iproute2's ss, from the BPF iterators. Its options, defaults,
 * filter language, rows and columns; the owners (-p) cost one pass over
 * every process's file table in the kernel instead of a readlink per fd.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include "cgroup.h"
#include "cli.h"
#include "columns.h"
#include "format.h"
#include "commands.h"
#include "json_writer.h"
#include "loader.h"
#include "names.h"
#include "netns.h"
#include "print.h"
#include "privilege.h"
#include "procnet.h"
#include "resolve.h"
#include "services.h"
#include "sockdiag.h"
#include "socktap.h"
#include "sockets.h"
#include "sockjson.h"
#include "ssfilter.h"
#include "ssfmt.h"
#include "strbuf.h"
#include "sysinfo.h"
#include "util.h"

/* ss's socket tables; those socktap cannot list yet still count for its column rules. */
enum ss_db {
	DB_TCP,
	DB_UDP,
	DB_RAW,
	DB_UNIX_ST,
	DB_UNIX_DG,
	DB_UNIX_SQ,
	DB_PACKET_DG,
	DB_PACKET_R,
	DB_NETLINK,
	DB_OTHER, /* dccp, sctp, mptcp, vsock, tipc, xdp: not listed */
	DB_MAX,
};

#define DBM(d) (1u << (d))
#define DBM_INET (DBM(DB_TCP) | DBM(DB_UDP) | DBM(DB_RAW))
#define DBM_UNIX (DBM(DB_UNIX_ST) | DBM(DB_UNIX_DG) | DBM(DB_UNIX_SQ))
#define DBM_PACKET (DBM(DB_PACKET_DG) | DBM(DB_PACKET_R))

/* ss's state bits are the kernel's TCP states. */
#define SS_ALL ((1u << (SOCKTAP_TCP_CLOSING + 1)) - 1)
#define SS_CONN                                                                                    \
	(SS_ALL & ~((1u << SOCKTAP_TCP_LISTEN) | (1u << SOCKTAP_TCP_CLOSE) |                       \
		    (1u << SOCKTAP_TCP_TIME_WAIT) | (1u << SOCKTAP_TCP_SYN_RECV)))

#define FAM_INET 1u
#define FAM_INET6 2u
#define FAM_UNIX 4u
#define FAM_OTHER 8u
#define FAM_PACKET 16u
#define FAM_NETLINK 32u

static const struct {
	uint32_t states;
	unsigned int families;
} db_defaults[DB_MAX] = {
	[DB_TCP] = { SS_CONN, FAM_INET | FAM_INET6 },
	[DB_UDP] = { 1u << SOCKTAP_TCP_ESTABLISHED, FAM_INET | FAM_INET6 },
	[DB_RAW] = { 1u << SOCKTAP_TCP_ESTABLISHED, FAM_INET | FAM_INET6 },
	[DB_UNIX_ST] = { SS_CONN, FAM_UNIX },
	[DB_UNIX_DG] = { 1u << SOCKTAP_TCP_CLOSE, FAM_UNIX },
	[DB_UNIX_SQ] = { SS_CONN, FAM_UNIX },
	[DB_PACKET_DG] = { 1u << SOCKTAP_TCP_CLOSE, FAM_PACKET },
	[DB_PACKET_R] = { 1u << SOCKTAP_TCP_CLOSE, FAM_PACKET },
	[DB_NETLINK] = { 1u << SOCKTAP_TCP_CLOSE, FAM_NETLINK },
	[DB_OTHER] = { 1u << SOCKTAP_TCP_CLOSE, FAM_OTHER },
};

static struct {
	unsigned int dbs, families;
	uint32_t states, state_opt; /* state_opt: -a or -l */
	bool do_default; /* no table or family chosen */
	int preferred_family;
	bool processes, summary, header, oneline, all_netns, queues;
	struct ssfmt_opts fmt;
	const char *netns;
	struct ssfilter *filter;
} S = { .do_default = true, .header = true, .queues = true };

static void help(void)
{
	printf("Usage: socktap ss [options] [ FILTER ]\n\n"
	       "Lists sockets as iproute2's ss does, with the same options, filter language,\n"
	       "rows and columns. Owners (-p) come from one pass over every process's file\n"
	       "table in the kernel.\n\n"
	       "Options:\n"
	       "  -t, --tcp            TCP sockets          -u, --udp       UDP sockets\n"
	       "  -w, --raw            raw sockets          -x, --unix      unix sockets\n"
	       "  -0, --packet         packet sockets\n"
	       "  -4, --ipv4           IPv4 only            -6, --ipv6      IPv6 only\n"
	       "  -f, --family FAMILY  inet, inet6, unix, link (packet) or netlink\n"
	       "  -A, --query QUERY    tables: all, inet, tcp, udp, raw, unix, unix_stream,\n"
	       "                       unix_dgram, unix_seqpacket, packet, packet_raw,\n"
	       "                       packet_dgram, netlink (comma separated, ! negates)\n"
	       "  -l, --listening      listening and unconnected sockets only\n"
	       "  -a, --all            sockets in every state\n"
	       "  -n, --numeric        no service names     -r, --resolve   host names\n"
	       "  -p, --processes      the processes using each socket\n"
	       "  -e, --extended       uid, inode, cookie, shutdown state (implies -o)\n"
	       "  -o, --options        timers               -m, --memory    socket memory\n"
	       "  -i, --info           TCP internals        -s, --summary   totals\n"
	       "  -H, --no-header      no header line       -O, --oneline   one line per socket\n"
	       "      --cgroup         the cgroup each socket was created in\n"
	       "  -N, --net NAME       the sockets of network namespace NAME\n"
	       "      --all-netns      the sockets of every network namespace, with a Netns "
	       "column\n"
	       "  -V, --version        socktap's version\n" CLI_COMMON_HELP
	       "\nFILTER := [ state STATE | exclude STATE ]... [ EXPRESSION ], as ss(8): e.g.\n"
	       "  socktap ss -tan state established '( dport = :ssh or sport = :ssh )'\n"
	       "JSON (--json): an array of sockets with proto, family, state, recv_q, send_q,\n"
	       "laddr, lport, raddr, rport, netns, uid, inode, cookie, owners, and the\n"
	       "timer, skmem and tcp_info objects of -o, -m and -i.\n");
	privilege_help(stdout, "ss");
}

static void db_set(unsigned int db, bool on)
{
	if (on) {
		S.states |= db_defaults[db].states;
		S.dbs |= DBM(db);
	} else {
		S.dbs &= ~DBM(db);
	}
	S.do_default = false;
}

/* A family and the states ss lists it in by default (its default_afs). */
static void fam_set(unsigned int fam, int af)
{
	S.states |= fam & (FAM_PACKET | FAM_NETLINK) ? 1u << SOCKTAP_TCP_CLOSE : SS_CONN;
	S.families |= fam;
	S.do_default = false;
	S.preferred_family = af;
}

static int db_parse(const char *s)
{
	static const struct {
		const char *name;
		unsigned int dbs;
	} names[] = {
		{ "all", DBM_INET | DBM_UNIX | DBM_PACKET | DBM(DB_NETLINK) | DBM(DB_OTHER) },
		{ "inet", DBM_INET | DBM(DB_OTHER) },
		{ "tcp", DBM(DB_TCP) },
		{ "udp", DBM(DB_UDP) },
		{ "raw", DBM(DB_RAW) },
		{ "unix", DBM_UNIX },
		{ "unix_stream", DBM(DB_UNIX_ST) },
		{ "u_str", DBM(DB_UNIX_ST) },
		{ "unix_dgram", DBM(DB_UNIX_DG) },
		{ "u_dgr", DBM(DB_UNIX_DG) },
		{ "unix_seqpacket", DBM(DB_UNIX_SQ) },
		{ "u_seq", DBM(DB_UNIX_SQ) },
		{ "packet", DBM_PACKET },
		{ "packet_raw", DBM(DB_PACKET_R) },
		{ "p_raw", DBM(DB_PACKET_R) },
		{ "packet_dgram", DBM(DB_PACKET_DG) },
		{ "p_dgr", DBM(DB_PACKET_DG) },
		{ "netlink", DBM(DB_NETLINK) },
	};
	bool on = true;

	if (s[0] == '!') {
		on = false;
		s++;
	}
	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		if (strcmp(s, names[i].name))
			continue;
		for (unsigned int d = 0; d < DB_MAX; d++)
			if (names[i].dbs & DBM(d))
				db_set(d, on);
		return 0;
	}
	return -1;
}

static void query_parse(const char *arg)
{
	static bool seen;
	char *copy = xstrdup(arg), *save = NULL, *tok;

	/* the first -A starts from no table, and from the connected states
	 * unless -a or -l came before it */
	if (!seen) {
		seen = true;
		S.dbs = 0;
		if (!S.state_opt)
			S.state_opt = SS_CONN;
		S.do_default = false;
	}
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		static const char *const others[] = { "dccp",	     "sctp",	     "mptcp",
						      "vsock",	     "vsock_stream", "v_str",
						      "vsock_dgram", "v_dgr",	     "tipc",
						      "xdp" };

		for (size_t i = 0; i < ARRAY_SIZE(others); i++)
			if (!strcmp(tok, others[i]) ||
			    (tok[0] == '!' && !strcmp(tok + 1, others[i])))
				usage_error(
					"ss: -A %s: socktap lists tcp, udp, raw, unix, packet and "
					"netlink sockets only",
					tok);
		if (db_parse(tok))
			usage_error("ss: wrong query parameter '%s' in -A", tok);
	}
	free(copy);
}

static void family_parse(const char *arg)
{
	if (!strcmp(arg, "inet"))
		fam_set(FAM_INET, AF_INET);
	else if (!strcmp(arg, "inet6"))
		fam_set(FAM_INET6, AF_INET6);
	else if (!strcmp(arg, "unix"))
		fam_set(FAM_UNIX, AF_UNIX);
	else if (!strcmp(arg, "link"))
		fam_set(FAM_PACKET, AF_PACKET);
	else if (!strcmp(arg, "netlink"))
		fam_set(FAM_NETLINK, AF_NETLINK);
	else if (!strcmp(arg, "vsock") || !strcmp(arg, "tipc") || !strcmp(arg, "xdp"))
		usage_error("ss: -f %s: socktap lists inet, inet6, unix, link and netlink sockets "
			    "only",
			    arg);
	else
		usage_error("ss: \"%s\" is invalid family", arg);
}

enum { OPT_ALL_NETNS = 256, OPT_CGROUP };

static void parse_args(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "numeric", no_argument, NULL, 'n' },
		{ "resolve", no_argument, NULL, 'r' },
		{ "all", no_argument, NULL, 'a' },
		{ "listening", no_argument, NULL, 'l' },
		{ "options", no_argument, NULL, 'o' },
		{ "extended", no_argument, NULL, 'e' },
		{ "memory", no_argument, NULL, 'm' },
		{ "info", no_argument, NULL, 'i' },
		{ "processes", no_argument, NULL, 'p' },
		{ "summary", no_argument, NULL, 's' },
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "raw", no_argument, NULL, 'w' },
		{ "unix", no_argument, NULL, 'x' },
		{ "packet", no_argument, NULL, '0' },
		{ "ipv4", no_argument, NULL, '4' },
		{ "ipv6", no_argument, NULL, '6' },
		{ "family", required_argument, NULL, 'f' },
		{ "query", required_argument, NULL, 'A' },
		{ "socket", required_argument, NULL, 'A' },
		{ "no-header", no_argument, NULL, 'H' },
		{ "oneline", no_argument, NULL, 'O' },
		{ "net", required_argument, NULL, 'N' },
		{ "version", no_argument, NULL, 'V' },
		{ "all-netns", no_argument, NULL, OPT_ALL_NETNS },
		{ "cgroup", no_argument, NULL, OPT_CGROUP },
		CLI_COMMON_LONGOPTS,
	};
	int c;

	opterr = 0;
	/* options anywhere, the filter's words after them in order, as ss's
	 * getopt takes them: a word that starts with '-' (a netlink port id
	 * ss prints negative) goes after "--", as with ss */
	while ((c = getopt_long(argc, argv,
				":nraloemipstuwx46f:A:HON:V0dSMBbETzZKDFQ" CLI_COMMON_SHORTOPTS,
				longopts, NULL)) != -1) {
		if (cli_common_opt(c, "ss", argv, help))
			continue;
		switch (c) {
		case 'n':
			S.fmt.numeric = true;
			break;
		case 'r':
			S.fmt.resolve = true;
			break;
		case 'a':
			S.state_opt = SS_ALL;
			break;
		case 'l':
			S.state_opt = (1u << SOCKTAP_TCP_LISTEN) | (1u << SOCKTAP_TCP_CLOSE);
			break;
		case 'o':
			S.fmt.options = true;
			break;
		case 'e':
			S.fmt.options = true;
			S.fmt.details = true;
			break;
		case 'm':
			S.fmt.mem = true;
			break;
		case 'i':
			S.fmt.info = true;
			break;
		case 'p':
			S.processes = true;
			break;
		case 's':
			S.summary = true;
			break;
		case 't':
			db_set(DB_TCP, true);
			break;
		case 'u':
			db_set(DB_UDP, true);
			break;
		case 'w':
			db_set(DB_RAW, true);
			break;
		case 'x':
			fam_set(FAM_UNIX, AF_UNIX);
			break;
		case '4':
			fam_set(FAM_INET, AF_INET);
			break;
		case '6':
			fam_set(FAM_INET6, AF_INET6);
			break;
		case 'f':
			family_parse(optarg);
			break;
		case 'A':
			query_parse(optarg);
			break;
		case 'H':
			S.header = false;
			break;
		case 'O':
			S.fmt.oneline = true;
			break;
		case 'N':
			S.netns = optarg;
			break;
		case 'V':
			printf("socktap %s\n", SOCKTAP_VERSION);
			exit(0);
		case OPT_ALL_NETNS:
			S.all_netns = true;
			break;
		case OPT_CGROUP:
			S.fmt.cgroup = true;
			break;
		case '0':
			fam_set(FAM_PACKET, AF_PACKET);
			break;
		case 'K':
			usage_error("ss: -K (killing sockets) is not supported by socktap");
		case 'Z':
		case 'z':
			usage_error("ss: -%c (SELinux contexts) is not supported by socktap", c);
		case 'E':
			usage_error("ss: -E (events) is not supported by socktap ss: see socktap "
				    "trace");
		default:
			usage_error("ss: option '-%c' is not supported by socktap", c);
		}
	}
	if (S.netns && S.all_netns)
		usage_error("ss: -N and --all-netns exclude each other");
}

/* Applies ss's state clauses and defaults, and the families tables imply. */
static void settle_filter(void)
{
	uint32_t clauses = ssfilter_states(S.filter);
	uint32_t states = clauses ? clauses : S.state_opt;
	int fam = ssfilter_family(S.filter);

	if (S.do_default) {
		if (!states)
			states = SS_CONN;
		db_parse("all");
	}
	if (states)
		S.states = states;
	for (unsigned int d = 0; d < DB_MAX; d++)
		if ((S.dbs & DBM(d)) && !(db_defaults[d].families & S.families))
			S.families |= db_defaults[d].families;
	if (S.families & (FAM_INET | FAM_INET6) && !(S.dbs & DBM_INET))
		S.dbs |= DBM_INET | DBM(DB_OTHER);
	if (S.families & FAM_UNIX && !(S.dbs & DBM_UNIX))
		S.dbs |= DBM_UNIX;
	if (S.families & FAM_PACKET && !(S.dbs & DBM_PACKET))
		S.dbs |= DBM_PACKET;
	if (S.families & FAM_NETLINK && !(S.dbs & DBM(DB_NETLINK)))
		S.dbs |= DBM(DB_NETLINK);
	/*
	 * an address naming a family lists that family alone, as ss does: it
	 * reads the filter after merging the defaults, so the tables stay
	 */
	if (fam == AF_INET)
		S.families = FAM_INET;
	else if (fam == AF_INET6)
		S.families = FAM_INET6;
	else if (fam == AF_UNIX)
		S.families = FAM_UNIX;
	else if (fam == AF_PACKET)
		S.families = FAM_PACKET;
	else if (fam == AF_NETLINK)
		S.families = FAM_NETLINK;
}

static unsigned int query_kinds(void)
{
	unsigned int k = 0;

	if (S.families & (FAM_INET | FAM_INET6)) {
		if (S.dbs & DBM(DB_TCP))
			k |= SK_KIND_BIT(SK_TCP);
		if (S.dbs & DBM(DB_UDP))
			k |= SK_KIND_BIT(SK_UDP);
		if (S.dbs & DBM(DB_RAW))
			k |= SK_KIND_BIT(SK_RAW);
	}
	if (S.families & FAM_UNIX) {
		if (S.dbs & DBM(DB_UNIX_ST))
			k |= SK_KIND_BIT(SK_UNIX_STREAM);
		if (S.dbs & DBM(DB_UNIX_DG))
			k |= SK_KIND_BIT(SK_UNIX_DGRAM);
		if (S.dbs & DBM(DB_UNIX_SQ))
			k |= SK_KIND_BIT(SK_UNIX_SEQPACKET);
	}
	/* ss's packet_diag dump keeps both types whichever table was asked for */
	if (S.families & FAM_PACKET && S.dbs & DBM_PACKET)
		k |= SK_KINDS_PACKET;
	if (S.families & FAM_NETLINK && S.dbs & DBM(DB_NETLINK))
		k |= SK_KIND_BIT(SK_NETLINK);
	return k;
}

static bool wanted(const struct sock_entry *e, unsigned int lo, unsigned int hi)
{
	uint8_t st = e->state == SOCKTAP_TCP_NEW_SYN_RECV ? SOCKTAP_TCP_SYN_RECV : e->state;

	if (st >= 32 || !(S.states & (1u << st)))
		return false;
	if ((e->family == AF_INET && !(S.families & FAM_INET)) ||
	    (e->family == AF_INET6 && !(S.families & FAM_INET6)) ||
	    (e->family == AF_PACKET && !(S.families & FAM_PACKET)) ||
	    (e->family == AF_NETLINK && !(S.families & FAM_NETLINK)))
		return false;
	return ssfilter_match(S.filter, e, lo, hi);
}

/*
 * ss's order: netlink, packet (both types in one dump), unix, raw, udp,
 * tcp; IPv4 before IPv6 (two dumps); namespaces in turn.
 */
struct ordered {
	const struct sock_entry *e;
	uint64_t key; /* namespace rank, table, family, then the order read */
};

static int group_of(const struct sock_entry *e)
{
	switch (e->kind) {
	case SK_NETLINK:
		return 0;
	case SK_PACKET_RAW:
	case SK_PACKET_DGRAM:
		return 1;
	case SK_RAW:
		return 3;
	case SK_UDP:
		return 4;
	case SK_TCP:
		return 5;
	default:
		return 2;
	}
}

static uint64_t order_key(const struct sock_entry *e, size_t seq, uint32_t **ns, size_t *nns)
{
	size_t rank = 0;
	int g = group_of(e);

	while (rank < *nns && (*ns)[rank] != e->netns)
		rank++;
	if (rank == *nns) {
		*ns = xrealloc(*ns, (*nns + 1) * sizeof(**ns));
		(*ns)[(*nns)++] = e->netns;
	}
	return (uint64_t)rank << 40 | (uint64_t)g << 37 | (uint64_t)(e->family == AF_INET6) << 36 |
	       (uint64_t)seq;
}

static int cmp_ordered(const void *a, const void *b)
{
	const struct ordered *x = a, *y = b;

	return x->key < y->key ? -1 : x->key > y->key;
}

/* Rows come mostly in order already (one family, one namespace): no sort then. */
static bool ordered_already(const struct ordered *rows, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (rows[i - 1].key > rows[i].key)
			return false;
	return true;
}

static const char *host_name(int family, const uint8_t *addr)
{
	static const uint8_t zero[16];

	static const uint8_t v4mapped[12] = { [10] = 0xff, [11] = 0xff };

	/* ss prints wildcards as numbers */
	if (!memcmp(addr, zero, family == AF_INET ? 4 : 16))
		return NULL;
	/* ss's gethostbyaddr() names a v4-mapped address by its IPv4 host */
	if (family == AF_INET6 && !memcmp(addr, v4mapped, sizeof(v4mapped)))
		return name_of_host(AF_INET, addr + 12);
	return name_of_host(family, addr);
}

/* inet_proto_n2a(): a protocol without a name is "ipproto-N" */
static const char *proto_name(int proto)
{
	static char buf[32];
	const char *name = name_of_proto(proto);

	if (name)
		return name;
	snprintf(buf, sizeof(buf), "ipproto-%d", proto);
	return buf;
}

enum col {
	COL_NETNS,
	COL_NETID,
	COL_STATE,
	COL_RECVQ,
	COL_SENDQ,
	COL_ADDR,
	COL_SERV,
	COL_RADDR,
	COL_RSERV,
	COL_PROC,
	COL_EXT,
	COL_MAX,
};

static void print_text(const struct ordered *rows, size_t n)
{
	struct cols_def def[COL_MAX] = {
		[COL_NETNS] = { "Netns", CA_LEFT, "", !S.all_netns },
		[COL_NETID] = { "Netid", CA_LEFT, S.all_netns ? " " : "", false },
		[COL_STATE] = { "State", CA_LEFT, " ", false },
		[COL_RECVQ] = { "Recv-Q", CA_LEFT, " ", !S.queues },
		[COL_SENDQ] = { "Send-Q", CA_LEFT, " ", !S.queues },
		[COL_ADDR] = { "Local Address:", CA_RIGHT, " ", false },
		[COL_SERV] = { "Port", CA_LEFT, "", false },
		[COL_RADDR] = { "Peer Address:", CA_RIGHT, " ", false },
		[COL_RSERV] = { "Port", CA_LEFT, "", false },
		/* ss 6.1 writes users:(...) and every extra field into one
		 * column headed "Process", always shown, then an empty one */
		[COL_PROC] = { "Process", CA_LEFT, "", false },
		[COL_EXT] = { "", CA_LEFT, "", false },
	};
	struct strbuf sb = { 0 };
	struct ss_users_memo memo = { 0 };
	struct cols c;
	char buf[1024];

	/* one table: no Netid column; one state: no State column */
	if (!(S.dbs & (S.dbs - 1)))
		def[COL_NETID].disabled = true;
	if (!(S.states & (S.states - 1)))
		def[COL_STATE].disabled = true;
	cols_init(&c, def, COL_MAX);
	/* a row of ss -tanp is about 120 bytes of text */
	cols_reserve(&c, n, 128);
	for (size_t i = 0; i < n; i++) {
		const struct sock_entry *e = rows[i].e;

		cols_row(&c);
		if (S.all_netns) {
			buf[fmt_u64(buf, e->netns)] = '\0';
			cols_put(&c, COL_NETNS, buf);
		}
		cols_put(&c, COL_NETID, ss_netid(e->kind));
		cols_put(&c, COL_STATE, ss_state(e->state));
		cols_put_len(&c, COL_RECVQ, buf, ss_queue(buf, sizeof(buf), e->recv_q));
		cols_put_len(&c, COL_SENDQ, buf, ss_queue(buf, sizeof(buf), e->send_q));
		cols_put_len(&c, COL_ADDR, buf, ss_local_addr(buf, sizeof(buf), e, &S.fmt));
		cols_put_len(&c, COL_SERV, buf, ss_local_port(buf, sizeof(buf), e, &S.fmt));
		cols_put_len(&c, COL_RADDR, buf, ss_peer_addr(buf, sizeof(buf), e, &S.fmt));
		cols_put_len(&c, COL_RSERV, buf, ss_peer_port(buf, sizeof(buf), e, &S.fmt));
		sb.len = 0;
		if (S.processes)
			ss_users(&sb, e, &memo);
		ss_ext(&sb, e, &S.fmt);
		cols_put_len(&c, COL_PROC, sb.p, sb.len);
	}
	cols_render(&c, stdout, S.header, cols_screen_width(stdout));
	cols_free(&c);
	sb_free(&sb);
}

static void print_json(const struct ordered *rows, size_t n)
{
	json_writer_t *jw = jsonw_new(stdout);
	unsigned int what = (S.processes ? SOCKJSON_OWNERS : 0) |
			    (S.fmt.options ? SOCKJSON_TIMER : 0) | (S.fmt.mem ? SOCKJSON_MEM : 0) |
			    (S.fmt.info ? SOCKJSON_TCPINFO : 0);

	jsonw_start_array(jw);
	for (size_t i = 0; i < n; i++)
		sock_json(jw, rows[i].e, what);
	jsonw_end_array(jw);
	jsonw_eol(jw);
	jsonw_destroy(&jw);
}

int do_ss(int argc, char **argv)
{
	struct sockets_query q = { 0 };
	struct sock_table t = { 0 };
	struct ordered *rows;
	unsigned int lo, hi;
	char err[512];
	size_t n = 0;
	int fd, ret = EXIT_RUNTIME;
	double t_print;
	bool summary_only;
	unsigned int modes = 0;
	uint32_t *netns_order = NULL;
	size_t netns_norder = 0;

	parse_args(argc, argv);
	loader_set_verbose(g_opts.verbose);
	/* -s alone is the summary alone; with tables or a filter, both */
	summary_only = S.summary && S.do_default && optind == argc;
	/* without -p, -N or --all-netns none: the rows come from sock_diag
	 * where the iterators cannot load, as ss's do (-v says so) */
	if (S.processes && !summary_only)
		modes |= sockets_forced_fallback() ? PRIV_OWNERS_PROC : PRIV_OWNERS;
	if (S.netns)
		modes |= PRIV_NETNS;
	if (S.all_netns)
		modes |= PRIV_ALL_NETNS;
	privilege_require("ss", modes);
	/* like ss -N: everything after this happens in that namespace */
	if (S.netns) {
		fd = netns_open(S.netns);
		if (fd < 0)
			usage_error("ss: no network namespace '%s' (%s)", S.netns, strerror(-fd));
		if (netns_enter(fd)) {
			p_err("ss: cannot enter network namespace '%s': %s", S.netns,
			      strerror(errno));
			return EXIT_RUNTIME;
		}
	}
	S.filter = ssfilter_parse_family(argc - optind, argv + optind, S.preferred_family,
					 &resolver_system, err, sizeof(err));
	if (!S.filter)
		usage_error("ss: %s", err);
	if (S.summary && !summary_only && g_opts.json)
		usage_error("ss: -s with a listing has no JSON form: ask for one or the other");
	settle_filter();
	if (S.summary) {
		print_init(stdout, g_opts.json);
		if ((g_opts.json ? procnet_print_ss_summary_json("/proc") :
				   procnet_print_ss_summary(stdout, "/proc")) < 0) {
			p_err("ss: cannot read /proc/net/sockstat: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
		if (summary_only)
			return print_fini() ? EXIT_RUNTIME : 0;
	}
	S.fmt.service = service_name;
	S.fmt.host = host_name;
	S.fmt.ifname = name_of_ifindex;
	/* ss names a cgroup only where cgroup2 is mounted: as it does */
	S.fmt.cgroup_path = cgroup_path_of_id_mounted;
	S.fmt.protocol = proto_name;
	S.fmt.proc_comm = name_of_process;
	q.kinds = query_kinds();
	q.states = S.states;
	if ((S.families & (FAM_INET | FAM_INET6)) == FAM_INET)
		q.family = AF_INET;
	else if ((S.families & (FAM_INET | FAM_INET6)) == FAM_INET6)
		q.family = AF_INET6;
	q.owners = S.processes;
	q.mem = S.fmt.mem;
	q.tcpinfo = S.fmt.info;
	/* every place a cgroup shows or is tested */
	q.cgroup = S.fmt.details || S.fmt.cgroup || g_opts.json || ssfilter_uses_cgroup(S.filter);
	q.bind = ssfilter_uses_autobound(S.filter);
	q.all_netns = S.all_netns;
	q.cmd = "ss";
	if (q.kinds && sockets_collect(&q, &t, err, sizeof(err))) {
		p_err("ss: %s", err);
		goto out;
	}
	sockets_report_source();
	ephemeral_range(&lo, &hi);
	rows = xcalloc(t.n, sizeof(*rows));
	for (size_t i = 0; i < t.n; i++)
		if (wanted(&t.v[i], lo, hi)) {
			rows[n].e = &t.v[i];
			rows[n].key = order_key(&t.v[i], i, &netns_order, &netns_norder);
			n++;
		}
	t_print = sockets_now_ms();
	if (!ordered_already(rows, n))
		qsort(rows, n, sizeof(*rows), cmp_ordered);
	if (g_opts.json)
		print_json(rows, n);
	else
		print_text(rows, n);
	free(rows);
	ret = 0;
	if (fflush(stdout) || ferror(stdout)) {
		p_err("ss: writing the output failed: %s", strerror(errno));
		ret = EXIT_RUNTIME;
	}
	sockets_print_timing(sockets_now_ms() - t_print);
out:
	sock_table_free(&t);
	ssfilter_free(S.filter);
	free(netns_order);
	return ret;
}
