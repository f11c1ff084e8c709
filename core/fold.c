// SPDX-License-Identifier: GPL-2.0-only
/*
 * Folding stacks as stackcollapse-perf.pl does, on ids: each distinct frame
 * is turned into its folded name(s) once, each distinct (root, stack) pair
 * is walked once, samples only add weights.
 */
#include <ctype.h>
#include <math.h>
#include <linux/perf_event.h>
#include <stdlib.h>
#include <string.h>
#include "flame-int.h"
#include "idmap.h"
#include "strtab.h"
#include "util.h"
#include "view-int.h"

/* A frame's folded names: names[first .. first + n) in the fold's table. */
struct folded_frame {
	uint32_t first, n;
	bool done;
};

struct fold {
	const struct fs_profile *p;
	const struct fs_fold_opts *fo;
	struct fs_strtab *names;	/* the flame tree's table when building one */
	struct folded_frame *frames;
	uint32_t *ids;			/* name ids of every folded frame */
	uint8_t *kinds;
	uint32_t nr_ids;
	size_t alloc_ids, alloc_kinds;


	uint32_t *path;			/* scratch: one stack's name ids, root first */
	uint8_t *path_kinds;
	uint32_t alloc_path;
	uint32_t *comm_roots;		/* profile string id of a comm -> its root name id */
	uint8_t *name_kind;		/* name id -> the kind its frames give a tree node */
	uint32_t nr_name_kind;
};

/* Cuts a name at its first "(" unless that opens "(anonymous namespace)", as stackcollapse-perf.pl does, and leaves Go methods (".(" ... ").") alone. */
static size_t strip_args(const char *f, size_t len)
{
	const char *go = memmem(f, len, ".(", 2);

	if (go) {
		for (const char *q = f + len - 2; q >= go + 2; q--)
			if (q[0] == ')' && q[1] == '.')
				return len;
	}
	for (size_t i = 0; i < len; i++) {
		if (f[i] == '(' && !(len - i - 1 >= 20 && !memcmp(f + i + 1, "anonymous namespace)", 20)))
			return i;
	}
	return len;
}

static bool is_perf_map(const char *dso)
{
	const char *m = strstr(dso, "/tmp/perf-");
	const char *d;

	if (!m)
		return false;
	for (d = m + 10; *d >= '0' && *d <= '9'; d++)
		;
	return d > m + 10 && !strncmp(d, ".map", 4);
}

/* One part of a frame (between "->"), tidied and annotated as stackcollapse-perf.pl does. */
static bool ends_with(const char *s, const char *tail)
{
	size_t a = strlen(s), b = strlen(tail);

	return a >= b && !memcmp(s + a - b, tail, b);
}

static uint32_t fold_part(struct fold *fd, const char *part, size_t len, const char *dso,
			  bool inlined, uint8_t *kind)
{
	char buf[4096];
	size_t n = 0;

	if (len == 9 && !memcmp(part, "[unknown]", 9)) {
		const char *base = strrchr(dso, '/');

		if (!strcmp(dso, "[unknown]"))
			base = "unknown";
		else
			base = base ? base + 1 : dso;
		n = snprintf(buf, sizeof(buf) - 8, "[%s]", base);
		if (n > sizeof(buf) - 8)
			n = sizeof(buf) - 8;
	} else {
		for (size_t i = 0; i < len && n < sizeof(buf) - 8; i++)
			buf[n++] = part[i] == ';' ? ':' : part[i];
	}
	n = strip_args(buf, n);
	/* tr/"\'//d */
	size_t w = 0;
	for (size_t i = 0; i < n; i++)
		if (buf[i] != '"' && buf[i] != '\'')
			buf[w++] = buf[i];
	n = w;
	if (inlined)
		*kind = FS_FRAME_INLINED;
	if (inlined) {
		if (!memmem(buf, n, "_[i]", 4))
			memcpy(buf + n, "_[i]", 4), n += 4;
	} else if (fd->fo->kernel && (dso[0] == '[' || ends_with(dso, "vmlinux")) && !strstr(dso, "unknown")) {
		memcpy(buf + n, "_[k]", 4), n += 4;
	} else if (fd->fo->jit && is_perf_map(dso)) {
		if (!memmem(buf, n, "_[j]", 4))
			memcpy(buf + n, "_[j]", 4), n += 4;
	}
	return fs_strtab__add(fd->names, buf, n);
}

static int push_id(struct fold *fd, uint32_t id, uint8_t kind)
{
	if (fd->nr_ids == UINT32_MAX || FS_GROW(fd->ids, fd->alloc_ids, fd->nr_ids + 1) ||
	    FS_GROW(fd->kinds, fd->alloc_kinds, fd->nr_ids + 1))
		return -1;
	fd->ids[fd->nr_ids] = id;
	fd->kinds[fd->nr_ids++] = kind;
	return 0;
}

/*
 * stackcollapse-perf.pl reads a frame line "ADDR SYM+0xOFF (DSO)" with
 * /^\s*(\w+)\s*(.+) \((.*)\)/: the greedy (.+) ends at the LAST " (", so a dso
 * such as "/memfd:x (deleted)" moves the split. Rebuild the line and split it
 * the same way: rawfunc = line[0..split), mod = line(split+2 .. last ')').
 */
static char *perl_split(const char *sym, const char *dso, char **mod)
{
	bool known = strcmp(sym, "[unknown]") != 0;
	size_t len = strlen(sym) + strlen(dso) + 8;
	char *line = malloc(len + 1), *split = NULL, *close;

	if (!line)
		return NULL;
	snprintf(line, len + 1, "%s%s (%s)", sym, known ? "+0x0" : "", dso);
	for (char *q = line + 1; (q = strstr(q, " (")); q++)
		split = q;
	close = strrchr(line, ')');
	*split = '\0';
	*close = '\0';
	*mod = split + 2;
	/* $rawfunc =~ s/\+0x[\da-f]+$// */
	{
		char *h = split;

		while (h > line && ((h[-1] >= '0' && h[-1] <= '9') || (h[-1] >= 'a' && h[-1] <= 'f')))
			h--;
		if (h < split && h - line >= 3 && !memcmp(h - 3, "+0x", 3))
			h[-3] = '\0';
	}
	return line;
}

static int fold_frame(struct fold *fd, uint32_t frame)
{
	const struct fs_profile_frame *pf = &fd->p->frames[frame];
	struct folded_frame *ff = &fd->frames[frame];
	char *mod, *line = perl_split(fs_profile__str(fd->p, pf->sym), fs_profile__str(fd->p, pf->dso), &mod);
	const char *part = line, *end;
	int ret = -1;

	ff->done = true;
	ff->first = fd->nr_ids;
	ff->n = 0;
	if (!line)
		return -1;
	end = line + strlen(line);
	if (line[0] == '(') {		/* next if $rawfunc =~ /^\(/ */
		ret = 0;
		goto out;
	}
	/* Perl's split drops trailing empty fields. */
	while (end > line + 1 && end[-1] == '>' && end[-2] == '-')
		end -= 2;
	while (part <= end) {
		const char *arrow = memmem(part, end - part, "->", 2);
		size_t len = (arrow ? arrow : end) - part;
		uint8_t kind = pf->kind;
		uint32_t id = fold_part(fd, part, len, mod, ff->n > 0, &kind);

		if (id == UINT32_MAX || push_id(fd, id, kind))
			goto out;
		ff->n++;
		if (!arrow)
			break;
		part = arrow + 2;
	}
	ret = 0;
out:
	free(line);
	return ret;
}

static int fold__init(struct fold *fd, const struct fs_profile *p, const struct fs_fold_opts *fo,
		      struct fs_strtab *names)
{
	memset(fd, 0, sizeof(*fd));
	fd->p = p;
	fd->fo = fo;
	fd->names = names;
	fd->frames = calloc(p->nr_frames + 1, sizeof(*fd->frames));
	fd->comm_roots = malloc((fs_strtab__count(p->strs) + 1) * sizeof(*fd->comm_roots));
	if (!fd->frames || !fd->comm_roots)
		return -1;
	memset(fd->comm_roots, 0xff, (fs_strtab__count(p->strs) + 1) * sizeof(*fd->comm_roots));
	return 0;
}

static void fold__exit(struct fold *fd)
{
	free(fd->frames);
	free(fd->comm_roots);
	free(fd->ids);
	free(fd->kinds);
	free(fd->path);
	free(fd->path_kinds);
	free(fd->name_kind);
}

/*
 * Frames of different kinds can fold to one name (a symbol in the kernel and
 * in a library, "[unknown]"s): the tree node they share takes the kind of
 * the first of them in the profile's frame order, so a node's kind (its
 * JSON libtype, its java/js/perl colour family) does not depend on which
 * sample of a range came first, and a range's tree and a report's tree of
 * every sample agree. Folds every frame once, as the tree would anyway.
 */
static int fold__kinds(struct fold *fd)
{
	for (uint32_t f = 0; f < fd->p->nr_frames; f++) {
		const struct folded_frame *ff = &fd->frames[f];

		if (!ff->done && fold_frame(fd, f))
			return -1;
		for (uint32_t i = 0; i < ff->n; i++) {
			uint32_t id = fd->ids[ff->first + i];

			if (id >= fd->nr_name_kind) {
				uint32_t n = fd->nr_name_kind ? fd->nr_name_kind : 1024;
				uint8_t *k;

				while (n <= id)
					n *= 2;
				k = realloc(fd->name_kind, n);
				if (!k)
					return -1;
				memset(k + fd->nr_name_kind, 0xff, n - fd->nr_name_kind);
				fd->name_kind = k;
				fd->nr_name_kind = n;
			}
			if (fd->name_kind[id] == 0xff)
				fd->name_kind[id] = fd->kinds[ff->first + i];
		}
	}
	return 0;
}

static uint8_t kind_of(const struct fold *fd, uint32_t id, uint8_t kind)
{
	return id < fd->nr_name_kind && fd->name_kind[id] != 0xff ? fd->name_kind[id] : kind;
}

/* The Java tidy depends on the process name: s/^L// for names with a '/'. */
static uint32_t java_tidy(struct fold *fd, uint32_t id)
{
	const char *s = fs_strtab__str(fd->names, id);

	if (s[0] != 'L' || !strchr(s, '/'))
		return id;
	return fs_strtab__add(fd->names, s + 1, strlen(s + 1));
}

/* Fills fd->path with the folded names of root + stack; returns its length or -1. */
static int fold_path(struct fold *fd, uint32_t root, uint32_t stack, bool java)
{
	const struct fs_profile *p = fd->p;
	uint32_t need = 1, n = 0;

	for (uint32_t s = stack; s; s = p->stacks[s].parent) {
		if (!fd->frames[p->stacks[s].frame].done && fold_frame(fd, p->stacks[s].frame))
			return -1;
		need += fd->frames[p->stacks[s].frame].n;
	}
	if (need > fd->alloc_path) {
		free(fd->path);
		free(fd->path_kinds);
		fd->path = malloc(need * sizeof(*fd->path));
		fd->path_kinds = malloc(need);
		fd->alloc_path = fd->path && fd->path_kinds ? need : 0;
		if (!fd->alloc_path)
			return -1;
	}
	/* Fill from the leaf end backwards so the root comes first. */
	n = need;
	for (uint32_t s = stack; s; s = p->stacks[s].parent) {
		const struct folded_frame *ff = &fd->frames[p->stacks[s].frame];

		for (uint32_t i = ff->n; i > 0; i--) {
			uint32_t id = fd->ids[ff->first + i - 1];

			n--;
			fd->path[n] = java ? java_tidy(fd, id) : id;
			fd->path_kinds[n] = kind_of(fd, fd->ids[ff->first + i - 1], fd->kinds[ff->first + i - 1]);
			if (fd->path[n] == UINT32_MAX)
				return -1;
		}
	}
	fd->path[0] = root;
	fd->path_kinds[0] = FS_FRAME_COMM;
	if (fd->fo->reverse) {
		/* flamegraph.pl --reverse turns the whole folded line around, process name included. */
		for (uint32_t i = 0, j = need - 1; i < j; i++, j--) {
			uint32_t t = fd->path[i];
			uint8_t k = fd->path_kinds[i];

			fd->path[i] = fd->path[j];
			fd->path_kinds[i] = fd->path_kinds[j];
			fd->path[j] = t;
			fd->path_kinds[j] = k;
		}
	}
	return need;
}

/*
 * stackcollapse-perf.pl finds comm, pid and tid with its header regex (comm = the
 * shortest (\S.+?) followed by whitespace, digits, optional "/digits", whitespace),
 * on the header line, so a comm with spaces and digits, a one-letter comm or a
 * thread perf no longer knows (tid -1) gives surprising roots, and a line the
 * regex misses drops the sample. Rebuild the line perf script prints (-F +pid
 * for pid/tid roots) and match it the same way. Returns the root's name id,
 * UINT32_MAX - 1 when the sample is dropped, UINT32_MAX when out of memory.
 */
static uint32_t perl_root(struct fold *fd, const struct fs_profile_sample *s, const char *comm)
{
	const struct fs_fold_opts *fo = fd->fo;
	bool pidtext = fo->pid || fo->tid;
	uint64_t type = fd->p->sample_types ? fd->p->sample_types[s->event] : ~0ULL;
	char line[1024], pname[1024], pid[32] = "", tid[32] = "";
	size_t len, n;
	int at;

	at = snprintf(line, sizeof(line) - 64, "%s ", comm);
	if (at < 0 || at >= (int)sizeof(line) - 64)
		at = sizeof(line) - 64;
	at += pidtext ? snprintf(line + at, 64, "%5d/%-5d ", s->pid, s->tid) : snprintf(line + at, 64, "%5d ", s->tid);
	if ((type & PERF_SAMPLE_CPU) && at < (int)sizeof(line) - 64)
		at += snprintf(line + at, 64, "[%03u] ", s->cpu);
	if (at < (int)sizeof(line) - 64)
		at += snprintf(line + at, 64, "%5llu.%06llu: ", (unsigned long long)(s->time / 1000000000),
			       (unsigned long long)(s->time % 1000000000 / 1000));
	if ((type & PERF_SAMPLE_PERIOD) && at < (int)sizeof(line) - 64)
		at += snprintf(line + at, 64, "%10llu x", (unsigned long long)s->period);
	len = strlen(line);
	if (!len || isspace((unsigned char)line[0]))
		return UINT32_MAX - 1;
	for (n = 2; n < len; n++) {	/* (\S.+?): the shortest comm that lets the rest match */
		size_t q = n, d1, d2;

		while (q < len && isspace((unsigned char)line[q]))
			q++;
		if (q == n)
			continue;
		for (d1 = q; q < len && isdigit((unsigned char)line[q]); q++)
			;
		if (q == d1)
			continue;
		snprintf(pid, sizeof(pid), "%.*s", (int)(q - d1), line + d1);
		while (q < len && line[q] == '/')
			q++;
		for (d2 = q; q < len && isdigit((unsigned char)line[q]); q++)
			;
		snprintf(tid, sizeof(tid), "%.*s", (int)(q - d2), line + d2);
		if (q < len && isspace((unsigned char)line[q]))
			break;
	}
	if (n >= len)
		return UINT32_MAX - 1;
	/* if (not $tid) { $tid = $pid; $pid = "?" }: Perl's false is "" and "0". */
	if (!tid[0] || !strcmp(tid, "0")) {
		snprintf(tid, sizeof(tid), "%s", pid);
		strcpy(pid, "?");
	}
	if (fo->tid)
		at = snprintf(pname, sizeof(pname), "%.*s-%s/%s", (int)n, line, pid, tid);
	else if (fo->pid)
		at = snprintf(pname, sizeof(pname), "%.*s-%s", (int)n, line, pid);
	else
		at = snprintf(pname, sizeof(pname), "%.*s", (int)n, line);
	if (at < 0 || at >= (int)sizeof(pname))
		at = sizeof(pname) - 1;
	for (int i = 0; i < at; i++)	/* $pname =~ tr/ /_/ */
		if (pname[i] == ' ')
			pname[i] = '_';
	return fs_strtab__add(fd->names, pname, at);
}

#define ROOT_UNSEEN	UINT32_MAX
#define ROOT_NOT_PLAIN	(UINT32_MAX - 2)

/* The root of a sample: the comm for plain names (cached per comm), else perl_root(). */
static uint32_t root_name(struct fold *fd, const struct fs_profile_sample *s)
{
	uint32_t *cached = &fd->comm_roots[s->comm];

	if (*cached == ROOT_UNSEEN) {
		const char *comm = fs_profile__str(fd->p, s->comm);
		bool plain = comm[0] && comm[1] && !fd->fo->pid && !fd->fo->tid;

		for (const char *c = comm; plain && *c; c++)
			plain = !isspace((unsigned char)*c);
		*cached = plain ? fs_strtab__add(fd->names, comm, strlen(comm)) : ROOT_NOT_PLAIN;
		if (*cached == UINT32_MAX)
			return UINT32_MAX;
	}
	if (*cached != ROOT_NOT_PLAIN && s->tid >= 0 && s->pid >= 0)
		return *cached;
	return perl_root(fd, s, fs_profile__str(fd->p, s->comm));
}

/* Weights of the selected samples by (root, stack). */
struct agg {
	struct fs_idmap index;
	uint64_t *keys, *weights;
	uint32_t n, alloc;
};

static bool in_range(const struct fs_filter *f, double origin, const struct fs_profile_sample *s)
{
	double t = fs_sample__seconds(s);

	if (f->has_start && t < origin + f->start)
		return false;
	if (f->has_end && t > origin + f->end)
		return false;
	return true;
}

static int aggregate(struct fold *fd, const struct fs_filter *f, struct agg *a, struct fs_error *err)
{
	const struct fs_profile *p = fd->p;
	double origin = fs_profile__origin(p);
	uint64_t i = 0;

	memset(a, 0, sizeof(*a));
	if (fs_idmap__init(&a->index, 4096))
		return fs_error__set(err, "out of memory");
	/* The time index skips straight to the range. */
	if (f->has_start && p->nr_samples) {
		double t0 = origin + f->start;

		i = fs_profile__lower_bound(p, t0 > 1 ? (uint64_t)((t0 - 1) * 1e9) : 0);
	}
	for (; i < p->nr_samples; i++) {
		const struct fs_profile_sample *s = &p->samples[i];
		uint32_t root, slot;
		uint64_t key;

		if (f->has_end && fs_sample__seconds(s) > origin + f->end)
			break;
		if (!in_range(f, origin, s) || !fs_filter__match(f, p, s))
			continue;
		root = root_name(fd, s);
		if (root == UINT32_MAX - 1)	/* stackcollapse-perf.pl would not see this sample */
			continue;
		if (root == UINT32_MAX)
			return fs_error__set(err, "out of memory");
		key = (uint64_t)root << 32 | s->stack;
		slot = fs_idmap__get(&a->index, key);
		if (slot == UINT32_MAX) {
			if (a->n == a->alloc) {
				uint32_t m = a->alloc ? a->alloc * 2 : 1024;
				uint64_t *keys = realloc(a->keys, m * sizeof(*keys)), *w;

				if (!keys)
					return fs_error__set(err, "out of memory");
				a->keys = keys;
				w = realloc(a->weights, m * sizeof(*w));
				if (!w)
					return fs_error__set(err, "out of memory");
				a->weights = w;
				a->alloc = m;
			}
			slot = a->n++;
			a->keys[slot] = key;
			a->weights[slot] = 0;
			if (fs_idmap__put(&a->index, key, slot))
				return fs_error__set(err, "out of memory");
		}
		a->weights[slot] = fs_weight__add(a->weights[slot], fs_filter__weight(f, s));
	}
	return 0;
}

static void agg__exit(struct agg *a)
{
	fs_idmap__exit(&a->index);
	free(a->keys);
	free(a->weights);
}


/* Self weights of tree nodes for one pass, turned into totals at the end. */
struct selfw {
	uint64_t *w;
	uint32_t alloc;
};

static int selfw__add(struct selfw *sw, uint32_t node, uint64_t w)
{
	if (node >= sw->alloc) {
		uint32_t n = sw->alloc ? sw->alloc : 1024;
		uint64_t *v;

		while (n <= node)
			n *= 2;
		v = realloc(sw->w, n * sizeof(*v));
		if (!v)
			return -1;
		memset(v + sw->alloc, 0, (n - sw->alloc) * sizeof(*v));
		sw->w = v;
		sw->alloc = n;
	}
	sw->w[node] = fs_weight__add(sw->w[node], w);
	return 0;
}

/* Children are created after their parents, so one backwards pass sums subtrees. */
static void selfw__apply(struct selfw *sw, struct fs_flame *fl, bool compare)
{
	for (uint32_t id = fl->nr_nodes; id-- > 0;) {
		uint64_t w = id < sw->alloc ? sw->w[id] : 0;

		if (!w)
			continue;
		if (id)
			selfw__add(sw, fl->nodes[id].parent, w);	/* parent < id: no growth */
		if (compare)
			fl->nodes[id].value_b = fs_weight__add(fl->nodes[id].value_b, w);
		else
			fl->nodes[id].value = fs_weight__add(fl->nodes[id].value, w);
	}
}

/* Descends from node through a frame's folded names. */
static int descend_frame(struct fs_flame *fl, struct fold *fd, uint32_t frame, bool java,
			 uint32_t *node, struct fs_error *err)
{
	const struct folded_frame *ff = &fd->frames[frame];

	for (uint32_t i = 0; i < ff->n; i++) {
		uint32_t id = fd->ids[ff->first + i];
		uint8_t kind = kind_of(fd, id, fd->kinds[ff->first + i]);

		if (java)
			id = java_tidy(fd, id);
		if (id == UINT32_MAX || fs_flame__child_id(fl, *node, id, kind, node, err))
			return -1;
	}
	return 0;
}

/*
 * The tree node of (root, stack), memoised per stack prefix so each distinct
 * stack node is descended once however many entries share it.
 */
static int node_of(struct fs_flame *fl, struct fold *fd, struct fs_idmap *memo, uint32_t root,
		   uint32_t stack, uint32_t *node, struct fs_error *err)
{
	const struct fs_profile *p = fd->p;
	const char *rname = fs_strtab__str(fd->names, root);
	bool java = !strncmp(rname, "java", 4);
	uint32_t chain[256], n = 0, at;

	for (;;) {
		at = fs_idmap__get(memo, (uint64_t)root << 32 | stack);
		if (at != UINT32_MAX)
			break;
		if (!stack) {
			if (fs_flame__child_id(fl, 0, root, FS_FRAME_COMM, &at, err) ||
			    fs_idmap__put(memo, (uint64_t)root << 32, at))
				return fs_error__set(err, "out of memory");
			break;
		}
		if (n == ARRAY_SIZE(chain)) {
			/* Deeper than the chain buffer: resolve the prefix first. */
			if (node_of(fl, fd, memo, root, stack, &at, err))
				return -1;
			break;
		}
		if (!fd->frames[p->stacks[stack].frame].done && fold_frame(fd, p->stacks[stack].frame))
			return fs_error__set(err, "out of memory");
		chain[n++] = stack;
		stack = p->stacks[stack].parent;
	}
	while (n--) {
		if (descend_frame(fl, fd, p->stacks[chain[n]].frame, java, &at, err) ||
		    fs_idmap__put(memo, (uint64_t)root << 32 | chain[n], at))
			return fs_error__set(err, "out of memory");
	}
	*node = at;
	return 0;
}

/* --reverse turns whole paths around: no prefix sharing, so walk each path. */
static int node_of_reversed(struct fs_flame *fl, struct fold *fd, uint32_t root, uint32_t stack,
			    uint32_t *node, struct fs_error *err)
{
	const char *rname = fs_strtab__str(fd->names, root);
	int n = fold_path(fd, root, stack, !strncmp(rname, "java", 4));

	if (n < 0)
		return fs_error__set(err, "out of memory");
	*node = 0;
	for (int d = 0; d < n; d++)
		if (fs_flame__child_id(fl, *node, fd->path[d], fd->path_kinds[d], node, err))
			return -1;
	return 0;
}

static int add_to_flame(struct fs_flame *fl, struct fold *fd, struct agg *a, bool compare,
			double scale, struct fs_error *err)
{
	struct selfw sw = { 0 };
	struct fs_idmap memo;
	int ret = -1;

	if (fs_idmap__init(&memo, 4096))
		return fs_error__set(err, "out of memory");
	for (uint32_t i = 0; i < a->n; i++) {
		uint32_t root = a->keys[i] >> 32, node;
		uint64_t w = a->weights[i];

		if (root == UINT32_MAX) {
			fs_error__set(err, "out of memory");
			goto out;
		}
		if (fd->fo->reverse ? node_of_reversed(fl, fd, root, (uint32_t)a->keys[i], &node, err) :
				      node_of(fl, fd, &memo, root, (uint32_t)a->keys[i], &node, err))
			goto out;
		if (compare)
			w = w * scale >= (double)FS_WEIGHT_MAX ? FS_WEIGHT_MAX : (uint64_t)llround(w * scale);
		if (selfw__add(&sw, node, w)) {
			fs_error__set(err, "out of memory");
			goto out;
		}
	}
	if (selfw__add(&sw, fl->nr_nodes, 0)) {	/* room for every node */
		fs_error__set(err, "out of memory");
		goto out;
	}
	selfw__apply(&sw, fl, compare);
	ret = 0;
out:
	free(sw.w);
	fs_idmap__exit(&memo);
	return ret;
}

static int build(struct fs_flame *fl, const struct fs_profile *p, const struct fs_filter *f,
		 const struct fs_fold_opts *fo, bool compare, bool normalize, struct fs_error *err)
{
	struct fold fd;
	struct agg a;
	double scale = 1;
	int ret = -1;

	if (fold__init(&fd, p, fo, fs_flame__strtab(fl)) || fold__kinds(&fd)) {
		fold__exit(&fd);
		return fs_error__set(err, "out of memory");
	}
	if (aggregate(&fd, f, &a, err))
		goto out;
	if (compare && normalize) {
		uint64_t total = 0;

		for (uint32_t i = 0; i < a.n; i++)
			total = fs_weight__add(total, a.weights[i]);
		if (total)
			scale = (double)fl->nodes[0].value / total;
	}
	ret = add_to_flame(fl, &fd, &a, compare, scale, err);
out:
	agg__exit(&a);
	fold__exit(&fd);
	return ret;
}

struct fs_flame *fs_flame__from_profile(const struct fs_profile *p, const struct fs_filter *f,
					const struct fs_fold_opts *fo, struct fs_error *err)
{
	struct fs_flame *fl = fs_flame__new(err);

	if (!fl)
		return NULL;
	if (build(fl, p, f, fo, false, false, err) || fs_flame__sort(fl, err)) {
		fs_flame__delete(fl);
		return NULL;
	}
	return fl;
}

int fs_flame__add_compare(struct fs_flame *fl, const struct fs_profile *p, const struct fs_filter *f,
			  const struct fs_fold_opts *fo, bool normalize, struct fs_error *err)
{
	fl->differential = true;
	if (build(fl, p, f, fo, true, normalize, err))
		return -1;
	fl->total_b = fl->nodes[0].value_b;
	return fs_flame__sort(fl, err);
}

struct line {
	char *text;			/* folded stack, without the count */
	uint64_t count;
};

static int cmp_line(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->text, ((const struct line *)b)->text);
}

static char *join_path(struct fold *fd, int n)
{
	size_t len = 0, at = 0;
	char *text;

	for (int d = 0; d < n; d++)
		len += strlen(fs_strtab__str(fd->names, fd->path[d])) + 1;
	text = malloc(len + 1);
	if (!text)
		return NULL;
	for (int d = 0; d < n; d++) {
		const char *name = fs_strtab__str(fd->names, fd->path[d]);
		size_t l = strlen(name);

		if (d)
			text[at++] = ';';
		memcpy(text + at, name, l);
		at += l;
	}
	text[at] = '\0';
	return text;
}

static int write_lines(struct line *lines, uint32_t n, FILE *out, struct fs_error *err)
{
	qsort(lines, n, sizeof(*lines), cmp_line);
	for (uint32_t i = 0; i < n; i++) {
		uint64_t count = lines[i].count;

		/* Different frames can fold to one name (arguments stripped): sum them. */
		while (i + 1 < n && !strcmp(lines[i].text, lines[i + 1].text))
			count = fs_weight__add(count, lines[++i].count);
		if (fprintf(out, "%s %llu\n", lines[i].text, (unsigned long long)count) < 0)
			return fs_error__set(err, "write error");
	}
	return 0;
}

int fs_profile__write_folded(const struct fs_profile *p, const struct fs_filter *f,
			     const struct fs_fold_opts *fo, FILE *out, struct fs_error *err)
{
	struct fs_strtab *names = fs_strtab__new();
	struct line *lines = NULL;
	struct fold fd;
	struct agg a = { 0 };
	uint32_t n = 0;
	int ret = -1;

	if (!names || fold__init(&fd, p, fo, names)) {
		fs_strtab__delete(names);
		return fs_error__set(err, "out of memory");
	}
	if (aggregate(&fd, f, &a, err))
		goto out;
	lines = calloc(a.n + 1, sizeof(*lines));
	if (!lines) {
		fs_error__set(err, "out of memory");
		goto out;
	}
	for (; n < a.n; n++) {
		uint32_t root = a.keys[n] >> 32;
		const char *rname = root == UINT32_MAX ? NULL : fs_strtab__str(names, root);
		int depth = rname ? fold_path(&fd, root, (uint32_t)a.keys[n], !strncmp(rname, "java", 4)) : -1;

		lines[n].count = a.weights[n];
		lines[n].text = depth < 0 ? NULL : join_path(&fd, depth);
		if (!lines[n].text) {
			fs_error__set(err, "out of memory");
			goto out;
		}
	}
	ret = write_lines(lines, n, out, err);
out:
	for (uint32_t i = 0; i < n; i++)
		free(lines[i].text);
	free(lines);
	agg__exit(&a);
	fold__exit(&fd);
	fs_strtab__delete(names);
	return ret;
}

int fs_flame_index__build(struct fs_flame_index *ix, const struct fs_profile *p, const struct fs_fold_opts *fo,
			  const uint8_t *want, struct fs_error *err)
{
	struct fs_idmap keys = { 0 }, memo = { 0 };
	size_t alloc = 0;
	struct fold fd;
	int ret = -1;

	memset(ix, 0, sizeof(*ix));
	ix->flame = fs_flame__new(err);
	if (!ix->flame)
		return -1;
	ix->sample_key = malloc((p->nr_samples + 1) * sizeof(*ix->sample_key));
	if (fold__init(&fd, p, fo, fs_flame__strtab(ix->flame)) || fold__kinds(&fd) || !ix->sample_key ||
	    fs_idmap__init(&keys, 4096) || fs_idmap__init(&memo, 4096)) {
		fs_error__set(err, "out of memory");
		goto out;
	}
	for (uint64_t i = 0; i < p->nr_samples; i++) {
		const struct fs_profile_sample *s = &p->samples[i];
		uint32_t root, k, node;
		uint64_t key;

		ix->sample_key[i] = FS_FLAME_NO_KEY;
		if (want && !want[i])
			continue;
		root = root_name(&fd, s);
		if (root == UINT32_MAX - 1)	/* stackcollapse-perf.pl would not see this sample */
			continue;
		if (root == UINT32_MAX) {
			fs_error__set(err, "out of memory");
			goto out;
		}
		key = (uint64_t)root << 32 | s->stack;
		k = fs_idmap__get(&keys, key);
		if (k == UINT32_MAX) {
			if (fo->reverse ? node_of_reversed(ix->flame, &fd, root, s->stack, &node, err) :
					  node_of(ix->flame, &fd, &memo, root, s->stack, &node, err))
				goto out;
			if (FS_GROW(ix->key_node, alloc, ix->nr_keys + 1)) {
				fs_error__set(err, "out of memory");
				goto out;
			}
			k = ix->nr_keys++;
			ix->key_node[k] = node;
			if (fs_idmap__put(&keys, key, k)) {
				fs_error__set(err, "out of memory");
				goto out;
			}
		}
		ix->sample_key[i] = k;
	}
	ret = fs_flame__sort(ix->flame, err);
out:
	fs_idmap__exit(&keys);
	fs_idmap__exit(&memo);
	fold__exit(&fd);
	if (ret)
		fs_flame_index__exit(ix);
	return ret;
}

void fs_flame_index__exit(struct fs_flame_index *ix)
{
	fs_flame__delete(ix->flame);
	free(ix->key_node);
	free(ix->sample_key);
	memset(ix, 0, sizeof(*ix));
}
