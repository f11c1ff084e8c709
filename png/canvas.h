/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * canvas: an RGB raster (3 bytes a pixel, rows top to bottom) with clipped
 * fills and alpha blending; what the PNG renderers draw on before encoding.
 */
#ifndef FS_PNG_CANVAS_H
#define FS_PNG_CANVAS_H

#include <stdint.h>
#include <stdio.h>
#include "error.h"
#include "palette.h"

struct fs_png_canvas {
	uint32_t width, height;
	uint8_t *px;			/* width * height * 3 */
};

/* Refuses sizes over FS_PNG_MAX_SIDE / FS_PNG_MAX_PIXELS (fs_png.h). */
struct fs_png_canvas *fs_png_canvas__new(uint32_t width, uint32_t height, struct fs_rgb bg,
					 struct fs_error *err);
void fs_png_canvas__delete(struct fs_png_canvas *cv);
void fs_png_canvas__fill(struct fs_png_canvas *cv, int x, int y, int w, int h, struct fs_rgb c);
/* Fills [x0, x1) with fractional edges blended by coverage, as an SVG renderer would. */
void fs_png_canvas__fill_span(struct fs_png_canvas *cv, double x0, double x1, int y, int h, struct fs_rgb c);
/* Blends c over pixel (x, y) with alpha 0..255; out-of-canvas pixels are ignored. */
static inline void fs_png_canvas__blend(struct fs_png_canvas *cv, int x, int y, struct fs_rgb c, unsigned a)
{
	uint8_t *p;

	if (x < 0 || y < 0 || (uint32_t)x >= cv->width || (uint32_t)y >= cv->height || !a)
		return;
	p = cv->px + ((size_t)y * cv->width + (uint32_t)x) * 3;
	if (a >= 255) {
		p[0] = c.r, p[1] = c.g, p[2] = c.b;
		return;
	}
	p[0] = (uint8_t)((p[0] * (255 - a) + c.r * a + 127) / 255);
	p[1] = (uint8_t)((p[1] * (255 - a) + c.g * a + 127) / 255);
	p[2] = (uint8_t)((p[2] * (255 - a) + c.b * a + 127) / 255);
}
static inline struct fs_rgb fs_png_canvas__get(const struct fs_png_canvas *cv, uint32_t x, uint32_t y)
{
	const uint8_t *p = cv->px + ((size_t)y * cv->width + x) * 3;

	return (struct fs_rgb){ p[0], p[1], p[2] };
}
/* Vertical gradient from top colour to bottom colour over rows [y, y + h). */
void fs_png_canvas__vgradient(struct fs_png_canvas *cv, int y, int h, struct fs_rgb top, struct fs_rgb bottom);
/* Writes the canvas as an 8-bit RGB PNG (encode.c). */
int fs_png_canvas__encode(const struct fs_png_canvas *cv, FILE *out, struct fs_error *err);

#endif
