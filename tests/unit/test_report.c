// SPDX-License-Identifier: GPL-2.0-only
/*
 * The report's C side: the flame index (one tree of every sample) against
 * fs_flame__from_profile() for random filters and ranges on a random
 * profile built to trip the folding (names that fold together, comms with
 * spaces, one-letter comms, idle stacks, two events, periods); and the page
 * (its policy, its escaped title, its payload, which must decode whole, and
 * the heat-map grid it draws first).
 * The page's own arithmetic is checked in chromium (tests/e2e/report.sh).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>
#include "report.h"
#include "util.h"
#include "view-int.h"

static uint64_t rng = 88172645463325252ULL;

static uint64_t rnd(uint64_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng % n;
}

static struct fs_profile *random_profile(uint32_t n)
{
	static const char *const syms[] = {
		"main", "work(int)", "work(long)", "[unknown]", "cpu_idle", "do_idle", "leaf",
		"java/lang/Thread.run", "Lfoo/Bar;", "a;b", "do_syscall_64", "x->y",
	};
	static const char *const dsos[] = { "/bin/app", "[kernel.kallsyms]", "/tmp/perf-7.map", "[unknown]" };
	static const char *const comms[] = { "app", "swapper/0", "a b", "x", "java", "app 2" };
	static const char *const events[] = { "cpu-clock:pppH", "page-faults" };
	struct fs_profile *p = fs_profile__new(NULL);
	const char *s[8], *d[8];

	assert_non_null(p);
	assert_int_equal(fs_profile__set_events(p, events, 2, NULL), 0);
	for (uint32_t i = 0; i < n; i++) {
		uint32_t depth = 1 + rnd(6), c = rnd(6);
		struct fs_profile_sample ps = {
			.time = 1000000000ULL * 7 + i * 1733000ULL + rnd(999), .period = 1 + rnd(5000),
			.pid = 100 + c, .tid = 100 + c + rnd(2), .cpu = rnd(3), .event = rnd(5) == 0,
		};

		for (uint32_t k = 0; k < depth; k++) {
			s[k] = syms[rnd(ARRAY_SIZE(syms))];
			d[k] = dsos[rnd(ARRAY_SIZE(dsos))];
		}
		if (c == 1 && rnd(2))
			s[0] = "cpu_idle";
		assert_int_equal(fs_profile__add(p, &ps, comms[c], s, d, depth, NULL), 0);
	}
	assert_int_equal(fs_profile__finish(p, NULL), 0);
	return p;
}

/* The index's child of node named name, or 0. */
static uint32_t child(const struct fs_flame *fl, uint32_t node, const char *name)
{
	for (uint32_t c = fl->nodes[node].first_child; c; c = fl->nodes[c].next_sibling)
		if (!strcmp(fl->nodes[c].name, name))
			return c;
	return 0;
}

/* Every node of want has the same value at the same path of got; returns nodes seen. */
static uint32_t same_tree(const struct fs_flame *want, uint32_t w, const struct fs_flame *got, uint32_t g,
			  const uint64_t *value)
{
	uint32_t n = 1;

	assert_int_equal(want->nodes[w].value, value[g]);
	for (uint32_t c = want->nodes[w].first_child; c; c = want->nodes[c].next_sibling) {
		uint32_t gc = child(got, g, want->nodes[c].name);

		assert_true(gc != 0);
		assert_int_equal(want->nodes[c].kind, got->nodes[gc].kind);
		n += same_tree(want, c, got, gc, value);
	}
	return n;
}

static void test_index_equals_folding(void **state)
{
	struct fs_profile *p = random_profile(3000);
	double origin = fs_profile__origin(p);

	(void)state;
	for (int round = 0; round < 64; round++) {
		struct fs_fold_opts fo = { .kernel = rnd(2), .jit = rnd(2), .pid = rnd(4) == 0, .tid = rnd(4) == 0,
					   .reverse = rnd(4) == 0 };
		int32_t pids[] = { 100, 102 };
		struct fs_filter f = { .event = (int)rnd(2), .include_idle = rnd(2), .weight = (enum fs_weight)rnd(2),
				       .idle_rule = (enum fs_idle_rule)rnd(2) };
		struct fs_flame_index ix;
		struct fs_flame *want;
		uint64_t *value;
		uint32_t nonzero = 0, seen;

		if (rnd(3) == 0) {
			f.pids = pids;
			f.nr_pids = 2;
		}
		f.has_start = rnd(2);
		f.has_end = rnd(2);
		f.start = rnd(4000) / 1000.0;
		f.end = f.start + rnd(3000) / 1000.0;
		assert_int_equal(fs_filter__prepare(&f, p, NULL), 0);
		want = fs_flame__from_profile(p, &f, &fo, NULL);
		assert_non_null(want);
		assert_int_equal(fs_flame_index__build(&ix, p, &fo, NULL, NULL), 0);
		value = calloc(ix.flame->nr_nodes, sizeof(*value));
		/* a range's weights summed into the samples' nodes, then up the tree */
		for (uint64_t i = 0; i < p->nr_samples; i++) {
			const struct fs_profile_sample *s = &p->samples[i];
			double t = fs_sample__seconds(s);

			if (ix.sample_key[i] == FS_FLAME_NO_KEY || !fs_filter__match(&f, p, s) ||
			    (f.has_start && t < origin + f.start) || (f.has_end && t > origin + f.end))
				continue;
			value[ix.key_node[ix.sample_key[i]]] += fs_filter__weight(&f, s);
		}
		for (uint32_t id = ix.flame->nr_nodes; id-- > 1;)
			value[ix.flame->nodes[id].parent] += value[id];
		for (uint32_t id = 0; id < ix.flame->nr_nodes; id++)
			nonzero += value[id] != 0;
		seen = same_tree(want, 0, ix.flame, 0, value);
		/* nothing more: weighted zeros aside, the trees hold the same nodes */
		if (f.weight == FS_WEIGHT_SAMPLES)
			assert_int_equal(nonzero + (value[0] == 0), seen);
		free(value);
		fs_flame_index__exit(&ix);
		fs_flame__delete(want);
		fs_filter__release(&f);
	}
	fs_profile__delete(p);
}

struct page {
	char *buf;
	size_t len;
};

static void write_page(const struct fs_profile *p, struct fs_filter *f, const struct fs_report_opts *o,
		       struct page *pg, int want)
{
	FILE *m = open_memstream(&pg->buf, &pg->len);
	struct fs_error err = { "" };

	assert_non_null(m);
	assert_int_equal(fs_filter__prepare(f, p, NULL), 0);
	assert_int_equal(fs_report__write(p, f, o, m, &err), want);
	fclose(m);
	fs_filter__release(f);
}

/* The data block's base64, gunzip'd. */
static uint8_t *payload(const struct page *pg, size_t *len)
{
	const char *at = strstr(pg->buf, "id=\"fs-data\">"), *end;
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint8_t *bin, *out;
	size_t n = 0, cap = 1 << 20;
	uint32_t acc = 0;
	int bits = 0;
	z_stream zs = { 0 };

	assert_non_null(at);
	at += 13;
	end = strstr(at, "</script>");
	assert_non_null(end);
	bin = malloc(end - at);
	for (const char *c = at; c < end && *c != '='; c++) {
		const char *k = strchr(tab, *c);

		assert_non_null(k);
		acc = acc << 6 | (uint32_t)(k - tab);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bin[n++] = (uint8_t)(acc >> bits);
		}
	}
	out = malloc(cap);
	assert_int_equal(inflateInit2(&zs, 15 + 16), Z_OK);
	zs.next_in = bin;
	zs.avail_in = n;
	zs.next_out = out;
	zs.avail_out = cap;
	assert_int_equal(inflate(&zs, Z_FINISH), Z_STREAM_END);
	*len = zs.total_out;
	inflateEnd(&zs);
	free(bin);
	return out;
}

static void test_page(void **state)
{
	struct fs_profile *p = random_profile(500);
	const char *words[] = { "flamescope", "flamegraph", "-i", "/tmp/p.data" };
	struct fs_report_opts o = { .input = "/tmp/<b>&\"x\".data", .command = words, .nr_command = 4 };
	struct fs_filter f = { .event = -1 };
	struct page pg = { 0 };
	size_t len;
	uint8_t *raw;
	uint32_t hl;

	(void)state;
	write_page(p, &f, &o, &pg, 0);
	assert_true(!strncmp(pg.buf, "<!DOCTYPE html>", 15));
	assert_non_null(strstr(pg.buf, "content=\"default-src 'none'; script-src 'sha256-"));
	assert_null(strstr(pg.buf, "unsafe"));
	/* the title names the input, escaped; no profile text is anywhere else in the clear */
	assert_non_null(strstr(pg.buf, "<title>&lt;b&gt;&amp;&quot;x&quot;.data - FlameScope</title>"));
	assert_null(strstr(pg.buf, "<b>"));
	assert_null(strstr(pg.buf, "work(int)"));
	assert_true(strstr(pg.buf, "</html>\n") == pg.buf + pg.len - 8);
	raw = payload(&pg, &len);
	memcpy(&hl, raw, 4);
	assert_true(hl < len);
	assert_non_null(memmem(raw + 4, hl, "\"version\": 1", 12));
	assert_non_null(memmem(raw + 4, hl, "\"samples\": 500}", 15));
	assert_non_null(memmem(raw + 4, hl, "\"words\": [\"flamescope\", \"flamegraph\", \"-i\", \"/tmp/p.data\"]", 57));
	/* names are in the binary part as their bytes */
	assert_non_null(memmem(raw + 4 + hl, len - 4 - hl, "a b", 3));
	free(raw);
	free(pg.buf);

	/* a filter that leaves nothing is an error, not an empty page */
	{
		int32_t none[] = { 99999 };
		struct fs_filter g = { .event = -1, .pids = none, .nr_pids = 1 };

		memset(&pg, 0, sizeof(pg));
		write_page(p, &g, &o, &pg, -1);
		free(pg.buf);
	}
	fs_profile__delete(p);
}

static bool header_has(const uint8_t *raw, uint32_t hl, const char *s)
{
	return memmem(raw + 4, hl, s, strlen(s)) != NULL;
}

/* --findings: flamescope find's JSON in the header; the finder's message when it cannot run. */
static void test_findings(void **state)
{
	struct fs_profile *p = random_profile(500);
	struct fs_report_opts o = { .input = "/tmp/p.data", .findings = true };
	struct fs_filter f = { .event = -1 };
	struct page pg = { 0 };
	size_t len;
	uint8_t *raw;
	uint32_t hl;

	(void)state;
	write_page(p, &f, &o, &pg, 0);
	raw = payload(&pg, &len);
	memcpy(&hl, raw, 4);
	assert_true(header_has(raw, hl, "\"findings\": {\n\t\"event\": \"cpu-clock:pppH\""));
	assert_true(header_has(raw, hl, "\"findings\": ["));
	assert_false(header_has(raw, hl, "findings_error"));
	free(raw);
	free(pg.buf);

	/* the finder refuses 2000 rows a second: the page says so, and is written */
	o.heatmap.rows = 2000;
	memset(&pg, 0, sizeof(pg));
	write_page(p, &f, &o, &pg, 0);
	raw = payload(&pg, &len);
	memcpy(&hl, raw, 4);
	assert_true(header_has(raw, hl, "\"findings\": null, \"findings_error\": \"find: 2000 rows"));
	free(raw);
	free(pg.buf);

	/* without the option, no findings at all */
	o.findings = false;
	o.heatmap.rows = 0;
	memset(&pg, 0, sizeof(pg));
	write_page(p, &f, &o, &pg, 0);
	raw = payload(&pg, &len);
	memcpy(&hl, raw, 4);
	assert_false(header_has(raw, hl, "\"findings\""));
	free(raw);
	free(pg.buf);
	fs_profile__delete(p);
}

/*
 * The heat map the page draws before it decodes the samples: a block before
 * the page's code, which comes before the data; fs_heatmap__from_profile()'s
 * grid for the report's filters without their range, a run of n empty
 * cells written as -n.
 */
static void test_grid(void **state)
{
	struct fs_profile *p = random_profile(500);
	struct fs_report_opts o = { .input = "/tmp/p.data", .heatmap = { .rows = 7, .step = 0.5 } };
	struct fs_filter f = { .event = -1, .has_start = true, .start = 1, .has_end = true, .end = 2 };
	struct fs_error err = { "" };
	const char *at, *code, *data;
	struct fs_heatmap *hm;
	struct page pg = { 0 };
	uint64_t k = 0, zeros = 0;
	char head[128], *end;

	(void)state;
	write_page(p, &f, &o, &pg, 0);
	at = strstr(pg.buf, "<script type=\"application/json\" id=\"fs-grid\">");
	code = strstr(pg.buf, "<script>");
	data = strstr(pg.buf, "<script type=\"application/octet-stream\" id=\"fs-data\">");
	assert_true(at && code && data && at < code && code < data);
	f.has_start = f.has_end = false;
	assert_int_equal(fs_filter__prepare(&f, p, NULL), 0);
	hm = fs_heatmap__from_profile(p, &f, &o.heatmap, &err);
	assert_non_null(hm);
	snprintf(head, sizeof(head), "{\"columns\": %u, \"rows\": 7, \"step\": 0.5, \"from\": 0, ", hm->columns);
	assert_true(!strncmp(strchr(at, '>') + 1, head, strlen(head)));
	at = strstr(at, "\"values\": [");
	assert_true(at && at < code);
	for (at += 11; *at != ']'; at = *end == ',' ? end + 1 : end) {
		long long v = strtoll(at, &end, 10);

		assert_true(end > at && v != 0);
		if (v < 0)
			zeros++;
		for (; v < 0 && k < (uint64_t)hm->columns * 7; v++)
			assert_int_equal(hm->values[k++], 0);
		if (v > 0 && k < (uint64_t)hm->columns * 7)
			assert_int_equal(hm->values[k++], v);
	}
	assert_int_equal(k, (uint64_t)hm->columns * 7);
	assert_true(zeros > 0 && hm->maxvalue > 0);
	fs_heatmap__delete(hm);
	fs_filter__release(&f);
	free(pg.buf);
	fs_profile__delete(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_index_equals_folding),
		cmocka_unit_test(test_page),
		cmocka_unit_test(test_findings),
		cmocka_unit_test(test_grid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
