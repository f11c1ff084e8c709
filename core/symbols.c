// SPDX-License-Identifier: GPL-2.0-only
/*
 * The symbolizer: one table per dso, built once with perf 6.1's rules
 * (util/symbol.c: dso__load(), symbols__fixup_end(), symbols__fixup_duplicate(),
 * maps__split_kallsyms(), dso__load_perf_map()) and searched by binary search.
 * perf keeps symbols in an rb-tree; a sorted array gives the same answer
 * whenever symbols do not overlap, which perf's fix-ups ensure for all but
 * a few (PLT entries under a fixed-up _init, JIT maps listing an address
 * twice): there the tree is replayed, on the first lookup that needs it.
 * Loading is the cost that matters (every dso of a system-wide profile):
 * no per-symbol allocation, hashing or demangling, one sort per table.
 * This file holds the dsos, their final tables and the lookups; the table
 * builder, the tree replay and the loaders have files of their own (see
 * symbols-int.h). A load that runs out of memory is remembered and
 * reported by fs_symbolizer__check(); a dso without symbols is a warning.
 */
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "strtab.h"
#include "symbols-files.h"
#include "symbols-int.h"
#include "symbols-kernel.h"
#include "util.h"

#define NIL (-1)

static void dso_free_replay(struct fs_dso_entry *d)
{
	free(d->ins_start);
	free(d->log);
	free(d->pos_of);
	d->ins_start = NULL;
	d->log = NULL;
	d->pos_of = NULL;
	d->nins = d->nlog = 0;
}

static void dso_free_table(struct fs_dso_entry *d)
{
	free(d->syms);
	free(d->kids);
	free(d->starts);
	free(d->reach);
	free(d->lazy);
	dso_free_replay(d);
	d->syms = NULL;
	d->kids = NULL;
	d->starts = NULL;
	d->reach = NULL;
	d->lazy = NULL;
	d->nr = 0;
	d->root = NIL;
}

/* Keeps what replaying perf's tree needs: the starts as inserted, the erases. */
static int dso_keep_replay(struct fs_dso_entry *d, struct fs_symvec *t)
{
	d->ins_start = malloc(t->n * sizeof(*d->ins_start));
	d->pos_of = malloc(t->n * sizeof(*d->pos_of));
	if (!d->ins_start || !d->pos_of)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		d->ins_start[i] = t->v[i].start;
		d->pos_of[i] = NIL;
	}
	for (size_t k = 0; k < t->nord; k++)
		d->pos_of[t->ord[k]] = (int32_t)k;
	d->nins = t->n;
	d->log = t->log;
	d->nlog = t->nlog;
	t->log = NULL;
	t->nlog = t->alloc_log = 0;
	return 0;
}

/*
 * Moves the symbols into the dso's final table, in tree order, starts less
 * delta (perf shifts kernel symbols in place: the tree keeps its shape).
 */
int fs_dso__take(struct fs_dso_entry *d, struct fs_symvec *t, uint64_t delta)
{
	uint64_t reach = 0;
	bool overlap = false, lazy = false;
	size_t n;

	dso_free_table(d);
	if (fs_symvec__sort(t))
		return -1;
	n = t->nord;
	if (!n)
		return 0;
	d->syms = malloc(n * sizeof(*d->syms));
	d->starts = malloc(n * sizeof(*d->starts));
	d->reach = malloc(n * sizeof(*d->reach));
	d->lazy = malloc(n);
	if (!d->syms || !d->starts || !d->reach || !d->lazy) {
		dso_free_table(d);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		const struct fs_rawsym *r = &t->v[t->ord[k]];
		uint64_t start = r->start - delta, end = r->end - delta;
		/* r matches [start, end), or just start when empty, nothing when end wrapped */
		uint64_t stop = end > start ? end : end < start ? 0 :
				start == UINT64_MAX ? UINT64_MAX : start + 1;

		d->syms[k].start = start;
		d->syms[k].end = end;
		d->syms[k].name = r->name;
		d->lazy[k] = r->flags;
		lazy |= r->flags != 0;
		d->starts[k] = start;
		if (k && reach > start)
			overlap = true;
		reach = stop > reach ? stop : reach;
		d->reach[k] = reach;
	}
	if (!lazy) {
		free(d->lazy);
		d->lazy = NULL;
	}
	d->nr = n;
	/* only where one address matches two symbols does perf's tree shape matter */
	if (overlap && dso_keep_replay(d, t)) {
		dso_free_table(d);
		return -1;
	}
	return 0;
}

/* Replays perf's inserts and erases (symtree.c) and keeps the tree on the table. */
static int dso_build_tree(struct fs_dso_entry *d)
{
	d->kids = malloc(d->nr * sizeof(*d->kids));
	if (!d->kids || fs_symtree__replay(d->ins_start, d->nins, d->log, d->nlog, d->pos_of,
					   d->kids, &d->root)) {
		free(d->kids);
		d->kids = NULL;
		return -1;
	}
	dso_free_replay(d);
	return 0;
}

/* ---- dsos ---- */

static enum fs_dso_kind kind_of(const char *name)
{
	if (!strcmp(name, FS_KERNEL_DSO))
		return FS_DSO_KERNEL;
	if (!strcmp(name, "[vdso]"))
		return FS_DSO_VDSO;
	if (!strncmp(name, "/tmp/perf-", 10))
		return FS_DSO_JIT;
	/* bracketed names of user mappings are no modules */
	if (!strcmp(name, "[heap]") || !strcmp(name, "[vsyscall]") || !strcmp(name, "[vvar]") ||
	    !strcmp(name, "[uprobes]") || !strncmp(name, "[stack", 6) || !strncmp(name, "[anon", 5))
		return FS_DSO_USER;
	if (name[0] == '[')
		return FS_DSO_MODULE;
	return FS_DSO_USER;
}

static char *dup_or(const char *s, const char *dflt)
{
	return strdup(s && s[0] ? s : dflt);
}

struct fs_symbolizer *fs_symbolizer__new(const struct fs_symbolizer_config *cfg, struct fs_error *err)
{
	struct fs_symbolizer *s = calloc(1, sizeof(*s));
	const char *bdir = cfg ? cfg->buildid_dir : NULL, *home;
	char buf[4096];

	if (!s)
		goto oom;
	if (!bdir || !bdir[0])
		bdir = getenv("PERF_BUILDID_DIR");
	if (!bdir || !bdir[0]) {
		home = getenv("HOME");
		snprintf(buf, sizeof(buf), "%s/.debug", home ? home : "");
		bdir = buf;
	}
	/*
	 * perf's symbol__config_symfs(): --symfs DIR also moves the build-id
	 * cache to DIR/.debug (the local cache is skipped), whatever the
	 * configured or given cache was.
	 */
	if (cfg && cfg->symfs && cfg->symfs[0]) {
		snprintf(buf, sizeof(buf), "%s/.debug", cfg->symfs);
		bdir = buf;
	}
	s->buildid_dir = strdup(bdir);
	/* "/" as the symfs is no symfs at all: perf's paths would be the same */
	s->symfs = dup_or(cfg && cfg->symfs && strcmp(cfg->symfs, "/") ? cfg->symfs : NULL, "");
	s->kallsyms = cfg && cfg->kallsyms ? strdup(cfg->kallsyms) : NULL;
	s->vmlinux = cfg && cfg->vmlinux ? strdup(cfg->vmlinux) : NULL;
	s->os_release = cfg && cfg->os_release ? strdup(cfg->os_release) : NULL;
	s->no_demangle = cfg && cfg->no_demangle;
	s->demangle_kernel = cfg && cfg->demangle_kernel;
	s->dso_names = fs_strtab__new();
	if (!s->buildid_dir || !s->symfs || (cfg && cfg->kallsyms && !s->kallsyms) ||
	    (cfg && cfg->vmlinux && !s->vmlinux) || (cfg && cfg->os_release && !s->os_release) ||
	    !s->dso_names)
		goto oom;
	elf_version(EV_CURRENT);
	return s;
oom:
	fs_symbolizer__delete(s);
	fs_error__set(err, "symbolizer: out of memory");
	return NULL;
}

void fs_symbolizer__delete(struct fs_symbolizer *s)
{
	if (!s)
		return;
	fs_kread__delete(s->kread);	/* first: it may still be reading */
	for (size_t i = 0; i < s->nr_dsos; i++) {
		dso_free_table(s->dsos[i]);
		free(s->dsos[i]->symsrc);
		free(s->dsos[i]);
	}
	free(s->dsos);
	fs_arena__free(&s->names);
	fs_strtab__delete(s->dso_names);
	free(s->symfs);
	free(s->buildid_dir);
	free(s->kallsyms);
	free(s->vmlinux);
	free(s->os_release);
	free(s->kmaps);
	for (size_t i = 0; i < s->nr_modules; i++)
		free(s->modules[i].name);
	free(s->modules);
	free(s->reloc_name);
	free(s->vdso);
	free(s);
}

struct fs_dso *fs_symbolizer__dso(struct fs_symbolizer *s, const char *name,
				  const uint8_t *build_id, size_t build_id_size)
{
	uint32_t id = fs_strtab__add(s->dso_names, name, strlen(name));
	struct fs_dso_entry *d;

	if (id == UINT32_MAX)
		return NULL;
	if (id < s->nr_dsos) {
		d = s->dsos[id];
	} else {
		if (FS_GROW(s->dsos, s->alloc_dsos, s->nr_dsos + 1))
			return NULL;
		d = calloc(1, sizeof(*d));
		if (!d)
			return NULL;
		d->root = NIL;
		d->pub.name = fs_strtab__str(s->dso_names, id);
		d->pub.long_name = d->pub.name;
		d->pub.kind = kind_of(name);
		d->pub.id = id;
		s->dsos[s->nr_dsos++] = d;
	}
	if (build_id && build_id_size) {
		if (build_id_size > sizeof(d->pub.build_id))
			build_id_size = sizeof(d->pub.build_id);
		memcpy(d->pub.build_id, build_id, build_id_size);
		d->pub.build_id_size = (uint8_t)build_id_size;
	}
	return &d->pub;
}

bool fs_dso__is_kernel(const struct fs_dso *dso)
{
	return dso->kind == FS_DSO_KERNEL || dso->kind == FS_DSO_MODULE;
}

void fs_symbolizer__set_warn(struct fs_symbolizer *s, fs_warn_fn *warn, void *arg)
{
	s->warn = warn;
	s->warn_arg = arg;
}

void fs_symbolizer__warn(const struct fs_symbolizer *s, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	if (!s->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	s->warn(s->warn_arg, msg);
}

int fs_symbolizer__check(const struct fs_symbolizer *s, struct fs_error *err)
{
	if (!s->nomem.msg[0])
		return 0;
	return fs_error__set(err, "%s", s->nomem.msg);
}

void fs_symbolizer__set_kernel_reloc(struct fs_symbolizer *s, const char *name, uint64_t addr)
{
	free(s->reloc_name);
	s->reloc_name = name ? strdup(name) : NULL;
	s->reloc_addr = addr;
}

/* ---- lookup ---- */

/* Remembers the first load that ran out of memory: its lookups said [unknown] wrongly. */
static void nomem(struct fs_symbolizer *s, const struct fs_dso_entry *d, const char *what)
{
	if (!s->nomem.msg[0])
		fs_error__set(&s->nomem, "out of memory %s of %s", what, d->pub.name);
}

static void dso_load(struct fs_symbolizer *s, struct fs_dso_entry *d)
{
	struct fs_symvec vec = { .arena = &s->names };
	int ret;

	d->loaded = true;
	if (d->pub.kind == FS_DSO_KERNEL || d->pub.kind == FS_DSO_MODULE) {
		if (!s->kernel_loaded && fs_symbolizer__load_kernel(s))
			nomem(s, d, "loading the kernel's symbols for that");
		return;
	}
	vec.no_demangle = s->no_demangle;
	if (d->pub.kind == FS_DSO_JIT)
		ret = fs_symbolizer__load_jit(s, d, &vec);
	else
		ret = fs_symbolizer__load_user(s, d, &vec);
	if (ret || fs_dso__take(d, &vec, 0))
		nomem(s, d, "loading the symbols");
	fs_symvec__free(&vec);
}

const char *fs_symbolizer__note(const struct fs_symbolizer *s)
{
	return s->kernel_note[0] ? s->kernel_note : NULL;
}

size_t fs_dso__nr_symbols(struct fs_symbolizer *s, struct fs_dso *dso)
{
	struct fs_dso_entry *d = fs_dso__entry(dso);

	if (!d->loaded)
		dso_load(s, d);
	return d->nr;
}

const char *fs_dso__symsrc(struct fs_symbolizer *s, struct fs_dso *dso, uint64_t *text_offset)
{
	struct fs_dso_entry *d = fs_dso__entry(dso);

	if (!d->loaded)
		dso_load(s, d);
	*text_offset = d->text_offset;
	return d->symsrc;
}

/* perf's symbols__find() walk down its rb-tree. */
static const struct fs_symbol *tree_find(const struct fs_dso_entry *d, uint64_t addr)
{
	for (int32_t n = d->root; n != NIL;) {
		const struct fs_symbol *sym = &d->syms[n];

		if (addr < sym->start)
			n = d->kids[n][0];
		else if (addr > sym->end || (addr == sym->end && addr != sym->start))
			n = d->kids[n][1];
		else
			return sym;
	}
	return NULL;
}

/* Gives sym its final name (demangled, "@plt") the first time it is returned. */
static const struct fs_symbol *dso_name(struct fs_symbolizer *s, struct fs_dso_entry *d,
					const struct fs_symbol *sym)
{
	size_t i = (size_t)(sym - d->syms);
	const char *name;

	if (d->lazy && d->lazy[i]) {
		name = fs_symvec__final_name(&s->names, sym->name, d->lazy[i]);
		if (!name) {	/* the raw name, and another try next time; an error at the end */
			nomem(s, d, "demangling the symbols");
			return sym;
		}
		d->syms[i].name = name;
		d->lazy[i] = 0;
	}
	return sym;
}

/*
 * When at most one symbol matches addr, any binary-search-tree walk finds
 * exactly it, so a binary search over the compact start array gives perf's
 * answer; only where symbols overlap does the tree's shape matter.
 */
const struct fs_symbol *fs_dso__find_symbol(struct fs_symbolizer *s, struct fs_dso *dso, uint64_t addr)
{
	struct fs_dso_entry *d = fs_dso__entry(dso);
	const struct fs_symbol *sym;
	size_t lo = 0, hi, n;

	if (!d->loaded)
		dso_load(s, d);
	hi = d->nr;
	while (lo < hi) {	/* lo: the first symbol starting after addr */
		size_t mid = lo + (hi - lo) / 2;

		if (d->starts[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	n = lo - 1;
	if (n > 0 && d->reach[n - 1] > addr && (d->kids || dso_build_tree(d) == 0)) {
		sym = tree_find(d, addr);
	} else {
		if (n > 0 && d->reach[n - 1] > addr)	/* no memory for perf's tree: maybe not its pick */
			nomem(s, d, "replaying the symbol tree");
		sym = &d->syms[n];
		if (addr > sym->end || (addr == sym->end && addr != sym->start))
			sym = NULL;
	}
	return sym ? dso_name(s, d, sym) : NULL;
}
