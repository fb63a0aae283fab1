/* SPDX-License-Identifier: GPL-2.0 */
/* What the running kernel and this process are allowed to do. */
#ifndef SOCKTAP_SYSINFO_H
#define SOCKTAP_SYSINFO_H

#include <stdbool.h>
#include <stdint.h>

#define SYSINFO_BTF_PATH "/sys/kernel/btf/vmlinux"

struct sysinfo_caps {
	uint64_t effective; /* CapEff bits */
};

struct sysinfo {
	char release[65]; /* uname -r */
	char machine[65];
	bool btf; /* SYSINFO_BTF_PATH readable */
	char lockdown[32]; /* "none", "integrity", "confidentiality", or "unknown" */
	struct sysinfo_caps caps;
	int bpf_stats_enabled; /* kernel.bpf_stats_enabled, -1 unknown */
	int unprivileged_bpf_disabled; /* -1 unknown */
};

void sysinfo_read(struct sysinfo *si);

bool sysinfo_has_cap(const struct sysinfo *si, int cap);

/*
 * What every BPF-loading command checks after its privilege
 * (privilege_require): 0, or -1 with a one line message in err.
 */
int sysinfo_need_btf(char *err, unsigned long len);

/*
 * The kernel's timer frequency (CONFIG_HZ), which socket timers are counted
 * in: from /proc/config.gz or /boot/config-RELEASE, else 250 (Debian's).
 */
unsigned int sysinfo_kernel_hz(void);

#endif
