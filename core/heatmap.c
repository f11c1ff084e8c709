// SPDX-License-Identifier: GPL-2.0-only
#include <stdlib.h>
#include "heatmap.h"

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

double fs_heatmap__cell_start(const struct fs_heatmap *hm, uint32_t col, uint32_t row)
{
	return hm->from + col * hm->step + row * hm->step / hm->rows;
}
