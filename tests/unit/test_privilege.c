// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "privilege.h"
#include "unit.h"

#define B(c) CAPBIT(c)

TEST(privilege_needed)
{
	ASSERT_EQ(privilege_needed("ss", 0), 0, "ss alone");
	ASSERT_EQ(privilege_needed("ss", PRIV_OWNERS), B(BPF) | B(PERFMON), "ss -p");
	/* CAP_SYS_ADMIN, needed anyway, stands in for what -p needs */
	ASSERT_EQ(privilege_needed("ss", PRIV_OWNERS | PRIV_ALL_NETNS),
		  B(SYS_ADMIN) | B(SYS_PTRACE), "ss -p --all-netns");
	ASSERT_EQ(privilege_needed("ss", PRIV_OWNERS_PROC), B(SYS_PTRACE) | B(DAC_READ_SEARCH),
		  "ss -p from /proc");
	ASSERT_EQ(privilege_needed("top", PRIV_EXE),
		  B(BPF) | B(PERFMON) | B(NET_ADMIN) | B(SYS_PTRACE), "top --exe");
	/* a mode of another command is not this one's */
	ASSERT_EQ(privilege_needed("top", PRIV_NETNS), B(BPF) | B(PERFMON) | B(NET_ADMIN),
		  "top -N");
	ASSERT_EQ(privilege_needed("lsof", PRIV_OWNERS), B(BPF) | B(PERFMON), "lsof");
	ASSERT_EQ(privilege_needed("nosuch", PRIV_OWNERS), 0, "no command");
}

TEST(privilege_lacking)
{
	uint64_t hooks = B(BPF) | B(PERFMON) | B(NET_ADMIN);

	ASSERT_EQ(privilege_lacking(hooks, 0), hooks, "nothing held");
	ASSERT_EQ(privilege_lacking(hooks, B(SYS_ADMIN)), 0, "CAP_SYS_ADMIN stands in");
	ASSERT_EQ(privilege_lacking(hooks | B(SYS_PTRACE), B(SYS_ADMIN)), B(SYS_PTRACE),
		  "not for CAP_SYS_PTRACE");
	ASSERT_EQ(privilege_lacking(B(SYS_ADMIN), hooks), B(SYS_ADMIN), "nor the other way");
	ASSERT_EQ(privilege_lacking(hooks, ~0ULL), 0, "root");
}

static const char *words(uint64_t caps)
{
	static char buf[256];

	privilege_words(caps, buf, sizeof(buf));
	return buf;
}

TEST(privilege_words)
{
	ASSERT_STREQ(words(0), "", "none");
	ASSERT_STREQ(words(B(BPF)), "CAP_BPF (or CAP_SYS_ADMIN)", "one it stands in for");
	ASSERT_STREQ(words(B(PERFMON) | B(BPF)), "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)",
		     "two");
	ASSERT_STREQ(words(B(BPF) | B(PERFMON) | B(NET_ADMIN)),
		     "CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN (or CAP_SYS_ADMIN)", "three");
	ASSERT_STREQ(words(B(SYS_PTRACE) | B(SYS_ADMIN)), "CAP_SYS_ADMIN and CAP_SYS_PTRACE",
		     "no stand-in for these");
	ASSERT_STREQ(words(B(BPF) | B(SYS_PTRACE)), "CAP_BPF and CAP_SYS_PTRACE",
		     "mixed: no stand-in");
}

static const char *check(const char *cmd, unsigned int modes, uint64_t eff)
{
	static char msg[512];

	if (!privilege_check(cmd, modes, eff, msg, sizeof(msg), NULL, 0))
		return "ok";
	return msg;
}

TEST(privilege_check)
{
	ASSERT_STREQ(check("ss", 0, 0), "ok", "ss -tan needs nothing");
	ASSERT_STREQ(
		check("ss", PRIV_OWNERS, 0),
		"missing privilege: -p needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN); run as "
		"root or grant them",
		"ss -p");
	ASSERT_STREQ(
		check("ss", PRIV_OWNERS, B(BPF)),
		"missing privilege: -p needs CAP_PERFMON (or CAP_SYS_ADMIN); run as root or grant "
		"it",
		"ss -p, one missing");
	ASSERT_STREQ(
		check("ss", PRIV_OWNERS | PRIV_ALL_NETNS, B(BPF) | B(PERFMON)),
		"missing privilege: --all-netns needs CAP_SYS_ADMIN and CAP_SYS_PTRACE; run as "
		"root or grant them",
		"ss -p --all-netns: CAP_SYS_ADMIN covers -p's");
	ASSERT_STREQ(check("ss", PRIV_NETNS | PRIV_OWNERS_PROC, 0),
		     "missing privilege: -p (owners from /proc) and -N NAME need CAP_SYS_ADMIN, "
		     "CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH; run as root or grant them",
		     "two options");
	ASSERT_STREQ(
		check("top", PRIV_EXE, B(BPF) | B(PERFMON)),
		"missing privilege: needs CAP_NET_ADMIN and CAP_SYS_PTRACE; run as root or grant "
		"them",
		"the command's own row: no option named");
	ASSERT_STREQ(check("top", PRIV_EXE, B(SYS_ADMIN)),
		     "missing privilege: --exe needs CAP_SYS_PTRACE; run as root or grant it",
		     "top --exe with CAP_SYS_ADMIN");
	ASSERT_STREQ(check("trace", 0, ~0ULL), "ok", "root");
}

/* every row names a command that exists, and a capability socktap names */
TEST(privilege_table)
{
	static const char *const cmds[] = { "doctor", "trace", "top",	  "nload",
					    "export", "ss",    "netstat", "lsof" };
	uint64_t named = 0;

	for (int i = 0; privilege_caps_named[i] >= 0; i++)
		named |= 1ULL << privilege_caps_named[i];
	for (size_t i = 0; i < privileges_n; i++) {
		const struct privilege *p = &privileges[i];
		bool known = false;
		char name[64];

		snprintf(name, sizeof(name), "row %zu (%s)", i, p->cmd);
		for (size_t k = 0; k < sizeof(cmds) / sizeof(cmds[0]); k++)
			known |= !strcmp(cmds[k], p->cmd);
		ASSERT_TRUE(known, name);
		ASSERT_EQ(p->caps & ~named, 0, name);
		/* a mode has its options named, but for lsof's, which is always */
		ASSERT_TRUE(!p->mode == !p->when || !strcmp(p->cmd, "lsof"), name);
		ASSERT_TRUE(p->why && p->why[0], name);
	}
}
