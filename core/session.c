// SPDX-License-Identifier: GPL-2.0-only
/*
 * session: threads, comms and maps as perf 6.1 keeps them (util/machine.c,
 * thread.c, maps.c, map.c), and callchain resolution as
 * thread__resolve_callchain() does it for perf script.
 *
 * Maps are immutable once inserted: an overlap fix-up makes new pieces
 * instead of editing old ones, and every change to a process's map set
 * gives it a new generation number. So (generation, ip) -> (map, symbol)
 * can be cached forever in a direct-mapped table: the hot path is one hash
 * probe per frame. Nothing is freed before fs_session__delete(), so stale
 * cache entries (old generations) never point at freed memory.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "inlines.h"
#include "maptree.h"
#include "session.h"
#include "symbols-kmap.h"
#include "strtab.h"
#include "unwind.h"
#include "util.h"

#define MAP_HUGETLB_FLAG	0x40000		/* MAP_HUGETLB on every Linux arch we read */
#define PROT_EXEC_FLAG		0x4
#define CACHE_MIN_BITS		14	/* 512 KB: grows with the working set */
#define CACHE_MAX_BITS		20

struct fs_map {
	uint64_t start, end, pgoff;
	struct fs_dso *dso;
	const struct fs_symbol *ksym;	/* KSYMBOL maps hold their one symbol */
	bool identity;			/* map_ip(ip) == ip: kernel, anon/JIT */
	bool kernel;			/* perf's dso->kernel: frames print the ip */
	bool kmap;			/* the kernel's own map ([kernel.kallsyms]) */
};

struct fs_maps {
	struct fs_maptree tree;		/* by start: O(log n) whatever order maps come in */
	uint64_t gen;
	struct fs_maps *next;		/* all maps sets, for delete */
	bool unwind_ready;		/* perf registered its DWARF unwinder for the process */
	struct fs_unwind_space *unwind;	/* made at the first sample unwound */
};

struct thread {
	struct fs_thread pub;
	int32_t ns_pid;			/* perf's nsinfo pid: the pid at creation */
	bool comm_set;
	struct fs_maps *maps;
	struct thread *hnext;		/* hash chain */
	struct thread *next;		/* all threads, dead ones included */
};

struct cache_entry {
	uint64_t gen, ip;
	struct fs_map *map;
	const struct fs_symbol *sym;
};

struct bid {
	const char *name;
	const uint8_t *data;
	uint8_t size;
};

struct fs_session {
	struct fs_symbolizer *syms;
	struct fs_strtab *strs;
	struct thread **buckets;
	uint32_t nr_buckets, nr_threads;
	struct thread *all_threads, *last_match;
	struct fs_maps *kmaps, *all_maps;
	struct fs_map *kernel_map;	/* the last [kernel.kallsyms] map */
	struct fs_dso *kernel_syms_dso;	/* kernel_has_syms is about this dso */
	bool kernel_has_syms;
	bool kernel_ready;		/* symbols loaded, a vmlinux's or kcore's maps in place */
	bool resolved;			/* a sample's ip was resolved (fs_session__resolve_ip()) */
	struct fs_map **all_map_objs;
	size_t nr_map_objs, alloc_map_objs;
	struct fs_symbol **ksyms;	/* KSYMBOL symbols, for delete */
	size_t nr_ksyms;
	uint64_t next_gen;
	struct bid *bids;
	uint32_t nr_bids;
	struct cache_entry *cache;
	unsigned int cache_bits;
	uint64_t cache_misses;
	/* --call-graph dwarf: unwinding (unwind.h) and inline frames (inlines.h) */
	const struct fs_header *hdr;
	bool dwarf;			/* some event samples user registers and stack */
	struct fs_unwinder *unwinder;
	struct fs_inlines *inlines;
	uint64_t *ips;			/* scratch for unwound addresses */
	int nr_ips;
};

/* ---- maps ---- */

static struct fs_maps *maps__new(struct fs_session *ss)
{
	struct fs_maps *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->gen = ++ss->next_gen;
	m->next = ss->all_maps;
	ss->all_maps = m;
	return m;
}

static struct fs_map *map__new(struct fs_session *ss, const struct fs_map *tmpl)
{
	struct fs_map *map;

	if (ss->nr_map_objs == ss->alloc_map_objs) {
		size_t n = ss->alloc_map_objs ? ss->alloc_map_objs * 2 : 256;
		struct fs_map **v = realloc(ss->all_map_objs, n * sizeof(*v));

		if (!v)
			return NULL;
		ss->all_map_objs = v;
		ss->alloc_map_objs = n;
	}
	map = malloc(sizeof(*map));
	if (!map)
		return NULL;
	*map = *tmpl;
	ss->all_map_objs[ss->nr_map_objs++] = map;
	return map;
}

static inline uint64_t map__map_ip(const struct fs_map *map, uint64_t ip)
{
	return map->identity ? ip : ip - map->start + map->pgoff;
}

/* Inserts by start, after equal starts (no fix-up: perf's maps__insert). */
static int maps__insert(struct fs_session *ss, struct fs_maps *m, struct fs_map *map)
{
	if (fs_maptree__insert(&m->tree, map->start, map->end, map))
		return -1;
	m->gen = ++ss->next_gen;
	return 0;
}

static void maps__remove(struct fs_session *ss, struct fs_maps *m, const struct fs_map *map)
{
	if (fs_maptree__remove(&m->tree, map->start, map))
		m->gen = ++ss->next_gen;
}

/*
 * perf's maps__fixup_overlappings(): every map overlapping the new one is
 * removed, keeping the parts before and after it as new maps.
 */
static int maps__fixup_insert(struct fs_session *ss, struct fs_maps *m, struct fs_map *map)
{
	struct fs_map *before = NULL, *after = NULL, *pos;

	while ((pos = fs_maptree__first_above(&m->tree, map->start)) && pos->start < map->end) {
		if (map->start > pos->start) {
			before = map__new(ss, pos);
			if (!before)
				return -1;
			before->end = map->start;
		}
		if (map->end < pos->end) {
			after = map__new(ss, pos);
			if (!after)
				return -1;
			after->start = map->end;
			after->pgoff += map->end - pos->start;
		}
		maps__remove(ss, m, pos);
	}
	if ((before && maps__insert(ss, m, before)) || (after && maps__insert(ss, m, after)))
		return -1;
	return maps__insert(ss, m, map);
}

static struct fs_map *maps__find(const struct fs_maps *m, uint64_t ip)
{
	struct fs_map *map;

	if (!m || !m->tree.nr)
		return NULL;
	map = fs_maptree__first_above(&m->tree, ip);
	return map && map->start <= ip ? map : NULL;
}

/* The maps in start order, for walks that change the set as they go; NULL when out of memory. */
struct map_list {
	struct fs_map **v;
	uint32_t n;
};

static int map_list__add(void *ctx, void *item)
{
	struct map_list *l = ctx;

	l->v[l->n++] = item;
	return 0;
}

static struct fs_map **maps__snapshot(const struct fs_maps *m, uint32_t *n)
{
	struct map_list l = { .v = malloc((m->tree.nr + 1) * sizeof(*l.v)) };

	if (l.v)
		fs_maptree__for_each(&m->tree, map_list__add, &l);
	*n = l.n;
	return l.v;
}

/* perf's dwarf_callchain_users: some event samples user registers and stack. */
static bool session_dwarf(struct fs_session *ss)
{
	if (ss->dwarf || !ss->hdr)
		return ss->dwarf;
	for (uint32_t i = 0; i < ss->hdr->nr_evsels; i++) {
		uint64_t st = ss->hdr->evsels[i].attr.sample_type;

		if ((st & PERF_SAMPLE_REGS_USER) && (st & PERF_SAMPLE_STACK_USER))
			ss->dwarf = true;
	}
	if (ss->dwarf) {
		ss->unwinder = fs_unwinder__new(ss->syms, ss->hdr->arch);
		ss->inlines = fs_inlines__new(ss->syms);
	}
	return ss->dwarf;
}

/* perf's unwind__prepare_access() for each map a process gets, until one registers. */
static void maps__prepare_unwind(struct fs_session *ss, struct fs_maps *m, const struct fs_map *map)
{
	if (!m->unwind_ready && session_dwarf(ss) && ss->unwinder)
		m->unwind_ready = fs_unwinder__prepare(ss->unwinder, map->dso);
}

/* ---- threads ---- */

static struct thread *threads__find(struct fs_session *ss, int32_t tid)
{
	struct thread *th = ss->buckets[(uint32_t)tid & (ss->nr_buckets - 1)];

	while (th && th->pub.tid != tid)
		th = th->hnext;
	return th;
}

static void threads__unlink(struct fs_session *ss, struct thread *th)
{
	struct thread **p = &ss->buckets[(uint32_t)th->pub.tid & (ss->nr_buckets - 1)];

	while (*p && *p != th)
		p = &(*p)->hnext;
	if (*p) {
		*p = th->hnext;
		ss->nr_threads--;
	}
	if (ss->last_match == th)
		ss->last_match = NULL;
}

static void threads__grow(struct fs_session *ss)
{
	uint32_t n = ss->nr_buckets * 4;
	struct thread **b = calloc(n, sizeof(*b));

	if (!b)
		return;		/* longer chains, still correct */
	for (uint32_t i = 0; i < ss->nr_buckets; i++) {
		struct thread *th = ss->buckets[i], *next;

		for (; th; th = next) {
			next = th->hnext;
			th->hnext = b[(uint32_t)th->pub.tid & (n - 1)];
			b[(uint32_t)th->pub.tid & (n - 1)] = th;
		}
	}
	free(ss->buckets);
	ss->buckets = b;
	ss->nr_buckets = n;
}

static struct thread *findnew(struct fs_session *ss, int32_t pid, int32_t tid);

/* perf's machine__update_thread_pid(): a thread first seen without its pid joins its process. */
static void thread__update_pid(struct fs_session *ss, struct thread *th, int32_t pid)
{
	struct thread *leader;

	if (pid == th->pub.pid || pid == -1 || th->pub.pid != -1)
		return;
	th->pub.pid = pid;
	if (pid == th->pub.tid)
		return;
	leader = findnew(ss, pid, pid);
	if (!leader)
		return;
	if (!leader->maps)
		leader->maps = maps__new(ss);
	if (leader->maps)
		th->maps = leader->maps;
}

/* perf's machine__findnew_thread(): found by tid; new threads are named ":tid". */
static struct thread *findnew(struct fs_session *ss, int32_t pid, int32_t tid)
{
	struct thread *th = ss->last_match;
	char comm[16];
	uint32_t h;

	if (!th || th->pub.tid != tid)
		th = threads__find(ss, tid);
	if (th) {
		ss->last_match = th;
		thread__update_pid(ss, th, pid);
		return th;
	}
	th = calloc(1, sizeof(*th));
	if (!th)
		return NULL;
	th->pub.pid = pid;
	th->pub.tid = tid;
	th->ns_pid = pid;
	snprintf(comm, sizeof(comm), ":%d", tid);
	th->pub.comm = fs_strtab__intern(ss->strs, comm, strlen(comm));
	h = (uint32_t)tid & (ss->nr_buckets - 1);
	th->hnext = ss->buckets[h];
	ss->buckets[h] = th;
	th->next = ss->all_threads;
	ss->all_threads = th;
	if (++ss->nr_threads > ss->nr_buckets)
		threads__grow(ss);
	/* perf's thread__init_maps(): threads share their leader's maps */
	if (pid == tid || pid == -1) {
		th->maps = maps__new(ss);
	} else {
		struct thread *leader = findnew(ss, pid, pid);

		th->maps = leader ? leader->maps : NULL;
	}
	ss->last_match = th;
	return th;
}

struct fs_thread *fs_session__thread(struct fs_session *ss, int32_t pid, int32_t tid)
{
	struct thread *th = findnew(ss, pid, tid);

	return th ? &th->pub : NULL;
}

static int thread__set_comm(struct fs_session *ss, struct thread *th, const char *comm, size_t len)
{
	const char *s = fs_strtab__intern(ss->strs, comm, len);

	if (!s)
		return -1;
	th->pub.comm = s;
	th->comm_set = true;
	return 0;
}

/* ---- records ---- */

static const char *record_str(const union perf_event *ev, const char *s, size_t *len)
{
	const char *end = (const char *)ev + ev->header.size;

	if (s >= end)
		return NULL;
	*len = strnlen(s, end - s);
	return *len < (size_t)(end - s) ? s : NULL;
}

static int process_comm(struct fs_session *ss, const union perf_event *ev, struct fs_error *err)
{
	struct thread *th;
	const char *comm;
	size_t len;

	if (ev->header.size < sizeof(ev->comm.header) + 8)
		return fs_error__set(err, "COMM record too short");
	comm = record_str(ev, ev->comm.comm, &len);
	if (!comm)
		return 0;	/* perf would read garbage; we skip it */
	th = findnew(ss, ev->comm.pid, ev->comm.tid);
	if (!th)
		return fs_error__set(err, "out of memory");
	/* perf forgets what its unwinder cached for a process that execs */
	if ((ev->header.misc & PERF_RECORD_MISC_COMM_EXEC) && th->comm_set && th->maps)
		fs_unwind_space__flush(th->maps->unwind);
	if (thread__set_comm(ss, th, comm, len))
		return fs_error__set(err, "out of memory");
	return 0;
}

struct clone_ctx {
	struct fs_session *ss;
	struct fs_maps *dst;
};

static int clone_one(void *arg, void *item)
{
	struct clone_ctx *c = arg;

	maps__prepare_unwind(c->ss, c->dst, item);
	return maps__insert(c->ss, c->dst, item);
}

static int maps__clone_into(struct fs_session *ss, struct fs_maps *dst, const struct fs_maps *src)
{
	struct clone_ctx c = { ss, dst };

	return fs_maptree__for_each(&src->tree, clone_one, &c);
}

static int process_fork(struct fs_session *ss, const union perf_event *ev, struct fs_error *err)
{
	const struct perf_record_fork *f = &ev->fork;
	struct thread *th, *parent;

	if (ev->header.size < sizeof(*f))
		return fs_error__set(err, "FORK record too short");
	th = threads__find(ss, f->tid);
	parent = findnew(ss, f->ppid, f->ptid);
	if (!parent)
		return fs_error__set(err, "out of memory");
	if (parent->pub.pid != (int32_t)f->ppid) {
		/* an erroneous parent (lost EXIT/FORK): start it afresh */
		threads__unlink(ss, parent);
		parent = findnew(ss, f->ppid, f->ptid);
	}
	if (th)
		threads__unlink(ss, th);
	th = findnew(ss, f->pid, f->tid);
	if (!th || !parent)
		return fs_error__set(err, "out of memory");
	if (parent->comm_set && thread__set_comm(ss, th, parent->pub.comm, strlen(parent->pub.comm)))
		return fs_error__set(err, "out of memory");
	if (th->pub.pid == parent->pub.pid || th->maps == parent->maps)
		return 0;
	/* a new process: the kernel copied the parent's maps (not for synthesized forks) */
	if (!(ev->header.misc & PERF_RECORD_MISC_FORK_EXEC) && th->maps && parent->maps &&
	    maps__clone_into(ss, th->maps, parent->maps))
		return fs_error__set(err, "out of memory");
	return 0;
}

static const uint8_t *header_build_id(struct fs_session *ss, const char *name, uint8_t *size)
{
	uint32_t lo = 0, hi = ss->nr_bids;

	while (lo < hi) {
		uint32_t mid = (lo + hi) / 2;
		int c = strcmp(ss->bids[mid].name, name);

		if (!c) {
			*size = ss->bids[mid].size;
			return ss->bids[mid].data;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*size = 0;
	return NULL;
}

static struct fs_dso *session__dso(struct fs_session *ss, const char *name,
				   const uint8_t *bid, uint8_t bid_size)
{
	if (!bid || !bid_size)
		bid = header_build_id(ss, name, &bid_size);
	return fs_symbolizer__dso(ss->syms, name, bid, bid_size);
}

/* perf's kmod_path__parse_name(): "/lib/modules/../foo-bar.ko.xz" -> "[foo_bar]" */
static void kmod_name(const char *path, char *out, size_t size)
{
	const char *name = strrchr(path, '/'), *ext;
	size_t n;

	name = name ? name + 1 : path;
	if (name[0] == '[') {
		snprintf(out, size, "%s", name);
		return;
	}
	ext = strrchr(name, '.');
	if (ext && (!strcmp(ext, ".gz") || !strcmp(ext, ".xz") || !strcmp(ext, ".zst")) &&
	    ext - name >= 3)
		ext -= 3;
	if (ext && ext > name && !strncmp(ext, ".ko", 3)) {
		n = ext - name;
		snprintf(out, size, "[%.*s]", (int)n, name);
	} else {
		snprintf(out, size, "%s", name);
	}
	for (char *c = out; *c; c++)
		if (*c == '-')
			*c = '_';
}

struct same_dso {
	const struct fs_dso *dso;
	struct fs_map *found;
};

/* The first map of f->dso with identity mapping (the kernel's own), in start order. */
static int same_dso_identity(void *arg, void *item)
{
	struct same_dso *f = arg;
	struct fs_map *map = item;

	if (map->dso != f->dso || !map->identity)
		return 0;
	f->found = map;
	return 1;
}

static int kernel_mmap(struct fs_session *ss, uint64_t start, uint64_t len, uint64_t pgoff,
		       const char *name, const uint8_t *bid, uint8_t bid_size)
{
	static const char kname[] = "[kernel.kallsyms]";
	bool is_kernel = !strncmp(name, kname, sizeof(kname) - 2);
	struct fs_map tmpl = { .start = start, .end = start + len, .pgoff = 0, .kernel = true };
	struct same_dso f = { NULL, NULL };
	struct fs_map *map;
	char mod[256];

	if (name[0] == '/' || (!is_kernel && name[0] == '[')) {
		kmod_name(name, mod, sizeof(mod));
		tmpl.dso = session__dso(ss, mod, bid, bid_size);
		if (fs_symbolizer__note_module(ss->syms, mod, start))
			return -1;
		/* module symbols come from kallsyms, at their absolute addresses */
		tmpl.identity = true;
	} else if (is_kernel) {
		tmpl.dso = session__dso(ss, kname, bid, bid_size);
		tmpl.identity = true;
		tmpl.kmap = true;
		/* perf's ref_reloc_sym: "_text" at pgoff, for a relocated kernel */
		if (pgoff && name[sizeof(kname) - 1])
			fs_symbolizer__set_kernel_reloc(ss->syms, name + sizeof(kname) - 1, pgoff);
		if (!start && !len)
			tmpl.end = ~0ULL;
		/* a new kernel map replaces the previous one */
		f.dso = tmpl.dso;
		fs_maptree__for_each(&ss->kmaps->tree, same_dso_identity, &f);
		if (f.found)
			maps__remove(ss, ss->kmaps, f.found);
	} else {
		return 0;	/* extra kernel maps (entry trampolines): not kept */
	}
	if (!tmpl.dso)
		return -1;
	map = map__new(ss, &tmpl);
	if (map && map->kmap)
		ss->kernel_map = map;
	return map ? maps__insert(ss, ss->kmaps, map) : -1;
}

static bool is_anon(const char *f)
{
	return !strcmp(f, "//anon") || !strncmp(f, "/dev/zero", 9) ||
	       !strncmp(f, "/anon_hugepage", 14);
}

static bool is_no_dso(const char *f)
{
	return !strncmp(f, "[stack", 6) || !strncmp(f, "/SYSV", 5) || !strcmp(f, "[heap]");
}

static int user_mmap(struct fs_session *ss, int32_t pid, int32_t tid, uint64_t start,
		     uint64_t len, uint64_t pgoff, uint32_t prot, uint32_t flags,
		     const char *name, const uint8_t *bid, uint8_t bid_size)
{
	struct thread *th = findnew(ss, pid, tid);
	bool anon = is_anon(name) || (flags & MAP_HUGETLB_FLAG), no_dso = is_no_dso(name);
	struct fs_map tmpl = { .start = start, .end = start + len, .pgoff = pgoff };
	struct fs_map *map;
	char jit[64];

	if (!th || !th->maps)
		return -1;
	/* perf's map__new(): exec anon memory is JIT code, named after the process */
	if ((anon || no_dso) && th->ns_pid != 0 && (prot & PROT_EXEC_FLAG)) {
		snprintf(jit, sizeof(jit), "/tmp/perf-%d.map", th->ns_pid);
		name = jit;
	}
	if (!strcmp(name, "[vdso]"))
		tmpl.pgoff = 0;
	tmpl.identity = anon || no_dso;
	tmpl.dso = session__dso(ss, name, bid, bid_size);
	if (!tmpl.dso)
		return -1;
	map = map__new(ss, &tmpl);
	if (!map)
		return -1;
	maps__prepare_unwind(ss, th->maps, map);
	return maps__fixup_insert(ss, th->maps, map);
}

static int process_mmap(struct fs_session *ss, const union perf_event *ev, struct fs_error *err)
{
	const struct perf_record_mmap *m = &ev->mmap;
	unsigned int cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	const char *name;
	size_t len;
	int ret;

	if (ev->header.size < sizeof(m->header) + 32 ||
	    !(name = record_str(ev, m->filename, &len)))
		return fs_error__set(err, "MMAP record too short");
	if (cpumode == PERF_RECORD_MISC_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		ret = kernel_mmap(ss, m->start, m->len, m->pgoff, name, NULL, 0);
	else
		ret = user_mmap(ss, m->pid, m->tid, m->start, m->len, m->pgoff,
				ev->header.misc & PERF_RECORD_MISC_MMAP_DATA ? 0 : PROT_EXEC_FLAG,
				0, name, NULL, 0);
	return ret ? fs_error__set(err, "out of memory") : 0;
}

static int process_mmap2(struct fs_session *ss, const union perf_event *ev, struct fs_error *err)
{
	const struct perf_record_mmap2 *m = &ev->mmap2;
	unsigned int cpumode = ev->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;
	const uint8_t *bid = NULL;
	uint8_t bid_size = 0;
	const char *name;
	size_t len;
	int ret;

	if (ev->header.size < sizeof(m->header) + 72 ||
	    !(name = record_str(ev, m->filename, &len)))
		return fs_error__set(err, "MMAP2 record too short");
	if (ev->header.misc & PERF_RECORD_MISC_MMAP_BUILD_ID) {
		bid = m->build_id;
		bid_size = m->build_id_size > 20 ? 20 : m->build_id_size;
	}
	if (cpumode == PERF_RECORD_MISC_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_KERNEL)
		ret = kernel_mmap(ss, m->start, m->len, m->pgoff, name, bid, bid_size);
	else
		ret = user_mmap(ss, m->pid, m->tid, m->start, m->len, m->pgoff, m->prot,
				m->flags, name, bid, bid_size);
	return ret ? fs_error__set(err, "out of memory") : 0;
}

/* perf's machine__process_ksymbol_register(): BPF programs and the like get a one-symbol map. */
static int process_ksymbol(struct fs_session *ss, const union perf_event *ev, struct fs_error *err)
{
	const struct perf_record_ksymbol *k = &ev->ksymbol;
	struct fs_map tmpl = { .kernel = true }, *map;
	struct fs_symbol *sym;
	const char *name;
	size_t len;

	if (ev->header.size < offsetof(struct perf_record_ksymbol, name) ||
	    !(name = record_str(ev, k->name, &len)))
		return fs_error__set(err, "KSYMBOL record too short");
	map = maps__find(ss->kmaps, k->addr);
	if (k->flags & PERF_RECORD_KSYMBOL_FLAGS_UNREGISTER) {
		/* perf removes the map, unless it is the kernel's own */
		if (map && !map->kmap)
			maps__remove(ss, ss->kmaps, map);
		return 0;
	}
	if (map)
		return 0;	/* inside a known map: perf adds the symbol to that dso; rare */
	struct fs_symbol **v = realloc(ss->ksyms, (ss->nr_ksyms + 1) * sizeof(*v));

	if (!v)
		return fs_error__set(err, "out of memory");
	ss->ksyms = v;
	sym = calloc(1, sizeof(*sym));
	if (!sym)
		return fs_error__set(err, "out of memory");
	v[ss->nr_ksyms++] = sym;
	sym->start = 0;
	sym->end = k->len;
	sym->name = fs_strtab__intern(ss->strs, name, len);
	tmpl.start = k->addr;
	tmpl.end = k->addr + k->len;
	tmpl.ksym = sym;
	tmpl.dso = sym->name ? fs_symbolizer__dso(ss->syms, sym->name, NULL, 0) : NULL;
	if (!tmpl.dso || !(map = map__new(ss, &tmpl)) || maps__insert(ss, ss->kmaps, map))
		return fs_error__set(err, "out of memory");
	return 0;
}

static int process(struct fs_session *ss, const struct fs_event *ev, struct fs_error *err)
{
	switch (ev->event->header.type) {
	case PERF_RECORD_COMM:
		return process_comm(ss, ev->event, err);
	case PERF_RECORD_FORK:
		return process_fork(ss, ev->event, err);
	case PERF_RECORD_MMAP:
		return process_mmap(ss, ev->event, err);
	case PERF_RECORD_MMAP2:
		return process_mmap2(ss, ev->event, err);
	case PERF_RECORD_KSYMBOL:
		return process_ksymbol(ss, ev->event, err);
	default:
		return 0;	/* EXIT only marks the thread dead in perf */
	}
}

bool fs_session__changes_kernel_maps(const struct fs_event *ev)
{
	unsigned int type = ev->event->header.type;
	unsigned int cpumode = ev->event->header.misc & PERF_RECORD_MISC_CPUMODE_MASK;

	if (type == PERF_RECORD_KSYMBOL)
		return true;
	return (type == PERF_RECORD_MMAP || type == PERF_RECORD_MMAP2) &&
	       (cpumode == PERF_RECORD_MISC_KERNEL || cpumode == PERF_RECORD_MISC_GUEST_KERNEL);
}

bool fs_session__changes_maps(const struct fs_event *ev)
{
	switch (ev->event->header.type) {
	case PERF_RECORD_COMM:
	case PERF_RECORD_FORK:
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
	case PERF_RECORD_KSYMBOL:
		return true;	/* what process() acts on */
	default:
		return false;
	}
}

void fs_session__prefetch_kernel(struct fs_session *ss)
{
	if (ss->kernel_map && !ss->kernel_ready)
		fs_symbolizer__prefetch_kernel(ss->syms, ss->kernel_map->dso);
}

int fs_session__process(struct fs_session *ss, const struct fs_event *ev, struct fs_error *err)
{
	struct fs_error e;

	if (!process(ss, ev, err))
		return 0;
	if (err) {	/* where: the caller prefixes the file name */
		e = *err;
		fs_error__set(err, "%s at offset %#llx", e.msg, (unsigned long long)ev->file_offset);
	}
	return -1;
}

/* ---- resolution ---- */

static inline struct cache_entry *cache_slot(struct fs_session *ss, uint64_t gen, uint64_t ip)
{
	uint64_t h = fs_hash64_2(gen, ip);

	return &ss->cache[h >> (64 - ss->cache_bits)];
}

/* Many more misses than slots: the working set outgrew the table; double it. */
static void cache_grow(struct fs_session *ss)
{
	struct cache_entry *c;

	ss->cache_misses = 0;
	if (ss->cache_bits >= CACHE_MAX_BITS)
		return;
	c = calloc(1u << (ss->cache_bits + 1), sizeof(*c));
	if (!c)
		return;
	free(ss->cache);
	ss->cache = c;
	ss->cache_bits++;
}

/*
 * Whether the kernel's symbols loaded from kallsyms: only then does perf
 * stretch its map from the first to the last symbol; without symbols it
 * keeps the MMAP range, with a vmlinux or kcore the ranges those give.
 */
static bool kernel_loaded(struct fs_session *ss)
{
	const struct fs_kernel_map *km;
	size_t n;

	if (!ss->kernel_map)
		return false;
	if (ss->kernel_syms_dso != ss->kernel_map->dso) {
		ss->kernel_syms_dso = ss->kernel_map->dso;
		ss->kernel_has_syms = fs_dso__nr_symbols(ss->syms, ss->kernel_map->dso) > 0 &&
				      fs_symbolizer__kernel_maps(ss->syms, &km, &n) == FS_KERNEL_KALLSYMS;
	}
	return ss->kernel_has_syms;
}

/* The kernel's map moved to [start, end) (maps never change in place). */
static int kernel_map_move(struct fs_session *ss, uint64_t start, uint64_t end)
{
	struct fs_map *map = map__new(ss, ss->kernel_map);

	if (!map)
		return -1;
	map->start = start;
	map->end = end;
	maps__remove(ss, ss->kmaps, ss->kernel_map);
	ss->kernel_map = map;
	return maps__insert(ss, ss->kmaps, map);
}

/*
 * perf's maps__merge_in(): a kcore segment around the maps already there
 * (the kernel's, BPF programs'): the parts that overlap none go in.
 */
static int maps__merge_in(struct fs_session *ss, struct fs_maps *m, struct fs_map *tmpl)
{
	struct fs_map nm = *tmpl, *piece, **v;
	uint32_t n;
	int ret = -1;

	/* the maps as they were: pieces inserted before one are not walked */
	v = maps__snapshot(m, &n);
	if (!v)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		const struct fs_map *old = v[i];

		if (nm.end < old->start || nm.start >= old->end)
			continue;
		if (nm.start < old->start) {
			if (nm.end < old->end) {
				nm.end = old->start;
			} else {
				piece = map__new(ss, &nm);
				if (!piece)
					goto out;
				piece->end = old->start;
				if (maps__insert(ss, m, piece))
					goto out;
				nm.start = old->end;
			}
		} else if (nm.end < old->end) {
			ret = 0;
			goto out;
		} else {
			nm.start = old->end;
		}
	}
	piece = map__new(ss, &nm);
	ret = piece ? maps__insert(ss, m, piece) : -1;
out:
	free(v);
	return ret;
}

static bool is_bpf_prog(const struct fs_map *map)
{
	return map->ksym && !strncmp(map->dso->name, "bpf_prog_", 9);
}

/*
 * Loads the kernel's symbols at its first lookup, as perf's map__load()
 * does, and puts the maps a vmlinux (.text, other sections) or a kcore
 * (its segments alone, BPF programs kept) gives in place of the recorded ones.
 */
static int kernel_prepare(struct fs_session *ss)
{
	const struct fs_kernel_map *km;
	struct fs_map tmpl = { .identity = true, .kernel = true };
	enum fs_kernel_source src;
	struct fs_map **v;
	uint32_t nr;
	size_t n;

	ss->kernel_ready = true;
	fs_dso__nr_symbols(ss->syms, ss->kernel_map->dso);
	src = fs_symbolizer__kernel_maps(ss->syms, &km, &n);
	if ((src != FS_KERNEL_VMLINUX && src != FS_KERNEL_KCORE) || !n)
		return 0;
	if (src == FS_KERNEL_KCORE) {
		v = maps__snapshot(ss->kmaps, &nr);
		if (!v)
			return -1;
		for (uint32_t i = nr; i-- > 0;)
			if (v[i] != ss->kernel_map && !is_bpf_prog(v[i]))
				maps__remove(ss, ss->kmaps, v[i]);
		free(v);
	}
	if (km[0].end > km[0].start && kernel_map_move(ss, km[0].start, km[0].end))
		return -1;
	for (size_t i = 1; i < n; i++) {
		struct fs_map *map;

		tmpl.start = km[i].start;
		tmpl.end = km[i].end;
		tmpl.dso = km[i].dso;
		if (src == FS_KERNEL_KCORE) {
			if (maps__merge_in(ss, ss->kmaps, &tmpl))
				return -1;
		} else if (!(map = map__new(ss, &tmpl)) || maps__insert(ss, ss->kmaps, map)) {
			return -1;
		}
	}
	return 0;
}

/* The map set an address is looked up in, by cpumode (thread__find_map()). */
static void frame_init(struct fs_session *ss, struct thread *th, uint8_t cpumode,
		       uint64_t ip, struct fs_frame *f)
{
	struct fs_maps *maps = NULL;

	if (cpumode == PERF_RECORD_MISC_KERNEL) {
		if (!ss->kernel_ready && ss->kernel_map)
			kernel_prepare(ss);
		maps = ss->kmaps;
	}
	else if (cpumode == PERF_RECORD_MISC_USER && th)
		maps = th->maps;
	f->ip = ip;
	f->cpumode = cpumode;
	f->inlined = false;
	f->maps = maps;
	f->maps_gen = maps ? maps->gen : 0;
}

void fs_session__fill(struct fs_session *ss, struct fs_frame *f)
{
	const struct fs_maps *maps = f->maps;
	uint64_t ip = f->ip;
	struct cache_entry *e;
	struct fs_map *map;

	f->addr = ip;
	f->dso_addr = ip;
	f->sym = NULL;
	f->dso = NULL;
	f->map_start = 0;
	if (!maps)
		return;
	e = cache_slot(ss, maps->gen, ip);
	if (e->gen != maps->gen || e->ip != ip) {
		if (++ss->cache_misses > (4ull << ss->cache_bits)) {
			cache_grow(ss);
			e = cache_slot(ss, maps->gen, ip);
		}
		e->gen = maps->gen;
		e->ip = ip;
		e->map = map = maps__find(maps, ip);
		e->sym = NULL;
		if (!map && maps == ss->kmaps && kernel_loaded(ss))
			map = ss->kernel_map;
		if (map) {
			uint64_t a = map__map_ip(map, ip);

			if (map->ksym)
				e->sym = a < map->ksym->end ? map->ksym : NULL;
			else if (map->dso)
				e->sym = fs_dso__find_symbol(ss->syms, map->dso, a);
			/*
			 * Once loaded, perf's kernel map spans its first to its
			 * last symbol (map__fixup_start/end), which fixup_end
			 * made contiguous: inside it exactly when a symbol holds ip.
			 */
			if (map->kmap && !e->sym && kernel_loaded(ss))
				map = NULL;
			e->map = map;
		}
	}
	map = e->map;
	if (!map)
		return;
	f->dso = map->dso;
	f->sym = e->sym;
	f->map_start = map->start;
	f->dso_addr = map->ksym ? ip - map->start : map__map_ip(map, ip);
	f->addr = map->kernel ? ip : f->dso_addr;
}

/* perf's thread__find_symbol(): the map by cpumode, then its symbol; cached. */
static void find_symbol(struct fs_session *ss, struct thread *th, uint8_t cpumode,
			uint64_t ip, struct fs_frame *f)
{
	frame_init(ss, th, cpumode, ip, f);
	fs_session__fill(ss, f);
}

/*
 * perf's machine__resolve() finds a kernel sample's map before map__load()
 * reads the kernel: when the first sample perf resolves is a kernel one,
 * it finds the recorded kernel map, then a vmlinux puts its other sections
 * in maps of their own, and the symbol is looked for in the kernel's dso
 * alone. An address in another section (or in no symbol) thus prints as
 * [unknown] in the kernel's dso that once; later lookups, callchains too,
 * find its map. (When the first sample is a user one, perf 6.1 has read
 * the kernel by the first kernel lookup: seen, not explained.)
 */
static void first_kernel_lookup(struct fs_session *ss, struct fs_frame *f)
{
	const struct fs_kernel_map *km;
	size_t n;

	if (fs_symbolizer__kernel_maps(ss->syms, &km, &n) != FS_KERNEL_VMLINUX ||
	    (f->dso && f->dso == ss->kernel_map->dso))
		return;
	f->dso = ss->kernel_map->dso;
	f->sym = NULL;
	f->map_start = ss->kernel_map->start;
	f->dso_addr = f->ip;
	f->addr = f->ip;
}

struct fs_thread *fs_session__resolve_ip(struct fs_session *ss, const struct fs_sample *sample,
					 struct fs_frame *frame)
{
	struct thread *th = findnew(ss, sample->pid, sample->tid);
	bool first = !ss->resolved && sample->cpumode == PERF_RECORD_MISC_KERNEL &&
		     !ss->kernel_ready && ss->kernel_map &&
		     maps__find(ss->kmaps, sample->ip) == ss->kernel_map;

	ss->resolved = true;
	find_symbol(ss, th, sample->cpumode, sample->ip, frame);
	if (first && ss->kernel_map)
		first_kernel_lookup(ss, frame);
	frame->addr = sample->ip;	/* perf prints the raw ip on one-line samples */
	return th ? &th->pub : NULL;
}

/*
 * perf's thread__find_map_fb(): an address the sample refers to (addr), in
 * the sample's cpumode first, then in the other half of the address space
 * (x86_64's kernel starts at 2^63; perf looks no further on this arch).
 */
void fs_session__resolve_addr(struct fs_session *ss, const struct fs_sample *sample,
			      uint64_t addr, struct fs_frame *frame)
{
	struct thread *th = findnew(ss, sample->pid, sample->tid);
	uint8_t mode = sample->cpumode, amode = mode;

	find_symbol(ss, th, mode, addr, frame);
	if (mode == PERF_RECORD_MISC_KERNEL || mode == PERF_RECORD_MISC_USER)
		amode = addr >= (1ULL << 63) ? PERF_RECORD_MISC_KERNEL : PERF_RECORD_MISC_USER;
	if (!frame->dso && amode != mode)
		find_symbol(ss, th, amode, addr, frame);
}

/* ---- DWARF unwinding: the process as unwind.h sees it ---- */

static void unwind_map(const struct fs_map *map, struct fs_unwind_map *out)
{
	out->start = map->start;
	out->end = map->end;
	out->pgoff = map->pgoff;
	out->dso = map->dso;
	out->identity = map->identity;
}

static bool unwind_find_map(void *arg, uint64_t addr, struct fs_unwind_map *out)
{
	const struct fs_map *map = maps__find(arg, addr);

	if (map)
		unwind_map(map, out);
	return map != NULL;
}

struct unwind_each {
	void (*fn)(void *ctx, const struct fs_unwind_map *map);
	void *ctx;
};

static int unwind_each_map(void *arg, void *item)
{
	struct unwind_each *e = arg;
	struct fs_unwind_map um;

	unwind_map(item, &um);
	e->fn(e->ctx, &um);
	return 0;
}

static void unwind_for_each_map(void *arg, void (*fn)(void *ctx, const struct fs_unwind_map *map),
				void *ctx)
{
	const struct fs_maps *m = arg;
	struct unwind_each e = { fn, ctx };

	fs_maptree__for_each(&m->tree, unwind_each_map, &e);
}

/*
 * perf's thread__resolve_callchain_unwind(): a dwarf sample's user frames,
 * appended at frames[n]. -1 where perf's unwind fails and it prints the
 * sample without any callchain.
 */
static int chain_unwind(struct fs_session *ss, struct thread *th, const struct fs_sample *s,
			struct fs_frame *frames, int n, int max_stack)
{
	const uint64_t need = PERF_SAMPLE_REGS_USER | PERF_SAMPLE_STACK_USER;
	struct fs_unwind_proc proc = { unwind_find_map, unwind_for_each_map, NULL, 0 };
	struct fs_maps *m = th ? th->maps : NULL;
	int nr;

	if (!s->evsel || (s->evsel->attr.sample_type & need) != need || !s->user_regs ||
	    !s->user_stack_dyn_size)
		return n;
	/* no unwinder registered for the process (perf: none for 32-bit code) */
	if (!m || !m->unwind_ready || !ss->unwinder)
		return n;
	if (ss->nr_ips < max_stack) {
		uint64_t *v = realloc(ss->ips, max_stack * sizeof(*v));

		if (!v)
			return n;
		ss->ips = v;
		ss->nr_ips = max_stack;
	}
	if (!m->unwind)
		m->unwind = fs_unwinder__space(ss->unwinder);
	proc.arg = m;
	proc.gen = m->gen;
	nr = fs_unwinder__unwind(ss->unwinder, m->unwind, &proc, s, ss->ips, max_stack);
	if (nr < 0)
		return -1;
	for (int i = 0; i < nr; i++) {
		if (!ss->ips[i])
			continue;	/* perf skips them */
		frame_init(ss, th, PERF_RECORD_MISC_USER, ss->ips[i], &frames[n]);
		frames[n++].maps_gen |= FS_FRAME_UNWOUND;
	}
	return n;
}

const struct fs_symbol *const *fs_session__inlines(struct fs_session *ss, const struct fs_frame *f,
						  uint32_t *n)
{
	*n = 0;
	if (!(f->maps_gen & FS_FRAME_UNWOUND) || !f->sym || !ss->inlines)
		return NULL;
	return fs_inlines__find(ss->inlines, f->dso, f->sym, f->dso_addr, n);
}

void fs_session__prefetch_inlines(struct fs_session *ss, const struct fs_frame *f)
{
	if ((f->maps_gen & FS_FRAME_UNWOUND) && f->sym && ss->inlines)
		fs_inlines__prefetch(ss->inlines, f->dso, f->sym, f->dso_addr);
}

int fs_session__chain(struct fs_session *ss, const struct fs_sample *sample,
		      struct fs_frame *frames, int max_stack)
{
	struct thread *th = findnew(ss, sample->pid, sample->tid);
	uint8_t cpumode = PERF_RECORD_MISC_USER;
	int n = 0;

	for (uint64_t i = 0; i < sample->nr_callchain && n < max_stack; i++) {
		uint64_t ip = sample->callchain[i];

		if (ip >= PERF_CONTEXT_MAX) {
			switch (ip) {
			case PERF_CONTEXT_HV:
				cpumode = PERF_RECORD_MISC_HYPERVISOR;
				break;
			case PERF_CONTEXT_KERNEL:
				cpumode = PERF_RECORD_MISC_KERNEL;
				break;
			case PERF_CONTEXT_USER:
				cpumode = PERF_RECORD_MISC_USER;
				break;
			default:
				n = 0;	/* corrupt chain: perf discards all of it (not the unwound part) */
				goto unwind;
			}
			continue;
		}
		frame_init(ss, th, cpumode, ip, &frames[n++]);
	}
unwind:
	return ss->dwarf ? chain_unwind(ss, th, sample, frames, n, max_stack) : n;
}

int fs_session__resolve(struct fs_session *ss, const struct fs_sample *sample,
			struct fs_frame *frames, int max_stack)
{
	int n;

	if (!sample->callchain) {
		fs_session__resolve_ip(ss, sample, &frames[0]);
		return 1;
	}
	n = fs_session__chain(ss, sample, frames, max_stack);
	if (n < 0) {
		fs_session__resolve_ip(ss, sample, &frames[0]);
		return 1;
	}
	for (int i = 0; i < n; i++)
		fs_session__fill(ss, &frames[i]);
	return n;
}

/* ---- life ---- */

static int bid_cmp(const void *a, const void *b)
{
	return strcmp(((const struct bid *)a)->name, ((const struct bid *)b)->name);
}

struct fs_session *fs_session__new(const struct fs_header *hdr, struct fs_symbolizer *syms,
				   struct fs_error *err)
{
	struct fs_session *ss = calloc(1, sizeof(*ss));
	struct thread *idle;

	if (!ss)
		goto nomem;
	ss->syms = syms;
	ss->hdr = hdr;
	ss->strs = fs_strtab__new();
	ss->nr_buckets = 1024;
	ss->buckets = calloc(ss->nr_buckets, sizeof(*ss->buckets));
	ss->cache_bits = CACHE_MIN_BITS;
	ss->cache = calloc(1u << ss->cache_bits, sizeof(*ss->cache));
	if (!ss->strs || !ss->buckets || !ss->cache)
		goto nomem;
	ss->kmaps = maps__new(ss);
	if (!ss->kmaps)
		goto nomem;
	if (hdr && hdr->nr_build_ids) {
		ss->bids = calloc(hdr->nr_build_ids, sizeof(*ss->bids));
		if (!ss->bids)
			goto nomem;
		for (uint32_t i = 0; i < hdr->nr_build_ids; i++) {
			const struct fs_build_id *b = &hdr->build_ids[i];

			if (!b->filename)
				continue;
			ss->bids[ss->nr_bids].name = b->filename;
			ss->bids[ss->nr_bids].data = b->data;
			ss->bids[ss->nr_bids].size = b->size > 20 ? 20 : b->size;
			ss->nr_bids++;
		}
		qsort(ss->bids, ss->nr_bids, sizeof(*ss->bids), bid_cmp);
	}
	/* perf_session__register_idle_thread() */
	idle = findnew(ss, 0, 0);
	if (!idle || thread__set_comm(ss, idle, "swapper", 7))
		goto nomem;
	return ss;
nomem:
	fs_session__delete(ss);
	fs_error__set(err, "out of memory creating the session");
	return NULL;
}

void fs_session__delete(struct fs_session *ss)
{
	if (!ss)
		return;
	for (struct thread *th = ss->all_threads, *next; th; th = next) {
		next = th->next;
		free(th);
	}
	for (struct fs_maps *m = ss->all_maps, *next; m; m = next) {
		next = m->next;
		fs_unwind_space__delete(m->unwind);
		fs_maptree__exit(&m->tree);
		free(m);
	}
	for (size_t i = 0; i < ss->nr_map_objs; i++)
		free(ss->all_map_objs[i]);
	for (size_t i = 0; i < ss->nr_ksyms; i++)
		free(ss->ksyms[i]);
	free(ss->ksyms);
	free(ss->all_map_objs);
	free(ss->bids);
	free(ss->ips);
	fs_inlines__delete(ss->inlines);
	fs_unwinder__delete(ss->unwinder);
	free(ss->cache);
	free(ss->buckets);
	fs_strtab__delete(ss->strs);
	free(ss);
}
