// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel and its modules, from the source perf 6.1's
 * dso__load_kernel_sym() picks: --kallsyms, -k/--vmlinux, a vmlinux in the
 * build-id cache or on perf's vmlinux path (symbols-vmlinux.c), else one read
 * of kallsyms (symbols-path.c), fixed up as perf fixes it up, then either
 * cut to the segments of a kcore beside it (symbols-kcore.c) or split as
 * maps__split_kallsyms() splits it: module symbols go to their "[module]"
 * dsos, kernel symbols stay, shifted by the relocation the recording gives.
 */
#include <elf.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buildid.h"
#include "kallsyms.h"
#include "symbols-kernel.h"
#include "util.h"

#define ENTRY_TRAMPOLINE "__entry_SYSCALL_64_trampoline"

struct kload {
	struct fs_symvec *vec;
	const char *reloc_name;		/* perf's kallsyms__get_function_start() of it */
	bool reloc_found;
	uint64_t nonzero;		/* lines with an address: 0 when kptr_restrict hides them */
	uint64_t reloc_addr;
	atomic_bool *stop;		/* set: the read is no longer wanted */
};

/* perf reads kallsyms twice (symbols, then the reloc symbol): one pass does both. */
static int kallsyms_cb(void *arg, const char *name, size_t len, char type, uint64_t addr)
{
	struct kload *kl = arg;
	char t = (char)(type & ~0x20), *p;
	uint8_t bind;

	if (atomic_load_explicit(kl->stop, memory_order_relaxed))
		return -1;
	kl->nonzero += addr != 0;
	/* perf's find_symbol_cb(): the first function, or an 'A' alias as _text can be */
	if (kl->reloc_name && !kl->reloc_found && (t == 'T' || t == 'W' || type == 'A') &&
	    !strcmp(name, kl->reloc_name)) {
		kl->reloc_found = true;
		kl->reloc_addr = addr;
	}
	if (t != 'T' && t != 'W' && t != 'D' && t != 'B')
		return 0;
	if (name[0] == '$')
		return 0;
	bind = type == 'W' ? STB_WEAK : (type >= 'A' && type <= 'Z') ? STB_GLOBAL : STB_LOCAL;
	len = strlen(name);	/* perf keeps the name as a C string: a NUL byte ends it */
	p = fs_arena__alloc(kl->vec->arena, len + 1);
	if (!p) {
		kl->vec->nomem = true;
		return -1;
	}
	memcpy(p, name, len + 1);
	if (fs_symvec__push(kl->vec, addr, 0, bind, 0, p, len))
		return -1;
	kl->vec->v[kl->vec->n - 1].bracket = memchr(p, '[', len) != NULL;
	return 0;
}

/* Hands the module's collected symbols over, once. */
static int module_take(struct fs_dso_entry *md, struct fs_symvec *mod)
{
	int ret = 0;

	if (md && !md->loaded) {
		ret = fs_dso__take(md, mod, 0);
		md->loaded = true;
	}
	mod->n = mod->nord = mod->nsorted = mod->nlog = 0;
	return ret;
}

/*
 * perf's maps__split_kallsyms(): module symbols ("name\t[mod]") move to the
 * dso "[mod]" (kept at their kallsyms addresses here), the entry trampoline
 * goes, kernel symbols stay, shifted by delta.
 */
static int split_kallsyms(struct fs_symbolizer *s, struct fs_symvec *all, struct fs_dso_entry *k,
			  uint64_t delta)
{
	struct fs_symvec mod = { .arena = &s->names };
	struct fs_dso_entry *md = NULL;
	size_t out = 0;
	int ret = -1;

	if (fs_symvec__sort(all))
		return -1;
	for (size_t j = 0; j < all->nord; j++) {
		int32_t i = all->ord[j];
		struct fs_rawsym *r = &all->v[i];
		char *tab = strchr(r->name, '\t');

		if (tab) {
			struct fs_dso *nd = fs_symbolizer__dso(s, tab + 1, NULL, 0);

			if (!nd) {
				all->nomem = true;
				goto out;
			}
			if (fs_dso__entry(nd) != md) {
				if (module_take(md, &mod))
					goto out;
				md = fs_dso__entry(nd);
			}
			if (!md->loaded) {
				/* the name is ours (a copy in the arena): end it at the tab */
				*tab = '\0';
				if (fs_symvec__push(&mod, r->start, 0, r->binding, 0, r->name,
						    (size_t)(tab - r->name)))
					goto out;
				mod.v[mod.n - 1].end = r->end;
			}
			if (fs_symvec__log_erase(all, i))
				goto out;
			continue;
		}
		if (!strcmp(r->name, ENTRY_TRAMPOLINE)) {
			if (fs_symvec__log_erase(all, i))
				goto out;
			continue;
		}
		all->ord[out++] = i;
	}
	all->nord = out;
	if (module_take(md, &mod))
		goto out;
	ret = fs_dso__take(k, all, delta);
out:
	fs_symvec__free(&mod);
	return ret;
}

/* ---- the kernel from a vmlinux or with a kcore (symbols-vmlinux.c, symbols-kcore.c) ---- */

static int add_kmap(struct fs_symbolizer *s, uint64_t start, uint64_t end, struct fs_dso *dso)
{
	if (FS_GROW(s->kmaps, s->alloc_kmaps, s->nr_kmaps + 1))
		return -1;
	s->kmaps[s->nr_kmaps++] = (struct fs_kernel_map){ start, end, dso };
	return 0;
}

static const char *arena_strdup(struct fs_symbolizer *s, const char *str)
{
	size_t n = strlen(str) + 1;
	char *p = fs_arena__alloc(&s->names, n);

	return p ? memcpy(p, str, n) : NULL;
}

/*
 * perf's dso__load_vmlinux(): a relative path is under the symfs, an
 * absolute one is not; the kernel's map becomes .text, each other section
 * with symbols a dso and map of its own. 1 when perf would not use path,
 * -1 when out of memory.
 */
static int load_vmlinux(struct fs_symbolizer *s, struct fs_dso_entry *k, const char *path)
{
	struct fs_vmlinux v;
	char full[4096];
	const char *name;
	int ret = -1;

	if (path[0] == '/')
		snprintf(full, sizeof(full), "%s", path);
	else
		fs_symbolizer__join_symfs(s, full, sizeof(full), path);
	if (fs_vmlinux__load(full, k->pub.build_id, k->pub.build_id_size, s->reloc_name,
			     s->reloc_addr, s->demangle_kernel, &s->names, &v))
		return 1;
	name = arena_strdup(s, path);
	if (!name || fs_dso__take(k, &v.text, -v.text_shift) ||
	    add_kmap(s, v.remapped ? v.text_start : 0, v.remapped ? v.text_end : 0, &k->pub))
		goto out;
	k->pub.long_name = name;
	for (size_t i = 0; i < v.nr_secs; i++) {
		char dname[4096];
		struct fs_dso *dd;
		struct fs_dso_entry *d;

		snprintf(dname, sizeof(dname), FS_KERNEL_DSO "%s", v.secs[i].name);
		dd = fs_symbolizer__dso(s, dname, NULL, 0);
		if (!dd)
			goto out;
		d = fs_dso__entry(dd);
		if (fs_dso__take(d, &v.secs[i].syms, 0) ||
		    add_kmap(s, v.secs[i].start, v.secs[i].end, &d->pub))
			goto out;
		d->loaded = true;
		/* perf names it before it gives the kernel the vmlinux's name */
		d->pub.long_name = FS_KERNEL_DSO;
	}
	s->ksource = FS_KERNEL_VMLINUX;
	ret = 0;
out:
	fs_vmlinux__free(&v);
	return ret;
}

/* A vmlinux in the build-id cache, then on perf's vmlinux path: 1 when none. */
static int load_vmlinux_path(struct fs_symbolizer *s, struct fs_dso_entry *k)
{
	char path[4096];
	int ret;

	if (!fs_symbolizer__candidate(s, &k->pub, FS_CAND_BUILD_ID_CACHE, path, sizeof(path))) {
		ret = load_vmlinux(s, k, path);
		if (ret <= 0)
			return ret;
	}
	for (size_t i = 0; !fs_vmlinux__path(i, s->os_release, s->symfs[0], path, sizeof(path)); i++) {
		ret = load_vmlinux(s, k, path);
		if (ret <= 0)
			return ret;
	}
	return 1;
}

int fs_symbolizer__note_module(struct fs_symbolizer *s, const char *name, uint64_t start)
{
	char *copy = strdup(name);

	if (!copy || FS_GROW(s->modules, s->alloc_modules, s->nr_modules + 1)) {
		free(copy);
		return -1;
	}
	s->modules[s->nr_modules++] = (struct fs_kmodule){ copy, start };
	return 0;
}

/*
 * perf's validate_kcore_addresses(): the reference symbol where the
 * recording had it, the modules too (the modules first: reading kallsyms
 * again costs more). reloc: the reference's address when the caller has
 * just read the file, else NULL.
 */
static bool kcore_matches(struct fs_symbolizer *s, const char *kallsyms, const uint64_t *reloc)
{
	char dir[4096];
	uint64_t addr;

	if (!fs_kcore__dir(kallsyms, dir, sizeof(dir)) ||
	    !fs_kcore__modules_match(dir, s->modules, s->nr_modules))
		return false;
	if (!s->reloc_name)
		return true;
	if (reloc)
		return *reloc == s->reloc_addr;
	return !fs_kallsyms__find(kallsyms, s->reloc_name, &addr) && addr == s->reloc_addr;
}

/* perf's dso__load_kcore() and maps__split_kallsyms_for_kcore(); 1: not used, -1: out of memory. */
static int load_kcore(struct fs_symbolizer *s, struct fs_dso_entry *k, const char *kallsyms,
		      const uint64_t *reloc, struct fs_symvec *all)
{
	struct fs_symvec kv = { .arena = &s->names };
	struct fs_kseg *segs = NULL;
	char dir[4096], path[4200];
	size_t nr = 0;
	uint64_t stext;
	int ret = 1;

	if (!kcore_matches(s, kallsyms, reloc) || !fs_kcore__dir(kallsyms, dir, sizeof(dir)))
		return 1;
	snprintf(path, sizeof(path), "%s/kcore", dir);
	if (fs_kcore__read_maps(path, &segs, &nr) || !nr)
		goto out;
	fs_kcore__order(segs, nr, !fs_kallsyms__find(kallsyms, "_stext", &stext), stext);
	ret = -1;
	if (fs_kcore__split(all, segs, nr, &kv) || fs_dso__take(k, &kv, 0))
		goto out;
	k->pub.long_name = arena_strdup(s, path);
	if (!k->pub.long_name)
		goto out;
	s->nr_kmaps = 0;
	for (size_t i = 0; i < nr; i++)
		if (add_kmap(s, segs[i].start, segs[i].end, &k->pub))
			goto out;
	s->ksource = FS_KERNEL_KCORE;
	ret = 0;
out:
	free(segs);
	fs_symvec__free(&kv);
	return ret;
}

static bool kcore_matches_cb(void *arg, const char *kallsyms)
{
	return kcore_matches(arg, kallsyms, NULL);
}

/* perf's find_matching_kcore(): a kallsyms+kcore pair perf buildid-cache --kcore saved. */
static int cached_kcore(struct fs_symbolizer *s, const struct fs_dso *k, char *buf, size_t size)
{
	char hex[2 * FS_BUILD_ID_SIZE + 1], dir[3072];

	fs_buildid__sprintf(k->build_id, k->build_id_size, hex);
	snprintf(dir, sizeof(dir), "%s/[kernel.kcore]/%s", s->buildid_dir, hex);
	return fs_kcore__find(dir, kcore_matches_cb, s, buf, size);
}

/* perf's filename__readable(): /proc/kcore needs CAP_SYS_RAWIO, which access() does not see. */
static bool readable(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/*
 * perf's dso__find_kallsyms() with kcore: the running kernel's kallsyms when
 * its kcore matches, else a kallsyms+kcore pair the cache saved, else as
 * without kcore (symbols-path.c). -1 when none.
 */
static int kallsyms_file(struct fs_symbolizer *s, const struct fs_dso *k, char *buf, size_t size)
{
	uint8_t bid[FS_BUILD_ID_SIZE];
	bool host;
	int n;

	if (k->build_id_size && !s->kallsyms && !s->symfs[0]) {
		n = fs_buildid__read_notes("/sys/kernel/notes", bid);
		host = n > 0 && fs_buildid__equal(k->build_id, k->build_id_size, bid, (size_t)n);
		if (host && readable("/proc/kcore") && kcore_matches(s, "/proc/kallsyms", NULL)) {
			snprintf(buf, size, "/proc/kallsyms");
			return 0;
		}
		if (!cached_kcore(s, k, buf, size))
			return 0;
	}
	return fs_symbolizer__kallsyms_path(s, k, buf, size);
}

/*
 * One read of a kallsyms file, up to the table perf fixes up: everything
 * before the maps and dsos are touched, so it can run in a second thread
 * (fs_symbolizer__prefetch_kernel()) while the records are read. Names go
 * to its own arena, handed to the symbolizer's when the table is taken.
 */
struct fs_kread {
	char *path, *reloc_name;
	struct fs_arena arena;
	struct fs_symvec all;
	struct kload kl;
	struct fs_error err;
	int ret;			/* fs_kallsyms__parse()'s */
	bool fixed;			/* the checks passed and the fix-ups ran */
	bool started;			/* in a thread: joined by kread__take() */
	atomic_bool done, stop;
	pthread_t thread;
};

static void *kread__run(void *arg)
{
	struct fs_kread *kr = arg;

	kr->all.arena = &kr->arena;
	kr->kl.vec = &kr->all;
	kr->kl.reloc_name = kr->reloc_name;
	kr->kl.stop = &kr->stop;
	kr->ret = fs_kallsyms__parse(kr->path, kallsyms_cb, &kr->kl, &kr->err);
	if (!kr->ret && !kr->all.nomem && (!kr->all.n || kr->kl.nonzero) &&
	    (!kr->reloc_name || kr->kl.reloc_found))
		kr->fixed = !fs_symvec__fixup_end(&kr->all, true) &&
			    !fs_symvec__fixup_duplicate(&kr->all);
	atomic_store(&kr->done, true);
	return NULL;
}

static struct fs_kread *kread__new(const char *path, const char *reloc_name)
{
	struct fs_kread *kr = calloc(1, sizeof(*kr));

	if (!kr)
		return NULL;
	kr->path = strdup(path);
	kr->reloc_name = reloc_name ? strdup(reloc_name) : NULL;
	if (!kr->path || (reloc_name && !kr->reloc_name)) {
		free(kr->path);
		free(kr->reloc_name);
		free(kr);
		return NULL;
	}
	return kr;
}

void fs_kread__delete(struct fs_kread *kr)
{
	if (!kr)
		return;
	if (kr->started) {
		atomic_store(&kr->stop, true);
		pthread_join(kr->thread, NULL);
	}
	fs_symvec__free(&kr->all);
	fs_arena__free(&kr->arena);
	free(kr->path);
	free(kr->reloc_name);
	free(kr);
}

static bool same_str(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* The read of path: the prefetched one when it read the same, else one made now; NULL: no memory. */
static struct fs_kread *kread__take(struct fs_symbolizer *s, const char *path)
{
	struct fs_kread *kr = s->kread;

	s->kread = NULL;
	if (kr && (!same_str(kr->path, path) || !same_str(kr->reloc_name, s->reloc_name))) {
		fs_kread__delete(kr);
		kr = NULL;
	}
	if (!kr) {
		kr = kread__new(path, s->reloc_name);
		if (kr)
			kread__run(kr);
	} else if (kr->started) {
		pthread_join(kr->thread, NULL);
		kr->started = false;
	}
	if (kr) {	/* the names live as long as the symbolizer from now on */
		fs_arena__splice(&s->names, &kr->arena);
		kr->all.arena = &s->names;
	}
	return kr;
}

static int load_kallsyms(struct fs_symbolizer *s, struct fs_dso_entry *k, const char *path)
{
	struct fs_kread *kr = kread__take(s, path);
	uint64_t delta = 0;
	int ret = 0;

	if (!kr)
		return -1;
	if (kr->ret) {
		if (kr->all.nomem)
			goto out;
		if (s->kallsyms)	/* asked for by name: its idle task is still idle */
			snprintf(s->kernel_note, sizeof(s->kernel_note),
				 "no symbols for " FS_KERNEL_DSO ": %.200s; kernel frames print as [unknown], the idle task's samples count as idle",
				 kr->err.msg);
		else
			fs_symbolizer__warn(s, "no symbols for " FS_KERNEL_DSO ": %s", kr->err.msg);
		goto out;
	}
	/*
	 * Every address 0: what kptr_restrict or perf_event_paranoid show a
	 * user without CAP_SYSLOG. perf refuses /proc/kallsyms then
	 * (symbol__restricted_filename()), so its names are not used here either.
	 */
	if (kr->all.n && !kr->kl.nonzero) {
		snprintf(s->kernel_note, sizeof(s->kernel_note),
			 "kernel symbols: every address in %.100s is 0 (hidden by kptr_restrict or perf_event_paranoid): kernel frames print as [unknown], as perf prints them; the idle task's samples count as idle",
			 path);
		goto out;
	}
	if (s->reloc_name) {
		if (!kr->kl.reloc_found) {
			fs_symbolizer__warn(s, "no symbols for " FS_KERNEL_DSO ": %s has no %s, the recording's relocation reference",
					    path, s->reloc_name);
			goto out;
		}
		delta = kr->kl.reloc_addr - s->reloc_addr;
	}
	if (!kr->fixed)
		goto out;
	ret = load_kcore(s, k, path, kr->kl.reloc_found ? &kr->kl.reloc_addr : NULL, &kr->all);
	if (ret > 0)
		ret = split_kallsyms(s, &kr->all, k, delta);
	if (!ret && s->ksource == FS_KERNEL_NONE)
		s->ksource = FS_KERNEL_KALLSYMS;
out:
	if (s->kernel_note[0])
		fs_symbolizer__warn(s, "%s", s->kernel_note);
	if (kr->all.nomem)
		ret = -1;
	fs_kread__delete(kr);
	return ret;
}

/* perf's dso__load_kernel_sym(): which source, in perf's order. */
int fs_symbolizer__load_kernel(struct fs_symbolizer *s)
{
	struct fs_dso *kd = fs_symbolizer__dso(s, FS_KERNEL_DSO, NULL, 0);
	struct fs_dso_entry *k;
	char path[4096];
	int ret;

	s->kernel_loaded = true;
	if (!kd)
		return -1;
	k = fs_dso__entry(kd);
	k->loaded = true;
	if (s->kallsyms)
		return load_kallsyms(s, k, s->kallsyms);
	if (s->vmlinux) {
		ret = load_vmlinux(s, k, s->vmlinux);
		if (ret > 0)
			fs_symbolizer__warn(s, "no symbols for " FS_KERNEL_DSO ": %s is not a vmlinux perf would use (no ELF symbol table, or another build id)",
					    s->vmlinux);
		return ret < 0 ? -1 : 0;
	}
	ret = load_vmlinux_path(s, k);
	if (ret <= 0)
		return ret;
	if (kallsyms_file(s, kd, path, sizeof(path))) {
		fs_symbolizer__warn(s, "no symbols for " FS_KERNEL_DSO ": %s", s->symfs[0] ?
				    "no kallsyms file or vmlinux given (--kallsyms, -k) with a symfs" :
				    "the recording's kernel is not the running one and the build-id cache has no kallsyms of it");
		return 0;
	}
	return load_kallsyms(s, k, path);
}

enum fs_kernel_source fs_symbolizer__kernel_maps(struct fs_symbolizer *s,
						 const struct fs_kernel_map **maps, size_t *nr)
{
	*maps = s->kmaps;
	*nr = s->nr_kmaps;
	return (enum fs_kernel_source)s->ksource;
}

/* Whether perf's dso__load_kernel_sym() could pick a vmlinux: those are not read ahead. */
static bool vmlinux_may_exist(struct fs_symbolizer *s, const struct fs_dso *k)
{
	char path[4096], full[4096];

	if (!fs_symbolizer__candidate(s, k, FS_CAND_BUILD_ID_CACHE, path, sizeof(path)) &&
	    fs_is_regular_file(path))
		return true;
	for (size_t i = 0; !fs_vmlinux__path(i, s->os_release, s->symfs[0], path, sizeof(path)); i++) {
		if (path[0] == '/')
			snprintf(full, sizeof(full), "%s", path);
		else
			fs_symbolizer__join_symfs(s, full, sizeof(full), path);
		if (!access(full, F_OK))
			return true;
	}
	return false;
}

void fs_symbolizer__prefetch_kernel(struct fs_symbolizer *s, const struct fs_dso *kd)
{
	struct fs_kread *kr;
	char path[4096];
	sigset_t all, old;

	if (s->kernel_loaded || s->kread || s->vmlinux || !kd)
		return;
	if (s->kallsyms)
		snprintf(path, sizeof(path), "%s", s->kallsyms);
	else if (vmlinux_may_exist(s, kd) || kallsyms_file(s, kd, path, sizeof(path)))
		return;
	kr = kread__new(path, s->reloc_name);
	if (!kr)
		return;
	/* signals stay with the caller's thread */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	kr->started = !pthread_create(&kr->thread, NULL, kread__run, kr);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (!kr->started) {
		fs_kread__delete(kr);
		return;
	}
	s->kread = kr;
}

bool fs_symbolizer__kernel_pending(const struct fs_symbolizer *s)
{
	return s->kread && !atomic_load(&s->kread->done);
}
