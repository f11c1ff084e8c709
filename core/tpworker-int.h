/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * tpworker-int: what the two sides of the tracepoint worker share:
 * tpworker.c (the caller's side: processes, protocol, blame) and
 * tpworker-child.c (the forked worker: libtraceevent). The protocol is
 * described in tpworker.c.
 */
#ifndef FS_TPWORKER_INT_H
#define FS_TPWORKER_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include "tpworker.h"

#define FS_TPW_MAX_SYMS		4096	/* flag and symbol names per event */

/* What became of each format: a worker parses the new ones and those that parsed before. */
enum { FMT_NEW, FMT_DESCRIBED, FMT_REFUSED, FMT_BAD };

static inline bool fs_tpw__attempted(uint8_t state)
{
	return state == FMT_NEW || state == FMT_DESCRIBED;
}

/* What a worker is told when it is forked. */
struct fs_tpw_child {
	const struct fs_tpw_data *d;
	const uint8_t *fmt;		/* FMT_* per format */
	bool no_header, no_tail, no_plugins;	/* left out: they crashed a worker before */
};

/* The worker's life: it answers on fd (resolver answers come on rfd) until the parent goes. */
void fs_tpw_child__main(const struct fs_tpw_child *cfg, pid_t parent, int fd, int rfd)
	__attribute__((noreturn));

/* A growable buffer for messages. */
struct gbuf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

static inline void gb_put(struct gbuf *b, const void *d, size_t n)
{
	if (b->oom || !n)
		return;
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2 + 256;
		uint8_t *p = realloc(b->p, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static inline void gb_u32(struct gbuf *b, uint32_t v)
{
	gb_put(b, &v, 4);
}

static inline void gb_str(struct gbuf *b, const char *s)
{
	uint32_t n = s ? strlen(s) : 0;

	gb_u32(b, n);
	gb_put(b, s, n);
}

#endif
