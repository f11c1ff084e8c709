// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live window: samples interned as profile.c interns a file's (its
 * loader, through profile-int.h), kept in time order in one array that
 * eviction shortens from the front, plus what keeps its memory flat: a
 * compaction of the interned stacks, frames and strings, and a log of the
 * session's records from which dead processes are pruned and the session
 * rebuilt.
 */
#include <stdlib.h>
#include <string.h>
#include "profile-int.h"
#include "strtab.h"
#include "window.h"

#define DEFAULT_MAX_STACK	127
#define DEFAULT_COMPACT_MIN	16384
#define DEFAULT_REBUILD_EXITS	512
#define LOG_PRUNE_MIN		4096
#define CHAIN_BUDGET		(1u << 20)	/* remembered callchains: bounded, restarts past it */

/* Bytes addressed by absolute offsets: dropping a prefix moves base, not the offsets. */
struct bytes {
	uint8_t *p;
	uint64_t base, len, cap;	/* p[0] is offset base; p[len] the end */
};

struct log_ent {
	uint64_t time;			/* 0: synthesized or unstamped */
	uint64_t off;			/* in the log's bytes */
	int32_t pid, tid, ppid;		/* ppid: FORK's parent */
	uint32_t type;
	bool kernel;			/* kernel maps: never pruned */
};

struct fs_window {
	struct fs_window_config cfg;
	const struct fs_header *hdr;
	int max_stack;
	struct fs_symbolizer *syms;
	struct fs_session *ss;
	struct fs_profile *p;
	struct loader *l;
	struct fs_frame *frames;
	/* samples: [head, head + n) of samples[], p->samples points at head */
	struct fs_profile_sample *samples;
	uint64_t *raw;			/* keep_records: each sample's record offset in rec */
	uint64_t head, n, alloc;
	struct bytes rec;
	/* the session's records */
	struct log_ent *log;
	uint64_t nr_log, alloc_log, prune_at;
	struct bytes logb;
	uint64_t exits_pruned;		/* since the session was last rebuilt */
	uint32_t compact_stacks, compact_frames, compact_strs;
	struct fs_window_stats st;
};

/* ---- helpers ---- */

static int bytes_add(struct bytes *b, const void *d, size_t n, uint64_t *off)
{
	uint64_t need = b->len + ((n + 7) & ~(size_t)7);

	if (need > b->cap) {
		uint64_t cap = b->cap ? b->cap : 65536;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(b->p, cap);
		if (!p)
			return -1;
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	*off = b->base + b->len;
	b->len = need;
	return 0;
}

static const union perf_event *bytes_at(const struct bytes *b, uint64_t off)
{
	return (const void *)(b->p + (off - b->base));
}

/* Forgets everything before off. */
static void bytes_drop(struct bytes *b, uint64_t off)
{
	uint64_t cut = off - b->base;

	if (!cut)
		return;
	memmove(b->p, b->p + cut, b->len - cut);
	b->len -= cut;
	b->base = off;
	if (b->cap > 65536 && b->len < b->cap / 4) {	/* give memory back after a burst */
		uint8_t *p = realloc(b->p, b->cap / 2);

		if (p)
			b->p = p, b->cap /= 2;
	}
}

static int grow_samples(struct fs_window *w)
{
	uint64_t n;

	if (w->head + w->n < w->alloc)
		return 0;
	if (w->head) {		/* room at the front: slide down */
		memmove(w->samples, w->samples + w->head, w->n * sizeof(*w->samples));
		if (w->raw)
			memmove(w->raw, w->raw + w->head, w->n * sizeof(*w->raw));
		w->head = 0;
		if (w->n < w->alloc / 2)
			return 0;
	}
	n = w->alloc ? w->alloc * 2 : 4096;
	struct fs_profile_sample *s = realloc(w->samples, n * sizeof(*s));

	if (!s)
		return -1;
	w->samples = s;
	if (w->cfg.keep_records) {
		uint64_t *r = realloc(w->raw, n * sizeof(*r));

		if (!r)
			return -1;
		w->raw = r;
	}
	w->alloc = n;
	return 0;
}

static void sync_profile(struct fs_window *w)
{
	struct fs_profile *p = w->p;

	p->samples = w->samples ? w->samples + w->head : NULL;
	p->nr_samples = w->n;
	p->first_time = w->n ? p->samples[0].time : 0;
	p->last_time = w->n ? p->samples[w->n - 1].time : 0;
	w->st.nr_log = w->nr_log;
	w->st.record_bytes = w->rec.len + w->logb.len;
}

/* ---- life ---- */

static int session_start(struct fs_window *w, struct fs_error *err)
{
	w->syms = fs_symbolizer__new(&w->cfg.syms, err);
	if (!w->syms)
		return -1;
	fs_symbolizer__set_warn(w->syms, w->cfg.warn, w->cfg.warn_arg);
	w->ss = fs_session__new(NULL, w->syms, err);
	return w->ss ? 0 : -1;
}

static int set_events(struct fs_window *w, struct fs_error *err)
{
	const struct fs_header *h = w->hdr;
	const char **names = calloc(h->nr_evsels + 1, sizeof(*names));
	int ret;

	if (!names)
		return fs_error__set(err, "out of memory");
	for (uint32_t i = 0; i < h->nr_evsels; i++)
		names[i] = h->evsels[i].name;
	ret = fs_profile__set_events(w->p, names, h->nr_evsels, err);
	free(names);
	w->p->sample_types = calloc(h->nr_evsels + 1, sizeof(*w->p->sample_types));
	if (!w->p->sample_types)
		return fs_error__set(err, "out of memory");
	for (uint32_t i = 0; i < h->nr_evsels; i++)
		w->p->sample_types[i] = h->evsels[i].attr.sample_type;
	return ret;
}

struct fs_window *fs_window__new(const struct fs_window_config *cfg, const struct fs_header *hdr,
				 struct fs_error *err)
{
	struct fs_window *w = calloc(1, sizeof(*w));

	if (!w) {
		fs_error__set(err, "out of memory");
		return NULL;
	}
	w->cfg = *cfg;
	w->hdr = hdr;
	w->max_stack = cfg->max_stack > 0 ? cfg->max_stack : DEFAULT_MAX_STACK;
	if (!w->cfg.compact_min)
		w->cfg.compact_min = DEFAULT_COMPACT_MIN;
	if (!w->cfg.rebuild_exits)
		w->cfg.rebuild_exits = DEFAULT_REBUILD_EXITS;
	w->compact_stacks = w->compact_frames = w->compact_strs = w->cfg.compact_min;
	w->prune_at = LOG_PRUNE_MIN;
	w->p = fs_profile__new(err);
	if (!w->p)
		goto fail;
	w->l = w->p->priv;
	w->l->chains = fs_chaincache__new(CHAIN_BUDGET);
	w->l->key = calloc(2 * (w->max_stack + 1), sizeof(*w->l->key));
	w->frames = calloc(w->max_stack + 1, sizeof(*w->frames));
	if (!w->l->chains || !w->l->key || !w->frames) {
		fs_error__set(err, "out of memory");
		goto fail;
	}
	if (set_events(w, err) || session_start(w, err))
		goto fail;
	return w;
fail:
	fs_window__delete(w);
	return NULL;
}

void fs_window__delete(struct fs_window *w)
{
	if (!w)
		return;
	if (w->p) {
		w->p->samples = w->samples;	/* the profile frees the array it was given */
		fs_profile__delete(w->p);
	} else {
		free(w->samples);
	}
	fs_session__delete(w->ss);
	fs_symbolizer__delete(w->syms);
	free(w->frames);
	free(w->raw);
	free(w->rec.p);
	free(w->log);
	free(w->logb.p);
	free(w);
}

/* ---- adding ---- */

/* Where a sample stamped t goes: after every sample stamped t or before. */
static uint64_t insert_pos(const struct fs_window *w, uint64_t t)
{
	const struct fs_profile_sample *s = w->samples + w->head;
	uint64_t lo = 0, hi = w->n;

	if (!w->n || s[w->n - 1].time <= t)
		return w->n;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (s[mid].time <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static int add_sample(struct fs_window *w, const struct fs_event *ev, struct fs_error *err)
{
	const struct fs_sample *s = &ev->sample;
	struct fs_thread *th = fs_session__thread(w->ss, s->pid, s->tid);
	struct fs_profile_sample ps = {
		.time = s->time, .period = s->period, .pid = s->pid, .tid = s->tid, .cpu = s->cpu,
		.event = s->evsel ? s->evsel->idx : 0,
	};
	uint64_t pos, off = 0;

	if (!th)
		return fs_error__set(err, "out of memory for threads");
	ps.stack = fs_loader__stack(w->l, w->ss, s, w->frames, w->max_stack);
	ps.comm = fs_loader__comm(w->l, th->comm ? th->comm : ":-1");
	if (ps.stack == UINT32_MAX || ps.comm == UINT32_MAX || grow_samples(w) ||
	    (w->cfg.keep_records && bytes_add(&w->rec, ev->event, ev->event->header.size, &off)))
		return fs_error__set(err, "out of memory for samples");
	pos = insert_pos(w, ps.time);
	if (pos < w->n) {	/* a straggler: perf delivers those too */
		memmove(w->samples + w->head + pos + 1, w->samples + w->head + pos,
			(w->n - pos) * sizeof(*w->samples));
		if (w->raw)
			memmove(w->raw + w->head + pos + 1, w->raw + w->head + pos,
				(w->n - pos) * sizeof(*w->raw));
	}
	w->samples[w->head + pos] = ps;
	if (w->raw)
		w->raw[w->head + pos] = off;
	w->n++;
	w->st.nr_added++;
	sync_profile(w);
	return 0;
}

static bool logged(uint32_t type)
{
	switch (type) {
	case PERF_RECORD_COMM:
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
	case PERF_RECORD_KSYMBOL:
	case PERF_RECORD_LOST:
		return true;
	}
	return false;
}

static int log_add(struct fs_window *w, const struct fs_event *ev, struct fs_error *err)
{
	const union perf_event *e = ev->event;
	struct log_ent le = {
		.time = ev->has_sample && ev->sample.time != (uint64_t)-1 ? ev->sample.time : 0,
		.pid = -1, .tid = -1, .ppid = -1, .type = e->header.type,
	};
	uint16_t cpumode = e->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;

	switch (le.type) {
	case PERF_RECORD_COMM:
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		if (e->header.size < sizeof(e->header) + 8)
			return 0;
		le.pid = e->comm.pid;	/* pid and tid lead all three */
		le.tid = e->comm.tid;
		le.kernel = le.type != PERF_RECORD_COMM && (cpumode == PERF_RECORD_MISC_KERNEL ||
							    cpumode == PERF_RECORD_MISC_GUEST_KERNEL);
		break;
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		if (e->header.size < sizeof(struct perf_record_fork))
			return 0;
		le.pid = e->fork.pid;
		le.tid = e->fork.tid;
		le.ppid = e->fork.ppid;
		break;
	case PERF_RECORD_KSYMBOL:
		le.kernel = true;
		break;
	}
	if (w->nr_log == w->alloc_log) {
		uint64_t n = w->alloc_log ? w->alloc_log * 2 : 1024;
		struct log_ent *v = realloc(w->log, n * sizeof(*v));

		if (!v)
			return fs_error__set(err, "out of memory for records");
		w->log = v;
		w->alloc_log = n;
	}
	if (bytes_add(&w->logb, e, e->header.size, &le.off))
		return fs_error__set(err, "out of memory for records");
	w->log[w->nr_log++] = le;
	sync_profile(w);
	return 0;
}

int fs_window__add(struct fs_window *w, const struct fs_event *ev, struct fs_error *err)
{
	uint32_t type = ev->event->header.type;

	if (type == PERF_RECORD_SAMPLE)
		return ev->has_sample ? add_sample(w, ev, err) : 0;
	if (!logged(type))
		return 0;
	if (fs_session__process(w->ss, ev, err))
		return -1;
	return log_add(w, ev, err);
}

/* ---- compaction of what samples intern ---- */

struct remap {
	uint32_t *stack, *frame, *str;
	uint32_t nr_stacks, nr_frames, nr_strs;
};

static void remap_free(struct remap *m)
{
	free(m->stack);
	free(m->frame);
	free(m->str);
}

#define MARK	(UINT32_MAX - 1)

/* Marks what kept samples use, then numbers it densely in the old order. */
static int remap_mark(struct fs_window *w, struct remap *m)
{
	struct fs_profile *p = w->p;
	uint32_t nstr = fs_strtab__count(p->strs);

	m->stack = malloc(p->nr_stacks * sizeof(*m->stack));
	m->frame = malloc((p->nr_frames + 1) * sizeof(*m->frame));
	m->str = malloc((nstr + 1) * sizeof(*m->str));
	if (!m->stack || !m->frame || !m->str)
		return -1;
	memset(m->stack, 0xff, p->nr_stacks * sizeof(*m->stack));
	memset(m->frame, 0xff, (p->nr_frames + 1) * sizeof(*m->frame));
	memset(m->str, 0xff, (nstr + 1) * sizeof(*m->str));
	m->stack[0] = MARK;
	m->str[w->l->unknown] = MARK;
	for (uint64_t i = 0; i < p->nr_samples; i++) {
		m->str[p->samples[i].comm] = MARK;
		for (uint32_t s = p->samples[i].stack; s && m->stack[s] != MARK; s = p->stacks[s].parent)
			m->stack[s] = MARK;
	}
	/* Parents are interned before their children: numbering in order keeps parent < child. */
	for (uint32_t i = 0; i < p->nr_stacks; i++) {
		if (m->stack[i] != MARK)
			continue;
		m->stack[i] = m->nr_stacks++;
		if (i)
			m->frame[p->stacks[i].frame] = MARK;
	}
	for (uint32_t i = 0; i < p->nr_frames; i++) {
		if (m->frame[i] != MARK)
			continue;
		m->frame[i] = m->nr_frames++;
		m->str[p->frames[i].sym] = MARK;
		m->str[p->frames[i].dso] = MARK;
	}
	return 0;
}

/*
 * A new string table holding the marked strings, in the old order (so ids
 * are ranks), and the event names interned in it (into events).
 */
static struct fs_strtab *remap_strings(struct fs_window *w, struct remap *m, const char **events)
{
	struct fs_profile *p = w->p;
	struct fs_strtab *t = fs_strtab__new();
	uint32_t nstr = fs_strtab__count(p->strs);

	if (!t)
		return NULL;
	for (uint32_t i = 0; i < nstr; i++) {
		const char *s;

		if (m->str[i] != MARK)
			continue;
		s = fs_strtab__str(p->strs, i);
		m->str[i] = fs_strtab__add(t, s, strlen(s));
		if (m->str[i] == UINT32_MAX)
			goto fail;
		m->nr_strs++;
	}
	for (uint32_t i = 0; i < p->nr_events; i++) {
		events[i] = fs_strtab__intern(t, p->events[i], strlen(p->events[i]));
		if (!events[i])
			goto fail;
	}
	return t;
fail:
	fs_strtab__delete(t);
	return NULL;
}

/* Rebuilds an id map, keeping the entries whose id (and key, if remapped) survive. */
static int remap_idmap(struct fs_idmap *map, const uint32_t *ids, const uint32_t *strs,
		       uint64_t hint)
{
	struct fs_idmap n;

	if (fs_idmap__init(&n, hint * 2 + 16))
		return -1;
	for (uint64_t i = 0; i < map->nr_slots; i++) {
		uint64_t key = map->keys[i];
		uint32_t id;

		if (!map->ids[i] || (id = ids[map->ids[i] - 1]) >= MARK)
			continue;
		if (strs) {	/* (dso string << 32 | symbol string) keys */
			uint32_t d = strs[key >> 32], s = strs[(uint32_t)key];

			if (d >= MARK || s >= MARK)
				continue;
			key = (uint64_t)d << 32 | s;
		}
		if (fs_idmap__get(&n, key) == UINT32_MAX && fs_idmap__put(&n, key, id)) {
			fs_idmap__exit(&n);
			return -1;
		}
	}
	fs_idmap__exit(map);
	*map = n;
	return 0;
}

static int remap_tables(struct fs_window *w, struct remap *m)
{
	struct fs_profile *p = w->p;
	struct loader *l = w->l;
	struct fs_profile_frame *frames = malloc((m->nr_frames + 1) * sizeof(*frames));
	struct fs_profile_stack *stacks = malloc(m->nr_stacks * sizeof(*stacks));
	struct fs_idmap stack_ids;

	if (!frames || !stacks || fs_idmap__init(&stack_ids, m->nr_stacks * 2 + 16)) {
		free(frames);
		free(stacks);
		return -1;
	}
	for (uint32_t i = 0; i < p->nr_frames; i++) {
		if (m->frame[i] >= MARK)
			continue;
		frames[m->frame[i]] = p->frames[i];
		frames[m->frame[i]].sym = m->str[p->frames[i].sym];
		frames[m->frame[i]].dso = m->str[p->frames[i].dso];
	}
	for (uint32_t i = 0; i < p->nr_stacks; i++) {
		struct fs_profile_stack *s = &stacks[m->stack[i]];

		if (m->stack[i] >= MARK)
			continue;
		*s = p->stacks[i];
		if (!i)
			continue;
		s->parent = m->stack[s->parent];
		s->frame = m->frame[s->frame];
		if (fs_idmap__put(&stack_ids, (uint64_t)s->parent << 32 | s->frame, m->stack[i]))
			goto fail;
	}
	if (remap_idmap(&l->frame_ids, m->frame, NULL, m->nr_frames) ||
	    remap_idmap(&l->named_frames, m->frame, m->str, m->nr_frames) ||
	    remap_idmap(&l->comm_ids, m->str, NULL, 256))
		goto fail;
	fs_idmap__exit(&l->stack_ids);
	l->stack_ids = stack_ids;
	free(p->frames);
	free(p->stacks);
	p->frames = frames;
	p->stacks = stacks;
	p->nr_frames = m->nr_frames;
	p->nr_stacks = m->nr_stacks;
	l->alloc_frames = m->nr_frames + 1;
	l->alloc_stacks = m->nr_stacks;
	return 0;
fail:
	fs_idmap__exit(&stack_ids);
	free(frames);
	free(stacks);
	return -1;
}

static uint32_t twice(uint32_t n, uint32_t min)
{
	return n > min / 2 ? 2 * n : min;
}

/* After -1 (out of memory) the window is only good for fs_window__delete(). */
static int compact(struct fs_window *w, struct fs_error *err)
{
	struct fs_profile *p = w->p;
	struct remap m = { 0 };
	struct fs_strtab *strs = NULL;
	struct fs_chaincache *chains = fs_chaincache__new(CHAIN_BUDGET);
	const char **events = calloc(p->nr_events + 1, sizeof(*events));

	if (!chains || !events || remap_mark(w, &m) || !(strs = remap_strings(w, &m, events)) ||
	    remap_tables(w, &m)) {
		fs_strtab__delete(strs);
		fs_chaincache__delete(chains);
		free(events);
		remap_free(&m);
		return fs_error__set(err, "out of memory compacting the window");
	}
	for (uint64_t i = 0; i < p->nr_samples; i++) {
		p->samples[i].stack = m.stack[p->samples[i].stack];
		p->samples[i].comm = m.str[p->samples[i].comm];
	}
	memcpy(p->events, events, p->nr_events * sizeof(*events));
	free(events);
	w->l->unknown = m.str[w->l->unknown];
	fs_strtab__delete(p->strs);
	p->strs = strs;
	fs_chaincache__delete(w->l->chains);	/* it held old stack ids */
	w->l->chains = chains;
	w->compact_stacks = twice(p->nr_stacks, w->cfg.compact_min);
	w->compact_frames = twice(p->nr_frames, w->cfg.compact_min);
	w->compact_strs = twice(m.nr_strs, w->cfg.compact_min);
	w->st.nr_compactions++;
	remap_free(&m);
	return 0;
}

/* ---- the session's records: pruning and rebuilding ---- */

struct prune {
	struct fs_idmap dead;		/* tid -> slot in times[] */
	uint64_t *times;		/* last exit before the cutoff */
	uint64_t nr_times;
	struct fs_idmap exempt;		/* pids whose maps a kept FORK still clones */
	uint64_t cutoff;
};

/* Whether tid exited before the cutoff, at or after time t. */
static bool dead_after(const struct prune *pr, int32_t tid, uint64_t t)
{
	uint32_t id = fs_idmap__get(&pr->dead, (uint32_t)tid);

	return id != UINT32_MAX && pr->times[id] >= t;
}

static bool exempt(const struct prune *pr, int32_t pid)
{
	return fs_idmap__get(&pr->exempt, (uint32_t)pid) != UINT32_MAX;
}

static bool keep(const struct prune *pr, const struct log_ent *e)
{
	if (e->kernel)
		return true;
	switch (e->type) {
	case PERF_RECORD_EXIT:
	case PERF_RECORD_LOST:
		return e->time >= pr->cutoff;
	case PERF_RECORD_COMM:
	case PERF_RECORD_FORK:
		return !dead_after(pr, e->tid, e->time) || (e->tid == e->pid && exempt(pr, e->pid));
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		return e->pid < 0 || !dead_after(pr, e->pid, e->time) || exempt(pr, e->pid);
	}
	return true;
}

static int mark_dead(struct fs_window *w, struct prune *pr)
{
	for (uint64_t i = 0; i < w->nr_log; i++) {
		const struct log_ent *e = &w->log[i];
		uint32_t id;

		if (e->type != PERF_RECORD_EXIT || e->time >= pr->cutoff)
			continue;
		id = fs_idmap__get(&pr->dead, (uint32_t)e->tid);
		if (id != UINT32_MAX) {
			if (e->time > pr->times[id])
				pr->times[id] = e->time;
			continue;
		}
		if (!(pr->nr_times & (pr->nr_times + 1))) {	/* 0, 1, 3, 7, ...: grow */
			uint64_t *t = realloc(pr->times, 2 * (pr->nr_times + 1) * sizeof(*t));

			if (!t)
				return -1;
			pr->times = t;
		}
		pr->times[pr->nr_times] = e->time;
		if (fs_idmap__put(&pr->dead, (uint32_t)e->tid, pr->nr_times++))
			return -1;
	}
	return 0;
}

/*
 * A process forked and never exec'd runs its parent's code: its maps are the
 * ones cloned from the parent when the FORK is replayed. So a dead parent's
 * maps stay while a kept FORK names it (and so on up the chain).
 */
static int mark_exempt(struct fs_window *w, struct prune *pr)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (uint64_t i = 0; i < w->nr_log; i++) {
			const struct log_ent *e = &w->log[i];

			if (e->type != PERF_RECORD_FORK || e->pid != e->tid || e->ppid == e->pid ||
			    e->ppid <= 0 || !keep(pr, e) || exempt(pr, e->ppid) ||
			    !dead_after(pr, e->ppid, 0))
				continue;
			if (fs_idmap__put(&pr->exempt, (uint32_t)e->ppid, 0))
				return -1;
			changed = true;
		}
	}
	return 0;
}

static int prune_log(struct fs_window *w, uint64_t cutoff)
{
	struct prune pr = { .cutoff = cutoff };
	struct bytes b = { NULL, 0, 0, 0 };
	uint64_t n = 0;
	int ret = -1;

	if (fs_idmap__init(&pr.dead, 1024) || fs_idmap__init(&pr.exempt, 64) ||
	    mark_dead(w, &pr) || mark_exempt(w, &pr))
		goto out;
	for (uint64_t i = 0; i < w->nr_log; i++) {
		struct log_ent e = w->log[i];
		const union perf_event *ev = bytes_at(&w->logb, e.off);

		if (!keep(&pr, &e)) {
			w->exits_pruned += e.type == PERF_RECORD_EXIT;
			w->st.nr_pruned++;
			continue;
		}
		if (bytes_add(&b, ev, ev->header.size, &e.off))
			goto out;
		w->log[n++] = e;
	}
	free(w->logb.p);
	w->logb = b;
	b.p = NULL;
	w->nr_log = n;
	sync_profile(w);
	ret = 0;
out:
	free(b.p);
	free(pr.times);
	fs_idmap__exit(&pr.dead);
	fs_idmap__exit(&pr.exempt);
	return ret;
}

/*
 * A fresh session fed the pruned log: dead processes' threads and maps go.
 * The symbolizer stays (its tables are per binary, not per process, and
 * reloading them is most of a rebuild's cost), so frames interned by its
 * symbol pointers stay valid; what was keyed by the old session's pointers
 * (comms) or map generations (the chain cache) starts over.
 */
static int rebuild(struct fs_window *w, struct fs_error *err)
{
	struct fs_session *ss = w->ss;
	struct fs_chaincache *chains = fs_chaincache__new(CHAIN_BUDGET);
	struct loader *l = w->l;
	struct fs_idmap comm_ids;

	if (!chains || fs_idmap__init(&comm_ids, 256)) {
		fs_chaincache__delete(chains);
		return fs_error__set(err, "out of memory rebuilding the session");
	}
	w->ss = fs_session__new(NULL, w->syms, err);
	if (!w->ss)
		goto fail;
	for (uint64_t i = 0; i < w->nr_log; i++) {
		struct fs_event ev = { .event = bytes_at(&w->logb, w->log[i].off) };

		if (fs_session__process(w->ss, &ev, err))
			goto fail;
	}
	fs_idmap__exit(&l->comm_ids);
	l->comm_ids = comm_ids;
	fs_chaincache__delete(l->chains);
	l->chains = chains;
	fs_session__delete(ss);
	w->st.nr_rebuilds++;
	return 0;
fail:
	fs_idmap__exit(&comm_ids);
	fs_chaincache__delete(chains);
	fs_session__delete(w->ss);
	w->ss = ss;
	return -1;
}

/* ---- evicting ---- */

static void drop_records(struct fs_window *w)
{
	uint64_t min = w->rec.base + w->rec.len;

	if (!w->raw)
		return;
	/* stragglers sit out of order, so the oldest record still kept is the smallest offset */
	for (uint64_t i = w->head; i < w->head + w->n; i++)
		if (w->raw[i] < min)
			min = w->raw[i];
	bytes_drop(&w->rec, min);
}

int fs_window__evict(struct fs_window *w, uint64_t cutoff, struct fs_error *err)
{
	struct fs_profile *p = w->p;
	uint64_t k = 0;

	while (k < w->n && w->samples[w->head + k].time < cutoff)
		k++;
	w->head += k;
	w->n -= k;
	if (!w->n)
		w->head = 0;
	w->st.nr_evicted += k;
	drop_records(w);
	sync_profile(w);
	if (w->nr_log >= w->prune_at) {
		if (prune_log(w, cutoff))
			return fs_error__set(err, "out of memory pruning the window's records");
		w->prune_at = w->nr_log * 2 > LOG_PRUNE_MIN ? w->nr_log * 2 : LOG_PRUNE_MIN;
	}
	if (w->exits_pruned >= w->cfg.rebuild_exits) {
		w->exits_pruned = 0;
		if (rebuild(w, err))
			return -1;
	}
	if ((p->nr_stacks >= w->compact_stacks || p->nr_frames >= w->compact_frames ||
	     fs_strtab__count(p->strs) >= w->compact_strs) && compact(w, err))
		return -1;
	return 0;
}

const struct fs_profile *fs_window__profile(const struct fs_window *w)
{
	return w->p;
}

const struct fs_window_stats *fs_window__stats(const struct fs_window *w)
{
	return &w->st;
}

int fs_window__for_each_record(const struct fs_window *w,
			       int (*cb)(void *arg, const union perf_event *ev), void *arg)
{
	uint64_t i = 0, j = 0;
	int ret;

	while (i < w->nr_log || (w->raw && j < w->n)) {
		bool log_first = i < w->nr_log &&
				 (!w->raw || j >= w->n || w->log[i].time <= w->samples[w->head + j].time);

		if (log_first)
			ret = cb(arg, bytes_at(&w->logb, w->log[i++].off));
		else
			ret = cb(arg, bytes_at(&w->rec, w->raw[w->head + j++]));
		if (ret)
			return ret;
	}
	return 0;
}
