// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading a profile: one pass over the records, the session keeping threads
 * and maps, each sample's stack resolved and interned. Frames are interned by
 * symbol pointer (the symbolizer interns symbols, so one pointer is one name),
 * stacks by (parent, frame): a repeated stack costs one hash probe per frame.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "chaincache.h"
#include "idle.h"
#include "idmap.h"
#include "pending.h"
#include "profile-int.h"
#include "reader.h"
#include "session.h"
#include "strtab.h"
#include "symbols-kmap.h"
#include "tpfilter.h"
#include "tracepoint.h"
#include "unwind.h"
#include "util.h"
#include "view.h"

/* What a tracepoint event needs at load, resolved at its first sample. */
struct tp_evsel {
	bool ready;
	const struct fs_tp_event *ev;
	const struct fs_tp_field *prev_pid, *next_pid;	/* sched_switch with config.offcpu */
	struct fs_tp_filter *filter;
	bool reject_all;		/* the filter names fields this event lacks */
};

/* stackcollapse-perf.pl's classes: kernel if the dso is "[...]" or a vmlinux, JIT if a perf map. */
static uint8_t frame_kind(const char *dso)
{
	size_t len = strlen(dso);

	if ((dso[0] == '[' || (len >= 7 && !strcmp(dso + len - 7, "vmlinux"))) && !strstr(dso, "unknown"))
		return FS_FRAME_KERNEL;
	if (!strncmp(dso, "/tmp/perf-", 10) && len > 4 && !strcmp(dso + len - 4, ".map"))
		return FS_FRAME_JIT;
	return FS_FRAME_USER;
}

static uint32_t new_frame(struct loader *l, uint32_t sym, uint32_t dso)
{
	struct fs_profile *p = l->p;
	struct fs_profile_frame *f;

	if (sym == UINT32_MAX || dso == UINT32_MAX ||
	    FS_GROW(p->frames, l->alloc_frames, p->nr_frames + 1))
		return UINT32_MAX;
	f = &p->frames[p->nr_frames];
	f->sym = sym;
	f->dso = dso;
	f->kind = frame_kind(fs_strtab__str(p->strs, dso));
	f->idle = fs_idle__frame(fs_strtab__str(p->strs, sym));
	return p->nr_frames++;
}

static uint32_t intern_frame(struct loader *l, const struct fs_frame *fr)
{
	struct fs_profile *p = l->p;
	uint64_t key = fr->sym ? (uintptr_t)fr->sym : ((uintptr_t)fr->dso | 1);
	uint32_t id = fs_idmap__get(&l->frame_ids, key);
	const char *name;

	if (id != UINT32_MAX)
		return id;
	name = fr->sym ? fr->sym->name : "[unknown]";
	/* an inlined function's frame: perf script's "(inlined)" where the dso would be */
	id = new_frame(l, fs_strtab__add(p->strs, name, strlen(name)),
		       fr->inlined ? fs_strtab__add(p->strs, "inlined", 7) :
		       fr->dso ? fs_strtab__add(p->strs, fr->dso->name, strlen(fr->dso->name)) : l->unknown);
	if (id == UINT32_MAX || fs_idmap__put(&l->frame_ids, key, id))
		return UINT32_MAX;
	/*
	 * No kernel names to find the idle loop by (kallsyms hidden or
	 * unusable, see fs_symbolizer__note()): the idle task's kernel frames
	 * are its idle loop, so its samples still count as idle.
	 */
	if (!fr->sym && fr->dso && fs_dso__is_kernel(fr->dso) && l->syms && fs_symbolizer__note(l->syms))
		p->frames[id].idle = true;
	return id;
}

static uint32_t intern_named_frame(struct loader *l, const char *sym, const char *dso)
{
	struct fs_profile *p = l->p;
	uint32_t s = fs_strtab__add(p->strs, sym, strlen(sym)), d = fs_strtab__add(p->strs, dso, strlen(dso));
	uint64_t key = (uint64_t)d << 32 | s;
	uint32_t id;

	if (s == UINT32_MAX || d == UINT32_MAX)
		return UINT32_MAX;
	id = fs_idmap__get(&l->named_frames, key);
	if (id != UINT32_MAX)
		return id;
	id = new_frame(l, s, d);
	if (id == UINT32_MAX || fs_idmap__put(&l->named_frames, key, id))
		return UINT32_MAX;
	return id;
}

static uint32_t intern_stack(struct loader *l, uint32_t parent, uint32_t frame)
{
	struct fs_profile *p = l->p;
	uint64_t key = (uint64_t)parent << 32 | frame;
	uint32_t id = fs_idmap__get(&l->stack_ids, key);
	struct fs_profile_stack *s;

	if (id != UINT32_MAX)
		return id;
	if (FS_GROW(p->stacks, l->alloc_stacks, p->nr_stacks + 1))
		return UINT32_MAX;
	s = &p->stacks[p->nr_stacks];
	s->parent = parent;
	s->frame = frame;
	s->depth = p->stacks[parent].depth + 1;
	s->idle = p->frames[frame].idle ? FS_STACK_IDLE_ANY | FS_STACK_IDLE_LEAF :
		  p->stacks[parent].idle & FS_STACK_IDLE_ANY;
	if (fs_idmap__put(&l->stack_ids, key, p->nr_stacks))
		return UINT32_MAX;
	return p->nr_stacks++;
}


uint32_t fs_loader__comm(struct loader *l, const char *comm)
{
	uint32_t id = fs_idmap__get(&l->comm_ids, (uintptr_t)comm);

	if (id != UINT32_MAX)
		return id;
	id = fs_strtab__add(l->p->strs, comm, strlen(comm));
	if (id == UINT32_MAX || fs_idmap__put(&l->comm_ids, (uintptr_t)comm, id))
		return UINT32_MAX;
	return id;
}

#define POPULATE_STEP	(1u << 15)	/* samples: 1.25 MB */

/*
 * The next samples' pages made writable in one call: a page fault apiece
 * is most of a heat map's system time on a virtual machine. A hint only.
 */
static void populate(struct fs_profile_sample *from, size_t room)
{
	uintptr_t a = (uintptr_t)from & ~(uintptr_t)4095;
	uintptr_t e = (uintptr_t)(from + (room < POPULATE_STEP ? room : POPULATE_STEP));

	if (e > a)
		madvise((void *)a, e - a, MADV_POPULATE_WRITE);
}

static int push_sample(struct loader *l, const struct fs_profile_sample *in, uint32_t comm,
		       struct fs_error *err)
{
	struct fs_profile *p = l->p;
	struct fs_profile_sample *ps;

	if (comm == UINT32_MAX ||
	    FS_GROW(p->samples, l->alloc_samples, p->nr_samples + 1))
		return fs_error__set(err, "out of memory for samples");
	if (!(p->nr_samples % POPULATE_STEP))
		populate(p->samples + p->nr_samples, l->alloc_samples - p->nr_samples);
	if (p->nr_samples && in->time < p->samples[p->nr_samples - 1].time)
		l->unsorted = true;
	ps = &p->samples[p->nr_samples++];
	*ps = *in;
	ps->comm = comm;
	return 0;
}

/*
 * Interns resolved frames (innermost first) as a stack, outermost first.
 * Inlined frames are looked up innermost first, in perf's order: addr2line
 * remembers names between requests, so its answers depend on their order.
 */
static uint32_t stack_of(struct loader *l, struct fs_session *ss, const struct fs_frame *frames, int n)
{
	uint32_t stack = 0, m;

	for (int i = 0; i < n; i++)
		fs_session__prefetch_inlines(ss, &frames[i]);
	for (int i = 0; i < n; i++)
		fs_session__inlines(ss, &frames[i], &m);
	for (int i = n - 1; i >= 0 && stack != UINT32_MAX; i--) {
		uint32_t frame;
		const struct fs_symbol *const *inl = fs_session__inlines(ss, &frames[i], &m);
		struct fs_frame g = frames[i];

		/* an unwound frame's inlined functions, outermost first */
		while (m-- > 0 && stack != UINT32_MAX) {
			g.sym = inl[m];
			g.inlined = inl[m] != frames[i].sym;
			frame = intern_frame(l, &g);
			stack = frame == UINT32_MAX ? UINT32_MAX : intern_stack(l, stack, frame);
		}
		if (inl || stack == UINT32_MAX)
			continue;
		frame = intern_frame(l, &frames[i]);
		stack = frame == UINT32_MAX ? UINT32_MAX : intern_stack(l, stack, frame);
	}
	return stack;
}

/*
 * A callchain's stack: the session's (maps generation, ip) pairs are looked up
 * in the chain cache first, and only a new chain is resolved frame by frame.
 */
static uint32_t chain_stack(struct loader *l, struct fs_session *ss, const struct fs_sample *s,
			    struct fs_frame *frames, int max_stack)
{
	int n = fs_session__chain(ss, s, frames, max_stack);
	uint32_t stack;
	uint64_t hash;

	if (n < 0) {	/* perf's unwind failed: the sample ip alone */
		fs_session__resolve_ip(ss, s, &frames[0]);
		return stack_of(l, ss, frames, 1);
	}
	for (int i = 0; i < n; i++) {
		l->key[2 * i] = frames[i].maps_gen;
		l->key[2 * i + 1] = frames[i].ip;
	}
	hash = fs_chaincache__hash(l->key, 2 * n);
	stack = fs_chaincache__get(l->chains, l->key, 2 * n, hash);
	if (stack != UINT32_MAX)
		return stack;
	for (int i = 0; i < n; i++)
		fs_session__fill(ss, &frames[i]);
	stack = stack_of(l, ss, frames, n);
	fs_chaincache__put(l->chains, l->key, 2 * n, hash, stack);
	return stack;
}

/* perf's event-name match, as fs_profile__event(): "cpu-clock" matches "cpu-clock:pppH". */
static bool event_named(const char *e, const char *name)
{
	size_t len = strlen(name);

	return e && (!strcmp(e, name) || (!strncmp(e, name, len) && e[len] == ':'));
}

static int tp_evsel_init(struct loader *l, const struct fs_evsel *evsel, struct tp_evsel *t,
			 struct fs_error *err)
{
	const struct fs_profile_config *cfg = l->cfg;
	struct fs_error ferr;

	t->ready = true;
	if (!l->tp) {
		l->tp = fs_tracepoints__new(l->hdr->tracing_data, l->hdr->tracing_data_size, &ferr);
		if (!l->tp)
			return fs_error__set(err, "%s: %s", cfg->path, ferr.msg);
	}
	t->ev = fs_tracepoints__event(l->tp, &evsel->attr);
	if (!t->ev)
		return 0;
	if (cfg->offcpu && fs_tracepoints__is(t->ev, "sched", "sched_switch")) {
		t->prev_pid = fs_tracepoints__find_field(t->ev, "prev_pid");
		t->next_pid = fs_tracepoints__find_field(t->ev, "next_pid");
	}
	if (!cfg->tp_filter || (cfg->tp_filter_event && !event_named(evsel->name, cfg->tp_filter_event)))
		return 0;
	t->filter = fs_tp_filter__new(l->tp, t->ev, cfg->tp_filter, &ferr);
	if (t->filter)
		l->nr_filtered_events++;
	else if (cfg->tp_filter_event)
		return fs_error__set(err, "%s: %s", cfg->path, ferr.msg);
	else
		l->filter_err = ferr, t->reject_all = true;
	return 0;
}

static struct tp_evsel *tp_evsel(struct loader *l, const struct fs_evsel *evsel, struct fs_error *err)
{
	struct tp_evsel *t;

	if (evsel->idx >= l->nr_tpe) {
		uint32_t n = evsel->idx + 8;

		t = realloc(l->tpe, n * sizeof(*t));
		if (!t)
			return fs_error__set(err, "out of memory"), NULL;
		memset(t + l->nr_tpe, 0, (n - l->nr_tpe) * sizeof(*t));
		l->tpe = t;
		l->nr_tpe = n;
	}
	t = &l->tpe[evsel->idx];
	if (!t->ready && tp_evsel_init(l, evsel, t, err))
		return NULL;
	return t;
}

/* The slot holding tid's open switch-out. */
static uint64_t *wait_slot(struct loader *l, int64_t tid)
{
	uint64_t key = (uint64_t)tid;
	uint32_t id = fs_idmap__get(&l->waiting, key);

	if (id != UINT32_MAX)
		return &l->wait[id];
	if (l->nr_wait >= UINT32_MAX - 1 ||
	    FS_GROW(l->wait, l->alloc_wait, l->nr_wait + 1) ||
	    fs_idmap__put(&l->waiting, key, l->nr_wait))
		return NULL;
	l->wait[l->nr_wait] = 0;
	return &l->wait[l->nr_wait++];
}

/*
 * A context switch at s->time: next_pid's wait (if one is open) ends, and
 * prev_pid's begins with this sample, whose period will hold its length.
 */
static int offcpu_switch(struct loader *l, const struct tp_evsel *t, const struct fs_sample *s,
			 uint64_t idx, struct fs_error *err)
{
	struct fs_profile_sample *samples = l->p->samples;
	int64_t prev, next;
	uint64_t *w;

	samples[idx].period = 0;
	if (fs_tracepoints__read_field(t->prev_pid, s->raw_data, s->raw_size, &prev) ||
	    fs_tracepoints__read_field(t->next_pid, s->raw_data, s->raw_size, &next))
		return 0;
	if (next != 0) {
		if (!(w = wait_slot(l, next)))
			return fs_error__set(err, "out of memory");
		if (*w) {
			struct fs_profile_sample *out = &samples[*w - 1];

			out->period = s->time >= out->time ? s->time - out->time : 0;
			*w = 0;
		}
	}
	if (prev != 0) {
		if (!(w = wait_slot(l, prev)))
			return fs_error__set(err, "out of memory");
		*w = idx + 1;	/* a wait left open (lost events) stays 0 */
	}
	return 0;
}

static int tp_sample(struct loader *l, const struct fs_sample *s, uint64_t idx, struct fs_error *err)
{
	struct tp_evsel *t = tp_evsel(l, s->evsel, err);

	if (!t)
		return -1;
	if (t->reject_all ||
	    (t->filter && !fs_tp_filter__match(t->filter, (int)s->cpu, s->raw_data, s->raw_size)))
		l->p->samples[idx].flags |= FS_SAMPLE_FILTERED_OUT;
	if (t->prev_pid && t->next_pid)
		return offcpu_switch(l, t, s, idx, err);
	return 0;
}

/*
 * Callchains whose user part we cannot rebuild would be drawn cut at the
 * kernel boundary: refuse them rather than draw wrong stacks.
 */
static int check_callchain(const struct loader *l, const struct fs_evsel *e, struct fs_error *err)
{
	const char *path = l->cfg ? l->cfg->path : "perf.data";
	uint64_t st = e->attr.sample_type;

	if ((st & PERF_SAMPLE_BRANCH_STACK) && (e->attr.branch_sample_type & PERF_SAMPLE_BRANCH_CALL_STACK))
		return fs_error__set(err, "%s: LBR callchains (--call-graph lbr) are not supported: "
				     "their user part is in the branch stack, which perf stitches and "
				     "we do not read yet; record with --call-graph dwarf or fp", path);
	if ((st & PERF_SAMPLE_CALLCHAIN) && (st & PERF_SAMPLE_REGS_USER) &&
	    (st & PERF_SAMPLE_STACK_USER) && l->hdr && !fs_unwind__arch_supported(l->hdr->arch))
		return fs_error__set(err, "%s: DWARF callchains (--call-graph dwarf) recorded on %s "
				     "cannot be unwound here: only x86_64 ones are, as Debian's perf 6.1 "
				     "on x86_64 unwinds them", path, l->hdr->arch);
	return 0;
}

uint32_t fs_loader__stack(struct loader *l, struct fs_session *ss, const struct fs_sample *s,
			  struct fs_frame *frames, int max_stack)
{
	if (s->callchain)
		return chain_stack(l, ss, s, frames, max_stack);
	return stack_of(l, ss, frames, fs_session__resolve(ss, s, frames, max_stack));
}

/*
 * Whether a sample's stack is wanted with config.range_stacks_only: the
 * range is placed at the first sample delivered, widened by a millisecond
 * each side against rounding (the view picks the exact samples). A sample
 * delivered later but earlier than that second moves the origin: the load
 * is done again in full (range_missed). Not for streams, which cannot be
 * read twice: every stack is resolved there.
 */
static bool in_stack_range(struct loader *l, const struct fs_sample *s)
{
	const struct fs_filter *f = l->cfg->range_stacks_only;
	double t = (double)(s->time / 1000) / 1e6;

	if (!l->range_set) {
		l->range_set = true;
		l->range_origin = floor(t);
		l->range_from = 0;
		l->range_to = UINT64_MAX;
		if (f->has_start && l->range_origin + f->start - 0.001 > 0)
			l->range_from = (uint64_t)((l->range_origin + f->start - 0.001) * 1e9);
		if (f->has_end)
			l->range_to = (uint64_t)((l->range_origin + f->end + 0.001) * 1e9);
	}
	if (t < l->range_origin)
		l->range_missed = true;
	return s->time >= l->range_from && s->time <= l->range_to;
}

/* fs_idle__comm(), remembered by pointer: a heat map asks it of every sample. */
static bool comm_idle(struct loader *l, const char *comm)
{
	uint32_t k = ((uintptr_t)comm >> 4) % ARRAY_SIZE(l->idle_comms);

	if (l->idle_comms[k] != comm) {
		l->idle_comms[k] = comm;
		l->idle_comm_bits = (l->idle_comm_bits & ~(1u << k)) |
				    (uint32_t)fs_idle__comm(comm) << k;
	}
	return l->idle_comm_bits >> k & 1;
}

/*
 * Symbolizing is most of a load; the idle rule only looks at the idle
 * task's stacks, a range's flame graph only at the range's.
 */
static bool wants_stack(struct loader *l, const struct fs_sample *s, const struct fs_thread *th,
			bool idle_only)
{
	if (l->cfg && l->cfg->range_stacks_only && !l->hdr->pipe_mode)
		return in_stack_range(l, s);
	return !idle_only || (th->comm && comm_idle(l, th->comm));
}

static int flush_pending(struct loader *l, struct fs_session *ss, struct fs_frame *frames,
			 int max_stack, struct fs_error *err)
{
	if (l->pend && fs_pending__flush(l->pend, l, ss, frames, max_stack))
		return fs_error__set(err, "out of memory for stacks");
	return 0;
}

/*
 * While the kernel's symbols are read ahead, the chains a load resolves are
 * held back (pending.h): any other lookup flushes them first, so lookups
 * still happen in perf's order.
 */
static uint32_t sample_stack(struct loader *l, struct fs_session *ss, const struct fs_sample *s,
			     struct fs_frame *frames, int max_stack)
{
	if (l->pend && fs_symbolizer__kernel_pending(l->syms) && fs_pending__holds(l->pend, s))
		return fs_pending__add(l->pend, s);
	if (flush_pending(l, ss, frames, max_stack, NULL))
		return UINT32_MAX;
	return fs_loader__stack(l, ss, s, frames, max_stack);
}

static int add_sample(struct loader *l, struct fs_session *ss, const struct fs_sample *s,
		      struct fs_frame *frames, int max_stack, bool idle_only, struct fs_error *err)
{
	struct fs_thread *th = fs_session__thread(ss, s->pid, s->tid);
	struct fs_profile_sample ps;
	uint32_t stack = 0;

	if (!th)
		return fs_error__set(err, "out of memory for threads");
	/* the idle task's stacks are the kernel's: complete whatever the user mode */
	if (!idle_only && s->evsel && check_callchain(l, s->evsel, err))
		return -1;
	if (wants_stack(l, s, th, idle_only)) {
		stack = sample_stack(l, ss, s, frames, max_stack);
		if (stack == UINT32_MAX)
			return fs_error__set(err, "out of memory for stacks");
	}
	ps = (struct fs_profile_sample){
		.time = s->time, .period = s->period, .stack = stack, .pid = s->pid, .tid = s->tid,
		.cpu = s->cpu, .event = s->evsel ? s->evsel->idx : 0,
	};
	if (push_sample(l, &ps, fs_loader__comm(l, th->comm ? th->comm : ":-1"), err))
		return -1;
	if (stack & FS_PENDING_STACK) {		/* the samples fs_pending__fix() looks at */
		if (l->held_lo == l->held_hi)
			l->held_lo = l->p->nr_samples - 1;
		l->held_hi = l->p->nr_samples;
	}
	if (l->cfg && (l->cfg->offcpu || l->cfg->tp_filter) && s->evsel &&
	    s->evsel->attr.type == PERF_TYPE_TRACEPOINT && s->raw_data)
		return tp_sample(l, s, l->p->nr_samples - 1, err);
	return 0;
}

/* By time; equal times keep delivery order, as perf delivered them. */
#define SAMPLE_BEFORE(ctx, a, b)	((a)->time < (b)->time)
FS_DEFINE_STABLE_SORT(sample_sort, struct fs_profile_sample, SAMPLE_BEFORE)

/* perf delivers in time order but tolerates stragglers; the time index must not. */
static int sort_samples(struct fs_profile *p, bool unsorted)
{
	struct fs_profile_sample *tmp;

	if (!unsorted)	/* push_sample() saw them in order */
		return 0;
	tmp = malloc((p->nr_samples / 2 + 1) * sizeof(*tmp));
	if (!tmp)
		return -1;
	sample_sort(p->samples, p->nr_samples, tmp, NULL);
	free(tmp);
	return 0;
}

static int set_events(struct fs_profile *p, const char *const *names, uint32_t n)
{
	free(p->events);
	p->events = calloc(n ? n : 1, sizeof(*p->events));
	if (!p->events)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		const char *name = names[i] ? names[i] : "unknown";

		p->events[i] = fs_strtab__intern(p->strs, name, strlen(name));
		if (!p->events[i])
			return -1;
	}
	p->nr_events = n;
	return 0;
}

static int copy_events(struct fs_profile *p, const struct fs_header *hdr)
{
	const char **names = calloc(hdr->nr_evsels + 1, sizeof(*names));
	int ret;

	if (!names)
		return -1;
	for (uint32_t i = 0; i < hdr->nr_evsels; i++)
		names[i] = hdr->evsels[i].name;
	ret = set_events(p, names, hdr->nr_evsels);
	free(names);
	p->sample_types = calloc(hdr->nr_evsels + 1, sizeof(*p->sample_types));
	if (!p->sample_types)
		return -1;
	for (uint32_t i = 0; i < hdr->nr_evsels; i++)
		p->sample_types[i] = hdr->evsels[i].attr.sample_type;
	return ret;
}

/* Session errors say what and where; the file is named here, as the reader's errors name it. */
static void session_error(const struct fs_reader *r, struct fs_error *err)
{
	struct fs_error e;

	if (err) {
		e = *err;
		fs_error__set(err, "%s: %s", fs_reader__path(r), e.msg);
	}
}

/*
 * Room for as many samples as the data section could hold (a sample record
 * is at least 32 bytes), reserved once: pages are touched only as samples
 * fill them, where growing by realloc copied the array at each doubling.
 * Streams and compressed data may hold more: the array grows past it then.
 */
static void reserve_samples(struct loader *l, const struct fs_header *h)
{
	uint64_t bytes = h->data_size, n;
	struct fs_profile_sample *v;

	/* what the file holds, not what a damaged header claims */
	if (h->data_offset > h->file_size)
		return;
	if (bytes > h->file_size - h->data_offset)
		bytes = h->file_size - h->data_offset;
	n = bytes / 32 + 1;
	if (h->pipe_mode || l->alloc_samples || n > SIZE_MAX / 2 / sizeof(*v))
		return;
	v = malloc(n * sizeof(*v));
	if (!v)
		return;	/* refused (overcommit): grown as it fills */
	/*
	 * Huge pages: on a virtual machine the first write to each 4 KB page
	 * costs a fault in the host too, most of a heat map's time otherwise.
	 */
	if (n * sizeof(*v) > (4u << 20))
		madvise((void *)(((uintptr_t)v + 4095) & ~(uintptr_t)4095), n * sizeof(*v) - 4096,
			MADV_HUGEPAGE);
	free(l->p->samples);
	l->p->samples = v;
	l->alloc_samples = n;
}

/*
 * By the first sample the kernel's and modules' maps are known: a load that
 * resolves few stacks (a range's, a heat map's idle test) has the kernel's
 * symbols read in a second thread meanwhile, and holds the chains it
 * resolves until they are there.
 */
static void first_sample(struct loader *l, struct fs_session *ss, const struct fs_profile_config *cfg)
{
	l->prefetched = true;
	if ((l->hdr && l->hdr->pipe_mode) || (!cfg->idle_stacks_only && !cfg->range_stacks_only))
		return;
	fs_session__prefetch_kernel(ss);
	if (fs_symbolizer__kernel_pending(l->syms))	/* none: stacks resolved as they come */
		l->pend = fs_pending__new(!cfg->range_stacks_only);
}

static int load(struct loader *l, struct fs_reader *r, struct fs_session *ss, int max_stack,
		const struct fs_profile_config *cfg, struct fs_error *err)
{
	/* the kernel's callchain and as many unwound user frames (dwarf samples) */
	struct fs_frame *frames = calloc(2 * max_stack + 1, sizeof(*frames));
	const struct fs_reader_stats *st = fs_reader__stats(r);

	uint64_t next_progress = FS_PROFILE_PROGRESS_STEP;
	struct fs_event ev;
	int ret;

	/* 64 MB of remembered chains covers the working set of long profiles. */
	l->chains = fs_chaincache__new(64 << 20);
	l->key = calloc(2 * (2 * max_stack + 1), sizeof(*l->key));
	if (!frames || !l->chains || !l->key) {
		free(frames);
		return fs_error__set(err, "out of memory");
	}
	reserve_samples(l, fs_reader__header(r));
	while ((ret = fs_reader__next(r, &ev, err)) > 0) {
		if (l->pend && fs_pending__must_flush(l->pend, &ev) &&
		    flush_pending(l, ss, frames, max_stack, err)) {
			ret = -1;
			break;
		}
		if (ev.event->header.type == PERF_RECORD_SAMPLE && !l->prefetched)
			first_sample(l, ss, cfg);
		if (fs_session__process(ss, &ev, err)) {
			session_error(r, err);
			ret = -1;
			break;
		}
		/* a sample of no known event has no layout to read: perf skips it too (warned) */
		if ((ev.event->header.type == PERF_RECORD_SAMPLE && ev.has_sample &&
		     add_sample(l, ss, &ev.sample, frames, max_stack, cfg->idle_stacks_only, err))) {
			ret = -1;
			break;
		}
		if (cfg->progress && st->bytes_read >= next_progress) {
			cfg->progress(cfg->progress_arg, st->bytes_read, fs_reader__header(r)->data_size);
			next_progress = st->bytes_read + FS_PROFILE_PROGRESS_STEP;
		}
	}
	if (!ret && l->pend) {
		ret = flush_pending(l, ss, frames, max_stack, err);
		if (!ret)
			fs_pending__fix(l->pend, l->p->samples + l->held_lo, l->held_hi - l->held_lo);
	}
	fs_pending__delete(l->pend);
	l->pend = NULL;
	free(frames);
	return ret < 0 ? -1 : 0;
}

static void warn(const struct fs_profile_config *cfg, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void warn(const struct fs_profile_config *cfg, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!cfg->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg->warn(cfg->warn_arg, msg);
}

/* What the reader counted that leaves the profile incomplete, as perf warns of it. */
static void warn_stats(const struct fs_profile_config *cfg, const struct fs_reader *r)
{
	const struct fs_reader_stats *st = fs_reader__stats(r);
	const char *path = fs_reader__path(r);

	if (st->nr_lost)
		warn(cfg, "%s: %llu events lost in %llu chunks (PERF_RECORD_LOST): the profile has gaps "
		     "(check IO/CPU overload, or record with a larger -m)", path,
		     (unsigned long long)st->nr_lost,
		     (unsigned long long)st->nr_records[PERF_RECORD_LOST]);
	if (st->nr_lost_samples)
		warn(cfg, "%s: %llu samples lost (PERF_RECORD_LOST_SAMPLES), %.2f%% of them", path,
		     (unsigned long long)st->nr_lost_samples,
		     100.0 * st->nr_lost_samples / (st->nr_lost_samples + st->nr_samples));
	if (st->nr_unknown)
		warn(cfg, "%s: %llu records of unknown type skipped (written by a newer perf?)", path,
		     (unsigned long long)st->nr_unknown);
	if (st->nr_unknown_id)
		warn(cfg, "%s: %llu samples and records with an id no event has: skipped", path,
		     (unsigned long long)st->nr_unknown_id);
	if (st->nr_unordered)
		warn(cfg, "%s: %llu events arrived out of time order: samples near them may "
		     "resolve against the wrong maps", path, (unsigned long long)st->nr_unordered);
}

static void loader__delete(struct loader *l)
{
	if (!l)
		return;
	fs_idmap__exit(&l->frame_ids);
	fs_idmap__exit(&l->named_frames);
	fs_idmap__exit(&l->stack_ids);
	fs_idmap__exit(&l->comm_ids);
	fs_chaincache__delete(l->chains);
	free(l->key);
	for (uint32_t i = 0; i < l->nr_tpe; i++)
		fs_tp_filter__delete(l->tpe[i].filter);
	free(l->tpe);
	fs_tracepoints__delete(l->tp);
	fs_idmap__exit(&l->waiting);
	free(l->wait);
	free(l);
}

struct fs_profile *fs_profile__new(struct fs_error *err)
{
	struct fs_profile *p = calloc(1, sizeof(*p));
	struct loader *l = calloc(1, sizeof(*l));

	if (!p || !l) {
		free(p);
		free(l);
		fs_error__set(err, "out of memory");
		return NULL;
	}
	p->priv = l;
	l->p = p;
	p->strs = fs_strtab__new();
	p->stacks = calloc(1, sizeof(*p->stacks));	/* stack 0: the empty one */
	if (!p->strs || !p->stacks || fs_idmap__init(&l->frame_ids, 4096) ||
	    fs_idmap__init(&l->named_frames, 4096) || fs_idmap__init(&l->stack_ids, 65536) ||
	    fs_idmap__init(&l->comm_ids, 256) || fs_idmap__init(&l->waiting, 1024))
		goto fail;
	l->alloc_stacks = 1;
	p->nr_stacks = 1;
	l->unknown = fs_strtab__add(p->strs, "[unknown]", 9);
	if (l->unknown == UINT32_MAX)
		goto fail;
	return p;
fail:
	fs_profile__delete(p);
	fs_error__set(err, "out of memory");
	return NULL;
}

int fs_profile__set_events(struct fs_profile *p, const char *const *names, uint32_t n,
			   struct fs_error *err)
{
	return set_events(p, names, n) ? fs_error__set(err, "out of memory") : 0;
}

int fs_profile__add(struct fs_profile *p, const struct fs_profile_sample *s, const char *comm,
		    const char *const *syms, const char *const *dsos, uint32_t nr, struct fs_error *err)
{
	struct loader *l = p->priv;
	struct fs_profile_sample ps = *s;

	if (!l)
		return fs_error__set(err, "profile already finished");
	ps.stack = 0;
	/* Frames come innermost first; stacks are interned outermost first. */
	for (uint32_t i = nr; i > 0; i--) {
		uint32_t frame = intern_named_frame(l, syms[i - 1] ? syms[i - 1] : "[unknown]",
						    dsos[i - 1] ? dsos[i - 1] : "[unknown]");

		if (frame == UINT32_MAX)
			return fs_error__set(err, "out of memory for frames");
		ps.stack = intern_stack(l, ps.stack, frame);
		if (ps.stack == UINT32_MAX)
			return fs_error__set(err, "out of memory for stacks");
	}
	return push_sample(l, &ps, fs_strtab__add(p->strs, comm, strlen(comm)), err);
}

int fs_profile__finish(struct fs_profile *p, struct fs_error *err)
{
	struct loader *l = p->priv;
	bool unsorted = !l || l->unsorted;

	loader__delete(l);
	p->priv = NULL;
	/* unsorted samples would put time ranges in the wrong place: no profile then */
	if (sort_samples(p, unsorted))
		return fs_error__set(err, "out of memory sorting %llu samples by time",
				     (unsigned long long)p->nr_samples);
	if (p->nr_samples) {
		p->first_time = p->samples[0].time;
		p->last_time = p->samples[p->nr_samples - 1].time;
	}
	return 0;
}

static int load_file(struct fs_profile *p, const struct fs_profile_config *cfg, struct fs_error *err)
{
	struct loader *l = p->priv;
	int max_stack = cfg->max_stack > 0 ? cfg->max_stack : FS_MAX_STACK;
	struct fs_symbolizer_config scfg = cfg->syms;
	struct fs_symbolizer *syms = NULL;
	struct fs_session *ss = NULL;
	struct fs_reader *r;
	int ret = -1;

	r = fs_reader__open(cfg->path, err);
	if (!r)
		return -1;
	if (!scfg.os_release)	/* perf's vmlinux path names the recording's release */
		scfg.os_release = fs_reader__header(r)->osrelease;
	syms = fs_symbolizer__new(&scfg, err);
	if (!syms)
		goto out;
	fs_symbolizer__set_warn(syms, cfg->warn, cfg->warn_arg);
	ss = fs_session__new(fs_reader__header(r), syms, err);
	l->cfg = cfg;
	l->hdr = fs_reader__header(r);
	l->syms = syms;
	if (!ss || load(l, r, ss, max_stack, cfg, err) || fs_symbolizer__check(syms, err))
		goto out;
	warn_stats(cfg, r);

	if (cfg->tp_filter && !cfg->tp_filter_event && !l->nr_filtered_events && l->filter_err.msg[0]) {
		fs_error__set(err, "%s: %s", cfg->path, l->filter_err.msg);
		goto out;
	}
	p->offcpu = cfg->offcpu;
	if (copy_events(p, fs_reader__header(r))) {
		fs_error__set(err, "out of memory");
		goto out;
	}
	p->hdr_first_time = fs_reader__header(r)->first_sample_time;
	p->hdr_last_time = fs_reader__header(r)->last_sample_time;
	/* a damaged file read as far as perf reads it: said once */
	if (fs_reader__note(r))
		warn(cfg, "%s", fs_reader__note(r));
	ret = 0;
out:
	if (ss)
		fs_session__delete(ss);
	if (syms)
		fs_symbolizer__delete(syms);
	fs_reader__close(r);
	return ret;
}

struct fs_profile *fs_profile__load(const struct fs_profile_config *cfg, struct fs_error *err)
{
	struct fs_profile *p = fs_profile__new(err);
	struct fs_profile_config full;
	struct loader *l;

	if (!p)
		return NULL;
	l = p->priv;
	if (load_file(p, cfg, err)) {
		fs_profile__delete(p);
		return NULL;
	}
	if (l->range_missed) {	/* the range was placed wrong: every stack, then */
		fs_profile__delete(p);
		full = *cfg;
		full.range_stacks_only = NULL;
		return fs_profile__load(&full, err);
	}
	if (fs_profile__finish(p, err)) {
		fs_profile__delete(p);
		return NULL;
	}
	return p;
}

void fs_profile__delete(struct fs_profile *p)
{
	if (!p)
		return;
	loader__delete(p->priv);
	fs_strtab__delete(p->strs);
	free(p->frames);
	free(p->stacks);
	free(p->samples);
	free(p->events);
	free(p->sample_types);
	free(p);
}

int fs_profile__event(const struct fs_profile *p, const char *name)
{
	size_t len = strlen(name);

	for (uint32_t i = 0; i < p->nr_events; i++) {
		const char *e = p->events[i];

		if (!strcmp(e, name) || (!strncmp(e, name, len) && e[len] == ':'))
			return i;
	}
	return -1;
}

uint64_t fs_profile__lower_bound(const struct fs_profile *p, uint64_t t)
{
	uint64_t lo = 0, hi = p->nr_samples;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (p->samples[mid].time < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const char *fs_profile__str(const struct fs_profile *p, uint32_t id)
{
	return fs_strtab__str(p->strs, id);
}
