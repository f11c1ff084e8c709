/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * window: a profile that keeps only the last seconds, fed record by record
 * (a live source's, or a reader's) and read by the same views as a loaded
 * profile. Memory stays flat however long it runs on a steady workload:
 *
 *   - samples live in one array from which fs_window__evict() drops the
 *     oldest (the profile's samples point into it);
 *   - what samples intern (stacks, frames, strings) is compacted once it has
 *     doubled since the last compaction: what no kept sample refers to goes,
 *     ids are renumbered (so prepare filters again after evicting);
 *   - the records the session needs (COMM, FORK, EXIT, MMAP, MMAP2,
 *     KSYMBOL) are logged; those of processes that exited before the window
 *     are pruned, and once many have gone the session starts afresh from
 *     the pruned log, so dead processes' threads and maps are freed (symbol
 *     tables are per binary and stay: their memory is bounded by the
 *     binaries that ever ran, not by how often they ran).
 *
 *	struct fs_window *w = fs_window__new(&cfg, hdr, &err);
 *	fs_window__add(w, &ev, &err);			every record, in delivery order
 *	fs_window__evict(w, cutoff_ns, &err);		now and then
 *	p = fs_window__profile(w);			views: heat map, flame graph
 *	fs_window__for_each_record(w, cb, arg);	the window as records (keep_records)
 *
 * hdr (one evsel per event, e.g. fs_live__header()) must outlive the window.
 */
#ifndef FS_WINDOW_H
#define FS_WINDOW_H

#include <stdbool.h>
#include <stdint.h>
#include "error.h"
#include "profile.h"
#include "reader.h"
#include "symbols.h"

struct fs_window_config {
	struct fs_symbolizer_config syms;
	int max_stack;			/* 0 = perf's 127 */
	bool keep_records;		/* keep each sample's record, for fs_window__for_each_record() */
	uint32_t compact_min;		/* stacks or frames before the first compaction; 0 = 16384 */
	uint32_t rebuild_exits;		/* pruned exits that restart the session; 0 = 512 */
	fs_warn_fn *warn;		/* the symbolizer's warnings (a dso without symbols) */
	void *warn_arg;
};

struct fs_window_stats {
	uint64_t nr_added, nr_evicted;	/* samples */
	uint64_t nr_compactions, nr_rebuilds, nr_pruned;	/* pruned: log records */
	uint64_t nr_log;		/* records logged now */
	uint64_t record_bytes;		/* kept record bytes (samples and log) */
};

struct fs_window;

struct fs_window *fs_window__new(const struct fs_window_config *cfg, const struct fs_header *hdr,
				 struct fs_error *err);
void fs_window__delete(struct fs_window *w);
/* Takes one record: samples are resolved and kept, the session learns from the rest. */
int fs_window__add(struct fs_window *w, const struct fs_event *ev, struct fs_error *err);
/* Drops samples stamped before cutoff (ns); compacts, prunes and rebuilds as needed. */
int fs_window__evict(struct fs_window *w, uint64_t cutoff, struct fs_error *err);
/* The kept samples as a profile (sorted by time); valid until the next add or evict. */
const struct fs_profile *fs_window__profile(const struct fs_window *w);
const struct fs_window_stats *fs_window__stats(const struct fs_window *w);
/*
 * With keep_records: the logged records, then each kept sample's record,
 * merged by time as they were delivered. cb's non-zero return stops and is
 * returned.
 */
int fs_window__for_each_record(const struct fs_window *w,
			       int (*cb)(void *arg, const union perf_event *ev), void *arg);

#endif
