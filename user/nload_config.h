/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nload's settings, pure: their values as the options window and the
 * settings file show them, and the file itself. The file has nload's
 * ~/.nload format, so that a user's nload settings read back:
 *
 *   Version="1"
 *   AverageWindow="300"
 *   TrafficFormat="Human Readable (Bit)"
 *   ...
 *
 * one NAME="VALUE" a line (quotes optional, '#' comments), nload's names
 * and nload's words for units ("kByte") and for the -m box ("[x]").
 */
#ifndef SOCKTAP_NLOAD_CONFIG_H
#define SOCKTAP_NLOAD_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for "all" or the names of the devices to show, spaces between. */
#define NLOAD_DEVICES_LEN 512

struct nload_settings {
	double avg_s; /* AverageWindow, -a: seconds */
	uint64_t in_max, out_max; /* BarMaxIn, BarMaxOut, -i, -o: kBit/s, 0 automatic */
	char data_unit; /* DataFormat, -U: an nload unit letter (units.h) */
	char traffic_unit; /* TrafficFormat, -u */
	unsigned int refresh_ms; /* RefreshInterval, -t */
	bool multiple; /* MultipleDevices, -m */
	char devices[NLOAD_DEVICES_LEN]; /* Devices: "all", or names and single spaces */
};

/* The settings, in the options window's order. */
enum nload_setting_id {
	NLS_AVG,
	NLS_IN_MAX,
	NLS_OUT_MAX,
	NLS_DATA_UNIT,
	NLS_TRAFFIC_UNIT,
	NLS_REFRESH,
	NLS_MULTIPLE,
	NLS_DEVICES,
	NLS_COUNT,
};

#define NLS_BIT(id) (1u << (id))
#define NLS_ALL (NLS_BIT(NLS_COUNT) - 1)

/* nload's name of a setting ("AverageWindow"), and the window's label. */
const char *nload_setting_name(enum nload_setting_id id);
const char *nload_setting_label(enum nload_setting_id id);
/* What the window says under a setting: its unit, range, accepted values. */
const char *nload_setting_hint(enum nload_setting_id id);

/* A setting's value as text, as the file and the window show it ("kByte",
 * "[x]", "300"). Returns buf. */
const char *nload_setting_get(const struct nload_settings *s, enum nload_setting_id id, char *buf,
			      size_t len);
/*
 * Sets a setting from text (surrounding blanks ignored). Units are nload's
 * words or socktap's letters ("kByte" or "K"); the -m box "[x]" or "[ ]"
 * (also x, yes, on, 1 and their opposites); devices "all" or names (nload:
 * "all" among names means all). 0, or -1 with a reason in err and s as it
 * was.
 */
int nload_setting_set(struct nload_settings *s, enum nload_setting_id id, const char *text,
		      char *err, size_t errlen);
/* Copies the settings whose bits are in mask from src to dst. */
void nload_settings_copy(struct nload_settings *dst, const struct nload_settings *src,
			 unsigned int mask);
/* Whether name is to be shown under s->devices. */
bool nload_devices_has(const char *devices, const char *name);

/*
 * The file's text, len bytes, read over s: each good line sets its
 * setting; a malformed one (no '=', a quote not closed, an unknown name,
 * a value refused) is skipped. Returns how many were skipped, the first
 * as "line N: why" in err.
 */
int nload_config_parse(struct nload_settings *s, const char *text, size_t len, char *err,
		       size_t errlen);
/* The file's text for s, NUL-terminated, truncated to len. Returns the
 * length it needs (as snprintf). */
size_t nload_config_format(const struct nload_settings *s, char *buf, size_t len);

/* The file: $SOCKTAP_NLOAD_CONFIG, or $XDG_CONFIG_HOME/socktap/nload.conf,
 * or ~/.config/socktap/nload.conf. 0, or -1 with the reason in buf. */
int nload_config_path(char *buf, size_t len);
/*
 * Reads the file at path over s. Returns -errno when it cannot be read
 * (-ENOENT: there is none), else the lines skipped as nload_config_parse
 * does; err says why, prefixed with the path ("PATH:3: ...").
 */
int nload_config_load(const char *path, struct nload_settings *s, char *err, size_t errlen);
/* Writes s to path, whole or not at all (a new file renamed over it; a
 * symbolic link is followed), making the directories it needs. 0, or -1
 * with the reason in err. */
int nload_config_save(const char *path, const struct nload_settings *s, char *err, size_t errlen);

#endif
