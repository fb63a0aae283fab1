// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <sys/stat.h>
#include "nload_config.h"
#include "parse.h"
#include "units.h"

/* Bigger is not a settings file; nload's own is some 250 bytes. */
#define CONFIG_MAX (64 * 1024)
#define LINE_MAX_LEN 1024

static const struct {
	const char *name, *label, *hint;
} settings[NLS_COUNT] = {
	[NLS_AVG] = { "AverageWindow", "Average window (s)", "seconds, 1 to 86400" },
	[NLS_IN_MAX] = { "BarMaxIn", "Max Incoming deflection (kBit/s)",
			 "the graph's 100% mark, kBit/s; 0: automatic" },
	[NLS_OUT_MAX] = { "BarMaxOut", "Max Outgoing deflection (kBit/s)",
			  "the graph's 100% mark, kBit/s; 0: automatic" },
	[NLS_DATA_UNIT] = { "DataFormat", "Unit for data numbers",
			    "h H auto, b B, k K, m M, g G: lower case Bit, upper Byte" },
	[NLS_TRAFFIC_UNIT] = { "TrafficFormat", "Unit for traffic numbers",
			       "h H auto, b B, k K, m M, g G: lower case Bit, upper Byte" },
	[NLS_REFRESH] = { "RefreshInterval", "Refresh interval (ms)",
			  "milliseconds, 10 to 3600000" },
	[NLS_MULTIPLE] = { "MultipleDevices", "Show multiple devices",
			   "[x]: several devices a page, no graphs (Space toggles)" },
	[NLS_DEVICES] = { "Devices", "Devices to show", "all, or names separated by spaces" },
};

/* nload's words for its units (its settingfilter map), by socktap's letter. */
static const struct {
	char letter;
	const char *word;
} units[] = {
	{ 'h', "Human Readable (Bit)" },
	{ 'H', "Human Readable (Byte)" },
	{ 'b', "Bit" },
	{ 'B', "Byte" },
	{ 'k', "kBit" },
	{ 'K', "kByte" },
	{ 'm', "MBit" },
	{ 'M', "MByte" },
	{ 'g', "GBit" },
	{ 'G', "GByte" },
};

/* The file lists the settings as nload writes them: by name. */
static const enum nload_setting_id file_order[NLS_COUNT] = {
	NLS_AVG,     NLS_IN_MAX,   NLS_OUT_MAX, NLS_DATA_UNIT,
	NLS_DEVICES, NLS_MULTIPLE, NLS_REFRESH, NLS_TRAFFIC_UNIT,
};

const char *nload_setting_name(enum nload_setting_id id)
{
	return id < NLS_COUNT ? settings[id].name : "?";
}

const char *nload_setting_label(enum nload_setting_id id)
{
	return id < NLS_COUNT ? settings[id].label : "?";
}

const char *nload_setting_hint(enum nload_setting_id id)
{
	return id < NLS_COUNT ? settings[id].hint : "";
}

static const char *unit_word(char letter)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (units[i].letter == letter)
			return units[i].word;
	return "?";
}

const char *nload_setting_get(const struct nload_settings *s, enum nload_setting_id id, char *buf,
			      size_t len)
{
	switch (id) {
	case NLS_AVG:
		snprintf(buf, len, "%.10g", s->avg_s);
		break;
	case NLS_IN_MAX:
	case NLS_OUT_MAX:
		snprintf(buf, len, "%" PRIu64, id == NLS_IN_MAX ? s->in_max : s->out_max);
		break;
	case NLS_DATA_UNIT:
	case NLS_TRAFFIC_UNIT:
		snprintf(buf, len, "%s",
			 unit_word(id == NLS_DATA_UNIT ? s->data_unit : s->traffic_unit));
		break;
	case NLS_REFRESH:
		snprintf(buf, len, "%u", s->refresh_ms);
		break;
	case NLS_MULTIPLE:
		snprintf(buf, len, "%s", s->multiple ? "[x]" : "[ ]");
		break;
	case NLS_DEVICES:
		snprintf(buf, len, "%s", s->devices[0] ? s->devices : "all");
		break;
	default:
		snprintf(buf, len, "?");
	}
	return buf;
}

/* s for a message: at most 32 bytes, anything but printable ASCII as '?',
 * so that neither stderr nor the screen gets a file's control bytes. */
static const char *shown(char *out, size_t len, const char *s)
{
	size_t o = 0;

	for (; *s && o + 4 < len && o < 32; s++)
		out[o++] = *s >= 0x20 && *s < 0x7f ? *s : '?';
	if (*s && o + 4 <= len)
		o += (size_t)snprintf(out + o, len - o, "...");
	if (len)
		out[o < len ? o : len - 1] = '\0';
	return out;
}

/* A plain decimal: digits with at most one '.', no sign, exponent or hex
 * (which strtod would take). */
static int parse_decimal(const char *t, double min, double max, double *out)
{
	size_t digits = strspn(t, "0123456789."), dots = 0;
	double v;

	for (const char *p = t; *p; p++)
		dots += *p == '.';
	if (!isdigit((unsigned char)t[0]) || t[digits] || dots > 1)
		return -1;
	v = strtod(t, NULL);
	if (!isfinite(v) || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

static int parse_unit(const char *t, char *out)
{
	if (t[0] && !t[1]) {
		if (!nload_unit_valid(t[0]))
			return -1;
		*out = t[0];
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (!strcasecmp(t, units[i].word)) {
			*out = units[i].letter;
			return 0;
		}
	}
	return -1;
}

static int parse_bool(const char *t, bool *out)
{
	static const char *const yes[] = { "[x]", "x", "yes", "y", "on", "true", "1" };
	static const char *const no[] = { "[ ]", "[]", "no", "n", "off", "false", "0" };

	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (!strcasecmp(t, yes[i])) {
			*out = true;
			return 0;
		}
		if (!strcasecmp(t, no[i])) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

/* An interface name the kernel could have given (dev_valid_name) and the
 * file can hold: up to IFNAMSIZ - 1 bytes, no '/', ':', quote or control. */
static bool name_valid(const char *p, size_t n)
{
	if (!n || n >= IFNAMSIZ)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c <= ' ' || c == 0x7f || c == '/' || c == ':' || c == '"')
			return false;
	}
	return true;
}

/* "all", or the names with single spaces; nload's rules: nothing means
 * all, and "all" among names too. */
static int parse_devices(const char *t, char *out, size_t len, char *err, size_t errlen)
{
	char w[64], q[48];
	size_t o = 0;

	while (*t) {
		size_t n;

		t += strspn(t, " \t");
		n = strcspn(t, " \t");
		if (!n)
			break;
		if (n == 3 && !strncmp(t, "all", 3)) {
			snprintf(out, len, "all");
			return 0;
		}
		if (!name_valid(t, n)) {
			snprintf(w, sizeof(w), "%.*s", (int)(n < 40 ? n : 40), t);
			snprintf(err, errlen, "\"%s\" is not an interface name",
				 shown(q, sizeof(q), w));
			return -1;
		}
		if (o + (o ? 1 : 0) + n >= len) {
			snprintf(err, errlen, "more names than the %zu characters it can hold",
				 len - 1);
			return -1;
		}
		o += (size_t)snprintf(out + o, len - o, "%s%.*s", o ? " " : "", (int)n, t);
		t += n;
	}
	if (!o)
		snprintf(out, len, "all");
	return 0;
}

int nload_setting_set(struct nload_settings *s, enum nload_setting_id id, const char *text,
		      char *err, size_t errlen)
{
	char t[NLOAD_DEVICES_LEN + 64], q[48], devs[NLOAD_DEVICES_LEN];
	size_t n;
	uint64_t v;
	double d;

	/* surrounding blanks are not part of a value */
	text += strspn(text, " \t");
	n = strlen(text);
	while (n && (text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	if (n >= sizeof(t) || id >= NLS_COUNT) {
		snprintf(err, errlen, "%s: too long", nload_setting_name(id));
		return -1;
	}
	memcpy(t, text, n);
	t[n] = '\0';
	shown(q, sizeof(q), t);
	switch (id) {
	case NLS_AVG:
		if (parse_decimal(t, 1, 86400, &d))
			goto bad;
		s->avg_s = d;
		return 0;
	case NLS_IN_MAX:
	case NLS_OUT_MAX:
		if (parse_u64(t, 0, UINT32_MAX, &v))
			goto bad;
		*(id == NLS_IN_MAX ? &s->in_max : &s->out_max) = v;
		return 0;
	case NLS_DATA_UNIT:
	case NLS_TRAFFIC_UNIT:
		if (parse_unit(t, id == NLS_DATA_UNIT ? &s->data_unit : &s->traffic_unit))
			goto bad;
		return 0;
	case NLS_REFRESH:
		if (parse_u64(t, 10, 3600000, &v))
			goto bad;
		s->refresh_ms = (unsigned int)v;
		return 0;
	case NLS_MULTIPLE:
		if (parse_bool(t, &s->multiple))
			goto bad;
		return 0;
	case NLS_DEVICES:
		if (parse_devices(t, devs, sizeof(devs), err, errlen))
			return -1;
		memcpy(s->devices, devs, sizeof(devs));
		return 0;
	default:
		break;
	}
bad:
	snprintf(err, errlen, "\"%s\" refused: %s", q, nload_setting_hint(id));
	return -1;
}

void nload_settings_copy(struct nload_settings *dst, const struct nload_settings *src,
			 unsigned int mask)
{
	if (mask & NLS_BIT(NLS_AVG))
		dst->avg_s = src->avg_s;
	if (mask & NLS_BIT(NLS_IN_MAX))
		dst->in_max = src->in_max;
	if (mask & NLS_BIT(NLS_OUT_MAX))
		dst->out_max = src->out_max;
	if (mask & NLS_BIT(NLS_DATA_UNIT))
		dst->data_unit = src->data_unit;
	if (mask & NLS_BIT(NLS_TRAFFIC_UNIT))
		dst->traffic_unit = src->traffic_unit;
	if (mask & NLS_BIT(NLS_REFRESH))
		dst->refresh_ms = src->refresh_ms;
	if (mask & NLS_BIT(NLS_MULTIPLE))
		dst->multiple = src->multiple;
	if (mask & NLS_BIT(NLS_DEVICES))
		memcpy(dst->devices, src->devices, sizeof(dst->devices));
}

bool nload_devices_has(const char *devices, const char *name)
{
	size_t len = strlen(name);

	if (!devices[0] || !strcmp(devices, "all"))
		return true;
	for (const char *p = devices; *p;) {
		size_t n = strcspn(p, " ");

		if (n == len && !strncmp(p, name, n))
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

static enum nload_setting_id setting_by_name(const char *name)
{
	int id;

	for (id = 0; id < NLS_COUNT; id++)
		if (!strcasecmp(name, settings[id].name))
			break;
	return (enum nload_setting_id)id;
}

static char *trim(char *s)
{
	size_t n;

	s += strspn(s, " \t");
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

/* One line (NUL-terminated, no newline): 0, or -1 with why. */
static int parse_line(struct nload_settings *s, char *line, char *why, size_t len)
{
	char *eq, *name, *val, q[48], reason[192];
	enum nload_setting_id id;
	size_t n;

	line = trim(line);
	if (!line[0] || line[0] == '#')
		return 0;
	eq = strchr(line, '=');
	if (!eq) {
		snprintf(why, len, "\"%s\" is not NAME=\"VALUE\"", shown(q, sizeof(q), line));
		return -1;
	}
	*eq = '\0';
	name = trim(line);
	val = trim(eq + 1);
	n = strlen(val);
	/* nload quotes every value; a value may also go without */
	if (val[0] == '"') {
		if (n < 2 || val[n - 1] != '"' || memchr(val + 1, '"', n - 2)) {
			snprintf(why, len, "%s: a quote not closed", shown(q, sizeof(q), name));
			return -1;
		}
		val[n - 1] = '\0';
		val++;
	} else if (strchr(val, '"')) {
		snprintf(why, len, "%s: a quote not closed", shown(q, sizeof(q), name));
		return -1;
	}
	/* nload writes its file format's version first */
	if (!strcasecmp(name, "Version"))
		return 0;
	id = setting_by_name(name);
	if (id == NLS_COUNT) {
		snprintf(why, len, "unknown setting \"%s\"", shown(q, sizeof(q), name));
		return -1;
	}
	if (nload_setting_set(s, id, val, reason, sizeof(reason))) {
		snprintf(why, len, "%s: %s", settings[id].name, reason);
		return -1;
	}
	return 0;
}

/* The lines skipped; the first's number and why in *first and why. */
static int parse_text(struct nload_settings *s, const char *text, size_t len, unsigned int *first,
		      char *why, size_t whylen)
{
	char line[LINE_MAX_LEN], reason[256];
	unsigned int lineno = 0;
	size_t pos = 0;
	int bad = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = (nl ? (size_t)(nl - text) : len) - pos;
		int r = 0;

		lineno++;
		if (n >= sizeof(line)) {
			snprintf(reason, sizeof(reason), "longer than %zu bytes", sizeof(line) - 1);
			r = -1;
		} else if (memchr(text + pos, '\0', n)) {
			snprintf(reason, sizeof(reason), "not text (a NUL byte)");
			r = -1;
		} else {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			r = parse_line(s, line, reason, sizeof(reason));
		}
		if (r && !bad++) {
			*first = lineno;
			snprintf(why, whylen, "%s", reason);
		}
		pos += n + 1;
	}
	return bad;
}

int nload_config_parse(struct nload_settings *s, const char *text, size_t len, char *err,
		       size_t errlen)
{
	unsigned int first = 0;
	char why[256];
	int bad = parse_text(s, text, len, &first, why, sizeof(why));

	if (bad)
		snprintf(err, errlen, "line %u: %s", first, why);
	else if (errlen)
		err[0] = '\0';
	return bad;
}

size_t nload_config_format(const struct nload_settings *s, char *buf, size_t len)
{
	char v[NLOAD_DEVICES_LEN];
	size_t o;
	int n;

	n = snprintf(buf, len, "Version=\"1\"\n");
	o = n > 0 ? (size_t)n : 0;
	for (int i = 0; i < NLS_COUNT; i++) {
		enum nload_setting_id id = file_order[i];

		n = snprintf(o < len ? buf + o : NULL, o < len ? len - o : 0, "%s=\"%s\"\n",
			     settings[id].name, nload_setting_get(s, id, v, sizeof(v)));
		o += n > 0 ? (size_t)n : 0;
	}
	return o;
}

int nload_config_path(char *buf, size_t len)
{
	const char *p = getenv("SOCKTAP_NLOAD_CONFIG"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n;

	if (p && *p)
		n = snprintf(buf, len, "%s", p);
	else if (xdg && xdg[0] == '/') /* XDG: a relative path is to be ignored */
		n = snprintf(buf, len, "%s/socktap/nload.conf", xdg);
	else if (home && *home)
		n = snprintf(buf, len, "%s/.config/socktap/nload.conf", home);
	else {
		snprintf(buf, len, "no settings file: HOME is not set");
		return -1;
	}
	if (n < 0 || (size_t)n >= len) {
		snprintf(buf, len, "the settings file's path is too long");
		return -1;
	}
	return 0;
}

int nload_config_load(const char *path, struct nload_settings *s, char *err, size_t errlen)
{
	char *buf = NULL, why[256];
	unsigned int first = 0;
	struct stat st;
	ssize_t r;
	size_t n = 0;
	int fd, bad, e;

	/* O_NONBLOCK: a FIFO put there must not hang the screen */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	buf = malloc(CONFIG_MAX + 1);
	if (!buf) {
		close(fd);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	while (n <= CONFIG_MAX && (r = read(fd, buf + n, CONFIG_MAX + 1 - n)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			snprintf(err, errlen, "%s: %s", path, strerror(e));
			free(buf);
			close(fd);
			return -e;
		}
		n += (size_t)r;
	}
	close(fd);
	if (n > CONFIG_MAX) {
		snprintf(err, errlen, "%s: larger than %d kB, not a settings file", path,
			 CONFIG_MAX / 1024);
		free(buf);
		return -EFBIG;
	}
	bad = parse_text(s, buf, n, &first, why, sizeof(why));
	free(buf);
	if (!bad)
		snprintf(err, errlen, "%s", path);
	else if (bad == 1)
		snprintf(err, errlen, "%s:%u: %s; ignored", path, first, why);
	else
		snprintf(err, errlen, "%s:%u: %s; %d lines ignored", path, first, why, bad);
	return bad;
}

/* The directories above path that are missing, as mkdir -p makes them;
 * 0700, as XDG asks of the directories it names. */
static void make_parents(const char *path)
{
	char dir[PATH_MAX];

	if (snprintf(dir, sizeof(dir), "%s", path) >= (int)sizeof(dir))
		return;
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) && errno != EEXIST)
			return;
		*p = '/';
	}
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int nload_config_save(const char *path, const struct nload_settings *s, char *err, size_t errlen)
{
	char text[NLOAD_DEVICES_LEN + 512], tmp[PATH_MAX];
	char *real = realpath(path, NULL);
	const char *target = real ? real : path; /* a link to the file stays one */
	struct stat st;
	size_t n = nload_config_format(s, text, sizeof(text));
	bool existed = !stat(target, &st);
	int fd = -1, ret = -1;

	if (n >= sizeof(text)) {
		snprintf(err, errlen, "%s: the settings do not fit", path);
		goto out;
	}
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", target) >= (int)sizeof(tmp)) {
		snprintf(err, errlen, "%s: the path is too long", path);
		goto out;
	}
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		make_parents(target);
		snprintf(tmp, sizeof(tmp), "%s.XXXXXX", target);
		fd = mkostemp(tmp, O_CLOEXEC);
	}
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto out;
	}
	/* the file as it was: its mode, and its owner (socktap runs as root,
	 * the file may be a user's); a new one as nload's would be */
	if (existed) {
		if (fchmod(fd, st.st_mode & 07777) == 0 && geteuid() == 0)
			(void)!fchown(fd, st.st_uid, st.st_gid);
	} else {
		(void)!fchmod(fd, 0644);
	}
	if (write_all(fd, text, n) || fsync(fd)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (close(fd)) {
		fd = -1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, target)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	ret = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(real);
	return ret;
}
