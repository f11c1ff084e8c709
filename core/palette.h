/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * palette: colours shared by the SVG and PNG writers, so both draw the same picture.
 */
#ifndef FS_PALETTE_H
#define FS_PALETTE_H

#include <stdbool.h>
#include <stdint.h>

struct fs_rgb {
	uint8_t r, g, b;
};

/* Heat-map cell colour for value in [0, max]; palette "flamescope" (default) or "viridis". */
struct fs_rgb fs_palette__heat(const char *palette, uint64_t value, uint64_t max);
/* Whether a heat-map palette name is known. */
bool fs_palette__heat_valid(const char *palette);
/* The colour outlines (flamescope find's findings) take on a heat map: one no cell has. */
struct fs_rgb fs_palette__mark(const char *palette);
/* Frame colour as flamegraph.pl picks it for --colors scheme; deterministic (seeded by name) unless hash. */
struct fs_rgb fs_palette__frame(const char *scheme, const char *name, uint8_t kind, bool hash);
bool fs_palette__frame_valid(const char *scheme);
/*
 * Differential colour: red grew, blue shrank, white unchanged (difffolded.pl + flamegraph.pl).
 * a is the drawn range's count, b the compared one's; flamegraph.pl passes a frame's SELF
 * counts (the stack ending there) and max_delta = the largest |a - b| over all frames, >= 1.
 */
struct fs_rgb fs_palette__diff(uint64_t a, uint64_t b, uint64_t max_delta, bool negate);

/* The nearest xterm-256 colour index (6x6x6 cube or grey ramp), for terminals. */
unsigned int fs_palette__xterm256(struct fs_rgb c);

#endif
