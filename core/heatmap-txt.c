// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heat map as 256-colour terminal text: one block per cell, rows from the
 * end of the step (top) to its start, millisecond labels on the left,
 * seconds below, the colour scale last. Untrusted text (title, event) has
 * its control bytes replaced, so no escape sequence reaches the terminal.
 */
#include <stdlib.h>
#include "heatmap-int.h"
#include "palette.h"

/* Writes one coloured block, switching colour only when it changes. */
static void block(FILE *out, unsigned colour, int *last)
{
	if ((int)colour != *last) {
		fprintf(out, "\033[48;5;%um", colour);
		*last = (int)colour;
	}
	fputc(' ', out);
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
	uint32_t every = fs_heatmap__label_every(1, 6), c, pos = 0;
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
	uint64_t max = st && st->max ? st->max : fs_heatmap__max_cell(hm);
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
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "heat map text: write error");
	return 0;
}
