// SPDX-License-Identifier: GPL-2.0-only
/*
 * DWARF unwinding of user stacks with libunwind's remote API, replaying the
 * accessors of perf 6.1's util/unwind-libunwind-local.c, return codes
 * included: libunwind acts on them (a failed file read is a success that
 * reads 0, a missing unwind table stops the walk while a missing FDE lets
 * libunwind fall back to the frame chain), so the frames perf prints come
 * out of the same decisions. As in perf, each process has its own address
 * space and libunwind caches per process what it parsed.
 *
 * libunwind's cache takes a lock that Debian's build guards by blocking
 * signals: two sigprocmask system calls per frame, most of an unwind's cost.
 * Most samples of a profile repeat a few call paths, so whole unwinds are
 * memoised by what they read (unwind-memo.h) and libunwind runs only for
 * samples that read something new.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libunwind.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buildid.h"
#include "symbols-files.h"
#include "unwind-memo.h"
#include "unwind.h"

/* Not in libunwind's public header; perf declares it the same way. */
extern int UNW_OBJ(dwarf_search_unwind_table)(unw_addr_space_t as, unw_word_t ip,
					      unw_dyn_info_t *di, unw_proc_info_t *pi,
					      int need_unwind_info, void *arg);

/* perf's register numbers (arch/x86/include/uapi/asm/perf_regs.h) */
enum {
	PREG_AX, PREG_BX, PREG_CX, PREG_DX, PREG_SI, PREG_DI, PREG_BP, PREG_SP, PREG_IP,
	PREG_R8 = 16, PREG_R9, PREG_R10, PREG_R11, PREG_R12, PREG_R13, PREG_R14, PREG_R15,
};

enum dso_type { TYPE_UNKNOWN, TYPE_64BIT, TYPE_32BIT, TYPE_X32 };

/* What perf caches about a dso's data file (dso->data). */
struct udso {
	bool opened;
	const uint8_t *data;		/* the whole file, NULL when it could not be opened */
	size_t size;
	bool mapped;			/* data is our mapping (not the symbolizer's vdso copy) */
	enum dso_type type;
	uint64_t hdr_addr, hdr_off;	/* .eh_frame_hdr's sh_addr and sh_offset; off 0: none */
	uint64_t elf_base;		/* the first PT_LOAD's p_vaddr, page aligned down */
};

struct fs_unwinder {
	struct fs_symbolizer *syms;
	enum { ARCH_NONE, ARCH_X86, ARCH_ARM, ARCH_OTHER } arch;
	struct udso *dsos;		/* by fs_dso.id */
	uint32_t nr_dsos;
	long page_size;
	struct fs_unwind_memo *memo;
	bool recording;			/* the unwind running is being memoised */
};

/* A process's libunwind address space (perf's maps->addr_space). */
struct fs_unwind_space {
	unw_addr_space_t as;
};

/* One unwind: what the accessors see (perf's struct unwind_info). */
struct ctx {
	struct fs_unwinder *u;
	const struct fs_unwind_proc *proc;
	const struct fs_sample *s;
	uint64_t mask;			/* the sample's sample_regs_user */
	uint64_t stack_size;		/* dyn_size, as perf's user_stack.size */
};

/* ---- dso data files ---- */

static struct udso *udso_of(struct fs_unwinder *u, const struct fs_dso *dso)
{
	if (dso->id >= u->nr_dsos) {
		uint32_t n = dso->id + 64;
		struct udso *v = realloc(u->dsos, n * sizeof(*v));

		if (!v)
			return NULL;
		memset(v + u->nr_dsos, 0, (n - u->nr_dsos) * sizeof(*v));
		u->dsos = v;
		u->nr_dsos = n;
	}
	return &u->dsos[dso->id];
}

/* perf's dso__type_fd(): the ELF class (and machine for 32-bit ones). */
static enum dso_type elf_type(Elf *elf)
{
	GElf_Ehdr ehdr;

	if (!elf || elf_kind(elf) != ELF_K_ELF)
		return TYPE_UNKNOWN;
	if (gelf_getclass(elf) == ELFCLASS64)
		return TYPE_64BIT;
	if (!gelf_getehdr(elf, &ehdr))
		return TYPE_UNKNOWN;
	return ehdr.e_machine == EM_X86_64 ? TYPE_X32 : TYPE_32BIT;
}

/* What perf reads with libelf from the data file: the class, .eh_frame_hdr, the load base. */
static void udso_read_elf(struct fs_unwinder *u, struct udso *d)
{
	Elf *elf = elf_memory((char *)d->data, d->size);
	GElf_Ehdr ehdr;
	GElf_Shdr shdr;
	GElf_Phdr phdr;
	size_t nr = 0;

	d->type = elf_type(elf);
	if (elf && elf_kind(elf) == ELF_K_ELF && gelf_getehdr(elf, &ehdr)) {
		if (fs_elf__section_by_name(elf, &ehdr, &shdr, ".eh_frame_hdr", NULL)) {
			d->hdr_addr = shdr.sh_addr;
			d->hdr_off = shdr.sh_offset;
		}
		/* PT_LOAD segments are sorted by p_vaddr: the first is the lowest */
		elf_getphdrnum(elf, &nr);
		for (size_t i = 0; i < nr; i++) {
			if (gelf_getphdr(elf, (int)i, &phdr) && phdr.p_type == PT_LOAD) {
				d->elf_base = phdr.p_vaddr & -(uint64_t)u->page_size;
				break;
			}
		}
	}
	if (elf)
		elf_end(elf);
}

/* The dso's data file, opened and mapped once (perf: dso__data_get_fd()). */
static struct udso *udso_open(struct fs_unwinder *u, const struct fs_dso *dso)
{
	struct udso *d = udso_of(u, dso);
	const void *image;
	size_t image_size;
	char path[4096];
	struct stat st;
	int fd;

	if (!d || d->opened)
		return d;
	d->opened = true;
	if (fs_symbolizer__data_file(u->syms, dso, path, sizeof(path), &image, &image_size))
		return d;
	if (image) {
		d->data = image;
		d->size = image_size;
	} else {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return d;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
			/* writable private pages: libelf may touch them, the file never changes */
			void *p = mmap(NULL, st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);

			if (p != MAP_FAILED) {
				d->data = p;
				d->size = st.st_size;
				d->mapped = true;
			}
		}
		close(fd);
	}
	if (d->data)
		udso_read_elf(u, d);
	return d;
}

/* perf's dso__data_read_offset(): all size bytes at off, or -1. */
static int udso_read(const struct udso *d, uint64_t off, void *buf, size_t size)
{
	if (!d || !d->data || off > d->size || size > d->size - off)
		return -1;
	memcpy(buf, d->data + off, size);
	return 0;
}

/* ---- registers and memory ---- */

/* perf's perf_reg_value(): the id-th register of the sample's mask. */
static int reg_value(const struct ctx *c, int id, uint64_t *val)
{
	uint64_t below;

	if (id < 0 || id >= 64 || !(c->mask & (1ULL << id)))
		return -EINVAL;
	below = c->mask & ((1ULL << id) - 1);
	if ((uint32_t)__builtin_popcountll(below) >= c->s->nr_user_regs)
		return -EINVAL;	/* the reader sized the registers from this mask */
	memcpy(val, &c->s->user_regs[__builtin_popcountll(below)], 8);
	return 0;
}

/* perf's LIBUNWIND__ARCH_REG_ID() for x86_64. */
static int reg_id(unw_regnum_t regnum)
{
	static const int8_t ids[] = {
		[UNW_X86_64_RAX] = PREG_AX, [UNW_X86_64_RDX] = PREG_DX, [UNW_X86_64_RCX] = PREG_CX,
		[UNW_X86_64_RBX] = PREG_BX, [UNW_X86_64_RSI] = PREG_SI, [UNW_X86_64_RDI] = PREG_DI,
		[UNW_X86_64_RBP] = PREG_BP, [UNW_X86_64_RSP] = PREG_SP, [UNW_X86_64_R8] = PREG_R8,
		[UNW_X86_64_R9] = PREG_R9, [UNW_X86_64_R10] = PREG_R10, [UNW_X86_64_R11] = PREG_R11,
		[UNW_X86_64_R12] = PREG_R12, [UNW_X86_64_R13] = PREG_R13, [UNW_X86_64_R14] = PREG_R14,
		[UNW_X86_64_R15] = PREG_R15, [UNW_X86_64_RIP] = PREG_IP,
	};

	if (regnum < 0 || regnum > UNW_X86_64_RIP)
		return -EINVAL;
	return ids[regnum];
}

static bool find_map(const struct ctx *c, uint64_t addr, struct fs_unwind_map *map)
{
	return c->proc->find_map(c->proc->arg, addr, map);
}

/* perf's access_dso_mem(): -1 without a map or dso, 1 when the file has no such bytes. */
static int dso_mem(const struct ctx *c, uint64_t addr, unw_word_t *val)
{
	struct fs_unwind_map map;
	struct udso *d;

	if (!find_map(c, addr, &map) || !map.dso)
		return -1;
	d = udso_open(c->u, map.dso);
	return udso_read(d, map.identity ? addr : addr - map.start + map.pgoff, val, 8) ? 1 : 0;
}

static int access_mem(unw_addr_space_t as, unw_word_t addr, unw_word_t *val, int write, void *arg)
{
	struct ctx *c = arg;
	uint64_t start, end;
	int ret;

	(void)as;
	if (write || !c->s->user_regs) {
		*val = 0;
		return 0;
	}
	ret = reg_value(c, PREG_SP, &start);
	if (ret)
		return ret;
	end = start + c->stack_size;
	if (addr + sizeof(unw_word_t) < addr)
		return -EINVAL;
	/* as perf: the stack copy's last word is read from the file instead */
	if (addr < start || addr + sizeof(unw_word_t) >= end) {
		ret = dso_mem(c, addr, val);
		if (ret)
			*val = 0;
		if (c->u->recording)
			fs_unwind_memo__mem(c->u->memo, addr, ret, *val);
		return ret;
	}
	memcpy(val, (const uint8_t *)c->s->user_stack + (addr - start), sizeof(*val));
	if (c->u->recording)
		fs_unwind_memo__stack(c->u->memo, addr, *val);
	return 0;
}

static int access_reg(unw_addr_space_t as, unw_regnum_t regnum, unw_word_t *val, int write,
		      void *arg)
{
	struct ctx *c = arg;
	uint64_t v;
	int id, ret;

	(void)as;
	if (write)
		return 0;
	if (!c->s->user_regs) {
		*val = 0;
		return 0;
	}
	id = reg_id(regnum);
	if (id < 0)
		return -EINVAL;
	ret = reg_value(c, id, &v);
	if (ret)
		return ret;	/* the same for every sample of this mask: nothing to record */
	*val = v;
	if (c->u->recording)
		fs_unwind_memo__reg(c->u->memo, id, v);
	return 0;
}

/* A DW_EH_PE-encoded value as perf's __dw_read_encoded_value() reads it; -1 when it cannot. */
static int read_encoded(const uint8_t **p, const uint8_t *end, uint64_t *val, uint8_t enc)
{
	const uint8_t *cur = *p;
	size_t size;
	int64_t sv;

	*val = 0;
	if (enc == 0xff)			/* DW_EH_PE_omit */
		return 0;
	if (enc == 0x00) {			/* DW_EH_PE_ptr */
		size = 8;
		if ((size_t)(end - cur) < size)
			return -1;
		memcpy(val, cur, size);
		*p = cur + size;
		return 0;
	}
	switch (enc & 0x70) {
	case 0x00:				/* absptr */
		break;
	case 0x10:				/* pcrel: perf adds its own buffer's address; */
		break;				/* only the count's value would differ */
	default:
		return -1;
	}
	if ((enc & 0x07) == 0x00)
		enc |= 0x03;
	switch (enc & 0x0f) {
	case 0x0b: {				/* sdata4 */
		int32_t v;

		if (end - cur < 4)
			return -1;
		memcpy(&v, cur, 4);
		sv = v;
		*val += (uint64_t)sv;
		cur += 4;
		break;
	}
	case 0x03: {				/* udata4 */
		uint32_t v;

		if (end - cur < 4)
			return -1;
		memcpy(&v, cur, 4);
		*val += v;
		cur += 4;
		break;
	}
	case 0x0c:				/* sdata8 */
	case 0x04: {				/* udata8 */
		uint64_t v;

		if (end - cur < 8)
			return -1;
		memcpy(&v, cur, 8);
		*val += v;
		cur += 8;
		break;
	}
	default:
		return -1;
	}
	*p = cur;
	return 0;
}

struct base_walk {
	const struct fs_dso *dso;
	uint64_t base;
};

/* perf's loop, kept as it is: the comparison is with the running base. */
static void base_fn(void *arg, const struct fs_unwind_map *map)
{
	struct base_walk *w = arg;

	if (map->dso == w->dso && map->start < w->base)
		w->base = map->start - map->pgoff;
}

/* perf's read_unwind_spec_eh_frame(): where the search table is, in process addresses. */
static int eh_frame_spec(struct ctx *c, const struct fs_dso *dso, uint64_t *table_data,
			 uint64_t *segbase, uint64_t *fde_count)
{
	struct udso *d = udso_open(c->u, dso);
	struct base_walk w = { .dso = dso, .base = UINT64_MAX };
	uint8_t hdr[4 + 16];
	const uint8_t *p = hdr + 4, *end = hdr + sizeof(hdr);
	uint64_t skip;

	if (!d || !d->data || !d->hdr_off)
		return -EINVAL;
	c->proc->for_each_map(c->proc->arg, base_fn, &w);
	*segbase = w.base - d->elf_base + d->hdr_addr;
	if (udso_read(d, d->hdr_off, hdr, sizeof(hdr)) ||
	    read_encoded(&p, end, &skip, hdr[1]) || read_encoded(&p, end, fde_count, hdr[2]))
		return -EINVAL;
	*table_data = *segbase + (uint64_t)(p - hdr);
	return 0;
}

static int find_proc_info(unw_addr_space_t as, unw_word_t ip, unw_proc_info_t *pi,
			  int need_unwind_info, void *arg)
{
	struct ctx *c = arg;
	struct fs_unwind_map map;
	uint64_t table_data, segbase, fde_count;
	unw_dyn_info_t di;

	if (!find_map(c, ip, &map) || !map.dso)
		return -EINVAL;
	if (eh_frame_spec(c, map.dso, &table_data, &segbase, &fde_count))
		return -EINVAL;
	memset(&di, 0, sizeof(di));
	di.format = UNW_INFO_FORMAT_REMOTE_TABLE;
	di.start_ip = map.start;
	di.end_ip = map.end;
	di.u.rti.segbase = segbase;
	di.u.rti.table_data = table_data;
	/* entries are two 32-bit words; the length is in unw_word_t units */
	di.u.rti.table_len = fde_count * 8 / sizeof(unw_word_t);
	return UNW_OBJ(dwarf_search_unwind_table)(as, ip, &di, pi, need_unwind_info, arg);
}

static void put_unwind_info(unw_addr_space_t as, unw_proc_info_t *pi, void *arg)
{
	(void)as, (void)pi, (void)arg;
}

static int get_dyn_info_list_addr(unw_addr_space_t as, unw_word_t *addr, void *arg)
{
	(void)as, (void)addr, (void)arg;
	return -UNW_ENOINFO;
}

static int access_fpreg(unw_addr_space_t as, unw_regnum_t num, unw_fpreg_t *val, int write,
			void *arg)
{
	(void)as, (void)num, (void)val, (void)write, (void)arg;
	return -UNW_EINVAL;
}

static int resume(unw_addr_space_t as, unw_cursor_t *cu, void *arg)
{
	(void)as, (void)cu, (void)arg;
	return -UNW_EINVAL;
}

static int get_proc_name(unw_addr_space_t as, unw_word_t addr, char *buf, size_t len,
			 unw_word_t *off, void *arg)
{
	(void)as, (void)addr, (void)buf, (void)len, (void)off, (void)arg;
	return -UNW_EINVAL;
}

static unw_accessors_t accessors = {
	.find_proc_info = find_proc_info,
	.put_unwind_info = put_unwind_info,
	.get_dyn_info_list_addr = get_dyn_info_list_addr,
	.access_mem = access_mem,
	.access_reg = access_reg,
	.access_fpreg = access_fpreg,
	.resume = resume,
	.get_proc_name = get_proc_name,
};

/* ---- the API ---- */

struct fs_unwinder *fs_unwinder__new(struct fs_symbolizer *syms, const char *arch)
{
	struct fs_unwinder *u = calloc(1, sizeof(*u));

	if (!u)
		return NULL;
	u->syms = syms;
	u->page_size = sysconf(_SC_PAGESIZE);
	if (u->page_size <= 0)
		u->page_size = 4096;
	/* perf_env__arch()'s normalization, as far as the choice of unwinder goes */
	if (!arch)
		u->arch = ARCH_NONE;
	else if (!strcmp(arch, "x86_64") || !strcmp(arch, "amd64") ||
		 (arch[0] == 'i' && !strcmp(arch + 2, "86")))
		u->arch = ARCH_X86;
	else if (!strncmp(arch, "arm", 3) || !strcmp(arch, "aarch64") || !strncmp(arch, "sa110", 5))
		u->arch = ARCH_ARM;
	else
		u->arch = ARCH_OTHER;
	u->memo = fs_unwind_memo__new();
	if (!u->memo) {
		free(u);
		return NULL;
	}
	elf_version(EV_CURRENT);
	return u;
}

void fs_unwinder__delete(struct fs_unwinder *u)
{
	if (!u)
		return;
	for (uint32_t i = 0; i < u->nr_dsos; i++)
		if (u->dsos[i].mapped)
			munmap((void *)u->dsos[i].data, u->dsos[i].size);
	free(u->dsos);
	fs_unwind_memo__delete(u->memo);
	free(u);
}

bool fs_unwinder__prepare(struct fs_unwinder *u, struct fs_dso *dso)
{
	struct udso *d;

	if (u->arch == ARCH_NONE)
		return true;	/* perf registers without looking when the file names no arch */
	d = dso ? udso_open(u, dso) : NULL;
	if (!d || !d->data || d->type == TYPE_UNKNOWN)
		return false;
	switch (u->arch) {
	case ARCH_X86:
		return d->type == TYPE_64BIT;	/* no x86_32 unwinder in this perf */
	case ARCH_ARM:
		return d->type != TYPE_64BIT;	/* no arm64 one either */
	default:
		return true;
	}
}

struct fs_unwind_space *fs_unwinder__space(struct fs_unwinder *u)
{
	struct fs_unwind_space *sp = calloc(1, sizeof(*sp));

	(void)u;
	if (!sp)
		return NULL;
	sp->as = unw_create_addr_space(&accessors, 0);
	if (!sp->as) {
		free(sp);
		return NULL;
	}
	unw_set_caching_policy(sp->as, UNW_CACHE_GLOBAL);
	return sp;
}

void fs_unwind_space__delete(struct fs_unwind_space *sp)
{
	if (!sp)
		return;
	unw_destroy_addr_space(sp->as);
	free(sp);
}

void fs_unwind_space__flush(struct fs_unwind_space *sp)
{
	if (sp)
		unw_flush_cache(sp->as, 0, 0);
}

/* ---- what the memo reads of a sample ---- */

static int memo_reg(void *arg, int id, uint64_t *val)
{
	return reg_value(arg, id, val);
}

static int memo_mem(void *arg, uint64_t addr, uint64_t *val)
{
	int ret = dso_mem(arg, addr, val);

	if (ret)
		*val = 0;
	return ret;
}

/* perf's get_entries() loop. */
static int unwind(struct fs_unwind_space *sp, struct ctx *c, uint64_t *ips, int max)
{
	unw_cursor_t cursor;
	int n = 1, ret;

	ret = unw_init_remote(&cursor, sp->as, c);
	while (!ret && unw_step(&cursor) > 0 && n < max) {
		unw_word_t w = 0;

		unw_get_reg(&cursor, UNW_REG_IP, &w);
		/* perf names the call, not the return address, except for signal frames */
		if (unw_is_signal_frame(&cursor) <= 0)
			w--;
		ips[n++] = w;
	}
	return ret ? -1 : n;
}

int fs_unwinder__unwind(struct fs_unwinder *u, struct fs_unwind_space *sp,
			const struct fs_unwind_proc *proc, const struct fs_sample *s,
			uint64_t *ips, int max)
{
	struct ctx c = {
		.u = u, .proc = proc, .s = s,
		.mask = s->evsel ? s->evsel->attr.sample_regs_user : 0,
		/* perf refuses a sample whose dyn_size exceeds its stack copy; never read past it */
		.stack_size = s->user_stack_dyn_size < s->user_stack_size ?
			      s->user_stack_dyn_size : s->user_stack_size,
	};
	struct fs_memo_sample ms = {
		.gen = proc->gen, .size = c.stack_size, .mask = c.mask, .max = max,
		.stack = s->user_stack, .reg = memo_reg, .mem = memo_mem, .arg = &c,
	};
	struct fs_unwind_map map;
	int n;

	if (!s->user_regs || !c.stack_size || !s->user_stack)
		return 0;
	if (max <= 0 || reg_value(&c, PREG_IP, &ms.ip))
		return -1;
	ips[0] = ms.ip;
	if (max == 1)
		return 1;
	if (!sp)
		return -1;
	if (reg_value(&c, PREG_SP, &ms.sp))
		return unwind(sp, &c, ips, max);	/* fails at once: nothing to remember */
	n = fs_unwind_memo__find(u->memo, &ms, ips + 1);
	if (n != -2)
		return n < 0 ? -1 : n + 1;
	if (find_map(&c, ms.sp, &map)) {
		ms.map_lo = map.start;
		ms.map_hi = map.end;
	}
	fs_unwind_memo__begin(u->memo, &ms);
	u->recording = true;
	n = unwind(sp, &c, ips, max);
	u->recording = false;
	/* the frames after the IP: it is the key's own */
	fs_unwind_memo__end(u->memo, n < 0 ? -1 : n - 1, ips + 1);
	return n;
}

bool fs_unwind__arch_supported(const char *arch)
{
	return !arch || !strcmp(arch, "x86_64") || !strcmp(arch, "amd64");
}

void fs_unwinder__stats(const struct fs_unwinder *u, uint64_t *hits, uint64_t *misses)
{
	fs_unwind_memo__stats(u->memo, hits, misses);
}
