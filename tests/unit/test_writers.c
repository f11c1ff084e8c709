// SPDX-License-Identifier: GPL-2.0-only
/*
 * Heat-map and flame-graph writers: output checked by outside tools
 * (xmllint for XML, Python's json for JSON, node for the scripts' syntax),
 * FlameScope's orientation recomputed in Python from the same timestamps,
 * hostile names, pruning and speed. Structures are built by hand so the
 * writers are tested alone.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>
#include "escape.h"
#include "flame.h"
#include "heatmap.h"
#include "palette.h"

static const char *const hostile[] = {
	"</text><script>alert(1)</script>",
	"a & b < c > d \"q\" 'a'",
	"new\nline\ttab\rcr",
	"bad \xff\xfe utf8 \xc0\x80 \xed\xa0\x80 end",
	"ctl \x01\x1b[31m \x7f",
	"]]><script>alert(2)</script>",
	"\xe2\x80\xa8 sep \xef\xbf\xbe",
	"valid \xc3\xa9\xe6\x97\xa5\xf0\x9f\x94\xa5",
};
#define NR_HOSTILE (sizeof(hostile) / sizeof(hostile[0]))

/* ---- helpers ---- */

struct out {
	char path[64];
	FILE *f;
	char *buf;
	size_t len;
};

static void out_open(struct out *o)
{
	int fd;

	strcpy(o->path, "/tmp/fs-writers-XXXXXX");
	fd = mkstemp(o->path);
	assert_true(fd >= 0);
	o->f = fdopen(fd, "w+");
	assert_non_null(o->f);
	o->buf = NULL;
}

/* Closes the stream and reads what was written back into o->buf. */
static void out_read(struct out *o)
{
	FILE *f;
	long n;

	assert_int_equal(fclose(o->f), 0);
	f = fopen(o->path, "r");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	o->buf = malloc(n + 1);
	assert_non_null(o->buf);
	assert_int_equal(fread(o->buf, 1, n, f), (size_t)n);
	o->buf[n] = 0;
	o->len = n;
	fclose(f);
}

static void out_done(struct out *o)
{
	unlink(o->path);
	free(o->buf);
}

static int run(const char *fmt, ...)
{
	char cmd[4096];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return system(cmd);
}

static void assert_xml(const struct out *o)
{
	assert_int_equal(run("xmllint --noout --nonet %s", o->path), 0);
}

static void assert_json(const struct out *o)
{
	assert_int_equal(run("python3 -c 'import json,sys; json.load(open(sys.argv[1]))' %s", o->path), 0);
}

/* Our scripts must at least parse: extract each CDATA script and node --check it. */
static void assert_scripts_parse(const struct out *o)
{
	const char *p = o->buf, *a, *b;
	char js[80];
	FILE *f;
	int n = 0;

	if (run("node --version >/dev/null 2>&1") != 0)
		return;
	while ((a = strstr(p, "<![CDATA[")) && (b = strstr(a, "]]>"))) {
		a += 9;
		snprintf(js, sizeof(js), "%s.js", o->path);
		f = fopen(js, "w");
		assert_non_null(f);
		fwrite(a, 1, b - a, f);
		fclose(f);
		assert_int_equal(run("node --check %s", js), 0);
		unlink(js);
		p = b + 3;
		n++;
	}
	assert_int_equal(n, 1);
}

/*
 * Runs a scenario against the SVG's own script in tests/unit/svgdom.js (a
 * small DOM under node): clicks, hovers, keys, the URL. Skipped without node.
 */
static void assert_scenario(const struct out *o, const char *query, const char *scenario)
{
	char dir[256], path[96];
	const char *slash = strrchr(__FILE__, '/');
	FILE *f;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int)(slash - __FILE__) : 1, slash ? __FILE__ : ".");
	if (run("node --version >/dev/null 2>&1") != 0 || run("test -f %s/svgdom.js", dir) != 0) {
		print_message("node or %s/svgdom.js is missing: no scenario run\n", dir);
		skip();
	}
	snprintf(path, sizeof(path), "%s.scenario.js", o->path);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(scenario, f);
	fclose(f);
	assert_int_equal(run("node %s/svgdom.js %s %s '%s'", dir, o->path, path, query), 0);
	unlink(path);
}

/* Occurrences of needle in hay (up to end). A plain loop: sanitizers check
 * the whole haystack on every strstr call, quadratic on 45 MB. */
static size_t count(const char *hay, const char *needle, const char *end)
{
	size_t n = 0, l = strlen(needle), i, len = end ? (size_t)(end - hay) : strlen(hay);

	for (i = 0; i + l <= len; i++) {
		if (hay[i] == needle[0] && !memcmp(hay + i, needle, l)) {
			n++;
			i += l - 1;
		}
	}
	return n;
}

/* No markup from names: the only <script> is ours, and nothing ran away. */
static void assert_no_injection(const struct out *o)
{
	assert_null(strstr(o->buf, "<script>"));
	assert_int_equal(count(o->buf, "<script", NULL), 1);
	assert_null(strstr(o->buf, "alert(1)</script>"));
	assert_null(strstr(o->buf, "\x1b"));
	assert_null(strstr(o->buf, "\xff"));
}

/* ---- heat maps ---- */

static struct fs_heatmap *hm_new(uint32_t cols, uint32_t rows)
{
	struct fs_heatmap *hm = calloc(1, sizeof(*hm));

	assert_non_null(hm);
	hm->columns = cols;
	hm->rows = rows;
	hm->step = 1;
	hm->origin = 1000;
	hm->values = calloc((size_t)cols * rows, sizeof(*hm->values));
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

/* y attribute of the cell rect whose title starts with `title`. */
static double cell_y(const char *svg, const char *title)
{
	const char *t = strstr(svg, title), *r;
	double y;

	assert_non_null(t);
	for (r = t; r > svg && strncmp(r, "<rect ", 6); r--)
		;
	r = strstr(r, " y=\"");
	assert_non_null(r);
	assert_int_equal(sscanf(r, " y=\"%lf\"", &y), 1);
	return y;
}

static void test_heatmap_svg(void **state)
{
	struct fs_heatmap *hm = hm_new(30, 50);
	struct fs_heatmap_style st = { .input = "perf.data" };
	struct fs_error err = { "" };
	struct out o;
	const char *cells, *end;

	(void)state;
	hm_set(hm, 12, 17, 5);
	hm_set(hm, 0, 0, 9);
	hm_set(hm, 29, 49, 1);
	out_open(&o);
	assert_int_equal(fs_heatmap__write_svg(hm, &st, o.f, &err), 0);
	out_read(&o);
	assert_xml(&o);
	assert_scripts_parse(&o);
	/* one rect per cell inside #cells */
	cells = strstr(o.buf, "<g id=\"cells\"");
	assert_non_null(cells);
	end = strstr(cells, "</g>");
	assert_int_equal(count(cells, "<rect ", end), 30 * 50);
	/* the cell at 12 s + 17 * 20 ms, as the issue words it */
	assert_non_null(strstr(o.buf, "<title>12.340-12.360 s: 5 samples</title>"));
	assert_non_null(strstr(o.buf, "<title>0.000-0.020 s: 9 samples</title>"));
	/* row 0 (start of the second) at the bottom, the last row at the top */
	assert_true(cell_y(o.buf, "<title>0.000-0.020 s") > cell_y(o.buf, "<title>0.980-1.000 s"));
	assert_true(cell_y(o.buf, "<title>12.340-12.360 s") < cell_y(o.buf, "<title>12.320-12.340 s"));
	/* the busiest cell wears the top colour, an empty one white */
	{
		struct fs_rgb top = fs_palette__heat(NULL, 9, 9);
		char want[64];

		snprintf(want, sizeof(want), "fill=\"#%02x%02x%02x\"><title>0.000-0.020 s", top.r, top.g, top.b);
		assert_non_null(strstr(o.buf, want));
		assert_non_null(strstr(o.buf, "fill=\"#ffffff\"><title>0.020-0.040 s"));
	}
	assert_non_null(strstr(o.buf, ">Heat map: cpu-clock</text>"));
	assert_non_null(strstr(o.buf, "data-input=\"perf.data\""));
	/* seconds along the bottom, milliseconds on the side */
	assert_non_null(strstr(o.buf, ">seconds</text>"));
	assert_non_null(strstr(o.buf, ">ms</text>"));
	assert_non_null(strstr(o.buf, "id=\"legend\""));
	assert_null(strstr(o.buf, "href"));
	hm_set(hm, 3, 5, 1);
	assert_scenario(&o, "",
		"var a = byTitle('12.340-12.360 s'), b = byTitle('3.100-3.120 s');\n"
		"var details = document.getElementById('details'), cmd = document.getElementById('command');\n"
		"over(a); check(details.textContent == '12.340-12.360 s: 5 samples', 'hover: ' + details.textContent);\n"
		"click(a); check(/another cell/.test(cmd.textContent), 'first click: ' + cmd.textContent);\n"
		"over(byTitle('20.000-20.020 s')); check(byTitle('19.000-19.020 s').classList.contains('sel'), 'range follows the mouse');\n"
		"click(b);\n"
		"check(cmd.textContent == 'flamescope flamegraph -i perf.data --start 3.100 --end 12.360 -o flamegraph.svg', 'command: ' + cmd.textContent);\n"
		"check(a.classList.contains('sel') && b.classList.contains('sel'), 'ends selected');\n"
		"check(byTitle('5.000-5.020 s').classList.contains('sel'), 'middle selected');\n"
		"check(!byTitle('12.360-12.380 s').classList.contains('sel') && !byTitle('3.080-3.100 s').classList.contains('sel'), 'outside not selected');\n"
		"check(!byTitle('19.000-19.020 s').classList.contains('sel'), 'hover range cleared');\n"
		"click(document.documentElement); check(a.classList.contains('sel') && /--end 12.360/.test(cmd.textContent), 'click outside keeps the command to copy');\n"
		"key(27); check(!a.classList.contains('sel') && !/--end/.test(cmd.textContent), 'Escape clears');\n");
	out_done(&o);
	hm_free(hm);
}

static void test_heatmap_svg_step_and_hostile(void **state)
{
	struct fs_heatmap *hm = hm_new(4, 10);
	struct fs_heatmap_style st = { .input = "/tmp/it's <a> & \"b\".data", .palette = "viridis" };
	struct fs_error err = { "" };
	struct out o;

	(void)state;
	hm->step = 10;
	hm->from = 20;
	hm->step_raised = true;
	hm->event = hostile[0];
	hm_set(hm, 1, 3, 2);
	out_open(&o);
	assert_int_equal(fs_heatmap__write_svg(hm, &st, o.f, &err), 0);
	out_read(&o);
	assert_xml(&o);
	assert_no_injection(&o);
	assert_non_null(strstr(o.buf, "Heat map: &lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; (10 s per column)"));
	/* from + c * step + r * step / rows: 20 + 10 + 3 = 33 s */
	assert_non_null(strstr(o.buf, "<title>33.000-34.000 s: 2 samples</title>"));
	/* the path reaches the command line shell-quoted, and only as text */
	assert_scenario(&o, "",
		"click(byTitle('33.000-34.000 s')); click(byTitle('20.000-21.000 s'));\n"
		"var c = document.getElementById('command').textContent;\n"
		"check(c == \"flamescope flamegraph -i '/tmp/it'\\\\''s <a> & \\\"b\\\".data' --start 20.000 --end 34.000 -o flamegraph.svg\", c);\n");
	out_done(&o);

	/* the command the heat map was made with, and perf's --dlarg form */
	st.command = "flamescope flamegraph -i '/tmp/it'\\''s <a>.data' --comm 'x y' --include-idle";
	out_open(&o);
	assert_int_equal(fs_heatmap__write_svg(hm, &st, o.f, &err), 0);
	out_read(&o);
	assert_xml(&o);
	assert_no_injection(&o);
	assert_scenario(&o, "",
		"click(byTitle('20.000-21.000 s')); click(byTitle('33.000-34.000 s'));\n"
		"var c = document.getElementById('command').textContent;\n"
		"check(c == \"flamescope flamegraph -i '/tmp/it'\\\\''s <a>.data' --comm 'x y' --include-idle --start 20.000 --end 34.000 -o flamegraph.svg\", c);\n");
	out_done(&o);
	st.command = "perf script -i /tmp/p.data --dlfilter flamescope-dlfilter.so --dlarg flamegraph=flamegraph.svg";
	st.dlarg = true;
	out_open(&o);
	assert_int_equal(fs_heatmap__write_svg(hm, &st, o.f, &err), 0);
	out_read(&o);
	assert_scenario(&o, "",
		"click(byTitle('20.000-21.000 s')); click(byTitle('33.000-34.000 s'));\n"
		"var c = document.getElementById('command').textContent;\n"
		"check(c == 'perf script -i /tmp/p.data --dlfilter flamescope-dlfilter.so --dlarg flamegraph=flamegraph.svg --dlarg start=20.000 --dlarg end=34.000', c);\n");
	out_done(&o);
	st.command = NULL;
	st.dlarg = false;

	/* a palette nobody knows is an error, not a guess */
	st.palette = "jet";
	out_open(&o);
	assert_int_equal(fs_heatmap__write_svg(hm, &st, o.f, &err), -1);
	assert_non_null(strstr(err.msg, "jet"));
	out_read(&o);
	out_done(&o);
	hm_free(hm);
}

/*
 * FlameScope's generate_heatmap() run on timestamps in Python, against our
 * JSON for a heat map built from the same timestamps with our own
 * orientation (row 0 = start of the second).
 */
static void test_heatmap_json_flamescope(void **state)
{
	static const double ts[] = { 1000.001, 1000.5, 1000.999, 1001.25, 1001.25, 1003.987, 1002.019, 1002.02 };
	struct fs_heatmap *hm = hm_new(4, 50);
	struct fs_error err = { "" };
	char list[512] = "", *p = list;
	struct out o;
	unsigned i;

	(void)state;
	for (i = 0; i < sizeof(ts) / sizeof(ts[0]); i++) {
		double off = ts[i] - 1000;
		uint32_t c = (uint32_t)off, r = (uint32_t)((off - c) * 50);

		hm->values[c * 50 + r]++;
		p += sprintf(p, "%s%.3f", i ? "," : "", ts[i]);
	}
	out_open(&o);
	assert_int_equal(fs_heatmap__write_json(hm, o.f, &err), 0);
	out_read(&o);
	assert_json(&o);
	assert_int_equal(run("python3 - %s <<'EOF'\n"
			     "import json, sys\n"
			     "from math import floor, ceil\n"
			     "ts = [%s]\n"
			     "rows = 50\n"
			     "start, end = min(ts), max(ts)\n"
			     "rowoffsets = [1000 * (float(i) / rows) for i in range(rows)]\n"
			     "rowoffsets.reverse()\n"
			     "cols = int(ceil(end) - floor(start))\n"
			     "values = [[0] * rows for _ in range(cols)]\n"
			     "for t in ts:\n"
			     "    values[int(floor(t - floor(start)))][rows - int(floor(rows * (t %% 1))) - 1] += 1\n"
			     "want = {'rows': rowoffsets, 'columns': list(range(cols)), 'values': values,\n"
			     "        'maxvalue': max(max(v) for v in values)}\n"
			     "got = json.load(open(sys.argv[1]))\n"
			     "sys.exit(0 if got == want and json.dumps(got['rows']) == json.dumps(want['rows'])\n"
			     "         and all(type(c) is int for c in got['columns']) else 1)\n"
			     "EOF", o.path, list), 0);
	/* Python's float repr, as jsonify writes FlameScope's row offsets */
	assert_non_null(strstr(o.buf, "\"rows\": [980.0, 960.0,"));
	assert_non_null(strstr(o.buf, "0.0]"));
	out_done(&o);
	hm_free(hm);
}

static void test_heatmap_txt(void **state)
{
	struct fs_heatmap *hm = hm_new(20, 10);
	struct fs_heatmap_style st = { 0 };
	struct fs_error err = { "" };
	struct out o;
	char *line, *save = NULL;
	int n = 0, first_grid = -1, last_grid = -1;
	char *lines[64];

	(void)state;
	hm->event = "ev\x1b]0;pwned\x07";
	hm_set(hm, 0, 9, 7);	/* the end of second 0: the top row */
	out_open(&o);
	assert_int_equal(fs_heatmap__write_txt(hm, &st, o.f, &err), 0);
	out_read(&o);
	/* the event name cannot smuggle terminal escapes */
	assert_null(strstr(o.buf, "\x1b]0"));
	for (line = strtok_r(o.buf, "\n", &save); line && n < 64; line = strtok_r(NULL, "\n", &save))
		lines[n++] = line;
	for (int i = 0; i < n; i++) {
		if (strstr(lines[i], "\033[48;5;") && strstr(lines[i], "per cell") == NULL) {
			if (first_grid < 0)
				first_grid = i;
			last_grid = i;
		}
	}
	assert_int_equal(last_grid - first_grid + 1, 10);
	/* the top grid line starts with the hot cell, the bottom one is all white (231) */
	assert_int_equal(strncmp(lines[first_grid] + 8, "\033[48;5;", 7), 0);
	assert_int_not_equal(strncmp(lines[first_grid] + 8, "\033[48;5;231m", 11), 0);
	assert_non_null(strstr(lines[last_grid], "\033[48;5;231m"));
	assert_int_equal(count(lines[last_grid], "\033[48;5;", NULL), 1);
	assert_int_equal(count(lines[first_grid], "\033[48;5;", NULL), 2);
	out_done(&o);
	hm_free(hm);
}

/* ---- flame graphs ---- */

/* A tree built by hand, as a caller of the writers may build one (no interning). */
struct tree {
	struct fs_flame fl;
	uint32_t *last_child;
	uint32_t alloc;
};

static void tree_init(struct tree *t, uint32_t alloc)
{
	memset(t, 0, sizeof(*t));
	t->alloc = alloc;
	t->fl.nodes = calloc(alloc, sizeof(*t->fl.nodes));
	t->last_child = calloc(alloc, sizeof(*t->last_child));
	assert_non_null(t->fl.nodes);
	assert_non_null(t->last_child);
	t->fl.nodes[0].name = "all";
	t->fl.nr_nodes = 1;
}

/* Appends a child (children given in name order); values set by the caller. */
static uint32_t tree_add(struct tree *t, uint32_t parent, const char *name, uint8_t kind,
			 uint64_t value, uint64_t value_b)
{
	uint32_t id = t->fl.nr_nodes++;
	struct fs_flame_node *n = &t->fl.nodes[id];

	assert_true(id < t->alloc);

	n->name = name;
	n->kind = kind;
	n->parent = parent;
	n->value = value;
	n->value_b = value_b;
	if (t->last_child[parent])
		t->fl.nodes[t->last_child[parent]].next_sibling = id;
	else
		t->fl.nodes[parent].first_child = id;
	t->last_child[parent] = id;
	return id;
}

static void tree_free(struct tree *t)
{
	free(t->fl.nodes);
	free(t->last_child);
}

/* all 1000: main 900 (work 600 (spin 400), idle 300), do_syscall_64 [k] 100 */
static void small_tree(struct tree *t)
{
	uint32_t comm, main_, work;

	tree_init(t, 16);
	t->fl.nodes[0].value = 1000;
	comm = tree_add(t, 0, "app", FS_FRAME_COMM, 1000, 0);
	main_ = tree_add(t, comm, "main", FS_FRAME_USER, 900, 0);
	work = tree_add(t, main_, "work", FS_FRAME_USER, 600, 0);
	tree_add(t, work, "spin", FS_FRAME_USER, 400, 0);
	tree_add(t, main_, "zidle", FS_FRAME_USER, 300, 0);
	tree_add(t, comm, "do_syscall_64", FS_FRAME_KERNEL, 100, 0);
}

/* x and width of the frame whose title starts with title. */
static void frame_rect(const char *svg, const char *title, double *x, double *y, double *w)
{
	const char *t = strstr(svg, title), *r;

	assert_non_null(t);
	r = strstr(t, "<rect ");
	assert_non_null(r);
	assert_int_equal(sscanf(r, "<rect x=\"%lf\" y=\"%lf\" width=\"%lf\"", x, y, w), 3);
}

static const char flame_scenario[] =
	"var all = byTitle('all ('), main = byTitle('main ('), work = byTitle('work (');\n"
	"var spin = byTitle('spin ('), zidle = byTitle('zidle ('), sys = byTitle('do_syscall_64 (');\n"
	"var details = document.getElementById('details'), matched = document.getElementById('matched');\n"
	"click(rect(work));\n"
	"check(main.classList.contains('parent') && all.classList.contains('parent'), 'ancestors dimmed');\n"
	"check(Math.abs(num(rect(main), 'width') - 1180) < 0.01 && !hidden(main), 'ancestors kept full width');\n"
	"check(hidden(zidle) && hidden(sys), 'outside the zoom hidden');\n"
	"check(Math.abs(num(rect(work), 'width') - 1180) < 0.01 && num(rect(work), 'x') == 10, 'zoomed frame fills');\n"
	"check(Math.abs(num(rect(spin), 'width') - 1180 * 400 / 600) < 0.01, 'child rescaled');\n"
	"check(num(spin.getElementsByTagName('text')[0], 'x') == num(rect(spin), 'x') + 3, 'label moved');\n"
	"check(/[?&]x=10\\.0(&|$)/.test(location.search) && /[?&]y=[0-9.]+/.test(location.search), 'zoom in URL ' + location.search);\n"
	"check(!document.getElementById('unzoom').classList.contains('hide'), 'Reset Zoom shown');\n"
	"over(rect(spin));\n"
	"check(details.textContent == 'Function: spin (400 samples, 40.00%) [66.67% of zoomed frame]', details.textContent);\n"
	"answer('^(main|work|spin)$'); var ev = key(70, true);\n"
	"check(ev.defaultPrevented, 'Ctrl-F taken over');\n"
	"check(matched.textContent == 'Matched: 90.00% (100.00% of zoom)', 'nested matches once: ' + matched.textContent);\n"
	"check(rect(spin).getAttribute('fill') == 'rgb(230,0,230)' && rect(zidle).getAttribute('fill') != 'rgb(230,0,230)', 'matches painted');\n"
	"check(/[?&]s=%5E\\(main%7Cwork%7Cspin\\)%24/.test(location.search), 'search in URL ' + location.search);\n"
	"answer('MAIN'); key(114);\n"
	"check(matched.textContent == 'Matched: 0.00% (0.00% of zoom)', 'case sensitive: ' + matched.textContent);\n"
	"key(73, true);\n"
	"check(matched.textContent == 'Matched: 90.00% (100.00% of zoom)', 'Ctrl-I ignores case: ' + matched.textContent);\n"
	"click(document.getElementById('unzoom'));\n"
	"check(!hidden(zidle) && Math.abs(num(rect(zidle), 'x') - (10 + 600 * 1.18)) < 0.01, 'unzoomed');\n"
	"check(!main.classList.contains('parent'), 'undimmed');\n"
	"check(!/[?&]x=/.test(location.search) && /[?&]s=MAIN/.test(location.search), 'URL after unzoom ' + location.search);\n"
	"check(matched.textContent == 'Matched: 90.00%', 'whole-graph percentage: ' + matched.textContent);\n"
	"click(document.getElementById('search'));\n"
	"check(rect(main).getAttribute('fill') != 'rgb(230,0,230)' && !/s=/.test(location.search), 'search reset');\n";

/* A URL carrying zoom and search restores both on load. */
static const char flame_url_scenario[] =
	"var work = byTitle('work ('), zidle = byTitle('zidle (');\n"
	"check(hidden(zidle) && Math.abs(num(rect(work), 'width') - 1180) < 0.01, 'zoom restored');\n"
	"check(document.getElementById('matched').textContent == 'Matched: 40.00% (66.67% of zoom)', document.getElementById('matched').textContent);\n";

static void test_flame_svg(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct tree t;
	struct out o;
	double x, y, w, cx, cy, cw;

	(void)state;
	small_tree(&t);
	fs_flame_style__init(&st);
	st.countname = "samples";
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_xml(&o);
	assert_scripts_parse(&o);
	assert_non_null(strstr(o.buf, "<title>all (1,000 samples, 100%)</title>"));
	assert_non_null(strstr(o.buf, "<title>main (900 samples, 90.00%)</title>"));
	assert_non_null(strstr(o.buf, "<title>spin (400 samples, 40.00%)</title>"));
	assert_non_null(strstr(o.buf, ">Flame Graph</text>"));
	assert_int_equal(count(o.buf, "<g data-t=", NULL), 7);
	/* geometry as flamegraph.pl: 1180 px for 1000 samples from x = 10 */
	frame_rect(o.buf, "<title>main (", &x, &y, &w);
	assert_true(x > 9.95 && x < 10.05);
	assert_true(w > 1061.95 && w < 1062.05);
	frame_rect(o.buf, "<title>zidle (", &cx, &cy, &cw);
	assert_true(cx > 10 + 600 * 1.18 - 0.05 && cx < 10 + 600 * 1.18 + 0.05);
	/* children above their parent */
	assert_true(cy < y);
	/* the label fits: "do_syscall_64" gets 118 px / (12 * 0.59) = 16 chars, whole */
	assert_non_null(strstr(o.buf, ">do_syscall_64</text>"));
	/* hot colours as flamegraph.pl picks them for "main" */
	{
		struct fs_rgb c = fs_palette__frame("hot", "main", FS_FRAME_USER, false);
		char want[128];

		snprintf(want, sizeof(want), "<title>main (900 samples, 90.00%%)</title><rect x=\"10.0\" y=\"%.1f\" "
			 "width=\"1062.0\" height=\"15.0\" fill=\"rgb(%u,%u,%u)\"", y, c.r, c.g, c.b);
		assert_non_null(strstr(o.buf, want));
	}
	/* the interactive parts flamegraph.pl users reach for */
	assert_non_null(strstr(o.buf, ">Reset Zoom</text>"));
	assert_non_null(strstr(o.buf, ">Search</text>"));
	assert_non_null(strstr(o.buf, ">ic</text>"));
	assert_non_null(strstr(o.buf, "history.replaceState"));
	assert_scenario(&o, "", flame_scenario);
	{
		char q[128];

		frame_rect(o.buf, "<title>work (", &cx, &cy, &cw);
		snprintf(q, sizeof(q), "?x=%.1f&y=%.1f&s=sp.n", cx, cy);
		assert_scenario(&o, q, flame_url_scenario);
	}
	out_done(&o);

	/* inverted: an icicle, root at the top, and flamegraph.pl's title */
	st.inverted = true;
	st.subtitle = "sub <title>";
	st.countname = "ms";
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_xml(&o);
	assert_non_null(strstr(o.buf, ">Icicle Graph</text>"));
	assert_non_null(strstr(o.buf, ">sub &lt;title&gt;</text>"));
	assert_non_null(strstr(o.buf, "<title>main (900 ms, 90.00%)</title>"));
	frame_rect(o.buf, "<title>main (", &x, &y, &w);
	frame_rect(o.buf, "<title>spin (", &cx, &cy, &cw);
	assert_true(cy > y);
	out_done(&o);
	tree_free(&t);
}

/* Labels: cut with ".." to what fits, refitted when a zoom widens the frame. */
static void test_flame_labels(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct tree t;
	struct out o;

	(void)state;
	tree_init(&t, 8);
	t.fl.nodes[0].value = 1000;
	/* 50 of 1000 samples: 59 px = 8 characters at 12 px * 0.59 */
	tree_add(&t, 0, "abcdefghijklmnop", FS_FRAME_USER, 50, 0);
	/* 10 samples: 11.8 px, under three characters: no label */
	tree_add(&t, 0, "tiny_function_name", FS_FRAME_USER, 10, 0);
	tree_add(&t, 0, "x", FS_FRAME_USER, 940, 0);
	fs_flame_style__init(&st);
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_xml(&o);
	assert_non_null(strstr(o.buf, ">abcdef..</text>"));
	assert_non_null(strstr(o.buf, "<title>tiny_function_name (10 samples, 1.00%)</title>"));
	assert_null(strstr(o.buf, "\">tiny"));
	assert_int_equal(count(o.buf, "<g data-t=", NULL), 4);
	assert_scenario(&o, "",
		"var a = byTitle('abcdefghijklmnop ('), tiny = byTitle('tiny_function_name (');\n"
		"var text = function (g) { return g.getElementsByTagName('text')[0].textContent; };\n"
		"click(rect(tiny));\n"
		"check(text(tiny) == 'tiny_function_name', 'refitted after zoom: ' + text(tiny));\n"
		"check(hidden(a), 'sibling hidden');\n"
		"click(rect(byTitle('all (')));\n"
		"check(text(a) == 'abcdef..' && text(tiny) == '', 'fitted again after reset: ' + text(a));\n");
	out_done(&o);

	/* minwidth in pixels: 12 px prunes the 11.8 px frame, keeps the 59 px one */
	st.minwidth = 12;
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_int_equal(count(o.buf, "<g data-t=", NULL), 3);
	assert_null(strstr(o.buf, "tiny_function_name"));
	out_done(&o);
	/* minwidth 0 draws every frame */
	st.minwidth = 0;
	tree_add(&t, 0, "zero_width_but_there", FS_FRAME_USER, 0, 0);
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_int_equal(count(o.buf, "<g data-t=", NULL), 4);
	out_done(&o);
	tree_free(&t);
}

static void test_flame_hostile(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct tree t;
	struct out o;
	unsigned i;
	uint32_t comm;

	(void)state;
	tree_init(&t, 32);
	t.fl.nodes[0].value = 100 * NR_HOSTILE;
	comm = tree_add(&t, 0, hostile[0], FS_FRAME_COMM, 100 * NR_HOSTILE, 0);
	for (i = 0; i < NR_HOSTILE; i++)
		tree_add(&t, comm, hostile[i], FS_FRAME_USER, 100, 0);
	fs_flame_style__init(&st);
	st.title = hostile[0];
	st.countname = "<b>";
	st.fonttype = "x; } </style><script>alert(3)</script>";
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_xml(&o);
	assert_no_injection(&o);
	assert_non_null(strstr(o.buf, "&lt;/text&gt;&lt;script&gt;alert(1)&lt;/script&gt; (100 &lt;b&gt;"));
	/* invalid UTF-8 and controls become U+FFFD, newlines a character reference */
	assert_non_null(strstr(o.buf, "bad \xef\xbf\xbd\xef\xbf\xbd utf8"));
	assert_non_null(strstr(o.buf, "new&#10;line&#9;tab&#13;cr"));
	assert_non_null(strstr(o.buf, "valid \xc3\xa9\xe6\x97\xa5\xf0\x9f\x94\xa5"));
	out_done(&o);

	out_open(&o);
	assert_int_equal(fs_flame__write_json(&t.fl, o.f, &err), 0);
	out_read(&o);
	assert_json(&o);
	assert_null(strstr(o.buf, "<"));
	assert_int_equal(run("python3 - %s <<'EOF'\n"
			     "import json, sys\n"
			     "t = json.load(open(sys.argv[1]))\n"
			     "names = [c['n'] for c in t['c'][0]['c']]\n"
			     "ok = names[0] == '</text><script>alert(1)</script>'\n"
			     "ok = ok and names[2] == 'new\\nline\\ttab\\rcr'\n"
			     "ok = ok and names[3] == 'bad \\ufffd\\ufffd utf8 \\ufffd\\ufffd \\ufffd\\ufffd\\ufffd end'\n"
			     "ok = ok and names[7] == 'valid \\u00e9\\u65e5\\U0001f525'\n"
			     "sys.exit(0 if ok else 1)\n"
			     "EOF", o.path), 0);
	out_done(&o);
	tree_free(&t);
}

static void test_flame_json(void **state)
{
	struct fs_error err = { "" };
	struct tree t;
	struct out o;

	(void)state;
	small_tree(&t);
	t.fl.nodes[2].kind = FS_FRAME_JIT;	/* main */
	t.fl.nodes[5].kind = FS_FRAME_INLINED;	/* zidle */
	out_open(&o);
	assert_int_equal(fs_flame__write_json(&t.fl, o.f, &err), 0);
	out_read(&o);
	assert_json(&o);
	/* FlameScope's shape: root "root"/"", comm "", self counts in v */
	assert_int_equal(run("python3 - %s <<'EOF'\n"
			     "import json, sys\n"
			     "t = json.load(open(sys.argv[1]))\n"
			     "def total(n): return n['v'] + sum(total(c) for c in n['c'])\n"
			     "app = t['c'][0]; main = app['c'][0]; sysc = app['c'][1]\n"
			     "ok = t['n'] == 'root' and t['l'] == '' and t['v'] == 0 and total(t) == 1000\n"
			     "ok = ok and app['n'] == 'app' and app['l'] == '' and app['v'] == 0\n"
			     "ok = ok and main['l'] == 'jit' and main['v'] == 0 and sysc['l'] == 'kernel' and sysc['v'] == 100\n"
			     "ok = ok and main['c'][0]['n'] == 'work' and main['c'][0]['v'] == 200 and main['c'][0]['l'] == 'user'\n"
			     "ok = ok and main['c'][1]['l'] == 'inlined' and 'd' not in t\n"
			     "ok = ok and sorted(t.keys()) == ['c', 'l', 'n', 'v']\n"
			     "sys.exit(0 if ok else 1)\n"
			     "EOF", o.path), 0);
	out_done(&o);
	tree_free(&t);
}

static void test_flame_differential(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct tree t;
	struct out o;
	uint32_t comm;

	(void)state;
	tree_init(&t, 8);
	t.fl.differential = true;
	t.fl.nodes[0].value = 200;
	t.fl.nodes[0].value_b = 200;
	comm = tree_add(&t, 0, "app", FS_FRAME_COMM, 200, 200);
	tree_add(&t, comm, "grew", FS_FRAME_USER, 150, 50);	/* +100: the largest change */
	tree_add(&t, comm, "same", FS_FRAME_USER, 25, 25);
	tree_add(&t, comm, "shrank", FS_FRAME_USER, 25, 125);	/* -100 */
	fs_flame_style__init(&st);
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_xml(&o);
	/* flamegraph.pl: "(N samples, P%; +D%)" with D relative to the total */
	assert_non_null(strstr(o.buf, "<title>grew (150 samples, 75.00%; +50.00%)</title>"));
	assert_non_null(strstr(o.buf, "<title>same (25 samples, 12.50%; 0.00%)</title>"));
	assert_non_null(strstr(o.buf, "<title>shrank (25 samples, 12.50%; -50.00%)</title>"));
	assert_non_null(strstr(o.buf, "%; +50.00%)</title><rect x=\"10.0\" y="));
	assert_non_null(strstr(o.buf, "fill=\"rgb(255,0,0)\""));
	assert_non_null(strstr(o.buf, "fill=\"rgb(0,0,255)\""));
	assert_int_equal(count(o.buf, "fill=\"rgb(255,255,255)\"", NULL), 3);	/* all, app, same */
	out_done(&o);

	st.negate = true;
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_non_null(strstr(o.buf, "<title>grew (150 samples, 75.00%; -50.00%)</title>"));
	assert_non_null(strstr(o.buf, "<title>shrank (25 samples, 12.50%; +50.00%)</title>"));
	out_done(&o);

	out_open(&o);
	assert_int_equal(fs_flame__write_json(&t.fl, o.f, &err), 0);
	out_read(&o);
	assert_json(&o);
	assert_non_null(strstr(o.buf, "\"n\": \"grew\", \"l\": \"user\", \"v\": 150, \"d\": 100"));
	assert_non_null(strstr(o.buf, "\"n\": \"shrank\", \"l\": \"user\", \"v\": 25, \"d\": -100"));
	out_done(&o);
	tree_free(&t);
}

/* Sanitizer builds (make test's second round) run several times slower. */
#if defined(__SANITIZE_ADDRESS__)
#define SLOW 5
#else
#define SLOW 1
#endif

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* 1 + 1000 + 1000 * 999 nodes: 1M. The 999000 leaves (1 sample each) are far
 * narrower than 0.1 px of 1180 px for 999000 samples, so only 1001 are drawn. */
static void test_flame_prune_1m(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct tree t;
	struct out o;
	uint32_t i, j, mid;
	double t0, t1;
	static char names[1000][8];

	(void)state;
	tree_init(&t, 1 + 1000 + 1000 * 999);
	t.fl.nodes[0].value = 1000 * 999;
	for (i = 0; i < 1000; i++) {
		snprintf(names[i], sizeof(names[i]), "f%03u", i);
		mid = tree_add(&t, 0, names[i], FS_FRAME_USER, 999, 0);
		for (j = 0; j < 999; j++)
			tree_add(&t, mid, names[j], FS_FRAME_USER, 1, 0);
	}
	assert_int_equal(t.fl.nr_nodes, 1000001);
	fs_flame_style__init(&st);
	out_open(&o);
	t0 = now();
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	t1 = now();
	out_read(&o);
	print_message("1M-node tree to SVG: %.1f ms, %zu bytes\n", (t1 - t0) * 1e3, o.len);
	assert_true(t1 - t0 < 0.5 * SLOW);
	assert_int_equal(count(o.buf, "<g data-t=", NULL), 1001);
	assert_xml(&o);
	out_done(&o);

	/* minwidth as a percentage: 0.2% of 999000 = 1998 > 999, only the root stays */
	st.minwidth = 0.2;
	st.minwidth_percent = true;
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), 0);
	out_read(&o);
	assert_int_equal(count(o.buf, "<g data-t=", NULL), 1);
	out_done(&o);

	/* JSON keeps every node, fast too */
	out_open(&o);
	t0 = now();
	assert_int_equal(fs_flame__write_json(&t.fl, o.f, &err), 0);
	t1 = now();
	out_read(&o);
	print_message("1M-node tree to JSON: %.1f ms, %zu bytes\n", (t1 - t0) * 1e3, o.len);
	assert_true(t1 - t0 < 1.0 * SLOW);
	assert_int_equal(count(o.buf, "\"n\": ", NULL), 1000001);
	out_done(&o);
	tree_free(&t);
}

/* A tree whose links leave the array is refused, not followed. */
static void test_flame_bad_links(void **state)
{
	struct fs_flame_style st;
	struct fs_error err = { "" };
	struct tree t;
	struct out o;

	(void)state;
	small_tree(&t);
	t.fl.nodes[3].next_sibling = 99;
	fs_flame_style__init(&st);
	out_open(&o);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), -1);
	assert_int_equal(fs_flame__write_json(&t.fl, o.f, &err), -1);
	assert_non_null(strstr(err.msg, "outside the tree"));
	/* a cycle */
	t.fl.nodes[3].next_sibling = 2;
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, o.f, &err), -1);
	assert_int_equal(fs_flame__write_json(&t.fl, o.f, &err), -1);
	out_read(&o);
	out_done(&o);
	tree_free(&t);
}

static void test_write_errors(void **state)
{
	struct fs_heatmap *hm = hm_new(100, 50);
	struct fs_heatmap_style hst = { 0 };
	struct fs_flame_style st;
	struct fs_error err;
	struct tree t;
	FILE *full = fopen("/dev/full", "w");

	(void)state;
	if (!full) {
		print_message("no /dev/full here\n");
		skip();
	}
	small_tree(&t);
	fs_flame_style__init(&st);
	err.msg[0] = 0;
	assert_int_equal(fs_heatmap__write_svg(hm, &hst, full, &err), -1);
	assert_non_null(strstr(err.msg, "write error"));
	clearerr(full);
	assert_int_equal(fs_heatmap__write_json(hm, full, &err), -1);
	clearerr(full);
	assert_int_equal(fs_heatmap__write_txt(hm, &hst, full, &err), -1);
	clearerr(full);
	assert_int_equal(fs_flame__write_svg(&t.fl, &st, full, &err), -1);
	clearerr(full);
	assert_int_equal(fs_flame__write_json(&t.fl, full, &err), -1);
	fclose(full);
	tree_free(&t);
	hm_free(hm);
}

static void test_escape(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	f = open_memstream(&buf, &len);
	fs_escape__xml_trunc(f, "abcdefgh", 5);
	fputc('|', f);
	fs_escape__xml_trunc(f, "ab<", 3);
	fputc('|', f);
	/* truncation counts characters, never splits one */
	fs_escape__xml_trunc(f, "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9", 3);
	fputc('|', f);
	fs_escape__json(f, "a\"b\\c\x01</script>", 15);
	fclose(f);
	assert_string_equal(buf, "abc..|ab&lt;|\xc3\xa9..|a\\\"b\\\\c\\u0001\\u003c/script\\u003e");
	free(buf);
	assert_int_equal(fs_escape__utf8_chars("\xf0\x9f\x94\xa5x\xff", 6), 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_heatmap_svg),
		cmocka_unit_test(test_heatmap_svg_step_and_hostile),
		cmocka_unit_test(test_heatmap_json_flamescope),
		cmocka_unit_test(test_heatmap_txt),
		cmocka_unit_test(test_flame_svg),
		cmocka_unit_test(test_flame_labels),
		cmocka_unit_test(test_flame_hostile),
		cmocka_unit_test(test_flame_json),
		cmocka_unit_test(test_flame_differential),
		cmocka_unit_test(test_flame_prune_1m),
		cmocka_unit_test(test_flame_bad_links),
		cmocka_unit_test(test_write_errors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
