// SPDX-License-Identifier: GPL-2.0-only
/*
 * png/: render heat maps and flame graphs, decode them with libpng and look
 * at pixels: image sizes, colours of known cells and frames, orientation,
 * text where titles and labels go, pruning, limits and speed. The trees and
 * maps are built by hand so these tests depend on nothing but png/ and the
 * palette, whose colours are asked of core/palette.c, not copied here.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include <png.h>
#include "fs_png.h"
#include "palette.h"
#include "flame.h"
#include "heatmap.h"


struct image {
	uint32_t w, h;
	uint8_t *px;
};

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* PNG_TEST_DUMP=DIR keeps every image rendered here, to look at. */
static void dump(const char *buf, size_t len)
{
	static int n;
	const char *dir = getenv("PNG_TEST_DUMP");
	char path[4096];
	FILE *f;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/%02d.png", dir, n++);
	f = fopen(path, "w");
	if (f) {
		fwrite(buf, 1, len, f);
		fclose(f);
	}
}

static void decode(const char *buf, size_t len, struct image *img)
{
	png_image pi;

	memset(&pi, 0, sizeof(pi));
	pi.version = PNG_IMAGE_VERSION;
	assert_true(png_image_begin_read_from_memory(&pi, buf, len));
	pi.format = PNG_FORMAT_RGB;
	img->w = pi.width;
	img->h = pi.height;
	img->px = malloc(PNG_IMAGE_SIZE(pi));
	assert_non_null(img->px);
	dump(buf, len);
	assert_true(png_image_finish_read(&pi, NULL, img->px, 0, NULL));
}

static struct fs_rgb pixel(const struct image *img, uint32_t x, uint32_t y)
{
	const uint8_t *p;

	assert_true(x < img->w && y < img->h);
	p = img->px + ((size_t)y * img->w + x) * 3;
	return (struct fs_rgb){ p[0], p[1], p[2] };
}

static bool same(struct fs_rgb a, struct fs_rgb b)
{
	return a.r == b.r && a.g == b.g && a.b == b.b;
}

#define assert_rgb(got, want) do {						\
	struct fs_rgb g_ = (got), w_ = (want);					\
	if (!same(g_, w_))							\
		fail_msg("pixel %d,%d,%d, expected %d,%d,%d", g_.r, g_.g, g_.b,	\
			 w_.r, w_.g, w_.b);					\
} while (0)

/* Pixels in [x0, x1) x [y0, y1) darker than any frame or cell colour. */
static unsigned dark_pixels(const struct image *img, uint32_t x0, uint32_t y0, uint32_t x1, uint32_t y1)
{
	unsigned n = 0;
	uint32_t x, y;

	for (y = y0; y < y1 && y < img->h; y++)
		for (x = x0; x < x1 && x < img->w; x++) {
			struct fs_rgb c = pixel(img, x, y);

			n += c.r + c.g + c.b < 200;
		}
	return n;
}

/* Pixels of a row band that differ from the band's first pixel (the background). */
static unsigned ink_pixels(const struct image *img, uint32_t y0, uint32_t y1)
{
	unsigned n = 0;
	uint32_t x, y;

	for (y = y0; y < y1; y++)
		for (x = 1; x < img->w; x++)
			n += !same(pixel(img, x, y), pixel(img, 0, y));
	return n;
}

/* ---- heat maps ---- */

static struct fs_heatmap *hm_new(uint32_t columns, uint32_t rows)
{
	struct fs_heatmap *hm = calloc(1, sizeof(*hm));

	assert_non_null(hm);
	hm->columns = columns;
	hm->rows = rows;
	hm->step = 1;
	hm->values = calloc((size_t)columns * rows, sizeof(*hm->values));
	assert_non_null(hm->values);
	hm->event = "cpu-clock";
	hm->weight = "samples";
	return hm;
}

static void hm_set(struct fs_heatmap *hm, uint32_t c, uint32_t r, uint64_t v)
{
	hm->values[(size_t)c * hm->rows + r] = v;
	if (v > hm->maxvalue)
		hm->maxvalue = v;
	hm->total += v;
}

static void hm_free(struct fs_heatmap *hm)
{
	free(hm->values);
	free(hm);
}

static int render_hm(const struct fs_heatmap *hm, const struct fs_heatmap_style *st, struct image *img,
		     struct fs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	assert_non_null(f);
	ret = fs_png_heatmap__write(hm, st, f, err);
	fclose(f);
	if (!ret)
		decode(buf, len, img);
	free(buf);
	return ret;
}

static struct fs_rgb cell_centre(const struct image *img, const struct fs_heatmap *hm,
				 const struct fs_heatmap_style *st, uint32_t c, uint32_t r)
{
	struct fs_error err = { "" };
	struct fs_png_rect rc;

	assert_int_equal(fs_png_heatmap__cell_rect(hm, st, c, r, &rc, &err), 0);
	return pixel(img, rc.x + rc.w / 2, rc.y + rc.h / 2);
}

static void test_heatmap_cells(void **state)
{
	struct fs_heatmap *hm = hm_new(10, 5);
	struct fs_heatmap_style st = { 0 };
	struct fs_error err = { "" };
	struct fs_rgb hot, zero, mid;
	struct fs_png_rect bottom, top;
	struct image img;
	uint32_t w, h;

	(void)state;
	hm_set(hm, 2, 0, 40);		/* hot, at the start of second 2: bottom row */
	hm_set(hm, 7, 4, 10);		/* a quarter as hot, end of second 7: top row */
	assert_int_equal(render_hm(hm, &st, &img, &err), 0);
	assert_int_equal(fs_png_heatmap__size(hm, &st, &w, &h, &err), 0);
	assert_int_equal(img.w, w);
	assert_int_equal(img.h, h);
	hot = fs_palette__heat(NULL, 40, 40);
	mid = fs_palette__heat(NULL, 10, 40);
	zero = fs_palette__heat(NULL, 0, 40);
	assert_false(same(hot, zero));
	assert_false(same(mid, hot));
	assert_rgb(cell_centre(&img, hm, &st, 2, 0), hot);
	assert_rgb(cell_centre(&img, hm, &st, 7, 4), mid);
	assert_rgb(cell_centre(&img, hm, &st, 2, 4), zero);
	assert_rgb(cell_centre(&img, hm, &st, 7, 0), zero);
	assert_rgb(cell_centre(&img, hm, &st, 0, 0), zero);

	/* Row 0 is painted at the bottom, cells are square and tile the grid. */
	assert_int_equal(fs_png_heatmap__cell_rect(hm, &st, 2, 0, &bottom, &err), 0);
	assert_int_equal(fs_png_heatmap__cell_rect(hm, &st, 2, 4, &top, &err), 0);
	assert_true(bottom.y > top.y);
	assert_int_equal(bottom.y - top.y, 4 * bottom.h);
	assert_int_equal(bottom.w, bottom.h);
	assert_true(bottom.y + bottom.h > img.h / 2);
	/* 1200 px / 10 columns is over the 10 px most: 10 px cells. */
	assert_int_equal(bottom.w, 10);
	free(img.px);
	hm_free(hm);
}

/* Find the hot colour by scanning, not by asking where the cell should be. */
static void test_heatmap_orientation_scan(void **state)
{
	struct fs_heatmap *hm = hm_new(30, 50);
	struct fs_heatmap_style st = { .cell_size = 8 };
	struct fs_error err = { "" };
	uint32_t x, y, x0 = UINT32_MAX, y0 = UINT32_MAX, x1 = 0, y1 = 0, n = 0;
	struct fs_rgb hot;
	struct image img;

	(void)state;
	hm_set(hm, 0, 0, 7);
	hm_set(hm, 29, 49, 1);
	assert_int_equal(render_hm(hm, &st, &img, &err), 0);
	hot = fs_palette__heat(NULL, 7, 7);
	/* Left of the last column: the legend's swatch of max is further down. */
	for (y = 0; y < img.h; y++)
		for (x = 0; x < img.w; x++)
			if (same(pixel(&img, x, y), hot) && y < img.h - 60) {
				n++;
				x0 = x < x0 ? x : x0;
				y0 = y < y0 ? y : y0;
				x1 = x > x1 ? x : x1;
				y1 = y > y1 ? y : y1;
			}
	/* One 8x8 block, in the bottom-left corner of a 240x400 grid. */
	assert_int_equal(n, 64);
	assert_int_equal(x1 - x0, 7);
	assert_int_equal(y1 - y0, 7);
	assert_true(x0 < 100);
	assert_true(y0 > 300);
	free(img.px);
	hm_free(hm);
}

static void test_heatmap_title_and_labels(void **state)
{
	struct fs_heatmap *hm = hm_new(60, 50);
	struct fs_heatmap_style st = { 0 };
	struct fs_error err = { "" };
	struct fs_png_rect rc, bot;
	struct image img;
	unsigned ink;

	(void)state;
	hm_set(hm, 10, 10, 3);
	assert_int_equal(render_hm(hm, &st, &img, &err), 0);
	assert_int_equal(fs_png_heatmap__cell_rect(hm, &st, 0, 49, &rc, &err), 0);
	assert_int_equal(fs_png_heatmap__cell_rect(hm, &st, 0, 0, &bot, &err), 0);
	/* The title is drawn above the grid. */
	ink = ink_pixels(&img, 0, 30);
	assert_true(ink > 100);
	/* Millisecond labels left of the grid, seconds below it. */
	assert_true(dark_pixels(&img, 0, rc.y, rc.x, bot.y + bot.h) > 50);
	assert_true(dark_pixels(&img, rc.x, bot.y + bot.h + 2, rc.x + 300, bot.y + bot.h + 20) > 50);
	free(img.px);

	/* A raised step is said in the title: a longer title, more ink. */
	hm->step = 10;
	hm->step_raised = true;
	assert_int_equal(render_hm(hm, &st, &img, &err), 0);
	assert_true(ink_pixels(&img, 0, 30) > ink + 50);
	free(img.px);
	hm_free(hm);
}

static void test_heatmap_max_and_size(void **state)
{
	struct fs_heatmap *hm = hm_new(100, 50);
	struct fs_heatmap_style st = { .max = 5, .width = 800, .height = 300, .palette = "viridis" };
	struct fs_error err = { "" };
	struct fs_png_rect a, b;
	struct image img;

	(void)state;
	hm_set(hm, 3, 3, 100);		/* above --max: clamps to the top colour */
	hm_set(hm, 4, 3, 5);
	hm_set(hm, 5, 3, 2);
	assert_int_equal(render_hm(hm, &st, &img, &err), 0);
	assert_int_equal(img.w, 800);
	assert_int_equal(img.h, 300);
	assert_rgb(cell_centre(&img, hm, &st, 3, 3), fs_palette__heat("viridis", 5, 5));
	assert_rgb(cell_centre(&img, hm, &st, 4, 3), fs_palette__heat("viridis", 5, 5));
	assert_rgb(cell_centre(&img, hm, &st, 5, 3), fs_palette__heat("viridis", 2, 5));
	/* Scaled cells still tile: neighbours touch, nothing overlaps. */
	assert_int_equal(fs_png_heatmap__cell_rect(hm, &st, 3, 3, &a, &err), 0);
	assert_int_equal(fs_png_heatmap__cell_rect(hm, &st, 4, 3, &b, &err), 0);
	assert_int_equal(a.x + a.w, b.x);
	assert_int_equal(fs_png_heatmap__cell_rect(hm, &st, 3, 4, &b, &err), 0);
	assert_int_equal(b.y + b.h, a.y);
	free(img.px);
	hm_free(hm);
}

/* 20000 columns into 1000 px: each pixel shows the hottest of its columns. */
static void test_heatmap_huge(void **state)
{
	struct fs_heatmap *hm = hm_new(20000, 50);
	struct fs_heatmap_style st = { 0 };
	struct fs_error err = { "" };
	struct fs_png_rect rc;
	struct image img;
	double t;

	(void)state;
	hm_set(hm, 12345, 10, 9);
	hm_set(hm, 12346, 10, 1);
	hm_set(hm, 100, 40, 9);
	{
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);

		assert_non_null(f);
		t = now_ms();
		assert_int_equal(fs_png_heatmap__write(hm, &st, f, &err), 0);
		fclose(f);
		t = now_ms() - t;
		free(buf);
	}
	assert_int_equal(render_hm(hm, &st, &img, &err), 0);
	print_message("20000x50 heat map, default size %ux%u: %.1f ms to render and encode\n",
		      img.w, img.h, t);
	assert_true(img.w <= FS_PNG_MAX_SIDE);
	assert_rgb(cell_centre(&img, hm, &st, 12345, 10), fs_palette__heat(NULL, 9, 9));
	free(img.px);

	st.width = 1000;
	assert_int_equal(render_hm(hm, &st, &img, &err), 0);
	assert_int_equal(img.w, 1000);
	assert_int_equal(fs_png_heatmap__cell_rect(hm, &st, 12346, 10, &rc, &err), 0);
	assert_int_equal(rc.w, 1);
	/* Column 12346 (value 1) shares its pixel with 12345: the 9 wins. */
	assert_rgb(cell_centre(&img, hm, &st, 12346, 10), fs_palette__heat(NULL, 9, 9));
	assert_rgb(cell_centre(&img, hm, &st, 100, 40), fs_palette__heat(NULL, 9, 9));
	assert_rgb(cell_centre(&img, hm, &st, 100, 10), fs_palette__heat(NULL, 0, 9));
	free(img.px);

	hm_free(hm);

	/* 6000 x 3000 cells, 4 x 1 px, would be 76 Mpixels: narrowed to fit. */
	hm = hm_new(6000, 3000);
	hm_set(hm, 5999, 2999, 1);
	{
		uint32_t w, h;

		assert_int_equal(fs_png_heatmap__size(hm, NULL, &w, &h, &err), 0);
		assert_true(w <= FS_PNG_MAX_SIDE && h <= FS_PNG_MAX_SIDE);
		assert_true((uint64_t)w * h <= FS_PNG_MAX_PIXELS);
		assert_true(w > 2000 && w < 6000 * 4 && h > 3000);
	}
	st.width = 40000;		/* over the limit: refused, not attempted */
	assert_int_equal(render_hm(hm, &st, &img, &err), -1);
	assert_non_null(strstr(err.msg, "32768"));
	hm_free(hm);
}

static void test_heatmap_errors(void **state)
{
	struct fs_heatmap *hm = hm_new(1, 1);
	struct fs_error err = { "" };
	struct fs_png_rect rc;
	struct image img;

	(void)state;
	hm->columns = 0;
	assert_int_equal(render_hm(hm, NULL, &img, &err), -1);
	assert_non_null(strstr(err.msg, "empty"));
	hm->columns = 1;
	assert_int_equal(fs_png_heatmap__cell_rect(hm, NULL, 1, 0, &rc, &err), -1);
	hm->step = 0;
	assert_int_equal(render_hm(hm, NULL, &img, &err), -1);
	hm->step = 1;
	{
		struct fs_heatmap_style st = { .palette = "nope" };

		assert_int_equal(render_hm(hm, &st, &img, &err), -1);
		assert_non_null(strstr(err.msg, "nope"));
		st.palette = NULL;
		st.width = 50;		/* no room for the grid */
		assert_int_equal(render_hm(hm, &st, &img, &err), -1);
		st.width = 0;
		st.cell_size = 100000;	/* clamped to the largest image */
		assert_int_equal(render_hm(hm, &st, &img, &err), 0);
		assert_true(img.w <= FS_PNG_MAX_SIDE && img.h <= FS_PNG_MAX_SIDE);
		free(img.px);
	}
	/* An all-zero map still renders (every cell the zero colour). */
	assert_int_equal(render_hm(hm, NULL, &img, &err), 0);
	assert_rgb(cell_centre(&img, hm, NULL, 0, 0), fs_palette__heat(NULL, 0, 1));
	free(img.px);
	hm_free(hm);
}

static void test_heatmap_speed(void **state)
{
	struct fs_heatmap *hm = hm_new(180, 50);
	struct fs_error err = { "" };
	double t, best = 1e9;
	char *buf = NULL;
	size_t len = 0;
	uint32_t i;
	FILE *f;

	(void)state;
	srand(1);
	for (i = 0; i < 180 * 50; i++)
		hm_set(hm, i / 50, i % 50, (uint64_t)(rand() % 30));
	for (i = 0; i < 5; i++) {
		f = open_memstream(&buf, &len);
		t = now_ms();
		assert_int_equal(fs_png_heatmap__write(hm, NULL, f, &err), 0);
		fclose(f);
		t = now_ms() - t;
		best = t < best ? t : best;
		free(buf);
		buf = NULL;
	}
	print_message("180x50 heat map: %.2f ms to render and encode\n", best);
	hm_free(hm);
}

/* ---- flame graphs ---- */

struct tree {
	struct fs_flame fl;
	uint32_t last_child[64];
};

static uint32_t fl_alloc;		/* nodes fl_new() made room for: trees are built by hand */

static uint32_t add(struct fs_flame *fl, uint32_t parent, const char *name, uint64_t value, uint64_t value_b)
{
	uint32_t i = fl->nr_nodes++, k;
	struct fs_flame_node *n;

	assert_true(i < fl_alloc);
	n = &fl->nodes[i];
	n->name = name;
	n->kind = FS_FRAME_USER;
	n->parent = parent;
	n->value = value;
	n->value_b = value_b;
	/* Append, so children keep the order they were added in. */
	if (!fl->nodes[parent].first_child) {
		fl->nodes[parent].first_child = i;
	} else {
		for (k = fl->nodes[parent].first_child; fl->nodes[k].next_sibling; k = fl->nodes[k].next_sibling)
			;
		fl->nodes[k].next_sibling = i;
	}
	return i;
}

static struct fs_flame *fl_new(uint32_t alloc, uint64_t total)
{
	struct fs_flame *fl = calloc(1, sizeof(*fl));

	assert_non_null(fl);
	fl_alloc = alloc;

	fl->nodes = calloc(alloc, sizeof(*fl->nodes));
	assert_non_null(fl->nodes);
	fl->nodes[0].name = "all";
	fl->nodes[0].value = total;
	fl->nr_nodes = 1;
	return fl;
}

static void fl_free(struct fs_flame *fl)
{
	free(fl->nodes);
	free(fl);
}

__attribute__((noinline)) static int render_fl(const struct fs_flame *fl, const struct fs_flame_style *st, struct image *img,
		     struct fs_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int ret;

	assert_non_null(f);
	ret = fs_png_flame__write(fl, st, f, err);
	fclose(f);
	if (!ret)
		decode(buf, len, img);
	free(buf);
	return ret;
}

static void style(struct fs_flame_style *st)
{
	memset(st, 0, sizeof(*st));
	st->title = "Flame Graph";
	st->width = 1200;
	st->frame_height = 16;
	st->minwidth = 0.1;
	st->colors = "hot";
	st->fontsize = 12;
}

/*
 * all 100000
 *   wide_function_name 60000      (708 px)
 *     leaf 30000
 *   b 39295
 *   d_has_a_long_name 700         (8 px: no room for a label)
 *   narrow 5 -> n2 5 -> n3 5      (0.06 px: pruned with what is above it)
 * flamegraph.pl: x = 10 + t * 1180 / 100000, frames 15 px tall (16 - pad),
 * depth 0 at y = H - 34 - 16 + 1, H = (2 + 1) * 16 + 36 + 34 = 118.
 */
static struct fs_flame *fl_sample(uint32_t *ids)
{
	struct fs_flame *fl = fl_new(16, 100000);
	uint32_t n;

	ids[0] = add(fl, 0, "wide_function_name", 60000, 0);
	ids[1] = add(fl, ids[0], "leaf", 30000, 0);
	ids[2] = add(fl, 0, "b", 39295, 0);
	ids[3] = add(fl, 0, "d_has_a_long_name", 700, 0);
	n = add(fl, 0, "narrow", 5, 0);
	n = add(fl, n, "n2", 5, 0);
	add(fl, n, "n3", 5, 0);
	return fl;
}

static void test_flame_layout(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct fs_flame *fl;
	struct image img;
	uint32_t ids[4], y0, y1, y2;
	double px = 1180.0 / 100000;

	(void)state;
	style(&st);
	fl = fl_sample(ids);
	assert_int_equal(render_fl(fl, &st, &img, &err), 0);
	assert_int_equal(img.w, 1200);
	assert_int_equal(img.h, 118);		/* depth 2: the narrow chain (depth 3) is pruned */
	y0 = 118 - 34 - 8;			/* middle of depth 0 */
	y1 = y0 - 16;
	y2 = y1 - 16;
	/* The root along the bottom (coloured by flamegraph.pl's empty root
	 * name), its children above, in order. */
	assert_rgb(pixel(&img, 600, y0), fs_palette__frame("hot", "", FS_FRAME_USER, false));
	assert_rgb(pixel(&img, 10 + 650, y1 - 4),
		   fs_palette__frame("hot", "wide_function_name", FS_FRAME_USER, false));
	assert_rgb(pixel(&img, (uint32_t)(10 + 60000 * px + 300), y1 - 4),
		   fs_palette__frame("hot", "b", FS_FRAME_USER, false));
	/* As flamegraph.pl: the parent's own 30000 come first, leaf right of them. */
	assert_rgb(pixel(&img, (uint32_t)(10 + 45000 * px), y2 - 4),
		   fs_palette__frame("hot", "leaf", FS_FRAME_USER, false));
	assert_rgb(pixel(&img, (uint32_t)(10 + 15000 * px), y2 - 4), pixel(&img, 1199, y2 - 4));
	/* The label of the wide frame is drawn in it; none in the 8 px frame. */
	assert_true(dark_pixels(&img, 10, y1 - 7, 150, y1 + 7) > 30);
	assert_int_equal(dark_pixels(&img, (uint32_t)(10 + 99295 * px), y1 - 7,
				     (uint32_t)(10 + 99995 * px), y1 + 7), 0);
	/* The pruned frame is not there: the background shows. */
	assert_rgb(pixel(&img, 1190, y1), pixel(&img, 1199, y1));
	assert_false(same(pixel(&img, 1188, y1), pixel(&img, 1199, y1)));
	/* Title text, centred: ink in the top band on both sides of the middle. */
	assert_true(ink_pixels(&img, 5, 30) > 100);
	assert_true(dark_pixels(&img, 520, 5, 600, 30) > 10);
	assert_true(dark_pixels(&img, 600, 5, 680, 30) > 10);
	assert_int_equal(dark_pixels(&img, 0, 5, 400, 30), 0);
	free(img.px);

	/* Inverted: the root on top, under the title. */
	st.inverted = true;
	assert_int_equal(render_fl(fl, &st, &img, &err), 0);
	assert_int_equal(img.h, 118);
	assert_rgb(pixel(&img, 600, 36 + 8), fs_palette__frame("hot", "", FS_FRAME_USER, false));
	assert_rgb(pixel(&img, 660, 36 + 16 + 12),
		   fs_palette__frame("hot", "wide_function_name", FS_FRAME_USER, false));
	free(img.px);

	/* Without pruning the chain makes it one level deeper. */
	st.inverted = false;
	st.minwidth = 0;
	assert_int_equal(render_fl(fl, &st, &img, &err), 0);
	assert_int_equal(img.h, 118 + 16);
	free(img.px);
	/* minwidth as a percentage: 1% = 1000 prunes d (700) too, so x of d is background. */
	st.minwidth = 1;
	st.minwidth_percent = true;
	assert_int_equal(render_fl(fl, &st, &img, &err), 0);
	assert_rgb(pixel(&img, (uint32_t)(10 + 99600 * px), y1), pixel(&img, 1199, y1));
	free(img.px);
	fl_free(fl);
}

static void test_flame_truncation(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct fs_flame *fl = fl_new(5, 1180);
	uint32_t y1 = 118 - 34 - 8 - 16 - 16, a, b, x;
	struct image img;

	(void)state;
	style(&st);
	/* 60 px frames, 1 px a unit: one with a long name (truncated), one short. */
	a = add(fl, 0, "p", 1180, 0);
	add(fl, a, "abcdefghijklmnopqrstuvwxyz_abcdefghijklmnopqrstuvwxyz", 60, 0);
	b = add(fl, a, "xy", 60, 0);
	/* a nameless filler, so p has no samples of its own and its children start at its left edge */
	add(fl, a, "", 1060, 0);
	(void)b;
	assert_int_equal(render_fl(fl, &st, &img, &err), 0);
	/* Children from p's left edge: x = 10..70 and 70..130. */
	assert_true(dark_pixels(&img, 10, y1 - 7, 70, y1 + 7) > 20);
	/* Truncated text stays inside its frame: the next frame's first pixels are
	 * clean (its own label "xy" starts 3 px in). */
	assert_int_equal(dark_pixels(&img, 70, y1 - 7, 72, y1 + 7), 0);
	/* ".." ends the truncated label: dark dots on the baseline, the last few
	 * pixels before the frame's end, in the last third of the frame. */
	for (x = 50; x < 69; x++)
		if (dark_pixels(&img, x, y1 + 1, x + 1, y1 + 4))
			break;
	assert_true(x < 69);
	/* and the label is not the whole name: past the frame there is no text */
	assert_int_equal(dark_pixels(&img, 130, y1 - 7, 1190, y1 + 7), 0);
	free(img.px);
	fl_free(fl);
}

static void test_flame_differential(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct fs_flame *fl = fl_new(8, 1000);
	uint32_t y1 = 118 - 34 - 8 - 16, y2 = y1 - 16;
	struct fs_rgb kid;
	struct image img;
	uint32_t g;

	(void)state;
	style(&st);
	fl->differential = true;
	fl->nodes[0].value_b = 1000;
	/* flamegraph.pl colours a frame by the change of its own line (self):
	 * "grew" grew only through "kid", so it is white and kid is red. */
	g = add(fl, 0, "grew", 600, 400);
	add(fl, g, "kid", 500, 300);		/* own delta +200 */
	add(fl, 0, "shrank", 300, 500);		/* own delta -200 */
	add(fl, 0, "same", 100, 100);
	assert_int_equal(render_fl(fl, &st, &img, &err), 0);
	assert_int_equal(img.h, 118);
	/* Largest change of one stack: 200 (flamegraph.pl's maxdelta). */
	kid = pixel(&img, 10 + 400, y2 - 3);
	assert_rgb(kid, fs_palette__diff(500, 300, 200, false));
	assert_rgb(pixel(&img, 10 + 650, y1), fs_palette__diff(100, 100, 200, false));
	assert_rgb(pixel(&img, 10 + 708 + 150, y1), fs_palette__diff(300, 500, 200, false));
	assert_rgb(pixel(&img, 10 + 1062 + 100, y1), fs_palette__diff(100, 100, 200, false));
	assert_true(kid.r == 255 && kid.b < 100);
	assert_true(pixel(&img, 10 + 708 + 150, y1).b > pixel(&img, 10 + 708 + 150, y1).r);
	free(img.px);
	st.negate = true;
	assert_int_equal(render_fl(fl, &st, &img, &err), 0);
	kid = pixel(&img, 10 + 400, y2 - 3);
	assert_true(kid.b == 255 && kid.r < 100);
	free(img.px);
	fl_free(fl);
}

static void test_flame_errors(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct fs_flame *fl = fl_new(3001, 100);
	struct image img;
	uint32_t i, p = 0;

	(void)state;
	style(&st);
	/* A loop in the links is refused, not followed forever. */
	add(fl, 0, "a", 100, 0);
	fl->nodes[1].first_child = 1;
	assert_int_equal(render_fl(fl, &st, &img, &err), -1);
	assert_non_null(strstr(err.msg, "loop"));
	fl->nodes[1].first_child = 7;		/* out of bounds */
	assert_int_equal(render_fl(fl, &st, &img, &err), -1);
	fl->nodes[1].first_child = 0;
	fl->nr_nodes = 1;
	fl->nodes[0].first_child = 0;
	/* 3000 levels need 48000 px: refused with a clear message. */
	for (i = 0; i < 3000; i++)
		p = add(fl, p, "deep", 100, 0);
	assert_int_equal(render_fl(fl, &st, &img, &err), -1);
	assert_non_null(strstr(err.msg, "deep"));
	/* An empty profile still makes an image saying so. */
	fl->nr_nodes = 1;
	fl->nodes[0].first_child = 0;
	fl->nodes[0].value = 0;
	assert_int_equal(render_fl(fl, &st, &img, &err), 0);
	assert_int_equal(img.h, 60);
	assert_true(dark_pixels(&img, 0, 10, img.w, 30) > 50);
	free(img.px);
	fl_free(fl);
}

/* A random tree of n nodes (parents before children), values consistent. */
static struct fs_flame *fl_random(uint32_t n, char names[][24])
{
	struct fs_flame *fl = fl_new(n, 0);
	uint32_t i, p, *last = calloc(n, sizeof(*last));

	assert_non_null(last);
	srand(42);
	for (i = 1; i < n; i++) {
		struct fs_flame_node *x = &fl->nodes[i];

		p = (uint32_t)rand() % i;
		x->name = names[i % 1000];
		x->parent = p;
		x->value = 1 + (uint64_t)(rand() % 10);
		if (last[p])
			fl->nodes[last[p]].next_sibling = i;
		else
			fl->nodes[p].first_child = i;
		last[p] = i;
	}
	for (i = n - 1; i > 0; i--)
		fl->nodes[fl->nodes[i].parent].value += fl->nodes[i].value;
	fl->nr_nodes = n;
	free(last);
	return fl;
}

static void time_flame(uint32_t n)
{
	static char names[1000][24];
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct fs_flame *fl;
	double t, best = 1e9;
	char *buf = NULL;
	size_t len = 0;
	unsigned i, runs = n > 100000 ? 1 : 5;
	FILE *f;

	for (i = 0; i < 1000; i++)
		snprintf(names[i], sizeof(names[i]), "function_%u", i);
	fl = fl_random(n, names);
	style(&st);
	for (i = 0; i < runs; i++) {
		f = open_memstream(&buf, &len);
		t = now_ms();
		if (fs_png_flame__write(fl, &st, f, &err))
			fail_msg("%s", err.msg);
		fclose(f);
		t = now_ms() - t;
		best = t < best ? t : best;
		if (i + 1 < runs)
			free(buf);
	}
	print_message("%u-node flame graph: %.2f ms to render and encode, %zu bytes\n", n, best, len);
	{
		struct image img;

		decode(buf, len, &img);
		assert_int_equal(img.w, 1200);
		free(img.px);
	}
	free(buf);
	fl_free(fl);
}

static void test_flame_speed_10k(void **state)
{
	(void)state;
	time_flame(10000);
}

static void test_flame_1m(void **state)
{
	(void)state;
	time_flame(1000000);
}


/* ---- the same picture as the SVG writers (core/flame-svg.c, heatmap-svg.c) ---- */

/* Renders the SVG into memory; the caller frees it. */
__attribute__((noinline)) static char *svg_of(int (*write)(const void *, const void *, FILE *, struct fs_error *),
		    const void *obj, const void *st)
{
	struct fs_error err = { "" };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_non_null(f);
	if (write(obj, st, f, &err))
		fail_msg("SVG: %s", err.msg);
	fclose(f);
	return buf;
}

static int svg_flame(const void *fl, const void *st, FILE *f, struct fs_error *err)
{
	return fs_flame__write_svg(fl, st, f, err);
}

static int svg_heatmap(const void *hm, const void *st, FILE *f, struct fs_error *err)
{
	return fs_heatmap__write_svg(hm, st, f, err);
}

/*
 * Every frame rect of the SVG at least 12 px wide: the PNG has the frame's
 * colour just inside its right end, and the SVG's size is the PNG's.
 */

/*
 * Walking a long SVG (60,000 cells) without quadratic time: strstr (under
 * ASan) and sscanf measure the whole rest of the string each call, so find
 * tags with strchr and scan a copy of one tag.
 */
static const char *next_rect(const char *p)
{
	while ((p = strchr(p, '<')) && strncmp(p, "<rect x=\"", 9))
		p++;
	return p;
}

static const char *tag_at(const char *p, char *buf, size_t size)
{
	size_t n = strnlen(p, size - 1);

	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static void flame_matches_svg(const struct fs_flame *fl, const struct fs_flame_style *st)
{
	char tag[160];
	struct fs_error err = { "" };
	unsigned checked = 0, w, h;
	double x, y, fw, fh;
	struct image img;
	const char *p;
	char *svg;
	int r, g, b;

	svg = svg_of(svg_flame, fl, st);
	assert_int_equal(render_fl(fl, st, &img, &err), 0);
	p = strstr(svg, "<svg ");
	assert_non_null(p);
	assert_int_equal(sscanf(p, "<svg version=\"1.1\" width=\"%u\" height=\"%u\"", &w, &h), 2);
	assert_int_equal(img.w, w);
	assert_int_equal(img.h, h);
	for (p = svg; (p = next_rect(p)); p++) {
		if (sscanf(tag_at(p, tag, sizeof(tag)),
			   "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\" height=\"%lf\" fill=\"rgb(%d,%d,%d)\"",
			   &x, &y, &fw, &fh, &r, &g, &b) != 7 || fw < 12)
			continue;
		/* the frame's bottom row, below any label's baseline and descenders */
		assert_rgb(pixel(&img, (uint32_t)(x + fw - 4), (uint32_t)(y + fh - 1)),
			   ((struct fs_rgb){ (uint8_t)r, (uint8_t)g, (uint8_t)b }));
		checked++;
	}
	assert_true(checked > 50);
	free(svg);
	free(img.px);
}

static void test_flame_matches_svg(void **state)
{
	static char names[1000][24];
	struct fs_flame_style st;
	struct fs_flame *fl;
	uint32_t i;

	(void)state;
	for (i = 0; i < 1000; i++)
		snprintf(names[i], sizeof(names[i]), i % 3 ? "function_%u" : "java/lang/f%u", i);
	fl = fl_random(3000, names);
	style(&st);
	flame_matches_svg(fl, &st);
	st.inverted = true;
	st.subtitle = "a subtitle";
	flame_matches_svg(fl, &st);
	style(&st);
	st.colors = "java";
	st.hash = true;
	st.fontsize = 10;
	st.frame_height = 14;
	st.width = 900;
	flame_matches_svg(fl, &st);
	/* differential: the other range's weights, consistent like the first's */
	fl->differential = true;
	for (i = 0; i < fl->nr_nodes; i++)
		fl->nodes[i].value_b = i ? (uint64_t)(rand() % 12) : 0;
	for (i = fl->nr_nodes - 1; i > 0; i--)
		fl->nodes[fl->nodes[i].parent].value_b += fl->nodes[i].value_b;
	style(&st);
	flame_matches_svg(fl, &st);
	st.negate = true;
	flame_matches_svg(fl, &st);
	fl_free(fl);
}

/* Every cell rect of the SVG: the PNG has its colour at the cell's centre. */
static void heatmap_matches_svg(const struct fs_heatmap *hm, const struct fs_heatmap_style *st)
{
	char tag[160];
	struct fs_error err = { "" };
	unsigned checked = 0, x, y, cw, ch, r, g, b;
	struct image img;
	const char *p;
	char *svg;

	svg = svg_of(svg_heatmap, hm, st);
	assert_int_equal(render_hm(hm, st, &img, &err), 0);
	for (p = svg; (p = next_rect(p)); p++) {
		int n = 0;

		/* cells carry a <title>; the legend's swatches do not */
		if (sscanf(tag_at(p, tag, sizeof(tag)),
			   "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#%2x%2x%2x\"%n",
			   &x, &y, &cw, &ch, &r, &g, &b, &n) != 7 || strncmp(p + n, "><title>", 8))
			continue;
		assert_rgb(pixel(&img, x + cw / 2, y + ch / 2),
			   ((struct fs_rgb){ (uint8_t)r, (uint8_t)g, (uint8_t)b }));
		checked++;
	}
	assert_int_equal(checked, hm->columns * hm->rows);
	free(svg);
	free(img.px);
}

static void test_heatmap_matches_svg(void **state)
{
	struct fs_heatmap *hm = hm_new(60, 50);
	struct fs_heatmap_style st = { 0 };
	uint32_t i;

	(void)state;
	srand(7);
	for (i = 0; i < 60 * 50; i++)
		hm_set(hm, i / 50, i % 50, (uint64_t)(rand() % 7 ? rand() % 20 : 0));
	heatmap_matches_svg(hm, &st);
	st.palette = "viridis";
	st.max = 9;
	heatmap_matches_svg(hm, &st);
	st.cell_size = 7;
	hm->step = 10;
	hm->step_raised = true;
	heatmap_matches_svg(hm, &st);
	hm_free(hm);
	hm = hm_new(300, 200);		/* 4 px columns, rows squeezed to 3 px */
	for (i = 0; i < 300 * 200; i += 7)
		hm_set(hm, i / 200, i % 200, i % 13);
	memset(&st, 0, sizeof(st));
	heatmap_matches_svg(hm, &st);
	hm_free(hm);
}

/* Garbage links and values: an error or an image, never a crash or a hang. */
static void test_flame_garbage(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct fs_flame *fl = fl_new(40, 0);
	unsigned round, i, ok = 0;
	struct image img;

	(void)state;
	style(&st);
	srand(3);
	for (round = 0; round < 300; round++) {
		fl->nr_nodes = 1 + (uint32_t)rand() % 40;
		fl->differential = round & 1;
		for (i = 0; i < fl->nr_nodes; i++) {
			struct fs_flame_node *n = &fl->nodes[i];

			n->name = i % 5 ? "x" : NULL;
			n->first_child = rand() % 2 ? (uint32_t)rand() % (fl->nr_nodes + 1) : 0;
			n->next_sibling = rand() % 2 ? (uint32_t)rand() % (fl->nr_nodes + 1) : 0;
			n->value = rand() % 4 ? (uint64_t)rand() % 1000 : UINT64_MAX - (uint64_t)rand();
			n->value_b = (uint64_t)rand() % 1000;
		}
		if (!render_fl(fl, &st, &img, &err)) {
			ok++;
			assert_int_equal(img.w, 1200);
			free(img.px);
		}
	}
	print_message("%u of 300 garbage trees drew, the others were refused\n", ok);
	fl_free(fl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heatmap_cells),
		cmocka_unit_test(test_heatmap_orientation_scan),
		cmocka_unit_test(test_heatmap_title_and_labels),
		cmocka_unit_test(test_heatmap_max_and_size),
		cmocka_unit_test(test_heatmap_huge),
		cmocka_unit_test(test_heatmap_errors),
		cmocka_unit_test(test_heatmap_speed),
		cmocka_unit_test(test_flame_layout),
		cmocka_unit_test(test_flame_truncation),
		cmocka_unit_test(test_flame_differential),
		cmocka_unit_test(test_flame_errors),
		cmocka_unit_test(test_flame_garbage),
		cmocka_unit_test(test_flame_speed_10k),
		cmocka_unit_test(test_flame_1m),
		cmocka_unit_test(test_flame_matches_svg),
		cmocka_unit_test(test_heatmap_matches_svg),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
