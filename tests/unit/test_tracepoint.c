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
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <unistd.h>
#include "tpfilter.h"
#include "tracepoint.h"

#define EVENT_ID 7

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

/* A third event whose print format each hostile test replaces (id 9). */
static const char evil_head[] =
	"name: tp_evil\n"
	"ID: 9\n"
	"format:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n"
	"\n"
	"\tfield:int pid;\toffset:8;\tsize:4;\tsigned:1;\n"
	"\tfield:char comm[16];\toffset:12;\tsize:16;\tsigned:1;\n"
	"\tfield:unsigned int mask;\toffset:28;\tsize:4;\tsigned:0;\n"
	"\n"
	"print fmt: ";

struct blob {
	uint8_t b[65536];
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
static void make_tracing_data_with(struct blob *b, const char *evil_fmt)
{
	char evil[4096];
	int evil_len = evil_fmt ? snprintf(evil, sizeof(evil), "%s%s\n", evil_head, evil_fmt) : 0;
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
	put32(b, evil_fmt ? 3 : 2);
	if (evil_fmt) {			/* first: whatever it does, the others still work */
		put64(b, evil_len);
		put(b, evil, evil_len);
	}
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

static void make_tracing_data(struct blob *b)
{
	make_tracing_data_with(b, NULL);
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

static struct fs_tracepoints *load(const struct fs_tp_event **ev)
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
	const struct fs_tp_event *ev;
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
	const struct fs_tp_event *ev;
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
	const struct fs_tp_event *ev;
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
	const struct fs_tp_event *ev;
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
	const struct fs_tp_event *demo, *ev;
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

/* ---- the filter grammar (tpfilter.c) ---- */

/* A tp_evil payload: pid, comm, mask. */
static size_t evil_payload(uint8_t *raw, int32_t pid, const char *comm, uint32_t mask)
{
	uint16_t type = 9;

	memset(raw, 0, 32);
	memcpy(raw, &type, 2);
	memcpy(raw + 4, &pid, 4);
	memcpy(raw + 8, &pid, 4);
	strncpy((char *)raw + 12, comm, 16);
	memcpy(raw + 28, &mask, 4);
	return 32;
}

static struct fs_tracepoints *load_evil(const char *fmt, const struct fs_tp_event **ev)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .config = 9 };
	struct fs_error err = { "" };
	struct fs_tracepoints *tp;
	struct blob b;

	make_tracing_data_with(&b, fmt);
	tp = fs_tracepoints__new(b.b, b.n, &err);
	if (!tp)
		fail_msg("%s", err.msg);
	*ev = fs_tracepoints__event(tp, &attr);
	return tp;
}

/*
 * What libtraceevent's filter parser crashed on (issue 18: prev_pid+,
 * prev_pid-, prev_pid*, prev_state^, prev_pid>-) or answered "failed to
 * allocate memory" (prev_pid==1,2), and other malformed filters: refused,
 * naming the column, with and without an event.
 */
static void test_filter_grammar(void **state)
{
	static const struct { const char *expr; unsigned int col; } bad[] = {
		{ "pid+", 4 }, { "pid-", 4 }, { "pid*", 4 }, { "mask^", 5 }, { "pid>-", 5 },
		{ "pid==1,2", 7 }, { "pid==", 6 }, { "pid==1 &&", 10 }, { "pid==1 ||", 10 },
		{ "comm ~ \"a", 6 }, { "(pid==)", 7 }, { "pid >", 6 }, { "!", 2 }, { "", 1 },
		{ "pid=1", 4 }, { "(pid==1", 8 }, { "pid==1)", 7 }, { "==1", 1 }, { "pid==1 && ()", 12 },
		{ ")(", 1 }, { "pid==12abc", 6 }, { "pid==0x", 6 }, { "pid==09", 6 },
		{ "pid==99999999999999999999", 6 }, { "pid | 1", 5 }, { "pid/2", 4 }, { "pid%2", 4 },
		{ "pid==1 pid==2", 8 }, { "comm==\"unterminated", 7 }, { "pid==\x01", 6 },
		{ "pid =~ 5", 8 }, { "pid & & 1", 7 }, { "-1==pid", 1 }, { "pid==- 1", 6 },
	};
	const struct fs_tp_event *ev;
	struct fs_tracepoints *tp = load_evil("\"pid=%d\", REC->pid", &ev);
	struct fs_error err;
	char want[32];

	(void)state;
	assert_non_null(ev);
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		snprintf(want, sizeof(want), "column %u:", bad[i].col);
		err.msg[0] = 0;
		if (!fs_tp_filter__check(bad[i].expr, &err))
			fail_msg("'%s' passed the grammar", bad[i].expr);
		if (!strstr(err.msg, want))
			fail_msg("'%s': %s (wanted %s)", bad[i].expr, err.msg, want);
		err.msg[0] = 0;
		assert_null(fs_tp_filter__new(tp, ev, bad[i].expr, &err));
		if (!strstr(err.msg, want) || !strstr(err.msg, "demo:tp_evil"))
			fail_msg("'%s' on the event: %s (wanted %s)", bad[i].expr, err.msg, want);
	}
	fs_tracepoints__delete(tp);
}

/* Filters that parse but mean nothing for this event: refused, with the reason. */
static void test_filter_semantics(void **state)
{
	static const struct { const char *expr, *why; } bad[] = {
		{ "comm < \"a\"", "compares numbers" }, { "pid =~ \"x\"", "is a number" },
		{ "comm == 5", "is a string" }, { "mask > -1", "is unsigned" }, { "comm", "is a string" },
		{ "comm =~ \"\\(a\\)\\1\"", "back-references" }, { "pid == nope", "no field 'nope'" },
		{ "pid == comm", "a filter compares a field with a value" }, { "nope", "no field 'nope'" },
		{ "pid == \"5\"", "is a number" }, { "mask & -1", "not negative" },
		{ "comm =~ \"[\"", "bad regex" }, { "comm == 'x'", "is a string" },
	};
	const struct fs_tp_event *ev;
	struct fs_tracepoints *tp = load_evil("\"pid=%d\", REC->pid", &ev);
	struct fs_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		assert_int_equal(fs_tp_filter__check(bad[i].expr, &err), 0);
		err.msg[0] = 0;
		if (fs_tp_filter__new(tp, ev, bad[i].expr, &err))
			fail_msg("'%s' accepted", bad[i].expr);
		if (!strstr(err.msg, bad[i].why))
			fail_msg("'%s': %s (wanted '%s')", bad[i].expr, err.msg, bad[i].why);
	}
	fs_tracepoints__delete(tp);
}

static bool matches(struct fs_tracepoints *tp, const struct fs_tp_event *ev, const char *expr,
		    int cpu, const uint8_t *raw, size_t n)
{
	struct fs_error err = { "" };
	struct fs_tp_filter *f = fs_tp_filter__new(tp, ev, expr, &err);
	bool m;

	if (!f)
		fail_msg("'%s': %s", expr, err.msg);
	m = fs_tp_filter__match(f, cpu, raw, n);
	fs_tp_filter__delete(f);
	return m;
}

/* What each filter means, on payloads whose answer is known. */
static void test_filter_matching(void **state)
{
	const struct fs_tp_event *ev;
	struct fs_tracepoints *tp = load_evil("\"pid=%d\", REC->pid", &ev);
	char deep[200] = "", more[200] = "", *chain;
	struct fs_error err;
	uint8_t raw[32];
	size_t n;

	(void)state;
	n = evil_payload(raw, -3, "bash", 0xffffffff);
	assert_false(matches(tp, ev, "pid > -1", 0, raw, n));	/* signed field: signed compare */
	assert_true(matches(tp, ev, "pid == -3 && pid < 0", 0, raw, n));
	assert_true(matches(tp, ev, "mask > 5", 0, raw, n));	/* unsigned: 0xffffffff */
	assert_true(matches(tp, ev, "mask == 0xffffffff && mask == 037777777777", 0, raw, n));
	assert_true(matches(tp, ev, "comm == \"bash\" && comm != \"bas\" && comm != \"bashx\"", 0, raw, n));
	assert_true(matches(tp, ev, "comm =~ \"^BA\" && comm !~ \"zsh\" && comm =~ 'a.h$'", 0, raw, n));
	assert_true(matches(tp, ev, "CPU == 3", 3, raw, n));
	assert_false(matches(tp, ev, "CPU == 3", 2, raw, n));
	assert_true(matches(tp, ev, "COMM == \"<...>\"", 0, raw, n));	/* pid -3: no saved cmdline */
	n = evil_payload(raw, 42, "bash", 6);
	assert_true(matches(tp, ev, "COMM == \"demo\" && COMM =~ \"DEM\"", 0, raw, n));
	assert_true(matches(tp, ev, "mask & 4", 0, raw, n));
	assert_false(matches(tp, ev, "mask & 0x10", 0, raw, n));
	assert_true(matches(tp, ev, "mask && !(mask & 1) && !!pid", 0, raw, n));
	/* && binds tighter than ||, as in C (libtraceevent read left to right) */
	assert_true(matches(tp, ev, "pid == 42 || pid == 5 && mask == 0", 0, raw, n));
	assert_false(matches(tp, ev, "(pid == 42 || pid == 5) && mask == 0", 0, raw, n));
	n = evil_payload(raw, 'A', "x", 0);
	assert_true(matches(tp, ev, "pid == 'A'", 0, raw, n));
	/* a payload too short for the fields never matches (nor is read) */
	assert_false(matches(tp, ev, "!(pid == 1)", 0, raw, 20));
	/* 64 levels of nesting are fine, 65 are refused; a 400-test chain is no recursion */
	for (int i = 0; i < 64; i++)
		strcat(deep, "(");
	strcat(deep, "pid");
	for (int i = 0; i < 64; i++)
		strcat(deep, ")");
	assert_true(matches(tp, ev, deep, 0, raw, n));
	snprintf(more, sizeof(more), "!%s", deep);
	assert_null(fs_tp_filter__new(tp, ev, more, &err));
	assert_non_null(strstr(err.msg, "nested deeper than 64"));
	chain = calloc(1, 6000);
	assert_non_null(chain);
	for (int i = 0; i < 400; i++)
		strcat(chain, i ? "||pid==1" : "pid==1");
	strcat(chain, "||pid==65");
	assert_true(matches(tp, ev, chain, 0, raw, n));
	memset(chain, 'a', 5000);
	chain[5000] = 0;
	assert_int_equal(fs_tp_filter__check(chain, NULL), -1);	/* longer than 4096 bytes */
	free(chain);
	fs_tracepoints__delete(tp);
}

/* ---- libtraceevent, isolated (tpworker.c) ---- */

static int print_status(struct fs_tracepoints *tp, const struct fs_tp_event *ev, const uint8_t *raw,
			size_t n, const char **text)
{
	size_t len;

	return fs_tracepoints__print(tp, ev, 0, raw, n, text, &len);
}

/* The demo event still prints after whatever the hostile one did. */
static void demo_still_prints(struct fs_tracepoints *tp)
{
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .config = EVENT_ID };
	const struct fs_tp_event *demo = fs_tracepoints__event(tp, &attr);
	uint8_t raw[64];
	size_t n = make_payload(raw, 42, "hello");
	const char *text;

	assert_non_null(demo);
	assert_int_equal(print_status(tp, demo, raw, n, &text), 0);
	assert_string_equal(text, "pid=42 name=hello");
}

/*
 * Print formats that crash libtraceevent 1.7 (issue 18): SIGFPE, reads far
 * past the payload, a read just past it (would print bytes that are not the
 * payload's: the payload ends at a PROT_NONE page), a use-after-free while
 * parsing. Each payload becomes a marker, the caller lives, the other
 * events print as before, and after a few crashes the event is not tried.
 */
static void test_hostile_formats(void **state)
{
	static const struct { const char *fmt, *why; } cases[] = {
		{ "\"pid=%d\", REC->pid / 0", "SIGFPE" },
		{ "\"pid=%d\", REC->pid % 0", "SIGFPE" },
		{ "\"%s\", __print_hex(REC->comm, 20000000)", "SIGSEGV" },
		{ "\"%s\", __print_hex(REC->comm, 200)", "SIGSEGV" },
		{ "\"%s\", __print_array(REC->comm, 100000, 8)", "SIGSEGV" },
		{ "\"%d\", sizeof(REC->pid)", NULL },
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		const struct fs_tp_event *ev;
		struct fs_tracepoints *tp = load_evil(cases[i].fmt, &ev);
		uint8_t raw[32];
		size_t n = evil_payload(raw, 7, "evil", 1);
		const char *text;
		int st;

		demo_still_prints(tp);
		if (!cases[i].why) {	/* whatever it prints, it printed, and we live */
			if (ev)
				assert_true(print_status(tp, ev, raw, n, &text) >= -1);
			demo_still_prints(tp);
			fs_tracepoints__delete(tp);
			continue;
		}
		assert_non_null(ev);
		st = print_status(tp, ev, raw, n, &text);
		if (st != 1 || !strstr(text, "[payload not printed: libtraceevent crashed on it") ||
		    !strstr(text, cases[i].why) || !strstr(text, "demo:tp_evil"))
			fail_msg("%s: status %d, '%s'", cases[i].fmt, st, text);
		demo_still_prints(tp);
		for (int k = 0; k < 6; k++)
			assert_int_equal(print_status(tp, ev, raw, n, &text), 1);
		assert_non_null(strstr(text, "before"));	/* no longer tried */
		assert_int_equal(fs_tracepoints__stats(tp)->crashes, 4);
		demo_still_prints(tp);
		fs_tracepoints__delete(tp);
	}
}

/* A print format that runs for minutes ("%*d" of width 10^8: trace_seq grows 4 KiB a pass). */
static void test_hostile_runaway(void **state)
{
	const struct fs_tp_event *ev;
	struct fs_tracepoints *tp = load_evil("\"%*d\", 100000000, REC->pid", &ev);
	uint8_t raw[32];
	size_t n = evil_payload(raw, 7, "evil", 1);
	const char *text;

	(void)state;
	assert_non_null(ev);
	fs_tpw__set_timeout(fs_tracepoints__worker(tp), 300);
	assert_int_equal(print_status(tp, ev, raw, n, &text), 1);
	assert_non_null(strstr(text, "ran past 300 ms"));
	assert_int_equal(fs_tracepoints__stats(tp)->timeouts, 1);
	assert_int_equal(print_status(tp, ev, raw, n, &text), 1);	/* not tried again */
	demo_still_prints(tp);
	fs_tracepoints__delete(tp);
}

/* Answers come back in order, whatever became of each request. */
static int collect_cb(void *priv, size_t i, int status, const char *text, size_t len)
{
	char (*got)[64] = priv;

	snprintf(got[i], 64, "%d:%.*s", status, (int)len, text);
	return 0;
}

static void test_batch(void **state)
{
	struct perf_event_attr fattr = { .type = PERF_TYPE_TRACEPOINT, .config = 8 };
	const struct fs_tp_event *demo, *flags;
	struct fs_tracepoints *tp = load(&demo);
	uint8_t a[64], b[64], c[16] = { 8 };
	size_t na = make_payload(a, 1, "one"), nb = make_payload(b, 2, "two");
	int64_t st = 2;
	char got[5][64];
	struct fs_error err;

	(void)state;
	flags = fs_tracepoints__event(tp, &fattr);
	memcpy(c + 8, &st, 8);
	struct fs_tp_request req[5] = {
		{ demo, 0, a, na, NULL }, { demo, 0, b, 10, NULL }, { NULL, 0, a, na, NULL },
		{ flags, 0, c, 16, NULL }, { demo, 0, b, nb, NULL },
	};

	assert_int_equal(fs_tracepoints__print_batch(tp, req, 5, collect_cb, got, &err), 0);
	assert_string_equal(got[0], "0:pid=1 name=one");
	assert_string_equal(got[1], "-1:");	/* too short */
	assert_string_equal(got[2], "-1:");	/* no event */
	assert_string_equal(got[3], "0:state=D");
	assert_string_equal(got[4], "0:pid=2 name=two");
	fs_tracepoints__delete(tp);
}

/* The worker: bounded memory, no core files, no descriptor but its sockets and stdio. */
static void test_worker_process(void **state)
{
	const struct fs_tp_event *ev;
	struct fs_tracepoints *tp = load(&ev);
	int pid = fs_tpw__pid(fs_tracepoints__worker(tp));
	char path[64], line[256];
	bool as = false, core = false;
	glob_t g;
	FILE *f;

	(void)state;
	assert_true(pid > 0);
	snprintf(path, sizeof(path), "/proc/%d/limits", pid);
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		char soft[32] = "";

		/* "Max address space         SOFT      HARD      bytes": the soft limit */
		if (strlen(line) > 26)
			sscanf(line + 26, "%31s", soft);
		if (!strncmp(line, "Max address space", 17))
			as = strcmp(soft, "unlimited") != 0;
		if (!strncmp(line, "Max core file size", 18))
			core = !strcmp(soft, "0");
	}
	fclose(f);
	assert_true(as);
	assert_true(core);
	snprintf(path, sizeof(path), "/proc/%d/fd/*", pid);
	assert_int_equal(glob(path, 0, NULL, &g), 0);
	assert_int_equal(g.gl_pathc, 5);	/* 0, 1 (/dev/null), 2, and the two sockets */
	globfree(&g);
	fs_tracepoints__delete(tp);
	assert_int_equal(kill(pid, 0), -1);	/* reaped */
}

/* A worker started by a thread dies with it; the next print starts another, blaming nothing. */
static void *load_in_thread(void *arg)
{
	const struct fs_tp_event *ev;

	*(struct fs_tracepoints **)arg = load(&ev);
	return NULL;
}

static void test_worker_thread_exit(void **state)
{
	struct fs_tracepoints *tp = NULL;
	pthread_t t;

	(void)state;
	assert_int_equal(pthread_create(&t, NULL, load_in_thread, &tp), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_non_null(tp);
	usleep(100000);		/* PR_SET_PDEATHSIG has ended it by now */
	demo_still_prints(tp);
	assert_int_equal(fs_tracepoints__stats(tp)->crashes, 0);
	fs_tracepoints__delete(tp);
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
		cmocka_unit_test(test_filter_grammar),
		cmocka_unit_test(test_filter_semantics),
		cmocka_unit_test(test_filter_matching),
		cmocka_unit_test(test_hostile_formats),
		cmocka_unit_test(test_hostile_runaway),
		cmocka_unit_test(test_batch),
		cmocka_unit_test(test_worker_process),
		cmocka_unit_test(test_worker_thread_exit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
