/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * kallsyms: reads a /proc/kallsyms-format file ("ADDR TYPE NAME[\t[MODULE]]")
 * (whole, in big reads, in a second thread while the lines read so far are
 * parsed) and parses it as perf's kallsyms__parse() does, malformed lines
 * included: the name is the rest of the line (module column and all), at most
 * 513 bytes. cb returns non-zero to stop.
 */
#ifndef FS_KALLSYMS_H
#define FS_KALLSYMS_H

#include <stddef.h>
#include <stdint.h>
#include "error.h"

typedef int (*fs_kallsyms_cb)(void *arg, const char *name, size_t len, char type, uint64_t addr);

/*
 * 0, the callback's non-zero value, or -1 when the file cannot be read or
 * holds more than 128 MiB (/dev/zero; the callback may have had lines
 * before that shows). A FIFO without a writer reads as empty.
 */
int fs_kallsyms__parse(const char *path, fs_kallsyms_cb cb, void *arg, struct fs_error *err);
/* The address of the first function (T/W) or 'A' symbol called name in path; 0 or -1. */
int fs_kallsyms__find(const char *path, const char *name, uint64_t *addr);

#endif
