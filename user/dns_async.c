// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include "dns_async.h"

#define WAYS 4
#define SETS 1024 /* WAYS * SETS = 4096 names */
#define QUEUE 256
#define NAME_LEN 256 /* DNS names are at most 253 characters */

enum { EMPTY, PENDING, DONE };

struct key {
	uint8_t family; /* AF_INET or AF_INET6 */
	uint8_t addr[16]; /* IPv4 in the first 4, the rest zero */
};

struct entry {
	struct key key;
	uint8_t state;
	uint32_t used; /* the clock at its last use: the oldest DONE goes first */
	char name[NAME_LEN]; /* "" for an address with no name */
};

/*
 * The caller's thread creates entries (PENDING) and evicts DONE ones; the
 * worker only fills PENDING ones. So a name handed out (DONE) is never
 * written while the caller holds it, and the worker's getnameinfo runs
 * without the lock.
 */
static struct entry cache[SETS][WAYS];
static struct key queue[QUEUE];
static unsigned int q_head, q_len;
static uint32_t clock_now;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static pthread_t worker;
static bool started, stopping, failed;

static bool key_eq(const struct key *a, const struct key *b)
{
	return a->family == b->family && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

static struct entry *set_of(const struct key *k)
{
	uint32_t h = 2166136261u; /* FNV-1a */

	h = (h ^ k->family) * 16777619u;
	for (size_t i = 0; i < sizeof(k->addr); i++)
		h = (h ^ k->addr[i]) * 16777619u;
	return cache[h % SETS];
}

/* The entry of k in its set, or NULL. Under the lock. */
static struct entry *find(const struct key *k)
{
	struct entry *set = set_of(k);

	for (int w = 0; w < WAYS; w++)
		if (set[w].state != EMPTY && key_eq(&set[w].key, k))
			return &set[w];
	return NULL;
}

static void resolve(const struct key *k, char *name, size_t len)
{
	struct sockaddr_storage ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;
	socklen_t sl;

	memset(&ss, 0, sizeof(ss));
	if (k->family == AF_INET) {
		sin->sin_family = AF_INET;
		memcpy(&sin->sin_addr, k->addr, 4);
		sl = sizeof(*sin);
	} else {
		sin6->sin6_family = AF_INET6;
		memcpy(&sin6->sin6_addr, k->addr, 16);
		sl = sizeof(*sin6);
	}
	if (getnameinfo((struct sockaddr *)&ss, sl, name, len, NULL, 0, NI_NAMEREQD))
		name[0] = '\0';
}

static void *work(void *arg)
{
	char name[NI_MAXHOST];
	struct entry *e;
	struct key k;

	(void)arg;
	pthread_mutex_lock(&lock);
	for (;;) {
		while (!q_len && !stopping)
			pthread_cond_wait(&wake, &lock);
		if (stopping)
			break;
		k = queue[q_head];
		q_head = (q_head + 1) % QUEUE;
		q_len--;
		pthread_mutex_unlock(&lock);

		resolve(&k, name, sizeof(name));

		pthread_mutex_lock(&lock);
		if ((e = find(&k)) && e->state == PENDING) {
			/* a longer name than DNS allows is cut, not lost */
			size_t n = strnlen(name, sizeof(e->name) - 1);

			memcpy(e->name, name, n);
			e->name[n] = '\0';
			e->state = DONE;
		}
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Starts the worker with every signal blocked: they are the main thread's. */
static void start(void)
{
	sigset_t all, old;

	started = true;
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	if (pthread_create(&worker, NULL, work, NULL))
		failed = true;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static bool make_key(struct key *k, int family, const uint8_t addr[16])
{
	static const uint8_t mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	static const uint8_t zero[16];

	memset(k, 0, sizeof(*k));
	if (family == AF_INET6 && !memcmp(addr, mapped, sizeof(mapped))) {
		k->family = AF_INET;
		memcpy(k->addr, addr + 12, 4);
	} else if (family == AF_INET) {
		k->family = AF_INET;
		memcpy(k->addr, addr, 4);
	} else if (family == AF_INET6) {
		k->family = AF_INET6;
		memcpy(k->addr, addr, 16);
	} else {
		return false;
	}
	/* the wildcard address has no name worth a lookup */
	return memcmp(k->addr, zero, sizeof(zero)) != 0;
}

const char *dns_async_name(int family, const uint8_t addr[16])
{
	const char *name = NULL;
	struct entry *e, *set, *victim = NULL;
	struct key k;

	if (!make_key(&k, family, addr))
		return NULL;
	pthread_mutex_lock(&lock);
	clock_now++;
	if ((e = find(&k))) {
		e->used = clock_now;
		if (e->state == DONE && e->name[0])
			name = e->name;
		goto out;
	}
	if (!started && !stopping)
		start();
	if (failed || stopping || q_len == QUEUE)
		goto out;
	/* an empty way, else the least recently used named one */
	set = set_of(&k);
	for (int w = 0; w < WAYS; w++) {
		if (set[w].state == EMPTY) {
			victim = &set[w];
			break;
		}
		if (set[w].state == DONE &&
		    (!victim ||
		     (uint32_t)(clock_now - set[w].used) > (uint32_t)(clock_now - victim->used)))
			victim = &set[w];
	}
	if (!victim) /* four lookups of this set under way: later */
		goto out;
	victim->key = k;
	victim->state = PENDING;
	victim->used = clock_now;
	victim->name[0] = '\0';
	queue[(q_head + q_len) % QUEUE] = k;
	q_len++;
	pthread_cond_signal(&wake);
out:
	pthread_mutex_unlock(&lock);
	return name;
}

void dns_async_stop(void)
{
	struct timespec deadline;
	bool join;

	pthread_mutex_lock(&lock);
	join = started && !failed && !stopping;
	stopping = true;
	pthread_cond_broadcast(&wake);
	pthread_mutex_unlock(&lock);
	if (!join)
		return;
	clock_gettime(CLOCK_REALTIME, &deadline);
	deadline.tv_nsec += 200 * 1000000L;
	if (deadline.tv_nsec >= 1000000000L) {
		deadline.tv_sec++;
		deadline.tv_nsec -= 1000000000L;
	}
	if (pthread_timedjoin_np(worker, NULL, &deadline) == ETIMEDOUT)
		pthread_detach(worker);
}
