/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * text: anti-aliased text with FreeType. An fs_png_font is one face at one pixel
 * size, with the ASCII glyphs rendered once and cached (a flame graph draws
 * thousands of labels); other code points (UTF-8) are rendered on demand.
 * Widths are in pixels, as drawn, so labels can be truncated to fit.
 */
#ifndef FS_PNG_TEXT_H
#define FS_PNG_TEXT_H

#include <stddef.h>
#include "canvas.h"

#define FS_PNG_FONT_SANS	"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
#define FS_PNG_FONT_MONO	"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"

struct fs_png_font;

struct fs_png_font *fs_png_font__open(const char *path, double px_size, struct fs_error *err);
void fs_png_font__close(struct fs_png_font *f);
/* Advance width of s[0..len) in pixels. */
double fs_png_font__width(struct fs_png_font *f, const char *s, size_t len);
/* Draws s[0..len) with its baseline at y, starting at x; returns the pen's end x. */
double fs_png_font__draw(struct fs_png_font *f, struct fs_png_canvas *cv, double x, int y,
			 const char *s, size_t len, struct fs_rgb c);
/* 0, or -1 when a glyph drawn with f could not be kept in memory (the text is incomplete). */
int fs_png_font__check(const struct fs_png_font *f, struct fs_error *err);
/* The longest prefix of s[0..len) that, followed by "..", fits in max_w px; 0 if none. */

size_t fs_png_font__fit(struct fs_png_font *f, const char *s, size_t len, double max_w);

#endif
