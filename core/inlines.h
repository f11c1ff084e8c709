/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * inlines: the "(inlined)" frames perf 6.1 adds to the frames its DWARF
 * unwinder finds (util/machine.c append_inlines(), on by default). This
 * perf is built without libbfd, so util/srcline.c asks binutils' addr2line,
 * one `addr2line -e FILE -i -f` process per dso, FILE being the file its
 * symbols came from. We read FILE's DWARF with libdw where that gives
 * addr2line's answer for sure (inlines-dw.h), and elsewhere ask addr2line as
 * perf does, with the same requests and the same reading of the answers.
 * Answers are kept per (dso, address) for the life of the object.
 *
 * For a frame whose symbol is sym at map-relative address addr, the frames
 * perf prints are, innermost first, one per function addr2line names: sym
 * itself where the (demangled) name is sym's, else an inlined frame, a
 * symbol with that name and sym's range, which perf prints with
 * "(inlined)" in place of the dso. No answer (addr2line missing or silent,
 * a dso named "[...]" or a JIT map) leaves the frame as it is.
 */
#ifndef FS_INLINES_H
#define FS_INLINES_H

#include <stdint.h>
#include "symbols.h"

struct fs_inlines;

struct fs_inlines *fs_inlines__new(struct fs_symbolizer *syms);
/* Ends the addr2line processes. */
void fs_inlines__delete(struct fs_inlines *in);
/*
 * The symbols of the frames perf prints for sym at addr (map-relative) of
 * dso, innermost first; *n is 0 when the frame stays as it is. The array and
 * symbols live as long as in.
 */
const struct fs_symbol *const *fs_inlines__find(struct fs_inlines *in, struct fs_dso *dso,
					       const struct fs_symbol *sym, uint64_t addr,
					       uint32_t *n);
/*
 * Sends the request fs_inlines__find() would make for (dso, sym, addr) without
 * waiting for the answer: call it for each of a sample's frames, in the
 * order they are then found, and the children of several dsos work at once,
 * each answering several requests per round trip. Requests go to each
 * child in the order they would have gone, so the answers are the same
 * (addr2line's answers depend on the requests before).
 */
void fs_inlines__prefetch(struct fs_inlines *in, struct fs_dso *dso, const struct fs_symbol *sym,
			  uint64_t addr);

#endif
