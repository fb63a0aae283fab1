/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Command-line plumbing shared by every command: the global options, the
 * command table's entry type, and uniform handling of the options each
 * command accepts (--json, -v, --help) and of bad ones (one line, exit 2).
 */
#ifndef SOCKTAP_CLI_H
#define SOCKTAP_CLI_H

#include <getopt.h>
#include <stdbool.h>

struct global_opts {
	bool json;
	bool verbose;
};

extern struct global_opts g_opts;

struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
	const char *alias_of; /* NULL, or the command this one is another name for */
};

/* Long options every command takes, to end its own table with. */
#define CLI_COMMON_LONGOPTS                                                                        \
	{ "json", no_argument, NULL, 'j' }, { "verbose", no_argument, NULL, 'v' },                 \
		{ "help", no_argument, NULL, 'h' },                                                \
	{                                                                                          \
		NULL, 0, NULL, 0                                                                   \
	}
#define CLI_COMMON_SHORTOPTS "jvh"
#define CLI_COMMON_HELP                                                                            \
	"  -j, --json      machine-readable output\n"                                              \
	"  -v, --verbose   libbpf's debug log on stderr\n"                                         \
	"  -h, --help      this help\n"

/*
 * Handles getopt's result c for a common option or an error. Returns 1 if
 * handled, 0 if c is the command's own. Exits 0 after help (printed by
 * help()), 2 on a bad option.
 */
int cli_common_opt(int c, const char *cmd, char **argv, void (*help)(void));
/* Rejects arguments left after the options. */
void cli_no_args(const char *cmd, int argc, char **argv);

#endif
