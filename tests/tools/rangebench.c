// SPDX-License-Identifier: GPL-2.0-only
/*
 * rangebench FILE [N]: loads FILE once, then builds the flame tree of N ranges
 * (one-second ranges across the profile, then the whole profile) and prints
 * the load time and the slowest and mean range time. Used by scripts/bench-views.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include "view.h"

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	struct fs_profile_config cfg = { .path = argc > 1 ? argv[1] : "perf.data" };
	struct fs_fold_opts fo = { 0 };
	struct fs_error err = { "" };
	int n = argc > 2 ? atoi(argv[2]) : 20;
	double t0 = now(), load, worst = 0, sum = 0, span;
	struct fs_profile *p = fs_profile__load(&cfg, &err);

	if (!p) {
		fprintf(stderr, "rangebench: %s\n", err.msg);
		return 1;
	}
	load = now() - t0;
	span = (p->last_time - p->first_time) / 1e9;
	for (int i = 0; i <= n; i++) {
		struct fs_filter f = { .event = -1 };
		struct fs_flame *fl;
		double t;

		if (i < n) {	/* one-second ranges spread over the profile; the last: everything */
			f.has_start = f.has_end = true;
			f.start = span * i / n;
			f.end = f.start + 1;
		}
		fs_filter__prepare(&f, p, &err);
		t = now();
		fl = fs_flame__from_profile(p, &f, &fo, &err);
		t = now() - t;
		if (!fl) {
			fprintf(stderr, "rangebench: %s\n", err.msg);
			return 1;
		}
		fs_flame__delete(fl);
		fs_filter__release(&f);
		sum += t;
		if (t > worst)
			worst = t;
	}
	printf("samples %llu stacks %u frames %u load %.3f s range mean %.1f ms worst %.1f ms\n",
	       (unsigned long long)p->nr_samples, p->nr_stacks, p->nr_frames, load,
	       1e3 * sum / (n + 1), 1e3 * worst);
	fs_profile__delete(p);
	return 0;
}
