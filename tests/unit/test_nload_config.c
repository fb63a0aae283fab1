// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "nload_config.h"
#include "unit.h"

/* socktap nload's defaults (cmd_nload.c) */
static void defaults(struct nload_settings *s)
{
	memset(s, 0, sizeof(*s));
	s->avg_s = 300;
	s->data_unit = 'H';
	s->traffic_unit = 'h';
	s->refresh_ms = 500;
	snprintf(s->devices, sizeof(s->devices), "all");
}

static int parse(struct nload_settings *s, const char *text, char *err, size_t len)
{
	return nload_config_parse(s, text, strlen(text), err, len);
}

static const char *get(const struct nload_settings *s, enum nload_setting_id id)
{
	static char buf[NLOAD_DEVICES_LEN];

	return nload_setting_get(s, id, buf, sizeof(buf));
}

/* The file nload 0.7.4 writes with its defaults, and -m, -u K, -t 200 */
static const char nload_file[] = "Version=\"1\"\n"
				 "AverageWindow=\"300\"\n"
				 "BarMaxIn=\"10240\"\n"
				 "BarMaxOut=\"10240\"\n"
				 "DataFormat=\"Human Readable (Byte)\"\n"
				 "Devices=\"all\"\n"
				 "MultipleDevices=\"[x]\"\n"
				 "RefreshInterval=\"200\"\n"
				 "TrafficFormat=\"kByte\"\n";

TEST(nload_config_reads_nloads_file)
{
	struct nload_settings s;
	char err[256];

	defaults(&s);
	s.avg_s = 60;
	ASSERT_EQ(parse(&s, nload_file, err, sizeof(err)), 0, "no line skipped");
	ASSERT_STREQ(err, "", "no message");
	ASSERT_EQ((long)s.avg_s, 300, "AverageWindow");
	ASSERT_EQ(s.in_max, 10240, "BarMaxIn");
	ASSERT_EQ(s.out_max, 10240, "BarMaxOut");
	ASSERT_EQ(s.data_unit, 'H', "DataFormat");
	ASSERT_STREQ(s.devices, "all", "Devices");
	ASSERT_TRUE(s.multiple, "MultipleDevices");
	ASSERT_EQ(s.refresh_ms, 200, "RefreshInterval");
	ASSERT_EQ(s.traffic_unit, 'K', "TrafficFormat");
}

TEST(nload_config_format)
{
	struct nload_settings s;
	char buf[1024];
	size_t n;

	defaults(&s);
	s.avg_s = 2.5;
	s.in_max = 0;
	s.out_max = 100000;
	s.data_unit = 'm';
	s.traffic_unit = 'K';
	s.refresh_ms = 250;
	s.multiple = false;
	snprintf(s.devices, sizeof(s.devices), "lo eth0");
	n = nload_config_format(&s, buf, sizeof(buf));
	ASSERT_STREQ(buf,
		     "Version=\"1\"\n"
		     "AverageWindow=\"2.5\"\n"
		     "BarMaxIn=\"0\"\n"
		     "BarMaxOut=\"100000\"\n"
		     "DataFormat=\"MBit\"\n"
		     "Devices=\"lo eth0\"\n"
		     "MultipleDevices=\"[ ]\"\n"
		     "RefreshInterval=\"250\"\n"
		     "TrafficFormat=\"kByte\"\n",
		     "nload's format, nload's order");
	ASSERT_EQ(n, strlen(buf), "length");
	/* truncated: terminated, and the length it needs */
	ASSERT_EQ(nload_config_format(&s, buf, 10), n, "needed length");
	ASSERT_EQ(strlen(buf), 9, "truncated");
	ASSERT_EQ(nload_config_format(&s, NULL, 0), n, "length only");
}

TEST(nload_config_round_trip)
{
	static const char letters[] = "hHbBkKmMgG";
	struct nload_settings a, b;
	char text[1024], err[256];

	for (size_t i = 0; letters[i]; i++) {
		defaults(&a);
		a.avg_s = 86400;
		a.in_max = 4294967295u;
		a.out_max = 10;
		a.data_unit = letters[i];
		a.traffic_unit = letters[(i + 3) % 10];
		a.refresh_ms = 3600000;
		a.multiple = i % 2;
		snprintf(a.devices, sizeof(a.devices), "veth0 wlp3s0 lo");
		nload_config_format(&a, text, sizeof(text));
		memset(&b, 0, sizeof(b));
		ASSERT_EQ(parse(&b, text, err, sizeof(err)), 0, "read back");
		ASSERT_EQ((long)b.avg_s, 86400, "avg");
		ASSERT_EQ(b.in_max, 4294967295u, "in");
		ASSERT_EQ(b.out_max, 10, "out");
		ASSERT_EQ(b.data_unit, a.data_unit, "data unit");
		ASSERT_EQ(b.traffic_unit, a.traffic_unit, "traffic unit");
		ASSERT_EQ(b.refresh_ms, 3600000, "refresh");
		ASSERT_EQ(b.multiple, a.multiple, "multiple");
		ASSERT_STREQ(b.devices, a.devices, "devices");
	}
}

TEST(nload_config_malformed_lines)
{
	static const char nul[] = "BarMaxIn=\"1\0\"\nBarMaxOut=7\n";
	struct nload_settings s;
	char err[256], text[2048];
	int bad;

	defaults(&s);
	bad = parse(&s,
		    "# a comment\n"
		    "\n"
		    "  AverageWindow = \"30\"  \r\n" /* blanks and CRLF are fine */
		    "TrafficFormat\n" /* line 4: no '=' */
		    "DataFormat=\"kByte\n" /* a quote not closed */
		    "Colour=\"red\"\n" /* unknown */
		    "RefreshInterval=\"5\"\n" /* below 10 ms */
		    "BarMaxIn=\"lots\"\n"
		    "MultipleDevices=\"maybe\"\n"
		    "Devices=\"eth0 a/b\"\n"
		    "RefreshInterval=1000\n" /* unquoted is fine */
		    "BarMaxOut=\"20\"",
		    err, sizeof(err));
	ASSERT_EQ(bad, 7, "lines skipped");
	ASSERT_STREQ(err, "line 4: \"TrafficFormat\" is not NAME=\"VALUE\"", "the first");
	/* the good lines were read, the bad ones left their settings alone */
	ASSERT_EQ((long)s.avg_s, 30, "avg read");
	ASSERT_EQ(s.refresh_ms, 1000, "refresh read");
	ASSERT_EQ(s.out_max, 20, "last line without newline");
	ASSERT_EQ(s.data_unit, 'H', "data unit kept");
	ASSERT_EQ(s.in_max, 0, "in kept");
	ASSERT_FALSE(s.multiple, "multiple kept");
	ASSERT_STREQ(s.devices, "all", "devices kept");

	ASSERT_EQ(parse(&s, "Colour=\"red\"\n", err, sizeof(err)), 1, "unknown");
	ASSERT_STREQ(err, "line 1: unknown setting \"Colour\"", "unknown named");
	ASSERT_EQ(parse(&s, "\nDataFormat=\"kByte\n", err, sizeof(err)), 1, "quote");
	ASSERT_STREQ(err, "line 2: DataFormat: a quote not closed", "quote named");
	ASSERT_EQ(parse(&s, "RefreshInterval=\"5\"", err, sizeof(err)), 1, "range");
	ASSERT_STREQ(err, "line 1: RefreshInterval: \"5\" refused: milliseconds, 10 to 3600000",
		     "range named");
	ASSERT_EQ(parse(&s, "Devices=all\"\n", err, sizeof(err)), 1, "stray quote");
	/* a control byte is not echoed */
	ASSERT_EQ(parse(&s, "Col\033our=1\n", err, sizeof(err)), 1, "escape");
	ASSERT_STREQ(err, "line 1: unknown setting \"Col?our\"", "escape shown as ?");
	/* a line too long, and a NUL byte */
	memset(text, 'x', sizeof(text));
	memcpy(text, "Devices=", 8);
	ASSERT_EQ(nload_config_parse(&s, text, sizeof(text), err, sizeof(err)), 1, "too long");
	ASSERT_STREQ(err, "line 1: longer than 1023 bytes", "too long named");
	ASSERT_EQ(nload_config_parse(&s, nul, sizeof(nul) - 1, err, sizeof(err)), 1, "NUL");
	ASSERT_STREQ(err, "line 1: not text (a NUL byte)", "NUL named");
	ASSERT_EQ(s.out_max, 7, "the next line read");
	/* Version and empty text */
	ASSERT_EQ(parse(&s, "Version=\"1\"\n", err, sizeof(err)), 0, "version");
	ASSERT_EQ(parse(&s, "", err, sizeof(err)), 0, "empty");
	ASSERT_EQ(parse(&s, "=\"1\"\n", err, sizeof(err)), 1, "no name");
}

TEST(nload_config_each_setting)
{
	struct nload_settings s;
	char err[256];

#define SET(id, text) nload_setting_set(&s, id, text, err, sizeof(err))
	defaults(&s);
	/* AverageWindow: seconds, a plain decimal from 1 to 86400 */
	ASSERT_OK(SET(NLS_AVG, " 60 "), "avg 60");
	ASSERT_STREQ(get(&s, NLS_AVG), "60", "avg shown");
	ASSERT_OK(SET(NLS_AVG, "2.5"), "avg 2.5");
	ASSERT_STREQ(get(&s, NLS_AVG), "2.5", "avg 2.5 shown");
	ASSERT_OK(SET(NLS_AVG, "1"), "avg 1");
	ASSERT_OK(SET(NLS_AVG, "86400"), "avg 86400");
	for (const char *const *t = (const char *const[]){ "0", "86401", "abc", "", "1e3", "inf",
							   "0x10", "-5", "1.2.3", ".5", NULL };
	     *t; t++)
		ASSERT_ERR(SET(NLS_AVG, *t), *t);
	ASSERT_EQ((long)s.avg_s, 86400, "avg kept");
	ASSERT_STREQ(err, "\".5\" refused: seconds, 1 to 86400", "avg why");

	/* BarMaxIn, BarMaxOut: kBit/s, 0 automatic */
	ASSERT_OK(SET(NLS_IN_MAX, "0"), "in 0");
	ASSERT_OK(SET(NLS_OUT_MAX, "4294967295"), "out max");
	ASSERT_ERR(SET(NLS_OUT_MAX, "4294967296"), "out too big");
	ASSERT_ERR(SET(NLS_IN_MAX, "-1"), "in negative");
	ASSERT_ERR(SET(NLS_IN_MAX, "12k"), "in junk");
	ASSERT_EQ(s.in_max, 0, "in");
	ASSERT_EQ(s.out_max, 4294967295u, "out");
	ASSERT_STREQ(get(&s, NLS_OUT_MAX), "4294967295", "out shown");

	/* units: socktap's letters, or nload's words in any case */
	ASSERT_OK(SET(NLS_TRAFFIC_UNIT, "K"), "letter");
	ASSERT_EQ(s.traffic_unit, 'K', "K");
	ASSERT_STREQ(get(&s, NLS_TRAFFIC_UNIT), "kByte", "K shown as nload's word");
	ASSERT_OK(SET(NLS_TRAFFIC_UNIT, "mbit"), "word, any case");
	ASSERT_EQ(s.traffic_unit, 'm', "m");
	ASSERT_OK(SET(NLS_DATA_UNIT, "Human Readable (Bit)"), "human");
	ASSERT_EQ(s.data_unit, 'h', "h");
	ASSERT_STREQ(get(&s, NLS_DATA_UNIT), "Human Readable (Bit)", "h shown");
	ASSERT_OK(SET(NLS_DATA_UNIT, "G"), "G");
	ASSERT_STREQ(get(&s, NLS_DATA_UNIT), "GByte", "G shown");
	for (const char *const *t = (const char *const[]){ "x", "", "KK", "kbytes", "3", NULL }; *t;
	     t++)
		ASSERT_ERR(SET(NLS_DATA_UNIT, *t), *t);
	ASSERT_EQ(s.data_unit, 'G', "data unit kept");

	/* RefreshInterval: 10 ms to an hour */
	ASSERT_OK(SET(NLS_REFRESH, "10"), "10 ms");
	ASSERT_ERR(SET(NLS_REFRESH, "9"), "9 ms");
	ASSERT_ERR(SET(NLS_REFRESH, "3600001"), "over an hour");
	ASSERT_ERR(SET(NLS_REFRESH, "0.5"), "not whole");
	ASSERT_EQ(s.refresh_ms, 10, "refresh kept");

	/* MultipleDevices: nload's box, and the usual words */
	ASSERT_OK(SET(NLS_MULTIPLE, "[x]"), "[x]");
	ASSERT_TRUE(s.multiple, "on");
	ASSERT_STREQ(get(&s, NLS_MULTIPLE), "[x]", "[x] shown");
	ASSERT_OK(SET(NLS_MULTIPLE, "[ ]"), "[ ]");
	ASSERT_FALSE(s.multiple, "off");
	ASSERT_STREQ(get(&s, NLS_MULTIPLE), "[ ]", "[ ] shown");
	ASSERT_OK(SET(NLS_MULTIPLE, "yes"), "yes");
	ASSERT_TRUE(s.multiple, "yes on");
	ASSERT_OK(SET(NLS_MULTIPLE, "0"), "0");
	ASSERT_FALSE(s.multiple, "0 off");
	ASSERT_ERR(SET(NLS_MULTIPLE, "maybe"), "maybe");
	ASSERT_ERR(SET(NLS_MULTIPLE, ""), "empty");

	/* Devices: names with single spaces; nothing, or "all" among them, is all */
	ASSERT_OK(SET(NLS_DEVICES, "  eth0 \t lo  "), "names");
	ASSERT_STREQ(s.devices, "eth0 lo", "single spaces");
	ASSERT_OK(SET(NLS_DEVICES, "eth0 all lo"), "all among names");
	ASSERT_STREQ(s.devices, "all", "all");
	ASSERT_OK(SET(NLS_DEVICES, "wlp3s0"), "one");
	ASSERT_OK(SET(NLS_DEVICES, "   "), "nothing");
	ASSERT_STREQ(s.devices, "all", "nothing is all");
	ASSERT_OK(SET(NLS_DEVICES, "abcdefghijklmno"), "15 bytes");
	ASSERT_ERR(SET(NLS_DEVICES, "abcdefghijklmnop"), "16 bytes");
	ASSERT_ERR(SET(NLS_DEVICES, "eth0 a/b"), "slash");
	ASSERT_STREQ(err, "\"a/b\" is not an interface name", "slash why");
	ASSERT_ERR(SET(NLS_DEVICES, "eth0:1"), "colon");
	ASSERT_ERR(SET(NLS_DEVICES, "a\"b"), "quote");
	ASSERT_STREQ(s.devices, "abcdefghijklmno", "devices kept");
#undef SET
	ASSERT_ERR(nload_setting_set(&s, NLS_COUNT, "1", err, sizeof(err)), "no such setting");
}

TEST(nload_config_names)
{
	ASSERT_STREQ(nload_setting_name(NLS_AVG), "AverageWindow", "avg");
	ASSERT_STREQ(nload_setting_name(NLS_TRAFFIC_UNIT), "TrafficFormat", "traffic");
	ASSERT_STREQ(nload_setting_name(NLS_DATA_UNIT), "DataFormat", "data");
	ASSERT_STREQ(nload_setting_label(NLS_IN_MAX), "Max Incoming deflection (kBit/s)", "in");
	ASSERT_STREQ(nload_setting_label(NLS_DEVICES), "Devices to show", "devices");
	for (int id = 0; id < NLS_COUNT; id++)
		ASSERT_TRUE(nload_setting_hint(id)[0] != '\0', nload_setting_name(id));
}

TEST(nload_config_devices_and_copy)
{
	struct nload_settings a, b;

	ASSERT_TRUE(nload_devices_has("all", "eth0"), "all");
	ASSERT_TRUE(nload_devices_has("", "eth0"), "empty is all");
	ASSERT_TRUE(nload_devices_has("lo eth0", "eth0"), "listed");
	ASSERT_TRUE(nload_devices_has("lo eth0", "lo"), "first");
	ASSERT_FALSE(nload_devices_has("lo eth0", "eth"), "a prefix is not a name");
	ASSERT_FALSE(nload_devices_has("lo eth0", "eth01"), "nor a longer one");

	defaults(&a);
	memset(&b, 0, sizeof(b));
	b.avg_s = 9;
	b.traffic_unit = 'G';
	b.refresh_ms = 42;
	snprintf(b.devices, sizeof(b.devices), "x0");
	nload_settings_copy(&a, &b, NLS_BIT(NLS_TRAFFIC_UNIT) | NLS_BIT(NLS_DEVICES));
	ASSERT_EQ(a.traffic_unit, 'G', "copied");
	ASSERT_STREQ(a.devices, "x0", "devices copied");
	ASSERT_EQ((long)a.avg_s, 300, "not in the mask");
	ASSERT_EQ(a.refresh_ms, 500, "not in the mask either");
	nload_settings_copy(&a, &b, NLS_ALL);
	ASSERT_EQ(a.refresh_ms, 42, "all");
}

TEST(nload_config_path)
{
	char buf[256];

	setenv("SOCKTAP_NLOAD_CONFIG", "/tmp/x.conf", 1);
	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	setenv("HOME", "/home/u", 1);
	ASSERT_OK(nload_config_path(buf, sizeof(buf)), "env");
	ASSERT_STREQ(buf, "/tmp/x.conf", "SOCKTAP_NLOAD_CONFIG first");
	unsetenv("SOCKTAP_NLOAD_CONFIG");
	ASSERT_OK(nload_config_path(buf, sizeof(buf)), "xdg");
	ASSERT_STREQ(buf, "/xdg/socktap/nload.conf", "XDG_CONFIG_HOME");
	setenv("XDG_CONFIG_HOME", "relative", 1);
	ASSERT_OK(nload_config_path(buf, sizeof(buf)), "home");
	ASSERT_STREQ(buf, "/home/u/.config/socktap/nload.conf", "a relative XDG is ignored");
	unsetenv("XDG_CONFIG_HOME");
	ASSERT_OK(nload_config_path(buf, sizeof(buf)), "home");
	ASSERT_STREQ(buf, "/home/u/.config/socktap/nload.conf", "HOME");
	unsetenv("HOME");
	ASSERT_ERR(nload_config_path(buf, sizeof(buf)), "nothing");
	setenv("HOME", "/home/u", 1);
	ASSERT_ERR(nload_config_path(buf, 10), "too long");
}

static bool only_file(const char *dir, const char *name)
{
	struct dirent *e;
	int n = 0, found = 0;
	DIR *d = opendir(dir);

	if (!d)
		return false;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		n++;
		found += !strcmp(e->d_name, name);
	}
	closedir(d);
	return n == 1 && found == 1;
}

TEST(nload_config_save_load)
{
	char dir[] = "/tmp/nload-config-test.XXXXXX", path[256], link[256], err[512], buf[1024];
	struct nload_settings a, b;
	struct stat st;
	FILE *f;
	size_t n;

	if (!ASSERT_OK_PTR(mkdtemp(dir), "mkdtemp"))
		return;
	snprintf(path, sizeof(path), "%s/a/b/nload.conf", dir);
	defaults(&a);
	ASSERT_EQ(nload_config_load(path, &a, err, sizeof(err)), -ENOENT, "no file yet");
	a.traffic_unit = 'K';
	a.avg_s = 60;
	/* the missing directories are made; no temporary file is left */
	ASSERT_OK(nload_config_save(path, &a, err, sizeof(err)), "save");
	snprintf(buf, sizeof(buf), "%s/a/b", dir);
	ASSERT_TRUE(only_file(buf, "nload.conf"), "one file, no temporary");
	ASSERT_OK(stat(path, &st), "stat");
	ASSERT_EQ(st.st_mode & 0777, 0644, "a new file's mode");
	f = fopen(path, "r");
	if (!ASSERT_OK_PTR(f, "open"))
		return;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	ASSERT_TRUE(strstr(buf, "TrafficFormat=\"kByte\"\n") != NULL, "unit saved");
	ASSERT_TRUE(strstr(buf, "AverageWindow=\"60\"\n") != NULL, "avg saved");
	defaults(&b);
	ASSERT_EQ(nload_config_load(path, &b, err, sizeof(err)), 0, "load");
	ASSERT_STREQ(err, path, "the path on success");
	ASSERT_EQ(b.traffic_unit, 'K', "unit loaded");
	ASSERT_EQ((long)b.avg_s, 60, "avg loaded");

	/* an existing file keeps its mode; a link to it stays a link */
	chmod(path, 0600);
	snprintf(link, sizeof(link), "%s/link.conf", dir);
	ASSERT_OK(symlink(path, link), "symlink");
	a.traffic_unit = 'g';
	ASSERT_OK(nload_config_save(link, &a, err, sizeof(err)), "save through the link");
	ASSERT_OK(lstat(link, &st), "lstat");
	ASSERT_TRUE(S_ISLNK(st.st_mode), "still a link");
	ASSERT_OK(stat(path, &st), "stat");
	ASSERT_EQ(st.st_mode & 0777, 0600, "mode kept");
	ASSERT_EQ(nload_config_load(path, &b, err, sizeof(err)), 0, "load again");
	ASSERT_EQ(b.traffic_unit, 'g', "written through the link");

	/* malformed lines: the path and line in the message */
	f = fopen(path, "a");
	fputs("Bogus\nColour=1\n", f);
	fclose(f);
	ASSERT_EQ(nload_config_load(path, &b, err, sizeof(err)), 2, "two lines skipped");
	snprintf(buf, sizeof(buf), "%s:10: \"Bogus\" is not NAME=\"VALUE\"; 2 lines ignored", path);
	ASSERT_STREQ(err, buf, "where and why");
	/* a directory is not a settings file */
	ASSERT_EQ(nload_config_load(dir, &b, err, sizeof(err)), -EINVAL, "a directory");
	/* a directory that cannot be made */
	snprintf(buf, sizeof(buf), "%s/x.conf", path);
	ASSERT_ERR(nload_config_save(buf, &a, err, sizeof(err)), "a file in the way");

	snprintf(buf, sizeof(buf), "rm -rf '%s'", dir);
	ASSERT_OK(system(buf), "clean up");
}
