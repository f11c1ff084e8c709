/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * perfmap: JIT symbol maps (/tmp/perf-PID.map, lines "START SIZE NAME", hex
 * numbers as strtoull(, 16) reads them), parsed as perf 6.1's
 * dso__load_perf_map() does: the last character of every line is dropped
 * (the newline, or the last name byte of an unterminated last line), and a
 * line whose name would be shorter than 3 bytes is skipped.
 */
#ifndef FS_PERFMAP_H
#define FS_PERFMAP_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

typedef int (*fs_perfmap_cb)(void *arg, uint64_t start, uint64_t size, const char *name, size_t len);

/*
 * Number of symbols passed to cb, or -1 when the file cannot be opened, is
 * no regular file (a FIFO there would hang us: refused) or cb fails.
 */
int fs_perfmap__parse(const char *path, fs_perfmap_cb cb, void *arg, struct fs_error *err);

#endif
