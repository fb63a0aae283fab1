/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Network namespaces for the listings: the one named on the command line
 * (ss -N), or every one socktap can reach (--all-netns). The socket
 * iterators walk the namespace of the thread that reads them, so a listing
 * enters each namespace in turn and comes back.
 */
#ifndef SOCKTAP_NETNS_H
#define SOCKTAP_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct netns_ref {
	int fd; /* open /proc/PID/ns/net or /run/netns/NAME */
	uint32_t inode;
};

/* Opens the namespace NAME (under /run/netns) or PATH (with a '/'): an fd, or -errno. */
int netns_open(const char *name_or_path);
/* Every namespace reachable through /run/netns and /proc/PID/ns/net, once each. */
size_t netns_list(struct netns_ref **out);
void netns_list_free(struct netns_ref *v, size_t n);
/* Whether netns_list reaches a namespace of this inode. */
bool netns_exists(uint32_t inode);
/* The inode of the calling thread's namespace (netns_each moves threads), or 0. */
uint32_t netns_current(void);
/* Moves the calling thread into the namespace fd: 0 or -errno. */
int netns_enter(int fd);
/*
 * Runs fn in every namespace of netns_list in turn (the calling thread
 * moves), stopping at the first that fails, then comes back. fn's status,
 * or -1 with err set if the thread could not come back.
 */
int netns_each(int (*fn)(void *ctx), void *ctx, char *err, size_t errlen);

#endif
