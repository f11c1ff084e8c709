// SPDX-License-Identifier: GPL-2.0-only
/*
 * perf script's text, byte for byte (perf 6.1: builtin-script.c
 * process_event(), perf_sample__fprintf_start(), evsel_fprintf.c). Numbers
 * are formatted by hand into one large buffer: printf per field costs more
 * than all the rest of the work.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "list.h"
#include "script.h"
#include "tracepoint.h"
#include "util.h"

#define BUF_SIZE	(256u << 10)	/* stays in L2: a bigger one only adds cache misses */
#define BUF_SLACK	(64u << 10)	/* room for one header line or one frame */
#define MAX_CPUS	4096

enum {
	F_COMM = 1 << 0, F_TID = 1 << 1, F_PID = 1 << 2, F_CPU = 1 << 3, F_TIME = 1 << 4,
	F_EVNAME = 1 << 5, F_IP = 1 << 6, F_SYM = 1 << 7, F_SYMOFF = 1 << 8, F_DSO = 1 << 9,
	F_PERIOD = 1 << 10, F_TRACE = 1 << 11,
};

#define F_DEFAULT (F_COMM | F_TID | F_CPU | F_TIME | F_EVNAME | F_IP | F_SYM | F_SYMOFF | F_DSO | F_PERIOD)
#define OUT_OTHER (PERF_TYPE_MAX + 1)	/* perf's OUTPUT_TYPE_OTHER (SYNTH is MAX) */

/* Rendered callchain lines by (maps_gen, ip): the text of a frame never changes. */
struct line {
	uint64_t gen, ip;
	uint32_t off, len;		/* in the arena; len 0: empty */
};

#define LINE_MIN_BITS	14
#define LINE_MAX_BITS	20
#define ARENA_MAX	(32u << 20)
#define MAX_HOLES	8192		/* payloads waiting for the tracepoint worker */
#define MAX_HOLE_BYTES	(4u << 20)

/* A payload's place in the buffer, rendered (in a batch) when the buffer is flushed. */
struct hole {
	size_t at;			/* offset in buf */
	size_t raw_off;			/* in tp_raw */
	uint32_t raw_size;
	int32_t pid, tid;		/* for kernel_func() */
	int cpu;
	const struct fs_tp_event *ev;
};

struct intlist {
	int64_t *v;			/* NULL: no filter */
	size_t nr;
};

struct fs_script {
	const struct fs_header *hdr;
	struct fs_session *ss;
	struct fs_script_opts opts;
	int fd;
	unsigned int fields[OUT_OTHER + 1];
	bool use_callchain;
	int name_width;
	uint64_t initial_time;
	struct intlist pids, tids;
	char **comms;
	size_t nr_comms;
	uint8_t *cpu_bitmap;		/* NULL: no --cpu */
	uint64_t nr_trace;		/* tracepoint samples whose payload could not be formatted */
	uint64_t nr_trace_markers;	/* payloads libtraceevent crashed or hung on */
	int write_errno;		/* of the write that failed */
	struct fs_tracepoints *tp;	/* parsed at the first tracepoint sample (pipe mode: after its record) */
	struct side {			/* a buffer and the payloads it waits for */
		char *buf;
		size_t len;
		struct hole *holes;
		size_t nr_holes, cap_holes;
		uint8_t *raw;		/* the payloads' bytes */
		size_t raw_len, raw_cap;
		struct fs_tp_request *req;
		size_t cap_req;
	} cur, pend;			/* cur: being filled (its buf is sc->buf); pend: rendering */
	bool pending;
	char *out;			/* pend.buf with the payloads filled in */
	size_t out_len, out_cap, out_from;
	char **evnames;			/* "%*s: " per evsel index */
	uint8_t *evname_len;
	uint32_t nr_evnames;
	struct fs_frame *frames;
	char *buf;
	size_t len;
	uint64_t flushes;
	struct line *lines;
	unsigned int line_bits;
	uint64_t line_misses;
	char *arena;
	size_t arena_len, arena_alloc;
};

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

static int output_type(uint32_t type)
{
	return type < PERF_TYPE_MAX ? (int)type : OUT_OTHER;
}

/* ---- the buffer ---- */

static int write_all(struct fs_script *sc, const char *p, size_t len, struct fs_error *err)
{
	size_t off = 0;

	while (off < len) {
		ssize_t n = write(sc->fd, p + off, len - off);

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
	const struct hole *h = &sc->pend.holes[i];

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

/* The pending buffer's payloads, collected from the worker, and the buffer written around them. */
static int collect(struct fs_script *sc, struct fs_error *err)
{
	struct side *p = &sc->pend;

	if (!sc->pending)
		return 0;
	sc->pending = false;
	sc->out_len = sc->out_from = 0;
	if (fs_tracepoints__collect(sc->tp, fill_hole, sc, err))
		return -1;
	if (out_put(sc, p->buf + sc->out_from, p->len - sc->out_from))
		return fs_error__set(err, "out of memory");
	p->nr_holes = p->raw_len = 0;
	return write_all(sc, sc->out, sc->out_len, err);
}

/*
 * A buffer with payloads goes to the worker and waits while the next one
 * fills (the two processes work at once); it is written at the next flush.
 */
static int submit(struct fs_script *sc, struct fs_error *err)
{
	struct side *c = &sc->cur, t;

	if (c->nr_holes > c->cap_req) {
		struct fs_tp_request *r = realloc(c->req, c->nr_holes * sizeof(*r));

		if (!r)
			return fs_error__set(err, "out of memory");
		c->req = r;
		c->cap_req = c->nr_holes;
	}
	for (size_t i = 0; i < c->nr_holes; i++) {
		const struct hole *h = &c->holes[i];

		c->req[i] = (struct fs_tp_request){ h->ev, h->cpu, c->raw + h->raw_off, h->raw_size,
						    (void *)h };
	}
	if (!sc->pend.buf && !(sc->pend.buf = malloc(BUF_SIZE + BUF_SLACK)))
		return fs_error__set(err, "out of memory");
	if (fs_tracepoints__submit(sc->tp, c->req, c->nr_holes, err))
		return -1;
	c->buf = sc->buf;
	c->len = sc->len;
	t = sc->pend;
	sc->pend = *c;
	*c = t;
	c->nr_holes = c->raw_len = 0;
	sc->buf = c->buf;
	sc->pending = true;
	return 0;
}

static int flush(struct fs_script *sc, struct fs_error *err)
{
	if (collect(sc, err))
		return -1;
	if (sc->cur.nr_holes ? submit(sc, err) : write_all(sc, sc->buf, sc->len, err))
		return -1;
	sc->len = 0;
	sc->flushes++;
	return 0;
}

/* Everything out, in order: the buffer and the one still waiting for its payloads. */
static int flush_all(struct fs_script *sc, struct fs_error *err)
{
	return flush(sc, err) || collect(sc, err) ? -1 : 0;
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
			return collect(sc, err) || write_all(sc, s, n, err) ? -1 : 0;
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

/* --comm: a list of no names ("," or "") filters nothing. */
static int parse_comms(struct fs_script *sc, const char *s)
{
	if (strspn(s, ",") == strlen(s))
		return 0;
	return fs_list__strs(s, &sc->comms, &sc->nr_comms);
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

/* ---- fields, as perf_session__check_output_opt() settles them ---- */

static bool is_dummy(const struct perf_event_attr *a)
{
	return a->type == PERF_TYPE_SOFTWARE && a->config == PERF_COUNT_SW_DUMMY;
}

static int check_fields(struct fs_script *sc, struct fs_error *err)
{
	const struct fs_header *hdr = sc->hdr;

	for (int t = 0; t <= OUT_OTHER; t++) {
		const struct perf_event_attr *a = NULL;
		unsigned int *f = &sc->fields[t];

		*f = t == PERF_TYPE_TRACEPOINT ? (F_COMM | F_TID | F_CPU | F_TIME | F_EVNAME | F_TRACE)
					       : F_DEFAULT;
		if (sc->opts.show_pid)
			*f |= F_PID;
		for (uint32_t i = 0; i < hdr->nr_evsels && !a; i++)
			if (output_type(hdr->evsels[i].attr.type) == t)
				a = &hdr->evsels[i].attr;
		if (!a || is_dummy(a))
			continue;
		if (t == PERF_TYPE_RAW && (a->sample_type & (PERF_SAMPLE_ADDR | PERF_SAMPLE_DATA_SRC |
				PERF_SAMPLE_WEIGHT | PERF_SAMPLE_WEIGHT_STRUCT | PERF_SAMPLE_PHYS_ADDR |
				PERF_SAMPLE_DATA_PAGE_SIZE | PERF_SAMPLE_CODE_PAGE_SIZE)))
			return fs_error__set(err, "raw events with address, weight or data-source samples are not supported yet");
		if (a->sample_type & (PERF_SAMPLE_BRANCH_STACK | PERF_SAMPLE_REGS_INTR))
			return fs_error__set(err, "branch stacks and register samples are not supported yet");
		if ((*f & F_IP) && !(a->sample_type & PERF_SAMPLE_IP))
			*f &= ~F_IP;
		if ((*f & (F_PID | F_TID)) && !(a->sample_type & PERF_SAMPLE_TID))
			*f &= ~(F_PID | F_TID);
		if ((*f & F_TIME) && !(a->sample_type & PERF_SAMPLE_TIME))
			*f &= ~F_TIME;
		if ((*f & F_CPU) && !(a->sample_type & PERF_SAMPLE_CPU))
			*f &= ~F_CPU;
		if ((*f & (F_SYM | F_DSO)) && !(a->sample_type & (PERF_SAMPLE_IP | PERF_SAMPLE_ADDR)))
			return fs_error__set(err, "Display of symbols requested but neither sample IP nor sample address available.");
	}
	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		uint64_t st = hdr->evsels[i].attr.sample_type;

		if (st & PERF_SAMPLE_BRANCH_STACK)
			return fs_error__set(err, "branch stacks are not supported yet");
	}
	sc->use_callchain = hdr->pipe_mode;
	for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
		int len = strlen(hdr->evsels[i].name ? hdr->evsels[i].name : "");

		if (hdr->evsels[i].attr.sample_type & PERF_SAMPLE_CALLCHAIN)
			sc->use_callchain = true;
		if (len > sc->name_width)
			sc->name_width = len;
	}
	/*
	 * Tracepoints print ip and symbols when callchains are present, unless
	 * the user set fields: -F +pid sets them for every type (perf's
	 * output[].user_set), so tracepoints then print no callchain.
	 */
	if (sc->use_callchain && !sc->opts.show_pid) {
		for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
			const struct perf_event_attr *a = &hdr->evsels[i].attr;

			if (a->type == PERF_TYPE_TRACEPOINT && (a->sample_type & PERF_SAMPLE_CALLCHAIN) &&
			    !hdr->pipe_mode) {
				sc->fields[PERF_TYPE_TRACEPOINT] |= F_IP | F_SYM | F_SYMOFF | F_DSO;
				break;
			}
		}
	}
	/*
	 * Pipe mode: perf's process_attr() adds only ip and sym, at the first
	 * tracepoint attr, when the attrs so far have callchains.
	 */
	if (hdr->pipe_mode) {
		uint64_t st = 0;

		for (uint32_t i = 0; i < hdr->nr_evsels; i++) {
			const struct perf_event_attr *a = &hdr->evsels[i].attr;

			st |= a->sample_type;
			if (a->type != PERF_TYPE_TRACEPOINT)
				continue;
			if (st & PERF_SAMPLE_CALLCHAIN)
				sc->fields[PERF_TYPE_TRACEPOINT] |= F_IP | F_SYM;
			break;
		}
	}
	return 0;
}

/* Each event's "%*s: " once, padded to the longest name (names up to 200 bytes). */
static int evnames_init(struct fs_script *sc)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < sc->hdr->nr_evsels; i++)
		if (sc->hdr->evsels[i].idx + 1 > n)
			n = sc->hdr->evsels[i].idx + 1;
	sc->evnames = calloc(n + 1, sizeof(*sc->evnames));
	sc->evname_len = calloc(n + 1, 1);
	if (!sc->evnames || !sc->evname_len)
		return -1;
	sc->nr_evnames = n;
	for (uint32_t i = 0; i < sc->hdr->nr_evsels; i++) {
		const struct fs_evsel *e = &sc->hdr->evsels[i];
		const char *name = e->name ? e->name : "[unknown]";
		char *t;
		int len;

		if (sc->name_width > 200)
			continue;
		/* 16 spare bytes for put_line()'s over-read */
		t = calloc(1, sc->name_width + strlen(name) + 3 + 16);
		if (!t)
			return -1;
		len = sprintf(t, "%*s: ", sc->name_width, name);
		if (len > 250) {
			free(t);
			continue;
		}
		sc->evnames[e->idx] = t;
		sc->evname_len[e->idx] = len;
	}
	return 0;
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
	if (sc->opts.max_stack <= 0)
		sc->opts.max_stack = FS_MAX_STACK;
	sc->fd = fd;
	sc->buf = malloc(BUF_SIZE + BUF_SLACK);
	sc->frames = malloc((2 * sc->opts.max_stack + 1) * sizeof(*sc->frames));
	sc->line_bits = LINE_MIN_BITS;
	sc->lines = huge_alloc(sizeof(*sc->lines) << sc->line_bits);
	sc->arena = huge_alloc(ARENA_MAX);
	sc->arena_alloc = sc->arena ? ARENA_MAX : 0;
	if (!sc->buf || !sc->frames || !sc->lines) {
		fs_error__set(err, "out of memory");
		goto fail;
	}
	if (check_fields(sc, err))
		goto fail;
	if ((opts->pids && parse_intlist(opts->pids, &sc->pids)) ||
	    (opts->tids && parse_intlist(opts->tids, &sc->tids))) {
		fs_error__set(err, "invalid --pid or --tid list");
		goto fail;
	}
	if (opts->comms && parse_comms(sc, opts->comms)) {
		fs_error__set(err, "out of memory");
		goto fail;
	}
	if (opts->cpus && parse_cpus(sc, opts->cpus, err))
		goto fail;
	if (evnames_init(sc)) {
		fs_error__set(err, "out of memory");
		goto fail;
	}
	return sc;
fail:
	fs_script__delete(sc);
	return NULL;
}

/* ---- printing ---- */

static bool thread_filtered(const struct fs_script *sc, const struct fs_thread *th)
{
	if (sc->comms) {
		size_t i;

		for (i = 0; i < sc->nr_comms; i++)
			if (!strcmp(sc->comms[i], th->comm))
				break;
		if (i == sc->nr_comms)
			return true;
	}
	if (sc->pids.v && !intlist_has(&sc->pids, th->pid))
		return true;
	if (sc->tids.v && !intlist_has(&sc->tids, th->tid))
		return true;
	return false;
}

static void put_time(struct fs_script *sc, uint64_t t)
{
	uint64_t sec = t / 1000000000ULL, nsec = t % 1000000000ULL;

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
}

/* "sym+0xoff (dso)" as __symbol__fprintf_symname_offs() and map__fprintf_dsoname() write it */
static int put_sym_dso(struct fs_script *sc, const struct fs_frame *f, unsigned int fields,
		       struct fs_error *err)
{
	if (fields & F_SYM) {
		put_c(sc, ' ');
		if (f->sym) {
			if (put_str(sc, f->sym->name, err))
				return -1;
			if (fields & F_SYMOFF) {
				uint64_t off = f->dso_addr < f->sym->end ? f->dso_addr - f->sym->start
						: f->dso_addr - f->map_start - f->sym->start;

				put(sc, "+0x", 3);
				put_hex(sc, off, 0);
			}
		} else {
			put(sc, "[unknown]", 9);
		}
	}
	if ((fields & F_DSO) && !f->inlined) {
		put(sc, " (", 2);
		if (f->dso) {
			if (put_str(sc, f->dso->name, err))
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

#define F_FRAME (F_IP | F_SYM | F_SYMOFF | F_DSO)

static int put_frame_line(struct fs_script *sc, const struct fs_frame *f, unsigned int fields,
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
static int put_inlines(struct fs_script *sc, const struct fs_frame *f, unsigned int fields,
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
static int put_frame(struct fs_script *sc, struct fs_frame *f, unsigned int fields, struct fs_error *err)
{
	struct line *l = NULL;
	uint64_t flushes = sc->flushes;
	size_t start;

	if (sc->len > BUF_SIZE && flush(sc, err))
		return -1;
	if ((fields & F_FRAME) == F_FRAME) {
		l = line_slot(sc, f->maps_gen, f->ip);
		if (l->len && l->gen == f->maps_gen && l->ip == f->ip) {
			put_line(sc, sc->arena + l->off, l->len);
			return 0;
		}
		if (++sc->line_misses > (1ull << sc->line_bits)) {
			lines_grow(sc);
			l = line_slot(sc, f->maps_gen, f->ip);
		}
		flushes = sc->flushes;
	}
	start = sc->len;
	fs_session__fill(sc->ss, f);
	if ((f->maps_gen & FS_FRAME_UNWOUND) ? put_inlines(sc, f, fields, err) :
	    put_frame_line(sc, f, fields, err))
		return -1;
	if (l && sc->flushes == flushes)
		line_store(sc, l, f->maps_gen, f->ip, start);
	return 0;
}

/*
 * The line table and arena are far bigger than the CPU caches and read at
 * random: ask for a whole stack's lines at once so the misses overlap.
 */
static void prefetch_slots(struct fs_script *sc, int n, unsigned int fields)
{
	if ((fields & F_FRAME) != F_FRAME)
		return;
	for (int i = 0; i < n; i++)
		__builtin_prefetch(line_slot(sc, sc->frames[i].maps_gen, sc->frames[i].ip));
}

/* The second step, once the slots had the header's formatting time to arrive. */
static void prefetch_lines(struct fs_script *sc, int n, unsigned int fields)
{
	if ((fields & F_FRAME) != F_FRAME)
		return;
	for (int i = 0; i < n; i++) {
		const struct line *l = line_slot(sc, sc->frames[i].maps_gen, sc->frames[i].ip);

		if (l->len) {
			__builtin_prefetch(sc->arena + l->off);
			__builtin_prefetch(sc->arena + l->off + 63);
		}
	}
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
 * record before the samples). Payloads wait in their place in the buffer
 * and are rendered in one batch by the tracepoint worker when it is flushed.
 */
static int put_trace(struct fs_script *sc, const struct fs_sample *s, struct fs_error *err)
{
	const struct fs_tp_event *ev;
	struct side *c;
	struct hole *h;

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
	c = &sc->cur;
	if ((c->nr_holes == MAX_HOLES || c->raw_len + s->raw_size > MAX_HOLE_BYTES) && flush(sc, err))
		return -1;
	if (c->nr_holes == c->cap_holes) {
		size_t cap = c->cap_holes ? 2 * c->cap_holes : 256;

		h = realloc(c->holes, cap * sizeof(*h));
		if (!h)
			return fs_error__set(err, "out of memory");
		c->holes = h;
		c->cap_holes = cap;
	}
	if (c->raw_len + s->raw_size > c->raw_cap) {
		size_t cap = (c->raw_len + s->raw_size) * 2;
		uint8_t *r = realloc(c->raw, cap);

		if (!r)
			return fs_error__set(err, "out of memory");
		c->raw = r;
		c->raw_cap = cap;
	}
	memcpy(c->raw + c->raw_len, s->raw_data, s->raw_size);
	c->holes[c->nr_holes++] = (struct hole){ sc->len, c->raw_len, s->raw_size,
						 (int32_t)s->pid, (int32_t)s->tid, (int)s->cpu, ev };
	c->raw_len += s->raw_size;
	return 0;
}

/*
 * The inlined functions of the unwound frames whose lines are not cached,
 * asked for at once, innermost first as put_frame() gets them: the
 * addr2line children of several dsos work together, several requests a
 * round trip, rather than one request and one wait per frame.
 */
static void prefetch_inlines(struct fs_script *sc, int n, unsigned int fields)
{
	for (int i = 0; i < n; i++) {
		struct fs_frame *f = &sc->frames[i];

		if (!(f->maps_gen & FS_FRAME_UNWOUND))
			continue;
		if ((fields & F_FRAME) == F_FRAME) {
			const struct line *l = line_slot(sc, f->maps_gen, f->ip);

			if (l->len && l->gen == f->maps_gen && l->ip == f->ip)
				continue;
		}
		fs_session__fill(sc->ss, f);
		fs_session__prefetch_inlines(sc->ss, f);
	}
}

static int print_sample(struct fs_script *sc, const struct fs_sample *s, const struct fs_thread *th,
			bool chain, const struct fs_frame *ipf, unsigned int fields,
			struct fs_error *err)
{
	const struct fs_evsel *evsel = s->evsel;
	const struct perf_event_attr *a = &evsel->attr;
	struct fs_frame ipf_unwind;
	int n = 0;

	/* the callchain first: its line slots load while the header is formatted */
	if ((fields & F_IP) && chain) {
		n = fs_session__chain(sc->ss, s, sc->frames, sc->opts.max_stack);
		if (n < 0) {	/* perf's unwind failed: the sample prints without callchain */
			chain = false;
			n = 0;
			fs_session__resolve_ip(sc->ss, s, &ipf_unwind);
			ipf = &ipf_unwind;
		}
		prefetch_slots(sc, n, fields);
		prefetch_inlines(sc, n, fields);
	}
	if (fields & F_COMM) {
		const char *comm = th ? th->comm : ":-1";
		size_t n = strlen(comm);

		if (n > 200) {
			if (put_str(sc, comm, err))
				return -1;
		} else {
			if (!((fields & F_IP) && sc->use_callchain &&
			      (a->sample_type & PERF_SAMPLE_CALLCHAIN)))
				put_pad(sc, 16 - (int)n);
			put(sc, comm, n);
		}
		put_c(sc, ' ');
	}
	if ((fields & F_PID) && (fields & F_TID)) {
		put_int_w(sc, s->pid, 5, false);
		put_c(sc, '/');
		put_int_w(sc, s->tid, 5, true);
		put_c(sc, ' ');
	} else if (fields & (F_PID | F_TID)) {
		put_int_w(sc, fields & F_PID ? s->pid : s->tid, 5, false);
		put_c(sc, ' ');
	}
	if (fields & F_CPU) {
		put_c(sc, '[');
		if (s->cpu < 1000)
			put_u64_z(sc, s->cpu, 3);
		else
			put_int_w(sc, (int32_t)s->cpu, 0, false);
		put(sc, "] ", 2);
	}
	if (fields & F_TIME) {
		uint64_t t = s->time;

		if (sc->opts.reltime) {
			if (!sc->initial_time)
				sc->initial_time = s->time;
			t = s->time - sc->initial_time;
		}
		put_time(sc, t);
	}
	if (fields & F_PERIOD) {
		put_u64_w(sc, (a->sample_type & PERF_SAMPLE_PERIOD) ? s->period : a->sample_period, 10);
		put_c(sc, ' ');
	}
	if (fields & F_EVNAME) {
		if (evsel->idx < sc->nr_evnames && sc->evnames[evsel->idx]) {
			put_line(sc, sc->evnames[evsel->idx], sc->evname_len[evsel->idx]);
		} else {
			const char *name = evsel->name ? evsel->name : "[unknown]";

			put_pad(sc, sc->name_width - (int)strlen(name));
			if (put_str(sc, name, err))
				return -1;
			put(sc, ": ", 2);
		}
	}
	if ((fields & F_TRACE) && s->raw_data && put_trace(sc, s, err))
		return -1;
	if (fields & F_IP) {
		if (chain) {
			prefetch_lines(sc, n, fields);
			put_c(sc, '\n');
			for (int i = 0; i < n; i++)
				if (put_frame(sc, &sc->frames[i], fields, err))
					return -1;
		} else {
			put_c(sc, ' ');
			put_hex(sc, s->ip, 16);
			if (put_sym_dso(sc, ipf, fields, err))
				return -1;
		}
	}
	put_c(sc, '\n');
	return 0;
}

int fs_script__sample(struct fs_script *sc, const struct fs_event *ev, struct fs_error *err)
{
	const struct fs_sample *s = &ev->sample;
	struct fs_thread *th;
	struct fs_frame ipf;
	unsigned int fields;
	bool chain;

	if (!s->evsel)
		return 0;
	fields = sc->fields[output_type(s->evsel->attr.type)];
	if (!fs_timerange__contains(sc->opts.time, s->time))
		return 0;
	if (sc->cpu_bitmap && s->cpu != (uint32_t)-1 &&
	    (s->cpu >= MAX_CPUS || !(sc->cpu_bitmap[s->cpu / 8] & (1 << (s->cpu % 8)))))
		return 0;
	/*
	 * machine__resolve(): the thread and the sample ip's map and symbol,
	 * which only one-line samples print (so callchain samples skip the lookup).
	 */
	chain = sc->use_callchain && s->callchain && (s->evsel->attr.sample_type & PERF_SAMPLE_CALLCHAIN);
	if (chain)
		th = fs_session__thread(sc->ss, s->pid, s->tid);
	else
		th = fs_session__resolve_ip(sc->ss, s, &ipf);
	if (th && thread_filtered(sc, th))
		return 0;
	if (!fields)
		return 0;
	if (sc->len > BUF_SIZE && flush(sc, err))
		return -1;
	return print_sample(sc, s, th, chain, &ipf, fields, err);
}

int fs_script__write(struct fs_script *sc, const char *s, size_t len, struct fs_error *err)
{
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

int fs_script__finish(struct fs_script *sc, struct fs_error *err)
{
	return flush_all(sc, err);
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

void fs_script__delete(struct fs_script *sc)
{
	if (!sc)
		return;
	free(sc->comms);
	free(sc->pids.v);
	free(sc->tids.v);
	free(sc->cpu_bitmap);
	for (uint32_t i = 0; i < sc->nr_evnames; i++)
		free(sc->evnames[i]);
	free(sc->evnames);
	free(sc->evname_len);
	free(sc->frames);
	huge_free(sc->lines, sizeof(*sc->lines) << sc->line_bits);
	huge_free(sc->arena, sc->arena_alloc);
	fs_tracepoints__delete(sc->tp);	/* first: it may still render into pend */
	free(sc->buf);
	free(sc->pend.buf);
	for (int k = 0; k < 2; k++) {
		struct side *sd = k ? &sc->pend : &sc->cur;

		free(sd->holes);
		free(sd->raw);
		free(sd->req);
	}
	free(sc->out);
	free(sc);
}
