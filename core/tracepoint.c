// SPDX-License-Identifier: GPL-2.0-only
/* tracepoint: perf's tracing data through libtraceevent (see tracepoint.h). */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <event-parse.h>
#include <trace-seq.h>
#include "tracepoint.h"

struct fs_tracepoints {
	struct tep_handle *tep;
	struct tep_plugin_list *plugins;
	struct trace_seq seq;
	fs_tp_resolver *resolve;
	void *resolve_priv;
};

struct fs_tp_filter {
	struct tep_event_filter *filter;
	struct tep_event *ev;
};

/* A cursor over the tracing data: every read is checked against its end. */
struct cur {
	const uint8_t *p, *end, *start;
	struct fs_error *err;
};

static int bad(struct cur *c, const char *what)
{
	return fs_error__set(c->err, "tracing data: %s at offset %#llx", what,
			     (unsigned long long)(c->p - c->start));
}

static int take(struct cur *c, uint64_t n, const uint8_t **out, const char *what)
{
	if (n > (uint64_t)(c->end - c->p))
		return bad(c, what);
	*out = c->p;
	c->p += n;
	return 0;
}

static int u32(struct cur *c, uint32_t *v, const char *what)
{
	const uint8_t *q = NULL;

	if (take(c, 4, &q, what))
		return -1;
	memcpy(v, q, 4);
	return 0;
}

static int u64(struct cur *c, uint64_t *v, const char *what)
{
	const uint8_t *q = NULL;

	if (take(c, 8, &q, what))
		return -1;
	memcpy(v, q, 8);
	return 0;
}

/* A NUL-terminated string inside the buffer (perf caps them at BUFSIZ). */
static int str(struct cur *c, const char **s, const char *what)
{
	const uint8_t *nul = memchr(c->p, 0, c->end - c->p);

	if (!nul || nul - c->p >= 8192)
		return bad(c, what);
	*s = (const char *)c->p;
	c->p = nul + 1;
	return 0;
}

/* A sized text block, copied NUL-terminated (libtraceevent's parsers want strings). */
static char *block(struct cur *c, uint64_t size, const char *what)
{
	const uint8_t *q = NULL;
	char *b;

	if (take(c, size, &q, what))
		return NULL;
	b = malloc(size + 1);
	if (!b) {
		fs_error__set(c->err, "tracing data: out of memory");
		return NULL;
	}
	memcpy(b, q, size);
	b[size] = 0;
	return b;
}

static int header_files(struct fs_tracepoints *tp, struct cur *c)
{
	const uint8_t *q = NULL;
	uint64_t size;
	char *page;

	if (take(c, 12, &q, "no header_page") || memcmp(q, "header_page", 12))
		return bad(c, "no header_page");
	if (u64(c, &size, "header_page size") || !(page = block(c, size, "header_page runs past the end")))
		return -1;
	/* the page's commit field is a kernel long: its size wins (as perf does) */
	if (!tep_parse_header_page(tp->tep, page, size, tep_get_long_size(tp->tep)))
		tep_set_long_size(tp->tep, tep_get_header_page_size(tp->tep));
	free(page);
	if (take(c, 13, &q, "no header_event") || memcmp(q, "header_event", 13))
		return bad(c, "no header_event");
	if (u64(c, &size, "header_event size") || take(c, size, &q, "header_event runs past the end"))
		return -1;
	return 0;
}

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* NAME (at name, up to end) is declared by a "field:TYPE NAME;" or "NAME[N];" line of text. */
static bool field_declared(const char *text, size_t size, const char *name, const char *end)
{
	const char *t = text, *tend = text + size;
	size_t n = 0;

	while (name + n < end && is_ident(name[n]))
		n++;
	if (!n)
		return false;
	while ((t = memmem(t, tend - t, "field:", 6))) {
		const char *semi = memchr(t, ';', tend - t), *e;

		if (!semi)
			return false;
		e = semi;
		if (e > t && e[-1] == ']')	/* NAME[N] */
			while (e > t && *e != '[')
				e--;
		if (e - t >= (ptrdiff_t)n + 6 && !memcmp(e - n, name, n) && !is_ident(e[-(ptrdiff_t)n - 1]))
			return true;
		t = semi;
	}
	return false;
}

/*
 * libtraceevent 1.7 crashes on some malformed print formats (a ';' or an
 * unbalanced bracket inside the arguments, REC->NAME of no field, found by
 * mutating formats): a format whose "print fmt:" line is not balanced
 * outside its strings, reads an undeclared field, or that has no such line,
 * is not given to it. Kernel formats pass.
 */
static bool print_fmt_sane(const char *text, size_t size)
{
	static const char key[] = "\nprint fmt: ";
	const char *p = memmem(text, size, key, sizeof(key) - 1), *end = text + size;
	char stack[64];
	int depth = 0;

	if (!p)
		return false;
	for (p += sizeof(key) - 1; p < end && *p != '\n'; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;	/* strings may hold newlines (ext4's do) */

			for (p++; p < end && *p != q; p++)
				if (*p == '\\')
					p++;
			if (p >= end)
				return false;
		} else if (*p == '(' || *p == '{' || *p == '[') {
			if (depth == sizeof(stack))
				return false;
			stack[depth++] = *p == '(' ? ')' : *p == '{' ? '}' : ']';
		} else if (*p == ')' || *p == '}' || *p == ']') {
			if (!depth || stack[--depth] != *p)
				return false;
		} else if ((*p == ';' && !memchr(stack, '}', depth)) || !*p) {
			return false;	/* ';' only in statement expressions ({ ...; }) */
		} else if (end - p > 5 && !memcmp(p, "REC->", 5) && !field_declared(text, size, p + 5, end)) {
			return false;
		}
	}
	return depth == 0;
}

/* A number as the kernel writes them in formats: decimal, or 0x and hex digits. */
static const char *number_end(const char *p, const char *end)
{
	const char *s;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (s = p += 2; p < end && isxdigit((unsigned char)*p); p++)
			;
	} else {
		for (s = p; p < end && isdigit((unsigned char)*p); p++)
			;
	}
	return p > s ? p : NULL;
}

/*
 * The lines of a format as the kernel writes them: "name: ", "ID: ",
 * "format:", "\tfield:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;", blank
 * lines, "print fmt: ...", all printable ASCII; numbers outside the print
 * format's strings well formed (libtraceevent divides by what "0x%f" gives).
 */
static bool format_lines_sane(const char *text, size_t size)
{
	const char *p = text, *end = text + size;

	for (const char *x = text; x < end; x++)
		if (!(isprint((unsigned char)*x) || *x == '\t' || *x == '\n'))
			return false;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *e = nl ? nl : end;

		if (e - p >= 7 && !memcmp(p, "\tfield:", 7)) {
			const char *f = p + 7;
			static const char *const keys[] = { "offset:", "size:", "signed:" };

			f = memchr(f, ';', e - f);
			if (!f)
				return false;
			for (int k = 0; k < 3; k++) {
				size_t kl = strlen(keys[k]);

				if (e - f < 2 + (ptrdiff_t)kl || f[0] != ';' || f[1] != '\t' ||
				    memcmp(f + 2, keys[k], kl))
					return false;
				f = number_end(f + 2 + kl, e);
				if (!f)
					return false;
			}
			if (f >= e || *f != ';')
				return false;
		} else if (e - p >= 11 && !memcmp(p, "print fmt: ", 11)) {
			bool in_str = false;

			/* the rest is the print format: its strings may hold newlines */
			for (const char *x = p + 11; x < end; x++) {
				if (*x == '"')
					in_str = !in_str;
				else if (in_str && *x == '\\')
					x++;
				else if (!in_str && isdigit((unsigned char)*x) &&
					 !(x > p && (isalnum((unsigned char)x[-1]) || x[-1] == '_'))) {
					const char *ne = number_end(x, end);

					if (!ne || (ne < end && (isalnum((unsigned char)*ne) || *ne == '_') &&
						    *ne != 'U' && *ne != 'L' && *ne != 'u' && *ne != 'l'))
						return false;
					x = ne - 1;
				}
			}
			return true;
		} else if (e > p && memcmp(p, "name: ", 6) && memcmp(p, "ID: ", 4) &&
			   memcmp(p, "format:", 7)) {
			return false;
		}
		p = e + 1;
	}
	return true;
}

/* An event format; like perf, a format libtraceevent cannot parse is skipped. */
static int event_file(struct fs_tracepoints *tp, struct cur *c, const char *sys)
{
	const uint8_t *q = NULL;
	uint64_t size;

	if (u64(c, &size, "event format size") || take(c, size, &q, "event format runs past the end"))
		return -1;
	if (format_lines_sane((const char *)q, size) && print_fmt_sane((const char *)q, size))
		tep_parse_event(tp->tep, (const char *)q, size, sys);
	return 0;
}

static int event_files(struct fs_tracepoints *tp, struct cur *c)
{
	uint32_t count, systems;
	const char *sys = NULL;

	if (u32(c, &count, "ftrace format count"))
		return -1;
	for (uint32_t i = 0; i < count; i++)
		if (event_file(tp, c, "ftrace"))
			return -1;
	if (u32(c, &systems, "system count"))
		return -1;
	for (uint32_t i = 0; i < systems; i++) {
		if (str(c, &sys, "system name") || u32(c, &count, "event count"))
			return -1;
		for (uint32_t x = 0; x < count; x++)
			if (event_file(tp, c, sys))
				return -1;
	}
	return 0;
}

/* "ADDR : \"fmt\"" lines, registered as perf's parse_ftrace_printk() does. */
static void printk_formats(struct fs_tracepoints *tp, char *buf)
{
	char *next = NULL;

	for (char *line = strtok_r(buf, "\n", &next); line; line = strtok_r(NULL, "\n", &next)) {
		char *colon = strchr(line, ':');

		/*
		 * libtraceevent drops a leading quote, then reads 3 bytes back
		 * from the format's end: skip formats shorter than that.
		 */
		if (!colon || !colon[1] || strlen(colon + 2 + (colon[2] == '"')) < 3)
			continue;
		*colon = 0;
		tep_register_print_string(tp->tep, colon + 2, strtoull(line, NULL, 16));
	}
}

static void saved_cmdlines(struct fs_tracepoints *tp, char *buf)
{
	char *next = NULL, comm[17];
	int pid;

	for (char *line = strtok_r(buf, "\n", &next); line; line = strtok_r(NULL, "\n", &next))
		if (sscanf(line, "%d %16s", &pid, comm) == 2)
			tep_register_comm(tp->tep, comm, pid);
}

static int tail(struct fs_tracepoints *tp, struct cur *c, double version)
{
	uint32_t size;
	uint64_t size64;
	char *b;

	if (u32(c, &size, "kallsyms size"))
		return -1;
	if (size) {
		if (!(b = block(c, size, "kallsyms run past the end")))
			return -1;
		tep_parse_kallsyms(tp->tep, b);
		free(b);
	}
	if (u32(c, &size, "printk formats size"))
		return -1;
	if (size) {
		if (!(b = block(c, size, "printk formats run past the end")))
			return -1;
		printk_formats(tp, b);
		free(b);
	}
	if (version < 0.6)
		return 0;
	if (u64(c, &size64, "saved cmdlines size"))
		return -1;
	if (size64) {
		if (!(b = block(c, size64, "saved cmdlines run past the end")))
			return -1;
		saved_cmdlines(tp, b);
		free(b);
	}
	return 0;
}

static int parse(struct fs_tracepoints *tp, struct cur *c)
{
	static const uint8_t magic[] = { 23, 8, 68, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	const uint8_t *q = NULL;
	const char *version = NULL;
	uint32_t page_size;

	if (take(c, sizeof(magic), &q, "no tracing magic") || memcmp(q, magic, sizeof(magic)))
		return bad(c, "no tracing magic");
	if (str(c, &version, "version string"))
		return -1;
	if (take(c, 2, &q, "endianness and long size"))
		return -1;
	if (q[0] != tep_is_bigendian())
		return bad(c, "byte-swapped tracing data");
	tep_set_file_bigendian(tp->tep, q[0]);
	tep_set_local_bigendian(tp->tep, tep_is_bigendian());
	if (q[1] != 4 && q[1] != 8)
		return bad(c, "long size not 4 or 8");
	tep_set_long_size(tp->tep, q[1]);
	if (u32(c, &page_size, "page size"))
		return -1;
	if (!page_size)
		return bad(c, "page size 0");
	tep_set_page_size(tp->tep, page_size);
	if (header_files(tp, c) || event_files(tp, c))
		return -1;
	return tail(tp, c, atof(version));
}

struct fs_tracepoints *fs_tracepoints__new(const void *data, uint64_t size, struct fs_error *err)
{
	struct fs_tracepoints *tp = calloc(1, sizeof(*tp));
	struct cur c = { data, (const uint8_t *)data + size, data, err };

	if (!data) {
		fs_error__set(err, "no tracing data in the file");
		free(tp);
		return NULL;
	}
	if (!tp || !(tp->tep = tep_alloc())) {
		fs_error__set(err, "tracing data: out of memory");
		free(tp);
		return NULL;
	}
	trace_seq_init(&tp->seq);
	tep_set_flag(tp->tep, TEP_NSEC_OUTPUT);
	if (parse(tp, &c)) {
		fs_tracepoints__delete(tp);
		return NULL;
	}
	/* perf 6.1's libtraceevent has no system plugin directory (see tracepoint.h) */
	tep_set_flag(tp->tep, TEP_DISABLE_SYS_PLUGINS);
	tp->plugins = tep_load_plugins(tp->tep);
	return tp;
}

void fs_tracepoints__delete(struct fs_tracepoints *tp)
{
	if (!tp)
		return;
	if (tp->plugins)
		tep_unload_plugins(tp->plugins, tp->tep);
	trace_seq_destroy(&tp->seq);
	tep_free(tp->tep);
	free(tp);
}

static char *resolve_func(void *priv, unsigned long long *addrp, char **modp)
{
	struct fs_tracepoints *tp = priv;
	const char *mod = NULL, *name;
	uint64_t addr = *addrp;

	name = tp->resolve(tp->resolve_priv, &addr, &mod);
	if (!name)
		return NULL;
	*addrp = addr;
	*modp = (char *)mod;
	return (char *)name;
}

void fs_tracepoints__set_resolver(struct fs_tracepoints *tp, fs_tp_resolver *fn, void *priv)
{
	tp->resolve = fn;
	tp->resolve_priv = priv;
	if (fn)
		tep_set_function_resolver(tp->tep, resolve_func, tp);
	else
		tep_reset_function_resolver(tp->tep);
}

struct tep_handle *fs_tracepoints__tep(const struct fs_tracepoints *tp)
{
	return tp->tep;
}

struct tep_event *fs_tracepoints__event(const struct fs_tracepoints *tp,
					const struct perf_event_attr *attr)
{
	if (!tp || attr->type != PERF_TYPE_TRACEPOINT || attr->config > INT32_MAX)
		return NULL;
	return tep_find_event(tp->tep, (int)attr->config);
}

static bool fields_fit(const struct tep_format_field *f, const uint8_t *raw, uint32_t size)
{
	for (; f; f = f->next) {
		uint32_t loc;

		if (f->offset < 0 || f->size < 0 || (uint64_t)f->offset + f->size > size)
			return false;
		if (!(f->flags & TEP_FIELD_IS_DYNAMIC) || f->size != 4)
			continue;
		/* __data_loc: u32 offset | length << 16, relative to the field's end if __rel_loc */
		memcpy(&loc, raw + f->offset, 4);
		uint64_t off = loc & 0xffff, len = loc >> 16;

		if (f->flags & TEP_FIELD_IS_RELATIVE)
			off += f->offset + f->size;
		if (off + len > size)
			return false;
	}
	return true;
}

bool fs_tracepoints__fits(const struct tep_event *ev, const void *raw, uint32_t raw_size)
{
	return ev && raw && fields_fit(ev->format.common_fields, raw, raw_size) &&
	       fields_fit(ev->format.fields, raw, raw_size);
}

int fs_tracepoints__print(struct fs_tracepoints *tp, struct tep_event *ev, int cpu,
			  const void *raw, uint32_t raw_size, const char **text, size_t *len)
{
	struct tep_record rec = { .cpu = cpu, .size = raw_size, .data = (void *)raw };

	*text = "";
	*len = 0;
	if (!fs_tracepoints__fits(ev, raw, raw_size))
		return -1;
	trace_seq_reset(&tp->seq);
	tep_print_event(tp->tep, &tp->seq, &rec, "%s", TEP_PRINT_INFO);
	trace_seq_terminate(&tp->seq);
	*text = tp->seq.buffer;
	*len = tp->seq.len;
	return 0;
}

struct tep_format_field *fs_tracepoints__find_field(const struct tep_event *ev, const char *name)
{
	return ev ? tep_find_any_field((struct tep_event *)ev, name) : NULL;
}

int fs_tracepoints__read_field(const struct tep_format_field *f, const void *raw,
			       uint32_t raw_size, int64_t *val)
{
	unsigned long long v;

	if (!f || !raw || f->offset < 0 || f->size <= 0 || f->size > 8 ||
	    (uint64_t)f->offset + f->size > raw_size)
		return -1;
	if (tep_read_number_field((struct tep_format_field *)f, raw, &v))
		return -1;
	if ((f->flags & TEP_FIELD_IS_SIGNED) && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
		v |= ~0ULL << (f->size * 8);
	*val = (int64_t)v;
	return 0;
}

int fs_tracepoints__field(const struct tep_event *ev, const char *name, const void *raw,
			  uint32_t raw_size, int64_t *val)
{
	return fs_tracepoints__read_field(fs_tracepoints__find_field(ev, name), raw, raw_size, val);
}

bool fs_tracepoints__is(const struct tep_event *ev, const char *system, const char *name)
{
	return ev && ev->system && ev->name && !strcmp(ev->system, system) && !strcmp(ev->name, name);
}

/*
 * libtraceevent 1.7's filter parser crashes on an operator with nothing after
 * it ("prev_state==", "a==1 &&") and on unterminated strings: refuse those
 * here. Returns NULL when expr is fine, else what is wrong.
 */
static const char *filter_flaw(const char *expr)
{
	bool want_operand = true;	/* at the start and after any operator */

	for (const char *p = expr; *p;) {
		if (*p == ' ' || *p == '\t' || *p == '\n') {
			p++;
		} else if (*p == '"' || *p == '\'') {
			char q = *p++;

			while (*p && *p != q)
				p += (*p == '\\' && p[1]) ? 2 : 1;
			if (!*p)
				return "unterminated string";
			p++;
			want_operand = false;
		} else if (strchr("=!<>&|~", *p)) {
			while (*p && strchr("=!<>&|~", *p))
				p++;
			want_operand = true;
		} else if (*p == '(') {
			p++;
			want_operand = true;
		} else if (*p == ')') {
			if (want_operand)
				return "an operator or '(' lacks its operand";
			p++;
		} else {
			p++;
			want_operand = false;
		}
	}
	return want_operand ? "the expression ends without an operand" : NULL;
}

/* The first field a print argument reads (REC->prev_state & MASK: prev_state). */
static const char *arg_field(const struct tep_print_arg *a)
{
	const char *name = NULL;

	for (int depth = 0; a && depth < 64 && !name; depth++) {
		if (a->type == TEP_PRINT_FIELD)
			return a->field.name;
		if (a->type == TEP_PRINT_TYPE)
			a = a->typecast.item;
		else if (a->type == TEP_PRINT_OP)
			name = arg_field(a->op.left), a = a->op.right;
		else
			break;
	}
	return name;
}

/* The value the print format's __print_flags/__print_symbolic gives sym for field. */
static const char *flag_value(const struct tep_print_arg *a, const char *field, const char *sym,
			      int depth)
{
	for (; a && depth < 64; a = a->next) {
		const struct tep_print_flag_sym *fs = NULL;
		const struct tep_print_arg *of = NULL;
		const char *v;

		if (a->type == TEP_PRINT_FLAGS)
			fs = a->flags.flags, of = a->flags.field;
		else if (a->type == TEP_PRINT_SYMBOL)
			fs = a->symbol.symbols, of = a->symbol.field;
		if (of && arg_field(of) && !strcmp(arg_field(of), field))
			for (; fs; fs = fs->next)
				if (fs->str && fs->value && !strcmp(fs->str, sym))
					return fs->value;
		if (a->type == TEP_PRINT_OP) {
			if ((v = flag_value(a->op.left, field, sym, depth + 1)) ||
			    (v = flag_value(a->op.right, field, sym, depth + 1)))
				return v;
		} else if (a->type == TEP_PRINT_TYPE &&
			   (v = flag_value(a->typecast.item, field, sym, depth + 1))) {
			return v;
		}
	}
	return NULL;
}

static int unknown_name(const struct tep_event *ev, const char *expr, const char *at, size_t n,
			struct fs_error *err)
{
	char fields[256] = "";
	size_t len = 0;

	for (struct tep_format_field *fl = ev->format.fields; fl && len < sizeof(fields); fl = fl->next)
		len += snprintf(fields + len, sizeof(fields) - len, " %s", fl->name);
	return fs_error__set(err, "filter '%s' on %s:%s: no field '%.*s' (fields:%s; values are numbers, quoted strings or the names the event prints for flags)",
			     expr, ev->system, ev->name, (int)n, at, fields);
}

/*
 * libtraceevent turns a name that is no field into a constant FALSE (or TRUE
 * under '!'), so 'prev_state==D' would silently match nothing. Names are
 * checked here: fields, its COMM and CPU pseudo-fields, and the names the
 * event's print format gives a field's values (__print_flags and
 * __print_symbolic: prev_state's "D" is 2), which are replaced by their value.
 * Returns the expression to give libtraceevent (malloc'ed), NULL + err.
 */
static char *resolve_names(const struct tep_event *ev, const char *expr, struct fs_error *err)
{
	size_t cap = strlen(expr) * 41 + 1, len = 0, n;	/* a 1-char name may become 40 */
	char *out = malloc(cap), name[128], field[128] = "";
	const char *p = expr, *start = expr;

	if (!out)
		return fs_error__set(err, "out of memory"), NULL;
	while (*p) {
		const char *v = NULL;

		start = p;
		n = 0;
		if (*p == '"' || *p == '\'') {
			char q = *p++;

			while (*p && *p != q)
				p += (*p == '\\' && p[1]) ? 2 : 1;
			p += !!*p;
		} else if (isdigit((unsigned char)*p)) {
			while (isalnum((unsigned char)*p))	/* numbers (0x1f too) whole */
				p++;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			while (isalnum((unsigned char)p[n]) || p[n] == '_')
				n++;
			p += n;
			if (n >= sizeof(name))
				goto unknown;	/* longer than any field name */
			memcpy(name, start, n);
			name[n] = 0;
			if (!strcmp(name, "COMM") || !strcmp(name, "CPU") ||
			    tep_find_any_field((struct tep_event *)ev, name)) {
				memcpy(field, name, n + 1);
			} else if (!field[0] || !(v = flag_value(ev->print_fmt.args, field, name, 0)) ||
				   strlen(v) > 40) {
				goto unknown;
			}
		} else {
			p++;
		}
		if (v) {
			len += sprintf(out + len, "%s", v);
		} else {
			memcpy(out + len, start, p - start);
			len += p - start;
		}
	}
	out[len] = 0;
	return out;
unknown:
	free(out);
	for (p = start, n = 0; isalnum((unsigned char)p[n]) || p[n] == '_'; n++)
		;
	unknown_name(ev, expr, start, n, err);
	return NULL;
}

/* libtraceevent's message repeats the filter with a caret line: keep its last line. */
static const char *last_line(char *msg)
{
	char *end = msg + strlen(msg), *nl;

	while (end > msg && end[-1] == '\n')
		*--end = 0;
	nl = strrchr(msg, '\n');
	return nl ? nl + 1 : msg;
}

struct fs_tp_filter *fs_tp_filter__new(struct fs_tracepoints *tp, struct tep_event *ev,
				       const char *expr, struct fs_error *err)
{
	struct fs_tp_filter *f = calloc(1, sizeof(*f));
	char *s = NULL, *resolved = NULL, msg[256];
	enum tep_errno ret;

	if (filter_flaw(expr)) {
		fs_error__set(err, "filter '%s' on %s:%s: %s", expr, ev->system, ev->name,
			      filter_flaw(expr));
		goto fail;
	}
	if (!(resolved = resolve_names(ev, expr, err)))
		goto fail;
	if (!f || !(f->filter = tep_filter_alloc(tp->tep)) ||
	    asprintf(&s, "%s/%s:%s", ev->system, ev->name, resolved) < 0) {
		fs_error__set(err, "out of memory");
		goto fail;
	}
	f->ev = ev;
	ret = tep_filter_add_filter_str(f->filter, s);
	free(s);
	if (ret < 0) {
		if (tep_filter_strerror(f->filter, ret, msg, sizeof(msg)) < 0)
			tep_strerror(tp->tep, ret, msg, sizeof(msg));
		fs_error__set(err, "filter '%s' on %s:%s: %s", expr, ev->system, ev->name, last_line(msg));
		goto fail;
	}
	free(resolved);
	return f;
fail:
	free(resolved);
	fs_tp_filter__delete(f);
	return NULL;
}

bool fs_tp_filter__match(struct fs_tp_filter *f, int cpu, const void *raw, uint32_t raw_size)
{
	struct tep_record rec = { .cpu = cpu, .size = raw_size, .data = (void *)raw };

	if (!fs_tracepoints__fits(f->ev, raw, raw_size))
		return false;
	return tep_filter_match(f->filter, &rec) == TEP_ERRNO__FILTER_MATCH;
}

void fs_tp_filter__delete(struct fs_tp_filter *f)
{
	if (!f)
		return;
	if (f->filter)
		tep_filter_free(f->filter);
	free(f);
}
