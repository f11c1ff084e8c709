// SPDX-License-Identifier: GPL-2.0-only
/*
 * tpfilter: tracepoint filters (see tpfilter.h). The expression is cut into
 * tokens, then parsed by recursive descent into nodes: AND and OR hold a
 * list of children (so a || b || ... || z costs no recursion), tests name a
 * field and a value. Every error names the column (1-based) of the token
 * where it goes wrong.
 */
#include <ctype.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tpfilter.h"
#include "tpworker.h"

enum tok {
	T_END, T_NAME, T_NUM, T_NEGNUM, T_STR, T_CHAR, T_OROR, T_ANDAND, T_NOT, T_LP, T_RP,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE, T_RE, T_NRE, T_AND,
};

struct token {
	enum tok t;
	uint32_t pos, len;		/* in the expression; strings: their content */
	uint64_t num;
};

enum kind { K_OR, K_AND, K_NOT, K_NUM, K_STR, K_RE, K_TRUTH, K_BITS };

#define F_COMM	(-1)
#define F_CPU	(-2)

struct node {
	uint8_t kind;
	enum tok op;
	int32_t field;			/* index in ev->fields, F_COMM or F_CPU */
	bool sgn;			/* compare as signed */
	uint64_t val;
	uint32_t first, next;		/* children of AND/OR/NOT; the next sibling (0: none) */
	char *str;
	size_t len;
	regex_t *re;
};

struct fs_tp_filter {
	const struct fs_tracepoints *tp;
	const struct fs_tp_event *ev;
	const struct fs_tp_field *common_pid;
	struct node *nodes;		/* nodes[0] is unused: index 0 means none */
	uint32_t nr, cap, root;
	char *scratch;			/* a NUL-terminated copy of a string, for regexec */
};

struct parser {
	const char *expr;
	struct token *toks;
	size_t nt, i;
	const struct fs_tracepoints *tp;
	const struct fs_tp_event *ev;	/* NULL: the grammar alone */
	struct fs_tp_filter *f;
	struct fs_error *err;
	int depth;
};

/* ---- errors ---- */

static int perr(struct parser *p, uint32_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int perr(struct parser *p, uint32_t pos, const char *fmt, ...)
{
	char what[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (p->ev)
		return fs_error__set(p->err, "filter '%.100s%s' on %s:%s, column %u: %s", p->expr,
				     strlen(p->expr) > 100 ? "..." : "", p->ev->system, p->ev->name,
				     pos + 1, what);
	return fs_error__set(p->err, "filter '%.100s%s', column %u: %s", p->expr,
			     strlen(p->expr) > 100 ? "..." : "", pos + 1, what);
}

/* A character as a message shows it. */
static const char *shown(char c, char buf[8])
{
	if (isprint((unsigned char)c))
		snprintf(buf, 8, "%c", c);
	else
		snprintf(buf, 8, "\\x%02x", (unsigned char)c);
	return buf;
}

/* ---- tokens ---- */

static bool is_name_char(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* A number token: 0x hex, 0 octal or decimal, all of it, within 64 bits. */
static int number(struct parser *p, size_t *pos, struct token *t)
{
	const char *s = p->expr + *pos;
	size_t n = 0, start = 0;
	uint64_t v = 0;
	unsigned int base = 10;

	while (is_name_char(s[n]))
		n++;
	if (n > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		base = 16, start = 2;
	else if (n > 1 && s[0] == '0')
		base = 8, start = 1;
	if (start == n)
		return perr(p, *pos, "bad number '%.*s'", (int)n, s);
	for (size_t i = start; i < n; i++) {
		int d = isdigit((unsigned char)s[i]) ? s[i] - '0' :
			isxdigit((unsigned char)s[i]) ? tolower((unsigned char)s[i]) - 'a' + 10 : 99;

		if (d >= (int)base)
			return perr(p, *pos, "bad number '%.*s'", (int)n, s);
		if (v > (UINT64_MAX - d) / base)
			return perr(p, *pos, "number '%.*s' does not fit in 64 bits", (int)n, s);
		v = v * base + d;
	}
	t->num = v;
	*pos += n;
	return 0;
}

static int string(struct parser *p, size_t *pos, struct token *t)
{
	const char *s = p->expr;
	char q = s[*pos];
	size_t i = *pos + 1;

	while (s[i] && s[i] != q)
		i += s[i] == '\\' && s[i + 1] ? 2 : 1;
	if (!s[i])
		return perr(p, *pos, "unterminated string (no closing %c)", q);
	t->t = q == '"' ? T_STR : T_CHAR;
	t->pos = *pos + 1;
	t->len = i - (*pos + 1);
	*pos = i + 1;
	return 0;
}

static const struct { const char *s; enum tok t; } ops[] = {
	{ "||", T_OROR }, { "&&", T_ANDAND }, { "==", T_EQ }, { "!=", T_NE }, { "<=", T_LE },
	{ ">=", T_GE }, { "=~", T_RE }, { "!~", T_NRE }, { "<", T_LT }, { ">", T_GT },
	{ "!", T_NOT }, { "&", T_AND }, { "(", T_LP }, { ")", T_RP },
};

static int one_token(struct parser *p, size_t *pos, struct token *t)
{
	const char *s = p->expr + *pos;
	char c[8];

	t->pos = *pos;
	if (isalpha((unsigned char)*s) || *s == '_') {
		size_t n = 0;

		while (is_name_char(s[n]))
			n++;
		t->t = T_NAME;
		t->len = n;
		*pos += n;
		return 0;
	}
	if (isdigit((unsigned char)*s)) {
		t->t = T_NUM;
		if (number(p, pos, t))
			return -1;
		t->len = *pos - t->pos;
		return 0;
	}
	if (*s == '-' && isdigit((unsigned char)s[1])) {
		++*pos;
		t->t = T_NEGNUM;
		if (number(p, pos, t))
			return -1;
		if (t->num > (uint64_t)INT64_MAX + 1)
			return perr(p, t->pos, "number '%.*s' does not fit in 64 bits",
				    (int)(*pos - t->pos), s);
		t->len = *pos - t->pos;
		return 0;
	}
	if (*s == '"' || *s == '\'')
		return string(p, pos, t);
	for (size_t k = 0; k < sizeof(ops) / sizeof(*ops); k++) {
		size_t n = strlen(ops[k].s);

		if (!strncmp(s, ops[k].s, n)) {
			t->t = ops[k].t;
			t->len = n;
			*pos += n;
			return 0;
		}
	}
	if (*s == '=')
		return perr(p, *pos, "unexpected '=' (comparisons are ==, !=, <, <=, >, >=, =~ and !~)");
	if (*s == '|')
		return perr(p, *pos, "unexpected '|' (or is '||')");
	if (*s == '-')
		return perr(p, *pos, "unexpected '-' (a '-' only starts a negative number; filters have no arithmetic)");
	if (strchr("+*/%^~<>,.", *s))
		return perr(p, *pos, "unexpected '%s' (filters have no arithmetic: compare a field with a value, or test bits with '&')",
			    shown(*s, c));
	return perr(p, *pos, "unexpected '%s'", shown(*s, c));
}

static int tokenize(struct parser *p)
{
	size_t pos = 0, len = strlen(p->expr), cap = 16;

	if (len > FS_TP_FILTER_MAX_LEN)
		return perr(p, FS_TP_FILTER_MAX_LEN, "longer than %u bytes", FS_TP_FILTER_MAX_LEN);
	p->toks = malloc(cap * sizeof(*p->toks));
	if (!p->toks)
		return fs_error__set(p->err, "out of memory");
	for (;;) {
		struct token *t;

		while (p->expr[pos] == ' ' || p->expr[pos] == '\t' || p->expr[pos] == '\n' ||
		       p->expr[pos] == '\r')
			pos++;
		if (p->nt == cap) {
			t = realloc(p->toks, (cap *= 2) * sizeof(*t));
			if (!t)
				return fs_error__set(p->err, "out of memory");
			p->toks = t;
		}
		t = &p->toks[p->nt++];
		memset(t, 0, sizeof(*t));
		if (!p->expr[pos]) {
			t->t = T_END;
			t->pos = pos;
			return 0;
		}
		if (one_token(p, &pos, t))
			return -1;
	}
}

/* How a token looks in a message. */
static const char *tok_text(const struct parser *p, const struct token *t, char buf[48])
{
	if (t->t == T_END)
		return "the end";
	if (t->t == T_STR || t->t == T_CHAR)
		snprintf(buf, 48, "%c%.*s%s%c", t->t == T_STR ? '"' : '\'', t->len > 24 ? 24 : (int)t->len,
			 p->expr + t->pos, t->len > 24 ? "..." : "", t->t == T_STR ? '"' : '\'');
	else
		snprintf(buf, 48, "'%.*s%s'", t->len > 24 ? 24 : (int)t->len, p->expr + t->pos,
			 t->len > 24 ? "..." : "");
	return buf;
}

/* ---- nodes ---- */

static uint32_t new_node(struct parser *p, enum kind k)
{
	struct fs_tp_filter *f = p->f;

	if (!f)
		return 1;	/* the grammar alone: any non-zero index */
	if (f->nr >= f->cap) {
		uint32_t cap = f->cap ? f->cap * 2 : 16;
		struct node *n = realloc(f->nodes, cap * sizeof(*n));

		if (!n) {
			fs_error__set(p->err, "out of memory");
			return 0;
		}
		f->nodes = n;
		f->cap = cap;
	}
	memset(&f->nodes[f->nr], 0, sizeof(*f->nodes));
	f->nodes[f->nr].kind = k;
	return f->nr++;
}

static struct node *node(struct parser *p, uint32_t i)
{
	return p->f ? &p->f->nodes[i] : NULL;
}

/* ---- the grammar ---- */

static uint32_t parse_or(struct parser *p);

static const struct token *peek(const struct parser *p)
{
	return &p->toks[p->i];
}

static bool is_cmp(enum tok t)
{
	return t == T_EQ || t == T_NE || t == T_LT || t == T_LE || t == T_GT || t == T_GE;
}

static void field_list(const struct fs_tp_event *ev, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (uint32_t i = ev->nr_common; i < ev->nr_fields && len + 1 < size; i++)
		len += snprintf(buf + len, size - len, " %s", ev->fields[i].name);
	if (len >= size && size > 4)
		memcpy(buf + size - 4, "...", 4);
}

static int unknown_name(struct parser *p, const struct token *t)
{
	char fields[200];

	field_list(p->ev, fields, sizeof(fields));
	return perr(p, t->pos, "no field '%.*s' (fields:%s; values are numbers, quoted strings or the names the event prints for flags)",
		    (int)t->len, p->expr + t->pos, fields);
}

static bool name_is(const struct parser *p, const struct token *t, const char *s)
{
	return strlen(s) == t->len && !memcmp(p->expr + t->pos, s, t->len);
}

/* The field a NAME token names: an index, F_COMM, F_CPU, or INT32_MIN. */
static int32_t lookup(const struct parser *p, const struct token *t)
{
	const struct fs_tp_event *ev = p->ev;
	char name[257];

	if (t->len >= sizeof(name))
		return INT32_MIN;
	memcpy(name, p->expr + t->pos, t->len);
	name[t->len] = 0;
	if (fs_tracepoints__find_field(ev, name))
		return (int32_t)(fs_tracepoints__find_field(ev, name) - ev->fields);
	if (!strcmp(name, "COMM"))
		return F_COMM;
	if (!strcmp(name, "CPU"))
		return F_CPU;
	return INT32_MIN;
}

enum side { S_NUM, S_STR, S_OTHER };

static enum side side_of(const struct parser *p, int32_t field)
{
	const struct fs_tp_field *f;

	if (field == F_COMM)
		return S_STR;
	if (field == F_CPU)
		return S_NUM;
	f = &p->ev->fields[field];
	if (f->flags & FS_TPW_F_STRING)
		return S_STR;
	if (!(f->flags & FS_TPW_F_ARRAY) && (f->size == 1 || f->size == 2 || f->size == 4 || f->size == 8))
		return S_NUM;
	return S_OTHER;
}

static const char *field_name(const struct parser *p, int32_t field)
{
	return field == F_COMM ? "COMM" : field == F_CPU ? "CPU" : p->ev->fields[field].name;
}

/* A flag or symbol name of field, as a value. */
static bool sym_of(const struct parser *p, int32_t field, const struct token *t, uint64_t *v)
{
	for (uint32_t i = 0; field >= 0 && i < p->ev->nr_syms; i++) {
		const struct fs_tp_sym *s = &p->ev->syms[i];

		if ((int32_t)s->field == field && name_is(p, t, s->name)) {
			*v = s->value;
			return true;
		}
	}
	return false;
}

/* The numeric value of t for field (op is '&' or a comparison). */
static int num_value(struct parser *p, int32_t field, const struct token *op, const struct token *t,
		     struct node *n)
{
	bool sgn = field >= 0 && (p->ev->fields[field].flags & FS_TPW_F_SIGNED);
	char b[48], b2[48];

	switch (t->t) {
	case T_NUM:
		n->val = t->num;
		return 0;
	case T_NEGNUM:
		if (op->t == T_AND)
			return perr(p, t->pos, "a '&' mask is not negative");
		if (!sgn)
			return perr(p, t->pos, "%s is unsigned: it is never %s", field_name(p, field),
				    tok_text(p, t, b));
		n->val = (uint64_t)-t->num;
		return 0;
	case T_CHAR:
		if (t->len == 1) {
			n->val = (unsigned char)p->expr[t->pos];
			return 0;
		}
		/* fall through */
	case T_STR:
		return perr(p, t->pos, "%s is a number: compare it with a number", field_name(p, field));
	case T_NAME:
		if (sym_of(p, field, t, &n->val))
			return 0;
		if (lookup(p, t) != INT32_MIN)
			return perr(p, t->pos, "compares %s with the field %s: a filter compares a field with a value",
				    field_name(p, field), tok_text(p, t, b));
		return unknown_name(p, t);
	default:
		return perr(p, t->pos, "expected a value after %s, not %s", tok_text(p, op, b),
			    tok_text(p, t, b2));
	}
}

static bool has_backref(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		if (s[i] != '\\')
			continue;
		if (s[i + 1] >= '1' && s[i + 1] <= '9')
			return true;
		i++;
	}
	return false;
}

static int str_value(struct parser *p, int32_t field, const struct token *op, const struct token *t,
		     struct node *n)
{
	char b[48];

	if (t->t != T_STR && t->t != T_CHAR)
		return perr(p, t->pos, "%s is a string: compare it with a quoted string, not %s",
			    field_name(p, field), tok_text(p, t, b));
	if (!n)
		return 0;
	n->str = strndup(p->expr + t->pos, t->len);
	n->len = t->len;
	if (!n->str)
		return fs_error__set(p->err, "out of memory");
	if (op->t == T_RE || op->t == T_NRE) {
		int r;

		if (has_backref(n->str, n->len))
			return perr(p, t->pos, "regex back-references (\\1 ...) are not supported");
		n->re = calloc(1, sizeof(*n->re));
		if (!n->re)
			return fs_error__set(p->err, "out of memory");
		r = regcomp(n->re, n->str, REG_ICASE | REG_NOSUB);
		if (r) {
			char msg[128];

			regerror(r, n->re, msg, sizeof(msg));
			free(n->re);
			n->re = NULL;
			return perr(p, t->pos, "bad regex: %s", msg);
		}
	}
	return 0;
}

/* NAME [op value]: the semantics, when an event is known. */
static int test_semantics(struct parser *p, const struct token *name, const struct token *op,
			  const struct token *val, struct node *n)
{
	int32_t field = lookup(p, name);
	enum side side;
	char b[48];

	if (field == INT32_MIN)
		return unknown_name(p, name);
	side = side_of(p, field);
	if (side == S_OTHER)
		return perr(p, name->pos, "field %s (%u bytes, not a number or a string) cannot be compared",
			    field_name(p, field), p->ev->fields[field].size);
	n->field = field;
	n->sgn = field >= 0 && (p->ev->fields[field].flags & FS_TPW_F_SIGNED);
	n->op = op ? op->t : T_END;
	if (!op) {
		if (side == S_STR)
			return perr(p, name->pos, "%s is a string: compare it with a quoted string",
				    field_name(p, field));
		n->kind = K_TRUTH;
		return 0;
	}
	if (op->t == T_RE || op->t == T_NRE) {
		if (side != S_STR)
			return perr(p, op->pos, "%s compares strings, and %s is a number", tok_text(p, op, b),
				    field_name(p, field));
		n->kind = K_RE;
		return str_value(p, field, op, val, n);
	}
	if (side == S_STR) {
		if (op->t != T_EQ && op->t != T_NE)
			return perr(p, op->pos, "%s compares numbers; strings compare with ==, !=, =~ or !~",
				    tok_text(p, op, b));
		if (val->t == T_CHAR && val->len == 1) {
			/* libtraceevent: 'x' is a number, which a string never equals */
			return perr(p, val->pos, "%s is a string: compare it with a quoted string, not %s",
				    field_name(p, field), tok_text(p, val, b));
		}
		n->kind = K_STR;
		return str_value(p, field, op, val, n);
	}
	n->kind = op->t == T_AND ? K_BITS : K_NUM;
	return num_value(p, field, op, val, n);
}

/* test = NAME [ cmp value | "=~" STRING | "!~" STRING | "&" value ] */
static uint32_t parse_test(struct parser *p)
{
	const struct token *name = peek(p), *op = NULL, *val = NULL;
	uint32_t n;
	char b[48], b2[48];

	if (name->t != T_NAME) {
		perr(p, name->pos, "expected a field name, '!' or '(', not %s", tok_text(p, name, b));
		return 0;
	}
	p->i++;
	if (is_cmp(peek(p)->t) || peek(p)->t == T_RE || peek(p)->t == T_NRE || peek(p)->t == T_AND) {
		op = &p->toks[p->i++];
		val = &p->toks[p->i];
		if (val->t != T_NUM && val->t != T_NEGNUM && val->t != T_STR && val->t != T_CHAR &&
		    val->t != T_NAME) {
			perr(p, val->pos, "expected a value after %s, not %s", tok_text(p, op, b),
			     tok_text(p, val, b2));
			return 0;
		}
		if ((op->t == T_RE || op->t == T_NRE) && val->t != T_STR && val->t != T_CHAR) {
			perr(p, val->pos, "%s needs a quoted string, not %s", tok_text(p, op, b),
			     tok_text(p, val, b2));
			return 0;
		}
		p->i++;
	}
	n = new_node(p, K_TRUTH);
	if (n && p->ev && test_semantics(p, name, op, val, node(p, n)))
		return 0;
	return n;
}

static uint32_t parse_unary(struct parser *p)
{
	const struct token *t = peek(p);
	uint32_t n, kid;
	char b[48];

	if (t->t != T_NOT && t->t != T_LP)
		return parse_test(p);
	if (++p->depth > FS_TP_FILTER_MAX_DEPTH) {
		perr(p, t->pos, "nested deeper than %d", FS_TP_FILTER_MAX_DEPTH);
		return 0;
	}
	p->i++;
	if (t->t == T_NOT) {
		kid = parse_unary(p);
		if (!kid || !(n = new_node(p, K_NOT)))
			return 0;
		if (p->f)
			p->f->nodes[n].first = kid;
	} else {
		n = parse_or(p);
		if (!n)
			return 0;
		if (peek(p)->t != T_RP) {
			perr(p, peek(p)->pos, "expected ')' for the '(' at column %u, not %s", t->pos + 1,
			     tok_text(p, peek(p), b));
			return 0;
		}
		p->i++;
	}
	p->depth--;
	return n;
}

/* A run of kids joined by sep: one node, or an AND/OR holding them all. */
static uint32_t parse_list(struct parser *p, enum tok sep, enum kind k, uint32_t (*kid)(struct parser *))
{
	uint32_t first = kid(p), last = first, n;

	if (!first || peek(p)->t != sep)
		return first;
	while (peek(p)->t == sep) {
		uint32_t next;

		p->i++;
		next = kid(p);
		if (!next)
			return 0;
		if (p->f)
			p->f->nodes[last].next = next;
		last = next;
	}
	n = new_node(p, k);
	if (n && p->f)
		p->f->nodes[n].first = first;
	return n;
}

static uint32_t parse_and(struct parser *p)
{
	return parse_list(p, T_ANDAND, K_AND, parse_unary);
}

static uint32_t parse_or(struct parser *p)
{
	return parse_list(p, T_OROR, K_OR, parse_and);
}

static int parse(struct parser *p)
{
	uint32_t root;
	char b[48];

	if (tokenize(p))
		return -1;
	if (peek(p)->t == T_END)
		return perr(p, 0, "empty filter");
	root = parse_or(p);
	if (!root)
		return -1;
	if (peek(p)->t != T_END) {
		const struct token *t = peek(p);

		if (t->t == T_RP)
			return perr(p, t->pos, "')' without its '('");
		return perr(p, t->pos, "unexpected %s (expected &&, || or the end)", tok_text(p, t, b));
	}
	if (p->f)
		p->f->root = root;
	return 0;
}

int fs_tp_filter__check(const char *expr, struct fs_error *err)
{
	struct parser p = { .expr = expr, .err = err };
	int ret = parse(&p);

	free(p.toks);
	return ret;
}

struct fs_tp_filter *fs_tp_filter__new(const struct fs_tracepoints *tp, const struct fs_tp_event *ev,
				       const char *expr, struct fs_error *err)
{
	struct fs_tp_filter *f = calloc(1, sizeof(*f));
	struct parser p = { .expr = expr, .tp = tp, .ev = ev, .f = f, .err = err };

	if (!f) {
		fs_error__set(err, "out of memory");
		return NULL;
	}
	f->tp = tp;
	f->ev = ev;
	f->common_pid = fs_tracepoints__find_field(ev, "common_pid");
	f->nr = 1;	/* node 0 is "none" */
	if (parse(&p) || !(f->scratch = malloc(FS_TPW_MAX_PAYLOAD + 1))) {
		if (!f->scratch && !(err && err->msg[0]))
			fs_error__set(err, "out of memory");
		free(p.toks);
		fs_tp_filter__delete(f);
		return NULL;
	}
	free(p.toks);
	return f;
}

void fs_tp_filter__delete(struct fs_tp_filter *f)
{
	if (!f)
		return;
	for (uint32_t i = 1; i < f->nr; i++) {
		free(f->nodes[i].str);
		if (f->nodes[i].re) {
			regfree(f->nodes[i].re);
			free(f->nodes[i].re);
		}
	}
	free(f->nodes);
	free(f->scratch);
	free(f);
}

/* ---- matching ---- */

struct rec {
	int cpu;
	const uint8_t *raw;
	uint32_t size;
};

static bool num_of(const struct fs_tp_filter *f, const struct node *n, const struct rec *r, uint64_t *v)
{
	int64_t x;

	if (n->field == F_CPU) {
		*v = (uint64_t)(uint32_t)r->cpu;
		return true;
	}
	if (fs_tracepoints__read_field(&f->ev->fields[n->field], r->raw, r->size, &x))
		return false;
	*v = (uint64_t)x;
	return true;
}

static const char *str_of(const struct fs_tp_filter *f, const struct node *n, const struct rec *r,
			  size_t *len)
{
	if (n->field == F_COMM) {
		int64_t pid = -1;
		const char *comm;

		fs_tracepoints__read_field(f->common_pid, r->raw, r->size, &pid);
		comm = fs_tracepoints__comm(f->tp, (int)pid);
		*len = strlen(comm);
		return comm;
	}
	return fs_tracepoints__read_str(&f->ev->fields[n->field], r->raw, r->size, len);
}

static bool compare(const struct node *n, uint64_t v)
{
	if (n->sgn) {
		int64_t a = (int64_t)v, b = (int64_t)n->val;

		switch (n->op) {
		case T_EQ: return a == b;
		case T_NE: return a != b;
		case T_LT: return a < b;
		case T_LE: return a <= b;
		case T_GT: return a > b;
		default: return a >= b;
		}
	}
	switch (n->op) {
	case T_EQ: return v == n->val;
	case T_NE: return v != n->val;
	case T_LT: return v < n->val;
	case T_LE: return v <= n->val;
	case T_GT: return v > n->val;
	default: return v >= n->val;
	}
}

static bool eval(struct fs_tp_filter *f, uint32_t i, const struct rec *r)
{
	const struct node *n = &f->nodes[i];
	const char *s;
	uint64_t v;
	size_t len;

	switch (n->kind) {
	case K_OR:
		for (uint32_t k = n->first; k; k = f->nodes[k].next)
			if (eval(f, k, r))
				return true;
		return false;
	case K_AND:
		for (uint32_t k = n->first; k; k = f->nodes[k].next)
			if (!eval(f, k, r))
				return false;
		return true;
	case K_NOT:
		return !eval(f, n->first, r);
	case K_TRUTH:
		return num_of(f, n, r, &v) && v != 0;
	case K_BITS:
		return num_of(f, n, r, &v) && (v & n->val) != 0;
	case K_NUM:
		return num_of(f, n, r, &v) && compare(n, v);
	case K_STR:
		if (!(s = str_of(f, n, r, &len)))
			return false;
		return (len == n->len && !memcmp(s, n->str, len)) == (n->op == T_EQ);
	case K_RE:
		if (!(s = str_of(f, n, r, &len)) || len > FS_TPW_MAX_PAYLOAD)
			return false;
		memcpy(f->scratch, s, len);
		f->scratch[len] = 0;
		return !regexec(n->re, f->scratch, 0, NULL, 0) == (n->op == T_RE);
	}
	return false;
}

bool fs_tp_filter__match(struct fs_tp_filter *f, int cpu, const void *raw, uint32_t raw_size)
{
	struct rec r = { cpu, raw, raw_size };

	if (!fs_tracepoints__fits(f->ev, raw, raw_size))
		return false;
	return eval(f, f->root, &r);
}
