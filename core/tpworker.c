// SPDX-License-Identifier: GPL-2.0-only
/*
 * tpworker: libtraceevent in a child process (see tpworker.h); this is the
 * caller's side, tpworker-child.c the worker's.
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
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "tpworker-int.h"

#define MAX_EVENT_CRASHES	4
#define MAX_RESTARTS		32	/* while rendering, per fs_tpw */
#define MAX_START_FAILURES	32	/* while starting: then every unparsed format is left out */
#define MAX_MSG			(FS_TPW_MAX_TEXT + 64)
#define OUT_HIGH		(256u << 10)	/* requests queued ahead of the worker */

enum { STAGE_HEADER, STAGE_FORMATS, STAGE_PLUGINS, STAGE_READY };

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

/* ---- the message cursor ---- */

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

/* ---- the worker's life ---- */

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
		struct fs_tpw_child cfg = { &w->d, w->fmt, w->no_header, w->no_tail, w->no_plugins };

		close(sv[0]);
		close(rv[0]);
		fs_tpw_child__main(&cfg, parent, sv[1], rv[1]);
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
		while (w->next_fmt < w->d.nr_formats && !fs_tpw__attempted(w->fmt[w->next_fmt]))
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
		if (idx < w->next_fmt || idx >= w->d.nr_formats || !fs_tpw__attempted(w->fmt[idx]))
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
