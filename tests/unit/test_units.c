// SPDX-License-Identifier: GPL-2.0
#include <math.h> /* NAN, INFINITY (the tests link no libm) */
#include <stdio.h>
#include <string.h>
#include "units.h"
#include "unit.h"

static const char *rate(double bytes_per_s, bool bits)
{
	static char buf[UNITS_LEN];

	fmt_rate(buf, sizeof(buf), bytes_per_s, bits);
	return buf;
}

static const char *size(uint64_t bytes)
{
	static char buf[UNITS_LEN];

	fmt_size(buf, sizeof(buf), bytes);
	return buf;
}

TEST(units_rate_bits)
{
	ASSERT_STREQ(rate(0, true), "0b", "zero");
	ASSERT_STREQ(rate(1, true), "8b", "one byte a second");
	ASSERT_STREQ(rate(124.9, true), "999b", "just under a kilobit");
	/* 999.6 b rounds to 1000: the next unit, not "1000b" */
	ASSERT_STREQ(rate(124.95, true), "1.00Kb", "rounds into Kb");
	ASSERT_STREQ(rate(125, true), "1.00Kb", "1000-based");
	ASSERT_STREQ(rate(153.75, true), "1.23Kb", "1.23Kb");
	ASSERT_STREQ(rate(1537.5, true), "12.3Kb", "12.3Kb");
	/* 9.996 Kb: three digits, "10.0Kb", not "10.00Kb" */
	ASSERT_STREQ(rate(1249.5, true), "10.0Kb", "2 decimals carry");
	ASSERT_STREQ(rate(12499.5, true), "100Kb", "1 decimal carries");
	ASSERT_STREQ(rate(1537500, true), "12.3Mb", "12.3Mb");
	ASSERT_STREQ(rate(15375000, true), "123Mb", "123Mb");
	ASSERT_STREQ(rate(131250000, true), "1.05Gb", "1.05Gb");
	ASSERT_STREQ(rate(1.25e12, true), "10.0Tb", "Tb");
	ASSERT_STREQ(rate(6.25e14, true), "5000Tb", "past the last unit");
}

TEST(units_rate_bytes)
{
	ASSERT_STREQ(rate(0, false), "0B", "zero");
	ASSERT_STREQ(rate(999, false), "999B", "999B");
	ASSERT_STREQ(rate(999.4, false), "999B", "rounds down");
	/* iftop's 1000-against-1024 gap: 1000 bytes is 0.98 KB */
	ASSERT_STREQ(rate(1000, false), "0.98KB", "the gap below 1024");
	ASSERT_STREQ(rate(1024, false), "1.00KB", "1024-based");
	ASSERT_STREQ(rate(1259.52, false), "1.23KB", "1.23KB");
	ASSERT_STREQ(rate(12.3 * 1024 * 1024, false), "12.3MB", "12.3MB");
	ASSERT_STREQ(rate(123.0 * 1024 * 1024, false), "123MB", "123MB");
	ASSERT_STREQ(rate(5.0 * 1024 * 1024 * 1024, false), "5.00GB", "GB");
}

TEST(units_rate_bad_input)
{
	char buf[4];

	ASSERT_STREQ(rate(-5, true), "0b", "negative");
	ASSERT_STREQ(rate(NAN, true), "0b", "NaN");
	ASSERT_STREQ(rate(INFINITY, false), "0B", "infinity");
	/* truncated, terminated, and the length says what is there */
	ASSERT_EQ(fmt_rate(buf, sizeof(buf), 153.75, true), 3, "length of the truncated text");
	ASSERT_STREQ(buf, "1.2", "truncated");
	ASSERT_EQ(fmt_rate(buf, 0, 153.75, true), 0, "no room");
}

TEST(units_size)
{
	ASSERT_STREQ(size(0), "0B", "zero");
	ASSERT_STREQ(size(512), "512B", "bytes");
	ASSERT_STREQ(size(1024), "1.00KB", "KB");
	ASSERT_STREQ(size(1289748), "1.23MB", "1.23MB");
	ASSERT_STREQ(size(1ull << 40), "1.00TB", "TB");
	ASSERT_STREQ(size(UINT64_MAX), "16777216TB", "the largest count");
	ASSERT_LT(strlen(size(UINT64_MAX)), UNITS_LEN, "under UNITS_LEN");
}

TEST(units_scale_max)
{
	ASSERT_EQ((long long)scale_max(0, 0, true), 64000, "the smallest step");
	ASSERT_EQ((long long)scale_max(64000, 0, true), 64000, "a step holds itself");
	ASSERT_EQ((long long)scale_max(64001, 0, true), 128000, "next step");
	ASSERT_EQ((long long)scale_max(5e6, 0, true), 10000000, "10 Mb/s");
	ASSERT_EQ((long long)scale_max(2e9, 0, true), 10000000000ll, "past the table: tenfold");
	ASSERT_EQ((long long)scale_max(100, 1e6, true), 1000000, "never shrinks");
	ASSERT_EQ((long long)scale_max(0, 0, false), 8000, "bytes: an eighth");
	ASSERT_EQ((long long)scale_max(9000, 0, false), 16000, "bytes: next step");
}

static bool near(double a, double b)
{
	return a - b < 1e-12 && b - a < 1e-12;
}

TEST(units_scale_fraction)
{
	ASSERT_TRUE(scale_fraction(0, 1e6) == 0, "zero is no bar");
	ASSERT_TRUE(scale_fraction(1, 1e6) == 0, "one is no bar");
	ASSERT_TRUE(scale_fraction(2e6, 1e6) == 1, "over the top is full");
	ASSERT_TRUE(near(scale_fraction(1e3, 1e6), 0.5), "1e3 of 1e6: half");
	ASSERT_TRUE(near(scale_fraction(1e2, 1e6), 1.0 / 3), "1e2 of 1e6: a third");
	/* ln(64000) / ln(1e9) and ln(1.5) / ln(8000), from libm */
	ASSERT_TRUE(near(scale_fraction(64000, 1e9), 0.5340199971093208), "as libm");
	ASSERT_TRUE(near(scale_fraction(1.5, 8000), 0.04511585939410848), "small values as libm");
	ASSERT_TRUE(scale_fraction(NAN, 1e6) == 0, "NaN");
}

TEST(units_ticks)
{
	char buf[UNITS_LEN];

	ASSERT_TRUE(scale_tick(0, true) == 1, "first tick");
	ASSERT_TRUE(scale_tick(4, true) == 10000, "10Kb");
	ASSERT_TRUE(scale_tick(4, false) == 10240, "10KB");
	fmt_tick(buf, sizeof(buf), 1, true);
	ASSERT_STREQ(buf, "10b", "10b");
	fmt_tick(buf, sizeof(buf), 3, true);
	ASSERT_STREQ(buf, "1Kb", "1Kb");
	fmt_tick(buf, sizeof(buf), 8, false);
	ASSERT_STREQ(buf, "100MB", "100MB");
	fmt_tick(buf, sizeof(buf), 15, true);
	ASSERT_STREQ(buf, "", "past the units");
}
