// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "kbugs.h"

static int parse_dotted(const char *s, struct kver *v)
{
	unsigned int a, b, c = 0;

	if (!s || sscanf(s, "%u.%u.%u", &a, &b, &c) < 2)
		return -1;
	*v = (struct kver){ a, b, c };
	return 0;
}

int kbug_parse_version(const char *release, const char *version, const char *signature,
		       struct kver *v)
{
	const char *p;

	if (version && (p = strstr(version, "Debian ")) && !parse_dotted(p + 7, v))
		return 0;
	/* the last field of Ubuntu's signature is the upstream version */
	if (signature && (p = strrchr(signature, ' ')) && !parse_dotted(p + 1, v))
		return 0;
	return parse_dotted(release, v);
}

static int cmp(const struct kver *a, unsigned int major, unsigned int minor, unsigned int patch)
{
	if (a->major != major)
		return a->major < major ? -1 : 1;
	if (a->minor != minor)
		return a->minor < minor ? -1 : 1;
	if (a->patch != patch)
		return a->patch < patch ? -1 : 1;
	return 0;
}

bool kbug_tcp_iter_affected(const struct kver *v)
{
	/* the stable series that took the fix, and the release from which on */
	static const struct kver fixed[] = {
		{ 6, 1, 183 }, { 6, 6, 152 }, { 6, 12, 104 }, { 6, 18, 45 }, { 7, 1, 9 },
	};

	/* the batching walk came in 5.15; the fix went into 7.2 */
	if (cmp(v, 5, 15, 0) < 0 || cmp(v, 7, 2, 0) >= 0)
		return false;
	for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		if (v->major == fixed[i].major && v->minor == fixed[i].minor)
			return v->patch < fixed[i].patch;
	/* a series no fix went into */
	return true;
}

static char *read_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "re");
	char *s = f ? fgets(buf, (int)len, f) : NULL;

	if (f)
		fclose(f);
	if (s)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

bool kbug_tcp_iter(char *why, size_t len)
{
	static int known = -1;
	static char reason[200];
	const char *env = getenv("SOCKTAP_TCP_ITER");

	if (env && !strcmp(env, "1"))
		return false;
	if (known < 0) {
		struct utsname u;
		struct kver v;
		char sig[256];

		known = 0;
		if (env && !strcmp(env, "0")) {
			known = 1;
			snprintf(reason, sizeof(reason), "SOCKTAP_TCP_ITER=0");
		} else if (!uname(&u) &&
			   !kbug_parse_version(
				   u.release, u.version,
				   read_line("/proc/version_signature", sig, sizeof(sig)), &v) &&
			   kbug_tcp_iter_affected(&v)) {
			known = 1;
			snprintf(reason, sizeof(reason),
				 "iter/tcp can free a connection still in use on Linux %u.%u.%u "
				 "(CVE-2026-74714; SOCKTAP_TCP_ITER=1 if the fix is in)",
				 v.major, v.minor, v.patch);
		}
	}
	if (known && why)
		snprintf(why, len, "%s", reason);
	return known;
}
