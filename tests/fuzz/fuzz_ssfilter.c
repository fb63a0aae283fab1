// SPDX-License-Identifier: GPL-2.0
/*
 * ss's filter language (ssfilter.c), as `socktap ss [options] FILTER...`
 * reads it. Input: the first byte picks ss's preferred family (0, -4, -6,
 * -x, -0, --family=netlink, or one ssfilter refuses), the rest is argv,
 * one word a line. Names resolve through the fake table (fuzz.h).
 *
 * Invariants: a refusal says why in one line; a filter that parses
 * answers its questions and matches every sample socket without fault,
 * and its family is one ss knows.
 */
#include <string.h>
#include <sys/socket.h>
#include "fuzz.h"
#include "sockets.h"
#include "ssfilter.h"

static const int families[8] = { 0, AF_INET, AF_INET6, AF_UNIX, AF_PACKET, AF_NETLINK, 99, 0 };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz_parts words;
	struct ssfilter *f;
	char err[256];
	int family, fam;

	if (size < 1)
		return 0;
	family = families[data[0] % 8];
	fuzz_split(&words, data + 1, size - 1, '\n', FUZZ_PARTS_MAX);
	/* an empty input is no words at all */
	memset(err, 'x', sizeof(err));
	f = ssfilter_parse_family(size > 1 ? words.n : 0, words.v, family, &test_resolver, err,
				  sizeof(err));
	FUZZ_CHECK(memchr(err, '\0', sizeof(err)));
	if (!f) {
		FUZZ_CHECK(err[0] != '\0');
		FUZZ_CHECK(!strchr(err, '\n'));
	} else {
		const struct sock_entry *v;
		size_t n;

		fam = ssfilter_family(f);
		FUZZ_CHECK(fam == 0 || fam == AF_INET || fam == AF_INET6 || fam == AF_UNIX ||
			   fam == AF_PACKET || fam == AF_NETLINK);
		FUZZ_CHECK((ssfilter_states(f) & ~0xfffu) == 0);
		(void)ssfilter_has_expr(f);
		v = fuzz_sockets(&n);
		for (size_t i = 0; i < n; i++) {
			(void)ssfilter_match(f, &v[i], 32768, 60999);
			(void)ssfilter_match(f, &v[i], 1, 65535);
		}
		ssfilter_free(f);
	}
	fuzz_parts_free(&words);
	return 0;
}
