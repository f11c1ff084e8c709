// SPDX-License-Identifier: GPL-2.0-only
/*
 * The symbol table builder (see symbols-int.h): symbols pushed in perf's
 * insertion order, sorted once into perf's tree order, and perf 6.1's
 * fix-ups (util/symbol.c: symbols__fixup_end(), symbols__fixup_duplicate(),
 * choose_best_symbol()) applied to that order. Every allocation that fails
 * marks the vector (nomem), so a loader can tell a short table from one
 * that ran out of memory.
 */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "demangle.h"
#include "symbols-int.h"
#include "util.h"

/* The name perf prints for raw: demangled, "@plt" appended (in 1024 bytes, as perf). */
const char *fs_symvec__final_name(struct fs_arena *a, const char *raw, uint8_t flags)
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

int fs_symvec__push(struct fs_symvec *t, uint64_t start, uint64_t len, uint8_t binding,
		    uint8_t flags, const char *name, size_t namelen)
{
	struct fs_rawsym *r;

	/* node indexes are int32_t */
	if (t->n >= INT32_MAX || FS_GROW(t->v, t->alloc, t->n + 1)) {
		t->nomem = true;
		return -1;
	}
	if (t->no_demangle && (flags & FS_RAWSYM_DEMANGLE)) {
		flags &= ~FS_RAWSYM_DEMANGLE;
		if (!flags)	/* the raw name is the final one: its length is wanted */
			namelen = strlen(name);
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

/* Node indexes by their nodes' starts; ties keep their order (an rb-tree's equal starts go right). */
#define START_BEFORE(v, a, b) \
	(((const struct fs_rawsym *)(v))[*(a)].start < ((const struct fs_rawsym *)(v))[*(b)].start)
FS_DEFINE_STABLE_SORT(node_sort, int32_t, START_BEFORE)

/*
 * An rb-tree's in-order walk is its inserts stably sorted by start (equal
 * starts go right, rotations keep the order, erases drop nodes), so pushes
 * since the last sort are sorted and merged after the live nodes they tie.
 */
int fs_symvec__sort(struct fs_symvec *t)
{
	size_t k = t->n - t->nsorted, a = 0, b = 0, o = 0;
	int32_t *ord, *add, *old, *tmp;
	bool sorted = true;

	if (!k)
		return 0;
	ord = malloc((t->nord + k) * sizeof(*ord));
	add = malloc(k * sizeof(*add));
	tmp = malloc((k / 2 + 1) * sizeof(*tmp));
	if (!ord || !add || !tmp) {
		free(ord);
		free(add);
		free(tmp);
		t->nomem = true;
		return -1;
	}
	for (size_t j = 0; j < k; j++) {
		add[j] = (int32_t)(t->nsorted + j);
		if (j && t->v[add[j]].start < t->v[add[j - 1]].start)
			sorted = false;
	}
	if (!sorted)
		node_sort(add, k, tmp, t->v);
	free(tmp);
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
	if (FS_GROW(t->log, t->alloc_log, t->nlog + 1)) {
		t->nomem = true;
		return -1;
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
	name = fs_symvec__final_name(t->arena, r->name, r->flags);
	if (!name) {
		t->nomem = true;
		return NULL;
	}
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

/* The final name of node i; the raw one when out of memory (vec->nomem says so). */
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

