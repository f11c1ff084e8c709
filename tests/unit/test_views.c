// SPDX-License-Identifier: GPL-2.0-only
/*
 * Views over a profile built by hand: heat-map binning, idle rules, filters,
 * folding as stackcollapse-perf.pl folds, flame trees and differential values.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>
#include "idle.h"
#include "strtab.h"
#include "view.h"

struct builder {
	struct fs_profile *p;
	uint32_t alloc_frames, alloc_stacks, alloc_samples;
};

static struct fs_profile *profile_new(void)
{
	struct fs_profile *p = calloc(1, sizeof(*p));

	p->strs = fs_strtab__new();
	p->frames = calloc(64, sizeof(*p->frames));
	p->stacks = calloc(256, sizeof(*p->stacks));
	p->samples = calloc(4096, sizeof(*p->samples));
	p->nr_stacks = 1;
	p->events = calloc(2, sizeof(*p->events));
	p->events[0] = "cpu-clock:pppH";
	p->events[1] = "page-faults";
	p->nr_events = 2;
	return p;
}

static uint32_t frame(struct fs_profile *p, const char *sym, const char *dso, uint8_t kind)
{
	struct fs_profile_frame *f = &p->frames[p->nr_frames];

	f->sym = fs_strtab__add(p->strs, sym, strlen(sym));
	f->dso = fs_strtab__add(p->strs, dso, strlen(dso));
	f->kind = kind;
	f->idle = fs_idle__frame(sym);
	return p->nr_frames++;
}

/* A stack from frames given outermost first, ended by UINT32_MAX. */
static uint32_t stack(struct fs_profile *p, ...)
{
	uint32_t s = 0, fr;
	va_list ap;

	va_start(ap, p);
	while ((fr = va_arg(ap, uint32_t)) != UINT32_MAX) {
		uint32_t found = 0;

		for (uint32_t i = 1; i < p->nr_stacks; i++)
			if (p->stacks[i].parent == s && p->stacks[i].frame == fr)
				found = i;
		if (!found) {
			found = p->nr_stacks++;
			p->stacks[found] = (struct fs_profile_stack){
				s, fr, p->stacks[s].depth + 1,
				p->frames[fr].idle ? FS_STACK_IDLE_ANY | FS_STACK_IDLE_LEAF :
						     p->stacks[s].idle & FS_STACK_IDLE_ANY,
			};
		}
		s = found;
	}
	va_end(ap);
	return s;
}

static void sample(struct fs_profile *p, uint64_t ns, uint32_t st, const char *comm, int pid, uint16_t event)
{
	struct fs_profile_sample *s = &p->samples[p->nr_samples++];

	s->time = ns;
	s->period = 1000;
	s->stack = st;
	s->pid = s->tid = pid;
	s->comm = fs_strtab__add(p->strs, comm, strlen(comm));
	s->event = event;
	p->first_time = p->samples[0].time;
	p->last_time = ns;
}

static void profile_delete(struct fs_profile *p)
{
	free(p->events);
	p->events = NULL;
	fs_profile__delete(p);
}

static void test_heatmap_cells(void **state)
{
	struct fs_profile *p = profile_new();
	uint32_t f = frame(p, "work", "/bin/app", FS_FRAME_USER);
	uint32_t s = stack(p, f, UINT32_MAX);
	struct fs_filter flt = { .event = -1 };
	struct fs_heatmap_opts o = { 0 };
	struct fs_heatmap *hm;

	(void)state;
	sample(p, 100500000000ULL, s, "app", 1, 0);	/* 100.5 s: col 0, row 25 */
	sample(p, 100999999999ULL, s, "app", 1, 0);	/* usec 100.999999: row 49 */
	sample(p, 102020000000ULL, s, "app", 1, 0);	/* 102.02: col 2; FlameScope's float math gives row 0 */
	sample(p, 102020000000ULL, s, "app", 1, 1);	/* other event: not counted */
	assert_int_equal(fs_filter__prepare(&flt, p, NULL), 0);
	hm = fs_heatmap__from_profile(p, &flt, &o, NULL);
	assert_non_null(hm);
	assert_int_equal(hm->columns, 3);
	assert_int_equal(hm->rows, 50);
	assert_true(hm->origin == 100.0);
	assert_int_equal(fs_heatmap__value(hm, 0, 25), 1);
	assert_int_equal(fs_heatmap__value(hm, 0, 49), 1);
	/* 102.02 - 102 is 0.0199999..., so FlameScope puts it in row 0, not row 1. */
	assert_int_equal(fs_heatmap__value(hm, 2, 0), 1);
	assert_int_equal(hm->total, 3);
	assert_int_equal(hm->maxvalue, 1);
	fs_heatmap__delete(hm);
	fs_filter__release(&flt);
	profile_delete(p);
}

static void test_heatmap_step_raised(void **state)
{
	struct fs_profile *p = profile_new();
	uint32_t s = stack(p, frame(p, "work", "/bin/app", FS_FRAME_USER), UINT32_MAX);
	struct fs_filter flt = { .event = -1 };
	struct fs_heatmap_opts o = { .max_columns = 100 };
	struct fs_heatmap *hm;

	(void)state;
	sample(p, 0, s, "app", 1, 0);
	sample(p, 86400ULL * 1000000000ULL, s, "app", 1, 0);	/* a day later */
	fs_filter__prepare(&flt, p, NULL);
	hm = fs_heatmap__from_profile(p, &flt, &o, NULL);
	assert_non_null(hm);
	assert_true(hm->step_raised);
	assert_true(hm->columns <= 100);
	assert_true(hm->step >= 864);
	fs_heatmap__delete(hm);
	fs_filter__release(&flt);
	profile_delete(p);
}

static void test_idle_rules(void **state)
{
	struct fs_profile *p = profile_new();
	uint32_t loop = frame(p, "do_idle", "[kernel.kallsyms]", FS_FRAME_KERNEL);
	uint32_t halt = frame(p, "pv_native_safe_halt", "[kernel.kallsyms]", FS_FRAME_KERNEL);
	uint32_t irq = frame(p, "__do_softirq", "[kernel.kallsyms]", FS_FRAME_KERNEL);
	uint32_t halted = stack(p, loop, halt, UINT32_MAX);
	uint32_t softirq = stack(p, loop, halt, irq, UINT32_MAX);

	(void)state;
	sample(p, 1, halted, "swapper", 0, 0);
	sample(p, 2, softirq, "swapper", 0, 0);
	sample(p, 3, halted, "app", 5, 0);
	assert_true(fs_profile__is_idle(p, &p->samples[0], FS_IDLE_FLAMESCOPE));
	assert_true(fs_profile__is_idle(p, &p->samples[1], FS_IDLE_FLAMESCOPE));
	assert_true(fs_profile__is_idle(p, &p->samples[0], FS_IDLE_LEAF));
	/* Interrupt work on an idle CPU is kept by the leaf rule. */
	assert_false(fs_profile__is_idle(p, &p->samples[1], FS_IDLE_LEAF));
	/* Only the idle task is idle. */
	assert_false(fs_profile__is_idle(p, &p->samples[2], FS_IDLE_FLAMESCOPE));
	assert_false(fs_idle__frame("schedule"));
	assert_true(fs_idle__frame("intel_idle"));
	profile_delete(p);
}

static char *folded(struct fs_profile *p, struct fs_filter *flt, struct fs_fold_opts *fo)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	assert_int_equal(fs_filter__prepare(flt, p, NULL), 0);
	assert_int_equal(fs_profile__write_folded(p, flt, fo, f, NULL), 0);
	fclose(f);
	fs_filter__release(flt);
	return buf;
}

static void test_fold_names(void **state)
{
	struct fs_profile *p = profile_new();
	uint32_t main_ = frame(p, "main", "/usr/bin/my app", FS_FRAME_USER);
	uint32_t cxx = frame(p, "ns::Foo::bar(int, char const*)", "/usr/bin/my app", FS_FRAME_USER);
	uint32_t anon = frame(p, "v8::(anonymous namespace)::Invoke", "/usr/lib/libv8.so", FS_FRAME_USER);
	uint32_t unk = frame(p, "[unknown]", "/usr/lib/libc.so.6", FS_FRAME_USER);
	uint32_t unk2 = frame(p, "[unknown]", "[unknown]", FS_FRAME_USER);
	uint32_t k = frame(p, "schedule", "[kernel.kallsyms]", FS_FRAME_KERNEL);
	uint32_t go = frame(p, "runtime.(*mheap).alloc", "/bin/go", FS_FRAME_USER);
	uint32_t jit = frame(p, "Lfoo/Bar;::baz->inl", "/tmp/perf-42.map", FS_FRAME_JIT);
	uint32_t semi = frame(p, "a;b\"c'", "/bin/x", FS_FRAME_USER);
	struct fs_filter flt = { .event = -1, .include_idle = true };
	struct fs_fold_opts fo = { .kernel = true, .jit = true };
	char *out;

	(void)state;
	sample(p, 10, stack(p, main_, cxx, anon, unk, unk2, k, UINT32_MAX), "my comm", 7, 0);
	sample(p, 11, stack(p, go, UINT32_MAX), "go", 8, 0);
	sample(p, 12, stack(p, jit, semi, UINT32_MAX), "java", 9, 0);
	sample(p, 13, stack(p, jit, semi, UINT32_MAX), "java", 9, 0);
	out = folded(p, &flt, &fo);
	assert_string_equal(out,
		"go;runtime.(*mheap).alloc 1\n"
		"java;foo/Bar:::baz_[j];inl_[i];a:bc 2\n"
		"my_comm;main;ns::Foo::bar;v8::(anonymous namespace)::Invoke;[libc.so.6];[unknown];schedule_[k] 1\n");
	free(out);
	profile_delete(p);
}

static void test_fold_roots_and_weight(void **state)
{
	struct fs_profile *p = profile_new();
	uint32_t s = stack(p, frame(p, "f(int)", "/a", FS_FRAME_USER), UINT32_MAX);
	uint32_t s2 = stack(p, frame(p, "f(char)", "/a", FS_FRAME_USER), UINT32_MAX);
	struct fs_filter flt = { .event = -1, .weight = FS_WEIGHT_PERIOD };
	struct fs_fold_opts fo = { .pid = true };
	char *out;

	(void)state;
	sample(p, 10, s, "app", 3, 0);
	sample(p, 11, s2, "app", 3, 0);	/* folds to the same name: one line, summed */
	out = folded(p, &flt, &fo);
	assert_string_equal(out, "app-3;f 2000\n");
	free(out);
	profile_delete(p);
}

static void test_flame_range(void **state)
{
	struct fs_profile *p = profile_new();
	uint32_t a = frame(p, "a", "/x", FS_FRAME_USER), b = frame(p, "b", "/x", FS_FRAME_USER);
	uint32_t c = frame(p, "c", "/x", FS_FRAME_USER);
	struct fs_filter flt = { .event = -1, .has_start = true, .start = 1, .has_end = true, .end = 1.5 };
	struct fs_fold_opts fo = { 0 };
	struct fs_flame *fl;
	uint32_t n, depth;

	(void)state;
	sample(p, 5000000000ULL, stack(p, a, b, UINT32_MAX), "app", 1, 0);	/* offset 0: out */
	sample(p, 6000000000ULL, stack(p, a, c, UINT32_MAX), "app", 1, 0);	/* offset 1: in (inclusive) */
	sample(p, 6200000000ULL, stack(p, a, b, UINT32_MAX), "app", 1, 0);
	sample(p, 6500000000ULL, stack(p, a, c, UINT32_MAX), "app", 1, 0);	/* offset 1.5: in */
	sample(p, 6600000000ULL, stack(p, a, c, UINT32_MAX), "app", 1, 0);	/* out */
	fs_filter__prepare(&flt, p, NULL);
	fl = fs_flame__from_profile(p, &flt, &fo, NULL);
	assert_non_null(fl);
	assert_int_equal(fl->nodes[0].value, 3);
	n = fl->nodes[0].first_child;			/* app */
	assert_string_equal(fl->nodes[n].name, "app");
	n = fl->nodes[n].first_child;			/* a */
	assert_int_equal(fl->nodes[n].value, 3);
	n = fl->nodes[n].first_child;			/* b, then c: sorted by name */
	assert_string_equal(fl->nodes[n].name, "b");
	assert_int_equal(fl->nodes[n].value, 1);
	n = fl->nodes[n].next_sibling;
	assert_string_equal(fl->nodes[n].name, "c");
	assert_int_equal(fl->nodes[n].value, 2);
	/* c is a leaf three levels under the root */
	assert_int_equal(fl->nodes[n].first_child, 0);
	for (depth = 0; n; n = fl->nodes[n].parent)
		depth++;
	assert_int_equal(depth, 3);



	/* Differential: against offsets 0..0.5, normalised to the same total. */
	struct fs_filter f2 = flt;
	f2.start = 0;
	f2.end = 0.5;
	f2.comm_ids = NULL;
	assert_int_equal(fs_flame__add_compare(fl, p, &f2, &fo, true, NULL), 0);
	assert_true(fl->differential);
	assert_int_equal(fl->nodes[0].value_b, 3);	/* 1 sample scaled to 3 */
	fs_flame__delete(fl);
	fs_filter__release(&flt);
	profile_delete(p);
}

static void test_filters(void **state)
{
	struct fs_profile *p = profile_new();
	uint32_t s = stack(p, frame(p, "f", "/a", FS_FRAME_USER), UINT32_MAX);
	const char *comms[] = { "b" };
	int32_t pids[] = { 2 };
	struct fs_filter flt = { .event = -1, .comms = comms, .nr_comms = 1 };

	(void)state;
	sample(p, 1, s, "a", 1, 0);
	sample(p, 2, s, "b", 2, 0);
	fs_filter__prepare(&flt, p, NULL);
	assert_false(fs_filter__match(&flt, p, &p->samples[0]));
	assert_true(fs_filter__match(&flt, p, &p->samples[1]));
	fs_filter__release(&flt);
	flt = (struct fs_filter){ .event = -1, .pids = pids, .nr_pids = 1 };
	fs_filter__prepare(&flt, p, NULL);
	assert_false(fs_filter__match(&flt, p, &p->samples[0]));
	assert_true(fs_filter__match(&flt, p, &p->samples[1]));
	assert_int_equal(fs_profile__event(p, "cpu-clock"), 0);
	assert_int_equal(fs_profile__event(p, "page-faults"), 1);
	assert_int_equal(fs_profile__event(p, "cycles"), -1);
	assert_int_equal(fs_profile__lower_bound(p, 2), 1);
	fs_filter__release(&flt);
	profile_delete(p);
}

/* The x of the frame whose tooltip starts with title, in an SVG flame graph. */
static double frame_x(const char *svg, const char *title)
{
	const char *t = strstr(svg, title), *x;

	assert_non_null(t);
	x = strstr(t, "x=\"");
	assert_non_null(x);
	return strtod(x + 3, NULL);
}

static void test_flame_self_left(void **state)
{
	const char *short_stack[] = { "app", "a" }, *long_stack[] = { "app", "a", "b" };
	struct fs_flame_style st;
	struct fs_flame *fl = fs_flame__new(NULL);
	char *svg = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&svg, &len);

	(void)state;
	fs_flame_style__init(&st);
	assert_int_equal(fs_flame__add(fl, short_stack, NULL, 2, 3, 0, NULL), 0);
	assert_int_equal(fs_flame__add(fl, long_stack, NULL, 3, 5, 0, NULL), 0);
	assert_int_equal(fs_flame__write_svg(fl, &st, f, NULL), 0);
	fclose(f);
	/* flamegraph.pl: a's own 3 samples come first, b starts 3/8 of the way in. */
	assert_true(frame_x(svg, "<title>a (") < 10.5);
	assert_true(fabs(frame_x(svg, "<title>b (") - (10 + 1180.0 * 3 / 8)) < 0.51);
	free(svg);
	fs_flame__delete(fl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heatmap_cells),
		cmocka_unit_test(test_heatmap_step_raised),
		cmocka_unit_test(test_idle_rules),
		cmocka_unit_test(test_fold_names),
		cmocka_unit_test(test_fold_roots_and_weight),
		cmocka_unit_test(test_flame_range),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_flame_self_left),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
