/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * flame: a merged stack tree, what every flame-graph writer draws.
 * Node 0 is the root ("all"); children are linked in name order (as
 * flamegraph.pl sorts folded lines), value = weight of the node and all below.
 * Names are interned in the tree's own string table and live as long as it.
 * A differential tree also carries value_b (the other range's weight).
 */
#ifndef FS_FLAME_H
#define FS_FLAME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "api.h"
#include "error.h"

enum fs_frame_kind {
	FS_FRAME_USER,			/* native user code */
	FS_FRAME_KERNEL,		/* _[k] */
	FS_FRAME_JIT,			/* _[j], from a perf map */
	FS_FRAME_INLINED,		/* _[i] */
	FS_FRAME_COMM,			/* the root frame naming the process */
};

struct fs_flame_node {
	const char *name;		/* as folded output shows it (without _[k] etc. suffixes) */
	uint8_t kind;			/* enum fs_frame_kind */
	uint32_t parent, first_child, next_sibling;	/* 0 = none (node 0 is the root) */
	uint64_t value;
	uint64_t value_b;		/* differential: the compared range's value */
};

struct fs_flame_priv;

struct fs_flame {
	struct fs_flame_node *nodes;	/* nr_nodes of them, node 0 the root */
	uint32_t nr_nodes;
	bool differential;
	uint64_t total_b;
	struct fs_flame_priv *priv;	/* the tree's own: names, (parent, name) -> child */
};

struct fs_flame_style {
	const char *title;		/* "Flame Graph" */
	const char *subtitle;
	uint32_t width;			/* 1200 */
	uint32_t frame_height;		/* 16 */
	double minwidth;		/* pixels; frames narrower are pruned (0.1) */
	bool minwidth_percent;		/* minwidth is a percentage of the total */
	const char *colors;		/* hot|mem|io|java|js|perl|red|green|blue|aqua|yellow|purple|orange */
	bool hash;			/* colour by name hash, not at random */
	bool inverted;			/* icicle: root at the top */
	bool reverse;			/* merged from the leaves */
	const char *countname;		/* "samples" */
	const char *fonttype;		/* "Verdana" */
	double fontsize;		/* 12 */
	bool negate;			/* differential: swap red and blue */
};

FS_API void fs_flame_style__init(struct fs_flame_style *st);

FS_API struct fs_flame *fs_flame__new(struct fs_error *err);
FS_API void fs_flame__delete(struct fs_flame *fl);
/* Child of parent named name, created if absent. */
FS_API int fs_flame__child(struct fs_flame *fl, uint32_t parent, const char *name, uint8_t kind,
			   uint32_t *child, struct fs_error *err);

/* Adds a stack (frames outermost first) with a weight; names are copied into the tree. */
FS_API int fs_flame__add(struct fs_flame *fl, const char *const *names, const uint8_t *kinds,
			 uint32_t depth, uint64_t value, uint64_t value_b, struct fs_error *err);

/* Orders every node's children by name (bytewise), as flamegraph.pl's sorted input does. */
FS_API int fs_flame__sort(struct fs_flame *fl, struct fs_error *err);
/* A node's own weights (value, value_b less its children's); 0 where a tree says less. */
FS_API void fs_flame__self(const struct fs_flame *fl, uint32_t idx, uint64_t *a, uint64_t *b);

FS_API int fs_flame__write_svg(const struct fs_flame *fl, const struct fs_flame_style *st,
			       FILE *out, struct fs_error *err);
/* d3-flame-graph's tree: {"n": name, "l": libtype, "v": value, "c": [children]}. */
FS_API int fs_flame__write_json(const struct fs_flame *fl, FILE *out, struct fs_error *err);

#endif
