// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "ifstats.h"
#include "units.h"
#include "unit.h"

/* One interface's sample: counters in bytes (packets = bytes / 1000). */
static void one(struct link_set *set, int ifindex, const char *name, uint64_t rx, uint64_t tx)
{
	static struct link_sample v[4];

	memset(&v[set->n], 0, sizeof(v[0]));
	v[set->n].netns = 7;
	v[set->n].ifindex = ifindex;
	snprintf(v[set->n].name, sizeof(v[0].name), "%s", name);
	v[set->n].rx_bytes = rx;
	v[set->n].tx_bytes = tx;
	v[set->n].rx_packets = rx / 1000;
	v[set->n].tx_packets = tx / 1000;
	v[set->n].up = 1;
	set->v = v;
	set->n++;
}

TEST(ifstats_totals_rates_windows)
{
	struct ifstats S;
	struct link_set set = { 0 };
	const struct if_dev *d;

	/* sampled every 0.5 s, an average window of 2 s (4 samples) */
	ifstats_init(&S, 0.5, 2, 8);
	/* the kernel's counters already stand at 1,000,000: totals start at 0 */
	set.n = 0, one(&set, 2, "eth0", 1000000, 5000000);
	ifstats_update(&S, &set, 10.0);
	d = &S.v[0];
	ASSERT_EQ(d->total.rx_bytes, 0, "starts at zero");
	/* 100 kB/s in, 50 kB/s out for 2 s */
	for (int i = 1; i <= 4; i++) {
		set.n = 0, one(&set, 2, "eth0", 1000000 + i * 50000, 5000000 + i * 25000);
		ifstats_update(&S, &set, 10.0 + i * 0.5);
	}
	d = &S.v[0];
	ASSERT_EQ(d->total.rx_bytes, 200000, "rx since start");
	ASSERT_EQ(d->total.tx_bytes, 100000, "tx since start");
	ASSERT_EQ(d->total.rx_packets, 200, "packets since start");
	ASSERT_EQ((long)d->interval.rx, 100000, "interval rate");
	ASSERT_EQ((long)d->cur.tx, 50000, "Curr over the last second");
	/* then 300 kB/s for one sample: Curr spans a second (2 samples) */
	set.n = 0, one(&set, 2, "eth0", 1200000 + 150000, 5100000);
	ifstats_update(&S, &set, 12.5);
	d = &S.v[0];
	ASSERT_EQ((long)d->interval.rx, 300000, "interval follows at once");
	ASSERT_EQ((long)d->cur.rx, 200000, "Curr: the last second");
	/* Avg: the last 2 s (4 intervals): 150000 + 3 x 50000 over 2 s */
	ASSERT_EQ((long)d->avg.rx, 150000, "Avg over the window");
	ASSERT_EQ((long)d->max.rx, 200000, "Max of Curr");
	ASSERT_EQ((long)d->min.rx, 100000, "Min of Curr");
	/* out: the last second half idle */
	ASSERT_EQ((long)d->min.tx, 25000, "Min of Curr out");
	ifstats_free(&S);
}

TEST(ifstats_reset_and_gone)
{
	struct ifstats S;
	struct link_set set = { 0 };

	ifstats_init(&S, 1, 10, 4);
	set.n = 0, one(&set, 3, "veth0", 900000, 0), one(&set, 4, "veth1", 10, 10);
	ifstats_update(&S, &set, 1);
	set.n = 0, one(&set, 3, "veth0", 1000000, 0), one(&set, 4, "veth1", 10, 10);
	ifstats_update(&S, &set, 2);
	/* the driver reset its counters: counting goes on from zero */
	set.n = 0, one(&set, 3, "veth0", 4000, 0);
	ifstats_update(&S, &set, 3);
	ASSERT_EQ(S.v[0].total.rx_bytes, 104000, "a reset loses nothing counted");
	ASSERT_FALSE(S.v[0].gone, "still there");
	ASSERT_TRUE(S.v[1].gone, "veth1 went away");
	ASSERT_EQ(S.v[1].total.rx_bytes, 0, "its totals kept");
	/* back again, same index: counted on */
	set.n = 0, one(&set, 3, "veth0", 5000, 0), one(&set, 4, "veth1", 30, 10);
	ifstats_update(&S, &set, 4);
	ASSERT_FALSE(S.v[1].gone, "back");
	ASSERT_EQ(S.v[1].total.rx_bytes, 20, "counted on");
	ifstats_free(&S);
}

TEST(units_nload)
{
	char buf[32];

	fmt_nload(buf, sizeof(buf), 0, 'h', 2, true);
	ASSERT_STREQ(buf, "0.00 Bit/s", "zero");
	fmt_nload(buf, sizeof(buf), 128, 'h', 2, true);
	ASSERT_STREQ(buf, "1.00 kBit/s", "1024 bits are a kBit");
	fmt_nload(buf, sizeof(buf), 1.5 * 1024 * 1024, 'H', 2, false);
	ASSERT_STREQ(buf, "1.50 MByte", "human bytes");
	fmt_nload(buf, sizeof(buf), 3ull << 40, 'H', 2, false);
	ASSERT_STREQ(buf, "3072.00 GByte", "G is the largest");
	fmt_nload(buf, sizeof(buf), 1024, 'K', 2, true);
	ASSERT_STREQ(buf, "1.00 kByte/s", "fixed K");
	fmt_nload(buf, sizeof(buf), 1024, 'm', 3, true);
	ASSERT_STREQ(buf, "0.008 MBit/s", "fixed m");
	ASSERT_TRUE(nload_unit_valid('G'), "G");
	ASSERT_FALSE(nload_unit_valid('x'), "x");
	ASSERT_FALSE(nload_unit_valid('\0'), "empty");
}
