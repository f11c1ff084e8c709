// SPDX-License-Identifier: GPL-2.0-only
/*
 * The detectors, run on one series (all processes, or one process):
 *
 *  bands     periodic excess at the unit (second) scale: residuals against a
 *            running median, periods from their autocorrelation, each
 *            (period, phase, duration) window scored by its folded sum of
 *            residuals, whose variance allows for AR(1) correlation;
 *            Bonferroni over every window of every period.
 *  segments  PELT change points of the per-unit counts (Poisson deviance
 *            scaled by the estimated over-dispersion, penalty 3 ln n), with
 *            the bands' units left out; adjacent levels that differ too
 *            little are merged; long regimes that differ are level shifts,
 *            short elevated ones are one-off segments.
 *  bursts    per sub-second window (offset, length in cells), the seconds it
 *            is hot in (more samples than its share of that second by more
 *            than one Poisson sd) against the same count at the other
 *            offsets: a binomial test per window, Bonferroni over windows.
 *
 * Every finding must also be material: min_lift times its baseline and
 * min_samples above it. Edges are then placed to the cell by the best
 * two-rate split of the counts around them. flamescope-find(1) states it all.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "find-int.h"

#define Z_CLIP		5.0	/* one-off residuals weigh at most this much */
#define CYCLE_CLIP	3.0	/* ... and one cycle's window at most this many sd */
#define BAND_DMAX	60	/* longest band, in units */
#define BAND_CANDS	6	/* autocorrelation peaks tried */
#define MAX_BANDS	3
#define MAX_BURSTS	4
#define MIN_PRESENT	3	/* bands and bursts show at least this often */
#define MAX_UNITS	7200	/* longer profiles are analysed in units of several seconds */

/* A series in units of u seconds. */
struct units {
	uint32_t u, n;
	double *X, *E;		/* counts and observed fraction of each unit */
	bool *ok;		/* at least half observed */
	bool *mask;		/* claimed by a band */
	double phi;		/* over-dispersion, >= 1 */
	double *scratch;	/* 2n doubles */
};

static double lg10_alpha(const struct find_ctx *c)
{
	return log10(c->o.alpha);
}

static void units__exit(struct units *U)
{
	free(U->X);
	free(U->E);
	free(U->ok);
	free(U->mask);
	free(U->scratch);
}

/*
 * Robust over-dispersion: the squared MAD (as a standard deviation) of the
 * Pearson residuals against the running median of the rates, at least 1.
 * Robust while fewer than half the units are disturbed (bands, segments).
 */
static int dispersion(struct units *U)
{
	double *y = malloc(U->n * sizeof(*y)), *base = malloc(U->n * sizeof(*base)), sigma;
	size_t m = 0;

	U->phi = 1;
	if (!y || !base) {
		free(y);
		free(base);
		return -1;
	}
	for (uint32_t i = 0; i < U->n; i++)
		y[i] = U->ok[i] ? U->X[i] / U->E[i] : 0;
	if (find__running_median(y, U->ok, U->n, U->n / 6 > 1800 ? 1800 : U->n / 6, base)) {
		free(y);
		free(base);
		return -1;
	}
	for (uint32_t i = 0; i < U->n; i++) {
		double mu = base[i] * U->E[i];

		if (U->ok[i])
			U->scratch[m++] = fabs(U->X[i] - mu) / sqrt(fmax(mu, 1));
	}
	sigma = 1.4826 * find__median(U->scratch, m);
	U->phi = fmax(1, sigma * sigma);
	free(y);
	free(base);
	return 0;
}

static int units__init(struct units *U, const struct find_ctx *c, const struct find_group *g)
{
	memset(U, 0, sizeof(*U));
	U->u = c->T > MAX_UNITS ? (c->T + MAX_UNITS - 1) / MAX_UNITS : 1;
	U->n = (c->T + U->u - 1) / U->u;
	U->X = calloc(U->n, sizeof(*U->X));
	U->E = calloc(U->n, sizeof(*U->E));
	U->ok = calloc(U->n, sizeof(*U->ok));
	U->mask = calloc(U->n, sizeof(*U->mask));
	U->scratch = calloc(2 * (size_t)U->n + 2, sizeof(*U->scratch));
	if (!U->X || !U->E || !U->ok || !U->mask || !U->scratch)
		return -1;
	for (uint32_t t = 0; t < c->T; t++) {
		U->X[t / U->u] += g->secs[t];
		U->E[t / U->u] += c->expo[t] / U->u;
	}
	for (uint32_t i = 0; i < U->n; i++)
		U->ok[i] = U->E[i] >= 0.5;
	return dispersion(U);
}

/* Cell counts of seconds [s0, s0 + n / R), summed into out[] (added, so cycles fold). */
static void add_cells(const struct find_ctx *c, const struct find_group *g, double s0, uint32_t n,
		      double *out)
{
	int64_t k0 = (int64_t)llround(s0 * c->R);

	for (uint32_t i = 0; i < n; i++) {
		int64_t k = k0 + i;

		if (k >= 0 && k < (int64_t)c->T * c->R)
			out[i] += g->cells[k];
	}
}

/*
 * Where an edge near second `at` really is: the best split of the cells in
 * [at - m, at + m) seconds into two rates, rising or falling. Returns seconds.
 */
static double refine_edge(const struct find_ctx *c, const struct find_group *g, double at, double m,
			  bool rise)
{
	uint32_t n = (uint32_t)llround(2 * m * c->R);
	double *cells = calloc(n ? n : 1, sizeof(*cells)), r;

	if (!cells || n < 2) {
		free(cells);
		return at;
	}
	add_cells(c, g, at - m, n, cells);
	r = at - m + (double)find__split(cells, n, rise) / c->R;
	free(cells);
	return r;
}

/* ---- bands ---- */

struct band {
	uint32_t P, phase, D;	/* units */
	double Z;		/* the cycle-clipped score: the test */
	double Zu;		/* the unclipped folded score: the shape */
};

static double ar_var(double rho, uint32_t D)
{
	double v = 1, rk = 1;

	for (uint32_t k = 1; k < D; k++) {
		rk *= rho;
		v += 2 * (1 - (double)k / D) * rk;
	}
	return v;
}

/*
 * Windows of period P: each cycle's window sum of residuals, standardised
 * (variance m v_D) and clipped at +-CYCLE_CLIP so no single cycle (a one-off)
 * can carry it, summed over the cycles with at least half the window usable:
 * Z, the test. Any window holding a strong band reaches the clip in every
 * cycle, so the shape comes from pass 2 (zmin set) among the windows within
 * one sd of the best Z: the best unclipped score Zu, or a window of a period
 * dividing its period (a band scores about 1/sqrt(2) less at twice its
 * period, so only its fundamental comes that close). cz and cu are prefix
 * sums of the residuals and of the units in use.
 */
static void band_scan(const double *cz, const uint32_t *cu, uint32_t n, uint32_t P, const double *var,
		      const double (*inv)[BAND_DMAX + 1], double zmin, struct band *best)
{
	uint32_t dmax = P / 2 < BAND_DMAX ? P / 2 : BAND_DMAX;

	for (uint32_t ph = 0; ph < P; ph++) {
		for (uint32_t D = 1; D <= dmax; D++) {
			double sum = 0, su = 0, Z, Zu;
			uint32_t k = 0, mu = 0;

			for (int64_t s = (int64_t)ph - P; s < n; s += P) {
				int64_t a = s < 0 ? 0 : s, b = s + D > n ? n : s + D;
				uint32_t m;
				double y;

				if (b <= a)
					continue;
				m = cu[b] - cu[a];
				if (2 * m < D || !m)
					continue;
				y = (cz[b] - cz[a]) * inv[D][m];
				sum += fmin(CYCLE_CLIP, fmax(-CYCLE_CLIP, y));
				su += cz[b] - cz[a];
				mu += m;
				k++;
			}
			if (k < MIN_PRESENT)
				continue;
			Z = sum / sqrt(k);
			Zu = su / sqrt(mu * var[D]);
			if (zmin == -INFINITY ? Z > best->Z : Z >= zmin && (!best->P || Zu > best->Zu))
				*best = (struct band){ P, ph, D, Z, Zu };
		}
	}
}

/* The number of windows every period could have offered: the Bonferroni factor. */
static double band_tests(uint32_t pmax)
{
	double n = 0;

	for (uint32_t P = 2; P <= pmax; P++)
		n += (double)P * (P / 2 < BAND_DMAX ? P / 2 : BAND_DMAX);
	return n;
}

/* Standardised residuals against a running median, clipped; 0 where not used. */
static int residuals(const struct units *U, double *z, bool *use)
{
	double *y = U->scratch, *base = malloc(U->n * sizeof(*base));
	uint32_t h = U->n / 6;

	if (!base)
		return -1;
	for (uint32_t i = 0; i < U->n; i++) {
		use[i] = U->ok[i] && !U->mask[i];
		y[i] = use[i] ? U->X[i] / U->E[i] : 0;
	}
	if (h > 1800)
		h = 1800;
	if (find__running_median(y, use, U->n, h, base)) {
		free(base);
		return -1;
	}
	for (uint32_t i = 0; i < U->n; i++) {
		double mu = base[i] * U->E[i];

		z[i] = use[i] ? (U->X[i] - mu) / sqrt(U->phi * fmax(mu, 1)) : 0;
		z[i] = fmin(Z_CLIP, fmax(-Z_CLIP, z[i]));
	}
	free(base);
	return 0;
}

static double lag1(const double *z, const bool *use, uint32_t n)
{
	double a = 0, b = 0;

	for (uint32_t i = 0; i < n; i++) {
		b += z[i] * z[i];
		if (i + 1 < n && use[i] && use[i + 1])
			a += z[i] * z[i + 1];
	}
	return b > 0 ? fmin(0.9, fmax(0, a / b)) : 0;
}

/* Periods worth folding: the highest local maxima of the residuals' autocorrelation, and neighbours. */
static uint32_t band_candidates(const double *z, uint32_t n, uint32_t pmax, uint32_t *out)
{
	double *r = calloc(pmax + 2, sizeof(*r)), top[BAND_CANDS];
	uint32_t best[BAND_CANDS], nb = 0, m = 0;

	if (!r)
		return 0;
	for (uint32_t k = 1; k <= pmax + 1; k++)
		for (uint32_t i = 0; i + k < n; i++)
			r[k] += z[i] * z[i + k];
	for (uint32_t k = 2; k <= pmax; k++) {
		uint32_t j;

		if (r[k] <= 0 || r[k] < r[k - 1] || r[k] < r[k + 1])
			continue;
		for (j = nb; j > 0 && top[j - 1] < r[k]; j--)
			if (j < BAND_CANDS) {
				top[j] = top[j - 1];
				best[j] = best[j - 1];
			}
		if (j < BAND_CANDS) {
			top[j] = r[k];
			best[j] = k;
			if (nb < BAND_CANDS)
				nb++;
		}
	}
	free(r);
	for (uint32_t i = 0; i < nb; i++) {
		uint32_t P = best[i], cand[5] = { P - 1, P, P + 1, P / 2, P / 3 };

		for (uint32_t j = 0; j < 5; j++) {
			bool dup = cand[j] < 2 || cand[j] > pmax;

			for (uint32_t k = 0; k < m && !dup; k++)
				dup = out[k] == cand[j];
			if (!dup)
				out[m++] = cand[j];
		}
	}
	return m;
}

/* Unit windows [start, start + D) of each cycle, present or not. */
struct cycle {
	int64_t start;
	bool valid, present;
	double X, E;
};

static int band_report(struct find_ctx *c, const struct find_group *g, struct units *U,
		       const double *z, const struct band *b, double rho, double lg10p)
{
	uint32_t ncyc = 0, k = 0, first = UINT32_MAX, last = 0, nr = 0, look = 0, nfold, nedge;
	double v = ar_var(rho, b->D), inX = 0, inE = 0, outX = 0, outE = 0, best = -1;
	double u = U->u, M = u, *fold = NULL, onset, offset, rate, base, excess;
	struct cycle *cy = calloc(U->n / b->P + 3, sizeof(*cy));
	struct fs_find_range *ranges = NULL;
	struct fs_finding *fd;
	int ret = -1;

	if (!cy)
		return -1;
	for (int64_t s = (int64_t)b->phase - b->P; s < U->n; s += b->P) {
		struct cycle *q = &cy[ncyc];
		double zs = 0;
		uint32_t m = 0;

		if (s + b->D <= 0)
			continue;
		q->start = s;
		for (int64_t i = s; i < s + b->D; i++) {
			if (i < 0 || i >= U->n || !U->ok[i] || U->mask[i])
				continue;
			zs += z[i];
			q->X += U->X[i];
			q->E += U->E[i];
			m++;
		}
		q->valid = m && 2 * m >= b->D;
		q->present = q->valid && zs / sqrt(m * v) >= 1;
		if (q->present) {
			k++;
			inX += q->X;
			inE += q->E;
			if (first == UINT32_MAX)
				first = ncyc;
			last = ncyc;
		}
		ncyc++;
	}
	ret = 0;
	if (k < MIN_PRESENT || inE <= 0)
		goto done;
	/* the baseline: the units of the span outside every cycle's window */
	for (int64_t i = cy[first].start; i < cy[last].start + b->D; i++) {
		int64_t ph = ((i - b->phase) % b->P + b->P) % b->P;

		if (i < 0 || i >= U->n || !U->ok[i] || U->mask[i] || ph < b->D)
			continue;
		outX += U->X[i];
		outE += U->E[i];
	}
	rate = inX / inE;
	base = outE > 0 ? outX / outE : 0;
	excess = inX - base * inE;
	if (excess < c->o.min_samples || (base > 0 && rate < c->o.min_lift * base))
		goto done;
	/* the cells of every present window, folded, place the edges to the cell */
	ret = -1;
	nfold = (uint32_t)llround((b->D * u + 2 * M) * c->R);
	nedge = (uint32_t)llround(2 * M * c->R);
	fold = calloc(nfold, sizeof(*fold));
	ranges = calloc(k, sizeof(*ranges));
	if (!fold || !ranges)
		goto done;
	for (uint32_t j = first; j <= last; j++)
		if (cy[j].present)
			add_cells(c, g, cy[j].start * u - M, nfold, fold);
	onset = find__split(fold, nedge, true);
	offset = nfold - nedge + find__split(fold + nfold - nedge, nedge, false);
	if (offset <= onset) {
		onset = M * c->R;
		offset = (M + b->D * u) * c->R;
	}
	onset /= c->R;
	offset /= c->R;
	for (uint32_t j = first; j <= last; j++) {
		double s = cy[j].start * u - M;

		if (!cy[j].present)
			continue;
		ranges[nr].start = fmax(c->first, s + onset);
		ranges[nr].end = fmin(c->last, s + offset);
		if (ranges[nr].end <= ranges[nr].start)
			continue;
		if (cy[j].X > best) {
			best = cy[j].X;
			look = nr;
		}
		nr++;
	}
	ret = 0;
	if (!nr)
		goto done;
	ret = -1;
	fd = find__add(c, g, FS_FINDING_BAND);
	if (!fd || find__set_ranges(fd, ranges, nr))
		goto done;
	fd->period = b->P * u;
	fd->duration = offset - onset;
	fd->offset = fmod(ranges[0].start, fd->period);
	fd->present = k;
	for (uint32_t j = first; j <= last; j++)
		fd->cycles += cy[j].valid;
	fd->rate = rate / u;
	fd->base_rate = base / u;
	fd->lift = base > 0 ? rate / base : INFINITY;
	fd->excess = excess;
	fd->log10_p = lg10p;
	/* look at the busiest cycle; compare it with the gap before it */
	fd->look = ranges[look];
	fd->compare.end = fd->look.start;
	fd->compare.start = fmax(c->first, fd->look.start - (fd->period - fd->duration));
	fd->compare_all = fd->compare.end - fd->compare.start < 0.5 / c->R;
	/* later detectors leave the band alone: its windows and the units its ranges touch */
	for (uint32_t j = first; j <= last; j++)
		for (int64_t i = cy[j].start; cy[j].present && i < cy[j].start + b->D; i++)
			if (i >= 0 && i < U->n)
				U->mask[i] = true;
	for (uint32_t r = 0; r < nr; r++)
		for (double t = floor(ranges[r].start / u); t * u < ranges[r].end && t < U->n; t++)
			if (t >= 0)
				U->mask[(uint32_t)t] = true;
	ret = 1;
done:
	free(fold);
	free(ranges);
	free(cy);
	return ret;
}

static int bands(struct find_ctx *c, const struct find_group *g, struct units *U)
{
	uint32_t pmax = U->n / MIN_PRESENT, cand[BAND_CANDS * 5], nc, *cu = NULL;
	double *z = NULL, *cz = NULL, var[BAND_DMAX + 1], inv[BAND_DMAX + 1][BAND_DMAX + 1], ntests, rho;
	bool *use = NULL;
	int ret = -1;

	if (pmax < 2)
		return 0;
	z = malloc(U->n * sizeof(*z));
	use = malloc(U->n * sizeof(*use));
	cz = malloc((U->n + 1) * sizeof(*cz));
	cu = malloc((U->n + 1) * sizeof(*cu));
	if (!z || !use || !cz || !cu)
		goto out;
	ntests = band_tests(pmax);
	for (int round = 0; round < MAX_BANDS; round++) {
		struct band best = { 0, 0, 0, 0, 0 }, shape, per[BAND_CANDS * 5];
		double lg10p;
		int r;

		if (residuals(U, z, use))
			goto out;
		rho = lag1(z, use, U->n);
		for (uint32_t D = 1; D <= BAND_DMAX; D++) {
			var[D] = ar_var(rho, D);
			for (uint32_t m = 1; m <= D; m++)
				inv[D][m] = 1 / sqrt(m * var[D]);	/* a window's scale, m units in use */
		}
		cz[0] = 0;
		cu[0] = 0;
		for (uint32_t i = 0; i < U->n; i++) {
			cz[i + 1] = cz[i] + z[i];
			cu[i + 1] = cu[i] + use[i];
		}
		nc = band_candidates(z, U->n, pmax, cand);
		for (uint32_t i = 0; i < nc; i++) {
			per[i] = (struct band){ 0, 0, 0, -INFINITY, 0 };
			band_scan(cz, cu, U->n, cand[i], var, inv, -INFINITY, &per[i]);
			if (per[i].P && per[i].Z > best.Z)
				best = per[i];
		}
		if (!best.P)
			break;
		lg10p = find__log10_norm_tail(best.Z) + log10(ntests);
		if (lg10p >= lg10_alpha(c))
			break;
		shape = (struct band){ 0, 0, 0, 0, -INFINITY };
		for (uint32_t i = 0; i < nc; i++) {
			bool reach = per[i].P && per[i].Z >= best.Z - 1;

			per[i] = (struct band){ 0, 0, 0, 0, -INFINITY };
			if (reach)	/* no window of a period scoring less can qualify */
				band_scan(cz, cu, U->n, cand[i], var, inv, best.Z - 1, &per[i]);
			if (per[i].P && per[i].Zu > shape.Zu)
				shape = per[i];
		}
		for (uint32_t i = 0; i < nc; i++)
			if (per[i].P && per[i].P < shape.P && shape.P % per[i].P == 0)
				shape = per[i];
		if (shape.P)
			best = shape;
		r = band_report(c, g, U, z, &best, rho, lg10p);
		if (r < 0)
			goto out;
		if (!r)
			break;
	}
	ret = 0;
out:
	free(z);
	free(use);
	free(cz);
	free(cu);
	return ret;
}

/* ---- segments and level shifts ---- */

struct regime {
	uint32_t a, b;		/* units [a, b) */
	double X, E;
	bool elevated;
	double ref;		/* the rate it is compared with */
};

static double rate_of(const struct regime *r)
{
	return r->E > 0 ? r->X / r->E : 0;
}

/* Whether two rates (per unit) differ enough to matter. */
static bool material(const struct find_ctx *c, const struct units *U, double a, double b)
{
	double lo = fmin(a, b), hi = fmax(a, b);

	if (hi - lo < c->o.min_cpus * c->hz * U->u)
		return false;
	return lo <= 0 || hi >= c->o.min_lift * lo;
}

/* Two-sample Poisson likelihood-ratio statistic of counts over exposures. */
static double lr2(double Xa, double Ea, double Xb, double Eb)
{
	double r0 = (Xa + Xb) / (Ea + Eb);

	return find__poisson_lr(Xa, Ea, r0) + find__poisson_lr(Xb, Eb, r0);
}

/* Merges adjacent regimes whose levels do not differ materially, closest first. */
static uint32_t merge_regimes(const struct find_ctx *c, const struct units *U, struct regime *rg,
			      uint32_t n)
{
	for (;;) {
		double best = INFINITY;
		uint32_t at = UINT32_MAX;

		for (uint32_t i = 0; i + 1 < n; i++) {
			double a = rate_of(&rg[i]), b = rate_of(&rg[i + 1]), d;

			if (rg[i].E > 0 && rg[i + 1].E > 0 && material(c, U, a, b))
				continue;
			d = rg[i].E <= 0 || rg[i + 1].E <= 0 ? -1 : fabs(log((a + 1e-9) / (b + 1e-9)));
			if (d < best) {
				best = d;
				at = i;
			}
		}
		if (at == UINT32_MAX)
			return n;
		rg[at].b = rg[at + 1].b;
		rg[at].X += rg[at + 1].X;
		rg[at].E += rg[at + 1].E;
		memmove(rg + at + 1, rg + at + 2, (n - at - 2) * sizeof(*rg));
		n--;
	}
}

static int add_segment(struct find_ctx *c, const struct find_group *g, const struct units *U,
		       const struct regime *rg, uint32_t n, uint32_t i, uint32_t j, double lg10p)
{
	double u = U->u, X = 0, E = 0, ref = rg[i].ref, s, e, edge;
	struct fs_find_range r;
	struct fs_finding *fd;

	for (uint32_t k = i; k <= j; k++) {
		X += rg[k].X;
		E += rg[k].E;
	}
	s = rg[i].a * u;
	e = rg[j].b * u;
	/* the edges to the cell, unless they are the recording's own */
	if (i > 0)
		s = refine_edge(c, g, s, u, true);
	if (j + 1 < n)
		e = refine_edge(c, g, e, u, false);
	r.start = fmax(c->first, s);
	r.end = fmin(c->last, e);
	if (r.end <= r.start)
		return 0;
	fd = find__add(c, g, FS_FINDING_SEGMENT);
	if (!fd || find__set_ranges(fd, &r, 1))
		return -1;
	/* at an end: within a unit and a second (2% of a long recording) of it */
	edge = fmax(u + 1, 0.02 * c->T);
	fd->where = r.start - c->first <= edge ? FS_SEGMENT_START :
		    c->last - r.end <= edge ? FS_SEGMENT_END : FS_SEGMENT_MIDDLE;
	fd->duration = r.end - r.start;
	fd->rate = X / E / u;
	fd->base_rate = ref / u;
	fd->lift = ref > 0 ? X / E / ref : INFINITY;
	fd->excess = X - ref * E;
	fd->log10_p = lg10p;
	fd->look = r;
	/* compare with as long a stretch before it (after it, for a start-up) */
	if (fd->where == FS_SEGMENT_START) {
		fd->compare.start = r.end;
		fd->compare.end = fmin(c->last, r.end + fd->duration);
	} else {
		fd->compare.end = r.start;
		fd->compare.start = fmax(c->first, r.start - fd->duration);
	}
	fd->compare_all = fd->compare.end - fd->compare.start < 0.5 / c->R;
	return 0;
}

static int add_shift(struct find_ctx *c, const struct find_group *g, const struct units *U,
		     const struct regime *A, const struct regime *B, bool last, double lg10p)
{
	double u = U->u, ra = rate_of(A), rb = rate_of(B);
	struct fs_find_range r;
	struct fs_finding *fd;

	r.start = fmax(c->first, refine_edge(c, g, B->a * u, u, rb > ra));
	r.end = last ? c->last : fmin(c->last, B->b * u);
	if (r.end <= r.start)
		return 0;
	fd = find__add(c, g, FS_FINDING_SHIFT);
	if (!fd || find__set_ranges(fd, &r, 1))
		return -1;
	fd->duration = r.end - r.start;
	fd->rate = rb / u;
	fd->base_rate = ra / u;
	fd->lift = ra > 0 ? rb / ra : INFINITY;
	fd->excess = B->X - ra * B->E;
	fd->log10_p = lg10p;
	fd->look = r;
	fd->compare.start = fmax(c->first, A->a * u);
	fd->compare.end = fmin(r.start, A->b * u);
	fd->compare_all = fd->compare.end <= fd->compare.start;
	return 0;
}

/* The typical level: the exposure-weighted median rate of the units in use. */
static double typical_rate(const struct units *U, const double *x, const double *e)
{
	double *v = malloc(U->n * sizeof(*v)), *sc = malloc(2 * U->n * sizeof(*sc)), r;

	if (!v || !sc) {
		free(v);
		free(sc);
		return 0;
	}
	for (uint32_t i = 0; i < U->n; i++)
		v[i] = e[i] > 0 ? x[i] / e[i] : 0;
	r = find__wmedian(v, e, U->n, sc);
	free(v);
	free(sc);
	return r;
}

static int classify(struct find_ctx *c, const struct find_group *g, const struct units *U,
		    struct regime *rg, uint32_t n, double base)
{
	uint32_t lmin = (uint32_t)ceil(fmax(10, c->T / 4.0) / U->u);
	double lg_shift = log10(U->n), lg_seg = log10(fmax(1, (double)U->n * U->n / 2));
	int64_t prev_long = -1;

	for (uint32_t i = 0; i < n; i++) {
		bool is_long = rg[i].b - rg[i].a >= lmin;
		int64_t lb = -1, la = -1;

		if (is_long) {
			if (prev_long >= 0) {
				const struct regime *A = &rg[prev_long];
				double lr = lr2(A->X, A->E, rg[i].X, rg[i].E) / U->phi;
				double lg = find__log10_chi2_tail(lr) + lg_shift;

				if (material(c, U, rate_of(A), rate_of(&rg[i])) && lg < lg10_alpha(c) &&
				    fabs(rg[i].X - rate_of(A) * rg[i].E) >= c->o.min_samples &&
				    add_shift(c, g, U, A, &rg[i], i + 1 == n, lg))
					return -1;
			}
			prev_long = i;
			continue;
		}
		for (int64_t k = (int64_t)i - 1; k >= 0 && lb < 0; k--)
			if (rg[k].b - rg[k].a >= lmin)
				lb = k;
		for (uint32_t k = i + 1; k < n && la < 0; k++)
			if (rg[k].b - rg[k].a >= lmin)
				la = k;
		if (lb >= 0 || la >= 0) {
			double X = (lb >= 0 ? rg[lb].X : 0) + (la >= 0 ? rg[la].X : 0);
			double E = (lb >= 0 ? rg[lb].E : 0) + (la >= 0 ? rg[la].E : 0);
			double lr = lr2(rg[i].X, rg[i].E, X, E) / U->phi;

			rg[i].ref = E > 0 ? X / E : 0;
			rg[i].elevated = find__log10_chi2_tail(lr) + lg_seg < lg10_alpha(c);
		} else {
			double lr = find__poisson_lr(rg[i].X, rg[i].E, base) / U->phi;

			rg[i].ref = base;
			rg[i].elevated = find__log10_chi2_tail(lr) + lg_seg < lg10_alpha(c);
		}
		rg[i].elevated = rg[i].elevated && rate_of(&rg[i]) > rg[i].ref &&
				 material(c, U, rate_of(&rg[i]), rg[i].ref) &&
				 rg[i].X - rg[i].ref * rg[i].E >= c->o.min_samples;
	}
	/* runs of elevated short regimes are one segment each */
	for (uint32_t i = 0; i < n; i++) {
		uint32_t j = i;
		double X = 0, E = 0, RX = 0, RE = 0, lr;

		if (!rg[i].elevated)
			continue;
		while (j + 1 < n && rg[j + 1].elevated)
			j++;
		for (uint32_t k = i; k <= j; k++) {
			X += rg[k].X;
			E += rg[k].E;
			RX += rg[k].ref * rg[k].E;
			RE += rg[k].E;
		}
		rg[i].ref = RE > 0 ? RX / RE : 0;
		lr = find__poisson_lr(X, E, rg[i].ref) / U->phi;
		if (add_segment(c, g, U, rg, n, i, j, find__log10_chi2_tail(lr) + lg_seg))
			return -1;
		i = j;
	}
	return 0;
}

static int segments(struct find_ctx *c, const struct find_group *g, const struct units *U)
{
	double *x = calloc(U->n, sizeof(*x)), *e = calloc(U->n, sizeof(*e));
	uint32_t *starts = calloc(U->n + 1, sizeof(*starts));
	struct regime *rg = calloc(U->n + 1, sizeof(*rg));
	int nseg, ret = -1;

	if (!x || !e || !starts || !rg)
		goto out;
	for (uint32_t i = 0; i < U->n; i++) {
		if (U->mask[i] || U->E[i] <= 0)
			continue;
		x[i] = U->X[i];
		e[i] = U->E[i];
	}
	nseg = find__pelt(x, e, U->n, U->phi, 3 * log(fmax(U->n, 2)), starts);
	if (nseg < 0)
		goto out;
	for (int i = 0; i < nseg; i++) {
		rg[i].a = starts[i];
		rg[i].b = i + 1 < nseg ? starts[i + 1] : U->n;
		for (uint32_t k = rg[i].a; k < rg[i].b; k++) {
			rg[i].X += x[k];
			rg[i].E += e[k];
		}
	}
	nseg = (int)merge_regimes(c, U, rg, (uint32_t)nseg);
	ret = nseg > 1 ? classify(c, g, U, rg, (uint32_t)nseg, typical_rate(U, x, e)) : 0;
out:
	free(x);
	free(e);
	free(starts);
	free(rg);
	return ret;
}

/* ---- bursts ---- */

struct burst_eval {
	uint32_t r0, L;
	uint32_t k, n;		/* hot seconds, seconds looked at */
	double lg10p;
};

/*
 * The second a window (r0, L) of second t is judged against: the heat map's
 * column t, or, for a window running past the end of it, the second from
 * the window's start. Usable when fully observed and claimed by no band or
 * one-off segment of the series (their edges would look like bursts).
 * Fills x (the second's samples) and w (the window's).
 */
static bool stretch(const struct find_ctx *c, const bool *claimed, const uint32_t *cum, uint32_t t,
		    uint32_t r0, uint32_t L, uint32_t *x, uint32_t *w)
{
	uint64_t k0 = (uint64_t)t * c->R, k1 = k0 + r0;
	bool wraps = r0 + L > c->R;

	if (c->expo[t] < 0.999 || claimed[t])
		return false;
	if (wraps && (t + 1 >= c->T || c->expo[t + 1] < 0.999 || claimed[t + 1]))
		return false;
	if (wraps)
		k0 = k1;
	*x = cum[k0 + c->R] - cum[k0];
	*w = cum[k1 + L] - cum[k1];
	return true;
}

/* The fewest samples a window of L cells holds to be hot in a second of x. */
static uint32_t hot_min(uint32_t x, uint32_t L, uint32_t R)
{
	double E = (double)x * L / R;

	return (uint32_t)(floor(E) + 1 + floor(sqrt(E)));
}

static bool hot(uint32_t w, uint32_t x, uint32_t L, uint32_t R)
{
	return x && w >= hot_min(x, L, R);
}

static bool rows_overlap(uint32_t a0, uint32_t al, uint32_t b0, uint32_t bl, uint32_t R)
{
	for (uint32_t i = 0; i < al; i++) {
		uint32_t r = (a0 + i) % R;

		if ((r + R - b0) % R < bl)
			return true;
	}
	return false;
}

static int burst_report(struct find_ctx *c, const struct find_group *g, const bool *claimed,
			const uint32_t *cum, const struct burst_eval *b, double ntests)
{
	uint32_t R = c->R, first = UINT32_MAX, last = 0, nr = 0, span = 0, bestw = 0;
	double win = 0, rest = 0;
	/* the shaped window may be hot in more seconds than the tested one was */
	struct fs_find_range *ranges = calloc(c->T + 1, sizeof(*ranges));
	struct fs_finding *fd;
	int ret = -1;

	if (!ranges)
		return -1;
	for (uint32_t t = 0; t < c->T; t++) {
		uint32_t x, w;

		if (!stretch(c, claimed, cum, t, b->r0, b->L, &x, &w) || !hot(w, x, b->L, R))
			continue;
		if (first == UINT32_MAX)
			first = t;
		last = t;
		win += w;
		rest += x - w;
		ranges[nr].start = t + (double)b->r0 / R;
		ranges[nr].end = t + (double)(b->r0 + b->L) / R;
		if (w > bestw) {
			bestw = w;
			span = nr;
		}
		nr++;
	}
	if (nr < MIN_PRESENT) {
		free(ranges);
		return 0;
	}
	{
		double in = win / (nr * (double)b->L), base = rest / (nr * (double)(R - b->L));
		double excess = win - base * nr * b->L;

		if (excess < c->o.min_samples || (base > 0 && in < c->o.min_lift * base)) {
			free(ranges);
			return 0;
		}
		fd = find__add(c, g, FS_FINDING_BURST);
		if (!fd || find__set_ranges(fd, ranges, nr))
			goto out;
		fd->look = ranges[span];
		fd->period = 1;
		fd->offset = (double)b->r0 / R;
		fd->duration = (double)b->L / R;
		fd->present = nr;
		fd->cycles = 0;
		for (uint32_t t = first, x, w; t <= last; t++)
			fd->cycles += stretch(c, claimed, cum, t, b->r0, b->L, &x, &w);
		fd->rate = in * R;
		fd->base_rate = base * R;
		fd->lift = base > 0 ? in / base : INFINITY;
		fd->excess = excess;
		fd->log10_p = b->lg10p + log10(ntests);
		fd->compare_all = true;
	}
	ret = 1;
out:
	free(ranges);
	return ret;
}

/*
 * Hot seconds K and usable seconds N of every window (r0, L), L from lmin:
 * the table of counts. Each second is judged once per offset for the windows
 * within it and once for those running past its end.
 */
static int burst_table(const struct find_ctx *c, const bool *claimed, const uint32_t *cum,
		       uint32_t lmin, uint32_t lmax, uint32_t *K, uint32_t *N)
{
	uint32_t R = c->R, nl = lmax - lmin + 1, xmax = 0, *thr;

	/* hot_min for every length and second's count, computed once */
	for (uint32_t t = 0; t < c->T; t++)
		xmax = c->groups[0].secs[t] > xmax ? c->groups[0].secs[t] : xmax;
	xmax = xmax * 2 + 1;	/* a second from a window's start spans two columns */
	if ((uint64_t)nl * (xmax + 1) > (4u << 20))
		xmax = 0;	/* too many to tabulate: computed each time */
	thr = malloc((size_t)nl * (xmax + 1) * sizeof(*thr));
	if (!thr)
		return -1;
	for (uint32_t L = lmin; L <= lmax; L++)
		for (uint32_t x = 0; x <= xmax; x++)
			thr[(size_t)(L - lmin) * (xmax + 1) + x] = x ? hot_min(x, L, R) : UINT32_MAX;

	for (uint32_t r0 = 0; r0 < R; r0++) {
		uint32_t *k = K + (size_t)r0 * nl, *n = N + (size_t)r0 * nl;	/* [L - lmin] */
		uint32_t lsplit = R - r0 < lmax ? R - r0 : lmax;	/* longest not running past */

		uint32_t lpast = lsplit + 1 > lmin ? lsplit + 1 : lmin, zin = 0, zpast = 0;

		for (uint32_t t = 0, x, w; t < c->T; t++) {
			uint64_t k1 = (uint64_t)t * R + r0;

			/* windows within the column: judged against the column */
			if (lmin <= lsplit && stretch(c, claimed, cum, t, r0, lmin, &x, &w)) {
				zin += !x;	/* no samples: hot for no window (counted below) */
				for (uint32_t L = lmin; x && L <= lsplit; L++) {
					n[L - lmin]++;
					k[L - lmin] += cum[k1 + L] - cum[k1] >= (x <= xmax ?
						       thr[(size_t)(L - lmin) * (xmax + 1) + x] : hot_min(x, L, R));
				}
			}
			/* windows past the column's end: against the second from their start */
			if (lsplit < lmax && stretch(c, claimed, cum, t, r0, lmax, &x, &w)) {
				zpast += !x;
				for (uint32_t L = lpast; x && L <= lmax; L++) {
					n[L - lmin]++;
					k[L - lmin] += cum[k1 + L] - cum[k1] >= (x <= xmax ?
						       thr[(size_t)(L - lmin) * (xmax + 1) + x] : hot_min(x, L, R));
				}
			}
		}
		for (uint32_t L = lmin; L <= lmax; L++)
			n[L - lmin] += L <= lsplit ? zin : zpast;
	}
	free(thr);
	return 0;
}

/* The window whose hot seconds stand out most from the other offsets' of its length. */
static void burst_best(const struct find_ctx *c, const uint32_t *K, const uint32_t *N, uint32_t lmin,
		       uint32_t lmax, uint32_t nactive, const struct burst_eval *taken, uint32_t ntaken,
		       struct burst_eval *best)
{
	uint32_t R = c->R, nl = lmax - lmin + 1;

	for (uint32_t L = lmin; L <= lmax; L++) {
		for (uint32_t r0 = 0; r0 < R; r0++) {
			uint32_t k = K[r0 * nl + L - lmin], nk = N[r0 * nl + L - lmin], m = 0;
			double others = 0, p0, lg;
			bool skip = false;

			for (uint32_t i = 0; i < ntaken && !skip; i++)
				skip = rows_overlap(r0, L, taken[i].r0, taken[i].L, R);
			if (skip || !nk || k < MIN_PRESENT)
				continue;
			/* the hot rate of the offsets not overlapping this window */
			for (uint32_t r = 0; r < R; r++) {
				uint32_t d = (r + R - r0) % R;

				if (d < L || R - d < L || !N[r * nl + L - lmin])
					continue;
				others += (double)K[r * nl + L - lmin] / N[r * nl + L - lmin];
				m++;
			}
			p0 = m ? others / m : 0;
			/* at least a point-like load landing here by chance, in the seconds with any */
			p0 = fmax(p0, (double)L / R * nactive / nk);
			lg = find__log10_binom_tail(nk, fmin(p0, 1), k);
			if (lg < best->lg10p || (lg == best->lg10p && best->L && L < best->L))
				*best = (struct burst_eval){ r0, L, k, nk, lg };
		}
	}
}

/*
 * The window that tests best says there is a burst, not how long it is (at a
 * few samples a burst, a longer window can collect more hot seconds). Its
 * shape: over every usable second (not only those it is hot in, which were
 * chosen by that window), the run of cells around it (and overlapping it)
 * with the largest Poisson scan likelihood ratio against the rest of those
 * seconds' rate (Kulldorff's statistic, X log(X/E) - (X - E)).
 */
static void burst_shape(const struct find_ctx *c, const bool *claimed, const uint32_t *cum,
			uint32_t lmin, uint32_t lmax, struct burst_eval *b)
{
	uint32_t R = c->R, side = b->L > 5 ? b->L : 5, span, nh = 0;
	int64_t lo = -(int64_t)side, hi = b->L + side;
	double rest = 0, best = 0, *row;
	uint32_t a0 = b->r0, len = b->L;

	if (hi - lo > R) {
		lo = -(int64_t)((R - b->L) / 2);
		hi = lo + R;
	}
	span = (uint32_t)(hi - lo);
	row = calloc(span, sizeof(*row));
	if (!row)
		return;
	for (uint32_t t = 0, x, w; t < c->T; t++) {
		int64_t k0 = (int64_t)t * R + b->r0;

		if (!stretch(c, claimed, cum, t, b->r0, b->L, &x, &w))
			continue;
		nh++;
		rest += x - w;
		for (int64_t d = lo; d < hi; d++)
			if (k0 + d >= 0 && k0 + d < (int64_t)c->T * R)
				row[d - lo] += cum[k0 + d + 1] - cum[k0 + d];
	}
	rest /= (double)nh * (R - b->L);	/* samples per cell */
	for (int64_t a = lo; nh && a < b->L; a++) {
		double X = 0;

		for (int64_t e = a + 1; e <= hi && e - a <= lmax; e++) {
			double E, llr;

			X += row[e - 1 - lo];
			if (e <= 0 || e - a < lmin)
				continue;
			E = (e - a) * nh * rest;
			llr = X <= E ? 0 : E > 0 ? X * log(X / E) - (X - E) : X;
			if (llr > best) {
				best = llr;
				a0 = (uint32_t)((b->r0 + a + R) % R);
				len = (uint32_t)(e - a);
			}
		}
	}
	free(row);
	b->r0 = a0;
	b->L = len;
}

static int bursts(struct find_ctx *c, const struct find_group *g, const bool *claimed)
{
	uint32_t R = c->R, lmin = 1, lmax = R / 2, nactive = 0, ntaken = 0;
	uint64_t ncells = (uint64_t)c->T * R;
	uint32_t *cum = malloc((ncells + 1) * sizeof(*cum)), *K = NULL, *N = NULL;
	struct burst_eval taken[MAX_BURSTS];
	double ntests;
	int ret = -1;

	if (!cum)
		goto out;
	/* windows shorter than two sampling intervals alias with the sampling grid */
	if (c->hz > 0)
		lmin = (uint32_t)fmax(1, ceil(2.0 * R / c->hz));
	if (lmin > lmax) {
		ret = 0;
		goto out;
	}
	K = calloc((size_t)R * (lmax - lmin + 1), sizeof(*K));
	N = calloc((size_t)R * (lmax - lmin + 1), sizeof(*N));
	if (!K || !N)
		goto out;
	ntests = (double)R * (lmax - lmin + 1);
	cum[0] = 0;
	for (uint64_t k = 0; k < ncells; k++)
		cum[k + 1] = cum[k] + g->cells[k];
	for (uint32_t t = 0; t < c->T; t++)
		nactive += c->expo[t] >= 0.999 && !claimed[t] && g->secs[t];
	if (burst_table(c, claimed, cum, lmin, lmax, K, N))
		goto out;
	while (ntaken < MAX_BURSTS) {
		struct burst_eval best = { 0, 0, 0, 0, 0 };

		burst_best(c, K, N, lmin, lmax, nactive, taken, ntaken, &best);
		if (!best.L || best.lg10p + log10(ntests) >= lg10_alpha(c))
			break;
		burst_shape(c, claimed, cum, lmin, lmax, &best);
		if (burst_report(c, g, claimed, cum, &best, ntests) < 0)
			goto out;
		/* found, or not material: either way the next round looks elsewhere */
		taken[ntaken++] = best;
	}
	ret = 0;
out:
	free(cum);
	free(K);
	free(N);
	return ret;
}

/* The seconds the series' bands and one-off segments cover. */
static bool *claimed_seconds(const struct find_ctx *c, const struct find_group *g, uint32_t from)
{
	bool *claimed = calloc(c->T + 1, sizeof(*claimed));

	if (!claimed)
		return NULL;
	for (uint32_t i = from; i < c->n; i++) {
		const struct fs_finding *fd = &c->v[i];

		if (fd->pid != g->pid || (fd->kind != FS_FINDING_BAND && fd->kind != FS_FINDING_SEGMENT))
			continue;
		for (uint32_t r = 0; r < fd->nr_ranges; r++)
			for (double t = floor(fd->ranges[r].start); t < fd->ranges[r].end && t < c->T; t++)
				if (t >= 0)
					claimed[(uint32_t)t] = true;
	}
	return claimed;
}

int find__detect(struct find_ctx *c, const struct find_group *g)
{
	uint32_t from = c->n;
	bool *claimed = NULL;
	struct units U;
	int ret = -1;

	if (units__init(&U, c, g) || bands(c, g, &U) || segments(c, g, &U))
		goto out;
	claimed = claimed_seconds(c, g, from);
	if (!claimed || bursts(c, g, claimed))
		goto out;
	ret = 0;
out:
	free(claimed);
	units__exit(&U);
	return ret;
}
