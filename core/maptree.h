/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * maptree: a process's maps ([start, end) ranges, each with an item the
 * caller owns) ordered by start, in a balanced (AVL) tree: O(log n) per
 * insert, remove and lookup whatever order maps arrive in, where a sorted
 * array moves half of itself for each map inserted near its middle.
 * Maps with equal starts keep their insertion order.
 *
 *	struct fs_maptree t = { 0 };
 *	fs_maptree__insert(&t, map->start, map->end, map);
 *	struct my_map *m = fs_maptree__first_above(&t, ip);	// first whose end > ip
 *	fs_maptree__remove(&t, map->start, map);
 *	fs_maptree__exit(&t);
 */
#ifndef FS_MAPTREE_H
#define FS_MAPTREE_H

#include <stdbool.h>
#include <stdint.h>

struct fs_maptree_node;

struct fs_maptree {
	struct fs_maptree_node *root;
	uint32_t nr;
};

/* Goes after the maps starting at or below start; -1 when out of memory. */
int fs_maptree__insert(struct fs_maptree *t, uint64_t start, uint64_t end, void *item);
/* Removes item (inserted with this start); false when it is not there. */
bool fs_maptree__remove(struct fs_maptree *t, uint64_t start, const void *item);
/*
 * The first map (in start order) whose end is above addr, as a binary search
 * of the start-ordered maps by end finds it (maps do not overlap); NULL if none.
 */
void *fs_maptree__first_above(const struct fs_maptree *t, uint64_t addr);
/* Calls fn on each item in start order until it returns non-zero (returned). */
int fs_maptree__for_each(const struct fs_maptree *t, int (*fn)(void *ctx, void *item), void *ctx);
void fs_maptree__exit(struct fs_maptree *t);

#endif
