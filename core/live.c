// SPDX-License-Identifier: GPL-2.0-only
/*
 * The live source: libperf opens cpu-clock as perf record -F HZ -g would,
 * maps one ring per cpu (threads of a process share it through
 * PERF_EVENT_IOC_SET_OUTPUT, as libperf's perf_evlist__mmap arranges), and
 * each round copies every ring's records into one queue, sorts it by time
 * and hands out what is older than the previous round's start.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <perf/cpumap.h>
#include <perf/evlist.h>
#include <perf/evsel.h>
#include <perf/mmap.h>
#include <perf/threadmap.h>
#include "live.h"
#include "synth.h"

#define DEFAULT_FREQ	49
#define DEFAULT_PAGES	128
#define DEFAULT_STACK	127
#define SAMPLE_TYPE	(PERF_SAMPLE_IP | PERF_SAMPLE_TID | PERF_SAMPLE_TIME | \
			 PERF_SAMPLE_CALLCHAIN | PERF_SAMPLE_CPU | PERF_SAMPLE_PERIOD)
#define TRAILER		24	/* TID, TIME, CPU: the sample_id_all trailer of SAMPLE_TYPE */
/*
 * Undelivered records may fill this many rings' worth of queue; beyond, a
 * round leaves the rings to fill, and the kernel drops what no longer fits
 * and says so (LOST): a reader slower than the kernel stays bounded in
 * memory and in work per round, and its losses are counted, not hidden.
 */
#define QUEUE_RINGS	4

struct qent {
	uint64_t time, seq;
	size_t off;			/* of the record in the arena */
};

struct arena {
	uint8_t *p;
	size_t len, cap;
};

struct fs_live {
	struct perf_evlist *evlist;
	struct perf_evsel *evsel;	/* owned by evlist */
	struct fs_header hdr;
	struct fs_evsel fevsel;
	char name[32];
	bool system_wide, enable_on_exec, hup_checks, opened;
	size_t ring_bytes;		/* one ring's data size: the most a round reads from it */
	size_t queue_max;		/* queued bytes past which rounds leave the rings alone */
	struct arena arena;		/* queued records */
	struct arena spare;		/* the next round's arena: swapped, never freed per round */
	struct qent *q;
	size_t nr_q, alloc_q, next_ready, nr_ready;
	uint64_t seq;
	uint64_t prev_round_start, horizon;
	struct fs_live_stats st;
};

uint64_t fs_live__now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/* ---- the queue ---- */

static int queue(struct fs_live *l, const union perf_event *ev, uint64_t time)
{
	size_t size = ev->header.size, need = l->arena.len + ((size + 7) & ~(size_t)7);

	if (need > l->arena.cap) {
		size_t cap = l->arena.cap ? l->arena.cap : 1 << 20;
		uint8_t *p;

		while (cap < need)
			cap *= 2;
		p = realloc(l->arena.p, cap);
		if (!p)
			return -1;
		l->arena.p = p;
		l->arena.cap = cap;
	}
	if (l->nr_q == l->alloc_q) {
		size_t n = l->alloc_q ? l->alloc_q * 2 : 4096;
		struct qent *q = realloc(l->q, n * sizeof(*q));

		if (!q)
			return -1;
		l->q = q;
		l->alloc_q = n;
	}
	memcpy(l->arena.p + l->arena.len, ev, size);
	l->q[l->nr_q++] = (struct qent){ time, l->seq++, l->arena.len };
	l->arena.len = need;
	return 0;
}

static int qent_cmp(const void *a, const void *b)
{
	const struct qent *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/*
 * Drops what was delivered: the waiting records move to the front of the
 * spare arena, which then becomes the arena (two buffers, reused: no
 * allocation, and no fresh pages to fault in, per round).
 */
static int queue_compact(struct fs_live *l)
{
	size_t keep = l->nr_q - l->next_ready, len = 0;
	struct arena a = l->spare;

	if (!l->next_ready)
		return 0;
	if (a.cap < l->arena.cap) {
		uint8_t *p = realloc(a.p, l->arena.cap);

		if (!p)
			return -1;
		a.p = p;
		a.cap = l->arena.cap;
	}
	for (size_t i = 0; i < keep; i++) {
		struct qent *e = &l->q[l->next_ready + i];
		const union perf_event *ev = (const void *)(l->arena.p + e->off);
		size_t size = (ev->header.size + 7) & ~(size_t)7;

		memcpy(a.p + len, ev, ev->header.size);
		l->q[i] = *e;
		l->q[i].off = len;
		len += size;
	}
	a.len = len;
	l->spare = l->arena;
	l->spare.len = 0;
	l->arena = a;
	l->nr_q = keep;
	l->nr_ready -= l->next_ready;
	l->next_ready = 0;
	return 0;
}

static uint64_t record_time(struct fs_live *l, const union perf_event *ev)
{
	struct fs_sample s;

	if (fs_evsel__parse_sample(&l->fevsel, ev, &s) || s.time == (uint64_t)-1)
		return 0;
	return s.time;
}

static int synth_queue(void *arg, const union perf_event *ev)
{
	struct fs_live *l = arg;

	l->st.nr_synthesized++;
	return queue(l, ev, 0);
}

/* ---- opening ---- */

static int read_int(const char *path, int *v)
{
	FILE *f = fopen(path, "r");
	int ok;

	if (!f)
		return -1;
	ok = fscanf(f, "%d", v) == 1;
	fclose(f);
	return ok ? 0 : -1;
}

/* Whether this process holds capability cap (CapEff in /proc/self/status). */
static bool has_cap(int cap)
{
	FILE *f = fopen("/proc/self/status", "r");
	unsigned long long eff = 0;
	char line[256];

	if (!f)
		return false;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "CapEff: %llx", &eff) == 1)
			break;
	fclose(f);
	return (eff >> cap) & 1;
}

#define CAP_SYS_ADMIN_BIT	21
#define CAP_PERFMON_BIT		38

/*
 * Why the open failed and what to do. Without CAP_PERFMON, perf_event_paranoid
 * decides: system-wide events need it at 0 or below, a process's at 2 or
 * below (user space only at 2, the fallback above).
 */
static int open_error(struct fs_live *l, const struct fs_live_config *cfg, int err,
		      struct fs_error *e)
{
	const char *what = l->system_wide ? "system-wide (-a)" : "for the given processes";
	int paranoid = 2, max_rate = 0, need = l->system_wide ? 0 : 2;
	bool perfmon = has_cap(CAP_PERFMON_BIT), admin = has_cap(CAP_SYS_ADMIN_BIT);

	read_int("/proc/sys/kernel/perf_event_paranoid", &paranoid);
	switch (err) {
	case EACCES:
	case EPERM:
		if (perfmon || admin)
			return fs_error__set(e, "cannot open cpu-clock events %s: %s, although this "
					     "process has CAP_%s (a security module such as SELinux "
					     "may forbid perf events)", what, strerror(err),
					     perfmon ? "PERFMON" : "SYS_ADMIN");
		return fs_error__set(e, "cannot open cpu-clock events %s: %s. This process lacks "
				     "CAP_PERFMON, and kernel.perf_event_paranoid is %d; without "
				     "the capability, %s needs it at %d or below%s. Run as root, "
				     "grant the capability (setcap cap_perfmon,cap_syslog+ep "
				     "flamescope; CAP_SYS_ADMIN before Linux 5.8), or lower the "
				     "setting: sysctl -w kernel.perf_event_paranoid=%d",
				     what, strerror(err), paranoid,
				     l->system_wide ? "profiling every process" : "profiling a process",
				     need, paranoid > 2 ? " (values above 2 forbid every perf "
				     "event to users, a Debian setting)" : "", need);
	case ESRCH:
		return fs_error__set(e, "cannot open cpu-clock events: no such process");
	case EMFILE:
	case ENFILE:
		return fs_error__set(e, "cannot open cpu-clock events: %s (%u cpus x %u threads "
				     "need that many descriptors): raise the limit with ulimit -n",
				     strerror(err), l->st.nr_cpus, l->st.nr_threads);
	case EINVAL:
		if (!read_int("/proc/sys/kernel/perf_event_max_sample_rate", &max_rate) &&
		    cfg->freq > (uint32_t)max_rate)
			return fs_error__set(e, "cannot sample at -F %u: above "
					     "kernel.perf_event_max_sample_rate (%d)", cfg->freq, max_rate);
		break;
	case ENOENT:
	case ENODEV:
	case EOPNOTSUPP:
		return fs_error__set(e, "cpu-clock events are not supported by this kernel: %s",
				     strerror(err));
	}
	return fs_error__set(e, "cannot open cpu-clock events %s: %s", what, strerror(err));
}

static int mmap_error(const struct fs_live_config *cfg, int err, struct fs_error *e)
{
	int mlock_kb = 0;
	uint32_t pages = cfg->mmap_pages ? cfg->mmap_pages : DEFAULT_PAGES;

	if (err == EPERM && !read_int("/proc/sys/kernel/perf_event_mlock_kb", &mlock_kb))
		return fs_error__set(e, "cannot map the ring buffers: %s: %u pages per cpu exceed "
				     "kernel.perf_event_mlock_kb (%d): use a smaller -m or raise it",
				     strerror(err), pages, mlock_kb);
	return fs_error__set(e, "cannot map the ring buffers (%u pages per cpu): %s", pages,
			     strerror(err));
}

/* Every thread of the given processes, for the thread map. */
static struct perf_thread_map *thread_map(const struct fs_live_config *cfg, bool all_threads)
{
	struct perf_thread_map *map;
	pid_t *tids = NULL;
	size_t n = 0, cap = 0;

	for (uint32_t i = 0; i < cfg->nr_pids; i++) {
		char path[64];
		struct dirent *d;
		DIR *dir = NULL;
		size_t before = n;

		snprintf(path, sizeof(path), "/proc/%d/task", cfg->pids[i]);
		if (all_threads)
			dir = opendir(path);
		while (true) {
			pid_t tid;

			if (dir) {
				if (!(d = readdir(dir)))
					break;
				if ((tid = atoi(d->d_name)) <= 0)
					continue;
			} else {
				if (n > before)
					break;
				tid = cfg->pids[i];	/* gone, or a workload: its open fails or follows */
			}
			if (n == cap) {
				pid_t *t = realloc(tids, (cap = cap ? cap * 2 : 64) * sizeof(*t));

				if (!t) {
					free(tids);
					if (dir)
						closedir(dir);
					return NULL;
				}
				tids = t;
			}
			tids[n++] = tid;
		}
		if (dir)
			closedir(dir);
		if (n == before) {	/* no /proc entry: let the open say ESRCH */
			pid_t *t = realloc(tids, (n + 1) * sizeof(*t));

			if (!t) {
				free(tids);
				return NULL;
			}
			tids = t;
			tids[n++] = cfg->pids[i];
		}
	}
	map = perf_thread_map__new_array((int)n, tids);
	free(tids);
	return map;
}

static void attr_init(struct perf_event_attr *a, const struct fs_live_config *cfg)
{
	memset(a, 0, sizeof(*a));
	a->size = sizeof(*a);
	a->type = PERF_TYPE_SOFTWARE;
	a->config = PERF_COUNT_SW_CPU_CLOCK;
	a->freq = 1;
	a->sample_freq = cfg->freq ? cfg->freq : DEFAULT_FREQ;
	a->sample_type = SAMPLE_TYPE;
	a->sample_max_stack = cfg->max_stack ? cfg->max_stack : DEFAULT_STACK;
	a->disabled = 1;
	a->inherit = 1;
	a->enable_on_exec = cfg->enable_on_exec;
	/* side-band records on the one event, as perf puts them on its first */
	a->mmap = a->mmap2 = a->comm = a->comm_exec = a->task = a->ksymbol = 1;
	a->sample_id_all = 1;
	/* CLOCK_MONOTONIC, so "now" can be read: an idle process sends no samples to tell it */
	a->use_clockid = 1;
	a->clockid = CLOCK_MONOTONIC;
}

static int header_init(struct fs_live *l)
{
	struct fs_evsel *e = &l->fevsel;

	e->attr = *perf_evsel__attr(l->evsel);
	snprintf(l->name, sizeof(l->name), "cpu-clock%s", l->st.user_only ? ":u" : "");
	e->name = l->name;
	l->hdr.evsels = e;
	l->hdr.nr_evsels = 1;
	l->hdr.nr_cpus_online = l->hdr.nr_cpus_avail = l->st.nr_cpus;
	return 0;
}

static int open_events(struct fs_live *l, const struct fs_live_config *cfg, struct fs_error *err)
{
	struct perf_cpu_map *cpus = perf_cpu_map__new(NULL);
	struct perf_thread_map *threads = l->system_wide ? perf_thread_map__new_dummy() :
					  thread_map(cfg, !cfg->enable_on_exec);
	struct perf_event_attr attr;
	int ret;

	if (!cpus || !threads) {
		perf_cpu_map__put(cpus);
		perf_thread_map__put(threads);
		return fs_error__set(err, "out of memory");
	}
	l->st.nr_cpus = perf_cpu_map__nr(cpus);
	l->st.nr_threads = perf_thread_map__nr(threads);
	attr_init(&attr, cfg);
	l->evsel = perf_evsel__new(&attr);
	if (!l->evsel) {
		perf_cpu_map__put(cpus);
		perf_thread_map__put(threads);
		return fs_error__set(err, "out of memory");
	}
	perf_evlist__add(l->evlist, l->evsel);
	perf_evlist__set_maps(l->evlist, cpus, threads);
	perf_cpu_map__put(cpus);
	perf_thread_map__put(threads);
	ret = perf_evlist__open(l->evlist);
	/* perf's fallback: without the right to sample the kernel, sample user space only */
	if ((ret == -EACCES || ret == -EPERM) && !l->system_wide) {
		perf_evsel__attr(l->evsel)->exclude_kernel = 1;
		perf_evsel__attr(l->evsel)->exclude_hv = 1;
		ret = perf_evlist__open(l->evlist);
		if (ret)
			perf_evsel__attr(l->evsel)->exclude_kernel = 0;
		else
			l->st.user_only = true;
	}
	if (ret)
		return open_error(l, cfg, -ret, err);
	l->opened = true;
	if (perf_evlist__mmap(l->evlist, cfg->mmap_pages ? cfg->mmap_pages : DEFAULT_PAGES) < 0)
		return mmap_error(cfg, errno, err);
	for (struct perf_mmap *m = NULL; (m = perf_evlist__next_mmap(l->evlist, m, false));)
		l->st.nr_mmaps++;
	return header_init(l);
}

static int synthesize(struct fs_live *l, const struct fs_live_config *cfg, struct fs_error *err)
{
	int ret = fs_synth__kernel("/proc/kallsyms", TRAILER, synth_queue, l);

	if (!ret && l->system_wide)
		ret = fs_synth__all(TRAILER, synth_queue, l);
	for (uint32_t i = 0; !ret && !l->system_wide && i < cfg->nr_pids; i++)
		ret = fs_synth__process(cfg->pids[i], TRAILER, synth_queue, l);
	return ret ? fs_error__set(err, "out of memory reading /proc") : 0;
}

/*
 * perf record's rule: a rate above kernel.perf_event_max_sample_rate (which
 * the kernel itself lowers when its sampling interrupts take too long) is
 * lowered to it, not refused, and said.
 */
static struct fs_live_config cap_freq(struct fs_live *l, const struct fs_live_config *cfg)
{
	struct fs_live_config c = *cfg;
	int max_rate;

	l->st.freq_asked = c.freq ? c.freq : DEFAULT_FREQ;
	l->st.freq = l->st.freq_asked;
	if (!read_int("/proc/sys/kernel/perf_event_max_sample_rate", &max_rate) && max_rate > 0 &&
	    l->st.freq > (uint32_t)max_rate)
		l->st.freq = (uint32_t)max_rate;
	c.freq = l->st.freq;
	return c;
}

struct fs_live *fs_live__open(const struct fs_live_config *asked, struct fs_error *err)
{
	struct fs_live *l = calloc(1, sizeof(*l));
	struct fs_live_config capped, *cfg = &capped;
	uint32_t pages = asked->mmap_pages ? asked->mmap_pages : DEFAULT_PAGES;

	if (!l) {
		fs_error__set(err, "out of memory");
		return NULL;
	}
	capped = cap_freq(l, asked);
	l->system_wide = cfg->system_wide;
	l->enable_on_exec = cfg->enable_on_exec;
	l->hup_checks = !cfg->system_wide;
	if (!cfg->system_wide && !cfg->nr_pids) {
		fs_error__set(err, "no processes to profile");
		goto fail;
	}
	if (pages & (pages - 1)) {
		fs_error__set(err, "ring buffer pages (%u) must be a power of two", pages);
		goto fail;
	}
	l->evlist = perf_evlist__new();
	if (!l->evlist) {
		fs_error__set(err, "out of memory");
		goto fail;
	}
	if (open_events(l, cfg, err) || synthesize(l, cfg, err))
		goto fail;
	l->ring_bytes = (size_t)pages * (size_t)sysconf(_SC_PAGESIZE);
	l->queue_max = QUEUE_RINGS * l->ring_bytes * (l->st.nr_mmaps ? l->st.nr_mmaps : 1);
	return l;
fail:
	fs_live__close(l);
	return NULL;
}

void fs_live__enable(struct fs_live *l)
{
	if (!l->enable_on_exec)
		perf_evlist__enable(l->evlist);
	l->prev_round_start = 0;
}

/* ---- reading ---- */

/*
 * Each ring is read up to the first record stamped after the round began,
 * and at most one ring's size: a producer faster than us cannot keep a
 * round going (libperf's reader follows the head as it moves). Nor can a
 * queue we do not empty grow: past queue_max the rings are left to fill
 * (but for the final round, which reads what is left).
 *
 * No perf_mmap__read_done(): it moves the read position to the head, so
 * what was written after the last record read (all of the ring's rest when
 * the round stops early) would be skipped, unread and uncounted. Each
 * perf_mmap__consume() already hands back exactly what was read.
 */
static int drain(struct fs_live *l, uint64_t round_start, bool final)
{
	struct perf_mmap *m;
	union perf_event *ev;

	perf_evlist__for_each_mmap(l->evlist, m, false) {
		size_t budget = l->ring_bytes;

		if (!final && l->arena.len >= l->queue_max) {
			l->st.nr_backlogged++;
			break;
		}
		if (perf_mmap__read_init(m) < 0)
			continue;
		while ((ev = perf_mmap__read_event(m))) {
			uint64_t t = record_time(l, ev);
			size_t size = ev->header.size;

			if (t && t <= l->horizon)
				l->st.nr_unordered++;
			if (queue(l, ev, t))
				return -1;
			perf_mmap__consume(m);
			if (t > round_start || size >= budget)
				break;
			budget -= size;
		}
	}
	return 0;
}

/* Process-bound events hang up when their task exits; libperf drops those fds. */
static void check_hangups(struct fs_live *l)
{
	if (!l->hup_checks || l->st.ended)
		return;
	if (perf_evlist__poll(l->evlist, 0) > 0 &&
	    perf_evlist__filter_pollfd(l->evlist, POLLERR | POLLHUP) == 0)
		l->st.ended = true;
}

int fs_live__read(struct fs_live *l, bool final, struct fs_error *err)
{
	uint64_t start = fs_live__now(), limit = final ? UINT64_MAX : l->prev_round_start;
	size_t n;

	if (queue_compact(l)) {
		fs_error__set(err, "out of memory queueing records");
		return -1;
	}
	check_hangups(l);
	if (drain(l, start, final)) {
		fs_error__set(err, "out of memory queueing records");
		return -1;
	}
	l->prev_round_start = start;
	qsort(l->q, l->nr_q, sizeof(*l->q), qent_cmp);
	for (n = 0; n < l->nr_q && l->q[n].time <= limit; n++)
		;
	l->nr_ready = n;
	if (limit > l->horizon)
		l->horizon = final ? start : limit;
	return (int)(n > INT32_MAX ? INT32_MAX : n);
}

int fs_live__next(struct fs_live *l, struct fs_event *ev)
{
	const union perf_event *e;
	struct fs_sample *s = &ev->sample;

	if (l->next_ready >= l->nr_ready)
		return 0;
	e = (const void *)(l->arena.p + l->q[l->next_ready++].off);
	ev->event = e;
	ev->file_offset = 0;
	ev->has_sample = !fs_evsel__parse_sample(&l->fevsel, e, s);
	if (!ev->has_sample) {
		memset(s, 0, sizeof(*s));
		s->time = (uint64_t)-1;
	}
	l->st.nr_records++;
	switch (e->header.type) {
	case PERF_RECORD_SAMPLE:
		l->st.nr_samples++;
		l->fevsel.nr_samples++;
		break;
	case PERF_RECORD_LOST:
		l->st.nr_lost += e->lost.lost;
		l->st.nr_lost_records++;
		break;
	case PERF_RECORD_THROTTLE:
		l->st.nr_throttled++;
		break;
	}
	return 1;
}

uint64_t fs_live__horizon(const struct fs_live *l)
{
	/* ready records not taken yet: the horizon is just before the first */
	if (l->next_ready < l->nr_ready && l->q[l->next_ready].time <= l->horizon)
		return l->q[l->next_ready].time ? l->q[l->next_ready].time - 1 : 0;
	return l->horizon;
}

uint64_t fs_live__pending(const struct fs_live *l)
{
	return l->nr_ready - l->next_ready;
}

const struct fs_header *fs_live__header(const struct fs_live *l)
{
	return &l->hdr;
}

const struct fs_live_stats *fs_live__stats(const struct fs_live *l)
{
	return &l->st;
}

const char *fs_live__event_name(const struct fs_live *l)
{
	return l->name;
}

void fs_live__close(struct fs_live *l)
{
	if (!l)
		return;
	if (l->opened)
		perf_evlist__disable(l->evlist);
	if (l->evsel) {
		/*
		 * libperf 6.1's perf_evsel__delete() frees the evsel without
		 * dropping the map references perf_evlist__set_maps() gave it.
		 */
		perf_cpu_map__put(perf_evsel__cpus(l->evsel));
		perf_thread_map__put(perf_evsel__threads(l->evsel));
	}
	if (l->evlist)
		perf_evlist__delete(l->evlist);	/* unmaps, closes, frees the evsel */
	free(l->arena.p);
	free(l->spare.p);
	free(l->q);
	free(l);
}
