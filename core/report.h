/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * report: FlameScope in one offline HTML file. The page holds the profile
 * (interned frames, the flame tree every sample lands in, per-sample time,
 * thread, cpu, event and stack columns; gzip, read back by the browser's
 * DecompressionStream) and code that draws the heat map and any range's flame
 * graph with the rules of the SVG writers and of fs_flame__from_profile(),
 * so the page's numbers equal the flamescope command's. The heat map it
 * opens with is written too (fs_heatmap__from_profile()'s grid), before the
 * page's code and the data, so it is on screen while the browser still reads
 * the samples. Its JavaScript, CSS
 * and markup are the files under core/report/, embedded at build time; a
 * Content-Security-Policy admits only those (by hash) and no request at all.
 * With findings, the header holds flamescope find's JSON too.
 */
#ifndef FS_REPORT_H
#define FS_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "api.h"
#include "error.h"
#include "profile.h"
#include "view.h"

struct fs_report_opts {
	const char *input;		/* the profile's path, shown in the page and its command lines */
	/*
	 * The command line the page shows for a range starts with these words
	 * (e.g. "flamescope", "flamegraph", "-i", "/abs/perf.data", "--buildid-dir",
	 * ...); the page adds what it picks (event, processes, idle, weight, range).
	 * dlarg: it adds them as perf's "--dlarg KEY=VALUE" instead of "--KEY VALUE".
	 */
	const char *const *command;
	uint32_t nr_command;
	bool dlarg;
	struct fs_fold_opts fold;
	struct fs_heatmap_opts heatmap;	/* rows, step and window of the first view */
	const char *palette;		/* heat map: "flamescope" (default) or "viridis" */
	uint64_t max;			/* top of the heat map's colour scale; 0 = each view's largest cell */
	const char *title;		/* NULL: the input's name */
	const char *colors;		/* flame graph palette (hot, mem, io, java, ...) */
	bool hash;			/* colour frames by name hash */
	bool periods;			/* embed sample periods (weights) even with one event */
	/*
	 * What flamescope find finds (fs_findings__from_profile(), in samples of
	 * the event the page opens with, over the whole time), for the page to
	 * list, outline and select; or, when the finder fails, its message.
	 */
	bool findings;
};

/*
 * Writes the page for the samples f admits by process, thread, comm, cpu,
 * --time and tracepoint filter, of every event, idle ones included: the page
 * picks the event, idle or not and the weight, starting from f's. f's range
 * (has_start, has_end) is selected when the page opens. f must be prepared.
 */
FS_API int fs_report__write(const struct fs_profile *p, const struct fs_filter *f,
			    const struct fs_report_opts *o, FILE *out, struct fs_error *err);

#endif
