// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heat map as FlameScope's /api/v1/heatmap JSON.
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
#include "heatmap-int.h"
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
	fprintf(out, "], \"maxvalue\": %llu, \"rows\": [", (unsigned long long)fs_heatmap__max_cell(hm));
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
