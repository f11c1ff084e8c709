// SPDX-License-Identifier: GPL-2.0-only
/*
 * The finder: builds the per-cell counts of the whole profile and of its
 * busiest processes in one pass over the sorted samples (the heat map's
 * binning, fs_heatmap__bin), runs the detectors on each, keeps one finding
 * where the whole profile and a process found the same, explains them and
 * ranks them by the samples they account for.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "find-int.h"
#include "idmap.h"
#include "timerange.h"
#include "util.h"

#define MAX_SECONDS	(10 * 86400)	/* 10 days of 1 s columns */
#define SINGLE_SHARE	0.95	/* a process this dominant is the whole profile */
#define MAX_CELL_BYTES	(256ULL << 20)	/* the series' cells, all processes' together */

void fs_find_opts__init(struct fs_find_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->rows = 50;
	o->alpha = 0.01;
	o->min_lift = 1.5;
	o->min_cpus = 0.05;
	o->min_samples = 8;
	o->max_procs = 8;
	o->max_findings = 20;
	o->explain = true;
}

struct fs_finding *find__add(struct find_ctx *c, const struct find_group *g, uint8_t kind)
{
	struct fs_finding *fd;

	if (FS_GROW(c->v, c->alloc, (size_t)c->n + 1))
		return NULL;
	fd = &c->v[c->n++];
	memset(fd, 0, sizeof(*fd));
	fd->kind = kind;
	fd->pid = g->pid;
	fd->comm = g->comm;
	return fd;
}

int find__set_ranges(struct fs_finding *fd, const struct fs_find_range *r, uint32_t n)
{
	fd->ranges = malloc((n ? n : 1) * sizeof(*r));
	if (!fd->ranges)
		return -1;
	if (n)
		memcpy(fd->ranges, r, n * sizeof(*r));
	fd->nr_ranges = n;
	fd->span.start = n ? r[0].start : 0;
	fd->span.end = n ? r[n - 1].end : 0;
	return 0;
}

static void finding__exit(struct fs_finding *fd)
{
	free(fd->ranges);
	free(fd->frames);
}

void fs_findings__delete(struct fs_findings *fs)
{
	if (!fs)
		return;
	for (uint32_t i = 0; i < fs->n; i++)
		finding__exit(&fs->v[i]);
	free(fs->v);
	free(fs);
}

/* ---- the series ---- */

/* The observed part of each second: between the first and last sample, and in --time's ranges. */
static int exposure(struct find_ctx *c)
{
	const struct fs_timerange *tr = c->f->time;
	uint32_t nr = tr ? tr->nr : 1;

	c->expo = calloc(c->T, sizeof(*c->expo));
	if (!c->expo)
		return -1;
	for (uint32_t i = 0; i < nr; i++) {
		double a = c->first, b = c->last;

		if (tr && tr->r[i].start)
			a = fmax(a, tr->r[i].start / 1e9 - c->origin);
		if (tr && tr->r[i].end)
			b = fmin(b, tr->r[i].end / 1e9 - c->origin);
		for (int64_t t = (int64_t)floor(a); t <= (int64_t)floor(b) && t < c->T; t++) {
			double lo = fmax(a, (double)t), hi = fmin(b, t + 1.0);

			if (t >= 0 && hi > lo)
				c->expo[t] = fmin(1, c->expo[t] + hi - lo);
		}
	}
	/* a last sample at exactly x.0 leaves its second 0 long: count it as seen */
	if (c->T && c->expo[c->T - 1] <= 0)
		c->expo[c->T - 1] = 1.0 / c->R;
	return 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* cpu-clock and task-clock periods are nanoseconds: the median one is the sampling interval. */
static bool clock_rate(struct find_ctx *c)
{
	const char *ev = c->p->events[c->f->resolved_event];
	enum { MAX = 100000 };
	double *v;
	uint32_t n = 0;

	if (strncmp(ev, "cpu-clock", 9) && strncmp(ev, "task-clock", 10))
		return false;
	v = malloc(MAX * sizeof(*v));
	for (uint64_t i = 0; v && i < c->p->nr_samples && n < MAX; i++)
		if (c->p->samples[i].event == c->f->resolved_event && c->p->samples[i].period)
			v[n++] = c->p->samples[i].period;
	if (n >= 20)
		c->hz = 1e9 / find__median(v, n);
	free(v);
	/* an implausible rate (not ns, or a crafted file): ask the gaps instead */
	if (!(c->hz >= 0.01 && c->hz <= 1e6))
		c->hz = 0;
	return c->hz > 0;
}

/*
 * Samples per second a busy CPU gives. For clock events, from the period;
 * else 1 / the 10th percentile of the gaps (under a second) between
 * consecutive samples of one thread on one CPU, the idle task's included:
 * while a thread runs, its samples are an interval apart; preemption only
 * lengthens gaps, so a low percentile, not the median, is the interval on a
 * busy machine. 0 when too few gaps say.
 */
static int sample_rate(struct find_ctx *c)
{
	const struct fs_profile *p = c->p;
	enum { MAX_GAPS = 200000 };
	double *gaps = malloc(MAX_GAPS * sizeof(*gaps));
	uint64_t *last = NULL;
	uint32_t n = 0, ng = 0;
	size_t alloc = 0;
	struct fs_idmap m;

	if (clock_rate(c)) {
		free(gaps);
		return 0;
	}
	if (!gaps || fs_idmap__init(&m, 1024)) {
		free(gaps);
		return -1;
	}
	for (uint64_t i = 0; i < p->nr_samples && ng < MAX_GAPS; i++) {
		const struct fs_profile_sample *s = &p->samples[i];
		uint64_t key = (uint64_t)(uint32_t)s->tid << 32 | s->cpu;
		uint32_t id;

		if (s->event != c->f->resolved_event)
			continue;
		id = fs_idmap__get(&m, key);
		if (id == UINT32_MAX) {
			if (FS_GROW(last, alloc, (size_t)n + 1))
				goto fail;
			if (fs_idmap__put(&m, key, n))
				goto fail;
			last[n++] = s->time;
			continue;
		}
		if (s->time > last[id] && s->time - last[id] < 1000000000ULL)
			gaps[ng++] = (s->time - last[id]) / 1e9;
		last[id] = s->time;
	}
	if (ng >= 20) {
		qsort(gaps, ng, sizeof(*gaps), cmp_double);
		c->hz = 1 / gaps[ng / 10];
	}
	free(gaps);
	free(last);
	fs_idmap__exit(&m);
	return 0;
fail:
	free(gaps);
	free(last);
	fs_idmap__exit(&m);
	return -1;
}

struct proc {
	int32_t pid;
	uint32_t comm;
	bool main_seen;		/* comm is the main thread's */
	uint64_t samples;
	int32_t group;		/* index into groups, or -1 */
};

static int cmp_proc(const void *a, const void *b)
{
	const struct proc *x = a, *y = b;

	return x->samples != y->samples ? (x->samples < y->samples ? 1 : -1) :
	       (x->pid > y->pid) - (x->pid < y->pid);
}

static inline bool counted(const struct find_ctx *c, const struct fs_profile_sample *s, double *off)
{
	if (!fs_filter__match(c->f, c->p, s))
		return false;
	*off = fs_sample__seconds(s) - c->origin;
	return *off >= 0 && *off < c->T;
}

/* Processes by sample count; the busiest get a series of their own. */
static int pick_groups(struct find_ctx *c, struct proc **procs, uint32_t *nprocs, struct fs_idmap *ids)
{
	uint32_t n = 0;
	size_t alloc = 0;
	struct proc *v = NULL;
	uint64_t total = 0;
	double off;

	for (uint64_t i = 0; i < c->p->nr_samples; i++) {
		const struct fs_profile_sample *s = &c->p->samples[i];
		uint32_t id;

		if (!counted(c, s, &off))
			continue;
		total++;
		id = fs_idmap__get(ids, (uint32_t)s->pid);
		if (id == UINT32_MAX) {
			if (FS_GROW(v, alloc, (size_t)n + 1))
				goto fail;
			if (fs_idmap__put(ids, (uint32_t)s->pid, n))
				goto fail;
			v[n] = (struct proc){ s->pid, s->comm, s->tid == s->pid, 0, -1 };
			id = n++;
		}
		/* the name: the main thread's latest (a process renames itself after fork or exec) */
		if (s->tid == s->pid || !v[id].main_seen) {
			v[id].comm = s->comm;
			v[id].main_seen = s->tid == s->pid;
		}
		v[id].samples++;
	}
	*procs = v;
	*nprocs = n;
	c->groups[0].total = total;
	return 0;
fail:
	free(v);
	return -1;
}

static int build_series(struct find_ctx *c)
{
	struct proc *procs = NULL, *sorted = NULL;
	uint32_t nprocs = 0, ng = 1;
	uint64_t per, most;
	struct fs_idmap ids;
	int ret = -1;
	double off;

	if (fs_idmap__init(&ids, 256))
		return -1;
	c->groups = calloc(c->o.max_procs + 1, sizeof(*c->groups));
	if (!c->groups)
		goto out;
	c->groups[0].pid = -1;
	c->groups[0].comm = UINT32_MAX;
	if (pick_groups(c, &procs, &nprocs, &ids))
		goto out;
	sorted = malloc((nprocs + 1) * sizeof(*sorted));
	if (!sorted)
		goto out;
	if (nprocs) {	/* procs is NULL when no sample counts */
		memcpy(sorted, procs, nprocs * sizeof(*sorted));
		qsort(sorted, nprocs, sizeof(*sorted), cmp_proc);
	}
	/* every series holds T x R cells: at most MAX_CELL_BYTES of them in all */
	per = (uint64_t)c->T * (c->R * sizeof(uint16_t) + sizeof(uint32_t));
	most = per ? MAX_CELL_BYTES / per : 1;
	most = most > 1 ? most - 1 : 0;
	if (most > c->o.max_procs)
		most = c->o.max_procs;
	/* one process with nearly everything: its findings are the whole profile's */
	if (nprocs && sorted[0].samples < SINGLE_SHARE * c->groups[0].total) {
		for (uint32_t i = 0; i < nprocs && ng <= most; i++) {
			if (sorted[i].samples < 50 || sorted[i].samples < c->groups[0].total / 100)
				break;
			procs[fs_idmap__get(&ids, (uint32_t)sorted[i].pid)].group = ng;
			c->groups[ng].pid = sorted[i].pid;
			c->groups[ng].comm = sorted[i].comm;
			c->groups[ng].total = sorted[i].samples;
			ng++;
		}
	}
	c->nr_groups = ng;
	for (uint32_t g = 0; g < ng; g++) {
		c->groups[g].cells = calloc((size_t)c->T * c->R, sizeof(*c->groups[g].cells));
		c->groups[g].secs = calloc(c->T, sizeof(*c->groups[g].secs));
		if (!c->groups[g].cells || !c->groups[g].secs)
			goto out;
	}
	for (uint64_t i = 0; i < c->p->nr_samples; i++) {
		const struct fs_profile_sample *s = &c->p->samples[i];
		uint64_t col, row;
		int32_t g;

		if (!counted(c, s, &off))
			continue;
		fs_heatmap__bin(off, 1, c->R, &col, &row);
		if (col >= c->T || row >= c->R)
			continue;
		g = ng > 1 ? procs[fs_idmap__get(&ids, (uint32_t)s->pid)].group : -1;
		for (int32_t k = 0; k < 2; k++) {
			struct find_group *gr = k ? (g > 0 ? &c->groups[g] : NULL) : &c->groups[0];
			uint16_t *cell;

			if (!gr)
				continue;
			cell = &gr->cells[col * c->R + row];
			if (*cell < UINT16_MAX)
				(*cell)++;
			gr->secs[col]++;
		}
	}
	ret = 0;
out:
	free(procs);
	free(sorted);
	fs_idmap__exit(&ids);
	return ret;
}

static void groups__delete(struct find_ctx *c)
{
	for (uint32_t g = 0; g < c->nr_groups; g++) {
		free(c->groups[g].cells);
		free(c->groups[g].secs);
		free(c->groups[g].frames);
	}
	free(c->groups);
}

/* ---- one finding where the whole profile and a process found the same ---- */

/* The share of a's ranges' time that b's ranges cover (both sorted). */
static double covered(const struct fs_finding *a, const struct fs_finding *b)
{
	double total = 0, both = 0;
	uint32_t j = 0;

	for (uint32_t i = 0; i < a->nr_ranges; i++) {
		const struct fs_find_range *r = &a->ranges[i];

		total += r->end - r->start;
		while (j < b->nr_ranges && b->ranges[j].end <= r->start)
			j++;
		for (uint32_t k = j; k < b->nr_ranges && b->ranges[k].start < r->end; k++)
			both += fmin(r->end, b->ranges[k].end) - fmax(r->start, b->ranges[k].start);
	}
	return total > 0 ? both / total : 0;
}

/* The same pattern, seen in two series: same kind, and half the ranges of either in the other's. */
static bool same_finding(const struct fs_finding *a, const struct fs_finding *b)
{
	return a->kind == b->kind && (covered(a, b) >= 0.5 || covered(b, a) >= 0.5);
}

/* A process's finding is kept when it holds at least half the excess of the whole profile's. */
/*
 * The commands print ranges to the millisecond: widen look and compare to
 * whole milliseconds so the printed range holds every sample the finding
 * does (a start-up begins at the first sample, which %.3f may round past).
 * The slack absorbs binary error at cell edges (2.0 must stay 2.000).
 */
static void snap_ms(struct fs_find_range *r)
{
	r->start = floor(r->start * 1000 + 1e-6) / 1000;
	r->end = ceil(r->end * 1000 - 1e-6) / 1000;
}

/* a baseline that touched the range still touches it, without overlap */
static void finding__snap(struct fs_finding *fd)
{
	struct fs_find_range look = fd->look;

	snap_ms(&fd->look);
	snap_ms(&fd->compare);
	if (fd->compare.end > fd->look.start && fd->compare.start < look.start)
		fd->compare.end = fd->look.start;
	if (fd->compare.start < fd->look.end && fd->compare.end > look.end)
		fd->compare.start = fd->look.end;
}

static void dedupe(struct find_ctx *c)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < c->n; i++) {
		struct fs_finding *a = &c->v[i];

		if (a->pid >= 0 || a->kind == UINT8_MAX)
			continue;
		for (uint32_t j = 0; j < c->n; j++) {
			struct fs_finding *b = &c->v[j];

			if (b->pid < 0 || b->kind == UINT8_MAX || !same_finding(a, b))
				continue;
			if (fabs(b->excess) >= 0.5 * fabs(a->excess)) {
				a->kind = UINT8_MAX;
				break;
			}
			b->kind = UINT8_MAX;
		}
	}
	for (uint32_t i = 0; i < c->n; i++) {
		if (c->v[i].kind == UINT8_MAX)
			finding__exit(&c->v[i]);
		else
			c->v[n++] = c->v[i];
	}
	c->n = n;
}

static int cmp_finding(const void *a, const void *b)
{
	double x = fabs(((const struct fs_finding *)a)->excess);
	double y = fabs(((const struct fs_finding *)b)->excess);

	if (x != y)
		return x < y ? 1 : -1;
	x = ((const struct fs_finding *)a)->span.start;
	y = ((const struct fs_finding *)b)->span.start;
	return x < y ? -1 : x > y;
}

struct fs_findings *fs_findings__from_profile(const struct fs_profile *p, const struct fs_filter *f,
					      const struct fs_find_opts *o, struct fs_error *err)
{
	struct find_ctx c = { .p = p, .f = f };
	struct fs_findings *fs = NULL;

	if (o)
		c.o = *o;
	else
		fs_find_opts__init(&c.o);
	if (!c.o.rows || c.o.rows > 1000)
		return fs_error__set(err, "find: %u rows per second (1 to 1000)", c.o.rows), NULL;
	if (!(c.o.alpha > 0 && c.o.alpha < 1))
		return fs_error__set(err, "find: alpha %g is not between 0 and 1", c.o.alpha), NULL;
	if (f->weight != FS_WEIGHT_SAMPLES)
		return fs_error__set(err, "find: the statistics model sample counts; weight by samples"),
		       NULL;
	c.R = c.o.rows;
	fs = calloc(1, sizeof(*fs));
	if (!fs)
		goto oom;
	fs->rows = c.R;
	fs->event = p->nr_events ? p->events[f->resolved_event] : "";
	if (!p->nr_samples)
		return fs;
	c.origin = fs_profile__origin(p);
	c.first = fs_sample__seconds(&p->samples[0]) - c.origin;
	c.last = fs_sample__seconds(&p->samples[p->nr_samples - 1]) - c.origin;
	if (c.last >= MAX_SECONDS) {
		fs_findings__delete(fs);
		return fs_error__set(err, "find: the profile spans %.0f s; at most %d days", c.last,
				     MAX_SECONDS / 86400), NULL;
	}
	c.T = (uint32_t)floor(c.last) + 1;
	fs->origin = c.origin;
	fs->first = c.first;
	fs->last = c.last;
	if (exposure(&c) || sample_rate(&c) || build_series(&c))
		goto oom;
	fs->hz = c.hz;
	fs->samples = c.groups[0].total;
	for (uint32_t g = 0; g < c.nr_groups; g++)
		if (find__detect(&c, &c.groups[g]))
			goto oom;
	dedupe(&c);
	for (uint32_t i = 0; i < c.n; i++) {
		finding__snap(&c.v[i]);
		if (find__procs(&c, &c.v[i]))
			goto oom;
		if (c.o.explain && find__explain(&c, &c.v[i], err))
			goto fail;
	}
	if (c.n)	/* c.v is NULL without findings, and qsort wants an array */
		qsort(c.v, c.n, sizeof(*c.v), cmp_finding);
	if (c.n > c.o.max_findings) {
		for (uint32_t i = c.o.max_findings; i < c.n; i++)
			finding__exit(&c.v[i]);
		fs->dropped = c.n - c.o.max_findings;
		c.n = c.o.max_findings;
	}
	fs->v = c.v;
	fs->n = c.n;
	c.v = NULL;
	c.n = 0;
	goto out;
oom:
	fs_error__set(err, "find: out of memory");
fail:
	fs_findings__delete(fs);
	fs = NULL;
out:
	for (uint32_t i = 0; i < c.n; i++)
		finding__exit(&c.v[i]);
	free(c.v);
	free(c.expo);
	if (c.groups)
		groups__delete(&c);
	return fs;
}

/* ---- names and marks ---- */

const char *fs_finding__kind_name(const struct fs_finding *fd)
{
	switch (fd->kind) {
	case FS_FINDING_BAND: return "band";
	case FS_FINDING_BURST: return "burst";
	case FS_FINDING_SHIFT: return "shift";
	}
	return fd->where == FS_SEGMENT_START ? "start-up" : fd->where == FS_SEGMENT_END ? "tail" : "spike";
}

/* A duration as people say it: "60 ms", "2.5 s", "20 s". */
static void say_time(char *buf, size_t size, double s)
{
	if (s < 1)
		snprintf(buf, size, "%.0f ms", s * 1000);
	else if (fabs(s - round(s)) < 0.005)
		snprintf(buf, size, "%.0f s", s);
	else
		snprintf(buf, size, "%.2f s", s);
}

int fs_finding__describe(const struct fs_finding *fd, char *buf, size_t size)
{
	char a[32], b[32];

	switch (fd->kind) {
	case FS_FINDING_BAND:
		say_time(a, sizeof(a), fd->period);
		say_time(b, sizeof(b), fd->duration);
		return snprintf(buf, size, "band every %s for %s", a, b);
	case FS_FINDING_BURST:
		say_time(a, sizeof(a), fd->duration);
		return snprintf(buf, size, "bursts of %s at +%.0f ms", a, fd->offset * 1000);
	case FS_FINDING_SHIFT:
		if (fd->rate >= fd->base_rate)
			return snprintf(buf, size, "load rose %.1fx at %.3f s", fd->lift, fd->span.start);
		return snprintf(buf, size, "load fell to %.2fx at %.3f s", fd->lift, fd->span.start);
	}
	return snprintf(buf, size, "%s %.3f-%.3f s", fs_finding__kind_name(fd), fd->span.start,
			fd->span.end);
}

int fs_findings__marks(const struct fs_findings *fs, struct fs_heatmap_mark **marks,
		       uint32_t *nr, char **titles, struct fs_error *err)
{
	uint64_t n = 0;
	char *t;

	for (uint32_t i = 0; i < fs->n; i++)
		n += fs->v[i].nr_ranges;
	*marks = calloc(n ? n : 1, sizeof(**marks));
	*titles = t = calloc(fs->n ? fs->n : 1, 128);
	if (!*marks || !t) {
		free(*marks);
		free(t);
		*marks = NULL;
		*titles = NULL;
		return fs_error__set(err, "find: out of memory");
	}
	n = 0;
	for (uint32_t i = 0; i < fs->n; i++) {
		const struct fs_finding *fd = &fs->v[i];
		char *title = t + 128 * i;
		int at = snprintf(title, 128, "%u: ", i + 1);

		fs_finding__describe(fd, title + at, 128 - at);
		for (uint32_t r = 0; r < fd->nr_ranges; r++)
			(*marks)[n++] = (struct fs_heatmap_mark){
				fd->ranges[r].start, fd->ranges[r].end, r ? 0 : i + 1, title };
	}
	*nr = (uint32_t)n;
	return 0;
}
