// SPDX-License-Identifier: GPL-2.0-only
/*
 * The symbolizer: one table per dso, built once with perf 6.1's rules
 * (util/symbol.c: dso__load(), symbols__fixup_end(), symbols__fixup_duplicate(),
 * maps__split_kallsyms(), dso__load_perf_map()) and searched by binary search.
 * perf keeps symbols in an rb-tree; a sorted array gives the same answer
 * whenever symbols do not overlap, which perf's fix-ups ensure for all but
 * a few (PLT entries under a fixed-up _init, JIT maps listing an address
 * twice): there the tree is replayed, on the first lookup that needs it.
 * Loading is the cost that matters (every dso of a system-wide profile):
 * no per-symbol allocation, hashing or demangling, one radix sort per table.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "buildid.h"
#include "demangle.h"
#include "kallsyms.h"
#include "perfmap.h"
#include "strtab.h"
#include "symbols.h"

#define KERNEL_NAME "[kernel.kallsyms]"
#define ENTRY_TRAMPOLINE "__entry_SYSCALL_64_trampoline"

struct arena_block {
	struct arena_block *next;
	size_t used, size;
	char data[];
};

struct fs_arena {
	struct arena_block *head;	/* the block being filled */
};

struct dso_entry {
	struct fs_dso pub;
	bool loaded;
	struct fs_symbol *syms;		/* in address order */
	uint64_t *starts;		/* syms[i].start, compact for the binary search */
	uint64_t *reach;		/* max over syms[0..i] of where each stops matching */
	uint8_t *lazy;			/* FS_RAWSYM_* still to apply to syms[i].name; NULL: none */
	int32_t (*kids)[2];		/* perf's rb-tree over syms, by index, once replayed */
	int32_t root;
	size_t nr;
	/* what the replay needs, kept only when symbols overlap (see symbols.h) */
	uint64_t *ins_start;		/* starts in insertion order */
	int32_t *pos_of;		/* inserted node -> index in syms, -1: erased */
	struct fs_symerase *log;
	size_t nins, nlog;
	char *symsrc;			/* perf's symsrc_filename */
	uint64_t text_offset;
};

struct fs_symbolizer {
	char *symfs;			/* "" when none, as perf's symbol_conf.symfs */
	char *buildid_dir;
	char *kallsyms;
	struct fs_arena names;		/* symbol names, string tables */
	struct fs_strtab *dso_names;	/* id == index in dsos */
	struct dso_entry **dsos;
	size_t nr_dsos, alloc_dsos;
	bool kernel_loaded;
	char *reloc_name;
	uint64_t reloc_addr;
	uint8_t *vdso;			/* a copy of our own vdso, read once */
	size_t vdso_size;
	bool vdso_read;
};

/* ---- the arena: names and string tables, freed with the symbolizer ---- */

#define ARENA_BLOCK (1024 * 1024)

char *fs_arena__alloc(struct fs_arena *a, size_t size)
{
	struct arena_block *b = a->head;

	if (!b || b->size - b->used < size) {
		/* big requests (whole string tables) get a block of their own */
		bool own = size > ARENA_BLOCK / 4;
		size_t bs = own ? size : ARENA_BLOCK;

		if (size > SIZE_MAX - sizeof(*b))
			return NULL;
		b = malloc(sizeof(*b) + bs);
		if (!b)
			return NULL;
		b->size = bs;
		b->used = 0;
		if (own && a->head) {
			b->next = a->head->next;
			a->head->next = b;
		} else {
			b->next = a->head;
			a->head = b;
		}
	}
	b->used += size;
	return b->data + b->used - size;
}

static void arena_free(struct fs_arena *a)
{
	while (a && a->head) {
		struct arena_block *b = a->head;

		a->head = b->next;
		free(b);
	}
}

/* The name perf prints for raw: demangled, "@plt" appended (in 1024 bytes, as perf). */
static const char *final_name(struct fs_arena *a, const char *raw, uint8_t flags)
{
	char *d = flags & FS_RAWSYM_DEMANGLE ? fs_demangle(raw) : NULL, buf[1024], *p;
	const char *name = d ? d : raw;
	size_t len;

	if (flags & FS_RAWSYM_PLT) {
		snprintf(buf, sizeof(buf), "%s@plt", name);
		name = buf;
	}
	if (name == raw)
		return raw;
	len = strlen(name);
	p = fs_arena__alloc(a, len + 1);
	if (p)
		memcpy(p, name, len + 1);
	free(d);
	return p;
}

/* ---- perf's rb-tree, replayed where symbols overlap ---- */

#define NIL (-1)

struct rbnode {
	uint64_t start;
	int32_t parent, child[2];
	bool red;
};

struct rbt {
	struct rbnode *v;
	int32_t root;
	int32_t last;			/* the last node in order, when last_ok */
	bool last_ok;
};

static void change_child(struct rbt *t, int32_t old, int32_t new, int32_t parent)
{
	if (parent == NIL)
		t->root = new;
	else if (t->v[parent].child[0] == old)
		t->v[parent].child[0] = new;
	else
		t->v[parent].child[1] = new;
}

static void set_pc(struct rbt *t, int32_t n, int32_t parent, bool red)
{
	t->v[n].parent = parent;
	t->v[n].red = red;
}

/* new takes old's place and colour; old becomes new's child with colour red */
static void rotate_set_parents(struct rbt *t, int32_t old, int32_t new, bool red)
{
	int32_t parent = t->v[old].parent;

	t->v[new].parent = parent;
	t->v[new].red = t->v[old].red;
	set_pc(t, old, new, red);
	change_child(t, old, new, parent);
}

static bool is_red(const struct rbt *t, int32_t n)
{
	return n != NIL && t->v[n].red;
}

/* The rebalancing after an insert, as lib/rbtree.c's __rb_insert(). */
static void insert_color(struct rbt *t, int32_t node)
{
	struct rbnode *v = t->v;
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
static void erase_color(struct rbt *t, int32_t parent)
{
	struct rbnode *v = t->v;
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

/* rb_erase(). */
static void rb_erase(struct rbt *t, int32_t node)
{
	struct rbnode *v = t->v;
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

/* perf's __symbols__insert() of node i (its start set): equal starts go right. */
static void rb_insert(struct rbt *t, int32_t i)
{
	int32_t parent = NIL, *link = &t->root;
	uint64_t start = t->v[i].start;

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
	if (parent == NIL || (link == &t->v[parent].child[1] && parent == t->last)) {
		t->last = i;
		t->last_ok = true;
	}
	*link = i;
	t->v[i].parent = parent;
	t->v[i].child[0] = t->v[i].child[1] = NIL;
	t->v[i].red = true;
	insert_color(t, i);
}

/* ---- the table builder: perf's tree order on a plain array ---- */

int fs_symvec__push(struct fs_symvec *t, uint64_t start, uint64_t len, uint8_t binding,
		    uint8_t flags, const char *name, size_t namelen)
{
	struct fs_rawsym *r;

	if (t->n == t->alloc) {
		size_t na = t->alloc ? t->alloc * 2 : 1024;
		struct fs_rawsym *v = na < INT32_MAX ? realloc(t->v, na * sizeof(*v)) : NULL;

		if (!v)
			return -1;
		t->v = v;
		t->alloc = na;
	}
	r = &t->v[t->n++];
	r->start = start;
	r->end = len ? start + len : start;
	r->name = name;
	r->namelen = (uint32_t)namelen;
	r->binding = binding;
	r->flags = flags;
	r->bracket = false;
	return 0;
}

/*
 * Sorts idx[0..k) by their nodes' starts, keeping ties in order: an LSD
 * radix sort (stable by nature), a byte per pass, skipping bytes all keys share.
 */
static int radix_sort(const struct fs_rawsym *v, int32_t *idx, size_t k)
{
	int32_t *tmp = malloc(k * sizeof(*tmp)), *src = idx, *dst = tmp;
	uint64_t diff = 0, first = v[idx[0]].start;

	if (!tmp)
		return -1;
	for (size_t j = 1; j < k; j++)
		diff |= v[idx[j]].start ^ first;
	for (unsigned int shift = 0; shift < 64; shift += 8) {
		size_t count[256] = { 0 }, sum = 0;

		if (!((diff >> shift) & 0xff))
			continue;
		for (size_t j = 0; j < k; j++)
			count[(v[src[j]].start >> shift) & 0xff]++;
		for (int b = 0; b < 256; b++) {
			size_t c = count[b];

			count[b] = sum;
			sum += c;
		}
		for (size_t j = 0; j < k; j++)
			dst[count[(v[src[j]].start >> shift) & 0xff]++] = src[j];
		src = dst;
		dst = src == tmp ? idx : tmp;
	}
	if (src != idx)
		memcpy(idx, src, k * sizeof(*idx));
	free(tmp);
	return 0;
}

/*
 * An rb-tree's in-order walk is its inserts stably sorted by start (equal
 * starts go right, rotations keep the order, erases drop nodes), so pushes
 * since the last sort are sorted and merged after the live nodes they tie.
 */
int fs_symvec__sort(struct fs_symvec *t)
{
	size_t k = t->n - t->nsorted, a = 0, b = 0, o = 0;
	int32_t *ord, *add, *old;
	bool sorted = true;

	if (!k)
		return 0;
	ord = malloc((t->nord + k) * sizeof(*ord));
	add = malloc(k * sizeof(*add));
	if (!ord || !add) {
		free(ord);
		free(add);
		return -1;
	}
	for (size_t j = 0; j < k; j++) {
		add[j] = (int32_t)(t->nsorted + j);
		if (j && t->v[add[j]].start < t->v[add[j - 1]].start)
			sorted = false;
	}
	if (!sorted && radix_sort(t->v, add, k)) {
		free(ord);
		free(add);
		return -1;
	}
	old = t->ord;
	while (a < t->nord && b < k) {
		if (t->v[old[a]].start <= t->v[add[b]].start)
			ord[o++] = old[a++];
		else
			ord[o++] = add[b++];
	}
	while (a < t->nord)
		ord[o++] = old[a++];
	while (b < k)
		ord[o++] = add[b++];
	free(old);
	free(add);
	t->ord = ord;
	t->nord = o;
	t->nsorted = t->n;
	return 0;
}

int fs_symvec__log_erase(struct fs_symvec *t, int32_t node)
{
	if (t->nlog == t->alloc_log) {
		size_t na = t->alloc_log ? t->alloc_log * 2 : 256;
		struct fs_symerase *l = realloc(t->log, na * sizeof(*l));

		if (!l)
			return -1;
		t->log = l;
		t->alloc_log = na;
	}
	t->log[t->nlog].before = (uint32_t)t->n;
	t->log[t->nlog++].node = node;
	return 0;
}

const char *fs_symvec__name(struct fs_symvec *t, int32_t i)
{
	struct fs_rawsym *r = &t->v[i];
	const char *name;

	if (!r->flags)
		return r->name;
	name = final_name(t->arena, r->name, r->flags);
	if (!name)
		return NULL;
	r->name = name;
	r->namelen = (uint32_t)strlen(name);
	r->flags = 0;
	return name;
}

static uint64_t page_roundup(uint64_t x)
{
	return (x + 4095) / 4096 * 4096;
}

int fs_symvec__fixup_end(struct fs_symvec *t, bool is_kallsyms)
{
	struct fs_rawsym *v = t->v;
	int32_t prev, cur;

	if (fs_symvec__sort(t))
		return -1;
	if (!t->nord)
		return 0;
	prev = t->ord[0];
	for (size_t k = 1; k < t->nord; prev = cur, k++) {
		cur = t->ord[k];
		if (v[prev].end != v[prev].start)
			continue;
		/* a kernel symbol next to a module one (or the reverse) ends at a page */
		if (is_kallsyms && v[prev].bracket != v[cur].bracket)
			v[prev].end = page_roundup(v[prev].end + 4096);
		else
			v[prev].end = v[cur].start;
	}
	if (v[prev].end == v[prev].start)
		v[prev].end = page_roundup(v[prev].start) + 4096;
	return 0;
}

static int underscores(const char *s)
{
	int n = 0;

	while (s[n] == '_')
		n++;
	return n;
}

static bool is_sys_alias(const char *name)
{
	return !strncmp(name, "SyS", 3) || !strncmp(name, "compat_SyS", 10);
}

/* The final name of node i; the raw one when out of memory. */
static const char *name_of(struct fs_symvec *t, int32_t i)
{
	const char *name = fs_symvec__name(t, i);

	return name ? name : t->v[i].name;
}

/*
 * perf's choose_best_symbol(): true when a wins over b. Names are compared
 * last, so only those contenders are demangled; two equal raw names demangle
 * alike and differ in nothing choose_best_symbol() looks at but the "SyS" test,
 * which a name without "SyS" or an escape cannot pass.
 */
static bool choose_a(struct fs_symvec *t, int32_t ia, int32_t ib)
{
	const struct fs_rawsym *a = &t->v[ia], *b = &t->v[ib];
	uint64_t la = a->end - a->start, lb = b->end - b->start;
	const char *na, *nb;
	size_t lna, lnb;
	int ua, ub;

	if (lb == 0 && la > 0)
		return true;
	if (la == 0 && lb > 0)
		return false;
	if ((a->binding == STB_WEAK) != (b->binding == STB_WEAK))
		return b->binding == STB_WEAK;
	if ((a->binding == STB_GLOBAL) != (b->binding == STB_GLOBAL))
		return a->binding == STB_GLOBAL;
	/* a '$' may demangle into a letter (OCaml's "$53" is 'S') */
	if (a->flags && a->flags == b->flags && !strcmp(a->name, b->name) &&
	    !strstr(a->name, "SyS") && !strchr(a->name, '$'))
		return true;
	na = name_of(t, ia);
	nb = name_of(t, ib);
	ua = underscores(na);
	ub = underscores(nb);
	if (ua != ub)
		return ua < ub;
	lna = t->v[ia].flags ? strlen(na) : t->v[ia].namelen;
	lnb = t->v[ib].flags ? strlen(nb) : t->v[ib].namelen;
	if (lna != lnb)
		return lna > lnb;
	/* perf's generic arch__choose_best_symbol(): avoid "SyS" syscall aliases */
	return !is_sys_alias(na);
}

/* perf's walk: keep the better of each pair of neighbours at one start. */
int fs_symvec__fixup_duplicate(struct fs_symvec *t)
{
	size_t out = 0;
	int32_t cur;

	if (fs_symvec__sort(t))
		return -1;
	if (!t->nord)
		return 0;
	cur = t->ord[0];
	for (size_t k = 1; k < t->nord; k++) {
		int32_t next = t->ord[k];

		if (t->v[cur].start != t->v[next].start) {
			t->ord[out++] = cur;
			cur = next;
		} else if (choose_a(t, cur, next)) {
			if (fs_symvec__log_erase(t, next))
				return -1;
		} else {
			if (fs_symvec__log_erase(t, cur))
				return -1;
			cur = next;
		}
	}
	t->ord[out++] = cur;
	t->nord = out;
	return 0;
}

void fs_symvec__free(struct fs_symvec *t)
{
	free(t->v);
	free(t->ord);
	free(t->log);
	t->v = NULL;
	t->ord = NULL;
	t->log = NULL;
	t->n = t->alloc = t->nord = t->nsorted = t->nlog = t->alloc_log = 0;
}

static void dso_free_replay(struct dso_entry *d)
{
	free(d->ins_start);
	free(d->log);
	free(d->pos_of);
	d->ins_start = NULL;
	d->log = NULL;
	d->pos_of = NULL;
	d->nins = d->nlog = 0;
}

static void dso_free_table(struct dso_entry *d)
{
	free(d->syms);
	free(d->kids);
	free(d->starts);
	free(d->reach);
	free(d->lazy);
	dso_free_replay(d);
	d->syms = NULL;
	d->kids = NULL;
	d->starts = NULL;
	d->reach = NULL;
	d->lazy = NULL;
	d->nr = 0;
	d->root = NIL;
}

/* Keeps what replaying perf's tree needs: the starts as inserted, the erases. */
static int dso_keep_replay(struct dso_entry *d, struct fs_symvec *t)
{
	d->ins_start = malloc(t->n * sizeof(*d->ins_start));
	d->pos_of = malloc(t->n * sizeof(*d->pos_of));
	if (!d->ins_start || !d->pos_of)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		d->ins_start[i] = t->v[i].start;
		d->pos_of[i] = NIL;
	}
	for (size_t k = 0; k < t->nord; k++)
		d->pos_of[t->ord[k]] = (int32_t)k;
	d->nins = t->n;
	d->log = t->log;
	d->nlog = t->nlog;
	t->log = NULL;
	t->nlog = t->alloc_log = 0;
	return 0;
}

/*
 * Moves the symbols into the dso's final table, in tree order, starts less
 * delta (perf shifts kernel symbols in place: the tree keeps its shape).
 */
static int dso_take(struct dso_entry *d, struct fs_symvec *t, uint64_t delta)
{
	uint64_t reach = 0;
	bool overlap = false, lazy = false;
	size_t n;

	dso_free_table(d);
	if (fs_symvec__sort(t))
		return -1;
	n = t->nord;
	if (!n)
		return 0;
	d->syms = malloc(n * sizeof(*d->syms));
	d->starts = malloc(n * sizeof(*d->starts));
	d->reach = malloc(n * sizeof(*d->reach));
	d->lazy = malloc(n);
	if (!d->syms || !d->starts || !d->reach || !d->lazy) {
		dso_free_table(d);
		return -1;
	}
	for (size_t k = 0; k < n; k++) {
		const struct fs_rawsym *r = &t->v[t->ord[k]];
		uint64_t start = r->start - delta, end = r->end - delta;
		/* r matches [start, end), or just start when empty, nothing when end wrapped */
		uint64_t stop = end > start ? end : end < start ? 0 :
				start == UINT64_MAX ? UINT64_MAX : start + 1;

		d->syms[k].start = start;
		d->syms[k].end = end;
		d->syms[k].name = r->name;
		d->lazy[k] = r->flags;
		lazy |= r->flags != 0;
		d->starts[k] = start;
		if (k && reach > start)
			overlap = true;
		reach = stop > reach ? stop : reach;
		d->reach[k] = reach;
	}
	if (!lazy) {
		free(d->lazy);
		d->lazy = NULL;
	}
	d->nr = n;
	/* only where one address matches two symbols does perf's tree shape matter */
	if (overlap && dso_keep_replay(d, t)) {
		dso_free_table(d);
		return -1;
	}
	return 0;
}

/* Replays perf's inserts and erases, then maps the tree onto the table. */
static int dso_build_tree(struct dso_entry *d)
{
	struct rbt t = { .root = NIL };
	size_t e = 0;

	t.v = malloc(d->nins * sizeof(*t.v));
	d->kids = malloc(d->nr * sizeof(*d->kids));
	if (!t.v || !d->kids) {
		free(t.v);
		free(d->kids);
		d->kids = NULL;
		return -1;
	}
	for (size_t i = 0; i < d->nins; i++) {
		while (e < d->nlog && d->log[e].before <= i)
			rb_erase(&t, d->log[e++].node);
		t.v[i].start = d->ins_start[i];
		rb_insert(&t, (int32_t)i);
	}
	while (e < d->nlog)
		rb_erase(&t, d->log[e++].node);
	for (size_t i = 0; i < d->nins; i++) {
		int32_t p = d->pos_of[i];

		if (p == NIL)
			continue;
		for (int c = 0; c < 2; c++) {
			int32_t k = t.v[i].child[c];

			d->kids[p][c] = k == NIL ? NIL : d->pos_of[k];
		}
	}
	d->root = t.root == NIL ? NIL : d->pos_of[t.root];
	free(t.v);
	dso_free_replay(d);
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
	/*
	 * perf's symbol__config_symfs(): --symfs DIR also moves the build-id
	 * cache to DIR/.debug (the local cache is skipped), whatever the
	 * configured or given cache was.
	 */
	if (cfg && cfg->symfs && cfg->symfs[0]) {
		snprintf(buf, sizeof(buf), "%s/.debug", cfg->symfs);
		bdir = buf;
	}
	s->buildid_dir = strdup(bdir);
	/* "/" as the symfs is no symfs at all: perf's paths would be the same */
	s->symfs = dup_or(cfg && cfg->symfs && strcmp(cfg->symfs, "/") ? cfg->symfs : NULL, "");
	s->kallsyms = cfg && cfg->kallsyms ? strdup(cfg->kallsyms) : NULL;
	s->dso_names = fs_strtab__new();
	if (!s->buildid_dir || !s->symfs || (cfg && cfg->kallsyms && !s->kallsyms) ||
	    !s->dso_names)
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
		free(s->dsos[i]->symsrc);
		free(s->dsos[i]);
	}
	free(s->dsos);
	arena_free(&s->names);
	fs_strtab__delete(s->dso_names);
	free(s->symfs);
	free(s->buildid_dir);
	free(s->kallsyms);
	free(s->reloc_name);
	free(s->vdso);
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

/*
 * perf's vdso.c get_file(): our own process's vdso, bounds from its
 * /proc/self/maps line, copied once (perf writes the same bytes to a temp
 * file and loads that as "[vdso]" when the recording named no build id).
 */
static const uint8_t *own_vdso(struct fs_symbolizer *s, size_t *size)
{
	unsigned long long start, end;
	char line[512];
	FILE *f;

	if (!s->vdso_read) {
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
			}
			break;
		}
		if (f)
			fclose(f);
	}
	*size = s->vdso_size;
	return s->vdso;
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

static int load_user(struct fs_symbolizer *s, struct dso_entry *d, struct fs_symvec *vec)
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
		image = (uint8_t *)own_vdso(s, &image_size);
		Elf *elf = image ? elf_memory((char *)image, image_size) : NULL;
		int n = elf ? fs_buildid__from_elf(elf, dso->build_id) : -1;

		if (n > 0)
			dso->build_id_size = (uint8_t)n;
		if (elf)
			elf_end(elf);
	}
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
		if (cand_path(s, dso, c, path, sizeof(path)) || !is_regular_file(path))
			continue;
		e = fs_elf__open(path, dso->build_id, dso->build_id_size);
		if (e && !syms && fs_elf__has_symtab(e) && !d->symsrc)
			d->symsrc = strdup(path);
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
	return ret < 0 ? -1 : 0;
}

/* ---- JIT maps ---- */

static int perfmap_cb(void *arg, uint64_t start, uint64_t size, const char *name, size_t len)
{
	struct fs_symvec *vec = arg;
	char *p = fs_arena__alloc(vec->arena, len + 1);

	if (!p)
		return -1;
	memcpy(p, name, len);
	p[len] = '\0';
	return fs_symvec__push(vec, start, size, STB_GLOBAL, 0, p, len);
}

static int load_jit(struct dso_entry *d, struct fs_symvec *vec)
{
	/* perf opens the recorded path itself, not under the symfs */
	return fs_perfmap__parse(d->pub.name, perfmap_cb, vec, NULL) < 0 ? -1 : 0;
}

/* ---- the kernel: kallsyms, split into the kernel and its modules ---- */

struct kload {
	struct fs_symvec *vec;
	const char *reloc_name;		/* perf's kallsyms__get_function_start() of it */
	bool reloc_found;
	uint64_t reloc_addr;
};

/* perf reads kallsyms twice (symbols, then the reloc symbol): one pass does both. */
static int kallsyms_cb(void *arg, const char *name, size_t len, char type, uint64_t addr)
{
	struct kload *kl = arg;
	char t = (char)(type & ~0x20), *p;
	uint8_t bind;

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
	if (!p)
		return -1;
	memcpy(p, name, len + 1);
	if (fs_symvec__push(kl->vec, addr, 0, bind, 0, p, len))
		return -1;
	kl->vec->v[kl->vec->n - 1].bracket = memchr(p, '[', len) != NULL;
	return 0;
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
		ret = dso_take(md, mod, 0);
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
static int split_kallsyms(struct fs_symbolizer *s, struct fs_symvec *all, struct dso_entry *k,
			  uint64_t delta)
{
	struct fs_symvec mod = { .arena = &s->names };
	struct dso_entry *md = NULL;
	size_t out = 0;
	int ret = -1;

	if (fs_symvec__sort(all))
		return -1;
	for (size_t j = 0; j < all->nord; j++) {
		int32_t i = all->ord[j];
		struct fs_rawsym *r = &all->v[i];
		char *tab = strchr(r->name, '\t');

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
	ret = dso_take(k, all, delta);
out:
	fs_symvec__free(&mod);
	return ret;
}

static int load_kernel(struct fs_symbolizer *s)
{
	struct fs_symvec all = { .arena = &s->names };
	struct kload kl = { .vec = &all, .reloc_name = s->reloc_name };
	struct dso_entry *k = (struct dso_entry *)fs_symbolizer__dso(s, KERNEL_NAME, NULL, 0);
	char path[4096];
	uint64_t delta = 0;
	int ret = -1;

	s->kernel_loaded = true;
	if (!k)
		return -1;
	k->loaded = true;
	if (kallsyms_file(s, &k->pub, path, sizeof(path)))
		return -1;
	if (fs_kallsyms__parse(path, kallsyms_cb, &kl, NULL))
		goto out;
	if (s->reloc_name) {
		if (!kl.reloc_found)
			goto out;
		delta = kl.reloc_addr - s->reloc_addr;
	}
	if (fs_symvec__fixup_end(&all, true) || fs_symvec__fixup_duplicate(&all))
		goto out;
	ret = split_kallsyms(s, &all, k, delta);
out:
	fs_symvec__free(&all);
	return ret;
}

/* ---- lookup ---- */

static void dso_load(struct fs_symbolizer *s, struct dso_entry *d)
{
	struct fs_symvec vec = { .arena = &s->names };

	if (d->pub.kind == FS_DSO_KERNEL || d->pub.kind == FS_DSO_MODULE) {
		if (!s->kernel_loaded)
			load_kernel(s);
		d->loaded = true;
		return;
	}
	d->loaded = true;
	if ((d->pub.kind == FS_DSO_JIT ? load_jit(d, &vec) : load_user(s, d, &vec)) == 0)
		dso_take(d, &vec, 0);
	fs_symvec__free(&vec);
}

size_t fs_dso__nr_symbols(struct fs_symbolizer *s, struct fs_dso *dso)
{
	struct dso_entry *d = (struct dso_entry *)dso;

	if (!d->loaded)
		dso_load(s, d);
	return d->nr;
}

const char *fs_dso__symsrc(struct fs_symbolizer *s, struct fs_dso *dso, uint64_t *text_offset)
{
	struct dso_entry *d = (struct dso_entry *)dso;

	if (!d->loaded)
		dso_load(s, d);
	*text_offset = d->text_offset;
	return d->symsrc;
}

int fs_symbolizer__data_file(struct fs_symbolizer *s, const struct fs_dso *dso, char *path,
			     size_t size, const void **image, size_t *image_size)
{
	*image = NULL;
	*image_size = 0;
	if (!cache_path(s, dso, false, path, size) && is_regular_file(path))
		return 0;
	if (dso->kind == FS_DSO_VDSO) {
		/* perf's [vdso] path is its temp copy of its own vdso */
		if (s->symfs[0])
			return -1;
		*image = own_vdso(s, image_size);
		return *image ? 0 : -1;
	}
	join_symfs(s, path, size, dso->name);
	return 0;
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

/* Gives sym its final name (demangled, "@plt") the first time it is returned. */
static const struct fs_symbol *dso_name(struct fs_symbolizer *s, struct dso_entry *d,
					const struct fs_symbol *sym)
{
	size_t i = (size_t)(sym - d->syms);
	const char *name;

	if (d->lazy && d->lazy[i]) {
		name = final_name(&s->names, sym->name, d->lazy[i]);
		if (name) {	/* out of memory: the raw name, and another try next time */
			d->syms[i].name = name;
			d->lazy[i] = 0;
		}
	}
	return sym;
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
	if (n > 0 && d->reach[n - 1] > addr && (d->kids || dso_build_tree(d) == 0)) {
		sym = tree_find(d, addr);
	} else {
		sym = &d->syms[n];
		if (addr > sym->end || (addr == sym->end && addr != sym->start))
			sym = NULL;
	}
	return sym ? dso_name(s, d, sym) : NULL;
}
