/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pending: the idle task's kernel callchains, held back while the kernel's
 * symbols are still being read in a second thread (fs_session__prefetch_kernel()),
 * so a heat map's load goes on reading records instead of waiting for them.
 * A held sample gets a placeholder stack (FS_PENDING_STACK | n; equal chains
 * share one). The caller flushes before anything that could change what the
 * chains resolve to: a record for which fs_session__changes_kernel_maps(),
 * and resolving any other stack. Flushed in the order they came, they
 * resolve exactly as they would have when they came.
 */
#ifndef FS_PENDING_H
#define FS_PENDING_H

#include <stdbool.h>
#include <stdint.h>
#include "profile-int.h"

#define FS_PENDING_STACK	(1u << 31)

struct fs_pending;

struct fs_pending *fs_pending__new(void);
void fs_pending__delete(struct fs_pending *p);
/* Whether s can be held: kernel frames alone (a callchain, or the ip), nothing to unwind, room left. */
bool fs_pending__holds(const struct fs_pending *p, const struct fs_sample *s);
/* s's placeholder stack; UINT32_MAX when out of memory. */
uint32_t fs_pending__add(struct fs_pending *p, const struct fs_sample *s);
/* Resolves the held chains, in order, through fs_loader__stack(); -1 when out of memory. */
int fs_pending__flush(struct fs_pending *p, struct loader *l, struct fs_session *ss,
		      struct fs_frame *frames, int max_stack);
/* Puts the stacks in place of the placeholders of samples[0..n) (after the last flush). */
void fs_pending__fix(const struct fs_pending *p, struct fs_profile_sample *samples, uint64_t n);

#endif
