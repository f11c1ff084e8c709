// SPDX-License-Identifier: GPL-2.0-only
/*
 * mkkernel: synthetic kernel symbol files, made from a kallsyms copy, for
 * tests that give perf and flamescope the same file (this VM has neither a
 * vmlinux with symbols nor /proc/kcore).
 *
 *   mkkernel vmlinux KALLSYMS OUT [BUILDID|-] [SPLIT] [MANGLE]
 *	An x86_64 ET_EXEC vmlinux (sections NOBITS: no code bytes) whose
 *	.symtab holds kallsyms' kernel functions with their sizes:
 *	[_text, _stext) in .head.text, [_stext, SPLIT) in .text, [SPLIT, _etext)
 *	in .text.split (SPLIT is a symbol name, or - for _etext), with the
 *	build id BUILDID when given. MANGLE renames that function to a C++
 *	mangled name (_ZN6kernel<len><name>Ev), for --demangle-kernel.
 *   mkkernel kcore KALLSYMS OUT SPLIT [RESUME]
 *	An ET_CORE kcore with three PT_LOAD segments, in this order:
 *	[RESUME, _etext), [_stext rounded down to 2 MiB, SPLIT), and an
 *	unreadable one (RESUME, a symbol name, defaults to SPLIT: with another,
 *	[SPLIT, RESUME) is in no segment); the file is sparse.
 */
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ksym {
	uint64_t addr;
	char type;
	char *name;
};

static struct ksym *syms;
static size_t nr;

static void die(const char *what)
{
	fprintf(stderr, "mkkernel: %s\n", what);
	exit(1);
}

/* Kernel functions (no module ones), in address order as kallsyms lists them. */
static void read_kallsyms(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[1024], name[600], type;
	unsigned long long addr;

	if (!f)
		die("cannot read the kallsyms file");
	while (fgets(line, sizeof(line), f)) {
		if (strchr(line, '\t') || sscanf(line, "%llx %c %599s", &addr, &type, name) != 3)
			continue;
		if (!(nr & (nr - 1)) || !nr) {	/* doubles at powers of two */
			syms = realloc(syms, (nr ? 2 * nr : 1) * sizeof(*syms));
			if (!syms)
				die("out of memory");
		}
		syms[nr++] = (struct ksym){ addr, type, strdup(name) };
	}
	fclose(f);
}

static uint64_t addr_of(const char *name)
{
	for (size_t i = 0; i < nr; i++)
		if (!strcmp(syms[i].name, name))
			return syms[i].addr;
	fprintf(stderr, "mkkernel: no symbol %s\n", name);
	exit(1);
}

static bool is_func(char t)
{
	return t == 'T' || t == 't' || t == 'W' || t == 'w';
}

/* Growing byte buffers for the tables. */
struct buf {
	char *p;
	size_t len, cap;
};

static size_t buf_add(struct buf *b, const void *data, size_t n)
{
	size_t off = b->len;

	if (b->len + n > b->cap) {
		b->cap = 2 * (b->len + n);
		b->p = realloc(b->p, b->cap);
		if (!b->p)
			die("out of memory");
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	return off;
}

static size_t str_add(struct buf *b, const char *s)
{
	return buf_add(b, s, strlen(s) + 1);
}

struct sec {
	const char *name;
	uint64_t start, end;
	size_t shndx;
};

static Elf_Scn *new_scn(Elf *e, Elf64_Shdr **sh, struct buf *shstr, const char *name,
			Elf64_Word type, Elf64_Xword flags)
{
	Elf_Scn *scn = elf_newscn(e);

	if (!scn || !(*sh = elf64_getshdr(scn)))
		die("libelf: new section");
	(*sh)->sh_name = str_add(shstr, name);
	(*sh)->sh_type = type;
	(*sh)->sh_flags = flags;
	return scn;
}

static void set_data(Elf_Scn *scn, Elf64_Shdr *sh, void *p, size_t n, size_t align,
		     size_t *off)
{
	Elf_Data *d = elf_newdata(scn);

	if (!d)
		die("libelf: new data");
	d->d_buf = p;
	d->d_size = n;
	d->d_align = align;
	d->d_type = ELF_T_BYTE;
	*off = (*off + align - 1) & ~(align - 1);
	sh->sh_offset = *off;
	sh->sh_size = n;
	sh->sh_addralign = align;
	*off += n;
}

static void parse_bid(const char *hex, unsigned char *bid, size_t *len)
{
	*len = 0;
	for (; hex[0] && hex[1] && *len < 20; hex += 2) {
		unsigned int v;

		if (sscanf(hex, "%2x", &v) != 1)
			die("bad build id");
		bid[(*len)++] = (unsigned char)v;
	}
}

static void vmlinux(const char *out, const char *bidhex, const char *split, const char *mangle)
{
	struct sec secs[] = {
		{ ".head.text", addr_of("_text"), addr_of("_stext"), 0 },
		{ ".text", addr_of("_stext"), 0, 0 },
		{ ".text.split", 0, addr_of("_etext"), 0 },
	};
	struct buf shstr = { 0 }, str = { 0 }, sym = { 0 }, note = { 0 };
	unsigned char bid[20];
	size_t bidlen = 0, off = sizeof(Elf64_Ehdr);
	Elf64_Shdr *sh, *symsh;
	Elf64_Sym s0 = { 0 };
	Elf_Scn *scn, *symscn, *strscn, *notescn = NULL;
	Elf64_Ehdr *eh;
	int fd;
	Elf *e;

	secs[1].end = secs[2].start = split && strcmp(split, "-") ? addr_of(split) : secs[2].end;
	if (bidhex && strcmp(bidhex, "-"))
		parse_bid(bidhex, bid, &bidlen);
	elf_version(EV_CURRENT);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_WRITE, NULL)))
		die("cannot create the output");
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_machine = EM_X86_64;
	eh->e_type = ET_EXEC;
	eh->e_version = EV_CURRENT;
	str_add(&shstr, "");
	str_add(&str, "");
	buf_add(&sym, &s0, sizeof(s0));
	for (size_t i = 0; i < 3; i++) {
		scn = new_scn(e, &sh, &shstr, secs[i].name, SHT_NOBITS, SHF_ALLOC | SHF_EXECINSTR);
		sh->sh_addr = secs[i].start;
		sh->sh_size = secs[i].end - secs[i].start;
		sh->sh_offset = 0x200000 + (secs[i].start & 0x1fffff);
		sh->sh_addralign = 16;
		secs[i].shndx = elf_ndxscn(scn);
	}
	for (size_t i = 0; i < nr; i++) {
		uint64_t a = syms[i].addr, next = i + 1 < nr ? syms[i + 1].addr : a;
		char mangled[700];
		const char *name = syms[i].name;
		Elf64_Sym s = { 0 };
		size_t k;

		if (!is_func(syms[i].type) && strcmp(name, "_text"))
			continue;
		for (k = 0; k < 3 && !(a >= secs[k].start && a < secs[k].end); k++)
			;
		if (k == 3)
			continue;
		if (mangle && !strcmp(name, mangle)) {
			snprintf(mangled, sizeof(mangled), "_ZN6kernel%zu%sEv", strlen(name), name);
			name = mangled;
		}
		s.st_name = str_add(&str, name);
		s.st_value = a;
		s.st_size = next > a && next <= secs[k].end ? next - a : 0;
		s.st_info = ELF64_ST_INFO(syms[i].type == 'W' || syms[i].type == 'w' ? STB_WEAK :
					  syms[i].type == 'T' ? STB_GLOBAL : STB_LOCAL, STT_FUNC);
		s.st_shndx = secs[k].shndx;
		buf_add(&sym, &s, sizeof(s));
	}
	if (bidlen) {
		uint32_t hdr[3] = { 4, (uint32_t)bidlen, 3 };

		buf_add(&note, hdr, sizeof(hdr));
		buf_add(&note, "GNU", 4);
		buf_add(&note, bid, bidlen);
		notescn = new_scn(e, &sh, &shstr, ".note.gnu.build-id", SHT_NOTE, SHF_ALLOC);
		set_data(notescn, sh, note.p, note.len, 4, &off);
	}
	symscn = new_scn(e, &symsh, &shstr, ".symtab", SHT_SYMTAB, 0);
	strscn = new_scn(e, &sh, &shstr, ".strtab", SHT_STRTAB, 0);
	set_data(strscn, sh, str.p, str.len, 1, &off);
	symsh = elf64_getshdr(symscn);
	set_data(symscn, symsh, sym.p, sym.len, 8, &off);
	symsh->sh_link = elf_ndxscn(strscn);
	symsh->sh_entsize = sizeof(Elf64_Sym);
	symsh->sh_info = 1;
	scn = new_scn(e, &sh, &shstr, ".shstrtab", SHT_STRTAB, 0);
	set_data(scn, sh, shstr.p, shstr.len, 1, &off);
	eh->e_shstrndx = elf_ndxscn(scn);
	eh->e_shoff = (off + 7) & ~7ul;
	if (elf_update(e, ELF_C_WRITE) < 0)
		die(elf_errmsg(-1));
	elf_end(e);
	close(fd);
	/* libelf wrote from these but does not own them */
	free(shstr.p);
	free(str.p);
	free(sym.p);
	free(note.p);
}

static void kcore(const char *out, const char *split, const char *resume)
{
	uint64_t text = addr_of("_stext") & ~0x1fffffULL, mid = addr_of(split), end = addr_of("_etext");
	struct { uint64_t start, end, off; uint32_t flags; } segs[] = {
		{ addr_of(resume), end, 0x40000000, PF_R | PF_W | PF_X },
		{ text, mid, 0x1000, PF_R | PF_W | PF_X },
		{ end, end + 0x100000, 0x80000000, 0 },
	};
	Elf64_Ehdr *eh;
	Elf64_Phdr *ph;
	int fd;
	Elf *e;

	elf_version(EV_CURRENT);
	fd = open(out, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || !(e = elf_begin(fd, ELF_C_WRITE, NULL)))
		die("cannot create the output");
	elf_flagelf(e, ELF_C_SET, ELF_F_LAYOUT);
	eh = elf64_newehdr(e);
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_machine = EM_X86_64;
	eh->e_type = ET_CORE;
	eh->e_version = EV_CURRENT;
	ph = elf64_newphdr(e, 3);
	if (!ph)
		die("libelf: program headers");
	eh->e_phoff = sizeof(*eh);
	for (int i = 0; i < 3; i++) {
		ph[i].p_type = PT_LOAD;
		ph[i].p_flags = segs[i].flags;
		ph[i].p_vaddr = segs[i].start;
		ph[i].p_offset = segs[i].off;
		ph[i].p_filesz = ph[i].p_memsz = segs[i].end - segs[i].start;
		ph[i].p_align = 4096;
	}
	if (elf_update(e, ELF_C_WRITE) < 0)
		die(elf_errmsg(-1));
	elf_end(e);
	/* the segments' bytes are holes: the file is as long as /proc/kcore says, and empty */
	if (ftruncate(fd, (off_t)(segs[2].off)))
		die("cannot size the output");
	close(fd);
}

int main(int argc, char **argv)
{
	if (argc < 4)
		die("usage: mkkernel vmlinux|kcore KALLSYMS OUT [...]");
	read_kallsyms(argv[2]);
	if (!strcmp(argv[1], "vmlinux"))
		vmlinux(argv[3], argc > 4 ? argv[4] : NULL, argc > 5 ? argv[5] : NULL,
			argc > 6 ? argv[6] : NULL);
	else if (!strcmp(argv[1], "kcore") && argc > 4)
		kcore(argv[3], argv[4], argc > 5 ? argv[5] : argv[4]);
	else
		die("unknown mode");
	return 0;
}
