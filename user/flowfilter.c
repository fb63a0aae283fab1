// SPDX-License-Identifier: GPL-2.0
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include "flowfilter.h"
#include "resolve.h"
#include "services.h"
#include "sockets.h"
#include "ssfilter.h"
#include "util.h"

#define FILTER_WORDS_MAX 64

void flowfilter_init(struct flowfilter *f)
{
	struct stat st;

	memset(f, 0, sizeof(*f));
	f->self = (uint32_t)getpid();
	if (stat("/proc/self/ns/net", &st) == 0)
		f->self_netns = (uint32_t)st.st_ino;
	ephemeral_range(&f->eph_lo, &f->eph_hi);
}

int flowfilter_compile(struct flowfilter *f, const char *expr, char *err, size_t errlen)
{
	char *copy = xstrdup(expr), *words[FILTER_WORDS_MAX], *save = NULL, *w;
	struct ssfilter *e;
	int n = 0;

	for (w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
		if (n == FILTER_WORDS_MAX) {
			snprintf(err, errlen, "filter too long: at most %d words",
				 FILTER_WORDS_MAX);
			free(copy);
			return -1;
		}
		words[n++] = w;
	}
	e = ssfilter_parse_family(n, words, f->family, &resolver_system, err, errlen);
	free(copy);
	if (!e)
		return -1;
	ssfilter_free(f->expr);
	f->expr = e;
	f->states = ssfilter_states(e);
	return 0;
}

static void sample_entry(const struct flow_sample *s, struct sock_entry *e)
{
	memset(e, 0, sizeof(*e));
	e->kind = s->proto == IPPROTO_TCP ? SK_TCP : SK_UDP;
	e->family = s->family;
	e->proto = s->proto;
	e->state = s->state;
	e->netns = s->netns;
	memcpy(e->laddr, s->laddr, 16);
	memcpy(e->raddr, s->raddr, 16);
	e->lport = s->lport;
	e->rport = s->rport;
	e->uid = s->uid;
	e->cookie = s->cookie;
	e->cgroup = s->cgroup;
	e->ifindex = s->ifindex;
}

bool flowfilter_want(const struct flow_sample *s, void *ctx)
{
	const struct flowfilter *f = ctx;
	struct sock_entry e;

	/* socktap's own lookups (DNS for the screen) are not the host's traffic */
	if (s->pid == f->self)
		return false;
	if (f->pid && s->pid != f->pid)
		return false;
	if (f->cgroup && s->cgroup != f->cgroup)
		return false;
	/* interface numbers are per namespace: IFACE is one of socktap's */
	if (f->ifindex && (s->ifindex != f->ifindex || s->netns != f->self_netns))
		return false;
	/* a closed socket is judged by the state it had */
	if (f->states && !s->closed && !(f->states & (1u << s->state)))
		return false;
	if (!f->expr || !ssfilter_has_expr(f->expr))
		return true;
	sample_entry(s, &e);
	return ssfilter_match(f->expr, &e, f->eph_lo, f->eph_hi);
}

void flowfilter_free(struct flowfilter *f)
{
	ssfilter_free(f->expr);
	f->expr = NULL;
}
