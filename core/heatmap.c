// SPDX-License-Identifier: GPL-2.0-only
/* The heat-map grid, and what its writers share (heatmap-int.h). */
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
