// SPDX-License-Identifier: GPL-2.0-only
/*
 * The finder on simulated profiles: perf's cpu-clock ticks every 1/hz s on
 * each CPU, and each tick samples the process that CPU runs (its current
 * activity's stack) or the idle loop. Schedules are known, so every
 * assertion is derived from the schedule: the kind, place, shape and culprit
 * function of each pattern, and no finding at all for steady loads
 * (including a busy loop on perf's exact sampling grid, which aliases with
 * the heat map's cells).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <math.h>
#include "find.h"
#include "heatmap-int.h"
#include "idle.h"
#include "strtab.h"

enum act { IDLE, STARTUP, SPIKE, BAND, BURST, SHIFT, NOISE, NR_ACTS };

static const char *const act_fn[NR_ACTS] = {
	"do_idle", "startup_work", "spike_work", "band_work", "burst_work", "shift_work", "noise_work",
};

struct item {
	enum act act;
	double a, b, c;			/* startup: a; spike: a, b; band: a=P, b=D, c=S; burst: a=O, b=L (s);
					 * shift: a=at, b=fraction; noise: a=fraction */
};

struct simproc {
	int32_t pid;
	const char *comm;
	struct item items[6];
	uint32_t nr;
};

struct sim {
	double hz, seconds, t0;		/* t0: s of perf time of the first tick */
	uint32_t cpus;
	double jitter;			/* s of random jitter per tick */
	uint64_t rng;
	struct simproc procs[4];
	uint32_t nr_procs;
};

/* ---- a profile built in memory, frames and stacks interned ---- */

struct builder {
	struct fs_profile *p;
	uint32_t alloc_frames, alloc_stacks;
	uint64_t alloc_samples;
	uint32_t stacks[NR_ACTS];	/* the stack of each activity */
	uint32_t idle_stack;
};

static uint32_t add_frame(struct builder *b, const char *sym, const char *dso, uint8_t kind)
{
	struct fs_profile *p = b->p;
	struct fs_profile_frame *f;

	for (uint32_t i = 0; i < p->nr_frames; i++)
		if (!strcmp(fs_profile__str(p, p->frames[i].sym), sym) &&
		    !strcmp(fs_profile__str(p, p->frames[i].dso), dso))
			return i;
	if (p->nr_frames == b->alloc_frames) {
		b->alloc_frames = b->alloc_frames ? 2 * b->alloc_frames : 32;
		p->frames = realloc(p->frames, b->alloc_frames * sizeof(*p->frames));
	}
	f = &p->frames[p->nr_frames];
	f->sym = fs_strtab__add(p->strs, sym, strlen(sym));
	f->dso = fs_strtab__add(p->strs, dso, strlen(dso));
	f->kind = kind;
	f->idle = fs_idle__frame(sym);
	return p->nr_frames++;
}

/* A stack from frames outermost first. */
static uint32_t add_stack(struct builder *b, const uint32_t *frames, uint32_t n)
{
	struct fs_profile *p = b->p;
	uint32_t s = 0;

	for (uint32_t k = 0; k < n; k++) {
		uint32_t found = 0;

		for (uint32_t i = 1; i < p->nr_stacks; i++)
			if (p->stacks[i].parent == s && p->stacks[i].frame == frames[k])
				found = i;
		if (!found) {
			if (p->nr_stacks == b->alloc_stacks) {
				b->alloc_stacks *= 2;
				p->stacks = realloc(p->stacks, b->alloc_stacks * sizeof(*p->stacks));
			}
			found = p->nr_stacks++;
			p->stacks[found] = (struct fs_profile_stack){
				s, frames[k], p->stacks[s].depth + 1,
				p->frames[frames[k]].idle ? FS_STACK_IDLE_ANY | FS_STACK_IDLE_LEAF :
							    p->stacks[s].idle & FS_STACK_IDLE_ANY,
			};
		}
		s = found;
	}
	return s;
}

static void builder_init(struct builder *b)
{
	struct fs_profile *p = calloc(1, sizeof(*p));
	uint32_t f[6];

	memset(b, 0, sizeof(*b));
	b->p = p;
	p->strs = fs_strtab__new();
	b->alloc_stacks = 64;
	p->stacks = calloc(b->alloc_stacks, sizeof(*p->stacks));
	p->nr_stacks = 1;
	p->events = calloc(1, sizeof(*p->events));
	p->events[0] = "cpu-clock:pppH";
	p->nr_events = 1;
	f[0] = add_frame(b, "secondary_startup_64", "[kernel.kallsyms]", FS_FRAME_KERNEL);
	f[1] = add_frame(b, "do_idle", "[kernel.kallsyms]", FS_FRAME_KERNEL);
	f[2] = add_frame(b, "default_idle", "[kernel.kallsyms]", FS_FRAME_KERNEL);
	b->idle_stack = add_stack(b, f, 3);
	f[0] = add_frame(b, "main", "/usr/bin/app", FS_FRAME_USER);
	f[1] = add_frame(b, "run", "/usr/bin/app", FS_FRAME_USER);
	f[3] = add_frame(b, "spin_leaf", "/usr/bin/app", FS_FRAME_USER);
	for (int a = STARTUP; a < NR_ACTS; a++) {
		f[2] = add_frame(b, act_fn[a], "/usr/bin/app", FS_FRAME_USER);
		b->stacks[a] = add_stack(b, (uint32_t[]){ f[0], f[1], f[2], f[3] }, 4);
	}
}

static void push(struct builder *b, uint64_t ns, uint32_t stack, int32_t pid, const char *comm,
		 uint32_t cpu, double hz)
{
	struct fs_profile *p = b->p;
	struct fs_profile_sample *s;

	if (p->nr_samples == b->alloc_samples) {
		b->alloc_samples = b->alloc_samples ? 2 * b->alloc_samples : 4096;
		p->samples = realloc(p->samples, b->alloc_samples * sizeof(*p->samples));
	}
	s = &p->samples[p->nr_samples++];
	memset(s, 0, sizeof(*s));
	s->time = ns;
	s->period = (uint64_t)(1e9 / hz);	/* cpu-clock: ns per sample */
	s->stack = stack;
	s->pid = s->tid = pid;
	s->cpu = cpu;
	s->comm = fs_strtab__add(p->strs, comm, strlen(comm));
}

static double rnd(struct sim *s)
{
	s->rng = s->rng * 6364136223846793005ULL + 1442695040888963407ULL;
	return (s->rng >> 11) * (1.0 / 9007199254740992.0);
}

/* What a process does at t seconds from the start: an activity, or IDLE. */
static enum act activity(struct sim *sim, const struct simproc *pr, double t)
{
	double noise = 0, shift = 0, u;

	for (uint32_t i = 0; i < pr->nr; i++) {
		const struct item *it = &pr->items[i];

		switch (it->act) {
		case STARTUP:
			if (t < it->a)
				return STARTUP;
			break;
		case SPIKE:
			if (t >= it->a && t < it->a + it->b)
				return SPIKE;
			break;
		case BAND:
			if (t >= it->c && fmod(t - it->c, it->a) < it->b)
				return BAND;
			break;
		case BURST: {
			double off = t - floor(t);

			if (off >= it->a && off < it->a + it->b)
				return BURST;
			break;
		}
		case SHIFT:
			if (t >= it->a)
				shift += it->b;
			break;
		case NOISE:
			noise += it->a;
			break;
		default:
			break;
		}
	}
	u = rnd(sim);
	return u < shift ? SHIFT : u < shift + noise ? NOISE : IDLE;
}

/* The profile: ticks of every CPU; process i runs on CPU i % cpus. */
static struct fs_profile *simulate(struct sim *sim, struct builder *b)
{
	uint64_t ticks = (uint64_t)(sim->seconds * sim->hz);

	builder_init(b);
	for (uint64_t k = 0; k < ticks; k++) {
		for (uint32_t cpu = 0; cpu < sim->cpus; cpu++) {
			double t = k / sim->hz + cpu * 0.37 / sim->hz;
			const struct simproc *pr = NULL;
			enum act a = IDLE;

			if (sim->jitter > 0)
				t += (rnd(sim) - 0.5) * sim->jitter;
			for (uint32_t i = 0; i < sim->nr_procs; i++)
				if (i % sim->cpus == cpu) {
					pr = &sim->procs[i];
					a = activity(sim, pr, t);
					if (a != IDLE)
						break;
				}
			if (t < 0)
				continue;
			if (a == IDLE)
				push(b, (uint64_t)llround((sim->t0 + t) * 1e9), b->idle_stack, 0, "swapper", cpu,
				     sim->hz);
			else
				push(b, (uint64_t)llround((sim->t0 + t) * 1e9), b->stacks[a], pr->pid, pr->comm,
				     cpu, sim->hz);
		}
	}
	/* sorted by time, as a loaded profile is */
	for (uint64_t i = 1; i < b->p->nr_samples; i++) {
		struct fs_profile_sample s = b->p->samples[i];
		uint64_t j = i;

		while (j > 0 && b->p->samples[j - 1].time > s.time) {
			b->p->samples[j] = b->p->samples[j - 1];
			j--;
		}
		b->p->samples[j] = s;
	}
	b->p->first_time = b->p->samples[0].time;
	b->p->last_time = b->p->samples[b->p->nr_samples - 1].time;
	return b->p;
}

static void profile_delete(struct fs_profile *p)
{
	free(p->events);
	p->events = NULL;
	fs_profile__delete(p);
}

static struct fs_findings *find(struct fs_profile *p, const struct fs_find_opts *o)
{
	struct fs_filter flt = { .event = -1 };
	struct fs_findings *fs;
	struct fs_error err = { "" };

	assert_int_equal(fs_filter__prepare(&flt, p, NULL), 0);
	fs = fs_findings__from_profile(p, &flt, o, &err);
	fs_filter__release(&flt);
	if (!fs)
		fail_msg("find: %s", err.msg);
	return fs;
}

/* The offset (from the heat map's origin) of t seconds from the simulation's start. */
static double offset_of(const struct sim *sim, const struct fs_findings *fs, double t)
{
	return sim->t0 + t - fs->origin;
}

static const char *top_frame(const struct fs_profile *p, const struct fs_finding *fd)
{
	if (!fd->nr_frames)
		return "(none)";
	return fs_profile__str(p, p->frames[fd->frames[0].frame].sym);
}

static void print_findings(const struct fs_findings *fs, const struct fs_profile *p)
{
	fs_findings__write_txt(fs, p, NULL, stderr, NULL);
}

/* Asserts cond, showing the findings when it fails. */
#define expect(cond, fs, p) do { \
		if (!(cond)) \
			print_findings(fs, p); \
		assert_true(cond); \
	} while (0)

static void expect_none(struct sim *sim, const char *what)
{
	struct builder b;
	struct fs_profile *p = simulate(sim, &b);
	struct fs_findings *fs = find(p, NULL);

	if (fs->n) {
		fprintf(stderr, "steady load (%s) gave findings:\n", what);
		print_findings(fs, p);
	}
	assert_int_equal(fs->n, 0);
	fs_findings__delete(fs);
	profile_delete(p);
}

static void test_steady(void **state)
{
	char what[64];

	(void)state;
	/* random load at 99 Hz and at 49 Hz (a sample or two per cell), several seeds */
	for (uint64_t seed = 1; seed <= 6; seed++) {
		struct sim sim = { .hz = seed % 2 ? 99 : 49, .seconds = 60, .t0 = 5000.3, .cpus = 2,
				   .jitter = 0.0005, .rng = seed,
				   .procs = { { 100, "app", { { NOISE, 0.1 * seed, 0, 0 } }, 1 } },
				   .nr_procs = 1 };

		snprintf(what, sizeof(what), "noise %.1f at %.0f Hz", 0.1 * seed, sim.hz);
		expect_none(&sim, what);
	}
}

/* A busy loop on perf's exact grid: each second's samples land in the same cells. */
static void test_steady_grid(void **state)
{
	static const double hz[] = { 49, 99, 97 };

	(void)state;
	for (uint32_t i = 0; i < 3; i++) {
		struct sim sim = { .hz = hz[i], .seconds = 30, .t0 = 7000.0, .cpus = 1, .rng = 9,
				   .procs = { { 100, "app", { { NOISE, 1, 0, 0 } }, 1 } }, .nr_procs = 1 };

		expect_none(&sim, "a busy loop on the sampling grid");
	}
}

static const struct fs_finding *only(const struct fs_findings *fs, const struct fs_profile *p,
				     uint8_t kind)
{
	const struct fs_finding *found = NULL;

	for (uint32_t i = 0; i < fs->n; i++)
		if (fs->v[i].kind == kind)
			found = found ? NULL : &fs->v[i];
	if (!found || fs->n != 1) {
		fprintf(stderr, "expected exactly one finding of kind %u:\n", kind);
		print_findings(fs, p);
	}
	assert_non_null(found);
	return found;
}

static void test_band(void **state)
{
	const double P = 10, D = 2, S = 3;
	struct sim sim = { .hz = 49, .seconds = 100, .t0 = 1000.4, .cpus = 2, .jitter = 0.0005, .rng = 3,
			   .procs = { { 42, "app", { { BAND, P, D, S }, { NOISE, 0.1, 0, 0 } }, 2 } },
			   .nr_procs = 1 };
	struct builder b;
	struct fs_profile *p = simulate(&sim, &b);
	struct fs_findings *fs = find(p, NULL);
	const struct fs_finding *fd = only(fs, p, FS_FINDING_BAND);

	(void)state;
	expect(fabs(fd->period - P) < 1e-9, fs, p);
	expect(fabs(fd->duration - D) <= 0.1, fs, p);
	/* every range starts where a band does */
	for (uint32_t i = 0; i < fd->nr_ranges; i++) {
		double k = round((fd->ranges[i].start - offset_of(&sim, fs, S)) / P);

		expect(fabs(fd->ranges[i].start - offset_of(&sim, fs, S + k * P)) <= 0.05, fs, p);
	}
	expect(fd->present >= 8, fs, p);
	expect(fd->lift > 2, fs, p);
	assert_string_equal(top_frame(p, fd), "band_work");
	fs_findings__delete(fs);
	profile_delete(p);
}

static void test_burst(void **state)
{
	const double O = 0.3, L = 0.08;
	struct sim sim = { .hz = 99, .seconds = 40, .t0 = 2000.7, .cpus = 2, .jitter = 0.0005, .rng = 4,
			   .procs = { { 43, "app", { { BURST, O, L, 0 }, { NOISE, 0.1, 0, 0 } }, 2 } },
			   .nr_procs = 1 };
	struct builder b;
	struct fs_profile *p = simulate(&sim, &b);
	struct fs_findings *fs = find(p, NULL);
	const struct fs_finding *fd = only(fs, p, FS_FINDING_BURST);
	double want = fmod(offset_of(&sim, fs, O), 1);

	(void)state;
	expect(fabs(fd->offset - want) <= 0.021, fs, p);
	expect(fabs(fd->duration - L) <= 0.021, fs, p);
	expect(fd->present >= 30, fs, p);
	assert_string_equal(top_frame(p, fd), "burst_work");
	fs_findings__delete(fs);
	profile_delete(p);
}

/* Bursts at -F 49 on one idle CPU: a sample or two each. */
static void test_burst_low_rate(void **state)
{
	const double O = 0.7, L = 0.1;
	struct sim sim = { .hz = 49, .seconds = 30, .t0 = 300.0, .cpus = 1, .jitter = 0.001, .rng = 5,
			   .procs = { { 44, "svc", { { BURST, O, L, 0 }, { NOISE, 0.02, 0, 0 } }, 2 } },
			   .nr_procs = 1 };
	struct builder b;
	struct fs_profile *p = simulate(&sim, &b);
	struct fs_findings *fs = find(p, NULL);
	const struct fs_finding *fd = only(fs, p, FS_FINDING_BURST);

	(void)state;
	expect(fabs(fd->offset - fmod(offset_of(&sim, fs, O), 1)) <= 0.021, fs, p);
	assert_string_equal(top_frame(p, fd), "burst_work");
	fs_findings__delete(fs);
	profile_delete(p);
}

static void test_startup(void **state)
{
	const double D = 5;
	struct sim sim = { .hz = 99, .seconds = 60, .t0 = 400.2, .cpus = 2, .jitter = 0.0005, .rng = 6,
			   .procs = { { 45, "app", { { STARTUP, D, 0, 0 }, { NOISE, 0.2, 0, 0 } }, 2 } },
			   .nr_procs = 1 };
	struct builder b;
	struct fs_profile *p = simulate(&sim, &b);
	struct fs_findings *fs = find(p, NULL);
	const struct fs_finding *fd = only(fs, p, FS_FINDING_SEGMENT);

	(void)state;
	assert_int_equal(fd->where, FS_SEGMENT_START);
	expect(fabs(fd->span.end - offset_of(&sim, fs, D)) <= 0.05, fs, p);
	assert_string_equal(top_frame(p, fd), "startup_work");
	/* the printed command (ms) holds the first sample; its baseline follows, apart */
	{
		char buf[32];

		snprintf(buf, sizeof(buf), "%.3f", fd->look.start);
		expect(strtod(buf, NULL) <= fs->first, fs, p);
		expect(fd->compare.start >= fd->look.end, fs, p);
	}
	fs_findings__delete(fs);
	profile_delete(p);
}

static void test_spike(void **state)
{
	const double A = 30.5, D = 2;
	struct sim sim = { .hz = 99, .seconds = 60, .t0 = 400.0, .cpus = 2, .jitter = 0.0005, .rng = 7,
			   .procs = { { 46, "app", { { SPIKE, A, D, 0 }, { NOISE, 0.2, 0, 0 } }, 2 } },
			   .nr_procs = 1 };
	struct builder b;
	struct fs_profile *p = simulate(&sim, &b);
	struct fs_findings *fs = find(p, NULL);
	const struct fs_finding *fd = only(fs, p, FS_FINDING_SEGMENT);

	(void)state;
	assert_int_equal(fd->where, FS_SEGMENT_MIDDLE);
	/* edges to within 5 cells: at 20% load, noise can move the best split a few cells */
	expect(fabs(fd->span.start - offset_of(&sim, fs, A)) <= 0.1, fs, p);
	expect(fabs(fd->span.end - offset_of(&sim, fs, A + D)) <= 0.1, fs, p);
	assert_string_equal(top_frame(p, fd), "spike_work");
	fs_findings__delete(fs);
	profile_delete(p);
}

static void test_shift(void **state)
{
	const double A = 40;
	struct sim sim = { .hz = 99, .seconds = 100, .t0 = 600.0, .cpus = 2, .jitter = 0.0005, .rng = 8,
			   .procs = { { 47, "app", { { SHIFT, A, 0.5, 0 }, { NOISE, 0.1, 0, 0 } }, 2 } },
			   .nr_procs = 1 };
	struct builder b;
	struct fs_profile *p = simulate(&sim, &b);
	struct fs_findings *fs = find(p, NULL);
	const struct fs_finding *fd = only(fs, p, FS_FINDING_SHIFT);

	(void)state;
	expect(fabs(fd->span.start - offset_of(&sim, fs, A)) <= 0.1, fs, p);
	expect(fd->rate > fd->base_rate, fs, p);
	assert_string_equal(top_frame(p, fd), "shift_work");
	fs_findings__delete(fs);
	profile_delete(p);
}

/* Three processes: a band in one, bursts in another, steady noise in the third. */
static void test_processes(void **state)
{
	struct sim sim = { .hz = 99, .seconds = 60, .t0 = 800.5, .cpus = 2, .jitter = 0.0005, .rng = 10,
			   .procs = {
				   { 51, "alpha", { { BAND, 6, 1, 2 }, { NOISE, 0.1, 0, 0 } }, 2 },
				   { 52, "beta", { { BURST, 0.55, 0.06, 0 }, { NOISE, 0.1, 0, 0 } }, 2 },
				   { 53, "gamma", { { NOISE, 0.2, 0, 0 } }, 1 },
			   }, .nr_procs = 3 };
	struct builder b;
	struct fs_profile *p = simulate(&sim, &b);
	struct fs_findings *fs = find(p, NULL);
	bool band = false, burst = false;

	(void)state;
	for (uint32_t i = 0; i < fs->n; i++) {
		const struct fs_finding *fd = &fs->v[i];
		int32_t pid = fd->pid >= 0 ? fd->pid : fd->procs[0].pid;

		if (fd->kind == FS_FINDING_BAND && pid == 51 && fabs(fd->period - 6) < 1e-9 &&
		    !strcmp(top_frame(p, fd), "band_work"))
			band = true;
		else if (fd->kind == FS_FINDING_BURST && pid == 52 &&
			 fabs(fd->offset - fmod(offset_of(&sim, fs, 0.55), 1)) <= 0.021 &&
			 !strcmp(top_frame(p, fd), "burst_work"))
			burst = true;
		else
			fail_msg("unexpected finding %u", i + 1);
	}
	if (!band || !burst)
		print_findings(fs, p);
	assert_true(band && burst);
	fs_findings__delete(fs);
	profile_delete(p);
}

static void test_options(void **state)
{
	struct sim sim = { .hz = 99, .seconds = 40, .t0 = 100.0, .cpus = 2, .jitter = 0.0005, .rng = 11,
			   .procs = { { 60, "app", { { STARTUP, 3, 0, 0 }, { BURST, 0.2, 0.1, 0 },
						 { NOISE, 0.1, 0, 0 } }, 3 } }, .nr_procs = 1 };
	struct fs_filter flt = { .event = -1, .weight = FS_WEIGHT_PERIOD };
	struct builder b;
	struct fs_profile *p = simulate(&sim, &b);
	struct fs_find_opts o;
	struct fs_findings *fs;
	struct fs_error err;
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	(void)state;
	fs_find_opts__init(&o);
	o.explain = false;
	o.max_findings = 1;
	fs = find(p, &o);
	assert_int_equal(fs->n, 1);
	assert_int_equal(fs->dropped, 1);
	assert_null(fs->v[0].frames);
	/* the text and JSON writers say what they found, with the commands */
	out = open_memstream(&buf, &len);
	assert_int_equal(fs_findings__write_txt(fs, p, &(struct fs_find_style){ "my data", NULL, NULL,
						NULL }, out, &err), 0);
	fclose(out);
	assert_non_null(strstr(buf, "flamescope flamegraph -i 'my data' "));
	assert_non_null(strstr(buf, "(1 weaker findings not shown.)"));
	free(buf);
	fs_findings__delete(fs);
	/* sample counts only */
	assert_int_equal(fs_filter__prepare(&flt, p, NULL), 0);
	assert_null(fs_findings__from_profile(p, &flt, NULL, &err));
	assert_non_null(strstr(err.msg, "samples"));
	fs_filter__release(&flt);
	profile_delete(p);
}

/* A few samples days apart: no finding, no error; over ten days: refused, said why. */
static void test_span(void **state)
{
	struct builder b;
	struct fs_findings *fs;
	struct fs_filter flt = { .event = -1 };
	struct fs_error err = { "" };
	uint32_t s;

	(void)state;
	builder_init(&b);
	s = b.stacks[NOISE];
	/* every 1.8 h for 3 days, at no fixed offset into the second */
	for (int i = 0; i < 40; i++)
		push(&b, 1000000000ULL * (100 + i * 6480ULL) + (i * 7919 % 1000) * 1000000ULL, s, 7, "app", 0,
		     99);
	b.p->first_time = b.p->samples[0].time;
	b.p->last_time = b.p->samples[b.p->nr_samples - 1].time;
	fs = find(b.p, NULL);
	if (fs->n)
		print_findings(fs, b.p);
	assert_int_equal(fs->n, 0);
	fs_findings__delete(fs);
	push(&b, 1000000000ULL * (100 + 11 * 86400ULL), s, 7, "app", 0, 99);
	b.p->last_time = b.p->samples[b.p->nr_samples - 1].time;
	assert_int_equal(fs_filter__prepare(&flt, b.p, NULL), 0);
	assert_null(fs_findings__from_profile(b.p, &flt, NULL, &err));
	assert_non_null(strstr(err.msg, "spans"));
	fs_filter__release(&flt);
	profile_delete(b.p);
}

/* Outlines of ranges on a 3-column map of 10 rows, 1 s columns. */
static void test_outline(void **state)
{
	struct fs_heatmap *hm = fs_heatmap__new(3, 10, NULL);
	struct fs_heatmap_corner poly[2][8];
	uint32_t n[2];

	(void)state;
	/* one column: rows 2..4 (times exact in binary: 1.2 - 1 is 0.1999..., row 1, as the heat map bins) */
	assert_int_equal(fs_heatmap__outline(hm, &(struct fs_heatmap_mark){ 1.25, 1.5, 0, NULL }, poly, n), 1);
	assert_int_equal(n[0], 4);
	assert_int_equal(poly[0][0].x, 1);
	assert_int_equal(poly[0][0].y, 2);
	assert_int_equal(poly[0][2].x, 2);
	assert_int_equal(poly[0][2].y, 5);
	/* 0.5 to 2.3: the top of column 0, column 1, the bottom of column 2 */
	assert_int_equal(fs_heatmap__outline(hm, &(struct fs_heatmap_mark){ 0.5, 2.3, 0, NULL }, poly, n), 1);
	assert_int_equal(n[0], 8);
	assert_int_equal(poly[0][0].y, 5);
	assert_int_equal(poly[0][3].x, 2);
	assert_int_equal(poly[0][3].y, 3);
	/* 0.8 to 1.1: two pieces that do not touch */
	assert_int_equal(fs_heatmap__outline(hm, &(struct fs_heatmap_mark){ 0.8, 1.1, 0, NULL }, poly, n), 2);
	/* outside the map */
	assert_int_equal(fs_heatmap__outline(hm, &(struct fs_heatmap_mark){ 5, 6, 0, NULL }, poly, n), 0);
	fs_heatmap__delete(hm);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_steady),
		cmocka_unit_test(test_steady_grid),
		cmocka_unit_test(test_band),
		cmocka_unit_test(test_burst),
		cmocka_unit_test(test_burst_low_rate),
		cmocka_unit_test(test_startup),
		cmocka_unit_test(test_spike),
		cmocka_unit_test(test_shift),
		cmocka_unit_test(test_processes),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_outline),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
