// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "events.h"
#include "strbuf.h"
#include "unit.h"

static const char *v4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
	static char buf[64];
	uint8_t addr[16] = { a, b, c, d };

	format_addr(buf, sizeof(buf), AF_INET, addr);
	return buf;
}

TEST(events_format_addr_v4)
{
	ASSERT_STREQ(v4(0, 0, 0, 0), "0.0.0.0", "all zero");
	ASSERT_STREQ(v4(255, 255, 255, 255), "255.255.255.255", "widest");
	ASSERT_STREQ(v4(198, 18, 0, 1), "198.18.0.1", "test range");
	ASSERT_STREQ(v4(10, 100, 9, 200), "10.100.9.200", "two and three digits");
	ASSERT_STREQ(v4(127, 0, 0, 1), "127.0.0.1", "loopback");
}

TEST(events_format_addr_v6)
{
	uint8_t a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	uint8_t lo[16] = { [15] = 1 };
	char buf[64];

	format_addr(buf, sizeof(buf), AF_INET6, a);
	ASSERT_STREQ(buf, "2001:db8::1", "documentation prefix");
	format_addr(buf, sizeof(buf), AF_INET6, lo);
	ASSERT_STREQ(buf, "::1", "loopback");
}

TEST(events_format_time)
{
	/* 2026-11-26T23:02:17.000042Z, and within the same second */
	uint64_t t = 1795734137ULL * 1000000000ULL + 42999;
	char buf[64];

	setenv("TZ", "UTC", 1);
	tzset();
	format_iso_time(buf, sizeof(buf), t);
	ASSERT_STREQ(buf, "2026-11-26T23:02:17.000042Z", "ISO 8601, microseconds");
	format_iso_time(buf, sizeof(buf), t + 999000000ULL);
	ASSERT_STREQ(buf, "2026-11-26T23:02:17.999042Z", "same second, cached part");
	format_iso_time(buf, sizeof(buf), t + 1000000000ULL);
	ASSERT_STREQ(buf, "2026-11-26T23:02:18.000042Z", "next second");
	format_clock_time(buf, sizeof(buf), t);
	ASSERT_STREQ(buf, "23:02:17.000042", "clock time");
	format_iso_time(buf, 10, t);
	ASSERT_STREQ(buf, "", "too small a buffer: empty, not cut");
}

TEST(strbuf_grows)
{
	struct strbuf sb = { 0 };
	char big[10000];

	memset(big, 'x', sizeof(big));
	for (int i = 0; i < 5000; i++)
		sb_putc(&sb, 'a');
	sb_put(&sb, big, sizeof(big));
	sb_puts(&sb, "end");
	sb_u64(&sb, 18446744073709551615ULL);
	ASSERT_EQ(sb.len, 5000 + sizeof(big) + 3 + 20, "every byte kept");
	ASSERT_TRUE(sb.cap >= sb.len, "capacity covers length");
	ASSERT_TRUE(memcmp(sb.p + 15000, "end18446744073709551615", 23) == 0, "tail intact");
	ASSERT_EQ(sb.p[4999], 'a', "head intact");
	sb_free(&sb);
}
