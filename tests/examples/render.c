// SPDX-License-Identifier: GPL-2.0-only
/*
 * render: a heat-map PNG of a perf.data file, in-process, through the
 * installed library only (what a dashboard service would do):
 *
 *   cc render.c $(pkg-config --cflags --libs flamescope) -o render
 *   ./render perf.data heat.png
 */
#include <stdio.h>
#include <flamescope/fs_png.h>
#include <flamescope/view.h>

int main(int argc, char **argv)
{
	struct fs_profile_config cfg = { 0 };
	struct fs_heatmap_style st = { .palette = "flamescope" };
	struct fs_heatmap_opts ho = { 0 };
	struct fs_filter f = { .event = -1 };
	struct fs_error err = { "" };
	struct fs_heatmap *hm = NULL;
	struct fs_profile *p;
	FILE *out = NULL;
	int status = 1;

	if (argc != 3) {
		fprintf(stderr, "usage: render PERF.DATA OUT.png\n");
		return 2;
	}
	cfg.path = argv[1];
	p = fs_profile__load(&cfg, &err);
	if (!p)
		goto out;
	if (!p->nr_samples) {
		fs_error__set(&err, "%s: no samples", argv[1]);
		goto out;
	}
	f.event = p->samples[0].event;	/* as the flamescope command picks it */
	if (fs_filter__prepare(&f, p, &err))
		goto out;
	hm = fs_heatmap__from_profile(p, &f, &ho, &err);
	if (!hm)
		goto out;
	out = fopen(argv[2], "wb");
	if (!out) {
		perror(argv[2]);
		goto out;
	}
	if (fs_png_heatmap__write(hm, &st, out, &err) == 0)
		status = 0;
	if (fclose(out) && !status) {
		perror(argv[2]);
		status = 1;
	}
out:
	if (status && err.msg[0])
		fprintf(stderr, "render: %s\n", err.msg);
	fs_heatmap__delete(hm);
	fs_filter__release(&f);
	fs_profile__delete(p);
	return status;
}
