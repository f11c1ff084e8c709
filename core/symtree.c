// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf keeps a dso's symbols in a Linux rb-tree and finds an address by
 * walking it; where symbols overlap, which one the walk meets first depends
 * on the tree's shape. This replays perf's inserts and erases on a copy of
 * lib/rbtree.c's algorithm (insert and erase rebalancing), on indexes, so a
 * lookup can walk the very tree perf would.
 */
#include <stdbool.h>
#include <stdlib.h>
#include "symbols-int.h"

#define NIL (-1)

struct rbnode {
	uint64_t start;
	int32_t parent, child[2];
	bool red;
};

struct rbt {
	struct rbnode *v;
	int32_t root;
	int32_t last;			/* the last node in order, when last_ok */
	bool last_ok;
};

static void change_child(struct rbt *t, int32_t old, int32_t new, int32_t parent)
{
	if (parent == NIL)
		t->root = new;
	else if (t->v[parent].child[0] == old)
		t->v[parent].child[0] = new;
	else
		t->v[parent].child[1] = new;
}

static void set_pc(struct rbt *t, int32_t n, int32_t parent, bool red)
{
	t->v[n].parent = parent;
	t->v[n].red = red;
}

/* new takes old's place and colour; old becomes new's child with colour red */
static void rotate_set_parents(struct rbt *t, int32_t old, int32_t new, bool red)
{
	int32_t parent = t->v[old].parent;

	t->v[new].parent = parent;
	t->v[new].red = t->v[old].red;
	set_pc(t, old, new, red);
	change_child(t, old, new, parent);
}

static bool is_red(const struct rbt *t, int32_t n)
{
	return n != NIL && t->v[n].red;
}

/* The rebalancing after an insert, as lib/rbtree.c's __rb_insert(). */
static void insert_color(struct rbt *t, int32_t node)
{
	struct rbnode *v = t->v;
	int32_t parent = v[node].parent, g, tmp;

	for (;;) {
		int R, L;

		if (parent == NIL) {
			set_pc(t, node, NIL, false);
			return;
		}
		if (!v[parent].red)
			return;
		g = v[parent].parent;
		R = parent != v[g].child[1];	/* the uncle's side */
		L = !R;
		tmp = v[g].child[R];
		if (is_red(t, tmp)) {
			set_pc(t, tmp, g, false);
			set_pc(t, parent, g, false);
			node = g;
			parent = v[node].parent;
			set_pc(t, node, parent, true);
			continue;
		}
		tmp = v[parent].child[R];
		if (node == tmp) {
			tmp = v[node].child[L];
			v[parent].child[R] = tmp;
			v[node].child[L] = parent;
			if (tmp != NIL)
				set_pc(t, tmp, parent, false);
			set_pc(t, parent, node, true);
			parent = node;
			tmp = v[node].child[R];
		}
		v[g].child[L] = tmp;
		v[parent].child[R] = g;
		if (tmp != NIL)
			set_pc(t, tmp, g, false);
		rotate_set_parents(t, g, parent, true);
		return;
	}
}

/* The rebalancing after removing a black node, as ____rb_erase_color(). */
static void erase_color(struct rbt *t, int32_t parent)
{
	struct rbnode *v = t->v;
	int32_t node = NIL, sibling, tmp1, tmp2;

	for (;;) {
		int R = node != v[parent].child[1], L = !R;	/* R: the sibling's side */

		sibling = v[parent].child[R];
		if (v[sibling].red) {
			tmp1 = v[sibling].child[L];
			v[parent].child[R] = tmp1;
			v[sibling].child[L] = parent;
			set_pc(t, tmp1, parent, false);
			rotate_set_parents(t, parent, sibling, true);
			sibling = tmp1;
		}
		tmp1 = v[sibling].child[R];
		if (!is_red(t, tmp1)) {
			tmp2 = v[sibling].child[L];
			if (!is_red(t, tmp2)) {
				set_pc(t, sibling, parent, true);
				if (v[parent].red) {
					v[parent].red = false;
				} else {
					node = parent;
					parent = v[node].parent;
					if (parent != NIL)
						continue;
				}
				return;
			}
			tmp1 = v[tmp2].child[R];
			v[sibling].child[L] = tmp1;
			v[tmp2].child[R] = sibling;
			v[parent].child[R] = tmp2;
			if (tmp1 != NIL)
				set_pc(t, tmp1, sibling, false);
			tmp1 = sibling;
			sibling = tmp2;
		}
		tmp2 = v[sibling].child[L];
		v[parent].child[R] = tmp2;
		v[sibling].child[L] = parent;
		set_pc(t, tmp1, sibling, false);
		if (tmp2 != NIL)
			v[tmp2].parent = parent;
		rotate_set_parents(t, parent, sibling, false);
		return;
	}
}

/* rb_erase(). */
static void rb_erase(struct rbt *t, int32_t node)
{
	struct rbnode *v = t->v;
	int32_t child = v[node].child[1], tmp = v[node].child[0], parent, rebalance = NIL;

	if (tmp == NIL) {
		parent = v[node].parent;
		change_child(t, node, child, parent);
		if (child != NIL)
			set_pc(t, child, parent, v[node].red);
		else if (!v[node].red)
			rebalance = parent;
	} else if (child == NIL) {
		parent = v[node].parent;
		set_pc(t, tmp, parent, v[node].red);
		change_child(t, node, tmp, parent);
	} else {
		int32_t successor = child, child2;
		bool succ_red;

		tmp = v[child].child[0];
		if (tmp == NIL) {
			parent = successor;
			child2 = v[successor].child[1];
		} else {
			do {
				parent = successor;
				successor = tmp;
				tmp = v[tmp].child[0];
			} while (tmp != NIL);
			child2 = v[successor].child[1];
			v[parent].child[0] = child2;
			v[successor].child[1] = child;
			v[child].parent = successor;
		}
		tmp = v[node].child[0];
		v[successor].child[0] = tmp;
		v[tmp].parent = successor;
		change_child(t, node, successor, v[node].parent);
		succ_red = v[successor].red;
		set_pc(t, successor, v[node].parent, v[node].red);
		if (child2 != NIL)
			set_pc(t, child2, parent, false);
		else if (!succ_red)
			rebalance = parent;
	}
	v[node].parent = v[node].child[0] = v[node].child[1] = NIL;
	if (t->last_ok && t->last == node)
		t->last_ok = false;
	if (rebalance != NIL)
		erase_color(t, rebalance);
}

/* perf's __symbols__insert() of node i (its start set): equal starts go right. */
static void rb_insert(struct rbt *t, int32_t i)
{
	int32_t parent = NIL, *link = &t->root;
	uint64_t start = t->v[i].start;

	if (t->root != NIL && !t->last_ok) {
		for (t->last = t->root; t->v[t->last].child[1] != NIL;)
			t->last = t->v[t->last].child[1];
		t->last_ok = true;
	}
	if (t->root != NIL && start >= t->v[t->last].start) {
		/* sorted input (kallsyms): that walk only ever turns right */
		parent = t->last;
		link = &t->v[parent].child[1];
	} else {
		while (*link != NIL) {
			parent = *link;
			link = &t->v[parent].child[start < t->v[parent].start ? 0 : 1];
		}
	}
	if (parent == NIL || (link == &t->v[parent].child[1] && parent == t->last)) {
		t->last = i;
		t->last_ok = true;
	}
	*link = i;
	t->v[i].parent = parent;
	t->v[i].child[0] = t->v[i].child[1] = NIL;
	t->v[i].red = true;
	insert_color(t, i);
}


int fs_symtree__replay(const uint64_t *starts, size_t nins, const struct fs_symerase *log,
		       size_t nlog, const int32_t *pos_of, int32_t (*kids)[2], int32_t *root)
{
	struct rbt t = { .root = NIL };
	size_t e = 0;

	t.v = malloc(nins * sizeof(*t.v));
	if (!t.v)
		return -1;
	for (size_t i = 0; i < nins; i++) {
		while (e < nlog && log[e].before <= i)
			rb_erase(&t, log[e++].node);
		t.v[i].start = starts[i];
		rb_insert(&t, (int32_t)i);
	}
	while (e < nlog)
		rb_erase(&t, log[e++].node);
	for (size_t i = 0; i < nins; i++) {
		int32_t p = pos_of[i];

		if (p == NIL)
			continue;
		for (int c = 0; c < 2; c++) {
			int32_t k = t.v[i].child[c];

			kids[p][c] = k == NIL ? NIL : pos_of[k];
		}
	}
	*root = t.root == NIL ? NIL : pos_of[t.root];
	free(t.v);
	return 0;
}
