// SPDX-License-Identifier: GPL-2.0-only
/*
 * A vmlinux's symbols as perf 6.1 loads them (util/symbol-elf.c
 * dso__load_sym_internal() and dso__process_kernel_symbol() for a kernel
 * dso; util/symbol.c dso__load_vmlinux()): the build id must match, only a
 * .symtab will do, the reference symbol gives the relocation, .text symbols
 * go to [kernel.kallsyms] (fixed up in file-offset space, as perf keeps
 * them), each other allocated section's to "[kernel.kallsyms]SECTION".
 * Everything is read through libelf, which checks it against the file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buildid.h"
#include "symbols-kernel.h"

#define KERNEL_NAME "[kernel.kallsyms]"

struct vml {
	Elf *elf;
	GElf_Ehdr ehdr;
	size_t shstrndx;
	uint64_t reloc;
	bool demangle;
	struct fs_arena *arena;
	struct fs_vmlinux *out;
	uint64_t text_shift;		/* .text's sh_addr - sh_offset */
};

/* perf's elf_sym__filter() and elf_sym__is_label() */
static bool sym_wanted(const GElf_Sym *s)
{
	int type = GELF_ST_TYPE(s->st_info);

	return s->st_name && s->st_shndx != SHN_UNDEF &&
	       (type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_OBJECT);
}

static bool sym_label(const GElf_Sym *s)
{
	int vis = GELF_ST_VISIBILITY(s->st_other);

	return GELF_ST_TYPE(s->st_info) == STT_NOTYPE && s->st_name && s->st_shndx != SHN_UNDEF &&
	       s->st_shndx != SHN_ABS && vis != STV_HIDDEN && vis != STV_INTERNAL;
}

/* The arena's copy of a string table: names point into it. */
static const char *strtab_copy(struct vml *v, size_t link, size_t *size)
{
	Elf_Scn *scn = elf_getscn(v->elf, link);
	Elf_Data *d = scn ? elf_getdata(scn, NULL) : NULL;
	char *p;

	if (!d || !d->d_buf || !(p = fs_arena__alloc(v->arena, d->d_size + 1)))
		return NULL;
	memcpy(p, d->d_buf, d->d_size);
	p[d->d_size] = '\0';
	*size = d->d_size;
	return p;
}

/* The dso a section's symbols go to, made on first use (perf's maps__find_by_name()). */
static struct fs_vmlinux_sec *section(struct vml *v, const char *name, const GElf_Shdr *sh)
{
	struct fs_vmlinux *o = v->out;
	struct fs_vmlinux_sec *s;

	for (size_t i = 0; i < o->nr_secs; i++)
		if (!strcmp(o->secs[i].name, name))
			return &o->secs[i];
	s = realloc(o->secs, (o->nr_secs + 1) * sizeof(*s));
	if (!s)
		return NULL;
	o->secs = s;
	s = &s[o->nr_secs];
	memset(s, 0, sizeof(*s));
	s->name = strdup(name);
	if (!s->name)
		return NULL;
	s->start = sh->sh_addr + v->reloc;
	s->end = s->start + sh->sh_size;
	s->syms.arena = v->arena;
	s->syms.no_demangle = !v->demangle;
	o->nr_secs++;
	return s;
}

/* One symbol: to .text (in file-offset space) or to its section's dso (ip space). */
static int add(struct vml *v, const GElf_Sym *sym, const char *name, const char *secname,
	       const GElf_Shdr *sh)
{
	struct fs_vmlinux *o = v->out;
	uint8_t flags = v->demangle ? FS_RAWSYM_DEMANGLE : 0;
	struct fs_vmlinux_sec *s;

	if (!strcmp(secname, ".text")) {
		if (!o->remapped) {
			o->remapped = true;
			o->text_start = sh->sh_addr + v->reloc;
			o->text_end = o->text_start + sh->sh_size;
			v->text_shift = sh->sh_addr - sh->sh_offset;
		}
		return fs_symvec__push(&o->text, sym->st_value - (sh->sh_addr - sh->sh_offset),
				       sym->st_size, GELF_ST_BIND(sym->st_info), flags, name, 0);
	}
	s = section(v, secname, sh);
	if (!s)
		return -1;
	return fs_symvec__push(&s->syms, sym->st_value + v->reloc, sym->st_size,
			       GELF_ST_BIND(sym->st_info), flags, name, 0);
}

/* perf's ref_reloc_sym lookup: the first symbol of that name, whatever its type. */
static void find_reloc(struct vml *v, Elf_Data *data, size_t nr, size_t link,
		       const char *reloc_name, uint64_t reloc_addr)
{
	GElf_Sym sym;

	if (!reloc_name)
		return;
	for (size_t i = 0; i < nr; i++) {
		const char *name;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		name = elf_strptr(v->elf, link, sym.st_name);
		if (name && !strcmp(name, reloc_name)) {
			/* perf takes an unrelocated address of 0 for "not found" */
			if (sym.st_value)
				v->reloc = reloc_addr - sym.st_value;
			return;
		}
	}
}

/* One symbol table; the number of symbols taken, or -1 where perf gives up. */
static int load_table(struct vml *v, Elf_Scn *tab, const GElf_Shdr *tsh)
{
	Elf_Data *data = elf_getdata(tab, NULL);
	const char *strs;
	size_t strsize, nr;
	int taken = 0;

	if (!data || !tsh->sh_entsize || !(strs = strtab_copy(v, tsh->sh_link, &strsize)))
		return -1;
	nr = tsh->sh_size / tsh->sh_entsize;
	for (size_t i = 0; i < nr; i++) {
		GElf_Sym sym;
		GElf_Shdr sh;
		Elf_Scn *sec;
		const char *secname;
		bool label;

		if (!gelf_getsym(data, (int)i, &sym))
			break;
		label = sym_label(&sym);
		if ((!label && !sym_wanted(&sym)) || sym.st_shndx == SHN_ABS)
			continue;
		if (sym.st_name >= strsize)
			continue;
		sec = elf_getscn(v->elf, sym.st_shndx);
		if (!sec || !gelf_getshdr(sec, &sh))
			return -1;
		if (!(sh.sh_flags & SHF_ALLOC))
			continue;
		secname = elf_strptr(v->elf, v->shstrndx, sh.sh_name);
		if (!secname)
			secname = "";
		if (label && !strstr(secname, "text") && !strstr(secname, "data"))
			continue;
		if (add(v, &sym, strs + sym.st_name, secname, &sh))
			return -1;
		taken++;
	}
	return taken;
}

static int load(struct vml *v, const uint8_t *bid, size_t bid_size, const char *reloc_name,
		uint64_t reloc_addr)
{
	static const char *const tables[] = { ".symtab", ".dynsym" };
	static const GElf_Word types[] = { SHT_SYMTAB, SHT_DYNSYM };
	uint8_t fbid[FS_BUILD_ID_SIZE];
	int nr = 0, n;

	if (elf_kind(v->elf) != ELF_K_ELF || !gelf_getehdr(v->elf, &v->ehdr) ||
	    elf_getshdrstrndx(v->elf, &v->shstrndx))
		return -1;
	if (bid_size) {
		n = fs_buildid__from_elf(v->elf, fbid);
		if (n <= 0 || !fs_buildid__equal(bid, bid_size, fbid, (size_t)n))
			return -1;
	}
	/* perf relocates (and maps sections) only for the types it adjusts symbols of */
	if (v->ehdr.e_type != ET_EXEC && v->ehdr.e_type != ET_REL && v->ehdr.e_type != ET_DYN)
		return -1;
	for (int t = 0; t < 2; t++) {
		GElf_Shdr tsh;
		Elf_Scn *tab = fs_elf__section_by_name(v->elf, &v->ehdr, &tsh, tables[t], NULL);

		if (!tab || tsh.sh_type != types[t]) {
			if (t == 0)
				return -1;	/* a stripped vmlinux: perf falls back to kallsyms */
			continue;
		}
		if (t == 0 && tsh.sh_entsize)
			find_reloc(v, elf_getdata(tab, NULL), tsh.sh_size / tsh.sh_entsize,
				   tsh.sh_link, reloc_name, reloc_addr);
		n = load_table(v, tab, &tsh);
		if (n < 0)
			return -1;
		if (n > 0 && (fs_symvec__fixup_end(&v->out->text, false) ||
			      fs_symvec__fixup_duplicate(&v->out->text)))
			return -1;
		nr += n;
	}
	return nr > 0 ? 0 : -1;
}

int fs_vmlinux__load(const char *path, const uint8_t *bid, size_t bid_size,
		     const char *reloc_name, uint64_t reloc_addr, bool demangle,
		     struct fs_arena *arena, struct fs_vmlinux *out)
{
	struct vml v = { .demangle = demangle, .arena = arena, .out = out };
	int fd = open(path, O_RDONLY | O_CLOEXEC), ret = -1;

	memset(out, 0, sizeof(*out));
	out->text.arena = arena;
	out->text.no_demangle = !demangle;
	if (fd < 0)
		return -1;
	elf_version(EV_CURRENT);
	v.elf = elf_begin(fd, ELF_C_READ_MMAP, NULL);
	if (v.elf)
		ret = load(&v, bid, bid_size, reloc_name, reloc_addr);
	if (!ret)
		out->text_shift = v.text_shift + v.reloc;
	if (v.elf)
		elf_end(v.elf);
	close(fd);
	if (ret)
		fs_vmlinux__free(out);
	return ret;
}

void fs_vmlinux__free(struct fs_vmlinux *v)
{
	fs_symvec__free(&v->text);
	for (size_t i = 0; i < v->nr_secs; i++) {
		free(v->secs[i].name);
		fs_symvec__free(&v->secs[i].syms);
	}
	free(v->secs);
	memset(v, 0, sizeof(*v));
}

/*
 * perf's vmlinux_path: ./vmlinux, /boot/vmlinux, then (without a symfs) the
 * places named after the recording's release. 0 with candidate i in buf,
 * -1 past the last.
 */
int fs_vmlinux__path(size_t i, const char *release, bool symfs, char *buf, size_t size)
{
	static const char *const fixed[] = { "vmlinux", "/boot/vmlinux" };
	static const char *const by_release[] = {
		"/boot/vmlinux-%s", "/usr/lib/debug/boot/vmlinux-%s", "/lib/modules/%s/build/vmlinux",
		"/usr/lib/debug/lib/modules/%s/vmlinux", "/usr/lib/debug/boot/vmlinux-%s.debug",
	};

	if (i < 2) {
		snprintf(buf, size, "%s", fixed[i]);
		return 0;
	}
	i -= 2;
	if (symfs || i >= sizeof(by_release) / sizeof(by_release[0]))
		return -1;
	snprintf(buf, size, by_release[i], release ? release : "(null)");
	return 0;
}
