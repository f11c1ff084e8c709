// SPDX-License-Identifier: GPL-2.0-only
/*
 * The offline HTML report: the page's code (core/report/, embedded by
 * report-assets.S) around the profile, serialised for it.
 *
 * The payload, gzip'd and base64'd into a data block, is a JSON header (what
 * the page needs to know: events, options, counts) and binary sections of
 * LEB128 numbers, each a column so that deflate sees alike values together:
 *   strings   lengths, then the bytes (names as perf prints them, never
 *             decoded here: the page mirrors escape.c)
 *   nodes     the flame tree in preorder with children sorted by name, so
 *             the page lays out a range's graph in one pass: per node its
 *             depth step ("up"), name and kind
 *   entries   what a sample's stack is to the views: its tree node, the
 *             (root, stack) key the folding aggregates by (--normalize rounds
 *             per key), and whether it is idle under each rule
 *   threads   pid, tid, comm
 *   cpus      the cpu numbers seen
 *   samples   per sample, sorted by time: cpu, microseconds since the same
 *             cpu's previous sample (timers tick per cpu, so these repeat),
 *             thread (0 = the cpu's previous one), entry (0 = the thread's
 *             previous one), and event and period when embedded
 * Times are perf script's microseconds, the clock FlameScope and the views
 * compute with, so the page's doubles are the command's.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include "escape.h"
#include "find.h"
#include "idmap.h"
#include "report.h"
#include "strtab.h"
#include "util.h"
#include "view-int.h"

/* core/report-assets.S */
extern const char fs_report_html[], fs_report_html_end[];
extern const char fs_report_css[], fs_report_css_end[];
extern const char fs_report_js[], fs_report_js_end[];
extern const char fs_report_css_sha256[], fs_report_css_sha256_end[];
extern const char fs_report_js_sha256[], fs_report_js_sha256_end[];

#define FORMAT_VERSION	1

struct buf {
	uint8_t *p;
	size_t n, alloc;
	bool oom;
};

static void buf__reserve(struct buf *b, size_t more)
{
	if (!b->oom && (more > SIZE_MAX - b->n || FS_GROW(b->p, b->alloc, b->n + more)))
		b->oom = true;
}

static void put_bytes(struct buf *b, const void *s, size_t len)
{
	buf__reserve(b, len);
	if (b->oom)
		return;
	memcpy(b->p + b->n, s, len);
	b->n += len;
}

static void put_varint(struct buf *b, uint64_t v)
{
	buf__reserve(b, 10);
	if (b->oom)
		return;
	while (v >= 0x80) {
		b->p[b->n++] = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	b->p[b->n++] = (uint8_t)v;
}

static void put_signed(struct buf *b, int64_t v)
{
	put_varint(b, v < 0 ? ((uint64_t)~v << 1) | 1 : (uint64_t)v << 1);
}

struct thread {
	int32_t pid, tid;
	uint32_t comm;			/* output string id */
};

struct report {
	const struct fs_profile *p;
	const struct fs_filter *f;
	const struct fs_report_opts *o;
	struct fs_flame_index ix;
	uint8_t *want;
	uint64_t nr_samples;		/* embedded */
	struct fs_strtab *strs;		/* every string the page gets */
	uint32_t *node_order;		/* tree node -> preorder index */
	uint32_t *entry_of;		/* per profile sample: its entry */
	uint32_t *entry_key, nr_entries;
	uint8_t *entry_idle;
	size_t alloc_entry_key, alloc_entry_idle;
	struct fs_idmap entries;
	uint32_t *thread_of;		/* per profile sample */
	struct thread *threads;
	uint32_t nr_threads;
	size_t alloc_threads;
	struct fs_idmap thread_index;
	uint32_t *cpus, nr_cpus;	/* cpu numbers, in order seen */
	size_t alloc_cpus;
	uint32_t *cpu_of;		/* per profile sample: index into cpus */
	bool periods, events;		/* columns embedded */
	struct buf bin;
};

static uint32_t str_id(struct report *r, const char *s)
{
	return fs_strtab__add(r->strs, s, strlen(s));
}

/* The samples f admits by everything but event, idleness and range: the page picks those. */
static int select_samples(struct report *r, struct fs_error *err)
{
	struct fs_filter hard = *r->f;

	r->want = calloc(r->p->nr_samples + 1, 1);
	if (!r->want)
		return fs_error__set(err, "report: out of memory");
	hard.include_idle = true;
	for (uint64_t i = 0; i < r->p->nr_samples; i++) {
		const struct fs_profile_sample *s = &r->p->samples[i];

		hard.resolved_event = s->event;
		r->want[i] = fs_filter__match(&hard, r->p, s);
		r->nr_samples += r->want[i];
	}
	return 0;
}

/* Preorder over sorted children: a node's subtree follows it, parents come first. */
static int order_nodes(struct report *r, struct fs_error *err)
{
	const struct fs_flame *fl = r->ix.flame;
	uint32_t *stack = malloc((fl->nr_nodes + 1) * sizeof(*stack)), n = 0, at = 0;

	r->node_order = malloc((fl->nr_nodes + 1) * sizeof(*r->node_order));
	if (!stack || !r->node_order) {
		free(stack);
		return fs_error__set(err, "report: out of memory");
	}
	stack[n++] = 0;
	while (n) {
		uint32_t id = stack[--n], first = n, c;

		r->node_order[id] = at++;
		for (c = fl->nodes[id].first_child; c; c = fl->nodes[c].next_sibling)
			stack[n++] = c;
		/* reversed, so the first child is popped first */
		for (uint32_t i = first, j = n; i + 1 < j; i++, j--) {
			c = stack[i];
			stack[i] = stack[j - 1];
			stack[j - 1] = c;
		}
	}
	free(stack);
	return 0;
}

static int add_entry(struct report *r, uint32_t key, uint8_t idle, uint32_t *id)
{
	uint64_t k = (uint64_t)key << 2 | idle;
	uint32_t e = fs_idmap__get(&r->entries, k);

	if (e == UINT32_MAX) {
		if (FS_GROW(r->entry_key, r->alloc_entry_key, r->nr_entries + 1) ||
		    FS_GROW(r->entry_idle, r->alloc_entry_idle, r->nr_entries + 1))
			return -1;
		e = r->nr_entries++;
		r->entry_key[e] = key;
		r->entry_idle[e] = idle;
		if (fs_idmap__put(&r->entries, k, e))
			return -1;
	}
	*id = e;
	return 0;
}

static int add_thread(struct report *r, const struct fs_profile_sample *s, uint32_t *id)
{
	uint32_t comm = str_id(r, fs_profile__str(r->p, s->comm));
	uint64_t k = (uint64_t)(uint32_t)s->tid << 32 | comm;
	uint32_t t = fs_idmap__get(&r->thread_index, k);

	if (comm == UINT32_MAX)
		return -1;
	if (t != UINT32_MAX && r->threads[t].pid == s->pid) {
		*id = t;
		return 0;
	}
	/* a tid reused by another process with the same comm: rare, found by a scan */
	for (t = 0; t < r->nr_threads && t != UINT32_MAX; t++)
		if (r->threads[t].tid == s->tid && r->threads[t].comm == comm && r->threads[t].pid == s->pid)
			break;
	if (t < r->nr_threads) {
		*id = t;
		return 0;
	}
	if (FS_GROW(r->threads, r->alloc_threads, r->nr_threads + 1))
		return -1;
	t = r->nr_threads++;
	r->threads[t] = (struct thread){ s->pid, s->tid, comm };
	if (fs_idmap__get(&r->thread_index, k) == UINT32_MAX && fs_idmap__put(&r->thread_index, k, t))
		return -1;
	*id = t;
	return 0;
}

static int add_cpu(struct report *r, uint32_t cpu, uint32_t *id)
{
	uint32_t i;

	/* few cpus, and consecutive samples mostly repeat the last few */
	for (i = r->nr_cpus; i-- > 0;)
		if (r->cpus[i] == cpu) {
			*id = i;
			return 0;
		}
	if (FS_GROW(r->cpus, r->alloc_cpus, r->nr_cpus + 1))
		return -1;
	*id = r->nr_cpus;
	r->cpus[r->nr_cpus++] = cpu;
	return 0;
}

/* Entries, threads and cpus of the embedded samples, in order of first use. */
static int intern_samples(struct report *r, struct fs_error *err)
{
	const struct fs_profile *p = r->p;
	uint64_t n = p->nr_samples + 1;

	r->entry_of = malloc(n * sizeof(*r->entry_of));
	r->thread_of = malloc(n * sizeof(*r->thread_of));
	r->cpu_of = malloc(n * sizeof(*r->cpu_of));
	if (!r->entry_of || !r->thread_of || !r->cpu_of || fs_idmap__init(&r->entries, 4096) ||
	    fs_idmap__init(&r->thread_index, 256))
		return fs_error__set(err, "report: out of memory");
	for (uint64_t i = 0; i < p->nr_samples; i++) {
		const struct fs_profile_sample *s = &p->samples[i];
		uint8_t idle;

		if (!r->want[i])
			continue;
		idle = fs_profile__is_idle(p, s, FS_IDLE_FLAMESCOPE) | fs_profile__is_idle(p, s, FS_IDLE_LEAF) << 1;
		if (add_entry(r, r->ix.sample_key[i], idle, &r->entry_of[i]) ||
		    add_thread(r, s, &r->thread_of[i]) || add_cpu(r, s->cpu, &r->cpu_of[i]))
			return fs_error__set(err, "report: out of memory");
		if (s->event != p->samples[0].event)
			r->events = true;
	}
	return 0;
}

static void put_strings(struct report *r)
{
	uint32_t n = fs_strtab__count(r->strs);

	put_varint(&r->bin, n);
	for (uint32_t i = 0; i < n; i++)
		put_varint(&r->bin, strlen(fs_strtab__str(r->strs, i)));
	for (uint32_t i = 0; i < n; i++) {
		const char *s = fs_strtab__str(r->strs, i);

		put_bytes(&r->bin, s, strlen(s));
	}
}

/* Node columns in preorder: up (previous depth + 1 - depth), name, kind. */
static int put_nodes(struct report *r, struct fs_error *err)
{
	const struct fs_flame *fl = r->ix.flame;
	uint32_t n = fl->nr_nodes, *by_order = malloc((n + 1) * sizeof(*by_order));
	uint32_t *depth = calloc(n + 1, sizeof(*depth)), *name = malloc((n + 1) * sizeof(*name));
	uint32_t prev = 0;

	if (!by_order || !depth || !name) {
		free(by_order);
		free(depth);
		free(name);
		return fs_error__set(err, "report: out of memory");
	}
	for (uint32_t id = 0; id < n; id++)
		by_order[r->node_order[id]] = id;
	for (uint32_t id = 1; id < n; id++)	/* parents come before children */
		depth[id] = depth[fl->nodes[id].parent] + 1;
	/* names first, so the table's order follows the tree's */
	for (uint32_t i = 1; i < n; i++) {
		name[i] = str_id(r, fl->nodes[by_order[i]].name);
		if (name[i] == UINT32_MAX)
			break;
	}
	put_varint(&r->bin, n);
	for (uint32_t i = 1; i < n; i++) {
		uint32_t d = depth[by_order[i]];

		put_varint(&r->bin, prev + 1 - d);
		prev = d;
	}
	for (uint32_t i = 1; i < n; i++)
		put_varint(&r->bin, name[i]);
	for (uint32_t i = 1; i < n; i++)
		put_varint(&r->bin, fl->nodes[by_order[i]].kind);
	free(by_order);
	free(depth);
	free(name);
	return 0;
}

static void put_entries(struct report *r)
{
	uint32_t prev = 0;

	put_varint(&r->bin, r->nr_entries);
	for (uint32_t e = 0; e < r->nr_entries; e++) {
		uint32_t k = r->entry_key[e];

		put_varint(&r->bin, k == FS_FLAME_NO_KEY ? 0 : r->node_order[r->ix.key_node[k]] + 1);
	}
	/* keys: the previous entry's plus one, mostly */
	for (uint32_t e = 0; e < r->nr_entries; e++) {
		uint32_t k = r->entry_key[e] == FS_FLAME_NO_KEY ? 0 : r->entry_key[e] + 1;

		put_signed(&r->bin, (int64_t)k - prev - 1);
		prev = k;
	}
	for (uint32_t e = 0; e < r->nr_entries; e++)
		put_varint(&r->bin, r->entry_idle[e]);
}

static void put_threads(struct report *r)
{
	put_varint(&r->bin, r->nr_threads);
	for (uint32_t t = 0; t < r->nr_threads; t++)
		put_signed(&r->bin, r->threads[t].pid);
	for (uint32_t t = 0; t < r->nr_threads; t++)
		put_signed(&r->bin, (int64_t)r->threads[t].tid - r->threads[t].pid);
	for (uint32_t t = 0; t < r->nr_threads; t++)
		put_varint(&r->bin, r->threads[t].comm);
	put_varint(&r->bin, r->nr_cpus);
	for (uint32_t c = 0; c < r->nr_cpus; c++)
		put_varint(&r->bin, r->cpus[c]);
}

static int put_samples(struct report *r, struct fs_error *err)
{
	const struct fs_profile *p = r->p;
	uint64_t *last_us = calloc(r->nr_cpus + 1, sizeof(*last_us));
	uint64_t *last_period = calloc(r->nr_cpus + 1, sizeof(*last_period));
	uint32_t *last_thread = malloc((r->nr_cpus + 1) * sizeof(*last_thread));
	uint32_t *last_entry = malloc((r->nr_threads + 1) * sizeof(*last_entry));
	uint64_t i, base = p->nr_samples ? p->samples[0].time / 1000 : 0;

	if (!last_us || !last_period || !last_thread || !last_entry) {
		free(last_us);
		free(last_period);
		free(last_thread);
		free(last_entry);
		return fs_error__set(err, "report: out of memory");
	}
	memset(last_thread, 0xff, (r->nr_cpus + 1) * sizeof(*last_thread));
	memset(last_entry, 0xff, (r->nr_threads + 1) * sizeof(*last_entry));
	for (uint32_t c = 0; c < r->nr_cpus; c++)
		last_us[c] = base;
	for (i = 0; i < p->nr_samples; i++)
		if (r->want[i])
			put_varint(&r->bin, r->cpu_of[i]);
	for (i = 0; i < p->nr_samples; i++) {
		uint64_t us = p->samples[i].time / 1000;
		uint32_t c = r->cpu_of[i];

		if (!r->want[i])
			continue;
		put_varint(&r->bin, us - last_us[c]);
		last_us[c] = us;
	}
	for (i = 0; i < p->nr_samples; i++) {
		uint32_t c = r->cpu_of[i], t = r->thread_of[i];

		if (!r->want[i])
			continue;
		put_varint(&r->bin, t == last_thread[c] ? 0 : t + 1);
		last_thread[c] = t;
	}
	for (i = 0; i < p->nr_samples; i++) {
		uint32_t t = r->thread_of[i], e = r->entry_of[i];

		if (!r->want[i])
			continue;
		put_varint(&r->bin, e == last_entry[t] ? 0 : e + 1);
		last_entry[t] = e;
	}
	for (i = 0; r->events && i < p->nr_samples; i++)
		if (r->want[i])
			put_varint(&r->bin, p->samples[i].event);
	for (i = 0; r->periods && i < p->nr_samples; i++) {
		uint32_t c = r->cpu_of[i];

		if (!r->want[i])
			continue;
		put_signed(&r->bin, (int64_t)(p->samples[i].period - last_period[c]));
		last_period[c] = p->samples[i].period;
	}
	free(last_us);
	free(last_period);
	free(last_thread);
	free(last_entry);
	return 0;
}

/* ---- the JSON header ---- */

static void json_str(FILE *m, const char *s)
{
	fputc('"', m);
	fs_escape__json(m, s ? s : "", s ? strlen(s) : 0);
	fputc('"', m);
}

static void json_bool(FILE *m, const char *key, bool v)
{
	fprintf(m, "\"%s\": %s", key, v ? "true" : "false");
}

static void json_num(FILE *m, const char *key, bool has, double v)
{
	if (has)
		fprintf(m, "\"%s\": %.17g", key, v);
	else
		fprintf(m, "\"%s\": null", key);
}

static void json_ids(FILE *m, const char *key, const int32_t *v, uint32_t n)
{
	fprintf(m, "\"%s\": [", key);
	for (uint32_t i = 0; i < n; i++)
		fprintf(m, i ? ", %d" : "%d", v[i]);
	fputc(']', m);
}

static void put_state(struct report *r, FILE *m)
{
	const struct fs_filter *f = r->f;
	const struct fs_report_opts *o = r->o;

	fprintf(m, "\"state\": {\"event\": %d, ", f->resolved_event);
	json_bool(m, "include_idle", f->include_idle);
	fprintf(m, ", \"idle_rule\": \"%s\", \"weight\": \"%s\", ",
		f->idle_rule == FS_IDLE_LEAF ? "leaf" : "flamescope",
		f->weight == FS_WEIGHT_SAMPLES ? "samples" : f->weight == FS_WEIGHT_PERIOD ? "period" : "offcpu");
	json_num(m, "start", f->has_start, f->start);
	fputs(", ", m);
	json_num(m, "end", f->has_end, f->end);
	fputs("},\n\"heatmap\": {", m);
	fprintf(m, "\"rows\": %u, \"step\": %.17g, ", o->heatmap.rows ? o->heatmap.rows : 50,
		o->heatmap.step > 0 ? o->heatmap.step : 1);
	fprintf(m, "\"max_columns\": %u, ", o->heatmap.max_columns ? o->heatmap.max_columns : 2000);
	json_num(m, "from", o->heatmap.has_from, o->heatmap.from);
	fputs(", ", m);
	json_num(m, "to", o->heatmap.has_to, o->heatmap.to);
	fprintf(m, ", \"max\": %llu, \"palette\": ", (unsigned long long)o->max);
	json_str(m, o->palette ? o->palette : "flamescope");
	fputs("},\n\"flame\": {\"colors\": ", m);
	json_str(m, o->colors ? o->colors : "hot");
	fputs(", ", m);
	json_bool(m, "hash", o->hash);
	fputs(", ", m);
	json_bool(m, "reverse", o->fold.reverse);
	fputs("},\n\"fold\": {", m);
	json_bool(m, "kernel", o->fold.kernel);
	fputs(", ", m);
	json_bool(m, "jit", o->fold.jit);
	fputs(", ", m);
	json_bool(m, "pid", o->fold.pid);
	fputs(", ", m);
	json_bool(m, "tid", o->fold.tid);
	fputs(", ", m);
	json_bool(m, "reverse", o->fold.reverse);
	fputs("},\n", m);
}

static void put_cli(struct report *r, FILE *m)
{
	const struct fs_filter *f = r->f;

	fputs("\"cli\": {\"words\": [", m);
	for (uint32_t i = 0; i < r->o->nr_command; i++) {
		if (i)
			fputs(", ", m);
		json_str(m, r->o->command[i]);
	}
	fputs("], ", m);
	json_bool(m, "dlarg", r->o->dlarg);
	fputs(", ", m);
	json_ids(m, "pids", f->pids, f->nr_pids);
	fputs(", ", m);
	json_ids(m, "tids", f->tids, f->nr_tids);
	fputs(", \"comms\": [", m);
	for (uint32_t i = 0; i < f->nr_comms; i++) {
		if (i)
			fputs(", ", m);
		json_str(m, f->comms[i]);
	}
	fputs("]},\n", m);
}

/*
 * The finder's JSON (find-write.c's, as flamescope find --format json
 * writes it) over the samples the page opens with, but at every time: the
 * findings are the profile's, whatever range is selected. When it fails,
 * null and the reason, which the page shows in the list's place.
 */
static void put_findings(struct report *r, FILE *m)
{
	struct fs_find_style st = { .input = r->o->input };
	struct fs_filter f = *r->f;
	struct fs_error err = { "" };
	struct fs_findings *fs;
	struct fs_find_opts fo;

	fs_find_opts__init(&fo);
	if (r->o->heatmap.rows)
		fo.rows = r->o->heatmap.rows;
	f.has_start = f.has_end = false;
	f.weight = FS_WEIGHT_SAMPLES;
	fs = fs_findings__from_profile(r->p, &f, &fo, &err);
	fputs("\"findings\": ", m);
	if (fs) {
		/* a write error shows at the header's fclose() */
		fs_findings__write_json(fs, r->p, &st, m, &err);
	} else {
		fputs("null, \"findings_error\": ", m);
		json_str(m, err.msg);
	}
	fputs(",\n", m);
	fs_findings__delete(fs);
}

static bool several_events(const struct fs_profile *p)
{
	for (uint64_t i = 1; i < p->nr_samples; i++)
		if (p->samples[i].event != p->samples[0].event)
			return true;
	return false;
}

static char *header_json(struct report *r, size_t *len)
{
	const struct fs_profile *p = r->p;
	char *text = NULL;
	FILE *m = open_memstream(&text, len);

	if (!m)
		return NULL;
	fprintf(m, "{\"version\": %d,\n\"input\": ", FORMAT_VERSION);
	json_str(m, r->o->input);
	fputs(",\n\"title\": ", m);
	json_str(m, r->o->title);
	fputs(",\n\"events\": [", m);
	for (uint32_t i = 0; i < p->nr_events; i++)
		fprintf(m, i ? ", %u" : "%u", str_id(r, p->events[i]));
	fprintf(m, "],\n\"first_us\": %llu, \"last_us\": %llu, \"profile_samples\": %llu, ",
		p->nr_samples ? (unsigned long long)(p->samples[0].time / 1000) : 0ULL,
		p->nr_samples ? (unsigned long long)(p->samples[p->nr_samples - 1].time / 1000) : 0ULL,
		(unsigned long long)p->nr_samples);
	fprintf(m, "\"sample_event\": %u, ", p->samples[0].event);
	json_bool(m, "several_events", several_events(p));
	fputs(", ", m);
	json_bool(m, "offcpu", p->offcpu);
	fputs(",\n", m);
	put_state(r, m);
	put_cli(r, m);
	if (r->o->findings)
		put_findings(r, m);
	fprintf(m, "\"columns\": {\"events\": %s, \"periods\": %s},\n", r->events ? "true" : "false",
		r->periods ? "true" : "false");
	fprintf(m, "\"samples\": %llu}", (unsigned long long)r->nr_samples);
	if (fclose(m)) {
		free(text);
		return NULL;
	}
	return text;
}

/* ---- gzip into base64 ---- */

struct b64 {
	FILE *out;
	uint8_t carry[3];
	int nc;
};

static void b64_put(struct b64 *b, const uint8_t *s, size_t n)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char line[4096];
	size_t at = 0;

	while (n) {
		b->carry[b->nc++] = *s++;
		n--;
		if (b->nc < 3)
			continue;
		line[at++] = tab[b->carry[0] >> 2];
		line[at++] = tab[(b->carry[0] & 3) << 4 | b->carry[1] >> 4];
		line[at++] = tab[(b->carry[1] & 15) << 2 | b->carry[2] >> 6];
		line[at++] = tab[b->carry[2] & 63];
		b->nc = 0;
		if (at > sizeof(line) - 4) {
			fwrite(line, 1, at, b->out);
			at = 0;
		}
	}
	fwrite(line, 1, at, b->out);
}

static void b64_end(struct b64 *b)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char q[4] = { '=', '=', '=', '=' };

	if (!b->nc)
		return;
	if (b->nc < 3)
		b->carry[b->nc] = 0;
	if (b->nc < 2)
		b->carry[1] = 0;
	q[0] = tab[b->carry[0] >> 2];
	q[1] = tab[(b->carry[0] & 3) << 4 | b->carry[1] >> 4];
	if (b->nc == 2)
		q[2] = tab[(b->carry[1] & 15) << 2];
	fwrite(q, 1, 4, b->out);
	b->nc = 0;
}

static int deflate_chunk(z_stream *zs, struct b64 *b, const void *data, size_t len, int flush)
{
	uint8_t out[65536];
	int ret;

	zs->next_in = (Bytef *)data;
	zs->avail_in = len;
	do {
		zs->next_out = out;
		zs->avail_out = sizeof(out);
		ret = deflate(zs, flush);
		if (ret == Z_STREAM_ERROR)
			return -1;
		b64_put(b, out, sizeof(out) - zs->avail_out);
	} while (zs->avail_out == 0 || zs->avail_in);
	return ret == Z_STREAM_END || flush != Z_FINISH ? 0 : -1;
}

/* The payload as base64 of gzip: [u32 little-endian header length][header][binary]. */
static int put_payload(struct report *r, const char *json, size_t len, FILE *out, struct fs_error *err)
{
	uint8_t hl[4] = { (uint8_t)len, (uint8_t)(len >> 8), (uint8_t)(len >> 16), (uint8_t)(len >> 24) };
	struct b64 b = { .out = out };
	z_stream zs = { 0 };
	int ret;

	/* gzip framing (windowBits 15 + 16): DecompressionStream("gzip") reads it */
	if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK)
		return fs_error__set(err, "report: zlib: out of memory");
	ret = deflate_chunk(&zs, &b, hl, 4, Z_NO_FLUSH) | deflate_chunk(&zs, &b, json, len, Z_NO_FLUSH) |
	      deflate_chunk(&zs, &b, r->bin.p, r->bin.n, Z_FINISH);
	deflateEnd(&zs);
	b64_end(&b);
	return ret ? fs_error__set(err, "report: zlib failed") : 0;
}

/* ---- the page ---- */

static void put_asset(FILE *out, const char *start, const char *end)
{
	fwrite(start, 1, end - start, out);
}

static const char *base_name(const char *path)
{
	const char *slash = path ? strrchr(path, '/') : NULL;

	return slash ? slash + 1 : path ? path : "";
}

static void put_head(struct report *r, FILE *out)
{
	const char *title = r->o->title ? r->o->title : base_name(r->o->input);

	/* only our own script and style run; nothing is fetched, posted or framed */
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-", out);
	put_asset(out, fs_report_js_sha256, fs_report_js_sha256_end);
	fputs("'; style-src 'sha256-", out);
	put_asset(out, fs_report_css_sha256, fs_report_css_sha256_end);
	fputs("'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
	      "<meta name=\"referrer\" content=\"no-referrer\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta name=\"generator\" content=\"flamescope report\">\n<title>", out);
	fs_escape__xml(out, title, strlen(title));
	fputs(" - FlameScope</title>\n<link rel=\"icon\" href=\"data:,\">\n<style>", out);
	put_asset(out, fs_report_css, fs_report_css_end);
	fputs("</style>\n</head>\n", out);
}

/*
 * The heat map the page opens with, as fs_heatmap__from_profile() counts it
 * for the report's filters (its range aside), so the page draws it before it
 * has decoded the samples: a JSON block of the grid, a run of n empty cells
 * written as -n. The page recomputes the grid from the samples and redraws
 * when they differ (they should not). Without it (the view fails) the page
 * waits for the samples.
 */
static void put_grid(struct report *r, FILE *out)
{
	struct fs_filter f = *r->f;
	struct fs_error err = { "" };
	struct fs_heatmap *hm;
	uint64_t k, n, zeros = 0;
	const char *sep = "";

	f.has_start = f.has_end = false;
	hm = fs_heatmap__from_profile(r->p, &f, &r->o->heatmap, &err);
	if (!hm)
		return;
	n = (uint64_t)hm->columns * hm->rows;
	fprintf(out, "<script type=\"application/json\" id=\"fs-grid\">{\"columns\": %u, \"rows\": %u, "
		"\"step\": %.17g, \"from\": %.17g, \"raised\": %s, \"weight\": \"%s\", \"max\": %llu, \"palette\": ",
		hm->columns, hm->rows, hm->step, hm->from, hm->step_raised ? "true" : "false", hm->weight,
		(unsigned long long)r->o->max);
	json_str(out, r->o->palette ? r->o->palette : "flamescope");
	fputs(", \"values\": [", out);
	for (k = 0; k <= n; k++) {
		if (k < n && !hm->values[k]) {
			zeros++;
			continue;
		}
		if (zeros) {
			fprintf(out, "%s-%llu", sep, (unsigned long long)zeros);
			sep = ",";
			zeros = 0;
		}
		if (k < n) {
			fprintf(out, "%s%llu", sep, (unsigned long long)hm->values[k]);
			sep = ",";
		}
	}
	fputs("]}</script>\n", out);
	fs_heatmap__delete(hm);
}

static int write_page(struct report *r, FILE *out, struct fs_error *err)
{
	size_t len = 0;
	char *json = header_json(r, &len);

	if (!json)
		return fs_error__set(err, "report: out of memory");
	put_head(r, out);
	put_asset(out, fs_report_html, fs_report_html_end);
	put_grid(r, out);
	/*
	 * The code before the samples: it draws the grid while the browser
	 * still parses the data block, then waits for the document to end.
	 */
	fputs("<script>", out);
	put_asset(out, fs_report_js, fs_report_js_end);
	/* a data block: not script, so the policy has nothing to run here */
	fputs("</script>\n<script type=\"application/octet-stream\" id=\"fs-data\">", out);
	if (put_payload(r, json, len, out, err)) {
		free(json);
		return -1;
	}
	free(json);
	fputs("</script>\n</body>\n</html>\n", out);
	if (fflush(out) || ferror(out))
		return fs_error__set(err, "report: write error");
	return 0;
}

static void report__exit(struct report *r)
{
	fs_flame_index__exit(&r->ix);
	fs_strtab__delete(r->strs);
	fs_idmap__exit(&r->entries);
	fs_idmap__exit(&r->thread_index);
	free(r->want);
	free(r->node_order);
	free(r->entry_of);
	free(r->entry_key);
	free(r->entry_idle);
	free(r->thread_of);
	free(r->threads);
	free(r->cpus);
	free(r->cpu_of);
	free(r->bin.p);
}

int fs_report__write(const struct fs_profile *p, const struct fs_filter *f, const struct fs_report_opts *o,
		     FILE *out, struct fs_error *err)
{
	struct report r = { .p = p, .f = f, .o = o };
	int ret = -1;

	if (!p->nr_samples)
		return fs_error__set(err, "report: no samples");
	r.strs = fs_strtab__new();
	if (!r.strs) {
		fs_error__set(err, "report: out of memory");
		goto out;
	}
	r.periods = o->periods || f->weight != FS_WEIGHT_SAMPLES || several_events(p);
	if (select_samples(&r, err))
		goto out;
	if (!r.nr_samples) {
		fs_error__set(err, "report: no samples left by the filters");
		goto out;
	}
	if (fs_flame_index__build(&r.ix, p, &o->fold, r.want, err) || order_nodes(&r, err) ||
	    intern_samples(&r, err))
		goto out;
	/* the header's strings (events) get ids before the sections are written */
	for (uint32_t i = 0; i < p->nr_events; i++)
		str_id(&r, p->events[i]);
	if (put_nodes(&r, err))
		goto out;
	put_entries(&r);
	put_threads(&r);
	if (put_samples(&r, err))
		goto out;
	if (r.bin.oom) {
		fs_error__set(err, "report: out of memory");
		goto out;
	}
	/* strings last in the making, first in the payload */
	{
		struct buf body = r.bin;

		r.bin = (struct buf){ 0 };
		put_strings(&r);
		put_bytes(&r.bin, body.p, body.n);
		free(body.p);
		if (r.bin.oom) {
			fs_error__set(err, "report: out of memory");
			goto out;
		}
	}
	ret = write_page(&r, out, err);
out:
	report__exit(&r);
	return ret;
}
