// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_tpfilter: tracepoint filters (core/tpfilter.c) on a sched_switch-like
 * event. The first byte picks how the rest is read: even, as the filter's
 * text itself (bytes mutated as bytes); odd, as choices of a generator that
 * walks tpfilter.h's grammar (names, flag names, numbers, strings,
 * comparisons, &, !, &&, ||, parentheses) and now and then puts a wrong
 * token in, so mutations move through the grammar rather than only through
 * bytes. The last 64 bytes are a payload the filter is matched against.
 * Checked: the grammar alone and the grammar on the event agree (a filter
 * the grammar refuses is refused on the event too, and one the event takes
 * passes the grammar).
 */
#include "fuzz.h"
#include "tpfilter.h"
#include "tracepoint.h"

static const char format[] =
	"name: sched_switch\nID: 316\nformat:\n"
	"\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n"
	"\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n"
	"\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n"
	"\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n"
	"\tfield:char prev_comm[16];\toffset:8;\tsize:16;\tsigned:1;\n"
	"\tfield:pid_t prev_pid;\toffset:24;\tsize:4;\tsigned:1;\n"
	"\tfield:int prev_prio;\toffset:28;\tsize:4;\tsigned:1;\n"
	"\tfield:long prev_state;\toffset:32;\tsize:8;\tsigned:1;\n"
	"\tfield:__data_loc char[] next_comm;\toffset:40;\tsize:4;\tsigned:1;\n"
	"\tfield:unsigned int mask;\toffset:44;\tsize:4;\tsigned:0;\n"
	"\tfield:u8 small;\toffset:48;\tsize:1;\tsigned:0;\n\n"
	"print fmt: \"prev_comm=%s prev_pid=%d prev_state=%s next_comm=%s\", REC->prev_comm, "
	"REC->prev_pid, REC->prev_state ? __print_flags(REC->prev_state, \"|\", { 0x01, \"S\" }, "
	"{ 0x02, \"D\" }, { 0x04, \"T\" }) : \"R\", __get_str(next_comm)\n";

static struct fs_tracepoints *tp;
static const struct fs_tp_event *ev;

static void put(uint8_t *b, size_t *n, const void *p, size_t len)
{
	memcpy(b + *n, p, len);
	*n += len;
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	static uint8_t b[4096];
	struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .config = 316 };
	uint64_t size = sizeof(format) - 1, zero = 0;
	uint32_t one = 1, four_k = 4096;
	struct fs_error err;
	size_t n = 0;

	(void)argc;
	(void)argv;
	put(b, &n, "\x17\x08\x44tracing0.6", 14);
	put(b, &n, "\0\x08", 2);
	put(b, &n, &four_k, 4);
	put(b, &n, "header_page", 12);
	put(b, &n, &zero, 8);
	put(b, &n, "header_event", 13);
	put(b, &n, &zero, 8);
	put(b, &n, &zero, 4);		/* ftrace formats */
	put(b, &n, &one, 4);		/* systems */
	put(b, &n, "sched", 6);
	put(b, &n, &one, 4);
	put(b, &n, &size, 8);
	put(b, &n, format, size);
	put(b, &n, &zero, 4);		/* kallsyms */
	put(b, &n, &zero, 4);		/* printk */
	size = 8;
	put(b, &n, &size, 8);
	put(b, &n, "7 hello\n", 8);	/* saved cmdlines: COMM of pid 7 */
	tp = fs_tracepoints__new(b, n, &err);
	ev = tp ? fs_tracepoints__event(tp, &attr) : NULL;
	if (!ev) {
		fprintf(stderr, "fuzz_tpfilter: %s\n", tp ? "no event" : err.msg);
		abort();
	}
	return 0;
}

struct gen {
	const uint8_t *p, *end;
	char *out;
	size_t len, cap;
};

static unsigned int pick(struct gen *g, unsigned int n)
{
	return g->p < g->end ? *g->p++ % n : 0;
}

static void emit(struct gen *g, const char *s)
{
	size_t n = strlen(s);

	if (g->len + n + 1 < g->cap) {
		memcpy(g->out + g->len, s, n);
		g->len += n;
		g->out[g->len] = 0;
	}
}

static const char *const names[] = {
	"prev_comm", "prev_pid", "prev_prio", "prev_state", "next_comm", "mask", "small",
	"common_pid", "common_type", "COMM", "CPU", "nope",
};
static const char *const values[] = {
	"0", "1", "-1", "0x10", "017", "18446744073709551615", "9223372036854775808", "-9223372036854775808",
	"\"hello\"", "\"swapper/0\"", "'D'", "'ab'", "\"^he.*\"", "\"[a-z]+\"", "\"\\\\(a\\\\)\\\\1\"",
	"S", "D", "T", "R", "prev_pid", "\"\"", "\"\\\"\"", "99999999999999999999", "0x", "08",
};
static const char *const cmps[] = { "==", "!=", "<", "<=", ">", ">=", "=~", "!~", "&" };
static const char *const junk[] = {
	"+", "-", "*", "^", ",", "=", "|", "~", "(", ")", "!", "&&", "||", "\"", "'", "\x01", " ",
};

static void gen_or(struct gen *g, int depth);

static void gen_test(struct gen *g, int depth)
{
	/* deep nesting, past the 64 allowed now and then; none once the input is used up */
	if (depth < 80 && g->p < g->end && (depth > 66 || pick(g, 8) == 0)) {
		emit(g, pick(g, 2) ? "!" : "(");
		gen_or(g, depth + 1);
		if (pick(g, 16))	/* now and then unbalanced */
			emit(g, ")");
		return;
	}
	emit(g, names[pick(g, sizeof(names) / sizeof(*names))]);
	if (pick(g, 5)) {
		emit(g, pick(g, 3) ? " " : "");
		emit(g, cmps[pick(g, sizeof(cmps) / sizeof(*cmps))]);
		emit(g, pick(g, 3) ? " " : "");
		emit(g, values[pick(g, sizeof(values) / sizeof(*values))]);
	}
	if (!pick(g, 12))
		emit(g, junk[pick(g, sizeof(junk) / sizeof(*junk))]);
}

static void gen_or(struct gen *g, int depth)
{
	int terms = 1 + pick(g, 4);

	for (int i = 0; i < terms; i++) {
		if (i)
			emit(g, pick(g, 2) ? " && " : " || ");
		gen_test(g, depth);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char expr[FS_TP_FILTER_MAX_LEN + 256];
	uint8_t raw[64] = { 0 };
	struct fs_error err, err2;
	struct fs_tp_filter *f;
	int checked;

	if (size < 1)
		return 0;
	if (size > 65) {	/* the payload: its next_comm __data_loc points inside it */
		memcpy(raw, data + size - 64, 64);
		size -= 64;
	}
	if (data[0] & 1) {
		struct gen g = { data + 1, data + size, expr, 0, sizeof(expr) };

		expr[0] = 0;
		gen_or(&g, 0);
	} else {
		size_t n = size - 1 < sizeof(expr) - 1 ? size - 1 : sizeof(expr) - 1;

		memcpy(expr, data + 1, n);
		expr[n] = 0;
	}
	checked = fs_tp_filter__check(expr, &err);
	f = fs_tp_filter__new(tp, ev, expr, &err2);
	if (checked && f) {
		fprintf(stderr, "'%s': refused by the grammar (%s), taken on the event\n", expr, err.msg);
		abort();
	}
	if (f) {
		volatile bool m = fs_tp_filter__match(f, data[0] >> 1, raw, sizeof(raw));

		m = fs_tp_filter__match(f, 1, raw, (uint32_t)(size % 64));
		(void)m;
		fs_tp_filter__delete(f);
	}
	return 0;
}
