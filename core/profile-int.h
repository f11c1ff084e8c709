/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * profile internals shared by profile.c (loading a file) and window.c (the
 * live window, which interns its samples the same way and compacts what it
 * interned). Not an API: only those files include it.
 */
#ifndef FS_PROFILE_INT_H
#define FS_PROFILE_INT_H

#include "chaincache.h"
#include "idmap.h"
#include "profile.h"
#include "reader.h"
#include "session.h"

struct tp_evsel;
struct fs_pending;

/* What a profile interns with while it is loaded (p->priv until finish). */
struct loader {
	struct fs_profile *p;
	struct fs_idmap frame_ids;	/* symbol or dso pointer -> frame */
	struct fs_idmap named_frames;	/* dso id << 32 | symbol id -> frame (samples added by name) */
	struct fs_idmap stack_ids;	/* parent << 32 | frame -> stack */
	struct fs_idmap comm_ids;	/* comm pointer -> string id */
	struct fs_chaincache *chains;	/* raw callchain -> stack */
	uint64_t *key;			/* scratch: (maps_gen, ip) pairs of a chain */
	uint32_t unknown;		/* "[unknown]" */
	size_t alloc_frames, alloc_stacks, alloc_samples;
	/* tracepoints (config.offcpu, config.tp_filter) */
	const struct fs_profile_config *cfg;
	const struct fs_header *hdr;
	struct fs_symbolizer *syms;
	struct fs_tracepoints *tp;
	struct tp_evsel *tpe;		/* by evsel idx */
	uint32_t nr_tpe;
	uint32_t nr_filtered_events;	/* events the filter was compiled for */
	struct fs_error filter_err;	/* why it did not fit the last event tried */
	struct fs_idmap waiting;	/* tid -> slot in wait[] */
	uint64_t *wait;			/* sample index + 1 of the thread's open switch-out; 0 none */
	uint64_t nr_wait;
	size_t alloc_wait;
	/* config.range_stacks_only: the ns window stacks are resolved in, set at the first sample */
	uint64_t range_from, range_to;
	double range_origin;
	bool range_set, range_missed;	/* missed: a sample came before the origin's second */
	bool unsorted;			/* a sample came before the one pushed before it */
	bool prefetched;		/* first_sample() ran */
	struct fs_pending *pend;	/* chains held for the kernel's symbols (pending.h) */
	uint64_t held_lo, held_hi;	/* samples [lo, hi) may have placeholder stacks */
	const char *idle_comms[32];	/* comm_idle()'s cache: comm pointers, */
	uint32_t idle_comm_bits;	/* and whether each is the idle task's */
};

/*
 * A sample's interned stack, resolved through the session (callchains through
 * l->chains, which needs l->key sized 2 * (max_stack + 1)); UINT32_MAX when
 * out of memory. frames is scratch of max_stack + 1 entries.
 */
uint32_t fs_loader__stack(struct loader *l, struct fs_session *ss, const struct fs_sample *s,
			  struct fs_frame *frames, int max_stack);
/* The string id of a session's comm (interned by pointer); UINT32_MAX when out of memory. */
uint32_t fs_loader__comm(struct loader *l, const char *comm);

#endif
