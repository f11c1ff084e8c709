/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * profile: a perf.data file loaded once into compact, id-based arrays that
 * every view works on without reading the file again.
 *
 * Frames are interned (symbol, dso) pairs; stacks are interned as a prefix
 * tree (a stack is its parent stack plus one frame, outermost first, stack 0
 * the empty one), so a sample is a handful of integers. Samples are sorted by
 * time. Strings live in one table and are referred to by id. Everything is
 * plain arrays, so the profile is easy to serialise.
 */
#ifndef FS_PROFILE_H
#define FS_PROFILE_H

#include <stdbool.h>
#include <stdint.h>
#include "api.h"
#include "error.h"
#include "flame.h"
#include "symbols.h"

struct fs_strtab;
struct fs_filter;

struct fs_profile_frame {
	uint32_t sym;			/* string id of the symbol as perf prints it, "[unknown]" if none */
	uint32_t dso;			/* string id of the dso as perf prints it, "[unknown]" if none */
	uint8_t kind;			/* enum fs_frame_kind, by stackcollapse-perf.pl's dso rules */
	bool idle;			/* the name is one of the idle loop's (see idle.h) */
};

struct fs_profile_stack {
	uint32_t parent;		/* the stack without its innermost frame; 0 = none */
	uint32_t frame;
	uint32_t depth;
	uint8_t idle;			/* FS_STACK_IDLE_*: computed once, so filters need no walk */
};

#define FS_STACK_IDLE_ANY	1	/* some frame is the idle loop's */
#define FS_STACK_IDLE_LEAF	2	/* the innermost frame is */

struct fs_profile_sample {
	uint64_t time;			/* ns of perf time */
	uint64_t period;
	uint32_t stack;			/* innermost stack node */
	int32_t pid, tid;
	uint32_t comm;			/* string id */
	uint32_t cpu;
	uint16_t event;			/* index into events[] */
	uint8_t flags;			/* FS_SAMPLE_*: fills padding, the size stays 40 bytes */
};

#define FS_SAMPLE_FILTERED_OUT	1	/* a tracepoint sample the load's tp_filter rejected */

struct fs_profile {
	struct fs_strtab *strs;
	struct fs_profile_frame *frames;
	uint32_t nr_frames;
	struct fs_profile_stack *stacks;
	uint32_t nr_stacks;
	struct fs_profile_sample *samples;	/* sorted by time */
	uint64_t nr_samples;
	const char **events;		/* sample event names (evsel order) */
	uint64_t *sample_types;		/* per event: its attr's sample_type (what perf script prints) */
	uint32_t nr_events;
	uint64_t first_time, last_time;	/* ns; over every sample of every event */
	uint64_t hdr_first_time, hdr_last_time;	/* HEADER_SAMPLE_TIME, for perf's --time percentages */
	bool offcpu;			/* sched:sched_switch periods hold off-CPU ns (config.offcpu) */
	void *priv;			/* interning tables used while loading */
};

struct fs_profile_config {
	const char *path;		/* perf.data, "-" for stdin */
	struct fs_symbolizer_config syms;
	int max_stack;			/* 0 = perf's default, 127 */
	bool idle_stacks_only;		/* resolve only the idle task's stacks: all a heat map needs */
	/*
	 * Non-NULL: resolve stacks only for the samples in this filter's
	 * FlameScope range (start/end offsets from the first sample's whole
	 * second, view.h), the rest getting the empty stack: all a range's
	 * flame graph needs. Maps and threads are still replayed in full.
	 * Ignored for pipe-mode input (a load may need a second pass).
	 */
	const struct fs_filter *range_stacks_only;
	/*
	 * Off-CPU time: each sched:sched_switch sample's period becomes the ns
	 * until its prev_pid next runs (the next sched_switch whose next_pid is
	 * that thread, on any cpu); 0 for the idle task and for waits that do not
	 * end before the recording does. Computed once, in delivery order.
	 */
	bool offcpu;
	/*
	 * A libtraceevent filter ("prev_state==2") evaluated once per tracepoint
	 * sample at load; rejected samples get FS_SAMPLE_FILTERED_OUT (kept, so
	 * times and off-CPU waits are unchanged). Applied to the event named
	 * tp_filter_event (matched as fs_profile__event() does; an error if the
	 * filter does not fit it), or with NULL to every tracepoint event: those
	 * lacking its fields match nothing (an error if no event has them).
	 */
	const char *tp_filter, *tp_filter_event;
	/* Called every FS_PROFILE_PROGRESS_STEP bytes of records read (NULL = never). */
	void (*progress)(void *arg, uint64_t done, uint64_t total);	/* total 0 = unknown (pipe) */
	void *progress_arg;
	/*
	 * Warnings (error.h): events or samples lost while recording, records
	 * of unknown type or event, dsos without symbols. The profile is right
	 * as far as it goes; NULL: not told. Failures that would make it wrong
	 * (out of memory anywhere) fail the load instead.
	 */
	fs_warn_fn *warn;
	void *warn_arg;
};


#define FS_PROFILE_PROGRESS_STEP	(1u << 20)

FS_API struct fs_profile *fs_profile__load(const struct fs_profile_config *cfg,
					   struct fs_error *err);
FS_API void fs_profile__delete(struct fs_profile *p);

/*
 * Building a profile from samples resolved elsewhere (perf's dlfilter does):
 * new, set_events, add each sample (frames innermost first, by name; s->stack
 * and s->comm are ignored), then finish, which sorts by time and drops the
 * interning tables (-1 when it cannot sort: the profile is unusable then).
 */
FS_API struct fs_profile *fs_profile__new(struct fs_error *err);
FS_API int fs_profile__set_events(struct fs_profile *p, const char *const *names, uint32_t n,
				  struct fs_error *err);
FS_API int fs_profile__add(struct fs_profile *p, const struct fs_profile_sample *s,
			   const char *comm, const char *const *syms, const char *const *dsos,
			   uint32_t nr, struct fs_error *err);
FS_API int fs_profile__finish(struct fs_profile *p, struct fs_error *err);
/* The string with id (symbol, dso, comm names), valid for the profile's life. */
FS_API const char *fs_profile__str(const struct fs_profile *p, uint32_t id);
/* The event index named name ("cpu-clock" matches "cpu-clock:pppH"); -1 if none. */
FS_API int fs_profile__event(const struct fs_profile *p, const char *name);
/* Index of the first sample with time >= t (binary search). */
FS_API uint64_t fs_profile__lower_bound(const struct fs_profile *p, uint64_t t);

#endif
