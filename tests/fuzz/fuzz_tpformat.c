// SPDX-License-Identifier: GPL-2.0-only
/*
 * fuzz_tpformat: event formats built from the input by a generator that
 * walks the grammar of a kernel format, so libFuzzer's byte mutations
 * become grammar mutations: which fields (ints of every size, char arrays,
 * __data_loc strings, pointers, with honest or hostile offsets and sizes)
 * and which print format (conversions %d %u %ld %llx %s %p %pS %c %*d %.*s
 * and the argument expressions libtraceevent evaluates: REC->field,
 * numbers, + - * / % << >> & | ^ && || == < ?:, casts, sizeof, and its
 * helpers __print_flags, __print_symbolic, __print_hex, __print_hex_str,
 * __print_array, __get_str, __get_dynamic_array). Up to three such events
 * go into one tracing data (core/tracepoint.c, libtraceevent in its
 * worker); payloads from the input's tail are printed, their fields read
 * and a filter run. libtraceevent may crash or hang on any of it: the
 * caller must not, and every payload must print or give a marker.
 */
#include <stdarg.h>
#include "fuzz.h"
#include "tpfilter.h"
#include "tracepoint.h"

struct gen {
	const uint8_t *p, *end;
};

static unsigned int pick(struct gen *g, unsigned int n)
{
	return g->p < g->end ? *g->p++ % n : 0;
}

struct sbuf {
	char b[8192];
	size_t n;
};

static void out(struct sbuf *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void out(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (s->n >= sizeof(s->b) - 1)
		return;
	va_start(ap, fmt);
	n = vsnprintf(s->b + s->n, sizeof(s->b) - s->n, fmt, ap);
	va_end(ap);
	s->n = n < 0 ? s->n : s->n + (size_t)n < sizeof(s->b) ? s->n + n : sizeof(s->b) - 1;
}

struct field {
	char name[16];
	const char *type;
	unsigned int offset, size, is_signed;
	int kind;			/* 0 number, 1 char array, 2 __data_loc string, 3 pointer */
};

static const struct { const char *type; unsigned int size, is_signed; int kind; } types[] = {
	{ "int", 4, 1, 0 }, { "unsigned int", 4, 0, 0 }, { "long", 8, 1, 0 },
	{ "unsigned long", 8, 0, 0 }, { "u8", 1, 0, 0 }, { "short", 2, 1, 0 }, { "u64", 8, 0, 0 },
	{ "char", 16, 1, 1 }, { "__data_loc char[]", 4, 1, 2 }, { "void *", 8, 0, 3 },
	{ "__data_loc u32[]", 4, 0, 2 }, { "unsigned char", 8, 0, 1 },
};

static void gen_expr(struct gen *g, struct sbuf *s, const struct field *f, int nf, int depth);

static const char *field_name(struct gen *g, const struct field *f, int nf)
{
	/* now and then a name the format does not declare */
	return pick(g, 20) ? f[pick(g, nf)].name : "nosuchfield";
}

static void gen_helper(struct gen *g, struct sbuf *s, const struct field *f, int nf, int depth)
{
	const char *name = field_name(g, f, nf);

	switch (pick(g, 9)) {
	case 0:
		out(s, "__print_flags(");
		gen_expr(g, s, f, nf, depth + 1);
		out(s, ", \"|\", { 0x01, \"A\" }, { 0x%x, \"B\" })", pick(g, 256));
		break;
	case 1:
		out(s, "__print_symbolic(");
		gen_expr(g, s, f, nf, depth + 1);
		out(s, ", { 0, \"zero\" }, { %u, \"one\" })", pick(g, 4));
		break;
	case 2:
		out(s, "__print_hex(REC->%s, ", name);
		gen_expr(g, s, f, nf, depth + 1);
		out(s, ")");
		break;
	case 3:
		out(s, "__print_hex_str(REC->%s, ", name);
		gen_expr(g, s, f, nf, depth + 1);
		out(s, ")");
		break;
	case 4:
		out(s, "__print_array(REC->%s, ", name);
		gen_expr(g, s, f, nf, depth + 1);
		out(s, ", %u)", 1u << pick(g, 5));
		break;
	case 5:
		out(s, "__get_str(%s)", name);
		break;
	case 6:
		out(s, "__get_dynamic_array(%s)", name);
		break;
	case 7:
		out(s, "sizeof(REC->%s)", name);
		break;
	default:
		out(s, "__get_dynamic_array_len(%s)", name);
		break;
	}
}

static void gen_expr(struct gen *g, struct sbuf *s, const struct field *f, int nf, int depth)
{
	static const char *const ops[] = { "+", "-", "*", "/", "%", "<<", ">>", "&", "|", "^", "&&",
					   "||", "==", "<", ">", "!=" };
	static const unsigned int numbers[] = { 0, 1, 2, 7, 255, 4096, 65535, 100000, 20000000,
						2147483647u, 4294967295u };

	switch (depth > 6 ? pick(g, 2) : pick(g, 8)) {
	case 0:
		out(s, "REC->%s", field_name(g, f, nf));
		break;
	case 1:
		out(s, "%u", numbers[pick(g, sizeof(numbers) / sizeof(*numbers))]);
		break;
	case 2:
	case 3:
		gen_expr(g, s, f, nf, depth + 1);
		out(s, " %s ", ops[pick(g, sizeof(ops) / sizeof(*ops))]);
		gen_expr(g, s, f, nf, depth + 1);
		break;
	case 4:
		out(s, "(");
		gen_expr(g, s, f, nf, depth + 1);
		out(s, ")");
		break;
	case 5:
		out(s, "(%s)", pick(g, 2) ? "int" : "unsigned long");
		gen_expr(g, s, f, nf, depth + 1);
		break;
	case 6:
		gen_expr(g, s, f, nf, depth + 1);
		out(s, " ? ");
		gen_expr(g, s, f, nf, depth + 1);
		out(s, " : ");
		gen_expr(g, s, f, nf, depth + 1);
		break;
	default:
		gen_helper(g, s, f, nf, depth);
		break;
	}
}

/* One event's format; returns the payload size its fields need. */
static unsigned int gen_format(struct gen *g, struct sbuf *s, int id)
{
	static const char *const convs[] = { "%d", "%u", "%ld", "%lu", "%llx", "%s", "%p", "%pS",
					     "%c", "%*d", "%.*s", "%x", "%%", "%08lx", "%pF" };
	struct field f[8];
	int nf = 1 + pick(g, 6), nargs = 1 + pick(g, 4);
	unsigned int at = 8, end = 8;

	out(s, "name: ev%d\nID: %d\nformat:\n", id, id);
	out(s, "\tfield:unsigned short common_type;\toffset:0;\tsize:2;\tsigned:0;\n");
	out(s, "\tfield:unsigned char common_flags;\toffset:2;\tsize:1;\tsigned:0;\n");
	out(s, "\tfield:unsigned char common_preempt_count;\toffset:3;\tsize:1;\tsigned:0;\n");
	out(s, "\tfield:int common_pid;\toffset:4;\tsize:4;\tsigned:1;\n\n");
	for (int i = 0; i < nf; i++) {
		int t = pick(g, sizeof(types) / sizeof(*types));

		snprintf(f[i].name, sizeof(f[i].name), "f%d", i);
		f[i].type = types[t].type;
		f[i].size = types[t].size;
		f[i].is_signed = types[t].is_signed;
		f[i].kind = types[t].kind;
		f[i].offset = at;
		switch (pick(g, 16)) {	/* hostile layouts now and then */
		case 0: f[i].offset = pick(g, 64); break;
		case 1: f[i].size = pick(g, 2) ? 0 : 3; break;
		case 2: f[i].offset = 65530; break;
		default: break;
		}
		at = f[i].offset + f[i].size;
		if (at > end && at < 4096)
			end = at;
		if (f[i].kind == 1)
			out(s, "\tfield:%s %s[%u];\toffset:%u;\tsize:%u;\tsigned:%u;\n", f[i].type, f[i].name,
			    f[i].size, f[i].offset, f[i].size, f[i].is_signed);
		else
			out(s, "\tfield:%s %s;\toffset:%u;\tsize:%u;\tsigned:%u;\n", f[i].type, f[i].name,
			    f[i].offset, f[i].size, f[i].is_signed);
	}
	out(s, "\nprint fmt: \"");
	for (int i = 0; i < nargs; i++)
		out(s, "%s%s=%s", i ? " " : "", f[i % nf].name, convs[pick(g, sizeof(convs) / sizeof(*convs))]);
	out(s, "\"");
	for (int i = 0; i < nargs + (int)pick(g, 2); i++) {
		out(s, ", ");
		gen_expr(g, s, f, nf, 0);
	}
	out(s, "\n");
	return end;
}

static void put(uint8_t *b, size_t *n, size_t cap, const void *p, size_t len)
{
	if (*n + len <= cap) {
		memcpy(b + *n, p, len);
		*n += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t td[40000];
	struct gen g = { data, data + size };
	struct sbuf fmts[3];
	unsigned int need[3];
	int nev = 1 + pick(&g, 3);
	uint64_t zero = 0, len;
	uint32_t count = (uint32_t)nev, one = 1, page = 4096;
	struct fs_tracepoints *tp;
	struct fs_error err;
	size_t n = 0;

	for (int i = 0; i < nev; i++) {
		fmts[i].n = 0;
		need[i] = gen_format(&g, &fmts[i], 500 + i);
	}
	put(td, &n, sizeof(td), "\x17\x08\x44tracing0.6", 14);
	put(td, &n, sizeof(td), "\0\x08", 2);
	put(td, &n, sizeof(td), &page, 4);
	put(td, &n, sizeof(td), "header_page", 12);
	put(td, &n, sizeof(td), &zero, 8);
	put(td, &n, sizeof(td), "header_event", 13);
	put(td, &n, sizeof(td), &zero, 8);
	put(td, &n, sizeof(td), &zero, 4);
	put(td, &n, sizeof(td), &one, 4);
	put(td, &n, sizeof(td), "fz", 3);
	put(td, &n, sizeof(td), &count, 4);
	for (int i = 0; i < nev; i++) {
		len = fmts[i].n;
		put(td, &n, sizeof(td), &len, 8);
		put(td, &n, sizeof(td), fmts[i].b, fmts[i].n);
	}
	put(td, &n, sizeof(td), &zero, 4);
	put(td, &n, sizeof(td), &zero, 4);
	put(td, &n, sizeof(td), &zero, 8);
	tp = fs_tracepoints__new(td, n, &err);
	if (!tp)
		return 0;
	/* hangs cost this much, not the default 2 s */
	fs_tpw__set_timeout(fs_tracepoints__worker(tp), 250);
	for (int i = 0; i < nev; i++) {
		struct perf_event_attr attr = { .type = PERF_TYPE_TRACEPOINT, .config = 500 + i };
		const struct fs_tp_event *ev = fs_tracepoints__event(tp, &attr);
		size_t plen = need[i] + 32 < 4096 ? need[i] + 32 : 4096;
		/* an exact-size payload from what the generator left, so ASan sees reads past it */
		uint8_t *raw = calloc(1, plen);
		const char *text;
		struct fs_tp_filter *f;
		size_t tlen;
		int st;

		if (!raw)
			abort();
		for (size_t k = 0; k < plen && g.p < g.end; k++)
			raw[k] = *g.p++;
		memcpy(raw, &(uint16_t){ (uint16_t)(500 + i) }, 2);
		if (!ev) {
			free(raw);
			continue;
		}
		st = fs_tracepoints__print(tp, ev, 0, raw, (uint32_t)plen, &text, &tlen);
		if (st > 0 && strncmp(text, "[payload not printed: ", 22)) {
			fprintf(stderr, "status %d without a marker: '%s'\n", st, text);
			abort();
		}
		f = fs_tp_filter__new(tp, ev, "f0 == 1 || f1 != 0 || common_pid > -1", &err);
		if (f) {
			volatile bool m = fs_tp_filter__match(f, 0, raw, (uint32_t)plen);

			(void)m;
			fs_tp_filter__delete(f);
		}
		free(raw);
	}
	fs_tracepoints__delete(tp);
	return 0;
}
