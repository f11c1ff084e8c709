/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * find-int: what the finder's files share. find.c builds the series (one per
 * analysed process and one for all) and runs the detectors of find-detect.c
 * on each, find-stats.c holds the statistics they use, find-explain.c the
 * frames that explain a finding, find-write.c the text and JSON writers.
 */
#ifndef FS_FIND_INT_H
#define FS_FIND_INT_H

#include "find.h"
#include "heatmap-int.h"

/* One analysed series: all processes (pid -1) or one. */
struct find_group {
	int32_t pid;
	uint32_t comm;			/* UINT32_MAX for all */
	uint64_t total;
	uint16_t *cells;		/* T * R counts (saturating), in time order */
	uint32_t *secs;			/* per-second totals */
	uint64_t *frames;		/* explain's cache: samples holding each frame */
	bool frames_done;
};

struct find_ctx {
	const struct fs_profile *p;
	const struct fs_filter *f;
	struct fs_find_opts o;
	double origin;			/* floor(first sample), s */
	double first, last;		/* observed offsets */
	uint32_t T, R;			/* seconds (columns), cells per second */
	double *expo;			/* per second: the observed fraction of it */
	double hz;			/* samples per second per busy CPU; 0 unknown */
	struct find_group *groups;
	uint32_t nr_groups;
	struct fs_finding *v;		/* candidates */
	uint32_t n;
	size_t alloc;
};

/* find.c */
struct fs_finding *find__add(struct find_ctx *c, const struct find_group *g, uint8_t kind);
int find__set_ranges(struct fs_finding *fd, const struct fs_find_range *r, uint32_t n);

/* find-detect.c: each appends its findings; -1 when out of memory. */
int find__detect(struct find_ctx *c, const struct find_group *g);

/* find-explain.c */
int find__explain(struct find_ctx *c, struct fs_finding *fd, struct fs_error *err);
/* Who has the samples of a finding made over all processes. */
int find__procs(struct find_ctx *c, struct fs_finding *fd);

/* find-stats.c */
/* log10 P(X >= k), X ~ Binomial(n, p). */
double find__log10_binom_tail(uint64_t n, double p, uint64_t k);
/* log10 P(Z >= z), Z standard normal. */
double find__log10_norm_tail(double z);
/* log10 P(X >= x), X chi-square with one degree of freedom. */
double find__log10_chi2_tail(double x);
/* Poisson log-likelihood ratio of count x with exposure e at rate r against its own rate. */
double find__poisson_lr(double x, double e, double rate);
/* Median of v[0..n) (reordered); 0 when empty. */
double find__median(double *v, size_t n);
/* Weighted median of v with weights w; scratch holds n pairs. */
double find__wmedian(const double *v, const double *w, size_t n, double *scratch);
/* Running median of y over valid points, window 2h+1; out[i] for every i. */
int find__running_median(const double *y, const bool *valid, uint32_t n, uint32_t h, double *out);
/*
 * PELT change points of counts x with exposures e (Poisson deviance / phi,
 * penalty beta per change), segments at most 300 points long (a long level
 * comes out in pieces: merge equal neighbours). Fills starts[] with the first
 * index of each segment (starts[0] = 0); returns the number of segments or -1.
 */
int find__pelt(const double *x, const double *e, uint32_t n, double phi, double beta,
	       uint32_t *starts);
/* Best split of counts c[0..n) into two constant-rate pieces, the second higher (rise) or lower. */
uint32_t find__split(const double *c, uint32_t n, bool rise);

#endif
