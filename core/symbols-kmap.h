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

#include <stdbool.h>
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

/*
 * Reads the kernel's kallsyms (kd, [kernel.kallsyms]) in a second thread,
 * up to the fixed-up table, when that is the source its first lookup will
 * use: a load that needs kernel symbols late or rarely (a heat map's idle
 * test) does not wait for them. The lookup takes the table as if it had
 * read it then; modules and the relocation must be noted before this call.
 * Nothing when a vmlinux may be the source or the kernel is loaded.
 */
void fs_symbolizer__prefetch_kernel(struct fs_symbolizer *s, const struct fs_dso *kd);
/* Whether a prefetch is still reading: a lookup now would wait for it. */
bool fs_symbolizer__kernel_pending(const struct fs_symbolizer *s);

#endif
