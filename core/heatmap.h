/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * heatmap: the subsecond-offset grid FlameScope draws.
 * Column c covers [origin + c*step, origin + (c+1)*step) seconds of perf time,
 * row r the r-th of `rows` equal slices of that column, row 0 first in time
 * (painted at the bottom). values[c * rows + r] holds the weight of the samples
 * that fell there. Writers (SVG, JSON, text here; PNG in png/) only read this.
 */
#ifndef FS_HEATMAP_H
#define FS_HEATMAP_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "api.h"
#include "error.h"

struct fs_heatmap {
	uint32_t columns, rows;
	double origin;			/* seconds of perf time: floor(first sample time) */
	double step;			/* seconds per column (1 unless --step or raised for long profiles) */
	double from;			/* offset of column 0 from origin, in seconds (--from) */
	bool step_raised;		/* step was raised so the columns fit */
	uint64_t *values;		/* columns * rows */
	uint64_t maxvalue;
	uint64_t total;
	const char *event;		/* the event shown, e.g. "cpu-clock:pppH" */
	const char *weight;		/* "samples" or "period" */
};

/* A time range outlined on the heat map (e.g. a flamescope find finding). */
struct fs_heatmap_mark {
	double start, end;		/* offsets from the origin, s, as cells are addressed */
	uint32_t label;			/* number drawn at the range; 0: none */
	const char *title;		/* what it is (SVG tooltip); may be NULL */
};

/* Presentation options shared by every heat-map writer. */
struct fs_heatmap_style {
	const char *title;		/* NULL: "Heat map: EVENT" with the step when raised */
	const char *palette;		/* "flamescope" (default) or "viridis" (colour-blind safe) */
	uint64_t max;			/* top of the colour scale; 0 = the map's maxvalue */
	const char *input;		/* perf.data path, shown in the click-to-command line */
	/*
	 * The click-to-command line before its range: the flame graph command
	 * with every option the heat map was made with, shell-quoted, e.g.
	 * "flamescope flamegraph -i /abs/perf.data --comm x"; NULL: made from
	 * input. dlarg: a perf script --dlfilter command, whose range goes in
	 * as --dlarg start=S --dlarg end=E.
	 */
	const char *command;
	bool dlarg;
	uint32_t width, height;		/* image size for PNG; 0 = from cell size */
	uint32_t cell_size;		/* PNG/SVG cell edge in pixels; 0 = default */
	const struct fs_heatmap_mark *marks;	/* outlined ranges (SVG, PNG) */
	uint32_t nr_marks;
};

FS_API struct fs_heatmap *fs_heatmap__new(uint32_t columns, uint32_t rows, struct fs_error *err);
FS_API void fs_heatmap__delete(struct fs_heatmap *hm);
static inline uint64_t fs_heatmap__value(const struct fs_heatmap *hm, uint32_t col, uint32_t row)
{
	return hm->values[(uint64_t)col * hm->rows + row];
}

FS_API int fs_heatmap__write_svg(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
				 FILE *out, struct fs_error *err);
/* FlameScope's /api/v1/heatmap shape: values[column][row], row 0 the top (end of the step). */
FS_API int fs_heatmap__write_json(const struct fs_heatmap *hm, FILE *out, struct fs_error *err);
/* 256-colour terminal blocks. */
FS_API int fs_heatmap__write_txt(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
				 FILE *out, struct fs_error *err);

#endif
