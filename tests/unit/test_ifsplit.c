// SPDX-License-Identifier: GPL-2.0
/*
 * nload's split (ifsplit.c): starting points, link headers, the remainder
 * row, reasons and owners, grouping, devices, pruning, rates and order.
 */
#include <string.h>
#include "ifsplit.h"
#include "unit.h"

#define NS_A 4026531840u
#define NS_B 4026532001u

/* One entry of the kernel's table as a refresh hands it in. */
struct ent {
	struct socktap_netdev_key k;
	struct socktap_netdev_count c;
	uint32_t netns; /* the device's: ifsplit_entry's argument */
	const struct split_owner *o;
};

/* An entry on device ifindex of NS_A; counts as IP bytes and packets. */
static struct ent E(uint8_t reason, uint32_t ifindex, uint64_t cookie, uint64_t cgroup,
		    const struct split_owner *o, uint64_t rxb, uint64_t rxp, uint64_t txb,
		    uint64_t txp) {
	struct ent e;

	memset(&e, 0, sizeof(e));
	e.k.cookie = cookie;
	e.k.cgroup = cgroup;
	e.k.netns = NS_A;
	e.k.ifindex = ifindex;
	e.k.reason = reason;
	e.c.rx_bytes = rxb;
	e.c.rx_packets = rxp;
	e.c.tx_bytes = txb;
	e.c.tx_packets = txp;
	e.netns = NS_A;
	e.o = o;
	return e;
}

/* A socket's entry on device 2 of NS_A. */
static struct ent
sock(uint64_t cookie, uint64_t cgroup, const struct split_owner *o, uint64_t rxb, uint64_t rxp,
     uint64_t txb, uint64_t txp)
{
	return E(SOCKTAP_NETDEV_SOCKET, 2, cookie, cgroup, o, rxb, rxp, txb, txp);
}

static void set_counts(struct ent *e, uint64_t rxb, uint64_t rxp, uint64_t txb, uint64_t txp)
{
	e->c.rx_bytes = rxb;
	e->c.rx_packets = rxp;
	e->c.tx_bytes = txb;
	e->c.tx_packets = txp;
}

static struct split_owner own(uint32_t pid, uint64_t start_time, uint64_t cgroup)
{
	struct split_owner o;

	memset(&o, 0, sizeof(o));
	o.pid = pid;
	o.uid = 1000 + pid;
	o.start_time = start_time;
	o.cgroup = cgroup;
	o.netns = NS_A;
	snprintf(o.comm, sizeof(o.comm), "p%u", pid);
	return o;
}

static struct split_dev dev(uint32_t netns, uint32_t ifindex, unsigned int hdr, uint64_t rxb,
			    uint64_t rxp, uint64_t txb, uint64_t txp)
{
	struct split_dev d = {
		.netns = netns,
		.ifindex = ifindex,
		.hdr = hdr,
		.rx_bytes = rxb,
		.tx_bytes = txb,
		.rx_packets = rxp,
		.tx_packets = txp,
	};

	return d;
}

/* One refresh at time t: returns how many entries to remove (in *rm). */
static size_t refresh(struct ifsplit *S, double t, const struct ent *e, size_t n,
		      const struct split_dev *d, size_t nd, unsigned int idle,
		      const struct socktap_netdev_key **rm)
{
	const struct socktap_netdev_key *unused;

	ifsplit_begin(S, t);
	for (size_t i = 0; i < n; i++)
		ifsplit_entry(S, &e[i].k, &e[i].c, e[i].netns, 0, e[i].o);
	return ifsplit_end(S, d, nd, idle, rm ? rm : &unused);
}

/*
 * The row of a device and grouping: an owned row by process is (pid,
 * start_time), by cgroup its cgroup (id); a reason row has no identity.
 */
static const struct split_row *find(const struct ifsplit *S, uint32_t netns, uint32_t ifindex,
				    enum split_by by, enum split_reason reason, uint32_t pid,
				    uint64_t id)
{
	const struct split_row *rows;
	size_t n = ifsplit_rows(S, netns, ifindex, by, &rows);

	for (size_t i = 0; i < n; i++) {
		const struct split_row *r = &rows[i];

		if (r->reason != reason)
			continue;
		if (reason != SPLIT_OWNED)
			return r;
		if (by == SPLIT_BY_PROCESS && r->pid == pid && r->start_time == id)
			return r;
		if (by == SPLIT_BY_CGROUP && r->cgroup == id)
			return r;
	}
	return NULL;
}

/* Device 2 of NS_A: a process's row, a cgroup's, a reason's. */
static const struct split_row *prow(const struct ifsplit *S, uint32_t pid, uint64_t start_time)
{
	return find(S, NS_A, 2, SPLIT_BY_PROCESS, SPLIT_OWNED, pid, start_time);
}

static const struct split_row *crow(const struct ifsplit *S, uint64_t cgroup)
{
	return find(S, NS_A, 2, SPLIT_BY_CGROUP, SPLIT_OWNED, 0, cgroup);
}

static const struct split_row *rrow(const struct ifsplit *S, enum split_by by,
				    enum split_reason reason)
{
	return find(S, NS_A, 2, by, reason, 0, 0);
}

/* A row's four counters. */
static bool counts_are(const struct split_row *r, uint64_t rxb, uint64_t rxp, uint64_t txb,
		       uint64_t txp, const char *name)
{
	bool ok;

	if (!ASSERT_OK_PTR(r, name))
		return false;
	ok = ASSERT_EQ(r->rx_bytes, rxb, name);
	ok &= ASSERT_EQ(r->rx_packets, rxp, name);
	ok &= ASSERT_EQ(r->tx_bytes, txb, name);
	ok &= ASSERT_EQ(r->tx_packets, txp, name);
	return ok;
}

/* The rows of a device and grouping sum to the device's counters. */
static bool sums_to(const struct ifsplit *S, const struct split_dev *d, enum split_by by,
		    const char *name)
{
	const struct split_row *rows;
	size_t n = ifsplit_rows(S, d->netns, d->ifindex, by, &rows);
	uint64_t rxb = 0, rxp = 0, txb = 0, txp = 0;
	bool ok;

	for (size_t i = 0; i < n; i++) {
		rxb += rows[i].rx_bytes;
		rxp += rows[i].rx_packets;
		txb += rows[i].tx_bytes;
		txp += rows[i].tx_packets;
	}
	ok = ASSERT_NEQ(n, 0, name);
	ok &= ASSERT_EQ(rows[n - 1].reason, SPLIT_REMAINDER, name);
	ok &= ASSERT_EQ(rxb, d->rx_bytes, name);
	ok &= ASSERT_EQ(rxp, d->rx_packets, name);
	ok &= ASSERT_EQ(txb, d->tx_bytes, name);
	ok &= ASSERT_EQ(txp, d->tx_packets, name);
	return ok;
}

TEST(ifsplit_reason_names)
{
	ASSERT_NULL(split_reason_name(SPLIT_OWNED), "owned has no name");
	ASSERT_STREQ(split_reason_name(SPLIT_FORWARDED), "forwarded", "forwarded");
	ASSERT_STREQ(split_reason_name(SPLIT_NO_SOCKET), "no_socket", "no_socket");
	ASSERT_STREQ(split_reason_name(SPLIT_OTHER_SOCKET), "other_socket", "other_socket");
	ASSERT_STREQ(split_reason_name(SPLIT_REMAINDER), "remainder", "remainder");
	ASSERT_NULL(split_reason_name(SPLIT_REASON_MAX), "out of range");
}

TEST(ifsplit_first_refresh_is_starting_point)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner a = own(100, 5000, 10), b = own(200, 6000, 20);
	struct ent e[2];
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	const struct split_row *rows;

	/* the kernel's entry already counts 5000 in, 3000 out: before the split */
	e[0] = sock(1, 10, &a, 5000, 50, 3000, 30);
	refresh(S, 10, e, 1, &d, 1, 0, NULL);
	ASSERT_EQ(ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows), 2,
		  "its row and the remainder");
	counts_are(prow(S, 100, 5000), 0, 0, 0, 0, "first refresh: nothing yet");
	counts_are(crow(S, 10), 0, 0, 0, 0, "first refresh by cgroup");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER), 0, 0, 0, 0, "remainder at start");
	ASSERT_TRUE(prow(S, 100, 5000)->rx_bps == 0 && prow(S, 100, 5000)->tx_bps == 0,
		    "no rates at the first refresh");

	/* then: +1000/10 in, +500/5 out; a new entry counts whole */
	set_counts(&e[0], 6000, 60, 3500, 35);
	e[1] = sock(2, 20, &b, 400, 4, 200, 2);
	d = dev(NS_A, 2, 0, 1500, 15, 700, 7);
	refresh(S, 11, e, 2, &d, 1, 0, NULL);
	counts_are(prow(S, 100, 5000), 1000, 10, 500, 5, "only what came after");
	counts_are(prow(S, 200, 6000), 400, 4, 200, 2, "a later entry from zero");
	counts_are(crow(S, 10), 1000, 10, 500, 5, "by cgroup: after the start");
	counts_are(crow(S, 20), 400, 4, 200, 2, "by cgroup: a later entry from zero");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER), 100, 1, 0, 0, "remainder");
	sums_to(S, &d, SPLIT_BY_PROCESS, "process rows sum");
	sums_to(S, &d, SPLIT_BY_CGROUP, "cgroup rows sum");
	ifsplit_free(S);
}

TEST(ifsplit_link_header_per_packet)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner a = own(100, 5000, 10);
	struct split_dev d[2] = {
		dev(NS_A, 2, 14, 0, 0, 0, 0), /* Ethernet */
		dev(NS_A, 1, 0, 0, 0, 0, 0), /* loopback */
	};
	struct ent e[3];

	refresh(S, 1, NULL, 0, d, 2, 0, NULL);
	e[0] = sock(1, 10, &a, 1000, 10, 500, 5);
	e[1] = E(SOCKTAP_NETDEV_FORWARDED, 2, 0, 0, NULL, 0, 0, 2000, 4);
	e[2] = E(SOCKTAP_NETDEV_SOCKET, 1, 2, 10, &a, 700, 7, 700, 7);
	/* eth: the rows have rx 1140/10, tx 570 + 2056 = 2626/9 */
	d[0] = dev(NS_A, 2, 14, 1300, 12, 2700, 10);
	d[1] = dev(NS_A, 1, 0, 700, 7, 700, 7);
	refresh(S, 2, e, 3, d, 2, 0, NULL);
	counts_are(prow(S, 100, 5000), 1000 + 14 * 10, 10, 500 + 14 * 5, 5, "IP + 14 per packet");
	counts_are(crow(S, 10), 1140, 10, 570, 5, "by cgroup too");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_FORWARDED), 0, 0, 2000 + 14 * 4, 4,
		   "a reason row too");
	/* the remainder is the device's own bytes: no header added */
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER), 160, 2, 74, 1, "remainder as is");
	counts_are(find(S, NS_A, 1, SPLIT_BY_PROCESS, SPLIT_OWNED, 100, 5000), 700, 7, 700, 7,
		   "hdr 0 adds nothing");
	counts_are(find(S, NS_A, 1, SPLIT_BY_CGROUP, SPLIT_OWNED, 0, 10), 700, 7, 700, 7,
		   "hdr 0 adds nothing by cgroup");
	counts_are(find(S, NS_A, 1, SPLIT_BY_PROCESS, SPLIT_REMAINDER, 0, 0), 0, 0, 0, 0,
		   "loopback fully explained");
	sums_to(S, &d[0], SPLIT_BY_PROCESS, "eth sums");
	sums_to(S, &d[1], SPLIT_BY_CGROUP, "lo sums");
	ifsplit_free(S);
}

TEST(ifsplit_remainder_row)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner a = own(100, 5000, 10), b = own(200, 6000, 10);
	struct split_dev d[2] = { dev(NS_A, 2, 0, 0, 0, 0, 0), dev(NS_A, 3, 0, 999, 9, 0, 0) };
	const struct split_row *rows;
	struct ent e[5];
	size_t n;

	/* no entries: the remainder alone, all of the device */
	refresh(S, 1, NULL, 0, d, 2, 0, NULL);
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows);
	if (ASSERT_EQ(n, 1, "remainder alone"))
		ASSERT_EQ(rows[0].reason, SPLIT_REMAINDER, "the remainder");
	counts_are(find(S, NS_A, 3, SPLIT_BY_CGROUP, SPLIT_REMAINDER, 0, 0), 999, 9, 0, 0,
		   "no rows: all of the device");

	e[0] = sock(1, 10, &a, 1000, 10, 2000, 20);
	e[1] = sock(2, 10, &b, 300, 3, 100, 1);
	e[2] = E(SOCKTAP_NETDEV_FORWARDED, 2, 0, 0, NULL, 0, 0, 400, 4);
	e[3] = E(SOCKTAP_NETDEV_NO_SOCKET, 2, 0, 0, NULL, 0, 0, 60, 1);
	e[4] = sock(0, 0, NULL, 50, 1, 40, 1);
	/* the rows: rx 1350/14, tx 2600/27 */
	d[0] = dev(NS_A, 2, 0, 1500, 16, 2650, 28);
	refresh(S, 2, e, 5, d, 2, 0, NULL);
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows);
	if (ASSERT_EQ(n, 6, "two owners, three reasons, remainder"))
		counts_are(&rows[5], 150, 2, 50, 1, "remainder last, by process");
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_CGROUP, &rows);
	if (ASSERT_EQ(n, 5, "one cgroup, three reasons, remainder"))
		counts_are(&rows[4], 150, 2, 50, 1, "remainder last, by cgroup");
	counts_are(crow(S, 10), 1300, 13, 2100, 21, "the cgroup");
	sums_to(S, &d[0], SPLIT_BY_PROCESS, "exact by process");
	sums_to(S, &d[0], SPLIT_BY_CGROUP, "exact by cgroup");

	/* the rows exceed the device in rx bytes and tx packets: those clamp */
	d[0] = dev(NS_A, 2, 0, 1200, 16, 2650, 26);
	refresh(S, 3, e, 5, d, 1, 0, NULL);
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER), 0, 2, 50, 0, "clamped at 0");
	counts_are(rrow(S, SPLIT_BY_CGROUP, SPLIT_REMAINDER), 0, 2, 50, 0, "clamped by cgroup");
	/* and back when the device catches up */
	d[0] = dev(NS_A, 2, 0, 1400, 16, 2700, 29);
	refresh(S, 4, e, 5, d, 1, 0, NULL);
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER), 50, 2, 100, 2, "caught up");
	sums_to(S, &d[0], SPLIT_BY_PROCESS, "exact again");
	sums_to(S, &d[0], SPLIT_BY_CGROUP, "exact again by cgroup");
	ifsplit_free(S);
}

TEST(ifsplit_reasons_and_late_owner)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner c = own(300, 7000, 30);
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	static const enum split_reason order[] = { SPLIT_FORWARDED, SPLIT_NO_SOCKET,
						   SPLIT_OTHER_SOCKET, SPLIT_REMAINDER };
	static const char *const names[] = { "forwarded", "no_socket", "other_socket",
					     "remainder" };
	const struct split_row *rows, *r;
	struct ent e[4];
	size_t n;

	refresh(S, 1, NULL, 0, &d, 1, 0, NULL);
	e[0] = E(SOCKTAP_NETDEV_FORWARDED, 2, 0, 0, NULL, 0, 0, 500, 5);
	e[1] = E(SOCKTAP_NETDEV_NO_SOCKET, 2, 0, 0, NULL, 0, 0, 84, 2);
	/* a socket without a cookie, even in a known cgroup */
	e[2] = sock(0, 50, NULL, 200, 2, 100, 1);
	/* a socket with a cookie whose holder is not known (yet) */
	e[3] = sock(7, 60, NULL, 1000, 10, 400, 4);
	d = dev(NS_A, 2, 0, 1200, 12, 1084, 12);
	refresh(S, 2, e, 4, &d, 1, 0, NULL);
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows);
	if (ASSERT_EQ(n, 4, "no owned row by process")) {
		for (size_t i = 0; i < n; i++) {
			ASSERT_EQ(rows[i].reason, order[i], "reason order");
			ASSERT_STREQ(split_reason_name(rows[i].reason), names[i], "its name");
		}
	}
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_FORWARDED), 0, 0, 500, 5, "forwarded");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_NO_SOCKET), 0, 0, 84, 2, "no_socket");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_OTHER_SOCKET), 1200, 12, 500, 5,
		   "other_socket: no cookie, and no owner");
	counts_are(rrow(S, SPLIT_BY_CGROUP, SPLIT_FORWARDED), 0, 0, 500, 5, "forwarded by cgroup");
	counts_are(rrow(S, SPLIT_BY_CGROUP, SPLIT_NO_SOCKET), 0, 0, 84, 2, "no_socket by cgroup");
	counts_are(rrow(S, SPLIT_BY_CGROUP, SPLIT_OTHER_SOCKET), 200, 2, 100, 1,
		   "other_socket by cgroup: the cookie-less socket only");
	ASSERT_NULL(crow(S, 50), "no cookie: not its cgroup's");
	r = crow(S, 60);
	counts_are(r, 1000, 10, 400, 4, "no owner: its cgroup's row by cgroup");
	if (r)
		ASSERT_EQ(r->pid, 0, "a cgroup row names no process");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER), 0, 0, 0, 0, "all explained");

	/* the owner becomes known: its counts move to its row */
	set_counts(&e[3], 1500, 15, 600, 6);
	e[3].o = &c;
	d = dev(NS_A, 2, 0, 1700, 17, 1284, 14);
	refresh(S, 3, e, 4, &d, 1, 0, NULL);
	r = prow(S, 300, 7000);
	counts_are(r, 1500, 15, 600, 6, "the owner's row");
	if (r) {
		ASSERT_STREQ(r->comm, "p300", "comm");
		ASSERT_EQ(r->uid, 1300, "uid");
		ASSERT_EQ(r->cgroup, 30, "the owner's cgroup");
	}
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_OTHER_SOCKET), 200, 2, 100, 1,
		   "other_socket gave it up");
	counts_are(crow(S, 60), 1500, 15, 600, 6, "by cgroup: still the socket's cgroup");
	ASSERT_NULL(crow(S, 30), "not the owner's when the key names one");
	sums_to(S, &d, SPLIT_BY_PROCESS, "sums after the move");

	/* the owner forgotten upstream (closed): the row stays the owner's */
	set_counts(&e[3], 1800, 18, 700, 7);
	e[3].o = NULL;
	d = dev(NS_A, 2, 0, 2000, 20, 1384, 15);
	refresh(S, 4, e, 4, &d, 1, 0, NULL);
	counts_are(prow(S, 300, 7000), 1800, 18, 700, 7, "sticky owner");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_OTHER_SOCKET), 200, 2, 100, 1,
		   "nothing back to other_socket");
	sums_to(S, &d, SPLIT_BY_PROCESS, "sums, sticky");
	ifsplit_free(S);
}

TEST(ifsplit_grouping)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner p1 = own(100, 5000, 10), p1b = own(100, 9000, 10),
			   p2 = own(200, 6000, 10), p3 = own(300, 7000, 40);
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	const struct split_row *rows, *r;
	struct ent e[6];

	refresh(S, 1, NULL, 0, &d, 1, 0, NULL);
	e[0] = sock(1, 10, &p1, 100, 1, 10, 1);
	e[1] = sock(2, 10, &p1, 200, 2, 20, 1);
	/* the same pid, another process (the pid was reused) */
	e[2] = sock(3, 10, &p1b, 400, 4, 40, 1);
	e[3] = sock(4, 10, &p2, 800, 8, 80, 1);
	/* TIME-WAIT: no cgroup in the key, the owner's */
	e[4] = sock(5, 0, &p3, 16, 1, 32, 1);
	/* TIME-WAIT and no owner known */
	e[5] = sock(6, 0, NULL, 64, 1, 128, 1);
	d = dev(NS_A, 2, 0, 1580, 17, 310, 6);
	refresh(S, 2, e, 6, &d, 1, 0, NULL);
	counts_are(prow(S, 100, 5000), 300, 3, 30, 2, "two sockets, one process");
	r = prow(S, 100, 9000);
	counts_are(r, 400, 4, 40, 1, "pid reused: another row");
	if (r) {
		ASSERT_STREQ(r->comm, "p100", "its comm");
		ASSERT_EQ(r->uid, 1100, "its uid");
		ASSERT_EQ(r->cgroup, 10, "its cgroup");
	}
	counts_are(prow(S, 200, 6000), 800, 8, 80, 1, "another process");
	counts_are(prow(S, 300, 7000), 16, 1, 32, 1, "TIME-WAIT by process: its owner");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_OTHER_SOCKET), 64, 1, 128, 1,
		   "no owner by process");
	ASSERT_EQ(ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows), 6, "4 processes, 2 more");
	counts_are(crow(S, 10), 1500, 15, 150, 4, "three processes, one cgroup");
	counts_are(crow(S, 40), 16, 1, 32, 1, "TIME-WAIT: the owner's cgroup");
	counts_are(rrow(S, SPLIT_BY_CGROUP, SPLIT_OTHER_SOCKET), 64, 1, 128, 1,
		   "TIME-WAIT, no owner: other_socket");
	ASSERT_EQ(ifsplit_rows(S, NS_A, 2, SPLIT_BY_CGROUP, &rows), 4, "2 cgroups, 2 more");
	counts_are(rrow(S, SPLIT_BY_CGROUP, SPLIT_REMAINDER), 0, 0, 0, 0, "all explained");
	sums_to(S, &d, SPLIT_BY_PROCESS, "process sums");
	sums_to(S, &d, SPLIT_BY_CGROUP, "cgroup sums");
	ifsplit_free(S);
}

TEST(ifsplit_devices)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner a = own(100, 5000, 10);
	struct split_dev d[2] = { dev(NS_A, 2, 0, 0, 0, 0, 0), dev(NS_B, 2, 0, 0, 0, 0, 0) };
	const struct split_row *rows = NULL;
	struct ent e[5];

	refresh(S, 1, NULL, 0, d, 2, 0, NULL);
	e[0] = sock(1, 10, &a, 100, 1, 0, 0);
	e[1] = sock(2, 10, &a, 200, 2, 0, 0);
	e[1].k.netns = NS_B;
	e[1].netns = NS_B;
	/* the key knows no netns: the argument decides */
	e[2] = sock(3, 10, &a, 400, 4, 0, 0);
	e[2].k.netns = 0;
	e[2].netns = NS_B;
	e[3] = sock(4, 10, NULL, 800, 8, 0, 0);
	e[3].k.netns = 0;
	/* a device not handed to ifsplit_end */
	e[4] = E(SOCKTAP_NETDEV_SOCKET, 9, 5, 10, &a, 50, 1, 0, 0);
	d[0] = dev(NS_A, 2, 0, 900, 9, 0, 0);
	d[1] = dev(NS_B, 2, 0, 600, 6, 0, 0);
	refresh(S, 2, e, 5, d, 2, 0, NULL);
	counts_are(prow(S, 100, 5000), 100, 1, 0, 0, "NS_A's device 2");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_OTHER_SOCKET), 800, 8, 0, 0,
		   "NS_A's, by the argument");
	counts_are(find(S, NS_B, 2, SPLIT_BY_PROCESS, SPLIT_OWNED, 100, 5000), 600, 6, 0, 0,
		   "NS_B's device 2: its own and the argument's");
	counts_are(find(S, NS_B, 2, SPLIT_BY_CGROUP, SPLIT_OWNED, 0, 10), 600, 6, 0, 0,
		   "NS_B's by cgroup");
	ASSERT_NULL(find(S, NS_B, 2, SPLIT_BY_PROCESS, SPLIT_OTHER_SOCKET, 0, 0),
		    "no other_socket in NS_B");
	/* by cgroup the ownerless socket is its key's cgroup's, as the owned one */
	counts_are(crow(S, 10), 900, 9, 0, 0, "NS_A's by cgroup");
	sums_to(S, &d[0], SPLIT_BY_PROCESS, "NS_A sums");
	sums_to(S, &d[1], SPLIT_BY_PROCESS, "NS_B sums");
	ASSERT_EQ(ifsplit_rows(S, NS_A, 9, SPLIT_BY_PROCESS, &rows), 0, "device not handed in");
	ASSERT_NULL(rows, "and no rows");
	ASSERT_EQ(ifsplit_rows(S, NS_A + 7, 2, SPLIT_BY_CGROUP, &rows), 0, "unknown netns");

	/* NS_B's device not handed in this time: no rows; then back, whole */
	refresh(S, 3, e, 5, d, 1, 0, NULL);
	ASSERT_EQ(ifsplit_rows(S, NS_B, 2, SPLIT_BY_PROCESS, &rows), 0, "NS_B absent");
	ASSERT_EQ(ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows), 3, "NS_A still there");
	refresh(S, 4, e, 5, d, 2, 0, NULL);
	counts_are(find(S, NS_B, 2, SPLIT_BY_PROCESS, SPLIT_OWNED, 100, 5000), 600, 6, 0, 0,
		   "NS_B back");
	ifsplit_free(S);
}

TEST(ifsplit_prune_idle_keeps_counts)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner o = own(100, 5000, 10);
	struct split_dev d = dev(NS_A, 2, 14, 0, 0, 0, 0);
	const struct socktap_netdev_key *rm;
	struct ent e[2];
	size_t n;

	/* A counts 100/1 before the split */
	e[0] = sock(1, 10, &o, 100, 1, 0, 0);
	ASSERT_EQ(refresh(S, 1, e, 1, &d, 1, 2, &rm), 0, "refresh 1: none");
	/* A moves (+1000/10), B new: 300/3 */
	set_counts(&e[0], 1100, 11, 0, 0);
	e[1] = sock(2, 10, &o, 300, 3, 0, 0);
	d = dev(NS_A, 2, 14, 1300 + 14 * 13, 13, 0, 0);
	ASSERT_EQ(refresh(S, 2, e, 2, &d, 1, 2, &rm), 0, "refresh 2: none");
	counts_are(prow(S, 100, 5000), 1300 + 14 * 13, 13, 0, 0, "refresh 2");
	/* B gone from the kernel, not by us: folded, not to remove */
	ASSERT_EQ(refresh(S, 3, e, 1, &d, 1, 2, &rm), 0, "refresh 3: A idle 1, B gone");
	counts_are(prow(S, 100, 5000), 1482, 13, 0, 0, "B's counts kept");
	counts_are(crow(S, 10), 1482, 13, 0, 0, "B's counts kept by cgroup");
	/* A idle for 2 refreshes: to remove */
	n = refresh(S, 4, e, 1, &d, 1, 2, &rm);
	if (ASSERT_EQ(n, 1, "refresh 4: A idle 2"))
		ASSERT_OK(memcmp(&rm[0], &e[0].k, sizeof(rm[0])), "A's key");
	counts_are(prow(S, 100, 5000), 1482, 13, 0, 0, "A's counts kept");
	sums_to(S, &d, SPLIT_BY_PROCESS, "sums after the fold");
	/* the caller deleted it */
	ASSERT_EQ(refresh(S, 5, NULL, 0, &d, 1, 2, &rm), 0, "refresh 5: none");
	counts_are(prow(S, 100, 5000), 1482, 13, 0, 0, "cumulative does not drop");
	counts_are(crow(S, 10), 1482, 13, 0, 0, "nor by cgroup");
	/* the kernel made A again: it counts from zero, on top */
	set_counts(&e[0], 50, 1, 0, 0);
	d = dev(NS_A, 2, 14, 1350 + 14 * 14, 14, 0, 0);
	ASSERT_EQ(refresh(S, 6, e, 1, &d, 1, 2, &rm), 0, "refresh 6: none");
	counts_are(prow(S, 100, 5000), 1350 + 14 * 14, 14, 0, 0, "old + new");
	counts_are(crow(S, 10), 1546, 14, 0, 0, "old + new by cgroup");
	sums_to(S, &d, SPLIT_BY_CGROUP, "sums after it came back");
	ifsplit_free(S);
}

TEST(ifsplit_prune_idle_counts_reset_by_moves)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner o = own(100, 5000, 10);
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	const struct socktap_netdev_key *rm;
	struct ent e = sock(1, 10, &o, 0, 0, 0, 0);

	refresh(S, 1, NULL, 0, &d, 1, 2, &rm);
	ASSERT_EQ(refresh(S, 2, &e, 1, &d, 1, 2, &rm), 0, "2: new");
	ASSERT_EQ(refresh(S, 3, &e, 1, &d, 1, 2, &rm), 0, "3: idle 1");
	set_counts(&e, 10, 1, 0, 0);
	ASSERT_EQ(refresh(S, 4, &e, 1, &d, 1, 2, &rm), 0, "4: moved");
	ASSERT_EQ(refresh(S, 5, &e, 1, &d, 1, 2, &rm), 0, "5: idle 1");
	ASSERT_EQ(refresh(S, 6, &e, 1, &d, 1, 2, &rm), 1, "6: idle 2");
	/* the list is the last refresh's only */
	ifsplit_begin(S, 7);
	ASSERT_EQ(ifsplit_end(S, &d, 1, 2, &rm), 0, "7: nothing left");
	counts_are(prow(S, 100, 5000), 10, 1, 0, 0, "kept");
	ifsplit_free(S);
}

TEST(ifsplit_prune_entry_of_first_refresh)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner o = own(100, 5000, 10);
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	const struct socktap_netdev_key *rm;
	struct ent e = sock(1, 10, &o, 5000, 50, 2000, 20);

	ASSERT_EQ(refresh(S, 1, &e, 1, &d, 1, 1, &rm), 0, "1: the starting point");
	ASSERT_EQ(refresh(S, 2, &e, 1, &d, 1, 1, &rm), 1, "2: idle 1");
	counts_are(prow(S, 100, 5000), 0, 0, 0, 0, "nothing after the start");
	/* made again by the kernel: counts from zero, not from the old start */
	set_counts(&e, 10, 1, 20, 1);
	d = dev(NS_A, 2, 0, 10, 1, 20, 1);
	ASSERT_EQ(refresh(S, 3, &e, 1, &d, 1, 1, &rm), 0, "3: new");
	counts_are(prow(S, 100, 5000), 10, 1, 20, 1, "the new entry whole");
	sums_to(S, &d, SPLIT_BY_PROCESS, "sums");
	ifsplit_free(S);
}

TEST(ifsplit_idle_zero_never_prunes)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner o = own(100, 5000, 10);
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	const struct socktap_netdev_key *rm;
	struct ent e = sock(1, 10, &o, 100, 1, 0, 0);
	size_t total = 0;

	refresh(S, 1, NULL, 0, &d, 1, 0, &rm);
	for (int i = 2; i <= 20; i++)
		total += refresh(S, i, &e, 1, &d, 1, 0, &rm);
	ASSERT_EQ(total, 0, "never removed");
	counts_are(prow(S, 100, 5000), 100, 1, 0, 0, "counted once");
	ifsplit_free(S);
}

TEST(ifsplit_rates)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner a = own(100, 5000, 10), b = own(200, 6000, 20);
	struct split_dev d = dev(NS_A, 2, 14, 0, 0, 0, 0);
	const struct split_row *r;
	struct ent e[2];

	e[0] = sock(1, 10, &a, 1000, 10, 0, 0);
	refresh(S, 100, e, 1, &d, 1, 0, NULL);
	r = prow(S, 100, 5000);
	if (ASSERT_OK_PTR(r, "A's row"))
		ASSERT_TRUE(r->rx_bps == 0 && r->tx_bps == 0, "first refresh: no rates");
	r = rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER);
	if (ASSERT_OK_PTR(r, "remainder"))
		ASSERT_TRUE(r->rx_bps == 0 && r->tx_bps == 0, "first refresh: remainder neither");

	/* 2 s: A +2000/20 in (+280 headers), +1000/10 out (+140) */
	set_counts(&e[0], 3000, 30, 1000, 10);
	d = dev(NS_A, 2, 14, 2480, 21, 1140, 10);
	refresh(S, 102, e, 1, &d, 1, 0, NULL);
	r = prow(S, 100, 5000);
	if (ASSERT_OK_PTR(r, "A's row")) {
		ASSERT_EQ((long)r->rx_bps, 1140, "2280 B over 2 s");
		ASSERT_EQ((long)r->tx_bps, 570, "1140 B over 2 s");
	}
	r = crow(S, 10);
	if (ASSERT_OK_PTR(r, "A's cgroup"))
		ASSERT_EQ((long)r->rx_bps, 1140, "by cgroup too");
	r = rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER);
	if (ASSERT_OK_PTR(r, "remainder")) {
		ASSERT_EQ((long)r->rx_bps, 100, "remainder: 200 B over 2 s");
		ASSERT_TRUE(r->tx_bps == 0, "remainder: nothing out");
	}

	/* 1 s: A still; B new at refresh 3: over the 1 s since refresh 2 */
	e[1] = sock(2, 20, &b, 500, 5, 0, 0);
	d = dev(NS_A, 2, 14, 3050, 26, 1140, 10);
	refresh(S, 103, e, 2, &d, 1, 0, NULL);
	r = prow(S, 100, 5000);
	if (ASSERT_OK_PTR(r, "A's row"))
		ASSERT_TRUE(r->rx_bps == 0 && r->tx_bps == 0, "A idle");
	r = prow(S, 200, 6000);
	if (ASSERT_OK_PTR(r, "B's row")) {
		ASSERT_EQ((long)r->rx_bps, 570, "570 B over 1 s, not over 3");
		ASSERT_TRUE(r->tx_bps == 0, "B sent nothing");
	}
	r = crow(S, 20);
	if (ASSERT_OK_PTR(r, "B's cgroup"))
		ASSERT_EQ((long)r->rx_bps, 570, "a new cgroup row too");

	/* 2 s: B +1000/10 (+140) */
	set_counts(&e[1], 1500, 15, 0, 0);
	d = dev(NS_A, 2, 14, 4190, 36, 1140, 10);
	refresh(S, 105, e, 2, &d, 1, 0, NULL);
	r = prow(S, 200, 6000);
	if (ASSERT_OK_PTR(r, "B's row"))
		ASSERT_EQ((long)r->rx_bps, 570, "1140 B over 2 s");
	r = rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER);
	if (ASSERT_OK_PTR(r, "remainder"))
		ASSERT_TRUE(r->rx_bps == 0 && r->rx_bytes == 200, "remainder unchanged");
	ifsplit_free(S);
}

TEST(ifsplit_rates_never_negative)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner o = own(300, 7000, 30);
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	const struct split_row *r;
	struct ent e = sock(7, 60, NULL, 1000, 10, 0, 0);

	refresh(S, 10, NULL, 0, &d, 1, 0, NULL);
	d = dev(NS_A, 2, 0, 1500, 15, 0, 0);
	refresh(S, 11, &e, 1, &d, 1, 0, NULL);
	r = rrow(S, SPLIT_BY_PROCESS, SPLIT_OTHER_SOCKET);
	if (ASSERT_OK_PTR(r, "other_socket"))
		ASSERT_EQ((long)r->rx_bps, 1000, "other_socket's rate");
	r = rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER);
	if (ASSERT_OK_PTR(r, "remainder"))
		ASSERT_EQ((long)r->rx_bps, 500, "remainder's rate");

	/* the owner known: other_socket shrinks; the device moved less than
	 * the rows, so the remainder shrinks too */
	e.c.rx_bytes = 2000;
	e.c.rx_packets = 20;
	e.o = &o;
	d = dev(NS_A, 2, 0, 2100, 21, 0, 0);
	refresh(S, 13, &e, 1, &d, 1, 0, NULL);
	r = rrow(S, SPLIT_BY_PROCESS, SPLIT_OTHER_SOCKET);
	if (ASSERT_OK_PTR(r, "other_socket")) {
		ASSERT_EQ(r->rx_bytes, 0, "other_socket emptied");
		ASSERT_TRUE(r->rx_bps == 0 && r->tx_bps == 0, "other_socket: 0, not negative");
	}
	r = prow(S, 300, 7000);
	if (ASSERT_OK_PTR(r, "the owner's row"))
		ASSERT_EQ((long)r->rx_bps, 1000, "new row: 2000 B over the 2 s since refresh 2");
	r = crow(S, 60);
	if (ASSERT_OK_PTR(r, "cgroup row"))
		ASSERT_EQ((long)r->rx_bps, 500, "by cgroup it never moved: 1000 B over 2 s");
	r = rrow(S, SPLIT_BY_PROCESS, SPLIT_REMAINDER);
	if (ASSERT_OK_PTR(r, "remainder")) {
		ASSERT_EQ(r->rx_bytes, 100, "remainder shrank");
		ASSERT_TRUE(r->rx_bps == 0, "remainder: 0, not negative");
	}
	ifsplit_free(S);
}

/*
 * A clock may start at 0 (ifsplit.h: "any monotonic clock"): a refresh at
 * time 0 is a refresh like any other, and the next one has rates.
 */
TEST(ifsplit_rates_clock_from_zero)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner o = own(100, 5000, 10);
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	const struct split_row *r;
	struct ent e = sock(1, 10, &o, 0, 0, 0, 0);

	refresh(S, 0, &e, 1, &d, 1, 0, NULL);
	e.c.rx_bytes = 1000;
	e.c.rx_packets = 10;
	d = dev(NS_A, 2, 0, 1000, 10, 0, 0);
	refresh(S, 1, &e, 1, &d, 1, 0, NULL);
	r = prow(S, 100, 5000);
	if (ASSERT_OK_PTR(r, "row"))
		ASSERT_EQ((long)r->rx_bps, 1000, "1000 B over the 1 s since t=0");
	ifsplit_free(S);
}

TEST(ifsplit_order)
{
	struct ifsplit *S = ifsplit_new();
	struct split_owner p1 = own(100, 5000, 10), p2 = own(200, 6000, 20),
			   p3 = own(300, 7000, 20);
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, 0, 0);
	const struct split_row *rows;
	struct ent e[6];
	size_t n;

	refresh(S, 1, NULL, 0, &d, 1, 0, NULL);
	e[0] = sock(1, 10, &p1, 100, 1, 400, 4); /* 500 B/s in all */
	e[1] = sock(2, 20, &p2, 300, 3, 0, 0); /* 300 */
	e[2] = sock(3, 20, &p3, 200, 2, 200, 2); /* 400 */
	/* reasons faster than any owner: still after them, in their order */
	e[3] = sock(0, 0, NULL, 7000, 7, 0, 0);
	e[4] = E(SOCKTAP_NETDEV_NO_SOCKET, 2, 0, 0, NULL, 0, 0, 5000, 5);
	e[5] = E(SOCKTAP_NETDEV_FORWARDED, 2, 0, 0, NULL, 0, 0, 9000, 9);
	d = dev(NS_A, 2, 0, 100000, 100, 100000, 100);
	refresh(S, 2, e, 6, &d, 1, 0, NULL);
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows);
	if (ASSERT_EQ(n, 7, "3 owners, 3 reasons, remainder")) {
		ASSERT_EQ(rows[0].pid, 100, "500 B/s first");
		ASSERT_EQ(rows[1].pid, 300, "400 B/s");
		ASSERT_EQ(rows[2].pid, 200, "300 B/s");
		ASSERT_EQ(rows[3].reason, SPLIT_FORWARDED, "then forwarded");
		ASSERT_EQ(rows[4].reason, SPLIT_NO_SOCKET, "no_socket");
		ASSERT_EQ(rows[5].reason, SPLIT_OTHER_SOCKET, "other_socket");
		ASSERT_EQ(rows[6].reason, SPLIT_REMAINDER, "remainder last");
	}
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_CGROUP, &rows);
	if (ASSERT_EQ(n, 6, "2 cgroups, 3 reasons, remainder")) {
		ASSERT_EQ(rows[0].cgroup, 20, "700 B/s first");
		ASSERT_EQ(rows[1].cgroup, 10, "500 B/s");
		ASSERT_EQ(rows[2].reason, SPLIT_FORWARDED, "then forwarded");
		ASSERT_EQ(rows[5].reason, SPLIT_REMAINDER, "remainder last");
	}

	/* by rate, not total: p1 has more bytes than p3 but is idle now */
	set_counts(&e[1], 1300, 13, 0, 0);
	set_counts(&e[2], 210, 3, 200, 2);
	refresh(S, 3, e, 6, &d, 1, 0, NULL);
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows);
	if (ASSERT_EQ(n, 7, "the same rows")) {
		ASSERT_EQ(rows[0].pid, 200, "1000 B/s first");
		ASSERT_EQ(rows[1].pid, 300, "10 B/s");
		ASSERT_EQ(rows[2].pid, 100, "idle: after p3 despite more bytes");
		ASSERT_EQ(rows[6].reason, SPLIT_REMAINDER, "remainder last");
	}
	ifsplit_free(S);
}

/* Many entries and rows on several devices: every table grows, nothing lost. */
TEST(ifsplit_many)
{
	enum { NDEV = 3, NSOCK = 150 };
	struct ifsplit *S = ifsplit_new();
	static struct split_owner o[NSOCK];
	static struct ent e[NDEV * NSOCK];
	static bool seen[NDEV * NSOCK];
	struct split_dev d[NDEV];
	const struct socktap_netdev_key *rm;
	const struct split_row *rows;
	bool ok = true;
	size_t n;

	for (int i = 0; i < NSOCK; i++)
		o[i] = own(1000 + i, 5000 + i, 100 + i % 10);
	for (int j = 0; j < NDEV; j++) {
		uint64_t rx = 0;

		for (int i = 0; i < NSOCK; i++) {
			e[j * NSOCK + i] = E(SOCKTAP_NETDEV_SOCKET, 2 + j, 1 + j * NSOCK + i,
					     100 + i % 10, &o[i], (i + 1) * 10, 1, 0, 0);
			rx += (i + 1) * 10 + 14;
		}
		d[j] = dev(NS_A, 2 + j, 14, rx + 1000, NSOCK + 10, 0, 0);
	}
	refresh(S, 1, NULL, 0, d, NDEV, 1, &rm);
	ASSERT_EQ(refresh(S, 2, e, NDEV * NSOCK, d, NDEV, 1, &rm), 0, "2: all new");
	for (int j = 0; j < NDEV; j++) {
		n = ifsplit_rows(S, NS_A, 2 + j, SPLIT_BY_PROCESS, &rows);
		ok &= ASSERT_EQ(n, NSOCK + 1, "a row per process and the remainder");
		ok &= ASSERT_EQ(rows[0].pid, 1000 + NSOCK - 1, "the fastest first");
		ok &= ASSERT_EQ(rows[0].rx_bytes, NSOCK * 10 + 14, "its bytes");
		ok &= counts_are(&rows[n - 1], 1000, 10, 0, 0, "remainder");
		n = ifsplit_rows(S, NS_A, 2 + j, SPLIT_BY_CGROUP, &rows);
		ok &= ASSERT_EQ(n, 11, "ten cgroups and the remainder");
		ok &= sums_to(S, &d[j], SPLIT_BY_PROCESS, "process sums");
		ok &= sums_to(S, &d[j], SPLIT_BY_CGROUP, "cgroup sums");
		if (!ok)
			break;
	}
	/* all idle for a refresh: all to remove, no count lost */
	n = refresh(S, 3, e, NDEV * NSOCK, d, NDEV, 1, &rm);
	ASSERT_EQ(n, NDEV * NSOCK, "3: all idle");
	/* each key once: the cookie says which entry */
	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < n && i < NDEV * NSOCK; i++) {
		uint64_t c = rm[i].cookie;

		if (!ASSERT_TRUE(c >= 1 && c <= NDEV * NSOCK && !seen[c - 1], "a key, once") ||
		    !ASSERT_OK(memcmp(&rm[i], &e[c - 1].k, sizeof(rm[i])), "the whole key"))
			break;
		seen[c - 1] = true;
	}
	ASSERT_EQ(refresh(S, 4, NULL, 0, d, NDEV, 1, &rm), 0, "4: the table empty");
	for (int j = 0; j < NDEV; j++) {
		const struct split_row *r =
			find(S, NS_A, 2 + j, SPLIT_BY_PROCESS, SPLIT_OWNED, 1000 + 7, 5000 + 7);

		ok = counts_are(r, 80 + 14, 1, 0, 0, "a process's row kept");
		ok &= sums_to(S, &d[j], SPLIT_BY_PROCESS, "process sums after the fold");
		ok &= sums_to(S, &d[j], SPLIT_BY_CGROUP, "cgroup sums after the fold");
		if (!ok)
			break;
	}
	ifsplit_free(S);
}

/*
 * Past IFSPLIT_OWNERS_KEEP owners, those with nothing in the kernel's table
 * and still for IFSPLIT_GONE_S fold into one "gone" row: the sums stay
 * exact, the rate does not jump, and an owner that comes back starts a
 * row of its own again.
 */
TEST(ifsplit_gone_owners)
{
	enum { N = IFSPLIT_OWNERS_KEEP + 88 };
	static struct split_owner o[N];
	static struct ent e[N];
	struct ifsplit *S = ifsplit_new();
	struct split_dev d = dev(NS_A, 2, 0, 0, 0, (uint64_t)N * 100, N);
	const struct split_row *rows, *g;
	const struct socktap_netdev_key *rm;
	size_t n;

	for (unsigned int i = 0; i < N; i++) {
		o[i] = own(100 + i, 1, 7);
		e[i] = sock(1000 + i, 7, &o[i], 0, 0, 100, 1);
	}
	/* the first refresh's counts are starting points: an empty one first */
	refresh(S, 1, NULL, 0, &d, 1, 2, NULL);
	refresh(S, 2, e, N, &d, 1, 2, NULL);
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows);
	ASSERT_EQ(n, (size_t)N + 1, "every owner, then the remainder");
	/* idle: the kernel's entries go (idle 2), the rows stay for a minute */
	refresh(S, 3, e, N, &d, 1, 2, &rm);
	ASSERT_EQ(refresh(S, 4, e, N, &d, 1, 2, &rm), (size_t)N, "all pruned");
	refresh(S, 30, NULL, 0, &d, 1, 2, NULL);
	ASSERT_EQ(ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows), (size_t)N + 1,
		  "kept under a minute");
	refresh(S, 64, NULL, 0, &d, 1, 2, NULL);
	n = ifsplit_rows(S, NS_A, 2, SPLIT_BY_PROCESS, &rows);
	ASSERT_EQ(n, 2, "gone, remainder");
	g = rrow(S, SPLIT_BY_PROCESS, SPLIT_GONE);
	counts_are(g, 0, 0, (uint64_t)N * 100, N, "every owner's bytes in gone");
	if (g)
		ASSERT_EQ((long)g->tx_bps, 0, "no jump in its rate");
	sums_to(S, &d, SPLIT_BY_PROCESS, "sums with gone");
	counts_are(crow(S, 7), 0, 0, (uint64_t)N * 100, N, "one cgroup: nothing folds");
	/* one owner comes back: a row of its own, from zero */
	set_counts(&e[5], 0, 0, 40, 1);
	d.tx_bytes += 40;
	d.tx_packets += 1;
	refresh(S, 65, &e[5], 1, &d, 1, 2, NULL);
	counts_are(prow(S, 105, 1), 0, 0, 40, 1, "back: its new bytes");
	counts_are(rrow(S, SPLIT_BY_PROCESS, SPLIT_GONE), 0, 0, (uint64_t)N * 100, N, "gone kept");
	sums_to(S, &d, SPLIT_BY_PROCESS, "sums after");
	ASSERT_STREQ(split_reason_name(SPLIT_GONE), "gone", "gone's name");
	ifsplit_free(S);
}
