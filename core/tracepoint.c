// SPDX-License-Identifier: GPL-2.0-only
/*
 * tracepoint: perf's tracing data, cut into its pieces here (every size
 * checked), parsed and rendered by libtraceevent in tpworker's process;
 * the event descriptions it sends back are checked before use.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tracepoint.h"

#define MAX_NAME	256
#define MAX_VALUE	64
#define MAX_FIELDS	65536

struct event {
	struct fs_tp_event pub;
	struct fs_tp_field *fields;
	struct fs_tp_sym *syms;
	char *strings;
};

struct cmdline {
	int pid;
	char comm[17];
};

struct batch;
static void batch_free(struct batch *b);

struct fs_tracepoints {
	struct fs_tpw *w;
	uint8_t *copy;			/* the tracing data, ours */
	char *header_page, *kallsyms, *printk, *cmdlines;
	struct fs_tpw_format *formats;
	uint32_t nr_formats;
	struct event **evs;		/* sorted by id; the first described wins a tie */
	size_t nr_evs, cap_evs;
	struct cmdline *comms;		/* sorted by pid */
	size_t nr_comms;
	fs_tp_resolver *resolve;
	void *resolve_priv;
	struct batch *batch;		/* submitted, not yet collected */
	char *text;			/* fs_tracepoints__print()'s */
	size_t text_len, text_cap;
	int text_status;
};

/* ---- the container ---- */

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

static int add_format(struct fs_tracepoints *tp, struct cur *c, const char *sys, uint32_t *cap)
{
	const uint8_t *q = NULL;
	uint64_t size;

	if (u64(c, &size, "event format size") || take(c, size, &q, "event format runs past the end"))
		return -1;
	if (tp->nr_formats == *cap) {
		uint32_t n = *cap ? *cap * 2 : 16;
		struct fs_tpw_format *f = realloc(tp->formats, n * sizeof(*f));

		if (!f)
			return fs_error__set(c->err, "tracing data: out of memory");
		tp->formats = f;
		*cap = n;
	}
	tp->formats[tp->nr_formats++] = (struct fs_tpw_format){ (const char *)q, size, sys };
	return 0;
}

static int event_files(struct fs_tracepoints *tp, struct cur *c)
{
	uint32_t count, systems, cap = 0;
	const char *sys = NULL;

	if (u32(c, &count, "ftrace format count"))
		return -1;
	for (uint32_t i = 0; i < count; i++)
		if (add_format(tp, c, "ftrace", &cap))
			return -1;
	if (u32(c, &systems, "system count"))
		return -1;
	for (uint32_t i = 0; i < systems; i++) {
		if (str(c, &sys, "system name") || u32(c, &count, "event count"))
			return -1;
		for (uint32_t x = 0; x < count; x++)
			if (add_format(tp, c, sys, &cap))
				return -1;
	}
	return 0;
}

static int tail(struct fs_tracepoints *tp, struct cur *c, double version)
{
	uint32_t size;
	uint64_t size64;

	if (u32(c, &size, "kallsyms size"))
		return -1;
	if (size && !(tp->kallsyms = block(c, size, "kallsyms run past the end")))
		return -1;
	if (u32(c, &size, "printk formats size"))
		return -1;
	if (size && !(tp->printk = block(c, size, "printk formats run past the end")))
		return -1;
	if (version < 0.6)
		return 0;
	if (u64(c, &size64, "saved cmdlines size"))
		return -1;
	if (size64 && !(tp->cmdlines = block(c, size64, "saved cmdlines run past the end")))
		return -1;
	return 0;
}

static int parse(struct fs_tracepoints *tp, struct cur *c, struct fs_tpw_data *d)
{
	static const uint8_t magic[] = { 23, 8, 68, 't', 'r', 'a', 'c', 'i', 'n', 'g' };
	const uint8_t *q = NULL;
	const char *version = NULL;
	uint32_t page_size;
	uint64_t size;

	if (take(c, sizeof(magic), &q, "no tracing magic") || memcmp(q, magic, sizeof(magic)))
		return bad(c, "no tracing magic");
	if (str(c, &version, "version string"))
		return -1;
	if (take(c, 2, &q, "endianness and long size"))
		return -1;
	if (q[0] != (__BYTE_ORDER__ == __ORDER_BIG_ENDIAN__))
		return bad(c, "byte-swapped tracing data");
	if (q[1] != 4 && q[1] != 8)
		return bad(c, "long size not 4 or 8");
	d->long_size = q[1];
	if (u32(c, &page_size, "page size"))
		return -1;
	if (!page_size || page_size > (1u << 30))
		return bad(c, "page size 0 or past 1 GiB");
	d->page_size = (int)page_size;
	if (take(c, 12, &q, "no header_page") || memcmp(q, "header_page", 12))
		return bad(c, "no header_page");
	if (u64(c, &size, "header_page size") ||
	    !(tp->header_page = block(c, size, "header_page runs past the end")))
		return -1;
	d->header_page_size = size;
	if (take(c, 13, &q, "no header_event") || memcmp(q, "header_event", 13))
		return bad(c, "no header_event");
	if (u64(c, &size, "header_event size") || take(c, size, &q, "header_event runs past the end"))
		return -1;
	if (event_files(tp, c))
		return -1;
	return tail(tp, c, atof(version));
}

/* ---- saved cmdlines, for COMM in filters ---- */

static int comm_cmp(const void *a, const void *b)
{
	const struct cmdline *x = a, *y = b;

	return (x->pid > y->pid) - (x->pid < y->pid);
}

static void load_comms(struct fs_tracepoints *tp)
{
	size_t cap = 0;

	for (const char *p = tp->cmdlines; p && *p;) {
		const char *nl = strchr(p, '\n');
		struct cmdline cl = { 0 };
		char line[64];
		size_t n = nl ? (size_t)(nl - p) : strlen(p);

		if (n < sizeof(line)) {
			memcpy(line, p, n);
			line[n] = 0;
			if (sscanf(line, "%d %16s", &cl.pid, cl.comm) == 2) {
				if (tp->nr_comms == cap) {
					struct cmdline *v = realloc(tp->comms, (cap = cap ? cap * 2 : 64) * sizeof(*v));

					if (!v)
						return;	/* COMM then matches "<...>" */
					tp->comms = v;
				}
				tp->comms[tp->nr_comms++] = cl;
			}
		}
		p = nl ? nl + 1 : p + n;
	}
	if (tp->nr_comms)
		qsort(tp->comms, tp->nr_comms, sizeof(*tp->comms), comm_cmp);
}

const char *fs_tracepoints__comm(const struct fs_tracepoints *tp, int pid)
{
	size_t lo = 0, hi = tp ? tp->nr_comms : 0;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tp->comms[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < (tp ? tp->nr_comms : 0) && tp->comms[lo].pid == pid ? tp->comms[lo].comm : "<...>";
}

/* ---- event descriptions from the worker ---- */

/* A value the print format gives a name: a number, as libtraceevent writes it. */
static bool sym_value(const char *s, uint32_t len, uint64_t *v)
{
	char buf[MAX_VALUE + 1], *end;

	memcpy(buf, s, len);
	buf[len] = 0;
	if (!len || !(isdigit((unsigned char)buf[0]) || (buf[0] == '-' && isdigit((unsigned char)buf[1]))))
		return false;
	errno = 0;
	*v = buf[0] == '-' ? (uint64_t)strtoll(buf, &end, 0) : strtoull(buf, &end, 0);
	while (*end == 'u' || *end == 'U' || *end == 'l' || *end == 'L')
		end++;
	return !errno && !*end;
}

static bool valid_name(uint32_t len)
{
	return len > 0 && len <= MAX_NAME;
}

/* Reads (fill = NULL: checks and measures) a description; false when malformed. */
static bool read_desc(struct fs_tpw_msg m, struct event *fill, size_t *strbytes, uint32_t *nr_fields,
		      uint32_t *nr_syms)
{
	char *sp = fill ? fill->strings : NULL;
	uint32_t len, nf, nc, ns, kept = 0;
	const char *s;
	int32_t id;

#define STR(dst, max) do {						\
		s = fs_tpw_msg__str(&m, &len, (max));			\
		if (fill) {						\
			memcpy(sp, s, len);				\
			sp[len] = 0;					\
			(dst) = sp;					\
			sp += len + 1;					\
		} else {						\
			*strbytes += len + 1;				\
		}							\
	} while (0)

	fs_tpw_msg__u32(&m);	/* the format's index */
	id = (int32_t)fs_tpw_msg__u32(&m);
	if (fill)
		fill->pub.id = id;
	STR(fill->pub.system, MAX_NAME);
	STR(fill->pub.name, MAX_NAME);
	nf = fs_tpw_msg__u32(&m);
	nc = fs_tpw_msg__u32(&m);
	if (m.bad || nf > MAX_FIELDS || nc > nf)
		return false;
	if (fill) {
		fill->pub.nr_fields = nf;
		fill->pub.nr_common = nc;
	} else {
		*nr_fields = nf;
	}
	for (uint32_t i = 0; i < nf; i++) {
		struct fs_tp_field *f = fill ? &fill->fields[i] : NULL;

		STR(f->name, MAX_NAME);
		if (!m.bad && !valid_name(len))
			return false;
		uint32_t off = fs_tpw_msg__u32(&m), size = fs_tpw_msg__u32(&m);
		uint32_t flags = fs_tpw_msg__u32(&m);

		if (f)
			*f = (struct fs_tp_field){ f->name, off, size, flags };
	}
	ns = fs_tpw_msg__u32(&m);
	if (m.bad || ns > 4096)
		return false;
	for (uint32_t i = 0; i < ns; i++) {
		const char *fname, *name, *value;
		uint32_t flen, nlen, vlen, field = UINT32_MAX;
		uint64_t v;

		fname = fs_tpw_msg__str(&m, &flen, MAX_NAME);
		name = fs_tpw_msg__str(&m, &nlen, MAX_NAME);
		value = fs_tpw_msg__str(&m, &vlen, MAX_VALUE);
		if (m.bad)
			return false;
		if (fill)
			for (uint32_t k = 0; k < nf && field == UINT32_MAX; k++)
				if (strlen(fill->fields[k].name) == flen &&
				    !memcmp(fill->fields[k].name, fname, flen))
					field = k;
		/* names of unknown fields and non-numeric values are dropped */
		if (!valid_name(nlen) || !sym_value(value, vlen, &v))
			continue;
		if (!fill) {
			*strbytes += nlen + 1;
			kept++;
			continue;
		}
		if (field == UINT32_MAX)
			continue;
		memcpy(sp, name, nlen);
		sp[nlen] = 0;
		fill->syms[kept++] = (struct fs_tp_sym){ field, sp, v };
		sp += nlen + 1;
	}
#undef STR
	if (fill)
		fill->pub.nr_syms = kept;
	else
		*nr_syms = kept;
	return !m.bad && m.p == m.end;
}

static void event_free(struct event *e)
{
	if (!e)
		return;
	free(e->fields);
	free(e->syms);
	free(e->strings);
	free(e);
}

/* One parsed format's description: kept if well formed (a malformed one is skipped). */
static int on_desc(void *priv, uint32_t idx, const uint8_t *desc, size_t len)
{
	struct fs_tracepoints *tp = priv;
	struct fs_tpw_msg m = { desc, desc + len, false };
	size_t strbytes = 0;
	uint32_t nr_fields = 0, nr_syms = 0;
	struct event *e;

	(void)idx;
	if (!read_desc(m, NULL, &strbytes, &nr_fields, &nr_syms))
		return 0;
	e = calloc(1, sizeof(*e));
	if (!e)
		return -1;
	e->strings = malloc(strbytes + 1);
	e->syms = calloc(nr_syms + 1, sizeof(*e->syms));
	e->fields = calloc(nr_fields + 1, sizeof(*e->fields));
	if (!e->strings || !e->syms || !e->fields || !read_desc(m, e, NULL, NULL, NULL)) {
		event_free(e);
		return -1;
	}
	e->pub.fields = e->fields;
	e->pub.syms = e->syms;
	if (tp->nr_evs == tp->cap_evs) {
		size_t cap = tp->cap_evs ? tp->cap_evs * 2 : 16;
		struct event **v = realloc(tp->evs, cap * sizeof(*v));

		if (!v) {
			event_free(e);
			return -1;
		}
		tp->evs = v;
		tp->cap_evs = cap;
	}
	tp->evs[tp->nr_evs++] = e;
	return 0;
}

static int ev_cmp(const void *a, const void *b)
{
	const struct event *x = *(struct event *const *)a, *y = *(struct event *const *)b;

	return (x->pub.id > y->pub.id) - (x->pub.id < y->pub.id);
}

/* Sorted by id; of events sharing an id only the first described stays. */
static int index_events(struct fs_tracepoints *tp)
{
	size_t out = 0;
	char name[2 * MAX_NAME + 2];

	/* qsort is not stable: order by (id, arrival) through a merge of runs */
	for (size_t i = 1; i < tp->nr_evs; i++) {
		struct event *e = tp->evs[i];
		size_t j = i;

		while (j && ev_cmp(&tp->evs[j - 1], &e) > 0) {
			tp->evs[j] = tp->evs[j - 1];
			j--;
		}
		tp->evs[j] = e;
	}
	for (size_t i = 0; i < tp->nr_evs; i++) {
		if (out && tp->evs[out - 1]->pub.id == tp->evs[i]->pub.id) {
			event_free(tp->evs[i]);
			continue;
		}
		tp->evs[out++] = tp->evs[i];
	}
	tp->nr_evs = out;
	for (size_t i = 0; i < tp->nr_evs; i++) {
		snprintf(name, sizeof(name), "%s:%s", tp->evs[i]->pub.system, tp->evs[i]->pub.name);
		if (fs_tpw__name_event(tp->w, tp->evs[i]->pub.id, name))
			return -1;
	}
	return 0;
}

/* ---- life ---- */

struct fs_tracepoints *fs_tracepoints__new(const void *data, uint64_t size, struct fs_error *err)
{
	struct fs_tracepoints *tp;
	struct fs_tpw_data d = { 0 };
	struct cur c;

	if (!data) {
		fs_error__set(err, "no tracing data in the file");
		return NULL;
	}
	tp = calloc(1, sizeof(*tp));
	if (!tp || !(tp->copy = malloc(size ? size : 1))) {
		free(tp);
		fs_error__set(err, "tracing data: out of memory");
		return NULL;
	}
	memcpy(tp->copy, data, size);
	c = (struct cur){ tp->copy, tp->copy + size, tp->copy, err };
	if (parse(tp, &c, &d))
		goto fail;
	d.header_page = tp->header_page;
	d.kallsyms = tp->kallsyms;
	d.printk = tp->printk;
	d.cmdlines = tp->cmdlines;
	d.formats = tp->formats;
	d.nr_formats = tp->nr_formats;
	load_comms(tp);
	tp->w = fs_tpw__new(&d, on_desc, tp, err);
	if (!tp->w)
		goto fail;
	if (index_events(tp)) {
		fs_error__set(err, "tracing data: out of memory");
		goto fail;
	}
	return tp;
fail:
	fs_tracepoints__delete(tp);
	return NULL;
}

void fs_tracepoints__delete(struct fs_tracepoints *tp)
{
	if (!tp)
		return;
	fs_tpw__delete(tp->w);
	for (size_t i = 0; i < tp->nr_evs; i++)
		event_free(tp->evs[i]);
	free(tp->evs);
	free(tp->comms);
	free(tp->formats);
	free(tp->header_page);
	free(tp->kallsyms);
	free(tp->printk);
	free(tp->cmdlines);
	free(tp->copy);
	batch_free(tp->batch);
	free(tp->text);
	free(tp);
}

static const char *resolve(void *priv, void *ctx, uint64_t *addr, const char **mod)
{
	struct fs_tracepoints *tp = priv;

	return tp->resolve ? tp->resolve(tp->resolve_priv, ctx, addr, mod) : NULL;
}

void fs_tracepoints__set_resolver(struct fs_tracepoints *tp, fs_tp_resolver *fn, void *priv)
{
	tp->resolve = fn;
	tp->resolve_priv = priv;
	fs_tpw__set_resolver(tp->w, fn ? resolve : NULL, tp);
}

const struct fs_tpw_stats *fs_tracepoints__stats(const struct fs_tracepoints *tp)
{
	return fs_tpw__stats(tp->w);
}

struct fs_tpw *fs_tracepoints__worker(const struct fs_tracepoints *tp)
{
	return tp->w;
}

size_t fs_tracepoints__nr_events(const struct fs_tracepoints *tp)
{
	return tp->nr_evs;
}

const struct fs_tp_event *fs_tracepoints__event_at(const struct fs_tracepoints *tp, size_t i)
{
	return i < tp->nr_evs ? &tp->evs[i]->pub : NULL;
}

const struct fs_tp_event *fs_tracepoints__event(const struct fs_tracepoints *tp,
						const struct perf_event_attr *attr)
{
	size_t lo = 0, hi;

	if (!tp || attr->type != PERF_TYPE_TRACEPOINT || attr->config > INT32_MAX)
		return NULL;
	hi = tp->nr_evs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (tp->evs[mid]->pub.id < (int32_t)attr->config)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < tp->nr_evs && tp->evs[lo]->pub.id == (int32_t)attr->config ? &tp->evs[lo]->pub : NULL;
}

/* ---- payloads ---- */

/* A __data_loc field's bytes: u32 offset | length << 16, relative to the field's end if __rel_loc. */
static bool dyn_span(const struct fs_tp_field *f, const uint8_t *raw, uint32_t size, uint64_t *off,
		     uint64_t *len)
{
	uint32_t loc;

	memcpy(&loc, raw + f->offset, 4);
	*off = loc & 0xffff;
	*len = loc >> 16;
	if (f->flags & FS_TPW_F_RELATIVE)
		*off += (uint64_t)f->offset + f->size;
	return *off + *len <= size;
}

bool fs_tracepoints__fits(const struct fs_tp_event *ev, const void *raw, uint32_t raw_size)
{
	if (!ev || !raw)
		return false;
	for (uint32_t i = 0; i < ev->nr_fields; i++) {
		const struct fs_tp_field *f = &ev->fields[i];
		uint64_t off, len;

		if ((uint64_t)f->offset + f->size > raw_size)
			return false;
		if ((f->flags & FS_TPW_F_DYNAMIC) && f->size == 4 && !dyn_span(f, raw, raw_size, &off, &len))
			return false;
	}
	return true;
}

/* A batch between submit and collect. */
struct batch {
	const struct fs_tp_request *req;
	size_t n, next;			/* next: the next request to hand to cb */
	struct fs_tpw_request *wr;	/* what went to the worker */
	size_t *orig;			/* worker request j is req[orig[j]] */
	size_t cap;
	fs_tp_print_cb *cb;
	void *priv;
};

static void batch_free(struct batch *b)
{
	if (!b)
		return;
	free(b->wr);
	free(b->orig);
	free(b);
}

/* Requests that did not go to the worker (short payloads, unknown events) print nothing. */
static int pass_unsent(struct batch *b, size_t upto)
{
	for (; b->next < upto; b->next++)
		if (b->cb(b->priv, b->next, -1, "", 0))
			return -1;
	return 0;
}

static int from_worker(void *priv, size_t j, enum fs_tpw_status st, const char *text, size_t len)
{
	struct batch *b = priv;
	size_t i = b->orig[j];

	if (pass_unsent(b, i))
		return -1;
	b->next = i + 1;
	return b->cb(b->priv, i, st == FS_TPW_OK ? 0 : st == FS_TPW_NO_EVENT ? -1 : 1, text, len);
}

int fs_tracepoints__submit(struct fs_tracepoints *tp, const struct fs_tp_request *req, size_t n,
			   struct fs_error *err)
{
	struct batch *b = tp->batch;
	size_t m = 0;

	if (!b && !(b = tp->batch = calloc(1, sizeof(*b))))
		return fs_error__set(err, "out of memory");
	if (n > b->cap) {
		struct fs_tpw_request *wr = realloc(b->wr, n * sizeof(*wr));
		size_t *orig;

		if (wr)
			b->wr = wr;
		orig = wr ? realloc(b->orig, n * sizeof(*orig)) : NULL;
		if (!orig)
			return fs_error__set(err, "out of memory");
		b->orig = orig;
		b->cap = n;
	}
	for (size_t i = 0; i < n; i++) {
		const struct fs_tp_request *r = &req[i];

		if (!r->ev || r->raw_size > FS_TPW_MAX_PAYLOAD || !fs_tracepoints__fits(r->ev, r->raw, r->raw_size))
			continue;
		b->wr[m] = (struct fs_tpw_request){ r->ev->id, r->cpu, r->raw, r->raw_size, r->ctx };
		b->orig[m++] = i;
	}
	b->req = req;
	b->n = n;
	b->next = 0;
	return fs_tpw__submit(tp->w, b->wr, m, err);
}

int fs_tracepoints__collect(struct fs_tracepoints *tp, fs_tp_print_cb *cb, void *priv,
			    struct fs_error *err)
{
	struct batch *b = tp->batch;

	if (!b || !b->req)
		return 0;
	b->cb = cb;
	b->priv = priv;
	if (fs_tpw__collect(tp->w, from_worker, b, err) || pass_unsent(b, b->n)) {
		b->req = NULL;
		return -1;
	}
	b->req = NULL;
	return 0;
}

int fs_tracepoints__print_batch(struct fs_tracepoints *tp, const struct fs_tp_request *req,
				size_t n, fs_tp_print_cb *cb, void *priv, struct fs_error *err)
{
	if (fs_tracepoints__submit(tp, req, n, err))
		return -1;
	return fs_tracepoints__collect(tp, cb, priv, err);
}

static int keep_text(void *priv, size_t i, int status, const char *text, size_t len)
{
	struct fs_tracepoints *tp = priv;

	(void)i;
	tp->text_status = status;
	if (len + 1 > tp->text_cap) {
		char *t = realloc(tp->text, len + 1);

		if (!t)
			return -1;
		tp->text = t;
		tp->text_cap = len + 1;
	}
	memcpy(tp->text, text, len);
	tp->text[len] = 0;
	tp->text_len = len;
	return 0;
}

int fs_tracepoints__print(struct fs_tracepoints *tp, const struct fs_tp_event *ev, int cpu,
			  const void *raw, uint32_t raw_size, const char **text, size_t *len)
{
	struct fs_tp_request r = { ev, cpu, raw, raw_size, NULL };

	*text = "";
	*len = 0;
	tp->text_status = -1;
	if (fs_tracepoints__print_batch(tp, &r, 1, keep_text, tp, NULL) || tp->text_status < 0)
		return -1;
	*text = tp->text;
	*len = tp->text_len;
	return tp->text_status;
}

const struct fs_tp_field *fs_tracepoints__find_field(const struct fs_tp_event *ev, const char *name)
{
	if (!ev)
		return NULL;
	/* libtraceevent's tep_find_any_field(): the event's own fields, then the common ones */
	for (uint32_t i = ev->nr_common; i < ev->nr_fields; i++)
		if (!strcmp(ev->fields[i].name, name))
			return &ev->fields[i];
	for (uint32_t i = 0; i < ev->nr_common; i++)
		if (!strcmp(ev->fields[i].name, name))
			return &ev->fields[i];
	return NULL;
}

int fs_tracepoints__read_field(const struct fs_tp_field *f, const void *raw, uint32_t raw_size,
			       int64_t *val)
{
	uint64_t v = 0;

	if (!f || !raw || (f->size != 1 && f->size != 2 && f->size != 4 && f->size != 8) ||
	    (uint64_t)f->offset + f->size > raw_size)
		return -1;
	memcpy(&v, (const uint8_t *)raw + f->offset, f->size);	/* little-endian (checked at parse) */
	if ((f->flags & FS_TPW_F_SIGNED) && f->size < 8 && (v >> (f->size * 8 - 1)) & 1)
		v |= ~0ULL << (f->size * 8);
	*val = (int64_t)v;
	return 0;
}

const char *fs_tracepoints__read_str(const struct fs_tp_field *f, const void *raw,
				     uint32_t raw_size, size_t *len)
{
	const uint8_t *p = raw, *nul;
	uint64_t off = f ? f->offset : 0, n = f ? f->size : 0;

	if (!f || !raw || !(f->flags & FS_TPW_F_STRING) || off + n > raw_size)
		return NULL;
	if ((f->flags & FS_TPW_F_DYNAMIC) && (f->size != 4 || !dyn_span(f, p, raw_size, &off, &n)))
		return NULL;
	nul = memchr(p + off, 0, n);
	*len = nul ? (size_t)(nul - (p + off)) : n;
	return (const char *)p + off;
}

int fs_tracepoints__field(const struct fs_tp_event *ev, const char *name, const void *raw,
			  uint32_t raw_size, int64_t *val)
{
	return fs_tracepoints__read_field(fs_tracepoints__find_field(ev, name), raw, raw_size, val);
}

bool fs_tracepoints__is(const struct fs_tp_event *ev, const char *system, const char *name)
{
	return ev && !strcmp(ev->system, system) && !strcmp(ev->name, name);
}
