// SPDX-License-Identifier: GPL-2.0-only
/*
 * The finder's statistics: binomial, normal and chi-square tails in log10
 * (p-values corrected for thousands of tests are tiny), medians, a running
 * median, PELT change points on Poisson counts, and the best split of a run
 * of counts into two rates (to place an edge to the cell).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "find-int.h"

#define LN10	2.302585092994045684
#define PELT_MAX_CANDS	300	/* segment starts PELT keeps: the longest segment, in points */

/* log of the Binomial(n, p) probability of k. */
static double log_binom_pmf(uint64_t n, double p, uint64_t k)
{
	return lgamma((double)n + 1) - lgamma((double)k + 1) - lgamma((double)(n - k) + 1) +
	       (k ? k * log(p) : 0) + (n - k ? (n - k) * log1p(-p) : 0);
}

double find__log10_binom_tail(uint64_t n, double p, uint64_t k)
{
	double lt, sum = 1, term = 1;

	if (k == 0 || p >= 1)
		return 0;
	if (k > n || p <= 0)
		return -INFINITY;
	lt = log_binom_pmf(n, p, k);
	if (k >= n * p) {
		/* terms fall from k on: sum them relative to the first */
		for (uint64_t i = k; i < n; i++) {
			term *= (double)(n - i) / (i + 1) * p / (1 - p);
			sum += term;
			if (term < sum * 1e-16)
				break;
		}
		return (lt + log(sum)) / LN10;
	}
	/* below the mean: 1 - P(X <= k - 1), summing down from k - 1 */
	lt = log_binom_pmf(n, p, k - 1);
	for (uint64_t i = k - 1; i > 0; i--) {
		term *= (double)i / (n - i + 1) * (1 - p) / p;
		sum += term;
		if (term < sum * 1e-16)
			break;
	}
	sum = exp(lt + log(sum));
	return sum >= 1 ? -INFINITY : log1p(-sum) / LN10;
}

double find__log10_norm_tail(double z)
{
	double q;

	if (z < 30) {
		q = 0.5 * erfc(z / M_SQRT2);
		if (q > 0)
			return log10(q);
	}
	/* Mills' ratio: Q(z) ~ phi(z) / z * (1 - 1/z^2 + 3/z^4) */
	return (-z * z / 2 - log(z * sqrt(2 * M_PI)) + log1p(-1 / (z * z) + 3 / (z * z * z * z))) /
	       LN10;
}

double find__log10_chi2_tail(double x)
{
	if (x <= 0)
		return 0;
	return log10(2.0) + find__log10_norm_tail(sqrt(x));
}

/* Twice the log-likelihood ratio of Poisson count x (exposure e) at its own rate against rate. */
double find__poisson_lr(double x, double e, double rate)
{
	double mu = rate * e;

	if (e <= 0)
		return 0;
	if (mu <= 0)
		return x > 0 ? INFINITY : 0;
	return 2 * ((x > 0 ? x * log(x / mu) : 0) - (x - mu));
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

double find__median(double *v, size_t n)
{
	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double find__wmedian(const double *v, const double *w, size_t n, double *scratch)
{
	double total = 0, acc = 0;
	size_t m = 0;

	for (size_t i = 0; i < n; i++) {
		if (w[i] <= 0)
			continue;
		scratch[2 * m] = v[i];
		scratch[2 * m + 1] = w[i];
		total += w[i];
		m++;
	}
	if (!m)
		return 0;
	qsort(scratch, m, 2 * sizeof(*scratch), cmp_double);
	for (size_t i = 0; i < m; i++) {
		acc += scratch[2 * i + 1];
		if (acc >= total / 2)
			return scratch[2 * i];
	}
	return scratch[2 * (m - 1)];
}

/* Sorted-window insertion and removal: O(window) per step, fine for <= a few thousand points. */
static void sorted_insert(double *win, uint32_t *n, double v)
{
	uint32_t lo = 0, hi = *n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (win[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	memmove(win + lo + 1, win + lo, (*n - lo) * sizeof(*win));
	win[lo] = v;
	(*n)++;
}

static void sorted_remove(double *win, uint32_t *n, double v)
{
	uint32_t lo = 0, hi = *n;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;

		if (win[mid] < v)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < *n && win[lo] == v) {
		memmove(win + lo, win + lo + 1, (*n - lo - 1) * sizeof(*win));
		(*n)--;
	}
}

int find__running_median(const double *y, const bool *valid, uint32_t n, uint32_t h, double *out)
{
	double *win = malloc((2 * (uint64_t)h + 2) * sizeof(*win)), last = 0;
	uint32_t m = 0;

	if (!win)
		return -1;
	for (uint32_t i = 0; i < n && i <= h; i++)
		if (valid[i])
			sorted_insert(win, &m, y[i]);
	for (uint32_t i = 0; i < n; i++) {
		if (m)
			last = m % 2 ? win[m / 2] : (win[m / 2 - 1] + win[m / 2]) / 2;
		out[i] = last;
		if (i >= h && valid[i - h])
			sorted_remove(win, &m, y[i - h]);
		if ((uint64_t)i + h + 1 < n && valid[i + h + 1])
			sorted_insert(win, &m, y[i + h + 1]);
	}
	free(win);
	return 0;
}

/* Poisson deviance of a segment with count X and exposure E at its own rate (constants dropped). */
static double seg_cost(double X, double E)
{
	if (X <= 0 || E <= 0)
		return 0;
	return 2 * X * (1 - log(X / E));
}

int find__pelt(const double *x, const double *e, uint32_t n, double phi, double beta,
	       uint32_t *starts)
{
	double *cx = malloc((n + 1) * sizeof(*cx)), *ce = malloc((n + 1) * sizeof(*ce));
	double *F = malloc((n + 1) * sizeof(*F));
	uint32_t *last = malloc((n + 1) * sizeof(*last)), *cand = malloc((n + 1) * sizeof(*cand));
	uint32_t nc = 0, nseg = 0;
	int ret = -1;

	if (!cx || !ce || !F || !last || !cand)
		goto out;
	cx[0] = ce[0] = 0;
	for (uint32_t i = 0; i < n; i++) {
		cx[i + 1] = cx[i] + x[i];
		ce[i + 1] = ce[i] + e[i];
	}
	/* Killick, Fearnhead & Eckley (2012): F(t) = min_s F(s) + C(s, t] + beta, pruned. */
	F[0] = -beta;
	cand[nc++] = 0;
	for (uint32_t t = 1; t <= n; t++) {
		double best = INFINITY;
		uint32_t arg = 0, keep = 0;

		for (uint32_t j = 0; j < nc; j++) {
			uint32_t s = cand[j];
			double v = F[s] + seg_cost(cx[t] - cx[s], ce[t] - ce[s]) / phi + beta;

			if (v < best) {
				best = v;
				arg = s;
			}
		}
		F[t] = best;
		last[t] = arg;
		for (uint32_t j = 0; j < nc; j++) {
			uint32_t s = cand[j];

			if (F[s] + seg_cost(cx[t] - cx[s], ce[t] - ce[s]) / phi <= F[t])
				cand[keep++] = s;
		}
		nc = keep;
		/*
		 * Homogeneous stretches prune nothing: keep the latest PELT_MAX_CANDS
		 * (segments at most that long; the caller merges equal neighbours).
		 */
		if (nc >= PELT_MAX_CANDS) {
			memmove(cand, cand + nc - PELT_MAX_CANDS + 1, (PELT_MAX_CANDS - 1) * sizeof(*cand));
			nc = PELT_MAX_CANDS - 1;
		}
		cand[nc++] = t;
	}
	/* walk back the segment starts, then put them in order */
	for (uint32_t t = n; t > 0; t = last[t])
		starts[nseg++] = last[t];
	for (uint32_t i = 0; i < nseg / 2; i++) {
		uint32_t tmp = starts[i];

		starts[i] = starts[nseg - 1 - i];
		starts[nseg - 1 - i] = tmp;
	}
	ret = (int)nseg;
out:
	free(cx);
	free(ce);
	free(F);
	free(last);
	free(cand);
	return ret;
}

/* Poisson log-likelihood (constants dropped) of X counts over n cells at their own rate. */
static double piece_ll(double X, double n)
{
	return X > 0 && n > 0 ? X * log(X / n) : 0;
}

uint32_t find__split(const double *c, uint32_t n, bool rise)
{
	double total = 0, left = 0, best = -INFINITY;
	uint32_t arg = n / 2;

	for (uint32_t i = 0; i < n; i++)
		total += c[i];
	for (uint32_t s = 1; s < n; s++) {
		double ll;

		left += c[s - 1];
		if (rise ? left / s > (total - left) / (n - s) : left / s < (total - left) / (n - s))
			continue;
		ll = piece_ll(left, s) + piece_ll(total - left, n - s);
		if (ll > best) {
			best = ll;
			arg = s;
		}
	}
	return arg;
}
