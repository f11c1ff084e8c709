/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * idle: which samples are the idle loop. The one place the rule lives.
 *
 * FlameScope drops a sample whose comm is swapper and whose stack has a frame
 * matching cpuidle|cpu_idle|cpu_bringup_and_idle|native_safe_halt|
 * xen_hypercall_sched_op|xen_hypercall_vcpu_op; we add the idle frames of
 * today's kernels. The "leaf" rule looks only at the innermost frame, so
 * interrupt and softirq work done on an idle CPU is kept.
 */
#ifndef FS_IDLE_H
#define FS_IDLE_H

#include <stdbool.h>

/* Whether a symbol name is one of the idle loop's (substring match, as FlameScope's regex). */
bool fs_idle__frame(const char *name);
/* Whether comm is the idle task's. */
bool fs_idle__comm(const char *comm);

#endif
