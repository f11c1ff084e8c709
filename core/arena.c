// SPDX-License-Identifier: GPL-2.0-only
/*
 * The symbolizer's arena: symbol names and whole copied string tables live
 * in large blocks freed together with the symbolizer, so loading a table of
 * a hundred thousand symbols costs a handful of allocations, not one each.
 */
#include <stdint.h>
#include <stdlib.h>
#include "symbols-int.h"

#define ARENA_BLOCK (1024 * 1024)

struct fs_arena_block {
	struct fs_arena_block *next;
	size_t used, size;
	char data[];
};

char *fs_arena__alloc(struct fs_arena *a, size_t size)
{
	struct fs_arena_block *b = a->head;

	if (!b || b->size - b->used < size) {
		/* big requests (whole string tables) get a block of their own */
		bool own = size > ARENA_BLOCK / 4;
		size_t bs = own ? size : ARENA_BLOCK;

		if (size > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + bs);
		if (!b)
			return NULL;
		b->size = bs;
		b->used = 0;
		if (own && a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used += size;
	return b->data + b->used - size;
}

void fs_arena__splice(struct fs_arena *to, struct fs_arena *from)
{
	struct fs_arena_block *last = from->head;

	if (!last)
		return;
	while (last->next)
		last = last->next;
	/* from's blocks go behind to's head, which stays the one being filled */
	if (to->head) {
		last->next = to->head->next;
		to->head->next = from->head;
	} else {
		to->head = from->head;
	}
	from->head = NULL;
}

void fs_arena__free(struct fs_arena *a)
{
	while (a && a->head) {
		struct fs_arena_block *b = a->head;

		a->head = b->next;
		free(b);
	}
}
