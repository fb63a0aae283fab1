// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>
#include <zlib.h>
#include "privilege.h"
#include "sysinfo.h"

static int read_sysctl_int(const char *path)
{
	FILE *f = fopen(path, "r");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

/* The bracketed word of /sys/kernel/security/lockdown: "none [integrity] ..." */
static int parse_lockdown(FILE *f, char *out, size_t len)
{
	char line[128], *a, *b;

	if (!fgets(line, sizeof(line), f))
		return -1;
	a = strchr(line, '[');
	b = a ? strchr(a, ']') : NULL;
	if (!b)
		return -1;
	*b = '\0';
	snprintf(out, len, "%s", a + 1);
	return 0;
}

/*
 * securityfs is often not mounted; mount it in a child's private mount
 * namespace so that reading the mode leaves the host's mounts as they are.
 */
static void read_lockdown(char *out, size_t len)
{
	const char *path = "/sys/kernel/security/lockdown";
	int pfd[2];
	FILE *f = fopen(path, "r");
	pid_t pid;

	snprintf(out, len, "unknown");
	if (f) {
		parse_lockdown(f, out, len);
		fclose(f);
		return;
	}
	if (access("/sys/kernel/security", F_OK) != 0 || pipe(pfd) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(pfd[0]);
		if (unshare(CLONE_NEWNS) == 0 &&
		    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
		    mount("securityfs", "/sys/kernel/security", "securityfs", 0, NULL) == 0 &&
		    (f = fopen(path, "r")) != NULL) {
			char mode[32];

			if (parse_lockdown(f, mode, sizeof(mode)) == 0 &&
			    write(pfd[1], mode, strlen(mode)) < 0)
				_exit(1);
		}
		_exit(0);
	}
	close(pfd[1]);
	if (pid > 0) {
		ssize_t n = read(pfd[0], out, len - 1);

		if (n > 0)
			out[n] = '\0';
		waitpid(pid, NULL, 0);
	}
	close(pfd[0]);
}

void sysinfo_read(struct sysinfo *si)
{
	struct utsname u;

	memset(si, 0, sizeof(*si));
	if (uname(&u) == 0) {
		snprintf(si->release, sizeof(si->release), "%s", u.release);
		snprintf(si->machine, sizeof(si->machine), "%s", u.machine);
	}
	si->btf = access(SYSINFO_BTF_PATH, R_OK) == 0;
	read_lockdown(si->lockdown, sizeof(si->lockdown));
	si->caps.effective = privilege_effective();
	si->bpf_stats_enabled = read_sysctl_int("/proc/sys/kernel/bpf_stats_enabled");
	si->unprivileged_bpf_disabled =
		read_sysctl_int("/proc/sys/kernel/unprivileged_bpf_disabled");
}

bool sysinfo_has_cap(const struct sysinfo *si, int cap)
{
	return (si->caps.effective >> cap) & 1;
}

int sysinfo_need_btf(char *err, unsigned long len)
{
	if (access(SYSINFO_BTF_PATH, R_OK) != 0) {
		snprintf(err, len,
			 "kernel BTF not found at %s (the kernel needs CONFIG_DEBUG_INFO_BTF=y)",
			 SYSINFO_BTF_PATH);
		return -1;
	}
	return 0;
}

static unsigned int hz_from_lines(gzFile f)
{
	char line[256];
	unsigned int hz = 0;

	while (gzgets(f, line, sizeof(line)))
		if (sscanf(line, "CONFIG_HZ=%u", &hz) == 1)
			break;
	return hz;
}

unsigned int sysinfo_kernel_hz(void)
{
	static unsigned int hz;
	struct utsname u;
	char path[128];
	gzFile f;

	if (hz)
		return hz;
	/* gzopen reads plain files too */
	f = gzopen("/proc/config.gz", "rb");
	if (!f && uname(&u) == 0) {
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		f = gzopen(path, "rb");
	}
	if (f) {
		hz = hz_from_lines(f);
		gzclose(f);
	}
	if (!hz)
		hz = 250;
	return hz;
}
