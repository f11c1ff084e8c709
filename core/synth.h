/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * synth: the records `perf record` synthesizes for what already runs when
 * it starts, read from /proc: the kernel's map ("[kernel.kallsyms]_text"
 * from _text to _etext, an MMAP with cpumode kernel and pgoff = _text, as
 * perf writes it), one MMAP per module (/proc/modules), and for each
 * process a COMM per thread and an MMAP2 per executable map (anonymous
 * ones as "//anon", which the session names /tmp/perf-PID.map as perf does).
 *
 * Each record gets trailer zero bytes appended: the sample_id_all trailer
 * perf leaves zeroed in synthesized records (time 0: delivered first).
 * Processes that vanish while being read are skipped, not errors.
 */
#ifndef FS_SYNTH_H
#define FS_SYNTH_H

#include <stdint.h>
#include <perf/event.h>
#include "error.h"

/* Called for each record; non-zero stops (and is returned). */
typedef int (*fs_synth_cb)(void *arg, const union perf_event *ev);

/* The kernel's and modules' maps (none when kallsyms hides addresses). */
int fs_synth__kernel(const char *kallsyms, uint16_t trailer, fs_synth_cb cb, void *arg);
/* One process (all its threads); 0 when it is gone. */
int fs_synth__process(int32_t pid, uint16_t trailer, fs_synth_cb cb, void *arg);
/* Every process in /proc. */
int fs_synth__all(uint16_t trailer, fs_synth_cb cb, void *arg);

#endif
