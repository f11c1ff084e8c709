/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * symbolizer internals, shared by its files, each one job:
 *   symbols.c         the symbolizer: dsos, their final tables, lookups
 *   symvec.c          the table builder: perf's insert order, fix-ups, names
 *   symtree.c         perf's rb-tree, replayed where symbols overlap
 *   arena.c           the memory names and string tables live in
 *   symbols-path.c    where perf looks for a dso's symbols (symfs, caches, debug dirs)
 *   symbols-user.c    user dsos and [vdso], from ELF files (symbols-elf.c reads them)
 *   symbols-kernel.c  the kernel and its modules: which source, kallsyms
 *   symbols-vmlinux.c the kernel from a vmlinux (symbols-kernel.h)
 *   symbols-kcore.c   the kernel's maps from a kcore (symbols-kernel.h)
 *   symbols-jit.c     JIT maps (/tmp/perf-PID.map)
 * Not an API: only these files include it.
 */
#ifndef FS_SYMBOLS_INT_H
#define FS_SYMBOLS_INT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include "symbols.h"

#define FS_KERNEL_DSO	"[kernel.kallsyms]"

/* ---- arena.c: blocks freed all at once, with the symbolizer ---- */
struct fs_arena_block;
struct fs_kread;

struct fs_arena {
	struct fs_arena_block *head;	/* the block being filled */
};

/* size bytes that live as long as the arena; NULL when out of memory. */
char *fs_arena__alloc(struct fs_arena *a, size_t size);
/* Moves every block of from into to (from is left empty). */
void fs_arena__splice(struct fs_arena *to, struct fs_arena *from);
void fs_arena__free(struct fs_arena *a);

/*
 * ---- symvec.c: the table builder ----
 * perf keeps a dso's symbols in a Linux rb-tree. Its fix-ups only walk the
 * tree in order, and that order is the insertion order stably sorted by
 * start, so the builder keeps a plain array and a sorted index. Where
 * symbols still overlap after the fix-ups (a fixed-up _init spanning the
 * synthesized PLT entries, JIT maps listing an address twice) the symbol
 * perf finds depends on the tree's shape: the builder logs perf's inserts
 * and erases, and the first lookup that lands in an overlap replays them on
 * a copy of lib/rbtree.c's algorithm (symtree.c).
 *
 * Names are not copied per symbol: they point into blocks of the
 * symbolizer's arena (a copy of an ELF string table, a kallsyms buffer) and
 * are demangled (and given "@plt") only when a lookup returns them or perf's
 * choice between two symbols at one address compares them.
 */
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
	bool nomem;			/* an allocation failed: the table is incomplete */
	bool no_demangle;		/* --no-demangle: pushes drop FS_RAWSYM_DEMANGLE */
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
/* The name perf prints for raw with flags FS_RAWSYM_*, in the arena; NULL when out of memory. */
const char *fs_symvec__final_name(struct fs_arena *a, const char *raw, uint8_t flags);
/* perf's symbols__fixup_end() and symbols__fixup_duplicate(). */
int fs_symvec__fixup_end(struct fs_symvec *vec, bool is_kallsyms);
int fs_symvec__fixup_duplicate(struct fs_symvec *vec);
void fs_symvec__free(struct fs_symvec *vec);

/*
 * ---- symtree.c ----
 * perf's rb-tree after nins inserts of starts[] (in order) and the logged
 * erases, mapped onto a table: pos_of[insert] is its index in the table (-1
 * when erased); kids[index] gets its children, *root the root (-1: empty).
 * -1 when out of memory.
 */
int fs_symtree__replay(const uint64_t *starts, size_t nins, const struct fs_symerase *log,
		       size_t nlog, const int32_t *pos_of, int32_t (*kids)[2], int32_t *root);

/* ---- symbols-elf.c: one candidate ELF file (perf's struct symsrc) ---- */
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

/* ---- symbols.c: the symbolizer and its dsos ---- */
struct fs_dso_entry {
	struct fs_dso pub;
	bool loaded;
	struct fs_symbol *syms;		/* in address order */
	uint64_t *starts;		/* syms[i].start, compact for the binary search */
	uint64_t *reach;		/* max over syms[0..i] of where each stops matching */
	uint8_t *lazy;			/* FS_RAWSYM_* still to apply to syms[i].name; NULL: none */
	int32_t (*kids)[2];		/* perf's rb-tree over syms, by index, once replayed */
	int32_t root;
	size_t nr;
	/* what the replay needs, kept only when symbols overlap */
	uint64_t *ins_start;		/* starts in insertion order */
	int32_t *pos_of;		/* inserted node -> index in syms, -1: erased */
	struct fs_symerase *log;
	size_t nins, nlog;
	char *symsrc;			/* perf's symsrc_filename (symbols-files.h) */
	uint64_t text_offset;
};

struct fs_symbolizer {
	char *symfs;			/* "" when none, as perf's symbol_conf.symfs */
	char *buildid_dir;
	char *kallsyms;
	char *vmlinux, *os_release;
	bool no_demangle, demangle_kernel;
	struct fs_arena names;		/* symbol names, string tables */
	struct fs_strtab *dso_names;	/* id == index in dsos */
	struct fs_dso_entry **dsos;
	size_t nr_dsos, alloc_dsos;
	bool kernel_loaded;
	char kernel_note[320];		/* why the kernel has no symbols (fs_symbolizer__note()) */
	char *reloc_name;
	uint64_t reloc_addr;
	uint8_t *vdso;			/* a copy of our own vdso, read once */
	size_t vdso_size;
	bool vdso_read;
	fs_warn_fn *warn;		/* fs_symbolizer__set_warn() */
	void *warn_arg;
	struct fs_error nomem;		/* the first load that ran out of memory */
	/* the kernel's source and maps (symbols-kmap.h), the recording's modules */
	int ksource;			/* enum fs_kernel_source */
	struct fs_kernel_map *kmaps;
	size_t nr_kmaps, alloc_kmaps;
	struct fs_kmodule *modules;
	size_t nr_modules, alloc_modules;
	struct fs_kread *kread;		/* kallsyms read ahead (fs_symbolizer__prefetch_kernel()) */
};

static inline struct fs_dso_entry *fs_dso__entry(struct fs_dso *dso)
{
	return (struct fs_dso_entry *)dso;
}

/* Moves vec's symbols into d's final table, starts less delta; -1 when out of memory. */
int fs_dso__take(struct fs_dso_entry *d, struct fs_symvec *vec, uint64_t delta);
/* A warning through the configured callback (none: dropped). */
void fs_symbolizer__warn(const struct fs_symbolizer *s, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- symbols-path.c ---- */
enum fs_sym_cand {
	FS_CAND_DEBUGLINK, FS_CAND_BUILD_ID_CACHE, FS_CAND_BUILD_ID_CACHE_DEBUG, FS_CAND_FEDORA,
	FS_CAND_UBUNTU, FS_CAND_BUILDID_DEBUGINFO, FS_CAND_SYSTEM_PATH, FS_CAND_OPENEMBEDDED,
	FS_CAND_MIXEDUP_UBUNTU, FS_NR_CAND,
};

static inline bool fs_is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* perf's __symbol__join_symfs(): symfs, a slash when symfs is set, path. */
void fs_symbolizer__join_symfs(const struct fs_symbolizer *s, char *buf, size_t size, const char *path);
/* The path perf's dso__load() tries as candidate c for dso; -1 when c does not apply. */
int fs_symbolizer__candidate(const struct fs_symbolizer *s, const struct fs_dso *dso,
			     enum fs_sym_cand c, char *buf, size_t size);
/* perf's dso__find_kallsyms() without kcore: which kallsyms file to read; -1 when none. */
int fs_symbolizer__kallsyms_path(const struct fs_symbolizer *s, const struct fs_dso *k,
				 char *buf, size_t size);

/*
 * ---- the loaders: symbols-user.c, symbols-jit.c, symbols-kernel.c ----
 * Each fills vec (the kernel's fills the kernel and module dsos itself);
 * 0 also when no symbols were found (a warning says so), -1 only when out
 * of memory.
 */
int fs_symbolizer__load_user(struct fs_symbolizer *s, struct fs_dso_entry *d, struct fs_symvec *vec);
int fs_symbolizer__load_jit(struct fs_symbolizer *s, struct fs_dso_entry *d, struct fs_symvec *vec);
int fs_symbolizer__load_kernel(struct fs_symbolizer *s);
/* Stops and frees a kallsyms read (symbols-kernel.c); NULL is fine. */
void fs_kread__delete(struct fs_kread *kr);

#endif
