// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "cgroup.h"
#include "kbugs.h"
#include "probe.h"

/* r0 = 0; exit */
static const struct bpf_insn ret0[] = {
	{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0 },
	{ .code = BPF_JMP | BPF_EXIT },
};

static void fail(struct probe_result *res, int err, const char *fmt, const char *arg)
{
	res->err = err;
	snprintf(res->detail, sizeof(res->detail), fmt, arg);
}

static int vmlinux_id(struct probe_ctx *ctx, const char *name, int kind, struct probe_result *res)
{
	int id;

	if (!ctx->vmlinux && !ctx->vmlinux_err) {
		ctx->vmlinux = btf__load_vmlinux_btf();
		if (!ctx->vmlinux)
			ctx->vmlinux_err = -errno;
	}
	if (!ctx->vmlinux) {
		fail(res, ctx->vmlinux_err, "kernel BTF could not be loaded%s", "");
		return -1;
	}
	id = btf__find_by_name_kind(ctx->vmlinux, name, kind);
	if (id < 0)
		fail(res, -ENOENT, "%s is not in the kernel's BTF", name);
	return id;
}

static int load(enum bpf_prog_type type, enum bpf_attach_type eat, int btf_id,
		struct probe_result *res)
{
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = eat,
		    .attach_btf_id = (__u32)(btf_id > 0 ? btf_id : 0));
	int fd = bpf_prog_load(type, NULL, "GPL", ret0, 2, &opts);

	if (fd < 0)
		fail(res, -errno, "program load refused%s", "");
	return fd;
}

/* fentry and tp_btf: a BTF-typed tracing program attached by the kernel. */
static void probe_tracing(struct probe_ctx *ctx, enum bpf_attach_type eat, const char *btf_name,
			  int btf_kind, struct probe_result *res)
{
	int id, fd, link;

	id = vmlinux_id(ctx, btf_name, btf_kind, res);
	if (id < 0)
		return;
	fd = load(BPF_PROG_TYPE_TRACING, eat, id, res);
	if (fd < 0)
		return;
	link = bpf_raw_tracepoint_open(NULL, fd);
	if (link < 0)
		fail(res, -errno, "attach refused%s", "");
	else
		close(link);
	close(fd);
}

static void probe_raw_tp(const char *tp, struct probe_result *res)
{
	int fd = load(BPF_PROG_TYPE_RAW_TRACEPOINT, 0, 0, res), link;

	if (fd < 0)
		return;
	link = bpf_raw_tracepoint_open(tp, fd);
	if (link < 0)
		fail(res, -errno, "raw tracepoint %s cannot be opened", tp);
	else
		close(link);
	close(fd);
}

static int read_int_file(const char *path, int *out)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -errno;
	ok = fscanf(f, "%d", out) == 1;
	fclose(f);
	return ok ? 0 : -EINVAL;
}

static int perf_attach(struct perf_event_attr *attr, int prog_fd, struct probe_result *res)
{
	int pfd = (int)syscall(__NR_perf_event_open, attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);

	if (pfd < 0) {
		fail(res, -errno, "perf_event_open refused%s", "");
		return -1;
	}
	if (ioctl(pfd, PERF_EVENT_IOC_SET_BPF, prog_fd) < 0)
		fail(res, -errno, "PERF_EVENT_IOC_SET_BPF refused%s", "");
	close(pfd);
	return 0;
}

/* The config bit that makes a kprobe a kretprobe ("config:0" here). */
static int retprobe_bit(void)
{
	FILE *f = fopen("/sys/bus/event_source/devices/kprobe/format/retprobe", "r");
	int bit = 0;

	if (f) {
		if (fscanf(f, "config:%d", &bit) != 1)
			bit = 0;
		fclose(f);
	}
	return bit;
}

static void probe_kprobe(const char *func, bool ret, struct probe_result *res)
{
	struct perf_event_attr attr = { .size = sizeof(attr) };
	int type, err, fd;

	/* the kprobe PMU is there on every kernel with CONFIG_KPROBES since 4.17 */
	err = read_int_file("/sys/bus/event_source/devices/kprobe/type", &type);
	if (err) {
		fail(res, err, "no kprobe PMU (kernel built without CONFIG_KPROBES)%s", "");
		return;
	}
	fd = load(BPF_PROG_TYPE_KPROBE, 0, 0, res);
	if (fd < 0)
		return;
	attr.type = (__u32)type;
	attr.config1 = (__u64)(unsigned long)func;
	if (ret)
		attr.config |= 1ull << retprobe_bit();
	perf_attach(&attr, fd, res);
	close(fd);
}

const char *tracefs_dir(struct probe_ctx *ctx, bool mount_if_absent)
{
	/* libbpf looks in debugfs' tracing first, then in tracefs */
	static const char *const dirs[] = { "/sys/kernel/debug/tracing", "/sys/kernel/tracing" };
	char path[64];
	struct stat st;

	for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/events", dirs[i]);
		if (stat(path, &st) == 0)
			return dirs[i];
	}
	if (!mount_if_absent || mount("tracefs", dirs[1], "tracefs", 0, NULL) != 0)
		return NULL;
	ctx->tracefs_mounted = true;
	return dirs[1];
}

static void probe_tracepoint(struct probe_ctx *ctx, const char *tp, struct probe_result *res)
{
	struct perf_event_attr attr = { .size = sizeof(attr), .type = PERF_TYPE_TRACEPOINT };
	const char *dir = tracefs_dir(ctx, true);
	char path[256];
	int id, err, fd;

	if (!dir) {
		fail(res, -errno, "tracefs is not mounted and cannot be mounted%s", "");
		return;
	}
	snprintf(path, sizeof(path), "%s/events/%s/id", dir, tp);
	err = read_int_file(path, &id);
	if (err) {
		fail(res, err, "%s cannot be read", path);
		return;
	}
	fd = load(BPF_PROG_TYPE_TRACEPOINT, 0, 0, res);
	if (fd < 0)
		return;
	attr.config = (__u64)id;
	perf_attach(&attr, fd, res);
	close(fd);
}

static void probe_cgroup(enum bpf_prog_type prog_type, enum bpf_attach_type type, const char *path,
			 struct probe_result *res)
{
	static const struct bpf_insn ret1[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 1 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	LIBBPF_OPTS(bpf_prog_load_opts, opts, .expected_attach_type = type);
	int fd, cg, link;

	cg = cgroup_open(path);
	if (cg < 0) {
		fail(res, cg, "no cgroup v2 hierarchy is mounted%s", "");
		return;
	}
	/* returns 1: a probe must never refuse anybody's socket */
	fd = bpf_prog_load(prog_type, NULL, "GPL", ret1, 2, &opts);
	if (fd < 0) {
		fail(res, -errno, "program load refused%s", "");
		close(cg);
		return;
	}
	link = bpf_link_create(fd, cg, type, NULL);
	if (link < 0)
		fail(res, -errno, "cgroup attach refused%s", "");
	else
		close(link);
	close(fd);
	close(cg);
}

/* An iterator: a tracing program of the iterator's BTF function, linked. */
static void probe_iter(struct probe_ctx *ctx, const char *target, struct probe_result *res)
{
	char name[128];
	int id, fd, link;

	/* refused before any load: walking it is the risk (kbugs.h) */
	if (!strcmp(target, "tcp") && kbug_tcp_iter(res->detail, sizeof(res->detail))) {
		res->err = -EPERM;
		return;
	}
	snprintf(name, sizeof(name), "bpf_iter_%s", target);
	id = vmlinux_id(ctx, name, BTF_KIND_FUNC, res);
	if (id < 0)
		return;
	fd = load(BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, id, res);
	if (fd < 0)
		return;
	link = bpf_link_create(fd, 0, BPF_TRACE_ITER, NULL);
	if (link < 0)
		fail(res, -errno, "iterator link refused%s", "");
	else
		close(link);
	close(fd);
}

/* The userspace sources: can they be opened? */
static void probe_userspace(enum attach_kind kind, struct probe_result *res)
{
	int fd;

	if (kind == ATTACH_NETLINK) {
		fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
		if (fd < 0)
			fail(res, -errno, "NETLINK_SOCK_DIAG socket refused%s", "");
		else
			close(fd);
		return;
	}
	if (access("/proc/self/fd", R_OK))
		fail(res, -errno, "/proc/self/fd cannot be read%s", "");
}

void probe_attach(struct probe_ctx *ctx, enum attach_kind kind, const char *target,
		  struct probe_result *res)
{
	char name[128];

	res->err = 0;
	res->detail[0] = '\0';
	switch (kind) {
	case ATTACH_FENTRY:
		probe_tracing(ctx, BPF_TRACE_FENTRY, target, BTF_KIND_FUNC, res);
		break;
	case ATTACH_FEXIT:
		probe_tracing(ctx, BPF_TRACE_FEXIT, target, BTF_KIND_FUNC, res);
		break;
	case ATTACH_TP_BTF:
		snprintf(name, sizeof(name), "btf_trace_%s", target);
		probe_tracing(ctx, BPF_TRACE_RAW_TP, name, BTF_KIND_TYPEDEF, res);
		break;
	case ATTACH_KPROBE:
	case ATTACH_KRETPROBE:
		probe_kprobe(target, kind == ATTACH_KRETPROBE, res);
		break;
	case ATTACH_RAW_TP:
		probe_raw_tp(target, res);
		break;
	case ATTACH_TRACEPOINT:
		probe_tracepoint(ctx, target, res);
		break;
	case ATTACH_CGROUP_SOCK_RELEASE:
		probe_cgroup(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, target, res);
		break;
	case ATTACH_CGROUP_SOCK_CREATE:
		probe_cgroup(BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, target, res);
		break;
	case ATTACH_CGROUP_SKB_INGRESS:
		probe_cgroup(BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, target, res);
		break;
	case ATTACH_ITER:
		probe_iter(ctx, target, res);
		break;
	case ATTACH_NETLINK:
	case ATTACH_PROCFS:
		probe_userspace(kind, res);
		break;
	}
}

void probe_ctx_free(struct probe_ctx *ctx)
{
	btf__free(ctx->vmlinux);
	ctx->vmlinux = NULL;
	/* leave the host as found; attached tracepoints hold their own fds */
	if (ctx->tracefs_mounted && umount2("/sys/kernel/tracing", MNT_DETACH) == 0)
		ctx->tracefs_mounted = false;
}
