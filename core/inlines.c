// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf 6.1's inline frames without libbfd (util/srcline.c, the
 * addr2line_subprocess code): one addr2line child per dso, asked
 * "%016lx\n,\n" per address; the "," is no address, so addr2line answers it
 * with "??" / "??:0" after its real answer, which marks the end of a
 * variable number of records. Records are read exactly as perf reads them
 * (read_addr2line_record(), filename_split()), so even odd answers give
 * perf's frames.
 *
 * The child gets a socket as its standard input (a dead child makes a
 * write fail with EPIPE instead of raising SIGPIPE in our process), a pipe
 * as its output and /dev/null as its error output, and no other file of
 * ours. A child that does not answer within A2L_TIMEOUT_MS is killed and
 * its dso gets no inline frames: perf would wait for ever.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include "demangle.h"
#include "idmap.h"
#include "inlines-dw.h"
#include "inlines.h"
#include "strtab.h"
#include "symbols-files.h"
#include "util.h"

extern char **environ;

#define A2L_TIMEOUT_MS	30000
#define MAX_INLINE_NEST	1024		/* perf's cap on the records kept after the first */
#define LINE_MAX_LEN	(1u << 20)	/* longer lines end the child (perf would take them) */
#define MAX_PENDING	64		/* requests sent ahead per child: 1.2 KB, far below what a
					 * socket buffers, so sending never blocks on a child
					 * blocked on its answers */
#define PENDING		UINT32_MAX	/* entry.n of a request sent, not yet answered */

struct a2l {
	pid_t pid;
	int wfd, rfd;
	char *buf;			/* what was read and not yet consumed */
	size_t pos, len, alloc;
	bool failed;			/* could not start, or stopped answering: no more asking */
};

struct entry {
	uint32_t first, n;		/* in syms[]; n PENDING: asked, answer not read yet */
	const struct fs_symbol *sym;	/* while pending: the frame's symbol */
};

struct idso {
	struct a2l a2l;
	bool started;
	struct fs_dwinl *dw;		/* the file's DWARF, where it has some */
	bool dw_tried;
	struct fs_idmap addrs;		/* addr -> entry */
	bool addrs_ready;
	uint32_t pending[MAX_PENDING];	/* entries asked, in the order asked */
	uint32_t nr_pending, first_pending;
};

struct sym_block {
	struct sym_block *next;
	uint32_t used;
	struct fs_symbol v[256];
};

struct fs_inlines {
	struct fs_symbolizer *syms;
	struct idso *dsos;		/* by fs_dso.id */
	uint32_t nr_dsos;
	struct entry *entries;
	uint32_t nr_entries;
	size_t alloc_entries;
	const struct fs_symbol **list;	/* the entries' symbols */
	uint32_t nr_list;
	size_t alloc_list;
	struct fs_strtab *names;	/* inlined functions' names */
	struct sym_block *blocks;	/* inlined frames' symbols */
};

/* ---- the child ---- */

static void a2l_stop(struct a2l *a)
{
	if (a->pid > 0) {
		kill(a->pid, SIGKILL);
		while (waitpid(a->pid, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (a->wfd >= 0)
		close(a->wfd);
	if (a->rfd >= 0)
		close(a->rfd);
	a->pid = -1;
	a->wfd = a->rfd = -1;
	a->failed = true;
}

/* perf's addr2line_subprocess_init(): addr2line -e path -i -f, from $PATH. */
static int a2l_start(struct a2l *a, const char *path)
{
	char *argv[] = { "addr2line", "-e", (char *)path, "-i", "-f", NULL };
	posix_spawn_file_actions_t fa;
	int in[2] = { -1, -1 }, out[2] = { -1, -1 }, ret = -1;

	a->pid = -1;
	a->wfd = a->rfd = -1;
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, in) ||
	    pipe2(out, O_CLOEXEC)) {
		a->failed = true;
		goto out;
	}
	if (posix_spawn_file_actions_init(&fa)) {
		a->failed = true;
		goto out;
	}
	if (!posix_spawn_file_actions_adddup2(&fa, in[1], 0) &&
	    !posix_spawn_file_actions_adddup2(&fa, out[1], 1) &&
	    !posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0) &&
	    !posix_spawn_file_actions_addclosefrom_np(&fa, 3) &&
	    !posix_spawnp(&a->pid, "addr2line", &fa, NULL, argv, environ))
		ret = 0;
	posix_spawn_file_actions_destroy(&fa);
	if (ret) {
		a->pid = -1;
		a->failed = true;
		goto out;
	}
	a->wfd = in[0];
	a->rfd = out[0];
	in[0] = out[0] = -1;
out:
	for (int i = 0; i < 2; i++) {
		if (in[i] >= 0)
			close(in[i]);
		if (out[i] >= 0)
			close(out[i]);
	}
	return ret;
}

static int a2l_send(struct a2l *a, uint64_t addr)
{
	char req[40];
	int len = snprintf(req, sizeof(req), "%016llx\n,\n", (unsigned long long)addr);

	for (int off = 0; off < len;) {
		ssize_t w = send(a->wfd, req + off, len - off, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		off += w;
	}
	return 0;
}

/* One line, without its '\n' (which *line ends at); NULL at the end or on error. */
static char *a2l_getline(struct a2l *a)
{
	for (;;) {
		char *nl = a->len > a->pos ? memchr(a->buf + a->pos, '\n', a->len - a->pos) : NULL;
		struct pollfd pfd = { .fd = a->rfd, .events = POLLIN };
		ssize_t r;

		if (nl) {
			char *line = a->buf + a->pos;

			*nl = '\0';
			a->pos = nl + 1 - a->buf;
			return line;
		}
		if (a->pos) {	/* keep the partial line at the start */
			memmove(a->buf, a->buf + a->pos, a->len - a->pos);
			a->len -= a->pos;
			a->pos = 0;
		}
		if (a->len + 4096 > a->alloc) {
			size_t n = a->alloc ? a->alloc * 2 : 8192;
			char *b;

			if (n > LINE_MAX_LEN)
				return NULL;
			b = realloc(a->buf, n);
			if (!b)
				return NULL;
			a->buf = b;
			a->alloc = n;
		}
		r = poll(&pfd, 1, A2L_TIMEOUT_MS);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return NULL;
		r = read(a->rfd, a->buf + a->len, a->alloc - a->len - 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return NULL;	/* perf's getline() would return a last unterminated line: */
		a->len += r;		/* addr2line always ends its lines */
	}
}

/* perf's strim(): leading and trailing white space off. */
static char *strim(char *s)
{
	size_t n;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
		s[--n] = '\0';
	return s;
}

/*
 * perf's read_addr2line_record(): -1 on error, 0 for the "??:0" sentinel (or a
 * file line without ':'), 1 for a record, whose function (trimmed) is copied
 * to func (malloc'ed) when func is not NULL.
 */
static int a2l_record(struct a2l *a, char **func)
{
	char *line = a2l_getline(a), *f = NULL;

	if (func)
		*func = NULL;
	if (!line)
		return -1;
	if (func && !(f = strdup(strim(line))))
		return -1;
	line = a2l_getline(a);
	if (!line || !strcmp(line, "??:0") || !strchr(line, ':')) {
		free(f);
		return line ? 0 : -1;
	}
	if (func)
		*func = f;
	else
		free(f);
	return 1;
}

/* ---- the frames ---- */

static struct idso *idso_of(struct fs_inlines *in, const struct fs_dso *dso)
{
	if (dso->id >= in->nr_dsos) {
		uint32_t n = dso->id + 64;
		struct idso *v = realloc(in->dsos, n * sizeof(*v));

		if (!v)
			return NULL;
		memset(v + in->nr_dsos, 0, (n - in->nr_dsos) * sizeof(*v));
		in->dsos = v;
		in->nr_dsos = n;
	}
	return &in->dsos[dso->id];
}

/* perf's new_inline_sym(): sym itself when the demangled name is its name. */
static const struct fs_symbol *inline_sym(struct fs_inlines *in, const struct fs_symbol *sym,
					  const char *func)
{
	char *d = fs_demangle(func);
	const char *name = d ? d : func;
	struct sym_block *b = in->blocks;
	struct fs_symbol *s;

	if (!strcmp(name, sym->name)) {
		free(d);
		return sym;
	}
	name = fs_strtab__intern(in->names, name, strlen(name));
	free(d);
	if (!name)
		return NULL;
	if (!b || b->used == sizeof(b->v) / sizeof(b->v[0])) {
		b = calloc(1, sizeof(*b));
		if (!b)
			return NULL;
		b->next = in->blocks;
		in->blocks = b;
	}
	s = &b->v[b->used++];
	s->start = sym->start;
	s->end = sym->end;
	s->name = name;
	return s;
}

static int list_push(struct fs_inlines *in, const struct fs_symbol *s)
{
	if (!s)
		return -1;
	if (in->nr_list == UINT32_MAX || FS_GROW(in->list, in->alloc_list, in->nr_list + 1))
		return -1;
	in->list[in->nr_list++] = s;
	return 0;
}

/*
 * perf's addr2line() with unwind_inlines, reading the answer to a request
 * sent: appends the frames' symbols to the list.
 */
static void receive(struct fs_inlines *in, struct a2l *a, const struct fs_symbol *sym)
{
	uint32_t count = 0;
	char *func;
	int r;

	r = a2l_record(a, &func);
	if (r < 0) {
		a2l_stop(a);
		return;
	}
	if (r == 0) {	/* an unknown address: its sentinel comes next */
		if (a2l_record(a, NULL) < 0)
			a2l_stop(a);
		return;
	}
	r = list_push(in, inline_sym(in, sym, func));
	free(func);
	if (r)
		return;
	while ((r = a2l_record(a, &func)) == 1) {
		if (count++ < MAX_INLINE_NEST && list_push(in, inline_sym(in, sym, func))) {
			free(func);
			return;
		}
		free(func);
	}
	if (r < 0)
		a2l_stop(a);
}

/* Reads the answers to d's requests up to the oldest one, which gets its frames. */
static void receive_pending(struct fs_inlines *in, struct idso *d)
{
	uint32_t id = d->pending[d->first_pending++], first = in->nr_list;

	if (!d->a2l.failed)
		receive(in, &d->a2l, in->entries[id].sym);
	in->entries[id].first = first;
	in->entries[id].n = in->nr_list - first;
	if (d->first_pending == d->nr_pending)
		d->first_pending = d->nr_pending = 0;
}

/* perf's dso__name(): the symbol source, else the dso's path; none for "[...]" and JIT maps. */
static const char *a2l_file(struct fs_inlines *in, struct fs_dso *dso, uint64_t *text_offset)
{
	const char *name = fs_dso__symsrc(in->syms, dso, text_offset);

	if (!name)
		name = dso->name;
	if (name[0] == '[' || !strncmp(name, "/tmp/perf-", 10))
		return NULL;
	return name;
}

/*
 * e's frames from the file's DWARF, when libdw gives addr2line's answer
 * for sure (inlines-dw.h); false when addr2line must be asked.
 */
static bool from_dwarf(struct fs_inlines *in, struct idso *d, const char *file,
		       struct entry *e, uint64_t addr)
{
	const char *const *names;
	int n;

	if (!d->dw_tried) {
		d->dw_tried = true;
		d->dw = fs_dwinl__open(file);
	}
	if (!d->dw || (n = fs_dwinl__names(d->dw, addr, &names)) < 0)
		return false;
	e->first = in->nr_list;
	for (int i = 0; i < n; i++)
		if (list_push(in, inline_sym(in, e->sym, names[i])))
			break;
	e->n = in->nr_list - e->first;
	return true;
}

/*
 * The entry of (dso, addr), asking dso's child when it is new: the request
 * is only sent (the entry PENDING) when d has room for it, else asked and
 * answered at once. NULL when nothing can be asked, or out of memory.
 */
static struct entry *entry_of(struct fs_inlines *in, struct fs_dso *dso,
			      const struct fs_symbol *sym, uint64_t addr, struct idso **dp)
{
	struct idso *d;
	uint64_t text_offset = 0;
	const char *file;
	uint32_t id;

	if (!sym || !dso || (dso->kind != FS_DSO_USER && dso->kind != FS_DSO_VDSO))
		return NULL;
	d = idso_of(in, dso);
	file = a2l_file(in, dso, &text_offset);
	if (!d || !file)
		return NULL;
	*dp = d;
	/* perf's map__rip_2objdump() for a user dso: what objdump and addr2line call it */
	addr += text_offset;
	if (!d->addrs_ready) {
		if (fs_idmap__init(&d->addrs, 256))
			return NULL;
		d->addrs_ready = true;
	}
	id = fs_idmap__get(&d->addrs, addr);
	if (id != UINT32_MAX)
		return &in->entries[id];
	if (in->nr_entries == UINT32_MAX - 1 ||
	    FS_GROW(in->entries, in->alloc_entries, (size_t)in->nr_entries + 1))
		return NULL;
	id = in->nr_entries;
	if (fs_idmap__put(&d->addrs, addr, id))
		return NULL;
	in->nr_entries++;
	in->entries[id] = (struct entry){ in->nr_list, 0, sym };
	if (from_dwarf(in, d, file, &in->entries[id], addr))
		return &in->entries[id];
	if (!d->started) {
		d->started = true;
		a2l_start(&d->a2l, file);
	}
	if (d->a2l.failed)
		return &in->entries[id];
	if (a2l_send(&d->a2l, addr)) {
		a2l_stop(&d->a2l);
		return &in->entries[id];
	}
	in->entries[id].n = PENDING;
	while (d->nr_pending == MAX_PENDING)	/* no room: the oldest answers are read now */
		receive_pending(in, d);
	d->pending[d->nr_pending++] = id;
	return &in->entries[id];
}

void fs_inlines__prefetch(struct fs_inlines *in, struct fs_dso *dso, const struct fs_symbol *sym,
			  uint64_t addr)
{
	struct idso *d;

	entry_of(in, dso, sym, addr, &d);
}

const struct fs_symbol *const *fs_inlines__find(struct fs_inlines *in, struct fs_dso *dso,
					       const struct fs_symbol *sym, uint64_t addr,
					       uint32_t *n)
{
	struct idso *d;
	struct entry *e = entry_of(in, dso, sym, addr, &d);

	*n = 0;
	if (!e)
		return NULL;
	while (e->n == PENDING)
		receive_pending(in, d);
	*n = e->n;
	return e->n ? in->list + e->first : NULL;
}

struct fs_inlines *fs_inlines__new(struct fs_symbolizer *syms)
{
	struct fs_inlines *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	in->syms = syms;
	in->names = fs_strtab__new();
	if (!in->names) {
		free(in);
		return NULL;
	}
	return in;
}

void fs_inlines__delete(struct fs_inlines *in)
{
	if (!in)
		return;
	for (uint32_t i = 0; i < in->nr_dsos; i++) {
		struct idso *d = &in->dsos[i];

		if (d->started && !d->a2l.failed)
			a2l_stop(&d->a2l);
		free(d->a2l.buf);
		fs_dwinl__close(d->dw);
		if (d->addrs_ready)
			fs_idmap__exit(&d->addrs);
	}
	for (struct sym_block *b = in->blocks, *next; b; b = next) {
		next = b->next;
		free(b);
	}
	free(in->dsos);
	free(in->entries);
	free(in->list);
	fs_strtab__delete(in->names);
	free(in);
}
