// SPDX-License-Identifier: GPL-2.0
/*
 * The /proc counters the classic tools print (procnet.c): /proc/net/dev
 * (netstat -i), /proc/net/snmp, netstat and snmp6 (netstat -s),
 * /proc/net/sockstat and sockstat6 (ss -s). Input: byte 0 picks what is
 * read (and netstat -s's groups), the rest is the files' text, NUL between
 * files. The last mode writes /proc/net/dev into a scratch tree and reads
 * it as netstat -i does, the next two parts standing for the flags and MTU
 * the ioctls give. The interfaces read also go through netstat -ie's long
 * form, the fifth part as /proc/net/if_inet6.
 *
 * Invariants: every text view writes without fault; every JSON view
 * writes valid JSON; interface names compare as an order (antisymmetric,
 * transitive), which qsort relies on.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "fuzz.h"
#include "print.h"
#include "ifconfig_fmt.h"
#include "procnet.h"

enum mode { DEV, STATS, STATS6, STATS_JSON, STATS6_JSON, SUMMARY, IFNAME_CMP, READ_IFACES, NMODES };

struct json_out {
	char *buf;
	size_t len;
	FILE *f;
};

static void json_begin(struct json_out *j)
{
	j->buf = NULL;
	j->len = 0;
	j->f = open_memstream(&j->buf, &j->len);
	if (!j->f)
		abort();
	print_init(j->f, true);
	print_doc_begin();
}

static void json_end(struct json_out *j)
{
	print_doc_end();
	print_fini();
	if (fclose(j->f))
		abort();
	if (!fuzz_json_valid(j->buf, j->len)) {
		fprintf(stderr, "not JSON: %.*s\n", (int)(j->len > 4000 ? 4000 : j->len), j->buf);
		FUZZ_CHECK(!"valid JSON");
	}
	free(j->buf);
	print_init(fuzz_devnull(), false);
}

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

static void check_cmp(const char *a, const char *b, const char *c)
{
	int ab = sign(procnet_ifname_cmp(a, b)), bc = sign(procnet_ifname_cmp(b, c));
	int ac = sign(procnet_ifname_cmp(a, c));

	FUZZ_CHECK(procnet_ifname_cmp(a, a) == 0);
	FUZZ_CHECK(ab == -sign(procnet_ifname_cmp(b, a)));
	if (ab <= 0 && bc <= 0)
		FUZZ_CHECK(ac <= 0);
	if (ab >= 0 && bc >= 0)
		FUZZ_CHECK(ac >= 0);
}

/*
 * Every interface also in netstat -ie's long form, with v6text as
 * /proc/net/if_inet6 and ioctl facts of every kind (ifinfo.c's part).
 */
static void ifaces_long(const struct procnet_iface *v, size_t n, const char *v6text)
{
	struct if_inet6 *v6;
	struct json_out j;
	size_t n6;

	ifconfig_parse_inet6(v6text, &v6, &n6);
	for (size_t k = 0; k < n6; k++)
		FUZZ_CHECK(memchr(v6[k].dev, '\0', sizeof(v6[k].dev)));
	json_begin(&j);
	print_arr_begin("interfaces");
	for (size_t k = 0; k < n; k++) {
		struct if_long l = { .hwtype = (uint16_t)(k * 257 + v[k].flags),
				     .txqlen = (int)k - 1,
				     .has_ip = k & 1,
				     .irq = (unsigned char)k,
				     .base_addr = (unsigned short)(v[k].mtu) };
		struct procnet_iface i = v[k];

		i.no_stats = k & 2;
		ifconfig_print_long(fuzz_devnull(), &i, &l, v6, n6);
		print_obj_begin(NULL);
		ifconfig_json_long(&i, &l, v6, n6);
		print_obj_end();
	}
	print_arr_end();
	json_end(&j);
	free(v6);
}

static void ifaces_out(struct procnet_iface *v, size_t n, const char *v6text)
{
	struct json_out j;
	char flags[64];

	for (size_t k = 0; k < n; k++) {
		FUZZ_CHECK(memchr(v[k].name, '\0', sizeof(v[k].name)));
		procnet_iface_flags(flags, sizeof(flags), v[k].flags);
		FUZZ_CHECK(memchr(flags, '\0', sizeof(flags)));
		if (k)
			FUZZ_CHECK(procnet_ifname_cmp(v[k - 1].name, v[k].name) <= 0);
	}
	procnet_iface_text(fuzz_devnull(), v, n, true);
	procnet_iface_text(fuzz_devnull(), v, n, false);
	json_begin(&j);
	procnet_iface_json(v, n, true, NULL, NULL);
	json_end(&j);
	ifaces_long(v, n, v6text);
	free(v);
}

/* A file of the scratch tree, with this text. */
static void put_file(const char *root, const char *rel, const char *text, size_t len)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd))
		abort();
}

static const char *scratch(void)
{
	static const char *root;

	if (!root) {
		char path[256];
		const char *dirs[] = { "proc", "proc/net" };

		root = fuzz_scratch_dir("procnet");
		for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", root, dirs[i]);
			if (mkdir(path, 0700) && errno != EEXIST)
				abort();
		}
	}
	return root;
}

static void read_ifaces(const struct fuzz_parts *p)
{
	const char *root = scratch();
	char proc[128];
	struct procnet_iface *v;
	size_t n;

	put_file(root, "proc/net/dev", p->v[0], p->len[0]);
	snprintf(proc, sizeof(proc), "%s/proc", root);
	if (procnet_read_ifaces(proc, &v, &n) == 0) {
		/* flags and MTU are the ioctls' (ifinfo.c): from the next parts */
		for (size_t k = 0; k < n; k++) {
			v[k].flags = p->n > 1 ? (unsigned int)strtoul(p->v[1], NULL, 0) + k : 0;
			v[k].mtu = p->n > 2 ? atoi(p->v[2]) : 0;
		}
		ifaces_out(v, n, p->n > 4 ? p->v[4] : NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct procnet_ss_summary sum;
	struct procnet_iface *v;
	struct fuzz_parts p;
	struct json_out j;
	unsigned int groups;
	const char *a, *b, *c;
	size_t n;

	if (size < 1)
		return 0;
	groups = (data[0] / NMODES) % 8;
	if (!groups)
		groups = PROCNET_STAT_ALL;
	fuzz_split(&p, data + 1, size - 1, '\0', 5);
	a = p.v[0];
	b = p.n > 1 ? p.v[1] : NULL;
	c = p.n > 2 ? p.v[2] : NULL;
	print_init(fuzz_devnull(), false);
	switch ((enum mode)(data[0] % NMODES)) {
	case DEV:
		if (procnet_parse_dev(a, &v, &n) == 0)
			ifaces_out(v, n, b);
		break;
	case STATS:
		procnet_stats_text(fuzz_devnull(), a, b, groups);
		break;
	case STATS6:
		procnet_stats6_text(fuzz_devnull(), a, b, groups);
		break;
	case STATS_JSON:
		json_begin(&j);
		procnet_stats_json(a, b, NULL, groups);
		json_end(&j);
		break;
	case STATS6_JSON:
		json_begin(&j);
		procnet_stats_json(b ? b : "", NULL, a, groups);
		json_end(&j);
		break;
	case SUMMARY:
		procnet_ss_summary_parse(a, b, c, &sum);
		procnet_ss_summary_text(fuzz_devnull(), &sum);
		json_begin(&j);
		procnet_ss_summary_json(&sum);
		json_end(&j);
		break;
	case IFNAME_CMP:
		check_cmp(a, b ? b : "", c ? c : "");
		break;
	default:
		read_ifaces(&p);
		break;
	}
	print_fini();
	fuzz_parts_free(&p);
	return 0;
}
