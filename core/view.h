/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * view: what part of a loaded profile a heat map or flame graph shows, and
 * the views themselves. A filter picks one event, processes, threads, comms,
 * cpus, idle or not, and a time range; views work on ids, never on strings.
 *
 * Time ranges use FlameScope's conventions: offsets in seconds from the
 * origin floor(first sample time), sample times taken at perf script's
 * microsecond precision, both ends inclusive; or perf's --time syntax.
 */
#ifndef FS_VIEW_H
#define FS_VIEW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "api.h"
#include "error.h"
#include "flame.h"
#include "heatmap.h"
#include "profile.h"

struct fs_timerange;

enum fs_idle_rule {
	FS_IDLE_FLAMESCOPE,		/* swapper with an idle frame anywhere in its stack */
	FS_IDLE_LEAF,			/* swapper whose innermost frame is the idle loop */
};

enum fs_weight {
	FS_WEIGHT_SAMPLES,
	FS_WEIGHT_PERIOD,
	FS_WEIGHT_OFFCPU,		/* off-CPU ns: the period of a profile loaded with config.offcpu */
};

struct fs_filter {
	int event;			/* event index; -1 = the first */
	const int32_t *pids, *tids;
	uint32_t nr_pids, nr_tids;
	const char *const *comms;
	uint32_t nr_comms;
	const uint32_t *cpus;
	uint32_t nr_cpus;
	bool include_idle;
	enum fs_idle_rule idle_rule;
	enum fs_weight weight;
	bool has_start, has_end;	/* FlameScope offsets, inclusive */
	double start, end;
	const struct fs_timerange *time;	/* perf --time ranges; NULL = all */
	/* filled by fs_filter__prepare() */
	uint32_t *comm_ids;
	int32_t resolved_event;
};

/* Resolves names to ids against p; call before matching. */
FS_API int fs_filter__prepare(struct fs_filter *f, const struct fs_profile *p,
			      struct fs_error *err);
FS_API void fs_filter__release(struct fs_filter *f);
FS_API bool fs_filter__match(const struct fs_filter *f, const struct fs_profile *p,
			     const struct fs_profile_sample *s);
FS_API uint64_t fs_filter__weight(const struct fs_filter *f, const struct fs_profile_sample *s);

/*
 * Weights and their sums saturate at FS_WEIGHT_MAX (2^63 - 1, what JSON
 * readers and signed parsers take) instead of wrapping, in every format:
 * a file's periods can add up to anything.
 */
#define FS_WEIGHT_MAX	((uint64_t)INT64_MAX)
static inline uint64_t fs_weight__add(uint64_t a, uint64_t b)
{
	return b > FS_WEIGHT_MAX - (a < FS_WEIGHT_MAX ? a : FS_WEIGHT_MAX) ? FS_WEIGHT_MAX : a + b;
}
FS_API bool fs_profile__is_idle(const struct fs_profile *p, const struct fs_profile_sample *s,
				enum fs_idle_rule rule);
/* Seconds of a sample as perf script prints it (microseconds), FlameScope's clock. */
FS_API double fs_sample__seconds(const struct fs_profile_sample *s);
/* floor(first sample time) in seconds: offset 0 of heat maps and ranges. */
FS_API double fs_profile__origin(const struct fs_profile *p);

struct fs_heatmap_opts {
	uint32_t rows;			/* 50 */
	double step;			/* seconds per column; 0 = 1, raised when too many */
	uint32_t max_columns;		/* 0 = 2000 */
	bool has_from, has_to;
	double from, to;		/* offsets cutting the window */
	bool has_origin;
	double origin;			/* seconds of perf time offsets count from; default floor(first sample) */
};

FS_API struct fs_heatmap *fs_heatmap__from_profile(const struct fs_profile *p,
						   const struct fs_filter *f,
						   const struct fs_heatmap_opts *o,
						   struct fs_error *err);

/* How stacks are folded into names, as stackcollapse-perf.pl does. */
struct fs_fold_opts {
	bool kernel, jit;		/* _[k], _[j] annotations */
	bool pid, tid;			/* roots comm-PID, comm-PID/TID */
	bool reverse;			/* leaves first (flamegraph.pl --reverse) */
};

FS_API struct fs_flame *fs_flame__from_profile(const struct fs_profile *p,
					       const struct fs_filter *f,
					       const struct fs_fold_opts *fo, struct fs_error *err);
/* Adds f2's range to an existing tree as value_b (differential). */
FS_API int fs_flame__add_compare(struct fs_flame *fl, const struct fs_profile *p,
				 const struct fs_filter *f, const struct fs_fold_opts *fo,
				 bool normalize, struct fs_error *err);
/* stackcollapse-perf.pl's output for the filtered samples, sorted. */
FS_API int fs_profile__write_folded(const struct fs_profile *p, const struct fs_filter *f,
				    const struct fs_fold_opts *fo, FILE *out, struct fs_error *err);

#endif
