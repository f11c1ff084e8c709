// SPDX-License-Identifier: GPL-2.0-only
/*
 * tpworker-child: the forked worker's side (see tpworker.h, the protocol
 * in tpworker.c). Only this file calls libtraceevent: it parses the formats
 * it is given, reports each (so a crash names the format), then renders
 * payloads, each copied to end where a PROT_NONE page starts.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <event-parse.h>
#include <trace-seq.h>
#include "tpworker-int.h"

struct child {
	const struct fs_tpw_child *cfg;
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
			for (; fs && *n < FS_TPW_MAX_SYMS; fs = fs->next)
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
	const struct fs_tpw_child *w = c->cfg;

	for (uint32_t i = 0; i < w->d->nr_formats; i++) {
		const struct fs_tpw_format *f = &w->d->formats[i];
		struct tep_event *ev = NULL;

		if (!fs_tpw__attempted(w->fmt[i]))
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
	const struct fs_tpw_data *d = c->cfg->d;
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

/*
 * Only our two sockets and fd 2 stay open (libtraceevent logs nothing below
 * its default TEP_LOG_CRITICAL; a sanitizer's report still gets out);
 * fds 0 and 1 become /dev/null.
 */
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

void fs_tpw_child__main(const struct fs_tpw_child *w, pid_t parent, int fd, int rfd)
{
	struct child c = { .cfg = w };
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
	tep_set_long_size(c.tep, w->d->long_size);
	tep_set_page_size(c.tep, w->d->page_size);
	if (!w->no_header) {
		char *page_text = malloc(w->d->header_page_size + 1);

		if (!page_text)
			_exit(1);
		memcpy(page_text, w->d->header_page, w->d->header_page_size);
		page_text[w->d->header_page_size] = 0;
		/* the page's commit field is a kernel long: its size wins (as perf does) */
		if (!tep_parse_header_page(c.tep, page_text, w->d->header_page_size,
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
