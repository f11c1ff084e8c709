// SPDX-License-Identifier: GPL-2.0-only
/*
 * ELF symbol sources for user dsos, with perf 6.1's rules (util/symbol-elf.c):
 * which symbols count, how addresses become file offsets, and the synthesized
 * PLT entries. Everything read goes through libelf, which checks section
 * bounds against the file; string indexes go through elf_strptr().
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "buildid.h"
#include "symbols-int.h"

/* A string table copied into the arena, so raw names can point into it. */
struct strcopy {
	size_t link;			/* section index, 0: unused */
	const char *orig;		/* where libelf has it */
	const char *copy;
	size_t size;
};

struct fs_elf {
	int fd;
	Elf *elf;
	GElf_Ehdr ehdr;
	size_t shstrndx;
	Elf_Scn *symtab, *dynsym;
	GElf_Shdr symshdr, dynshdr;
	size_t dynsym_idx;
	struct strcopy strs[2];		/* .strtab and .dynstr, as used */
	GElf_Phdr *loads;		/* PT_LOAD headers up to the first unreadable one */
	size_t nr_loads;
	bool loads_read;
	bool loads_nomem;		/* no memory for them: offsets would be wrong */
};

/* The section a symbol is in, as load_table() checks it (one lookup per run of symbols). */
struct sec_cache {
	size_t shndx;			/* SIZE_MAX: none yet */
	bool alloc;
	GElf_Shdr shdr;			/* the runtime image's for NOBITS */
	Elf *elf;
	size_t strndx;
	int label_ok;			/* named .*text.* or .*data.*; -1: not looked at */
};

/* perf's elf_section_by_name(): the first section named name (also used by buildid.c). */
Elf_Scn *fs_elf__section_by_name(Elf *elf, const GElf_Ehdr *ehdr, GElf_Shdr *shdr,
				 const char *name, size_t *idx)
{
	Elf_Scn *sec = NULL;
	size_t cnt = 1, shstrndx;

	if (elf_getshdrstrndx(elf, &shstrndx) != 0)
		shstrndx = ehdr->e_shstrndx;
	if (!elf_rawdata(elf_getscn(elf, shstrndx), NULL))
		return NULL;
	while ((sec = elf_nextscn(elf, sec)) != NULL) {
		const char *str;

		if (!gelf_getshdr(sec, shdr))
			return NULL;
		str = elf_strptr(elf, shstrndx, shdr->sh_name);
		if (str && !strcmp(name, str)) {
			if (idx)
				*idx = cnt;
			return sec;
		}
		cnt++;
	}
	return NULL;
}

/* The checks and section look-ups shared by files and memory images. */
static struct fs_elf *elf_init(struct fs_elf *e, const uint8_t *bid, size_t bid_size)
{
	uint8_t fbid[FS_BUILD_ID_SIZE];
	int n;

	if (!e->elf || elf_kind(e->elf) != ELF_K_ELF || !gelf_getehdr(e->elf, &e->ehdr))
		goto fail;
	if (elf_getshdrstrndx(e->elf, &e->shstrndx) != 0)
		goto fail;
	/* perf always rejects an image whose build id does not match the dso's */
	if (bid_size) {
		n = fs_buildid__from_elf(e->elf, fbid);
		if (n <= 0 || !fs_buildid__equal(bid, bid_size, fbid, (size_t)n))
			goto fail;
	}
	e->symtab = fs_elf__section_by_name(e->elf, &e->ehdr, &e->symshdr, ".symtab", NULL);
	if (e->symtab && e->symshdr.sh_type != SHT_SYMTAB)
		e->symtab = NULL;
	e->dynsym = fs_elf__section_by_name(e->elf, &e->ehdr, &e->dynshdr, ".dynsym",
					    &e->dynsym_idx);
	if (e->dynsym && e->dynshdr.sh_type != SHT_DYNSYM)
		e->dynsym = NULL;
	return e;
fail:
	fs_elf__close(e);
	return NULL;
}

struct fs_elf *fs_elf__open(const char *path, const uint8_t *bid, size_t bid_size)
{
	struct fs_elf *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	elf_version(EV_CURRENT);
	e->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (e->fd < 0) {
		free(e);
		return NULL;
	}
	e->elf = elf_begin(e->fd, ELF_C_READ_MMAP, NULL);
	return elf_init(e, bid, bid_size);
}

struct fs_elf *fs_elf__open_image(void *image, size_t size, const uint8_t *bid, size_t bid_size)
{
	struct fs_elf *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	elf_version(EV_CURRENT);
	e->fd = -1;
	e->elf = elf_memory(image, size);
	return elf_init(e, bid, bid_size);
}

void fs_elf__close(struct fs_elf *e)
{
	if (!e)
		return;
	free(e->loads);
	if (e->elf)
		elf_end(e->elf);
	if (e->fd >= 0)
		close(e->fd);
	free(e);
}

bool fs_elf__has_symtab(const struct fs_elf *e)
{
	return e->symtab != NULL;
}

bool fs_elf__has_dynsym(const struct fs_elf *e)
{
	return e->dynsym != NULL;
}

uint64_t fs_elf__text_offset(const struct fs_elf *e)
{
	GElf_Shdr shdr;

	if (!fs_elf__section_by_name(e->elf, &e->ehdr, &shdr, ".text", NULL))
		return 0;
	return shdr.sh_addr - shdr.sh_offset;
}

/* perf's filters: named functions/objects, plus named visible labels (checked later). */
static bool sym_is_label(const GElf_Sym *sym)
{
	int vis = GELF_ST_VISIBILITY(sym->st_other);

	return GELF_ST_TYPE(sym->st_info) == STT_NOTYPE && sym->st_name != 0 &&
	       sym->st_shndx != SHN_UNDEF && sym->st_shndx != SHN_ABS &&
	       vis != STV_HIDDEN && vis != STV_INTERNAL;
}

static bool sym_is_wanted(const GElf_Sym *sym)
{
	int type = GELF_ST_TYPE(sym->st_info);

	if (sym->st_name == 0 || sym->st_shndx == SHN_UNDEF)
		return false;
	return type == STT_FUNC || type == STT_GNU_IFUNC || type == STT_OBJECT;
}

/* The file offset perf gives a symbol: st_value less its PT_LOAD's p_vaddr - p_offset. */
/* Reads the PT_LOAD headers once: perf scans them for every symbol. */
static void read_loads(struct fs_elf *e)
{
	size_t phnum;
	GElf_Phdr ph;

	e->loads_read = true;
	if (elf_getphdrnum(e->elf, &phnum) != 0 || !phnum)
		return;
	e->loads = malloc(phnum * sizeof(*e->loads));
	if (!e->loads) {
		e->loads_nomem = true;
		return;
	}
	for (size_t i = 0; i < phnum; i++) {
		if (!gelf_getphdr(e->elf, (int)i, &ph))
			break;
		if (ph.p_type == PT_LOAD)
			e->loads[e->nr_loads++] = ph;
	}
}

/* The file offset perf gives a symbol: st_value less its PT_LOAD's p_vaddr - p_offset. */
static uint64_t adjust(struct fs_elf *runtime, uint64_t value, const GElf_Shdr *shdr)
{
	if (!runtime->loads_read)
		read_loads(runtime);
	for (size_t i = 0; i < runtime->nr_loads; i++) {
		const GElf_Phdr *ph = &runtime->loads[i];
		uint64_t sz = ph->p_memsz > ph->p_filesz ? ph->p_memsz : ph->p_filesz;

		if (sz && value >= ph->p_vaddr && value < ph->p_vaddr + sz)
			return value - (ph->p_vaddr - ph->p_offset);
	}
	return value - (shdr->sh_addr - shdr->sh_offset);
}

/* Fills c for section shndx; -1 where perf abandons the load. */
static int sec_lookup(struct fs_elf *syms, struct fs_elf *runtime, size_t shndx,
		      struct sec_cache *c)
{
	Elf_Scn *sec = elf_getscn(syms->elf, shndx);

	c->shndx = SIZE_MAX;
	if (!sec || !gelf_getshdr(sec, &c->shdr))
		return -1;
	c->alloc = c->shdr.sh_flags & SHF_ALLOC;
	c->elf = syms->elf;
	c->strndx = syms->shstrndx;
	c->label_ok = -1;
	/* a debug file's NOBITS sections have no offsets: use the runtime image's */
	if (c->alloc && c->shdr.sh_type == SHT_NOBITS) {
		sec = elf_getscn(runtime->elf, shndx);
		if (!sec || !gelf_getshdr(sec, &c->shdr))
			return -1;
		c->elf = runtime->elf;
		c->strndx = runtime->shstrndx;
	}
	c->shndx = shndx;
	return 0;
}

/* The arena's copy of string table link (one copy per table, not per name). */
static const struct strcopy *strtab_copy(struct fs_elf *e, size_t link, struct fs_arena *a)
{
	struct strcopy *c = NULL;
	Elf_Data *data;
	Elf_Scn *scn;
	char *p;

	for (int i = 0; i < 2; i++) {
		if (e->strs[i].link == link)
			return &e->strs[i];
		if (!e->strs[i].link && !c)
			c = &e->strs[i];
	}
	if (!c || !link || !(scn = elf_getscn(e->elf, link)) || !(data = elf_getdata(scn, NULL)) ||
	    !data->d_buf || !(p = fs_arena__alloc(a, data->d_size + 1)))
		return NULL;
	memcpy(p, data->d_buf, data->d_size);
	p[data->d_size] = '\0';	/* names run to the copy's end at worst */
	c->link = link;
	c->orig = data->d_buf;
	c->copy = p;
	c->size = data->d_size;
	return c;
}

/*
 * Pushes name (from elf_strptr(), which checked it) as a raw name in the
 * arena: inside the copied table when it is there, else copied alone.
 */
static int push_name(struct fs_symvec *vec, const struct strcopy *c, uint64_t start,
		     uint64_t size, uint8_t bind, uint8_t flags, const char *name)
{
	const char *raw;

	if (c && name >= c->orig && name < c->orig + c->size) {
		raw = c->copy + (name - c->orig);
	} else {
		size_t len = strlen(name);
		char *p = fs_arena__alloc(vec->arena, len + 1);

		if (!p) {
			vec->nomem = true;
			return -1;
		}

		memcpy(p, name, len + 1);
		raw = p;
	}
	return fs_symvec__push(vec, start, size, bind, flags, raw, 0);
}

/* One table (perf's dso__load_sym_internal()); -1 where perf abandons the load. */
static int load_table(struct fs_elf *syms, struct fs_elf *runtime, struct fs_symvec *vec,
		      Elf_Scn *tab, const GElf_Shdr *tabshdr)
{
	Elf_Data *data = elf_getdata(tab, NULL);
	const struct strcopy *strs;
	struct sec_cache sc = { .shndx = SIZE_MAX };
	size_t nr_syms;
	int nr = 0;

	if (!data || tabshdr->sh_entsize == 0 || !elf_getscn(syms->elf, tabshdr->sh_link))
		return -1;
	strs = strtab_copy(syms, tabshdr->sh_link, vec->arena);
	nr_syms = tabshdr->sh_size / tabshdr->sh_entsize;
	for (size_t idx = 0; idx < nr_syms; idx++) {
		GElf_Sym sym;
		const char *name;
		bool label;

		if (!gelf_getsym(data, (int)idx, &sym))
			break;
		label = sym_is_label(&sym);
		if (!label && !sym_is_wanted(&sym))
			continue;
		name = elf_strptr(syms->elf, tabshdr->sh_link, sym.st_name);
		if (!name)
			continue;
		if ((syms->ehdr.e_machine == EM_ARM || syms->ehdr.e_machine == EM_AARCH64) &&
		    name[0] == '$' && strchr("adtx", name[1]) && name[1] &&
		    (name[2] == '\0' || name[2] == '.'))
			continue;
		if (sym.st_shndx == SHN_ABS)
			continue;
		if (sym.st_shndx != sc.shndx && sec_lookup(syms, runtime, sym.st_shndx, &sc))
			return -1;
		if (!sc.alloc)
			continue;
		if (label && sc.label_ok < 0) {
			const char *sn = elf_strptr(sc.elf, sc.strndx, sc.shdr.sh_name);

			sc.label_ok = sn && (strstr(sn, "text") || strstr(sn, "data"));
		}
		if (label && !sc.label_ok)
			continue;
		if (syms->ehdr.e_machine == EM_ARM && GELF_ST_TYPE(sym.st_info) == STT_FUNC &&
		    (sym.st_value & 1))
			sym.st_value--;
		sym.st_value = adjust(runtime, sym.st_value, &sc.shdr);
		if (push_name(vec, strs, sym.st_value, sym.st_size, GELF_ST_BIND(sym.st_info),
			      FS_RAWSYM_DEMANGLE, name))
			return -1;
		nr++;
	}
	if (runtime->loads_nomem) {
		vec->nomem = true;
		return -1;
	}
	if (nr > 0 && (fs_symvec__fixup_end(vec, false) || fs_symvec__fixup_duplicate(vec)))
		return -1;
	return nr;

}

int fs_elf__load(struct fs_elf *syms, struct fs_elf *runtime, struct fs_symvec *vec)
{
	int nr = 0, err = -1;

	if (syms->symtab) {
		err = load_table(syms, runtime, vec, syms->symtab, &syms->symshdr);
		if (err < 0)
			return err;
		nr = err;
	}
	if (syms->dynsym) {
		err = load_table(syms, runtime, vec, syms->dynsym, &syms->dynshdr);
		if (err < 0)
			return err;
		err += nr;
	}
	return err;
}

int fs_elf__synthesize_plt(struct fs_elf *e, struct fs_symvec *vec)
{
	GElf_Shdr relshdr, pltshdr;
	Elf_Scn *rel, *strsec;
	Elf_Data *reldata, *syms, *strs;
	uint64_t off, entsize, nr_rel;
	const struct strcopy *strcopy;
	GElf_Sym sym;
	int nr = 0;

	if (!e->dynsym)
		return 0;
	rel = fs_elf__section_by_name(e->elf, &e->ehdr, &relshdr, ".rela.plt", NULL);
	if (!rel)
		rel = fs_elf__section_by_name(e->elf, &e->ehdr, &relshdr, ".rel.plt", NULL);
	if (!rel || relshdr.sh_link != e->dynsym_idx)
		return 0;
	if (!fs_elf__section_by_name(e->elf, &e->ehdr, &pltshdr, ".plt", NULL))
		return 0;
	reldata = elf_getdata(rel, NULL);
	syms = elf_getdata(e->dynsym, NULL);
	strsec = elf_getscn(e->elf, e->dynshdr.sh_link);
	strs = strsec ? elf_getdata(strsec, NULL) : NULL;
	if (!reldata || !syms || !strs || strs->d_size == 0 || relshdr.sh_entsize == 0)
		return 0;
	if (relshdr.sh_type != SHT_RELA && relshdr.sh_type != SHT_REL)
		return 0;
	nr_rel = relshdr.sh_size / relshdr.sh_entsize;
	switch (e->ehdr.e_machine) {
	case EM_ARM:
		off = 20, entsize = 12;
		break;
	case EM_AARCH64:
		off = 32, entsize = 16;
		break;
	case EM_SPARC:
		off = 48, entsize = 12;
		break;
	case EM_SPARCV9:
		off = 128, entsize = 32;
		break;
	default:
		off = entsize = pltshdr.sh_entsize;
		break;
	}
	off += pltshdr.sh_offset;
	strcopy = strtab_copy(e, e->dynshdr.sh_link, vec->arena);
	memset(&sym, 0, sizeof(sym));
	for (uint64_t i = 0; i < nr_rel; i++, off += entsize) {
		uint64_t info;
		const char *name;

		if (relshdr.sh_type == SHT_RELA) {
			GElf_Rela r;

			if (!gelf_getrela(reldata, (int)i, &r))
				break;
			info = r.r_info;
		} else {
			GElf_Rel r;

			if (!gelf_getrel(reldata, (int)i, &r))
				break;
			info = r.r_info;
		}
		/* perf keeps the previous symbol when the index is bad */
		gelf_getsym(syms, (int)GELF_R_SYM(info), &sym);
		name = elf_strptr(e->elf, e->dynshdr.sh_link, sym.st_name);
		/* perf formats the demangled name and "@plt" into 1024 bytes */
		if (push_name(vec, strcopy, off, entsize, STB_GLOBAL,
			      FS_RAWSYM_DEMANGLE | FS_RAWSYM_PLT, name ? name : ""))
			break;
		nr++;
	}
	return nr;
}
