// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "selftest.h"
#include "util.h"

uint32_t current_netns(void)
{
	struct stat st;

	if (stat("/proc/self/ns/net", &st))
		return 0;
	return (uint32_t)st.st_ino;
}

/* One loopback connection: 4 bytes each way, client closes first. */
static int make_connection(char *err, size_t len)
{
	struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	socklen_t alen = sizeof(a);
	int l = -1, c = -1, s = -1, ret = -1;
	char buf[4];

	l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) || listen(l, 1) ||
	    getsockname(l, (struct sockaddr *)&a, &alen) ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)) ||
	    (s = accept4(l, NULL, NULL, SOCK_CLOEXEC)) < 0 || write(c, "ping", 4) != 4 ||
	    read(s, buf, 4) != 4 || write(s, "pong", 4) != 4 || read(c, buf, 4) != 4) {
		snprintf(err, len, "loopback connection failed: %s", strerror(errno));
		goto out;
	}
	close(c);
	c = -1;
	/* the server sees the FIN, then closes its side */
	if (read(s, buf, sizeof(buf)) != 0) {
		snprintf(err, len, "loopback peer did not close");
		goto out;
	}
	ret = 0;
out:
	if (s >= 0)
		close(s);
	if (c >= 0)
		close(c);
	if (l >= 0)
		close(l);
	return ret;
}

/* The transitions this connection must produce, whatever else runs. */
static const struct {
	int from, to;
} expected[] = {
	{ SOCKTAP_TCP_CLOSE, SOCKTAP_TCP_LISTEN },
	{ SOCKTAP_TCP_CLOSE, SOCKTAP_TCP_SYN_SENT },
	{ SOCKTAP_TCP_SYN_SENT, SOCKTAP_TCP_ESTABLISHED },
	{ SOCKTAP_TCP_SYN_RECV, SOCKTAP_TCP_ESTABLISHED },
	{ SOCKTAP_TCP_ESTABLISHED, SOCKTAP_TCP_FIN_WAIT1 },
	{ SOCKTAP_TCP_ESTABLISHED, SOCKTAP_TCP_CLOSE_WAIT },
	{ SOCKTAP_TCP_LAST_ACK, SOCKTAP_TCP_CLOSE },
	{ SOCKTAP_TCP_LISTEN, SOCKTAP_TCP_CLOSE },
};

static int snapshot(int stats_fd, int state_fd, uint64_t stats[SOCKTAP_STAT_MAX],
		    struct state_table *t)
{
	int err = model_read_stats(stats_fd, stats);

	return err ? err : model_read_state_counts(state_fd, t);
}

static bool all_seen(const struct selftest_result *r)
{
	if (r->connects < 1)
		return false;
	for (size_t i = 0; i < ARRAY_SIZE(expected); i++)
		if (state_table_get(&r->delta, r->netns, expected[i].from, expected[i].to) < 1)
			return false;
	return true;
}

void selftest_loopback(int stats_fd, int state_fd, struct selftest_result *r)
{
	uint64_t s0[SOCKTAP_STAT_MAX], s1[SOCKTAP_STAT_MAX];
	struct state_table t0 = { 0 }, t1 = { 0 };
	int err;

	memset(r, 0, sizeof(*r));
	r->netns = current_netns();
	err = snapshot(stats_fd, state_fd, s0, &t0);
	if (err) {
		snprintf(r->error, sizeof(r->error), "reading the maps failed: %s", strerror(-err));
		return;
	}
	if (make_connection(r->error, sizeof(r->error)))
		goto out;
	/* the last ACK may still be in softirq: wait up to a second */
	for (int tries = 0; tries < 100; tries++) {
		selftest_free(r);
		state_table_free(&t1);
		err = snapshot(stats_fd, state_fd, s1, &t1);
		if (err) {
			snprintf(r->error, sizeof(r->error), "reading the maps failed: %s",
				 strerror(-err));
			goto out;
		}
		r->connects = s1[SOCKTAP_STAT_CONNECTS] - s0[SOCKTAP_STAT_CONNECTS];
		r->transitions = state_table_diff(&t0, &t1, r->netns, &r->delta);
		if (all_seen(r)) {
			r->ok = true;
			goto out;
		}
		nanosleep(&(struct timespec){ .tv_nsec = 10 * 1000 * 1000 }, NULL);
	}
	snprintf(r->error, sizeof(r->error),
		 "the programs did not see the loopback connection (%llu transitions, %llu "
		 "connects)",
		 (unsigned long long)r->transitions, (unsigned long long)r->connects);
out:
	state_table_free(&t0);
	state_table_free(&t1);
}

void selftest_free(struct selftest_result *r)
{
	state_table_free(&r->delta);
}
