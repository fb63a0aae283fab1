// SPDX-License-Identifier: GPL-2.0
/*
 * socktap netstat: the socket listing of net-tools' netstat, row for row and
 * column for column, from the socket table (owners included, without a scan
 * of every /proc/PID/fd), plus netstat -s and -i from /proc.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "cli.h"
#include "commands.h"
#include "ifconfig_fmt.h"
#include "ifinfo.h"
#include "names.h"
#include "services.h"
#include "netstat_fmt.h"
#include "parse.h"
#include "print.h"
#include "privilege.h"
#include "sockjson.h"
#include "procnet.h"
#include "signals.h"
#include "sockets.h"
#include "tcpstate.h"
#include "util.h"

/* Lets this file link in builds whose socket table reader is not there yet. */

struct netstat_cmd {
	struct netstat_opts fmt;
	bool tcp, udp, raw, unx, inet4, inet6;
	bool stats, ifaces, continuous;
	double interval;
};

static void help(void)
{
	printf("Usage: socktap netstat [options]\n\n"
	       "Lists sockets as net-tools' netstat does, with their processes from the\n"
	       "kernel's own tables.\n\n"
	       "Options:\n"
	       "  -t, --tcp          TCP sockets\n"
	       "  -u, --udp          UDP sockets\n"
	       "  -w, --raw          raw sockets\n"
	       "  -x, --unix         unix domain sockets\n"
	       "  -4, --inet         IPv4 only        -6, --inet6   IPv6 only\n"
	       "  -l, --listening    servers only     -a, --all     servers and the others\n"
	       "  -n, --numeric      no host, port or user names\n"
	       "      --numeric-hosts, --numeric-ports, --numeric-users\n"
	       "  -p, --programs     PID/Program name of each socket\n"
	       "  -e, --extend       User and Inode columns; with -i, ifconfig's long form\n"
	       "  -o, --timers       timer column\n"
	       "  -W, --wide         do not truncate addresses\n"
	       "  -c, --continuous[=SECS]  list again every SECS seconds (1)\n"
	       "  -s, --statistics   protocol counters (netstat -s)\n"
	       "  -i, --interfaces   interface table (netstat -i)\n" CLI_COMMON_HELP);
	privilege_help(stdout, "netstat");
}

/* Options of netstat this command does not have: say so, exit 2. */
static __attribute__((noreturn)) void unsupported(const char *opt, const char *what)
{
	usage_error("netstat: option '%s' (%s) is not supported", opt, what);
}

/* Reverse lookups for the non-numeric output (names.c). */
static const char *name_service(void *ctx, uint16_t port, const char *proto)
{
	(void)ctx;
	/* net-tools names raw "ports" (the protocol) from /etc/protocols */
	if (!strcmp(proto, "raw"))
		return name_of_proto(port);
	/* every port, ephemeral ones too, as netstat does */
	return service_name_any(port, proto);
}

static const char *name_host(void *ctx, int family, const uint8_t *addr)
{
	(void)ctx;
	return name_of_host(family, addr);
}

static const char *name_user(void *ctx, uint32_t uid)
{
	(void)ctx;
	return name_of_user(uid);
}

static const struct netstat_names system_names = { name_service, name_host, name_user, NULL };

/*
 * netstat's program name: argv[0] from /proc/PID/cmdline, its last path
 * part when it is absolute; the kernel's comm if cmdline cannot be read.
 */
struct progname {
	uint32_t pid;
	char *text; /* "PID/name", escaped */
};

struct progcache {
	struct progname *v;
	size_t n;
};

static const char *program_of(struct progcache *c, const struct sock_entry *e)
{
	const struct sock_owner *o;
	char path[64], cmd[512];
	const char *name;
	ssize_t len = -1;
	int fd;

	if (!e->nowners)
		return "-";
	o = &e->owners[0];
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].pid == o->pid)
			return c->v[i].text;
	snprintf(path, sizeof(path), "/proc/%u/cmdline", o->pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		len = read(fd, cmd, sizeof(cmd) - 1);
		close(fd);
	}
	if (len > 0) {
		cmd[len] = '\0';
		name = cmd;
		if (cmd[0] == '/' && strrchr(cmd, '/'))
			name = strrchr(cmd, '/') + 1;
	} else {
		name = o->comm;
	}
	c->v = xrealloc(c->v, (c->n + 1) * sizeof(*c->v));
	c->v[c->n].pid = o->pid;
	c->v[c->n].text = netstat_fmt_program(o->pid, name);
	return c->v[c->n++].text;
}

static void progcache_free(struct progcache *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].text);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static bool is_inet(const struct sock_entry *e)
{
	return e->kind == SK_TCP || e->kind == SK_UDP || e->kind == SK_RAW;
}

static bool kind_wanted(const struct netstat_cmd *n, const struct sock_entry *e)
{
	switch (e->kind) {
	case SK_TCP:
		return n->tcp;
	case SK_UDP:
		return n->udp;
	case SK_RAW:
		return n->raw;
	default:
		return n->unx;
	}
}

static bool family_wanted(const struct netstat_cmd *n, const struct sock_entry *e)
{
	if (!is_inet(e))
		return true;
	return e->family == AF_INET6 ? n->inet6 : n->inet4;
}

/* The project's socket object (sockjson.c), with netstat's RefCnt for unix rows. */
static void json_row(const struct sock_table *t, size_t i, const unsigned int *refcnt)
{
	json_writer_t *jw = print_json_writer();
	const struct sock_entry *e = &t->v[i];

	jsonw_start_object(jw);
	sock_json_fields(jw, e, SOCKJSON_OWNERS | SOCKJSON_TIMER);
	if (!is_inet(e)) {
		jsonw_name(jw, "refcnt");
		jsonw_u64(jw, refcnt[i]);
	}
	jsonw_end_object(jw);
}

static bool shown(const struct netstat_cmd *n, const struct sock_entry *e)
{
	return kind_wanted(n, e) && family_wanted(n, e) && netstat_shows(e, &n->fmt);
}

/* One listing: both sections, as text or as one JSON array. */
static int list_once(const struct netstat_cmd *n, bool show_inet, bool show_unix)
{
	struct sockets_query q = { 0 };
	struct sock_table t = { 0 };
	struct progcache pc = { 0 };
	struct strbuf row = { 0 };
	unsigned int *refcnt;
	char err[256] = "";

	if (show_inet)
		q.kinds |= (n->tcp ? SK_KIND_BIT(SK_TCP) : 0) | (n->udp ? SK_KIND_BIT(SK_UDP) : 0) |
			   (n->raw ? SK_KIND_BIT(SK_RAW) : 0);
	if (show_unix)
		q.kinds |= SK_KINDS_UNIX;
	q.family = n->inet4 && !n->inet6 ? AF_INET : n->inet6 && !n->inet4 ? AF_INET6 : 0;
	q.owners = n->fmt.programs || print_is_json();
	q.cgroup = print_is_json(); /* the JSON object has it */
	q.cmd = "netstat";
	if (sockets_collect(&q, &t, err, sizeof(err))) {
		p_err("netstat: %s", err);
		return -1;
	}
	sockets_report_source();
	netstat_sort(t.v, t.n);
	refcnt = netstat_unix_refcnts(&t);

	if (print_is_json()) {
		print_arr_begin(NULL);
		for (size_t i = 0; i < t.n; i++)
			if (shown(n, &t.v[i]) && (is_inet(&t.v[i]) ? show_inet : show_unix))
				json_row(&t, i, refcnt);
		print_arr_end();
		fputc('\n', stdout);
	} else {
		if (show_inet) {
			netstat_print_inet_header(stdout, &n->fmt);
			for (size_t i = 0; i < t.n; i++)
				if (is_inet(&t.v[i]) && shown(n, &t.v[i]))
					netstat_print_inet_row(stdout, &row, &t.v[i],
							       program_of(&pc, &t.v[i]), &n->fmt);
		}
		if (show_unix) {
			netstat_print_unix_header(stdout, &n->fmt);
			for (size_t i = 0; i < t.n; i++)
				if (!is_inet(&t.v[i]) && shown(n, &t.v[i]))
					netstat_print_unix_row(stdout, &t.v[i], refcnt[i],
							       program_of(&pc, &t.v[i]), &n->fmt);
		}
	}
	sb_free(&row);
	progcache_free(&pc);
	free(refcnt);
	sock_table_free(&t);
	return print_flush();
}

/* Waits for the next round of -c; false once a signal asks to stop. */
static bool next_round(const struct netstat_cmd *n)
{
	if (!n->continuous || print_flush())
		return false;
	return !signals_wait(n->interval);
}

static int run_stats(const struct netstat_cmd *n, bool inet6)
{
	unsigned int groups = (n->raw ? PROCNET_STAT_RAW : 0) | (n->tcp ? PROCNET_STAT_TCP : 0) |
			      (n->udp ? PROCNET_STAT_UDP : 0);

	if (n->unx)
		usage_error("netstat: no statistics for unix sockets");
	if (procnet_print_stats(stdout, "/proc", inet6, groups ? groups : PROCNET_STAT_ALL)) {
		p_err("netstat: cannot read /proc/net/snmp: %s", strerror(errno));
		return EXIT_RUNTIME;
	}
	return 0;
}

struct ifaces_long {
	const struct if_inet6 *v6;
	size_t n6;
};

static void iface_json_long(const struct procnet_iface *i, void *ctx)
{
	const struct ifaces_long *c = ctx;
	struct if_long l;

	ifinfo_read(i->name, &l);
	ifconfig_json_long(i, &l, c->v6, c->n6);
}

/* netstat -i: the interface table, address labels included. 0, or -1 with errno. */
static int print_ifaces(bool all, bool title)
{
	struct procnet_iface *v;
	size_t n;

	if (procnet_read_ifaces("/proc", &v, &n))
		return -1;
	ifinfo_as_net_tools(&v, &n);
	procnet_print_iface_table(stdout, v, n, all, title);
	free(v);
	return 0;
}

/* netstat -ie: every interface in ifconfig's long form. 0, or -1 with errno. */
static int print_ifaces_long(bool all, bool title)
{
	struct procnet_iface *v;
	struct if_inet6 *v6;
	size_t n, n6;
	/* no file without IPv6: no inet6 lines, as net-tools */
	char *text = procnet_read_file("/proc", "net/if_inet6");
	struct ifaces_long c;

	if (procnet_read_ifaces("/proc", &v, &n)) {
		free(text);
		return -1;
	}
	ifinfo_as_net_tools(&v, &n);
	ifconfig_parse_inet6(text, &v6, &n6);
	free(text);
	c = (struct ifaces_long){ v6, n6 };
	if (print_is_json()) {
		print_doc_begin();
		procnet_iface_json(v, n, all, iface_json_long, &c);
		print_doc_end();
	} else {
		if (title)
			fputs("Kernel Interface table\n", stdout);
		for (size_t k = 0; k < n; k++) {
			struct if_long l;

			if (!procnet_iface_listed(&v[k], all))
				continue;
			ifinfo_read(v[k].name, &l);
			ifconfig_print_long(stdout, &v[k], &l, v6, n6);
		}
	}
	free(v6);
	free(v);
	return 0;
}

static int run_ifaces(const struct netstat_cmd *n)
{
	bool first = true;

	do {
		if (n->fmt.extend ? print_ifaces_long(n->fmt.all, first) :
				    print_ifaces(n->fmt.all, first)) {
			p_err("netstat: cannot read /proc/net/dev: %s", strerror(errno));
			return EXIT_RUNTIME;
		}
		first = false;
	} while (next_round(n));
	return 0;
}

enum {
	OPT_NUM_HOSTS = 256,
	OPT_NUM_PORTS,
	OPT_NUM_USERS,
	OPT_UNSUPPORTED,
};

int do_netstat(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "tcp", no_argument, NULL, 't' },
		{ "udp", no_argument, NULL, 'u' },
		{ "raw", no_argument, NULL, 'w' },
		{ "unix", no_argument, NULL, 'x' },
		{ "inet", no_argument, NULL, '4' },
		{ "inet6", no_argument, NULL, '6' },
		{ "listening", no_argument, NULL, 'l' },
		{ "all", no_argument, NULL, 'a' },
		{ "numeric", no_argument, NULL, 'n' },
		{ "numeric-hosts", no_argument, NULL, OPT_NUM_HOSTS },
		{ "numeric-ports", no_argument, NULL, OPT_NUM_PORTS },
		{ "numeric-users", no_argument, NULL, OPT_NUM_USERS },
		{ "programs", no_argument, NULL, 'p' },
		{ "extend", no_argument, NULL, 'e' },
		{ "timers", no_argument, NULL, 'o' },
		{ "wide", no_argument, NULL, 'W' },
		{ "continuous", optional_argument, NULL, 'c' },
		{ "statistics", no_argument, NULL, 's' },
		{ "interfaces", no_argument, NULL, 'i' },
		{ "symbolic", no_argument, NULL, 'N' },
		{ "route", no_argument, NULL, 'r' },
		{ "groups", no_argument, NULL, 'g' },
		{ "masquerade", no_argument, NULL, 'M' },
		{ "cache", no_argument, NULL, 'C' },
		{ "fib", no_argument, NULL, 'F' },
		{ "context", no_argument, NULL, 'Z' },
		{ "sctp", no_argument, NULL, 'S' },
		{ "udplite", no_argument, NULL, 'U' },
		{ "protocol", required_argument, NULL, 'A' },
		CLI_COMMON_LONGOPTS,
	};
	struct netstat_cmd n = { .interval = 1 };
	bool show_inet, show_unix, stats6;
	uint64_t v;
	int c, ret = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, ":tuwx46lanpeoWc::siNrgMCFZSUA:" CLI_COMMON_SHORTOPTS,
				longopts, NULL)) != -1) {
		if (cli_common_opt(c, "netstat", argv, help))
			continue;
		switch (c) {
		case 't':
			n.tcp = true;
			break;
		case 'u':
			n.udp = true;
			break;
		case 'w':
			n.raw = true;
			break;
		case 'x':
			n.unx = true;
			break;
		case '4':
			n.inet4 = true;
			break;
		case '6':
			n.inet6 = true;
			break;
		case 'l':
			n.fmt.listening = true;
			break;
		case 'a':
			n.fmt.all = true;
			break;
		case 'n':
			n.fmt.numeric_hosts = n.fmt.numeric_ports = n.fmt.numeric_users = true;
			break;
		case OPT_NUM_HOSTS:
			n.fmt.numeric_hosts = true;
			break;
		case OPT_NUM_PORTS:
			n.fmt.numeric_ports = true;
			break;
		case OPT_NUM_USERS:
			n.fmt.numeric_users = true;
			break;
		case 'p':
			n.fmt.programs = true;
			break;
		case 'e':
			n.fmt.extend = true;
			break;
		case 'o':
			n.fmt.timers = true;
			break;
		case 'W':
			n.fmt.wide = true;
			break;
		case 'c':
			n.continuous = true;
			/* "-c 2" as well as "-c2" and "--continuous=2" */
			if (!optarg && optind < argc && isdigit((unsigned char)argv[optind][0]))
				optarg = argv[optind++];
			if (optarg) {
				if (parse_u64(optarg, 1, 86400, &v))
					usage_error("netstat: bad -c value '%s' (seconds, 1 to "
						    "86400)",
						    optarg);
				n.interval = (double)v;
			}
			break;
		case 's':
			n.stats = true;
			break;
		case 'i':
			n.ifaces = true;
			break;
		case 'N':
			/* hardware names: nothing here has them */
			break;
		case 'r':
			unsupported("-r", "routing table; see 'ip route'");
		case 'g':
			unsupported("-g", "multicast groups; see 'ip maddr'");
		case 'M':
			unsupported("-M", "masquerading");
		case 'C':
		case 'F':
			unsupported(c == 'C' ? "-C" : "-F", "routing cache and FIB");
		case 'Z':
			unsupported("-Z", "SELinux contexts");
		case 'S':
			unsupported("-S", "SCTP");
		case 'U':
			unsupported("-U", "UDP-Lite");
		case 'A':
			unsupported("-A", "address families by name; use -4, -6 or -x");
		}
	}
	cli_no_args("netstat", argc, argv);
	if (n.stats && n.ifaces)
		usage_error("netstat: -s and -i cannot be combined");

	/* -4/-6 alone mean every inet protocol, and only those (as net-tools) */
	if (n.stats && n.inet4 && n.inet6)
		usage_error("netstat: -s takes one of -4 and -6");
	stats6 = n.inet6;
	if ((n.inet4 || n.inet6 || n.stats) && !(n.tcp || n.udp || n.raw))
		n.tcp = n.udp = n.raw = true;
	if ((n.tcp || n.udp || n.raw) && !n.inet4 && !n.inet6)
		n.inet4 = n.inet6 = true;
	show_inet = n.tcp || n.udp || n.raw;
	show_unix = n.unx;
	if (!show_inet && !show_unix) {
		/* no protocol at all: everything netstat knows here */
		n.tcp = n.udp = n.raw = n.unx = n.inet4 = n.inet6 = true;
		show_inet = show_unix = true;
	}
	if (!n.fmt.numeric_hosts || !n.fmt.numeric_ports || !n.fmt.numeric_users)
		n.fmt.names = &system_names;

	/* -s and -i read /proc/net; the listing's owners need privilege */
	if (!n.stats && !n.ifaces && (n.fmt.programs || g_opts.json))
		privilege_require("netstat",
				  sockets_forced_fallback() ? PRIV_OWNERS_PROC : PRIV_OWNERS);
	print_init(stdout, g_opts.json);
	if (n.continuous)
		signals_install();
	if (n.stats) {
		ret = run_stats(&n, stats6);
	} else if (n.ifaces) {
		ret = run_ifaces(&n);
	} else {
		do {
			if (list_once(&n, show_inet, show_unix)) {
				ret = EXIT_RUNTIME;
				break;
			}
		} while (next_round(&n));
	}
	if (print_fini() && !ret)
		ret = EXIT_RUNTIME;
	return ret;
}
