/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal to the symbolizer: the kernel's symbol sources other than
 * kallsyms, as perf 6.1's dso__load_kernel_sym() uses them.
 *
 * symbols-vmlinux.c: a vmlinux ELF's .symtab (perf's dso__load_vmlinux()):
 * .text symbols for [kernel.kallsyms], whose map perf moves to .text; the
 * symbols of every other allocated section for a dso of its own,
 * "[kernel.kallsyms]SECTION", mapped at the section. Addresses come out in
 * ip space (relocated as the recording's reference symbol says).
 *
 * symbols-kcore.c: a kcore (perf's dso__load_kcore()), used when the
 * kallsyms file read is named "kallsyms" and has "kcore" and "modules"
 * beside it that match the recording: its readable PT_LOAD segments become
 * the kernel's maps and every kallsyms symbol (module ones included) moves
 * to [kernel.kallsyms], cut to its segment.
 */
#ifndef FS_SYMBOLS_KERNEL_H
#define FS_SYMBOLS_KERNEL_H

#include <stdbool.h>
#include <stdint.h>
#include "symbols-int.h"
#include "symbols-kmap.h"

struct fs_vmlinux_sec {
	char *name;			/* the section, ".init.text" */
	uint64_t start, end;		/* its map, in ip space */
	struct fs_symvec syms;		/* not fixed up: perf fixes the kernel dso's only */
};

struct fs_vmlinux {
	struct fs_symvec text;		/* [kernel.kallsyms]: fixed up as perf does */
	bool remapped;			/* a .text symbol was seen: the kernel map is .text */
	uint64_t text_start, text_end;
	uint64_t text_shift;		/* what turns a .text symbol's file offset into its ip */
	struct fs_vmlinux_sec *secs;
	size_t nr_secs;
};

/*
 * Loads path as perf loads a vmlinux: 0 with *out filled (vectors on
 * arena), -1 when perf would not use it (no ELF, build id differs from
 * bid when bid_size, no .symtab, no symbol).
 */
int fs_vmlinux__load(const char *path, const uint8_t *bid, size_t bid_size,
		     const char *reloc_name, uint64_t reloc_addr, bool demangle,
		     struct fs_arena *arena, struct fs_vmlinux *out);
void fs_vmlinux__free(struct fs_vmlinux *v);
/* perf's vmlinux search path: candidate i (release: the recording's), or -1 past the last. */
int fs_vmlinux__path(size_t i, const char *release, bool symfs, char *buf, size_t size);

struct fs_kseg {
	uint64_t start, end, pgoff;
};

/* The readable PT_LOAD segments of a kcore, in program header order; -1 when unreadable. */
int fs_kcore__read_maps(const char *path, struct fs_kseg **segs, size_t *nr);

/* Reorders segs as perf uses them: [0] the kernel's own (the smallest holding _stext), then merge order. */
void fs_kcore__order(struct fs_kseg *segs, size_t nr, bool have_stext, uint64_t stext);
/* perf's maps__split_kallsyms_for_kcore(): the symbols of all that lie in segs, pushed to out. */
int fs_kcore__split(struct fs_symvec *all, const struct fs_kseg *segs, size_t nr,
		    struct fs_symvec *out);

/* A module map of the recording, for the check against a kcore's modules file. */
struct fs_kmodule {
	char *name;			/* "[name]" */
	uint64_t start;
};

/* The directory of a kallsyms file named "kallsyms", where perf looks for kcore and modules. */
bool fs_kcore__dir(const char *kallsyms, char *dir, size_t size);
/* perf's validate_kcore_modules(): DIR/modules lists every module at its start. */
bool fs_kcore__modules_match(const char *dir, const struct fs_kmodule *mods, size_t nr);
/* perf's find_matching_kcore(): the first DIR/SUB/kallsyms (by name) that match() accepts; 0 or -1. */
int fs_kcore__find(const char *dir, bool (*match)(void *arg, const char *kallsyms), void *arg,
		   char *buf, size_t size);

typedef int (*fs_module_cb)(void *arg, const char *name, uint64_t start);

/* perf's modules__parse() of a /proc/modules file: "[name]" and start per line; -1 unreadable. */
int fs_kcore__parse_modules(const char *path, fs_module_cb cb, void *arg);

#endif
