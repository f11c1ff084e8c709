// SPDX-License-Identifier: GPL-2.0-only
/*
 * The symbolizer: one table per dso, built once with perf 6.1's rules
 * (util/symbol.c: dso__load(), symbols__fixup_end(), symbols__fixup_duplicate(),
 * maps__split_kallsyms(), dso__load_perf_map()) and searched by binary search.
 * perf keeps symbols in an rb-tree; a sorted array gives the same answer
 * whenever symbols do not overlap, which perf's fix-ups ensure for all but
 * hand-made overlaps (JIT maps listing one address twice, nested sizes).
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buildid.h"
#include "kallsyms.h"
#include "perfmap.h"
#include "strtab.h"
#include "symbols.h"

#define KERNEL_NAME "[kernel.kallsyms]"
#define ENTRY_TRAMPOLINE "__entry_SYSCALL_64_trampoline"

struct dso_entry {
	struct fs_dso pub;
	bool loaded;
	struct fs_symbol *syms;		/* in address order */
	uint64_t *starts;		/* syms[i].start, compact for the binary search */
	uint64_t *reach;		/* max over syms[0..i] of where each stops matching */
	int32_t (*kids)[2];		/* perf's rb-tree over syms, by index */
	int32_t root;
	size_t nr;
};

struct fs_symbolizer {
	char *symfs;			/* "" when none, as perf's symbol_conf.symfs */
	char *buildid_dir;
	char *kallsyms;
	struct fs_strtab *names;	/* symbol names */
	struct fs_strtab *dso_names;	/* id == index in dsos */
	struct dso_entry **dsos;
	size_t nr_dsos, alloc_dsos;
	bool kernel_loaded;
	char *reloc_name;
	uint64_t reloc_addr;
};

/* ---- the table builder: perf's rb-tree, replayed ---- */

#define NIL (-1)

static void change_child(struct fs_symvec *t, int32_t old, int32_t new, int32_t parent)
{
	if (parent == NIL)
		t->root = new;
	else if (t->v[parent].child[0] == old)
		t->v[parent].child[0] = new;
	else
		t->v[parent].child[1] = new;
}

static void set_pc(struct fs_symvec *t, int32_t n, int32_t parent, bool red)
{
	t->v[n].parent = parent;
	t->v[n].red = red;
}

/* new takes old's place and colour; old becomes new's child with colour red */
static void rotate_set_parents(struct fs_symvec *t, int32_t old, int32_t new, bool red)
{
	int32_t parent = t->v[old].parent;

	t->v[new].parent = parent;
	t->v[new].red = t->v[old].red;
	set_pc(t, old, new, red);
	change_child(t, old, new, parent);
}

static bool is_red(const struct fs_symvec *t, int32_t n)
{
	return n != NIL && t->v[n].red;
}

/* The rebalancing after an insert, as lib/rbtree.c's __rb_insert(). */
static void insert_color(struct fs_symvec *t, int32_t node)
{
	struct fs_rawsym *v = t->v;
	int32_t parent = v[node].parent, g, tmp;

	for (;;) {
		int R, L;

		if (parent == NIL) {
			set_pc(t, node, NIL, false);
			return;
		}
		if (!v[parent].red)
			return;
		g = v[parent].parent;
		R = parent != v[g].child[1];	/* the uncle's side */
		L = !R;
		tmp = v[g].child[R];
		if (is_red(t, tmp)) {
			set_pc(t, tmp, g, false);
			set_pc(t, parent, g, false);
			node = g;
			parent = v[node].parent;
			set_pc(t, node, parent, true);
			continue;
		}
		tmp = v[parent].child[R];
		if (node == tmp) {
			tmp = v[node].child[L];
			v[parent].child[R] = tmp;
			v[node].child[L] = parent;
			if (tmp != NIL)
				set_pc(t, tmp, parent, false);
			set_pc(t, parent, node, true);
			parent = node;
			tmp = v[node].child[R];
		}
		v[g].child[L] = tmp;
		v[parent].child[R] = g;
		if (tmp != NIL)
			set_pc(t, tmp, g, false);
		rotate_set_parents(t, g, parent, true);
		return;
	}
}

/* The rebalancing after removing a black node, as ____rb_erase_color(). */
static void erase_color(struct fs_symvec *t, int32_t parent)
{
	struct fs_rawsym *v = t->v;
	int32_t node = NIL, sibling, tmp1, tmp2;

	for (;;) {
		int R = node != v[parent].child[1], L = !R;	/* R: the sibling's side */

		sibling = v[parent].child[R];
		if (v[sibling].red) {
			tmp1 = v[sibling].child[L];
			v[parent].child[R] = tmp1;
			v[sibling].child[L] = parent;
			set_pc(t, tmp1, parent, false);
			rotate_set_parents(t, parent, sibling, true);
			sibling = tmp1;
		}
		tmp1 = v[sibling].child[R];
		if (!is_red(t, tmp1)) {
			tmp2 = v[sibling].child[L];
			if (!is_red(t, tmp2)) {
				set_pc(t, sibling, parent, true);
				if (v[parent].red) {
					v[parent].red = false;
				} else {
					node = parent;
					parent = v[node].parent;
					if (parent != NIL)
						continue;
				}
				return;
			}
			tmp1 = v[tmp2].child[R];
			v[sibling].child[L] = tmp1;
			v[tmp2].child[R] = sibling;
			v[parent].child[R] = tmp2;
			if (tmp1 != NIL)
				set_pc(t, tmp1, sibling, false);
			tmp1 = sibling;
			sibling = tmp2;
		}
		tmp2 = v[sibling].child[L];
		v[parent].child[R] = tmp2;
		v[sibling].child[L] = parent;
		set_pc(t, tmp1, sibling, false);
		if (tmp2 != NIL)
			v[tmp2].parent = parent;
		rotate_set_parents(t, parent, sibling, false);
		return;
	}
}

void fs_symvec__erase(struct fs_symvec *t, int32_t node)
{
	struct fs_rawsym *v = t->v;
	int32_t child = v[node].child[1], tmp = v[node].child[0], parent, rebalance = NIL;

	if (tmp == NIL) {
		parent = v[node].parent;
		change_child(t, node, child, parent);
		if (child != NIL)
			set_pc(t, child, parent, v[node].red);
		else if (!v[node].red)
			rebalance = parent;
	} else if (child == NIL) {
		parent = v[node].parent;
		set_pc(t, tmp, parent, v[node].red);
		change_child(t, node, tmp, parent);
	} else {
		int32_t successor = child, child2;
		bool succ_red;

		tmp = v[child].child[0];
		if (tmp == NIL) {
			parent = successor;
			child2 = v[successor].child[1];
		} else {
			do {
				parent = successor;
				successor = tmp;
				tmp = v[tmp].child[0];
			} while (tmp != NIL);
			child2 = v[successor].child[1];
			v[parent].child[0] = child2;
			v[successor].child[1] = child;
			v[child].parent = successor;
		}
		tmp = v[node].child[0];
		v[successor].child[0] = tmp;
		v[tmp].parent = successor;
		change_child(t, node, successor, v[node].parent);
		succ_red = v[successor].red;
		set_pc(t, successor, v[node].parent, v[node].red);
		if (child2 != NIL)
			set_pc(t, child2, parent, false);
		else if (!succ_red)
			rebalance = parent;
	}
	v[node].parent = v[node].child[0] = v[node].child[1] = NIL;
	if (t->last_ok && t->last == node)
		t->last_ok = false;
	if (rebalance != NIL)
		erase_color(t, rebalance);
}

int fs_symvec__push(struct fs_symvec *t, uint64_t start, uint64_t len, uint8_t binding,
		    const char *name, size_t namelen)
{
	struct fs_rawsym *r;
	int32_t parent = NIL, *link = &t->root, i;
	const char *s;

	if (t->n == t->alloc) {
		size_t na = t->alloc ? t->alloc * 2 : 1024;
		struct fs_rawsym *v = na < INT32_MAX ? realloc(t->v, na * sizeof(*v)) : NULL;

		if (!v)
			return -1;
		t->v = v;
		t->alloc = na;
	}
	s = fs_strtab__intern(t->strtab, name, namelen);
	if (!s)
		return -1;
	i = (int32_t)t->n++;
	r = &t->v[i];
	r->start = start;
	r->end = len ? start + len : start;
	r->name = s;
	r->namelen = (uint32_t)namelen;
	r->binding = binding;
	/* perf's __symbols__insert(): equal starts go right */
	if (t->root != NIL && !t->last_ok) {
		for (t->last = t->root; t->v[t->last].child[1] != NIL;)
			t->last = t->v[t->last].child[1];
		t->last_ok = true;
	}
	if (t->root != NIL && start >= t->v[t->last].start) {
		/* sorted input (kallsyms): that walk only ever turns right */
		parent = t->last;
		link = &t->v[parent].child[1];
	} else {
		while (*link != NIL) {
			parent = *link;
			link = &t->v[parent].child[start < t->v[parent].start ? 0 : 1];
		}
	}
	if (parent == NIL || link == &t->v[parent].child[1]) {
		if (parent == NIL || parent == t->last) {
			t->last = i;
			t->last_ok = true;
		}
	}
	*link = i;
	r->parent = parent;
	r->child[0] = r->child[1] = NIL;
	r->red = true;
	insert_color(t, i);
	return 0;
}

int32_t fs_symvec__first(const struct fs_symvec *t)
{
	int32_t n = t->root;

	if (n == NIL)
		return NIL;
	while (t->v[n].child[0] != NIL)
		n = t->v[n].child[0];
	return n;
}

int32_t fs_symvec__next(const struct fs_symvec *t, int32_t n)
{
	int32_t p;

	if (t->v[n].child[1] != NIL) {
		n = t->v[n].child[1];
		while (t->v[n].child[0] != NIL)
			n = t->v[n].child[0];
		return n;
	}
	while ((p = t->v[n].parent) != NIL && n == t->v[p].child[1])
		n = p;
	return p;
}

static uint64_t page_roundup(uint64_t x)
{
	return (x + 4095) / 4096 * 4096;
}

void fs_symvec__fixup_end(struct fs_symvec *t, bool is_kallsyms)
{
	int32_t prev = fs_symvec__first(t), cur;
	struct fs_rawsym *v = t->v;

	if (prev == NIL)
		return;
	for (cur = fs_symvec__next(t, prev); cur != NIL; prev = cur, cur = fs_symvec__next(t, cur)) {
		if (v[prev].end != v[prev].start)
			continue;
		/* a kernel symbol next to a module one (or the reverse) ends at a page */
		if (is_kallsyms && !strchr(v[prev].name, '[') != !strchr(v[cur].name, '['))
			v[prev].end = page_roundup(v[prev].end + 4096);
		else
			v[prev].end = v[cur].start;
	}
	if (v[prev].end == v[prev].start)
		v[prev].end = page_roundup(v[prev].start) + 4096;
}

static int underscores(const char *s)
{
	int n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

/* perf's choose_best_symbol(): true when a wins over b. */
static bool choose_a(const struct fs_rawsym *a, const struct fs_rawsym *b)
{
	uint64_t la = a->end - a->start, lb = b->end - b->start;
	int ua, ub;

	if (lb == 0 && la > 0)
		return true;
	if (la == 0 && lb > 0)
		return false;
	if ((a->binding == STB_WEAK) != (b->binding == STB_WEAK))
		return b->binding == STB_WEAK;
	if ((a->binding == STB_GLOBAL) != (b->binding == STB_GLOBAL))
		return a->binding == STB_GLOBAL;
	ua = underscores(a->name);
	ub = underscores(b->name);
	if (ua != ub)
		return ua < ub;
	if (a->namelen != b->namelen)
		return a->namelen > b->namelen;
	/* perf's generic arch__choose_best_symbol(): avoid "SyS" syscall aliases */
	if (!strncmp(a->name, "SyS", 3) || !strncmp(a->name, "compat_SyS", 10))
		return false;
	return true;
}

void fs_symvec__fixup_duplicate(struct fs_symvec *t)
{
	int32_t cur = fs_symvec__first(t), next;

	while (cur != NIL) {
		next = fs_symvec__next(t, cur);
		if (next == NIL)
			break;
		if (t->v[cur].start != t->v[next].start) {
			cur = next;
		} else if (choose_a(&t->v[cur], &t->v[next])) {
			fs_symvec__erase(t, next);
		} else {
			fs_symvec__erase(t, cur);
			cur = next;
		}
	}
}

void fs_symvec__free(struct fs_symvec *t)
{
	free(t->v);
	t->v = NULL;
	t->n = t->alloc = 0;
	t->root = NIL;
	t->last_ok = false;
}

static void dso_free_table(struct dso_entry *d)
{
	free(d->syms);
	free(d->kids);
	free(d->starts);
	free(d->reach);
	d->syms = NULL;
	d->kids = NULL;
	d->starts = NULL;
	d->reach = NULL;
	d->nr = 0;
	d->root = NIL;
}

/* Moves the tree into the dso's final table: symbols in order, the same tree by index. */
static int dso_take(struct dso_entry *d, struct fs_symvec *t)
{
	int32_t *order = NULL, i;
	size_t n = 0;

	uint64_t reach = 0;

	dso_free_table(d);
	if (t->root == NIL)
		return 0;
	order = malloc(t->n * sizeof(*order));
	d->syms = malloc(t->n * sizeof(*d->syms));
	d->kids = malloc(t->n * sizeof(*d->kids));
	d->starts = malloc(t->n * sizeof(*d->starts));
	d->reach = malloc(t->n * sizeof(*d->reach));
	if (!order || !d->syms || !d->kids || !d->starts || !d->reach) {
		free(order);
		dso_free_table(d);
		return -1;
	}
	for (i = fs_symvec__first(t); i != NIL; i = fs_symvec__next(t, i)) {
		const struct fs_rawsym *r = &t->v[i];
		/* r matches [start, end), or just start when empty, nothing when end wrapped */
		uint64_t stop = r->end > r->start ? r->end : r->end < r->start ? 0 :
				r->start == UINT64_MAX ? UINT64_MAX : r->start + 1;

		order[i] = (int32_t)n;
		d->syms[n].start = r->start;
		d->syms[n].end = r->end;
		d->syms[n].name = r->name;
		d->starts[n] = r->start;
		reach = stop > reach ? stop : reach;
		d->reach[n] = reach;
		n++;
	}
	/* erased nodes have no parent and are not the root: skip them */
	for (i = 0; i < (int32_t)t->n; i++) {
		if (t->v[i].parent == NIL && i != t->root)
			continue;
		for (int c = 0; c < 2; c++) {
			int32_t k = t->v[i].child[c];

			d->kids[order[i]][c] = k == NIL ? NIL : order[k];
		}
	}
	d->root = order[t->root];
	d->nr = n;
	free(order);
	return 0;
}

/* ---- dsos ---- */

static enum fs_dso_kind kind_of(const char *name)
{
	if (!strcmp(name, KERNEL_NAME))
		return FS_DSO_KERNEL;
	if (!strcmp(name, "[vdso]"))
		return FS_DSO_VDSO;
	if (!strncmp(name, "/tmp/perf-", 10))
		return FS_DSO_JIT;
	/* bracketed names of user mappings are no modules */
	if (!strcmp(name, "[heap]") || !strcmp(name, "[vsyscall]") || !strcmp(name, "[vvar]") ||
	    !strcmp(name, "[uprobes]") || !strncmp(name, "[stack", 6) || !strncmp(name, "[anon", 5))
		return FS_DSO_USER;
	if (name[0] == '[')
		return FS_DSO_MODULE;
	return FS_DSO_USER;
}

static char *dup_or(const char *s, const char *dflt)
{
	return strdup(s && s[0] ? s : dflt);
}

struct fs_symbolizer *fs_symbolizer__new(const struct fs_symbolizer_config *cfg, struct fs_error *err)
{
	struct fs_symbolizer *s = calloc(1, sizeof(*s));
	const char *bdir = cfg ? cfg->buildid_dir : NULL, *home;
	char buf[4096];

	if (!s)
		goto oom;
	if (!bdir || !bdir[0])
		bdir = getenv("PERF_BUILDID_DIR");
	if (!bdir || !bdir[0]) {
		home = getenv("HOME");
		snprintf(buf, sizeof(buf), "%s/.debug", home ? home : "");
		bdir = buf;
	}
	s->buildid_dir = strdup(bdir);
	/* "/" as the symfs is no symfs at all: perf's paths would be the same */
	s->symfs = dup_or(cfg && cfg->symfs && strcmp(cfg->symfs, "/") ? cfg->symfs : NULL, "");
	s->kallsyms = cfg && cfg->kallsyms ? strdup(cfg->kallsyms) : NULL;
	s->names = fs_strtab__new();
	s->dso_names = fs_strtab__new();
	if (!s->buildid_dir || !s->symfs || (cfg && cfg->kallsyms && !s->kallsyms) ||
	    !s->names || !s->dso_names)
		goto oom;
	elf_version(EV_CURRENT);
	return s;
oom:
	fs_symbolizer__delete(s);
	fs_error__set(err, "symbolizer: out of memory");
	return NULL;
}

void fs_symbolizer__delete(struct fs_symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nr_dsos; i++) {
		dso_free_table(s->dsos[i]);
		free(s->dsos[i]);
	}
	free(s->dsos);
	fs_strtab__delete(s->names);
	fs_strtab__delete(s->dso_names);
	free(s->symfs);
	free(s->buildid_dir);
	free(s->kallsyms);
	free(s->reloc_name);
	free(s);
}

struct fs_dso *fs_symbolizer__dso(struct fs_symbolizer *s, const char *name,
				  const uint8_t *build_id, size_t build_id_size)
{
	uint32_t id = fs_strtab__add(s->dso_names, name, strlen(name));
	struct dso_entry *d;

	if (id == UINT32_MAX)
		return NULL;
	if (id < s->nr_dsos) {
		d = s->dsos[id];
	} else {
		if (s->nr_dsos == s->alloc_dsos) {
			size_t na = s->alloc_dsos ? s->alloc_dsos * 2 : 64;
			struct dso_entry **v = realloc(s->dsos, na * sizeof(*v));

			if (!v)
				return NULL;
			s->dsos = v;
			s->alloc_dsos = na;
		}
		d = calloc(1, sizeof(*d));
		if (!d)
			return NULL;
		d->root = NIL;
		d->pub.name = fs_strtab__str(s->dso_names, id);
		d->pub.kind = kind_of(name);
		d->pub.id = id;
		s->dsos[s->nr_dsos++] = d;
	}
	if (build_id && build_id_size) {
		if (build_id_size > sizeof(d->pub.build_id))
			build_id_size = sizeof(d->pub.build_id);
		memcpy(d->pub.build_id, build_id, build_id_size);
		d->pub.build_id_size = (uint8_t)build_id_size;
	}
	return &d->pub;
}

bool fs_dso__is_kernel(const struct fs_dso *dso)
{
	return dso->kind == FS_DSO_KERNEL || dso->kind == FS_DSO_MODULE;
}

void fs_symbolizer__set_kernel_reloc(struct fs_symbolizer *s, const char *name, uint64_t addr)
{
	free(s->reloc_name);
	s->reloc_name = name ? strdup(name) : NULL;
	s->reloc_addr = addr;
}

/* ---- user dsos: perf's dso__load() candidate loop ---- */

static bool is_regular_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

/* perf's __symbol__join_symfs(): symfs, a slash when symfs is set, path. */
static void join_symfs(const struct fs_symbolizer *s, char *buf, size_t size, const char *path)
{
	snprintf(buf, size, "%s%s%s", s->symfs, s->symfs[0] ? "/" : "", path);
}

enum cand {
	CAND_DEBUGLINK, CAND_BUILD_ID_CACHE, CAND_BUILD_ID_CACHE_DEBUG, CAND_FEDORA,
	CAND_UBUNTU, CAND_BUILDID_DEBUGINFO, CAND_SYSTEM_PATH, CAND_OPENEMBEDDED,
	CAND_MIXEDUP_UBUNTU, NR_CAND,
};

static bool fits(int n, size_t size)
{
	return n >= 0 && (size_t)n < size;
}

static int debuglink_path(const struct fs_symbolizer *s, const char *name, char *buf, size_t size)
{
	char dir[4096], link[4096];
	size_t len;

	join_symfs(s, buf, size, name);
	len = strlen(buf);
	while (len && buf[len] != '/')
		len--;
	snprintf(dir, sizeof(dir), "%.*s", (int)len, buf);
	if (!is_regular_file(buf) || fs_buildid__read_debuglink(buf, link, sizeof(link)))
		return -1;
	/* perf's debuglink_paths[]: as is (from the cwd), DIR/, DIR/.debug/, /usr/lib/debugDIR/ */
	if (fits(snprintf(buf, size, "%s", link), size) && is_regular_file(buf))
		return 0;
	if (fits(snprintf(buf, size, "%s/%s", dir, link), size) && is_regular_file(buf))
		return 0;
	if (fits(snprintf(buf, size, "%s/.debug/%s", dir, link), size) && is_regular_file(buf))
		return 0;
	if (fits(snprintf(buf, size, "/usr/lib/debug%s/%s", dir, link), size) && is_regular_file(buf))
		return 0;
	return -1;
}

/* perf's dso__build_id_filename(): BUILDID_DIR/.build-id/xx/rest[/elf|debug|vdso]. */
static int cache_path(const struct fs_symbolizer *s, const struct fs_dso *dso, bool debug,
		      char *buf, size_t size)
{
	char hex[2 * FS_BUILD_ID_SIZE + 1];

	if (!dso->build_id_size)
		return -1;
	fs_buildid__sprintf(dso->build_id, dso->build_id_size, hex);
	snprintf(buf, size, "%s/.build-id/%.2s/%s", s->buildid_dir, hex, hex + 2);
	if (is_regular_file(buf))	/* old-style cache: the link is the file */
		return 0;
	snprintf(buf + strlen(buf), size - strlen(buf), "/%s",
		 dso->kind == FS_DSO_VDSO ? "vdso" : debug ? "debug" : "elf");
	return 0;
}

static int cand_path(const struct fs_symbolizer *s, const struct fs_dso *dso, enum cand c,
		     char *buf, size_t size)
{
	const char *name = dso->name, *slash;
	char hex[2 * FS_BUILD_ID_SIZE + 1];
	size_t len;

	switch (c) {
	case CAND_DEBUGLINK:
		return debuglink_path(s, name, buf, size);
	case CAND_BUILD_ID_CACHE:
	case CAND_BUILD_ID_CACHE_DEBUG:
		return cache_path(s, dso, c == CAND_BUILD_ID_CACHE_DEBUG, buf, size);
	case CAND_FEDORA:
		join_symfs(s, buf, size, "/usr/lib/debug");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s.debug", name);
		return 0;
	case CAND_UBUNTU:
		join_symfs(s, buf, size, "/usr/lib/debug");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s", name);
		return 0;
	case CAND_BUILDID_DEBUGINFO:
		if (!dso->build_id_size)
			return -1;
		fs_buildid__sprintf(dso->build_id, dso->build_id_size, hex);
		join_symfs(s, buf, size, "/usr/lib/debug/.build-id/");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%.2s/%s.debug", hex, hex + 2);
		return 0;
	case CAND_SYSTEM_PATH:
		join_symfs(s, buf, size, name);
		return 0;
	case CAND_OPENEMBEDDED:
		slash = strrchr(name, '/');
		if (!slash)
			slash = name;
		join_symfs(s, buf, size, "");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%.*s.debug%s", (int)(slash - name + 1), name, slash);
		return 0;
	case CAND_MIXEDUP_UBUNTU:
		if (strncmp(name, "/usr/lib/", 9))
			return -1;
		join_symfs(s, buf, size, "/usr/lib/debug");
		len = strlen(buf);
		snprintf(buf + len, size - len, "%s", name + 4);
		return 0;
	default:
		return -1;
	}
}

static int load_user(struct fs_symbolizer *s, struct dso_entry *d, struct fs_symvec *vec)
{
	struct fs_elf *syms = NULL, *runtime = NULL, *e;
	struct fs_dso *dso = &d->pub;
	char path[4096];
	int ret = -1;

	/*
	 * perf reads the build id from the file itself when the recording gave
	 * none: it tests the recorded path but reads the one under the symfs.
	 */
	if (!dso->build_id_size && is_regular_file(dso->name)) {
		int n;

		join_symfs(s, path, sizeof(path), dso->name);
		n = fs_buildid__read_file(path, dso->build_id);
		if (n > 0)
			dso->build_id_size = (uint8_t)n;
	}
	for (int c = 0; c < NR_CAND && !(syms && runtime); c++) {
		bool used = false;

		if (cand_path(s, dso, c, path, sizeof(path)) || !is_regular_file(path))
			continue;
		e = fs_elf__open(path, dso->build_id, dso->build_id_size);
		if (!e)
			continue;
		if (!syms && fs_elf__has_symtab(e)) {
			syms = e;
			used = true;
		}
		if (!runtime && fs_elf__has_dynsym(e)) {
			runtime = e;
			used = true;
		}
		if (!used)
			fs_elf__close(e);
	}
	if (!syms)
		syms = runtime;
	if (!runtime)
		runtime = syms;
	if (syms)
		ret = fs_elf__load(syms, runtime, vec);
	if (ret > 0)
		fs_elf__synthesize_plt(runtime, vec);
	if (runtime != syms)
		fs_elf__close(runtime);
	fs_elf__close(syms);
	return ret < 0 ? -1 : 0;
}

/* ---- JIT maps ---- */

static int perfmap_cb(void *arg, uint64_t start, uint64_t size, const char *name, size_t len)
{
	return fs_symvec__push(arg, start, size, STB_GLOBAL, name, len);
}

static int load_jit(struct dso_entry *d, struct fs_symvec *vec)
{
	/* perf opens the recorded path itself, not under the symfs */
	return fs_perfmap__parse(d->pub.name, perfmap_cb, vec, NULL) < 0 ? -1 : 0;
}

/* ---- the kernel: kallsyms, split into the kernel and its modules ---- */

static int kallsyms_cb(void *arg, const char *name, size_t len, char type, uint64_t addr)
{
	char t = (char)(type & ~0x20);
	uint8_t bind;

	if (t != 'T' && t != 'W' && t != 'D' && t != 'B')
		return 0;
	if (name[0] == '$')
		return 0;
	bind = type == 'W' ? STB_WEAK : (type >= 'A' && type <= 'Z') ? STB_GLOBAL : STB_LOCAL;
	(void)len;	/* perf keeps the name as a C string: a NUL byte ends it */
	return fs_symvec__push(arg, addr, 0, bind, name, strlen(name)) ? -1 : 0;
}

/* perf's dso__find_kallsyms() without kcore: which kallsyms file to read. */
static int kallsyms_file(struct fs_symbolizer *s, const struct fs_dso *k, char *buf, size_t size)
{
	uint8_t bid[FS_BUILD_ID_SIZE];
	char hex[2 * FS_BUILD_ID_SIZE + 1];
	int n;

	if (s->kallsyms) {
		snprintf(buf, size, "%s", s->kallsyms);
		return 0;
	}
	if (s->symfs[0])
		return -1;	/* perf: "do not try local files if a symfs was given" */
	if (!k->build_id_size) {
		snprintf(buf, size, "/proc/kallsyms");
		return 0;
	}
	n = fs_buildid__read_notes("/sys/kernel/notes", bid);
	if (n > 0 && fs_buildid__equal(k->build_id, k->build_id_size, bid, (size_t)n)) {
		snprintf(buf, size, "/proc/kallsyms");
		return 0;
	}
	fs_buildid__sprintf(k->build_id, k->build_id_size, hex);
	snprintf(buf, size, "%s/" KERNEL_NAME "/%s/kallsyms", s->buildid_dir, hex);
	if (!access(buf, F_OK))
		return 0;
	snprintf(buf, size, "%s/" KERNEL_NAME "/%s", s->buildid_dir, hex);
	return access(buf, F_OK) ? -1 : 0;
}

/* Hands the module's collected symbols over, once. */
static int module_take(struct dso_entry *md, struct fs_symvec *mod)
{
	int ret = 0;

	if (md && !md->loaded) {
		ret = dso_take(md, mod);
		md->loaded = true;
	}
	mod->n = 0;
	mod->root = NIL;
	mod->last_ok = false;
	return ret;
}

/*
 * perf's maps__split_kallsyms(): module symbols ("name\t[mod]") move to the
 * dso "[mod]" (kept at their kallsyms addresses here), the entry trampoline
 * goes, kernel symbols stay, shifted by delta.
 */
static int split_kallsyms(struct fs_symbolizer *s, struct fs_symvec *all, struct dso_entry *k,
			  uint64_t delta)
{
	struct fs_symvec mod = { .strtab = s->names, .root = NIL };
	struct dso_entry *md = NULL;
	int32_t i, next;
	int ret = -1;

	for (i = fs_symvec__first(all); i != NIL; i = next) {
		struct fs_rawsym *r = &all->v[i];
		const char *tab = strchr(r->name, '\t');

		next = fs_symvec__next(all, i);
		if (tab) {
			struct dso_entry *nd = (struct dso_entry *)fs_symbolizer__dso(s, tab + 1, NULL, 0);

			if (!nd)
				goto out;
			if (nd != md) {
				if (module_take(md, &mod))
					goto out;
				md = nd;
			}
			if (!md->loaded) {
				uint64_t end = r->end;

				if (fs_symvec__push(&mod, r->start, 0, r->binding, r->name,
						    (size_t)(tab - r->name)))
					goto out;
				mod.v[mod.n - 1].end = end;
			}
			fs_symvec__erase(all, i);
			continue;
		}
		if (!strcmp(r->name, ENTRY_TRAMPOLINE)) {
			fs_symvec__erase(all, i);
			continue;
		}
		r->start -= delta;
		r->end -= delta;
	}
	if (module_take(md, &mod))
		goto out;
	ret = dso_take(k, all);
out:
	fs_symvec__free(&mod);
	return ret;
}

static int load_kernel(struct fs_symbolizer *s)
{
	struct fs_symvec all = { .strtab = s->names, .root = NIL };
	struct dso_entry *k = (struct dso_entry *)fs_symbolizer__dso(s, KERNEL_NAME, NULL, 0);
	char path[4096];
	uint64_t delta = 0, addr;
	int ret = -1;

	s->kernel_loaded = true;
	if (!k)
		return -1;
	k->loaded = true;
	if (kallsyms_file(s, &k->pub, path, sizeof(path)))
		return -1;
	if (fs_kallsyms__parse(path, kallsyms_cb, &all, NULL))
		goto out;
	if (s->reloc_name) {
		if (fs_kallsyms__find(path, s->reloc_name, &addr))
			goto out;
		delta = addr - s->reloc_addr;
	}
	fs_symvec__fixup_end(&all, true);
	fs_symvec__fixup_duplicate(&all);
	ret = split_kallsyms(s, &all, k, delta);
out:
	fs_symvec__free(&all);
	return ret;
}

/* ---- lookup ---- */

static void dso_load(struct fs_symbolizer *s, struct dso_entry *d)
{
	struct fs_symvec vec = { .strtab = s->names, .root = NIL };

	if (d->pub.kind == FS_DSO_KERNEL || d->pub.kind == FS_DSO_MODULE) {
		if (!s->kernel_loaded)
			load_kernel(s);
		d->loaded = true;
		return;
	}
	d->loaded = true;
	if ((d->pub.kind == FS_DSO_JIT ? load_jit(d, &vec) : load_user(s, d, &vec)) == 0)
		dso_take(d, &vec);
	fs_symvec__free(&vec);
}

size_t fs_dso__nr_symbols(struct fs_symbolizer *s, struct fs_dso *dso)
{
	struct dso_entry *d = (struct dso_entry *)dso;

	if (!d->loaded)
		dso_load(s, d);
	return d->nr;
}

/* perf's symbols__find() walk down its rb-tree. */
static const struct fs_symbol *tree_find(const struct dso_entry *d, uint64_t addr)
{
	for (int32_t n = d->root; n != NIL;) {
		const struct fs_symbol *sym = &d->syms[n];

		if (addr < sym->start)
			n = d->kids[n][0];
		else if (addr > sym->end || (addr == sym->end && addr != sym->start))
			n = d->kids[n][1];
		else
			return sym;
	}
	return NULL;
}

/*
 * When at most one symbol matches addr, any binary-search-tree walk finds
 * exactly it, so a binary search over the compact start array gives perf's
 * answer; only where symbols overlap does the tree's shape matter.
 */
const struct fs_symbol *fs_dso__find_symbol(struct fs_symbolizer *s, struct fs_dso *dso, uint64_t addr)
{
	struct dso_entry *d = (struct dso_entry *)dso;
	const struct fs_symbol *sym;
	size_t lo = 0, hi, n;

	if (!d->loaded)
		dso_load(s, d);
	hi = d->nr;
	while (lo < hi) {	/* lo: the first symbol starting after addr */
		size_t mid = lo + (hi - lo) / 2;

		if (d->starts[mid] <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	n = lo - 1;
	if (n > 0 && d->reach[n - 1] > addr)
		return tree_find(d, addr);
	sym = &d->syms[n];
	return addr > sym->end || (addr == sym->end && addr != sym->start) ? NULL : sym;
}
