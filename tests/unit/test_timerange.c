// SPDX-License-Identifier: GPL-2.0-only
/*
 * timerange: perf's --time syntax. Expected bounds are worked out by hand from
 * perf 6.1's util/time-utils.c rules (right-padded fractions, round() of the
 * percentages, "end - 1" unless at the last sample, overlap refusal).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "timerange.h"

#define S 1000000000ULL

static struct fs_timerange *parse_ok(const char *spec, uint64_t first, uint64_t last)
{
	struct fs_timerange *tr = NULL;
	struct fs_error err;

	assert_int_equal(fs_timerange__parse(spec, first, last, &tr, &err), 0);
	assert_non_null(tr);
	return tr;
}

static void parse_bad(const char *spec, uint64_t first, uint64_t last)
{
	struct fs_timerange *tr = NULL;
	struct fs_error err;

	assert_int_equal(fs_timerange__parse(spec, first, last, &tr, &err), -1);
	assert_null(tr);
}

static void test_time_strings(void **state)
{
	uint64_t ns;

	(void)state;
	assert_int_equal(fs_timerange__parse_time("12", &ns), 0);
	assert_int_equal(ns, 12 * S);
	assert_int_equal(fs_timerange__parse_time("12.5", &ns), 0);
	assert_int_equal(ns, 12 * S + 500000000);
	assert_int_equal(fs_timerange__parse_time("3.000000007", &ns), 0);
	assert_int_equal(ns, 3 * S + 7);
	assert_int_equal(fs_timerange__parse_time("3.0000000071", &ns), -1);	/* > 9 digits */
	assert_int_equal(fs_timerange__parse_time("3.5x", &ns), -1);
	assert_int_equal(fs_timerange__parse_time("3s", &ns), -1);
}

static void test_absolute(void **state)
{
	struct fs_timerange *tr;

	(void)state;
	tr = parse_ok("10.25,11", 0, 0);
	assert_int_equal(tr->nr, 1);
	assert_int_equal(tr->r[0].start, 10 * S + 250000000);
	assert_int_equal(tr->r[0].end, 11 * S);
	fs_timerange__delete(tr);

	tr = parse_ok(",11", 0, 0);
	assert_int_equal(tr->r[0].start, 0);
	assert_int_equal(tr->r[0].end, 11 * S);
	fs_timerange__delete(tr);

	tr = parse_ok("11,", 0, 0);
	assert_int_equal(tr->r[0].start, 11 * S);
	assert_int_equal(tr->r[0].end, 0);
	fs_timerange__delete(tr);

	tr = parse_ok("1,2 3.5,4", 0, 0);
	assert_int_equal(tr->nr, 2);
	assert_int_equal(tr->r[1].start, 3 * S + S / 2);
	assert_int_equal(tr->r[1].end, 4 * S);
	fs_timerange__delete(tr);

	parse_bad("2,1", 0, 0);		/* stop before start */
	parse_bad("12", 0, 0);		/* no comma */
	parse_bad("1,3 2,4", 0, 0);	/* overlapping ranges */
	parse_bad("1,2,3", 0, 0);
}

static void test_percent(void **state)
{
	uint64_t first = 100 * S, last = 101 * S;
	struct fs_timerange *tr;
	struct fs_error err;

	(void)state;
	tr = parse_ok("10%/2", first, last);
	assert_int_equal(tr->nr, 1);
	assert_int_equal(tr->r[0].start, first + S / 10);
	assert_int_equal(tr->r[0].end, first + 2 * S / 10 - 1);
	fs_timerange__delete(tr);

	tr = parse_ok("0%-10%,90%-100%", first, last);
	assert_int_equal(tr->nr, 2);
	assert_int_equal(tr->r[0].start, first);
	assert_int_equal(tr->r[0].end, first + S / 10 - 1);
	assert_int_equal(tr->r[1].start, first + 9 * S / 10);
	assert_int_equal(tr->r[1].end, last);	/* ends at the last sample: no -1 */
	fs_timerange__delete(tr);

	tr = parse_ok("10%/1,10%/3", first, last);
	assert_int_equal(tr->nr, 2);
	assert_int_equal(tr->r[1].start, first + 2 * S / 10);
	assert_int_equal(tr->r[1].end, first + 3 * S / 10 - 1);
	fs_timerange__delete(tr);

	tr = parse_ok("25%", first, last);
	assert_int_equal(tr->r[0].start, first);
	assert_int_equal(tr->r[0].end, first + S / 4 - 1);
	fs_timerange__delete(tr);

	parse_bad("10%/11", first, last);	/* beyond 100% */
	parse_bad("0%/1", first, last);
	parse_bad("25", first, last);
	/* perf ignores what follows the %: "10%x/2" is "10%/2" */
	fs_timerange__delete(parse_ok("10%x/2", first, last));
	/* percentages need the header's sample times */
	assert_int_equal(fs_timerange__parse("10%/2", 0, 0, &tr, &err), -1);
}

static void test_reltime(void **state)
{
	struct fs_timerange *tr = NULL;
	struct fs_error err;

	(void)state;
	assert_int_equal(fs_timerange__parse_rel("0.1,0.2", 5 * S, 6 * S, true, &tr, &err), 0);
	assert_int_equal(tr->r[0].start, 5 * S + S / 10);
	assert_int_equal(tr->r[0].end, 5 * S + 2 * S / 10);
	fs_timerange__delete(tr);
	/* perf shifts percentages too (they are already absolute) */
	assert_int_equal(fs_timerange__parse_rel("50%/2", 5 * S, 6 * S, true, &tr, &err), 0);
	assert_int_equal(tr->r[0].start, 5 * S + 5 * S + S / 2);
	fs_timerange__delete(tr);
}

static void test_contains(void **state)
{
	struct fs_timerange *tr;

	(void)state;
	assert_true(fs_timerange__contains(NULL, 5));
	tr = parse_ok("10,20", 0, 0);
	assert_false(fs_timerange__contains(tr, 10 * S - 1));
	assert_true(fs_timerange__contains(tr, 10 * S));
	assert_true(fs_timerange__contains(tr, 20 * S));
	assert_false(fs_timerange__contains(tr, 20 * S + 1));
	assert_true(fs_timerange__contains(tr, 0));	/* no time: kept, as perf does */
	fs_timerange__delete(tr);

	tr = parse_ok("10,", 0, 0);
	assert_true(fs_timerange__contains(tr, 1000 * S));
	assert_false(fs_timerange__contains(tr, 9 * S));
	fs_timerange__delete(tr);

	tr = parse_ok("1,2 5,", 0, 0);
	assert_true(fs_timerange__contains(tr, 1 * S));
	assert_false(fs_timerange__contains(tr, 3 * S));
	assert_true(fs_timerange__contains(tr, 50 * S));
	fs_timerange__delete(tr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_time_strings),
		cmocka_unit_test(test_absolute),
		cmocka_unit_test(test_percent),
		cmocka_unit_test(test_reltime),
		cmocka_unit_test(test_contains),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
