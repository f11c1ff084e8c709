// SPDX-License-Identifier: GPL-2.0-only
/*
 * The kernel and its modules: one read of kallsyms (the one perf 6.1 would
 * pick, symbols-path.c), fixed up as perf fixes it up, then split as
 * maps__split_kallsyms() splits it: module symbols go to their "[module]"
 * dsos, kernel symbols stay, shifted by the relocation the recording gives.
 */
#include <elf.h>
#include <stdio.h>
#include <string.h>
#include "kallsyms.h"
#include "symbols-int.h"

#define ENTRY_TRAMPOLINE "__entry_SYSCALL_64_trampoline"

struct kload {
	struct fs_symvec *vec;
	const char *reloc_name;		/* perf's kallsyms__get_function_start() of it */
	bool reloc_found;
	uint64_t nonzero;		/* lines with an address: 0 when kptr_restrict hides them */
	uint64_t reloc_addr;
};

/* perf reads kallsyms twice (symbols, then the reloc symbol): one pass does both. */
static int kallsyms_cb(void *arg, const char *name, size_t len, char type, uint64_t addr)
{
	struct kload *kl = arg;
	char t = (char)(type & ~0x20), *p;
	uint8_t bind;

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

int fs_symbolizer__load_kernel(struct fs_symbolizer *s)
{
	struct fs_symvec all = { .arena = &s->names };
	struct kload kl = { .vec = &all, .reloc_name = s->reloc_name };
	struct fs_dso *kd = fs_symbolizer__dso(s, FS_KERNEL_DSO, NULL, 0);
	struct fs_error err = { "" };
	struct fs_dso_entry *k;
	char path[4096];
	uint64_t delta = 0;
	int ret = 0;

	s->kernel_loaded = true;
	if (!kd)
		return -1;
	k = fs_dso__entry(kd);
	k->loaded = true;
	if (fs_symbolizer__kallsyms_path(s, kd, path, sizeof(path))) {
		fs_symbolizer__warn(s, "no symbols for " FS_KERNEL_DSO ": %s", s->symfs[0] ?
				    "no kallsyms file given (--kallsyms) with a symfs" :
				    "the recording's kernel is not the running one and the build-id cache has no kallsyms of it");
		return 0;
	}
	if (fs_kallsyms__parse(path, kallsyms_cb, &kl, &err)) {
		if (all.nomem)
			goto out;
		if (s->kallsyms)	/* asked for by name: its idle task is still idle */
			snprintf(s->kernel_note, sizeof(s->kernel_note),
				 "no symbols for " FS_KERNEL_DSO ": %.200s; kernel frames print as [unknown], the idle task's samples count as idle",
				 err.msg);
		else
			fs_symbolizer__warn(s, "no symbols for " FS_KERNEL_DSO ": %s", err.msg);
		goto out;
	}
	/*
	 * Every address 0: what kptr_restrict or perf_event_paranoid show a
	 * user without CAP_SYSLOG. perf refuses /proc/kallsyms then
	 * (symbol__restricted_filename()), so its names are not used here either.
	 */
	if (all.n && !kl.nonzero) {
		snprintf(s->kernel_note, sizeof(s->kernel_note),
			 "kernel symbols: every address in %.100s is 0 (hidden by kptr_restrict or perf_event_paranoid): kernel frames print as [unknown], as perf prints them; the idle task's samples count as idle",
			 path);
		goto out;
	}
	if (s->reloc_name) {
		if (!kl.reloc_found) {
			fs_symbolizer__warn(s, "no symbols for " FS_KERNEL_DSO ": %s has no %s, the recording's relocation reference",
					    path, s->reloc_name);
			goto out;
		}
		delta = kl.reloc_addr - s->reloc_addr;
	}
	if (fs_symvec__fixup_end(&all, true) || fs_symvec__fixup_duplicate(&all))
		goto out;
	ret = split_kallsyms(s, &all, k, delta);
out:
	if (s->kernel_note[0])
		fs_symbolizer__warn(s, "%s", s->kernel_note);
	if (all.nomem)
		ret = -1;
	fs_symvec__free(&all);
	return ret;
}
