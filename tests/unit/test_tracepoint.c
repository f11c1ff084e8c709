// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracepoint: tracing data laid out as perf's util/trace-event-info.c writes
 * it, built here by hand around one made-up event whose print format decides
 * the expected text ("pid=%d name=%s"): parsing, printing, fields, filters,
 * and every truncation of the data refused without reading past its end.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <glob.h>
#include <stdio.h>
#include "tracepoint.h"

#define EVENT_ID 7

/*
 * Under ASan: libtraceevent 1.7 leaks parts of a filter it refuses (its
 * error paths); those are its leaks, not ours. It has no frame pointers, so
 * unwind slowly to see that the allocations come from it.
 */
const char *__asan_default_options(void);
const char *__lsan_default_suppressions(void);
const char *__asan_default_options(void)
{
	return "fast_unwind_on_malloc=0";
}

const char *__lsan_default_suppressions(void)
{
	return "leak:libtraceevent.so\n";
}

static const char header_page[] =
	"\tfield: u64 timestamp;\toffset:0;\tsize:8;\tsigned:0;\n"
	"\tfield: local_t commit;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\tfield: int overwrite;\toffset:8;\tsize:1;\tsigned:1;\n"
	"\tfield: char data;\toffset:16;\tsize:4080;\tsigned:1;\n";

static const char event_format[] =
	"name: tp_demo\n"
	"ID: 7\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int pid;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:__data_loc char[] name;\toffset:12;\tsize:4;\tsigned:1;\n"
	"\n"
	"print fmt: \"pid=%d name=%s\", REC->pid, __get_str(name)\n";

/* A second event whose print format names its flag values. */
static const char flags_format[] =
	"name: tp_flags\n"
	"ID: 8\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:long state;\toffset:8;\tsize:8;\tsigned:1;\n"
	"\n"
	"print fmt: \"state=%s\", (REC->state & 0xff) ? __print_flags(REC->state & 0xff, \"|\", "
	"{ 0x01, \"S\" }, { 0x02, \"D\" }) : \"R\"\n";

struct blob {
	uint8_t b[8192];
	size_t n;
};

static void put(struct blob *b, const void *p, size_t n)
{
	assert_true(b->n + n <= sizeof(b->b));
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

static void put32(struct blob *b, uint32_t v) { put(b, &v, 4); }
static void put64(struct blob *b, uint64_t v) { put(b, &v, 8); }

/* perf's layout: magic, "tracing", version, endian, long size, page size, ... */
static void make_tracing_data(struct blob *b)
{
	static const uint8_t magic[] = { 23, 8, 68 };
	uint8_t endian_long[2] = { 0, 8 };
	static const char printk[] = "ffffffff81000000 : \"hello %d\\n\"\n";
	static const char cmdlines[] = "42 demo\n";

	b->n = 0;
	put(b, magic, 3);
	put(b, "tracing", 7);
	put(b, "0.6", 4);
	put(b, endian_long, 2);
	put32(b, 4096);
	put(b, "header_page", 12);
	put64(b, sizeof(header_page) - 1);
	put(b, header_page, sizeof(header_page) - 1);
	put(b, "header_event", 13);
	put64(b, 3);
	put(b, "abc", 3);
	put32(b, 0);			/* ftrace formats */
	put32(b, 1);			/* systems */
	put(b, "demo", 5);
	put32(b, 2);
	put64(b, sizeof(event_format) - 1);
	put(b, event_format, sizeof(event_format) - 1);
	put64(b, sizeof(flags_format) - 1);
	put(b, flags_format, sizeof(flags_format) - 1);
	put32(b, 0);			/* kallsyms */
	put32(b, sizeof(printk) - 1);
	put(b, printk, sizeof(printk) - 1);
	put64(b, sizeof(cmdlines) - 1);
	put(b, cmdlines, sizeof(cmdlines) - 1);
}

/* A tp_demo payload: common fields, pid, then name as a __data_loc string. */
static size_t make_payload(uint8_t *raw, int32_t pid, const char *name)
{
	uint16_t type = EVENT_ID;
	uint32_t len = strlen(name) + 1, loc = 16 | len << 16;
	int32_t common_pid = pid;

	memset(raw, 0, 64);
	memcpy(raw, &type, 2);
	memcpy(raw + 4, &common_pid, 4);
	memcpy(raw + 8, &pid, 4);
	memcpy(raw + 12, &loc, 4);
	memcpy(raw + 16, name, len);
	return 16 + len;
}

static struct fs_tracepoints *load(struct tep_event **ev)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .config = EVENT_ID };
	struct fs_error err = { "" };
	struct fs_tracepoints *tp;
	struct blob b;

	make_tracing_data(&b);
	tp = fs_tracepoints__new(b.b, b.n, &err);
	if (!tp)
		fail_msg("%s", err.msg);
	*ev = fs_tracepoints__event(tp, &attr);
	assert_non_null(*ev);
	assert_true(fs_tracepoints__is(*ev, "demo", "tp_demo"));
	return tp;
}

static void test_print(void **state)
{
	struct tep_event *ev;
	struct fs_tracepoints *tp = load(&ev);
	struct perf_event_attr other = { .type = PERF_TYPE_TRACEPOINT, .config = EVENT_ID + 2 };
	uint8_t raw[64];
	size_t n = make_payload(raw, 42, "hello"), len;
	const char *text;

	(void)state;
	assert_int_equal(fs_tracepoints__print(tp, ev, 0, raw, n, &text, &len), 0);
	assert_string_equal(text, "pid=42 name=hello");
	assert_int_equal(len, strlen("pid=42 name=hello"));
	n = make_payload(raw, -5, "");
	assert_int_equal(fs_tracepoints__print(tp, ev, 1, raw, n, &text, &len), 0);
	assert_string_equal(text, "pid=-5 name=");
	assert_null(fs_tracepoints__event(tp, &other));
	fs_tracepoints__delete(tp);
}

/* Payloads too short for a field, or whose __data_loc points outside, print nothing. */
static void test_short_payloads(void **state)
{
	struct tep_event *ev;
	struct fs_tracepoints *tp = load(&ev);
	uint8_t raw[64];
	size_t n = make_payload(raw, 42, "hello"), len;
	const char *text;
	uint32_t bad_loc = 60 | 10 << 16;

	(void)state;
	for (size_t cut = 0; cut < n; cut++)
		assert_int_equal(fs_tracepoints__print(tp, ev, 0, raw, cut, &text, &len), -1);
	memcpy(raw + 12, &bad_loc, 4);
	assert_int_equal(fs_tracepoints__print(tp, ev, 0, raw, n, &text, &len), -1);
	assert_false(fs_tracepoints__fits(ev, raw, n));
	assert_false(fs_tracepoints__fits(ev, NULL, 0));
	fs_tracepoints__delete(tp);
}

static void test_fields(void **state)
{
	struct tep_event *ev;
	struct fs_tracepoints *tp = load(&ev);
	uint8_t raw[64];
	size_t n = make_payload(raw, -7, "x");
	int64_t v = 0;

	(void)state;
	assert_int_equal(fs_tracepoints__field(ev, "pid", raw, n, &v), 0);
	assert_int_equal(v, -7);
	assert_int_equal(fs_tracepoints__field(ev, "common_type", raw, n, &v), 0);
	assert_int_equal(v, EVENT_ID);
	assert_int_equal(fs_tracepoints__field(ev, "nope", raw, n, &v), -1);
	assert_int_equal(fs_tracepoints__field(ev, "pid", raw, 10, &v), -1);
	fs_tracepoints__delete(tp);
}

static void test_filters(void **state)
{
	static const char *const bad[] = {
		"pid==", "pid==1 &&", "pid==1 ||", "name ~ \"a", "(pid==)", "pid >", "!", "",
		"pid=1", "(pid==1", "pid==1)", "==1", "pid==1 && ()", ")(",
		"pid==D", "nope==1", "!(nope==1)", "pid==1 || nope==2",	/* no such fields */
	};
	struct tep_event *ev;
	struct fs_tracepoints *tp = load(&ev);
	struct fs_error err;
	struct fs_tp_filter *f;
	uint8_t raw[64];
	size_t n = make_payload(raw, 42, "hello");

	(void)state;
	f = fs_tp_filter__new(tp, ev, "pid==42 && name==\"hello\"", &err);
	assert_non_null(f);
	assert_true(fs_tp_filter__match(f, 0, raw, n));
	n = make_payload(raw, 41, "hello");
	assert_false(fs_tp_filter__match(f, 0, raw, n));
	assert_false(fs_tp_filter__match(f, 0, raw, 6));	/* too short: no match, no read */
	fs_tp_filter__delete(f);
	f = fs_tp_filter__new(tp, ev, "pid>40 && !(name==\"hello\")", &err);
	assert_non_null(f);
	assert_false(fs_tp_filter__match(f, 0, raw, n));
	n = make_payload(raw, 41, "world");
	assert_true(fs_tp_filter__match(f, 0, raw, n));
	fs_tp_filter__delete(f);
	/* libtraceevent's pseudo-fields (COMM from the saved cmdlines), hex, names in strings */
	n = make_payload(raw, 42, "world");
	f = fs_tp_filter__new(tp, ev, "COMM==\"demo\" && CPU==3 && pid>0x10 && name!=\"nope\"", &err);
	assert_non_null(f);
	assert_true(fs_tp_filter__match(f, 3, raw, n));
	assert_false(fs_tp_filter__match(f, 2, raw, n));
	fs_tp_filter__delete(f);
	err.msg[0] = 0;
	assert_null(fs_tp_filter__new(tp, ev, "pid==D", &err));
	assert_non_null(strstr(err.msg, "no field 'D' (fields: pid name;"));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err.msg[0] = 0;
		f = fs_tp_filter__new(tp, ev, bad[i], &err);
		if (f)
			fail_msg("filter '%s' accepted", bad[i]);
		assert_non_null(strstr(err.msg, "tp_demo"));
	}
	fs_tracepoints__delete(tp);
}

/* Names a print format gives flag values ("D" for 2) work as values in filters. */
static void test_flag_names(void **state)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .config = 8 };
	struct tep_event *demo, *ev;
	struct fs_tracepoints *tp = load(&demo);
	uint8_t raw[16] = { 8 };
	int64_t st = 2;
	struct fs_tp_filter *f;
	struct fs_error err;
	const char *text;
	size_t len;

	(void)state;
	ev = fs_tracepoints__event(tp, &attr);
	assert_non_null(ev);
	memcpy(raw + 8, &st, 8);
	assert_int_equal(fs_tracepoints__print(tp, ev, 0, raw, 16, &text, &len), 0);
	assert_string_equal(text, "state=D");
	f = fs_tp_filter__new(tp, ev, "state==D", &err);
	assert_non_null(f);
	assert_true(fs_tp_filter__match(f, 0, raw, 16));
	st = 1;
	memcpy(raw + 8, &st, 8);
	assert_false(fs_tp_filter__match(f, 0, raw, 16));
	fs_tp_filter__delete(f);
	f = fs_tp_filter__new(tp, ev, "state==S || state == D", &err);
	assert_non_null(f);
	assert_true(fs_tp_filter__match(f, 0, raw, 16));
	fs_tp_filter__delete(f);
	/* "R" is a plain string in the format, not a flag; Q is nothing */
	assert_null(fs_tp_filter__new(tp, ev, "state==R", &err));
	assert_null(fs_tp_filter__new(tp, ev, "state==Q", &err));
	assert_non_null(strstr(err.msg, "no field 'Q'"));
	/* flag names belong to their field: demo's pid has none */
	assert_null(fs_tp_filter__new(tp, demo, "pid==D", &err));
	fs_tracepoints__delete(tp);
}

/* Every prefix of the data, and a few corrupt sizes, are refused with a message. */
static void test_truncated(void **state)
{
	struct fs_error err;
	struct blob b;
	uint8_t *copy;

	(void)state;
	make_tracing_data(&b);
	for (size_t cut = 0; cut < b.n; cut++) {
		struct fs_tracepoints *tp;

		/* an exact-size heap copy, so ASan sees any read past its end */
		copy = malloc(cut ? cut : 1);
		memcpy(copy, b.b, cut);
		err.msg[0] = 0;
		tp = fs_tracepoints__new(copy, cut, &err);
		/* the saved cmdlines are optional in perf's reader only when version < 0.6 */
		if (tp)
			fail_msg("a cut at %zu of %zu bytes was accepted", cut, b.n);
		assert_true(err.msg[0] != 0);
		free(copy);
	}
	/* header_page size far past the end */
	make_tracing_data(&b);
	memset(b.b + 10 + 4 + 2 + 4 + 12, 0xff, 8);
	assert_null(fs_tracepoints__new(b.b, b.n, &err));
	assert_non_null(strstr(err.msg, "header_page"));
	/* wrong magic */
	make_tracing_data(&b);
	b.b[0] = 0;
	assert_null(fs_tracepoints__new(b.b, b.n, &err));
	assert_null(fs_tracepoints__new(NULL, 0, &err));
}

/*
 * The format checks that keep malformed formats from libtraceevent must
 * pass every format the running kernel has (statement expressions with ';',
 * strings holding newlines, 1U << 20): all of them in one tracing data, each
 * event found by its id afterwards. Skipped where tracefs is not mounted.
 */
static void test_kernel_formats(void **state)
{
	glob_t g;
	size_t cap = 1 << 20, n = 0, nr = 0, found = 0;
	uint8_t *b = malloc(cap);
	uint32_t *ids = NULL;
	struct fs_tracepoints *tp;
	struct fs_error err;

	(void)state;
	if (glob("/sys/kernel/tracing/events/*/*/format", 0, NULL, &g) &&
	    glob("/sys/kernel/debug/tracing/events/*/*/format", 0, NULL, &g)) {
		free(b);
		print_message("no tracefs event formats here\n");
		skip();
	}
	ids = calloc(g.gl_pathc, sizeof(*ids));
	assert_non_null(b);
	assert_non_null(ids);
#define PUT(p, len) do { while (n + (len) + 64 > cap) b = realloc(b, cap *= 2); \
		assert_non_null(b); memcpy(b + n, (p), (len)); n += (len); } while (0)
	PUT("\x17\x08\x44tracing0.6\0\0\x08\0\x10\0\0header_page\0\0\0\0\0\0\0\0\0header_event\0"
	    "\0\0\0\0\0\0\0\0\0\0\0\0", 10 + 4 + 2 + 4 + 12 + 8 + 13 + 8 + 4);
	uint32_t systems = g.gl_pathc;

	PUT(&systems, 4);
	for (size_t i = 0; i < g.gl_pathc; i++) {
		char text[65536], sys[256] = "x";
		FILE *f = fopen(g.gl_pathv[i], "r");
		size_t len = f ? fread(text, 1, sizeof(text) - 1, f) : 0;
		uint64_t size = len;
		uint32_t one = 1;
		const char *id;

		if (f)
			fclose(f);
		text[len] = 0;
		sscanf(strstr(g.gl_pathv[i], "/events/") + 8, "%255[^/]", sys);
		PUT(sys, strlen(sys) + 1);
		PUT(&one, 4);
		PUT(&size, 8);
		PUT(text, len);
		id = strstr(text, "\nID: ");
		ids[nr++] = id ? strtoul(id + 5, NULL, 10) : 0;
	}
	PUT("\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);	/* kallsyms, printk, cmdlines */
	tp = fs_tracepoints__new(b, n, &err);
	if (!tp)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < nr; i++) {
		struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .config = ids[i] };

		if (fs_tracepoints__event(tp, &attr))
			found++;
		else
			print_message("not parsed: %s\n", g.gl_pathv[i]);
	}
	print_message("%zu kernel formats parsed\n", found);
	assert_true(nr > 0);
	assert_int_equal(found, nr);
	fs_tracepoints__delete(tp);
	globfree(&g);
	free(ids);
	free(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_print),
		cmocka_unit_test(test_short_payloads),
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_filters),
		cmocka_unit_test(test_flag_names),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_kernel_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
