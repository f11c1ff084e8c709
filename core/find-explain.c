// SPDX-License-Identifier: GPL-2.0-only
/*
 * What explains a finding: the differential of its samples against a
 * reference, per frame (a function in a dso), on ids. A frame's count is the
 * samples whose stack holds it (once, however deep the recursion): each
 * distinct stack is walked once, samples only add weights.
 *
 * The reference is the rest of the finding's process (the earlier level, for
 * a shift); when the process has too little else, the rest of the whole
 * profile. A frame's excess = its samples in the finding - the finding's
 * samples x its share of the reference: the samples it accounts for. Left
 * out: the idle loop, [unknown] frames, and generic frames (in 90% or more
 * of both sides' samples). With under 20 reference samples, the finding's
 * own frames are listed instead. Frames are listed by excess; among frames within
 * 5% of the finding's samples of each other (a call path sharing the same
 * samples), the deepest first, as it names the work rather than its callers.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "find-int.h"
#include "idmap.h"
#include "util.h"

#define MAX_FRAMES	8
#define GENERIC		0.9
#define TIE		0.05
#define MIN_REF		20	/* reference samples to say a frame grew */

struct tally {
	const struct fs_profile *p;
	uint64_t *in;			/* per frame: samples whose stack holds it */
	uint64_t *depth;		/* per frame: summed depth where it is (ordering ties) */
	uint32_t *stamp;		/* per frame: the stack last counted, + 1 */
	uint32_t *w;			/* per stack: samples */
	uint32_t *touched;		/* stacks with samples */
	uint32_t nt;
	uint64_t total;
};

static int tally__init(struct tally *t, const struct fs_profile *p)
{
	memset(t, 0, sizeof(*t));
	t->p = p;
	t->in = calloc(p->nr_frames + 1, sizeof(*t->in));
	t->depth = calloc(p->nr_frames + 1, sizeof(*t->depth));
	t->stamp = calloc(p->nr_frames + 1, sizeof(*t->stamp));
	t->w = calloc(p->nr_stacks + 1, sizeof(*t->w));
	t->touched = malloc((p->nr_stacks + 1) * sizeof(*t->touched));
	return t->in && t->depth && t->stamp && t->w && t->touched ? 0 : -1;
}

static void tally__exit(struct tally *t)
{
	free(t->in);
	free(t->depth);
	free(t->stamp);
	free(t->w);
	free(t->touched);
}

static void tally__reset(struct tally *t)
{
	memset(t->in, 0, (t->p->nr_frames + 1) * sizeof(*t->in));
	memset(t->depth, 0, (t->p->nr_frames + 1) * sizeof(*t->depth));
	memset(t->stamp, 0, (t->p->nr_frames + 1) * sizeof(*t->stamp));
	t->total = 0;
}

static void tally__add(struct tally *t, uint32_t stack)
{
	if (stack >= t->p->nr_stacks)
		stack = 0;
	if (!t->w[stack]++)
		t->touched[t->nt++] = stack;
	t->total++;
}

/* Spreads the stacks' weights over their frames, once per frame per stack. */
static void tally__frames(struct tally *t)
{
	const struct fs_profile *p = t->p;

	for (uint32_t i = 0; i < t->nt; i++) {
		uint32_t s = t->touched[i], w = t->w[s], guard = 0;

		for (uint32_t node = s; node && node < p->nr_stacks && guard++ < 65536;
		     node = p->stacks[node].parent) {
			uint32_t fr = p->stacks[node].frame;

			if (fr >= p->nr_frames || t->stamp[fr] == s + 1)
				continue;
			t->stamp[fr] = s + 1;
			t->in[fr] += w;
			t->depth[fr] += (uint64_t)w * p->stacks[node].depth;
		}
		t->w[s] = 0;
	}
	t->nt = 0;
}

static bool counted(const struct find_ctx *c, int32_t pid, const struct fs_profile_sample *s)
{
	double off;

	if ((pid >= 0 && s->pid != pid) || !fs_filter__match(c->f, c->p, s))
		return false;
	off = fs_sample__seconds(s) - c->origin;
	return off >= 0 && off < c->T;
}

/* First sample that can be at offset start or later (times are cut to the microsecond). */
static uint64_t first_at(const struct find_ctx *c, double start)
{
	double t = (c->origin + start) * 1e9 - 2000;

	return fs_profile__lower_bound(c->p, t > 0 ? (uint64_t)t : 0);
}

/* Adds the samples of pid (-1: any) in [start, end) to the tally. */
static void tally__range(struct tally *t, const struct find_ctx *c, int32_t pid,
			 const struct fs_find_range *r)
{
	for (uint64_t i = first_at(c, r->start); i < c->p->nr_samples; i++) {
		const struct fs_profile_sample *s = &c->p->samples[i];
		double off = fs_sample__seconds(s) - c->origin;

		if (off >= r->end)
			break;
		if (off >= r->start && counted(c, pid, s))
			tally__add(t, s->stack);
	}
}

static struct find_group *group_of(struct find_ctx *c, int32_t pid)
{
	for (uint32_t g = 0; g < c->nr_groups; g++)
		if (c->groups[g].pid == pid)
			return &c->groups[g];
	return &c->groups[0];
}

/* A group's frame counts over the whole profile, computed once. */
static int group_frames(struct find_ctx *c, struct find_group *g, struct tally *t)
{
	if (g->frames_done)
		return 0;
	tally__reset(t);
	for (uint64_t i = 0; i < c->p->nr_samples; i++)
		if (counted(c, g->pid, &c->p->samples[i]))
			tally__add(t, c->p->samples[i].stack);
	tally__frames(t);
	g->frames = malloc((c->p->nr_frames + 1) * sizeof(*g->frames));
	if (!g->frames)
		return -1;
	memcpy(g->frames, t->in, (c->p->nr_frames + 1) * sizeof(*g->frames));
	g->frames_done = true;
	return 0;
}

struct cand {
	struct fs_find_frame f;
	double depth;
};

static int cmp_excess(const void *a, const void *b)
{
	double x = fabs(((const struct cand *)a)->f.excess), y = fabs(((const struct cand *)b)->f.excess);

	return x < y ? 1 : x > y ? -1 : (int)((const struct cand *)a)->f.frame -
					  (int)((const struct cand *)b)->f.frame;
}

static int cmp_depth(const void *a, const void *b)
{
	double x = ((const struct cand *)a)->depth, y = ((const struct cand *)b)->depth;

	return x < y ? 1 : x > y ? -1 : cmp_excess(a, b);
}

static bool explains(const struct fs_profile *p, uint32_t fr)
{
	return !p->frames[fr].idle && strcmp(fs_profile__str(p, p->frames[fr].sym), "[unknown]");
}

/*
 * Picks the frames: rise (grew) or fall (shrank), ordered as the file comment
 * says. With fewer than MIN_REF reference samples nothing can be said to have
 * grown: the finding's own frames in at least TIE of its samples are listed
 * (excess = their samples), and fd->ref_samples says why.
 */
static int pick(struct fs_finding *fd, const struct fs_profile *p, const uint64_t *in,
		const uint64_t *depth, const uint64_t *ref, bool rise)
{
	double NF = fd->samples, NR = fd->ref_samples;
	struct cand *v = malloc((p->nr_frames + 1) * sizeof(*v));
	bool none = NR < MIN_REF;
	uint32_t n = 0, keep;

	if (!v)
		return -1;
	for (uint32_t fr = 0; fr < p->nr_frames; fr++) {
		double sin, sref, excess;

		if ((!in[fr] && !ref[fr]) || !explains(p, fr))
			continue;
		sin = NF ? in[fr] / NF : 0;
		sref = none ? 0 : (ref[fr] + 0.5) / (NR + 1);
		excess = in[fr] - NF * sref;
		if (none ? sin < TIE || !rise : sin >= GENERIC && sref >= GENERIC)
			continue;
		if (!none && (rise ? sin - sref < TIE || excess < 1 : sref - sin < TIE || excess > -1))
			continue;
		v[n++] = (struct cand){
			{ fr, in[fr], ref[fr], sin, NR ? ref[fr] / NR : 0, excess },
			in[fr] ? (double)depth[fr] / in[fr] : 0,
		};
	}
	qsort(v, n, sizeof(*v), cmp_excess);
	/* frames sharing the same samples (within TIE): deepest first */
	for (uint32_t i = 0; i < n;) {
		uint32_t j = i + 1;

		while (j < n && fabs(v[i].f.excess) - fabs(v[j].f.excess) <= TIE * fmax(NF, 1))
			j++;
		qsort(v + i, j - i, sizeof(*v), cmp_depth);
		i = j;
	}
	keep = n < MAX_FRAMES ? n : MAX_FRAMES;
	fd->frames = malloc((keep ? keep : 1) * sizeof(*fd->frames));
	if (!fd->frames) {
		free(v);
		return -1;
	}
	for (uint32_t i = 0; i < keep; i++)
		fd->frames[i] = v[i].f;
	fd->nr_frames = keep;
	free(v);
	return 0;
}

int find__explain(struct find_ctx *c, struct fs_finding *fd, struct fs_error *err)
{
	const struct fs_profile *p = c->p;
	uint64_t *ref = calloc(p->nr_frames + 1, sizeof(*ref));
	uint64_t *in = calloc(p->nr_frames + 1, sizeof(*in));
	uint64_t *depth = calloc(p->nr_frames + 1, sizeof(*depth));
	struct find_group *g = group_of(c, fd->pid);
	bool rise = fd->kind != FS_FINDING_SHIFT || fd->rate >= fd->base_rate;
	struct tally t = { 0 };
	int ret = -1;

	if (!ref || !in || !depth || tally__init(&t, p))
		goto out;
	for (uint32_t r = 0; r < fd->nr_ranges; r++)
		tally__range(&t, c, fd->pid, &fd->ranges[r]);
	tally__frames(&t);
	fd->samples = t.total;
	memcpy(in, t.in, (p->nr_frames + 1) * sizeof(*in));
	memcpy(depth, t.depth, (p->nr_frames + 1) * sizeof(*depth));
	if (fd->kind == FS_FINDING_SHIFT && !fd->compare_all) {
		/* a shift: against the level before it */
		tally__reset(&t);
		tally__range(&t, c, fd->pid, &fd->compare);
		tally__frames(&t);
		fd->ref_samples = t.total;
		memcpy(ref, t.in, (p->nr_frames + 1) * sizeof(*ref));
	} else {
		/* the rest of the process, or of everything when the process has little else */
		if (group_frames(c, g, &t))
			goto out;
		if (g->total - fd->samples < fmax(20, fd->samples / 4.0) && g != &c->groups[0]) {
			g = &c->groups[0];
			fd->ref_all = true;
			if (group_frames(c, g, &t))
				goto out;
		}
		fd->ref_samples = g->total > fd->samples ? g->total - fd->samples : 0;
		for (uint32_t fr = 0; fr < p->nr_frames; fr++)
			ref[fr] = g->frames[fr] > in[fr] ? g->frames[fr] - in[fr] : 0;
	}
	ret = pick(fd, p, in, depth, ref, rise);
out:
	if (ret)
		fs_error__set(err, "find: out of memory explaining a finding");
	tally__exit(&t);
	free(ref);
	free(in);
	free(depth);
	return ret;
}

int find__procs(struct find_ctx *c, struct fs_finding *fd)
{
	struct { int32_t pid; uint32_t comm; uint64_t n; } *v = NULL;
	uint32_t n = 0;
	size_t alloc = 0;
	struct fs_idmap m;

	if (fs_idmap__init(&m, 64))
		return -1;
	for (uint32_t r = 0; r < fd->nr_ranges; r++) {
		for (uint64_t i = first_at(c, fd->ranges[r].start); i < c->p->nr_samples; i++) {
			const struct fs_profile_sample *s = &c->p->samples[i];
			double off = fs_sample__seconds(s) - c->origin;
			uint32_t id;

			if (off >= fd->ranges[r].end)
				break;
			if (off < fd->ranges[r].start || !counted(c, fd->pid, s))
				continue;
			id = fs_idmap__get(&m, (uint32_t)s->pid);
			if (id == UINT32_MAX) {
				if (FS_GROW(v, alloc, (size_t)n + 1))
					goto fail;
				if (fs_idmap__put(&m, (uint32_t)s->pid, n))
					goto fail;
				v[n].pid = s->pid;
				v[n].comm = s->comm;
				v[n].n = 0;
				id = n++;
			}
			if (s->tid == s->pid)
				v[id].comm = s->comm;
			v[id].n++;
		}
	}
	/* the top FS_FIND_PROCS by samples */
	fd->nr_procs = 0;
	fd->samples = 0;
	for (uint32_t i = 0; i < n; i++)
		fd->samples += v[i].n;
	for (uint32_t k = 0; k < FS_FIND_PROCS; k++) {
		uint32_t best = UINT32_MAX;

		for (uint32_t i = 0; i < n; i++)
			if (v[i].n && (best == UINT32_MAX || v[i].n > v[best].n ||
				       (v[i].n == v[best].n && v[i].pid < v[best].pid)))
				best = i;
		if (best == UINT32_MAX)
			break;
		fd->procs[fd->nr_procs++] = (struct fs_find_proc){ v[best].pid, v[best].comm, v[best].n };
		v[best].n = 0;
	}
	free(v);
	fs_idmap__exit(&m);
	return 0;
fail:
	free(v);
	fs_idmap__exit(&m);
	return -1;
}
