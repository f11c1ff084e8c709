/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * timerange: perf's --time syntax (tools/perf/util/time-utils.c), shared by
 * script, heatmap and flamegraph so they all select the same samples.
 *
 *	"START,STOP"		sec.nsec, fractions right-padded to 9 digits,
 *				either end may be empty (open)
 *	"A,B C,D"		several ranges, separated by spaces
 *	"10%/2"			the 2nd tenth of [first, last] sample time
 *	"0%-10%,30%-40%"	percentage ranges; "10%/1,10%/3" slice lists
 *	"25%"			same as "25%/1"
 *
 *	if (fs_timerange__parse(spec, hdr->first_sample_time,
 *				hdr->last_sample_time, &tr, &err) < 0) ...
 *	if (!fs_timerange__contains(tr, sample.time)) skip;
 *	fs_timerange__delete(tr);
 *
 * As in perf, a time of 0 is always contained, and with --reltime every
 * range (percentages included) is shifted by the first sample time.
 */
#ifndef FS_TIMERANGE_H
#define FS_TIMERANGE_H

#include <stdbool.h>
#include <stdint.h>
#include "api.h"
#include "error.h"

struct fs_timerange {
	uint32_t nr;			/* ranges parsed */
	struct {
		uint64_t start, end;	/* ns; 0 = open end */
	} r[];
};

FS_API int fs_timerange__parse(const char *spec, uint64_t first, uint64_t last,
			       struct fs_timerange **out, struct fs_error *err);
/* Same, with perf script's --reltime meaning (ranges relative to first). */
FS_API int fs_timerange__parse_rel(const char *spec, uint64_t first, uint64_t last, bool reltime,
				   struct fs_timerange **out, struct fs_error *err);
/* perf's "sec.nsec" -> ns; -1 when perf would refuse it. */
FS_API int fs_timerange__parse_time(const char *s, uint64_t *ns);
/* Whether perf would keep a sample at time t (tr may be NULL: all kept). */
FS_API bool fs_timerange__contains(const struct fs_timerange *tr, uint64_t t);
FS_API void fs_timerange__delete(struct fs_timerange *tr);

#endif
