// SPDX-License-Identifier: GPL-2.0-only
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "canvas.h"
#include "fs_png.h"

struct fs_png_canvas *fs_png_canvas__new(uint32_t width, uint32_t height, struct fs_rgb bg,
					 struct fs_error *err)
{
	struct fs_png_canvas *cv;
	size_t n;

	if (!width || !height || width > FS_PNG_MAX_SIDE || height > FS_PNG_MAX_SIDE ||
	    (uint64_t)width * height > FS_PNG_MAX_PIXELS) {
		fs_error__set(err, "png: a %ux%u image is out of bounds (at most %u px a side, %u Mpixels)",
			      width, height, FS_PNG_MAX_SIDE, FS_PNG_MAX_PIXELS >> 20);
		return NULL;
	}
	n = (size_t)width * height;
	cv = malloc(sizeof(*cv));
	if (cv)
		cv->px = malloc(n * 3);
	if (!cv || !cv->px) {
		free(cv);
		fs_error__set(err, "png: out of memory for a %ux%u image", width, height);
		return NULL;
	}
	cv->width = width;
	cv->height = height;
	fs_png_canvas__fill(cv, 0, 0, (int)width, (int)height, bg);
	return cv;
}

void fs_png_canvas__delete(struct fs_png_canvas *cv)
{
	if (!cv)
		return;
	free(cv->px);
	free(cv);
}

/* Clips [*a, *a + *len) to [0, max); false when nothing is left. */
static bool clip(int *a, int *len, uint32_t max)
{
	int64_t lo = *a, hi = (int64_t)*a + *len;

	if (lo < 0)
		lo = 0;
	if (hi > (int64_t)max)
		hi = max;
	if (hi <= lo)
		return false;
	*a = (int)lo;
	*len = (int)(hi - lo);
	return true;
}

void fs_png_canvas__fill(struct fs_png_canvas *cv, int x, int y, int w, int h, struct fs_rgb c)
{
	uint8_t *row, *p;
	int i, j;

	if (!clip(&x, &w, cv->width) || !clip(&y, &h, cv->height))
		return;
	row = cv->px + ((size_t)y * cv->width + (uint32_t)x) * 3;
	/* Fill the first row, then copy it: memcpy beats per-pixel stores. */
	for (i = 0, p = row; i < w; i++, p += 3)
		p[0] = c.r, p[1] = c.g, p[2] = c.b;
	for (j = 1; j < h; j++)
		memcpy(row + (size_t)j * cv->width * 3, row, (size_t)w * 3);
}

void fs_png_canvas__fill_span(struct fs_png_canvas *cv, double x0, double x1, int y, int h, struct fs_rgb c)
{
	double l, r;
	int xl, xr, j;

	if (!(x1 > x0))
		return;
	if (x0 < 0)
		x0 = 0;
	if (x1 > cv->width)
		x1 = cv->width;
	if (!(x1 > x0))
		return;
	xl = (int)floor(x0);
	xr = (int)floor(x1);
	if (xl == xr) {			/* within one pixel: blend by coverage */
		for (j = 0; j < h; j++)
			fs_png_canvas__blend(cv, xl, y + j, c, (unsigned)lround((x1 - x0) * 255));
		return;
	}
	l = (xl + 1) - x0;
	r = x1 - xr;
	fs_png_canvas__fill(cv, xl + 1, y, xr - xl - 1, h, c);
	for (j = 0; j < h; j++) {
		fs_png_canvas__blend(cv, xl, y + j, c, (unsigned)lround(l * 255));
		fs_png_canvas__blend(cv, xr, y + j, c, (unsigned)lround(r * 255));
	}
}

void fs_png_canvas__vgradient(struct fs_png_canvas *cv, int y, int h, struct fs_rgb top, struct fs_rgb bottom)
{
	struct fs_rgb c;
	double t;
	int j;

	for (j = 0; j < h; j++) {
		t = h > 1 ? (double)j / (h - 1) : 0;
		c.r = (uint8_t)lround(top.r + (bottom.r - top.r) * t);
		c.g = (uint8_t)lround(top.g + (bottom.g - top.g) * t);
		c.b = (uint8_t)lround(top.b + (bottom.b - top.b) * t);
		fs_png_canvas__fill(cv, 0, y + j, (int)cv->width, 1, c);
	}
}
