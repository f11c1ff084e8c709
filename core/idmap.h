/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * idmap: an open-addressing hash from a 64-bit key to a 32-bit id, for
 * interning frames and stacks (key = a packed pair) without allocating per entry.
 */
#ifndef FS_IDMAP_H
#define FS_IDMAP_H

#include <stdint.h>

struct fs_idmap {
	uint64_t *keys;
	uint32_t *ids;			/* id + 1; 0 = empty slot */
	uint64_t nr_slots, count;	/* nr_slots is a power of two */
};

int fs_idmap__init(struct fs_idmap *m, uint64_t nr_slots);
void fs_idmap__exit(struct fs_idmap *m);
/* The id stored for key, or UINT32_MAX. */
uint32_t fs_idmap__get(const struct fs_idmap *m, uint64_t key);
/* Stores key -> id (key must be absent); -1 when out of memory. */
int fs_idmap__put(struct fs_idmap *m, uint64_t key, uint32_t id);

#endif
