// SPDX-License-Identifier: GPL-2.0-only
/*
 * palette: heat scales, flamegraph.pl's frame colours (checked against Perl's
 * own rand() and hand-computed namehash values) and the differential scale.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "flame.h"
#include "palette.h"

#define assert_rgb(c, R, G, B) do {				\
		struct fs_rgb _c = (c);				\
		assert_int_equal(_c.r, R);			\
		assert_int_equal(_c.g, G);			\
		assert_int_equal(_c.b, B);			\
	} while (0)

static void test_heat_flamescope(void **state)
{
	(void)state;
	/* FlameScope's d3 scale: #FFFFFF at 0, #FF5032 at max/2, #E50914 at max */
	assert_rgb(fs_palette__heat(NULL, 0, 10), 255, 255, 255);
	assert_rgb(fs_palette__heat("flamescope", 5, 10), 0xff, 0x50, 0x32);
	assert_rgb(fs_palette__heat("flamescope", 10, 10), 0xe5, 0x09, 0x14);
	assert_rgb(fs_palette__heat("flamescope", 99, 10), 0xe5, 0x09, 0x14);
	/* a quarter: halfway from white to #FF5032, rounded half up like Math.round */
	assert_rgb(fs_palette__heat("flamescope", 1, 4), 255, 168, 153);
	/* max 0 (an empty map) must not divide by zero */
	assert_rgb(fs_palette__heat(NULL, 3, 0), 255, 255, 255);
	assert_true(fs_palette__heat_valid("flamescope"));
	assert_true(fs_palette__heat_valid("viridis"));
	assert_false(fs_palette__heat_valid("jet"));
}

static void test_heat_viridis(void **state)
{
	uint64_t v;
	int last = 3 * 256;

	(void)state;
	assert_rgb(fs_palette__heat("viridis", 0, 100), 255, 255, 255);
	assert_rgb(fs_palette__heat("viridis", 1, 100), 0xfd, 0xe7, 0x25);
	assert_rgb(fs_palette__heat("viridis", 100, 100), 0x44, 0x01, 0x54);
	/* darker as the count grows, so "more" reads the same as FlameScope's */
	for (v = 1; v <= 100; v++) {
		struct fs_rgb c = fs_palette__heat("viridis", v, 100);
		int sum = c.r + c.g + c.b;

		assert_true(sum <= last);
		last = sum;
	}
}

/* Perl's rand(1) after srand(seed): the oracle for flamegraph.pl's default colours. */
static double perl_rand(unsigned seed)
{
	char cmd[128], buf[64] = "";
	FILE *p;

	snprintf(cmd, sizeof(cmd), "perl -e 'srand(%u); printf(\"%%.17g\", rand(1))'", seed);
	p = popen(cmd, "r");
	assert_non_null(p);
	assert_non_null(fgets(buf, sizeof(buf), p));
	pclose(p);
	return strtod(buf, NULL);
}

static void test_frame_matches_perl(void **state)
{
	static const char *const names[] = { "main", "foo", "__libc_start_main", "std::vector<int>::push_back", "" };
	unsigned i;

	(void)state;
	if (system("perl -e 1 2>/dev/null") != 0) {
		print_message("perl is not installed\n");
		skip();
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		unsigned sum = 0;
		const char *s;
		double v;

		for (s = names[i]; *s; s++)
			sum += (unsigned char)*s;
		v = perl_rand(sum);
		/* flamegraph.pl hot: r = 205 + int(50 v3), g = int(230 v1), b = int(55 v2) */
		assert_rgb(fs_palette__frame("hot", names[i], FS_FRAME_USER, false),
			   205 + (int)(50 * v), (int)(230 * v), (int)(55 * v));
		assert_rgb(fs_palette__frame("blue", names[i], FS_FRAME_USER, false),
			   80 + (int)(60 * v), 80 + (int)(60 * v), 205 + (int)(50 * v));
	}
}

static void test_frame_hash(void **state)
{
	(void)state;
	/*
	 * namehash("abc") by hand: a 97%10=7 -> 7/9; b 98%11=10 -> 10/10*0.7;
	 * c 99%12=3 -> 3/11*0.49; max 1+1+0.7+0.49 = 3.19 -> 1-1.611414/3.19 = 0.494855.
	 * "cba": 9/9 + 10/10*0.7 + 1/11*0.49 -> 1-1.744545/3.19 = 0.453121.
	 * hot: r = 205+int(50*0.453121) = 227, g = int(230*0.494855) = 113, b = int(55*0.453121) = 24
	 */
	assert_rgb(fs_palette__frame("hot", "abc", FS_FRAME_USER, true), 227, 113, 24);
	/* namehash drops a "module`" prefix: v1 (all red uses) is then the same */
	assert_rgb(fs_palette__frame("red", "libc.so`abc", FS_FRAME_USER, true),
		   fs_palette__frame("red", "abc", FS_FRAME_USER, true).r,
		   fs_palette__frame("red", "abc", FS_FRAME_USER, true).g,
		   fs_palette__frame("red", "abc", FS_FRAME_USER, true).b);
	/* v1 (hot's green) weighs only the first three bytes, v2 the last three */
	assert_int_equal(fs_palette__frame("hot", "abcdef", FS_FRAME_USER, true).g,
			 fs_palette__frame("hot", "abcxyz", FS_FRAME_USER, true).g);
	assert_int_equal(fs_palette__frame("hot", "xyzabc", FS_FRAME_USER, true).b,
			 fs_palette__frame("hot", "abc", FS_FRAME_USER, true).b);
}

static void test_frame_deterministic(void **state)
{
	struct fs_rgb a, b, c;

	(void)state;
	a = fs_palette__frame("hot", "do_syscall_64", FS_FRAME_KERNEL, false);
	b = fs_palette__frame("hot", "do_syscall_64", FS_FRAME_KERNEL, false);
	c = fs_palette__frame("hot", "do_syscall_65", FS_FRAME_KERNEL, false);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_memory_not_equal(&a, &c, sizeof(a));
	/* NULL scheme is flamegraph.pl's default, hot */
	b = fs_palette__frame(NULL, "do_syscall_64", FS_FRAME_KERNEL, false);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_true(fs_palette__frame_valid("java"));
	assert_true(fs_palette__frame_valid("orange"));
	assert_false(fs_palette__frame_valid("chartreuse"));
}

enum hue { RED, GREEN, AQUA, YELLOW, ORANGE, OTHER };

/* Which of flamegraph.pl's palettes a colour came from (their ranges are disjoint). */
static enum hue hue(struct fs_rgb c)
{
	if (c.r >= 200 && c.g == c.b && c.g >= 50 && c.g < 130)
		return RED;
	if (c.g >= 200 && c.r == c.b && c.r >= 50 && c.r < 110)
		return GREEN;
	if (c.g == c.b && c.g >= 165 && c.r >= 50 && c.r < 110)
		return AQUA;
	if (c.r == c.g && c.r >= 175 && c.r < 230 && c.b >= 50 && c.b < 70)
		return YELLOW;
	if (c.b == 0 && c.r >= 190 && c.g >= 90 && c.g < 155)
		return ORANGE;
	return OTHER;
}

static void test_frame_java(void **state)
{
	(void)state;
	assert_int_equal(hue(fs_palette__frame("java", "Interpreter", FS_FRAME_JIT, false)), GREEN);
	assert_int_equal(hue(fs_palette__frame("java", "Foo.bar", FS_FRAME_INLINED, false)), AQUA);
	assert_int_equal(hue(fs_palette__frame("java", "java/lang/Thread.run", FS_FRAME_USER, false)), GREEN);
	assert_int_equal(hue(fs_palette__frame("java", "Lcom/netflix/Foo;.bar", FS_FRAME_USER, false)), GREEN);
	assert_int_equal(hue(fs_palette__frame("java", "Foo:::bar", FS_FRAME_USER, false)), GREEN);
	assert_int_equal(hue(fs_palette__frame("java", "JavaThread::run", FS_FRAME_USER, false)), YELLOW);
	assert_int_equal(hue(fs_palette__frame("java", "do_syscall_64", FS_FRAME_KERNEL, false)), ORANGE);
	assert_int_equal(hue(fs_palette__frame("java", "__libc_start_main", FS_FRAME_USER, false)), RED);
	/* flamegraph.pl tests :: before _[k]: a C++-looking kernel name is yellow */
	assert_int_equal(hue(fs_palette__frame("java", "a::b", FS_FRAME_KERNEL, false)), YELLOW);
	/* flamegraph.pl tests _[j], then _[i], then the package names */
	assert_int_equal(hue(fs_palette__frame("java", "org/x/Y.z", FS_FRAME_INLINED, false)), AQUA);
	/* the fixed palettes ignore the kind */
	assert_int_equal(hue(fs_palette__frame("orange", "foo", FS_FRAME_USER, false)), ORANGE);
	assert_int_equal(hue(fs_palette__frame("aqua", "foo", FS_FRAME_KERNEL, false)), AQUA);
}

static void test_frame_js_perl(void **state)
{
	(void)state;
	assert_int_equal(hue(fs_palette__frame("js", "LazyCompile:foo /a/b.js:1", FS_FRAME_JIT, false)), GREEN);
	assert_int_equal(hue(fs_palette__frame("js", "Builtin:ArgumentsAdaptor", FS_FRAME_JIT, false)), AQUA);
	assert_int_equal(hue(fs_palette__frame("js", "node::Start", FS_FRAME_USER, false)), YELLOW);
	assert_int_equal(hue(fs_palette__frame("js", "sys_write", FS_FRAME_KERNEL, false)), ORANGE);
	assert_int_equal(hue(fs_palette__frame("perl", "Perl_pp_entersub", FS_FRAME_USER, false)), GREEN);
	assert_int_equal(hue(fs_palette__frame("perl", "Foo::bar", FS_FRAME_USER, false)), YELLOW);
	assert_int_equal(hue(fs_palette__frame("perl", "read", FS_FRAME_USER, false)), RED);
}

static void test_diff(void **state)
{
	(void)state;
	assert_rgb(fs_palette__diff(10, 10, 10, false), 255, 255, 255);
	/* grew by the max delta: full red; shrank by it: full blue */
	assert_rgb(fs_palette__diff(20, 10, 10, false), 255, 0, 0);
	assert_rgb(fs_palette__diff(10, 20, 10, false), 0, 0, 255);
	/* half the max: int(210 * 5/10) = 105 */
	assert_rgb(fs_palette__diff(15, 10, 10, false), 255, 105, 105);
	assert_rgb(fs_palette__diff(5, 10, 10, false), 105, 105, 255);
	/* negate swaps the hues */
	assert_rgb(fs_palette__diff(20, 10, 10, true), 0, 0, 255);
	assert_rgb(fs_palette__diff(10, 20, 10, true), 255, 0, 0);
	/* max 0 is treated as 1, never a division by zero */
	assert_rgb(fs_palette__diff(1, 0, 0, false), 255, 0, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_heat_flamescope),
		cmocka_unit_test(test_heat_viridis),
		cmocka_unit_test(test_frame_matches_perl),
		cmocka_unit_test(test_frame_hash),
		cmocka_unit_test(test_frame_deterministic),
		cmocka_unit_test(test_frame_java),
		cmocka_unit_test(test_frame_js_perl),
		cmocka_unit_test(test_diff),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
