// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flame-graph style: flamegraph.pl's defaults and layout, shared by the SVG
 * and PNG writers (flame-int.h), so a dashboard image matches the page.
 */
#include <string.h>
#include "flame-int.h"
#include "util.h"

void fs_flame_style__init(struct fs_flame_style *st)
{
	memset(st, 0, sizeof(*st));
	st->title = "Flame Graph";
	st->width = 1200;
	st->frame_height = 16;
	st->minwidth = 0.1;
	st->colors = "hot";
	st->countname = "samples";
	st->fonttype = "Verdana";
	st->fontsize = 12;
}

void fs_flame_style__layout(const struct fs_flame_style *st, uint64_t total,
			    struct fs_flame_layout *l)
{
	static const struct fs_flame_style none;
	bool subtitle;

	if (!st)
		st = &none;
	subtitle = st->subtitle && *st->subtitle;
	memset(l, 0, sizeof(*l));
	l->fontsize = st->fontsize > 0 ? st->fontsize : 12;
	if (l->fontsize > 200)		/* the command's limit: labels past it are no use */
		l->fontsize = 200;

	l->width = st->width > 2 * FS_FLAME_XPAD ? st->width : 1200;
	l->frame_h = st->frame_height ? st->frame_height : 16;
	l->ypad1 = (uint32_t)(l->fontsize * 3) + (subtitle ? (uint32_t)(l->fontsize * 2) : 0);
	l->ypad2 = (uint32_t)(l->fontsize * 2 + 10);
	l->title_y = l->fontsize * 2;
	l->subtitle_y = l->fontsize * 4;
	l->title_size = l->fontsize + 5;
	l->total = total;
	if (total && l->width > 2 * FS_FLAME_XPAD)
		l->per_value = (double)(l->width - 2 * FS_FLAME_XPAD) / (double)total;
	if (st->minwidth_percent)
		l->min_value = (double)total * st->minwidth / 100;
	else if (st->minwidth > 0 && l->per_value > 0)
		l->min_value = st->minwidth / l->per_value;
}

uint64_t fs_flame_layout__height(const struct fs_flame_layout *l, uint32_t max_depth)
{
	return ((uint64_t)max_depth + 1) * l->frame_h + l->ypad1 + l->ypad2;
}

void fs_flame_layout__frame_y(const struct fs_flame_layout *l, const struct fs_flame_style *st,
			      uint32_t d, uint32_t height, double *y1, double *y2)
{
	if (st && st->inverted) {
		*y1 = (double)l->ypad1 + (double)d * l->frame_h;
		*y2 = (double)l->ypad1 + (d + 1.0) * l->frame_h - FS_FLAME_FRAMEPAD;
	} else {
		*y1 = (double)height - l->ypad2 - (d + 1.0) * l->frame_h + FS_FLAME_FRAMEPAD;
		*y2 = (double)height - l->ypad2 - (double)d * l->frame_h;
	}
}

const char *fs_flame_style__title(const struct fs_flame_style *st)
{
	const char *title = st && st->title ? st->title : "Flame Graph";

	if (st && st->inverted && !strcmp(title, "Flame Graph"))
		return "Icicle Graph";
	return title;
}

void fs_flame_style__background(const char *colors, struct fs_rgb *top, struct fs_rgb *bottom)
{
	static const char *const flat[] = { "red", "green", "blue", "aqua", "yellow", "purple", "orange" };

	*top = (struct fs_rgb){ 0xee, 0xee, 0xee };
	*bottom = (struct fs_rgb){ 0xee, 0xee, 0xb0 };
	if (!colors)
		return;
	if (!strcmp(colors, "mem")) {
		*top = (struct fs_rgb){ 0xee, 0xf2, 0xee };
		*bottom = (struct fs_rgb){ 0xe0, 0xff, 0xe0 };
	} else if (!strcmp(colors, "io")) {
		*bottom = (struct fs_rgb){ 0xe0, 0xe0, 0xff };
	}
	for (size_t i = 0; i < ARRAY_SIZE(flat); i++) {
		if (!strcmp(colors, flat[i])) {
			*top = (struct fs_rgb){ 0xf8, 0xf8, 0xf8 };
			*bottom = (struct fs_rgb){ 0xe8, 0xe8, 0xe8 };
		}
	}
}
