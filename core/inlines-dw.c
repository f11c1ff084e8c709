// SPDX-License-Identifier: GPL-2.0-only
/*
 * addr2line's inline chains from libdw (see inlines-dw.h). Each unit's
 * function table is built once, when an address first falls in the unit,
 * as binutils builds it (bfd/dwarf2.c scan_unit_for_symbols(): facts
 * only): one entry per function DIE, its ranges, its caller.
 */
#include <dwarf.h>
#include <elfutils/libdw.h>
#include <fcntl.h>
#include <gelf.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "idmap.h"
#include "inlines-dw.h"
#include "util.h"

#define NONE		UINT32_MAX
#define MAX_DEPTH	512	/* DIE nesting walked; deeper units are left to addr2line */
#define MAX_ORIGINS	16	/* abstract_origin / specification links followed */
#define MAX_CHAIN	1025	/* perf keeps the first record and 1024 more */

struct dfn {
	Dwarf_Off off;			/* the DIE */
	uint32_t caller;		/* inlined: the nearest enclosing function */
	int8_t named;			/* 0 not yet, 1 name usable, -1 ask addr2line */
	const char *name;
};

struct drange {
	uint64_t lo, hi;
	uint32_t fn;
};

struct dunit {
	struct dfn *fns;
	size_t nr_fns, alloc_fns;
	struct drange *ranges;
	size_t nr_ranges, alloc_ranges;
	bool bad;			/* too deep, or unreadable: ask addr2line */
};

/* A symbol binutils' elf_find_function() may name a function by. */
struct dsym {
	uint64_t value;
	size_t shndx;
	const char *name;
};

struct fs_dwinl {
	int fd;
	Dwarf *dw;
	int syms_state;			/* 0 unread, 1 read, -1 none or unreadable */
	struct dsym *syms;
	size_t nr_syms, alloc_syms;
	struct fs_idmap units;		/* unit DIE offset -> index in unit[] */
	struct dunit *unit;
	size_t nr_units, alloc_units;
	const char **chain;		/* the last answer */
};

static bool is_function(int tag)
{
	return tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine ||
	       tag == DW_TAG_entry_point;
}

static int unit_add_fn(struct dunit *u, Dwarf_Die *die, uint32_t caller)
{
	Dwarf_Addr base, lo, hi;
	ptrdiff_t off = 0;
	uint32_t id = u->nr_fns;

	if (id == NONE - 1 || FS_GROW(u->fns, u->alloc_fns, u->nr_fns + 1))
		return -1;
	u->fns[u->nr_fns++] = (struct dfn){ dwarf_dieoffset(die), caller, 0, NULL };
	while ((off = dwarf_ranges(die, off, &base, &lo, &hi)) > 0) {
		if (hi <= lo)
			continue;
		if (FS_GROW(u->ranges, u->alloc_ranges, u->nr_ranges + 1))
			return -1;
		u->ranges[u->nr_ranges++] = (struct drange){ lo, hi, id };
	}
	return 0;
}

/* Every DIE of the unit, depth first, with the enclosing functions on a stack. */
static int unit_build(struct dunit *u, Dwarf_Die *cu)
{
	Dwarf_Die *stack = malloc(MAX_DEPTH * sizeof(*stack));
	uint32_t *encl = malloc(MAX_DEPTH * sizeof(*encl));
	int depth = 0, r = -1;

	if (!stack || !encl)
		goto out;
	encl[0] = NONE;
	if (dwarf_child(cu, &stack[0]) != 0) {
		r = 0;		/* no children: no functions */
		goto out;
	}
	for (;;) {
		Dwarf_Die *die = &stack[depth];
		int tag = dwarf_tag(die);
		uint32_t fn = NONE;

		if (is_function(tag)) {
			fn = u->nr_fns;
			if (unit_add_fn(u, die, tag == DW_TAG_inlined_subroutine ? encl[depth] : NONE))
				goto out;
		}
		if (dwarf_haschildren(die)) {
			if (depth + 1 == MAX_DEPTH) {
				u->bad = true;
				r = 0;
				goto out;
			}
			encl[depth + 1] = fn != NONE ? fn : encl[depth];
			if (dwarf_child(die, &stack[depth + 1]) == 0) {
				depth++;
				continue;
			}
		}
		/* next sibling, climbing up as levels end */
		for (;;) {
			int s = dwarf_siblingof(&stack[depth], &stack[depth]);

			if (s == 0)
				break;
			if (s < 0) {
				u->bad = true;
				r = 0;
				goto out;
			}
			if (depth-- == 0) {
				r = 0;
				goto out;
			}
		}
	}
out:
	free(stack);
	free(encl);
	return r;
}

static struct dunit *unit_of(struct fs_dwinl *dw, Dwarf_Die *cu)
{
	Dwarf_Off off = dwarf_dieoffset(cu);
	uint32_t id = fs_idmap__get(&dw->units, off);
	struct dunit *u;

	if (id != UINT32_MAX)
		return &dw->unit[id];
	if (FS_GROW(dw->unit, dw->alloc_units, dw->nr_units + 1))
		return NULL;
	u = &dw->unit[dw->nr_units];
	memset(u, 0, sizeof(*u));
	if (unit_build(u, cu)) {
		free(u->fns);
		free(u->ranges);
		return NULL;
	}
	if (fs_idmap__put(&dw->units, off, dw->nr_units)) {
		free(u->fns);
		free(u->ranges);
		return NULL;
	}
	dw->nr_units++;
	return u;
}

/* C's (and gas') DW_AT_name is what binutils counts as a linkage name (its mangle_style() 0). */
static bool lang_c(Dwarf_Die *die)
{
	Dwarf_Die cu;

	if (!dwarf_diecu(die, &cu, NULL, NULL))
		return false;
	switch (dwarf_srclang(&cu)) {
	case DW_LANG_C89:
	case DW_LANG_C:
	case DW_LANG_C99:
	case DW_LANG_C11:
	case DW_LANG_Mips_Assembler:	/* what gas says of its functions (glibc's string functions) */
		return true;
	default:
		return false;
	}
}

static const char *attr_string(Dwarf_Die *die, int name)
{
	Dwarf_Attribute a;

	return dwarf_attr(die, name, &a) ? dwarf_formstring(&a) : NULL;
}

/*
 * binutils' name of a function: a linkage name on the DIE or the ones it
 * refers to wins, else the first DW_AT_name, which is final only in C.
 */
static void fn_name(struct fs_dwinl *dw, struct dfn *f)
{
	Dwarf_Die die, next;
	const char *name = NULL;
	bool linkage = false;

	f->named = -1;
	if (!dwarf_offdie(dw->dw, f->off, &die))
		return;
	for (int i = 0; i < MAX_ORIGINS; i++) {
		Dwarf_Attribute a;
		const char *s = attr_string(&die, DW_AT_linkage_name);

		if (!s)
			s = attr_string(&die, DW_AT_MIPS_linkage_name);
		if (s) {
			name = s;
			linkage = true;
			break;
		}
		if (!name && (s = attr_string(&die, DW_AT_name))) {
			name = s;
			linkage = lang_c(&die);
		}
		if (!dwarf_attr(&die, DW_AT_abstract_origin, &a) &&
		    !dwarf_attr(&die, DW_AT_specification, &a))
			break;
		if (!dwarf_formref_die(&a, &next))
			return;
		die = next;
	}
	if (!name || !*name || !linkage)
		return;
	f->name = name;
	f->named = 1;
}

/* lookup_address_in_function_table(): the smallest range holding addr, the later on a tie. */
static uint32_t innermost(const struct dunit *u, uint64_t addr)
{
	uint64_t best_len = UINT64_MAX;
	uint32_t best = NONE;

	for (size_t i = 0; i < u->nr_ranges; i++) {
		const struct drange *r = &u->ranges[i];

		if (addr < r->lo || addr >= r->hi)
			continue;
		if (r->hi - r->lo < best_len || (r->hi - r->lo == best_len && r->fn > best)) {
			best_len = r->hi - r->lo;
			best = r->fn;
		}
	}
	return best;
}

/* .symtab's candidates (bfd's maybe_function_sym()); .dynsym's names would carry versions. */
static int read_syms(struct fs_dwinl *dw)
{
	Elf *elf = dwarf_getelf(dw->dw);
	Elf_Scn *scn = NULL;

	while (elf && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;
		Elf_Data *data;
		size_t n;

		if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_SYMTAB || !sh.sh_entsize)
			continue;
		data = elf_getdata(scn, NULL);
		n = data ? data->d_size / sh.sh_entsize : 0;
		for (size_t i = 1; i < n; i++) {
			GElf_Sym sym;
			int type;

			if (!gelf_getsym(data, i, &sym))
				return -1;
			type = GELF_ST_TYPE(sym.st_info);
			if (type == STT_SECTION || type == STT_FILE || type == STT_OBJECT ||
			    type == STT_COMMON || type == STT_TLS || type == 8 /* RELC */ ||
			    type == 9 /* SRELC */ || sym.st_shndx == SHN_UNDEF ||
			    sym.st_shndx >= SHN_LORESERVE)
				continue;
			/* annobin's hidden local untyped markers are no functions */
			if (!sym.st_size && GELF_ST_BIND(sym.st_info) == STB_LOCAL &&
			    type == STT_NOTYPE && GELF_ST_VISIBILITY(sym.st_other) == STV_HIDDEN)
				continue;
			if (FS_GROW(dw->syms, dw->alloc_syms, dw->nr_syms + 1))
				return -1;
			dw->syms[dw->nr_syms++] = (struct dsym){
				sym.st_value, sym.st_shndx, elf_strptr(elf, sh.sh_link, sym.st_name)
			};
			if (!dw->syms[dw->nr_syms - 1].name)
				return -1;
		}
		return dw->nr_syms ? 1 : -1;
	}
	return -1;
}

/* The first allocated section holding addr, as addr2line searches them; 0 for none. */
static size_t section_of(struct fs_dwinl *dw, uint64_t addr)
{
	Elf *elf = dwarf_getelf(dw->dw);
	Elf_Scn *scn = NULL;

	while (elf && (scn = elf_nextscn(elf, scn))) {
		GElf_Shdr sh;

		if (gelf_getshdr(scn, &sh) && (sh.sh_flags & SHF_ALLOC) && addr >= sh.sh_addr &&
		    addr - sh.sh_addr < sh.sh_size)
			return elf_ndxscn(scn);
	}
	return 0;
}

/*
 * The symbol-table name addr2line gives an address no DWARF function
 * holds: the nearest candidate at or below addr in its section. Where
 * several start there, binutils' choice depends on its version and path:
 * -1, ask addr2line. 0 with *name NULL: none.
 */
static int symtab_name(struct fs_dwinl *dw, size_t sec, uint64_t addr, const char **name)
{
	const struct dsym *best = NULL;
	bool unique = false;

	*name = NULL;
	if (!dw->syms_state)
		dw->syms_state = read_syms(dw);
	if (dw->syms_state < 0)
		return -1;
	for (size_t i = 0; i < dw->nr_syms; i++) {
		const struct dsym *s = &dw->syms[i];

		if (s->shndx != sec || s->value > addr)
			continue;
		if (!best || s->value > best->value) {
			best = s;
			unique = true;
		} else if (s->value == best->value) {
			unique = false;
		}
	}
	if (best && !unique)
		return -1;
	*name = best ? best->name : NULL;
	return 0;
}

/*
 * An address no DWARF function holds: named from the symbol table, in a
 * unit (in_unit) or not; no frames where addr2line finds nothing.
 */
static int names_from_symtab(struct fs_dwinl *dw, uint64_t addr, bool in_unit,
			     const char *const **names)
{
	size_t sec = section_of(dw, addr);
	const char *name;

	if (!sec)
		return in_unit ? -1 : 0;
	if (symtab_name(dw, sec, addr, &name))
		return -1;
	if (!name)	/* "??" with the unit's line, or nothing at all: not sure which */
		return in_unit ? -1 : 0;
	if (!dw->chain && !(dw->chain = malloc(MAX_CHAIN * sizeof(*dw->chain))))
		return -1;
	dw->chain[0] = name;
	*names = dw->chain;
	return 1;
}

int fs_dwinl__names(struct fs_dwinl *dw, uint64_t addr, const char *const **names)
{
	Dwarf_Die cu;
	struct dunit *u;
	uint32_t fn;
	int n = 0;

	*names = NULL;
	if (!dwarf_addrdie(dw->dw, addr, &cu))
		return names_from_symtab(dw, addr, false, names);
	u = unit_of(dw, &cu);
	if (!u || u->bad)
		return -1;
	if ((fn = innermost(u, addr)) == NONE)
		return names_from_symtab(dw, addr, true, names);
	if (!dw->chain && !(dw->chain = malloc(MAX_CHAIN * sizeof(*dw->chain))))
		return -1;
	for (; fn != NONE && n < MAX_CHAIN; fn = u->fns[fn].caller) {
		struct dfn *f = &u->fns[fn];

		if (!f->named)
			fn_name(dw, f);
		if (f->named < 0)
			return -1;
		dw->chain[n++] = f->name;
	}
	*names = dw->chain;
	return n;
}

struct fs_dwinl *fs_dwinl__open(const char *path)
{
	struct fs_dwinl *dw = calloc(1, sizeof(*dw));

	if (!dw)
		return NULL;
	dw->fd = open(path, O_RDONLY | O_CLOEXEC);
	if (dw->fd < 0)
		goto fail;
	dw->dw = dwarf_begin(dw->fd, DWARF_C_READ);
	if (!dw->dw || fs_idmap__init(&dw->units, 64))
		goto fail;
	return dw;
fail:
	if (dw->dw)
		dwarf_end(dw->dw);
	if (dw->fd >= 0)
		close(dw->fd);
	free(dw);
	return NULL;
}

void fs_dwinl__close(struct fs_dwinl *dw)
{
	if (!dw)
		return;
	for (size_t i = 0; i < dw->nr_units; i++) {
		free(dw->unit[i].fns);
		free(dw->unit[i].ranges);
	}
	free(dw->unit);
	fs_idmap__exit(&dw->units);
	free(dw->chain);
	free(dw->syms);
	dwarf_end(dw->dw);
	close(dw->fd);
	free(dw);
}
