// SPDX-License-Identifier: GPL-2.0-only
/*
 * palette: heat-map scales and flame-graph frame colours.
 *
 * "flamescope" is the linear scale FlameScope's UI gives d3: white at 0,
 * #FF5032 at max/2, #E50914 at max, interpolated per channel in RGB and
 * rounded half up (as d3-color formats). "viridis" keeps 0 white (an empty
 * cell) and runs the viridis ramp from yellow (1) to purple (max): the same
 * "darker is busier" reading, but distinguishable without red/green vision.
 *
 * Frame colours follow flamegraph.pl's color(): the scheme chooses a hue
 * family and one to three intensities v1..v3 in [0, 1). flamegraph.pl's
 * default seeds Perl's drand48 with the byte sum of the name and draws once,
 * so the same name gets the same colour in every graph; we do the same, and
 * with hash use its namehash(). Our frames carry their kind instead of the
 * _[k]/_[j]/_[i] suffix, so the kind stands in for the suffix.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "flame.h"
#include "palette.h"
#include "util.h"

struct stop {
	double at;
	struct fs_rgb c;
};

static const struct stop flamescope_stops[] = {
	{ 0.0, { 0xff, 0xff, 0xff } },
	{ 0.5, { 0xff, 0x50, 0x32 } },
	{ 1.0, { 0xe5, 0x09, 0x14 } },
};

/* viridis sampled at tenths of its range, lightest first (low counts). */
static const struct stop viridis_stops[] = {
	{ 0.0 / 9, { 0xfd, 0xe7, 0x25 } },
	{ 1.0 / 9, { 0xb5, 0xde, 0x2b } },
	{ 2.0 / 9, { 0x6e, 0xce, 0x58 } },
	{ 3.0 / 9, { 0x35, 0xb7, 0x79 } },
	{ 4.0 / 9, { 0x1f, 0x9e, 0x89 } },
	{ 5.0 / 9, { 0x26, 0x82, 0x8e } },
	{ 6.0 / 9, { 0x31, 0x68, 0x8e } },
	{ 7.0 / 9, { 0x3e, 0x49, 0x89 } },
	{ 8.0 / 9, { 0x48, 0x28, 0x78 } },
	{ 9.0 / 9, { 0x44, 0x01, 0x54 } },
};

static uint8_t channel(double a, double b, double t)
{
	double v = floor(a + (b - a) * t + 0.5);	/* JS Math.round */

	return v < 0 ? 0 : v > 255 ? 255 : (uint8_t)v;
}

static struct fs_rgb ramp(const struct stop *s, unsigned n, double t)
{
	unsigned i;
	double f;

	if (t <= s[0].at)
		return s[0].c;
	for (i = 1; i < n - 1 && t > s[i].at; i++)
		;
	if (t >= s[i].at)
		return s[i].c;
	f = (t - s[i - 1].at) / (s[i].at - s[i - 1].at);
	return (struct fs_rgb){ channel(s[i - 1].c.r, s[i].c.r, f),
				channel(s[i - 1].c.g, s[i].c.g, f),
				channel(s[i - 1].c.b, s[i].c.b, f) };
}

bool fs_palette__heat_valid(const char *palette)
{
	return !palette || !strcmp(palette, "flamescope") || !strcmp(palette, "viridis");
}

struct fs_rgb fs_palette__mark(const char *palette)
{
	/* blue is on neither white-to-red ramp; red is on no part of viridis */
	if (palette && !strcmp(palette, "viridis"))
		return (struct fs_rgb){ 0xe0, 0x00, 0x00 };
	return (struct fs_rgb){ 0x00, 0x50, 0xff };
}

struct fs_rgb fs_palette__heat(const char *palette, uint64_t value, uint64_t max)
{
	static const struct fs_rgb white = { 0xff, 0xff, 0xff };
	double t;

	if (!value || !max)
		return white;
	t = value >= max ? 1.0 : (double)value / (double)max;
	if (palette && !strcmp(palette, "viridis")) {
		/* 1 sample is the lightest colour; max the darkest. */
		t = max > 1 ? (double)(value >= max ? max - 1 : value - 1) / (double)(max - 1) : 1.0;
		return ramp(viridis_stops, ARRAY_SIZE(viridis_stops), t);
	}
	return ramp(flamescope_stops, ARRAY_SIZE(flamescope_stops), t);
}

/* Perl's rand(1) right after srand(seed): its drand48, seeded as FreeBSD's. */
static double perl_rand_after_srand(uint32_t seed)
{
	uint64_t x = ((uint64_t)seed << 16) + 0x330e;

	x = (x * 0x5deece66dULL + 0xb) & ((1ULL << 48) - 1);
	return ldexp((double)x, -48);
}

/* flamegraph.pl's random_namehash(): srand(unpack("%32W*", name)); rand(1). */
static double sum_rand(const char *name, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < len; i++)
		sum += (unsigned char)name[i];
	return perl_rand_after_srand(sum);
}

/* Byte k of name, read backwards when rev (namehash of "scalar reverse"). */
static unsigned char at(const char *s, size_t len, size_t k, bool rev)
{
	return (unsigned char)s[rev ? len - 1 - k : k];
}

/*
 * flamegraph.pl's namehash(): drops the first "module`" prefix (its
 * s/.(.*?)`//, where '.' does not match a newline), then weighs the first
 * three remaining bytes, earlier ones more.
 */
static double namehash(const char *s, size_t len, bool rev)
{
	double vector = 0, weight = 1, max = 1;
	size_t i, k, cut_from = 0, cut_to = 0;
	int mod = 10;

	/* The leftmost match starts a line (a run without newlines) and ends at
	 * the first backtick after that line's first byte. */
	for (i = 0; i < len && !cut_to; i = k + 1) {
		k = i;
		if (at(s, len, i, rev) == '\n')
			continue;
		for (k = i + 1; k < len; k++) {
			unsigned char c = at(s, len, k, rev);

			if (c == '\n')
				break;
			if (c == '`') {
				cut_from = i;
				cut_to = k + 1;
				break;
			}
		}
	}
	for (k = 0; k < len; k++) {
		unsigned char c;

		if (k >= cut_from && k < cut_to)
			continue;
		c = at(s, len, k, rev);
		vector += ((double)(c % mod) / (mod - 1)) * weight;
		mod++;
		max += weight;
		weight *= 0.70;
		if (mod > 12)
			break;
	}
	return 1 - vector / max;
}

static bool has(const char *name, const char *needle)
{
	return strstr(name, needle) != NULL;
}

/* ^L?(java|javax|jdk|net|org|com|io|sun)/ */
static bool java_package(const char *name)
{
	static const char *const pkgs[] = { "java/", "javax/", "jdk/", "net/", "org/", "com/", "io/", "sun/" };
	unsigned i;

	for (i = 0; i < ARRAY_SIZE(pkgs); i++) {
		size_t n = strlen(pkgs[i]);

		if (!strncmp(name, pkgs[i], n) || (name[0] == 'L' && !strncmp(name + 1, pkgs[i], n)))
			return true;
	}
	return false;
}

/* m:/.*\.js: */
static bool js_path(const char *name)
{
	const char *slash = strchr(name, '/');

	return slash && strstr(slash + 1, ".js");
}

/* The hue family a multi palette (java, js, perl) picks for a frame. */
static const char *family(const char *scheme, const char *name, uint8_t kind)
{
	if (!strcmp(scheme, "java")) {
		if (kind == FS_FRAME_JIT)
			return "green";
		if (kind == FS_FRAME_INLINED)
			return "aqua";
		if (java_package(name) || has(name, ":::"))
			return "green";
		if (has(name, "::"))
			return "yellow";
		if (kind == FS_FRAME_KERNEL)
			return "orange";
		return "red";
	}
	if (!strcmp(scheme, "perl")) {
		if (has(name, "::"))
			return "yellow";
		if (has(name, "Perl") || has(name, ".pl"))
			return "green";
		if (kind == FS_FRAME_KERNEL)
			return "orange";
		return "red";
	}
	if (!strcmp(scheme, "js")) {
		if (kind == FS_FRAME_JIT)
			return strchr(name, '/') ? "green" : "aqua";
		if (has(name, "::"))
			return "yellow";
		if (js_path(name))
			return "green";
		if (strchr(name, ':'))
			return "aqua";
		if (!strcmp(name, " "))
			return "green";
		if (kind == FS_FRAME_KERNEL)
			return "orange";
		return "red";
	}
	return scheme;
}

static const char *const schemes[] = {
	"hot", "mem", "io", "java", "js", "perl", "red", "green", "blue",
	"aqua", "yellow", "purple", "orange",
};

bool fs_palette__frame_valid(const char *scheme)
{
	unsigned i;

	if (!scheme)
		return true;
	for (i = 0; i < ARRAY_SIZE(schemes); i++)
		if (!strcmp(scheme, schemes[i]))
			return true;
	return false;
}

static struct fs_rgb rgb(int r, int g, int b)
{
	return (struct fs_rgb){ (uint8_t)r, (uint8_t)g, (uint8_t)b };
}

struct fs_rgb fs_palette__frame(const char *scheme, const char *name, uint8_t kind, bool hash)
{
	size_t len;
	double v1, v2, v3;
	const char *t;

	if (!name)
		name = "";
	if (!scheme)
		scheme = "hot";
	len = strlen(name);
	if (hash) {
		v1 = namehash(name, len, false);
		v2 = v3 = namehash(name, len, true);
	} else {
		v1 = v2 = v3 = sum_rand(name, len);
	}
	/* Perl's int() truncates; every product here is non-negative. */
	if (!strcmp(scheme, "hot"))
		return rgb(205 + (int)(50 * v3), (int)(230 * v1), (int)(55 * v2));
	if (!strcmp(scheme, "mem"))
		return rgb(0, 190 + (int)(50 * v2), (int)(210 * v1));
	if (!strcmp(scheme, "io")) {
		int r = 80 + (int)(60 * v1);

		return rgb(r, r, 190 + (int)(55 * v2));
	}
	t = family(scheme, name, kind);
	if (!strcmp(t, "red")) {
		int x = 50 + (int)(80 * v1);

		return rgb(200 + (int)(55 * v1), x, x);
	}
	if (!strcmp(t, "green")) {
		int x = 50 + (int)(60 * v1);

		return rgb(x, 200 + (int)(55 * v1), x);
	}
	if (!strcmp(t, "blue")) {
		int x = 80 + (int)(60 * v1);

		return rgb(x, x, 205 + (int)(50 * v1));
	}
	if (!strcmp(t, "yellow")) {
		int x = 175 + (int)(55 * v1);

		return rgb(x, x, 50 + (int)(20 * v1));
	}
	if (!strcmp(t, "purple")) {
		int x = 190 + (int)(65 * v1);

		return rgb(x, 80 + (int)(60 * v1), x);
	}
	if (!strcmp(t, "aqua"))
		return rgb(50 + (int)(60 * v1), 165 + (int)(55 * v1), 165 + (int)(55 * v1));
	if (!strcmp(t, "orange"))
		return rgb(190 + (int)(65 * v1), 90 + (int)(65 * v1), 0);
	return rgb(0, 0, 0);
}

/*
 * flamegraph.pl's color_scale(): delta = a - b (a is the graph drawn, b the
 * range compared against), red when it grew, blue when it shrank, scaled by
 * the largest delta; negate swaps the hues.
 */
struct fs_rgb fs_palette__diff(uint64_t a, uint64_t b, uint64_t max_delta, bool negate)
{
	double max = max_delta ? (double)max_delta : 1;
	double d = (double)a - (double)b;
	int r = 255, g = 255, bl = 255;

	if (negate)
		d = -d;
	if (d > max)
		d = max;
	if (d < -max)
		d = -max;
	if (d > 0)
		g = bl = (int)(210 * (max - d) / max);
	else if (d < 0)
		r = g = (int)(210 * (max + d) / max);
	return rgb(r, g, bl);
}

/* Nearest xterm-256 colour: the 6x6x6 cube or the 24-step grey ramp. */
unsigned int fs_palette__xterm256(struct fs_rgb c)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int want[3] = { c.r, c.g, c.b }, idx[3], i, k, grey, gi;
	long dc = 0, dg = 0;

	for (i = 0; i < 3; i++) {
		int best = 0;

		for (k = 1; k < 6; k++)
			if (abs(level[k] - want[i]) < abs(level[best] - want[i]))
				best = k;
		idx[i] = best;
		dc += (long)(level[best] - want[i]) * (level[best] - want[i]);
	}
	gi = ((c.r + c.g + c.b) / 3 - 8 + 5) / 10;
	gi = gi < 0 ? 0 : gi > 23 ? 23 : gi;
	grey = 8 + 10 * gi;
	for (i = 0; i < 3; i++)
		dg += (long)(grey - want[i]) * (grey - want[i]);
	if (dg < dc)
		return 232 + gi;
	return 16 + 36 * idx[0] + 6 * idx[1] + idx[2];
}
