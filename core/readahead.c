// SPDX-License-Identifier: GPL-2.0-only
/*
 * The thread fills batches, the caller empties them, in a ring: the thread
 * fills batch k once the caller has let go of batch k - NBATCH, the caller
 * reads batch k once it is filled. A batch holds copies of its records
 * (each parsed sample's pointers moved onto the copy) and, after the last
 * one, whether the walk ended there and how. Batches are small enough to
 * stay in the caches between the two cores and the hand-over costs one
 * lock per batch, not per record.
 */
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include "readahead.h"

#define NBATCH		8
#define BATCH_BYTES	(512u << 10)
#define MAX_RECORD	(64u << 10)	/* header.size is 16 bits */
#define BATCH_EVENTS	1024

struct batch {
	char *bytes;			/* BATCH_BYTES of record copies */
	size_t used;
	struct fs_event *ev;		/* BATCH_EVENTS */
	size_t nr;
	int status;			/* after the last event: 0 more follow, 1 the end, -1 err */
	struct fs_error err;
};

struct fs_readahead {
	struct fs_reader *r;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch b[NBATCH];
	unsigned long filled;		/* batches the thread has filled */
	unsigned long released;		/* batches the caller is done with */
	bool stop;			/* the caller stops: the thread returns */
	/* the caller's side */
	unsigned long cur;		/* the batch it reads */
	size_t pos;			/* its next event */
	bool has_cur;
};

/* A pointer into the record at from, moved onto its copy at to. */
static inline const void *moved(const void *p, const void *from, void *to)
{
	return p ? (const char *)to + ((const char *)p - (const char *)from) : NULL;
}

/* The record b->ev[b->nr] points to, copied into the batch, the event moved onto the copy. */
static void copy_event(struct batch *b)
{
	struct fs_event *d = &b->ev[b->nr++];
	size_t size = d->event->header.size;
	struct fs_sample *s = &d->sample;
	const void *from = d->event;
	void *to = b->bytes + b->used;

	memcpy(to, from, size);
	b->used += (size + 7) & ~(size_t)7;
	d->event = to;
	if (!d->has_sample)
		return;
	s->callchain = moved(s->callchain, from, to);
	s->raw_data = moved(s->raw_data, from, to);
	s->read = moved(s->read, from, to);
	s->branch_entries = moved(s->branch_entries, from, to);
	s->user_regs = moved(s->user_regs, from, to);
	s->intr_regs = moved(s->intr_regs, from, to);
	s->user_stack = moved(s->user_stack, from, to);
	s->aux_data = moved(s->aux_data, from, to);
}

/* Walks the reader into b until b is full or the walk ends. */
static void fill(struct fs_readahead *ra, struct batch *b)
{
	b->used = b->nr = 0;
	b->status = 0;
	while (b->nr < BATCH_EVENTS && b->used + MAX_RECORD <= BATCH_BYTES) {
		/* read in place: an event is 300 bytes, most of a record's copy otherwise */
		int ret = fs_reader__next(ra->r, &b->ev[b->nr], &b->err);

		if (ret <= 0) {
			b->status = ret < 0 ? -1 : 1;
			return;
		}
		copy_event(b);
	}
}

static void *walk(void *arg)
{
	struct fs_readahead *ra = arg;

	for (unsigned long k = 0;; k++) {
		struct batch *b = &ra->b[k % NBATCH];
		bool stop;

		pthread_mutex_lock(&ra->lock);
		while (!ra->stop && k - ra->released >= NBATCH)
			pthread_cond_wait(&ra->cond, &ra->lock);
		stop = ra->stop;
		pthread_mutex_unlock(&ra->lock);
		if (stop)
			return NULL;
		fill(ra, b);
		pthread_mutex_lock(&ra->lock);
		ra->filled = k + 1;
		pthread_cond_broadcast(&ra->cond);
		pthread_mutex_unlock(&ra->lock);
		if (b->status)
			return NULL;
	}
}

static void batches_free(struct fs_readahead *ra)
{
	for (int i = 0; i < NBATCH; i++) {
		free(ra->b[i].bytes);
		free(ra->b[i].ev);
	}
}

struct fs_readahead *fs_readahead__new(struct fs_reader *r, struct fs_error *err)
{
	struct fs_readahead *ra;
	sigset_t all, old;
	int ret;

	if (fs_reader__header(r)->pipe_mode) {
		fs_error__set(err, "readahead: not in pipe mode");
		return NULL;
	}
	ra = calloc(1, sizeof(*ra));
	if (!ra)
		goto nomem;
	ra->r = r;
	for (int i = 0; i < NBATCH; i++) {
		ra->b[i].bytes = malloc(BATCH_BYTES);
		ra->b[i].ev = malloc(BATCH_EVENTS * sizeof(*ra->b[i].ev));
		if (!ra->b[i].bytes || !ra->b[i].ev)
			goto nomem;
	}
	pthread_mutex_init(&ra->lock, NULL);
	pthread_cond_init(&ra->cond, NULL);
	/* signals stay the caller's to take: the thread blocks them all */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	ret = pthread_create(&ra->thread, NULL, walk, ra);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (ret) {
		fs_error__set(err, "readahead: cannot start a thread: %s", strerror(ret));
		pthread_cond_destroy(&ra->cond);
		pthread_mutex_destroy(&ra->lock);
		batches_free(ra);
		free(ra);
		return NULL;
	}
	return ra;
nomem:
	fs_error__set(err, "out of memory");
	if (ra)
		batches_free(ra);
	free(ra);
	return NULL;
}

int fs_readahead__next(struct fs_readahead *ra, const struct fs_event **ev, struct fs_error *err)
{
	struct batch *b;

	for (;;) {
		if (!ra->has_cur) {
			pthread_mutex_lock(&ra->lock);
			while (ra->filled <= ra->cur)
				pthread_cond_wait(&ra->cond, &ra->lock);
			pthread_mutex_unlock(&ra->lock);
			ra->has_cur = true;
			ra->pos = 0;
		}
		b = &ra->b[ra->cur % NBATCH];
		if (ra->pos < b->nr) {
			*ev = &b->ev[ra->pos++];
			return 1;
		}
		if (b->status < 0) {
			*err = b->err;
			return -1;
		}
		if (b->status > 0)
			return 0;
		/* done with this one: the thread may fill it again */
		pthread_mutex_lock(&ra->lock);
		ra->released = ++ra->cur;
		pthread_cond_broadcast(&ra->cond);
		pthread_mutex_unlock(&ra->lock);
		ra->has_cur = false;
	}
}

void fs_readahead__delete(struct fs_readahead *ra)
{
	if (!ra)
		return;
	pthread_mutex_lock(&ra->lock);
	ra->stop = true;
	pthread_cond_broadcast(&ra->cond);
	pthread_mutex_unlock(&ra->lock);
	pthread_join(ra->thread, NULL);
	pthread_cond_destroy(&ra->cond);
	pthread_mutex_destroy(&ra->lock);
	batches_free(ra);
	free(ra);
}
