// SPDX-License-Identifier: GPL-2.0-only
/*
 * The merged stack tree. Names are interned in the tree's string table so a
 * child is found by one hash probe on (parent, name id), however wide the node.
 */
#include <stdlib.h>
#include <string.h>
#include "flame-int.h"
#include "view.h"
#include "idmap.h"
#include "strtab.h"
#include "util.h"

struct fs_flame_priv {
	struct fs_strtab *names;	/* every node's name, interned */
	struct fs_idmap index;		/* parent << 32 | name id -> child */
	size_t alloc;			/* nodes allocated */
};

struct fs_flame *fs_flame__new(struct fs_error *err)
{
	struct fs_flame *fl = calloc(1, sizeof(*fl));
	struct fs_flame_priv *priv = calloc(1, sizeof(*priv));

	if (!fl || !priv) {
		free(fl);
		free(priv);
		fs_error__set(err, "out of memory for the flame graph");
		return NULL;
	}

	fl->priv = priv;
	priv->names = fs_strtab__new();
	if (!priv->names || fs_idmap__init(&priv->index, 4096) ||
	    FS_GROW(fl->nodes, priv->alloc, 1024))
		goto fail;
	memset(fl->nodes, 0, sizeof(*fl->nodes));
	fl->nodes[0].name = fs_strtab__intern(priv->names, "all", 3);
	if (!fl->nodes[0].name)
		goto fail;
	fl->nr_nodes = 1;
	return fl;
fail:
	fs_flame__delete(fl);
	fs_error__set(err, "out of memory for the flame graph");
	return NULL;
}

void fs_flame__delete(struct fs_flame *fl)
{
	if (!fl)
		return;
	if (fl->priv) {
		fs_idmap__exit(&fl->priv->index);
		fs_strtab__delete(fl->priv->names);
		free(fl->priv);
	}
	free(fl->nodes);
	free(fl);
}

struct fs_strtab *fs_flame__strtab(struct fs_flame *fl)
{
	return fl->priv->names;
}

int fs_flame__child_id(struct fs_flame *fl, uint32_t parent, uint32_t name_id, uint8_t kind,
		       uint32_t *child, struct fs_error *err)
{
	struct fs_flame_priv *priv = fl->priv;
	uint64_t key = (uint64_t)parent << 32 | name_id;
	uint32_t id = fs_idmap__get(&priv->index, key);
	struct fs_flame_node *n;

	if (id != UINT32_MAX) {
		*child = id;
		return 0;
	}
	if (fl->nr_nodes == UINT32_MAX || FS_GROW(fl->nodes, priv->alloc, fl->nr_nodes + 1))
		return fs_error__set(err, "out of memory for the flame graph");
	id = fl->nr_nodes;
	if (fs_idmap__put(&priv->index, key, id))
		return fs_error__set(err, "out of memory for the flame graph");
	n = &fl->nodes[id];
	memset(n, 0, sizeof(*n));
	n->name = fs_strtab__str(priv->names, name_id);
	n->kind = kind;
	n->parent = parent;
	n->next_sibling = fl->nodes[parent].first_child;
	fl->nodes[parent].first_child = id;
	fl->nr_nodes++;
	*child = id;
	return 0;
}

int fs_flame__child(struct fs_flame *fl, uint32_t parent, const char *name, uint8_t kind,
		    uint32_t *child, struct fs_error *err)
{
	uint32_t name_id = fs_strtab__add(fl->priv->names, name, strlen(name));


	if (name_id == UINT32_MAX)
		return fs_error__set(err, "out of memory for the flame graph");
	return fs_flame__child_id(fl, parent, name_id, kind, child, err);
}

int fs_flame__add(struct fs_flame *fl, const char *const *names, const uint8_t *kinds, uint32_t depth,
		  uint64_t value, uint64_t value_b, struct fs_error *err)
{
	uint32_t node = 0;

	fl->nodes[0].value = fs_weight__add(fl->nodes[0].value, value);
	fl->nodes[0].value_b = fs_weight__add(fl->nodes[0].value_b, value_b);
	for (uint32_t i = 0; i < depth; i++) {
		if (fs_flame__child(fl, node, names[i], kinds ? kinds[i] : FS_FRAME_USER, &node, err))
			return -1;
		fl->nodes[node].value = fs_weight__add(fl->nodes[node].value, value);
		fl->nodes[node].value_b = fs_weight__add(fl->nodes[node].value_b, value_b);
	}
	return 0;
}

static int cmp_name(const void *a, const void *b, void *arg)
{
	const struct fs_flame_node *nodes = arg;

	return strcmp(nodes[*(const uint32_t *)a].name, nodes[*(const uint32_t *)b].name);
}

int fs_flame__sort(struct fs_flame *fl, struct fs_error *err)
{
	uint32_t *kids = malloc(fl->nr_nodes * sizeof(*kids));

	if (!kids)
		return fs_error__set(err, "out of memory for the flame graph");
	for (uint32_t id = 0; id < fl->nr_nodes; id++) {
		uint32_t n = 0;

		for (uint32_t c = fl->nodes[id].first_child; c; c = fl->nodes[c].next_sibling)
			kids[n++] = c;
		if (n < 2)
			continue;
		qsort_r(kids, n, sizeof(*kids), cmp_name, fl->nodes);
		fl->nodes[id].first_child = kids[0];
		for (uint32_t i = 0; i < n; i++)
			fl->nodes[kids[i]].next_sibling = i + 1 < n ? kids[i + 1] : 0;
	}
	free(kids);
	return 0;
}

void fs_flame__self(const struct fs_flame *fl, uint32_t idx, uint64_t *a, uint64_t *b)
{
	const struct fs_flame_node *n = &fl->nodes[idx];
	uint64_t ca = 0, cb = 0;
	uint32_t guard = 0;

	/* The guard stops at a looping sibling list: writers refuse such trees anyway. */
	for (uint32_t c = n->first_child; c && c < fl->nr_nodes && guard++ < fl->nr_nodes;
	     c = fl->nodes[c].next_sibling) {
		ca = fs_weight__add(ca, fl->nodes[c].value);
		cb = fs_weight__add(cb, fl->nodes[c].value_b);
	}
	*a = n->value > ca ? n->value - ca : 0;
	*b = n->value_b > cb ? n->value_b - cb : 0;
}
