/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The first slice through the whole stack: a loopback TCP connection made
 * here, and the transitions the attached programs counted for it.
 */
#ifndef SOCKTAP_SELFTEST_H
#define SOCKTAP_SELFTEST_H

#include <stdbool.h>
#include <stdint.h>
#include "model.h"

struct selftest_result {
	bool ok;
	char error[160];
	uint32_t netns; /* the netns the connection was made in */
	uint64_t connects; /* delta of the connect counter */
	uint64_t transitions; /* delta of all transitions in netns */
	struct state_table delta; /* per transition, in netns */
};

/* Needs the state and connect hooks attached. */
void selftest_loopback(int stats_fd, int state_fd, struct selftest_result *r);
void selftest_free(struct selftest_result *r);

/* Inode of this process's network namespace, or 0. */
uint32_t current_netns(void);

#endif
