// SPDX-License-Identifier: GPL-2.0-only
/*
 * tpworker: libtraceevent in a child process (see tpworker.h).
 *
 * Messages both ways are a u32 type, a u32 length and that many bytes. The
 * worker, once forked, says how far it got while it starts, so a crash names
 * its cause:
 *	'H'			the header page is parsed
 *	'E' u32 idx, desc	format idx parsed, its description (first time only)
 *	'A' u32 idx		format idx parsed (described before)
 *	'S' u32 idx		format idx refused (by libtraceevent or our checks)
 *	'T'			kallsyms, printk formats and saved cmdlines registered
 *	'R'			plugins loaded: ready
 * then answers requests in order:
 *	'P' i32 id, i32 cpu, u32 size, payload  ->  'O' u32 status, text
 * A payload naming a kernel address asks the parent, on the same socket,
 *	'K' u64 addr  ->  (on the second socket) u64 start, u32 len + name, u32 len + module
 * (a length of ~0 is no name). A crash while starting blames the step after
 * the last one reported: the header page, a format, the tail or the plugins
 * are left out of every later worker. A crash or timeout while rendering
 * blames the payload being rendered: its event is skipped after
 * MAX_EVENT_CRASHES crashes or one timeout.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <event-parse.h>
#include <trace-seq.h>
#include "tpworker.h"

#define MAX_EVENT_CRASHES	4
#define MAX_RESTARTS		32	/* while rendering, per fs_tpw */
#define MAX_START_FAILURES	32	/* while starting: then every unparsed format is left out */
#define MAX_MSG			(FS_TPW_MAX_TEXT + 64)
#define MAX_SYMS		4096	/* flag and symbol names per event */
#define OUT_HIGH		(256u << 10)	/* requests queued ahead of the worker */

enum { FMT_NEW, FMT_DESCRIBED, FMT_REFUSED, FMT_BAD };
enum { STAGE_HEADER, STAGE_FORMATS, STAGE_PLUGINS, STAGE_READY };

/* Formats a worker parses: new ones and those that parsed before. */
static bool attempted(uint8_t state)
{
	return state == FMT_NEW || state == FMT_DESCRIBED;
}

struct ev_state {
	int32_t id;
	char *name;
	uint32_t crashes;
	bool skip;
};

struct batch {
	const struct fs_tpw_request *req;
	size_t n, recv, sent;		/* answered below recv; queued below sent */
	bool stopping;			/* the worker hung and was sent SIGUSR1 */
	uint8_t *queued;		/* 0: not sent (its event is skipped) */
	size_t queued_cap;
	fs_tpw_print_cb *cb;
	void *priv;
	char marker[224];
};

struct fs_tpw {
	struct fs_tpw_data d;
	struct batch b;			/* submitted, not yet collected (b.req set) */
	fs_tpw_meta_cb *meta_cb;
	void *meta_priv;
	fs_tpw_resolver *resolve;
	void *resolve_priv;
	uint8_t *fmt;			/* FMT_* per format */
	bool no_header, no_tail, no_plugins, gave_up;
	unsigned int timeout_ms;
	uint32_t restarts, start_failures;
	pid_t pid;
	int fd, rfd;			/* requests and answers; resolver answers */
	int stage;
	uint32_t next_fmt;		/* while starting: the format the worker is on */
	struct ev_state *evs;
	size_t nr_evs;
	struct fs_tpw_stats st;
	uint8_t *in;			/* received, not yet consumed: in[in_off..in_len) */
	size_t in_off, in_len, in_cap;
	uint8_t *out;			/* to send: out[out_off..out_len) */
	size_t out_off, out_len, out_cap;
	int died_signal;		/* of the last worker reaped, 0 if it exited */
};

/* ---- shared: a growable buffer, the message cursor ---- */

struct gbuf {
	uint8_t *p;
	size_t len, cap;
	bool oom;
};

static void gb_put(struct gbuf *b, const void *d, size_t n)
{
	if (b->oom || !n)
		return;
	if (b->len + n > b->cap) {
		size_t cap = (b->len + n) * 2 + 256;
		uint8_t *p = realloc(b->p, cap);

		if (!p) {
			b->oom = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	memcpy(b->p + b->len, d, n);
	b->len += n;
}

static void gb_u32(struct gbuf *b, uint32_t v)
{
	gb_put(b, &v, 4);
}

static void gb_str(struct gbuf *b, const char *s)
{
	uint32_t n = s ? strlen(s) : 0;

	gb_u32(b, n);
	gb_put(b, s, n);
}

uint32_t fs_tpw_msg__u32(struct fs_tpw_msg *m)
{
	uint32_t v = 0;

	if (m->bad || m->end - m->p < 4) {
		m->bad = true;
		return 0;
	}
	memcpy(&v, m->p, 4);
	m->p += 4;
	return v;
}

const char *fs_tpw_msg__str(struct fs_tpw_msg *m, uint32_t *len, uint32_t max)
{
	uint32_t n = fs_tpw_msg__u32(m);
	const char *s = (const char *)m->p;

	if (m->bad || n > max || n > (size_t)(m->end - m->p) || memchr(s, 0, n)) {
		m->bad = true;
		*len = 0;
		return "";
	}
	m->p += n;
	*len = n;
	return s;
}

static int64_t now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* ======================= the worker (child) ======================= */

struct child {
	struct fs_tpw *w;		/* the parent's state, as copied at fork */
	struct tep_handle *tep;
	struct trace_seq seq;
	int fd, rfd;
	uint8_t *area;			/* payloads end at a PROT_NONE page */
	size_t area_size, last_size;
	struct rcache { uint64_t addr, start; char *name, *mod; bool known; } *cache;
	size_t nr_cache;
};

static void c_send(struct child *c, uint32_t type, const void *body, size_t len)
{
	uint32_t h[2] = { type, (uint32_t)len };
	struct iovec iov[2] = { { h, 8 }, { (void *)body, len } };
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = len ? 2 : 1 };

	while (iov[0].iov_len || (mh.msg_iovlen == 2 && iov[1].iov_len)) {
		ssize_t n = sendmsg(c->fd, &mh, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);
		for (int i = 0; i < 2 && n; i++) {
			size_t t = (size_t)n < iov[i].iov_len ? (size_t)n : iov[i].iov_len;

			iov[i].iov_base = (char *)iov[i].iov_base + t;
			iov[i].iov_len -= t;
			n -= t;
		}
	}
}

static void c_recv(int fd, void *buf, size_t len)
{
	for (size_t got = 0; got < len;) {
		ssize_t n = read(fd, (char *)buf + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			_exit(0);	/* the parent is gone */
		got += n;
	}
}

static bool is_ident(char c)
{
	return isalnum((unsigned char)c) || c == '_';
}

/* NAME (at name, up to end) is declared by a "field:TYPE NAME;" or "NAME[N];" line of text. */
static bool field_declared(const char *text, size_t size, const char *name, const char *end)
{
	const char *t = text, *tend = text + size;
	size_t n = 0;

	while (name + n < end && is_ident(name[n]))
		n++;
	if (!n)
		return false;
	while ((t = memmem(t, tend - t, "field:", 6))) {
		const char *semi = memchr(t, ';', tend - t), *e;

		if (!semi)
			return false;
		e = semi;
		if (e > t && e[-1] == ']')	/* NAME[N] */
			while (e > t && *e != '[')
				e--;
		if (e - t >= (ptrdiff_t)n + 6 && !memcmp(e - n, name, n) && !is_ident(e[-(ptrdiff_t)n - 1]))
			return true;
		t = semi;
	}
	return false;
}

/*
 * Cheap checks that spare a worker restart: libtraceevent 1.7 crashes on
 * print formats that are not balanced outside their strings, that read an
 * undeclared field, or that lack a "print fmt:" line. Kernel formats pass.
 */
static bool print_fmt_sane(const char *text, size_t size)
{
	static const char key[] = "\nprint fmt: ";
	const char *p = memmem(text, size, key, sizeof(key) - 1), *end = text + size;
	char stack[64];
	int depth = 0;

	if (!p)
		return false;
	for (p += sizeof(key) - 1; p < end && *p != '\n'; p++) {
		if (*p == '"' || *p == '\'') {
			char q = *p;	/* strings may hold newlines (ext4's do) */

			for (p++; p < end && *p != q; p++)
				if (*p == '\\')
					p++;
			if (p >= end)
				return false;
		} else if (*p == '(' || *p == '{' || *p == '[') {
			if (depth == sizeof(stack))
				return false;
			stack[depth++] = *p == '(' ? ')' : *p == '{' ? '}' : ']';
		} else if (*p == ')' || *p == '}' || *p == ']') {
			if (!depth || stack[--depth] != *p)
				return false;
		} else if ((*p == ';' && !memchr(stack, '}', depth)) || !*p) {
			return false;	/* ';' only in statement expressions ({ ...; }) */
		} else if (end - p > 5 && !memcmp(p, "REC->", 5) && !field_declared(text, size, p + 5, end)) {
			return false;
		}
	}
	return depth == 0;
}

/* A number as the kernel writes them in formats: decimal, or 0x and hex digits. */
static const char *number_end(const char *p, const char *end)
{
	const char *s;

	if (end - p > 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (s = p += 2; p < end && isxdigit((unsigned char)*p); p++)
			;
	} else {
		for (s = p; p < end && isdigit((unsigned char)*p); p++)
			;
	}
	return p > s ? p : NULL;
}

/*
 * The lines of a format as the kernel writes them: "name: ", "ID: ",
 * "format:", "\tfield:TYPE NAME;\toffset:N;\tsize:N;\tsigned:N;", blank
 * lines, "print fmt: ...", all printable ASCII; numbers outside the print
 * format's strings well formed.
 */
static bool format_lines_sane(const char *text, size_t size)
{
	const char *p = text, *end = text + size;

	for (const char *x = text; x < end; x++)
		if (!(isprint((unsigned char)*x) || *x == '\t' || *x == '\n'))
			return false;
	while (p < end) {
		const char *nl = memchr(p, '\n', end - p), *e = nl ? nl : end;

		if (e - p >= 7 && !memcmp(p, "\tfield:", 7)) {
			const char *f = p + 7;
			static const char *const keys[] = { "offset:", "size:", "signed:" };

			f = memchr(f, ';', e - f);
			if (!f)
				return false;
			for (int k = 0; k < 3; k++) {
				size_t kl = strlen(keys[k]);

				if (e - f < 2 + (ptrdiff_t)kl || f[0] != ';' || f[1] != '\t' ||
				    memcmp(f + 2, keys[k], kl))
					return false;
				f = number_end(f + 2 + kl, e);
				if (!f)
					return false;
			}
			if (f >= e || *f != ';')
				return false;
		} else if (e - p >= 11 && !memcmp(p, "print fmt: ", 11)) {
			bool in_str = false;

			/* the rest is the print format: its strings may hold newlines */
			for (const char *x = p + 11; x < end; x++) {
				if (*x == '"')
					in_str = !in_str;
				else if (in_str && *x == '\\')
					x++;
				else if (!in_str && isdigit((unsigned char)*x) &&
					 !(x > p && (isalnum((unsigned char)x[-1]) || x[-1] == '_'))) {
					const char *ne = number_end(x, end);

					if (!ne || (ne < end && (isalnum((unsigned char)*ne) || *ne == '_') &&
						    *ne != 'U' && *ne != 'L' && *ne != 'u' && *ne != 'l'))
						return false;
					x = ne - 1;
				}
			}
			return true;
		} else if (e > p && memcmp(p, "name: ", 6) && memcmp(p, "ID: ", 4) &&
			   memcmp(p, "format:", 7)) {
			return false;
		}
		p = e + 1;
	}
	return true;
}

/* The first field a print argument reads (REC->prev_state & MASK: prev_state). */
static const char *arg_field(const struct tep_print_arg *a)
{
	const char *name = NULL;

	for (int depth = 0; a && depth < 64 && !name; depth++) {
		if (a->type == TEP_PRINT_FIELD)
			return a->field.name;
		if (a->type == TEP_PRINT_TYPE)
			a = a->typecast.item;
		else if (a->type == TEP_PRINT_OP)
			name = arg_field(a->op.left), a = a->op.right;
		else
			break;
	}
	return name;
}

/* Every name __print_flags/__print_symbolic gives a field's values: field, name, value. */
static void syms_walk(struct gbuf *b, uint32_t *n, const struct tep_print_arg *a, int depth)
{
	for (; a && depth < 64; a = a->next) {
		const struct tep_print_flag_sym *fs = NULL;
		const struct tep_print_arg *of = NULL;
		const char *field;

		if (a->type == TEP_PRINT_FLAGS)
			fs = a->flags.flags, of = a->flags.field;
		else if (a->type == TEP_PRINT_SYMBOL)
			fs = a->symbol.symbols, of = a->symbol.field;
		if (of && (field = arg_field(of)))
			for (; fs && *n < MAX_SYMS; fs = fs->next)
				if (fs->str && fs->value) {
					gb_str(b, field);
					gb_str(b, fs->str);
					gb_str(b, fs->value);
					++*n;
				}
		if (a->type == TEP_PRINT_OP) {
			syms_walk(b, n, a->op.left, depth + 1);
			syms_walk(b, n, a->op.right, depth + 1);
		} else if (a->type == TEP_PRINT_TYPE) {
			syms_walk(b, n, a->typecast.item, depth + 1);
		}
	}
}

static uint32_t field_flags(unsigned long f)
{
	return (f & TEP_FIELD_IS_SIGNED ? FS_TPW_F_SIGNED : 0) |
	       (f & TEP_FIELD_IS_STRING ? FS_TPW_F_STRING : 0) |
	       (f & TEP_FIELD_IS_DYNAMIC ? FS_TPW_F_DYNAMIC : 0) |
	       (f & TEP_FIELD_IS_RELATIVE ? FS_TPW_F_RELATIVE : 0) |
	       (f & TEP_FIELD_IS_ARRAY ? FS_TPW_F_ARRAY : 0) |
	       (f & TEP_FIELD_IS_POINTER ? FS_TPW_F_POINTER : 0) |
	       (f & TEP_FIELD_IS_LONG ? FS_TPW_F_LONG : 0);
}

static void put_fields(struct gbuf *b, struct tep_format_field *f)
{
	for (; f; f = f->next) {
		gb_str(b, f->name);
		gb_u32(b, f->offset < 0 ? UINT32_MAX : (uint32_t)f->offset);
		gb_u32(b, f->size < 0 ? UINT32_MAX : (uint32_t)f->size);
		gb_u32(b, field_flags(f->flags));
	}
}

static uint32_t count_fields(const struct tep_format_field *f)
{
	uint32_t n = 0;

	for (; f && n < 65536; f = f->next)
		n++;
	return n;
}

static void describe(struct child *c, uint32_t idx, struct tep_event *ev)
{
	struct gbuf b = { 0 };
	uint32_t nc = count_fields(ev->format.common_fields), nf = count_fields(ev->format.fields);
	uint32_t nsyms = 0;
	size_t at;

	gb_u32(&b, idx);
	gb_u32(&b, (uint32_t)ev->id);
	gb_str(&b, ev->system);
	gb_str(&b, ev->name);
	gb_u32(&b, nc + nf);
	gb_u32(&b, nc);
	put_fields(&b, ev->format.common_fields);
	put_fields(&b, ev->format.fields);
	at = b.len;
	gb_u32(&b, 0);
	syms_walk(&b, &nsyms, ev->print_fmt.args, 0);
	if (b.oom)
		_exit(1);
	memcpy(b.p + at, &nsyms, 4);
	c_send(c, 'E', b.p, b.len);
	free(b.p);
}

static void parse_formats(struct child *c)
{
	struct fs_tpw *w = c->w;

	for (uint32_t i = 0; i < w->d.nr_formats; i++) {
		const struct fs_tpw_format *f = &w->d.formats[i];
		struct tep_event *ev = NULL;

		if (!attempted(w->fmt[i]))
			continue;
		if (format_lines_sane(f->text, f->size) && print_fmt_sane(f->text, f->size) &&
		    tep_parse_format(c->tep, &ev, f->text, f->size, f->system) == 0 && ev) {
			if (w->fmt[i] == FMT_NEW)
				describe(c, i, ev);
			else
				c_send(c, 'A', &i, 4);
		} else {
			c_send(c, 'S', &i, 4);
		}
	}
}

/* "ADDR : \"fmt\"" lines, registered as perf's parse_ftrace_printk() does. */
static void printk_formats(struct tep_handle *tep, char *buf)
{
	char *next = NULL;

	for (char *line = strtok_r(buf, "\n", &next); line; line = strtok_r(NULL, "\n", &next)) {
		char *colon = strchr(line, ':');

		/*
		 * libtraceevent drops a leading quote, then reads 3 bytes back
		 * from the format's end: skip formats shorter than that.
		 */
		if (!colon || !colon[1] || strlen(colon + 2 + (colon[2] == '"')) < 3)
			continue;
		*colon = 0;
		tep_register_print_string(tep, colon + 2, strtoull(line, NULL, 16));
	}
}

static void saved_cmdlines(struct tep_handle *tep, char *buf)
{
	char *next = NULL, comm[17];
	int pid;

	for (char *line = strtok_r(buf, "\n", &next); line; line = strtok_r(NULL, "\n", &next))
		if (sscanf(line, "%d %16s", &pid, comm) == 2)
			tep_register_comm(tep, comm, pid);
}

static void tail(struct child *c)
{
	const struct fs_tpw_data *d = &c->w->d;
	char *b;

	if (d->kallsyms && (b = strdup(d->kallsyms))) {
		tep_parse_kallsyms(c->tep, b);
		free(b);
	}
	if (d->printk && (b = strdup(d->printk))) {
		printk_formats(c->tep, b);
		free(b);
	}
	if (d->cmdlines && (b = strdup(d->cmdlines))) {
		saved_cmdlines(c->tep, b);
		free(b);
	}
}

/*
 * Answers are kept and sent in bulk (one wake-up of the parent per 32 KiB,
 * not per payload), from memory a signal handler can read: a worker that
 * crashes, or that the parent stops with SIGUSR1 because it hung, first
 * sends every answer it finished, so the parent blames the right payload.
 * These are the worker process's own; the caller never touches them.
 */
#define OUT_FLUSH	(32u << 10)
#define OUT_SIZE	(FS_TPW_MAX_TEXT + (1u << 20))
#define IN_SIZE		(512u << 10)

static int out_fd = -1;
static uint8_t *out_buf;
static volatile size_t out_done;	/* whole answers in out_buf */

static void out_write(void)
{
	for (size_t off = 0; off < out_done;) {
		ssize_t n = write(out_fd, out_buf + off, out_done - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		off += n;
	}
	out_done = 0;
}

/* A crash (SA_RESETHAND: the handler is gone) or the parent's SIGUSR1 (it hung). */
static void on_fatal(int sig)
{
	out_write();
	if (sig == SIGUSR1)
		_exit(3);
	raise(sig);
}

static void out_flush(void)
{
	sigset_t usr1, old;

	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigprocmask(SIG_BLOCK, &usr1, &old);
	out_write();
	sigprocmask(SIG_SETMASK, &old, NULL);
}

static void out_answer(uint32_t status, const char *text, size_t len)
{
	uint32_t h[3] = { 'O', (uint32_t)(4 + len), status };
	size_t at = out_done;

	memcpy(out_buf + at, h, 12);
	memcpy(out_buf + at + 12, text, len);
	__atomic_store_n(&out_done, at + 12 + len, __ATOMIC_RELEASE);
	if (out_done >= OUT_FLUSH)
		out_flush();
}

/* A kernel address named by the parent (its symbolizer), remembered. */
static char *c_resolve(void *priv, unsigned long long *addrp, char **modp)
{
	struct child *c = priv;
	uint64_t addr = *addrp, h = (addr * 0x9e3779b97f4a7c15ULL) >> 52;	/* 4096 slots */
	struct rcache *e;
	uint32_t len;

	if (!c->cache && !(c->cache = calloc(4096, sizeof(*c->cache))))
		return NULL;
	e = &c->cache[h];
	if (!e->known || e->addr != addr) {
		free(e->name);
		free(e->mod);
		memset(e, 0, sizeof(*e));
		out_flush();	/* the parent pairs this question with the first unanswered payload */
		c_send(c, 'K', &addr, 8);
		c_recv(c->rfd, &e->start, 8);
		for (int k = 0; k < 2; k++) {
			char **s = k ? &e->mod : &e->name;

			c_recv(c->rfd, &len, 4);
			if (len == UINT32_MAX)
				continue;
			if (len > 4096 || !(*s = malloc(len + 1)))
				_exit(1);
			c_recv(c->rfd, *s, len);
			(*s)[len] = 0;
		}
		e->addr = addr;
		e->known = true;
	}
	if (!e->name)
		return NULL;
	*addrp = e->start;
	*modp = e->mod;
	return e->name;
}

/* Payloads are copied to end where a PROT_NONE page starts: reading past one faults. */
static void *place(struct child *c, const void *raw, uint32_t size)
{
	uint8_t *end = c->area + c->area_size;

	memset(end - c->last_size, 0, c->last_size);
	memcpy(end - size, raw, size);
	c->last_size = size;
	return end - size;
}

static void render(struct child *c, const uint8_t *body, uint32_t len)
{
	int32_t id, cpu;
	uint32_t size, status = FS_TPW_OK;
	struct tep_event *ev;
	struct tep_record rec = { 0 };

	if (len < 12)
		_exit(1);
	memcpy(&id, body, 4);
	memcpy(&cpu, body + 4, 4);
	memcpy(&size, body + 8, 4);
	if (size != len - 12 || size > FS_TPW_MAX_PAYLOAD)
		_exit(1);
	trace_seq_reset(&c->seq);
	ev = tep_find_event(c->tep, id);
	if (!ev) {
		status = FS_TPW_NO_EVENT;
	} else {
		rec.cpu = cpu;
		rec.size = size;
		rec.data = place(c, body + 12, size);
		tep_print_event(c->tep, &c->seq, &rec, "%s", TEP_PRINT_INFO);
		trace_seq_terminate(&c->seq);
		/* a text that outgrew the memory bound is as unusable as a huge one */
		if (c->seq.len > FS_TPW_MAX_TEXT || c->seq.state != TRACE_SEQ__GOOD)
			status = FS_TPW_TOO_LONG;
	}
	out_answer(status, c->seq.buffer, status == FS_TPW_OK ? c->seq.len : 0);
}

static void catch_fatal(void)
{
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP,
				    SIGXCPU, SIGXFSZ, SIGUSR1 };
	stack_t ss = { .ss_size = 65536 };
	struct sigaction sa = { .sa_handler = on_fatal };

	ss.ss_sp = mmap(NULL, ss.ss_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ss.ss_sp != MAP_FAILED)
		sigaltstack(&ss, NULL);
	/* reset on entry, not blocked in it: raise() then ends the worker by that signal */
	sa.sa_flags = SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++)
		sigaction(sigs[i], &sa, NULL);
}

static void serve(struct child *c)
{
	uint8_t *in = malloc(IN_SIZE);
	size_t have = 0, off = 0;

	out_buf = mmap(NULL, OUT_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (!in || out_buf == MAP_FAILED)
		_exit(1);
	out_fd = c->fd;
	catch_fatal();
	for (;;) {
		uint32_t h[2];
		ssize_t n;

		if (have - off >= 8) {
			memcpy(h, in + off, 8);
			if (h[0] != 'P' || h[1] > FS_TPW_MAX_PAYLOAD + 12)
				_exit(1);
			if (have - off >= 8 + (size_t)h[1]) {
				render(c, in + off + 8, h[1]);
				off += 8 + (size_t)h[1];
				continue;
			}
		}
		/* no whole request left: what is done goes out, then more comes in */
		out_flush();
		memmove(in, in + off, have - off);
		have -= off;
		off = 0;
		do
			n = read(c->fd, in + have, IN_SIZE - have);
		while (n < 0 && errno == EINTR);
		if (n <= 0)
			_exit(0);	/* the parent is gone */
		have += n;
	}
}

/* Only our two sockets and stderr stay open; stdin and stdout become /dev/null. */
static void child_fds(struct child *c, int fd, int rfd)
{
	int nfd = fcntl(fd, F_DUPFD, 10), nrfd = fcntl(rfd, F_DUPFD, 10), null;

	if (nfd < 0 || nrfd < 0 || dup2(nfd, 3) < 0 || dup2(nrfd, 4) < 0)
		_exit(1);
	c->fd = 3;
	c->rfd = 4;
	if (syscall(SYS_close_range, 5, ~0U, 0))
		for (int i = 5; i < 1024; i++)
			close(i);
	null = open("/dev/null", O_RDWR | O_CLOEXEC);
	for (int i = 0; i < 2; i++)
		if (null < 0 || dup2(null, i) < 0)
			close(i);
	if (null > 4)
		close(null);
}

/* Limits, signals, and the death of the parent. */
static void child_limits(pid_t parent)
{
	static const int ignored[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR2 };
	static const int deadly[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP,
				      SIGXCPU, SIGXFSZ, SIGALRM };
	struct rlimit no_core = { 0, 0 };
	unsigned long pages = 0;
	FILE *f;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != parent)
		_exit(0);
	/* the caller's handlers (a sanitizer's, a fuzzer's, a cleanup) are not for us */
	for (size_t i = 0; i < sizeof(ignored) / sizeof(*ignored); i++)
		signal(ignored[i], SIG_IGN);
	for (size_t i = 0; i < sizeof(deadly) / sizeof(*deadly); i++)
		signal(deadly[i], SIG_DFL);
	setrlimit(RLIMIT_CORE, &no_core);
	f = fopen("/proc/self/statm", "r");
	if (f && fscanf(f, "%lu", &pages) == 1) {
		struct rlimit as = { (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + FS_TPW_MEMORY, 0 };
		struct rlimit cur;

		if (!getrlimit(RLIMIT_AS, &cur) && (cur.rlim_cur == RLIM_INFINITY || as.rlim_cur < cur.rlim_cur)) {
			as.rlim_max = cur.rlim_max;
			setrlimit(RLIMIT_AS, &as);
		}
	}
	if (f)
		fclose(f);
}

static void child_main(struct fs_tpw *w, pid_t parent, int fd, int rfd)
{
	struct child c = { .w = w };
	long page = sysconf(_SC_PAGESIZE);

	child_limits(parent);
	child_fds(&c, fd, rfd);
	c.area_size = (FS_TPW_MAX_PAYLOAD + page - 1) / page * page + page;
	c.area = mmap(NULL, c.area_size + page, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c.area == MAP_FAILED || mprotect(c.area + c.area_size, page, PROT_NONE))
		_exit(1);
	c.tep = tep_alloc();
	if (!c.tep)
		_exit(1);
	trace_seq_init(&c.seq);
	tep_set_flag(c.tep, TEP_NSEC_OUTPUT);
	tep_set_file_bigendian(c.tep, tep_is_bigendian());
	tep_set_local_bigendian(c.tep, tep_is_bigendian());
	tep_set_long_size(c.tep, w->d.long_size);
	tep_set_page_size(c.tep, w->d.page_size);
	if (!w->no_header) {
		char *page_text = malloc(w->d.header_page_size + 1);

		if (!page_text)
			_exit(1);
		memcpy(page_text, w->d.header_page, w->d.header_page_size);
		page_text[w->d.header_page_size] = 0;
		/* the page's commit field is a kernel long: its size wins (as perf does) */
		if (!tep_parse_header_page(c.tep, page_text, w->d.header_page_size,
					   tep_get_long_size(c.tep)))
			tep_set_long_size(c.tep, tep_get_header_page_size(c.tep));
		free(page_text);
	}
	c_send(&c, 'H', NULL, 0);
	parse_formats(&c);
	if (!w->no_tail)
		tail(&c);
	c_send(&c, 'T', NULL, 0);
	/* perf 6.1's libtraceevent has no system plugin directory (see tracepoint.h) */
	tep_set_flag(c.tep, TEP_DISABLE_SYS_PLUGINS);
	if (!w->no_plugins)
		tep_load_plugins(c.tep);
	tep_set_function_resolver(c.tep, c_resolve, &c);
	c_send(&c, 'R', NULL, 0);
	serve(&c);
	_exit(0);
}

/* ======================= the parent ======================= */

static struct ev_state *ev_state(struct fs_tpw *w, int32_t id)
{
	for (size_t i = 0; i < w->nr_evs; i++)
		if (w->evs[i].id == id)
			return &w->evs[i];
	return NULL;
}

static const char *ev_name(struct fs_tpw *w, int32_t id)
{
	struct ev_state *e = ev_state(w, id);

	return e && e->name ? e->name : "the event";
}

int fs_tpw__name_event(struct fs_tpw *w, int32_t id, const char *name)
{
	struct ev_state *e = ev_state(w, id);
	char *copy = name ? strdup(name) : NULL;

	if (name && !copy)
		return -1;
	if (!e) {
		e = realloc(w->evs, (w->nr_evs + 1) * sizeof(*e));
		if (!e) {
			free(copy);
			return -1;
		}
		w->evs = e;
		e = &w->evs[w->nr_evs++];
		memset(e, 0, sizeof(*e));
		e->id = id;
	}
	free(e->name);
	e->name = copy;
	return 0;
}

static const char *signal_name(int sig)
{
	static const struct { int sig; const char *name; } names[] = {
		{ SIGSEGV, "SIGSEGV" }, { SIGBUS, "SIGBUS" }, { SIGFPE, "SIGFPE" },
		{ SIGILL, "SIGILL" }, { SIGABRT, "SIGABRT" }, { SIGKILL, "SIGKILL" },
		{ SIGSYS, "SIGSYS" }, { SIGTRAP, "SIGTRAP" }, { SIGXCPU, "SIGXCPU" },
	};

	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (names[i].sig == sig)
			return names[i].name;
	return "a signal";
}

/* Ends the worker: it had its chance to exit; the pid is reaped either way. */
static void stop(struct fs_tpw *w, bool kill_now)
{
	int status = 0;

	w->died_signal = 0;
	if (w->fd >= 0)
		close(w->fd);
	if (w->rfd >= 0)
		close(w->rfd);
	w->fd = w->rfd = -1;
	if (w->pid > 0) {
		pid_t r = 0;

		/* a crashing worker is still dying (a sanitizer's report): wait a little */
		for (int i = 0; !kill_now && i < 200 && !(r = waitpid(w->pid, &status, WNOHANG)); i++)
			usleep(5000);
		if (r == 0) {
			kill(w->pid, SIGKILL);
			while ((r = waitpid(w->pid, &status, 0)) < 0 && errno == EINTR)
				;
		}
		if (r == w->pid && WIFSIGNALED(status))
			w->died_signal = WTERMSIG(status);
		else if (r == w->pid && WIFEXITED(status) && WEXITSTATUS(status))
			w->died_signal = -WEXITSTATUS(status);
	}
	w->pid = 0;
	w->in_off = w->in_len = w->out_off = w->out_len = 0;
}

static int spawn(struct fs_tpw *w, struct fs_error *err)
{
	int sv[2], rv[2];
	pid_t parent = getpid(), pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return fs_error__set(err, "tracing data: cannot start the tracepoint worker: %s",
				     strerror(errno));
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, rv)) {
		close(sv[0]);
		close(sv[1]);
		return fs_error__set(err, "tracing data: cannot start the tracepoint worker: %s",
				     strerror(errno));
	}
	pid = fork();
	if (pid == 0) {
		close(sv[0]);
		close(rv[0]);
		child_main(w, parent, sv[1], rv[1]);
	}
	close(sv[1]);
	close(rv[1]);
	if (pid < 0) {
		close(sv[0]);
		close(rv[0]);
		return fs_error__set(err, "tracing data: cannot start the tracepoint worker: %s",
				     strerror(errno));
	}
	w->pid = pid;
	w->fd = sv[0];
	w->rfd = rv[0];
	fcntl(w->fd, F_SETFL, fcntl(w->fd, F_GETFL) | O_NONBLOCK);
	w->stage = STAGE_HEADER;
	w->next_fmt = 0;
	return 0;
}

/*
 * Moves bytes both ways for at most timeout_ms: 1 when bytes arrived,
 * 0 on timeout, -1 when the worker is gone.
 */
static int pump(struct fs_tpw *w, int timeout_ms)
{
	struct pollfd pfd = { w->fd, POLLIN, 0 };
	int64_t deadline = now_ms() + timeout_ms;

	for (;;) {
		int left = (int)(deadline - now_ms()), r;

		pfd.events = POLLIN | (w->out_off < w->out_len ? POLLOUT : 0);
		r = poll(&pfd, 1, left > 0 ? left : 0);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		if (pfd.revents & POLLOUT) {
			ssize_t n = send(w->fd, w->out + w->out_off, w->out_len - w->out_off,
					 MSG_NOSIGNAL | MSG_DONTWAIT);

			if (n < 0 && errno != EAGAIN && errno != EINTR)
				return -1;
			if (n > 0)
				w->out_off += n;
			if (w->out_off == w->out_len)
				w->out_off = w->out_len = 0;
		}
		if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
			ssize_t n;

			if (w->in_off && w->in_off == w->in_len)
				w->in_off = w->in_len = 0;
			if (w->in_cap - w->in_len < 65536) {
				size_t keep = w->in_len - w->in_off, cap = w->in_cap;
				uint8_t *p;

				if (w->in_off)
					memmove(w->in, w->in + w->in_off, keep);
				w->in_len = keep;
				w->in_off = 0;
				while (cap - keep < 65536)
					cap = cap ? cap * 2 : 262144;
				if (cap != w->in_cap) {
					if (cap > 4 * (size_t)MAX_MSG || !(p = realloc(w->in, cap)))
						return -1;
					w->in = p;
					w->in_cap = cap;
				}
			}
			n = recv(w->fd, w->in + w->in_len, w->in_cap - w->in_len, MSG_DONTWAIT);
			if (n < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			if (n <= 0)
				return -1;
			w->in_len += n;
			return 1;
		}
		if (pfd.revents & POLLNVAL)
			return -1;
	}
}

/* The next whole message received: 1, 0 when none is complete yet, -1 when malformed. */
static int take_msg(struct fs_tpw *w, uint32_t *type, const uint8_t **body, uint32_t *len)
{
	uint32_t h[2];

	if (w->in_len - w->in_off < 8)
		return 0;
	memcpy(h, w->in + w->in_off, 8);
	if (h[1] > MAX_MSG)
		return -1;
	if (w->in_len - w->in_off - 8 < h[1])
		return 0;
	*type = h[0];
	*body = w->in + w->in_off + 8;
	*len = h[1];
	w->in_off += 8 + (size_t)h[1];
	return 1;
}

/* The next message within the time bound: 1, or -1 (dead, hung or malformed). */
static int wait_msg(struct fs_tpw *w, uint32_t *type, const uint8_t **body, uint32_t *len,
		    bool *timed_out)
{
	int r;

	*timed_out = false;
	while (!(r = take_msg(w, type, body, len))) {
		r = pump(w, (int)w->timeout_ms);
		if (r == 0)
			*timed_out = true;
		if (r <= 0)
			return -1;
	}
	return r;
}

static int queue_out(struct fs_tpw *w, uint32_t type, const void *a, size_t alen, const void *b,
		     size_t blen)
{
	uint32_t h[2] = { type, (uint32_t)(alen + blen) };
	size_t need = 8 + alen + blen;

	if (w->out_cap - w->out_len < need) {
		size_t cap = (w->out_len + need) * 2;
		uint8_t *p = realloc(w->out, cap);

		if (!p)
			return -1;
		w->out = p;
		w->out_cap = cap;
	}
	memcpy(w->out + w->out_len, h, 8);
	memcpy(w->out + w->out_len + 8, a, alen);
	if (blen)
		memcpy(w->out + w->out_len + 8 + alen, b, blen);
	w->out_len += need;
	return 0;
}

static void failure(struct fs_tpw *w, const char *what, bool timed_out)
{
	if (timed_out)
		snprintf(w->st.last_failure, sizeof(w->st.last_failure),
			 "%s: no answer within %u ms", what, w->timeout_ms);
	else if (w->died_signal > 0)
		snprintf(w->st.last_failure, sizeof(w->st.last_failure), "%s: %s", what,
			 signal_name(w->died_signal));
	else
		snprintf(w->st.last_failure, sizeof(w->st.last_failure), "%s: worker exited", what);
}

/* What a worker that died while starting was doing: left out from now on. */
static void blame_start(struct fs_tpw *w, bool timed_out)
{
	char what[96];

	switch (w->stage) {
	case STAGE_HEADER:
		w->no_header = true;
		snprintf(what, sizeof(what), "the header page");
		break;
	case STAGE_FORMATS:
		while (w->next_fmt < w->d.nr_formats && !attempted(w->fmt[w->next_fmt]))
			w->next_fmt++;
		if (w->next_fmt < w->d.nr_formats) {
			w->fmt[w->next_fmt] = FMT_BAD;
			w->st.skipped_formats++;
			snprintf(what, sizeof(what), "event format %u", w->next_fmt);
		} else {
			w->no_tail = true;
			snprintf(what, sizeof(what), "kallsyms, printk formats or saved cmdlines");
		}
		break;
	default:
		w->no_plugins = true;
		snprintf(what, sizeof(what), "plugins");
		break;
	}
	failure(w, what, timed_out);
	if (timed_out)
		w->st.timeouts++;
	else
		w->st.crashes++;
	if (++w->start_failures >= MAX_START_FAILURES) {
		/* enough: only the formats parsed before are tried again */
		for (uint32_t i = 0; i < w->d.nr_formats; i++)
			if (w->fmt[i] == FMT_NEW) {
				w->fmt[i] = FMT_BAD;
				w->st.skipped_formats++;
			}
		w->no_header = w->no_tail = w->no_plugins = true;
	}
}

static int start_msg(struct fs_tpw *w, uint32_t type, const uint8_t *body, uint32_t len)
{
	uint32_t idx = 0;

	if (type == 'E' || type == 'A' || type == 'S') {
		if (len < 4 || w->stage != STAGE_FORMATS)
			return -1;
		memcpy(&idx, body, 4);
		if (idx < w->next_fmt || idx >= w->d.nr_formats || !attempted(w->fmt[idx]))
			return -1;
		w->next_fmt = idx + 1;
	}
	switch (type) {
	case 'H':
		if (w->stage != STAGE_HEADER)
			return -1;
		w->stage = STAGE_FORMATS;
		return 0;
	case 'E':
		if (w->fmt[idx] != FMT_NEW)
			return -1;
		w->fmt[idx] = FMT_DESCRIBED;
		return w->meta_cb && w->meta_cb(w->meta_priv, idx, body, len) ? -2 : 0;
	case 'A':
		return w->fmt[idx] == FMT_DESCRIBED ? 0 : -1;
	case 'S':
		if (w->fmt[idx] == FMT_NEW)
			w->fmt[idx] = FMT_REFUSED;
		return 0;
	case 'T':
		if (w->stage != STAGE_FORMATS)
			return -1;
		w->stage = STAGE_PLUGINS;
		return 0;
	case 'R':
		if (w->stage != STAGE_PLUGINS)
			return -1;
		w->stage = STAGE_READY;
		return 0;
	}
	return -1;
}

/*
 * A running worker, started over (leaving out what crashed it) until it
 * is ready: each failure leaves one more thing out, so this ends. -1 only
 * when none can be forked or memory ran out (meta_cb failing).
 */
static int start(struct fs_tpw *w, struct fs_error *err)
{
	while (!w->pid) {
		uint32_t type, len;
		const uint8_t *body;
		bool timed_out = false;
		int r = 0;

		if (spawn(w, err))
			return -1;
		while (w->stage != STAGE_READY && (r = wait_msg(w, &type, &body, &len, &timed_out)) > 0)
			if ((r = start_msg(w, type, body, len)) < 0)
				break;
		if (r == -2) {
			stop(w, true);
			return fs_error__set(err, "tracing data: out of memory");
		}
		if (w->stage == STAGE_READY)
			return 0;
		stop(w, timed_out);
		blame_start(w, timed_out);
	}
	return 0;
}

struct fs_tpw *fs_tpw__new(const struct fs_tpw_data *data, fs_tpw_meta_cb *meta_cb, void *priv,
			   struct fs_error *err)
{
	struct fs_tpw *w = calloc(1, sizeof(*w));

	if (!w || !(w->fmt = calloc(data->nr_formats + 1, 1))) {
		free(w);
		fs_error__set(err, "tracing data: out of memory");
		return NULL;
	}
	w->d = *data;
	w->meta_cb = meta_cb;
	w->meta_priv = priv;
	w->timeout_ms = FS_TPW_TIMEOUT_MS;
	w->fd = w->rfd = -1;
	if (start(w, err)) {
		fs_tpw__delete(w);
		return NULL;
	}
	/* later workers describe nothing: every format was heard of */
	for (uint32_t i = 0; i < w->d.nr_formats; i++)
		if (w->fmt[i] == FMT_NEW)
			w->fmt[i] = FMT_REFUSED;
	return w;
}

void fs_tpw__set_resolver(struct fs_tpw *w, fs_tpw_resolver *fn, void *priv)
{
	w->resolve = fn;
	w->resolve_priv = priv;
}

const struct fs_tpw_stats *fs_tpw__stats(const struct fs_tpw *w)
{
	return &w->st;
}

int fs_tpw__pid(const struct fs_tpw *w)
{
	return w->pid;
}

void fs_tpw__set_timeout(struct fs_tpw *w, unsigned int ms)
{
	w->timeout_ms = ms ? ms : 1;
}

void fs_tpw__delete(struct fs_tpw *w)
{
	if (!w)
		return;
	stop(w, true);
	for (size_t i = 0; i < w->nr_evs; i++)
		free(w->evs[i].name);
	free(w->evs);
	free(w->fmt);
	free(w->b.queued);
	free(w->in);
	free(w->out);
	free(w);
}

/* ---- rendering ---- */

#define GRACE_MS	500	/* for a hung worker told to stop to send what it finished */

static int deliver(struct batch *b, enum fs_tpw_status st, const char *text, size_t len)
{
	return b->cb(b->priv, b->recv++, st, text, len);
}

static int marker(struct fs_tpw *w, struct batch *b, enum fs_tpw_status st)
{
	const char *name = ev_name(w, b->req[b->recv].id);

	switch (st) {
	case FS_TPW_CRASHED:
		snprintf(b->marker, sizeof(b->marker),
			 "[payload not printed: libtraceevent crashed on it (%s, print format of %s)]",
			 w->died_signal > 0 ? signal_name(w->died_signal) : "exited", name);
		break;
	case FS_TPW_TIMED_OUT:
		snprintf(b->marker, sizeof(b->marker),
			 "[payload not printed: libtraceevent ran past %u ms on it (print format of %s)]",
			 w->timeout_ms, name);
		break;
	case FS_TPW_TOO_LONG:
		snprintf(b->marker, sizeof(b->marker),
			 "[payload not printed: its text outgrows %u bytes or the worker's memory (print format of %s)]",
			 FS_TPW_MAX_TEXT, name);
		break;
	case FS_TPW_SKIPPED:
		snprintf(b->marker, sizeof(b->marker),
			 "[payload not printed: the print format of %s crashed libtraceevent before]",
			 name);
		break;
	default:
		snprintf(b->marker, sizeof(b->marker),
			 "[payload not printed: libtraceevent crashed %u times, no more tries]",
			 w->restarts);
		break;
	}
	return deliver(b, st, b->marker, strlen(b->marker));
}

static bool skipped(struct fs_tpw *w, int32_t id)
{
	const struct ev_state *e = ev_state(w, id);

	return e && e->skip;
}

/* Requests not sent (their event is skipped) answer for themselves. */
static int drain_unsent(struct fs_tpw *w, struct batch *b)
{
	while (b->recv < b->sent && !b->queued[b->recv]) {
		w->st.skipped_payloads++;
		if (marker(w, b, FS_TPW_SKIPPED))
			return -1;
	}
	return 0;
}

static int fill(struct fs_tpw *w, struct batch *b)
{
	while (b->sent < b->n && w->out_len - w->out_off < OUT_HIGH) {
		const struct fs_tpw_request *r = &b->req[b->sent];
		int32_t hdr[3] = { r->id, r->cpu, (int32_t)r->raw_size };

		b->queued[b->sent] = !skipped(w, r->id);
		if (b->queued[b->sent] && queue_out(w, 'P', hdr, 12, r->raw, r->raw_size))
			return -1;
		b->sent++;
	}
	return 0;
}

static int answer_resolve(struct fs_tpw *w, struct batch *b, const uint8_t *body, uint32_t len)
{
	struct gbuf g = { 0 };
	uint64_t addr, start;
	const char *name = NULL, *mod = NULL;
	int ret = 0;

	if (len != 8 || b->recv >= b->sent)
		return -1;
	memcpy(&addr, body, 8);
	start = addr;
	if (w->resolve)
		name = w->resolve(w->resolve_priv, b->req[b->recv].ctx, &start, &mod);
	gb_put(&g, &start, 8);
	for (int k = 0; k < 2; k++) {
		const char *s = k ? mod : name;
		uint32_t n = s ? strlen(s) : UINT32_MAX;

		if (n != UINT32_MAX && n > 4096)
			n = UINT32_MAX;
		gb_u32(&g, n);
		if (n != UINT32_MAX)
			gb_put(&g, s, n);
	}
	if (g.oom)
		return -1;
	for (size_t off = 0; off < g.len;) {
		ssize_t n = send(w->rfd, g.p + off, g.len - off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			ret = -1;
			break;
		}
		off += n;
	}
	free(g.p);
	return ret;
}

/* The worker died or hung with requests in flight: the first one is blamed. */
static int lost_worker(struct fs_tpw *w, struct batch *b, bool timed_out)
{
	struct ev_state *e;
	char what[96];

	stop(w, timed_out);
	if (drain_unsent(w, b))
		return -1;
	if (b->recv < b->sent) {
		int32_t id = b->req[b->recv].id;

		if (!(e = ev_state(w, id))) {
			if (fs_tpw__name_event(w, id, NULL))
				return -1;
			e = ev_state(w, id);
		}
		e->crashes++;
		if (timed_out || e->crashes >= MAX_EVENT_CRASHES)
			e->skip = true;
		snprintf(what, sizeof(what), "a payload of %s", ev_name(w, id));
		failure(w, what, timed_out);
		if (timed_out)
			w->st.timeouts++;
		else
			w->st.crashes++;
		if (marker(w, b, timed_out ? FS_TPW_TIMED_OUT : FS_TPW_CRASHED))
			return -1;
	}
	b->sent = b->recv;
	w->st.restarts++;
	if (++w->restarts >= MAX_RESTARTS)
		w->gave_up = true;
	return 0;
}

static int on_text(struct fs_tpw *w, struct batch *b, const uint8_t *body, uint32_t len)
{
	uint32_t status;

	if (drain_unsent(w, b))
		return -1;
	if (len < 4 || b->recv >= b->sent)
		return 1;	/* malformed: treated as a crash */
	memcpy(&status, body, 4);
	if (status == FS_TPW_OK)
		return deliver(b, FS_TPW_OK, (const char *)body + 4, len - 4) ? -1 : 0;
	if (status == FS_TPW_NO_EVENT)
		return deliver(b, FS_TPW_NO_EVENT, "", 0) ? -1 : 0;
	if (status == FS_TPW_TOO_LONG)
		return marker(w, b, FS_TPW_TOO_LONG) ? -1 : 0;
	return 1;
}

/*
 * A worker that died idle (its starting thread ended: PR_SET_PDEATHSIG, or
 * someone else reaped it) is replaced without blaming a payload.
 */
static void reap_idle(struct fs_tpw *w)
{
	int status;
	pid_t r;

	if (w->pid <= 0)
		return;
	r = waitpid(w->pid, &status, WNOHANG);
	if (r == w->pid || (r < 0 && errno == ECHILD)) {
		w->pid = 0;
		stop(w, true);
	}
}

int fs_tpw__submit(struct fs_tpw *w, const struct fs_tpw_request *req, size_t n,
		   struct fs_error *err)
{
	struct batch *b = &w->b;

	if (b->req)
		return fs_error__set(err, "a tracepoint batch is still waiting to be collected");
	if (n > b->queued_cap) {
		uint8_t *q = realloc(b->queued, n);

		if (!q)
			return fs_error__set(err, "out of memory");
		b->queued = q;
		b->queued_cap = n;
	}
	b->req = req;
	b->n = n;
	b->recv = b->sent = 0;
	b->stopping = false;
	reap_idle(w);
	if (!n || w->gave_up)
		return 0;
	if (!w->pid && start(w, err)) {
		b->req = NULL;
		return -1;
	}
	/* what fits goes now: the worker starts while the caller goes on */
	if (fill(w, b))
		return fs_error__set(err, "out of memory");
	if (w->pid && pump(w, 0) < 0) {
		/* a dead worker is found again, and handled, at collect */
	}
	return 0;
}

int fs_tpw__collect(struct fs_tpw *w, fs_tpw_print_cb *cb, void *priv, struct fs_error *err)
{
	struct batch *b = &w->b;
	int ret = -1;

	if (!b->req)
		return 0;
	b->cb = cb;
	b->priv = priv;
	while (b->recv < b->n) {
		uint32_t type, len;
		const uint8_t *body;
		int r;

		if (w->gave_up) {
			if (marker(w, b, FS_TPW_GAVE_UP))
				goto cb_failed;
			continue;
		}
		if (!w->pid) {
			if (start(w, err))
				goto out;
			b->sent = b->recv;
		}
		if (fill(w, b))
			goto oom;
		if (drain_unsent(w, b))
			goto cb_failed;
		if (b->recv == b->n)
			break;
		if (b->recv == b->sent)
			continue;
		r = take_msg(w, &type, &body, &len);
		if (r == 0) {
			r = pump(w, b->stopping ? GRACE_MS : (int)w->timeout_ms);
			if (r == 0 && !b->stopping) {
				/* hung: it sends the answers it finished, then exits */
				kill(w->pid, SIGUSR1);
				b->stopping = true;
				continue;
			}
			if (r <= 0) {
				if (lost_worker(w, b, b->stopping))
					goto cb_failed;
				b->stopping = false;
			}
			continue;
		}
		if (r > 0 && type == 'O')
			r = on_text(w, b, body, len);
		else if (r > 0 && type == 'K')
			r = answer_resolve(w, b, body, len) ? 1 : 0;
		else
			r = 1;
		if (r < 0)
			goto cb_failed;
		if (r > 0) {	/* a malformed answer */
			if (lost_worker(w, b, b->stopping))
				goto cb_failed;
			b->stopping = false;
		}
	}
	ret = 0;
	goto out;
oom:
	fs_error__set(err, "out of memory");
	goto out;
cb_failed:
	if (!err || !err->msg[0])
		fs_error__set(err, "out of memory");
out:
	if (ret && w->pid)
		stop(w, true);	/* what is in flight is forgotten with it */
	b->req = NULL;
	return ret;
}

int fs_tpw__print(struct fs_tpw *w, const struct fs_tpw_request *req, size_t n,
		  fs_tpw_print_cb *cb, void *priv, struct fs_error *err)
{
	if (fs_tpw__submit(w, req, n, err))
		return -1;
	return fs_tpw__collect(w, cb, priv, err);
}
