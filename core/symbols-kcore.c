// SPDX-License-Identifier: GPL-2.0-only
/*
 * What perf 6.1 reads beside a kallsyms file to use a kcore: the kcore's
 * segments (util/symbol-elf.c file__read_maps(), readable PT_LOADs, as for
 * the kernel map, which has no PROT_EXEC) and the modules list
 * (util/symbol.c modules__parse()). Only the program headers are read,
 * through libelf, which checks them against the file's size.
 */
#include <dirent.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "symbols-kernel.h"

int fs_kcore__read_maps(const char *path, struct fs_kseg **segs, size_t *nr)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;
	Elf *elf = NULL;
	size_t phnum, n = 0;
	struct fs_kseg *v = NULL;

	*segs = NULL;
	*nr = 0;
	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (!elf || elf_kind(elf) != ELF_K_ELF || elf_getphdrnum(elf, &phnum))
		goto out;
	v = calloc(phnum ? phnum : 1, sizeof(*v));
	if (!v)
		goto out;
	for (size_t i = 0; i < phnum; i++) {
		GElf_Phdr ph;
		uint64_t sz;

		if (!gelf_getphdr(elf, (int)i, &ph))
			goto out;
		if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_R))
			continue;
		sz = ph.p_memsz < ph.p_filesz ? ph.p_memsz : ph.p_filesz;
		if (!sz || ph.p_vaddr + sz < ph.p_vaddr)
			continue;
		v[n].start = ph.p_vaddr;
		v[n].end = ph.p_vaddr + sz;
		v[n].pgoff = ph.p_offset;
		n++;
	}
	*segs = v;
	*nr = n;
	v = NULL;
	ret = 0;
out:
	free(v);
	if (elf)
		elf_end(elf);
	close(fd);
	return ret;
}

/*
 * modules__parse(): the start is the hex after the line's last 'x', the
 * name the line up to its first space (lines without either skipped), the
 * size must be followed by a space or a tab.
 */
int fs_kcore__parse_modules(const char *path, fs_module_cb cb, void *arg)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, name[4096];
	size_t cap = 0;
	ssize_t len;
	int ret = 0;

	if (!f)
		return -1;
	while (!ret && (len = getline(&line, &cap, f)) >= 0) {
		char *sep, *end;
		uint64_t start;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		else if (len > 0)
			line[--len] = '\0';	/* perf drops the last byte whatever it is */
		sep = strrchr(line, 'x');
		if (!sep)
			continue;
		start = strtoull(sep + 1, NULL, 16);
		sep = strchr(line, ' ');
		if (!sep)
			continue;
		*sep = '\0';
		snprintf(name, sizeof(name), "[%s]", line);
		strtoul(sep + 1, &end, 0);
		if (*end != ' ' && *end != '\t')
			continue;
		ret = cb(arg, name, start);
	}
	free(line);
	fclose(f);
	return ret;
}

/*
 * perf's dso__load_kcore() order: its list of segments is built backwards
 * (list_add), the kernel's map takes the smallest segment holding _stext
 * (else the list's first, the last segment), the rest are merged in list
 * order. segs[0] becomes the kernel's, the others follow in merge order.
 */
void fs_kcore__order(struct fs_kseg *segs, size_t nr, bool have_stext, uint64_t stext)
{
	size_t best = nr;

	for (size_t i = 0; i < nr / 2; i++) {
		struct fs_kseg t = segs[i];

		segs[i] = segs[nr - 1 - i];
		segs[nr - 1 - i] = t;
	}
	for (size_t i = 0; have_stext && i < nr; i++)
		if (stext >= segs[i].start && stext < segs[i].end &&
		    (best == nr || segs[i].end - segs[i].start < segs[best].end - segs[best].start))
			best = i;
	if (best == nr || !nr)
		return;
	struct fs_kseg k = segs[best];

	memmove(segs + 1, segs, best * sizeof(*segs));
	segs[0] = k;
}

/*
 * perf's maps__split_kallsyms_for_kcore(): each symbol (in all's order)
 * that starts in a segment goes to the kernel, its module suffix cut off
 * and its end cut at the segment's; the others are dropped. Symbols stay
 * in ip space (perf's file offsets name the same addresses: the segments'
 * offsets do not overlap).
 */
int fs_kcore__split(struct fs_symvec *all, const struct fs_kseg *segs, size_t nr,
		    struct fs_symvec *out)
{
	if (fs_symvec__sort(all))
		return -1;
	for (size_t j = 0; j < all->nord; j++) {
		struct fs_rawsym *r = &all->v[all->ord[j]];
		char *tab = strchr(r->name, '\t');
		const struct fs_kseg *seg = NULL;
		uint64_t end = r->end;

		for (size_t i = 0; i < nr && !seg; i++)
			if (r->start >= segs[i].start && r->start < segs[i].end)
				seg = &segs[i];
		if (!seg)
			continue;
		if (tab)
			*tab = '\0';	/* the name is ours, a copy in the arena */
		if (end > seg->end)
			end = seg->end;
		if (fs_symvec__push(out, r->start, 0, r->binding, r->flags, r->name,
				    tab ? (size_t)(tab - r->name) : strlen(r->name)))
			return -1;
		out->v[out->n - 1].end = end;
	}
	return 0;
}

/* The directory of a file named ".../kallsyms" (perf's filename_from_kallsyms_filename()). */
bool fs_kcore__dir(const char *kallsyms, char *dir, size_t size)
{
	const char *slash = strrchr(kallsyms, '/');

	if (!slash || strcmp(slash + 1, "kallsyms") || (size_t)(slash - kallsyms) >= size)
		return false;
	snprintf(dir, size, "%.*s", (int)(slash - kallsyms), kallsyms);
	return true;
}

struct modcheck {
	const struct fs_kmodule *mods;
	size_t nr;
	bool *seen;
};

static int module_cb(void *arg, const char *name, uint64_t start)
{
	struct modcheck *m = arg;

	for (size_t i = 0; i < m->nr; i++)
		if (!strcmp(m->mods[i].name, name) && m->mods[i].start == start)
			m->seen[i] = true;
	return 0;
}

/* perf's validate_kcore_modules(): each module map listed at its start in DIR/modules. */
bool fs_kcore__modules_match(const char *dir, const struct fs_kmodule *mods, size_t nr)
{
	struct modcheck m = { mods, nr, calloc(nr + 1, 1) };
	char path[4200];
	bool ok = m.seen != NULL;

	snprintf(path, sizeof(path), "%s/modules", dir);
	if (!ok || fs_kcore__parse_modules(path, module_cb, &m))
		ok = false;
	for (size_t i = 0; ok && i < nr; i++)
		ok = m.seen[i];
	free(m.seen);
	return ok;
}

/* perf's find_matching_kcore(): DIR/SUB/kallsyms for the first SUB (in name order) that matches. */
int fs_kcore__find(const char *dir, bool (*match)(void *arg, const char *kallsyms), void *arg,
		   char *buf, size_t size)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), found = -1;

	for (int i = 0; i < n; i++) {
		int len;

		if (found < 0 && names[i]->d_name[0] != '.' && names[i]->d_type == DT_DIR) {
			len = snprintf(buf, size, "%s/%s/kallsyms", dir, names[i]->d_name);
			if (len > 0 && (size_t)len < size && match(arg, buf))
				found = 0;
		}
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	return found;
}
