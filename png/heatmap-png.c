// SPDX-License-Identifier: GPL-2.0-only
/*
 * heatmap-png: the subsecond-offset heat map as a PNG. Layout: title on top,
 * the grid (row 0 at the bottom) with millisecond labels on the left and
 * second labels below, the colour legend on the right. The margins depend
 * only on the map and style, never on font metrics, so fs_png_heatmap__cell_rect
 * can say where a cell is without loading a font.
 */
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "canvas.h"
#include "fs_png.h"
#include "heatmap-int.h"
#include "palette.h"
#include "text.h"

/* The SVG writer's (core/heatmap-svg.c) paddings, so both pictures match. */
#define HM_TOP		50	/* title and the "ms" caption */
#define HM_LEFT		70	/* millisecond labels */
#define HM_RIGHT	20
#define HM_BOTTOM	66	/* second labels, caption, legend */
#define HM_MIN_WIDTH	480	/* room for the legend */
#define HM_TITLE_PX	17
#define HM_LABEL_PX	12

static const struct fs_rgb hm_white = { 255, 255, 255 };
static const struct fs_rgb hm_black = { 0, 0, 0 };
static const struct fs_rgb hm_frame = { 0xcc, 0xcc, 0xcc };

struct hm_layout {
	uint32_t width, height;
	uint32_t plot_x, plot_y, plot_w, plot_h;
	uint64_t max;			/* top of the colour scale (set when drawing) */
	uint64_t scale;			/* max, or 1 for an empty map: palettes divide by it */
};

/*
 * One band of pixels [p0, p1) and the items [i0, i1) it shows: with fewer
 * items than pixels each item gets a band of >= 1 px; with more, each pixel
 * is a band showing several items (the renderer paints their maximum).
 */
struct hm_band {
	uint32_t p0, p1, i0, i1;
};

static uint32_t band__count(uint32_t n, uint32_t pix)
{
	return n <= pix ? n : pix;
}

static void band__at(uint32_t k, uint32_t n, uint32_t pix, struct hm_band *b)
{
	if (n <= pix) {
		b->i0 = k;
		b->i1 = k + 1;
		b->p0 = (uint32_t)((uint64_t)k * pix / n);
		b->p1 = (uint32_t)((uint64_t)(k + 1) * pix / n);
	} else {
		b->p0 = k;
		b->p1 = k + 1;
		b->i0 = (uint32_t)(((uint64_t)k * n + pix - 1) / pix);
		b->i1 = (uint32_t)(((uint64_t)(k + 1) * n + pix - 1) / pix);
	}
}

static uint32_t clamp_u(double v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : (uint32_t)v;
}

static uint32_t clamp_plot(uint64_t want, uint32_t margins)
{
	uint32_t most = FS_PNG_MAX_SIDE - margins;

	return want > most ? most : (uint32_t)want;
}

/* The top of the scale as the SVG finds it: from the values, not trusting maxvalue. */
static uint64_t hm__max(const struct fs_heatmap *hm)
{
	uint64_t n = (uint64_t)hm->columns * hm->rows, i, max = 0;

	for (i = 0; i < n; i++)
		if (hm->values[i] > max)
			max = hm->values[i];
	return max;
}

/*
 * Default cells as the SVG draws them: square, 4..10 px so the grid is about
 * 1200 px wide, shorter when the rows would pass 600 px. --cell-size fixes
 * both; --width/--height fix the image size and the cells are scaled to fit.
 */
static int hm__layout(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
		      struct hm_layout *l, struct fs_error *err)
{
	uint32_t lr = HM_LEFT + HM_RIGHT, tb = HM_TOP + HM_BOTTOM, cw, ch;

	if (!hm || !hm->values || !hm->columns || !hm->rows)
		return fs_error__set(err, "png: heat map is empty (%u columns, %u rows)",
				     hm ? hm->columns : 0, hm ? hm->rows : 0);
	if (!(hm->step > 0))
		return fs_error__set(err, "png: heat map step %g is not positive", hm->step);
	if (st && !fs_palette__heat_valid(st->palette))
		return fs_error__set(err, "png: unknown palette '%s'", st->palette);
	memset(l, 0, sizeof(*l));
	cw = clamp_u(1200.0 / hm->columns, 4, 10);
	ch = hm->rows * cw > 600 ? clamp_u(600.0 / hm->rows, 1, cw) : cw;
	if (st && st->cell_size)
		cw = ch = st->cell_size;
	if (st && st->width) {
		if (st->width <= lr)
			return fs_error__set(err, "png: width %u leaves no room for the heat map (at least %u)",
					     st->width, lr + 1);
		l->plot_w = st->width - lr;
	} else {
		l->plot_w = clamp_plot((uint64_t)hm->columns * cw, lr);
	}
	if (st && st->height) {
		if (st->height <= tb)
			return fs_error__set(err, "png: height %u leaves no room for the heat map (at least %u)",
					     st->height, tb + 1);
		l->plot_h = st->height - tb;
	} else {
		l->plot_h = clamp_plot((uint64_t)hm->rows * ch, tb);
	}
	/* Too many pixels in all: narrow the grid rather than refuse (unless told the width). */
	if (!(st && st->width) && (uint64_t)(l->plot_w + lr) * (l->plot_h + tb) > FS_PNG_MAX_PIXELS)
		l->plot_w = FS_PNG_MAX_PIXELS / (l->plot_h + tb) - lr;
	l->plot_x = HM_LEFT;
	l->plot_y = HM_TOP;
	l->width = l->plot_w + lr;
	if (l->width < HM_MIN_WIDTH && !(st && st->width))
		l->width = HM_MIN_WIDTH;
	l->height = l->plot_h + tb;
	return 0;
}

int fs_png_heatmap__size(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
			 uint32_t *width, uint32_t *height, struct fs_error *err)
{
	struct hm_layout l;

	if (hm__layout(hm, st, &l, err))
		return -1;
	*width = l.width;
	*height = l.height;
	return 0;
}

int fs_png_heatmap__cell_rect(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
			      uint32_t col, uint32_t row, struct fs_png_rect *rect, struct fs_error *err)
{
	struct hm_layout l;
	struct hm_band bx, by;

	if (hm__layout(hm, st, &l, err))
		return -1;
	if (col >= hm->columns || row >= hm->rows)
		return fs_error__set(err, "png: no cell (%u, %u) in a %ux%u heat map",
				     col, row, hm->columns, hm->rows);
	/* The band showing an item: its own, or the pixel it falls in. */
	band__at(hm->columns <= l.plot_w ? col :
		 (uint32_t)((uint64_t)col * l.plot_w / hm->columns), hm->columns, l.plot_w, &bx);
	band__at(hm->rows <= l.plot_h ? row :
		 (uint32_t)((uint64_t)row * l.plot_h / hm->rows), hm->rows, l.plot_h, &by);
	rect->x = l.plot_x + bx.p0;
	rect->w = bx.p1 - bx.p0;
	rect->y = l.plot_y + l.plot_h - by.p1;
	rect->h = by.p1 - by.p0;
	return 0;
}

static const char *hm__palette(const struct fs_heatmap_style *st)
{
	return st && st->palette ? st->palette : "flamescope";
}

static void hm__cell_colours(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
			     const struct hm_layout *l, struct fs_png_canvas *cv, uint64_t *colmax)
{
	uint32_t nx = band__count(hm->columns, l->plot_w), ny = band__count(hm->rows, l->plot_h);
	const char *pal = hm__palette(st);
	struct hm_band bx, by;
	uint32_t i, j, c, r;
	uint64_t v;

	for (i = 0; i < nx; i++) {
		band__at(i, hm->columns, l->plot_w, &bx);
		memset(colmax, 0, sizeof(*colmax) * hm->rows);
		for (c = bx.i0; c < bx.i1; c++)
			for (r = 0; r < hm->rows; r++) {
				v = fs_heatmap__value(hm, c, r);
				if (v > colmax[r])
					colmax[r] = v;
			}
		for (j = 0; j < ny; j++) {
			band__at(j, hm->rows, l->plot_h, &by);
			for (v = 0, r = by.i0; r < by.i1; r++)
				if (colmax[r] > v)
					v = colmax[r];
			if (v > l->max)
				v = l->max;
			fs_png_canvas__fill(cv, (int)(l->plot_x + bx.p0), (int)(l->plot_y + l->plot_h - by.p1),
					 (int)(bx.p1 - bx.p0), (int)(by.p1 - by.p0),
					 fs_palette__heat(pal, v, l->scale));
		}
	}
}

static void text__centre(struct fs_png_font *f, struct fs_png_canvas *cv, double cx, int y,
			 const char *s, struct fs_rgb c)
{
	size_t n = strlen(s);

	fs_png_font__draw(f, cv, cx - fs_png_font__width(f, s, n) / 2, y, s, n, c);
}

static void text__right(struct fs_png_font *f, struct fs_png_canvas *cv, double rx, int y,
			const char *s, struct fs_rgb c)
{
	size_t n = strlen(s);

	fs_png_font__draw(f, cv, rx - fs_png_font__width(f, s, n), y, s, n, c);
}

static void text__left(struct fs_png_font *f, struct fs_png_canvas *cv, double x, int y,
		       const char *s, struct fs_rgb c)
{
	fs_png_font__draw(f, cv, x, y, s, strlen(s), c);
}

/* Smallest of 1, 2, 5, 10, 20, 50, ... items whose span is at least min_px. */
static uint32_t nice_every(double px_per_item, double min_px)
{
	uint64_t k = 1;

	while (k < UINT32_MAX / 10) {
		if (k * px_per_item >= min_px)
			return (uint32_t)k;
		if (2 * k * px_per_item >= min_px)
			return (uint32_t)(2 * k);
		if (5 * k * px_per_item >= min_px)
			return (uint32_t)(5 * k);
		k *= 10;
	}
	return (uint32_t)k;
}

/* Seconds along the bottom, left-aligned at their column, at least 44 px apart as in the SVG. */
static void hm__x_axis(const struct fs_heatmap *hm, const struct hm_layout *l,
		       struct fs_png_canvas *cv, struct fs_png_font *f)
{
	uint32_t every, c, x, base = l->plot_y + l->plot_h;
	double room = 44, w;
	char s[64];

	snprintf(s, sizeof(s), "%.6g", hm->from + (hm->columns - 1) * hm->step);
	w = fs_png_font__width(f, s, strlen(s)) + 8;
	every = nice_every((double)l->plot_w / hm->columns, w > room ? w : room);
	for (c = 0; c < hm->columns; c += every) {
		x = l->plot_x + (uint32_t)((uint64_t)c * l->plot_w / hm->columns);
		snprintf(s, sizeof(s), "%.6g", hm->from + c * hm->step);
		text__left(f, cv, x, (int)base + 16, s, hm_black);
		if ((uint64_t)c + every > UINT32_MAX)
			break;
	}
	text__left(f, cv, l->plot_x, (int)base + 32, "seconds", hm_black);
}

/* Milliseconds into the step up the left side, at row boundaries 14 px apart or more. */
static void hm__y_axis(const struct fs_heatmap *hm, const struct hm_layout *l,
		       struct fs_png_canvas *cv, struct fs_png_font *f)
{
	uint32_t every = nice_every((double)l->plot_h / hm->rows, 14), r, y;
	double row_ms = 1000.0 * hm->step / hm->rows;
	char s[64];

	text__right(f, cv, l->plot_x - 6, (int)l->plot_y - 8, "ms", hm_black);
	for (r = 0; r <= hm->rows; r += every) {
		y = l->plot_y + l->plot_h - (uint32_t)((uint64_t)r * l->plot_h / hm->rows);
		snprintf(s, sizeof(s), "%.6g", r * row_ms);
		text__right(f, cv, l->plot_x - 6, (int)y + 4, s, hm_black);
		if ((uint64_t)r + every > UINT32_MAX)
			break;
	}
}

/* The SVG's legend: "0", eleven swatches 0..max, "MAX samples per cell". */
static void hm__legend(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
		       const struct hm_layout *l, struct fs_png_canvas *cv, struct fs_png_font *f)
{
	uint32_t y = l->plot_y + l->plot_h + 44, x = l->plot_x + 14, i;
	const char *pal = hm__palette(st);
	char s[96];

	text__left(f, cv, l->plot_x, (int)y + 11, "0", hm_black);
	for (i = 0; i <= 10; i++) {
		uint64_t v = (l->max * i + 5) / 10;

		fs_png_canvas__fill(cv, (int)(x + i * 16), (int)y, 17, 13, hm_frame);
		fs_png_canvas__fill(cv, (int)(x + i * 16) + 1, (int)y + 1, 15, 11,
				 fs_palette__heat(pal, v, l->scale));
	}
	snprintf(s, sizeof(s), "%" PRIu64 " %.40s per cell", l->max, hm->weight ? hm->weight : "samples");
	text__left(f, cv, x + 11 * 16 + 6, (int)y + 11, s, hm_black);
}

static void hm__title(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
		      const struct hm_layout *l, struct fs_png_canvas *cv, struct fs_png_font *f)
{
	char s[512];

	if (st && st->title)
		snprintf(s, sizeof(s), "%s", st->title);
	else if (hm->step_raised)
		snprintf(s, sizeof(s), "Heat map: %.200s (%g s per column)",
			 hm->event ? hm->event : "samples", hm->step);
	else
		snprintf(s, sizeof(s), "Heat map: %.200s", hm->event ? hm->event : "samples");
	text__centre(f, cv, l->width / 2.0, 24, s, hm_black);
}

/* A grid corner (column edge x, row edge y from the bottom) in pixels, as the bands place cells. */
static int hm__px(const struct hm_layout *l, const struct fs_heatmap *hm, uint32_t x)
{
	return (int)(l->plot_x + (uint64_t)x * l->plot_w / hm->columns);
}

static int hm__py(const struct hm_layout *l, const struct fs_heatmap *hm, uint32_t y)
{
	return (int)(l->plot_y + l->plot_h - (uint64_t)y * l->plot_h / hm->rows);
}

/* Marks (e.g. flamescope find's findings): 2-pixel outlines over the cells, and their labels. */
static void hm__marks(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
		      const struct hm_layout *l, struct fs_png_canvas *cv, struct fs_png_font *f)
{
	struct fs_rgb c = fs_palette__mark(hm__palette(st));

	for (uint32_t i = 0; i < st->nr_marks; i++) {
		struct fs_heatmap_corner poly[2][8];
		uint32_t n[2], np = fs_heatmap__outline(hm, &st->marks[i], poly, n);
		char s[16];

		for (uint32_t k = 0; k < np; k++) {
			for (uint32_t j = 0; j < n[k]; j++) {
				const struct fs_heatmap_corner *a = &poly[k][j], *b = &poly[k][(j + 1) % n[k]];
				int x0 = hm__px(l, hm, a->x), y0 = hm__py(l, hm, a->y);
				int x1 = hm__px(l, hm, b->x), y1 = hm__py(l, hm, b->y);
				int x = x0 < x1 ? x0 : x1, y = y0 < y1 ? y0 : y1;

				/* centred on the edge, as the SVG's 2-unit stroke */
				fs_png_canvas__fill(cv, x - 1, y - 1, abs(x1 - x0) + 2, abs(y1 - y0) + 2, c);
			}
		}
		if (np && st->marks[i].label) {
			snprintf(s, sizeof(s), "%u", st->marks[i].label);
			fs_png_font__draw(f, cv, hm__px(l, hm, poly[0][1].x) + 2,
				       hm__py(l, hm, poly[0][1].y) - 3, s, strlen(s), c);
		}
	}
}

int fs_png_heatmap__write(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
			  FILE *out, struct fs_error *err)
{
	struct fs_png_font *title = NULL, *label = NULL;
	struct fs_png_canvas *cv = NULL;
	uint64_t *colmax = NULL;
	struct hm_layout l;
	int ret = -1;

	if (hm__layout(hm, st, &l, err))
		return -1;
	l.max = st && st->max ? st->max : hm__max(hm);
	l.scale = l.max ? l.max : 1;
	cv = fs_png_canvas__new(l.width, l.height, hm_white, err);
	if (!cv)
		return -1;
	colmax = malloc(sizeof(*colmax) * hm->rows);
	if (!colmax) {
		fs_error__set(err, "png: out of memory for %u rows", hm->rows);
		goto out;
	}
	title = fs_png_font__open(FS_PNG_FONT_SANS, HM_TITLE_PX, err);
	label = title ? fs_png_font__open(FS_PNG_FONT_SANS, HM_LABEL_PX, err) : NULL;
	if (!label)
		goto out;
	hm__cell_colours(hm, st, &l, cv, colmax);
	if (st && st->nr_marks)
		hm__marks(hm, st, &l, cv, label);
	hm__x_axis(hm, &l, cv, label);
	hm__y_axis(hm, &l, cv, label);
	hm__legend(hm, st, &l, cv, label);
	hm__title(hm, st, &l, cv, title);
	if (fs_png_font__check(label, err) || fs_png_font__check(title, err))
		goto out;
	ret = fs_png_canvas__encode(cv, out, err);

out:
	fs_png_font__close(label);
	fs_png_font__close(title);
	free(colmax);
	fs_png_canvas__delete(cv);
	return ret;
}
