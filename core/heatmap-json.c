// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heat map as FlameScope's /api/v1/heatmap JSON, and as 256-colour text.
 *
 * FlameScope's answer (app/controllers/heatmap.py): "columns" are the column
 * offsets in seconds (the integers 0..cols-1 at the default 1 s step),
 * "rows" the row offsets in milliseconds as Python floats, largest first
 * (1000 * i / rows for i = rows-1 .. 0), and values[column][row] counts with
 * row 0 the top (the end of the second). Keys come sorted, as Flask's
 * jsonify writes them. With --step or --from the same shape carries the
 * generalised offsets.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "heatmap.h"
#include "palette.h"

/*
 * Python's repr(float): the shortest digits that read back the same, fixed
 * notation with at least one decimal for 1e-4 <= |v| < 1e16, else an
 * exponent. The shortest %.Nf that round-trips is that string: at a fixed
 * integer part fewer decimals means fewer digits, and printf rounds right.
 */
static void put_py_float(FILE *out, double v)
{
	char buf[64];
	int p;

	if (v == 0 || (fabs(v) >= 1e-4 && fabs(v) < 1e16)) {
		for (p = 0; p < 17; p++) {
			snprintf(buf, sizeof(buf), "%.*f", p, v);
			if (strtod(buf, NULL) == v)
				break;
		}
		if (!p)
			strcat(buf, ".0");
	} else {
		for (p = 1; p < 17; p++) {
			snprintf(buf, sizeof(buf), "%.*g", p, v);
			if (strtod(buf, NULL) == v)
				break;
		}
	}
	fputs(buf, out);
}

/* A column offset: an integer when whole (Python's range()), else a float. */
static void put_offset(FILE *out, double v)
{
	if (v == floor(v) && fabs(v) < 1e15)
		fprintf(out, "%.0f", v);
	else
		put_py_float(out, v);
}

static int finish(FILE *out, struct fs_error *err, const char *what)
{
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "%s: write error", what);
	return 0;
}

static uint64_t max_cell(const struct fs_heatmap *hm)
{
	uint64_t n = (uint64_t)hm->columns * hm->rows, i, max = 0;

	for (i = 0; i < n; i++)
		if (hm->values[i] > max)
			max = hm->values[i];
	return max;
}

int fs_heatmap__write_json(const struct fs_heatmap *hm, FILE *out, struct fs_error *err)
{
	uint32_t c, r;

	if (!hm || (!hm->values && hm->columns && hm->rows))
		return fs_error__set(err, "heat map JSON: no heat map");
	fputs("{\"columns\": [", out);
	for (c = 0; c < hm->columns; c++) {
		if (c)
			fputs(", ", out);
		put_offset(out, hm->from + c * hm->step);
	}
	fprintf(out, "], \"maxvalue\": %llu, \"rows\": [", (unsigned long long)max_cell(hm));
	for (r = hm->rows; r-- > 0;) {
		put_py_float(out, 1000.0 * hm->step * ((double)r / hm->rows));
		if (r)
			fputs(", ", out);
	}
	fputs("], \"values\": [", out);
	for (c = 0; c < hm->columns; c++) {
		fputs(c ? ", [" : "[", out);
		for (r = hm->rows; r-- > 0;)
			fprintf(out, r ? "%llu, " : "%llu", (unsigned long long)fs_heatmap__value(hm, c, r));
		fputc(']', out);
		if (ferror(out))
			break;
	}
	fputs("]}\n", out);
	return finish(out, err, "heat map JSON");
}

/* Writes one coloured block, switching colour only when it changes. */
static void block(FILE *out, unsigned colour, int *last)
{
	if ((int)colour != *last) {
		fprintf(out, "\033[48;5;%um", colour);
		*last = (int)colour;
	}
	fputc(' ', out);
}

/* Every how many units (1, 2, 5, 10, 20, 50, ...) a label fits in `room`. */
static uint32_t nice_every(double unit, double room)
{
	uint32_t k = 1;

	while (k * unit < room && k < UINT32_MAX / 10) {
		uint32_t m = k;

		if (2 * m * unit >= room)
			return 2 * m;
		if (5 * m * unit >= room)
			return 5 * m;
		k = 10 * m;
	}
	return k;
}

/* Untrusted text for a terminal: control bytes (escape sequences) as '?'. */
static void put_term(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, out);
}

static void txt_title(const struct fs_heatmap *hm, const struct fs_heatmap_style *st, FILE *out)
{
	if (st && st->title) {
		put_term(out, st->title);
	} else {
		fputs("Heat map: ", out);
		put_term(out, hm->event ? hm->event : "samples");
		if (hm->step_raised)
			fprintf(out, " (%g s per column)", hm->step);
	}
	fputc('\n', out);
}

/* Seconds under the columns, a label wherever it fits after the last. */
static void txt_axis(const struct fs_heatmap *hm, FILE *out)
{
	uint32_t every = nice_every(1, 6), c, pos = 0;
	char label[32];

	fprintf(out, "%7s ", "s");
	for (c = 0; c < hm->columns; c += every) {
		int n = snprintf(label, sizeof(label), "%g", hm->from + c * hm->step);

		if (c < pos)
			continue;
		fprintf(out, "%*s%s", (int)(c - pos), "", label);
		pos = c + (uint32_t)n + 1;
		fputc(' ', out);
	}
	fputc('\n', out);
}

int fs_heatmap__write_txt(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
			  FILE *out, struct fs_error *err)
{
	const char *pal = st ? st->palette : NULL;
	uint64_t max = st && st->max ? st->max : max_cell(hm);
	uint32_t c, r, label_every;
	int last;
	double row_ms;

	if (!hm || !hm->rows || (!hm->values && hm->columns))
		return fs_error__set(err, "heat map text: no heat map");
	row_ms = 1000.0 * hm->step / hm->rows;
	label_every = hm->rows > 10 ? (hm->rows + 9) / 10 : 1;
	txt_title(hm, st, out);
	fprintf(out, "%7s\n", "ms");
	for (r = hm->rows; r-- > 0;) {
		if (r % label_every == 0)
			fprintf(out, "%7.5g ", r * row_ms);
		else
			fputs("        ", out);
		last = -1;
		for (c = 0; c < hm->columns; c++) {
			struct fs_rgb rgb = fs_palette__heat(pal, fs_heatmap__value(hm, c, r), max);

			block(out, fs_palette__xterm256(rgb), &last);
		}
		fputs("\033[0m\n", out);
		if (ferror(out))
			break;
	}
	txt_axis(hm, out);
	fprintf(out, "%7s 0 ", "");
	last = -1;
	for (c = 0; c <= 10; c++)
		block(out, fs_palette__xterm256(fs_palette__heat(pal, (max * c + 5) / 10, max)), &last);
	fprintf(out, "\033[0m %llu ", (unsigned long long)max);
	put_term(out, hm->weight ? hm->weight : "samples");
	fputs(" per cell\n", out);
	return finish(out, err, "heat map text");
}
