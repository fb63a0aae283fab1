// SPDX-License-Identifier: GPL-2.0
/*
 * floor: attaches the do-nothing programs of floor.bpf.c, for a benchmark's
 * floor arm, and holds them until SIGINT or SIGTERM.
 *
 *   floor percall   the per-call hooks: sock_send_length, sock_recv_length
 *   floor count     the same hooks with the least an exact count of UDP's
 *                   bytes can do: socket storage and one atomic add a call
 *   floor split     every hook nload's split runs per packet or per call:
 *                   net_dev_start_xmit and cgroup_skb/ingress on the root of
 *                   the cgroup v2 mount (per packet), and the two per-call
 *                   hooks, which the split holds too (the owners of UDP
 *                   sockets)
 *
 * When attached it prints "floor: attached" and one program ID per line
 * (for the benchmark's bpf_stats) on stdout.
 *
 *   floor files     a listing's owners at no cost but the kernel's: loads an
 *                   iter/task_file program that does nothing (a light
 *                   skeleton, as socktap's), reads it to its end and exits
 *   floor rows      the same walk reading, of every socket's file, the
 *                   least a row of lsof -i shows (floor_rows.bpf.c), and
 *                   writing nothing
 *   floor list      the same walk on a thread while the caller's namespace's
 *                   TCP table is dumped over sock_diag (both families, every
 *                   state, one request, as socktap ss -tanp asks) and
 *                   thrown away: what ss -tanp reads, nothing parsed, joined
 *                   or printed
 *
 * These three print nothing; the listing benchmark times them as it times
 * the listings. A failure is one line on stderr and exit 1, a usage error
 * exit 2.
 */
#include <errno.h>
#include <fcntl.h>
#include <mntent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "testkit.h"
#include "floor.skel.h"
#include "floor_files.lskel.h"
#include "floor_rows.lskel.h"

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

/* Reads an iterator's link to its end, thrown away. */
static void read_iter(int link)
{
	static char buf[64 * 1024];
	int fd = bpf_iter_create(link);
	ssize_t n;

	if (fd < 0)
		die("iterator: %s", strerror(errno));
	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		;
	if (n < 0)
		die("reading the iterator: %s", strerror(errno));
	close(fd);
}

/* The files walk: load, read to the end. Returns its error, or NULL. */
static void *walk_files(void *arg)
{
	struct floor_files *skel = floor_files__open_and_load();
	int link;

	(void)arg;
	if (!skel)
		die("load floor_files: %s", strerror(errno));
	link = floor_files__floor_files__attach(skel);
	if (link < 0)
		die("attach floor_files: %s", strerror(errno));
	read_iter(link);
	floor_files__destroy(skel);
	return NULL;
}

/* The same walk reading what a row of lsof -i needs of each socket. */
static int walk_rows(void)
{
	struct floor_rows *skel = floor_rows__open_and_load();
	int link;

	if (!skel)
		die("load floor_rows: %s", strerror(errno));
	link = floor_rows__floor_rows__attach(skel);
	if (link < 0)
		die("attach floor_rows: %s", strerror(errno));
	read_iter(link);
	floor_rows__destroy(skel);
	return 0;
}

/* This namespace's TCP table over sock_diag, read and thrown away. */
static void dump_tcp(void)
{
	static char buf[64 * 1024];
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	struct {
		struct nlmsghdr nlh;
		struct inet_diag_req r;
	} req = {
		.nlh.nlmsg_len = sizeof(req),
		/* the old request, which the kernel serves for both families */
		.nlh.nlmsg_type = TCPDIAG_GETSOCK,
		.nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP,
		.nlh.nlmsg_seq = 1,
		.r.idiag_family = AF_INET,
		.r.idiag_states = ~0u,
	};
	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);

	if (fd < 0)
		die("sock_diag socket: %s", strerror(errno));
	if (sendto(fd, &req, sizeof(req), 0, (struct sockaddr *)&kernel, sizeof(kernel)) < 0)
		die("sock_diag request: %s", strerror(errno));
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);
		const struct nlmsghdr *h = (const struct nlmsghdr *)buf;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			die("sock_diag: %s", strerror(errno));
		for (; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_ERROR)
				die("sock_diag: the dump failed");
			if (h->nlmsg_type == NLMSG_DONE) {
				close(fd);
				return;
			}
		}
	}
}

/* floor files / floor list: the listing floors, no output. */
static int listing_floor(bool tables)
{
	pthread_t t;

	if (!tables) {
		walk_files(NULL);
		return 0;
	}
	if (pthread_create(&t, NULL, walk_files, NULL))
		die("thread: %s", strerror(errno));
	dump_tcp();
	pthread_join(t, NULL);
	return 0;
}

int main(int argc, char **argv)
{
	struct floor_bpf *skel;
	struct bpf_link *links[4];
	struct bpf_program *progs[4];
	char cg[4096];
	int n = 2, cgfd = -1, i;

	if (argc == 2 && !strcmp(argv[1], "rows"))
		return walk_rows();
	if (argc == 2 && (!strcmp(argv[1], "files") || !strcmp(argv[1], "list")))
		return listing_floor(!strcmp(argv[1], "list"));
	if (argc != 2 ||
	    (strcmp(argv[1], "percall") && strcmp(argv[1], "count") && strcmp(argv[1], "split")))
		usage_err("usage: floor percall|count|split|files|rows|list");
	skel = floor_bpf__open();
	if (!skel)
		die("open: %s", strerror(errno));
	if (!strcmp(argv[1], "percall")) {
		progs[0] = skel->progs.floor_sock_snd;
		progs[1] = skel->progs.floor_sock_rcv;
	} else if (!strcmp(argv[1], "count")) {
		progs[0] = skel->progs.floor_count_snd;
		progs[1] = skel->progs.floor_count_rcv;
	} else {
		progs[0] = skel->progs.floor_xmit;
		progs[1] = skel->progs.floor_netdev_rx;
		progs[2] = skel->progs.floor_sock_snd;
		progs[3] = skel->progs.floor_sock_rcv;
		n = 4;
		cgroup2_root(cg, sizeof(cg));
		cgfd = open(cg, O_RDONLY | O_DIRECTORY);
		if (cgfd < 0)
			die("%s: %s", cg, strerror(errno));
	}
	/* load only the chosen ones */
	for (struct bpf_program *p = NULL; (p = bpf_object__next_program(skel->obj, p));) {
		bool chosen = false;

		for (i = 0; i < n; i++)
			chosen |= p == progs[i];
		bpf_program__set_autoload(p, chosen);
	}
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
