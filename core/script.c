// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf script's text, byte for byte (perf 6.1: builtin-script.c
 * process_event(), perf_sample__fprintf_start(), evsel_fprintf.c). Numbers
 * are formatted by hand into one large buffer: printf per field costs more
 * than all the rest of the work. Each evsel's fields are compiled once into
 * a list of steps (script-fields.c settles which): a sample runs exactly the
 * steps its event prints, in perf's order, and nothing looks at the -F list
 * again.
 *
 * Tracepoint payloads are rendered by libtraceevent in a worker process
 * (tpworker.h): a payload leaves a hole in its output's buffer, and the
 * worker fills a buffer's holes in one batch when that buffer is flushed.
 * Each output (the caller's fd, or a --per-event-dump file) has its own
 * buffer and holes; the worker renders one batch at a time, and a batch is
 * written to its output before anything else is written anywhere, so every
 * output keeps the order of its samples.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <sys/stat.h>
#include <time.h>
#include "script-int.h"
#include "list.h"
#include "tracepoint.h"
#include "util.h"

#define BUF_SIZE	(256u << 10)	/* stays in L2: a bigger one only adds cache misses */
#define BUF_SLACK	(64u << 10)	/* room for one header line or one frame */
#define MAX_CPUS	4096
#define MAX_STACK_CAP	65536	/* more frames than any record can hold */
#define MAX_STEPS	32
/* The default fields' steps and the frame printer, inlined into print_core() (see there). */
#define HOT static __attribute__((always_inline)) inline

/*
 * Rendered callchain lines by (maps_gen with the frame's fields in its top
 * bits, ip): for given fields, the text of a frame never changes.
 */
struct line {
	uint64_t gen, ip;
	uint32_t off, len;		/* in the arena; len 0: empty */
};

#define LINE_MIN_BITS	14
#define LINE_MAX_BITS	20
#define ARENA_MAX	(32u << 20)
#define MAX_HOLES	8192		/* payloads waiting for the tracepoint worker */
#define MAX_HOLE_BYTES	(4u << 20)

/* A payload's place in its output's buffer, rendered (in a batch) when the buffer is flushed. */
struct hole {
	size_t at;			/* offset in the buffer */
	size_t raw_off;			/* in raw */
	uint32_t raw_size;
	int32_t pid, tid;		/* for kernel_func() */
	int cpu;
	const struct fs_tp_event *ev;
};

/* The payloads a buffer waits for: their places, their bytes, the worker's requests. */
struct holes {
	struct hole *v;
	size_t nr, cap;
	uint8_t *raw;
	size_t raw_len, raw_cap;
	struct fs_tp_request *req;
	size_t cap_req;
};

struct intlist {
	int64_t *v;			/* NULL: no filter */
	size_t nr;
};

/* perf's strlist: a comma-separated list, "file://PATH" entries read from PATH. */
struct strlist {
	char **v;
	size_t nr;
};

/* One output: the caller's fd, or a --per-event-dump file; its buffer and the payloads it waits for. */
struct sink {
	int fd;
	char *buf;
	size_t len;
	struct holes holes;
	char *path, *tmp;		/* per-event-dump: the file, and where it is written first */
	struct sink *next;
};

struct fs_script;
struct pctx;
typedef int (*step_fn)(struct fs_script *sc, const struct pctx *c, struct fs_error *err);

/* What one evsel prints, compiled once: the steps of its fields, in perf's order. */
struct evprog {
	uint64_t f;			/* its output type's fields, as settled */
	uint64_t fkey;			/* its frame fields, in the line cache's keys */
	bool chain;			/* samples with a callchain print it, a frame a line */
	bool pad_comm;			/* comm as "%16s " (no callchain printed for the event) */
	bool addr_syms;			/* page faults: addr gets its symbol and dso */
	bool core;			/* only the default fields' kinds: print_core() does it */
	uint8_t nstart, nsteps;		/* steps[0, nstart): perf_sample__fprintf_start() */
	step_fn steps[MAX_STEPS];
	char *evname;			/* "%*s: ", padded to the longest event name */
	uint32_t evname_len;
	struct sink *sink;
	uint64_t samples;		/* printed, for --per-event-dump */
	const char *name;
};

/* What the steps print from. */
struct pctx {
	const struct fs_sample *s;
	const struct evprog *p;
	const struct fs_thread *th;
	const struct fs_frame *ipf;	/* the sample ip resolved (one-line samples, filters) */
	int n;				/* callchain frames in sc->frames; -1: one line */
	uint32_t type;			/* the record's type and misc, for "misc" */
	uint16_t misc;
};

struct fs_script {
	const struct fs_header *hdr;
	struct fs_session *ss;
	struct fs_script_opts opts;
	struct fs_script_settled set;
	/* the output being written: a copy of cur's */
	int fd;
	char *buf;
	size_t len;
	struct sink *cur, *sinks;	/* sinks: the caller's fd first */
	struct evprog *progs;		/* by evsel idx */
	uint32_t nr_progs;
	int name_width;
	uint64_t initial_time, previous_time;
	struct intlist pids, tids;
	struct strlist comms, dsos, syms;
	uint64_t *addrs;		/* -S entries that are hex numbers */
	size_t nr_addrs;
	bool ip_filters;		/* --dsos or -S: the sample ip decides */
	bool resolved;			/* a sample's ip was looked up */
	uint8_t *cpu_bitmap;		/* NULL: no --cpu */
	int data_src_width;		/* perf pads data_src to the longest so far */
	uint64_t nr_trace;		/* tracepoint samples whose payload could not be formatted */
	uint64_t nr_trace_markers;	/* payloads libtraceevent crashed or hung on */
	int write_errno;		/* of the write that failed */
	struct fs_tracepoints *tp;	/* parsed at the first tracepoint sample (pipe mode: after its record) */
	struct pending {		/* the batch the worker renders: a sink's buffer and holes */
		struct sink *sink;	/* whose it is; NULL: none */
		char *buf;		/* swapped with the sink's at submit() */
		size_t len;
		struct holes holes;
	} pend;
	char *out;			/* pend.buf with the payloads filled in */
	size_t out_len, out_cap, out_from;
	char *text;			/* a record's text (--show-*-events) */
	struct fs_frame *frames;
	int max_stack;
	uint64_t flushes;
	struct line *lines;
	unsigned int line_bits;
	uint64_t line_misses;
	char *arena;
	size_t arena_len, arena_alloc;
};

#define TEXT_SIZE	(80u << 10)	/* a record's text: its strings end within its 64 KiB */
/*
 * The line table and arena are read at random, a few million times: on
 * 4 KiB pages nearly every look-up is also a TLB miss (costly in a VM),
 * so they live in zeroed anonymous memory that may use transparent huge
 * pages. Untouched pages cost nothing.
 */
#define HUGE_PAGE	(2u << 20)

static void *huge_alloc(size_t size)
{
	size_t len = (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1);
	char *p = mmap(NULL, len + HUGE_PAGE, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	size_t head;

	if (p == MAP_FAILED)
		return NULL;
	/* huge pages need 2 MiB-aligned ranges: keep the aligned part only */
	head = (HUGE_PAGE - (uintptr_t)p % HUGE_PAGE) % HUGE_PAGE;
	if (head)
		munmap(p, head);
	munmap(p + head + len, HUGE_PAGE - head);
	madvise(p + head, len, MADV_HUGEPAGE);
	return p + head;
}

static void huge_free(void *p, size_t size)
{
	if (p)
		munmap(p, (size + HUGE_PAGE - 1) & ~(size_t)(HUGE_PAGE - 1));
}

/* ---- the buffer ---- */

static int write_all(struct fs_script *sc, int fd, const char *p, size_t len, struct fs_error *err)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(fd, p + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			sc->write_errno = n < 0 ? errno : EIO;
			return fs_error__set(err, "writing the output: %s", strerror(sc->write_errno));
		}
		off += n;
	}
	return 0;
}

static int out_put(struct fs_script *sc, const char *p, size_t n)
{
	if (!n)
		return 0;
	if (sc->out_len + n > sc->out_cap) {
		size_t cap = (sc->out_len + n) * 2;
		char *o = realloc(sc->out, cap);

		if (!o)
			return -1;
		sc->out = o;
		sc->out_cap = cap;
	}
	memcpy(sc->out + sc->out_len, p, n);
	sc->out_len += n;
	return 0;
}

/* A rendered payload: the pending buffer up to its hole, then its text. */
static int fill_hole(void *priv, size_t i, int status, const char *text, size_t len)
{
	struct fs_script *sc = priv;
	const struct hole *h = &sc->pend.holes.v[i];

	if (out_put(sc, sc->pend.buf + sc->out_from, h->at - sc->out_from))
		return -1;
	sc->out_from = h->at;
	if (status < 0) {
		sc->nr_trace++;
		return 0;
	}
	sc->nr_trace_markers += status > 0;
	return out_put(sc, text, len);
}

/*
 * The pending batch's payloads, collected from the worker, and its buffer
 * written around them to the output it belongs to. Called before any other
 * write, so no output ever gets bytes ahead of its own pending ones.
 */
static int collect(struct fs_script *sc, struct fs_error *err)
{
	struct pending *p = &sc->pend;
	struct sink *k = p->sink;

	if (!k)
		return 0;
	p->sink = NULL;
	sc->out_len = sc->out_from = 0;
	if (fs_tracepoints__collect(sc->tp, fill_hole, sc, err))
		return -1;
	if (out_put(sc, p->buf + sc->out_from, p->len - sc->out_from))
		return fs_error__set(err, "out of memory");
	p->holes.nr = p->holes.raw_len = 0;
	return write_all(sc, k->fd, sc->out, sc->out_len, err);
}

/*
 * The current output's buffer, with payloads, goes to the worker and waits
 * while the output fills another (the two processes work at once); it is
 * written at the next collect().
 */
static int submit(struct fs_script *sc, struct fs_error *err)
{
	struct sink *k = sc->cur;
	struct holes *c = &k->holes, t;
	char *b;

	if (c->nr > c->cap_req) {
		struct fs_tp_request *r = realloc(c->req, c->nr * sizeof(*r));

		if (!r)
			return fs_error__set(err, "out of memory");
		c->req = r;
		c->cap_req = c->nr;
	}
	for (size_t i = 0; i < c->nr; i++) {
		const struct hole *h = &c->v[i];

		c->req[i] = (struct fs_tp_request){ h->ev, h->cpu, c->raw + h->raw_off, h->raw_size,
						    (void *)h };
	}
	if (!sc->pend.buf && !(sc->pend.buf = malloc(BUF_SIZE + BUF_SLACK)))
		return fs_error__set(err, "out of memory");
	if (fs_tracepoints__submit(sc->tp, c->req, c->nr, err))
		return -1;
	/* the requests point into the holes' arrays: they move to pend whole */
	t = sc->pend.holes;
	sc->pend.holes = *c;
	*c = t;
	c->nr = c->raw_len = 0;
	b = sc->pend.buf;
	sc->pend.buf = sc->buf;
	sc->pend.len = sc->len;
	sc->pend.sink = k;
	k->buf = sc->buf = b;
	return 0;
}

/* The current output's buffer: to the worker if it waits for payloads, else written. */
static int flush(struct fs_script *sc, struct fs_error *err)
{
	if (collect(sc, err))
		return -1;
	if (sc->cur->holes.nr ? submit(sc, err) : write_all(sc, sc->fd, sc->buf, sc->len, err))
		return -1;
	sc->len = 0;
	sc->flushes++;
	return 0;
}

static inline void put(struct fs_script *sc, const char *s, size_t n)
{
	memcpy(sc->buf + sc->len, s, n);
	sc->len += n;
}

/*
 * Lines are short: copy them 16 bytes at a time, past their end (the buffer
 * has slack and the arena keeps 64 spare bytes), instead of calling memcpy.
 */
static inline void put_line(struct fs_script *sc, const char *s, size_t n)
{
	char *d = sc->buf + sc->len;

	if (n > 256) {
		memcpy(d, s, n);
	} else {
		for (size_t i = 0; i < n; i += 16)
			__builtin_memcpy(d + i, s + i, 16);
	}
	sc->len += n;
}

static inline void put_c(struct fs_script *sc, char c)
{
	sc->buf[sc->len++] = c;
}

static inline void put_pad(struct fs_script *sc, int n)
{
	if (n > 32) {
		memset(sc->buf + sc->len, ' ', n);
		sc->len += n;
	} else if (n > 0) {
		/* short pads (most): one fixed-size store into the buffer's slack */
		__builtin_memset(sc->buf + sc->len, ' ', 32);
		sc->len += n;
	}
}

/* Names can be long (C++): long ones are written straight from the buffer's slack. */
static int put_str(struct fs_script *sc, const char *s, struct fs_error *err)
{
	size_t n = strlen(s);

	if (sc->len + n + 512 > BUF_SIZE + BUF_SLACK) {
		if (flush(sc, err))
			return -1;
		if (n + 512 > BUF_SIZE)
			return collect(sc, err) || write_all(sc, sc->fd, s, n, err) ? -1 : 0;
	}
	put(sc, s, n);
	return 0;
}

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/*
 * Decimal digits of v, right-aligned to end at r + 24 (r has 48 bytes, so
 * 24 bytes can always be read from the first digit); returns the first.
 */
static inline const char *fmt_u64(char r[48], uint64_t v, int *len)
{
	int n = 24;

	while (v >= 100) {
		unsigned int d = v % 100;

		v /= 100;
		n -= 2;
		__builtin_memcpy(r + n, digit_pairs + 2 * d, 2);
	}
	if (v >= 10) {
		n -= 2;
		__builtin_memcpy(r + n, digit_pairs + 2 * v, 2);
	} else {
		r[--n] = '0' + v;
	}
	*len = 24 - n;
	return r + n;
}

/* n <= 24 bytes of s, which has 24 readable: one fixed-size copy (the buffer has slack), no memcpy call. */
static inline void put_short(struct fs_script *sc, const char *s, int n)
{
	__builtin_memcpy(sc->buf + sc->len, s, 24);
	sc->len += n;
}

/* %*lu (right-aligned) */
static inline void put_u64_w(struct fs_script *sc, uint64_t v, int width)
{
	char r[48];
	int n;
	const char *d = fmt_u64(r, v, &n);

	put_pad(sc, width - n);
	put_short(sc, d, n);
}

/* %*d */
static inline void put_int_w(struct fs_script *sc, int32_t v, int width, bool left)
{
	char r[48];
	int n;
	const char *d = fmt_u64(r, v < 0 ? -(int64_t)v : v, &n);

	if (v < 0) {
		*(char *)--d = '-';
		n++;
	}
	if (!left)
		put_pad(sc, width - n);
	put_short(sc, d, n);
	if (left)
		put_pad(sc, width - n);
}

/* %0*lu */
static inline void put_u64_z(struct fs_script *sc, uint64_t v, int width)
{
	char r[48];
	int n;
	const char *d = fmt_u64(r, v, &n);

	for (int i = n; i < width; i++)
		put_c(sc, '0');
	put_short(sc, d, n);
}

/* %16lx / %lx */
static inline void put_hex(struct fs_script *sc, uint64_t v, int width)
{
	static const char digits[] = "0123456789abcdef";
	char tmp[40];
	int n = 0;

	do {
		tmp[15 - n++] = digits[v & 15];
		v >>= 4;
	} while (v);
	put_pad(sc, width - n);
	put_short(sc, tmp + 16 - n, n);
}

/* ---- outputs ---- */

/* Makes k the output being written (--per-event-dump switches between files). */
static void sink_use(struct fs_script *sc, struct sink *k)
{
	if (sc->cur == k)
		return;
	sc->cur->len = sc->len;
	sc->buf = k->buf;
	sc->len = k->len;
	sc->fd = k->fd;
	sc->cur = k;
}

static struct sink *sink_new(struct fs_script *sc, int fd)
{
	struct sink *k = calloc(1, sizeof(*k)), **tail = &sc->sinks;

	if (!k)
		return NULL;
	k->fd = fd;
	k->buf = malloc(BUF_SIZE + BUF_SLACK);
	if (!k->buf) {
		free(k);
		return NULL;
	}
	while (*tail)
		tail = &(*tail)->next;
	*tail = k;
	return k;
}

/* perf's "INPUT.EVENT.dump", written to a temporary file beside it until the end. */
static struct sink *dump_sink(struct fs_script *sc, const char *evname, struct fs_error *err)
{
	struct sink *k = NULL;
	char *path = NULL, *tmp = NULL;
	int fd = -1;

	if (asprintf(&path, "%s.%s.dump", sc->opts.per_event_dump, evname) < 0) {
		fs_error__set(err, "out of memory");
		return NULL;
	}
	for (k = sc->sinks; k; k = k->next) {
		if (k->path && !strcmp(k->path, path)) {	/* two events of one name: one file */
			free(path);
			return k;
		}
	}
	if (asprintf(&tmp, "%s.tmp-XXXXXX", path) < 0)
		tmp = NULL;
	if (tmp && (fd = mkostemp(tmp, O_CLOEXEC)) >= 0) {
		fchmod(fd, 0644);
		k = sink_new(sc, fd);
	}
	if (!k) {
		fs_error__set(err, "%s: cannot create the per-event dump file: %s", path,
			      strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(tmp);
		}
		free(tmp);
		free(path);
		return NULL;
	}
	k->path = path;
	k->tmp = tmp;
	return k;
}

/* ---- lists ---- */

/* --pid, --tid: "" filters nothing, as before any list is given. */
static int parse_intlist(const char *s, struct intlist *l)
{
	int64_t bad;

	if (!*s)
		return 0;
	return fs_list__ints(s, false, INT32_MIN, INT32_MAX, &l->v, &l->nr, &bad) ? -1 : 0;
}

static bool intlist_has(const struct intlist *l, int64_t v)
{
	for (size_t i = 0; i < l->nr; i++)
		if (l->v[i] == v)
			return true;
	return false;
}

static int strlist_add(struct strlist *l, const char *s, size_t n)
{
	char **v = realloc(l->v, (l->nr + 1) * sizeof(*v));

	if (!v)
		return -1;
	l->v = v;
	v[l->nr] = strndup(s, n);
	return v[l->nr] ? (l->nr++, 0) : -1;
}

/* perf's strlist__load(): one entry a line, the line's last byte dropped. */
static int strlist_load(struct strlist *l, const char *path)
{
	char line[1024];
	FILE *f = fopen(path, "re");
	int ret = 0;

	if (!f)
		return -1;
	while (!ret && fgets(line, sizeof(line), f)) {
		size_t n = strlen(line);

		if (n)
			ret = strlist_add(l, line, n - 1);
	}
	fclose(f);
	return ret;
}

/* perf's strlist__parse_list(): split at commas (empty entries kept, a trailing one not). */
static int strlist_parse(struct strlist *l, const char *s)
{
	while (*s) {
		size_t n = strcspn(s, ",");
		int ret;

		if (n > 7 && !strncmp(s, "file://", 7)) {
			char *path = strndup(s + 7, n - 7);

			ret = path ? strlist_load(l, path) : -1;
			free(path);
		} else {
			ret = strlist_add(l, s, n);
		}
		if (ret)
			return -1;
		s += n;
		if (*s == ',')
			s++;
	}
	return 0;
}

static bool strlist_has(const struct strlist *l, const char *s)
{
	for (size_t i = 0; i < l->nr; i++)
		if (!strcmp(l->v[i], s))
			return true;
	return false;
}

static void strlist_free(struct strlist *l)
{
	for (size_t i = 0; i < l->nr; i++)
		free(l->v[i]);
	free(l->v);
}

/* perf's setup_addrlist(): -S entries that read whole as hex are addresses, not names. */
static int split_addrs(struct fs_script *sc)
{
	size_t out = 0;

	for (size_t i = 0; i < sc->syms.nr; i++) {
		char *s = sc->syms.v[i], *end;
		unsigned long long v;

		errno = 0;
		v = strtoull(s, &end, 16);
		while (end != s && *end && strchr(" \t\n\v\f\r", *end))
			end++;
		if (errno || end == s || *end) {
			sc->syms.v[out++] = s;
			continue;
		}
		uint64_t *a = realloc(sc->addrs, (sc->nr_addrs + 1) * sizeof(*a));

		if (!a)
			return -1;
		sc->addrs = a;
		a[sc->nr_addrs++] = v;
		free(s);
	}
	sc->syms.nr = out;
	return 0;
}

static int parse_cpus(struct fs_script *sc, const char *s, struct fs_error *err)
{
	uint32_t nr_cpus = sc->hdr->nr_cpus_avail < MAX_CPUS ? sc->hdr->nr_cpus_avail : MAX_CPUS;
	int64_t *cpus, bad;
	size_t n;

	for (uint32_t i = 0; i < sc->hdr->nr_evsels; i++)
		if (sc->hdr->evsels[i].attr.type < PERF_TYPE_MAX &&
		    !(sc->hdr->evsels[i].attr.sample_type & PERF_SAMPLE_CPU))
			return fs_error__set(err, "File does not contain CPU events. Remove -C option to proceed.");
	sc->cpu_bitmap = calloc(MAX_CPUS / 8, 1);
	if (!sc->cpu_bitmap)
		return fs_error__set(err, "out of memory");
	switch (fs_list__ints(s, true, 0, (int64_t)nr_cpus - 1, &cpus, &n, &bad)) {

	case 0:
		break;
	case -2:
		if (bad >= 0)
			return fs_error__set(err, "Requested CPU %lld too large. Consider raising MAX_NR_CPUS",
					     (long long)bad);
		/* fallthrough */
	default:
		return fs_error__set(err, "Invalid cpu_list");
	}
	for (size_t i = 0; i < n; i++)
		sc->cpu_bitmap[cpus[i] / 8] |= 1 << (cpus[i] % 8);
	free(cpus);
	return 0;
}

static bool cpu_filtered(const struct fs_script *sc, uint32_t cpu)
{
	return sc->cpu_bitmap && cpu != (uint32_t)-1 &&
	       (cpu >= MAX_CPUS || !(sc->cpu_bitmap[cpu / 8] & (1 << (cpu % 8))));
}

/* ---- the steps: one per field, each as perf prints it ---- */

HOT int step_comm(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	const char *comm = c->th ? c->th->comm : ":-1";
	size_t n = strlen(comm);

	if (n > 200) {
		if (put_str(sc, comm, err))
			return -1;
	} else {
		if (c->p->pad_comm)
			put_pad(sc, 16 - (int)n);
		put(sc, comm, n);
	}
	put_c(sc, ' ');
	return 0;
}

HOT int step_pid_tid(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	put_int_w(sc, (int32_t)c->s->pid, 5, false);
	put_c(sc, '/');
	put_int_w(sc, (int32_t)c->s->tid, 5, true);
	put_c(sc, ' ');
	return 0;
}

HOT int step_pid(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	put_int_w(sc, (int32_t)c->s->pid, 5, false);
	put_c(sc, ' ');
	return 0;
}

HOT int step_tid(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	put_int_w(sc, (int32_t)c->s->tid, 5, false);
	put_c(sc, ' ');
	return 0;
}

/* "[%03d] " */
HOT int step_cpu(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	int32_t cpu = (int32_t)c->s->cpu;

	(void)err;
	put_c(sc, '[');
	if (cpu >= 0) {
		put_u64_z(sc, (uint32_t)cpu, 3);
	} else {
		put_c(sc, '-');
		put_u64_z(sc, -(int64_t)cpu, 2);
	}
	put(sc, "] ", 2);
	return 0;
}

/* The cpumode letters, the record's own, then spaces to six (at least one). */
static int step_misc(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	static const struct { uint16_t m; char c; } modes[] = {
		{ PERF_RECORD_MISC_KERNEL, 'K' }, { PERF_RECORD_MISC_USER, 'U' },
		{ PERF_RECORD_MISC_HYPERVISOR, 'H' }, { PERF_RECORD_MISC_GUEST_KERNEL, 'G' },
		{ PERF_RECORD_MISC_GUEST_USER, 'g' },
	};
	uint16_t misc = c->misc;
	int n = 0;

	(void)err;
	for (size_t i = 0; i < ARRAY_SIZE(modes); i++)
		if ((misc & modes[i].m) == modes[i].m)
			put_c(sc, modes[i].c), n++;
	switch (c->type) {
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		if (misc & PERF_RECORD_MISC_MMAP_DATA)
			put_c(sc, 'M'), n++;
		break;
	case PERF_RECORD_COMM:
		if (misc & PERF_RECORD_MISC_COMM_EXEC)
			put_c(sc, 'E'), n++;
		break;
	case PERF_RECORD_SWITCH:
	case PERF_RECORD_SWITCH_CPU_WIDE:
		if (misc & PERF_RECORD_MISC_SWITCH_OUT) {
			put_c(sc, 'S'), n++;
			if (misc & PERF_RECORD_MISC_SWITCH_OUT_PREEMPT)
				put_c(sc, 'p'), n++;
		}
		break;
	}
	put_pad(sc, n < 6 ? 6 - n : 1);
	return 0;
}

/* tod_scnprintf(): the wall-clock time from the recording's clock data, local time. */
static int step_tod(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	const struct fs_header *h = sc->hdr;
	uint64_t tod;
	char date[64], text[128];
	struct tm tm;
	time_t sec;

	if (!h->clock.enabled) {
		put(sc, "disabled ", 9);
		return 0;
	}
	tod = h->clock.tod_ns;
	if (c->s->time > h->clock.clockid_ns)
		tod += c->s->time - h->clock.clockid_ns;
	else
		tod -= h->clock.clockid_ns - c->s->time;
	sec = (time_t)(tod / 1000000000);
	if (!localtime_r(&sec, &tm)) {
		put(sc, "failed ", 7);
		return 0;
	}
	strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm);
	if (sc->opts.ns)
		snprintf(text, sizeof(text), "%s.%09lu ", date,
			 (unsigned long)(tod - (uint64_t)sec * 1000000000));
	else
		snprintf(text, sizeof(text), "%s.%06lu ", date,
			 (unsigned long)((tod - (uint64_t)sec * 1000000000) / 1000));
	return put_str(sc, text, err);
}

HOT int step_time(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	uint64_t t = c->s->time, sec, nsec;

	(void)err;
	if (sc->opts.reltime) {
		if (!sc->initial_time)
			sc->initial_time = t;
		t -= sc->initial_time;
	} else if (sc->opts.deltatime) {
		uint64_t prev = sc->previous_time;

		sc->previous_time = t;
		t = prev ? t - prev : 0;
	}
	sec = t / 1000000000ULL;
	nsec = t % 1000000000ULL;
	if (sc->opts.ns) {
		put_u64_w(sc, sec, 5);
		put_c(sc, '.');
		put_u64_z(sc, nsec, 9);
	} else {
		char r[48], u[48];
		int n, un;
		const char *d = fmt_u64(r, sec, &n);
		/* %06lu of the microseconds */
		const char *ud = fmt_u64(u, nsec / 1000, &un);

		put_pad(sc, 12 - (n + 1 + (un > 6 ? un : 6)));
		put_short(sc, d, n);
		put_c(sc, '.');
		for (int i = un; i < 6; i++)
			put_c(sc, '0');
		put_short(sc, ud, un);
	}
	put(sc, ": ", 2);
	return 0;
}

HOT int step_period(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	const struct fs_sample *s = c->s;

	(void)err;
	put_u64_w(sc, (s->evsel->attr.sample_type & PERF_SAMPLE_PERIOD) ? s->period
		  : s->evsel->attr.sample_period, 10);
	put_c(sc, ' ');
	return 0;
}

HOT int step_evname(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	if (c->p->evname_len <= 256) {
		put_line(sc, c->p->evname, c->p->evname_len);
		return 0;
	}
	return put_str(sc, c->p->evname, err);
}

/* perf_sample__fprintf_flags() of flags we never have (only instruction traces set them) */
static int step_flags(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)c;
	(void)err;
	put_pad(sc, 24);
	return 0;
}

/* A kernel address in a payload, named as perf's machine__resolve_kernel_addr() names it. */
static const char *kernel_func(void *priv, void *ctx, uint64_t *addr, const char **mod)
{
	struct fs_script *sc = priv;
	const struct hole *h = ctx;
	struct fs_sample s = { .ip = *addr, .pid = h->pid, .tid = h->tid, .cpu = h->cpu,
			       .cpumode = PERF_RECORD_MISC_KERNEL };
	struct fs_frame f;

	fs_session__resolve_ip(sc->ss, &s, &f);
	if (!f.sym || !f.dso)
		return NULL;
	*addr = *addr - (f.dso_addr - f.sym->start);
	*mod = f.dso->name[0] == '[' && strcmp(f.dso->name, "[kernel.kallsyms]") ? f.dso->name : NULL;
	return f.sym->name;
}

/*
 * The payload, as perf's event_format__fprintf() prints it. The tracing
 * data is parsed once, at the first payload (pipe mode delivers it as a
 * record before the samples). The payload waits as a hole in the current
 * output's buffer; the worker renders the buffer's holes in one batch when
 * it is flushed.
 */
static int step_trace(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	const struct fs_sample *s = c->s;
	const struct fs_tp_event *ev;
	struct holes *hs;

	if (!s->raw_data)
		return 0;
	if (!sc->tp) {
		sc->tp = fs_tracepoints__new(sc->hdr->tracing_data, sc->hdr->tracing_data_size, err);
		if (!sc->tp)
			return -1;
		fs_tracepoints__set_resolver(sc->tp, kernel_func, sc);
	}
	ev = fs_tracepoints__event(sc->tp, &s->evsel->attr);
	if (!ev || s->raw_size > FS_TPW_MAX_PAYLOAD || !fs_tracepoints__fits(ev, s->raw_data, s->raw_size)) {
		sc->nr_trace++;
		return 0;
	}
	hs = &sc->cur->holes;
	if ((hs->nr == MAX_HOLES || hs->raw_len + s->raw_size > MAX_HOLE_BYTES) && flush(sc, err))
		return -1;
	if (hs->nr == hs->cap) {
		size_t cap = hs->cap ? 2 * hs->cap : 256;
		struct hole *h = realloc(hs->v, cap * sizeof(*h));

		if (!h)
			return fs_error__set(err, "out of memory");
		hs->v = h;
		hs->cap = cap;
	}
	if (hs->raw_len + s->raw_size > hs->raw_cap) {
		size_t cap = (hs->raw_len + s->raw_size) * 2;
		uint8_t *r = realloc(hs->raw, cap);

		if (!r)
			return fs_error__set(err, "out of memory");
		hs->raw = r;
		hs->raw_cap = cap;
	}
	memcpy(hs->raw + hs->raw_len, s->raw_data, s->raw_size);
	hs->v[hs->nr++] = (struct hole){ sc->len, hs->raw_len, s->raw_size, (int32_t)s->pid,
					 (int32_t)s->tid, (int)s->cpu, ev };
	hs->raw_len += s->raw_size;
	return 0;
}

/* "sym+0xoff (dso)" as __symbol__fprintf_symname_offs() and map__fprintf_dsoname() write it */
static int put_sym_dso(struct fs_script *sc, const struct fs_frame *f, uint64_t fields,
		       struct fs_error *err)
{
	if (fields & FS_F_SYM) {
		put_c(sc, ' ');
		if (f->sym) {
			if (put_str(sc, f->sym->name, err))
				return -1;
			if (fields & FS_F_SYMOFF) {
				uint64_t off = f->dso_addr < f->sym->end ? f->dso_addr - f->sym->start
						: f->dso_addr - f->map_start - f->sym->start;

				put(sc, "+0x", 3);
				put_hex(sc, off, 0);
			}
		} else {
			put(sc, "[unknown]", 9);
		}
	}
	if ((fields & FS_F_DSO) && !f->inlined) {
		put(sc, " (", 2);
		if (f->dso) {
			if (put_str(sc, sc->opts.show_kernel_path ? f->dso->long_name : f->dso->name,
				    err))
				return -1;
		} else {
			put(sc, "[unknown]", 9);
		}
		put_c(sc, ')');
	}
	if (f->inlined)
		put(sc, " (inlined)", 10);
	return 0;
}

/* perf_sample__fprintf_addr(): the address, and for page faults what it is in. */
static int step_addr(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	struct fs_frame f;

	put_hex(sc, c->s->addr, 16);
	if (!c->p->addr_syms)
		return 0;
	fs_session__resolve_addr(sc->ss, c->s, c->s->addr, &f);
	return put_sym_dso(sc, &f, c->p->f, err);
}

static int step_data_src(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	char out[100];
	int n = fs_script__data_src_text(c->s->data_src, out);

	(void)err;
	if (n > sc->data_src_width)
		sc->data_src_width = n;
	put(sc, out, n);
	put_pad(sc, sc->data_src_width - n);
	return 0;
}

static int step_weight(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	put_u64_w(sc, c->s->weight, 16);
	return 0;
}

static int step_ins_lat(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	put_u64_w(sc, c->s->ins_lat, 16);
	return 0;
}

static inline uint64_t line_hash(uint64_t gen, uint64_t ip)
{
	return fs_hash64_2(gen, ip);
}

static inline struct line *line_slot(struct fs_script *sc, uint64_t gen, uint64_t ip)
{
	return &sc->lines[line_hash(gen, ip) >> (64 - sc->line_bits)];
}

/* Keeps the line just written at buf[start..len) for the next frame with this key. */
static void line_store(struct fs_script *sc, struct line *l, uint64_t gen, uint64_t ip, size_t start)
{
	size_t n = sc->len - start;

	if (n > 4096)
		return;
	if (!sc->arena)
		return;
	if (sc->arena_len + n + 64 > sc->arena_alloc) {
		/* forget everything: memory stays bounded */
		memset(sc->lines, 0, sizeof(*sc->lines) << sc->line_bits);
		sc->arena_len = 0;
		return;
	}
	memcpy(sc->arena + sc->arena_len, sc->buf + start, n);
	l->gen = gen;
	l->ip = ip;
	l->off = sc->arena_len;
	l->len = n;
	sc->arena_len += n;
}

static void lines_grow(struct fs_script *sc)
{
	struct line *l;

	sc->line_misses = 0;
	if (sc->line_bits >= LINE_MAX_BITS)
		return;
	l = huge_alloc(sizeof(*l) << (sc->line_bits + 1));
	if (!l)
		return;
	/* the lines already rendered move over: only the table is new */
	for (size_t i = 0; i < (size_t)1 << sc->line_bits; i++) {
		const struct line *o = &sc->lines[i];

		if (o->len)
			l[line_hash(o->gen, o->ip) >> (64 - (sc->line_bits + 1))] = *o;
	}
	huge_free(sc->lines, sizeof(*l) << sc->line_bits);
	sc->lines = l;
	sc->line_bits++;
}

/*
 * The frame fields (sym, symoff, dso) as high bits of a line's key, below
 * FS_FRAME_UNWOUND (an unwound frame's text has its inlined frames).
 */
static uint64_t frame_key(uint64_t fields)
{
	uint64_t k = (fields & FS_F_SYM) ? 1 : 0;

	k |= (fields & FS_F_SYMOFF) ? 2 : 0;
	k |= (fields & FS_F_DSO) ? 4 : 0;
	return k << 60;
}

static int put_frame_line(struct fs_script *sc, const struct fs_frame *f, uint64_t fields,
			  struct fs_error *err)
{
	put_c(sc, '\t');
	put_hex(sc, f->addr, 16);
	if (put_sym_dso(sc, f, fields, err))
		return -1;
	put_c(sc, '\n');
	return 0;
}

/* An unwound frame's lines: the inlined functions at its address first. */
static int put_inlines(struct fs_script *sc, const struct fs_frame *f, uint64_t fields,
		       struct fs_error *err)
{
	uint32_t n;
	const struct fs_symbol *const *syms = fs_session__inlines(sc->ss, f, &n);
	struct fs_frame g = *f;

	if (!n)
		return put_frame_line(sc, f, fields, err);
	for (uint32_t i = 0; i < n; i++) {
		if (sc->len > BUF_SIZE && flush(sc, err))
			return -1;
		g.sym = syms[i];
		g.inlined = syms[i] != f->sym;
		if (put_frame_line(sc, &g, fields, err))
			return -1;
	}
	return 0;
}

/* One callchain line, "\t%16lx sym+0xoff (dso)\n", from the cache when it can. */
HOT int put_frame(struct fs_script *sc, struct fs_frame *f, uint64_t fields, uint64_t fkey,
		     struct fs_error *err)
{
	uint64_t flushes, key = f->maps_gen | fkey;
	struct line *l;
	size_t start;

	if (sc->len > BUF_SIZE && flush(sc, err))
		return -1;
	l = line_slot(sc, key, f->ip);
	if (l->len && l->gen == key && l->ip == f->ip) {
		put_line(sc, sc->arena + l->off, l->len);
		return 0;
	}
	if (++sc->line_misses > (1ull << sc->line_bits)) {
		lines_grow(sc);
		l = line_slot(sc, key, f->ip);
	}
	flushes = sc->flushes;
	start = sc->len;
	fs_session__fill(sc->ss, f);
	if ((f->maps_gen & FS_FRAME_UNWOUND) ? put_inlines(sc, f, fields, err) :
	    put_frame_line(sc, f, fields, err))
		return -1;
	if (sc->flushes == flushes)
		line_store(sc, l, key, f->ip, start);
	return 0;
}

/*
 * The line table and arena are far bigger than the CPU caches and read at
 * random: ask for a whole stack's lines at once so the misses overlap.
 */
static void prefetch_slots(struct fs_script *sc, int n, uint64_t fkey)
{
	for (int i = 0; i < n; i++)
		__builtin_prefetch(line_slot(sc, sc->frames[i].maps_gen | fkey, sc->frames[i].ip));
}

/* The second step, once the slots had the header's formatting time to arrive. */
static void prefetch_lines(struct fs_script *sc, int n, uint64_t fkey)
{
	for (int i = 0; i < n; i++) {
		const struct line *l = line_slot(sc, sc->frames[i].maps_gen | fkey, sc->frames[i].ip);

		if (l->len) {
			__builtin_prefetch(sc->arena + l->off);
			__builtin_prefetch(sc->arena + l->off + 63);
		}
	}
}

/*
 * The inlined functions of the unwound frames whose lines are not cached,
 * asked for at once, innermost first as put_frame() gets them: the
 * addr2line children of several dsos work together, several requests a
 * round trip, rather than one request and one wait per frame.
 */
static void prefetch_inlines(struct fs_script *sc, int n, uint64_t fkey)
{
	for (int i = 0; i < n; i++) {
		struct fs_frame *f = &sc->frames[i];
		uint64_t key = f->maps_gen | fkey;
		const struct line *l;

		if (!(f->maps_gen & FS_FRAME_UNWOUND))
			continue;
		l = line_slot(sc, key, f->ip);
		if (l->len && l->gen == key && l->ip == f->ip)
			continue;
		fs_session__fill(sc->ss, f);
		fs_session__prefetch_inlines(sc->ss, f);
	}
}

/* sample__fprintf_sym(): the callchain a frame a line, or the sample ip on the same line. */
HOT int step_ip(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	uint64_t f = c->p->f;

	if (c->n >= 0) {
		prefetch_lines(sc, c->n, c->p->fkey);
		put_c(sc, '\n');
		for (int i = 0; i < c->n; i++)
			if (put_frame(sc, &sc->frames[i], f, c->p->fkey, err))
				return -1;
		return 0;
	}
	put_c(sc, ' ');
	put_hex(sc, c->s->ip, 16);
	return put_sym_dso(sc, c->ipf, f, err);
}

/* perf_sample__fprintf_regs(): " ABI:%lu " then "%5s:0x%lx " for each register sampled. */
static int put_regs(struct fs_script *sc, uint64_t abi, const uint64_t *regs, uint32_t nr,
		    uint64_t mask)
{
	uint32_t i = 0;

	if (!abi || !regs)
		return 0;
	put(sc, " ABI:", 5);
	put_u64_w(sc, abi, 0);
	put_c(sc, ' ');
	for (int r = 0; r < 64 && i < nr; r++) {
		const char *name;

		if (!(mask & (1ULL << r)))
			continue;
		name = fs_script__reg_name(r);
		put_pad(sc, 5 - (int)strlen(name));
		put(sc, name, strlen(name));
		put(sc, ":0x", 3);
		put_hex(sc, regs[i++], 0);
		put_c(sc, ' ');
	}
	return 0;
}

static int step_iregs(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	const struct fs_sample *s = c->s;

	(void)err;
	return put_regs(sc, s->intr_regs_abi, s->intr_regs, s->nr_intr_regs,
			s->evsel->attr.sample_regs_intr);
}

static int step_uregs(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	const struct fs_sample *s = c->s;

	(void)err;
	return put_regs(sc, s->user_regs_abi, s->user_regs, s->nr_user_regs,
			s->evsel->attr.sample_regs_user);
}

static int step_phys_addr(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	put_hex(sc, c->s->phys_addr, 16);
	return 0;
}

static void put_page_size(struct fs_script *sc, uint64_t size)
{
	char text[32];

	fs_script__page_size_text(size, text);
	put_c(sc, ' ');
	put(sc, text, strlen(text));
}

static int step_data_page_size(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	put_page_size(sc, c->s->data_page_size);
	return 0;
}

static int step_code_page_size(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)err;
	put_page_size(sc, c->s->code_page_size);
	return 0;
}

static int step_newline(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	(void)c;
	(void)err;
	put_c(sc, '\n');
	return 0;
}

/*
 * The lists most runs print (the default one, and lists like
 * comm,pid,tid,time,ip,sym) take no field perf prints between or after
 * these: one function with the steps inlined (an indirect call per field
 * and no inlining cost the default list ~10% against a fixed printer).
 */
#define F_CORE (FS_F_COMM | FS_F_TID | FS_F_PID | FS_F_CPU | FS_F_TIME | FS_F_PERIOD | \
		FS_F_EVNAME | FS_F_IP | FS_F_SYM | FS_F_SYMOFF | FS_F_DSO)

/* Fields that print nothing for what we accept (see prog_compile()). */
#define F_SILENT (FS_F_BPF_OUTPUT | FS_F_CALLINDENT | FS_F_IPC | FS_F_SYNTH | FS_F_BRSTACK | \
		  FS_F_BRSTACKSYM | FS_F_BRSTACKOFF | FS_F_MACHINE_PID | FS_F_VCPU)

static int print_core(struct fs_script *sc, const struct pctx *c, struct fs_error *err)
{
	uint64_t f = c->p->f;

	if ((f & FS_F_COMM) && step_comm(sc, c, err))
		return -1;
	if ((f & FS_F_PID) && (f & FS_F_TID))
		step_pid_tid(sc, c, err);
	else if (f & FS_F_PID)
		step_pid(sc, c, err);
	else if (f & FS_F_TID)
		step_tid(sc, c, err);
	if (f & FS_F_CPU)
		step_cpu(sc, c, err);
	if (f & FS_F_TIME)
		step_time(sc, c, err);
	if (f & FS_F_PERIOD)
		step_period(sc, c, err);
	if ((f & FS_F_EVNAME) && step_evname(sc, c, err))
		return -1;
	if ((f & FS_F_IP) && step_ip(sc, c, err))
		return -1;
	put_c(sc, '\n');
	return 0;
}

/* ---- compiling an evsel's fields into steps ---- */

static bool has_callchain(const struct perf_event_attr *a)
{
	return a->sample_type & PERF_SAMPLE_CALLCHAIN;
}

static bool addr_correlates_sym(const struct perf_event_attr *a)
{
	return a->type == PERF_TYPE_SOFTWARE && (a->config == PERF_COUNT_SW_PAGE_FAULTS ||
						 a->config == PERF_COUNT_SW_PAGE_FAULTS_MIN ||
						 a->config == PERF_COUNT_SW_PAGE_FAULTS_MAJ);
}

/*
 * process_event()'s order: the start (perf_sample__fprintf_start()), period,
 * event, flags, payload, addr, data_src, weight, ins_lat, the stack, the
 * registers, phys_addr, page sizes. Fields whose text is always empty for
 * what we accept (brstack* without branch stacks, callindent, ipc, synth,
 * machine_pid and vcpu on a host recording) get no step.
 */
static void prog_compile(struct fs_script *sc, const struct fs_evsel *e, struct evprog *p)
{
	uint64_t f = sc->set.fields[fs_script__output_type(e->attr.type)];
	int n = 0;

#define STEP(cond, fn) do { if (cond) p->steps[n++] = fn; } while (0)
	p->f = f;
	p->fkey = frame_key(f);
	p->chain = sc->set.use_callchain && has_callchain(&e->attr);
	p->pad_comm = !((f & FS_F_IP) && p->chain);
	p->addr_syms = addr_correlates_sym(&e->attr);
	p->core = !(f & ~(F_CORE | F_SILENT)) && !sc->set.print_flags;
	STEP(f & FS_F_COMM, step_comm);
	STEP((f & FS_F_PID) && (f & FS_F_TID), step_pid_tid);
	STEP((f & FS_F_PID) && !(f & FS_F_TID), step_pid);
	STEP(!(f & FS_F_PID) && (f & FS_F_TID), step_tid);
	STEP(f & FS_F_CPU, step_cpu);
	STEP(f & FS_F_MISC, step_misc);
	STEP(f & FS_F_TOD, step_tod);
	STEP(f & FS_F_TIME, step_time);
	p->nstart = n;
	STEP(f & FS_F_PERIOD, step_period);
	STEP(f & FS_F_EVNAME, step_evname);
	STEP(sc->set.print_flags, step_flags);
	STEP(f & FS_F_TRACE, step_trace);
	STEP(f & FS_F_ADDR, step_addr);
	STEP(f & FS_F_DATA_SRC, step_data_src);
	STEP(f & FS_F_WEIGHT, step_weight);
	STEP(f & FS_F_INS_LAT, step_ins_lat);
	STEP(f & FS_F_IP, step_ip);
	STEP(f & FS_F_IREGS, step_iregs);
	STEP(f & FS_F_UREGS, step_uregs);
	STEP(f & FS_F_PHYS_ADDR, step_phys_addr);
	STEP(f & FS_F_DATA_PAGE_SIZE, step_data_page_size);
	STEP(f & FS_F_CODE_PAGE_SIZE, step_code_page_size);
	STEP(true, step_newline);
#undef STEP
	p->nsteps = n;
}

/* Each event's program, its "%*s: " padded to the longest name, and its output. */
static int progs_init(struct fs_script *sc, struct fs_error *err)
{
	const struct fs_header *hdr = sc->hdr;
	uint32_t n = 0;

	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		int len = strlen(hdr->evsels[i].name ? hdr->evsels[i].name : "");

		if (len > sc->name_width)
			sc->name_width = len;
		if (hdr->evsels[i].idx + 1 > n)
			n = hdr->evsels[i].idx + 1;
	}
	sc->progs = calloc(n + 1, sizeof(*sc->progs));
	if (!sc->progs)
		return fs_error__set(err, "out of memory");
	sc->nr_progs = n;
	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		const struct fs_evsel *e = &hdr->evsels[i];
		struct evprog *p = &sc->progs[e->idx];
		const char *name = e->name ? e->name : "[unknown]";

		prog_compile(sc, e, p);
		p->name = name;
		/* 16 spare bytes for put_line()'s over-read */
		p->evname = calloc(1, sc->name_width + strlen(name) + 3 + 16);
		if (!p->evname)
			return fs_error__set(err, "out of memory");
		p->evname_len = sprintf(p->evname, "%*s: ", sc->name_width, name);
		p->sink = sc->sinks;
		if (sc->opts.per_event_dump && !(p->sink = dump_sink(sc, name, err)))
			return -1;
	}
	return 0;
}

static int lists_init(struct fs_script *sc, struct fs_error *err)
{
	const struct fs_script_opts *o = &sc->opts;

	if ((o->pids && parse_intlist(o->pids, &sc->pids)) ||
	    (o->tids && parse_intlist(o->tids, &sc->tids)))
		return fs_error__set(err, "invalid --pid or --tid list");
	if ((o->comms && strlist_parse(&sc->comms, o->comms)) ||
	    (o->dsos && strlist_parse(&sc->dsos, o->dsos)) ||
	    (o->symbols && (strlist_parse(&sc->syms, o->symbols) || split_addrs(sc))))
		return fs_error__set(err, "problems parsing the --comm, --dsos or -S list");
	sc->ip_filters = o->dsos || o->symbols;
	if (o->cpus && parse_cpus(sc, o->cpus, err))
		return -1;
	return 0;
}

/* perf checks -C against the file (perf_session__cpu_bitmap()) before the fields. */
static int check_cpus(const struct fs_header *hdr, const char *cpus, struct fs_error *err)
{
	struct fs_script *sc = calloc(1, sizeof(*sc));
	int ret;

	if (!sc)
		return fs_error__set(err, "out of memory");
	sc->hdr = hdr;
	ret = parse_cpus(sc, cpus, err) ? FS_SCRIPT_PERF_REFUSES : 0;
	free(sc->cpu_bitmap);
	free(sc);
	return ret;
}

int fs_script__check(const struct fs_header *hdr, const struct fs_script_opts *opts,
		     int *bad_attr, struct fs_error *err)
{
	struct fs_script_settled set;
	int ret;

	*bad_attr = -1;
	if (opts->cpus) {
		ret = check_cpus(hdr, opts->cpus, err);
		if (ret)
			return ret;
	}
	ret = fs_script__settle(hdr, opts, &set, err);

	*bad_attr = set.bad_attr;
	return ret;
}

struct fs_script *fs_script__new(const struct fs_header *hdr, struct fs_session *ss,
				 const struct fs_script_opts *opts, int fd, struct fs_error *err)
{
	struct fs_script *sc = calloc(1, sizeof(*sc));

	if (!sc) {
		fs_error__set(err, "out of memory");
		return NULL;
	}
	sc->hdr = hdr;
	sc->ss = ss;
	sc->opts = *opts;
	sc->max_stack = opts->max_stack < 0 ? FS_MAX_STACK :
			opts->max_stack > MAX_STACK_CAP ? MAX_STACK_CAP : opts->max_stack;
	sc->cur = sink_new(sc, fd);
	/* dwarf samples: max_stack kernel frames and max_stack unwound ones */
	sc->frames = malloc((2 * sc->max_stack + 1) * sizeof(*sc->frames));
	sc->line_bits = LINE_MIN_BITS;
	sc->lines = huge_alloc(sizeof(*sc->lines) << sc->line_bits);
	sc->arena = huge_alloc(ARENA_MAX);
	sc->arena_alloc = sc->arena ? ARENA_MAX : 0;
	if (!sc->cur || !sc->frames || !sc->lines) {
		fs_error__set(err, "out of memory");
		goto fail;
	}
	sc->fd = fd;
	sc->buf = sc->cur->buf;
	if (fs_script__settle(hdr, opts, &sc->set, err))
		goto fail;
	if (lists_init(sc, err) || progs_init(sc, err))
		goto fail;
	return sc;
fail:
	fs_script__delete(sc);
	return NULL;
}

/* ---- samples ---- */

static bool thread_filtered(const struct fs_script *sc, const struct fs_thread *th)
{
	if (sc->comms.v && !strlist_has(&sc->comms, th->comm))
		return true;
	if (sc->pids.v && !intlist_has(&sc->pids, th->pid))
		return true;
	if (sc->tids.v && !intlist_has(&sc->tids, th->tid))
		return true;
	return false;
}

/* perf's dso short name: the basename, "[JIT] tid N" for a perf map. */
static const char *dso_short_name(const char *name, char *buf, size_t size)
{
	const char *base = strrchr(name, '/');
	int tid;

	if (sscanf(name, "/tmp/perf-%d.map", &tid) == 1) {
		snprintf(buf, size, "[JIT] tid %d", tid);
		return buf;
	}
	return base ? base + 1 : name;
}

/* machine__resolve()'s --dsos and -S filters, on the sample ip. */
static bool ip_filtered(const struct fs_script *sc, const struct fs_sample *s,
			const struct fs_frame *f)
{
	if (sc->opts.dsos) {
		char buf[64];

		if (!f->dso)
			return true;
		if (!strlist_has(&sc->dsos, dso_short_name(f->dso->name, buf, sizeof(buf))) &&
		    !strlist_has(&sc->dsos, f->dso->long_name))
			return true;
	}
	if (sc->opts.symbols) {
		bool hit = f->sym && strlist_has(&sc->syms, f->sym->name);

		for (size_t i = 0; !hit && f->dso && i < sc->nr_addrs; i++)
			hit = sc->addrs[i] == s->ip;
		if (!hit)
			return true;
	}
	return false;
}

int fs_script__sample(struct fs_script *sc, const struct fs_event *ev, struct fs_error *err)
{
	const struct fs_sample *s = &ev->sample;
	struct fs_frame ipf;
	struct evprog *p;
	struct pctx c;
	bool chain;

	if (!s->evsel || s->evsel->idx >= sc->nr_progs)
		return 0;
	p = &sc->progs[s->evsel->idx];
	if (!fs_timerange__contains(sc->opts.time, s->time) || cpu_filtered(sc, s->cpu))
		return 0;
	/* thread__find_map() filters guest samples out unless perf is told of guests */
	if (s->cpumode == PERF_RECORD_MISC_GUEST_KERNEL || s->cpumode == PERF_RECORD_MISC_GUEST_USER)
		return 0;
	/*
	 * machine__resolve(): the thread and the sample ip's map and symbol,
	 * which only one-line samples print (so callchain samples skip the
	 * lookup unless a filter needs it).
	 */
	chain = p->chain && s->callchain;
	c.ipf = NULL;
	if (chain && !sc->ip_filters && sc->resolved) {
		c.th = fs_session__thread(sc->ss, s->pid, s->tid);
	} else {
		/* the first sample's lookup decides perf's first kernel one (fs_session__resolve_ip()) */
		c.th = fs_session__resolve_ip(sc->ss, s, &ipf);
		c.ipf = &ipf;
		sc->resolved = true;
	}
	if (c.th && thread_filtered(sc, c.th))
		return 0;
	if (sc->ip_filters && ip_filtered(sc, s, &ipf))
		return 0;
	if (!p->f)
		return 0;
	if (p->sink != sc->cur)
		sink_use(sc, p->sink);
	p->samples++;
	if (sc->len > BUF_SIZE && flush(sc, err))
		return -1;
	c.s = s;
	c.p = p;
	c.type = PERF_RECORD_SAMPLE;
	c.misc = ev->event->header.misc;
	c.n = -1;
	/* the callchain first: its line slots load while the header is formatted */
	if (chain && (p->f & FS_F_IP)) {
		c.n = fs_session__chain(sc->ss, s, sc->frames, sc->max_stack);
		if (c.n < 0) {	/* perf's unwind failed: the sample prints without callchain */
			c.n = -1;
			if (!c.ipf) {
				fs_session__resolve_ip(sc->ss, s, &ipf);
				c.ipf = &ipf;
			}
		} else {
			prefetch_slots(sc, c.n, p->fkey);
			prefetch_inlines(sc, c.n, p->fkey);
		}
	}
	if (p->core)
		return print_core(sc, &c, err);
	for (int i = 0; i < p->nsteps; i++)
		if (p->steps[i](sc, &c, err))
			return -1;
	return 0;
}

/* ---- other records ---- */

static bool shown(const struct fs_script_opts *o, uint32_t type)
{
	switch (type) {
	case PERF_RECORD_COMM:
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		return o->show_task;
	case PERF_RECORD_MMAP:
	case PERF_RECORD_MMAP2:
		return o->show_mmap;
	case PERF_RECORD_SWITCH:
	case PERF_RECORD_SWITCH_CPU_WIDE:
		return o->show_switch;
	case PERF_RECORD_LOST:
		return o->show_lost;
	default:
		return false;
	}
}

/*
 * print_event_with_time(): the fields perf_sample__fprintf_start() gives
 * the record (those of the event its sample id names), then its text.
 */
static int print_record(struct fs_script *sc, const struct fs_event *ev, struct fs_error *err)
{
	const union perf_event *e = ev->event;
	struct fs_sample s = ev->sample;
	const struct fs_evsel *evsel = ev->has_sample ? s.evsel :
				       sc->hdr->nr_evsels ? &sc->hdr->evsels[0] : NULL;
	uint32_t type = e->header.type;
	int32_t pid = -1, tid = -1;
	uint64_t ts = 0;
	struct pctx c;
	int len;

	if (!sc->text && !(sc->text = malloc(TEXT_SIZE)))
		return fs_error__set(err, "out of memory");
	len = fs_script__record_text(e, sc->text, TEXT_SIZE);
	if (len < 0)
		return 0;
	switch (type) {
	case PERF_RECORD_COMM:
		pid = e->comm.pid, tid = e->comm.tid;
		break;
	case PERF_RECORD_FORK:
	case PERF_RECORD_EXIT:
		pid = e->fork.pid, tid = e->fork.tid, ts = e->fork.time;
		break;
	case PERF_RECORD_MMAP:
		pid = e->mmap.pid, tid = e->mmap.tid;
		break;
	case PERF_RECORD_MMAP2:
		pid = e->mmap2.pid, tid = e->mmap2.tid;
		break;
	default:
		pid = ev->has_sample ? (int32_t)s.pid : -1;
		tid = ev->has_sample ? (int32_t)s.tid : -1;
		break;
	}
	if (!ev->has_sample) {
		memset(&s, 0, sizeof(s));
		s.cpu = s.pid = s.tid = (uint32_t)-1;
		s.time = (uint64_t)-1;
	}
	if (evsel && !evsel->attr.sample_id_all) {
		s.cpu = 0;
		s.time = ts;
		s.pid = pid;
		s.tid = tid;
	}
	if (cpu_filtered(sc, s.cpu))
		return 0;
	sink_use(sc, sc->sinks);
	if (sc->len > BUF_SIZE && flush(sc, err))
		return -1;
	if (evsel && evsel->idx < sc->nr_progs) {
		c.s = &s;
		c.p = &sc->progs[evsel->idx];
		c.th = tid != -1 ? fs_session__thread(sc->ss, pid, tid) : NULL;
		c.type = type;
		c.misc = e->header.misc;
		for (int i = 0; i < c.p->nstart; i++)
			if (c.p->steps[i](sc, &c, err))
				return -1;
	}
	return fs_script__write(sc, sc->text, len, err);
}

int fs_script__event(struct fs_script *sc, const struct fs_event *ev, struct fs_error *err)
{
	uint32_t type = ev->event->header.type;
	bool show = shown(&sc->opts, type);

	/* perf prints an exit before forgetting the thread, the others once processed */
	if (show && type == PERF_RECORD_EXIT && print_record(sc, ev, err))
		return -1;
	if (fs_session__process(sc->ss, ev, err))
		return -1;
	if (show && type != PERF_RECORD_EXIT && print_record(sc, ev, err))
		return -1;
	return 0;
}

/* ---- the end ---- */

int fs_script__write(struct fs_script *sc, const char *s, size_t len, struct fs_error *err)
{
	sink_use(sc, sc->sinks);
	while (len) {
		size_t n = len < BUF_SIZE ? len : BUF_SIZE;

		if (sc->len + n > BUF_SIZE && flush(sc, err))
			return -1;
		put(sc, s, n);
		s += n;
		len -= n;
	}
	return 0;
}

/*
 * perf reports the size of a dump file before closing it: what stdio had
 * written by then, whole buffers of the file's block size, the last one
 * (partly or wholly filled) still held.
 */
static double dump_size_mb(const struct stat *st)
{
	uint64_t blk = st->st_blksize > 0 ? (uint64_t)st->st_blksize : 4096;
	uint64_t size = st->st_size ? ((uint64_t)st->st_size - 1) / blk * blk : 0;

	return size / 1024.0 / 1024.0;
}

static int finish_dumps(struct fs_script *sc, struct fs_error *err)
{
	char line[8192];

	for (struct sink *k = sc->sinks->next; k; k = k->next) {
		if (!k->tmp)	/* put in place already (a finish before an error) */
			continue;
		if (fsync(k->fd) || rename(k->tmp, k->path))
			return fs_error__set(err, "%s: %s", k->path, strerror(errno));
		free(k->tmp);
		k->tmp = NULL;
	}
	for (uint32_t i = 0; i < sc->hdr->nr_evsels; i++) {
		const struct evprog *p = &sc->progs[sc->hdr->evsels[i].idx];
		struct stat st;
		int n;

		if (fstat(p->sink->fd, &st))
			return fs_error__set(err, "%s: %s", p->sink->path, strerror(errno));
		n = snprintf(line, sizeof(line), "[ perf script: Wrote %.3f MB %s (%llu samples) ]\n",
			     dump_size_mb(&st), p->sink->path, (unsigned long long)p->samples);
		if (fs_script__write(sc, line, n < (int)sizeof(line) ? (size_t)n : sizeof(line) - 1,
				     err))
			return -1;
	}
	return 0;
}

int fs_script__finish(struct fs_script *sc, struct fs_error *err)
{
	for (struct sink *k = sc->sinks->next; k; k = k->next) {
		sink_use(sc, k);
		if (flush(sc, err))
			return -1;
	}
	/* the last dump's payloads are in its file before its size is said */
	if (collect(sc, err))
		return -1;
	if (sc->opts.per_event_dump && finish_dumps(sc, err))
		return -1;
	sink_use(sc, sc->sinks);
	return flush(sc, err) || collect(sc, err) ? -1 : 0;
}

uint64_t fs_script__nr_trace_samples(const struct fs_script *sc)
{
	return sc->nr_trace;
}

int fs_script__write_errno(const struct fs_script *sc)
{
	return sc->write_errno;
}

uint64_t fs_script__nr_trace_markers(const struct fs_script *sc, const char **why)
{
	*why = sc->tp ? fs_tracepoints__stats(sc->tp)->last_failure : "";
	return sc->nr_trace_markers;
}

static void holes_free(struct holes *hs)
{
	free(hs->v);
	free(hs->raw);
	free(hs->req);
}

void fs_script__delete(struct fs_script *sc)
{
	if (!sc)
		return;
	fs_tracepoints__delete(sc->tp);	/* first: it may still render into pend */
	for (struct sink *k = sc->sinks, *next; k; k = next) {
		next = k->next;
		if (k->tmp) {	/* a run that failed leaves no dump file behind */
			unlink(k->tmp);
			free(k->tmp);
		}
		if (k->path)
			close(k->fd);
		free(k->path);
		free(k->buf);
		holes_free(&k->holes);
		free(k);
	}
	strlist_free(&sc->comms);
	strlist_free(&sc->dsos);
	strlist_free(&sc->syms);
	free(sc->addrs);
	free(sc->pids.v);
	free(sc->tids.v);
	free(sc->cpu_bitmap);
	for (uint32_t i = 0; i < sc->nr_progs; i++)
		free(sc->progs[i].evname);
	free(sc->progs);
	free(sc->text);
	free(sc->frames);
	huge_free(sc->lines, sizeof(*sc->lines) << sc->line_bits);
	huge_free(sc->arena, sc->arena_alloc);
	free(sc->pend.buf);
	holes_free(&sc->pend.holes);
	free(sc->out);
	free(sc);
}
