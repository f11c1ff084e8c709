// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include <string.h>
#include "chaincache.h"
#include "idmap.h"
#include "util.h"

struct entry {
	uint64_t hash;
	uint64_t off;			/* of the key in words[] */
	uint32_t n, stack1;		/* stack + 1; 0 = empty slot */
};

struct fs_chaincache {
	struct entry *slots;
	uint64_t nr_slots, count;
	uint64_t *words;
	uint64_t nr_words, alloc_words;
	uint64_t budget;		/* bytes of keys and slots */
};

struct fs_chaincache *fs_chaincache__new(uint64_t budget_bytes)
{
	struct fs_chaincache *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->budget = budget_bytes;
	c->nr_slots = 4096;
	c->slots = calloc(c->nr_slots, sizeof(*c->slots));
	if (!c->slots) {
		free(c);
		return NULL;
	}
	return c;
}

void fs_chaincache__delete(struct fs_chaincache *c)
{
	if (!c)
		return;
	free(c->slots);
	free(c->words);
	free(c);
}

uint64_t fs_chaincache__hash(const uint64_t *key, uint32_t n)
{
	uint64_t h = n;

	for (uint32_t i = 0; i < n; i++)
		h = fs_hash64(h ^ key[i]) + i;
	return h;
}

uint32_t fs_chaincache__get(struct fs_chaincache *c, const uint64_t *key, uint32_t n, uint64_t hash)
{
	uint64_t mask = c->nr_slots - 1;

	for (uint64_t i = hash & mask; c->slots[i].stack1; i = (i + 1) & mask) {
		const struct entry *e = &c->slots[i];

		/* n == 0 (an empty chain) may come before any key words exist */
		if (e->hash == hash && e->n == n && (!n || !memcmp(c->words + e->off, key, n * sizeof(*key))))
			return e->stack1 - 1;
	}
	return UINT32_MAX;
}

static void forget(struct fs_chaincache *c)
{
	memset(c->slots, 0, c->nr_slots * sizeof(*c->slots));
	c->count = 0;
	c->nr_words = 0;
}

static int grow_slots(struct fs_chaincache *c)
{
	uint64_t n = c->nr_slots * 2, mask = n - 1;
	struct entry *slots = calloc(n, sizeof(*slots));

	if (!slots)
		return -1;
	for (uint64_t i = 0; i < c->nr_slots; i++) {
		uint64_t j;

		if (!c->slots[i].stack1)
			continue;
		for (j = c->slots[i].hash & mask; slots[j].stack1; j = (j + 1) & mask)
			;
		slots[j] = c->slots[i];
	}
	free(c->slots);
	c->slots = slots;
	c->nr_slots = n;
	return 0;
}

static int reserve_words(struct fs_chaincache *c, uint64_t n)
{
	uint64_t want = c->alloc_words ? c->alloc_words : 16384;
	uint64_t *w;

	if (c->nr_words + n <= c->alloc_words)
		return 0;
	/*
	 * The whole budget at once: untouched pages cost nothing, and growing
	 * by realloc copied every key, touching twice the pages (dear on a
	 * virtual machine). Doubling only if that much is refused.
	 */
	if (!c->words && c->budget / sizeof(*w) >= n) {
		w = malloc(c->budget);
		if (w) {
			c->words = w;
			c->alloc_words = c->budget / sizeof(*w);
			return 0;
		}
	}
	while (want < c->nr_words + n)
		want *= 2;
	w = realloc(c->words, want * sizeof(*w));
	if (!w)
		return -1;
	c->words = w;
	c->alloc_words = want;
	return 0;
}

void fs_chaincache__put(struct fs_chaincache *c, const uint64_t *key, uint32_t n, uint64_t hash,
			uint32_t stack)
{
	uint64_t mask, i;

	if (stack == UINT32_MAX)
		return;
	if ((c->nr_words + n) * sizeof(*key) + c->nr_slots * sizeof(*c->slots) > c->budget)
		forget(c);
	if ((c->count + 1) * 2 > c->nr_slots && grow_slots(c))
		forget(c);
	if (reserve_words(c, n)) {
		forget(c);
		if (reserve_words(c, n))
			return;
	}
	mask = c->nr_slots - 1;
	for (i = hash & mask; c->slots[i].stack1; i = (i + 1) & mask)
		;
	if (n)	/* words is still NULL when the first chain is empty */
		memcpy(c->words + c->nr_words, key, n * sizeof(*key));
	c->slots[i] = (struct entry){ .hash = hash, .off = c->nr_words, .n = n, .stack1 = stack + 1 };
	c->nr_words += n;
	c->count++;
}
