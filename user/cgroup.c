// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <time.h>
#include <unistd.h>
#include <linux/magic.h>
#include "cgroup.h"
#include "util.h"

/*
 * No cgroup2 mount in sight (e.g. under `ip netns exec`, which remounts
 * /sys): mount one on a temporary directory, keep an fd to it, detach it at
 * once, and use it through /proc/self/fd. Nothing stays mounted.
 */
static int private_cgroup2(char *mnt, size_t len)
{
	char dir[] = "/tmp/socktap-cgroup2.XXXXXX";
	int fd = -1;

	if (!mkdtemp(dir))
		return -1;
	if (mount("cgroup2", dir, "cgroup2", 0, NULL) == 0) {
		fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		umount2(dir, MNT_DETACH);
	}
	rmdir(dir);
	if (fd < 0)
		return -1;
	snprintf(mnt, len, "/proc/self/fd/%d", fd);
	return 0;
}

/* the mount cgroup2_mount found is socktap's own (private_cgroup2) */
static bool mount_private;

const char *cgroup2_mount(void)
{
	static char mnt[256];
	static int done;
	char line[1024];
	FILE *f;

	if (done)
		return mnt[0] ? mnt : NULL;
	done = 1;
	f = fopen("/proc/self/mountinfo", "r");
	if (!f) {
		mount_private = true;
		return private_cgroup2(mnt, sizeof(mnt)) ? NULL : mnt;
	}
	/* "36 25 0:31 / /sys/fs/cgroup/unified rw,... - cgroup2 cgroup2 rw" */
	while (fgets(line, sizeof(line), f)) {
		char point[256], fstype[32];
		const char *sep = strstr(line, " - ");

		if (!sep || sscanf(sep, " - %31s", fstype) != 1 || strcmp(fstype, "cgroup2"))
			continue;
		if (sscanf(line, "%*s %*s %*s %*s %255s", point) == 1) {
			snprintf(mnt, sizeof(mnt), "%s", point);
			break;
		}
	}
	fclose(f);
	if (!mnt[0]) {
		mount_private = true;
		if (private_cgroup2(mnt, sizeof(mnt)))
			return NULL;
	}
	return mnt;
}

const char *cgroup_path_of_id_mounted(uint64_t id)
{
	return cgroup2_mount() && !mount_private ? cgroup_path_of_id(id) : NULL;
}

int cgroup_open(const char *path)
{
	const char *mnt = cgroup2_mount();
	char full[4096];
	int fd;

	if (!mnt)
		return -ENOENT;
	snprintf(full, sizeof(full), "%s/%s", mnt, path[0] == '/' ? path + 1 : path);
	fd = open(full, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* Has path a ".." component? */
static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '\0' || p[2] == '/'))
			return true;
	return false;
}

uint64_t cgroup_id_of_path(const char *path)
{
	const char *mnt = cgroup2_mount();
	char full[4096];
	struct stat st;

	if (!mnt)
		return 0;
	struct statfs fs;

	/* "../../etc" leads out of the hierarchy (cgroupfs has no symlinks) */
	if (!*path || has_dotdot(path))
		return 0;
	if (strncmp(path, mnt, strlen(mnt)) == 0)
		snprintf(full, sizeof(full), "%s", path);
	else
		snprintf(full, sizeof(full), "%s/%s", mnt, path[0] == '/' ? path + 1 : path);
	/* only a directory of the cgroup v2 file system names a cgroup */
	if (stat(full, &st) || !S_ISDIR(st.st_mode) || statfs(full, &fs) ||
	    fs.f_type != CGROUP2_SUPER_MAGIC)
		return 0;
	return st.st_ino;
}

/* id -> path cache, rebuilt by walking the hierarchy on a miss (at most once a second). */
static struct {
	uint64_t id;
	char *path;
} * cache;
static size_t ncache, capcache;
static time_t last_walk;
/* the mount point with "/." after it: a private mount is a /proc/self/fd
 * link, which the walk (FTW_PHYS) would not follow */
static char walk_root[PATH_MAX];

static int walk_one(const char *fpath, const struct stat *st, int type, struct FTW *ftw)
{
	const char *rel = fpath + strlen(walk_root);

	(void)ftw;
	if (type != FTW_D)
		return 0;
	if (ncache == capcache) {
		capcache = capcache ? capcache * 2 : 256;
		cache = xrealloc(cache, capcache * sizeof(*cache));
	}
	cache[ncache].id = st->st_ino;
	cache[ncache++].path = xstrdup(rel[0] ? rel : "/");
	return 0;
}

const char *cgroup_path_of_id(uint64_t id)
{
	/* events come in bursts from one cgroup: try the last hit first */
	static size_t last;
	time_t now;

	if (last < ncache && cache[last].id == id)
		return cache[last].path;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < ncache; i++)
			if (cache[i].id == id)
				return cache[last = i].path;
		now = time(NULL);
		if (pass || !cgroup2_mount() || now == last_walk)
			break;
		last_walk = now;
		for (size_t i = 0; i < ncache; i++)
			free(cache[i].path);
		ncache = 0;
		snprintf(walk_root, sizeof(walk_root), "%s/.", cgroup2_mount());
		nftw(walk_root, walk_one, 32, FTW_PHYS | FTW_MOUNT);
	}
	return NULL;
}
