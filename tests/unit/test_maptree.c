// SPDX-License-Identifier: GPL-2.0-only
/*
 * maptree: a process's maps by start. Checked against a plain sorted array
 * (insert after equal starts, remove by pointer, first end above an address)
 * on inserts in rising, falling and alternating-around-the-middle order (the
 * order that made the old array move half of itself per insert), with equal
 * starts and removals mixed in.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "maptree.h"

struct range {
	uint64_t start, end;
};

struct model {
	struct range *v[4096];
	uint32_t n;
};

static void model_insert(struct model *m, struct range *r)
{
	uint32_t i = 0;

	while (i < m->n && m->v[i]->start <= r->start)
		i++;
	memmove(m->v + i + 1, m->v + i, (m->n - i) * sizeof(*m->v));
	m->v[i] = r;
	m->n++;
}

static void model_remove(struct model *m, const struct range *r)
{
	for (uint32_t i = 0; i < m->n; i++) {
		if (m->v[i] == r) {
			memmove(m->v + i, m->v + i + 1, (m->n - i - 1) * sizeof(*m->v));
			m->n--;
			return;
		}
	}
}

struct walk {
	const struct model *m;
	uint32_t i;
};

static int check_one(void *ctx, void *item)
{
	struct walk *w = ctx;

	assert_true(w->i < w->m->n);
	assert_ptr_equal(item, w->m->v[w->i]);
	w->i++;
	return 0;
}

static int stop_at_third(void *ctx, void *item)
{
	uint32_t *n = ctx;

	(void)item;
	return ++*n == 3 ? 7 : 0;
}

/* Same items in the same order, and first_above agrees at every boundary. */
static void check(const struct fs_maptree *t, const struct model *m)
{
	struct walk w = { m, 0 };

	assert_int_equal(t->nr, m->n);
	assert_int_equal(fs_maptree__for_each(t, check_one, &w), 0);
	assert_int_equal(w.i, m->n);
	for (uint32_t i = 0; i < m->n; i++) {
		uint64_t probes[] = { m->v[i]->start, m->v[i]->end - 1, m->v[i]->end };

		for (int k = 0; k < 3; k++) {
			uint32_t j = 0;

			while (j < m->n && m->v[j]->end <= probes[k])
				j++;
			assert_ptr_equal(fs_maptree__first_above(t, probes[k]), j < m->n ? m->v[j] : NULL);
		}
	}
}

/* Non-overlapping ranges [10 k, 10 k + 5) arriving in the order key(i) gives. */
static void run_order(uint32_t n, uint32_t (*key)(uint32_t i, uint32_t n))
{
	static struct range r[4096];
	struct fs_maptree t = { 0 };
	struct model m = { .n = 0 };

	for (uint32_t i = 0; i < n; i++) {
		uint32_t k = key(i, n);

		r[i] = (struct range){ 10ull * k, 10ull * k + 5 };
		assert_int_equal(fs_maptree__insert(&t, r[i].start, r[i].end, &r[i]), 0);
		model_insert(&m, &r[i]);
	}
	check(&t, &m);
	for (uint32_t i = 0; i < n; i += 3) {	/* every third, then a missing one */
		assert_true(fs_maptree__remove(&t, r[i].start, &r[i]));
		model_remove(&m, &r[i]);
	}
	assert_false(fs_maptree__remove(&t, r[0].start, &r[0]));
	check(&t, &m);
	fs_maptree__exit(&t);
	assert_int_equal(t.nr, 0);
	assert_null(fs_maptree__first_above(&t, 0));
}

static uint32_t rising(uint32_t i, uint32_t n)
{
	(void)n;
	return i;
}

static uint32_t falling(uint32_t i, uint32_t n)
{
	return n - 1 - i;
}

/* Below and above the middle in turn: mid, mid - 1, mid + 1, mid - 2, ... */
static uint32_t around_middle(uint32_t i, uint32_t n)
{
	return i % 2 ? n / 2 - 1 - i / 2 : n / 2 + i / 2;
}

static void test_orders(void **state)
{
	(void)state;
	run_order(1, rising);
	run_order(1000, rising);
	run_order(1000, falling);
	run_order(1000, around_middle);
	run_order(4000, around_middle);
}

/* Equal starts keep insertion order; removing one leaves the others in place. */
static void test_equal_starts(void **state)
{
	static struct range r[64];
	struct fs_maptree t = { 0 };
	struct model m = { .n = 0 };
	uint32_t seen = 0;

	(void)state;
	for (uint32_t i = 0; i < 64; i++) {
		r[i] = (struct range){ 100 * (i % 4), 100 * (i % 4) + 50 + i };
		assert_int_equal(fs_maptree__insert(&t, r[i].start, r[i].end, &r[i]), 0);
		model_insert(&m, &r[i]);
	}
	for (uint32_t i = 5; i < 64; i += 7) {
		assert_true(fs_maptree__remove(&t, r[i].start, &r[i]));
		model_remove(&m, &r[i]);
	}
	{
		struct walk w = { &m, 0 };

		assert_int_equal(fs_maptree__for_each(&t, check_one, &w), 0);
		assert_int_equal(w.i, m.n);
	}
	/* a callback's non-zero stops the walk and comes back */
	assert_int_equal(fs_maptree__for_each(&t, stop_at_third, &seen), 7);
	assert_int_equal(seen, 3);
	fs_maptree__exit(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_equal_starts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
