// SPDX-License-Identifier: GPL-2.0-only
#include <ft2build.h>
#include FT_FREETYPE_H
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "text.h"

struct fs_png_glyph {
	int left, top;			/* bitmap offset from the pen, y up */
	unsigned w, h;
	double advance;			/* pixels */
	uint8_t *bitmap;		/* w * h coverage, NULL when empty */
	bool loaded;
};

struct fs_png_font {
	FT_Library lib;
	FT_Face face;
	bool nomem;			/* a glyph could not be kept: text drawn is incomplete */

	struct fs_png_glyph ascii[128];
};

struct fs_png_font *fs_png_font__open(const char *path, double px_size, struct fs_error *err)
{
	struct fs_png_font *f = calloc(1, sizeof(*f));
	unsigned px = (unsigned)lround(px_size);

	if (!f) {
		fs_error__set(err, "png: out of memory for a font");
		return NULL;
	}
	if (px < 4)
		px = 4;
	if (px > 256)
		px = 256;
	if (FT_Init_FreeType(&f->lib)) {
		free(f);
		fs_error__set(err, "png: cannot start FreeType");
		return NULL;
	}
	if (FT_New_Face(f->lib, path, 0, &f->face)) {
		FT_Done_FreeType(f->lib);
		free(f);
		fs_error__set(err, "%s: cannot load the font (install fonts-dejavu-core)", path);
		return NULL;
	}
	FT_Set_Pixel_Sizes(f->face, 0, px);
	return f;
}

void fs_png_font__close(struct fs_png_font *f)
{
	unsigned i;

	if (!f)
		return;
	for (i = 0; i < 128; i++)
		free(f->ascii[i].bitmap);
	FT_Done_Face(f->face);
	FT_Done_FreeType(f->lib);
	free(f);
}

/* Renders code point cp into g; the bitmap is a copy so it outlives the slot. */
static void glyph__load(struct fs_png_font *f, uint32_t cp, struct fs_png_glyph *g)
{
	FT_GlyphSlot slot = f->face->glyph;
	FT_Bitmap *bm = &slot->bitmap;
	unsigned y;

	memset(g, 0, sizeof(*g));
	g->loaded = true;
	if (FT_Load_Char(f->face, cp, FT_LOAD_RENDER))
		return;
	g->advance = slot->advance.x / 64.0;
	g->left = slot->bitmap_left;
	g->top = slot->bitmap_top;
	if (!bm->width || !bm->rows || bm->pixel_mode != FT_PIXEL_MODE_GRAY)
		return;
	g->bitmap = malloc((size_t)bm->width * bm->rows);
	if (!g->bitmap) {
		f->nomem = true;	/* the glyph would be missing: fs_png_font__check() says so */
		return;
	}
	g->w = bm->width;
	g->h = bm->rows;
	for (y = 0; y < bm->rows; y++)
		memcpy(g->bitmap + (size_t)y * g->w, bm->buffer + (ptrdiff_t)y * bm->pitch, g->w);
}

/* Decodes one UTF-8 sequence; a stray byte stands for itself (Latin-1). */
static uint32_t utf8__next(const unsigned char *s, size_t len, size_t *i)
{
	uint32_t c = s[*i], n, k;

	if (c < 0xc2 || c > 0xf4) {	/* ASCII, or not a lead byte */
		(*i)++;
		return c;
	}
	n = c < 0xe0 ? 1 : c < 0xf0 ? 2 : 3;
	if (*i + n >= len)
		goto stray;
	c &= 0x3f >> n;
	for (k = 1; k <= n; k++) {
		if ((s[*i + k] & 0xc0) != 0x80)
			goto stray;
		c = c << 6 | (s[*i + k] & 0x3f);
	}
	*i += n + 1;
	return c;
stray:
	return s[(*i)++];
}

/* The cached glyph for ASCII, else cp rendered into tmp (caller frees tmp->bitmap). */
static const struct fs_png_glyph *glyph__get(struct fs_png_font *f, uint32_t cp, struct fs_png_glyph *tmp)
{
	if (cp < 128) {
		if (!f->ascii[cp].loaded)
			glyph__load(f, cp, &f->ascii[cp]);
		return &f->ascii[cp];
	}
	glyph__load(f, cp, tmp);
	return tmp;
}

double fs_png_font__width(struct fs_png_font *f, const char *s, size_t len)
{
	const unsigned char *u = (const unsigned char *)s;
	struct fs_png_glyph tmp = { 0 };
	double w = 0;
	size_t i = 0;

	while (i < len) {
		uint32_t cp = utf8__next(u, len, &i);

		w += glyph__get(f, cp, &tmp)->advance;
		free(tmp.bitmap);
		tmp.bitmap = NULL;
	}
	return w;
}

static void glyph__blit(struct fs_png_canvas *cv, const struct fs_png_glyph *g, int x, int y, struct fs_rgb c)
{
	unsigned gx, gy;

	if (!g->bitmap)
		return;
	x += g->left;
	y -= g->top;
	if (x >= (int)cv->width || y >= (int)cv->height || x + (int)g->w <= 0 || y + (int)g->h <= 0)
		return;
	for (gy = 0; gy < g->h; gy++)
		for (gx = 0; gx < g->w; gx++)
			fs_png_canvas__blend(cv, x + (int)gx, y + (int)gy, c, g->bitmap[gy * g->w + gx]);
}

double fs_png_font__draw(struct fs_png_font *f, struct fs_png_canvas *cv, double x, int y,
			 const char *s, size_t len, struct fs_rgb c)
{
	const unsigned char *u = (const unsigned char *)s;
	struct fs_png_glyph tmp = { 0 };
	const struct fs_png_glyph *g;
	size_t i = 0;

	while (i < len) {
		uint32_t cp = utf8__next(u, len, &i);

		g = glyph__get(f, cp, &tmp);
		glyph__blit(cv, g, (int)lround(x), y, c);
		x += g->advance;
		free(tmp.bitmap);
		tmp.bitmap = NULL;
	}
	return x;
}

size_t fs_png_font__fit(struct fs_png_font *f, const char *s, size_t len, double max_w)
{
	const unsigned char *u = (const unsigned char *)s;
	struct fs_png_glyph tmp = { 0 };
	double w = fs_png_font__width(f, "..", 2);
	size_t i = 0, fit = 0;

	while (i < len) {
		uint32_t cp = utf8__next(u, len, &i);

		w += glyph__get(f, cp, &tmp)->advance;
		free(tmp.bitmap);
		tmp.bitmap = NULL;
		if (w > max_w)
			break;
		fit = i;
	}
	return fit;
}

int fs_png_font__check(const struct fs_png_font *f, struct fs_error *err)
{
	return f && f->nomem ? fs_error__set(err, "png: out of memory drawing text") : 0;
}
