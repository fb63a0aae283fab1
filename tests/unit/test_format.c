// SPDX-License-Identifier: GPL-2.0
#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include "format.h"
#include "unit.h"

/* v as fmt_u64 writes it; "length" when fmt_u64_len counts otherwise */
static const char *u64s(uint64_t v)
{
	static char buf[32];
	size_t n = fmt_u64(buf, v);

	if (fmt_u64_len(v) != n)
		return "length";
	buf[n] = '\0';
	return buf;
}

TEST(format_u64)
{
	char want[32];
	const uint64_t v[] = { 0, 9, 10, 65535, 4294967295u, 18446744073709551615ull };

	uint64_t p = 1, x = 0x9e3779b97f4a7c15ull;

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++) {
		snprintf(want, sizeof(want), "%llu", (unsigned long long)v[i]);
		ASSERT_STREQ(u64s(v[i]), want, "as printf");
	}
	/* every length: each side of every power of ten */
	for (int k = 1; k <= 19; k++) {
		p *= 10;
		for (uint64_t w = p - 1; w <= p + 1; w++) {
			snprintf(want, sizeof(want), "%llu", (unsigned long long)w);
			if (!ASSERT_STREQ(u64s(w), want, "power of ten as printf"))
				return;
		}
	}
	/* each side of every power of two, where the length's estimate
	 * from the highest bit steps */
	for (int k = 3; k < 64; k++) {
		for (uint64_t w = (1ull << k) - 1; w <= (1ull << k) + 1; w++) {
			snprintf(want, sizeof(want), "%llu", (unsigned long long)w);
			if (!ASSERT_STREQ(u64s(w), want, "power of two as printf"))
				return;
		}
	}
	/* and numbers of every size, scattered */
	for (int i = 0; i < 1000; i++) {
		uint64_t w;

		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		w = x >> (i % 64);
		snprintf(want, sizeof(want), "%llu", (unsigned long long)w);
		if (!ASSERT_STREQ(u64s(w), want, "scattered as printf"))
			return;
	}
}

TEST(format_ipv4)
{
	const uint8_t a[][4] = { { 0, 0, 0, 0 },
				 { 127, 0, 0, 1 },
				 { 255, 255, 255, 255 },
				 { 198, 18, 0, 10 } };
	const char *want[] = { "0.0.0.0", "127.0.0.1", "255.255.255.255", "198.18.0.10" };
	char buf[16];

	for (size_t i = 0; i < 4; i++) {
		buf[fmt_ipv4(buf, a[i])] = '\0';
		ASSERT_STREQ(buf, want[i], "as inet_ntop");
	}
	/* every octet value, in every position */
	for (unsigned int v = 0; v < 256; v++) {
		const uint8_t x[4] = { (uint8_t)v, (uint8_t)(255 - v), (uint8_t)(v / 2), 9 };
		char ref[INET_ADDRSTRLEN];

		inet_ntop(AF_INET, x, ref, sizeof(ref));
		buf[fmt_ipv4(buf, x)] = '\0';
		if (!ASSERT_STREQ(buf, ref, "every octet as inet_ntop"))
			break;
	}
}
