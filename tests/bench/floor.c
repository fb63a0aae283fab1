// SPDX-License-Identifier: GPL-2.0
/*
 * floor: attaches the do-nothing programs of floor.bpf.c, for a benchmark's
 * floor arm, and holds them until SIGINT or SIGTERM.
 *
 *   floor percall   the per-call hooks: sock_send_length, sock_recv_length
 *   floor split     nload's split: net_dev_start_xmit, and cgroup_skb/ingress
 *                   on the root of the cgroup v2 mount
 *
 * When attached it prints "floor: attached" and one program ID per line
 * (for the benchmark's bpf_stats) on stdout. A failure is one line on
 * stderr and exit 1, a usage error exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "testkit.h"
#include "floor.skel.h"

const char testkit_name[] = "floor";

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

/* the cgroup v2 mount, where cgroup_skb programs see every socket */
static void cgroup2_root(char *buf, size_t len)
{
	FILE *f = setmntent("/proc/mounts", "r");
	struct mntent *m;

	if (!f)
		die("/proc/mounts: %s", strerror(errno));
	while ((m = getmntent(f)))
		if (!strcmp(m->mnt_type, "cgroup2")) {
			snprintf(buf, len, "%s", m->mnt_dir);
			endmntent(f);
			return;
		}
	die("no cgroup2 mount in /proc/mounts");
}

static void print_id(const struct bpf_program *p)
{
	struct bpf_prog_info info = {};
	__u32 len = sizeof(info);

	if (bpf_obj_get_info_by_fd(bpf_program__fd(p), &info, &len))
		die("%s: %s", bpf_program__name(p), strerror(errno));
	printf("%u\n", info.id);
}

int main(int argc, char **argv)
{
	struct floor_bpf *skel;
	struct bpf_link *links[2];
	struct bpf_program *progs[2];
	char cg[4096];
	int n = 2, cgfd = -1, i;

	if (argc != 2 || (strcmp(argv[1], "percall") && strcmp(argv[1], "split")))
		usage_err("usage: floor percall|split");
	skel = floor_bpf__open();
	if (!skel)
		die("open: %s", strerror(errno));
	if (!strcmp(argv[1], "percall")) {
		progs[0] = skel->progs.floor_sock_snd;
		progs[1] = skel->progs.floor_sock_rcv;
	} else {
		progs[0] = skel->progs.floor_xmit;
		progs[1] = skel->progs.floor_netdev_rx;
		cgroup2_root(cg, sizeof(cg));
		cgfd = open(cg, O_RDONLY | O_DIRECTORY);
		if (cgfd < 0)
			die("%s: %s", cg, strerror(errno));
	}
	/* load only the chosen pair */
	for (struct bpf_program *p = NULL; (p = bpf_object__next_program(skel->obj, p));)
		bpf_program__set_autoload(p, p == progs[0] || p == progs[1]);
	if (floor_bpf__load(skel))
		die("load: %s", strerror(errno));
	for (i = 0; i < n; i++) {
		if (bpf_program__type(progs[i]) == BPF_PROG_TYPE_CGROUP_SKB)
			links[i] = bpf_program__attach_cgroup(progs[i], cgfd);
		else
			links[i] = bpf_program__attach(progs[i]);
		if (!links[i])
			die("attach %s: %s", bpf_program__name(progs[i]), strerror(errno));
	}
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	printf("floor: attached\n");
	for (i = 0; i < n; i++)
		print_id(progs[i]);
	fflush(stdout);
	while (!stop)
		pause();
	for (i = 0; i < n; i++)
		bpf_link__destroy(links[i]);
	floor_bpf__destroy(skel);
	return 0;
}
