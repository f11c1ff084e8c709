// SPDX-License-Identifier: GPL-2.0-only
/*
 * The profile built by name (as perf's dlfilter builds it) and the chain cache
 * the loader uses: interning, the stable time sort, idle flags, exact keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "chaincache.h"
#include "profile.h"

static void add(struct fs_profile *p, uint64_t t, uint64_t period, const char *comm,
		const char *leaf, const char *root)
{
	const char *syms[] = { leaf, root }, *dsos[] = { "[kernel.kallsyms]", "/bin/app" };
	struct fs_profile_sample s = { .time = t, .period = period, .pid = 1, .tid = 1 };

	assert_int_equal(fs_profile__add(p, &s, comm, syms, dsos, 2, NULL), 0);
}

static void test_build_by_name(void **state)
{
	const char *events[] = { "cpu-clock:pppH" };
	struct fs_profile *p = fs_profile__new(NULL);

	(void)state;
	assert_non_null(p);
	assert_int_equal(fs_profile__set_events(p, events, 1, NULL), 0);
	add(p, 30, 1, "app", "leaf", "main");
	add(p, 10, 2, "app", "leaf", "main");	/* out of order */
	add(p, 30, 3, "swapper", "pv_native_safe_halt", "main");
	add(p, 20, 4, "app", "other", "main");
	assert_int_equal(fs_profile__finish(p, NULL), 0);

	assert_int_equal(p->nr_samples, 4);
	/* Sorted by time, equal times in the order they were added. */
	assert_int_equal(p->samples[0].period, 2);
	assert_int_equal(p->samples[1].period, 4);
	assert_int_equal(p->samples[2].period, 1);
	assert_int_equal(p->samples[3].period, 3);
	assert_int_equal(p->first_time, 10);
	assert_int_equal(p->last_time, 30);
	/* Same frames, same stack; frames interned once. */
	assert_int_equal(p->samples[0].stack, p->samples[2].stack);
	assert_int_not_equal(p->samples[0].stack, p->samples[1].stack);
	assert_int_equal(p->nr_frames, 4);		/* leaf, main, halt, other */
	assert_int_equal(p->stacks[p->samples[0].stack].depth, 2);
	assert_string_equal(fs_profile__str(p, p->frames[p->stacks[p->samples[0].stack].frame].sym), "leaf");
	/* Idle flags come with the stack. */
	assert_true(p->stacks[p->samples[3].stack].idle & FS_STACK_IDLE_LEAF);
	assert_false(p->stacks[p->samples[0].stack].idle);
	assert_int_equal(p->frames[p->stacks[p->samples[0].stack].frame].kind, FS_FRAME_KERNEL);
	assert_int_equal(fs_profile__lower_bound(p, 30), 2);
	assert_int_equal(fs_profile__add(p, &p->samples[0], "x", NULL, NULL, 0, NULL), -1);
	fs_profile__delete(p);
}

static void test_chaincache(void **state)
{
	struct fs_chaincache *c = fs_chaincache__new(16 << 20);
	uint64_t a[] = { 1, 0x400000, 1, 0x400100 }, b[] = { 1, 0x400000, 2, 0x400100 };
	uint64_t ha = fs_chaincache__hash(a, 4), hb = fs_chaincache__hash(b, 4);

	(void)state;
	assert_non_null(c);
	assert_int_equal(fs_chaincache__get(c, a, 4, ha), UINT32_MAX);
	fs_chaincache__put(c, a, 4, ha, 7);
	assert_int_equal(fs_chaincache__get(c, a, 4, ha), 7);
	/* Keys are compared whole: a forced equal hash does not give a false hit. */
	assert_int_equal(fs_chaincache__get(c, b, 4, ha), UINT32_MAX);
	assert_int_equal(fs_chaincache__get(c, a, 2, fs_chaincache__hash(a, 2)), UINT32_MAX);
	fs_chaincache__put(c, b, 4, hb, 8);
	assert_int_equal(fs_chaincache__get(c, b, 4, hb), 8);
	/* Many entries: growth keeps them all. */
	for (uint64_t i = 0; i < 20000; i++) {
		uint64_t k[2] = { i, i * 3 };

		fs_chaincache__put(c, k, 2, fs_chaincache__hash(k, 2), (uint32_t)i);
	}
	for (uint64_t i = 0; i < 20000; i += 997) {
		uint64_t k[2] = { i, i * 3 };

		assert_int_equal(fs_chaincache__get(c, k, 2, fs_chaincache__hash(k, 2)), i);
	}
	fs_chaincache__delete(c);
}

static void test_chaincache_budget(void **state)
{
	struct fs_chaincache *c = fs_chaincache__new(64 * 1024);
	uint64_t first[2] = { 42, 42 };

	(void)state;
	fs_chaincache__put(c, first, 2, fs_chaincache__hash(first, 2), 1);
	/* Past the budget the cache starts over instead of growing. */
	for (uint64_t i = 0; i < 100000; i++) {
		uint64_t k[2] = { i, ~i };

		fs_chaincache__put(c, k, 2, fs_chaincache__hash(k, 2), 2);
	}
	assert_int_equal(fs_chaincache__get(c, first, 2, fs_chaincache__hash(first, 2)), UINT32_MAX);
	fs_chaincache__delete(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_build_by_name),
		cmocka_unit_test(test_chaincache),
		cmocka_unit_test(test_chaincache_budget),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
