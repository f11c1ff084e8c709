/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pending: callchains held back while the kernel's symbols are still being
 * read in a second thread (fs_session__prefetch_kernel()), so a load goes
 * on reading records instead of waiting for them: a heat map's (the idle
 * task's kernel chains) or a range's (its samples' chains). A held sample
 * gets a placeholder stack (FS_PENDING_STACK | n; equal chains share one).
 * The caller flushes before anything that could change what the held
 * chains resolve to (fs_pending__must_flush(), and resolving any other
 * stack): flushed in the order they came, they resolve exactly as they
 * would have when they came.
 */
#ifndef FS_PENDING_H
#define FS_PENDING_H

#include <stdbool.h>
#include <stdint.h>
#include "profile-int.h"

#define FS_PENDING_STACK	(1u << 31)

struct fs_pending;

/* kernel_only: hold kernel frames alone (what a heat map's idle test needs). */
struct fs_pending *fs_pending__new(bool kernel_only);
void fs_pending__delete(struct fs_pending *p);
/* Whether s can be held: its frames (a callchain, or the ip) need nothing to unwind, room left. */
bool fs_pending__holds(const struct fs_pending *p, const struct fs_sample *s);
/* Whether ev may change what a held chain resolves to: flush before processing it. */
bool fs_pending__must_flush(const struct fs_pending *p, const struct fs_event *ev);
/* s's placeholder stack; UINT32_MAX when out of memory. */
uint32_t fs_pending__add(struct fs_pending *p, const struct fs_sample *s);
/* Resolves the held chains, in order, through fs_loader__stack(); -1 when out of memory. */
int fs_pending__flush(struct fs_pending *p, struct loader *l, struct fs_session *ss,
		      struct fs_frame *frames, int max_stack);
/* Puts the stacks in place of the placeholders of samples[0..n) (after the last flush). */
void fs_pending__fix(const struct fs_pending *p, struct fs_profile_sample *samples, uint64_t n);

#endif
