// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "format.h"

static const uint64_t pow10[19] = { 10ull,
				    100ull,
				    1000ull,
				    10000ull,
				    100000ull,
				    1000000ull,
				    10000000ull,
				    100000000ull,
				    1000000000ull,
				    10000000000ull,
				    100000000000ull,
				    1000000000000ull,
				    10000000000000ull,
				    100000000000000ull,
				    1000000000000000ull,
				    10000000000000000ull,
				    100000000000000000ull,
				    1000000000000000000ull,
				    10000000000000000000ull };

size_t fmt_u64_len(uint64_t v)
{
	size_t n;

	if (v < 10)
		return 1;
	/* from the highest bit: one compare, not one per digit */
	n = (64 - (unsigned int)__builtin_clzll(v)) * 1233u >> 12; /* bits * log10(2): 1..19 */
	return v >= pow10[n - 1] ? n + 1 : n;
}

size_t fmt_u64(char *buf, uint64_t v)
{
	/* two digits per division: counters and timestamps are long */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	size_t n;
	char *p;

	/* most numbers printed are small (zero rates, ports, fds): no loop */
	if (v < 10) {
		buf[0] = (char)('0' + v);
		return 1;
	}
	/* the length first, then the digits in place from the end */
	n = fmt_u64_len(v);
	p = buf + n;
	while (v >= 100) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		p -= 2;
		memcpy(p, pairs + r * 2, 2);
	}
	if (v >= 10)
		memcpy(p - 2, pairs + v * 2, 2);
	else
		p[-1] = (char)('0' + v);
	return n;
}

/* One octet, 0-255, in decimal: the digits of an address, without a division loop. */
static size_t fmt_octet(char *buf, unsigned int v)
{
	if (v >= 100) {
		buf[0] = (char)('0' + v / 100);
		buf[1] = (char)('0' + v / 10 % 10);
		buf[2] = (char)('0' + v % 10);
		return 3;
	}
	if (v >= 10) {
		buf[0] = (char)('0' + v / 10);
		buf[1] = (char)('0' + v % 10);
		return 2;
	}
	buf[0] = (char)('0' + v);
	return 1;
}

size_t fmt_ipv4(char *buf, const uint8_t a[4])
{
	size_t n = fmt_octet(buf, a[0]);

	for (int i = 1; i < 4; i++) {
		buf[n++] = '.';
		n += fmt_octet(buf + n, a[i]);
	}
	return n;
}
