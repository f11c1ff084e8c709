/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * unwind: the user part of `perf record --call-graph dwarf` samples, unwound
 * as Debian's perf 6.1 unwinds it (util/unwind-libunwind-local.c; that perf
 * is built with libunwind, which it prefers to libdw, and without libunwind's
 * .debug_frame support): libunwind's remote x86_64 unwinder is fed the
 * sample's user registers and its copy of the user stack; unwind tables are
 * each dso's .eh_frame_hdr search table and .eh_frame, read from the dso's
 * data file (fs_symbolizer__data_file()) as is any memory outside the stack
 * copy. Data files are opened and mapped once per dso; libunwind caches what
 * it derives per process (one address space per process, as perf keeps one
 * per map set). Everything read from a sample or a file is bounds-checked.
 *
 *	u = fs_unwinder__new(syms, hdr->arch);
 *	... fs_unwinder__prepare(u, dso) at each user map a process gets,
 *	    until it says true: only then does perf unwind that process ...
 *	sp = fs_unwinder__space(u);		once per process, before its first sample
 *	n = fs_unwinder__unwind(u, sp, &proc, sample, ips, max);
 */
#ifndef FS_UNWIND_H
#define FS_UNWIND_H

#include <stdbool.h>
#include <stdint.h>
#include "reader.h"
#include "symbols.h"

/* A map of the sampled process, as the session keeps it. */
struct fs_unwind_map {
	uint64_t start, end, pgoff;
	struct fs_dso *dso;		/* NULL: none */
	bool identity;			/* map_ip(addr) == addr (anon memory) */
};

/* How the unwinder sees the sampled process: its maps, in address order. */
struct fs_unwind_proc {
	/* The map holding addr (perf's thread__find_map(), user mode); false when none. */
	bool (*find_map)(void *arg, uint64_t addr, struct fs_unwind_map *map);
	/* Calls fn for each map in address order. */
	void (*for_each_map)(void *arg, void (*fn)(void *ctx, const struct fs_unwind_map *map),
			     void *ctx);
	void *arg;
	uint64_t gen;			/* the maps' version: unwinds are memoised per version */
};

struct fs_unwinder;
struct fs_unwind_space;

/* arch: the recording's HEADER_ARCH (uname -m), NULL when absent. */
struct fs_unwinder *fs_unwinder__new(struct fs_symbolizer *syms, const char *arch);
void fs_unwinder__delete(struct fs_unwinder *u);
/*
 * perf's unwind__prepare_access() for a map of dso entering a process's maps:
 * true once perf would register its x86_64 unwinder for that process (the
 * dso's data file is a 64-bit ELF; 32-bit ones have no unwinder in this perf).
 */
bool fs_unwinder__prepare(struct fs_unwinder *u, struct fs_dso *dso);
/* A process's address space (libunwind's and its cache); NULL when out of memory. */
struct fs_unwind_space *fs_unwinder__space(struct fs_unwinder *u);
void fs_unwind_space__delete(struct fs_unwind_space *sp);
/* Forgets what the space cached (perf does it when the process execs). */
void fs_unwind_space__flush(struct fs_unwind_space *sp);
/*
 * perf's get_entries(): ips[0] is the sample's user IP, then each caller's
 * return address less one (none for signal frames), at most max in all;
 * zero entries are perf's to skip. Returns the count, or -1 where perf's
 * unwind fails (no IP or SP register, sp NULL, max < 1): perf then prints
 * the sample without any callchain. Samples without user registers or stack
 * bytes give 0.
 */
int fs_unwinder__unwind(struct fs_unwinder *u, struct fs_unwind_space *sp,
			const struct fs_unwind_proc *proc, const struct fs_sample *s,
			uint64_t *ips, int max);
/*
 * Whether DWARF callchains of a recording made on arch (HEADER_ARCH, NULL
 * when absent) get unwound: only x86_64 ones (Debian's perf 6.1 on x86_64
 * has no other libunwind target; without an arch it assumes its own).
 */
bool fs_unwind__arch_supported(const char *arch);
/* Samples whose unwind was found memoised, and those unwound by libunwind. */
void fs_unwinder__stats(const struct fs_unwinder *u, uint64_t *hits, uint64_t *misses);

#endif
