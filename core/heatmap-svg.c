// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heat map as a self-contained interactive SVG: one <rect> per cell in time
 * order (column by column, row 0 first, painted at the bottom), each with a
 * <title> giving its time range and count, so the picture works without
 * script too. The script only reads geometry and the <g id="cells">
 * data- attributes (never text spliced into code), so an untrusted event
 * name or input path cannot run anything.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "heatmap-int.h"
#include "palette.h"

#define PAD_LEFT	70
#define PAD_RIGHT	20
#define PAD_TOP		50
#define PAD_BOTTOM	126

struct layout {
	uint32_t cw, ch;		/* cell width and height, px */
	uint32_t width, height;		/* whole image */
	uint32_t grid_h;
	int dec;			/* decimals of the times shown */
};

static uint32_t clamp_u(double v, uint32_t lo, uint32_t hi)
{
	return v < lo ? lo : v > hi ? hi : (uint32_t)v;
}

static void layout(const struct fs_heatmap *hm, const struct fs_heatmap_style *st, struct layout *l)
{
	uint32_t cols = hm->columns ? hm->columns : 1, rows = hm->rows;
	double cell = hm->step / rows;

	/* square cells as FlameScope draws them, 4..10 px, unless told */
	l->cw = clamp_u(1200.0 / cols, 4, 10);
	l->ch = l->cw;
	if (rows * l->ch > 600)
		l->ch = clamp_u(600.0 / rows, 1, l->cw);
	if (st && st->width > PAD_LEFT + PAD_RIGHT)
		l->cw = clamp_u((double)(st->width - PAD_LEFT - PAD_RIGHT) / cols, 1, 1000);
	if (st && st->height > PAD_TOP + PAD_BOTTOM)
		l->ch = clamp_u((double)(st->height - PAD_TOP - PAD_BOTTOM) / rows, 1, 1000);
	if (st && st->cell_size)
		l->cw = l->ch = st->cell_size;
	l->grid_h = rows * l->ch;
	l->width = PAD_LEFT + cols * l->cw + PAD_RIGHT;
	if (l->width < 480)
		l->width = 480;
	l->height = PAD_TOP + l->grid_h + PAD_BOTTOM;
	l->dec = cell > 0 ? (int)ceil(-log10(cell) - 1e-9) : 3;
	l->dec = l->dec < 3 ? 3 : l->dec > 9 ? 9 : l->dec;
}

static const char style_css[] =
"<style type=\"text/css\">\n"
"\ttext { font-family: Verdana, sans-serif; font-size: 12px; fill: #000; }\n"
"\t#title { font-size: 17px; text-anchor: middle; }\n"
"\t.ylab { text-anchor: end; }\n"
"\t#cells rect { cursor: pointer; }\n"
"\t#cells rect:hover { stroke: #000; stroke-width: 0.5; }\n"
"\t#cells rect.sel { stroke: #936EB5; stroke-width: 1; opacity: 0.6; }\n"
"\t#command { font-family: monospace; user-select: text; }\n"
"\t#copy { cursor: pointer; }\n"
"\t#copy rect { fill: #f4f0f8; stroke: #936EB5; }\n"
"\t#copy:hover rect { fill: #e6dcf0; }\n"
"\t.hide { display: none; }\n"
"\t#marks text { font-weight: bold; }\n"
"</style>\n";

/*
 * Static code: everything variable comes from attributes of #cells. The
 * command line wraps to the image's width (each line but the last ends in
 * its space, so the text is the command), stays when the mouse clicks
 * elsewhere so it can be selected, and has a copy button; Escape clears.
 */
static const char script_js[] =
"<script type=\"text/ecmascript\"><![CDATA[\n"
"\"use strict\";\n"
"(function () {\n"
"\tvar svg = document.documentElement, g = document.getElementById(\"cells\");\n"
"\tfunction num(n) { return parseFloat(g.getAttribute(\"data-\" + n)); }\n"
"\tvar x0 = num(\"x0\"), y0 = num(\"y0\"), cw = num(\"cw\"), ch = num(\"ch\");\n"
"\tvar rows = num(\"rows\"), from = num(\"from\"), step = num(\"step\"), dec = num(\"dec\");\n"
"\tvar input = g.getAttribute(\"data-input\"), prefix = g.getAttribute(\"data-command\");\n"
"\tvar dlarg = g.getAttribute(\"data-dlarg\") === \"1\";\n"
"\tvar cells = g.getElementsByTagName(\"rect\");\n"
"\tvar details = document.getElementById(\"details\");\n"
"\tvar command = document.getElementById(\"command\"), copy = document.getElementById(\"copy\");\n"
"\tvar copyText = document.getElementById(\"copy-text\"), bg = document.getElementById(\"background\");\n"
"\tvar W = parseFloat(svg.getAttribute(\"width\")), H = parseFloat(svg.getAttribute(\"height\"));\n"
"\tvar first = -1, second = -1, lo = -1, hi = -1, full = \"\";\n"
"\tfunction index(el) {\n"
"\t\tvar c = Math.round((parseFloat(el.getAttribute(\"x\")) - x0) / cw);\n"
"\t\tvar r = rows - 1 - Math.round((parseFloat(el.getAttribute(\"y\")) - y0) / ch);\n"
"\t\treturn c * rows + r;\n"
"\t}\n"
"\tfunction start(i) { return from + Math.floor(i / rows) * step + (i % rows) * step / rows; }\n"
"\tfunction quote(s) {\n"
"\t\tif (/^[A-Za-z0-9_\\/.,:+=@%-]+$/.test(s)) return s;\n"
"\t\treturn \"'\" + s.replace(/'/g, \"'\\\\''\") + \"'\";\n"
"\t}\n"
"\tif (!prefix) prefix = \"flamescope flamegraph\" + (input ? \" -i \" + quote(input) : \"\");\n"
"\tfunction highlight(a, b) {\n"
"\t\tvar i;\n"
"\t\tfor (i = lo; i >= 0 && i <= hi && i < cells.length; i++) cells[i].classList.remove(\"sel\");\n"
"\t\tlo = Math.min(a, b); hi = Math.max(a, b);\n"
"\t\tfor (i = lo; i >= 0 && i <= hi && i < cells.length; i++) cells[i].classList.add(\"sel\");\n"
"\t}\n"
"\tfunction resize(h) {\n"
"\t\tsvg.setAttribute(\"height\", h);\n"
"\t\tsvg.setAttribute(\"viewBox\", \"0 0 \" + W + \" \" + h);\n"
"\t\tif (bg) bg.setAttribute(\"height\", h);\n"
"\t}\n"
"\tfunction show(s, isCommand) {\n"
"\t\tvar room = W - 20, words = s.split(\" \"), lines = [], line = \"\", i, n, w;\n"
"\t\tfull = isCommand ? s : \"\";\n"
"\t\tif (copy) copy.classList.toggle(\"hide\", !isCommand);\n"
"\t\tif (!document.createElementNS || !command.getComputedTextLength) { command.textContent = s; return; }\n"
"\t\twhile (command.firstChild) command.removeChild(command.firstChild);\n"
"\t\tfunction tspan(text, dy) {\n"
"\t\t\tvar t = document.createElementNS(\"http://www.w3.org/2000/svg\", \"tspan\");\n"
"\t\t\tt.setAttribute(\"x\", \"10\"); t.setAttribute(\"dy\", dy); t.textContent = text;\n"
"\t\t\treturn command.appendChild(t);\n"
"\t\t}\n"
"\t\tfunction fits(text) { var t = tspan(text, 0), ok = t.getComputedTextLength() <= room; command.removeChild(t); return ok; }\n"
"\t\tfor (i = 0; i < words.length; i++) {\n"
"\t\t\tw = words[i] + (i + 1 < words.length ? \" \" : \"\");\n"
"\t\t\tif (fits(line + w)) { line += w; continue; }\n"
"\t\t\tif (line) lines.push(line);\n"
"\t\t\tfor (; !fits(w); w = w.slice(n)) {\n"
"\t\t\t\tfor (n = w.length - 1; n > 1 && !fits(w.slice(0, n)); n--) ;\n"
"\t\t\t\tlines.push(w.slice(0, n));\n"
"\t\t\t}\n"
"\t\t\tline = w;\n"
"\t\t}\n"
"\t\tif (line) lines.push(line);\n"
"\t\tfor (i = 0; i < lines.length; i++) tspan(lines[i], i ? 15 : 0);\n"
"\t\tresize(H + 15 * Math.max(0, lines.length - 1));\n"
"\t}\n"
"\tfunction clear() { first = second = -1; highlight(-1, -1); show(\"click a cell, then another, for the flame graph command\", false); }\n"
"\tfunction cell(e) { return e.target.tagName === \"rect\" && e.target.parentNode === g ? e.target : null; }\n"
"\tg.addEventListener(\"mouseover\", function (e) {\n"
"\t\tvar el = cell(e), t;\n"
"\t\tif (!el) return;\n"
"\t\tt = el.getElementsByTagName(\"title\")[0];\n"
"\t\tdetails.textContent = t ? t.textContent : \"\";\n"
"\t\tif (first >= 0 && second < 0) highlight(first, index(el));\n"
"\t});\n"
"\tdocument.documentElement.addEventListener(\"click\", function (e) {\n"
"\t\tvar el = cell(e), i, a, b, s, end;\n"
"\t\tif (!el) return;\n"
"\t\ti = index(el);\n"
"\t\tif (first < 0 || second >= 0) {\n"
"\t\t\tfirst = i; second = -1; highlight(i, i);\n"
"\t\t\tshow(\"click another cell to end the range\", false);\n"
"\t\t\treturn;\n"
"\t\t}\n"
"\t\tsecond = i; a = Math.min(first, i); b = Math.max(first, i);\n"
"\t\thighlight(a, b);\n"
"\t\ts = start(a).toFixed(dec); end = (start(b) + step / rows).toFixed(dec);\n"
"\t\tshow(prefix + (dlarg ? \" --dlarg start=\" + s + \" --dlarg end=\" + end :\n"
"\t\t\t\" --start \" + s + \" --end \" + end + \" -o flamegraph.svg\"), true);\n"
"\t});\n"
"\tfunction said(t) { copyText.textContent = t; setTimeout(function () { copyText.textContent = \"copy\"; }, 1500); }\n"
"\tif (copy) copy.addEventListener(\"click\", function () {\n"
"\t\tvar sel = window.getSelection ? window.getSelection() : null, r;\n"
"\t\tif (sel && document.createRange) { r = document.createRange(); r.selectNodeContents(command); sel.removeAllRanges(); sel.addRange(r); }\n"
"\t\tfunction fallback() { said(document.execCommand && document.execCommand(\"copy\") ? \"copied\" : \"Ctrl+C\"); }\n"
"\t\tif (typeof navigator !== \"undefined\" && navigator.clipboard && navigator.clipboard.writeText)\n"
"\t\t\tnavigator.clipboard.writeText(full).then(function () { said(\"copied\"); }, fallback);\n"
"\t\telse fallback();\n"
"\t});\n"
"\twindow.addEventListener(\"keydown\", function (e) { if (e.keyCode === 27) clear(); });\n"
"})();\n"
"]]></script>\n";

static void put_title(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
		      const struct layout *l, FILE *out)
{
	fprintf(out, "<text id=\"title\" x=\"%u\" y=\"24\">", l->width / 2);
	if (st && st->title) {
		fs_escape__xml(out, st->title, strlen(st->title));
	} else {
		const char *ev = hm->event ? hm->event : "samples";

		fputs("Heat map: ", out);
		fs_escape__xml(out, ev, strlen(ev));
		if (hm->step_raised)
			fprintf(out, " (%g s per column)", hm->step);
	}
	fputs("</text>\n", out);
}

static void put_axes(const struct fs_heatmap *hm, const struct layout *l, FILE *out)
{
	uint32_t every, c, r;
	double row_ms = 1000.0 * hm->step / hm->rows;
	uint32_t base = PAD_TOP + l->grid_h;

	fprintf(out, "<g id=\"axes\">\n<text class=\"ylab\" x=\"%u\" y=\"%u\">ms</text>\n",
		PAD_LEFT - 6, PAD_TOP - 8);
	every = fs_heatmap__label_every(l->ch, 14);
	for (r = 0; r <= hm->rows; r += every)
		fprintf(out, "<text class=\"ylab\" x=\"%u\" y=\"%u\">%.6g</text>\n",
			PAD_LEFT - 6, base - r * l->ch + 4, r * row_ms);
	every = fs_heatmap__label_every(l->cw, 44);
	for (c = 0; c < hm->columns; c += every)
		fprintf(out, "<text x=\"%u\" y=\"%u\">%.6g</text>\n",
			PAD_LEFT + c * l->cw, base + 16, hm->from + c * hm->step);
	fprintf(out, "<text x=\"%u\" y=\"%u\">seconds</text>\n</g>\n", PAD_LEFT, base + 32);
}

static void put_legend(const struct fs_heatmap *hm, const char *pal, uint64_t max,
		       const struct layout *l, FILE *out)
{
	uint32_t y = PAD_TOP + l->grid_h + 44, i;
	const char *w = hm->weight ? hm->weight : "samples";

	fprintf(out, "<g id=\"legend\">\n<text x=\"%u\" y=\"%u\">0</text>\n", PAD_LEFT, y + 11);
	for (i = 0; i <= 10; i++) {
		uint64_t v = (max * i + 5) / 10;
		struct fs_rgb c = fs_palette__heat(pal, v, max);

		fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"16\" height=\"12\" fill=\"#%02x%02x%02x\" "
			"stroke=\"#ccc\" stroke-width=\"0.5\"><title>%llu</title></rect>\n",
			PAD_LEFT + 14 + i * 16, y, c.r, c.g, c.b, (unsigned long long)v);
	}
	fprintf(out, "<text x=\"%u\" y=\"%u\">%llu ", PAD_LEFT + 14 + 11 * 16 + 6, y + 11,
		(unsigned long long)max);
	fs_escape__xml(out, w, strlen(w));
	fputs(" per cell</text>\n</g>\n", out);
}

static void put_cells(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
		      const char *pal, uint64_t max, const struct layout *l, FILE *out)
{
	const char *w = hm->weight ? hm->weight : "samples";
	double cell = hm->step / hm->rows;
	uint32_t c, r;

	fprintf(out, "<g id=\"cells\" data-x0=\"%u\" data-y0=\"%u\" data-cw=\"%u\" data-ch=\"%u\" "
		"data-rows=\"%u\" data-from=\"%.17g\" data-step=\"%.17g\" data-dec=\"%d\" data-input=\"",
		PAD_LEFT, PAD_TOP, l->cw, l->ch, hm->rows, hm->from, hm->step, l->dec);
	if (st && st->input)
		fs_escape__xml(out, st->input, strlen(st->input));
	if (st && st->command) {
		fputs("\" data-command=\"", out);
		fs_escape__xml(out, st->command, strlen(st->command));
		fprintf(out, "\" data-dlarg=\"%d", st->dlarg ? 1 : 0);
	}
	fputs("\">\n", out);
	for (c = 0; c < hm->columns; c++) {
		for (r = 0; r < hm->rows; r++) {
			uint64_t v = fs_heatmap__value(hm, c, r);
			struct fs_rgb rgb = fs_palette__heat(pal, v, max);
			double t = hm->from + c * hm->step + r * cell;

			fprintf(out, "<rect x=\"%u\" y=\"%u\" width=\"%u\" height=\"%u\" fill=\"#%02x%02x%02x\">"
				"<title>%.*f-%.*f s: %llu ",
				PAD_LEFT + c * l->cw, PAD_TOP + (hm->rows - 1 - r) * l->ch, l->cw, l->ch,
				rgb.r, rgb.g, rgb.b, l->dec, t, l->dec, t + cell, (unsigned long long)v);
			fs_escape__xml(out, w, strlen(w));
			fputs("</title></rect>\n", out);
		}
		if (ferror(out))
			return;
	}
	fputs("</g>\n", out);
}

/* Marks (e.g. flamescope find's findings) as outlines over the cells, labelled, with their title. */
static void put_marks(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
		      const struct layout *l, FILE *out)
{
	struct fs_rgb c = fs_palette__mark(st->palette);

	fprintf(out, "<g id=\"marks\" fill=\"none\" stroke=\"#%02x%02x%02x\" stroke-width=\"2\">\n",
		c.r, c.g, c.b);
	for (uint32_t i = 0; i < st->nr_marks; i++) {
		const struct fs_heatmap_mark *m = &st->marks[i];
		struct fs_heatmap_corner poly[2][8];
		uint32_t n[2], np = fs_heatmap__outline(hm, m, poly, n);

		if (!np)
			continue;
		fprintf(out, "<path data-label=\"%u\" d=\"", m->label);
		for (uint32_t k = 0; k < np; k++)
			for (uint32_t j = 0; j < n[k]; j++)
				fprintf(out, "%s%u %u%s", j ? "L" : "M", PAD_LEFT + poly[k][j].x * l->cw,
					PAD_TOP + (hm->rows - poly[k][j].y) * l->ch, j + 1 == n[k] ? "Z" : " ");
		fputs("\">", out);
		if (m->title) {
			fputs("<title>", out);
			fs_escape__xml(out, m->title, strlen(m->title));
			fputs("</title>", out);
		}
		fputs("</path>\n", out);
		if (m->label)
			fprintf(out, "<text class=\"mark\" x=\"%u\" y=\"%u\" fill=\"#%02x%02x%02x\" "
				"stroke=\"none\">%u</text>\n", PAD_LEFT + poly[0][1].x * l->cw + 2,
				PAD_TOP + (hm->rows - poly[0][1].y) * l->ch - 3, c.r, c.g, c.b, m->label);
		if (ferror(out))
			return;
	}
	fputs("</g>\n", out);
}

int fs_heatmap__write_svg(const struct fs_heatmap *hm, const struct fs_heatmap_style *st,
			  FILE *out, struct fs_error *err)
{
	const char *pal = st ? st->palette : NULL;
	uint64_t max = 0, n, i;
	struct layout l;

	if (!hm || !hm->rows || !(hm->step > 0) || (!hm->values && hm->columns))
		return fs_error__set(err, "heat map SVG: empty or malformed heat map");
	if (!fs_palette__heat_valid(pal))
		return fs_error__set(err, "heat map SVG: unknown palette '%s'", pal);
	if (st && st->max) {
		max = st->max;
	} else {
		n = (uint64_t)hm->columns * hm->rows;
		for (i = 0; i < n; i++)
			if (hm->values[i] > max)
				max = hm->values[i];
	}
	layout(hm, st, &l);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<svg version=\"1.1\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n", l.width, l.height, l.width, l.height);
	fputs(style_css, out);
	fprintf(out, "<rect id=\"background\" x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"#fff\"/>\n",
		l.width, l.height);
	put_title(hm, st, &l, out);
	put_axes(hm, &l, out);
	put_cells(hm, st, pal, max, &l, out);
	if (st && st->nr_marks)
		put_marks(hm, st, &l, out);
	if (ferror(out))
		return fs_error__set(err, "heat map SVG: write error");
	put_legend(hm, pal, max, &l, out);
	fprintf(out, "<text id=\"details\" x=\"%u\" y=\"%u\"> </text>\n", PAD_LEFT, l.height - 34);
	fprintf(out, "<g id=\"copy\" class=\"hide\"><rect x=\"%u\" y=\"%u\" width=\"54\" height=\"18\" rx=\"3\"/>"
		"<text id=\"copy-text\" x=\"%u\" y=\"%u\">copy</text></g>\n",
		l.width - PAD_RIGHT - 54, l.height - 48, l.width - PAD_RIGHT - 44, l.height - 34);
	fprintf(out, "<text id=\"command\" x=\"10\" y=\"%u\">click a cell, then another, "
		"for the flame graph command</text>\n", l.height - 14);
	fputs(script_js, out);
	fputs("</svg>\n", out);
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "heat map SVG: write error");
	return 0;
}
