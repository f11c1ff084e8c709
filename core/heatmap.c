// SPDX-License-Identifier: GPL-2.0-only
/* The heat-map grid, and what its writers share (heatmap-int.h). */
#include <math.h>
#include <stdlib.h>
#include "heatmap-int.h"

struct fs_heatmap *fs_heatmap__new(uint32_t columns, uint32_t rows, struct fs_error *err)
{
	struct fs_heatmap *hm = calloc(1, sizeof(*hm));

	if (hm && columns && rows)
		hm->values = calloc((uint64_t)columns * rows, sizeof(*hm->values));
	if (!hm || !hm->values) {
		free(hm);
		fs_error__set(err, "out of memory for a %u x %u heat map", columns, rows);
		return NULL;
	}
	hm->columns = columns;
	hm->rows = rows;
	hm->step = 1;
	hm->event = "";
	hm->weight = "samples";
	return hm;
}

void fs_heatmap__delete(struct fs_heatmap *hm)
{
	if (!hm)
		return;
	free(hm->values);
	free(hm);
}

uint64_t fs_heatmap__max_cell(const struct fs_heatmap *hm)
{
	uint64_t n = (uint64_t)hm->columns * hm->rows, max = 0;

	for (uint64_t i = 0; i < n; i++)
		if (hm->values[i] > max)
			max = hm->values[i];
	return max;
}

uint32_t fs_heatmap__label_every(double unit, double room)
{
	uint32_t k = 1;

	while (k * unit < room && k < UINT32_MAX / 10) {
		if (2 * k * unit >= room)
			return 2 * k;
		if (5 * k * unit >= room)
			return 5 * k;
		k *= 10;
	}
	return k;
}

/* The cell of offset t (seconds from the origin), clamped to the map. */
static void cell_of(const struct fs_heatmap *hm, double t, uint32_t *col, uint32_t *row)
{
	double off = t - hm->from, c = floor(off / hm->step), r;

	if (c < 0) {
		*col = *row = 0;
		return;
	}
	if (c >= hm->columns) {
		*col = hm->columns - 1;
		*row = hm->rows - 1;
		return;
	}
	r = floor(hm->rows * (fmod(off, hm->step) / hm->step));
	*col = (uint32_t)c;
	*row = r < 0 ? 0 : r >= hm->rows ? hm->rows - 1 : (uint32_t)r;
}

static void rect(struct fs_heatmap_corner *p, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
	p[0] = (struct fs_heatmap_corner){ x0, y0 };
	p[1] = (struct fs_heatmap_corner){ x0, y1 };
	p[2] = (struct fs_heatmap_corner){ x1, y1 };
	p[3] = (struct fs_heatmap_corner){ x1, y0 };
}

uint32_t fs_heatmap__outline(const struct fs_heatmap *hm, const struct fs_heatmap_mark *m,
			     struct fs_heatmap_corner poly[2][8], uint32_t n[2])
{
	double end = hm->from + hm->columns * hm->step, last;
	uint32_t c0, r0, c1, r1, R = hm->rows;

	if (!hm->columns || !R || !(m->end > hm->from) || !(m->start < end))
		return 0;
	/* the last cell is the one holding the instant before the end */
	last = fmax(m->start, m->end - 1e-9 * fmax(1, fabs(m->end)));
	cell_of(hm, fmax(m->start, hm->from), &c0, &r0);
	cell_of(hm, fmin(last, end), &c1, &r1);
	if (c1 < c0 || (c1 == c0 && r1 < r0)) {
		c1 = c0;
		r1 = r0;
	}
	if (c0 == c1) {
		rect(poly[0], c0, r0, c0 + 1, r1 + 1);
		n[0] = 4;
		return 1;
	}
	if (c1 == c0 + 1 && r1 + 1 < r0) {
		/* two pieces that do not touch: the top of one column, the bottom of the next */
		rect(poly[0], c0, r0, c0 + 1, R);
		rect(poly[1], c1, 0, c1 + 1, r1 + 1);
		n[0] = n[1] = 4;
		return 2;
	}
	poly[0][0] = (struct fs_heatmap_corner){ c0, r0 };
	poly[0][1] = (struct fs_heatmap_corner){ c0, R };
	poly[0][2] = (struct fs_heatmap_corner){ c1, R };
	poly[0][3] = (struct fs_heatmap_corner){ c1, r1 + 1 };
	poly[0][4] = (struct fs_heatmap_corner){ c1 + 1, r1 + 1 };
	poly[0][5] = (struct fs_heatmap_corner){ c1 + 1, 0 };
	poly[0][6] = (struct fs_heatmap_corner){ c0 + 1, 0 };
	poly[0][7] = (struct fs_heatmap_corner){ c0 + 1, r0 };
	n[0] = 8;
	return 1;
}
