// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/nsfs.h>
#include "netns.h"
#include "util.h"

#define NETNS_RUN_DIR "/run/netns"

int netns_open(const char *name)
{
	char path[4096];
	int fd;

	/* ip netns names: no slashes, not "." or ".." */
	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return -EINVAL;
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	/* a file that is not a network namespace: say so now, naming it */
	if (ioctl(fd, NS_GET_NSTYPE) != CLONE_NEWNET) {
		close(fd);
		return -EINVAL;
	}
	return fd;
}

int netns_enter(int fd)
{
	return setns(fd, CLONE_NEWNET) ? -errno : 0;
}

static void add_unique(struct netns_ref **v, size_t *n, size_t *cap, const char *path)
{
	struct stat st;
	int fd;

	if (stat(path, &st))
		return;
	for (size_t i = 0; i < *n; i++)
		if ((*v)[i].inode == (uint32_t)st.st_ino)
			return;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[*n].fd = fd;
	(*v)[*n].inode = (uint32_t)st.st_ino;
	(*n)++;
}

size_t netns_list(struct netns_ref **out)
{
	struct netns_ref *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *d;
	char path[512];
	DIR *dir;

	/* our own first, so its sockets come first */
	add_unique(&v, &n, &cap, "/proc/thread-self/ns/net");
	if ((dir = opendir(NETNS_RUN_DIR))) {
		while ((d = readdir(dir)))
			if (d->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", NETNS_RUN_DIR, d->d_name);
				add_unique(&v, &n, &cap, path);
			}
		closedir(dir);
	}
	if ((dir = opendir("/proc"))) {
		while ((d = readdir(dir)))
			if (d->d_name[0] >= '1' && d->d_name[0] <= '9') {
				snprintf(path, sizeof(path), "/proc/%s/ns/net", d->d_name);
				add_unique(&v, &n, &cap, path);
			}
		closedir(dir);
	}
	*out = v;
	return n;
}

void netns_list_free(struct netns_ref *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		close(v[i].fd);
	free(v);
}

bool netns_exists(uint32_t inode)
{
	struct netns_ref *ns = NULL;
	size_t nns = netns_list(&ns);
	bool found = false;

	for (size_t i = 0; i < nns && !found; i++)
		found = ns[i].inode == inode;
	netns_list_free(ns, nns);
	return found;
}

int netns_each(int (*fn)(void *ctx), void *ctx, char *err, size_t errlen)
{
	struct netns_ref *ns = NULL;
	size_t nns = netns_list(&ns);
	int self = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	bool left = false;
	int ret = 0;

	if (self < 0) {
		snprintf(err, errlen, "cannot open this thread's network namespace: %s",
			 strerror(errno));
		netns_list_free(ns, nns);
		return -1;
	}
	/* one that went away meanwhile has nothing to give */
	for (size_t i = 0; i < nns && !ret; i++)
		if (netns_enter(ns[i].fd) == 0) {
			left = true;
			ret = fn(ctx);
		}
	/* (a thread that entered none, lacking the privilege, is home) */
	if (left && netns_enter(self)) {
		snprintf(err, errlen, "cannot return to socktap's network namespace: %s",
			 strerror(errno));
		ret = -1;
	}
	close(self);
	netns_list_free(ns, nns);
	return ret;
}

uint32_t netns_current(void)
{
	struct stat st;

	return stat("/proc/thread-self/ns/net", &st) == 0 ? (uint32_t)st.st_ino : 0;
}
