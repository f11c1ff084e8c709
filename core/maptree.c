// SPDX-License-Identifier: GPL-2.0-only
/*
 * An AVL tree keyed by start. Recursion is bounded by the height, at most
 * 1.44 log2(n): no input order can make it deep.
 */
#include <stdlib.h>
#include "maptree.h"

struct fs_maptree_node {
	uint64_t start, end;
	void *item;
	struct fs_maptree_node *l, *r;
	int height;
};

static int height(const struct fs_maptree_node *n)
{
	return n ? n->height : 0;
}

static void update(struct fs_maptree_node *n)
{
	int hl = height(n->l), hr = height(n->r);

	n->height = (hl > hr ? hl : hr) + 1;
}

static struct fs_maptree_node *rotate_right(struct fs_maptree_node *n)
{
	struct fs_maptree_node *l = n->l;

	n->l = l->r;
	l->r = n;
	update(n);
	update(l);
	return l;
}

static struct fs_maptree_node *rotate_left(struct fs_maptree_node *n)
{
	struct fs_maptree_node *r = n->r;

	n->r = r->l;
	r->l = n;
	update(n);
	update(r);
	return r;
}

/* Rotations keep the in-order sequence, so equal starts keep their order. */
static struct fs_maptree_node *balance(struct fs_maptree_node *n)
{
	int bf = height(n->l) - height(n->r);

	if (bf > 1) {
		if (height(n->l->l) < height(n->l->r))
			n->l = rotate_left(n->l);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->r->r) < height(n->r->l))
			n->r = rotate_right(n->r);
		return rotate_left(n);
	}
	update(n);
	return n;
}

static struct fs_maptree_node *insert(struct fs_maptree_node *n, struct fs_maptree_node *new)
{
	if (!n)
		return new;
	if (new->start < n->start)
		n->l = insert(n->l, new);
	else
		n->r = insert(n->r, new);
	return balance(n);
}

int fs_maptree__insert(struct fs_maptree *t, uint64_t start, uint64_t end, void *item)
{
	struct fs_maptree_node *n = malloc(sizeof(*n));

	if (!n)
		return -1;
	*n = (struct fs_maptree_node){ .start = start, .end = end, .item = item, .height = 1 };
	t->root = insert(t->root, n);
	t->nr++;
	return 0;
}

static struct fs_maptree_node *remove_min(struct fs_maptree_node *n, struct fs_maptree_node **min)
{
	if (!n->l) {
		*min = n;
		return n->r;
	}
	n->l = remove_min(n->l, min);
	return balance(n);
}

/* Maps with the same start may sit on both sides of one another. */
static struct fs_maptree_node *remove(struct fs_maptree_node *n, uint64_t start, const void *item,
				      bool *done)
{
	struct fs_maptree_node *min;

	if (!n)
		return NULL;
	if (start < n->start) {
		n->l = remove(n->l, start, item, done);
	} else if (start > n->start) {
		n->r = remove(n->r, start, item, done);
	} else if (n->item != item) {
		n->l = remove(n->l, start, item, done);
		if (!*done)
			n->r = remove(n->r, start, item, done);
	} else {
		*done = true;
		if (!n->l || !n->r) {
			min = n->l ? n->l : n->r;
			free(n);
			return min;
		}
		n->r = remove_min(n->r, &min);
		min->l = n->l;
		min->r = n->r;
		free(n);
		n = min;
	}
	return balance(n);
}

bool fs_maptree__remove(struct fs_maptree *t, uint64_t start, const void *item)
{
	bool done = false;

	t->root = remove(t->root, start, item, &done);
	if (done)
		t->nr--;
	return done;
}

void *fs_maptree__first_above(const struct fs_maptree *t, uint64_t addr)
{
	const struct fs_maptree_node *n = t->root, *found = NULL;

	while (n) {
		if (n->end > addr) {
			found = n;
			n = n->l;
		} else {
			n = n->r;
		}
	}
	return found ? found->item : NULL;
}

static int for_each(const struct fs_maptree_node *n, int (*fn)(void *ctx, void *item), void *ctx)
{
	int ret;

	if (!n)
		return 0;
	ret = for_each(n->l, fn, ctx);
	if (!ret)
		ret = fn(ctx, n->item);
	return ret ? ret : for_each(n->r, fn, ctx);
}

int fs_maptree__for_each(const struct fs_maptree *t, int (*fn)(void *ctx, void *item), void *ctx)
{
	return for_each(t->root, fn, ctx);
}

static void free_all(struct fs_maptree_node *n)
{
	if (!n)
		return;
	free_all(n->l);
	free_all(n->r);
	free(n);
}

void fs_maptree__exit(struct fs_maptree *t)
{
	free_all(t->root);
	t->root = NULL;
	t->nr = 0;
}
