/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every command socktap knows. A command exists in a build when its file
 * defines do_<name>(); until then the weak symbol is NULL and main() leaves
 * the command out, so a new capability is a new file plus one table line.
 */
#ifndef SOCKTAP_COMMANDS_H
#define SOCKTAP_COMMANDS_H

#define SOCKTAP_CMD(name) int do_##name(int argc, char **argv) __attribute__((weak))

SOCKTAP_CMD(doctor);
SOCKTAP_CMD(trace);
SOCKTAP_CMD(ss);
SOCKTAP_CMD(netstat);
SOCKTAP_CMD(lsof);
SOCKTAP_CMD(top);
SOCKTAP_CMD(nload);
SOCKTAP_CMD(export);

#endif
