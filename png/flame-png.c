// SPDX-License-Identifier: GPL-2.0-only
/*
 * flame-png: a flame graph as a PNG, laid out as flamegraph.pl lays out its
 * SVG (same paddings, frame boxes, label rule and colours), so a dashboard
 * image matches the interactive one. Two walks of the tree, one to find the
 * depth of what survives pruning (the image height), one to draw; both use
 * an explicit stack, so deep trees cannot overflow the C stack, and both
 * check the links, so a corrupt tree cannot loop or read out of bounds.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "canvas.h"
#include "flame-int.h"
#include "palette.h"
#include "fs_png.h"
#include "text.h"
#include "util.h"
#include "view.h"

struct fl_item {
	uint32_t node, depth;
	uint64_t start;
};

struct fl_ctx {
	const struct fs_flame *fl;
	const struct fs_flame_style *st;
	struct fs_error *err;
	struct fs_flame_layout l;	/* flamegraph.pl's, shared with the SVG */
	uint32_t width, height;
	uint64_t max_delta;		/* differential colour scale */
	uint32_t depth_max;
	struct fl_item *stack;
	size_t nr_stack, alloc_stack;
	struct fs_png_canvas *cv;
	struct fs_png_font *font;
};

typedef void (*fl_visit_t)(struct fl_ctx *c, const struct fl_item *it, uint64_t self_a, uint64_t self_b);

static int fl__push(struct fl_ctx *c, uint32_t node, uint32_t depth, uint64_t start)
{
	if (FS_GROW(c->stack, c->alloc_stack, c->nr_stack + 1))
		return fs_error__set(c->err, "png: out of memory walking the flame tree");
	c->stack
[c->nr_stack++] = (struct fl_item){ node, depth, start };
	return 0;
}

static int fl__bad_link(struct fl_ctx *c, uint32_t from, uint32_t to)
{
	return fs_error__set(c->err, "png: flame tree node %u links to node %u (of %u) or loops",
			     from, to, c->fl->nr_nodes);
}

/*
 * Visits every frame at least min_value wide with its own (self) weights;
 * children are laid out left to right from their parent's left edge, as
 * core/flame-svg.c draws them, so the PNG and the SVG show the same picture.
 */
static int fl__walk(struct fl_ctx *c, fl_visit_t visit)
{
	const struct fs_flame_node *nodes = c->fl->nodes, *n;
	uint64_t links = 0, sa, sb, t;
	struct fl_item it;
	uint32_t k;

	c->nr_stack = 0;
	if (fl__push(c, 0, 0, 0))
		return -1;
	while (c->nr_stack) {
		it = c->stack[--c->nr_stack];
		n = &nodes[it.node];
		sa = sb = 0;
		for (k = n->first_child; k; k = nodes[k].next_sibling) {
			if (k >= c->fl->nr_nodes || ++links >= c->fl->nr_nodes)
				return fl__bad_link(c, it.node, k);
			sa = fs_weight__add(sa, nodes[k].value);
			sb = fs_weight__add(sb, nodes[k].value_b);
		}
		visit(c, &it, n->value > sa ? n->value - sa : 0, n->value_b > sb ? n->value_b - sb : 0);
		/* As flamegraph.pl (and the SVG): own samples left of the children. */
		t = it.start + (n->value > sa ? n->value - sa : 0);
		for (k = n->first_child; k; k = nodes[k].next_sibling) {
			if (nodes[k].value >= c->l.min_value && nodes[k].value &&
			    fl__push(c, k, it.depth + 1, t))
				return -1;
			t = fs_weight__add(t, nodes[k].value);
		}
	}
	return 0;
}

static void fl__depth(struct fl_ctx *c, const struct fl_item *it, uint64_t self_a, uint64_t self_b)
{
	(void)self_a;
	(void)self_b;
	if (it->depth > c->depth_max)
		c->depth_max = it->depth;
}

/* flamegraph.pl's maxdelta: the largest change of one stack's own weight. */
static int fl__max_delta(struct fl_ctx *c)
{
	const struct fs_flame_node *nodes = c->fl->nodes;
	uint64_t links = 0, sa, sb, a, b, d;
	uint32_t i, k;

	for (i = 0; i < c->fl->nr_nodes; i++) {
		sa = sb = 0;
		for (k = nodes[i].first_child; k; k = nodes[k].next_sibling) {
			if (k >= c->fl->nr_nodes || ++links >= c->fl->nr_nodes)
				return fl__bad_link(c, i, k);
			sa = fs_weight__add(sa, nodes[k].value);
			sb = fs_weight__add(sb, nodes[k].value_b);
		}
		a = nodes[i].value > sa ? nodes[i].value - sa : 0;
		b = nodes[i].value_b > sb ? nodes[i].value_b - sb : 0;
		d = a > b ? a - b : b - a;
		if (d > c->max_delta)
			c->max_delta = d;
	}
	return 0;
}

/*
 * As flamegraph.pl: a differential frame is coloured by the change of its own
 * weight (its folded line's delta), and the root by the empty name.
 */
static struct fs_rgb fl__colour(struct fl_ctx *c, const struct fl_item *it, uint64_t self_a, uint64_t self_b)
{
	const struct fs_flame_node *n = &c->fl->nodes[it->node];

	if (c->fl->differential)
		return fs_palette__diff(self_a, self_b, c->max_delta, c->st->negate);
	return fs_palette__frame(c->st->colors ? c->st->colors : "hot", it->node ? n->name : "",
				 n->kind, c->st->hash);
}

/* flamegraph.pl's label: the name if it fits, else a prefix and "..", else nothing. */
static void fl__label(struct fl_ctx *c, const char *name, double x1, double x2, int y)
{
	static const struct fs_rgb black = { 0, 0, 0 };
	double room = x2 - x1 - 4;	/* 3 px in, 1 px clear of the next frame */
	size_t len = strlen(name), fit;

	if (room <= 0)
		return;
	if (fs_png_font__width(c->font, name, len) <= room) {
		fs_png_font__draw(c->font, c->cv, x1 + 3, y, name, len, black);
		return;
	}
	fit = fs_png_font__fit(c->font, name, len, room);
	if (!fit)
		return;
	x1 = fs_png_font__draw(c->font, c->cv, x1 + 3, y, name, fit, black);
	fs_png_font__draw(c->font, c->cv, x1, y, "..", 2, black);
}

/*
 * The SVG's rx="2" corners: blend the background back over each corner pixel
 * by the part of it the 2 px quarter circle leaves out (0.685 of the corner
 * itself, 0.087 of its two neighbours). Column 0 is always background.
 */
static void fl__corner(struct fl_ctx *c, int x, int y, int sx, int sy)
{
	struct fs_rgb bg = fs_png_canvas__get(c->cv, 0, (uint32_t)y);

	fs_png_canvas__blend(c->cv, x, y, bg, 175);
	fs_png_canvas__blend(c->cv, x + sx, y, bg, 22);
	fs_png_canvas__blend(c->cv, x, y + sy, fs_png_canvas__get(c->cv, 0, (uint32_t)(y + sy)), 22);
}

static void fl__corners(struct fl_ctx *c, int xl, int xr, int yt, int yb)
{
	fl__corner(c, xl, yt, 1, 1);
	fl__corner(c, xr, yt, -1, 1);
	fl__corner(c, xl, yb, 1, -1);
	fl__corner(c, xr, yb, -1, -1);
}

static void fl__draw(struct fl_ctx *c, const struct fl_item *it, uint64_t self_a, uint64_t self_b)
{
	const struct fs_flame_node *n = &c->fl->nodes[it->node];
	const char *name = !it->node ? "all" : n->name ? n->name : "";
	double x1 = FS_FLAME_XPAD + it->start * c->l.per_value;
	double x2 = FS_FLAME_XPAD + (it->start + n->value) * c->l.per_value;
	double fy1, fy2;
	uint32_t y1, y2;

	if (x1 >= c->width)		/* a corrupt tree's child past its parent: off the image */
		return;
	if (x2 > c->width)
		x2 = c->width;
	fs_flame_layout__frame_y(&c->l, c->st, it->depth, c->height, &fy1, &fy2);
	y1 = (uint32_t)fy1;
	y2 = (uint32_t)fy2;
	fs_png_canvas__fill_span(c->cv, x1, x2, (int)y1, (int)(y2 - y1), fl__colour(c, it, self_a, self_b));
	if (x2 - x1 >= 6 && y2 - y1 >= 6)
		fl__corners(c, (int)floor(x1), (int)ceil(x2) - 1, (int)y1, (int)y2 - 1);
	fl__label(c, name, x1, x2, (int)(3 + (y1 + y2) / 2));
}

/* flamegraph.pl's background: a vertical gradient, stops at 5% and 95%. */
static void fl__background(struct fl_ctx *c)
{
	int h = (int)c->height, y0 = (int)lround(h * 0.05), y1 = (int)lround(h * 0.95);
	struct fs_rgb top, bottom;

	fs_flame_style__background(c->st->colors, &top, &bottom);
	fs_png_canvas__fill(c->cv, 0, 0, (int)c->width, y0, top);
	fs_png_canvas__vgradient(c->cv, y0, y1 - y0, top, bottom);
	fs_png_canvas__fill(c->cv, 0, y1, (int)c->width, h - y1, bottom);
}

static void fl__centre(struct fl_ctx *c, struct fs_png_font *f, int y, const char *s, struct fs_rgb col)
{
	size_t n = strlen(s);

	fs_png_font__draw(f, c->cv, c->width / 2.0 - fs_png_font__width(f, s, n) / 2, y, s, n, col);
}

static const char *fl__font_path(const struct fs_flame_style *st)
{
	const char *t = st->fonttype;
	char low[64];
	size_t i;

	if (!t)
		return FS_PNG_FONT_SANS;
	for (i = 0; t[i] && i < sizeof(low) - 1; i++)
		low[i] = (char)tolower((unsigned char)t[i]);
	low[i] = 0;
	return strstr(low, "mono") || strstr(low, "courier") ? FS_PNG_FONT_MONO : FS_PNG_FONT_SANS;
}

/* The title and subtitle as core/flame-svg.c words and places them. */
static int fl__titles(struct fl_ctx *c)
{
	static const struct fs_rgb black = { 0, 0, 0 }, grey = { 0xa0, 0xa0, 0xa0 };
	struct fs_png_font *big = fs_png_font__open(fl__font_path(c->st), c->l.title_size, c->err);
	char s[1024];

	if (!big)
		return -1;
	snprintf(s, sizeof(s), "%s%s", fs_flame_style__title(c->st), c->st->reverse ? FS_FLAME_REVERSED : "");
	fl__centre(c, big, (int)lround(c->l.title_y), s, black);
	if (fs_png_font__check(big, c->err)) {
		fs_png_font__close(big);
		return -1;
	}
	fs_png_font__close(big);
	if (c->st->subtitle && *c->st->subtitle)
		fl__centre(c, c->font, (int)lround(c->l.subtitle_y), c->st->subtitle, grey);

	return 0;
}

static int fl__setup(struct fl_ctx *c)
{
	const struct fs_flame_style *st = c->st;
	uint64_t h;

	fs_flame_style__layout(st, c->fl->nodes[0].value, &c->l);
	c->width = c->l.width;
	if (!fs_palette__frame_valid(st->colors))
		return fs_error__set(c->err, "png: unknown colors '%s'", st->colors);
	if (c->l.frame_h > 1024)
		return fs_error__set(c->err, "png: frame height %u is more than 1024 px", c->l.frame_h);
	if (c->width > FS_PNG_MAX_SIDE)
		return fs_error__set(c->err, "png: flame graph width %u is more than %u",
				     c->width, FS_PNG_MAX_SIDE);
	if (!c->l.total) {		/* flamegraph.pl's error picture */
		c->height = (uint32_t)(c->l.fontsize * 5);
		return 0;
	}
	if (fl__walk(c, fl__depth))
		return -1;
	if (c->fl->differential && fl__max_delta(c))
		return -1;
	h = fs_flame_layout__height(&c->l, c->depth_max);
	if (h > FS_PNG_MAX_SIDE)
		return fs_error__set(c->err, "png: the flame graph is %u frames deep, %llu px tall, more than %u px: "
				     "raise minwidth or use SVG", c->depth_max + 1, (unsigned long long)h,
				     FS_PNG_MAX_SIDE);
	c->height = (uint32_t)h;
	return 0;
}

static int fl__render(struct fl_ctx *c)
{
	static const struct fs_rgb white = { 255, 255, 255 }, black = { 0, 0, 0 };

	c->cv = fs_png_canvas__new(c->width, c->height, white, c->err);
	if (!c->cv)
		return -1;
	c->font = fs_png_font__open(fl__font_path(c->st), c->l.fontsize, c->err);
	if (!c->font)
		return -1;
	if (!c->fl->nodes[0].value) {
		fl__centre(c, c->font, (int)lround(c->l.title_y), "ERROR: No stack counts found", black);

		return 0;
	}
	fl__background(c);
	if (fl__walk(c, fl__draw))
		return -1;
	return fl__titles(c);
}

int fs_png_flame__write(const struct fs_flame *fl, const struct fs_flame_style *st,
			FILE *out, struct fs_error *err)
{
	static const struct fs_flame_style defaults;
	struct fl_ctx c = { .fl = fl, .st = st ? st : &defaults, .err = err };
	int ret = -1;

	if (!fl || !fl->nodes || !fl->nr_nodes)
		return fs_error__set(err, "png: the flame tree has no root");
	if (!fl__setup(&c) && !fl__render(&c) && !fs_png_font__check(c.font, err))
		ret = fs_png_canvas__encode(c.cv, out, err);

	fs_png_font__close(c.font);
	fs_png_canvas__delete(c.cv);
	free(c.stack);
	return ret;
}
