/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * formats: the output formats of `flamescope heatmap`, `flamescope
 * flamegraph` and the dlfilter, one table each (name -> writer), so a new
 * format is one line here and every frontend knows it.
 */
#ifndef FS_FORMATS_H
#define FS_FORMATS_H

#include <stdio.h>
#include "flame.h"
#include "heatmap.h"

struct heatmap_format {
	const char *name;		/* also the file extension that picks it */
	int (*write)(const struct fs_heatmap *hm, const struct fs_heatmap_style *st, FILE *out,
		     struct fs_error *err);
};

struct flame_format {
	const char *name;
	/* NULL: folded stacks, written from the profile rather than a tree */
	int (*write)(const struct fs_flame *fl, const struct fs_flame_style *st, FILE *out,
		     struct fs_error *err);
};

/* The format named name, or NULL. */
const struct heatmap_format *heatmap_format__find(const char *name);
const struct flame_format *flame_format__find(const char *name);
/* The names, space-separated ("svg png json txt"), for messages and --help. */
const char *heatmap_format__names(void);
const char *flame_format__names(void);

#endif
