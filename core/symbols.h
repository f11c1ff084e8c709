/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * symbols: the symbolizer. Turns (dso, address) into the symbol perf would print.
 *
 * A dso is one object perf names in parentheses in `perf script`: a file path,
 * "[kernel.kallsyms]", a module "[name]", "[vdso]", or a JIT map "/tmp/perf-PID.map".
 * Symbols are loaded on first lookup, from the first source perf would use
 * (build-id cache, debug files, the recorded path if its build id matches,
 * kallsyms saved by perf record, /proc/kallsyms when the build id matches the
 * running kernel, perf-PID.map files), sorted once and found by binary search.
 * Names are demangled as perf demangles them and interned: a returned
 * struct fs_symbol and its name live as long as the symbolizer.
 *
 * Addresses given to fs_dso__find_symbol() are in the dso's own space, as
 * perf's map__map_ip() gives them: ip - map start + pgoff for files, the ip
 * itself for the kernel and JIT maps.
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
	const char *name;		/* demangled and interned */
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

/* The dso named name (created on first use); build_id may be NULL or set later by a second call. */
struct fs_dso *fs_symbolizer__dso(struct fs_symbolizer *s, const char *name,
				  const uint8_t *build_id, size_t build_id_size);
/* The symbol holding addr, or NULL ([unknown]). */
const struct fs_symbol *fs_dso__find_symbol(struct fs_symbolizer *s, struct fs_dso *dso, uint64_t addr);
/* Whether the dso's symbols use addresses relative to the file (perf's adjust_symbols aside, all but kernel/JIT). */
bool fs_dso__is_kernel(const struct fs_dso *dso);

#endif
