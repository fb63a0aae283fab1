// SPDX-License-Identifier: GPL-2.0
/* socktap: command dispatch and global options. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <bpf/libbpf.h>
#include "cli.h"
#include "commands.h"
#include "util.h"

static const struct cmd commands[] = {
	{ "ss", do_ss, "socket listing, as ss", NULL },
	{ "netstat", do_netstat, "socket listing, as netstat", NULL },
	{ "lsof", do_lsof, "sockets by process, as lsof -i", NULL },
	{ "top", do_top, "live bandwidth per connection and process", NULL },
	{ "iftop", do_top, NULL, "top" },
	{ "nethogs", do_top, NULL, "top" },
	{ "nload", do_nload, "live bandwidth per interface", NULL },
	{ "trace", do_trace, "connect/accept/close/failure events", NULL },
	{ "export", do_export, "Prometheus endpoint", NULL },
	{ "doctor", do_doctor, "what this kernel allows and which hooks are used", NULL },
};

static void usage(FILE *f)
{
	fprintf(f, "Usage: socktap [-j|--json] [-v|--verbose] <command> [options]\n"
		   "       socktap <command> --help\n"
		   "       socktap --version\n\n"
		   "Commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].fn && commands[i].summary)
			fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		if (commands[i].fn && commands[i].alias_of)
			fprintf(f, "  %-9s alias of %s\n", commands[i].name, commands[i].alias_of);
}

int main(int argc, char **argv)
{
	int i;

	/* global options, before the command */
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-j") || !strcmp(a, "--json")) {
			g_opts.json = true;
		} else if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			g_opts.verbose = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			/* the libbpf this binary runs with, not the one it was built against */
			if (g_opts.json)
				printf("{\"version\":\"%s\",\"libbpf_version\":\"%u.%u\"}\n",
				       SOCKTAP_VERSION, libbpf_major_version(),
				       libbpf_minor_version());
			else
				printf("socktap %s\nlibbpf %u.%u\n", SOCKTAP_VERSION,
				       libbpf_major_version(), libbpf_minor_version());
			return 0;
		} else {
			usage_error("unknown option '%s' (see 'socktap --help')", a);
		}
	}
	if (i == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	for (size_t k = 0; k < ARRAY_SIZE(commands); k++) {
		if (strcmp(argv[i], commands[k].name) != 0)
			continue;
		if (!commands[k].fn)
			usage_error("command '%s' is not in this build yet", argv[i]);
		/* the command sees itself as argv[0] */
		optind = 1;
		return commands[k].fn(argc - i, argv + i);
	}
	usage_error("unknown command '%s' (see 'socktap --help')", argv[i]);
}
