/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * live: the records a perf.data file would hold, read while they happen
 * through libperf (perf_evlist, perf_evsel, perf_cpu_map, perf_thread_map,
 * perf_mmap ring buffers), delivered as the reader delivers a file's:
 * struct fs_event with the sample parsed by fs_evsel__parse_sample(), in
 * time order, so the session, symbolizer and profile code is shared.
 *
 *	libperf_init(print_fn);			once per process (libperf's page size)
 *	struct fs_live *l = fs_live__open(&cfg, &err);
 *	fs_live__enable(l);
 *	for (;;) {
 *		fs_live__read(l, false);		every ~100 ms: one round
 *		while (fs_live__next(l, &ev) > 0)
 *			... ev as fs_reader__next() gives it ...
 *	}
 *	fs_live__read(l, true);	...		at the end: flush everything
 *	fs_live__close(l);
 *
 * One event: cpu-clock at cfg.freq Hz with callchains, as `perf record -F HZ
 * -g` opens it, on every online cpu, for all processes (system_wide) or for
 * the given processes and the threads they start (inherit). Times are
 * CLOCK_MONOTONIC (attr.use_clockid), so fs_live__now() is comparable.
 * The first round delivers what perf record synthesizes from /proc (time 0):
 * the kernel's and modules' maps, each process's threads (COMM) and
 * executable maps (MMAP2); later ones what the kernel sends (COMM, MMAP2,
 * FORK, EXIT, KSYMBOL, LOST, THROTTLE, samples).
 *
 * Ordering is perf's FINISHED_ROUND rule: a round copies every ring's
 * records, and delivers those stamped before the previous round began; the
 * rest wait a round. fs_live__horizon() is that time: every record stamped
 * up to it has been delivered. Records are valid until the next read.
 *
 * Linked apart from libflamescope (libflamescope-live.a, with libperf and
 * libapi), so the offline library needs no libperf beyond its headers.
 */
#ifndef FS_LIVE_H
#define FS_LIVE_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"
#include "reader.h"

struct fs_live_config {
	bool system_wide;		/* -a: every process on every cpu */
	const int32_t *pids;		/* else these processes, their threads and children */
	uint32_t nr_pids;
	bool enable_on_exec;		/* pids are a workload about to exec: count from the exec */
	uint32_t freq;			/* samples per second per cpu; 0 = 49; above
					   kernel.perf_event_max_sample_rate: that */
	uint32_t mmap_pages;		/* ring pages per cpu, a power of two; 0 = 128 */
	uint32_t max_stack;		/* callchain entries the kernel keeps; 0 = 127 */
};

struct fs_live_stats {
	uint32_t freq, freq_asked;	/* the rate opened; asked, when the kernel's cap lowered it */
	uint64_t nr_samples;
	uint64_t nr_lost;		/* sum of PERF_RECORD_LOST.lost: samples the rings dropped */
	uint64_t nr_lost_records;	/* LOST records */
	uint64_t nr_throttled;		/* THROTTLE records: the kernel lowered the rate */
	uint64_t nr_records;		/* every record delivered, synthesized ones included */
	uint64_t nr_synthesized;
	uint64_t nr_unordered;		/* stamped before the horizon already passed (late) */
	uint64_t nr_backlogged;		/* rounds that left rings unread: records undelivered */
	uint32_t nr_cpus, nr_threads, nr_mmaps;
	bool user_only;			/* kernel frames excluded (perf_event_paranoid 2 fallback) */
	bool ended;			/* every monitored task has exited (not with system_wide) */
};

struct fs_live;

/*
 * Opens and maps the events and reads /proc; NULL with a message saying
 * what failed and what to do (perf_event_paranoid, CAP_PERFMON, ulimit -n,
 * perf_event_max_sample_rate, perf_event_mlock_kb).
 */
struct fs_live *fs_live__open(const struct fs_live_config *cfg, struct fs_error *err);
/* Starts counting (unless enable_on_exec, where the exec starts it). */
void fs_live__enable(struct fs_live *l);
/*
 * One round: drains every ring, then makes the records stamped before the
 * previous round's start (all of them when final) ready for fs_live__next().
 * Records still undelivered from the last round are kept. Returns the number
 * ready, -1 when out of memory (err).
 */
int fs_live__read(struct fs_live *l, bool final, struct fs_error *err);
/*
 * 1: *ev holds the next ready record (valid until the next read); 0: none ready.
 * A caller may stop taking before 0 (a signal, a time budget): the rest stay
 * ready for after the next read, and the horizon stays before them.
 */
int fs_live__next(struct fs_live *l, struct fs_event *ev);
/* Ready records not taken yet. */
uint64_t fs_live__pending(const struct fs_live *l);
/* ns of CLOCK_MONOTONIC: every record stamped up to it has been delivered. */
uint64_t fs_live__horizon(const struct fs_live *l);
/* The header a file of these records would have: one evsel, its attr as opened. */
const struct fs_header *fs_live__header(const struct fs_live *l);
const struct fs_live_stats *fs_live__stats(const struct fs_live *l);
/* The event's name as perf names it ("cpu-clock", "cpu-clock:u"). */
const char *fs_live__event_name(const struct fs_live *l);
void fs_live__close(struct fs_live *l);
/* CLOCK_MONOTONIC in ns: the clock records are stamped with. */
uint64_t fs_live__now(void);

#endif
