/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * symbols: the symbolizer. Turns (dso, address) into the symbol perf would print.
 *
 * A dso is one object perf names in parentheses in `perf script`: a file path,
 * "[kernel.kallsyms]", a module "[name]", "[vdso]", or a JIT map "/tmp/perf-PID.map".
 * Symbols are loaded on first lookup, from the sources perf 6.1 would use:
 * for files and [vdso], the first of .gnu_debuglink, the build-id cache
 * (BUILDID_DIR/.build-id/xx/rest/elf|debug|vdso), /usr/lib/debug files and
 * the recorded path (under the symfs) whose build id matches; for the kernel,
 * cfg->kallsyms, else /proc/kallsyms when the build id matches the running
 * kernel (or is unknown), else BUILDID_DIR/[kernel.kallsyms]/BUILDID/kallsyms
 * (none at all with a symfs, as perf); for JIT maps the recorded path itself
 * (not under the symfs, as perf). Tables replay perf's rb-tree and its
 * fix-ups; names are demangled as perf demangles them (when first returned):
 * a returned struct fs_symbol and its name live as long as the symbolizer.
 *
 * Addresses given to fs_dso__find_symbol():
 *   FS_DSO_USER, FS_DSO_VDSO: perf's map__map_ip(), ip - map start + map pgoff
 *     (symbols are file offsets, as perf's adjust_symbols makes them);
 *   FS_DSO_KERNEL, FS_DSO_MODULE, FS_DSO_JIT: the sample ip itself.
 * Build ids (from the BUILD_ID header feature, or MMAP2 records carrying
 * one) must be given before a dso's first lookup: without one, perf (and we)
 * read the build id of the file at the recorded path, so a moved or replaced
 * binary only resolves through the cache when the build id is given.
 */
#ifndef FS_SYMBOLS_H
#define FS_SYMBOLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "error.h"

struct fs_symbolizer_config {
	const char *symfs;		/* root prepended to every path looked up; NULL = "/" */
	const char *buildid_dir;	/* NULL = $PERF_BUILDID_DIR, else $HOME/.debug */
	const char *kallsyms;		/* explicit kallsyms file; NULL = cache, then /proc/kallsyms */
};

enum fs_dso_kind {
	FS_DSO_USER,			/* an ELF file */
	FS_DSO_KERNEL,			/* [kernel.kallsyms] */
	FS_DSO_MODULE,			/* [name] */
	FS_DSO_VDSO,			/* [vdso] */
	FS_DSO_JIT,			/* /tmp/perf-PID.map */
};

struct fs_symbol {
	uint64_t start, end;		/* in the dso's space; end as perf fixes it up */
	const char *name;		/* demangled; stable for the symbolizer's life */
};

struct fs_dso {
	const char *name;		/* as perf prints it */
	enum fs_dso_kind kind;
	uint8_t build_id[20];
	uint8_t build_id_size;		/* 0: unknown */
	uint32_t id;			/* dense index, for callers' side tables */
};

struct fs_symbolizer;

struct fs_symbolizer *fs_symbolizer__new(const struct fs_symbolizer_config *cfg, struct fs_error *err);
void fs_symbolizer__delete(struct fs_symbolizer *s);

/* The dso named name (created on first use); build_id may be NULL or set by a later call, before the first lookup. */
struct fs_dso *fs_symbolizer__dso(struct fs_symbolizer *s, const char *name,
				  const uint8_t *build_id, size_t build_id_size);
/* The symbol holding addr, or NULL ([unknown]). */
const struct fs_symbol *fs_dso__find_symbol(struct fs_symbolizer *s, struct fs_dso *dso, uint64_t addr);
/* True for [kernel.kallsyms] and modules (their symbols come from kallsyms, addresses are ips). */
bool fs_dso__is_kernel(const struct fs_dso *dso);

/*
 * Optional: the kernel's relocation reference from the recording (perf's
 * ref_reloc_sym, e.g. "_text" and the address the kernel MMAP record gives
 * it). When set before the first kernel lookup, kallsyms addresses are shifted
 * by (addr - kallsyms address of name), as perf's kallsyms__delta() does.
 */
void fs_symbolizer__set_kernel_reloc(struct fs_symbolizer *s, const char *name, uint64_t addr);
/* Number of symbols loaded for dso (loading them if needed); for tests and tools. */
size_t fs_dso__nr_symbols(struct fs_symbolizer *s, struct fs_dso *dso);

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

/*
 * Internal: the table builder shared by symbols*.c. perf keeps a dso's
 * symbols in a Linux rb-tree. Its fix-ups only walk the tree in order, and
 * that order is the insertion order stably sorted by start, so the builder
 * keeps a plain array and a sorted index. Where symbols still overlap after
 * the fix-ups (a fixed-up _init spanning the synthesized PLT entries, JIT
 * maps listing an address twice) the symbol perf finds depends on the tree's
 * shape: the builder logs perf's inserts and erases, and the first lookup
 * that lands in an overlap replays them on a copy of lib/rbtree.c's algorithm.
 *
 * Names are not copied per symbol: they point into blocks of the
 * symbolizer's arena (a copy of an ELF string table, a kallsyms buffer) and
 * are demangled (and given "@plt") only when a lookup returns them or perf's
 * choice between two symbols at one address compares them.
 */
struct fs_arena;

/* size bytes that live as long as the arena; NULL when out of memory. */
char *fs_arena__alloc(struct fs_arena *a, size_t size);

enum {
	FS_RAWSYM_DEMANGLE = 1,		/* name is raw: demangle it as perf does */
	FS_RAWSYM_PLT = 2,		/* append "@plt" (after demangling) */
};

struct fs_rawsym {
	uint64_t start, end;
	const char *name;		/* lives in the arena */
	uint32_t namelen;		/* of the final name: valid when flags == 0 */
	uint8_t binding;		/* STB_LOCAL, STB_GLOBAL, STB_WEAK */
	uint8_t flags;			/* FS_RAWSYM_*: what the name still needs */
	bool bracket;			/* kallsyms: the name has a '[' (a module's) */
};

struct fs_symerase {
	uint32_t before;		/* erased when this many nodes were inserted */
	int32_t node;
};

struct fs_symvec {
	struct fs_rawsym *v;		/* in insertion order, erased ones included */
	size_t n, alloc;
	int32_t *ord;			/* live nodes < nsorted, in perf's tree order */
	size_t nord, nsorted;
	struct fs_symerase *log;	/* perf's rb_erase() calls, in order */
	size_t nlog, alloc_log;
	struct fs_arena *arena;
};

/* perf's symbol__new() (end = len ? start + len : start) then rb-tree insert; name must outlive vec. */
int fs_symvec__push(struct fs_symvec *vec, uint64_t start, uint64_t len, uint8_t binding,
		    uint8_t flags, const char *name, size_t namelen);
/* Brings ord up to date with every push; -1 when out of memory. */
int fs_symvec__sort(struct fs_symvec *vec);
/* Logs rb_erase() of node (the caller drops it from ord). */
int fs_symvec__log_erase(struct fs_symvec *vec, int32_t node);
/* The final name of node i (demangled, "@plt"), computed once; NULL when out of memory. */
const char *fs_symvec__name(struct fs_symvec *vec, int32_t i);
/* perf's symbols__fixup_end() and symbols__fixup_duplicate(). */
int fs_symvec__fixup_end(struct fs_symvec *vec, bool is_kallsyms);
int fs_symvec__fixup_duplicate(struct fs_symvec *vec);
void fs_symvec__free(struct fs_symvec *vec);

/* Internal: one candidate ELF file (perf's struct symsrc), core/symbols-elf.c. */
struct fs_elf;

/* NULL unless path is an ELF file whose build id equals bid (when bid_size > 0). */
struct fs_elf *fs_elf__open(const char *path, const uint8_t *bid, size_t bid_size);
/* The same for an ELF image in memory (perf's copy of its own vdso); image must outlive it. */
struct fs_elf *fs_elf__open_image(void *image, size_t size, const uint8_t *bid, size_t bid_size);
void fs_elf__close(struct fs_elf *e);
bool fs_elf__has_symtab(const struct fs_elf *e);
bool fs_elf__has_dynsym(const struct fs_elf *e);
/* .text's sh_addr - sh_offset (perf's dso->text_offset); 0 without .text. */
uint64_t fs_elf__text_offset(const struct fs_elf *e);
/* perf's dso__load_sym() for a user dso: names from syms, addresses adjusted with runtime. */
int fs_elf__load(struct fs_elf *syms, struct fs_elf *runtime, struct fs_symvec *vec);
/* perf's dso__synthesize_plt_symbols(): "name@plt" for each PLT slot of runtime. */
int fs_elf__synthesize_plt(struct fs_elf *runtime, struct fs_symvec *vec);

#endif
