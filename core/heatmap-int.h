/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * heat-map internals: what the writers (heatmap-svg.c, heatmap-json.c,
 * heatmap-txt.c, png/heatmap-png.c) share beyond heatmap.h. Not an API.
 */
#ifndef FS_HEATMAP_INT_H
#define FS_HEATMAP_INT_H

#include <math.h>
#include "heatmap.h"

/* The largest cell value. */
uint64_t fs_heatmap__max_cell(const struct fs_heatmap *hm);
/* Every how many units (1, 2, 5, 10, 20, 50, ...) labels `unit` apart are `room` apart. */
uint32_t fs_heatmap__label_every(double unit, double room);

/*
 * The cell of an offset (seconds from column 0), FlameScope's arithmetic:
 * col = floor(off / step), row = floor(rows * (off % step) / step).
 */
static inline void fs_heatmap__bin(double off, double step, uint32_t rows, uint64_t *col,
				   uint64_t *row)
{
	double c;

	if (step == 1) {	/* the same numbers: x - floor(x) is exact, as fmod(x, 1) is */
		c = floor(off);
		*col = (uint64_t)c;
		*row = (uint64_t)floor(rows * (off - c));
		return;
	}
	*col = (uint64_t)floor(off / step);
	*row = (uint64_t)floor(rows * (fmod(off, step) / step));
}

/*
 * A mark's outline: the cells its range covers, in time order (column by
 * column, rows bottom up), as one or two closed polygons of grid corners
 * (x: column edge 0..columns, y: row edge from the bottom 0..rows), up to 8
 * corners each. Returns the number of polygons: 0 when the range misses the map.
 */
struct fs_heatmap_corner {
	uint32_t x, y;
};
uint32_t fs_heatmap__outline(const struct fs_heatmap *hm, const struct fs_heatmap_mark *m,
			     struct fs_heatmap_corner poly[2][8], uint32_t n[2]);

#endif
