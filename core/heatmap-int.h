/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * heat-map internals: what the writers (heatmap-svg.c, heatmap-json.c,
 * heatmap-txt.c, png/heatmap-png.c) share beyond heatmap.h. Not an API.
 */
#ifndef FS_HEATMAP_INT_H
#define FS_HEATMAP_INT_H

#include "heatmap.h"

/* The largest cell value. */
uint64_t fs_heatmap__max_cell(const struct fs_heatmap *hm);
/* Every how many units (1, 2, 5, 10, 20, 50, ...) labels `unit` apart are `room` apart. */
uint32_t fs_heatmap__label_every(double unit, double room);

#endif
