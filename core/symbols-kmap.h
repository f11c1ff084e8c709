/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal (not installed): what the session needs from the symbolizer to
 * map kernel addresses as perf does once a vmlinux or a kcore was read.
 * perf replaces the recorded kernel map with the vmlinux's .text (and a map
 * per other section), or with the kcore's segments; it uses a kcore only
 * when the modules beside it sit where the recording had them.
 */
#ifndef FS_SYMBOLS_KMAP_H
#define FS_SYMBOLS_KMAP_H

#include <stddef.h>
#include <stdint.h>
#include "symbols.h"

/* Where the kernel's symbols came from. */
enum fs_kernel_source {
	FS_KERNEL_NONE,			/* not loaded, or nothing found */
	FS_KERNEL_KALLSYMS,		/* perf stretches the kernel's map over them */
	FS_KERNEL_VMLINUX,		/* the kernel's map is .text, other sections get maps */
	FS_KERNEL_KCORE,		/* the kcore's segments are the kernel's only maps */
};

struct fs_kernel_map {
	uint64_t start, end;		/* start == end: keep the recorded range */
	struct fs_dso *dso;
};

/*
 * Once [kernel.kallsyms] is loaded (fs_dso__nr_symbols()): where its symbols
 * came from and, for a vmlinux or a kcore, the maps perf puts in place of
 * the recorded ones, maps[0] the kernel's own (then, for a kcore, the
 * others in the order perf merges them around what it keeps).
 */
enum fs_kernel_source fs_symbolizer__kernel_maps(struct fs_symbolizer *s,
						 const struct fs_kernel_map **maps, size_t *nr);
/*
 * A module map of the recording ("[name]" at start). perf uses a kcore
 * only when the modules file beside it lists each at the same start: give
 * them before the kernel's first lookup. 0, or -1 when out of memory.
 */
int fs_symbolizer__note_module(struct fs_symbolizer *s, const char *name, uint64_t start);

#endif
