// SPDX-License-Identifier: GPL-2.0-only
/*
 * Flame graph as an interactive SVG, laid out as flamegraph.pl does (same
 * pads, frame geometry, label fitting, title text and colours) so users find
 * what they know. Frames narrower than minwidth are pruned while walking, so
 * a tree of millions of nodes costs only what is drawn.
 *
 * Safety: names appear only as XML text (<title>, <text>), escaped; the
 * script is constant and reads names back from the DOM and writes them with
 * textContent, so no name ever becomes markup or code. Each frame's group
 * carries data-t (start, in counts from the left) and data-v (its count) so
 * zoom and search percentages are exact rather than read off rounded pixels.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "escape.h"
#include "flame-int.h"
#include "palette.h"
#include "util.h"
#include "view.h"

#define XPAD		FS_FLAME_XPAD

/* A frame that survives pruning: where it goes. */
struct vis {
	uint32_t node, depth;
	uint64_t t;		/* counts to its left */
};

struct walk {
	struct vis *v;
	size_t nr, alloc;
	uint32_t depthmax;
};

static int push(struct walk *w, uint32_t node, uint32_t depth, uint64_t t)
{
	if (FS_GROW(w->v, w->alloc, w->nr + 1))
		return -1;
	w->v[w->nr++]
 = (struct vis){ node, depth, t };
	if (depth > w->depthmax)
		w->depthmax = depth;
	return 0;
}

/*
 * Collects the frames at least min_value wide, parents before children.
 * The visible list doubles as the work queue: each entry's children are
 * appended after it, so no recursion and no second allocation.
 */
static int collect(const struct fs_flame *fl, double min_value, struct walk *w, struct fs_error *err)
{
	size_t i;

	if (push(w, 0, 0, 0))
		return fs_error__set(err, "flame graph SVG: out of memory");
	for (i = 0; i < w->nr; i++) {
		struct vis p = w->v[i];
		uint64_t t = p.t, kids = 0;
		uint32_t c, guard = 0;

		/* a tree holds each node once: more means the links loop */
		if (w->nr > fl->nr_nodes)
			return fs_error__set(err, "flame graph SVG: node %u links outside the tree", p.node);

		/*
		 * flamegraph.pl draws a frame's own samples left of its children:
		 * the folded line "a N" sorts before every "a;child M".
		 */
		for (c = fl->nodes[p.node].first_child; c; c = fl->nodes[c].next_sibling) {
			if (c >= fl->nr_nodes || ++guard > fl->nr_nodes)
				return fs_error__set(err, "flame graph SVG: node %u links outside the tree", p.node);
			kids = fs_weight__add(kids, fl->nodes[c].value);
		}
		if (fl->nodes[p.node].value > kids)
			t += fl->nodes[p.node].value - kids;
		for (c = fl->nodes[p.node].first_child; c; c = fl->nodes[c].next_sibling) {
			if ((double)fl->nodes[c].value >= min_value && fl->nodes[c].value &&
			    push(w, c, p.depth + 1, t))
				return fs_error__set(err, "flame graph SVG: out of memory");
			t = fs_weight__add(t, fl->nodes[c].value);
		}
	}
	return 0;
}


/* flamegraph.pl scales colours by the largest per-stack (= self) change. */
static uint64_t max_delta(const struct fs_flame *fl)
{
	uint64_t max = 1, a, b, d;
	uint32_t i;

	for (i = 0; i < fl->nr_nodes; i++) {
		fs_flame__self(fl, i, &a, &b);
		d = a > b ? a - b : b - a;
		if (d > max)
			max = d;
	}
	return max;
}

/* Integer with thousands separators, as flamegraph.pl prints counts. */
static void put_count(FILE *out, uint64_t v)
{
	char buf[32], sep[48];
	int n = snprintf(buf, sizeof(buf), "%llu", (unsigned long long)v), i, j = 0;

	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			sep[j++] = ',';
		sep[j++] = buf[i];
	}
	fwrite(sep, 1, j, out);
}

static void put_text(FILE *out, const char *s)
{
	fs_escape__xml(out, s, strlen(s));
}

/* Font family into CSS: only characters that cannot end the declaration. */
static void put_font(FILE *out, const char *s)
{
	for (; *s; s++)
		if ((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		    strchr(" ,-_.", *s))
			fputc(*s, out);
}

struct geom {
	const struct fs_flame_style *st;
	struct fs_flame_layout l;	/* flamegraph.pl's, shared with the PNG */
	uint32_t height;
	uint64_t maxdelta;
};


static const char script_js[] =
"<script type=\"text/ecmascript\"><![CDATA[\n"
"\"use strict\";\n"
"(function () {\n"
"\tvar svg = document.documentElement, frames = document.getElementById(\"frames\");\n"
"\tvar details = document.getElementById(\"details\"), matchedtxt = document.getElementById(\"matched\");\n"
"\tvar searchbtn = document.getElementById(\"search\"), icbtn = document.getElementById(\"ignorecase\");\n"
"\tvar unzoombtn = document.getElementById(\"unzoom\");\n"
"\tfunction attr(e, n) { return parseFloat(e.getAttribute(n)); }\n"
"\tvar total = attr(frames, \"data-total\"), width = attr(frames, \"data-width\");\n"
"\tvar xpad = attr(frames, \"data-xpad\"), charw = attr(frames, \"data-charw\");\n"
"\tvar inverted = frames.getAttribute(\"data-inverted\") === \"1\";\n"
"\tvar list = [], zoomed = null, term = null, ignorecase = false;\n"
"\tvar i, gs = frames.getElementsByTagName(\"g\");\n"
"\tfor (i = 0; i < gs.length; i++) {\n"
"\t\tvar g = gs[i], r = g.getElementsByTagName(\"rect\")[0], tt = g.getElementsByTagName(\"title\")[0].textContent;\n"
"\t\tvar cut = tt.lastIndexOf(\" (\");\n"
"\t\tlist.push({ g: g, rect: r, text: g.getElementsByTagName(\"text\")[0], info: tt,\n"
"\t\t\tname: cut >= 0 ? tt.substring(0, cut) : tt, t: attr(g, \"data-t\"), v: attr(g, \"data-v\"),\n"
"\t\t\ty: attr(r, \"y\"), x0: r.getAttribute(\"x\"), y0: r.getAttribute(\"y\"), fill: r.getAttribute(\"fill\") });\n"
"\t\tg.fsidx = i;\n"
"\t}\n"
"\tfunction fit(f) {\n"
"\t\tvar w = attr(f.rect, \"width\"), chars = Math.floor(w / charw), s = \"\";\n"
"\t\tf.text.setAttribute(\"x\", (attr(f.rect, \"x\") + 3).toFixed(2));\n"
"\t\tif (chars >= 3) s = f.name.length <= chars ? f.name : f.name.substring(0, chars - 2) + \"..\";\n"
"\t\tf.text.textContent = s;\n"
"\t}\n"
"\tfunction place(f, x, w) {\n"
"\t\tf.rect.setAttribute(\"x\", x.toFixed(2));\n"
"\t\tf.rect.setAttribute(\"width\", w.toFixed(2));\n"
"\t\tfit(f);\n"
"\t}\n"
"\tfunction shallower(a, b) { return inverted ? a.y < b.y : a.y > b.y; }\n"
"\tfunction params() {\n"
"\t\tvar p = {}, q = window.location.search.substring(1).split(\"&\"), k, kv;\n"
"\t\tfor (k = 0; k < q.length; k++) {\n"
"\t\t\tif (!q[k]) continue;\n"
"\t\t\tkv = q[k].split(\"=\");\n"
"\t\t\ttry { p[decodeURIComponent(kv[0])] = decodeURIComponent(kv.slice(1).join(\"=\")); } catch (e) { }\n"
"\t\t}\n"
"\t\treturn p;\n"
"\t}\n"
"\tfunction setparams(p) {\n"
"\t\tvar k, q = [];\n"
"\t\tfor (k in p) if (p.hasOwnProperty(k) && p[k] !== undefined) q.push(encodeURIComponent(k) + \"=\" + encodeURIComponent(p[k]));\n"
"\t\ttry { history.replaceState(null, \"\", (q.length ? \"?\" + q.join(\"&\") : window.location.pathname) + window.location.hash); } catch (e) { }\n"
"\t}\n"
"\tfunction pct(n, d) { return (100 * n / d).toFixed(2) + \"%\"; }\n"
"\tfunction zoom(z) {\n"
"\t\tvar k, f, scale = (width - 2 * xpad) / z.v, p;\n"
"\t\tzoomed = z;\n"
"\t\tunzoombtn.classList.remove(\"hide\");\n"
"\t\tfor (k = 0; k < list.length; k++) {\n"
"\t\t\tf = list[k];\n"
"\t\t\tf.g.classList.remove(\"parent\");\n"
"\t\t\tif (shallower(f, z)) {\n"
"\t\t\t\tif (f.t <= z.t && f.t + f.v >= z.t + z.v) {\n"
"\t\t\t\t\tf.g.classList.remove(\"hide\");\n"
"\t\t\t\t\tf.g.classList.add(\"parent\");\n"
"\t\t\t\t\tplace(f, xpad, width - 2 * xpad);\n"
"\t\t\t\t} else {\n"
"\t\t\t\t\tf.g.classList.add(\"hide\");\n"
"\t\t\t\t}\n"
"\t\t\t} else if (f.t >= z.t && f.t + f.v <= z.t + z.v) {\n"
"\t\t\t\tf.g.classList.remove(\"hide\");\n"
"\t\t\t\tplace(f, xpad + (f.t - z.t) * scale, f.v * scale);\n"
"\t\t\t} else {\n"
"\t\t\t\tf.g.classList.add(\"hide\");\n"
"\t\t\t}\n"
"\t\t}\n"
"\t\tp = params(); p.x = z.x0; p.y = z.y0; setparams(p);\n"
"\t\tif (term !== null) search(term);\n"
"\t}\n"
"\tfunction unzoom() {\n"
"\t\tvar k, f, scale = (width - 2 * xpad) / total, p;\n"
"\t\tzoomed = null;\n"
"\t\tunzoombtn.classList.add(\"hide\");\n"
"\t\tfor (k = 0; k < list.length; k++) {\n"
"\t\t\tf = list[k];\n"
"\t\t\tf.g.classList.remove(\"parent\");\n"
"\t\t\tf.g.classList.remove(\"hide\");\n"
"\t\t\tplace(f, xpad + f.t * scale, f.v * scale);\n"
"\t\t}\n"
"\t\tp = params(); delete p.x; delete p.y; setparams(p);\n"
"\t\tif (term !== null) search(term);\n"
"\t}\n"
"\tfunction resetsearch() {\n"
"\t\tvar k, p;\n"
"\t\tfor (k = 0; k < list.length; k++) list[k].rect.setAttribute(\"fill\", list[k].fill);\n"
"\t\tterm = null;\n"
"\t\tsearchbtn.classList.remove(\"show\");\n"
"\t\tsearchbtn.textContent = \"Search\";\n"
"\t\tmatchedtxt.classList.add(\"hide\");\n"
"\t\tp = params(); delete p.s; setparams(p);\n"
"\t}\n"
"\t/* Sum of matched counts where a match nested in another counts once. */\n"
"\tfunction covered(m, lo, hi) {\n"
"\t\tvar k, sum = 0, end = -1, a, b;\n"
"\t\tm.sort(function (p, q) { return p.t - q.t || q.v - p.v; });\n"
"\t\tfor (k = 0; k < m.length; k++) {\n"
"\t\t\tif (m[k].t < end) continue;\n"
"\t\t\tend = m[k].t + m[k].v;\n"
"\t\t\ta = Math.max(m[k].t, lo); b = Math.min(end, hi);\n"
"\t\t\tif (b > a) sum += b - a;\n"
"\t\t}\n"
"\t\treturn sum;\n"
"\t}\n"
"\tfunction search(s) {\n"
"\t\tvar re, k, m = [], p, msg;\n"
"\t\ttry { re = new RegExp(s, ignorecase ? \"i\" : \"\"); } catch (e) { matchedtxt.textContent = \"bad regexp\"; matchedtxt.classList.remove(\"hide\"); return; }\n"
"\t\tterm = s;\n"
"\t\tfor (k = 0; k < list.length; k++) {\n"
"\t\t\tif (re.test(list[k].name)) {\n"
"\t\t\t\tlist[k].rect.setAttribute(\"fill\", \"rgb(230,0,230)\");\n"
"\t\t\t\tm.push(list[k]);\n"
"\t\t\t} else {\n"
"\t\t\t\tlist[k].rect.setAttribute(\"fill\", list[k].fill);\n"
"\t\t\t}\n"
"\t\t}\n"
"\t\tsearchbtn.classList.add(\"show\");\n"
"\t\tsearchbtn.textContent = \"Reset Search\";\n"
"\t\tmsg = \"Matched: \" + pct(covered(m, 0, total), total);\n"
"\t\tif (zoomed) msg += \" (\" + pct(covered(m, zoomed.t, zoomed.t + zoomed.v), zoomed.v) + \" of zoom)\";\n"
"\t\tmatchedtxt.textContent = msg;\n"
"\t\tmatchedtxt.classList.remove(\"hide\");\n"
"\t\tp = params(); p.s = s; setparams(p);\n"
"\t}\n"
"\tfunction asksearch() {\n"
"\t\tvar s = prompt(\"Enter a search term (regexp allowed, eg: ^ext4_)\" + (ignorecase ? \", ignoring case\" : \"\") +\n"
"\t\t\t\"\\nPress Ctrl-i to toggle case sensitivity\", term === null ? \"\" : term);\n"
"\t\tif (s !== null && s !== \"\") search(s);\n"
"\t}\n"
"\tfunction toggleic() {\n"
"\t\tignorecase = !ignorecase;\n"
"\t\ticbtn.classList.toggle(\"show\", ignorecase);\n"
"\t\tif (term !== null) search(term);\n"
"\t}\n"
"\tfunction frameof(e) {\n"
"\t\tvar n = e.target;\n"
"\t\twhile (n && n !== frames && n.fsidx === undefined) n = n.parentNode;\n"
"\t\treturn n && n.fsidx !== undefined ? list[n.fsidx] : null;\n"
"\t}\n"
"\tframes.addEventListener(\"mouseover\", function (e) {\n"
"\t\tvar f = frameof(e), s;\n"
"\t\tif (!f) return;\n"
"\t\ts = \"Function: \" + f.info;\n"
"\t\tif (zoomed && f !== zoomed && !shallower(f, zoomed)) s += \" [\" + pct(f.v, zoomed.v) + \" of zoomed frame]\";\n"
"\t\tdetails.textContent = s;\n"
"\t});\n"
"\tframes.addEventListener(\"mouseout\", function () { details.textContent = \" \"; });\n"
"\tframes.addEventListener(\"click\", function (e) {\n"
"\t\tvar f = frameof(e);\n"
"\t\tif (!f) return;\n"
"\t\tif (f === list[0]) unzoom(); else zoom(f);\n"
"\t});\n"
"\tunzoombtn.addEventListener(\"click\", unzoom);\n"
"\tsearchbtn.addEventListener(\"click\", function () { if (term !== null) resetsearch(); else asksearch(); });\n"
"\ticbtn.addEventListener(\"click\", toggleic);\n"
"\twindow.addEventListener(\"keydown\", function (e) {\n"
"\t\tif (e.keyCode === 114 || ((e.ctrlKey || e.metaKey) && e.keyCode === 70)) { e.preventDefault(); asksearch(); }\n"
"\t\telse if (e.ctrlKey && e.keyCode === 73) { e.preventDefault(); toggleic(); }\n"
"\t\telse if (e.keyCode === 27 && term !== null) resetsearch();\n"
"\t}, false);\n"
"\t(function () {\n"
"\t\tvar p = params(), k;\n"
"\t\tif (p.x !== undefined && p.y !== undefined)\n"
"\t\t\tfor (k = 0; k < list.length; k++)\n"
"\t\t\t\tif (list[k].x0 === p.x && list[k].y0 === p.y) { zoom(list[k]); break; }\n"
"\t\tif (p.s) search(p.s);\n"
"\t})();\n"
"})();\n"
"]]></script>\n";

static void put_header(const struct geom *g, FILE *out)
{
	const struct fs_flame_style *st = g->st;
	const struct fs_flame_layout *l = &g->l;
	double fs = l->fontsize;
	uint32_t width = l->width;
	struct fs_rgb bg1, bg2;

	fs_flame_style__background(st->colors, &bg1, &bg2);
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<svg version=\"1.1\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\" "
		"xmlns=\"http://www.w3.org/2000/svg\">\n", width, g->height, width, g->height);
	fprintf(out, "<defs>\n\t<linearGradient id=\"background\" y1=\"0\" y2=\"1\" x1=\"0\" x2=\"0\">\n"
		"\t\t<stop stop-color=\"#%02x%02x%02x\" offset=\"5%%\"/>\n"
		"\t\t<stop stop-color=\"#%02x%02x%02x\" offset=\"95%%\"/>\n"
		"\t</linearGradient>\n</defs>\n", bg1.r, bg1.g, bg1.b, bg2.r, bg2.g, bg2.b);
	fputs("<style type=\"text/css\">\n\ttext { font-family:", out);
	put_font(out, st->fonttype ? st->fonttype : "Verdana");
	fprintf(out, "; font-size:%gpx; fill:rgb(0,0,0); }\n"
		"\t#search, #ignorecase { opacity:0.1; cursor:pointer; }\n"
		"\t#search:hover, #search.show, #ignorecase:hover, #ignorecase.show { opacity:1; }\n"
		"\t#subtitle { text-anchor:middle; fill:rgb(160,160,160); }\n"
		"\t#title { text-anchor:middle; font-size:%gpx; }\n"
		"\t#unzoom { cursor:pointer; }\n"
		"\t#frames > *:hover { stroke:black; stroke-width:0.5; cursor:pointer; }\n"
		"\t.hide { display:none; }\n"
		"\t.parent { opacity:0.5; }\n"
		"</style>\n", fs, l->title_size);
	fprintf(out, "<rect x=\"0\" y=\"0\" width=\"%u\" height=\"%u\" fill=\"url(#background)\"/>\n",
		width, g->height);
	fprintf(out, "<text id=\"title\" x=\"%u\" y=\"%g\">", width / 2, l->title_y);
	put_text(out, fs_flame_style__title(st));
	if (st->reverse)
		fputs(FS_FLAME_REVERSED, out);
	fputs("</text>\n", out);
	if (st->subtitle && *st->subtitle) {
		fprintf(out, "<text id=\"subtitle\" x=\"%u\" y=\"%g\">", width / 2, l->subtitle_y);
		put_text(out, st->subtitle);
		fputs("</text>\n", out);
	}
	fprintf(out, "<text id=\"details\" x=\"%d\" y=\"%g\"> </text>\n", XPAD, g->height - l->ypad2 / 2.0);
	fprintf(out, "<text id=\"unzoom\" class=\"hide\" x=\"%d\" y=\"%g\">Reset Zoom</text>\n", XPAD, l->title_y);
	fprintf(out, "<text id=\"search\" x=\"%u\" y=\"%g\">Search</text>\n", width - XPAD - 100, l->title_y);
	fprintf(out, "<text id=\"ignorecase\" x=\"%u\" y=\"%g\">ic</text>\n", width - XPAD - 16, l->title_y);
	fprintf(out, "<text id=\"matched\" class=\"hide\" x=\"%u\" y=\"%g\"> </text>\n",
		width - XPAD - 200, g->height - l->ypad2 / 2.0);
	fprintf(out, "<g id=\"frames\" data-total=\"%llu\" data-width=\"%u\" data-xpad=\"%d\" "
		"data-charw=\"%.4f\" data-inverted=\"%d\">\n", (unsigned long long)l->total, width,
		XPAD, fs * FS_FLAME_FONTWIDTH, st->inverted ? 1 : 0);
}

static void put_frame(const struct fs_flame *fl, const struct geom *g, const struct vis *v, FILE *out)
{
	const struct fs_flame_style *st = g->st;
	const struct fs_flame_node *n = &fl->nodes[v->node];
	const char *name = v->node == 0 ? "all" : n->name ? n->name : "";
	uint64_t total = g->l.total, value = v->node == 0 ? total : n->value;
	double x1 = XPAD + v->t * g->l.per_value, x2 = XPAD + (v->t + value) * g->l.per_value, y1, y2;
	uint32_t chars;
	struct fs_rgb c;

	fs_flame_layout__frame_y(&g->l, st, v->depth, g->height, &y1, &y2);
	fprintf(out, "<g data-t=\"%llu\" data-v=\"%llu\"><title>", (unsigned long long)v->t,
		(unsigned long long)value);
	put_text(out, name);
	fputs(" (", out);
	put_count(out, value);
	fputc(' ', out);
	put_text(out, st->countname ? st->countname : "samples");
	if (v->node == 0) {
		fputs(", 100%", out);
	} else {
		fprintf(out, ", %.2f%%", 100.0 * (double)value / (double)total);
	}
	if (fl->differential) {
		uint64_t a, b;
		double d;

		fs_flame__self(fl, v->node, &a, &b);
		d = (double)a - (double)b;
		if (st->negate)
			d = -d;
		fprintf(out, "; %s%.2f%%", d > 0 ? "+" : "", 100.0 * d / (double)total);
		c = fs_palette__diff(a, b, g->maxdelta, st->negate);
	} else {
		/* flamegraph.pl colours its root by the empty name */
		c = fs_palette__frame(st->colors, v->node ? name : "", n->kind, st->hash);
	}
	fprintf(out, ")</title><rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"fill=\"rgb(%u,%u,%u)\" rx=\"2\" ry=\"2\"/><text x=\"%.2f\" y=\"%.2f\">",
		x1, y1, x2 - x1, y2 - y1, c.r, c.g, c.b, x1 + 3, 3 + (y1 + y2) / 2);
	chars = (uint32_t)((x2 - x1) / (g->l.fontsize * FS_FLAME_FONTWIDTH));
	if (chars >= 3)
		fs_escape__xml_trunc(out, name, chars);
	fputs("</text></g>\n", out);
}

static int write_empty(const struct geom *g, FILE *out, struct fs_error *err)
{
	fprintf(out, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
		"<svg version=\"1.1\" width=\"%u\" height=\"%g\" xmlns=\"http://www.w3.org/2000/svg\">\n"
		"<text x=\"%u\" y=\"%g\" text-anchor=\"middle\" font-size=\"%g\">"
		"ERROR: No stack counts found</text>\n</svg>\n",
		g->l.width, g->l.fontsize * 5, g->l.width / 2, g->l.fontsize * 2, g->l.fontsize);
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "flame graph SVG: write error");
	return 0;
}

int fs_flame__write_svg(const struct fs_flame *fl, const struct fs_flame_style *style, FILE *out,
			struct fs_error *err)
{
	struct fs_flame_style defaults;
	struct walk w = { 0 };
	struct geom g = { 0 };
	size_t i;

	if (!style) {
		fs_flame_style__init(&defaults);
		style = &defaults;
	}
	if (!fl || !fl->nr_nodes || !fl->nodes)
		return fs_error__set(err, "flame graph SVG: empty tree");
	if (style->colors && !fs_palette__frame_valid(style->colors))
		return fs_error__set(err, "flame graph SVG: unknown colors '%s'", style->colors);
	g.st = style;
	fs_flame_style__layout(style, fl->nodes[0].value, &g.l);
	if (!g.l.total)
		return write_empty(&g, out, err);
	if (collect(fl, g.l.min_value, &w, err)) {
		free(w.v);
		return -1;
	}
	g.maxdelta = fl->differential ? max_delta(fl) : 1;
	g.height = (uint32_t)fs_flame_layout__height(&g.l, w.depthmax);

	if (style->colors == NULL) {
		defaults = *style;
		defaults.colors = "hot";
		g.st = style = &defaults;
	}
	put_header(&g, out);
	for (i = 0; i < w.nr; i++) {
		put_frame(fl, &g, &w.v[i], out);
		if ((i & 4095) == 0 && ferror(out))
			break;
	}
	free(w.v);
	fputs("</g>\n", out);
	fputs(script_js, out);
	fputs("</svg>\n", out);
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "flame graph SVG: write error");
	return 0;
}
