// SPDX-License-Identifier: GPL-2.0
/* top's bookkeeping: every byte once, to the right process, rates and windows. */
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include "flows.h"
#include "unit.h"

static struct flow_sample tcp(uint64_t cookie, uint32_t pid, uint64_t sent, uint64_t received)
{
	struct flow_sample s = {
		.cookie = cookie,
		.bytes_sent = sent,
		.bytes_received = received,
		.cgroup = 7,
		.start_time = 1000 + pid,
		.pid = pid,
		.family = AF_INET,
		.lport = 40000,
		.rport = 80,
		.proto = IPPROTO_TCP,
		.state = 1,
		.laddr = { 198, 18, 0, 1 },
		.raddr = { 198, 18, 0, 2 },
	};

	snprintf(s.comm, sizeof(s.comm), "p%u", pid);
	return s;
}

/* One refresh at time t with the samples given. */
static void refresh(struct flows *F, double t, const struct flow_sample *s, size_t n)
{
	flows_begin(F, t);
	for (size_t i = 0; i < n; i++)
		flows_add(F, &s[i]);
	flows_end(F);
}

static const struct flow_row *row(struct flows *F, enum flow_group g, uint32_t pid, uint64_t cookie)
{
	const struct flow_row *rows;
	size_t n = flows_rows(F, g, FLOW_SORT_2S, &rows);

	for (size_t i = 0; i < n; i++)
		if ((g == FLOW_GROUP_CONNECTION ? rows[i].cookie == cookie : rows[i].pid == pid))
			return &rows[i];
	return NULL;
}

TEST(flows_open_before_counts_from_first_refresh)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(1, 100, 5000, 7000);
	const struct flow_row *r;

	refresh(F, 0, &s, 1);
	s.bytes_sent = 6000;
	s.bytes_received = 7500;
	refresh(F, 1, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_OK_PTR(r, "process row");
	ASSERT_EQ(r->bytes_sent, 1000, "sent since start");
	ASSERT_EQ(r->bytes_received, 500, "received since start");
	ASSERT_EQ((long)r->sent_bps, 1000, "rate over 1 s");
	ASSERT_EQ(r->sockets, 1, "one socket");
	flows_free(F);
}

TEST(flows_new_socket_counts_whole)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(2, 100, 3000, 0);
	const struct flow_row *r;

	refresh(F, 0, NULL, 0);
	refresh(F, 2, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_OK_PTR(r, "process row");
	ASSERT_EQ(r->bytes_sent, 3000, "all its bytes");
	ASSERT_EQ((long)r->sent_bps, 1500, "over the 2 s interval");
	flows_free(F);
}

TEST(flows_short_lived_fold_into_process)
{
	struct flows *F = flows_new();
	struct flow_sample s[200];
	const struct flow_row *r;

	refresh(F, 0, NULL, 0);
	for (int i = 0; i < 200; i++) {
		s[i] = tcp(100 + i, 300, 10240, 0);
		s[i].closed = true;
	}
	refresh(F, 1, s, 200);
	r = row(F, FLOW_GROUP_PROCESS, 300, 0);
	ASSERT_OK_PTR(r, "process row");
	ASSERT_EQ(r->bytes_sent, 200 * 10240, "every byte of 200 connections");
	ASSERT_EQ(r->sockets, 0, "none open");
	r = row(F, FLOW_GROUP_CONNECTION, 0, 150);
	ASSERT_OK_PTR(r, "connection row");
	ASSERT_TRUE(r->gone, "closed");
	ASSERT_EQ(r->bytes_sent, 10240, "its bytes");
	/* a late duplicate changes nothing */
	flows_begin(F, 2);
	flows_add(F, &s[0]);
	flows_end(F);
	r = row(F, FLOW_GROUP_PROCESS, 300, 0);
	ASSERT_EQ(r->bytes_sent, 200 * 10240, "counted once");
	flows_free(F);
}

TEST(flows_close_after_live_counts_the_rest_once)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(3, 100, 0, 0);
	const struct flow_row *r;

	refresh(F, 0, NULL, 0);
	s.bytes_sent = 4000;
	refresh(F, 1, &s, 1);
	/* gone from the tables, its close event a refresh late */
	refresh(F, 2, NULL, 0);
	s.bytes_sent = 4500;
	s.closed = true;
	s.pid = 0; /* the event may name nobody: the owner stays */
	refresh(F, 3, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_OK_PTR(r, "process row");
	ASSERT_EQ(r->bytes_sent, 4500, "live then final, once");
	ASSERT_NULL(row(F, FLOW_GROUP_PROCESS, 0, 0), "no row for nobody");
	flows_free(F);
}

/*
 * A live read one high (the peer's FIN counted, not yet flagged, when the
 * iterator passed): the close's counts are the last word, lower or not,
 * and no rate goes negative (t_churn: 20,000,001 of 20,000,000).
 */
TEST(flows_close_corrects_a_high_live_read)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(4, 100, 0, 0);
	const struct flow_row *r;
	struct flow_row tot;

	refresh(F, 0, NULL, 0);
	s.bytes_sent = 10;
	s.bytes_received = 11;
	refresh(F, 1, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_EQ(r->bytes_received, 11, "the live read, as read");
	/* a later live read one lower changes nothing: that is a low one */
	s.bytes_received = 10;
	refresh(F, 2, &s, 1);
	ASSERT_EQ(row(F, FLOW_GROUP_PROCESS, 100, 0)->bytes_received, 11, "highest live kept");
	s.closed = true;
	refresh(F, 3, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_EQ(r->bytes_received, 10, "the close's count");
	ASSERT_EQ(r->bytes_sent, 10, "sent untouched");
	ASSERT_TRUE(r->received_bps == 0, "no negative rate");
	ASSERT_TRUE(r->avg_received[0] >= 0, "no negative average");
	flows_total(F, &tot);
	ASSERT_EQ(tot.bytes_received, 10, "total corrected");
	r = row(F, FLOW_GROUP_CONNECTION, 0, 4);
	ASSERT_EQ(r->bytes_received, 10, "connection corrected");
	flows_free(F);
}

/* an orphan: no process holds it for seconds before its close event */
TEST(flows_late_close_after_grace_counts_the_rest)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(9, 100, 0, 0);
	const struct flow_row *r;
	double t = 0;

	refresh(F, t++, NULL, 0);
	s.bytes_sent = 10;
	refresh(F, t++, &s, 1);
	/* unreported for longer than the grace: taken as gone */
	for (int i = 0; i < 6; i++)
		refresh(F, t++, NULL, 0);
	r = row(F, FLOW_GROUP_CONNECTION, 0, 9);
	ASSERT_OK_PTR(r, "its row is kept");
	ASSERT_TRUE(r && r->gone, "taken as gone meanwhile");
	/* 600 closed connections with more bytes come and go: it is not
	 * evicted for them while its close may still come */
	{
		struct flow_sample o[600];

		for (size_t c = 0; c < 600; c++) {
			o[c] = tcp(1000 + c, 200, 1000, 1000);
			o[c].closed = true;
		}
		refresh(F, t++, o, 600);
		refresh(F, t++, NULL, 0);
	}
	ASSERT_OK_PTR(row(F, FLOW_GROUP_CONNECTION, 0, 9), "not evicted for them");
	s.bytes_sent = 12;
	s.bytes_received = 10;
	s.closed = true;
	refresh(F, t++, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_OK_PTR(r, "process row");
	ASSERT_EQ(r ? r->bytes_sent : 0, 12, "sent: live then the close's rest");
	ASSERT_EQ(r ? r->bytes_received : 0, 10, "received at its close");
	flows_free(F);
}

TEST(flows_closed_unseen_from_before_start_ignored)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(4, 100, 99999, 99999);

	refresh(F, 0, NULL, 0);
	s.closed = true;
	s.before_start = true;
	refresh(F, 1, &s, 1);
	ASSERT_NULL(row(F, FLOW_GROUP_PROCESS, 100, 0), "no starting point: not counted");
	ASSERT_NULL(row(F, FLOW_GROUP_CONNECTION, 0, 4), "and no row");
	flows_free(F);
}

TEST(flows_owner_kept_while_it_holds_then_lowest_pid)
{
	struct flows *F = flows_new();
	struct flow_sample s[2];
	const struct flow_row *r;

	refresh(F, 0, NULL, 0);
	/* the parent (500) connected; a child (600) shares the socket */
	s[0] = tcp(5, 500, 1000, 0);
	s[1] = tcp(5, 600, 1000, 0);
	refresh(F, 1, s, 2);
	s[0].bytes_sent = s[1].bytes_sent = 3000;
	refresh(F, 2, s, 2);
	r = row(F, FLOW_GROUP_PROCESS, 500, 0);
	ASSERT_EQ(r->bytes_sent, 3000, "the owner keeps it while it holds it");
	ASSERT_NULL(row(F, FLOW_GROUP_PROCESS, 600, 0), "the child has none");
	/* the parent exits: the child holds it alone */
	s[1].bytes_sent = 8000;
	refresh(F, 3, &s[1], 1);
	r = row(F, FLOW_GROUP_PROCESS, 500, 0);
	ASSERT_EQ(r->bytes_sent, 3000, "the parent keeps what it moved");
	r = row(F, FLOW_GROUP_PROCESS, 600, 0);
	ASSERT_OK_PTR(r, "child row");
	ASSERT_EQ(r->bytes_sent, 5000, "the child gets what came after");
	flows_free(F);
}

TEST(flows_udp_counts_from_start)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(6, 100, 1200, 0);
	const struct flow_row *r;

	s.proto = IPPROTO_UDP;
	s.since_start = true;
	refresh(F, 0, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_EQ(r->bytes_sent, 1200, "counted since socktap started, even at the first refresh");
	flows_free(F);
}

TEST(flows_exited_process_kept_40s)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(7, 100, 0, 0);
	const struct flow_row *r;

	refresh(F, 0, NULL, 0);
	s.bytes_sent = 10;
	refresh(F, 1, &s, 1);
	flows_begin(F, 2);
	flows_process_exited(F, 100, 1100);
	flows_end(F);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_OK_PTR(r, "kept");
	ASSERT_TRUE(r->gone, "marked exited");
	refresh(F, 30, NULL, 0);
	ASSERT_OK_PTR(row(F, FLOW_GROUP_PROCESS, 100, 0), "still there after 28 s");
	refresh(F, 43, NULL, 0);
	ASSERT_NULL(row(F, FLOW_GROUP_PROCESS, 100, 0), "gone after 40 s");
	/* a new process with the same pid is another row */
	s.cookie = 8;
	s.start_time = 9999;
	s.bytes_sent = 5;
	refresh(F, 44, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_EQ(r->bytes_sent, 5, "a reused pid inherits nothing");
	flows_free(F);
}

TEST(flows_windows_and_peak)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(9, 100, 0, 0);
	const struct flow_row *r;
	int t;

	refresh(F, 0, NULL, 0);
	/* 1000 B/s for 50 s, then 5000 B/s for 4 s */
	for (t = 1; t <= 50; t++) {
		s.bytes_sent += 1000;
		refresh(F, t, &s, 1);
	}
	r = row(F, FLOW_GROUP_PROCESS, 100, 0);
	ASSERT_EQ((long)r->avg_sent[0], 1000, "2 s");
	ASSERT_EQ((long)r->avg_sent[1], 1000, "10 s");
	ASSERT_EQ((long)r->avg_sent[2], 1000, "40 s");
	for (; t <= 54; t++) {
		s.bytes_sent += 5000;
		refresh(F, t, &s, 1);
	}
	r = row(F, FLOW_GROUP_CONNECTION, 0, 9);
	ASSERT_EQ((long)r->avg_sent[0], 5000, "2 s after the change");
	ASSERT_EQ((long)r->avg_sent[1], (4 * 5000 + 6 * 1000) / 10, "10 s mixes both");
	ASSERT_EQ((long)r->avg_sent[2], (4 * 5000 + 36 * 1000) / 40, "40 s mixes both");
	ASSERT_EQ((long)r->peak_sent, 5000, "peak");
	{
		struct flow_row tot;

		flows_total(F, &tot);
		ASSERT_EQ(tot.bytes_sent, 50 * 1000 + 4 * 5000, "total");
		ASSERT_EQ((long)tot.avg_sent[0], 5000, "total 2 s");
	}
	flows_free(F);
}

TEST(flows_groups_remote_and_cgroup)
{
	struct flows *F = flows_new();
	struct flow_sample s[3] = { tcp(10, 100, 100, 0), tcp(11, 101, 200, 0),
				    tcp(12, 102, 400, 0) };
	const struct flow_row *rows;
	size_t n;

	s[2].raddr[3] = 3;
	s[2].cgroup = 8;
	refresh(F, 0, NULL, 0);
	refresh(F, 1, s, 3);
	n = flows_rows(F, FLOW_GROUP_REMOTE, FLOW_SORT_2S, &rows);
	ASSERT_EQ(n, 2, "two hosts");
	ASSERT_EQ(rows[0].bytes_sent, 400, "busiest first");
	ASSERT_EQ(rows[0].raddr[3], 3, "198.18.0.3");
	ASSERT_EQ(rows[1].bytes_sent, 300, "the other two together");
	ASSERT_EQ(rows[1].sockets, 2, "two sockets");
	n = flows_rows(F, FLOW_GROUP_CGROUP, FLOW_SORT_SENT, &rows);
	ASSERT_EQ(n, 2, "two cgroups");
	ASSERT_EQ(rows[0].cgroup, 8, "busiest first");
	flows_free(F);
}

/* many rows, each sort key: every row once, in order (the pointers sorted) */
TEST(flows_rows_sorted_by_each_key)
{
	enum { N = 300 };
	struct flows *F = flows_new();
	struct flow_sample s[N];
	const struct flow_row *rows;
	uint64_t seen = 0;
	size_t n;

	for (size_t i = 0; i < N; i++)
		s[i] = tcp(1000 + i, 100 + (uint32_t)(i % 7), (i * 7919) % 1000 * 10,
			   (i * 104729) % 997 * 10);
	refresh(F, 0, NULL, 0);
	refresh(F, 1, s, N);
	n = flows_rows(F, FLOW_GROUP_CONNECTION, FLOW_SORT_SENT, &rows);
	ASSERT_EQ(n, N, "every connection");
	for (size_t i = 0; i < n; i++) {
		seen += rows[i].cookie;
		if (i)
			ASSERT_TRUE(rows[i - 1].bytes_sent >= rows[i].bytes_sent,
				    "by sent, descending");
	}
	ASSERT_EQ(seen, N * 1000 + N * (N - 1) / 2, "each row once");
	n = flows_rows(F, FLOW_GROUP_CONNECTION, FLOW_SORT_RECEIVED, &rows);
	for (size_t i = 1; i < n; i++)
		ASSERT_TRUE(rows[i - 1].bytes_received >= rows[i].bytes_received,
			    "by received, descending");
	n = flows_rows(F, FLOW_GROUP_PROCESS, FLOW_SORT_2S, &rows);
	ASSERT_EQ(n, 7, "seven processes");
	for (size_t i = 1; i < n; i++)
		ASSERT_TRUE(rows[i - 1].avg_sent[0] + rows[i - 1].avg_received[0] >=
				    rows[i].avg_sent[0] + rows[i].avg_received[0],
			    "by the 2 s rate, descending");
	flows_free(F);
}

/* equal rates: the most bytes first, then open before closed, then by pid
 * and cookie, so that a screen of idle rows keeps its order */
TEST(flows_rows_ties_in_a_stable_order)
{
	/* cookie, pid, bytes: the same rate (none) for all after refresh 2 */
	struct flow_sample s[5] = { tcp(50, 200, 0, 0), tcp(40, 200, 0, 0), tcp(60, 100, 0, 0),
				    tcp(70, 300, 500, 0), tcp(80, 50, 0, 0) };
	static const uint64_t want[5] = { 70, 60, 40, 50, 80 };
	struct flows *F = flows_new();
	const struct flow_row *rows;
	size_t n;

	refresh(F, 0, NULL, 0);
	refresh(F, 1, s, 5);
	/* cookie 80 closes with nothing moved: last, though its pid is lowest */
	s[4].closed = true;
	refresh(F, 2, s, 5);
	refresh(F, 3, s, 4);
	n = flows_rows(F, FLOW_GROUP_CONNECTION, FLOW_SORT_40S, &rows);
	ASSERT_EQ(n, 5, "five connections");
	for (size_t i = 0; i < n && i < 5; i++)
		ASSERT_EQ(rows[i].cookie, want[i], "the order of equal rates");
	flows_free(F);
}

TEST(flows_remote_v4mapped_is_the_ipv4_host)
{
	struct flows *F = flows_new();
	struct flow_sample s[2] = { tcp(20, 100, 100, 0), tcp(21, 101, 50, 0) };
	const struct flow_row *rows;
	size_t n;

	/* the same host seen by an IPv6 socket, as ::ffff:198.18.0.2 */
	s[1].family = AF_INET6;
	memset(s[1].raddr, 0, 16);
	s[1].raddr[10] = s[1].raddr[11] = 0xff;
	s[1].raddr[12] = 198;
	s[1].raddr[13] = 18;
	s[1].raddr[15] = 2;
	refresh(F, 0, NULL, 0);
	refresh(F, 1, s, 2);
	n = flows_rows(F, FLOW_GROUP_REMOTE, FLOW_SORT_2S, &rows);
	ASSERT_EQ(n, 1, "one host");
	ASSERT_EQ(rows[0].family, AF_INET, "named as IPv4");
	ASSERT_EQ(rows[0].bytes_sent, 150, "both sockets' bytes");
	ASSERT_EQ(rows[0].sockets, 2, "both sockets");
	flows_free(F);
}

TEST(flows_owner_change_moves_later_bytes_only)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(30, 700, 0, 0);
	const struct flow_row *r;

	refresh(F, 0, NULL, 0);
	s.bytes_sent = 100;
	refresh(F, 1, &s, 1);
	/* the socket is passed to another process (SCM_RIGHTS) and the first
	 * closes its copy */
	s = tcp(30, 800, 250, 0);
	refresh(F, 2, &s, 1);
	r = row(F, FLOW_GROUP_PROCESS, 700, 0);
	ASSERT_EQ(r->bytes_sent, 100, "the first keeps its bytes");
	r = row(F, FLOW_GROUP_PROCESS, 800, 0);
	ASSERT_OK_PTR(r, "the holder now");
	ASSERT_EQ(r->bytes_sent, 150, "and gets the rest");
	r = row(F, FLOW_GROUP_CONNECTION, 0, 30);
	ASSERT_EQ(r->pid, 800, "the connection names its holder");
	ASSERT_EQ(r->bytes_sent, 250, "all its bytes");
	flows_free(F);
}

/* A connection seen once, already closed, keeps no history of its own (a
 * step): its averages are those a kept history would give, as the windows
 * pass over its one move. */
TEST(flows_closed_at_first_sight_averages)
{
	struct flows *F = flows_new();
	struct flow_sample s = tcp(42, 100, 1000, 0);
	const struct flow_row *r;
	int t;

	for (t = 0; t < 50; t++)
		refresh(F, t, NULL, 0);
	s.closed = true;
	refresh(F, t, &s, 1);
	r = row(F, FLOW_GROUP_CONNECTION, 0, 42);
	ASSERT_OK_PTR(r, "shown once");
	ASSERT_EQ((long)r->avg_sent[0], 500, "2 s");
	ASSERT_EQ((long)r->avg_sent[1], 100, "10 s");
	ASSERT_EQ((long)r->avg_sent[2], 25, "40 s");
	refresh(F, ++t, NULL, 0);
	r = row(F, FLOW_GROUP_CONNECTION, 0, 42);
	ASSERT_OK_PTR(r, "kept while gone");
	ASSERT_EQ((long)r->avg_sent[0], 500, "2 s, a second later");
	ASSERT_EQ((long)r->avg_sent[1], 100, "10 s, a second later");
	for (t++; t < 62; t++)
		refresh(F, t, NULL, 0);
	r = row(F, FLOW_GROUP_CONNECTION, 0, 42);
	ASSERT_EQ((long)r->avg_sent[0], 0, "2 s, out of the window");
	ASSERT_EQ((long)r->avg_sent[2], 25, "40 s, still in it");
	flows_free(F);
}

/* Under churn the closed connections kept as rows are bounded: each is
 * shown at least once, then the least useful (fewest bytes) go; their
 * bytes stay in their process's row. */
TEST(flows_closed_connections_bounded)
{
	enum { N = 5000 };
	static struct flow_sample s[N];
	struct flows *F = flows_new();
	const struct flow_row *rows;
	uint64_t want = 0, min_kept = UINT64_MAX;
	size_t n;

	refresh(F, 0, NULL, 0);
	for (int i = 0; i < N; i++) {
		s[i] = tcp(1000 + i, 300, 10 + i, 5);
		s[i].closed = true;
		want += 10 + i;
	}
	refresh(F, 1, s, N);
	n = flows_rows(F, FLOW_GROUP_CONNECTION, FLOW_SORT_2S, &rows);
	ASSERT_EQ(n, N, "every one shown once");
	refresh(F, 2, NULL, 0);
	n = flows_rows(F, FLOW_GROUP_CONNECTION, FLOW_SORT_2S, &rows);
	ASSERT_EQ(n, 512, "then at most 512 kept");
	for (size_t i = 0; i < n; i++)
		if (rows[i].bytes_sent < min_kept)
			min_kept = rows[i].bytes_sent;
	ASSERT_EQ(min_kept, 10 + N - 512, "the ones with most bytes");
	ASSERT_EQ(row(F, FLOW_GROUP_PROCESS, 300, 0)->bytes_sent, want, "process keeps every byte");
	flows_free(F);
}
