// SPDX-License-Identifier: GPL-2.0
#include "kbugs.h"
#include "unit.h"

static bool affected(const char *release, const char *version, const char *signature)
{
	struct kver v;

	if (kbug_parse_version(release, version, signature, &v))
		return false;
	return kbug_tcp_iter_affected(&v);
}

TEST(kbugs_version_sources)
{
	struct kver v = { 0 };

	/* Debian: the package's upstream version, not the ABI name */
	ASSERT_EQ(kbug_parse_version("6.1.0-40-amd64",
				     "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (2026-10-01)", NULL,
				     &v),
		  0, "debian");
	ASSERT_EQ(v.major * 100000 + v.minor * 1000 + v.patch, 601192, "debian 6.1.192");
	/* Ubuntu: the signature's last field */
	ASSERT_EQ(kbug_parse_version("6.8.0-49-generic", "#49-Ubuntu SMP",
				     "Ubuntu 6.8.0-49.49-generic 6.8.12", &v),
		  0, "ubuntu");
	ASSERT_EQ(v.major * 100000 + v.minor * 1000 + v.patch, 608012, "ubuntu 6.8.12");
	/* anything else: uname -r */
	ASSERT_EQ(kbug_parse_version("6.18.44-fc-v1045", "#1 SMP PREEMPT_DYNAMIC @0", NULL, &v), 0,
		  "release");
	ASSERT_EQ(v.major * 100000 + v.minor * 1000 + v.patch, 618044, "6.18.44");
	ASSERT_EQ(kbug_parse_version("7.2-rc6", NULL, NULL, &v), 0, "two fields");
	ASSERT_EQ(v.major * 100000 + v.minor * 1000 + v.patch, 702000, "7.2");
	ASSERT_EQ(kbug_parse_version("weird", "no", "signature", &v), -1, "nothing parses");
}

TEST(kbugs_tcp_iter_ranges)
{
	static const struct {
		const char *release;
		bool affected;
	} cases[] = {
		/* before the batching walk, and from 7.2 on */
		{ "5.10.200", false },
		{ "7.2.0", false },
		{ "7.3.4", false },
		/* the stable series, either side of their fix */
		{ "6.1.182", true },
		{ "6.1.183", false },
		{ "6.6.151", true },
		{ "6.6.152", false },
		{ "6.12.103", true },
		{ "6.12.117", false },
		{ "6.18.44-fc-v1045", true },
		{ "6.18.45", false },
		{ "7.1.8", true },
		{ "7.1.9", false },
		/* series no fix went into */
		{ "5.15.190", true },
		{ "6.8.12", true },
		{ "6.19.3", true },
		{ "7.0.1", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		ASSERT_EQ(affected(cases[i].release, NULL, NULL), cases[i].affected,
			  cases[i].release);
	/* bookworm's stock kernel, 6.1.192 under the ABI name 6.1.0 */
	ASSERT_TRUE(!affected("6.1.0-40-amd64",
			      "#1 SMP PREEMPT_DYNAMIC Debian 6.1.192-1 (2026-10-01)", NULL),
		    "bookworm");
}
