// SPDX-License-Identifier: GPL-2.0
/*
 * rusage: runs a command and prints its wall time and what wait4() tells
 * of it, for the benchmarks.
 *
 *   rusage [-o FILE] [-n] CMD [ARGS...]
 *
 * prints one JSON line, on stderr or appended to FILE:
 *
 *   {"wall_ms":12.345,"user_ms":4.000,"sys_ms":8.000,"maxrss_kib":5120,
 *    "status":0}
 *
 * wall_ms runs from just before fork() to wait4()'s return (monotonic
 * clock); user_ms, sys_ms and maxrss_kib are wait4()'s: the command's CPU
 * time and peak resident set, with those of the children it waited for
 * (their CPU added, the largest peak); status is its exit status, or 128 + the
 * signal that killed it, and is rusage's own exit status too. -n sends the
 * command's stdout to /dev/null. Started inside a network namespace (ip netns
 * exec NS rusage ...), it times the command without ip's own start.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static double tv_ms(const struct timeval *tv)
{
	return tv->tv_sec * 1e3 + tv->tv_usec / 1e3;
}

static void usage(void)
{
	fputs("usage: rusage [-o FILE] [-n] CMD [ARGS...]\n", stderr);
	exit(2);
}

int main(int argc, char **argv)
{
	const char *out = NULL;
	struct rusage ru;
	int c, st, rc, null_out = 0;
	double t0, t1;
	pid_t pid;
	FILE *f;

	while ((c = getopt(argc, argv, "+o:nh")) != -1) {
		switch (c) {
		case 'o':
			out = optarg;
			break;
		case 'n':
			null_out = 1;
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	t0 = now_ms();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "rusage: fork: %s\n", strerror(errno));
		return 1;
	}
	if (pid == 0) {
		if (null_out) {
			int fd = open("/dev/null", O_WRONLY);

			if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
				_exit(127);
			close(fd);
		}
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "rusage: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &st, 0, &ru) < 0) {
		if (errno != EINTR) {
			fprintf(stderr, "rusage: wait4: %s\n", strerror(errno));
			return 1;
		}
	}
	t1 = now_ms();
	rc = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	f = out ? fopen(out, "a") : stderr;
	if (!f) {
		fprintf(stderr, "rusage: %s: %s\n", out, strerror(errno));
		return 1;
	}
	fprintf(f,
		"{\"wall_ms\":%.3f,\"user_ms\":%.3f,\"sys_ms\":%.3f,\"maxrss_kib\":%ld,"
		"\"status\":%d}\n",
		t1 - t0, tv_ms(&ru.ru_utime), tv_ms(&ru.ru_stime), ru.ru_maxrss, rc);
	if (out && fclose(f))
		return 1;
	return rc;
}
