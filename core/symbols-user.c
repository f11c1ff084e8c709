// SPDX-License-Identifier: GPL-2.0-only
/*
 * User dsos and [vdso]: perf 6.1's dso__load() candidate loop. Every
 * candidate path (symbols-path.c) whose ELF file has the dso's build id may
 * give the symbol table (.symtab) and the runtime image (.dynsym, program
 * headers, PLT); the first of each wins. A dso none of them resolves gets a
 * warning: its frames print as [unknown], as perf's do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "buildid.h"
#include "symbols-files.h"
#include "symbols-int.h"
#include "util.h"

/*
 * perf's vdso.c get_file(): our own process's vdso, bounds from its
 * /proc/self/maps line, copied once (perf writes the same bytes to a temp
 * file and loads that as "[vdso]" when the recording named no build id).
 */
static int own_vdso(struct fs_symbolizer *s)
{
	unsigned long long start, end;
	char line[512];
	int ret = 0;
	FILE *f;

	if (s->vdso_read)
		return 0;
	s->vdso_read = true;
	f = fopen("/proc/self/maps", "re");
	while (f && fgets(line, sizeof(line), f)) {
		if (!strstr(line, "[vdso]") ||
		    sscanf(line, "%llx-%llx", &start, &end) != 2 || end <= start)
			continue;
		s->vdso = malloc(end - start);
		if (s->vdso) {
			memcpy(s->vdso, (const void *)(uintptr_t)start, end - start);
			s->vdso_size = end - start;
		} else {
			ret = -1;
		}
		break;
	}
	if (f)
		fclose(f);
	return ret;
}

/* Takes e as the symtab and/or dynsym source when still missing; false when it was of no use. */
static bool take_elf(struct fs_elf *e, struct fs_elf **syms, struct fs_elf **runtime)
{
	bool used = false;

	if (!*syms && fs_elf__has_symtab(e)) {
		*syms = e;
		used = true;
	}
	if (!*runtime && fs_elf__has_dynsym(e)) {
		*runtime = e;
		used = true;
	}
	return used;
}

/* The warning for a dso whose symbols could not be found (what perf shows as [unknown]). */
static void warn_missing(const struct fs_symbolizer *s, const struct fs_dso *dso, bool found, int ret)
{
	char hex[2 * FS_BUILD_ID_SIZE + 1] = "";

	static const char *const no_file[] = {	/* perf's anonymous memory, and memfds */
		"//anon", "/dev/zero", "/anon_hugepage", "/memfd:", "/SYSV",
	};

	/* "[heap]", "//anon" and the like are no files: nothing to find */
	if (dso->name[0] != '/' && dso->kind != FS_DSO_VDSO)
		return;
	for (size_t i = 0; i < ARRAY_SIZE(no_file); i++)
		if (!strncmp(dso->name, no_file[i], strlen(no_file[i])))
			return;

	if (found) {
		fs_symbolizer__warn(s, "no symbols for %s: %s", dso->name, ret < 0 ?
				    "its symbol table cannot be read" : "its file has none (stripped?)");
		return;
	}
	if (dso->build_id_size)
		fs_buildid__sprintf(dso->build_id, dso->build_id_size, hex);
	fs_symbolizer__warn(s, "no symbols for %s: no file or debug file%s%s %s", dso->name,
			    hex[0] ? " with build id " : "", hex, s->symfs[0] ? "under the symfs" :
			    "found (perf buildid-cache -a FILE, or a debug package, adds one)");

}

int fs_symbolizer__load_user(struct fs_symbolizer *s, struct fs_dso_entry *d, struct fs_symvec *vec)
{
	struct fs_elf *syms = NULL, *runtime = NULL, *e;
	struct fs_dso *dso = &d->pub;
	char path[4096];
	int ret = -1;
	uint8_t *image = NULL;
	size_t image_size = 0;

	/*
	 * A [vdso] the recording gave no build id for is perf's temp copy of
	 * its own vdso: its build id is read (through the symfs: none with
	 * one), then the cache is tried, then the copy itself (the system
	 * path, again only without a symfs).
	 */
	if (dso->kind == FS_DSO_VDSO && !dso->build_id_size && !s->symfs[0]) {
		Elf *elf;
		int n;

		if (own_vdso(s))
			return -1;
		image = s->vdso;
		image_size = s->vdso_size;
		elf = image ? elf_memory((char *)image, image_size) : NULL;
		n = elf ? fs_buildid__from_elf(elf, dso->build_id) : -1;

		if (n > 0)
			dso->build_id_size = (uint8_t)n;
		if (elf)
			elf_end(elf);
	}
	/*
	 * perf reads the build id from the file itself when the recording gave
	 * none: it tests the recorded path but reads the one under the symfs.
	 */
	if (!dso->build_id_size && fs_is_regular_file(dso->name)) {
		int n;

		fs_symbolizer__join_symfs(s, path, sizeof(path), dso->name);
		n = fs_buildid__read_file(path, dso->build_id);
		if (n > 0)
			dso->build_id_size = (uint8_t)n;
	}
	for (int c = 0; c < FS_NR_CAND && !(syms && runtime); c++) {
		if (fs_symbolizer__candidate(s, dso, c, path, sizeof(path)) || !fs_is_regular_file(path))
			continue;
		e = fs_elf__open(path, dso->build_id, dso->build_id_size);
		if (e && !syms && fs_elf__has_symtab(e) && !d->symsrc) {
			d->symsrc = strdup(path);
			if (!d->symsrc)
				vec->nomem = true;
		}
		if (e && !take_elf(e, &syms, &runtime))
			fs_elf__close(e);
	}
	/* the vdso copy stands at the system path (no later candidate exists for "[vdso]") */
	if (image && !(syms && runtime)) {
		e = fs_elf__open_image(image, image_size, dso->build_id, dso->build_id_size);
		if (e && !take_elf(e, &syms, &runtime))
			fs_elf__close(e);
	}
	if (!syms)
		syms = runtime;
	if (!runtime)
		runtime = syms;
	if (syms) {
		d->text_offset = fs_elf__text_offset(runtime);
		ret = fs_elf__load(syms, runtime, vec);
	}
	if (ret > 0)
		fs_elf__synthesize_plt(runtime, vec);
	if (runtime != syms)
		fs_elf__close(runtime);
	fs_elf__close(syms);
	if (vec->nomem)
		return -1;
	if (ret <= 0)
		warn_missing(s, dso, syms != NULL, ret);
	return 0;
}

int fs_symbolizer__data_file(struct fs_symbolizer *s, const struct fs_dso *dso, char *path,
			     size_t size, const void **image, size_t *image_size)
{
	*image = NULL;
	*image_size = 0;
	if (!fs_symbolizer__candidate(s, dso, FS_CAND_BUILD_ID_CACHE, path, size) &&
	    fs_is_regular_file(path))
		return 0;
	if (dso->kind == FS_DSO_VDSO) {
		/* perf's [vdso] path is its temp copy of its own vdso */
		if (s->symfs[0] || own_vdso(s) || !s->vdso)
			return -1;
		*image = s->vdso;
		*image_size = s->vdso_size;
		return 0;
	}
	fs_symbolizer__join_symfs(s, path, size, dso->name);
	return 0;
}
