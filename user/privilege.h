/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The capabilities each command needs, in one table (privilege.c), and the
 * one check every command makes with it before it does anything that needs
 * them: a missing capability is one line naming it, exit status 1, not a
 * refusal from deep inside (an EPERM of bpf() or setns()), nor output that
 * is silently incomplete.
 */
#ifndef SOCKTAP_PRIVILEGE_H
#define SOCKTAP_PRIVILEGE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Capability numbers (linux/capability.h) that socktap cares about. */
#define SOCKTAP_CAP_DAC_READ_SEARCH 2
#define SOCKTAP_CAP_NET_ADMIN 12
#define SOCKTAP_CAP_SYS_PTRACE 19
#define SOCKTAP_CAP_SYS_ADMIN 21
#define SOCKTAP_CAP_SYS_RESOURCE 24
#define SOCKTAP_CAP_PERFMON 38
#define SOCKTAP_CAP_BPF 39

#define CAPBIT(c) (1ULL << SOCKTAP_CAP_##c)

/*
 * What the kernel lets CAP_SYS_ADMIN stand in for, for what socktap does
 * with them: loading BPF programs (bpf_capable()), tracing ones
 * (perfmon_capable()) and cgroup ones (bpf_net_capable()).
 */
#define PRIV_SYS_ADMIN_COVERS (CAPBIT(BPF) | CAPBIT(PERFMON) | CAPBIT(NET_ADMIN))

/* What loading tracing programs and iterators takes. */
#define PRIV_LOAD_BPF (CAPBIT(BPF) | CAPBIT(PERFMON))

/* What a command was asked to do beyond what it always does: modes, ORed. */
#define PRIV_OWNERS (1u << 0) /* sockets' owners from the file iterator */
#define PRIV_OWNERS_PROC (1u << 1) /* sockets' owners from /proc/PID/fd */
#define PRIV_NETNS (1u << 2) /* enter one named namespace (ss -N) */
#define PRIV_ALL_NETNS (1u << 3) /* enter every namespace (--all-netns) */
#define PRIV_EXE (1u << 4) /* executable paths (top --exe) */
#define PRIV_SPLIT (1u << 5) /* nload's split by process or cgroup */

struct privilege {
	const char *cmd;
	unsigned int mode; /* 0: always */
	const char *when; /* the options of the mode; NULL: always */
	uint64_t caps; /* CAPBIT()s */
	const char *why;
};

/* The table: every command's rows, a command's always-row first. */
extern const struct privilege privileges[];
extern const size_t privileges_n;

/* "CAP_BPF", or NULL for a capability socktap has no name for. */
const char *privilege_cap_name(int cap);
/* The capabilities socktap names, in the order it names them: -1 ends it. */
extern const int privilege_caps_named[];

/* This process's effective capabilities (CapEff of /proc/self/status). */
uint64_t privilege_effective(void);

/*
 * What cmd needs in modes: the union of its rows, less what CAP_SYS_ADMIN
 * stands in for when CAP_SYS_ADMIN is needed anyway.
 */
uint64_t privilege_needed(const char *cmd, unsigned int modes);
/* The capabilities of needed that eff lacks (CAP_SYS_ADMIN standing in). */
uint64_t privilege_lacking(uint64_t needed, uint64_t eff);
/* "CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN)": caps in words. */
void privilege_words(uint64_t caps, char *out, size_t len);

/*
 * 0 when eff holds what cmd needs in modes, else -1 with msg: "missing
 * privilege: [-p ]needs CAP_X and CAP_Y; run as root or grant them". With
 * words, the lacking ones alone ("CAP_X and CAP_Y").
 */
int privilege_check(const char *cmd, unsigned int modes, uint64_t eff, char *msg, size_t len,
		    char *words, size_t wordslen);
/*
 * The check every command makes first: on failure "socktap: CMD: MSG" on
 * stderr and exit status 1.
 */
void privilege_require(const char *cmd, unsigned int modes);

/* cmd's rows for its --help: a blank line, then "Privileges ...". */
void privilege_help(FILE *f, const char *cmd);

#endif
