/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * find: the perturbations of a profile, found by statistics over the heat
 * map's counts, each with the frames that explain it. A view over a loaded
 * profile: it works on the sorted samples and per-cell counts (FlameScope's
 * binning: microsecond times, origin floor(first sample), 1 s columns) and
 * on frame and stack ids; names are looked up only by the writers.
 *
 * Kinds: periodic bands ("every 20 s for 2 s"), bursts at a stable
 * sub-second offset that repeat across seconds, one-off segments (start-up,
 * tail, a spike) and level shifts. The whole profile and its busiest
 * processes are analysed separately, so a finding names its process.
 * The methods and their parameters are stated in flamescope-find(1).
 *
 *	struct fs_find_opts o;
 *	fs_find_opts__init(&o);
 *	fs = fs_findings__from_profile(p, &filter, &o, &err);
 *	fs_findings__write_txt(fs, p, &style, stdout, &err);
 *	fs_findings__delete(fs);
 */
#ifndef FS_FIND_H
#define FS_FIND_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "api.h"
#include "error.h"
#include "heatmap.h"
#include "profile.h"
#include "view.h"

enum fs_finding_kind {
	FS_FINDING_BAND,		/* periodic: every period s for duration s */
	FS_FINDING_BURST,		/* duration s at offset s into the second, in many seconds */
	FS_FINDING_SEGMENT,		/* one-off: start-up, tail or a spike */
	FS_FINDING_SHIFT,		/* a sustained change of load */
};

enum fs_segment_where {
	FS_SEGMENT_MIDDLE,		/* a spike or busy period */
	FS_SEGMENT_START,		/* start-up */
	FS_SEGMENT_END,			/* tail */
};

struct fs_find_opts {
	uint32_t rows;			/* cells per second (50: 20 ms, the heat map's default) */
	double alpha;			/* false findings allowed per detector and process (0.01) */
	double min_lift;		/* rate against its baseline, at least (1.5) */
	double min_cpus;		/* segments and shifts: change of load in CPUs, at least (0.05) */
	uint32_t min_samples;		/* samples above the baseline, at least (8) */
	uint32_t max_procs;		/* busiest processes analysed on their own (8; 0: none) */
	uint32_t max_findings;		/* kept, strongest first (20) */
	bool explain;			/* find the frames (needs the stacks resolved) */
};

FS_API void fs_find_opts__init(struct fs_find_opts *o);

/* A time range, seconds from the origin (the heat map's offsets), end exclusive. */
struct fs_find_range {
	double start, end;
};

/* A frame that grew (or, for a fall, shrank) in the finding against its reference. */
struct fs_find_frame {
	uint32_t frame;			/* profile frame id */
	uint64_t in, ref;		/* samples holding it: in the finding, in the reference */
	double share_in, share_ref;	/* of the finding's and the reference's samples */
	double excess;			/* in - (finding's samples x share_ref): samples it explains */
};

/* A process taking part in a finding made over all processes. */
struct fs_find_proc {
	int32_t pid;
	uint32_t comm;			/* profile string id */
	uint64_t samples;		/* in the finding's ranges */
};

#define FS_FIND_PROCS	3

struct fs_finding {
	uint8_t kind;			/* enum fs_finding_kind */
	uint8_t where;			/* enum fs_segment_where, for segments */
	int32_t pid;			/* the process it was found in; -1: all processes */
	uint32_t comm;			/* its name (string id); UINT32_MAX for all processes */
	struct fs_find_proc procs[FS_FIND_PROCS];	/* who has its samples, most first */
	uint32_t nr_procs;
	struct fs_find_range *ranges;	/* where it is, in time order */
	uint32_t nr_ranges;
	struct fs_find_range span;	/* first start to last end */
	/* shape: band period and duration; burst offset and duration in the second;
	 * segment and shift duration */
	double period, offset, duration;
	uint32_t present, cycles;	/* band cycles / burst seconds it shows in, out of */
	/* strength */
	double rate, base_rate;		/* samples per second in the ranges and in the baseline */
	double lift;			/* rate / base_rate (infinity over an empty baseline) */
	double excess;			/* samples above the baseline, the ranking key */
	double log10_p;		/* log10 of its p-value, corrected for the tests made */
	/* look closer: one representative range and the baseline to compare it with */
	struct fs_find_range look, compare;
	bool compare_all;		/* compare with the whole profile (bursts) */
	/* explanation, largest excess first */
	struct fs_find_frame *frames;
	uint32_t nr_frames;
	uint64_t samples, ref_samples;	/* in the finding; in its reference */
	bool ref_all;			/* the reference is the whole profile, not the process */
};

struct fs_findings {
	struct fs_finding *v;
	uint32_t n;
	uint32_t dropped;		/* found beyond max_findings */
	double origin;			/* floor(first sample), s of perf time */
	double first, last;		/* observed offsets (first and last sample) */
	double hz;			/* samples per second per busy CPU (0: unknown) */
	uint32_t rows;
	uint64_t samples;		/* counted (non-idle, filtered) */
	const char *event;
};

FS_API struct fs_findings *fs_findings__from_profile(const struct fs_profile *p,
						     const struct fs_filter *f,
						     const struct fs_find_opts *o,
						     struct fs_error *err);
FS_API void fs_findings__delete(struct fs_findings *fs);

/* One-line description ("bursts of 60 ms at +400 ms"), for titles and lists. */
FS_API int fs_finding__describe(const struct fs_finding *fd, char *buf, size_t size);
/* "band", "burst", "start-up", "tail", "spike", "shift". */
FS_API const char *fs_finding__kind_name(const struct fs_finding *fd);

/* Outlines for the heat-map writers: every range of every finding, labelled 1..n. */
FS_API int fs_findings__marks(const struct fs_findings *fs, struct fs_heatmap_mark **marks,
			      uint32_t *nr, char **titles, struct fs_error *err);

/* How the writers print the commands that look closer. */
struct fs_find_style {
	const char *input;		/* perf.data path (shell-quoted when printed); NULL: none */
	const char *args;		/* more options for flamescope flamegraph, already quoted */
	const char *pids;		/* the analysis's --pid list, for findings over all of them */
	const char *prefix;		/* output names: PREFIX1.svg, PREFIX1-diff.svg ("finding") */
};

/* A paragraph per finding, strongest first, with flamescope flamegraph commands. */
FS_API int fs_findings__write_txt(const struct fs_findings *fs, const struct fs_profile *p,
				  const struct fs_find_style *st, FILE *out, struct fs_error *err);
FS_API int fs_findings__write_json(const struct fs_findings *fs, const struct fs_profile *p,
				   const struct fs_find_style *st, FILE *out, struct fs_error *err);

#endif
