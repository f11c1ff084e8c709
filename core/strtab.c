// SPDX-License-Identifier: GPL-2.0-only
/*
 * Open-addressing hash of ids over strings kept in large blocks, so interning
 * costs one hash and, for a new string, one copy into the current block.
 */
#include <stdlib.h>
#include <string.h>
#include "strtab.h"

#define BLOCK_SIZE (256 * 1024)

struct block {
	struct block *next;
	size_t used, size;
	char data[];
};

struct fs_strtab {
	const char **strs;		/* by id */
	uint32_t *lens;
	uint32_t *hashes;
	uint32_t count, alloc;
	uint32_t *slots;		/* id + 1, 0 = empty */
	uint32_t nr_slots;		/* power of two */
	struct block *blocks;
};

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;	/* FNV-1a */

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

struct fs_strtab *fs_strtab__new(void)
{
	struct fs_strtab *t = calloc(1, sizeof(*t));

	if (!t)
		return NULL;
	t->nr_slots = 1024;
	t->slots = calloc(t->nr_slots, sizeof(*t->slots));
	if (!t->slots) {
		free(t);
		return NULL;
	}
	return t;
}

void fs_strtab__delete(struct fs_strtab *t)
{
	if (!t)
		return;
	while (t->blocks) {
		struct block *b = t->blocks;

		t->blocks = b->next;
		free(b);
	}
	free(t->strs);
	free(t->lens);
	free(t->hashes);
	free(t->slots);
	free(t);
}

static char *store(struct fs_strtab *t, const char *s, size_t len)
{
	struct block *b = t->blocks;
	char *p;

	if (!b || b->size - b->used < len + 1) {
		size_t size = len + 1 > BLOCK_SIZE ? len + 1 : BLOCK_SIZE;

		b = malloc(sizeof(*b) + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = t->blocks;
		t->blocks = b;
	}
	p = b->data + b->used;
	memcpy(p, s, len);
	p[len] = '\0';
	b->used += len + 1;
	return p;
}

static int grow_slots(struct fs_strtab *t)
{
	uint32_t n = t->nr_slots * 2;
	uint32_t *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -1;
	for (uint32_t id = 0; id < t->count; id++) {
		uint32_t i = t->hashes[id] & (n - 1);

		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = id + 1;
	}
	free(t->slots);
	t->slots = slots;
	t->nr_slots = n;
	return 0;
}

static int grow_ids(struct fs_strtab *t)
{
	uint32_t n = t->alloc ? t->alloc * 2 : 1024;
	const char **strs = realloc(t->strs, n * sizeof(*strs));
	uint32_t *lens, *hashes;

	if (!strs)
		return -1;
	t->strs = strs;
	lens = realloc(t->lens, n * sizeof(*lens));
	if (!lens)
		return -1;
	t->lens = lens;
	hashes = realloc(t->hashes, n * sizeof(*hashes));
	if (!hashes)
		return -1;
	t->hashes = hashes;
	t->alloc = n;
	return 0;
}

uint32_t fs_strtab__add(struct fs_strtab *t, const char *s, size_t len)
{
	uint32_t h = hash(s, len), i = h & (t->nr_slots - 1);
	char *copy;

	if (len >= UINT32_MAX)
		return UINT32_MAX;
	for (; t->slots[i]; i = (i + 1) & (t->nr_slots - 1)) {
		uint32_t id = t->slots[i] - 1;

		if (t->hashes[id] == h && t->lens[id] == len && !memcmp(t->strs[id], s, len))
			return id;
	}
	if (t->count == t->alloc && grow_ids(t))
		return UINT32_MAX;
	copy = store(t, s, len);
	if (!copy)
		return UINT32_MAX;
	t->strs[t->count] = copy;
	t->lens[t->count] = len;
	t->hashes[t->count] = h;
	t->slots[i] = t->count + 1;
	t->count++;
	/* Keep the load under a half so probes stay short. */
	if (t->count * 2 > t->nr_slots && grow_slots(t))
		return UINT32_MAX;
	return t->count - 1;
}

const char *fs_strtab__intern(struct fs_strtab *t, const char *s, size_t len)
{
	uint32_t id = fs_strtab__add(t, s, len);

	return id == UINT32_MAX ? NULL : t->strs[id];
}

const char *fs_strtab__str(const struct fs_strtab *t, uint32_t id)
{
	return id < t->count ? t->strs[id] : NULL;
}

uint32_t fs_strtab__count(const struct fs_strtab *t)
{
	return t->count;
}
