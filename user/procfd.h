/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Socket owners from /proc: every /proc/PID/fd link "socket:[INODE]" joined
 * on inode with the socket table, as ss -p and lsof find them. Used where
 * the task_file iterator is missing; no libbpf, no root (but without root
 * only the caller's own processes can be read).
 */
#ifndef SOCKTAP_PROCFD_H
#define SOCKTAP_PROCFD_H

#include <stddef.h>
#include "sockets.h"

/*
 * Adds to every entry of t (matched on e->inode; entries with inode 0 are
 * never matched) one owner per process fd holding it: pid, fd, comm (the
 * thread-group leader's, from PID/comm), uid (the real uid, from PID/status)
 * and f_mode (from PID/fdinfo/FD flags: 1 read, 2 write, 3 both). proc_root
 * is "/proc" normally (a seam for tests). Processes and fds that vanish or
 * cannot be read during the scan are skipped. 0, or -1 with one line in err
 * if proc_root itself cannot be read.
 */
int procfd_owners(struct sock_table *t, const char *proc_root, char *err, size_t errlen);

#endif
