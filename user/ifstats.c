// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>
#include "ifstats.h"
#include "util.h"

void ifstats_init(struct ifstats *S, double refresh_s, double avg_s, size_t graph_cap)
{
	memset(S, 0, sizeof(*S));
	if (refresh_s <= 0)
		refresh_s = 0.5;
	/* as nload: a window of N seconds is N / refresh samples, at least 1 */
	S->second_frames = (size_t)(1.0 / refresh_s);
	if (S->second_frames < 1)
		S->second_frames = 1;
	S->avg_frames = (size_t)(avg_s / refresh_s);
	if (S->avg_frames < S->second_frames + 1)
		S->avg_frames = S->second_frames + 1;
	S->graph_cap = graph_cap ? graph_cap : 1;
}

static struct if_dev *find_dev(struct ifstats *S, uint32_t netns, int32_t ifindex)
{
	for (size_t i = 0; i < S->n; i++)
		if (S->v[i].netns == netns && S->v[i].ifindex == ifindex)
			return &S->v[i];
	return NULL;
}

static struct if_dev *add_dev(struct ifstats *S, const struct link_sample *l)
{
	struct if_dev *d;

	if (S->n == S->cap) {
		S->cap = S->cap ? S->cap * 2 : 16;
		S->v = xrealloc(S->v, S->cap * sizeof(*S->v));
	}
	d = &S->v[S->n++];
	memset(d, 0, sizeof(*d));
	d->netns = l->netns;
	d->ifindex = l->ifindex;
	d->last = *l;
	d->frames = xcalloc(S->avg_frames + 1, sizeof(*d->frames));
	d->graph_rx = xcalloc(S->graph_cap, sizeof(double));
	d->graph_tx = xcalloc(S->graph_cap, sizeof(double));
	return d;
}

/* What a counter moved since last: a counter that went back was reset and
 * counts from zero. */
static uint64_t moved(uint64_t now, uint64_t last)
{
	return now >= last ? now - last : now;
}

/* The frame k samples before the newest (0: the newest). */
static const struct if_frame *frame_back(const struct if_dev *d, size_t cap, size_t k)
{
	return &d->frames[(d->head + cap - k) % cap];
}

static struct if_rate rate_between(const struct if_frame *a, const struct if_frame *b)
{
	struct if_rate r = { 0, 0 };
	double dt = b->t - a->t;

	if (dt > 0) {
		r.rx = (double)(b->c.rx_bytes - a->c.rx_bytes) / dt;
		r.tx = (double)(b->c.tx_bytes - a->c.tx_bytes) / dt;
	}
	return r;
}

static void sample(struct ifstats *S, struct if_dev *d, const struct link_sample *l, double now)
{
	size_t cap = S->avg_frames + 1, back;

	if (d->samples) {
		d->total.rx_bytes += moved(l->rx_bytes, d->last.rx_bytes);
		d->total.tx_bytes += moved(l->tx_bytes, d->last.tx_bytes);
		d->total.rx_packets += moved(l->rx_packets, d->last.rx_packets);
		d->total.tx_packets += moved(l->tx_packets, d->last.tx_packets);
		d->head = (d->head + 1) % cap;
	}
	d->last = *l;
	memcpy(d->name, l->name, sizeof(d->name));
	memcpy(d->addr, l->addr, sizeof(d->addr));
	d->up = l->up;
	d->gone = false;
	d->frames[d->head] = (struct if_frame){ now, d->total };
	d->samples++;
	if (d->nframes < cap)
		d->nframes++;
	if (d->nframes < 2)
		return;
	d->interval = rate_between(frame_back(d, cap, 1), frame_back(d, cap, 0));
	back = d->nframes - 1 < S->second_frames ? d->nframes - 1 : S->second_frames;
	d->cur = rate_between(frame_back(d, cap, back), frame_back(d, cap, 0));
	d->avg = rate_between(frame_back(d, cap, d->nframes - 1), frame_back(d, cap, 0));
	/* Min and Max of Curr, from its first value on */
	if (d->nframes == 2) {
		d->min = d->max = d->cur;
	} else {
		d->min.rx = d->cur.rx < d->min.rx ? d->cur.rx : d->min.rx;
		d->min.tx = d->cur.tx < d->min.tx ? d->cur.tx : d->min.tx;
		d->max.rx = d->cur.rx > d->max.rx ? d->cur.rx : d->max.rx;
		d->max.tx = d->cur.tx > d->max.tx ? d->cur.tx : d->max.tx;
	}
	d->graph_head = (d->graph_head + 1) % S->graph_cap;
	d->graph_rx[d->graph_head] = d->cur.rx;
	d->graph_tx[d->graph_head] = d->cur.tx;
	if (d->ngraph < S->graph_cap)
		d->ngraph++;
}

void ifstats_update(struct ifstats *S, const struct link_set *set, double now)
{
	for (size_t i = 0; i < S->n; i++)
		S->v[i].gone = true;
	for (size_t i = 0; i < set->n; i++) {
		const struct link_sample *l = &set->v[i];
		struct if_dev *d = find_dev(S, l->netns, l->ifindex);

		sample(S, d ? d : add_dev(S, l), l, now);
	}
}

void ifstats_free(struct ifstats *S)
{
	for (size_t i = 0; i < S->n; i++) {
		free(S->v[i].frames);
		free(S->v[i].graph_rx);
		free(S->v[i].graph_tx);
	}
	free(S->v);
	memset(S, 0, sizeof(*S));
}
