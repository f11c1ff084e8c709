// SPDX-License-Identifier: GPL-2.0-only
#include <stdio.h>
#include <string.h>
#include "formats.h"
#include "fs_png.h"
#include "util.h"

/* Writers without a style take the table's signature here. */
static int heatmap_json(const struct fs_heatmap *hm, const struct fs_heatmap_style *st, FILE *out,
			struct fs_error *err)
{
	(void)st;
	return fs_heatmap__write_json(hm, out, err);
}

static int flame_json(const struct fs_flame *fl, const struct fs_flame_style *st, FILE *out,
		      struct fs_error *err)
{
	(void)st;
	return fs_flame__write_json(fl, out, err);
}

static const struct heatmap_format heatmap_formats[] = {
	{ "svg", fs_heatmap__write_svg },
	{ "png", fs_png_heatmap__write },
	{ "json", heatmap_json },
	{ "txt", fs_heatmap__write_txt },
};

static const struct flame_format flame_formats[] = {
	{ "svg", fs_flame__write_svg },
	{ "png", fs_png_flame__write },
	{ "folded", NULL },
	{ "json", flame_json },
};

/* "svg png ...": the names of a table's n entries (size bytes each, name first), built once. */
static const char *names(char *buf, size_t len, const void *table, size_t n, size_t size)
{
	size_t used = 0;

	if (buf[0])
		return buf;
	for (size_t i = 0; i < n; i++) {
		const char *name = *(const char *const *)((const char *)table + i * size);


		used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", name);
	}
	return buf;
}

const struct heatmap_format *heatmap_format__find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(heatmap_formats); i++)
		if (!strcmp(heatmap_formats[i].name, name))
			return &heatmap_formats[i];
	return NULL;
}

const struct flame_format *flame_format__find(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(flame_formats); i++)
		if (!strcmp(flame_formats[i].name, name))
			return &flame_formats[i];
	return NULL;
}

const char *heatmap_format__names(void)
{
	static char buf[128];

	return names(buf, sizeof(buf), heatmap_formats, ARRAY_SIZE(heatmap_formats),
		     sizeof(heatmap_formats[0]));
}

const char *flame_format__names(void)
{
	static char buf[128];

	return names(buf, sizeof(buf), flame_formats, ARRAY_SIZE(flame_formats),
		     sizeof(flame_formats[0]));
}
