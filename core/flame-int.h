/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * flame internals: what the folding (fold.c) and the flame-graph writers
 * (flame-svg.c, png/flame-png.c) share beyond flame.h. Not an API.
 */
#ifndef FS_FLAME_INT_H
#define FS_FLAME_INT_H

#include "flame.h"
#include "palette.h"

struct fs_strtab;

/* The tree's own string table: names interned there become nodes' names. */
struct fs_strtab *fs_flame__strtab(struct fs_flame *fl);
/* fs_flame__child() for a name already interned in that table. */
int fs_flame__child_id(struct fs_flame *fl, uint32_t parent, uint32_t name_id, uint8_t kind,
		       uint32_t *child, struct fs_error *err);

/*
 * flamegraph.pl's layout (its pads, frame geometry, title placement and
 * background), in one place so the SVG and the PNG draw one picture.
 */
#define FS_FLAME_XPAD		10	/* left and right */
#define FS_FLAME_FRAMEPAD	1	/* between a frame and the one above it */
#define FS_FLAME_FONTWIDTH	0.59	/* average glyph width relative to the font size */
#define FS_FLAME_REVERSED	" (reversed: merged from the leaves)"

struct fs_flame_layout {
	uint32_t width;			/* image */
	uint32_t frame_h;
	double fontsize;
	uint32_t ypad1;			/* above the frames: title, subtitle */
	uint32_t ypad2;			/* below them: the details line */
	double title_y, subtitle_y, title_size;
	uint64_t total;			/* the root's value */
	double per_value;		/* pixels per unit of value (total > 0) */
	double min_value;		/* narrower frames are pruned */
};

/* The layout for style st (NULL: defaults) of a tree whose root weighs total. */
void fs_flame_style__layout(const struct fs_flame_style *st, uint64_t total,
			    struct fs_flame_layout *l);
/* Image height for frames up to depth max_depth (root 0). */
uint64_t fs_flame_layout__height(const struct fs_flame_layout *l, uint32_t max_depth);
/* The vertical extent [y1, y2] of a frame at depth d in an image height px tall. */
void fs_flame_layout__frame_y(const struct fs_flame_layout *l, const struct fs_flame_style *st,
			      uint32_t d, uint32_t height, double *y1, double *y2);
/* The title as flamegraph.pl words it: "Icicle Graph" when inverted by default. */
const char *fs_flame_style__title(const struct fs_flame_style *st);
/* The background's vertical gradient for a colour scheme (stops at 5% and 95%). */
void fs_flame_style__background(const char *colors, struct fs_rgb *top, struct fs_rgb *bottom);

#endif
