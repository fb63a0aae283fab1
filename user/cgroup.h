/* SPDX-License-Identifier: GPL-2.0 */
/* cgroup v2 ids (what bpf_get_current_cgroup_id returns) and their paths. */
#ifndef SOCKTAP_CGROUP_H
#define SOCKTAP_CGROUP_H

#include <stdint.h>

/* The cgroup v2 mount point, found in /proc/self/mountinfo, or NULL. */
const char *cgroup2_mount(void);
/* The id of the cgroup at path (absolute, or relative to the v2 mount), 0 if none. */
uint64_t cgroup_id_of_path(const char *path);
/* Opens the cgroup v2 directory at path (relative to the mount): an fd, or -errno. */
int cgroup_open(const char *path);
/* The path of cgroup id relative to the v2 mount ("/" for the root), or NULL. */
const char *cgroup_path_of_id(uint64_t id);

/*
 * The same, but only where this mount namespace has cgroup2 mounted (NULL
 * under `ip netns exec`, which remounts /sys): what ss can name, for a
 * listing that mirrors it.
 */
const char *cgroup_path_of_id_mounted(uint64_t id);

#endif
