/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * fs_png: raster renderers for dashboards, drawing the same pictures as the
 * SVG writers (colours from core/palette.c). Text is drawn with FreeType and
 * the DejaVu fonts (fonts-dejavu-core); encoding is libpng with fast zlib
 * settings. Named fs_png (header and prefix) so nothing shadows libpng's
 * png.h or its png_ names.
 *
 * Images are refused (-1 with a message) beyond FS_PNG_MAX_SIDE pixels on a
 * side or FS_PNG_MAX_PIXELS in all, so no input can make us allocate
 * gigabytes; a heat map with more columns (or rows) than fit is scaled down
 * instead, each pixel showing the hottest of the cells it covers.
 */
#ifndef FS_PNG_H
#define FS_PNG_H

#include <stdint.h>
#include <stdio.h>
#include "api.h"
#include "error.h"
#include "flame.h"
#include "heatmap.h"

#define FS_PNG_MAX_SIDE		32768u
#define FS_PNG_MAX_PIXELS	(64u << 20)


/* A pixel rectangle: [x, x + w) x [y, y + h), y growing downwards. */
struct fs_png_rect {
	uint32_t x, y, w, h;
};

FS_API int fs_png_heatmap__write(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
				 FILE *out, struct fs_error *err);
/* Where fs_png_heatmap__write paints cell (col, row) for this style (row 0 at the bottom). */
FS_API int fs_png_heatmap__cell_rect(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
				     uint32_t col, uint32_t row, struct fs_png_rect *rect,
				     struct fs_error *err);
/* Whole-image size fs_png_heatmap__write would produce. */
FS_API int fs_png_heatmap__size(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
				uint32_t *width, uint32_t *height, struct fs_error *err);

/*
 * flamegraph.pl's layout as core/flame-svg.c draws it: frames bottom-up
 * (top-down when inverted), children in link order from their parent's left
 * edge, frames narrower than minwidth pruned with everything above them,
 * labels truncated with ".." to the measured text width. Zero width, frame
 * height and font size take flamegraph.pl's 1200, 16 and 12; minwidth is
 * taken as given (0: nothing pruned). Deeper than FS_PNG_MAX_SIDE px: refused.
 */
FS_API int fs_png_flame__write(const struct fs_flame *fl, const struct fs_flame_style *st,
			       FILE *out, struct fs_error *err);

#endif
