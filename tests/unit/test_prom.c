// SPDX-License-Identifier: GPL-2.0
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "prom.h"
#include "strbuf.h"
#include "unit.h"

/* The exposition written so far, as a string (the buffer keeps a NUL past len). */
static const char *prom_out(struct strbuf *sb)
{
	sb_putc(sb, '\0');
	sb->len--;
	return sb->p;
}

/* One gauge sample of value v in the text format: the line it writes. */
static void check_value(double v, const char *want, const char *name)
{
	struct strbuf sb = { 0 };
	struct prom p;
	char exp[128];

	prom_begin(&p, &sb, false);
	prom_family(&p, "g", PROM_GAUGE, "h");
	sb.len = 0;
	prom_sample(&p, NULL, 0, v);
	snprintf(exp, sizeof(exp), "g %s\n", want);
	ASSERT_STREQ(prom_out(&sb), exp, name);
	sb_free(&sb);
}

TEST(prom_counter_text)
{
	static const struct prom_label l1[] = { { "a", "b" } };
	static const struct prom_label l2[] = { { "a", "c" } };
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, false);
	prom_family(&p, "x", PROM_COUNTER, "help");
	prom_sample(&p, l1, 1, 5);
	prom_sample_u64(&p, l2, 1, 7);
	prom_end(&p);
	/* 0.0.4 names the family by its samples' name, _total included; no EOF */
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP x_total help\n"
		     "# TYPE x_total counter\n"
		     "x_total{a=\"b\"} 5\n"
		     "x_total{a=\"c\"} 7\n",
		     "counter, text 0.0.4");
	sb_free(&sb);
}

TEST(prom_counter_openmetrics)
{
	static const struct prom_label l1[] = { { "a", "b" } };
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, true);
	prom_family(&p, "x", PROM_COUNTER, "help");
	prom_sample(&p, l1, 1, 5);
	prom_sample_u64(&p, NULL, 0, 6);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP x help\n"
		     "# TYPE x counter\n"
		     "x_total{a=\"b\"} 5\n"
		     "x_total 6\n",
		     "counter, OpenMetrics, before the end");
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP x help\n"
		     "# TYPE x counter\n"
		     "x_total{a=\"b\"} 5\n"
		     "x_total 6\n"
		     "# EOF\n",
		     "counter, OpenMetrics, EOF last");
	sb_free(&sb);
}

/* Several families in a row; EOF once, after the last. */
TEST(prom_families_in_sequence)
{
	static const struct prom_label l[] = { { "dev", "eth0" } };
	static const double le[] = { 1 };
	static const uint64_t counts[] = { 2 };
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, true);
	prom_family(&p, "c", PROM_COUNTER, "C.");
	prom_sample_u64(&p, l, 1, 1);
	prom_family(&p, "g", PROM_GAUGE, "G.");
	prom_sample(&p, l, 1, 2);
	prom_family(&p, "h", PROM_HISTOGRAM, "H.");
	prom_histogram(&p, NULL, 0, le, counts, 1, 3, 4);
	prom_family(&p, "c2", PROM_COUNTER, "C2.");
	prom_sample(&p, NULL, 0, 0);
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP c C.\n"
		     "# TYPE c counter\n"
		     "c_total{dev=\"eth0\"} 1\n"
		     "# HELP g G.\n"
		     "# TYPE g gauge\n"
		     "g{dev=\"eth0\"} 2\n"
		     "# HELP h H.\n"
		     "# TYPE h histogram\n"
		     "h_bucket{le=\"1\"} 2\n"
		     "h_bucket{le=\"+Inf\"} 3\n"
		     "h_sum 4\n"
		     "h_count 3\n"
		     "# HELP c2 C2.\n"
		     "# TYPE c2 counter\n"
		     "c2_total 0\n"
		     "# EOF\n",
		     "four families, OpenMetrics");
	sb_free(&sb);

	prom_begin(&p, &sb, false);
	prom_family(&p, "g", PROM_GAUGE, "G.");
	prom_sample(&p, NULL, 0, 1);
	prom_family(&p, "c", PROM_COUNTER, "C.");
	prom_sample(&p, NULL, 0, 2);
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP g G.\n"
		     "# TYPE g gauge\n"
		     "g 1\n"
		     "# HELP c_total C.\n"
		     "# TYPE c_total counter\n"
		     "c_total 2\n",
		     "two families, text");
	sb_free(&sb);
}

TEST(prom_gauge_labels)
{
	static const struct prom_label three[] = {
		{ "dev", "eth0" },
		{ "dir", "rx" },
		{ "proto", "tcp" },
	};
	static const struct prom_label nullval[] = { { "a", NULL }, { "b", "" } };
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, false);
	prom_family(&p, "socktap_rate_bytes", PROM_GAUGE, "Bytes per second.");
	prom_sample(&p, NULL, 0, 42);
	prom_sample(&p, three, 3, 1.5);
	prom_sample(&p, nullval, 2, -3);
	prom_sample_u64(&p, three, 1, 9);
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP socktap_rate_bytes Bytes per second.\n"
		     "# TYPE socktap_rate_bytes gauge\n"
		     "socktap_rate_bytes 42\n"
		     "socktap_rate_bytes{dev=\"eth0\",dir=\"rx\",proto=\"tcp\"} 1.5\n"
		     "socktap_rate_bytes{a=\"\",b=\"\"} -3\n"
		     "socktap_rate_bytes{dev=\"eth0\"} 9\n",
		     "gauge, text");
	sb_free(&sb);

	/* a gauge is named the same in both formats */
	prom_begin(&p, &sb, true);
	prom_family(&p, "up", PROM_GAUGE, "Up.");
	prom_sample(&p, NULL, 0, 1);
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb), "# HELP up Up.\n# TYPE up gauge\nup 1\n# EOF\n",
		     "gauge, OpenMetrics");
	sb_free(&sb);
}

TEST(prom_label_value_escaped)
{
	static const struct prom_label l[] = {
		{ "path", "C:\\dir\\" },
		{ "comm", "say \"hi\"" },
		{ "two", "line1\nline2" },
		{ "all", "\\\"\n'\t}" },
		/* ESC, a C1 CSI, a byte that is not UTF-8, DEL; an e-acute kept */
		{ "evil", "\x1b[2J\xc2\x9b\xff\x7f\xc3\xa9" },
	};
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, false);
	prom_family(&p, "g", PROM_GAUGE, "h");
	prom_sample(&p, l, 5, 1);
	/* backslash and double quote escaped; control bytes and bytes that
	 * are not UTF-8 as the text \xNN (its backslash escaped in turn) */
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP g h\n"
		     "# TYPE g gauge\n"
		     "g{path=\"C:\\\\dir\\\\\",comm=\"say \\\"hi\\\"\",two=\"line1\\\\x0aline2\","
		     "all=\"\\\\\\\"\\\\x0a'\\\\x09}\","
		     "evil=\"\\\\x1b[2J\\\\xc2\\\\x9b\\\\xff\\\\x7f\xc3\xa9\"} 1\n",
		     "escaped label values");
	sb_free(&sb);

	/* the same rules in OpenMetrics */
	prom_begin(&p, &sb, true);
	prom_family(&p, "g", PROM_GAUGE, "h");
	prom_sample(&p, l + 3, 1, 1);
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP g h\n# TYPE g gauge\ng{all=\"\\\\\\\"\\\\x0a'\\\\x09}\"} 1\n# EOF\n",
		     "escaped label value, OpenMetrics");
	sb_free(&sb);
}

TEST(prom_help_escaped_text)
{
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, false);
	prom_family(&p, "g", PROM_GAUGE, "a \\ b\nc \"q\" {x=\"y\"}");
	/* 0.0.4: HELP escapes backslash and newline, not double quotes */
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP g a \\\\ b\\nc \"q\" {x=\"y\"}\n"
		     "# TYPE g gauge\n",
		     "HELP escaped, text");
	sb_free(&sb);

	prom_begin(&p, &sb, false);
	prom_family(&p, "c", PROM_COUNTER, "");
	ASSERT_STREQ(prom_out(&sb), "# HELP c_total \n# TYPE c_total counter\n", "empty HELP");
	sb_free(&sb);
}

/*
 * OpenMetrics 1.0 writes HELP as an escaped-string, as label values are:
 * its ABNF's normal-char excludes the double quote, and \" must be used
 * (the spec's own example is '# HELP foo_seconds Some text and \n some \"
 * escaping'; client_golang and client_python escape it there).
 */
TEST(prom_help_escaped_openmetrics)
{
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, true);
	prom_family(&p, "g", PROM_GAUGE, "a \\ b\nc \"q\"");
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP g a \\\\ b\\nc \\\"q\\\"\n"
		     "# TYPE g gauge\n"
		     "# EOF\n",
		     "HELP escaped, OpenMetrics");
	sb_free(&sb);
}

TEST(prom_values_integers)
{
	check_value(0, "0", "zero");
	check_value(1, "1", "one");
	check_value(-1, "-1", "minus one");
	check_value(5, "5", "five");
	check_value(1024, "1024", "1024");
	check_value(123456789012.0, "123456789012", "large whole");
	check_value(9007199254740991.0, "9007199254740991", "2^53 - 1");
	check_value(9007199254740992.0, "9007199254740992", "2^53");
	check_value(-9007199254740991.0, "-9007199254740991", "-(2^53 - 1)");
	/* whole but past 2^53: exponent form, still exact */
	check_value(1e20, "1e+20", "1e20");
}

TEST(prom_values_fractions)
{
	check_value(0.5, "0.5", "0.5");
	check_value(-0.25, "-0.25", "-0.25");
	check_value(1.5, "1.5", "1.5");
	check_value(0.001, "0.001", "0.001");
	check_value(123.456, "123.456", "123.456");
	check_value(0.1 + 0.2, "0.30000000000000004", "0.1 + 0.2 needs 17 digits");
	check_value(1.7976931348623157e308, "1.7976931348623157e+308", "DBL_MAX");
}

/*
 * Values print in the fewest digits that read back the same: 1e-09, not
 * 1.0000000000000001e-09; 0.1, not 0.10000000000000001 (as an le label, a
 * string identifying the series, the difference matters: see
 * prom_histogram_le_shortest).
 */
TEST(prom_values_shortest)
{
	check_value(1e-9, "1e-09", "1e-9");
	check_value(0.1, "0.1", "0.1");
	check_value(0.2, "0.2", "0.2");
	check_value(2.675, "2.675", "2.675");
	check_value(1e-6, "1e-06", "1e-6");
	check_value(1.0 / 3, "0.3333333333333333", "1/3 needs 16 digits");
	check_value(9223372036854775808.0, "9.223372036854776e+18", "2^63");
}

TEST(prom_values_special)
{
	check_value(NAN, "NaN", "NaN");
	check_value(-NAN, "NaN", "negative NaN");
	check_value(INFINITY, "+Inf", "+Inf");
	check_value(-INFINITY, "-Inf", "-Inf");
}

TEST(prom_sample_u64_exact)
{
	static const struct prom_label l[] = { { "k", "v" } };
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, false);
	prom_family(&p, "g", PROM_GAUGE, "h");
	prom_sample_u64(&p, NULL, 0, UINT64_MAX);
	prom_sample_u64(&p, l, 1, 0);
	prom_sample_u64(&p, NULL, 0, 9007199254740993ULL);
	prom_family(&p, "c", PROM_COUNTER, "h");
	prom_sample_u64(&p, l, 1, UINT64_MAX);
	/* past 2^53 a double would lose the last digits: the u64 does not */
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP g h\n"
		     "# TYPE g gauge\n"
		     "g 18446744073709551615\n"
		     "g{k=\"v\"} 0\n"
		     "g 9007199254740993\n"
		     "# HELP c_total h\n"
		     "# TYPE c_total counter\n"
		     "c_total{k=\"v\"} 18446744073709551615\n",
		     "u64 samples");
	sb_free(&sb);
}

TEST(prom_histogram_labelled)
{
	static const struct prom_label l[] = { { "dev", "eth0" }, { "dir", "tx" } };
	static const double le[] = { 0.001, 0.5, 1, 10 };
	static const uint64_t counts[] = { 3, 0, 2, 5 };
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, false);
	prom_family(&p, "lat_seconds", PROM_HISTOGRAM, "Latency.");
	/* 3 + 0 + 2 + 5 = 10 in the buckets, 2 above the last: count 12 */
	prom_histogram(&p, l, 2, le, counts, 4, 12, 37.25);
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP lat_seconds Latency.\n"
		     "# TYPE lat_seconds histogram\n"
		     "lat_seconds_bucket{dev=\"eth0\",dir=\"tx\",le=\"0.001\"} 3\n"
		     "lat_seconds_bucket{dev=\"eth0\",dir=\"tx\",le=\"0.5\"} 3\n"
		     "lat_seconds_bucket{dev=\"eth0\",dir=\"tx\",le=\"1\"} 5\n"
		     "lat_seconds_bucket{dev=\"eth0\",dir=\"tx\",le=\"10\"} 10\n"
		     "lat_seconds_bucket{dev=\"eth0\",dir=\"tx\",le=\"+Inf\"} 12\n"
		     "lat_seconds_sum{dev=\"eth0\",dir=\"tx\"} 37.25\n"
		     "lat_seconds_count{dev=\"eth0\",dir=\"tx\"} 12\n",
		     "histogram with labels, text");
	sb_free(&sb);

	/* OpenMetrics: the same lines, then EOF; label values escaped */
	static const struct prom_label q[] = { { "comm", "a\"b" } };

	prom_begin(&p, &sb, true);
	prom_family(&p, "lat_seconds", PROM_HISTOGRAM, "Latency.");
	prom_histogram(&p, q, 1, le, counts, 4, 10, 0.5);
	prom_end(&p);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP lat_seconds Latency.\n"
		     "# TYPE lat_seconds histogram\n"
		     "lat_seconds_bucket{comm=\"a\\\"b\",le=\"0.001\"} 3\n"
		     "lat_seconds_bucket{comm=\"a\\\"b\",le=\"0.5\"} 3\n"
		     "lat_seconds_bucket{comm=\"a\\\"b\",le=\"1\"} 5\n"
		     "lat_seconds_bucket{comm=\"a\\\"b\",le=\"10\"} 10\n"
		     "lat_seconds_bucket{comm=\"a\\\"b\",le=\"+Inf\"} 10\n"
		     "lat_seconds_sum{comm=\"a\\\"b\"} 0.5\n"
		     "lat_seconds_count{comm=\"a\\\"b\"} 10\n"
		     "# EOF\n",
		     "histogram with labels, OpenMetrics");
	sb_free(&sb);
}

TEST(prom_histogram_unlabelled)
{
	static const double le[] = { 1, 2, 4, 8 };
	static const uint64_t counts[] = { 1, 1, 0, 4 };
	static const uint64_t big[] = { UINT64_MAX - 1, 1 };
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, false);
	prom_family(&p, "size_bytes", PROM_HISTOGRAM, "Sizes.");
	prom_histogram(&p, NULL, 0, le, counts, 4, 6, 30);
	/* a second histogram of the family, then one without buckets */
	prom_histogram(&p, NULL, 0, le, big, 2, UINT64_MAX, 1e20);
	prom_histogram(&p, NULL, 0, NULL, NULL, 0, 0, 0);
	ASSERT_STREQ(prom_out(&sb),
		     "# HELP size_bytes Sizes.\n"
		     "# TYPE size_bytes histogram\n"
		     "size_bytes_bucket{le=\"1\"} 1\n"
		     "size_bytes_bucket{le=\"2\"} 2\n"
		     "size_bytes_bucket{le=\"4\"} 2\n"
		     "size_bytes_bucket{le=\"8\"} 6\n"
		     "size_bytes_bucket{le=\"+Inf\"} 6\n"
		     "size_bytes_sum 30\n"
		     "size_bytes_count 6\n"
		     "size_bytes_bucket{le=\"1\"} 18446744073709551614\n"
		     "size_bytes_bucket{le=\"2\"} 18446744073709551615\n"
		     "size_bytes_bucket{le=\"+Inf\"} 18446744073709551615\n"
		     "size_bytes_sum 1e+20\n"
		     "size_bytes_count 18446744073709551615\n"
		     "size_bytes_bucket{le=\"+Inf\"} 0\n"
		     "size_bytes_sum 0\n"
		     "size_bytes_count 0\n",
		     "histograms without labels");
	sb_free(&sb);
}

/* Bounds that are not exact in binary; sum NaN and fractional. */
TEST(prom_histogram_le_values)
{
	static const double le[] = { 0.25, 0.001, 0.5, 1e6, 2.5e10 };
	static const uint64_t counts[] = { 0, 0, 0, 0, 0 };
	struct strbuf sb = { 0 };
	struct prom p;

	/* ascending is the caller's job: this only checks each le's text */
	prom_begin(&p, &sb, false);
	prom_family(&p, "h", PROM_HISTOGRAM, "h");
	sb.len = 0;
	prom_histogram(&p, NULL, 0, le, counts, 5, 0, NAN);
	ASSERT_STREQ(prom_out(&sb),
		     "h_bucket{le=\"0.25\"} 0\n"
		     "h_bucket{le=\"0.001\"} 0\n"
		     "h_bucket{le=\"0.5\"} 0\n"
		     "h_bucket{le=\"1000000\"} 0\n"
		     "h_bucket{le=\"25000000000\"} 0\n"
		     "h_bucket{le=\"+Inf\"} 0\n"
		     "h_sum NaN\n"
		     "h_count 0\n",
		     "le values");
	sb_free(&sb);
}

/*
 * le labels of bounds such as 0.005 and 0.1 (Prometheus' default buckets)
 * print as 0.005 and 0.1: the le value is a label, matched as a string
 * ({le="0.1"}); OpenMetrics asks for the canonical, shortest form.
 */
TEST(prom_histogram_le_shortest)
{
	static const double le[] = { 1e-9, 0.005, 0.01, 0.025, 0.05, 0.1, 2.5 };
	static const uint64_t counts[] = { 0, 1, 0, 0, 0, 1, 0 };
	struct strbuf sb = { 0 };
	struct prom p;

	prom_begin(&p, &sb, false);
	prom_family(&p, "h", PROM_HISTOGRAM, "h");
	sb.len = 0;
	prom_histogram(&p, NULL, 0, le, counts, 7, 3, 0.2);
	ASSERT_STREQ(prom_out(&sb),
		     "h_bucket{le=\"1e-09\"} 0\n"
		     "h_bucket{le=\"0.005\"} 1\n"
		     "h_bucket{le=\"0.01\"} 1\n"
		     "h_bucket{le=\"0.025\"} 1\n"
		     "h_bucket{le=\"0.05\"} 1\n"
		     "h_bucket{le=\"0.1\"} 2\n"
		     "h_bucket{le=\"2.5\"} 2\n"
		     "h_bucket{le=\"+Inf\"} 3\n"
		     "h_sum 0.2\n"
		     "h_count 3\n",
		     "default-style buckets");
	sb_free(&sb);
}

TEST(prom_wants_openmetrics)
{
	ASSERT_TRUE(prom_wants_openmetrics(PROM_OM_CONTENT_TYPE), "OM content type");
	ASSERT_TRUE(prom_wants_openmetrics(
			    "application/openmetrics-text; version=1.0.0; charset=utf-8"),
		    "OM 1.0.0");
	/* what Prometheus 2.x sends */
	ASSERT_TRUE(prom_wants_openmetrics("application/openmetrics-text;version=1.0.0,"
					   "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"),
		    "Prometheus 2.x Accept");
	/* and the form with 0.0.1 and weights first */
	ASSERT_TRUE(prom_wants_openmetrics("application/openmetrics-text;version=1.0.0;q=0.5,"
					   "application/openmetrics-text;version=0.0.1;q=0.4,"
					   "text/plain;version=0.0.4;q=0.3,*/*;q=0.2"),
		    "Prometheus 2.x Accept, OpenMetrics enabled");
	ASSERT_TRUE(prom_wants_openmetrics("text/plain;version=0.0.4;q=0.5,"
					   "application/openmetrics-text;version=1.0.0"),
		    "OM not first");
	ASSERT_TRUE(prom_wants_openmetrics("Application/OpenMetrics-Text; Version=1.0.0"),
		    "case-insensitive");
	ASSERT_TRUE(prom_wants_openmetrics("APPLICATION/OPENMETRICS-TEXT"), "upper case");
	ASSERT_FALSE(prom_wants_openmetrics(NULL), "NULL");
	ASSERT_FALSE(prom_wants_openmetrics(""), "empty");
	ASSERT_FALSE(prom_wants_openmetrics("text/plain"), "text/plain");
	ASSERT_FALSE(prom_wants_openmetrics("text/plain; version=0.0.4; charset=utf-8"),
		     "text 0.0.4");
	ASSERT_FALSE(prom_wants_openmetrics("*/*"), "*/*");
	ASSERT_FALSE(prom_wants_openmetrics("application/json"), "json");
}

TEST(prom_content_types)
{
	ASSERT_STREQ(PROM_CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8", "text");
	ASSERT_STREQ(PROM_OM_CONTENT_TYPE,
		     "application/openmetrics-text; version=1.0.0; charset=utf-8", "OpenMetrics");
}

/* export's counters after a close corrected a connection down (flows_add) */
TEST(prom_counter_step_pays_back_a_correction)
{
	uint64_t owe = 0, c = 0;

	c += prom_counter_step(&owe, 11);
	ASSERT_EQ(c, 11, "a move up counts");
	c += prom_counter_step(&owe, -1);
	ASSERT_EQ(c, 11, "a counter never goes down");
	ASSERT_EQ(owe, 1, "the correction is owed");
	c += prom_counter_step(&owe, 0);
	ASSERT_EQ(c, 11, "nothing moved");
	c += prom_counter_step(&owe, 5);
	ASSERT_EQ(c, 15, "the next bytes pay it back first");
	ASSERT_EQ(owe, 0, "paid");
	c += prom_counter_step(&owe, -3);
	c += prom_counter_step(&owe, 2);
	ASSERT_EQ(c, 15, "a smaller move pays part");
	ASSERT_EQ(owe, 1, "the rest still owed");
	c += prom_counter_step(&owe, 4);
	ASSERT_EQ(c, 18, "then counts again");
}
