// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include "loader_iter.h"
#include "strbuf.h"
#include "socktap_iter.skel.h"

/* Reads in chunks of this much: more than the kernel's seq_file buffer. */
#define READ_CHUNK (64 * 1024)

const char *iter_kind_name(enum iter_kind k)
{
	static const char *const names[ITER_MAX] = {
		[ITER_TCP] = "iter/tcp",
		[ITER_UDP] = "iter/udp",
		[ITER_UNIX] = "iter/unix",
		[ITER_FILES] = "iter/task_file",
	};

	return k < ITER_MAX ? names[k] : "?";
}

static struct bpf_program *prog_of(struct socktap_iter_bpf *skel, enum iter_kind k)
{
	switch (k) {
	case ITER_TCP:
		return skel->progs.stp_iter_tcp;
	case ITER_UDP:
		return skel->progs.stp_iter_udp;
	case ITER_UNIX:
		return skel->progs.stp_iter_unix;
	case ITER_FILES:
		return skel->progs.stp_iter_files;
	case ITER_MAX:
		break;
	}
	return NULL;
}

int iter_loader_open(struct iter_loader *L, unsigned int kinds, const struct iter_config *cfg)
{
	int err;

	memset(L, 0, sizeof(*L));
	L->skel = socktap_iter_bpf__open();
	if (!L->skel) {
		snprintf(L->error, sizeof(L->error), "cannot open the iterator object: %s",
			 strerror(errno));
		return -1;
	}
	for (unsigned int k = 0; k < ITER_MAX; k++)
		bpf_program__set_autoload(prog_of(L->skel, k), kinds & ITER_BIT(k));
	L->skel->rodata->cfg_states = cfg->states;
	L->skel->rodata->cfg_family = cfg->family;
	L->skel->rodata->cfg_mem = cfg->mem;
	L->skel->rodata->cfg_tcpinfo = cfg->tcpinfo;
	L->skel->rodata->cfg_file_families = cfg->file_families;
	err = socktap_iter_bpf__load(L->skel);
	if (err) {
		snprintf(L->error, sizeof(L->error),
			 "loading the iterators failed: %s (run with -v for the verifier log)",
			 strerror(-err));
		return -1;
	}
	for (unsigned int k = 0; k < ITER_MAX; k++) {
		if (!(kinds & ITER_BIT(k)))
			continue;
		L->links[k] = bpf_program__attach_iter(prog_of(L->skel, k), NULL);
		if (!L->links[k]) {
			snprintf(L->error, sizeof(L->error), "attaching %s failed: %s",
				 iter_kind_name(k), strerror(errno));
			return -1;
		}
	}
	return 0;
}

int loader_iter_read(struct iter_loader *L, enum iter_kind k, struct strbuf *out)
{
	ssize_t n;
	int fd;

	if (k >= ITER_MAX || !L->links[k]) {
		snprintf(L->error, sizeof(L->error), "%s is not loaded", iter_kind_name(k));
		return -1;
	}
	/* the namespace is taken from the caller when the fd is created */
	fd = bpf_iter_create(bpf_link__fd(L->links[k]));
	if (fd < 0) {
		snprintf(L->error, sizeof(L->error), "%s failed: %s", iter_kind_name(k),
			 strerror(errno));
		return -1;
	}
	for (;;) {
		sb_reserve(out, READ_CHUNK);
		n = read(fd, out->p + out->len, READ_CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out->len += (size_t)n;
	}
	if (n < 0)
		snprintf(L->error, sizeof(L->error), "reading %s failed: %s", iter_kind_name(k),
			 strerror(errno));
	close(fd);
	return n < 0 ? -1 : 0;
}

void iter_loader_close(struct iter_loader *L)
{
	for (unsigned int k = 0; k < ITER_MAX; k++) {
		bpf_link__destroy(L->links[k]);
		L->links[k] = NULL;
	}
	socktap_iter_bpf__destroy(L->skel);
	L->skel = NULL;
}
