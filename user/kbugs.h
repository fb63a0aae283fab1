/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Kernel bugs that decide which path socktap takes. A race cannot be
 * probed without risking it, so these are known by the version the kernel
 * was built from.
 */
#ifndef SOCKTAP_KBUGS_H
#define SOCKTAP_KBUGS_H

#include <stdbool.h>
#include <stddef.h>

struct kver {
	unsigned int major, minor, patch;
};

/*
 * The upstream version a kernel was built from: distributions keep their
 * own in uname -r ("6.1.0-40-amd64") and say the upstream one elsewhere:
 * Debian in uname -v ("... Debian 6.1.192-1 (...)"), Ubuntu in
 * /proc/version_signature ("Ubuntu 6.8.0-49.49-generic 6.8.12"). version
 * and signature may be NULL. 0, or -1 if nothing parses.
 */
int kbug_parse_version(const char *release, const char *version, const char *signature,
		       struct kver *v);

/*
 * iter/tcp takes a reference on every socket of an established-table
 * bucket with a plain increment, also on a request socket another CPU has
 * published but not yet given its count: the reference is lost, and the
 * request is freed while still in use (CVE-2026-74714; fixed in 6.1.183,
 * 6.6.152, 6.12.104, 6.18.45, 7.1.9 and 7.2). A walk that meets a SYN at
 * that moment corrupts the kernel.
 */
bool kbug_tcp_iter_affected(const struct kver *v);

/*
 * On this kernel: true if iter/tcp must not be walked, with why in one
 * line. SOCKTAP_TCP_ITER=1 says the fix is in (a distribution's backport),
 * SOCKTAP_TCP_ITER=0 refuses the walk anywhere.
 */
bool kbug_tcp_iter(char *why, size_t len);

#endif
