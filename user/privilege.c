// SPDX-License-Identifier: GPL-2.0
/*
 * The capabilities each command needs, found by running every command as an
 * unprivileged uid with capabilities taken away one at a time
 * (tests/integration/t_caps.sh does so on every run), and by the kernel's
 * rules: bpf() loads programs with CAP_BPF, tracing ones and iterators with
 * CAP_PERFMON as well, cgroup ones with CAP_NET_ADMIN (CAP_SYS_ADMIN
 * stands in for all three); setns() into a network namespace needs
 * CAP_SYS_ADMIN; /proc/PID/ns/net, /proc/PID/exe and the links in
 * /proc/PID/fd of another user's process need CAP_SYS_PTRACE (a ptrace
 * read check), and listing its /proc/PID/fd (mode 0500) CAP_DAC_READ_SEARCH.
 * A command's set is what it uses on this path on any kernel it runs on:
 * trace asks for CAP_SYS_ADMIN also where its accept hook needs no walk of
 * the namespaces, so that one grant works everywhere.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "privilege.h"
#include "util.h"

#define HOOKS (PRIV_LOAD_BPF | CAPBIT(NET_ADMIN))
#define EVERY_NETNS (CAPBIT(SYS_ADMIN) | CAPBIT(SYS_PTRACE))
#define PROC_FD (CAPBIT(SYS_PTRACE) | CAPBIT(DAC_READ_SEARCH))

#define WHY_NETNS                                                                                  \
	"setns() into every network namespace (CAP_SYS_ADMIN); the namespaces that only "          \
	"other users' processes hold, through /proc/PID/ns/net (CAP_SYS_PTRACE)"
#define WHY_OWNERS "every process's open files, walked in the kernel (iter/task_file)"
#define WHY_OWNERS_PROC                                                                            \
	"with SOCKTAP_LISTING_SOURCE=netlink or a kernel without the iterators: other users' "     \
	"/proc/PID/fd listed (CAP_DAC_READ_SEARCH) and its links read (CAP_SYS_PTRACE)"

const struct privilege privileges[] = {
	{ "doctor", 0, NULL, HOOKS,
	  "loads and attaches every hook it reports on: tracing programs and iterators "
	  "(CAP_BPF, CAP_PERFMON), the cgroup programs of udp_close, udp_release, netdev_rx "
	  "and sock_cookie (CAP_NET_ADMIN); the lockdown mode reads \"unknown\" without "
	  "CAP_SYS_ADMIN where securityfs is not mounted" },
	{ "trace", 0, NULL, EVERY_NETNS,
	  "the hooks (CAP_BPF, CAP_PERFMON, and CAP_NET_ADMIN for UDP's close where it is a "
	  "cgroup program, and for its udp_release backstop, left out without it: "
	  "CAP_SYS_ADMIN stands in for them); where accept is seen at the "
	  "first I/O (kernels without fexit and kretprobe), the connections already waiting "
	  "in accept queues, read inside every namespace: " WHY_NETNS "; --netns checks "
	  "against those namespaces too" },
	{ "top", 0, NULL, HOOKS,
	  "the close hooks and the iterator of every socket's bytes (CAP_BPF, CAP_PERFMON); "
	  "UDP's close hook where it is a cgroup program, on kernels without fentry and "
	  "kprobes, and its udp_release backstop, left out without it (CAP_NET_ADMIN)" },
	{ "top", PRIV_EXE, "--exe", CAPBIT(SYS_PTRACE),
	  "executable paths: /proc/PID/exe of other users' processes" },
	{ "nload", 0, NULL, 0, "interface counters over rtnetlink" },
	{ "nload", PRIV_SPLIT, "--by-process, --by-cgroup", HOOKS,
	  "the split: the transmit tracepoint and the sockets' owners (CAP_BPF, CAP_PERFMON), "
	  "the ingress and socket-creation programs on the cgroup v2 root (CAP_NET_ADMIN); "
	  "on the screen, p and c say what is missing and the screen goes on" },
	{ "nload", PRIV_ALL_NETNS, "--all-netns", EVERY_NETNS, WHY_NETNS },
	{ "export", 0, NULL, EVERY_NETNS,
	  "interfaces and TCP states of every namespace: " WHY_NETNS "; the hooks, as top's "
	  "(CAP_SYS_ADMIN stands in for CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN)" },
	{ "ss", 0, NULL, 0, "sock_diag lists every socket of the namespace to anyone" },
	{ "ss", PRIV_OWNERS, "-p", PRIV_LOAD_BPF, WHY_OWNERS },
	{ "ss", PRIV_OWNERS_PROC, "-p (owners from /proc)", PROC_FD, WHY_OWNERS_PROC },
	{ "ss", PRIV_NETNS, "-N NAME", CAPBIT(SYS_ADMIN), "setns() into the namespace" },
	{ "ss", PRIV_ALL_NETNS, "--all-netns", EVERY_NETNS, WHY_NETNS },
	{ "netstat", 0, NULL, 0, "sock_diag lists every socket of the namespace to anyone" },
	{ "netstat", PRIV_OWNERS, "-p, --json", PRIV_LOAD_BPF, WHY_OWNERS },
	{ "netstat", PRIV_OWNERS_PROC, "-p, --json (owners from /proc)", PROC_FD, WHY_OWNERS_PROC },
	{ "lsof", PRIV_OWNERS, NULL, PRIV_LOAD_BPF, WHY_OWNERS },
	{ "lsof", PRIV_OWNERS_PROC, "(owners from /proc)", PROC_FD, WHY_OWNERS_PROC },
};
const size_t privileges_n = ARRAY_SIZE(privileges);

const int privilege_caps_named[] = {
	SOCKTAP_CAP_BPF,	  SOCKTAP_CAP_PERFMON,
	SOCKTAP_CAP_NET_ADMIN,	  SOCKTAP_CAP_SYS_ADMIN,
	SOCKTAP_CAP_SYS_PTRACE,	  SOCKTAP_CAP_DAC_READ_SEARCH,
	SOCKTAP_CAP_SYS_RESOURCE, -1,
};

const char *privilege_cap_name(int cap)
{
	switch (cap) {
	case SOCKTAP_CAP_DAC_READ_SEARCH:
		return "CAP_DAC_READ_SEARCH";
	case SOCKTAP_CAP_NET_ADMIN:
		return "CAP_NET_ADMIN";
	case SOCKTAP_CAP_SYS_PTRACE:
		return "CAP_SYS_PTRACE";
	case SOCKTAP_CAP_SYS_ADMIN:
		return "CAP_SYS_ADMIN";
	case SOCKTAP_CAP_SYS_RESOURCE:
		return "CAP_SYS_RESOURCE";
	case SOCKTAP_CAP_PERFMON:
		return "CAP_PERFMON";
	case SOCKTAP_CAP_BPF:
		return "CAP_BPF";
	}
	return NULL;
}

uint64_t privilege_effective(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	unsigned long long v = 0;

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &v) == 1)
			break;
	fclose(f);
	return v;
}

static uint64_t reduce(uint64_t caps)
{
	return caps & CAPBIT(SYS_ADMIN) ? caps & ~PRIV_SYS_ADMIN_COVERS : caps;
}

static bool row_applies(const struct privilege *p, const char *cmd, unsigned int modes)
{
	return !strcmp(p->cmd, cmd) && (!p->mode || (p->mode & modes));
}

uint64_t privilege_needed(const char *cmd, unsigned int modes)
{
	uint64_t caps = 0;

	for (size_t i = 0; i < privileges_n; i++)
		if (row_applies(&privileges[i], cmd, modes))
			caps |= privileges[i].caps;
	return reduce(caps);
}

uint64_t privilege_lacking(uint64_t needed, uint64_t eff)
{
	uint64_t lack = needed & ~eff;

	if (eff & CAPBIT(SYS_ADMIN))
		lack &= ~PRIV_SYS_ADMIN_COVERS;
	return lack;
}

/* s to out at *n, as far as it fits */
static void put(char *out, size_t len, size_t *n, const char *s)
{
	int w = snprintf(out + *n, len - *n, "%s", s);

	if (w > 0)
		*n = *n + (size_t)w < len ? *n + (size_t)w : len - 1;
}

void privilege_words(uint64_t caps, char *out, size_t len)
{
	size_t n = 0, k = 0, total = 0;

	out[0] = '\0';
	for (int i = 0; privilege_caps_named[i] >= 0; i++)
		total += (caps >> privilege_caps_named[i]) & 1;
	for (int i = 0; privilege_caps_named[i] >= 0; i++) {
		int c = privilege_caps_named[i];

		if (!((caps >> c) & 1))
			continue;
		if (k++)
			put(out, len, &n, k == total ? " and " : ", ");
		put(out, len, &n, privilege_cap_name(c));
	}
	if (caps && !(caps & ~PRIV_SYS_ADMIN_COVERS))
		put(out, len, &n, " (or CAP_SYS_ADMIN)");
}

int privilege_check(const char *cmd, unsigned int modes, uint64_t eff, char *msg, size_t len,
		    char *words, size_t wordslen)
{
	uint64_t needed = privilege_needed(cmd, modes), lack = privilege_lacking(needed, eff);
	char w[256], who[160] = "";
	size_t n = 0, nwho = 0;
	bool always = false;

	if (!lack)
		return 0;
	/* which rows ask for what is lacking: the command's own, or options */
	for (size_t i = 0; i < privileges_n; i++) {
		const struct privilege *p = &privileges[i];

		if (!row_applies(p, cmd, modes) || !(p->caps & lack))
			continue;
		if (!p->when) {
			always = true;
			continue;
		}
		if (nwho++)
			put(who, sizeof(who), &n, " and ");
		put(who, sizeof(who), &n, p->when);
	}
	privilege_words(lack, w, sizeof(w));
	if (words)
		snprintf(words, wordslen, "%s", w);
	snprintf(msg, len, "missing privilege: %s%s%s %s; run as root or grant %s",
		 always ? "" : who, always ? "" : " ", always || nwho < 2 ? "needs" : "need", w,
		 lack & (lack - 1) ? "them" : "it");
	return -1;
}

void privilege_require(const char *cmd, unsigned int modes)
{
	char msg[512];

	if (privilege_check(cmd, modes, privilege_effective(), msg, sizeof(msg), NULL, 0)) {
		p_err("%s: %s", cmd, msg);
		exit(EXIT_RUNTIME);
	}
}

void privilege_help(FILE *f, const char *cmd)
{
	fprintf(f, "\nPrivileges (the capabilities a user other than root needs):\n");
	for (size_t i = 0; i < privileges_n; i++) {
		const struct privilege *p = &privileges[i];
		char w[256] = "none";
		size_t n = 0;

		if (strcmp(p->cmd, cmd))
			continue;
		for (int k = 0; privilege_caps_named[k] >= 0; k++)
			if ((p->caps >> privilege_caps_named[k]) & 1) {
				if (n)
					put(w, sizeof(w), &n, " ");
				put(w, sizeof(w), &n, privilege_cap_name(privilege_caps_named[k]));
			}
		fprintf(f, "  %-30s %s\n", p->when ? p->when : "always", w);
	}
	fprintf(f, "CAP_SYS_ADMIN stands in for CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN.\n");
}
