// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include "cli.h"
#include "util.h"

struct global_opts g_opts;

int cli_common_opt(int c, const char *cmd, char **argv, void (*help)(void))
{
	switch (c) {
	case 'j':
		g_opts.json = true;
		return 1;
	case 'v':
		g_opts.verbose = true;
		return 1;
	case 'h':
		help();
		exit(0);
	case ':':
		/* the option as typed, long or short */
		usage_error("%s: option '%s' needs a value", cmd, argv[optind - 1]);
	case '?':
		if (optopt)
			usage_error("%s: unknown option '-%c' (see 'socktap %s --help')", cmd,
				    optopt, cmd);
		usage_error("%s: unknown option '%s' (see 'socktap %s --help')", cmd,
			    argv[optind - 1], cmd);
	}
	return 0;
}

void cli_no_args(const char *cmd, int argc, char **argv)
{
	if (optind < argc)
		usage_error("%s: unexpected argument '%s'", cmd, argv[optind]);
}
