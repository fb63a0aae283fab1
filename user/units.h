/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Rates and sizes as iftop shows them, and the arithmetic of its bar
 * scale. Pure: no curses, no I/O, no libm.
 *
 * Rates: "0b", "8b", "1.23Kb", "12.3Mb", "123Mb", "1.05Gb": three
 * significant digits (all of them below the first unit), bits counted in
 * thousands (b, Kb, Mb, Gb, Tb), bytes in 1024s (B, KB, MB, GB, TB).
 * iftop divides bits by 1024 too; socktap keeps its bar scale, whose
 * ticks are decimal, and its columns on the same units.
 */
#ifndef SOCKTAP_UNITS_H
#define SOCKTAP_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Longest text either function writes, NUL included ("1023TB" and kin,
 * up to rates of 10^20 b/s). */
#define UNITS_LEN 16

/*
 * A rate given in bytes per second as text at buf (len bytes, truncated to
 * fit, always terminated when len > 0): in bits (x8, 1000-based) or bytes
 * (1024-based). Negative and non-finite rates read as 0. Returns strlen(buf).
 */
size_t fmt_rate(char *buf, size_t len, double bytes_per_s, bool bits);

/* A byte count, as iftop's cumulative column: "0B", "512B", "1.23MB". */
size_t fmt_size(char *buf, size_t len, uint64_t bytes);

/*
 * The bar scale: the full width of a bar stands for max (in the unit the
 * screen shows: bits or bytes per second), a decade step of iftop's table
 * (64 Kb/s, 128 Kb/s, 256 Kb/s, 1 Mb/s, 10 Mb/s, ... in bits; the same
 * times 1/8 in bytes). Returns the smallest step that holds v, at least
 * cur: the scale grows, never shrinks, so bars do not jump back.
 */
double scale_max(double v, double cur, bool bits);

/*
 * How much of a bar v fills on a log scale up to max: log(v) / log(max),
 * in [0, 1]; 0 for v <= 1.
 */
double scale_fraction(double v, double max);

/*
 * The n-th tick of the log scale (n from 0): 1, 10, 100 times each unit
 * (1000^k in bits, 1024^k in bytes), so every label is a round "1Kb",
 * "10Kb", "100Kb". Labels come from fmt_rate()'s rules in the same unit.
 */
double scale_tick(unsigned int n, bool bits);
/* The tick's label ("10b", "1Kb", "100KB"): no decimals, the tick is round. */
size_t fmt_tick(char *buf, size_t len, unsigned int n, bool bits);

/*
 * nload's units (its -u and -U letters): h/H human-readable bits/bytes,
 * b/B, k/K, m/M, g/G fixed; lower case bits, upper case bytes, 1024-based
 * ("Bit", "kBit", "MByte", ...). Is c one of them?
 */
bool nload_unit_valid(char c);
/* value bytes (or bytes per second with per_s) in unit c: "1.23 MBit/s",
 * "456.00 kByte"; decimals as nload prints them. Returns strlen(buf). */
size_t fmt_nload(char *buf, size_t len, double value, char unit, int decimals, bool per_s);

#endif
