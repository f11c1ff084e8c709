// SPDX-License-Identifier: GPL-2.0-only
/*
 * Filters and the heat-map view. Times are compared the way FlameScope does:
 * perf script prints sec.usec and FlameScope parses that into a double, so we
 * build the same double (usec / 1e6 is correctly rounded, as its float() is)
 * and do the same arithmetic, giving the same cells to the last sample.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "idle.h"
#include "strtab.h"
#include "timerange.h"
#include "util.h"
#include "heatmap-int.h"
#include "view.h"

double fs_sample__seconds(const struct fs_profile_sample *s)
{
	return (double)(s->time / 1000) / 1e6;
}

double fs_profile__origin(const struct fs_profile *p)
{
	return p->nr_samples ? floor(fs_sample__seconds(&p->samples[0])) : 0;
}

int fs_filter__prepare(struct fs_filter *f, const struct fs_profile *p, struct fs_error *err)
{
	f->resolved_event = f->event < 0 ? 0 : f->event;
	free(f->comm_ids);
	f->comm_ids = NULL;
	if (!f->nr_comms)
		return 0;
	f->comm_ids = calloc(f->nr_comms, sizeof(*f->comm_ids));
	if (!f->comm_ids)
		return fs_error__set(err, "out of memory");
	for (uint32_t i = 0; i < f->nr_comms; i++) {
		f->comm_ids[i] = UINT32_MAX;
		for (uint32_t id = 0; id < fs_strtab__count(p->strs); id++) {
			if (!strcmp(fs_profile__str(p, id), f->comms[i])) {
				f->comm_ids[i] = id;
				break;
			}
		}
	}
	return 0;
}

void fs_filter__release(struct fs_filter *f)
{
	free(f->comm_ids);
	f->comm_ids = NULL;
}

static bool in_list32(const int32_t *list, uint32_t n, int32_t v)
{
	for (uint32_t i = 0; i < n; i++)
		if (list[i] == v)
			return true;
	return false;
}

bool fs_profile__is_idle(const struct fs_profile *p, const struct fs_profile_sample *s,
			 enum fs_idle_rule rule)
{
	uint8_t want = rule == FS_IDLE_LEAF ? FS_STACK_IDLE_LEAF : FS_STACK_IDLE_ANY;

	return (p->stacks[s->stack].idle & want) && fs_idle__comm(fs_profile__str(p, s->comm));
}

bool fs_filter__match(const struct fs_filter *f, const struct fs_profile *p,
		      const struct fs_profile_sample *s)
{
	if (s->event != f->resolved_event || (s->flags & FS_SAMPLE_FILTERED_OUT))
		return false;
	if (f->nr_pids && !in_list32(f->pids, f->nr_pids, s->pid))
		return false;
	if (f->nr_tids && !in_list32(f->tids, f->nr_tids, s->tid))
		return false;
	if (f->nr_cpus && !in_list32((const int32_t *)f->cpus, f->nr_cpus, (int32_t)s->cpu))
		return false;
	if (f->nr_comms) {
		uint32_t i;

		for (i = 0; i < f->nr_comms; i++)
			if (f->comm_ids[i] == s->comm)
				break;
		if (i == f->nr_comms)
			return false;
	}
	if (f->time && !fs_timerange__contains(f->time, s->time))
		return false;
	if (!f->include_idle && fs_profile__is_idle(p, s, f->idle_rule))
		return false;
	return true;
}

uint64_t fs_filter__weight(const struct fs_filter *f, const struct fs_profile_sample *s)
{
	return f->weight == FS_WEIGHT_SAMPLES ? 1 : s->period < FS_WEIGHT_MAX ? s->period : FS_WEIGHT_MAX;
}

/* Steps a long profile is raised to so its columns fit, in seconds. */
static const double round_steps[] = { 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
				       7200, 14400, 43200, 86400 };

static double fit_step(double step, double span, uint32_t max_columns, bool *raised)
{
	*raised = false;
	if (span / step < max_columns)
		return step;
	for (size_t i = 0; i < ARRAY_SIZE(round_steps); i++) {
		if (round_steps[i] > step && span / round_steps[i] < max_columns) {
			*raised = true;
			return round_steps[i];
		}
	}
	*raised = true;
	return ceil(span / max_columns);
}

struct fs_heatmap *fs_heatmap__from_profile(const struct fs_profile *p, const struct fs_filter *f,
					    const struct fs_heatmap_opts *o, struct fs_error *err)
{
	uint32_t rows = o->rows ? o->rows : 50, max_columns = o->max_columns ? o->max_columns : 2000;
	double origin = o->has_origin ? o->origin : fs_profile__origin(p);
	double step = o->step > 0 ? o->step : 1, from, to, span;
	double last = p->nr_samples ? fs_sample__seconds(&p->samples[p->nr_samples - 1]) - origin : 0;
	struct fs_heatmap *hm;
	uint64_t columns;
	bool raised;

	from = o->has_from ? o->from : 0;
	to = o->has_to ? o->to : last;
	if (from < 0 || to < from)
		return fs_error__set(err, "empty time window %.6f-%.6f s", from, to), NULL;
	if (rows > 100000)
		return fs_error__set(err, "too many rows: %u", rows), NULL;
	span = to - from;
	step = fit_step(step, span, max_columns, &raised);
	columns = (uint64_t)floor(span / step) + 1;
	if (columns > 1000000)
		return fs_error__set(err, "too many columns: %llu", (unsigned long long)columns), NULL;
	hm = fs_heatmap__new(columns, rows, err);
	if (!hm)
		return NULL;
	hm->origin = origin;
	hm->step = step;
	hm->from = from;
	hm->step_raised = raised;
	hm->event = p->nr_events ? p->events[f->resolved_event] : "";
	hm->weight = f->weight == FS_WEIGHT_PERIOD ? "period" :
		     f->weight == FS_WEIGHT_OFFCPU ? "off-CPU ns" : "samples";
	for (uint64_t i = 0; i < p->nr_samples; i++) {
		const struct fs_profile_sample *s = &p->samples[i];
		/* FlameScope: col = floor(ts - floor(start)), row = floor(rows * (ts % 1)). */
		double off = fs_sample__seconds(s) - origin - from;
		uint64_t col, row;

		if (off < 0 || off > to - from || !fs_filter__match(f, p, s))
			continue;
		fs_heatmap__bin(off, step, rows, &col, &row);
		if (col >= columns || row >= rows)
			continue;
		hm->values[col * rows + row] = fs_weight__add(hm->values[col * rows + row],
							      fs_filter__weight(f, s));
		hm->total = fs_weight__add(hm->total, fs_filter__weight(f, s));
		if (hm->values[col * rows + row] > hm->maxvalue)
			hm->maxvalue = hm->values[col * rows + row];
	}
	return hm;
}
