/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Which files perf reads for a user dso besides its symbols, for the
 * unwinder (unwind.c) and the inline lookups (inlines.c). Implemented in
 * symbols-user.c, next to the candidate loop that finds them. Internal:
 * not installed, not exported.
 */
#ifndef FS_SYMBOLS_FILES_H
#define FS_SYMBOLS_FILES_H

#include <stddef.h>
#include <stdint.h>
#include "symbols.h"

/*
 * For perf's inline lookups (srcline.c): the file a user dso's symbol table
 * was read from (perf's symsrc_filename; NULL when only a dynsym was found)
 * and its text_offset (.text sh_addr - sh_offset of the runtime image), which
 * turns a map-relative address into the one addr2line is asked about.
 * Loads the dso's symbols if needed.
 */
const char *fs_dso__symsrc(struct fs_symbolizer *s, struct fs_dso *dso, uint64_t *text_offset);
/*
 * perf's dso data file, which its unwinder reads .eh_frame_hdr and memory
 * from: BUILDID_DIR/.build-id/xx/rest/elf (or vdso) when the build id is known
 * and the file exists, else the recorded path under the symfs; for [vdso]
 * that is perf's copy of its own vdso: ours (*image; none with a symfs).
 * 0 with path or image set.
 */
int fs_symbolizer__data_file(struct fs_symbolizer *s, const struct fs_dso *dso, char *path,
			     size_t size, const void **image, size_t *image_size);

#endif
