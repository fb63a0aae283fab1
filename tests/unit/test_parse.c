// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include "parse.h"
#include "unit.h"

/* The sentinel shows that a rejected string leaves *out alone. */
#define SENTINEL 0xdeadbeefULL

TEST(parse_u64_accepts_in_range)
{
	uint64_t v = SENTINEL;

	ASSERT_OK(parse_u64("0", 0, 65535, &v), "parse 0");
	ASSERT_EQ(v, 0, "value 0");
	ASSERT_OK(parse_u64("65535", 0, 65535, &v), "parse 65535");
	ASSERT_EQ(v, 65535, "value 65535");
	ASSERT_OK(parse_u64("1", 1, 1, &v), "min == max");
	ASSERT_EQ(v, 1, "value 1");
	ASSERT_OK(parse_u64("007", 0, 10, &v), "leading zeros");
	ASSERT_EQ(v, 7, "value 007");
	ASSERT_OK(parse_u64("18446744073709551615", 0, UINT64_MAX, &v), "parse u64 max");
	ASSERT_EQ(v, UINT64_MAX, "value u64 max");
}

TEST(parse_u64_rejects_malformed)
{
	static const char *const bad[] = {
		"", "-1", "+1", "12x", " 1", "1 ", "x", "0x10", "1.5", "\t7", "1\n",
	};
	uint64_t v = SENTINEL;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char name[64];

		snprintf(name, sizeof(name), "reject \"%s\"", bad[i]);
		ASSERT_EQ(parse_u64(bad[i], 0, UINT64_MAX, &v), -1, name);
	}
	ASSERT_EQ(parse_u64(NULL, 0, UINT64_MAX, &v), -1, "reject NULL");
	ASSERT_EQ(v, SENTINEL, "out untouched");
}

TEST(parse_u64_rejects_out_of_range)
{
	uint64_t v = SENTINEL;

	ASSERT_EQ(parse_u64("65536", 0, 65535, &v), -1, "above max");
	ASSERT_EQ(parse_u64("0", 1, 65535, &v), -1, "below min");
	ASSERT_EQ(parse_u64("9", 10, 20, &v), -1, "below min 10");
	ASSERT_EQ(parse_u64("21", 10, 20, &v), -1, "above max 20");
	ASSERT_EQ(parse_u64("99999999999999999999", 0, UINT64_MAX, &v), -1, "overflow");
	ASSERT_EQ(parse_u64("18446744073709551616", 0, UINT64_MAX, &v), -1, "u64 max + 1");
	ASSERT_EQ(v, SENTINEL, "out untouched");
	ASSERT_OK(parse_u64("10", 10, 20, &v), "min itself");
	ASSERT_EQ(v, 10, "value 10");
	ASSERT_OK(parse_u64("20", 10, 20, &v), "max itself");
	ASSERT_EQ(v, 20, "value 20");
}

TEST(parse_secs_range)
{
	double v = 0;

	ASSERT_OK(parse_secs("0.5", 0.1, 3600, &v), "a fraction");
	ASSERT_TRUE(v == 0.5, "0.5");
	ASSERT_OK(parse_secs("3600", 0.1, 3600, &v), "the maximum");
	ASSERT_ERR(parse_secs("0.05", 0.1, 3600, &v), "below");
	ASSERT_ERR(parse_secs("3601", 0.1, 3600, &v), "above");
	ASSERT_ERR(parse_secs("", 0.1, 3600, &v), "empty");
	ASSERT_ERR(parse_secs("1s", 0.1, 3600, &v), "trailing garbage");
	ASSERT_ERR(parse_secs("nan", 0.1, 3600, &v), "not a number");
	ASSERT_ERR(parse_secs("inf", 0.1, 1e308, &v), "infinite");
}
