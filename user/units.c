// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <string.h>
#include "units.h"

#define NUNITS 5

static const char *const bit_units[NUNITS] = { "b", "Kb", "Mb", "Gb", "Tb" };
static const char *const byte_units[NUNITS] = { "B", "KB", "MB", "GB", "TB" };

/* Copies s into buf as snprintf would; strlen(buf). */
static size_t put(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (len == 0)
		return 0;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return n;
}

/*
 * n in the largest unit that keeps it under 1000 once rounded, with three
 * significant digits: %.2f under 10, %.1f under 100, %.0f above (iftop's
 * readable_size, with the thresholds moved to where printf's rounding
 * would carry: 9.996 is "10.0", not "10.00"). The plain unit is whole.
 */
static size_t fmt_units(char *buf, size_t len, double n, double base, const char *const units[])
{
	char tmp[UNITS_LEN + 16];
	double v = n;
	int i = 0;

	/* NaN fails every comparison; infinity has no size to show */
	if (!(n >= 0) || n > 1e300)
		v = n = 0;
	while (i < NUNITS - 1 && v >= 999.5) {
		v /= base;
		i++;
	}
	if (i == 0 || v >= 99.95)
		snprintf(tmp, sizeof(tmp), "%.0f%s", v, units[i]);
	else if (v >= 9.995)
		snprintf(tmp, sizeof(tmp), "%.1f%s", v, units[i]);
	else
		snprintf(tmp, sizeof(tmp), "%.2f%s", v, units[i]);
	return put(buf, len, tmp);
}

size_t fmt_rate(char *buf, size_t len, double bytes_per_s, bool bits)
{
	if (bits)
		return fmt_units(buf, len, bytes_per_s * 8, 1000, bit_units);
	return fmt_units(buf, len, bytes_per_s, 1024, byte_units);
}

size_t fmt_size(char *buf, size_t len, uint64_t bytes)
{
	return fmt_units(buf, len, (double)bytes, 1024, byte_units);
}

/* iftop's bar scales in bits per second; past the table, tenfold steps. */
static const double scale_bits[] = { 64e3, 128e3, 256e3, 1e6, 1e7, 1e8, 1e9 };

double scale_max(double v, double cur, bool bits)
{
	double div = bits ? 1 : 8, m = 0;
	size_t i;

	for (i = 0; i < sizeof(scale_bits) / sizeof(scale_bits[0]); i++) {
		m = scale_bits[i] / div;
		if (m >= v)
			break;
	}
	/* the last step of the table, then tenfold (bounded: v may be huge) */
	for (int k = 0; m < v && k < 40; k++)
		m *= 10;
	return m > cur ? m : cur;
}

/* The natural logarithm of x > 0, without libm: x = m * 2^k with m in
 * [1, 2), then ln m = 2 atanh((m - 1) / (m + 1)), whose series converges
 * fast for (m - 1) / (m + 1) <= 1/3. */
static double ln(double x)
{
	const double ln2 = 0.69314718055994530942;
	double t, t2, term, sum = 0;
	int k = 0;

	while (x >= 2) {
		x /= 2;
		k++;
	}
	while (x < 1) {
		x *= 2;
		k--;
	}
	t = (x - 1) / (x + 1);
	t2 = t * t;
	term = t;
	for (int i = 1; i < 41; i += 2) {
		sum += term / i;
		term *= t2;
	}
	return 2 * sum + k * ln2;
}

double scale_fraction(double v, double max)
{
	double f;

	if (!(v > 1) || !(max > 1))
		return 0;
	if (v >= max)
		return 1;
	f = ln(v) / ln(max);
	return f < 0 ? 0 : f > 1 ? 1 : f;
}

double scale_tick(unsigned int n, bool bits)
{
	double base = bits ? 1000 : 1024, v = 1;

	for (unsigned int k = 0; k < n / 3; k++)
		v *= base;
	for (unsigned int k = 0; k < n % 3; k++)
		v *= 10;
	return v;
}

size_t fmt_tick(char *buf, size_t len, unsigned int n, bool bits)
{
	static const char *const mant[] = { "1", "10", "100" };
	const char *const *units = bits ? bit_units : byte_units;
	char tmp[UNITS_LEN];

	if (n / 3 >= NUNITS)
		return put(buf, len, "");
	snprintf(tmp, sizeof(tmp), "%s%s", mant[n % 3], units[n / 3]);
	return put(buf, len, tmp);
}

bool nload_unit_valid(char c)
{
	return c && strchr("hHbBkKmMgG", c);
}

size_t fmt_nload(char *buf, size_t len, double value, char unit, int decimals, bool per_s)
{
	static const char *const prefix[] = { "", "k", "M", "G" };
	bool bits = unit >= 'a' && unit <= 'z';
	double v = value > 0 && value < 1e300 ? value * (bits ? 8 : 1) : 0;
	int k = 0;
	int n;

	switch (unit) {
	case 'h':
	case 'H':
		/* the largest prefix that leaves at least 1 */
		while (k < 3 && v >= 1024) {
			v /= 1024;
			k++;
		}
		break;
	case 'k':
	case 'K':
		k = 1;
		break;
	case 'm':
	case 'M':
		k = 2;
		break;
	case 'g':
	case 'G':
		k = 3;
		break;
	}
	for (int i = 0; i < k && unit != 'h' && unit != 'H'; i++)
		v /= 1024;
	n = snprintf(buf, len, "%.*f %s%s%s", decimals, v, prefix[k], bits ? "Bit" : "Byte",
		     per_s ? "/s" : "");
	if (n < 0)
		n = 0;
	return len && (size_t)n >= len ? len - 1 : (size_t)n;
}
