// SPDX-License-Identifier: GPL-2.0
/*
 * Socket owners from /proc/PID/fd, as ss -p finds them: one pass over every
 * process's fds, each "socket:[INODE]" link looked up in a hash from inode
 * to table index. Files are read relative to directory fds (openat), so a
 * process that exits mid-scan only makes its reads fail, and is skipped.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "procfd.h"
#include "util.h"

/* Open addressing over table indexes + 1 (0: empty slot). */
struct inode_hash {
	size_t *slot;
	size_t mask;
};

static size_t inode_hash_fn(uint64_t x)
{
	/* splitmix64's finalizer: inodes are often sequential */
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (size_t)x;
}

static void inode_hash_build(struct inode_hash *h, const struct sock_table *t)
{
	size_t size = 16;

	/* at most half full */
	while (size < 2 * t->n)
		size *= 2;
	h->slot = xcalloc(size, sizeof(*h->slot));
	h->mask = size - 1;
	for (size_t i = 0; i < t->n; i++) {
		size_t s;

		if (!t->v[i].inode)
			continue;
		s = inode_hash_fn(t->v[i].inode) & h->mask;
		while (h->slot[s])
			s = (s + 1) & h->mask;
		h->slot[s] = i + 1;
	}
}

/* The first slot at or after *pos holding inode: its table index, or -1. */
static long inode_hash_next(const struct inode_hash *h, const struct sock_table *t, uint64_t inode,
			    size_t *pos)
{
	for (size_t s = *pos; h->slot[s]; s = (s + 1) & h->mask) {
		size_t i = h->slot[s] - 1;

		if (t->v[i].inode == inode) {
			*pos = (s + 1) & h->mask;
			return (long)i;
		}
	}
	return -1;
}

/* A decimal name (a pid or an fd) as a number; -1 if it is not one. */
static long parse_num(const char *s)
{
	long v = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT32_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* Reads a small file under dirfd into buf, NUL-terminated: its length, or -1. */
static ssize_t read_small(int dirfd, const char *path, char *buf, size_t size)
{
	ssize_t n, len = 0;
	int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)len < size - 1) {
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			close(fd);
			return -1;
		}
		if (n == 0)
			break;
		len += n;
	}
	close(fd);
	buf[len] = '\0';
	return len;
}

/* comm and real uid of the process whose /proc directory is pfd; -1 if it is gone. */
static int read_process(int pfd, struct sock_owner *o)
{
	char buf[4096];
	const char *uid;
	ssize_t n;

	n = read_small(pfd, "comm", buf, sizeof(o->comm) + 1);
	if (n < 0)
		return -1;
	if (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	n = strnlen(buf, sizeof(o->comm) - 1);
	memcpy(o->comm, buf, n);
	o->comm[n] = '\0';

	if (read_small(pfd, "status", buf, sizeof(buf)) < 0)
		return -1;
	uid = strstr(buf, "\nUid:");
	if (!uid)
		return -1;
	o->uid = (uint32_t)strtoul(uid + 5, NULL, 10);
	return 0;
}

/* The inode of a "socket:[N]" link target; 0 if it is no socket. */
static uint64_t socket_inode(const char *link)
{
	uint64_t ino = 0;
	const char *p;

	if (strncmp(link, "socket:[", 8) != 0)
		return 0;
	for (p = link + 8; *p >= '0' && *p <= '9'; p++) {
		if (ino > (UINT64_MAX - 9) / 10)
			return 0;
		ino = ino * 10 + (uint64_t)(*p - '0');
	}
	return *p == ']' && p[1] == '\0' ? ino : 0;
}

static void scan_process(int procfd, const char *name, uint32_t pid, struct sock_table *t,
			 const struct inode_hash *h)
{
	struct sock_owner o = { .pid = pid };
	bool have_process = false;
	struct dirent *de;
	DIR *fds;
	int pfd, dfd;

	pfd = openat(procfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (pfd < 0)
		return;
	dfd = openat(pfd, "fd", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	fds = dfd < 0 ? NULL : fdopendir(dfd);
	if (!fds) {
		if (dfd >= 0)
			close(dfd);
		close(pfd);
		return;
	}
	while ((de = readdir(fds))) {
		char link[64];
		uint64_t ino;
		size_t pos;
		long fd, i;
		ssize_t n;

		fd = parse_num(de->d_name);
		if (fd < 0)
			continue;
		n = readlinkat(dfd, de->d_name, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		ino = socket_inode(link);
		if (!ino)
			continue;
		pos = inode_hash_fn(ino) & h->mask;
		i = inode_hash_next(h, t, ino, &pos);
		if (i < 0)
			continue;
		if (!have_process) {
			if (read_process(pfd, &o) < 0)
				break;
			have_process = true;
		}
		o.fd = (int32_t)fd;
		/* the kernel opens every socket file O_RDWR: no fdinfo read needed */
		o.f_mode = 3;
		/* a socket listed twice (two sources) gets the owner in each row */
		for (; i >= 0; i = inode_hash_next(h, t, ino, &pos))
			sock_entry_add_owner(t, &t->v[i], &o);
	}
	closedir(fds);
	close(pfd);
}

int procfd_owners(struct sock_table *t, const char *proc_root, char *err, size_t errlen)
{
	struct inode_hash h;
	struct dirent *de;
	DIR *proc;

	proc = opendir(proc_root);
	if (!proc) {
		snprintf(err, errlen, "%s: %s", proc_root, strerror(errno));
		return -1;
	}
	inode_hash_build(&h, t);
	while ((de = readdir(proc))) {
		long pid = parse_num(de->d_name);

		if (pid > 0)
			scan_process(dirfd(proc), de->d_name, (uint32_t)pid, t, &h);
	}
	free(h.slot);
	closedir(proc);
	return 0;
}
