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

size_t fmt_ipv4(char *buf, const uint8_t a[4])
{
	size_t n = 0;

	for (int i = 0; i < 4; i++) {
		if (i)
			buf[n++] = '.';
		n += fmt_u64(buf + n, a[i]);
	}
	return n;
}
