/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * session: who ran where, over time. Fed the reader's records in delivery
 * order, it keeps threads and their comms (COMM, FORK, EXIT: exec renames,
 * inherited comms) and each process's maps (MMAP, MMAP2, the kernel's and
 * modules' maps, KSYMBOL) as perf keeps them, and resolves a sample's stack
 * to frames with the symbolizer, caching each (map, address) it resolves.
 * The user part of `--call-graph dwarf` samples is unwound (unwind.h) and
 * given perf's inlined frames (inlines.h) as perf's thread__resolve_callchain()
 * does: the kernel's callchain first, then the unwound user frames.
 *
 *	fs_session__process(ss, &ev, &err);		for every record
 *	n = fs_session__resolve(ss, &ev.sample, frames, max);	for a sample
 */
#ifndef FS_SESSION_H
#define FS_SESSION_H

#include <stdint.h>
#include "reader.h"
#include "symbols.h"

struct fs_thread {
	int32_t pid, tid;
	const char *comm;		/* current comm, as perf prints it; interned */
};

/* One resolved frame, as perf script shows it. */
struct fs_frame {
	uint64_t ip;			/* the raw address */
	uint64_t addr;			/* printed address: map-relative for user dsos, the ip otherwise */
	const struct fs_symbol *sym;	/* NULL: [unknown] */
	struct fs_dso *dso;		/* NULL: [unknown] */
	uint64_t map_start;		/* for perf's offset when addr lies past sym->end */
	uint64_t dso_addr;		/* map_ip(ip): what symbol offsets are taken from */
	const struct fs_maps *maps;	/* the map set it is looked up in (opaque) */
	uint64_t maps_gen;		/* that set's version: same (maps_gen, ip), same frame */
	uint8_t cpumode;		/* PERF_RECORD_MISC_KERNEL / _USER ... */
	bool inlined;			/* an inlined function's frame: perf prints "(inlined)", not the dso */
};

/* Set in maps_gen of frames the DWARF unwinder found: they get inlined frames (fs_session__inlines()). */
#define FS_FRAME_UNWOUND	(1ULL << 63)

struct fs_session;
struct fs_maps;

struct fs_session *fs_session__new(const struct fs_header *hdr, struct fs_symbolizer *syms,
				   struct fs_error *err);
void fs_session__delete(struct fs_session *ss);
/* Updates threads and maps from a record; samples are left to the caller. */
int fs_session__process(struct fs_session *ss, const struct fs_event *ev, struct fs_error *err);
/*
 * Whether processing ev may change what a kernel address resolves to (a
 * kernel or module MMAP, a KSYMBOL): a caller holding kernel callchains
 * back must resolve them first.
 */
bool fs_session__changes_kernel_maps(const struct fs_event *ev);
/* Whether processing ev may change what any address resolves to (any record the session keeps). */
bool fs_session__changes_maps(const struct fs_event *ev);
/* Starts reading the kernel's symbols ahead, once its map was seen (fs_symbolizer__prefetch_kernel()). */
void fs_session__prefetch_kernel(struct fs_session *ss);
/* The thread a sample belongs to (created as perf does when unseen). */
struct fs_thread *fs_session__thread(struct fs_session *ss, int32_t pid, int32_t tid);
/*
 * The sample's stack, innermost first, as perf script prints it: the callchain
 * with context markers dropped and capped at max_stack (perf's default 127),
 * then for dwarf samples up to max_stack unwound user frames (frames must
 * hold 2 * max_stack), or the sample ip alone when there is no callchain or
 * perf's unwind fails. Returns the frame count. Inlined frames are not added:
 * see fs_session__inlines().
 */
int fs_session__resolve(struct fs_session *ss, const struct fs_sample *sample,
			struct fs_frame *frames, int max_stack);
/*
 * The sample ip alone, as perf's machine__resolve() finds it (the sample's
 * cpumode, no fallback): what perf script prints for a sample without a
 * callchain. frame->addr is the raw ip there, as perf prints it on one-line
 * samples. Returns the thread, as fs_session__thread().
 */
struct fs_thread *fs_session__resolve_ip(struct fs_session *ss, const struct fs_sample *sample,
					 struct fs_frame *frame);
/*
 * Another address the sample names (its data address), as perf's
 * thread__resolve() finds it: the sample's cpumode, then the other one.
 */
void fs_session__resolve_addr(struct fs_session *ss, const struct fs_sample *sample,
			      uint64_t addr, struct fs_frame *frame);
/*
 * The two halves of fs_session__resolve(), for callers that memoize what they
 * derive from a frame by (maps_gen, ip): _chain() sets only ip, cpumode, maps
 * and maps_gen of each frame (unwinding dwarf samples, so frames must hold
 * 2 * max_stack), or returns -1 when perf's unwind fails and it prints the
 * sample without callchain (use fs_session__resolve_ip()); _fill() resolves
 * one such frame. Map sets are never freed before fs_session__delete(), so a
 * chained frame can be filled later; maps_gen changes whenever its map set
 * changes.
 */
int fs_session__chain(struct fs_session *ss, const struct fs_sample *sample,
		      struct fs_frame *frames, int max_stack);
void fs_session__fill(struct fs_session *ss, struct fs_frame *frame);
/*
 * The frames perf prints for a filled frame, innermost first, when it is an
 * unwound one with inlined functions at its address: each symbol is either
 * frame->sym (the frame itself) or an inlined function's (print the frame
 * with that symbol and inlined set). *n is 0 when the frame prints as it is.
 * Symbols live as long as the session.
 */
const struct fs_symbol *const *fs_session__inlines(struct fs_session *ss, const struct fs_frame *frame,
						  uint32_t *n);
/*
 * Asks for a filled frame's inlined functions without waiting for them: call
 * it for a stack's frames, in the order fs_session__inlines() then gets
 * them, and the lookups overlap (inlines.h).
 */
void fs_session__prefetch_inlines(struct fs_session *ss, const struct fs_frame *frame);

#endif
