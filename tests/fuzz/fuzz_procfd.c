// SPDX-License-Identifier: GPL-2.0
/*
 * Socket owners from /proc (procfd.c), as ss -p and lsof find them where
 * the task_file iterator is missing: every /proc/PID/fd link, its
 * "socket:[INODE]" target, and the process's comm and status. Input,
 * NUL-separated: the text of PID/comm, the text of PID/status, then fd
 * entries "NAME/TARGET" (a symbolic link NAME in PID/fd to TARGET; no '/':
 * the entry's number is the name). They are written into a scratch /proc
 * with one process, 1, which procfd_owners then scans.
 *
 * Invariants: the scan succeeds; owners land only on rows of the inode
 * their link names, with pid 1, a terminated comm, the fd of their link,
 * in pid and fd order.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fuzz.h"
#include "procfd.h"
#include "sockets.h"

#define MAX_FDS 16

static const char *root;
static char fd_dir[256];

static void put_file(const char *rel, const char *text, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/1/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd))
		abort();
}

static void setup(void)
{
	char path[256];

	root = fuzz_scratch_dir("procfd");
	snprintf(path, sizeof(path), "%s/1", root);
	snprintf(fd_dir, sizeof(fd_dir), "%s/1/fd", root);
	if ((mkdir(path, 0700) && errno != EEXIST) || (mkdir(fd_dir, 0700) && errno != EEXIST))
		abort();
	/* not processes: skipped */
	snprintf(path, sizeof(path), "%s/self", root);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/0", root);
	mkdir(path, 0700);
}

static void clear_fds(void)
{
	DIR *d = opendir(fd_dir);
	struct dirent *de;

	if (!d)
		abort();
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
			unlinkat(dirfd(d), de->d_name, 0);
	closedir(d);
}

/* "socket:[N]" (leading zeros allowed, as procfd reads it): N, else 0 */
static uint64_t link_inode(const char *t)
{
	uint64_t v = 0;

	if (strncmp(t, "socket:[", 8))
		return 0;
	for (t += 8; *t >= '0' && *t <= '9'; t++) {
		if (v > (UINT64_MAX - 9) / 10)
			return 0;
		v = v * 10 + (uint64_t)(*t - '0');
	}
	return *t == ']' && !t[1] ? v : 0;
}

/*
 * Is there a link in PID/fd named fd (leading zeros allowed) to socket
 * inode ino? Targets are read into 64 bytes, as procfd reads them: a
 * longer one is cut there (the kernel's socket links are far shorter).
 */
static bool fd_links_to(int32_t fd, uint64_t ino)
{
	DIR *d = opendir(fd_dir);
	struct dirent *de;
	bool found = false;

	if (!d)
		abort();
	while (!found && (de = readdir(d))) {
		char target[64], *end;
		unsigned long v;
		ssize_t n;

		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		v = strtoul(de->d_name, &end, 10);
		if (*end || v != (unsigned long)fd)
			continue;
		n = readlinkat(dirfd(d), de->d_name, target, sizeof(target) - 1);
		if (n < 0)
			continue;
		target[n] = '\0';
		found = link_inode(target) == ino;
	}
	closedir(d);
	return found;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sock_table t = { 0 };
	struct fuzz_parts p;
	char err[256];
	int dfd;

	if (!root)
		setup();
	clear_fds();
	fuzz_split(&p, data, size, '\0', 2 + MAX_FDS);
	put_file("comm", p.v[0], p.len[0]);
	put_file("status", p.n > 1 ? p.v[1] : "", p.n > 1 ? p.len[1] : 0);
	dfd = open(fd_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		abort();
	for (int i = 2; i < p.n; i++) {
		char *slash = strchr(p.v[i], '/'), name[16];
		const char *target = p.v[i];

		if (slash && slash > p.v[i]) {
			*slash = '\0';
			target = slash + 1;
			if (strlen(p.v[i]) > 255 || !strcmp(p.v[i], ".") || !strcmp(p.v[i], ".."))
				continue;
		} else {
			snprintf(name, sizeof(name), "%d", i);
			target = slash ? slash + 1 : p.v[i];
			p.v[i] = name;
		}
		if (*target)
			symlinkat(target, dfd, p.v[i]);
	}
	close(dfd);

	/* sockets of inodes 1 to 4 and 2^64-1, inode 2 twice, and one of none */
	for (uint64_t ino = 0; ino <= 6; ino++)
		sock_table_add(&t)->inode = ino == 5 ? 2 : ino == 6 ? UINT64_MAX : ino;
	FUZZ_CHECK(procfd_owners(&t, root, err, sizeof(err)) == 0);
	for (size_t i = 0; i < t.n; i++) {
		const struct sock_entry *e = &t.v[i];

		if (e->inode == 0)
			FUZZ_CHECK(e->nowners == 0);
		for (size_t k = 0; k < e->nowners; k++) {
			const struct sock_owner *o = &e->owners[k];

			FUZZ_CHECK(o->pid == 1 && o->fd >= 0 && o->f_mode == 3);
			FUZZ_CHECK(memchr(o->comm, '\0', sizeof(o->comm)));
			/* the link of that fd names this row's inode */
			FUZZ_CHECK(fd_links_to(o->fd, e->inode));
			if (k)
				FUZZ_CHECK(e->owners[k - 1].fd <= o->fd);
		}
	}
	sock_table_free(&t);
	fuzz_parts_free(&p);
	return 0;
}
