// SPDX-License-Identifier: GPL-2.0
#include <string.h>
#include "format.h"

size_t fmt_u64(char *buf, uint64_t v)
{
	/* two digits per division: counters and timestamps are long */
	static const char pairs[] = "00010203040506070809101112131415161718192021222324"
				    "25262728293031323334353637383940414243444546474849"
				    "50515253545556575859606162636465666768697071727374"
				    "75767778798081828384858687888990919293949596979899";
	char tmp[20];
	size_t i = sizeof(tmp), n;

	while (v >= 100) {
		unsigned int r = (unsigned int)(v % 100);

		v /= 100;
		tmp[--i] = pairs[r * 2 + 1];
		tmp[--i] = pairs[r * 2];
	}
	if (v >= 10) {
		tmp[--i] = pairs[v * 2 + 1];
		tmp[--i] = pairs[v * 2];
	} else {
		tmp[--i] = (char)('0' + v);
	}
	n = sizeof(tmp) - i;
	memcpy(buf, tmp + i, n);
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
