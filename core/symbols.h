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
 * cfg->kallsyms, else cfg->vmlinux alone, else a vmlinux with the build id
 * in the cache or on perf's vmlinux path (./vmlinux, /boot/vmlinux-RELEASE,
 * /usr/lib/debug/...), else /proc/kallsyms when the build id matches the
 * running kernel (or is unknown), else BUILDID_DIR/[kernel.kallsyms]/BUILDID/kallsyms
 * (no kallsyms at all with a symfs, as perf); a kallsyms file with "kcore"
 * and "modules" beside it that match the recording brings the kcore's maps
 * (the maps that replace the recorded kernel ones; internal, symbols-kmap.h); for JIT
 * maps the recorded path itself
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
#include "api.h"
#include "error.h"

struct fs_symbolizer_config {
	const char *symfs;		/* root prepended to every path looked up; NULL = "/" */
	const char *buildid_dir;	/* NULL = $PERF_BUILDID_DIR, else $HOME/.debug */
	const char *kallsyms;		/* explicit kallsyms file; NULL = cache, then /proc/kallsyms */
	const char *vmlinux;		/* explicit vmlinux (perf's -k): the kernel's symbols, only from it */
	bool no_demangle;		/* perf's --no-demangle */
	bool demangle_kernel;		/* perf's --demangle-kernel (for a vmlinux's symbols) */
	const char *os_release;		/* the recording's uname -r: perf's vmlinux search path */
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
	const char *long_name;		/* perf's: the vmlinux or kcore read for the kernel, else name */
};

struct fs_symbolizer;

FS_API struct fs_symbolizer *fs_symbolizer__new(const struct fs_symbolizer_config *cfg,
						struct fs_error *err);
FS_API void fs_symbolizer__delete(struct fs_symbolizer *s);

/* The dso named name (created on first use); build_id may be NULL or set by a later call, before the first lookup. */
FS_API struct fs_dso *fs_symbolizer__dso(struct fs_symbolizer *s, const char *name,
					 const uint8_t *build_id, size_t build_id_size);
/* The symbol holding addr, or NULL ([unknown]). */
FS_API const struct fs_symbol *fs_dso__find_symbol(struct fs_symbolizer *s, struct fs_dso *dso,
						   uint64_t addr);
/* True for [kernel.kallsyms] and modules (their symbols come from kallsyms, addresses are ips). */
FS_API bool fs_dso__is_kernel(const struct fs_dso *dso);

/*
 * Optional: the kernel's relocation reference from the recording (perf's
 * ref_reloc_sym, e.g. "_text" and the address the kernel MMAP record gives
 * it). When set before the first kernel lookup, kallsyms addresses are shifted
 * by (addr - kallsyms address of name), as perf's kallsyms__delta() does.
 */
FS_API void fs_symbolizer__set_kernel_reloc(struct fs_symbolizer *s, const char *name,
					    uint64_t addr);
/* Number of symbols loaded for dso (loading them if needed); for tests and tools. */
FS_API size_t fs_dso__nr_symbols(struct fs_symbolizer *s, struct fs_dso *dso);
/*
 * Why the kernel has no symbols, once its load was tried, when its idle
 * task is still known by its kernel frames (kallsyms whose every address is
 * 0, as kptr_restrict shows a user without CAP_SYSLOG; a kallsyms file given
 * by name that cannot be used); NULL otherwise. The same line also goes to
 * the warning callback.
 */
FS_API const char *fs_symbolizer__note(const struct fs_symbolizer *s);
/*
 * Warnings (error.h) from loads: a dso whose symbols cannot be found, an
 * unreadable kallsyms or JIT map. Their frames print as [unknown], as perf's.
 */
FS_API void fs_symbolizer__set_warn(struct fs_symbolizer *s, fs_warn_fn *warn, void *arg);
/*
 * 0, or -1 and the message when a load ran out of memory: lookups in that
 * dso said [unknown] (or a raw name) where perf would name a symbol, so
 * results built from them are wrong.
 */
FS_API int fs_symbolizer__check(const struct fs_symbolizer *s, struct fs_error *err);

#endif
