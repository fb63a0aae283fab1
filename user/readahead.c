// SPDX-License-Identifier: GPL-2.0
/* The read-ahead thread and the caller's queue of chunks (readahead.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "readahead.h"
#include "util.h"

static void chunks_free(struct ra_chunk *k)
{
	while (k) {
		struct ra_chunk *next = k->next;

		free(k->buf);
		free(k);
		k = next;
	}
}

static void *reader_run(void *arg)
{
	struct readahead *r = arg;

	for (;;) {
		struct ra_chunk *k;
		int more;

		pthread_mutex_lock(&r->mu);
		if (r->stop) {
			pthread_mutex_unlock(&r->mu);
			return NULL;
		}
		if ((k = r->spare))
			r->spare = k->next;
		pthread_mutex_unlock(&r->mu);
		if (!k) {
			k = xmalloc(sizeof(*k));
			k->cap = r->chunk_size;
			k->buf = xmalloc(k->cap);
		}
		k->next = NULL;
		k->len = 0;
		more = r->fill(r->ctx, k);
		pthread_mutex_lock(&r->mu);
		if (more < 0) {
			r->err = errno ? errno : EIO;
			chunks_free(k);
		} else {
			if (r->tail)
				r->tail->next = k;
			else
				r->head = k;
			r->tail = k;
		}
		if (more <= 0)
			r->ended = true;
		pthread_cond_signal(&r->cv);
		pthread_mutex_unlock(&r->mu);
		if (more <= 0)
			return NULL;
	}
}

int ra_start(struct readahead *r, ra_fill_fn fill, void *ctx, size_t chunk_size)
{
	memset(r, 0, sizeof(*r));
	r->fill = fill;
	r->ctx = ctx;
	r->chunk_size = chunk_size;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	if (pthread_create(&r->thread, NULL, reader_run, r)) {
		pthread_mutex_destroy(&r->mu);
		pthread_cond_destroy(&r->cv);
		return -1;
	}
	return 0;
}

struct ra_chunk *ra_next(struct readahead *r)
{
	struct ra_chunk *k;

	pthread_mutex_lock(&r->mu);
	while (!r->head && !r->ended)
		pthread_cond_wait(&r->cv, &r->mu);
	k = r->head;
	if (k && !(r->head = k->next))
		r->tail = NULL;
	pthread_mutex_unlock(&r->mu);
	return k;
}

void ra_put(struct readahead *r, struct ra_chunk *k)
{
	pthread_mutex_lock(&r->mu);
	k->next = r->spare;
	r->spare = k;
	pthread_mutex_unlock(&r->mu);
}

int ra_stop(struct readahead *r)
{
	int err;

	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_mutex_unlock(&r->mu);
	/* a fill under way ends first: the reader checks stop between chunks */
	pthread_join(r->thread, NULL);
	err = r->err;
	chunks_free(r->head);
	chunks_free(r->spare);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	memset(r, 0, sizeof(*r));
	return err;
}
